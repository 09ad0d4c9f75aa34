/* sotto-call-subscription.h: one stream between one publisher and one subscriber
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sotto-dtls-certificate.h"
#include "sotto-media-output.h"
#include "sotto-media-receiver.h"
#include "sotto-media-sender.h"
#include "sotto-signaling-client.h"

G_BEGIN_DECLS

typedef enum {
  SOTTO_CALL_SUBSCRIPTION_SEND,     /* our stream to a subscriber: we offer */
  SOTTO_CALL_SUBSCRIPTION_RECEIVE,  /* someone's stream to us: we answer */
} SottoCallSubscriptionDirection;

#define SOTTO_TYPE_CALL_SUBSCRIPTION (sotto_call_subscription_get_type ())
G_DECLARE_FINAL_TYPE (SottoCallSubscription, sotto_call_subscription, SOTTO, CALL_SUBSCRIPTION, GObject)

/* A sending subscription shares `sender` with every other one (one encode,
 * N encryptions); a receiving one owns its receiver, made from `media`.
 * `ice_servers` is the welcome's JSON array (may be NULL); `certificate` is
 * ours for the whole call, the same towards every peer; `output` (may be
 * NULL) is the call's one audio output, which the echo canceller listens to. */
SottoCallSubscription *sotto_call_subscription_new (SottoCallSubscriptionDirection direction,
                                                    const char             *subscription_id,
                                                    const char             *stream_id,
                                                    const char             *peer_id,
                                                    const char             *session_id,
                                                    SottoSignalingClient   *signaling,
                                                    SottoMediaSender       *sender,
                                                    const SottoMediaConfig *media,
                                                    JsonArray              *ice_servers,
                                                    SottoDtlsCertificate   *certificate,
                                                    SottoMediaOutput       *output,
                                                    GError                **error);

/* Sending side: creates the offer and sends it. */
gboolean     sotto_call_subscription_start      (SottoCallSubscription *self,
                                                 GError               **error);
/* Offer, answer and candidates from the other end. */
gboolean     sotto_call_subscription_handle_sdp (SottoCallSubscription  *self,
                                                 SottoSignalMessageType  type,
                                                 const char             *sdp,
                                                 GError                **error);
gboolean     sotto_call_subscription_handle_candidate (SottoCallSubscription *self,
                                                       const char            *candidate,
                                                       GError               **error);
/* Our sender produced a packet: protect and send it if media is connected. */
void         sotto_call_subscription_send_rtp   (SottoCallSubscription *self,
                                                 GBytes                *packet);
void         sotto_call_subscription_send_rtcp  (SottoCallSubscription *self,
                                                 GBytes                *packet);
void         sotto_call_subscription_close      (SottoCallSubscription *self);

SottoCallSubscriptionDirection
             sotto_call_subscription_get_direction (SottoCallSubscription *self);
const char  *sotto_call_subscription_get_id        (SottoCallSubscription *self);
const char  *sotto_call_subscription_get_stream_id (SottoCallSubscription *self);
const char  *sotto_call_subscription_get_peer_id   (SottoCallSubscription *self);
gboolean     sotto_call_subscription_is_connected  (SottoCallSubscription *self);
/* A subscription the server no longer knows (it restarted): media goes on
 * until its replacement connects, but no signaling reaches it. */
void         sotto_call_subscription_set_orphaned  (SottoCallSubscription *self);
gboolean     sotto_call_subscription_is_orphaned   (SottoCallSubscription *self);
/* One JSON object for sotto_call_session_dup_stats(). */
JsonNode    *sotto_call_subscription_dup_stats     (SottoCallSubscription *self);

/* Signals:
 *   "media-connected" ()              ICE + DTLS up, keys in place
 *   "failed"          (GError *)      ICE or DTLS failed for good
 *   "video-frame"     (guint width, guint height, guint stride, GBytes *rgba)
 */

G_END_DECLS
