/* thermostat-source.c: a simulated thermostat, shared with gro
 *
 *   thermostat-source [URL] [--seconds N] [--temperature T]
 *
 * Shares a DemoThermostat under the name "thermostat" on URL (default
 * local:gro-thermostat, a socket in $XDG_RUNTIME_DIR), prints the addresses
 * it listens on, then prints the thermostat's state each time it changes.
 * Replicas elsewhere see the same changes, pushed to them; see
 * thermostat-replica.c.
 *
 * It stops on SIGINT or SIGTERM, or after N seconds with --seconds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <gro.h>

/* ------------------------------------------------------------------------ */
/* DemoThermostat: an ordinary GObject. Nothing in it knows about gro, except
 * the lines that fail a call with an error.                                 */

/**
 * DemoThermostatMode:
 * @DEMO_THERMOSTAT_MODE_OFF: neither heats nor cools
 * @DEMO_THERMOSTAT_MODE_HEAT: heats up to the target
 * @DEMO_THERMOSTAT_MODE_COOL: cools down to the target
 *
 * What the thermostat does. Replicas receive the enumeration's values and
 * nicks with the schema, so they need not have this type.
 */
typedef enum
{
  DEMO_THERMOSTAT_MODE_OFF,
  DEMO_THERMOSTAT_MODE_HEAT,
  DEMO_THERMOSTAT_MODE_COOL,
} DemoThermostatMode;

#define DEMO_TYPE_THERMOSTAT_MODE (demo_thermostat_mode_get_type ())
GType demo_thermostat_mode_get_type (void);

G_DEFINE_ENUM_TYPE (DemoThermostatMode, demo_thermostat_mode,
  G_DEFINE_ENUM_VALUE (DEMO_THERMOSTAT_MODE_OFF, "off"),
  G_DEFINE_ENUM_VALUE (DEMO_THERMOSTAT_MODE_HEAT, "heat"),
  G_DEFINE_ENUM_VALUE (DEMO_THERMOSTAT_MODE_COOL, "cool"))

/**
 * DemoThermostatError:
 * @DEMO_THERMOSTAT_ERROR_INVALID_DURATION: a boost was asked for a duration
 *   outside 1..120 minutes
 *
 * Errors of the thermostat's methods. A replica receives them in this
 * domain, by name ("demo-thermostat-error-quark"), with their code.
 */
typedef enum
{
  DEMO_THERMOSTAT_ERROR_INVALID_DURATION,
} DemoThermostatError;

#define DEMO_THERMOSTAT_ERROR (demo_thermostat_error_quark ())
GQuark demo_thermostat_error_quark (void);

G_DEFINE_QUARK (demo-thermostat-error-quark, demo_thermostat_error)

#define DEMO_TYPE_THERMOSTAT (demo_thermostat_get_type ())
G_DECLARE_FINAL_TYPE (DemoThermostat, demo_thermostat, DEMO, THERMOSTAT, GObject)

#define TARGET_MIN        5.0
#define TARGET_MAX        35.0
#define TARGET_DEFAULT    20.0
#define AMBIENT           18.0   /* where the room drifts when left alone */
#define TICK_MS           500
#define HEAT_STEP         0.5    /* degrees per tick, heater or cooler on */
#define LEAK              0.02   /* share of the gap to AMBIENT lost per tick */
#define NOISE             0.08
#define HYSTERESIS        0.5
#define ALARM_HIGH        30.0
#define ALARM_LOW         10.0
#define ALARM_REARM       0.5
#define BOOST_STEP        2.0
#define BOOST_MAX_MINUTES 120

typedef enum
{
  ALARM_NONE,
  ALARM_HOT,
  ALARM_COLD,
} AlarmState;

struct _DemoThermostat
{
  GObject             parent_instance;
  double              temperature;
  double              target;
  DemoThermostatMode  mode;
  gboolean            heater_on;
  gboolean            cooler_on;
  AlarmState          alarm;
  guint               tick_id;
  guint               boost_id;
  double              target_before_boost;
  double              boost_target;
};

enum {
  PROP_0,
  PROP_TEMPERATURE,
  PROP_TARGET_TEMPERATURE,
  PROP_MODE,
  PROP_HEATER_ON,
  N_PROPS
};

enum {
  ALARM,
  BOOST,
  RESET,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DemoThermostat, demo_thermostat, G_TYPE_OBJECT)

