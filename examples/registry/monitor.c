/* monitor.c: a node that finds its sources through a registry
 *
 *   monitor --registry URL [--seconds N] NAME...
 *
 * Knows no host: it gives the node the registry's address and acquires each
 * NAME by name alone. The node learns from the registry which host shares
 * it, connects there, and follows it when it dies and comes back, at the
 * same address or another. Prints the state of each replica as it changes,
 * its readings (one line in five), and where the registry says each source
 * is.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <glib-unix.h>
#include <gro.h>

static const char *
state_name (GroReplicaState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (GRO_TYPE_REPLICA_STATE);

  return g_enum_get_value (klass, state)->value_nick;
}

static void
on_state (GroReplica      *replica,
          GroReplicaState  state,
          GroReplicaState  old_state,
          gpointer         user_data)
{
  int reading = 0;

  if (state == GRO_REPLICA_STATE_VALID)
    g_object_get (replica, "reading", &reading, NULL);
  if (state == GRO_REPLICA_STATE_VALID)
    g_print ("[monitor] %s is %s, reading %d\n", gro_replica_get_name (replica),
             state_name (state), reading);
  else
    g_print ("[monitor] %s is %s\n", gro_replica_get_name (replica), state_name (state));
}

static void
on_reading (GroReplica *replica,
            GParamSpec *pspec,
            gpointer    user_data)
{
  int reading;

  g_object_get (replica, "reading", &reading, NULL);
  if (reading % 5 == 0)
    g_print ("[monitor] %s reads %d\n", gro_replica_get_name (replica), reading);
}

static void
on_location (GroNode           *node,
             GroSourceLocation *location,
             gpointer           added)
{
  if (added)
    g_print ("[monitor] the registry says %s is at %s\n",
             gro_source_location_get_name (location), gro_source_location_get_url (location));
  else
    g_print ("[monitor] the registry no longer has %s\n",
             gro_source_location_get_name (location));
}

static gboolean
stop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("NAME... - acquire by name");
  g_autoptr(GError) error = NULL;
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GPtrArray) replicas = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *registry = NULL;
  int seconds = 0;
  GOptionEntry entries[] = {
    { "registry", 0, 0, G_OPTION_ARG_STRING, &registry, "The registry's address", "URL" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Stop after N seconds", "N" },
    { NULL }
  };

  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || registry == NULL || argc < 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: monitor --registry URL NAME...");
      return 2;
    }

  /* Quick to come back, for the demo; the defaults are 100 ms to 10 s. */
  node = g_object_new (GRO_TYPE_NODE, "registry-url", registry,
                       "reconnect-initial-delay", 50, "reconnect-max-delay", 500, NULL);
  g_signal_connect (node, "source-location-added", G_CALLBACK (on_location), GINT_TO_POINTER (1));
  g_signal_connect (node, "source-location-removed", G_CALLBACK (on_location), NULL);

  for (int i = 1; i < argc; i++)
    {
      GroReplica *replica = gro_node_acquire_dynamic (node, argv[i]);

      g_signal_connect (replica, "state-changed", G_CALLBACK (on_state), NULL);
      g_signal_connect (replica, "notify::reading", G_CALLBACK (on_reading), NULL);
      g_ptr_array_add (replicas, replica);
      g_print ("[monitor] acquiring %s\n", argv[i]);
    }

  if (seconds > 0)
    g_timeout_add_seconds (seconds, stop, loop);
  g_unix_signal_add (SIGINT, stop, loop);
  g_unix_signal_add (SIGTERM, stop, loop);
  g_main_loop_run (loop);
  return 0;
}
