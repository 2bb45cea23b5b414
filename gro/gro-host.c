/* gro-host.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <unistd.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "gro-address-private.h"
#include "gro-enum-types.h"
#include "gro-error.h"
#include "gro-peer-private.h"
#include "gro-host.h"
#include "gro-model-adapter-private.h"
#include "gro-node-private.h"
#include "gro-registry-host-private.h"
#include "gro-source-adapter-private.h"

/**
 * GroHost:
 *
 * A host is a [class@Gro.Node] that listens on one or more addresses and
 * shares objects, its sources, with the nodes that connect.
 *
 * ```c
 * g_autoptr(GroHost) host = gro_host_new ("local:thermostat", &error);
 *
 * if (host == NULL || !gro_host_enable_remoting (host, G_OBJECT (thermostat),
 *                                                "thermostat", &error))
 *   g_error ("%s", error->message);
 * ```
 *
 * Any GObject can be a source. Its readable properties are mirrored by the
 * replicas and every change is pushed to them; its writable properties can be
 * written from replicas; its signals are mirrored with their arguments; its
 * action signals are its methods, which replicas call. The host keeps a
 * reference to each source until [method@Gro.Host.disable_remoting].
 *
 * The host checks everything a peer sends against the source's schema before
 * the source sees it. A peer that breaks the protocol loses its connection;
 * the other peers are served on.
 *
 * Like any node, a host belongs to the main context it was created in.
 * Sources may change from other threads: their changes are sent from the
 * host's context.
 *
 * Since: 1.0
 */

typedef struct
{
  GroHost    *host;
  GroLink    *link;
  GroPeer    *info;           /* what the authorize signal sees */
  GHashTable *subscriptions;  /* object id -> GroSourceAdapter * (ref) */
  GHashTable *read_only;      /* object ids acquired read-only */
  GroAccess   access;         /* what authorize said when it connected */
  GHashTable *models;         /* object id -> GroModelSub *, owned */
  guint32     next_item_id;   /* for list items, see GRO_ITEM_ID_BIT */
} GroHostPeer;

typedef struct
{
  GPtrArray      *listeners;   /* Listener *, owned */
  GMainContext   *wait_context; /* a sync wait of this thread's, running the host; or NULL */
  GPtrArray      *urls;        /* char *, as bound */
  GPtrArray      *socket_paths;/* char *, files this host created */
  GHashTable     *adapters;    /* name -> GroSourceAdapter * */
  GHashTable     *models;      /* name -> GroModelAdapter *, shared lists */
  GPtrArray      *peers;       /* GroHostPeer *, owned */
  gboolean        allow_other_users;
  GTlsAuthenticationMode tls_mode;
  GHashTable     *published;   /* name -> PublishState, for the registry */
} GroHostPrivate;

/* Where a source stands with the registry. A refused name is not offered
 * again when the registry comes back, so the host that has it keeps it. */
typedef enum
{
  PUBLISH_PENDING = 1,
  PUBLISH_ACCEPTED,
  PUBLISH_REFUSED,
} PublishState;

#define PRIV(host) ((GroHostPrivate *) gro_host_get_instance_private (host))

/* A listening socket. Its accepting source is the host's own, not a
 * GSocketService's, so that a sync wait of the same thread can move it to
 * its context, as it moves the host's connections: a node of this thread
 * that connects during its wait is then accepted. */
typedef struct
{
  GroHost  *host;      /* not owned: the host owns its listeners */
  GSocket  *socket;
  gboolean  tls;       /* a tls:// address */
  GSource  *source;
} Listener;

enum {
  PROP_0,
  PROP_ALLOW_OTHER_USERS,
  PROP_TLS_AUTHENTICATION_MODE,
  N_PROPS
};

enum {
  AUTHORIZE,
  PUBLISH_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE_WITH_PRIVATE (GroHost, gro_host, GRO_TYPE_NODE)

static const GroLinkHandler host_link_handler;
static void listener_attach (Listener     *listener,
                             GMainContext *context);

/* Every host, so that a node's sync wait can run the hosts of its own
 * thread (see _gro_hosts_move_links()). */
G_LOCK_DEFINE_STATIC (all_hosts);
static GPtrArray *all_hosts;

/* Moves the connections and listening sockets of every host whose
 * context is @home, but @except, to @to. A node's sync wait runs only its own context; a host of
 * the same thread must answer in it too, or a call to it would wait for
 * ever. */
void
_gro_hosts_move_links (GMainContext *home,
                       GMainContext *to,
                       GroNode      *except)
{
  G_LOCK (all_hosts);
  for (guint i = 0; all_hosts != NULL && i < all_hosts->len; i++)
    {
      GroHost *host = all_hosts->pdata[i];

      if (GRO_NODE (host) == except || gro_node_get_context (GRO_NODE (host)) != home)
        continue;
      PRIV (host)->wait_context = to != home ? to : NULL;
      for (guint k = 0; k < PRIV (host)->peers->len; k++)
        gro_link_set_io_context (((GroHostPeer *) PRIV (host)->peers->pdata[k])->link, to);
      for (guint k = 0; k < PRIV (host)->listeners->len; k++)
        listener_attach (PRIV (host)->listeners->pdata[k], to);
    }
  G_UNLOCK (all_hosts);
}

static GroAccess authorize (GroHost    *self,
                            GroPeer    *info,
                            const char *source_name);

static void
peer_subscribe (GroHostPeer      *peer,
                guint32           object_id,
                GroSourceAdapter *adapter,
                const char       *known_hash)
{
  if (gro_source_adapter_subscribe (adapter, peer->link, object_id, known_hash))
    g_hash_table_insert (peer->subscriptions, GUINT_TO_POINTER (object_id),
                         gro_source_adapter_ref (adapter));
}

static void
peer_unsubscribe (GroHostPeer *peer,
                  guint32      object_id)
{
  GroSourceAdapter *adapter = g_hash_table_lookup (peer->subscriptions,
                                                   GUINT_TO_POINTER (object_id));

  if (adapter == NULL)
    return;
  gro_source_adapter_unsubscribe (adapter, peer->link, object_id);
  g_hash_table_remove (peer->subscriptions, GUINT_TO_POINTER (object_id));
}

static void
peer_free (GroHostPeer *peer)
{
  g_hash_table_unref (peer->models);
  g_hash_table_unref (peer->subscriptions);
  g_hash_table_unref (peer->read_only);
  g_clear_object (&peer->info);
  g_clear_pointer (&peer->link, gro_link_unref);
  g_free (peer);
}

static GVariant *
source_entry (GroSourceAdapter *adapter)
{
  GroSchema *schema = gro_source_adapter_get_schema (adapter);

  return g_variant_new ("(sss)", gro_source_adapter_get_name (adapter),
                        schema->type_name, schema->hash);
}

/* Lists are advertised, and published, with the type name "GListModel" and
 * no hash. */
#define LIST_TYPE_NAME "GListModel"

static GVariant *
model_entry (GroModelAdapter *model)
{
  return g_variant_new ("(sss)", gro_model_adapter_get_name (model), LIST_TYPE_NAME, "");
}

/* Object ids are the node's to choose, below GRO_ITEM_ID_BIT. */
static gboolean
check_new_object_id (GroHostPeer  *peer,
                     GroMessage   *message,
                     GError      **error)
{
  if (message->object == 0 || (message->object & GRO_ITEM_ID_BIT) != 0 ||
      g_hash_table_contains (peer->subscriptions, GUINT_TO_POINTER (message->object)) ||
      g_hash_table_contains (peer->models, GUINT_TO_POINTER (message->object)))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s acquired object %u, which is zero, in use, or the host's to choose",
                   gro_link_get_address (peer->link), message->object);
      return FALSE;
    }
  return TRUE;
}

