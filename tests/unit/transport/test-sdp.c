/* test-sdp.c: SDP offers and answers as browsers write and accept them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "sotto-sdp.h"

#define FP_A "sha-256 A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:49:3C:9D:5C"
#define FP_B "sha-256 34:60:BE:31:20:1E:69:FE:DA:A0:EE:E8:B9:99:7F:5C:7C:29:99:FD:AF:E5:93:25:3C:D6:54:AF:4D:FA:D7:14"
#define UFRAG "Xk3p"
#define PWD "Jb7v2QqRz0cLmN8sT4uW6yAa"

/* The shape of a Chrome (unified plan, max-bundle) offer for one microphone
 * and one camera, with the codecs and extensions it lists; written for this
 * test. Every transport attribute sits on every m-line. */
static const char CHROME_OFFER[] =
  "v=0\r\n"
  "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
  "s=-\r\n"
  "t=0 0\r\n"
  "a=group:BUNDLE 0 1\r\n"
  "a=extmap-allow-mixed\r\n"
  "a=msid-semantic: WMS stream1\r\n"
  "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
  "c=IN IP4 0.0.0.0\r\n"
  "a=rtcp:9 IN IP4 0.0.0.0\r\n"
  "a=ice-ufrag:" UFRAG "\r\n"
  "a=ice-pwd:" PWD "\r\n"
  "a=ice-options:trickle\r\n"
  "a=fingerprint:" FP_A "\r\n"
  "a=setup:actpass\r\n"
  "a=mid:0\r\n"
  "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
  "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
  "a=sendrecv\r\n"
  "a=msid:stream1 track-audio-1\r\n"
  "a=rtcp-mux\r\n"
  "a=rtpmap:111 opus/48000/2\r\n"
  "a=rtcp-fb:111 transport-cc\r\n"
  "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
  "a=rtpmap:63 red/48000/2\r\n"
  "a=fmtp:63 111/111\r\n"
  "a=rtpmap:9 G722/8000\r\n"
  "a=rtpmap:0 PCMU/8000\r\n"
  "a=rtpmap:8 PCMA/8000\r\n"
  "a=rtpmap:13 CN/8000\r\n"
  "a=rtpmap:110 telephone-event/48000\r\n"
  "a=rtpmap:126 telephone-event/8000\r\n"
  "a=ssrc:1001 cname:abcdEFGHijkl\r\n"
  "a=ssrc:1001 msid:stream1 track-audio-1\r\n"
  "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103\r\n"
  "c=IN IP4 0.0.0.0\r\n"
  "a=rtcp:9 IN IP4 0.0.0.0\r\n"
  "a=ice-ufrag:" UFRAG "\r\n"
  "a=ice-pwd:" PWD "\r\n"
  "a=ice-options:trickle\r\n"
  "a=fingerprint:" FP_A "\r\n"
  "a=setup:actpass\r\n"
  "a=mid:1\r\n"
  "a=extmap:14 urn:ietf:params:rtp-hdrext:toffset\r\n"
  "a=sendrecv\r\n"
  "a=msid:stream1 track-video-1\r\n"
  "a=rtcp-mux\r\n"
  "a=rtcp-rsize\r\n"
  "a=rtpmap:96 VP8/90000\r\n"
  "a=rtcp-fb:96 goog-remb\r\n"
  "a=rtcp-fb:96 transport-cc\r\n"
  "a=rtcp-fb:96 ccm fir\r\n"
  "a=rtcp-fb:96 nack\r\n"
  "a=rtcp-fb:96 nack pli\r\n"
  "a=rtpmap:97 rtx/90000\r\n"
  "a=fmtp:97 apt=96\r\n"
  "a=rtpmap:102 H264/90000\r\n"
  "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\r\n"
  "a=rtpmap:103 rtx/90000\r\n"
  "a=fmtp:103 apt=102\r\n"
  "a=ssrc-group:FID 2001 2002\r\n"
  "a=ssrc:2001 cname:abcdEFGHijkl\r\n"
  "a=ssrc:2001 msid:stream1 track-video-1\r\n"
  "a=ssrc:2002 cname:abcdEFGHijkl\r\n"
  "a=candidate:1467250027 1 udp 2122260223 127.0.0.1 46243 typ host generation 0 network-id 1\r\n"
  "a=candidate:1467250027 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1\r\n";

/* Firefox's shape: session-level fingerprint, payload types 109 and 120,
 * fmtp before rtpmap, a data channel m-line. Written for this test. */
