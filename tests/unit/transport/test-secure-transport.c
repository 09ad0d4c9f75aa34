/* test-secure-transport.c: DTLS-SRTP end to end, never plaintext, rekey
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two SottoSecureTransports in one process, joined either by two real UDP
 * sockets on 127.0.0.1 or by the in-memory link (which can drop and lets a
 * test inject datagrams). Every datagram either end sends is recorded and
 * checked: DTLS or SRTP/SRTCP only, and no payload byte in the clear.
 */
#include <string.h>
#include <gio/gio.h>

#include "sotto-packet-demux.h"
#include "sotto-secure-transport.h"
#include "transport-test-link.h"

/* Every test RTP payload is this marker repeated; it must never be seen on
 * the wire. */
static const char marker[] = "SOTTO-PLAINTEXT!";
#define MARKER_LEN 16

typedef struct _Pair Pair;

typedef struct {
  Pair                 *pair;
  guint                 side;
  SottoSecureTransport *t;
  guint                 rtp_received;
  guint                 rtcp_received;
  gboolean              payload_ok;
  gboolean              connected;
  gboolean              failed;
  GError               *error;
  GSocket              *socket;
  GSource              *socket_source;
  GPtrArray            *wire;      /* UDP mode: every datagram sent */
} End;

struct _Pair
{
  gboolean  udp;
  TestLink *link;
  End       end[2];
  gboolean  both_connected;
  guint16   early_seq;
};

static void
on_state (SottoSecureTransport *t,
          GParamSpec           *pspec,
          End                  *e)
{
  e->connected = sotto_secure_transport_get_state (t) == SOTTO_SECURE_TRANSPORT_STATE_CONNECTED;
  e->pair->both_connected = e->pair->end[0].connected && e->pair->end[1].connected;
}

static void
on_failed (SottoSecureTransport *t,
           const GError         *error,
           End                  *e)
{
  e->failed = TRUE;
  g_clear_error (&e->error);
  e->error = g_error_copy (error);
}

static gboolean
payload_is_marker (const guint8 *data,
                   gsize         len)
{
  gsize i;

  if (len < 12)
    return FALSE;
  for (i = 12; i < len; i++)
    if (data[i] != (guint8) marker[(i - 12) % MARKER_LEN])
      return FALSE;
  return TRUE;
}

static void
on_rtp (SottoSecureTransport *t,
        const guint8         *data,
        gsize                 len,
        End                  *e)
{
  e->rtp_received++;
  e->payload_ok = payload_is_marker (data, len);
}

static void
on_rtcp (SottoSecureTransport *t,
         const guint8         *data,
         gsize                 len,
         End                  *e)
{
  e->rtcp_received++;
}

static void
udp_send (const guint8 *data,
          gsize         len,
          gpointer      user_data)
{
  End *e = user_data;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (e->wire, g_bytes_new (data, len));
  /* Loopback never blocks for long; a full buffer is just loss. */
  g_socket_send (e->socket, (const gchar *) data, len, NULL, &error);
}

static void
link_send (const guint8 *data,
           gsize         len,
           gpointer      user_data)
{
  End *e = user_data;

  test_link_send (e->pair->link, e->side, data, len);
}

static void
link_receive (const guint8 *data,
              gsize         len,
              gpointer      user_data)
{
  End *e = user_data;

  sotto_secure_transport_receive_datagram (e->t, data, len);
}

static gboolean
on_socket_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  End *e = user_data;
  guint8 buf[2048];
  guint i;

  for (i = 0; i < 64; i++)
    {
      gssize n = g_socket_receive (socket, (gchar *) buf, sizeof buf, NULL, NULL);

      if (n <= 0)
        break;
      sotto_secure_transport_receive_datagram (e->t, buf, (gsize) n);
    }
  return G_SOURCE_CONTINUE;
}

static GSocket *
bound_socket (void)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  GSocket *s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                             G_SOCKET_PROTOCOL_UDP, NULL);

  g_assert_nonnull (s);
  g_assert_true (g_socket_bind (s, addr, FALSE, NULL));
  g_socket_set_blocking (s, FALSE);
  return s;
}

