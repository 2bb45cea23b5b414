/* test-schema.c: schemas from classes and from the wire, and their hash
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "gro-error.h"
#include "gro-frame-private.h"
#include "gro-schema-private.h"

/* ------------------------------------------------------------------------ */
/* Types for the tests                                                       */

typedef enum
{
  SCHEMA_COLOR_NONE = -1,
  SCHEMA_COLOR_RED = 0,
  SCHEMA_COLOR_BLUE = 7,
} SchemaColor;

static GType
schema_color_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { SCHEMA_COLOR_NONE, "SCHEMA_COLOR_NONE", "none" },
    { SCHEMA_COLOR_RED, "SCHEMA_COLOR_RED", "red" },
    { SCHEMA_COLOR_BLUE, "SCHEMA_COLOR_BLUE", "blue" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("SchemaColor", values));
  return type;
}

static GType
schema_bits_get_type (void)
{
  static gsize type = 0;
  static const GFlagsValue values[] = {
    { 1, "SCHEMA_BITS_A", "a" },
    { 4, "SCHEMA_BITS_C", "c" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_flags_register_static ("SchemaBits", values));
  return type;
}

static GType
schema_bad_nick_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { 0, "SCHEMA_BAD_NICK_X", "" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("SchemaBadNick", values));
  return type;
}

static void
dummy_get_property (GObject    *object,
                    guint       prop_id,
                    GValue     *value,
                    GParamSpec *pspec)
{
}

static void
dummy_set_property (GObject      *object,
                    guint         prop_id,
                    const GValue *value,
                    GParamSpec   *pspec)
{
}

