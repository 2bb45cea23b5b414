/* typed-source.c: shares a DemoSimThermostat; its interface methods are
 * callable from typed replicas.
 *
 *   typed-source URL [--seconds N]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include <gro.h>

#include "demo-sim-thermostat.h"
#include "demo-thermostat-replica.h"

static gboolean
tick (gpointer data)
{
  DemoSimThermostat *thermostat = data;
  static int n;
  double temperature;

  n++;
  g_object_get (thermostat, "temperature", &temperature, NULL);
  demo_sim_thermostat_set_temperature (thermostat, temperature + 0.5);
  if (n % 4 == 0)
    demo_sim_thermostat_raise_alarm (thermostat, n / 4, "the window is open");
  return G_SOURCE_CONTINUE;
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = NULL;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);
  text = g_strdup_value_contents (&value);
  if (!g_str_equal (pspec->name, "temperature"))
    printf ("[source] %s -> %s\n", pspec->name, text);
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GroHost) host = NULL;
  g_autoptr(DemoSimThermostat) thermostat = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  int seconds = 10;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s URL [--seconds N]\n", argv[0]);
      return 2;
    }
  if (argc >= 4 && g_str_equal (argv[2], "--seconds"))
    seconds = atoi (argv[3]);

  setvbuf (stdout, NULL, _IOLBF, 0);

  /* Lets replicas call DemoThermostat's methods on any source that has them. */
  demo_thermostat_replica_register_source_methods ();

  host = gro_host_new (argv[1], &error);
  thermostat = demo_sim_thermostat_new ("living room");
  if (host == NULL ||
      !gro_host_enable_remoting (host, G_OBJECT (thermostat), "thermostat", &error))
    {
      fprintf (stderr, "typed-source: %s\n", error->message);
      return 1;
    }
  printf ("[source] sharing 'thermostat' on %s\n", gro_host_get_url (host));

  g_signal_connect (thermostat, "notify", G_CALLBACK (on_notify), NULL);
  g_timeout_add (250, tick, thermostat);
  g_timeout_add_seconds (seconds, quit, loop);
  g_main_loop_run (loop);

  return 0;
}
