/* sotto-error-text.h: every failure in words a person understands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One sentence saying what happened and what to do, for an inline message or
 * a toast. Known domains: SOTTO_TOKEN_ERROR, the session layer's
 * SOTTO_CALL_ERROR, G_IO_ERROR, G_RESOLVER_ERROR and G_TLS_ERROR; anything
 * else falls back to a generic sentence with the error's own message. */
char       *sotto_error_text_describe         (const GError *error);

/* The states shown while a call recovers on its own. */
const char *sotto_error_text_reconnecting     (void);
const char *sotto_error_text_network_lost     (void);

G_END_DECLS