static const char FIREFOX_OFFER[] =
  "v=0\r\n"
  "o=mozilla...THIS_IS_SDPARTA-99.0 5089293617498733744 0 IN IP4 0.0.0.0\r\n"
  "s=-\r\n"
  "t=0 0\r\n"
  "a=fingerprint:" FP_B "\r\n"
  "a=group:BUNDLE 0 1 2\r\n"
  "a=ice-options:trickle\r\n"
  "a=msid-semantic:WMS *\r\n"
  "m=audio 9 UDP/TLS/RTP/SAVPF 109 9 0 8 101\r\n"
  "c=IN IP4 0.0.0.0\r\n"
  "a=sendrecv\r\n"
  "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
  "a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1\r\n"
  "a=fmtp:101 0-15\r\n"
  "a=ice-pwd:" PWD "\r\n"
  "a=ice-ufrag:" UFRAG "\r\n"
  "a=mid:0\r\n"
  "a=msid:{7a1f} {0c3e}\r\n"
  "a=rtcp-mux\r\n"
  "a=rtpmap:109 opus/48000/2\r\n"
  "a=rtpmap:9 G722/8000/1\r\n"
  "a=rtpmap:0 PCMU/8000\r\n"
  "a=rtpmap:8 PCMA/8000\r\n"
  "a=rtpmap:101 telephone-event/8000/1\r\n"
  "a=setup:actpass\r\n"
  "a=ssrc:3512 cname:{f00d}\r\n"
  "m=video 9 UDP/TLS/RTP/SAVPF 120 124 121 125\r\n"
  "c=IN IP4 0.0.0.0\r\n"
  "a=sendonly\r\n"
  "a=fmtp:120 max-fs=12288;max-fr=60\r\n"
  "a=fmtp:124 apt=120\r\n"
  "a=fmtp:121 max-fs=12288;max-fr=60\r\n"
  "a=fmtp:125 apt=121\r\n"
  "a=ice-pwd:" PWD "\r\n"
  "a=ice-ufrag:" UFRAG "\r\n"
  "a=mid:1\r\n"
  "a=msid:{7a1f} {9b2d}\r\n"
  "a=rtcp-fb:120 nack\r\n"
  "a=rtcp-fb:120 nack pli\r\n"
  "a=rtcp-fb:120 ccm fir\r\n"
  "a=rtcp-fb:120 goog-remb\r\n"
  "a=rtcp-fb:121 nack\r\n"
  "a=rtcp-mux\r\n"
  "a=rtpmap:120 VP8/90000\r\n"
  "a=rtpmap:124 rtx/90000\r\n"
  "a=rtpmap:121 VP9/90000\r\n"
  "a=rtpmap:125 rtx/90000\r\n"
  "a=setup:actpass\r\n"
  "a=ssrc:4711 cname:{f00d}\r\n"
  "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
  "c=IN IP4 0.0.0.0\r\n"
  "a=sendrecv\r\n"
  "a=ice-pwd:" PWD "\r\n"
  "a=ice-ufrag:" UFRAG "\r\n"
  "a=mid:2\r\n"
  "a=setup:actpass\r\n"
  "a=sctp-port:5000\r\n"
  "a=max-message-size:1073741823\r\n";

static GPtrArray *
local_audio_video (SottoMediaDirection direction)
{
  GPtrArray *local = g_ptr_array_new_with_free_func ((GDestroyNotify) sotto_sdp_media_free);
  SottoSdpMedia *audio = sotto_sdp_media_new (SOTTO_SDP_MEDIA_KIND_AUDIO, NULL, direction);
  SottoSdpMedia *video = sotto_sdp_media_new (SOTTO_SDP_MEDIA_KIND_VIDEO, NULL, direction);

  sotto_sdp_media_set_ssrc (audio, 111111, "me", "s1", "a1");
  sotto_sdp_media_set_ssrc (video, 222222, "me", "s1", "v1");
  g_ptr_array_add (local, audio);
  g_ptr_array_add (local, video);
  return local;
}

