/* gro-peer.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "gro-peer.h"
#include "gro-peer-private.h"

/**
 * GroPeer:
 *
 * A node connected to a [class@Gro.Host], as the host's
 * [signal@Gro.Host::authorize] sees it: its address and, over a Unix
 * socket, the credentials of the process at the other end, or over TLS the
 * certificate it showed.
 *
 * Since: 1.0
 */

struct _GroPeer
{
  GObject       parent_instance;
  char            *address;
  GCredentials    *credentials;
  GTlsCertificate *certificate;
};

G_DEFINE_FINAL_TYPE (GroPeer, gro_peer, G_TYPE_OBJECT)

GroPeer *
_gro_peer_new (const char      *address,
               GCredentials    *credentials,
               GTlsCertificate *certificate)
{
  GroPeer *self = g_object_new (GRO_TYPE_PEER, NULL);

  self->address = g_strdup (address);
  self->credentials = credentials ? g_object_ref (credentials) : NULL;
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  return self;
}

/**
 * gro_peer_get_certificate:
 * @peer: a #GroPeer
 *
 * Gets the certificate a peer showed over `tls://` (mutual TLS, see
 * [property@Gro.Host:tls-authentication-mode]).
 *
 * Returns: (transfer none) (nullable): the certificate, or %NULL
 *
 * Since: 1.0
 */
GTlsCertificate *
gro_peer_get_certificate (GroPeer *peer)
{
  g_return_val_if_fail (GRO_IS_PEER (peer), NULL);

  return peer->certificate;
}

/**
 * gro_peer_get_address:
 * @peer: a #GroPeer
 *
 * Gets the peer's address, as the host sees it: `tcp://HOST:PORT`, or the
 * host's own Unix address for a peer on a Unix socket.
 *
 * Returns: the address
 *
 * Since: 1.0
 */
const char *
gro_peer_get_address (GroPeer *peer)
{
  g_return_val_if_fail (GRO_IS_PEER (peer), NULL);

  return peer->address;
}

/**
 * gro_peer_get_credentials:
 * @peer: a #GroPeer
 *
 * Gets the credentials of the process at the other end of a Unix socket,
 * as the kernel gives them (`SO_PEERCRED`): they cannot be forged by the
 * peer.
 *
 * Returns: (transfer none) (nullable): the credentials, or %NULL for a peer
 *   that is not on a Unix socket
 *
 * Since: 1.0
 */
GCredentials *
gro_peer_get_credentials (GroPeer *peer)
{
  g_return_val_if_fail (GRO_IS_PEER (peer), NULL);

  return peer->credentials;
}

static void
gro_peer_finalize (GObject *object)
{
  GroPeer *self = GRO_PEER (object);

  g_free (self->address);
  g_clear_object (&self->credentials);
  g_clear_object (&self->certificate);
  G_OBJECT_CLASS (gro_peer_parent_class)->finalize (object);
}

static void
gro_peer_class_init (GroPeerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gro_peer_finalize;
}

static void
gro_peer_init (GroPeer *self)
{
}
