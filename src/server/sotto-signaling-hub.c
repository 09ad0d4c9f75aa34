/* sotto-signaling-hub.c: WebSocket signaling at /v1/signal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything runs on the server's GMainContext, so the join check (token,
 * session, revocation, seat count) and the seat it grants happen in one
 * callback with nothing in between: fifty clients racing for four seats get
 * exactly four. docs/protocol.md ("Signaling") is the specification.
 *
 *   socket --handshake--> peer --join--> connection (in a session)
 *                          |                 | socket drops: detached, kept
 *                          |                 |   for the rejoin grace period
 *                          |                 | silent past the keepalive
 *                          |                 |   timeout: torn down at once
 *
 * Tokens and secrets are never logged; refusals are logged by code only.
 */
#define G_LOG_DOMAIN "sotto-signaling"

#include "sotto-config.h"

#include "sotto-signaling-hub.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "sotto-signaling-session.h"

#define DEFAULT_KEEPALIVE_INTERVAL_MS 10000
#define DEFAULT_GRACE_MS              10000
#define JOIN_TIMEOUT_MS               10000
#define RATE_PER_SECOND               100     /* sustained messages per connection */
#define RATE_CLOSE_AFTER              1000    /* consecutive dropped messages */
#define TURN_CREDENTIAL_TTL           (12 * 3600)  /* seconds */

struct _SottoSignalingHub
{
  GObject           parent_instance;

  SottoServerStore *store;
  SottoDeployment  *deployment;
  guint             max_participants_default;

  GHashTable       *sessions;   /* id -> owned SottoSignalingSession */
  GHashTable       *peers;      /* SottoSignalingPeer (GRcBox) set, one reference each */

  guint             keepalive_interval_ms;
  guint             keepalive_timeout_ms;
  guint             grace_ms;
  double            rate_per_second;   /* burst is twice this */
  GSource          *sweep;
};

G_DEFINE_FINAL_TYPE (SottoSignalingHub, sotto_signaling_hub, G_TYPE_OBJECT)

G_DEFINE_QUARK (sotto-signaling-hub-error-quark, sotto_signaling_hub_error)

static void hub_restart_sweep (SottoSignalingHub *self);

static void
peer_clear (SottoSignalingPeer *peer)
{
  g_clear_object (&peer->ws);
}

static void
peer_unref (SottoSignalingPeer *peer)
{
  g_rc_box_release_full (peer, (GDestroyNotify) peer_clear);
}

static gboolean
ws_is_open (SottoSignalingPeer *peer)
{
  return sotto_signal_socket_is_open (peer->ws);
}

static void
peer_send (SottoSignalingPeer *peer,
           SottoSignalMessage *msg)
{
  g_autofree char *text = NULL;

  if (!ws_is_open (peer))
    return;
  text = sotto_signal_message_to_string (msg, NULL);
  sotto_signal_socket_send_text (peer->ws, text);
}

static void
peer_send_error (SottoSignalingPeer *peer,
                 const char         *code,
                 const char         *message,
                 SottoSignalMessage *in_reply_to)
{
  g_autoptr (SottoSignalMessage) reply = NULL;
  const char *type = NULL;
  const char *request_id = NULL;

  if (in_reply_to != NULL)
    {
      type = sotto_signal_message_type_to_string (sotto_signal_message_get_message_type (in_reply_to));
      request_id = sotto_signal_message_get_string (in_reply_to, "request_id");
    }
  reply = sotto_signal_message_new_error (code, message, type, request_id);
  peer_send (peer, reply);
}

static void
peer_close (SottoSignalingPeer *peer,
            gushort             code,
            const char         *reason)
{
  if (ws_is_open (peer))
    sotto_signal_socket_close (peer->ws, code, reason);
}

static void
hub_drop_session_if_empty (SottoSignalingHub     *self,
                           SottoSignalingSession *session)
{
  if (sotto_signaling_session_is_empty (session))
    g_hash_table_remove (self->sessions, session->id);
}

/* TURN REST API credentials (draft-uberti-behave-turn-rest, coturn's
 * use-auth-secret): username "<expiry>:<connection id>", password
 * base64(HMAC-SHA1(secret, username)). */
