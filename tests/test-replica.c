/* test-replica.c: a replica in this process, its source in another
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <gobject/gvaluecollector.h>
#include <gro.h>
#include <string.h>
#include <unistd.h>

#include "gro-test-object.h"
#include "gro-test-util.h"

typedef struct
{
  GroTestSource *source;
  GroNode       *node;
  GroReplica    *replica;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->source = gro_test_source_start (NULL);
  f->node = gro_node_new ();
  gro_node_connect_to_node (f->node, gro_test_source_get_url (f->source, 0), &error);
  g_assert_no_error (error);
  f->replica = gro_node_acquire_dynamic (f->node, "test");
  gro_replica_wait_for_source (f->replica, GRO_TEST_TIMEOUT_MS, &error);
  g_assert_no_error (error);
  /* The notifications of the initialisation come from the main loop. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->replica);
  g_clear_object (&f->node);
  g_clear_pointer (&f->source, gro_test_source_free);
  /* Let queued notifications and closes run, so nothing leaks into the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static int
result_int (GVariant *result)
{
  int value;

  g_variant_get (result, "(i)", &value);
  return value;
}

static void
count_cb (gpointer counter)
{
  (*(int *) counter)++;
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 int        *counter)
{
  (*counter)++;
}

/* ------------------------------------------------------------------------ */

static void
test_acquire_states (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start (NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  int initialized = 0;
  int state_changes = 0;

  gro_node_connect_to_node (node, gro_test_source_get_url (source, 0), &error);
  g_assert_no_error (error);

  replica = gro_node_acquire_dynamic (node, "test");
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_UNINITIALIZED);
  g_assert_false (gro_replica_is_valid (replica));
  g_assert_cmpstr (gro_replica_get_name (replica), ==, "test");
  g_assert_true (gro_replica_get_node (replica) == node);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (replica, GRO_TYPE_REPLICA));
  g_assert_null (gro_replica_get_interface_info (replica));

  g_signal_connect_swapped (replica, "initialized", G_CALLBACK (count_cb), &initialized);
  g_signal_connect_swapped (replica, "state-changed", G_CALLBACK (count_cb), &state_changes);

  gro_test_await (gro_replica_is_valid (replica) && initialized == 1);
  g_assert_cmpint (state_changes, ==, 1);
  g_assert_cmpstr (gro_replica_get_type_name (replica), ==, "GroTestObject");
  g_assert_nonnull (g_object_class_find_property (G_OBJECT_GET_CLASS (replica), "i"));
  g_assert_cmpuint (g_signal_lookup ("ping", G_OBJECT_TYPE (replica)), !=, 0);
}

