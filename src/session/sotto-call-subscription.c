/* sotto-call-subscription.c: one stream between one publisher and one subscriber
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The publisher's end offers (it knows its SSRCs and payload types); the
 * subscriber's end answers. Each end owns one SottoPeerConnection: ICE,
 * DTLS-SRTP and SDP for this one subscription. On the sending end, the packets
 * come from the session's single SottoMediaSender (encoded once for every
 * subscriber) and are only encrypted here; on the receiving end, this object
 * owns the SottoMediaReceiver (jitter buffer and decoders).
 *
 *   sending:    sender ──rtp──▶ [this] ──▶ peer connection (SRTP) ──▶ ICE
 *                  ▲                             │
 *                  └───── RTCP (RR, NACK, PLI) ◀─┘
 *   receiving:  ICE ──▶ peer connection ──▶ [this] ──▶ receiver ──▶ frames
 *                              ▲                         │
 *                              └──── RTCP (RR, NACK) ◀───┘
 */
#define G_LOG_DOMAIN "sotto-call-subscription"

#include "sotto-config.h"

#include "sotto-call-subscription.h"

#include "sotto-call-error.h"
#include "sotto-peer-connection.h"

struct _SottoCallSubscription
{
  GObject parent_instance;

  SottoCallSubscriptionDirection direction;
  char                 *id;
  char                 *stream_id;
  char                 *peer_id;
  SottoSignalingClient *signaling;
  SottoMediaSender     *sender;     /* sending end only; shared */
  SottoMediaReceiver   *receiver;   /* receiving end only; ours */
  SottoMediaOutput     *output;     /* the call's audio output, shared; may be NULL */
  SottoMediaConfig      media;
  SottoPeerConnection  *pc;
  GPtrArray            *early_candidates; /* remote candidates before the remote description */
  gboolean              has_remote_description;
  gboolean              connected;
  gboolean              closed;
  gboolean              orphaned;
  guint                 ice_restarts;     /* since media last connected */

  SottoMediaReceiverReport last_report;  /* sending end: the subscriber's latest RR */

  /* For the bitrate in stats: bytes at the previous sample. */
  gint64                stats_sampled_us;
  guint64               stats_bytes;
  guint                 stats_kbps;
};

G_DEFINE_FINAL_TYPE (SottoCallSubscription, sotto_call_subscription, G_TYPE_OBJECT)

