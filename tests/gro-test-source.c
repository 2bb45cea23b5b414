/* gro-test-source: a host in its own process, for the tests
 *
 *   gro-test-source [--listen URL]... [--name NAME] [--registry URL]
 *                   [--as-registry] [--no-source]
 *
 * Shares a GroTestObject under NAME (default "test"), listening on each URL
 * (default tcp://127.0.0.1:0), and publishes it in the registry at
 * --registry. With --as-registry the host is a GroRegistryHost; with
 * --no-source it shares nothing until "enable". Both reconnect quickly (20
 * to 200 ms). Prints each bound address on a line of its own, then "READY".
 * Then reads commands, one per line, on stdin:
 *
 *   set PROP VALUE    set a property of the object (parsed by GValue rules)
 *   disable           stop sharing the object
 *   enable            share it again
 *   emit-all-types    emit the all-types signal with fixed arguments
 *   quit              exit
 *
 * and answers each with "OK" or "ERROR message". It exits when stdin closes,
 * so it never outlives its test.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gunixinputstream.h>
#include <gro.h>

#include "gro-test-object.h"

static GroHost *host;
static GroTestObject *object;
static const char *name = "test";
static GMainLoop *loop;

/* VALUE as text: numbers, true/false, "(null)" for NULL, "(empty)" for "",
 * comma-separated lists for string arrays, GVariant text for variants. */
