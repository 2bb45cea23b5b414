/* gro.h: GObject remote objects
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#define GRO_INSIDE
# include "gro-version.h"
# include "gro-version-macros.h"
# include "gro-types.h"
# include "gro-enum-types.h"
# include "gro-error.h"
# include "gro-node.h"
# include "gro-host.h"
# include "gro-registry-host.h"
# include "gro-source-location.h"
# include "gro-peer.h"
# include "gro-replica.h"
# include "gro-invocation.h"
# include "gro-interface.h"
# include "gro-list-model-replica.h"
#undef GRO_INSIDE
