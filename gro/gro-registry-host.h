/* gro-registry-host.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <gio/gio.h>

#include "gro-host.h"

G_BEGIN_DECLS

#define GRO_TYPE_REGISTRY_HOST (gro_registry_host_get_type ())

GRO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (GroRegistryHost, gro_registry_host, GRO, REGISTRY_HOST, GroHost)

GRO_AVAILABLE_IN_ALL
GroRegistryHost *gro_registry_host_new (const char  *url,
                                        GError     **error);

G_END_DECLS
