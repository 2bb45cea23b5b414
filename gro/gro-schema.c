/* gro-schema.c: the schema of a source
 *
 * A schema lists a source's readable properties, its signals and its methods
 * (action signals), with their value types and the enumerations they use. The
 * host builds it from the object's class; the node parses it from the wire.
 * Both go through gro_schema_new_from_variant(), so a host refuses to share
 * what a node would refuse to read. The signature hash is a digest of the wire
 * form, so equal hashes mean equal schemas.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gro-dynamic-private.h"
#include "gro-error.h"
#include "gro-frame-private.h"
#include "gro-interface-private.h"
#include "gro-schema-private.h"

#define GRO_ANNOTATION_TYPE "org.gtk.Gro.Type"

static void
schema_signal_clear (GroSchemaSignal *sig)
{
  g_free (sig->name);
  for (guint i = 0; i < sig->n_args; i++)
    gro_value_type_clear (&sig->args[i]);
  g_free (sig->args);
  g_clear_pointer (&sig->args_type, g_variant_type_free);
  gro_value_type_clear (&sig->ret);
  g_clear_pointer (&sig->ret_type, g_variant_type_free);
}

static void
schema_free (GroSchema *schema)
{
  for (guint i = 0; i < schema->n_properties; i++)
    {
      g_free (schema->properties[i].name);
      gro_value_type_clear (&schema->properties[i].type);
    }
  g_free (schema->properties);

  for (guint i = 0; i < schema->n_signals; i++)
    schema_signal_clear (&schema->signals[i]);
  g_free (schema->signals);

  for (guint i = 0; i < schema->n_methods; i++)
    schema_signal_clear (&schema->methods[i]);
  g_free (schema->methods);

  for (guint i = 0; i < schema->n_enums; i++)
    {
      GroSchemaEnum *e = &schema->enums[i];

      g_free (e->name);
      for (guint j = 0; j < e->n_values; j++)
        {
          g_free (e->values[j].name);
          g_free (e->values[j].nick);
        }
      g_free (e->values);
    }
  g_free (schema->enums);

  g_free (schema->type_name);
  g_clear_pointer (&schema->variant, g_variant_unref);
  g_free (schema->hash);
  g_clear_pointer (&schema->values_type, g_variant_type_free);
  g_clear_pointer (&schema->property_index, g_hash_table_unref);
  g_clear_pointer (&schema->signal_index, g_hash_table_unref);
  g_clear_pointer (&schema->method_index, g_hash_table_unref);
  g_clear_pointer (&schema->info, g_dbus_interface_info_unref);
  g_free (schema);
}

GroSchema *
gro_schema_ref (GroSchema *schema)
{
  g_atomic_ref_count_inc (&schema->ref_count);
  return schema;
}

void
gro_schema_unref (GroSchema *schema)
{
  if (g_atomic_ref_count_dec (&schema->ref_count))
    schema_free (schema);
}

static int
find_in (GHashTable *index,
         const char *name)
{
  gpointer value;

  if (!g_hash_table_lookup_extended (index, name, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

int
gro_schema_find_property (GroSchema  *schema,
                          const char *name)
{
  return find_in (schema->property_index, name);
}

int
gro_schema_find_signal (GroSchema  *schema,
                        const char *name)
{
  return find_in (schema->signal_index, name);
}

int
gro_schema_find_method (GroSchema  *schema,
                        const char *name)
{
  return find_in (schema->method_index, name);
}

/* ------------------------------------------------------------------------ */
/* From a class                                                              */

typedef struct
{
  GVariantBuilder  properties;
  GVariantBuilder  signals;
  GPtrArray       *methods;     /* GVariant (sass), sorted by name at the end */
  GVariantBuilder  enums;
  GHashTable      *enum_types;  /* GType set, so each enumeration is listed once */
  const char      *type_name;
} SchemaBuilder;

