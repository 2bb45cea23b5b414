/* typed-test-source: a host sharing DemoThermostat sources, for the typed tests
 *
 *   typed-test-source
 *
 * Listens on tcp://127.0.0.1:0 and shares:
 *   thermostat   a DemoSimThermostat ("living room")
 *   extended     a DemoSimThermostat subclass with one more property, signal
 *                and method: typed replicas ignore them
 *   retyped      an object with DemoThermostat's members, but "target" an int
 *   no-methods   an object with DemoThermostat's properties and signal, but
 *                not implementing it: it has none of its methods
 * Prints its address, then "READY". Then reads commands on stdin:
 *
 *   temperature X     set the thermostat's temperature
 *   alarm LEVEL TEXT  make the thermostat emit alarm
 *   quit              exit
 *
 * answering each with "OK" or "ERROR message". It exits when stdin closes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include <gio/gunixinputstream.h>
#include <gro.h>

#include "demo-sim-thermostat.h"
#include "demo-thermostat-replica.h"

static GMainLoop *loop;
static DemoSimThermostat *thermostat;

/* A thermostat with more than the interface: a humidity property, a rain
 * signal and a vent method. */
#define TEST_TYPE_EXTENDED (test_extended_get_type ())
G_DECLARE_FINAL_TYPE (TestExtended, test_extended, TEST, EXTENDED, GObject)

struct _TestExtended
{
  GObject parent_instance;
};

static void test_extended_iface_init (DemoThermostatInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestExtended, test_extended, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DEMO_TYPE_THERMOSTAT,
                                                      test_extended_iface_init))

static void
extended_reset (DemoThermostat *self)
{
}

static gboolean
extended_boost (DemoThermostat  *self,
                guint            seconds,
                GError         **error)
{
  return TRUE;
}

static void
extended_set_target_async (DemoThermostat      *self,
                           double               target,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_return_pointer (task, g_memdup2 (&target, sizeof target), g_free);
}

static double
extended_set_target_finish (DemoThermostat  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  g_autofree double *target = g_task_propagate_pointer (G_TASK (result), error);

  return target ? *target : 0;
}

static void
test_extended_iface_init (DemoThermostatInterface *iface)
{
  iface->reset = extended_reset;
  iface->boost = extended_boost;
  iface->set_target_async = extended_set_target_async;
  iface->set_target_finish = extended_set_target_finish;
}

static void
props_get (GObject    *object,
           guint       prop_id,
           GValue     *value,
           GParamSpec *pspec)
{
  /* Every value is the property's default, except the label. */
  if (g_str_equal (pspec->name, "label"))
    g_value_set_string (value, G_OBJECT_TYPE_NAME (object));
  else
    g_param_value_set_default (pspec, value);
}

static void
props_set (GObject      *object,
           guint         prop_id,
           const GValue *value,
           GParamSpec   *pspec)
{
}

static int
extended_vent (TestExtended *self,
               int           minutes)
{
  return minutes * 2;
}

