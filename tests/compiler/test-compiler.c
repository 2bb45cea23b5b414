/* test-compiler.c: the code gro-compiler generates for the fixture interface,
 * FixtureDevice, which uses every type gro carries
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <gro.h>

#include "fixture-device-replica.h"
#include "gro-test-util.h"

/* ------------------------------------------------------------------------ */
/* A local FixtureDevice, shared by a host in a thread of its own            */

enum
{
  PROP_0,
  PROP_BIG,
  PROP_BLOB,
  PROP_COUNT,
  PROP_ENABLED,
  PROP_EXTRA,
  PROP_FEATURES,
  PROP_LABEL,
  PROP_MODE,
  PROP_SERIAL,
  PROP_TAGS,
  PROP_TARGET,
  N_PROPS
};

static const char * const prop_names[N_PROPS] = {
  NULL, "big", "blob", "count", "enabled", "extra", "features", "label", "mode", "serial",
  "tags", "target",
};

#define TEST_TYPE_DEVICE (test_device_get_type ())
G_DECLARE_FINAL_TYPE (TestDevice, test_device, TEST, DEVICE, GObject)

struct _TestDevice
{
  GObject parent_instance;
  GValue  values[N_PROPS];
  int     resets;  /* atomic */
};

static void test_device_iface_init (FixtureDeviceInterface *iface);

G_DEFINE_TYPE_WITH_CODE (TestDevice, test_device, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (FIXTURE_TYPE_DEVICE, test_device_iface_init))

static void
test_device_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  g_value_copy (&TEST_DEVICE (object)->values[prop_id], value);
}

static void
test_device_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  g_value_copy (value, &TEST_DEVICE (object)->values[prop_id]);
}

static void
test_device_finalize (GObject *object)
{
  TestDevice *self = TEST_DEVICE (object);

  for (guint i = 1; i < N_PROPS; i++)
    g_value_unset (&self->values[i]);
  G_OBJECT_CLASS (test_device_parent_class)->finalize (object);
}

static void
test_device_class_init (TestDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_device_get_property;
  object_class->set_property = test_device_set_property;
  object_class->finalize = test_device_finalize;
  for (guint i = 1; i < N_PROPS; i++)
    g_object_class_override_property (object_class, i, prop_names[i]);
}

static void
test_device_init (TestDevice *self)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (self);

  for (guint i = 1; i < N_PROPS; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, prop_names[i]);

      g_value_init (&self->values[i], pspec->value_type);
      g_param_value_set_default (pspec, &self->values[i]);
    }
}

static void
test_device_reset (FixtureDevice *device)
{
  g_atomic_int_inc (&TEST_DEVICE (device)->resets);
}

static gboolean
test_device_set_target (FixtureDevice  *device,
                        double          target,
                        GError        **error)
{
  if (target > 100)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%g is too hot", target);
      return FALSE;
    }
  g_object_set (device, "target", target, NULL);
  return TRUE;
}

static char *
test_device_describe (FixtureDevice *device,
                      const char    *prefix,
                      gint64         serial,
                      guint8         level)
{
  return g_strdup_printf ("%s/%" G_GINT64_FORMAT "/%u", prefix ? prefix : "(null)", serial,
                          level);
}

static void
test_device_rename (FixtureDevice  *device,
                    const char     *name,
                    GError        **error)
{
  if (name == NULL || name[0] == '\0')
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "A name is needed");
  else
    g_object_set (device, "label", name, NULL);
}

/* Answers mode * 100 + number of names * 10 + features, later. */
static void
test_device_measure_async (FixtureDevice       *device,
                           FixtureMode          mode,
                           const char * const  *names,
                           FixtureFeatures      features,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (device, cancellable, callback, user_data);
  double result = mode * 100 + (names ? g_strv_length ((char **) names) : 0) * 10 + features;

  if (mode == FIXTURE_MODE_BROKEN)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "broken");
  else
    g_task_return_pointer (task, g_memdup2 (&result, sizeof result), g_free);
}

