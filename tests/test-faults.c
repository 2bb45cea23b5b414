/* test-faults.c: hosts that die, freeze and come back
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <signal.h>
#include <sys/socket.h>

#include <glib/gstdio.h>
#include <gro.h>

#include "gro-test-util.h"

#define HEARTBEAT_MS 300

static void
count_cb (gpointer counter)
{
  (*(int *) counter)++;
}

/* Appends each state the node reports, as a letter: the history reads as
 * a word ("CRC": connected, reconnecting, connected). */
static void
on_state (GroNode            *node,
          const char         *address,
          GroConnectionState  state,
          GString            *history)
{
  g_string_append_c (history, "GCURX"[state]);
}

static int
get_int (GroReplica *replica,
         const char *name)
{
  int value;

  g_object_get (replica, name, &value, NULL);
  return value;
}

/* A node that reconnects quickly, connected to @url, with a valid replica of
 * "test". */
static GroReplica *
connect_replica (const char *url,
                 GroNode   **node_out)
{
  g_autoptr(GError) error = NULL;
  GroNode *node = g_object_new (GRO_TYPE_NODE,
                                "reconnect-initial-delay", 20,
                                "reconnect-max-delay", 200,
                                NULL);
  GroReplica *replica;

  gro_node_connect_to_node (node, url, &error);
  g_assert_no_error (error);
  replica = gro_node_acquire_dynamic (node, "test");
  gro_replica_wait_for_source (replica, GRO_TEST_TIMEOUT_MS, &error);
  g_assert_no_error (error);
  /* What the node had to say about it is said. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  *node_out = node;
  return replica;
}

static void
remove_socket (char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
}

/* The host is killed; another takes its address. The replica reconnects by
 * itself and is initialised again with the new host's values. */
static void
test_reconnect (void)
{
  char *path = gro_test_temp_socket_path ("faults.sock");
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autoptr(GroTestSource) source = gro_test_source_start ("--listen", url, NULL);
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GroReplica) replica = connect_replica (url, &node);
  g_autoptr(GString) history = g_string_new (NULL);
  int initialized = 0;
  int closed = 0;

  g_signal_connect_swapped (replica, "initialized", G_CALLBACK (count_cb), &initialized);
  g_signal_connect_swapped (node, "connection-closed", G_CALLBACK (count_cb), &closed);
  g_signal_connect (node, "connection-state-changed", G_CALLBACK (on_state), history);
  g_assert_cmpint (gro_node_get_connection_state (node, url), ==, GRO_CONNECTION_STATE_CONNECTED);
  gro_test_source_command (source, "set i 5");
  gro_test_await (get_int (replica, "i") == 5);

  gro_test_source_kill (source);
  gro_test_await (gro_replica_get_state (replica) == GRO_REPLICA_STATE_SUSPECT);
  g_assert_cmpint (get_int (replica, "i"), ==, 5);
  g_clear_pointer (&source, gro_test_source_free);

  /* Let it fail a few attempts before the host comes back. */
  g_usleep (100 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SUSPECT);
  g_assert_cmpint (gro_node_get_connection_state (node, url), ==,
                   GRO_CONNECTION_STATE_RECONNECTING);

  source = gro_test_source_start ("--listen", url, NULL);
  gro_test_source_command (source, "set i 9");
  gro_test_await (gro_replica_is_valid (replica) && get_int (replica, "i") == 9 &&
                  initialized == 1);
  g_assert_cmpint (closed, ==, 1);
  g_assert_cmpstr (history->str, ==, "RC");
  g_assert_cmpint (gro_node_get_connection_state (node, url), ==, GRO_CONNECTION_STATE_CONNECTED);

  /* And it works as before. */
  gro_test_source_command (source, "set i 10");
  gro_test_await (get_int (replica, "i") == 10);

  g_clear_object (&replica);
  g_clear_object (&node);
  g_clear_pointer (&source, gro_test_source_free);
  remove_socket (path);
}

/* kill -9 in the middle of a stream of changes, then a restart: every
 * replica ends valid, with the final values. */
static void
test_kill_during_changes (void)
{
  char *path = gro_test_temp_socket_path ("faults.sock");
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autoptr(GroTestSource) source = gro_test_source_start ("--listen", url, NULL);
  GroNode *nodes[3];
  GroReplica *replicas[3];

  for (guint r = 0; r < G_N_ELEMENTS (replicas); r++)
    replicas[r] = connect_replica (url, &nodes[r]);

  for (int i = 1; i <= 40; i++)
    {
      g_autofree char *command = g_strdup_printf ("set i %d", i);

      gro_test_source_command (source, command);
    }
  gro_test_source_kill (source);
  g_clear_pointer (&source, gro_test_source_free);

  source = gro_test_source_start ("--listen", url, NULL);
  gro_test_source_command (source, "set i 777");
  gro_test_source_command (source, "set s final");

  for (guint r = 0; r < G_N_ELEMENTS (replicas); r++)
    {
      g_autofree char *s = NULL;

      gro_test_await (gro_replica_is_valid (replicas[r]) && get_int (replicas[r], "i") == 777);
      g_object_get (replicas[r], "s", &s, NULL);
      g_assert_cmpstr (s, ==, "final");
    }

  for (guint r = 0; r < G_N_ELEMENTS (replicas); r++)
    {
      g_object_unref (replicas[r]);
      g_object_unref (nodes[r]);
    }
  g_clear_pointer (&source, gro_test_source_free);
  remove_socket (path);
}

/* A host that freezes (SIGSTOP) makes its replicas SUSPECT within two
 * heartbeat intervals; they are VALID again when it resumes. */
