/* sotto-peer-connection.h: ICE + DTLS-SRTP with SDP offer/answer, for the session layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage (offerer):                      (answerer):
 *   pc = sotto_peer_connection_new ()     pc = sotto_peer_connection_new ()
 *   add_media (audio), add_media (video)  add_media (...)      (what we send)
 *   sdp = create_offer ()  ───────────>   set_remote_description (OFFER, sdp)
 *   set_remote_description (ANSWER) <───  sdp = create_answer ()
 *   "local-candidate" <──── trickle ────> add_remote_candidate ()
 *   "notify::connection-state" == CONNECTED: send_rtp (), "rtp-received"
 *
 * Nothing is sent in the clear: send_rtp/send_rtcp drop (and count) every
 * packet until DTLS has verified the peer's fingerprint and SRTP keys exist.
 *
 * Threads: a peer connection belongs to the thread-default GMainContext it
 * was created on; call it and receive its signals there only. Media from a
 * GStreamer streaming thread must be handed over (g_main_context_invoke)
 * or sent from a pipeline driven by that context.
 */
#pragma once

#include <glib-object.h>

#include "sotto-ice-transport.h"
#include "sotto-sdp.h"
#include "sotto-secure-transport.h"

G_BEGIN_DECLS

#define SOTTO_PEER_CONNECTION_ERROR (sotto_peer_connection_error_quark ())
GQuark sotto_peer_connection_error_quark (void);

/* Errors about the order of calls; bad SDP is reported in SOTTO_SDP_ERROR,
 * bad candidates and servers in SOTTO_ICE_ERROR, DTLS in SOTTO_DTLS_ERROR. */
typedef enum {
  SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,  /* e.g. an answer without an offer, or closed */
  SOTTO_PEER_CONNECTION_ERROR_NO_MEDIA,       /* create_offer with no media added */
  SOTTO_PEER_CONNECTION_ERROR_ICE_FAILED,     /* no path works, or consent lost (RFC 7675) */
} SottoPeerConnectionError;

typedef enum {
  SOTTO_PEER_CONNECTION_STATE_NEW,
  SOTTO_PEER_CONNECTION_STATE_CONNECTING,   /* ICE checking or DTLS handshake running */
  SOTTO_PEER_CONNECTION_STATE_CONNECTED,    /* ICE connected and SRTP keys installed */
  SOTTO_PEER_CONNECTION_STATE_FAILED,       /* see sotto_peer_connection_get_error() */
  SOTTO_PEER_CONNECTION_STATE_CLOSED,
} SottoPeerConnectionState;

GType sotto_peer_connection_state_get_type (void);
#define SOTTO_TYPE_PEER_CONNECTION_STATE (sotto_peer_connection_state_get_type ())

/* Counters and facts for the stats view; strings are static or owned by
 * the connection (valid until the next call). */
typedef struct {
  SottoPeerConnectionState  state;
  SottoIceState             ice_state;
  SottoSecureTransportState dtls_state;
  const char               *srtp_profile;        /* OpenSSL name, or NULL before keys */
  guint                     key_generation;      /* 0: none yet; +1 per rekey */
  SottoRekeyStatus          rekey_status;
  guint64                   rtp_sent;
  guint64                   rtcp_sent;
  guint64                   rtp_received;
  guint64                   rtcp_received;
  guint64                   bytes_sent;          /* RTP+RTCP payload handed to us, before SRTP */
  guint64                   bytes_received;      /* after SRTP */
  guint64                   dropped_no_keys;     /* refused by the never-plaintext gate */
  guint64                   dropped_too_large;
  guint64                   auth_failures;
  guint64                   replays;
  guint64                   dropped_malformed;
  guint64                   dropped_demux;
  const char               *local_candidate_type;   /* "host", "srflx", "prflx", "relay" or NULL */
  const char               *remote_candidate_type;
  const char               *candidate_transport;    /* "udp" or "tcp" */
} SottoPeerConnectionStats;

#define SOTTO_TYPE_PEER_CONNECTION (sotto_peer_connection_get_type ())
G_DECLARE_FINAL_TYPE (SottoPeerConnection, sotto_peer_connection, SOTTO, PEER_CONNECTION, GObject)

/* Everything runs on the thread-default GMainContext of the caller. Creates
 * the call's DTLS certificate and the ICE agent (SOTTO_ICE_ADDRESSES). */
SottoPeerConnection *sotto_peer_connection_new (GError **error);
/* The same, presenting `certificate` (shared by every connection of one
 * participant in a call; see sotto_secure_transport_new_with_certificate). */
SottoPeerConnection *sotto_peer_connection_new_with_certificate (SottoDtlsCertificate *certificate,
                                                                 GError              **error);

/* Configuration, before create_offer / set_remote_description. */
gboolean  sotto_peer_connection_add_ice_server   (SottoPeerConnection  *self,
                                                  const char           *uri,
                                                  const char           *username,
                                                  const char           *credential,
                                                  GError              **error);
