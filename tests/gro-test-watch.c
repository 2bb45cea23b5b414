/* gro-test-watch: a replica in its own process, for tests that must put it
 * somewhere else (another network namespace)
 *
 *   gro-test-watch URL NAME HEARTBEAT_MS [INT-PROPERTY]
 *
 * Connects to URL with the given heartbeat, acquires NAME and prints the
 * replica's state each time it changes ("valid", "suspect", ...), one per
 * line, and with INT-PROPERTY, "PROPERTY=VALUE" each time that changes.
 * Exits when stdin closes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include <gio/gunixinputstream.h>
#include <gro.h>

static void
print_state (GroReplica *replica)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (GRO_TYPE_REPLICA_STATE);

  printf ("%s\n", g_enum_get_value (klass, gro_replica_get_state (replica))->value_nick);
  fflush (stdout);
}

static void
on_state_changed (GroReplica *replica)
{
  print_state (replica);
}

static void
on_notify_int (GObject    *replica,
               GParamSpec *pspec)
{
  int value;

  g_object_get (replica, pspec->name, &value, NULL);
  printf ("%s=%d\n", pspec->name, value);
  fflush (stdout);
}

static void
on_stdin (GObject      *stream,
          GAsyncResult *result,
          gpointer      loop)
{
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (stream),
                                                              result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    g_main_loop_quit (loop);
  else
    g_input_stream_read_bytes_async (G_INPUT_STREAM (stream), 256, G_PRIORITY_DEFAULT,
                                     NULL, on_stdin, loop);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GroReplica) replica = NULL;

  if (argc != 4 && argc != 5)
    {
      g_printerr ("usage: gro-test-watch URL NAME HEARTBEAT_MS [INT-PROPERTY]\n");
      return 2;
    }

  node = g_object_new (GRO_TYPE_NODE, "heartbeat-interval", (guint) atoi (argv[3]), NULL);
  if (!gro_node_connect_to_node (node, argv[1], &error))
    {
      g_printerr ("gro-test-watch: %s\n", error->message);
      return 1;
    }
  replica = gro_node_acquire_dynamic (node, argv[2]);
  g_signal_connect (replica, "notify::state", G_CALLBACK (on_state_changed), NULL);
  if (argc == 5)
    {
      g_autofree char *signal = g_strconcat ("notify::", argv[4], NULL);

      g_signal_connect (replica, signal, G_CALLBACK (on_notify_int), NULL);
    }
  print_state (replica);

  g_input_stream_read_bytes_async (in, 256, G_PRIORITY_DEFAULT, NULL, on_stdin, loop);
  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
