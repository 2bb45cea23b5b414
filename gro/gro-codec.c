/* gro-codec.c: gro's own GValue <-> GVariant conversion
 *
 * GLib's g_dbus_gvalue_to_gvariant() loses float, char, long, enums, flags and
 * NULL strings, so gro carries values by its own table, switching on the
 * fundamental type; anything outside the table is refused, never guessed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "gro-codec-private.h"
#include "gro-error.h"

typedef struct
{
  const char *name;
  const char *wire;
} KindInfo;

static const KindInfo kind_info[] = {
  [GRO_KIND_INVALID] = { NULL,         NULL },
  [GRO_KIND_BOOLEAN] = { "gboolean",   "b" },
  [GRO_KIND_CHAR]    = { "gchar",      "y" },
  [GRO_KIND_UCHAR]   = { "guchar",     "y" },
  [GRO_KIND_INT]     = { "gint",       "i" },
  [GRO_KIND_UINT]    = { "guint",      "u" },
  [GRO_KIND_LONG]    = { "glong",      "x" },
  [GRO_KIND_ULONG]   = { "gulong",     "t" },
  [GRO_KIND_INT64]   = { "gint64",     "x" },
  [GRO_KIND_UINT64]  = { "guint64",    "t" },
  [GRO_KIND_FLOAT]   = { "gfloat",     "d" },
  [GRO_KIND_DOUBLE]  = { "gdouble",    "d" },
  [GRO_KIND_STRING]  = { "gchararray", "ms" },
  [GRO_KIND_STRV]    = { "GStrv",      "mas" },
  [GRO_KIND_BYTES]   = { "GBytes",     "may" },
  [GRO_KIND_VARIANT] = { "GVariant",   "mv" },
  [GRO_KIND_ENUM]    = { NULL,         "i" },
  [GRO_KIND_FLAGS]   = { NULL,         "u" },
};

GroKind
gro_kind_from_gtype (GType gtype)
{
  switch (G_TYPE_FUNDAMENTAL (gtype))
    {
    case G_TYPE_BOOLEAN: return GRO_KIND_BOOLEAN;
    case G_TYPE_CHAR:    return GRO_KIND_CHAR;
    case G_TYPE_UCHAR:   return GRO_KIND_UCHAR;
    case G_TYPE_INT:     return GRO_KIND_INT;
    case G_TYPE_UINT:    return GRO_KIND_UINT;
    case G_TYPE_LONG:    return GRO_KIND_LONG;
    case G_TYPE_ULONG:   return GRO_KIND_ULONG;
    case G_TYPE_INT64:   return GRO_KIND_INT64;
    case G_TYPE_UINT64:  return GRO_KIND_UINT64;
    case G_TYPE_FLOAT:   return GRO_KIND_FLOAT;
    case G_TYPE_DOUBLE:  return GRO_KIND_DOUBLE;
    case G_TYPE_STRING:  return GRO_KIND_STRING;
    case G_TYPE_VARIANT: return GRO_KIND_VARIANT;
    case G_TYPE_ENUM:    return GRO_KIND_ENUM;
    case G_TYPE_FLAGS:   return GRO_KIND_FLAGS;
    case G_TYPE_BOXED:
      if (gtype == G_TYPE_STRV)
        return GRO_KIND_STRV;
      if (gtype == G_TYPE_BYTES)
        return GRO_KIND_BYTES;
      return GRO_KIND_INVALID;
    default:
      return GRO_KIND_INVALID;
    }
}

/* Only the kinds with fixed names; enumerations are named by their type. */
GroKind
gro_kind_from_name (const char *name)
{
  for (guint k = GRO_KIND_BOOLEAN; k <= GRO_KIND_VARIANT; k++)
    if (g_str_equal (kind_info[k].name, name))
      return k;
  return GRO_KIND_INVALID;
}

const char *
gro_kind_name (GroKind kind)
{
  g_assert (kind < G_N_ELEMENTS (kind_info));
  return kind_info[kind].name;
}

