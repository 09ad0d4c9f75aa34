/* test-webrtcbin-interop.c: a call between SottoPeerConnection and GStreamer's webrtcbin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * webrtcbin is an independent JSEP implementation (its own SDP writer, its
 * own libnice and DTLS set-up), the nearest thing to a browser that runs in
 * a test. Each direction of offer/answer is tried: the SDP must be accepted
 * by both, ICE and DTLS-SRTP must complete with fingerprints checked, and
 * RTP must arrive both ways (webrtcbin sends Opus from audiotestsrc; we send
 * RTP with the payload type we negotiated, which webrtcbin only delivers if
 * its SRTP decryption and payload-type mapping accept it).
 *
 * webrtcbin signals from its own threads; everything that touches the
 * SottoPeerConnection is handed to the main context with
 * g_main_context_invoke, the rule the session layer follows too.
 */
#include <string.h>

#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API

/* GStreamer's WebRTC library headers come only with
 * libgstreamer-plugins-bad1.0-dev, which drags OpenCV's development files
 * in; this test needs just the session description, declared here as
 * GStreamer defines it (unchanged since 1.14), and reaches its boxed type by
 * name once webrtcbin has registered it. */
typedef enum {
  GST_WEBRTC_SDP_TYPE_OFFER = 1,
  GST_WEBRTC_SDP_TYPE_PRANSWER,
  GST_WEBRTC_SDP_TYPE_ANSWER,
  GST_WEBRTC_SDP_TYPE_ROLLBACK,
} GstWebRTCSDPType;

typedef struct {
  GstWebRTCSDPType type;
  GstSDPMessage   *sdp;
} GstWebRTCSessionDescription;

static GType
session_description_type (void)
{
  GType type = g_type_from_name ("GstWebRTCSessionDescription");

  g_assert_true (type != 0);
  return type;
}

/* Takes ownership of `sdp`, like gst_webrtc_session_description_new(). */
static GstWebRTCSessionDescription *
session_description_new (GstWebRTCSDPType type,
                         GstSDPMessage   *sdp)
{
  GstWebRTCSessionDescription borrowed = { type, sdp };
  GstWebRTCSessionDescription *copy = g_boxed_copy (session_description_type (), &borrowed);

  gst_sdp_message_free (sdp);
  return copy;
}

static void
session_description_free (GstWebRTCSessionDescription *desc)
{
  g_boxed_free (session_description_type (), desc);
}

#include "pc-test-harness.h"

#define INTEROP_TIMEOUT_S 10

typedef struct {
  GstElement          *pipeline;
  GstElement          *webrtc;
  SottoPeerConnection *pc;
  gboolean             sotto_offers;
  gint                 gst_buffers;      /* atomic: RTP buffers webrtcbin delivered */
  guint                pc_rtp;           /* RTP packets we decrypted */
  guint                pc_last_pt;
  char                *failure;          /* main thread only */
} Interop;

typedef struct {
  Interop *it;
  char    *text;
} Message;

static void
message_free (gpointer data)
{
  Message *m = data;

  g_free (m->text);
  g_free (m);
}

static void
post (Interop     *it,
      GSourceFunc  func,
      const char  *text)
{
  Message *m = g_new0 (Message, 1);

  m->it = it;
  m->text = g_strdup (text);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, func, m, message_free);
}

static void
fail_main (Interop    *it,
           const char *what,
           GError     *error)
{
  if (it->failure == NULL)
    it->failure = g_strdup_printf ("%s: %s", what, error != NULL ? error->message : "failed");
}

static void
set_remote_on_webrtcbin (Interop             *it,
                         GstWebRTCSDPType     type,
                         const char          *text,
                         GstPromise          *promise)
{
  GstSDPMessage *sdp = NULL;
  GstWebRTCSessionDescription *desc;

  g_assert_cmpint (gst_sdp_message_new_from_text (text, &sdp), ==, GST_SDP_OK);
  desc = session_description_new (type, sdp);
  g_signal_emit_by_name (it->webrtc, "set-remote-description", desc, promise);
  session_description_free (desc);
}

/* --- main thread ------------------------------------------------------ */

static gboolean
on_gst_candidate_main (gpointer data)
{
  Message *m = data;
  g_autoptr(GError) error = NULL;

  if (!sotto_peer_connection_add_remote_candidate (m->it->pc, m->text, &error))
    fail_main (m->it, "webrtcbin's candidate refused", error);
  return G_SOURCE_REMOVE;
}

