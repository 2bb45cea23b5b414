/* gro-source-location-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-source-location.h"

G_BEGIN_DECLS

GroSourceLocation *_gro_source_location_new (const char *name,
                                             const char *type_name,
                                             const char *url);

G_END_DECLS
