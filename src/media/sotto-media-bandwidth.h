/* sotto-media-bandwidth.h: the video bitrate policy of a sender
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One encoder feeds every subscriber, so it follows the worst receiver:
 * docs/media.md ("Bandwidth") describes the policy. Plain data, owner's thread. */
typedef struct _SottoMediaBandwidth SottoMediaBandwidth;

#define SOTTO_MEDIA_BANDWIDTH_REPORTER_TIMEOUT_US (10 * G_USEC_PER_SEC)

SottoMediaBandwidth *sotto_media_bandwidth_new    (guint start_kbps,
                                                   guint min_kbps,
                                                   guint max_kbps);
void                 sotto_media_bandwidth_free   (SottoMediaBandwidth *bw);

/* A receiver's report: loss fraction (1/256) of our video and/or its REMB. */
void                 sotto_media_bandwidth_report (SottoMediaBandwidth *bw,
                                                   guint32              reporter_ssrc,
                                                   gint64               now_us,
                                                   gboolean             has_loss,
                                                   guint8               fraction_lost,
                                                   gboolean             has_remb,
                                                   guint64              remb_bps);
/* Applies fresh reports and forgets silent receivers; returns the new target. */
guint                sotto_media_bandwidth_update (SottoMediaBandwidth *bw,
                                                   gint64               now_us);
guint                sotto_media_bandwidth_get_target_kbps (SottoMediaBandwidth *bw);
guint                sotto_media_bandwidth_get_n_reporters (SottoMediaBandwidth *bw);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoMediaBandwidth, sotto_media_bandwidth_free)

G_END_DECLS
