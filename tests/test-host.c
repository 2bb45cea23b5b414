/* test-host.c: a host and a node in this process
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <gro.h>
#include <string.h>
#include <sys/socket.h>

#include "gro-test-object.h"
#include "gro-test-util.h"

/* A source with a property of a type gro cannot carry. */
#define TEST_TYPE_UNSUPPORTED (test_unsupported_get_type ())
G_DECLARE_FINAL_TYPE (TestUnsupported, test_unsupported, TEST, UNSUPPORTED, GObject)
struct _TestUnsupported { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (TestUnsupported, test_unsupported, G_TYPE_OBJECT)

static void
test_unsupported_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
}

static void
test_unsupported_class_init (TestUnsupportedClass *klass)
{
  G_OBJECT_CLASS (klass)->get_property = test_unsupported_get_property;
  g_object_class_install_property (G_OBJECT_CLASS (klass), 1,
                                   g_param_spec_object ("child", NULL, NULL, G_TYPE_OBJECT,
                                                        G_PARAM_READABLE));
}

static void
test_unsupported_init (TestUnsupported *self)
{
}

/* A second shape of source, to share under a name another had. */
#define TEST_TYPE_OTHER (test_other_get_type ())
G_DECLARE_FINAL_TYPE (TestOther, test_other, TEST, OTHER, GObject)
struct _TestOther { GObject parent_instance; char *label; };
G_DEFINE_FINAL_TYPE (TestOther, test_other, G_TYPE_OBJECT)

static void
test_other_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_string (value, TEST_OTHER (object)->label);
}

static void
test_other_finalize (GObject *object)
{
  g_free (TEST_OTHER (object)->label);
  G_OBJECT_CLASS (test_other_parent_class)->finalize (object);
}

static void
test_other_class_init (TestOtherClass *klass)
{
  G_OBJECT_CLASS (klass)->get_property = test_other_get_property;
  G_OBJECT_CLASS (klass)->finalize = test_other_finalize;
  g_object_class_install_property (G_OBJECT_CLASS (klass), 1,
                                   g_param_spec_string ("label", NULL, NULL, NULL,
                                                        G_PARAM_READABLE));
}

static void
test_other_init (TestOther *self)
{
  self->label = g_strdup ("other");
}

/* A third shape, used by one test only, so no class exists for it yet. */
#define TEST_TYPE_THIRD (test_third_get_type ())
G_DECLARE_FINAL_TYPE (TestThird, test_third, TEST, THIRD, GObject)
struct _TestThird { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (TestThird, test_third, G_TYPE_OBJECT)

static void
test_third_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  g_value_set_double (value, 3.0);
}

static void
test_third_class_init (TestThirdClass *klass)
{
  G_OBJECT_CLASS (klass)->get_property = test_third_get_property;
  g_object_class_install_property (G_OBJECT_CLASS (klass), 1,
                                   g_param_spec_double ("third", NULL, NULL, 0, 10, 0,
                                                        G_PARAM_READABLE));
}

static void
test_third_init (TestThird *self)
{
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  char          *dir;
  char          *url;
  GroHost       *host;
  GroTestObject *object;
  GroNode       *node;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gro_test_temp_socket_path ("host");

  f->dir = g_path_get_dirname (path);
  f->url = g_strconcat ("unix:", path, NULL);
  f->host = gro_host_new (f->url, &error);
  g_assert_no_error (error);
  f->object = gro_test_object_new ();
  gro_host_enable_remoting (f->host, G_OBJECT (f->object), "test", &error);
  g_assert_no_error (error);
  f->node = gro_node_new ();
  gro_node_connect_to_node (f->node, f->url, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->node);
  g_clear_object (&f->host);
  g_clear_object (&f->object);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->url);
}

static GroReplica *
acquire_valid (GroNode    *node,
               const char *name)
{
  GroReplica *replica = gro_node_acquire_dynamic (node, name);

  gro_test_await (gro_replica_is_valid (replica));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return replica;
}

