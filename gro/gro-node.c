/* gro-node.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "gro-address-private.h"
#include "gro-enum-types.h"
#include "gro-error.h"
#include "gro-host.h"
#include "gro-registry-host.h"
#include "gro-mirror-private.h"
#include "gro-list-model-replica-private.h"
#include "gro-node-private.h"
#include "gro-replica-private.h"
#include "gro-source-location-private.h"
#include "gro-tls-private.h"

/**
 * GroNode:
 *
 * A node connects to hosts and hands out replicas of the sources they share.
 *
 * ```c
 * g_autoptr(GroNode) node = gro_node_new ();
 * g_autoptr(GroReplica) thermostat = NULL;
 *
 * if (!gro_node_connect_to_node (node, "local:thermostat", &error))
 *   return FALSE;
 * thermostat = gro_node_acquire_dynamic (node, "thermostat");
 * g_signal_connect (thermostat, "notify::temperature", G_CALLBACK (show), NULL);
 * ```
 *
 * A node may be connected to several hosts; it acquires each source from a
 * host that advertises its name, and moves a replica to another such host when
 * its host goes away.
 *
 * A node belongs to the thread-default main context it was created in: its
 * connections run there, and its replicas change and emit signals there. Use
 * it from that context's thread; only [method@Gro.Replica.call_sync] and
 * [method@Gro.Replica.wait_for_source] may be called from other threads.
 *
 * Since: 1.0
 */

typedef struct
{
  GroEffectFunc   func;
  gpointer        data;
  GDestroyNotify  destroy;
} Effect;

/* One connection being made for a target, possibly for a caller's task. */
typedef struct _Attempt
{
  GroNodeTarget *target;          /* NULL once the target is gone */
  GTask         *task;            /* connect_to_node_async(), or NULL */
  GCancellable  *cancellable;
  GCancellable  *task_cancellable;/* the task's, owned by it */
  gulong         cancel_id;
} Attempt;

enum {
  PROP_0,
  PROP_MAX_DYNAMIC_TYPES,
  PROP_HEARTBEAT_INTERVAL,
  PROP_RECONNECT_INITIAL_DELAY,
  PROP_RECONNECT_MAX_DELAY,
  PROP_MAX_FRAME_SIZE,
  PROP_MAX_QUEUED_BYTES,
  PROP_MAX_CALLS_IN_FLIGHT,
  PROP_MAX_NESTING_DEPTH,
  PROP_MAX_SCHEMA_MEMBERS,
  PROP_TLS_CERTIFICATE,
  PROP_TLS_DATABASE,
  PROP_TLS_PINNED_CERTIFICATE,
  PROP_REGISTRY_URL,
  N_PROPS
};

enum {
  CONNECTION_CLOSED,
  CONNECTION_STATE_CHANGED,
  SOURCE_LOCATION_ADDED,
  SOURCE_LOCATION_REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define DEFAULT_MAX_DYNAMIC_TYPES 256
#define CONNECT_TIMEOUT_S         30
#define DEFAULT_RECONNECT_INITIAL 100    /* ms */
#define DEFAULT_RECONNECT_MAX     10000  /* ms */
#define DEFAULT_MAX_FRAME_SIZE    (16 * 1024 * 1024)
#define DEFAULT_MAX_QUEUED_BYTES  (16 * 1024 * 1024)
#define DEFAULT_MAX_CALLS         1024
#define DEFAULT_MAX_NESTING       64
#define DEFAULT_MAX_MEMBERS       1024

G_DEFINE_TYPE_WITH_PRIVATE (GroNode, gro_node, G_TYPE_OBJECT)

/* For gro-node-registry.c, which shares the node's state. */
GroNodePrivate *
_gro_node_get_private (GroNode *self)
{
  return gro_node_get_instance_private (self);
}

static const GroLinkHandler node_link_handler;

static void node_apply_settings_to_all (GroNode *self);
static void target_link_opened (GroNodeTarget *target);
static void target_link_closed (GroNodeTarget *target);
static void target_attempt (GroNodeTarget *target,
                            GTask         *task);

/* ------------------------------------------------------------------------ */
/* Sync slots                                                                */

GroSyncSlot *
_gro_sync_slot_new (void)
{
  GroSyncSlot *slot = g_new0 (GroSyncSlot, 1);

  g_atomic_ref_count_init (&slot->ref_count);
  g_mutex_init (&slot->mutex);
  g_cond_init (&slot->cond);

  return slot;
}

GroSyncSlot *
_gro_sync_slot_ref (GroSyncSlot *slot)
{
  g_atomic_ref_count_inc (&slot->ref_count);
  return slot;
}

void
_gro_sync_slot_unref (GroSyncSlot *slot)
{
  if (!g_atomic_ref_count_dec (&slot->ref_count))
    return;

  g_mutex_clear (&slot->mutex);
  g_cond_clear (&slot->cond);
  g_clear_pointer (&slot->result, g_variant_unref);
  g_clear_error (&slot->error);
  g_free (slot);
}

void
_gro_sync_slot_complete (GroSyncSlot  *slot,
                         GVariant     *result,
                         const GError *error)
{
  g_mutex_lock (&slot->mutex);
  if (!slot->done)
    {
      slot->done = TRUE;
      slot->result = result ? g_variant_ref (result) : NULL;
      slot->error = error ? g_error_copy (error) : NULL;
      g_cond_broadcast (&slot->cond);
    }
  g_mutex_unlock (&slot->mutex);
}

gboolean
_gro_sync_slot_is_done (GroSyncSlot *slot)
{
  gboolean done;

  g_mutex_lock (&slot->mutex);
  done = slot->done;
  g_mutex_unlock (&slot->mutex);

  return done;
}

/* The outcome of a wait for @slot, which this releases: @waited and
 * @wait_error are what the wait gave; the slot's own error, or a time-out
 * that names @what ("the source 'x'"), goes to @error. */
gboolean
_gro_sync_slot_finish (GroSyncSlot  *slot,
                       gboolean      waited,
                       GError       *wait_error,
                       const char   *what,
                       GError      **error)
{
  g_autoptr(GError) local_error = wait_error;
  gboolean ok = waited;

  if (ok && slot->error != NULL)
    {
      local_error = g_error_copy (slot->error);
      ok = FALSE;
    }
  else if (!ok && g_error_matches (local_error, GRO_ERROR, GRO_ERROR_TIMED_OUT))
    {
      g_clear_error (&local_error);
      g_set_error (&local_error, GRO_ERROR, GRO_ERROR_TIMED_OUT, "Timed out waiting for %s", what);
    }

  _gro_sync_slot_unref (slot);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

/* ------------------------------------------------------------------------ */
/* Effects: what runs code of the application's                              */

/* While a sync call waits, or while a message is half applied, nothing of the
 * application's may run: signal emissions, notifications and completions are
 * queued, and run in order from the node's main context afterwards. Once one
 * is queued, later ones queue behind it, so the order never changes. */

static void
effect_free (Effect *effect)
{
  if (effect->destroy != NULL)
    effect->destroy (effect->data);
  g_free (effect);
}

static gboolean
drain_effects (gpointer user_data)
{
  GroNode *self = user_data;
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  Effect *effect;

  g_clear_pointer (&priv->drain_source, g_source_unref);

  g_object_ref (self);
  while (priv->hold == 0 && (effect = g_queue_pop_head (&priv->effects)) != NULL)
    {
      effect->func (effect->data);
      effect_free (effect);
    }
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_drain (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  if (priv->drain_source != NULL || g_queue_is_empty (&priv->effects))
    return;

  priv->drain_source = g_idle_source_new ();
  g_source_set_priority (priv->drain_source, G_PRIORITY_HIGH);
  g_source_set_callback (priv->drain_source, drain_effects, self, NULL);
  g_source_set_name (priv->drain_source, "[gro] node effects");
  g_source_attach (priv->drain_source, priv->context);
}

static gboolean
can_run_now (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  return priv->hold == 0 && g_queue_is_empty (&priv->effects);
}

void
_gro_node_hold (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  priv->hold++;
}

void
_gro_node_release (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  g_assert (priv->hold > 0);
  if (--priv->hold == 0)
    schedule_drain (self);
}

void
_gro_node_defer (GroNode        *self,
                 GroEffectFunc   func,
                 gpointer        data,
                 GDestroyNotify  destroy)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  Effect *effect;

  if (can_run_now (self))
    {
      func (data);
      if (destroy != NULL)
        destroy (data);
      return;
    }

  effect = g_new (Effect, 1);
  effect->func = func;
  effect->data = data;
  effect->destroy = destroy;
  g_queue_push_tail (&priv->effects, effect);

  if (priv->hold == 0)
    schedule_drain (self);
}

typedef struct
{
  GObject    *object;
  GParamSpec *pspec;
} NotifyEffect;

static void
notify_effect_run (gpointer data)
{
  NotifyEffect *effect = data;

  g_object_notify_by_pspec (effect->object, effect->pspec);
}

static void
notify_effect_free (gpointer data)
{
  NotifyEffect *effect = data;

  g_object_unref (effect->object);
  g_param_spec_unref (effect->pspec);
  g_free (effect);
}

void
_gro_node_notify (GroNode    *self,
                  GObject    *object,
                  GParamSpec *pspec)
{
  NotifyEffect *effect;

  if (can_run_now (self))
    {
      g_object_notify_by_pspec (object, pspec);
      return;
    }

  effect = g_new (NotifyEffect, 1);
  effect->object = g_object_ref (object);
  effect->pspec = g_param_spec_ref (pspec);
  _gro_node_defer (self, notify_effect_run, effect, notify_effect_free);
}

typedef struct
{
  guint   signal_id;
  guint   n_values;
  GValue *values;   /* the instance, then the arguments */
} EmitEffect;

static void
emit_effect_run (gpointer data)
{
  EmitEffect *effect = data;

  g_signal_emitv (effect->values, effect->signal_id, 0, NULL);
}

static void
emit_effect_free (gpointer data)
{
  EmitEffect *effect = data;

  for (guint i = 0; i < effect->n_values; i++)
    g_value_unset (&effect->values[i]);
  g_free (effect->values);
  g_free (effect);
}

void
_gro_node_emit (GroNode      *self,
                GObject      *instance,
                guint         signal_id,
                const GValue *args,
                guint         n_args)
{
  EmitEffect *effect;

  /* Nothing waits before it: emit with the caller's values, not copies. */
  if (n_args < 16 && can_run_now (self))
    {
      GValue values[17] = { G_VALUE_INIT };

      g_value_init_from_instance (&values[0], instance);
      memcpy (&values[1], args, n_args * sizeof (GValue));  /* borrowed */
      g_signal_emitv (values, signal_id, 0, NULL);
      g_value_unset (&values[0]);
      return;
    }

  effect = g_new0 (EmitEffect, 1);
  effect->signal_id = signal_id;
  effect->n_values = n_args + 1;
  effect->values = g_new0 (GValue, n_args + 1);
  g_value_init_from_instance (&effect->values[0], instance);
  for (guint i = 0; i < n_args; i++)
    {
      g_value_init (&effect->values[i + 1], G_VALUE_TYPE (&args[i]));
      g_value_copy (&args[i], &effect->values[i + 1]);
    }

  _gro_node_defer (self, emit_effect_run, effect, emit_effect_free);
}

typedef struct
{
  GTask          *task;
  gpointer        result;
  GDestroyNotify  result_destroy;
  GError         *error;
} TaskEffect;

static void
task_effect_run (gpointer data)
{
  TaskEffect *effect = data;

  if (effect->error != NULL)
    g_task_return_error (effect->task, g_steal_pointer (&effect->error));
  else
    g_task_return_pointer (effect->task, g_steal_pointer (&effect->result),
                           effect->result_destroy);
}

static void
task_effect_free (gpointer data)
{
  TaskEffect *effect = data;

  if (effect->result != NULL && effect->result_destroy != NULL)
    effect->result_destroy (effect->result);
  g_clear_error (&effect->error);
  g_object_unref (effect->task);
  g_free (effect);
}

/* Completes @task from the node's main context, in order with the
 * notifications and signals before it. Takes @result. */
void
_gro_node_return_task (GroNode        *self,
                       GTask          *task,
                       gpointer        result,
                       GDestroyNotify  result_destroy,
                       const GError   *error)
{
  TaskEffect *effect = g_new0 (TaskEffect, 1);

  effect->task = g_object_ref (task);
  effect->result = result;
  effect->result_destroy = result_destroy;
  effect->error = error ? g_error_copy (error) : NULL;

  _gro_node_defer (self, task_effect_run, effect, task_effect_free);
}

typedef struct
{
  GroNode *node;
  char    *address;
  GError  *error;
} ClosedEffect;

static void
closed_effect_run (gpointer data)
{
  ClosedEffect *effect = data;

  g_signal_emit (effect->node, signals[CONNECTION_CLOSED], 0, effect->address, effect->error);
}

static void
closed_effect_free (gpointer data)
{
  ClosedEffect *effect = data;

  g_object_unref (effect->node);
  g_free (effect->address);
  g_clear_error (&effect->error);
  g_free (effect);
}

typedef struct
{
  GroNode            *node;
  char               *address;
  GroConnectionState  state;
} StateEffect;

static void
state_effect_run (gpointer data)
{
  StateEffect *effect = data;

  g_signal_emit (effect->node, signals[CONNECTION_STATE_CHANGED], 0, effect->address,
                 effect->state);
}

static void
state_effect_free (gpointer data)
{
  StateEffect *effect = data;

  g_object_unref (effect->node);
  g_free (effect->address);
  g_free (effect);
}

/* Tells the application, in order with everything else it hears. */
static void
node_connection_state (GroNode            *self,
                       const char         *address,
                       GroConnectionState  state)
{
  StateEffect *effect = g_new0 (StateEffect, 1);

  effect->node = g_object_ref (self);
  effect->address = g_strdup (address);
  effect->state = state;
  _gro_node_defer (self, state_effect_run, effect, state_effect_free);
}

void
_gro_node_connection_closed (GroNode      *self,
                             const char   *address,
                             const GError *error)
{
  ClosedEffect *effect = g_new0 (ClosedEffect, 1);

  effect->node = g_object_ref (self);
  effect->address = g_strdup (address);
  effect->error = error ? g_error_copy (error) : NULL;

  _gro_node_defer (self, closed_effect_run, effect, closed_effect_free);
}

/* Tells the application that the registry's table gained or lost
 * @location. */
void
_gro_node_emit_source_location (GroNode           *self,
                                GroSourceLocation *location,
                                gboolean           added)
{
  g_signal_emit (self, signals[added ? SOURCE_LOCATION_ADDED : SOURCE_LOCATION_REMOVED], 0,
                 location);
}

/* ------------------------------------------------------------------------ */
/* Sync waits                                                                */

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
set_flag_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  return set_flag (user_data);
}

/* Runs the node's connections to hosts in a private main context until
 * @slot is done, @deadline (monotonic, or -1) passes or @cancellable fires.
 * The caller owns the node's context. */
gboolean
_gro_node_wait (GroNode       *self,
                GroSyncSlot   *slot,
                gint64         deadline,
                GCancellable  *cancellable,
                GError       **error)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  g_autoptr(GMainContext) context = g_main_context_new ();
  GSource *timeout_source = NULL;
  GSource *cancel_source = NULL;
  gboolean timed_out = FALSE;
  gboolean cancelled = FALSE;
  GMainContext *previous_wait;
  gint64 previous_deadline;
  gboolean done;