static void
test_round_trip (void)
{
  g_autoptr(SottoSdpDescription) offer = NULL;
  g_autoptr(SottoSdpDescription) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const SottoSdpMedia *audio, *video;
  const SottoSdpCodec *codec;
  SottoSdpMedia *m;

  offer = sotto_sdp_description_new (SOTTO_SDP_TYPE_OFFER, UFRAG, PWD, FP_A,
                                     SOTTO_SDP_SETUP_ACTPASS);
  m = sotto_sdp_media_new (SOTTO_SDP_MEDIA_KIND_AUDIO, "0", SOTTO_MEDIA_DIRECTION_SENDRECV);
  sotto_sdp_media_set_ssrc (m, 4000000000u, "cn", "stream", "trackA");
  sotto_sdp_description_add_media (offer, m);
  m = sotto_sdp_media_new (SOTTO_SDP_MEDIA_KIND_VIDEO, "1", SOTTO_MEDIA_DIRECTION_SENDONLY);
  sotto_sdp_media_set_ssrc (m, 77, "cn", "stream", "trackV");
  g_ptr_array_add (m->candidates, g_strdup ("candidate:1 1 UDP 2013266431 127.0.0.1 5000 typ host"));
  m->end_of_candidates = TRUE;
  sotto_sdp_description_add_media (offer, m);

  text = sotto_sdp_description_to_string (offer);
  g_assert_nonnull (strstr (text, "a=group:BUNDLE 0 1\r\n"));
  g_assert_nonnull (strstr (text, "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"));
  g_assert_nonnull (strstr (text, "a=rtcp-fb:96 nack pli\r\n"));
  g_assert_nonnull (strstr (text, "a=setup:actpass\r\n"));

  parsed = sotto_sdp_description_parse (text, SOTTO_SDP_TYPE_OFFER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->session_id, ==, offer->session_id);
  g_assert_cmpstr (parsed->ice_ufrag, ==, UFRAG);
  g_assert_cmpstr (parsed->ice_pwd, ==, PWD);
  g_assert_cmpstr (parsed->fingerprint, ==, FP_A);
  g_assert_true (parsed->ice_trickle);
  g_assert_cmpint (parsed->setup, ==, SOTTO_SDP_SETUP_ACTPASS);
  g_assert_cmpuint (parsed->media->len, ==, 2);
  g_assert_cmpstr (sotto_sdp_description_get_bundle_tag (parsed), ==, "0");

  audio = sotto_sdp_description_find_media (parsed, "0");
  g_assert_cmpint (audio->kind, ==, SOTTO_SDP_MEDIA_KIND_AUDIO);
  g_assert_cmpint (audio->direction, ==, SOTTO_MEDIA_DIRECTION_SENDRECV);
  g_assert_cmpuint (audio->ssrc, ==, 4000000000u);
  g_assert_cmpstr (audio->cname, ==, "cn");
  g_assert_cmpstr (audio->msid_stream, ==, "stream");
  g_assert_cmpstr (audio->msid_track, ==, "trackA");
  codec = sotto_sdp_media_get_codec (audio);
  g_assert_cmpuint (codec->payload_type, ==, SOTTO_SDP_DEFAULT_OPUS_PT);
  g_assert_cmpstr (codec->encoding, ==, "opus");
  g_assert_cmpuint (codec->clock_rate, ==, 48000);
  g_assert_cmpuint (codec->channels, ==, 2);
  g_assert_cmpstr (codec->fmtp, ==, "minptime=10;useinbandfec=1");

  video = sotto_sdp_description_find_media (parsed, "1");
  g_assert_cmpint (video->direction, ==, SOTTO_MEDIA_DIRECTION_SENDONLY);
  codec = sotto_sdp_media_get_codec (video);
  g_assert_cmpstr (codec->encoding, ==, "VP8");
  g_assert_true (codec->fb_nack && codec->fb_nack_pli && codec->fb_ccm_fir);
  g_assert_cmpuint (video->candidates->len, ==, 1);
  g_assert_cmpstr (video->candidates->pdata[0], ==,
                   "candidate:1 1 UDP 2013266431 127.0.0.1 5000 typ host");
  g_assert_true (video->end_of_candidates);
  g_assert_null (sotto_sdp_description_find_media (parsed, "2"));
}