static Pair *
pair_new (gboolean udp,
          guint32  seed)
{
  Pair *p = g_new0 (Pair, 1);
  guint i;

  p->udp = udp;
  if (udp)
    {
      for (i = 0; i < 2; i++)
        p->end[i].socket = bound_socket ();
      for (i = 0; i < 2; i++)
        {
          g_autoptr(GSocketAddress) peer = g_socket_get_local_address (p->end[1 - i].socket, NULL);
          g_assert_true (g_socket_connect (p->end[i].socket, peer, NULL, NULL));
        }
    }
  else
    p->link = test_link_new (seed);

  for (i = 0; i < 2; i++)
    {
      End *e = &p->end[i];
      g_autoptr(GError) error = NULL;

      e->pair = p;
      e->side = i;
      e->wire = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      e->t = sotto_secure_transport_new (udp ? udp_send : link_send, e, NULL, &error);
      g_assert_no_error (error);
      g_signal_connect (e->t, "notify::state", G_CALLBACK (on_state), e);
      g_signal_connect (e->t, "failed", G_CALLBACK (on_failed), e);
      g_signal_connect (e->t, "rtp-received", G_CALLBACK (on_rtp), e);
      g_signal_connect (e->t, "rtcp-received", G_CALLBACK (on_rtcp), e);
      if (udp)
        {
          e->socket_source = g_socket_create_source (e->socket, G_IO_IN, NULL);
          g_source_set_callback (e->socket_source, (GSourceFunc) (void (*) (void)) on_socket_readable, e, NULL);
          g_source_attach (e->socket_source, NULL);
        }
      else
        test_link_set_receiver (p->link, i, link_receive, e);
    }
  return p;
}

static void
pair_free (Pair *p)
{
  guint i;

  for (i = 0; i < 2; i++)
    {
      End *e = &p->end[i];

      g_assert_finalize_object (e->t);
      if (e->socket_source != NULL)
        {
          g_source_destroy (e->socket_source);
          g_source_unref (e->socket_source);
        }
      g_clear_object (&e->socket);
      g_clear_error (&e->error);
      g_ptr_array_unref (e->wire);
    }
  if (p->link != NULL)
    test_link_free (p->link);
  g_free (p);
}

static GPtrArray *
wire_of (Pair  *p,
         guint  side)
{
  return p->udp ? p->end[side].wire : test_link_get_sent (p->link, side);
}

static void
pair_start (Pair          *p,
            SottoDtlsRole  role0)
{
  g_autoptr(GError) error = NULL;
  SottoDtlsRole role1 = role0 == SOTTO_DTLS_ROLE_CLIENT ? SOTTO_DTLS_ROLE_SERVER : SOTTO_DTLS_ROLE_CLIENT;

  /* The server side first, as when the offerer (actpass → passive) waits. */
  g_assert_true (sotto_secure_transport_start (p->end[1].t, role1,
                   sotto_secure_transport_get_local_fingerprint (p->end[0].t), &error));
  g_assert_no_error (error);
  g_assert_true (sotto_secure_transport_start (p->end[0].t, role0,
                   sotto_secure_transport_get_local_fingerprint (p->end[1].t), &error));
  g_assert_no_error (error);
}

static gsize
make_rtp (guint8  *buf,
          guint16  seq,
          guint32  ssrc,
          gsize    payload_len)
{
  gsize i;

  buf[0] = 0x80;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  memset (buf + 4, 0, 4);
  buf[8] = ssrc >> 24;
  buf[9] = (ssrc >> 16) & 0xff;
  buf[10] = (ssrc >> 8) & 0xff;
  buf[11] = ssrc & 0xff;
  for (i = 0; i < payload_len; i++)
    buf[12 + i] = (guint8) marker[i % MARKER_LEN];
  return 12 + payload_len;
}

static gsize
make_rtcp (guint8 *buf)
{
  const guint8 rr[8] = { 0x80, 201, 0, 1, 0xde, 0xad, 0xbe, 0xef };

  memcpy (buf, rr, sizeof rr);
  return sizeof rr;
}

/* Every datagram is DTLS or SRTP/SRTCP, and no plaintext payload shows. */
static void
assert_wire_clean (Pair *p)
{
  guint side, i;

  for (side = 0; side < 2; side++)
    {
      GPtrArray *wire = wire_of (p, side);

      for (i = 0; i < wire->len; i++)
        {
          gsize len;
          const guint8 *d = g_bytes_get_data (wire->pdata[i], &len);
          SottoPacketKind kind = sotto_packet_demux_classify (d, len);

          g_assert_true (kind == SOTTO_PACKET_DTLS || kind == SOTTO_PACKET_RTP
                         || kind == SOTTO_PACKET_RTCP);
          g_assert_null (memmem (d, len, marker, 8));
        }
    }
}

