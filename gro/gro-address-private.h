/* gro-address-private.h: parsing gro's address URLs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  GRO_ADDRESS_TCP,
  GRO_ADDRESS_UNIX,
  GRO_ADDRESS_LOCAL,
  GRO_ADDRESS_ABSTRACT,
} GroAddressKind;

typedef struct
{
  GroAddressKind  kind;
  char           *url;    /* as given */
  char           *host;   /* TCP */
  guint16         port;   /* TCP; 0 means any when listening */
  char           *path;   /* UNIX and LOCAL: the socket's path; ABSTRACT: its name */
  gboolean        tls;    /* TCP: tls://, TLS over the TCP connection */
} GroAddress;

GroAddress         *gro_address_parse               (const char      *url,
                                                     GError         **error);
void                gro_address_free                (GroAddress      *address);
GSocketConnectable *gro_address_to_connectable      (GroAddress      *address);
GSocketConnection  *gro_address_connect_direct      (GroAddress      *address,
                                                     guint            timeout_s,
                                                     GCancellable    *cancellable,
                                                     GError         **error);
GSocketAddress     *gro_address_to_socket_address   (GroAddress      *address,
                                                     GError         **error);
char               *gro_address_format_bound        (GroAddress      *address,
                                                     GSocketAddress  *bound);
char               *gro_address_describe_peer       (GSocketConnection *connection,
                                                     GroAddress      *listening);

void                gro_connection_set_no_delay     (GSocketConnection *connection);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GroAddress, gro_address_free)

G_END_DECLS
