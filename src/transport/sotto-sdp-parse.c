/* sotto-sdp-parse.c: session descriptions from text, checked as JSEP requires
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-sdp"

#include "sotto-sdp.h"
#include "sotto-sdp-private.h"

#include <string.h>
#include <gst/sdp/sdp.h>

/* RFC 8839, section 5.4: ice-char = ALPHA / DIGIT / "+" / "/". */
#define ICE_UFRAG_MIN 4
#define ICE_PWD_MIN 22
#define ICE_CRED_MAX 256

/* Larger than any offer a browser writes with a few hundred candidates; a
 * description beyond it is refused before GstSDPMessage sees it. */
#define MAX_SDP_LENGTH (256 * 1024)
#define MAX_MEDIA 64
/* Browsers use short numbers; JSEP only asks for uniqueness. */
#define MAX_MID_LENGTH 32

/* -------------------------------------------------------------- parsing */

static gboolean
is_ice_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

static gboolean
valid_ice_credential (const char *s,
                      gsize       min_len)
{
  gsize n;

  if (s == NULL)
    return FALSE;
  for (n = 0; s[n] != '\0'; n++)
    if (!is_ice_char (s[n]))
      return FALSE;
  return n >= min_len && n <= ICE_CRED_MAX;
}

/* RFC 8122, section 5: hash-func SP fingerprint, the latter hex pairs
 * separated by colons. Which hashes are acceptable is DTLS's decision. */
static gboolean
valid_fingerprint (const char *s)
{
  const char *sp;
  gsize i, pairs = 0;

  if (s == NULL || (sp = strchr (s, ' ')) == NULL || sp == s)
    return FALSE;
  for (i = 0; s + i < sp; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '-')
      return FALSE;
  for (i = 1; ; i += 3)
    {
      if (!g_ascii_isxdigit (sp[i]) || !g_ascii_isxdigit (sp[i + 1]))
        return FALSE;
      pairs++;
      if (sp[i + 2] == '\0')
        break;
      if (sp[i + 2] != ':')
        return FALSE;
    }
  return pairs >= 16 && pairs <= 64;
}

