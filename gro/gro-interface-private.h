/* gro-interface-private.h: the registered methods of interfaces
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-interface.h"

G_BEGIN_DECLS

typedef struct
{
  char   *name;
  guint   n_args;
  GType  *arg_types;
  GType   return_type;   /* G_TYPE_NONE for none */
} GroInterfaceMethod;

typedef struct
{
  GType                   interface_type;
  guint                   n_methods;
  GroInterfaceMethod     *methods;
  GroInterfaceMethodFunc  func;
} GroInterfaceMethods;

const GroInterfaceMethods *_gro_interface_lookup (GType interface_type);

G_END_DECLS
