/* test-media-sender.c: one capture and encoder per track, packets only to subscribers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gst/gst.h>
#include <string.h>

#include "media-test-util.h"
#include "sotto-media-config.h"
#include "sotto-media-sender.h"

typedef struct {
  guint    video_packets;
  guint    audio_packets;
  guint    rtcp_packets;
  guint    keyframes;
  guint32  video_ssrc;
  guint    video_pt;
  gboolean have_first;
  guint32  first_ts;           /* RTP timestamp of the first video packet seen */
  gboolean have_first_key;
  guint32  first_key_ts;       /* ... and of the first keyframe */
  gboolean got_keyframe;
  gboolean got_media;
} Counts;

static void
on_rtp (SottoMediaSender *sender,
        SottoMediaKind    kind,
        GBytes           *packet,
        Counts           *c)
{
  guint pt;
  guint32 ssrc;

  g_assert_true (media_test_rtp_info (packet, &pt, &ssrc, NULL, NULL));
  if (kind == SOTTO_MEDIA_KIND_VIDEO)
    {
      const guint8 *d = g_bytes_get_data (packet, NULL);
      guint32 ts = GST_READ_UINT32_BE (d + 4);

      c->video_packets++;
      if (pt == c->video_pt && !c->have_first)
        {
          c->have_first = TRUE;
          c->first_ts = ts;
        }
      if (pt == c->video_pt && ssrc == c->video_ssrc && media_test_is_vp8_keyframe_start (packet))
        {
          if (!c->have_first_key)
            {
              c->have_first_key = TRUE;
              c->first_key_ts = ts;
            }
          c->keyframes++;
          c->got_keyframe = TRUE;
        }
    }
  else
    c->audio_packets++;
  c->got_media = c->video_packets > 20 && c->audio_packets > 20;
}

static void
on_rtcp (SottoMediaSender *sender,
         SottoMediaKind    kind,
         GBytes           *packet,
         Counts           *c)
{
  c->rtcp_packets++;
}

static SottoMediaSender *
make_sender (Counts *c)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;
  SottoMediaSender *sender;

  media_test_config (&config);
  sender = sotto_media_sender_new (&config, &error);
  g_assert_no_error (error);
  g_signal_connect (sender, "rtp-packet", G_CALLBACK (on_rtp), c);
  g_signal_connect (sender, "rtcp-packet", G_CALLBACK (on_rtcp), c);
  c->video_ssrc = sotto_media_sender_get_ssrc (sender, SOTTO_MEDIA_KIND_VIDEO);
  c->video_pt = config.video_pt;
  return sender;
}

/* Nothing leaves without a subscriber, and nothing is even encoded; the
 * first one starts from a keyframe and gets both tracks with the configured
 * payload types and SSRCs. */
