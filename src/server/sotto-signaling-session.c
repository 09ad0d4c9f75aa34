/* sotto-signaling-session.c: one session's live state inside the signaling hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who is connected, which streams they publish and which subscriptions link
 * a stream to a subscriber. Every rule that depends on that state lives
 * here: ownership of streams, forwarding only between the two ends of a
 * subscription, and the subscriber count (a subscription counts once both
 * ends report media connected). docs/protocol.md, "Signaling", specifies it.
 */
#define G_LOG_DOMAIN "sotto-signaling"

#include "sotto-config.h"

#include "sotto-signaling-session.h"

#include "sotto-random.h"

#define ID_RANDOM_BYTES 9   /* 72 bits: 12 base64url characters */

GPtrArray *
sotto_signaling_values (GHashTable *table)
{
  GPtrArray *values = g_ptr_array_sized_new (g_hash_table_size (table));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (values, value);
  return values;
}

static void
refuse (SottoSignalingRefusal *refusal,
        const char            *code,
        const char            *message)
{
  refusal->code = code;
  refusal->message = message;
}

static void
connection_free (SottoSignalingConnection *conn)
{
  char *frame;

  g_free (conn->id);
  g_free (conn->data);
  g_free (conn->jti);
  g_hash_table_unref (conn->streams);
  g_hash_table_unref (conn->subscriptions);
  while ((frame = g_queue_pop_head (&conn->pending)) != NULL)
    g_free (frame);
  g_free (conn);
}

static void
stream_free (SottoSignalingStream *stream)
{
  g_free (stream->id);
  g_free (stream->name);
  g_hash_table_unref (stream->subscriptions);
  g_free (stream);
}

static void
subscription_free (SottoSignalingSubscription *sub)
{
  g_free (sub->id);
  g_free (sub);
}

SottoSignalingSession *
sotto_signaling_session_new (const char *id,
                             guint       max_participants)
{
  SottoSignalingSession *self = g_new0 (SottoSignalingSession, 1);

  self->id = g_strdup (id);
  self->max_participants = max_participants;
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) connection_free);
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) stream_free);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) subscription_free);
  self->connection_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->queue_limit = SOTTO_SIGNALING_QUEUE_LIMIT;
  return self;
}

void
sotto_signaling_session_free (SottoSignalingSession *self)
{
  /* Subscriptions and streams point at connections: free them first. */
  g_hash_table_unref (self->subscriptions);
  g_hash_table_unref (self->streams);
  g_hash_table_unref (self->connections);
  g_hash_table_unref (self->connection_ids);
  g_free (self->id);
  g_free (self);
}

gboolean
sotto_signaling_session_is_empty (SottoSignalingSession *self)
{
  return g_hash_table_size (self->connections) == 0;
}

static char *
format_time (gint64 real_time_us)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (real_time_us / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static JsonNode *
connection_to_node (SottoSignalingConnection *conn)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autofree char *since = format_time (conn->connected_since);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, conn->id);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, sotto_role_to_string (conn->role));
  json_builder_set_member_name (builder, "data");
  if (conn->data != NULL)
    json_builder_add_string_value (builder, conn->data);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "connected_since");
  json_builder_add_string_value (builder, since);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
stream_to_node (SottoSignalingStream *stream)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", stream->id);
  json_object_set_string_member (object, "owner", stream->owner->id);
  json_object_set_member (object, "kinds", sotto_signal_kinds_to_node (stream->kinds));
  json_object_set_string_member (object, "name", stream->name);
  json_object_set_int_member (object, "subscribers", stream->subscribers);
  json_object_set_boolean_member (object, "audio_active", stream->audio_active);
  json_object_set_boolean_member (object, "video_active", stream->video_active);
  json_node_take_object (node, object);
  return node;
}

static JsonNode *
subscription_to_node (SottoSignalingSubscription *sub)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", sub->id);
  json_object_set_string_member (object, "stream_id", sub->stream->id);
  json_object_set_string_member (object, "publisher", sub->publisher->id);
  json_object_set_string_member (object, "subscriber", sub->subscriber->id);
  json_node_take_object (node, object);
  return node;
}

