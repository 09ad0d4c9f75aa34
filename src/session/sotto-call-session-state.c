/* sotto-call-session-state.c: whose camera is off, whose microphone muted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turning a camera off or muting a microphone keeps the stream published
 * (its peer connections carry on), so the others cannot tell from the media
 * alone: they would see a frozen frame. Our state goes out with `publish`
 * and then as `stream-state` whenever it changes; every stream's state
 * comes back in stream objects and `stream-state-changed`
 * (docs/protocol.md).
 */
#define G_LOG_DOMAIN "sotto-call-session"

#include "sotto-config.h"

#include "sotto-call-session-private.h"

/* Values of `stream_states`: never 0, so that a lookup tells an unknown
 * stream from one with everything off. */
#define STATE_KNOWN 1u
#define STATE_AUDIO 2u
#define STATE_VIDEO 4u

static guint
pack (gboolean audio_active, gboolean video_active)
{
  return STATE_KNOWN | (audio_active ? STATE_AUDIO : 0) | (video_active ? STATE_VIDEO : 0);
}

static guint
own_state (SottoCallSession *self)
{
  return pack (!self->microphone_off, !self->camera_off);
}

void
sotto_call_session_send_publish (SottoCallSession *self)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_PUBLISH);
  g_autoptr (GError) error = NULL;

  sotto_signal_message_set_string (msg, "stream_id", self->stream_id);
  sotto_signal_message_take_node (msg, "kinds",
                                  sotto_signal_kinds_to_node (SOTTO_SIGNAL_KIND_AUDIO |
                                                              SOTTO_SIGNAL_KIND_VIDEO));
  sotto_signal_message_set_string (msg, "name", self->stream_name ? self->stream_name : "");
  sotto_signal_message_set_bool (msg, "audio", !self->microphone_off);
  sotto_signal_message_set_bool (msg, "video", !self->camera_off);
  if (!sotto_signaling_client_send (self->signaling, msg, &error))
    {
      sotto_call_session_emit_error (self, error);
      return;
    }
  self->sent_state = own_state (self);
}

void
sotto_call_session_send_stream_state (SottoCallSession *self)
{
  g_autoptr (GError) error = NULL;

  if (!self->stream_id || !self->signaling || self->ended || self->sent_state == own_state (self))
    return;
  if (!sotto_signaling_client_set_stream_state (self->signaling, self->stream_id,
                                                !self->microphone_off, !self->camera_off, &error))
    {
      sotto_call_session_emit_error (self, error);
      return;
    }
  self->sent_state = own_state (self);
}

void
sotto_call_session_resync_stream_state (SottoCallSession *self,
                                        JsonArray        *streams)
{
  /* What the server kept of our stream is what the others see; a toggle
   * that did not reach it before the drop goes out now. */
  for (guint i = 0; self->stream_id && streams && i < json_array_get_length (streams); i++)
    {
      JsonObject *stream = json_array_get_object_element (streams, i);

      if (g_strcmp0 (json_object_get_string_member (stream, "id"), self->stream_id) == 0)
        self->sent_state = pack (json_object_get_boolean_member (stream, "audio_active"),
                                 json_object_get_boolean_member (stream, "video_active"));
    }
  sotto_call_session_send_stream_state (self);
}

gboolean
sotto_call_session_store_stream_state (SottoCallSession *self,
                                       const char       *stream_id,
                                       gboolean          audio_active,
                                       gboolean          video_active)
{
  guint state = pack (audio_active, video_active);

  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->stream_states, stream_id)) == state)
    return FALSE;
  g_hash_table_insert (self->stream_states, g_strdup (stream_id), GUINT_TO_POINTER (state));
  return TRUE;
}

gboolean
sotto_call_session_get_stream_state (SottoCallSession *self,
                                     const char       *stream_id,
                                     gboolean         *audio_active,
                                     gboolean         *video_active)
{
  guint state;

  g_return_val_if_fail (SOTTO_IS_CALL_SESSION (self), FALSE);
  g_return_val_if_fail (stream_id != NULL, FALSE);

  state = GPOINTER_TO_UINT (g_hash_table_lookup (self->stream_states, stream_id));
  if (audio_active)
    *audio_active = (state & STATE_AUDIO) != 0;
  if (video_active)
    *video_active = (state & STATE_VIDEO) != 0;
  return state != 0;
}
