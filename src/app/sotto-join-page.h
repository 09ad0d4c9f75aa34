/* sotto-join-page.h: paste a token, see what it is for, pick devices, join
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sotto-token-preview.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_JOIN_PAGE (sotto_join_page_get_type ())
G_DECLARE_FINAL_TYPE (SottoJoinPage, sotto_join_page, SOTTO, JOIN_PAGE, GtkWidget)

/* Signals: "join" (no arguments) when the person presses Join with a usable
 * token; read the token and devices with the getters below. */
GtkWidget         *sotto_join_page_new               (void);
/* Remembers the device choice in `settings` (may be NULL: nothing is kept). */
void               sotto_join_page_set_settings      (SottoJoinPage *self,
                                                      GSettings     *settings);
/* Puts text in the token entry, as if pasted (a sotto: link works too). */
void               sotto_join_page_set_token_text    (SottoJoinPage *self,
                                                      const char    *text);
/* The decoded token; NULL while the entry holds no decodable token. */
SottoTokenPreview *sotto_join_page_get_preview       (SottoJoinPage *self);
/* The trimmed token as pasted (NULL if none decodes). */
const char        *sotto_join_page_get_token         (SottoJoinPage *self);
/* The inline explanation shown, NULL when there is none. */
const char        *sotto_join_page_get_error_text    (SottoJoinPage *self);
gboolean           sotto_join_page_get_can_join      (SottoJoinPage *self);
/* Device names as GStreamer reports them; "" for the system default. */
const char        *sotto_join_page_get_video_device  (SottoJoinPage *self);
const char        *sotto_join_page_get_audio_device  (SottoJoinPage *self);

/* The token inside pasted text: surrounding whitespace is dropped and a
 * sotto: link ("sotto:TOKEN", "sotto://join?token=TOKEN") is unwrapped.
 * Returns NULL for empty text. No GTK needed. */
char              *sotto_join_page_extract_token     (const char    *text);

G_END_DECLS
