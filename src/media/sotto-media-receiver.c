/* sotto-media-receiver.c: one subscription: jitter buffer, decode, frames out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   appsrc (video RTP) ─┐          ┌─ rtpvp8depay ─ vp8dec ─ videoconvert ─ RGBA ─ appsink ─┐
 *   appsrc (video RTCP)─┤          │                                                        │ dispatch
 *   appsrc (audio RTP) ─┼─ rtpbin ─┼─ rtpopusdepay ─ opusdec ─ convert ─ audio sink          ├─▶ owner's
 *   appsrc (audio RTCP)─┘ (jitter  ├─ appsink (video RTCP: RR, NACK, PLI) ────────────────────┤  GMainContext
 *                         buffers, └─ appsink (audio RTCP) ───────────────────────────────────┘
 *                         rtprtxreceive on session 0)
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-config.h"

#include <glib/gi18n-lib.h>
#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/rtp/rtp.h>
#include <gst/video/video.h>
#include <string.h>

#include "sotto-media-dispatch.h"
#include "sotto-media-output-private.h"
#include "sotto-media-private.h"
#include "sotto-media-receiver.h"

#define DISPATCH_MAX_ITEMS 256
#define STATS_INTERVAL_MS 1000
#define RTCP_INTERVAL_NS (GST_SECOND / 2)
#define PLI_MIN_INTERVAL_US (300 * G_TIME_SPAN_MILLISECOND)

enum {
  SIGNAL_VIDEO_FRAME,
  SIGNAL_RTCP_PACKET,
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  TAG_VIDEO_FRAME,
  TAG_RTCP_VIDEO,
  TAG_RTCP_AUDIO,
};

struct _SottoMediaReceiver {
  GObject             parent_instance;

  SottoMediaConfig    config;         /* remote SSRCs learnt from the first packets */
  GMainContext       *context;

  GstElement         *pipeline;
  GstElement         *rtpbin;         /* borrowed */
  GstElement         *rtp_in[2];      /* appsrc per session, borrowed */
  GstElement         *rtcp_in[2];
  SottoMediaOutput   *output;         /* shared audio output, or NULL */
  GstElement         *output_input;   /* our appsrc in it */
  GstElement         *video_depay;    /* borrowed; linked when rtpbin exposes the stream */
  GstElement         *audio_depay;
  SottoMediaDispatch *dispatch;
  GSource            *bus_source;
  GSource            *stats_timer;
  gboolean            started;
  gboolean            failed;

  /* Owner's thread */
  guint64             packets_received;
  guint64             bytes_received;
  guint64             bytes_at_tick;
  guint               bitrate_kbps;
  guint64             frames_delivered;
  guint64             frames_at_tick;
  gint64              last_tick_us;
  double              fps;
  guint               width;
  guint               height;
  guint64             nacks_sent;
  guint64             keyframe_requests_sent;

  /* Streaming threads, atomic */
  guint               remote_video_ssrc; /* copy of config.video_ssrc for the feedback probe */
  gint64              last_pli_us;       /* only touched by the video jitter buffer's thread */
  gint                frames_decoded;
  gint                audio_buffers;
  gint                audio_peak;
};

G_DEFINE_FINAL_TYPE (SottoMediaReceiver, sotto_media_receiver, G_TYPE_OBJECT)

typedef struct {
  GstBuffer *buffer;
  GstMapInfo map;
} MappedBuffer;

static void
mapped_buffer_free (gpointer data)
{
  MappedBuffer *m = data;

  gst_buffer_unmap (m->buffer, &m->map);
  gst_buffer_unref (m->buffer);
  g_free (m);
}