void
sotto_signaling_connection_send_text (SottoSignalingConnection *conn,
                                      const char               *text)
{
  if (conn->peer != NULL &&
      sotto_signal_socket_is_open (conn->peer->ws))
    {
      sotto_signal_socket_send_text (conn->peer->ws, text);
      return;
    }
  /* Detached (or its socket is closing), waiting for a rejoin: hold a
   * bounded number of frames so a renegotiation in flight survives a
   * signaling blip. */
  if (g_queue_get_length (&conn->pending) < conn->session->queue_limit)
    g_queue_push_tail (&conn->pending, g_strdup (text));
}

void
sotto_signaling_connection_send (SottoSignalingConnection *conn,
                                 SottoSignalMessage       *msg)
{
  g_autofree char *text = sotto_signal_message_to_string (msg, NULL);

  sotto_signaling_connection_send_text (conn, text);
}

void
sotto_signaling_connection_attach (SottoSignalingConnection *conn,
                                   SottoSignalingPeer       *peer)
{
  char *frame;

  conn->peer = peer;
  conn->grace_deadline = 0;
  peer->conn = conn;
  while ((frame = g_queue_pop_head (&conn->pending)) != NULL)
    {
      sotto_signaling_connection_send_text (conn, frame);
      g_free (frame);
    }
}

void
sotto_signaling_session_broadcast (SottoSignalingSession    *self,
                                   SottoSignalMessage       *msg,
                                   SottoSignalingConnection *except)
{
  g_autofree char *text = sotto_signal_message_to_string (msg, NULL);
  GHashTableIter iter;
  SottoSignalingConnection *conn;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    if (conn != except)
      sotto_signaling_connection_send_text (conn, text);
}

SottoSignalingConnection *
sotto_signaling_session_find_by_jti (SottoSignalingSession *self,
                                     const char            *jti)
{
  const char *id = g_hash_table_lookup (self->connection_ids, jti);

  return id != NULL ? g_hash_table_lookup (self->connections, id) : NULL;
}

SottoSignalingConnection *
sotto_signaling_session_add (SottoSignalingSession *self,
                             SottoToken            *token)
{
  SottoSignalingConnection *conn = g_new0 (SottoSignalingConnection, 1);
  g_autoptr (SottoSignalMessage) created = NULL;
  const char *known_id = g_hash_table_lookup (self->connection_ids, sotto_token_get_id (token));

  /* A token that was here before (and timed out) gets its old id back, so
   * peers that still hold media state for it can recognise it. */
  conn->id = known_id != NULL ? g_strdup (known_id) : sotto_random_id (ID_RANDOM_BYTES);
  conn->role = sotto_token_get_role (token);
  conn->data = g_strdup (sotto_token_get_data (token));
  conn->jti = g_strdup (sotto_token_get_id (token));
  conn->expires_at = sotto_token_get_expires_at (token);
  conn->connected_since = g_get_real_time ();
  conn->session = self;
  conn->streams = g_hash_table_new (g_str_hash, g_str_equal);
  conn->subscriptions = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&conn->pending);

  g_hash_table_insert (self->connections, conn->id, conn);
  if (known_id == NULL)
    g_hash_table_insert (self->connection_ids, g_strdup (conn->jti), g_strdup (conn->id));

  created = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_CONNECTION_CREATED);
  sotto_signal_message_take_node (created, "connection", connection_to_node (conn));
  sotto_signaling_session_broadcast (self, created, conn);
  return conn;
}

static void
broadcast_count (SottoSignalingSession *self,
                 SottoSignalingStream  *stream)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_SUBSCRIBER_COUNT);

  sotto_signal_message_set_string (msg, "stream_id", stream->id);
  sotto_signal_message_set_int (msg, "subscribers", stream->subscribers);
  sotto_signaling_session_broadcast (self, msg, NULL);
}

