/* bench-address.h: PROTOCOL.md's addresses as gro URLs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

/* "unix:/path" stays; "tcp:HOST:PORT" becomes "tcp://HOST:PORT". */
static inline char *
bench_gro_url (const char *address)
{
  if (g_str_has_prefix (address, "unix:"))
    return g_strdup (address);
  if (g_str_has_prefix (address, "tcp:"))
    return g_strconcat ("tcp://", address + 4, NULL);
  return NULL;
}
