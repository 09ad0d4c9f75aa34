/* test-peer-connection.c: two SottoPeerConnections on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <gio/gio.h>

#include "pc-test-harness.h"

static guint
negotiated_pt (SottoPeerConnection *pc,
               guint                index)
{
  const SottoSdpDescription *desc = sotto_peer_connection_get_local_description (pc);
  const SottoSdpCodec *codec = sotto_sdp_media_get_codec (desc->media->pdata[index]);

  g_assert_nonnull (codec);
  return codec->payload_type;
}

static void
exchange_media (PcPair *pair,
                guint16 seq)
{
  g_autoptr(GBytes) audio_ab = pc_make_rtp ((guint8) negotiated_pt (pair->a.pc, 0), seq, 0xa0a0a0a0, 0x11, 160);
  g_autoptr(GBytes) video_ab = pc_make_rtp ((guint8) negotiated_pt (pair->a.pc, 1), seq, 0xa1a1a1a1, 0x22, 1100);
  g_autoptr(GBytes) audio_ba = pc_make_rtp ((guint8) negotiated_pt (pair->b.pc, 0), seq, 0xb0b0b0b0, 0x33, 160);
  g_autoptr(GBytes) rtcp_ab = pc_make_rtcp (0xa0a0a0a0);
  g_autoptr(GBytes) rtcp_ba = pc_make_rtcp (0xb0b0b0b0);

  pc_send_and_expect (&pair->a, &pair->b, audio_ab, FALSE);
  pc_send_and_expect (&pair->a, &pair->b, video_ab, FALSE);
  pc_send_and_expect (&pair->b, &pair->a, audio_ba, FALSE);
  pc_send_and_expect (&pair->a, &pair->b, rtcp_ab, TRUE);
  pc_send_and_expect (&pair->b, &pair->a, rtcp_ba, TRUE);
}

static void
test_call (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) early = pc_make_rtp (111, 1, 0xa0a0a0a0, 0x55, 100);
  SottoPeerConnectionStats sa, sb;
  const SottoSdpDescription *remote;

  pc_pair_init (&pair);
  pc_pair_add_default_media (&pair);
  g_assert_cmpint (sotto_peer_connection_get_state (pair.a.pc), ==, SOTTO_PEER_CONNECTION_STATE_NEW);

  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Never plaintext: before keys exist the packet is refused and counted. */
  g_assert_false (sotto_peer_connection_send_rtp (pair.a.pc, g_bytes_get_data (early, NULL),
                                                  g_bytes_get_size (early)));

  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  g_assert_cmpint (sotto_peer_connection_get_ice_state (pair.a.pc), ==, SOTTO_ICE_STATE_CONNECTED);
  g_assert_cmpint (sotto_peer_connection_get_dtls_state (pair.b.pc), ==,
                   SOTTO_SECURE_TRANSPORT_STATE_CONNECTED);
  exchange_media (&pair, 10);

  /* Both ends trickled candidates with a mid, then the end marker. */
  g_assert_true (pair.a.end_of_candidates && pair.b.end_of_candidates);

  /* The answer's SSRCs and msids reached the offerer. */
  remote = sotto_peer_connection_get_remote_description (pair.a.pc);
  g_assert_cmpuint (((SottoSdpMedia *) remote->media->pdata[0])->ssrc, ==, 0xb0b0b0b0);
  g_assert_cmpstr (((SottoSdpMedia *) remote->media->pdata[1])->msid_track, ==, "tb-video");

  sotto_peer_connection_get_stats (pair.a.pc, &sa);
  sotto_peer_connection_get_stats (pair.b.pc, &sb);
  g_assert_cmpint (sa.state, ==, SOTTO_PEER_CONNECTION_STATE_CONNECTED);
  g_assert_cmpuint (sa.dropped_no_keys, ==, 1);
  g_assert_cmpuint (sa.rtp_sent, >=, 2);
  g_assert_cmpuint (sb.rtp_received, >=, 2);
  g_assert_cmpuint (sa.bytes_sent, >=, 12 + 160 + 12 + 1100);
  g_assert_cmpuint (sb.bytes_received, >=, 12 + 160 + 12 + 1100);
  g_assert_cmpuint (sa.key_generation, >=, 1);
  g_assert_cmpstr (sa.srtp_profile, ==, sb.srtp_profile);
  g_assert_nonnull (sa.srtp_profile);
  g_assert_cmpstr (sa.local_candidate_type, ==, "host");
  g_assert_cmpstr (sb.remote_candidate_type, !=, NULL);
  g_assert_cmpstr (sa.candidate_transport, ==, "udp");
  g_assert_cmpuint (sa.auth_failures + sb.auth_failures, ==, 0);

  /* Both read the same six digits. */
  g_assert_nonnull (sotto_peer_connection_get_sas (pair.a.pc));
  g_assert_cmpuint (strlen (sotto_peer_connection_get_sas (pair.a.pc)), ==, 6);
  g_assert_cmpstr (sotto_peer_connection_get_sas (pair.a.pc), ==,
                   sotto_peer_connection_get_sas (pair.b.pc));

  sotto_peer_connection_close (pair.a.pc);
  g_assert_cmpint (sotto_peer_connection_get_state (pair.a.pc), ==, SOTTO_PEER_CONNECTION_STATE_CLOSED);
  g_assert_false (sotto_peer_connection_send_rtp (pair.a.pc, g_bytes_get_data (early, NULL),
                                                  g_bytes_get_size (early)));
  pc_pair_clear (&pair);
}