static const char *
add_value_type (SchemaBuilder  *b,
                GType           gtype,
                const char     *what,
                GError        **error)
{
  GroKind kind = gro_kind_from_gtype (gtype);

  if (kind == GRO_KIND_INVALID)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_UNSUPPORTED_TYPE,
                   "%s of %s has type %s, which gro cannot carry",
                   what, b->type_name, g_type_name (gtype));
      return NULL;
    }

  if ((kind == GRO_KIND_ENUM || kind == GRO_KIND_FLAGS) &&
      g_hash_table_add (b->enum_types, GSIZE_TO_POINTER (gtype)))
    {
      GVariantBuilder values;

      g_variant_builder_init (&values, G_VARIANT_TYPE ("a(uss)"));
      if (kind == GRO_KIND_ENUM)
        {
          g_autoptr(GEnumClass) klass = g_type_class_ref (gtype);

          for (guint i = 0; i < klass->n_values; i++)
            g_variant_builder_add (&values, "(uss)",
                                   (guint32) klass->values[i].value,
                                   klass->values[i].value_name,
                                   klass->values[i].value_nick);
        }
      else
        {
          g_autoptr(GFlagsClass) klass = g_type_class_ref (gtype);

          for (guint i = 0; i < klass->n_values; i++)
            g_variant_builder_add (&values, "(uss)",
                                   (guint32) klass->values[i].value,
                                   klass->values[i].value_name,
                                   klass->values[i].value_nick);
        }
      g_variant_builder_add (&b->enums, "(sba(uss))", g_type_name (gtype),
                             kind == GRO_KIND_FLAGS, &values);
    }

  if (kind == GRO_KIND_ENUM || kind == GRO_KIND_FLAGS)
    return g_type_name (gtype);
  return gro_kind_name (kind);
}

static gboolean has_method (SchemaBuilder *b,
                            const char    *name);

static gboolean
add_signal (SchemaBuilder  *b,
            guint           signal_id,
            GError        **error)
{
  GSignalQuery query;
  gboolean is_method;
  GVariantBuilder args;

  g_signal_query (signal_id, &query);
  is_method = (query.signal_flags & G_SIGNAL_ACTION) != 0;
  if (is_method && has_method (b, query.signal_name))
    return TRUE;  /* an interface method of that name serves it */

  g_variant_builder_init (&args, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < query.n_params; i++)
    {
      g_autofree char *what = g_strdup_printf ("Argument %u of %s '%s'", i + 1,
                                               is_method ? "method" : "signal",
                                               query.signal_name);
      const char *type = add_value_type (b, query.param_types[i] & ~G_SIGNAL_TYPE_STATIC_SCOPE,
                                         what, error);
      if (type == NULL)
        {
          g_variant_builder_clear (&args);
          return FALSE;
        }
      g_variant_builder_add (&args, "s", type);
    }

  if (is_method)
    {
      GType ret = query.return_type & ~G_SIGNAL_TYPE_STATIC_SCOPE;
      const char *ret_name = "";

      if (ret != G_TYPE_NONE)
        {
          g_autofree char *what = g_strdup_printf ("The return value of method '%s'",
                                                   query.signal_name);
          ret_name = add_value_type (b, ret, what, error);
          if (ret_name == NULL)
            {
              g_variant_builder_clear (&args);
              return FALSE;
            }
        }
      g_ptr_array_add (b->methods, g_variant_ref_sink (g_variant_new ("(sass)", query.signal_name,
                                                                      &args, ret_name)));
    }
  else
    g_variant_builder_add (&b->signals, "(sas)", query.signal_name, &args);

  return TRUE;
}

static const char *
method_name_of (GVariant *method)
{
  const char *name;

  g_variant_get_child (method, 0, "&s", &name);
  return name;
}

static gboolean
has_method (SchemaBuilder *b,
            const char    *name)
{
  for (guint i = 0; i < b->methods->len; i++)
    if (g_str_equal (method_name_of (b->methods->pdata[i]), name))
      return TRUE;
  return FALSE;
}

