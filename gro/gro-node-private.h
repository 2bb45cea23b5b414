/* gro-node-private.h: what the node shares with its host, mirrors and replicas
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-node.h"
#include "gro-host.h"
#include "gro-link-private.h"
#include "gro-source-location.h"
#include "gro-tls-private.h"

G_BEGIN_DECLS

typedef struct _GroMirror GroMirror;
typedef struct _GroNodeTarget GroNodeTarget;

/* The node's side of a link to a host. */
typedef struct
{
  GroNode    *node;
  GroLink    *link;
  char       *url;       /* what it was connected to; NULL for a handed-in stream */
  GroNodeTarget *target; /* what reconnects it; NULL for a handed-in stream */
  GHashTable *sources;   /* name -> type name, as the host advertises */
  gboolean    sources_known;  /* SOURCES arrived */
  GHashTable *objects;   /* object id -> GroMirror *, not owned */
  GTask      *handshake_task;   /* connect_to_node_async() waiting for HELLO */
  gboolean    watching;  /* WATCH sent: the peer is this node's registry */
} GroNodeLink;

/* An address the node keeps connected: made by connect_to_node(), it
 * reconnects with exponential backoff once it has been connected. */
struct _GroNodeTarget
{
  GroNode       *node;
  char          *url;
  GroNodeLink   *nlink;           /* NULL while disconnected */
  gboolean       connected_once;  /* a HELLO came: failures retry from now on */
  struct _Attempt *attempt;       /* a connection being made */
  GSource       *retry_source;
  guint          delay_ms;        /* before the next attempt */
  gboolean       is_registry;     /* the node's registry: always retried */
  gboolean       from_registry;   /* made for a location: retried while it lasts */
};

/* The node's state, shared by gro-node.c and gro-node-registry.c. */
typedef struct
{
  GMainContext *context;
  GPtrArray    *links;            /* GroNodeLink *, owned */
  GHashTable   *mirrors;          /* name -> GroMirror *, not owned */
  guint32       next_object_id;
  guint         hold;
  GQueue        effects;
  GSource      *drain_source;
  guint         max_dynamic_types;
  guint         type_budget;
  GPtrArray    *targets;          /* GroNodeTarget *, owned */
  guint         heartbeat_ms;
  guint         reconnect_initial_ms;
  guint         reconnect_max_ms;
  guint         max_frame_size;
  guint         max_queued_bytes;
  guint         max_calls_in_flight;
  guint         max_nesting_depth;
  guint         max_schema_members;
  GTlsCertificate *tls_certificate;
  GTlsDatabase    *tls_database;
  GTlsCertificate *tls_pinned;
  char            *registry_url;
  GroNodeTarget   *registry_target;   /* NULL without a registry */
  gboolean         closed;            /* gro_node_close(): no links, ever again */
  GHashTable      *locations;         /* name -> GroSourceLocation *, as routed */
  GListStore      *location_store;    /* what the application sees; made on first use */
  GMainContext    *wait_context;      /* a sync wait's, while one runs */
  gint64           wait_deadline;     /* monotonic, µs; -1 for none */
} GroNodePrivate;

/* Bounds on what a registry takes from one link, and a node from its
 * registry. */
#define GRO_REGISTRY_MAX_URL_LENGTH     1024
#define GRO_REGISTRY_MAX_PER_LINK       4096
#define GRO_REGISTRY_MAX_LOCATIONS      65536

/* A result that another thread, or a private main loop, waits for. */
typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GCond            cond;
  gboolean         done;
  GVariant        *result;
  GError          *error;
} GroSyncSlot;

typedef void (*GroEffectFunc) (gpointer data);

GroSyncSlot *_gro_sync_slot_new            (void);
GroSyncSlot *_gro_sync_slot_ref            (GroSyncSlot     *slot);
void         _gro_sync_slot_unref          (GroSyncSlot     *slot);
void         _gro_sync_slot_complete       (GroSyncSlot     *slot,
                                            GVariant        *result,
                                            const GError    *error);
