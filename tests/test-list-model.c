/* test-list-model.c: a GListModel shared by a host, mirrored by a node
 *
 * Host and node run in this process over a socket pair, so every step can
 * compare the source list with its replica.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <gro.h>
#include <string.h>
#include <sys/socket.h>

#include "gro-frame-private.h"
#include "gro-source-adapter-private.h"
#include "gro-test-util.h"

/* ------------------------------------------------------------------------ */
/* Items: a number, a label, and a method                                    */

#define TEST_TYPE_ITEM (test_item_get_type ())
G_DECLARE_FINAL_TYPE (TestItem, test_item, TEST, ITEM, GObject)

struct _TestItem
{
  GObject  parent_instance;
  int      number;
  char    *label;
};

enum { ITEM_PROP_0, ITEM_PROP_NUMBER, ITEM_PROP_LABEL, ITEM_N_PROPS };
static GParamSpec *item_props[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (TestItem, test_item, G_TYPE_OBJECT)

static void
test_item_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TestItem *self = TEST_ITEM (object);

  if (prop_id == ITEM_PROP_NUMBER)
    g_value_set_int (value, self->number);
  else
    g_value_set_string (value, self->label);
}

static void
test_item_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TestItem *self = TEST_ITEM (object);

  if (prop_id == ITEM_PROP_NUMBER)
    {
      if (self->number == g_value_get_int (value))
        return;
      self->number = g_value_get_int (value);
    }
  else
    {
      if (g_strcmp0 (self->label, g_value_get_string (value)) == 0)
        return;
      g_free (self->label);
      self->label = g_value_dup_string (value);
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
test_item_finalize (GObject *object)
{
  g_free (TEST_ITEM (object)->label);
  G_OBJECT_CLASS (test_item_parent_class)->finalize (object);
}

static int
on_item_add (TestItem *self,
             int       n)
{
  return self->number + n;
}

static void
test_item_class_init (TestItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_item_get_property;
  object_class->set_property = test_item_set_property;
  object_class->finalize = test_item_finalize;

  item_props[ITEM_PROP_NUMBER] =
    g_param_spec_int ("number", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_props[ITEM_PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_props);

  g_signal_new_class_handler ("add", G_TYPE_FROM_CLASS (klass),
                              G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                              G_CALLBACK (on_item_add), NULL, NULL, NULL,
                              G_TYPE_INT, 1, G_TYPE_INT);
}

static void
test_item_init (TestItem *self)
{
}

static TestItem *
item_new (int number)
{
  g_autofree char *label = g_strdup_printf ("item %d", number);

  return g_object_new (TEST_TYPE_ITEM, "number", number, "label", label, NULL);
}

/* A second item class, for lists of mixed items. */
#define TEST_TYPE_NOTE (test_note_get_type ())
G_DECLARE_FINAL_TYPE (TestNote, test_note, TEST, NOTE, GObject)

struct _TestNote
{
  GObject  parent_instance;
  char    *text;
};

G_DEFINE_FINAL_TYPE (TestNote, test_note, G_TYPE_OBJECT)

static void
test_note_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  g_value_set_string (value, TEST_NOTE (object)->text);
}

static void
test_note_finalize (GObject *object)
{
  g_free (TEST_NOTE (object)->text);
  G_OBJECT_CLASS (test_note_parent_class)->finalize (object);
}

static void
test_note_class_init (TestNoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_note_get_property;
  object_class->finalize = test_note_finalize;
  g_object_class_install_property (object_class, 1,
    g_param_spec_string ("text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
test_note_init (TestNote *self)
{
}

/* ------------------------------------------------------------------------ */
/* Fixture                                                                   */

typedef struct
{
  GroHost             *host;
  GroNode             *node;
  GListStore          *store;
  GroListModelReplica *list;
  GArray              *source_changes;   /* guint[3] per change */
  GArray              *replica_changes;
} Fixture;

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GArray     *changes)
{
  guint change[3] = { position, removed, added };

  g_array_append_vals (changes, change, 3);
}

static gboolean
under_valgrind (void)
{
  const char *wrapper = g_getenv ("GRO_TEST_SOURCE_WRAPPER");

  return wrapper != NULL && strstr (wrapper, "valgrind") != NULL;
}

static void
fixture_connect (Fixture *f)
{
  g_autoptr(GSocket) a = NULL;
  g_autoptr(GSocket) b = NULL;
  g_autoptr(GSocketConnection) ca = NULL;
  g_autoptr(GSocketConnection) cb = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  a = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  b = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  ca = g_socket_connection_factory_create_connection (a);
  cb = g_socket_connection_factory_create_connection (b);
  g_assert_true (gro_host_add_stream (f->host, G_IO_STREAM (ca), &error));
  g_assert_no_error (error);
  g_assert_true (gro_node_connect_to_stream (f->node, G_IO_STREAM (cb), &error));
  g_assert_no_error (error);
}

static void
fixture_set_up_n (Fixture *f,
                  guint    n_items,
                  guint    prefetch)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  f->host = gro_host_new (NULL, &error);
  g_assert_no_error (error);
  f->node = gro_node_new ();
  f->store = g_list_store_new (TEST_TYPE_ITEM);
  for (guint i = 0; i < n_items; i++)
    g_ptr_array_add (items, item_new (i));
  g_list_store_splice (f->store, 0, 0, items->pdata, items->len);

  g_assert_true (gro_host_enable_model_remoting (f->host, G_LIST_MODEL (f->store), "items", &error));
  g_assert_no_error (error);
  fixture_connect (f);

  f->source_changes = g_array_new (FALSE, FALSE, sizeof (guint));
  f->replica_changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->store, "items-changed", G_CALLBACK (record_change), f->source_changes);

  f->list = gro_node_acquire_model (f->node, "items");
  if (prefetch != 0)
    gro_list_model_replica_set_prefetch (f->list, prefetch);
  g_signal_connect (f->list, "items-changed", G_CALLBACK (record_change), f->replica_changes);
  /* The host is in this process: wait_for_source() would not serve it. */
  gro_test_await (gro_list_model_replica_is_valid (f->list));
  /* The first change is the whole list arriving. */
  g_assert_cmpuint (f->replica_changes->len, ==, n_items ? 3 : 0);
  g_array_set_size (f->replica_changes, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_n (f, GPOINTER_TO_UINT (data), 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->list);
  g_clear_object (&f->node);
  g_clear_object (&f->host);
  g_clear_object (&f->store);
  g_clear_pointer (&f->source_changes, g_array_unref);
  g_clear_pointer (&f->replica_changes, g_array_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the loop until the replica has seen as many changes as the source. */
static void
await_changes (Fixture *f)
{
  gro_test_await (f->replica_changes->len == f->source_changes->len);
  g_assert_cmpmem (f->replica_changes->data, f->replica_changes->len * sizeof (guint),
                   f->source_changes->data, f->source_changes->len * sizeof (guint));
}

static int
replica_number (GObject *item)
{
  int number;

  g_object_get (item, "number", &number, NULL);
  return number;
}

static gboolean
all_valid (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    if (!gro_replica_is_valid (items->pdata[i]))
      return FALSE;
  return TRUE;
}

/* Reads every item of the replica, waits for their data, and compares. */
static void
assert_same_lists (Fixture *f)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (f->store));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (f->list), i));
  gro_test_await (all_valid (items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TestItem) source = g_list_model_get_item (G_LIST_MODEL (f->store), i);

      g_assert_cmpint (replica_number (items->pdata[i]), ==, source->number);
    }
}