static void
emit_video_frame (SottoMediaReceiver *self,
                  GstSample          *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  MappedBuffer *m;
  g_autoptr (GBytes) pixels = NULL;
  GstVideoMeta *meta;
  guint stride;

  if (buffer == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return;
  m = g_new0 (MappedBuffer, 1);
  m->buffer = gst_buffer_ref (buffer);
  if (!gst_buffer_map (m->buffer, &m->map, GST_MAP_READ))
    {
      gst_buffer_unref (m->buffer);
      g_free (m);
      return;
    }
  meta = gst_buffer_get_video_meta (buffer);
  stride = meta != NULL ? (guint) meta->stride[0] : (guint) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
  /* Zero copy: the GBytes keeps the decoded buffer mapped until the renderer drops it. */
  pixels = g_bytes_new_with_free_func (m->map.data, m->map.size, mapped_buffer_free, m);

  self->width = GST_VIDEO_INFO_WIDTH (&info);
  self->height = GST_VIDEO_INFO_HEIGHT (&info);
  self->frames_delivered++;
  g_signal_emit (self, signals[SIGNAL_VIDEO_FRAME], 0, self->width, self->height, stride, pixels);
}

static void
count_outgoing_feedback (SottoMediaReceiver *self,
                         GBytes             *packet)
{
  guint32 video[2] = { self->config.video_ssrc, self->config.video_rtx_ssrc };
  SottoMediaRtcpFeedback fb;

  if (video[0] != 0 && sotto_media_rtcp_parse_feedback (packet, video, 2, &fb))
    {
      self->nacks_sent += fb.n_nack;
      self->keyframe_requests_sent += fb.n_pli + fb.n_fir;
    }
}

static void
on_dispatch (gpointer owner,
             guint    tag,
             gpointer item)
{
  SottoMediaReceiver *self = owner;

  switch (tag)
    {
    case TAG_VIDEO_FRAME:
      emit_video_frame (self, item);
      break;
    case TAG_RTCP_VIDEO:
    case TAG_RTCP_AUDIO:
      count_outgoing_feedback (self, item);
      g_signal_emit (self, signals[SIGNAL_RTCP_PACKET], 0,
                     tag == TAG_RTCP_VIDEO ? SOTTO_MEDIA_KIND_VIDEO : SOTTO_MEDIA_KIND_AUDIO,
                     item);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Streaming threads of the appsinks: hand over to the owner's context. */
static GstFlowReturn
on_new_video_sample (GstAppSink *sink,
                     gpointer    user_data)
{
  SottoMediaReceiver *self = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  sotto_media_dispatch_push (self->dispatch, TAG_VIDEO_FRAME, sample,
                             (GDestroyNotify) gst_sample_unref);
  return GST_FLOW_OK;
}

static GstFlowReturn
on_new_rtcp_sample (GstAppSink *sink,
                    gpointer    user_data)
{
  SottoMediaReceiver *self = user_data;
  guint tag = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sink), "sotto-tag"));
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  gpointer data;
  gsize size;

  if (sample == NULL)
    return GST_FLOW_EOS;
  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL)
    return GST_FLOW_OK;
  gst_buffer_extract_dup (buffer, 0, gst_buffer_get_size (buffer), &data, &size);
  sotto_media_dispatch_push (self->dispatch, tag, g_bytes_new_take (data, size),
                             (GDestroyNotify) g_bytes_unref);
  return GST_FLOW_OK;
}

