/* sotto-peer-connection.c: ICE + DTLS-SRTP with SDP offer/answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   session layer ──send_rtp──> SottoSecureTransport ──datagram──> SottoIceTransport ──> wire
 *                 <─rtp-received─     (DTLS, SRTP,       <─datagram──   (libnice agent)
 *                                      RFC 7983 demux)
 *   create_offer / create_answer / set_remote_description: SottoSdp rules
 *
 * The DTLS client starts its handshake when ICE first connects (a
 * ClientHello sent earlier would be lost and cost a retransmission); the
 * server starts as soon as its role is known, and datagrams that arrive
 * before DTLS starts are held (a few) and replayed.
 */
#define G_LOG_DOMAIN "sotto-pc"

#include "sotto-peer-connection.h"
#include "sotto-peer-connection-private.h"

#include <string.h>

#include "sotto-random.h"

G_DEFINE_QUARK (sotto-peer-connection-error-quark, sotto_peer_connection_error)

G_DEFINE_ENUM_TYPE (SottoPeerConnectionState, sotto_peer_connection_state,
  G_DEFINE_ENUM_VALUE (SOTTO_PEER_CONNECTION_STATE_NEW, "new"),
  G_DEFINE_ENUM_VALUE (SOTTO_PEER_CONNECTION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (SOTTO_PEER_CONNECTION_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (SOTTO_PEER_CONNECTION_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (SOTTO_PEER_CONNECTION_STATE_CLOSED, "closed"))

/* Datagrams held before DTLS starts: a ClientHello in two fragments and
 * its retransmission fit with room to spare. */
#define MAX_EARLY_DATAGRAMS 16

enum {
  PROP_0,
  PROP_CONNECTION_STATE,
  PROP_ICE_STATE,
  PROP_DTLS_STATE,
  PROP_SAS,
  N_PROPS
};

enum {
  SIGNAL_LOCAL_CANDIDATE,
  SIGNAL_RTP_RECEIVED,
  SIGNAL_RTCP_RECEIVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


G_DEFINE_FINAL_TYPE (SottoPeerConnection, sotto_peer_connection, G_TYPE_OBJECT)

gboolean
sotto_peer_connection_closed_error (SottoPeerConnection  *self,
              GError              **error)
{
  if (self->state != SOTTO_PEER_CONNECTION_STATE_CLOSED)
    return FALSE;
  g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR,
                       SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,
                       "the peer connection is closed");
  return TRUE;
}

void
sotto_peer_connection_update_state (SottoPeerConnection *self)
{
  SottoPeerConnectionState state;

  if (self->state == SOTTO_PEER_CONNECTION_STATE_CLOSED)
    return;
  if (self->error != NULL)
    state = SOTTO_PEER_CONNECTION_STATE_FAILED;
  else if (self->ice_state == SOTTO_ICE_STATE_CONNECTED &&
           self->dtls_state == SOTTO_SECURE_TRANSPORT_STATE_CONNECTED)
    state = SOTTO_PEER_CONNECTION_STATE_CONNECTED;
  else if (self->gathering_requested || self->ice_state == SOTTO_ICE_STATE_CHECKING ||
           self->dtls_state == SOTTO_SECURE_TRANSPORT_STATE_CONNECTING)
    state = SOTTO_PEER_CONNECTION_STATE_CONNECTING;
  else
    state = SOTTO_PEER_CONNECTION_STATE_NEW;

  if (state == self->state)
    return;
  g_debug ("%p: connection state %d", self, (int) state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATE]);
}

static void
fail (SottoPeerConnection *self,
      const GError        *error)
{
  if (self->error != NULL || self->state == SOTTO_PEER_CONNECTION_STATE_CLOSED)
    return;
  g_message ("%p: peer connection failed: %s", self, error->message);
  self->error = g_error_copy (error);
  sotto_peer_connection_update_state (self);
}

/* ----------------------------------------------------------------- DTLS */

void
sotto_peer_connection_maybe_start_dtls (SottoPeerConnection *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) early = NULL;
  guint i;

  if (self->dtls_started || !self->role_known || self->error != NULL ||
      self->state == SOTTO_PEER_CONNECTION_STATE_CLOSED)
    return;
  if (self->role == SOTTO_DTLS_ROLE_CLIENT && self->ice_state != SOTTO_ICE_STATE_CONNECTED)
    return;

  self->dtls_started = TRUE;
  if (!sotto_secure_transport_start (self->secure, self->role, self->remote_fingerprint, &error))
    {
      fail (self, error);
      return;
    }
  early = g_steal_pointer (&self->early);
  for (i = 0; i < early->len && self->secure != NULL; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (early->pdata[i], &len);

      sotto_secure_transport_receive_datagram (self->secure, data, len);
    }
}

static void
on_secure_send (const guint8 *data,
                gsize         len,
                gpointer      user_data)
{
  SottoPeerConnection *self = user_data;

  if (self->ice != NULL)
    sotto_ice_transport_send (self->ice, data, len);
}

/* The SAS needs both the verified fingerprints and the session id,
 * whichever comes last. */
static void
update_sas (SottoPeerConnection *self)
{
  if (self->sas != NULL || self->session_id == NULL || self->secure == NULL ||
      self->dtls_state != SOTTO_SECURE_TRANSPORT_STATE_CONNECTED)
    return;
  self->sas = sotto_secure_transport_dup_sas (self->secure, self->session_id);
  if (self->sas != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAS]);
}

