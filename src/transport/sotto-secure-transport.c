/* sotto-secure-transport.c: DTLS-SRTP over one datagram transport, never plaintext
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   ICE component ──► receive_datagram ──► RFC 7983 demux
 *                                            ├─ DTLS ──► SottoDtlsTransport (wire association)
 *                                            │             └─ application data: rekey control
 *                                            │                   └─ tunneled SottoDtlsTransport (next keys)
 *                                            ├─ SRTP/SRTCP ──► rx (then rx_old) ──► "rtp-received"/"rtcp-received"
 *                                            └─ anything else: dropped, counted
 *
 *   send_rtp/send_rtcp ──► tx? ──no──► dropped, counted (never plaintext)
 *                           └─yes──► copy, protect in place ──► send_func
 *
 * Periodic rekey (between Sotto peers). The DTLS client of the wire
 * association starts one every "rekey-interval" seconds. A complete, fresh
 * DTLS handshake with new certificates on both ends runs tunneled inside the
 * wire association's application data, so it is authenticated by the
 * fingerprint-verified association it rides on; each new certificate's
 * fingerprint is announced through that channel and checked as usual.
 * Control messages: "SOTK" | type | generation (u32, network order) | body.
 *
 *   initiator                              responder
 *   OFFER(g, new fingerprint)  ─────────►  new certificate, tunneled DTLS server
 *                              ◄─────────  ACCEPT(g, new fingerprint)
 *   tunneled DTLS client       ◄── RECORD(g, datagram) ──►  (full handshake)
 *   each end, once its tunneled handshake is verified: installs the new
 *   receive context beside the old one, sends COMMIT(g)
 *   on the peer's COMMIT(g): the peer can decrypt the new keys, so switch
 *   sending to them, answer COMMIT_ACK(g)
 *
 * The old receive context stays until the new one authenticates a packet, so
 * neither direction has a gap. A peer that never answers OFFER (a browser)
 * keeps the first keys; stats say SOTTO_REKEY_STATUS_UNSUPPORTED.
 */
#define G_LOG_DOMAIN "sotto-transport"

#include "sotto-secure-transport.h"

#include <string.h>
#include <openssl/crypto.h>

#include "sotto-packet-demux.h"
#include "sotto-sas.h"
#include "sotto-secure-transport-private.h"

G_STATIC_ASSERT (sizeof (gsize) == sizeof (gulong));

enum {
  PROP_0,
  PROP_STATE,
  PROP_REKEY_INTERVAL,
  PROP_REQUIRE_AES_256,
  PROP_HANDSHAKE_TIMEOUT,
  N_PROPS
};

enum {
  SIGNAL_RTP_RECEIVED,
  SIGNAL_RTCP_RECEIVED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SottoSecureTransport, sotto_secure_transport, G_TYPE_OBJECT)
G_DEFINE_QUARK (sotto-secure-transport-error-quark, sotto_secure_transport_error)