static void
test_require_aes256 (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  SottoPeerConnectionStats st;

  pc_pair_init (&pair);
  pc_pair_add_default_media (&pair);
  sotto_peer_connection_set_require_aes256 (pair.a.pc, TRUE);
  sotto_peer_connection_set_require_aes256 (pair.b.pc, TRUE);
  sotto_peer_connection_set_session_id (pair.a.pc, NULL);
  sotto_peer_connection_set_session_id (pair.b.pc, NULL);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);

  /* No session id yet, no SAS; it appears when the id arrives. */
  g_assert_null (sotto_peer_connection_get_sas (pair.a.pc));
  sotto_peer_connection_set_session_id (pair.a.pc, "late-session-id");
  sotto_peer_connection_set_session_id (pair.b.pc, "late-session-id");
  g_assert_nonnull (sotto_peer_connection_get_sas (pair.a.pc));
  g_assert_cmpstr (sotto_peer_connection_get_sas (pair.a.pc), ==, sotto_peer_connection_get_sas (pair.b.pc));

  sotto_peer_connection_get_stats (pair.b.pc, &st);
  g_assert_cmpstr (st.srtp_profile, ==, "SRTP_AEAD_AES_256_GCM");
  exchange_media (&pair, 20);
  pc_pair_clear (&pair);
}

static char *
offer_active (const char *sdp)
{
  return pc_replace_all (sdp, "a=setup:actpass", "a=setup:active");
}

static char *
offer_passive (const char *sdp)
{
  return pc_replace_all (sdp, "a=setup:actpass", "a=setup:passive");
}

static char *
answer_actpass (const char *sdp)
{
  return pc_replace_all (sdp, "a=setup:active", "a=setup:actpass");
}

static char *
answer_passive_too (const char *sdp)
{
  return pc_replace_all (sdp, "a=setup:active", "a=setup:passive");
}

static void
test_setup_roles (void)
{
  struct { PcSdpEdit offer, answer; gboolean connects; gint code; } cases[] = {
    { offer_active, NULL, TRUE, 0 },
    { offer_passive, NULL, TRUE, 0 },
    { NULL, answer_actpass, FALSE, SOTTO_SDP_ERROR_SETUP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PcPair pair;
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("setup case %u", i);
      pc_pair_init (&pair);
      pc_pair_add_default_media (&pair);
      ok = pc_pair_negotiate (&pair, cases[i].offer, cases[i].answer, &error);
      if (cases[i].connects)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
          exchange_media (&pair, 30);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, SOTTO_SDP_ERROR, cases[i].code);
          /* Nothing was applied: the offer still waits for a good answer. */
          g_assert_null (sotto_peer_connection_get_remote_description (pair.a.pc));
        }
      pc_pair_clear (&pair);
    }
}