static void
on_secure_state (SottoSecureTransport *secure,
                 GParamSpec           *pspec,
                 gpointer              user_data)
{
  SottoPeerConnection *self = user_data;

  self->dtls_state = sotto_secure_transport_get_state (secure);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DTLS_STATE]);
  update_sas (self);
  sotto_peer_connection_update_state (self);
}

static void
on_secure_failed (SottoSecureTransport *secure,
                  const GError         *error,
                  gpointer              user_data)
{
  fail (user_data, error);
}

static void
on_secure_rtp (SottoSecureTransport *secure,
               gconstpointer         data,
               gulong                len,
               gpointer              user_data)
{
  SottoPeerConnection *self = user_data;

  self->bytes_received += len;
  g_signal_emit (self, signals[SIGNAL_RTP_RECEIVED], 0, data, len);
}

static void
on_secure_rtcp (SottoSecureTransport *secure,
                gconstpointer         data,
                gulong                len,
                gpointer              user_data)
{
  SottoPeerConnection *self = user_data;

  self->bytes_received += len;
  g_signal_emit (self, signals[SIGNAL_RTCP_RECEIVED], 0, data, len);
}

/* ------------------------------------------------------------------ ICE */

static const char *
bundle_mid (SottoPeerConnection *self)
{
  const char *mid = self->local_desc != NULL ? sotto_sdp_description_get_bundle_tag (self->local_desc) : NULL;

  return mid != NULL ? mid : "0";
}

static void
emit_candidate (SottoPeerConnection *self,
                const char          *candidate)
{
  if (self->hold_candidates)
    {
      g_ptr_array_add (self->held_candidates, g_strdup (candidate));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_LOCAL_CANDIDATE], 0, candidate, bundle_mid (self));
}

static void
on_ice_candidate (SottoIceTransport *ice,
                  const char        *candidate,
                  gpointer           user_data)
{
  emit_candidate (user_data, candidate);
}

static void
on_ice_gathering_done (SottoIceTransport *ice,
                       gpointer           user_data)
{
  SottoPeerConnection *self = user_data;

  self->gathering_done = TRUE;
  emit_candidate (self, END_OF_CANDIDATES);
}

static void
on_ice_state (SottoIceTransport *ice,
              GParamSpec        *pspec,
              gpointer           user_data)
{
  SottoPeerConnection *self = user_data;

  self->ice_state = sotto_ice_transport_get_state (ice);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICE_STATE]);
  if (self->ice_state == SOTTO_ICE_STATE_FAILED)
    {
      const char *reason = sotto_ice_transport_get_failure_reason (ice);
      g_autoptr(GError) error =
        g_error_new_literal (SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_ICE_FAILED,
                             reason != NULL ? reason
                                            : "no network path to the peer works (ICE failed, or "
                                              "the peer stopped answering consent checks)");
      fail (self, error);
      return;
    }
  if (self->ice_state == SOTTO_ICE_STATE_CONNECTED)
    sotto_peer_connection_maybe_start_dtls (self);
  sotto_peer_connection_update_state (self);
}

static void
on_ice_receive (const guint8 *data,
                gsize         len,
                gpointer      user_data)
{
  SottoPeerConnection *self = user_data;

  if (self->dtls_started)
    {
      sotto_secure_transport_receive_datagram (self->secure, data, len);
      return;
    }
  if (self->early != NULL && self->early->len < MAX_EARLY_DATAGRAMS)
    g_ptr_array_add (self->early, g_bytes_new (data, len));
}