static gboolean
parse_setup (const char    *value,
             SottoSdpSetup *out)
{
  if (g_strcmp0 (value, "actpass") == 0)
    *out = SOTTO_SDP_SETUP_ACTPASS;
  else if (g_strcmp0 (value, "active") == 0)
    *out = SOTTO_SDP_SETUP_ACTIVE;
  else if (g_strcmp0 (value, "passive") == 0)
    *out = SOTTO_SDP_SETUP_PASSIVE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_uint (const char *s,
            guint64     max,
            guint64    *out,
            const char **end)
{
  guint64 v = 0;
  const char *p = s;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    {
      guint64 digit = (guint64) (*p - '0');

      if (v > (max - digit) / 10)
        return FALSE;
      v = v * 10 + digit;
      p++;
    }
  *out = v;
  if (end != NULL)
    *end = p;
  else if (*p != '\0')
    return FALSE;
  return TRUE;
}

static SottoSdpCodec *
find_codec (SottoSdpMedia *media,
            guint          pt)
{
  guint i;

  for (i = 0; i < media->codecs->len; i++)
    {
      SottoSdpCodec *codec = media->codecs->pdata[i];

      if (codec->payload_type == pt)
        return codec;
    }
  return NULL;
}

/* "<pt> <name>/<rate>[/<channels>]" */
static void
parse_rtpmap (SottoSdpMedia *media,
              const char    *value)
{
  guint64 pt, rate, channels = 0;
  const char *p;
  g_auto(GStrv) parts = NULL;
  SottoSdpCodec *codec;

  if (value == NULL || !parse_uint (value, 127, &pt, &p) || *p != ' ')
    return;
  codec = find_codec (media, (guint) pt);
  if (codec == NULL)
    return;  /* rtpmap for a payload type not on the m= line */
  parts = g_strsplit (p + 1, "/", 3);
  if (parts[0] == NULL || parts[0][0] == '\0' || parts[1] == NULL ||
      !parse_uint (parts[1], G_MAXUINT32, &rate, NULL))
    return;
  if (parts[2] != NULL && !parse_uint (parts[2], 255, &channels, NULL))
    return;
  g_free (codec->encoding);
  codec->encoding = g_strdup (parts[0]);
  codec->clock_rate = (guint) rate;
  codec->channels = (guint) channels;
}

static void
parse_fmtp (SottoSdpMedia *media,
            const char    *value)
{
  guint64 pt;
  const char *p;
  SottoSdpCodec *codec;

  if (value == NULL || !parse_uint (value, 127, &pt, &p) || *p != ' ')
    return;
  codec = find_codec (media, (guint) pt);
  if (codec == NULL)
    return;
  g_free (codec->fmtp);
  codec->fmtp = g_strdup (p + 1);
}

/* "<pt>|* <type> [<param>]": only the three kinds we act on are kept. */
static void
parse_rtcp_fb (SottoSdpMedia *media,
               const char    *value)
{
  guint64 pt = 0;
  const char *p;
  gboolean wildcard = FALSE;
  guint i;

  if (value == NULL)
    return;
  if (value[0] == '*')
    {
      wildcard = TRUE;
      p = value + 1;
    }
  else if (!parse_uint (value, 127, &pt, &p))
    return;
  if (*p != ' ')
    return;
  p++;

  for (i = 0; i < media->codecs->len; i++)
    {
      SottoSdpCodec *codec = media->codecs->pdata[i];

      if (!wildcard && codec->payload_type != pt)
        continue;
      if (strcmp (p, "nack") == 0)
        codec->fb_nack = TRUE;
      else if (strcmp (p, "nack pli") == 0)
        codec->fb_nack_pli = TRUE;
      else if (strcmp (p, "ccm fir") == 0)
        codec->fb_ccm_fir = TRUE;
    }
}

/* "<ssrc> cname:<cname>" / "<ssrc> msid:<stream> <track>": the first SSRC
 * is the stream's (later ones are RTX/FEC of an ssrc-group). */
static void
parse_ssrc (SottoSdpMedia *media,
            const char    *value)
{
  guint64 ssrc;
  const char *p;

  if (value == NULL || !parse_uint (value, G_MAXUINT32, &ssrc, &p) || *p != ' ' || ssrc == 0)
    return;
  if (media->ssrc == 0)
    media->ssrc = (guint32) ssrc;
  if (media->ssrc != ssrc)
    return;
  p++;
  if (g_str_has_prefix (p, "cname:") && media->cname == NULL)
    media->cname = g_strdup (p + strlen ("cname:"));
}

static void
parse_msid (SottoSdpMedia *media,
            const char    *value)
{
  g_auto(GStrv) parts = NULL;

  if (value == NULL || media->msid_stream != NULL)
    return;
  parts = g_strsplit (value, " ", 2);
  if (parts[0] == NULL || parts[0][0] == '\0')
    return;
  media->msid_stream = g_strdup (parts[0]);
  /* RFC 8830: the track id is optional ("appdata"). */
  media->msid_track = g_strdup (parts[1] != NULL ? parts[1] : "");
}

/* Fills `media` from one GstSDPMedia; `index` only for messages. */
static gboolean
parse_media (const GstSDPMedia *gmedia,
             guint              index,
             SottoSdpMedia    **out,
             GError           **error)
{
  g_autoptr(SottoSdpMedia) media = NULL;
  const char *name = gst_sdp_media_get_media (gmedia);
  const char *proto = gst_sdp_media_get_proto (gmedia);
  g_autoptr(GString) formats = g_string_new (NULL);
  gboolean bundle_only = FALSE;
  gboolean srtp_proto;
  guint i;

  if (name == NULL || proto == NULL || gst_sdp_media_formats_len (gmedia) == 0)
    {
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE,
                   "m-line %u is malformed: expected \"m=<media> <port> <proto> <formats>\"", index);
      return FALSE;
    }

  if (strcmp (name, "audio") == 0)
    media = sotto_sdp_media_new_empty (SOTTO_SDP_MEDIA_KIND_AUDIO);
  else if (strcmp (name, "video") == 0)
    media = sotto_sdp_media_new_empty (SOTTO_SDP_MEDIA_KIND_VIDEO);
  else
    media = sotto_sdp_media_new_empty (SOTTO_SDP_MEDIA_KIND_OTHER);
  media->rtcp_mux = FALSE;
  media->m_media = g_strdup (name);
  media->m_proto = g_strdup (proto);

  /* RFC 5764, section 8 and JSEP: DTLS-SRTP profiles only; anything else
   * (RTP/AVP, RTP/SAVP with SDES keys) would mean plaintext or keys in
   * the signaling, so such an m-line is never accepted. */
  srtp_proto = (strcmp (proto, "UDP/TLS/RTP/SAVPF") == 0 ||
                strcmp (proto, "UDP/TLS/RTP/SAVP") == 0 ||
                strcmp (proto, "TCP/TLS/RTP/SAVPF") == 0 ||
                strcmp (proto, "TCP/DTLS/RTP/SAVPF") == 0);
  if (!srtp_proto)
    media->kind = SOTTO_SDP_MEDIA_KIND_OTHER;

  for (i = 0; i < gst_sdp_media_formats_len (gmedia); i++)
    {
      const char *fmt = gst_sdp_media_get_format (gmedia, i);
      guint64 pt;

      g_string_append_printf (formats, "%s%s", i > 0 ? " " : "", fmt);
      if (media->kind != SOTTO_SDP_MEDIA_KIND_OTHER)
        {
          if (!parse_uint (fmt, 127, &pt, NULL))
            {
              g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE,
                           "m-line %u lists \"%s\", which is not an RTP payload type", index, fmt);
              return FALSE;
            }
          if (find_codec (media, (guint) pt) == NULL)
            g_ptr_array_add (media->codecs, sotto_sdp_codec_new ((guint) pt, "", 0, 0, NULL));
        }
    }
  media->m_formats = g_string_free (g_steal_pointer (&formats), FALSE);

  for (i = 0; i < gst_sdp_media_attributes_len (gmedia); i++)
    {
      const GstSDPAttribute *attr = gst_sdp_media_get_attribute (gmedia, i);
      const char *key = attr->key, *value = attr->value;

      if (strcmp (key, "mid") == 0 && media->mid == NULL)
        media->mid = g_strdup (value);
      else if (strcmp (key, "sendrecv") == 0)
        media->direction = SOTTO_MEDIA_DIRECTION_SENDRECV;
      else if (strcmp (key, "sendonly") == 0)
        media->direction = SOTTO_MEDIA_DIRECTION_SENDONLY;
      else if (strcmp (key, "recvonly") == 0)
        media->direction = SOTTO_MEDIA_DIRECTION_RECVONLY;
      else if (strcmp (key, "inactive") == 0)
        media->direction = SOTTO_MEDIA_DIRECTION_INACTIVE;
      else if (strcmp (key, "rtcp-mux") == 0)
        media->rtcp_mux = TRUE;
      else if (strcmp (key, "bundle-only") == 0)
        bundle_only = TRUE;
      else if (strcmp (key, "rtpmap") == 0)
        parse_rtpmap (media, value);
      else if (strcmp (key, "fmtp") == 0)
        parse_fmtp (media, value);
      else if (strcmp (key, "rtcp-fb") == 0)
        parse_rtcp_fb (media, value);
      else if (strcmp (key, "ssrc") == 0)
        parse_ssrc (media, value);
      else if (strcmp (key, "msid") == 0)
        parse_msid (media, value);
      else if (strcmp (key, "ice-ufrag") == 0 && media->ice_ufrag == NULL)
        media->ice_ufrag = g_strdup (value);
      else if (strcmp (key, "ice-pwd") == 0 && media->ice_pwd == NULL)
        media->ice_pwd = g_strdup (value);
      else if (strcmp (key, "fingerprint") == 0)
        {
          /* Several hashes may be offered; prefer sha-256, the one every
           * browser sends and the one we produce. */
          if (media->fingerprint == NULL ||
              (value != NULL && g_ascii_strncasecmp (value, "sha-256 ", 8) == 0 &&
               g_ascii_strncasecmp (media->fingerprint, "sha-256 ", 8) != 0))
            {
              g_free (media->fingerprint);
              media->fingerprint = g_strdup (value);
            }
        }
      else if (strcmp (key, "setup") == 0)
        {
          if (!parse_setup (value, &media->setup))
            {
              g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP,
                           "m-line %u has a=setup:%s; expected actpass, active or passive",
                           index, value != NULL ? value : "");
              return FALSE;
            }
          media->has_setup = TRUE;
        }
      else if (strcmp (key, "candidate") == 0)
        {
          g_autofree char *line = g_strconcat ("candidate:", value != NULL ? value : "", NULL);
          g_autoptr(SottoSdpCandidate) cand = NULL;
          g_autoptr(GError) local_error = NULL;

          cand = sotto_sdp_candidate_parse (line, &local_error);
          if (cand == NULL)
            {
              g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_CANDIDATE,
                           "m-line %u: %s", index, local_error->message);
              return FALSE;
            }
          g_ptr_array_add (media->candidates, g_steal_pointer (&line));
        }
      else if (strcmp (key, "ice-options") == 0)
        {
          if (value != NULL && strstr (value, "trickle") != NULL)
            media->ice_trickle = TRUE;
        }
      else if (strcmp (key, "end-of-candidates") == 0)
        media->end_of_candidates = TRUE;
    }

  media->rejected = gst_sdp_media_get_port (gmedia) == 0 && !bundle_only;
  if (media->kind != SOTTO_SDP_MEDIA_KIND_OTHER)
    {
      /* Codecs whose rtpmap is missing keep an empty name and are simply
       * never chosen; static payload types are not used by WebRTC. */
    }
  *out = g_steal_pointer (&media);
  return TRUE;
}