static void
send_burst (Pair  *p,
            guint  from,
            guint  n_rtp,
            guint  n_rtcp)
{
  guint8 buf[1300];
  guint i;

  for (i = 0; i < n_rtp; i++)
    {
      gsize len = make_rtp (buf, (guint16) (1000 + i), 0x1000 + from, 1188);
      g_assert_true (sotto_secure_transport_send_rtp (p->end[from].t, buf, len));
    }
  for (i = 0; i < n_rtcp; i++)
    {
      gsize len = make_rtcp (buf);
      g_assert_true (sotto_secure_transport_send_rtcp (p->end[from].t, buf, len));
    }
}

/* ---- tests ------------------------------------------------------------- */

static void
test_profile_round_trip (gconstpointer data)
{
  SottoSrtpProfile profile = GPOINTER_TO_INT (data);
  Pair *p = pair_new (TRUE, 1);
  SottoSecureTransportStats s0, s1;
  guint i;

  /* One end offers only this profile: both must settle on it. */
  sotto_secure_transport_set_srtp_profiles (p->end[0].t, &profile, 1);
  pair_start (p, SOTTO_DTLS_ROLE_CLIENT);
  g_assert_true (test_wait_for_flag (&p->both_connected, 5000));

  send_burst (p, 0, 20, 3);
  send_burst (p, 1, 20, 3);
  for (i = 0; i < 100 && (p->end[0].rtp_received < 20 || p->end[1].rtp_received < 20
                          || p->end[0].rtcp_received < 3 || p->end[1].rtcp_received < 3); i++)
    test_run_for (10);

  for (i = 0; i < 2; i++)
    {
      g_assert_cmpuint (p->end[i].rtp_received, ==, 20);
      g_assert_cmpuint (p->end[i].rtcp_received, ==, 3);
      g_assert_true (p->end[i].payload_ok);
    }

  sotto_secure_transport_get_stats (p->end[0].t, &s0);
  sotto_secure_transport_get_stats (p->end[1].t, &s1);
  g_assert_cmpint (s0.srtp_profile, ==, profile);
  g_assert_cmpint (s1.srtp_profile, ==, profile);
  g_assert_cmpuint (s0.key_generation, ==, 1);
  g_assert_cmpuint (s0.rtp_sent, ==, 20);
  g_assert_cmpuint (s1.rtp_received, ==, 20);
  g_assert_cmpuint (s1.auth_failures, ==, 0);
  assert_wire_clean (p);
  pair_free (p);
}

static gboolean
on_early_send (gpointer user_data)
{
  Pair *p = user_data;
  guint8 buf[300];
  gsize len = make_rtp (buf, ++p->early_seq, 0x42, 200);
  gboolean sent0 = sotto_secure_transport_send_rtp (p->end[0].t, buf, len);
  gboolean sent1 = sotto_secure_transport_send_rtp (p->end[1].t, buf, len);

  /* The API's promise: a packet is accepted exactly when keys exist. */
  g_assert_cmpint (sent0, ==, p->end[0].connected);
  g_assert_cmpint (sent1, ==, p->end[1].connected);
  return G_SOURCE_CONTINUE;
}

static void
test_never_plaintext (gconstpointer data)
{
  gboolean udp = GPOINTER_TO_INT (data);
  Pair *p = pair_new (udp, 2);
  SottoSecureTransportStats s0;
  guint8 buf[300];
  gsize len = make_rtp (buf, 1, 0x42, 200);
  guint source_id;

  /* Before start and all through the handshake the media layer keeps
   * sending; nothing of it may reach the wire in the clear. */
  g_assert_false (sotto_secure_transport_send_rtp (p->end[0].t, buf, len));
  g_assert_false (sotto_secure_transport_send_rtcp (p->end[0].t, buf, make_rtcp (buf)));
  g_assert_cmpuint (wire_of (p, 0)->len, ==, 0);

  source_id = g_timeout_add (2, on_early_send, p);
  pair_start (p, SOTTO_DTLS_ROLE_CLIENT);
  g_assert_true (test_wait_for_flag (&p->both_connected, 5000));
  test_run_for (50);
  g_source_remove (source_id);

  sotto_secure_transport_get_stats (p->end[0].t, &s0);
  g_assert_cmpuint (s0.dropped_no_keys, >=, 2);
  g_assert_cmpuint (s0.rtp_sent, >, 0);
  g_assert_cmpuint (p->end[1].rtp_received, >, 0);
  assert_wire_clean (p);

  /* After close, sending is refused again. */
  sotto_secure_transport_close (p->end[0].t);
  g_assert_false (sotto_secure_transport_send_rtp (p->end[0].t, buf, make_rtp (buf, 60000, 0x42, 200)));
  test_run_for (20);
  g_assert_cmpint (sotto_secure_transport_get_state (p->end[1].t), ==, SOTTO_SECURE_TRANSPORT_STATE_CLOSED);
  assert_wire_clean (p);
  pair_free (p);
}

