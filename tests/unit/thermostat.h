/* thermostat.h: the example source of doc/protocol.md
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  THERMOSTAT_MODE_OFF,
  THERMOSTAT_MODE_HEAT,
} ThermostatMode;

#define THERMOSTAT_TYPE_MODE (thermostat_mode_get_type ())
GType thermostat_mode_get_type (void);

#define THERMOSTAT_TYPE (thermostat_get_type ())
G_DECLARE_FINAL_TYPE (Thermostat, thermostat, THERMOSTAT, OBJECT, GObject)

/* temperature 21, label "Kitchen", mode off */
Thermostat *thermostat_new (void);
void        thermostat_alarm (Thermostat *self,
                              int         level,
                              const char *text);

G_END_DECLS