/* RFC 5888: a mid is an RFC 4566 token, and we echo it in a=group, a
 * space-separated list. */
static gboolean
valid_token (const char *s,
             gsize       max_len)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (!g_ascii_isalnum (s[n]) && strchr ("!#$%&'*+-.^_`{|}~", s[n]) == NULL)
      return FALSE;
  return n >= 1 && n <= max_len;
}

/* GstSDPMessage accepts nearly anything; insist on the shape RFC 4566
 * gives every line, so garbage is refused with a message. */
static gboolean
check_lines (const char  *text,
             GError     **error)
{
  const char *p = text;
  guint line = 1;

  if (!g_str_has_prefix (text, "v=0\r\n") && !g_str_has_prefix (text, "v=0\n"))
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE,
                           "not a session description: it must start with \"v=0\"");
      return FALSE;
    }
  while (*p != '\0')
    {
      const char *eol = strchr (p, '\n');
      gsize len = eol != NULL ? (gsize) (eol - p) : strlen (p);

      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (len > 0 && (len < 2 || !g_ascii_islower (p[0]) || p[1] != '='))
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE,
                       "line %u is not \"<letter>=<value>\"", line);
          return FALSE;
        }
      for (gsize k = 0; k < len; k++)
        if ((guchar) p[k] < 0x20 && p[k] != '\t')
          {
            g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE,
                         "line %u contains a control character", line);
            return FALSE;
          }
      if (eol == NULL)
        break;
      p = eol + 1;
      line++;
    }
  return TRUE;
}