static void
test_chrome_offer (void)
{
  g_autoptr(SottoSdpDescription) offer = NULL;
  g_autoptr(SottoSdpDescription) answer = NULL;
  g_autoptr(SottoSdpDescription) reparsed = NULL;
  g_autoptr(GPtrArray) local = local_audio_video (SOTTO_MEDIA_DIRECTION_SENDRECV);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const SottoSdpMedia *m;
  const SottoSdpCodec *codec;
  gboolean offerer_is_client = TRUE;

  offer = sotto_sdp_description_parse (CHROME_OFFER, SOTTO_SDP_TYPE_OFFER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (offer->fingerprint, ==, FP_A);
  g_assert_true (offer->ice_trickle);
  m = offer->media->pdata[0];
  g_assert_cmpuint (m->ssrc, ==, 1001);
  g_assert_cmpstr (m->msid_track, ==, "track-audio-1");
  m = offer->media->pdata[1];
  g_assert_cmpuint (m->ssrc, ==, 2001);  /* the primary, not the RTX ssrc */
  g_assert_cmpuint (m->candidates->len, ==, 2);

  answer = sotto_sdp_create_answer (offer, local, "abcd", "0123456789abcdefghijkl", FP_B, &error);
  g_assert_no_error (error);
  g_assert_cmpint (answer->setup, ==, SOTTO_SDP_SETUP_ACTIVE);
  g_assert_true (sotto_sdp_resolve_setup (offer->setup, answer->setup, &offerer_is_client, &error));
  g_assert_false (offerer_is_client);

  text = sotto_sdp_description_to_string (answer);
  g_assert_nonnull (strstr (text, "a=group:BUNDLE 0 1\r\n"));
  g_assert_nonnull (strstr (text, "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"));
  g_assert_nonnull (strstr (text, "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"));
  g_assert_nonnull (strstr (text, "a=setup:active\r\n"));
  g_assert_null (strstr (text, "actpass"));
  g_assert_nonnull (strstr (text, "a=rtcp-mux\r\n"));
  g_assert_nonnull (strstr (text, "a=ssrc:111111 cname:me\r\n"));
  g_assert_nonnull (strstr (text, "a=msid:s1 v1\r\n"));
  g_assert_nonnull (strstr (text, "a=rtcp-fb:96 ccm fir\r\n"));
  /* The offer's opus has no nack; the answer must not invent it. */
  g_assert_null (strstr (text, "a=rtcp-fb:111"));

  reparsed = sotto_sdp_description_parse (text, SOTTO_SDP_TYPE_ANSWER, &error);
  g_assert_no_error (error);
  g_assert_true (sotto_sdp_check_answer (offer, reparsed, &error));
  g_assert_no_error (error);
  codec = sotto_sdp_media_get_codec (reparsed->media->pdata[0]);
  g_assert_cmpuint (codec->payload_type, ==, 111);
  g_assert_cmpint (((SottoSdpMedia *) reparsed->media->pdata[1])->direction, ==,
                   SOTTO_MEDIA_DIRECTION_SENDRECV);
}

static void
test_firefox_offer (void)
{
  g_autoptr(SottoSdpDescription) offer = NULL;
  g_autoptr(SottoSdpDescription) answer = NULL;
  g_autoptr(SottoSdpDescription) reparsed = NULL;
  g_autoptr(GPtrArray) local = local_audio_video (SOTTO_MEDIA_DIRECTION_SENDRECV);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const SottoSdpCodec *codec;
  const SottoSdpMedia *m;

  offer = sotto_sdp_description_parse (FIREFOX_OFFER, SOTTO_SDP_TYPE_OFFER, &error);
  g_assert_no_error (error);
  /* Session-level fingerprint applies to every m-line. */
  g_assert_cmpstr (offer->fingerprint, ==, FP_B);
  g_assert_cmpuint (offer->media->len, ==, 3);
  g_assert_cmpint (((SottoSdpMedia *) offer->media->pdata[2])->kind, ==, SOTTO_SDP_MEDIA_KIND_OTHER);

  answer = sotto_sdp_create_answer (offer, local, "abcd", "0123456789abcdefghijkl", FP_A, &error);
  g_assert_no_error (error);
  text = sotto_sdp_description_to_string (answer);

  /* Payload types come from the offer, never our defaults. */
  g_assert_nonnull (strstr (text, "m=audio 9 UDP/TLS/RTP/SAVPF 109\r\n"));
  g_assert_nonnull (strstr (text, "a=rtpmap:109 opus/48000/2\r\n"));
  g_assert_nonnull (strstr (text, "m=video 9 UDP/TLS/RTP/SAVPF 120\r\n"));
  g_assert_nonnull (strstr (text, "a=rtpmap:120 VP8/90000\r\n"));
  g_assert_nonnull (strstr (text, "a=rtcp-fb:120 nack pli\r\n"));
  g_assert_null (strstr (text, " 111"));
  g_assert_null (strstr (text, ":96 "));
  /* The data channel is rejected, keeping its mid, and left out of BUNDLE. */
  g_assert_nonnull (strstr (text, "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n"));
  g_assert_nonnull (strstr (text, "a=group:BUNDLE 0 1\r\n"));
  g_assert_nonnull (strstr (text, "a=mid:2\r\n"));
  /* Firefox only sends video: we receive it, so our camera is not sent. */
  g_assert_nonnull (strstr (text, "a=recvonly\r\n"));
  g_assert_null (strstr (text, "a=ssrc:222222"));

  reparsed = sotto_sdp_description_parse (text, SOTTO_SDP_TYPE_ANSWER, &error);
  g_assert_no_error (error);
  g_assert_true (sotto_sdp_check_answer (offer, reparsed, &error));
  g_assert_no_error (error);
  m = reparsed->media->pdata[1];
  codec = sotto_sdp_media_get_codec (m);
  g_assert_cmpuint (codec->payload_type, ==, 120);
  g_assert_cmpint (m->direction, ==, SOTTO_MEDIA_DIRECTION_RECVONLY);
  g_assert_true (((SottoSdpMedia *) reparsed->media->pdata[2])->rejected);
}

static void
test_answer_without_local_media (void)
{
  g_autoptr(SottoSdpDescription) offer = NULL;
  g_autoptr(SottoSdpDescription) answer = NULL;
  g_autoptr(GError) error = NULL;

  offer = sotto_sdp_description_parse (CHROME_OFFER, SOTTO_SDP_TYPE_OFFER, &error);
  g_assert_no_error (error);
  /* A subscriber with nothing to send answers recvonly on every m-line. */
  answer = sotto_sdp_create_answer (offer, NULL, "abcd", "0123456789abcdefghijkl", FP_B, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((SottoSdpMedia *) answer->media->pdata[0])->direction, ==,
                   SOTTO_MEDIA_DIRECTION_RECVONLY);
  g_assert_cmpuint (((SottoSdpMedia *) answer->media->pdata[0])->ssrc, ==, 0);
}

/* Replaces the first occurrence of `from` in the Chrome offer. */
static char *
chrome_with (const char *from,
             const char *to)
{
  const char *at = strstr (CHROME_OFFER, from);
  GString *s;

  g_assert_nonnull (at);
  s = g_string_new_len (CHROME_OFFER, at - CHROME_OFFER);
  g_string_append (s, to);
  g_string_append (s, at + strlen (from));
  return g_string_free (s, FALSE);
}

static char *
chrome_with_all (const char *from,
                 const char *to)
{
  GString *s = g_string_new (CHROME_OFFER);

  g_string_replace (s, from, to, 0);
  return g_string_free (s, FALSE);
}

static void
expect_offer_error (const char *text,
                    gint        code)
{
  g_autoptr(SottoSdpDescription) desc = NULL;
  g_autoptr(GError) error = NULL;

  desc = sotto_sdp_description_parse (text, SOTTO_SDP_TYPE_OFFER, &error);
  g_assert_null (desc);
  g_assert_error (error, SOTTO_SDP_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_malformed (void)
{
  struct { const char *from, *to; gboolean all; gint code; } edits[] = {
    { "a=mid:1\r\n", "", FALSE, SOTTO_SDP_ERROR_MISSING_MID },
    { "a=mid:1\r\n", "a=mid:0\r\n", FALSE, SOTTO_SDP_ERROR_MISSING_MID },
    { "a=mid:1\r\n", "a=mid:1 x\r\n", FALSE, SOTTO_SDP_ERROR_MISSING_MID },
    { "a=msid:stream1 track-audio-1\r\n", "a=msid:stream1\x01track\r\n", FALSE, SOTTO_SDP_ERROR_PARSE },
    { "a=rtcp-mux\r\n", "", FALSE, SOTTO_SDP_ERROR_RTCP_MUX },
    { "a=group:BUNDLE 0 1\r\n", "", FALSE, SOTTO_SDP_ERROR_BUNDLE },
    { "a=group:BUNDLE 0 1\r\n", "a=group:BUNDLE 0\r\n", FALSE, SOTTO_SDP_ERROR_BUNDLE },
    { "a=ice-ufrag:" UFRAG "\r\n", "a=ice-ufrag:Zzzz\r\n", FALSE, SOTTO_SDP_ERROR_ICE_CREDENTIALS },
    { "a=ice-pwd:" PWD "\r\n", "", TRUE, SOTTO_SDP_ERROR_ICE_CREDENTIALS },
    { "a=ice-pwd:" PWD "\r\n", "a=ice-pwd:short\r\n", TRUE, SOTTO_SDP_ERROR_ICE_CREDENTIALS },
    { "a=ice-ufrag:" UFRAG "\r\n", "a=ice-ufrag:bad ufrag\r\n", TRUE, SOTTO_SDP_ERROR_ICE_CREDENTIALS },
    { "a=fingerprint:" FP_A "\r\n", "", TRUE, SOTTO_SDP_ERROR_FINGERPRINT },
    { "a=fingerprint:" FP_A "\r\n", "a=fingerprint:sha-256 nothex\r\n", TRUE, SOTTO_SDP_ERROR_FINGERPRINT },
    { "a=fingerprint:" FP_A "\r\n", "a=fingerprint:" FP_B "\r\n", FALSE, SOTTO_SDP_ERROR_FINGERPRINT },
    { "a=setup:actpass\r\n", "", TRUE, SOTTO_SDP_ERROR_SETUP },
    { "a=setup:actpass\r\n", "a=setup:holdconn\r\n", FALSE, SOTTO_SDP_ERROR_SETUP },
    { "a=setup:actpass\r\n", "a=setup:active\r\n", FALSE, SOTTO_SDP_ERROR_SETUP },
    { "UDP/TLS/RTP/SAVPF", "RTP/AVP", TRUE, SOTTO_SDP_ERROR_UNSUPPORTED_PROTO },
    { "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103", "m=video 9 UDP/TLS/RTP/SAVPF 96 x", FALSE, SOTTO_SDP_ERROR_PARSE },
    { "typ host generation 0 network-id 1", "typ nonsense", FALSE, SOTTO_SDP_ERROR_CANDIDATE },
    { "o=- 4611731400430051336 2", "o=- notanumber 2", FALSE, SOTTO_SDP_ERROR_PARSE },
    { "a=rtcp:9 IN IP4 0.0.0.0\r\n", "garbage line\r\n", FALSE, SOTTO_SDP_ERROR_PARSE },
  };
  const char *whole[] = { "", "hello", "v=1\r\n", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n" };
  gint whole_codes[] = { SOTTO_SDP_ERROR_PARSE, SOTTO_SDP_ERROR_PARSE, SOTTO_SDP_ERROR_PARSE,
                         SOTTO_SDP_ERROR_NO_MEDIA };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autofree char *text = edits[i].all ? chrome_with_all (edits[i].from, edits[i].to)
                                           : chrome_with (edits[i].from, edits[i].to);
      g_test_message ("edit %u: \"%s\" -> \"%s\"", i, edits[i].from, edits[i].to);
      expect_offer_error (text, edits[i].code);
    }
  for (i = 0; i < G_N_ELEMENTS (whole); i++)
    expect_offer_error (whole[i], whole_codes[i]);
}

static void
test_only_data_channel (void)
{
  const char *text =
    "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
    "a=mid:0\r\na=ice-ufrag:" UFRAG "\r\na=ice-pwd:" PWD "\r\n"
    "a=fingerprint:" FP_A "\r\na=setup:actpass\r\n";

  expect_offer_error (text, SOTTO_SDP_ERROR_NO_MEDIA);
}

static void
test_no_common_codec (void)
{
  g_autofree char *text = chrome_with_all ("opus/48000/2", "ISAC/16000");
  g_autofree char *text2 = NULL;
  g_autoptr(SottoSdpDescription) offer = NULL;
  g_autoptr(SottoSdpDescription) answer = NULL;
  g_autoptr(GError) error = NULL;
  GString *s;

  /* Audio without opus: that m-line is rejected, video still answered. */
  offer = sotto_sdp_description_parse (text, SOTTO_SDP_TYPE_OFFER, &error);
  g_assert_no_error (error);
  answer = sotto_sdp_create_answer (offer, NULL, "abcd", "0123456789abcdefghijkl", FP_B, &error);
  g_assert_no_error (error);
  g_assert_true (((SottoSdpMedia *) answer->media->pdata[0])->rejected);
  g_assert_false (((SottoSdpMedia *) answer->media->pdata[1])->rejected);
  g_clear_pointer (&offer, sotto_sdp_description_free);
  g_clear_pointer (&answer, sotto_sdp_description_free);

  s = g_string_new (text);
  g_string_replace (s, "VP8/90000", "AV1/90000", 0);
  text2 = g_string_free (s, FALSE);
  offer = sotto_sdp_description_parse (text2, SOTTO_SDP_TYPE_OFFER, &error);
  g_assert_no_error (error);
  answer = sotto_sdp_create_answer (offer, NULL, "abcd", "0123456789abcdefghijkl", FP_B, &error);
  g_assert_null (answer);
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_NO_COMMON_CODEC);
}

static void
test_setup_roles (void)
{
  struct { SottoSdpSetup offered, answered; gboolean ok; gint code; gboolean offerer_client; } cases[] = {
    { SOTTO_SDP_SETUP_ACTPASS, SOTTO_SDP_SETUP_ACTIVE, TRUE, 0, FALSE },
    { SOTTO_SDP_SETUP_ACTPASS, SOTTO_SDP_SETUP_PASSIVE, TRUE, 0, TRUE },
    { SOTTO_SDP_SETUP_ACTIVE, SOTTO_SDP_SETUP_PASSIVE, TRUE, 0, TRUE },
    { SOTTO_SDP_SETUP_PASSIVE, SOTTO_SDP_SETUP_ACTIVE, TRUE, 0, FALSE },
    { SOTTO_SDP_SETUP_ACTIVE, SOTTO_SDP_SETUP_ACTIVE, FALSE, SOTTO_SDP_ERROR_SETUP_CONFLICT, FALSE },
    { SOTTO_SDP_SETUP_PASSIVE, SOTTO_SDP_SETUP_PASSIVE, FALSE, SOTTO_SDP_ERROR_SETUP_CONFLICT, FALSE },
    { SOTTO_SDP_SETUP_ACTPASS, SOTTO_SDP_SETUP_ACTPASS, FALSE, SOTTO_SDP_ERROR_SETUP, FALSE },
    { SOTTO_SDP_SETUP_ACTIVE, SOTTO_SDP_SETUP_ACTPASS, FALSE, SOTTO_SDP_ERROR_SETUP, FALSE },
  };
  SottoSdpSetup chosen;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean client = !cases[i].offerer_client;
      gboolean ok = sotto_sdp_resolve_setup (cases[i].offered, cases[i].answered, &client, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (client, ==, cases[i].offerer_client);
      else
        g_assert_error (error, SOTTO_SDP_ERROR, cases[i].code);
    }

  /* Whatever the offer says, our answer never conflicts with it. */
  for (i = SOTTO_SDP_SETUP_ACTPASS; i <= SOTTO_SDP_SETUP_PASSIVE; i++)
    {
      g_assert_true (sotto_sdp_choose_answer_setup ((SottoSdpSetup) i, &chosen, NULL));
      g_assert_cmpint (chosen, !=, SOTTO_SDP_SETUP_ACTPASS);
      g_assert_true (sotto_sdp_resolve_setup ((SottoSdpSetup) i, chosen, NULL, NULL));
    }
}

static void
test_answer_checks (void)
{
  g_autoptr(SottoSdpDescription) offer = NULL;
  g_autoptr(SottoSdpDescription) answer = NULL;
  g_autoptr(GPtrArray) local = local_audio_video (SOTTO_MEDIA_DIRECTION_SENDRECV);
  g_autoptr(GError) error = NULL;
  SottoSdpMedia *m;
  SottoSdpCodec *codec;

  offer = sotto_sdp_description_parse (CHROME_OFFER, SOTTO_SDP_TYPE_OFFER, &error);
  g_assert_no_error (error);
  answer = sotto_sdp_create_answer (offer, local, "abcd", "0123456789abcdefghijkl", FP_B, &error);
  g_assert_no_error (error);
  g_assert_true (sotto_sdp_check_answer (offer, answer, &error));

  /* A payload type the offer never listed. */
  m = answer->media->pdata[1];
  codec = m->codecs->pdata[0];
  codec->payload_type = 98;
  g_assert_false (sotto_sdp_check_answer (offer, answer, &error));
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH);
  g_clear_error (&error);
  codec->payload_type = 96;

  /* Same role as the offer's explicit one. */
  offer->setup = SOTTO_SDP_SETUP_ACTIVE;
  answer->setup = SOTTO_SDP_SETUP_ACTIVE;
  g_assert_false (sotto_sdp_check_answer (offer, answer, &error));
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP_CONFLICT);
  g_clear_error (&error);
  offer->setup = SOTTO_SDP_SETUP_ACTPASS;

  /* mids out of order. */
  g_free (m->mid);
  m->mid = g_strdup ("9");
  g_assert_false (sotto_sdp_check_answer (offer, answer, &error));
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH);
  g_clear_error (&error);
  g_free (m->mid);
  m->mid = g_strdup ("1");

  /* sendrecv answered to a sendonly offer. */
  ((SottoSdpMedia *) offer->media->pdata[1])->direction = SOTTO_MEDIA_DIRECTION_SENDONLY;
  g_assert_false (sotto_sdp_check_answer (offer, answer, &error));
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH);
  g_clear_error (&error);

  /* An extra m-line. */
  ((SottoSdpMedia *) offer->media->pdata[1])->direction = SOTTO_MEDIA_DIRECTION_SENDRECV;
  sotto_sdp_description_add_media (answer, sotto_sdp_media_new (SOTTO_SDP_MEDIA_KIND_AUDIO, "2",
                                                                SOTTO_MEDIA_DIRECTION_SENDRECV));
  g_assert_false (sotto_sdp_check_answer (offer, answer, &error));
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_ANSWER_MISMATCH);
}

