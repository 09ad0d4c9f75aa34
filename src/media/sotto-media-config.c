/* sotto-media-config.c: media settings, the error domain, element creation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-config.h"

#include <glib/gi18n-lib.h>

#include "sotto-media-config.h"
#include "sotto-media-private.h"

G_DEFINE_QUARK (sotto-media-error-quark, sotto_media_error)

G_DEFINE_ENUM_TYPE (SottoMediaKind, sotto_media_kind,
                    G_DEFINE_ENUM_VALUE (SOTTO_MEDIA_KIND_VIDEO, "video"),
                    G_DEFINE_ENUM_VALUE (SOTTO_MEDIA_KIND_AUDIO, "audio"))

/* Where each element we use lives on Debian 12, so that a missing plugin becomes
 * an instruction rather than a mystery. */
static const struct {
  const char *factory;
  const char *package;
} element_packages[] = {
  { "appsink", "gstreamer1.0-plugins-base" },
  { "appsrc", "gstreamer1.0-plugins-base" },
  { "audioconvert", "gstreamer1.0-plugins-base" },
  { "audioresample", "gstreamer1.0-plugins-base" },
  { "audiotestsrc", "gstreamer1.0-plugins-base" },
  { "capsfilter", "libgstreamer1.0-0" },
  { "fakesink", "libgstreamer1.0-0" },
  { "queue", "libgstreamer1.0-0" },
  { "opusdec", "gstreamer1.0-plugins-base" },
  { "opusenc", "gstreamer1.0-plugins-base" },
  { "videoconvert", "gstreamer1.0-plugins-base" },
  { "videorate", "gstreamer1.0-plugins-base" },
  { "videoscale", "gstreamer1.0-plugins-base" },
  { "videotestsrc", "gstreamer1.0-plugins-base" },
  { "autoaudiosink", "gstreamer1.0-plugins-good" },
  { "pulsesrc", "gstreamer1.0-pulseaudio" },
  { "rtpbin", "gstreamer1.0-plugins-good" },
  { "rtpopusdepay", "gstreamer1.0-plugins-good" },
  { "rtpopuspay", "gstreamer1.0-plugins-good" },
  { "rtprtxreceive", "gstreamer1.0-plugins-good" },
  { "rtprtxsend", "gstreamer1.0-plugins-good" },
  { "rtpvp8depay", "gstreamer1.0-plugins-good" },
  { "rtpvp8pay", "gstreamer1.0-plugins-good" },
  { "v4l2src", "gstreamer1.0-plugins-good" },
  { "vp8dec", "gstreamer1.0-plugins-good" },
  { "vp8enc", "gstreamer1.0-plugins-good" },
  { "pipewiresrc", "gstreamer1.0-pipewire" },
  { "webrtcdsp", "gstreamer1.0-plugins-bad" },
  { "webrtcechoprobe", "gstreamer1.0-plugins-bad" },
};

const char *
sotto_media_element_package (const char *factory)
{
  for (gsize i = 0; i < G_N_ELEMENTS (element_packages); i++)
    if (g_str_equal (element_packages[i].factory, factory))
      return element_packages[i].package;
  return NULL;
}

GstElement *
sotto_media_make_element (const char *factory,
                          const char *name,
                          GError    **error)
{
  g_autoptr (GstElementFactory) f = gst_element_factory_find (factory);
  GstElement *element;
  const char *package;

  if (f != NULL)
    {
      element = gst_element_factory_create (f, name);
      if (element != NULL)
        return element;
    }

  package = sotto_media_element_package (factory);
  if (package != NULL)
    g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_MISSING_ELEMENT,
                 _("The GStreamer element “%s” is missing: install the package “%s”"),
                 factory, package);
  else
    g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_MISSING_ELEMENT,
                 _("The GStreamer element “%s” is missing: install the GStreamer plugin that provides it"),
                 factory);
  return NULL;
}

