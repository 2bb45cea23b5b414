/* test-typed.c: typed replicas made by gro-compiler, against typed-test-source
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include <gro.h>

#include "demo-sim-thermostat.h"
#include "demo-thermostat-replica.h"
#include "gro-test-util.h"

typedef struct
{
  GroTestSource *source;
  GroNode       *node;
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
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->node);
  gro_test_source_free (f->source);
}

static DemoThermostatReplica *
acquire_valid (Fixture    *f,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  DemoThermostatReplica *replica = demo_thermostat_replica_acquire (f->node, name);

  gro_replica_wait_for_source (GRO_REPLICA (replica), GRO_TEST_TIMEOUT_MS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gro_replica_get_state (GRO_REPLICA (replica)), ==, GRO_REPLICA_STATE_VALID);
  return replica;
}

/* Before any host: state DEFAULT and the interface's default values. */
static void
test_default_state (void)
{
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(DemoThermostatReplica) replica = demo_thermostat_replica_acquire (node, "thermostat");
  g_autofree char *label = NULL;
  double temperature, target;
  DemoMode mode;

  g_assert_true (DEMO_IS_THERMOSTAT (replica));
  g_assert_true (GRO_IS_REPLICA (replica));
  g_assert_cmpint (gro_replica_get_state (GRO_REPLICA (replica)), ==, GRO_REPLICA_STATE_DEFAULT);
  g_object_get (replica, "label", &label, "temperature", &temperature, "target", &target,
                "mode", &mode, NULL);
  g_assert_cmpstr (label, ==, "unnamed");
  g_assert_cmpfloat (temperature, ==, 20);
  g_assert_cmpfloat (target, ==, 21);
  g_assert_cmpint (mode, ==, DEMO_MODE_OFF);
}

/* The hash the compiler wrote is the one gro computes from the schema. */
static void
test_schema_hash (void)
{
  g_autoptr(GVariant) schema = NULL;
  g_autofree char *digest = NULL;

  schema = g_variant_parse (G_VARIANT_TYPE ("(sa(ssu)a(sas)a(sass)a(sba(uss)))"),
                            demo_thermostat_replica_get_schema (), NULL, NULL, NULL);
  g_assert_nonnull (schema);
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, g_variant_get_data (schema),
                                        g_variant_get_size (schema));
  digest[32] = '\0';
  g_assert_cmpstr (digest, ==, DEMO_THERMOSTAT_REPLICA_SCHEMA_HASH);
}

static void
test_valid (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DemoThermostatReplica) replica = acquire_valid (f, "thermostat");
  g_autofree char *label = NULL;
  double target;

  g_object_get (replica, "label", &label, "target", &target, NULL);
  g_assert_cmpstr (label, ==, "living room");
  g_assert_cmpfloat (target, ==, 21);
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(int *) user_data)++;
}

static double
get_double (gpointer    object,
            const char *name)
{
  double value;

  g_object_get (object, name, &value, NULL);
  return value;
}

static void
test_property (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DemoThermostatReplica) replica = acquire_valid (f, "thermostat");
  int notified = 0;

  g_signal_connect (replica, "notify::temperature", G_CALLBACK (on_notify_count), &notified);
  gro_test_source_command (f->source, "temperature 23.5");
  gro_test_await (notified == 1);
  g_assert_cmpfloat (get_double (replica, "temperature"), ==, 23.5);

  /* A write goes to the source, and comes back as a change. */
  g_object_set (replica, "target", 25.0, NULL);
  gro_test_await (get_double (replica, "target") == 25.0);
  g_object_set (replica, "mode", DEMO_MODE_COOL, NULL);
  gro_test_await (({ DemoMode m; g_object_get (replica, "mode", &m, NULL); m == DEMO_MODE_COOL; }));
}

typedef struct
{
  int   level;
  char *message;
} Alarm;

static void
on_alarm (DemoThermostat *thermostat,
          int             level,
          const char     *message,
          Alarm          *alarm)
{
  alarm->level = level;
  g_free (alarm->message);
  alarm->message = g_strdup (message);
}

static void
test_signal (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DemoThermostatReplica) replica = acquire_valid (f, "thermostat");
  Alarm alarm = { 0, NULL };

  g_signal_connect (replica, "alarm", G_CALLBACK (on_alarm), &alarm);
  gro_test_source_command (f->source, "alarm 3 too hot in here");
  gro_test_await (alarm.level == 3);
  g_assert_cmpstr (alarm.message, ==, "too hot in here");
  g_free (alarm.message);
}

typedef struct
{
  gboolean  done;
  double    result;
  GError   *error;
} TargetResult;

static void
on_target_set (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TargetResult *r = user_data;

  r->result = demo_thermostat_set_target_finish (DEMO_THERMOSTAT (object), result, &r->error);
  r->done = TRUE;
}

