/* test-limits.c: the node's configurable limits, with a host and a node in
 * this process
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <gro.h>
#include <string.h>

#include "gro-test-object.h"
#include "gro-test-util.h"

typedef struct
{
  char          *path;
  GroHost       *host;
  GroTestObject *object;
  GroNode       *node;
  GError        *closed;    /* the node's last connection-closed */
  int            n_closed;
} Fixture;

static void
on_closed (GroNode      *node,
           const char   *address,
           const GError *error,
           Fixture      *f)
{
  g_clear_error (&f->closed);
  f->closed = error ? g_error_copy (error) : NULL;
  f->n_closed++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  f->path = gro_test_temp_socket_path ("limits.sock");
  url = g_strconcat ("unix:", f->path, NULL);
  f->host = gro_host_new (url, &error);
  g_assert_no_error (error);
  f->object = gro_test_object_new ();
  f->node = g_object_new (GRO_TYPE_NODE, "reconnect-initial-delay", 10000, NULL);
  g_signal_connect (f->node, "connection-closed", G_CALLBACK (on_closed), f);
  gro_node_connect_to_node (f->node, url, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);

  g_signal_handlers_disconnect_by_data (f->node, f);
  g_clear_object (&f->node);
  g_clear_object (&f->host);
  g_clear_object (&f->object);
  g_clear_error (&f->closed);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_rmdir (dir);
  g_free (f->path);
}

static GroReplica *
acquire (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GroReplica *replica;

  gro_host_enable_remoting (f->host, G_OBJECT (f->object), "test", &error);
  g_assert_no_error (error);
  replica = gro_node_acquire_dynamic (f->node, "test");
  gro_test_await (gro_replica_is_valid (replica));
  return replica;
}

typedef struct
{
  int n_ok;
  int n_limit;
  int n_other;
} Tally;

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Tally *tally = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = gro_replica_call_finish (GRO_REPLICA (source), result, &error);

  if (reply != NULL)
    tally->n_ok++;
  else if (g_error_matches (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED))
    tally->n_limit++;
  else
    tally->n_other++;
}

/* A host answers at most max-calls-in-flight calls of one connection at a
 * time; the others fail at once, and the connection stays. */
static void
test_host_calls_in_flight (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GroReplica) replica = NULL;
  Tally tally = { 0, 0, 0 };

  g_object_set (f->host, "max-calls-in-flight", 4, NULL);
  replica = acquire (f);

  /* defer-add answers after 20 ms, so all ten are in flight together. */
  for (int i = 0; i < 10; i++)
    gro_replica_call_async (replica, "defer-add", g_variant_new ("(ii)", i, 1), -1, NULL,
                            on_call_done, &tally);
  gro_test_await (tally.n_ok + tally.n_limit + tally.n_other == 10);
  g_assert_cmpint (tally.n_ok, ==, 4);
  g_assert_cmpint (tally.n_limit, ==, 6);
  g_assert_cmpint (f->n_closed, ==, 0);

  /* Answered, they make room again. */
  tally = (Tally) { 0, 0, 0 };
  gro_replica_call_async (replica, "defer-add", g_variant_new ("(ii)", 1, 1), -1, NULL,
                          on_call_done, &tally);
  gro_test_await (tally.n_ok == 1);
}

/* A node sends at most max-calls-in-flight calls to one host. */
static void
test_node_calls_in_flight (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GroReplica) replica = acquire (f);
  Tally tally = { 0, 0, 0 };

  g_object_set (f->node, "max-calls-in-flight", 3, NULL);
  for (int i = 0; i < 5; i++)
    gro_replica_call_async (replica, "defer-add", g_variant_new ("(ii)", i, 1), -1, NULL,
                            on_call_done, &tally);
  gro_test_await (tally.n_ok + tally.n_limit + tally.n_other == 5);
  g_assert_cmpint (tally.n_ok, ==, 3);
  g_assert_cmpint (tally.n_limit, ==, 2);
}