static void
test_subscriber_gating (void)
{
  Counts c = { 0 };
  g_autoptr (SottoMediaSender) sender = make_sender (&c);
  g_autoptr (GError) error = NULL;
  SottoMediaSenderStats stats;

  g_assert_true (sotto_media_sender_start (sender, &error));
  g_assert_no_error (error);
  /* Capture runs, but with nobody to send to the encoders get nothing and
   * nothing leaves. */
  media_test_run_for (800);
  sotto_media_sender_get_stats (sender, &stats);
  g_assert_cmpuint (stats.frames_encoded, ==, 0);
  g_assert_cmpuint (stats.audio_frames_encoded, ==, 0);
  g_assert_cmpuint (c.video_packets + c.audio_packets + c.rtcp_packets, ==, 0);

  sotto_media_sender_add_subscriber (sender);
  g_assert_cmpuint (sotto_media_sender_get_n_subscribers (sender), ==, 1);
  g_assert_true (media_test_wait (&c.got_keyframe, 3000));
  /* The first frame encoded is the keyframe the subscriber starts from. */
  sotto_media_sender_get_stats (sender, &stats);
  g_assert_cmpuint (stats.keyframes_encoded, >=, 1);
  /* The subscriber starts with what is captured now: the first packet it gets
   * is at most a few frames before the keyframe it asked for, not a second of
   * backlog (90 kHz clock). */
  g_assert_cmpuint (c.first_key_ts - c.first_ts, <, 90000 / 3);
  g_assert_true (media_test_wait (&c.got_media, 5000));
  sotto_media_sender_get_stats (sender, &stats);
  g_assert_cmpuint (stats.packets_sent, ==, c.video_packets + c.audio_packets);
  g_assert_cmpuint (stats.audio_frames_encoded, >, 0);

  /* Last subscriber gone: the flow stops at once, and so does encoding
   * (after the frame or two already inside the encoder). */
  sotto_media_sender_remove_subscriber (sender);
  c.video_packets = c.audio_packets = 0;
  media_test_run_for (300);
  sotto_media_sender_get_stats (sender, &stats);
  media_test_run_for (500);
  g_assert_cmpuint (c.video_packets + c.audio_packets, ==, 0);
  {
    SottoMediaSenderStats later;

    sotto_media_sender_get_stats (sender, &later);
    g_assert_cmpuint (later.frames_encoded, ==, stats.frames_encoded);
    g_assert_cmpuint (later.audio_frames_encoded, ==, stats.audio_frames_encoded);
  }
  sotto_media_sender_stop (sender);
}

/* One encoder per track, however many subscribers. */
static void
test_one_encoder (void)
{
  Counts c = { 0 };
  g_autoptr (SottoMediaSender) sender = make_sender (&c);

  g_assert_cmpuint (sotto_media_sender_get_n_encoders (sender), ==, 2);
  for (guint i = 0; i < 8; i++)
    sotto_media_sender_add_subscriber (sender);
  g_assert_true (sotto_media_sender_start (sender, NULL));
  g_assert_true (media_test_wait (&c.got_media, 5000));
  g_assert_cmpuint (sotto_media_sender_get_n_encoders (sender), ==, 2);
  sotto_media_sender_stop (sender);
}

/* Camera off: no video leaves (audio goes on); camera on again: video resumes
 * with a keyframe. Microphone off leaves audio packets flowing (silence, DTX). */
static void
test_camera_off (void)
{
  Counts c = { 0 };
  g_autoptr (SottoMediaSender) sender = make_sender (&c);

  sotto_media_sender_add_subscriber (sender);
  g_assert_true (sotto_media_sender_start (sender, NULL));
  g_assert_true (media_test_wait (&c.got_media, 5000));
  g_assert_true (sotto_media_sender_get_enabled (sender, SOTTO_MEDIA_KIND_VIDEO));

  sotto_media_sender_set_enabled (sender, SOTTO_MEDIA_KIND_VIDEO, FALSE);
  sotto_media_sender_set_enabled (sender, SOTTO_MEDIA_KIND_AUDIO, FALSE);
  g_assert_false (sotto_media_sender_get_enabled (sender, SOTTO_MEDIA_KIND_VIDEO));
  g_assert_false (sotto_media_sender_get_enabled (sender, SOTTO_MEDIA_KIND_AUDIO));
  media_test_run_for (400);  /* frames already in the encoder drain */
  c.video_packets = c.audio_packets = 0;
  media_test_run_for (700);
  g_assert_cmpuint (c.video_packets, ==, 0);

  c.got_keyframe = FALSE;
  sotto_media_sender_set_enabled (sender, SOTTO_MEDIA_KIND_VIDEO, TRUE);
  g_assert_true (media_test_wait (&c.got_keyframe, 3000));
  sotto_media_sender_stop (sender);
}

