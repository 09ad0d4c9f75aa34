/* sotto-signaling-client.h: the client end of /v1/signal (docs/protocol.md, "Signaling")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sotto-signal-message.h"
#include "sotto-token.h"

G_BEGIN_DECLS

#define SOTTO_SIGNALING_CLIENT_ERROR (sotto_signaling_client_error_quark ())
GQuark sotto_signaling_client_error_quark (void);

typedef enum {
  SOTTO_SIGNALING_CLIENT_ERROR_BAD_TOKEN,       /* the token cannot be decoded, or its url is not wss:// */
  SOTTO_SIGNALING_CLIENT_ERROR_UNREACHABLE,     /* TCP, TLS or the WebSocket handshake failed */
  SOTTO_SIGNALING_CLIENT_ERROR_PIN_MISMATCH,    /* the server's key is not the one the token pins */
  SOTTO_SIGNALING_CLIENT_ERROR_REFUSED,         /* the server refused the token (signature, revoked) */
  SOTTO_SIGNALING_CLIENT_ERROR_EXPIRED,         /* the token expired (or is not valid yet) */
  SOTTO_SIGNALING_CLIENT_ERROR_NO_SUCH_SESSION,
  SOTTO_SIGNALING_CLIENT_ERROR_SESSION_FULL,
  SOTTO_SIGNALING_CLIENT_ERROR_SESSION_ENDED,
  SOTTO_SIGNALING_CLIENT_ERROR_KICKED,          /* force-disconnected by a moderator */
  SOTTO_SIGNALING_CLIENT_ERROR_REPLACED,        /* the same token joined from somewhere else */
  SOTTO_SIGNALING_CLIENT_ERROR_PROTOCOL,        /* the server closed us for a protocol violation */
  SOTTO_SIGNALING_CLIENT_ERROR_NOT_CONNECTED,   /* sending before connect or after the end */
  SOTTO_SIGNALING_CLIENT_ERROR_LOST,            /* the connection dropped and every reconnect failed */
  SOTTO_SIGNALING_CLIENT_ERROR_INVALID,         /* an argument is not valid for the protocol */
} SottoSignalingClientError;

typedef enum {
  SOTTO_SIGNALING_CLIENT_STATE_IDLE,          /* not connected yet */
  SOTTO_SIGNALING_CLIENT_STATE_CONNECTING,    /* first connect, until welcome */
  SOTTO_SIGNALING_CLIENT_STATE_CONNECTED,
  SOTTO_SIGNALING_CLIENT_STATE_RECONNECTING,  /* dropped; rejoining with the same token */
  SOTTO_SIGNALING_CLIENT_STATE_CLOSED,        /* for good: see the `closed` signal */
} SottoSignalingClientState;

#define SOTTO_TYPE_SIGNALING_CLIENT (sotto_signaling_client_get_type ())
G_DECLARE_FINAL_TYPE (SottoSignalingClient, sotto_signaling_client, SOTTO, SIGNALING_CLIENT, GObject)

/* Decodes the token (without the secret) for the server URL and pin. The
 * client runs on the thread-default GMainContext at the time of the call.
 *
 * Signals:
 *   "message" (detailed by type, e.g. "message::offer"): every valid message
 *     from the server, SottoSignalMessage *, including each welcome (the
 *     first, and one after every rejoin, with "rejoined": true).
 *   "closed" (const GError *): the client stopped for good after being
 *     connected (kicked, session ended, replaced, or reconnects exhausted);
 *     NULL error after sotto_signaling_client_leave().
 *   notify::state. */
SottoSignalingClient *sotto_signaling_client_new (const char  *token,
                                                  GError     **error);

/* Connects to the token's wss:// URL + SOTTO_SIGNAL_PATH, accepting the TLS
 * certificate only if the SHA-256 of its SubjectPublicKeyInfo equals the
 * token's pin, sends the token, and completes on the welcome. */
void      sotto_signaling_client_connect_async  (SottoSignalingClient *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean  sotto_signaling_client_connect_finish (SottoSignalingClient *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Sends `msg` (validated against the client-to-server schema). While
 * reconnecting, up to 256 messages are held and sent after the rejoin. */
gboolean  sotto_signaling_client_send         (SottoSignalingClient *self,
                                               SottoSignalMessage   *msg,
                                               GError              **error);
/* Sends a leave, closes, and moves to CLOSED (emitting `closed` with NULL). */
void      sotto_signaling_client_leave        (SottoSignalingClient *self);

/* Conveniences over _send. `kinds` is a SottoSignalKind mask. */
gboolean  sotto_signaling_client_publish      (SottoSignalingClient *self,
                                               const char           *stream_id,
                                               guint                 kinds,
                                               const char           *name,
                                               GError              **error);
/* stream-state: whether our own stream's audio and video are on. */
gboolean  sotto_signaling_client_set_stream_state (SottoSignalingClient *self,
                                                   const char           *stream_id,
                                                   gboolean              audio_active,
                                                   gboolean              video_active,
                                                   GError              **error);
gboolean  sotto_signaling_client_unpublish    (SottoSignalingClient *self,
                                               const char           *stream_id,
                                               GError              **error);
gboolean  sotto_signaling_client_subscribe    (SottoSignalingClient *self,
                                               const char           *stream_id,
                                               GError              **error);
gboolean  sotto_signaling_client_unsubscribe  (SottoSignalingClient *self,
                                               const char           *subscription_id,
                                               GError              **error);
/* `type` is SOTTO_SIGNAL_TYPE_OFFER or SOTTO_SIGNAL_TYPE_ANSWER. */
gboolean  sotto_signaling_client_send_sdp     (SottoSignalingClient  *self,
                                               SottoSignalMessageType type,
                                               const char            *subscription_id,
                                               const char            *sdp,
                                               GError               **error);
/* `candidate` "" means end of candidates; `sdp_mid` may be NULL and
 * `sdp_mline_index` -1 when unknown. */
gboolean  sotto_signaling_client_send_candidate (SottoSignalingClient *self,
                                                 const char           *subscription_id,
                                                 const char           *candidate,
                                                 const char           *sdp_mid,
                                                 gint                  sdp_mline_index,
                                                 GError              **error);
/* media-connected (TRUE) or media-ended (FALSE) for one subscription. */
gboolean  sotto_signaling_client_report_media (SottoSignalingClient *self,
                                               const char           *subscription_id,
                                               gboolean              connected,
                                               GError              **error);
gboolean  sotto_signaling_client_force_disconnect (SottoSignalingClient *self,
                                                   const char           *connection_id,
                                                   const char           *reason,
                                                   GError              **error);
gboolean  sotto_signaling_client_force_unpublish  (SottoSignalingClient *self,
                                                   const char           *stream_id,
                                                   const char           *reason,
                                                   GError              **error);

SottoSignalingClientState sotto_signaling_client_get_state         (SottoSignalingClient *self);
SottoToken               *sotto_signaling_client_get_token         (SottoSignalingClient *self);
/* NULL until the first welcome. */
const char               *sotto_signaling_client_get_connection_id (SottoSignalingClient *self);
SottoSignalMessage       *sotto_signaling_client_get_welcome       (SottoSignalingClient *self);

/* For tests: drop the socket abruptly, as a network failure would; the
 * client then reconnects as it would after a real drop. */
void      sotto_signaling_client_drop_for_testing   (SottoSignalingClient *self);

G_END_DECLS
