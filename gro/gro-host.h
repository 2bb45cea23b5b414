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

/**
 * GroAccess:
 * @GRO_ACCESS_DENIED: The peer may not connect, or may not acquire the source.
 * @GRO_ACCESS_READ_ONLY: The peer sees the source's properties and signals;
 *   its calls and property writes are refused with %GRO_ERROR_PERMISSION_DENIED.
 * @GRO_ACCESS_FULL: The peer may do everything.
 *
 * What a [class@Gro.Host] lets a peer do, as [signal@Gro.Host::authorize]
 * decides.
 *
 * Since: 1.0
 */
typedef enum
{
  GRO_ACCESS_DENIED,
  GRO_ACCESS_READ_ONLY,
  GRO_ACCESS_FULL,
} GroAccess;

GRO_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (GroHost, gro_host, GRO, HOST, GroNode)

/**
 * GroHostClass:
 * @parent_class: the parent class
 *
 * The class of [class@Gro.Host]. It is derivable so that
 * [class@Gro.RegistryHost] is a host; it has no virtual methods yet.
 *
 * Since: 1.0
 */
struct _GroHostClass
{
  GroNodeClass parent_class;

  /*< private >*/
  gpointer _reserved[16];
};

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
gboolean     gro_host_enable_model_remoting (GroHost     *host,
                                             GListModel  *model,
                                             const char  *name,
                                             GError     **error);
GRO_AVAILABLE_IN_ALL
gboolean     gro_host_disable_remoting  (GroHost     *host,
                                         const char  *name);
GRO_AVAILABLE_IN_ALL
GObject     *gro_host_get_source        (GroHost     *host,
                                         const char  *name);

GRO_AVAILABLE_IN_ALL
gboolean      gro_host_get_allow_other_users (GroHost    *host);
GRO_AVAILABLE_IN_ALL
void          gro_host_set_allow_other_users (GroHost    *host,
                                              gboolean    allow);

G_END_DECLS
