/* sotto-call-controller.c: drives the call page from a SottoCallSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session speaks of connections and streams; the page of tiles, one per
 * remote participant who publishes. This object keeps the two in step, owns
 * the moderator panel's list models, and polls the session's statistics
 * once a second for the tiles' stats popovers and encryption indicators.
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>

#include "sotto-call-controller.h"

#include "sotto-moderator-panel.h"
#include "sotto-participant-item.h"
#include "sotto-stream-item.h"
#include "sotto-token-preview.h"

struct _SottoCallController
{
  GObject parent_instance;

  SottoCallPage    *page;          /* weak: the window owns it */
  SottoCallSession *session;
  GListStore       *participants;  /* SottoParticipantItem */
  GListStore       *streams;       /* SottoStreamItem */
  GHashTable       *stream_owner;  /* stream id → owner connection id */
  guint             stats_source;
  gboolean          ended;
};

G_DEFINE_FINAL_TYPE (SottoCallController, sotto_call_controller, G_TYPE_OBJECT)

enum {
  SIGNAL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
find_participant (SottoCallController *self, const char *id, guint *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->participants)); i++)
    {
      g_autoptr (SottoParticipantItem) item = g_list_model_get_item (G_LIST_MODEL (self->participants), i);

      if (g_strcmp0 (sotto_participant_item_get_id (item), id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static SottoStreamItem *
find_stream (SottoCallController *self, const char *id, guint *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->streams)); i++)
    {
      g_autoptr (SottoStreamItem) item = g_list_model_get_item (G_LIST_MODEL (self->streams), i);

      if (g_strcmp0 (sotto_stream_item_get_id (item), id) == 0)
        {
          if (position)
            *position = i;
          return item;  /* the store keeps it alive */
        }
    }
  return NULL;
}

static const char *
participant_name (SottoCallController *self, const char *id)
{
  guint position;
  g_autoptr (SottoParticipantItem) item = NULL;

  if (!find_participant (self, id, &position))
    return NULL;
  item = g_list_model_get_item (G_LIST_MODEL (self->participants), position);
  /* The store keeps the item, and so its name, alive. */
  return sotto_participant_item_get_display_name (item);
}

static void
on_participant_joined (SottoCallSession *session, const char *id, const char *role_text,
                       const char *data, SottoCallController *self)
{
  g_autofree char *name = sotto_token_preview_name_from_data (data);
  g_autoptr (SottoParticipantItem) item = NULL;
  SottoRole role = SOTTO_ROLE_SUBSCRIBER;
  guint position;

  if (find_participant (self, id, &position))
    return;
  sotto_role_from_string (role_text, &role);
  item = sotto_participant_item_new (id, name, role);
  sotto_participant_item_set_state (item, SOTTO_CONNECTION_STATE_CONNECTED);
  g_list_store_append (self->participants, item);
}

static void
on_participant_left (SottoCallSession *session, const char *id, const char *reason,
                     SottoCallController *self)
{
  guint position;

  if (find_participant (self, id, &position))
    g_list_store_remove (self->participants, position);
  sotto_call_page_remove_tile (self->page, id);
}

static void
on_stream_added (SottoCallSession *session, const char *stream_id, const char *owner,
                 const char *stream_name, SottoCallController *self)
{
  const char *me = sotto_call_session_get_connection_id (session);
  gboolean mine = g_strcmp0 (owner, me) == 0;
  g_autofree char *own_name = mine ? sotto_token_preview_name_from_data (
                                       sotto_token_get_data (sotto_call_session_get_token (session)))
                                   : NULL;
  const char *name = mine ? own_name : participant_name (self, owner);
  g_autoptr (SottoStreamItem) item = NULL;
  gboolean audio_active = TRUE, video_active = TRUE;
  SottoVideoTile *tile;

  if (find_stream (self, stream_id, NULL))
    return;
  g_hash_table_replace (self->stream_owner, g_strdup (stream_id), g_strdup (owner));
  item = sotto_stream_item_new (stream_id, owner, name, TRUE, TRUE);
  sotto_call_session_get_stream_state (session, stream_id, &audio_active, &video_active);
  sotto_stream_item_set_active (item, audio_active, video_active);
  g_list_store_append (self->streams, item);
  if (mine)
    return;
  /* The owner's switches reach the tile through the item, so that a camera
   * turned off shows as off rather than as a frozen frame. */
  tile = sotto_call_page_add_tile (self->page, owner, name);
  g_object_bind_property (item, "muted", tile, "muted", G_BINDING_SYNC_CREATE);
  g_object_bind_property (item, "camera-off", tile, "camera-off", G_BINDING_SYNC_CREATE);
}

