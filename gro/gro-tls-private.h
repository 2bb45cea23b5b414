/* gro-tls-private.h: TLS over a TCP connection, for tls:// addresses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gro-address-private.h"

G_BEGIN_DECLS

typedef struct
{
  GTlsCertificate *certificate;   /* ours: the server's, or a client's */
  GTlsDatabase    *database;      /* to validate the peer, or NULL */
  GTlsCertificate *pinned;        /* client: accept exactly this one */
  GTlsAuthenticationMode mode;    /* server: client certificates */
} GroTlsSettings;

GIOStream *gro_tls_client_new           (GSocketConnection     *connection,
                                         GroAddress            *address,
                                         const GroTlsSettings  *settings,
                                         GError               **error);
GIOStream *gro_tls_server_new           (GSocketConnection     *connection,
                                         const GroTlsSettings  *settings,
                                         GError               **error);
gboolean   gro_tls_handshake_finish     (GIOStream             *stream,
                                         GAsyncResult          *result,
                                         const char            *address,
                                         GError               **error);
void       gro_tls_handshake_async      (GIOStream             *stream,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data);
gboolean   gro_tls_handshake            (GIOStream             *stream,
                                         const char            *address,
                                         GError               **error);

G_END_DECLS