static gboolean
in_strv (const char *const *strv,
         const char        *s)
{
  return strv != NULL && s != NULL && g_strv_contains (strv, s);
}

/* Takes the bundle transport from the first bundled m-line (falling back
 * to session-level attributes, where Firefox puts a=fingerprint), and
 * checks that no other bundled m-line contradicts it. */
static gboolean
resolve_transport (SottoSdpDescription *desc,
                   const GstSDPMessage *msg,
                   const char *const   *bundle,
                   GError             **error)
{
  const char *s_ufrag = gst_sdp_message_get_attribute_val (msg, "ice-ufrag");
  const char *s_pwd = gst_sdp_message_get_attribute_val (msg, "ice-pwd");
  const char *s_fp = gst_sdp_message_get_attribute_val (msg, "fingerprint");
  const char *s_setup = gst_sdp_message_get_attribute_val (msg, "setup");
  const char *s_options = gst_sdp_message_get_attribute_val (msg, "ice-options");
  SottoSdpMedia *tag = NULL;
  gboolean have_setup = FALSE;
  guint i;

  for (i = 0; i < desc->media->len; i++)
    {
      SottoSdpMedia *media = desc->media->pdata[i];

      if (media->rejected || media->kind == SOTTO_SDP_MEDIA_KIND_OTHER)
        continue;
      if (tag == NULL)
        {
          tag = media;
          desc->ice_ufrag = g_strdup (media->ice_ufrag != NULL ? media->ice_ufrag : s_ufrag);
          desc->ice_pwd = g_strdup (media->ice_pwd != NULL ? media->ice_pwd : s_pwd);
          desc->fingerprint = g_strdup (media->fingerprint != NULL ? media->fingerprint : s_fp);
          if (media->has_setup)
            {
              desc->setup = media->setup;
              have_setup = TRUE;
            }
          else if (s_setup != NULL)
            {
              if (!parse_setup (s_setup, &desc->setup))
                {
                  g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP,
                               "a=setup:%s is not actpass, active or passive", s_setup);
                  return FALSE;
                }
              have_setup = TRUE;
            }
          continue;
        }
      if (bundle != NULL && !in_strv (bundle, media->mid))
        continue;
      if ((media->ice_ufrag != NULL && g_strcmp0 (media->ice_ufrag, desc->ice_ufrag) != 0) ||
          (media->ice_pwd != NULL && g_strcmp0 (media->ice_pwd, desc->ice_pwd) != 0))
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ICE_CREDENTIALS,
                       "bundled m-line \"%s\" has ICE credentials different from \"%s\"; "
                       "one transport per bundle is required", media->mid, tag->mid);
          return FALSE;
        }
      if (media->fingerprint != NULL && desc->fingerprint != NULL &&
          g_ascii_strcasecmp (media->fingerprint, desc->fingerprint) != 0)
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_FINGERPRINT,
                       "bundled m-line \"%s\" has a fingerprint different from \"%s\"",
                       media->mid, tag->mid);
          return FALSE;
        }
      if (media->has_setup && have_setup && media->setup != desc->setup)
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP,
                       "bundled m-line \"%s\" has a=setup different from \"%s\"",
                       media->mid, tag->mid);
          return FALSE;
        }
    }

  if (tag == NULL)
    return TRUE;  /* nothing usable; reported by the caller */

  if (!valid_ice_credential (desc->ice_ufrag, ICE_UFRAG_MIN) ||
      !valid_ice_credential (desc->ice_pwd, ICE_PWD_MIN))
    {
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ICE_CREDENTIALS,
                   "a=ice-ufrag (4 to 256 characters) and a=ice-pwd (22 to 256) "
                   "are missing or malformed on m-line \"%s\"", tag->mid);
      return FALSE;
    }
  if (!valid_fingerprint (desc->fingerprint))
    {
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_FINGERPRINT,
                   "a=fingerprint is missing or malformed on m-line \"%s\"; "
                   "expected \"<hash> XX:XX:...\"", tag->mid);
      return FALSE;
    }
  if (!have_setup)
    {
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP,
                   "a=setup is missing on m-line \"%s\"", tag->mid);
      return FALSE;
    }

  /* ice-options is a space-separated list, at session or media level. */
  desc->ice_trickle = tag->ice_trickle ||
                     (s_options != NULL && strstr (s_options, "trickle") != NULL);
  return TRUE;
}

