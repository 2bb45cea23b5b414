/* raw-address.h: PROTOCOL.md's addresses as plain sockets (raw floor)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

typedef struct
{
  struct sockaddr_storage sa;
  socklen_t               len;
  int                     family;
} RawAddress;

/* "unix:/path" or "tcp:HOST:PORT" (HOST an IPv4 literal).  0 on success. */
static inline int
raw_address_parse (const char *address,
                   RawAddress *out)
{
  memset (out, 0, sizeof *out);
  if (strncmp (address, "unix:", 5) == 0)
    {
      struct sockaddr_un *un = (struct sockaddr_un *) &out->sa;
      const char *path = address + 5;

      if (strlen (path) == 0 || strlen (path) >= sizeof un->sun_path)
        return -1;
      un->sun_family = AF_UNIX;
      strcpy (un->sun_path, path);
      out->len = sizeof *un;
      out->family = AF_UNIX;
      return 0;
    }
  if (strncmp (address, "tcp:", 4) == 0)
    {
      struct sockaddr_in *in = (struct sockaddr_in *) &out->sa;
      char host[64];
      const char *colon = strrchr (address + 4, ':');
      char *end;
      long port;

      if (colon == NULL || (size_t) (colon - (address + 4)) >= sizeof host)
        return -1;
      memcpy (host, address + 4, colon - (address + 4));
      host[colon - (address + 4)] = '\0';
      port = strtol (colon + 1, &end, 10);
      if (*end != '\0' || port <= 0 || port > 65535)
        return -1;
      in->sin_family = AF_INET;
      in->sin_port = htons ((unsigned short) port);
      if (inet_pton (AF_INET, host, &in->sin_addr) != 1)
        return -1;
      out->len = sizeof *in;
      out->family = AF_INET;
      return 0;
    }
  return -1;
}