GType
gro_kind_gtype (GroKind kind)
{
  switch (kind)
    {
    case GRO_KIND_BOOLEAN: return G_TYPE_BOOLEAN;
    case GRO_KIND_CHAR:    return G_TYPE_CHAR;
    case GRO_KIND_UCHAR:   return G_TYPE_UCHAR;
    case GRO_KIND_INT:     return G_TYPE_INT;
    case GRO_KIND_UINT:    return G_TYPE_UINT;
    case GRO_KIND_LONG:    return G_TYPE_LONG;
    case GRO_KIND_ULONG:   return G_TYPE_ULONG;
    case GRO_KIND_INT64:   return G_TYPE_INT64;
    case GRO_KIND_UINT64:  return G_TYPE_UINT64;
    case GRO_KIND_FLOAT:   return G_TYPE_FLOAT;
    case GRO_KIND_DOUBLE:  return G_TYPE_DOUBLE;
    case GRO_KIND_STRING:  return G_TYPE_STRING;
    case GRO_KIND_STRV:    return G_TYPE_STRV;
    case GRO_KIND_BYTES:   return G_TYPE_BYTES;
    case GRO_KIND_VARIANT: return G_TYPE_VARIANT;
    case GRO_KIND_ENUM:
    case GRO_KIND_FLAGS:
    case GRO_KIND_INVALID:
    default:
      return G_TYPE_INVALID;
    }
}

const GVariantType *
gro_kind_wire_type (GroKind kind)
{
  g_assert (kind > GRO_KIND_INVALID && kind < G_N_ELEMENTS (kind_info));
  return G_VARIANT_TYPE (kind_info[kind].wire);
}

void
gro_value_type_init (GroValueType *type,
                     GroKind       kind,
                     GType         gtype,
                     const char   *name)
{
  type->kind = kind;
  type->gtype = gtype ? gtype : gro_kind_gtype (kind);
  type->name = g_strdup (name ? name : gro_kind_name (kind));
}

void
gro_value_type_clear (GroValueType *type)
{
  g_clear_pointer (&type->name, g_free);
}

const GVariantType *
gro_value_type_wire_type (const GroValueType *type)
{
  return gro_kind_wire_type (type->kind);
}

/* GVariant strings must be UTF-8; GObject strings need not be. Invalid
 * sequences are replaced rather than dropping the whole value. */
static GVariant *
string_to_variant (const char *str)
{
  if (g_utf8_validate (str, -1, NULL))
    return g_variant_new_string (str);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (str, -1);
      return g_variant_new_string (valid);
    }
}

GVariant *
gro_value_to_variant (const GValue       *value,
                      const GroValueType *type)
{
  switch (type->kind)
    {
    case GRO_KIND_BOOLEAN:
      return g_variant_new_boolean (g_value_get_boolean (value));
    case GRO_KIND_CHAR:
      return g_variant_new_byte ((guchar) g_value_get_schar (value));
    case GRO_KIND_UCHAR:
      return g_variant_new_byte (g_value_get_uchar (value));
    case GRO_KIND_INT:
      return g_variant_new_int32 (g_value_get_int (value));
    case GRO_KIND_UINT:
      return g_variant_new_uint32 (g_value_get_uint (value));
    case GRO_KIND_LONG:
      return g_variant_new_int64 (g_value_get_long (value));
    case GRO_KIND_ULONG:
      return g_variant_new_uint64 (g_value_get_ulong (value));
    case GRO_KIND_INT64:
      return g_variant_new_int64 (g_value_get_int64 (value));
    case GRO_KIND_UINT64:
      return g_variant_new_uint64 (g_value_get_uint64 (value));
    case GRO_KIND_FLOAT:
      return g_variant_new_double (g_value_get_float (value));
    case GRO_KIND_DOUBLE:
      return g_variant_new_double (g_value_get_double (value));
    case GRO_KIND_ENUM:
      return g_variant_new_int32 (g_value_get_enum (value));
    case GRO_KIND_FLAGS:
      return g_variant_new_uint32 (g_value_get_flags (value));

    case GRO_KIND_STRING:
      {
        const char *str = g_value_get_string (value);
        return g_variant_new_maybe (G_VARIANT_TYPE_STRING,
                                    str ? string_to_variant (str) : NULL);
      }

    case GRO_KIND_STRV:
      {
        const char * const *strv = g_value_get_boxed (value);
        GVariant *array = NULL;

        if (strv != NULL)
          {
            GVariantBuilder builder;

            g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
            for (guint i = 0; strv[i] != NULL; i++)
              g_variant_builder_add_value (&builder, string_to_variant (strv[i]));
            array = g_variant_builder_end (&builder);
          }
        return g_variant_new_maybe (G_VARIANT_TYPE_STRING_ARRAY, array);
      }

    case GRO_KIND_BYTES:
      {
        GBytes *bytes = g_value_get_boxed (value);
        GVariant *array = NULL;

        if (bytes != NULL)
          array = g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, bytes, TRUE);
        return g_variant_new_maybe (G_VARIANT_TYPE_BYTESTRING, array);
      }

    case GRO_KIND_VARIANT:
      {
        GVariant *inner = g_value_get_variant (value);
        return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT,
                                    inner ? g_variant_new_variant (inner) : NULL);
      }

    case GRO_KIND_INVALID:
    default:
      g_assert_not_reached ();
    }
}