/* ------------------------------------------------------------------------ */

static void
test_basic (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GObject) first = NULL;
  g_autofree char *label = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 10);
  g_assert_true (g_type_is_a (g_list_model_get_item_type (G_LIST_MODEL (f->list)), GRO_TYPE_REPLICA));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->list), 10));

  /* The first window came with the list. */
  g_assert_true (gro_list_model_replica_is_item_loaded (f->list, 9));
  first = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_assert_true (GRO_IS_REPLICA (first));
  g_assert_true (gro_replica_is_valid (GRO_REPLICA (first)));
  g_object_get (first, "label", &label, NULL);
  g_assert_cmpstr (label, ==, "item 0");

  /* The same item, every time it is read. */
  {
    g_autoptr(GObject) again = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
    g_assert_true (again == first);
  }

  assert_same_lists (f);
}

static void
test_splices (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  int next_number = 1000;
  guint steps = under_valgrind () ? 60 : 300;

  for (guint step = 0; step < steps; step++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (f->store));
      guint position = g_rand_int_range (rand, 0, n + 1);
      guint removed = g_rand_int_range (rand, 0, MIN (n - position, 5) + 1);
      guint added = g_rand_int_range (rand, 0, 6);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      if (step % 7 == 3 && n > 1)
        {
          /* A move: remove an item, add it back elsewhere. */
          guint from = g_rand_int_range (rand, 0, n);
          guint to = g_rand_int_range (rand, 0, n);
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (f->store), from);

          g_list_store_remove (f->store, from);
          g_list_store_insert (f->store, to, item);
        }
      else
        {
          for (guint i = 0; i < added; i++)
            g_ptr_array_add (items, item_new (next_number++));
          g_list_store_splice (f->store, position, removed, items->pdata, items->len);
        }

      await_changes (f);
      if (step % 10 == 0 || step == steps - 1)
        assert_same_lists (f);
    }
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 int        *counter)
{
  (*counter)++;
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_live_items (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TestItem) source = g_list_model_get_item (G_LIST_MODEL (f->store), 3);
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (f->list), 3);
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  int notified = 0;
  int sum;

  g_assert_true (gro_replica_is_valid (GRO_REPLICA (item)));
  g_signal_connect (item, "notify::number", G_CALLBACK (on_notify_count), &notified);

  /* A change on the source reaches the replica's item. */
  g_object_set (source, "number", 33, NULL);
  gro_test_await (notified == 1);
  g_assert_cmpint (replica_number (item), ==, 33);

  /* A write on the item reaches the source, and comes back. */
  g_object_set (item, "number", 34, NULL);
  gro_test_await (source->number == 34 && notified == 2);
  g_assert_cmpint (replica_number (item), ==, 34);

  /* Methods of items are called as any replica's. */
  gro_replica_call_async (GRO_REPLICA (item), "add", g_variant_new ("(i)", 8),
                          GRO_TEST_TIMEOUT_MS, NULL, store_result, &async_result);
  gro_test_await (async_result != NULL);
  result = gro_replica_call_finish (GRO_REPLICA (item), async_result, &error);
  g_assert_no_error (error);
  g_variant_get (result, "(i)", &sum);
  g_assert_cmpint (sum, ==, 42);

  /* Moved in the source list (remove + add), the item keeps its replica. */
  g_list_store_remove (f->store, 3);
  g_list_store_insert (f->store, 7, source);
  await_changes (f);
  {
    g_autoptr(GObject) moved = g_list_model_get_item (G_LIST_MODEL (f->list), 7);
    g_assert_true (moved == item);
  }

  /* Removed from the source list, an item held here stays live. */
  g_list_store_remove (f->store, 7);
  await_changes (f);
  g_object_set (source, "number", 35, NULL);
  gro_test_await (notified == 3);
  g_assert_cmpint (replica_number (item), ==, 35);
}