static void
on_acquired (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GroReplica **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gro_node_acquire_dynamic_finish (GRO_NODE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_acquire_async (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start (NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GroReplica) second = NULL;
  g_autoptr(GError) error = NULL;
  int initialized = 0;

  gro_node_connect_to_node (node, gro_test_source_get_url (source, 0), &error);
  g_assert_no_error (error);

  gro_node_acquire_dynamic_async (node, "test", NULL, on_acquired, &replica);
  gro_test_await (replica != NULL);
  g_assert_true (gro_replica_is_valid (replica));

  /* A second replica of a source already in step is valid at once, and
   * still gets its initialized signal from the main loop. */
  second = gro_node_acquire_dynamic (node, "test");
  g_assert_true (gro_replica_is_valid (second));
  g_assert_true (G_OBJECT_TYPE (second) == G_OBJECT_TYPE (replica));
  g_signal_connect_swapped (second, "initialized", G_CALLBACK (count_cb), &initialized);
  gro_test_await (initialized == 1);
}

static void
test_acquire_before_shared (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start (NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GError) error = NULL;

  gro_test_source_command (source, "disable");
  gro_node_connect_to_node (node, gro_test_source_get_url (source, 0), &error);
  g_assert_no_error (error);

  replica = gro_node_acquire_dynamic (node, "test");
  g_assert_false (gro_replica_wait_for_source (replica, 200, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "test"));
  g_clear_error (&error);

  gro_test_source_command (source, "enable");
  g_assert_true (gro_replica_wait_for_source (replica, GRO_TEST_TIMEOUT_MS, &error));
  g_assert_no_error (error);
}

static void
test_initial_values (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start (NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) strv = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autofree char *s = NULL;
  gboolean b;
  gint8 c;
  guchar uc;
  int i, mode, bounded;
  guint u, flags;
  long l;
  gulong ul;
  gint64 i64;
  guint64 u64;
  float f;
  double d;

  gro_test_source_command (source, "set b true");
  gro_test_source_command (source, "set c -100");
  gro_test_source_command (source, "set uc 200");
  gro_test_source_command (source, "set i -123456");
  gro_test_source_command (source, "set u 4000000000");
  gro_test_source_command (source, "set l -9000000000");
  gro_test_source_command (source, "set ul 18000000000000000000");
  gro_test_source_command (source, "set i64 -9223372036854775808");
  gro_test_source_command (source, "set u64 18446744073709551615");
  gro_test_source_command (source, "set f 0.1");
  gro_test_source_command (source, "set d -2.5e300");
  gro_test_source_command (source, "set s héllo");
  gro_test_source_command (source, "set strv a,,b");
  gro_test_source_command (source, "set bytes xyz");
  gro_test_source_command (source, "set variant {'k': <[1, 2]>}");
  gro_test_source_command (source, "set mode 7");
  gro_test_source_command (source, "set flags 5");
  gro_test_source_command (source, "set bounded 99");

  gro_node_connect_to_node (node, gro_test_source_get_url (source, 0), &error);
  g_assert_no_error (error);
  replica = gro_node_acquire_dynamic (node, "test");
  gro_replica_wait_for_source (replica, GRO_TEST_TIMEOUT_MS, &error);
  g_assert_no_error (error);

  g_object_get (replica, "b", &b, "c", &c, "uc", &uc, "i", &i, "u", &u, "l", &l, "ul", &ul,
                "i64", &i64, "u64", &u64, "f", &f, "d", &d, "s", &s, "strv", &strv,
                "bytes", &bytes, "variant", &variant, "mode", &mode, "flags", &flags,
                "bounded", &bounded, NULL);

  g_assert_true (b);
  g_assert_cmpint (c, ==, -100);
  g_assert_cmpuint (uc, ==, 200);
  g_assert_cmpint (i, ==, -123456);
  g_assert_cmpuint (u, ==, 4000000000u);
  g_assert_cmpint (l, ==, -9000000000l);
  g_assert_cmpuint (ul, ==, 18000000000000000000ul);
  g_assert_cmpint (i64, ==, G_MININT64);
  g_assert_cmpuint (u64, ==, G_MAXUINT64);
  g_assert_true (f == 0.1f);
  g_assert_cmpfloat (d, ==, -2.5e300);
  g_assert_cmpstr (s, ==, "héllo");
  g_assert_cmpuint (g_strv_length (strv), ==, 3);
  g_assert_cmpstr (strv[1], ==, "");
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "xyz", 3);
  g_assert_cmpstr (g_variant_get_type_string (variant), ==, "a{sv}");
  g_assert_cmpint (mode, ==, 7);
  g_assert_cmpuint (flags, ==, 5);
  g_assert_cmpint (bounded, ==, 99);
}

static void
test_null_values (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start (NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) strv = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autofree char *s = NULL;

  gro_test_source_command (source, "set strv (null)");

  gro_node_connect_to_node (node, gro_test_source_get_url (source, 0), &error);
  g_assert_no_error (error);
  replica = gro_node_acquire_dynamic (node, "test");
  gro_replica_wait_for_source (replica, GRO_TEST_TIMEOUT_MS, &error);
  g_assert_no_error (error);

  g_object_get (replica, "s", &s, "strv", &strv, "bytes", &bytes, "variant", &variant, NULL);
  g_assert_null (s);
  g_assert_null (strv);
  g_assert_null (bytes);
  g_assert_null (variant);

  /* "" is not NULL. */
  gro_test_source_command (source, "set s (empty)");
  gro_test_await (({ g_clear_pointer (&s, g_free);
                     g_object_get (replica, "s", &s, NULL); s != NULL; }));
  g_assert_cmpstr (s, ==, "");
}

static void
test_enum_remote (Fixture       *f,
                  gconstpointer  data)
{
  GParamSpec *mode = g_object_class_find_property (G_OBJECT_GET_CLASS (f->replica), "mode");
  GParamSpec *flags = g_object_class_find_property (G_OBJECT_GET_CLASS (f->replica), "flags");
  g_autoptr(GEnumClass) klass = NULL;

  /* This runs first: GroTestMode is not registered in this process yet, so
   * the replica built an enumeration of its own from the schema. */
  g_assert_true (g_type_from_name ("GroTestMode") == G_TYPE_INVALID);
  g_assert_true (G_TYPE_IS_ENUM (mode->value_type));
  g_assert_true (g_str_has_prefix (g_type_name (mode->value_type), "GroRemote_GroTestMode"));
  g_assert_true (G_TYPE_IS_FLAGS (flags->value_type));

  klass = g_type_class_ref (mode->value_type);
  g_assert_cmpstr (g_enum_get_value (klass, 7)->value_nick, ==, "cool");
}

static void
test_enum_local (void)
{
  g_autoptr(GroTestSource) source = NULL;
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  GParamSpec *mode;

  /* Registered here: the replica uses the real type. */
  g_type_ensure (GRO_TEST_TYPE_MODE);
  g_type_ensure (GRO_TEST_TYPE_FLAGS);

  source = gro_test_source_start (NULL);
  gro_node_connect_to_node (node, gro_test_source_get_url (source, 0), &error);
  g_assert_no_error (error);
  replica = gro_node_acquire_dynamic (node, "test");
  gro_replica_wait_for_source (replica, GRO_TEST_TIMEOUT_MS, &error);
  g_assert_no_error (error);

  mode = g_object_class_find_property (G_OBJECT_GET_CLASS (replica), "mode");
  g_assert_true (mode->value_type == GRO_TEST_TYPE_MODE);
  g_assert_true (g_object_class_find_property (G_OBJECT_GET_CLASS (replica), "flags")->value_type
                 == GRO_TEST_TYPE_FLAGS);
}

static void
test_push (Fixture       *f,
           gconstpointer  data)
{
  int notified = 0;
  int all = 0;
  int i;

  g_signal_connect (f->replica, "notify::i", G_CALLBACK (on_notify_count), &notified);
  g_signal_connect (f->replica, "notify", G_CALLBACK (on_notify_count), &all);

  gro_test_source_command (f->source, "set i 41");
  gro_test_await (notified == 1);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 41);

  /* Setting the same value again is no change: no notification. Then a
   * change of another property proves the first one was not in flight. */
  gro_test_source_command (f->source, "set i 41");
  gro_test_source_command (f->source, "set u 1");
  gro_test_await (all == 2);
  g_assert_cmpint (notified, ==, 1);
}

