/* sotto-sdp.c: session descriptions to and from text, with GstSDPMessage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Negotiation rules live in sotto-sdp-negotiate.c, parsing in sotto-sdp-parse.c
 * and candidate lines in sotto-sdp-candidate.c; this file is the model and
 * its serialisation.
 */
#define G_LOG_DOMAIN "sotto-sdp"

#include "sotto-sdp.h"
#include "sotto-sdp-private.h"

#include <string.h>
#include <gst/sdp/sdp.h>

#include "sotto-random.h"

G_DEFINE_QUARK (sotto-sdp-error-quark, sotto_sdp_error)

static const char OPUS_FMTP[] = "minptime=10;useinbandfec=1";

/* ---------------------------------------------------------------- model */

SottoSdpCodec *
sotto_sdp_codec_new (guint       payload_type,
                     const char *encoding,
                     guint       clock_rate,
                     guint       channels,
                     const char *fmtp)
{
  SottoSdpCodec *codec = g_new0 (SottoSdpCodec, 1);

  codec->payload_type = payload_type;
  codec->encoding = g_strdup (encoding);
  codec->clock_rate = clock_rate;
  codec->channels = channels;
  codec->fmtp = g_strdup (fmtp);
  return codec;
}

SottoSdpCodec *
sotto_sdp_codec_copy (const SottoSdpCodec *codec)
{
  SottoSdpCodec *copy = sotto_sdp_codec_new (codec->payload_type, codec->encoding,
                                             codec->clock_rate, codec->channels,
                                             codec->fmtp);

  copy->fb_nack = codec->fb_nack;
  copy->fb_nack_pli = codec->fb_nack_pli;
  copy->fb_ccm_fir = codec->fb_ccm_fir;
  return copy;
}

void
sotto_sdp_codec_free (SottoSdpCodec *codec)
{
  if (codec == NULL)
    return;
  g_free (codec->encoding);
  g_free (codec->fmtp);
  g_free (codec);
}

SottoSdpMedia *
sotto_sdp_media_new_empty (SottoSdpMediaKind kind)
{
  SottoSdpMedia *media = g_new0 (SottoSdpMedia, 1);

  media->kind = kind;
  media->rtcp_mux = TRUE;
  media->codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) sotto_sdp_codec_free);
  media->candidates = g_ptr_array_new_with_free_func (g_free);
  return media;
}

SottoSdpMedia *
sotto_sdp_media_new (SottoSdpMediaKind      kind,
                     const char         *mid,
                     SottoMediaDirection direction)
{
  SottoSdpMedia *media = sotto_sdp_media_new_empty (kind);

  media->mid = g_strdup (mid);
  media->direction = direction;
  if (kind == SOTTO_SDP_MEDIA_KIND_AUDIO)
    {
      g_ptr_array_add (media->codecs,
                       sotto_sdp_codec_new (SOTTO_SDP_DEFAULT_OPUS_PT, "opus", 48000, 2, OPUS_FMTP));
    }
  else if (kind == SOTTO_SDP_MEDIA_KIND_VIDEO)
    {
      SottoSdpCodec *vp8 = sotto_sdp_codec_new (SOTTO_SDP_DEFAULT_VP8_PT, "VP8", 90000, 0, NULL);

      /* Loss repair the media layer implements: NACK retransmission and
       * keyframe requests (PLI, and FIR for older endpoints). */
      vp8->fb_nack = vp8->fb_nack_pli = vp8->fb_ccm_fir = TRUE;
      g_ptr_array_add (media->codecs, vp8);
    }
  return media;
}

SottoSdpMedia *
sotto_sdp_media_copy (const SottoSdpMedia *media)
{
  SottoSdpMedia *copy = sotto_sdp_media_new_empty (media->kind);
  guint i;

  copy->mid = g_strdup (media->mid);
  copy->direction = media->direction;
  copy->rejected = media->rejected;
  copy->rtcp_mux = media->rtcp_mux;
  for (i = 0; i < media->codecs->len; i++)
    g_ptr_array_add (copy->codecs, sotto_sdp_codec_copy (media->codecs->pdata[i]));
  copy->ssrc = media->ssrc;
  copy->cname = g_strdup (media->cname);
  copy->msid_stream = g_strdup (media->msid_stream);
  copy->msid_track = g_strdup (media->msid_track);
  for (i = 0; i < media->candidates->len; i++)
    g_ptr_array_add (copy->candidates, g_strdup (media->candidates->pdata[i]));
  copy->end_of_candidates = media->end_of_candidates;
  copy->ice_ufrag = g_strdup (media->ice_ufrag);
  copy->ice_pwd = g_strdup (media->ice_pwd);
  copy->fingerprint = g_strdup (media->fingerprint);
  copy->has_setup = media->has_setup;
  copy->setup = media->setup;
  copy->ice_trickle = media->ice_trickle;
  copy->m_media = g_strdup (media->m_media);
  copy->m_proto = g_strdup (media->m_proto);
  copy->m_formats = g_strdup (media->m_formats);
  return copy;
}