static void
peer_send_sources (GroHostPeer *peer)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  GroSourceAdapter *adapter;
  GroModelAdapter *model;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  g_hash_table_iter_init (&iter, PRIV (peer->host)->adapters);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &adapter))
    g_variant_builder_add_value (&builder, source_entry (adapter));
  g_hash_table_iter_init (&iter, PRIV (peer->host)->models);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &model))
    g_variant_builder_add_value (&builder, model_entry (model));

  gro_link_send (peer->link, GRO_MESSAGE_SOURCES, 0, 0, 0, g_variant_builder_end (&builder));
}

static gboolean
peer_message (GroLink     *link,
              GroMessage  *message,
              gpointer     user_data,
              GError     **error)
{
  GroHostPeer *peer = user_data;
  GroSourceAdapter *adapter;
  GroAccess access;

  switch (message->kind)
    {
    case GRO_MESSAGE_ACQUIRE:
      {
        const char *name, *known_hash;

        if (!check_new_object_id (peer, message, error))
          return FALSE;

        g_variant_get (message->body, "(&s&s)", &name, &known_hash);
        adapter = g_hash_table_lookup (PRIV (peer->host)->adapters, name);
        access = adapter ? authorize (peer->host, peer->info, name) : GRO_ACCESS_DENIED;
        /* A source this peer may not see is, for it, not shared. */
        if (access == GRO_ACCESS_DENIED)
          gro_link_send (link, GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0, g_variant_new_string (name));
        else
          {
            if (access == GRO_ACCESS_READ_ONLY)
              g_hash_table_add (peer->read_only, GUINT_TO_POINTER (message->object));
            peer_subscribe (peer, message->object, adapter, known_hash);
          }
        return TRUE;
      }

    case GRO_MESSAGE_RELEASE:
      /* Items are let go with MODEL_RELEASE_ITEM, which counts. */
      if ((message->object & GRO_ITEM_ID_BIT) != 0)
        return TRUE;
      g_hash_table_remove (peer->read_only, GUINT_TO_POINTER (message->object));
      g_hash_table_remove (peer->models, GUINT_TO_POINTER (message->object));
      peer_unsubscribe (peer, message->object);
      return TRUE;

    case GRO_MESSAGE_MODEL_ACQUIRE:
      {
        GroModelAdapter *model;
        const char *name;
        guint32 window;

        if (!check_new_object_id (peer, message, error))
          return FALSE;

        g_variant_get (message->body, "(&su)", &name, &window);
        model = g_hash_table_lookup (PRIV (peer->host)->models, name);
        access = model ? authorize (peer->host, peer->info, name) : GRO_ACCESS_DENIED;
        if (access == GRO_ACCESS_DENIED)
          gro_link_send (link, GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0, g_variant_new_string (name));
        else
          {
            GroModelPeer mpeer = { link, peer->subscriptions, peer->read_only, &peer->next_item_id };

            g_hash_table_insert (peer->models, GUINT_TO_POINTER (message->object),
                                 gro_model_adapter_subscribe (model, &mpeer, message->object, window,
                                                              access == GRO_ACCESS_READ_ONLY));
          }
        return TRUE;
      }

    case GRO_MESSAGE_MODEL_FETCH:
    case GRO_MESSAGE_MODEL_RELEASE_ITEM:
      {
        GroModelSub *sub = g_hash_table_lookup (peer->models, GUINT_TO_POINTER (message->object));
        guint32 a, b;

        /* Released, or no longer shared: the node will know. */
        if (sub == NULL)
          return TRUE;

        g_variant_get (message->body, "(uu)", &a, &b);
        if (message->kind == GRO_MESSAGE_MODEL_FETCH)
          {
            gro_model_sub_fetch (sub, a, b);
            return TRUE;
          }
        return gro_model_sub_release_item (sub, a, b, error);
      }

    case GRO_MESSAGE_CALL:
    case GRO_MESSAGE_SET_PROPERTY:
      if (message->serial == 0)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "%s sent %s without a serial",
                       gro_link_get_address (link), gro_message_kind_to_string (message->kind));
          return FALSE;
        }

      gro_link_count_request (link);
      adapter = g_hash_table_lookup (peer->subscriptions, GUINT_TO_POINTER (message->object));
      if (gro_link_get_n_unanswered (link) > _gro_node_get_max_calls_in_flight (GRO_NODE (peer->host)))
        {
          g_autoptr(GError) busy = NULL;

          busy = g_error_new (GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                              "Too many calls in flight on this connection (the limit is %u)",
                              _gro_node_get_max_calls_in_flight (GRO_NODE (peer->host)));
          gro_link_send_error (link, message->serial, busy);
        }
      else if (adapter != NULL &&
               g_hash_table_contains (peer->read_only, GUINT_TO_POINTER (message->object)))
        {
          g_autoptr(GError) denied = NULL;

          denied = g_error_new (GRO_ERROR, GRO_ERROR_PERMISSION_DENIED,
                                "The source '%s' is shared read-only with this peer: %s refused",
                                gro_source_adapter_get_name (adapter),
                                message->kind == GRO_MESSAGE_CALL ? "calls are" : "writes are");
          gro_link_send_error (link, message->serial, denied);
        }
      else if (adapter == NULL)
        {
          g_autoptr(GError) unknown = NULL;

          unknown = g_error_new (GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE,
                                 "No source is acquired as object %u on this connection",
                                 message->object);
          gro_link_send_error (link, message->serial, unknown);
        }
      else if (message->kind == GRO_MESSAGE_CALL)
        gro_source_adapter_call (adapter, link, message);
      else
        gro_source_adapter_set_property (adapter, link, message);
      return TRUE;

    case GRO_MESSAGE_PUBLISH:
    case GRO_MESSAGE_UNPUBLISH:
    case GRO_MESSAGE_WATCH:
      if (GRO_IS_REGISTRY_HOST (peer->host))
        return _gro_registry_host_handle_message (GRO_REGISTRY_HOST (peer->host), link,
                                                  peer->access == GRO_ACCESS_FULL,
                                                  message, error);
      /* A node whose registry-url names a plain host: tell it, keep it. */
      if (message->kind != GRO_MESSAGE_UNPUBLISH)
        {
          g_autoptr(GError) refusal = NULL;

          if (message->serial == 0)
            {
              g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL, "%s sent %s without a serial",
                           gro_link_get_address (link),
                           gro_message_kind_to_string (message->kind));
              return FALSE;
            }
          gro_link_count_request (link);
          refusal = g_error_new (GRO_ERROR, GRO_ERROR_FAILED,
                                 "This host is not a registry");
          gro_link_send_error (link, message->serial, refusal);
        }
      return TRUE;

    default:
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s sent %s, which nodes do not send",
                   gro_link_get_address (link), gro_message_kind_to_string (message->kind));
      return FALSE;
    }
}

