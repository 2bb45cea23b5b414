/* gro-peer.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <gio/gio.h>

#include "gro-types.h"
#include "gro-version-macros.h"

G_BEGIN_DECLS

#define GRO_TYPE_PEER (gro_peer_get_type ())

GRO_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (GroPeer, gro_peer, GRO, PEER, GObject)

GRO_AVAILABLE_IN_ALL
const char   *gro_peer_get_address      (GroPeer *peer);
GRO_AVAILABLE_IN_ALL
GCredentials *gro_peer_get_credentials  (GroPeer *peer);
GRO_AVAILABLE_IN_ALL
GTlsCertificate *gro_peer_get_certificate (GroPeer *peer);

G_END_DECLS