/* A message over the node's max-frame-size closes the connection. */
static void
test_frame_size (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GroReplica) replica = acquire (f);
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  guint limit;

  g_object_set (f->node, "max-frame-size", 16 * 1024, NULL);
  g_object_get (f->node, "max-frame-size", &limit, NULL);
  g_assert_cmpuint (limit, ==, 16 * 1024);

  g_object_set (f->object, "s", big, NULL);
  gro_test_await (f->n_closed == 1);
  g_assert_error (f->closed, GRO_ERROR, GRO_ERROR_PROTOCOL);
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SUSPECT);
}

static GVariant *
echo_args (gsize size)
{
  return g_variant_new ("(mv)", g_variant_new_take_string (g_strnfill (size, 'x')));
}

/* Each side says its frame limit in HELLO, and the other sends nothing
 * longer: a call or a reply that would not fit fails alone, and a pushed
 * value that would not fit ends the connection with a reason. */
static void
test_frame_size_announced (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gro_test_temp_socket_path ("limits.sock");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autoptr(GroHost) host = gro_host_new (url, &error);
  g_autoptr(GroTestObject) object = gro_test_object_new ();
  g_autoptr(GroNode) node = g_object_new (GRO_TYPE_NODE, "max-frame-size", 64 * 1024,
                                          "reconnect-initial-delay", 10000, NULL);
  g_autoptr(GroReplica) replica = NULL;
  g_autofree char *big = g_strnfill (100 * 1024, 'x');
  Fixture f = { NULL, };
  Tally tally = { 0, 0, 0 };

  g_assert_no_error (error);
  g_object_set (host, "max-frame-size", 256 * 1024, NULL);
  gro_host_enable_remoting (host, G_OBJECT (object), "test", &error);
  g_assert_no_error (error);
  g_signal_connect (node, "connection-closed", G_CALLBACK (on_closed), &f);
  gro_node_connect_to_node (node, url, &error);
  g_assert_no_error (error);
  replica = gro_node_acquire_dynamic (node, "test");
  gro_test_await (gro_replica_is_valid (replica));

  /* Over the host's limit: never sent. */
  gro_replica_call_async (replica, "echo-variant", echo_args (300 * 1024), -1, NULL,
                          on_call_done, &tally);
  gro_test_await (tally.n_limit == 1);
  {
    g_autoptr(GVariant) reply = NULL;

    reply = gro_replica_call_sync (replica, "echo-variant", echo_args (300 * 1024), -1, NULL,
                                   &error);
    g_assert_null (reply);
    g_assert_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "accepts (262144)"));
    g_clear_error (&error);
  }

  /* Within the host's, but its reply over the node's: an error instead. */
  gro_replica_call_async (replica, "echo-variant", echo_args (100 * 1024), -1, NULL,
                          on_call_done, &tally);
  gro_test_await (tally.n_limit == 2);

  /* Neither closed anything. */
  gro_replica_call_async (replica, "echo-variant", echo_args (1024), -1, NULL,
                          on_call_done, &tally);
  gro_test_await (tally.n_ok == 1);
  g_assert_cmpint (tally.n_other, ==, 0);
  g_assert_cmpint (f.n_closed, ==, 0);
  g_assert_true (gro_replica_is_valid (replica));

  /* A source whose INIT the node cannot take: its replica fails, the link
   * stays. */
  {
    g_autoptr(GroTestObject) heavy = gro_test_object_new ();
    g_autoptr(GroReplica) refused = NULL;

    g_object_set (heavy, "s", big, NULL);
    gro_host_enable_remoting (host, G_OBJECT (heavy), "heavy", &error);
    g_assert_no_error (error);
    refused = gro_node_acquire_dynamic (node, "heavy");
    g_assert_false (gro_replica_wait_for_source (refused, 5000, &error));
    g_assert_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "'heavy'"));
    g_clear_error (&error);
    g_assert_cmpint (f.n_closed, ==, 0);
    g_assert_true (gro_replica_is_valid (replica));
  }

  /* A pushed value the node cannot take: the host ends the link, saying why. */
  g_object_set (object, "s", big, NULL);
  gro_test_await (f.n_closed == 1);
  g_assert_error (f.closed, GRO_ERROR, GRO_ERROR_DISCONNECTED);
  g_test_message ("%s", f.closed->message);
  g_assert_nonnull (strstr (f.closed->message, "accepts (65536)"));
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SUSPECT);

  g_signal_handlers_disconnect_by_data (node, &f);
  g_clear_error (&f.closed);
  g_clear_object (&replica);
  g_clear_object (&node);
  g_clear_object (&host);
  g_rmdir (dir);
}

