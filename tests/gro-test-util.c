/* gro-test-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <signal.h>
#include <stdarg.h>

#include "gro-test-util.h"

struct _GroTestSource
{
  GSubprocess      *process;
  GDataInputStream *output;
  GOutputStream    *input;
  GPtrArray        *urls;
  GMainContext     *context;
};

typedef struct
{
  char    *line;
  gboolean done;
} LineRead;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result,
                                                     NULL, NULL);
  read->done = TRUE;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Reads one line of the helper's output, in a private context so the test's
 * own context is left alone. */
static char *
read_line (GroTestSource *source)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  LineRead read = { NULL, FALSE };
  gboolean timed_out = FALSE;
  GSource *timeout;

  g_main_context_push_thread_default (source->context);
  g_data_input_stream_read_line_async (source->output, G_PRIORITY_DEFAULT, cancellable,
                                       on_line, &read);
  timeout = g_timeout_source_new (GRO_TEST_TIMEOUT_MS);
  g_source_set_callback (timeout, set_flag, &timed_out, NULL);
  g_source_attach (timeout, source->context);

  while (!read.done && !timed_out)
    g_main_context_iteration (source->context, TRUE);
  if (!read.done)
    {
      g_cancellable_cancel (cancellable);
      while (!read.done)
        g_main_context_iteration (source->context, TRUE);
    }

  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_main_context_pop_thread_default (source->context);

  if (timed_out)
    g_error ("The test source did not answer in time");
  return read.line;
}

GroTestSource *
gro_test_source_start (const char *first_arg,
                       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) wrapper = NULL;
  GroTestSource *source;
  const char *program = g_getenv ("GRO_TEST_SOURCE");
  va_list args;

  g_assert_nonnull (program);
  wrapper = g_strsplit (g_getenv ("GRO_TEST_SOURCE_WRAPPER") ? g_getenv ("GRO_TEST_SOURCE_WRAPPER") : "",
                        " ", -1);
  for (guint i = 0; wrapper[i] != NULL; i++)
    if (wrapper[i][0] != '\0')
      g_ptr_array_add (argv, wrapper[i]);
  g_ptr_array_add (argv, (char *) program);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  source = g_new0 (GroTestSource, 1);
  source->context = g_main_context_new ();
  source->urls = g_ptr_array_new_with_free_func (g_free);
  source->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                       G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                       &error);
  g_assert_no_error (error);
  source->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (source->process));
  source->input = g_object_ref (g_subprocess_get_stdin_pipe (source->process));

  for (;;)
    {
      char *line = read_line (source);

      if (line == NULL)
        g_error ("The test source exited before it was ready");
      if (g_str_equal (line, "READY"))
        {
          g_free (line);
          break;
        }
      g_ptr_array_add (source->urls, line);
    }

  return source;
}

const char *
gro_test_source_get_url (GroTestSource *source,
                         guint          index)
{
  g_assert_cmpuint (index, <, source->urls->len);
  return source->urls->pdata[index];
}

GPid
gro_test_source_get_pid (GroTestSource *source)
{
  const char *id = g_subprocess_get_identifier (source->process);

  g_assert_nonnull (id);
  return (GPid) g_ascii_strtoll (id, NULL, 10);
}

void
gro_test_source_command (GroTestSource *source,
                         const char    *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  g_autofree char *answer = NULL;

  g_output_stream_write_all (source->input, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  answer = read_line (source);
  g_assert_cmpstr (answer, ==, "OK");
}

void
gro_test_source_kill (GroTestSource *source)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_force_exit (source->process);
  g_subprocess_wait (source->process, NULL, &error);
  g_assert_no_error (error);
}

void
gro_test_source_free (GroTestSource *source)
{
  if (source == NULL)
    return;

  /* Closing stdin makes the helper exit by itself. */
  g_output_stream_close (source->input, NULL, NULL);
  if (g_subprocess_get_identifier (source->process) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!g_subprocess_wait (source->process, NULL, &error))
        g_subprocess_force_exit (source->process);
    }

  g_object_unref (source->input);
  g_object_unref (source->output);
  g_object_unref (source->process);
  g_ptr_array_unref (source->urls);
  g_main_context_unref (source->context);
  g_free (source);
}

gboolean
gro_test_wait_until (gboolean (*condition) (gpointer data),
                     gpointer   data,
                     guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/* A socket path of its own for each test, in a fresh temporary folder. */
char *
gro_test_temp_socket_path (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gro-test-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}