/* The methods of an interface that gro-compiler's code registered. */
static gboolean
add_interface_methods (SchemaBuilder             *b,
                       const GroInterfaceMethods *methods,
                       GError                   **error)
{
  for (guint i = 0; i < methods->n_methods; i++)
    {
      const GroInterfaceMethod *method = &methods->methods[i];
      GVariantBuilder args;
      const char *ret_name = "";

      /* The first interface to name a method serves it. */
      if (has_method (b, method->name))
        continue;

      g_variant_builder_init (&args, G_VARIANT_TYPE_STRING_ARRAY);
      for (guint k = 0; k < method->n_args; k++)
        {
          g_autofree char *what = g_strdup_printf ("Argument %u of method '%s'", k + 1,
                                                   method->name);
          const char *type = add_value_type (b, method->arg_types[k], what, error);

          if (type == NULL)
            {
              g_variant_builder_clear (&args);
              return FALSE;
            }
          g_variant_builder_add (&args, "s", type);
        }
      if (method->return_type != G_TYPE_NONE)
        {
          g_autofree char *what = g_strdup_printf ("The return value of method '%s'",
                                                   method->name);
          ret_name = add_value_type (b, method->return_type, what, error);
          if (ret_name == NULL)
            {
              g_variant_builder_clear (&args);
              return FALSE;
            }
        }
      g_ptr_array_add (b->methods, g_variant_ref_sink (g_variant_new ("(sass)", method->name,
                                                                      &args, ret_name)));
    }

  return TRUE;
}

static int
compare_method_names (gconstpointer a,
                      gconstpointer b)
{
  return strcmp (method_name_of (*(GVariant * const *) a),
                 method_name_of (*(GVariant * const *) b));
}

/* Appends the signals of @type that are not in @ids yet. */
static void
collect_signals_of (GType   type,
                    GArray *ids)
{
  g_autofree guint *type_ids = NULL;
  guint n_ids;

  type_ids = g_signal_list_ids (type, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; !seen && j < ids->len; j++)
        seen = g_array_index (ids, guint, j) == type_ids[i];
      if (!seen)
        g_array_append_val (ids, type_ids[i]);
    }
}

static int
compare_signal_names (gconstpointer a,
                      gconstpointer b)
{
  return strcmp (g_signal_name (*(const guint *) a), g_signal_name (*(const guint *) b));
}

static int
compare_pspec_names (gconstpointer a,
                     gconstpointer b)
{
  return strcmp ((*(GParamSpec * const *) a)->name, (*(GParamSpec * const *) b)->name);
}