void      sotto_peer_connection_set_ice_policy   (SottoPeerConnection  *self,
                                                  SottoIcePolicy        policy);
/* Seconds between DTLS rekeys, 0 = never (default 600). */
void      sotto_peer_connection_set_rekey_interval (SottoPeerConnection *self,
                                                    guint                seconds);
void      sotto_peer_connection_set_require_aes256 (SottoPeerConnection *self,
                                                    gboolean             require);
/* The call's session id, for the short authentication string. */
void      sotto_peer_connection_set_session_id   (SottoPeerConnection  *self,
                                                  const char           *session_id);

/* Something we send (or only receive, with RECVONLY): one m-line. ssrc 0
 * means not sending. Returns the position (0, 1...); the mid is assigned
 * by the offer (our offers use "0", "1"...) or taken from the remote offer.
 * Before the first offer or answer only: later offers (ICE restarts) repeat
 * the negotiated m-lines. */
guint     sotto_peer_connection_add_media        (SottoPeerConnection  *self,
                                                  SottoSdpMediaKind        kind,
                                                  SottoMediaDirection   direction,
                                                  guint32               ssrc,
                                                  const char           *stream_id,
                                                  const char           *track_id);

/* JSEP: the result is also applied as our local description; gathering
 * starts right after (candidates come as "local-candidate"). */
char     *sotto_peer_connection_create_offer     (SottoPeerConnection  *self,
                                                  GError              **error);
char     *sotto_peer_connection_create_answer    (SottoPeerConnection  *self,
                                                  GError              **error);
/* Offer or answer from the peer; a re-offer with new ICE credentials
 * restarts ICE on our side. */
gboolean  sotto_peer_connection_set_remote_description (SottoPeerConnection  *self,
                                                        SottoSdpType          type,
                                                        const char           *sdp,
                                                        GError              **error);
/* A trickled candidate ("candidate:..." or "a=candidate:..."), or the end
 * marker ("end-of-candidates", "" or NULL). May arrive before the remote
 * description; it is held until then. */
gboolean  sotto_peer_connection_add_remote_candidate (SottoPeerConnection  *self,
                                                      const char           *candidate,
                                                      GError              **error);

/* New ICE credentials; follow with create_offer and the usual exchange. */
gboolean  sotto_peer_connection_restart_ice      (SottoPeerConnection  *self,
                                                  GError              **error);

/* Protect and send one RTP/RTCP packet. FALSE (counted, nothing sent) until
 * CONNECTED. No allocation per packet. */
gboolean  sotto_peer_connection_send_rtp         (SottoPeerConnection  *self,
                                                  const guint8         *data,
                                                  gsize                 len);
gboolean  sotto_peer_connection_send_rtcp        (SottoPeerConnection  *self,
                                                  const guint8         *data,
                                                  gsize                 len);

void      sotto_peer_connection_close            (SottoPeerConnection  *self);

SottoPeerConnectionState   sotto_peer_connection_get_state      (SottoPeerConnection *self);
SottoIceState              sotto_peer_connection_get_ice_state  (SottoPeerConnection *self);
SottoSecureTransportState  sotto_peer_connection_get_dtls_state (SottoPeerConnection *self);
/* Why the connection failed, or NULL. */
const GError              *sotto_peer_connection_get_error      (SottoPeerConnection *self);
/* NULL until set. The media of these tell the negotiated payload types,
 * directions and the peer's SSRCs and msids. */
const SottoSdpDescription *sotto_peer_connection_get_local_description  (SottoPeerConnection *self);
const SottoSdpDescription *sotto_peer_connection_get_remote_description (SottoPeerConnection *self);
const char                *sotto_peer_connection_get_local_fingerprint  (SottoPeerConnection *self);
/* Six digits to read aloud (needs the session id), NULL until connected. */
const char                *sotto_peer_connection_get_sas        (SottoPeerConnection *self);
void                       sotto_peer_connection_get_stats      (SottoPeerConnection      *self,
                                                                 SottoPeerConnectionStats *out);

/* Properties (read-only, notify):
 *   "connection-state" SottoPeerConnectionState
 *   "ice-state"        SottoIceState
 *   "dtls-state"       SottoSecureTransportState
 *   "sas"              gchararray
 * Signals:
 *   "local-candidate" (SottoPeerConnection *, const char *candidate, const char *mid, gpointer)
 *        "candidate:..." to trickle with its mid; "end-of-candidates" last
 *   "rtp-received"    (SottoPeerConnection *, const guint8 *data, gulong len, gpointer)
 *   "rtcp-received"   (SottoPeerConnection *, const guint8 *data, gulong len, gpointer)
 *        decrypted; the buffer is only valid during the emission
 */

G_END_DECLS
