/* gro-error.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "gro-error.h"

G_DEFINE_QUARK (gro-error-quark, gro_error)