static void
test_heartbeat_frozen (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start (NULL);
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GroReplica) replica = connect_replica (gro_test_source_get_url (source, 0), &node);
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) history = g_string_new (NULL);
  GPid pid = gro_test_source_get_pid (source);
  gint64 start, elapsed_ms;
  int closed = 0;

  g_signal_connect_swapped (node, "connection-closed", G_CALLBACK (count_cb), &closed);
  g_signal_connect (node, "connection-state-changed", G_CALLBACK (on_state), history);
  gro_node_set_heartbeat_interval (node, HEARTBEAT_MS);
  g_assert_cmpuint (gro_node_get_heartbeat_interval (node), ==, HEARTBEAT_MS);

  /* A live, idle host keeps the replica valid: it answers the pings. */
  for (int i = 0; i < 30; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (HEARTBEAT_MS * 1000 / 10);
    }
  g_assert_true (gro_replica_is_valid (replica));

  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  start = g_get_monotonic_time ();
  gro_test_await (gro_replica_get_state (replica) == GRO_REPLICA_STATE_SUSPECT);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("suspect after %" G_GINT64_FORMAT " ms", elapsed_ms);
  /* Two intervals, and scheduling slack for a loaded machine. */
  g_assert_cmpint (elapsed_ms, <=, 2 * HEARTBEAT_MS + 300);

  g_assert_cmpint (gro_node_get_connection_state (node, gro_test_source_get_url (source, 0)), ==,
                   GRO_CONNECTION_STATE_UNRESPONSIVE);

  /* Calls fail at once meanwhile. */
  result = gro_replica_call_sync (replica, "add", g_variant_new ("(ii)", 1, 2), -1, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE);

  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);
  gro_test_await (gro_replica_is_valid (replica));
  g_assert_cmpint (closed, ==, 0);
  g_assert_cmpstr (history->str, ==, "UC");

  gro_test_source_command (source, "set i 31");
  gro_test_await (get_int (replica, "i") == 31);
}

/* A host frozen for ten intervals loses the connection; it is made again
 * when it resumes. */
static void
test_heartbeat_timeout (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start (NULL);
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GroReplica) replica = connect_replica (gro_test_source_get_url (source, 0), &node);
  GPid pid = gro_test_source_get_pid (source);
  int initialized = 0;
  int closed = 0;

  g_signal_connect_swapped (replica, "initialized", G_CALLBACK (count_cb), &initialized);
  g_signal_connect_swapped (node, "connection-closed", G_CALLBACK (count_cb), &closed);
  gro_node_set_heartbeat_interval (node, 50);

  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  gro_test_await (closed == 1);
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SUSPECT);
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);

  gro_test_await (gro_replica_is_valid (replica) && initialized == 1);
}

/* A stream handed in is not reconnected. */
static void
test_stream_not_reconnected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroHost) host = gro_host_new (NULL, &error);
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GroNode) node = g_object_new (GRO_TYPE_NODE, "reconnect-initial-delay", 1, NULL);
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GSocket) host_socket = NULL;
  g_autoptr(GSocket) node_socket = NULL;
  g_autoptr(GSocketConnection) host_end = NULL;
  g_autoptr(GSocketConnection) node_end = NULL;
  g_autoptr(GString) history = g_string_new (NULL);
  int fds[2];

  g_assert_no_error (error);
  gro_host_enable_remoting (host, object, "plain", &error);
  g_assert_no_error (error);

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  host_socket = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  node_socket = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  host_end = g_socket_connection_factory_create_connection (host_socket);
  node_end = g_socket_connection_factory_create_connection (node_socket);
  gro_host_add_stream (host, G_IO_STREAM (host_end), &error);
  g_assert_no_error (error);
  gro_node_connect_to_stream (node, G_IO_STREAM (node_end), &error);
  g_assert_no_error (error);

  g_signal_connect (node, "connection-state-changed", G_CALLBACK (on_state), history);
  replica = gro_node_acquire_dynamic (node, "plain");
  gro_test_await (gro_replica_is_valid (replica));

  g_clear_object (&host);
  gro_test_await (gro_replica_get_state (replica) == GRO_REPLICA_STATE_SUSPECT);
  /* It says it is gone for good. */
  gro_test_await (g_str_equal (history->str, "CX"));
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SUSPECT);
}

/* An address that never worked is not retried: the caller has the error. */
static void
test_first_failure_not_retried (void)
{
  char *path = gro_test_temp_socket_path ("nobody.sock");
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GroTestSource) source = NULL;
  g_autoptr(GroReplica) replica = NULL;

  g_assert_false (gro_node_connect_to_node (node, url, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
  g_assert_cmpint (gro_node_get_connection_state (node, url), ==, GRO_CONNECTION_STATE_CLOSED);

  /* A host appears there later: the node does not find it by itself. */
  source = gro_test_source_start ("--listen", url, NULL);
  replica = gro_node_acquire_dynamic (node, "test");
  g_clear_error (&error);
  g_assert_false (gro_replica_wait_for_source (replica, 300, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_TIMED_OUT);

  g_clear_object (&replica);
  g_clear_pointer (&source, gro_test_source_free);
  remove_socket (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/reconnect", test_reconnect);
  g_test_add_func ("/faults/kill-during-changes", test_kill_during_changes);
  g_test_add_func ("/faults/heartbeat/frozen", test_heartbeat_frozen);
  g_test_add_func ("/faults/heartbeat/timeout", test_heartbeat_timeout);
  g_test_add_func ("/faults/stream-not-reconnected", test_stream_not_reconnected);
  g_test_add_func ("/faults/first-failure-not-retried", test_first_failure_not_retried);

  return g_test_run ();
}
