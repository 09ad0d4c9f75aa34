/* test-ice.c: two libnice agents on 127.0.0.1 through SottoIceTransport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <gio/gio.h>

#include "sotto-ice-transport.h"

#define CONNECT_TIMEOUT_S 10

typedef struct {
  SottoIceTransport *ice;
  struct _Pair      *pair;
  GPtrArray         *local;      /* candidate strings we emitted */
  GPtrArray         *received;   /* GBytes */
  gboolean           gathered;
  gboolean           is_a;
} Peer;

typedef struct _Pair {
  Peer     a, b;
  gboolean only_tcp;     /* signal only TCP candidates */
  const char *address;   /* the only local address candidates may carry */
  gboolean hold;         /* stop trickling */
} Pair;

static Peer *
other (Peer *p)
{
  return p->is_a ? &p->pair->b : &p->pair->a;
}

static void
on_local_candidate (SottoIceTransport *ice,
                    const char        *candidate,
                    gpointer           user_data)
{
  Peer *p = user_data;
  g_autoptr(SottoSdpCandidate) c = sotto_sdp_candidate_parse (candidate, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (c);
  /* The network rule: with SOTTO_ICE_ADDRESSES=127.0.0.1 nothing else. */
  g_assert_cmpstr (c->address, ==, p->pair->address != NULL ? p->pair->address : "127.0.0.1");
  g_ptr_array_add (p->local, g_strdup (candidate));
  if (p->pair->hold || (p->pair->only_tcp && !c->tcp))
    return;
  g_assert_true (sotto_ice_transport_add_remote_candidate (other (p)->ice, candidate, &error));
  g_assert_no_error (error);
}

static void
on_gathering_done (SottoIceTransport *ice,
                   gpointer           user_data)
{
  Peer *p = user_data;

  p->gathered = TRUE;
}

static void
on_receive (const guint8 *data,
            gsize         len,
            gpointer      user_data)
{
  Peer *p = user_data;

  g_ptr_array_add (p->received, g_bytes_new (data, len));
}

static void
peer_init (Pair *pair,
           Peer *p,
           gboolean is_a)
{
  g_autoptr(GError) error = NULL;

  p->pair = pair;
  p->is_a = is_a;
  p->local = g_ptr_array_new_with_free_func (g_free);
  p->received = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  p->ice = sotto_ice_transport_new (NULL, &error);
  g_assert_no_error (error);
  sotto_ice_transport_set_controlling (p->ice, is_a);
  sotto_ice_transport_set_receive_func (p->ice, on_receive, p);
  g_signal_connect (p->ice, "local-candidate", G_CALLBACK (on_local_candidate), p);
  g_signal_connect (p->ice, "gathering-done", G_CALLBACK (on_gathering_done), p);
}

static void
peer_clear (Peer *p)
{
  if (p->ice != NULL)
    {
      g_signal_handlers_disconnect_by_data (p->ice, p);
      g_assert_finalize_object (p->ice);
    }
  p->ice = NULL;
  g_clear_pointer (&p->local, g_ptr_array_unref);
  g_clear_pointer (&p->received, g_ptr_array_unref);
}

static void
pair_init (Pair *pair)
{
  memset (pair, 0, sizeof *pair);
  peer_init (pair, &pair->a, TRUE);
  peer_init (pair, &pair->b, FALSE);
}

static void
pair_clear (Pair *pair)
{
  peer_clear (&pair->a);
  peer_clear (&pair->b);
}

static void
exchange_credentials (Pair *pair)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sotto_ice_transport_set_remote_credentials (
    pair->a.ice, sotto_ice_transport_get_local_ufrag (pair->b.ice),
    sotto_ice_transport_get_local_pwd (pair->b.ice), &error));
  g_assert_true (sotto_ice_transport_set_remote_credentials (
    pair->b.ice, sotto_ice_transport_get_local_ufrag (pair->a.ice),
    sotto_ice_transport_get_local_pwd (pair->a.ice), &error));
  g_assert_no_error (error);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the default context until `cond` holds or `seconds` pass. */
#define WAIT_UNTIL(cond, seconds)                                          \
  G_STMT_START {                                                           \
    gboolean timed_out_ = FALSE;                                           \
    guint id_ = g_timeout_add_seconds ((seconds), on_timeout, &timed_out_); \
    while (!(cond) && !timed_out_)                                         \
      g_main_context_iteration (NULL, TRUE);                               \
    if (!timed_out_)                                                       \
      g_source_remove (id_);                                               \
    g_assert_true (cond);                                                  \
  } G_STMT_END

static gboolean
both_connected (Pair *pair)
{
  return sotto_ice_transport_get_state (pair->a.ice) == SOTTO_ICE_STATE_CONNECTED &&
         sotto_ice_transport_get_state (pair->b.ice) == SOTTO_ICE_STATE_CONNECTED;
}

