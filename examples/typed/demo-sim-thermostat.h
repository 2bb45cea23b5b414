/* demo-sim-thermostat.h: a simulated thermostat, a local DemoThermostat
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "demo-thermostat.h"

G_BEGIN_DECLS

#define DEMO_TYPE_SIM_THERMOSTAT (demo_sim_thermostat_get_type ())
G_DECLARE_FINAL_TYPE (DemoSimThermostat, demo_sim_thermostat, DEMO, SIM_THERMOSTAT, GObject)

DemoSimThermostat *demo_sim_thermostat_new             (const char        *label);
void               demo_sim_thermostat_set_temperature (DemoSimThermostat *self,
                                                        double             temperature);
void               demo_sim_thermostat_raise_alarm     (DemoSimThermostat *self,
                                                        int                level,
                                                        const char        *message);

G_END_DECLS