static void
test_mitm_refused (void)
{
  Pair *p = pair_new (TRUE, 3);
  g_autoptr(SottoSecureTransport) mallory = sotto_secure_transport_new (link_send, NULL, NULL, NULL);
  guint8 buf[300];
  guint i;

  /* The signaling path replaced the server's fingerprint with Mallory's. */
  g_assert_true (sotto_secure_transport_start (p->end[1].t, SOTTO_DTLS_ROLE_SERVER,
                   sotto_secure_transport_get_local_fingerprint (p->end[0].t), NULL));
  g_assert_true (sotto_secure_transport_start (p->end[0].t, SOTTO_DTLS_ROLE_CLIENT,
                   sotto_secure_transport_get_local_fingerprint (mallory), NULL));
  g_assert_true (test_wait_for_flag (&p->end[0].failed, 5000));
  g_assert_error (p->end[0].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISMATCH);
  g_assert_cmpint (sotto_secure_transport_get_state (p->end[0].t), ==, SOTTO_SECURE_TRANSPORT_STATE_FAILED);

  for (i = 0; i < 5; i++)
    g_assert_false (sotto_secure_transport_send_rtp (p->end[0].t, buf, make_rtp (buf, i, 1, 200)));
  g_assert_null (sotto_secure_transport_dup_sas (p->end[0].t, "session"));
  test_run_for (20);
  /* Only handshake traffic left the refusing end. */
  for (i = 0; i < wire_of (p, 0)->len; i++)
    g_assert_cmpint (sotto_packet_demux_classify (g_bytes_get_data (wire_of (p, 0)->pdata[i], NULL),
                                                  g_bytes_get_size (wire_of (p, 0)->pdata[i])),
                     ==, SOTTO_PACKET_DTLS);
  assert_wire_clean (p);
  pair_free (p);
}

static void
test_fingerprint_refused_at_start (void)
{
  g_autoptr(SottoSecureTransport) t = sotto_secure_transport_new (link_send, NULL, NULL, NULL);
  g_autoptr(SottoSecureTransport) u = sotto_secure_transport_new (link_send, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (sotto_secure_transport_start (t, SOTTO_DTLS_ROLE_CLIENT, NULL, &error));
  g_assert_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISSING);
  g_clear_error (&error);
  g_assert_cmpint (sotto_secure_transport_get_state (t), ==, SOTTO_SECURE_TRANSPORT_STATE_NEW);

  g_assert_false (sotto_secure_transport_start (u, SOTTO_DTLS_ROLE_CLIENT,
                  "sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33", &error));
  g_assert_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_UNSUPPORTED_HASH);
}

static void
connect_in_memory (Pair *p)
{
  pair_start (p, SOTTO_DTLS_ROLE_CLIENT);
  g_assert_true (test_wait_for_flag (&p->both_connected, 5000));
}

static GBytes *
last_sent (Pair *p,
           guint side)
{
  GPtrArray *wire = wire_of (p, side);

  g_assert_cmpuint (wire->len, >, 0);
  return g_bytes_ref (wire->pdata[wire->len - 1]);
}

static void
test_tampered_and_replayed (void)
{
  Pair *p = pair_new (FALSE, 4);
  SottoSecureTransportStats s;
  g_autoptr(GBytes) rtp = NULL;
  g_autoptr(GBytes) rtcp = NULL;
  guint8 copy[1500];
  gsize len;

  connect_in_memory (p);

  /* Capture one SRTP and one SRTCP packet without delivering them. */
  test_link_set_blackhole (p->link, 1, TRUE);
  send_burst (p, 0, 1, 0);
  rtp = last_sent (p, 0);
  send_burst (p, 0, 0, 1);
  rtcp = last_sent (p, 0);
  test_run_for (10);
  test_link_set_blackhole (p->link, 1, FALSE);

  /* Tampered: one bit of the payload flipped. */
  len = g_bytes_get_size (rtp);
  memcpy (copy, g_bytes_get_data (rtp, NULL), len);
  copy[40] ^= 0x04;
  sotto_secure_transport_receive_datagram (p->end[1].t, copy, len);
  len = g_bytes_get_size (rtcp);
  memcpy (copy, g_bytes_get_data (rtcp, NULL), len);
  copy[9] ^= 0x01;
  sotto_secure_transport_receive_datagram (p->end[1].t, copy, len);
  sotto_secure_transport_get_stats (p->end[1].t, &s);
  g_assert_cmpuint (s.auth_failures, ==, 2);
  g_assert_cmpuint (p->end[1].rtp_received + p->end[1].rtcp_received, ==, 0);

  /* The genuine packets still pass, once. */
  sotto_secure_transport_receive_datagram (p->end[1].t, g_bytes_get_data (rtp, NULL), g_bytes_get_size (rtp));
  sotto_secure_transport_receive_datagram (p->end[1].t, g_bytes_get_data (rtcp, NULL), g_bytes_get_size (rtcp));
  g_assert_cmpuint (p->end[1].rtp_received, ==, 1);
  g_assert_cmpuint (p->end[1].rtcp_received, ==, 1);
  g_assert_true (p->end[1].payload_ok);

  /* Replayed: dropped and counted. */
  sotto_secure_transport_receive_datagram (p->end[1].t, g_bytes_get_data (rtp, NULL), g_bytes_get_size (rtp));
  sotto_secure_transport_receive_datagram (p->end[1].t, g_bytes_get_data (rtcp, NULL), g_bytes_get_size (rtcp));
  sotto_secure_transport_get_stats (p->end[1].t, &s);
  g_assert_cmpuint (s.replays, ==, 2);
  g_assert_cmpuint (p->end[1].rtp_received, ==, 1);
  g_assert_cmpuint (p->end[1].rtcp_received, ==, 1);
  pair_free (p);
}