static gboolean
on_flush (gpointer user_data)
{
  SottoPeerConnection *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) held = NULL;
  guint i;

  g_clear_pointer (&self->flush_source, g_source_unref);
  if (self->state == SOTTO_PEER_CONNECTION_STATE_CLOSED)
    return G_SOURCE_REMOVE;

  /* Candidates re-signalled by an ICE restart go out after the SDP that
   * carries the new credentials, never before. */
  self->hold_candidates = FALSE;
  held = g_steal_pointer (&self->held_candidates);
  self->held_candidates = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < held->len; i++)
    if (strcmp (held->pdata[i], END_OF_CANDIDATES) != 0)
      emit_candidate (self, held->pdata[i]);
  if (self->gathering_done)
    emit_candidate (self, END_OF_CANDIDATES);

  if (!sotto_ice_transport_gather (self->ice, &error))
    fail (self, error);
  return G_SOURCE_REMOVE;
}

/* Gathering (and held candidates) after the caller has the SDP in hand:
 * candidates must not reach signaling before the description they
 * belong to. */
void
sotto_peer_connection_schedule_gathering (SottoPeerConnection *self)
{
  self->gathering_requested = TRUE;
  if (self->flush_source != NULL)
    return;
  self->flush_source = g_idle_source_new ();
  g_source_set_callback (self->flush_source, on_flush, self, NULL);
  g_source_attach (self->flush_source, self->context);
}

/* -------------------------------------------------------------- GObject */

static void
sotto_peer_connection_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SottoPeerConnection *self = SOTTO_PEER_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_CONNECTION_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ICE_STATE:
      g_value_set_enum (value, self->ice_state);
      break;
    case PROP_DTLS_STATE:
      g_value_set_enum (value, self->dtls_state);
      break;
    case PROP_SAS:
      g_value_set_string (value, self->sas);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_peer_connection_dispose (GObject *object)
{
  SottoPeerConnection *self = SOTTO_PEER_CONNECTION (object);

  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
  if (self->secure != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->secure, self);
      sotto_secure_transport_close (self->secure);
      g_clear_object (&self->secure);
    }
  if (self->ice != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ice, self);
      sotto_ice_transport_set_receive_func (self->ice, NULL, NULL);
      sotto_ice_transport_close (self->ice);
      g_clear_object (&self->ice);
    }
  G_OBJECT_CLASS (sotto_peer_connection_parent_class)->dispose (object);
}

