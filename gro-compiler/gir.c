/* gir.c: reads a GIR file into a tree of elements
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "gir.h"

#include <string.h>

/* Documentation is never used and is most of a GIR file: it is not kept. */
static const char * const skipped_elements[] = {
  "doc", "doc-deprecated", "doc-stability", "doc-version", "source-position", NULL,
};

typedef struct
{
  const char  *text;
  gsize        length;
  GArray      *line_starts;  /* gsize: the offset of each line's first byte */
  char        *file;
  GirElement  *root;
  GirElement  *current;
  guint        skip_depth;   /* > 0 inside a skipped element */
} Parser;

void
gir_element_free (GirElement *element)
{
  if (element == NULL)
    return;
  if (element->parent == NULL)
    g_free ((char *) element->file);
  g_free (element->name);
  g_strfreev (element->attr_names);
  g_strfreev (element->attr_values);
  g_ptr_array_unref (element->children);
  g_free (element);
}

static void
element_free_child (gpointer data)
{
  GirElement *element = data;

  element->parent = NULL;
  element->file = NULL;
  gir_element_free (element);
}

/* GMarkup gives the position after the start tag; error messages should
 * point at its '<', so walk back to it (a '<' cannot appear inside a tag). */
static void
find_tag_start (Parser *p,
                int     line,
                int     chars,
                int    *out_line,
                int    *out_column)
{
  gsize offset;
  gsize line_start;
  guint l;

  if (line < 1 || (guint) line > p->line_starts->len)
    {
      *out_line = line;
      *out_column = chars;
      return;
    }

  offset = g_array_index (p->line_starts, gsize, line - 1);
  for (int i = 1; i < chars && offset < p->length && p->text[offset] != '\n'; i++)
    offset = g_utf8_next_char (p->text + offset) - p->text;
  /* A lead byte may claim more bytes than the text has left. */
  if (offset >= p->length)
    offset = p->length > 0 ? p->length - 1 : 0;
  while (offset > 0 && p->text[offset] != '<')
    offset--;

  for (l = line; l > 1 && g_array_index (p->line_starts, gsize, l - 1) > offset; l--)
    ;
  line_start = g_array_index (p->line_starts, gsize, l - 1);
  *out_line = l;
  *out_column = g_utf8_pointer_to_offset (p->text + line_start, p->text + offset) + 1;
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **attr_names,
               const char          **attr_values,
               gpointer              user_data,
               GError              **error)
{
  Parser *p = user_data;
  GirElement *element;
  int line, chars;

  if (p->skip_depth > 0 || g_strv_contains (skipped_elements, element_name))
    {
      p->skip_depth++;
      return;
    }

  element = g_new0 (GirElement, 1);
  element->name = g_strdup (element_name);
  element->attr_names = g_strdupv ((char **) attr_names);
  element->attr_values = g_strdupv ((char **) attr_values);
  element->file = p->file;
  element->children = g_ptr_array_new_with_free_func (element_free_child);
  g_markup_parse_context_get_position (context, &line, &chars);
  find_tag_start (p, line, chars, &element->line, &element->column);

  if (p->current == NULL)
    {
      if (p->root != NULL)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "More than one root element");
          element->file = NULL;  /* the root's */
          gir_element_free (element);
          return;
        }
      p->root = element;
    }
  else
    {
      element->parent = p->current;
      g_ptr_array_add (p->current->children, element);
    }
  p->current = element;
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element_name,
             gpointer              user_data,
             GError              **error)
{
  Parser *p = user_data;

  if (p->skip_depth > 0)
    {
      p->skip_depth--;
      return;
    }
  p->current = p->current->parent;
}

static const GMarkupParser markup_parser = {
  start_element, end_element, NULL, NULL, NULL,
};

GirElement *
gir_parse_file (const char  *filename,
                GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!g_file_get_contents (filename, &text, &length, error))
    return NULL;

  return gir_parse_data (text, length, filename, error);
}

GirElement *
gir_parse_data (const char  *text,
                gsize        length,
                const char  *filename,
                GError     **error)
{
  g_autoptr(GArray) line_starts = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  Parser p = { 0 };

  line_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_array_append_val (line_starts, (gsize) { 0 });
  for (gsize i = 0; i < length; i++)
    if (text[i] == '\n')
      {
        gsize next = i + 1;
        g_array_append_val (line_starts, next);
      }

  p.text = text;
  p.length = length;
  p.line_starts = line_starts;
  p.file = g_strdup (filename);

  context = g_markup_parse_context_new (&markup_parser, 0, &p, NULL);
  if (!g_markup_parse_context_parse (context, text, length, &local_error) ||
      !g_markup_parse_context_end_parse (context, &local_error))
    {
      const char *message = local_error->message;
      int line, chars;

      /* GMarkup's messages start with "Error on line L char C: ", which
       * FILE:LINE:COLUMN says already. */
      if (g_str_has_prefix (message, "Error on line ") && strstr (message, ": ") != NULL)
        message = strstr (message, ": ") + 2;
      g_markup_parse_context_get_position (context, &line, &chars);
      g_set_error (error, local_error->domain, local_error->code,
                   "%s:%d:%d: %s", filename, line, chars, message);
      if (p.root != NULL)
        gir_element_free (p.root);
      else
        g_free (p.file);
      return NULL;
    }

  if (p.root == NULL)
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_EMPTY,
                   "%s: The file has no elements", filename);
      g_free (p.file);
      return NULL;
    }

  return p.root;
}

const char *
gir_element_attr (GirElement *element,
                  const char *name)
{
  for (guint i = 0; element->attr_names[i] != NULL; i++)
    if (strcmp (element->attr_names[i], name) == 0)
      return element->attr_values[i];
  return NULL;
}

gboolean
gir_element_flag (GirElement *element,
                  const char *name,
                  gboolean    default_value)
{
  const char *value = gir_element_attr (element, name);

  if (value == NULL)
    return default_value;
  return strcmp (value, "1") == 0 || strcmp (value, "true") == 0;
}

GirElement *
gir_element_child (GirElement *element,
                   const char *name)
{
  for (guint i = 0; i < element->children->len; i++)
    {
      GirElement *child = g_ptr_array_index (element->children, i);

      if (strcmp (child->name, name) == 0)
        return child;
    }
  return NULL;
}
