/* gro-dynamic.c: replica classes and enumerations built from a schema
 *
 * A GType can never be unregistered, so every type made here is kept and
 * reused: replica classes by schema hash, enumerations by name and values.
 * Types made because of what a peer sent are counted against the node's
 * budget. A replica class may be made before its schema is known (an
 * acquire that returns at once); its properties and signals are installed
 * when the schema arrives, which GObject allows as long as the class has no
 * subclasses.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "gro-dynamic-private.h"
#include "gro-error.h"
#include "gro-replica-private.h"

G_LOCK_DEFINE_STATIC (dynamic);
static GHashTable *replica_types;  /* type_key() -> GType */
static GHashTable *enum_types;     /* name and values digest -> GType */
static guint type_counter;

/* Keeps the characters GType names allow, so any hint makes a valid name. */
static char *
sanitize (const char *hint)
{
  GString *out = g_string_new (NULL);

  for (const char *p = hint; *p != '\0' && out->len < 64; p++)
    if (g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '+')
      g_string_append_c (out, *p);

  if (out->len == 0)
    g_string_append (out, "Source");

  return g_string_free (out, FALSE);
}

/* Must be called with the lock held. */
static char *
unique_type_name (const char *prefix,
                  const char *hint)
{
  g_autofree char *clean = sanitize (hint);

  for (;;)
    {
      char *name = g_strdup_printf ("%s_%s_%u", prefix, clean, ++type_counter);

      if (g_type_from_name (name) == G_TYPE_INVALID)
        return name;
      g_free (name);
    }
}

static gboolean
spend_budget (guint   *type_budget,
              GError **error)
{
  if (type_budget == NULL)
    return TRUE;
  if (*type_budget == 0)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                   "This node has made as many dynamic types as it may "
                   "(see GroNode:max-dynamic-types)");
      return FALSE;
    }
  (*type_budget)--;
  return TRUE;
}

GType
gro_dynamic_enum_type (const GroSchemaEnum  *definition,
                       guint                *type_budget,
                       GError              **error)
{
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  GType existing;
  GType type;

  existing = g_type_from_name (definition->name);
  if (existing != G_TYPE_INVALID &&
      (definition->is_flags ? G_TYPE_IS_FLAGS (existing) : G_TYPE_IS_ENUM (existing)))
    return existing;

  if (!definition->is_flags && definition->n_values == 0)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The enumeration %s has no values", definition->name);
      return G_TYPE_INVALID;
    }

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  for (guint i = 0; i < definition->n_values; i++)
    {
      const GroSchemaEnumValue *v = &definition->values[i];

      g_checksum_update (checksum, (const guchar *) &v->value, sizeof v->value);
      g_checksum_update (checksum, (const guchar *) v->name, strlen (v->name) + 1);
      g_checksum_update (checksum, (const guchar *) v->nick, strlen (v->nick) + 1);
    }
  key = g_strdup_printf ("%c%s\n%s", definition->is_flags ? 'f' : 'e', definition->name,
                         g_checksum_get_string (checksum));

  G_LOCK (dynamic);

  if (enum_types == NULL)
    enum_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  type = GPOINTER_TO_SIZE (g_hash_table_lookup (enum_types, key));
  if (type != G_TYPE_INVALID)
    {
      G_UNLOCK (dynamic);
      return type;
    }

  if (type_budget == NULL)
    {
      G_UNLOCK (dynamic);
      g_set_error (error, GRO_ERROR, GRO_ERROR_FAILED,
                   "The enumeration %s is not registered in this process", definition->name);
      return G_TYPE_INVALID;
    }

  if (!spend_budget (type_budget, error))
    {
      G_UNLOCK (dynamic);
      return G_TYPE_INVALID;
    }

  /* Not the remote name itself: the application may register that type
   * later, and registering it twice would fail. */
  name = unique_type_name ("GroRemote", definition->name);

  /* GLib keeps these arrays for ever, as the type itself. */
  if (definition->is_flags)
    {
      GFlagsValue *values = g_new0 (GFlagsValue, definition->n_values + 1);

      for (guint i = 0; i < definition->n_values; i++)
        {
          values[i].value = definition->values[i].value;
          values[i].value_name = g_intern_string (definition->values[i].name);
          values[i].value_nick = g_intern_string (definition->values[i].nick);
        }
      type = g_flags_register_static (g_intern_string (name), values);
    }
  else
    {
      GEnumValue *values = g_new0 (GEnumValue, definition->n_values + 1);

      for (guint i = 0; i < definition->n_values; i++)
        {
          values[i].value = (gint) definition->values[i].value;
          values[i].value_name = g_intern_string (definition->values[i].name);
          values[i].value_nick = g_intern_string (definition->values[i].nick);
        }
      type = g_enum_register_static (g_intern_string (name), values);
    }

  g_hash_table_insert (enum_types, g_steal_pointer (&key), GSIZE_TO_POINTER (type));

  G_UNLOCK (dynamic);

  return type;
}

