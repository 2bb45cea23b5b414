/* demo-sim-thermostat.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include "demo-sim-thermostat.h"

/**
 * DemoSimThermostat:
 *
 * A simulated [iface@Demo.Thermostat]: it measures what it is told to, and
 * keeps its target between 5 and 30 °C.
 */
struct _DemoSimThermostat
{
  GObject   parent_instance;
  double    temperature;
  double    target;
  DemoMode  mode;
  char     *label;
};

enum {
  PROP_0,
  PROP_TEMPERATURE,
  PROP_TARGET,
  PROP_MODE,
  PROP_LABEL,
};

static void demo_sim_thermostat_iface_init (DemoThermostatInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DemoSimThermostat, demo_sim_thermostat, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DEMO_TYPE_THERMOSTAT,
                                                      demo_sim_thermostat_iface_init))

static void
set_target (DemoSimThermostat *self,
            double             target)
{
  target = CLAMP (target, 5, 30);
  if (target != self->target)
    {
      self->target = target;
      g_object_notify (G_OBJECT (self), "target");
    }
}

static void
set_mode (DemoSimThermostat *self,
          DemoMode           mode)
{
  if (mode != self->mode)
    {
      self->mode = mode;
      g_object_notify (G_OBJECT (self), "mode");
    }
}

static void
sim_reset (DemoThermostat *thermostat)
{
  DemoSimThermostat *self = DEMO_SIM_THERMOSTAT (thermostat);

  set_target (self, 21);
  set_mode (self, DEMO_MODE_OFF);
}

static gboolean
sim_boost (DemoThermostat  *thermostat,
           guint            seconds,
           GError         **error)
{
  if (seconds == 0 || seconds > 3600)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "A boost lasts from 1 to 3600 seconds, not %u", seconds);
      return FALSE;
    }
  set_mode (DEMO_SIM_THERMOSTAT (thermostat), DEMO_MODE_HEAT);
  return TRUE;
}

static void
sim_set_target_async (DemoThermostat      *thermostat,
                      double               target,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  DemoSimThermostat *self = DEMO_SIM_THERMOSTAT (thermostat);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sim_set_target_async);
  if (isnan (target))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "The target must be a number");
      return;
    }
  set_target (self, target);
  g_task_return_pointer (task, g_memdup2 (&self->target, sizeof (double)), g_free);
}

static double
sim_set_target_finish (DemoThermostat  *thermostat,
                       GAsyncResult    *result,
                       GError         **error)
{
  g_autofree double *target = g_task_propagate_pointer (G_TASK (result), error);

  return target ? *target : 0;
}

static void
demo_sim_thermostat_iface_init (DemoThermostatInterface *iface)
{
  iface->reset = sim_reset;
  iface->boost = sim_boost;
  iface->set_target_async = sim_set_target_async;
  iface->set_target_finish = sim_set_target_finish;
}

static void
demo_sim_thermostat_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DemoSimThermostat *self = DEMO_SIM_THERMOSTAT (object);

  switch (prop_id)
    {
    case PROP_TEMPERATURE:
      g_value_set_double (value, self->temperature);
      break;
    case PROP_TARGET:
      g_value_set_double (value, self->target);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
demo_sim_thermostat_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DemoSimThermostat *self = DEMO_SIM_THERMOSTAT (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      set_target (self, g_value_get_double (value));
      break;
    case PROP_MODE:
      set_mode (self, g_value_get_enum (value));
      break;
    case PROP_LABEL:
      if (g_strcmp0 (self->label, g_value_get_string (value)) != 0)
        {
          g_free (self->label);
          self->label = g_value_dup_string (value);
          g_object_notify (object, "label");
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
demo_sim_thermostat_finalize (GObject *object)
{
  DemoSimThermostat *self = DEMO_SIM_THERMOSTAT (object);

  g_free (self->label);

  G_OBJECT_CLASS (demo_sim_thermostat_parent_class)->finalize (object);
}

static void
demo_sim_thermostat_class_init (DemoSimThermostatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = demo_sim_thermostat_get_property;
  object_class->set_property = demo_sim_thermostat_set_property;
  object_class->finalize = demo_sim_thermostat_finalize;

  g_object_class_override_property (object_class, PROP_TEMPERATURE, "temperature");
  g_object_class_override_property (object_class, PROP_TARGET, "target");
  g_object_class_override_property (object_class, PROP_MODE, "mode");
  g_object_class_override_property (object_class, PROP_LABEL, "label");
}

static void
demo_sim_thermostat_init (DemoSimThermostat *self)
{
  self->temperature = 20;
  self->target = 21;
  self->mode = DEMO_MODE_OFF;
  self->label = g_strdup ("unnamed");
}

/**
 * demo_sim_thermostat_new:
 * @label: where the thermostat is
 *
 * Makes a simulated thermostat.
 *
 * Returns: (transfer full): a new thermostat
 */
DemoSimThermostat *
demo_sim_thermostat_new (const char *label)
{
  return g_object_new (DEMO_TYPE_SIM_THERMOSTAT, "label", label, NULL);
}

/**
 * demo_sim_thermostat_set_temperature:
 * @self: a simulated thermostat
 * @temperature: what it measures now
 *
 * Changes what the thermostat measures.
 */
void
demo_sim_thermostat_set_temperature (DemoSimThermostat *self,
                                     double             temperature)
{
  g_return_if_fail (DEMO_IS_SIM_THERMOSTAT (self));

  if (temperature != self->temperature)
    {
      self->temperature = temperature;
      g_object_notify (G_OBJECT (self), "temperature");
    }
}

/**
 * demo_sim_thermostat_raise_alarm:
 * @self: a simulated thermostat
 * @level: how bad it is
 * @message: what is wrong
 *
 * Emits [signal@Demo.Thermostat::alarm].
 */
void
demo_sim_thermostat_raise_alarm (DemoSimThermostat *self,
                                 int                level,
                                 const char        *message)
{
  g_return_if_fail (DEMO_IS_SIM_THERMOSTAT (self));

  g_signal_emit_by_name (self, "alarm", level, message);
}
