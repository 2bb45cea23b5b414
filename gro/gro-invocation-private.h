/* gro-invocation-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-invocation.h"
#include "gro-source-adapter-private.h"

G_BEGIN_DECLS

/* A call being served. Most handlers never ask for their GroInvocation, so
 * it is made only when gro_invocation_get_current() is called. */
typedef struct _GroPendingCall
{
  GroSourceAdapter *adapter;
  GroLink          *link;
  guint32           serial;
  guint             method_index;
  GroMessage       *message;      /* the CALL, while the handler runs */
  GroInvocation    *invocation;   /* owned, or NULL until asked for */
  struct _GroPendingCall *outer;  /* the call this one runs inside of, if any */
} GroPendingCall;

void           _gro_pending_call_push        (GroPendingCall   *call);
void           _gro_pending_call_pop         (GroPendingCall   *call);
void           _gro_pending_call_finish      (GroPendingCall   *call,
                                              const GValue     *value);

GroInvocation *_gro_invocation_new           (GroSourceAdapter *adapter,
                                              GroLink          *link,
                                              guint32           serial,
                                              guint             method_index,
                                              GVariant         *parameters);

G_END_DECLS
