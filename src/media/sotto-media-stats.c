/* sotto-media-stats.c: reading rtpbin's statistics for a receiver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-media-private.h"

/* Adds the remote sender's losses to *lost and, if jitter_ms is given, sets its
 * interarrival jitter, from rtpbin's per-source statistics. */
void
sotto_media_read_source_stats (GstElement *rtpbin,
                               guint       session_id,
                               guint32     remote_ssrc,
                               gint64     *lost,
                               double     *jitter_ms)
{
  g_autoptr (GObject) session = NULL;
  g_autoptr (GstStructure) session_stats = NULL;
  const GValue *sources;

  g_signal_emit_by_name (rtpbin, "get-internal-session", session_id, &session);
  if (session == NULL || remote_ssrc == 0)
    return;
  g_object_get (session, "stats", &session_stats, NULL);
  sources = session_stats ? gst_structure_get_value (session_stats, "source-stats") : NULL;
  if (sources == NULL)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  /* rtpsession still hands these out as a GValueArray in GStreamer 1.22. */
  if (G_VALUE_HOLDS (sources, g_value_array_get_type ()))
    {
      GValueArray *array = g_value_get_boxed (sources);

      for (guint i = 0; array != NULL && i < array->n_values; i++)
        {
          const GstStructure *s = gst_value_get_structure (g_value_array_get_nth (array, i));
          guint ssrc = 0, jitter = 0;
          gint packets_lost = 0, clock_rate = 0;

          if (!gst_structure_get_uint (s, "ssrc", &ssrc) || ssrc != remote_ssrc)
            continue;
          if (gst_structure_get_int (s, "packets-lost", &packets_lost))
            *lost += MAX (packets_lost, 0);
          if (jitter_ms != NULL && gst_structure_get_uint (s, "jitter", &jitter) &&
              gst_structure_get_int (s, "clock-rate", &clock_rate) && clock_rate > 0)
            *jitter_ms = jitter * 1000.0 / clock_rate;
        }
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* Packets the video jitter buffers got back through RTX in time. The receiver
 * tags its jitter buffers with "sotto-session" (session id + 1). */
guint64
sotto_media_read_rtx_recovered (GstElement *rtpbin)
{
  g_autoptr (GstIterator) it = gst_bin_iterate_recurse (GST_BIN (rtpbin));
  GValue item = G_VALUE_INIT;
  guint64 total = 0;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GObject *element = g_value_get_object (&item);
      guint session = GPOINTER_TO_UINT (g_object_get_data (element, "sotto-session"));

      if (session == SOTTO_MEDIA_KIND_VIDEO + 1)
        {
          g_autoptr (GstStructure) s = NULL;
          guint64 recovered = 0;

          g_object_get (element, "stats", &s, NULL);
          if (s != NULL && gst_structure_get_uint64 (s, "rtx-success-count", &recovered))
            total += recovered;
        }
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return total;
}
