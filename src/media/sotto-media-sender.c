/* sotto-media-sender.c: one capture and one encoder per track, RTP for every subscriber
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   camera/test ─ caps ─ queue(leaky) ─ vp8enc ─ rtpvp8pay ─┐        ┌─ appsink (video RTP) ─┐
 *                                                           ├ rtpbin ┼─ appsink (video RTCP) │  dispatch
 *   mic/test ─ convert ─ [webrtcdsp] ─ opusenc ─ rtpopuspay ┘  │ │   ├─ appsink (audio RTP)  ├─ queue ──▶ owner's
 *                                     appsrc (video RTCP in) ──┘ │   └─ appsink (audio RTCP) │  GMainContext
 *                                     appsrc (audio RTCP in) ────┘     (session 0 has rtprtxsend)
 *
 * The layer above fans each packet out to its subscribers (and encrypts per
 * subscriber): the pipeline exists once whatever their number.
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-config.h"

#include <glib/gi18n-lib.h>
#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/rtp/rtp.h>
#include <gst/video/video.h>
#include <string.h>

#include "sotto-media-bandwidth.h"
#include "sotto-media-dispatch.h"
#include "sotto-media-preview.h"
#include "sotto-media-private.h"
#include "sotto-media-sender.h"
#include "sotto-media-sender-private.h"

/* Items bigger than this many seconds of packets are stale: drop, do not pile up. */
#define DISPATCH_MAX_ITEMS 2048
#define BANDWIDTH_INTERVAL_MS 1000
#define RTCP_INTERVAL_NS (GST_SECOND / 2)

enum {
  PROP_0,
  PROP_N_SUBSCRIBERS,
  PROP_VIDEO_KBPS,
  N_PROPS
};

enum {
  SIGNAL_RTP_PACKET,
  SIGNAL_RTCP_PACKET,
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Dispatch tags: kind in bit 1, RTCP in bit 0. */
#define TAG(kind, rtcp) (((guint) (kind) << 1) | ((rtcp) ? 1u : 0u))


G_DEFINE_FINAL_TYPE (SottoMediaSender, sotto_media_sender, G_TYPE_OBJECT)

/* Runs on a GStreamer streaming thread (one per appsink). Only atomics and the
 * dispatch queue are touched here; the signal is emitted on the owner's context. */
static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    user_data)
{
  SottoMediaSender *self = user_data;
  guint tag = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sink), "sotto-tag"));
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  gpointer data;
  gsize size;

  if (sample == NULL)
    return GST_FLOW_EOS;
  /* Nobody to send to: drop now, so a subscriber that connects later starts from
   * a fresh keyframe instead of a burst of old packets. */
  if (!g_atomic_int_get (&self->sending))
    return GST_FLOW_OK;
  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL)
    return GST_FLOW_OK;
  gst_buffer_extract_dup (buffer, 0, gst_buffer_get_size (buffer), &data, &size);
  sotto_media_dispatch_push (self->dispatch, tag, g_bytes_new_take (data, size),
                             (GDestroyNotify) g_bytes_unref);
  return GST_FLOW_OK;
}

static void
on_dispatch (gpointer owner,
             guint    tag,
             gpointer item)
{
  SottoMediaSender *self = owner;
  SottoMediaKind kind = tag >> 1;
  GBytes *packet = item;

  /* Re-checked here: the last subscriber may have left while this was queued. */
  if (!g_atomic_int_get (&self->sending))
    return;
  if (tag & 1)
    g_signal_emit (self, signals[SIGNAL_RTCP_PACKET], 0, kind, packet);
  else
    {
      self->packets_sent++;
      self->bytes_sent += g_bytes_get_size (packet);
      g_signal_emit (self, signals[SIGNAL_RTP_PACKET], 0, kind, packet);
    }
}

/* Audio encoder's streaming thread. */
static GstPadProbeReturn
on_encoded_audio (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  SottoMediaSender *self = user_data;

  g_atomic_int_inc (&self->audio_frames_encoded);
  return GST_PAD_PROBE_OK;
}