void
sotto_sdp_media_free (SottoSdpMedia *media)
{
  if (media == NULL)
    return;
  g_free (media->mid);
  g_ptr_array_unref (media->codecs);
  g_free (media->cname);
  g_free (media->msid_stream);
  g_free (media->msid_track);
  g_ptr_array_unref (media->candidates);
  g_free (media->ice_ufrag);
  g_free (media->ice_pwd);
  g_free (media->fingerprint);
  g_free (media->m_media);
  g_free (media->m_proto);
  g_free (media->m_formats);
  g_free (media);
}

void
sotto_sdp_media_set_ssrc (SottoSdpMedia *media,
                          guint32        ssrc,
                          const char    *cname,
                          const char    *msid_stream,
                          const char    *msid_track)
{
  media->ssrc = ssrc;
  g_free (media->cname);
  media->cname = g_strdup (cname);
  g_free (media->msid_stream);
  media->msid_stream = g_strdup (msid_stream);
  g_free (media->msid_track);
  media->msid_track = g_strdup (msid_track);
}

const SottoSdpCodec *
sotto_sdp_media_get_codec (const SottoSdpMedia *media)
{
  if (media->rejected || media->codecs->len == 0)
    return NULL;
  return media->codecs->pdata[0];
}

SottoSdpDescription *
sotto_sdp_description_new (SottoSdpType   type,
                           const char    *ice_ufrag,
                           const char    *ice_pwd,
                           const char    *fingerprint,
                           SottoSdpSetup  setup)
{
  SottoSdpDescription *desc = g_new0 (SottoSdpDescription, 1);
  guint64 id = 0;
  g_autoptr(GBytes) random = sotto_random_bytes (sizeof id, NULL);

  desc->type = type;
  /* RFC 3264, section 5: the o= session id only needs to be unique; a
   * random value also keeps it from identifying the machine. Keep it below
   * 2^62 as JSEP suggests, so it fits a signed 64-bit integer. */
  if (random != NULL)
    memcpy (&id, g_bytes_get_data (random, NULL), sizeof id);
  desc->session_id = id & G_GUINT64_CONSTANT (0x3fffffffffffffff);
  desc->session_version = 2;
  desc->ice_ufrag = g_strdup (ice_ufrag);
  desc->ice_pwd = g_strdup (ice_pwd);
  desc->ice_trickle = TRUE;
  desc->fingerprint = g_strdup (fingerprint);
  desc->setup = setup;
  desc->media = g_ptr_array_new_with_free_func ((GDestroyNotify) sotto_sdp_media_free);
  return desc;
}

SottoSdpDescription *
sotto_sdp_description_copy (const SottoSdpDescription *desc)
{
  SottoSdpDescription *copy = sotto_sdp_description_new (desc->type, desc->ice_ufrag,
                                                         desc->ice_pwd, desc->fingerprint,
                                                         desc->setup);
  guint i;

  copy->session_id = desc->session_id;
  copy->session_version = desc->session_version;
  copy->ice_trickle = desc->ice_trickle;
  for (i = 0; i < desc->media->len; i++)
    g_ptr_array_add (copy->media, sotto_sdp_media_copy (desc->media->pdata[i]));
  return copy;
}

void
sotto_sdp_description_free (SottoSdpDescription *desc)
{
  if (desc == NULL)
    return;
  g_free (desc->ice_ufrag);
  g_free (desc->ice_pwd);
  g_free (desc->fingerprint);
  g_ptr_array_unref (desc->media);
  g_free (desc);
}

void
sotto_sdp_description_add_media (SottoSdpDescription *desc,
                                 SottoSdpMedia       *media)
{
  g_ptr_array_add (desc->media, media);
}

const SottoSdpMedia *
sotto_sdp_description_find_media (const SottoSdpDescription *desc,
                                  const char                *mid)
{
  guint i;

  for (i = 0; i < desc->media->len; i++)
    {
      const SottoSdpMedia *media = desc->media->pdata[i];

      if (g_strcmp0 (media->mid, mid) == 0)
        return media;
    }
  return NULL;
}

