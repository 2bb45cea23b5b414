/* gro-list-model-replica.c
 *
 * The list keeps one slot per item of the source list: empty (never read,
 * or evicted), PENDING (asked for, no object yet), or a replica: a filled
 * item, or a placeholder that get_item() handed out before its data came.
 * Items are replicas of their own mirrors, under ids the host chose, so
 * their notifications, calls and writes take the paths of any replica.
 *
 * The host sends changes in order with the first items they add, and
 * answers fetches in order with the items as it has them then: every message
 * is read in the state the host was in when it sent it, so positions always
 * agree and no change needs a round trip.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "gro-dynamic-private.h"
#include "gro-error.h"
#include "gro-list-model-replica-private.h"
#include "gro-node-private.h"
#include "gro-replica-private.h"

/**
 * GroListModelReplica:
 *
 * A [iface@Gio.ListModel] that mirrors a list model shared by a host with
 * [method@Gro.Host.enable_model_remoting]. Get one with
 * [method@Gro.Node.acquire_model].
 *
 * ```c
 * g_autoptr(GroListModelReplica) people = gro_node_acquire_model (node, "people");
 *
 * if (!gro_list_model_replica_wait_for_source (people, 5000, &error))
 *   g_error ("%s", error->message);
 * gtk_list_view_set_model (view, GTK_SELECTION_MODEL (gtk_single_selection_new (
 *                            G_LIST_MODEL (g_object_ref (people)))));
 * ```
 *
 * The list emits [signal@Gio.ListModel::items-changed] exactly as the
 * source list did: same positions, same counts, in the same order. A move
 * written as a removal and an addition arrives as that. Changes come with
 * the data of the items they add (up to [property@Gro.ListModelReplica:prefetch]
 * of them), so a change costs no round trip.
 *
 * Its items are replicas ([class@Gro.Replica]) of the source list's items:
 * their properties follow the source items' notifications, and they can be
 * written and their methods called, as any replica's.
 *
 * The length is known when the list becomes valid; items are fetched in
 * windows of [property@Gro.ListModelReplica:prefetch] items around what is
 * read. [method@Gio.ListModel.get_item] on an item not fetched yet returns a
 * placeholder at once: a replica in the state
 * %GRO_REPLICA_STATE_UNINITIALIZED, with the default values of the list's
 * item type, which becomes valid and notifies its properties when its data
 * arrives. The list holds at most
 * [property@Gro.ListModelReplica:max-cached] fetched items; items far from
 * the last read are dropped first, and fetched again when read. An item that
 * the application holds stays up to date after the list dropped it; reading
 * its position again may give another replica of the same item.
 *
 * When the connection is lost, the list keeps its items, whose replicas
 * become %GRO_REPLICA_STATE_SUSPECT, and [property@Gro.ListModelReplica:valid]
 * turns %FALSE; when a host shares the list again, the list is replaced by
 * the source's as a whole, in one items-changed.
 *
 * The list belongs to the main context of its node, where it emits its
 * signals. When not to use it: for a handful of objects whose set does not
 * change, share them one by one; for data without identity (rows of
 * numbers), a property holding a #GVariant array is cheaper.
 *
 * Since: 1.0
 */

#define PENDING ((gpointer) 1)
#define DEFAULT_PREFETCH    100
#define DEFAULT_MAX_CACHED  4096

struct _GroListModelReplica
{
  GObject     parent_instance;

  GroNode    *node;
  char       *name;
  GroMirror  *mirror;        /* NULL when the name is taken by an object */
  gboolean    valid;

  GPtrArray  *slots;         /* NULL, PENDING, or GroReplica * (owned) */
  GHashTable *placeholders;  /* GroReplica * in slots not filled yet */
  guint       n_cached;      /* filled replicas in slots */
  guint       n_pending;     /* PENDING slots and placeholders in slots */
  guint       n_fetches;     /* MODEL_FETCH sent, not answered */
  guint       last_read;

  guint       prefetch;
  guint       max_cached;

  GHashTable *schemas;       /* hash -> GroSchema *, as the host sent them */
  GroSchema  *first_schema;  /* the placeholders' */

  GSList     *waiters;       /* Waiter * */
};

typedef struct
{
  GroListModelReplica *list;
  GroListReadyFunc     func;
  gpointer             user_data;
  GCancellable        *cancellable;
  gulong               cancelled_id;
} Waiter;

