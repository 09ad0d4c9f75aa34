/* bench-signaling.c: signaling load on the real `sotto-server serve`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens N TLS WebSocket connections (SottoSignalingClient) to a server
 * process on 127.0.0.1, in sessions of four. Every participant publishes a
 * stream and subscribes to the other three; each subscription negotiates
 * (offer, answer, two candidates each way); then candidates ping-pong on
 * every subscription for a fixed time. Prints join latency p50/p99, server
 * memory per connection, and messages relayed per second.
 *
 *   bench-signaling [N] [relay seconds] [workers]    (default 1000, 5, 8)
 *
 * The clients run in worker processes (this program with --worker): a TLS
 * client handshake costs ~13 ms of CPU in glib-networking 2.74 (it loads the
 * system trust store per connection), and GLib's main loop and GTask pool
 * do not scale to thousands of clients in one process. The server is one
 * process on one main context, as in production. Workers join with
 * BENCH_JOIN_INFLIGHT (default 2) joins in flight each.
 *
 * A lean probe client (bench-join-probe.c) times joins one at a time with
 * no other connections, with all N held, and while every session relays:
 * that is the join latency a newcomer sees. Workers run at nice 10.
 *
 * The file limit is raised to its hard maximum (children inherit it).
 * Only loopback is used.
 */
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-join-probe.h"
#include "sotto-deployment.h"
#include "sotto-server-store.h"
#include "sotto-signaling-client.h"

#define SESSION_SIZE   4
#define JOIN_INFLIGHT_DEFAULT 2   /* per worker: latency under load, not a stampede */
#define PHASE_LIMIT_S  600
#define PROBE_JOINS    300   /* per probe phase */

typedef struct _Bench Bench;

typedef struct
{
  Bench                *bench;
  SottoSignalingClient *client;
  guint                 index;
  gint64                started;
  GPtrArray            *subscribed;   /* ids of subscriptions where this end subscribes */
} Conn;

struct _Bench
{
  GPtrArray *conns;
  GArray    *join_ms;          /* double */
  guint      next_to_join;
  guint      inflight;
  guint      joined;
  guint      failed;
  guint64    streams_seen;
  guint64    subs_seen;
  guint64    negotiation_msgs;
  guint64    relayed;
  gboolean   pingpong;
  GPid       server_pid;
  guint      join_inflight;
};

static gboolean
wait_until (gboolean (*done) (Bench *), Bench *bench, guint limit_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) limit_s * G_USEC_PER_SEC;

  while (!done (bench) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return done (bench);
}

static long
server_status_field (Bench      *bench,
                     const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", bench->server_pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, field);
  return line ? strtol (line + strlen (field), NULL, 10) : -1;
}

static long
server_rss_kib (Bench *bench)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", bench->server_pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

/* utime + stime of the server, in clock ticks. */
static double
server_cpu_s (Bench *bench)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", bench->server_pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after = strrchr (text, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", -1);
  /* Fields after the command: state is [0], utime [11], stime [12]. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted, double p)
{
  guint i;

  if (sorted->len == 0)
    return 0;
  i = MIN (sorted->len - 1, (guint) (p * sorted->len));
  return g_array_index (sorted, double, i);
}

static void start_next_joins (Bench *bench);

/* The probe's joins (bench-join-probe.c), each with its own session. */
static void
probe (const char *what,
       guint16     port,
       GPtrArray  *tokens,
       guint      *next_token,
       double      budget_s)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GPtrArray) slice = g_ptr_array_new ();
  guint failed;

  for (guint i = 0; i < PROBE_JOINS && *next_token < tokens->len; i++)
    g_ptr_array_add (slice, g_ptr_array_index (tokens, (*next_token)++));
  failed = bench_join_probe_run (port, slice, budget_s, ms);
  g_array_sort (ms, compare_double);
  g_print ("probe join latency %s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%u joins, %u failed)\n",
           what, percentile (ms, 0.50), percentile (ms, 0.99), percentile (ms, 1.0), ms->len, failed);
}