static GVariant *
build_schema_variant (GType    type,
                      GError **error)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  g_autoptr(GHashTable) enum_types = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) signal_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) methods = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autofree GParamSpec **pspecs = NULL;
  g_autofree GType *ifaces = NULL;
  SchemaBuilder b;
  guint n_pspecs;
  guint n_ifaces;
  gboolean ok = TRUE;

  b.type_name = g_type_name (type);
  b.enum_types = enum_types;
  g_variant_builder_init (&b.properties, G_VARIANT_TYPE ("a(ssu)"));
  g_variant_builder_init (&b.signals, G_VARIANT_TYPE ("a(sas)"));
  b.methods = methods;
  g_variant_builder_init (&b.enums, G_VARIANT_TYPE ("a(sba(uss))"));

  /* Members are sorted by name, so that the schema and its hash depend on
   * the type alone: GLib lists properties in hash-table order and signals
   * in the order of their names' quarks, which differ between processes. */
  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_pspecs);
  qsort (pspecs, n_pspecs, sizeof (GParamSpec *), compare_pspec_names);
  for (guint i = 0; ok && i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_autofree char *what = NULL;
      const char *type_name;
      guint flags = GRO_SCHEMA_PROPERTY_READABLE;

      if (!(pspec->flags & G_PARAM_READABLE))
        continue;

      what = g_strdup_printf ("Property '%s'", pspec->name);
      type_name = add_value_type (&b, pspec->value_type, what, error);
      if (type_name == NULL)
        {
          ok = FALSE;
          break;
        }
      if ((pspec->flags & G_PARAM_WRITABLE) && !(pspec->flags & G_PARAM_CONSTRUCT_ONLY))
        flags |= GRO_SCHEMA_PROPERTY_WRITABLE;
      g_variant_builder_add (&b.properties, "(ssu)", pspec->name, type_name, flags);
    }

  for (GType t = type;
       t != G_TYPE_OBJECT && t != G_TYPE_INITIALLY_UNOWNED && t != G_TYPE_INVALID;
       t = g_type_parent (t))
    collect_signals_of (t, signal_ids);
  ifaces = g_type_interfaces (type, &n_ifaces);
  for (guint i = 0; i < n_ifaces; i++)
    collect_signals_of (ifaces[i], signal_ids);

  /* Interface methods first: they win over action signals of their name. */
  for (guint i = 0; ok && i < n_ifaces; i++)
    {
      const GroInterfaceMethods *iface_methods = _gro_interface_lookup (ifaces[i]);

      if (iface_methods != NULL)
        ok = add_interface_methods (&b, iface_methods, error);
    }

  g_array_sort (signal_ids, compare_signal_names);
  for (guint i = 0; ok && i < signal_ids->len; i++)
    ok = add_signal (&b, g_array_index (signal_ids, guint, i), error);

  if (!ok)
    {
      g_variant_builder_clear (&b.properties);
      g_variant_builder_clear (&b.signals);
      g_variant_builder_clear (&b.enums);
      return NULL;
    }

  g_ptr_array_sort (methods, compare_method_names);
  return g_variant_ref_sink (g_variant_new ("(sa(ssu)a(sas)@a(sass)a(sba(uss)))",
                                            g_type_name (type),
                                            &b.properties, &b.signals,
                                            g_variant_new_array (G_VARIANT_TYPE ("(sass)"),
                                                                 (GVariant **) methods->pdata,
                                                                 methods->len),
                                            &b.enums));
}

GroSchema *
gro_schema_new_for_type (GType    type,
                         GError **error)
{
  return gro_schema_new_for_type_full (type, GRO_SCHEMA_MAX_MEMBERS, error);
}

GroSchema *
gro_schema_new_for_type_full (GType    type,
                              guint    max_members,
                              GError **error)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GroSchema) schema = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_TYPE_IS_OBJECT (type), NULL);

  variant = build_schema_variant (type, error);
  if (variant == NULL)
    return NULL;

  schema = gro_schema_new_from_variant_full (variant, max_members, &local_error);
  if (schema == NULL)
    {
      g_set_error (error, GRO_ERROR,
                   local_error->code == GRO_ERROR_LIMIT_EXCEEDED ? GRO_ERROR_LIMIT_EXCEEDED
                                                                 : GRO_ERROR_UNSUPPORTED_TYPE,
                   "%s cannot be shared: %s", g_type_name (type), local_error->message);
      return NULL;
    }

  /* Every enumeration in it is registered here, so binding only looks up. */
  if (!gro_schema_bind (schema, NULL, error))
    return NULL;

  return g_steal_pointer (&schema);
}

/* ------------------------------------------------------------------------ */
/* From the wire                                                            */

static gboolean
check_name (const char  *name,
            const char  *what,
            GError     **error)
{
  if (name[0] == '\0' || strlen (name) > GRO_SCHEMA_MAX_NAME)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s name is empty or longer than %d bytes", what, GRO_SCHEMA_MAX_NAME);
      return FALSE;
    }
  return TRUE;
}

/* The string at @i in @tuple, borrowed from @tuple's data: cheaper than
 * g_variant_get(), which parses a format string each time. */
static const char *
child_string (GVariant *tuple,
              gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);

  return g_variant_get_string (child, NULL);
}

