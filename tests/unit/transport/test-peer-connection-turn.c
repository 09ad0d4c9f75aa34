/* test-peer-connection-turn.c: a call relayed through a real coturn on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts Debian's `turnserver` with a temporary configuration (long-term
 * credentials, loopback only, no TLS, no CLI) on a free port, and makes
 * both peers relay-only: each signals only relayed candidates and ignores
 * the other's host ones, so media can only flow through the server.
 */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "pc-test-harness.h"

#define TURN_USER "sotto"
#define TURN_PASSWORD "loopback-only-test-secret"
#define TURN_START_TIMEOUT_S 10  /* coturn starts slowly on a loaded two-core machine */
#define TURN_START_ATTEMPTS 3

typedef struct {
  char        *dir;
  char        *config;
  guint16      port;
  guint16      tls_port;     /* 0 unless started with TLS */
  GSubprocess *process;
} Turn;

/* A port that is free for both UDP and TCP on 127.0.0.1: coturn listens on
 * both, and when the TCP half is taken (another test's server picked the
 * same ephemeral number) it retries the bind forever instead of failing. */
static gboolean
port_free_for_tcp (guint16 port)
{
  g_autoptr(GSocket) tcp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                         G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (lo, port);

  return g_socket_bind (tcp, address, FALSE, NULL);
}

static guint16
free_port (void)
{
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(GSocket) udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                             G_SOCKET_PROTOCOL_UDP, NULL);
      g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
      g_autoptr(GSocketAddress) bound = NULL;
      guint16 port;

      g_assert_true (g_socket_bind (udp, any, FALSE, NULL));
      bound = g_socket_get_local_address (udp, NULL);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      if (port_free_for_tcp (port))
        return port;
    }
  g_assert_not_reached ();
}

static gboolean
turn_listening (Turn *turn)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;

  g_socket_client_set_timeout (client, 1);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", turn->port, NULL, NULL);
  return conn != NULL;
}

/* A test that aborts (a failed assertion) must not leave a TURN server
 * behind: the kernel stops it when the test process dies. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* The parent may have died between fork and prctl. */
  if (getppid () != (pid_t) GPOINTER_TO_INT (user_data))
    raise (SIGTERM);
}

/* A throwaway self-signed certificate for coturn's TLS listener (libnice
 * does not verify a TURN server's certificate; TURN over TLS only hides
 * the TURN exchange from the network, media is DTLS-SRTP either way). */
static void
make_certificate (const char *dir)
{
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = NULL;

  p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (p, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
turn_try_start (Turn       *turn,
                const char *program,
                gboolean    tls)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  gint64 deadline;

  memset (turn, 0, sizeof *turn);
  turn->dir = g_dir_make_tmp ("sotto-turn-XXXXXX", &error);
  g_assert_no_error (error);
  turn->port = free_port ();
  if (tls)
    {
      turn->tls_port = free_port ();
      make_certificate (turn->dir);
    }
  turn->config = g_build_filename (turn->dir, "turnserver.conf", NULL);
  log = g_build_filename (turn->dir, "turn.log", NULL);
  /* Loopback only: peers on 127.0.0.1 must be allowed explicitly, since
   * coturn refuses to relay to loopback by default. */
  text = g_strdup_printf ("listening-ip=127.0.0.1\n"
                          "relay-ip=127.0.0.1\n"
                          "listening-port=%u\n"
                          "min-port=%u\n"
                          "max-port=%u\n"
                          "realm=sotto.test\n"
                          "lt-cred-mech\n"
                          "user=" TURN_USER ":" TURN_PASSWORD "\n"
                          "fingerprint\n"
                          "no-dtls\n"
                          "no-cli\n"
                          "allow-loopback-peers\n"
                          "no-multicast-peers\n"
                          "no-rfc5780\n"
                          "userdb=%s/turndb\n"
                          "pidfile=%s/turnserver.pid\n"
                          "log-file=%s\n"
                          "no-stdout-log\n"
                          "simple-log\n",
                          turn->port, 40000 + turn->port % 20000, 40000 + turn->port % 20000 + 50,
                          turn->dir, turn->dir, log);
  if (tls)
    {
      char *more = g_strdup_printf ("%stls-listening-port=%u\ncert=%s/cert.pem\npkey=%s/key.pem\n",
                                    text, turn->tls_port, turn->dir, turn->dir);
      g_free (text);
      text = more;
    }
  else
    {
      char *more = g_strconcat (text, "no-tls\n", NULL);
      g_free (text);
      text = more;
    }
  g_assert_true (g_file_set_contents (turn->config, text, -1, &error));

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER (getpid ()), NULL);
  turn->process = g_subprocess_launcher_spawn (launcher, &error, program, "-c", turn->config, NULL);
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + TURN_START_TIMEOUT_S * G_USEC_PER_SEC;
  while (!turn_listening (turn))
    {
      if (g_get_monotonic_time () >= deadline ||
          g_subprocess_get_identifier (turn->process) == NULL)
        {
          g_autofree char *contents = NULL;

          if (g_file_get_contents (log, &contents, NULL, NULL))
            g_test_message ("coturn on port %u did not start; its log:\n%s", turn->port, contents);
          return FALSE;
        }
      g_usleep (50 * 1000);
    }
  return TRUE;
}

