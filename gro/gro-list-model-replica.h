/* gro-list-model-replica.h
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

#define GRO_TYPE_LIST_MODEL_REPLICA (gro_list_model_replica_get_type ())

GRO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (GroListModelReplica, gro_list_model_replica, GRO, LIST_MODEL_REPLICA, GObject)

GRO_AVAILABLE_IN_ALL
GroNode    *gro_list_model_replica_get_node        (GroListModelReplica  *list);
GRO_AVAILABLE_IN_ALL
const char *gro_list_model_replica_get_name        (GroListModelReplica  *list);
GRO_AVAILABLE_IN_ALL
gboolean    gro_list_model_replica_is_valid        (GroListModelReplica  *list);
GRO_AVAILABLE_IN_ALL
gboolean    gro_list_model_replica_wait_for_source (GroListModelReplica  *list,
                                                    int                   timeout_ms,
                                                    GError              **error);
GRO_AVAILABLE_IN_ALL
guint       gro_list_model_replica_get_prefetch    (GroListModelReplica  *list);
GRO_AVAILABLE_IN_ALL
void        gro_list_model_replica_set_prefetch    (GroListModelReplica  *list,
                                                    guint                 prefetch);
GRO_AVAILABLE_IN_ALL
guint       gro_list_model_replica_get_max_cached  (GroListModelReplica  *list);
GRO_AVAILABLE_IN_ALL
void        gro_list_model_replica_set_max_cached  (GroListModelReplica  *list,
                                                    guint                 max_cached);
GRO_AVAILABLE_IN_ALL
guint       gro_list_model_replica_get_n_cached    (GroListModelReplica  *list);
GRO_AVAILABLE_IN_ALL
gboolean    gro_list_model_replica_is_item_loaded  (GroListModelReplica  *list,
                                                    guint                 position);

G_END_DECLS
