/* gro-test-object.c
 *
 * Properties of every kind, a few signals, and methods that answer at once,
 * later, with an error, or never.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gro.h>

#include "gro-test-object.h"

struct _GroTestObject
{
  GObject      parent_instance;
  gboolean     b;
  gint8        c;
  guchar       uc;
  int          i;
  guint        u;
  long         l;
  gulong       ul;
  gint64       i64;
  guint64      u64;
  float        f;
  double       d;
  char        *s;
  char       **strv;
  GBytes      *bytes;
  GVariant    *variant;
  GroTestMode  mode;
  GroTestFlags flags;
  int          counter;
  int          bounded;
};

enum {
  PROP_0,
  PROP_B, PROP_C, PROP_UC, PROP_I, PROP_U, PROP_L, PROP_UL, PROP_I64, PROP_U64,
  PROP_F, PROP_D, PROP_S, PROP_STRV, PROP_BYTES, PROP_VARIANT, PROP_MODE, PROP_FLAGS,
  PROP_COUNTER, PROP_BOUNDED,
  N_PROPS
};

enum {
  PING,
  ALL_TYPES,
  ADD,
  CONCAT,
  FAIL,
  DEFER_ADD,
  DROP,
  EMIT_PING,
  BUMP,
  SET_COUNTER,
  ECHO_VARIANT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (gro-test-error-quark, gro_test_error)

GType
gro_test_mode_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { GRO_TEST_MODE_OFF, "GRO_TEST_MODE_OFF", "off" },
    { GRO_TEST_MODE_HEAT, "GRO_TEST_MODE_HEAT", "heat" },
    { GRO_TEST_MODE_COOL, "GRO_TEST_MODE_COOL", "cool" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("GroTestMode", values));
  return type;
}

GType
gro_test_flags_get_type (void)
{
  static gsize type = 0;
  static const GFlagsValue values[] = {
    { GRO_TEST_FLAGS_RED, "GRO_TEST_FLAGS_RED", "red" },
    { GRO_TEST_FLAGS_GREEN, "GRO_TEST_FLAGS_GREEN", "green" },
    { GRO_TEST_FLAGS_BLUE, "GRO_TEST_FLAGS_BLUE", "blue" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_flags_register_static ("GroTestFlags", values));
  return type;
}

G_DEFINE_FINAL_TYPE (GroTestObject, gro_test_object, G_TYPE_OBJECT)

static void
gro_test_object_finalize (GObject *object)
{
  GroTestObject *self = GRO_TEST_OBJECT (object);

  g_free (self->s);
  g_strfreev (self->strv);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->variant, g_variant_unref);

  G_OBJECT_CLASS (gro_test_object_parent_class)->finalize (object);
}

static void
gro_test_object_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GroTestObject *self = GRO_TEST_OBJECT (object);

  switch (prop_id)
    {
    case PROP_B: g_value_set_boolean (value, self->b); break;
    case PROP_C: g_value_set_schar (value, self->c); break;
    case PROP_UC: g_value_set_uchar (value, self->uc); break;
    case PROP_I: g_value_set_int (value, self->i); break;
    case PROP_U: g_value_set_uint (value, self->u); break;
    case PROP_L: g_value_set_long (value, self->l); break;
    case PROP_UL: g_value_set_ulong (value, self->ul); break;
    case PROP_I64: g_value_set_int64 (value, self->i64); break;
    case PROP_U64: g_value_set_uint64 (value, self->u64); break;
    case PROP_F: g_value_set_float (value, self->f); break;
    case PROP_D: g_value_set_double (value, self->d); break;
    case PROP_S: g_value_set_string (value, self->s); break;
    case PROP_STRV: g_value_set_boxed (value, self->strv); break;
    case PROP_BYTES: g_value_set_boxed (value, self->bytes); break;
    case PROP_VARIANT: g_value_set_variant (value, self->variant); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_FLAGS: g_value_set_flags (value, self->flags); break;
    case PROP_COUNTER: g_value_set_int (value, self->counter); break;
    case PROP_BOUNDED: g_value_set_int (value, self->bounded); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_test_object_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GroTestObject *self = GRO_TEST_OBJECT (object);

  switch (prop_id)
    {
    case PROP_B: self->b = g_value_get_boolean (value); break;
    case PROP_C: self->c = g_value_get_schar (value); break;
    case PROP_UC: self->uc = g_value_get_uchar (value); break;
    case PROP_I: self->i = g_value_get_int (value); break;
    case PROP_U: self->u = g_value_get_uint (value); break;
    case PROP_L: self->l = g_value_get_long (value); break;
    case PROP_UL: self->ul = g_value_get_ulong (value); break;
    case PROP_I64: self->i64 = g_value_get_int64 (value); break;
    case PROP_U64: self->u64 = g_value_get_uint64 (value); break;
    case PROP_F: self->f = g_value_get_float (value); break;
    case PROP_D: self->d = g_value_get_double (value); break;
    case PROP_S:
      g_free (self->s);
      self->s = g_value_dup_string (value);
      break;
    case PROP_STRV:
      g_strfreev (self->strv);
      self->strv = g_value_dup_boxed (value);
      break;
    case PROP_BYTES:
      g_clear_pointer (&self->bytes, g_bytes_unref);
      self->bytes = g_value_dup_boxed (value);
      break;
    case PROP_VARIANT:
      g_clear_pointer (&self->variant, g_variant_unref);
      self->variant = g_value_dup_variant (value);
      break;
    case PROP_MODE: self->mode = g_value_get_enum (value); break;
    case PROP_FLAGS: self->flags = g_value_get_flags (value); break;
    case PROP_BOUNDED: self->bounded = g_value_get_int (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Wraps around rather than overflow: peers (and the fuzzer) send any ints. */