static void
test_demux_drops (void)
{
  Pair *p = pair_new (FALSE, 5);
  SottoSecureTransportStats s;
  guint8 stun[20] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42 };
  guint8 zrtp[32] = { 0x10 };
  guint8 channel[16] = { 0x40, 0x00, 0x00, 0x08 };
  guint8 junk[16] = { 0xff };
  guint8 plain[300];
  gsize plain_len = make_rtp (plain, 5, 0x99, 200);

  connect_in_memory (p);
  sotto_secure_transport_receive_datagram (p->end[1].t, stun, sizeof stun);
  sotto_secure_transport_receive_datagram (p->end[1].t, zrtp, sizeof zrtp);
  sotto_secure_transport_receive_datagram (p->end[1].t, channel, sizeof channel);
  sotto_secure_transport_receive_datagram (p->end[1].t, junk, sizeof junk);
  sotto_secure_transport_receive_datagram (p->end[1].t, junk, 0);
  /* Plaintext RTP from an attacker: fails authentication, never handed up. */
  sotto_secure_transport_receive_datagram (p->end[1].t, plain, plain_len);

  sotto_secure_transport_get_stats (p->end[1].t, &s);
  g_assert_cmpuint (s.dropped_demux, ==, 5);
  g_assert_cmpuint (s.auth_failures, ==, 1);
  g_assert_cmpuint (p->end[1].rtp_received, ==, 0);

  /* send_rtp refuses what would not demultiplex as RTP at the peer. */
  g_assert_false (sotto_secure_transport_send_rtp (p->end[0].t, zrtp, sizeof zrtp));
  g_assert_false (sotto_secure_transport_send_rtcp (p->end[0].t, plain, plain_len));
  pair_free (p);
}

static void
test_spoofed_dtls_ignored (void)
{
  Pair *p = pair_new (FALSE, 14);
  /* Unencrypted fatal alerts (epoch 0) and a forged epoch-1 record: anyone
   * on the path can send these; none may end the call. */
  const guint8 alert[] = { 21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2, 2, 40 };
  const guint8 close_notify[] = { 21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 10, 0, 2, 1, 0 };
  guint8 forged[13 + 40] = { 21, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 50, 0, 40 };
  guint8 hello[13 + 12 + 4] = { 22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 11, 0, 16,
                                1, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 4, 0xfe, 0xfd, 0, 0 };

  connect_in_memory (p);
  sotto_secure_transport_receive_datagram (p->end[1].t, alert, sizeof alert);
  sotto_secure_transport_receive_datagram (p->end[1].t, close_notify, sizeof close_notify);
  sotto_secure_transport_receive_datagram (p->end[1].t, forged, sizeof forged);
  sotto_secure_transport_receive_datagram (p->end[1].t, hello, sizeof hello);
  test_run_for (20);

  g_assert_cmpint (sotto_secure_transport_get_state (p->end[1].t), ==, SOTTO_SECURE_TRANSPORT_STATE_CONNECTED);
  g_assert_cmpint (sotto_secure_transport_get_state (p->end[0].t), ==, SOTTO_SECURE_TRANSPORT_STATE_CONNECTED);
  send_burst (p, 0, 3, 0);
  test_run_for (20);
  g_assert_cmpuint (p->end[1].rtp_received, ==, 3);
  pair_free (p);
}

