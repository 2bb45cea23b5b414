/* test-address.c: parsing tcp://, unix:, local: and unix-abstract: addresses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gunixsocketaddress.h>

#include "gro-address-private.h"
#include "gro-error.h"

static GroAddress *
parse_ok (const char *url)
{
  g_autoptr(GError) error = NULL;
  GroAddress *address = gro_address_parse (url, &error);

  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_assert_cmpstr (address->url, ==, url);
  return address;
}

static void
test_tcp (void)
{
  static const struct {
    const char *url;
    const char *host;
    guint16 port;
  } cases[] = {
    { "tcp://localhost:80", "localhost", 80 },
    { "tcp://127.0.0.1:0", "127.0.0.1", 0 },
    { "tcp://example.org:65535", "example.org", 65535 },
    { "tcp://example.org:0080", "example.org", 80 },
    { "tcp://[::1]:4000", "::1", 4000 },
    { "tcp://[fe80::1%eth0]:1", "fe80::1%eth0", 1 },
    { "tcp://*:1234", "*", 1234 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GroAddress) address = parse_ok (cases[i].url);

      g_assert_cmpint (address->kind, ==, GRO_ADDRESS_TCP);
      g_assert_cmpstr (address->host, ==, cases[i].host);
      g_assert_cmpuint (address->port, ==, cases[i].port);
      g_assert_null (address->path);
    }
}

static void
test_unix (void)
{
  g_autoptr(GroAddress) absolute = parse_ok ("unix:/run/user/1000/app.sock");
  g_autoptr(GroAddress) relative = parse_ok ("unix:app.sock");
  g_autofree char *longest_path = g_strnfill (107, 'x');
  g_autofree char *longest = g_strconcat ("unix:", longest_path, NULL);
  g_autoptr(GroAddress) at_limit = NULL;

  g_assert_cmpint (absolute->kind, ==, GRO_ADDRESS_UNIX);
  g_assert_cmpstr (absolute->path, ==, "/run/user/1000/app.sock");
  g_assert_null (absolute->host);
  g_assert_cmpuint (absolute->port, ==, 0);

  g_assert_cmpint (relative->kind, ==, GRO_ADDRESS_UNIX);
  g_assert_cmpstr (relative->path, ==, "app.sock");

  /* sun_path holds 107 bytes and a NUL. */
  at_limit = parse_ok (longest);
  g_assert_cmpuint (strlen (at_limit->path), ==, 107);
}

static void
test_local (void)
{
  g_autoptr(GroAddress) address = parse_ok ("local:thermostat");
  g_autoptr(GroAddress) dotted = parse_ok ("local:my.app-1");
  g_autofree char *expected = g_build_filename (g_get_user_runtime_dir (), "thermostat", NULL);

  g_assert_cmpint (address->kind, ==, GRO_ADDRESS_LOCAL);
  g_assert_cmpstr (address->path, ==, expected);
  g_assert_true (g_str_has_suffix (dotted->path, "/my.app-1"));
}

static void
test_abstract (void)
{
  g_autoptr(GroAddress) address = parse_ok ("unix-abstract:gro-test");

  g_assert_cmpint (address->kind, ==, GRO_ADDRESS_ABSTRACT);
  g_assert_cmpstr (address->path, ==, "gro-test");
  g_assert_null (address->host);
}

/* Refused with GRO_ERROR_INVALID_ADDRESS and a message that shows it. */
static void
assert_refused (const char *url,
                const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroAddress) address = gro_address_parse (url, &error);

  if (address != NULL)
    g_error ("'%s' was accepted", url);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_INVALID_ADDRESS);
  g_test_message ("%s: %s", url ? url : "(null)", error->message);
  if (url != NULL && url[0] != '\0')
    {
      g_autofree char *shown = g_strescape (url, NULL);
      g_autofree char *quoted = g_strdup_printf ("'%s'", shown);

      g_assert_nonnull (strstr (error->message, quoted));
    }
  else
    g_assert_cmpstr (error->message, ==, "The address is empty");
  if (reason != NULL)
    g_assert_nonnull (strstr (error->message, reason));
}

