/* check.c: finds the interface in a GIR file, resolves its types and checks
 * that gro can carry everything in it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "check.h"

#include <stdarg.h>
#include <string.h>

static const struct
{
  const char *gir_name;
  GcKind      kind;
} basic_types[] = {
  { "gboolean", GC_KIND_BOOLEAN },
  { "gint8", GC_KIND_CHAR },
  { "gchar", GC_KIND_CHAR },
  { "guint8", GC_KIND_UCHAR },
  { "guchar", GC_KIND_UCHAR },
  { "gint", GC_KIND_INT },
  { "gint32", GC_KIND_INT },
  { "guint", GC_KIND_UINT },
  { "guint32", GC_KIND_UINT },
  { "glong", GC_KIND_LONG },
  { "gulong", GC_KIND_ULONG },
  { "gint64", GC_KIND_INT64 },
  { "guint64", GC_KIND_UINT64 },
  { "gfloat", GC_KIND_FLOAT },
  { "gdouble", GC_KIND_DOUBLE },
  { "utf8", GC_KIND_STRING },
  { "GLib.Bytes", GC_KIND_BYTES },
  { "GLib.Variant", GC_KIND_VARIANT },
};

/* GroReplica's own properties and signals, which an interface cannot reuse. */
static const char * const reserved_properties[] = { "node", "name", "state", NULL };
static const char * const reserved_signals[] = { "initialized", "state-changed", "notify", NULL };

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      GirElement  *element,
      const char  *format,
      ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *tag = NULL;
  const char *name = gir_element_attr (element, "name");
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  if (name != NULL)
    tag = g_markup_printf_escaped ("<%s name=\"%s\">", element->name, name);
  else
    tag = g_strdup_printf ("<%s>", element->name);
  g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
               "%s:%d:%d: %s: %s", element->file, element->line, element->column, tag, reason);
  return FALSE;
}

static void
gc_enum_free (gpointer data)
{
  GcEnum *e = data;

  g_array_unref (e->members);
  g_free (e);
}

static void
gc_value_free (gpointer data)
{
  g_free (data);
}

static void
gc_signal_free (gpointer data)
{
  GcSignal *signal = data;

  g_ptr_array_unref (signal->args);
  g_free (signal);
}

static void
gc_method_free (gpointer data)
{
  GcMethod *method = data;

  g_free (method->wire_name);
  g_ptr_array_unref (method->args);
  g_free (method->ret);
  g_free (method);
}

void
gc_interface_free (GcInterface *iface)
{
  if (iface == NULL)
    return;
  g_ptr_array_unref (iface->c_includes);
  g_free (iface->symbol_prefix);
  g_free (iface->module_upper);
  g_free (iface->name_upper);
  g_ptr_array_unref (iface->properties);
  g_ptr_array_unref (iface->signals);
  g_ptr_array_unref (iface->methods);
  g_ptr_array_unref (iface->enums);
  g_ptr_array_unref (iface->all_enums);
  g_free (iface);
}

static const char * const kind_names[] = {
  [GC_KIND_NONE] = "",
  [GC_KIND_BOOLEAN] = "gboolean",
  [GC_KIND_CHAR] = "gchar",
  [GC_KIND_UCHAR] = "guchar",
  [GC_KIND_INT] = "gint",
  [GC_KIND_UINT] = "guint",
  [GC_KIND_LONG] = "glong",
  [GC_KIND_ULONG] = "gulong",
  [GC_KIND_INT64] = "gint64",
  [GC_KIND_UINT64] = "guint64",
  [GC_KIND_FLOAT] = "gfloat",
  [GC_KIND_DOUBLE] = "gdouble",
  [GC_KIND_STRING] = "gchararray",
  [GC_KIND_STRV] = "GStrv",
  [GC_KIND_BYTES] = "GBytes",
  [GC_KIND_VARIANT] = "GVariant",
};

const char *
gc_type_gro_name (const GcType *type)
{
  if (type->kind == GC_KIND_ENUM || type->kind == GC_KIND_FLAGS)
    return type->enumeration->type_name;
  return kind_names[type->kind];
}

