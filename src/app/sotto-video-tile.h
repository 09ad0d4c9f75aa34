/* sotto-video-tile.h: one participant's video, name and state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sotto-stats-text.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_VIDEO_TILE (sotto_video_tile_get_type ())
G_DECLARE_FINAL_TYPE (SottoVideoTile, sotto_video_tile, SOTTO, VIDEO_TILE, GtkWidget)

/* Properties: participant-id (construct-only), name, muted, camera-off,
 * is-self, frame-count (read-only). Every call is on the main context: a
 * decoder thread hands frames over with g_main_context_invoke or a GAsyncQueue
 * drained by an idle source before calling push_frame. */
GtkWidget    *sotto_video_tile_new               (const char     *participant_id,
                                                  const char     *name);
const char   *sotto_video_tile_get_participant_id (SottoVideoTile *self);
void          sotto_video_tile_set_name          (SottoVideoTile *self,
                                                  const char     *name);
const char   *sotto_video_tile_get_name          (SottoVideoTile *self);
void          sotto_video_tile_set_muted         (SottoVideoTile *self,
                                                  gboolean        muted);
gboolean      sotto_video_tile_get_muted         (SottoVideoTile *self);
void          sotto_video_tile_set_camera_off    (SottoVideoTile *self,
                                                  gboolean        camera_off);
gboolean      sotto_video_tile_get_camera_off    (SottoVideoTile *self);
void          sotto_video_tile_set_is_self       (SottoVideoTile *self,
                                                  gboolean        is_self);

/* One decoded frame, 8-bit RGBA (R8G8B8A8, not premultiplied), rows `stride`
 * bytes apart; `rgba` holds at least stride * (height - 1) + width * 4 bytes
 * and is kept (not copied) until the next frame replaces it. */
void          sotto_video_tile_push_frame        (SottoVideoTile *self,
                                                  int             width,
                                                  int             height,
                                                  gsize           stride,
                                                  GBytes         *rgba);
/* The tile's GdkPaintable, drawing the last frame (a GdkMemoryTexture);
 * NULL before the first frame. */
GdkPaintable *sotto_video_tile_get_paintable     (SottoVideoTile *self);
guint64       sotto_video_tile_get_frame_count   (SottoVideoTile *self);

/* The SRTP protection profile ("AEAD_AES_256_GCM") and the short
 * authentication string both sides can read aloud; NULL profile while the
 * keys are not agreed yet. */
void          sotto_video_tile_set_encryption    (SottoVideoTile *self,
                                                  const char     *srtp_profile,
                                                  const char     *sas);
/* NULL hides the stats button (nothing measured). */
void          sotto_video_tile_set_stats         (SottoVideoTile       *self,
                                                  const SottoTileStats *stats);

G_END_DECLS
