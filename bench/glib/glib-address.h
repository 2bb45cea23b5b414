/* glib-address.h: PROTOCOL.md's addresses as GSocketAddresses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <stdlib.h>

/* "unix:/path" or "tcp:HOST:PORT"; NULL if neither. */
static inline GSocketAddress *
bench_glib_address (const char *address)
{
  if (g_str_has_prefix (address, "unix:") && address[5] != '\0')
    return g_unix_socket_address_new (address + 5);
  if (g_str_has_prefix (address, "tcp:"))
    {
      const char *colon = strrchr (address + 4, ':');
      g_autofree char *host = NULL;
      char *end;
      long port;

      if (colon == NULL)
        return NULL;
      host = g_strndup (address + 4, colon - (address + 4));
      port = strtol (colon + 1, &end, 10);
      if (*end != '\0' || port <= 0 || port > 65535)
        return NULL;
      return g_inet_socket_address_new_from_string (host, port);
    }
  return NULL;
}
