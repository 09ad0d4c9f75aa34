/* media-test-util.h: helpers shared by the media tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sotto-media-config.h"

G_BEGIN_DECLS

/* 320x240 at 15 fps from the test sources, fake audio output. */
void     media_test_config (SottoMediaConfig *config);

/* Iterates the default context until *flag becomes TRUE or timeout_ms passes. */
gboolean media_test_wait (const gboolean *flag,
                          guint           timeout_ms);
/* Iterates the default context for a fixed time. */
void     media_test_run_for (guint ms);

/* RTP header fields; FALSE if the packet is not RTP. */
gboolean media_test_rtp_info (GBytes   *packet,
                              guint    *pt,
                              guint32  *ssrc,
                              guint16  *seq,
                              gboolean *marker);
/* TRUE if this RTP packet starts a VP8 keyframe (RFC 7741 descriptor + VP8 header). */
gboolean media_test_is_vp8_keyframe_start (GBytes *packet);

/* A PLI (RFC 4585 6.3.1) from sender_ssrc about media_ssrc. */
GBytes  *media_test_make_pli (guint32 sender_ssrc,
                              guint32 media_ssrc);
/* An RR from reporter_ssrc with one report block about media_ssrc, plus a REMB
 * when remb_bps is not 0. */
GBytes  *media_test_make_rr (guint32 reporter_ssrc,
                             guint32 media_ssrc,
                             guint8  fraction_lost,
                             guint64 remb_bps);

G_END_DECLS