gboolean
gro_value_from_variant (GVariant            *variant,
                        const GroValueType  *type,
                        GValue              *value,
                        GError             **error)
{
  if (!g_variant_is_of_type (variant, gro_value_type_wire_type (type)))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS,
                   "Expected a value of type %s (%s), got %s",
                   type->name, kind_info[type->kind].wire,
                   g_variant_get_type_string (variant));
      return FALSE;
    }

  if (G_VALUE_TYPE (value) == G_TYPE_INVALID)
    g_value_init (value, type->gtype);
  g_assert (G_VALUE_HOLDS (value, type->gtype));

  switch (type->kind)
    {
    case GRO_KIND_BOOLEAN:
      g_value_set_boolean (value, g_variant_get_boolean (variant));
      break;
    case GRO_KIND_CHAR:
      g_value_set_schar (value, (gint8) g_variant_get_byte (variant));
      break;
    case GRO_KIND_UCHAR:
      g_value_set_uchar (value, g_variant_get_byte (variant));
      break;
    case GRO_KIND_INT:
      g_value_set_int (value, g_variant_get_int32 (variant));
      break;
    case GRO_KIND_UINT:
      g_value_set_uint (value, g_variant_get_uint32 (variant));
      break;
    case GRO_KIND_LONG:
      {
        gint64 v = g_variant_get_int64 (variant);
        if (v < G_MINLONG || v > G_MAXLONG)
          goto out_of_range;
        g_value_set_long (value, v);
      }
      break;
    case GRO_KIND_ULONG:
      {
        guint64 v = g_variant_get_uint64 (variant);
        if (v > G_MAXULONG)
          goto out_of_range;
        g_value_set_ulong (value, v);
      }
      break;
    case GRO_KIND_INT64:
      g_value_set_int64 (value, g_variant_get_int64 (variant));
      break;
    case GRO_KIND_UINT64:
      g_value_set_uint64 (value, g_variant_get_uint64 (variant));
      break;
    case GRO_KIND_FLOAT:
      /* Every float survives the trip through double exactly. */
      g_value_set_float (value, (float) g_variant_get_double (variant));
      break;
    case GRO_KIND_DOUBLE:
      g_value_set_double (value, g_variant_get_double (variant));
      break;
    case GRO_KIND_ENUM:
      g_value_set_enum (value, g_variant_get_int32 (variant));
      break;
    case GRO_KIND_FLAGS:
      g_value_set_flags (value, g_variant_get_uint32 (variant));
      break;

    case GRO_KIND_STRING:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (variant);
        g_value_set_string (value, inner ? g_variant_get_string (inner, NULL) : NULL);
      }
      break;

    case GRO_KIND_STRV:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (variant);
        g_value_take_boxed (value, inner ? g_variant_dup_strv (inner, NULL) : NULL);
      }
      break;

    case GRO_KIND_BYTES:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (variant);
        g_value_take_boxed (value, inner ? g_variant_get_data_as_bytes (inner) : NULL);
      }
      break;

    case GRO_KIND_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (variant);
        g_value_take_variant (value, inner ? g_variant_get_variant (inner) : NULL);
      }
      break;

    case GRO_KIND_INVALID:
    default:
      g_assert_not_reached ();
    }

  return TRUE;

