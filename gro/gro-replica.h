/* gro-replica.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <gio/gio.h>

#include "gro-types.h"
#include "gro-version-macros.h"

G_BEGIN_DECLS

/**
 * GroReplicaState:
 * @GRO_REPLICA_STATE_UNINITIALIZED: A dynamic replica that has not heard from its source
 *   yet: it has none of the source's properties or signals.
 * @GRO_REPLICA_STATE_DEFAULT: A typed replica that has not heard from its source yet: its
 *   properties hold their default values.
 * @GRO_REPLICA_STATE_VALID: The replica is in step with its source.
 * @GRO_REPLICA_STATE_SUSPECT: The connection to the source was lost or the source was
 *   withdrawn; the properties hold the last values received.
 * @GRO_REPLICA_STATE_SIGNATURE_MISMATCH: The source's interface does not fit the replica.
 *   This state is final.
 *
 * The states of a [class@Gro.Replica], as in Qt Remote Objects.
 *
 * Since: 1.0
 */
typedef enum
{
  GRO_REPLICA_STATE_UNINITIALIZED,
  GRO_REPLICA_STATE_DEFAULT,
  GRO_REPLICA_STATE_VALID,
  GRO_REPLICA_STATE_SUSPECT,
  GRO_REPLICA_STATE_SIGNATURE_MISMATCH,
} GroReplicaState;

#define GRO_TYPE_REPLICA (gro_replica_get_type ())

GRO_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GroReplica, gro_replica, GRO, REPLICA, GObject)

struct _GroReplicaClass
{
  GObjectClass parent_class;

  /*< private >*/
  gpointer _reserved[16];
};

GRO_AVAILABLE_IN_ALL
GroReplicaState     gro_replica_get_state             (GroReplica           *replica);
GRO_AVAILABLE_IN_ALL
gboolean            gro_replica_is_valid              (GroReplica           *replica);
GRO_AVAILABLE_IN_ALL
const char         *gro_replica_get_name              (GroReplica           *replica);
GRO_AVAILABLE_IN_ALL
GroNode            *gro_replica_get_node              (GroReplica           *replica);
GRO_AVAILABLE_IN_ALL
const char         *gro_replica_get_type_name         (GroReplica           *replica);
GRO_AVAILABLE_IN_ALL
GDBusInterfaceInfo *gro_replica_get_interface_info    (GroReplica           *replica);
GRO_AVAILABLE_IN_ALL
gboolean            gro_replica_wait_for_source       (GroReplica           *replica,
                                                       int                   timeout_ms,
                                                       GError              **error);
GRO_AVAILABLE_IN_ALL
void                gro_replica_call_async            (GroReplica           *replica,
                                                       const char           *method,
                                                       GVariant             *parameters,
                                                       int                   timeout_ms,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GRO_AVAILABLE_IN_ALL
GVariant           *gro_replica_call_finish           (GroReplica           *replica,
                                                       GAsyncResult         *result,
                                                       GError              **error);
GRO_AVAILABLE_IN_ALL
GVariant           *gro_replica_call_sync             (GroReplica           *replica,
                                                       const char           *method,
                                                       GVariant             *parameters,
                                                       int                   timeout_ms,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
GRO_AVAILABLE_IN_ALL
void                gro_replica_write_property_async  (GroReplica           *replica,
                                                       const char           *name,
                                                       const GValue         *value,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GRO_AVAILABLE_IN_ALL
gboolean            gro_replica_write_property_finish (GroReplica           *replica,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
