/* sotto-dtls-transport.h: DTLS 1.2 for DTLS-SRTP, independent of its transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sotto-dtls-certificate.h"
#include "sotto-srtp-session.h"

G_BEGIN_DECLS

/* Sends one datagram on the underlying transport (an ICE component, a test
 * harness, or an outer DTLS association when rekeying). Must not call back
 * into the sender synchronously. */
typedef void (*SottoDatagramSendFunc) (const guint8 *data,
                                       gsize         len,
                                       gpointer      user_data);

typedef enum {
  SOTTO_DTLS_ROLE_CLIENT,   /* a=setup:active: sends the ClientHello */
  SOTTO_DTLS_ROLE_SERVER,   /* a=setup:passive: waits for it */
} SottoDtlsRole;

typedef enum {
  SOTTO_DTLS_STATE_NEW,
  SOTTO_DTLS_STATE_CONNECTING,
  SOTTO_DTLS_STATE_CONNECTED,   /* handshake done AND peer fingerprint verified */
  SOTTO_DTLS_STATE_FAILED,
  SOTTO_DTLS_STATE_CLOSED,
} SottoDtlsState;

GType sotto_dtls_role_get_type  (void);
GType sotto_dtls_state_get_type (void);
#define SOTTO_TYPE_DTLS_ROLE  (sotto_dtls_role_get_type ())
#define SOTTO_TYPE_DTLS_STATE (sotto_dtls_state_get_type ())

/* Path MTU assumed for every datagram we emit (RFC 8261 / common WebRTC
 * practice): records and handshake fragments stay within it. */
#define SOTTO_DTLS_DEFAULT_MTU 1200
#define SOTTO_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS 30000

#define SOTTO_TYPE_DTLS_TRANSPORT (sotto_dtls_transport_get_type ())
G_DECLARE_FINAL_TYPE (SottoDtlsTransport, sotto_dtls_transport, SOTTO, DTLS_TRANSPORT, GObject)

/* Timers run on the thread-default GMainContext at the time of the call. */
SottoDtlsTransport *sotto_dtls_transport_new (SottoDtlsCertificate *certificate);

void     sotto_dtls_transport_set_send_func (SottoDtlsTransport    *self,
                                             SottoDatagramSendFunc  func,
                                             gpointer               user_data,
                                             GDestroyNotify         destroy);

/* Profiles in order of preference; default: AEAD_AES_256_GCM,
 * AEAD_AES_128_GCM, AES128_CM_SHA1_80 (those libsrtp supports). Before start. */
void     sotto_dtls_transport_set_srtp_profiles (SottoDtlsTransport     *self,
                                                 const SottoSrtpProfile *profiles,
                                                 gsize                   n_profiles);
/* Before start; default SOTTO_DTLS_DEFAULT_MTU. */
void     sotto_dtls_transport_set_mtu           (SottoDtlsTransport *self,
                                                 guint               mtu);

/* The peer's a=fingerprint value ("sha-256 AB:CD:..."). Checked against its
 * certificate when the handshake completes; may be set before or after start
 * but before the handshake completes, or the connection fails. */
gboolean sotto_dtls_transport_set_remote_fingerprint (SottoDtlsTransport *self,
                                                      const char         *fingerprint,
                                                      GError            **error);

gboolean sotto_dtls_transport_start   (SottoDtlsTransport *self,
                                       SottoDtlsRole       role,
                                       GError            **error);

/* One datagram from the peer (already classified as DTLS). */
void     sotto_dtls_transport_receive (SottoDtlsTransport *self,
                                       const guint8       *data,
                                       gsize               len);

/* Encrypted application data over the established association (used for
 * Sotto's in-band rekey; never for media). */
gboolean sotto_dtls_transport_send_application_data (SottoDtlsTransport *self,
                                                     const guint8       *data,
                                                     gsize               len,
                                                     GError            **error);

/* RFC 5764 keys for the negotiated profile; only once CONNECTED (after the
 * fingerprint check). Wipe `out` with sotto_srtp_key_material_clear(). */
gboolean sotto_dtls_transport_export_srtp_keys (SottoDtlsTransport   *self,
                                                SottoSrtpKeyMaterial *out,
                                                GError              **error);

/* Sends close_notify and stops. */
void     sotto_dtls_transport_close (SottoDtlsTransport *self);

SottoDtlsState        sotto_dtls_transport_get_state        (SottoDtlsTransport *self);
SottoDtlsRole         sotto_dtls_transport_get_role         (SottoDtlsTransport *self);
SottoSrtpProfile      sotto_dtls_transport_get_srtp_profile (SottoDtlsTransport *self);
SottoDtlsCertificate *sotto_dtls_transport_get_certificate  (SottoDtlsTransport *self);
/* Version of the established association (DTLS1_2_VERSION), or 0. */
int                   sotto_dtls_transport_get_version      (SottoDtlsTransport *self);

G_END_DECLS
