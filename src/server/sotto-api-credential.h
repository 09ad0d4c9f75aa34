/* sotto-api-credential.h: the REST API's bearer credential
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A backend authenticates to the REST API with
 *   Authorization: Bearer <JWT>
 * where the JWT is HS256 over the deployment's API secret (the 32 bytes the
 * api-secret file encodes), header {"alg":"HS256","typ":"JWT"} and claims
 * {"iss": API key, "iat": now, "exp": now + lifetime}, with exp - iat at most
 * SOTTO_API_CREDENTIAL_MAX_LIFETIME. The secret itself never crosses the wire.
 * docs/protocol.md, "REST API", specifies it for other implementations. */

#define SOTTO_API_CREDENTIAL_ERROR (sotto_api_credential_error_quark ())
GQuark sotto_api_credential_error_quark (void);

typedef enum {
  SOTTO_API_CREDENTIAL_ERROR_MISSING,     /* no Authorization: Bearer header */
  SOTTO_API_CREDENTIAL_ERROR_MALFORMED,   /* not a compact HS256 JWT of sane size */
  SOTTO_API_CREDENTIAL_ERROR_BAD_SIGNATURE,
  SOTTO_API_CREDENTIAL_ERROR_WRONG_KEY,   /* iss is not this deployment's API key */
  SOTTO_API_CREDENTIAL_ERROR_EXPIRED,     /* exp passed, iat in the future, or lifetime too long */
} SottoApiCredentialError;

#define SOTTO_API_CREDENTIAL_MAX_LIFETIME     3600 /* seconds */
#define SOTTO_API_CREDENTIAL_DEFAULT_LIFETIME 300
#define SOTTO_API_CREDENTIAL_CLOCK_SKEW       60
#define SOTTO_API_CREDENTIAL_MAX_LENGTH       1024

char     *sotto_api_credential_mint   (const char *api_key,
                                       GBytes     *api_secret,
                                       gint64      now,
                                       gint64      lifetime,
                                       GError    **error);

/* `authorization` is the whole header value ("Bearer ..."), may be NULL. */
gboolean  sotto_api_credential_verify (const char *authorization,
                                       const char *api_key,
                                       GBytes     *api_secret,
                                       gint64      now,
                                       GError    **error);

G_END_DECLS
