/* gro-invocation.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <gio/gio.h>

#include "gro-types.h"
#include "gro-version-macros.h"

G_BEGIN_DECLS

#define GRO_TYPE_INVOCATION (gro_invocation_get_type ())

GRO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (GroInvocation, gro_invocation, GRO, INVOCATION, GObject)

GRO_AVAILABLE_IN_ALL
GroInvocation *gro_invocation_get_current         (void);
GRO_AVAILABLE_IN_ALL
const char    *gro_invocation_get_method_name     (GroInvocation *invocation);
GRO_AVAILABLE_IN_ALL
const char    *gro_invocation_get_source_name     (GroInvocation *invocation);
GRO_AVAILABLE_IN_ALL
GObject       *gro_invocation_get_source          (GroInvocation *invocation);
GRO_AVAILABLE_IN_ALL
GVariant      *gro_invocation_get_parameters      (GroInvocation *invocation);
GRO_AVAILABLE_IN_ALL
const char    *gro_invocation_get_peer_address    (GroInvocation *invocation);
GRO_AVAILABLE_IN_ALL
void           gro_invocation_defer               (GroInvocation *invocation);
GRO_AVAILABLE_IN_ALL
gboolean       gro_invocation_is_deferred         (GroInvocation *invocation);
GRO_AVAILABLE_IN_ALL
void           gro_invocation_return_value        (GroInvocation *invocation,
                                                   GVariant      *result);
GRO_AVAILABLE_IN_ALL
void           gro_invocation_return_gerror       (GroInvocation *invocation,
                                                   const GError  *error);
GRO_AVAILABLE_IN_ALL
void           gro_invocation_return_error_literal (GroInvocation *invocation,
                                                    GQuark         domain,
                                                    int            code,
                                                    const char    *message);
GRO_AVAILABLE_IN_ALL
void           gro_invocation_return_error        (GroInvocation *invocation,
                                                   GQuark         domain,
                                                   int            code,
                                                   const char    *format,
                                                   ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