static int
on_add (GroTestObject *self,
        int            a,
        int            b)
{
  return (int) ((guint) a + (guint) b);
}

static char *
on_concat (GroTestObject *self,
           const char    *a,
           const char    *b)
{
  return g_strconcat (a ? a : "(null)", b ? b : "(null)", NULL);
}

static void
on_fail (GroTestObject *self,
         const char    *message)
{
  gro_invocation_return_error_literal (gro_invocation_get_current (), GRO_TEST_ERROR, 42, message);
}

typedef struct
{
  GroInvocation *invocation;
  int            sum;
} Deferred;

static gboolean
answer_later (gpointer data)
{
  Deferred *deferred = data;

  gro_invocation_return_value (deferred->invocation, g_variant_new ("(i)", deferred->sum));
  g_object_unref (deferred->invocation);
  g_free (deferred);
  return G_SOURCE_REMOVE;
}

static int
on_defer_add (GroTestObject *self,
              int            a,
              int            b)
{
  Deferred *deferred = g_new (Deferred, 1);

  deferred->invocation = g_object_ref (gro_invocation_get_current ());
  deferred->sum = (int) ((guint) a + (guint) b);
  gro_invocation_defer (deferred->invocation);
  g_timeout_add (20, answer_later, deferred);
  return -1;  /* ignored */
}

static int
on_drop (GroTestObject *self)
{
  gro_invocation_defer (gro_invocation_get_current ());
  return -1;
}

static void
on_emit_ping (GroTestObject *self,
              int            n,
              const char    *text)
{
  g_signal_emit (self, signals[PING], 0, n, text);
}

/* At most 10,000 bumps a call, so that no peer (nor the fuzzer) can keep
 * the host busy for long with one. */
static void
on_bump (GroTestObject *self,
         int            times)
{
  for (int k = 0; k < MIN (times, 10000); k++)
    {
      self->i = (int) ((guint) self->i + 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_I]);
    }
}

static void
on_set_counter (GroTestObject *self,
                int            value)
{
  if (self->counter != value)
    {
      self->counter = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTER]);
    }
}

static GVariant *
on_echo_variant (GroTestObject *self,
                 GVariant      *value)
{
  return value ? g_variant_ref (value) : NULL;
}

