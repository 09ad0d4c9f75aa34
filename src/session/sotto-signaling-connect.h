/* sotto-signaling-connect.h: a pinned TLS WebSocket connection to the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Why a connection attempt failed, for the signaling client to map. */
typedef enum {
  SOTTO_SIGNALING_CONNECT_UNREACHABLE,   /* TCP, TLS or the HTTP upgrade failed */
  SOTTO_SIGNALING_CONNECT_PIN_MISMATCH,  /* the server's key is not the pinned one */
} SottoSignalingConnectFailure;

/* Connects to `url` (https://HOST[:PORT]/PATH), completes TLS trusting only
 * the key whose SPKI SHA-256 (base64) is `pin`, performs the RFC 6455
 * upgrade, and yields a client SoupWebsocketConnection. Nothing is sent
 * before the pin has been checked. Runs on the thread-default context. */
void                     sotto_signaling_connect_async  (const char          *url,
                                                         const char          *pin,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
SoupWebsocketConnection *sotto_signaling_connect_finish (GAsyncResult                 *result,
                                                         SottoSignalingConnectFailure *failure,
                                                         GError                      **error);

G_END_DECLS