  g_object_ref (self);
  g_main_context_push_thread_default (context);
  _gro_node_hold (self);

  for (guint i = 0; i < priv->links->len; i++)
    gro_link_set_io_context (((GroNodeLink *) priv->links->pdata[i])->link, context);
  _gro_hosts_move_links (priv->context, context, self);
  previous_wait = priv->wait_context;
  previous_deadline = priv->wait_deadline;
  priv->wait_context = context;
  priv->wait_deadline = deadline;

  /* Connections being made run in the node's context, which does not run
   * now: make those the registry needs at once (see
   * _gro_node_target_connect()). */
  if (priv->registry_target != NULL)
    {
      g_autoptr(GPtrArray) pending = g_ptr_array_new ();

      for (guint i = 0; i < priv->targets->len; i++)
        {
          GroNodeTarget *target = priv->targets->pdata[i];

          if ((target->is_registry || target->from_registry) && target->nlink == NULL)
            g_ptr_array_add (pending, g_strdup (target->url));
        }
      for (guint i = 0; i < pending->len; i++)
        {
          GroNodeTarget *target = _gro_node_find_target (self, pending->pdata[i]);

          if (target != NULL)
            _gro_node_target_connect (target);
          g_free (pending->pdata[i]);
        }
    }

  if (deadline >= 0)
    {
      gint64 remaining = MAX (deadline - g_get_monotonic_time (), 0);

      timeout_source = g_timeout_source_new ((remaining + 999) / 1000);
      g_source_set_callback (timeout_source, set_flag, &timed_out, NULL);
      g_source_attach (timeout_source, context);
    }

  if (cancellable != NULL)
    {
      cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (cancel_source, G_SOURCE_FUNC (set_flag_cancelled), &cancelled, NULL);
      g_source_attach (cancel_source, context);
    }

  while (!(done = _gro_sync_slot_is_done (slot)) && !timed_out && !cancelled)
    g_main_context_iteration (context, TRUE);

  if (timeout_source != NULL)
    {
      g_source_destroy (timeout_source);
      g_source_unref (timeout_source);
    }
  if (cancel_source != NULL)
    {
      g_source_destroy (cancel_source);
      g_source_unref (cancel_source);
    }

  priv->wait_context = previous_wait;
  priv->wait_deadline = previous_deadline;
  for (guint i = 0; i < priv->links->len; i++)
    gro_link_set_io_context (((GroNodeLink *) priv->links->pdata[i])->link,
                             previous_wait ? previous_wait : priv->context);
  _gro_hosts_move_links (priv->context, previous_wait ? previous_wait : priv->context, self);

  g_main_context_pop_thread_default (context);
  _gro_node_release (self);
  g_object_unref (self);

  if (done)
    return TRUE;

  if (cancelled)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The operation was cancelled");
  else
    g_set_error (error, GRO_ERROR, GRO_ERROR_TIMED_OUT, "The operation timed out");
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Links to hosts                                                            */

guint *
_gro_node_get_type_budget (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  return &priv->type_budget;
}

static void
node_attach (GroNode     *self,
             GroNodeLink *nlink,
             GroMirror   *mirror)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  guint32 id;

  /* Ids from GRO_ITEM_ID_BIT up are the host's, for list items. */
  do
    id = ++priv->next_object_id & ~GRO_ITEM_ID_BIT;
  while (id == 0 || g_hash_table_contains (nlink->objects, GUINT_TO_POINTER (id)));

  mirror->nlink = nlink;
  mirror->object_id = id;
  g_hash_table_insert (nlink->objects, GUINT_TO_POINTER (id), mirror);

  if (mirror->is_list)
    gro_link_send (nlink->link, GRO_MESSAGE_MODEL_ACQUIRE, id, 0, 0,
                   g_variant_new ("(su)", mirror->name, mirror->list_window));
  else
    gro_link_send (nlink->link, GRO_MESSAGE_ACQUIRE, id, 0, 0,
                   g_variant_new ("(ss)", mirror->name,
                                  mirror->schema ? mirror->schema->hash : ""));
}

/* A list's items go with it: the host forgets them when it forgets the
 * list. */
static void
node_detach_items (GroNodeLink *nlink,
                   GroMirror   *list)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) gro_mirror_unref);
  GHashTableIter iter;
  GroMirror *mirror;

  g_hash_table_iter_init (&iter, nlink->objects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &mirror))
    if (mirror->parent == list)
      {
        g_ptr_array_add (items, gro_mirror_ref (mirror));
        g_hash_table_iter_remove (&iter);
        mirror->nlink = NULL;
        mirror->object_id = 0;
      }

  _gro_node_hold (list->node);
  for (guint i = 0; i < items->len; i++)
    gro_mirror_lost (items->pdata[i]);
  _gro_node_release (list->node);
}

static void
node_detach (GroMirror *mirror,
             gboolean   release)
{
  GroNodeLink *nlink = mirror->nlink;

  if (nlink == NULL)
    return;

  g_hash_table_remove (nlink->objects, GUINT_TO_POINTER (mirror->object_id));
  if (release && gro_link_is_open (nlink->link))
    {
      /* An item is let go with the number of times it came, so that one
       * the host sent again meanwhile stays. */
      if (mirror->parent != NULL)
        {
          if (mirror->parent->nlink == nlink)
            gro_link_send (nlink->link, GRO_MESSAGE_MODEL_RELEASE_ITEM,
                           mirror->parent->object_id, 0, 0,
                           g_variant_new ("(uu)", mirror->object_id, mirror->n_sent));
        }
      else
        gro_link_send (nlink->link, GRO_MESSAGE_RELEASE, mirror->object_id, 0, 0, NULL);
    }

  mirror->nlink = NULL;
  mirror->object_id = 0;
  mirror->n_sent = 0;

  if (mirror->is_list)
    node_detach_items (nlink, mirror);
}

