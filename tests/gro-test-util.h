/* gro-test-util.h: starting a source in another process, and waiting
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Every wait in the tests is bounded by this. */
#define GRO_TEST_TIMEOUT_MS 10000

typedef struct _GroTestSource GroTestSource;

GroTestSource *gro_test_source_start       (const char     *first_arg,
                                            ...);
const char    *gro_test_source_get_url     (GroTestSource  *source,
                                            guint           index);
GPid           gro_test_source_get_pid     (GroTestSource  *source);
void           gro_test_source_command     (GroTestSource  *source,
                                            const char     *command);
void           gro_test_source_kill        (GroTestSource  *source);
void           gro_test_source_free        (GroTestSource  *source);

gboolean       gro_test_wait_until         (gboolean      (*condition) (gpointer data),
                                            gpointer        data,
                                            guint           timeout_ms);

char          *gro_test_temp_socket_path   (const char     *name);

/* Iterates the thread-default main context until @expr holds, or fails the
 * test after GRO_TEST_TIMEOUT_MS. */
#define gro_test_await(expr) G_STMT_START {                                   \
    gint64 _deadline = g_get_monotonic_time () + GRO_TEST_TIMEOUT_MS * 1000;  \
    while (!(expr))                                                           \
      {                                                                       \
        if (g_get_monotonic_time () > _deadline)                              \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__,     \
                   #expr);                                                    \
        if (!g_main_context_iteration (NULL, FALSE))                          \
          g_usleep (1000);                                                    \
      }                                                                       \
  } G_STMT_END

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GroTestSource, gro_test_source_free)

G_END_DECLS