static void
test_lazy_windows (Fixture       *f,
                   gconstpointer  data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autoptr(GObject) item = NULL;
  guint middle = n / 2;
  int notified = 0;

  /* The length is known at once, and only the first window is here: as
   * large as the prefetch when the list was acquired. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, n);
  g_assert_cmpuint (gro_list_model_replica_get_n_cached (f->list), ==, 100);
  g_assert_true (gro_list_model_replica_is_item_loaded (f->list, 99));
  g_assert_false (gro_list_model_replica_is_item_loaded (f->list, 100));
  g_assert_false (gro_list_model_replica_is_item_loaded (f->list, middle));

  /* A placeholder at once, which fills in. */
  item = g_list_model_get_item (G_LIST_MODEL (f->list), middle);
  g_assert_nonnull (item);
  g_assert_false (gro_replica_is_valid (GRO_REPLICA (item)));
  g_assert_cmpint (replica_number (item), ==, 0);
  g_signal_connect (item, "notify::number", G_CALLBACK (on_notify_count), &notified);
  gro_test_await (gro_replica_is_valid (GRO_REPLICA (item)) && notified == 1);
  g_assert_cmpint (replica_number (item), ==, (int) middle);

  /* Its window came with it: 20 items around it. */
  g_assert_true (gro_list_model_replica_is_item_loaded (f->list, middle - 10));
  g_assert_true (gro_list_model_replica_is_item_loaded (f->list, middle + 9));
  g_assert_false (gro_list_model_replica_is_item_loaded (f->list, middle + 10));
  g_assert_false (gro_list_model_replica_is_item_loaded (f->list, middle - 11));
  g_assert_cmpuint (gro_list_model_replica_get_n_cached (f->list), ==, 120);

  /* A change far away costs nothing but its own data. */
  g_list_store_remove (f->store, n - 1);
  await_changes (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, n - 1);

  /* The cache is bounded: reading all over the list keeps it so. */
  gro_list_model_replica_set_max_cached (f->list, 100);
  g_assert_cmpuint (gro_list_model_replica_get_n_cached (f->list), <=, 100);
  g_assert_true (gro_list_model_replica_is_item_loaded (f->list, middle));
  for (guint i = 0; i < 30; i++)
    {
      guint position = (i * 7919u) % (n - 1);
      g_autoptr(GObject) read = g_list_model_get_item (G_LIST_MODEL (f->list), position);

      gro_test_await (gro_replica_is_valid (GRO_REPLICA (read)));
      g_assert_cmpint (replica_number (read), ==, (int) position);
      g_assert_cmpuint (gro_list_model_replica_get_n_cached (f->list), <=, 100 + 20);
    }
}