/* Gives @mirror a host, if any advertises its name. */
static void
node_route (GroNode   *self,
            GroMirror *mirror)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  /* List items come with their list, never on their own. */
  if (mirror->nlink != NULL || mirror->parent != NULL)
    return;

  for (guint i = 0; i < priv->links->len; i++)
    {
      GroNodeLink *nlink = priv->links->pdata[i];

      if (gro_link_is_open (nlink->link) && g_hash_table_contains (nlink->sources, mirror->name))
        {
          node_attach (self, nlink, mirror);
          return;
        }
    }

  /* No host is known to share it: ask one that has not said what it shares
   * yet, rather than wait a round trip for its list. A host without the
   * source answers SOURCE_REMOVED, and the mirror is routed again. */
  for (guint i = 0; i < priv->links->len; i++)
    {
      GroNodeLink *nlink = priv->links->pdata[i];

      if (!nlink->sources_known && !gro_link_is_closed (nlink->link))
        {
          node_attach (self, nlink, mirror);
          return;
        }
    }

  _gro_node_connect_location (self, mirror->name, FALSE);
}

static void
node_route_all (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  GHashTableIter iter;
  GroMirror *mirror;

  g_hash_table_iter_init (&iter, priv->mirrors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &mirror))
    node_route (self, mirror);
}

/* Releases @mirror's object on its link; the host stops sending it. */
void
_gro_node_detach_mirror (GroMirror *mirror)
{
  node_detach (mirror, TRUE);
}

void
_gro_node_forget_mirror (GroNode   *self,
                         GroMirror *mirror)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  if (g_hash_table_lookup (priv->mirrors, mirror->name) == mirror)
    g_hash_table_remove (priv->mirrors, mirror->name);
  node_detach (mirror, TRUE);
}

static void
nlink_complete_handshake (GroNodeLink  *nlink,
                          const GError *error)
{
  GTask *task = g_steal_pointer (&nlink->handshake_task);

  if (task != NULL)
    {
      _gro_node_return_task (nlink->node, task, GINT_TO_POINTER (TRUE), NULL, error);
      g_object_unref (task);
    }
}

static void
nlink_free (GroNodeLink *nlink)
{
  g_assert (nlink->handshake_task == NULL);
  gro_link_unref (nlink->link);
  g_hash_table_unref (nlink->sources);
  g_hash_table_unref (nlink->objects);
  g_free (nlink->url);
  g_free (nlink);
}

static void
nlink_opened (GroLink  *link,
              gpointer  user_data)
{
  GroNodeLink *nlink = user_data;
  GroNodePrivate *priv = gro_node_get_instance_private (nlink->node);

  if (nlink->target != NULL)
    target_link_opened (nlink->target);
  node_connection_state (nlink->node, gro_link_get_address (link), GRO_CONNECTION_STATE_CONNECTED);
  nlink_complete_handshake (nlink, NULL);

  if (nlink->target != NULL && nlink->target == priv->registry_target)
    _gro_node_registry_opened (nlink);
}

/* The host fell silent, or spoke again: its replicas are SUSPECT meanwhile. */
static void
nlink_responsive (GroLink  *link,
                  gboolean  responsive,
                  gpointer  user_data)
{
  GroNodeLink *nlink = user_data;
  g_autoptr(GPtrArray) mirrors = g_ptr_array_new_with_free_func ((GDestroyNotify) gro_mirror_unref);
  GHashTableIter iter;
  GroMirror *mirror;

  g_debug ("%s is %s", gro_link_get_address (link),
           responsive ? "answering again" : "not answering");
  node_connection_state (nlink->node, gro_link_get_address (link),
                         responsive ? GRO_CONNECTION_STATE_CONNECTED
                                    : GRO_CONNECTION_STATE_UNRESPONSIVE);

  g_hash_table_iter_init (&iter, nlink->objects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &mirror))
    g_ptr_array_add (mirrors, gro_mirror_ref (mirror));

  _gro_node_hold (nlink->node);
  for (guint i = 0; i < mirrors->len; i++)
    gro_mirror_set_responsive (mirrors->pdata[i], responsive);
  _gro_node_release (nlink->node);
}

static gboolean
nlink_message (GroLink     *link,
               GroMessage  *message,
               gpointer     user_data,
               GError     **error)
{
  GroNodeLink *nlink = user_data;
  GroNode *self = nlink->node;
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  switch (message->kind)
    {
    case GRO_MESSAGE_SOURCES:
      {
        GVariantIter iter;
        const char *name, *type, *hash;

        g_hash_table_remove_all (nlink->sources);
        nlink->sources_known = TRUE;
        g_variant_iter_init (&iter, message->body);
        while (g_variant_iter_next (&iter, "(&s&s&s)", &name, &type, &hash))
          g_hash_table_insert (nlink->sources, g_strdup (name), g_strdup (type));
        node_route_all (self);
        return TRUE;
      }

    case GRO_MESSAGE_SOURCE_ADDED:
      {
        const char *name, *type, *hash;
        GroMirror *mirror;

        g_variant_get (message->body, "(&s&s&s)", &name, &type, &hash);
        g_hash_table_insert (nlink->sources, g_strdup (name), g_strdup (type));
        mirror = g_hash_table_lookup (priv->mirrors, name);
        if (mirror != NULL)
          node_route (self, mirror);
        return TRUE;
      }

    case GRO_MESSAGE_SOURCE_REMOVED:
      {
        const char *name = g_variant_get_string (message->body, NULL);
        GroMirror *mirror;

        g_hash_table_remove (nlink->sources, name);
        mirror = g_hash_table_lookup (priv->mirrors, name);
        if (mirror != NULL && mirror->nlink == nlink)
          {
            node_detach (mirror, FALSE);
            gro_mirror_lost (mirror);
            node_route (self, mirror);
          }
        return TRUE;
      }

    case GRO_MESSAGE_LOCATION_ADDED:
    case GRO_MESSAGE_LOCATION_REMOVED:
      {
        const char *name, *type = NULL, *url;

        if (!nlink->watching)
          {
            g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                         "%s sent %s, but this node does not watch it as its registry",
                         gro_link_get_address (link),
                         gro_message_kind_to_string (message->kind));
            return FALSE;
          }
        if (message->kind == GRO_MESSAGE_LOCATION_ADDED)
          g_variant_get (message->body, "(&s&s&s)", &name, &type, &url);
        else
          g_variant_get (message->body, "(&s&s)", &name, &url);
        if (!_gro_registry_check_entry (gro_link_get_address (link), name, type, url, error))
          return FALSE;

        if (message->kind == GRO_MESSAGE_LOCATION_ADDED)
          {
            if (!g_hash_table_contains (priv->locations, name) &&
                g_hash_table_size (priv->locations) >= GRO_REGISTRY_MAX_LOCATIONS)
              {
                g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                             "%s lists more than %u sources", gro_link_get_address (link),
                             GRO_REGISTRY_MAX_LOCATIONS);
                return FALSE;
              }
            _gro_node_location_add (self, name, type, url);
          }
        else
          _gro_node_location_remove (self, name, url);
        return TRUE;
      }

    case GRO_MESSAGE_ERROR:
      {
        /* The host will not send this object (its INIT is too large). */
        GroMirror *mirror = g_hash_table_lookup (nlink->objects,
                                                 GUINT_TO_POINTER (message->object));
        g_autoptr(GError) refusal = NULL;
        const char *domain, *text;
        int code;

        if (mirror == NULL)
          return TRUE;
        g_variant_get (message->body, "(&si&s)", &domain, &code, &text);
        refusal = gro_error_from_remote (domain, code, text);
        g_prefix_error (&refusal, "The source '%s': ", mirror->name);
        gro_mirror_fail (mirror, refusal);
        return TRUE;
      }

    case GRO_MESSAGE_INIT:
    case GRO_MESSAGE_PROPERTY:
    case GRO_MESSAGE_SIGNAL:
      {
        GroMirror *mirror = g_hash_table_lookup (nlink->objects,
                                                 GUINT_TO_POINTER (message->object));

        /* Released meanwhile: the host will stop. */
        if (mirror == NULL)
          return TRUE;
        return gro_mirror_handle_message (mirror, message, error);
      }

    case GRO_MESSAGE_MODEL_INIT:
    case GRO_MESSAGE_MODEL_CHANGED:
    case GRO_MESSAGE_MODEL_ITEMS:
      {
        GroMirror *mirror = g_hash_table_lookup (nlink->objects,
                                                 GUINT_TO_POINTER (message->object));

        if (mirror == NULL)
          return TRUE;
        if (!mirror->is_list)
          {
            g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                         "%s sent %s for object %u, which is not a list",
                         gro_link_get_address (link),
                         gro_message_kind_to_string (message->kind), message->object);
            return FALSE;
          }
        return gro_mirror_handle_message (mirror, message, error);
      }

    default:
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s sent %s, which hosts do not send",
                   gro_link_get_address (link), gro_message_kind_to_string (message->kind));
      return FALSE;
    }
}

static void
nlink_closed (GroLink      *link,
              const GError *error,
              gpointer      user_data)
{
  GroNodeLink *nlink = user_data;
  GroNode *self = nlink->node;
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  g_autoptr(GPtrArray) orphans = g_ptr_array_new_with_free_func ((GDestroyNotify) gro_mirror_unref);
  g_autoptr(GError) handshake_error = NULL;
  GHashTableIter iter;
  GroMirror *mirror;

  g_object_ref (self);

  if (nlink->handshake_task != NULL)
    {
      handshake_error = g_error_new (GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                                     "The connection to %s closed during the handshake: %s",
                                     gro_link_get_address (link),
                                     error ? error->message : "closed by this side");
      nlink_complete_handshake (nlink, handshake_error);
    }

  g_ptr_array_remove_fast (priv->links, nlink);

  _gro_node_hold (self);
  g_hash_table_iter_init (&iter, nlink->objects);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &mirror))
    {
      mirror->nlink = NULL;
      mirror->object_id = 0;
      gro_mirror_lost (mirror);
      g_ptr_array_add (orphans, gro_mirror_ref (mirror));
    }
  g_hash_table_remove_all (nlink->objects);

  for (guint i = 0; i < orphans->len; i++)
    node_route (self, orphans->pdata[i]);

  _gro_node_connection_closed (self, gro_link_get_address (link), error);
  node_connection_state (self, gro_link_get_address (link),
                         nlink->target != NULL && nlink->target->connected_once
                           ? GRO_CONNECTION_STATE_RECONNECTING
                           : GRO_CONNECTION_STATE_CLOSED);
  _gro_node_release (self);

  if (nlink->target != NULL)
    target_link_closed (nlink->target);
  nlink_free (nlink);
  g_object_unref (self);
}

