/* test-media-policy.c: bitrate policy, RTCP reading and configuration, no pipeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gst/gst.h>
#include <string.h>

#include "media-test-util.h"
#include "sotto-media-bandwidth.h"
#include "sotto-media-config.h"
#include "sotto-media-private.h"

#define S G_USEC_PER_SEC

/* The worst receiver decides; a silent one is forgotten after the timeout. */
static void
test_worst_receiver (void)
{
  g_autoptr (SottoMediaBandwidth) bw = sotto_media_bandwidth_new (1000, 100, 2000);
  guint kbps;

  sotto_media_bandwidth_report (bw, 1, 1 * S, TRUE, 0, FALSE, 0);
  sotto_media_bandwidth_report (bw, 2, 1 * S, TRUE, 64 /* 25% */, FALSE, 0);
  kbps = sotto_media_bandwidth_update (bw, 1 * S);
  g_assert_cmpuint (kbps, ==, 875); /* 1000 * (1 - 0.5 * 0.25) */

  /* Medium loss holds; the same stale report is not applied twice. */
  sotto_media_bandwidth_report (bw, 2, 2 * S, TRUE, 13 /* 5% */, FALSE, 0);
  g_assert_cmpuint (sotto_media_bandwidth_update (bw, 2 * S), ==, 875);
  g_assert_cmpuint (sotto_media_bandwidth_update (bw, 3 * S), ==, 875);

  /* Both clean: grow by 8% per round of reports. */
  sotto_media_bandwidth_report (bw, 1, 4 * S, TRUE, 0, FALSE, 0);
  sotto_media_bandwidth_report (bw, 2, 4 * S, TRUE, 0, FALSE, 0);
  g_assert_cmpuint (sotto_media_bandwidth_update (bw, 4 * S), ==, 945);

  /* Receiver 2 vanishes; receiver 1 keeps reporting clean: only it counts. */
  for (gint64 t = 5; t < 30; t++)
    {
      sotto_media_bandwidth_report (bw, 1, t * S, TRUE, 0, FALSE, 0);
      sotto_media_bandwidth_update (bw, t * S);
    }
  g_assert_cmpuint (sotto_media_bandwidth_get_n_reporters (bw), ==, 1);
  g_assert_cmpuint (sotto_media_bandwidth_get_target_kbps (bw), ==, 2000);
}

/* Never under the floor, never over REMB or the ceiling. */
static void
test_bounds (void)
{
  g_autoptr (SottoMediaBandwidth) bw = sotto_media_bandwidth_new (500, 150, 800);

  for (gint64 t = 1; t < 20; t++)
    {
      sotto_media_bandwidth_report (bw, 7, t * S, TRUE, 255, FALSE, 0);
      g_assert_cmpuint (sotto_media_bandwidth_update (bw, t * S), >=, 150);
    }
  g_assert_cmpuint (sotto_media_bandwidth_get_target_kbps (bw), ==, 150);

  sotto_media_bandwidth_report (bw, 7, 30 * S, TRUE, 0, TRUE, 400000);
  for (gint64 t = 31; t < 60; t++)
    {
      sotto_media_bandwidth_report (bw, 7, t * S, TRUE, 0, FALSE, 0);
      g_assert_cmpuint (sotto_media_bandwidth_update (bw, t * S), <=, 400);
    }
  g_assert_cmpuint (sotto_media_bandwidth_get_target_kbps (bw), ==, 400);
}

static void
test_rtcp_feedback (void)
{
  g_autoptr (GBytes) rr = media_test_make_rr (0xaaaa, 0x1000, 40, 300000);
  g_autoptr (GBytes) pli = media_test_make_pli (0xaaaa, 0x1000);
  g_autoptr (GBytes) junk = g_bytes_new_static ("\x80\xc9\x00\x09garbage", 11);
  guint32 video[] = { 0x1000, 0x1001 };
  guint32 audio[] = { 0x2000 };
  SottoMediaRtcpFeedback fb;

  g_assert_true (sotto_media_rtcp_parse_feedback (rr, video, 2, &fb));
  g_assert_cmpuint (fb.reporter_ssrc, ==, 0xaaaa);
  g_assert_true (fb.has_loss);
  g_assert_cmpuint (fb.fraction_lost, ==, 40);
  g_assert_true (fb.has_remb);
  /* REMB keeps 18 bits of mantissa: exact for this value. */
  g_assert_cmpuint (fb.remb_bps, ==, 300000);

  g_assert_true (sotto_media_rtcp_parse_feedback (pli, video, 2, &fb));
  g_assert_cmpuint (fb.n_pli, ==, 1);

  g_assert_cmpuint (sotto_media_rtcp_route (rr, video, 2, audio, 1), ==, 1u << SOTTO_MEDIA_KIND_VIDEO);
  g_assert_cmpuint (sotto_media_rtcp_route (pli, audio, 1, video, 2), ==, 1u << SOTTO_MEDIA_KIND_AUDIO);
  g_assert_cmpuint (sotto_media_rtcp_route (junk, video, 2, audio, 1), ==, 0);
  g_assert_false (sotto_media_rtcp_parse_feedback (junk, video, 2, &fb));
}

static void
test_env (void)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;

  sotto_media_config_init (&config);
  g_assert_true (sotto_media_config_validate (&config, NULL));
  g_assert_cmpuint (config.jitter_latency_ms, ==, SOTTO_MEDIA_DEFAULT_JITTER_LATENCY_MS);

  g_setenv ("SOTTO_VIDEO_SOURCE", "test", TRUE);
  g_setenv ("SOTTO_AUDIO_SOURCE", "devices", TRUE);
  g_setenv ("SOTTO_AUDIO_SINK", "fake", TRUE);
  g_assert_true (sotto_media_config_load_env (&config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (config.video_source, ==, SOTTO_MEDIA_SOURCE_TEST);
  g_assert_cmpint (config.audio_source, ==, SOTTO_MEDIA_SOURCE_DEVICES);
  g_assert_true (config.fake_audio_sink);

  g_setenv ("SOTTO_VIDEO_SOURCE", "camera", TRUE);
  g_assert_false (sotto_media_config_load_env (&config, &error));
  g_assert_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "SOTTO_VIDEO_SOURCE"));
}

static void
test_missing_element_message (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) element = sotto_media_make_element ("sotto-no-such-element", NULL, &error);

  g_assert_null (element);
  g_assert_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_MISSING_ELEMENT);
  g_assert_nonnull (strstr (error->message, "sotto-no-such-element"));
  g_assert_cmpstr (sotto_media_element_package ("webrtcdsp"), ==, "gstreamer1.0-plugins-bad");
  g_assert_cmpstr (sotto_media_element_package ("opusenc"), ==, "gstreamer1.0-plugins-base");
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/media/bandwidth/worst-receiver", test_worst_receiver);
  g_test_add_func ("/sotto/media/bandwidth/bounds", test_bounds);
  g_test_add_func ("/sotto/media/rtcp/feedback", test_rtcp_feedback);
  g_test_add_func ("/sotto/media/config/env", test_env);
  g_test_add_func ("/sotto/media/config/missing-element", test_missing_element_message);
  return g_test_run ();
}