static void
demo_thermostat_set_target (DemoThermostat *self,
                            double          target)
{
  target = CLAMP (target, TARGET_MIN, TARGET_MAX);
  if (self->target == target)
    return;

  self->target = target;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET_TEMPERATURE]);
}

/* The heater and the cooler switch with some hysteresis, as real ones do, so
 * they do not chatter around the target. Like a real controller, this runs
 * once per cycle (a tick), not on every change of the settings. */
static void
demo_thermostat_update_heater (DemoThermostat *self)
{
  gboolean heater_on = self->heater_on;

  if (self->mode != DEMO_THERMOSTAT_MODE_HEAT)
    heater_on = FALSE;
  else if (self->temperature < self->target - HYSTERESIS)
    heater_on = TRUE;
  else if (self->temperature >= self->target)
    heater_on = FALSE;

  if (self->mode != DEMO_THERMOSTAT_MODE_COOL)
    self->cooler_on = FALSE;
  else if (self->temperature > self->target + HYSTERESIS)
    self->cooler_on = TRUE;
  else if (self->temperature <= self->target)
    self->cooler_on = FALSE;

  if (self->heater_on != heater_on)
    {
      self->heater_on = heater_on;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEATER_ON]);
    }
}

/* An alarm is raised once per excursion: it re-arms only when the temperature
 * is back inside the range by ALARM_REARM, so sensor noise at a limit does not
 * repeat it. */
static void
demo_thermostat_check_alarm (DemoThermostat *self)
{
  double t = self->temperature;

  if (self->alarm != ALARM_HOT && t > ALARM_HIGH)
    {
      self->alarm = ALARM_HOT;
      g_signal_emit (self, signals[ALARM], 0, "too hot: above 30 C", t);
    }
  else if (self->alarm != ALARM_COLD && t < ALARM_LOW)
    {
      self->alarm = ALARM_COLD;
      g_signal_emit (self, signals[ALARM], 0, "too cold: below 10 C", t);
    }
  else if (t < ALARM_HIGH - ALARM_REARM && t > ALARM_LOW + ALARM_REARM)
    self->alarm = ALARM_NONE;
}

static gboolean
demo_thermostat_tick (gpointer user_data)
{
  DemoThermostat *self = user_data;
  double t = self->temperature;

  if (self->heater_on)
    t += HEAT_STEP;
  else if (self->cooler_on)
    t -= HEAT_STEP;
  else
    t += (AMBIENT - t) * LEAK;
  t += g_random_double_range (-NOISE, NOISE);

  /* The sensor's resolution: a change below it is no change, and sends
   * nothing to the replicas. */
  t = round (t * 10.0) / 10.0;

  if (t != self->temperature)
    {
      self->temperature = t;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPERATURE]);
    }
  demo_thermostat_update_heater (self);
  demo_thermostat_check_alarm (self);

  return G_SOURCE_CONTINUE;
}

static void
demo_thermostat_end_boost (DemoThermostat *self)
{
  g_clear_handle_id (&self->boost_id, g_source_remove);
}

static gboolean
demo_thermostat_boost_timeout (gpointer user_data)
{
  DemoThermostat *self = user_data;

  self->boost_id = 0;
  demo_thermostat_set_target (self, self->target_before_boost);

  return G_SOURCE_REMOVE;
}

/* The "boost" method. Its return value is the reply the caller receives. */
static char *
demo_thermostat_real_boost (DemoThermostat *self,
                            int             minutes)
{
  if (minutes <= 0 || minutes > BOOST_MAX_MINUTES)
    {
      GroInvocation *invocation = gro_invocation_get_current ();

      /* Emitted locally rather than called through gro, there is no caller
       * to answer. */
      if (invocation != NULL)
        gro_invocation_return_error (invocation, DEMO_THERMOSTAT_ERROR,
                                     DEMO_THERMOSTAT_ERROR_INVALID_DURATION,
                                     "Cannot boost for %d minutes: allowed are 1 to %d",
                                     minutes, BOOST_MAX_MINUTES);
      return NULL;
    }

  /* A second boost extends the first, from the target before either. */
  if (self->boost_id == 0)
    self->target_before_boost = self->target;
  demo_thermostat_end_boost (self);

  self->boost_target = CLAMP (self->target_before_boost + BOOST_STEP, TARGET_MIN, TARGET_MAX);
  self->boost_id = g_timeout_add_seconds (minutes * 60, demo_thermostat_boost_timeout, self);
  demo_thermostat_set_target (self, self->boost_target);

  return g_strdup_printf ("boosting to %.1f C for %d minutes", self->boost_target, minutes);
}