static const GroLinkHandler node_link_handler = {
  .opened = nlink_opened,
  .message = nlink_message,
  .responsive = nlink_responsive,
  .closed = nlink_closed,
};

static GroNodeLink *
node_add_link (GroNode     *self,
               GIOStream   *stream,
               const char  *url,
               const char  *address,
               GError     **error)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  GroNodeLink *nlink = g_new0 (GroNodeLink, 1);

  nlink->node = self;
  nlink->url = g_strdup (url);
  nlink->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  nlink->objects = g_hash_table_new (NULL, NULL);
  nlink->link = gro_link_new (stream, FALSE, address, priv->context, &node_link_handler,
                              nlink, error);
  if (nlink->link == NULL)
    {
      g_hash_table_unref (nlink->sources);
      g_hash_table_unref (nlink->objects);
      g_free (nlink->url);
      g_free (nlink);
      return NULL;
    }

  g_ptr_array_add (priv->links, nlink);
  /* Made during a sync wait: it runs in the wait's context, as the others. */
  if (priv->wait_context != NULL)
    gro_link_set_io_context (nlink->link, priv->wait_context);
  /* Limits first: HELLO tells the peer this side's frame limit. */
  _gro_node_apply_settings (self, nlink->link);
  gro_link_start (nlink->link);
  node_route_all (self);

  return nlink;
}

void
_gro_node_disconnect_all (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  while (priv->links->len > 0)
    gro_link_close (((GroNodeLink *) priv->links->pdata[0])->link, NULL);
}

/* How long a blocking connect may take: in a sync wait, no longer than
 * the wait has left. */
static guint
connect_timeout_s (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  gint64 left;

  if (priv->wait_context == NULL || priv->wait_deadline < 0)
    return CONNECT_TIMEOUT_S;
  left = priv->wait_deadline - g_get_monotonic_time ();
  return CLAMP ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1, CONNECT_TIMEOUT_S);
}

static GSocketClient *
make_client (void)
{
  GSocketClient *client = g_socket_client_new ();

  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_S);
  /* Local IPC: a desktop proxy setting must not reroute it, nor slow it. */
  g_socket_client_set_enable_proxy (client, FALSE);
  return client;
}

/* ------------------------------------------------------------------------ */
/* Targets: addresses the node keeps connected                               */

GroNodeTarget *
_gro_node_find_target (GroNode    *self,
                       const char *url)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  for (guint i = 0; i < priv->targets->len; i++)
    {
      GroNodeTarget *target = priv->targets->pdata[i];

      if (g_str_equal (target->url, url))
        return target;
    }
  return NULL;
}

GroNodeTarget *
_gro_node_target_new (GroNode    *self,
                      const char *url)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  GroNodeTarget *target = g_new0 (GroNodeTarget, 1);

  target->node = self;
  target->url = g_strdup (url);
  target->delay_ms = priv->reconnect_initial_ms;
  g_ptr_array_add (priv->targets, target);

  return target;
}

static void
target_stop_trying (GroNodeTarget *target)
{
  if (target->attempt != NULL)
    {
      target->attempt->target = NULL;
      g_cancellable_cancel (target->attempt->cancellable);
      target->attempt = NULL;
    }
  if (target->retry_source != NULL)
    {
      g_source_destroy (target->retry_source);
      g_clear_pointer (&target->retry_source, g_source_unref);
    }
}

/* The element free function of priv->targets. */
static void
target_free (GroNodeTarget *target)
{
  target_stop_trying (target);
  if (target->nlink != NULL)
    target->nlink->target = NULL;
  g_free (target->url);
  g_free (target);
}

void
_gro_node_target_remove (GroNodeTarget *target)
{
  GroNodePrivate *priv = gro_node_get_instance_private (target->node);

  g_ptr_array_remove (priv->targets, target);
}

/* Binds a new connection to @target; @task, if any, completes at HELLO. */
static gboolean
target_add_link (GroNodeTarget      *target,
                 GIOStream          *stream,
                 GTask              *task,
                 GError            **error)
{
  GroNodeLink *nlink;

  nlink = node_add_link (target->node, stream, target->url, target->url, error);
  if (nlink == NULL)
    return FALSE;

  nlink->target = target;
  target->nlink = nlink;
  if (task != NULL)
    nlink->handshake_task = g_object_ref (task);
  return TRUE;
}

static void target_attempt (GroNodeTarget *target,
                            GTask         *task);

static gboolean
target_on_retry (gpointer user_data)
{
  GroNodeTarget *target = user_data;

  g_clear_pointer (&target->retry_source, g_source_unref);
  target_attempt (target, NULL);
  return G_SOURCE_REMOVE;
}

/* After a connection that worked is lost, or a retry fails: try again after
 * the delay, doubled each time up to the maximum, with some jitter so that
 * many nodes do not all come back at the same instant. */
static void
target_schedule_retry (GroNodeTarget *target)
{
  GroNodePrivate *priv = gro_node_get_instance_private (target->node);
  guint delay = target->delay_ms;

  g_assert (target->retry_source == NULL && target->attempt == NULL);

  target->delay_ms = MIN (MAX (delay, 1) * 2, MAX (priv->reconnect_max_ms, delay));
  delay = delay + g_random_int_range (0, delay / 5 + 1);

  g_debug ("Reconnecting to %s in %u ms", target->url, delay);
  target->retry_source = g_timeout_source_new (delay);
  g_source_set_callback (target->retry_source, target_on_retry, target, NULL);
  g_source_set_name (target->retry_source, "[gro] reconnect");
  g_source_attach (target->retry_source, priv->context);
}

static void
target_link_opened (GroNodeTarget *target)
{
  GroNodePrivate *priv = gro_node_get_instance_private (target->node);

  target->connected_once = TRUE;
  target->delay_ms = priv->reconnect_initial_ms;
}

static void
target_link_closed (GroNodeTarget *target)
{
  target->nlink = NULL;
  if (_gro_node_target_wanted (target))
    target_schedule_retry (target);
  else
    _gro_node_target_remove (target);
}

static void
attempt_free (Attempt *attempt)
{
  if (attempt->task_cancellable != NULL)
    g_cancellable_disconnect (attempt->task_cancellable, attempt->cancel_id);
  g_clear_object (&attempt->task);
  g_object_unref (attempt->cancellable);
  g_free (attempt);
}

static void
cancel_attempt (GCancellable *task_cancellable,
                GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

void
_gro_node_get_tls_settings (GroNode        *self,
                            GroTlsSettings *settings)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  settings->certificate = priv->tls_certificate;
  settings->database = priv->tls_database;
  settings->pinned = priv->tls_pinned;
  settings->mode = G_TLS_AUTHENTICATION_NONE;
}

static GIOStream *
node_tls_client (GroNode            *self,
                 GSocketConnection  *connection,
                 GroAddress         *address,
                 GError            **error)
{
  GroTlsSettings settings;

  _gro_node_get_tls_settings (self, &settings);
  return gro_tls_client_new (connection, address, &settings, error);
}

/* The end of an attempt: @stream is the connection, or NULL with @error. */
static void
attempt_done (Attempt   *attempt,
              GIOStream *stream,
              GError    *error)
{
  GroNodeTarget *target = attempt->target;
  g_autoptr(GError) local_error = error;

  if (target == NULL)
    {
      /* The target went away, or another connection replaced this one. */
      if (attempt->task != NULL)
        g_task_return_new_error (attempt->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "The connection to %s was abandoned",
                                 (const char *) g_task_get_task_data (attempt->task));
      attempt_free (attempt);
      return;
    }
  target->attempt = NULL;

  if (stream != NULL && target_add_link (target, stream, attempt->task, &local_error))
    {
      attempt_free (attempt);
      return;
    }

  if (attempt->task != NULL)
    {
      if (local_error->domain == GRO_ERROR ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (attempt->task, g_steal_pointer (&local_error));
      else
        g_task_return_new_error (attempt->task, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                                 "Could not connect to %s: %s", target->url,
                                 local_error->message);
    }
  else
    g_debug ("Could not reconnect to %s: %s", target->url, local_error->message);
  attempt_free (attempt);

  if (_gro_node_target_wanted (target))
    target_schedule_retry (target);
  else
    _gro_node_target_remove (target);
}

static void
attempt_on_handshake (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Attempt *attempt = user_data;
  GError *error = NULL;

  if (gro_tls_handshake_finish (G_IO_STREAM (source), result,
                                attempt->target ? attempt->target->url : "a host", &error))
    attempt_done (attempt, G_IO_STREAM (source), NULL);
  else
    attempt_done (attempt, NULL, error);
  g_object_unref (source);
}

static void
attempt_on_connected (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GroAddress) address = NULL;
  GError *error = NULL;
  GIOStream *tls;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL || attempt->target == NULL)
    {
      attempt_done (attempt, connection ? G_IO_STREAM (connection) : NULL, error);
      return;
    }

  gro_connection_set_no_delay (connection);
  address = gro_address_parse (attempt->target->url, NULL);
  if (!address->tls)
    {
      attempt_done (attempt, G_IO_STREAM (connection), NULL);
      return;
    }

  tls = node_tls_client (attempt->target->node, connection, address, &error);
  if (tls == NULL)
    {
      attempt_done (attempt, NULL, error);
      return;
    }
  gro_tls_handshake_async (tls, attempt->cancellable, attempt_on_handshake, attempt);
}

/* Starts connecting @target now, in place of a scheduled retry. */
static void
target_attempt (GroNodeTarget *target,
                GTask         *task)
{
  GroNodePrivate *priv = gro_node_get_instance_private (target->node);
  g_autoptr(GroAddress) address = gro_address_parse (target->url, NULL);
  g_autoptr(GSocketClient) client = make_client ();
  g_autoptr(GSocketConnectable) connectable = NULL;
  Attempt *attempt;

  g_assert (address != NULL);  /* parsed when the target was made */
  target_stop_trying (target);

  attempt = g_new0 (Attempt, 1);
  attempt->target = target;
  attempt->task = task ? g_object_ref (task) : NULL;
  attempt->cancellable = g_cancellable_new ();
  if (task != NULL && g_task_get_cancellable (task) != NULL)
    {
      attempt->task_cancellable = g_task_get_cancellable (task);
      attempt->cancel_id = g_cancellable_connect (attempt->task_cancellable,
                                                  G_CALLBACK (cancel_attempt),
                                                  attempt->cancellable, NULL);
    }
  target->attempt = attempt;

  connectable = gro_address_to_connectable (address);
  /* So the connection completes in the node's context. */
  g_main_context_push_thread_default (priv->context);
  g_socket_client_connect_async (client, connectable, attempt->cancellable,
                                 attempt_on_connected, attempt);
  g_main_context_pop_thread_default (priv->context);
}

