/* thermostat-replica.c: a live replica of the thermostat
 *
 *   thermostat-replica [--url URL] [--name LABEL] [--set-target T]
 *                      [--boost N] [--seconds N]
 *
 * Connects to the host at URL (default local:gro-thermostat), acquires the
 * source "thermostat" as a dynamic replica, prints its values, then prints
 * every change and every alarm the source pushes. With --set-target it writes
 * the target temperature, with --boost it calls the source's "boost" method
 * and prints the reply (after the write, when both are given).
 * Each line starts with LABEL, so that the output of several replicas can be
 * told apart.
 *
 * The replica has no generated code and no copy of DemoThermostat: its class
 * is built at run time from the schema the host sends, and is used like any
 * GObject (g_object_get(), g_object_set(), notify::, g_signal_connect()).
 *
 * If the host goes away the replica keeps its last values, in the state
 * SUSPECT; the node reconnects by itself, with a growing delay, and the
 * replica is in step again once the host is back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <gro.h>

#define SOURCE_NAME "thermostat"

typedef struct
{
  GMainLoop    *loop;
  GroNode      *node;
  GroReplica   *replica;
  GCancellable *cancellable;
  char         *url;
  char         *label;
  int           boost;          /* G_MININT: do not call */
  double        set_target;     /* NAN: do not write */
  guint         time_up_id;
  int           status;
} App;

/* The properties this program shows, in this order. */
static const char * const shown_properties[] = {
  "temperature",
  "target-temperature",
  "mode",
  "heater-on",
};

static void say (App        *app,
                 const char *format,
                 ...) G_GNUC_PRINTF (2, 3);

static void
say (App        *app,
     const char *format,
     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_print ("[%s] %s\n", app->label, message);
}

static void
quit (App *app,
      int  status)
{
  if (status > app->status)
    app->status = status;
  g_cancellable_cancel (app->cancellable);
  g_main_loop_quit (app->loop);
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev ? ev->value_nick : "?";
}

/* Formats a property of the replica by its type. The replica's "mode" is of
 * an enumeration gro registered from the source's schema, with the source's
 * values and nicks, so its nick prints as at the source. */
static char *
format_property (GObject    *object,
                 GParamSpec *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);

  if (G_VALUE_HOLDS_DOUBLE (&value))
    return g_strdup_printf ("%.1f C", g_value_get_double (&value));
  if (G_VALUE_HOLDS_BOOLEAN (&value))
    return g_strdup (g_value_get_boolean (&value) ? "on" : "off");
  if (G_VALUE_HOLDS_ENUM (&value))
    return g_strdup (enum_nick (pspec->value_type, g_value_get_enum (&value)));
  return g_strdup_value_contents (&value);
}

static void
on_property_changed (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  g_autofree char *text = format_property (object, pspec);

  say (user_data, "%s -> %s", pspec->name, text);
}

static void
on_alarm (GroReplica *replica,
          const char *message,
          double      temperature,
          gpointer    user_data)
{
  say (user_data, "ALARM %s (%.1f C)", message, temperature);
}

static void
on_state_changed (GroReplica      *replica,
                  GroReplicaState  state,
                  GroReplicaState  old_state,
                  gpointer         user_data)
{
  const char *why = "";

  if (state == GRO_REPLICA_STATE_SUSPECT)
    why = " (source gone; values are the last known)";
  else if (state == GRO_REPLICA_STATE_VALID && old_state == GRO_REPLICA_STATE_SUSPECT)
    why = " (in step with the source again)";

  say (user_data, "state %s -> %s%s",
       enum_nick (GRO_TYPE_REPLICA_STATE, old_state),
       enum_nick (GRO_TYPE_REPLICA_STATE, state), why);
}

static void
on_boost_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) text = NULL;
  g_autoptr(GError) error = NULL;

  reply = gro_replica_call_finish (GRO_REPLICA (source), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (app, "boost failed: %s (%s, code %d)", error->message,
             g_quark_to_string (error->domain), error->code);
      return;
    }

  /* A tuple of the return value. A string is a maybe type in the schema, as
   * a GValue string may be NULL. */
  text = g_variant_get_child_value (reply, 0);
  if (g_variant_is_of_type (text, G_VARIANT_TYPE ("ms")))
    {
      g_autoptr(GVariant) inner = g_variant_get_maybe (text);

      g_clear_pointer (&text, g_variant_unref);
      text = g_steal_pointer (&inner);
    }

  say (app, "boost replied: %s", text ? g_variant_get_string (text, NULL) : "(nothing)");
}

static void
call_boost (App *app)
{
  if (app->boost == G_MININT)
    return;

  say (app, "calling boost (%d)", app->boost);
  gro_replica_call_async (app->replica, "boost", g_variant_new ("(i)", app->boost),
                          -1, app->cancellable, on_boost_done, app);
}

static void
on_write_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;

  if (gro_replica_write_property_finish (GRO_REPLICA (source), result, &error))
    say (app, "the source took the write");
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    say (app, "the source refused the write: %s", error->message);

  call_boost (app);
}

