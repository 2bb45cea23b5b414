/* gro-version-macros.h: visibility and availability markers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <glib.h>

#if defined(GRO_COMPILATION) && defined(__GNUC__)
# define _GRO_EXTERN __attribute__((visibility ("default"))) extern
#else
# define _GRO_EXTERN extern
#endif

#define GRO_VERSION_1_0 (G_ENCODE_VERSION (1, 0))

/**
 * GRO_AVAILABLE_IN_ALL:
 *
 * Marks a symbol that has been part of the API since the first release.
 */
#define GRO_AVAILABLE_IN_ALL _GRO_EXTERN

/**
 * GRO_AVAILABLE_IN_1_0:
 *
 * Marks a symbol that was added in gro 1.0.
 */
#define GRO_AVAILABLE_IN_1_0 _GRO_EXTERN