const char *
sotto_sdp_description_get_bundle_tag (const SottoSdpDescription *desc)
{
  guint i;

  for (i = 0; i < desc->media->len; i++)
    {
      const SottoSdpMedia *media = desc->media->pdata[i];

      if (!media->rejected)
        return media->mid;
    }
  return NULL;
}

const char *
sotto_media_direction_to_string (SottoMediaDirection direction)
{
  switch (direction)
    {
    case SOTTO_MEDIA_DIRECTION_SENDONLY: return "sendonly";
    case SOTTO_MEDIA_DIRECTION_RECVONLY: return "recvonly";
    case SOTTO_MEDIA_DIRECTION_INACTIVE: return "inactive";
    case SOTTO_MEDIA_DIRECTION_SENDRECV:
    default:                             return "sendrecv";
    }
}

const char *
sotto_sdp_setup_to_string (SottoSdpSetup setup)
{
  switch (setup)
    {
    case SOTTO_SDP_SETUP_ACTIVE:  return "active";
    case SOTTO_SDP_SETUP_PASSIVE: return "passive";
    case SOTTO_SDP_SETUP_ACTPASS:
    default:                      return "actpass";
    }
}

/* -------------------------------------------------------------- writing */

static void
add_codec_attributes (GstSDPMedia         *gmedia,
                      const SottoSdpCodec *codec)
{
  g_autofree char *pt = g_strdup_printf ("%u", codec->payload_type);
  g_autofree char *rtpmap = NULL;

  gst_sdp_media_add_format (gmedia, pt);
  if (codec->channels > 0)
    rtpmap = g_strdup_printf ("%u %s/%u/%u", codec->payload_type, codec->encoding,
                              codec->clock_rate, codec->channels);
  else
    rtpmap = g_strdup_printf ("%u %s/%u", codec->payload_type, codec->encoding,
                              codec->clock_rate);
  gst_sdp_media_add_attribute (gmedia, "rtpmap", rtpmap);
  if (codec->fb_nack)
    {
      g_autofree char *v = g_strdup_printf ("%u nack", codec->payload_type);
      gst_sdp_media_add_attribute (gmedia, "rtcp-fb", v);
    }
  if (codec->fb_nack_pli)
    {
      g_autofree char *v = g_strdup_printf ("%u nack pli", codec->payload_type);
      gst_sdp_media_add_attribute (gmedia, "rtcp-fb", v);
    }
  if (codec->fb_ccm_fir)
    {
      g_autofree char *v = g_strdup_printf ("%u ccm fir", codec->payload_type);
      gst_sdp_media_add_attribute (gmedia, "rtcp-fb", v);
    }
  if (codec->fmtp != NULL && codec->fmtp[0] != '\0')
    {
      g_autofree char *v = g_strdup_printf ("%u %s", codec->payload_type, codec->fmtp);
      gst_sdp_media_add_attribute (gmedia, "fmtp", v);
    }
}

static void
add_rejected_media (GstSDPMessage       *msg,
                    const SottoSdpMedia *media)
{
  GstSDPMedia *gmedia = NULL;
  g_auto(GStrv) formats = NULL;
  guint i;

  gst_sdp_media_new (&gmedia);
  if (media->m_media != NULL)
    gst_sdp_media_set_media (gmedia, media->m_media);
  else
    gst_sdp_media_set_media (gmedia, media->kind == SOTTO_SDP_MEDIA_KIND_VIDEO ? "video" : "audio");
  gst_sdp_media_set_port_info (gmedia, 0, 1);
  gst_sdp_media_set_proto (gmedia, media->m_proto != NULL ? media->m_proto : "UDP/TLS/RTP/SAVPF");
  if (media->m_formats != NULL)
    {
      formats = g_strsplit (media->m_formats, " ", -1);
      for (i = 0; formats[i] != NULL; i++)
        if (formats[i][0] != '\0')
          gst_sdp_media_add_format (gmedia, formats[i]);
    }
  if (gst_sdp_media_formats_len (gmedia) == 0)
    {
      for (i = 0; i < media->codecs->len; i++)
        {
          g_autofree char *pt = g_strdup_printf ("%u", ((SottoSdpCodec *) media->codecs->pdata[i])->payload_type);
          gst_sdp_media_add_format (gmedia, pt);
        }
    }
  if (gst_sdp_media_formats_len (gmedia) == 0)
    gst_sdp_media_add_format (gmedia, "0");
  gst_sdp_media_add_connection (gmedia, "IN", "IP4", "0.0.0.0", 0, 0);
  if (media->mid != NULL)
    gst_sdp_media_add_attribute (gmedia, "mid", media->mid);
  gst_sdp_message_add_media (msg, gmedia);
  gst_sdp_media_free (gmedia);
}

