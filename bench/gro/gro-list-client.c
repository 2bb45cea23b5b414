/* gro-list-client.c: the list model benchmark's workloads with gro
 * (see ../PROTOCOL.md, "List model")
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gro.h>

#include "bench-address.h"

#define TIMEOUT_MS  60000

static gint64
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static G_NORETURN void
fail (const char *what)
{
  g_printerr ("gro-list-client: %s\n", what);
  exit (1);
}

/* Iterates the main context until @done, or fails after TIMEOUT_MS. */
#define await(done) G_STMT_START {                                           \
    gint64 _deadline = now_us () + TIMEOUT_MS * 1000;                         \
    while (!(done))                                                           \
      {                                                                       \
        if (now_us () > _deadline)                                            \
          fail ("timed out waiting for " #done);                              \
        g_main_context_iteration (NULL, TRUE);                                \
      }                                                                       \
  } G_STMT_END

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               int        *counter)
{
  (*counter)++;
}

static gboolean
all_valid (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    if (!gro_replica_is_valid (items->pdata[i]))
      return FALSE;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  gint64 start = now_us ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GroListModelReplica) list = NULL;
  g_autofree char *url = NULL;
  const char *workload;
  int n = argc > 3 ? atoi (argv[3]) : 0;

  if (argc < 3 || (url = bench_gro_url (argv[1])) == NULL)
    {
      g_printerr ("usage: gro-list-client ADDRESS acquire|window|splices [N]\n");
      return 2;
    }
  workload = argv[2];

  node = gro_node_new ();
  if (!gro_node_connect_to_node (node, url, &error))
    fail (error->message);
  list = gro_node_acquire_model (node, "list");
  if (!gro_list_model_replica_wait_for_source (list, TIMEOUT_MS, &error))
    fail (error->message);

  if (g_str_equal (workload, "acquire"))
    {
      guint n_items = g_list_model_get_n_items (G_LIST_MODEL (list));

      printf ("{\"acquire_us\": %" G_GINT64_FORMAT ", \"n_items\": %u}\n",
              now_us () - start, n_items);
    }
  else if (g_str_equal (workload, "window"))
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      guint first = g_list_model_get_n_items (G_LIST_MODEL (list)) / 2;
      gint64 t0 = now_us ();

      for (guint i = first; i < first + 100; i++)
        g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (list), i));
      await (all_valid (items));
      printf ("{\"window_us\": %" G_GINT64_FORMAT "}\n", now_us () - t0);
    }
  else if (g_str_equal (workload, "splices"))
    {
      int changes = 0;

      g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), &changes);
      printf ("{\"waiting\": true}\n");
      fflush (stdout);
      await (changes >= n);
      printf ("{\"done_at_us\": %" G_GINT64_FORMAT ", \"changes\": %d, \"n_items\": %u}\n",
              now_us (), changes, g_list_model_get_n_items (G_LIST_MODEL (list)));
    }
  else
    fail ("unknown workload");

  fflush (stdout);
  return 0;
}