/* Decoder threads: counters only. */
static GstPadProbeReturn
on_video_decoded (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  SottoMediaReceiver *self = user_data;

  g_atomic_int_inc (&self->frames_decoded);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_audio_decoded (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  SottoMediaReceiver *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  gint peak = 0;

  g_atomic_int_inc (&self->audio_buffers);
  /* opusdec outputs interleaved S16 in native order. */
  if (gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      const gint16 *samples = (const gint16 *) map.data;

      for (gsize i = 0; i < map.size / 2; i++)
        peak = MAX (peak, ABS ((gint) samples[i]));
      gst_buffer_unmap (buffer, &map);
    }
  if (peak > g_atomic_int_get (&self->audio_peak))
    g_atomic_int_set (&self->audio_peak, MIN (peak, 32767));
  return GST_PAD_PROBE_OK;
}

/* rtpbin's streaming thread: a new stream (SSRC, PT) was demuxed. Only the
 * first of each kind is decoded; a sender that restarts keeps its SSRC. */
static void
on_pad_added (GstElement *rtpbin,
              GstPad     *pad,
              gpointer    user_data)
{
  SottoMediaReceiver *self = user_data;
  const char *name = GST_PAD_NAME (pad);
  GstElement *depay;
  g_autoptr (GstPad) sink = NULL;

  if (g_str_has_prefix (name, "recv_rtp_src_0_"))
    depay = self->video_depay;
  else if (g_str_has_prefix (name, "recv_rtp_src_1_"))
    depay = self->audio_depay;
  else
    return;
  sink = gst_element_get_static_pad (depay, "sink");
  if (gst_pad_is_linked (sink))
    {
      /* A second stream of the same kind (a new SSRC after the remote
       * restarted, an unexpected payload type): swallow it, since an unlinked
       * pad would stop the whole session with not-linked. */
      GstElement *discard = gst_element_factory_make ("fakesink", NULL);

      g_debug ("discarding extra stream %s", name);
      gst_clear_object (&sink);
      if (discard == NULL)
        return;
      g_object_set (discard, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (self->pipeline), discard);
      gst_element_sync_state_with_parent (discard);
      sink = gst_element_get_static_pad (discard, "sink");
    }
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    g_debug ("could not link %s", name);
}

/* Streaming thread; reads only the immutable part of the config. */
static GstCaps *
on_request_pt_map (GstElement *rtpbin,
                   guint       session,
                   guint       pt,
                   gpointer    user_data)
{
  SottoMediaReceiver *self = user_data;

  return sotto_media_rtp_caps (&self->config, session, pt);
}

/* Between appsrc and the video session: turns RTX packets back into the
 * original stream (RFC 4588) before the jitter buffer sees them. */
static GstElement *
on_request_aux_receiver (GstElement *rtpbin,
                         guint       session,
                         gpointer    user_data)
{
  SottoMediaReceiver *self = user_data;

  if (session != SOTTO_MEDIA_KIND_VIDEO)
    return NULL;
  return sotto_media_make_rtx_bin ("rtprtxreceive", session, self->config.video_pt,
                                   self->config.video_rtx_pt, 0, 0);
}

/* Streaming thread: remember which session a jitter buffer serves, for stats.
 * Only video has RTX; NACKs for audio would go unanswered (Opus FEC covers it). */
static void
on_new_jitterbuffer (GstElement *rtpbin,
                     GstElement *jitterbuffer,
                     guint       session,
                     guint       ssrc,
                     gpointer    user_data)
{
  SottoMediaReceiver *self = user_data;

  g_object_set_data (G_OBJECT (jitterbuffer), "sotto-session", GUINT_TO_POINTER (session + 1));

  /* With one packet per frame a loss is only noticed when the next frame comes,
   * after our deadline; so the jitter buffer also asks for a packet that is
   * late (rtx-next-seqnum), but only two thirds into the budget: earlier, the
   * encoder's own timing jitter makes it NACK packets that were on their way. */
  g_object_set (jitterbuffer, "do-retransmission", session == SOTTO_MEDIA_KIND_VIDEO,
                "rtx-next-seqnum", TRUE,
                "rtx-min-delay", self->config.jitter_latency_ms * 2 / 3, NULL);
}

/* Jitter buffer thread: feedback on its way up to rtpsession. rtpsession follows
 * RFC 4585's early-feedback timing (one early packet per regular interval),
 * which holds NACKs past our 60 ms jitter budget and PLIs for up to a report
 * interval; WebRTC endpoints send feedback at once, and so do we. */
static GstPadProbeReturn
on_feedback_event (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  SottoMediaReceiver *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  const GstStructure *s;
  guint ssrc = 0, seqnum = 0, own_ssrc = 0;
  g_autoptr (GObject) session = NULL;
  GBytes *packet = NULL;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_UPSTREAM ||
      (s = gst_event_get_structure (event)) == NULL)
    return GST_PAD_PROBE_OK;

  g_signal_emit_by_name (self->rtpbin, "get-internal-session", SOTTO_MEDIA_KIND_VIDEO, &session);
  if (session != NULL)
    g_object_get (session, "internal-ssrc", &own_ssrc, NULL);

  if (gst_structure_has_name (s, "GstRTPRetransmissionRequest") &&
      gst_structure_get_uint (s, "ssrc", &ssrc) && gst_structure_get_uint (s, "seqnum", &seqnum))
    {
      packet = sotto_media_rtcp_make_feedback (GST_RTCP_RTPFB_TYPE_NACK, GST_RTCP_TYPE_RTPFB, own_ssrc, ssrc,
                              (gint) (seqnum & 0xffff));
      sotto_media_dispatch_push (self->dispatch, TAG_RTCP_VIDEO, packet,
                                 (GDestroyNotify) g_bytes_unref);
      /* rtprtxreceive (below us) already saw the request and will map the answer. */
      return GST_PAD_PROBE_DROP;
    }
  if (gst_video_event_is_force_key_unit (event))
    {
      guint32 remote = g_atomic_int_get ((gint *) &self->remote_video_ssrc);
      gint64 now = g_get_monotonic_time ();

      /* One request per interval: every late packet of a struggling stream
       * would otherwise ask for a keyframe, and keyframes make it worse. */
      if (remote == 0 || now - self->last_pli_us < PLI_MIN_INTERVAL_US)
        return GST_PAD_PROBE_DROP;
      self->last_pli_us = now;
      packet = sotto_media_rtcp_make_feedback (GST_RTCP_PSFB_TYPE_PLI, GST_RTCP_TYPE_PSFB, own_ssrc, remote, -1);
      sotto_media_dispatch_push (self->dispatch, TAG_RTCP_VIDEO, packet,
                                 (GDestroyNotify) g_bytes_unref);
      return GST_PAD_PROBE_DROP;
    }
  return GST_PAD_PROBE_OK;
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  SottoMediaReceiver *self = user_data;
  g_autoptr (GError) error = NULL;

  if (self->failed)
    return G_SOURCE_CONTINUE;
  error = sotto_media_error_from_bus_message (message, _("Receiving media failed"));
  if (error != NULL)
    {
      self->failed = TRUE;
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_stats_tick (gpointer user_data)
{
  SottoMediaReceiver *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double seconds = (now - self->last_tick_us) / (double) G_USEC_PER_SEC;

  if (seconds > 0)
    {
      self->bitrate_kbps = (guint) ((self->bytes_received - self->bytes_at_tick) * 8 /
                                    (seconds * 1000));
      self->fps = (self->frames_delivered - self->frames_at_tick) / seconds;
    }
  self->bytes_at_tick = self->bytes_received;
  self->frames_at_tick = self->frames_delivered;
  self->last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static void
sotto_media_receiver_dispose (GObject *object)
{
  SottoMediaReceiver *self = SOTTO_MEDIA_RECEIVER (object);

  sotto_media_receiver_stop (self);
  g_clear_pointer (&self->dispatch, sotto_media_dispatch_destroy);
  /* Our streaming threads are gone (stop), so nothing pushes to the input now. */
  if (self->output_input != NULL)
    {
      sotto_media_output_remove_input (self->output, self->output_input);
      gst_clear_object (&self->output_input);
    }
  g_clear_object (&self->output);
  if (self->pipeline != NULL)
    {
      if (self->rtpbin != NULL)
        g_signal_handlers_disconnect_by_data (self->rtpbin, self);
      gst_clear_object (&self->pipeline);
    }
  self->rtpbin = NULL;
  self->video_depay = self->audio_depay = NULL;
  memset (self->rtp_in, 0, sizeof self->rtp_in);
  memset (self->rtcp_in, 0, sizeof self->rtcp_in);

  G_OBJECT_CLASS (sotto_media_receiver_parent_class)->dispose (object);
}

static void
sotto_media_receiver_finalize (GObject *object)
{
  SottoMediaReceiver *self = SOTTO_MEDIA_RECEIVER (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (sotto_media_receiver_parent_class)->finalize (object);
}

static void
sotto_media_receiver_class_init (SottoMediaReceiverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_media_receiver_dispose;
  object_class->finalize = sotto_media_receiver_finalize;

  /**
   * SottoMediaReceiver::video-frame:
   * @width: pixels
   * @height: pixels
   * @stride: bytes per row
   * @pixels: RGBA, 8 bits per channel (GDK_MEMORY_R8G8B8A8), height × stride bytes
   *
   * A decoded frame, on the owner's main context, at its presentation time.
   */
  signals[SIGNAL_VIDEO_FRAME] =
    g_signal_new ("video-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BYTES);
  /**
   * SottoMediaReceiver::rtcp-packet:
   * @kind: the session it belongs to
   * @packet: RTCP for the sender (receiver reports, NACK, PLI)
   */
  signals[SIGNAL_RTCP_PACKET] =
    g_signal_new ("rtcp-packet", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, SOTTO_TYPE_MEDIA_KIND, G_TYPE_BYTES);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sotto_media_receiver_init (SottoMediaReceiver *self)
{
  self->context = g_main_context_ref_thread_default ();
}

static GstElement *
add_element (SottoMediaReceiver *self,
             const char         *factory,
             GError            **error)
{
  GstElement *element = sotto_media_make_element (factory, NULL, error);

  if (element != NULL)
    gst_bin_add (GST_BIN (self->pipeline), element);
  return element;
}

static gboolean
build_video (SottoMediaReceiver *self,
             GError            **error)
{
  GstElement *depay, *dec, *sink, *convert = NULL, *caps = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_video_sample };
  g_autoptr (GstCaps) rgba = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING,
                                                  "RGBA", NULL);
  g_autoptr (GstPad) dec_src = NULL;

  if ((depay = add_element (self, "rtpvp8depay", error)) == NULL ||
      (dec = add_element (self, "vp8dec", error)) == NULL ||
      (sink = add_element (self, "appsink", error)) == NULL)
    return FALSE;
  if (!self->config.native_video_frames &&
      ((convert = add_element (self, "videoconvert", error)) == NULL ||
       (caps = add_element (self, "capsfilter", error)) == NULL))
    return FALSE;

  /* After a loss nothing is decoded until the next keyframe (no smeared frames),
   * and the loss itself asks the sender for one (PLI). */
  g_object_set (depay, "wait-for-keyframe", TRUE, "request-keyframe", TRUE, NULL);
  /* Single-threaded for the same reason as the encoder (see the sender). */
  g_object_set (dec, "threads", 1, NULL);
  if (!self->config.native_video_frames)
    g_object_set (caps, "caps", rgba, NULL);
  /* A renderer that falls behind gets the newest frame, not a backlog. */
  g_object_set (sink, "sync", TRUE, "async", FALSE, "max-buffers", 2, "drop", TRUE,
                "enable-last-sample", FALSE, "qos", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  if (self->config.native_video_frames ? !gst_element_link_many (depay, dec, sink, NULL)
                                        : !gst_element_link_many (depay, dec, convert, caps, sink, NULL))
    return FALSE;

  dec_src = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (dec_src, GST_PAD_PROBE_TYPE_BUFFER, on_video_decoded, self, NULL);
  self->video_depay = depay;
  return TRUE;
}

/* Streaming thread of the audio appsink (output mode): the buffer goes straight
 * into the shared output's appsrc, which is thread-safe. */
static GstFlowReturn
on_new_audio_sample (GstAppSink *sink,
                     gpointer    user_data)
{
  SottoMediaReceiver *self = user_data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (gst_sample_get_buffer (sample) != NULL)
    sotto_media_output_push (self->output_input, gst_sample_get_buffer (sample));
  return GST_FLOW_OK;
}

static gboolean
build_audio (SottoMediaReceiver *self,
             GError            **error)
{
  GstElement *depay, *dec, *convert, *resample, *caps, *sink;
  const char *sink_factory;
  g_autoptr (GstPad) dec_src = NULL;

  /* With a shared output, audio is mixed there (and passes the echo probe);
   * without one, each subscription plays on its own. */
  if (self->output != NULL)
    sink_factory = "appsink";
  else
    sink_factory = self->config.fake_audio_sink ? "fakesink" : "autoaudiosink";
  if ((depay = add_element (self, "rtpopusdepay", error)) == NULL ||
      (dec = add_element (self, "opusdec", error)) == NULL ||
      (convert = add_element (self, "audioconvert", error)) == NULL ||
      (resample = add_element (self, "audioresample", error)) == NULL ||
      (caps = add_element (self, "capsfilter", error)) == NULL ||
      (sink = add_element (self, sink_factory, error)) == NULL)
    return FALSE;

  /* FEC needs PLC; the jitter buffer's lost-packet events (do-lost) drive both. */
  g_object_set (dec, "use-inband-fec", TRUE, "plc", TRUE, NULL);
  g_object_set (sink, "sync", TRUE, "async", FALSE, NULL);
  if (self->output != NULL)
    {
      g_autoptr (GstCaps) mono = gst_caps_from_string (SOTTO_MEDIA_OUTPUT_CAPS);
      GstAppSinkCallbacks callbacks = { .new_sample = on_new_audio_sample };

      g_object_set (caps, "caps", mono, NULL);
      g_object_set (sink, "enable-last-sample", FALSE, NULL);
      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
    }
  if (!gst_element_link_many (depay, dec, convert, resample, caps, sink, NULL))
    return FALSE;

  dec_src = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (dec_src, GST_PAD_PROBE_TYPE_BUFFER, on_audio_decoded, self, NULL);
  self->audio_depay = depay;
  return TRUE;
}

static gboolean
build_session_io (SottoMediaReceiver *self,
                  SottoMediaKind      kind,
                  GError            **error)
{
  g_autofree char *rtp_sink_name = g_strdup_printf ("recv_rtp_sink_%u", kind);
  g_autofree char *rtcp_sink_name = g_strdup_printf ("recv_rtcp_sink_%u", kind);
  g_autofree char *rtcp_src_name = g_strdup_printf ("send_rtcp_src_%u", kind);
  g_autoptr (GstCaps) rtp_caps = gst_caps_new_empty_simple ("application/x-rtp");
  g_autoptr (GstCaps) rtcp_caps = gst_caps_new_empty_simple ("application/x-rtcp");
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_rtcp_sample };
  g_autoptr (GObject) session = NULL;
  GstElement *rtp_in, *rtcp_in, *rtcp_out;
  struct {
    GstElement *element;
    const char *element_pad;
    const char *rtpbin_pad;
    gboolean    into_rtpbin;
  } links[3];

  if ((rtp_in = add_element (self, "appsrc", error)) == NULL ||
      (rtcp_in = add_element (self, "appsrc", error)) == NULL ||
      (rtcp_out = add_element (self, "appsink", error)) == NULL)
    return FALSE;

  /* Arrival time is the timestamp: what the jitter buffer measures against. */
  g_object_set (rtp_in, "is-live", TRUE, "do-timestamp", TRUE, "caps", rtp_caps,
                "max-bytes", (guint64) 4 * 1024 * 1024, NULL);
  g_object_set (rtcp_in, "is-live", TRUE, "do-timestamp", TRUE, "caps", rtcp_caps,
                "max-bytes", (guint64) 256 * 1024, NULL);
  for (guint i = 0; i < 2; i++)
    {
      GstElement *src = i == 0 ? rtp_in : rtcp_in;

      gst_util_set_object_arg (G_OBJECT (src), "format", "time");
      gst_util_set_object_arg (G_OBJECT (src), "leaky-type", "downstream");
    }
  g_object_set (rtcp_out, "sync", FALSE, "async", FALSE, "enable-last-sample", FALSE, NULL);
  g_object_set_data (G_OBJECT (rtcp_out), "sotto-tag",
                     GUINT_TO_POINTER (kind == SOTTO_MEDIA_KIND_VIDEO ? TAG_RTCP_VIDEO
                                                                      : TAG_RTCP_AUDIO));
  gst_app_sink_set_callbacks (GST_APP_SINK (rtcp_out), &callbacks, self, NULL);
  self->rtp_in[kind] = rtp_in;
  self->rtcp_in[kind] = rtcp_in;

  links[0].element = rtp_in, links[0].element_pad = "src";
  links[0].rtpbin_pad = rtp_sink_name, links[0].into_rtpbin = TRUE;
  links[1].element = rtcp_in, links[1].element_pad = "src";
  links[1].rtpbin_pad = rtcp_sink_name, links[1].into_rtpbin = TRUE;
  links[2].element = rtcp_out, links[2].element_pad = "sink";
  links[2].rtpbin_pad = rtcp_src_name, links[2].into_rtpbin = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr (GstPad) mine = gst_element_get_static_pad (links[i].element,
                                                            links[i].element_pad);
      g_autoptr (GstPad) theirs = gst_element_request_pad_simple (self->rtpbin,
                                                                  links[i].rtpbin_pad);
      GstPadLinkReturn ret;

      if (theirs == NULL)
        ret = GST_PAD_LINK_REFUSED;
      else if (links[i].into_rtpbin)
        ret = gst_pad_link (mine, theirs);
      else
        ret = gst_pad_link (theirs, mine);
      if (ret != GST_PAD_LINK_OK)
        {
          g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                       _("Could not connect the RTP session"));
          return FALSE;
        }
    }

  if (kind == SOTTO_MEDIA_KIND_VIDEO)
    {
      g_autoptr (GstElement) session_element = NULL;
      g_autoptr (GstPad) session_src = NULL;

      g_signal_emit_by_name (self->rtpbin, "get-session", kind, &session_element);
      session_src = session_element ? gst_element_get_static_pad (session_element,
                                                                  "recv_rtp_src")
                                    : NULL;
      if (session_src == NULL)
        {
          g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                       _("Could not connect the RTP session"));
          return FALSE;
        }
      gst_pad_add_probe (session_src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, on_feedback_event, self,
                         NULL);
    }

  /* No probation: RTX streams are sparse, and rtpsession would hold a new SSRC's
   * first packet until a second one arrives, far too late to repair anything. */
  g_signal_emit_by_name (self->rtpbin, "get-internal-session", kind, &session);
  if (session != NULL)
    g_object_set (session, "rtcp-min-interval", (guint64) RTCP_INTERVAL_NS, "probation", 0,
                  NULL);
  return TRUE;
}

/**
 * sotto_media_receiver_new_with_output:
 * @config: the remote's payload types and SSRCs (0: learnt from the first
 *   packets), the jitter buffer latency, and whether to play audio
 * @output: (nullable): the call's shared audio output (mixing and echo
 *   cancellation); NULL plays this subscription's audio on its own sink
 *
 * Signals are emitted on the thread-default main context of the caller.
 */
SottoMediaReceiver *
sotto_media_receiver_new_with_output (const SottoMediaConfig *config,
                                      SottoMediaOutput       *output,
                                      GError                **error)
{
  g_autoptr (SottoMediaReceiver) self = NULL;
  g_autoptr (GstElement) rtx_check = NULL;
  g_autoptr (GstBus) bus = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (output == NULL || SOTTO_IS_MEDIA_OUTPUT (output), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sotto_media_config_validate (config, error))
    return NULL;
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  rtx_check = sotto_media_make_element ("rtprtxreceive", NULL, error);
  if (rtx_check == NULL)
    return NULL;

  self = g_object_new (SOTTO_TYPE_MEDIA_RECEIVER, NULL);
  self->config = *config;
  self->config.echo_probe_name = NULL; /* the sender's business; not kept */
  self->remote_video_ssrc = config->video_ssrc;
  if (output != NULL)
    {
      self->output = g_object_ref (output);
      self->output_input = sotto_media_output_add_input (output);
      if (self->output_input == NULL)
        {
          g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                       _("Could not connect to the audio output"));
          return NULL;
        }
    }
  self->last_tick_us = g_get_monotonic_time ();
  self->dispatch = sotto_media_dispatch_new (self->context, on_dispatch, self, DISPATCH_MAX_ITEMS);
  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("sotto-receiver"));
  self->rtpbin = sotto_media_make_element ("rtpbin", NULL, error);
  if (self->rtpbin == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), self->rtpbin);

  /* Conversation, not streaming: 60 ms of jitter buffer instead of 200 ms, still
   * room for one NACK round trip on a LAN (docs/media.md). */
  g_object_set (self->rtpbin, "latency", config->jitter_latency_ms,
                "do-retransmission", TRUE, "do-lost", TRUE,
                "rtp-profile", GST_RTP_PROFILE_AVPF, NULL);
  g_signal_connect (self->rtpbin, "pad-added", G_CALLBACK (on_pad_added), self);
  g_signal_connect (self->rtpbin, "request-pt-map", G_CALLBACK (on_request_pt_map), self);
  g_signal_connect (self->rtpbin, "request-aux-receiver", G_CALLBACK (on_request_aux_receiver),
                    self);
  g_signal_connect (self->rtpbin, "new-jitterbuffer", G_CALLBACK (on_new_jitterbuffer), self);

  if (!build_video (self, error) || !build_audio (self, error) ||
      !build_session_io (self, SOTTO_MEDIA_KIND_VIDEO, error) ||
      !build_session_io (self, SOTTO_MEDIA_KIND_AUDIO, error))
    return NULL;

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) on_bus_message, self, NULL);
  g_source_attach (self->bus_source, self->context);
  return g_steal_pointer (&self);
}

