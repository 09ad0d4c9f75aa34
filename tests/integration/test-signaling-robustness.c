/* test-signaling-robustness.c: liveness, rejoin and bad input against the real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "test-signaling-common.h"

#include <string.h>

#include "sotto-token.h"

static const char *
str (SottoSignalMessage *msg,
     const char         *field)
{
  return sotto_signal_message_get_string (msg, field);
}

/* ---- a raw WebSocket, for what a well-behaved client never sends ---- */

typedef struct
{
  SoupWebsocketConnection *ws;
  GPtrArray               *inbox;   /* SottoSignalMessage */
  gboolean                 closed;
  gushort                  close_code;
  char                    *pin;
} Raw;

static gboolean
on_raw_accept (SoupMessage          *msg,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  g_autofree char *pin = sotto_test_certificate_pin (certificate);

  return g_strcmp0 (pin, user_data) == 0;
}

static void
on_raw_message (SoupWebsocketConnection *ws,
                gint                     type,
                GBytes                  *bytes,
                gpointer                 user_data)
{
  Raw *raw = user_data;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr (GError) error = NULL;
  SottoSignalMessage *msg = sotto_signal_message_parse (data, len, SOTTO_SIGNAL_TO_CLIENT, &error);

  /* Everything the server says must follow the protocol. */
  g_assert_no_error (error);
  g_ptr_array_add (raw->inbox, msg);
}

static void
on_raw_closed (SoupWebsocketConnection *ws,
               gpointer                 user_data)
{
  Raw *raw = user_data;

  raw->closed = TRUE;
  raw->close_code = soup_websocket_connection_get_close_code (ws);
}

static void
on_raw_connected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Raw *raw = user_data;
  g_autoptr (GError) error = NULL;

  raw->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static Raw *
raw_connect (Fixture *fx)
{
  Raw *raw = g_new0 (Raw, 1);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (fx->server->https_url, "/v1/signal", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  gint64 deadline = g_get_monotonic_time () + (gint64) TEST_WAIT_MS * 1000;

  raw->inbox = g_ptr_array_new_with_free_func (g_object_unref);
  raw->pin = g_strdup (fx->server->pin);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_raw_accept), raw->pin);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_raw_connected, raw);
  while (raw->ws == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (raw->ws);
  /* The server's limit is what is under test, not ours. */
  soup_websocket_connection_set_max_incoming_payload_size (raw->ws, 0);
  g_signal_connect (raw->ws, "message", G_CALLBACK (on_raw_message), raw);
  g_signal_connect (raw->ws, "closed", G_CALLBACK (on_raw_closed), raw);
  return raw;
}