static gboolean
parse_value (const char  *text,
             GValue      *value,
             GError     **error)
{
  gboolean null = g_str_equal (text, "(null)");

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_BOOLEAN: g_value_set_boolean (value, g_str_equal (text, "true")); break;
    case G_TYPE_CHAR: g_value_set_schar (value, g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_UCHAR: g_value_set_uchar (value, g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_INT: g_value_set_int (value, g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_UINT: g_value_set_uint (value, g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_LONG: g_value_set_long (value, g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_ULONG: g_value_set_ulong (value, g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_INT64: g_value_set_int64 (value, g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_UINT64: g_value_set_uint64 (value, g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_FLOAT: g_value_set_float (value, g_ascii_strtod (text, NULL)); break;
    case G_TYPE_DOUBLE: g_value_set_double (value, g_ascii_strtod (text, NULL)); break;
    case G_TYPE_ENUM: g_value_set_enum (value, g_ascii_strtoll (text, NULL, 10)); break;
    case G_TYPE_FLAGS: g_value_set_flags (value, g_ascii_strtoull (text, NULL, 10)); break;
    case G_TYPE_STRING:
      g_value_set_string (value, null ? NULL : g_str_equal (text, "(empty)") ? "" : text);
      break;
    case G_TYPE_VARIANT:
      if (!null)
        {
          GVariant *parsed = g_variant_parse (NULL, text, NULL, NULL, error);
          if (parsed == NULL)
            return FALSE;
          g_value_take_variant (value, parsed);
        }
      break;
    case G_TYPE_BOXED:
      if (G_VALUE_HOLDS (value, G_TYPE_STRV))
        g_value_take_boxed (value, null ? NULL : g_strsplit (text, ",", -1));
      else if (G_VALUE_HOLDS (value, G_TYPE_BYTES))
        g_value_take_boxed (value, null ? NULL : g_bytes_new (text, strlen (text)));
      break;
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot parse a %s",
                   G_VALUE_TYPE_NAME (value));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_command (char    *line,
             GError **error)
{
  g_strstrip (line);

  if (g_str_equal (line, "quit"))
    {
      g_main_loop_quit (loop);
      return TRUE;
    }
  if (g_str_equal (line, "disable"))
    {
      if (!gro_host_disable_remoting (host, name))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "not shared");
          return FALSE;
        }
      return TRUE;
    }
  if (g_str_equal (line, "enable"))
    return gro_host_enable_remoting (host, G_OBJECT (object), name, error);
  if (g_str_equal (line, "emit-all-types"))
    {
      const char *strv[] = { "x", "", "y", NULL };
      g_autoptr(GBytes) bytes = g_bytes_new ("a\0b", 3);

      g_signal_emit_by_name (object, "all-types", TRUE, G_MAXUINT64, -2.5, NULL,
                             strv, bytes, GRO_TEST_MODE_COOL,
                             GRO_TEST_FLAGS_RED | GRO_TEST_FLAGS_BLUE);
      return TRUE;
    }
  if (g_str_has_prefix (line, "set "))
    {
      g_auto(GStrv) parts = g_strsplit (line + 4, " ", 2);
      GParamSpec *pspec;
      g_auto(GValue) value = G_VALUE_INIT;

      pspec = parts[0] ? g_object_class_find_property (G_OBJECT_GET_CLASS (object), parts[0]) : NULL;
      if (pspec == NULL || parts[1] == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "usage: set PROP VALUE");
          return FALSE;
        }
      g_value_init (&value, pspec->value_type);
      if (!parse_value (parts[1], &value, error))
        return FALSE;
      g_object_set_property (G_OBJECT (object), parts[0], &value);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "unknown command '%s'", line);
  return FALSE;
}

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GDataInputStream *input = G_DATA_INPUT_STREAM (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish (input, result, NULL, &error);
  if (line == NULL)
    {
      g_main_loop_quit (loop);
      return;
    }

  if (run_command (line, &error))
    printf ("OK\n");
  else
    printf ("ERROR %s\n", error->message);
  fflush (stdout);

  g_data_input_stream_read_line_async (input, G_PRIORITY_DEFAULT, NULL, on_line, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) listen = NULL;
  g_autofree char *name_arg = NULL;
  g_autofree char *registry = NULL;
  gboolean as_registry = FALSE;
  gboolean no_source = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_auto(GStrv) urls = NULL;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING_ARRAY, &listen, "Address to listen on", "URL" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name_arg, "Name to share the object under", "NAME" },
    { "registry", 0, 0, G_OPTION_ARG_STRING, &registry, "Registry to publish in", "URL" },
    { "as-registry", 0, 0, G_OPTION_ARG_NONE, &as_registry, "Be a registry", NULL },
    { "no-source", 0, 0, G_OPTION_ARG_NONE, &no_source, "Share nothing at first", NULL },
    { NULL }
  };

  context = g_option_context_new ("- a gro test source");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (name_arg != NULL)
    name = name_arg;

  loop = g_main_loop_new (NULL, FALSE);
  host = as_registry ? GRO_HOST (gro_registry_host_new (NULL, NULL)) : gro_host_new (NULL, NULL);
  g_object_set (host, "reconnect-initial-delay", 20, "reconnect-max-delay", 200, NULL);
  object = gro_test_object_new ();

  if (listen == NULL)
    {
      listen = g_new0 (char *, 2);
      listen[0] = g_strdup ("tcp://127.0.0.1:0");
    }
  for (guint i = 0; listen[i] != NULL; i++)
    if (!gro_host_listen (host, listen[i], &error))
      {
        fprintf (stderr, "%s\n", error->message);
        return 1;
      }

  if (registry != NULL)
    gro_node_set_registry_url (GRO_NODE (host), registry);

  if (!no_source && !gro_host_enable_remoting (host, G_OBJECT (object), name, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  urls = gro_host_dup_urls (host);
  for (guint i = 0; urls[i] != NULL; i++)
    printf ("%s\n", urls[i]);
  printf ("READY\n");
  fflush (stdout);

  stdin_stream = g_unix_input_stream_new (0, FALSE);
  input = g_data_input_stream_new (stdin_stream);
  g_data_input_stream_read_line_async (input, G_PRIORITY_DEFAULT, NULL, on_line, NULL);

  g_main_loop_run (loop);

  g_clear_object (&host);
  g_clear_object (&object);
  g_main_loop_unref (loop);
  return 0;
}