static double
test_device_measure_finish (FixtureDevice  *device,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_autofree double *value = g_task_propagate_pointer (G_TASK (result), error);

  return value ? *value : -1;
}

static void
test_device_pack_async (FixtureDevice       *device,
                        GBytes              *bytes,
                        GVariant            *extra,
                        float                ratio,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (device, cancellable, callback, user_data);
  GVariant *packed = g_variant_new ("(tvd)", (guint64) g_bytes_get_size (bytes),
                                    extra ? extra : g_variant_new_string ("none"),
                                    (double) ratio);

  g_task_return_pointer (task, g_variant_ref_sink (packed), (GDestroyNotify) g_variant_unref);
}

static GVariant *
test_device_pack_finish (FixtureDevice  *device,
                         GAsyncResult   *result,
                         GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_device_iface_init (FixtureDeviceInterface *iface)
{
  iface->reset = test_device_reset;
  iface->set_target = test_device_set_target;
  iface->describe = test_device_describe;
  iface->rename = test_device_rename;
  iface->measure_async = test_device_measure_async;
  iface->measure_finish = test_device_measure_finish;
  iface->pack_async = test_device_pack_async;
  iface->pack_finish = test_device_pack_finish;
}

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  TestDevice   *device;
  char         *url;
  GMutex        lock;
  GCond         ready;
  gboolean      started;
} HostThread;

static gpointer
host_thread (gpointer data)
{
  HostThread *h = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GroHost) host = NULL;
  const char * const tags[] = { "a", "b", NULL };
  guint8 blob[] = { 1, 0, 2 };
  g_autoptr(GBytes) bytes = g_bytes_new (blob, sizeof blob);

  g_main_context_push_thread_default (h->context);
  fixture_device_replica_register_source_methods ();
  h->device = g_object_new (TEST_TYPE_DEVICE,
                            "big", G_MININT64, "blob", bytes, "enabled", TRUE,
                            "extra", g_variant_new ("(si)", "x", -3),
                            "label", "kitchen", "mode", FIXTURE_MODE_BROKEN,
                            "serial", "SN1", "tags", tags, "target", 21.5, NULL);
  /* Read-only for everyone else. */
  g_value_set_flags (&h->device->values[PROP_FEATURES],
                     FIXTURE_FEATURES_FAN | FIXTURE_FEATURES_TIMER);
  g_value_set_uint (&h->device->values[PROP_COUNT], 7);
  host = gro_host_new (h->url, &error);
  g_assert_no_error (error);
  gro_host_enable_remoting (host, G_OBJECT (h->device), "device", &error);
  g_assert_no_error (error);

  g_mutex_lock (&h->lock);
  h->started = TRUE;
  g_cond_signal (&h->ready);
  g_mutex_unlock (&h->lock);

  g_main_loop_run (h->loop);
  g_clear_object (&host);
  g_clear_object (&h->device);
  g_main_context_pop_thread_default (h->context);
  return NULL;
}