static void
test_lossy_handshake (void)
{
  Pair *p = pair_new (FALSE, 6);

  test_link_set_drop_rate (p->link, 0.3);
  connect_in_memory (p);
  g_assert_cmpuint (test_link_get_dropped (p->link), >, 0);
  assert_wire_clean (p);
  pair_free (p);
}

static void
test_roles_swapped (void)
{
  Pair *p = pair_new (TRUE, 7);
  g_autofree char *sas0 = NULL;
  g_autofree char *sas1 = NULL;

  /* End 0 as DTLS server this time (a=setup:passive). */
  pair_start (p, SOTTO_DTLS_ROLE_SERVER);
  g_assert_true (test_wait_for_flag (&p->both_connected, 5000));
  send_burst (p, 0, 5, 1);
  send_burst (p, 1, 5, 1);
  test_run_for (30);
  g_assert_cmpuint (p->end[0].rtp_received, ==, 5);
  g_assert_cmpuint (p->end[1].rtp_received, ==, 5);

  /* Both people read the same six digits. */
  sas0 = sotto_secure_transport_dup_sas (p->end[0].t, "sess-1");
  sas1 = sotto_secure_transport_dup_sas (p->end[1].t, "sess-1");
  g_assert_nonnull (sas0);
  g_assert_cmpuint (strlen (sas0), ==, 6);
  g_assert_cmpstr (sas0, ==, sas1);
  pair_free (p);
}

static void
test_same_roles_fail (void)
{
  Pair *p = pair_new (FALSE, 8);
  guint i;

  for (i = 0; i < 2; i++)
    {
      g_object_set (p->end[i].t, "handshake-timeout", 500, NULL);
      g_assert_true (sotto_secure_transport_start (p->end[i].t, SOTTO_DTLS_ROLE_SERVER,
                       sotto_secure_transport_get_local_fingerprint (p->end[1 - i].t), NULL));
    }
  g_assert_true (test_wait_for_flag (&p->end[1].failed, 3000));
  g_assert_error (p->end[1].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_HANDSHAKE_TIMEOUT);
  g_assert_false (p->both_connected);
  pair_free (p);
}

static void
test_require_aes_256 (void)
{
  Pair *p = pair_new (FALSE, 9);
  const SottoSrtpProfile cm = SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80;
  Pair *q;
  SottoSecureTransportStats s;

  /* Policy on the server against a CM-only client: refused. */
  g_object_set (p->end[1].t, "require-aes-256", TRUE, NULL);
  sotto_secure_transport_set_srtp_profiles (p->end[0].t, &cm, 1);
  pair_start (p, SOTTO_DTLS_ROLE_CLIENT);
  g_assert_true (test_wait_for_flag (&p->end[1].failed, 5000));
  g_assert_error (p->end[1].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_NO_SRTP_PROFILE);
  pair_free (p);

  /* Against a default peer: AES-256-GCM. */
  q = pair_new (FALSE, 10);
  g_object_set (q->end[0].t, "require-aes-256", TRUE, NULL);
  connect_in_memory (q);
  sotto_secure_transport_get_stats (q->end[1].t, &s);
  g_assert_cmpint (s.srtp_profile, ==, SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM);
  pair_free (q);
}

typedef struct {
  Pair   *p;
  guint16 seq[2];
  guint   sent[2];
} Traffic;

static gboolean
on_traffic (gpointer user_data)
{
  Traffic *t = user_data;
  guint8 buf[300];
  guint side;

  for (side = 0; side < 2; side++)
    {
      gsize len = make_rtp (buf, t->seq[side]++, 0x2000 + side, 200);

      g_assert_true (sotto_secure_transport_send_rtp (t->p->end[side].t, buf, len));
      t->sent[side]++;
    }
  return G_SOURCE_CONTINUE;
}

/* How many packets a rekey may cost. With the COMMIT exchange it is zero on
 * a lossless path; allow a few for scheduling on a loaded CI machine. */
#define REKEY_MAX_LOST 3

