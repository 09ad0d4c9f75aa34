/* sotto-sdp-candidate.c: a=candidate lines (RFC 8839, section 5.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Browsers add extension pairs ("generation 0 ufrag abcd network-id 1
 * network-cost 10"), write TCP candidates with port 9 and tcptype active,
 * and may hide host addresses behind mDNS names; all of that parses. What
 * the ICE agent can actually use is its decision, not the parser's.
 */
#define G_LOG_DOMAIN "sotto-sdp"

#include "sotto-sdp.h"

#include <string.h>

/* No real candidate line comes near this; it bounds the work on hostile
 * input (fuzzing, a broken peer). */
#define MAX_CANDIDATE_LENGTH 1024
#define MAX_FOUNDATION 32

void
sotto_sdp_candidate_free (SottoSdpCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->foundation);
  g_free (candidate->address);
  g_free (candidate->related_address);
  g_free (candidate->ufrag);
  g_free (candidate);
}

gboolean
sotto_sdp_is_end_of_candidates (const char *line)
{
  if (line == NULL)
    return FALSE;
  if (g_str_has_prefix (line, "a="))
    line += 2;
  return g_str_has_prefix (line, "end-of-candidates") &&
         (line[17] == '\0' || line[17] == '\r' || line[17] == '\n');
}

static gboolean
token_uint (const char *s,
            guint64     max,
            guint64    *out)
{
  guint64 v = 0;

  if (s == NULL || *s == '\0' || strlen (s) > 10)
    return FALSE;
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isdigit (*s))
        return FALSE;
      v = v * 10 + (guint64) (*s - '0');
    }
  if (v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
valid_foundation (const char *s)
{
  gsize n;

  for (n = 0; s[n] != '\0'; n++)
    if (!g_ascii_isalnum (s[n]) && s[n] != '+' && s[n] != '/')
      return FALSE;
  return n >= 1 && n <= MAX_FOUNDATION;
}

static gboolean
valid_address (const char *s)
{
  gsize n;

  /* IPv4, IPv6 or a host name (mDNS "<uuid>.local"): letters, digits and
   * the punctuation those use; never spaces or control characters. */
  for (n = 0; s[n] != '\0'; n++)
    if (!g_ascii_isalnum (s[n]) && strchr (".:-_%", s[n]) == NULL)
      return FALSE;
  return n >= 1 && n <= 255;
}

static SottoSdpCandidate *
candidate_error (const char  *what,
                 GError     **error)
{
  g_set_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_CANDIDATE,
               "malformed ICE candidate: %s", what);
  return NULL;
}

