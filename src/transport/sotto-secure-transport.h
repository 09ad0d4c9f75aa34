/* sotto-secure-transport.h: DTLS-SRTP over one datagram transport, never plaintext
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sotto-dtls-transport.h"
#include "sotto-srtp-session.h"

G_BEGIN_DECLS

#define SOTTO_SECURE_TRANSPORT_ERROR (sotto_secure_transport_error_quark ())
GQuark sotto_secure_transport_error_quark (void);

typedef enum {
  SOTTO_SECURE_TRANSPORT_ERROR_INVALID_STATE,  /* started twice, or after close */
  SOTTO_SECURE_TRANSPORT_ERROR_SRTP,           /* keys could not be installed */
} SottoSecureTransportError;

typedef enum {
  SOTTO_SECURE_TRANSPORT_STATE_NEW,
  SOTTO_SECURE_TRANSPORT_STATE_CONNECTING,  /* DTLS handshake running; media dropped */
  SOTTO_SECURE_TRANSPORT_STATE_CONNECTED,   /* peer verified, SRTP keys installed */
  SOTTO_SECURE_TRANSPORT_STATE_FAILED,      /* see the "failed" signal's GError */
  SOTTO_SECURE_TRANSPORT_STATE_CLOSED,
} SottoSecureTransportState;

GType sotto_secure_transport_state_get_type (void);
#define SOTTO_TYPE_SECURE_TRANSPORT_STATE (sotto_secure_transport_state_get_type ())

/* Whether the peer takes part in Sotto's in-band rekeying. */
typedef enum {
  SOTTO_REKEY_STATUS_IDLE,          /* no rekey attempted yet */
  SOTTO_REKEY_STATUS_ACTIVE,        /* at least one rekey completed */
  SOTTO_REKEY_STATUS_UNSUPPORTED,   /* the peer (e.g. a browser) takes no part: it did not
                                     * answer our offers, or (DTLS server) made none within
                                     * twice the interval; the call keeps its keys */
} SottoRekeyStatus;

typedef struct {
  guint64          rtp_sent;
  guint64          rtcp_sent;
  guint64          rtp_received;
  guint64          rtcp_received;
  guint64          dropped_no_keys;     /* send_rtp/rtcp before keys existed: never sent */
  guint64          dropped_too_large;   /* send_rtp/rtcp with a packet over the MTU */
  guint64          auth_failures;       /* SRTP/SRTCP that failed authentication */
  guint64          replays;             /* SRTP/SRTCP replayed or too old */
  guint64          dropped_malformed;   /* SRTP/SRTCP libsrtp could not parse */
  guint64          dropped_demux;       /* RFC 7983: STUN, ZRTP, TURN channel, unknown */
  guint64          dtls_received;       /* DTLS datagrams handed to the handshake */
  guint            key_generation;      /* 0: no keys yet; 1: first handshake; +1 per rekey */
  SottoRekeyStatus rekey_status;
  SottoSrtpProfile srtp_profile;
} SottoSecureTransportStats;

/* Largest RTP/RTCP packet send_rtp/send_rtcp accept (before protection). */
#define SOTTO_SECURE_TRANSPORT_MAX_PACKET 1500

#define SOTTO_SECURE_TRANSPORT_DEFAULT_REKEY_INTERVAL 600   /* seconds */

#define SOTTO_TYPE_SECURE_TRANSPORT (sotto_secure_transport_get_type ())
G_DECLARE_FINAL_TYPE (SottoSecureTransport, sotto_secure_transport, SOTTO, SECURE_TRANSPORT, GObject)

/* Creates a fresh certificate for this call. `send_func` sends one datagram
 * on the ICE component (DTLS and SRTP/SRTCP only, never plaintext RTP); it
 * must not call back into this object synchronously. Timers run on the
 * thread-default GMainContext of the caller, and every function must be
 * called on that context's thread: the object has no locks (the media layer
 * hands packets over on the main context). */
