/* thermostat.c: the example source of doc/protocol.md
 *
 * Properties "temperature" (gint, read-write), "label" (gchararray,
 * read-only) and "mode" (ThermostatMode, read-write); the signal
 * "alarm" (gint, gchararray); the methods "add" (gint, gint) -> gint and
 * "reset" (). print-golden and test-peer use it, so the golden frames are
 * what a real host sends for it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "thermostat.h"

struct _Thermostat
{
  GObject         parent_instance;
  int             temperature;
  char           *label;
  ThermostatMode  mode;
};

enum {
  PROP_0,
  PROP_TEMPERATURE,
  PROP_LABEL,
  PROP_MODE,
  N_PROPS
};

enum {
  ALARM,
  ADD,
  RESET,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GType
thermostat_mode_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { THERMOSTAT_MODE_OFF, "THERMOSTAT_MODE_OFF", "off" },
    { THERMOSTAT_MODE_HEAT, "THERMOSTAT_MODE_HEAT", "heat" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("ThermostatMode", values));
  return type;
}

G_DEFINE_FINAL_TYPE (Thermostat, thermostat, G_TYPE_OBJECT)

static void
thermostat_finalize (GObject *object)
{
  Thermostat *self = THERMOSTAT_OBJECT (object);

  g_free (self->label);

  G_OBJECT_CLASS (thermostat_parent_class)->finalize (object);
}

static void
thermostat_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  Thermostat *self = THERMOSTAT_OBJECT (object);

  switch (prop_id)
    {
    case PROP_TEMPERATURE: g_value_set_int (value, self->temperature); break;
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
thermostat_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  Thermostat *self = THERMOSTAT_OBJECT (object);

  switch (prop_id)
    {
    case PROP_TEMPERATURE: self->temperature = g_value_get_int (value); break;
    case PROP_MODE: self->mode = g_value_get_enum (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static int
thermostat_real_add (Thermostat *self,
                     int         a,
                     int         b)
{
  return a + b;
}

static void
thermostat_real_reset (Thermostat *self)
{
  g_object_set (self, "temperature", 21, "mode", THERMOSTAT_MODE_OFF, NULL);
}

static void
thermostat_class_init (ThermostatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = thermostat_finalize;
  object_class->get_property = thermostat_get_property;
  object_class->set_property = thermostat_set_property;

  properties[PROP_TEMPERATURE] =
    g_param_spec_int ("temperature", NULL, NULL, -100, 100, 21, rw);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, THERMOSTAT_TYPE_MODE, THERMOSTAT_MODE_OFF, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ALARM] = g_signal_new ("alarm", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[ADD] = g_signal_new_class_handler ("add", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                             G_CALLBACK (thermostat_real_add), NULL, NULL, NULL,
                                             G_TYPE_INT, 2, G_TYPE_INT, G_TYPE_INT);
  signals[RESET] = g_signal_new_class_handler ("reset", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                               G_CALLBACK (thermostat_real_reset), NULL, NULL,
                                               NULL, G_TYPE_NONE, 0);
}

static void
thermostat_init (Thermostat *self)
{
  self->temperature = 21;
  self->label = g_strdup ("Kitchen");
  self->mode = THERMOSTAT_MODE_OFF;
}

Thermostat *
thermostat_new (void)
{
  return g_object_new (THERMOSTAT_TYPE, NULL);
}

void
thermostat_alarm (Thermostat *self,
                  int         level,
                  const char *text)
{
  g_signal_emit (self, signals[ALARM], 0, level, text);
}