static JsonNode *
build_ice_servers (SottoSignalingHub *self,
                   const char        *connection_id)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  const char *turn_url = sotto_deployment_get_turn_url (self->deployment);
  const char *turn_secret = sotto_deployment_get_turn_secret (self->deployment);

  json_builder_begin_array (builder);
  if (turn_url != NULL && turn_secret != NULL)
    {
      g_autofree char *username = g_strdup_printf ("%" G_GINT64_FORMAT ":%s",
                                                   g_get_real_time () / G_USEC_PER_SEC +
                                                   TURN_CREDENTIAL_TTL,
                                                   connection_id);
      guint8 mac[EVP_MAX_MD_SIZE];
      unsigned int mac_len = 0;
      g_autofree char *credential = NULL;

      HMAC (EVP_sha1 (), turn_secret, (int) strlen (turn_secret),
            (const guint8 *) username, strlen (username), mac, &mac_len);
      credential = g_base64_encode (mac, mac_len);
      OPENSSL_cleanse (mac, sizeof mac);

      /* A TURN server answers STUN binding requests on the same port. */
      if (g_str_has_prefix (turn_url, "turn:"))
        {
          g_autofree char *stun = g_strconcat ("stun:", turn_url + strlen ("turn:"), NULL);
          char *query = strchr (stun, '?');

          if (query != NULL)
            *query = '\0';
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "urls");
          json_builder_begin_array (builder);
          json_builder_add_string_value (builder, stun);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "urls");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, turn_url);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, username);
      json_builder_set_member_name (builder, "credential");
      json_builder_add_string_value (builder, credential);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static void
refuse_join (SottoSignalingPeer *peer,
             SottoSignalMessage *msg,
             const char         *code,
             const char         *message,
             gushort             close_code)
{
  g_debug ("join refused: %s", code);
  peer_send_error (peer, code, message, msg);
  peer_close (peer, close_code, code);
}