enum {
  SIGNAL_MEDIA_CONNECTED,
  SIGNAL_FAILED,
  SIGNAL_VIDEO_FRAME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_local_candidate (SottoPeerConnection   *pc,
                    const char            *candidate,
                    const char            *mid,
                    SottoCallSubscription *self)
{
  g_autoptr (GError) error = NULL;
  const char *wire = g_strcmp0 (candidate, "end-of-candidates") == 0 ? "" : candidate;

  if (self->closed || self->orphaned)
    return;
  if (!sotto_signaling_client_send_candidate (self->signaling, self->id, wire, mid, -1, &error))
    g_debug ("[%s] candidate not sent: %s", self->id, error->message);
}

/* At most this many ICE restarts between two connected states: a peer that
 * is really gone is removed by the server long before (RFC 7675's 30 s). */
#define MAX_ICE_RESTARTS 5

/* RFC 8445, section 9: when the path fails (consent lost during an outage),
 * the offerer restarts ICE with new credentials and re-offers; the
 * subscriber's end answers it like any offer (sotto_call_subscription_handle_sdp). */
static gboolean
restart_ice (SottoCallSubscription *self)
{
  const GError *cause = sotto_peer_connection_get_error (self->pc);
  g_autoptr (GError) error = NULL;
  g_autofree char *offer = NULL;

  if (!self->sender || self->orphaned || self->ice_restarts >= MAX_ICE_RESTARTS ||
      !g_error_matches (cause, SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_ICE_FAILED))
    return FALSE;
  self->ice_restarts++;
  if (!sotto_peer_connection_restart_ice (self->pc, &error) ||
      (offer = sotto_peer_connection_create_offer (self->pc, &error)) == NULL ||
      !sotto_signaling_client_send_sdp (self->signaling, SOTTO_SIGNAL_TYPE_OFFER,
                                        self->id, offer, &error))
    {
      g_debug ("[%s] ICE restart failed: %s", self->id, error->message);
      return FALSE;
    }
  g_debug ("[%s] ICE failed; restarting it (attempt %u)", self->id, self->ice_restarts);
  return TRUE;
}

static void
on_connection_state (SottoPeerConnection   *pc,
                     GParamSpec            *pspec,
                     SottoCallSubscription *self)
{
  SottoPeerConnectionState state = sotto_peer_connection_get_state (pc);

  if (self->closed)
    return;

  if (state == SOTTO_PEER_CONNECTION_STATE_CONNECTED && !self->connected)
    {
      g_autoptr (GError) error = NULL;

      self->connected = TRUE;
      if (!self->orphaned &&
          !sotto_signaling_client_report_media (self->signaling, self->id, TRUE, &error))
        g_debug ("[%s] media-connected not sent: %s", self->id, error->message);
      if (self->sender)
        {
          /* A new subscriber starts from a fresh keyframe, never from a
           * backlog: the sender only produces while someone is connected. */
          sotto_media_sender_add_subscriber (self->sender);
          sotto_media_sender_request_keyframe (self->sender);
        }
      g_signal_emit (self, signals[SIGNAL_MEDIA_CONNECTED], 0);
    }
  else if (state == SOTTO_PEER_CONNECTION_STATE_CONNECTED && self->ice_restarts > 0)
    {
      /* Back after an ICE restart: the subscriber missed frames meanwhile. */
      self->ice_restarts = 0;
      if (self->sender)
        sotto_media_sender_request_keyframe (self->sender);
    }
  else if (state == SOTTO_PEER_CONNECTION_STATE_FAILED && !restart_ice (self))
    {
      const GError *cause = sotto_peer_connection_get_error (pc);
      g_autoptr (GError) error =
        g_error_new (SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_TRANSPORT_FAILED,
                     "The connection with a participant failed: %s",
                     cause ? cause->message : "ICE or DTLS failed");

      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
    }
}

static void
on_rtp_received (SottoPeerConnection   *pc,
                 const guint8          *data,
                 gulong                 len,
                 SottoCallSubscription *self)
{
  g_autoptr (GBytes) packet = NULL;

  if (!self->receiver)
    return;
  packet = g_bytes_new (data, len);
  sotto_media_receiver_push_rtp (self->receiver, packet);
}

static void
on_rtcp_received (SottoPeerConnection   *pc,
                  const guint8          *data,
                  gulong                 len,
                  SottoCallSubscription *self)
{
  g_autoptr (GBytes) packet = g_bytes_new (data, len);

  if (self->sender)
    {
      SottoMediaReceiverReport report = { 0 };

      /* What this subscriber reports about our video: loss, jitter, RTT. */
      sotto_media_sender_push_rtcp (self->sender, packet, &report);
      if (report.has_report)
        self->last_report = report;
    }
  else if (self->receiver)
    sotto_media_receiver_push_rtcp (self->receiver, packet);
}

static void
on_receiver_rtcp (SottoMediaReceiver    *receiver,
                  SottoMediaKind         kind,
                  GBytes                *packet,
                  SottoCallSubscription *self)
{
  sotto_call_subscription_send_rtcp (self, packet);
}

static void
on_receiver_frame (SottoMediaReceiver    *receiver,
                   guint                  width,
                   guint                  height,
                   guint                  stride,
                   GBytes                *pixels,
                   SottoCallSubscription *self)
{
  g_signal_emit (self, signals[SIGNAL_VIDEO_FRAME], 0, width, height, stride, pixels);
}

static void
on_receiver_error (SottoMediaReceiver    *receiver,
                   const GError          *error,
                   SottoCallSubscription *self)
{
  g_autoptr (GError) wrapped = g_error_new (SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_MEDIA,
                                            "Could not play a participant's media: %s",
                                            error->message);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, wrapped);
}