out_of_range:
  g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE,
               "Value out of range for %s on this platform", type->name);
  return FALSE;
}

gboolean
gro_value_equal (const GValue *a,
                 const GValue *b)
{
  GType type = G_VALUE_TYPE (a);

  if (type != G_VALUE_TYPE (b))
    return FALSE;

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN: return g_value_get_boolean (a) == g_value_get_boolean (b);
    case G_TYPE_CHAR:    return g_value_get_schar (a) == g_value_get_schar (b);
    case G_TYPE_UCHAR:   return g_value_get_uchar (a) == g_value_get_uchar (b);
    case G_TYPE_INT:     return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_UINT:    return g_value_get_uint (a) == g_value_get_uint (b);
    case G_TYPE_LONG:    return g_value_get_long (a) == g_value_get_long (b);
    case G_TYPE_ULONG:   return g_value_get_ulong (a) == g_value_get_ulong (b);
    case G_TYPE_INT64:   return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_UINT64:  return g_value_get_uint64 (a) == g_value_get_uint64 (b);
    case G_TYPE_ENUM:    return g_value_get_enum (a) == g_value_get_enum (b);
    case G_TYPE_FLAGS:   return g_value_get_flags (a) == g_value_get_flags (b);
    case G_TYPE_FLOAT:
      {
        float fa = g_value_get_float (a), fb = g_value_get_float (b);
        /* Bitwise, so NaN equals itself and 0.0 differs from -0.0. */
        return memcmp (&fa, &fb, sizeof fa) == 0;
      }
    case G_TYPE_DOUBLE:
      {
        double da = g_value_get_double (a), db = g_value_get_double (b);
        return memcmp (&da, &db, sizeof da) == 0;
      }
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_VARIANT:
      {
        GVariant *va = g_value_get_variant (a), *vb = g_value_get_variant (b);
        if (va == NULL || vb == NULL)
          return va == vb;
        return g_variant_equal (va, vb);
      }
    case G_TYPE_BOXED:
      {
        gconstpointer pa = g_value_get_boxed (a), pb = g_value_get_boxed (b);
        if (pa == NULL || pb == NULL)
          return pa == pb;
        if (type == G_TYPE_STRV)
          return g_strv_equal (pa, pb);
        if (type == G_TYPE_BYTES)
          return g_bytes_equal (pa, pb);
        return pa == pb;
      }
    default:
      return FALSE;
    }
}

GVariantType *
gro_value_types_tuple (const GroValueType *types,
                       guint               n_types)
{
  g_autofree const GVariantType **items = g_new (const GVariantType *, n_types + 1);

  for (guint i = 0; i < n_types; i++)
    items[i] = gro_value_type_wire_type (&types[i]);

  return g_variant_type_new_tuple (items, n_types);
}

/* Accepts the natural type where the wire type is its maybe ("s" for "ms"),
 * inside tuples, so callers can write g_variant_new ("(s)", str). @value must
 * not be floating. Returns a new reference, or NULL when @value cannot be
 * made to fit. */
GVariant *
gro_variant_coerce (GVariant           *value,
                    const GVariantType *expected)
{
  g_assert (!g_variant_is_floating (value));

  if (g_variant_is_of_type (value, expected))
    return g_variant_ref (value);

  if (g_variant_type_is_maybe (expected) &&
      g_variant_is_of_type (value, g_variant_type_element (expected)))
    return g_variant_ref_sink (g_variant_new_maybe (NULL, value));

  if (g_variant_type_is_tuple (expected) && g_variant_is_of_type (value, G_VARIANT_TYPE_TUPLE) &&
      g_variant_n_children (value) == g_variant_type_n_items (expected))
    {
      g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      const GVariantType *item = g_variant_type_first (expected);
      gsize n = g_variant_n_children (value);

      for (gsize i = 0; i < n; i++, item = g_variant_type_next (item))
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
          GVariant *fitted = gro_variant_coerce (child, item);

          if (fitted == NULL)
            return NULL;
          g_ptr_array_add (children, fitted);
        }

      return g_variant_ref_sink (g_variant_new_tuple ((GVariant **) children->pdata, n));
    }

  return NULL;
}