static void
test_enable_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GObject) unsupported = g_object_new (TEST_TYPE_UNSUPPORTED, NULL);
  g_autoptr(GroTestObject) second = gro_test_object_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (gro_host_enable_remoting (f->host, unsupported, "bad", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_UNSUPPORTED_TYPE);
  g_assert_nonnull (strstr (error->message, "'child'"));
  g_assert_nonnull (strstr (error->message, "GObject"));
  g_clear_error (&error);

  g_assert_false (gro_host_enable_remoting (f->host, G_OBJECT (second), "test", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_NAME_IN_USE);
  g_clear_error (&error);

  g_assert_false (gro_host_enable_remoting (f->host, G_OBJECT (second), "", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  g_assert_false (gro_host_disable_remoting (f->host, "nobody"));
  g_assert_true (gro_host_get_source (f->host, "test") == G_OBJECT (f->object));
  g_assert_null (gro_host_get_source (f->host, "bad"));
}

static void
test_listen_many (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;

  g_assert_true (gro_host_listen (f->host, "tcp://127.0.0.1:0", &error));
  g_assert_no_error (error);
  urls = gro_host_dup_urls (f->host);
  g_assert_cmpuint (g_strv_length (urls), ==, 2);
  g_assert_cmpstr (urls[0], ==, f->url);
  g_assert_cmpstr (gro_host_get_url (f->host), ==, f->url);
  g_assert_true (g_str_has_prefix (urls[1], "tcp://127.0.0.1:"));

  gro_node_connect_to_node (node, urls[1], &error);
  g_assert_no_error (error);
  replica = acquire_valid (node, "test");
}

static void
test_source_names (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GroTestObject) second = gro_test_object_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  gro_host_enable_remoting (f->host, G_OBJECT (second), "another", &error);
  g_assert_no_error (error);
  gro_test_await (({ g_auto(GStrv) n = gro_node_dup_source_names (f->node);
                     g_strv_length (n) == 2; }));
  names = gro_node_dup_source_names (f->node);
  g_assert_cmpstr (names[0], ==, "another");
  g_assert_cmpstr (names[1], ==, "test");
}

typedef struct
{
  GroTestObject *object;
  int            times;
} Setter;

static gpointer
set_from_thread (gpointer data)
{
  Setter *setter = data;

  for (int i = 1; i <= setter->times; i++)
    g_object_set (setter->object, "i", i, NULL);
  return NULL;
}

static void
test_change_from_other_thread (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GroReplica) replica = acquire_valid (f->node, "test");
  Setter setter = { f->object, 500 };
  GThread *thread;
  int i = 0;

  /* The source changes in another thread; the changes go out from the
   * host's context, in order. */
  thread = g_thread_new ("setter", set_from_thread, &setter);
  g_thread_join (thread);
  gro_test_await (({ g_object_get (replica, "i", &i, NULL); i == 500; }));
}

typedef struct
{
  GroInvocation *invocation;
} Answer;

static gpointer
answer_from_thread (gpointer data)
{
  GroInvocation *invocation = data;

  g_usleep (10000);
  gro_invocation_return_value (invocation, g_variant_new ("(i)", 99));
  g_object_unref (invocation);
  return NULL;
}

static int
on_add_in_thread (GroTestObject *object,
                  int            a,
                  int            b,
                  gpointer       user_data)
{
  GroInvocation *invocation = gro_invocation_get_current ();

  g_assert_nonnull (invocation);
  g_assert_cmpstr (gro_invocation_get_method_name (invocation), ==, "add");
  g_assert_cmpstr (gro_invocation_get_source_name (invocation), ==, "test");
  g_assert_true (gro_invocation_get_source (invocation) == G_OBJECT (object));
  g_assert_cmpstr (g_variant_get_type_string (gro_invocation_get_parameters (invocation)), ==,
                   "(ii)");
  g_assert_nonnull (gro_invocation_get_peer_address (invocation));

  gro_invocation_defer (invocation);
  g_assert_true (gro_invocation_is_deferred (invocation));
  g_thread_unref (g_thread_new ("answer", answer_from_thread, g_object_ref (invocation)));
  g_signal_stop_emission_by_name (object, "add");
  return 0;
}

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GVariant **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gro_replica_call_finish (GRO_REPLICA (source), result, &error);
  g_assert_no_error (error);
}

static void
test_answer_from_other_thread (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GroReplica) replica = acquire_valid (f->node, "test");
  g_autoptr(GVariant) result = NULL;
  int value;

  g_assert_null (gro_invocation_get_current ());
  g_signal_connect (f->object, "add", G_CALLBACK (on_add_in_thread), NULL);
  gro_replica_call_async (replica, "add", g_variant_new ("(ii)", 1, 1), -1, NULL,
                          on_call_done, &result);
  gro_test_await (result != NULL);
  g_variant_get (result, "(i)", &value);
  g_assert_cmpint (value, ==, 99);
}