/**
 * sotto_media_receiver_new:
 *
 * A receiver that plays its audio on its own sink (no echo cancellation):
 * sotto_media_receiver_new_with_output() with no output.
 */
SottoMediaReceiver *
sotto_media_receiver_new (const SottoMediaConfig *config,
                          GError                **error)
{
  return sotto_media_receiver_new_with_output (config, NULL, error);
}

gboolean
sotto_media_receiver_start (SottoMediaReceiver *self,
                            GError            **error)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_RECEIVER (self), FALSE);

  if (self->started)
    return TRUE;
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                   _("Could not start playback: is the sound output available?"));
      return FALSE;
    }
  self->started = TRUE;
  self->last_tick_us = g_get_monotonic_time ();
  self->stats_timer = g_timeout_source_new (STATS_INTERVAL_MS);
  g_source_set_callback (self->stats_timer, on_stats_tick, self, NULL);
  g_source_attach (self->stats_timer, self->context);
  return TRUE;
}

void
sotto_media_receiver_stop (SottoMediaReceiver *self)
{
  g_return_if_fail (SOTTO_IS_MEDIA_RECEIVER (self));

  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->stats_timer != NULL)
    {
      g_source_destroy (self->stats_timer);
      g_clear_pointer (&self->stats_timer, g_source_unref);
    }
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->dispatch != NULL)
    sotto_media_dispatch_clear (self->dispatch);
  self->started = FALSE;
}