/* How deeply a type nests, counting a variant as one level (its content is
 * a value's business). */
static guint
type_depth (const GVariantType *type)
{
  guint deepest = 0;

  if (g_variant_type_is_basic (type) || g_variant_type_is_variant (type))
    return 1;
  if (g_variant_type_is_array (type) || g_variant_type_is_maybe (type))
    return 1 + type_depth (g_variant_type_element (type));

  for (const GVariantType *item = g_variant_type_first (type); item != NULL;
       item = g_variant_type_next (item))
    deepest = MAX (deepest, type_depth (item));
  return 1 + deepest;
}

static gboolean
type_holds_variant (const GVariantType *type)
{
  return memchr (g_variant_type_peek_string (type), 'v',
                 g_variant_type_get_string_length (type)) != NULL;
}

/* Whether any value of @type, which holds no variant, nests at most @max
 * levels deep: a type nests at most as deep as its string is long. */
static gboolean
type_within (const GVariantType *type,
             guint               max)
{
  return g_variant_type_get_string_length (type) <= max || type_depth (type) <= max;
}

/* Whether @value nests at most @max levels deep. Only values whose type
 * holds a variant need a walk; for the others the type says it all. A
 * variant's content type sits at the end of its serialised data, so the
 * common frame body, a variant of a variant-free tuple, needs no walk. */
gboolean
gro_variant_depth_within (GVariant *value,
                          guint     max)
{
  const char *type = g_variant_get_type_string (value);
  gsize n;

  /* A type nests at most as deep as its string is long: most need no
   * walk of the type either (list items carry a schema in each). */
  if (strchr (type, 'v') == NULL)
    return strlen (type) <= max || type_depth (g_variant_get_type (value)) <= max;
  if (max <= 1)
    return FALSE;

  if (type[0] == 'v' && type[1] == '\0' && g_variant_is_normal_form (value))
    {
      const guint8 *data = g_variant_get_data (value);
      gsize content_size, type_len;
      const char *inner_type;
      char inner[64];

      if (gro_variant_data_split (data, g_variant_get_size (value), &content_size,
                                  &inner_type, &type_len) &&
          type_len < sizeof inner)
        {
          memcpy (inner, inner_type, type_len);
          inner[type_len] = '\0';
          /* A type nests at most as deep as its string is long: only a
           * long one needs checking and walking. */
          if (strchr (inner, 'v') == NULL &&
              (type_len < max || g_variant_type_string_is_valid (inner)))
            return type_len < max || type_depth (G_VARIANT_TYPE (inner)) < max;
        }
    }

  /* Only the members whose type holds a variant need a look at their
   * value: list items carry a schema, strings and numbers beside theirs. */
  {
    const GVariantType *vtype = g_variant_get_type (value);
    const GVariantType *item = NULL;
    gboolean same_item = g_variant_type_is_array (vtype) || g_variant_type_is_maybe (vtype);

    if (same_item)
      {
        item = g_variant_type_element (vtype);
        if (!type_holds_variant (item))
          return type_within (item, max - 1);
      }
    else if (!g_variant_type_is_variant (vtype))
      item = g_variant_type_first (vtype);

    n = g_variant_n_children (value);
    for (gsize i = 0; i < n; i++)
      {
        g_autoptr(GVariant) child = NULL;
        const GVariantType *this_item = item;

        if (item != NULL && !same_item)
          item = g_variant_type_next (item);
        if (this_item != NULL && !type_holds_variant (this_item))
          {
            if (!type_within (this_item, max - 1))
              return FALSE;
            continue;
          }
        child = g_variant_get_child_value (value, i);
        if (!gro_variant_depth_within (child, max - 1))
          return FALSE;
      }
  }
  return TRUE;
}

/* A variant holding @item, or the one-element tuple (@item) when @tuple,
 * serialised at once: a variant is laid out as its content, a zero byte and
 * the content's type, and a one-element tuple as its element. Frame bodies
 * are mostly these shapes; building them as trees of GVariants and
 * serialising those costs several times more. Sinks a floating @item, and
 * only borrows one that is not. */
static gsize
variant_of_size (GVariant *item,
                 gboolean  tuple)
{
  return g_variant_get_size (item) + 1 + strlen (g_variant_get_type_string (item)) +
         (tuple ? 2 : 0);
}