static void
test_rekey_under_traffic (void)
{
  Pair *p = pair_new (FALSE, 11);
  Traffic traffic = { p, { 1, 1 }, { 0, 0 } };
  SottoSecureTransportStats s0, s1;
  guint source_id, side, i, app_records = 0;
  g_autofree char *sas_before = NULL;
  g_autofree char *sas_after = NULL;

  for (side = 0; side < 2; side++)
    g_object_set (p->end[side].t, "rekey-interval", 1, NULL);
  connect_in_memory (p);
  sas_before = sotto_secure_transport_dup_sas (p->end[0].t, "s");

  source_id = g_timeout_add (10, on_traffic, &traffic);
  test_run_for (3600);
  g_source_remove (source_id);
  test_run_for (100);   /* drain */

  sotto_secure_transport_get_stats (p->end[0].t, &s0);
  sotto_secure_transport_get_stats (p->end[1].t, &s1);
  g_test_message ("generations %u/%u, sent %u/%u, received %u/%u",
                  s0.key_generation, s1.key_generation, traffic.sent[0], traffic.sent[1],
                  p->end[1].rtp_received, p->end[0].rtp_received);
  g_assert_cmpuint (s0.key_generation, >=, 3);
  g_assert_cmpuint (s1.key_generation, >=, 3);
  g_assert_cmpint (s0.rekey_status, ==, SOTTO_REKEY_STATUS_ACTIVE);
  g_assert_cmpint (s1.rekey_status, ==, SOTTO_REKEY_STATUS_ACTIVE);
  g_assert_cmpuint (traffic.sent[0], >, 100);
  g_assert_cmpuint (p->end[1].rtp_received + REKEY_MAX_LOST, >=, traffic.sent[0]);
  g_assert_cmpuint (p->end[0].rtp_received + REKEY_MAX_LOST, >=, traffic.sent[1]);
  g_assert_cmpuint (s0.auth_failures + s1.auth_failures, <=, REKEY_MAX_LOST);

  /* The keys really changed: the first SRTP packet of generation 1, played
   * again now, fails authentication (with unchanged keys it would count as
   * a replay). */
  {
    GPtrArray *wire = wire_of (p, 0);
    SottoSecureTransportStats after;

    for (i = 0; i < wire->len; i++)
      if (sotto_packet_demux_classify (g_bytes_get_data (wire->pdata[i], NULL),
                                       g_bytes_get_size (wire->pdata[i])) == SOTTO_PACKET_RTP)
        break;
    g_assert_cmpuint (i, <, wire->len);
    sotto_secure_transport_receive_datagram (p->end[1].t, g_bytes_get_data (wire->pdata[i], NULL),
                                             g_bytes_get_size (wire->pdata[i]));
    sotto_secure_transport_get_stats (p->end[1].t, &after);
    g_assert_cmpuint (after.auth_failures, ==, s1.auth_failures + 1);
    g_assert_cmpuint (after.replays, ==, s1.replays);
  }

  /* The rekeys ran as DTLS application data, and the SAS still refers to the
   * fingerprints the people compared at the start. */
  for (i = 0; i < wire_of (p, 0)->len; i++)
    app_records += (((const guint8 *) g_bytes_get_data (wire_of (p, 0)->pdata[i], NULL))[0] == 23);
  g_assert_cmpuint (app_records, >=, 3 * 3);
  sas_after = sotto_secure_transport_dup_sas (p->end[0].t, "s");
  g_assert_cmpstr (sas_before, ==, sas_after);
  assert_wire_clean (p);
  pair_free (p);
}

static void
test_rekey_lossy (void)
{
  Pair *p = pair_new (FALSE, 13);
  Traffic traffic = { p, { 1, 1 }, { 0, 0 } };
  SottoSecureTransportStats s0, s1;
  guint source_id, side;

  /* 20% loss both ways, including the tunneled handshake and COMMITs: the
   * rekey still completes, and since a sender only switches once the peer
   * confirmed the new keys, nothing fails authentication. */
  for (side = 0; side < 2; side++)
    g_object_set (p->end[side].t, "rekey-interval", 1, NULL);
  connect_in_memory (p);
  test_link_set_drop_rate (p->link, 0.2);

  source_id = g_timeout_add (10, on_traffic, &traffic);
  /* Until both ends reached the second generation; a loaded machine (the
   * sanitized suite runs beside other tests) may need several attempts. */
  test_run_for (2000);
  for (guint i = 0; i < 130; i++)
    {
      sotto_secure_transport_get_stats (p->end[0].t, &s0);
      sotto_secure_transport_get_stats (p->end[1].t, &s1);
      if (s0.key_generation >= 2 && s1.key_generation >= 2)
        break;
      test_run_for (100);
    }
  g_source_remove (source_id);
  test_run_for (100);

  sotto_secure_transport_get_stats (p->end[0].t, &s0);
  sotto_secure_transport_get_stats (p->end[1].t, &s1);
  g_test_message ("lossy: generations %u/%u, received %u of %u",
                  s0.key_generation, s1.key_generation, p->end[1].rtp_received, traffic.sent[0]);
  g_assert_cmpuint (s0.key_generation, >=, 2);
  g_assert_cmpuint (s1.key_generation, >=, 2);
  g_assert_cmpuint (s0.auth_failures + s1.auth_failures, <=, REKEY_MAX_LOST);
  g_assert_cmpuint (p->end[1].rtp_received, >, traffic.sent[0] / 2);
  pair_free (p);
}

