/* test-peer-connection-wire.c: what two peer connections put on the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The peers are made to reach each other only through a UDP relay in this
 * test (their candidates are rewritten to the relay's ports, TCP ones are
 * withheld), so every datagram either agent sends, libnice's own STUN
 * included, passes through code that inspects it:
 *
 *   A (127.0.0.1:pa) ──> fb ─┐           ┌─ fa <── B (127.0.0.1:pb)
 *                            └─ inspect ─┘
 *   A knows B as fb; B knows A as fa. Source addresses are rewritten the
 *   same way, like a NAT, so ICE sees a consistent path.
 */
#include <string.h>
#include <gio/gio.h>

#include "pc-test-harness.h"
#include "sotto-packet-demux.h"

/* A payload no encryption would produce: if these bytes are ever seen in a
 * datagram, media went out in the clear. */
static const guint8 CANARY[] = "SOTTO-PLAINTEXT-CANARY";
#define CANARY_FILL 'Z'

typedef struct {
  GSocket  *fa, *fb;
  GSource  *src_fa, *src_fb;
  GSocketAddress *real_a, *real_b;
  gboolean  blocked;
  guint     counts[SOTTO_PACKET_RTCP + 1];
  guint     total;
  guint     total_from_a;
  guint     non_stun_from_a;   /* DTLS, SRTP, anything but ICE's own STUN */
  guint     canaries;
} Relay;

static guint16
socket_port (GSocket *socket)
{
  g_autoptr(GSocketAddress) addr = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));
}

static gboolean
contains (const guint8 *hay, gsize n, const guint8 *needle, gsize m)
{
  for (gsize i = 0; i + m <= n; i++)
    if (memcmp (hay + i, needle, m) == 0)
      return TRUE;
  return FALSE;
}

static void
inspect (Relay        *relay,
         const guint8 *data,
         gsize         len)
{
  SottoPacketKind kind = sotto_packet_demux_classify (data, len);
  guint8 fill[16];

  relay->total++;
  relay->counts[kind]++;
  if (kind == SOTTO_PACKET_UNKNOWN || kind == SOTTO_PACKET_ZRTP)
    g_test_message ("unexpected datagram of %" G_GSIZE_FORMAT " bytes, first byte %u", len, data[0]);
  memset (fill, CANARY_FILL, sizeof fill);
  if (contains (data, len, CANARY, sizeof CANARY - 1) || contains (data, len, fill, sizeof fill))
    relay->canaries++;
}

static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  Relay *relay = user_data;
  guint8 buf[65536];
  g_autoptr(GSocketAddress) from = NULL;
  gboolean from_a = socket == relay->fb;
  gssize n;

  n = g_socket_receive_from (socket, &from, (gchar *) buf, sizeof buf, NULL, NULL);
  if (n <= 0)
    return G_SOURCE_CONTINUE;
  inspect (relay, buf, (gsize) n);
  if (from_a)
    {
      relay->total_from_a++;
      if (sotto_packet_demux_classify (buf, (gsize) n) != SOTTO_PACKET_STUN)
        relay->non_stun_from_a++;
    }
  if (relay->blocked)
    return G_SOURCE_CONTINUE;
  if (from_a && relay->real_b != NULL)
    g_socket_send_to (relay->fa, relay->real_b, (const gchar *) buf, (gsize) n, NULL, NULL);
  else if (!from_a && relay->real_a != NULL)
    g_socket_send_to (relay->fb, relay->real_a, (const gchar *) buf, (gsize) n, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static GSocket *
bind_loopback (GError **error)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                       G_SOCKET_PROTOCOL_UDP, error);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);

  if (s == NULL || !g_socket_bind (s, addr, FALSE, error))
    return NULL;
  g_socket_set_blocking (s, FALSE);
  return g_steal_pointer (&s);
}