static HostThread *
host_thread_start (void)
{
  HostThread *h = g_new0 (HostThread, 1);
  g_autofree char *path = gro_test_temp_socket_path ("compiler");

  h->url = g_strconcat ("unix:", path, NULL);
  h->context = g_main_context_new ();
  h->loop = g_main_loop_new (h->context, FALSE);
  g_mutex_init (&h->lock);
  g_cond_init (&h->ready);
  h->thread = g_thread_new ("host", host_thread, h);
  g_mutex_lock (&h->lock);
  while (!h->started)
    g_cond_wait (&h->ready, &h->lock);
  g_mutex_unlock (&h->lock);
  return h;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
host_thread_stop (HostThread *h)
{
  g_main_context_invoke (h->context, quit_loop, h->loop);
  g_thread_join (h->thread);
  g_main_loop_unref (h->loop);
  g_main_context_unref (h->context);
  g_mutex_clear (&h->lock);
  g_cond_clear (&h->ready);
  g_free (h->url);
  g_free (h);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

/* The hash in the header is that of the schema, as doc/protocol.md §5.4 says. */
static void
test_schema (void)
{
  g_autoptr(GVariant) schema = NULL;
  g_autoptr(GVariant) methods = NULL;
  g_autofree char *digest = NULL;
  const char *type_name;

  schema = g_variant_parse (G_VARIANT_TYPE ("(sa(ssu)a(sas)a(sass)a(sba(uss)))"),
                            fixture_device_replica_get_schema (), NULL, NULL, NULL);
  g_assert_nonnull (schema);
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, g_variant_get_data (schema),
                                        g_variant_get_size (schema));
  digest[32] = '\0';
  g_assert_cmpstr (digest, ==, FIXTURE_DEVICE_REPLICA_SCHEMA_HASH);

  g_variant_get_child (schema, 0, "&s", &type_name);
  g_assert_cmpstr (type_name, ==, "FixtureDevice");
  methods = g_variant_get_child_value (schema, 3);
  g_assert_cmpuint (g_variant_n_children (methods), ==, 6);
}

/* gro_replica_class_set_schema() takes the class (a critical would abort). */
static void
test_class (void)
{
  g_type_class_unref (g_type_class_ref (FIXTURE_TYPE_DEVICE_REPLICA));
  g_assert_true (g_type_is_a (FIXTURE_TYPE_DEVICE_REPLICA, FIXTURE_TYPE_DEVICE));
  g_assert_true (gro_interface_has_methods (FIXTURE_TYPE_DEVICE));
}

typedef struct
{
  HostThread            *host;
  GroNode               *node;
  FixtureDeviceReplica  *replica;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->host = host_thread_start ();
  f->node = gro_node_new ();
  gro_node_connect_to_node (f->node, f->host->url, &error);
  g_assert_no_error (error);
  f->replica = fixture_device_replica_acquire (f->node, "device");
  g_assert_cmpint (gro_replica_get_state (GRO_REPLICA (f->replica)), ==,
                   GRO_REPLICA_STATE_DEFAULT);
  gro_replica_wait_for_source (GRO_REPLICA (f->replica), GRO_TEST_TIMEOUT_MS, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->replica);
  g_clear_object (&f->node);
  if (f->host != NULL)
    host_thread_stop (f->host);
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GVariant) extra = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *label = NULL;
  g_autofree char *serial = NULL;
  gint64 big;
  guint count;
  gboolean enabled;
  FixtureFeatures features;
  FixtureMode mode;
  double target;

  g_object_get (f->replica, "big", &big, "blob", &blob, "count", &count, "enabled", &enabled,
                "extra", &extra,
                "features", &features, "label", &label, "mode", &mode, "serial", &serial,
                "tags", &tags, "target", &target, NULL);
  g_assert_cmpint (big, ==, G_MININT64);
  g_assert_cmpuint (g_bytes_get_size (blob), ==, 3);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (blob, NULL))[2], ==, 2);
  g_assert_cmpuint (count, ==, 7);
  g_assert_true (enabled);
  g_assert_cmpstr (g_variant_get_type_string (extra), ==, "(si)");
  g_assert_cmpint (features, ==, FIXTURE_FEATURES_FAN | FIXTURE_FEATURES_TIMER);
  g_assert_cmpstr (label, ==, "kitchen");
  g_clear_pointer (&label, g_free);
  /* A property accessor without a virtual function works as it is. */
  label = fixture_device_dup_label (FIXTURE_DEVICE (f->replica));
  g_assert_cmpstr (label, ==, "kitchen");
  g_assert_cmpint (mode, ==, FIXTURE_MODE_BROKEN);
  g_assert_cmpstr (serial, ==, "SN1");
  g_assert_cmpstrv (tags, ((const char * const[]) { "a", "b", NULL }));
  g_assert_cmpfloat (target, ==, 21.5);
}