static void
test_push_many (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  int notified = 0;
  int i;

  g_signal_connect (f->replica, "notify::i", G_CALLBACK (on_notify_count), &notified);

  result = gro_replica_call_sync (f->replica, "bump", g_variant_new ("(i)", 1000), -1, NULL,
                                  &error);
  g_assert_no_error (error);

  /* All 1000 changes came before the reply; none was delivered during the
   * call, all are after it, in order. */
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 1000);
  g_assert_cmpint (notified, ==, 0);
  gro_test_await (notified == 1000);
}

static void
on_write_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **out = user_data;
  gboolean ok;

  ok = gro_replica_write_property_finish (GRO_REPLICA (source), result, out);
  g_assert_true (ok == (*out == NULL));
  if (ok)
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "success marker");
}

static GError *
write_and_wait (GroReplica   *replica,
                const char   *name,
                const GValue *value)
{
  GError *error = NULL;

  gro_replica_write_property_async (replica, name, value, NULL, on_write_done, &error);
  gro_test_await (error != NULL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_clear_error (&error);
  return error;
}

static void
test_write (Fixture       *f,
            gconstpointer  data)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  int notified = 0;
  int i;

  g_signal_connect (f->replica, "notify::i", G_CALLBACK (on_notify_count), &notified);

  /* The write goes to the source; the replica changes when the source's
   * change comes back, not before. */
  g_object_set (f->replica, "i", 77, NULL);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 0);
  gro_test_await (notified == 1);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 77);

  /* The async form reports the outcome, and the value has come back by then. */
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 78);
  error = write_and_wait (f->replica, "i", &value);
  g_assert_no_error (error);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 78);

  /* Values are converted to the property's type. */
  g_value_unset (&value);
  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 3.0);
  error = write_and_wait (f->replica, "u", &value);
  g_assert_no_error (error);

  /* Out of the source's range. */
  g_value_unset (&value);
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 500);
  error = write_and_wait (f->replica, "bounded", &value);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "bounded"));
  g_clear_error (&error);

  /* Read-only at the source. */
  error = write_and_wait (f->replica, "counter", &value);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_READ_ONLY);
  g_clear_error (&error);

  error = write_and_wait (f->replica, "no-such-property", &value);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_UNKNOWN_PROPERTY);
  g_clear_error (&error);

  /* A string cannot become an int. */
  g_value_unset (&value);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "seven");
  error = write_and_wait (f->replica, "i", &value);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS);
}

static GError *
write_typed (GroReplica *replica,
             const char *name,
             GType       type,
             ...)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *error_text = NULL;
  va_list args;

  g_value_init (&value, type);
  va_start (args, type);
  G_VALUE_COLLECT (&value, args, 0, &error_text);
  va_end (args);
  g_assert_null (error_text);
  return write_and_wait (replica, name, &value);
}

