/* sotto-token-preview.h: a decoded token in the words shown before joining
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sotto-token.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_TOKEN_PREVIEW (sotto_token_preview_get_type ())
G_DECLARE_FINAL_TYPE (SottoTokenPreview, sotto_token_preview, SOTTO, TOKEN_PREVIEW, GObject)

/* A view model without GTK: the token and the current time (seconds since the
 * epoch) in, the strings of the join page out. Set "now" again to refresh the
 * expiry text; every derived property is notified when it changes. */
SottoTokenPreview *sotto_token_preview_new                  (SottoToken        *token,
                                                             gint64             now);
SottoToken        *sotto_token_preview_get_token            (SottoTokenPreview *self);
gint64             sotto_token_preview_get_now              (SottoTokenPreview *self);
void               sotto_token_preview_set_now              (SottoTokenPreview *self,
                                                             gint64             now);
const char        *sotto_token_preview_get_host             (SottoTokenPreview *self);
const char        *sotto_token_preview_get_role_label       (SottoTokenPreview *self);
const char        *sotto_token_preview_get_role_description (SottoTokenPreview *self);
/* NULL when the token's data is not a display name. */
const char        *sotto_token_preview_get_name             (SottoTokenPreview *self);
const char        *sotto_token_preview_get_expiry_text      (SottoTokenPreview *self);
/* TRUE when the token can be used now: not expired and already valid. */
gboolean           sotto_token_preview_get_usable           (SottoTokenPreview *self);
/* Why it cannot be used (SOTTO_TOKEN_ERROR_EXPIRED or _NOT_YET_VALID); FALSE if usable. */
gboolean           sotto_token_preview_check                (SottoTokenPreview *self,
                                                             GError           **error);

/* The display name carried by a token's data claim: the "name" member of a
 * JSON object, or the data itself when it is plain text (not JSON). Control
 * characters become spaces and long names are shortened. NULL otherwise. */
char              *sotto_token_preview_name_from_data       (const char        *data);

/* "expires in 2 hours", "expired 5 minutes ago", for `seconds` from now
 * (negative: in the past). */
char              *sotto_token_preview_format_expiry        (gint64             seconds);

G_END_DECLS
