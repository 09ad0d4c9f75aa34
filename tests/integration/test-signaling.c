/* test-signaling.c: signaling rules of the real `sotto-server serve`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Roles, the join race, forwarding, subscriber counts, moderation and
 * session end. Liveness, rejoin and bad input are in
 * test-signaling-robustness.c.
 */
#include "test-signaling-common.h"

#include <string.h>

static void
setup (Fixture      *fx,
       gconstpointer data)
{
  fixture_start (fx, NULL);
}

static void
teardown (Fixture      *fx,
          gconstpointer data)
{
  fixture_stop (fx);
}

static const char *
str (SottoSignalMessage *msg,
     const char         *field)
{
  return sotto_signal_message_get_string (msg, field);
}

static JsonObject *
find_stream (JsonNode   *describe,
             const char *stream_id)
{
  JsonArray *streams = json_object_get_array_member (json_node_get_object (describe), "streams");

  for (guint i = 0; i < json_array_get_length (streams); i++)
    {
      JsonObject *s = json_array_get_object_element (streams, i);

      if (g_strcmp0 (json_object_get_string_member (s, "id"), stream_id) == 0)
        return s;
    }
  return NULL;
}

/* The welcome lists who is there (with token data) and the streams; the
 * others hear about the newcomer. */
static void
test_welcome (Fixture      *fx,
              gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 0);
  g_autofree char *t_mod = fixture_mint (fx, sid, "moderator", "desk-4");
  g_autofree char *t_pub = fixture_mint (fx, sid, "publisher", NULL);
  g_autoptr (Peer) mod = peer_join (t_mod);
  g_autoptr (Peer) pub = NULL;
  g_autoptr (SottoSignalMessage) created = NULL;
  g_autoptr (SottoSignalMessage) stream = NULL;
  SottoSignalMessage *welcome;
  JsonArray *connections;
  JsonObject *other;

  welcome = sotto_signaling_client_get_welcome (mod->client);
  g_assert_cmpstr (str (welcome, "role"), ==, "moderator");
  g_assert_cmpstr (str (welcome, "data"), ==, "desk-4");
  g_assert_cmpstr (str (welcome, "session_id"), ==, sid);
  g_assert_false (sotto_signal_message_get_bool (welcome, "rejoined", TRUE));
  g_assert_cmpuint (json_array_get_length (sotto_signal_message_get_array (welcome, "connections")), ==, 0);
  /* No TURN configured: no ICE servers, and no credentials anywhere. */
  g_assert_cmpuint (json_array_get_length (sotto_signal_message_get_array (welcome, "ice_servers")), ==, 0);

  g_assert_true (sotto_signaling_client_publish (mod->client, "mod-cam", SOTTO_SIGNAL_KIND_VIDEO,
                                                 "Moderator", NULL));
  g_object_unref (peer_wait (mod, "stream-created"));

  pub = peer_join (t_pub);
  welcome = sotto_signaling_client_get_welcome (pub->client);
  connections = sotto_signal_message_get_array (welcome, "connections");
  g_assert_cmpuint (json_array_get_length (connections), ==, 1);
  other = json_array_get_object_element (connections, 0);
  g_assert_cmpstr (json_object_get_string_member (other, "id"), ==, peer_id (mod));
  g_assert_cmpstr (json_object_get_string_member (other, "role"), ==, "moderator");
  g_assert_cmpstr (json_object_get_string_member (other, "data"), ==, "desk-4");
  g_assert_cmpuint (json_array_get_length (sotto_signal_message_get_array (welcome, "streams")), ==, 1);

  created = peer_wait (mod, "connection-created");
  g_assert_cmpstr (json_object_get_string_member (sotto_signal_message_get_member_object (created, "connection"), "id"),
                   ==, peer_id (pub));
  g_assert_true (json_object_get_null_member (sotto_signal_message_get_member_object (created, "connection"), "data"));
  g_assert_cmpstr (peer_id (pub), !=, peer_id (mod));

  /* Everyone, the publisher included, hears of a new stream. */
  g_assert_true (sotto_signaling_client_publish (pub->client, "cam", SOTTO_SIGNAL_KIND_AUDIO |
                                                 SOTTO_SIGNAL_KIND_VIDEO, "Camera", NULL));
  stream = peer_wait (mod, "stream-created");
  g_assert_cmpstr (json_object_get_string_member (sotto_signal_message_get_member_object (stream, "stream"), "owner"),
                   ==, peer_id (pub));
  g_object_unref (peer_wait (pub, "stream-created"));
}