static void
test_refused (void)
{
  g_autofree char *long_path = g_strnfill (108, 'x');
  g_autofree char *too_long = g_strconcat ("unix:", long_path, NULL);
  g_autofree char *too_long_abstract = g_strconcat ("unix-abstract:", long_path, NULL);
  g_autofree char *too_long_local = g_strconcat ("local:", long_path, NULL);

  assert_refused (NULL, NULL);
  assert_refused ("", NULL);

  assert_refused ("tcp://", "a port is required");
  assert_refused ("tcp://host", "a port is required");
  assert_refused ("tcp://host:", "the port must be a number");
  assert_refused ("tcp://:80", "the host is missing");
  assert_refused ("tcp://host:99999", "the port must be a number from 0 to 65535");
  assert_refused ("tcp://host:65536", "the port must be a number from 0 to 65535");
  assert_refused ("tcp://host:18446744073709551617", "the port must be a number");
  assert_refused ("tcp://host:12x", "the port must be a number");
  assert_refused ("tcp://host:-1", "the port must be a number");
  assert_refused ("tcp://host:+80", "the port must be a number");
  assert_refused ("tcp://host: 80", "the port must be a number");
  assert_refused ("tcp://[::1", "unterminated IPv6 address");
  assert_refused ("tcp://[]:80", NULL);
  assert_refused ("tcp://[::1]", "a port is required");
  assert_refused ("tcp://[::1]x:80", "a port is required");
  assert_refused ("tcp://::1:80", "malformed host");
  assert_refused ("tcp://host/path:80", "malformed host");

  assert_refused ("unix:", "the socket path is missing");
  assert_refused (too_long, "longer than 107 bytes");

  assert_refused ("local:", "local: takes a plain name");
  assert_refused ("local:a/b", "local: takes a plain name");
  assert_refused ("local:.", "local: takes a plain name");
  assert_refused ("local:..", "local: takes a plain name");
  assert_refused (too_long_local, "longer than 107 bytes");

  assert_refused ("unix-abstract:", "the socket name is missing");
  assert_refused (too_long_abstract, "longer than 107 bytes");

  assert_refused ("tls://x", "a port is required");
  {
    g_autoptr(GroAddress) tls = gro_address_parse ("tls://127.0.0.1:8443", NULL);

    g_assert_nonnull (tls);
    g_assert_true (tls->tls);
    g_assert_cmpint (tls->kind, ==, GRO_ADDRESS_TCP);
    g_assert_cmpuint (tls->port, ==, 8443);
  }
  assert_refused ("http://x", "unsupported scheme");
  assert_refused ("TCP://host:80", "unsupported scheme");
  assert_refused ("thermostat", "unsupported scheme");
  assert_refused ("unix:/tmp/\xff.sock", "not valid UTF-8");
}

/* ------------------------------------------------------------------------ */
/* Socket addresses                                                          */

static void
test_socket_address (void)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GroAddress) address = parse_ok ("tcp://127.0.0.1:4000");
    g_autoptr(GSocketAddress) sa = gro_address_to_socket_address (address, &error);
    g_autofree char *ip = NULL;

    g_assert_no_error (error);
    g_assert_true (G_IS_INET_SOCKET_ADDRESS (sa));
    g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (sa)), ==, 4000);
    ip = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa)));
    g_assert_cmpstr (ip, ==, "127.0.0.1");
  }

  {
    g_autoptr(GroAddress) address = parse_ok ("tcp://*:0");
    g_autoptr(GSocketAddress) sa = gro_address_to_socket_address (address, &error);
    GInetAddress *ip;

    g_assert_no_error (error);
    ip = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa));
    g_assert_true (g_inet_address_get_is_any (ip));
  }

  {
    g_autoptr(GroAddress) address = parse_ok ("unix:/tmp/gro.sock");
    g_autoptr(GSocketAddress) sa = gro_address_to_socket_address (address, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (sa)), ==,
                     "/tmp/gro.sock");
    g_assert_cmpint (g_unix_socket_address_get_address_type (G_UNIX_SOCKET_ADDRESS (sa)), ==,
                     G_UNIX_SOCKET_ADDRESS_PATH);
  }

  {
    g_autoptr(GroAddress) address = parse_ok ("unix-abstract:gro-test");
    g_autoptr(GSocketAddress) sa = gro_address_to_socket_address (address, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (sa)), ==, "gro-test");
    g_assert_cmpint (g_unix_socket_address_get_address_type (G_UNIX_SOCKET_ADDRESS (sa)), ==,
                     G_UNIX_SOCKET_ADDRESS_ABSTRACT);
  }

  {
    g_autoptr(GroAddress) address = parse_ok ("tcp://example.org:80");
    g_autoptr(GSocketConnectable) connectable = gro_address_to_connectable (address);

    g_assert_true (G_IS_NETWORK_ADDRESS (connectable));
    g_assert_cmpstr (g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)), ==,
                     "example.org");
    g_assert_cmpuint (g_network_address_get_port (G_NETWORK_ADDRESS (connectable)), ==, 80);
  }
}

/* The URL a listener is reachable at: with the port really bound. */
static void
test_format_bound (void)
{
  g_autoptr(GroAddress) v4 = parse_ok ("tcp://127.0.0.1:0");
  g_autoptr(GroAddress) v6 = parse_ok ("tcp://[::1]:0");
  g_autoptr(GroAddress) unix_address = parse_ok ("unix:/tmp/gro.sock");
  g_autoptr(GInetAddress) lo4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetAddress) lo6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) bound4 = g_inet_socket_address_new (lo4, 40123);
  g_autoptr(GSocketAddress) bound6 = g_inet_socket_address_new (lo6, 40124);
  g_autoptr(GSocketAddress) bound_unix = g_unix_socket_address_new ("/tmp/gro.sock");
  g_autofree char *url4 = gro_address_format_bound (v4, bound4);
  g_autofree char *url6 = gro_address_format_bound (v6, bound6);
  g_autofree char *url_unix = gro_address_format_bound (unix_address, bound_unix);

  g_assert_cmpstr (url4, ==, "tcp://127.0.0.1:40123");
  g_assert_cmpstr (url6, ==, "tcp://[::1]:40124");
  g_assert_cmpstr (url_unix, ==, "unix:/tmp/gro.sock");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/tcp", test_tcp);
  g_test_add_func ("/address/unix", test_unix);
  g_test_add_func ("/address/local", test_local);
  g_test_add_func ("/address/abstract", test_abstract);
  g_test_add_func ("/address/refused", test_refused);
  g_test_add_func ("/address/socket-address", test_socket_address);
  g_test_add_func ("/address/format-bound", test_format_bound);

  return g_test_run ();
}