static void
raw_free (Raw *raw)
{
  g_signal_handlers_disconnect_by_data (raw->ws, raw);
  if (soup_websocket_connection_get_state (raw->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (raw->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (raw->ws);
  g_ptr_array_unref (raw->inbox);
  g_free (raw->pin);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

/* Waits for the next message of `type` (consumed with everything before it). */
static SottoSignalMessage *
raw_wait (Raw        *raw,
          const char *type)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TEST_WAIT_MS * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < raw->inbox->len; i++)
        {
          SottoSignalMessage *msg = g_ptr_array_index (raw->inbox, i);

          if (g_strcmp0 (sotto_signal_message_type_to_string (sotto_signal_message_get_message_type (msg)),
                         type) == 0)
            {
              g_object_ref (msg);
              g_ptr_array_remove_range (raw->inbox, 0, i + 1);
              return msg;
            }
        }
      if (raw->closed && raw->inbox->len == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_error ("no “%s” message on the raw socket", type);
}

static void
raw_expect_error (Raw        *raw,
                  const char *text,
                  const char *code)
{
  g_autoptr (SottoSignalMessage) err = NULL;

  soup_websocket_connection_send_text (raw->ws, text);
  err = raw_wait (raw, "error");
  g_assert_cmpstr (str (err, "code"), ==, code);
  g_assert_nonnull (str (err, "message"));
  g_assert_false (raw->closed);
}

static void
raw_wait_closed (Raw *raw)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TEST_WAIT_MS * 1000;

  while (!raw->closed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (raw->closed);
}

static void
raw_join (Raw        *raw,
          const char *token)
{
  g_autofree char *join = g_strdup_printf ("{\"type\":\"join\",\"token\":\"%s\"}", token);

  soup_websocket_connection_send_text (raw->ws, join);
  g_object_unref (raw_wait (raw, "welcome"));
}

/* ---- tests ---- */

/* A client that hangs (its socket open, nothing read or sent) is noticed
 * within the keepalive timeout and its stream and subscriptions are torn
 * down for everyone; a live client with the same settings stays. */
static void
test_dead_connection (Fixture      *fx,
                      gconstpointer data)
{
  const char *env[] = { "SOTTO_SIGNAL_KEEPALIVE_MS=200", NULL };
  g_autofree char *sid = NULL;
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;
  g_autoptr (Peer) a = NULL;
  Peer *b;
  GMainContext *hung = g_main_context_new ();
  g_autoptr (SottoSignalMessage) gone = NULL;
  g_autofree char *b_id = NULL;
  gint64 start;

  fixture_start (fx, env);
  sid = fixture_new_session (fx, 0);
  ta = fixture_mint (fx, sid, "moderator", NULL);
  tb = fixture_mint (fx, sid, "publisher", NULL);
  a = peer_join (ta);

  /* B lives on its own context: when we stop iterating it, B is hung. */
  g_main_context_push_thread_default (hung);
  b = peer_new (tb);
  b->context = hung;
  g_assert_no_error (peer_connect (b));
  g_assert_true (sotto_signaling_client_publish (b->client, "b-cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  g_object_unref (peer_wait (b, "stream-created"));
  g_main_context_pop_thread_default (hung);
  b_id = g_strdup (peer_id (b));

  g_assert_true (sotto_signaling_client_subscribe (a->client, "b-cam", NULL));
  g_object_unref (peer_wait (a, "subscription-created"));

  start = g_get_monotonic_time ();
  g_object_unref (peer_wait (a, "subscription-destroyed"));
  g_object_unref (peer_wait (a, "stream-destroyed"));
  gone = peer_wait (a, "connection-destroyed");
  g_assert_cmpstr (str (gone, "connection_id"), ==, b_id);
  g_assert_cmpstr (str (gone, "reason"), ==, "timeout");
  /* The rule is "within 30 s"; with a 200 ms interval it is well under. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);

  /* A, which kept its keepalive going, is still in. */
  spin (1000);
  g_assert_cmpint (sotto_signaling_client_get_state (a->client), ==, SOTTO_SIGNALING_CLIENT_STATE_CONNECTED);
  g_assert_false (peer_has (a, "connection-destroyed"));

  g_main_context_push_thread_default (hung);
  peer_free (b);
  while (g_main_context_iteration (hung, FALSE))
    ;
  g_main_context_pop_thread_default (hung);
  g_main_context_unref (hung);
  fixture_stop (fx);
}

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  if (sotto_signaling_client_get_state (SOTTO_SIGNALING_CLIENT (object)) ==
      SOTTO_SIGNALING_CLIENT_STATE_RECONNECTING)
    (*(guint *) user_data)++;
}

/* A dropped socket rejoins with the same token and gets its connection,
 * streams and subscriptions back; the others notice nothing. */
static void
test_rejoin (Fixture      *fx,
             gconstpointer data)
{
  const char *env[] = { "SOTTO_SIGNAL_GRACE_MS=5000", NULL };
  g_autofree char *sid = NULL;
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;
  g_autoptr (Peer) a = NULL;
  g_autoptr (Peer) b = NULL;
  g_autoptr (Peer) a2 = NULL;
  g_autoptr (SottoSignalMessage) created = NULL;
  g_autoptr (SottoSignalMessage) welcome = NULL;
  g_autoptr (SottoSignalMessage) offer = NULL;
  g_autofree char *a_id = NULL;
  g_autofree char *sub_id = NULL;
  guint reconnecting = 0;
  JsonArray *subs;

  fixture_start (fx, env);
  sid = fixture_new_session (fx, 2);
  ta = fixture_mint (fx, sid, "publisher", NULL);
  tb = fixture_mint (fx, sid, "subscriber", NULL);
  a = peer_join (ta);
  b = peer_join (tb);
  a_id = g_strdup (peer_id (a));
  g_assert_true (sotto_signaling_client_publish (a->client, "cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  g_object_unref (peer_wait (b, "stream-created"));
  g_assert_true (sotto_signaling_client_subscribe (b->client, "cam", NULL));
  created = peer_wait (b, "subscription-created");
  sub_id = g_strdup (str (created, "subscription_id"));
  g_object_unref (peer_wait (a, "welcome"));
  g_object_unref (peer_wait (a, "subscription-created"));

  g_signal_connect (a->client, "notify::state", G_CALLBACK (on_state), &reconnecting);
  sotto_signaling_client_drop_for_testing (a->client);
  welcome = peer_wait (a, "welcome");
  g_assert_cmpuint (reconnecting, ==, 1);
  g_assert_true (sotto_signal_message_get_bool (welcome, "rejoined", FALSE));
  g_assert_cmpstr (str (welcome, "connection_id"), ==, a_id);
  subs = sotto_signal_message_get_array (welcome, "subscriptions");
  g_assert_cmpuint (json_array_get_length (subs), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (subs, 0), "id"), ==, sub_id);

  /* The subscription still works, and B never saw A leave. */
  g_assert_true (sotto_signaling_client_send_sdp (a->client, SOTTO_SIGNAL_TYPE_OFFER, sub_id, "v=0\r\n", NULL));
  offer = peer_wait (b, "offer");
  g_assert_cmpstr (str (offer, "from"), ==, a_id);
  g_assert_false (peer_has (b, "connection-destroyed"));
  g_assert_false (peer_has (b, "stream-destroyed"));
  g_assert_false (peer_has (b, "subscription-destroyed"));
  g_assert_false (peer_has (b, "connection-created"));

  /* The same token from a second place, in a full two-seat session: it
   * takes the seat over (same id) and the first socket is told why. */
  a2 = peer_join (ta);
  g_assert_cmpstr (peer_id (a2), ==, a_id);
  peer_wait_closed (a);
  g_assert_error (a->closed_error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_REPLACED);
  fixture_stop (fx);
}

/* A socket that drops and does not come back loses its place after the
 * grace period; a leave is immediate. */
static void
test_grace_expiry (Fixture      *fx,
                   gconstpointer data)
{
  const char *env[] = { "SOTTO_SIGNAL_GRACE_MS=300", NULL };
  g_autofree char *sid = NULL;
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;
  g_autofree char *tc = NULL;
  g_autoptr (Peer) b = NULL;
  g_autoptr (Peer) c = NULL;
  g_autoptr (SottoSignalMessage) gone = NULL;
  g_autoptr (JsonNode) describe = NULL;
  Peer *a;
  g_autofree char *a_id = NULL;

  fixture_start (fx, env);
  sid = fixture_new_session (fx, 0);
  ta = fixture_mint (fx, sid, "publisher", NULL);
  tb = fixture_mint (fx, sid, "subscriber", NULL);
  tc = fixture_mint (fx, sid, "subscriber", NULL);
  a = peer_join (ta);
  b = peer_join (tb);
  c = peer_join (tc);
  a_id = g_strdup (peer_id (a));
  g_assert_true (sotto_signaling_client_publish (a->client, "cam", SOTTO_SIGNAL_KIND_AUDIO, NULL, NULL));
  g_object_unref (peer_wait (b, "stream-created"));

  /* Gone without a leave (the app crashed, say). */
  peer_free (a);
  g_object_unref (peer_wait (b, "stream-destroyed"));
  gone = peer_wait (b, "connection-destroyed");
  g_assert_cmpstr (str (gone, "connection_id"), ==, a_id);
  g_assert_cmpstr (str (gone, "reason"), ==, "disconnected");
  g_clear_object (&gone);

  sotto_signaling_client_leave (c->client);
  g_assert_true (c->closed);
  g_assert_null (c->closed_error);
  gone = peer_wait (b, "connection-destroyed");
  g_assert_cmpstr (str (gone, "reason"), ==, "left");

  describe = fixture_describe (fx, sid);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (describe),
                                                                          "connections")), ==, 1);
  fixture_stop (fx);
}

static char *
mint_raw (Fixture    *fx,
          const char *session_id,
          gint64      expires_at,
          GBytes     *secret)
{
  SottoTokenClaims claims = {
    .api_key = fx->server->api_key,
    .session_id = session_id,
    .role = SOTTO_ROLE_PUBLISHER,
    .issued_at = expires_at - 7200,
    .expires_at = expires_at,
    .url = fx->server->public_url,
    .pin = fx->server->pin,
  };
  g_autoptr (GError) error = NULL;
  char *token = sotto_token_mint (&claims, secret, &error);

  g_assert_no_error (error);
  return token;
}

static void
expect_refused_join (Fixture    *fx,
                     const char *token,
                     const char *code,
                     gushort     close_code)
{
  g_autoptr (Raw) raw = raw_connect (fx);
  g_autofree char *join = g_strdup_printf ("{\"type\":\"join\",\"token\":\"%s\"}", token);
  g_autoptr (SottoSignalMessage) err = NULL;

  soup_websocket_connection_send_text (raw->ws, join);
  err = raw_wait (raw, "error");
  g_assert_cmpstr (str (err, "code"), ==, code);
  g_assert_cmpstr (str (err, "in_reply_to"), ==, "join");
  raw_wait_closed (raw);
  g_assert_cmpuint (raw->close_code, ==, close_code);
}

static void
test_bad_tokens (Fixture      *fx,
                 gconstpointer data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *sid = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *nowhere = NULL;
  g_autoptr (GBytes) wrong = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  g_autoptr (SottoSignalingClient) client = NULL;
  g_autoptr (GError) error = NULL;

  fixture_start (fx, NULL);
  sid = fixture_new_session (fx, 0);
  expired = mint_raw (fx, sid, now - 3600, fx->server->api_secret);
  forged = mint_raw (fx, sid, now + 3600, wrong);
  nowhere = mint_raw (fx, "NoSuchSession", now + 3600, fx->server->api_secret);

  expect_refused_join (fx, "not-a-token", "bad-token", 4001);
  expect_refused_join (fx, forged, "bad-token", 4001);
  expect_refused_join (fx, expired, "expired-token", 4002);
  expect_refused_join (fx, nowhere, "no-such-session", 4004);

  /* The client maps them to its own errors. */
  client = sotto_signaling_client_new ("not-a-token", &error);
  g_assert_null (client);
  g_assert_error (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_BAD_TOKEN);
  {
    g_autoptr (Peer) p = peer_new (expired);
    g_autoptr (GError) e = peer_connect (p);

    g_assert_error (e, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_EXPIRED);
  }
  fixture_stop (fx);
}

/* A token whose pin is not the server's key never reaches the server. */
static void
test_pin_mismatch (Fixture      *fx,
                   gconstpointer data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *sid = NULL;
  g_autofree char *token = NULL;
  g_autoptr (Peer) p = NULL;
  g_autoptr (GError) error = NULL;
  SottoTokenClaims claims = { 0 };

  fixture_start (fx, NULL);
  sid = fixture_new_session (fx, 0);
  claims.api_key = fx->server->api_key;
  claims.session_id = sid;
  claims.role = SOTTO_ROLE_PUBLISHER;
  claims.issued_at = now;
  claims.expires_at = now + 600;
  claims.url = fx->server->public_url;
  claims.pin = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  token = sotto_token_mint (&claims, fx->server->api_secret, &error);
  g_assert_no_error (error);

  p = peer_new (token);
  error = peer_connect (p);
  g_assert_error (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_PIN_MISMATCH);
  /* Nothing joined. */
  {
    g_autoptr (JsonNode) describe = fixture_describe (fx, sid);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (describe),
                                                                            "connections")), ==, 0);
  }
  fixture_stop (fx);
}

