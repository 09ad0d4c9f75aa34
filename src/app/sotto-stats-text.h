/* sotto-stats-text.h: a stream's statistics in the words of the stats popover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the session layer knows about one received (or sent) stream. A
 * negative number, a zero size or a NULL codec means "not known yet". */
typedef struct {
  double      bitrate_bps;
  double      loss_fraction;  /* 0.0 .. 1.0 */
  double      rtt_ms;
  double      jitter_ms;
  int         width;
  int         height;
  double      frame_rate;
  const char *codec;          /* "VP8", "Opus", ... */
} SottoTileStats;

char *sotto_stats_text_bitrate    (double bitrate_bps);
char *sotto_stats_text_loss       (double loss_fraction);
char *sotto_stats_text_duration   (double milliseconds);
char *sotto_stats_text_resolution (int    width,
                                   int    height);
char *sotto_stats_text_frame_rate (double frame_rate);
char *sotto_stats_text_codec      (const char *codec);

G_END_DECLS