static void
test_schema_changed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GroReplica) replica = acquire_valid (f->node, "test");
  g_autoptr(GroReplica) fresh = NULL;
  g_autoptr(GObject) other = g_object_new (TEST_TYPE_OTHER, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  /* The name now stands for an object of another shape. The replica that
   * showed the first one cannot show it, and says why. */
  gro_host_disable_remoting (f->host, "test");
  gro_host_enable_remoting (f->host, other, "test", &error);
  g_assert_no_error (error);

  gro_test_await (gro_replica_get_state (replica) == GRO_REPLICA_STATE_SIGNATURE_MISMATCH);
  g_assert_false (gro_replica_wait_for_source (replica, 0, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH);
  g_assert_nonnull (strstr (error->message, "no longer has"));
  g_clear_error (&error);

  /* A new replica gets a class of the new shape. */
  fresh = acquire_valid (f->node, "test");
  g_assert_true (G_OBJECT_TYPE (fresh) != G_OBJECT_TYPE (replica));
  g_object_get (fresh, "label", &label, NULL);
  g_assert_cmpstr (label, ==, "other");
}

static void
test_type_budget (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GroReplica) replica = acquire_valid (f->node, "test");
  g_autoptr(GroReplica) fresh = NULL;
  g_autoptr(GObject) third = g_object_new (TEST_TYPE_THIRD, NULL);
  g_autoptr(GError) error = NULL;

  /* A new shape needs a new class; this node may make no more. */
  gro_node_set_max_dynamic_types (f->node, 0);
  g_assert_cmpuint (gro_node_get_max_dynamic_types (f->node), ==, 0);
  gro_host_disable_remoting (f->host, "test");
  gro_host_enable_remoting (f->host, third, "test", &error);
  g_assert_no_error (error);
  gro_test_await (gro_replica_get_state (replica) == GRO_REPLICA_STATE_SIGNATURE_MISMATCH);

  fresh = gro_node_acquire_dynamic (f->node, "test");
  g_assert_false (gro_replica_wait_for_source (fresh, GRO_TEST_TIMEOUT_MS, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED);
}

static void
test_replica_outlives_node_ref (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  GWeakRef node_ref;

  gro_node_connect_to_node (node, f->url, &error);
  g_assert_no_error (error);
  replica = acquire_valid (node, "test");

  /* The replica keeps its node alive. */
  g_weak_ref_init (&node_ref, node);
  g_clear_object (&node);
  gro_replica_call_async (replica, "add", g_variant_new ("(ii)", 1, 2), -1, NULL,
                          on_call_done, &result);
  gro_test_await (result != NULL);

  /* And lets it go with it. */
  g_clear_object (&replica);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (g_weak_ref_get (&node_ref));
  g_weak_ref_clear (&node_ref);
}

static void
test_release (Fixture       *f,
              gconstpointer  data)
{
  GroReplica *replica = acquire_valid (f->node, "test");
  GWeakRef weak;
  int i;

  g_weak_ref_init (&weak, replica);
  g_object_unref (replica);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);

  /* Changes to a released source go nowhere, and do no harm; a new replica
   * sees the latest value. */
  g_object_set (f->object, "i", 5, NULL);
  replica = acquire_valid (f->node, "test");
  g_object_get (replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 5);
  g_object_unref (replica);
}

/* A host and a node over a socket pair: no address at all. */
static void
test_socket_pair (void)
{
  g_autoptr(GroHost) host = gro_host_new (NULL, NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroTestObject) object = gro_test_object_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GSocket) a = NULL;
  g_autoptr(GSocket) b = NULL;
  g_autoptr(GSocketConnection) ca = NULL;
  g_autoptr(GSocketConnection) cb = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];
  int i;

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  a = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  b = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  ca = g_socket_connection_factory_create_connection (a);
  cb = g_socket_connection_factory_create_connection (b);

  g_object_set (object, "i", 8, NULL);
  gro_host_enable_remoting (host, G_OBJECT (object), "test", &error);
  g_assert_no_error (error);
  g_assert_true (gro_host_add_stream (host, G_IO_STREAM (ca), &error));
  g_assert_true (gro_node_connect_to_stream (node, G_IO_STREAM (cb), &error));
  g_assert_no_error (error);

  replica = acquire_valid (node, "test");
  g_object_get (replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 8);
}

static void
test_not_pollable (void)
{
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GFile) null = g_file_new_for_path ("/dev/null");
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  /* A file stream cannot be polled; a link needs to poll both halves. */
  in = G_INPUT_STREAM (g_file_read (null, NULL, &error));
  g_assert_no_error (error);
  stream = g_simple_io_stream_new (in, out);
  g_assert_false (gro_node_connect_to_stream (node, stream, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, "pollable"));
}

