/* sensor.c: a host that publishes a sensor in a registry
 *
 *   sensor --registry URL --listen URL --name NAME [--start N] [--seconds N]
 *
 * Shares a simulated sensor under NAME, listening on --listen, and publishes
 * it in the registry at --registry. Its "reading" counts up from --start
 * (default 0), one step every 200 ms. The host reaches the registry by
 * itself, and again if the registry restarts; it need not be up first.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>

#include <glib-unix.h>
#include <gro.h>

/* The source: an ordinary GObject, nothing gro-specific. */
#define DEMO_TYPE_SENSOR (demo_sensor_get_type ())
G_DECLARE_FINAL_TYPE (DemoSensor, demo_sensor, DEMO, SENSOR, GObject)

struct _DemoSensor
{
  GObject parent_instance;
  int     reading;
};

enum { PROP_0, PROP_READING, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DemoSensor, demo_sensor, G_TYPE_OBJECT)

static void
demo_sensor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_READING:
      g_value_set_int (value, DEMO_SENSOR (object)->reading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
demo_sensor_class_init (DemoSensorClass *klass)
{
  G_OBJECT_CLASS (klass)->get_property = demo_sensor_get_property;
  properties[PROP_READING] =
    g_param_spec_int ("reading", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
}

static void
demo_sensor_init (DemoSensor *self)
{
}

static gboolean
tick (gpointer user_data)
{
  DemoSensor *sensor = user_data;

  sensor->reading++;
  g_object_notify_by_pspec (G_OBJECT (sensor), properties[PROP_READING]);
  return G_SOURCE_CONTINUE;
}

static gboolean
stop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
on_publish_failed (GroHost      *host,
                   const char   *name,
                   const GError *error,
                   gpointer      user_data)
{
  g_print ("[%s] the registry refused it: %s\n", name, error->message);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- a sensor published in a registry");
  g_autoptr(GError) error = NULL;
  g_autoptr(GroHost) host = NULL;
  g_autoptr(DemoSensor) sensor = g_object_new (DEMO_TYPE_SENSOR, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *registry = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *name = NULL;
  int start = 0;
  int seconds = 0;
  GOptionEntry entries[] = {
    { "registry", 0, 0, G_OPTION_ARG_STRING, &registry, "The registry's address", "URL" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Where to listen", "URL" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The sensor's name", "NAME" },
    { "start", 0, 0, G_OPTION_ARG_INT, &start, "The first reading", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Stop after N seconds", "N" },
    { NULL }
  };

  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      registry == NULL || listen == NULL || name == NULL)
    {
      g_printerr ("%s\n", error ? error->message
                                : "usage: sensor --registry URL --listen URL --name NAME");
      return 2;
    }
  sensor->reading = start;

  host = gro_host_new (listen, &error);
  if (host == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_signal_connect (host, "publish-failed", G_CALLBACK (on_publish_failed), NULL);
  gro_node_set_registry_url (GRO_NODE (host), registry);
  if (!gro_host_enable_remoting (host, G_OBJECT (sensor), name, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("[%s] sharing '%s' at %s, published in %s\n", name, name,
           gro_host_get_url (host), registry);

  g_timeout_add (200, tick, sensor);
  if (seconds > 0)
    g_timeout_add_seconds (seconds, stop, loop);
  g_unix_signal_add (SIGINT, stop, loop);
  g_unix_signal_add (SIGTERM, stop, loop);
  g_main_loop_run (loop);
  return 0;
}
