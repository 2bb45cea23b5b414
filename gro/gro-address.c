/* gro-address.c: tcp://HOST:PORT, unix:/PATH, local:NAME, unix-abstract:NAME
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gunixsocketaddress.h>

#include "gro-address-private.h"
#include "gro-error.h"

/* sun_path is 108 bytes on Linux, with room for the terminating NUL. */
#define MAX_UNIX_PATH 107

void
gro_address_free (GroAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->url);
  g_free (address->host);
  g_free (address->path);
  g_free (address);
}

static gboolean
invalid (GError     **error,
         const char  *url,
         const char  *reason)
{
  g_autofree char *shown = g_strescape (url, NULL);

  g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ADDRESS,
               "Invalid address '%s': %s", shown, reason);
  return FALSE;
}

static gboolean
parse_tcp (GroAddress  *address,
           const char  *rest,
           GError     **error)
{
  const char *colon;
  const char *port;
  char *end;
  guint64 value;

  if (rest[0] == '[')
    {
      const char *close = strchr (rest, ']');

      if (close == NULL || close == rest + 1)
        return invalid (error, address->url, "unterminated IPv6 address");
      address->host = g_strndup (rest + 1, close - rest - 1);
      colon = close + 1;
      if (*colon != ':')
        return invalid (error, address->url, "a port is required, as in tcp://HOST:PORT");
    }
  else
    {
      colon = strrchr (rest, ':');
      if (colon == NULL)
        return invalid (error, address->url, "a port is required, as in tcp://HOST:PORT");
      if (colon == rest)
        return invalid (error, address->url, "the host is missing");
      address->host = g_strndup (rest, colon - rest);
      if (strchr (address->host, '/') != NULL || strchr (address->host, ':') != NULL)
        return invalid (error, address->url, "malformed host");
    }

  port = colon + 1;
  if (!g_ascii_isdigit (port[0]))
    return invalid (error, address->url, "the port must be a number from 0 to 65535");
  value = g_ascii_strtoull (port, &end, 10);
  if (*end != '\0' || value > 65535)
    return invalid (error, address->url, "the port must be a number from 0 to 65535");
  address->port = value;

  return TRUE;
}

GroAddress *
gro_address_parse (const char  *url,
                   GError     **error)
{
  g_autoptr(GroAddress) address = NULL;

  if (url == NULL || url[0] == '\0')
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ADDRESS, "The address is empty");
      return NULL;
    }

  address = g_new0 (GroAddress, 1);
  address->url = g_strdup (url);

  if (!g_utf8_validate (url, -1, NULL))
    {
      invalid (error, url, "not valid UTF-8");
      return NULL;
    }

  if (g_str_has_prefix (url, "tcp://"))
    {
      address->kind = GRO_ADDRESS_TCP;
      if (!parse_tcp (address, url + strlen ("tcp://"), error))
        return NULL;
    }
  else if (g_str_has_prefix (url, "unix:"))
    {
      address->kind = GRO_ADDRESS_UNIX;
      address->path = g_strdup (url + strlen ("unix:"));
      if (address->path[0] == '\0')
        {
          invalid (error, url, "the socket path is missing, as in unix:/run/app.sock");
          return NULL;
        }
    }
  else if (g_str_has_prefix (url, "local:"))
    {
      const char *name = url + strlen ("local:");

      address->kind = GRO_ADDRESS_LOCAL;
      if (name[0] == '\0' || strchr (name, '/') != NULL || g_str_equal (name, ".") ||
          g_str_equal (name, ".."))
        {
          invalid (error, url, "local: takes a plain name, without '/'");
          return NULL;
        }
      address->path = g_build_filename (g_get_user_runtime_dir (), name, NULL);
    }
  else if (g_str_has_prefix (url, "unix-abstract:"))
    {
      address->kind = GRO_ADDRESS_ABSTRACT;
      address->path = g_strdup (url + strlen ("unix-abstract:"));
      if (address->path[0] == '\0')
        {
          invalid (error, url, "the socket name is missing");
          return NULL;
        }
    }
  else if (g_str_has_prefix (url, "tls://"))
    {
      address->kind = GRO_ADDRESS_TCP;
      address->tls = TRUE;
      if (!parse_tcp (address, url + strlen ("tls://"), error))
        return NULL;
    }
  else
    {
      invalid (error, url,
               "unsupported scheme; use tcp://HOST:PORT, tls://HOST:PORT, unix:/PATH, "
               "local:NAME or unix-abstract:NAME");
      return NULL;
    }

  if (address->path != NULL && strlen (address->path) > MAX_UNIX_PATH)
    {
      invalid (error, url, "the socket path is longer than 107 bytes");
      return NULL;
    }

  return g_steal_pointer (&address);
}

