/* demo-thermostat.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "demo-thermostat.h"

G_DEFINE_ENUM_TYPE (DemoMode, demo_mode,
  G_DEFINE_ENUM_VALUE (DEMO_MODE_OFF, "off"),
  G_DEFINE_ENUM_VALUE (DEMO_MODE_HEAT, "heat"),
  G_DEFINE_ENUM_VALUE (DEMO_MODE_COOL, "cool"))

/**
 * DemoThermostat:
 *
 * A thermostat, local or remote: code that uses this interface works the
 * same with a [class@Demo.SimThermostat] in this process and with a replica
 * of one in another.
 */
G_DEFINE_INTERFACE (DemoThermostat, demo_thermostat, G_TYPE_OBJECT)

static void
demo_thermostat_default_init (DemoThermostatInterface *iface)
{
  /**
   * DemoThermostat:temperature:
   *
   * The temperature measured, in °C.
   */
  g_object_interface_install_property (iface,
    g_param_spec_double ("temperature", NULL, NULL, -100, 100, 20,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * DemoThermostat:target:
   *
   * The temperature wanted, in °C.
   */
  g_object_interface_install_property (iface,
    g_param_spec_double ("target", NULL, NULL, -100, 100, 21,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * DemoThermostat:mode:
   *
   * What the thermostat does.
   */
  g_object_interface_install_property (iface,
    g_param_spec_enum ("mode", NULL, NULL, DEMO_TYPE_MODE, DEMO_MODE_OFF,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * DemoThermostat:label:
   *
   * Where the thermostat is.
   */
  g_object_interface_install_property (iface,
    g_param_spec_string ("label", NULL, NULL, "unnamed",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  /**
   * DemoThermostat::alarm:
   * @self: the thermostat
   * @level: how bad it is, from 1
   * @message: what is wrong
   *
   * Something is wrong with the thermostat.
   */
  g_signal_new ("alarm", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

/**
 * demo_thermostat_reset:
 * @self: a thermostat
 *
 * Sets the target back to 21 °C and the mode to off.
 */
void
demo_thermostat_reset (DemoThermostat *self)
{
  g_return_if_fail (DEMO_IS_THERMOSTAT (self));
  DEMO_THERMOSTAT_GET_IFACE (self)->reset (self);
}

/**
 * demo_thermostat_boost:
 * @self: a thermostat
 * @seconds: how long, at most 3600
 * @error: return location for a #GError
 *
 * Heats for a while, whatever the target.
 *
 * Returns: %TRUE if the boost started
 */
gboolean
demo_thermostat_boost (DemoThermostat  *self,
                       guint            seconds,
                       GError         **error)
{
  g_return_val_if_fail (DEMO_IS_THERMOSTAT (self), FALSE);
  return DEMO_THERMOSTAT_GET_IFACE (self)->boost (self, seconds, error);
}

/**
 * demo_thermostat_set_target_async:
 * @self: a thermostat
 * @target: the temperature wanted
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the target is set
 * @user_data: data for @callback
 *
 * Sets the target, clamped to what the thermostat can do.
 */
void
demo_thermostat_set_target_async (DemoThermostat      *self,
                                  double               target,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DEMO_IS_THERMOSTAT (self));
  DEMO_THERMOSTAT_GET_IFACE (self)->set_target_async (self, target, cancellable,
                                                      callback, user_data);
}

/**
 * demo_thermostat_set_target_finish:
 * @self: a thermostat
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Demo.Thermostat.set_target_async].
 *
 * Returns: the target set
 */
double
demo_thermostat_set_target_finish (DemoThermostat  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (DEMO_IS_THERMOSTAT (self), 0);
  return DEMO_THERMOSTAT_GET_IFACE (self)->set_target_finish (self, result, error);
}