static void
connect_pair (Pair *pair)
{
  g_autoptr(GError) error = NULL;

  exchange_credentials (pair);
  g_assert_true (sotto_ice_transport_gather (pair->a.ice, &error));
  g_assert_true (sotto_ice_transport_gather (pair->b.ice, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (both_connected (pair), CONNECT_TIMEOUT_S);
}

/* Up to ~50 ms of main-loop work waiting for a datagram at `p`. */
static gboolean
pump_until_received (Peer  *p,
                     guint  before)
{
  for (guint j = 0; j < 50 && p->received->len == before; j++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  return p->received->len > before;
}

static void
send_and_expect (Peer         *from,
                 Peer         *to,
                 const guint8 *data,
                 gsize         len)
{
  guint before = to->received->len;
  GBytes *got;

  /* Datagrams may be lost even on loopback; retry a few times. */
  for (guint i = 0; i < 20; i++)
    {
      g_assert_true (sotto_ice_transport_send (from->ice, data, len));
      if (pump_until_received (to, before))
        break;
    }
  g_assert_cmpuint (to->received->len, >, before);
  got = to->received->pdata[before];
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), data, len);
}

static void
exchange_datagrams (Pair *pair)
{
  const guint8 ping[] = { 0x80, 96, 0, 1, 'p', 'i', 'n', 'g', 0, 0, 0, 0, 1 };
  const guint8 pong[] = { 0x80, 96, 0, 2, 'p', 'o', 'n', 'g', 0, 0, 0, 0, 2 };

  send_and_expect (&pair->a, &pair->b, ping, sizeof ping);
  send_and_expect (&pair->b, &pair->a, pong, sizeof pong);
}

static gboolean
has_tcp_candidate (GPtrArray *candidates)
{
  for (guint i = 0; i < candidates->len; i++)
    if (strstr (candidates->pdata[i], " tcptype ") != NULL)
      return TRUE;
  return FALSE;
}

static void
test_connect_udp (void)
{
  Pair pair;
  const char *lt, *rt, *tr;

  pair_init (&pair);
  g_assert_true (sotto_ice_transport_get_controlling (pair.a.ice));
  g_assert_false (sotto_ice_transport_get_controlling (pair.b.ice));
  /* Nothing can be sent before a pair is selected. */
  g_assert_false (sotto_ice_transport_send (pair.a.ice, (const guint8 *) "x", 1));

  connect_pair (&pair);
  exchange_datagrams (&pair);
  WAIT_UNTIL (pair.a.gathered && pair.b.gathered, 5);

  g_assert_true (sotto_ice_transport_get_selected_pair (pair.a.ice, &lt, &rt, &tr));
  g_assert_cmpstr (lt, ==, "host");
  g_assert_cmpstr (rt, ==, "host");
  g_assert_cmpstr (tr, ==, "udp");
  /* ICE-TCP is on: TCP candidates were gathered too. */
  g_assert_true (has_tcp_candidate (pair.a.local));
  pair_clear (&pair);
}

static void
test_connect_tcp (void)
{
  Pair pair;
  const char *tr = NULL;

  pair_init (&pair);
  pair.only_tcp = TRUE;
  connect_pair (&pair);
  exchange_datagrams (&pair);
  g_assert_true (sotto_ice_transport_get_selected_pair (pair.a.ice, NULL, NULL, &tr));
  g_assert_cmpstr (tr, ==, "tcp");
  pair_clear (&pair);
}

static gboolean
ipv6_loopback_works (void)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
                                       G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);

  return s != NULL && g_socket_bind (s, addr, FALSE, NULL);
}

static void
test_connect_ipv6 (void)
{
  Pair pair;
  g_autoptr(GError) error = NULL;

  if (!ipv6_loopback_works ())
    {
      g_test_skip ("no IPv6 loopback (::1) here");
      return;
    }
  pair_init (&pair);
  pair.address = "::1";
  g_assert_true (sotto_ice_transport_set_local_addresses (pair.a.ice, "::1", &error));
  g_assert_true (sotto_ice_transport_set_local_addresses (pair.b.ice, "::1", &error));
  g_assert_no_error (error);
  connect_pair (&pair);
  exchange_datagrams (&pair);
  pair_clear (&pair);
}

static void
test_restart (void)
{
  Pair pair;
  g_autofree char *old_ufrag = NULL;
  g_autoptr(GError) error = NULL;

  pair_init (&pair);
  connect_pair (&pair);

  old_ufrag = g_strdup (sotto_ice_transport_get_local_ufrag (pair.a.ice));
  /* Both ends restart (the offerer first, the answerer on seeing the new
   * ufrag); candidates are trickled again. */
  g_assert_true (sotto_ice_transport_restart (pair.a.ice, &error));
  g_assert_cmpstr (sotto_ice_transport_get_local_ufrag (pair.a.ice), !=, old_ufrag);
  g_assert_cmpint (sotto_ice_transport_get_state (pair.a.ice), ==, SOTTO_ICE_STATE_CHECKING);
  g_assert_true (sotto_ice_transport_restart (pair.b.ice, &error));
  g_assert_no_error (error);
  /* The re-signalled candidates were queued until the new credentials. */
  exchange_credentials (&pair);
  WAIT_UNTIL (both_connected (&pair), CONNECT_TIMEOUT_S);
  exchange_datagrams (&pair);
  pair_clear (&pair);
}

