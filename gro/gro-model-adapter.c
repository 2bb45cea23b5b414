/* gro-model-adapter.c: a host's side of one shared GListModel
 *
 * The adapter watches its model's items-changed and sends each change, with
 * the data of the items it adds (up to the subscriber's window), to every
 * subscribed link, and answers fetches of item windows. Each item a link has
 * been sent gets an object id there, chosen by the host, and a
 * GroSourceAdapter, so that its notifications reach the link and calls and
 * writes reach it as for any source. The node says when it no longer holds an
 * item; until then the item stays subscribed, even after the model dropped
 * it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "gro-context-private.h"
#include "gro-error.h"
#include "gro-model-adapter-private.h"
#include "gro-source-adapter-private.h"

/* One source adapter per item object, shared by the subscriptions that
 * hold the item. */
typedef struct
{
  GroSourceAdapter *adapter;
  guint             users;
} SharedItem;

struct _GroModelAdapter
{
  grefcount     ref_count;
  GListModel   *model;
  char         *name;
  GMainContext *context;
  guint         max_members;
  gulong        changed_handler;
  GHashTable   *schemas;   /* GType -> GroSchema * */
  GHashTable   *items;     /* GObject * -> SharedItem * */
  GPtrArray    *subs;      /* GroModelSub *, not owned */
};

/* An item as one subscription knows it. @n_sent counts how many times it
 * was sent, which the node gives back when it lets the item go: an item
 * sent again while the node's release was on its way stays. */
typedef struct
{
  guint32           id;
  guint32           n_sent;
  GObject          *item;
  SharedItem       *shared;
} Entry;

struct _GroModelSub
{
  GroModelAdapter *adapter;
  GroModelPeer     peer;
  guint32          object_id;
  guint            window;
  gboolean         read_only;
  GHashTable      *sent_schemas;  /* hash -> NULL: schemas this link has */
  GHashTable      *by_object;     /* GObject * -> Entry * */
  GHashTable      *by_id;         /* id -> Entry *, owned */
};

static GroSchema *
schema_for_item (GroModelAdapter *adapter,
                 GObject         *item)
{
  GType type = G_OBJECT_TYPE (item);
  GroSchema *schema = g_hash_table_lookup (adapter->schemas, GSIZE_TO_POINTER (type));
  g_autoptr(GError) error = NULL;

  if (schema != NULL)
    return schema;

  schema = gro_schema_new_for_type_full (type, adapter->max_members, &error);
  if (schema == NULL)
    {
      /* Checked for the item type when the model was shared; an item of a
       * subclass that gro cannot carry still shows, without members. */
      g_critical ("An item of the list model '%s' cannot be shared: %s",
                  adapter->name, error->message);
      schema = gro_schema_new_for_type (G_TYPE_OBJECT, NULL);
      g_assert (schema != NULL);
    }
  g_hash_table_insert (adapter->schemas, GSIZE_TO_POINTER (type), schema);

  return schema;
}

static SharedItem *
shared_item_get (GroModelAdapter *adapter,
                 GObject         *item)
{
  SharedItem *shared = g_hash_table_lookup (adapter->items, item);

  if (shared == NULL)
    {
      shared = g_new0 (SharedItem, 1);
      shared->adapter = gro_source_adapter_new_for_schema (item, adapter->name,
                                                           schema_for_item (adapter, item),
                                                           adapter->context);
      g_hash_table_insert (adapter->items, g_object_ref (item), shared);
    }
  shared->users++;

  return shared;
}

static void
shared_item_free (gpointer data)
{
  SharedItem *shared = data;

  gro_source_adapter_withdraw (shared->adapter);
  gro_source_adapter_unref (shared->adapter);
  g_free (shared);
}

static void
shared_item_release (GroModelAdapter *adapter,
                     GObject         *item,
                     SharedItem      *shared)
{
  if (--shared->users == 0)
    g_hash_table_remove (adapter->items, item);
}

/* The item's id on this link, and its INIT body, as `(u(sm(…)v))`.
 * Floating. */