static void
peer_closed (GroLink      *link,
             const GError *error,
             gpointer      user_data)
{
  GroHostPeer *peer = user_data;
  GroHost *self = peer->host;
  GHashTableIter iter;
  gpointer id;
  GroSourceAdapter *adapter;

  g_hash_table_iter_init (&iter, peer->subscriptions);
  while (g_hash_table_iter_next (&iter, &id, (gpointer *) &adapter))
    gro_source_adapter_unsubscribe (adapter, link, GPOINTER_TO_UINT (id));
  g_hash_table_remove_all (peer->subscriptions);
  g_hash_table_remove_all (peer->models);

  if (GRO_IS_REGISTRY_HOST (self))
    _gro_registry_host_link_closed (GRO_REGISTRY_HOST (self), link);

  g_ptr_array_remove_fast (PRIV (self)->peers, peer);
  _gro_node_connection_closed (GRO_NODE (self), gro_link_get_address (link), error);
  peer_free (peer);
}

static const GroLinkHandler host_link_handler = {
  .message = peer_message,
  .closed = peer_closed,
};

static GroAccess
authorize (GroHost    *self,
           GroPeer    *info,
           const char *source_name)
{
  GroAccess access = GRO_ACCESS_FULL;

  g_signal_emit (self, signals[AUTHORIZE], 0, info, source_name, &access);
  return access;
}

/* The credentials of the process at the other end of a Unix socket; NULL
 * for anything else. */
static GCredentials *
peer_credentials (GIOStream *stream)
{
  GSocket *socket;

  if (!G_IS_SOCKET_CONNECTION (stream))
    return NULL;
  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
  if (g_socket_get_family (socket) != G_SOCKET_FAMILY_UNIX)
    return NULL;
  return g_socket_get_credentials (socket, NULL);
}

static gboolean
host_add_peer (GroHost     *self,
               GIOStream   *stream,
               const char  *address,
               GError     **error)
{
  g_autoptr(GCredentials) credentials = peer_credentials (stream);
  GTlsCertificate *certificate = G_IS_TLS_CONNECTION (stream)
    ? g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (stream)) : NULL;
  g_autoptr(GroPeer) info = _gro_peer_new (address, credentials, certificate);
  GroHostPeer *peer;
  GroAccess access;

  /* A TLS handshake may end after the host was closed. */
  if (!_gro_node_check_open (GRO_NODE (self), error))
    return FALSE;

  /* By default only this user's processes: another user's process could
   * reach a socket it may not (an abstract one, or one made 0666). */
  if (credentials != NULL && !PRIV (self)->allow_other_users &&
      g_credentials_get_unix_user (credentials, NULL) != getuid ())
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PERMISSION_DENIED,
                   "%s belongs to user %d, and this host accepts only its own user",
                   address, (int) g_credentials_get_unix_user (credentials, NULL));
      return FALSE;
    }
  access = authorize (self, info, NULL);
  if (access == GRO_ACCESS_DENIED)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PERMISSION_DENIED,
                   "The host's authorize handler refused %s", address);
      return FALSE;
    }

  peer = g_new0 (GroHostPeer, 1);
  peer->host = self;
  peer->access = access;
  peer->info = g_steal_pointer (&info);
  peer->subscriptions = g_hash_table_new_full (NULL, NULL, NULL,
                                               (GDestroyNotify) gro_source_adapter_unref);
  peer->read_only = g_hash_table_new (NULL, NULL);
  peer->models = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) gro_model_sub_free);
  peer->link = gro_link_new (stream, TRUE, address,
                             PRIV (self)->wait_context != NULL ? PRIV (self)->wait_context
                                                               : gro_node_get_context (GRO_NODE (self)),
                             &host_link_handler, peer, error);
  if (peer->link == NULL)
    {
      peer_free (peer);
      return FALSE;
    }

  g_ptr_array_add (PRIV (self)->peers, peer);
  /* Limits first: HELLO tells the peer this side's frame limit. */
  _gro_node_apply_settings (GRO_NODE (self), peer->link);
  gro_link_start (peer->link);
  peer_send_sources (peer);

  return TRUE;
}

void
_gro_host_apply_settings (GroHost *self)
{
  GPtrArray *peers = PRIV (self)->peers;

  for (guint i = 0; i < peers->len; i++)
    _gro_node_apply_settings (GRO_NODE (self), ((GroHostPeer *) peers->pdata[i])->link);
}

typedef struct
{
  GroHost *host;
  char    *address;
} Handshake;

/* A node's TLS handshake ended: a peer like any other, or one that failed
 * (an untrusted client certificate, a plain client at a TLS address). */
