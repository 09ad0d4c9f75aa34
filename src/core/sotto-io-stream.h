/* sotto-io-stream.h: small helpers over GIO streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The socket under a stack of wrapping streams (TLS, WebSocket), following
 * each one's "base-io-stream"; NULL when the bottom is not a socket.
 * Transfer none: the socket belongs to the streams. */
GSocket *sotto_io_stream_find_socket (GIOStream *stream);

G_END_DECLS
