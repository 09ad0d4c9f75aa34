/* pc-test-harness.c: two SottoPeerConnections in one process, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "pc-test-harness.h"

#include <string.h>

static PcPeer *
other (PcPeer *p)
{
  return p->is_a ? &p->pair->b : &p->pair->a;
}

static void
deliver (PcPeer     *to,
         const char *candidate)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sotto_peer_connection_add_remote_candidate (to->pc, candidate, &error));
  g_assert_no_error (error);
}

static void
on_local_candidate (SottoPeerConnection *pc,
                    const char          *candidate,
                    const char          *mid,
                    gpointer             user_data)
{
  PcPeer *p = user_data;
  PcPair *pair = p->pair;
  g_autofree char *rewritten = NULL;

  g_assert_nonnull (mid);
  g_ptr_array_add (p->candidates, g_strdup (candidate));
  if (strcmp (candidate, "end-of-candidates") == 0)
    p->end_of_candidates = TRUE;
  else if (pair->filter != NULL)
    {
      rewritten = pair->filter (p, candidate, pair->filter_data);
      if (rewritten == NULL)
        return;
      candidate = rewritten;
    }

  if (pair->hold)
    g_ptr_array_add (p->is_a ? pair->held_for_b : pair->held_for_a, g_strdup (candidate));
  else
    deliver (other (p), candidate);
}

static void
on_rtp (SottoPeerConnection *pc,
        gconstpointer        data,
        gulong               len,
        gpointer             user_data)
{
  PcPeer *p = user_data;

  g_ptr_array_add (p->rtp, g_bytes_new (data, len));
}

static void
on_rtcp (SottoPeerConnection *pc,
         gconstpointer        data,
         gulong               len,
         gpointer             user_data)
{
  PcPeer *p = user_data;

  g_ptr_array_add (p->rtcp, g_bytes_new (data, len));
}

static void
peer_init (PcPair  *pair,
           PcPeer  *p,
           gboolean is_a)
{
  g_autoptr(GError) error = NULL;

  p->pair = pair;
  p->is_a = is_a;
  p->rtp = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  p->rtcp = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  p->candidates = g_ptr_array_new_with_free_func (g_free);
  p->pc = sotto_peer_connection_new (&error);
  g_assert_no_error (error);
  sotto_peer_connection_set_session_id (p->pc, "test-session-id");
  g_signal_connect (p->pc, "local-candidate", G_CALLBACK (on_local_candidate), p);
  g_signal_connect (p->pc, "rtp-received", G_CALLBACK (on_rtp), p);
  g_signal_connect (p->pc, "rtcp-received", G_CALLBACK (on_rtcp), p);
}

void
pc_peer_clear (PcPeer *p)
{
  if (p->pc != NULL)
    {
      g_signal_handlers_disconnect_by_data (p->pc, p);
      g_assert_finalize_object (p->pc);
      p->pc = NULL;
    }
  g_clear_pointer (&p->rtp, g_ptr_array_unref);
  g_clear_pointer (&p->rtcp, g_ptr_array_unref);
  g_clear_pointer (&p->candidates, g_ptr_array_unref);
}

void
pc_pair_init (PcPair *pair)
{
  memset (pair, 0, sizeof *pair);
  pair->held_for_a = g_ptr_array_new_with_free_func (g_free);
  pair->held_for_b = g_ptr_array_new_with_free_func (g_free);
  peer_init (pair, &pair->a, TRUE);
  peer_init (pair, &pair->b, FALSE);
}

void
pc_pair_clear (PcPair *pair)
{
  pc_peer_clear (&pair->a);
  pc_peer_clear (&pair->b);
  /* Let libnice finish closing its sockets and TURN allocations. */
  for (guint i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_pointer (&pair->held_for_a, g_ptr_array_unref);
  g_clear_pointer (&pair->held_for_b, g_ptr_array_unref);
}

void
pc_pair_add_default_media (PcPair *pair)
{
  sotto_peer_connection_add_media (pair->a.pc, SOTTO_SDP_MEDIA_KIND_AUDIO,
                                   SOTTO_MEDIA_DIRECTION_SENDRECV, 0xa0a0a0a0, "sa", "ta-audio");
  sotto_peer_connection_add_media (pair->a.pc, SOTTO_SDP_MEDIA_KIND_VIDEO,
                                   SOTTO_MEDIA_DIRECTION_SENDRECV, 0xa1a1a1a1, "sa", "ta-video");
  sotto_peer_connection_add_media (pair->b.pc, SOTTO_SDP_MEDIA_KIND_AUDIO,
                                   SOTTO_MEDIA_DIRECTION_SENDRECV, 0xb0b0b0b0, "sb", "tb-audio");
  sotto_peer_connection_add_media (pair->b.pc, SOTTO_SDP_MEDIA_KIND_VIDEO,
                                   SOTTO_MEDIA_DIRECTION_SENDRECV, 0xb1b1b1b1, "sb", "tb-video");
}