static void
on_joined (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Conn *conn = user_data;
  Bench *bench = conn->bench;
  g_autoptr (GError) error = NULL;

  bench->inflight--;
  if (sotto_signaling_client_connect_finish (SOTTO_SIGNALING_CLIENT (source), result, &error))
    {
      double ms = (g_get_monotonic_time () - conn->started) / 1000.0;

      g_array_append_val (bench->join_ms, ms);
      bench->joined++;
    }
  else
    {
      if (bench->failed < 5)
        g_printerr ("join %u failed: %s\n", conn->index, error->message);
      bench->failed++;
    }
  start_next_joins (bench);
}

static void
start_next_joins (Bench *bench)
{
  while (bench->inflight < bench->join_inflight && bench->next_to_join < bench->conns->len)
    {
      Conn *conn = g_ptr_array_index (bench->conns, bench->next_to_join++);

      conn->started = g_get_monotonic_time ();
      bench->inflight++;
      sotto_signaling_client_connect_async (conn->client, NULL, on_joined, conn);
    }
}

static gboolean
all_joins_done (Bench *bench)
{
  return bench->joined + bench->failed == bench->conns->len;
}

static gboolean
streams_done (Bench *bench)
{
  return bench->streams_seen >= (guint64) bench->joined * SESSION_SIZE;
}

static gboolean
negotiation_done (Bench *bench)
{
  /* Per subscription: offer, answer, 2 + 2 candidates. */
  return bench->negotiation_msgs >= (guint64) bench->joined * (SESSION_SIZE - 1) * 6;
}

static gboolean
never (Bench *bench)
{
  return FALSE;
}

static const char *const candidate_text = "candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host";

static void
on_message (SottoSignalingClient *client,
            SottoSignalMessage   *msg,
            gpointer              user_data)
{
  Conn *conn = user_data;
  Bench *bench = conn->bench;
  const char *sub = sotto_signal_message_get_string (msg, "subscription_id");

  switch (sotto_signal_message_get_message_type (msg))
    {
    case SOTTO_SIGNAL_TYPE_STREAM_CREATED:
      bench->streams_seen++;
      break;
    case SOTTO_SIGNAL_TYPE_SUBSCRIPTION_CREATED:
      bench->subs_seen++;
      if (g_strcmp0 (sotto_signal_message_get_string (msg, "subscriber"),
                     sotto_signaling_client_get_connection_id (client)) == 0)
        g_ptr_array_add (conn->subscribed, g_strdup (sub));
      /* The publisher end offers. */
      if (g_strcmp0 (sotto_signal_message_get_string (msg, "publisher"),
                     sotto_signaling_client_get_connection_id (client)) == 0)
        sotto_signaling_client_send_sdp (client, SOTTO_SIGNAL_TYPE_OFFER, sub,
                                         "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", NULL);
      break;
    case SOTTO_SIGNAL_TYPE_OFFER:
      bench->negotiation_msgs++;
      sotto_signaling_client_send_sdp (client, SOTTO_SIGNAL_TYPE_ANSWER, sub,
                                       "v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", NULL);
      sotto_signaling_client_send_candidate (client, sub, candidate_text, "0", 0, NULL);
      sotto_signaling_client_send_candidate (client, sub, "", NULL, -1, NULL);
      break;
    case SOTTO_SIGNAL_TYPE_ANSWER:
      bench->negotiation_msgs++;
      sotto_signaling_client_send_candidate (client, sub, candidate_text, "0", 0, NULL);
      sotto_signaling_client_send_candidate (client, sub, "", NULL, -1, NULL);
      break;
    case SOTTO_SIGNAL_TYPE_CANDIDATE:
      if (bench->pingpong)
        {
          bench->relayed++;
          sotto_signaling_client_send_candidate (client, sub, candidate_text, "0", 0, NULL);
        }
      else
        bench->negotiation_msgs++;
      break;
    default:
      break;
    }
}