static void
handle_join (SottoSignalingHub  *self,
             SottoSignalingPeer *peer,
             SottoSignalMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoToken) token = NULL;
  g_autoptr (SottoSignalMessage) welcome = NULL;
  SottoSignalingSession *session;
  SottoSignalingConnection *conn;
  const char *session_id;
  guint max_participants = 0;
  gboolean ended = FALSE;
  gboolean rejoined = FALSE;

  token = sotto_token_verify (sotto_signal_message_get_string (msg, "token"),
                              sotto_deployment_get_api_secret (self->deployment),
                              NULL, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (token == NULL)
    {
      if (g_error_matches (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_EXPIRED) ||
          g_error_matches (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_NOT_YET_VALID))
        refuse_join (peer, msg, SOTTO_SIGNAL_ERROR_CODE_EXPIRED_TOKEN,
                     "The token has expired or is not valid yet", SOTTO_SIGNAL_CLOSE_EXPIRED_TOKEN);
      else
        refuse_join (peer, msg, SOTTO_SIGNAL_ERROR_CODE_BAD_TOKEN,
                     "The token is not valid for this server", SOTTO_SIGNAL_CLOSE_BAD_TOKEN);
      return;
    }
  if (g_strcmp0 (sotto_token_get_api_key (token),
                 sotto_deployment_get_api_key (self->deployment)) != 0)
    {
      refuse_join (peer, msg, SOTTO_SIGNAL_ERROR_CODE_BAD_TOKEN,
                   "The token was issued for another deployment", SOTTO_SIGNAL_CLOSE_BAD_TOKEN);
      return;
    }

  session_id = sotto_token_get_session_id (token);
  if (!sotto_server_store_lookup_session (self->store, session_id, &max_participants, &ended, &error))
    {
      if (g_error_matches (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_NOT_FOUND) ||
          g_error_matches (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_INVALID_ID))
        refuse_join (peer, msg, SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_SESSION,
                     "The session does not exist", SOTTO_SIGNAL_CLOSE_NO_SUCH_SESSION);
      else
        {
          g_warning ("Cannot look up a session: %s", error->message);
          refuse_join (peer, msg, SOTTO_SIGNAL_ERROR_CODE_SERVER_ERROR,
                       "The server cannot check the session now; try again",
                       SOTTO_SIGNAL_CLOSE_SERVER_ERROR);
        }
      return;
    }
  if (ended)
    {
      refuse_join (peer, msg, SOTTO_SIGNAL_ERROR_CODE_SESSION_ENDED,
                   "The session has ended", SOTTO_SIGNAL_CLOSE_SESSION_ENDED);
      return;
    }
  if (sotto_server_store_is_token_revoked (self->store, sotto_token_get_id (token)))
    {
      refuse_join (peer, msg, SOTTO_SIGNAL_ERROR_CODE_REVOKED_TOKEN,
                   "The token has been revoked", SOTTO_SIGNAL_CLOSE_REVOKED_TOKEN);
      return;
    }

  session = g_hash_table_lookup (self->sessions, session_id);
  if (session == NULL)
    {
      session = sotto_signaling_session_new (session_id, max_participants != 0
                                                         ? max_participants
                                                         : self->max_participants_default);
      g_hash_table_insert (self->sessions, session->id, session);
    }

  conn = sotto_signaling_session_find_by_jti (session, sotto_token_get_id (token));
  if (conn != NULL)
    {
      /* Same token again: the same participant on a new socket. The old
       * socket, if the server still thinks it is alive, is replaced. */
      if (conn->peer != NULL)
        {
          SottoSignalingPeer *old = conn->peer;

          old->conn = NULL;
          conn->peer = NULL;
          peer_close (old, SOTTO_SIGNAL_CLOSE_REPLACED, "replaced by a new connection");
        }
      rejoined = TRUE;
    }
  else
    {
      /* Detached connections keep their seat until their grace ends. */
      if (session->max_participants != 0 &&
          g_hash_table_size (session->connections) >= session->max_participants)
        {
          refuse_join (peer, msg, SOTTO_SIGNAL_ERROR_CODE_SESSION_FULL,
                       "The session is full", SOTTO_SIGNAL_CLOSE_SESSION_FULL);
          hub_drop_session_if_empty (self, session);
          return;
        }
      conn = sotto_signaling_session_add (session, token);
    }

  welcome = sotto_signaling_session_build_welcome (session, conn, rejoined);
  sotto_signal_message_take_node (welcome, "ice_servers", build_ice_servers (self, conn->id));
  sotto_signal_message_set_int (welcome, "keepalive_interval_ms", self->keepalive_interval_ms);
  sotto_signal_message_set_int (welcome, "keepalive_timeout_ms", self->keepalive_timeout_ms);
  peer_send (peer, welcome);
  sotto_signaling_connection_attach (conn, peer);
  sotto_signal_socket_admit (peer->ws);
  g_debug ("connection %s joined session (%u present)%s", conn->id,
           g_hash_table_size (session->connections), rejoined ? ", rejoined" : "");
}

/* Revokes the target's token, tells it who and why, and removes it. */
static gboolean
do_force_disconnect (SottoSignalingHub        *self,
                     SottoSignalingSession    *session,
                     SottoSignalingConnection *target,
                     const char               *by,
                     const char               *reason,
                     GError                  **error)
{
  g_autoptr (SottoSignalMessage) told = NULL;
  g_autoptr (GError) local_error = NULL;

  if (!sotto_server_store_revoke_token (self->store, target->jti, target->expires_at, &local_error))
    {
      g_set_error (error, SOTTO_SIGNALING_HUB_ERROR, SOTTO_SIGNALING_HUB_ERROR_STORE,
                   "Cannot revoke the participant's token: %s", local_error->message);
      return FALSE;
    }
  told = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_FORCE_DISCONNECTED);
  sotto_signal_message_set_string (told, "by", by);
  sotto_signal_message_set_string (told, "reason", reason);
  sotto_signaling_connection_send (target, told);
  g_hash_table_remove (session->connection_ids, target->jti);
  sotto_signaling_session_remove (session, target, "force-disconnected", SOTTO_SIGNAL_CLOSE_KICKED);
  return TRUE;
}