gboolean
pc_pair_negotiate (PcPair     *pair,
                   PcSdpEdit   edit_offer,
                   PcSdpEdit   edit_answer,
                   GError    **error)
{
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;

  offer = sotto_peer_connection_create_offer (pair->a.pc, error);
  if (offer == NULL)
    return FALSE;
  if (edit_offer != NULL)
    {
      char *edited = edit_offer (offer);
      g_free (offer);
      offer = edited;
    }
  if (!sotto_peer_connection_set_remote_description (pair->b.pc, SOTTO_SDP_TYPE_OFFER, offer, error))
    return FALSE;
  answer = sotto_peer_connection_create_answer (pair->b.pc, error);
  if (answer == NULL)
    return FALSE;
  if (edit_answer != NULL)
    {
      char *edited = edit_answer (answer);
      g_free (answer);
      answer = edited;
    }
  return sotto_peer_connection_set_remote_description (pair->a.pc, SOTTO_SDP_TYPE_ANSWER, answer, error);
}

void
pc_pair_deliver_held (PcPair *pair)
{
  guint i;

  for (i = 0; i < pair->held_for_a->len; i++)
    deliver (&pair->a, pair->held_for_a->pdata[i]);
  for (i = 0; i < pair->held_for_b->len; i++)
    deliver (&pair->b, pair->held_for_b->pdata[i]);
  g_ptr_array_set_size (pair->held_for_a, 0);
  g_ptr_array_set_size (pair->held_for_b, 0);
}

gboolean
pc_pair_both_connected (PcPair *pair)
{
  return sotto_peer_connection_get_state (pair->a.pc) == SOTTO_PEER_CONNECTION_STATE_CONNECTED &&
         sotto_peer_connection_get_state (pair->b.pc) == SOTTO_PEER_CONNECTION_STATE_CONNECTED;
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

void
pc_wait_until (gboolean (*cond) (gpointer),
               gpointer   data,
               guint      seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_true (cond (data));
}

GBytes *
pc_make_rtp (guint8  pt,
             guint16 seq,
             guint32 ssrc,
             guint8  fill,
             gsize   payload_len)
{
  guint8 *buf = g_malloc (12 + payload_len);

  buf[0] = 0x80;
  buf[1] = pt & 0x7f;
  buf[2] = (guint8) (seq >> 8);
  buf[3] = (guint8) seq;
  memset (buf + 4, 0, 4);    /* timestamp */
  buf[8] = (guint8) (ssrc >> 24);
  buf[9] = (guint8) (ssrc >> 16);
  buf[10] = (guint8) (ssrc >> 8);
  buf[11] = (guint8) ssrc;
  memset (buf + 12, fill, payload_len);
  return g_bytes_new_take (buf, 12 + payload_len);
}

GBytes *
pc_make_rtcp (guint32 ssrc)
{
  /* An empty receiver report: V=2, RC=0, PT=201, length 1. */
  guint8 buf[8] = { 0x80, 201, 0, 1 };

  buf[4] = (guint8) (ssrc >> 24);
  buf[5] = (guint8) (ssrc >> 16);
  buf[6] = (guint8) (ssrc >> 8);
  buf[7] = (guint8) ssrc;
  return g_bytes_new (buf, sizeof buf);
}

void
pc_send_and_expect (PcPeer  *from,
                    PcPeer  *to,
                    GBytes  *packet,
                    gboolean rtcp)
{
  GPtrArray *inbox = rtcp ? to->rtcp : to->rtp;
  guint before = inbox->len;
  gsize len;
  const guint8 *data = g_bytes_get_data (packet, &len);
  GBytes *got;
  guint i, j;

  /* A datagram can be lost even on loopback: bounded retries, each a new
   * packet as far as SRTP replay protection is concerned for RTP (the
   * caller gives a fresh sequence number per call). */
  for (i = 0; i < 10 && inbox->len == before; i++)
    {
      g_assert_true (rtcp ? sotto_peer_connection_send_rtcp (from->pc, data, len)
                          : sotto_peer_connection_send_rtp (from->pc, data, len));
      for (j = 0; j < 100 && inbox->len == before; j++)
        {
          while (g_main_context_iteration (NULL, FALSE))
            ;
          if (inbox->len == before)
            g_usleep (1000);
        }
      if (!rtcp)
        break;  /* resending the same RTP would be a replay */
    }
  g_assert_cmpuint (inbox->len, >, before);
  got = inbox->pdata[before];
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), data, len);
}

char *
pc_replace_all (const char *text,
                const char *from,
                const char *to)
{
  GString *s = g_string_new (text);

  g_assert_cmpuint (g_string_replace (s, from, to, 0), >, 0);
  return g_string_free (s, FALSE);
}