static gboolean
is_element (GirElement *element,
            const char *name)
{
  return strcmp (element->name, name) == 0;
}

static gboolean
has_suffix (const char *name,
            const char *suffix,
            char      **base)
{
  if (!g_str_has_suffix (name, suffix))
    return FALSE;
  if (base != NULL)
    *base = g_strndup (name, strlen (name) - strlen (suffix));
  return TRUE;
}

/* What goes into the generated C as it is must be valid there. */
static gboolean
is_c_identifier (const char *text)
{
  if (text == NULL || !(g_ascii_isalpha (text[0]) || text[0] == '_'))
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_')
      return FALSE;
  return TRUE;
}

/* A C type as GIR writes it: "const gchar*", "gchar**", "DemoMode". */
static gboolean
is_c_type (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '*' && *c != ' ')
      return FALSE;
  return TRUE;
}

static gboolean
check_identifier (GError     **error,
                  GirElement  *element,
                  const char  *attribute,
                  const char  *value)
{
  if (is_c_identifier (value))
    return TRUE;
  return fail (error, element, "its %s '%s' is not a C identifier", attribute,
               value ? value : "");
}

/* ------------------------------------------------------------------------ */
/* Enumerations                                                              */

static gboolean
load_enum (GcInterface  *iface,
           GirElement   *element,
           GError      **error)
{
  GcEnum *e = g_new0 (GcEnum, 1);

  e->element = element;
  e->type_name = gir_element_attr (element, "glib:type-name");
  e->get_type = gir_element_attr (element, "glib:get-type");
  e->is_flags = is_element (element, "bitfield");
  e->members = g_array_new (FALSE, FALSE, sizeof (GcMember));
  g_ptr_array_add (iface->all_enums, e);

  for (guint i = 0; i < element->children->len; i++)
    {
      GirElement *child = g_ptr_array_index (element->children, i);
      const char *value;
      char *end = NULL;
      GcMember member;
      gint64 v;

      if (!is_element (child, "member"))
        continue;
      value = gir_element_attr (child, "value");
      member.name = gir_element_attr (child, "glib:name");
      if (member.name == NULL)
        member.name = gir_element_attr (child, "c:identifier");
      member.nick = gir_element_attr (child, "glib:nick");
      if (member.nick == NULL)
        member.nick = gir_element_attr (child, "name");
      if (value == NULL || member.name == NULL || member.nick == NULL)
        return fail (error, child, "a member needs a value, a c:identifier and a name");
      if (!check_identifier (error, child, "c:identifier", member.name))
        return FALSE;
      v = g_ascii_strtoll (value, &end, 10);
      if (end == value || *end != '\0' || v < G_MININT32 || v > G_MAXUINT32)
        return fail (error, child, "the value '%s' is not a 32-bit integer", value);
      member.value = (guint32) v;
      g_array_append_val (e->members, member);
    }

  return TRUE;
}