static void
sotto_peer_connection_finalize (GObject *object)
{
  SottoPeerConnection *self = SOTTO_PEER_CONNECTION (object);

  g_free (self->cname);
  g_free (self->session_id);
  g_ptr_array_unref (self->local_media);
  g_clear_pointer (&self->local_desc, sotto_sdp_description_free);
  g_clear_pointer (&self->remote_desc, sotto_sdp_description_free);
  g_free (self->remote_fingerprint);
  g_clear_pointer (&self->early, g_ptr_array_unref);
  g_clear_pointer (&self->held_candidates, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_free (self->sas);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (sotto_peer_connection_parent_class)->finalize (object);
}

static void
sotto_peer_connection_class_init (SottoPeerConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_peer_connection_get_property;
  object_class->dispose = sotto_peer_connection_dispose;
  object_class->finalize = sotto_peer_connection_finalize;

  properties[PROP_CONNECTION_STATE] =
    g_param_spec_enum ("connection-state", NULL, NULL, SOTTO_TYPE_PEER_CONNECTION_STATE,
                       SOTTO_PEER_CONNECTION_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICE_STATE] =
    g_param_spec_enum ("ice-state", NULL, NULL, SOTTO_TYPE_ICE_STATE, SOTTO_ICE_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DTLS_STATE] =
    g_param_spec_enum ("dtls-state", NULL, NULL, SOTTO_TYPE_SECURE_TRANSPORT_STATE,
                       SOTTO_SECURE_TRANSPORT_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAS] =
    g_param_spec_string ("sas", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOCAL_CANDIDATE] =
    g_signal_new ("local-candidate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_RTP_RECEIVED] =
    g_signal_new ("rtp-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ULONG);
  signals[SIGNAL_RTCP_RECEIVED] =
    g_signal_new ("rtcp-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ULONG);
}

static void
sotto_peer_connection_init (SottoPeerConnection *self)
{
  self->local_media = g_ptr_array_new_with_free_func ((GDestroyNotify) sotto_sdp_media_free);
  self->early = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->held_candidates = g_ptr_array_new_with_free_func (g_free);
}

/* ------------------------------------------------------------ public API */

SottoPeerConnection *
sotto_peer_connection_new (GError **error)
{
  return sotto_peer_connection_new_with_certificate (NULL, error);
}

SottoPeerConnection *
sotto_peer_connection_new_with_certificate (SottoDtlsCertificate *certificate,
                                            GError              **error)
{
  g_autoptr(SottoPeerConnection) self = g_object_new (SOTTO_TYPE_PEER_CONNECTION, NULL);

  self->context = g_main_context_ref_thread_default ();
  /* RFC 7022: a random, per-call CNAME that identifies nothing. */
  self->cname = sotto_random_id (12);

  self->ice = sotto_ice_transport_new (self->context, error);
  if (self->ice == NULL)
    return NULL;
  self->secure = sotto_secure_transport_new_with_certificate (certificate, on_secure_send, self,
                                                              NULL, error);
  if (self->secure == NULL)
    return NULL;

  sotto_ice_transport_set_receive_func (self->ice, on_ice_receive, self);
  g_signal_connect (self->ice, "local-candidate", G_CALLBACK (on_ice_candidate), self);
  g_signal_connect (self->ice, "gathering-done", G_CALLBACK (on_ice_gathering_done), self);
  g_signal_connect (self->ice, "notify::state", G_CALLBACK (on_ice_state), self);
  g_signal_connect (self->secure, "notify::state", G_CALLBACK (on_secure_state), self);
  g_signal_connect (self->secure, "failed", G_CALLBACK (on_secure_failed), self);
  g_signal_connect (self->secure, "rtp-received", G_CALLBACK (on_secure_rtp), self);
  g_signal_connect (self->secure, "rtcp-received", G_CALLBACK (on_secure_rtcp), self);
  return g_steal_pointer (&self);
}

gboolean
sotto_peer_connection_add_ice_server (SottoPeerConnection  *self,
                                      const char           *uri,
                                      const char           *username,
                                      const char           *credential,
                                      GError              **error)
{
  g_autoptr(SottoIceServer) server = NULL;

  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), FALSE);
  if (sotto_peer_connection_closed_error (self, error))
    return FALSE;
  if (self->gathering_requested)
    {
      g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR,
                           SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,
                           "ICE servers must be added before the first offer or answer");
      return FALSE;
    }
  server = sotto_ice_server_new (uri, username, credential, error);
  if (server == NULL)
    return FALSE;
  sotto_ice_transport_add_server (self->ice, server);
  return TRUE;
}

void
sotto_peer_connection_set_ice_policy (SottoPeerConnection *self,
                                      SottoIcePolicy       policy)
{
  g_return_if_fail (SOTTO_IS_PEER_CONNECTION (self));
  sotto_ice_transport_set_policy (self->ice, policy);
}

void
sotto_peer_connection_set_rekey_interval (SottoPeerConnection *self,
                                          guint                seconds)
{
  g_return_if_fail (SOTTO_IS_PEER_CONNECTION (self));
  g_object_set (self->secure, "rekey-interval", seconds, NULL);
}

void
sotto_peer_connection_set_require_aes256 (SottoPeerConnection *self,
                                          gboolean             require)
{
  g_return_if_fail (SOTTO_IS_PEER_CONNECTION (self));
  g_object_set (self->secure, "require-aes-256", require, NULL);
}

void
sotto_peer_connection_set_session_id (SottoPeerConnection *self,
                                      const char          *session_id)
{
  g_return_if_fail (SOTTO_IS_PEER_CONNECTION (self));
  g_free (self->session_id);
  self->session_id = g_strdup (session_id);
  update_sas (self);
}

guint
sotto_peer_connection_add_media (SottoPeerConnection *self,
                                 SottoSdpMediaKind       kind,
                                 SottoMediaDirection  direction,
                                 guint32              ssrc,
                                 const char          *stream_id,
                                 const char          *track_id)
{
  SottoSdpMedia *media;

  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), 0);
  g_return_val_if_fail (kind == SOTTO_SDP_MEDIA_KIND_AUDIO || kind == SOTTO_SDP_MEDIA_KIND_VIDEO, 0);

  media = sotto_sdp_media_new (kind, NULL, direction);
  if (ssrc != 0)
    sotto_sdp_media_set_ssrc (media, ssrc, self->cname,
                              stream_id != NULL ? stream_id : self->cname,
                              track_id != NULL ? track_id : "track");
  g_ptr_array_add (self->local_media, media);
  return self->local_media->len - 1;
}

