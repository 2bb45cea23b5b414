/* gro-host.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <gio/gio.h>

#include "gro-node.h"

G_BEGIN_DECLS

#define GRO_TYPE_HOST (gro_host_get_type ())

GRO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (GroHost, gro_host, GRO, HOST, GroNode)

GRO_AVAILABLE_IN_ALL
GroHost     *gro_host_new               (const char  *url,
                                         GError     **error);
GRO_AVAILABLE_IN_ALL
gboolean     gro_host_listen            (GroHost     *host,
                                         const char  *url,
                                         GError     **error);
GRO_AVAILABLE_IN_ALL
const char  *gro_host_get_url           (GroHost     *host);
GRO_AVAILABLE_IN_ALL
char       **gro_host_dup_urls          (GroHost     *host);
GRO_AVAILABLE_IN_ALL
gboolean     gro_host_add_stream        (GroHost     *host,
                                         GIOStream   *stream,
                                         GError     **error);
GRO_AVAILABLE_IN_ALL
gboolean     gro_host_enable_remoting   (GroHost     *host,
                                         GObject     *object,
                                         const char  *name,
                                         GError     **error);
GRO_AVAILABLE_IN_ALL
gboolean     gro_host_disable_remoting  (GroHost     *host,
                                         const char  *name);
GRO_AVAILABLE_IN_ALL
GObject     *gro_host_get_source        (GroHost     *host,
                                         const char  *name);

G_END_DECLS
