/* gro-registry-host-private.h: what a host asks of its registry side
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-registry-host.h"
#include "gro-link-private.h"

G_BEGIN_DECLS

gboolean _gro_registry_host_handle_message (GroRegistryHost  *self,
                                            GroLink          *link,
                                            gboolean          may_publish,
                                            GroMessage       *message,
                                            GError          **error);
void     _gro_registry_host_link_closed    (GroRegistryHost  *self,
                                            GroLink          *link);
gboolean _gro_registry_host_publish_local  (GroRegistryHost  *self,
                                            const char       *name,
                                            const char       *type_name,
                                            const char       *url,
                                            GError          **error);
void     _gro_registry_host_unpublish_local (GroRegistryHost *self,
                                             const char      *name);

G_END_DECLS
