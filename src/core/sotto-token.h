/* sotto-token.h: session tokens (HS256 JWT, RFC 7519)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SOTTO_TOKEN_ERROR (sotto_token_error_quark ())
GQuark sotto_token_error_quark (void);

/* Every way a token can be refused has its own code; docs/protocol.md lists them. */
typedef enum {
  SOTTO_TOKEN_ERROR_TOO_LONG,          /* over SOTTO_TOKEN_MAX_LENGTH bytes */
  SOTTO_TOKEN_ERROR_MALFORMED,         /* not three dot-separated parts, or invalid UTF-8 */
  SOTTO_TOKEN_ERROR_BAD_BASE64,        /* a part is not base64url */
  SOTTO_TOKEN_ERROR_BAD_JSON,          /* header or payload is not a JSON object, or has duplicate keys */
  SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG,   /* alg is not HS256 (none, HS512, RS256, ...) */
  SOTTO_TOKEN_ERROR_MISSING_CLAIM,     /* a required claim is absent */
  SOTTO_TOKEN_ERROR_INVALID_CLAIM,     /* a claim has the wrong type or an out-of-range value */
  SOTTO_TOKEN_ERROR_UNKNOWN_ROLE,      /* role is not subscriber, publisher or moderator */
  SOTTO_TOKEN_ERROR_BAD_SIGNATURE,     /* MAC does not match (tampered, or wrong secret) */
  SOTTO_TOKEN_ERROR_EXPIRED,           /* now >= exp + skew */
  SOTTO_TOKEN_ERROR_NOT_YET_VALID,     /* now < nbf - skew (or iat in the future beyond skew) */
  SOTTO_TOKEN_ERROR_WRONG_SESSION,     /* sid is not the session the caller expected */
  SOTTO_TOKEN_ERROR_WEAK_SECRET,       /* the API secret is shorter than 32 bytes (RFC 7518) */
} SottoTokenError;

typedef enum {
  SOTTO_ROLE_SUBSCRIBER,
  SOTTO_ROLE_PUBLISHER,
  SOTTO_ROLE_MODERATOR,
} SottoRole;

#define SOTTO_TOKEN_MAX_LENGTH      4096  /* bytes of the encoded token */
#define SOTTO_TOKEN_MAX_DATA_LENGTH 1000  /* bytes of the optional `data` claim */
#define SOTTO_TOKEN_CLOCK_SKEW      60    /* seconds of tolerance on exp, nbf and iat */

const char *sotto_role_to_string   (SottoRole role);
gboolean    sotto_role_from_string (const char *str,
                                    SottoRole  *out_role);

#define SOTTO_TYPE_TOKEN (sotto_token_get_type ())
G_DECLARE_FINAL_TYPE (SottoToken, sotto_token, SOTTO, TOKEN, GObject)

/* The claims a new token carries; `nbf` 0 means absent, `data` NULL means absent. */
typedef struct {
  const char *api_key;     /* iss */
  const char *session_id;  /* sid */
  SottoRole   role;
  gint64      issued_at;   /* iat, seconds since the epoch */
  gint64      expires_at;  /* exp */
  gint64      not_before;  /* nbf, 0 for none */
  const char *data;        /* optional application data, never personal information */
  const char *url;         /* wss:// URL of the session server */
  const char *pin;         /* base64 SHA-256 of the server's TLS SPKI */
} SottoTokenClaims;

/* Signs the claims with HS256; generates a fresh random jti. */
char       *sotto_token_mint        (const SottoTokenClaims *claims,
                                     GBytes                 *secret,
                                     GError                **error);

/* Parses and checks structure and claims without the secret, for showing the
 * user what they are about to join. Does NOT check the signature or expiry. */
SottoToken *sotto_token_decode      (const char   *encoded,
                                     GError      **error);

/* Everything decode does, plus: HS256 only, constant-time MAC check, exp/nbf
 * against `now` (seconds since the epoch) with SOTTO_TOKEN_CLOCK_SKEW, and, if
 * `expected_session_id` is non-NULL, that sid matches it. */
SottoToken *sotto_token_verify      (const char   *encoded,
                                     GBytes       *secret,
                                     const char   *expected_session_id,
                                     gint64        now,
                                     GError      **error);

const char *sotto_token_get_api_key     (SottoToken *self);
const char *sotto_token_get_session_id  (SottoToken *self);
SottoRole   sotto_token_get_role        (SottoToken *self);
gint64      sotto_token_get_issued_at   (SottoToken *self);
gint64      sotto_token_get_expires_at  (SottoToken *self);
gint64      sotto_token_get_not_before  (SottoToken *self); /* 0 if absent */
const char *sotto_token_get_id          (SottoToken *self); /* jti */
const char *sotto_token_get_data        (SottoToken *self); /* NULL if absent */
const char *sotto_token_get_url         (SottoToken *self);
const char *sotto_token_get_pin         (SottoToken *self);
/* The host[:port] of url, for showing the user. */
char       *sotto_token_dup_server_host (SottoToken *self);
gboolean    sotto_token_is_expired      (SottoToken *self,
                                         gint64      now);

G_END_DECLS