static GcEnum *
find_enum (GcInterface *iface,
           const char  *name)
{
  for (guint i = 0; i < iface->all_enums->len; i++)
    {
      GcEnum *e = g_ptr_array_index (iface->all_enums, i);

      if (g_strcmp0 (gir_element_attr (e->element, "name"), name) == 0)
        return e;
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Types                                                                     */

/* Resolves the type of @holder (a property, parameter or return value). */
static gboolean
resolve_type (GcInterface  *iface,
              GirElement   *holder,
              gboolean      allow_none,
              GcType       *out,
              const char  **c_type,
              GError      **error)
{
  GirElement *type = gir_element_child (holder, "type");
  GirElement *array = gir_element_child (holder, "array");
  const char *name;
  const char *local;

  out->kind = GC_KIND_NONE;
  out->enumeration = NULL;
  if (c_type != NULL)
    *c_type = NULL;

  if (gir_element_child (holder, "varargs") != NULL)
    return fail (error, holder, "variable arguments are not supported");

  if (array != NULL)
    {
      GirElement *element_type = gir_element_child (array, "type");
      const char *zero_terminated = gir_element_attr (array, "zero-terminated");
      const char *element_name = element_type ? gir_element_attr (element_type, "name") : NULL;

      if (gir_element_attr (array, "name") != NULL ||
          gir_element_attr (array, "length") != NULL ||
          gir_element_attr (array, "fixed-size") != NULL ||
          (zero_terminated != NULL && strcmp (zero_terminated, "0") == 0) ||
          element_name == NULL || strcmp (element_name, "utf8") != 0)
        return fail (error, holder,
                     "the type %s of %s is not supported: the only array gro carries is a "
                     "zero-terminated array of strings (GStrv)",
                     gir_element_attr (array, "name") ? gir_element_attr (array, "name") : "array",
                     element_name ? element_name : "an unknown type");
      out->kind = GC_KIND_STRV;
      if (c_type != NULL)
        *c_type = gir_element_attr (array, "c:type");
      return TRUE;
    }

  if (type == NULL || (name = gir_element_attr (type, "name")) == NULL)
    return fail (error, holder, "it has no type that gro-compiler understands");
  if (c_type != NULL)
    *c_type = gir_element_attr (type, "c:type");

  if (strcmp (name, "none") == 0)
    {
      if (!allow_none)
        return fail (error, holder, "it has no type");
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (basic_types); i++)
    if (strcmp (basic_types[i].gir_name, name) == 0)
      {
        out->kind = basic_types[i].kind;
        return TRUE;
      }

  local = name;
  if (g_str_has_prefix (name, iface->namespace_name) &&
      name[strlen (iface->namespace_name)] == '.')
    local = name + strlen (iface->namespace_name) + 1;

  if (strchr (local, '.') == NULL)
    {
      GcEnum *e = find_enum (iface, local);

      if (e != NULL)
        {
          if (e->type_name == NULL || e->get_type == NULL)
            return fail (error, holder,
                         "the type %s has no GType (glib:get-type): gro can only carry "
                         "enumerations and flags registered with GObject", name);
          if (!check_identifier (error, e->element, "glib:get-type", e->get_type))
            return FALSE;
          out->kind = e->is_flags ? GC_KIND_FLAGS : GC_KIND_ENUM;
          out->enumeration = e;
          return TRUE;
        }
    }

  return fail (error, holder,
               "the type %s is not supported: gro carries booleans, numbers, strings, "
               "string arrays, GBytes, GVariant, and registered enumerations and flags "
               "of the interface's namespace", name);
}

/* ------------------------------------------------------------------------ */
/* Members                                                                   */

static gboolean
load_property (GcInterface  *iface,
               GirElement   *element,
               GError      **error)
{
  GcProperty *property;
  const char *name = gir_element_attr (element, "name");

  if (name == NULL)
    return fail (error, element, "a property needs a name");
  if (g_strv_contains (reserved_properties, name))
    return fail (error, element,
                 "the property name '%s' is taken: GroReplica has a property of that name",
                 name);
  if (!gir_element_flag (element, "readable", TRUE))
    return fail (error, element, "write-only properties are not supported");

  property = g_new0 (GcProperty, 1);
  g_ptr_array_add (iface->properties, property);
  property->element = element;
  property->name = name;
  property->writable = gir_element_flag (element, "writable", FALSE) &&
                       !gir_element_flag (element, "construct-only", FALSE);
  return resolve_type (iface, element, FALSE, &property->type, NULL, error);
}

/* Loads a parameter or return value into a new GcValue. */
static GcValue *
load_value (GcInterface  *iface,
            GirElement   *element,
            gboolean      allow_none,
            GError      **error)
{
  g_autofree GcValue *value = g_new0 (GcValue, 1);
  const char *direction = gir_element_attr (element, "direction");
  const char *transfer = gir_element_attr (element, "transfer-ownership");

  if (direction != NULL && strcmp (direction, "in") != 0)
    {
      fail (error, element, "%s parameters are not supported: arguments only go to the source",
            direction);
      return NULL;
    }

  value->element = element;
  value->name = gir_element_attr (element, "name");
  if (is_element (element, "parameter") && !check_identifier (error, element, "name", value->name))
    return NULL;
  value->transfer_full = transfer != NULL && strcmp (transfer, "none") != 0;
  if (!resolve_type (iface, element, allow_none, &value->type, &value->c_type, error))
    return NULL;
  if (value->type.kind != GC_KIND_NONE && value->c_type != NULL && !is_c_type (value->c_type))
    {
      fail (error, element, "its c:type '%s' is not a C type", value->c_type);
      return NULL;
    }
  if (value->type.kind != GC_KIND_NONE && value->c_type == NULL)
    {
      fail (error, element, "it has no C type (c:type)");
      return NULL;
    }
  return g_steal_pointer (&value);
}

static gboolean
load_signal (GcInterface  *iface,
             GirElement   *element,
             GError      **error)
{
  GcSignal *signal;
  const char *name = gir_element_attr (element, "name");
  GirElement *ret = gir_element_child (element, "return-value");
  GirElement *params = gir_element_child (element, "parameters");

  if (name == NULL)
    return fail (error, element, "a signal needs a name");
  if (g_strv_contains (reserved_signals, name))
    return fail (error, element,
                 "the signal name '%s' is taken: GroReplica has a signal of that name", name);

  signal = g_new0 (GcSignal, 1);
  g_ptr_array_add (iface->signals, signal);
  signal->element = element;
  signal->name = name;
  signal->args = g_ptr_array_new_with_free_func (gc_value_free);

  if (ret != NULL)
    {
      GcType type;

      if (!resolve_type (iface, ret, TRUE, &type, NULL, error))
        return FALSE;
      if (type.kind != GC_KIND_NONE)
        return fail (error, element,
                     "signals with a return value are not supported: a signal goes one way, "
                     "from the source to its replicas");
    }

  for (guint i = 0; params != NULL && i < params->children->len; i++)
    {
      GirElement *param = g_ptr_array_index (params->children, i);
      GcType type;
      GcValue *value;

      if (!is_element (param, "parameter"))
        continue;
      if (!resolve_type (iface, param, FALSE, &type, NULL, error))
        return FALSE;
      value = g_new0 (GcValue, 1);
      value->element = param;
      value->name = gir_element_attr (param, "name");
      value->type = type;
      g_ptr_array_add (signal->args, value);
    }

  return TRUE;
}

static GirElement *
find_child_named (GirElement *parent,
                  const char *element_name,
                  const char *attr,
                  const char *value)
{
  for (guint i = 0; i < parent->children->len; i++)
    {
      GirElement *child = g_ptr_array_index (parent->children, i);
      const char *v;

      if (is_element (child, element_name) && (v = gir_element_attr (child, attr)) != NULL &&
          strcmp (v, value) == 0)
        return child;
    }
  return NULL;
}

/* The <parameter>s of a method or virtual method, without the instance. */
static GPtrArray *
list_parameters (GirElement *function)
{
  GirElement *params = gir_element_child (function, "parameters");
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; params != NULL && i < params->children->len; i++)
    {
      GirElement *param = g_ptr_array_index (params->children, i);

      if (is_element (param, "parameter"))
        g_ptr_array_add (list, param);
      else if (is_element (param, "varargs"))
        g_ptr_array_add (list, param);
    }
  return list;
}

static const char *
param_type_name (GirElement *param)
{
  GirElement *type = gir_element_child (param, "type");

  return type != NULL ? gir_element_attr (type, "name") : NULL;
}

static const char *
param_c_type (GirElement *param)
{
  GirElement *type = gir_element_child (param, "type");

  if (type == NULL)
    type = gir_element_child (param, "array");
  return type != NULL ? gir_element_attr (type, "c:type") : NULL;
}

/* The virtual method a replica implements a method with. */
static GirElement *
find_vfunc (GcInterface  *iface,
            GirElement   *method,
            GError      **error)
{
  const char *name = gir_element_attr (method, "name");
  GirElement *vfunc = find_child_named (iface->element, "virtual-method", "invoker", name);

  if (vfunc == NULL)
    fail (error, method,
          "no virtual method has it as its invoker: a typed replica implements the "
          "interface through its virtual methods, so the interface structure needs a "
          "virtual function for it (named like the method, so g-ir-scanner pairs them)");
  else if (!check_identifier (error, vfunc, "name", gir_element_attr (vfunc, "name")))
    return NULL;
  return vfunc;
}

static gboolean
is_valid_wire_name (const char *name)
{
  if (!g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
load_method (GcInterface  *iface,
             GirElement   *element,
             GError      **error)
{
  const char *name = gir_element_attr (element, "name");
  const char *c_identifier = gir_element_attr (element, "c:identifier");
  g_autofree char *base = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GPtrArray) vfunc_params = NULL;
  GirElement *vfunc;
  GirElement *ret;
  GirElement *finish = NULL;
  GcMethod *method;
  guint n_args;

  if (name == NULL || c_identifier == NULL)
    return fail (error, element, "a method needs a name and a c:identifier");
  if (!check_identifier (error, element, "c:identifier", c_identifier))
    return FALSE;

  if (has_suffix (name, "_finish", &base))
    {
      g_autofree char *async_name = g_strconcat (base, "_async", NULL);

      if (find_child_named (iface->element, "method", "name", async_name) == NULL)
        return fail (error, element,
                     "a _finish method needs its _async method, %s, which is missing",
                     async_name);
      return TRUE;  /* done with its _async */
    }

  /* A property accessor without a virtual function is the interface's own
   * code over the property, which works on a replica as it is. */
  if (find_child_named (iface->element, "virtual-method", "invoker", name) == NULL &&
      (gir_element_attr (element, "glib:get-property") != NULL ||
       gir_element_attr (element, "glib:set-property") != NULL))
    return TRUE;

  vfunc = find_vfunc (iface, element, error);
  if (vfunc == NULL)
    return FALSE;

  method = g_new0 (GcMethod, 1);
  g_ptr_array_add (iface->methods, method);
  method->element = element;
  method->c_identifier = c_identifier;
  method->vfunc = gir_element_attr (vfunc, "name");
  method->args = g_ptr_array_new_with_free_func (gc_value_free);
  method->throws = gir_element_flag (element, "throws", FALSE);

  params = list_parameters (element);
  vfunc_params = list_parameters (vfunc);
  if (params->len != vfunc_params->len)
    return fail (error, vfunc, "its parameters differ from those of the method %s", name);
  n_args = params->len;

  g_clear_pointer (&base, g_free);
  if (has_suffix (name, "_async", &base))
    {
      g_autofree char *finish_name = g_strconcat (base, "_finish", NULL);
      g_autoptr(GPtrArray) finish_params = NULL;
      GirElement *finish_vfunc;
      static const char * const async_types[] = {
        "Gio.Cancellable", "Gio.AsyncReadyCallback", "gpointer",
      };

      method->call = GC_CALL_ASYNC;
      finish = find_child_named (iface->element, "method", "name", finish_name);
      if (finish == NULL)
        return fail (error, element, "an _async method needs its _finish method, %s, "
                     "which is missing", finish_name);

      if (n_args < 3)
        return fail (error, element, "an _async method must end with the parameters "
                     "(GCancellable *cancellable, GAsyncReadyCallback callback, "
                     "gpointer user_data)");
      for (guint i = 0; i < 3; i++)
        {
          GirElement *param = g_ptr_array_index (params, n_args - 3 + i);
          const char *type = param_type_name (param);

          if (type == NULL || strcmp (type, async_types[i]) != 0)
            return fail (error, param, "an _async method must end with the parameters "
                         "(GCancellable *cancellable, GAsyncReadyCallback callback, "
                         "gpointer user_data), not %s", type ? type : "this type");
        }
      method->cancellable_c_type = param_c_type (g_ptr_array_index (vfunc_params, n_args - 3));
      method->callback_c_type = param_c_type (g_ptr_array_index (vfunc_params, n_args - 2));
      method->user_data_c_type = param_c_type (g_ptr_array_index (vfunc_params, n_args - 1));
      if (!is_c_type (method->cancellable_c_type) || !is_c_type (method->callback_c_type) ||
          !is_c_type (method->user_data_c_type))
        return fail (error, vfunc, "its last three parameters need C types (c:type)");
      n_args -= 3;

      ret = gir_element_child (element, "return-value");
      if (ret != NULL)
        {
          GcType type;

          if (!resolve_type (iface, ret, TRUE, &type, NULL, error))
            return FALSE;
          if (type.kind != GC_KIND_NONE)
            return fail (error, element, "an _async method must return nothing");
        }
      if (method->throws)
        return fail (error, element, "an _async method must not throw: its _finish does");

      finish_vfunc = find_vfunc (iface, finish, error);
      if (finish_vfunc == NULL)
        return FALSE;
      finish_params = list_parameters (finish);
      if (finish_params->len != 1 ||
          g_strcmp0 (param_type_name (g_ptr_array_index (finish_params, 0)),
                     "Gio.AsyncResult") != 0)
        return fail (error, finish, "a _finish method must take only the GAsyncResult");
      g_ptr_array_unref (finish_params);
      finish_params = list_parameters (finish_vfunc);
      if (finish_params->len != 1)
        return fail (error, finish_vfunc, "its parameters differ from those of the method %s",
                     finish_name);
      method->result_c_type = param_c_type (g_ptr_array_index (finish_params, 0));
      if (!is_c_type (method->result_c_type))
        return fail (error, finish_vfunc, "its GAsyncResult parameter needs a C type (c:type)");
      method->finish_c_identifier = gir_element_attr (finish, "c:identifier");
      if (!check_identifier (error, finish, "c:identifier", method->finish_c_identifier))
        return FALSE;
      method->finish_vfunc = gir_element_attr (finish_vfunc, "name");
      method->throws = gir_element_flag (finish, "throws", FALSE);
      ret = gir_element_child (finish, "return-value");
    }
  else
    ret = gir_element_child (element, "return-value");

  method->wire_name = g_strdup (base != NULL ? base : name);
  g_strdelimit (method->wire_name, "_", '-');
  if (!is_valid_wire_name (method->wire_name))
    return fail (error, element, "'%s' is not a valid method name", method->wire_name);

  for (guint i = 0; i < n_args; i++)
    {
      GirElement *param = g_ptr_array_index (params, i);
      GcValue *value;

      if (is_element (param, "varargs"))
        return fail (error, element, "variable arguments are not supported");
      value = load_value (iface, param, FALSE, error);
      if (value == NULL)
        return FALSE;
      g_ptr_array_add (method->args, value);
      /* The replica implements the virtual function: its C types are what count. */
      if (param_c_type (g_ptr_array_index (vfunc_params, i)) != NULL)
        {
          value->c_type = param_c_type (g_ptr_array_index (vfunc_params, i));
          if (!is_c_type (value->c_type))
            return fail (error, g_ptr_array_index (vfunc_params, i),
                         "its c:type '%s' is not a C type", value->c_type);
        }
    }

  if (ret != NULL)
    {
      GcValue *value = load_value (iface, ret, TRUE, error);

      if (value == NULL)
        return FALSE;
      if (value->type.kind == GC_KIND_NONE)
        g_free (value);
      else
        {
          method->ret = value;
          if ((value->type.kind == GC_KIND_STRING || value->type.kind == GC_KIND_STRV ||
               value->type.kind == GC_KIND_BYTES || value->type.kind == GC_KIND_VARIANT) &&
              !value->transfer_full)
            return fail (error, ret,
                         "a method that returns a %s must return it with transfer full: a "
                         "replica's value comes from the wire and the caller must own it",
                         gc_type_gro_name (&value->type));
        }
    }

  if (method->call != GC_CALL_ASYNC)
    method->call = method->ret == NULL && !method->throws ? GC_CALL_SEND : GC_CALL_BLOCKING;

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The interface                                                             */

static int
compare_properties (gconstpointer a,
                    gconstpointer b)
{
  return strcmp ((*(GcProperty * const *) a)->name, (*(GcProperty * const *) b)->name);
}

static int
compare_signals (gconstpointer a,
                 gconstpointer b)
{
  return strcmp ((*(GcSignal * const *) a)->name, (*(GcSignal * const *) b)->name);
}

static int
compare_methods (gconstpointer a,
                 gconstpointer b)
{
  return strcmp ((*(GcMethod * const *) a)->wire_name, (*(GcMethod * const *) b)->wire_name);
}

static void
use_type (GcInterface  *iface,
          const GcType *type)
{
  if (type->enumeration != NULL && !g_ptr_array_find (iface->enums, type->enumeration, NULL))
    g_ptr_array_add (iface->enums, type->enumeration);
}

static gboolean
no_interface (GirElement  *root,
              GirElement  *where,
              const char  *qualified_name,
              GError     **error)
{
  g_autoptr(GString) found = g_string_new (NULL);

  for (guint i = 0; i < root->children->len; i++)
    {
      GirElement *ns = g_ptr_array_index (root->children, i);

      if (!is_element (ns, "namespace"))
        continue;
      for (guint j = 0; j < ns->children->len; j++)
        {
          GirElement *child = g_ptr_array_index (ns->children, j);

          if (is_element (child, "interface"))
            g_string_append_printf (found, "%s%s.%s", found->len ? ", " : "",
                                    gir_element_attr (ns, "name"),
                                    gir_element_attr (child, "name"));
        }
    }

  return fail (error, where, "there is no interface %s; %s%s", qualified_name,
               found->len ? "the file has: " : "the file has no interfaces",
               found->str);
}

GcInterface *
gc_interface_load (GirElement  *root,
                   const char  *qualified_name,
                   GError     **error)
{
  g_autoptr(GcInterface) iface = NULL;
  g_autofree char *ns_name = NULL;
  const char *dot = strrchr (qualified_name, '.');
  const char *name;
  const char *symbol_prefixes;
  const char *iface_symbol_prefix;
  const char *type_struct;
  GirElement *ns = NULL;
  GirElement *element;

  if (!is_element (root, "repository"))
    {
      fail (error, root, "this is not a GIR file: its root element is not <repository>");
      return NULL;
    }
  if (dot == NULL || dot == qualified_name || dot[1] == '\0')
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "%s: '%s' is not an interface name of the form Namespace.Name",
                   root->file, qualified_name);
      return NULL;
    }
  ns_name = g_strndup (qualified_name, dot - qualified_name);
  name = dot + 1;

  ns = find_child_named (root, "namespace", "name", ns_name);
  element = ns != NULL ? find_child_named (ns, "interface", "name", name) : NULL;
  if (element == NULL)
    {
      no_interface (root, ns != NULL ? ns : root, qualified_name, error);
      return NULL;
    }

  iface = g_new0 (GcInterface, 1);
  iface->root = root;
  iface->element = element;
  iface->c_includes = g_ptr_array_new ();
  iface->properties = g_ptr_array_new_with_free_func (g_free);
  iface->signals = g_ptr_array_new_with_free_func (gc_signal_free);
  iface->methods = g_ptr_array_new_with_free_func (gc_method_free);
  iface->enums = g_ptr_array_new ();
  iface->all_enums = g_ptr_array_new_with_free_func (gc_enum_free);
  iface->namespace_name = gir_element_attr (ns, "name");
  iface->name = name;
  iface->type_name = gir_element_attr (element, "glib:type-name");
  iface->c_type = gir_element_attr (element, "c:type");
  iface->get_type = gir_element_attr (element, "glib:get-type");
  iface_symbol_prefix = gir_element_attr (element, "c:symbol-prefix");
  type_struct = gir_element_attr (element, "glib:type-struct");
  symbol_prefixes = gir_element_attr (ns, "c:symbol-prefixes");
  if (iface->type_name == NULL || iface->c_type == NULL || iface->get_type == NULL ||
      iface_symbol_prefix == NULL || type_struct == NULL || symbol_prefixes == NULL)
    {
      fail (error, element, "it is not a registered GInterface with a type structure "
            "(it needs glib:type-name, c:type, glib:get-type, c:symbol-prefix and "
            "glib:type-struct, and its namespace c:symbol-prefixes)");
      return NULL;
    }
  if (!check_identifier (error, element, "c:type", iface->c_type) ||
      !check_identifier (error, element, "glib:get-type", iface->get_type) ||
      !check_identifier (error, element, "c:symbol-prefix", iface_symbol_prefix))
    return NULL;

  {
    g_auto(GStrv) prefixes = g_strsplit (symbol_prefixes, ",", 2);
    GirElement *record = find_child_named (ns, "record", "name", type_struct);

    if (!check_identifier (error, ns, "c:symbol-prefixes", prefixes[0]))
      return NULL;
    iface->symbol_prefix = g_strconcat (prefixes[0], "_", iface_symbol_prefix, NULL);
    iface->module_upper = g_ascii_strup (prefixes[0], -1);
    iface->name_upper = g_ascii_strup (iface_symbol_prefix, -1);
    iface->iface_c_type = record != NULL ? gir_element_attr (record, "c:type") : NULL;
    if (iface->iface_c_type == NULL)
      {
        fail (error, element, "its type structure %s is not in the file", type_struct);
        return NULL;
      }
    if (!check_identifier (error, record, "c:type", iface->iface_c_type))
      return NULL;
  }

  for (guint i = 0; i < root->children->len; i++)
    {
      GirElement *child = g_ptr_array_index (root->children, i);

      const char *header = gir_element_attr (child, "name");

      if (!is_element (child, "c:include") || header == NULL)
        continue;
      if (strpbrk (header, "\"\n\\") != NULL)
        {
          fail (error, child, "'%s' cannot be #included", header);
          return NULL;
        }
      g_ptr_array_add (iface->c_includes, (char *) header);
    }

  for (guint i = 0; i < ns->children->len; i++)
    {
      GirElement *child = g_ptr_array_index (ns->children, i);

      if ((is_element (child, "enumeration") || is_element (child, "bitfield")) &&
          !load_enum (iface, child, error))
        return NULL;
    }

  for (guint i = 0; i < element->children->len; i++)
    {
      GirElement *child = g_ptr_array_index (element->children, i);
      gboolean ok = TRUE;

      if (is_element (child, "property"))
        ok = load_property (iface, child, error);
      else if (is_element (child, "glib:signal"))
        ok = load_signal (iface, child, error);
      if (!ok)
        return NULL;
    }
  for (guint i = 0; i < element->children->len; i++)
    {
      GirElement *child = g_ptr_array_index (element->children, i);

      if (is_element (child, "method") && !load_method (iface, child, error))
        return NULL;
    }

  g_ptr_array_sort (iface->properties, compare_properties);
  g_ptr_array_sort (iface->signals, compare_signals);
  g_ptr_array_sort (iface->methods, compare_methods);

  for (guint i = 0; i < iface->methods->len; i++)
    {
      GcMethod *method = g_ptr_array_index (iface->methods, i);

      if (i > 0)
        {
          GcMethod *previous = g_ptr_array_index (iface->methods, i - 1);

          if (strcmp (previous->wire_name, method->wire_name) == 0)
            {
              fail (error, method->element, "its name on the wire, '%s', is also that of "
                    "the method %s", method->wire_name,
                    gir_element_attr (previous->element, "name"));
              return NULL;
            }
        }
      for (guint j = 0; j < iface->signals->len; j++)
        {
          GcSignal *signal = g_ptr_array_index (iface->signals, j);

          if (strcmp (signal->name, method->wire_name) == 0)
            {
              fail (error, method->element, "its name on the wire, '%s', is that of a "
                    "signal: methods and signals share one namespace", method->wire_name);
              return NULL;
            }
        }
    }

  for (guint i = 0; i < iface->properties->len; i++)
    use_type (iface, &((GcProperty *) g_ptr_array_index (iface->properties, i))->type);
  for (guint i = 0; i < iface->signals->len; i++)
    {
      GcSignal *signal = g_ptr_array_index (iface->signals, i);

      for (guint j = 0; j < signal->args->len; j++)
        use_type (iface, &((GcValue *) g_ptr_array_index (signal->args, j))->type);
    }
  for (guint i = 0; i < iface->methods->len; i++)
    {
      GcMethod *method = g_ptr_array_index (iface->methods, i);

      for (guint j = 0; j < method->args->len; j++)
        use_type (iface, &((GcValue *) g_ptr_array_index (method->args, j))->type);
      if (method->ret != NULL)
        use_type (iface, &method->ret->type);
    }

  return g_steal_pointer (&iface);
}