static guint32
child_uint32 (GVariant *tuple,
              gsize     i)
{
  g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);

  return g_variant_get_uint32 (child);
}

static gboolean
parse_value_type (GroSchema     *schema,
                  GHashTable    *enums,
                  const char    *name,
                  GroValueType  *type,
                  const char    *what,
                  GError       **error)
{
  GroKind kind = gro_kind_from_name (name);

  if (kind == GRO_KIND_INVALID)
    {
      gpointer idx;

      if (!g_hash_table_lookup_extended (enums, name, NULL, &idx))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "%s has unknown type '%s'", what, name);
          return FALSE;
        }
      kind = schema->enums[GPOINTER_TO_UINT (idx)].is_flags ? GRO_KIND_FLAGS : GRO_KIND_ENUM;
      gro_value_type_init (type, kind, G_TYPE_INVALID, name);
    }
  else
    gro_value_type_init (type, kind, G_TYPE_INVALID, NULL);

  return TRUE;
}

static gboolean
parse_signal (GroSchema        *schema,
              GHashTable       *enums,
              GVariant         *item,
              gboolean          is_method,
              GroSchemaSignal  *sig,
              GError          **error)
{
  g_autoptr(GVariantIter) args = NULL;
  const char *name;
  const char *ret = NULL;
  const char *arg;
  const char *what = is_method ? "method" : "signal";
  guint i = 0;

  if (is_method)
    g_variant_get (item, "(&sas&s)", &name, &args, &ret);
  else
    g_variant_get (item, "(&sas)", &name, &args);

  sig->name = g_strdup (name);
  if (!g_signal_is_valid_name (name))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL, "Invalid %s name '%s'", what, name);
      return FALSE;
    }

  sig->n_args = g_variant_iter_n_children (args);
  if (sig->n_args > GRO_SCHEMA_MAX_ARGS)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The %s '%s' has %u arguments, more than %d",
                   what, name, sig->n_args, GRO_SCHEMA_MAX_ARGS);
      sig->n_args = 0;
      return FALSE;
    }

  sig->args = g_new0 (GroValueType, sig->n_args);
  while (g_variant_iter_next (args, "&s", &arg))
    {
      g_autofree char *where = g_strdup_printf ("Argument %u of %s '%s'", i + 1, what, name);

      if (!parse_value_type (schema, enums, arg, &sig->args[i++], where, error))
        return FALSE;
    }
  sig->args_type = gro_value_types_tuple (sig->args, sig->n_args);

  if (is_method)
    {
      sig->has_return = ret[0] != '\0';
      if (sig->has_return)
        {
          g_autofree char *where = g_strdup_printf ("The return value of method '%s'", name);

          if (!parse_value_type (schema, enums, ret, &sig->ret, where, error))
            return FALSE;
          sig->ret_type = gro_value_types_tuple (&sig->ret, 1);
        }
      else
        sig->ret_type = g_variant_type_new ("()");
    }

  return TRUE;
}

GroSchema *
gro_schema_new_from_variant (GVariant  *variant,
                             GError   **error)
{
  return gro_schema_new_from_variant_full (variant, GRO_SCHEMA_MAX_MEMBERS, error);
}

/* As gro_schema_new_from_variant(), with at most @max_members properties,
 * signals or methods (each). */