static GSubprocess *
start_server (const char  *state_dir,
              char       **out_url,
              char       **out_pin)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_auto (GStrv) fields = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  /* SOTTO_SERVER_BIN in the environment benchmarks another build of the server. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              g_getenv ("SOTTO_SERVER_BIN") ? g_getenv ("SOTTO_SERVER_BIN") : SOTTO_SERVER_BIN,
                              "serve",
                              "--listen", "127.0.0.1:0", "--state-dir", state_dir, NULL);
  if (process == NULL)
    g_error ("cannot start the server: %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "SOTTO_SERVER_READY "))
    g_error ("the server did not start");
  fields = g_strsplit (line, " ", -1);
  *out_url = g_strdup (fields[2] + strlen ("public-url="));
  *out_pin = g_strdup (fields[3] + strlen ("pin="));
  return process;
}


/* Reads one line from a worker (blocking); aborts if it died. */
static char *
read_worker_line (GDataInputStream *in)
{
  g_autoptr (GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

  if (line == NULL)
    g_error ("a worker stopped: %s", error ? error->message : "end of output");
  return line;
}

static void
tell (GSubprocess *worker,
      const char  *word)
{
  GOutputStream *out = g_subprocess_get_stdin_pipe (worker);

  g_output_stream_write_all (out, word, strlen (word), NULL, NULL, NULL);
  g_output_stream_write_all (out, "\n", 1, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
}

static gboolean
line_arrived (Bench *bench)
{
  return bench->pingpong;  /* reused as "a command line arrived" in workers */
}

static void
on_command (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Bench *bench = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, NULL);

  if (line == NULL || g_strcmp0 (line, "quit") == 0)
    exit (0);
  bench->pingpong = TRUE;
}

/* Keeps serving sockets until the parent writes a line. */
static void
wait_for_parent (Bench            *bench,
                 GDataInputStream *commands)
{
  bench->pingpong = FALSE;
  g_data_input_stream_read_line_async (commands, G_PRIORITY_DEFAULT, NULL, on_command, bench);
  wait_until (line_arrived, bench, 3600);
  bench->pingpong = FALSE;
}

static int
worker_main (const char *token_file,
             guint       relay_s,
             guint       inflight)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) tokens = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);
  g_autoptr (GDataInputStream) commands = g_data_input_stream_new (stdin_stream);
  Bench bench = { 0 };
  gint64 t0;
  double elapsed;
  guint n;

  /* The workers stand in for thousands of other machines; on this one
   * they must not take the server's core, or the figures measure the
   * scheduler (BENCH_WORKER_NICE=0 to compare). */
  if (setpriority (PRIO_PROCESS, 0, g_getenv ("BENCH_WORKER_NICE")
                                      ? atoi (g_getenv ("BENCH_WORKER_NICE")) : 10) < 0)
    g_printerr ("warning: cannot lower the worker's priority\n");
  if (!g_file_get_contents (token_file, &text, NULL, &error))
    g_error ("%s", error->message);
  tokens = g_strsplit (g_strstrip (text), "\n", -1);
  n = g_strv_length (tokens);
  bench.conns = g_ptr_array_new ();
  bench.join_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.join_inflight = inflight;
  for (guint i = 0; i < n; i++)
    {
      Conn *conn = g_new0 (Conn, 1);

      conn->bench = &bench;
      conn->index = i;
      conn->subscribed = g_ptr_array_new_with_free_func (g_free);
      conn->client = sotto_signaling_client_new (tokens[i], &error);
      g_assert_no_error (error);
      g_signal_connect (conn->client, "message", G_CALLBACK (on_message), conn);
      g_ptr_array_add (bench.conns, conn);
    }

  /* Joins. */
  start_next_joins (&bench);
  wait_until (all_joins_done, &bench, PHASE_LIMIT_S);
  for (guint i = 0; i < bench.join_ms->len; i++)
    g_print ("LAT %.3f\n", g_array_index (bench.join_ms, double, i));
  g_print ("JOINED %u %u\n", bench.joined, bench.failed);
  wait_for_parent (&bench, commands);

  /* Publish, subscribe, negotiate. */
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      Conn *conn = g_ptr_array_index (bench.conns, i);
      g_autofree char *stream = g_strdup_printf ("s%u", i);

      if (sotto_signaling_client_get_state (conn->client) == SOTTO_SIGNALING_CLIENT_STATE_CONNECTED)
        sotto_signaling_client_publish (conn->client, stream, SOTTO_SIGNAL_KIND_AUDIO | SOTTO_SIGNAL_KIND_VIDEO,
                                        "bench", NULL);
    }
  wait_until (streams_done, &bench, PHASE_LIMIT_S);
  for (guint i = 0; i < n; i++)
    {
      Conn *conn = g_ptr_array_index (bench.conns, i);
      guint first = i - i % SESSION_SIZE;

      if (sotto_signaling_client_get_state (conn->client) != SOTTO_SIGNALING_CLIENT_STATE_CONNECTED)
        continue;
      for (guint j = first; j < first + SESSION_SIZE; j++)
        if (j != i)
          {
            g_autofree char *stream = g_strdup_printf ("s%u", j);

            sotto_signaling_client_subscribe (conn->client, stream, NULL);
          }
    }
  wait_until (negotiation_done, &bench, PHASE_LIMIT_S);
  elapsed = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  g_print ("NEGOTIATED %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %.3f\n", bench.subs_seen / 2,
           bench.negotiation_msgs, elapsed);
  wait_for_parent (&bench, commands);

  /* Relay: one candidate bounces on every subscription, both ways. */
  for (guint i = 0; i < n; i++)
    {
      Conn *conn = g_ptr_array_index (bench.conns, i);

      for (guint j = 0; j < conn->subscribed->len; j++)
        sotto_signaling_client_send_candidate (conn->client, g_ptr_array_index (conn->subscribed, j),
                                               candidate_text, "0", 0, NULL);
    }
  bench.pingpong = TRUE;
  t0 = g_get_monotonic_time ();
  wait_until (never, &bench, relay_s);
  elapsed = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  bench.pingpong = FALSE;
  g_print ("RELAYED %" G_GUINT64_FORMAT " %.3f\n", bench.relayed, elapsed);
  wait_for_parent (&bench, commands);
  return 0;
}

