/* sotto-signaling-hub.h: WebSocket signaling at /v1/signal (docs/protocol.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sotto-deployment.h"
#include "sotto-server-store.h"
#include "sotto-signal-message.h"
#include "sotto-tls-frontend.h"

G_BEGIN_DECLS

#define SOTTO_SIGNALING_HUB_ERROR (sotto_signaling_hub_error_quark ())
GQuark sotto_signaling_hub_error_quark (void);

typedef enum {
  SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_SESSION,    /* nobody is connected to that session */
  SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_CONNECTION, /* no live connection with that id in the session */
  SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_STREAM,     /* no published stream with that id in the session */
  SOTTO_SIGNALING_HUB_ERROR_STORE,              /* the revocation could not be written */
} SottoSignalingHubError;

/* WebSocket close codes the hub uses (4000-4999 are private-use, RFC 6455
 * section 7.4.2); docs/protocol.md lists them. */
typedef enum {
  SOTTO_SIGNAL_CLOSE_NORMAL            = 1000,
  SOTTO_SIGNAL_CLOSE_GOING_AWAY        = 1001, /* the server is stopping */
  SOTTO_SIGNAL_CLOSE_TOO_BIG           = 1009, /* a message over SOTTO_SIGNAL_MAX_MESSAGE_SIZE */
  SOTTO_SIGNAL_CLOSE_BAD_TOKEN         = 4001, /* malformed, bad signature, wrong server */
  SOTTO_SIGNAL_CLOSE_EXPIRED_TOKEN     = 4002,
  SOTTO_SIGNAL_CLOSE_REVOKED_TOKEN     = 4003,
  SOTTO_SIGNAL_CLOSE_NO_SUCH_SESSION   = 4004,
  SOTTO_SIGNAL_CLOSE_SESSION_ENDED     = 4005,
  SOTTO_SIGNAL_CLOSE_SESSION_FULL      = 4006,
  SOTTO_SIGNAL_CLOSE_KICKED            = 4007, /* force-disconnected by a moderator */
  SOTTO_SIGNAL_CLOSE_JOIN_TIMEOUT      = 4008, /* no join message in time */
  SOTTO_SIGNAL_CLOSE_PROTOCOL          = 4009, /* first message not a join, binary frame */
  SOTTO_SIGNAL_CLOSE_RATE_LIMITED      = 4010, /* kept flooding after rate-limit errors */
  SOTTO_SIGNAL_CLOSE_KEEPALIVE_TIMEOUT = 4011, /* no pong or message within the timeout */
  SOTTO_SIGNAL_CLOSE_REPLACED          = 4012, /* the same token rejoined on a new socket */
  SOTTO_SIGNAL_CLOSE_SERVER_ERROR      = 4013, /* the server could not check the token */
} SottoSignalCloseCode;

#define SOTTO_SIGNAL_PATH "/v1/signal"

/* The front end's WebSocket limit. Above SOTTO_SIGNAL_MAX_MESSAGE_SIZE so
 * that a message between the two gets a JSON error before the 1009 close;
 * past this one the decoder closes (1009) without buffering the message. */
#define SOTTO_SIGNAL_HARD_MAX_MESSAGE_SIZE (4 * SOTTO_SIGNAL_MAX_MESSAGE_SIZE)

#define SOTTO_TYPE_SIGNALING_HUB (sotto_signaling_hub_get_type ())
G_DECLARE_FINAL_TYPE (SottoSignalingHub, sotto_signaling_hub, SOTTO, SIGNALING_HUB, GObject)

/* `max_participants_default` applies to sessions created with no limit (0). */
SottoSignalingHub *sotto_signaling_hub_new (SottoServerStore *store,
                                            SottoDeployment  *deployment,
                                            guint             max_participants_default);

/* Takes every WebSocket `frontend` accepts at SOTTO_SIGNAL_PATH. Call once. */
void      sotto_signaling_hub_attach (SottoSignalingHub *self,
                                      SottoTlsFrontend  *frontend);

/* A JSON object for GET /v1/sessions/{id}, never NULL (an empty session has
 * empty arrays):
 *   { "session_id", "connections": [{ "id", "role", "data"|null, "connected_since" (ISO 8601) }],
 *     "streams": [{ "id", "owner", "kinds": [...], "name", "subscribers" }],
 *     "totals": { "connections", "streams", "subscriptions", "subscribers" } } */
JsonNode *sotto_signaling_hub_describe_session (SottoSignalingHub *self,
                                                const char        *session_id);

/* Moderation from the REST API: the target is told `reason` (by "the
 * server"), its token is revoked (disconnect only) and it is closed. */
gboolean  sotto_signaling_hub_force_disconnect (SottoSignalingHub *self,
                                                const char        *session_id,
                                                const char        *connection_id,
                                                const char        *reason,
                                                GError           **error);
gboolean  sotto_signaling_hub_force_unpublish  (SottoSignalingHub *self,
                                                const char        *session_id,
                                                const char        *stream_id,
                                                const char        *reason,
                                                GError           **error);

/* Tells everyone in the session it ended and closes them (4005). The caller
 * marks the session ended in the store first, so rejoins are refused. */
void      sotto_signaling_hub_end_session (SottoSignalingHub *self,
                                           const char        *session_id);

/* Keepalive: clients are told (in the welcome) to send something every
 * `interval_ms`; a connection silent for `timeout_ms` is closed (4011) and
 * torn down at once. Defaults 10 s / 25 s, or the SOTTO_SIGNAL_KEEPALIVE_MS
 * environment variable (interval; timeout is 2.5x) so tests can shorten
 * them. Applies to welcomes sent afterwards. SOTTO_SIGNAL_RATE_PER_SECOND
 * sets the per-connection rate limit (default 100, burst twice that). */
void      sotto_signaling_hub_set_keepalive (SottoSignalingHub *self,
                                             guint              interval_ms,
                                             guint              timeout_ms);

/* How long a dropped connection keeps its id, streams and subscriptions for a
 * rejoin with the same token (default 10 s, SOTTO_SIGNAL_GRACE_MS). */
void      sotto_signaling_hub_set_rejoin_grace (SottoSignalingHub *self,
                                                guint              grace_ms);

G_END_DECLS