static void
relay_init (Relay *relay)
{
  g_autoptr(GError) error = NULL;

  memset (relay, 0, sizeof *relay);
  relay->fa = bind_loopback (&error);
  relay->fb = bind_loopback (&error);
  g_assert_no_error (error);
  relay->src_fa = g_socket_create_source (relay->fa, G_IO_IN, NULL);
  relay->src_fb = g_socket_create_source (relay->fb, G_IO_IN, NULL);
  g_source_set_callback (relay->src_fa, G_SOURCE_FUNC (on_readable), relay, NULL);
  g_source_set_callback (relay->src_fb, G_SOURCE_FUNC (on_readable), relay, NULL);
  g_source_attach (relay->src_fa, NULL);
  g_source_attach (relay->src_fb, NULL);
}

static void
relay_clear (Relay *relay)
{
  g_source_destroy (relay->src_fa);
  g_source_destroy (relay->src_fb);
  g_clear_pointer (&relay->src_fa, g_source_unref);
  g_clear_pointer (&relay->src_fb, g_source_unref);
  g_clear_object (&relay->fa);
  g_clear_object (&relay->fb);
  g_clear_object (&relay->real_a);
  g_clear_object (&relay->real_b);
}

/* Learns each peer's real UDP host address and advertises the relay's
 * socket instead; everything else is withheld. */
static char *
rewrite_candidate (PcPeer     *from,
                   const char *candidate,
                   gpointer    user_data)
{
  Relay *relay = user_data;
  g_autoptr(SottoSdpCandidate) c = sotto_sdp_candidate_parse (candidate, NULL);
  GSocketAddress **real;

  g_assert_nonnull (c);
  if (c->tcp || c->type != SOTTO_CANDIDATE_HOST)
    return NULL;
  real = from->is_a ? &relay->real_a : &relay->real_b;
  g_clear_object (real);
  *real = g_inet_socket_address_new_from_string (c->address, c->port);
  c->port = socket_port (from->is_a ? relay->fa : relay->fb);
  return sotto_sdp_candidate_to_string (c);
}

static GBytes *
canary_rtp (guint8  pt,
            guint16 seq,
            guint32 ssrc)
{
  g_autoptr(GBytes) base = pc_make_rtp (pt, seq, ssrc, CANARY_FILL, 600);
  guint8 *copy = g_memdup2 (g_bytes_get_data (base, NULL), g_bytes_get_size (base));

  memcpy (copy + 12, CANARY, sizeof CANARY - 1);
  return g_bytes_new_take (copy, g_bytes_get_size (base));
}

static guint
pt_of (SottoPeerConnection *pc,
       guint                index)
{
  const SottoSdpDescription *desc = sotto_peer_connection_get_local_description (pc);

  return sotto_sdp_media_get_codec (desc->media->pdata[index])->payload_type;
}

