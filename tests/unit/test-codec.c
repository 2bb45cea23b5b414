/* test-codec.c: GValue <-> GVariant, as doc/values.md describes it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "gro-codec-private.h"
#include "gro-error.h"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GroValueType, gro_value_type_clear)

/* GVariantType strings are not NUL-terminated. */
#define assert_type_is(type, string) \
  g_assert_true (g_variant_type_equal ((type), G_VARIANT_TYPE (string)))

/* An enumeration with a negative value and a gap, and flags. */

typedef enum
{
  TEST_COLOR_NONE = -1,
  TEST_COLOR_RED = 0,
  TEST_COLOR_BLUE = 7,
} TestColor;

typedef enum
{
  TEST_BITS_A = 1 << 0,
  TEST_BITS_B = 1 << 1,
  TEST_BITS_HIGH = 1u << 31,
} TestBits;

static GType
test_color_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { TEST_COLOR_NONE, "TEST_COLOR_NONE", "none" },
    { TEST_COLOR_RED, "TEST_COLOR_RED", "red" },
    { TEST_COLOR_BLUE, "TEST_COLOR_BLUE", "blue" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("TestColor", values));
  return type;
}

static GType
test_bits_get_type (void)
{
  static gsize type = 0;
  static const GFlagsValue values[] = {
    { TEST_BITS_A, "TEST_BITS_A", "a" },
    { TEST_BITS_B, "TEST_BITS_B", "b" },
    { TEST_BITS_HIGH, "TEST_BITS_HIGH", "high" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_flags_register_static ("TestBits", values));
  return type;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

/* Sends @value through the codec and through serialized bytes, as it goes
 * over the wire; checks the wire type and, if given, the wire text; returns
 * the value decoded (unset it). */
static void
roundtrip (const GValue *value,
           GroKind       kind,
           GType         gtype,
           const char   *wire_text,
           GValue       *out)
{
  g_auto(GroValueType) type = { 0 };
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) received = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  gro_value_type_init (&type, kind, gtype, gtype ? g_type_name (gtype) : NULL);

  variant = g_variant_ref_sink (gro_value_to_variant (value, &type));
  g_assert_true (g_variant_is_of_type (variant, gro_kind_wire_type (kind)));
  if (wire_text != NULL)
    {
      g_autofree char *text = g_variant_print (variant, TRUE);
      g_assert_cmpstr (text, ==, wire_text);
    }

  /* What a peer reads: untrusted bytes, in normal form. */
  bytes = g_variant_get_data_as_bytes (variant);
  received = g_variant_ref_sink (g_variant_new_from_bytes (g_variant_get_type (variant),
                                                           bytes, FALSE));
  g_assert_true (g_variant_is_normal_form (received));

  g_assert_true (gro_value_from_variant (received, &type, out, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (G_VALUE_TYPE (out), ==, G_VALUE_TYPE (value));
}

/* The value comes back equal. */
static void
assert_roundtrip (const GValue *value,
                  GroKind       kind,
                  const char   *wire_text)
{
  g_auto(GValue) out = G_VALUE_INIT;
  GType gtype = G_VALUE_TYPE (value);

  roundtrip (value, kind, gtype == gro_kind_gtype (kind) ? 0 : gtype, wire_text, &out);
  if (!gro_value_equal (value, &out))
    {
      g_autofree char *a = g_strdup_value_contents (value);
      g_autofree char *b = g_strdup_value_contents (&out);
      g_error ("%s came back as %s", a, b);
    }
}

/* ------------------------------------------------------------------------ */
/* Round trips                                                               */

static void
test_boolean (void)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, TRUE);
  assert_roundtrip (&v, GRO_KIND_BOOLEAN, "true");
  g_value_set_boolean (&v, FALSE);
  assert_roundtrip (&v, GRO_KIND_BOOLEAN, "false");
}

static void
test_char (void)
{
  static const struct { gint8 value; const char *wire; } cases[] = {
    { G_MININT8, "byte 0x80" },
    { -1, "byte 0xff" },
    { 0, "byte 0x00" },
    { 'A', "byte 0x41" },
    { G_MAXINT8, "byte 0x7f" },
  };
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_CHAR);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GValue) out = G_VALUE_INIT;

      g_value_set_schar (&v, cases[i].value);
      roundtrip (&v, GRO_KIND_CHAR, 0, cases[i].wire, &out);
      g_assert_cmpint (g_value_get_schar (&out), ==, cases[i].value);
    }
}

static void
test_uchar (void)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_UCHAR);
  g_value_set_uchar (&v, 0);
  assert_roundtrip (&v, GRO_KIND_UCHAR, "byte 0x00");
  g_value_set_uchar (&v, G_MAXUINT8);
  assert_roundtrip (&v, GRO_KIND_UCHAR, "byte 0xff");
}

