/* emit.h: writes the C code of a typed replica and its source glue
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "check.h"

G_BEGIN_DECLS

char *gc_emit_header (GcInterface *iface,
                      const char  *gir_name);
char *gc_emit_body   (GcInterface *iface,
                      const char  *gir_name,
                      const char  *include_name);

G_END_DECLS