static void
on_preview_frame (SottoMediaPreview *preview, guint width, guint height, guint stride,
                  GBytes *pixels, guint *frames)
{
  g_assert_cmpuint (width, ==, 320);
  g_assert_cmpuint (height, ==, 240);
  g_assert_cmpuint (g_bytes_get_size (pixels), >=, (gsize) stride * height);
  (*frames)++;
}

/* The self view: RGBA frames of our own camera, even with no subscriber and
 * with the camera switched off for everyone else. */
static void
test_preview (void)
{
  SottoMediaConfig config;
  g_autoptr (SottoMediaSender) sender = NULL;
  g_autoptr (GError) error = NULL;
  guint frames = 0;

  media_test_config (&config);
  config.preview_fps = 10;
  sender = sotto_media_sender_new (&config, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sotto_media_sender_get_preview (sender));
  g_signal_connect (sotto_media_sender_get_preview (sender), "frame",
                    G_CALLBACK (on_preview_frame), &frames);
  sotto_media_sender_set_enabled (sender, SOTTO_MEDIA_KIND_VIDEO, FALSE);
  g_assert_true (sotto_media_sender_start (sender, NULL));
  for (guint i = 0; i < 50 && frames < 3; i++)
    media_test_run_for (100);
  g_assert_cmpuint (frames, >=, 3);
  sotto_media_sender_stop (sender);
}

/* An explicit request yields a keyframe although periodic ones are off. */
static void
test_keyframe_request (void)
{
  Counts c = { 0 };
  g_autoptr (SottoMediaSender) sender = make_sender (&c);
  SottoMediaSenderStats stats;
  guint before;

  sotto_media_sender_add_subscriber (sender);
  g_assert_true (sotto_media_sender_start (sender, NULL));
  g_assert_true (media_test_wait (&c.got_keyframe, 3000));
  media_test_run_for (1000);
  /* Only the first keyframe (start and subscriber) in a second of video. */
  before = c.keyframes;
  c.got_keyframe = FALSE;
  media_test_run_for (600);
  g_assert_cmpuint (c.keyframes, ==, before);

  sotto_media_sender_request_keyframe (sender);
  g_assert_true (media_test_wait (&c.got_keyframe, 1000));
  sotto_media_sender_get_stats (sender, &stats);
  g_assert_cmpuint (stats.keyframes_encoded, >=, 2);
  sotto_media_sender_stop (sender);
}

/* A PLI from a subscriber (as pushed in by the transport) makes rtpbin force a
 * keyframe upstream; a PLI about somebody else's SSRC does nothing. */
static void
test_pli_keyframe (void)
{
  Counts c = { 0 };
  g_autoptr (SottoMediaSender) sender = make_sender (&c);
  g_autoptr (GBytes) pli = NULL;
  g_autoptr (GBytes) foreign = NULL;
  SottoMediaSenderStats stats;

  sotto_media_sender_add_subscriber (sender);
  g_assert_true (sotto_media_sender_start (sender, NULL));
  g_assert_true (media_test_wait (&c.got_keyframe, 3000));
  media_test_run_for (1000);

  c.got_keyframe = FALSE;
  foreign = media_test_make_pli (0x1234, c.video_ssrc ^ 0x5a5a5a5a);
  sotto_media_sender_push_rtcp (sender, foreign, NULL);
  media_test_run_for (800);
  g_assert_false (c.got_keyframe);

  pli = media_test_make_pli (0x1234, c.video_ssrc);
  sotto_media_sender_push_rtcp (sender, pli, NULL);
  g_assert_true (media_test_wait (&c.got_keyframe, 1000));
  sotto_media_sender_get_stats (sender, &stats);
  g_assert_cmpuint (stats.plis_received, ==, 1);
  sotto_media_sender_stop (sender);
}

/* Receiver reports drive the encoder's target: heavy loss lowers it, a REMB caps
 * it, and it never goes under the floor. */