/* A subscription counts while both ends report media connected. */
static void
update_count (SottoSignalingSession      *self,
              SottoSignalingSubscription *sub,
              gboolean                    announce)
{
  gboolean should_count = sub->publisher_connected && sub->subscriber_connected;

  if (should_count == sub->counted)
    return;
  sub->counted = should_count;
  if (should_count)
    sub->stream->subscribers++;
  else
    sub->stream->subscribers--;
  if (announce)
    broadcast_count (self, sub->stream);
}

static void
destroy_subscription (SottoSignalingSession       *self,
                      SottoSignalingSubscription  *sub,
                      const char                  *reason,
                      gboolean                     announce_count)
{
  g_autoptr (SottoSignalMessage) msg =
    sotto_signal_message_new (SOTTO_SIGNAL_TYPE_SUBSCRIPTION_DESTROYED);

  sub->publisher_connected = sub->subscriber_connected = FALSE;
  update_count (self, sub, announce_count);

  sotto_signal_message_set_string (msg, "subscription_id", sub->id);
  sotto_signal_message_set_string (msg, "stream_id", sub->stream->id);
  sotto_signal_message_set_string (msg, "reason", reason);
  sotto_signaling_connection_send (sub->publisher, msg);
  sotto_signaling_connection_send (sub->subscriber, msg);

  g_hash_table_remove (sub->stream->subscriptions, sub->id);
  g_hash_table_remove (sub->publisher->subscriptions, sub->id);
  g_hash_table_remove (sub->subscriber->subscriptions, sub->id);
  g_hash_table_remove (self->subscriptions, sub->id);
}

static void
destroy_stream (SottoSignalingSession *self,
                SottoSignalingStream  *stream,
                const char            *reason)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_STREAM_DESTROYED);
  g_autoptr (GPtrArray) subs = sotto_signaling_values (stream->subscriptions);

  for (guint i = 0; i < subs->len; i++)
    destroy_subscription (self, g_ptr_array_index (subs, i), "stream-destroyed", FALSE);

  sotto_signal_message_set_string (msg, "stream_id", stream->id);
  sotto_signal_message_set_string (msg, "owner", stream->owner->id);
  sotto_signal_message_set_string (msg, "reason", reason);
  sotto_signaling_session_broadcast (self, msg, NULL);

  g_hash_table_remove (stream->owner->streams, stream->id);
  g_hash_table_remove (self->streams, stream->id);
}

void
sotto_signaling_session_remove (SottoSignalingSession    *self,
                                SottoSignalingConnection *conn,
                                const char               *reason,
                                gushort                   close_code)
{
  g_autoptr (SottoSignalMessage) msg = NULL;
  g_autoptr (GPtrArray) streams = sotto_signaling_values (conn->streams);
  g_autoptr (GPtrArray) subs = NULL;

  for (guint i = 0; i < streams->len; i++)
    destroy_stream (self, g_ptr_array_index (streams, i), "owner-left");
  subs = sotto_signaling_values (conn->subscriptions);
  for (guint i = 0; i < subs->len; i++)
    destroy_subscription (self, g_ptr_array_index (subs, i), "subscriber-left", TRUE);

  if (conn->peer != NULL)
    {
      SottoSignalingPeer *peer = conn->peer;

      /* Detach first: the socket's `closed` handler must not see a
       * connection to put into the rejoin grace period. */
      peer->conn = NULL;
      conn->peer = NULL;
      if (sotto_signal_socket_is_open (peer->ws))
        sotto_signal_socket_close (peer->ws, close_code, reason);
    }

  g_hash_table_steal (self->connections, conn->id);
  msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_CONNECTION_DESTROYED);
  sotto_signal_message_set_string (msg, "connection_id", conn->id);
  sotto_signal_message_set_string (msg, "reason", reason);
  sotto_signaling_session_broadcast (self, msg, NULL);
  connection_free (conn);
}

