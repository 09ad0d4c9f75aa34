/* sotto-call-session-restart.c: a call that survives signaling drops and server restarts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Peer media never goes through the server, so neither a dropped signaling
 * socket nor a restarted server has to end a call. After a rejoin (the
 * server kept our connection) only the streams that ended meanwhile go.
 * After a restart (a new connection id) the old subscriptions become
 * orphans that keep playing until their replacements connect.
 */
#define G_LOG_DOMAIN "sotto-call-session"

#include "sotto-config.h"

#include "sotto-call-session-private.h"

void
sotto_call_session_forget_gone_streams (SottoCallSession *self, JsonArray *streams)
{
  /* Streams that ended while signaling was down: their peer media is
   * gone too. Everything else goes on untouched. */
  g_autoptr (GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; streams && i < json_array_get_length (streams); i++)
    g_hash_table_add (present, (gpointer) json_object_get_string_member (
                                 json_array_get_object_element (streams, i), "id"));
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key) && g_strcmp0 (key, self->stream_id) != 0)
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    sotto_call_session_remove_stream (self, g_ptr_array_index (gone, i), "ended while reconnecting");
}

void
sotto_call_session_close_orphans_of_stream (SottoCallSession *self, const char *stream_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (sotto_call_subscription_is_orphaned (value) &&
        sotto_call_subscription_get_direction (value) == SOTTO_CALL_SUBSCRIPTION_RECEIVE &&
        g_strcmp0 (sotto_call_subscription_get_stream_id (value), stream_id) == 0)
      {
        sotto_call_subscription_close (value);
        g_hash_table_iter_remove (&iter);
      }
}

static gboolean
on_orphan_timeout (gpointer user_data)
{
  SottoCallSession *self = user_data;
  GHashTableIter iter;
  gpointer value;

  self->orphan_timeout = 0;
  if (g_hash_table_size (self->unconfirmed) > 0)
    {
      g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
      gpointer key;

      g_hash_table_iter_init (&iter, self->unconfirmed);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (gone, g_strdup (key));
      g_hash_table_remove_all (self->unconfirmed);
      for (guint i = 0; i < gone->len; i++)
        sotto_call_session_remove_stream (self, g_ptr_array_index (gone, i), "did not come back after the server restarted");
    }
  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (sotto_call_subscription_is_orphaned (value))
      {
        sotto_call_subscription_close (value);
        g_hash_table_iter_remove (&iter);
      }
  return G_SOURCE_REMOVE;
}

/* The server came back without memory of us (it restarted): we got a new
 * connection id. Peer media goes on over the old subscriptions, now
 * orphaned, while we publish again under the same stream id and subscribe
 * again; each orphan is closed when its replacement connects, or after a
 * while at the latest. */
void
sotto_call_session_adopt_new_connection (SottoCallSession *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sotto_call_subscription_set_orphaned (value);
  g_hash_table_remove_all (self->subscribed);

  sotto_call_session_forget_participants (self, "server restarted");

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_strcmp0 (key, self->stream_id) != 0)
      g_hash_table_add (self->unconfirmed, g_strdup (key));

  g_clear_handle_id (&self->orphan_timeout, g_source_remove);
  self->orphan_timeout = g_timeout_add_seconds (20, on_orphan_timeout, self);

  /* The new server has never heard of our stream: the publish carries the
   * camera and microphone as they are now. */
  if (self->stream_id)
    sotto_call_session_send_publish (self);
}
