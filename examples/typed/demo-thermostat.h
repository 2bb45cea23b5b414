/* demo-thermostat.h: the interface the typed examples share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * DemoMode:
 * @DEMO_MODE_OFF: neither heating nor cooling
 * @DEMO_MODE_HEAT: heating up to the target
 * @DEMO_MODE_COOL: cooling down to the target
 *
 * What a thermostat does.
 */
typedef enum
{
  DEMO_MODE_OFF,
  DEMO_MODE_HEAT,
  DEMO_MODE_COOL,
} DemoMode;

GType demo_mode_get_type (void);
#define DEMO_TYPE_MODE (demo_mode_get_type ())

#define DEMO_TYPE_THERMOSTAT (demo_thermostat_get_type ())
G_DECLARE_INTERFACE (DemoThermostat, demo_thermostat, DEMO, THERMOSTAT, GObject)

/**
 * DemoThermostatInterface:
 * @g_iface: the parent interface
 * @reset: resets the thermostat
 * @boost: heats for a while, whatever the target
 * @set_target_async: sets the target, clamped to what the device can do
 * @set_target_finish: finishes @set_target_async
 *
 * A thermostat: its reading, its target and mode, an alarm, and what one
 * can ask of it.
 */
struct _DemoThermostatInterface
{
  GTypeInterface g_iface;

  void     (*reset)             (DemoThermostat       *self);
  gboolean (*boost)             (DemoThermostat       *self,
                                 guint                 seconds,
                                 GError              **error);
  void     (*set_target_async)  (DemoThermostat       *self,
                                 double                target,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
  double   (*set_target_finish) (DemoThermostat       *self,
                                 GAsyncResult         *result,
                                 GError              **error);
};

void     demo_thermostat_reset             (DemoThermostat       *self);
gboolean demo_thermostat_boost             (DemoThermostat       *self,
                                            guint                 seconds,
                                            GError              **error);
void     demo_thermostat_set_target_async  (DemoThermostat       *self,
                                            double                target,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
double   demo_thermostat_set_target_finish (DemoThermostat       *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