char *
sotto_sdp_description_to_string (const SottoSdpDescription *desc)
{
  GstSDPMessage *msg = NULL;
  g_autoptr(GString) bundle = g_string_new ("BUNDLE");
  g_autofree char *sess_id = g_strdup_printf ("%" G_GUINT64_FORMAT, desc->session_id);
  g_autofree char *sess_version = g_strdup_printf ("%" G_GUINT64_FORMAT, desc->session_version);
  char *text;
  guint i, j;

  gst_sdp_message_new (&msg);
  gst_sdp_message_set_version (msg, "0");
  gst_sdp_message_set_origin (msg, "-", sess_id, sess_version, "IN", "IP4", "127.0.0.1");
  gst_sdp_message_set_session_name (msg, "-");
  gst_sdp_message_add_time (msg, "0", "0", NULL);

  for (i = 0; i < desc->media->len; i++)
    {
      const SottoSdpMedia *media = desc->media->pdata[i];

      if (!media->rejected)
        g_string_append_printf (bundle, " %s", media->mid);
    }
  gst_sdp_message_add_attribute (msg, "group", bundle->str);
  if (desc->ice_trickle)
    gst_sdp_message_add_attribute (msg, "ice-options", "trickle");
  gst_sdp_message_add_attribute (msg, "msid-semantic", "WMS *");

  for (i = 0; i < desc->media->len; i++)
    {
      const SottoSdpMedia *media = desc->media->pdata[i];
      GstSDPMedia *gmedia = NULL;

      if (media->rejected)
        {
          add_rejected_media (msg, media);
          continue;
        }

      gst_sdp_media_new (&gmedia);
      gst_sdp_media_set_media (gmedia, media->kind == SOTTO_SDP_MEDIA_KIND_VIDEO ? "video" : "audio");
      /* JSEP, section 5.2.1: port 9 (discard) and 0.0.0.0 until candidates
       * trickle in; the real addresses are only in a=candidate lines. */
      gst_sdp_media_set_port_info (gmedia, 9, 1);
      gst_sdp_media_set_proto (gmedia, "UDP/TLS/RTP/SAVPF");
      gst_sdp_media_add_connection (gmedia, "IN", "IP4", "0.0.0.0", 0, 0);
      gst_sdp_media_add_attribute (gmedia, "ice-ufrag", desc->ice_ufrag);
      gst_sdp_media_add_attribute (gmedia, "ice-pwd", desc->ice_pwd);
      if (desc->ice_trickle)
        gst_sdp_media_add_attribute (gmedia, "ice-options", "trickle");
      gst_sdp_media_add_attribute (gmedia, "fingerprint", desc->fingerprint);
      gst_sdp_media_add_attribute (gmedia, "setup", sotto_sdp_setup_to_string (desc->setup));
      gst_sdp_media_add_attribute (gmedia, "mid", media->mid);
      gst_sdp_media_add_attribute (gmedia, sotto_media_direction_to_string (media->direction), NULL);
      if (media->msid_stream != NULL && media->msid_track != NULL)
        {
          g_autofree char *msid = g_strdup_printf ("%s %s", media->msid_stream, media->msid_track);
          gst_sdp_media_add_attribute (gmedia, "msid", msid);
        }
      gst_sdp_media_add_attribute (gmedia, "rtcp-mux", NULL);
      for (j = 0; j < media->codecs->len; j++)
        add_codec_attributes (gmedia, media->codecs->pdata[j]);
      if (media->ssrc != 0)
        {
          g_autofree char *v = g_strdup_printf ("%u cname:%s", media->ssrc,
                                                media->cname != NULL ? media->cname : "sotto");
          gst_sdp_media_add_attribute (gmedia, "ssrc", v);
          if (media->msid_stream != NULL && media->msid_track != NULL)
            {
              g_autofree char *m = g_strdup_printf ("%u msid:%s %s", media->ssrc,
                                                    media->msid_stream, media->msid_track);
              gst_sdp_media_add_attribute (gmedia, "ssrc", m);
            }
        }
      for (j = 0; j < media->candidates->len; j++)
        {
          const char *cand = media->candidates->pdata[j];

          if (g_str_has_prefix (cand, "candidate:"))
            cand += strlen ("candidate:");
          gst_sdp_media_add_attribute (gmedia, "candidate", cand);
        }
      if (media->end_of_candidates)
        gst_sdp_media_add_attribute (gmedia, "end-of-candidates", NULL);
      gst_sdp_message_add_media (msg, gmedia);
      gst_sdp_media_free (gmedia);
    }

  text = gst_sdp_message_as_text (msg);
  gst_sdp_message_free (msg);
  return text;
}
