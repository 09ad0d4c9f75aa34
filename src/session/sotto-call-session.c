/* sotto-call-session.c: one call, as the app and sotto-call see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session joins with a token over SottoSignalingClient, publishes one
 * stream (one SottoMediaSender, whatever the number of subscribers) when the
 * role allows it, and subscribes to every other stream (a mesh). The server
 * decides everything that matters (roles, counts, moderation); this object
 * follows its messages. Each subscription, in either direction, is one
 * SottoCallSubscription with its own peer connection.
 */
#define G_LOG_DOMAIN "sotto-call-session"

#include "sotto-config.h"

#include "sotto-call-session-private.h"

#include "sotto-media-sender.h"
#include "sotto-random.h"
#include "sotto-srtp-session.h"

G_DEFINE_FINAL_TYPE (SottoCallSession, sotto_call_session, G_TYPE_OBJECT)

enum {
  SIGNAL_STATE_CHANGED,
  SIGNAL_PARTICIPANT_JOINED,
  SIGNAL_PARTICIPANT_LEFT,
  SIGNAL_STREAM_ADDED,
  SIGNAL_STREAM_REMOVED,
  SIGNAL_SUBSCRIBED,
  SIGNAL_MEDIA_CONNECTED,
  SIGNAL_SUBSCRIBER_COUNT_CHANGED,
  SIGNAL_STREAM_STATE_CHANGED,
  SIGNAL_VIDEO_FRAME,
  SIGNAL_LOCAL_VIDEO_FRAME,
  SIGNAL_MODERATED,
  SIGNAL_ERROR,
  SIGNAL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (SottoCallState, sotto_call_state,
                    G_DEFINE_ENUM_VALUE (SOTTO_CALL_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (SOTTO_CALL_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (SOTTO_CALL_STATE_JOINED, "joined"),
                    G_DEFINE_ENUM_VALUE (SOTTO_CALL_STATE_RECONNECTING, "reconnecting"),
                    G_DEFINE_ENUM_VALUE (SOTTO_CALL_STATE_ENDED, "ended"))

static void
set_state (SottoCallSession *self, SottoCallState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

/* The signaling client's reasons, in the call's words. */
static GError *
call_error_from_signaling (const GError *error)
{
  SottoCallError code = SOTTO_CALL_ERROR_PROTOCOL;

  if (error->domain == SOTTO_SIGNALING_CLIENT_ERROR)
    {
      switch ((SottoSignalingClientError) error->code)
        {
        case SOTTO_SIGNALING_CLIENT_ERROR_BAD_TOKEN:       code = SOTTO_CALL_ERROR_BAD_TOKEN; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_UNREACHABLE:     code = SOTTO_CALL_ERROR_SERVER_UNREACHABLE; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_LOST:            code = SOTTO_CALL_ERROR_SERVER_UNREACHABLE; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_PIN_MISMATCH:    code = SOTTO_CALL_ERROR_PIN_MISMATCH; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_REFUSED:         code = SOTTO_CALL_ERROR_REJECTED; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_EXPIRED:         code = SOTTO_CALL_ERROR_EXPIRED_TOKEN; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_NO_SUCH_SESSION: code = SOTTO_CALL_ERROR_SESSION_ENDED; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_SESSION_FULL:    code = SOTTO_CALL_ERROR_SESSION_FULL; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_SESSION_ENDED:   code = SOTTO_CALL_ERROR_SESSION_ENDED; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_KICKED:          code = SOTTO_CALL_ERROR_KICKED; break;
        case SOTTO_SIGNALING_CLIENT_ERROR_REPLACED:
        case SOTTO_SIGNALING_CLIENT_ERROR_PROTOCOL:
        case SOTTO_SIGNALING_CLIENT_ERROR_NOT_CONNECTED:
        case SOTTO_SIGNALING_CLIENT_ERROR_INVALID:
        default:
          code = SOTTO_CALL_ERROR_PROTOCOL;
          break;
        }
    }
  else if (error->domain == SOTTO_TOKEN_ERROR)
    {
      code = (error->code == SOTTO_TOKEN_ERROR_EXPIRED || error->code == SOTTO_TOKEN_ERROR_NOT_YET_VALID)
               ? SOTTO_CALL_ERROR_EXPIRED_TOKEN : SOTTO_CALL_ERROR_BAD_TOKEN;
    }
  return g_error_new_literal (SOTTO_CALL_ERROR, code, error->message);
}

static void
close_subscriptions_where (SottoCallSession *self,
                           const char       *stream_id,
                           const char       *peer_id,
                           gboolean          sending_only)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SottoCallSubscription *sub = value;

      if (stream_id && g_strcmp0 (sotto_call_subscription_get_stream_id (sub), stream_id) != 0)
        continue;
      if (peer_id && g_strcmp0 (sotto_call_subscription_get_peer_id (sub), peer_id) != 0)
        continue;
      if (sending_only && sotto_call_subscription_get_direction (sub) != SOTTO_CALL_SUBSCRIPTION_SEND)
        continue;
      sotto_call_subscription_close (sub);
      g_hash_table_iter_remove (&iter);
    }
}

static void
stop_publishing (SottoCallSession *self)
{
  close_subscriptions_where (self, NULL, NULL, TRUE);
  if (self->sender)
    {
      if (sotto_media_sender_get_preview (self->sender))
        g_signal_handlers_disconnect_by_data (sotto_media_sender_get_preview (self->sender), self);
      g_signal_handlers_disconnect_by_data (self->sender, self);
      sotto_media_sender_stop (self->sender);
      g_clear_object (&self->sender);
    }
  g_clear_pointer (&self->stream_id, g_free);
}

static void
end_call (SottoCallSession *self, const GError *error)
{
  if (self->ended)
    return;
  self->ended = TRUE;

  stop_publishing (self);
  close_subscriptions_where (self, NULL, NULL, FALSE);
  if (self->signaling)
    g_signal_handlers_disconnect_by_data (self->signaling, self);
  set_state (self, SOTTO_CALL_STATE_ENDED);

  if (self->join_task)
    {
      GTask *task = g_steal_pointer (&self->join_task);

      g_task_return_error (task, error ? g_error_copy (error)
                                       : g_error_new_literal (SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_PROTOCOL,
                                                              "The call ended before it was joined"));
      g_object_unref (task);
    }
  g_signal_emit (self, signals[SIGNAL_ENDED], 0, error);
}

void
sotto_call_session_emit_error (SottoCallSession *self, const GError *error)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

/* ---- media from our single sender to every connected subscriber ---- */

static void
on_sender_rtp (SottoMediaSender *sender, SottoMediaKind kind, GBytes *packet, SottoCallSession *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (sotto_call_subscription_get_direction (value) == SOTTO_CALL_SUBSCRIPTION_SEND)
      sotto_call_subscription_send_rtp (value, packet);
}

static void
on_sender_rtcp (SottoMediaSender *sender, SottoMediaKind kind, GBytes *packet, SottoCallSession *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (sotto_call_subscription_get_direction (value) == SOTTO_CALL_SUBSCRIPTION_SEND)
      sotto_call_subscription_send_rtcp (value, packet);
}

static void
on_sender_error (SottoMediaSender *sender, const GError *error, SottoCallSession *self)
{
  g_autoptr (GError) wrapped = g_error_new (SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_MEDIA,
                                            "Our camera or microphone stopped: %s", error->message);
  sotto_call_session_emit_error (self, wrapped);
}

static void
on_preview_frame (SottoMediaPreview *preview, guint width, guint height, guint stride,
                  GBytes *pixels, SottoCallSession *self)
{
  g_signal_emit (self, signals[SIGNAL_LOCAL_VIDEO_FRAME], 0, width, height, stride, pixels);
}

static gboolean
role_may_publish (SottoCallSession *self)
{
  return sotto_token_get_role (self->token) != SOTTO_ROLE_SUBSCRIBER;
}

static void
start_publishing (SottoCallSession *self)
{
  g_autoptr (GError) error = NULL;
  SottoMediaConfig config = self->media;

  if (self->sender || !self->publish || !role_may_publish (self))
    return;

  config.send_audio = TRUE;
  config.send_video = TRUE;
  /* With a real microphone, cancel the echo of what the call plays. */
  if (self->output && config.audio_source == SOTTO_MEDIA_SOURCE_DEVICES)
    config.echo_probe_name = sotto_media_output_get_echo_probe_name (self->output);
  self->sender = sotto_media_sender_new (&config, &error);
  if (!self->sender || !sotto_media_sender_start (self->sender, &error))
    {
      g_autoptr (GError) wrapped = g_error_new (SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_MEDIA,
                                                "Cannot publish: %s", error->message);
      g_clear_object (&self->sender);
      sotto_call_session_emit_error (self, wrapped);
      return;
    }
  if (sotto_media_sender_get_preview (self->sender))
    g_signal_connect (sotto_media_sender_get_preview (self->sender), "frame",
                      G_CALLBACK (on_preview_frame), self);
  sotto_media_sender_set_enabled (self->sender, SOTTO_MEDIA_KIND_VIDEO, !self->camera_off);
  sotto_media_sender_set_enabled (self->sender, SOTTO_MEDIA_KIND_AUDIO, !self->microphone_off);
  g_signal_connect (self->sender, "rtp-packet", G_CALLBACK (on_sender_rtp), self);
  g_signal_connect (self->sender, "rtcp-packet", G_CALLBACK (on_sender_rtcp), self);
  g_signal_connect (self->sender, "error", G_CALLBACK (on_sender_error), self);

  self->stream_id = sotto_random_id (12);
  sotto_call_session_send_publish (self);
}

/* ---- subscriptions ---- */

static void
subscribe_to (SottoCallSession *self, const char *stream_id, const char *owner)
{
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (owner, self->connection_id) == 0 ||
      g_hash_table_contains (self->subscribed, stream_id))
    return;
  g_hash_table_add (self->subscribed, g_strdup (stream_id));
  if (!sotto_signaling_client_subscribe (self->signaling, stream_id, &error))
    sotto_call_session_emit_error (self, error);
}

static void
on_subscription_connected (SottoCallSubscription *sub, SottoCallSession *self)
{
  gboolean sending = sotto_call_subscription_get_direction (sub) == SOTTO_CALL_SUBSCRIPTION_SEND;

  if (!sending && !sotto_call_subscription_is_orphaned (sub))
    sotto_call_session_close_orphans_of_stream (self, sotto_call_subscription_get_stream_id (sub));

  g_signal_emit (self, signals[SIGNAL_MEDIA_CONNECTED], 0,
                 sotto_call_subscription_get_stream_id (sub), sending ? "send" : "receive");
}

static void
on_subscription_failed (SottoCallSubscription *sub, const GError *error, SottoCallSession *self)
{
  sotto_call_session_emit_error (self, error);
}

static void
on_subscription_frame (SottoCallSubscription *sub, guint width, guint height, guint stride,
                       GBytes *pixels, SottoCallSession *self)
{
  g_signal_emit (self, signals[SIGNAL_VIDEO_FRAME], 0,
                 sotto_call_subscription_get_stream_id (sub), width, height, stride, pixels);
}

static void
handle_subscription_created (SottoCallSession *self, SottoSignalMessage *msg)
{
  const char *id = sotto_signal_message_get_string (msg, "subscription_id");
  const char *stream_id = sotto_signal_message_get_string (msg, "stream_id");
  const char *publisher = sotto_signal_message_get_string (msg, "publisher");
  const char *subscriber = sotto_signal_message_get_string (msg, "subscriber");
  gboolean sending = g_strcmp0 (publisher, self->connection_id) == 0;
  g_autoptr (SottoCallSubscription) sub = NULL;
  g_autoptr (GError) error = NULL;

  if (g_hash_table_contains (self->subscriptions, id))
    return;
  if (sending && !self->sender)
    return;
  if (!sending && g_strcmp0 (subscriber, self->connection_id) != 0)
    return;

  sub = sotto_call_subscription_new (sending ? SOTTO_CALL_SUBSCRIPTION_SEND : SOTTO_CALL_SUBSCRIPTION_RECEIVE,
                                     id, stream_id, sending ? subscriber : publisher,
                                     self->session_id, self->signaling,
                                     sending ? self->sender : NULL, &self->media,
                                     self->ice_servers, self->certificate, self->output, &error);
  if (!sub)
    {
      sotto_call_session_emit_error (self, error);
      return;
    }
  g_signal_connect (sub, "media-connected", G_CALLBACK (on_subscription_connected), self);
  g_signal_connect (sub, "failed", G_CALLBACK (on_subscription_failed), self);
  g_signal_connect (sub, "video-frame", G_CALLBACK (on_subscription_frame), self);
  g_hash_table_insert (self->subscriptions, g_strdup (id), g_object_ref (sub));

  if (sending)
    {
      if (!sotto_call_subscription_start (sub, &error))
        sotto_call_session_emit_error (self, error);
    }
  else
    g_signal_emit (self, signals[SIGNAL_SUBSCRIBED], 0, stream_id);
}

static void
handle_sdp_or_candidate (SottoCallSession *self, SottoSignalMessage *msg, SottoSignalMessageType type)
{
  const char *id = sotto_signal_message_get_string (msg, "subscription_id");
  SottoCallSubscription *sub = g_hash_table_lookup (self->subscriptions, id);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (!sub)
    return;
  if (type == SOTTO_SIGNAL_TYPE_CANDIDATE)
    ok = sotto_call_subscription_handle_candidate (sub, sotto_signal_message_get_string (msg, "candidate"),
                                                   &error);
  else
    ok = sotto_call_subscription_handle_sdp (sub, type, sotto_signal_message_get_string (msg, "sdp"),
                                             &error);
  if (!ok)
    {
      g_autoptr (GError) wrapped = g_error_new (SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_TRANSPORT_FAILED,
                                                "Could not connect to a participant: %s",
                                                error->message);
      sotto_call_session_emit_error (self, wrapped);
    }
}

/* ---- participants and streams ---- */

void
sotto_call_session_forget_participants (SottoCallSession *self, const char *reason)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->participants);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_signal_emit (self, signals[SIGNAL_PARTICIPANT_LEFT], 0, key, reason);
  g_hash_table_remove_all (self->participants);
}