SottoSdpCandidate *
sotto_sdp_candidate_parse (const char  *line,
                           GError     **error)
{
  g_autoptr(SottoSdpCandidate) cand = NULL;
  g_autofree char *copy = NULL;
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  guint64 v;
  gsize len;
  guint i;
  char *p;

  if (line == NULL)
    return candidate_error ("empty", error);
  len = strlen (line);
  if (len > MAX_CANDIDATE_LENGTH)
    return candidate_error ("too long", error);
  if (g_str_has_prefix (line, "a="))
    line += 2;
  if (g_ascii_strncasecmp (line, "candidate:", 10) != 0)
    return candidate_error ("it does not start with \"candidate:\"", error);
  line += 10;

  copy = g_strdup (line);
  g_strchomp (copy);
  tokens = g_strsplit (copy, " ", -1);
  for (i = 0; tokens[i] != NULL; i++)
    if (tokens[i][0] != '\0')
      g_ptr_array_add (words, tokens[i]);

  if (words->len < 8)
    return candidate_error ("fewer than the 8 mandatory fields", error);

  cand = g_new0 (SottoSdpCandidate, 1);
  p = words->pdata[0];
  if (!valid_foundation (p))
    return candidate_error ("bad foundation", error);
  cand->foundation = g_strdup (p);

  if (!token_uint (words->pdata[1], 256, &v) || v == 0)
    return candidate_error ("bad component id", error);
  cand->component = (guint) v;

  p = words->pdata[2];
  if (g_ascii_strcasecmp (p, "udp") == 0)
    cand->tcp = FALSE;
  else if (g_ascii_strcasecmp (p, "tcp") == 0)
    cand->tcp = TRUE;
  else
    return candidate_error ("transport is neither UDP nor TCP", error);

  if (!token_uint (words->pdata[3], G_MAXUINT32, &v) || v == 0)
    return candidate_error ("bad priority", error);
  cand->priority = (guint32) v;

  if (!valid_address (words->pdata[4]))
    return candidate_error ("bad address", error);
  cand->address = g_strdup (words->pdata[4]);

  if (!token_uint (words->pdata[5], 65535, &v))
    return candidate_error ("bad port", error);
  cand->port = (guint) v;

  if (strcmp (words->pdata[6], "typ") != 0)
    return candidate_error ("\"typ\" expected", error);
  p = words->pdata[7];
  if (strcmp (p, "host") == 0)
    cand->type = SOTTO_CANDIDATE_HOST;
  else if (strcmp (p, "srflx") == 0)
    cand->type = SOTTO_CANDIDATE_SRFLX;
  else if (strcmp (p, "prflx") == 0)
    cand->type = SOTTO_CANDIDATE_PRFLX;
  else if (strcmp (p, "relay") == 0)
    cand->type = SOTTO_CANDIDATE_RELAY;
  else
    return candidate_error ("unknown candidate type", error);

  /* Then name/value pairs in any order; unknown names are extensions we
   * skip (RFC 8839: "MUST ignore"). A lone trailing token is tolerated. */
  for (i = 8; i + 1 < words->len; i += 2)
    {
      const char *name = words->pdata[i];
      const char *value = words->pdata[i + 1];

      if (strcmp (name, "raddr") == 0)
        {
          if (!valid_address (value))
            return candidate_error ("bad raddr", error);
          g_free (cand->related_address);
          cand->related_address = g_strdup (value);
        }
      else if (strcmp (name, "rport") == 0)
        {
          if (!token_uint (value, 65535, &v))
            return candidate_error ("bad rport", error);
          cand->related_port = (guint) v;
        }
      else if (strcmp (name, "tcptype") == 0)
        {
          if (strcmp (value, "active") == 0)
            cand->tcp_type = SOTTO_CANDIDATE_TCP_ACTIVE;
          else if (strcmp (value, "passive") == 0)
            cand->tcp_type = SOTTO_CANDIDATE_TCP_PASSIVE;
          else if (strcmp (value, "so") == 0)
            cand->tcp_type = SOTTO_CANDIDATE_TCP_SO;
          else
            return candidate_error ("bad tcptype", error);
        }
      else if (strcmp (name, "ufrag") == 0)
        {
          g_free (cand->ufrag);
          cand->ufrag = g_strdup (value);
        }
    }

  if (cand->tcp && cand->tcp_type == SOTTO_CANDIDATE_TCP_NONE)
    {
      /* RFC 6544, section 4.5: tcptype is mandatory for TCP candidates. */
      return candidate_error ("TCP candidate without tcptype", error);
    }
  if (!cand->tcp && cand->port == 0)
    return candidate_error ("UDP candidate with port 0", error);

  return g_steal_pointer (&cand);
}

char *
sotto_sdp_candidate_to_string (const SottoSdpCandidate *cand)
{
  static const char *const types[] = { "host", "srflx", "prflx", "relay" };
  static const char *const tcp_types[] = { NULL, "active", "passive", "so" };
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "candidate:%s %u %s %u %s %u typ %s",
                          cand->foundation, cand->component, cand->tcp ? "TCP" : "UDP",
                          cand->priority, cand->address, cand->port, types[cand->type]);
  if (cand->related_address != NULL)
    g_string_append_printf (s, " raddr %s rport %u", cand->related_address, cand->related_port);
  if (cand->tcp && cand->tcp_type != SOTTO_CANDIDATE_TCP_NONE)
    g_string_append_printf (s, " tcptype %s", tcp_types[cand->tcp_type]);
  if (cand->ufrag != NULL)
    g_string_append_printf (s, " ufrag %s", cand->ufrag);
  return g_string_free (s, FALSE);
}