/* Numbers convert to the property's type only when they keep their value. */
static void
test_write_conversions (Fixture       *f,
                        gconstpointer  data)
{
  GError *error;
  int i;
  double d;

  error = write_typed (f->replica, "i", G_TYPE_DOUBLE, 42.0);
  g_assert_no_error (error);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 42);

  error = write_typed (f->replica, "d", G_TYPE_INT64, (gint64) -7);
  g_assert_no_error (error);
  g_object_get (f->replica, "d", &d, NULL);
  g_assert_cmpfloat (d, ==, -7.0);

  error = write_typed (f->replica, "i", G_TYPE_DOUBLE, 3.5);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  error = write_typed (f->replica, "u", G_TYPE_INT, -1);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  error = write_typed (f->replica, "i", G_TYPE_INT64, (gint64) G_MAXINT + 1);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  error = write_typed (f->replica, "s", G_TYPE_INT, 5);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 42);
}

static void
on_cancelled_call_done (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GError **out = user_data;
  g_autoptr(GVariant) reply = gro_replica_call_finish (GRO_REPLICA (source), result, out);

  g_assert_null (reply);
}

/* A call whose cancellable is already cancelled never reaches the source. */
static void
test_call_cancelled_before (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  int i;

  g_cancellable_cancel (cancellable);
  gro_replica_call_async (f->replica, "bump", g_variant_new ("(i)", 1), -1, cancellable,
                          on_cancelled_call_done, &error);
  gro_test_await (error != NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The next call is answered after anything the cancelled one would have
   * done: nothing was bumped. */
  result = gro_replica_call_sync (f->replica, "add", g_variant_new ("(ii)", 1, 1), -1, NULL,
                                  NULL);
  g_assert_nonnull (result);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 0);
}

static void
test_write_every_type (Fixture       *f,
                       gconstpointer  data)
{
  const char *strv[] = { "p", "q", NULL };
  g_autoptr(GBytes) bytes = g_bytes_new ("\0\1\2", 3);
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new ("(sd)", "x", 1.5));
  g_auto(GStrv) strv_back = NULL;
  g_autoptr(GBytes) bytes_back = NULL;
  g_autoptr(GVariant) variant_back = NULL;
  g_autofree char *s = NULL;
  int notified = 0;
  float fl;
  gint64 i64;
  int mode;

  g_signal_connect (f->replica, "notify", G_CALLBACK (on_notify_count), &notified);
  g_object_set (f->replica, "s", "written", "strv", strv, "bytes", bytes, "variant", variant,
                "f", 1.25f, "i64", G_MININT64 + 1, "mode", GRO_TEST_MODE_HEAT, NULL);
  gro_test_await (notified == 7);

  g_object_get (f->replica, "s", &s, "strv", &strv_back, "bytes", &bytes_back,
                "variant", &variant_back, "f", &fl, "i64", &i64, "mode", &mode, NULL);
  g_assert_cmpstr (s, ==, "written");
  g_assert_true (g_strv_equal ((const char * const *) strv_back, strv));
  g_assert_true (g_bytes_equal (bytes, bytes_back));
  g_assert_true (g_variant_equal (variant, variant_back));
  g_assert_true (fl == 1.25f);
  g_assert_cmpint (i64, ==, G_MININT64 + 1);
  g_assert_cmpint (mode, ==, GRO_TEST_MODE_HEAT);
}

typedef struct
{
  int   count;
  int   n;
  char *text;
} Ping;

static void
on_ping (GroReplica *replica,
         int         n,
         const char *text,
         Ping       *ping)
{
  ping->count++;
  ping->n = n;
  g_free (ping->text);
  ping->text = g_strdup (text);
}

static void
test_signal (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  Ping ping = { 0 };

  g_signal_connect (f->replica, "ping", G_CALLBACK (on_ping), &ping);

  result = gro_replica_call_sync (f->replica, "emit-ping", g_variant_new ("(is)", 7, "seven"),
                                  -1, NULL, &error);
  g_assert_no_error (error);
  gro_test_await (ping.count == 1);
  g_assert_cmpint (ping.n, ==, 7);
  g_assert_cmpstr (ping.text, ==, "seven");
  g_free (ping.text);
}

typedef struct
{
  int        count;
  gboolean   b;
  guint64    u64;
  double     d;
  char      *s;
  char     **strv;
  GBytes    *bytes;
  int        mode;
  guint      flags;
} AllTypes;

static void
on_all_types (GroReplica  *replica,
              gboolean     b,
              guint64      u64,
              double       d,
              const char  *s,
              char       **strv,
              GBytes      *bytes,
              int          mode,
              guint        flags,
              AllTypes    *out)
{
  out->count++;
  out->b = b;
  out->u64 = u64;
  out->d = d;
  out->s = g_strdup (s);
  out->strv = g_strdupv (strv);
  out->bytes = g_bytes_ref (bytes);
  out->mode = mode;
  out->flags = flags;
}