static void turn_stop (Turn *turn);

/* FALSE (and a skip) when coturn is not installed.  A start that does not
 * come up (a port taken between choosing it and coturn binding it) is
 * retried on fresh ports, a bounded number of times. */
static gboolean
turn_start (Turn    *turn,
            gboolean tls)
{
  g_autofree char *program = g_find_program_in_path ("turnserver");

  if (program == NULL)
    {
      g_test_skip ("turnserver is not installed (Debian package coturn; see build-aux/bootstrap)");
      return FALSE;
    }
  for (guint attempt = 0; attempt < TURN_START_ATTEMPTS; attempt++)
    {
      if (turn_try_start (turn, program, tls))
        return TRUE;
      turn_stop (turn);
    }
  g_error ("coturn did not start listening in %u attempts of %d s", TURN_START_ATTEMPTS, TURN_START_TIMEOUT_S);
}

static void
turn_stop (Turn *turn)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (turn->process != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

      g_subprocess_send_signal (turn->process, SIGTERM);
      while (g_subprocess_get_identifier (turn->process) != NULL &&
             g_get_monotonic_time () < deadline)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (20 * 1000);
        }
      g_subprocess_force_exit (turn->process);
      g_subprocess_wait (turn->process, NULL, NULL);
      g_clear_object (&turn->process);
    }
  if (turn->dir != NULL && (dir = g_dir_open (turn->dir, 0, NULL)) != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (turn->dir, name, NULL);
          g_unlink (path);
        }
      g_rmdir (turn->dir);
    }
  g_clear_pointer (&turn->dir, g_free);
  g_clear_pointer (&turn->config, g_free);
}

static char *
only_relay (PcPeer     *from,
            const char *candidate,
            gpointer    user_data)
{
  g_autoptr(SottoSdpCandidate) c = sotto_sdp_candidate_parse (candidate, NULL);

  /* The relay policy already keeps every other type out of signaling. */
  g_assert_nonnull (c);
  g_assert_cmpint (c->type, ==, SOTTO_CANDIDATE_RELAY);
  return g_strdup (candidate);
}

