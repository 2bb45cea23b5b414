/* gro-source-location.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <glib-object.h>

#include "gro-types.h"
#include "gro-version-macros.h"

G_BEGIN_DECLS

#define GRO_TYPE_SOURCE_LOCATION (gro_source_location_get_type ())

GRO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (GroSourceLocation, gro_source_location, GRO, SOURCE_LOCATION, GObject)

GRO_AVAILABLE_IN_ALL
const char *gro_source_location_get_name      (GroSourceLocation *location);
GRO_AVAILABLE_IN_ALL
const char *gro_source_location_get_type_name (GroSourceLocation *location);
GRO_AVAILABLE_IN_ALL
const char *gro_source_location_get_url       (GroSourceLocation *location);

G_END_DECLS