static void
test_async_method (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DemoThermostatReplica) replica = acquire_valid (f, "thermostat");
  TargetResult r = { FALSE, 0, NULL };

  /* The source clamps the target to 30 and says so. */
  demo_thermostat_set_target_async (DEMO_THERMOSTAT (replica), 40, NULL, on_target_set, &r);
  gro_test_await (r.done);
  g_assert_no_error (r.error);
  g_assert_cmpfloat (r.result, ==, 30);
  gro_test_await (get_double (replica, "target") == 30);

  /* Its error comes back as it was. */
  r = (TargetResult) { FALSE, 0, NULL };
  demo_thermostat_set_target_async (DEMO_THERMOSTAT (replica), NAN, NULL, on_target_set, &r);
  gro_test_await (r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (r.error->message, ==, "The target must be a number");
  g_clear_error (&r.error);
}

static void
test_blocking_method (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DemoThermostatReplica) replica = acquire_valid (f, "thermostat");
  g_autoptr(GError) error = NULL;

  g_assert_false (demo_thermostat_boost (DEMO_THERMOSTAT (replica), 5000, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "A boost lasts from 1 to 3600 seconds, not 5000");
  g_clear_error (&error);

  g_assert_true (demo_thermostat_boost (DEMO_THERMOSTAT (replica), 60, &error));
  g_assert_no_error (error);
  gro_test_await (({ DemoMode m; g_object_get (replica, "mode", &m, NULL); m == DEMO_MODE_HEAT; }));
}

static void
test_void_method (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DemoThermostatReplica) replica = acquire_valid (f, "thermostat");

  g_object_set (replica, "target", 27.0, NULL);
  gro_test_await (get_double (replica, "target") == 27.0);

  /* Sent without waiting; its effect comes back as changes. */
  demo_thermostat_reset (DEMO_THERMOSTAT (replica));
  gro_test_await (get_double (replica, "target") == 21.0);
}

/* Members the source has beyond the interface do not matter. */
static void
test_added_members (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DemoThermostatReplica) replica = acquire_valid (f, "extended");
  g_autofree char *label = NULL;

  g_object_get (replica, "label", &label, NULL);
  g_assert_cmpstr (label, ==, "TestExtended");
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (replica), "humidity"));
}

static void
assert_mismatch (Fixture    *f,
                 const char *name,
                 const char *expected_message)
{
  g_autoptr(DemoThermostatReplica) replica = demo_thermostat_replica_acquire (f->node, name);
  g_autoptr(GError) error = NULL;

  g_assert_false (gro_replica_wait_for_source (GRO_REPLICA (replica), GRO_TEST_TIMEOUT_MS, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH);
  g_assert_cmpint (gro_replica_get_state (GRO_REPLICA (replica)), ==,
                   GRO_REPLICA_STATE_SIGNATURE_MISMATCH);
  g_assert_cmpstr (error->message, ==, expected_message);

  /* The replica still shows the interface's defaults. */
  g_assert_cmpfloat (get_double (replica, "target"), ==, 21);
}

static void
test_retyped_member (Fixture       *f,
                     gconstpointer  data)
{
  assert_mismatch (f, "retyped",
                   "The property 'target' of the source 'retyped' has type gint, "
                   "the replica gdouble");
}

static void
test_removed_member (Fixture       *f,
                     gconstpointer  data)
{
  assert_mismatch (f, "no-methods",
                   "The source 'no-methods' (TestNoMethods) no longer has the method 'boost'");
}

/* The replica is a DemoThermostat: code written for the interface takes it
 * as it takes a local one. */
static double
target_of (DemoThermostat *thermostat)
{
  return get_double (thermostat, "target");
}

static void
test_same_code (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DemoThermostatReplica) replica = acquire_valid (f, "thermostat");
  g_autoptr(DemoSimThermostat) local = demo_sim_thermostat_new ("here");

  g_assert_cmpfloat (target_of (DEMO_THERMOSTAT (local)), ==, target_of (DEMO_THERMOSTAT (replica)));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/typed/default-state", test_default_state);
  g_test_add_func ("/typed/schema-hash", test_schema_hash);
#define ADD(path, func) \
  g_test_add ("/typed/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("valid", test_valid);
  ADD ("property", test_property);
  ADD ("signal", test_signal);
  ADD ("async-method", test_async_method);
  ADD ("blocking-method", test_blocking_method);
  ADD ("void-method", test_void_method);
  ADD ("same-code", test_same_code);
  /* A source other than typed-test-source (typed_source.py) shares only
   * "thermostat". */
  if (g_getenv ("GRO_TYPED_THERMOSTAT_ONLY") == NULL)
    {
      ADD ("added-members", test_added_members);
      ADD ("retyped-member", test_retyped_member);
      ADD ("removed-member", test_removed_member);
    }
#undef ADD

  return g_test_run ();
}