gboolean
sotto_peer_connection_send_rtp (SottoPeerConnection *self,
                                const guint8        *data,
                                gsize                len)
{
  if (G_UNLIKELY (self->secure == NULL) || !sotto_secure_transport_send_rtp (self->secure, data, len))
    return FALSE;
  self->bytes_sent += len;
  return TRUE;
}

gboolean
sotto_peer_connection_send_rtcp (SottoPeerConnection *self,
                                 const guint8        *data,
                                 gsize                len)
{
  if (G_UNLIKELY (self->secure == NULL) || !sotto_secure_transport_send_rtcp (self->secure, data, len))
    return FALSE;
  self->bytes_sent += len;
  return TRUE;
}

void
sotto_peer_connection_close (SottoPeerConnection *self)
{
  g_return_if_fail (SOTTO_IS_PEER_CONNECTION (self));
  if (self->state == SOTTO_PEER_CONNECTION_STATE_CLOSED)
    return;
  if (self->secure != NULL)
    sotto_secure_transport_close (self->secure);
  if (self->ice != NULL)
    sotto_ice_transport_close (self->ice);
  self->state = SOTTO_PEER_CONNECTION_STATE_CLOSED;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATE]);
}

SottoPeerConnectionState
sotto_peer_connection_get_state (SottoPeerConnection *self)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), SOTTO_PEER_CONNECTION_STATE_CLOSED);
  return self->state;
}

SottoIceState
sotto_peer_connection_get_ice_state (SottoPeerConnection *self)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), SOTTO_ICE_STATE_CLOSED);
  return self->ice_state;
}

SottoSecureTransportState
sotto_peer_connection_get_dtls_state (SottoPeerConnection *self)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), SOTTO_SECURE_TRANSPORT_STATE_CLOSED);
  return self->dtls_state;
}

const GError *
sotto_peer_connection_get_error (SottoPeerConnection *self)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), NULL);
  return self->error;
}

const SottoSdpDescription *
sotto_peer_connection_get_local_description (SottoPeerConnection *self)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), NULL);
  return self->local_desc;
}

const SottoSdpDescription *
sotto_peer_connection_get_remote_description (SottoPeerConnection *self)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), NULL);
  return self->remote_desc;
}

const char *
sotto_peer_connection_get_local_fingerprint (SottoPeerConnection *self)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), NULL);
  return self->secure != NULL ? sotto_secure_transport_get_local_fingerprint (self->secure) : NULL;
}

const char *
sotto_peer_connection_get_sas (SottoPeerConnection *self)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), NULL);
  return self->sas;
}

void
sotto_peer_connection_get_stats (SottoPeerConnection      *self,
                                 SottoPeerConnectionStats *out)
{
  SottoSecureTransportStats st = { 0 };

  g_return_if_fail (SOTTO_IS_PEER_CONNECTION (self));
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  out->state = self->state;
  out->ice_state = self->ice_state;
  out->dtls_state = self->dtls_state;
  if (self->secure != NULL)
    sotto_secure_transport_get_stats (self->secure, &st);
  out->srtp_profile = st.srtp_profile != SOTTO_SRTP_PROFILE_NONE
                      ? sotto_srtp_profile_to_string (st.srtp_profile) : NULL;
  out->key_generation = st.key_generation;
  out->rekey_status = st.rekey_status;
  out->rtp_sent = st.rtp_sent;
  out->rtcp_sent = st.rtcp_sent;
  out->rtp_received = st.rtp_received;
  out->rtcp_received = st.rtcp_received;
  out->bytes_sent = self->bytes_sent;
  out->bytes_received = self->bytes_received;
  out->dropped_no_keys = st.dropped_no_keys;
  out->dropped_too_large = st.dropped_too_large;
  out->auth_failures = st.auth_failures;
  out->replays = st.replays;
  out->dropped_malformed = st.dropped_malformed;
  out->dropped_demux = st.dropped_demux;
  if (self->ice != NULL)
    sotto_ice_transport_get_selected_pair (self->ice, &out->local_candidate_type,
                                           &out->remote_candidate_type,
                                           &out->candidate_transport);
}