static void
test_signal_all_types (Fixture       *f,
                       gconstpointer  data)
{
  AllTypes out = { 0 };

  g_signal_connect (f->replica, "all-types", G_CALLBACK (on_all_types), &out);
  gro_test_source_command (f->source, "emit-all-types");
  gro_test_await (out.count == 1);

  g_assert_true (out.b);
  g_assert_cmpuint (out.u64, ==, G_MAXUINT64);
  g_assert_cmpfloat (out.d, ==, -2.5);
  g_assert_null (out.s);
  g_assert_cmpuint (g_strv_length (out.strv), ==, 3);
  g_assert_cmpstr (out.strv[1], ==, "");
  g_assert_cmpmem (g_bytes_get_data (out.bytes, NULL), g_bytes_get_size (out.bytes), "a\0b", 3);
  g_assert_cmpint (out.mode, ==, GRO_TEST_MODE_COOL);
  g_assert_cmpuint (out.flags, ==, GRO_TEST_FLAGS_RED | GRO_TEST_FLAGS_BLUE);

  g_strfreev (out.strv);
  g_bytes_unref (out.bytes);
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GVariant **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gro_replica_call_finish (GRO_REPLICA (source), result, &error);
  if (*out == NULL)
    *out = g_variant_ref_sink (g_variant_new ("(sis)", g_quark_to_string (error->domain),
                                              error->code, error->message));
}

/* The result, or the error as (domain, code, message). */
static GVariant *
call_and_wait (GroReplica *replica,
               const char *method,
               GVariant   *args)
{
  GVariant *result = NULL;

  gro_replica_call_async (replica, method, args, -1, NULL, on_call_done, &result);
  gro_test_await (result != NULL);
  return result;
}

static void
assert_error_result (GVariant   *result,
                     GQuark      domain,
                     int         code)
{
  const char *got_domain, *message;
  int got_code;

  g_assert_true (g_variant_is_of_type (result, G_VARIANT_TYPE ("(sis)")));
  g_variant_get (result, "(&si&s)", &got_domain, &got_code, &message);
  g_assert_cmpstr (got_domain, ==, g_quark_to_string (domain));
  g_assert_cmpint (got_code, ==, code);
  g_assert_cmpstr (message, !=, "");
}

static void
test_call (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GVariant) sum = NULL;
  g_autoptr(GVariant) concat = NULL;
  g_autoptr(GVariant) nulls = NULL;
  g_autoptr(GVariant) echo = NULL;
  g_autoptr(GVariant) none = NULL;
  g_autofree char *text = NULL;

  sum = call_and_wait (f->replica, "add", g_variant_new ("(ii)", 2, 3));
  g_assert_cmpstr (g_variant_get_type_string (sum), ==, "(i)");
  g_assert_cmpint (result_int (sum), ==, 5);

  /* Plain strings are accepted where the schema carries maybe strings. */
  concat = call_and_wait (f->replica, "concat", g_variant_new ("(ss)", "ab", "cd"));
  g_variant_get (concat, "(ms)", &text);
  g_assert_cmpstr (text, ==, "abcd");
  g_clear_pointer (&text, g_free);

  nulls = call_and_wait (f->replica, "concat", g_variant_new ("(msms)", "x", NULL));
  g_variant_get (nulls, "(ms)", &text);
  g_assert_cmpstr (text, ==, "x(null)");

  echo = call_and_wait (f->replica, "echo-variant",
                        g_variant_new ("(v)", g_variant_new ("(iu)", -1, 2)));
  g_assert_cmpstr (g_variant_get_type_string (echo), ==, "(mv)");

  none = call_and_wait (f->replica, "emit-ping", g_variant_new ("(is)", 1, "one"));
  g_assert_cmpstr (g_variant_get_type_string (none), ==, "()");
}

