/* gro-replica-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-mirror-private.h"
#include "gro-replica.h"
#include "gro-schema-private.h"

G_BEGIN_DECLS

/* What a replica class shows: its own schema, and for each of its members
 * the local property or signal. Attached to the GType. */
typedef struct
{
  GroSchema   *schema;
  GParamSpec **pspecs;      /* per schema property */
  GValue      *defaults;    /* per schema property: its default value */
  guint       *signal_ids;  /* per schema signal; 0 when not shown */
  gboolean     typed;       /* from gro_replica_class_set_schema(): starts DEFAULT */
} GroReplicaClassInfo;

typedef struct _GroReplicaMaps GroReplicaMaps;
void _gro_replica_maps_unref (GroReplicaMaps *maps);

const GroReplicaClassInfo *_gro_replica_class_info    (GType              type);
void                       _gro_replica_set_class_info (GType             type,
                                                        GroReplicaClassInfo *info);

void      _gro_replica_attach            (GroReplica     *replica,
                                          GroMirror      *mirror);
void      _gro_replica_apply_init        (GroReplica     *replica,
                                          const GValue   *old_values,
                                          GroSchema      *old_schema);
void      _gro_replica_apply_property    (GroReplica     *replica,
                                          guint           remote_index);
void      _gro_replica_apply_signal      (GroReplica     *replica,
                                          guint           remote_index,
                                          const GValue   *args);
void      _gro_replica_source_lost       (GroReplica     *replica);
void      _gro_replica_source_back       (GroReplica     *replica);
void      _gro_replica_fail              (GroReplica     *replica,
                                          const GError   *error);
void      _gro_replica_get_value         (GroReplica     *replica,
                                          guint           local_index,
                                          GValue         *value);
void      _gro_replica_wait_task        (GroReplica     *replica,
                                          GTask          *task);
void      _gro_replica_write_value       (GroReplica     *replica,
                                          guint           local_index,
                                          const GValue   *value);

G_END_DECLS