GSocketConnectable *
gro_address_to_connectable (GroAddress *address)
{
  switch (address->kind)
    {
    case GRO_ADDRESS_TCP:
      return g_network_address_new (address->host, address->port);
    case GRO_ADDRESS_UNIX:
    case GRO_ADDRESS_LOCAL:
      return G_SOCKET_CONNECTABLE (g_unix_socket_address_new (address->path));
    case GRO_ADDRESS_ABSTRACT:
      return G_SOCKET_CONNECTABLE (g_unix_socket_address_new_with_type (address->path, -1,
                                                                        G_UNIX_SOCKET_ADDRESS_ABSTRACT));
    default:
      g_assert_not_reached ();
    }
}

/* Connects without GSocketClient when the address needs no lookup (a Unix
 * socket, or TCP to a literal IP address): GSocketClient's enumeration costs
 * a few hundred microseconds, a third of a replica's start-up. Gives up
 * after @timeout_s seconds (0: never). Returns NULL without an error when
 * the address needs the general path. */
GSocketConnection *
gro_address_connect_direct (GroAddress    *address,
                            guint          timeout_s,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GSocketAddress) target = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) inet = NULL;

  if (address->kind == GRO_ADDRESS_TCP)
    {
      inet = g_inet_address_new_from_string (address->host);
      if (inet == NULL)
        return NULL;
      target = g_inet_socket_address_new (inet, address->port);
    }
  else
    target = G_SOCKET_ADDRESS (gro_address_to_connectable (address));

  socket = g_socket_new (g_socket_address_get_family (target), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return NULL;
  /* An unreachable address would otherwise block until the kernel gives
   * up, minutes later. */
  g_socket_set_timeout (socket, timeout_s);
  if (!g_socket_connect (socket, target, cancellable, error))
    return NULL;
  g_socket_set_timeout (socket, 0);
  return g_socket_connection_factory_create_connection (socket);
}

/* For listening: TCP hosts are resolved here, once. */
GSocketAddress *
gro_address_to_socket_address (GroAddress  *address,
                               GError     **error)
{
  switch (address->kind)
    {
    case GRO_ADDRESS_TCP:
      {
        g_autoptr(GInetAddress) inet = NULL;

        if (g_str_equal (address->host, "*"))
          inet = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
        else
          inet = g_inet_address_new_from_string (address->host);

        if (inet == NULL)
          {
            g_autoptr(GResolver) resolver = g_resolver_get_default ();
            g_autoptr(GError) local_error = NULL;
            GList *found;

            found = g_resolver_lookup_by_name (resolver, address->host, NULL, &local_error);
            if (found == NULL)
              {
                g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ADDRESS,
                             "Cannot resolve the host of '%s': %s",
                             address->url, local_error->message);
                return NULL;
              }
            inet = g_object_ref (found->data);
            g_resolver_free_addresses (found);
          }
        return g_inet_socket_address_new (inet, address->port);
      }
    case GRO_ADDRESS_UNIX:
    case GRO_ADDRESS_LOCAL:
      return g_unix_socket_address_new (address->path);
    case GRO_ADDRESS_ABSTRACT:
      return g_unix_socket_address_new_with_type (address->path, -1,
                                                  G_UNIX_SOCKET_ADDRESS_ABSTRACT);
    default:
      g_assert_not_reached ();
    }
}

static char *
format_inet (GInetSocketAddress *inet)
{
  GInetAddress *ip = g_inet_socket_address_get_address (inet);
  g_autofree char *host = g_inet_address_to_string (ip);

  if (g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("tcp://[%s]:%u", host, g_inet_socket_address_get_port (inet));
  return g_strdup_printf ("tcp://%s:%u", host, g_inet_socket_address_get_port (inet));
}

/* The URL a listener is reachable at: the given one, with the real port. */
char *
gro_address_format_bound (GroAddress     *address,
                          GSocketAddress *bound)
{
  if (address->kind == GRO_ADDRESS_TCP && G_IS_INET_SOCKET_ADDRESS (bound))
    {
      g_autofree char *url = format_inet (G_INET_SOCKET_ADDRESS (bound));

      /* format_inet() says tcp:// */
      return address->tls ? g_strconcat ("tls", url + 3, NULL) : g_steal_pointer (&url);
    }
  return g_strdup (address->url);
}

/* A name for an accepted peer, for messages. */
char *
gro_address_describe_peer (GSocketConnection *connection,
                           GroAddress        *listening)
{
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  if (remote != NULL && G_IS_INET_SOCKET_ADDRESS (remote))
    return format_inet (G_INET_SOCKET_ADDRESS (remote));
  if (listening != NULL)
    return g_strdup_printf ("a peer on %s", listening->url);
  return g_strdup ("a peer");
}

/* Frames are small and written whole; Nagle would only delay them. The
 * connect timeout must not stay on the socket: it would end idle links. */
void
gro_connection_set_no_delay (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  GSocketFamily family = g_socket_get_family (socket);

  g_socket_set_timeout (socket, 0);

  if (family == G_SOCKET_FAMILY_IPV4 || family == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}