static void
on_server_handshake (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Handshake *handshake = user_data;
  g_autoptr(GIOStream) tls = G_IO_STREAM (source);
  g_autoptr(GError) error = NULL;

  if (!gro_tls_handshake_finish (tls, result, handshake->address, &error) ||
      !host_add_peer (handshake->host, tls, handshake->address, &error))
    {
      g_debug ("Refusing a connection: %s", error->message);
      g_io_stream_close (tls, NULL, NULL);
      _gro_node_connection_closed (GRO_NODE (handshake->host), handshake->address, error);
    }
  g_object_unref (handshake->host);
  g_free (handshake->address);
  g_free (handshake);
}

static void
host_incoming (GroHost           *self,
               GSocketConnection *connection,
               gboolean           tls_listener)
{
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;

  gro_connection_set_no_delay (connection);
  address = gro_address_describe_peer (connection, NULL);

  if (tls_listener)
    {
      GroTlsSettings settings;
      GIOStream *tls;
      Handshake *handshake;

      _gro_node_get_tls_settings (GRO_NODE (self), &settings);
      settings.mode = PRIV (self)->tls_mode;
      tls = gro_tls_server_new (connection, &settings, &error);
      if (tls == NULL)
        {
          _gro_node_connection_closed (GRO_NODE (self), address, error);
          return;
        }
      handshake = g_new0 (Handshake, 1);
      handshake->host = g_object_ref (self);
      handshake->address = g_steal_pointer (&address);
      /* In the host's own context, even when accepted during a wait: the
       * wait may end before the handshake, and its context with it. */
      g_main_context_push_thread_default (gro_node_get_context (GRO_NODE (self)));
      gro_tls_handshake_async (tls, NULL, on_server_handshake, handshake);
      g_main_context_pop_thread_default (gro_node_get_context (GRO_NODE (self)));
      return;
    }

  if (!host_add_peer (self, G_IO_STREAM (connection), address, &error))
    {
      g_debug ("Refusing a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      _gro_node_connection_closed (GRO_NODE (self), address, error);
    }
}

/* Takes what has queued on a listening socket, at most a batch a wakeup so
 * that a flood of connections cannot starve the host's other work. */
static gboolean
on_acceptable (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  Listener *listener = user_data;
  g_autoptr(GroHost) self = g_object_ref (listener->host);
  gboolean tls = listener->tls;

  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) accepted = g_socket_accept (socket, NULL, &error);
      g_autoptr(GSocketConnection) connection = NULL;

      if (accepted == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_debug ("Accepting a connection failed: %s", error->message);
          break;
        }
      connection = g_socket_connection_factory_create_connection (accepted);
      host_incoming (self, connection, tls);
      /* Handling it may have closed the host, and this listener with it. */
      if (PRIV (self)->listeners->len == 0)
        break;
    }
  return G_SOURCE_CONTINUE;
}

/* Accepts in @context from now on. */
static void
listener_attach (Listener     *listener,
                 GMainContext *context)
{
  if (listener->source != NULL)
    {
      g_source_destroy (listener->source);
      g_source_unref (listener->source);
    }
  listener->source = g_socket_create_source (listener->socket, G_IO_IN, NULL);
  g_source_set_callback (listener->source, G_SOURCE_FUNC (on_acceptable), listener, NULL);
  g_source_set_name (listener->source, "[gro] host accept");
  g_source_attach (listener->source, context);
}

static void
listener_free (gpointer data)
{
  Listener *listener = data;

  g_source_destroy (listener->source);
  g_source_unref (listener->source);
  g_socket_close (listener->socket, NULL);
  g_object_unref (listener->socket);
  g_free (listener);
}

/* ------------------------------------------------------------------------ */
/* Publishing in the registry                                                */

typedef struct
{
  GroHost *host;
  char    *name;
  GError  *error;
} PublishCall;

static void
publish_call_free (gpointer data)
{
  PublishCall *call = data;

  g_object_unref (call->host);
  g_free (call->name);
  g_clear_error (&call->error);
  g_free (call);
}

static void
publish_failed_run (gpointer data)
{
  PublishCall *call = data;

  g_signal_emit (call->host, signals[PUBLISH_FAILED], 0, call->name, call->error);
}

/* Tells the application, in order with what else it hears. */
static void
host_publish_failed (GroHost      *self,
                     const char   *name,
                     const GError *error)
{
  PublishCall *call = g_new0 (PublishCall, 1);

  g_debug ("The registry refused '%s': %s", name, error->message);
  call->host = g_object_ref (self);
  call->name = g_strdup (name);
  call->error = g_error_copy (error);
  _gro_node_defer (GRO_NODE (self), publish_failed_run, call, publish_call_free);
}

static void
on_publish_reply (GVariant     *result,
                  const GError *error,
                  gpointer      user_data)
{
  PublishCall *call = user_data;
  GHashTable *published = PRIV (call->host)->published;

  /* Lost with the link: published again when the registry is back. */
  if (error != NULL && g_error_matches (error, GRO_ERROR, GRO_ERROR_DISCONNECTED))
    ;
  else if (GPOINTER_TO_INT (g_hash_table_lookup (published, call->name)) == PUBLISH_PENDING)
    {
      g_hash_table_insert (published, g_strdup (call->name),
                           GINT_TO_POINTER (error ? PUBLISH_REFUSED : PUBLISH_ACCEPTED));
      if (error != NULL)
        host_publish_failed (call->host, call->name, error);
    }
  publish_call_free (call);
}

static void
host_send_publish (GroHost    *self,
                   GroLink    *link,
                   const char *name,
                   const char *type_name)
{
  const char *url = gro_host_get_url (self);
  PublishCall *call;

  if (url == NULL ||
      GPOINTER_TO_INT (g_hash_table_lookup (PRIV (self)->published, name)) == PUBLISH_REFUSED)
    return;

  g_hash_table_insert (PRIV (self)->published, g_strdup (name), GINT_TO_POINTER (PUBLISH_PENDING));
  call = g_new0 (PublishCall, 1);
  call->host = g_object_ref (self);
  call->name = g_strdup (name);
  gro_link_call (link, GRO_MESSAGE_PUBLISH, 0, 0,
                 g_variant_new ("(sss)", name, type_name, url),
                 on_publish_reply, call);
}

