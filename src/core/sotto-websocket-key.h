/* sotto-websocket-key.h: the RFC 6455 opening handshake's key proof
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the server, which sends it, and the client, which checks it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64 of SHA-1 over the
 * key and RFC 6455's fixed GUID (section 4.2.2). */
char *sotto_websocket_accept_key (const char *key);

G_END_DECLS