static void
add_participant (SottoCallSession *self, JsonObject *connection)
{
  const char *id = json_object_get_string_member (connection, "id");
  const char *role = json_object_get_string_member (connection, "role");
  const char *data = json_object_get_string_member_with_default (connection, "data", NULL);

  if (g_strcmp0 (id, self->connection_id) == 0 || g_hash_table_contains (self->participants, id))
    return;
  g_hash_table_insert (self->participants, g_strdup (id), g_strdup (role));
  g_signal_emit (self, signals[SIGNAL_PARTICIPANT_JOINED], 0, id, role, data);
}

static void
add_stream (SottoCallSession *self, JsonObject *stream)
{
  const char *id = json_object_get_string_member (stream, "id");
  const char *owner = json_object_get_string_member (stream, "owner");
  const char *name = json_object_get_string_member_with_default (stream, "name", "");
  gboolean audio = json_object_get_boolean_member_with_default (stream, "audio_active", TRUE);
  gboolean video = json_object_get_boolean_member_with_default (stream, "video_active", TRUE);

  g_hash_table_remove (self->unconfirmed, id);
  /* Known before stream-added, so that its handlers can ask for it. */
  if (sotto_call_session_store_stream_state (self, id, audio, video) &&
      g_hash_table_contains (self->streams, id))
    g_signal_emit (self, signals[SIGNAL_STREAM_STATE_CHANGED], 0, id, audio, video);
  if (!g_hash_table_contains (self->streams, id))
    {
      g_hash_table_insert (self->streams, g_strdup (id), g_strdup (owner));
      g_signal_emit (self, signals[SIGNAL_STREAM_ADDED], 0, id, owner, name);
    }
  subscribe_to (self, id, owner);
}