static void
test_call_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GVariant) failed = NULL;
  g_autoptr(GVariant) unknown = NULL;
  g_autoptr(GVariant) wrong = NULL;
  g_autoptr(GVariant) too_few = NULL;
  g_autoptr(GVariant) dropped = NULL;
  const char *message;

  /* The source's own error domain, code and message. */
  failed = call_and_wait (f->replica, "fail", g_variant_new ("(s)", "it broke"));
  assert_error_result (failed, GRO_TEST_ERROR, 42);
  g_variant_get_child (failed, 2, "&s", &message);
  g_assert_cmpstr (message, ==, "it broke");

  unknown = call_and_wait (f->replica, "no-such-method", NULL);
  assert_error_result (unknown, GRO_ERROR, GRO_ERROR_UNKNOWN_METHOD);

  wrong = call_and_wait (f->replica, "add", g_variant_new ("(ss)", "2", "3"));
  assert_error_result (wrong, GRO_ERROR, GRO_ERROR_INVALID_ARGS);

  too_few = call_and_wait (f->replica, "add", g_variant_new ("(i)", 2));
  assert_error_result (too_few, GRO_ERROR, GRO_ERROR_INVALID_ARGS);

  /* A deferred call the source drops is answered, not left hanging. */
  dropped = call_and_wait (f->replica, "drop", NULL);
  assert_error_result (dropped, GRO_ERROR, GRO_ERROR_NO_REPLY);
}

static void
test_call_deferred (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GVariant) sum = NULL;
  g_autoptr(GVariant) sync_sum = NULL;
  g_autoptr(GError) error = NULL;

  sum = call_and_wait (f->replica, "defer-add", g_variant_new ("(ii)", 20, 22));
  g_assert_cmpint (result_int (sum), ==, 42);

  sync_sum = gro_replica_call_sync (f->replica, "defer-add", g_variant_new ("(ii)", 1, 1), -1,
                                    NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result_int (sync_sum), ==, 2);
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_call_sync_runs_nothing_else (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean idle_ran = FALSE;
  int notified = 0;
  Ping ping = { 0 };

  g_signal_connect (f->replica, "notify::i", G_CALLBACK (on_notify_count), &notified);
  g_signal_connect (f->replica, "ping", G_CALLBACK (on_ping), &ping);
  g_idle_add (set_true, &idle_ran);

  /* The deferred answer takes 20 ms; meanwhile a push and a signal arrive. */
  gro_test_source_command (f->source, "set i 5");
  gro_replica_call_async (f->replica, "emit-ping", g_variant_new ("(is)", 3, "three"), -1,
                          NULL, NULL, NULL);
  result = gro_replica_call_sync (f->replica, "defer-add", g_variant_new ("(ii)", 1, 2), -1,
                                  NULL, &error);
  g_assert_no_error (error);

  g_assert_false (idle_ran);
  g_assert_cmpint (notified, ==, 0);
  g_assert_cmpint (ping.count, ==, 0);

  gro_test_await (idle_ran && notified == 1 && ping.count == 1);
  g_free (ping.text);
}

static void
test_call_sync_errors (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  result = gro_replica_call_sync (f->replica, "fail", g_variant_new ("(s)", "no"), -1, NULL,
                                  &error);
  g_assert_null (result);
  g_assert_error (error, GRO_TEST_ERROR, 42);
  g_clear_error (&error);

  /* The answer comes after 20 ms; 1 ms is too short. */
  result = gro_replica_call_sync (f->replica, "defer-add", g_variant_new ("(ii)", 1, 2), 1,
                                  NULL, &error);
  g_assert_null (result);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_TIMED_OUT);
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  result = gro_replica_call_sync (f->replica, "defer-add", g_variant_new ("(ii)", 1, 2), -1,
                                  cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The link is still fine. */
  result = gro_replica_call_sync (f->replica, "add", g_variant_new ("(ii)", 1, 2), -1, NULL,
                                  &error);
  g_assert_no_error (error);
}

static void
test_call_timeout_async (Fixture       *f,
                         gconstpointer  data)
{
  GVariant *result = NULL;

  gro_replica_call_async (f->replica, "defer-add", g_variant_new ("(ii)", 1, 2), 1, NULL,
                          on_call_done, &result);
  gro_test_await (result != NULL);
  assert_error_result (result, GRO_ERROR, GRO_ERROR_TIMED_OUT);
  g_variant_unref (result);
}

typedef struct
{
  GroReplica *replica;
  GVariant   *result;
  GError     *error;
  gboolean    valid;
} ThreadCall;

static gpointer
call_from_thread (gpointer data)
{
  ThreadCall *call = data;

  call->valid = gro_replica_wait_for_source (call->replica, GRO_TEST_TIMEOUT_MS, NULL);
  call->result = gro_replica_call_sync (call->replica, "defer-add",
                                        g_variant_new ("(ii)", 40, 2), -1, NULL, &call->error);
  return NULL;
}

static void
test_call_sync_other_thread (Fixture       *f,
                             gconstpointer  data)
{
  ThreadCall call = { f->replica, NULL, NULL, FALSE };
  GThread *thread;

  /* The main thread keeps running the node's context meanwhile. */
  thread = g_thread_new ("caller", call_from_thread, &call);
  gro_test_await (call.result != NULL || call.error != NULL);
  g_thread_join (thread);

  g_assert_true (call.valid);
  g_assert_no_error (call.error);
  g_assert_cmpint (result_int (call.result), ==, 42);
  g_variant_unref (call.result);
}

