/* test-access.c: who may connect to a host, and what each peer may do
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gro.h>

#include "gro-test-object.h"
#include "gro-test-util.h"

typedef struct
{
  char          *path;
  char          *url;
  GroHost       *host;
  GroTestObject *object;
  GroTestObject *secret;
  GError        *closed;     /* the host's last connection-closed */
  GPtrArray     *asked;      /* "NAME" or "(connect)", per authorize */
  GroPeer       *first;      /* the first peer to connect */
} Fixture;

static void
on_closed (GroNode      *node,
           const char   *address,
           const GError *error,
           Fixture      *f)
{
  g_clear_error (&f->closed);
  f->closed = error ? g_error_copy (error) : NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->path = gro_test_temp_socket_path ("access.sock");
  f->url = g_strconcat ("unix:", f->path, NULL);
  f->host = gro_host_new (f->url, &error);
  g_assert_no_error (error);
  f->object = gro_test_object_new ();
  f->secret = gro_test_object_new ();
  gro_host_enable_remoting (f->host, G_OBJECT (f->object), "test", &error);
  g_assert_no_error (error);
  gro_host_enable_remoting (f->host, G_OBJECT (f->secret), "secret", &error);
  g_assert_no_error (error);
  f->asked = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->host, "connection-closed", G_CALLBACK (on_closed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);

  g_clear_object (&f->host);
  g_clear_object (&f->object);
  g_clear_object (&f->secret);
  g_clear_object (&f->first);
  g_clear_error (&f->closed);
  g_ptr_array_unref (f->asked);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_rmdir (dir);
  g_free (f->path);
  g_free (f->url);
}

static GroReplica *
acquire (const char *url,
         const char *name,
         GroNode   **node_out)
{
  g_autoptr(GError) error = NULL;
  GroNode *node = g_object_new (GRO_TYPE_NODE, "reconnect-initial-delay", 10000, NULL);

  gro_node_connect_to_node (node, url, &error);
  g_assert_no_error (error);
  *node_out = node;
  return gro_node_acquire_dynamic (node, name);
}

