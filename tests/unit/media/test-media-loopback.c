/* test-media-loopback.c: sender RTP into receiver in-process, as the transport would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gst/gst.h>
#include <string.h>

#include "media-test-util.h"
#include "sotto-media-receiver.h"
#include "sotto-media-sender.h"

typedef struct {
  SottoMediaSender   *sender;
  SottoMediaReceiver *receiver;
  guint               drop_every;     /* drop each n-th video RTP packet, 0: none */
  guint               video_seen;
  gboolean            blackout;       /* drop every video packet */
  guint               dropped;
  guint               drop_goal;
  gboolean            dropped_enough;
  guint               frames;
  guint               bright_frames;  /* frames with part of the white ball */
  guint               changes;        /* frames whose content differs from the previous */
  guint               bad_size;
  guint32             last_hash;
  gboolean            enough_frames;
  guint               frames_goal;
  guint               sender_rtcp;
  GBytes             *kept;
  SottoMediaReceiverReport last_report; /* latest with a round-trip time */
  guint               receiver_rtcp;
} Loop;

static void
on_sender_rtp (SottoMediaSender *sender,
               SottoMediaKind    kind,
               GBytes           *packet,
               Loop             *loop)
{
  /* Every n-th video packet (media or RTX): exact and repeatable. */
  if (kind == SOTTO_MEDIA_KIND_VIDEO &&
      (loop->blackout || (loop->drop_every > 0 && ++loop->video_seen % loop->drop_every == 0)))
    {
      loop->dropped++;
      loop->dropped_enough = loop->drop_goal > 0 && loop->dropped >= loop->drop_goal;
      return;
    }
  sotto_media_receiver_push_rtp (loop->receiver, packet);
}

static void
on_sender_rtcp (SottoMediaSender *sender,
                SottoMediaKind    kind,
                GBytes           *packet,
                Loop             *loop)
{
  loop->sender_rtcp++;
  sotto_media_receiver_push_rtcp (loop->receiver, packet);
}

static void
on_receiver_rtcp (SottoMediaReceiver *receiver,
                  SottoMediaKind      kind,
                  GBytes             *packet,
                  Loop               *loop)
{
  SottoMediaReceiverReport report;

  loop->receiver_rtcp++;
  sotto_media_sender_push_rtcp (loop->sender, packet, &report);
  if (report.has_report && report.rtt_ms >= 0)
    loop->last_report = report;
}

static void
on_video_frame (SottoMediaReceiver *receiver,
                guint               width,
                guint               height,
                guint               stride,
                GBytes             *pixels,
                Loop               *loop)
{
  gsize size;
  const guint8 *p = g_bytes_get_data (pixels, &size);
  guint32 hash = 2166136261u;
  guint bright = 0;

  if (width != 320 || height != 240 || stride < width * 4 || size < (gsize) stride * height)
    {
      loop->bad_size++;
      return;
    }
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        const guint8 *px = p + y * stride + x * 4;

        if (px[0] > 160 && px[1] > 160 && px[2] > 160)
          bright++;
        hash = (hash ^ px[0] ^ (px[1] << 8) ^ (px[2] << 16)) * 16777619u;
      }
  loop->frames++;
  if (bright > 50)
    loop->bright_frames++;
  if (loop->frames > 1 && hash != loop->last_hash)
    loop->changes++;
  loop->last_hash = hash;
  loop->enough_frames = loop->frames >= loop->frames_goal;
}

/* latency_ms 0: the product default. Recovery tests use more so that a loaded
 * CI machine (sanitizers, parallel tests) does not turn scheduling delays into
 * losses; the default's behaviour is measured by the benchmarks. */
static void
loop_init (Loop *loop,
           guint latency_ms)
{
  SottoMediaConfig config;
  g_autoptr (GError) error = NULL;

  memset (loop, 0, sizeof *loop);
  media_test_config (&config);
  if (latency_ms != 0)
    config.jitter_latency_ms = latency_ms;
  loop->sender = sotto_media_sender_new (&config, &error);
  g_assert_no_error (error);
  /* The receiver learns the SSRCs from the packets, as with an SDP without them. */
  loop->receiver = sotto_media_receiver_new (&config, &error);
  g_assert_no_error (error);
  g_signal_connect (loop->sender, "rtp-packet", G_CALLBACK (on_sender_rtp), loop);
  g_signal_connect (loop->sender, "rtcp-packet", G_CALLBACK (on_sender_rtcp), loop);
  g_signal_connect (loop->receiver, "rtcp-packet", G_CALLBACK (on_receiver_rtcp), loop);
  g_signal_connect (loop->receiver, "video-frame", G_CALLBACK (on_video_frame), loop);
  g_assert_true (sotto_media_receiver_start (loop->receiver, &error));
  g_assert_no_error (error);
  g_assert_true (sotto_media_sender_start (loop->sender, &error));
  g_assert_no_error (error);
  sotto_media_sender_add_subscriber (loop->sender);
}

static void
loop_clear (Loop *loop)
{
  sotto_media_sender_stop (loop->sender);
  sotto_media_receiver_stop (loop->receiver);
  g_assert_finalize_object (loop->sender);
  g_assert_finalize_object (loop->receiver);
}

