/* sotto-media-sender-stats.c: a sender's RTCP feedback and statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feedback from every subscriber (receiver reports, NACK, PLI, FIR, REMB)
 * comes in here on the owner's thread and goes on to rtpbin and to the
 * bandwidth policy; the counters it and the streaming threads keep come
 * out as SottoMediaSenderStats.
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-config.h"

#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/rtp/rtp.h>
#include <string.h>

#include "sotto-media-private.h"
#include "sotto-media-sender-private.h"

/* RTT = arrival - LSR - DLSR, all in NTP's middle 32 bits (1/65536 s); rtpbin
 * stamps its SRs with the wall clock (ntp-time-source=ntp), as we read it here. */
static double
rtt_ms (guint32 lsr,
        guint32 dlsr)
{
  guint64 now_us = (guint64) g_get_real_time ();
  guint64 ntp_seconds = now_us / G_USEC_PER_SEC + G_GUINT64_CONSTANT (2208988800);
  guint64 ntp_fraction = (now_us % G_USEC_PER_SEC) * 65536 / G_USEC_PER_SEC;
  guint32 arrival = (guint32) ((ntp_seconds << 16) | ntp_fraction);
  guint32 rtt = arrival - lsr - dlsr;

  if (lsr == 0 || rtt > 10 * 65536) /* none yet, or clocks/packets make no sense */
    return -1;
  return rtt * 1000.0 / 65536;
}

/**
 * sotto_media_sender_push_rtcp:
 * @packet: a plain RTCP compound packet from one subscriber (RR, NACK, PLI, FIR, REMB)
 * @report: (out) (optional): what it said about our video, for that
 *   subscriber's statistics (loss, jitter, round-trip time)
 *
 * rtpbin answers NACKs with RTX and PLI/FIR with a keyframe; loss and REMB feed
 * the bitrate policy. Packets about SSRCs we do not send are dropped.
 */
void
sotto_media_sender_push_rtcp (SottoMediaSender         *self,
                              GBytes                   *packet,
                              SottoMediaReceiverReport *report)
{
  const SottoMediaConfig *c;
  guint32 video[2], audio[1];
  SottoMediaRtcpFeedback fb;
  guint mask;

  g_return_if_fail (SOTTO_IS_MEDIA_SENDER (self));
  g_return_if_fail (packet != NULL);

  if (report != NULL)
    *report = (SottoMediaReceiverReport) { .has_report = FALSE, .rtt_ms = -1 };
  c = &self->config;
  video[0] = c->send_video ? c->video_ssrc : 0;
  video[1] = c->send_video ? c->video_rtx_ssrc : 0;
  audio[0] = c->send_audio ? c->audio_ssrc : 0;
  mask = sotto_media_rtcp_route (packet, video, G_N_ELEMENTS (video), audio, G_N_ELEMENTS (audio));
  if (mask == 0 || !self->started)
    return;

  if ((mask & (1u << SOTTO_MEDIA_KIND_VIDEO)) &&
      sotto_media_rtcp_parse_feedback (packet, video, G_N_ELEMENTS (video), &fb))
    {
      self->nacks_received += fb.n_nack;
      self->plis_received += fb.n_pli;
      self->firs_received += fb.n_fir;
      sotto_media_bandwidth_report (self->bandwidth, fb.reporter_ssrc, g_get_monotonic_time (),
                                    fb.has_loss, fb.fraction_lost, fb.has_remb, fb.remb_bps);
      if (report != NULL && fb.has_loss)
        *report = (SottoMediaReceiverReport) {
          .has_report = TRUE,
          .fraction_lost = fb.fraction_lost / 256.0,
          .packets_lost = fb.packets_lost,
          .jitter_ms = fb.jitter * 1000.0 / 90000,
          .rtt_ms = rtt_ms (fb.lsr, fb.dlsr),
        };
    }

  for (guint kind = 0; kind < 2; kind++)
    if ((mask & (1u << kind)) && self->rtcp_in[kind] != NULL)
      {
        gsize size;
        const guint8 *data = g_bytes_get_data (packet, &size);

        gst_app_src_push_buffer (GST_APP_SRC (self->rtcp_in[kind]),
                                 gst_buffer_new_memdup (data, size));
      }
}

static gboolean
is_encoder (GstElement *element)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *klass;

  if (factory == NULL)
    return FALSE;
  klass = gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS);
  return klass != NULL && strstr (klass, "Encoder") != NULL;
}

/**
 * sotto_media_sender_get_n_encoders:
 *
 * Counts the encoder elements actually in the pipeline (recursively), so that
 * tests and benchmarks can check one encoder per track whatever the number of
 * subscribers.
 */
guint
sotto_media_sender_get_n_encoders (SottoMediaSender *self)
{
  g_autoptr (GstIterator) it = NULL;
  GValue item = G_VALUE_INIT;
  gboolean done = FALSE;
  guint n = 0;

  g_return_val_if_fail (SOTTO_IS_MEDIA_SENDER (self), 0);

  it = gst_bin_iterate_recurse (GST_BIN (self->pipeline));
  while (!done)
    switch (gst_iterator_next (it, &item))
      {
      case GST_ITERATOR_OK:
        if (is_encoder (g_value_get_object (&item)))
          n++;
        g_value_reset (&item);
        break;
      case GST_ITERATOR_RESYNC:
        gst_iterator_resync (it);
        n = 0;
        break;
      case GST_ITERATOR_ERROR:
      case GST_ITERATOR_DONE:
      default:
        done = TRUE;
        break;
      }
  g_value_unset (&item);
  return n;
}

void
sotto_media_sender_get_stats (SottoMediaSender      *self,
                              SottoMediaSenderStats *stats)
{
  g_return_if_fail (SOTTO_IS_MEDIA_SENDER (self));
  g_return_if_fail (stats != NULL);

  *stats = (SottoMediaSenderStats) {
    .frames_encoded = (guint) g_atomic_int_get (&self->frames_encoded),
    .keyframes_encoded = (guint) g_atomic_int_get (&self->keyframes_encoded),
    .audio_frames_encoded = (guint) g_atomic_int_get (&self->audio_frames_encoded),
    .packets_sent = self->packets_sent,
    .bytes_sent = self->bytes_sent,
    .nacks_received = self->nacks_received,
    .plis_received = self->plis_received,
    .firs_received = self->firs_received,
    .video_kbps = sotto_media_bandwidth_get_target_kbps (self->bandwidth),
    .n_reporters = sotto_media_bandwidth_get_n_reporters (self->bandwidth),
  };
}