static void
test_integers (void)
{
  g_auto(GValue) i = G_VALUE_INIT;
  g_auto(GValue) u = G_VALUE_INIT;
  g_auto(GValue) i64 = G_VALUE_INIT;
  g_auto(GValue) u64 = G_VALUE_INIT;

  g_value_init (&i, G_TYPE_INT);
  g_value_set_int (&i, G_MININT32);
  assert_roundtrip (&i, GRO_KIND_INT, "-2147483648");
  g_value_set_int (&i, G_MAXINT32);
  assert_roundtrip (&i, GRO_KIND_INT, "2147483647");

  g_value_init (&u, G_TYPE_UINT);
  g_value_set_uint (&u, 0);
  assert_roundtrip (&u, GRO_KIND_UINT, "uint32 0");
  g_value_set_uint (&u, G_MAXUINT32);
  assert_roundtrip (&u, GRO_KIND_UINT, "uint32 4294967295");

  g_value_init (&i64, G_TYPE_INT64);
  g_value_set_int64 (&i64, G_MININT64);
  assert_roundtrip (&i64, GRO_KIND_INT64, "int64 -9223372036854775808");
  g_value_set_int64 (&i64, G_MAXINT64);
  assert_roundtrip (&i64, GRO_KIND_INT64, "int64 9223372036854775807");

  g_value_init (&u64, G_TYPE_UINT64);
  g_value_set_uint64 (&u64, 0);
  assert_roundtrip (&u64, GRO_KIND_UINT64, "uint64 0");
  g_value_set_uint64 (&u64, G_MAXUINT64);
  assert_roundtrip (&u64, GRO_KIND_UINT64, "uint64 18446744073709551615");
}

/* glong and gulong are 64-bit on the wire whatever their size here. */
static void
test_long (void)
{
  g_auto(GValue) l = G_VALUE_INIT;
  g_auto(GValue) ul = G_VALUE_INIT;
  g_autofree char *min = g_strdup_printf ("int64 %ld", G_MINLONG);
  g_autofree char *max = g_strdup_printf ("int64 %ld", G_MAXLONG);
  g_autofree char *umax = g_strdup_printf ("uint64 %lu", G_MAXULONG);

  g_value_init (&l, G_TYPE_LONG);
  g_value_set_long (&l, G_MINLONG);
  assert_roundtrip (&l, GRO_KIND_LONG, min);
  g_value_set_long (&l, G_MAXLONG);
  assert_roundtrip (&l, GRO_KIND_LONG, max);

  g_value_init (&ul, G_TYPE_ULONG);
  g_value_set_ulong (&ul, 0);
  assert_roundtrip (&ul, GRO_KIND_ULONG, "uint64 0");
  g_value_set_ulong (&ul, G_MAXULONG);
  assert_roundtrip (&ul, GRO_KIND_ULONG, umax);
}

/* A 64-bit value that does not fit this platform's glong is refused. */
static void
test_long_range (void)
{
  g_auto(GroValueType) l = { 0 };
  g_auto(GroValueType) ul = { 0 };
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) big = g_variant_ref_sink (g_variant_new_int64 (G_MAXINT64));
  g_autoptr(GVariant) ubig = g_variant_ref_sink (g_variant_new_uint64 (G_MAXUINT64));

  gro_value_type_init (&l, GRO_KIND_LONG, 0, NULL);
  gro_value_type_init (&ul, GRO_KIND_ULONG, 0, NULL);

  if (sizeof (long) == 8)
    {
      /* They fit: what a 32-bit process would refuse, this one takes. */
      g_assert_true (gro_value_from_variant (big, &l, &out, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_value_get_long (&out), ==, G_MAXLONG);
      g_value_unset (&out);
      g_assert_true (gro_value_from_variant (ubig, &ul, &out, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_value_get_ulong (&out), ==, G_MAXULONG);
      return;
    }

  g_assert_false (gro_value_from_variant (big, &l, &out, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "glong"));
  g_clear_error (&error);
  g_value_unset (&out);
  g_assert_false (gro_value_from_variant (ubig, &ul, &out, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE);
}

static guint32
float_bits (float f)
{
  guint32 bits;

  memcpy (&bits, &f, sizeof bits);
  return bits;
}

static guint64
double_bits (double d)
{
  guint64 bits;

  memcpy (&bits, &d, sizeof bits);
  return bits;
}

static void
test_float (void)
{
  const float cases[] = {
    0.0f, -0.0f, 1.0f, 0.1f, -3.5f, FLT_MIN, FLT_MAX, -FLT_MAX,
    FLT_MIN / 4.0f /* subnormal */, FLT_EPSILON, INFINITY, -INFINITY, NAN,
  };
  g_auto(GroValueType) type = { 0 };
  g_auto(GValue) v = G_VALUE_INIT;

  gro_value_type_init (&type, GRO_KIND_FLOAT, 0, NULL);
  g_value_init (&v, G_TYPE_FLOAT);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GValue) out = G_VALUE_INIT;
      g_autoptr(GVariant) wire = NULL;

      g_value_set_float (&v, cases[i]);

      /* On the wire: the same number, as a double. */
      wire = g_variant_ref_sink (gro_value_to_variant (&v, &type));
      g_assert_cmpstr (g_variant_get_type_string (wire), ==, "d");
      if (isnan (cases[i]))
        g_assert_true (isnan (g_variant_get_double (wire)));
      else
        g_assert_cmpuint (double_bits (g_variant_get_double (wire)), ==,
                          double_bits ((double) cases[i]));

      /* Back: bit for bit. */
      roundtrip (&v, GRO_KIND_FLOAT, 0, NULL, &out);
      g_assert_cmpuint (float_bits (g_value_get_float (&out)), ==, float_bits (cases[i]));
      g_assert_true (gro_value_equal (&v, &out));
    }
}