G_DEFINE_ENUM_TYPE (SottoSecureTransportState, sotto_secure_transport_state,
  G_DEFINE_ENUM_VALUE (SOTTO_SECURE_TRANSPORT_STATE_NEW, "new"),
  G_DEFINE_ENUM_VALUE (SOTTO_SECURE_TRANSPORT_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (SOTTO_SECURE_TRANSPORT_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (SOTTO_SECURE_TRANSPORT_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (SOTTO_SECURE_TRANSPORT_STATE_CLOSED, "closed"))

static void
set_state (SottoSecureTransport      *self,
           SottoSecureTransportState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
drop_keys (SottoSecureTransport *self)
{
  g_clear_object (&self->tx);
  g_clear_object (&self->rx);
  g_clear_object (&self->rx_old);
}

/* ---- the wire association ---------------------------------------------- */

static void
on_dtls_send (const guint8 *data,
              gsize         len,
              gpointer      user_data)
{
  SottoSecureTransport *self = user_data;

  if (self->send_func != NULL)
    self->send_func (data, len, self->send_data);
}

static void
fail (SottoSecureTransport *self,
      const GError         *error)
{
  if (self->state == SOTTO_SECURE_TRANSPORT_STATE_FAILED
      || self->state == SOTTO_SECURE_TRANSPORT_STATE_CLOSED)
    return;

  drop_keys (self);
  g_clear_pointer (&self->rekey, sotto_secure_transport_rekey_free);
  sotto_clear_source (&self->rekey_timer);
  set_state (self, SOTTO_SECURE_TRANSPORT_STATE_FAILED);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

static void
on_dtls_failed (SottoDtlsTransport   *dtls,
                const GError         *error,
                SottoSecureTransport *self)
{
  fail (self, error);
}

static void
on_dtls_state (SottoDtlsTransport   *dtls,
               GParamSpec           *pspec,
               SottoSecureTransport *self)
{
  /* close_notify from the peer: no more media either way. */
  if (sotto_dtls_transport_get_state (dtls) == SOTTO_DTLS_STATE_CLOSED
      && self->state == SOTTO_SECURE_TRANSPORT_STATE_CONNECTED)
    {
      drop_keys (self);
      g_clear_pointer (&self->rekey, sotto_secure_transport_rekey_free);
      sotto_clear_source (&self->rekey_timer);
      set_state (self, SOTTO_SECURE_TRANSPORT_STATE_CLOSED);
    }
}

static void
on_dtls_connected (SottoDtlsTransport   *dtls,
                   SottoSecureTransport *self)
{
  SottoSrtpKeyMaterial km;
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoSrtpSession) tx = NULL;
  g_autoptr(SottoSrtpSession) rx = NULL;

  /* The DTLS transport only reports "connected" after the fingerprint check. */
  if (!sotto_dtls_transport_export_srtp_keys (dtls, &km, &error))
    {
      fail (self, error);
      return;
    }
  tx = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_OUTBOUND, km.profile,
                               km.local, km.key_salt_len, &error);
  if (tx != NULL)
    rx = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_INBOUND, km.profile,
                                 km.remote, km.key_salt_len, &error);
  sotto_srtp_key_material_clear (&km);
  if (rx == NULL)
    {
      g_autoptr(GError) wrapped = g_error_new (SOTTO_SECURE_TRANSPORT_ERROR,
                                               SOTTO_SECURE_TRANSPORT_ERROR_SRTP,
                                               "Could not install SRTP keys: %s", error->message);
      fail (self, wrapped);
      return;
    }

  self->tx = g_steal_pointer (&tx);
  self->rx = g_steal_pointer (&rx);
  self->stats.key_generation = 1;
  self->stats.srtp_profile = sotto_dtls_transport_get_srtp_profile (dtls);
  set_state (self, SOTTO_SECURE_TRANSPORT_STATE_CONNECTED);
  sotto_secure_transport_schedule_rekey (self);
}

/* ---- GObject ----------------------------------------------------------- */

static void
sotto_secure_transport_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SottoSecureTransport *self = SOTTO_SECURE_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REKEY_INTERVAL:
      g_value_set_uint (value, self->rekey_interval);
      break;
    case PROP_REQUIRE_AES_256:
      g_value_set_boolean (value, self->require_aes_256);
      break;
    case PROP_HANDSHAKE_TIMEOUT:
      g_value_set_uint (value, self->handshake_timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_secure_transport_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SottoSecureTransport *self = SOTTO_SECURE_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_REKEY_INTERVAL:
      self->rekey_interval = g_value_get_uint (value);
      if (self->rekey == NULL)
        sotto_secure_transport_schedule_rekey (self);
      break;
    case PROP_REQUIRE_AES_256:
      self->require_aes_256 = g_value_get_boolean (value);
      break;
    case PROP_HANDSHAKE_TIMEOUT:
      self->handshake_timeout_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_secure_transport_dispose (GObject *object)
{
  SottoSecureTransport *self = SOTTO_SECURE_TRANSPORT (object);

  g_clear_pointer (&self->rekey, sotto_secure_transport_rekey_free);
  sotto_clear_source (&self->rekey_timer);
  if (self->dtls != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->dtls, self);
      sotto_dtls_transport_set_send_func (self->dtls, NULL, NULL, NULL);
      g_clear_object (&self->dtls);
    }
  drop_keys (self);
  if (self->send_destroy != NULL)
    self->send_destroy (self->send_data);
  self->send_func = NULL;
  self->send_destroy = NULL;
  self->send_data = NULL;

  G_OBJECT_CLASS (sotto_secure_transport_parent_class)->dispose (object);
}

static void
sotto_secure_transport_finalize (GObject *object)
{
  SottoSecureTransport *self = SOTTO_SECURE_TRANSPORT (object);

  g_clear_object (&self->certificate);
  g_clear_pointer (&self->remote_fingerprint, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  /* Plaintext media passed through these. */
  OPENSSL_cleanse (self->send_buf, sizeof self->send_buf);
  OPENSSL_cleanse (self->recv_buf, sizeof self->recv_buf);

  G_OBJECT_CLASS (sotto_secure_transport_parent_class)->finalize (object);
}

static void
sotto_secure_transport_class_init (SottoSecureTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_secure_transport_get_property;
  object_class->set_property = sotto_secure_transport_set_property;
  object_class->dispose = sotto_secure_transport_dispose;
  object_class->finalize = sotto_secure_transport_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SOTTO_TYPE_SECURE_TRANSPORT_STATE,
                       SOTTO_SECURE_TRANSPORT_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REKEY_INTERVAL] =
    g_param_spec_uint ("rekey-interval", NULL, NULL, 0, 7 * 24 * 3600,
                       SOTTO_SECURE_TRANSPORT_DEFAULT_REKEY_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUIRE_AES_256] =
    g_param_spec_boolean ("require-aes-256", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HANDSHAKE_TIMEOUT] =
    g_param_spec_uint ("handshake-timeout", NULL, NULL, 1, G_MAXUINT,
                       SOTTO_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RTP_RECEIVED] =
    g_signal_new ("rtp-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ULONG);
  signals[SIGNAL_RTCP_RECEIVED] =
    g_signal_new ("rtcp-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ULONG);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sotto_secure_transport_init (SottoSecureTransport *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->handshake_timeout_ms = SOTTO_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS;
}

/* ---- public ------------------------------------------------------------ */

SottoSecureTransport *
sotto_secure_transport_new (SottoDatagramSendFunc  send_func,
                            gpointer               user_data,
                            GDestroyNotify         destroy,
                            GError               **error)
{
  return sotto_secure_transport_new_with_certificate (NULL, send_func, user_data, destroy, error);
}

SottoSecureTransport *
sotto_secure_transport_new_with_certificate (SottoDtlsCertificate  *certificate,
                                             SottoDatagramSendFunc  send_func,
                                             gpointer               user_data,
                                             GDestroyNotify         destroy,
                                             GError               **error)
{
  g_autoptr(SottoSecureTransport) self = NULL;

  g_return_val_if_fail (send_func != NULL, NULL);
  g_return_val_if_fail (certificate == NULL || SOTTO_IS_DTLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (SOTTO_TYPE_SECURE_TRANSPORT, NULL);
  self->send_func = send_func;
  self->send_data = user_data;
  self->send_destroy = destroy;

  if (certificate != NULL)
    self->certificate = g_object_ref (certificate);
  else
    self->certificate = sotto_dtls_certificate_new (error);
  if (self->certificate == NULL)
    return NULL;
  self->dtls = sotto_dtls_transport_new (self->certificate);
  sotto_dtls_transport_set_send_func (self->dtls, on_dtls_send, self, NULL);
  g_signal_connect (self->dtls, "connected", G_CALLBACK (on_dtls_connected), self);
  g_signal_connect (self->dtls, "failed", G_CALLBACK (on_dtls_failed), self);
  g_signal_connect (self->dtls, "notify::state", G_CALLBACK (on_dtls_state), self);
  g_signal_connect (self->dtls, "application-data", G_CALLBACK (sotto_secure_transport_on_application_data), self);
  return g_steal_pointer (&self);
}

const char *
sotto_secure_transport_get_local_fingerprint (SottoSecureTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_SECURE_TRANSPORT (self), NULL);
  return sotto_dtls_certificate_get_fingerprint (self->certificate);
}

const char *
sotto_secure_transport_get_remote_fingerprint (SottoSecureTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_SECURE_TRANSPORT (self), NULL);
  return self->remote_fingerprint;
}

void
sotto_secure_transport_set_srtp_profiles (SottoSecureTransport   *self,
                                          const SottoSrtpProfile *profiles,
                                          gsize                   n_profiles)
{
  g_return_if_fail (SOTTO_IS_SECURE_TRANSPORT (self));
  g_return_if_fail (self->state == SOTTO_SECURE_TRANSPORT_STATE_NEW);

  self->n_profiles = MIN (n_profiles, G_N_ELEMENTS (self->profiles));
  if (profiles != NULL && self->n_profiles > 0)
    memcpy (self->profiles, profiles, self->n_profiles * sizeof *profiles);
}

gboolean
sotto_secure_transport_start (SottoSecureTransport *self,
                              SottoDtlsRole         role,
                              const char           *remote_fingerprint,
                              GError              **error)
{
  static const SottoSrtpProfile aes256_only = SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM;

  g_return_val_if_fail (SOTTO_IS_SECURE_TRANSPORT (self), FALSE);

  if (self->state != SOTTO_SECURE_TRANSPORT_STATE_NEW)
    {
      g_set_error (error, SOTTO_SECURE_TRANSPORT_ERROR, SOTTO_SECURE_TRANSPORT_ERROR_INVALID_STATE,
                   "The secure transport was already started");
      return FALSE;
    }

  /* Refuse before a single datagram leaves: without the peer's fingerprint
   * the call could not be authenticated. */
  if (!sotto_dtls_transport_set_remote_fingerprint (self->dtls, remote_fingerprint, error))
    return FALSE;

  if (self->require_aes_256)
    {
      self->profiles[0] = aes256_only;
      self->n_profiles = 1;
    }
  sotto_dtls_transport_set_srtp_profiles (self->dtls, self->profiles, self->n_profiles);
  g_object_set (self->dtls, "handshake-timeout", self->handshake_timeout_ms, NULL);

  self->role = role;
  self->remote_fingerprint = g_strdup (remote_fingerprint);
  set_state (self, SOTTO_SECURE_TRANSPORT_STATE_CONNECTING);
  if (!sotto_dtls_transport_start (self->dtls, role, error))
    {
      set_state (self, SOTTO_SECURE_TRANSPORT_STATE_FAILED);
      return FALSE;
    }
  return TRUE;
}

static void
receive_srtp (SottoSecureTransport *self,
              gboolean              rtcp,
              const guint8         *data,
              gsize                 len)
{
  SottoSrtpStatus status = SOTTO_SRTP_MALFORMED;
  gsize n = len;

  if (self->rx == NULL || len > SOTTO_SECURE_TRANSPORT_MAX_PACKET + SOTTO_SRTP_MAX_OVERHEAD)
    {
      self->stats.dropped_malformed++;
      return;
    }

  /* A failed attempt may leave the buffer half-decrypted (GCM), so every
   * attempt starts from a fresh copy. */
  memcpy (self->recv_buf, data, len);
  status = rtcp ? sotto_srtp_session_unprotect_rtcp (self->rx, self->recv_buf, &n)
                : sotto_srtp_session_unprotect_rtp (self->rx, self->recv_buf, &n);
  if (status == SOTTO_SRTP_OK)
    {
      /* The peer sends with the new keys: the old context is done. */
      g_clear_object (&self->rx_old);
    }
  else if (status == SOTTO_SRTP_AUTH_FAILED && self->rx_old != NULL)
    {
      n = len;
      memcpy (self->recv_buf, data, len);
      status = rtcp ? sotto_srtp_session_unprotect_rtcp (self->rx_old, self->recv_buf, &n)
                    : sotto_srtp_session_unprotect_rtp (self->rx_old, self->recv_buf, &n);
    }

  switch (status)
    {
    case SOTTO_SRTP_OK:
      if (rtcp)
        {
          self->stats.rtcp_received++;
          g_signal_emit (self, signals[SIGNAL_RTCP_RECEIVED], 0, self->recv_buf, (gulong) n);
        }
      else
        {
          self->stats.rtp_received++;
          g_signal_emit (self, signals[SIGNAL_RTP_RECEIVED], 0, self->recv_buf, (gulong) n);
        }
      break;
    case SOTTO_SRTP_AUTH_FAILED:
      self->stats.auth_failures++;
      break;
    case SOTTO_SRTP_REPLAYED:
      self->stats.replays++;
      break;
    case SOTTO_SRTP_MALFORMED:
    default:
      self->stats.dropped_malformed++;
      break;
    }
}

void
sotto_secure_transport_receive_datagram (SottoSecureTransport *self,
                                         const guint8         *data,
                                         gsize                 len)
{
  g_autoptr(SottoSecureTransport) keep = NULL;

  g_return_if_fail (SOTTO_IS_SECURE_TRANSPORT (self));

  keep = g_object_ref (self);
  switch (sotto_packet_demux_classify (data, len))
    {
    case SOTTO_PACKET_DTLS:
      self->stats.dtls_received++;
      if (self->dtls != NULL)
        sotto_dtls_transport_receive (self->dtls, data, len);
      break;
    case SOTTO_PACKET_RTP:
      receive_srtp (self, FALSE, data, len);
      break;
    case SOTTO_PACKET_RTCP:
      receive_srtp (self, TRUE, data, len);
      break;
    case SOTTO_PACKET_STUN:           /* libnice consumes its own; a stray one is noise */
    case SOTTO_PACKET_ZRTP:
    case SOTTO_PACKET_TURN_CHANNEL:   /* unwrapped by libnice before it reaches us */
    case SOTTO_PACKET_UNKNOWN:
    default:
      self->stats.dropped_demux++;
      break;
    }
}

static gboolean
send_protected (SottoSecureTransport *self,
                gboolean              rtcp,
                const guint8         *data,
                gsize                 len)
{
  gsize n = len;

  /* The gate: no keys, no packet. Nothing about the packet is sent. */
  if (self->tx == NULL || self->state != SOTTO_SECURE_TRANSPORT_STATE_CONNECTED)
    {
      self->stats.dropped_no_keys++;
      return FALSE;
    }
  if (len > SOTTO_SECURE_TRANSPORT_MAX_PACKET)
    {
      self->stats.dropped_too_large++;
      return FALSE;
    }
  /* What leaves must demultiplex as SRTP/SRTCP at the peer. */
  if (sotto_packet_demux_classify (data, len) != (rtcp ? SOTTO_PACKET_RTCP : SOTTO_PACKET_RTP))
    {
      self->stats.dropped_malformed++;
      return FALSE;
    }

  memcpy (self->send_buf, data, len);
  if (!(rtcp ? sotto_srtp_session_protect_rtcp (self->tx, self->send_buf, &n, sizeof self->send_buf, NULL)
             : sotto_srtp_session_protect_rtp (self->tx, self->send_buf, &n, sizeof self->send_buf, NULL)))
    {
      self->stats.dropped_malformed++;
      return FALSE;
    }

  self->send_func (self->send_buf, n, self->send_data);
  if (rtcp)
    self->stats.rtcp_sent++;
  else
    self->stats.rtp_sent++;
  return TRUE;
}

gboolean
sotto_secure_transport_send_rtp (SottoSecureTransport *self,
                                 const guint8         *data,
                                 gsize                 len)
{
  g_return_val_if_fail (SOTTO_IS_SECURE_TRANSPORT (self), FALSE);
  return send_protected (self, FALSE, data, len);
}

gboolean
sotto_secure_transport_send_rtcp (SottoSecureTransport *self,
                                  const guint8         *data,
                                  gsize                 len)
{
  g_return_val_if_fail (SOTTO_IS_SECURE_TRANSPORT (self), FALSE);
  return send_protected (self, TRUE, data, len);
}

void
sotto_secure_transport_close (SottoSecureTransport *self)
{
  g_return_if_fail (SOTTO_IS_SECURE_TRANSPORT (self));

  drop_keys (self);
  g_clear_pointer (&self->rekey, sotto_secure_transport_rekey_free);
  sotto_clear_source (&self->rekey_timer);
  if (self->dtls != NULL)
    sotto_dtls_transport_close (self->dtls);
  set_state (self, SOTTO_SECURE_TRANSPORT_STATE_CLOSED);
}

SottoSecureTransportState
sotto_secure_transport_get_state (SottoSecureTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_SECURE_TRANSPORT (self), SOTTO_SECURE_TRANSPORT_STATE_FAILED);
  return self->state;
}

void
sotto_secure_transport_get_stats (SottoSecureTransport      *self,
                                  SottoSecureTransportStats *out)
{
  g_return_if_fail (SOTTO_IS_SECURE_TRANSPORT (self));
  g_return_if_fail (out != NULL);
  *out = self->stats;
}

char *
sotto_secure_transport_dup_sas (SottoSecureTransport *self,
                                const char           *session_id)
{
  g_return_val_if_fail (SOTTO_IS_SECURE_TRANSPORT (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  /* Only fingerprints the handshake actually verified. */
  if (self->stats.key_generation == 0)
    return NULL;
  return sotto_sas_compute (sotto_dtls_certificate_get_fingerprint (self->certificate),
                            self->remote_fingerprint, session_id, NULL);
}
