/* bench-media-encode.c: CPU cost of capture + VP8/Opus encode + RTP, and proof
 * that subscribers do not add encoders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-media-encode [SECONDS]     (default 10 per measurement)
 *
 * Test sources (videotestsrc ball, audiotestsrc sine), so the figures are the
 * pipeline's own, without a camera driver. CPU is process user+system time
 * over the measured window, after a 2 s warm-up, scaled to seconds per minute.
 */
#include <gst/gst.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "media-test-util.h"
#include "sotto-media-receiver.h"
#include "sotto-media-sender.h"

typedef struct {
  guint64 bytes;
  guint64 packets;
  guint8  scratch[1500]; /* what a per-subscriber SRTP context would write into */
} Consumer;

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static void
on_rtp (SottoMediaSender *sender,
        SottoMediaKind    kind,
        GBytes           *packet,
        Consumer         *consumer)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (packet, &size);

  memcpy (consumer->scratch, data, MIN (size, sizeof consumer->scratch));
  consumer->bytes += size;
  consumer->packets++;
}

static void
on_receiver_rtcp (SottoMediaReceiver *receiver,
                  SottoMediaKind      kind,
                  GBytes             *packet,
                  SottoMediaSender   *sender)
{
  sotto_media_sender_push_rtcp (sender, packet, NULL);
}

static void
on_sender_rtp_to_receiver (SottoMediaSender   *sender,
                           SottoMediaKind      kind,
                           GBytes             *packet,
                           SottoMediaReceiver *receiver)
{
  sotto_media_receiver_push_rtp (receiver, packet);
}

static void
on_sender_rtcp_to_receiver (SottoMediaSender   *sender,
                            SottoMediaKind      kind,
                            GBytes             *packet,
                            SottoMediaReceiver *receiver)
{
  sotto_media_receiver_push_rtcp (receiver, packet);
}

static void
bench_config (SottoMediaConfig *config,
              guint             width,
              guint             height)
{
  media_test_config (config);
  config->width = width;
  config->height = height;
  config->fps = 30;
  config->video_kbps = sotto_media_config_default_video_kbps (width, height, 30);
  config->keyframe_max_dist = 0; /* product default: every 10 s */
}

/* One sender, n consumers; returns FALSE if the encoder count is wrong. */
static gboolean
run_sender (guint width,
            guint height,
            guint n_consumers,
            guint seconds)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoMediaSender) sender = NULL;
  g_autofree Consumer *consumers = g_new0 (Consumer, n_consumers);
  SottoMediaSenderStats before, after;
  double cpu0, cpu1;
  gint64 t0, t1;
  guint encoders;
  guint64 frames;
  double wall;

  bench_config (&config, width, height);
  sender = sotto_media_sender_new (&config, &error);
  if (sender == NULL)
    g_error ("sender: %s", error->message);
  for (guint i = 0; i < n_consumers; i++)
    {
      g_signal_connect (sender, "rtp-packet", G_CALLBACK (on_rtp), &consumers[i]);
      sotto_media_sender_add_subscriber (sender);
    }
  if (!sotto_media_sender_start (sender, &error))
    g_error ("start: %s", error->message);

  media_test_run_for (2000);
  sotto_media_sender_get_stats (sender, &before);
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  media_test_run_for (seconds * 1000);
  t1 = g_get_monotonic_time ();
  cpu1 = cpu_seconds ();
  sotto_media_sender_get_stats (sender, &after);
  encoders = sotto_media_sender_get_n_encoders (sender);
  sotto_media_sender_stop (sender);

  wall = (t1 - t0) / 1e6;
  frames = after.frames_encoded - before.frames_encoded;
  /* On a busy machine the leaky queue drops frames the encoder cannot take, so
   * also give the cost scaled to a full 30 fps. */
  g_print ("%4ux%-4u@30  %2u consumer%s  CPU %.1f s/min (%.1f s/min at 30 fps)  encoded %.1f fps  "
           "out %.0f kbit/s per consumer  encoders %u (VP8 + Opus)\n",
           width, height, n_consumers, n_consumers == 1 ? " " : "s",
           (cpu1 - cpu0) / wall * 60.0, frames ? (cpu1 - cpu0) / frames * 30 * 60 : 0.0,
           frames / wall,
           (after.bytes_sent - before.bytes_sent) * 8 / wall / 1000,
           encoders);
  return encoders == 2;
}

/* Sender and receiver in one process: the whole media path of one direction. */
static void
run_loopback (guint width,
              guint height,
              guint seconds)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoMediaSender) sender = NULL;
  g_autoptr (SottoMediaReceiver) receiver = NULL;
  SottoMediaReceiverStats before, after;
  double cpu0, cpu1, wall;
  guint64 frames;
  gint64 t0, t1;

  bench_config (&config, width, height);
  sender = sotto_media_sender_new (&config, &error);
  if (sender == NULL)
    g_error ("sender: %s", error->message);
  receiver = sotto_media_receiver_new (&config, &error);
  if (receiver == NULL)
    g_error ("receiver: %s", error->message);
  g_signal_connect (sender, "rtp-packet", G_CALLBACK (on_sender_rtp_to_receiver), receiver);
  g_signal_connect (sender, "rtcp-packet", G_CALLBACK (on_sender_rtcp_to_receiver), receiver);
  g_signal_connect (receiver, "rtcp-packet", G_CALLBACK (on_receiver_rtcp), sender);
  if (!sotto_media_receiver_start (receiver, &error) || !sotto_media_sender_start (sender, &error))
    g_error ("start: %s", error->message);
  sotto_media_sender_add_subscriber (sender);

  media_test_run_for (2000);
  sotto_media_receiver_get_stats (receiver, &before);
  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  media_test_run_for (seconds * 1000);
  t1 = g_get_monotonic_time ();
  cpu1 = cpu_seconds ();
  sotto_media_receiver_get_stats (receiver, &after);
  sotto_media_sender_stop (sender);
  sotto_media_receiver_stop (receiver);

  wall = (t1 - t0) / 1e6;
  frames = after.video_frames_decoded - before.video_frames_decoded;
  g_print ("%4ux%-4u@30  encode+decode loopback  CPU %.1f s/min (%.1f s/min at 30 fps)  "
           "decoded %.1f fps  lost %" G_GINT64_FORMAT "  jitter %.1f ms\n",
           width, height, (cpu1 - cpu0) / wall * 60.0,
           frames ? (cpu1 - cpu0) / frames * 30 * 60 : 0.0, frames / wall,
           after.packets_lost, after.jitter_ms);
}

int
main (int   argc,
      char *argv[])
{
  guint seconds = argc > 1 ? (guint) atoi (argv[1]) : 10;
  gboolean ok = TRUE;
  static const guint consumers[] = { 1, 4, 16 };

  gst_init (&argc, &argv);
  g_setenv ("SOTTO_AUDIO_SINK", "fake", TRUE);
  seconds = CLAMP (seconds, 1, 600);
  g_print ("# media encode benchmark, %u s per measurement, %u CPUs\n", seconds,
           g_get_num_processors ());

  ok &= run_sender (1280, 720, 1, seconds);
  for (guint i = 0; i < G_N_ELEMENTS (consumers); i++)
    ok &= run_sender (640, 360, consumers[i], seconds);
  run_loopback (1280, 720, seconds);
  run_loopback (640, 360, seconds);

  if (!ok)
    {
      g_printerr ("FAIL: a sender did not have exactly one encoder per track\n");
      return 1;
    }
  g_print ("# one encoder per track at 1, 4 and 16 consumers: yes\n");
  return 0;
}
