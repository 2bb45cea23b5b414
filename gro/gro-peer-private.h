/* gro-peer-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-peer.h"

G_BEGIN_DECLS

GroPeer *_gro_peer_new (const char      *address,
                        GCredentials    *credentials,
                        GTlsCertificate *certificate);

G_END_DECLS
