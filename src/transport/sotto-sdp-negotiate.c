/* sotto-sdp-negotiate.c: offer/answer rules (RFC 3264, RFC 8842, JSEP)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-sdp"

#include "sotto-sdp.h"

#include <string.h>

static const char OPUS_ANSWER_FMTP[] = "minptime=10;useinbandfec=1";

gboolean
sotto_sdp_choose_answer_setup (SottoSdpSetup  offered,
                               SottoSdpSetup *out_answer,
                               GError       **error)
{
  switch (offered)
    {
    case SOTTO_SDP_SETUP_ACTPASS:
      /* RFC 8842, section 5.3: either is allowed; active, like browsers,
       * saves the round trip of waiting for the offerer's ClientHello. */
      *out_answer = SOTTO_SDP_SETUP_ACTIVE;
      return TRUE;
    case SOTTO_SDP_SETUP_ACTIVE:
      *out_answer = SOTTO_SDP_SETUP_PASSIVE;
      return TRUE;
    case SOTTO_SDP_SETUP_PASSIVE:
      *out_answer = SOTTO_SDP_SETUP_ACTIVE;
      return TRUE;
    default:
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP,
                   "unknown a=setup value %d in the offer", (int) offered);
      return FALSE;
    }
}

gboolean
sotto_sdp_resolve_setup (SottoSdpSetup  offered,
                         SottoSdpSetup  answered,
                         gboolean      *out_offerer_is_client,
                         GError       **error)
{
  if (answered == SOTTO_SDP_SETUP_ACTPASS)
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP,
                           "the answer says a=setup:actpass; an answer must choose active or passive");
      return FALSE;
    }
  /* RFC 8842, section 5: an offerer that chose a role (re-offers keep the
   * established one) must get the opposite; the same role on both sides
   * would leave two DTLS clients (or servers) waiting for each other. */
  if ((offered == SOTTO_SDP_SETUP_ACTIVE && answered == SOTTO_SDP_SETUP_ACTIVE) ||
      (offered == SOTTO_SDP_SETUP_PASSIVE && answered == SOTTO_SDP_SETUP_PASSIVE))
    {
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP_CONFLICT,
                   "both offer and answer say a=setup:%s; one side must be active and "
                   "the other passive", sotto_sdp_setup_to_string (answered));
      return FALSE;
    }
  if (out_offerer_is_client != NULL)
    *out_offerer_is_client = (answered == SOTTO_SDP_SETUP_PASSIVE);
  return TRUE;
}

SottoMediaDirection
sotto_sdp_answer_direction (SottoMediaDirection offered,
                            SottoMediaDirection wanted)
{
  /* We may send only if the offerer receives, and receive only if it sends. */
  gboolean offer_sends = offered == SOTTO_MEDIA_DIRECTION_SENDRECV ||
                         offered == SOTTO_MEDIA_DIRECTION_SENDONLY;
  gboolean offer_recvs = offered == SOTTO_MEDIA_DIRECTION_SENDRECV ||
                         offered == SOTTO_MEDIA_DIRECTION_RECVONLY;
  gboolean want_send = wanted == SOTTO_MEDIA_DIRECTION_SENDRECV ||
                       wanted == SOTTO_MEDIA_DIRECTION_SENDONLY;
  gboolean want_recv = wanted == SOTTO_MEDIA_DIRECTION_SENDRECV ||
                       wanted == SOTTO_MEDIA_DIRECTION_RECVONLY;
  gboolean send = want_send && offer_recvs;
  gboolean recv = want_recv && offer_sends;

  if (send && recv)
    return SOTTO_MEDIA_DIRECTION_SENDRECV;
  if (send)
    return SOTTO_MEDIA_DIRECTION_SENDONLY;
  if (recv)
    return SOTTO_MEDIA_DIRECTION_RECVONLY;
  return SOTTO_MEDIA_DIRECTION_INACTIVE;
}

/* The one codec we speak for each kind; payload types are whatever the
 * offer says (browsers use 111 and 96 today, but nothing promises it). */
static const SottoSdpCodec *
find_supported_codec (const SottoSdpMedia *media)
{
  guint i;

  for (i = 0; i < media->codecs->len; i++)
    {
      const SottoSdpCodec *codec = media->codecs->pdata[i];

      if (media->kind == SOTTO_SDP_MEDIA_KIND_AUDIO &&
          g_ascii_strcasecmp (codec->encoding, "opus") == 0 &&
          codec->clock_rate == 48000 && codec->channels == 2)
        return codec;
      if (media->kind == SOTTO_SDP_MEDIA_KIND_VIDEO &&
          g_ascii_strcasecmp (codec->encoding, "VP8") == 0 &&
          codec->clock_rate == 90000)
        return codec;
    }
  return NULL;
}

static SottoSdpMedia *
reject_media (const SottoSdpMedia *offered)
{
  SottoSdpMedia *media = sotto_sdp_media_new (offered->kind, offered->mid,
                                              SOTTO_MEDIA_DIRECTION_INACTIVE);

  media->rejected = TRUE;
  media->m_media = g_strdup (offered->m_media);
  media->m_proto = g_strdup (offered->m_proto);
  media->m_formats = g_strdup (offered->m_formats);
  return media;
}