enum {
  PROP_0,
  PROP_NODE,
  PROP_NAME,
  PROP_VALID,
  PROP_N_ITEMS,
  PROP_PREFETCH,
  PROP_MAX_CACHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GroListModelReplica, gro_list_model_replica, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static gboolean
is_placeholder (GroListModelReplica *self,
                gpointer             slot)
{
  return slot != NULL && slot != PENDING && g_hash_table_contains (self->placeholders, slot);
}

/* Forgets what a slot holds, keeping the counts right. */
static void
slot_clear (GroListModelReplica *self,
            gpointer             slot)
{
  if (slot == NULL)
    return;
  if (slot == PENDING)
    self->n_pending--;
  else
    {
      if (g_hash_table_remove (self->placeholders, slot))
        self->n_pending--;
      else
        self->n_cached--;
      g_object_unref (slot);
    }
}

/* ------------------------------------------------------------------------ */
/* Waiting                                                                   */

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancellable != NULL)
    {
      g_cancellable_disconnect (waiter->cancellable, waiter->cancelled_id);
      g_object_unref (waiter->cancellable);
    }
  g_free (waiter);
}

static void
complete_waiters (GroListModelReplica *self,
                  const GError        *error)
{
  GSList *waiters = g_steal_pointer (&self->waiters);

  for (GSList *l = waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      waiter->func (self, error, waiter->user_data);
      waiter_free (waiter);
    }
  g_slist_free (waiters);
}

static gboolean
waiter_cancel_idle (gpointer data)
{
  Waiter *waiter = data;
  g_autoptr(GError) error = NULL;

  g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  waiter->func (waiter->list, error, waiter->user_data);
  g_object_unref (waiter->list);
  waiter_free (waiter);
  return G_SOURCE_REMOVE;
}

static void
waiter_on_cancelled (GCancellable *cancellable,
                     Waiter       *waiter)
{
  GroListModelReplica *self = waiter->list;
  GSource *source;

  /* Runs in the cancelling thread: only move the waiter to an idle. */
  if (g_slist_find (self->waiters, waiter) == NULL)
    return;
  self->waiters = g_slist_remove (self->waiters, waiter);
  g_object_ref (self);
  source = g_idle_source_new ();
  g_source_set_callback (source, waiter_cancel_idle, waiter, NULL);
  g_source_attach (source, gro_node_get_context (self->node));
  g_source_unref (source);
}

void
_gro_list_model_replica_when_valid (GroListModelReplica *self,
                                    GCancellable        *cancellable,
                                    GroListReadyFunc     func,
                                    gpointer             user_data)
{
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->list = self;
  waiter->func = func;
  waiter->user_data = user_data;

  if (self->valid)
    {
      func (self, NULL, user_data);
      g_free (waiter);
      return;
    }

  self->waiters = g_slist_prepend (self->waiters, waiter);
  if (cancellable != NULL)
    {
      waiter->cancellable = g_object_ref (cancellable);
      /* Connecting to a cancelled cancellable calls back at once. */
      waiter->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (waiter_on_cancelled),
                                                    waiter, NULL);
    }
}

