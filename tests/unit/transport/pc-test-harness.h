/* pc-test-harness.h: two SottoPeerConnections in one process, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sotto-peer-connection.h"

G_BEGIN_DECLS

#define PC_CONNECT_TIMEOUT_S 10

typedef struct _PcPair PcPair;

typedef struct {
  SottoPeerConnection *pc;
  PcPair              *pair;
  gboolean             is_a;
  GPtrArray           *rtp;      /* GBytes received */
  GPtrArray           *rtcp;
  GPtrArray           *candidates;  /* every candidate string signalled */
  gboolean             end_of_candidates;
} PcPeer;

/* Rewrites a candidate on its way from `from` to the other peer; return
 * NULL to drop it. */
typedef char *(*PcCandidateFilter) (PcPeer     *from,
                                    const char *candidate,
                                    gpointer    user_data);

struct _PcPair {
  PcPeer            a;   /* offerer */
  PcPeer            b;   /* answerer */
  PcCandidateFilter filter;
  gpointer          filter_data;
  gboolean          hold;      /* queue trickled candidates instead of delivering */
  GPtrArray        *held_for_a;
  GPtrArray        *held_for_b;
};

void     pc_pair_init      (PcPair *pair);
void     pc_pair_clear     (PcPair *pair);
void     pc_peer_clear     (PcPeer *peer);

/* Adds audio and video (sendrecv) on both sides. */
void     pc_pair_add_default_media (PcPair *pair);
/* Offer from a, answer from b; `edit_offer`/`edit_answer` may rewrite the
 * text (NULL: unchanged). Returns FALSE with `error` set if a step fails. */
typedef char *(*PcSdpEdit) (const char *sdp);
gboolean pc_pair_negotiate (PcPair     *pair,
                            PcSdpEdit   edit_offer,
                            PcSdpEdit   edit_answer,
                            GError    **error);
void     pc_pair_deliver_held (PcPair *pair);

gboolean pc_pair_both_connected (PcPair *pair);
void     pc_wait_until (gboolean (*cond) (gpointer), gpointer data, guint seconds);
#define  PC_WAIT(cond_fn, data, seconds) \
  pc_wait_until ((gboolean (*) (gpointer)) (cond_fn), (data), (seconds))

/* An RTP packet with `seq`, payload type `pt`, ssrc and a payload of
 * `payload_len` bytes filled with `fill`. */
GBytes  *pc_make_rtp  (guint8 pt, guint16 seq, guint32 ssrc, guint8 fill, gsize payload_len);
GBytes  *pc_make_rtcp (guint32 ssrc);
/* Sends `packet` from `from` until `to` has received more than before;
 * asserts it arrives intact. */
void     pc_send_and_expect (PcPeer *from, PcPeer *to, GBytes *packet, gboolean rtcp);

char    *pc_replace_all (const char *text, const char *from, const char *to);

G_END_DECLS