static void
gro_test_object_class_init (GroTestObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = gro_test_object_finalize;
  object_class->get_property = gro_test_object_get_property;
  object_class->set_property = gro_test_object_set_property;

  properties[PROP_B] = g_param_spec_boolean ("b", NULL, NULL, FALSE, rw);
  properties[PROP_C] = g_param_spec_char ("c", NULL, NULL, G_MININT8, G_MAXINT8, 0, rw);
  properties[PROP_UC] = g_param_spec_uchar ("uc", NULL, NULL, 0, G_MAXUINT8, 0, rw);
  properties[PROP_I] = g_param_spec_int ("i", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  properties[PROP_U] = g_param_spec_uint ("u", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_L] = g_param_spec_long ("l", NULL, NULL, G_MINLONG, G_MAXLONG, 0, rw);
  properties[PROP_UL] = g_param_spec_ulong ("ul", NULL, NULL, 0, G_MAXULONG, 0, rw);
  properties[PROP_I64] = g_param_spec_int64 ("i64", NULL, NULL, G_MININT64, G_MAXINT64, 0, rw);
  properties[PROP_U64] = g_param_spec_uint64 ("u64", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  properties[PROP_F] = g_param_spec_float ("f", NULL, NULL, -G_MAXFLOAT, G_MAXFLOAT, 0, rw);
  properties[PROP_D] = g_param_spec_double ("d", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, rw);
  properties[PROP_S] = g_param_spec_string ("s", NULL, NULL, NULL, rw);
  properties[PROP_STRV] = g_param_spec_boxed ("strv", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_BYTES] = g_param_spec_boxed ("bytes", NULL, NULL, G_TYPE_BYTES, rw);
  properties[PROP_VARIANT] = g_param_spec_variant ("variant", NULL, NULL, G_VARIANT_TYPE_ANY,
                                                   NULL, rw);
  properties[PROP_MODE] = g_param_spec_enum ("mode", NULL, NULL, GRO_TEST_TYPE_MODE,
                                             GRO_TEST_MODE_OFF, rw);
  properties[PROP_FLAGS] = g_param_spec_flags ("flags", NULL, NULL, GRO_TEST_TYPE_FLAGS, 0, rw);
  properties[PROP_COUNTER] = g_param_spec_int ("counter", NULL, NULL, G_MININT, G_MAXINT, 0,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  properties[PROP_BOUNDED] = g_param_spec_int ("bounded", NULL, NULL, 0, 100, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PING] = g_signal_new ("ping", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[ALL_TYPES] = g_signal_new ("all-types", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 8,
                                     G_TYPE_BOOLEAN, G_TYPE_UINT64, G_TYPE_DOUBLE, G_TYPE_STRING,
                                     G_TYPE_STRV, G_TYPE_BYTES, GRO_TEST_TYPE_MODE,
                                     GRO_TEST_TYPE_FLAGS);
  signals[ADD] = g_signal_new_class_handler ("add", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                             G_CALLBACK (on_add), NULL, NULL, NULL,
                                             G_TYPE_INT, 2, G_TYPE_INT, G_TYPE_INT);
  signals[CONCAT] = g_signal_new_class_handler ("concat", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                G_CALLBACK (on_concat), NULL, NULL, NULL,
                                                G_TYPE_STRING, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[FAIL] = g_signal_new_class_handler ("fail", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                              G_CALLBACK (on_fail), NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DEFER_ADD] = g_signal_new_class_handler ("defer-add", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                   G_CALLBACK (on_defer_add), NULL, NULL, NULL,
                                                   G_TYPE_INT, 2, G_TYPE_INT, G_TYPE_INT);
  signals[DROP] = g_signal_new_class_handler ("drop", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                              G_CALLBACK (on_drop), NULL, NULL, NULL,
                                              G_TYPE_INT, 0);
  signals[EMIT_PING] = g_signal_new_class_handler ("emit-ping", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                   G_CALLBACK (on_emit_ping), NULL, NULL, NULL,
                                                   G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[BUMP] = g_signal_new_class_handler ("bump", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                              G_CALLBACK (on_bump), NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SET_COUNTER] = g_signal_new_class_handler ("set-counter", G_TYPE_FROM_CLASS (klass),
                                                     G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                     G_CALLBACK (on_set_counter), NULL, NULL,
                                                     NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[ECHO_VARIANT] = g_signal_new_class_handler ("echo-variant", G_TYPE_FROM_CLASS (klass),
                                                      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                      G_CALLBACK (on_echo_variant), NULL, NULL,
                                                      NULL, G_TYPE_VARIANT, 1, G_TYPE_VARIANT);
}

static void
gro_test_object_init (GroTestObject *self)
{
}

GroTestObject *
gro_test_object_new (void)
{
  return g_object_new (GRO_TEST_TYPE_OBJECT, NULL);
}
