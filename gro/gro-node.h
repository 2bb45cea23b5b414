/* gro-node.h
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

#define GRO_TYPE_NODE (gro_node_get_type ())

GRO_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GroNode, gro_node, GRO, NODE, GObject)

struct _GroNodeClass
{
  GObjectClass parent_class;

  /*< private >*/
  gpointer _reserved[16];
};

GRO_AVAILABLE_IN_ALL
GroNode      *gro_node_new                      (void);
GRO_AVAILABLE_IN_ALL
GMainContext *gro_node_get_context              (GroNode              *node);
GRO_AVAILABLE_IN_ALL
gboolean      gro_node_connect_to_node          (GroNode              *node,
                                                 const char           *url,
                                                 GError              **error);
GRO_AVAILABLE_IN_ALL
void          gro_node_connect_to_node_async    (GroNode              *node,
                                                 const char           *url,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GRO_AVAILABLE_IN_ALL
gboolean      gro_node_connect_to_node_finish   (GroNode              *node,
                                                 GAsyncResult         *result,
                                                 GError              **error);
GRO_AVAILABLE_IN_ALL
gboolean      gro_node_connect_to_stream        (GroNode              *node,
                                                 GIOStream            *stream,
                                                 GError              **error);
GRO_AVAILABLE_IN_ALL
GroReplica   *gro_node_acquire_dynamic          (GroNode              *node,
                                                 const char           *name);
GRO_AVAILABLE_IN_ALL
void          gro_node_acquire_dynamic_async    (GroNode              *node,
                                                 const char           *name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GRO_AVAILABLE_IN_ALL
GroReplica   *gro_node_acquire_dynamic_finish   (GroNode              *node,
                                                 GAsyncResult         *result,
                                                 GError              **error);
GRO_AVAILABLE_IN_ALL
char        **gro_node_dup_source_names         (GroNode              *node);
GRO_AVAILABLE_IN_ALL
guint         gro_node_get_max_dynamic_types    (GroNode              *node);
GRO_AVAILABLE_IN_ALL
void          gro_node_set_max_dynamic_types    (GroNode              *node,
                                                 guint                 max_types);
GRO_AVAILABLE_IN_ALL
guint         gro_node_get_heartbeat_interval   (GroNode              *node);
GRO_AVAILABLE_IN_ALL
void          gro_node_set_heartbeat_interval   (GroNode              *node,
                                                 guint                 interval_ms);

G_END_DECLS