static void
test_interface_info (Fixture       *f,
                     gconstpointer  data)
{
  GDBusInterfaceInfo *info = gro_replica_get_interface_info (f->replica);
  GDBusMethodInfo *add;
  GDBusPropertyInfo *mode;

  g_assert_nonnull (info);
  g_assert_cmpstr (info->name, ==, "GroTestObject");

  add = g_dbus_interface_info_lookup_method (info, "add");
  g_assert_nonnull (add);
  g_assert_cmpstr (add->in_args[0]->signature, ==, "i");
  g_assert_cmpstr (add->out_args[0]->signature, ==, "i");
  g_assert_null (g_dbus_interface_info_lookup_method (info, "ping"));
  g_assert_nonnull (g_dbus_interface_info_lookup_signal (info, "ping"));

  mode = g_dbus_interface_info_lookup_property (info, "mode");
  g_assert_cmpstr (mode->signature, ==, "i");
  g_assert_cmpstr (g_dbus_annotation_info_lookup (mode->annotations, "org.gtk.Gro.Type"), ==,
                   "GroTestMode");
  g_assert_true (mode->flags & G_DBUS_PROPERTY_INFO_FLAGS_WRITABLE);
  g_assert_false (g_dbus_interface_info_lookup_property (info, "counter")->flags &
                  G_DBUS_PROPERTY_INFO_FLAGS_WRITABLE);
}

/* ------------------------------------------------------------------------ */
/* Losing the source                                                         */

static void
on_connection_closed (GroNode      *node,
                      const char   *address,
                      const GError *error,
                      char        **out)
{
  g_assert_error (error, GRO_ERROR, GRO_ERROR_DISCONNECTED);
  *out = g_strdup (address);
}

static void
test_host_gone (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *in_flight = NULL;
  char *closed_address = NULL;
  int i;

  g_signal_connect (f->node, "connection-closed", G_CALLBACK (on_connection_closed),
                    &closed_address);
  gro_test_source_command (f->source, "set i 12");
  gro_test_await (({ g_object_get (f->replica, "i", &i, NULL); i == 12; }));

  /* The answer would come after 20 ms; the host dies first. */
  gro_replica_call_async (f->replica, "defer-add", g_variant_new ("(ii)", 1, 2), -1, NULL,
                          on_call_done, &in_flight);
  gro_test_source_kill (f->source);

  gro_test_await (in_flight != NULL);
  assert_error_result (in_flight, GRO_ERROR, GRO_ERROR_DISCONNECTED);
  g_variant_unref (in_flight);

  gro_test_await (gro_replica_get_state (f->replica) == GRO_REPLICA_STATE_SUSPECT);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 12);

  /* Calls while suspect fail at once. */
  result = gro_replica_call_sync (f->replica, "add", g_variant_new ("(ii)", 1, 2), -1, NULL,
                                  &error);
  g_assert_null (result);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE);

  gro_test_await (closed_address != NULL);
  g_assert_cmpstr (closed_address, ==, gro_test_source_get_url (f->source, 0));
  g_free (closed_address);
}

static void
test_disable_remoting (Fixture       *f,
                       gconstpointer  data)
{
  int initialized = 0;
  int i;

  g_signal_connect_swapped (f->replica, "initialized", G_CALLBACK (count_cb), &initialized);
  gro_test_source_command (f->source, "set i 3");
  gro_test_await (({ g_object_get (f->replica, "i", &i, NULL); i == 3; }));

  gro_test_source_command (f->source, "disable");
  gro_test_await (gro_replica_get_state (f->replica) == GRO_REPLICA_STATE_SUSPECT);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 3);

  /* Shared again: fresh values, initialized again. */
  gro_test_source_command (f->source, "set i 4");
  gro_test_source_command (f->source, "enable");
  gro_test_await (gro_replica_is_valid (f->replica) && initialized == 1);
  g_object_get (f->replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 4);
}

/* ------------------------------------------------------------------------ */
/* Transports and addresses                                                  */

static void
check_transport_url (GroTestSource *source,
                     const char    *url)
{
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;

  gro_node_connect_to_node (node, url, &error);
  g_assert_no_error (error);
  replica = gro_node_acquire_dynamic (node, "test");
  gro_replica_wait_for_source (replica, GRO_TEST_TIMEOUT_MS, &error);
  g_assert_no_error (error);
  result = gro_replica_call_sync (replica, "add", g_variant_new ("(ii)", 1, 2), -1, NULL, &error);
  g_assert_no_error (error);
}

