/* sotto-media-receiver.h: one subscription: jitter buffer, decode, frames out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sotto-media-config.h"
#include "sotto-media-output.h"

G_BEGIN_DECLS

typedef struct {
  guint64     packets_received;      /* RTP packets pushed in (both kinds, RTX included) */
  guint64     bytes_received;
  guint       bitrate_kbps;          /* over the last second */
  gint64      packets_lost;          /* after retransmission, per rtpbin's receiver reports */
  double      jitter_ms;             /* video interarrival jitter (RFC 3550 6.4.1) */
  guint64     video_frames_decoded;
  guint64     video_frames_delivered;/* "video-frame" emissions */
  double      video_fps;             /* delivered over the last second */
  guint       width;
  guint       height;
  guint64     audio_buffers_decoded;
  guint       audio_peak;            /* largest |sample| decoded, 0..32767 */
  guint64     nacks_sent;            /* packets asked for again */
  guint64     rtx_recovered;         /* of those, how many came back in time */
  guint64     keyframe_requests_sent; /* PLI and FIR */
  const char *video_codec;           /* "VP8" */
  const char *audio_codec;           /* "opus" */
} SottoMediaReceiverStats;

#define SOTTO_TYPE_MEDIA_RECEIVER (sotto_media_receiver_get_type ())
G_DECLARE_FINAL_TYPE (SottoMediaReceiver, sotto_media_receiver, SOTTO, MEDIA_RECEIVER, GObject)

SottoMediaReceiver *sotto_media_receiver_new        (const SottoMediaConfig *config,
                                                     GError                **error);
SottoMediaReceiver *sotto_media_receiver_new_with_output (const SottoMediaConfig *config,
                                                          SottoMediaOutput       *output,
                                                          GError                **error);
gboolean            sotto_media_receiver_start      (SottoMediaReceiver *self,
                                                     GError            **error);
void                sotto_media_receiver_stop       (SottoMediaReceiver *self);

void                sotto_media_receiver_push_rtp   (SottoMediaReceiver *self,
                                                     GBytes             *packet);
void                sotto_media_receiver_push_rtcp  (SottoMediaReceiver *self,
                                                     GBytes             *packet);

void                sotto_media_receiver_get_stats  (SottoMediaReceiver      *self,
                                                     SottoMediaReceiverStats *stats);

G_END_DECLS