/* A double that is not a float, as a peer that is not gro may send. */
static void
test_float_from_double (void)
{
  g_auto(GroValueType) type = { 0 };
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(GVariant) tenth = g_variant_ref_sink (g_variant_new_double (0.1));
  g_autoptr(GVariant) huge = g_variant_ref_sink (g_variant_new_double (1e300));

  gro_value_type_init (&type, GRO_KIND_FLOAT, 0, NULL);

  g_assert_true (gro_value_from_variant (tenth, &type, &out, NULL));
  g_assert_cmpuint (float_bits (g_value_get_float (&out)), ==, float_bits (0.1f));
  g_assert_true (gro_value_from_variant (huge, &type, &out, NULL));
  g_assert_true (isinf (g_value_get_float (&out)));
}

static void
test_double (void)
{
  const double cases[] = {
    0.0, -0.0, 0.1, -1e-300, DBL_MIN, DBL_MAX, -DBL_MAX, DBL_MIN / 8.0 /* subnormal */,
    DBL_EPSILON, INFINITY, -INFINITY, NAN,
  };
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_DOUBLE);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GValue) out = G_VALUE_INIT;

      g_value_set_double (&v, cases[i]);
      roundtrip (&v, GRO_KIND_DOUBLE, 0, NULL, &out);
      g_assert_cmpuint (double_bits (g_value_get_double (&out)), ==, double_bits (cases[i]));
    }

  /* A NaN with a payload keeps it. */
  {
    g_auto(GValue) out = G_VALUE_INIT;
    guint64 bits = G_GUINT64_CONSTANT (0x7ff8000000012345);
    double nan_payload;

    memcpy (&nan_payload, &bits, sizeof bits);
    g_value_set_double (&v, nan_payload);
    roundtrip (&v, GRO_KIND_DOUBLE, 0, NULL, &out);
    g_assert_cmpuint (double_bits (g_value_get_double (&out)), ==, bits);
  }
}

static void
test_string (void)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);

  /* NULL and "" stay apart. */
  g_value_set_string (&v, NULL);
  assert_roundtrip (&v, GRO_KIND_STRING, "@ms nothing");
  g_value_set_string (&v, "");
  assert_roundtrip (&v, GRO_KIND_STRING, "@ms ''");
  g_value_set_string (&v, "Kitchen");
  assert_roundtrip (&v, GRO_KIND_STRING, "@ms 'Kitchen'");
  g_value_set_string (&v, "h\xc3\xa9llo \xe2\x98\x83");
  assert_roundtrip (&v, GRO_KIND_STRING, NULL);
}

/* Invalid UTF-8 is repaired, not dropped: each bad sequence is U+FFFD. */
static void
test_string_invalid_utf8 (void)
{
  g_auto(GValue) v = G_VALUE_INIT;
  g_auto(GValue) out = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, "a\xff" "b\xc3");
  roundtrip (&v, GRO_KIND_STRING, 0, NULL, &out);
  g_assert_cmpstr (g_value_get_string (&out), ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
}

static void
test_strv (void)
{
  const char *empty[] = { NULL };
  const char *three[] = { "a", "", "\xc3\xa9", NULL };
  const char *bad[] = { "ok", "\xfe", NULL };
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRV);

  /* NULL and an empty vector stay apart. */
  g_value_set_boxed (&v, NULL);
  assert_roundtrip (&v, GRO_KIND_STRV, "@mas nothing");
  g_value_set_boxed (&v, empty);
  assert_roundtrip (&v, GRO_KIND_STRV, "@mas []");
  g_value_set_boxed (&v, three);
  assert_roundtrip (&v, GRO_KIND_STRV, NULL);

  {
    g_auto(GValue) out = G_VALUE_INIT;
    const char * const *got;

    g_value_set_boxed (&v, bad);
    roundtrip (&v, GRO_KIND_STRV, 0, NULL, &out);
    got = g_value_get_boxed (&out);
    g_assert_cmpuint (g_strv_length ((char **) got), ==, 2);
    g_assert_cmpstr (got[1], ==, "\xef\xbf\xbd");
  }
}

static void
test_bytes (void)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) nuls = g_bytes_new ("\0a\0\0b", 5);
  g_autoptr(GBytes) big = NULL;
  g_auto(GValue) v = G_VALUE_INIT;
  guint8 data[1000];

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = i * 7;
  big = g_bytes_new (data, sizeof data);

  g_value_init (&v, G_TYPE_BYTES);
  g_value_set_boxed (&v, NULL);
  assert_roundtrip (&v, GRO_KIND_BYTES, "@may nothing");
  g_value_set_boxed (&v, empty);
  assert_roundtrip (&v, GRO_KIND_BYTES, "@may []");
  g_value_set_boxed (&v, nuls);
  assert_roundtrip (&v, GRO_KIND_BYTES, "@may [0x00, 0x61, 0x00, 0x00, 0x62]");
  g_value_set_boxed (&v, big);
  assert_roundtrip (&v, GRO_KIND_BYTES, NULL);
}

