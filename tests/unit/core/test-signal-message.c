/* test-signal-message.c: schema checks of the signaling messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-signal-message.h"

#include <string.h>

static SottoSignalMessage *
parse (const char            *text,
       SottoSignalDirection   direction,
       GError               **error)
{
  return sotto_signal_message_parse (text, strlen (text), direction, error);
}

static void
assert_refused (const char             *text,
                SottoSignalDirection    direction,
                int                     code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoSignalMessage) msg = parse (text, direction, &error);

  if (msg != NULL)
    g_error ("accepted: %s", text);
  g_assert_error (error, SOTTO_SIGNAL_MESSAGE_ERROR, code);
}

static void
assert_accepted (const char            *text,
                 SottoSignalDirection   direction)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoSignalMessage) msg = parse (text, direction, &error);

  if (msg == NULL)
    g_error ("refused %s: %s", text, error->message);
}

/* One valid example of every message each way; the same texts appear in
 * docs/protocol.md, so the spec's examples are known to parse. */
static const char *const client_examples[] = {
  "{\"type\":\"join\",\"token\":\"eyJhbGciOiJIUzI1NiJ9.e30.sig\"}",
  "{\"type\":\"leave\"}",
  "{\"type\":\"publish\",\"stream_id\":\"cam-1\",\"kinds\":[\"audio\",\"video\"],\"name\":\"Camera\",\"request_id\":\"r1\"}",
  "{\"type\":\"publish\",\"stream_id\":\"mic\",\"kinds\":[\"audio\"]}",
  "{\"type\":\"unpublish\",\"stream_id\":\"cam-1\"}",
  "{\"type\":\"subscribe\",\"stream_id\":\"cam-1\"}",
  "{\"type\":\"unsubscribe\",\"subscription_id\":\"s_9f\"}",
  "{\"type\":\"offer\",\"subscription_id\":\"s_9f\",\"sdp\":\"v=0\\r\\n\"}",
  "{\"type\":\"answer\",\"subscription_id\":\"s_9f\",\"sdp\":\"v=0\\r\\n\"}",
  "{\"type\":\"candidate\",\"subscription_id\":\"s_9f\",\"candidate\":\"candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host\",\"sdp_mid\":\"0\",\"sdp_mline_index\":0}",
  "{\"type\":\"candidate\",\"subscription_id\":\"s_9f\",\"candidate\":\"\"}",
  "{\"type\":\"media-connected\",\"subscription_id\":\"s_9f\"}",
  "{\"type\":\"media-ended\",\"subscription_id\":\"s_9f\"}",
  "{\"type\":\"force-disconnect\",\"connection_id\":\"c1\",\"reason\":\"spam\"}",
  "{\"type\":\"force-unpublish\",\"stream_id\":\"cam-1\"}",
  "{\"type\":\"ping\"}",
  "{\"type\":\"ping\",\"unknown_extra\":[1,2,3]}",
  "{\"type\":\"publish\",\"stream_id\":\"cam\",\"kinds\":[\"audio\",\"video\"],\"audio\":true,\"video\":false}",
  "{\"type\":\"stream-state\",\"stream_id\":\"cam\",\"audio\":true,\"video\":false}",
};

