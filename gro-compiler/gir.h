/* gir.h: a GIR file as a tree of elements, each with its place in the file
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GirElement GirElement;

struct _GirElement
{
  char        *name;        /* the element's name, with its prefix: "glib:signal" */
  char       **attr_names;
  char       **attr_values;
  const char  *file;        /* the file's name, owned by the root */
  int          line;        /* where its start tag begins, from 1 */
  int          column;      /* from 1, in characters */
  GirElement  *parent;
  GPtrArray   *children;    /* GirElement, in document order */
};

GirElement *gir_parse_file      (const char  *filename,
                                 GError     **error);
GirElement *gir_parse_data      (const char  *text,
                                 gsize        length,
                                 const char  *filename,
                                 GError     **error);
void        gir_element_free    (GirElement  *element);

const char *gir_element_attr    (GirElement  *element,
                                 const char  *name);
gboolean    gir_element_flag    (GirElement  *element,
                                 const char  *name,
                                 gboolean     default_value);
GirElement *gir_element_child   (GirElement  *element,
                                 const char  *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GirElement, gir_element_free)

G_END_DECLS