static void
test_answer_parse_refuses_actpass (void)
{
  g_autoptr(SottoSdpDescription) desc = NULL;
  g_autoptr(GError) error = NULL;

  desc = sotto_sdp_description_parse (CHROME_OFFER, SOTTO_SDP_TYPE_ANSWER, &error);
  g_assert_null (desc);
  g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP);
}

static void
test_directions (void)
{
  const SottoMediaDirection S = SOTTO_MEDIA_DIRECTION_SENDONLY, R = SOTTO_MEDIA_DIRECTION_RECVONLY,
                            B = SOTTO_MEDIA_DIRECTION_SENDRECV, I = SOTTO_MEDIA_DIRECTION_INACTIVE;

  g_assert_cmpint (sotto_sdp_answer_direction (B, B), ==, B);
  g_assert_cmpint (sotto_sdp_answer_direction (S, B), ==, R);
  g_assert_cmpint (sotto_sdp_answer_direction (R, B), ==, S);
  g_assert_cmpint (sotto_sdp_answer_direction (S, S), ==, I);
  g_assert_cmpint (sotto_sdp_answer_direction (R, R), ==, I);
  g_assert_cmpint (sotto_sdp_answer_direction (I, B), ==, I);
  g_assert_cmpint (sotto_sdp_answer_direction (B, R), ==, R);
}