static void
test_peer_without_rekey (void)
{
  Pair *p = pair_new (FALSE, 12);
  Traffic traffic = { p, { 1, 1 }, { 0, 0 } };
  SottoSecureTransportStats s0;
  guint source_id;

  /* End 1 plays a browser: it never answers a rekey offer. */
  g_object_set (p->end[0].t, "rekey-interval", 1, NULL);
  g_object_set (p->end[1].t, "rekey-interval", 0, NULL);
  connect_in_memory (p);

  source_id = g_timeout_add (20, on_traffic, &traffic);
  test_run_for (3400);
  g_source_remove (source_id);
  test_run_for (50);

  sotto_secure_transport_get_stats (p->end[0].t, &s0);
  g_assert_cmpint (s0.rekey_status, ==, SOTTO_REKEY_STATUS_UNSUPPORTED);
  g_assert_cmpuint (s0.key_generation, ==, 1);
  g_assert_cmpuint (p->end[1].rtp_received, ==, traffic.sent[0]);
  g_assert_cmpuint (p->end[0].rtp_received, ==, traffic.sent[1]);
  pair_free (p);
}

static void
test_client_without_rekey (void)
{
  Pair *p = pair_new (FALSE, 15);
  SottoSecureTransportStats s1;

  /* A client that never offers (a browser as DTLS client): after twice the
   * interval the server's stats say the peer takes no part. */
  g_object_set (p->end[0].t, "rekey-interval", 0, NULL);
  g_object_set (p->end[1].t, "rekey-interval", 1, NULL);
  connect_in_memory (p);
  sotto_secure_transport_get_stats (p->end[1].t, &s1);
  g_assert_cmpint (s1.rekey_status, ==, SOTTO_REKEY_STATUS_IDLE);
  test_run_for (2300);
  sotto_secure_transport_get_stats (p->end[1].t, &s1);
  g_assert_cmpint (s1.rekey_status, ==, SOTTO_REKEY_STATUS_UNSUPPORTED);
  g_assert_cmpuint (s1.key_generation, ==, 1);
  pair_free (p);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sotto/transport/secure/udp/aes-256-gcm",
                        GINT_TO_POINTER (SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM), test_profile_round_trip);
  g_test_add_data_func ("/sotto/transport/secure/udp/aes-128-gcm",
                        GINT_TO_POINTER (SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM), test_profile_round_trip);
  g_test_add_data_func ("/sotto/transport/secure/udp/aes-cm-128-hmac-sha1-80",
                        GINT_TO_POINTER (SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80), test_profile_round_trip);
  g_test_add_data_func ("/sotto/transport/secure/never-plaintext/udp", GINT_TO_POINTER (TRUE), test_never_plaintext);
  g_test_add_data_func ("/sotto/transport/secure/never-plaintext/memory", GINT_TO_POINTER (FALSE), test_never_plaintext);
  g_test_add_func ("/sotto/transport/secure/mitm-refused", test_mitm_refused);
  g_test_add_func ("/sotto/transport/secure/fingerprint-refused-at-start", test_fingerprint_refused_at_start);
  g_test_add_func ("/sotto/transport/secure/tampered-and-replayed", test_tampered_and_replayed);
  g_test_add_func ("/sotto/transport/secure/demux-drops", test_demux_drops);
  g_test_add_func ("/sotto/transport/secure/spoofed-dtls-ignored", test_spoofed_dtls_ignored);
  g_test_add_func ("/sotto/transport/secure/lossy-handshake", test_lossy_handshake);
  g_test_add_func ("/sotto/transport/secure/roles-swapped", test_roles_swapped);
  g_test_add_func ("/sotto/transport/secure/same-roles-fail", test_same_roles_fail);
  g_test_add_func ("/sotto/transport/secure/require-aes-256", test_require_aes_256);
  g_test_add_func ("/sotto/transport/secure/rekey/under-traffic", test_rekey_under_traffic);
  g_test_add_func ("/sotto/transport/secure/rekey/lossy", test_rekey_lossy);
  g_test_add_func ("/sotto/transport/secure/rekey/peer-without-rekey", test_peer_without_rekey);
  g_test_add_func ("/sotto/transport/secure/rekey/client-without-rekey", test_client_without_rekey);

  return g_test_run ();
}
