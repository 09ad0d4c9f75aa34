/* sotto-call-page.h: the call: video grid, self view, controls, moderation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sotto-moderator-panel.h"
#include "sotto-video-tile.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_CALL_PAGE (sotto_call_page_get_type ())
G_DECLARE_FINAL_TYPE (SottoCallPage, sotto_call_page, SOTTO, CALL_PAGE, GtkWidget)

/* The surface the session layer drives, all on the main context.
 * Properties: title (server host), microphone-enabled, camera-enabled (what
 * the person wants; the window's win.microphone / win.camera actions, Ctrl+D
 * and Ctrl+E, toggle them: follow "notify" to publish or mute),
 * is-moderator (shows the moderation panel button), watching-count,
 * reconnecting. Signal "leave" (no arguments): the person pressed Leave. */
GtkWidget           *sotto_call_page_new                 (void);
void                 sotto_call_page_set_title           (SottoCallPage *self,
                                                          const char    *title);

/* Remote participants: one tile each, keyed by participant id. add_tile
 * returns the (existing or new) tile, owned by the page. */
SottoVideoTile      *sotto_call_page_add_tile            (SottoCallPage *self,
                                                          const char    *participant_id,
                                                          const char    *name);
gboolean             sotto_call_page_remove_tile         (SottoCallPage *self,
                                                          const char    *participant_id);
SottoVideoTile      *sotto_call_page_get_tile            (SottoCallPage *self,
                                                          const char    *participant_id);
guint                sotto_call_page_get_n_tiles         (SottoCallPage *self);
void                 sotto_call_page_remove_all_tiles    (SottoCallPage *self);
/* Your own camera, in a corner. */
SottoVideoTile      *sotto_call_page_get_self_tile       (SottoCallPage *self);

/* Convenience forwarding to the tile; participant_id NULL means self.
 * Unknown ids are ignored (the tile may have just been removed). */
void                 sotto_call_page_push_frame          (SottoCallPage        *self,
                                                          const char           *participant_id,
                                                          int                   width,
                                                          int                   height,
                                                          gsize                 stride,
                                                          GBytes               *rgba);
void                 sotto_call_page_set_stats           (SottoCallPage        *self,
                                                          const char           *participant_id,
                                                          const SottoTileStats *stats);

/* "3 watching" under the title: your own stream's subscriber count. */
void                 sotto_call_page_set_watching_count  (SottoCallPage *self,
                                                          guint          count);
const char          *sotto_call_page_get_watching_text   (SottoCallPage *self);
/* A toast over the call; show_error puts the error in human words
 * (sotto_error_text_describe). */
void                 sotto_call_page_show_toast          (SottoCallPage *self,
                                                          const char    *text);
void                 sotto_call_page_show_error          (SottoCallPage *self,
                                                          const GError  *error);
/* A "Reconnecting…" bar while signaling or ICE recovers. */
void                 sotto_call_page_set_reconnecting    (SottoCallPage *self,
                                                          gboolean       reconnecting);
void                 sotto_call_page_set_is_moderator    (SottoCallPage *self,
                                                          gboolean       is_moderator);
SottoModeratorPanel *sotto_call_page_get_moderator_panel (SottoCallPage *self);
/* Opens or closes the moderation panel (moderators only), as its button does. */
void                 sotto_call_page_set_moderator_panel_open (SottoCallPage *self,
                                                               gboolean       open);

G_END_DECLS