static void
set_valid (GroListModelReplica *self,
           gboolean             valid)
{
  if (self->valid == valid)
    return;
  self->valid = valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

void
_gro_list_model_replica_lost (gpointer list)
{
  set_valid (list, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Items                                                                     */

static GType
item_type_for (GroListModelReplica *self,
               GroSchema           *schema,
               GError             **error)
{
  if (schema == NULL)
    return GRO_TYPE_REPLICA;
  return gro_dynamic_replica_type_for (schema, _gro_node_get_type_budget (self->node), error);
}

static GroReplica *
new_item_replica (GroListModelReplica *self,
                  GroMirror           *mirror)
{
  g_autoptr(GError) error = NULL;
  GType type = mirror ? gro_mirror_get_dynamic_type (mirror, &error)
                      : item_type_for (self, self->first_schema, &error);
  GroReplica *replica;

  if (type == G_TYPE_INVALID)
    type = GRO_TYPE_REPLICA;
  replica = g_object_new (type, "node", self->node, "name", self->name, NULL);
  /* A placeholder needs a type with the items' members: without a schema
   * (the first item could not be represented here), it fails at once. */
  if (error == NULL && mirror == NULL && self->first_schema == NULL)
    g_set_error (&error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                 "No item of the list '%s' could be represented in this node", self->name);
  if (error != NULL)
    _gro_replica_fail (replica, error);
  else if (mirror != NULL)
    _gro_replica_attach (replica, mirror);

  return replica;
}

/* Takes one item `(u(sm(…)v))` as the host sent it; returns its mirror
 * (a new reference). */
static GroMirror *
take_item (GroMirror  *list_mirror,
           GHashTable *schemas,
           GVariant   *item,
           GError    **error)
{
  g_autoptr(GVariant) id_value = g_variant_get_child_value (item, 0);
  g_autoptr(GVariant) init = g_variant_get_child_value (item, 1);
  g_autoptr(GVariant) hash_value = NULL;
  g_autoptr(GVariant) maybe_schema = NULL;
  GroNodeLink *nlink = list_mirror->nlink;
  GroMirror *mirror;
  const char *hash;
  guint32 id = g_variant_get_uint32 (id_value);

  /* By child rather than with a format string: scanning the format costs
   * more than the rest, for every item. */

  if ((id & GRO_ITEM_ID_BIT) == 0)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "An item of the list '%s' has id %u, which is not the host's to choose",
                   list_mirror->name, id);
      return NULL;
    }

  mirror = g_hash_table_lookup (nlink->objects, GUINT_TO_POINTER (id));
  if (mirror != NULL)
    {
      if (mirror->parent != list_mirror)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "An item of the list '%s' has id %u, which is another object's",
                       list_mirror->name, id);
          return NULL;
        }
      /* Known: its values are kept up to date by its own messages. */
      if (mirror->n_sent < G_MAXUINT32)
        mirror->n_sent++;
      return gro_mirror_ref (mirror);
    }

  mirror = gro_mirror_new (list_mirror->node, list_mirror->name);
  mirror->parent = gro_mirror_ref (list_mirror);
  mirror->nlink = nlink;
  mirror->object_id = id;
  mirror->n_sent = 1;
  g_hash_table_insert (nlink->objects, GUINT_TO_POINTER (id), mirror);

  hash_value = g_variant_get_child_value (init, 0);
  hash = g_variant_get_string (hash_value, NULL);
  maybe_schema = g_variant_get_child_value (init, 1);
  if (g_variant_n_children (maybe_schema) == 0)
    {
      GroSchema *known = schemas ? g_hash_table_lookup (schemas, hash) : NULL;

      if (known == NULL)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "An item of the list '%s' came without a schema this node knows",
                       list_mirror->name);
          gro_mirror_unref (mirror);
          return NULL;
        }
      mirror->schema = gro_schema_ref (known);
    }

  if (!gro_mirror_init_item (mirror, init, error))
    {
      gro_mirror_unref (mirror);
      return NULL;
    }

  if (schemas != NULL && mirror->schema != NULL &&
      !g_hash_table_contains (schemas, mirror->schema->hash))
    {
      if (g_hash_table_size (schemas) >= GRO_LIST_MAX_SCHEMAS)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                       "The items of the list '%s' have more than %u types",
                       list_mirror->name, GRO_LIST_MAX_SCHEMAS);
          gro_mirror_unref (mirror);
          return NULL;
        }
      g_hash_table_insert (schemas, mirror->schema->hash, gro_schema_ref (mirror->schema));
    }

  return mirror;
}

/* Puts the item the host sent for @position in its slot. */
static gboolean
fill_slot (GroListModelReplica *self,
           guint                position,
           GVariant            *item,
           GError             **error)
{
  g_autoptr(GroMirror) mirror = take_item (self->mirror, self->schemas, item, error);
  gpointer slot;

  if (mirror == NULL)
    return FALSE;

  if (self->first_schema == NULL && mirror->schema != NULL)
    self->first_schema = gro_schema_ref (mirror->schema);

  slot = self->slots->pdata[position];
  if (is_placeholder (self, slot))
    {
      g_hash_table_remove (self->placeholders, slot);
      self->n_pending--;
      self->n_cached++;
      _gro_replica_attach (slot, mirror);
      return TRUE;
    }

  if (slot != NULL && slot != PENDING)
    {
      /* The same item, sent again: nothing changes. */
      if (g_ptr_array_find (mirror->replicas, slot, NULL))
        return TRUE;

      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The host sent another item for position %u of the list '%s'",
                   position, self->name);
      return FALSE;
    }

  if (slot == PENDING)
    self->n_pending--;

  self->slots->pdata[position] = mirror->replicas->len > 0
                                 ? g_object_ref (mirror->replicas->pdata[0])
                                 : new_item_replica (self, mirror);
  self->n_cached++;
  return TRUE;
}