SottoSecureTransport *sotto_secure_transport_new (SottoDatagramSendFunc  send_func,
                                                  gpointer               user_data,
                                                  GDestroyNotify         destroy,
                                                  GError               **error);

/* The same with a given certificate: a participant presents one certificate
 * to every peer of a call, so that all connections between two people show
 * the same short authentication string. NULL makes a fresh one. */
SottoSecureTransport *sotto_secure_transport_new_with_certificate (SottoDtlsCertificate  *certificate,
                                                                   SottoDatagramSendFunc  send_func,
                                                                   gpointer               user_data,
                                                                   GDestroyNotify         destroy,
                                                                   GError               **error);

/* "sha-256 AB:CD:...", the value for our SDP a=fingerprint. */
const char *sotto_secure_transport_get_local_fingerprint  (SottoSecureTransport *self);
/* The value given to start(), or NULL. */
const char *sotto_secure_transport_get_remote_fingerprint (SottoSecureTransport *self);

/* Profiles in preference order (before start). Default: AEAD_AES_256_GCM,
 * AEAD_AES_128_GCM, AES128_CM_SHA1_80; "require-aes-256" narrows to the first. */
void     sotto_secure_transport_set_srtp_profiles (SottoSecureTransport   *self,
                                                   const SottoSrtpProfile *profiles,
                                                   gsize                   n_profiles);

/* role from a=setup (active = client); remote_fingerprint is the peer's
 * a=fingerprint value. A missing or unusable fingerprint fails here. */
gboolean sotto_secure_transport_start (SottoSecureTransport *self,
                                       SottoDtlsRole         role,
                                       const char           *remote_fingerprint,
                                       GError              **error);

/* Every datagram from the ICE component. Demultiplexed per RFC 7983: DTLS
 * goes to the handshake, SRTP/SRTCP is authenticated and emitted as
 * "rtp-received"/"rtcp-received", anything else is dropped and counted. */
void     sotto_secure_transport_receive_datagram (SottoSecureTransport *self,
                                                  const guint8         *data,
                                                  gsize                 len);

/* Protects and sends one packet. Returns FALSE (and counts it) when no keys
 * exist yet, or the packet is unusable: nothing reaches the wire then. No
 * allocation per packet. */
gboolean sotto_secure_transport_send_rtp  (SottoSecureTransport *self,
                                           const guint8         *data,
                                           gsize                 len);
gboolean sotto_secure_transport_send_rtcp (SottoSecureTransport *self,
                                           const guint8         *data,
                                           gsize                 len);

/* Sends DTLS close_notify and stops; later sends are dropped. */
void     sotto_secure_transport_close (SottoSecureTransport *self);

SottoSecureTransportState sotto_secure_transport_get_state (SottoSecureTransport *self);
void     sotto_secure_transport_get_stats (SottoSecureTransport      *self,
                                           SottoSecureTransportStats *out);

/* Six digits both people read aloud (see sotto-sas.h), from the fingerprints
 * the handshake verified and the session id; NULL until connected. */
char    *sotto_secure_transport_dup_sas (SottoSecureTransport *self,
                                         const char           *session_id);

/* Properties:
 *   "state"             SottoSecureTransportState, read-only (notify)
 *   "rekey-interval"    guint seconds between rekeys, 0 = never (default 600);
 *                       the DTLS client of the first handshake initiates
 *   "require-aes-256"   gboolean, offer/accept only AEAD_AES_256_GCM
 *   "handshake-timeout" guint milliseconds (default 30000)
 * Signals:
 *   "rtp-received"  (SottoSecureTransport *, const guint8 *data, gsize len, gpointer)
 *   "rtcp-received" (SottoSecureTransport *, const guint8 *data, gsize len, gpointer)
 *                   the buffer is valid only during the emission
 *   "failed"        (SottoSecureTransport *, const GError *error, gpointer)
 */

G_END_DECLS
