/* gro-error.h: the GroError domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(GRO_INSIDE) && !defined(GRO_COMPILATION)
# error "Only <gro.h> can be included directly."
#endif

#include <glib.h>

#include "gro-version-macros.h"

G_BEGIN_DECLS

/**
 * GRO_ERROR:
 *
 * The error domain of gro. Errors in this domain are from the
 * [error@Gro.Error] enumeration.
 *
 * Since: 1.0
 */
#define GRO_ERROR (gro_error_quark ())

/**
 * GroError:
 * @GRO_ERROR_FAILED: Something went wrong that no other code describes.
 * @GRO_ERROR_INVALID_ADDRESS: An address is malformed or uses a scheme gro does not support.
 * @GRO_ERROR_CONNECTION_FAILED: Connecting to an address, or listening on one, failed.
 * @GRO_ERROR_DISCONNECTED: The connection closed while the operation was in flight.
 * @GRO_ERROR_PROTOCOL: The peer broke the protocol (a malformed or unexpected message, or
 *   a protocol version this side does not speak). The connection is closed.
 * @GRO_ERROR_TIMED_OUT: The operation did not finish in the time it was given.
 * @GRO_ERROR_SOURCE_UNAVAILABLE: The replica's source is not available: the replica is not
 *   in the state %GRO_REPLICA_STATE_VALID.
 * @GRO_ERROR_UNKNOWN_METHOD: The source has no method of that name.
 * @GRO_ERROR_UNKNOWN_PROPERTY: The source has no property of that name.
 * @GRO_ERROR_INVALID_ARGS: The arguments or the value do not have the types the source expects.
 * @GRO_ERROR_READ_ONLY: The property cannot be written from a replica.
 * @GRO_ERROR_INVALID_VALUE: The value has the right type but the source's property does not
 *   accept it (out of range, not a valid enumeration value).
 * @GRO_ERROR_UNSUPPORTED_TYPE: A property, signal or method uses a type that gro cannot carry.
 * @GRO_ERROR_NAME_IN_USE: A source is already shared under that name.
 * @GRO_ERROR_SIGNATURE_MISMATCH: The source's interface does not match what the replica needs.
 * @GRO_ERROR_LIMIT_EXCEEDED: A configured limit was reached.
 * @GRO_ERROR_NO_REPLY: The source dropped a call that it had deferred without answering it.
 * @GRO_ERROR_REMOTE_ERROR: The source answered with an error in a domain this process would
 *   not make a quark for (past a bound on how many a peer may make it create); the message
 *   names the remote domain.
 * @GRO_ERROR_PERMISSION_DENIED: The host refused the connection, or the call or write, to this
 *   peer (see [signal@Gro.Host::authorize]).
 * @GRO_ERROR_CLOSED: The node or host was closed with [method@Gro.Node.close].
 *
 * Error codes in the %GRO_ERROR domain.
 *
 * Cancellation is reported as %G_IO_ERROR_CANCELLED, as everywhere in GIO.
 * Errors a source raises in its own domains reach the replica in those domains.
 *
 * Since: 1.0
 */
typedef enum
{
  GRO_ERROR_FAILED,
  GRO_ERROR_INVALID_ADDRESS,
  GRO_ERROR_CONNECTION_FAILED,
  GRO_ERROR_DISCONNECTED,
  GRO_ERROR_PROTOCOL,
  GRO_ERROR_TIMED_OUT,
  GRO_ERROR_SOURCE_UNAVAILABLE,
  GRO_ERROR_UNKNOWN_METHOD,
  GRO_ERROR_UNKNOWN_PROPERTY,
  GRO_ERROR_INVALID_ARGS,
  GRO_ERROR_READ_ONLY,
  GRO_ERROR_INVALID_VALUE,
  GRO_ERROR_UNSUPPORTED_TYPE,
  GRO_ERROR_NAME_IN_USE,
  GRO_ERROR_SIGNATURE_MISMATCH,
  GRO_ERROR_LIMIT_EXCEEDED,
  GRO_ERROR_NO_REPLY,
  GRO_ERROR_REMOTE_ERROR,
  GRO_ERROR_PERMISSION_DENIED,
  GRO_ERROR_CLOSED,
} GroError;

GRO_AVAILABLE_IN_ALL
GQuark gro_error_quark (void);

G_END_DECLS