GstElement *
sotto_media_make_rtx_bin (const char *factory,
                          guint       session,
                          guint       pt,
                          guint       rtx_pt,
                          guint32     ssrc,
                          guint32     rtx_ssrc)
{
  g_autoptr (GstStructure) pt_map = NULL;
  g_autofree char *pt_key = g_strdup_printf ("%u", pt);
  g_autofree char *sink_name = g_strdup_printf ("sink_%u", session);
  g_autofree char *src_name = g_strdup_printf ("src_%u", session);
  g_autoptr (GstPad) sink = NULL;
  g_autoptr (GstPad) src = NULL;
  GstElement *bin, *rtx;

  rtx = gst_element_factory_make (factory, NULL);
  if (rtx == NULL)
    return NULL;
  /* RFC 4588 session multiplexing: the RTX stream has its own PT and SSRC. */
  pt_map = gst_structure_new ("application/x-rtp-pt-map", pt_key, G_TYPE_UINT, rtx_pt, NULL);
  g_object_set (rtx, "payload-type-map", pt_map, NULL);
  if (ssrc != 0)
    {
      g_autofree char *ssrc_key = g_strdup_printf ("%u", ssrc);
      g_autoptr (GstStructure) ssrc_map = gst_structure_new ("application/x-rtp-ssrc-map",
                                                             ssrc_key, G_TYPE_UINT, rtx_ssrc,
                                                             NULL);

      g_object_set (rtx, "ssrc-map", ssrc_map, NULL);
    }
  /* The sender keeps a second of packets: older ones are useless to a 60 ms
   * jitter buffer anyway. */
  if (g_str_equal (factory, "rtprtxsend"))
    g_object_set (rtx, "max-size-time", 1000, "max-size-packets", 0, NULL);

  bin = gst_bin_new (NULL);
  gst_bin_add (GST_BIN (bin), rtx);
  sink = gst_element_get_static_pad (rtx, "sink");
  src = gst_element_get_static_pad (rtx, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new (sink_name, sink));
  gst_element_add_pad (bin, gst_ghost_pad_new (src_name, src));
  return bin;
}

/* What rtpbin needs to know about a payload type (its request-pt-map): clock
 * rate, and the feedback we want (NACK, PLI, FIR) on video. */
GstCaps *
sotto_media_rtp_caps (const SottoMediaConfig *c,
                      guint                   session,
                      guint                   pt)
{
  if (session == SOTTO_MEDIA_KIND_VIDEO && pt == c->video_pt)
    return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "video",
                                "encoding-name", G_TYPE_STRING, "VP8",
                                "clock-rate", G_TYPE_INT, 90000,
                                "payload", G_TYPE_INT, (int) pt,
                                "rtcp-fb-nack", G_TYPE_BOOLEAN, TRUE,
                                "rtcp-fb-nack-pli", G_TYPE_BOOLEAN, TRUE,
                                "rtcp-fb-ccm-fir", G_TYPE_BOOLEAN, TRUE, NULL);
  if (session == SOTTO_MEDIA_KIND_VIDEO && pt == c->video_rtx_pt)
    {
      g_autofree char *apt = g_strdup_printf ("%u", c->video_pt);

      return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "video",
                                  "encoding-name", G_TYPE_STRING, "RTX",
                                  "clock-rate", G_TYPE_INT, 90000,
                                  "payload", G_TYPE_INT, (int) pt,
                                  "apt", G_TYPE_STRING, apt, NULL);
    }
  if (session == SOTTO_MEDIA_KIND_AUDIO && pt == c->audio_pt)
    return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio",
                                "encoding-name", G_TYPE_STRING, "OPUS",
                                "clock-rate", G_TYPE_INT, 48000,
                                "payload", G_TYPE_INT, (int) pt, NULL);
  return NULL;
}

guint
sotto_media_config_default_video_kbps (guint width,
                                       guint height,
                                       guint fps)
{
  /* About 1.5 Mbit/s for 1280x720 at 30 fps, scaled by pixel rate. */
  guint64 pixel_rate = (guint64) width * height * MAX (fps, 1);
  guint64 kbps = pixel_rate * 1500 / (1280 * 720 * 30);

  return (guint) CLAMP (kbps, 150, 2500);
}

void
sotto_media_config_init (SottoMediaConfig *config)
{
  g_return_if_fail (config != NULL);

  *config = (SottoMediaConfig) {
    .send_video = TRUE,
    .send_audio = TRUE,
    .video_source = SOTTO_MEDIA_SOURCE_DEVICES,
    .audio_source = SOTTO_MEDIA_SOURCE_DEVICES,
    .width = 640,
    .height = 360,
    .fps = 30,
    .video_min_kbps = 100,
    .video_max_kbps = 2500,
    .audio_kbps = 32,
    .vp8_cpu_used = 8,
    .keyframe_max_dist = 0,
    .mtu = 1200,
    .video_pt = 96,
    .video_rtx_pt = 97,
    .audio_pt = 111,
    .video_ssrc = 0,
    .video_rtx_ssrc = 0,
    .audio_ssrc = 0,
    .jitter_latency_ms = SOTTO_MEDIA_DEFAULT_JITTER_LATENCY_MS,
    .fake_audio_sink = FALSE,
    .camera_fd = -1,
  };
  config->video_kbps = sotto_media_config_default_video_kbps (config->width, config->height,
                                                              config->fps);
}