void
sotto_call_session_remove_stream (SottoCallSession *self, const char *stream_id, const char *reason)
{
  close_subscriptions_where (self, stream_id, NULL, FALSE);
  g_hash_table_remove (self->subscribed, stream_id);
  g_hash_table_remove (self->stream_states, stream_id);
  if (g_hash_table_remove (self->streams, stream_id))
    g_signal_emit (self, signals[SIGNAL_STREAM_REMOVED], 0, stream_id, reason);
}

static void
handle_welcome (SottoCallSession *self, SottoSignalMessage *msg)
{
  JsonArray *connections = sotto_signal_message_get_array (msg, "connections");
  JsonArray *streams = sotto_signal_message_get_array (msg, "streams");
  JsonArray *ice_servers = sotto_signal_message_get_array (msg, "ice_servers");
  gboolean rejoined = sotto_signal_message_get_bool (msg, "rejoined", FALSE);
  gboolean restarted = FALSE;

  /* The welcome arrives both as a message and as the end of connecting,
   * in either order. */
  if (msg == self->last_welcome)
    return;
  if (self->last_welcome && !rejoined &&
      g_strcmp0 (self->connection_id, sotto_signal_message_get_string (msg, "connection_id")) != 0)
    {
      g_free (self->connection_id);
      self->connection_id = g_strdup (sotto_signal_message_get_string (msg, "connection_id"));
      sotto_call_session_adopt_new_connection (self);
      restarted = TRUE;
    }
  g_set_object (&self->last_welcome, msg);

  g_free (self->connection_id);
  self->connection_id = g_strdup (sotto_signal_message_get_string (msg, "connection_id"));
  g_free (self->session_id);
  self->session_id = g_strdup (sotto_signal_message_get_string (msg, "session_id"));
  g_clear_pointer (&self->ice_servers, json_array_unref);
  if (ice_servers)
    self->ice_servers = json_array_ref (ice_servers);

  for (guint i = 0; connections && i < json_array_get_length (connections); i++)
    add_participant (self, json_array_get_object_element (connections, i));

  if (rejoined)
    sotto_call_session_forget_gone_streams (self, streams);

  for (guint i = 0; streams && i < json_array_get_length (streams); i++)
    add_stream (self, json_array_get_object_element (streams, i));

  if (!rejoined && !restarted)
    start_publishing (self);
  else if (rejoined)
    sotto_call_session_resync_stream_state (self, streams);
  set_state (self, SOTTO_CALL_STATE_JOINED);
}