SottoSdpDescription *
sotto_sdp_description_parse (const char    *text,
                             SottoSdpType   type,
                             GError       **error)
{
  g_autoptr(GstSDPMessage) msg = NULL;
  g_autoptr(SottoSdpDescription) desc = NULL;
  const GstSDPOrigin *origin;
  g_auto(GStrv) bundle = NULL;
  gboolean saw_plaintext = FALSE;
  guint n_usable = 0, n_media, i, j;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  if (len > MAX_SDP_LENGTH)
    {
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE,
                   "session description of %" G_GSIZE_FORMAT " bytes is too large "
                   "(at most %d)", len, MAX_SDP_LENGTH);
      return NULL;
    }
  if (!check_lines (text, error))
    return NULL;

  gst_sdp_message_new (&msg);
  if (gst_sdp_message_parse_buffer ((const guint8 *) text, (guint) len, msg) != GST_SDP_OK)
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE,
                           "the session description could not be parsed");
      return NULL;
    }

  desc = g_new0 (SottoSdpDescription, 1);
  desc->type = type;
  desc->media = g_ptr_array_new_with_free_func ((GDestroyNotify) sotto_sdp_media_free);

  origin = gst_sdp_message_get_origin (msg);
  if (origin == NULL || origin->sess_id == NULL ||
      !parse_uint (origin->sess_id, G_MAXUINT64, &desc->session_id, NULL) ||
      origin->sess_version == NULL ||
      !parse_uint (origin->sess_version, G_MAXUINT64, &desc->session_version, NULL))
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE,
                           "the o= line is missing or has a non-numeric session id or version");
      return NULL;
    }

  n_media = gst_sdp_message_medias_len (msg);
  if (n_media == 0 || n_media > MAX_MEDIA)
    {
      g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_NO_MEDIA,
                   "the session description has %u m-lines; expected 1 to %d",
                   n_media, MAX_MEDIA);
      return NULL;
    }

  for (i = 0; i < gst_sdp_message_attributes_len (msg); i++)
    {
      const GstSDPAttribute *attr = gst_sdp_message_get_attribute (msg, i);

      if (strcmp (attr->key, "group") == 0 && attr->value != NULL &&
          g_str_has_prefix (attr->value, "BUNDLE") && bundle == NULL)
        {
          g_auto(GStrv) words = g_strsplit (attr->value, " ", -1);
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          for (j = 1; words[j] != NULL; j++)
            if (words[j][0] != '\0')
              g_strv_builder_add (builder, words[j]);
          bundle = g_strv_builder_end (builder);
        }
    }

  for (i = 0; i < n_media; i++)
    {
      SottoSdpMedia *media = NULL;

      if (!parse_media (gst_sdp_message_get_media (msg, i), i, &media, error))
        {
          return NULL;
        }
      g_ptr_array_add (desc->media, media);

      if (media->mid == NULL || media->mid[0] == '\0')
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_MISSING_MID,
                       "m-line %u has no a=mid", i);
          return NULL;
        }
      if (!valid_token (media->mid, MAX_MID_LENGTH))
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_MISSING_MID,
                       "a=mid on m-line %u is not a token of at most %d characters",
                       i, MAX_MID_LENGTH);
          return NULL;
        }
      for (j = 0; j < i; j++)
        if (strcmp (((SottoSdpMedia *) desc->media->pdata[j])->mid, media->mid) == 0)
          {
              g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_MISSING_MID,
                         "a=mid:%s appears on two m-lines", media->mid);
            return NULL;
          }

      if (media->kind == SOTTO_SDP_MEDIA_KIND_OTHER)
        {
          if (g_str_has_prefix (media->m_proto, "RTP/"))
            saw_plaintext = TRUE;
          continue;
        }
      if (media->rejected)
        continue;
      n_usable++;
      if (!media->rtcp_mux)
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_RTCP_MUX,
                       "m-line \"%s\" has no a=rtcp-mux; RTP and RTCP must share one port",
                       media->mid);
          return NULL;
        }
    }

  if (n_usable == 0)
    {
      if (saw_plaintext)
        g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_UNSUPPORTED_PROTO,
                             "the media are offered without DTLS-SRTP (RTP/AVP or RTP/SAVP); "
                             "only UDP/TLS/RTP/SAVPF is accepted");
      else
        g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_NO_MEDIA,
                             "the session description has no usable audio or video m-line");
      return NULL;
    }

  /* Every usable m-line must be in the (one) BUNDLE group: Sotto runs all
   * media over one ICE component. */
  for (i = 0; i < desc->media->len; i++)
    {
      SottoSdpMedia *media = desc->media->pdata[i];

      if (media->rejected || media->kind == SOTTO_SDP_MEDIA_KIND_OTHER)
        continue;
      if ((bundle == NULL && n_usable > 1) || (bundle != NULL && !in_strv ((const char *const *) bundle, media->mid)))
        {
          g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_BUNDLE,
                       "m-line \"%s\" is not in the a=group:BUNDLE group; all media must be bundled",
                       media->mid);
          return NULL;
        }
    }

  if (!resolve_transport (desc, msg, (const char *const *) bundle, error))
    {
      return NULL;
    }

  if (type == SOTTO_SDP_TYPE_ANSWER && desc->setup == SOTTO_SDP_SETUP_ACTPASS)
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP,
                           "an answer must say a=setup:active or a=setup:passive, not actpass");
      return NULL;
    }

  return g_steal_pointer (&desc);
}