static void
handle_moderation (SottoSignalingHub        *self,
                   SottoSignalingPeer       *peer,
                   SottoSignalingConnection *conn,
                   SottoSignalMessage       *msg)
{
  SottoSignalingSession *session = conn->session;
  const char *reason = sotto_signal_message_get_string (msg, "reason");

  if (conn->role != SOTTO_ROLE_MODERATOR)
    {
      peer_send_error (peer, SOTTO_SIGNAL_ERROR_CODE_FORBIDDEN,
                       "Only moderators can force-disconnect or force-unpublish", msg);
      return;
    }
  if (reason == NULL)
    reason = "";

  if (sotto_signal_message_get_message_type (msg) == SOTTO_SIGNAL_TYPE_FORCE_DISCONNECT)
    {
      const char *target_id = sotto_signal_message_get_string (msg, "connection_id");
      SottoSignalingConnection *target = g_hash_table_lookup (session->connections, target_id);
      g_autoptr (GError) error = NULL;

      if (target == NULL)
        peer_send_error (peer, SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_CONNECTION,
                         "No connection with this id in the session", msg);
      else if (target == conn)
        peer_send_error (peer, SOTTO_SIGNAL_ERROR_CODE_FORBIDDEN,
                         "A moderator leaves with `leave`, not by disconnecting itself", msg);
      else if (!do_force_disconnect (self, session, target, conn->id, reason, &error))
        {
          g_warning ("%s", error->message);
          peer_send_error (peer, SOTTO_SIGNAL_ERROR_CODE_SERVER_ERROR,
                           "The server could not revoke the token; try again", msg);
        }
    }
  else
    {
      const char *stream_id = sotto_signal_message_get_string (msg, "stream_id");
      SottoSignalingStream *stream = g_hash_table_lookup (session->streams, stream_id);

      if (stream == NULL)
        peer_send_error (peer, SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_STREAM,
                         "No stream with this id in the session", msg);
      else
        sotto_signaling_session_force_unpublish (session, stream, conn->id, reason);
    }
}

static void
dispatch (SottoSignalingHub  *self,
          SottoSignalingPeer *peer,
          SottoSignalMessage *msg)
{
  SottoSignalingConnection *conn = peer->conn;
  SottoSignalingSession *session;
  SottoSignalingRefusal refusal = { NULL, NULL };
  gboolean ok = TRUE;

  if (conn == NULL)
    {
      if (sotto_signal_message_get_message_type (msg) == SOTTO_SIGNAL_TYPE_JOIN)
        handle_join (self, peer, msg);
      else if (sotto_signal_message_get_message_type (msg) == SOTTO_SIGNAL_TYPE_PING)
        {
          g_autoptr (SottoSignalMessage) pong = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_PONG);

          peer_send (peer, pong);
        }
      else
        peer_send_error (peer, SOTTO_SIGNAL_ERROR_CODE_NOT_JOINED,
                         "Send a join message with your token first", msg);
      return;
    }

  session = conn->session;
  switch (sotto_signal_message_get_message_type (msg))
    {
    case SOTTO_SIGNAL_TYPE_JOIN:
      refusal.code = SOTTO_SIGNAL_ERROR_CODE_ALREADY_JOINED;
      refusal.message = "This socket has already joined";
      ok = FALSE;
      break;
    case SOTTO_SIGNAL_TYPE_LEAVE:
      sotto_signaling_session_remove (session, conn, "left", SOTTO_SIGNAL_CLOSE_NORMAL);
      break;
    case SOTTO_SIGNAL_TYPE_PING:
      {
        g_autoptr (SottoSignalMessage) pong = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_PONG);

        peer_send (peer, pong);
      }
      break;
    case SOTTO_SIGNAL_TYPE_PUBLISH:
      ok = sotto_signaling_session_publish (session, conn, msg, &refusal);
      break;
    case SOTTO_SIGNAL_TYPE_UNPUBLISH:
      ok = sotto_signaling_session_unpublish (session, conn,
                                              sotto_signal_message_get_string (msg, "stream_id"),
                                              "unpublished", &refusal);
      break;
    case SOTTO_SIGNAL_TYPE_STREAM_STATE:
      ok = sotto_signaling_session_stream_state (session, conn, msg, &refusal);
      break;
    case SOTTO_SIGNAL_TYPE_SUBSCRIBE:
      ok = sotto_signaling_session_subscribe (session, conn, msg, &refusal);
      break;
    case SOTTO_SIGNAL_TYPE_UNSUBSCRIBE:
      ok = sotto_signaling_session_unsubscribe (session, conn, msg, &refusal);
      break;
    case SOTTO_SIGNAL_TYPE_OFFER:
    case SOTTO_SIGNAL_TYPE_ANSWER:
    case SOTTO_SIGNAL_TYPE_CANDIDATE:
      ok = sotto_signaling_session_forward (session, conn, msg, &refusal);
      break;
    case SOTTO_SIGNAL_TYPE_MEDIA_CONNECTED:
    case SOTTO_SIGNAL_TYPE_MEDIA_ENDED:
      ok = sotto_signaling_session_media_report (session, conn, msg, &refusal);
      break;
    case SOTTO_SIGNAL_TYPE_FORCE_DISCONNECT:
    case SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISH:
      handle_moderation (self, peer, conn, msg);
      break;
    default:
      /* The schema only lets client-to-server types through. */
      g_assert_not_reached ();
    }

  if (!ok)
    peer_send_error (peer, refusal.code, refusal.message, msg);
  hub_drop_session_if_empty (self, session);
}

