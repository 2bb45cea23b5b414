/* gro-list-model-replica-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-list-model-replica.h"
#include "gro-mirror-private.h"

G_BEGIN_DECLS

/* Lists longer than this close the link: a node keeps a slot per item. */
#define GRO_LIST_MAX_ITEMS     (1u << 24)

/* Distinct item schemas one list may use. */
#define GRO_LIST_MAX_SCHEMAS   64

typedef void (*GroListReadyFunc) (GroListModelReplica *list,
                                  const GError        *error,
                                  gpointer             user_data);

GroListModelReplica *_gro_list_model_replica_new      (GroNode          *node,
                                                       const char       *name,
                                                       GroMirror        *mirror);
void      _gro_list_model_replica_when_valid          (GroListModelReplica *list,
                                                       GCancellable     *cancellable,
                                                       GroListReadyFunc  func,
                                                       gpointer          user_data);
gboolean  _gro_list_model_replica_handle_message      (GroMirror        *mirror,
                                                       GroMessage       *message,
                                                       GError          **error);
void      _gro_list_model_replica_lost                (gpointer          list);

G_END_DECLS
