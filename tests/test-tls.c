/* test-tls.c: tls:// with certificates made for the test (by openssl)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include <glib/gstdio.h>
#include <gro.h>

#include "gro-test-object.h"
#include "gro-test-util.h"

static char *certs;  /* the folder of this run's certificates */

/* LeakSanitizer cannot stop this process's threads at exit (glib-networking
 * leaves one behind, and LSan's stop-the-world fails on it on this VM), so
 * it is off here; the valgrind run checks this test's leaks. */
int __lsan_is_turned_off (void);
int
__lsan_is_turned_off (void)
{
  return 1;
}

/* A certificate authority, a server certificate for 127.0.0.1 and a client
 * certificate signed by it, and a second authority that signs nothing of
 * ours. */
static gboolean
make_certificates (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  int status;
  const char *argv[] = { "sh", "-c", NULL, NULL };

  certs = g_dir_make_tmp ("gro-tls-XXXXXX", &error);
  g_assert_no_error (error);
  script = g_strdup_printf (
    "set -e; cd '%s'; E='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';"
    "openssl req -x509 $E -keyout ca.key -out ca.pem -days 2 -subj /CN=gro-test-ca;"
    "openssl req -x509 $E -keyout other.key -out other.pem -days 2 -subj /CN=gro-other-ca;"
    "openssl req $E -keyout server.key -out server.csr -subj /CN=localhost;"
    "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ext;"
    "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext;"
    "openssl req $E -keyout client.key -out client.csr -subj /CN=gro-test-client;"
    "printf 'extendedKeyUsage=clientAuth\\n' > ext2;"
    "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 -extfile ext2;"
    "openssl req -x509 $E -keyout self.key -out self.pem -days 2 -subj /CN=localhost "
    "-addext subjectAltName=IP:127.0.0.1",
    certs);
  argv[2] = script;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static GTlsCertificate *
certificate (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", certs, name);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", certs, name);
  GTlsCertificate *cert = g_tls_certificate_new_from_files (pem, key, &error);

  g_assert_no_error (error);
  return cert;
}

static GTlsDatabase *
database (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", certs, name);
  GTlsDatabase *db = g_tls_file_database_new (pem, &error);

  g_assert_no_error (error);
  return db;
}

typedef struct
{
  GroHost       *host;
  GroTestObject *object;
  char          *url;        /* tls:// */
  GError        *closed;     /* the host's last connection-closed */
} Fixture;