static void
test_variant (void)
{
  g_autoptr(GVariant) number = g_variant_ref_sink (g_variant_new_int32 (7));
  g_autoptr(GVariant) nested = NULL;
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) nothing = g_variant_ref_sink (g_variant_new_maybe (G_VARIANT_TYPE_STRING,
                                                                         NULL));
  g_auto(GValue) v = G_VALUE_INIT;

  nested = g_variant_ref_sink (g_variant_new_variant (g_variant_new_variant (g_variant_new_string ("deep"))));
  dict = g_variant_ref_sink (g_variant_new_parsed ("{'a': <1>, 'b': <[byte 0, 1]>}"));

  g_value_init (&v, G_TYPE_VARIANT);
  g_value_set_variant (&v, NULL);
  assert_roundtrip (&v, GRO_KIND_VARIANT, "@mv nothing");
  g_value_set_variant (&v, number);
  assert_roundtrip (&v, GRO_KIND_VARIANT, "@mv <7>");
  g_value_set_variant (&v, nested);
  assert_roundtrip (&v, GRO_KIND_VARIANT, "@mv <<<'deep'>>>");
  g_value_set_variant (&v, dict);
  assert_roundtrip (&v, GRO_KIND_VARIANT, NULL);
  /* A variant holding "nothing" is not a NULL variant. */
  g_value_set_variant (&v, nothing);
  assert_roundtrip (&v, GRO_KIND_VARIANT, "@mv <@ms nothing>");
}

static void
test_enum (void)
{
  g_auto(GValue) v = G_VALUE_INIT;
  g_auto(GValue) out = G_VALUE_INIT;

  g_value_init (&v, test_color_get_type ());
  g_value_set_enum (&v, TEST_COLOR_NONE);
  assert_roundtrip (&v, GRO_KIND_ENUM, "-1");
  g_value_set_enum (&v, TEST_COLOR_BLUE);
  assert_roundtrip (&v, GRO_KIND_ENUM, "7");

  /* The codec carries any number; the host checks values (test-peer). */
  g_value_set_enum (&v, 42);
  roundtrip (&v, GRO_KIND_ENUM, test_color_get_type (), "42", &out);
  g_assert_cmpint (g_value_get_enum (&out), ==, 42);
}

static void
test_flags (void)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_value_init (&v, test_bits_get_type ());
  g_value_set_flags (&v, 0);
  assert_roundtrip (&v, GRO_KIND_FLAGS, "uint32 0");
  g_value_set_flags (&v, TEST_BITS_A | TEST_BITS_HIGH);
  assert_roundtrip (&v, GRO_KIND_FLAGS, "uint32 2147483649");
}

/* Decoding into a GValue that already holds the type replaces its value. */
static void
test_into_initialized (void)
{
  g_auto(GroValueType) type = { 0 };
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(GVariant) wire = g_variant_ref_sink (g_variant_new_maybe (G_VARIANT_TYPE_STRING,
                                                                      g_variant_new_string ("new")));

  gro_value_type_init (&type, GRO_KIND_STRING, 0, NULL);
  g_value_init (&out, G_TYPE_STRING);
  g_value_set_string (&out, "old");
  g_assert_true (gro_value_from_variant (wire, &type, &out, NULL));
  g_assert_cmpstr (g_value_get_string (&out), ==, "new");
}

/* ------------------------------------------------------------------------ */
/* Type mismatches                                                           */

static void
assert_mismatch (GroKind     kind,
                 GVariant   *wire,
                 const char *expected_name,
                 const char *expected_wire)
{
  g_auto(GroValueType) type = { 0 };
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) owned = g_variant_ref_sink (wire);
  g_autofree char *expected = NULL;

  gro_value_type_init (&type, kind, 0, NULL);
  g_assert_false (gro_value_from_variant (owned, &type, &out, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS);
  expected = g_strdup_printf ("Expected a value of type %s (%s), got %s", expected_name,
                              expected_wire, g_variant_get_type_string (owned));
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_false (G_IS_VALUE (&out));
}

static void
test_mismatch (void)
{
  assert_mismatch (GRO_KIND_INT, g_variant_new_uint32 (1), "gint", "i");
  assert_mismatch (GRO_KIND_INT, g_variant_new_int64 (1), "gint", "i");
  assert_mismatch (GRO_KIND_LONG, g_variant_new_int32 (1), "glong", "x");
  assert_mismatch (GRO_KIND_FLOAT, g_variant_new_int32 (1), "gfloat", "d");
  assert_mismatch (GRO_KIND_BOOLEAN, g_variant_new_byte (1), "gboolean", "b");
  /* The codec wants the maybe; only calls take the plain type. */
  assert_mismatch (GRO_KIND_STRING, g_variant_new_string ("x"), "gchararray", "ms");
  assert_mismatch (GRO_KIND_STRV, g_variant_new_strv (NULL, 0), "GStrv", "mas");
  assert_mismatch (GRO_KIND_BYTES, g_variant_new_bytestring ("x"), "GBytes", "may");
  assert_mismatch (GRO_KIND_VARIANT, g_variant_new_variant (g_variant_new_int32 (1)),
                   "GVariant", "mv");
  assert_mismatch (GRO_KIND_STRING, g_variant_new_maybe (G_VARIANT_TYPE_OBJECT_PATH, NULL),
                   "gchararray", "ms");
}