SottoSignalMessage *
sotto_signaling_session_build_welcome (SottoSignalingSession    *self,
                                       SottoSignalingConnection *conn,
                                       gboolean                  rejoined)
{
  SottoSignalMessage *msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_WELCOME);
  JsonArray *connections = json_array_new ();
  JsonArray *streams = json_array_new ();
  JsonArray *subs = json_array_new ();
  JsonNode *node;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value != conn)
      json_array_add_element (connections, connection_to_node (value));
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_array_add_element (streams, stream_to_node (value));
  g_hash_table_iter_init (&iter, conn->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_array_add_element (subs, subscription_to_node (value));

  sotto_signal_message_set_string (msg, "connection_id", conn->id);
  sotto_signal_message_set_string (msg, "session_id", self->id);
  sotto_signal_message_set_string (msg, "role", sotto_role_to_string (conn->role));
  sotto_signal_message_set_string (msg, "data", conn->data);
  sotto_signal_message_set_bool (msg, "rejoined", rejoined);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, connections);
  sotto_signal_message_take_node (msg, "connections", node);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, streams);
  sotto_signal_message_take_node (msg, "streams", node);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, subs);
  sotto_signal_message_take_node (msg, "subscriptions", node);
  return msg;
}

JsonNode *
sotto_signaling_session_describe (SottoSignalingSession *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  GHashTableIter iter;
  gpointer value;
  guint subscribers = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "connections");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_builder_add_value (builder, connection_to_node (value));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "streams");
  json_builder_begin_array (builder);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      json_builder_add_value (builder, stream_to_node (value));
      subscribers += ((SottoSignalingStream *) value)->subscribers;
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "totals");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "connections");
  json_builder_add_int_value (builder, g_hash_table_size (self->connections));
  json_builder_set_member_name (builder, "streams");
  json_builder_add_int_value (builder, g_hash_table_size (self->streams));
  json_builder_set_member_name (builder, "subscriptions");
  json_builder_add_int_value (builder, g_hash_table_size (self->subscriptions));
  json_builder_set_member_name (builder, "subscribers");
  json_builder_add_int_value (builder, subscribers);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
sotto_signaling_session_publish (SottoSignalingSession    *self,
                                 SottoSignalingConnection *conn,
                                 SottoSignalMessage       *msg,
                                 SottoSignalingRefusal    *refusal)
{
  const char *stream_id = sotto_signal_message_get_string (msg, "stream_id");
  const char *name = sotto_signal_message_get_string (msg, "name");
  SottoSignalingStream *stream;
  g_autoptr (SottoSignalMessage) created = NULL;

  if (conn->role == SOTTO_ROLE_SUBSCRIBER)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_FORBIDDEN, "The subscriber role cannot publish");
      return FALSE;
    }
  if (g_hash_table_contains (self->streams, stream_id))
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_STREAM_EXISTS,
              "A stream with this id already exists in the session");
      return FALSE;
    }
  if (g_hash_table_size (conn->streams) >= SOTTO_SIGNALING_MAX_STREAMS_PER_CONNECTION)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_LIMIT, "Too many streams published by this connection");
      return FALSE;
    }

  stream = g_new0 (SottoSignalingStream, 1);
  stream->id = g_strdup (stream_id);
  stream->owner = conn;
  stream->kinds = sotto_signal_kinds_from_node (sotto_signal_message_get_node (msg, "kinds"));
  stream->name = g_strdup (name != NULL ? name : "");
  stream->audio_active = sotto_signal_message_get_bool (msg, "audio", TRUE);
  stream->video_active = sotto_signal_message_get_bool (msg, "video", TRUE);
  stream->subscriptions = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (self->streams, stream->id, stream);
  g_hash_table_insert (conn->streams, stream->id, stream);

  created = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_STREAM_CREATED);
  sotto_signal_message_take_node (created, "stream", stream_to_node (stream));
  sotto_signaling_session_broadcast (self, created, NULL);
  return TRUE;
}

gboolean
sotto_signaling_session_unpublish (SottoSignalingSession    *self,
                                   SottoSignalingConnection *conn,
                                   const char               *stream_id,
                                   const char               *reason,
                                   SottoSignalingRefusal    *refusal)
{
  SottoSignalingStream *stream;

  if (conn->role == SOTTO_ROLE_SUBSCRIBER)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_FORBIDDEN, "The subscriber role cannot unpublish");
      return FALSE;
    }
  stream = g_hash_table_lookup (self->streams, stream_id);
  if (stream == NULL)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_STREAM, "No stream with this id in the session");
      return FALSE;
    }
  if (stream->owner != conn)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_NOT_YOURS,
              "This stream belongs to another connection (moderators use force-unpublish)");
      return FALSE;
    }
  destroy_stream (self, stream, reason);
  return TRUE;
}

