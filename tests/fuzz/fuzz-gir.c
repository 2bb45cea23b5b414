/* fuzz-gir.c: gro-compiler's GIR reader, checks and code writer
 *
 * The input is taken as a GIR file. Every interface it declares is loaded
 * and, when it passes the checks, written out as C: whatever the input, the
 * compiler must end with code or an error, never a crash.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "check.h"
#include "emit.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
compile_interface (GirElement *root,
                   const char *qualified_name)
{
  g_autoptr(GError) error = NULL;
  GcInterface *iface = gc_interface_load (root, qualified_name, &error);
  g_autofree char *header = NULL;
  g_autofree char *body = NULL;

  if (iface == NULL)
    {
      g_assert_nonnull (error);
      return;
    }
  header = gc_emit_header (iface, "Fuzz-1.0.gir");
  body = gc_emit_body (iface, "Fuzz-1.0.gir", "fuzz.h");
  g_assert_nonnull (header);
  g_assert_nonnull (body);
  gc_interface_free (iface);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GirElement) root = NULL;
  g_autoptr(GError) error = NULL;
  guint tried = 0;

  root = gir_parse_data ((const char *) data, size, "fuzz.gir", &error);
  if (root == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  for (guint i = 0; i < root->children->len; i++)
    {
      GirElement *ns = root->children->pdata[i];
      const char *ns_name = gir_element_attr (ns, "name");

      if (g_strcmp0 (ns->name, "namespace") != 0 || ns_name == NULL)
        continue;
      for (guint k = 0; k < ns->children->len && tried < 16; k++)
        {
          GirElement *child = ns->children->pdata[k];
          const char *name = gir_element_attr (child, "name");
          g_autofree char *qualified = NULL;

          if (g_strcmp0 (child->name, "interface") != 0 || name == NULL)
            continue;
          qualified = g_strconcat (ns_name, ".", name, NULL);
          compile_interface (root, qualified);
          tried++;
        }
    }

  /* A name that is not there is an error too. */
  compile_interface (root, "Missing.Interface");

  return 0;
}
