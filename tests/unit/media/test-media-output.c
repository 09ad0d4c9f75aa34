/* test-media-output.c: one mixed audio output per call, echo cancellation against it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gst/gst.h>

#include "media-test-util.h"
#include "sotto-media-output.h"
#include "sotto-media-receiver.h"
#include "sotto-media-sender.h"

typedef struct {
  SottoMediaReceiver *receivers[2];
  guint               errors;
} Fanout;

static void
on_rtp (SottoMediaSender *sender,
        SottoMediaKind    kind,
        GBytes           *packet,
        Fanout           *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (f->receivers); i++)
    if (f->receivers[i] != NULL)
      sotto_media_receiver_push_rtp (f->receivers[i], packet);
}

static void
on_rtcp (SottoMediaSender *sender,
         SottoMediaKind    kind,
         GBytes           *packet,
         Fanout           *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (f->receivers); i++)
    if (f->receivers[i] != NULL)
      sotto_media_receiver_push_rtcp (f->receivers[i], packet);
}

static void
on_error (GObject *object,
          GError  *error,
          Fanout  *f)
{
  g_test_message ("error: %s", error->message);
  f->errors++;
}

/* Two subscriptions play through one output; the sender's echo canceller runs
 * against that output's probe; a subscription that goes away leaves the mix. */
static void
test_mixed_with_echo_cancel (void)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoMediaOutput) output = NULL;
  g_autoptr (SottoMediaSender) sender = NULL;
  Fanout f = { { NULL, NULL }, 0 };
  SottoMediaReceiverStats stats;
  SottoMediaSenderStats sstats;

  media_test_config (&config);
  config.send_video = FALSE;
  output = sotto_media_output_new (&config, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sotto_media_output_get_peak (output), ==, 0);

  config.echo_probe_name = sotto_media_output_get_echo_probe_name (output);
  sender = sotto_media_sender_new (&config, &error);
  g_assert_no_error (error);
  g_signal_connect (sender, "error", G_CALLBACK (on_error), &f);
  for (guint i = 0; i < 2; i++)
    {
      f.receivers[i] = sotto_media_receiver_new_with_output (&config, output, &error);
      g_assert_no_error (error);
      g_assert_true (sotto_media_receiver_start (f.receivers[i], NULL));
      sotto_media_sender_add_subscriber (sender);
    }
  g_assert_cmpuint (sotto_media_output_get_n_inputs (output), ==, 2);
  g_signal_connect (sender, "rtp-packet", G_CALLBACK (on_rtp), &f);
  g_signal_connect (sender, "rtcp-packet", G_CALLBACK (on_rtcp), &f);
  g_assert_true (sotto_media_sender_start (sender, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 50 && sotto_media_output_get_peak (output) < 2000; i++)
    media_test_run_for (100);
  g_assert_cmpuint (sotto_media_output_get_peak (output), >=, 2000);
  media_test_run_for (1000);
  sotto_media_receiver_get_stats (f.receivers[0], &stats);
  g_assert_cmpuint (stats.audio_buffers_decoded, >, 0);
  sotto_media_sender_get_stats (sender, &sstats);
  g_test_message ("%" G_GUINT64_FORMAT " audio packets sent, output peak %u",
                  sstats.packets_sent, sotto_media_output_get_peak (output));
  g_assert_cmpuint (sstats.packets_sent, >, 20);
  g_assert_cmpuint (f.errors, ==, 0);

  sotto_media_receiver_stop (f.receivers[1]);
  g_clear_object (&f.receivers[1]);
  g_assert_cmpuint (sotto_media_output_get_n_inputs (output), ==, 1);
  media_test_run_for (300);
  g_assert_cmpuint (f.errors, ==, 0);

  sotto_media_sender_stop (sender);
  sotto_media_receiver_stop (f.receivers[0]);
  g_clear_object (&f.receivers[0]);
  g_assert_cmpuint (sotto_media_output_get_n_inputs (output), ==, 0);
}

/* Echo cancellation against a probe that does not exist fails to start with
 * a clear error instead of running without it. */
static void
test_missing_probe (void)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoMediaSender) sender = NULL;

  media_test_config (&config);
  config.send_video = FALSE;
  config.echo_probe_name = "sotto-no-such-probe";
  sender = sotto_media_sender_new (&config, &error);
  g_assert_no_error (error);
  g_assert_false (sotto_media_sender_start (sender, &error));
  g_assert_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/media/output/mixed-with-echo-cancel", test_mixed_with_echo_cancel);
  g_test_add_func ("/sotto/media/output/missing-probe", test_missing_probe);
  return g_test_run ();
}