static void
test_bitrate_follows_reports (void)
{
  Counts c = { 0 };
  g_autoptr (SottoMediaSender) sender = make_sender (&c);
  const SottoMediaConfig *config = sotto_media_sender_get_config (sender);
  guint start = config->video_kbps;
  guint kbps;

  sotto_media_sender_add_subscriber (sender);
  g_assert_true (sotto_media_sender_start (sender, NULL));
  g_assert_true (media_test_wait (&c.got_media, 5000));

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GBytes) rr = media_test_make_rr (0x1111, c.video_ssrc, 80 /* 31% */, 0);

      sotto_media_sender_push_rtcp (sender, rr, NULL);
      media_test_run_for (1100);
    }
  g_object_get (sender, "video-kbps", &kbps, NULL);
  g_assert_cmpuint (kbps, <, start);
  g_assert_cmpuint (kbps, >=, config->video_min_kbps);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GBytes) rr = media_test_make_rr (0x2222, c.video_ssrc, 0, 10000);

      sotto_media_sender_push_rtcp (sender, rr, NULL);
      media_test_run_for (1100);
    }
  g_object_get (sender, "video-kbps", &kbps, NULL);
  g_assert_cmpuint (kbps, ==, config->video_min_kbps);
  sotto_media_sender_stop (sender);
}

static void
test_invalid_config (void)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoMediaSender) sender = NULL;

  media_test_config (&config);
  config.audio_pt = config.video_pt;
  sender = sotto_media_sender_new (&config, &error);
  g_assert_null (sender);
  g_assert_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG);
}

/* "devices" without a camera is a clear error, not a crash or a black stream.
 * Skipped where a camera exists (a developer's machine): we would open it. */
static void
test_no_camera (void)
{
  g_autoptr (GstDeviceMonitor) monitor = gst_device_monitor_new ();
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoMediaSender) sender = NULL;
  GList *devices;

  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  devices = gst_device_monitor_get_devices (monitor);
  if (devices != NULL)
    {
      g_list_free_full (devices, gst_object_unref);
      g_test_skip ("a camera is present");
      return;
    }
  media_test_config (&config);
  config.video_source = SOTTO_MEDIA_SOURCE_DEVICES;
  config.send_audio = FALSE;
  sender = sotto_media_sender_new (&config, &error);
  g_assert_null (sender);
  g_assert_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "test source"));
}

/* A plugin that is not installed is an error that names the Debian package.
 * Removes vp8enc from this process's registry, so it runs last. */
static void
test_missing_element (void)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoMediaSender) sender = NULL;
  GstPluginFeature *feature;

  feature = gst_registry_lookup_feature (gst_registry_get (), "vp8enc");
  g_assert_nonnull (feature);
  gst_registry_remove_feature (gst_registry_get (), feature);
  gst_object_unref (feature);

  media_test_config (&config);
  sender = sotto_media_sender_new (&config, &error);
  g_assert_null (sender);
  g_assert_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_MISSING_ELEMENT);
  g_assert_nonnull (strstr (error->message, "vp8enc"));
  g_assert_nonnull (strstr (error->message, "gstreamer1.0-plugins-good"));
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/media/sender/subscriber-gating", test_subscriber_gating);
  g_test_add_func ("/sotto/media/sender/one-encoder", test_one_encoder);
  g_test_add_func ("/sotto/media/sender/keyframe-request", test_keyframe_request);
  g_test_add_func ("/sotto/media/sender/camera-off", test_camera_off);
  g_test_add_func ("/sotto/media/sender/preview", test_preview);
  g_test_add_func ("/sotto/media/sender/pli-keyframe", test_pli_keyframe);
  g_test_add_func ("/sotto/media/sender/bitrate-follows-reports", test_bitrate_follows_reports);
  g_test_add_func ("/sotto/media/sender/invalid-config", test_invalid_config);
  g_test_add_func ("/sotto/media/sender/no-camera", test_no_camera);
  g_test_add_func ("/sotto/media/sender/missing-element", test_missing_element);
  return g_test_run ();
}