static gboolean
parse_source (const char           *variable,
              SottoMediaSourceKind *out,
              GError              **error)
{
  const char *value = g_getenv (variable);

  if (value == NULL || *value == '\0')
    return TRUE;
  if (g_str_equal (value, "test"))
    *out = SOTTO_MEDIA_SOURCE_TEST;
  else if (g_str_equal (value, "devices"))
    *out = SOTTO_MEDIA_SOURCE_DEVICES;
  else
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("%s must be “test” or “devices”, not “%s”"), variable, value);
      return FALSE;
    }
  return TRUE;
}

/* SOTTO_VIDEO_SOURCE, SOTTO_AUDIO_SOURCE (test|devices) and SOTTO_AUDIO_SINK
 * (fake|auto) override what the caller chose, so that tests and CI run the same
 * binaries without devices. */
gboolean
sotto_media_config_load_env (SottoMediaConfig *config,
                             GError          **error)
{
  const char *sink;

  g_return_val_if_fail (config != NULL, FALSE);

  if (!parse_source ("SOTTO_VIDEO_SOURCE", &config->video_source, error) ||
      !parse_source ("SOTTO_AUDIO_SOURCE", &config->audio_source, error))
    return FALSE;

  sink = g_getenv ("SOTTO_AUDIO_SINK");
  if (sink != NULL && *sink != '\0')
    {
      if (g_str_equal (sink, "fake"))
        config->fake_audio_sink = TRUE;
      else if (g_str_equal (sink, "auto"))
        config->fake_audio_sink = FALSE;
      else
        {
          g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                       _("SOTTO_AUDIO_SINK must be “fake” or “auto”, not “%s”"), sink);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
pt_valid (guint pt)
{
  /* Dynamic range only: 64-95 would collide with RTCP when muxed (RFC 5761). */
  return pt >= 96 && pt <= 127;
}

gboolean
sotto_media_config_validate (const SottoMediaConfig *config,
                             GError                **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if (config->width < 16 || config->width > 3840 || config->height < 16 ||
      config->height > 2160 || config->width % 2 != 0 || config->height % 2 != 0)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("Unsupported video size %u×%u: use even sizes from 16×16 to 3840×2160"),
                   config->width, config->height);
      return FALSE;
    }
  if (config->fps < 1 || config->fps > 60)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("Unsupported frame rate %u: use 1 to 60 frames per second"), config->fps);
      return FALSE;
    }
  if (config->video_min_kbps == 0 || config->video_min_kbps > config->video_max_kbps ||
      config->video_kbps < config->video_min_kbps || config->video_kbps > config->video_max_kbps)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("Video bitrate %u kbit/s must lie within %u–%u kbit/s"),
                   config->video_kbps, config->video_min_kbps, config->video_max_kbps);
      return FALSE;
    }
  if (config->audio_kbps < 6 || config->audio_kbps > 510)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("Opus bitrate %u kbit/s is outside 6–510 kbit/s"), config->audio_kbps);
      return FALSE;
    }
  if (!pt_valid (config->video_pt) || !pt_valid (config->video_rtx_pt) ||
      !pt_valid (config->audio_pt) || config->video_pt == config->video_rtx_pt ||
      config->video_pt == config->audio_pt || config->video_rtx_pt == config->audio_pt)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("Payload types must be distinct and within 96–127 (video %u, retransmission %u, audio %u)"),
                   config->video_pt, config->video_rtx_pt, config->audio_pt);
      return FALSE;
    }
  if (config->mtu < 200 || config->mtu > 1500)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("RTP packet size %u is outside 200–1500 bytes"), config->mtu);
      return FALSE;
    }
  if (config->jitter_latency_ms > 1000 || config->vp8_cpu_used > 16)
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG,
                   _("Jitter buffer latency must be at most 1000 ms and VP8 speed at most 16"));
      return FALSE;
    }
  return TRUE;
}

GError *
sotto_media_error_from_bus_message (GstMessage *message,
                                    const char *summary)
{
  g_autoptr (GError) gst_error = NULL;
  g_autofree char *debug = NULL;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return NULL;
  gst_message_parse_error (message, &gst_error, &debug);
  g_debug ("%s: error from %s: %s (%s)", summary, GST_MESSAGE_SRC_NAME (message),
           gst_error->message, debug ? debug : "");
  return g_error_new (SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE, "%s: %s", summary,
                      gst_error->message);
}