/* Two hosts share one name: when the first goes, replicas move. */
static void
test_failover (void)
{
  g_autoptr(GroTestSource) first = gro_test_source_start (NULL);
  g_autoptr(GroTestSource) second = gro_test_source_start (NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GError) error = NULL;
  int initialized = 0;
  int i;

  gro_node_connect_to_node (node, gro_test_source_get_url (first, 0), &error);
  g_assert_no_error (error);
  replica = acquire_valid (node, "test");

  gro_node_connect_to_node (node, gro_test_source_get_url (second, 0), &error);
  g_assert_no_error (error);
  gro_test_source_command (second, "set i 2");
  gro_test_await (({ g_auto(GStrv) n = gro_node_dup_source_names (node); n[0] != NULL; }));

  g_signal_connect_swapped (replica, "initialized", G_CALLBACK (g_atomic_int_inc), &initialized);
  gro_test_source_kill (first);
  gro_test_await (initialized == 1);
  g_assert_true (gro_replica_is_valid (replica));
  g_object_get (replica, "i", &i, NULL);
  g_assert_cmpint (i, ==, 2);
}

static int
replica_int (GroReplica *replica)
{
  int i;

  g_object_get (replica, "i", &i, NULL);
  return i;
}

/* A sync call to a host of the same thread is answered: the wait runs
 * that host's connections too. */
static void
test_sync_call_same_thread (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroReplica) replica = acquire_valid (f->node, "test");
  g_autoptr(GVariant) reply = NULL;
  gint64 start = g_get_monotonic_time ();
  int sum;

  reply = gro_replica_call_sync (replica, "add", g_variant_new ("(ii)", 2, 40), 5000, NULL,
                                 &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(i)", &sum);
  g_assert_cmpint (sum, ==, 42);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  /* And the host's connections are back in its context afterwards. */
  g_object_set (f->object, "i", 5, NULL);
  gro_test_await (replica_int (replica) == 5);

  /* A node that connects and waits without a main loop, as a script does:
   * the host accepts it during the wait. */
  {
    g_autoptr(GroNode) script = gro_node_new ();
    g_autoptr(GroReplica) other = NULL;
    g_autoptr(GVariant) sum_reply = NULL;

    g_assert_true (gro_node_connect_to_node (script, f->url, &error));
    other = gro_node_acquire_dynamic (script, "test");
    g_assert_true (gro_replica_wait_for_source (other, 5000, &error));
    g_assert_no_error (error);
    sum_reply = gro_replica_call_sync (other, "add", g_variant_new ("(ii)", 1, 2), 5000, NULL,
                                       &error);
    g_assert_no_error (error);
    g_variant_get (sum_reply, "(i)", &sum);
    g_assert_cmpint (sum, ==, 3);
  }
}

static void
count_closed (GroNode      *node,
              const char   *address,
              const GError *error,
              guint        *n_closed)
{
  (*n_closed)++;
}

/* A closed host stops listening, ends its connections and withdraws its
 * sources for good; a closed node does not connect again. */
static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroReplica) replica = acquire_valid (f->node, "test");
  g_autoptr(GroNode) late = gro_node_new ();
  g_autoptr(GroTestObject) other = gro_test_object_new ();
  guint n_closed = 0;

  g_signal_connect (f->node, "connection-closed", G_CALLBACK (count_closed), &n_closed);
  gro_node_close (GRO_NODE (f->host));
  gro_test_await (n_closed == 1);
  gro_test_await (gro_replica_get_state (replica) != GRO_REPLICA_STATE_VALID);
  g_assert_false (g_file_test (f->url + strlen ("unix:"), G_FILE_TEST_EXISTS));
  g_assert_null (gro_host_get_source (f->host, "test"));

  g_assert_false (gro_node_connect_to_node (late, f->url, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
  g_clear_error (&error);

  g_assert_false (gro_host_enable_remoting (f->host, G_OBJECT (other), "other", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (gro_host_listen (f->host, "tcp://127.0.0.1:0", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (gro_node_connect_to_node (GRO_NODE (f->host), "unix:/nowhere", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CLOSED);
  g_clear_error (&error);
  gro_node_close (GRO_NODE (f->host));  /* again: nothing */

  gro_node_close (f->node);
  g_assert_false (gro_node_connect_to_node (f->node, f->url, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "node is closed"));
  g_signal_handlers_disconnect_by_data (f->node, &n_closed);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/host/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("enable-errors", test_enable_errors);
  ADD ("listen-many", test_listen_many);
  ADD ("source-names", test_source_names);
  ADD ("change-from-other-thread", test_change_from_other_thread);
  ADD ("answer-from-other-thread", test_answer_from_other_thread);
  ADD ("release", test_release);
  ADD ("replica-keeps-node", test_replica_outlives_node_ref);
  ADD ("schema-changed", test_schema_changed);
  ADD ("type-budget", test_type_budget);
  ADD ("close", test_close);
  ADD ("sync-call-same-thread", test_sync_call_same_thread);
#undef ADD
  g_test_add_func ("/host/socket-pair", test_socket_pair);
  g_test_add_func ("/host/not-pollable", test_not_pollable);
  g_test_add_func ("/host/failover", test_failover);

  return g_test_run ();
}