static void
assert_refused (Peer       *peer,
                const char *code,
                const char *in_reply_to)
{
  g_autoptr (SottoSignalMessage) err = peer_wait (peer, "error");

  g_assert_cmpstr (str (err, "code"), ==, code);
  g_assert_cmpstr (str (err, "in_reply_to"), ==, in_reply_to);
}

/* What each role may do is enforced by the server, not by the client. */
static void
test_roles (Fixture      *fx,
            gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 0);
  g_autofree char *t_sub = fixture_mint (fx, sid, "subscriber", NULL);
  g_autofree char *t_pub = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *t_pub2 = fixture_mint (fx, sid, "publisher", NULL);
  g_autoptr (Peer) sub = peer_join (t_sub);
  g_autoptr (Peer) pub = peer_join (t_pub);
  g_autoptr (Peer) pub2 = peer_join (t_pub2);
  g_autoptr (SottoSignalMessage) subscribed = NULL;

  /* Subscribers cannot publish or unpublish. */
  g_assert_true (sotto_signaling_client_publish (sub->client, "sneaky", SOTTO_SIGNAL_KIND_AUDIO, NULL, NULL));
  assert_refused (sub, "forbidden", "publish");
  g_assert_true (sotto_signaling_client_unpublish (sub->client, "sneaky", NULL));
  assert_refused (sub, "forbidden", "unpublish");
  g_assert_false (peer_has (pub, "stream-created"));

  /* Publishers publish; another publisher cannot take the id or unpublish it. */
  g_assert_true (sotto_signaling_client_publish (pub->client, "cam", SOTTO_SIGNAL_KIND_VIDEO, "C", NULL));
  g_object_unref (peer_wait (sub, "stream-created"));
  g_assert_true (sotto_signaling_client_publish (pub2->client, "cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  assert_refused (pub2, "stream-exists", "publish");
  g_assert_true (sotto_signaling_client_unpublish (pub2->client, "cam", NULL));
  assert_refused (pub2, "not-yours", "unpublish");

  /* Only moderators moderate. */
  g_assert_true (sotto_signaling_client_force_unpublish (pub2->client, "cam", "mine now", NULL));
  assert_refused (pub2, "forbidden", "force-unpublish");
  g_assert_true (sotto_signaling_client_force_disconnect (sub->client, peer_id (pub), NULL, NULL));
  assert_refused (sub, "forbidden", "force-disconnect");

  /* Subscribers subscribe; nobody subscribes to their own stream or twice. */
  g_assert_true (sotto_signaling_client_subscribe (sub->client, "cam", NULL));
  subscribed = peer_wait (sub, "subscription-created");
  g_assert_cmpstr (str (subscribed, "publisher"), ==, peer_id (pub));
  g_assert_cmpstr (str (subscribed, "subscriber"), ==, peer_id (sub));
  g_object_unref (peer_wait (pub, "subscription-created"));
  g_assert_true (sotto_signaling_client_subscribe (sub->client, "cam", NULL));
  assert_refused (sub, "already-subscribed", "subscribe");
  g_assert_true (sotto_signaling_client_subscribe (pub->client, "cam", NULL));
  assert_refused (pub, "not-yours", "subscribe");
  g_assert_true (sotto_signaling_client_subscribe (sub->client, "no-such", NULL));
  assert_refused (sub, "no-such-stream", "subscribe");

  /* The owner unpublishes: subscribers lose the subscription, all hear it. */
  g_assert_true (sotto_signaling_client_unpublish (pub->client, "cam", NULL));
  g_object_unref (peer_wait (sub, "subscription-destroyed"));
  g_object_unref (peer_wait (sub, "stream-destroyed"));
  g_object_unref (peer_wait (pub2, "stream-destroyed"));
}

typedef struct
{
  guint joined;
  guint full;
  guint other;
  guint done;
} RaceTally;

static void
on_race_connected (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RaceTally *tally = user_data;
  g_autoptr (GError) error = NULL;

  if (sotto_signaling_client_connect_finish (SOTTO_SIGNALING_CLIENT (source), result, &error))
    tally->joined++;
  else if (g_error_matches (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_SESSION_FULL))
    tally->full++;
  else
    {
      g_printerr ("# unexpected: %s\n", error->message);
      tally->other++;
    }
  tally->done++;
}

/* Fifty clients race for a four-seat session: exactly four get in. */
static void
test_fifty_into_four (Fixture      *fx,
                      gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 4);
  g_autoptr (GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (JsonNode) describe = NULL;
  RaceTally tally = { 0 };
  gint64 deadline;

  /* Minted here with the deployment's credentials, as a backend would,
   * rather than with fifty REST round trips. */
  for (guint i = 0; i < 50; i++)
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      SottoTokenClaims claims = {
        .api_key = fx->server->api_key,
        .session_id = sid,
        .role = SOTTO_ROLE_PUBLISHER,
        .issued_at = now,
        .expires_at = now + 600,
        .url = fx->server->public_url,
        .pin = fx->server->pin,
      };
      g_autofree char *token = sotto_token_mint (&claims, fx->server->api_secret, NULL);

      g_assert_nonnull (token);
      g_ptr_array_add (clients, sotto_signaling_client_new (token, NULL));
    }
  /* All started before any completes: the joins truly race. */
  for (guint i = 0; i < clients->len; i++)
    sotto_signaling_client_connect_async (g_ptr_array_index (clients, i), NULL, on_race_connected, &tally);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (tally.done < 50 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (tally.done, ==, 50);
  g_assert_cmpuint (tally.joined, ==, 4);
  g_assert_cmpuint (tally.full, ==, 46);
  g_assert_cmpuint (tally.other, ==, 0);

  describe = fixture_describe (fx, sid);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (describe),
                                                                          "connections")), ==, 4);
}

