/* gro-model-adapter-private.h: a host's side of one shared GListModel
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gro-link-private.h"
#include "gro-schema-private.h"

G_BEGIN_DECLS

/* The most items one MODEL_INIT, MODEL_CHANGED or MODEL_ITEMS carries, and
 * about the most bytes of item data (at least one item is always sent). */
#define GRO_MODEL_MAX_WINDOW      1024
#define GRO_MODEL_MAX_BATCH_SIZE  (1024 * 1024)

typedef struct _GroModelAdapter GroModelAdapter;
typedef struct _GroModelSub GroModelSub;

/* What a subscription shares with the host's peer: the peer's table of
 * object ids to GroSourceAdapter (where item ids go, so that calls and
 * writes reach items), its read-only ids, and its item id counter. */
typedef struct
{
  GroLink    *link;
  GHashTable *objects;
  GHashTable *read_only;
  guint32    *next_item_id;
} GroModelPeer;

GroModelAdapter *gro_model_adapter_new          (GListModel       *model,
                                                 const char       *name,
                                                 GMainContext     *context,
                                                 guint             max_members,
                                                 GError          **error);
GroModelAdapter *gro_model_adapter_ref          (GroModelAdapter  *adapter);
void             gro_model_adapter_unref        (GroModelAdapter  *adapter);
void             gro_model_adapter_withdraw     (GroModelAdapter  *adapter);
const char      *gro_model_adapter_get_name     (GroModelAdapter  *adapter);
GListModel      *gro_model_adapter_get_model    (GroModelAdapter  *adapter);

GroModelSub     *gro_model_adapter_subscribe    (GroModelAdapter  *adapter,
                                                 const GroModelPeer *peer,
                                                 guint32           object_id,
                                                 guint             window,
                                                 gboolean          read_only);
void             gro_model_sub_free             (GroModelSub      *sub);
GroModelAdapter *gro_model_sub_get_adapter      (GroModelSub      *sub);
void             gro_model_sub_fetch            (GroModelSub      *sub,
                                                 guint32           position,
                                                 guint32           count);
gboolean         gro_model_sub_release_item     (GroModelSub      *sub,
                                                 guint32           item_id,
                                                 guint32           count,
                                                 GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GroModelAdapter, gro_model_adapter_unref)

G_END_DECLS
