/* sotto-media-rtcp.c: reading RTCP compound packets (routing and feedback)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-media"

#include <gst/rtp/rtp.h>
#include <string.h>

#include "sotto-media-private.h"

/* The layer above hands us whatever arrived on the wire: validate before reading,
 * accepting reduced-size RTCP (RFC 5506) that browsers send for feedback. */
static gboolean
map_rtcp (GBytes        *packet,
          GstBuffer    **out_buffer,
          GstRTCPBuffer *rtcp)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (packet, &size);
  g_autoptr (GstBuffer) buffer = NULL;

  if (data == NULL || size < 4 || size > G_MAXUINT16 * 4)
    return FALSE;
  if (!gst_rtcp_buffer_validate_data_reduced ((guint8 *) data, (guint) size))
    return FALSE;
  buffer = gst_buffer_new_memdup (data, size);
  if (!gst_rtcp_buffer_map (buffer, GST_MAP_READ, rtcp))
    return FALSE;
  *out_buffer = g_steal_pointer (&buffer);
  return TRUE;
}

static void
add_ssrc (GArray *ssrcs,
          guint32 ssrc)
{
  if (ssrc != 0)
    g_array_append_val (ssrcs, ssrc);
}

gboolean
sotto_media_rtcp_collect_ssrcs (GBytes *packet,
                                GArray *ssrcs)
{
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  g_autoptr (GstBuffer) buffer = NULL;
  GstRTCPPacket p;
  gboolean more;

  if (!map_rtcp (packet, &buffer, &rtcp))
    return FALSE;

  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &p); more;
       more = gst_rtcp_packet_move_to_next (&p))
    {
      switch (gst_rtcp_packet_get_type (&p))
        {
        case GST_RTCP_TYPE_SR:
        case GST_RTCP_TYPE_RR:
          {
            guint32 ssrc;

            if (gst_rtcp_packet_get_type (&p) == GST_RTCP_TYPE_SR)
              gst_rtcp_packet_sr_get_sender_info (&p, &ssrc, NULL, NULL, NULL, NULL);
            else
              ssrc = gst_rtcp_packet_rr_get_ssrc (&p);
            add_ssrc (ssrcs, ssrc);
            for (guint i = 0; i < gst_rtcp_packet_get_rb_count (&p); i++)
              {
                gst_rtcp_packet_get_rb (&p, i, &ssrc, NULL, NULL, NULL, NULL, NULL, NULL);
                add_ssrc (ssrcs, ssrc);
              }
            break;
          }
        case GST_RTCP_TYPE_SDES:
          for (gboolean item = gst_rtcp_packet_sdes_first_item (&p); item;
               item = gst_rtcp_packet_sdes_next_item (&p))
            add_ssrc (ssrcs, gst_rtcp_packet_sdes_get_ssrc (&p));
          break;
        case GST_RTCP_TYPE_BYE:
          for (guint i = 0; i < gst_rtcp_packet_bye_get_ssrc_count (&p); i++)
            add_ssrc (ssrcs, gst_rtcp_packet_bye_get_nth_ssrc (&p, i));
          break;
        case GST_RTCP_TYPE_RTPFB:
        case GST_RTCP_TYPE_PSFB:
          {
            guint8 *fci = gst_rtcp_packet_fb_get_fci (&p);
            guint words = gst_rtcp_packet_fb_get_fci_length (&p);

            add_ssrc (ssrcs, gst_rtcp_packet_fb_get_sender_ssrc (&p));
            add_ssrc (ssrcs, gst_rtcp_packet_fb_get_media_ssrc (&p));
            if (gst_rtcp_packet_get_type (&p) == GST_RTCP_TYPE_PSFB && fci != NULL)
              {
                guint type = gst_rtcp_packet_fb_get_type (&p);

                /* FIR names its targets in the FCI (RFC 5104 4.3.1), REMB too. */
                if (type == GST_RTCP_PSFB_TYPE_FIR)
                  for (guint i = 0; i + 1 < words; i += 2)
                    add_ssrc (ssrcs, GST_READ_UINT32_BE (fci + i * 4));
                else if (type == GST_RTCP_PSFB_TYPE_AFB && words >= 2 &&
                         memcmp (fci, "REMB", 4) == 0)
                  for (guint i = 0; i < fci[4] && 2 + i < words; i++)
                    add_ssrc (ssrcs, GST_READ_UINT32_BE (fci + 8 + i * 4));
              }
            break;
          }
        case GST_RTCP_TYPE_APP:
          add_ssrc (ssrcs, gst_rtcp_packet_app_get_ssrc (&p));
          break;
        case GST_RTCP_TYPE_XR:
          add_ssrc (ssrcs, gst_rtcp_packet_xr_get_ssrc (&p));
          break;
        case GST_RTCP_TYPE_INVALID:
        default:
          break;
        }
    }
  gst_rtcp_buffer_unmap (&rtcp);
  return TRUE;
}

static gboolean
contains (const guint32 *set,
          guint          n,
          guint32        ssrc)
{
  for (guint i = 0; i < n; i++)
    if (set[i] != 0 && set[i] == ssrc)
      return TRUE;
  return FALSE;
}