static guint
wait_frames (Loop *loop,
             guint more,
             guint timeout_ms)
{
  guint start = loop->frames;

  loop->frames_goal = loop->frames + more;
  loop->enough_frames = FALSE;
  media_test_wait (&loop->enough_frames, timeout_ms);
  return loop->frames - start;
}

/* Video frames come out decoded, the right size, moving and not black; audio is
 * decoded with the tone's level; both sides exchange RTCP. */
static void
test_decodes (void)
{
  Loop loop;
  SottoMediaReceiverStats stats;
  SottoMediaSenderStats sstats;

  loop_init (&loop, 0);
  g_assert_cmpuint (wait_frames (&loop, 20, 8000), >=, 20);
  media_test_run_for (1200);
  sotto_media_receiver_get_stats (loop.receiver, &stats);

  g_assert_cmpuint (loop.bad_size, ==, 0);
  g_assert_cmpuint (loop.bright_frames, >=, loop.frames / 2);
  /* Under load the realtime encoder may repeat a picture now and then; a stuck
   * picture would show no change at all. */
  g_assert_cmpuint (loop.changes, >=, MAX (5, loop.frames / 4));
  g_assert_cmpuint (stats.video_frames_decoded, >=, 20);
  g_assert_cmpuint (stats.width, ==, 320);
  g_assert_cmpuint (stats.height, ==, 240);
  g_assert_cmpfloat (stats.video_fps, >, 0.5);
  g_assert_cmpuint (stats.audio_buffers_decoded, >, 20);
  g_assert_cmpuint (stats.audio_peak, >, 3000);
  g_assert_cmpuint (stats.bitrate_kbps, >, 20);
  g_assert_cmpstr (stats.video_codec, ==, "VP8");
  g_assert_cmpstr (stats.audio_codec, ==, "opus");
  g_assert_cmpuint (loop.sender_rtcp, >, 0);
  g_assert_cmpuint (loop.receiver_rtcp, >, 0);
  g_assert_cmpint (stats.packets_lost, ==, 0);
  /* The subscriber's reports give the sender loss and round-trip time (all
   * in-process here: well under the 60 ms jitter budget). */
  g_test_message ("round trip %.2f ms, jitter %.2f ms", loop.last_report.rtt_ms,
                  loop.last_report.jitter_ms);
  g_assert_true (loop.last_report.has_report);
  g_assert_cmpfloat (loop.last_report.fraction_lost, ==, 0.0);
  g_assert_cmpfloat (loop.last_report.rtt_ms, >=, 0.0);
  g_assert_cmpfloat (loop.last_report.rtt_ms, <, 60.0);
  /* The receiver's reports reach the sender's bitrate policy. */
  sotto_media_sender_get_stats (loop.sender, &sstats);
  g_assert_cmpuint (sstats.n_reporters, ==, 1);
  loop_clear (&loop);
}

/* 5% of video packets lost on the way: NACKs bring most back through RTX and
 * the picture keeps moving. */
static void
test_loss_recovered (void)
{
  Loop loop;
  SottoMediaReceiverStats rstats;
  SottoMediaSenderStats sstats;
  guint frames, clean;
  double clean_fps, lossy_fps;
  gint64 t0;

  loop_init (&loop, 200);
  g_assert_cmpuint (wait_frames (&loop, 5, 8000), >=, 5);
  /* The clean rate on this machine (sanitizers and load make it vary)... */
  t0 = g_get_monotonic_time ();
  clean = wait_frames (&loop, 1000, 3000);
  clean_fps = clean / ((g_get_monotonic_time () - t0) / 1e6);

  /* ...then until 4 packets are lost (however slowly this machine encodes),
   * plus a second for the last repair. */
  loop.drop_every = 20;
  loop.drop_goal = 4;
  t0 = g_get_monotonic_time ();
  frames = loop.frames;
  g_assert_true (media_test_wait (&loop.dropped_enough, 20000));
  media_test_run_for (1000);
  frames = loop.frames - frames;
  lossy_fps = frames / ((g_get_monotonic_time () - t0) / 1e6);

  sotto_media_receiver_get_stats (loop.receiver, &rstats);
  sotto_media_sender_get_stats (loop.sender, &sstats);
  g_test_message ("1 packet in 20 lost: %.1f fps (clean %.1f fps), %u packets dropped, %"
                  G_GUINT64_FORMAT " NACKed, %" G_GUINT64_FORMAT " recovered, %"
                  G_GUINT64_FORMAT " keyframe requests",
                  lossy_fps, clean_fps, loop.dropped, rstats.nacks_sent, rstats.rtx_recovered,
                  rstats.keyframe_requests_sent);

  g_assert_cmpuint (rstats.nacks_sent, >, 0);
  g_assert_cmpuint (sstats.nacks_received, >, 0);
  g_assert_cmpuint (rstats.rtx_recovered, >, 0);
  /* At least 60% of the clean frame rate survives the loss (docs/media.md). */
  g_assert_cmpfloat (lossy_fps, >=, 0.6 * clean_fps);
  loop_clear (&loop);
}