static void
test_consent_lost (void)
{
  Pair pair;
  gint64 start;

  pair_init (&pair);
  connect_pair (&pair);
  exchange_datagrams (&pair);

  /* The peer vanishes without a word: its agent and sockets are gone, so
   * consent checks go unanswered. RFC 7675: stop within 30 s. */
  start = g_get_monotonic_time ();
  peer_clear (&pair.b);
  WAIT_UNTIL (sotto_ice_transport_get_state (pair.a.ice) == SOTTO_ICE_STATE_FAILED, 35);
  g_test_message ("consent loss detected after %.1f s",
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_false (sotto_ice_transport_send (pair.a.ice, (const guint8 *) "x", 1));
  peer_clear (&pair.a);
}

static void
test_tolerated_candidates (void)
{
  g_autoptr(SottoIceTransport) ice = sotto_ice_transport_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  /* Skipped (mDNS, RTCP component) or accepted (TCP active, port 9). */
  const char *tolerated[] = {
    "candidate:0 1 UDP 2122252543 4c1a7f2e-7a3b-4c55-9d2e-1f0e2d3c4b5a.local 53622 typ host",
    "candidate:1 2 UDP 2122252542 127.0.0.1 5001 typ host",
    "a=candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1",
  };

  g_assert_true (sotto_ice_transport_set_remote_credentials (ice, "abcd", "0123456789abcdefghijkl", &error));
  for (guint i = 0; i < G_N_ELEMENTS (tolerated); i++)
    {
      g_assert_true (sotto_ice_transport_add_remote_candidate (ice, tolerated[i], &error));
      g_assert_no_error (error);
    }
  g_assert_false (sotto_ice_transport_add_remote_candidate (ice, "candidate:garbage", &error));
  g_assert_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_CANDIDATE);
}

static void
test_addresses (void)
{
  g_autoptr(SottoIceTransport) ice = sotto_ice_transport_new (NULL, NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  list = sotto_ice_parse_address_list (" 127.0.0.1 , ::1,", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (list->pdata[1], ==, "::1");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = sotto_ice_parse_address_list (NULL, &error);
  g_assert_cmpuint (list->len, ==, 0);

  g_assert_false (sotto_ice_transport_set_local_addresses (ice, "127.0.0.1,eth0", &error));
  g_assert_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_BAD_ADDRESS);
}

static void
test_server_uris (void)
{
  const char *good[] = { "stun:127.0.0.1", "stun:127.0.0.1:19302", "turn:127.0.0.1:3478?transport=udp",
                         "turn:[::1]:3478?transport=tcp", "turns:turn.example.org", "turn:host" };
  const char *bad[] = { "http://x", "stun:", "stun:host:0", "stun:host:70000", "stun:host?transport=udp",
                        "turn:host?transport=sctp", "turn:[::1", "turn:[::1]x", "turns:" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoIceServer) s = sotto_ice_server_new (good[i], "u", "p", &error);

      g_assert_no_error (error);
      g_assert_nonnull (s);
    }
  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoIceServer) s = sotto_ice_server_new (bad[i], "u", "p", &error);

      g_test_message ("bad uri: %s", bad[i]);
      g_assert_null (s);
      g_assert_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_BAD_SERVER);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SottoIceServer) s = sotto_ice_server_new ("turn:127.0.0.1", NULL, NULL, &error);

    g_assert_null (s);
    g_assert_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_BAD_SERVER);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Loopback only, even when run by hand outside meson test. */
  g_setenv ("SOTTO_ICE_ADDRESSES", "127.0.0.1", FALSE);

  g_test_add_func ("/sotto/ice/server-uris", test_server_uris);
  g_test_add_func ("/sotto/ice/addresses", test_addresses);
  g_test_add_func ("/sotto/ice/tolerated-candidates", test_tolerated_candidates);
  g_test_add_func ("/sotto/ice/connect-udp", test_connect_udp);
  g_test_add_func ("/sotto/ice/connect-tcp", test_connect_tcp);
  g_test_add_func ("/sotto/ice/connect-ipv6", test_connect_ipv6);
  g_test_add_func ("/sotto/ice/restart", test_restart);
  g_test_add_func ("/sotto/ice/consent-lost", test_consent_lost);

  return g_test_run ();
}