/* Writes the variant holding @item (or its one-element tuple) to @out,
 * which has room for variant_of_size() bytes, aligned for @item. */
static void
store_variant_of (GVariant *item,
                  gboolean  tuple,
                  guint8   *out)
{
  const char *type = g_variant_get_type_string (item);
  gsize size = g_variant_get_size (item);
  gsize type_len = strlen (type);

  /* Straight into @out: a value built from parts (a caller's "(ii)") is
   * serialised once, not first into a buffer of its own. */
  if (size > 0)
    g_variant_store (item, out);
  out += size;
  *out++ = '\0';
  if (tuple)
    *out++ = '(';
  memcpy (out, type, type_len);
  out += type_len;
  if (tuple)
    *out++ = ')';
}

static GVariant *
new_variant_of (GVariant *item,
                gboolean  tuple)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (item);
  gsize total = variant_of_size (owned, tuple);
  guint8 *data = g_malloc (total);

  store_variant_of (owned, tuple, data);
  return g_variant_new_from_data (G_VARIANT_TYPE_VARIANT, data, total, TRUE, g_free, data);
}

/* The serialised form of gro_variant_new_boxed (@item), little-endian,
 * written to @out (8-byte aligned) if it has room: its size, else 0. */
gsize
gro_variant_store_boxed (GVariant *item,
                         guint8   *out,
                         gsize     out_size)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  gsize total = variant_of_size (item, FALSE);

  if (total > out_size)
    return 0;
  store_variant_of (item, FALSE, out);
  return total;
#else
  return 0;
#endif
}

GVariant *
gro_variant_new_single (GVariant *item)
{
  return new_variant_of (item, TRUE);
}

GVariant *
gro_variant_new_boxed (GVariant *item)
{
  return new_variant_of (item, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Fixed-size values straight from their bytes                               */

/* The size of a kind's wire value when it is fixed (its alignment too), or
 * 0. */
static gsize
fixed_size (GroKind kind)
{
  switch (kind)
    {
    case GRO_KIND_BOOLEAN:
    case GRO_KIND_CHAR:
    case GRO_KIND_UCHAR:
      return 1;
    case GRO_KIND_INT:
    case GRO_KIND_UINT:
    case GRO_KIND_ENUM:
    case GRO_KIND_FLAGS:
      return 4;
    case GRO_KIND_INT64:
    case GRO_KIND_UINT64:
    case GRO_KIND_DOUBLE:
    case GRO_KIND_FLOAT:
      return 8;
    case GRO_KIND_LONG:
    case GRO_KIND_ULONG:
      return sizeof (glong) == 8 ? 8 : 0;  /* else the range needs checking */
    default:
      return 0;
    }
}

static void
set_fixed (const guint8 *p,
           GroKind       kind,
           GValue       *value)
{
  guint32 u32 = 0;
  guint64 u64 = 0;
  double d = 0;

  switch (fixed_size (kind))
    {
    case 4:
      memcpy (&u32, p, 4);
      u32 = GUINT32_FROM_LE (u32);
      break;
    case 8:
      memcpy (&u64, p, 8);
      u64 = GUINT64_FROM_LE (u64);
      memcpy (&d, &u64, 8);
      break;
    default:
      break;
    }

  switch (kind)
    {
    case GRO_KIND_BOOLEAN: g_value_set_boolean (value, p[0]); break;
    case GRO_KIND_CHAR:    g_value_set_schar (value, (gint8) p[0]); break;
    case GRO_KIND_UCHAR:   g_value_set_uchar (value, p[0]); break;
    case GRO_KIND_INT:     g_value_set_int (value, (gint32) u32); break;
    case GRO_KIND_UINT:    g_value_set_uint (value, u32); break;
    case GRO_KIND_ENUM:    g_value_set_enum (value, (gint32) u32); break;
    case GRO_KIND_FLAGS:   g_value_set_flags (value, u32); break;
    case GRO_KIND_INT64:   g_value_set_int64 (value, (gint64) u64); break;
    case GRO_KIND_UINT64:  g_value_set_uint64 (value, u64); break;
    case GRO_KIND_LONG:    g_value_set_long (value, (glong) u64); break;
    case GRO_KIND_ULONG:   g_value_set_ulong (value, (gulong) u64); break;
    case GRO_KIND_DOUBLE:  g_value_set_double (value, d); break;
    case GRO_KIND_FLOAT:   g_value_set_float (value, (float) d); break;
    default:               g_assert_not_reached ();
    }
}

/* Where each of @n values of fixed-size @types sits in the serialised
 * tuple of them (each aligned to its size), and the tuple's size. FALSE
 * when a type is not of fixed size, or there are too many. */
static gboolean
fixed_layout (const GroValueType *types,
              guint               n,
              gsize               offsets[16],
              gsize              *size)
{
  gsize offset = 0;
  gsize align = 1;

  if (n == 0 || n > 16)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      gsize item = fixed_size (types[i].kind);

      if (item == 0)
        return FALSE;
      offset = (offset + item - 1) & ~(item - 1);
      offsets[i] = offset;
      offset += item;
      align = MAX (align, item);
    }
  *size = (offset + align - 1) & ~(align - 1);
  return TRUE;
}

/* Reads @n values of the @types from @data, the serialised form of the
 * tuple of their wire types (or of the one value: a fixed-size value and the
 * tuple of it are the same bytes), without making GVariants: for the bodies gro sends most, a
 * GVariant per value costs more than the rest of the message. Returns
 * FALSE, having set nothing, unless every type is fixed-size and @size is
 * exactly the tuple's: then read it the general way, which also says what
 * is wrong. */
gboolean
gro_values_from_fixed_data (const guint8       *data,
                            gsize               size,
                            const GroValueType *types,
                            guint               n,
                            GValue             *values)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  gsize offsets[16];
  gsize tuple_size;

  if (!fixed_layout (types, n, offsets, &tuple_size) || tuple_size != size)
    return FALSE;
  /* Normal form: a boolean is 0 or 1; leave anything else to GLib. */
  for (guint i = 0; i < n; i++)
    if (types[i].kind == GRO_KIND_BOOLEAN && data[offsets[i]] > 1)
      return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (G_VALUE_TYPE (&values[i]) == G_TYPE_INVALID)
        g_value_init (&values[i], types[i].gtype);
      set_fixed (data + offsets[i], types[i].kind, &values[i]);
    }
  return TRUE;
