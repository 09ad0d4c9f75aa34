/* sotto-stream-item.h: one published stream and how many watch it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SOTTO_TYPE_STREAM_ITEM (sotto_stream_item_get_type ())
G_DECLARE_FINAL_TYPE (SottoStreamItem, sotto_stream_item, SOTTO, STREAM_ITEM, GObject)

/* A plain GObject the session layer keeps in a GListStore and updates in
 * place. Properties: id and owner-id (construct-only), owner-name,
 * has-video, has-audio, subscriber-count, audio-active and video-active
 * (what the owner says it sends; TRUE until told otherwise), the read-only
 * flags muted and camera-off that a video tile shows (no such kind, or
 * turned off), and the read-only texts title ("Ana’s camera and
 * microphone") and count-text ("3 watching"). */
SottoStreamItem *sotto_stream_item_new                  (const char      *id,
                                                         const char      *owner_id,
                                                         const char      *owner_name,
                                                         gboolean         has_video,
                                                         gboolean         has_audio);
const char      *sotto_stream_item_get_id               (SottoStreamItem *self);
const char      *sotto_stream_item_get_owner_id         (SottoStreamItem *self);
const char      *sotto_stream_item_get_owner_name       (SottoStreamItem *self);
void             sotto_stream_item_set_owner_name       (SottoStreamItem *self,
                                                         const char      *owner_name);
guint            sotto_stream_item_get_subscriber_count (SottoStreamItem *self);
void             sotto_stream_item_set_subscriber_count (SottoStreamItem *self,
                                                         guint            count);
/* The owner turned its microphone (audio) or camera (video) on or off. */
void             sotto_stream_item_set_active           (SottoStreamItem *self,
                                                         gboolean         audio_active,
                                                         gboolean         video_active);
gboolean         sotto_stream_item_get_muted            (SottoStreamItem *self);
gboolean         sotto_stream_item_get_camera_off       (SottoStreamItem *self);
char            *sotto_stream_item_dup_title            (SottoStreamItem *self);
char            *sotto_stream_item_dup_count_text       (SottoStreamItem *self);
/* The count text, plus what its owner turned off ("3 watching · Camera
 * off"), for the moderator panel. */
char            *sotto_stream_item_dup_subtitle         (SottoStreamItem *self);

/* "3 watching", also used for your own stream on the call page. */
char            *sotto_stream_item_format_watching      (guint            count);

G_END_DECLS