/* A source or a list is shared: tell the registry, or be it. */
static void
host_publish (GroHost    *self,
              const char *name,
              const char *type_name)
{
  const char *url = gro_host_get_url (self);
  GroLink *link;

  if (GRO_IS_REGISTRY_HOST (self))
    {
      g_autoptr(GError) error = NULL;

      if (url != NULL &&
          !_gro_registry_host_publish_local (GRO_REGISTRY_HOST (self), name, type_name,
                                             url, &error))
        host_publish_failed (self, name, error);
      return;
    }

  g_hash_table_remove (PRIV (self)->published, name);
  link = _gro_node_get_registry_link (GRO_NODE (self));
  if (link != NULL)
    host_send_publish (self, link, name, type_name);
}

static void
host_publish_all (GroHost *self,
                  GroLink *link)
{
  GHashTableIter iter;
  GroSourceAdapter *adapter;
  const char *name;

  g_hash_table_iter_init (&iter, PRIV (self)->adapters);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &adapter))
    {
      const char *type_name = gro_source_adapter_get_schema (adapter)->type_name;

      if (link != NULL)
        host_send_publish (self, link, name, type_name);
      else
        host_publish (self, name, type_name);
    }

  g_hash_table_iter_init (&iter, PRIV (self)->models);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      if (link != NULL)
        host_send_publish (self, link, name, LIST_TYPE_NAME);
      else
        host_publish (self, name, LIST_TYPE_NAME);
    }
}

/* The node side of the host reached its registry, again perhaps. */
void
_gro_host_registry_opened (GroHost *self,
                           GroLink *link)
{
  host_publish_all (self, link);
}

/* Another registry: names the old one refused may be offered to it. */
void
_gro_host_registry_reset (GroHost *self)
{
  g_hash_table_remove_all (PRIV (self)->published);
}

static void
host_unpublish (GroHost    *self,
                const char *name)
{
  GroLink *link;

  if (GRO_IS_REGISTRY_HOST (self))
    {
      _gro_registry_host_unpublish_local (GRO_REGISTRY_HOST (self), name);
      return;
    }

  g_hash_table_remove (PRIV (self)->published, name);
  link = _gro_node_get_registry_link (GRO_NODE (self));
  if (link != NULL)
    gro_link_send (link, GRO_MESSAGE_UNPUBLISH, 0, 0, 0, g_variant_new_string (name));
}

/* ------------------------------------------------------------------------ */
/* Listening                                                                 */

/* A socket file left by a process that died refuses connections; it may be
 * replaced. One that accepts belongs to a live host. */
static gboolean
clear_stale_socket (const char  *path,
                    const char  *url,
                    GError     **error)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return TRUE;

  if (!S_ISSOCK (st.st_mode))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                   "Cannot listen on %s: %s exists and is not a socket", url, path);
      return FALSE;
    }

  client = g_socket_client_new ();
  address = g_unix_socket_address_new (path);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, NULL);
  if (connection != NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                   "Cannot listen on %s: another process is listening there", url);
      return FALSE;
    }

  g_unlink (path);
  return TRUE;
}

/**
 * gro_host_listen:
 * @host: a #GroHost
 * @url: an address: `tcp://HOST:PORT`, `unix:/PATH`, `local:NAME` (a socket
 *   named NAME in `$XDG_RUNTIME_DIR`) or `unix-abstract:NAME`
 * @error: return location for a #GError
 *
 * Listens on one more address. A TCP port of 0 picks a free port; read the
 * address actually bound with [method@Gro.Host.dup_urls]. Socket files the
 * host creates are readable and writable by their owner alone, and removed
 * when the host goes away; a stale socket file left by a dead process is
 * replaced.
 *
 * Plain TCP is not authenticated nor encrypted: anyone who can reach the port
 * can use the sources.
 *
 * Returns: %TRUE if the host listens on @url
 *
 * Since: 1.0
 */
gboolean
gro_host_listen (GroHost     *host,
                 const char  *url,
                 GError     **error)
{
  g_autoptr(GroAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;
  Listener *listener;
  gboolean is_file;

  g_return_val_if_fail (GRO_IS_HOST (host), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_gro_node_check_open (GRO_NODE (host), error))
    return FALSE;
  address = gro_address_parse (url, error);
  if (address == NULL)
    return FALSE;

  if (address->tls)
    {
      GroTlsSettings settings;

      _gro_node_get_tls_settings (GRO_NODE (host), &settings);
      if (settings.certificate == NULL)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ADDRESS,
                       "Cannot listen on %s: TLS needs a certificate; set "
                       "GroNode:tls-certificate first", url);
          return FALSE;
        }
    }

  is_file = address->kind == GRO_ADDRESS_UNIX || address->kind == GRO_ADDRESS_LOCAL;
  if (is_file)
    {
      g_autofree char *dir = g_path_get_dirname (address->path);

      if (address->kind == GRO_ADDRESS_LOCAL)
        g_mkdir_with_parents (dir, 0700);
      if (!clear_stale_socket (address->path, url, error))
        return FALSE;
    }

  socket_address = gro_address_to_socket_address (address, error);
  if (socket_address == NULL)
    return FALSE;

  socket = g_socket_new (g_socket_address_get_family (socket_address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_DEFAULT, &local_error);
  if (socket != NULL)
    {
      /* Many nodes may start at once; a Unix socket refuses a connection
       * at once (EAGAIN) when the backlog is full, it does not queue it. */
      g_socket_set_listen_backlog (socket, 1024);
      g_socket_set_blocking (socket, FALSE);
    }
  if (socket == NULL ||
      !g_socket_bind (socket, socket_address, TRUE, &local_error) ||
      !g_socket_listen (socket, &local_error) ||
      (bound = g_socket_get_local_address (socket, &local_error)) == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                   "Cannot listen on %s: %s", url, local_error->message);
      return FALSE;
    }

  listener = g_new0 (Listener, 1);
  listener->host = host;
  listener->socket = g_steal_pointer (&socket);
  listener->tls = address->tls;
  listener_attach (listener, gro_node_get_context (GRO_NODE (host)));
  g_ptr_array_add (PRIV (host)->listeners, listener);

  if (is_file)
    {
      if (g_chmod (address->path, 0600) != 0)
        g_debug ("Cannot restrict %s to its owner: %s", address->path, g_strerror (errno));
      g_ptr_array_add (PRIV (host)->socket_paths, g_strdup (address->path));
    }

  g_ptr_array_add (PRIV (host)->urls, gro_address_format_bound (address, bound));

  /* Sources shared before the host had an address are published now. */
  if (PRIV (host)->urls->len == 1)
    host_publish_all (host, NULL);
  return TRUE;
}

