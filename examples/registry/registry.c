/* registry.c: a registry that shows its table
 *
 *   registry URL [--seconds N]
 *
 * Runs a GroRegistryHost listening on URL. Hosts that are given its address
 * publish their sources in it; nodes that are given it acquire sources by
 * name. It prints each source that comes or goes, with where it is. It stops
 * after N seconds (default: never), or on SIGINT or SIGTERM.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <glib-unix.h>
#include <gro.h>

static void
on_added (GroNode           *node,
          GroSourceLocation *location,
          gpointer           user_data)
{
  g_print ("[registry] + %s (%s) at %s\n", gro_source_location_get_name (location),
           gro_source_location_get_type_name (location), gro_source_location_get_url (location));
}

static void
on_removed (GroNode           *node,
            GroSourceLocation *location,
            gpointer           user_data)
{
  g_print ("[registry] - %s, which was at %s\n", gro_source_location_get_name (location),
           gro_source_location_get_url (location));
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
  g_autoptr(GOptionContext) context = g_option_context_new ("URL - a gro registry");
  g_autoptr(GError) error = NULL;
  g_autoptr(GroRegistryHost) registry = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  int seconds = 0;
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Stop after N seconds", "N" },
    { NULL }
  };

  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message : "usage: registry URL [--seconds N]");
      return 2;
    }

  registry = gro_registry_host_new (argv[1], &error);
  if (registry == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_signal_connect (registry, "source-location-added", G_CALLBACK (on_added), NULL);
  g_signal_connect (registry, "source-location-removed", G_CALLBACK (on_removed), NULL);
  g_print ("[registry] listening on %s\n", gro_host_get_url (GRO_HOST (registry)));

  if (seconds > 0)
    g_timeout_add_seconds (seconds, stop, loop);
  g_unix_signal_add (SIGINT, stop, loop);
  g_unix_signal_add (SIGTERM, stop, loop);
  g_main_loop_run (loop);
  return 0;
}