static void
test_wire (void)
{
  PcPair pair;
  Relay relay;
  g_autoptr(GError) error = NULL;
  guint16 seq;

  relay_init (&relay);
  pc_pair_init (&pair);
  pair.filter = rewrite_candidate;
  pair.filter_data = &relay;
  pc_pair_add_default_media (&pair);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Media offered before keys exist never reaches the wire. */
  for (seq = 1; seq <= 20 && !pc_pair_both_connected (&pair); seq++)
    {
      g_autoptr(GBytes) p = canary_rtp ((guint8) pt_of (pair.a.pc, 1), seq, 0xa1a1a1a1);

      g_assert_false (sotto_peer_connection_send_rtp (pair.a.pc, g_bytes_get_data (p, NULL),
                                                      g_bytes_get_size (p)));
      g_main_context_iteration (NULL, FALSE);
    }

  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  for (seq = 100; seq < 150; seq++)
    {
      g_autoptr(GBytes) ab = canary_rtp ((guint8) pt_of (pair.a.pc, 1), seq, 0xa1a1a1a1);
      g_autoptr(GBytes) ba = canary_rtp ((guint8) pt_of (pair.b.pc, 0), seq, 0xb0b0b0b0);

      pc_send_and_expect (&pair.a, &pair.b, ab, FALSE);
      pc_send_and_expect (&pair.b, &pair.a, ba, FALSE);
    }
  {
    g_autoptr(GBytes) rtcp = pc_make_rtcp (0xa0a0a0a0);
    pc_send_and_expect (&pair.a, &pair.b, rtcp, TRUE);
  }

  g_test_message ("%u datagrams: %u STUN, %u DTLS, %u SRTP, %u SRTCP, %u other",
                  relay.total, relay.counts[SOTTO_PACKET_STUN], relay.counts[SOTTO_PACKET_DTLS],
                  relay.counts[SOTTO_PACKET_RTP], relay.counts[SOTTO_PACKET_RTCP],
                  relay.counts[SOTTO_PACKET_UNKNOWN] + relay.counts[SOTTO_PACKET_ZRTP]);
  /* The relay really carried the call: checks, handshake and media. */
  g_assert_cmpuint (relay.counts[SOTTO_PACKET_STUN], >, 0);
  g_assert_cmpuint (relay.counts[SOTTO_PACKET_DTLS], >=, 4);
  g_assert_cmpuint (relay.counts[SOTTO_PACKET_RTP], >=, 100);
  g_assert_cmpuint (relay.counts[SOTTO_PACKET_RTCP], >=, 1);
  /* Nothing but STUN, DTLS and SRTP/SRTCP, and never the plaintext. */
  g_assert_cmpuint (relay.counts[SOTTO_PACKET_UNKNOWN], ==, 0);
  g_assert_cmpuint (relay.counts[SOTTO_PACKET_ZRTP], ==, 0);
  g_assert_cmpuint (relay.counts[SOTTO_PACKET_TURN_CHANNEL], ==, 0);
  g_assert_cmpuint (relay.canaries, ==, 0);

  pc_pair_clear (&pair);
  relay_clear (&relay);
}

static gboolean
a_failed (PcPair *pair)
{
  return sotto_peer_connection_get_state (pair->a.pc) == SOTTO_PEER_CONNECTION_STATE_FAILED;
}

static void
test_consent_lost (void)
{
  PcPair pair;
  Relay relay;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) p = NULL;
  gint64 start;
  guint before, stun_before;

  relay_init (&relay);
  pc_pair_init (&pair);
  pair.filter = rewrite_candidate;
  pair.filter_data = &relay;
  pc_pair_add_default_media (&pair);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);

  /* The path goes silent (a firewall, a peer gone without a word). RFC
   * 7675: sending stops and the state fails within 30 s. */
  relay.blocked = TRUE;
  start = g_get_monotonic_time ();
  PC_WAIT (a_failed, &pair, 35);
  g_test_message ("consent loss detected after %.1f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_error ((GError *) sotto_peer_connection_get_error (pair.a.pc),
                  SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_ICE_FAILED);
  g_assert_cmpint (sotto_peer_connection_get_ice_state (pair.a.pc), ==, SOTTO_ICE_STATE_FAILED);

  /* No more media or DTLS leaves a (libnice may still finish a STUN
   * transaction that was in flight). */
  before = relay.non_stun_from_a;
  stun_before = relay.total_from_a - relay.non_stun_from_a;
  p = pc_make_rtp ((guint8) pt_of (pair.a.pc, 0), 500, 0xa0a0a0a0, 1, 100);
  sotto_peer_connection_send_rtp (pair.a.pc, g_bytes_get_data (p, NULL), g_bytes_get_size (p));
  for (guint i = 0; i < 50; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
  g_test_message ("after failing, a sent %u STUN and %u other datagrams",
                  relay.total_from_a - relay.non_stun_from_a - stun_before,
                  relay.non_stun_from_a - before);
  g_assert_cmpuint (relay.non_stun_from_a - before, ==, 0);
  g_assert_cmpuint (relay.total_from_a - relay.non_stun_from_a - stun_before, <=, 2);

  pc_pair_clear (&pair);
  relay_clear (&relay);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Loopback only, even when run by hand outside meson test. */
  g_setenv ("SOTTO_ICE_ADDRESSES", "127.0.0.1", FALSE);

  g_test_add_func ("/sotto/peer-connection/wire", test_wire);
  g_test_add_func ("/sotto/peer-connection/consent-lost", test_consent_lost);

  return g_test_run ();
}