/**
 * gro_host_new:
 * @url: (nullable): the first address to listen on, or %NULL to listen on
 *   none yet
 * @error: return location for a #GError
 *
 * Creates a host in the thread-default main context, listening on @url. See
 * [method@Gro.Host.listen] for the addresses.
 *
 * Returns: (transfer full): a new #GroHost, or %NULL with @error set
 *
 * Since: 1.0
 */
GroHost *
gro_host_new (const char  *url,
              GError     **error)
{
  g_autoptr(GroHost) host = g_object_new (GRO_TYPE_HOST, NULL);

  if (url != NULL && !gro_host_listen (host, url, error))
    return NULL;

  return g_steal_pointer (&host);
}

/**
 * gro_host_get_url:
 * @host: a #GroHost
 *
 * Gets the first address the host listens on.
 *
 * Returns: (nullable): the address, with the real port for TCP
 *
 * Since: 1.0
 */
const char *
gro_host_get_url (GroHost *host)
{
  g_return_val_if_fail (GRO_IS_HOST (host), NULL);

  return PRIV (host)->urls->len > 0 ? PRIV (host)->urls->pdata[0] : NULL;
}

/**
 * gro_host_dup_urls:
 * @host: a #GroHost
 *
 * Lists the addresses the host listens on, with the real port where a TCP
 * address asked for port 0.
 *
 * Returns: (transfer full) (array zero-terminated=1): the addresses
 *
 * Since: 1.0
 */
char **
gro_host_dup_urls (GroHost *host)
{
  char **urls;

  g_return_val_if_fail (GRO_IS_HOST (host), NULL);

  urls = g_new0 (char *, PRIV (host)->urls->len + 1);
  for (guint i = 0; i < PRIV (host)->urls->len; i++)
    urls[i] = g_strdup (PRIV (host)->urls->pdata[i]);
  return urls;
}

/**
 * gro_host_add_stream:
 * @host: a #GroHost
 * @stream: a connected stream whose other end is a gro node
 * @error: return location for a #GError
 *
 * Serves a node over a stream the application connected itself: a pipe, an
 * SSH channel, one end of a socket pair. The stream's input and output must be
 * pollable.
 *
 * Returns: %TRUE if the stream was taken
 *
 * Since: 1.0
 */
gboolean
gro_host_add_stream (GroHost    *host,
                     GIOStream  *stream,
                     GError    **error)
{
  g_return_val_if_fail (GRO_IS_HOST (host), FALSE);
  g_return_val_if_fail (G_IS_IO_STREAM (stream), FALSE);

  return host_add_peer (host, stream, "a stream", error);
}

/* ------------------------------------------------------------------------ */
/* Sources                                                                   */

/**
 * gro_host_enable_remoting:
 * @host: a #GroHost
 * @object: the object to share
 * @name: the name to share it under
 * @error: return location for a #GError
 *
 * Shares @object under @name with every node connected now or later.
 *
 * Every readable property, signal and action signal of the object's class
 * and its ancestors below #GObject must have a type gro can carry (see
 * `doc/values.md`); otherwise this fails with %GRO_ERROR_UNSUPPORTED_TYPE
 * and a message that names the member.
 *
 * Returns: %TRUE if the object is shared
 *
 * Since: 1.0
 */
gboolean
gro_host_enable_remoting (GroHost     *host,
                          GObject     *object,
                          const char  *name,
                          GError     **error)
{
  GroSourceAdapter *adapter;
  g_autoptr(GVariant) entry = NULL;

  g_return_val_if_fail (GRO_IS_HOST (host), FALSE);
  g_return_val_if_fail (G_IS_OBJECT (object), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_gro_node_check_open (GRO_NODE (host), error))
    return FALSE;
  if (name[0] == '\0' || strlen (name) > 255 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS,
                   "A source name must be 1 to 255 bytes of UTF-8");
      return FALSE;
    }

  if (g_hash_table_contains (PRIV (host)->adapters, name) ||
      g_hash_table_contains (PRIV (host)->models, name))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_NAME_IN_USE,
                   "A source is already shared under the name '%s'", name);
      return FALSE;
    }

  adapter = gro_source_adapter_new (object, name, gro_node_get_context (GRO_NODE (host)),
                                    _gro_node_get_max_schema_members (GRO_NODE (host)), error);
  if (adapter == NULL)
    return FALSE;

  g_hash_table_insert (PRIV (host)->adapters, g_strdup (name), adapter);
  host_publish (host, name, gro_source_adapter_get_schema (adapter)->type_name);

  entry = g_variant_ref_sink (source_entry (adapter));
  for (guint i = 0; i < PRIV (host)->peers->len; i++)
    {
      GroHostPeer *peer = PRIV (host)->peers->pdata[i];
      gro_link_send (peer->link, GRO_MESSAGE_SOURCE_ADDED, 0, 0, 0, entry);
    }

  return TRUE;
}

static gboolean
check_name (GroHost     *host,
            const char  *name,
            GError     **error)
{
  if (name[0] == '\0' || strlen (name) > 255 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS,
                   "A source name must be 1 to 255 bytes of UTF-8");
      return FALSE;
    }

  if (g_hash_table_contains (PRIV (host)->adapters, name) || g_hash_table_contains (PRIV (host)->models, name))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_NAME_IN_USE,
                   "A source is already shared under the name '%s'", name);
      return FALSE;
    }

  return TRUE;
}

/**
 * gro_host_enable_model_remoting:
 * @host: a #GroHost
 * @model: the list to share
 * @name: the name to share it under
 * @error: return location for a #GError
 *
 * Shares a list model under @name, which nodes acquire with
 * [method@Gro.Node.acquire_model] as a [class@Gro.ListModelReplica]: a
 * [iface@Gio.ListModel] that stays in step with @model. Every
 * [signal@Gio.ListModel::items-changed] of @model reaches the replicas as it
 * was emitted, with the data of the items it adds, and each item is shared
 * as a source of its own while a replica holds it: its properties follow the
 * item, and replicas write them and call its methods.
 *
 * Names are shared by sources and lists: a list cannot take the name of a
 * source. The items' class and its ancestors below #GObject must have
 * members gro can carry, as for [method@Gro.Host.enable_remoting]; the item
 * type of @model is checked now when it is a class that can be instantiated.
 * @model must be changed in the host's main context. Stop sharing it with
 * [method@Gro.Host.disable_remoting].
 *
 * See `doc/list-model.md`.
 *
 * Returns: %TRUE if the list is shared
 *
 * Since: 1.0
 */