static void
on_closed (GroNode      *node,
           const char   *address,
           const GError *error,
           Fixture      *f)
{
  g_clear_error (&f->closed);
  f->closed = error ? g_error_copy (error) : g_error_new_literal (GRO_ERROR, 0, "closed");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *pem = g_strdup_printf ("%s/server.pem", certs);
  g_autofree char *key = g_strdup_printf ("%s/server.key", certs);
  g_autoptr(GError) error = NULL;

  f->host = gro_host_new (NULL, &error);
  g_assert_no_error (error);
  gro_node_set_tls_files (GRO_NODE (f->host), pem, key, NULL, &error);
  g_assert_no_error (error);
  gro_host_listen (f->host, "tls://127.0.0.1:0", &error);
  g_assert_no_error (error);
  f->url = g_strdup (gro_host_get_url (f->host));
  g_assert_true (g_str_has_prefix (f->url, "tls://127.0.0.1:"));
  f->object = gro_test_object_new ();
  gro_host_enable_remoting (f->host, G_OBJECT (f->object), "test", &error);
  g_assert_no_error (error);
  g_signal_connect (f->host, "connection-closed", G_CALLBACK (on_closed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* A handshake still under way keeps the host alive a little longer. */
  g_signal_handlers_disconnect_by_data (f->host, f);
  g_clear_object (&f->host);
  g_clear_object (&f->object);
  g_clear_error (&f->closed);
  g_free (f->url);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **out = user_data;

  if (gro_node_connect_to_node_finish (GRO_NODE (source), result, out))
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "connected");
}

/* Connects @node to @url asynchronously (the host runs in this thread):
 * NULL when it worked, else the error. */
static GError *
connect_node (GroNode    *node,
              const char *url)
{
  GError *error = NULL;

  gro_node_connect_to_node_async (node, url, NULL, on_connected, &error);
  gro_test_await (error != NULL);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_clear_error (&error);
  return error;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
assert_works (GroNode *node)
{
  g_autoptr(GroReplica) replica = gro_node_acquire_dynamic (node, "test");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  int sum;

  gro_test_await (gro_replica_is_valid (replica));
  gro_replica_call_async (replica, "add", g_variant_new ("(ii)", 20, 22), -1, NULL, on_done,
                          &result);
  gro_test_await (result != NULL);
  reply = gro_replica_call_finish (replica, result, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(i)", &sum);
  g_assert_cmpint (sum, ==, 42);
}

static void
test_trusted (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *ca = g_strdup_printf ("%s/ca.pem", certs);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GError) error = NULL;

  gro_node_set_tls_files (node, NULL, NULL, ca, &error);
  g_assert_no_error (error);
  error = connect_node (node, f->url);
  g_assert_no_error (error);
  assert_works (node);

  g_assert_false (gro_node_set_tls_files (node, "/nonexistent.pem", NULL, NULL, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE);
}

static void
test_untrusted (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GTlsDatabase) other = database ("other");
  g_autoptr(GroNode) node = g_object_new (GRO_TYPE_NODE, "tls-database", other, NULL);
  g_autoptr(GTlsDatabase) ca = database ("ca");
  g_autoptr(GroNode) good = g_object_new (GRO_TYPE_NODE, "tls-database", ca, NULL);
  g_autoptr(GError) error = connect_node (node, f->url);

  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
  g_assert_nonnull (strstr (error->message, "TLS"));
  g_test_message ("%s", error->message);

  /* The host serves the others on. */
  g_clear_error (&error);
  error = connect_node (good, f->url);
  g_assert_no_error (error);
  assert_works (good);
}

static void
test_pinned (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GTlsCertificate) server = certificate ("server");
  g_autoptr(GTlsCertificate) self_signed = certificate ("self");
  g_autoptr(GroNode) node = g_object_new (GRO_TYPE_NODE, "tls-pinned-certificate", server,
                                          NULL);
  g_autoptr(GroNode) wrong = g_object_new (GRO_TYPE_NODE, "tls-pinned-certificate",
                                           self_signed, NULL);
  g_autoptr(GError) error = connect_node (node, f->url);

  g_assert_no_error (error);
  assert_works (node);

  error = connect_node (wrong, f->url);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
}

/* A plain client at a TLS address: refused cleanly on both sides. */
static void
test_plain_client (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *plain = g_strconcat ("tcp", f->url + 3, NULL);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GError) error = connect_node (node, plain);

  g_assert_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
  gro_test_await (f->closed != NULL);
  g_assert_error (f->closed, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED);
  g_test_message ("host: %s", f->closed->message);
}

static GroAccess
on_authorize (GroHost    *host,
              GroPeer    *peer,
              const char *source_name,
              gboolean   *saw_certificate)
{
  if (gro_peer_get_certificate (peer) != NULL)
    *saw_certificate = TRUE;
  return GRO_ACCESS_FULL;
}

static void
test_mutual (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GTlsDatabase) ca = database ("ca");
  g_autoptr(GTlsCertificate) client = certificate ("client");
  g_autoptr(GroNode) anonymous = g_object_new (GRO_TYPE_NODE, "tls-database", ca, NULL);
  g_autoptr(GroNode) known = g_object_new (GRO_TYPE_NODE, "tls-database", ca,
                                           "tls-certificate", client, NULL);
  g_autoptr(GError) error = NULL;
  gboolean saw_certificate = FALSE;

  g_object_set (f->host, "tls-authentication-mode", G_TLS_AUTHENTICATION_REQUIRED,
                "tls-database", ca, NULL);
  g_signal_connect (f->host, "authorize", G_CALLBACK (on_authorize), &saw_certificate);

  error = connect_node (anonymous, f->url);
  g_assert_nonnull (error);
  g_test_message ("without a client certificate: %s", error->message);
  gro_test_await (f->closed != NULL);
  g_clear_error (&error);

  error = connect_node (known, f->url);
  g_assert_no_error (error);
  assert_works (known);
  g_assert_true (saw_certificate);
}

static void
test_needs_certificate (void)
{
  g_autoptr(GroHost) host = gro_host_new (NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (gro_host_listen (host, "tls://127.0.0.1:0", &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ADDRESS);
  g_assert_nonnull (strstr (error->message, "tls-certificate"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend: install glib-networking");
      return g_test_run ();
    }
  if (!make_certificates ())
    {
      g_printerr ("Cannot make certificates with openssl\n");
      return 1;
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/tls/trusted", test_trusted);
  ADD ("/tls/untrusted", test_untrusted);
  ADD ("/tls/pinned", test_pinned);
  ADD ("/tls/plain-client", test_plain_client);
  ADD ("/tls/mutual", test_mutual);
#undef ADD
  g_test_add_func ("/tls/needs-certificate", test_needs_certificate);

  status = g_test_run ();
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", certs);
    g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  }
  g_free (certs);
  return status;
}