static const char *const server_examples[] = {
  "{\"type\":\"welcome\",\"connection_id\":\"c1\",\"session_id\":\"S1\",\"role\":\"publisher\","
  "\"data\":null,\"rejoined\":false,"
  "\"connections\":[{\"id\":\"c0\",\"role\":\"moderator\",\"data\":\"desk 4\",\"connected_since\":\"2026-11-23T19:00:00Z\"}],"
  "\"streams\":[{\"id\":\"cam\",\"owner\":\"c0\",\"kinds\":[\"video\"],\"name\":\"\",\"subscribers\":0,"
  "\"audio_active\":true,\"video_active\":false}],"
  "\"subscriptions\":[{\"id\":\"s1\",\"stream_id\":\"cam\",\"publisher\":\"c0\",\"subscriber\":\"c1\"}],"
  "\"ice_servers\":[{\"urls\":[\"stun:turn.example:3478\"]},{\"urls\":[\"turn:turn.example:3478\"],\"username\":\"1700000000:c1\",\"credential\":\"abc=\"}],"
  "\"keepalive_interval_ms\":10000,\"keepalive_timeout_ms\":25000}",
  "{\"type\":\"connection-created\",\"connection\":{\"id\":\"c2\",\"role\":\"subscriber\",\"data\":null,\"connected_since\":\"2026-11-23T19:00:00Z\"}}",
  "{\"type\":\"connection-destroyed\",\"connection_id\":\"c2\",\"reason\":\"left\"}",
  "{\"type\":\"stream-created\",\"stream\":{\"id\":\"cam\",\"owner\":\"c0\",\"kinds\":[\"audio\",\"video\"],\"name\":\"Cam\",\"subscribers\":0,\"audio_active\":true,\"video_active\":true}}",
  "{\"type\":\"stream-destroyed\",\"stream_id\":\"cam\",\"owner\":\"c0\",\"reason\":\"unpublished\"}",
  "{\"type\":\"subscription-created\",\"subscription_id\":\"s1\",\"stream_id\":\"cam\",\"publisher\":\"c0\",\"subscriber\":\"c1\"}",
  "{\"type\":\"subscription-destroyed\",\"subscription_id\":\"s1\",\"stream_id\":\"cam\",\"reason\":\"unsubscribed\"}",
  "{\"type\":\"subscriber-count\",\"stream_id\":\"cam\",\"subscribers\":3}",
  "{\"type\":\"offer\",\"subscription_id\":\"s1\",\"from\":\"c0\",\"sdp\":\"v=0\\r\\n\"}",
  "{\"type\":\"answer\",\"subscription_id\":\"s1\",\"from\":\"c1\",\"sdp\":\"v=0\\r\\n\"}",
  "{\"type\":\"candidate\",\"subscription_id\":\"s1\",\"from\":\"c1\",\"candidate\":\"candidate:1 1 UDP 1 127.0.0.1 1 typ host\"}",
  "{\"type\":\"force-disconnected\",\"by\":\"c0\",\"reason\":\"\"}",
  "{\"type\":\"force-unpublished\",\"stream_id\":\"cam\",\"by\":\"server\",\"reason\":\"policy\"}",
  "{\"type\":\"session-ended\",\"reason\":\"ended by the application\"}",
  "{\"type\":\"error\",\"code\":\"forbidden\",\"message\":\"Subscribers cannot publish\",\"in_reply_to\":\"publish\",\"request_id\":\"r1\"}",
  "{\"type\":\"pong\"}",
  "{\"type\":\"stream-state-changed\",\"stream_id\":\"cam\",\"audio\":false,\"video\":true}",
};

static void
test_examples (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (client_examples); i++)
    assert_accepted (client_examples[i], SOTTO_SIGNAL_TO_SERVER);
  for (gsize i = 0; i < G_N_ELEMENTS (server_examples); i++)
    assert_accepted (server_examples[i], SOTTO_SIGNAL_TO_CLIENT);
}

/* What a client may send is not what a server may send, and vice versa: a
 * client cannot inject a `welcome` or a forwarded offer with a forged `from`. */