static void
handle_error_message (SottoCallSession *self, SottoSignalMessage *msg)
{
  const char *code = sotto_signal_message_get_string (msg, "code");
  const char *message = sotto_signal_message_get_string (msg, "message");
  g_autoptr (GError) error = NULL;

  /* A switch held while a restarted server had not yet seen our publish
   * again: nothing lost, the publish carries the state. */
  if (g_strcmp0 (code, SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_STREAM) == 0 &&
      g_strcmp0 (sotto_signal_message_get_string (msg, "in_reply_to"), "stream-state") == 0)
    return;
  if (g_strcmp0 (code, SOTTO_SIGNAL_ERROR_CODE_FORBIDDEN) == 0)
    error = g_error_new (SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_ROLE_REFUSED,
                         "Your role does not allow this: %s", message);
  else
    error = g_error_new (SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_PROTOCOL,
                         "The server refused a request (%s): %s", code, message);
  sotto_call_session_emit_error (self, error);
}

static void
on_signaling_message (SottoSignalingClient *client, SottoSignalMessage *msg, SottoCallSession *self)
{
  SottoSignalMessageType type = sotto_signal_message_get_message_type (msg);

  switch (type)
    {
    case SOTTO_SIGNAL_TYPE_WELCOME:
      handle_welcome (self, msg);
      break;
    case SOTTO_SIGNAL_TYPE_CONNECTION_CREATED:
      add_participant (self, sotto_signal_message_get_member_object (msg, "connection"));
      break;
    case SOTTO_SIGNAL_TYPE_CONNECTION_DESTROYED:
      {
        const char *id = sotto_signal_message_get_string (msg, "connection_id");

        close_subscriptions_where (self, NULL, id, FALSE);
        if (g_hash_table_remove (self->participants, id))
          g_signal_emit (self, signals[SIGNAL_PARTICIPANT_LEFT], 0, id,
                         sotto_signal_message_get_string (msg, "reason"));
      }
      break;
    case SOTTO_SIGNAL_TYPE_STREAM_CREATED:
      add_stream (self, sotto_signal_message_get_member_object (msg, "stream"));
      break;
    case SOTTO_SIGNAL_TYPE_STREAM_DESTROYED:
      sotto_call_session_remove_stream (self, sotto_signal_message_get_string (msg, "stream_id"),
                     sotto_signal_message_get_string (msg, "reason"));
      break;
    case SOTTO_SIGNAL_TYPE_SUBSCRIPTION_CREATED:
      handle_subscription_created (self, msg);
      break;
    case SOTTO_SIGNAL_TYPE_SUBSCRIPTION_DESTROYED:
      {
        const char *id = sotto_signal_message_get_string (msg, "subscription_id");
        SottoCallSubscription *sub = g_hash_table_lookup (self->subscriptions, id);

        if (sub)
          {
            if (sotto_call_subscription_get_direction (sub) == SOTTO_CALL_SUBSCRIPTION_RECEIVE)
              g_hash_table_remove (self->subscribed, sotto_call_subscription_get_stream_id (sub));
            sotto_call_subscription_close (sub);
            g_hash_table_remove (self->subscriptions, id);
          }
      }
      break;
    case SOTTO_SIGNAL_TYPE_OFFER:
    case SOTTO_SIGNAL_TYPE_ANSWER:
    case SOTTO_SIGNAL_TYPE_CANDIDATE:
      handle_sdp_or_candidate (self, msg, type);
      break;
    case SOTTO_SIGNAL_TYPE_STREAM_STATE_CHANGED:
      {
        const char *id = sotto_signal_message_get_string (msg, "stream_id");
        gboolean audio = sotto_signal_message_get_bool (msg, "audio", TRUE);
        gboolean video = sotto_signal_message_get_bool (msg, "video", TRUE);

        if (g_hash_table_contains (self->streams, id) &&
            sotto_call_session_store_stream_state (self, id, audio, video))
          g_signal_emit (self, signals[SIGNAL_STREAM_STATE_CHANGED], 0, id, audio, video);
      }
      break;
    case SOTTO_SIGNAL_TYPE_SUBSCRIBER_COUNT:
      g_signal_emit (self, signals[SIGNAL_SUBSCRIBER_COUNT_CHANGED], 0,
                     sotto_signal_message_get_string (msg, "stream_id"),
                     (guint) sotto_signal_message_get_int (msg, "subscribers", 0));
      break;
    case SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISHED:
      {
        const char *stream_id = sotto_signal_message_get_string (msg, "stream_id");

        g_signal_emit (self, signals[SIGNAL_MODERATED], 0, "force-unpublished", stream_id,
                       sotto_signal_message_get_string (msg, "by"),
                       sotto_signal_message_get_string (msg, "reason"));
        if (g_strcmp0 (stream_id, self->stream_id) == 0)
          stop_publishing (self);
      }
      break;
    case SOTTO_SIGNAL_TYPE_FORCE_DISCONNECTED:
      g_signal_emit (self, signals[SIGNAL_MODERATED], 0, "force-disconnected", self->connection_id,
                     sotto_signal_message_get_string (msg, "by"),
                     sotto_signal_message_get_string (msg, "reason"));
      break;
    case SOTTO_SIGNAL_TYPE_ERROR:
      handle_error_message (self, msg);
      break;
    case SOTTO_SIGNAL_TYPE_SESSION_ENDED:
    case SOTTO_SIGNAL_TYPE_PONG:
    default:
      /* session-ended is followed by the socket closing: "closed" reports it. */
      break;
    }
}