static void
lazy_set_up (Fixture       *f,
             gconstpointer  data)
{
  fixture_set_up_n (f, GPOINTER_TO_UINT (data), 20);
}

/* Changes that shift the positions being fetched: the placeholders still
 * fill in with the right items. */
static void
test_fetch_during_changes (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) read = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_object_unref);

  /* The node sees none of the inserts below until the loop runs: its
   * positions are those of the list before them. */
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (expected, g_list_model_get_item (G_LIST_MODEL (f->store), 100 + i * 50));

  for (guint i = 0; i < 10; i++)
    {
      guint position = 100 + i * 50;

      g_ptr_array_add (read, g_list_model_get_item (G_LIST_MODEL (f->list), position));
      /* Inserted before it, before the node could fetch it. */
      {
        g_autoptr(TestItem) fresh = item_new (-1 - (int) i);
        g_list_store_insert (f->store, 0, fresh);
      }
    }

  gro_test_await (all_valid (read));
  await_changes (f);
  for (guint i = 0; i < read->len; i++)
    g_assert_cmpint (replica_number (read->pdata[i]), ==, TEST_ITEM (expected->pdata[i])->number);
}

static void
test_source_removed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gro_host_disable_remoting (f->host, "items"));
  gro_test_await (!gro_list_model_replica_is_valid (f->list));

  /* Shared again: the list is replaced by the new one, in one change. */
  g_clear_object (&f->store);
  f->store = g_list_store_new (TEST_TYPE_ITEM);
  {
    g_autoptr(TestItem) a = item_new (70);
    g_list_store_append (f->store, a);
  }
  g_array_set_size (f->replica_changes, 0);
  g_assert_true (gro_host_enable_model_remoting (f->host, G_LIST_MODEL (f->store), "items", &error));
  g_assert_no_error (error);
  gro_test_await (gro_list_model_replica_is_valid (f->list));
  g_assert_cmpuint (f->replica_changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->replica_changes, guint, 1), ==, 10);
  g_assert_cmpuint (g_array_index (f->replica_changes, guint, 2), ==, 1);
  g_array_set_size (f->source_changes, 0);
  g_array_set_size (f->replica_changes, 0);
  assert_same_lists (f);
}

