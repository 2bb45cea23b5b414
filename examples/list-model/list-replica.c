/* list-replica.c: follows a remote to-do list on the console
 *
 *   list-replica unix:/tmp/todo.sock [--seconds N] [--tick]
 *
 * Prints every change of the list as it arrives, and every task that is
 * ticked off; with --tick, ticks off the first task itself (a write to an
 * item, which goes to the source).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gro.h>
#include <stdio.h>
#include <stdlib.h>

static void
on_done_changed (GObject    *task,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  g_autofree char *title = NULL;
  gboolean done;

  g_object_get (task, "title", &title, "done", &done, NULL);
  g_print ("[replica] '%s' is now %s\n", title, done ? "done" : "to do");
}

static void
print_list (GListModel *list)
{
  g_autoptr(GString) line = g_string_new ("[replica] list:");

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GObject) task = g_list_model_get_item (list, i);
      g_autofree char *title = NULL;
      gboolean done;

      g_object_get (task, "title", &title, "done", &done, NULL);
      g_string_append_printf (line, " %s%s", title ? title : "…", done ? " (done)" : "");
    }
  g_print ("%s\n", line->str);
}

static void
on_items_changed (GListModel *list,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  g_print ("[replica] items-changed: at %u, %u removed, %u added\n", position, removed, added);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) task = g_list_model_get_item (list, i);

      /* A task that moves keeps its replica: connect once. */
      if (g_object_get_data (task, "watched") == NULL)
        {
          g_object_set_data (task, "watched", GINT_TO_POINTER (TRUE));
          g_signal_connect (task, "notify::done", G_CALLBACK (on_done_changed), NULL);
        }
    }
  print_list (list);
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroListModelReplica) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean tick = FALSE;
  int seconds = 0;

  if (argc < 2)
    {
      g_printerr ("usage: list-replica URL [--seconds N] [--tick]\n");
      return 2;
    }
  for (int i = 2; i < argc; i++)
    if (g_str_equal (argv[i], "--seconds") && i + 1 < argc)
      seconds = atoi (argv[++i]);
    else if (g_str_equal (argv[i], "--tick"))
      tick = TRUE;

  if (!gro_node_connect_to_node (node, argv[1], &error))
    {
      g_printerr ("list-replica: %s\n", error->message);
      return 1;
    }

  list = gro_node_acquire_model (node, "todo");
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), NULL);
  if (!gro_list_model_replica_wait_for_source (list, 5000, &error))
    {
      g_printerr ("list-replica: %s\n", error->message);
      return 1;
    }
  g_print ("[replica] acquired 'todo': %u tasks\n",
           g_list_model_get_n_items (G_LIST_MODEL (list)));

  if (tick)
    {
      g_autoptr(GObject) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
      g_object_set (first, "done", TRUE, NULL);
      g_print ("[replica] ticked off the first task\n");
    }

  if (seconds > 0)
    g_timeout_add_seconds (seconds, quit, loop);
  g_main_loop_run (loop);
  return 0;
}