gboolean
sotto_signaling_session_stream_state (SottoSignalingSession    *self,
                                      SottoSignalingConnection *conn,
                                      SottoSignalMessage       *msg,
                                      SottoSignalingRefusal    *refusal)
{
  SottoSignalingStream *stream;
  g_autoptr (SottoSignalMessage) changed = NULL;

  if (conn->role == SOTTO_ROLE_SUBSCRIBER)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_FORBIDDEN, "The subscriber role has no streams");
      return FALSE;
    }
  stream = g_hash_table_lookup (self->streams, sotto_signal_message_get_string (msg, "stream_id"));
  if (stream == NULL)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_STREAM, "No stream with this id in the session");
      return FALSE;
    }
  if (stream->owner != conn)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_NOT_YOURS,
              "Only the stream's owner can say what it sends");
      return FALSE;
    }
  stream->audio_active = sotto_signal_message_get_bool (msg, "audio", TRUE);
  stream->video_active = sotto_signal_message_get_bool (msg, "video", TRUE);

  /* To everyone, the owner included: like publish, the request is
   * acknowledged by its effect. */
  changed = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_STREAM_STATE_CHANGED);
  sotto_signal_message_set_string (changed, "stream_id", stream->id);
  sotto_signal_message_set_bool (changed, "audio", stream->audio_active);
  sotto_signal_message_set_bool (changed, "video", stream->video_active);
  sotto_signaling_session_broadcast (self, changed, NULL);
  return TRUE;
}

void
sotto_signaling_session_force_unpublish (SottoSignalingSession *self,
                                         SottoSignalingStream  *stream,
                                         const char            *by,
                                         const char            *reason)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISHED);

  sotto_signal_message_set_string (msg, "stream_id", stream->id);
  sotto_signal_message_set_string (msg, "by", by);
  sotto_signal_message_set_string (msg, "reason", reason);
  sotto_signaling_connection_send (stream->owner, msg);
  destroy_stream (self, stream, "force-unpublished");
}

gboolean
sotto_signaling_session_subscribe (SottoSignalingSession    *self,
                                   SottoSignalingConnection *conn,
                                   SottoSignalMessage       *msg,
                                   SottoSignalingRefusal    *refusal)
{
  const char *stream_id = sotto_signal_message_get_string (msg, "stream_id");
  SottoSignalingStream *stream = g_hash_table_lookup (self->streams, stream_id);
  SottoSignalingSubscription *sub;
  g_autoptr (SottoSignalMessage) created = NULL;
  GHashTableIter iter;
  gpointer value;

  if (stream == NULL)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_STREAM, "No stream with this id in the session");
      return FALSE;
    }
  if (stream->owner == conn)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_NOT_YOURS, "A connection cannot subscribe to its own stream");
      return FALSE;
    }
  g_hash_table_iter_init (&iter, stream->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((SottoSignalingSubscription *) value)->subscriber == conn)
      {
        refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_ALREADY_SUBSCRIBED,
                "This connection already subscribes to the stream");
        return FALSE;
      }
  if (g_hash_table_size (conn->subscriptions) >= SOTTO_SIGNALING_MAX_SUBSCRIPTIONS_PER_CONNECTION ||
      g_hash_table_size (stream->owner->subscriptions) >= SOTTO_SIGNALING_MAX_SUBSCRIPTIONS_PER_CONNECTION)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_LIMIT, "Too many subscriptions");
      return FALSE;
    }

  sub = g_new0 (SottoSignalingSubscription, 1);
  sub->id = sotto_random_id (ID_RANDOM_BYTES);
  sub->stream = stream;
  sub->publisher = stream->owner;
  sub->subscriber = conn;
  g_hash_table_insert (self->subscriptions, sub->id, sub);
  g_hash_table_insert (stream->subscriptions, sub->id, sub);
  g_hash_table_insert (sub->publisher->subscriptions, sub->id, sub);
  g_hash_table_insert (conn->subscriptions, sub->id, sub);

  created = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_SUBSCRIPTION_CREATED);
  sotto_signal_message_set_string (created, "subscription_id", sub->id);
  sotto_signal_message_set_string (created, "stream_id", stream->id);
  sotto_signal_message_set_string (created, "publisher", sub->publisher->id);
  sotto_signal_message_set_string (created, "subscriber", conn->id);
  sotto_signaling_connection_send (conn, created);
  sotto_signaling_connection_send (sub->publisher, created);
  return TRUE;
}