static void
test_candidates (void)
{
  struct { const char *line; gboolean tcp; SottoCandidateType type; guint port;
           SottoCandidateTcpType tcptype; const char *raddr; } good[] = {
    { "candidate:1467250027 1 udp 2122260223 192.0.2.1 46243 typ host generation 0 ufrag Xk3p network-id 1",
      FALSE, SOTTO_CANDIDATE_HOST, 46243, SOTTO_CANDIDATE_TCP_NONE, NULL },
    { "a=candidate:1467250027 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 network-id 1",
      TRUE, SOTTO_CANDIDATE_HOST, 9, SOTTO_CANDIDATE_TCP_ACTIVE, NULL },
    { "candidate:842163049 1 udp 1686052607 198.51.100.7 46154 typ srflx raddr 192.0.2.1 rport 46243 generation 0 network-cost 10",
      FALSE, SOTTO_CANDIDATE_SRFLX, 46154, SOTTO_CANDIDATE_TCP_NONE, "192.0.2.1" },
    { "candidate:3 1 UDP 41885439 203.0.113.5 3478 typ relay raddr 0.0.0.0 rport 0",
      FALSE, SOTTO_CANDIDATE_RELAY, 3478, SOTTO_CANDIDATE_TCP_NONE, "0.0.0.0" },
    { "candidate:0 1 UDP 2122252543 4c1a7f2e-7a3b-4c55-9d2e-1f0e2d3c4b5a.local 53622 typ host",
      FALSE, SOTTO_CANDIDATE_HOST, 53622, SOTTO_CANDIDATE_TCP_NONE, NULL },
    { "candidate:2 1 UDP 2122187007 fe80::1%eth0 51000 typ host\r\n",
      FALSE, SOTTO_CANDIDATE_HOST, 51000, SOTTO_CANDIDATE_TCP_NONE, NULL },
  };
  const char *bad[] = {
    "", "candidate:", "candidate:1 1 udp 1 127.0.0.1 5000 typ", "1 1 udp 1 127.0.0.1 5000 typ host",
    "candidate:1 1 sctp 1 127.0.0.1 5000 typ host", "candidate:1 0 udp 1 127.0.0.1 5000 typ host",
    "candidate:1 1 udp 99999999999 127.0.0.1 5000 typ host", "candidate:1 1 udp 1 127.0.0.1 70000 typ host",
    "candidate:1 1 udp 1 127.0.0.1 5000 type host", "candidate:1 1 udp 1 127.0.0.1 5000 typ hots",
    "candidate:1 1 tcp 1 127.0.0.1 9 typ host", "candidate:1 1 udp 1 127.0.0.1 0 typ host",
    "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx raddr bad/addr rport 1",
    "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx raddr 1.2.3.4 rport x",
    "candidate:1 1 udp 1 127.0.0.1 5000 typ host tcptype sideways",
    "candidate:1 1 udp 1 127.0.0.1\x01 5000 typ host",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoSdpCandidate) c = sotto_sdp_candidate_parse (good[i].line, &error);
      g_autoptr(SottoSdpCandidate) again = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (c->component, ==, 1);
      g_assert_cmpint (c->tcp, ==, good[i].tcp);
      g_assert_cmpint (c->type, ==, good[i].type);
      g_assert_cmpuint (c->port, ==, good[i].port);
      g_assert_cmpint (c->tcp_type, ==, good[i].tcptype);
      g_assert_cmpstr (c->related_address, ==, good[i].raddr);

      text = sotto_sdp_candidate_to_string (c);
      g_assert_true (g_str_has_prefix (text, "candidate:"));
      again = sotto_sdp_candidate_parse (text, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again->address, ==, c->address);
      g_assert_cmpuint (again->priority, ==, c->priority);
      g_assert_cmpstr (again->foundation, ==, c->foundation);
    }

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoSdpCandidate) c = sotto_sdp_candidate_parse (bad[i], &error);

      g_test_message ("bad candidate %u: %s", i, bad[i]);
      g_assert_null (c);
      g_assert_error (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_CANDIDATE);
    }

  g_assert_true (sotto_sdp_is_end_of_candidates ("a=end-of-candidates"));
  g_assert_true (sotto_sdp_is_end_of_candidates ("end-of-candidates\r\n"));
  g_assert_false (sotto_sdp_is_end_of_candidates ("end-of-candidatesX"));
  g_assert_false (sotto_sdp_is_end_of_candidates ("candidate:1 1 udp 1 127.0.0.1 5000 typ host"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/sdp/round-trip", test_round_trip);
  g_test_add_func ("/sotto/sdp/chrome-offer", test_chrome_offer);
  g_test_add_func ("/sotto/sdp/firefox-offer", test_firefox_offer);
  g_test_add_func ("/sotto/sdp/answer-without-local-media", test_answer_without_local_media);
  g_test_add_func ("/sotto/sdp/malformed", test_malformed);
  g_test_add_func ("/sotto/sdp/only-data-channel", test_only_data_channel);
  g_test_add_func ("/sotto/sdp/no-common-codec", test_no_common_codec);
  g_test_add_func ("/sotto/sdp/setup-roles", test_setup_roles);
  g_test_add_func ("/sotto/sdp/answer-checks", test_answer_checks);
  g_test_add_func ("/sotto/sdp/answer-refuses-actpass", test_answer_parse_refuses_actpass);
  g_test_add_func ("/sotto/sdp/directions", test_directions);
  g_test_add_func ("/sotto/sdp/candidates", test_candidates);

  return g_test_run ();
}