gboolean
gro_host_enable_model_remoting (GroHost     *host,
                                GListModel  *model,
                                const char  *name,
                                GError     **error)
{
  GroModelAdapter *adapter;
  g_autoptr(GVariant) entry = NULL;

  g_return_val_if_fail (GRO_IS_HOST (host), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (model), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_gro_node_check_open (GRO_NODE (host), error) || !check_name (host, name, error))
    return FALSE;

  adapter = gro_model_adapter_new (model, name, gro_node_get_context (GRO_NODE (host)),
                                   _gro_node_get_max_schema_members (GRO_NODE (host)), error);
  if (adapter == NULL)
    return FALSE;

  g_hash_table_insert (PRIV (host)->models, g_strdup (name), adapter);

  entry = g_variant_ref_sink (model_entry (adapter));
  for (guint i = 0; i < PRIV (host)->peers->len; i++)
    {
      GroHostPeer *peer = PRIV (host)->peers->pdata[i];
      gro_link_send (peer->link, GRO_MESSAGE_SOURCE_ADDED, 0, 0, 0, entry);
    }
  host_publish (host, name, LIST_TYPE_NAME);

  return TRUE;
}

static gboolean
disable_model (GroHost    *host,
               const char *name)
{
  g_autoptr(GroModelAdapter) adapter = NULL;
  g_autoptr(GVariant) body = NULL;
  g_autofree char *key = NULL;

  if (!g_hash_table_steal_extended (PRIV (host)->models, name, (gpointer *) &key,
                                    (gpointer *) &adapter))
    return FALSE;

  gro_model_adapter_withdraw (adapter);
  host_unpublish (host, name);
  body = g_variant_ref_sink (g_variant_new_string (name));
  for (guint i = 0; i < PRIV (host)->peers->len; i++)
    {
      GroHostPeer *peer = PRIV (host)->peers->pdata[i];
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, peer->models);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (gro_model_sub_get_adapter (value) == adapter)
          g_hash_table_iter_remove (&iter);

      gro_link_send (peer->link, GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0, body);
    }

  return TRUE;
}

/**
 * gro_host_disable_remoting:
 * @host: a #GroHost
 * @name: the name a source is shared under
 *
 * Stops sharing a source. Its replicas go to %GRO_REPLICA_STATE_SUSPECT and
 * keep their last values; they become valid again if a source is shared under
 * the same name later. The host drops its reference to the object.
 *
 * Returns: %TRUE if a source was shared under @name
 *
 * Since: 1.0
 */
gboolean
gro_host_disable_remoting (GroHost    *host,
                           const char *name)
{
  g_autoptr(GroSourceAdapter) adapter = NULL;
  g_autoptr(GVariant) body = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (GRO_IS_HOST (host), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_hash_table_contains (PRIV (host)->models, name))
    return disable_model (host, name);

  if (!g_hash_table_steal_extended (PRIV (host)->adapters, name, (gpointer *) &key,
                                    (gpointer *) &adapter))
    return FALSE;

  body = g_variant_ref_sink (g_variant_new_string (name));
  for (guint i = 0; i < PRIV (host)->peers->len; i++)
    {
      GroHostPeer *peer = PRIV (host)->peers->pdata[i];
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, peer->subscriptions);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (value == adapter)
          g_hash_table_iter_remove (&iter);

      gro_link_send (peer->link, GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0, body);
    }

  host_unpublish (host, name);
  gro_source_adapter_withdraw (adapter);
  return TRUE;
}

/**
 * gro_host_get_source:
 * @host: a #GroHost
 * @name: the name a source is shared under
 *
 * Gets the object shared under @name.
 *
 * Returns: (transfer none) (nullable): the source, or %NULL
 *
 * Since: 1.0
 */
GObject *
gro_host_get_source (GroHost    *host,
                     const char *name)
{
  GroSourceAdapter *adapter;

  g_return_val_if_fail (GRO_IS_HOST (host), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  adapter = g_hash_table_lookup (PRIV (host)->adapters, name);
  return adapter ? gro_source_adapter_get_object (adapter) : NULL;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

/* Stops listening, closes every peer's link and withdraws every source:
 * for gro_node_close(), and when the host goes. */
void
_gro_host_shutdown (GroHost *self)
{
  g_ptr_array_set_size (PRIV (self)->listeners, 0);

  for (guint i = 0; i < PRIV (self)->socket_paths->len; i++)
    g_unlink (PRIV (self)->socket_paths->pdata[i]);
  g_ptr_array_set_size (PRIV (self)->socket_paths, 0);

  while (PRIV (self)->peers->len > 0)
    gro_link_close (((GroHostPeer *) PRIV (self)->peers->pdata[0])->link, NULL);

  if (PRIV (self)->adapters != NULL)
    {
      GHashTableIter iter;
      GroSourceAdapter *adapter;

      g_hash_table_iter_init (&iter, PRIV (self)->adapters);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &adapter))
        gro_source_adapter_withdraw (adapter);
      g_hash_table_remove_all (PRIV (self)->adapters);
    }
  if (PRIV (self)->models != NULL)
    {
      GHashTableIter iter;
      GroModelAdapter *model;

      g_hash_table_iter_init (&iter, PRIV (self)->models);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &model))
        gro_model_adapter_withdraw (model);
      g_hash_table_remove_all (PRIV (self)->models);
    }
}

static void
gro_host_dispose (GObject *object)
{
  gro_node_close (GRO_NODE (object));

  G_OBJECT_CLASS (gro_host_parent_class)->dispose (object);
}

static void
gro_host_finalize (GObject *object)
{
  GroHost *self = GRO_HOST (object);

  G_LOCK (all_hosts);
  g_ptr_array_remove_fast (all_hosts, self);
  G_UNLOCK (all_hosts);

  g_ptr_array_unref (PRIV (self)->listeners);
  g_ptr_array_unref (PRIV (self)->urls);
  g_ptr_array_unref (PRIV (self)->socket_paths);
  g_hash_table_unref (PRIV (self)->adapters);
  g_ptr_array_unref (PRIV (self)->peers);
  g_hash_table_unref (PRIV (self)->published);
  g_hash_table_unref (PRIV (self)->models);

  G_OBJECT_CLASS (gro_host_parent_class)->finalize (object);
}