/* Connects @target now. In a sync wait, which runs only the connections the
 * node has, not the node's main context, it connects at once, blocking as
 * gro_node_connect_to_node() does: otherwise a replica waited for could
 * never reach the host the registry names. */
void
_gro_node_target_connect (GroNodeTarget *target)
{
  GroNode *self = target->node;
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (target->nlink != NULL)
    return;
  if (priv->wait_context == NULL)
    {
      if (target->attempt == NULL)
        target_attempt (target, NULL);
      return;
    }

  /* On failure it retries later, in the node's context. */
  url = g_strdup (target->url);
  if (!gro_node_connect_to_node (self, url, &error))
    g_debug ("Could not connect to %s during a wait: %s", url, error->message);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

/**
 * gro_node_new:
 *
 * Creates a node in the thread-default main context.
 *
 * Returns: (transfer full): a new #GroNode
 *
 * Since: 1.0
 */
GroNode *
gro_node_new (void)
{
  return g_object_new (GRO_TYPE_NODE, NULL);
}

/**
 * gro_node_get_context:
 * @node: a #GroNode
 *
 * Gets the main context the node belongs to: the thread-default one when it
 * was created.
 *
 * Returns: (transfer none): the node's main context
 *
 * Since: 1.0
 */
GMainContext *
gro_node_get_context (GroNode *node)
{
  GroNodePrivate *priv;

  g_return_val_if_fail (GRO_IS_NODE (node), NULL);

  priv = gro_node_get_instance_private (node);
  return priv->context;
}

/**
 * gro_node_connect_to_node:
 * @node: a #GroNode
 * @url: the address of a host: `tcp://HOST:PORT`, `unix:/PATH`, `local:NAME`
 *   or `unix-abstract:NAME`
 * @error: return location for a #GError
 *
 * Connects to a host. Connecting to an address the node is already connected
 * to does nothing.
 *
 * This blocks while the connection is made, and returns before the host's
 * greeting arrives: a peer that turns out not to be a gro host, or to speak no
 * common protocol version, is then dropped with
 * [signal@Gro.Node::connection-closed]. The asynchronous form,
 * [method@Gro.Node.connect_to_node_async], completes after the greeting and
 * reports such a peer as its error; prefer it in applications.
 *
 * Returns: %TRUE if the node is connected
 *
 * Since: 1.0
 */
gboolean
gro_node_connect_to_node (GroNode     *node,
                          const char  *url,
                          GError     **error)
{
  g_autoptr(GroAddress) address = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) local_error = NULL;
  GroNodeTarget *target;
  gboolean new_target = FALSE;

  g_return_val_if_fail (GRO_IS_NODE (node), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_gro_node_check_open (node, error))
    return FALSE;
  address = gro_address_parse (url, error);
  if (address == NULL)
    return FALSE;

  target = _gro_node_find_target (node, url);
  if (target != NULL && target->nlink != NULL)
    return TRUE;

  connection = gro_address_connect_direct (address, connect_timeout_s (node), NULL,
                                           &local_error);
  if (connection == NULL && local_error == NULL)
    {
      client = make_client ();
      g_socket_client_set_timeout (client, connect_timeout_s (node));
      connectable = gro_address_to_connectable (address);
      connection = g_socket_client_connect (client, connectable, NULL, &local_error);
    }
  if (connection == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                   "Could not connect to %s: %s", url, local_error->message);
      return FALSE;
    }

  gro_connection_set_no_delay (connection);
  if (address->tls)
    {
      tls = node_tls_client (node, connection, address, error);
      if (tls == NULL || !gro_tls_handshake (tls, url, error))
        return FALSE;
    }

  /* Made meanwhile by a retry, in another thread's iteration? Then keep it. */
  target = _gro_node_find_target (node, url);
  if (target != NULL && target->nlink != NULL)
    return TRUE;
  if (target == NULL)
    {
      target = _gro_node_target_new (node, url);
      new_target = TRUE;
    }
  target_stop_trying (target);

  if (!target_add_link (target, tls ? tls : G_IO_STREAM (connection), NULL, error))
    {
      if (new_target)
        _gro_node_target_remove (target);
      else
        target_schedule_retry (target);
      return FALSE;
    }
  return TRUE;
}

/**
 * gro_node_connect_to_node_async:
 * @node: a #GroNode
 * @url: the address of a host
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once connected and greeted, or on failure
 * @user_data: data for @callback
 *
 * Connects to a host, as [method@Gro.Node.connect_to_node] does, without
 * blocking. While the node waits to reconnect to @url, this tries at once.
 *
 * Since: 1.0
 */