static void
demo_thermostat_real_reset (DemoThermostat *self)
{
  demo_thermostat_end_boost (self);
  demo_thermostat_set_target (self, TARGET_DEFAULT);
  if (self->mode != DEMO_THERMOSTAT_MODE_HEAT)
    {
      self->mode = DEMO_THERMOSTAT_MODE_HEAT;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
    }
}

static void
demo_thermostat_dispose (GObject *object)
{
  DemoThermostat *self = DEMO_THERMOSTAT (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  demo_thermostat_end_boost (self);

  G_OBJECT_CLASS (demo_thermostat_parent_class)->dispose (object);
}

static void
demo_thermostat_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DemoThermostat *self = DEMO_THERMOSTAT (object);

  switch (prop_id)
    {
    case PROP_TEMPERATURE:
      g_value_set_double (value, self->temperature);
      break;
    case PROP_TARGET_TEMPERATURE:
      g_value_set_double (value, self->target);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_HEATER_ON:
      g_value_set_boolean (value, self->heater_on);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
demo_thermostat_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DemoThermostat *self = DEMO_THERMOSTAT (object);

  switch (prop_id)
    {
    case PROP_TARGET_TEMPERATURE:
      /* Someone chose a target: that ends a boost. */
      demo_thermostat_end_boost (self);
      demo_thermostat_set_target (self, g_value_get_double (value));
      break;
    case PROP_MODE:
      if (self->mode != (DemoThermostatMode) g_value_get_enum (value))
        {
          self->mode = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
demo_thermostat_class_init (DemoThermostatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags writable = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = demo_thermostat_dispose;
  object_class->get_property = demo_thermostat_get_property;
  object_class->set_property = demo_thermostat_set_property;

  /**
   * DemoThermostat:temperature:
   *
   * The measured temperature, in °C.
   */
  properties[PROP_TEMPERATURE] =
    g_param_spec_double ("temperature", NULL, NULL, -50.0, 100.0, AMBIENT, readable);

  /**
   * DemoThermostat:target-temperature:
   *
   * The temperature to reach, in °C. A replica's write outside the range is
   * refused by gro before the object sees it.
   */
  properties[PROP_TARGET_TEMPERATURE] =
    g_param_spec_double ("target-temperature", NULL, NULL,
                         TARGET_MIN, TARGET_MAX, TARGET_DEFAULT, writable);

  /**
   * DemoThermostat:mode:
   *
   * Whether the thermostat heats, cools, or does neither.
   */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, DEMO_TYPE_THERMOSTAT_MODE,
                       DEMO_THERMOSTAT_MODE_HEAT, writable);

  /**
   * DemoThermostat:heater-on:
   *
   * Whether the heater runs now; follows from the other properties.
   */
  properties[PROP_HEATER_ON] =
    g_param_spec_boolean ("heater-on", NULL, NULL, FALSE, readable);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DemoThermostat::alarm:
   * @self: the thermostat
   * @message: what is wrong
   * @temperature: the temperature that raised the alarm
   *
   * Emitted when the temperature rises above 30 °C or falls below 10 °C.
   * A plain signal: replicas receive it with its arguments.
   */
  signals[ALARM] =
    g_signal_new ("alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DOUBLE);

  /**
   * DemoThermostat::boost:
   * @self: the thermostat
   * @minutes: how long, from 1 to 120
   *
   * Raises the target by 2 °C for @minutes. An action signal: replicas call
   * it as a method, and receive its return value as the reply.
   *
   * Returns: (transfer full): what the thermostat does
   */
  signals[BOOST] =
    g_signal_new_class_handler ("boost", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                G_CALLBACK (demo_thermostat_real_boost), NULL, NULL, NULL,
                                G_TYPE_STRING, 1, G_TYPE_INT);

  /**
   * DemoThermostat::reset:
   * @self: the thermostat
   *
   * Ends a boost and goes back to heating to 20 °C. An action signal, so a
   * method for replicas.
   */
  signals[RESET] =
    g_signal_new_class_handler ("reset", G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                G_CALLBACK (demo_thermostat_real_reset), NULL, NULL, NULL,
                                G_TYPE_NONE, 0);
}

static void
demo_thermostat_init (DemoThermostat *self)
{
  self->temperature = AMBIENT;
  self->target = TARGET_DEFAULT;
  self->mode = DEMO_THERMOSTAT_MODE_HEAT;
  self->tick_id = g_timeout_add (TICK_MS, demo_thermostat_tick, self);
}

static DemoThermostat *
demo_thermostat_new (double temperature)
{
  DemoThermostat *self = g_object_new (DEMO_TYPE_THERMOSTAT, NULL);

  self->temperature = round (CLAMP (temperature, -50.0, 100.0) * 10.0) / 10.0;
  demo_thermostat_update_heater (self);
  return self;
}

/* ------------------------------------------------------------------------ */
/* The program                                                               */

static guint print_id;
static guint time_up_id;

static gboolean
print_state (gpointer user_data)
{
  DemoThermostat *self = user_data;
  g_autoptr(GEnumClass) modes = g_type_class_ref (DEMO_TYPE_THERMOSTAT_MODE);

  print_id = 0;
  g_print ("temperature %.1f C, target %.1f C, mode %s, heater %s%s\n",
           self->temperature, self->target,
           g_enum_get_value (modes, self->mode)->value_nick,
           self->heater_on ? "on" : "off",
           self->boost_id != 0 ? " (boost)" : "");

  return G_SOURCE_REMOVE;
}

/* Several properties may change at once: print them once, afterwards. */
static void
on_notify (DemoThermostat *self,
           GParamSpec     *pspec,
           gpointer        user_data)
{
  if (print_id == 0)
    print_id = g_idle_add (print_state, self);
}

static void
on_alarm (DemoThermostat *self,
          const char     *message,
          double          temperature,
          gpointer        user_data)
{
  g_print ("ALARM %s (%.1f C)\n", message, temperature);
}

/* Runs before the class handler, so it sees every call, refused or not. It
 * returns nothing of its own: the class handler, which runs last, makes the
 * reply. */
static char *
on_boost (DemoThermostat *self,
          int             minutes,
          gpointer        user_data)
{
  GroInvocation *invocation = gro_invocation_get_current ();

  g_print ("boost (%d) called by %s\n", minutes,
           invocation ? gro_invocation_get_peer_address (invocation) : "this process");
  return NULL;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_print ("stopping\n");
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_time_up (gpointer user_data)
{
  time_up_id = 0;
  g_print ("time is up, stopping\n");
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GroHost) host = NULL;
  g_autoptr(DemoThermostat) thermostat = NULL;
  g_auto(GStrv) urls = NULL;
  const char *url = "local:gro-thermostat";
  int seconds = 0;
  double temperature = AMBIENT;
  guint sigint_id, sigterm_id;
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Stop after N seconds", "N" },
    { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &temperature,
      "Start at T degrees C (default 18)", "T" },
    { NULL }
  };

  context = g_option_context_new ("[URL] - share a simulated thermostat");
  g_option_context_set_description (context,
                                    "URL: tcp://HOST:PORT, unix:/PATH, local:NAME or "
                                    "unix-abstract:NAME (default local:gro-thermostat)\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (argc > 2)
    {
      g_printerr ("Too many arguments; see --help\n");
      return 2;
    }
  if (argc == 2)
    url = argv[1];

  /* Line by line, also into a pipe, so that the output of several
   * programs interleaves as it happens. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  loop = g_main_loop_new (NULL, FALSE);
  thermostat = demo_thermostat_new (temperature);

  host = gro_host_new (url, &error);
  if (host == NULL ||
      !gro_host_enable_remoting (host, G_OBJECT (thermostat), "thermostat", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  urls = gro_host_dup_urls (host);
  for (guint i = 0; urls[i] != NULL; i++)
    g_print ("sharing 'thermostat' on %s\n", urls[i]);
  print_state (thermostat);

  g_signal_connect (thermostat, "notify", G_CALLBACK (on_notify), NULL);
  g_signal_connect (thermostat, "alarm", G_CALLBACK (on_alarm), NULL);
  g_signal_connect (thermostat, "boost", G_CALLBACK (on_boost), NULL);

  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  if (seconds > 0)
    time_up_id = g_timeout_add_seconds (seconds, on_time_up, loop);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&time_up_id, g_source_remove);
  g_clear_handle_id (&print_id, g_source_remove);

  /* The host goes first: it closes the replicas' connections and removes
   * its socket file. */
  g_clear_object (&host);

  return EXIT_SUCCESS;
}