/* Encoder's streaming thread. */
static GstPadProbeReturn
on_encoded_buffer (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  SottoMediaSender *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  g_atomic_int_inc (&self->frames_encoded);
  if (!GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    g_atomic_int_inc (&self->keyframes_encoded);
  return GST_PAD_PROBE_OK;
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  SottoMediaSender *self = user_data;
  g_autoptr (GError) error = NULL;

  if (self->failed)
    return G_SOURCE_CONTINUE;
  error = sotto_media_error_from_bus_message (message, _("Sending media failed"));
  if (error != NULL)
    {
      self->failed = TRUE;
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_bandwidth_tick (gpointer user_data)
{
  SottoMediaSender *self = user_data;
  guint before = sotto_media_bandwidth_get_target_kbps (self->bandwidth);
  guint after = sotto_media_bandwidth_update (self->bandwidth, g_get_monotonic_time ());

  if (after != before && self->encoder != NULL)
    {
      g_debug ("video target bitrate %u -> %u kbit/s", before, after);
      /* vp8enc reconfigures libvpx on the fly when this changes while playing. */
      g_object_set (self->encoder, "target-bitrate", (gint) (after * 1000), NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_KBPS]);
    }
  return G_SOURCE_CONTINUE;
}

/* rtpbin asks, while we request its send pad for a session, what goes between
 * the payloader and the session: the RTX sender for video (RFC 4588), which
 * keeps a second of packets to answer NACKs. */
static GstElement *
on_request_aux_sender (GstElement *rtpbin,
                       guint       session,
                       gpointer    user_data)
{
  SottoMediaSender *self = user_data;

  if (session != SOTTO_MEDIA_KIND_VIDEO)
    return NULL;
  return sotto_media_make_rtx_bin ("rtprtxsend", session, self->config.video_pt,
                                   self->config.video_rtx_pt, self->config.video_ssrc,
                                   self->config.video_rtx_ssrc);
}

static void
sotto_media_sender_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SottoMediaSender *self = SOTTO_MEDIA_SENDER (object);

  switch (prop_id)
    {
    case PROP_N_SUBSCRIBERS:
      g_value_set_uint (value, self->n_subscribers);
      break;
    case PROP_VIDEO_KBPS:
      g_value_set_uint (value, sotto_media_bandwidth_get_target_kbps (self->bandwidth));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_media_sender_dispose (GObject *object)
{
  SottoMediaSender *self = SOTTO_MEDIA_SENDER (object);

  /* Setting NULL joins every streaming thread, so nothing pushes to the dispatch
   * queue after this. */
  sotto_media_sender_stop (self);
  g_clear_pointer (&self->dispatch, sotto_media_dispatch_destroy);
  if (self->pipeline != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->rtpbin, self);
      gst_clear_object (&self->pipeline);
    }
  /* Only now: the preview's appsink, gone with the pipeline, pointed at it. */
  g_clear_object (&self->preview);
  self->rtpbin = NULL;
  self->encoder = NULL;
  self->video_valve = self->audio_valve = self->audio_volume = NULL;
  self->rtcp_in[0] = self->rtcp_in[1] = NULL;

  G_OBJECT_CLASS (sotto_media_sender_parent_class)->dispose (object);
}

static void
sotto_media_sender_finalize (GObject *object)
{
  SottoMediaSender *self = SOTTO_MEDIA_SENDER (object);

  g_clear_pointer (&self->bandwidth, sotto_media_bandwidth_free);
  g_free (self->echo_probe_name);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (sotto_media_sender_parent_class)->finalize (object);
}

static void
sotto_media_sender_class_init (SottoMediaSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_media_sender_get_property;
  object_class->dispose = sotto_media_sender_dispose;
  object_class->finalize = sotto_media_sender_finalize;

  properties[PROP_N_SUBSCRIBERS] =
    g_param_spec_uint ("n-subscribers", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIDEO_KBPS] =
    g_param_spec_uint ("video-kbps", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SottoMediaSender::rtp-packet:
   * @kind: a #SottoMediaKind
   * @packet: one RTP packet (plain), to encrypt and send to every subscriber
   *
   * Emitted on the owner's main context, only while there are subscribers.
   */
  signals[SIGNAL_RTP_PACKET] =
    g_signal_new ("rtp-packet", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, SOTTO_TYPE_MEDIA_KIND, G_TYPE_BYTES);
  /**
   * SottoMediaSender::rtcp-packet:
   * @kind: the rtpbin session it comes from
   * @packet: one RTCP compound packet (sender reports)
   */
  signals[SIGNAL_RTCP_PACKET] =
    g_signal_new ("rtcp-packet", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, SOTTO_TYPE_MEDIA_KIND, G_TYPE_BYTES);
  /**
   * SottoMediaSender::error:
   * @error: a SOTTO_MEDIA_ERROR; the sender stops sending
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sotto_media_sender_init (SottoMediaSender *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->camera_on = TRUE;
}

/* Frames reach the encoders only while somebody subscribes (and, for
 * video, the camera is on): a publisher alone in a call, or still
 * connecting to its first subscriber, spends no encoder time on media
 * nobody will get (VP8 at 720p30 is a quarter of a core). The self view
 * branches off before the video valve and keeps running. */
static void
update_valves (SottoMediaSender *self)
{
  if (self->video_valve != NULL)
    g_object_set (self->video_valve, "drop", !self->camera_on || self->n_subscribers == 0, NULL);
  if (self->audio_valve != NULL)
    g_object_set (self->audio_valve, "drop", self->n_subscribers == 0, NULL);
}

static guint32
random_ssrc (guint32 avoid1,
             guint32 avoid2)
{
  guint32 ssrc;

  do
    ssrc = g_random_int ();
  while (ssrc == 0 || ssrc == avoid1 || ssrc == avoid2);
  return ssrc;
}

static GstElement *
add_element (SottoMediaSender *self,
             const char       *factory,
             const char       *name,
             GError          **error)
{
  GstElement *element = sotto_media_make_element (factory, name, error);

  if (element != NULL)
    gst_bin_add (GST_BIN (self->pipeline), element);
  return element;
}

static GstElement *
add_caps_filter (SottoMediaSender *self,
                 GstCaps          *caps,
                 GError          **error)
{
  GstElement *filter = add_element (self, "capsfilter", NULL, error);

  if (filter != NULL)
    g_object_set (filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  return filter;
}

static gboolean
build_video (SottoMediaSender *self,
             GError          **error)
{
  const SottoMediaConfig *c = &self->config;
  GstElement *src, *caps, *queue, *enc, *pay;
  g_autoptr (GstPad) enc_src = NULL;
  g_autoptr (GstPad) pay_src = NULL;
  g_autoptr (GstPad) rtp_sink = NULL;
  GstCaps *raw = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "I420",
                                      "width", G_TYPE_INT, (int) c->width,
                                      "height", G_TYPE_INT, (int) c->height,
                                      "framerate", GST_TYPE_FRACTION, (int) c->fps, 1, NULL);

  if (c->video_source == SOTTO_MEDIA_SOURCE_TEST)
    {
      src = add_element (self, "videotestsrc", "video-source", error);
      if (src == NULL)
        {
          gst_caps_unref (raw);
          return FALSE;
        }
      /* A moving ball: every frame differs, so decoding is visibly checkable.
       * The ball moves with the frame count (the default): with
       * animation-mode=running-time GStreamer 1.22 draws it in the same
       * place in every frame at 15 fps. */
      g_object_set (src, "is-live", TRUE, NULL);
      gst_util_set_object_arg (G_OBJECT (src), "pattern", "ball");
      caps = add_caps_filter (self, raw, error);
      if (caps == NULL)
        return FALSE;
      if (!gst_element_link (src, caps))
        goto link_failed;
    }
  else
    {
      GstElement *convert, *scale, *rate;

      src = sotto_media_make_camera (c, error);
      if (src == NULL)
        {
          gst_caps_unref (raw);
          return FALSE;
        }
      gst_bin_add (GST_BIN (self->pipeline), src);
      if ((convert = add_element (self, "videoconvert", NULL, error)) == NULL ||
          (scale = add_element (self, "videoscale", NULL, error)) == NULL ||
          (rate = add_element (self, "videorate", NULL, error)) == NULL ||
          (caps = add_caps_filter (self, g_steal_pointer (&raw), error)) == NULL)
        {
          g_clear_pointer (&raw, gst_caps_unref);
          return FALSE;
        }
      g_object_set (rate, "drop-only", TRUE, NULL);
      if (!gst_element_link_many (src, convert, scale, rate, caps, NULL))
        goto link_failed;
    }

  if ((queue = add_element (self, "queue", NULL, error)) == NULL ||
      (self->video_valve = add_element (self, "valve", NULL, error)) == NULL ||
      (enc = add_element (self, "vp8enc", "video-encoder", error)) == NULL ||
      (pay = add_element (self, "rtpvp8pay", NULL, error)) == NULL)
    return FALSE;

  /* Capture must never wait for a slow encoder: keep one frame, drop the rest. */
  g_object_set (queue, "max-size-buffers", 1, "max-size-bytes", 0, "max-size-time", (guint64) 0,
                NULL);
  gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");
  /* Nobody subscribes yet: encode nothing (see update_valves). Caps still
   * pass, so the encoder is set up before the first subscriber arrives. */
  g_object_set (self->video_valve, "drop", TRUE, NULL);
  gst_util_set_object_arg (G_OBJECT (self->video_valve), "drop-mode", "forward-sticky-events");

  /* Realtime VP8 as WebRTC engines run it: no lookahead, constant bitrate with a
   * short client buffer, frames independent of lost partitions. One thread:
   * 720p30 needs about a quarter of a core, and libvpx's worker threads spin,
   * costing two to three times the CPU on a busy two-core machine. */
  g_object_set (enc,
                "deadline", (gint64) 1,
                "lag-in-frames", 0,
                "cpu-used", (int) c->vp8_cpu_used,
                "target-bitrate", (int) (c->video_kbps * 1000),
                "keyframe-max-dist", (int) (c->keyframe_max_dist ? c->keyframe_max_dist
                                                                  : c->fps * 10),
                "buffer-size", 1000, "buffer-initial-size", 500, "buffer-optimal-size", 600,
                "undershoot", 95, "min-quantizer", 2, "max-quantizer", 56,
                "threads", 1, NULL);
  gst_util_set_object_arg (G_OBJECT (enc), "end-usage", "cbr");
  gst_util_set_object_arg (G_OBJECT (enc), "error-resilient", "default");
  gst_util_set_object_arg (G_OBJECT (enc), "keyframe-mode", "auto");

  g_object_set (pay, "pt", c->video_pt, "ssrc", c->video_ssrc, "mtu", c->mtu, NULL);
  gst_util_set_object_arg (G_OBJECT (pay), "picture-id-mode", "15-bit");

  if (c->preview_fps > 0)
    {
      /* The self view branches off before the camera-off valve: people still
       * see themselves while deciding to turn the camera back on. */
      GstElement *tee = add_element (self, "tee", NULL, error);
      GstElement *branch;

      if (tee == NULL)
        return FALSE;
      self->preview = sotto_media_preview_new (self->context, c->preview_fps);
      if ((branch = sotto_media_preview_build (self->preview, GST_BIN (self->pipeline), error)) == NULL)
        return FALSE;
      if (!gst_element_link (caps, tee) || !gst_element_link (tee, branch))
        goto link_failed;
      caps = tee;
    }
  if (!gst_element_link_many (caps, queue, self->video_valve, enc, pay, NULL))
    goto link_failed;

  enc_src = gst_element_get_static_pad (enc, "src");
  gst_pad_add_probe (enc_src, GST_PAD_PROBE_TYPE_BUFFER, on_encoded_buffer, self, NULL);
  self->encoder = enc;

  rtp_sink = gst_element_request_pad_simple (self->rtpbin, "send_rtp_sink_0");
  pay_src = gst_element_get_static_pad (pay, "src");
  if (rtp_sink == NULL || gst_pad_link (pay_src, rtp_sink) != GST_PAD_LINK_OK)
    goto link_failed;
  return TRUE;

link_failed:
  g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
               _("Could not build the video sending pipeline"));
  return FALSE;
}

static gboolean
build_audio (SottoMediaSender *self,
             GError          **error)
{
  const SottoMediaConfig *c = &self->config;
  GstElement *src, *convert, *resample, *caps, *enc, *pay;
  GstElement *last;
  g_autoptr (GstPad) pay_src = NULL;
  g_autoptr (GstPad) rtp_sink = NULL;

  if (c->audio_source == SOTTO_MEDIA_SOURCE_TEST)
    {
      src = add_element (self, "audiotestsrc", "audio-source", error);
      if (src == NULL)
        return FALSE;
      g_object_set (src, "is-live", TRUE, "freq", 440.0, "volume", 0.3,
                    "samplesperbuffer", 960, NULL);
      gst_util_set_object_arg (G_OBJECT (src), "wave", "sine");
    }
  else
    {
      src = sotto_media_make_microphone (c, error);
      if (src == NULL)
        return FALSE;
      gst_bin_add (GST_BIN (self->pipeline), src);
    }

  if ((convert = add_element (self, "audioconvert", NULL, error)) == NULL ||
      (resample = add_element (self, "audioresample", NULL, error)) == NULL ||
      (caps = add_caps_filter (self,
                               gst_caps_new_simple ("audio/x-raw",
                                                    "format", G_TYPE_STRING, "S16LE",
                                                    "rate", G_TYPE_INT, 48000,
                                                    "channels", G_TYPE_INT, 1, NULL),
                               error)) == NULL)
    return FALSE;
  if (!gst_element_link_many (src, convert, resample, caps, NULL))
    goto link_failed;
  last = caps;

  if (c->audio_source == SOTTO_MEDIA_SOURCE_DEVICES || c->echo_probe_name != NULL)
    {
      GstElement *dsp = add_element (self, "webrtcdsp", NULL, error);

      if (dsp == NULL)
        return FALSE;
      /* Noise suppression and gain control on the microphone; echo cancellation
       * against what the call's SottoMediaOutput plays (its probe must exist
       * when we start, see docs/media.md). */
      g_object_set (dsp, "echo-cancel", c->echo_probe_name != NULL, "noise-suppression", TRUE,
                    "gain-control", TRUE, "high-pass-filter", TRUE, NULL);
      if (c->echo_probe_name != NULL)
        g_object_set (dsp, "probe", c->echo_probe_name, NULL);
      if (!gst_element_link (last, dsp))
        goto link_failed;
      last = dsp;
    }

  /* Muting sends silence, which Opus's DTX turns into a trickle of tiny
   * packets: the stream's timing survives, the bandwidth goes. */
  if ((self->audio_volume = add_element (self, "volume", NULL, error)) == NULL ||
      (self->audio_valve = add_element (self, "valve", NULL, error)) == NULL ||
      (enc = add_element (self, "opusenc", "audio-encoder", error)) == NULL ||
      (pay = add_element (self, "rtpopuspay", NULL, error)) == NULL)
    return FALSE;
  /* As for video (update_valves): no Opus encoding for nobody. The echo
   * canceller, before the valve, keeps running. */
  g_object_set (self->audio_valve, "drop", TRUE, NULL);
  gst_util_set_object_arg (G_OBJECT (self->audio_valve), "drop-mode", "forward-sticky-events");
  if (!gst_element_link_many (last, self->audio_volume, self->audio_valve, NULL))
    goto link_failed;
  last = self->audio_valve;
  g_object_set (enc, "bitrate", (int) (c->audio_kbps * 1000), "inband-fec", TRUE, "dtx", TRUE,
                "packet-loss-percentage", 10, NULL);
  gst_util_set_object_arg (G_OBJECT (enc), "audio-type", "voice");
  g_object_set (pay, "pt", c->audio_pt, "ssrc", c->audio_ssrc, "mtu", c->mtu, NULL);
  if (!gst_element_link_many (last, enc, pay, NULL))
    goto link_failed;
  {
    g_autoptr (GstPad) enc_src = gst_element_get_static_pad (enc, "src");

    gst_pad_add_probe (enc_src, GST_PAD_PROBE_TYPE_BUFFER, on_encoded_audio, self, NULL);
  }

  rtp_sink = gst_element_request_pad_simple (self->rtpbin, "send_rtp_sink_1");
  pay_src = gst_element_get_static_pad (pay, "src");
  if (rtp_sink == NULL || gst_pad_link (pay_src, rtp_sink) != GST_PAD_LINK_OK)
    goto link_failed;
  return TRUE;

link_failed:
  g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
               _("Could not build the audio sending pipeline"));
  return FALSE;
}

/* rtpbin's send_rtp_src_N / send_rtcp_src_N to appsinks, RTCP feedback in from an
 * appsrc. */
static gboolean
build_session_io (SottoMediaSender *self,
                  SottoMediaKind    kind,
                  GError          **error)
{
  g_autofree char *rtp_src_name = g_strdup_printf ("send_rtp_src_%u", kind);
  g_autofree char *rtcp_src_name = g_strdup_printf ("send_rtcp_src_%u", kind);
  g_autofree char *rtcp_sink_name = g_strdup_printf ("recv_rtcp_sink_%u", kind);
  g_autoptr (GstPad) rtp_src = NULL;
  g_autoptr (GstPad) rtcp_src = NULL;
  g_autoptr (GstPad) rtcp_sink = NULL;
  g_autoptr (GstPad) sink_pad = NULL;
  g_autoptr (GstPad) rtcp_sink_pad = NULL;
  g_autoptr (GstPad) in_pad = NULL;
  g_autoptr (GObject) session = NULL;
  GstElement *rtp_out, *rtcp_out, *rtcp_in;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  g_autoptr (GstCaps) rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");

  if ((rtp_out = add_element (self, "appsink", NULL, error)) == NULL ||
      (rtcp_out = add_element (self, "appsink", NULL, error)) == NULL ||
      (rtcp_in = add_element (self, "appsrc", NULL, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < 2; i++)
    {
      GstElement *sink = i == 0 ? rtp_out : rtcp_out;

      /* Packets leave as soon as they exist; the network paces them, not a clock. */
      g_object_set (sink, "sync", FALSE, "async", FALSE, "max-buffers", 0, "drop", FALSE,
                    "enable-last-sample", FALSE, NULL);
      g_object_set_data (G_OBJECT (sink), "sotto-tag", GUINT_TO_POINTER (TAG (kind, i == 1)));
      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
    }
  g_object_set (rtcp_in, "is-live", TRUE, "do-timestamp", TRUE, "caps", rtcp_caps,
                "max-bytes", (guint64) 256 * 1024, NULL);
  gst_util_set_object_arg (G_OBJECT (rtcp_in), "format", "time");
  gst_util_set_object_arg (G_OBJECT (rtcp_in), "leaky-type", "downstream");
  self->rtcp_in[kind] = rtcp_in;

  rtp_src = gst_element_get_static_pad (self->rtpbin, rtp_src_name);
  sink_pad = gst_element_get_static_pad (rtp_out, "sink");
  rtcp_src = gst_element_request_pad_simple (self->rtpbin, rtcp_src_name);
  rtcp_sink_pad = gst_element_get_static_pad (rtcp_out, "sink");
  rtcp_sink = gst_element_request_pad_simple (self->rtpbin, rtcp_sink_name);
  in_pad = gst_element_get_static_pad (rtcp_in, "src");
  if (rtp_src == NULL || rtcp_src == NULL || rtcp_sink == NULL ||
      gst_pad_link (rtp_src, sink_pad) != GST_PAD_LINK_OK ||
      gst_pad_link (rtcp_src, rtcp_sink_pad) != GST_PAD_LINK_OK ||
      gst_pad_link (in_pad, rtcp_sink) != GST_PAD_LINK_OK)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                   _("Could not connect the RTP session"));
      return FALSE;
    }

  /* Report twice a second rather than every five: bitrate adaptation and the
   * receivers' statistics react within a second. */
  g_signal_emit_by_name (self->rtpbin, "get-internal-session", kind, &session);
  if (session != NULL)
    g_object_set (session, "rtcp-min-interval", (guint64) RTCP_INTERVAL_NS, NULL);
  return TRUE;
}

static gboolean
check_elements (const SottoMediaConfig *config,
                GError                **error)
{
  /* Elements created inside rtpbin callbacks cannot report errors there. */
  g_autoptr (GstElement) rtx = NULL;

  if (config->send_video)
    {
      rtx = sotto_media_make_element ("rtprtxsend", NULL, error);
      if (rtx == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * sotto_media_sender_new:
 * @config: what to capture and how to encode it; zero SSRCs are chosen at random
 *
 * Builds the pipeline (it does not start capturing). Fails with
 * SOTTO_MEDIA_ERROR_MISSING_ELEMENT naming the package when a plugin is missing.
 * Signals are emitted on the thread-default main context of the caller.
 */
SottoMediaSender *
sotto_media_sender_new (const SottoMediaConfig *config,
                        GError                **error)
{
  g_autoptr (SottoMediaSender) self = NULL;
  g_autoptr (GstBus) bus = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sotto_media_config_validate (config, error))
    return NULL;
  if (!config->send_video && !config->send_audio)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("Nothing to send: enable video or audio"));
      return NULL;
    }
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  if (!check_elements (config, error))
    return NULL;

  self = g_object_new (SOTTO_TYPE_MEDIA_SENDER, NULL);
  self->config = *config;
  self->echo_probe_name = g_strdup (config->echo_probe_name);
  self->config.echo_probe_name = self->echo_probe_name;
  if (self->config.video_ssrc == 0)
    self->config.video_ssrc = random_ssrc (self->config.audio_ssrc, self->config.video_rtx_ssrc);
  if (self->config.video_rtx_ssrc == 0)
    self->config.video_rtx_ssrc = random_ssrc (self->config.video_ssrc, self->config.audio_ssrc);
  if (self->config.audio_ssrc == 0)
    self->config.audio_ssrc = random_ssrc (self->config.video_ssrc, self->config.video_rtx_ssrc);
  self->bandwidth = sotto_media_bandwidth_new (config->video_kbps, config->video_min_kbps,
                                               config->video_max_kbps);
  self->dispatch = sotto_media_dispatch_new (self->context, on_dispatch, self, DISPATCH_MAX_ITEMS);

  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("sotto-sender"));
  self->rtpbin = sotto_media_make_element ("rtpbin", NULL, error);
  if (self->rtpbin == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), self->rtpbin);
  g_object_set (self->rtpbin, "rtp-profile", GST_RTP_PROFILE_AVPF, NULL);
  g_signal_connect (self->rtpbin, "request-aux-sender", G_CALLBACK (on_request_aux_sender), self);

  if (config->send_video &&
      (!build_video (self, error) || !build_session_io (self, SOTTO_MEDIA_KIND_VIDEO, error)))
    return NULL;
  if (config->send_audio &&
      (!build_audio (self, error) || !build_session_io (self, SOTTO_MEDIA_KIND_AUDIO, error)))
    return NULL;
  /* The caller's strings were only needed to pick the devices. */
  self->config.video_device = NULL;
  self->config.audio_device = NULL;

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) on_bus_message, self, NULL);
  g_source_attach (self->bus_source, self->context);

  return g_steal_pointer (&self);
}