#else
  return FALSE;
#endif
}

/* The content of a serialised variant in normal form, @data of @size
 * bytes: where its value's bytes end, and its type string. */
gboolean
gro_variant_data_split (const guint8  *data,
                        gsize          size,
                        gsize         *content_size,
                        const char   **type,
                        gsize         *type_len)
{
  gsize i = size;

  while (i > 0 && data[i - 1] != '\0')
    i--;
  if (i == 0 || i == size)
    return FALSE;

  *content_size = i - 1;
  *type = (const char *) data + i;
  *type_len = size - i;
  return TRUE;
}

static void
put_fixed (guint8       *p,
           GroKind       kind,
           const GValue *value)
{
  guint32 u32 = 0;
  guint64 u64 = 0;
  double d;

  switch (kind)
    {
    case GRO_KIND_BOOLEAN: p[0] = g_value_get_boolean (value) ? 1 : 0; return;
    case GRO_KIND_CHAR:    p[0] = (guint8) g_value_get_schar (value); return;
    case GRO_KIND_UCHAR:   p[0] = g_value_get_uchar (value); return;
    case GRO_KIND_INT:     u32 = (guint32) g_value_get_int (value); break;
    case GRO_KIND_UINT:    u32 = g_value_get_uint (value); break;
    case GRO_KIND_ENUM:    u32 = (guint32) g_value_get_enum (value); break;
    case GRO_KIND_FLAGS:   u32 = g_value_get_flags (value); break;
    case GRO_KIND_INT64:   u64 = (guint64) g_value_get_int64 (value); break;
    case GRO_KIND_UINT64:  u64 = g_value_get_uint64 (value); break;
    case GRO_KIND_LONG:    u64 = (guint64) g_value_get_long (value); break;
    case GRO_KIND_ULONG:   u64 = g_value_get_ulong (value); break;
    case GRO_KIND_DOUBLE:  d = g_value_get_double (value); memcpy (&u64, &d, 8); break;
    case GRO_KIND_FLOAT:   d = g_value_get_float (value); memcpy (&u64, &d, 8); break;
    default:               g_assert_not_reached ();
    }

  if (fixed_size (kind) == 4)
    {
      u32 = GUINT32_TO_LE (u32);
      memcpy (p, &u32, 4);
    }
  else
    {
      u64 = GUINT64_TO_LE (u64);
      memcpy (p, &u64, 8);
    }
}