void
gro_node_connect_to_node_async (GroNode             *node,
                                const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GroAddress) address = NULL;
  GroNodeTarget *target;
  GError *error = NULL;

  g_return_if_fail (GRO_IS_NODE (node));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (node, cancellable, callback, user_data);
  g_task_set_source_tag (task, gro_node_connect_to_node_async);
  g_task_set_task_data (task, g_strdup (url), g_free);

  if (!_gro_node_check_open (node, &error) ||
      (address = gro_address_parse (url, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  target = _gro_node_find_target (node, url);
  if (target != NULL && target->nlink != NULL)
    {
      g_task_return_pointer (task, GINT_TO_POINTER (TRUE), NULL);
      return;
    }

  if (target == NULL)
    target = _gro_node_target_new (node, url);
  target_attempt (target, task);
}

/**
 * gro_node_connect_to_node_finish:
 * @node: a #GroNode
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Gro.Node.connect_to_node_async].
 *
 * Returns: %TRUE if the node is connected
 *
 * Since: 1.0
 */
gboolean
gro_node_connect_to_node_finish (GroNode       *node,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (GRO_IS_NODE (node), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, node), FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/**
 * gro_node_connect_to_stream:
 * @node: a #GroNode
 * @stream: a connected stream whose other end is a gro host
 * @error: return location for a #GError
 *
 * Talks to a host over a stream the application connected itself: a pipe, an
 * SSH channel, a serial line, one end of a socket pair. The stream's input and
 * output must be pollable. A handed-in stream is never reconnected.
 *
 * Returns: %TRUE if the stream was taken
 *
 * Since: 1.0
 */
gboolean
gro_node_connect_to_stream (GroNode    *node,
                            GIOStream  *stream,
                            GError    **error)
{
  g_return_val_if_fail (GRO_IS_NODE (node), FALSE);
  g_return_val_if_fail (G_IS_IO_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return node_add_link (node, stream, NULL, "a stream", error) != NULL;
}

static GroMirror *
ensure_mirror (GroNode    *self,
               const char *name)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);
  GroMirror *mirror = g_hash_table_lookup (priv->mirrors, name);

  if (mirror != NULL)
    return gro_mirror_ref (mirror);

  mirror = gro_mirror_new (self, name);
  g_hash_table_insert (priv->mirrors, mirror->name, mirror);
  node_route (self, mirror);

  return mirror;
}

/**
 * gro_node_acquire_dynamic:
 * @node: a #GroNode
 * @name: the name the source is shared under
 *
 * Gets a dynamic replica of a source, at once. The replica starts in the
 * state %GRO_REPLICA_STATE_UNINITIALIZED, without the source's properties and
 * signals, unless this node already has the source in step; it becomes valid
 * when a host that shares @name sends it. The source need not be shared yet:
 * the replica waits for it.
 *
 * Several replicas of one source in one node share one subscription.
 *
 * Returns: (transfer full): a new replica
 *
 * Since: 1.0
 */
GroReplica *
gro_node_acquire_dynamic (GroNode    *node,
                          const char *name)
{
  g_autoptr(GroMirror) mirror = NULL;
  g_autoptr(GError) error = NULL;
  GroReplica *replica;
  GType type;

  g_return_val_if_fail (GRO_IS_NODE (node), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  mirror = ensure_mirror (node, name);
  type = gro_mirror_get_dynamic_type (mirror, &error);
  if (type == G_TYPE_INVALID)
    type = GRO_TYPE_REPLICA;  /* fails below, with the reason */

  replica = g_object_new (type, "node", node, "name", name, NULL);
  if (error != NULL)
    {
      _gro_replica_fail (replica, error);
      return replica;
    }

  _gro_replica_attach (replica, mirror);

  return replica;
}

/**
 * gro_node_acquire_dynamic_async:
 * @node: a #GroNode
 * @name: the name the source is shared under
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the replica is valid, or on failure
 * @user_data: data for @callback
 *
 * Gets a dynamic replica of a source, as [method@Gro.Node.acquire_dynamic]
 * does, and completes when it is valid. There is no time limit: cancel
 * @cancellable to stop waiting.
 *
 * Since: 1.0
 */
void
gro_node_acquire_dynamic_async (GroNode             *node,
                                const char          *name,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GroReplica *replica;

  g_return_if_fail (GRO_IS_NODE (node));
  g_return_if_fail (name != NULL && name[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (node, cancellable, callback, user_data);
  g_task_set_source_tag (task, gro_node_acquire_dynamic_async);

  replica = gro_node_acquire_dynamic (node, name);
  g_task_set_task_data (task, replica, g_object_unref);
  _gro_replica_wait_task (replica, task);
}

/**
 * gro_node_acquire_dynamic_finish:
 * @node: a #GroNode
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Gro.Node.acquire_dynamic_async].
 *
 * Returns: (transfer full): a valid replica, or %NULL with @error set
 *
 * Since: 1.0
 */
GroReplica *
gro_node_acquire_dynamic_finish (GroNode       *node,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (GRO_IS_NODE (node), NULL);
  g_return_val_if_fail (g_task_is_valid (result, node), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gro_node_acquire:
 * @node: a #GroNode
 * @replica_type: a typed replica class: a subclass of #GroReplica made by
 *   `gro-compiler` (or that called `gro_replica_class_set_schema()`)
 * @name: the name the source is shared under
 *
 * Gets a typed replica of a source, at once. It starts in the state
 * %GRO_REPLICA_STATE_DEFAULT, showing the default values of its properties,
 * unless this node already has the source in step; it becomes valid when a
 * host that shares @name sends it, or %GRO_REPLICA_STATE_SIGNATURE_MISMATCH
 * when the source lacks a member of the replica's interface or has it with
 * another type (the replica's error says which).
 *
 * Code generated by `gro-compiler` wraps this as `*_replica_acquire()`.
 *
 * Returns: (transfer full): a new replica, an instance of @replica_type
 *
 * Since: 1.0
 */
GroReplica *
gro_node_acquire (GroNode    *node,
                  GType       replica_type,
                  const char *name)
{
  g_autoptr(GroMirror) mirror = NULL;
  g_autoptr(GTypeClass) klass = NULL;
  const GroReplicaClassInfo *info;
  GroReplica *replica;

  g_return_val_if_fail (GRO_IS_NODE (node), NULL);
  g_return_val_if_fail (g_type_is_a (replica_type, GRO_TYPE_REPLICA), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  /* class_init gives the class its schema */
  klass = g_type_class_ref (replica_type);
  info = _gro_replica_class_info (replica_type);
  g_return_val_if_fail (info != NULL && info->typed, NULL);

  mirror = ensure_mirror (node, name);
  replica = g_object_new (replica_type, "node", node, "name", name, NULL);
  _gro_replica_attach (replica, mirror);

  return replica;
}

/**
 * gro_node_acquire_model:
 * @node: a #GroNode
 * @name: the name the list is shared under
 *
 * Gets a replica of a list model that a host shares with
 * [method@Gro.Host.enable_model_remoting], at once. The list is empty and not
 * valid until a host that shares @name sends it; then it emits
 * [signal@Gio.ListModel::items-changed] with its items, and follows every
 * change of the source list. Wait for it with
 * [method@Gro.ListModelReplica.wait_for_source] or
 * [method@Gro.Node.acquire_model_async].
 *
 * A node has one replica per list name: acquiring a name again gives the
 * same list while it exists. A name acquired as a list cannot be acquired as
 * an object at the same time, and the other way round: such a second
 * replica never becomes valid.
 *
 * Returns: (transfer full): the list
 *
 * Since: 1.0
 */
GroListModelReplica *
gro_node_acquire_model (GroNode    *node,
                        const char *name)
{
  GroNodePrivate *priv;
  GroMirror *mirror;
  GroListModelReplica *list;

  g_return_val_if_fail (GRO_IS_NODE (node), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  priv = gro_node_get_instance_private (node);
  mirror = g_hash_table_lookup (priv->mirrors, name);

  if (mirror != NULL && mirror->is_list && mirror->list != NULL)
    return g_object_ref (mirror->list);

  if (mirror == NULL)
    {
      mirror = gro_mirror_new (node, name);
      mirror->is_list = TRUE;
      g_hash_table_insert (priv->mirrors, mirror->name, mirror);
      list = _gro_list_model_replica_new (node, name, mirror);
      gro_mirror_unref (mirror);  /* the list holds it */
      node_route (node, mirror);
      return list;
    }

  if (mirror->is_list)
    {
      /* The list went away while some of its items live on: ask again, so
       * that the host sends the whole list. */
      list = _gro_list_model_replica_new (node, name, mirror);
      node_detach (mirror, TRUE);
      mirror->active = FALSE;
      node_route (node, mirror);
      return list;
    }

  /* Acquired as an object: this list has no mirror and stays empty. */
  return _gro_list_model_replica_new (node, name, NULL);
}

static void
acquire_model_ready (GroListModelReplica *list,
                     const GError        *error,
                     gpointer             user_data)
{
  GTask *task = user_data;
  GroNode *node = g_task_get_source_object (task);

  _gro_node_return_task (node, task, error ? NULL : g_object_ref (list),
                         error ? NULL : g_object_unref, error);
  g_object_unref (task);
}

/**
 * gro_node_acquire_model_async:
 * @node: a #GroNode
 * @name: the name the list is shared under
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the list is valid, or on failure
 * @user_data: data for @callback
 *
 * Gets a replica of a list model, as [method@Gro.Node.acquire_model] does,
 * and completes when it is valid: when it has its length and its first
 * items. There is no time limit: cancel @cancellable to stop waiting.
 *
 * Since: 1.0
 */
void
gro_node_acquire_model_async (GroNode             *node,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GroListModelReplica *list;
  GTask *task;

  g_return_if_fail (GRO_IS_NODE (node));
  g_return_if_fail (name != NULL && name[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (node, cancellable, callback, user_data);
  g_task_set_source_tag (task, gro_node_acquire_model_async);

  /* The task holds the list until it is valid. */
  list = gro_node_acquire_model (node, name);
  g_task_set_task_data (task, list, g_object_unref);
  _gro_list_model_replica_when_valid (list, cancellable, acquire_model_ready, task);
}

/**
 * gro_node_acquire_model_finish:
 * @node: a #GroNode
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Gro.Node.acquire_model_async].
 *
 * Returns: (transfer full): a valid list, or %NULL with @error set
 *
 * Since: 1.0
 */
GroListModelReplica *
gro_node_acquire_model_finish (GroNode       *node,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (GRO_IS_NODE (node), NULL);
  g_return_val_if_fail (g_task_is_valid (result, node), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/**
 * gro_node_dup_source_names:
 * @node: a #GroNode
 *
 * Lists the names of the sources that the hosts this node is connected to
 * advertise.
 *
 * Returns: (transfer full) (array zero-terminated=1): the names, sorted
 *
 * Since: 1.0
 */
char **
gro_node_dup_source_names (GroNode *node)
{
  GroNodePrivate *priv;
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  GHashTableIter iter;
  const char *name;

  g_return_val_if_fail (GRO_IS_NODE (node), NULL);

  priv = gro_node_get_instance_private (node);
  names = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < priv->links->len; i++)
    {
      GroNodeLink *nlink = priv->links->pdata[i];

      g_hash_table_iter_init (&iter, nlink->sources);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
        g_hash_table_add (names, (gpointer) name);
    }

  sorted = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    g_ptr_array_add (sorted, g_strdup (name));
  g_ptr_array_sort (sorted, compare_strings);
  g_ptr_array_add (sorted, NULL);

  return (char **) g_ptr_array_steal (sorted, NULL);
}

/**
 * gro_node_get_max_dynamic_types:
 * @node: a #GroNode
 *
 * Gets [property@Gro.Node:max-dynamic-types].
 *
 * Returns: the limit
 *
 * Since: 1.0
 */
guint
gro_node_get_max_dynamic_types (GroNode *node)
{
  GroNodePrivate *priv;

  g_return_val_if_fail (GRO_IS_NODE (node), 0);

  priv = gro_node_get_instance_private (node);
  return priv->max_dynamic_types;
}

/**
 * gro_node_set_max_dynamic_types:
 * @node: a #GroNode
 * @max_types: the new limit
 *
 * Sets [property@Gro.Node:max-dynamic-types].
 *
 * Since: 1.0
 */
void
gro_node_set_max_dynamic_types (GroNode *node,
                                guint    max_types)
{
  GroNodePrivate *priv;
  guint made;

  g_return_if_fail (GRO_IS_NODE (node));

  priv = gro_node_get_instance_private (node);
  if (priv->max_dynamic_types == max_types)
    return;

  made = priv->max_dynamic_types - priv->type_budget;
  priv->max_dynamic_types = max_types;
  priv->type_budget = max_types > made ? max_types - made : 0;
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_MAX_DYNAMIC_TYPES]);
}

/**
 * gro_node_get_connection_state:
 * @node: a #GroNode
 * @url: an address given to [method@Gro.Node.connect_to_node]
 *
 * Gets the state of the node's connection to @url. The node says when it
 * changes with [signal@Gro.Node::connection-state-changed].
 *
 * Returns: the state; %GRO_CONNECTION_STATE_CLOSED for an address the node
 *   is not connected to and will not reconnect to
 *
 * Since: 1.0
 */
GroConnectionState
gro_node_get_connection_state (GroNode    *node,
                               const char *url)
{
  GroNodeTarget *target;

  g_return_val_if_fail (GRO_IS_NODE (node), GRO_CONNECTION_STATE_CLOSED);
  g_return_val_if_fail (url != NULL, GRO_CONNECTION_STATE_CLOSED);

  target = _gro_node_find_target (node, url);
  if (target == NULL)
    return GRO_CONNECTION_STATE_CLOSED;
  if (target->nlink == NULL)
    return target->connected_once ? GRO_CONNECTION_STATE_RECONNECTING
                                  : GRO_CONNECTION_STATE_CONNECTING;
  if (!gro_link_is_open (target->nlink->link))
    return GRO_CONNECTION_STATE_CONNECTING;
  if (!gro_link_is_responsive (target->nlink->link))
    return GRO_CONNECTION_STATE_UNRESPONSIVE;
  return GRO_CONNECTION_STATE_CONNECTED;
}

/**
 * gro_node_set_tls_files:
 * @node: a #GroNode
 * @certificate_file: (nullable): a PEM file with this side's certificate,
 *   or %NULL to keep the one set
 * @key_file: (nullable): a PEM file with its private key, or %NULL when
 *   @certificate_file holds both
 * @ca_file: (nullable): a PEM file of certificate authorities to check
 *   peers against, or %NULL to keep the database set
 * @error: return location for a #GError
 *
 * Sets [property@Gro.Node:tls-certificate] and
 * [property@Gro.Node:tls-database] from files: the usual way to set up a
 * host (certificate and key) or a node (the authority that signed its
 * hosts, and for mutual TLS its own certificate).
 *
 * Returns: %TRUE, or %FALSE with @error when a file cannot be read
 *
 * Since: 1.0
 */
gboolean
gro_node_set_tls_files (GroNode     *node,
                        const char  *certificate_file,
                        const char  *key_file,
                        const char  *ca_file,
                        GError     **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (GRO_IS_NODE (node), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (certificate_file != NULL)
    {
      certificate = g_tls_certificate_new_from_files (certificate_file,
                                                      key_file ? key_file : certificate_file,
                                                      &local_error);
      if (certificate == NULL)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE,
                       "Cannot read the certificate %s: %s", certificate_file,
                       local_error->message);
          return FALSE;
        }
    }
  if (ca_file != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (ca_file, NULL);

      database = g_tls_file_database_new (absolute, &local_error);
      if (database == NULL)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE,
                       "Cannot read the certificate authorities %s: %s", ca_file,
                       local_error->message);
          return FALSE;
        }
    }

  if (certificate != NULL)
    g_object_set (node, "tls-certificate", certificate, NULL);
  if (database != NULL)
    g_object_set (node, "tls-database", database, NULL);
  return TRUE;
}

/**
 * gro_node_get_heartbeat_interval:
 * @node: a #GroNode
 *
 * Gets [property@Gro.Node:heartbeat-interval].
 *
 * Returns: the interval in milliseconds, or 0 when off
 *
 * Since: 1.0
 */
guint
gro_node_get_heartbeat_interval (GroNode *node)
{
  GroNodePrivate *priv;

  g_return_val_if_fail (GRO_IS_NODE (node), 0);

  priv = gro_node_get_instance_private (node);
  return priv->heartbeat_ms;
}

/**
 * gro_node_set_heartbeat_interval:
 * @node: a #GroNode
 * @interval_ms: the interval in milliseconds, or 0 to turn the check off
 *
 * Sets [property@Gro.Node:heartbeat-interval], for the connections the node
 * has and those it will make.
 *
 * Since: 1.0
 */
void
gro_node_set_heartbeat_interval (GroNode *node,
                                 guint    interval_ms)
{
  GroNodePrivate *priv;

  g_return_if_fail (GRO_IS_NODE (node));
  g_return_if_fail (interval_ms <= G_MAXINT / 1000);

  priv = gro_node_get_instance_private (node);
  if (priv->heartbeat_ms == interval_ms)
    return;

  priv->heartbeat_ms = interval_ms;
  node_apply_settings_to_all (node);
  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_HEARTBEAT_INTERVAL]);
}

/**
 * gro_node_get_registry_url:
 * @node: a #GroNode
 *
 * Gets [property@Gro.Node:registry-url].
 *
 * Returns: (nullable): the registry's address, or %NULL
 *
 * Since: 1.0
 */
const char *
gro_node_get_registry_url (GroNode *node)
{
  GroNodePrivate *priv;

  g_return_val_if_fail (GRO_IS_NODE (node), NULL);

  priv = gro_node_get_instance_private (node);
  return priv->registry_url;
}

/**
 * gro_node_set_registry_url:
 * @node: a #GroNode
 * @url: (nullable): the address of a [class@Gro.RegistryHost], or %NULL
 *   for none
 *
 * Sets [property@Gro.Node:registry-url]. The node connects to the registry
 * at once, and keeps reconnecting to it while it is set, whether it has
 * answered yet or not.
 *
 * Since: 1.0
 */
void
gro_node_set_registry_url (GroNode    *node,
                           const char *url)
{
  GroNodePrivate *priv;
  g_autoptr(GroAddress) address = NULL;
  g_autofree char **names = NULL;
  GroNodeTarget *target;

  g_return_if_fail (GRO_IS_NODE (node));
  g_return_if_fail (!GRO_IS_REGISTRY_HOST (node) || url == NULL);
  g_return_if_fail (url == NULL || (address = gro_address_parse (url, NULL)) != NULL);

  priv = gro_node_get_instance_private (node);
  if (g_strcmp0 (priv->registry_url, url) == 0)
    return;

  g_free (priv->registry_url);
  priv->registry_url = g_strdup (url);

  if ((target = g_steal_pointer (&priv->registry_target)) != NULL)
    {
      g_autoptr(GroLink) link = target->nlink ? gro_link_ref (target->nlink->link) : NULL;

      _gro_node_target_remove (target);
      if (link != NULL)
        gro_link_close (link, NULL);
    }

  if (GRO_IS_HOST (node))
    _gro_host_registry_reset (GRO_HOST (node));

  /* What the old registry said no longer holds; the new one will say. */
  names = (char **) g_hash_table_get_keys_as_array (priv->locations, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    _gro_node_location_remove (node, names[i], NULL);

  if (url != NULL && !priv->closed)
    {
      target = _gro_node_find_target (node, url);
      if (target == NULL)
        target = _gro_node_target_new (node, url);
      target->is_registry = TRUE;
      priv->registry_target = target;
      if (target->nlink == NULL && target->attempt == NULL)
        target_attempt (target, NULL);
      else if (target->nlink != NULL && gro_link_is_open (target->nlink->link))
        _gro_node_registry_opened (target->nlink);
    }

  g_object_notify_by_pspec (G_OBJECT (node), properties[PROP_REGISTRY_URL]);
}

/**
 * gro_node_close:
 * @node: a #GroNode
 *
 * Closes @node for good: every connection ends, each with
 * [signal@Gro.Node::connection-closed], nothing reconnects, and connecting
 * again fails with %GRO_ERROR_CLOSED. Its replicas stay, in the state a lost
 * connection leaves them in. A [class@Gro.Host] also stops listening,
 * removes the socket files it made, and withdraws every source and list it
 * shares; sharing or listening again fails with %GRO_ERROR_CLOSED.
 *
 * Dropping the last reference to a node does the same; this is for when
 * that is not the moment: a language's garbage collector decides it, or
 * other code still holds the node. Closing a closed node does nothing.
 *
 * Since: 1.0
 */
void
gro_node_close (GroNode *node)
{
  GroNodePrivate *priv;

  g_return_if_fail (GRO_IS_NODE (node));

  priv = gro_node_get_instance_private (node);
  if (priv->closed)
    return;
  priv->closed = TRUE;

  /* Nothing reconnects, and a host takes no new connection. */
  priv->registry_target = NULL;
  g_ptr_array_set_size (priv->targets, 0);
  if (GRO_IS_HOST (node))
    _gro_host_shutdown (GRO_HOST (node));
  _gro_node_disconnect_all (node);
}

/* FALSE, with GRO_ERROR_CLOSED, once gro_node_close() has run. */
gboolean
_gro_node_check_open (GroNode  *node,
                      GError  **error)
{
  GroNodePrivate *priv = gro_node_get_instance_private (node);

  if (priv->closed)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_CLOSED, "The %s is closed",
                   GRO_IS_HOST (node) ? "host" : "node");
      return FALSE;
    }
  return TRUE;
}

/* Gives @link the node's heartbeat and limits. */
void
_gro_node_apply_settings (GroNode *self,
                          GroLink *link)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  gro_link_set_limits (link, priv->max_frame_size, priv->max_queued_bytes,
                       priv->max_nesting_depth);
  if (gro_link_get_heartbeat (link) != priv->heartbeat_ms)
    gro_link_set_heartbeat (link, priv->heartbeat_ms);
}

static void
node_apply_settings_to_all (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  for (guint i = 0; i < priv->links->len; i++)
    _gro_node_apply_settings (self, ((GroNodeLink *) priv->links->pdata[i])->link);
  if (GRO_IS_HOST (self))
    _gro_host_apply_settings (GRO_HOST (self));
}

guint
_gro_node_get_max_calls_in_flight (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  return priv->max_calls_in_flight;
}

guint
_gro_node_get_max_schema_members (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  return priv->max_schema_members;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
gro_node_dispose (GObject *object)
{
  GroNode *self = GRO_NODE (object);
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  gro_node_close (self);

  if (priv->drain_source != NULL)
    {
      g_source_destroy (priv->drain_source);
      g_clear_pointer (&priv->drain_source, g_source_unref);
    }
  g_queue_clear_full (&priv->effects, (GDestroyNotify) effect_free);

  G_OBJECT_CLASS (gro_node_parent_class)->dispose (object);
}

static void
gro_node_finalize (GObject *object)
{
  GroNode *self = GRO_NODE (object);
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  g_ptr_array_unref (priv->links);
  g_ptr_array_unref (priv->targets);
  g_clear_object (&priv->tls_certificate);
  g_clear_object (&priv->tls_database);
  g_clear_object (&priv->tls_pinned);
  g_hash_table_unref (priv->mirrors);
  g_hash_table_unref (priv->locations);
  g_clear_object (&priv->location_store);
  g_free (priv->registry_url);
  g_main_context_unref (priv->context);

  G_OBJECT_CLASS (gro_node_parent_class)->finalize (object);
}

static void
gro_node_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  GroNode *self = GRO_NODE (object);
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_MAX_DYNAMIC_TYPES:
      g_value_set_uint (value, gro_node_get_max_dynamic_types (self));
      break;
    case PROP_HEARTBEAT_INTERVAL:
      g_value_set_uint (value, gro_node_get_heartbeat_interval (self));
      break;
    case PROP_RECONNECT_INITIAL_DELAY:
      g_value_set_uint (value, priv->reconnect_initial_ms);
      break;
    case PROP_RECONNECT_MAX_DELAY:
      g_value_set_uint (value, priv->reconnect_max_ms);
      break;
    case PROP_MAX_FRAME_SIZE:
      g_value_set_uint (value, priv->max_frame_size);
      break;
    case PROP_MAX_QUEUED_BYTES:
      g_value_set_uint (value, priv->max_queued_bytes);
      break;
    case PROP_MAX_CALLS_IN_FLIGHT:
      g_value_set_uint (value, priv->max_calls_in_flight);
      break;
    case PROP_MAX_NESTING_DEPTH:
      g_value_set_uint (value, priv->max_nesting_depth);
      break;
    case PROP_MAX_SCHEMA_MEMBERS:
      g_value_set_uint (value, priv->max_schema_members);
      break;
    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, priv->tls_certificate);
      break;
    case PROP_TLS_DATABASE:
      g_value_set_object (value, priv->tls_database);
      break;
    case PROP_TLS_PINNED_CERTIFICATE:
      g_value_set_object (value, priv->tls_pinned);
      break;
    case PROP_REGISTRY_URL:
      g_value_set_string (value, priv->registry_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_node_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  GroNode *self = GRO_NODE (object);
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_MAX_DYNAMIC_TYPES:
      gro_node_set_max_dynamic_types (self, g_value_get_uint (value));
      break;
    case PROP_HEARTBEAT_INTERVAL:
      gro_node_set_heartbeat_interval (self, g_value_get_uint (value));
      break;
    case PROP_RECONNECT_INITIAL_DELAY:
      if (priv->reconnect_initial_ms != g_value_get_uint (value))
        {
          priv->reconnect_initial_ms = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_RECONNECT_MAX_DELAY:
      if (priv->reconnect_max_ms != g_value_get_uint (value))
        {
          priv->reconnect_max_ms = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_TLS_CERTIFICATE:
      g_set_object (&priv->tls_certificate, g_value_get_object (value));
      break;
    case PROP_TLS_DATABASE:
      g_set_object (&priv->tls_database, g_value_get_object (value));
      break;
    case PROP_TLS_PINNED_CERTIFICATE:
      g_set_object (&priv->tls_pinned, g_value_get_object (value));
      break;
    case PROP_REGISTRY_URL:
      gro_node_set_registry_url (self, g_value_get_string (value));
      break;
    case PROP_MAX_FRAME_SIZE:
    case PROP_MAX_QUEUED_BYTES:
    case PROP_MAX_CALLS_IN_FLIGHT:
    case PROP_MAX_NESTING_DEPTH:
    case PROP_MAX_SCHEMA_MEMBERS:
      {
        guint *field = prop_id == PROP_MAX_FRAME_SIZE ? &priv->max_frame_size
                     : prop_id == PROP_MAX_QUEUED_BYTES ? &priv->max_queued_bytes
                     : prop_id == PROP_MAX_CALLS_IN_FLIGHT ? &priv->max_calls_in_flight
                     : prop_id == PROP_MAX_NESTING_DEPTH ? &priv->max_nesting_depth
                     : &priv->max_schema_members;

        if (*field != g_value_get_uint (value))
          {
            *field = g_value_get_uint (value);
            node_apply_settings_to_all (self);
            g_object_notify_by_pspec (object, pspec);
          }
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_node_class_init (GroNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gro_node_dispose;
  object_class->finalize = gro_node_finalize;
  object_class->get_property = gro_node_get_property;
  object_class->set_property = gro_node_set_property;

  /**
   * GroNode:max-dynamic-types:
   *
   * How many types the node may register for what peers send: replica
   * classes for new or changed schemas, and enumerations this process does not
   * have. A GType can never be unregistered, so this bounds what a peer can
   * make the process keep. Past it, the replicas that would need a new type
   * go to %GRO_REPLICA_STATE_SIGNATURE_MISMATCH with %GRO_ERROR_LIMIT_EXCEEDED.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_DYNAMIC_TYPES] =
    g_param_spec_uint ("max-dynamic-types", NULL, NULL, 0, G_MAXUINT,
                       DEFAULT_MAX_DYNAMIC_TYPES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:heartbeat-interval:
   *
   * How often, in milliseconds, the node checks that each peer still
   * answers; 0, the default, turns the check off. After one interval without
   * a word from a peer the node sends it a ping; after one and a half, the
   * peer counts as unresponsive and the replicas of its sources become
   * %GRO_REPLICA_STATE_SUSPECT (so calls fail at once), until it speaks
   * again; after ten, the connection is closed with %GRO_ERROR_TIMED_OUT, and
   * reconnected if it was made from an address. Both sides may set it; a
   * [class@Gro.Host] uses it to drop nodes that froze or vanished.
   *
   * Since: 1.0
   */
  properties[PROP_HEARTBEAT_INTERVAL] =
    g_param_spec_uint ("heartbeat-interval", NULL, NULL, 0, G_MAXINT / 1000, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:reconnect-initial-delay:
   *
   * How long, in milliseconds, the node waits before it reconnects to an
   * address whose connection was lost. Each failed attempt doubles the wait,
   * up to [property@Gro.Node:reconnect-max-delay]; a connection that greets
   * again resets it. Only connections made with
   * [method@Gro.Node.connect_to_node] reconnect, once they have worked:
   * streams handed in with [method@Gro.Node.connect_to_stream] do not.
   *
   * Since: 1.0
   */
  properties[PROP_RECONNECT_INITIAL_DELAY] =
    g_param_spec_uint ("reconnect-initial-delay", NULL, NULL, 0, G_MAXINT / 2,
                       DEFAULT_RECONNECT_INITIAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:reconnect-max-delay:
   *
   * The longest wait, in milliseconds, between two attempts to reconnect.
   *
   * Since: 1.0
   */
  properties[PROP_RECONNECT_MAX_DELAY] =
    g_param_spec_uint ("reconnect-max-delay", NULL, NULL, 0, G_MAXINT / 2,
                       DEFAULT_RECONNECT_MAX,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:max-frame-size:
   *
   * The largest message, in bytes, the node takes from a peer; a larger one
   * closes that connection with %GRO_ERROR_PROTOCOL. It also bounds the
   * largest value that can be received, so a `GBytes` property of 100 MiB
   * needs more than the default of 16 MiB.
   *
   * Each side tells the other its limit when a connection opens, and sends
   * nothing larger: a call, write or reply that would not fit fails alone
   * with %GRO_ERROR_LIMIT_EXCEEDED, and so do the replicas of a source whose
   * values would not fit; a value pushed later that would not fit ends the
   * connection with that error. A change applies at once to what this
   * side accepts; peers learn it when they connect again.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_FRAME_SIZE] =
    g_param_spec_uint ("max-frame-size", NULL, NULL, 4096, G_MAXUINT32 - 1,
                       DEFAULT_MAX_FRAME_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:max-queued-bytes:
   *
   * How many bytes may wait to be sent to a peer that does not read them
   * fast enough. Property changes do not count: while a connection is
   * congested, only the latest value of each property waits. Past this
   * bound, signals, calls and replies that would wait close the connection
   * with %GRO_ERROR_LIMIT_EXCEEDED, so one stuck peer cannot make the
   * process grow without bound.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_QUEUED_BYTES] =
    g_param_spec_uint ("max-queued-bytes", NULL, NULL, 64 * 1024, G_MAXUINT,
                       DEFAULT_MAX_QUEUED_BYTES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:max-calls-in-flight:
   *
   * How many calls and property writes may wait for their answer on one
   * connection: for a [class@Gro.Host], those a node sent and a source has
   * not answered yet; for a node, those its replicas sent to one host.
   * Past it, a call fails at once with %GRO_ERROR_LIMIT_EXCEEDED.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_CALLS_IN_FLIGHT] =
    g_param_spec_uint ("max-calls-in-flight", NULL, NULL, 1, G_MAXUINT,
                       DEFAULT_MAX_CALLS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:max-nesting-depth:
   *
   * How deeply a value received from a peer may nest (containers and
   * variants within variants); deeper closes the connection with
   * %GRO_ERROR_PROTOCOL.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_NESTING_DEPTH] =
    g_param_spec_uint ("max-nesting-depth", NULL, NULL, 8, 128, DEFAULT_MAX_NESTING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:max-schema-members:
   *
   * How many properties, signals or methods (each) a source's schema may
   * have: a host refuses to share a bigger source, and a node refuses a
   * bigger schema from a host, closing the connection with
   * %GRO_ERROR_LIMIT_EXCEEDED.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_SCHEMA_MEMBERS] =
    g_param_spec_uint ("max-schema-members", NULL, NULL, 1, 65535, DEFAULT_MAX_MEMBERS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:tls-certificate:
   *
   * This side's certificate for `tls://`, with its private key: a
   * [class@Gro.Host]'s server certificate (needed to listen on `tls://`), or
   * a node's client certificate for hosts that ask for one (mutual TLS).
   * Make it with g_tls_certificate_new_from_files().
   *
   * Since: 1.0
   */
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL, G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:tls-database:
   *
   * The certificate authorities that vouch for peers over `tls://`: for a
   * node, the hosts it connects to; for a [class@Gro.Host] that asks for
   * client certificates, its nodes. %NULL uses the system's. Make one from a
   * CA file with g_tls_file_database_new().
   *
   * Since: 1.0
   */
  properties[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL, G_TYPE_TLS_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:tls-pinned-certificate:
   *
   * A host certificate to accept over `tls://`, and no other, whatever
   * authority signed it: for hosts with self-signed certificates. Set, it
   * takes the place of [property@Gro.Node:tls-database] for connecting.
   *
   * Since: 1.0
   */
  properties[PROP_TLS_PINNED_CERTIFICATE] =
    g_param_spec_object ("tls-pinned-certificate", NULL, NULL, G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * GroNode:registry-url:
   *
   * The address of a [class@Gro.RegistryHost], or %NULL. With a registry,
   * the node acquires sources by name alone: it learns from the registry
   * which host shares each name, and connects to that host when a replica
   * needs it, and again when the host comes back at the same or another
   * address. A [class@Gro.Host] with a registry also publishes there every
   * source it shares, and withdraws it when it stops. The node keeps
   * reconnecting to the registry, so one that restarts is filled again and
   * used again without the application doing anything. A
   * [class@Gro.RegistryHost] has no registry of its own.
   *
   * Since: 1.0
   */
  properties[PROP_REGISTRY_URL] =
    g_param_spec_string ("registry-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GroNode::source-location-added:
   * @node: the node
   * @location: where the source is
   *
   * Emitted when the registry learns of a source, or when this node learns
   * the registry's table, after @location is added to
   * [method@Gro.Node.get_source_locations].
   *
   * Since: 1.0
   */
  signals[SOURCE_LOCATION_ADDED] =
    g_signal_new ("source-location-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GRO_TYPE_SOURCE_LOCATION);

  /**
   * GroNode::source-location-removed:
   * @node: the node
   * @location: where the source was
   *
   * Emitted when a source leaves the registry: its host withdrew it, went
   * away, or moved it (a new location is then added), after @location is
   * removed from [method@Gro.Node.get_source_locations].
   *
   * Since: 1.0
   */
  signals[SOURCE_LOCATION_REMOVED] =
    g_signal_new ("source-location-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, GRO_TYPE_SOURCE_LOCATION);

  /**
   * GroNode::connection-closed:
   * @node: the node
   * @address: the address of the peer
   * @error: (nullable): why the connection closed, or %NULL when this side
   *   closed it
   *
   * Emitted when a connection to a host, or for a [class@Gro.Host] a
   * connection from a node, closes: the peer went away, or broke the
   * protocol (%GRO_ERROR_PROTOCOL).
   *
   * Since: 1.0
   */
  signals[CONNECTION_CLOSED] =
    g_signal_new ("connection-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);

  /**
   * GroNode::connection-state-changed:
   * @node: the node
   * @address: the address of the host, or "a stream" for a stream handed
   *   in with [method@Gro.Node.connect_to_stream]
   * @state: the new state
   *
   * Emitted when a connection to a host greets, falls silent, answers again,
   * or is lost: %GRO_CONNECTION_STATE_RECONNECTING when the node will make it
   * again, %GRO_CONNECTION_STATE_CLOSED when it will not (a stream handed in
   * is never made again).
   *
   * Since: 1.0
   */
  signals[CONNECTION_STATE_CHANGED] =
    g_signal_new ("connection-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
                  GRO_TYPE_CONNECTION_STATE);
}

static void
gro_node_init (GroNode *self)
{
  GroNodePrivate *priv = gro_node_get_instance_private (self);

  priv->context = g_main_context_ref_thread_default ();
  priv->links = g_ptr_array_new ();
  priv->mirrors = g_hash_table_new (g_str_hash, g_str_equal);
  priv->max_dynamic_types = DEFAULT_MAX_DYNAMIC_TYPES;
  priv->type_budget = DEFAULT_MAX_DYNAMIC_TYPES;
  priv->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  priv->reconnect_initial_ms = DEFAULT_RECONNECT_INITIAL;
  priv->reconnect_max_ms = DEFAULT_RECONNECT_MAX;
  priv->max_frame_size = DEFAULT_MAX_FRAME_SIZE;
  priv->max_queued_bytes = DEFAULT_MAX_QUEUED_BYTES;
  priv->max_calls_in_flight = DEFAULT_MAX_CALLS;
  priv->max_nesting_depth = DEFAULT_MAX_NESTING;
  priv->max_schema_members = DEFAULT_MAX_MEMBERS;
  priv->locations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&priv->effects);
  priv->wait_deadline = -1;
}