static void
test_direction (void)
{
  assert_refused (server_examples[0], SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE);
  assert_refused ("{\"type\":\"join\",\"token\":\"a.b.c\"}", SOTTO_SIGNAL_TO_CLIENT,
                  SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE);
  /* A client's offer has no `from`; a forwarded one must have it. */
  assert_refused ("{\"type\":\"offer\",\"subscription_id\":\"s1\",\"sdp\":\"v=0\"}",
                  SOTTO_SIGNAL_TO_CLIENT, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
}

static void
test_bad_json (void)
{
  const char *bad[] = {
    "", "{", "{\"type\":\"ping\"", "{\"type\":\"ping\"} x", "{'type':'ping'}",
    "{\"type\":\"ping\",\"type\":\"leave\"}", /* duplicate keys: two readers could disagree */
    "{\"type\":\"ping\"} // comment", "\xff\xfe", "{\"type\":\"pi\\u0000ng\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_BAD_JSON);

  assert_refused ("[\"ping\"]", SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_NOT_OBJECT);
  assert_refused ("42", SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_NOT_OBJECT);
  assert_refused ("{\"type\":\"ping\",\"a\":[[[[[[[[[[1]]]]]]]]]]}", SOTTO_SIGNAL_TO_SERVER,
                  SOTTO_SIGNAL_MESSAGE_ERROR_BAD_JSON);
}

static void
test_unknown_type (void)
{
  assert_refused ("{}", SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE);
  assert_refused ("{\"type\":3}", SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE);
  assert_refused ("{\"type\":\"PING\"}", SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE);
  assert_refused ("{\"type\":\"become-moderator\"}", SOTTO_SIGNAL_TO_SERVER,
                  SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE);
}

static void
test_missing_field (void)
{
  assert_refused ("{\"type\":\"join\"}", SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
  assert_refused ("{\"type\":\"publish\",\"stream_id\":\"a\"}", SOTTO_SIGNAL_TO_SERVER,
                  SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
  assert_refused ("{\"type\":\"candidate\",\"subscription_id\":\"s\"}", SOTTO_SIGNAL_TO_SERVER,
                  SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
  assert_refused ("{\"type\":\"welcome\",\"connection_id\":\"c\"}", SOTTO_SIGNAL_TO_CLIENT,
                  SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
  assert_refused ("{\"type\":\"connection-created\",\"connection\":{\"id\":\"c\",\"role\":\"publisher\",\"data\":null}}",
                  SOTTO_SIGNAL_TO_CLIENT, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
}

static void
test_invalid_field (void)
{
  g_autofree char *long_id = g_strnfill (65, 'a');
  g_autofree char *long_name = g_strnfill (SOTTO_SIGNAL_MAX_TEXT_LENGTH + 1, 'n');
  g_autofree char *text = NULL;
  const char *bad[] = {
    "{\"type\":\"join\",\"token\":\"\"}",
    "{\"type\":\"join\",\"token\":42}",
    "{\"type\":\"publish\",\"stream_id\":\"a b\",\"kinds\":[\"audio\"]}",
    "{\"type\":\"publish\",\"stream_id\":\"a/../b\",\"kinds\":[\"audio\"]}",
    "{\"type\":\"publish\",\"stream_id\":\"\",\"kinds\":[\"audio\"]}",
    "{\"type\":\"publish\",\"stream_id\":\"a\",\"kinds\":[]}",
    "{\"type\":\"publish\",\"stream_id\":\"a\",\"kinds\":[\"audio\",\"audio\"]}",
    "{\"type\":\"publish\",\"stream_id\":\"a\",\"kinds\":[\"screen\"]}",
    "{\"type\":\"publish\",\"stream_id\":\"a\",\"kinds\":\"audio\"}",
    "{\"type\":\"publish\",\"stream_id\":\"a\",\"kinds\":[\"audio\"],\"name\":7}",
    "{\"type\":\"candidate\",\"subscription_id\":\"s\",\"candidate\":\"x\",\"sdp_mline_index\":-1}",
    "{\"type\":\"candidate\",\"subscription_id\":\"s\",\"candidate\":\"x\",\"sdp_mline_index\":1.5}",
    "{\"type\":\"offer\",\"subscription_id\":\"s\",\"sdp\":\"\"}",
    "{\"type\":\"ping\",\"request_id\":\"has space\"}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);

  text = g_strdup_printf ("{\"type\":\"subscribe\",\"stream_id\":\"%s\"}", long_id);
  assert_refused (text, SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);
  g_free (text);
  long_id[64] = '\0';
  text = g_strdup_printf ("{\"type\":\"subscribe\",\"stream_id\":\"%s\"}", long_id);
  assert_accepted (text, SOTTO_SIGNAL_TO_SERVER);
  g_free (text);
  text = g_strdup_printf ("{\"type\":\"publish\",\"stream_id\":\"a\",\"kinds\":[\"video\"],\"name\":\"%s\"}",
                          long_name);
  assert_refused (text, SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);

  assert_refused ("{\"type\":\"welcome\",\"connection_id\":\"c1\",\"session_id\":\"S1\",\"role\":\"admin\","
                  "\"data\":null,\"rejoined\":false,\"connections\":[],\"streams\":[],\"subscriptions\":[],"
                  "\"ice_servers\":[],\"keepalive_interval_ms\":1,\"keepalive_timeout_ms\":2}",
                  SOTTO_SIGNAL_TO_CLIENT, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);
  assert_refused ("{\"type\":\"subscriber-count\",\"stream_id\":\"cam\",\"subscribers\":\"3\"}",
                  SOTTO_SIGNAL_TO_CLIENT, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);
}

/* stream-state: strictly booleans, both required, and each direction has
 * its own name so that a client cannot pass off a change as the server's. */
static void
test_stream_state (void)
{
  g_autoptr (SottoSignalMessage) msg = NULL;
  g_autoptr (GError) error = NULL;

  msg = parse ("{\"type\":\"stream-state\",\"stream_id\":\"cam\",\"audio\":false,\"video\":true}",
               SOTTO_SIGNAL_TO_SERVER, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sotto_signal_message_get_message_type (msg), ==, SOTTO_SIGNAL_TYPE_STREAM_STATE);
  g_assert_false (sotto_signal_message_get_bool (msg, "audio", TRUE));
  g_assert_true (sotto_signal_message_get_bool (msg, "video", FALSE));

  assert_refused ("{\"type\":\"stream-state\",\"stream_id\":\"cam\",\"audio\":true}",
                  SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
  assert_refused ("{\"type\":\"stream-state\",\"audio\":true,\"video\":true}",
                  SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
  assert_refused ("{\"type\":\"stream-state\",\"stream_id\":\"cam\",\"audio\":1,\"video\":true}",
                  SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);
  assert_refused ("{\"type\":\"stream-state\",\"stream_id\":\"cam\",\"audio\":true,\"video\":\"false\"}",
                  SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);
  assert_refused ("{\"type\":\"stream-state\",\"stream_id\":\"no way\",\"audio\":true,\"video\":true}",
                  SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);
  assert_refused ("{\"type\":\"stream-state\",\"stream_id\":\"cam\",\"audio\":null,\"video\":true}",
                  SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);
  assert_refused ("{\"type\":\"publish\",\"stream_id\":\"cam\",\"kinds\":[\"video\"],\"video\":0}",
                  SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);

  /* Wrong direction both ways. */
  assert_refused ("{\"type\":\"stream-state\",\"stream_id\":\"cam\",\"audio\":true,\"video\":true}",
                  SOTTO_SIGNAL_TO_CLIENT, SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE);
  assert_refused ("{\"type\":\"stream-state-changed\",\"stream_id\":\"cam\",\"audio\":true,\"video\":true}",
                  SOTTO_SIGNAL_TO_SERVER, SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE);
  assert_refused ("{\"type\":\"stream-state-changed\",\"stream_id\":\"cam\",\"video\":true}",
                  SOTTO_SIGNAL_TO_CLIENT, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);

  /* Stream objects always carry both flags, as booleans. */
  assert_refused ("{\"type\":\"stream-created\",\"stream\":{\"id\":\"cam\",\"owner\":\"c0\",\"kinds\":[\"video\"],"
                  "\"name\":\"\",\"subscribers\":0,\"audio_active\":true}}",
                  SOTTO_SIGNAL_TO_CLIENT, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
  assert_refused ("{\"type\":\"stream-created\",\"stream\":{\"id\":\"cam\",\"owner\":\"c0\",\"kinds\":[\"video\"],"
                  "\"name\":\"\",\"subscribers\":0,\"audio_active\":true,\"video_active\":\"yes\"}}",
                  SOTTO_SIGNAL_TO_CLIENT, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD);
}

static void
test_too_big (void)
{
  gsize len = SOTTO_SIGNAL_MAX_MESSAGE_SIZE + 1;
  g_autofree char *big = g_malloc (len + 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoSignalMessage) msg = NULL;

  memset (big, ' ', len);
  big[0] = '{';
  big[len - 1] = '}';
  big[len] = '\0';
  msg = sotto_signal_message_parse (big, len, SOTTO_SIGNAL_TO_SERVER, &error);
  g_assert_null (msg);
  g_assert_error (error, SOTTO_SIGNAL_MESSAGE_ERROR, SOTTO_SIGNAL_MESSAGE_ERROR_TOO_BIG);
}

static void
test_build_round_trip (void)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_CANDIDATE);
  g_autoptr (SottoSignalMessage) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  sotto_signal_message_set_string (msg, "subscription_id", "s1");
  sotto_signal_message_set_string (msg, "candidate", "candidate:1 1 UDP 1 \"quoted\" \xc3\xa9");
  sotto_signal_message_set_int (msg, "sdp_mline_index", 2);
  g_assert_true (sotto_signal_message_validate (msg, SOTTO_SIGNAL_TO_SERVER, &error));
  g_assert_no_error (error);
  /* Not valid as a forwarded message until the server adds `from`. */
  g_assert_false (sotto_signal_message_validate (msg, SOTTO_SIGNAL_TO_CLIENT, &error));
  g_assert_error (error, SOTTO_SIGNAL_MESSAGE_ERROR, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD);
  g_clear_error (&error);

  text = sotto_signal_message_to_string (msg, &len);
  g_assert_cmpuint (len, ==, strlen (text));
  back = sotto_signal_message_parse (text, len, SOTTO_SIGNAL_TO_SERVER, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sotto_signal_message_get_message_type (back), ==, SOTTO_SIGNAL_TYPE_CANDIDATE);
  g_assert_cmpstr (sotto_signal_message_get_string (back, "candidate"), ==,
                   "candidate:1 1 UDP 1 \"quoted\" \xc3\xa9");
  g_assert_cmpint (sotto_signal_message_get_int (back, "sdp_mline_index", -1), ==, 2);
  g_assert_cmpint (sotto_signal_message_get_int (back, "absent", -1), ==, -1);
  g_assert_null (sotto_signal_message_get_string (back, "sdp_mline_index"));
}

static void
test_error_message (void)
{
  g_autoptr (SottoSignalMessage) msg =
    sotto_signal_message_new_error ("forbidden", "No", "publish", "bad id!");
  g_autoptr (GError) error = NULL;

  g_assert_true (sotto_signal_message_validate (msg, SOTTO_SIGNAL_TO_CLIENT, &error));
  g_assert_no_error (error);
  /* An invalid request id is not echoed back. */
  g_assert_null (sotto_signal_message_get_string (msg, "request_id"));
  g_assert_cmpstr (sotto_signal_message_error_to_wire (SOTTO_SIGNAL_MESSAGE_ERROR_BAD_JSON), ==,
                   "bad-json");
}

static void
test_type_names (void)
{
  for (guint t = SOTTO_SIGNAL_TYPE_INVALID + 1; t < SOTTO_SIGNAL_TYPE_N_TYPES; t++)
    {
      const char *name = sotto_signal_message_type_to_string (t);

      g_assert_nonnull (name);
      g_assert_cmpint (sotto_signal_message_type_from_string (name), ==, t);
    }
  g_assert_null (sotto_signal_message_type_to_string (SOTTO_SIGNAL_TYPE_N_TYPES));
  g_assert_cmpint (sotto_signal_message_type_from_string ("nope"), ==, SOTTO_SIGNAL_TYPE_INVALID);
}

static void
test_kinds (void)
{
  g_autoptr (JsonNode) both = sotto_signal_kinds_to_node (SOTTO_SIGNAL_KIND_AUDIO | SOTTO_SIGNAL_KIND_VIDEO);

  g_assert_cmpuint (sotto_signal_kinds_from_node (both), ==,
                    SOTTO_SIGNAL_KIND_AUDIO | SOTTO_SIGNAL_KIND_VIDEO);
  g_assert_cmpuint (sotto_signal_kinds_from_node (NULL), ==, 0);
  g_assert_true (sotto_signal_id_is_valid ("A-z_09"));
  g_assert_false (sotto_signal_id_is_valid ("é"));
  g_assert_false (sotto_signal_id_is_valid (""));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/signal-message/examples", test_examples);
  g_test_add_func ("/sotto/signal-message/direction", test_direction);
  g_test_add_func ("/sotto/signal-message/bad-json", test_bad_json);
  g_test_add_func ("/sotto/signal-message/unknown-type", test_unknown_type);
  g_test_add_func ("/sotto/signal-message/missing-field", test_missing_field);
  g_test_add_func ("/sotto/signal-message/invalid-field", test_invalid_field);
  g_test_add_func ("/sotto/signal-message/stream-state", test_stream_state);
  g_test_add_func ("/sotto/signal-message/too-big", test_too_big);
  g_test_add_func ("/sotto/signal-message/build-round-trip", test_build_round_trip);
  g_test_add_func ("/sotto/signal-message/error-message", test_error_message);
  g_test_add_func ("/sotto/signal-message/type-names", test_type_names);
  g_test_add_func ("/sotto/signal-message/kinds", test_kinds);

  return g_test_run ();
}