static void
test_setup_conflict_on_reoffer (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;

  pc_pair_init (&pair);
  pc_pair_add_default_media (&pair);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);

  /* b answered active, so a is the DTLS server; a re-offer keeps that
   * (RFC 8842, 5.5) and an answer claiming passive as well is refused. */
  offer = sotto_peer_connection_create_offer (pair.a.pc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (offer, "a=setup:passive"));
  g_assert_null (strstr (offer, "a=setup:actpass"));
  g_clear_pointer (&offer, g_free);
  g_assert_false (pc_pair_negotiate (&pair, NULL, answer_passive_too, &error));
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP_CONFLICT);

  /* The call goes on with its keys. */
  g_assert_true (pc_pair_both_connected (&pair));
  exchange_media (&pair, 35);
  pc_pair_clear (&pair);
}

static char *
swap_fingerprint (const char *sdp)
{
  const char *fp = strstr (sdp, "a=fingerprint:sha-256 ");
  char *copy = g_strdup (sdp);
  char *p;

  /* Flip one hex digit of the fingerprint in every m-line: what a man in
   * the middle substituting its own certificate would have to do. */
  g_assert_nonnull (fp);
  for (p = strstr (copy, "a=fingerprint:sha-256 "); p != NULL;
       p = strstr (p + 1, "a=fingerprint:sha-256 "))
    {
      char *d = p + strlen ("a=fingerprint:sha-256 ");
      *d = *d == 'A' ? 'B' : 'A';
    }
  return copy;
}

static gboolean
a_failed (PcPair *pair)
{
  return sotto_peer_connection_get_state (pair->a.pc) == SOTTO_PEER_CONNECTION_STATE_FAILED;
}

static void
test_swapped_fingerprint (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  const GError *why;
  SottoPeerConnectionStats st;

  pc_pair_init (&pair);
  pc_pair_add_default_media (&pair);
  g_assert_true (pc_pair_negotiate (&pair, NULL, swap_fingerprint, &error));
  g_assert_no_error (error);
  PC_WAIT (a_failed, &pair, PC_CONNECT_TIMEOUT_S);
  why = sotto_peer_connection_get_error (pair.a.pc);
  g_assert_error ((GError *) why, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISMATCH);
  sotto_peer_connection_get_stats (pair.a.pc, &st);
  g_assert_cmpuint (st.key_generation, ==, 0);
  g_assert_cmpuint (pair.a.rtp->len + pair.b.rtp->len, ==, 0);
  pc_pair_clear (&pair);
}

static void
test_bad_calls (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;

  pc_pair_init (&pair);
  g_assert_null (sotto_peer_connection_create_offer (pair.a.pc, &error));
  g_assert_error (error, SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_NO_MEDIA);
  g_clear_error (&error);

  g_assert_null (sotto_peer_connection_create_answer (pair.b.pc, &error));
  g_assert_error (error, SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_false (sotto_peer_connection_set_remote_description (pair.b.pc, SOTTO_SDP_TYPE_OFFER,
                                                                "not sdp", &error));
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_false (sotto_peer_connection_add_ice_server (pair.a.pc, "turn:127.0.0.1", NULL, NULL, &error));
  g_assert_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_BAD_SERVER);
  g_clear_error (&error);

  g_assert_false (sotto_peer_connection_add_remote_candidate (pair.a.pc, "candidate:junk", &error));
  g_assert_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_CANDIDATE);
  g_clear_error (&error);

  pc_pair_add_default_media (&pair);
  offer = sotto_peer_connection_create_offer (pair.a.pc, &error);
  g_assert_no_error (error);
  /* An answer to nothing, and our own offer fed back as an answer. */
  g_assert_false (sotto_peer_connection_set_remote_description (pair.b.pc, SOTTO_SDP_TYPE_ANSWER,
                                                                offer, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* Glare: b offers while a's offer is pending. */
  g_assert_true (sotto_peer_connection_set_remote_description (pair.b.pc, SOTTO_SDP_TYPE_OFFER, offer, &error));
  g_assert_null (sotto_peer_connection_create_offer (pair.b.pc, &error));
  g_assert_error (error, SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE);
  pc_pair_clear (&pair);
}

static void
test_candidates_before_description (void)
{
  PcPair pair;
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;

  /* Trickled candidates may overtake the SDP on the signaling path. */
  pc_pair_init (&pair);
  pc_pair_add_default_media (&pair);
  pair.hold = TRUE;
  offer = sotto_peer_connection_create_offer (pair.a.pc, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100 && !pair.a.end_of_candidates; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pair.a.end_of_candidates);
  pair.hold = FALSE;
  pc_pair_deliver_held (&pair);   /* to b, which has no description yet */
  g_assert_true (sotto_peer_connection_set_remote_description (pair.b.pc, SOTTO_SDP_TYPE_OFFER, offer, &error));
  answer = sotto_peer_connection_create_answer (pair.b.pc, &error);
  g_assert_true (sotto_peer_connection_set_remote_description (pair.a.pc, SOTTO_SDP_TYPE_ANSWER, answer, &error));
  g_assert_no_error (error);
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  exchange_media (&pair, 40);
  pc_pair_clear (&pair);
}

static void
test_ice_restart (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  SottoPeerConnectionStats before, after;
  const char *old_ufrag;
  g_autofree char *saved_ufrag = NULL;

  pc_pair_init (&pair);
  pc_pair_add_default_media (&pair);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  exchange_media (&pair, 50);
  sotto_peer_connection_get_stats (pair.a.pc, &before);
  old_ufrag = sotto_peer_connection_get_local_description (pair.a.pc)->ice_ufrag;
  saved_ufrag = g_strdup (old_ufrag);

  g_assert_true (sotto_peer_connection_restart_ice (pair.a.pc, &error));
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sotto_peer_connection_get_local_description (pair.a.pc)->ice_ufrag, !=, saved_ufrag);
  g_ptr_array_set_size (pair.b.rtp, 0);
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  exchange_media (&pair, 60);

  /* The path changed, not the keys: no new DTLS handshake. */
  sotto_peer_connection_get_stats (pair.a.pc, &after);
  g_assert_cmpuint (after.key_generation, ==, before.key_generation);
  pc_pair_clear (&pair);
}