static void
act (App *app)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (isnan (app->set_target))
    {
      call_boost (app);
      return;
    }

  say (app, "writing target-temperature = %.1f", app->set_target);

  /* g_object_set (replica, "target-temperature", t, NULL) sends the same
   * write, and is all most code needs. This form also says whether the
   * source took the value, and when: the boost call waits for that. Either
   * way, the replica's value changes when the source's change comes back, as
   * for every other replica. */
  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, app->set_target);
  gro_replica_write_property_async (app->replica, "target-temperature", &value,
                                    app->cancellable, on_write_done, app);
}

static void
on_acquired (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  GObjectClass *klass;

  app->replica = gro_node_acquire_dynamic_finish (GRO_NODE (source), result, &error);
  if (app->replica == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          say (app, "cannot acquire '%s': %s", SOURCE_NAME, error->message);
          quit (app, EXIT_FAILURE);
        }
      return;
    }

  say (app, "acquired '%s', a %s", SOURCE_NAME, gro_replica_get_type_name (app->replica));

  /* The replica is valid: its class has the source's properties and
   * signals, and they hold the source's values. */
  klass = G_OBJECT_GET_CLASS (app->replica);
  for (guint i = 0; i < G_N_ELEMENTS (shown_properties); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, shown_properties[i]);
      g_autofree char *signal = NULL;
      g_autofree char *text = NULL;

      if (pspec == NULL)
        {
          say (app, "the source has no property '%s'", shown_properties[i]);
          continue;
        }

      text = format_property (G_OBJECT (app->replica), pspec);
      say (app, "%s = %s", pspec->name, text);

      signal = g_strconcat ("notify::", pspec->name, NULL);
      g_signal_connect (app->replica, signal, G_CALLBACK (on_property_changed), app);
    }

  g_signal_connect (app->replica, "alarm", G_CALLBACK (on_alarm), app);
  g_signal_connect (app->replica, "state-changed", G_CALLBACK (on_state_changed), app);

  act (app);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;

  if (!gro_node_connect_to_node_finish (GRO_NODE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          say (app, "%s", error->message);
          quit (app, EXIT_FAILURE);
        }
      return;
    }

  say (app, "connected to %s", app->url);
  gro_node_acquire_dynamic_async (app->node, SOURCE_NAME, app->cancellable, on_acquired, app);
}

static void
on_connection_closed (GroNode      *node,
                      const char   *address,
                      const GError *error,
                      gpointer      user_data)
{
  App *app = user_data;

  say (app, "connection to %s closed: %s", address, error ? error->message : "by this side");
}

static gboolean
on_quit_signal (gpointer user_data)
{
  quit (user_data, EXIT_SUCCESS);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_time_up (gpointer user_data)
{
  App *app = user_data;

  app->time_up_id = 0;
  quit (app, EXIT_SUCCESS);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  App app = {
    .boost = G_MININT,
    .set_target = NAN,
    .status = EXIT_SUCCESS,
  };
  char *url = NULL;
  char *label = NULL;
  int seconds = 0;
  guint sigint_id, sigterm_id;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      "Address of the host (default local:gro-thermostat)", "URL" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &label,
      "Label printed at the start of each line", "LABEL" },
    { "boost", 0, 0, G_OPTION_ARG_INT, &app.boost,
      "Call boost (N) once the replica is valid", "N" },
    { "set-target", 0, 0, G_OPTION_ARG_DOUBLE, &app.set_target,
      "Write target-temperature once the replica is valid", "T" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Exit after N seconds", "N" },
    { NULL }
  };

  context = g_option_context_new ("- watch the thermostat from another process");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  app.url = url ? url : g_strdup ("local:gro-thermostat");
  app.label = label ? label : g_strdup ("replica");
  /* Line by line, also into a pipe, so that the output of several
   * programs interleaves as it happens. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  app.loop = g_main_loop_new (NULL, FALSE);
  app.cancellable = g_cancellable_new ();
  app.node = gro_node_new ();
  g_signal_connect (app.node, "connection-closed", G_CALLBACK (on_connection_closed), &app);

  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, &app);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, &app);
  if (seconds > 0)
    app.time_up_id = g_timeout_add_seconds (seconds, on_time_up, &app);

  gro_node_connect_to_node_async (app.node, app.url, app.cancellable, on_connected, &app);
  g_main_loop_run (app.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&app.time_up_id, g_source_remove);

  /* Nothing of ours may run while the node shuts down. The replica keeps
   * the node alive, so it goes first. */
  g_signal_handlers_disconnect_by_data (app.node, &app);
  if (app.replica != NULL)
    g_signal_handlers_disconnect_by_data (app.replica, &app);
  g_clear_object (&app.replica);
  g_clear_object (&app.node);

  g_clear_object (&app.cancellable);
  g_main_loop_unref (app.loop);
  g_free (app.url);
  g_free (app.label);

  return app.status;
}