/* `query_a`/`query_b`: what follows "turn:127.0.0.1:<port>" for each peer. */
static void
relayed_call (const char *query_a,
              const char *query_b,
              gboolean    tls)
{
  Turn turn;
  PcPair pair;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  SottoPeerConnectionStats sa, sb;

  if (!turn_start (&turn, tls))
    return;
  if (tls)
    a = g_strdup_printf ("turns:127.0.0.1:%u%s", turn.tls_port, query_a);
  else
    a = g_strdup_printf ("turn:127.0.0.1:%u%s", turn.port, query_a);
  b = g_strdup_printf ("turn:127.0.0.1:%u%s", turn.port, query_b);

  pc_pair_init (&pair);
  pair.filter = only_relay;
  g_assert_true (sotto_peer_connection_add_ice_server (pair.a.pc, a, TURN_USER, TURN_PASSWORD, &error));
  g_assert_true (sotto_peer_connection_add_ice_server (pair.b.pc, b, TURN_USER, TURN_PASSWORD, &error));
  g_assert_no_error (error);
  sotto_peer_connection_set_ice_policy (pair.a.pc, SOTTO_ICE_POLICY_RELAY);
  sotto_peer_connection_set_ice_policy (pair.b.pc, SOTTO_ICE_POLICY_RELAY);
  pc_pair_add_default_media (&pair);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  g_assert_no_error (error);

  PC_WAIT (pc_pair_both_connected, &pair, PC_CONNECT_TIMEOUT_S);
  {
    const SottoSdpDescription *da = sotto_peer_connection_get_local_description (pair.a.pc);
    const SottoSdpDescription *db = sotto_peer_connection_get_local_description (pair.b.pc);
    guint pta = sotto_sdp_media_get_codec (da->media->pdata[0])->payload_type;
    guint ptb = sotto_sdp_media_get_codec (db->media->pdata[1])->payload_type;
    g_autoptr(GBytes) ab = pc_make_rtp ((guint8) pta, 1, 0xa0a0a0a0, 0x42, 160);
    g_autoptr(GBytes) ba = pc_make_rtp ((guint8) ptb, 1, 0xb1b1b1b1, 0x43, 1000);
    g_autoptr(GBytes) rtcp = pc_make_rtcp (0xb0b0b0b0);

    pc_send_and_expect (&pair.a, &pair.b, ab, FALSE);
    pc_send_and_expect (&pair.b, &pair.a, ba, FALSE);
    pc_send_and_expect (&pair.b, &pair.a, rtcp, TRUE);
  }

  sotto_peer_connection_get_stats (pair.a.pc, &sa);
  sotto_peer_connection_get_stats (pair.b.pc, &sb);
  g_assert_cmpstr (sa.local_candidate_type, ==, "relay");
  g_assert_cmpstr (sa.remote_candidate_type, ==, "relay");
  g_assert_cmpstr (sb.local_candidate_type, ==, "relay");
  g_assert_cmpstr (sb.remote_candidate_type, ==, "relay");
  /* Every signalled candidate was relayed (the filter asserts it). */
  g_assert_cmpuint (pair.a.candidates->len, >=, 2);

  pc_pair_clear (&pair);
  turn_stop (&turn);
}

static void
test_turn_udp (void)
{
  relayed_call ("?transport=udp", "", FALSE);
}

static void
test_turn_tcp (void)
{
  /* a reaches the server over TCP, b over UDP. */
  relayed_call ("?transport=tcp", "?transport=udp", FALSE);
}

static void
test_turn_tls (void)
{
  /* a reaches the server over TLS (turns:), b over UDP. */
  relayed_call ("", "?transport=udp", TRUE);
}

static gboolean
both_failed (PcPair *pair)
{
  return sotto_peer_connection_get_state (pair->a.pc) == SOTTO_PEER_CONNECTION_STATE_FAILED &&
         sotto_peer_connection_get_state (pair->b.pc) == SOTTO_PEER_CONNECTION_STATE_FAILED;
}

static void
test_turn_wrong_password (void)
{
  Turn turn;
  PcPair pair;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  if (!turn_start (&turn, FALSE))
    return;
  uri = g_strdup_printf ("turn:127.0.0.1:%u", turn.port);
  pc_pair_init (&pair);
  g_assert_true (sotto_peer_connection_add_ice_server (pair.a.pc, uri, TURN_USER, "wrong", &error));
  g_assert_true (sotto_peer_connection_add_ice_server (pair.b.pc, uri, TURN_USER, "wrong", &error));
  sotto_peer_connection_set_ice_policy (pair.a.pc, SOTTO_ICE_POLICY_RELAY);
  sotto_peer_connection_set_ice_policy (pair.b.pc, SOTTO_ICE_POLICY_RELAY);
  pc_pair_add_default_media (&pair);
  g_assert_true (pc_pair_negotiate (&pair, NULL, NULL, &error));
  g_assert_no_error (error);

  /* No relay, so no path: a clear failure, not a call that hangs. */
  PC_WAIT (both_failed, &pair, PC_CONNECT_TIMEOUT_S);
  g_assert_error ((GError *) sotto_peer_connection_get_error (pair.a.pc),
                  SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_ICE_FAILED);
  g_assert_nonnull (strstr (sotto_peer_connection_get_error (pair.a.pc)->message, "TURN"));
  g_assert_cmpuint (pair.a.candidates->len, ==, 1);   /* only end-of-candidates */
  pc_pair_clear (&pair);
  turn_stop (&turn);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Loopback only, even when run by hand outside meson test. */
  g_setenv ("SOTTO_ICE_ADDRESSES", "127.0.0.1", FALSE);

  g_test_add_func ("/sotto/peer-connection/turn-udp", test_turn_udp);
  g_test_add_func ("/sotto/peer-connection/turn-tcp", test_turn_tcp);
  g_test_add_func ("/sotto/peer-connection/turn-tls", test_turn_tls);
  g_test_add_func ("/sotto/peer-connection/turn-wrong-password", test_turn_wrong_password);

  return g_test_run ();
}