gboolean
sotto_media_sender_start (SottoMediaSender *self,
                          GError          **error)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_SENDER (self), FALSE);

  if (self->started)
    return TRUE;
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                   _("Could not start capturing: is the camera or microphone in use?"));
      return FALSE;
    }
  self->started = TRUE;
  self->failed = FALSE;
  self->bandwidth_timer = g_timeout_source_new (BANDWIDTH_INTERVAL_MS);
  g_source_set_callback (self->bandwidth_timer, on_bandwidth_tick, self, NULL);
  g_source_attach (self->bandwidth_timer, self->context);
  return TRUE;
}

void
sotto_media_sender_stop (SottoMediaSender *self)
{
  g_return_if_fail (SOTTO_IS_MEDIA_SENDER (self));

  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->bandwidth_timer != NULL)
    {
      g_source_destroy (self->bandwidth_timer);
      g_clear_pointer (&self->bandwidth_timer, g_source_unref);
    }
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->dispatch != NULL)
    sotto_media_dispatch_clear (self->dispatch);
  self->started = FALSE;
}

/* Each new subscriber gets a keyframe to start from. Sending begins with the first. */
void
sotto_media_sender_add_subscriber (SottoMediaSender *self)
{
  g_return_if_fail (SOTTO_IS_MEDIA_SENDER (self));

  self->n_subscribers++;
  if (self->n_subscribers == 1)
    g_atomic_int_set (&self->sending, 1);
  update_valves (self);
  sotto_media_sender_request_keyframe (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SUBSCRIBERS]);
}