static void
check_transport (const char *listen)
{
  g_autoptr(GroTestSource) source = gro_test_source_start ("--listen", listen, NULL);

  g_assert_cmpstr (gro_test_source_get_url (source, 0), ==, listen);
  check_transport_url (source, listen);
}

static void
test_transport_unix (void)
{
  g_autofree char *path = gro_test_temp_socket_path ("source");
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  check_transport (url);
  /* The host removed its socket file when it exited. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

static void
test_transport_local (void)
{
  g_autofree char *name = g_strdup_printf ("gro-test-%d", getpid ());
  g_autofree char *url = g_strconcat ("local:", name, NULL);

  check_transport (url);
}

static void
test_transport_abstract (void)
{
  g_autofree char *url = g_strdup_printf ("unix-abstract:gro-test-%d", getpid ());

  check_transport (url);
}

static void
test_transport_tcp (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start ("--listen", "tcp://127.0.0.1:0", NULL);
  const char *url = gro_test_source_get_url (source, 0);

  /* Port 0 gives a real port back. */
  g_assert_true (g_str_has_prefix (url, "tcp://127.0.0.1:"));
  g_assert_cmpstr (url, !=, "tcp://127.0.0.1:0");
  check_transport_url (source, url);
}

static void
test_bad_addresses (void)
{
  const char *bad[] = {
    "", "nonsense", "tcp://", "tcp://host", "tcp://host:99999", "tcp://:1",
    "unix:", "local:", "local:a/b", "unix-abstract:", "http://example.com:80",
  };
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GroHost) host = NULL;

      g_assert_false (gro_node_connect_to_node (node, bad[i], &error));
      g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ADDRESS);
      if (bad[i][0] != '\0')
        g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);

      host = gro_host_new (bad[i], &error);
      g_assert_null (host);
      g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ADDRESS);
      g_clear_error (&error);
    }
}

static void
test_connection_refused (void)
{
  g_autofree char *path = gro_test_temp_socket_path ("nobody");
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (gro_node_connect_to_node (node, url, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, url));
  g_rmdir (dir);
}

static void
test_address_in_use (void)
{
  g_autofree char *path = gro_test_temp_socket_path ("taken");
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GroTestSource) source = gro_test_source_start ("--listen", url, NULL);
  g_autoptr(GroHost) host = NULL;
  g_autoptr(GError) error = NULL;

  host = gro_host_new (url, &error);
  g_assert_null (host);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);

  g_clear_pointer (&source, gro_test_source_free);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/replica/values/enum-remote", test_enum_remote);
  g_test_add_func ("/replica/values/enum-local", test_enum_local);

  g_test_add_func ("/replica/acquire/states", test_acquire_states);
  g_test_add_func ("/replica/acquire/async", test_acquire_async);
  g_test_add_func ("/replica/acquire/before-shared", test_acquire_before_shared);
  g_test_add_func ("/replica/values/initial", test_initial_values);
  g_test_add_func ("/replica/values/null", test_null_values);
  ADD ("/replica/push/notify", test_push);
  ADD ("/replica/push/many", test_push_many);
  ADD ("/replica/write/basic", test_write);
  ADD ("/replica/write/every-type", test_write_every_type);
  ADD ("/replica/write/conversions", test_write_conversions);
  ADD ("/replica/call/cancelled-before", test_call_cancelled_before);
  ADD ("/replica/signal/two-args", test_signal);
  ADD ("/replica/signal/all-types", test_signal_all_types);
  ADD ("/replica/call/values", test_call);
  ADD ("/replica/call/errors", test_call_errors);
  ADD ("/replica/call/deferred", test_call_deferred);
  ADD ("/replica/call/timeout", test_call_timeout_async);
  ADD ("/replica/call-sync/runs-nothing-else", test_call_sync_runs_nothing_else);
  ADD ("/replica/call-sync/errors", test_call_sync_errors);
  ADD ("/replica/call-sync/other-thread", test_call_sync_other_thread);
  ADD ("/replica/interface-info", test_interface_info);
  ADD ("/replica/lost/host-gone", test_host_gone);
  ADD ("/replica/lost/disable-remoting", test_disable_remoting);
#undef ADD
  g_test_add_func ("/transport/unix", test_transport_unix);
  g_test_add_func ("/transport/local", test_transport_local);
  g_test_add_func ("/transport/unix-abstract", test_transport_abstract);
  g_test_add_func ("/transport/tcp", test_transport_tcp);
  g_test_add_func ("/address/bad", test_bad_addresses);
  g_test_add_func ("/address/refused", test_connection_refused);
  g_test_add_func ("/address/in-use", test_address_in_use);

  return g_test_run ();
}