int
main (int argc, char *argv[])
{
  guint n, relay_s, n_workers;
  g_autoptr (GError) error = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *url = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *self_exe = NULL;
  g_autoptr (SottoDeployment) deployment = NULL;
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GPtrArray) workers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) outputs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) session_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) token_files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) join_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GPtrArray) probe_tokens = g_ptr_array_new_with_free_func (g_free);
  guint next_probe_token = 0;
  guint16 port;
  const char *inflight = g_getenv ("BENCH_JOIN_INFLIGHT");
  struct rlimit rl;
  Bench bench = { 0 };
  guint joined = 0, failed = 0;
  guint64 subs = 0, relayed = 0;
  double negotiate_s = 0, relay_elapsed = 0, cpu0;
  long rss_idle, rss_joined, rss_negotiated;
  gint64 t0;

  /* Both processes need a descriptor per connection, plus slack. */
  getrlimit (RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit (RLIMIT_NOFILE, &rl);

  if (argc == 5 && g_strcmp0 (argv[1], "--worker") == 0)
    return worker_main (argv[2], atoi (argv[3]), atoi (argv[4]));

  n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000;
  relay_s = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 5;
  n_workers = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 8;
  n = MAX (SESSION_SIZE, n - n % SESSION_SIZE);
  n_workers = CLAMP (n_workers, 1, n / SESSION_SIZE);
  if (rl.rlim_cur < n + 256)
    g_printerr ("warning: file limit %lu is low for %u connections\n", (unsigned long) rl.rlim_cur, n);
  /* Measure the server's relay, not the default per-connection limit. */
  g_setenv ("SOTTO_SIGNAL_RATE_PER_SECOND", "100000", TRUE);
  g_setenv ("SOTTO_SIGNAL_KEEPALIVE_MS", "20000", TRUE);

  state_dir = g_dir_make_tmp ("bench-signaling-XXXXXX", &error);
  g_assert_no_error (error);
  deployment = sotto_deployment_create (state_dir, NULL, FALSE, &error);
  g_assert_no_error (error);
  {
    g_autoptr (SottoServerStore) store =
      sotto_server_store_open (sotto_deployment_get_database_path (deployment), &error);

    g_assert_no_error (error);
    for (guint i = 0; i < n / SESSION_SIZE; i++)
      {
        char *id = sotto_server_store_new_session_id ();

        if (!sotto_server_store_create_session (store, id, SESSION_SIZE, &error))
          g_error ("%s", error->message);
        g_ptr_array_add (session_ids, id);
      }
  }

  server = start_server (state_dir, &url, &pin);
  bench.server_pid = atoi (g_subprocess_get_identifier (server));
  port = (guint16) g_ascii_strtoull (strrchr (url, ':') + 1, NULL, 10);

  /* The probe's tokens: one fresh session each, so every probe join is a
   * first join. */
  {
    g_autoptr (SottoServerStore) store =
      sotto_server_store_open (sotto_deployment_get_database_path (deployment), &error);
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;

    g_assert_no_error (error);
    for (guint i = 0; i < 3 * PROBE_JOINS; i++)
      {
        g_autofree char *id = sotto_server_store_new_session_id ();
        SottoTokenClaims claims = {
          .api_key = sotto_deployment_get_api_key (deployment),
          .session_id = id,
          .role = SOTTO_ROLE_PUBLISHER,
          .issued_at = now,
          .expires_at = now + 3600,
          .url = url,
          .pin = pin,
        };

        if (!sotto_server_store_create_session (store, id, SESSION_SIZE, &error))
          g_error ("%s", error->message);
        g_ptr_array_add (probe_tokens, sotto_token_mint (&claims,
                                                         sotto_deployment_get_api_secret (deployment),
                                                         &error));
        g_assert_no_error (error);
      }
  }

  /* Tokens, one file per worker; whole sessions per worker. */
  {
    guint sessions = n / SESSION_SIZE;
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;

    for (guint w = 0; w < n_workers; w++)
      {
        g_autoptr (GString) text = g_string_new (NULL);
        guint first = sessions * w / n_workers, last = sessions * (w + 1) / n_workers;
        char *path = g_strdup_printf ("%s/tokens-%u", state_dir, w);

        for (guint s = first; s < last; s++)
          for (guint k = 0; k < SESSION_SIZE; k++)
            {
              SottoTokenClaims claims = {
                .api_key = sotto_deployment_get_api_key (deployment),
                .session_id = g_ptr_array_index (session_ids, s),
                .role = SOTTO_ROLE_PUBLISHER,
                .issued_at = now,
                .expires_at = now + 3600,
                .url = url,
                .pin = pin,
              };
              g_autofree char *token = sotto_token_mint (&claims, sotto_deployment_get_api_secret (deployment),
                                                         &error);

              g_assert_no_error (error);
              g_string_append_printf (text, "%s\n", token);
            }
        if (!g_file_set_contents (path, text->str, -1, &error))
          g_error ("%s", error->message);
        g_ptr_array_add (token_files, path);
      }
  }

  g_usleep (G_USEC_PER_SEC / 2);
  rss_idle = server_rss_kib (&bench);
  g_print ("connections: %u in %u sessions of %u, %u client worker processes, %s joins in flight each\n",
           n, n / SESSION_SIZE, SESSION_SIZE, n_workers, inflight ? inflight : "2");

  probe ("with no other connections", port, probe_tokens, &next_probe_token, 60);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  t0 = g_get_monotonic_time ();
  for (guint w = 0; w < n_workers; w++)
    {
      g_autofree char *relay = g_strdup_printf ("%u", relay_s);
      GSubprocess *worker = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                              &error, self_exe, "--worker",
                                              (const char *) g_ptr_array_index (token_files, w), relay,
                                              inflight ? inflight : "2", NULL);

      g_assert_no_error (error);
      g_ptr_array_add (workers, worker);
      g_ptr_array_add (outputs, g_data_input_stream_new (g_subprocess_get_stdout_pipe (worker)));
    }

  /* Joins. */
  for (guint w = 0; w < n_workers; w++)
    for (;;)
      {
        g_autofree char *line = read_worker_line (g_ptr_array_index (outputs, w));

        if (g_str_has_prefix (line, "LAT "))
          {
            double ms = g_ascii_strtod (line + 4, NULL);

            g_array_append_val (join_ms, ms);
          }
        else if (g_str_has_prefix (line, "JOINED "))
          {
            guint ok = 0, bad = 0;

            sscanf (line, "JOINED %u %u", &ok, &bad);
            joined += ok;
            failed += bad;
            break;
          }
      }
  cpu0 = server_cpu_s (&bench);
  g_print ("joined: %u, failed: %u, in %.1f s (server CPU %.2f ms per join, TLS handshake included)\n",
           joined, failed, (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC,
           1000.0 * cpu0 / MAX (1u, joined));
  g_array_sort (join_ms, compare_double);
  g_print ("join latency in the workers (hundreds of libsoup clients per process, client CPU "
           "included): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
           percentile (join_ms, 0.50), percentile (join_ms, 0.99), percentile (join_ms, 1.0));
  g_usleep (G_USEC_PER_SEC);
  rss_joined = server_rss_kib (&bench);
  g_print ("server memory: idle %ld KiB, with %u connections %ld KiB: %.1f KiB per connection "
           "(%ld server threads)\n", rss_idle, joined, rss_joined,
           (rss_joined - rss_idle) / (double) MAX (1u, joined), server_status_field (&bench, "Threads:"));

  /* Publish, subscribe, negotiate. */
  for (guint w = 0; w < n_workers; w++)
    tell (g_ptr_array_index (workers, w), "go");
  for (guint w = 0; w < n_workers; w++)
    {
      g_autofree char *line = read_worker_line (g_ptr_array_index (outputs, w));
      guint64 s = 0, m = 0;
      double secs = 0;

      if (sscanf (line, "NEGOTIATED %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %lf", &s, &m, &secs) == 3)
        {
          subs += s;
          negotiate_s = MAX (negotiate_s, secs);
        }
    }
  g_usleep (G_USEC_PER_SEC);
  rss_negotiated = server_rss_kib (&bench);
  g_print ("publish + subscribe + negotiate: %u streams, %" G_GUINT64_FORMAT " subscriptions in %.2f s\n",
           joined, subs, negotiate_s);
  g_print ("server memory with streams and subscriptions: %.1f KiB per connection\n",
           (rss_negotiated - rss_idle) / (double) MAX (1u, joined));
  {
    g_autofree char *what = g_strdup_printf ("with %u connections held", joined);

    probe (what, port, probe_tokens, &next_probe_token, 60);
  }

  /* Relay. */
  cpu0 = server_cpu_s (&bench);
  t0 = g_get_monotonic_time ();
  for (guint w = 0; w < n_workers; w++)
    tell (g_ptr_array_index (workers, w), "go");
  /* New joins while every session relays (the probe stops before the
   * relay does). */
  probe ("while relaying", port, probe_tokens, &next_probe_token, MAX (1.0, relay_s - 1.0));
  for (guint w = 0; w < n_workers; w++)
    {
      g_autofree char *line = read_worker_line (g_ptr_array_index (outputs, w));
      guint64 r = 0;
      double secs = 0;

      if (sscanf (line, "RELAYED %" G_GUINT64_FORMAT " %lf", &r, &secs) == 2)
        {
          relayed += r;
          relay_elapsed = MAX (relay_elapsed, secs);
        }
    }
  g_print ("relayed: %.0f messages/s (%" G_GUINT64_FORMAT " in %.1f s; server CPU %.0f%% of one core)\n",
           relayed / MAX (relay_elapsed, 0.001), relayed, relay_elapsed,
           100.0 * (server_cpu_s (&bench) - cpu0) / ((g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC));

  for (guint w = 0; w < n_workers; w++)
    {
      tell (g_ptr_array_index (workers, w), "quit");
      g_subprocess_wait (g_ptr_array_index (workers, w), NULL, NULL);
    }
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autoptr (GFile) dir = g_file_new_for_path (state_dir);
    g_autoptr (GFileEnumerator) children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                      G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                      NULL, NULL);
    GFileInfo *info;

    while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
      {
        g_autoptr (GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

        g_file_delete (child, NULL, NULL);
        g_object_unref (info);
      }
    g_file_delete (dir, NULL, NULL);
  }
  return 0;
}
