/* gro-invocation-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-invocation.h"
#include "gro-source-adapter-private.h"

G_BEGIN_DECLS

GroInvocation *_gro_invocation_new           (GroSourceAdapter *adapter,
                                              GroLink          *link,
                                              guint32           serial,
                                              guint             method_index,
                                              GVariant         *parameters);
void           _gro_invocation_push          (GroInvocation    *invocation);
void           _gro_invocation_pop           (GroInvocation    *invocation);
gboolean       _gro_invocation_is_answered   (GroInvocation    *invocation);
void           _gro_invocation_return_gvalue (GroInvocation    *invocation,
                                              const GValue     *value);

G_END_DECLS
