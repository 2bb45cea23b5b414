/* gro-source-adapter-private.h: a host's side of one shared object
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-link-private.h"
#include "gro-schema-private.h"

G_BEGIN_DECLS

typedef struct _GroSourceAdapter GroSourceAdapter;

GroSourceAdapter *gro_source_adapter_new           (GObject            *object,
                                                    const char         *name,
                                                    GMainContext       *context,
                                                    guint               max_members,
                                                    GError            **error);
GroSourceAdapter *gro_source_adapter_new_for_schema (GObject         *object,
                                                    const char         *name,
                                                    GroSchema          *schema,
                                                    GMainContext       *context);
GroSourceAdapter *gro_source_adapter_ref           (GroSourceAdapter   *adapter);
void              gro_source_adapter_unref         (GroSourceAdapter   *adapter);
void              gro_source_adapter_withdraw      (GroSourceAdapter   *adapter);
const char       *gro_source_adapter_get_name      (GroSourceAdapter   *adapter);
GObject          *gro_source_adapter_get_object    (GroSourceAdapter   *adapter);
GroSchema        *gro_source_adapter_get_schema    (GroSourceAdapter   *adapter);
GMainContext     *gro_source_adapter_get_context   (GroSourceAdapter   *adapter);
gboolean          gro_source_adapter_subscribe     (GroSourceAdapter   *adapter,
                                                    GroLink            *link,
                                                    guint32             object_id,
                                                    const char         *known_hash);
GVariant         *gro_source_adapter_build_init    (GroSourceAdapter   *adapter,
                                                    gboolean            with_schema);
void              gro_source_adapter_add_subscriber (GroSourceAdapter  *adapter,
                                                    GroLink            *link,
                                                    guint32             object_id);
void              gro_source_adapter_unsubscribe   (GroSourceAdapter   *adapter,
                                                    GroLink            *link,
                                                    guint32             object_id);
void              gro_source_adapter_call          (GroSourceAdapter   *adapter,
                                                    GroLink            *link,
                                                    GroMessage         *message);
void              gro_source_adapter_set_property  (GroSourceAdapter   *adapter,
                                                    GroLink            *link,
                                                    GroMessage         *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GroSourceAdapter, gro_source_adapter_unref)

G_END_DECLS
