/* sotto-base64url.h: strict base64url (RFC 4648 section 5, no padding)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SOTTO_BASE64URL_ERROR (sotto_base64url_error_quark ())
GQuark sotto_base64url_error_quark (void);

typedef enum {
  SOTTO_BASE64URL_ERROR_INVALID_CHARACTER, /* outside A-Z a-z 0-9 - _ (padding included) */
  SOTTO_BASE64URL_ERROR_INVALID_LENGTH,    /* length % 4 == 1 can encode no whole byte */
  SOTTO_BASE64URL_ERROR_NON_CANONICAL,     /* unused trailing bits are not zero */
} SottoBase64urlError;

/* Encodes without padding. Never fails; the result is NUL-terminated. */
char   *sotto_base64url_encode (const guint8 *data,
                                gsize         len);

/* Decodes exactly one canonical encoding: no padding, no whitespace, no
 * standard-base64 characters, and zero trailing bits, so that every byte
 * string has exactly one accepted text form (no malleable signatures).
 * `len` may be -1 for a NUL-terminated string. */
GBytes *sotto_base64url_decode (const char *str,
                                gssize      len,
                                GError    **error);

G_END_DECLS