static gboolean
on_gst_offer_main (gpointer data)
{
  Message *m = data;
  Interop *it = m->it;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  g_test_message ("webrtcbin offer:\n%s", m->text);
  if (!sotto_peer_connection_set_remote_description (it->pc, SOTTO_SDP_TYPE_OFFER, m->text, &error))
    {
      fail_main (it, "webrtcbin's offer refused", error);
      return G_SOURCE_REMOVE;
    }
  answer = sotto_peer_connection_create_answer (it->pc, &error);
  if (answer == NULL)
    {
      fail_main (it, "no answer to webrtcbin's offer", error);
      return G_SOURCE_REMOVE;
    }
  g_test_message ("our answer:\n%s", answer);
  set_remote_on_webrtcbin (it, GST_WEBRTC_SDP_TYPE_ANSWER, answer, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_gst_answer_main (gpointer data)
{
  Message *m = data;
  g_autoptr(GError) error = NULL;

  g_test_message ("webrtcbin answer:\n%s", m->text);
  if (!sotto_peer_connection_set_remote_description (m->it->pc, SOTTO_SDP_TYPE_ANSWER, m->text, &error))
    fail_main (m->it, "webrtcbin's answer refused", error);
  return G_SOURCE_REMOVE;
}

static void
on_pc_candidate (SottoPeerConnection *pc,
                 const char          *candidate,
                 const char          *mid,
                 gpointer             user_data)
{
  Interop *it = user_data;

  /* webrtcbin 1.22 has no end-of-candidates input; it needs none. */
  if (strcmp (candidate, "end-of-candidates") != 0)
    g_signal_emit_by_name (it->webrtc, "add-ice-candidate", 0, candidate);
}

static void
on_pc_rtp (SottoPeerConnection *pc,
           gconstpointer        data,
           gulong               len,
           gpointer             user_data)
{
  Interop *it = user_data;

  it->pc_rtp++;
  it->pc_last_pt = ((const guint8 *) data)[1] & 0x7f;
}

/* --- webrtcbin threads -------------------------------------------------- */

static void
on_ice_candidate (GstElement *webrtc,
                  guint       mline,
                  const char *candidate,
                  gpointer    user_data)
{
  post (user_data, on_gst_candidate_main, candidate);
}

/* webrtcbin's created offer or answer (`field`) becomes its local
 * description, and its text goes to `on_main` on the test's context. */
static void
use_created_description (Interop     *it,
                         GstPromise  *promise,
                         const char  *field,
                         GSourceFunc  on_main)
{
  GstWebRTCSessionDescription *description = NULL;
  g_autofree char *text = NULL;

  gst_structure_get (gst_promise_get_reply (promise), field,
                     session_description_type (), &description, NULL);
  gst_promise_unref (promise);
  g_signal_emit_by_name (it->webrtc, "set-local-description", description, NULL);
  text = gst_sdp_message_as_text (description->sdp);
  session_description_free (description);
  post (it, on_main, text);
}

static void
on_offer_created (GstPromise *promise,
                  gpointer    user_data)
{
  use_created_description (user_data, promise, "offer", on_gst_offer_main);
}

static void
on_negotiation_needed (GstElement *webrtc,
                       gpointer    user_data)
{
  Interop *it = user_data;

  if (!it->sotto_offers)
    g_signal_emit_by_name (webrtc, "create-offer", NULL,
                           gst_promise_new_with_change_func (on_offer_created, it, NULL));
}

static void
on_answer_created (GstPromise *promise,
                   gpointer    user_data)
{
  use_created_description (user_data, promise, "answer", on_gst_answer_main);
}

static void
on_remote_offer_set (GstPromise *promise,
                     gpointer    user_data)
{
  Interop *it = user_data;

  gst_promise_unref (promise);
  g_signal_emit_by_name (it->webrtc, "create-answer", NULL,
                         gst_promise_new_with_change_func (on_answer_created, it, NULL));
}

static void
on_handoff (GstElement *sink,
            GstBuffer  *buffer,
            GstPad     *pad,
            gpointer    user_data)
{
  Interop *it = user_data;

  g_atomic_int_inc (&it->gst_buffers);
}

static void
on_pad_added (GstElement *webrtc,
              GstPad     *pad,
              gpointer    user_data)
{
  Interop *it = user_data;
  GstElement *sink;
  GstPad *sinkpad;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, "async", FALSE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), it);
  gst_bin_add (GST_BIN (it->pipeline), sink);
  gst_element_sync_state_with_parent (sink);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  g_assert_cmpint (gst_pad_link (pad, sinkpad), ==, GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
}

/* --- the test ------------------------------------------------------------ */

static gboolean
connected_or_failed (Interop *it)
{
  return it->failure != NULL ||
         sotto_peer_connection_get_state (it->pc) == SOTTO_PEER_CONNECTION_STATE_CONNECTED ||
         sotto_peer_connection_get_state (it->pc) == SOTTO_PEER_CONNECTION_STATE_FAILED;
}

static gboolean
media_both_ways (Interop *it)
{
  return it->failure != NULL || (it->pc_rtp > 0 && g_atomic_int_get (&it->gst_buffers) > 0);
}

static gboolean
on_send_tick (gpointer user_data)
{
  Interop *it = user_data;
  const SottoSdpDescription *desc = sotto_peer_connection_get_local_description (it->pc);
  const SottoSdpMedia *audio = desc->media->pdata[0];
  static guint16 seq = 1000;
  g_autoptr(GBytes) packet = NULL;
  guint8 *p;
  gsize len;

  packet = pc_make_rtp ((guint8) sotto_sdp_media_get_codec (audio)->payload_type, seq, audio->ssrc, 0xf8, 60);
  p = (guint8 *) g_bytes_get_data (packet, &len);
  /* 20 ms Opus frames: the timestamp moves by 960 at 48 kHz. */
  p[4] = (guint8) ((seq * 960u) >> 24);
  p[5] = (guint8) ((seq * 960u) >> 16);
  p[6] = (guint8) ((seq * 960u) >> 8);
  p[7] = (guint8) (seq * 960u);
  seq++;
  sotto_peer_connection_send_rtp (it->pc, p, len);
  return G_SOURCE_CONTINUE;
}

static void
restrict_webrtcbin_to_loopback (GstElement *webrtc)
{
  GObject *ice = NULL;
  GObject *agent = NULL;
  gboolean added = FALSE;

  /* The network rule holds for the reference peer too: only 127.0.0.1,
   * no UPnP. webrtcbin 1.22 returns its ICE object without a new
   * reference, so it is not unreferenced here. */
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  g_assert_nonnull (ice);
  g_object_get (ice, "agent", &agent, NULL);
  g_object_set (agent, "upnp", FALSE, NULL);
  g_object_unref (agent);
  g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &added);
  g_assert_true (added);
}

