/* sotto-stats-text.c: a stream's statistics in the words of the stats popover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sotto-stats-text.h"

static gboolean
known (double value)
{
  return value >= 0.0 && isfinite (value);
}

static char *
unknown (void)
{
  /* TRANSLATORS: shown in the stats popover before a value is measured. */
  return g_strdup (C_("stats", "—"));
}

char *
sotto_stats_text_bitrate (double bitrate_bps)
{
  if (!known (bitrate_bps))
    return unknown ();
  if (bitrate_bps >= 1e6)
    /* TRANSLATORS: megabits per second */
    return g_strdup_printf (_("%.1f Mbit/s"), bitrate_bps / 1e6);
  /* TRANSLATORS: kilobits per second */
  return g_strdup_printf (_("%.0f kbit/s"), bitrate_bps / 1e3);
}

char *
sotto_stats_text_loss (double loss_fraction)
{
  if (!known (loss_fraction))
    return unknown ();
  /* TRANSLATORS: packet loss in per cent */
  return g_strdup_printf (_("%.1f %%"), MIN (loss_fraction, 1.0) * 100.0);
}

char *
sotto_stats_text_duration (double milliseconds)
{
  if (!known (milliseconds))
    return unknown ();
  /* TRANSLATORS: milliseconds */
  return g_strdup_printf (_("%.0f ms"), milliseconds);
}

char *
sotto_stats_text_resolution (int width,
                             int height)
{
  if (width <= 0 || height <= 0)
    return unknown ();
  /* TRANSLATORS: video width × height in pixels */
  return g_strdup_printf (_("%d × %d"), width, height);
}

char *
sotto_stats_text_frame_rate (double frame_rate)
{
  if (!known (frame_rate))
    return unknown ();
  /* TRANSLATORS: frames per second */
  return g_strdup_printf (_("%.0f fps"), frame_rate);
}

char *
sotto_stats_text_codec (const char *codec)
{
  if (codec == NULL || *codec == '\0')
    return unknown ();
  return g_strdup (codec);
}
