/* test-backpressure.c: a replica that stops reading must not make its host
 * grow without bound
 *
 * The host runs in this process, the replica (gro-test-watch) in another,
 * which the test stops with SIGSTOP.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gro.h>

#include "gro-test-object.h"
#include "gro-test-util.h"

typedef struct
{
  char             *path;
  GroHost          *host;
  GroTestObject    *object;
  GSubprocess      *watch;
  GDataInputStream *lines;
  GPtrArray        *seen;       /* lines read so far */
  gboolean          reading;
} Fixture;

static void read_next_line (Fixture *f);

static void
on_line (GObject      *stream,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;
  char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (stream), result,
                                                     NULL, NULL);

  f->reading = FALSE;
  if (line == NULL)
    return;
  g_ptr_array_add (f->seen, line);
  read_next_line (f);
}

static void
read_next_line (Fixture *f)
{
  f->reading = TRUE;
  g_data_input_stream_read_line_async (f->lines, G_PRIORITY_DEFAULT, NULL, on_line, f);
}

static gboolean
seen (Fixture    *f,
      const char *line)
{
  for (guint i = 0; i < f->seen->len; i++)
    if (g_str_equal (f->seen->pdata[i], line))
      return TRUE;
  return FALSE;
}

static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  g_assert_cmpint (sscanf (statm, "%lu %lu", &size, &resident), ==, 2);
  return resident * sysconf (_SC_PAGESIZE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *watch = g_getenv ("GRO_TEST_WATCH");

  g_assert_nonnull (watch);
  f->path = gro_test_temp_socket_path ("backpressure.sock");
  url = g_strconcat ("unix:", f->path, NULL);
  f->host = gro_host_new (url, &error);
  g_assert_no_error (error);
  f->object = gro_test_object_new ();
  gro_host_enable_remoting (f->host, G_OBJECT (f->object), "test", &error);
  g_assert_no_error (error);

  f->watch = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                               &error, watch, url, "test", "0", "i", NULL);
  g_assert_no_error (error);
  f->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->watch));
  f->seen = g_ptr_array_new_with_free_func (g_free);
  read_next_line (f);
  gro_test_await (seen (f, "valid"));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);

  kill (atoi (g_subprocess_get_identifier (f->watch)), SIGCONT);
  g_output_stream_close (g_subprocess_get_stdin_pipe (f->watch), NULL, NULL);
  gro_test_await (!f->reading);
  g_subprocess_wait (f->watch, NULL, NULL);
  g_clear_object (&f->lines);
  g_clear_object (&f->watch);
  g_clear_object (&f->host);
  g_clear_object (&f->object);
  g_ptr_array_unref (f->seen);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_rmdir (dir);
  g_free (f->path);
}

static void
stop_watch (Fixture *f,
            int      signal)
{
  g_assert_cmpint (kill (atoi (g_subprocess_get_identifier (f->watch)), signal), ==, 0);
}

/* One million changes to a stopped replica: they coalesce, and the host
 * stays within a few MiB. The replica then ends with the final value. */
static void
test_property_changes_coalesce (Fixture       *f,
                                gconstpointer  data)
{
  const int n_changes = 1000000;
  gsize before, after;

  stop_watch (f, SIGSTOP);
  before = resident_bytes ();

  for (int i = 1; i <= n_changes; i++)
    {
      g_object_set (f->object, "i", i, NULL);
      if (i % 1000 == 0)
        while (g_main_context_iteration (NULL, FALSE))
          ;
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;

  after = resident_bytes ();
  g_test_message ("host resident memory grew by %" G_GSIZE_FORMAT " KiB over %d changes",
                  (after - MIN (before, after)) / 1024, n_changes);
  g_assert_cmpuint (after, <, before + 4 * 1024 * 1024);

  stop_watch (f, SIGCONT);
  gro_test_await (seen (f, "i=1000000"));
}

static gpointer
change_many_times (gpointer data)
{
  for (int i = 1; i <= 1000000; i++)
    g_object_set (data, "i", i, NULL);
  return NULL;
}

/* A thread that changes a property a million times while the host's thread
 * is busy elsewhere: the changes wait as one value, not a million. */
static void
test_other_thread_coalesces (Fixture       *f,
                             gconstpointer  data)
{
  gsize before, after;
  GThread *thread;

  before = resident_bytes ();
  thread = g_thread_new ("changer", change_many_times, f->object);
  g_thread_join (thread);
  after = resident_bytes ();
  g_test_message ("host resident memory grew by %" G_GSIZE_FORMAT " KiB over 1000000 "
                  "changes from another thread", (after - MIN (before, after)) / 1024);
  g_assert_cmpuint (after, <, before + 4 * 1024 * 1024);

  gro_test_await (seen (f, "i=1000000"));
}

static void
on_closed (GroNode      *node,
           const char   *address,
           const GError *error,
           GError      **out)
{
  g_clear_error (out);
  *out = error ? g_error_copy (error) : NULL;
}

/* Signals cannot coalesce: past the bound, the link to the replica that
 * does not read is closed, with an error that says so. */
static void
test_signals_bounded (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *text = g_strnfill (64 * 1024, 'x');
  g_autoptr(GError) closed = NULL;
  int emitted = 0;

  g_signal_connect (f->host, "connection-closed", G_CALLBACK (on_closed), &closed);
  stop_watch (f, SIGSTOP);

  while (closed == NULL && emitted < 10000)
    {
      g_signal_emit_by_name (f->object, "ping", emitted++, text);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  g_assert_error (closed, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED);
  g_test_message ("closed after %d signals of 64 KiB: %s", emitted, closed->message);
  g_assert_cmpint (emitted, <, 1000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/backpressure/properties-coalesce", Fixture, NULL, fixture_set_up,
              test_property_changes_coalesce, fixture_tear_down);
  g_test_add ("/backpressure/other-thread-coalesces", Fixture, NULL, fixture_set_up,
              test_other_thread_coalesces, fixture_tear_down);
  g_test_add ("/backpressure/signals-bounded", Fixture, NULL, fixture_set_up,
              test_signals_bounded, fixture_tear_down);

  return g_test_run ();
}