static GVariant *
sub_encode_item (GroModelSub *sub,
                 GObject     *item)
{
  Entry *entry = g_hash_table_lookup (sub->by_object, item);
  GroSchema *schema;
  gboolean with_schema;

  if (entry == NULL)
    {
      guint32 id;

      /* The counter wraps within the host's half of the ids; ids in use
       * are skipped. */
      do
        id = GRO_ITEM_ID_BIT | (++*sub->peer.next_item_id & ~GRO_ITEM_ID_BIT);
      while (id == GRO_ITEM_ID_BIT ||
             g_hash_table_contains (sub->peer.objects, GUINT_TO_POINTER (id)));

      entry = g_new0 (Entry, 1);
      entry->id = id;
      entry->item = g_object_ref (item);
      entry->shared = shared_item_get (sub->adapter, item);
      g_hash_table_insert (sub->by_object, item, entry);
      g_hash_table_insert (sub->by_id, GUINT_TO_POINTER (id), entry);

      g_hash_table_insert (sub->peer.objects, GUINT_TO_POINTER (id),
                           gro_source_adapter_ref (entry->shared->adapter));
      if (sub->read_only)
        g_hash_table_add (sub->peer.read_only, GUINT_TO_POINTER (id));
      gro_source_adapter_add_subscriber (entry->shared->adapter, sub->peer.link, id);
    }

  if (entry->n_sent < G_MAXUINT32)
    entry->n_sent++;

  schema = gro_source_adapter_get_schema (entry->shared->adapter);
  with_schema = !g_hash_table_contains (sub->sent_schemas, schema->hash);
  if (with_schema)
    g_hash_table_add (sub->sent_schemas, g_strdup (schema->hash));

  {
    GVariant *parts[2] = {
      g_variant_new_uint32 (entry->id),
      gro_source_adapter_build_init (entry->shared->adapter, with_schema),
    };

    return g_variant_new_tuple (parts, 2);
  }
}

static void
sub_drop_entry (GroModelSub *sub,
                Entry       *entry)
{
  gro_source_adapter_unsubscribe (entry->shared->adapter, sub->peer.link, entry->id);
  g_hash_table_remove (sub->peer.objects, GUINT_TO_POINTER (entry->id));
  g_hash_table_remove (sub->peer.read_only, GUINT_TO_POINTER (entry->id));
  shared_item_release (sub->adapter, entry->item, entry->shared);
  g_hash_table_remove (sub->by_object, entry->item);
  g_object_unref (entry->item);
  g_hash_table_remove (sub->by_id, GUINT_TO_POINTER (entry->id));  /* frees it */
}

/* Items @position to @position + @count - 1 of the model, as many as fit
 * in one message: at least one when @count is not 0. */
static GVariant *
sub_encode_items (GroModelSub *sub,
                  guint        position,
                  guint        count)
{
  GVariantBuilder builder;
  gsize size = 0;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a" GRO_MODEL_ITEM_TYPE_STRING));
  for (guint i = 0; i < count && size < GRO_MODEL_MAX_BATCH_SIZE; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (sub->adapter->model, position + i);
      GVariant *encoded;

      if (item == NULL)
        break;
      encoded = g_variant_ref_sink (sub_encode_item (sub, item));
      size += g_variant_get_size (encoded);
      g_variant_builder_add_value (&builder, encoded);
      g_variant_unref (encoded);
    }

  return g_variant_builder_end (&builder);
}

static void
on_items_changed (GListModel      *model,
                  guint            position,
                  guint            removed,
                  guint            added,
                  GroModelAdapter *adapter)
{
  /* Links are used from the host's context only, and the items are read
   * now: a list changed from another thread cannot be followed. */
  if (!gro_context_enter (adapter->context))
    {
      g_critical ("The list model '%s' changed outside the host's main context; "
                  "its replicas no longer follow it", adapter->name);
      return;
    }
  gro_context_leave (adapter->context);

  for (guint i = 0; i < adapter->subs->len; i++)
    {
      GroModelSub *sub = adapter->subs->pdata[i];

      gro_link_send (sub->peer.link, GRO_MESSAGE_MODEL_CHANGED, sub->object_id, 0, 0,
                     g_variant_new ("(uuu@a" GRO_MODEL_ITEM_TYPE_STRING ")",
                                    position, removed, added,
                                    sub_encode_items (sub, position, MIN (added, sub->window))));
    }
}

GroModelAdapter *
gro_model_adapter_new (GListModel    *model,
                       const char    *name,
                       GMainContext  *context,
                       guint          max_members,
                       GError       **error)
{
  GroModelAdapter *adapter;
  GType item_type = g_list_model_get_item_type (model);

  adapter = g_new0 (GroModelAdapter, 1);
  g_ref_count_init (&adapter->ref_count);
  adapter->model = g_object_ref (model);
  adapter->name = g_strdup (name);
  adapter->context = g_main_context_ref (context);
  adapter->max_members = max_members;
  adapter->schemas = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) gro_schema_unref);
  adapter->items = g_hash_table_new_full (NULL, NULL, g_object_unref, shared_item_free);
  adapter->subs = g_ptr_array_new ();

  /* Refuse at once what cannot be carried, rather than at the first item. */
  if (G_TYPE_IS_OBJECT (item_type) && !G_TYPE_IS_ABSTRACT (item_type))
    {
      GroSchema *schema = gro_schema_new_for_type_full (item_type, max_members, error);

      if (schema == NULL)
        {
          gro_model_adapter_unref (adapter);
          return NULL;
        }
      g_hash_table_insert (adapter->schemas, GSIZE_TO_POINTER (item_type), schema);
    }

  adapter->changed_handler = g_signal_connect (model, "items-changed",
                                               G_CALLBACK (on_items_changed), adapter);
  return adapter;
}