static void
test_blocking (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  FixtureDevice *device = FIXTURE_DEVICE (f->replica);

  description = fixture_device_describe (device, "p", G_MAXINT64, 200);
  g_assert_cmpstr (description, ==, "p/9223372036854775807/200");
  g_clear_pointer (&description, g_free);
  description = fixture_device_describe (device, NULL, -1, 0);
  g_assert_cmpstr (description, ==, "(null)/-1/0");

  g_assert_true (fixture_device_set_target (device, 30, &error));
  g_assert_no_error (error);
  g_assert_false (fixture_device_set_target (device, 300, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "too hot"));
  g_clear_error (&error);

  fixture_device_rename (device, "", &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  fixture_device_rename (device, "cellar", &error);
  g_assert_no_error (error);
}

static void
on_async_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) packed = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("abcd", 4);
  const char * const names[] = { "x", "y", "z", NULL };
  FixtureDevice *device = FIXTURE_DEVICE (f->replica);
  guint64 size;
  g_autoptr(GVariant) extra = NULL;
  double ratio;

  fixture_device_measure_async (device, FIXTURE_MODE_COOL, names, FIXTURE_FEATURES_TIMER, NULL,
                                on_async_done, &result);
  g_assert_true (gro_test_wait_until (is_set, &result, GRO_TEST_TIMEOUT_MS));
  g_assert_cmpfloat (fixture_device_measure_finish (device, result, &error), ==, 232);
  g_assert_no_error (error);
  g_clear_object (&result);

  fixture_device_measure_async (device, FIXTURE_MODE_BROKEN, names, 0, NULL,
                                on_async_done, &result);
  g_assert_true (gro_test_wait_until (is_set, &result, GRO_TEST_TIMEOUT_MS));
  fixture_device_measure_finish (device, result, &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A value its enumeration or flags lack never reaches the object. */
  fixture_device_measure_async (device, (FixtureMode) 42, names, 0, NULL, on_async_done, &result);
  g_assert_true (gro_test_wait_until (is_set, &result, GRO_TEST_TIMEOUT_MS));
  fixture_device_measure_finish (device, result, &error);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS);
  g_assert_nonnull (strstr (error->message, "42 is not a value of FixtureMode"));
  g_clear_error (&error);
  g_clear_object (&result);

  fixture_device_measure_async (device, FIXTURE_MODE_HEAT, names, (FixtureFeatures) 0x100, NULL,
                                on_async_done, &result);
  g_assert_true (gro_test_wait_until (is_set, &result, GRO_TEST_TIMEOUT_MS));
  fixture_device_measure_finish (device, result, &error);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS);
  g_clear_error (&error);
  g_clear_object (&result);

  fixture_device_pack_async (device, bytes, g_variant_new_int32 (7), 0.5f, NULL,
                             on_async_done, &result);
  g_assert_true (gro_test_wait_until (is_set, &result, GRO_TEST_TIMEOUT_MS));
  packed = fixture_device_pack_finish (device, result, &error);
  g_assert_no_error (error);
  g_variant_get (packed, "(tvd)", &size, &extra, &ratio);
  g_assert_cmpuint (size, ==, 4);
  g_assert_cmpint (g_variant_get_int32 (extra), ==, 7);
  g_assert_cmpfloat (ratio, ==, 0.5);
}

static gboolean
reset_arrived (gpointer data)
{
  Fixture *f = data;

  return g_atomic_int_get (&TEST_DEVICE (f->host->device)->resets) > 0;
}

/* A void method that does not throw is sent without waiting. */
static void
test_send (Fixture       *f,
           gconstpointer  data)
{
  fixture_device_reset (FIXTURE_DEVICE (f->replica));
  g_assert_true (gro_test_wait_until (reset_arrived, f, GRO_TEST_TIMEOUT_MS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compiler/schema", test_schema);
  g_test_add_func ("/compiler/class", test_class);
  g_test_add ("/compiler/properties", Fixture, NULL, fixture_set_up, test_properties,
              fixture_tear_down);
  g_test_add ("/compiler/blocking", Fixture, NULL, fixture_set_up, test_blocking,
              fixture_tear_down);
  g_test_add ("/compiler/async", Fixture, NULL, fixture_set_up, test_async,
              fixture_tear_down);
  g_test_add ("/compiler/send", Fixture, NULL, fixture_set_up, test_send, fixture_tear_down);

  return g_test_run ();
}