GroSchema *
gro_schema_new_from_variant_full (GVariant  *variant,
                                  guint      max_members,
                                  GError   **error)
{
  g_autoptr(GroSchema) schema = g_new0 (GroSchema, 1);
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) sigs = NULL;
  g_autoptr(GVariant) methods = NULL;
  g_autoptr(GVariant) enums = NULL;
  g_autoptr(GHashTable) enum_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GVariant) le = NULL;
  const char *type_name;

  g_return_val_if_fail (g_variant_is_of_type (variant, G_VARIANT_TYPE (GRO_SCHEMA_TYPE_STRING)),
                        NULL);

  g_atomic_ref_count_init (&schema->ref_count);
  schema->variant = g_variant_ref_sink (variant);
  schema->property_index = g_hash_table_new (g_str_hash, g_str_equal);
  schema->signal_index = g_hash_table_new (g_str_hash, g_str_equal);
  schema->method_index = g_hash_table_new (g_str_hash, g_str_equal);

  g_variant_get (variant, "(&s@a(ssu)@a(sas)@a(sass)@a(sba(uss)))",
                 &type_name, &props, &sigs, &methods, &enums);

  if (!check_name (type_name, "The type", error))
    return NULL;
  schema->type_name = g_strdup (type_name);

  if (g_variant_n_children (props) > max_members ||
      g_variant_n_children (sigs) > max_members ||
      g_variant_n_children (methods) > max_members ||
      g_variant_n_children (enums) > GRO_SCHEMA_MAX_ENUMS)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                   "The schema of %s has more than %u members of one kind "
                   "or more than %d enumerations",
                   type_name, max_members, GRO_SCHEMA_MAX_ENUMS);
      return NULL;
    }

  /* Enumerations first: members refer to them by name. */
  schema->n_enums = g_variant_n_children (enums);
  schema->enums = g_new0 (GroSchemaEnum, schema->n_enums);
  for (guint i = 0; i < schema->n_enums; i++)
    {
      GroSchemaEnum *e = &schema->enums[i];
      g_autoptr(GVariant) values = NULL;
      const char *name;

      g_variant_get_child (enums, i, "(&sb@a(uss))", &name, &e->is_flags, &values);
      e->name = g_strdup (name);
      if (!check_name (name, "An enumeration", error))
        return NULL;
      if (gro_kind_from_name (name) != GRO_KIND_INVALID ||
          !g_hash_table_insert (enum_index, e->name, GUINT_TO_POINTER (i)))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "The enumeration name '%s' is used twice", name);
          return NULL;
        }

      if (g_variant_n_children (values) > GRO_SCHEMA_MAX_ENUM_VALUES)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                       "The enumeration '%s' has more than %d values",
                       name, GRO_SCHEMA_MAX_ENUM_VALUES);
          return NULL;
        }
      e->n_values = g_variant_n_children (values);
      e->values = g_new0 (GroSchemaEnumValue, e->n_values);
      for (guint j = 0; j < e->n_values; j++)
        {
          g_autoptr(GVariant) item = g_variant_get_child_value (values, j);
          const char *vname = child_string (item, 1);
          const char *vnick = child_string (item, 2);

          e->values[j].value = child_uint32 (item, 0);
          e->values[j].name = g_strdup (vname);
          e->values[j].nick = g_strdup (vnick);
          if (!check_name (vname, "An enumeration value", error) ||
              !check_name (vnick, "An enumeration value's nick", error))
            return NULL;
        }
    }

  schema->n_properties = g_variant_n_children (props);
  schema->properties = g_new0 (GroSchemaProperty, schema->n_properties);
  for (guint i = 0; i < schema->n_properties; i++)
    {
      GroSchemaProperty *prop = &schema->properties[i];
      g_autoptr(GVariant) item = g_variant_get_child_value (props, i);
      const char *name = child_string (item, 0);
      const char *type = child_string (item, 1);

      prop->flags = child_uint32 (item, 2);
      prop->name = g_strdup (name);
      if (!g_param_spec_is_valid_name (name))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL, "Invalid property name '%s'", name);
          return NULL;
        }
      if (!g_hash_table_insert (schema->property_index, prop->name, GUINT_TO_POINTER (i)))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "The property '%s' is listed twice", name);
          return NULL;
        }
      if (!(prop->flags & GRO_SCHEMA_PROPERTY_READABLE) ||
          (prop->flags & ~(GRO_SCHEMA_PROPERTY_READABLE | GRO_SCHEMA_PROPERTY_WRITABLE)))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "The property '%s' has invalid flags 0x%x", name, prop->flags);
          return NULL;
        }
      if (!parse_value_type (schema, enum_index, type, &prop->type, "A property", NULL))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "Property '%s' has unknown type '%s'", name, type);
          return NULL;
        }
    }

  schema->n_signals = g_variant_n_children (sigs);
  schema->signals = g_new0 (GroSchemaSignal, schema->n_signals);
  for (guint i = 0; i < schema->n_signals; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (sigs, i);
      GroSchemaSignal *sig = &schema->signals[i];

      if (!parse_signal (schema, enum_index, item, FALSE, sig, error))
        return NULL;
      if (!g_hash_table_insert (schema->signal_index, sig->name, GUINT_TO_POINTER (i)))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "The signal '%s' is listed twice", sig->name);
          return NULL;
        }
    }

  schema->n_methods = g_variant_n_children (methods);
  schema->methods = g_new0 (GroSchemaMethod, schema->n_methods);
  for (guint i = 0; i < schema->n_methods; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (methods, i);
      GroSchemaMethod *method = &schema->methods[i];

      if (!parse_signal (schema, enum_index, item, TRUE, method, error))
        return NULL;
      if (g_hash_table_contains (schema->signal_index, method->name) ||
          !g_hash_table_insert (schema->method_index, method->name, GUINT_TO_POINTER (i)))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "The method '%s' is listed twice", method->name);
          return NULL;
        }
    }

  {
    g_autofree GroValueType *types = g_new (GroValueType, schema->n_properties + 1);

    for (guint i = 0; i < schema->n_properties; i++)
      types[i] = schema->properties[i].type;
    schema->values_type = gro_value_types_tuple (types, schema->n_properties);
  }

  /* The hash is over the little-endian wire bytes, the same on every host. */
