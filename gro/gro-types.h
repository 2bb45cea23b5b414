/* gro-types.h: forward declarations of gro's public types
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _GroNode       GroNode;
typedef struct _GroHost       GroHost;
typedef struct _GroReplica    GroReplica;
typedef struct _GroInvocation GroInvocation;
typedef struct _GroPeer       GroPeer;
typedef struct _GroListModelReplica GroListModelReplica;

G_END_DECLS