gboolean     _gro_sync_slot_is_done        (GroSyncSlot     *slot);
gboolean     _gro_sync_slot_finish         (GroSyncSlot     *slot,
                                            gboolean         waited,
                                            GError          *wait_error,
                                            const char      *what,
                                            GError         **error);

gboolean     _gro_node_wait                (GroNode         *node,
                                            GroSyncSlot     *slot,
                                            gint64           deadline,
                                            GCancellable    *cancellable,
                                            GError         **error);
gint64       _gro_deadline_from_timeout    (int              timeout_ms);

void         _gro_node_defer               (GroNode         *node,
                                            GroEffectFunc    func,
                                            gpointer         data,
                                            GDestroyNotify   destroy);
void         _gro_node_notify              (GroNode         *node,
                                            GObject         *object,
                                            GParamSpec      *pspec);
void         _gro_node_emit                (GroNode         *node,
                                            GObject         *instance,
                                            guint            signal_id,
                                            const GValue    *args,
                                            guint            n_args);
void         _gro_node_return_task         (GroNode         *node,
                                            GTask           *task,
                                            gpointer         result,
                                            GDestroyNotify   result_destroy,
                                            const GError    *error);

void         _gro_node_hold                (GroNode         *node);
void         _gro_node_release             (GroNode         *node);
guint       *_gro_node_get_type_budget     (GroNode         *node);
void         _gro_node_apply_settings      (GroNode         *node,
                                            GroLink         *link);
guint        _gro_node_get_max_calls_in_flight (GroNode     *node);
guint        _gro_node_get_max_schema_members  (GroNode     *node);
void         _gro_host_apply_settings      (GroHost         *host);
void         _gro_host_shutdown            (GroHost         *host);
void         _gro_hosts_move_links         (GMainContext    *home,
                                            GMainContext    *to,
                                            GroNode         *except);
gboolean     _gro_node_check_open          (GroNode         *node,
                                            GError         **error);
void         _gro_node_get_tls_settings    (GroNode         *node,
                                            GroTlsSettings  *settings);
void         _gro_node_detach_mirror       (GroMirror       *mirror);
void         _gro_node_forget_mirror       (GroNode         *node,
                                            GroMirror       *mirror);
void         _gro_node_connection_closed   (GroNode         *node,
                                            const char      *address,
                                            const GError    *error);
void         _gro_node_disconnect_all      (GroNode         *node);

GroNodePrivate *_gro_node_get_private      (GroNode         *node);
void         _gro_node_emit_source_location (GroNode         *node,
                                             GroSourceLocation *location,
                                             gboolean         added);

/* Targets, in gro-node.c */
GroNodeTarget *_gro_node_find_target       (GroNode         *node,
                                            const char      *url);
GroNodeTarget *_gro_node_target_new        (GroNode         *node,
                                            const char      *url);
void         _gro_node_target_remove       (GroNodeTarget   *target);
void         _gro_node_target_connect      (GroNodeTarget   *target);

/* The registry's locations, in gro-node-registry.c */
gboolean     _gro_node_target_wanted       (GroNodeTarget   *target);
void         _gro_node_connect_location    (GroNode         *node,
                                            const char      *name,
                                            gboolean         now);
void         _gro_node_registry_opened     (GroNodeLink     *nlink);
GroLink     *_gro_node_get_registry_link   (GroNode         *node);
void         _gro_node_location_add        (GroNode         *node,
                                            const char      *name,
                                            const char      *type_name,
                                            const char      *url);
void         _gro_node_location_remove     (GroNode         *node,
                                            const char      *name,
                                            const char      *url);
gboolean     _gro_registry_check_entry     (const char      *peer,
                                            const char      *name,
                                            const char      *type_name,
                                            const char      *url,
                                            GError         **error);

void         _gro_host_registry_opened     (GroHost         *host,
                                            GroLink         *link);
void         _gro_host_registry_reset      (GroHost         *host);

G_END_DECLS