static void
dynamic_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  _gro_replica_get_value (GRO_REPLICA (object), prop_id - 1, value);
}

static void
dynamic_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  _gro_replica_write_value (GRO_REPLICA (object), prop_id - 1, value);
}

static void
dynamic_class_init (gpointer klass,
                    gpointer class_data)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dynamic_get_property;
  object_class->set_property = dynamic_set_property;
}

GType
gro_dynamic_replica_type_new (const char *hint)
{
  static const GTypeInfo info = {
    .class_size = sizeof (GroReplicaClass),
    .class_init = dynamic_class_init,
    .instance_size = sizeof (GroReplica),
  };
  g_autofree char *name = NULL;
  GType type;

  G_LOCK (dynamic);
  name = unique_type_name ("GroReplica", hint);
  type = g_type_register_static (GRO_TYPE_REPLICA, name, &info, 0);
  G_UNLOCK (dynamic);

  return type;
}

/* One schema may be bound to different local enumerations (a remote one made
 * here, then the real one once registered), and a class is for one binding. */
static char *
type_key (GroSchema *schema)
{
  GString *key = g_string_new (schema->hash);

  for (guint i = 0; i < schema->n_enums; i++)
    g_string_append_printf (key, ":%s", g_type_name (schema->enums[i].gtype));

  return g_string_free (key, FALSE);
}

gboolean
gro_dynamic_replica_type_is_pending (GType type)
{
  return _gro_replica_class_info (type) == NULL;
}

static GParamSpec *
make_pspec (const GroSchemaProperty *prop)
{
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY;
  const char *name = prop->name;

  /* A write goes to the source; the value changes when the source says so. */
  if (prop->flags & GRO_SCHEMA_PROPERTY_WRITABLE)
    flags |= G_PARAM_WRITABLE;

  switch (prop->type.kind)
    {
    case GRO_KIND_BOOLEAN:
      return g_param_spec_boolean (name, NULL, NULL, FALSE, flags);
    case GRO_KIND_CHAR:
      return g_param_spec_char (name, NULL, NULL, G_MININT8, G_MAXINT8, 0, flags);
    case GRO_KIND_UCHAR:
      return g_param_spec_uchar (name, NULL, NULL, 0, G_MAXUINT8, 0, flags);
    case GRO_KIND_INT:
      return g_param_spec_int (name, NULL, NULL, G_MININT, G_MAXINT, 0, flags);
    case GRO_KIND_UINT:
      return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0, flags);
    case GRO_KIND_LONG:
      return g_param_spec_long (name, NULL, NULL, G_MINLONG, G_MAXLONG, 0, flags);
    case GRO_KIND_ULONG:
      return g_param_spec_ulong (name, NULL, NULL, 0, G_MAXULONG, 0, flags);
    case GRO_KIND_INT64:
      return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
    case GRO_KIND_UINT64:
      return g_param_spec_uint64 (name, NULL, NULL, 0, G_MAXUINT64, 0, flags);
    case GRO_KIND_FLOAT:
      return g_param_spec_float (name, NULL, NULL, -INFINITY, INFINITY, 0, flags);
    case GRO_KIND_DOUBLE:
      return g_param_spec_double (name, NULL, NULL, -INFINITY, INFINITY, 0, flags);
    case GRO_KIND_STRING:
      return g_param_spec_string (name, NULL, NULL, NULL, flags);
    case GRO_KIND_STRV:
      return g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, flags);
    case GRO_KIND_BYTES:
      return g_param_spec_boxed (name, NULL, NULL, G_TYPE_BYTES, flags);
    case GRO_KIND_VARIANT:
      return g_param_spec_variant (name, NULL, NULL, G_VARIANT_TYPE_ANY, NULL, flags);
    case GRO_KIND_ENUM:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (prop->type.gtype);
        return g_param_spec_enum (name, NULL, NULL, prop->type.gtype,
                                  klass->values[0].value, flags);
      }
    case GRO_KIND_FLAGS:
      return g_param_spec_flags (name, NULL, NULL, prop->type.gtype, 0, flags);
    case GRO_KIND_INVALID:
    default:
      g_assert_not_reached ();
    }
}