/* Writes the frame body for @n values of fixed-size @types into @out: a
 * variant holding their tuple (@tuple) or the one value, serialised by
 * hand, as gro_variant_new_single() and gro_variant_new_boxed() would make
 * it from GVariants, at a fraction of the cost. Returns its size, or 0 when
 * a type is not of fixed size or it needs more than @out_size bytes: then
 * build it the general way. */
gsize
gro_fixed_body_write (const GValue       *values,
                      const GroValueType *types,
                      guint               n,
                      gboolean            tuple,
                      guint8             *out,
                      gsize               out_size)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  gsize offsets[16];
  gsize offset;
  gsize total;
  guint8 *p;

  if ((n > 1 && !tuple) || !fixed_layout (types, n, offsets, &offset))
    return 0;

  /* The content, a zero byte, then its type: "(ii)" or "i". */
  total = offset + 1 + n + (tuple ? 2 : 0);
  if (total > out_size)
    return 0;
  memset (out, 0, offset + 1);
  for (guint i = 0; i < n; i++)
    put_fixed (out + offsets[i], types[i].kind, &values[i]);
  p = out + offset + 1;
  if (tuple)
    *p++ = '(';
  for (guint i = 0; i < n; i++)
    *p++ = kind_info[types[i].kind].wire[0];
  if (tuple)
    *p++ = ')';
  return total;
#else
  return 0;
#endif
}

/* gro_fixed_body_write() as a GVariant; NULL when it cannot. */
GVariant *
gro_variant_new_fixed_body (const GValue       *values,
                            const GroValueType *types,
                            guint               n,
                            gboolean            tuple)
{
  guint8 buffer[GRO_FIXED_BODY_MAX];
  gsize size = gro_fixed_body_write (values, types, n, tuple, buffer, sizeof buffer);
  gpointer data;

  if (size == 0)
    return NULL;
  data = g_memdup2 (buffer, size);
  return g_variant_new_from_data (G_VARIANT_TYPE_VARIANT, data, size, TRUE, g_free, data);
}

/* Whether @data, a serialised variant of @size bytes in normal form, holds
 * a value of @type; if so, sets @content_size to the size of that value,
 * whose bytes start at @data. */
static gboolean
variant_data_holds (const guint8       *data,
                    gsize               size,
                    const GVariantType *type,
                    gsize              *content_size)
{
  const char *inner;
  gsize inner_len;

  return data != NULL &&
         gro_variant_data_split (data, size, content_size, &inner, &inner_len) &&
         inner_len == g_variant_type_get_string_length (type) &&
         memcmp (inner, g_variant_type_peek_string (type), inner_len) == 0;
}

/* The @n values of @types from a frame body (@data, @size bytes): a
 * variant of @type, the tuple of the types' wire types or the one value.
 * Read straight from the bytes when they are all of fixed size (see
 * gro_values_from_fixed_data()); FALSE, having set nothing: read them the
 * general way. */
gboolean
gro_values_from_fixed_body (const guint8       *data,
                            gsize               size,
                            const GVariantType *type,
                            const GroValueType *types,
                            guint               n,
                            GValue             *values)
{
  gsize content_size;

  return variant_data_holds (data, size, type, &content_size) &&
         gro_values_from_fixed_data (data, content_size, types, n, values);
}

/* The body of a reply: a variant of the tuple of @value. */
GVariant *
gro_variant_new_single_value (const GValue       *value,
                              const GroValueType *type)
{
  GVariant *body = gro_variant_new_fixed_body (value, type, 1, TRUE);

  return body != NULL ? body : gro_variant_new_single (gro_value_to_variant (value, type));
}