/* A GObject class whose class_init is NAME_class_init, written below. */
#define TEST_CLASS(Name, name, Parent)                                        \
  typedef struct { Parent parent_instance; } Name;                            \
  typedef struct { Parent##Class parent_class; } Name##Class;                 \
  GType name##_get_type (void);                                               \
  G_DEFINE_TYPE (Name, name, G_TYPE_OBJECT)                                   \
  static void name##_init (Name *self) { }

static void
install (GObjectClass *klass,
         GParamSpec   *pspec)
{
  static guint next_id = 1;

  klass->get_property = dummy_get_property;
  klass->set_property = dummy_set_property;
  g_object_class_install_property (klass, next_id++, pspec);
}

static guint
action (gpointer    klass,
        const char *name,
        GType       return_type,
        guint       n_params,
        ...)
{
  va_list args;
  guint id;

  va_start (args, n_params);
  id = g_signal_new_valist (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                            NULL, NULL, NULL, NULL, return_type, n_params, args);
  va_end (args);
  return id;
}

#define RW (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)

/* Every type gro carries, as properties, signal arguments and methods. */
TEST_CLASS (SchemaAll, schema_all, GObject)

static void
schema_all_class_init (SchemaAllClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  GType all[] = {
    G_TYPE_BOOLEAN, G_TYPE_CHAR, G_TYPE_UCHAR, G_TYPE_INT, G_TYPE_UINT, G_TYPE_LONG,
    G_TYPE_ULONG, G_TYPE_INT64, G_TYPE_UINT64, G_TYPE_FLOAT, G_TYPE_DOUBLE, G_TYPE_STRING,
    G_TYPE_STRV, G_TYPE_BYTES, G_TYPE_VARIANT, schema_color_get_type (),
    schema_bits_get_type (),
  };

  install (oc, g_param_spec_boolean ("b", NULL, NULL, FALSE, RW));
  install (oc, g_param_spec_char ("c", NULL, NULL, G_MININT8, G_MAXINT8, 0, RW));
  install (oc, g_param_spec_uchar ("uc", NULL, NULL, 0, G_MAXUINT8, 0, RW));
  install (oc, g_param_spec_int ("i", NULL, NULL, G_MININT, G_MAXINT, 0, RW));
  install (oc, g_param_spec_uint ("u", NULL, NULL, 0, G_MAXUINT, 0, RW));
  install (oc, g_param_spec_long ("l", NULL, NULL, G_MINLONG, G_MAXLONG, 0, RW));
  install (oc, g_param_spec_ulong ("ul", NULL, NULL, 0, G_MAXULONG, 0, RW));
  install (oc, g_param_spec_int64 ("i64", NULL, NULL, G_MININT64, G_MAXINT64, 0, RW));
  install (oc, g_param_spec_uint64 ("u64", NULL, NULL, 0, G_MAXUINT64, 0, RW));
  install (oc, g_param_spec_float ("f", NULL, NULL, -G_MAXFLOAT, G_MAXFLOAT, 0, RW));
  install (oc, g_param_spec_double ("d", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, RW));
  install (oc, g_param_spec_string ("s", NULL, NULL, NULL, RW));
  install (oc, g_param_spec_boxed ("strv", NULL, NULL, G_TYPE_STRV, RW));
  install (oc, g_param_spec_boxed ("bytes", NULL, NULL, G_TYPE_BYTES, RW));
  install (oc, g_param_spec_variant ("variant", NULL, NULL, G_VARIANT_TYPE_ANY, NULL, RW));
  install (oc, g_param_spec_enum ("color", NULL, NULL, schema_color_get_type (), 0, RW));
  install (oc, g_param_spec_flags ("bits", NULL, NULL, schema_bits_get_type (), 0, RW));
  install (oc, g_param_spec_string ("read-only", NULL, NULL, NULL,
                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  install (oc, g_param_spec_int ("construct-only", NULL, NULL, 0, 10, 0,
                                 RW | G_PARAM_CONSTRUCT_ONLY));
  /* Not readable: left out, whatever its type. */
  install (oc, g_param_spec_object ("write-only", NULL, NULL, G_TYPE_OBJECT,
                                    G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  g_signal_newv ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, NULL, NULL, NULL,
                 NULL, G_TYPE_NONE, G_N_ELEMENTS (all), all);
  /* A signal's return value is not carried, so its type does not matter. */
  g_signal_new ("query", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_OBJECT, 0);

  action (klass, "add", G_TYPE_INT, 2, G_TYPE_INT, G_TYPE_INT);
  action (klass, "reset", G_TYPE_NONE, 0);
  action (klass, "echo", G_TYPE_VARIANT, 1, G_TYPE_VARIANT);
  action (klass, "paint", schema_bits_get_type (), 2,
          schema_color_get_type (), G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

/* Ancestry and interfaces. */

typedef struct
{
  GTypeInterface parent_iface;
} SchemaIfaceInterface;

GType schema_iface_get_type (void);
G_DEFINE_INTERFACE (SchemaIface, schema_iface, G_TYPE_OBJECT)

static void
schema_iface_default_init (SchemaIfaceInterface *iface)
{
  g_signal_new ("iface-signal", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  g_object_interface_install_property (iface,
                                       g_param_spec_int ("iface-prop", NULL, NULL, 0, 9, 0, RW));
}

typedef struct { GObject parent_instance; } SchemaBase;
typedef struct { GObjectClass parent_class; } SchemaBaseClass;
GType schema_base_get_type (void);
G_DEFINE_TYPE (SchemaBase, schema_base, G_TYPE_OBJECT)
static void schema_base_init (SchemaBase *self) { }

static void
schema_base_class_init (SchemaBaseClass *klass)
{
  install (G_OBJECT_CLASS (klass), g_param_spec_int ("base-prop", NULL, NULL, 0, 9, 0, RW));
  g_signal_new ("base-signal", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

typedef struct { SchemaBase parent_instance; } SchemaDerived;
typedef struct { SchemaBaseClass parent_class; } SchemaDerivedClass;
GType schema_derived_get_type (void);
static void schema_derived_iface_init (SchemaIfaceInterface *iface) { }
G_DEFINE_TYPE_WITH_CODE (SchemaDerived, schema_derived, schema_base_get_type (),
                         G_IMPLEMENT_INTERFACE (schema_iface_get_type (),
                                                schema_derived_iface_init))
static void schema_derived_init (SchemaDerived *self) { }

static void
schema_derived_class_init (SchemaDerivedClass *klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);

  install (oc, g_param_spec_string ("derived-prop", NULL, NULL, NULL, RW));
  oc->get_property = dummy_get_property;
  oc->set_property = dummy_set_property;
  g_object_class_override_property (oc, 100, "iface-prop");
  g_signal_new ("derived-signal", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/* Classes gro refuses. */

TEST_CLASS (SchemaWithObject, schema_with_object, GObject)
static void
schema_with_object_class_init (SchemaWithObjectClass *klass)
{
  install (G_OBJECT_CLASS (klass), g_param_spec_int ("fine", NULL, NULL, 0, 9, 0, RW));
  install (G_OBJECT_CLASS (klass), g_param_spec_object ("child", NULL, NULL, G_TYPE_OBJECT, RW));
}

TEST_CLASS (SchemaWithPointer, schema_with_pointer, GObject)
static void
schema_with_pointer_class_init (SchemaWithPointerClass *klass)
{
  g_signal_new ("moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_POINTER);
}

TEST_CLASS (SchemaWithBadReturn, schema_with_bad_return, GObject)
static void
schema_with_bad_return_class_init (SchemaWithBadReturnClass *klass)
{
  action (klass, "lookup", G_TYPE_HASH_TABLE, 1, G_TYPE_STRING);
}

TEST_CLASS (SchemaWithBadArg, schema_with_bad_arg, GObject)
static void
schema_with_bad_arg_class_init (SchemaWithBadArgClass *klass)
{
  action (klass, "take", G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_OBJECT);
}

TEST_CLASS (SchemaTooManyArgs, schema_too_many_args, GObject)
static void
schema_too_many_args_class_init (SchemaTooManyArgsClass *klass)
{
  GType args[GRO_SCHEMA_MAX_ARGS + 1];

  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    args[i] = G_TYPE_INT;
  g_signal_newv ("many", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                 NULL, NULL, NULL, NULL, G_TYPE_NONE, G_N_ELEMENTS (args), args);
}

TEST_CLASS (SchemaWithBadNick, schema_with_bad_nick, GObject)
static void
schema_with_bad_nick_class_init (SchemaWithBadNickClass *klass)
{
  install (G_OBJECT_CLASS (klass),
           g_param_spec_enum ("which", NULL, NULL, schema_bad_nick_get_type (), 0, RW));
}

/* Two signals; the second one's name is interned before the class exists. */
TEST_CLASS (SchemaOrder, schema_order, GObject)
static void
schema_order_class_init (SchemaOrderClass *klass)
{
  g_signal_new ("order-a", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
  g_signal_new ("order-b", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
  action (klass, "order-do-a", G_TYPE_NONE, 0);
  action (klass, "order-do-b", G_TYPE_NONE, 0);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static GroSchema *
schema_for (GType type)
{
  g_autoptr(GError) error = NULL;
  GroSchema *schema = gro_schema_new_for_type (type, &error);

  g_assert_no_error (error);
  g_assert_nonnull (schema);
  return schema;
}

static GroSchema *
schema_from_text (const char  *text,
                  GError     **error)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) parse_error = NULL;

  variant = g_variant_parse (G_VARIANT_TYPE (GRO_SCHEMA_TYPE_STRING), text, NULL, NULL,
                             &parse_error);
  g_assert_no_error (parse_error);
  return gro_schema_new_from_variant (variant, error);
}

static char *
expected_hash (GVariant *variant)
{
  g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                         g_variant_get_data (variant),
                                                         g_variant_get_size (variant));
  return g_strndup (digest, 32);
}

static void
assert_property (GroSchema  *schema,
                 guint       index,
                 const char *name,
                 const char *type_name,
                 GroKind     kind,
                 GType       gtype,
                 guint       flags)
{
  const GroSchemaProperty *prop = &schema->properties[index];

  g_assert_cmpuint (index, <, schema->n_properties);
  g_assert_cmpstr (prop->name, ==, name);
  g_assert_cmpstr (prop->type.name, ==, type_name);
  g_assert_cmpint (prop->type.kind, ==, kind);
  g_assert_cmpuint (prop->type.gtype, ==, gtype);
  g_assert_cmpuint (prop->flags, ==, flags);
  g_assert_cmpint (gro_schema_find_property (schema, name), ==, index);
}

/* ------------------------------------------------------------------------ */
/* From a class                                                              */

static void
test_all_types (void)
{
  g_autoptr(GroSchema) schema = schema_for (schema_all_get_type ());
  const guint R = GRO_SCHEMA_PROPERTY_READABLE, RW_FLAGS = R | GRO_SCHEMA_PROPERTY_WRITABLE;
  const GroSchemaSignal *sig;
  const GroSchemaMethod *method;
  g_autofree char *hash = NULL;

  g_assert_cmpstr (schema->type_name, ==, "SchemaAll");
  g_assert_true (schema->bound);
  g_assert_true (g_variant_is_of_type (schema->variant, G_VARIANT_TYPE (GRO_SCHEMA_TYPE_STRING)));

  /* Properties, sorted by name; the write-only one is left out. */
  g_assert_cmpuint (schema->n_properties, ==, 19);
  assert_property (schema, 0, "b", "gboolean", GRO_KIND_BOOLEAN, G_TYPE_BOOLEAN, RW_FLAGS);
  assert_property (schema, 1, "bits", "SchemaBits", GRO_KIND_FLAGS, schema_bits_get_type (),
                   RW_FLAGS);
  assert_property (schema, 2, "bytes", "GBytes", GRO_KIND_BYTES, G_TYPE_BYTES, RW_FLAGS);
  assert_property (schema, 3, "c", "gchar", GRO_KIND_CHAR, G_TYPE_CHAR, RW_FLAGS);
  assert_property (schema, 4, "color", "SchemaColor", GRO_KIND_ENUM, schema_color_get_type (),
                   RW_FLAGS);
  assert_property (schema, 5, "construct-only", "gint", GRO_KIND_INT, G_TYPE_INT, R);
  assert_property (schema, 6, "d", "gdouble", GRO_KIND_DOUBLE, G_TYPE_DOUBLE, RW_FLAGS);
  assert_property (schema, 7, "f", "gfloat", GRO_KIND_FLOAT, G_TYPE_FLOAT, RW_FLAGS);
  assert_property (schema, 8, "i", "gint", GRO_KIND_INT, G_TYPE_INT, RW_FLAGS);
  assert_property (schema, 9, "i64", "gint64", GRO_KIND_INT64, G_TYPE_INT64, RW_FLAGS);
  assert_property (schema, 10, "l", "glong", GRO_KIND_LONG, G_TYPE_LONG, RW_FLAGS);
  assert_property (schema, 11, "read-only", "gchararray", GRO_KIND_STRING, G_TYPE_STRING, R);
  assert_property (schema, 12, "s", "gchararray", GRO_KIND_STRING, G_TYPE_STRING, RW_FLAGS);
  assert_property (schema, 13, "strv", "GStrv", GRO_KIND_STRV, G_TYPE_STRV, RW_FLAGS);
  assert_property (schema, 14, "u", "guint", GRO_KIND_UINT, G_TYPE_UINT, RW_FLAGS);
  assert_property (schema, 15, "u64", "guint64", GRO_KIND_UINT64, G_TYPE_UINT64, RW_FLAGS);
  assert_property (schema, 16, "uc", "guchar", GRO_KIND_UCHAR, G_TYPE_UCHAR, RW_FLAGS);
  assert_property (schema, 17, "ul", "gulong", GRO_KIND_ULONG, G_TYPE_ULONG, RW_FLAGS);
  assert_property (schema, 18, "variant", "GVariant", GRO_KIND_VARIANT, G_TYPE_VARIANT, RW_FLAGS);
  g_assert_cmpint (gro_schema_find_property (schema, "write-only"), ==, -1);
  g_assert_true (g_variant_type_equal (schema->values_type,
                                       G_VARIANT_TYPE ("(bumayyiiddixxmsmsmasutytmv)")));

  /* Signals: "changed" with every type, "query" without its return type. */
  g_assert_cmpuint (schema->n_signals, ==, 2);
  sig = &schema->signals[gro_schema_find_signal (schema, "changed")];
  g_assert_cmpuint (sig->n_args, ==, 17);
  g_assert_cmpstr (sig->args[0].name, ==, "gboolean");
  g_assert_cmpstr (sig->args[15].name, ==, "SchemaColor");
  g_assert_cmpuint (sig->args[15].gtype, ==, schema_color_get_type ());
  g_assert_true (g_variant_type_equal (sig->args_type,
                                       G_VARIANT_TYPE ("(byyiuxtxtddmsmasmaymviu)")));
  g_assert_false (sig->has_return);
  sig = &schema->signals[gro_schema_find_signal (schema, "query")];
  g_assert_cmpuint (sig->n_args, ==, 0);
  g_assert_true (g_variant_type_equal (sig->args_type, G_VARIANT_TYPE_UNIT));

  /* Methods: the action signals. */
  g_assert_cmpuint (schema->n_methods, ==, 4);
  g_assert_cmpint (gro_schema_find_signal (schema, "add"), ==, -1);
  method = &schema->methods[gro_schema_find_method (schema, "add")];
  g_assert_true (method->has_return);
  g_assert_cmpstr (method->ret.name, ==, "gint");
  g_assert_true (g_variant_type_equal (method->args_type, G_VARIANT_TYPE ("(ii)")));
  g_assert_true (g_variant_type_equal (method->ret_type, G_VARIANT_TYPE ("(i)")));
  method = &schema->methods[gro_schema_find_method (schema, "reset")];
  g_assert_false (method->has_return);
  g_assert_true (g_variant_type_equal (method->args_type, G_VARIANT_TYPE_UNIT));
  g_assert_true (g_variant_type_equal (method->ret_type, G_VARIANT_TYPE_UNIT));
  method = &schema->methods[gro_schema_find_method (schema, "echo")];
  g_assert_true (g_variant_type_equal (method->ret_type, G_VARIANT_TYPE ("(mv)")));
  method = &schema->methods[gro_schema_find_method (schema, "paint")];
  g_assert_true (g_variant_type_equal (method->args_type, G_VARIANT_TYPE ("(ims)")));
  g_assert_true (g_variant_type_equal (method->ret_type, G_VARIANT_TYPE ("(u)")));
  g_assert_cmpuint (method->ret.gtype, ==, schema_bits_get_type ());

  /* Each enumeration once, in order of first use, with every value;
   * negative ones as 32 bits. */
  g_assert_cmpuint (schema->n_enums, ==, 2);
  g_assert_cmpstr (schema->enums[0].name, ==, "SchemaBits");
  g_assert_true (schema->enums[0].is_flags);
  g_assert_cmpuint (schema->enums[0].n_values, ==, 2);
  g_assert_cmpuint (schema->enums[0].values[1].value, ==, 4);
  g_assert_cmpstr (schema->enums[1].name, ==, "SchemaColor");
  g_assert_false (schema->enums[1].is_flags);
  g_assert_cmpuint (schema->enums[1].n_values, ==, 3);
  g_assert_cmpuint (schema->enums[1].values[0].value, ==, G_MAXUINT32);
  g_assert_cmpstr (schema->enums[1].values[0].name, ==, "SCHEMA_COLOR_NONE");
  g_assert_cmpstr (schema->enums[1].values[0].nick, ==, "none");
  g_assert_cmpuint (schema->enums[1].values[2].value, ==, 7);

  /* The hash: the first 32 hex digits of the wire form's SHA-256. */
  hash = expected_hash (schema->variant);
  g_assert_cmpstr (schema->hash, ==, hash);
  g_assert_cmpuint (strlen (schema->hash), ==, 32);
  for (const char *p = schema->hash; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
}

/* Members of ancestors and interfaces are included, sorted with the type's own;
 * GObject's notify is not a member. */
static void
test_ancestry (void)
{
  g_autoptr(GroSchema) schema = schema_for (schema_derived_get_type ());

  g_assert_cmpstr (schema->type_name, ==, "SchemaDerived");
  g_assert_cmpuint (schema->n_properties, ==, 3);
  g_assert_cmpint (gro_schema_find_property (schema, "base-prop"), >=, 0);
  g_assert_cmpint (gro_schema_find_property (schema, "derived-prop"), >=, 0);
  g_assert_cmpint (gro_schema_find_property (schema, "iface-prop"), >=, 0);

  g_assert_cmpuint (schema->n_signals, ==, 3);
  g_assert_cmpstr (schema->signals[0].name, ==, "base-signal");
  g_assert_cmpstr (schema->signals[1].name, ==, "derived-signal");
  g_assert_cmpstr (schema->signals[2].name, ==, "iface-signal");
  g_assert_cmpint (gro_schema_find_signal (schema, "notify"), ==, -1);
  g_assert_cmpuint (schema->n_methods, ==, 0);
}

static void
test_hash_stable (void)
{
  g_autoptr(GroSchema) once = schema_for (schema_all_get_type ());
  g_autoptr(GroSchema) twice = schema_for (schema_all_get_type ());
  g_autoptr(GroSchema) parsed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (once != twice);
  g_assert_cmpstr (once->hash, ==, twice->hash);
  g_assert_true (g_variant_equal (once->variant, twice->variant));

  /* What a node parses from the wire hashes the same. */
  parsed = gro_schema_new_from_variant (once->variant, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->hash, ==, once->hash);
}

/* The schema's type, with one more property, or one flag changed. */
static void
test_hash_changes (void)
{
  g_autoptr(GroSchema) schema = schema_for (schema_derived_get_type ());
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) sigs = NULL;
  g_autoptr(GVariant) methods = NULL;
  g_autoptr(GVariant) enums = NULL;
  g_autoptr(GroSchema) more = NULL;
  g_autoptr(GroSchema) flag = NULL;
  g_autoptr(GroSchema) renamed = NULL;
  g_autoptr(GError) error = NULL;
  const char *type_name;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name, *type;
  guint32 flags;

  g_variant_get (schema->variant, "(&s@a(ssu)@a(sas)@a(sass)@a(sba(uss)))",
                 &type_name, &props, &sigs, &methods, &enums);

  /* One more property. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssu)"));
  g_variant_iter_init (&iter, props);
  while (g_variant_iter_next (&iter, "(&s&su)", &name, &type, &flags))
    g_variant_builder_add (&builder, "(ssu)", name, type, flags);
  g_variant_builder_add (&builder, "(ssu)", "extra", "gint", 1);
  more = gro_schema_new_from_variant (g_variant_new ("(s@a(ssu)@a(sas)@a(sass)@a(sba(uss)))",
                                                     type_name, g_variant_builder_end (&builder),
                                                     sigs, methods, enums), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (more->n_properties, ==, schema->n_properties + 1);
  g_assert_cmpstr (more->hash, !=, schema->hash);

  /* The same properties, the first one read-only. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssu)"));
  g_variant_iter_init (&iter, props);
  for (guint i = 0; g_variant_iter_next (&iter, "(&s&su)", &name, &type, &flags); i++)
    g_variant_builder_add (&builder, "(ssu)", name, type,
                           i == 0 ? GRO_SCHEMA_PROPERTY_READABLE : flags);
  flag = gro_schema_new_from_variant (g_variant_new ("(s@a(ssu)@a(sas)@a(sass)@a(sba(uss)))",
                                                     type_name, g_variant_builder_end (&builder),
                                                     sigs, methods, enums), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (flag->hash, !=, schema->hash);

  /* Another type name. */
  renamed = gro_schema_new_from_variant (g_variant_new ("(s@a(ssu)@a(sas)@a(sass)@a(sba(uss)))",
                                                        "SchemaDerived2", props, sigs, methods,
                                                        enums), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (renamed->hash, !=, schema->hash);
}

/* The same class must give the same schema in every process, whatever
 * strings the process interned before: members are sorted by name. */
static void
test_order (void)
{
  g_autoptr(GroSchema) schema = NULL;

  /* As any code that runs before the class is made may do. */
  g_quark_from_static_string ("order-b");
  g_quark_from_static_string ("order-do-b");
  schema = schema_for (schema_order_get_type ());

  g_assert_cmpuint (schema->n_signals, ==, 2);
  g_assert_cmpuint (schema->n_methods, ==, 2);
  g_assert_cmpstr (schema->signals[0].name, ==, "order-a");
  g_assert_cmpstr (schema->methods[0].name, ==, "order-do-a");
  g_assert_cmpstr (schema->signals[1].name, ==, "order-b");
  g_assert_cmpstr (schema->methods[1].name, ==, "order-do-b");
}

/* ------------------------------------------------------------------------ */
/* Refused classes                                                           */

static void
assert_class_refused (GType       type,
                      const char *fragment,
                      const char *fragment2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroSchema) schema = gro_schema_new_for_type (type, &error);

  g_assert_null (schema);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_UNSUPPORTED_TYPE);
  g_test_message ("%s: %s", g_type_name (type), error->message);
  g_assert_nonnull (strstr (error->message, g_type_name (type)));
  g_assert_nonnull (strstr (error->message, fragment));
  if (fragment2 != NULL)
    g_assert_nonnull (strstr (error->message, fragment2));
}

static void
test_refused_classes (void)
{
  assert_class_refused (schema_with_object_get_type (), "Property 'child'", "GObject");
  assert_class_refused (schema_with_pointer_get_type (), "Argument 2 of signal 'moved'",
                        "gpointer");
  assert_class_refused (schema_with_bad_return_get_type (),
                        "The return value of method 'lookup'", "GHashTable");
  assert_class_refused (schema_with_bad_arg_get_type (), "Argument 2 of method 'take'",
                        "GObject");
  assert_class_refused (schema_too_many_args_get_type (), "'many'", "more than 32");
  assert_class_refused (schema_with_bad_nick_get_type (), "nick", NULL);
}

/* ------------------------------------------------------------------------ */
/* From the wire                                                             */

#define EMPTY_SIGNALS "@a(sas) []"
#define EMPTY_METHODS "@a(sass) []"
#define EMPTY_ENUMS "@a(sba(uss)) []"

static void
assert_wire_refused (const char *text,
                     int         code,
                     const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroSchema) schema = schema_from_text (text, &error);

  if (schema != NULL)
    g_error ("accepted: %s", text);
  g_assert_error (error, GRO_ERROR, code);
  g_test_message ("%s", error->message);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("'%s' does not say '%s'", error->message, fragment);
}

static GroSchema *
assert_wire_accepted (const char *text)
{
  g_autoptr(GError) error = NULL;
  GroSchema *schema = schema_from_text (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (schema);
  g_assert_false (schema->bound);
  return schema;
}

static void
test_wire_minimal (void)
{
  g_autoptr(GroSchema) schema = assert_wire_accepted ("('T', @a(ssu) [], " EMPTY_SIGNALS ", "
                                                      EMPTY_METHODS ", " EMPTY_ENUMS ")");

  g_assert_cmpstr (schema->type_name, ==, "T");
  g_assert_cmpuint (schema->n_properties + schema->n_signals + schema->n_methods, ==, 0);
  g_assert_true (g_variant_type_equal (schema->values_type, G_VARIANT_TYPE_UNIT));
  g_assert_cmpuint (strlen (schema->hash), ==, 32);
}

static void
test_wire_names (void)
{
  const char *bad_properties[] = { "", "1abc", "a b", "a.b", "-a", "\xc3\xa4" };
  const char *good_properties[] = { "a", "a-b", "a_b", "A9" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad_properties); i++)
    {
      g_autoptr(GVariant) name = g_variant_ref_sink (g_variant_new_string (bad_properties[i]));
      g_autofree char *quoted = g_variant_print (name, FALSE);
      g_autofree char *text = g_strdup_printf ("('T', [(%s, 'gint', uint32 1)], "
                                               EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                                               EMPTY_ENUMS ")", quoted);
      assert_wire_refused (text, GRO_ERROR_PROTOCOL, "Invalid property name");
    }

  for (gsize i = 0; i < G_N_ELEMENTS (good_properties); i++)
    {
      g_autofree char *text = g_strdup_printf ("('T', [('%s', 'gint', uint32 1)], "
                                               EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                                               EMPTY_ENUMS ")", good_properties[i]);
      g_autoptr(GroSchema) schema = assert_wire_accepted (text);
    }

  assert_wire_refused ("('T', @a(ssu) [], [('bad name', @as [])], " EMPTY_METHODS ", "
                       EMPTY_ENUMS ")", GRO_ERROR_PROTOCOL, "Invalid signal name 'bad name'");
  assert_wire_refused ("('T', @a(ssu) [], " EMPTY_SIGNALS ", [('', @as [], '')], "
                       EMPTY_ENUMS ")", GRO_ERROR_PROTOCOL, "Invalid method name");

  /* The type name: 1 to 255 bytes. */
  assert_wire_refused ("('', @a(ssu) [], " EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                       EMPTY_ENUMS ")", GRO_ERROR_PROTOCOL, "The type name is empty");
  {
    g_autofree char *max = g_strnfill (GRO_SCHEMA_MAX_NAME, 'T');
    g_autofree char *over = g_strnfill (GRO_SCHEMA_MAX_NAME + 1, 'T');
    g_autofree char *ok_text = g_strdup_printf ("('%s', @a(ssu) [], " EMPTY_SIGNALS ", "
                                                EMPTY_METHODS ", " EMPTY_ENUMS ")", max);
    g_autofree char *bad_text = g_strdup_printf ("('%s', @a(ssu) [], " EMPTY_SIGNALS ", "
                                                 EMPTY_METHODS ", " EMPTY_ENUMS ")", over);
    g_autoptr(GroSchema) schema = assert_wire_accepted (ok_text);

    assert_wire_refused (bad_text, GRO_ERROR_PROTOCOL, "longer than 255 bytes");
  }

  /* Enumeration names and their values' names and nicks. */
  assert_wire_refused ("('T', @a(ssu) [], " EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                       "[('', false, @a(uss) [])])", GRO_ERROR_PROTOCOL, "An enumeration name");
  assert_wire_refused ("('T', @a(ssu) [], " EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                       "[('E', false, [(uint32 0, '', 'x')])])", GRO_ERROR_PROTOCOL,
                       "An enumeration value name");
  assert_wire_refused ("('T', @a(ssu) [], " EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                       "[('E', false, [(uint32 0, 'X', '')])])", GRO_ERROR_PROTOCOL,
                       "nick");
}

static void
test_wire_duplicates (void)
{
  assert_wire_refused ("('T', [('a', 'gint', uint32 1), ('a', 'gint', 1)], " EMPTY_SIGNALS ", "
                       EMPTY_METHODS ", " EMPTY_ENUMS ")", GRO_ERROR_PROTOCOL,
                       "The property 'a' is listed twice");
  assert_wire_refused ("('T', @a(ssu) [], [('s', @as []), ('s', @as [])], " EMPTY_METHODS ", "
                       EMPTY_ENUMS ")", GRO_ERROR_PROTOCOL, "The signal 's' is listed twice");
  assert_wire_refused ("('T', @a(ssu) [], " EMPTY_SIGNALS ", [('m', @as [], ''), "
                       "('m', @as [], '')], " EMPTY_ENUMS ")", GRO_ERROR_PROTOCOL,
                       "The method 'm' is listed twice");
  /* A method may not take a signal's name. */
  assert_wire_refused ("('T', @a(ssu) [], [('x', @as [])], [('x', @as [], '')], " EMPTY_ENUMS ")",
                       GRO_ERROR_PROTOCOL, "The method 'x' is listed twice");
  assert_wire_refused ("('T', @a(ssu) [], " EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                       "[('E', false, @a(uss) []), ('E', true, @a(uss) [])])",
                       GRO_ERROR_PROTOCOL, "The enumeration name 'E' is used twice");
  /* An enumeration may not take a built-in type's name. */
  assert_wire_refused ("('T', @a(ssu) [], " EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                       "[('gint', false, @a(uss) [])])", GRO_ERROR_PROTOCOL, "'gint'");

  /* A property and a signal may share a name. */
  {
    g_autoptr(GroSchema) schema = assert_wire_accepted ("('T', [('x', 'gint', uint32 1)], "
                                                        "[('x', @as [])], " EMPTY_METHODS ", "
                                                        EMPTY_ENUMS ")");
  }
}

static void
test_wire_types (void)
{
  const char *unknown[] = { "int", "gchar*", "GObject", "", "GINT", "SchemaColor" };

  for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autofree char *prop = g_strdup_printf ("('T', [('p', '%s', uint32 1)], " EMPTY_SIGNALS
                                               ", " EMPTY_METHODS ", " EMPTY_ENUMS ")",
                                               unknown[i]);
      g_autofree char *arg = g_strdup_printf ("('T', @a(ssu) [], [('s', ['gint', '%s'])], "
                                              EMPTY_METHODS ", " EMPTY_ENUMS ")", unknown[i]);
      g_autofree char *ret = g_strdup_printf ("('T', @a(ssu) [], " EMPTY_SIGNALS ", "
                                              "[('m', @as [], '%s')], " EMPTY_ENUMS ")",
                                              unknown[i]);

      /* An empty return type means "returns nothing". */
      if (unknown[i][0] != '\0')
        assert_wire_refused (ret, GRO_ERROR_PROTOCOL, "The return value of method 'm'");
      assert_wire_refused (prop, GRO_ERROR_PROTOCOL, "Property 'p' has unknown type");
      assert_wire_refused (arg, GRO_ERROR_PROTOCOL, "Argument 2 of signal 's'");
    }

  /* Listed enumerations are types; flags too. */
  {
    g_autoptr(GroSchema) schema = assert_wire_accepted (
      "('T', [('p', 'Mode', uint32 1), ('q', 'Bits', 3)], [('s', ['Mode'])], "
      "[('m', ['Bits'], 'Mode')], "
      "[('Mode', false, [(uint32 0, 'MODE_A', 'a')]), ('Bits', true, @a(uss) [])])");

    g_assert_cmpint (schema->properties[0].type.kind, ==, GRO_KIND_ENUM);
    g_assert_cmpint (schema->properties[1].type.kind, ==, GRO_KIND_FLAGS);
    g_assert_cmpuint (schema->properties[0].type.gtype, ==, G_TYPE_INVALID);
    g_assert_true (g_variant_type_equal (schema->values_type, G_VARIANT_TYPE ("(iu)")));
    g_assert_true (g_variant_type_equal (schema->methods[0].ret_type, G_VARIANT_TYPE ("(i)")));
  }
}

static void
test_wire_flags (void)
{
  const guint32 bad[] = { 0, 2, 4, 5, 0x80000001 };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("('T', [('p', 'gint', uint32 %u)], "
                                               EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                                               EMPTY_ENUMS ")", bad[i]);
      assert_wire_refused (text, GRO_ERROR_PROTOCOL, "invalid flags");
    }
}

static GVariant *
schema_with_counts (guint n_properties,
                    guint n_signals,
                    guint n_methods,
                    guint n_enums,
                    guint n_values,
                    guint n_args)
{
  GVariantBuilder props, sigs, methods, enums, values, args;

  g_variant_builder_init (&props, G_VARIANT_TYPE ("a(ssu)"));
  for (guint i = 0; i < n_properties; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u", i);
      g_variant_builder_add (&props, "(ssu)", name, "gint", 1);
    }

  g_variant_builder_init (&args, G_VARIANT_TYPE ("as"));
  for (guint i = 0; i < n_args; i++)
    g_variant_builder_add (&args, "s", "gint");

  g_variant_builder_init (&sigs, G_VARIANT_TYPE ("a(sas)"));
  for (guint i = 0; i < n_signals; i++)
    {
      g_autofree char *name = g_strdup_printf ("s%u", i);
      g_variant_builder_add (&sigs, "(s@as)", name,
                             i == 0 ? g_variant_builder_end (&args) : g_variant_new_strv (NULL, 0));
    }
  if (n_signals == 0)
    g_variant_builder_clear (&args);

  g_variant_builder_init (&methods, G_VARIANT_TYPE ("a(sass)"));
  for (guint i = 0; i < n_methods; i++)
    {
      g_autofree char *name = g_strdup_printf ("m%u", i);
      g_variant_builder_add (&methods, "(s@ass)", name, g_variant_new_strv (NULL, 0), "");
    }

  g_variant_builder_init (&values, G_VARIANT_TYPE ("a(uss)"));
  for (guint i = 0; i < n_values; i++)
    g_variant_builder_add (&values, "(uss)", i, "V", "v");

  g_variant_builder_init (&enums, G_VARIANT_TYPE ("a(sba(uss))"));
  for (guint i = 0; i < n_enums; i++)
    {
      g_autofree char *name = g_strdup_printf ("E%u", i);
      g_variant_builder_add (&enums, "(sb@a(uss))", name, FALSE,
                             i == 0 ? g_variant_builder_end (&values)
                                    : g_variant_new_array (G_VARIANT_TYPE ("(uss)"), NULL, 0));
    }
  if (n_enums == 0)
    g_variant_builder_clear (&values);

  return g_variant_ref_sink (g_variant_new ("(sa(ssu)a(sas)a(sass)a(sba(uss)))", "T",
                                            &props, &sigs, &methods, &enums));
}

static void
assert_counts (guint        n_properties,
               guint        n_signals,
               guint        n_methods,
               guint        n_enums,
               guint        n_values,
               guint        n_args,
               int          code,
               const char  *fragment)
{
  g_autoptr(GVariant) variant = schema_with_counts (n_properties, n_signals, n_methods,
                                                    n_enums, n_values, n_args);
  g_autoptr(GError) error = NULL;
  g_autoptr(GroSchema) schema = gro_schema_new_from_variant (variant, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_nonnull (schema);
      return;
    }
  g_assert_null (schema);
  g_assert_error (error, GRO_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_wire_bounds (void)
{
  const guint M = GRO_SCHEMA_MAX_MEMBERS;

  /* At the bounds: fine. */
  assert_counts (M, M, M, GRO_SCHEMA_MAX_ENUMS, GRO_SCHEMA_MAX_ENUM_VALUES, GRO_SCHEMA_MAX_ARGS,
                 -1, NULL);

  /* One past. */
  assert_counts (M + 1, 0, 0, 0, 0, 0, GRO_ERROR_LIMIT_EXCEEDED, "more than 1024 members");
  assert_counts (0, M + 1, 0, 0, 0, 0, GRO_ERROR_LIMIT_EXCEEDED, "more than 1024 members");
  assert_counts (0, 0, M + 1, 0, 0, 0, GRO_ERROR_LIMIT_EXCEEDED, "more than 1024 members");
  assert_counts (0, 0, 0, GRO_SCHEMA_MAX_ENUMS + 1, 0, 0, GRO_ERROR_LIMIT_EXCEEDED,
                 "more than 256 enumerations");
  assert_counts (0, 0, 0, 1, GRO_SCHEMA_MAX_ENUM_VALUES + 1, 0, GRO_ERROR_LIMIT_EXCEEDED,
                 "more than 1024 values");
  assert_counts (0, 1, 0, 0, 0, GRO_SCHEMA_MAX_ARGS + 1, GRO_ERROR_PROTOCOL,
                 "has 33 arguments, more than 32");
}

/* ------------------------------------------------------------------------ */
/* Binding                                                                   */

static void
test_bind (void)
{
  g_autoptr(GroSchema) local = NULL;
  g_autoptr(GroSchema) remote = NULL;
  g_autoptr(GroSchema) remote_again = NULL;
  g_autoptr(GroSchema) lookup_only = NULL;
  g_autoptr(GroSchema) no_values = NULL;
  g_autoptr(GroSchema) broke = NULL;
  g_autoptr(GError) error = NULL;
  const char *remote_text =
    "('T', [('p', 'SchemaRemoteMode', uint32 1)], " EMPTY_SIGNALS ", " EMPTY_METHODS ", "
    "[('SchemaRemoteMode', false, [(uint32 0, 'OFF', 'off'), (2, 'ON', 'on')])])";
  guint budget = 5;

  /* An enumeration this process has: its own type, for free. */
  schema_color_get_type ();
  local = assert_wire_accepted ("('T', [('p', 'SchemaColor', uint32 1)], " EMPTY_SIGNALS ", "
                                EMPTY_METHODS ", [('SchemaColor', false, "
                                "[(uint32 0, 'SCHEMA_COLOR_RED', 'red')])])");
  g_assert_true (gro_schema_bind (local, &budget, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (budget, ==, 5);
  g_assert_cmpuint (local->properties[0].type.gtype, ==, schema_color_get_type ());

  /* One it does not have: made, for one unit of the budget, and kept. */
  remote = assert_wire_accepted (remote_text);
  g_assert_true (gro_schema_bind (remote, &budget, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (budget, ==, 4);
  g_assert_true (g_str_has_prefix (g_type_name (remote->properties[0].type.gtype),
                                   "GroRemote_SchemaRemoteMode_"));
  g_assert_true (G_TYPE_IS_ENUM (remote->properties[0].type.gtype));
  {
    g_autoptr(GEnumClass) klass = g_type_class_ref (remote->properties[0].type.gtype);

    g_assert_cmpuint (klass->n_values, ==, 2);
    g_assert_cmpstr (g_enum_get_value (klass, 2)->value_nick, ==, "on");
  }

  remote_again = assert_wire_accepted (remote_text);
  g_assert_true (gro_schema_bind (remote_again, &budget, &error));
  g_assert_cmpuint (budget, ==, 4);
  g_assert_cmpuint (remote_again->properties[0].type.gtype, ==,
                    remote->properties[0].type.gtype);

  /* A host only looks up. */
  lookup_only = assert_wire_accepted ("('T', [('p', 'SchemaUnknownMode', uint32 1)], "
                                      EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                                      "[('SchemaUnknownMode', false, [(uint32 0, 'A', 'a')])])");
  g_assert_false (gro_schema_bind (lookup_only, NULL, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_FAILED);
  g_clear_error (&error);

  /* No values: no enumeration can be made. */
  no_values = assert_wire_accepted ("('T', [('p', 'SchemaEmptyMode', uint32 1)], "
                                    EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                                    "[('SchemaEmptyMode', false, @a(uss) [])])");
  g_assert_false (gro_schema_bind (no_values, &budget, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* No budget left. */
  budget = 0;
  broke = assert_wire_accepted ("('T', [('p', 'SchemaPoorMode', uint32 1)], "
                                EMPTY_SIGNALS ", " EMPTY_METHODS ", "
                                "[('SchemaPoorMode', true, [(uint32 1, 'A', 'a')])])");
  g_assert_false (gro_schema_bind (broke, &budget, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED);
}

/* ------------------------------------------------------------------------ */
/* As a GDBusInterfaceInfo                                                   */

static void
assert_annotation (GDBusAnnotationInfo **annotations,
                   const char           *type_name)
{
  g_assert_cmpstr (g_dbus_annotation_info_lookup (annotations, "org.gtk.Gro.Type"), ==,
                   type_name);
}

static void
test_interface_info (void)
{
  g_autoptr(GroSchema) schema = schema_for (schema_all_get_type ());
  GDBusInterfaceInfo *info = gro_schema_get_interface_info (schema);
  GDBusPropertyInfo *prop;
  GDBusSignalInfo *sig;
  GDBusMethodInfo *method;
  guint n;

  g_assert_cmpstr (info->name, ==, "SchemaAll");
  g_assert_true (gro_schema_get_interface_info (schema) == info);

  /* Properties: wire types as signatures, gro's type names as annotations. */
  for (n = 0; info->properties[n] != NULL; n++)
    {
      const GroSchemaProperty *mine = &schema->properties[n];
      g_autofree char *wire = g_variant_type_dup_string (gro_value_type_wire_type (&mine->type));

      prop = info->properties[n];
      g_assert_cmpstr (prop->name, ==, mine->name);
      g_assert_cmpstr (prop->signature, ==, wire);
      assert_annotation (prop->annotations, mine->type.name);
      g_assert_true (prop->flags & G_DBUS_PROPERTY_INFO_FLAGS_READABLE);
      g_assert_cmpint (!!(prop->flags & G_DBUS_PROPERTY_INFO_FLAGS_WRITABLE), ==,
                       !!(mine->flags & GRO_SCHEMA_PROPERTY_WRITABLE));
    }
  g_assert_cmpuint (n, ==, schema->n_properties);

  prop = g_dbus_interface_info_lookup_property (info, "color");
  g_assert_cmpstr (prop->signature, ==, "i");
  assert_annotation (prop->annotations, "SchemaColor");
  prop = g_dbus_interface_info_lookup_property (info, "s");
  g_assert_cmpstr (prop->signature, ==, "ms");
  assert_annotation (prop->annotations, "gchararray");
  prop = g_dbus_interface_info_lookup_property (info, "read-only");
  g_assert_cmpint (prop->flags, ==, G_DBUS_PROPERTY_INFO_FLAGS_READABLE);

  /* Signals: arguments arg0, arg1, … */
  sig = g_dbus_interface_info_lookup_signal (info, "changed");
  g_assert_nonnull (sig);
  for (n = 0; sig->args[n] != NULL; n++)
    {
      g_autofree char *name = g_strdup_printf ("arg%u", n);
      g_assert_cmpstr (sig->args[n]->name, ==, name);
    }
  g_assert_cmpuint (n, ==, 17);
  g_assert_cmpstr (sig->args[16]->signature, ==, "u");
  assert_annotation (sig->args[16]->annotations, "SchemaBits");
  sig = g_dbus_interface_info_lookup_signal (info, "query");
  g_assert_null (sig->args[0]);
  g_assert_null (g_dbus_interface_info_lookup_signal (info, "add"));

  /* Methods: in arguments, and one out argument "result" if any. */
  method = g_dbus_interface_info_lookup_method (info, "paint");
  g_assert_nonnull (method);
  g_assert_cmpstr (method->in_args[0]->name, ==, "arg0");
  g_assert_cmpstr (method->in_args[0]->signature, ==, "i");
  assert_annotation (method->in_args[0]->annotations, "SchemaColor");
  g_assert_cmpstr (method->in_args[1]->signature, ==, "ms");
  g_assert_null (method->in_args[2]);
  g_assert_cmpstr (method->out_args[0]->name, ==, "result");
  g_assert_cmpstr (method->out_args[0]->signature, ==, "u");
  assert_annotation (method->out_args[0]->annotations, "SchemaBits");
  g_assert_null (method->out_args[1]);

  method = g_dbus_interface_info_lookup_method (info, "reset");
  g_assert_null (method->in_args[0]);
  g_assert_null (method->out_args[0]);
  g_assert_null (g_dbus_interface_info_lookup_method (info, "changed"));

  /* Every member once. */
  for (n = 0; info->signals[n] != NULL; n++)
    ;
  g_assert_cmpuint (n, ==, schema->n_signals);
  for (n = 0; info->methods[n] != NULL; n++)
    ;
  g_assert_cmpuint (n, ==, schema->n_methods);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schema/class/all-types", test_all_types);
  g_test_add_func ("/schema/class/ancestry", test_ancestry);
  g_test_add_func ("/schema/class/refused", test_refused_classes);
  g_test_add_func ("/schema/hash/stable", test_hash_stable);
  g_test_add_func ("/schema/hash/changes", test_hash_changes);
  g_test_add_func ("/schema/order/definition", test_order);
  g_test_add_func ("/schema/wire/minimal", test_wire_minimal);
  g_test_add_func ("/schema/wire/names", test_wire_names);
  g_test_add_func ("/schema/wire/duplicates", test_wire_duplicates);
  g_test_add_func ("/schema/wire/types", test_wire_types);
  g_test_add_func ("/schema/wire/flags", test_wire_flags);
  g_test_add_func ("/schema/wire/bounds", test_wire_bounds);
  g_test_add_func ("/schema/bind", test_bind);
  g_test_add_func ("/schema/interface-info", test_interface_info);

  return g_test_run ();
}