static void
sotto_call_subscription_dispose (GObject *object)
{
  SottoCallSubscription *self = SOTTO_CALL_SUBSCRIPTION (object);

  sotto_call_subscription_close (self);
  g_clear_object (&self->pc);
  g_clear_object (&self->receiver);
  g_clear_object (&self->output);
  g_clear_object (&self->sender);
  g_clear_object (&self->signaling);
  G_OBJECT_CLASS (sotto_call_subscription_parent_class)->dispose (object);
}

static void
sotto_call_subscription_finalize (GObject *object)
{
  SottoCallSubscription *self = SOTTO_CALL_SUBSCRIPTION (object);

  g_free (self->id);
  g_free (self->stream_id);
  g_free (self->peer_id);
  g_clear_pointer (&self->early_candidates, g_ptr_array_unref);
  G_OBJECT_CLASS (sotto_call_subscription_parent_class)->finalize (object);
}

static void
sotto_call_subscription_class_init (SottoCallSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_call_subscription_dispose;
  object_class->finalize = sotto_call_subscription_finalize;

  signals[SIGNAL_MEDIA_CONNECTED] =
    g_signal_new ("media-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_VIDEO_FRAME] =
    g_signal_new ("video-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BYTES);
}

static void
sotto_call_subscription_init (SottoCallSubscription *self)
{
  self->early_candidates = g_ptr_array_new_with_free_func (g_free);
}

static gboolean
add_ice_servers (SottoPeerConnection *pc,
                 JsonArray           *ice_servers,
                 GError             **error)
{
  if (!ice_servers)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (ice_servers); i++)
    {
      JsonObject *server = json_array_get_object_element (ice_servers, i);
      JsonNode *urls = json_object_get_member (server, "urls");
      const char *username = json_object_get_string_member_with_default (server, "username", NULL);
      const char *credential = json_object_get_string_member_with_default (server, "credential", NULL);

      if (JSON_NODE_HOLDS_VALUE (urls))
        {
          if (!sotto_peer_connection_add_ice_server (pc, json_node_get_string (urls),
                                                     username, credential, error))
            return FALSE;
        }
      else if (JSON_NODE_HOLDS_ARRAY (urls))
        {
          JsonArray *list = json_node_get_array (urls);

          for (guint j = 0; j < json_array_get_length (list); j++)
            if (!sotto_peer_connection_add_ice_server (pc, json_array_get_string_element (list, j),
                                                       username, credential, error))
              return FALSE;
        }
    }
  return TRUE;
}

SottoCallSubscription *
sotto_call_subscription_new (SottoCallSubscriptionDirection direction,
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
                             GError                **error)
{
  g_autoptr (SottoCallSubscription) self = g_object_new (SOTTO_TYPE_CALL_SUBSCRIPTION, NULL);

  g_return_val_if_fail (direction == SOTTO_CALL_SUBSCRIPTION_RECEIVE || sender != NULL, NULL);

  self->direction = direction;
  self->id = g_strdup (subscription_id);
  self->stream_id = g_strdup (stream_id);
  self->peer_id = g_strdup (peer_id);
  self->signaling = g_object_ref (signaling);
  self->media = *media;
  if (sender)
    self->sender = g_object_ref (sender);
  if (output)
    self->output = g_object_ref (output);

  self->pc = sotto_peer_connection_new_with_certificate (certificate, error);
  if (!self->pc)
    return NULL;
  sotto_peer_connection_set_session_id (self->pc, session_id);
  if (!add_ice_servers (self->pc, ice_servers, error))
    return NULL;

  g_signal_connect (self->pc, "local-candidate", G_CALLBACK (on_local_candidate), self);
  g_signal_connect (self->pc, "notify::connection-state", G_CALLBACK (on_connection_state), self);
  g_signal_connect (self->pc, "rtp-received", G_CALLBACK (on_rtp_received), self);
  g_signal_connect (self->pc, "rtcp-received", G_CALLBACK (on_rtcp_received), self);

  return g_steal_pointer (&self);
}

gboolean
sotto_call_subscription_start (SottoCallSubscription *self,
                               GError               **error)
{
  const SottoMediaConfig *config;
  g_autofree char *offer = NULL;

  g_return_val_if_fail (self->direction == SOTTO_CALL_SUBSCRIPTION_SEND, FALSE);

  config = sotto_media_sender_get_config (self->sender);
  if (config->send_audio)
    sotto_peer_connection_add_media (self->pc, SOTTO_SDP_MEDIA_KIND_AUDIO,
                                     SOTTO_MEDIA_DIRECTION_SENDONLY,
                                     sotto_media_sender_get_ssrc (self->sender, SOTTO_MEDIA_KIND_AUDIO),
                                     self->stream_id, "audio");
  if (config->send_video)
    sotto_peer_connection_add_media (self->pc, SOTTO_SDP_MEDIA_KIND_VIDEO,
                                     SOTTO_MEDIA_DIRECTION_SENDONLY,
                                     sotto_media_sender_get_ssrc (self->sender, SOTTO_MEDIA_KIND_VIDEO),
                                     self->stream_id, "video");

  offer = sotto_peer_connection_create_offer (self->pc, error);
  if (!offer)
    return FALSE;
  return sotto_signaling_client_send_sdp (self->signaling, SOTTO_SIGNAL_TYPE_OFFER,
                                          self->id, offer, error);
}

/* The receiver decodes what the offer negotiated: payload types come from
 * the SDP, SSRCs are learnt from the first packets. */
static gboolean
start_receiver (SottoCallSubscription *self,
                GError               **error)
{
  const SottoSdpDescription *remote = sotto_peer_connection_get_remote_description (self->pc);
  SottoMediaConfig config = self->media;

  config.send_audio = FALSE;
  config.send_video = FALSE;
  config.audio_ssrc = 0;
  config.video_ssrc = 0;
  config.video_rtx_ssrc = 0;
  for (guint i = 0; remote && i < remote->media->len; i++)
    {
      const SottoSdpMedia *m = g_ptr_array_index (remote->media, i);

      for (guint j = 0; j < m->codecs->len; j++)
        {
          const SottoSdpCodec *codec = g_ptr_array_index (m->codecs, j);

          if (g_ascii_strcasecmp (codec->encoding, "VP8") == 0)
            config.video_pt = codec->payload_type;
          else if (g_ascii_strcasecmp (codec->encoding, "opus") == 0)
            config.audio_pt = codec->payload_type;
          else if (g_ascii_strcasecmp (codec->encoding, "rtx") == 0)
            config.video_rtx_pt = codec->payload_type;
        }
    }

  self->receiver = self->output ? sotto_media_receiver_new_with_output (&config, self->output, error)
                                 : sotto_media_receiver_new (&config, error);
  if (!self->receiver)
    return FALSE;
  g_signal_connect (self->receiver, "rtcp-packet", G_CALLBACK (on_receiver_rtcp), self);
  g_signal_connect (self->receiver, "video-frame", G_CALLBACK (on_receiver_frame), self);
  g_signal_connect (self->receiver, "error", G_CALLBACK (on_receiver_error), self);
  return sotto_media_receiver_start (self->receiver, error);
}

static gboolean
flush_early_candidates (SottoCallSubscription *self,
                        GError               **error)
{
  for (guint i = 0; i < self->early_candidates->len; i++)
    if (!sotto_peer_connection_add_remote_candidate (self->pc,
                                                     g_ptr_array_index (self->early_candidates, i),
                                                     error))
      return FALSE;
  g_ptr_array_set_size (self->early_candidates, 0);
  return TRUE;
}

gboolean
sotto_call_subscription_handle_sdp (SottoCallSubscription  *self,
                                    SottoSignalMessageType  type,
                                    const char             *sdp,
                                    GError                **error)
{
  if (self->closed)
    return TRUE;

  if (type == SOTTO_SIGNAL_TYPE_OFFER)
    {
      g_autofree char *answer = NULL;

      if (self->direction != SOTTO_CALL_SUBSCRIPTION_RECEIVE)
        {
          g_set_error (error, SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_PROTOCOL,
                       "Received an offer for our own stream");
          return FALSE;
        }
      if (!sotto_peer_connection_set_remote_description (self->pc, SOTTO_SDP_TYPE_OFFER, sdp, error))
        return FALSE;
      self->has_remote_description = TRUE;
      if (!self->receiver && !start_receiver (self, error))
        return FALSE;
      answer = sotto_peer_connection_create_answer (self->pc, error);
      if (!answer)
        return FALSE;
      if (!sotto_signaling_client_send_sdp (self->signaling, SOTTO_SIGNAL_TYPE_ANSWER,
                                            self->id, answer, error))
        return FALSE;
    }
  else
    {
      if (self->direction != SOTTO_CALL_SUBSCRIPTION_SEND)
        {
          g_set_error (error, SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_PROTOCOL,
                       "Received an answer for a stream we did not offer");
          return FALSE;
        }
      if (!sotto_peer_connection_set_remote_description (self->pc, SOTTO_SDP_TYPE_ANSWER, sdp, error))
        return FALSE;
      self->has_remote_description = TRUE;
    }

  return flush_early_candidates (self, error);
}

gboolean
sotto_call_subscription_handle_candidate (SottoCallSubscription *self,
                                          const char            *candidate,
                                          GError               **error)
{
  const char *value = (candidate && *candidate) ? candidate : "end-of-candidates";

  if (self->closed)
    return TRUE;
  if (!self->has_remote_description)
    {
      /* Trickled candidates may overtake the offer or answer on the wire of
       * another subscription's relay; keep a bounded number. */
      if (self->early_candidates->len < 64)
        g_ptr_array_add (self->early_candidates, g_strdup (value));
      return TRUE;
    }
  return sotto_peer_connection_add_remote_candidate (self->pc, value, error);
}

void
sotto_call_subscription_send_rtp (SottoCallSubscription *self,
                                  GBytes                *packet)
{
  gsize len;
  const guint8 *data;

  if (!self->connected || self->closed)
    return;
  data = g_bytes_get_data (packet, &len);
  sotto_peer_connection_send_rtp (self->pc, data, len);
}

void
sotto_call_subscription_send_rtcp (SottoCallSubscription *self,
                                   GBytes                *packet)
{
  gsize len;
  const guint8 *data;

  if (!self->connected || self->closed)
    return;
  data = g_bytes_get_data (packet, &len);
  sotto_peer_connection_send_rtcp (self->pc, data, len);
}

void
sotto_call_subscription_close (SottoCallSubscription *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;

  if (self->connected && self->sender)
    sotto_media_sender_remove_subscriber (self->sender);
  if (self->pc)
    {
      g_signal_handlers_disconnect_by_data (self->pc, self);
      sotto_peer_connection_close (self->pc);
    }
  if (self->receiver)
    {
      g_signal_handlers_disconnect_by_data (self->receiver, self);
      sotto_media_receiver_stop (self->receiver);
    }
}

SottoCallSubscriptionDirection
sotto_call_subscription_get_direction (SottoCallSubscription *self)
{
  return self->direction;
}

const char *
sotto_call_subscription_get_id (SottoCallSubscription *self)
{
  return self->id;
}

const char *
sotto_call_subscription_get_stream_id (SottoCallSubscription *self)
{
  return self->stream_id;
}

const char *
sotto_call_subscription_get_peer_id (SottoCallSubscription *self)
{
  return self->peer_id;
}

void
sotto_call_subscription_set_orphaned (SottoCallSubscription *self)
{
  self->orphaned = TRUE;
}

gboolean
sotto_call_subscription_is_orphaned (SottoCallSubscription *self)
{
  return self->orphaned;
}

gboolean
sotto_call_subscription_is_connected (SottoCallSubscription *self)
{
  return self->connected && !self->closed;
}

static void
add_member_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_member_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_member_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

/* Bitrate over the interval since the previous call (stats are read about
 * once a second by both sotto-call and the app). */
static guint
sample_kbps (SottoCallSubscription *self, guint64 bytes)
{
  gint64 now = g_get_monotonic_time ();

  if (self->stats_sampled_us != 0 && now > self->stats_sampled_us && bytes >= self->stats_bytes)
    self->stats_kbps = (guint) ((bytes - self->stats_bytes) * 8 * 1000 /
                                (guint64) (now - self->stats_sampled_us));
  self->stats_sampled_us = now;
  self->stats_bytes = bytes;
  return self->stats_kbps;
}

JsonNode *
sotto_call_subscription_dup_stats (SottoCallSubscription *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  SottoPeerConnectionStats pc_stats = { 0 };

  sotto_peer_connection_get_stats (self->pc, &pc_stats);

  json_builder_begin_object (b);
  add_member_string (b, "subscription_id", self->id);
  add_member_string (b, "stream_id", self->stream_id);
  add_member_string (b, "direction", self->direction == SOTTO_CALL_SUBSCRIPTION_SEND ? "send" : "receive");
  add_member_string (b, "peer", self->peer_id);
  switch (sotto_peer_connection_get_state (self->pc))
    {
    case SOTTO_PEER_CONNECTION_STATE_CONNECTED: add_member_string (b, "state", "connected"); break;
    case SOTTO_PEER_CONNECTION_STATE_FAILED:    add_member_string (b, "state", "failed"); break;
    case SOTTO_PEER_CONNECTION_STATE_CLOSED:    add_member_string (b, "state", "closed"); break;
    case SOTTO_PEER_CONNECTION_STATE_NEW:
    case SOTTO_PEER_CONNECTION_STATE_CONNECTING:
    default:                                    add_member_string (b, "state", "connecting"); break;
    }
  json_builder_set_member_name (b, "orphaned");
  json_builder_add_boolean_value (b, self->orphaned);
  add_member_string (b, "srtp_profile", pc_stats.srtp_profile);
  add_member_int (b, "key_generation", pc_stats.key_generation);
  add_member_string (b, "rekey",
                     pc_stats.rekey_status == SOTTO_REKEY_STATUS_ACTIVE ? "active" :
                     pc_stats.rekey_status == SOTTO_REKEY_STATUS_UNSUPPORTED ? "unsupported" : "idle");
  add_member_string (b, "sas", sotto_peer_connection_get_sas (self->pc));
  add_member_string (b, "candidate_type", pc_stats.local_candidate_type);
  add_member_int (b, "auth_failures", pc_stats.auth_failures);
  add_member_int (b, "dropped_no_keys", pc_stats.dropped_no_keys);

  if (self->receiver)
    {
      SottoMediaReceiverStats rs = { 0 };

      sotto_media_receiver_get_stats (self->receiver, &rs);
      add_member_int (b, "bitrate_kbps", rs.bitrate_kbps);
      add_member_int (b, "packets_received", rs.packets_received);
      add_member_int (b, "packets_lost", rs.packets_lost);
      add_member_double (b, "jitter_ms", rs.jitter_ms);
      add_member_int (b, "frames_decoded", rs.video_frames_decoded);
      add_member_int (b, "audio_decoded", rs.audio_buffers_decoded);
      add_member_int (b, "audio_peak", rs.audio_peak);
      add_member_double (b, "fps", rs.video_fps);
      add_member_int (b, "width", rs.width);
      add_member_int (b, "height", rs.height);
      add_member_int (b, "nacks_sent", rs.nacks_sent);
      add_member_int (b, "rtx_recovered", rs.rtx_recovered);
      add_member_string (b, "codec", rs.video_codec);
      add_member_string (b, "audio_codec", rs.audio_codec);
    }
  else
    {
      add_member_int (b, "bitrate_kbps", sample_kbps (self, pc_stats.bytes_sent));
      add_member_int (b, "packets_sent", pc_stats.rtp_sent);
      add_member_int (b, "packets_lost", self->last_report.packets_lost);
      add_member_double (b, "loss_percent", self->last_report.fraction_lost * 100.0);
      add_member_double (b, "jitter_ms", self->last_report.jitter_ms);
      add_member_double (b, "rtt_ms", self->last_report.has_report ? self->last_report.rtt_ms : -1.0);
      add_member_string (b, "codec", "VP8");
      add_member_string (b, "audio_codec", "opus");
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