/* TRUE if the message may be processed. */
static gboolean
rate_limit_allows (SottoSignalingPeer *peer)
{
  SottoSignalingHub *self = peer->hub;
  gint64 now = g_get_monotonic_time ();

  peer->tokens = MIN (2 * self->rate_per_second,
                      peer->tokens + (now - peer->refilled_at) * self->rate_per_second / G_USEC_PER_SEC);
  peer->refilled_at = now;
  if (peer->tokens >= 1.0)
    {
      peer->tokens -= 1.0;
      peer->dropped = 0;
      return TRUE;
    }

  peer->dropped++;
  if (peer->dropped >= RATE_CLOSE_AFTER)
    {
      g_debug ("closing a socket that kept flooding");
      peer_close (peer, SOTTO_SIGNAL_CLOSE_RATE_LIMITED, "rate limit exceeded");
    }
  else if (now - peer->last_rate_error >= G_USEC_PER_SEC || peer->last_rate_error == 0)
    {
      /* One error per second at most: replies must not amplify a flood. */
      peer->last_rate_error = now;
      peer_send_error (peer, SOTTO_SIGNAL_ERROR_CODE_RATE_LIMITED,
                       "Too many messages; this one and the following ones were dropped", NULL);
    }
  return FALSE;
}

static void
on_ws_message (SottoSignalSocket *ws,
               gboolean           is_text,
               GBytes            *bytes,
               gpointer           user_data)
{
  SottoSignalingPeer *peer = g_rc_box_acquire ((SottoSignalingPeer *) user_data);
  SottoSignalingHub *self = peer->hub;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoSignalMessage) msg = NULL;
  gsize len;
  const char *data;

  peer->last_seen = g_get_monotonic_time ();

  if (!is_text)
    {
      peer_send_error (peer, "binary-frame", "Messages are JSON text frames", NULL);
      peer_close (peer, SOTTO_SIGNAL_CLOSE_PROTOCOL, "binary frames are not accepted");
      goto out;
    }
  if (!rate_limit_allows (peer))
    goto out;

  data = g_bytes_get_data (bytes, &len);
  if (len > SOTTO_SIGNAL_MAX_MESSAGE_SIZE)
    {
      peer_send_error (peer, sotto_signal_message_error_to_wire (SOTTO_SIGNAL_MESSAGE_ERROR_TOO_BIG),
                       "Messages are limited to 64 KiB", NULL);
      peer_close (peer, SOTTO_SIGNAL_CLOSE_TOO_BIG, "message too big");
      goto out;
    }
  msg = sotto_signal_message_parse (data, len, SOTTO_SIGNAL_TO_SERVER, &error);
  if (msg == NULL)
    {
      peer_send_error (peer, sotto_signal_message_error_to_wire (error->code), error->message, NULL);
      goto out;
    }
  dispatch (self, peer, msg);

out:
  peer_unref (peer);
}