#if G_BYTE_ORDER == G_BIG_ENDIAN
  le = g_variant_byteswap (variant);
#else
  le = g_variant_ref (variant);
#endif
  {
    g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                           g_variant_get_data (le),
                                                           g_variant_get_size (le));
    schema->hash = g_strndup (digest, 32);
  }

  return g_steal_pointer (&schema);
}

/* Gives every value type its local GType, making enumerations that are not
 * registered in this process. @type_budget counts the types a peer may still
 * make us register; NULL means only look up. */
gboolean
gro_schema_bind (GroSchema  *schema,
                 guint      *type_budget,
                 GError    **error)
{
  if (schema->bound)
    return TRUE;

  for (guint i = 0; i < schema->n_enums; i++)
    {
      GroSchemaEnum *e = &schema->enums[i];

      e->gtype = gro_dynamic_enum_type (e, type_budget, error);
      if (e->gtype == G_TYPE_INVALID)
        return FALSE;
    }

#define BIND(vt) G_STMT_START {                                              \
    if ((vt)->kind == GRO_KIND_ENUM || (vt)->kind == GRO_KIND_FLAGS)         \
      {                                                                      \
        int idx_ = find_in (enum_lookup, (vt)->name);                        \
        g_assert (idx_ >= 0);                                                \
        (vt)->gtype = schema->enums[idx_].gtype;                             \
      }                                                                      \
  } G_STMT_END

  {
    g_autoptr(GHashTable) enum_lookup = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < schema->n_enums; i++)
      g_hash_table_insert (enum_lookup, schema->enums[i].name, GUINT_TO_POINTER (i));

    for (guint i = 0; i < schema->n_properties; i++)
      BIND (&schema->properties[i].type);
    for (guint i = 0; i < schema->n_signals; i++)
      for (guint j = 0; j < schema->signals[i].n_args; j++)
        BIND (&schema->signals[i].args[j]);
    for (guint i = 0; i < schema->n_methods; i++)
      {
        for (guint j = 0; j < schema->methods[i].n_args; j++)
          BIND (&schema->methods[i].args[j]);
        if (schema->methods[i].has_return)
          BIND (&schema->methods[i].ret);
      }
  }
