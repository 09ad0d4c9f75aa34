/* sotto-window.h: the main window: join page, then call page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sotto-call-page.h"
#include "sotto-join-page.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_WINDOW (sotto_window_get_type ())
G_DECLARE_FINAL_TYPE (SottoWindow, sotto_window, SOTTO, WINDOW, AdwApplicationWindow)

/* Properties "microphone-enabled" and "camera-enabled" (the win.microphone
 * and win.camera actions, Ctrl+D and Ctrl+E) are remembered in GSettings. */
SottoWindow   *sotto_window_new                (GtkApplication *application);
SottoJoinPage *sotto_window_get_join_page      (SottoWindow    *self);
SottoCallPage *sotto_window_get_call_page      (SottoWindow    *self);
/* Shows the join page with this token (or sotto: link) in the entry. */
void           sotto_window_set_token_text     (SottoWindow    *self,
                                                const char     *text);
/* Switches pages; the session layer calls these when a call starts or ends. */
void           sotto_window_show_call          (SottoWindow    *self);
/* What the Join button does, when the token on the join page allows it. */
void           sotto_window_join               (SottoWindow    *self);
void           sotto_window_show_join          (SottoWindow    *self);
gboolean       sotto_window_get_microphone_enabled (SottoWindow *self);
gboolean       sotto_window_get_camera_enabled     (SottoWindow *self);

G_END_DECLS
