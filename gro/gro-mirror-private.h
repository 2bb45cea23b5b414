/* gro-mirror-private.h: a node's copy of one remote source
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-node-private.h"
#include "gro-replica.h"
#include "gro-schema-private.h"

G_BEGIN_DECLS

/* One per source name in a node. It owns what the node knows of the source:
 * the link that serves it, its schema and its property values. Replicas hold
 * references to it and show its values; it keeps them in a weak list. */
struct _GroMirror
{
  grefcount    ref_count;
  GroNode     *node;          /* kept alive by the replicas */
  char        *name;
  GroNodeLink *nlink;         /* NULL while no host serves it */
  guint32      object_id;     /* on nlink */
  gboolean     active;        /* INIT received on nlink */
  GroSchema   *schema;        /* as last received */
  GValue      *values;        /* schema order; NULL before the first INIT */
  GType        dynamic_type;  /* for dynamic replicas of the current schema */
  GPtrArray   *replicas;      /* GroReplica *, not owned */
  struct _GroReplicaMaps *maps; /* the last replica maps made, shared (ref) */

  /* A list model's mirror routes its messages to the list replica
   * (gro-list-model-replica.c); each item the host sends has a mirror of its
   * own, under an id the host chose, which lives while replicas hold it. */
  gboolean     is_list;
  gpointer     list;          /* a list: its GroListModelReplica, not owned */
  guint        list_window;   /* a list: items the host sends at a time */
  GroMirror   *parent;        /* an item: its list's mirror (ref) */
  guint32      n_sent;        /* an item: times the host sent it */
};

GroMirror  *gro_mirror_new              (GroNode       *node,
                                         const char    *name);
GroMirror  *gro_mirror_ref              (GroMirror     *mirror);
void        gro_mirror_set_responsive   (GroMirror     *mirror,
                                         gboolean       responsive);
void        gro_mirror_unref            (GroMirror     *mirror);
GType       gro_mirror_get_dynamic_type (GroMirror     *mirror,
                                         GError       **error);
void        gro_mirror_add_replica      (GroMirror     *mirror,
                                         GroReplica    *replica);
void        gro_mirror_remove_replica   (GroMirror     *mirror,
                                         GroReplica    *replica);
gboolean    gro_mirror_handle_message   (GroMirror     *mirror,
                                         GroMessage    *message,
                                         GError       **error);
gboolean    gro_mirror_init_item        (GroMirror     *mirror,
                                         GVariant      *init,
                                         GError       **error);
void        gro_mirror_lost             (GroMirror     *mirror);
void        gro_mirror_fail             (GroMirror     *mirror,
                                         const GError  *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GroMirror, gro_mirror_unref)

G_END_DECLS