static void
test_ice_restart_by_answerer (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  const SottoSdpDescription *before, *after;

  /* a only receives video: b's re-offer must keep that (recvonly from a's
   * side means sendonly from b's), and keep a's mids and payload types. */
  pc_pair_init (&pair);
  sotto_peer_connection_add_media (pair.a.pc, SOTTO_SDP_MEDIA_KIND_VIDEO,
                                   SOTTO_MEDIA_DIRECTION_RECVONLY, 0, NULL, NULL);
  sotto_peer_connection_add_media (pair.b.pc, SOTTO_SDP_MEDIA_KIND_VIDEO,
                                   SOTTO_MEDIA_DIRECTION_SENDRECV, 0xb1b1b1b1, "sb", "tb-video");
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  before = sotto_peer_connection_get_local_description (pair.b.pc);
  g_assert_cmpint (((SottoSdpMedia *) before->media->pdata[0])->direction, ==, SOTTO_MEDIA_DIRECTION_SENDONLY);

  g_assert_true (sotto_peer_connection_restart_ice (pair.b.pc, &error));
  offer = sotto_peer_connection_create_offer (pair.b.pc, &error);
  g_assert_no_error (error);
  after = sotto_peer_connection_get_local_description (pair.b.pc);
  g_assert_cmpuint (after->media->len, ==, 1);
  g_assert_cmpstr (((SottoSdpMedia *) after->media->pdata[0])->mid, ==, "0");
  g_assert_cmpint (((SottoSdpMedia *) after->media->pdata[0])->direction, ==, SOTTO_MEDIA_DIRECTION_SENDONLY);
  g_assert_nonnull (strstr (offer, "a=setup:active"));  /* b stays the DTLS client */
  g_assert_true (sotto_peer_connection_set_remote_description (pair.a.pc, SOTTO_SDP_TYPE_OFFER, offer, &error));
  answer = sotto_peer_connection_create_answer (pair.a.pc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "a=setup:passive"));
  g_assert_true (sotto_peer_connection_set_remote_description (pair.b.pc, SOTTO_SDP_TYPE_ANSWER, answer, &error));
  g_assert_no_error (error);

  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  {
    guint pt = sotto_sdp_media_get_codec (after->media->pdata[0])->payload_type;
    g_autoptr(GBytes) video = pc_make_rtp ((guint8) pt, 90, 0xb1b1b1b1, 0x77, 900);

    pc_send_and_expect (&pair.b, &pair.a, video, FALSE);
  }
  pc_pair_clear (&pair);
}