/* Every class of bad input gets a structured error or a documented close
 * code, and the server goes on serving everyone else. */
static void
test_bad_input (Fixture      *fx,
                gconstpointer data)
{
  g_autofree char *sid = NULL;
  g_autofree char *other_sid = NULL;
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autoptr (Raw) raw = NULL;
  g_autoptr (Raw) big = NULL;
  g_autoptr (Raw) bin = NULL;
  g_autoptr (Peer) bystander = NULL;
  g_autoptr (SottoSignalMessage) pong = NULL;
  g_autoptr (GBytes) binary = g_bytes_new_static ("\x00\x01", 2);
  g_autofree char *huge = NULL;
  gsize huge_len = 70 * 1024;

  fixture_start (fx, NULL);
  sid = fixture_new_session (fx, 0);
  other_sid = fixture_new_session (fx, 0);
  token = fixture_mint (fx, sid, "publisher", NULL);
  other_token = fixture_mint (fx, other_sid, "publisher", NULL);
  bystander = peer_join (other_token);

  raw = raw_connect (fx);
  /* Before joining, only join and ping are accepted. */
  raw_expect_error (raw, "{\"type\":\"publish\",\"stream_id\":\"x\",\"kinds\":[\"audio\"]}", "not-joined");
  soup_websocket_connection_send_text (raw->ws, "{\"type\":\"ping\"}");
  pong = raw_wait (raw, "pong");
  raw_join (raw, token);

  raw_expect_error (raw, "{\"type\":\"publish\",", "bad-json");
  raw_expect_error (raw, "{\"type\":\"ping\",\"type\":\"leave\"}", "bad-json");
  raw_expect_error (raw, "[1,2]", "not-an-object");
  raw_expect_error (raw, "{\"type\":\"become-moderator\"}", "unknown-type");
  raw_expect_error (raw, "{\"type\":\"welcome\"}", "unknown-type");
  raw_expect_error (raw, "{\"stream_id\":\"x\"}", "unknown-type");
  raw_expect_error (raw, "{\"type\":\"publish\",\"stream_id\":\"x\"}", "missing-field");
  raw_expect_error (raw, "{\"type\":\"offer\",\"sdp\":\"v=0\"}", "missing-field");
  raw_expect_error (raw, "{\"type\":\"publish\",\"stream_id\":\"../x\",\"kinds\":[\"audio\"]}", "invalid-field");
  raw_expect_error (raw, "{\"type\":\"publish\",\"stream_id\":\"x\",\"kinds\":[\"smell\"]}", "invalid-field");
  raw_expect_error (raw, "{\"type\":\"unsubscribe\",\"subscription_id\":\"not-mine\"}", "no-such-subscription");
  raw_expect_error (raw, "{\"type\":\"unpublish\",\"stream_id\":\"not-mine\"}", "no-such-stream");
  raw_expect_error (raw, "{\"type\":\"join\",\"token\":\"again\"}", "already-joined");
  {
    /* The request id comes back with the error. */
    g_autoptr (SottoSignalMessage) err = NULL;

    soup_websocket_connection_send_text (raw->ws, "{\"type\":\"subscribe\",\"stream_id\":\"nope\",\"request_id\":\"r-42\"}");
    err = raw_wait (raw, "error");
    g_assert_cmpstr (str (err, "request_id"), ==, "r-42");
  }

  /* A flood: some messages are dropped with a rate-limited error, the
   * socket survives, and other sessions do not notice. */
  for (guint i = 0; i < 600; i++)
    soup_websocket_connection_send_text (raw->ws, "{\"type\":\"ping\"}");
  {
    g_autoptr (SottoSignalMessage) err = raw_wait (raw, "error");

    g_assert_cmpstr (str (err, "code"), ==, "rate-limited");
  }
  g_assert_true (sotto_signaling_client_publish (bystander->client, "cam", SOTTO_SIGNAL_KIND_AUDIO, NULL, NULL));
  g_object_unref (peer_wait (bystander, "stream-created"));
  g_assert_false (raw->closed);

  /* Over 64 KiB: closed with 1009 (message too big). */
  big = raw_connect (fx);
  huge = g_malloc (huge_len + 1);
  memset (huge, 'a', huge_len);
  memcpy (huge, "{\"type\":\"ping\",\"x\":\"", 20);
  memcpy (huge + huge_len - 2, "\"}", 2);
  huge[huge_len] = '\0';
  soup_websocket_connection_send_text (big->ws, huge);
  {
    g_autoptr (SottoSignalMessage) err = raw_wait (big, "error");

    g_assert_cmpstr (str (err, "code"), ==, "too-big");
  }
  raw_wait_closed (big);
  g_assert_cmpuint (big->close_code, ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  g_clear_pointer (&big, raw_free);

  /* Far over (1 MiB): the connection is cut at once, nothing is buffered. */
  big = raw_connect (fx);
  g_free (huge);
  huge_len = 1024 * 1024;
  huge = g_malloc (huge_len + 1);
  memset (huge, 'a', huge_len);
  huge[huge_len] = '\0';
  soup_websocket_connection_send_text (big->ws, huge);
  raw_wait_closed (big);

  /* Binary frames: closed with 4009. */
  bin = raw_connect (fx);
  soup_websocket_connection_send_binary (bin->ws, g_bytes_get_data (binary, NULL), 2);
  raw_wait_closed (bin);
  g_assert_cmpuint (bin->close_code, ==, 4009);

  /* Still serving. */
  g_assert_true (sotto_signaling_client_unpublish (bystander->client, "cam", NULL));
  g_object_unref (peer_wait (bystander, "stream-destroyed"));
  fixture_stop (fx);
}

static void
setup_nothing (Fixture      *fx,
               gconstpointer data)
{
}

static void
teardown_nothing (Fixture      *fx,
                  gconstpointer data)
{
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Each test starts its own server, some with shortened timers. */
#define ADD(path, func) \
  g_test_add ("/sotto/signaling/" path, Fixture, NULL, setup_nothing, func, teardown_nothing)
  ADD ("dead-connection", test_dead_connection);
  ADD ("rejoin", test_rejoin);
  ADD ("grace-expiry", test_grace_expiry);
  ADD ("bad-tokens", test_bad_tokens);
  ADD ("pin-mismatch", test_pin_mismatch);
  ADD ("bad-input", test_bad_input);
#undef ADD

  return g_test_run ();
}