static void
on_stream_state_changed (SottoCallSession *session, const char *stream_id, gboolean audio_active,
                         gboolean video_active, SottoCallController *self)
{
  SottoStreamItem *item = find_stream (self, stream_id, NULL);

  if (item)
    sotto_stream_item_set_active (item, audio_active, video_active);
}

static void
on_stream_removed (SottoCallSession *session, const char *stream_id, const char *reason,
                   SottoCallController *self)
{
  const char *owner = g_hash_table_lookup (self->stream_owner, stream_id);
  guint position;

  if (find_stream (self, stream_id, &position))
    g_list_store_remove (self->streams, position);
  if (owner)
    sotto_call_page_remove_tile (self->page, owner);
  g_hash_table_remove (self->stream_owner, stream_id);
}

static void
on_subscriber_count (SottoCallSession *session, const char *stream_id, guint count,
                     SottoCallController *self)
{
  SottoStreamItem *item = find_stream (self, stream_id, NULL);

  if (item)
    sotto_stream_item_set_subscriber_count (item, count);
  if (g_strcmp0 (stream_id, sotto_call_session_get_stream_id (session)) == 0)
    sotto_call_page_set_watching_count (self->page, count);
}

static void
on_video_frame (SottoCallSession *session, const char *stream_id, guint width, guint height,
                guint stride, GBytes *pixels, SottoCallController *self)
{
  const char *owner = g_hash_table_lookup (self->stream_owner, stream_id);

  if (owner)
    sotto_call_page_push_frame (self->page, owner, width, height, stride, pixels);
}

static void
on_local_video_frame (SottoCallSession *session, guint width, guint height, guint stride,
                      GBytes *pixels, SottoCallController *self)
{
  sotto_call_page_push_frame (self->page, NULL, width, height, stride, pixels);
}

static void
on_moderated (SottoCallSession *session, const char *action, const char *target,
              const char *by, const char *reason, SottoCallController *self)
{
  if (g_strcmp0 (action, "force-unpublished") == 0 &&
      g_strcmp0 (target, sotto_call_session_get_stream_id (session)) == 0)
    sotto_call_page_show_toast (self->page, _("A moderator stopped your camera and microphone"));
}

static void
on_state_changed (SottoCallSession *session, SottoCallController *self)
{
  sotto_call_page_set_reconnecting (self->page,
                                    sotto_call_session_get_state (session) == SOTTO_CALL_STATE_RECONNECTING);
}

static void
on_session_error (SottoCallSession *session, const GError *error, SottoCallController *self)
{
  sotto_call_page_show_error (self->page, error);
}

static void
finish (SottoCallController *self, const GError *error)
{
  if (self->ended)
    return;
  self->ended = TRUE;
  g_clear_handle_id (&self->stats_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->session, self);
  g_signal_emit (self, signals[SIGNAL_ENDED], 0, error);
}

static void
on_session_ended (SottoCallSession *session, const GError *error, SottoCallController *self)
{
  finish (self, error);
}

static void
on_joined (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SottoCallController) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoParticipantItem) me = NULL;
  g_autofree char *name = NULL;
  SottoToken *token;

  if (!sotto_call_session_join_finish (SOTTO_CALL_SESSION (source), result, &error))
    {
      finish (self, error);
      return;
    }
  if (self->ended)
    return;

  token = sotto_call_session_get_token (self->session);
  name = sotto_token_preview_name_from_data (sotto_token_get_data (token));
  me = sotto_participant_item_new (sotto_call_session_get_connection_id (self->session),
                                   name, sotto_token_get_role (token));
  sotto_participant_item_set_is_self (me, TRUE);
  sotto_participant_item_set_state (me, SOTTO_CONNECTION_STATE_CONNECTED);
  g_list_store_insert (self->participants, 0, me);
}