static void
test_extended_class_init (TestExtendedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = props_get;
  object_class->set_property = props_set;
  g_object_class_override_property (object_class, 1, "temperature");
  g_object_class_override_property (object_class, 2, "target");
  g_object_class_override_property (object_class, 3, "mode");
  g_object_class_override_property (object_class, 4, "label");
  g_object_class_install_property (object_class, 5,
    g_param_spec_int ("humidity", NULL, NULL, 0, 100, 40, G_PARAM_READABLE));
  g_signal_new ("rain", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  g_signal_new_class_handler ("vent", G_TYPE_FROM_CLASS (klass),
                              G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                              G_CALLBACK (extended_vent), NULL, NULL, NULL,
                              G_TYPE_INT, 1, G_TYPE_INT);
}

static void
test_extended_init (TestExtended *self)
{
}

/* DemoThermostat's properties and signal with "target" an int, and without
 * the interface. */
#define TEST_TYPE_RETYPED (test_retyped_get_type ())
G_DECLARE_FINAL_TYPE (TestRetyped, test_retyped, TEST, RETYPED, GObject)

struct _TestRetyped
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (TestRetyped, test_retyped, G_TYPE_OBJECT)

static void
test_retyped_class_init (TestRetypedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = props_get;
  object_class->set_property = props_set;
  g_object_class_install_property (object_class, 1,
    g_param_spec_double ("temperature", NULL, NULL, -100, 100, 0, G_PARAM_READABLE));
  g_object_class_install_property (object_class, 2,
    g_param_spec_int ("target", NULL, NULL, 0, 100, 0, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, 3,
    g_param_spec_enum ("mode", NULL, NULL, DEMO_TYPE_MODE, 0, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, 4,
    g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READWRITE));
  g_signal_new ("alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

static void
test_retyped_init (TestRetyped *self)
{
}

/* DemoThermostat's properties and signal, right, but none of its methods. */
#define TEST_TYPE_NO_METHODS (test_no_methods_get_type ())
G_DECLARE_FINAL_TYPE (TestNoMethods, test_no_methods, TEST, NO_METHODS, GObject)

struct _TestNoMethods
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (TestNoMethods, test_no_methods, G_TYPE_OBJECT)

static void
test_no_methods_class_init (TestNoMethodsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = props_get;
  object_class->set_property = props_set;
  g_object_class_install_property (object_class, 1,
    g_param_spec_double ("temperature", NULL, NULL, -100, 100, 0, G_PARAM_READABLE));
  g_object_class_install_property (object_class, 2,
    g_param_spec_double ("target", NULL, NULL, -100, 100, 0, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, 3,
    g_param_spec_enum ("mode", NULL, NULL, DEMO_TYPE_MODE, 0, G_PARAM_READWRITE));
  g_object_class_install_property (object_class, 4,
    g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READWRITE));
  g_signal_new ("alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

static void
test_no_methods_init (TestNoMethods *self)
{
}

static char *
run_command (const char *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", 3);

  if (g_str_equal (words[0], "temperature") && words[1] != NULL)
    demo_sim_thermostat_set_temperature (thermostat, g_ascii_strtod (words[1], NULL));
  else if (g_str_equal (words[0], "alarm") && words[1] != NULL && words[2] != NULL)
    demo_sim_thermostat_raise_alarm (thermostat, atoi (words[1]), words[2]);
  else if (g_str_equal (words[0], "quit"))
    g_main_loop_quit (loop);
  else
    return g_strdup_printf ("ERROR unknown command: %s", line);

  return g_strdup ("OK");
}

static void
on_line (GObject      *stream,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree char *line = NULL;
  g_autofree char *answer = NULL;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (stream), result, NULL, NULL);
  if (line == NULL)
    {
      g_main_loop_quit (loop);
      return;
    }

  answer = run_command (line);
  printf ("%s\n", answer);
  fflush (stdout);

  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (stream), G_PRIORITY_DEFAULT,
                                       NULL, on_line, NULL);
}

int
main (void)
{
  g_autoptr(GroHost) host = NULL;
  g_autoptr(GObject) extended = NULL;
  g_autoptr(GObject) retyped = NULL;
  g_autoptr(GObject) no_methods = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autoptr(GError) error = NULL;

  demo_thermostat_replica_register_source_methods ();

  loop = g_main_loop_new (NULL, FALSE);
  host = gro_host_new ("tcp://127.0.0.1:0", &error);
  thermostat = demo_sim_thermostat_new ("living room");
  extended = g_object_new (TEST_TYPE_EXTENDED, NULL);
  retyped = g_object_new (TEST_TYPE_RETYPED, NULL);
  no_methods = g_object_new (TEST_TYPE_NO_METHODS, NULL);

  if (host == NULL ||
      !gro_host_enable_remoting (host, G_OBJECT (thermostat), "thermostat", &error) ||
      !gro_host_enable_remoting (host, extended, "extended", &error) ||
      !gro_host_enable_remoting (host, retyped, "retyped", &error) ||
      !gro_host_enable_remoting (host, no_methods, "no-methods", &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  printf ("%s\nREADY\n", gro_host_get_url (host));
  fflush (stdout);

  stdin_stream = g_unix_input_stream_new (0, FALSE);
  input = g_data_input_stream_new (stdin_stream);
  g_data_input_stream_read_line_async (input, G_PRIORITY_DEFAULT, NULL, on_line, NULL);

  g_main_loop_run (loop);

  g_clear_object (&host);
  g_clear_object (&thermostat);
  g_main_loop_unref (loop);
  return 0;
}
