/* media-test-util.c: helpers shared by the media tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gst/rtp/rtp.h>
#include <string.h>

#include "media-test-util.h"

void
media_test_config (SottoMediaConfig *config)
{
  sotto_media_config_init (config);
  config->video_source = SOTTO_MEDIA_SOURCE_TEST;
  config->audio_source = SOTTO_MEDIA_SOURCE_TEST;
  config->width = 320;
  config->height = 240;
  config->fps = 15;
  config->video_kbps = sotto_media_config_default_video_kbps (320, 240, 15);
  config->fake_audio_sink = TRUE;
  /* Keyframes only on request, so that tests can tell requested ones apart. */
  config->keyframe_max_dist = 100000;
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
media_test_wait (const gboolean *flag,
                 guint           timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *flag;
}

void
media_test_run_for (guint ms)
{
  gboolean never = FALSE;

  media_test_wait (&never, ms);
}

gboolean
media_test_rtp_info (GBytes   *packet,
                     guint    *pt,
                     guint32  *ssrc,
                     guint16  *seq,
                     gboolean *marker)
{
  gsize size;
  const guint8 *d = g_bytes_get_data (packet, &size);

  if (size < 12 || (d[0] >> 6) != 2)
    return FALSE;
  if (pt)
    *pt = d[1] & 0x7f;
  if (marker)
    *marker = (d[1] & 0x80) != 0;
  if (seq)
    *seq = GST_READ_UINT16_BE (d + 2);
  if (ssrc)
    *ssrc = GST_READ_UINT32_BE (d + 8);
  return TRUE;
}

gboolean
media_test_is_vp8_keyframe_start (GBytes *packet)
{
  gsize size;
  const guint8 *d = g_bytes_get_data (packet, &size);
  gsize off, end = size;
  guint8 desc;

  if (size < 12 || (d[0] >> 6) != 2)
    return FALSE;
  off = 12 + 4 * (d[0] & 0x0f);
  if (d[0] & 0x10) /* header extension */
    {
      if (off + 4 > size)
        return FALSE;
      off += 4 + 4 * GST_READ_UINT16_BE (d + off + 2);
    }
  if (d[0] & 0x20) /* padding */
    end -= d[size - 1];
  if (off >= end)
    return FALSE;

  /* RFC 7741 4.2 payload descriptor. */
  desc = d[off++];
  if (desc & 0x80)
    {
      guint8 ext;

      if (off >= end)
        return FALSE;
      ext = d[off++];
      if (ext & 0x80) /* I: picture id, 7 or 15 bits */
        {
          if (off >= end)
            return FALSE;
          off += (d[off] & 0x80) ? 2 : 1;
        }
      if (ext & 0x40) /* L */
        off++;
      if (ext & 0x30) /* T or K */
        off++;
    }
  /* S set and partition 0: the VP8 payload header follows; P bit 0 = keyframe. */
  if (!(desc & 0x10) || (desc & 0x07) != 0 || off >= end)
    return FALSE;
  return (d[off] & 0x01) == 0;
}

GBytes *
media_test_make_pli (guint32 sender_ssrc,
                     guint32 media_ssrc)
{
  guint8 pkt[12];

  pkt[0] = 0x80 | GST_RTCP_PSFB_TYPE_PLI;
  pkt[1] = GST_RTCP_TYPE_PSFB;
  GST_WRITE_UINT16_BE (pkt + 2, 2);
  GST_WRITE_UINT32_BE (pkt + 4, sender_ssrc);
  GST_WRITE_UINT32_BE (pkt + 8, media_ssrc);
  return g_bytes_new (pkt, sizeof pkt);
}

GBytes *
media_test_make_rr (guint32 reporter_ssrc,
                    guint32 media_ssrc,
                    guint8  fraction_lost,
                    guint64 remb_bps)
{
  GByteArray *a = g_byte_array_new ();
  guint8 rr[32] = { 0 };

  rr[0] = 0x81;
  rr[1] = GST_RTCP_TYPE_RR;
  GST_WRITE_UINT16_BE (rr + 2, 7);
  GST_WRITE_UINT32_BE (rr + 4, reporter_ssrc);
  GST_WRITE_UINT32_BE (rr + 8, media_ssrc);
  rr[12] = fraction_lost;
  g_byte_array_append (a, rr, sizeof rr);
  if (remb_bps != 0)
    {
      guint8 remb[24] = { 0 };
      guint exponent = 0;
      guint64 mantissa = remb_bps;

      while (mantissa > 0x3ffff)
        {
          mantissa >>= 1;
          exponent++;
        }
      remb[0] = 0x80 | GST_RTCP_PSFB_TYPE_AFB;
      remb[1] = GST_RTCP_TYPE_PSFB;
      GST_WRITE_UINT16_BE (remb + 2, 5);
      GST_WRITE_UINT32_BE (remb + 4, reporter_ssrc);
      memcpy (remb + 12, "REMB", 4);
      remb[16] = 1;
      remb[17] = (guint8) ((exponent << 2) | (mantissa >> 16));
      remb[18] = (guint8) (mantissa >> 8);
      remb[19] = (guint8) mantissa;
      GST_WRITE_UINT32_BE (remb + 20, media_ssrc);
      g_byte_array_append (a, remb, sizeof remb);
    }
  return g_byte_array_free_to_bytes (a);
}