static void
test_enum_mismatch (void)
{
  g_auto(GroValueType) type = { 0 };
  g_auto(GValue) out = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) wire = g_variant_ref_sink (g_variant_new_uint32 (7));

  gro_value_type_init (&type, GRO_KIND_ENUM, test_color_get_type (), "TestColor");
  g_assert_false (gro_value_from_variant (wire, &type, &out, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS);
  g_assert_cmpstr (error->message, ==, "Expected a value of type TestColor (i), got u");
}

/* ------------------------------------------------------------------------ */
/* Kinds                                                                     */

static void
test_kinds (void)
{
  static const struct {
    GroKind kind;
    const char *name;
    const char *wire;
    GType (*gtype) (void);
  } kinds[] = {
    { GRO_KIND_BOOLEAN, "gboolean", "b", NULL },
    { GRO_KIND_CHAR, "gchar", "y", NULL },
    { GRO_KIND_UCHAR, "guchar", "y", NULL },
    { GRO_KIND_INT, "gint", "i", NULL },
    { GRO_KIND_UINT, "guint", "u", NULL },
    { GRO_KIND_LONG, "glong", "x", NULL },
    { GRO_KIND_ULONG, "gulong", "t", NULL },
    { GRO_KIND_INT64, "gint64", "x", NULL },
    { GRO_KIND_UINT64, "guint64", "t", NULL },
    { GRO_KIND_FLOAT, "gfloat", "d", NULL },
    { GRO_KIND_DOUBLE, "gdouble", "d", NULL },
    { GRO_KIND_STRING, "gchararray", "ms", NULL },
    { GRO_KIND_STRV, "GStrv", "mas", g_strv_get_type },
    { GRO_KIND_BYTES, "GBytes", "may", g_bytes_get_type },
    { GRO_KIND_VARIANT, "GVariant", "mv", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GType gtype = gro_kind_gtype (kinds[i].kind);

      g_assert_cmpstr (gro_kind_name (kinds[i].kind), ==, kinds[i].name);
      g_assert_cmpint (gro_kind_from_name (kinds[i].name), ==, kinds[i].kind);
      assert_type_is (gro_kind_wire_type (kinds[i].kind), kinds[i].wire);
      g_assert_cmpint (gro_kind_from_gtype (gtype), ==, kinds[i].kind);
      if (kinds[i].gtype != NULL)
        g_assert_cmpuint (gtype, ==, kinds[i].gtype ());
      /* The type name is the GType's own name. */
      g_assert_cmpstr (g_type_name (gtype), ==, kinds[i].name);
    }

  /* Enumerations are named by their own type. */
  g_assert_cmpint (gro_kind_from_gtype (test_color_get_type ()), ==, GRO_KIND_ENUM);
  g_assert_cmpint (gro_kind_from_gtype (test_bits_get_type ()), ==, GRO_KIND_FLAGS);
  assert_type_is (gro_kind_wire_type (GRO_KIND_ENUM), "i");
  assert_type_is (gro_kind_wire_type (GRO_KIND_FLAGS), "u");
  g_assert_null (gro_kind_name (GRO_KIND_ENUM));
  g_assert_cmpint (gro_kind_from_name ("TestColor"), ==, GRO_KIND_INVALID);
  g_assert_cmpint (gro_kind_from_name ("gchar*"), ==, GRO_KIND_INVALID);
  g_assert_cmpint (gro_kind_from_name ("GStrv "), ==, GRO_KIND_INVALID);
  g_assert_cmpint (gro_kind_from_name (""), ==, GRO_KIND_INVALID);
}

static void
test_kinds_refused (void)
{
  const GType refused[] = {
    G_TYPE_NONE, G_TYPE_POINTER, G_TYPE_OBJECT, G_TYPE_INITIALLY_UNOWNED, G_TYPE_PARAM,
    G_TYPE_GTYPE, G_TYPE_INTERFACE, G_TYPE_HASH_TABLE, G_TYPE_DATE_TIME, G_TYPE_GSTRING,
    G_TYPE_VALUE, G_TYPE_ERROR, G_TYPE_BYTE_ARRAY, G_TYPE_VARIANT_TYPE, G_TYPE_BOXED,
    G_TYPE_CLOSURE,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    if (gro_kind_from_gtype (refused[i]) != GRO_KIND_INVALID)
      g_error ("%s should not be carried", g_type_name (refused[i]));
}

static void
test_types_tuple (void)
{
  GroValueType types[3];
  g_autoptr(GVariantType) none = gro_value_types_tuple (NULL, 0);
  g_autoptr(GVariantType) three = NULL;

  gro_value_type_init (&types[0], GRO_KIND_INT, 0, NULL);
  gro_value_type_init (&types[1], GRO_KIND_STRING, 0, NULL);
  gro_value_type_init (&types[2], GRO_KIND_ENUM, test_color_get_type (), "TestColor");
  three = gro_value_types_tuple (types, 3);

  assert_type_is (none, "()");
  assert_type_is (three, "(imsi)");
  g_assert_cmpstr (types[2].name, ==, "TestColor");
  g_assert_cmpuint (types[2].gtype, ==, test_color_get_type ());
  g_assert_cmpstr (types[1].name, ==, "gchararray");
  g_assert_cmpuint (types[1].gtype, ==, G_TYPE_STRING);

  for (guint i = 0; i < 3; i++)
    gro_value_type_clear (&types[i]);
}

/* ------------------------------------------------------------------------ */
/* gro_value_equal                                                           */

static void
test_equal (void)
{
  g_auto(GValue) a = G_VALUE_INIT;
  g_auto(GValue) b = G_VALUE_INIT;
  g_autoptr(GBytes) b1 = g_bytes_new ("a\0b", 3);
  g_autoptr(GBytes) b2 = g_bytes_new ("a\0b", 3);
  g_autoptr(GBytes) b3 = g_bytes_new ("a\0c", 3);
  const char *empty[] = { NULL };
  const char *one[] = { "x", NULL };
  const char *one_again[] = { "x", NULL };

  /* Different types never compare equal, even with the same number. */
  g_value_init (&a, G_TYPE_INT);
  g_value_init (&b, G_TYPE_UINT);
  g_assert_false (gro_value_equal (&a, &b));
  g_value_unset (&a);
  g_value_unset (&b);

  /* Floats: bit for bit. */
  g_value_init (&a, G_TYPE_DOUBLE);
  g_value_init (&b, G_TYPE_DOUBLE);
  g_value_set_double (&a, NAN);
  g_value_set_double (&b, NAN);
  g_assert_true (gro_value_equal (&a, &b));
  g_value_set_double (&a, 0.0);
  g_value_set_double (&b, -0.0);
  g_assert_false (gro_value_equal (&a, &b));
  g_value_unset (&a);
  g_value_unset (&b);

  g_value_init (&a, G_TYPE_FLOAT);
  g_value_init (&b, G_TYPE_FLOAT);
  g_value_set_float (&a, NAN);
  g_value_set_float (&b, NAN);
  g_assert_true (gro_value_equal (&a, &b));
  g_value_set_float (&a, 0.0f);
  g_value_set_float (&b, -0.0f);
  g_assert_false (gro_value_equal (&a, &b));
  g_value_unset (&a);
  g_value_unset (&b);

  /* Strings: NULL is not "". */
  g_value_init (&a, G_TYPE_STRING);
  g_value_init (&b, G_TYPE_STRING);
  g_assert_true (gro_value_equal (&a, &b));
  g_value_set_string (&b, "");
  g_assert_false (gro_value_equal (&a, &b));
  g_value_set_string (&a, "");
  g_assert_true (gro_value_equal (&a, &b));
  g_value_unset (&a);
  g_value_unset (&b);

  /* String vectors: NULL is not empty; content counts, not pointers. */
  g_value_init (&a, G_TYPE_STRV);
  g_value_init (&b, G_TYPE_STRV);
  g_value_set_static_boxed (&b, empty);
  g_assert_false (gro_value_equal (&a, &b));
  g_value_set_static_boxed (&a, one);
  g_value_set_static_boxed (&b, one_again);
  g_assert_true (gro_value_equal (&a, &b));
  g_value_unset (&a);
  g_value_unset (&b);

  /* Bytes: by content. */
  g_value_init (&a, G_TYPE_BYTES);
  g_value_init (&b, G_TYPE_BYTES);
  g_value_set_boxed (&a, b1);
  g_assert_false (gro_value_equal (&a, &b));
  g_value_set_boxed (&b, b2);
  g_assert_true (gro_value_equal (&a, &b));
  g_value_set_boxed (&b, b3);
  g_assert_false (gro_value_equal (&a, &b));
  g_value_unset (&a);
  g_value_unset (&b);

  /* Variants: by value; NULL only equals NULL. */
  g_value_init (&a, G_TYPE_VARIANT);
  g_value_init (&b, G_TYPE_VARIANT);
  g_assert_true (gro_value_equal (&a, &b));
  g_value_set_variant (&a, g_variant_new_int32 (1));
  g_assert_false (gro_value_equal (&a, &b));
  g_value_set_variant (&b, g_variant_new_int32 (1));
  g_assert_true (gro_value_equal (&a, &b));
  g_value_set_variant (&b, g_variant_new_uint32 (1));
  g_assert_false (gro_value_equal (&a, &b));
  g_value_unset (&a);
  g_value_unset (&b);

  /* Enumerations: by value, within one type. */
  g_value_init (&a, test_color_get_type ());
  g_value_init (&b, test_color_get_type ());
  g_value_set_enum (&a, TEST_COLOR_BLUE);
  g_assert_false (gro_value_equal (&a, &b));
  g_value_set_enum (&b, TEST_COLOR_BLUE);
  g_assert_true (gro_value_equal (&a, &b));
  g_value_unset (&a);
  g_value_unset (&b);

  /* Types the codec does not carry are never equal. */
  g_value_init (&a, G_TYPE_POINTER);
  g_value_init (&b, G_TYPE_POINTER);
  g_assert_false (gro_value_equal (&a, &b));
}

/* ------------------------------------------------------------------------ */
/* gro_variant_coerce                                                        */

static void
assert_coerced (const char *value_text,
                const char *expected_type,
                const char *result_text)
{
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_parsed (value_text));
  g_autoptr(GVariant) result = gro_variant_coerce (value, G_VARIANT_TYPE (expected_type));
  g_autofree char *text = NULL;

  if (result_text == NULL)
    {
      if (result != NULL)
        g_error ("%s was made to fit %s", value_text, expected_type);
      return;
    }

  g_assert_nonnull (result);
  g_assert_false (g_variant_is_floating (result));
  g_assert_cmpstr (g_variant_get_type_string (result), ==, expected_type);
  text = g_variant_print (result, TRUE);
  g_assert_cmpstr (text, ==, result_text);
}

static void
test_coerce (void)
{
  /* Exact types pass, as the same value. */
  {
    g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_parsed ("(1, @ms 'a')"));
    g_autoptr(GVariant) result = gro_variant_coerce (value, G_VARIANT_TYPE ("(ims)"));

    g_assert_true (result == value);
  }

  /* The plain type where a maybe is expected, inside tuples too. */
  assert_coerced ("'a'", "ms", "@ms 'a'");
  assert_coerced ("('a', 'b')", "(msms)", "(@ms 'a', @ms 'b')");
  assert_coerced ("(2, 'a')", "(ims)", "(2, @ms 'a')");
  assert_coerced ("(@ms nothing, 'b')", "(msms)", "(@ms nothing, @ms 'b')");
  assert_coerced ("(['a', 'b'],)", "(mas)", "(@mas ['a', 'b'],)");
  assert_coerced ("(@as [],)", "(mas)", "(@mas [],)");
  assert_coerced ("(b'xy',)", "(may)", "(@may b'xy',)");
  assert_coerced ("(<1>,)", "(mv)", "(@mv <1>,)");
  assert_coerced ("('a', ('b', 3))", "(ms(msi))", "(@ms 'a', (@ms 'b', 3))");
  assert_coerced ("()", "()", "()");

  /* Nothing else. */
  assert_coerced ("(1,)", "(ms)", NULL);           /* not a string */
  assert_coerced ("(1,)", "(mv)", NULL);           /* a GVariant must be boxed */
  assert_coerced ("('a', 'b')", "(msmsms)", NULL); /* arity */
  assert_coerced ("('a', 'b', 'c')", "(msms)", NULL);
  assert_coerced ("1", "(i)", NULL);               /* no tuple made up */
  assert_coerced ("(1,)", "i", NULL);
  assert_coerced ("(uint32 1,)", "(i)", NULL);     /* no number conversion */
  assert_coerced ("([@ms 'a'],)", "(mas)", NULL);  /* nothing inside arrays */
  assert_coerced ("(@ms 'a',)", "(s)", NULL);      /* never from a maybe */
}