/* The source's signal names, unless GroReplica or GObject already uses one:
 * then "source-NAME". A name taken both ways is not shown. */
static guint
add_signal (GType                  type,
            const GroSchemaSignal *sig)
{
  g_autofree GType *types = g_new (GType, sig->n_args + 1);
  g_autofree char *renamed = NULL;
  const char *name = sig->name;

  if (g_signal_lookup (name, type) != 0)
    {
      renamed = g_strconcat ("source-", sig->name, NULL);
      name = renamed;
      if (g_signal_lookup (name, type) != 0)
        {
          g_debug ("The source signal '%s' clashes with a replica signal; not shown", sig->name);
          return 0;
        }
    }

  for (guint i = 0; i < sig->n_args; i++)
    types[i] = sig->args[i].gtype;

  return g_signal_newv (name, type, G_SIGNAL_RUN_LAST, NULL, NULL, NULL, NULL,
                        G_TYPE_NONE, sig->n_args, types);
}

void
gro_dynamic_replica_type_install (GType      type,
                                  GroSchema *schema)
{
  g_autofree char *key = NULL;
  GObjectClass *klass;
  GroReplicaClassInfo *info;

  g_assert (schema->bound);
  g_assert (gro_dynamic_replica_type_is_pending (type));

  /* Kept for ever: the class owns the property specs. */
  klass = g_type_class_ref (type);

  info = g_new0 (GroReplicaClassInfo, 1);
  info->schema = gro_schema_ref (schema);
  info->pspecs = g_new0 (GParamSpec *, schema->n_properties);
  info->signal_ids = g_new0 (guint, schema->n_signals);

  for (guint i = 0; i < schema->n_properties; i++)
    {
      info->pspecs[i] = make_pspec (&schema->properties[i]);
      g_object_class_install_property (klass, i + 1, info->pspecs[i]);
    }

  for (guint i = 0; i < schema->n_signals; i++)
    info->signal_ids[i] = add_signal (type, &schema->signals[i]);

  _gro_replica_set_class_info (type, info);

  G_LOCK (dynamic);
  if (replica_types == NULL)
    replica_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  key = type_key (schema);
  if (!g_hash_table_contains (replica_types, key))
    g_hash_table_insert (replica_types, g_steal_pointer (&key), GSIZE_TO_POINTER (type));
  G_UNLOCK (dynamic);
}

GType
gro_dynamic_replica_type_for (GroSchema  *schema,
                              guint      *type_budget,
                              GError    **error)
{
  g_autofree char *key = type_key (schema);
  GType type = G_TYPE_INVALID;

  G_LOCK (dynamic);
  if (replica_types != NULL)
    type = GPOINTER_TO_SIZE (g_hash_table_lookup (replica_types, key));
  G_UNLOCK (dynamic);

  if (type != G_TYPE_INVALID)
    return type;

  if (!spend_budget (type_budget, error))
    return G_TYPE_INVALID;

  type = gro_dynamic_replica_type_new (schema->type_name);
  gro_dynamic_replica_type_install (type, schema);

  return type;
}
