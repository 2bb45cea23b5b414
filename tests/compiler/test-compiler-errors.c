/* test-compiler-errors.c: gro-compiler refuses each GIR file in errors/ with
 * exit status 1 and one line naming the file, line, column, element and
 * reason. Each file says what to expect in comments at its end:
 *   <!-- expect: LINE:COLUMN: REASON -->   (COLUMN may be empty: any column)
 *   <!-- interface: Namespace.Name -->     (default: Err.Thing)
 * Under the valgrind test setup the compiler runs under valgrind too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>

static const char *compiler;

/* stderr without valgrind's own lines ("==PID== ..."). */
static char *
strip_valgrind (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) kept = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "==") && lines[i][0] != '\0')
      g_string_append_printf (kept, "%s%s", kept->len ? "\n" : "", lines[i]);
  return g_string_free (g_steal_pointer (&kept), FALSE);
}

static void
test_error (gconstpointer data)
{
  const char *gir = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) expect_re = g_regex_new ("<!-- expect: (\\d+):(\\d*): ?(.*?) -->", 0, 0, NULL);
  g_autoptr(GRegex) iface_re = g_regex_new ("<!-- interface: (\\S+) -->", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  g_autofree char *column = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *iface = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *header = NULL;
  g_autofree char *body = NULL;
  g_autofree char *err_out = NULL;
  g_autofree char *message = NULL;
  g_autofree char *where = NULL;
  const char *wrapper = g_getenv ("GRO_TEST_SOURCE_WRAPPER");
  int status;

  g_file_get_contents (gir, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match (expect_re, text, 0, &match));
  line = g_match_info_fetch (match, 1);
  column = g_match_info_fetch (match, 2);
  reason = g_match_info_fetch (match, 3);
  g_clear_pointer (&match, g_match_info_free);
  if (g_regex_match (iface_re, text, 0, &match))
    iface = g_match_info_fetch (match, 1);
  else
    iface = g_strdup ("Err.Thing");

  dir = g_dir_make_tmp ("gro-compiler-XXXXXX", &error);
  g_assert_no_error (error);
  header = g_build_filename (dir, "out.h", NULL);
  body = g_build_filename (dir, "out.c", NULL);

  if (wrapper != NULL && wrapper[0] != '\0')
    {
      g_auto(GStrv) words = NULL;

      g_shell_parse_argv (wrapper, NULL, &words, &error);
      g_assert_no_error (error);
      for (guint i = 0; words[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (words[i]));
    }
  g_ptr_array_add (argv, g_strdup (compiler));
  g_ptr_array_add (argv, g_strdup ("--interface"));
  g_ptr_array_add (argv, g_strdup (iface));
  g_ptr_array_add (argv, g_strdup ("--header"));
  g_ptr_array_add (argv, g_strdup (header));
  g_ptr_array_add (argv, g_strdup ("--body"));
  g_ptr_array_add (argv, g_strdup (body));
  g_ptr_array_add (argv, g_strdup (gir));
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err_out, &status, &error);
  g_assert_no_error (error);
  message = strip_valgrind (err_out);
  g_test_message ("gro-compiler said: %s", message);

  /* Exit status 1: not a crash, not valgrind's 99, not a usage error. */
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);

  where = column[0] ? g_strdup_printf ("%s:%s:%s: ", gir, line, column)
                    : g_strdup_printf ("%s:%s:", gir, line);
  g_assert_true (g_str_has_prefix (message, where));
  g_assert_nonnull (strstr (message, reason));
  g_assert_null (strchr (message, '\n'));

  /* Nothing written. */
  g_assert_false (g_file_test (header, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (body, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *errors_dir;
  const char *name;

  g_test_init (&argc, &argv, NULL);

  compiler = g_getenv ("GRO_COMPILER");
  errors_dir = g_getenv ("GRO_COMPILER_ERRORS");
  g_assert_nonnull (compiler);
  g_assert_nonnull (errors_dir);

  dir = g_dir_open (errors_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".gir"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *base = g_strndup (file, strlen (file) - 4);
      g_autofree char *path = g_strdup_printf ("/compiler-errors/%s", base);

      g_test_add_data_func_full (path, g_build_filename (errors_dir, file, NULL), test_error,
                                 g_free);
    }

  return g_test_run ();
}