/* Offers, answers and candidates reach the other end of their subscription
 * and nobody else; a third party cannot inject into it. */
static void
test_forwarding (Fixture      *fx,
                 gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 0);
  g_autofree char *ta = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *tb = fixture_mint (fx, sid, "subscriber", NULL);
  g_autofree char *tc = fixture_mint (fx, sid, "moderator", NULL);
  g_autoptr (Peer) a = peer_join (ta);
  g_autoptr (Peer) b = peer_join (tb);
  g_autoptr (Peer) c = peer_join (tc);
  g_autoptr (SottoSignalMessage) sub_b = NULL;
  g_autoptr (SottoSignalMessage) sub_c = NULL;
  g_autoptr (SottoSignalMessage) offer = NULL;
  g_autoptr (SottoSignalMessage) answer = NULL;
  g_autoptr (SottoSignalMessage) cand = NULL;
  g_autofree char *sb = NULL;
  g_autofree char *sc = NULL;

  g_assert_true (sotto_signaling_client_publish (a->client, "cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  g_object_unref (peer_wait (b, "stream-created"));
  g_assert_true (sotto_signaling_client_subscribe (b->client, "cam", NULL));
  sub_b = peer_wait (b, "subscription-created");
  sb = g_strdup (str (sub_b, "subscription_id"));
  g_assert_true (sotto_signaling_client_subscribe (c->client, "cam", NULL));
  sub_c = peer_wait (c, "subscription-created");
  sc = g_strdup (str (sub_c, "subscription_id"));
  g_assert_cmpstr (sb, !=, sc);
  /* Subscriptions are private to their ends. */
  g_assert_false (peer_has (c, "subscription-created"));
  peer_clear_inbox (a);

  g_assert_true (sotto_signaling_client_send_sdp (a->client, SOTTO_SIGNAL_TYPE_OFFER, sb,
                                                  "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n", NULL));
  offer = peer_wait (b, "offer");
  g_assert_cmpstr (str (offer, "from"), ==, peer_id (a));
  g_assert_cmpstr (str (offer, "subscription_id"), ==, sb);
  g_assert_cmpstr (str (offer, "sdp"), ==, "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n");

  g_assert_true (sotto_signaling_client_send_sdp (b->client, SOTTO_SIGNAL_TYPE_ANSWER, sb, "v=0\r\n", NULL));
  answer = peer_wait (a, "answer");
  g_assert_cmpstr (str (answer, "from"), ==, peer_id (b));
  g_assert_true (sotto_signaling_client_send_candidate (b->client, sb, "candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host",
                                                        "0", 0, NULL));
  cand = peer_wait (a, "candidate");
  g_assert_cmpstr (str (cand, "candidate"), ==, "candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host");
  g_assert_cmpstr (str (cand, "sdp_mid"), ==, "0");
  g_assert_cmpint (sotto_signal_message_get_int (cand, "sdp_mline_index", -1), ==, 0);

  /* C is in the session but not in B's subscription: it cannot write into
   * it, and it never saw any of the above. */
  g_assert_true (sotto_signaling_client_send_sdp (c->client, SOTTO_SIGNAL_TYPE_OFFER, sb, "v=0\r\n", NULL));
  assert_refused (c, "not-yours", "offer");
  g_assert_true (sotto_signaling_client_send_candidate (c->client, sb, "candidate:x", NULL, -1, NULL));
  assert_refused (c, "not-yours", "candidate");
  g_assert_true (sotto_signaling_client_send_sdp (c->client, SOTTO_SIGNAL_TYPE_ANSWER, "made-up", "v=0\r\n", NULL));
  assert_refused (c, "no-such-subscription", "answer");
  spin (200);
  g_assert_false (peer_has (c, "offer"));
  g_assert_false (peer_has (c, "answer"));
  g_assert_false (peer_has (c, "candidate"));
  g_assert_false (peer_has (b, "offer"));
  g_assert_false (peer_has (a, "offer"));
}

static gint64
count_of (SottoSignalMessage *msg)
{
  return sotto_signal_message_get_int (msg, "subscribers", -1);
}

/* A subscription counts once both ends report media connected; everyone,
 * and the REST API, sees the count follow subscriptions as they come and go. */
static void
test_subscriber_counts (Fixture      *fx,
                        gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 0);
  g_autofree char *ta = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *tb = fixture_mint (fx, sid, "subscriber", NULL);
  g_autofree char *tc = fixture_mint (fx, sid, "subscriber", NULL);
  g_autofree char *tm = fixture_mint (fx, sid, "moderator", NULL);
  g_autoptr (Peer) a = peer_join (ta);
  g_autoptr (Peer) b = peer_join (tb);
  g_autoptr (Peer) c = peer_join (tc);
  g_autoptr (Peer) m = peer_join (tm);
  g_autoptr (SottoSignalMessage) msg = NULL;
  g_autoptr (JsonNode) describe = NULL;
  g_autofree char *sb = NULL;
  g_autofree char *sc = NULL;

  g_assert_true (sotto_signaling_client_publish (a->client, "cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  g_object_unref (peer_wait (b, "stream-created"));
  g_object_unref (peer_wait (c, "stream-created"));
  g_assert_true (sotto_signaling_client_subscribe (b->client, "cam", NULL));
  msg = peer_wait (b, "subscription-created");
  sb = g_strdup (str (msg, "subscription_id"));
  g_clear_object (&msg);
  g_assert_true (sotto_signaling_client_subscribe (c->client, "cam", NULL));
  msg = peer_wait (c, "subscription-created");
  sc = g_strdup (str (msg, "subscription_id"));
  g_clear_object (&msg);

  /* One end is not enough. */
  g_assert_true (sotto_signaling_client_report_media (b->client, sb, TRUE, NULL));
  spin (200);
  g_assert_false (peer_has (m, "subscriber-count"));
  g_assert_true (sotto_signaling_client_report_media (a->client, sb, TRUE, NULL));
  msg = peer_wait (m, "subscriber-count");
  g_assert_cmpstr (str (msg, "stream_id"), ==, "cam");
  g_assert_cmpint (count_of (msg), ==, 1);
  g_clear_object (&msg);
  msg = peer_wait (c, "subscriber-count");   /* every participant, not only moderators */
  g_assert_cmpint (count_of (msg), ==, 1);
  g_clear_object (&msg);

  g_assert_true (sotto_signaling_client_report_media (a->client, sc, TRUE, NULL));
  g_assert_true (sotto_signaling_client_report_media (c->client, sc, TRUE, NULL));
  msg = peer_wait (m, "subscriber-count");
  g_assert_cmpint (count_of (msg), ==, 2);
  g_clear_object (&msg);
  describe = fixture_describe (fx, sid);
  g_assert_cmpint (json_object_get_int_member (find_stream (describe, "cam"), "subscribers"), ==, 2);
  g_clear_pointer (&describe, json_node_unref);

  /* Media ends on one subscription: down to one. */
  g_assert_true (sotto_signaling_client_report_media (b->client, sb, FALSE, NULL));
  msg = peer_wait (m, "subscriber-count");
  g_assert_cmpint (count_of (msg), ==, 1);
  g_clear_object (&msg);

  /* A counted subscription goes away: down to zero. */
  g_assert_true (sotto_signaling_client_unsubscribe (c->client, sc, NULL));
  msg = peer_wait (m, "subscriber-count");
  g_assert_cmpint (count_of (msg), ==, 0);
  g_clear_object (&msg);
  g_object_unref (peer_wait (a, "subscription-destroyed"));
  describe = fixture_describe (fx, sid);
  g_assert_cmpint (json_object_get_int_member (find_stream (describe, "cam"), "subscribers"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (describe), "totals"),
                                               "subscriptions"), ==, 1);
}

/* A moderator removes a participant: it is told who and why, everyone else
 * sees it go, and its token no longer works. */
static void
test_force_disconnect (Fixture      *fx,
                       gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 0);
  g_autofree char *tm = fixture_mint (fx, sid, "moderator", NULL);
  g_autofree char *tb = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *tc = fixture_mint (fx, sid, "publisher", NULL);
  g_autoptr (Peer) m = peer_join (tm);
  g_autoptr (Peer) b = peer_join (tb);
  g_autoptr (Peer) c = peer_join (tc);
  g_autoptr (Peer) again = NULL;
  g_autoptr (SottoSignalMessage) told = NULL;
  g_autoptr (SottoSignalMessage) gone = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *b_id = g_strdup (peer_id (b));

  g_assert_true (sotto_signaling_client_publish (b->client, "b-cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  g_object_unref (peer_wait (c, "stream-created"));

  g_assert_true (sotto_signaling_client_force_disconnect (m->client, b_id, "off-topic", NULL));
  told = peer_wait (b, "force-disconnected");
  g_assert_cmpstr (str (told, "by"), ==, peer_id (m));
  g_assert_cmpstr (str (told, "reason"), ==, "off-topic");
  peer_wait_closed (b);
  g_assert_error (b->closed_error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_KICKED);

  g_object_unref (peer_wait (c, "stream-destroyed"));
  gone = peer_wait (c, "connection-destroyed");
  g_assert_cmpstr (str (gone, "connection_id"), ==, b_id);
  g_assert_cmpstr (str (gone, "reason"), ==, "force-disconnected");

  /* Revoked: the same token cannot come back. */
  again = peer_new (tb);
  error = peer_connect (again);
  g_assert_error (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_REFUSED);
  g_clear_error (&error);

  /* The backend can do the same over REST; the target is told it was the server. */
  path = g_strdup_printf ("/v1/sessions/%s/connections/%s/disconnect", sid, peer_id (c));
  g_assert_cmpuint (sotto_test_server_request (fx->server, "POST", path, "{\"reason\":\"policy\"}",
                                               fx->auth, NULL) / 100, ==, 2);
  g_clear_object (&told);
  told = peer_wait (c, "force-disconnected");
  g_assert_cmpstr (str (told, "by"), ==, "server");
  peer_wait_closed (c);
  g_assert_error (c->closed_error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_KICKED);
  g_clear_pointer (&again, peer_free);
  again = peer_new (tc);
  error = peer_connect (again);
  g_assert_error (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_REFUSED);
}

static void
test_force_unpublish (Fixture      *fx,
                      gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 0);
  g_autofree char *tm = fixture_mint (fx, sid, "moderator", NULL);
  g_autofree char *ta = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *tb = fixture_mint (fx, sid, "subscriber", NULL);
  g_autoptr (Peer) m = peer_join (tm);
  g_autoptr (Peer) a = peer_join (ta);
  g_autoptr (Peer) b = peer_join (tb);
  g_autoptr (SottoSignalMessage) told = NULL;
  g_autoptr (SottoSignalMessage) destroyed = NULL;
  g_autofree char *path = NULL;

  g_assert_true (sotto_signaling_client_publish (a->client, "cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  g_object_unref (peer_wait (b, "stream-created"));
  g_assert_true (sotto_signaling_client_subscribe (b->client, "cam", NULL));
  g_object_unref (peer_wait (b, "subscription-created"));

  g_assert_true (sotto_signaling_client_force_unpublish (m->client, "cam", "copyright", NULL));
  told = peer_wait (a, "force-unpublished");
  g_assert_cmpstr (str (told, "stream_id"), ==, "cam");
  g_assert_cmpstr (str (told, "by"), ==, peer_id (m));
  g_assert_cmpstr (str (told, "reason"), ==, "copyright");
  g_object_unref (peer_wait (b, "subscription-destroyed"));
  destroyed = peer_wait (b, "stream-destroyed");
  g_assert_cmpstr (str (destroyed, "reason"), ==, "force-unpublished");
  /* The publisher stays connected and may publish again. */
  g_assert_cmpint (sotto_signaling_client_get_state (a->client), ==, SOTTO_SIGNALING_CLIENT_STATE_CONNECTED);
  g_assert_true (sotto_signaling_client_publish (a->client, "cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  g_object_unref (peer_wait (b, "stream-created"));

  /* Over REST as well. */
  path = g_strdup_printf ("/v1/sessions/%s/streams/cam/unpublish", sid);
  g_assert_cmpuint (sotto_test_server_request (fx->server, "POST", path, "{}", fx->auth, NULL) / 100, ==, 2);
  g_clear_object (&told);
  told = peer_wait (a, "force-unpublished");
  g_assert_cmpstr (str (told, "by"), ==, "server");
  g_assert_true (sotto_signaling_client_force_unpublish (m->client, "cam", NULL, NULL));
  assert_refused (m, "no-such-stream", "force-unpublish");
}

/* Ending a session disconnects everyone and its tokens stop working. */
static void
test_session_end (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 0);
  g_autofree char *other_sid = fixture_new_session (fx, 0);
  g_autofree char *ta = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *tb = fixture_mint (fx, sid, "subscriber", NULL);
  g_autofree char *tfresh = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *tother = fixture_mint (fx, other_sid, "publisher", NULL);
  g_autoptr (Peer) a = peer_join (ta);
  g_autoptr (Peer) b = peer_join (tb);
  g_autoptr (Peer) other = peer_join (tother);
  g_autoptr (Peer) late = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/sessions/%s", sid);

  g_assert_cmpuint (sotto_test_server_request (fx->server, "DELETE", path, NULL, fx->auth, NULL) / 100, ==, 2);
  g_object_unref (peer_wait (a, "session-ended"));
  g_object_unref (peer_wait (b, "session-ended"));
  peer_wait_closed (a);
  peer_wait_closed (b);
  g_assert_error (a->closed_error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_SESSION_ENDED);
  g_assert_error (b->closed_error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_SESSION_ENDED);

  late = peer_new (tfresh);
  error = peer_connect (late);
  g_assert_error (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_SESSION_ENDED);

  /* Another session is untouched. */
  g_assert_false (other->closed);
  g_assert_true (sotto_signaling_client_publish (other->client, "x", SOTTO_SIGNAL_KIND_AUDIO, NULL, NULL));
  g_object_unref (peer_wait (other, "stream-created"));
}

static JsonObject *
stream_in_welcome (Peer       *peer,
                   const char *stream_id)
{
  JsonArray *streams = sotto_signal_message_get_array (sotto_signaling_client_get_welcome (peer->client),
                                                       "streams");

  for (guint i = 0; i < json_array_get_length (streams); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (streams, i), "id"),
                   stream_id) == 0)
      return json_array_get_object_element (streams, i);
  return NULL;
}

/* A publisher turns its camera off: everyone hears it, a late joiner and the
 * REST API see it, and only the stream's owner may say so. */
static void
test_stream_state (Fixture      *fx,
                   gconstpointer data)
{
  g_autofree char *sid = fixture_new_session (fx, 0);
  g_autofree char *t_a = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *t_b = fixture_mint (fx, sid, "subscriber", NULL);
  g_autofree char *t_c = fixture_mint (fx, sid, "publisher", NULL);
  g_autofree char *t_d = fixture_mint (fx, sid, "publisher", NULL);
  g_autoptr (Peer) a = peer_join (t_a);
  g_autoptr (Peer) b = peer_join (t_b);
  g_autoptr (Peer) c = NULL;
  g_autoptr (Peer) d = NULL;
  g_autoptr (SottoSignalMessage) created = NULL;
  g_autoptr (SottoSignalMessage) changed = NULL;
  g_autoptr (SottoSignalMessage) echoed = NULL;
  g_autoptr (SottoSignalMessage) publish = NULL;
  g_autoptr (JsonNode) describe = NULL;
  JsonObject *stream;

  g_assert_true (sotto_signaling_client_publish (a->client, "cam", SOTTO_SIGNAL_KIND_AUDIO | SOTTO_SIGNAL_KIND_VIDEO,
                                                 "Camera", NULL));
  created = peer_wait (b, "stream-created");
  stream = sotto_signal_message_get_member_object (created, "stream");
  g_assert_true (json_object_get_boolean_member (stream, "audio_active"));
  g_assert_true (json_object_get_boolean_member (stream, "video_active"));
  g_object_unref (peer_wait (a, "stream-created"));

  g_assert_true (sotto_signaling_client_set_stream_state (a->client, "cam", TRUE, FALSE, NULL));
  changed = peer_wait (b, "stream-state-changed");
  g_assert_cmpstr (str (changed, "stream_id"), ==, "cam");
  g_assert_true (sotto_signal_message_get_bool (changed, "audio", FALSE));
  g_assert_false (sotto_signal_message_get_bool (changed, "video", TRUE));
  /* The owner's acknowledgement is the same message. */
  echoed = peer_wait (a, "stream-state-changed");
  g_assert_false (sotto_signal_message_get_bool (echoed, "video", TRUE));

  /* A late joiner sees the camera off in its welcome. */
  c = peer_join (t_c);
  stream = stream_in_welcome (c, "cam");
  g_assert_nonnull (stream);
  g_assert_true (json_object_get_boolean_member (stream, "audio_active"));
  g_assert_false (json_object_get_boolean_member (stream, "video_active"));

  /* Moderators see it over REST. */
  describe = fixture_describe (fx, sid);
  stream = find_stream (describe, "cam");
  g_assert_nonnull (stream);
  g_assert_true (json_object_get_boolean_member (stream, "audio_active"));
  g_assert_false (json_object_get_boolean_member (stream, "video_active"));

  /* A subscriber has no stream to speak for; nobody speaks for another's. */
  peer_clear_inbox (a);
  peer_clear_inbox (b);
  g_assert_true (sotto_signaling_client_set_stream_state (b->client, "cam", FALSE, FALSE, NULL));
  assert_refused (b, "forbidden", "stream-state");
  g_assert_true (sotto_signaling_client_set_stream_state (c->client, "cam", FALSE, FALSE, NULL));
  assert_refused (c, "not-yours", "stream-state");
  g_assert_true (sotto_signaling_client_set_stream_state (c->client, "nope", FALSE, FALSE, NULL));
  assert_refused (c, "no-such-stream", "stream-state");
  spin (100);
  g_assert_false (peer_has (a, "stream-state-changed"));
  g_assert_false (peer_has (b, "stream-state-changed"));

  /* A stream published with its camera already off says so from the start. */
  d = peer_join (t_d);
  publish = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_PUBLISH);
  sotto_signal_message_set_string (publish, "stream_id", "d-cam");
  sotto_signal_message_take_node (publish, "kinds", sotto_signal_kinds_to_node (SOTTO_SIGNAL_KIND_VIDEO));
  sotto_signal_message_set_bool (publish, "audio", FALSE);
  sotto_signal_message_set_bool (publish, "video", FALSE);
  g_assert_true (sotto_signaling_client_send (d->client, publish, NULL));
  g_clear_object (&created);
  created = peer_wait (b, "stream-created");
  stream = sotto_signal_message_get_member_object (created, "stream");
  g_assert_cmpstr (json_object_get_string_member (stream, "id"), ==, "d-cam");
  g_assert_false (json_object_get_boolean_member (stream, "video_active"));
  g_assert_false (json_object_get_boolean_member (stream, "audio_active"));

  /* Back on. */
  g_assert_true (sotto_signaling_client_set_stream_state (a->client, "cam", TRUE, TRUE, NULL));
  g_clear_object (&changed);
  changed = peer_wait (c, "stream-state-changed");
  g_assert_true (sotto_signal_message_get_bool (changed, "video", FALSE));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/sotto/signaling/" path, Fixture, NULL, setup, func, teardown)
  ADD ("welcome", test_welcome);
  ADD ("roles", test_roles);
  ADD ("fifty-into-four", test_fifty_into_four);
  ADD ("forwarding", test_forwarding);
  ADD ("subscriber-counts", test_subscriber_counts);
  ADD ("force-disconnect", test_force_disconnect);
  ADD ("force-unpublish", test_force_unpublish);
  ADD ("session-end", test_session_end);
  ADD ("stream-state", test_stream_state);
#undef ADD

  return g_test_run ();
}