/* The subscription `msg` names, if `conn` is one of its two ends. */
static SottoSignalingSubscription *
own_subscription (SottoSignalingSession    *self,
                  SottoSignalingConnection *conn,
                  SottoSignalMessage       *msg,
                  SottoSignalingRefusal    *refusal)
{
  const char *id = sotto_signal_message_get_string (msg, "subscription_id");
  SottoSignalingSubscription *sub = g_hash_table_lookup (self->subscriptions, id);

  if (sub == NULL)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_SUBSCRIPTION,
              "No subscription with this id in the session");
      return NULL;
    }
  if (sub->publisher != conn && sub->subscriber != conn)
    {
      refuse (refusal, SOTTO_SIGNAL_ERROR_CODE_NOT_YOURS,
              "This connection is not an end of that subscription");
      return NULL;
    }
  return sub;
}

gboolean
sotto_signaling_session_unsubscribe (SottoSignalingSession    *self,
                                     SottoSignalingConnection *conn,
                                     SottoSignalMessage       *msg,
                                     SottoSignalingRefusal    *refusal)
{
  SottoSignalingSubscription *sub = own_subscription (self, conn, msg, refusal);

  if (sub == NULL)
    return FALSE;
  /* Either end may end it: the publisher may drop a subscriber it cannot serve. */
  destroy_subscription (self, sub, "unsubscribed", TRUE);
  return TRUE;
}

gboolean
sotto_signaling_session_forward (SottoSignalingSession    *self,
                                 SottoSignalingConnection *conn,
                                 SottoSignalMessage       *msg,
                                 SottoSignalingRefusal    *refusal)
{
  SottoSignalingSubscription *sub = own_subscription (self, conn, msg, refusal);
  SottoSignalMessageType type = sotto_signal_message_get_message_type (msg);
  g_autoptr (SottoSignalMessage) out = NULL;
  static const char *const fields[] = { "sdp", "candidate", "sdp_mid", "sdp_mline_index" };

  if (sub == NULL)
    return FALSE;

  /* Rebuilt from the known fields only: nothing else the sender put in the
   * object reaches the other end, and `from` cannot be forged. */
  out = sotto_signal_message_new (type);
  sotto_signal_message_set_string (out, "subscription_id", sub->id);
  sotto_signal_message_set_string (out, "from", conn->id);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      JsonNode *node = sotto_signal_message_get_node (msg, fields[i]);

      if (node != NULL)
        sotto_signal_message_take_node (out, fields[i], json_node_copy (node));
    }
  sotto_signaling_connection_send (sub->publisher == conn ? sub->subscriber : sub->publisher, out);
  return TRUE;
}

gboolean
sotto_signaling_session_media_report (SottoSignalingSession    *self,
                                      SottoSignalingConnection *conn,
                                      SottoSignalMessage       *msg,
                                      SottoSignalingRefusal    *refusal)
{
  SottoSignalingSubscription *sub = own_subscription (self, conn, msg, refusal);
  gboolean connected;

  if (sub == NULL)
    return FALSE;
  connected = sotto_signal_message_get_message_type (msg) == SOTTO_SIGNAL_TYPE_MEDIA_CONNECTED;
  if (sub->publisher == conn)
    sub->publisher_connected = connected;
  else
    sub->subscriber_connected = connected;
  update_count (self, sub, TRUE);
  return TRUE;
}