/* No copy: the buffer shares the packet's GBytes (read-only memory, so an
 * element that wants to write gets its own copy from GStreamer). */
static void
push_buffer (GstElement *appsrc,
             GBytes     *packet)
{
  gst_app_src_push_buffer (GST_APP_SRC (appsrc), gst_buffer_new_wrapped_bytes (packet));
}

/**
 * sotto_media_receiver_push_rtp:
 * @packet: one decrypted RTP packet from the transport
 *
 * Demultiplexed by payload type; unknown payload types are dropped.
 */
void
sotto_media_receiver_push_rtp (SottoMediaReceiver *self,
                               GBytes             *packet)
{
  SottoMediaConfig *c;
  gsize size;
  const guint8 *data;
  guint pt;
  guint32 ssrc;

  g_return_if_fail (SOTTO_IS_MEDIA_RECEIVER (self));
  g_return_if_fail (packet != NULL);

  data = g_bytes_get_data (packet, &size);
  if (!self->started || size < 12 || (data[0] >> 6) != 2)
    return;
  c = &self->config;
  pt = data[1] & 0x7f;
  ssrc = GST_READ_UINT32_BE (data + 8);
  self->packets_received++;
  self->bytes_received += size;

  /* Learn the remote SSRCs the SDP did not give: RTCP routing needs them. */
  if (pt == c->video_pt)
    {
      if (c->video_ssrc == 0)
        {
          c->video_ssrc = ssrc;
          g_atomic_int_set ((gint *) &self->remote_video_ssrc, (gint) ssrc);
        }
      push_buffer (self->rtp_in[SOTTO_MEDIA_KIND_VIDEO], packet);
    }
  else if (pt == c->video_rtx_pt)
    {
      if (c->video_rtx_ssrc == 0)
        c->video_rtx_ssrc = ssrc;
      push_buffer (self->rtp_in[SOTTO_MEDIA_KIND_VIDEO], packet);
    }
  else if (pt == c->audio_pt)
    {
      if (c->audio_ssrc == 0)
        c->audio_ssrc = ssrc;
      push_buffer (self->rtp_in[SOTTO_MEDIA_KIND_AUDIO], packet);
    }
}

