/* gro-dynamic-private.h: types built at run time from a peer's schema
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-schema-private.h"

G_BEGIN_DECLS

GType gro_dynamic_enum_type             (const GroSchemaEnum  *definition,
                                         guint                *type_budget,
                                         GError              **error);
GType gro_dynamic_replica_type_new      (const char           *hint);
GType gro_dynamic_replica_type_for      (GroSchema            *schema,
                                         guint                *type_budget,
                                         GError              **error);
void  gro_dynamic_replica_type_install  (GType                 type,
                                         GroSchema            *schema);
gboolean gro_dynamic_replica_type_is_pending (GType            type);

G_END_DECLS