static void
on_ws_closed (SottoSignalSocket *ws,
              gpointer           user_data)
{
  SottoSignalingPeer *peer = user_data;
  SottoSignalingHub *self = peer->hub;
  SottoSignalingConnection *conn = peer->conn;

  if (conn != NULL)
    {
      SottoSignalingSession *session = conn->session;

      peer->conn = NULL;
      conn->peer = NULL;
      if (peer->tear_down_on_close || self->grace_ms == 0)
        {
          sotto_signaling_session_remove (session, conn, "disconnected", SOTTO_SIGNAL_CLOSE_NORMAL);
          hub_drop_session_if_empty (self, session);
        }
      else
        conn->grace_deadline = g_get_monotonic_time () + (gint64) self->grace_ms * 1000;
    }

  sotto_signal_socket_set_handlers (ws, NULL, NULL, NULL);
  g_hash_table_remove (self->peers, peer);
}

static void
on_websocket (SottoTlsFrontend  *frontend,
              SottoSignalSocket *ws,
              gpointer           user_data)
{
  SottoSignalingHub *self = user_data;
  SottoSignalingPeer *peer = g_rc_box_new0 (SottoSignalingPeer);

  peer->ws = g_object_ref (ws);
  peer->hub = self;
  peer->opened_at = peer->last_seen = peer->refilled_at = g_get_monotonic_time ();
  peer->tokens = 2 * self->rate_per_second;

  /* No server-side WebSocket pings: the client's own keepalive traffic
   * judges liveness and keeps middleboxes' state alive, and a timer per
   * socket would cost every main-loop iteration at 10,000 sockets. */
  sotto_signal_socket_set_handlers (ws, on_ws_message, on_ws_closed, peer);
  g_hash_table_add (self->peers, peer);
}

/* Periodic: join timeouts, keepalive timeouts, and the end of rejoin grace. */
static gboolean
on_sweep (gpointer user_data)
{
  SottoSignalingHub *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 timeout_us = (gint64) self->keepalive_timeout_ms * 1000;
  g_autoptr (GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_unref);
  g_autoptr (GPtrArray) sessions = NULL;
  GHashTableIter iter;
  gpointer key;

  /* Closing one socket must not free another under our feet. */
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (peers, g_rc_box_acquire (key));

  for (guint i = 0; i < peers->len; i++)
    {
      SottoSignalingPeer *peer = g_ptr_array_index (peers, i);

      if (!ws_is_open (peer))
        continue;
      if (peer->conn == NULL && now - peer->opened_at > (gint64) JOIN_TIMEOUT_MS * 1000)
        peer_close (peer, SOTTO_SIGNAL_CLOSE_JOIN_TIMEOUT, "no join message in time");
      else if (peer->conn != NULL && now - peer->last_seen > timeout_us)
        {
          SottoSignalingSession *session = peer->conn->session;

          /* Dead, not dropped: no grace, tear down for everyone now. */
          g_debug ("connection %s timed out", peer->conn->id);
          sotto_signaling_session_remove (session, peer->conn, "timeout",
                                          SOTTO_SIGNAL_CLOSE_KEEPALIVE_TIMEOUT);
          hub_drop_session_if_empty (self, session);
        }
    }

  sessions = sotto_signaling_values (self->sessions);
  for (guint i = 0; i < sessions->len; i++)
    {
      SottoSignalingSession *session = g_ptr_array_index (sessions, i);
      g_autoptr (GPtrArray) conns = sotto_signaling_values (session->connections);

      for (guint j = 0; j < conns->len; j++)
        {
          SottoSignalingConnection *conn = g_ptr_array_index (conns, j);

          if (conn->peer == NULL && conn->grace_deadline != 0 && now >= conn->grace_deadline)
            sotto_signaling_session_remove (session, conn, "disconnected", SOTTO_SIGNAL_CLOSE_NORMAL);
        }
      hub_drop_session_if_empty (self, session);
    }
  return G_SOURCE_CONTINUE;
}

static void
hub_restart_sweep (SottoSignalingHub *self)
{
  guint period = CLAMP (MIN (self->keepalive_interval_ms, self->grace_ms ? self->grace_ms : G_MAXUINT) / 4,
                        20, 1000);

  if (self->sweep != NULL)
    {
      g_source_destroy (self->sweep);
      g_clear_pointer (&self->sweep, g_source_unref);
    }
  self->sweep = g_timeout_source_new (period);
  g_source_set_callback (self->sweep, on_sweep, self, NULL);
  g_source_set_static_name (self->sweep, "sotto-signaling-sweep");
  g_source_attach (self->sweep, g_main_context_get_thread_default ());
}