static void
apply_stats (SottoCallController *self, JsonObject *sub, GHashTable *rtt_by_peer)
{
  const char *stream_id = json_object_get_string_member_with_default (sub, "stream_id", NULL);
  const char *owner = stream_id ? g_hash_table_lookup (self->stream_owner, stream_id) : NULL;
  SottoVideoTile *tile = owner ? sotto_call_page_get_tile (self->page, owner) : NULL;
  SottoTileStats stats = { 0 };
  gint64 received, lost;

  if (!tile)
    return;
  received = json_object_get_int_member_with_default (sub, "packets_received", 0);
  lost = json_object_get_int_member_with_default (sub, "packets_lost", 0);
  stats.bitrate_bps = json_object_get_int_member_with_default (sub, "bitrate_kbps", -1) * 1000.0;
  stats.loss_fraction = received + lost > 0 ? (double) MAX (lost, 0) / (double) (received + MAX (lost, 0)) : 0.0;
  /* The round trip is measured on our own stream to that person (their
   * receiver reports answer our sender reports); the path is the same. */
  stats.rtt_ms = -1.0;
  if (g_hash_table_contains (rtt_by_peer, json_object_get_string_member_with_default (sub, "peer", "")))
    stats.rtt_ms = *(double *) g_hash_table_lookup (rtt_by_peer,
                                                    json_object_get_string_member (sub, "peer"));
  stats.jitter_ms = json_object_get_double_member_with_default (sub, "jitter_ms", -1.0);
  stats.width = json_object_get_int_member_with_default (sub, "width", 0);
  stats.height = json_object_get_int_member_with_default (sub, "height", 0);
  stats.frame_rate = json_object_get_double_member_with_default (sub, "fps", -1.0);
  stats.codec = json_object_get_string_member_with_default (sub, "codec", NULL);
  sotto_video_tile_set_stats (tile, &stats);
  sotto_video_tile_set_encryption (tile,
                                   json_object_get_string_member_with_default (sub, "srtp_profile", NULL),
                                   json_object_get_string_member_with_default (sub, "sas", NULL));
}

static gboolean
on_stats_tick (gpointer user_data)
{
  SottoCallController *self = user_data;
  g_autoptr (JsonNode) stats = sotto_call_session_dup_stats (self->session);
  g_autoptr (GHashTable) rtt_by_peer = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  JsonArray *subs = json_node_get_array (stats);

  for (guint i = 0; i < json_array_get_length (subs); i++)
    {
      JsonObject *sub = json_array_get_object_element (subs, i);
      double rtt = json_object_get_double_member_with_default (sub, "rtt_ms", -1.0);

      if (g_strcmp0 (json_object_get_string_member_with_default (sub, "direction", ""), "send") == 0 &&
          rtt >= 0.0)
        g_hash_table_insert (rtt_by_peer, (gpointer) json_object_get_string_member (sub, "peer"),
                             g_memdup2 (&rtt, sizeof rtt));
    }
  for (guint i = 0; i < json_array_get_length (subs); i++)
    {
      JsonObject *sub = json_array_get_object_element (subs, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (sub, "direction", ""), "receive") == 0)
        apply_stats (self, sub, rtt_by_peer);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_page_devices_changed (SottoCallPage *page, GParamSpec *pspec, SottoCallController *self)
{
  gboolean camera = TRUE, microphone = TRUE;

  g_object_get (page, "camera-enabled", &camera, "microphone-enabled", &microphone, NULL);
  sotto_call_session_set_camera_enabled (self->session, camera);
  sotto_call_session_set_microphone_enabled (self->session, microphone);
}

static void
on_force_disconnect (SottoModeratorPanel *panel, const char *participant_id, SottoCallController *self)
{
  sotto_call_session_force_disconnect (self->session, participant_id, _("Removed by a moderator"));
}

static void
on_force_unpublish (SottoModeratorPanel *panel, const char *stream_id, SottoCallController *self)
{
  sotto_call_session_force_unpublish (self->session, stream_id, _("Stopped by a moderator"));
}

static void
sotto_call_controller_dispose (GObject *object)
{
  SottoCallController *self = SOTTO_CALL_CONTROLLER (object);

  g_clear_handle_id (&self->stats_source, g_source_remove);
  if (self->page)
    {
      g_signal_handlers_disconnect_by_data (self->page, self);
      g_signal_handlers_disconnect_by_data (sotto_call_page_get_moderator_panel (self->page), self);
      g_clear_weak_pointer (&self->page);
    }
  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      sotto_call_session_leave (self->session);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->participants);
  g_clear_object (&self->streams);
  g_clear_pointer (&self->stream_owner, g_hash_table_unref);
  G_OBJECT_CLASS (sotto_call_controller_parent_class)->dispose (object);
}