static void
acquired_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GroListModelReplica **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gro_node_acquire_model_finish (GRO_NODE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_acquire_async (void)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  GroListModelReplica *list = NULL;

  f->host = gro_host_new (NULL, &error);
  f->node = gro_node_new ();
  f->store = g_list_store_new (TEST_TYPE_ITEM);
  {
    g_autoptr(TestItem) a = item_new (5);
    g_list_store_append (f->store, a);
  }
  g_assert_true (gro_host_enable_model_remoting (f->host, G_LIST_MODEL (f->store), "items", &error));
  fixture_connect (f);

  gro_node_acquire_model_async (f->node, "items", NULL, acquired_cb, &list);
  gro_test_await (list != NULL);
  g_assert_true (gro_list_model_replica_is_valid (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* A name acquired as a list is not an object too. */
  {
    g_autoptr(GroReplica) object = gro_node_acquire_dynamic (f->node, "items");

    gro_test_await (gro_replica_get_state (object) == GRO_REPLICA_STATE_SIGNATURE_MISMATCH);
  }

  /* A name is shared by one source or list. */
  g_assert_false (gro_host_enable_remoting (f->host, G_OBJECT (f->store), "items", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_NAME_IN_USE);

  g_object_unref (list);
  fixture_tear_down (f, NULL);
}

/* The host goes away and comes back at the same address: the node
 * reconnects, and the list is replaced by the new host's, in one change. */
static void
test_reconnect (void)
{
  g_autofree char *path = gro_test_temp_socket_path ("list.sock");
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroListModelReplica) list = NULL;
  g_autoptr(GListStore) store = g_list_store_new (TEST_TYPE_ITEM);
  g_autoptr(GObject) held = NULL;
  g_autoptr(GError) error = NULL;
  GroHost *host;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(TestItem) item = item_new (i);
      g_list_store_append (store, item);
    }
  host = gro_host_new (url, &error);
  g_assert_no_error (error);
  g_assert_true (gro_host_enable_model_remoting (host, G_LIST_MODEL (store), "items", &error));
  g_assert_true (gro_node_connect_to_node (node, url, &error));
  g_assert_no_error (error);

  list = gro_node_acquire_model (node, "items");
  gro_test_await (gro_list_model_replica_is_valid (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  held = g_list_model_get_item (G_LIST_MODEL (list), 1);

  /* Gone: the list keeps its items, which turn SUSPECT. */
  g_object_unref (host);
  gro_test_await (!gro_list_model_replica_is_valid (list));
  gro_test_await (gro_replica_get_state (GRO_REPLICA (held)) == GRO_REPLICA_STATE_SUSPECT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  /* Back, with another list. */
  {
    g_autoptr(TestItem) item = item_new (3);
    g_list_store_append (store, item);
  }
  host = gro_host_new (url, &error);
  g_assert_no_error (error);
  g_assert_true (gro_host_enable_model_remoting (host, G_LIST_MODEL (store), "items", &error));
  gro_test_await (gro_list_model_replica_is_valid (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  {
    g_autoptr(GObject) last = g_list_model_get_item (G_LIST_MODEL (list), 3);
    gro_test_await (gro_replica_is_valid (GRO_REPLICA (last)));
    g_assert_cmpint (replica_number (last), ==, 3);
  }

  g_clear_object (&list);
  g_clear_object (&held);
  g_clear_object (&node);
  g_object_unref (host);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_remove (path);
  g_rmdir (dir);
}

/* Items of two classes in one list: each arrives with its own schema. */
static void
test_mixed_items (void)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);

  f->host = gro_host_new (NULL, &error);
  f->node = gro_node_new ();
  for (int i = 0; i < 6; i++)
    {
      g_autoptr(GObject) item = NULL;

      if (i % 2 == 0)
        item = G_OBJECT (item_new (i));
      else
        {
          item = g_object_new (TEST_TYPE_NOTE, NULL);
          TEST_NOTE (item)->text = g_strdup_printf ("note %d", i);
        }
      g_list_store_append (store, item);
    }
  g_assert_true (gro_host_enable_model_remoting (f->host, G_LIST_MODEL (store), "mixed", &error));
  g_assert_no_error (error);
  fixture_connect (f);

  f->list = gro_node_acquire_model (f->node, "mixed");
  gro_test_await (gro_list_model_replica_is_valid (f->list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (f->list), i);

      g_assert_true (gro_replica_is_valid (GRO_REPLICA (item)));
      if (i % 2 == 0)
        g_assert_cmpint (replica_number (item), ==, (int) i);
      else
        {
          g_autofree char *text = NULL;
          g_autofree char *expected = g_strdup_printf ("note %u", i);

          g_object_get (item, "text", &text, NULL);
          g_assert_cmpstr (text, ==, expected);
        }
    }

  /* A change that adds a note pushes it with its data. */
  {
    g_autoptr(TestNote) note = g_object_new (TEST_TYPE_NOTE, NULL);
    g_autoptr(GObject) item = NULL;
    g_autofree char *text = NULL;

    note->text = g_strdup ("late");
    g_list_store_insert (store, 0, note);
    gro_test_await (g_list_model_get_n_items (G_LIST_MODEL (f->list)) == 7);
    g_assert_true (gro_list_model_replica_is_item_loaded (f->list, 0));
    item = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
    g_object_get (item, "text", &text, NULL);
    g_assert_cmpstr (text, ==, "late");
  }

  fixture_tear_down (f, NULL);
}

/* ------------------------------------------------------------------------ */
/* A broken host                                                             */

typedef struct
{
  GroNode   *node;
  GSocket   *raw;
  guint32    list_id;
  GError    *closed_error;
  int        closed;
} Broken;

static void
on_closed (GroNode      *node,
           const char   *address,
           const GError *error,
           Broken       *b)
{
  b->closed++;
  g_clear_error (&b->closed_error);
  b->closed_error = error ? g_error_copy (error) : NULL;
}

static void
raw_send (Broken         *b,
          GroMessageKind  kind,
          guint32         object,
          GVariant       *body)
{
  g_autoptr(GBytes) frame = gro_frame_encode (kind, object, 0, 0, body);
  g_autoptr(GError) error = NULL;

  g_socket_send (b->raw, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), NULL, &error);
  g_assert_no_error (error);
}

/* Reads frames from the node until @kind comes; returns its object id. */
static guint32
raw_expect (Broken         *b,
            GroMessageKind  kind)
{
  g_autoptr(GByteArray) in = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + GRO_TEST_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint8 buffer[4096];
      GroMessage message;
      gssize n;

      while (in->len > 0)
        {
          gssize used = gro_frame_decode (in->data, in->len, G_MAXUINT32, &message, &error);

          g_assert_no_error (error);
          if (used == 0)
            break;
          g_byte_array_remove_range (in, 0, used);
          if (message.kind == kind)
            {
              guint32 object = message.object;

              gro_message_clear (&message);
              return object;
            }
          gro_message_clear (&message);
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", gro_message_kind_to_string (kind));
      n = g_socket_receive (b->raw, (char *) buffer, sizeof buffer, NULL, &error);
      if (n > 0)
        g_byte_array_append (in, buffer, n);
      else if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* A node whose list "items" is served, with 5 items not sent yet, by a host
 * played by hand. */
static void
broken_set_up (Broken *b)
{
  g_autoptr(GSocket) node_end = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GroListModelReplica) list = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  b->raw = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  g_socket_set_blocking (b->raw, FALSE);
  node_end = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  connection = g_socket_connection_factory_create_connection (node_end);

  b->node = gro_node_new ();
  g_signal_connect (b->node, "connection-closed", G_CALLBACK (on_closed), b);
  g_assert_true (gro_node_connect_to_stream (b->node, G_IO_STREAM (connection), &error));
  g_assert_no_error (error);

  raw_send (b, GRO_MESSAGE_HELLO, 0, g_variant_new_parsed ("('gro', @q 1, @q 1, {'role': <'host'>})"));
  raw_send (b, GRO_MESSAGE_SOURCES, 0, g_variant_new_parsed ("[('items', 'GListModel', '')]"));
  list = gro_node_acquire_model (b->node, "items");
  g_object_set_data_full (G_OBJECT (b->node), "list", g_object_ref (list), g_object_unref);
  b->list_id = raw_expect (b, GRO_MESSAGE_MODEL_ACQUIRE);
  g_assert_cmpuint (b->list_id & 0x80000000u, ==, 0);
  /* The first item, as a host would send it. */
  {
    g_autoptr(TestItem) first = item_new (0);
    g_autoptr(GroSourceAdapter) adapter = gro_source_adapter_new (G_OBJECT (first), "items",
                                                                  g_main_context_default (),
                                                                  1024, &error);
    GVariant *item[2];

    g_assert_no_error (error);
    item[0] = g_variant_new_uint32 (0x80000001u);
    item[1] = gro_source_adapter_build_init (adapter, TRUE);
    raw_send (b, GRO_MESSAGE_MODEL_INIT, b->list_id,
              g_variant_new ("(u@a" GRO_MODEL_ITEM_TYPE_STRING ")", 5,
                             g_variant_new_array (NULL, (GVariant *[]) { g_variant_new_tuple (item, 2) }, 1)));
    gro_source_adapter_withdraw (adapter);
  }
  gro_test_await (gro_list_model_replica_is_valid (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);
}

static void
test_broken_host (gconstpointer data)
{
  static const struct {
    GroMessageKind kind;
    const char *body;
    int code;
  } cases[] = {
    /* Removing past the end */
    { GRO_MESSAGE_MODEL_CHANGED, "(@u 4, @u 2, @u 0, @a(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)) [])",
      GRO_ERROR_PROTOCOL },
    { GRO_MESSAGE_MODEL_CHANGED, "(@u 6, @u 0, @u 0, @a(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)) [])",
      GRO_ERROR_PROTOCOL },
    /* Adding without the first item */
    { GRO_MESSAGE_MODEL_CHANGED, "(@u 0, @u 0, @u 2, @a(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)) [])",
      GRO_ERROR_PROTOCOL },
    /* More items than added */
    { GRO_MESSAGE_MODEL_CHANGED, "(@u 0, @u 0, @u 0, [(@u 2147483664, ('h', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) nothing, <()>))])",
      GRO_ERROR_PROTOCOL },
    /* An id that is the node's to choose */
    { GRO_MESSAGE_MODEL_CHANGED, "(@u 0, @u 0, @u 1, [(@u 7, ('h', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) nothing, <()>))])",
      GRO_ERROR_PROTOCOL },
    /* A schema never sent */
    { GRO_MESSAGE_MODEL_CHANGED, "(@u 0, @u 0, @u 1, [(@u 2147483664, ('h', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) nothing, <()>))])",
      GRO_ERROR_PROTOCOL },
    /* Items not asked for */
    { GRO_MESSAGE_MODEL_ITEMS, "(@u 0, @a(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)) [])",
      GRO_ERROR_PROTOCOL },
    /* A list without its first item */
    { GRO_MESSAGE_MODEL_INIT, "(@u 3, @a(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)) [])",
      GRO_ERROR_PROTOCOL },
    /* Too long a list */
    { GRO_MESSAGE_MODEL_INIT, "(@u 4294967295, @a(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)) [])",
      GRO_ERROR_LIMIT_EXCEEDED },
    /* More items than the list has */
    { GRO_MESSAGE_MODEL_INIT, "(@u 0, [(@u 2147483664, ('h', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) nothing, <()>))])",
      GRO_ERROR_PROTOCOL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Broken b = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) body = g_variant_parse (gro_message_kind_body_type (cases[i].kind),
                                        cases[i].body, NULL, NULL, &error);

      g_assert_no_error (error);
      broken_set_up (&b);
      raw_send (&b, cases[i].kind, b.list_id, body);
      gro_test_await (b.closed == 1);
      g_assert_error (b.closed_error, GRO_ERROR, cases[i].code);
      g_test_message ("%s: %s", cases[i].body, b.closed_error->message);

      g_clear_error (&b.closed_error);
      g_clear_object (&b.node);
      g_clear_object (&b.raw);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

/* ------------------------------------------------------------------------ */
/* A broken node                                                             */

typedef struct
{
  GroHost    *host;
  GListStore *store;
  GSocket    *raw;
  GByteArray *in;
  GError     *closed_error;
  int         closed;
} BrokenNode;

static void
on_host_closed (GroNode      *node,
                const char   *address,
                const GError *error,
                BrokenNode   *b)
{
  b->closed++;
  g_clear_error (&b->closed_error);
  b->closed_error = error ? g_error_copy (error) : NULL;
}

static void
raw_node_send (BrokenNode     *b,
               GroMessageKind  kind,
               guint32         object,
               GVariant       *body)
{
  Broken as_broken = { .raw = b->raw };

  raw_send (&as_broken, kind, object, body);
}

/* Reads what the host sends until @kind, and returns it. */
static void
raw_node_read (BrokenNode     *b,
               GroMessageKind  kind,
               GroMessage     *out)
{
  GByteArray *in = b->in;
  gint64 deadline = g_get_monotonic_time () + GRO_TEST_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint8 buffer[65536];
      gssize n;

      while (in->len > 0)
        {
          gssize used = gro_frame_decode (in->data, in->len, G_MAXUINT32, out, &error);

          g_assert_no_error (error);
          if (used == 0)
            break;
          g_byte_array_remove_range (in, 0, used);
          if (out->kind == kind)
            return;
          gro_message_clear (out);
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", gro_message_kind_to_string (kind));
      n = g_socket_receive (b->raw, (char *) buffer, sizeof buffer, NULL, &error);
      if (n > 0)
        g_byte_array_append (in, buffer, n);
      else if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
broken_node_set_up (BrokenNode *b)
{
  g_autoptr(GSocket) host_end = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  int fds[2];

  b->closed = 0;
  b->in = g_byte_array_new ();
  b->store = g_list_store_new (TEST_TYPE_ITEM);
  for (int i = 0; i < 2000; i++)
    g_ptr_array_add (items, item_new (i));
  g_list_store_splice (b->store, 0, 0, items->pdata, items->len);
  b->host = gro_host_new (NULL, &error);
  g_assert_true (gro_host_enable_model_remoting (b->host, G_LIST_MODEL (b->store), "items", &error));
  g_signal_connect (b->host, "connection-closed", G_CALLBACK (on_host_closed), b);

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  b->raw = g_socket_new_from_fd (fds[0], &error);
  g_socket_set_blocking (b->raw, FALSE);
  host_end = g_socket_new_from_fd (fds[1], &error);
  connection = g_socket_connection_factory_create_connection (host_end);
  g_assert_true (gro_host_add_stream (b->host, G_IO_STREAM (connection), &error));
  g_assert_no_error (error);
  raw_node_send (b, GRO_MESSAGE_HELLO, 0, g_variant_new_parsed ("('gro', @q 1, @q 1, {'role': <'node'>})"));
}

static void
broken_node_tear_down (BrokenNode *b)
{
  g_clear_error (&b->closed_error);
  g_clear_pointer (&b->in, g_byte_array_unref);
  g_clear_object (&b->raw);
  g_clear_object (&b->host);
  g_clear_object (&b->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_broken_node (void)
{
  BrokenNode b = { 0 };
  GroMessage message;
  guint32 n_items, item_id, position;
  g_autoptr(GVariant) items = NULL;

  /* An id of the host's half. */
  broken_node_set_up (&b);
  raw_node_send (&b, GRO_MESSAGE_MODEL_ACQUIRE, 0x80000005u, g_variant_new ("(su)", "items", 10));
  gro_test_await (b.closed == 1);
  g_assert_error (b.closed_error, GRO_ERROR, GRO_ERROR_PROTOCOL);
  broken_node_tear_down (&b);

  /* A fetch of everything is answered with at most 1024 items; a list is not
   * an object, and an item released more often than it was sent closes the
   * link. */
  broken_node_set_up (&b);
  raw_node_send (&b, GRO_MESSAGE_ACQUIRE, 1, g_variant_new ("(ss)", "items", ""));
  raw_node_read (&b, GRO_MESSAGE_SOURCE_REMOVED, &message);
  g_assert_cmpstr (g_variant_get_string (gro_message_get_body (&message), NULL), ==, "items");
  gro_message_clear (&message);

  raw_node_send (&b, GRO_MESSAGE_MODEL_ACQUIRE, 2, g_variant_new ("(su)", "items", 0));
  raw_node_read (&b, GRO_MESSAGE_MODEL_INIT, &message);
  g_variant_get (gro_message_get_body (&message), "(u@a" GRO_MODEL_ITEM_TYPE_STRING ")", &n_items, &items);
  g_assert_cmpuint (n_items, ==, 2000);
  g_assert_cmpuint (g_variant_n_children (items), ==, 1);  /* a window of 0 is 1 */
  g_clear_pointer (&items, g_variant_unref);
  gro_message_clear (&message);

  raw_node_send (&b, GRO_MESSAGE_MODEL_FETCH, 2, g_variant_new ("(uu)", 500, G_MAXUINT32));
  raw_node_read (&b, GRO_MESSAGE_MODEL_ITEMS, &message);
  g_variant_get (gro_message_get_body (&message), "(u@a" GRO_MODEL_ITEM_TYPE_STRING ")", &position, &items);
  g_assert_cmpuint (position, ==, 500);
  g_assert_cmpuint (g_variant_n_children (items), ==, 1024);
  g_variant_get_child (items, 0, "(u@(sm" "(sa(ssu)a(sas)a(sass)a(sba(uss)))" "v))", &item_id, NULL);
  g_assert_cmpuint (item_id & 0x80000000u, !=, 0);
  g_clear_pointer (&items, g_variant_unref);
  gro_message_clear (&message);

  /* Past the end: an empty answer. */
  raw_node_send (&b, GRO_MESSAGE_MODEL_FETCH, 2, g_variant_new ("(uu)", 5000, 10));
  raw_node_read (&b, GRO_MESSAGE_MODEL_ITEMS, &message);
  g_variant_get (gro_message_get_body (&message), "(u@a" GRO_MODEL_ITEM_TYPE_STRING ")", &position, &items);
  g_assert_cmpuint (position, ==, 2000);
  g_assert_cmpuint (g_variant_n_children (items), ==, 0);
  g_clear_pointer (&items, g_variant_unref);
  gro_message_clear (&message);
  g_assert_cmpint (b.closed, ==, 0);

  raw_node_send (&b, GRO_MESSAGE_MODEL_RELEASE_ITEM, 2, g_variant_new ("(uu)", item_id, 2));
  gro_test_await (b.closed == 1);
  g_assert_error (b.closed_error, GRO_ERROR, GRO_ERROR_PROTOCOL);
  g_test_message ("%s", b.closed_error->message);
  broken_node_tear_down (&b);
}

int
main (int   argc,
      char *argv[])
{
  guint large = under_valgrind () ? 10000 : 100000;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/list-model/basic", Fixture, GUINT_TO_POINTER (10),
              fixture_set_up, test_basic, fixture_tear_down);
  g_test_add ("/list-model/splices", Fixture, GUINT_TO_POINTER (200),
              fixture_set_up, test_splices, fixture_tear_down);
  g_test_add ("/list-model/live-items", Fixture, GUINT_TO_POINTER (10),
              fixture_set_up, test_live_items, fixture_tear_down);
  g_test_add ("/list-model/lazy-windows", Fixture, GUINT_TO_POINTER (large),
              lazy_set_up, test_lazy_windows, fixture_tear_down);
  g_test_add ("/list-model/fetch-during-changes", Fixture, GUINT_TO_POINTER (1000),
              lazy_set_up, test_fetch_during_changes, fixture_tear_down);
  g_test_add ("/list-model/source-removed", Fixture, GUINT_TO_POINTER (10),
              fixture_set_up, test_source_removed, fixture_tear_down);
  g_test_add_func ("/list-model/acquire-async", test_acquire_async);
  g_test_add_data_func ("/list-model/broken-host", NULL, test_broken_host);
  g_test_add_func ("/list-model/reconnect", test_reconnect);
  g_test_add_func ("/list-model/broken-node", test_broken_node);
  g_test_add_func ("/list-model/mixed-items", test_mixed_items);

  return g_test_run ();
}