/* The fixed-size fast paths make and read exactly the bytes the general
 * way does, whatever the mix of sizes and alignments. */
static void
test_fixed_bodies (void)
{
  static const GroKind kinds[] = {
    GRO_KIND_UCHAR, GRO_KIND_INT64, GRO_KIND_BOOLEAN, GRO_KIND_INT, GRO_KIND_DOUBLE,
    GRO_KIND_CHAR, GRO_KIND_UINT, GRO_KIND_FLOAT, GRO_KIND_UINT64, GRO_KIND_LONG,
    GRO_KIND_ULONG,
  };
  GroValueType types[G_N_ELEMENTS (kinds)];
  GValue values[G_N_ELEMENTS (kinds)] = { G_VALUE_INIT };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      gro_value_type_init (&types[i], kinds[i], 0, NULL);
      g_value_init (&values[i], types[i].gtype);
    }
  g_value_set_uchar (&values[0], 200);
  g_value_set_int64 (&values[1], G_MININT64 + 5);
  g_value_set_boolean (&values[2], TRUE);
  g_value_set_int (&values[3], -123456);
  g_value_set_double (&values[4], -0.0);
  g_value_set_schar (&values[5], -3);
  g_value_set_uint (&values[6], G_MAXUINT32);
  g_value_set_float (&values[7], 1.5f);
  g_value_set_uint64 (&values[8], G_MAXUINT64 - 1);
  g_value_set_long (&values[9], -77);
  g_value_set_ulong (&values[10], 78);

  /* Every prefix of the list, as a tuple, and each value alone. */
  for (guint n = 1; n <= G_N_ELEMENTS (kinds); n++)
    for (int tuple = 0; tuple < 2; tuple++)
      {
        g_autoptr(GVariant) fast = NULL;
        g_autoptr(GVariant) general = NULL;
        g_autofree GVariant **children = g_new (GVariant *, n);
        GValue back[G_N_ELEMENTS (kinds)] = { G_VALUE_INIT };
        gsize content_size, type_len;
        const char *type;
        const guint8 *data;

        if (!tuple && n > 1)
          continue;
        for (guint i = 0; i < n; i++)
          children[i] = gro_value_to_variant (&values[i], &types[i]);
        general = g_variant_ref_sink (tuple ? gro_variant_new_boxed (g_variant_new_tuple (children, n))
                                            : gro_variant_new_boxed (children[0]));
        fast = gro_variant_new_fixed_body (values, types, n, tuple);
        g_assert_nonnull (fast);
        g_variant_ref_sink (fast);
        g_assert_cmpmem (g_variant_get_data (fast), g_variant_get_size (fast),
                         g_variant_get_data (general), g_variant_get_size (general));
        g_assert_true (g_variant_is_normal_form (fast));

        data = g_variant_get_data (fast);
        g_assert_true (gro_variant_data_split (data, g_variant_get_size (fast),
                                               &content_size, &type, &type_len));
        g_assert_true (gro_values_from_fixed_data (data, content_size, types, n, back));
        for (guint i = 0; i < n; i++)
          {
            g_assert_true (gro_value_equal (&back[i], &values[i]));
            g_value_unset (&back[i]);
          }
        /* A size that does not fit is left to the general way. */
        g_assert_false (gro_values_from_fixed_data (data, content_size + 1, types, n, back));
      }

  /* Not of fixed size: no fast path. */
  {
    GroValueType string_type;
    g_auto(GValue) string = G_VALUE_INIT;

    gro_value_type_init (&string_type, GRO_KIND_STRING, 0, NULL);
    g_value_init (&string, G_TYPE_STRING);
    g_assert_null (gro_variant_new_fixed_body (&string, &string_type, 1, FALSE));
    gro_value_type_clear (&string_type);
  }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_value_unset (&values[i]);
      gro_value_type_clear (&types[i]);
    }
}

