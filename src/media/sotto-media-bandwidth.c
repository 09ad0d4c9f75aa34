/* sotto-media-bandwidth.c: loss- and REMB-driven target bitrate, worst receiver wins
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-media-bandwidth.h"

/* Thresholds of the loss-based controller of draft-ietf-rmcat-gcc-02 section 6:
 * under 2% loss the path has room, over 10% it is congested. */
#define LOSS_LOW    (256 * 2 / 100)
#define LOSS_HIGH   (256 * 10 / 100)
#define GROWTH      1.08

typedef struct {
  gint64   last_seen_us;
  gboolean fresh;       /* a report arrived since the last update */
  gboolean has_loss;
  guint8   fraction_lost;
  guint64  remb_bps;    /* 0: none */
} Reporter;

struct _SottoMediaBandwidth {
  guint       min_kbps;
  guint       max_kbps;
  guint       target_kbps;
  GHashTable *reporters; /* SSRC -> Reporter */
};

SottoMediaBandwidth *
sotto_media_bandwidth_new (guint start_kbps,
                           guint min_kbps,
                           guint max_kbps)
{
  SottoMediaBandwidth *bw = g_new0 (SottoMediaBandwidth, 1);

  g_return_val_if_fail (min_kbps > 0 && min_kbps <= max_kbps, NULL);
  bw->min_kbps = min_kbps;
  bw->max_kbps = max_kbps;
  bw->target_kbps = CLAMP (start_kbps, min_kbps, max_kbps);
  bw->reporters = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return bw;
}

void
sotto_media_bandwidth_free (SottoMediaBandwidth *bw)
{
  if (bw == NULL)
    return;
  g_hash_table_unref (bw->reporters);
  g_free (bw);
}

void
sotto_media_bandwidth_report (SottoMediaBandwidth *bw,
                              guint32              reporter_ssrc,
                              gint64               now_us,
                              gboolean             has_loss,
                              guint8               fraction_lost,
                              gboolean             has_remb,
                              guint64              remb_bps)
{
  Reporter *r;

  if (!has_loss && !has_remb)
    return;
  r = g_hash_table_lookup (bw->reporters, GUINT_TO_POINTER (reporter_ssrc));
  if (r == NULL)
    {
      r = g_new0 (Reporter, 1);
      g_hash_table_insert (bw->reporters, GUINT_TO_POINTER (reporter_ssrc), r);
    }
  r->last_seen_us = now_us;
  if (has_loss)
    {
      r->fresh = TRUE;
      r->has_loss = TRUE;
      r->fraction_lost = fraction_lost;
    }
  if (has_remb)
    r->remb_bps = MAX (remb_bps, 1);
}

/* What one receiver would let us send next, from its latest report. */
static double
reporter_estimate (const Reporter *r,
                   double          target,
                   gboolean        step)
{
  double estimate = target;

  if (step && r->has_loss)
    {
      if (r->fraction_lost > LOSS_HIGH)
        estimate = target * (1.0 - 0.5 * r->fraction_lost / 256.0);
      else if (r->fraction_lost < LOSS_LOW)
        estimate = target * GROWTH;
    }
  if (r->remb_bps > 0)
    estimate = MIN (estimate, r->remb_bps / 1000.0);
  return estimate;
}

guint
sotto_media_bandwidth_update (SottoMediaBandwidth *bw,
                              gint64               now_us)
{
  GHashTableIter iter;
  Reporter *r;
  double worst = G_MAXDOUBLE;
  gboolean step = FALSE;

  g_hash_table_iter_init (&iter, bw->reporters);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
    {
      if (now_us - r->last_seen_us > SOTTO_MEDIA_BANDWIDTH_REPORTER_TIMEOUT_US)
        g_hash_table_iter_remove (&iter);
      else if (r->fresh)
        step = TRUE;
    }

  /* Step only when someone reported since last time, so one report is acted on
   * once instead of compounding every tick; the worst receiver decides. */
  g_hash_table_iter_init (&iter, bw->reporters);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
    {
      worst = MIN (worst, reporter_estimate (r, bw->target_kbps, step));
      r->fresh = FALSE;
    }
  if (worst != G_MAXDOUBLE)
    bw->target_kbps = (guint) CLAMP (worst, bw->min_kbps, bw->max_kbps);
  return bw->target_kbps;
}

guint
sotto_media_bandwidth_get_target_kbps (SottoMediaBandwidth *bw)
{
  return bw->target_kbps;
}

guint
sotto_media_bandwidth_get_n_reporters (SottoMediaBandwidth *bw)
{
  return g_hash_table_size (bw->reporters);
}
