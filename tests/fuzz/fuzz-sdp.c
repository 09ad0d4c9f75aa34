/* fuzz-sdp.c: libFuzzer target for SDP parsing and answering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A remote description is the largest thing a peer (or the signaling path)
 * makes us parse. Each input is parsed as an offer and as an answer; every
 * line is also tried as a trickled candidate. When the offer parses, the
 * answer we make to it must itself parse and pass our own answer checks:
 * a failure there is a bug in the negotiation rules, not bad input, and
 * aborts.
 */
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "sotto-sdp.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char FINGERPRINT[] =
  "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
  "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

static void
answer_offer (const SottoSdpDescription *offer)
{
  g_autoptr(GPtrArray) local = g_ptr_array_new_with_free_func ((GDestroyNotify) sotto_sdp_media_free);
  g_autoptr(SottoSdpDescription) answer = NULL;
  g_autoptr(SottoSdpDescription) reparsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SottoSdpMedia *audio = sotto_sdp_media_new (SOTTO_SDP_MEDIA_KIND_AUDIO, NULL,
                                              SOTTO_MEDIA_DIRECTION_SENDRECV);

  sotto_sdp_media_set_ssrc (audio, 1234, "fuzz", "s", "t");
  g_ptr_array_add (local, audio);
  answer = sotto_sdp_create_answer (offer, local, "fuzz", "fuzzfuzzfuzzfuzzfuzzfu", FINGERPRINT, &error);
  if (answer == NULL)
    return;
  text = sotto_sdp_description_to_string (answer);
  reparsed = sotto_sdp_description_parse (text, SOTTO_SDP_TYPE_ANSWER, &error);
  if (reparsed == NULL)
    g_error ("our own answer does not parse: %s\n%s", error->message, text);
  if (!sotto_sdp_check_answer (offer, reparsed, &error))
    g_error ("our own answer fails our checks: %s\n%s", error->message, text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = NULL;
  g_autoptr(SottoSdpDescription) offer = NULL;
  g_autoptr(SottoSdpDescription) answer = NULL;
  guint i;

  offer = sotto_sdp_description_parse (text, SOTTO_SDP_TYPE_OFFER, NULL);
  if (offer != NULL)
    {
      g_autofree char *again = sotto_sdp_description_to_string (offer);
      g_autoptr(SottoSdpDescription) copy = sotto_sdp_description_copy (offer);

      g_assert_nonnull (again);
      g_assert_cmpuint (copy->media->len, ==, offer->media->len);
      answer_offer (offer);
    }
  answer = sotto_sdp_description_parse (text, SOTTO_SDP_TYPE_ANSWER, NULL);
  if (offer != NULL && answer != NULL)
    sotto_sdp_check_answer (offer, answer, NULL);

  lines = g_strsplit (text, "\n", 64);
  for (i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(SottoSdpCandidate) c = sotto_sdp_candidate_parse (lines[i], NULL);

      if (c != NULL)
        {
          g_autofree char *s = sotto_sdp_candidate_to_string (c);
          g_autoptr(SottoSdpCandidate) again = sotto_sdp_candidate_parse (s, NULL);

          if (again == NULL)
            g_error ("a candidate we wrote does not parse: %s", s);
        }
      sotto_sdp_is_end_of_candidates (lines[i]);
    }
  return 0;
}