SottoSdpDescription *
sotto_sdp_create_answer (const SottoSdpDescription *offer,
                         GPtrArray                 *local_media,
                         const char                *ice_ufrag,
                         const char                *ice_pwd,
                         const char                *fingerprint,
                         GError                   **error)
{
  g_autoptr(SottoSdpDescription) answer = NULL;
  g_autofree gboolean *used = NULL;
  SottoSdpSetup setup;
  guint n_accepted = 0, i, j;

  g_return_val_if_fail (offer != NULL, NULL);

  if (offer->type != SOTTO_SDP_TYPE_OFFER)
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH,
                           "an answer can only be made to an offer");
      return NULL;
    }
  if (!sotto_sdp_choose_answer_setup (offer->setup, &setup, error))
    return NULL;

  answer = sotto_sdp_description_new (SOTTO_SDP_TYPE_ANSWER, ice_ufrag, ice_pwd,
                                      fingerprint, setup);
  used = g_new0 (gboolean, local_media != NULL ? local_media->len + 1 : 1);

  for (i = 0; i < offer->media->len; i++)
    {
      const SottoSdpMedia *offered = offer->media->pdata[i];
      const SottoSdpCodec *codec;
      const SottoSdpMedia *local = NULL;
      SottoSdpMedia *media;
      SottoSdpCodec *chosen;

      codec = (offered->rejected || offered->kind == SOTTO_SDP_MEDIA_KIND_OTHER)
              ? NULL : find_supported_codec (offered);
      if (codec == NULL)
        {
          sotto_sdp_description_add_media (answer, reject_media (offered));
          continue;
        }

      for (j = 0; local_media != NULL && j < local_media->len; j++)
        {
          const SottoSdpMedia *candidate = local_media->pdata[j];

          if (!used[j] && candidate->kind == offered->kind)
            {
              used[j] = TRUE;
              local = candidate;
              break;
            }
        }

      media = sotto_sdp_media_new (offered->kind, offered->mid,
                                   sotto_sdp_answer_direction (offered->direction,
                                                               local != NULL ? local->direction
                                                                             : SOTTO_MEDIA_DIRECTION_RECVONLY));
      /* Replace our default codec by the offered one, keeping only the
       * feedback both sides do. */
      chosen = sotto_sdp_codec_copy (g_ptr_array_index (media->codecs, 0));
      chosen->payload_type = codec->payload_type;
      chosen->fb_nack = chosen->fb_nack && codec->fb_nack;
      chosen->fb_nack_pli = chosen->fb_nack_pli && codec->fb_nack_pli;
      chosen->fb_ccm_fir = chosen->fb_ccm_fir && codec->fb_ccm_fir;
      g_free (chosen->fmtp);
      chosen->fmtp = offered->kind == SOTTO_SDP_MEDIA_KIND_AUDIO ? g_strdup (OPUS_ANSWER_FMTP) : NULL;
      g_ptr_array_remove_range (media->codecs, 0, media->codecs->len);
      g_ptr_array_add (media->codecs, chosen);

      if (local != NULL && (media->direction == SOTTO_MEDIA_DIRECTION_SENDRECV ||
                            media->direction == SOTTO_MEDIA_DIRECTION_SENDONLY))
        sotto_sdp_media_set_ssrc (media, local->ssrc, local->cname,
                                  local->msid_stream, local->msid_track);
      sotto_sdp_description_add_media (answer, media);
      n_accepted++;
    }

  if (n_accepted == 0)
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_NO_COMMON_CODEC,
                           "no m-line of the offer carries Opus (48000/2) or VP8 over "
                           "UDP/TLS/RTP/SAVPF; there is nothing to answer");
      return NULL;
    }
  return g_steal_pointer (&answer);
}

gboolean
sotto_sdp_check_answer (const SottoSdpDescription *offer,
                        const SottoSdpDescription *answer,
                        GError                   **error)
{
  guint i, j, n_accepted = 0;

  if (offer->media->len != answer->media->len)
    {
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH,
                   "the answer has %u m-lines; the offer had %u",
                   answer->media->len, offer->media->len);
      return FALSE;
    }

  for (i = 0; i < answer->media->len; i++)
    {
      const SottoSdpMedia *o = offer->media->pdata[i];
      const SottoSdpMedia *a = answer->media->pdata[i];
      const SottoSdpCodec *codec;
      gboolean found = FALSE;

      if (g_strcmp0 (o->mid, a->mid) != 0 || o->kind != a->kind)
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH,
                       "answer m-line %u (mid \"%s\") does not match offered mid \"%s\"",
                       i, a->mid, o->mid);
          return FALSE;
        }
      if (a->rejected)
        continue;
      if (o->rejected)
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH,
                       "the answer accepts m-line \"%s\", which the offer rejected", a->mid);
          return FALSE;
        }
      codec = sotto_sdp_media_get_codec (a);
      for (j = 0; codec != NULL && j < o->codecs->len; j++)
        {
          const SottoSdpCodec *oc = o->codecs->pdata[j];

          if (oc->payload_type == codec->payload_type &&
              g_ascii_strcasecmp (oc->encoding, codec->encoding) == 0)
            found = TRUE;
        }
      if (!found)
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH,
                       "the answer's codec for m-line \"%s\" was not offered", a->mid);
          return FALSE;
        }
      if (sotto_sdp_answer_direction (o->direction, a->direction) != a->direction &&
          a->direction != SOTTO_MEDIA_DIRECTION_INACTIVE)
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH,
                       "m-line \"%s\": a %s answer to a %s offer is not allowed",
                       a->mid, sotto_media_direction_to_string (a->direction),
                       sotto_media_direction_to_string (o->direction));
          return FALSE;
        }
      n_accepted++;
    }

  if (n_accepted == 0)
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_NO_COMMON_CODEC,
                           "the answer rejects every m-line");
      return FALSE;
    }
  return sotto_sdp_resolve_setup (offer->setup, answer->setup, NULL, error);
}