/* Items of a list whose replica is gone are only counted, so that the host
 * keeps the count it expects when they are released. */
static gboolean
count_items (GroMirror  *list_mirror,
             GVariant   *items,
             GError    **error)
{
  GVariantIter iter;
  GVariant *item;

  g_variant_iter_init (&iter, items);
  while ((item = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GroMirror) mirror = NULL;
      guint32 id;

      g_variant_get_child (item, 0, "u", &id);
      if (g_hash_table_contains (list_mirror->nlink->objects, GUINT_TO_POINTER (id)))
        mirror = take_item (list_mirror, NULL, item, error);
      g_variant_unref (item);
      if (error != NULL && *error != NULL)
        return FALSE;
    }
  return TRUE;
}

/* Drops fetched items far from the last read until the cache is within its
 * bound again. Placeholders stay: someone waits for them. */
static void
maybe_evict (GroListModelReplica *self)
{
  guint keep_below, keep_from, radius;

  if (self->n_cached <= self->max_cached)
    return;

  radius = self->max_cached / 4;
  keep_from = self->last_read > radius ? self->last_read - radius : 0;
  keep_below = self->last_read + radius + 1;

  for (guint i = 0; i < self->slots->len && self->n_cached > self->max_cached / 2; i++)
    {
      gpointer slot = self->slots->pdata[i];

      if (slot == NULL || slot == PENDING || is_placeholder (self, slot))
        continue;
      if (i >= keep_from && i < keep_below)
        continue;
      self->slots->pdata[i] = NULL;
      slot_clear (self, slot);
    }
}

static void
request_window (GroListModelReplica *self,
                guint                position)
{
  guint half = self->prefetch / 2;
  guint start = position > half ? position - half : 0;
  guint end = MIN (self->slots->len, start + MAX (self->prefetch, 1));

  if (self->mirror == NULL || self->mirror->nlink == NULL || !self->valid)
    return;

  /* Ask only for the part not there yet. */
  while (start < position &&
         self->slots->pdata[start] != NULL && !is_placeholder (self, self->slots->pdata[start]))
    start++;
  while (end > position + 1 &&
         self->slots->pdata[end - 1] != NULL && !is_placeholder (self, self->slots->pdata[end - 1]))
    end--;

  for (guint i = start; i < end; i++)
    if (self->slots->pdata[i] == NULL)
      {
        self->slots->pdata[i] = PENDING;
        self->n_pending++;
      }

  self->n_fetches++;
  gro_link_send (self->mirror->nlink->link, GRO_MESSAGE_MODEL_FETCH, self->mirror->object_id,
                 0, 0, g_variant_new ("(uu)", start, end - start));
}

/* Every fetch was answered, yet some slots still wait: changes moved them
 * out of the windows asked for. Ask again for placeholders; forget the
 * rest. */
static void
refetch_stragglers (GroListModelReplica *self)
{
  guint asked_below = 0;

  for (guint i = 0; i < self->slots->len; i++)
    if (self->slots->pdata[i] == PENDING)
      {
        self->slots->pdata[i] = NULL;
        self->n_pending--;
      }

  for (guint i = 0; i < self->slots->len && self->n_pending > 0; i++)
    if (i >= asked_below && is_placeholder (self, self->slots->pdata[i]))
      {
        request_window (self, i);
        asked_below = i + MAX (self->prefetch, 1);
      }
}

static gboolean
check_items_fit (GroListModelReplica *self,
                 guint                position,
                 gsize                n,
                 guint                room,
                 const char          *what,
                 GError             **error)
{
  if (n > room)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s of the list '%s' at %u carries %" G_GSIZE_FORMAT
                   " items where there is room for %u",
                   what, self->name, position, n, room);
      return FALSE;
    }
  return TRUE;
}