static char *
only_tcp (PcPeer     *from,
          const char *candidate,
          gpointer    user_data)
{
  return strstr (candidate, " TCP ") != NULL ? g_strdup (candidate) : NULL;
}

static void
test_ice_tcp (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  SottoPeerConnectionStats st;

  /* UDP blocked somewhere on the path: DTLS and SRTP over ICE-TCP
   * (RFC 6544, RFC 4571 framing). */
  pc_pair_init (&pair);
  pair.filter = only_tcp;
  pc_pair_add_default_media (&pair);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  exchange_media (&pair, 110);
  sotto_peer_connection_get_stats (pair.a.pc, &st);
  g_assert_cmpstr (st.candidate_transport, ==, "tcp");
  pc_pair_clear (&pair);
}

static gboolean
on_delay_done (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_late_answer (void)
{
  PcPair pair;
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean waited = FALSE;

  /* The answer reaches the offerer late (slow signaling) while candidates
   * already flow: the answerer's ICE may connect and its ClientHello
   * arrive before the offerer knows its DTLS role. */
  pc_pair_init (&pair);
  pc_pair_add_default_media (&pair);
  offer = sotto_peer_connection_create_offer (pair.a.pc, &error);
  g_assert_true (sotto_peer_connection_set_remote_description (pair.b.pc, SOTTO_SDP_TYPE_OFFER, offer, &error));
  answer = sotto_peer_connection_create_answer (pair.b.pc, &error);
  g_assert_no_error (error);
  g_timeout_add (300, on_delay_done, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sotto_peer_connection_set_remote_description (pair.a.pc, SOTTO_SDP_TYPE_ANSWER, answer, &error));
  g_assert_no_error (error);
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  exchange_media (&pair, 95);
  pc_pair_clear (&pair);
}

static gboolean
rekeyed (PcPair *pair)
{
  SottoPeerConnectionStats sa, sb;

  sotto_peer_connection_get_stats (pair->a.pc, &sa);
  sotto_peer_connection_get_stats (pair->b.pc, &sb);
  return sa.key_generation >= 2 && sb.key_generation >= 2;
}

static void
test_rekey (void)
{
  PcPair pair;
  g_autoptr(GError) error = NULL;
  SottoPeerConnectionStats st;

  /* The secure transport's in-band rekey runs over the ICE path too. */
  pc_pair_init (&pair);
  pc_pair_add_default_media (&pair);
  sotto_peer_connection_set_rekey_interval (pair.a.pc, 1);
  sotto_peer_connection_set_rekey_interval (pair.b.pc, 1);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  exchange_media (&pair, 70);
  PC_WAIT (rekeyed, &pair, 5);
  exchange_media (&pair, 80);
  sotto_peer_connection_get_stats (pair.a.pc, &st);
  g_assert_cmpint (st.rekey_status, ==, SOTTO_REKEY_STATUS_ACTIVE);
  g_assert_cmpuint (st.auth_failures, ==, 0);
  pc_pair_clear (&pair);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Loopback only, even when run by hand outside meson test. */
  g_setenv ("SOTTO_ICE_ADDRESSES", "127.0.0.1", FALSE);

  g_test_add_func ("/sotto/peer-connection/call", test_call);
  g_test_add_func ("/sotto/peer-connection/require-aes256", test_require_aes256);
  g_test_add_func ("/sotto/peer-connection/setup-roles", test_setup_roles);
  g_test_add_func ("/sotto/peer-connection/setup-conflict-on-reoffer", test_setup_conflict_on_reoffer);
  g_test_add_func ("/sotto/peer-connection/swapped-fingerprint", test_swapped_fingerprint);
  g_test_add_func ("/sotto/peer-connection/bad-calls", test_bad_calls);
  g_test_add_func ("/sotto/peer-connection/candidates-before-description",
                   test_candidates_before_description);
  g_test_add_func ("/sotto/peer-connection/ice-restart", test_ice_restart);
  g_test_add_func ("/sotto/peer-connection/ice-restart-by-answerer", test_ice_restart_by_answerer);
  g_test_add_func ("/sotto/peer-connection/late-answer", test_late_answer);
  g_test_add_func ("/sotto/peer-connection/ice-tcp", test_ice_tcp);
  g_test_add_func ("/sotto/peer-connection/rekey", test_rekey);

  return g_test_run ();
}