static void
sotto_call_controller_class_init (SottoCallControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_call_controller_dispose;

  signals[SIGNAL_ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sotto_call_controller_init (SottoCallController *self)
{
  self->participants = g_list_store_new (SOTTO_TYPE_PARTICIPANT_ITEM);
  self->streams = g_list_store_new (SOTTO_TYPE_STREAM_ITEM);
  self->stream_owner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

SottoCallController *
sotto_call_controller_new (SottoCallPage          *page,
                           const char             *token,
                           const char             *name,
                           gboolean                publish,
                           const SottoMediaConfig *media_config)
{
  SottoCallController *self = g_object_new (SOTTO_TYPE_CALL_CONTROLLER, NULL);
  SottoModeratorPanel *panel = sotto_call_page_get_moderator_panel (page);
  SottoMediaConfig media;

  g_set_weak_pointer (&self->page, page);
  media = *media_config;
  /* The self view. */
  media.preview_fps = 15;
  self->session = sotto_call_session_new (&media);
  sotto_call_session_set_publish (self->session, publish);
  if (name)
    sotto_call_session_set_stream_name (self->session, name);

  sotto_moderator_panel_set_models (panel, G_LIST_MODEL (self->participants),
                                    G_LIST_MODEL (self->streams));
  g_signal_connect (panel, "force-disconnect", G_CALLBACK (on_force_disconnect), self);
  g_signal_connect (panel, "force-unpublish", G_CALLBACK (on_force_unpublish), self);
  /* Ctrl+D / Ctrl+E and the call page's buttons toggle these. */
  g_signal_connect (page, "notify::camera-enabled", G_CALLBACK (on_page_devices_changed), self);
  g_signal_connect (page, "notify::microphone-enabled", G_CALLBACK (on_page_devices_changed), self);
  on_page_devices_changed (page, NULL, self);

  g_signal_connect (self->session, "participant-joined", G_CALLBACK (on_participant_joined), self);
  g_signal_connect (self->session, "participant-left", G_CALLBACK (on_participant_left), self);
  g_signal_connect (self->session, "stream-added", G_CALLBACK (on_stream_added), self);
  g_signal_connect (self->session, "stream-removed", G_CALLBACK (on_stream_removed), self);
  g_signal_connect (self->session, "subscriber-count-changed", G_CALLBACK (on_subscriber_count), self);
  g_signal_connect (self->session, "stream-state-changed", G_CALLBACK (on_stream_state_changed), self);
  g_signal_connect (self->session, "video-frame", G_CALLBACK (on_video_frame), self);
  g_signal_connect (self->session, "local-video-frame", G_CALLBACK (on_local_video_frame), self);
  g_signal_connect (self->session, "moderated", G_CALLBACK (on_moderated), self);
  g_signal_connect (self->session, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (self->session, "error", G_CALLBACK (on_session_error), self);
  g_signal_connect (self->session, "ended", G_CALLBACK (on_session_ended), self);

  self->stats_source = g_timeout_add_seconds (1, on_stats_tick, self);
  sotto_call_session_join_async (self->session, token, NULL, on_joined, g_object_ref (self));
  return self;
}

void
sotto_call_controller_leave (SottoCallController *self)
{
  g_return_if_fail (SOTTO_IS_CALL_CONTROLLER (self));
  sotto_call_session_leave (self->session);
}

SottoCallSession *
sotto_call_controller_get_session (SottoCallController *self)
{
  return self->session;
}