static gboolean
fill_slots (GroListModelReplica *self,
            guint                position,
            GVariant            *items,
            GError             **error)
{
  gsize n = g_variant_n_children (items);

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (items, i);

      if (!fill_slot (self, position + i, item, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
handle_init (GroListModelReplica *self,
             GroMessage          *message,
             GError             **error)
{
  g_autoptr(GVariant) items = NULL;
  guint old_n = self->slots->len;
  guint32 n_items;

  g_variant_get (message->body, "(u@a" GRO_MODEL_ITEM_TYPE_STRING ")", &n_items, &items);
  if (n_items > GRO_LIST_MAX_ITEMS)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                   "The list '%s' has %u items; a node takes at most %u",
                   self->name, n_items, GRO_LIST_MAX_ITEMS);
      return FALSE;
    }
  if (!check_items_fit (self, 0, g_variant_n_children (items), n_items, "MODEL_INIT", error))
    return FALSE;
  if (n_items > 0 && g_variant_n_children (items) == 0)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The list '%s' came without its first item", self->name);
      return FALSE;
    }

  /* A new subscription: the whole list again, from scratch. */
  for (guint i = 0; i < self->slots->len; i++)
    slot_clear (self, self->slots->pdata[i]);
  g_ptr_array_set_size (self->slots, 0);
  g_ptr_array_set_size (self->slots, n_items);
  g_assert (self->n_cached == 0 && self->n_pending == 0);
  g_hash_table_remove_all (self->schemas);
  self->n_fetches = 0;

  if (!fill_slots (self, 0, items, error))
    return FALSE;

  self->mirror->active = TRUE;
  set_valid (self, TRUE);
  if (old_n != 0 || n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, n_items);
  if (old_n != n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  complete_waiters (self, NULL);

  return TRUE;
}

static gboolean
handle_changed (GroListModelReplica *self,
                GroMessage          *message,
                GError             **error)
{
  g_autoptr(GVariant) items = NULL;
  guint32 position, removed, added;
  guint n = self->slots->len;

  g_variant_get (message->body, "(uuu@a" GRO_MODEL_ITEM_TYPE_STRING ")",
                 &position, &removed, &added, &items);

  if (!self->mirror->active)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The list '%s' changed before it was sent", self->name);
      return FALSE;
    }
  if (position > n || removed > n - position)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The list '%s' has %u items; %u cannot be removed at %u",
                   self->name, n, removed, position);
      return FALSE;
    }
  if (added > GRO_LIST_MAX_ITEMS - (n - removed))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                   "The list '%s' would have more than %u items",
                   self->name, GRO_LIST_MAX_ITEMS);
      return FALSE;
    }
  if (!check_items_fit (self, position, g_variant_n_children (items), added, "MODEL_CHANGED", error))
    return FALSE;
  if (added > 0 && g_variant_n_children (items) == 0)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "A change of the list '%s' added items without the first one", self->name);
      return FALSE;
    }

  for (guint i = position; i < position + removed; i++)
    slot_clear (self, self->slots->pdata[i]);

  /* The splice: shift the tail, then clear the new slots. */
  if (added > removed)
    g_ptr_array_set_size (self->slots, n - removed + added);
  memmove (&self->slots->pdata[position + added], &self->slots->pdata[position + removed],
           (n - position - removed) * sizeof (gpointer));
  if (added < removed)
    g_ptr_array_set_size (self->slots, n - removed + added);
  memset (&self->slots->pdata[position], 0, added * sizeof (gpointer));

  if (self->last_read >= position + removed)
    self->last_read = self->last_read - removed + added;

  if (!fill_slots (self, position, items, error))
    return FALSE;

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  maybe_evict (self);

  return TRUE;
}

static gboolean
handle_items (GroListModelReplica *self,
              GroMessage          *message,
              GError             **error)
{
  g_autoptr(GVariant) items = NULL;
  guint32 position;

  g_variant_get (message->body, "(u@a" GRO_MODEL_ITEM_TYPE_STRING ")", &position, &items);

  if (self->n_fetches == 0)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The host sent items of the list '%s' that were not asked for", self->name);
      return FALSE;
    }
  if (position > self->slots->len ||
      !check_items_fit (self, position, g_variant_n_children (items),
                        self->slots->len - position, "MODEL_ITEMS", error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                     "The host sent items of the list '%s' at %u, past its end",
                     self->name, position);
      return FALSE;
    }

  self->n_fetches--;
  if (!fill_slots (self, position, items, error))
    return FALSE;

  if (self->n_fetches == 0 && self->n_pending > 0)
    refetch_stragglers (self);
  maybe_evict (self);

  return TRUE;
}