static void
sotto_signaling_hub_dispose (GObject *object)
{
  SottoSignalingHub *self = SOTTO_SIGNALING_HUB (object);

  if (self->sweep != NULL)
    {
      g_source_destroy (self->sweep);
      g_clear_pointer (&self->sweep, g_source_unref);
    }
  if (self->peers != NULL)
    {
      GHashTableIter iter;
      SottoSignalingPeer *peer;

      /* Sockets may outlive the hub inside libsoup: cut them loose. */
      g_hash_table_iter_init (&iter, self->peers);
      while (g_hash_table_iter_next (&iter, (gpointer *) &peer, NULL))
        {
          sotto_signal_socket_set_handlers (peer->ws, NULL, NULL, NULL);
          peer->conn = NULL;
          peer_close (peer, SOTTO_SIGNAL_CLOSE_GOING_AWAY, "server shutting down");
        }
    }
  g_clear_pointer (&self->peers, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->deployment);

  G_OBJECT_CLASS (sotto_signaling_hub_parent_class)->dispose (object);
}

static void
sotto_signaling_hub_class_init (SottoSignalingHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_signaling_hub_dispose;
}

static guint
env_ms (const char *name,
        guint       fallback)
{
  const char *value = g_getenv (name);
  guint64 parsed;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, 600000, &parsed, NULL))
    return fallback;
  return (guint) parsed;
}

static void
sotto_signaling_hub_init (SottoSignalingHub *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sotto_signaling_session_free);
  self->peers = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) peer_unref, NULL);
  self->keepalive_interval_ms = MAX (50u, env_ms ("SOTTO_SIGNAL_KEEPALIVE_MS",
                                                  DEFAULT_KEEPALIVE_INTERVAL_MS));
  self->keepalive_timeout_ms = self->keepalive_interval_ms * 5 / 2;
  self->grace_ms = env_ms ("SOTTO_SIGNAL_GRACE_MS", DEFAULT_GRACE_MS);
  /* Operators (and the benchmark) may raise the per-connection rate. */
  self->rate_per_second = MAX (1u, env_ms ("SOTTO_SIGNAL_RATE_PER_SECOND", RATE_PER_SECOND));
}

SottoSignalingHub *
sotto_signaling_hub_new (SottoServerStore *store,
                         SottoDeployment  *deployment,
                         guint             max_participants_default)
{
  SottoSignalingHub *self;

  g_return_val_if_fail (SOTTO_IS_SERVER_STORE (store), NULL);
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (deployment), NULL);

  self = g_object_new (SOTTO_TYPE_SIGNALING_HUB, NULL);
  self->store = g_object_ref (store);
  self->deployment = g_object_ref (deployment);
  self->max_participants_default = max_participants_default;
  hub_restart_sweep (self);
  return self;
}

void
sotto_signaling_hub_attach (SottoSignalingHub *self,
                            SottoTlsFrontend  *frontend)
{
  g_return_if_fail (SOTTO_IS_SIGNALING_HUB (self));
  g_return_if_fail (SOTTO_IS_TLS_FRONTEND (frontend));

  /* Any Origin: the token, not the page, is the credential. */
  g_signal_connect_object (frontend, "websocket", G_CALLBACK (on_websocket), self, 0);
}

