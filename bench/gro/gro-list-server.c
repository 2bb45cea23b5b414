/* gro-list-server.c: the list model benchmark's list, shared with gro
 * (see ../PROTOCOL.md, "List model")
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gunixinputstream.h>
#include <gro.h>

#include "bench-address.h"

#define N_ITEMS  100000
/* Splices made between two main-loop iterations (as gro-server's BATCH). */
#define BATCH    1000

#define BENCH_TYPE_ITEM (bench_item_get_type ())
G_DECLARE_FINAL_TYPE (BenchItem, bench_item, BENCH, ITEM, GObject)

struct _BenchItem
{
  GObject  parent_instance;
  int      number;
  char    *label;
};

enum { PROP_0, PROP_NUMBER, PROP_LABEL, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BenchItem, bench_item, G_TYPE_OBJECT)

static void
bench_item_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BenchItem *self = BENCH_ITEM (object);

  if (prop_id == PROP_NUMBER)
    g_value_set_int (value, self->number);
  else
    g_value_set_string (value, self->label);
}

static void
bench_item_finalize (GObject *object)
{
  g_free (BENCH_ITEM (object)->label);
  G_OBJECT_CLASS (bench_item_parent_class)->finalize (object);
}

static void
bench_item_class_init (BenchItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bench_item_get_property;
  object_class->finalize = bench_item_finalize;
  properties[PROP_NUMBER] = g_param_spec_int ("number", NULL, NULL, G_MININT, G_MAXINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bench_item_init (BenchItem *self)
{
}

static gpointer
item_new (int number)
{
  BenchItem *item = g_object_new (BENCH_TYPE_ITEM, NULL);

  item->number = number;
  item->label = g_strdup_printf ("item %d", number);
  return item;
}

/* The splices, the same for every system: a 64-bit LCG; each step removes
 * one item at a random position, or inserts one. */
typedef struct
{
  GListStore *store;
  guint64     x;
  int         target;
  int         done;
  int         next_number;
} Splices;

static Splices splices;

static gboolean
splice_some (gpointer data)
{
  for (int k = 0; k < BATCH && splices.done < splices.target; k++, splices.done++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (splices.store));
      guint64 r;

      splices.x = splices.x * 6364136223846793005ull + 1442695040888963407ull;
      r = splices.x >> 33;
      if (n > 0 && (r & 1))
        g_list_store_remove (splices.store, (r >> 1) % n);
      else
        {
          g_autoptr(GObject) item = item_new (splices.next_number++);
          g_list_store_insert (splices.store, (r >> 1) % (n + 1), item);
        }
    }
  return splices.done < splices.target ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gint64
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
on_stdin (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  g_autofree char *line = NULL;
  int n;
  unsigned long long seed;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      g_main_loop_quit (loop);
      return;
    }

  line = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (sscanf (line, "splices %d %llu", &n, &seed) == 2)
    {
      splices.x = seed;
      splices.target = n;
      splices.done = 0;
      printf ("{\"start_us\": %" G_GINT64_FORMAT "}\n", now_us ());
      fflush (stdout);
      g_idle_add (splice_some, NULL);
    }
  g_input_stream_read_bytes_async (G_INPUT_STREAM (source), 256, G_PRIORITY_DEFAULT, NULL,
                                   on_stdin, loop);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GListStore) store = g_list_store_new (BENCH_TYPE_ITEM);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GroHost) host = NULL;
  g_autofree char *url = NULL;

  if (argc != 2 || (url = bench_gro_url (argv[1])) == NULL)
    {
      g_printerr ("usage: gro-list-server unix:/PATH | tcp:HOST:PORT\n");
      return 2;
    }

  for (int i = 0; i < N_ITEMS; i++)
    g_ptr_array_add (items, item_new (i));
  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  splices.store = store;
  splices.next_number = N_ITEMS;

  host = gro_host_new (url, &error);
  if (host == NULL || !gro_host_enable_model_remoting (host, G_LIST_MODEL (store), "list", &error))
    {
      g_printerr ("gro-list-server: %s\n", error->message);
      return 1;
    }

  printf ("READY\n");
  fflush (stdout);
  g_input_stream_read_bytes_async (in, 256, G_PRIORITY_DEFAULT, NULL, on_stdin, loop);
  g_main_loop_run (loop);
  return 0;
}