gboolean
_gro_list_model_replica_handle_message (GroMirror   *mirror,
                                        GroMessage  *message,
                                        GError     **error)
{
  g_autoptr(GroListModelReplica) self = mirror->list ? g_object_ref (mirror->list) : NULL;
  g_autoptr(GVariant) items = NULL;

  if (self == NULL)
    {
      /* The list is gone, some of its items live on. */
      items = g_variant_get_child_value (message->body, g_variant_n_children (message->body) - 1);
      return count_items (mirror, items, error);
    }

  switch (message->kind)
    {
    case GRO_MESSAGE_MODEL_INIT:
      return handle_init (self, message, error);
    case GRO_MESSAGE_MODEL_CHANGED:
      return handle_changed (self, message, error);
    case GRO_MESSAGE_MODEL_ITEMS:
      return handle_items (self, message, error);
    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------------ */
/* GListModel                                                                */

static GType
list_get_item_type (GListModel *model)
{
  return GRO_TYPE_REPLICA;
}

static guint
list_get_n_items (GListModel *model)
{
  return GRO_LIST_MODEL_REPLICA (model)->slots->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  GroListModelReplica *self = GRO_LIST_MODEL_REPLICA (model);
  gpointer slot;
  gboolean ask;

  if (position >= self->slots->len)
    return NULL;

  self->last_read = position;
  slot = self->slots->pdata[position];
  if (slot != NULL && slot != PENDING)
    return g_object_ref (slot);

  /* Not here yet: a placeholder, which fills in when the data comes. */
  ask = slot == NULL;
  slot = new_item_replica (self, NULL);
  self->slots->pdata[position] = slot;
  g_hash_table_add (self->placeholders, slot);
  if (ask)
    {
      self->n_pending++;
      request_window (self, position);
    }

  return g_object_ref (slot);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

GroListModelReplica *
_gro_list_model_replica_new (GroNode    *node,
                             const char *name,
                             GroMirror  *mirror)
{
  GroListModelReplica *self = g_object_new (GRO_TYPE_LIST_MODEL_REPLICA,
                                            "node", node, "name", name, NULL);

  if (mirror != NULL)
    {
      self->mirror = gro_mirror_ref (mirror);
      mirror->list = self;
      mirror->list_window = self->prefetch;
    }

  return self;
}

/**
 * gro_list_model_replica_get_node:
 * @list: a #GroListModelReplica
 *
 * Gets the node that made the list.
 *
 * Returns: (transfer none): the node
 *
 * Since: 1.0
 */
GroNode *
gro_list_model_replica_get_node (GroListModelReplica *list)
{
  g_return_val_if_fail (GRO_IS_LIST_MODEL_REPLICA (list), NULL);
  return list->node;
}

/**
 * gro_list_model_replica_get_name:
 * @list: a #GroListModelReplica
 *
 * Gets the name the source list is shared under.
 *
 * Returns: the name
 *
 * Since: 1.0
 */
const char *
gro_list_model_replica_get_name (GroListModelReplica *list)
{
  g_return_val_if_fail (GRO_IS_LIST_MODEL_REPLICA (list), NULL);
  return list->name;
}

/**
 * gro_list_model_replica_is_valid:
 * @list: a #GroListModelReplica
 *
 * Gets [property@Gro.ListModelReplica:valid].
 *
 * Returns: whether the list is in step with its source
 *
 * Since: 1.0
 */
gboolean
gro_list_model_replica_is_valid (GroListModelReplica *list)
{
  g_return_val_if_fail (GRO_IS_LIST_MODEL_REPLICA (list), FALSE);
  return list->valid;
}

static void
wait_ready (GroListModelReplica *list,
            const GError        *error,
            gpointer             user_data)
{
  _gro_sync_slot_complete (user_data, NULL, error);
  _gro_sync_slot_unref (user_data);
}

/**
 * gro_list_model_replica_wait_for_source:
 * @list: a #GroListModelReplica
 * @timeout_ms: how long to wait, in milliseconds, or -1 for no limit
 * @error: return location for a #GError
 *
 * Waits until the list is valid: until a host has sent its length and
 * its first items. Only the node's connections are served meanwhile;
 * signals wait for the main loop, except the list's own
 * [signal@Gio.ListModel::items-changed], which is emitted as the list
 * changes. Call it from the thread of the node's main context.
 *
 * Returns: %TRUE when the list is valid; %FALSE with %GRO_ERROR_TIMED_OUT
 *
 * Since: 1.0
 */
gboolean
gro_list_model_replica_wait_for_source (GroListModelReplica  *list,
                                        int                   timeout_ms,
                                        GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *what = NULL;
  GroSyncSlot *slot;
  gboolean ok;

  g_return_val_if_fail (GRO_IS_LIST_MODEL_REPLICA (list), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (list->valid)
    return TRUE;

  slot = _gro_sync_slot_new ();
  _gro_list_model_replica_when_valid (list, NULL, wait_ready, _gro_sync_slot_ref (slot));
  ok = _gro_node_wait (list->node, slot, _gro_deadline_from_timeout (timeout_ms), NULL,
                       &local_error);
  what = g_strdup_printf ("the list '%s'", list->name);
  return _gro_sync_slot_finish (slot, ok, g_steal_pointer (&local_error), what, error);
}

/**
 * gro_list_model_replica_get_prefetch:
 * @list: a #GroListModelReplica
 *
 * Gets [property@Gro.ListModelReplica:prefetch].
 *
 * Returns: the number of items fetched together
 *
 * Since: 1.0
 */
guint
gro_list_model_replica_get_prefetch (GroListModelReplica *list)
{
  g_return_val_if_fail (GRO_IS_LIST_MODEL_REPLICA (list), 0);
  return list->prefetch;
}

/**
 * gro_list_model_replica_set_prefetch:
 * @list: a #GroListModelReplica
 * @prefetch: the number of items to fetch together, 1 to 1024
 *
 * Sets [property@Gro.ListModelReplica:prefetch].
 *
 * Since: 1.0
 */
void
gro_list_model_replica_set_prefetch (GroListModelReplica *list,
                                     guint                prefetch)
{
  g_return_if_fail (GRO_IS_LIST_MODEL_REPLICA (list));
  g_return_if_fail (prefetch >= 1 && prefetch <= 1024);

  if (list->prefetch == prefetch)
    return;
  list->prefetch = prefetch;
  if (list->mirror != NULL)
    list->mirror->list_window = prefetch;
  g_object_notify_by_pspec (G_OBJECT (list), properties[PROP_PREFETCH]);
}

/**
 * gro_list_model_replica_get_max_cached:
 * @list: a #GroListModelReplica
 *
 * Gets [property@Gro.ListModelReplica:max-cached].
 *
 * Returns: the most fetched items the list keeps
 *
 * Since: 1.0
 */
guint
gro_list_model_replica_get_max_cached (GroListModelReplica *list)
{
  g_return_val_if_fail (GRO_IS_LIST_MODEL_REPLICA (list), 0);
  return list->max_cached;
}

/**
 * gro_list_model_replica_set_max_cached:
 * @list: a #GroListModelReplica
 * @max_cached: the most fetched items to keep, at least 16
 *
 * Sets [property@Gro.ListModelReplica:max-cached].
 *
 * Since: 1.0
 */
void
gro_list_model_replica_set_max_cached (GroListModelReplica *list,
                                       guint                max_cached)
{
  g_return_if_fail (GRO_IS_LIST_MODEL_REPLICA (list));
  g_return_if_fail (max_cached >= 16);

  if (list->max_cached == max_cached)
    return;
  list->max_cached = max_cached;
  maybe_evict (list);
  g_object_notify_by_pspec (G_OBJECT (list), properties[PROP_MAX_CACHED]);
}

/**
 * gro_list_model_replica_get_n_cached:
 * @list: a #GroListModelReplica
 *
 * Counts the items whose data the list holds now: fetched, or pushed with a
 * change. Placeholders still waiting for their data do not count.
 *
 * Returns: the number of items held
 *
 * Since: 1.0
 */
guint
gro_list_model_replica_get_n_cached (GroListModelReplica *list)
{
  g_return_val_if_fail (GRO_IS_LIST_MODEL_REPLICA (list), 0);
  return list->n_cached;
}

/**
 * gro_list_model_replica_is_item_loaded:
 * @list: a #GroListModelReplica
 * @position: a position in the list
 *
 * Tells whether the list holds the data of the item at @position, so that
 * [method@Gio.ListModel.get_item] returns it filled in. It does not fetch
 * anything.
 *
 * Returns: %TRUE if the item's data is here
 *
 * Since: 1.0
 */
gboolean
gro_list_model_replica_is_item_loaded (GroListModelReplica *list,
                                       guint                position)
{
  gpointer slot;

  g_return_val_if_fail (GRO_IS_LIST_MODEL_REPLICA (list), FALSE);

  if (position >= list->slots->len)
    return FALSE;
  slot = list->slots->pdata[position];
  return slot != NULL && slot != PENDING && !is_placeholder (list, slot);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
gro_list_model_replica_dispose (GObject *object)
{
  GroListModelReplica *self = GRO_LIST_MODEL_REPLICA (object);
  g_autoptr(GError) error = NULL;

  if (self->waiters != NULL)
    {
      g_set_error (&error, GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE,
                   "The list '%s' was dropped", self->name);
      complete_waiters (self, error);
    }

  for (guint i = 0; i < self->slots->len; i++)
    slot_clear (self, self->slots->pdata[i]);
  g_ptr_array_set_size (self->slots, 0);

  if (self->mirror != NULL)
    {
      self->mirror->list = NULL;
      g_clear_pointer (&self->mirror, gro_mirror_unref);
    }

  G_OBJECT_CLASS (gro_list_model_replica_parent_class)->dispose (object);
}

static void
gro_list_model_replica_finalize (GObject *object)
{
  GroListModelReplica *self = GRO_LIST_MODEL_REPLICA (object);

  g_ptr_array_unref (self->slots);
  g_hash_table_unref (self->placeholders);
  g_hash_table_unref (self->schemas);
  g_clear_pointer (&self->first_schema, gro_schema_unref);
  g_clear_object (&self->node);
  g_free (self->name);

  G_OBJECT_CLASS (gro_list_model_replica_parent_class)->finalize (object);
}

static void
gro_list_model_replica_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  GroListModelReplica *self = GRO_LIST_MODEL_REPLICA (object);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_object (value, self->node);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->slots->len);
      break;
    case PROP_PREFETCH:
      g_value_set_uint (value, self->prefetch);
      break;
    case PROP_MAX_CACHED:
      g_value_set_uint (value, self->max_cached);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_list_model_replica_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  GroListModelReplica *self = GRO_LIST_MODEL_REPLICA (object);

  switch (prop_id)
    {
    case PROP_NODE:
      self->node = g_value_dup_object (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_PREFETCH:
      gro_list_model_replica_set_prefetch (self, g_value_get_uint (value));
      break;
    case PROP_MAX_CACHED:
      gro_list_model_replica_set_max_cached (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_list_model_replica_class_init (GroListModelReplicaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gro_list_model_replica_dispose;
  object_class->finalize = gro_list_model_replica_finalize;
  object_class->get_property = gro_list_model_replica_get_property;
  object_class->set_property = gro_list_model_replica_set_property;

  /**
   * GroListModelReplica:node:
   *
   * The node that made the list.
   *
   * Since: 1.0
   */
  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, GRO_TYPE_NODE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GroListModelReplica:name:
   *
   * The name the source list is shared under.
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GroListModelReplica:valid:
   *
   * Whether the list is in step with its source: a host has sent it, and
   * the connection to that host is open.
   *
   * Since: 1.0
   */
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroListModelReplica:n-items:
   *
   * The number of items, as [method@Gio.ListModel.get_n_items] gives it.
   *
   * Since: 1.0
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroListModelReplica:prefetch:
   *
   * How many items are fetched together around an item that is read and not
   * here yet, and how many items at most come with a change that adds items
   * (the others are fetched when read). The host learns it when the list is
   * acquired: a change applies from the next acquisition.
   *
   * Since: 1.0
   */
  properties[PROP_PREFETCH] =
    g_param_spec_uint ("prefetch", NULL, NULL, 1, 1024, DEFAULT_PREFETCH,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * GroListModelReplica:max-cached:
   *
   * The most items whose data the list keeps. Past it, the items farthest
   * from the last one read are dropped, down to half of it.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_CACHED] =
    g_param_spec_uint ("max-cached", NULL, NULL, 16, G_MAXUINT, DEFAULT_MAX_CACHED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gro_list_model_replica_init (GroListModelReplica *self)
{
  self->slots = g_ptr_array_new ();
  self->placeholders = g_hash_table_new (NULL, NULL);
  self->schemas = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) gro_schema_unref);
  self->prefetch = DEFAULT_PREFETCH;
  self->max_cached = DEFAULT_MAX_CACHED;
}