static GVariant *
nested (guint depth)
{
  GVariant *value = g_variant_new_int32 (1);

  for (guint i = 0; i < depth; i++)
    value = g_variant_new_variant (value);
  return value;
}

static void
on_host_closed (GroNode      *host,
                const char   *address,
                const GError *error,
                GError      **out)
{
  g_clear_error (out);
  *out = error ? g_error_copy (error) : NULL;
}

/* A value nested deeper than the host's max-nesting-depth closes that
 * connection; shallower values pass. */
static void
test_nesting_depth (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GroReplica) replica = acquire (f);
  g_autoptr(GError) host_closed = NULL;
  Tally tally = { 0, 0, 0 };

  g_signal_connect (f->host, "connection-closed", G_CALLBACK (on_host_closed), &host_closed);
  g_object_set (f->host, "max-nesting-depth", 16, NULL);

  gro_replica_call_async (replica, "echo-variant", g_variant_new ("(mv)", nested (8)), -1,
                          NULL, on_call_done, &tally);
  gro_test_await (tally.n_ok == 1);

  gro_replica_call_async (replica, "echo-variant", g_variant_new ("(mv)", nested (40)), -1,
                          NULL, on_call_done, &tally);
  gro_test_await (host_closed != NULL && f->n_closed == 1);
  g_assert_error (host_closed, GRO_ERROR, GRO_ERROR_PROTOCOL);
  g_test_message ("%s", host_closed->message);
  /* The node hears why: the host says so before closing. */
  g_assert_error (f->closed, GRO_ERROR, GRO_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (f->closed->message, "closed the connection"));
  g_assert_nonnull (strstr (f->closed->message, "nested deeper than 16 levels"));
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SUSPECT);
  gro_test_await (tally.n_other == 1);
  g_signal_handlers_disconnect_by_data (f->host, &host_closed);
}

/* A host refuses to share a source with more members than its limit; a
 * node refuses such a schema from a host. */
static void
test_schema_members (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroReplica) replica = NULL;

  g_object_set (f->host, "max-schema-members", 3, NULL);
  g_assert_false (gro_host_enable_remoting (f->host, G_OBJECT (f->object), "test", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_object_set (f->host, "max-schema-members", 1024, NULL);
  g_object_set (f->node, "max-schema-members", 3, NULL);
  gro_host_enable_remoting (f->host, G_OBJECT (f->object), "test", &error);
  g_assert_no_error (error);
  replica = gro_node_acquire_dynamic (f->node, "test");
  gro_test_await (f->n_closed == 1);
  g_assert_error (f->closed, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED);
  g_test_message ("%s", f->closed->message);
  g_assert_false (gro_replica_is_valid (replica));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/limits/calls-in-flight/host", test_host_calls_in_flight);
  ADD ("/limits/calls-in-flight/node", test_node_calls_in_flight);
  ADD ("/limits/frame-size", test_frame_size);
  ADD ("/limits/nesting-depth", test_nesting_depth);
  ADD ("/limits/schema-members", test_schema_members);
#undef ADD
  g_test_add_func ("/limits/frame-size-announced", test_frame_size_announced);

  return g_test_run ();
}