/* Video cut for longer than retransmission can repair: the receiver sends a PLI,
 * the sender answers with a keyframe, and the picture is back within a second. */
static void
test_pli_recovers (void)
{
  Loop loop;
  SottoMediaReceiverStats rstats;
  SottoMediaSenderStats before, after;

  loop_init (&loop, 200);
  g_assert_cmpuint (wait_frames (&loop, 10, 8000), >=, 10);
  sotto_media_sender_get_stats (loop.sender, &before);
  loop.blackout = TRUE;
  media_test_run_for (1500);
  loop.blackout = FALSE;

  g_assert_cmpuint (wait_frames (&loop, 3, 3000), >=, 3);
  sotto_media_receiver_get_stats (loop.receiver, &rstats);
  sotto_media_sender_get_stats (loop.sender, &after);
  g_assert_cmpuint (rstats.keyframe_requests_sent, >, 0);
  g_assert_cmpuint (after.plis_received + after.firs_received, >, 0);
  g_assert_cmpuint (after.keyframes_encoded, >, before.keyframes_encoded);
  loop_clear (&loop);
}

static void
on_receiver_error (SottoMediaReceiver *receiver,
                   GError             *error,
                   guint              *errors)
{
  g_test_message ("receiver error: %s", error->message);
  (*errors)++;
}

static void
on_sender_rtp_copy (SottoMediaSender *sender,
                    SottoMediaKind    kind,
                    GBytes           *packet,
                    Loop             *loop)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (packet, &size);
  g_autofree guint8 *copy = NULL;
  g_autoptr (GBytes) other = NULL;

  if (kind != SOTTO_MEDIA_KIND_VIDEO || size < 12)
    return;
  /* The same packets again from another SSRC, as from a second sender. */
  copy = g_memdup2 (data, size);
  copy[8] ^= 0x55;
  other = g_bytes_new (copy, size);
  sotto_media_receiver_push_rtp (loop->receiver, other);
}

/* A second video stream (another SSRC) must neither stop the receiver nor
 * replace the picture it is decoding. */
static void
test_second_stream_ignored (void)
{
  Loop loop;
  guint errors = 0;

  loop_init (&loop, 0);
  g_signal_connect (loop.receiver, "error", G_CALLBACK (on_receiver_error), &errors);
  g_assert_cmpuint (wait_frames (&loop, 5, 8000), >=, 5);
  g_signal_connect (loop.sender, "rtp-packet", G_CALLBACK (on_sender_rtp_copy), &loop);
  g_assert_cmpuint (wait_frames (&loop, 15, 8000), >=, 15);
  g_assert_cmpuint (errors, ==, 0);
  g_assert_cmpuint (loop.bad_size, ==, 0);
  loop_clear (&loop);
}

static void
on_frame_drop_receiver (SottoMediaReceiver *receiver,
                        guint               width,
                        guint               height,
                        guint               stride,
                        GBytes             *pixels,
                        Loop               *loop)
{
  /* The renderer keeps the pixels past the receiver's life. */
  if (loop->kept == NULL)
    loop->kept = g_bytes_ref (pixels);
  g_signal_handlers_disconnect_matched (loop->sender, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, loop);
  g_clear_object (&loop->receiver);
}

/* A handler may drop the last reference to the receiver that is emitting:
 * queued frames and packets are dropped, nothing is touched afterwards, and
 * pixels a renderer kept stay valid. */
static void
test_unref_in_handler (void)
{
  Loop loop;
  gsize size;
  const guint8 *p;
  guint sum = 0;

  loop_init (&loop, 0);
  g_signal_handlers_disconnect_by_func (loop.receiver, on_video_frame, &loop);
  g_signal_connect (loop.receiver, "video-frame", G_CALLBACK (on_frame_drop_receiver), &loop);
  g_object_add_weak_pointer (G_OBJECT (loop.receiver), (gpointer *) &loop.receiver);
  for (guint i = 0; i < 80 && loop.receiver != NULL; i++)
    media_test_run_for (100);
  g_assert_null (loop.receiver);
  g_assert_nonnull (loop.kept);

  /* Whatever the receiver had queued is dropped, not delivered to a dead object. */
  media_test_run_for (300);
  p = g_bytes_get_data (loop.kept, &size);
  g_assert_cmpuint (size, >=, 320 * 240 * 4);
  for (gsize i = 0; i < size; i += 97)
    sum += p[i];
  g_assert_cmpuint (sum, >, 0);
  g_bytes_unref (loop.kept);
  sotto_media_sender_stop (loop.sender);
  g_assert_finalize_object (loop.sender);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/media/loopback/decodes", test_decodes);
  g_test_add_func ("/sotto/media/loopback/loss-recovered", test_loss_recovered);
  g_test_add_func ("/sotto/media/loopback/pli-recovers", test_pli_recovers);
  g_test_add_func ("/sotto/media/loopback/unref-in-handler", test_unref_in_handler);
  g_test_add_func ("/sotto/media/loopback/second-stream-ignored", test_second_stream_ignored);
  return g_test_run ();
}
