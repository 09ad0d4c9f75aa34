/* token-test-util.h: helpers shared by the token tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Crafted tokens are signed with OpenSSL's HMAC directly, independent of the
 * module under test, so that claim checks are proven to hold even for a
 * token that carries a valid signature.
 */
#pragma once

#include <openssl/evp.h>

#include "sotto-token.h"

#define NOW        G_GINT64_CONSTANT (1700000000)
#define DAY        G_GINT64_CONSTANT (86400)
#define SESSION    "s3ss10n-1d-AAAAAAAAAAAAAA"
#define API_KEY    "api-key-1"
#define SERVER_URL "wss://127.0.0.1:8443"
#define PIN        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
#define HS256_HEADER "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
GBytes           *test_secret         (void);
SottoTokenClaims  default_claims      (SottoRole   role);
char             *mint_default        (SottoRole   role);
char             *b64                 (const char *text);
char             *sign_raw            (const char   *header_json,
                                       const char   *payload_json,
                                       const EVP_MD *md,
                                       GBytes       *secret);
char             *sign_payload        (const char *payload_json);
char             *payload_with        (const char *omit,
                                       const char *name,
                                       const char *raw);
void              assert_verify_fails (const char *token,
                                       int         code);
void              assert_decode_fails (const char *token,
                                       int         code);
SottoToken       *verify_ok           (const char *token);
char             *replace_part        (const char *token,
                                       guint       index,
                                       const char *json);
char             *decode_part_text    (const char *token,
                                       guint       index);