/**
 * gro_host_get_allow_other_users:
 * @host: a #GroHost
 *
 * Gets [property@Gro.Host:allow-other-users].
 *
 * Returns: whether other users' processes may connect over Unix sockets
 *
 * Since: 1.0
 */
gboolean
gro_host_get_allow_other_users (GroHost *host)
{
  g_return_val_if_fail (GRO_IS_HOST (host), FALSE);

  return PRIV (host)->allow_other_users;
}

/**
 * gro_host_set_allow_other_users:
 * @host: a #GroHost
 * @allow: whether other users' processes may connect over Unix sockets
 *
 * Sets [property@Gro.Host:allow-other-users]. It takes effect for the
 * connections that come next.
 *
 * Since: 1.0
 */
void
gro_host_set_allow_other_users (GroHost  *host,
                                gboolean  allow)
{
  g_return_if_fail (GRO_IS_HOST (host));

  allow = !!allow;
  if (PRIV (host)->allow_other_users == allow)
    return;
  PRIV (host)->allow_other_users = allow;
  g_object_notify_by_pspec (G_OBJECT (host), properties[PROP_ALLOW_OTHER_USERS]);
}

static void
gro_host_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ALLOW_OTHER_USERS:
      g_value_set_boolean (value, PRIV (GRO_HOST (object))->allow_other_users);
      break;
    case PROP_TLS_AUTHENTICATION_MODE:
      g_value_set_enum (value, PRIV (GRO_HOST (object))->tls_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_host_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_ALLOW_OTHER_USERS:
      gro_host_set_allow_other_users (GRO_HOST (object), g_value_get_boolean (value));
      break;
    case PROP_TLS_AUTHENTICATION_MODE:
      PRIV (GRO_HOST (object))->tls_mode = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Without a handler, every peer the host accepts may do everything. */
static GroAccess
authorize_default (GroHost    *self,
                   GroPeer    *peer,
                   const char *source_name)
{
  return GRO_ACCESS_FULL;
}

static gboolean
authorize_accumulator (GSignalInvocationHint *hint,
                       GValue                *return_accu,
                       const GValue          *handler_return,
                       gpointer               data)
{
  /* The first handler decides. */
  g_value_copy (handler_return, return_accu);
  return FALSE;
}

static void
gro_host_class_init (GroHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gro_host_dispose;
  object_class->finalize = gro_host_finalize;
  object_class->get_property = gro_host_get_property;
  object_class->set_property = gro_host_set_property;

  /**
   * GroHost:allow-other-users:
   *
   * Whether processes of other users may connect over a Unix socket. By
   * default they may not: the host reads each peer's credentials from the
   * kernel and refuses any other user with %GRO_ERROR_PERMISSION_DENIED.
   * Socket files the host creates are, besides, reachable by their owner
   * alone (mode 0600); abstract sockets have no mode, so this check is what
   * protects them. It says nothing about TCP peers: see
   * [signal@Gro.Host::authorize].
   *
   * Since: 1.0
   */
  properties[PROP_ALLOW_OTHER_USERS] =
    g_param_spec_boolean ("allow-other-users", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * GroHost:tls-authentication-mode:
   *
   * Whether nodes connecting to a `tls://` address must show a client
   * certificate (mutual TLS): %G_TLS_AUTHENTICATION_REQUIRED refuses those
   * that do not, or whose certificate [property@Gro.Node:tls-database] does
   * not vouch for. The certificate reaches [signal@Gro.Host::authorize]
   * through [method@Gro.Peer.get_certificate].
   *
   * Since: 1.0
   */
  properties[PROP_TLS_AUTHENTICATION_MODE] =
    g_param_spec_enum ("tls-authentication-mode", NULL, NULL, G_TYPE_TLS_AUTHENTICATION_MODE,
                       G_TLS_AUTHENTICATION_NONE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GroHost::authorize:
   * @host: the host
   * @peer: the peer asking
   * @source_name: (nullable): the source the peer acquires, or %NULL when it
   *   connects
   *
   * Asked when a peer connects (@source_name %NULL: %GRO_ACCESS_DENIED
   * closes the connection; for a [class@Gro.RegistryHost],
   * %GRO_ACCESS_READ_ONLY lets the peer look up sources but not publish
   * them) and each time it acquires a source (the source is
   * then, for that peer, not shared; %GRO_ACCESS_READ_ONLY lets it see the
   * source's properties and signals but refuses its calls and writes with
   * %GRO_ERROR_PERMISSION_DENIED). The first handler connected decides;
   * without a handler every peer the host accepts has full access.
   *
   * Decide from what the peer cannot forge: its credentials on a Unix
   * socket ([method@Gro.Peer.get_credentials]). A TCP address says little:
   * plain TCP is not authenticated.
   *
   * Returns: what @peer may do
   *
   * Since: 1.0
   */
  signals[AUTHORIZE] =
    g_signal_new_class_handler ("authorize", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (authorize_default), authorize_accumulator, NULL,
                                NULL, GRO_TYPE_ACCESS, 2, GRO_TYPE_PEER, G_TYPE_STRING);

  /**
   * GroHost::publish-failed:
   * @host: the host
   * @name: the source's name
   * @error: why the registry refused it: %GRO_ERROR_NAME_IN_USE when
   *   another host published the name first
   *
   * Emitted when the registry of [property@Gro.Node:registry-url] refuses
   * a source this host shares. The host still shares it with nodes that
   * connect to it, but nodes do not find it by the registry, and the host
   * does not offer the name to the registry again until the source is
   * enabled again.
   *
   * Since: 1.0
   */
  signals[PUBLISH_FAILED] =
    g_signal_new ("publish-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
gro_host_init (GroHost *self)
{
  PRIV (self)->urls = g_ptr_array_new_with_free_func (g_free);
  PRIV (self)->socket_paths = g_ptr_array_new_with_free_func (g_free);
  PRIV (self)->adapters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) gro_source_adapter_unref);
  PRIV (self)->peers = g_ptr_array_new ();
  PRIV (self)->tls_mode = G_TLS_AUTHENTICATION_NONE;
  PRIV (self)->published = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PRIV (self)->listeners = g_ptr_array_new_with_free_func (listener_free);
  PRIV (self)->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) gro_model_adapter_unref);

  G_LOCK (all_hosts);
  if (all_hosts == NULL)
    all_hosts = g_ptr_array_new ();
  g_ptr_array_add (all_hosts, self);
  G_UNLOCK (all_hosts);
}