guint
sotto_media_rtcp_route (GBytes        *packet,
                        const guint32 *video_ssrcs,
                        guint          n_video,
                        const guint32 *audio_ssrcs,
                        guint          n_audio)
{
  g_autoptr (GArray) ssrcs = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint mask = 0;

  if (!sotto_media_rtcp_collect_ssrcs (packet, ssrcs))
    return 0;
  for (guint i = 0; i < ssrcs->len; i++)
    {
      guint32 ssrc = g_array_index (ssrcs, guint32, i);

      if (contains (video_ssrcs, n_video, ssrc))
        mask |= 1u << SOTTO_MEDIA_KIND_VIDEO;
      if (contains (audio_ssrcs, n_audio, ssrc))
        mask |= 1u << SOTTO_MEDIA_KIND_AUDIO;
    }
  return mask;
}

static void
set_reporter (SottoMediaRtcpFeedback *out,
              guint32                 ssrc)
{
  if (out->reporter_ssrc == 0)
    out->reporter_ssrc = ssrc;
}

gboolean
sotto_media_rtcp_parse_feedback (GBytes                 *packet,
                                 const guint32          *video_ssrcs,
                                 guint                   n_video,
                                 SottoMediaRtcpFeedback *out)
{
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  g_autoptr (GstBuffer) buffer = NULL;
  GstRTCPPacket p;
  gboolean more;

  memset (out, 0, sizeof *out);
  if (!map_rtcp (packet, &buffer, &rtcp))
    return FALSE;

  for (more = gst_rtcp_buffer_get_first_packet (&rtcp, &p); more;
       more = gst_rtcp_packet_move_to_next (&p))
    {
      GstRTCPType type = gst_rtcp_packet_get_type (&p);

      if (type == GST_RTCP_TYPE_SR || type == GST_RTCP_TYPE_RR)
        {
          guint32 sender;

          if (type == GST_RTCP_TYPE_SR)
            gst_rtcp_packet_sr_get_sender_info (&p, &sender, NULL, NULL, NULL, NULL);
          else
            sender = gst_rtcp_packet_rr_get_ssrc (&p);
          set_reporter (out, sender);
          for (guint i = 0; i < gst_rtcp_packet_get_rb_count (&p); i++)
            {
              guint32 ssrc, highest, jitter, lsr, dlsr;
              guint8 fraction;
              gint32 lost;

              gst_rtcp_packet_get_rb (&p, i, &ssrc, &fraction, &lost, &highest, &jitter, &lsr,
                                      &dlsr);
              /* Only the media stream: the RTX stream's loss is not path loss. */
              if (n_video > 0 && ssrc == video_ssrcs[0])
                {
                  out->has_loss = TRUE;
                  out->fraction_lost = fraction;
                  out->packets_lost = lost;
                  out->jitter = jitter;
                  out->lsr = lsr;
                  out->dlsr = dlsr;
                }
            }
        }
      else if (type == GST_RTCP_TYPE_RTPFB || type == GST_RTCP_TYPE_PSFB)
        {
          guint fb = gst_rtcp_packet_fb_get_type (&p);
          guint32 media = gst_rtcp_packet_fb_get_media_ssrc (&p);
          guint8 *fci = gst_rtcp_packet_fb_get_fci (&p);
          guint words = gst_rtcp_packet_fb_get_fci_length (&p);

          set_reporter (out, gst_rtcp_packet_fb_get_sender_ssrc (&p));
          if (type == GST_RTCP_TYPE_RTPFB && fb == GST_RTCP_RTPFB_TYPE_NACK &&
              contains (video_ssrcs, n_video, media))
            out->n_nack += words;
          else if (type == GST_RTCP_TYPE_PSFB && fb == GST_RTCP_PSFB_TYPE_PLI &&
                   contains (video_ssrcs, n_video, media))
            out->n_pli++;
          else if (type == GST_RTCP_TYPE_PSFB && fb == GST_RTCP_PSFB_TYPE_FIR && fci != NULL)
            {
              for (guint i = 0; i + 1 < words; i += 2)
                if (contains (video_ssrcs, n_video, GST_READ_UINT32_BE (fci + i * 4)))
                  out->n_fir++;
            }
          else if (type == GST_RTCP_TYPE_PSFB && fb == GST_RTCP_PSFB_TYPE_AFB && fci != NULL &&
                   words >= 2 && memcmp (fci, "REMB", 4) == 0)
            {
              /* draft-alvestrand-rmcat-remb: 6-bit exponent, 18-bit mantissa. */
              guint exponent = fci[5] >> 2;
              guint64 mantissa = ((guint64) (fci[5] & 0x03) << 16) | (fci[6] << 8) | fci[7];

              if (exponent < 40)
                {
                  out->has_remb = TRUE;
                  out->remb_bps = mantissa << exponent;
                }
            }
        }
    }
  gst_rtcp_buffer_unmap (&rtcp);
  return TRUE;
}

GBytes *
sotto_media_rtcp_make_feedback (guint8  fmt,
                                guint8  type,
                                guint32 sender_ssrc,
                                guint32 media_ssrc,
                                gint    nack_seqnum)
{
  guint8 pkt[16];
  gsize len = nack_seqnum >= 0 ? 16 : 12;

  pkt[0] = 0x80 | (fmt & 0x1f);
  pkt[1] = type;
  GST_WRITE_UINT16_BE (pkt + 2, len / 4 - 1);
  GST_WRITE_UINT32_BE (pkt + 4, sender_ssrc);
  GST_WRITE_UINT32_BE (pkt + 8, media_ssrc);
  if (nack_seqnum >= 0)
    {
      /* FCI: the lost packet, no bitmask of following losses. */
      GST_WRITE_UINT16_BE (pkt + 12, (guint16) nack_seqnum);
      GST_WRITE_UINT16_BE (pkt + 14, 0);
    }
  return g_bytes_new (pkt, len);
}
