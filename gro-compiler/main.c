/* main.c: gro-compiler, typed replicas and source glue from a GIR interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <locale.h>
#include <stdlib.h>

#include "check.h"
#include "emit.h"
#include "gir.h"

static gboolean
write_file (const char  *path,
            const char  *contents,
            GError     **error)
{
  return g_file_set_contents (path, contents, -1, error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GirElement) root = NULL;
  g_autoptr(GcInterface) iface = NULL;
  g_autofree char *interface_name = NULL;
  g_autofree char *header_path = NULL;
  g_autofree char *body_path = NULL;
  g_autofree char *include_name = NULL;
  g_autofree char *gir_name = NULL;
  g_autofree char *header = NULL;
  g_autofree char *body = NULL;
  g_auto(GStrv) inputs = NULL;
  GOptionEntry entries[] = {
    { "interface", 'i', 0, G_OPTION_ARG_STRING, &interface_name,
      "The interface to generate a replica of, as Namespace.Name", "NAME" },
    { "header", 0, 0, G_OPTION_ARG_FILENAME, &header_path,
      "Where to write the C header", "FILE" },
    { "body", 0, 0, G_OPTION_ARG_FILENAME, &body_path,
      "Where to write the C source", "FILE" },
    { "include-name", 0, 0, G_OPTION_ARG_STRING, &include_name,
      "How the C source includes the header (default: the header's base name)", "NAME" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, "INPUT.gir" },
    { NULL },
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("INPUT.gir");
  g_option_context_set_summary (context,
    "Writes a typed gro replica class, and the glue that makes the interface's\n"
    "methods callable on shared objects, for a GInterface described in a GIR file.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("gro-compiler: %s\n", error->message);
      return 2;
    }
  if (inputs == NULL || inputs[0] == NULL || inputs[1] != NULL || interface_name == NULL ||
      header_path == NULL || body_path == NULL)
    {
      g_printerr ("Usage: gro-compiler --interface NAMESPACE.NAME --header OUT.h --body OUT.c "
                  "[--include-name NAME.h] INPUT.gir\n");
      return 2;
    }
  if (include_name == NULL)
    include_name = g_path_get_basename (header_path);

  root = gir_parse_file (inputs[0], &error);
  if (root != NULL)
    iface = gc_interface_load (root, interface_name, &error);
  if (iface == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  gir_name = g_path_get_basename (inputs[0]);
  header = gc_emit_header (iface, gir_name);
  body = gc_emit_body (iface, gir_name, include_name);
  if (!write_file (header_path, header, &error) || !write_file (body_path, body, &error))
    {
      g_printerr ("gro-compiler: %s\n", error->message);
      return 1;
    }

  return 0;
}