void
sotto_media_sender_remove_subscriber (SottoMediaSender *self)
{
  g_return_if_fail (SOTTO_IS_MEDIA_SENDER (self));
  g_return_if_fail (self->n_subscribers > 0);

  self->n_subscribers--;
  if (self->n_subscribers == 0)
    {
      g_atomic_int_set (&self->sending, 0);
      update_valves (self);
      sotto_media_dispatch_clear (self->dispatch);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SUBSCRIBERS]);
}

guint
sotto_media_sender_get_n_subscribers (SottoMediaSender *self)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_SENDER (self), 0);
  return self->n_subscribers;
}

/* The same path a PLI takes inside rtpbin: an upstream force-key-unit event
 * that the encoder turns into a keyframe on its next frame. */
void
sotto_media_sender_request_keyframe (SottoMediaSender *self)
{
  g_autoptr (GstPad) pad = NULL;

  g_return_if_fail (SOTTO_IS_MEDIA_SENDER (self));

  if (self->encoder == NULL)
    return;
  pad = gst_element_get_static_pad (self->encoder, "src");
  gst_pad_send_event (pad, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                        TRUE, 0));
}

guint32
sotto_media_sender_get_ssrc (SottoMediaSender *self,
                             SottoMediaKind    kind)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_SENDER (self), 0);
  return kind == SOTTO_MEDIA_KIND_VIDEO ? self->config.video_ssrc : self->config.audio_ssrc;
}

