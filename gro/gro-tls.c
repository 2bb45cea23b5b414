/* gro-tls.c: TLS over a TCP connection, for tls:// addresses
 *
 * GIO's TLS (glib-networking) does the work; this sets it up the way gro's
 * settings say and turns its failures into gro errors that say what failed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "gro-error.h"
#include "gro-tls-private.h"

/* A pinned certificate is accepted whatever the database says, and only it. */
static gboolean
on_accept_certificate (GTlsConnection       *connection,
                       GTlsCertificate      *peer_certificate,
                       GTlsCertificateFlags  errors,
                       GTlsCertificate      *pinned)
{
  return pinned != NULL && g_tls_certificate_is_same (peer_certificate, pinned);
}

GIOStream *
gro_tls_client_new (GSocketConnection     *connection,
                    GroAddress            *address,
                    const GroTlsSettings  *settings,
                    GError               **error)
{
  g_autoptr(GSocketConnectable) identity = g_network_address_new (address->host, address->port);
  g_autoptr(GError) local_error = NULL;
  GIOStream *tls;

  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &local_error);
  if (tls == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                   "Cannot use TLS for %s: %s (is glib-networking installed?)",
                   address->url, local_error->message);
      return NULL;
    }

  if (settings->certificate != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (tls), settings->certificate);
  if (settings->pinned != NULL)
    {
      /* Only the pinned certificate: no certificate authority at all. */
      g_tls_connection_set_database (G_TLS_CONNECTION (tls), NULL);
      g_signal_connect_data (tls, "accept-certificate", G_CALLBACK (on_accept_certificate),
                             g_object_ref (settings->pinned), (GClosureNotify) g_object_unref, 0);
    }
  else if (settings->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), settings->database);

  return tls;
}

/* glib-networking (as in Debian 12) asks accept-certificate about every
 * client certificate, even one it found no fault with, and refuses it
 * unless a handler accepts: the host decides, against its own database and
 * for the purpose of client authentication. */
static gboolean
on_accept_client_certificate (GTlsConnection       *connection,
                              GTlsCertificate      *peer_certificate,
                              GTlsCertificateFlags  errors,
                              GTlsDatabase         *database)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags flags;

  if (database == NULL)
    return FALSE;
  flags = g_tls_database_verify_chain (database, peer_certificate,
                                       G_TLS_DATABASE_PURPOSE_AUTHENTICATE_CLIENT, NULL, NULL,
                                       G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
  return error == NULL && flags == 0;
}

GIOStream *
gro_tls_server_new (GSocketConnection     *connection,
                    const GroTlsSettings  *settings,
                    GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  GIOStream *tls;

  tls = g_tls_server_connection_new (G_IO_STREAM (connection), settings->certificate,
                                     &local_error);
  if (tls == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                   "Cannot use TLS: %s (is glib-networking installed?)", local_error->message);
      return NULL;
    }
  g_object_set (tls, "authentication-mode", settings->mode, NULL);
  if (settings->database != NULL)
    {
      g_tls_connection_set_database (G_TLS_CONNECTION (tls), settings->database);
      g_signal_connect_data (tls, "accept-certificate",
                             G_CALLBACK (on_accept_client_certificate),
                             g_object_ref (settings->database), (GClosureNotify) g_object_unref,
                             0);
    }
  return tls;
}

static void
fail_handshake (GError     **error,
                const char  *address,
                GError      *why)
{
  g_set_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
               "The TLS handshake with %s failed: %s", address, why->message);
}

gboolean
gro_tls_handshake (GIOStream   *stream,
                   const char  *address,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (stream), NULL, &local_error))
    {
      fail_handshake (error, address, local_error);
      return FALSE;
    }
  return TRUE;
}

void
gro_tls_handshake_async (GIOStream           *stream,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_tls_connection_handshake_async (G_TLS_CONNECTION (stream), G_PRIORITY_DEFAULT, cancellable,
                                    callback, user_data);
}

gboolean
gro_tls_handshake_finish (GIOStream     *stream,
                          GAsyncResult  *result,
                          const char    *address,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (stream), result, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        fail_handshake (error, address, local_error);
      return FALSE;
    }
  return TRUE;
}