GroModelAdapter *
gro_model_adapter_ref (GroModelAdapter *adapter)
{
  g_ref_count_inc (&adapter->ref_count);
  return adapter;
}

void
gro_model_adapter_withdraw (GroModelAdapter *adapter)
{
  g_clear_signal_handler (&adapter->changed_handler, adapter->model);
}

void
gro_model_adapter_unref (GroModelAdapter *adapter)
{
  if (!g_ref_count_dec (&adapter->ref_count))
    return;

  g_assert (adapter->subs->len == 0);
  gro_model_adapter_withdraw (adapter);
  g_ptr_array_unref (adapter->subs);
  g_hash_table_unref (adapter->items);
  g_hash_table_unref (adapter->schemas);
  g_main_context_unref (adapter->context);
  g_object_unref (adapter->model);
  g_free (adapter->name);
  g_free (adapter);
}

const char *
gro_model_adapter_get_name (GroModelAdapter *adapter)
{
  return adapter->name;
}

GListModel *
gro_model_adapter_get_model (GroModelAdapter *adapter)
{
  return adapter->model;
}

GroModelSub *
gro_model_adapter_subscribe (GroModelAdapter    *adapter,
                             const GroModelPeer *peer,
                             guint32             object_id,
                             guint               window,
                             gboolean            read_only)
{
  GroModelSub *sub = g_new0 (GroModelSub, 1);
  guint n_items = g_list_model_get_n_items (adapter->model);

  sub->adapter = gro_model_adapter_ref (adapter);
  sub->peer = *peer;
  gro_link_ref (sub->peer.link);
  sub->object_id = object_id;
  /* At least one item travels with every change that adds some, so that
   * the node knows a schema for its placeholders. */
  sub->window = CLAMP (window, 1, GRO_MODEL_MAX_WINDOW);
  sub->read_only = read_only;
  sub->sent_schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sub->by_object = g_hash_table_new (NULL, NULL);
  sub->by_id = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_ptr_array_add (adapter->subs, sub);

  gro_link_send (sub->peer.link, GRO_MESSAGE_MODEL_INIT, object_id, 0, 0,
                 g_variant_new ("(u@a" GRO_MODEL_ITEM_TYPE_STRING ")", n_items,
                                sub_encode_items (sub, 0, MIN (n_items, sub->window))));
  return sub;
}

void
gro_model_sub_free (GroModelSub *sub)
{
  GHashTableIter iter;
  Entry *entry;

  g_ptr_array_remove (sub->adapter->subs, sub);

  g_hash_table_iter_init (&iter, sub->by_id);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      gro_source_adapter_unsubscribe (entry->shared->adapter, sub->peer.link, entry->id);
      g_hash_table_remove (sub->peer.objects, GUINT_TO_POINTER (entry->id));
      g_hash_table_remove (sub->peer.read_only, GUINT_TO_POINTER (entry->id));
      shared_item_release (sub->adapter, entry->item, entry->shared);
      g_object_unref (entry->item);
    }

  g_hash_table_unref (sub->by_id);
  g_hash_table_unref (sub->by_object);
  g_hash_table_unref (sub->sent_schemas);
  gro_link_unref (sub->peer.link);
  gro_model_adapter_unref (sub->adapter);
  g_free (sub);
}

GroModelAdapter *
gro_model_sub_get_adapter (GroModelSub *sub)
{
  return sub->adapter;
}

/* Answers with the items at @position and after, as the model has them now:
 * the node has read every change sent before, so the positions are its
 * too. Past the end, the answer is empty. */
void
gro_model_sub_fetch (GroModelSub *sub,
                     guint32      position,
                     guint32      count)
{
  guint n_items = g_list_model_get_n_items (sub->adapter->model);

  position = MIN (position, n_items);
  count = MIN (MIN (count, n_items - position), GRO_MODEL_MAX_WINDOW);

  gro_link_send (sub->peer.link, GRO_MESSAGE_MODEL_ITEMS, sub->object_id, 0, 0,
                 g_variant_new ("(u@a" GRO_MODEL_ITEM_TYPE_STRING ")", position,
                                sub_encode_items (sub, position, count)));
}

gboolean
gro_model_sub_release_item (GroModelSub  *sub,
                            guint32       item_id,
                            guint32       count,
                            GError      **error)
{
  Entry *entry = g_hash_table_lookup (sub->by_id, GUINT_TO_POINTER (item_id));

  /* Not an item of this list here (any more): nothing to do. */
  if (entry == NULL)
    return TRUE;

  if (count == 0 || count > entry->n_sent)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s released item %u of the list '%s' %u times; it was sent %u times",
                   gro_link_get_address (sub->peer.link), item_id, sub->adapter->name,
                   count, entry->n_sent);
      return FALSE;
    }

  entry->n_sent -= count;
  if (entry->n_sent == 0)
    sub_drop_entry (sub, entry);

  return TRUE;
}