guint32
sotto_media_sender_get_rtx_ssrc (SottoMediaSender *self)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_SENDER (self), 0);
  return self->config.video_rtx_ssrc;
}

const SottoMediaConfig *
sotto_media_sender_get_config (SottoMediaSender *self)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_SENDER (self), NULL);
  return &self->config;
}

void
sotto_media_sender_set_enabled (SottoMediaSender *self,
                                SottoMediaKind    kind,
                                gboolean          enabled)
{
  g_return_if_fail (SOTTO_IS_MEDIA_SENDER (self));

  if (kind == SOTTO_MEDIA_KIND_AUDIO && self->audio_volume != NULL)
    g_object_set (self->audio_volume, "mute", !enabled, NULL);
  else if (kind == SOTTO_MEDIA_KIND_VIDEO && self->video_valve != NULL)
    {
      gboolean was_off = !self->camera_on;

      self->camera_on = enabled;
      update_valves (self);
      /* Subscribers decode from a keyframe again after the gap. */
      if (enabled && was_off)
        sotto_media_sender_request_keyframe (self);
    }
}

gboolean
sotto_media_sender_get_enabled (SottoMediaSender *self,
                                SottoMediaKind    kind)
{
  gboolean off = FALSE;

  g_return_val_if_fail (SOTTO_IS_MEDIA_SENDER (self), FALSE);

  if (kind == SOTTO_MEDIA_KIND_AUDIO && self->audio_volume != NULL)
    g_object_get (self->audio_volume, "mute", &off, NULL);
  else if (kind == SOTTO_MEDIA_KIND_VIDEO && self->video_valve != NULL)
    off = !self->camera_on;
  else
    return FALSE;
  return !off;
}

SottoMediaPreview *
sotto_media_sender_get_preview (SottoMediaSender *self)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_SENDER (self), NULL);
  return self->preview;
}