JsonNode *
sotto_signaling_hub_describe_session (SottoSignalingHub *self,
                                      const char        *session_id)
{
  SottoSignalingSession *session;
  SottoSignalingSession *empty;
  JsonNode *node;

  g_return_val_if_fail (SOTTO_IS_SIGNALING_HUB (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  session = g_hash_table_lookup (self->sessions, session_id);
  if (session != NULL)
    return sotto_signaling_session_describe (session);
  empty = sotto_signaling_session_new (session_id, 0);
  node = sotto_signaling_session_describe (empty);
  sotto_signaling_session_free (empty);
  return node;
}

static SottoSignalingSession *
lookup_session (SottoSignalingHub *self,
                const char        *session_id,
                GError           **error)
{
  SottoSignalingSession *session = g_hash_table_lookup (self->sessions, session_id);

  if (session == NULL)
    g_set_error_literal (error, SOTTO_SIGNALING_HUB_ERROR, SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_SESSION,
                         "Nobody is connected to this session");
  return session;
}

gboolean
sotto_signaling_hub_force_disconnect (SottoSignalingHub *self,
                                      const char        *session_id,
                                      const char        *connection_id,
                                      const char        *reason,
                                      GError           **error)
{
  SottoSignalingSession *session;
  SottoSignalingConnection *target;

  g_return_val_if_fail (SOTTO_IS_SIGNALING_HUB (self), FALSE);
  g_return_val_if_fail (session_id != NULL && connection_id != NULL, FALSE);

  session = lookup_session (self, session_id, error);
  if (session == NULL)
    return FALSE;
  target = g_hash_table_lookup (session->connections, connection_id);
  if (target == NULL)
    {
      g_set_error_literal (error, SOTTO_SIGNALING_HUB_ERROR,
                           SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_CONNECTION,
                           "No connection with this id in the session");
      return FALSE;
    }
  if (!do_force_disconnect (self, session, target, "server", reason ? reason : "", error))
    return FALSE;
  hub_drop_session_if_empty (self, session);
  return TRUE;
}

gboolean
sotto_signaling_hub_force_unpublish (SottoSignalingHub *self,
                                     const char        *session_id,
                                     const char        *stream_id,
                                     const char        *reason,
                                     GError           **error)
{
  SottoSignalingSession *session;
  SottoSignalingStream *stream;

  g_return_val_if_fail (SOTTO_IS_SIGNALING_HUB (self), FALSE);
  g_return_val_if_fail (session_id != NULL && stream_id != NULL, FALSE);

  session = lookup_session (self, session_id, error);
  if (session == NULL)
    return FALSE;
  stream = g_hash_table_lookup (session->streams, stream_id);
  if (stream == NULL)
    {
      g_set_error_literal (error, SOTTO_SIGNALING_HUB_ERROR, SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_STREAM,
                           "No stream with this id in the session");
      return FALSE;
    }
  sotto_signaling_session_force_unpublish (session, stream, "server", reason ? reason : "");
  return TRUE;
}

void
sotto_signaling_hub_end_session (SottoSignalingHub *self,
                                 const char        *session_id)
{
  SottoSignalingSession *session;
  g_autoptr (SottoSignalMessage) ended = NULL;
  g_autoptr (GPtrArray) conns = NULL;

  g_return_if_fail (SOTTO_IS_SIGNALING_HUB (self));
  g_return_if_fail (session_id != NULL);

  session = g_hash_table_lookup (self->sessions, session_id);
  if (session == NULL)
    return;

  ended = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_SESSION_ENDED);
  sotto_signal_message_set_string (ended, "reason", "The session was ended");
  sotto_signaling_session_broadcast (session, ended, NULL);
  conns = sotto_signaling_values (session->connections);
  for (guint i = 0; i < conns->len; i++)
    sotto_signaling_session_remove (session, g_ptr_array_index (conns, i), "session-ended",
                                    SOTTO_SIGNAL_CLOSE_SESSION_ENDED);
  g_hash_table_remove (self->sessions, session_id);
}

void
sotto_signaling_hub_set_keepalive (SottoSignalingHub *self,
                                   guint              interval_ms,
                                   guint              timeout_ms)
{
  g_return_if_fail (SOTTO_IS_SIGNALING_HUB (self));
  g_return_if_fail (interval_ms > 0 && timeout_ms > interval_ms);

  self->keepalive_interval_ms = interval_ms;
  self->keepalive_timeout_ms = timeout_ms;
  hub_restart_sweep (self);
}

void
sotto_signaling_hub_set_rejoin_grace (SottoSignalingHub *self,
                                      guint              grace_ms)
{
  g_return_if_fail (SOTTO_IS_SIGNALING_HUB (self));

  self->grace_ms = grace_ms;
  hub_restart_sweep (self);
}