/* How deep @value nests, by the plain definition: a container is one level
 * more than its deepest child, a variant one more than its content. */
static guint
reference_depth (GVariant *value)
{
  guint deepest = 0;
  gsize n;

  if (!g_variant_is_container (value))
    return 1;
  n = g_variant_n_children (value);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

      deepest = MAX (deepest, reference_depth (child));
    }
  /* An empty container still has the depth of its type. */
  if (n == 0)
    {
      const GVariantType *type = g_variant_get_type (value);

      if (g_variant_type_is_array (type) || g_variant_type_is_maybe (type))
        deepest = g_variant_type_is_variant (g_variant_type_element (type)) ? 1 : 0;
    }
  return 1 + deepest;
}

/* gro_variant_depth_within() agrees with the plain walk at and around each
 * value's depth, whether it walks the value or only reads its type. */
static void
test_depth_within (void)
{
  const char *values[] = {
    "<int32 1>",
    "<<<'deep'>>>",
    "(int32 1, 'x', <(int32 2, <int32 3>)>)",
    "[<int32 1>, <[<'a'>, <<'b'>>]>]",
    "@av []",
    "{'k': <<int32 1>>}",
    "(@ms 'x', @mv <int32 1>, [(int32 1, <@a(ii) [(1, 2)]>)], @a{sv} {})",
    "[(uint32 1, ('name', @ms nothing, <(int32 1, 'x', [int32 1, 2])>))]",
    "(((((int32 1,),),),), <((((int32 1,),),),)>)",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) parsed = g_variant_parse (NULL, values[i], NULL, NULL, &error);
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GBytes) bytes = NULL;
      guint depth;

      g_assert_no_error (error);
      /* As a frame delivers it: serialised, not a tree. */
      bytes = g_variant_get_data_as_bytes (parsed);
      value = g_variant_ref_sink (g_variant_new_from_bytes (g_variant_get_type (parsed), bytes,
                                                            FALSE));
      depth = reference_depth (value);
      g_test_message ("%s: depth %u", values[i], depth);
      g_assert_true (gro_variant_depth_within (value, depth + 1));
      g_assert_true (gro_variant_depth_within (value, depth));
      g_assert_false (gro_variant_depth_within (value, depth - 1));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/roundtrip/boolean", test_boolean);
  g_test_add_func ("/codec/roundtrip/char", test_char);
  g_test_add_func ("/codec/roundtrip/uchar", test_uchar);
  g_test_add_func ("/codec/roundtrip/integers", test_integers);
  g_test_add_func ("/codec/roundtrip/long", test_long);
  g_test_add_func ("/codec/roundtrip/float", test_float);
  g_test_add_func ("/codec/roundtrip/double", test_double);
  g_test_add_func ("/codec/roundtrip/string", test_string);
  g_test_add_func ("/codec/roundtrip/strv", test_strv);
  g_test_add_func ("/codec/roundtrip/bytes", test_bytes);
  g_test_add_func ("/codec/roundtrip/variant", test_variant);
  g_test_add_func ("/codec/roundtrip/enum", test_enum);
  g_test_add_func ("/codec/roundtrip/flags", test_flags);
  g_test_add_func ("/codec/long-range", test_long_range);
  g_test_add_func ("/codec/float-from-double", test_float_from_double);
  g_test_add_func ("/codec/string-invalid-utf8", test_string_invalid_utf8);
  g_test_add_func ("/codec/into-initialized", test_into_initialized);
  g_test_add_func ("/codec/mismatch", test_mismatch);
  g_test_add_func ("/codec/mismatch-enum", test_enum_mismatch);
  g_test_add_func ("/codec/kinds", test_kinds);
  g_test_add_func ("/codec/kinds-refused", test_kinds_refused);
  g_test_add_func ("/codec/types-tuple", test_types_tuple);
  g_test_add_func ("/codec/equal", test_equal);
  g_test_add_func ("/codec/coerce", test_coerce);
  g_test_add_func ("/codec/fixed-bodies", test_fixed_bodies);
  g_test_add_func ("/codec/depth-within", test_depth_within);

  return g_test_run ();
}