#undef BIND

  schema->bound = TRUE;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* As a GDBusInterfaceInfo                                                   */

static GDBusAnnotationInfo **
type_annotations (const GroValueType *type)
{
  GDBusAnnotationInfo **annotations = g_new0 (GDBusAnnotationInfo *, 2);

  annotations[0] = g_new0 (GDBusAnnotationInfo, 1);
  annotations[0]->ref_count = 1;
  annotations[0]->key = g_strdup (GRO_ANNOTATION_TYPE);
  annotations[0]->value = g_strdup (type->name);

  return annotations;
}

static GDBusArgInfo *
arg_info (const char         *name,
          const GroValueType *type)
{
  GDBusArgInfo *arg = g_new0 (GDBusArgInfo, 1);

  arg->ref_count = 1;
  arg->name = g_strdup (name);
  arg->signature = g_variant_type_dup_string (gro_value_type_wire_type (type));
  arg->annotations = type_annotations (type);

  return arg;
}

static GDBusArgInfo **
args_info (const GroSchemaSignal *sig)
{
  GDBusArgInfo **args = g_new0 (GDBusArgInfo *, sig->n_args + 1);

  for (guint i = 0; i < sig->n_args; i++)
    {
      g_autofree char *name = g_strdup_printf ("arg%u", i);
      args[i] = arg_info (name, &sig->args[i]);
    }

  return args;
}

/* Built once, then shared: callers get it transfer none. */
GDBusInterfaceInfo *
gro_schema_get_interface_info (GroSchema *schema)
{
  GDBusInterfaceInfo *info;

  if (schema->info != NULL)
    return schema->info;

  info = g_new0 (GDBusInterfaceInfo, 1);
  info->ref_count = 1;
  info->name = g_strdup (schema->type_name);

  info->properties = g_new0 (GDBusPropertyInfo *, schema->n_properties + 1);
  for (guint i = 0; i < schema->n_properties; i++)
    {
      const GroSchemaProperty *prop = &schema->properties[i];
      GDBusPropertyInfo *p = g_new0 (GDBusPropertyInfo, 1);

      p->ref_count = 1;
      p->name = g_strdup (prop->name);
      p->signature = g_variant_type_dup_string (gro_value_type_wire_type (&prop->type));
      p->flags = G_DBUS_PROPERTY_INFO_FLAGS_READABLE;
      if (prop->flags & GRO_SCHEMA_PROPERTY_WRITABLE)
        p->flags |= G_DBUS_PROPERTY_INFO_FLAGS_WRITABLE;
      p->annotations = type_annotations (&prop->type);
      info->properties[i] = p;
    }

  info->signals = g_new0 (GDBusSignalInfo *, schema->n_signals + 1);
  for (guint i = 0; i < schema->n_signals; i++)
    {
      GDBusSignalInfo *s = g_new0 (GDBusSignalInfo, 1);

      s->ref_count = 1;
      s->name = g_strdup (schema->signals[i].name);
      s->args = args_info (&schema->signals[i]);
      info->signals[i] = s;
    }

  info->methods = g_new0 (GDBusMethodInfo *, schema->n_methods + 1);
  for (guint i = 0; i < schema->n_methods; i++)
    {
      const GroSchemaMethod *method = &schema->methods[i];
      GDBusMethodInfo *m = g_new0 (GDBusMethodInfo, 1);

      m->ref_count = 1;
      m->name = g_strdup (method->name);
      m->in_args = args_info (method);
      m->out_args = g_new0 (GDBusArgInfo *, 2);
      if (method->has_return)
        m->out_args[0] = arg_info ("result", &method->ret);
      info->methods[i] = m;
    }

  /* Another thread may have built it meanwhile; keep one. */
  if (!g_atomic_pointer_compare_and_exchange (&schema->info, NULL, info))
    g_dbus_interface_info_unref (info);

  return schema->info;
}
