/* gdbus-address.h: PROTOCOL.md's addresses as D-Bus addresses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

/* "unix:/path" becomes "unix:path=/path", "tcp:HOST:PORT" becomes
 * "tcp:host=HOST,port=PORT"; NULL for anything else. */
static inline char *
bench_dbus_address (const char *address)
{
  if (g_str_has_prefix (address, "unix:") && address[5] != '\0')
    {
      g_autofree char *escaped = g_dbus_address_escape_value (address + 5);

      return g_strconcat ("unix:path=", escaped, NULL);
    }
  if (g_str_has_prefix (address, "tcp:"))
    {
      const char *colon = strrchr (address + 4, ':');
      g_autofree char *host = NULL;

      if (colon == NULL || colon[1] == '\0')
        return NULL;
      host = g_strndup (address + 4, colon - (address + 4));
      return g_strdup_printf ("tcp:host=%s,port=%s", host, colon + 1);
    }
  return NULL;
}

/* GDBus leaves Nagle's algorithm on for TCP, and the first message after
 * the authentication (the client's GetAll) then waits for the server's
 * delayed ACK of "BEGIN", 40 ms.  The other systems set TCP_NODELAY, so
 * this one does too, on both sides, once the connection is made. */
static inline void
bench_dbus_set_nodelay (GDBusConnection *connection)
{
  GIOStream *stream = g_dbus_connection_get_stream (connection);
  GSocket *socket;

  if (!G_IS_SOCKET_CONNECTION (stream))
    return;
  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
  if (g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV4 ||
      g_socket_get_family (socket) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}
