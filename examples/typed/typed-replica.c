/* typed-replica.c: a typed replica of the thermostat that typed-source
 * shares, used through the DemoThermostat interface, as a local one would be.
 *
 *   typed-replica URL
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <gro.h>

#include "demo-sim-thermostat.h"
#include "demo-thermostat-replica.h"

typedef struct
{
  GMainLoop *loop;
  int        alarms;
} Demo;

/* Knows nothing of gro: it takes any DemoThermostat. */
static void
describe (const char     *who,
          DemoThermostat *thermostat)
{
  g_autofree char *label = NULL;
  double temperature, target;
  DemoMode mode;

  g_object_get (thermostat, "label", &label, "temperature", &temperature,
                "target", &target, "mode", &mode, NULL);
  printf ("[%s] %s: %.1f C, target %.1f C, mode %d\n", who, label, temperature, target, mode);
}

static void
on_alarm (DemoThermostat *thermostat,
          int             level,
          const char     *message,
          Demo           *demo)
{
  printf ("[replica] alarm %d: %s\n", level, message);
  if (++demo->alarms == 2)
    g_main_loop_quit (demo->loop);
}

static void
on_target_set (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  double target = demo_thermostat_set_target_finish (DEMO_THERMOSTAT (object), result, &error);

  if (error != NULL)
    printf ("[replica] set_target failed: %s\n", error->message);
  else
    printf ("[replica] set_target replied: %.1f C\n", target);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(DemoThermostatReplica) replica = NULL;
  g_autoptr(DemoSimThermostat) local = demo_sim_thermostat_new ("kitchen");
  g_autoptr(GError) error = NULL;
  Demo demo = { g_main_loop_new (NULL, FALSE), 0 };
  DemoThermostat *thermostat;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s URL\n", argv[0]);
      return 2;
    }
  setvbuf (stdout, NULL, _IOLBF, 0);

  replica = demo_thermostat_replica_acquire (node, "thermostat");
  thermostat = DEMO_THERMOSTAT (replica);
  printf ("[replica] state before connecting: %s\n",
          gro_replica_get_state (GRO_REPLICA (replica)) == GRO_REPLICA_STATE_DEFAULT
            ? "default" : "other");
  describe ("replica", thermostat);

  if (!gro_node_connect_to_node (node, argv[1], &error) ||
      !gro_replica_wait_for_source (GRO_REPLICA (replica), 5000, &error))
    {
      fprintf (stderr, "typed-replica: %s\n", error->message);
      return 1;
    }
  printf ("[replica] valid\n");

  describe ("local", DEMO_THERMOSTAT (local));
  describe ("replica", thermostat);

  g_signal_connect (thermostat, "alarm", G_CALLBACK (on_alarm), &demo);
  demo_thermostat_set_target_async (thermostat, 40, NULL, on_target_set, NULL);
  if (!demo_thermostat_boost (thermostat, 5000, &error))
    printf ("[replica] boost refused: %s\n", error->message);
  g_clear_error (&error);
  if (demo_thermostat_boost (thermostat, 600, &error))
    printf ("[replica] boosting\n");
  demo_thermostat_reset (thermostat);

  g_main_loop_run (demo.loop);
  describe ("replica", thermostat);
  g_main_loop_unref (demo.loop);

  return 0;
}