static void
on_signaling_closed (SottoSignalingClient *client, const GError *error, SottoCallSession *self)
{
  if (error)
    {
      g_autoptr (GError) call_error = call_error_from_signaling (error);
      end_call (self, call_error);
    }
  else
    end_call (self, NULL);
}

static void
on_signaling_state (SottoSignalingClient *client, GParamSpec *pspec, SottoCallSession *self)
{
  SottoSignalingClientState state = sotto_signaling_client_get_state (client);

  /* Back to JOINED only once the new welcome is handled (handle_welcome). */
  if (state == SOTTO_SIGNALING_CLIENT_STATE_RECONNECTING)
    set_state (self, SOTTO_CALL_STATE_RECONNECTING);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SottoCallSession) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!sotto_signaling_client_connect_finish (SOTTO_SIGNALING_CLIENT (source), result, &error))
    {
      g_autoptr (GError) call_error = call_error_from_signaling (error);
      end_call (self, self->leaving ? NULL : call_error);
      return;
    }
  if (sotto_signaling_client_get_welcome (self->signaling))
    handle_welcome (self, sotto_signaling_client_get_welcome (self->signaling));
  if (self->join_task)
    {
      GTask *task = g_steal_pointer (&self->join_task);

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

/* ---- GObject ---- */

static void
sotto_call_session_dispose (GObject *object)
{
  SottoCallSession *self = SOTTO_CALL_SESSION (object);

  if (self->signaling)
    {
      g_signal_handlers_disconnect_by_data (self->signaling, self);
      if (!self->ended)
        sotto_signaling_client_leave (self->signaling);
    }
  /* dispose may run more than once: the table is gone the second time. */
  if (self->subscriptions)
    stop_publishing (self);
  g_clear_pointer (&self->subscriptions, g_hash_table_unref);
  g_clear_object (&self->signaling);
  g_clear_object (&self->token);
  g_clear_object (&self->certificate);
  g_clear_object (&self->output);
  g_clear_object (&self->join_task);
  g_clear_object (&self->last_welcome);
  g_clear_handle_id (&self->orphan_timeout, g_source_remove);
  G_OBJECT_CLASS (sotto_call_session_parent_class)->dispose (object);
}

static void
sotto_call_session_finalize (GObject *object)
{
  SottoCallSession *self = SOTTO_CALL_SESSION (object);

  g_free (self->stream_name);
  g_free (self->connection_id);
  g_free (self->session_id);
  g_free (self->stream_id);
  g_clear_pointer (&self->ice_servers, json_array_unref);
  g_clear_pointer (&self->participants, g_hash_table_unref);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->subscribed, g_hash_table_unref);
  g_clear_pointer (&self->unconfirmed, g_hash_table_unref);
  g_clear_pointer (&self->stream_states, g_hash_table_unref);
  G_OBJECT_CLASS (sotto_call_session_parent_class)->finalize (object);
}