static void
interop_call (gboolean sotto_offers)
{
  Interop it = { 0 };
  g_autoptr(GError) error = NULL;
  guint tick;

  if (gst_element_factory_find ("webrtcbin") == NULL)
    {
      g_test_skip ("webrtcbin is not installed (gstreamer1.0-plugins-bad, gstreamer1.0-nice)");
      return;
    }
  it.sotto_offers = sotto_offers;
  it.pipeline = gst_parse_launch ("audiotestsrc is-live=true wave=silence ! audioconvert ! audioresample"
                                  " ! opusenc ! rtpopuspay pt=111"
                                  " ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111"
                                  " ! webrtcbin name=w bundle-policy=max-bundle",
                                  &error);
  g_assert_no_error (error);
  it.webrtc = gst_bin_get_by_name (GST_BIN (it.pipeline), "w");
  restrict_webrtcbin_to_loopback (it.webrtc);
  g_signal_connect (it.webrtc, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed), &it);
  g_signal_connect (it.webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate), &it);
  g_signal_connect (it.webrtc, "pad-added", G_CALLBACK (on_pad_added), &it);

  it.pc = sotto_peer_connection_new (&error);
  g_assert_no_error (error);
  sotto_peer_connection_add_media (it.pc, SOTTO_SDP_MEDIA_KIND_AUDIO, SOTTO_MEDIA_DIRECTION_SENDRECV,
                                   0x50770001, "sotto", "sotto-audio");
  g_signal_connect (it.pc, "local-candidate", G_CALLBACK (on_pc_candidate), &it);
  g_signal_connect (it.pc, "rtp-received", G_CALLBACK (on_pc_rtp), &it);

  g_assert_cmpint (gst_element_set_state (it.pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  if (sotto_offers)
    {
      g_autofree char *offer = sotto_peer_connection_create_offer (it.pc, &error);

      g_assert_no_error (error);
      g_test_message ("our offer:\n%s", offer);
      set_remote_on_webrtcbin (&it, GST_WEBRTC_SDP_TYPE_OFFER, offer,
                               gst_promise_new_with_change_func (on_remote_offer_set, &it, NULL));
    }

  PC_WAIT (connected_or_failed, &it, INTEROP_TIMEOUT_S);
  if (it.failure != NULL)
    g_error ("%s", it.failure);
  g_assert_cmpint (sotto_peer_connection_get_state (it.pc), ==, SOTTO_PEER_CONNECTION_STATE_CONNECTED);

  tick = g_timeout_add (20, on_send_tick, &it);
  PC_WAIT (media_both_ways, &it, INTEROP_TIMEOUT_S);
  g_source_remove (tick);
  if (it.failure != NULL)
    g_error ("%s", it.failure);
  g_test_message ("received %u RTP packets from webrtcbin (pt %u); it delivered %d of ours",
                  it.pc_rtp, it.pc_last_pt, g_atomic_int_get (&it.gst_buffers));
  g_assert_cmpuint (it.pc_last_pt, ==,
                    sotto_sdp_media_get_codec (sotto_peer_connection_get_local_description (it.pc)->media->pdata[0])->payload_type);

  /* Stop webrtcbin first, then run what its threads already handed to
   * us, and only then let the peer connection go. */
  gst_element_set_state (it.pipeline, GST_STATE_NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handlers_disconnect_by_data (it.pc, &it);
  g_assert_finalize_object (it.pc);
  gst_object_unref (it.webrtc);
  gst_object_unref (it.pipeline);
  g_free (it.failure);
}

static void
test_webrtcbin_offers (void)
{
  interop_call (FALSE);
}

static void
test_sotto_offers (void)
{
  interop_call (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  /* Loopback only, even when run by hand outside meson test. */
  g_setenv ("SOTTO_ICE_ADDRESSES", "127.0.0.1", FALSE);

  g_test_add_func ("/sotto/peer-connection/webrtcbin-offers", test_webrtcbin_offers);
  g_test_add_func ("/sotto/peer-connection/sotto-offers", test_sotto_offers);

  ret = g_test_run ();
  gst_deinit ();
  return ret;
}
