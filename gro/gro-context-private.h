/* gro-context-private.h: acting for a main context from the current thread
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether this thread may act for @context now: it is iterating it, or it is
 * the thread whose thread-default context it is and no other thread has it.
 * g_main_context_acquire() alone is not enough: any thread gets a context
 * that nobody happens to be iterating. On TRUE, call gro_context_leave(). */
static inline gboolean
gro_context_enter (GMainContext *context)
{
  if (g_main_context_is_owner (context))
    return g_main_context_acquire (context);

  if (g_main_context_get_thread_default () != context &&
      !(context == g_main_context_default () && g_main_context_get_thread_default () == NULL))
    return FALSE;

  return g_main_context_acquire (context);
}

static inline void
gro_context_leave (GMainContext *context)
{
  g_main_context_release (context);
}

G_END_DECLS