static void
sotto_call_session_class_init (SottoCallSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = sotto_call_session_dispose;
  object_class->finalize = sotto_call_session_finalize;

  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PARTICIPANT_JOINED] =
    g_signal_new ("participant-joined", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_PARTICIPANT_LEFT] =
    g_signal_new ("participant-left", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_STREAM_ADDED] =
    g_signal_new ("stream-added", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_STREAM_REMOVED] =
    g_signal_new ("stream-removed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_SUBSCRIBED] =
    g_signal_new ("subscribed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  1, G_TYPE_STRING);
  signals[SIGNAL_MEDIA_CONNECTED] =
    g_signal_new ("media-connected", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_SUBSCRIBER_COUNT_CHANGED] =
    g_signal_new ("subscriber-count-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_STREAM_STATE_CHANGED] =
    g_signal_new ("stream-state-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_BOOLEAN);
  signals[SIGNAL_VIDEO_FRAME] =
    g_signal_new ("video-frame", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  5, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BYTES);
  signals[SIGNAL_LOCAL_VIDEO_FRAME] =
    g_signal_new ("local-video-frame", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BYTES);
  signals[SIGNAL_MODERATED] =
    g_signal_new ("moderated", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  1, G_TYPE_ERROR);
  signals[SIGNAL_ENDED] =
    g_signal_new ("ended", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                  1, G_TYPE_ERROR);
}

static void
sotto_call_session_init (SottoCallSession *self)
{
  self->publish = TRUE;
  self->participants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->subscribed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unconfirmed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->stream_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* ---- public API ---- */

SottoCallSession *
sotto_call_session_new (const SottoMediaConfig *media)
{
  SottoCallSession *self = g_object_new (SOTTO_TYPE_CALL_SESSION, NULL);

  if (media)
    self->media = *media;
  else
    {
      sotto_media_config_init (&self->media);
      /* A bad environment variable surfaces when publishing starts. */
      sotto_media_config_load_env (&self->media, NULL);
    }
  return self;
}

void
sotto_call_session_set_publish (SottoCallSession *self, gboolean publish)
{
  g_return_if_fail (SOTTO_IS_CALL_SESSION (self));
  self->publish = publish;
}

void
sotto_call_session_set_stream_name (SottoCallSession *self, const char *name)
{
  g_return_if_fail (SOTTO_IS_CALL_SESSION (self));
  g_free (self->stream_name);
  self->stream_name = g_strdup (name);
}

/* A GTask thread that touches no object: sotto_srtp_profile_is_supported()
 * initialises libsrtp once per process behind a GOnce, so a peer connection
 * made meanwhile on the main context simply waits for it to finish. */
static void
on_warm_up_srtp (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  sotto_srtp_profile_is_supported (SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80);
  g_task_return_boolean (task, TRUE);
}

static void
warm_up_srtp (void)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_run_in_thread (task, on_warm_up_srtp);
}

void
sotto_call_session_join_async (SottoCallSession   *self,
                               const char         *token,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;

  g_return_if_fail (SOTTO_IS_CALL_SESSION (self));
  g_task_set_source_tag (task, sotto_call_session_join_async);

  if (self->state != SOTTO_CALL_STATE_IDLE)
    {
      g_task_return_new_error (task, SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_PROTOCOL,
                               "This call was already joined once; make a new one");
      return;
    }

  self->token = sotto_token_decode (token, &error);
  if (!self->token)
    {
      g_task_return_error (task, call_error_from_signaling (error));
      return;
    }
  if (sotto_token_is_expired (self->token, g_get_real_time () / G_USEC_PER_SEC))
    {
      g_task_return_new_error (task, SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_EXPIRED_TOKEN,
                               "This token has expired; ask for a new one");
      return;
    }

  /* One fresh certificate for the call: every connection between two
   * people then derives the same short authentication string. */
  self->certificate = sotto_dtls_certificate_new (&error);
  if (!self->certificate)
    {
      g_task_return_new_error (task, SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_TRANSPORT_FAILED,
                               "Cannot make this call's certificate: %s", error->message);
      return;
    }

  /* libsrtp's first use (its crypto self-tests, NSS) costs 25 to 200 ms,
   * and the first peer connection would pay it on the way to the first
   * frame: pay it now, off the main context, while signaling connects. */
  warm_up_srtp ();

  /* One output for the whole call, made before the sender so that its echo
   * canceller can find the output's probe. Without it, each subscription
   * plays its own audio and there is no echo cancellation. When nothing is
   * played (SOTTO_AUDIO_SINK=fake) there is nothing to mix and no echo to
   * cancel: each subscription decodes into its own fakesink. */
  if (!self->media.fake_audio_sink)
    self->output = sotto_media_output_new (&self->media, &error);
  if (!self->media.fake_audio_sink && !self->output)
    {
      g_warning ("No shared audio output (%s); echo cancellation is off", error->message);
      g_clear_error (&error);
    }

  self->signaling = sotto_signaling_client_new (token, &error);
  if (!self->signaling)
    {
      g_task_return_error (task, call_error_from_signaling (error));
      return;
    }
  g_signal_connect (self->signaling, "message", G_CALLBACK (on_signaling_message), self);
  g_signal_connect (self->signaling, "closed", G_CALLBACK (on_signaling_closed), self);
  g_signal_connect (self->signaling, "notify::state", G_CALLBACK (on_signaling_state), self);

  self->join_task = g_steal_pointer (&task);
  set_state (self, SOTTO_CALL_STATE_CONNECTING);
  sotto_signaling_client_connect_async (self->signaling, cancellable, on_connected,
                                        g_object_ref (self));
}

gboolean
sotto_call_session_join_finish (SottoCallSession *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sotto_call_session_leave (SottoCallSession *self)
{
  g_return_if_fail (SOTTO_IS_CALL_SESSION (self));

  if (self->ended)
    return;
  self->leaving = TRUE;
  if (self->signaling)
    {
      g_signal_handlers_disconnect_by_data (self->signaling, self);
      if (self->stream_id)
        sotto_signaling_client_unpublish (self->signaling, self->stream_id, NULL);
      sotto_signaling_client_leave (self->signaling);
    }
  end_call (self, NULL);
}

SottoCallState
sotto_call_session_get_state (SottoCallSession *self)
{
  return self->state;
}

SottoToken *
sotto_call_session_get_token (SottoCallSession *self)
{
  return self->token;
}

const char *
sotto_call_session_get_connection_id (SottoCallSession *self)
{
  return self->connection_id;
}

const char *
sotto_call_session_get_session_id (SottoCallSession *self)
{
  return self->session_id;
}

const char *
sotto_call_session_get_stream_id (SottoCallSession *self)
{
  return self->stream_id;
}

void
sotto_call_session_set_camera_enabled (SottoCallSession *self,
                                       gboolean          enabled)
{
  g_return_if_fail (SOTTO_IS_CALL_SESSION (self));
  self->camera_off = !enabled;
  if (self->sender)
    sotto_media_sender_set_enabled (self->sender, SOTTO_MEDIA_KIND_VIDEO, enabled);
  sotto_call_session_send_stream_state (self);
}

void
sotto_call_session_set_microphone_enabled (SottoCallSession *self,
                                           gboolean          enabled)
{
  g_return_if_fail (SOTTO_IS_CALL_SESSION (self));
  self->microphone_off = !enabled;
  if (self->sender)
    sotto_media_sender_set_enabled (self->sender, SOTTO_MEDIA_KIND_AUDIO, enabled);
  sotto_call_session_send_stream_state (self);
}

void
sotto_call_session_force_disconnect (SottoCallSession *self,
                                     const char       *connection_id,
                                     const char       *reason)
{
  g_autoptr (GError) error = NULL;

  if (self->signaling &&
      !sotto_signaling_client_force_disconnect (self->signaling, connection_id, reason, &error))
    sotto_call_session_emit_error (self, error);
}

void
sotto_call_session_force_unpublish (SottoCallSession *self,
                                    const char       *stream_id,
                                    const char       *reason)
{
  g_autoptr (GError) error = NULL;

  if (self->signaling &&
      !sotto_signaling_client_force_unpublish (self->signaling, stream_id, reason, &error))
    sotto_call_session_emit_error (self, error);
}

JsonNode *
sotto_call_session_dup_stats (SottoCallSession *self)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_array_add_element (array, sotto_call_subscription_dup_stats (value));
  json_node_take_array (node, array);
  return node;
}