/* The first peer may only look at "test"; nobody may see "secret". */
static GroAccess
on_authorize (GroHost    *host,
              GroPeer    *peer,
              const char *source_name,
              Fixture    *f)
{
  g_ptr_array_add (f->asked, g_strdup (source_name ? source_name : "(connect)"));
  if (source_name == NULL)
    {
      if (f->first == NULL)
        f->first = g_object_ref (peer);
      return GRO_ACCESS_FULL;
    }
  if (g_str_equal (source_name, "secret"))
    return GRO_ACCESS_DENIED;
  return peer == f->first ? GRO_ACCESS_READ_ONLY : GRO_ACCESS_FULL;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GroNode) viewer_node = NULL;
  g_autoptr(GroNode) other_node = NULL;
  g_autoptr(GroReplica) viewer = NULL;
  g_autoptr(GroReplica) other = NULL;
  g_autoptr(GroReplica) secret = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GCredentials *credentials;
  int i;

  g_signal_connect (f->host, "authorize", G_CALLBACK (on_authorize), f);
  viewer = acquire (f->url, "test", &viewer_node);
  gro_test_await (gro_replica_is_valid (viewer));
  other = acquire (f->url, "test", &other_node);
  gro_test_await (gro_replica_is_valid (other));

  /* The host saw who connected, as the kernel says. */
  credentials = gro_peer_get_credentials (f->first);
  g_assert_nonnull (credentials);
  g_assert_cmpint (g_credentials_get_unix_user (credentials, NULL), ==, getuid ());
  g_assert_nonnull (gro_peer_get_address (f->first));

  /* The read-only peer sees changes ... */
  g_object_set (f->object, "i", 5, NULL);
  gro_test_await (({ g_object_get (viewer, "i", &i, NULL); i == 5; }));

  /* ... but its calls and writes are refused, with a clear error. */
  gro_replica_call_async (viewer, "add", g_variant_new ("(ii)", 1, 2), -1, NULL, on_done,
                          &result);
  gro_test_await (result != NULL);
  reply = gro_replica_call_finish (viewer, result, &error);
  g_assert_null (reply);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_PERMISSION_DENIED);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_clear_object (&result);

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 9);
  gro_replica_write_property_async (viewer, "i", &value, NULL, on_done, &result);
  gro_test_await (result != NULL);
  g_assert_false (gro_replica_write_property_finish (viewer, result, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_object_get (f->object, "i", &i, NULL);
  g_assert_cmpint (i, ==, 5);

  /* The other peer is unaffected. */
  gro_replica_call_async (other, "add", g_variant_new ("(ii)", 1, 2), -1, NULL, on_done,
                          &result);
  gro_test_await (result != NULL);
  reply = gro_replica_call_finish (other, result, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  g_clear_object (&result);
  gro_replica_write_property_async (other, "i", &value, NULL, on_done, &result);
  gro_test_await (result != NULL);
  g_assert_true (gro_replica_write_property_finish (other, result, &error));
  g_assert_no_error (error);
  gro_test_await (({ g_object_get (viewer, "i", &i, NULL); i == 9; }));

  /* A denied source is, for the peer, not shared. */
  secret = gro_node_acquire_dynamic (other_node, "secret");
  gro_test_await (f->asked->len == 5);
  for (int k = 0; k < 30; k++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  g_assert_false (gro_replica_is_valid (secret));
  g_assert_cmpstr (f->asked->pdata[4], ==, "secret");

  g_assert_cmpuint (f->asked->len, ==, 5);
  g_assert_cmpint (f->closed != NULL, ==, FALSE);
}

static GroAccess
deny_all (GroHost    *host,
          GroPeer    *peer,
          const char *source_name,
          gpointer    data)
{
  return GRO_ACCESS_DENIED;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **out = user_data;

  if (!gro_node_connect_to_node_finish (GRO_NODE (source), result, out) && *out == NULL)
    g_assert_not_reached ();
  if (*out == NULL)
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "connected");
}

/* A peer refused when it connects: the node's connect fails, the host says
 * why. */
static void
test_connection_denied (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GError) error = NULL;

  g_signal_connect (f->host, "authorize", G_CALLBACK (deny_all), NULL);
  gro_node_connect_to_node_async (node, f->url, NULL, on_connected, &error);
  gro_test_await (error != NULL);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
  gro_test_await (f->closed != NULL);
  g_assert_error (f->closed, GRO_ERROR, GRO_ERROR_PERMISSION_DENIED);
}

/* Another user's process is refused by default, even where it can reach
 * the socket. Needs root, to be another user. */
static void
child_become_nobody (gpointer data)
{
  if (setgid (65534) != 0 || setuid (65534) != 0)
    _exit (3);
}

static void
test_other_user (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) watch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);

  if (getuid () != 0)
    {
      g_test_skip ("Being another user needs root");
      return;
    }

  /* Let the other user reach the socket: only the credential check stands. */
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (f->path, 0666), ==, 0);
  g_assert_false (gro_host_get_allow_other_users (f->host));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, child_become_nobody, NULL, NULL);
  watch = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GRO_TEST_WATCH"), f->url,
                                       "test", "0", NULL);
  g_assert_no_error (error);
  gro_test_await (f->closed != NULL);
  g_assert_error (f->closed, GRO_ERROR, GRO_ERROR_PERMISSION_DENIED);
  g_test_message ("%s", f->closed->message);
  g_clear_error (&f->closed);

  /* Allowed, the same process connects. */
  gro_host_set_allow_other_users (f->host, TRUE);
  g_output_stream_close (g_subprocess_get_stdin_pipe (watch), NULL, NULL);
  g_subprocess_wait (watch, NULL, NULL);
  g_clear_object (&watch);
  watch = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("GRO_TEST_WATCH"), f->url,
                                       "test", "0", NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_null (f->closed);
  g_output_stream_close (g_subprocess_get_stdin_pipe (watch), NULL, NULL);
  g_subprocess_wait (watch, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/access/read-only", test_read_only);
  ADD ("/access/connection-denied", test_connection_denied);
  ADD ("/access/other-user", test_other_user);
#undef ADD

  return g_test_run ();
}