/**
 * sotto_media_receiver_push_rtcp:
 * @packet: one decrypted RTCP compound packet (sender reports) from the transport
 *
 * Routed to the session whose remote SSRC it names; dropped before the remote
 * SSRCs are known.
 */
void
sotto_media_receiver_push_rtcp (SottoMediaReceiver *self,
                                GBytes             *packet)
{
  guint32 video[2], audio[1];
  guint mask;

  g_return_if_fail (SOTTO_IS_MEDIA_RECEIVER (self));
  g_return_if_fail (packet != NULL);

  if (!self->started)
    return;
  video[0] = self->config.video_ssrc;
  video[1] = self->config.video_rtx_ssrc;
  audio[0] = self->config.audio_ssrc;
  mask = sotto_media_rtcp_route (packet, video, G_N_ELEMENTS (video), audio, G_N_ELEMENTS (audio));
  for (guint kind = 0; kind < 2; kind++)
    if (mask & (1u << kind))
      push_buffer (self->rtcp_in[kind], packet);
}

void
sotto_media_receiver_get_stats (SottoMediaReceiver      *self,
                                SottoMediaReceiverStats *stats)
{
  g_return_if_fail (SOTTO_IS_MEDIA_RECEIVER (self));
  g_return_if_fail (stats != NULL);

  *stats = (SottoMediaReceiverStats) {
    .packets_received = self->packets_received,
    .bytes_received = self->bytes_received,
    .bitrate_kbps = self->bitrate_kbps,
    .video_frames_decoded = (guint) g_atomic_int_get (&self->frames_decoded),
    .video_frames_delivered = self->frames_delivered,
    .video_fps = self->fps,
    .width = self->width,
    .height = self->height,
    .audio_buffers_decoded = (guint) g_atomic_int_get (&self->audio_buffers),
    .audio_peak = (guint) g_atomic_int_get (&self->audio_peak),
    .nacks_sent = self->nacks_sent,
    .keyframe_requests_sent = self->keyframe_requests_sent,
    .video_codec = "VP8",
    .audio_codec = "opus",
  };
  sotto_media_read_source_stats (self->rtpbin, SOTTO_MEDIA_KIND_VIDEO, self->config.video_ssrc,
                                 &stats->packets_lost, &stats->jitter_ms);
  sotto_media_read_source_stats (self->rtpbin, SOTTO_MEDIA_KIND_AUDIO, self->config.audio_ssrc,
                                 &stats->packets_lost, NULL);
  stats->rtx_recovered = sotto_media_read_rtx_recovered (self->rtpbin);
}
