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

/**
 * GroConnectionState:
 * @GRO_CONNECTION_STATE_CONNECTING: The connection is being made, or its
 *   greeting awaited.
 * @GRO_CONNECTION_STATE_CONNECTED: The host answers.
 * @GRO_CONNECTION_STATE_UNRESPONSIVE: The host has been silent past the
 *   heartbeat's limit; its replicas are suspect until it speaks again.
 * @GRO_CONNECTION_STATE_RECONNECTING: The connection was lost; the node will
 *   make it again, after [property@Gro.Node:reconnect-initial-delay] and
 *   longer waits.
 * @GRO_CONNECTION_STATE_CLOSED: The connection is gone for good: a stream
 *   handed in with [method@Gro.Node.connect_to_stream] ended, an address
 *   never worked, or the node never connected to it.
 *
 * The states of a node's connection to a host.
 *
 * Since: 1.0
 */
typedef enum
{
  GRO_CONNECTION_STATE_CONNECTING,
  GRO_CONNECTION_STATE_CONNECTED,
  GRO_CONNECTION_STATE_UNRESPONSIVE,
  GRO_CONNECTION_STATE_RECONNECTING,
  GRO_CONNECTION_STATE_CLOSED,
} GroConnectionState;

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
void          gro_node_close                    (GroNode              *node);
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
GroReplica   *gro_node_acquire                  (GroNode              *node,
                                                 GType                 replica_type,
                                                 const char           *name);
GRO_AVAILABLE_IN_ALL
GroListModelReplica *gro_node_acquire_model        (GroNode              *node,
                                                    const char           *name);
GRO_AVAILABLE_IN_ALL
void          gro_node_acquire_model_async      (GroNode              *node,
                                                 const char           *name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GRO_AVAILABLE_IN_ALL
GroListModelReplica *gro_node_acquire_model_finish (GroNode              *node,
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
GroConnectionState gro_node_get_connection_state (GroNode           *node,
                                                 const char           *url);
GRO_AVAILABLE_IN_ALL
gboolean      gro_node_set_tls_files            (GroNode              *node,
                                                 const char           *certificate_file,
                                                 const char           *key_file,
                                                 const char           *ca_file,
                                                 GError              **error);
GRO_AVAILABLE_IN_ALL
guint         gro_node_get_heartbeat_interval   (GroNode              *node);
GRO_AVAILABLE_IN_ALL
void          gro_node_set_heartbeat_interval   (GroNode              *node,
                                                 guint                 interval_ms);
GRO_AVAILABLE_IN_ALL
const char   *gro_node_get_registry_url         (GroNode              *node);
GRO_AVAILABLE_IN_ALL
void          gro_node_set_registry_url         (GroNode              *node,
                                                 const char           *url);
GRO_AVAILABLE_IN_ALL
GListModel   *gro_node_get_source_locations     (GroNode              *node);

G_END_DECLS
