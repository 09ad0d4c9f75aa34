/* token-test-util.c: helpers shared by the token tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <openssl/hmac.h>

#include "sotto-base64url.h"
#include "token-test-util.h"

GBytes *
test_secret (void)
{
  return g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
}

SottoTokenClaims
default_claims (SottoRole role)
{
  SottoTokenClaims c = {
    .api_key = API_KEY,
    .session_id = SESSION,
    .role = role,
    .issued_at = NOW,
    .expires_at = NOW + DAY,
    .not_before = 0,
    .data = NULL,
    .url = SERVER_URL,
    .pin = PIN,
  };
  return c;
}

char *
mint_default (SottoRole role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = test_secret ();
  SottoTokenClaims c = default_claims (role);
  char *token = sotto_token_mint (&c, secret, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

char *
b64 (const char *text)
{
  return sotto_base64url_encode ((const guint8 *) text, strlen (text));
}

/* <b64 header>.<b64 payload>.<b64 HMAC(md)> with `secret`; md NULL gives an
 * empty signature (alg none). */
char *
sign_raw (const char   *header_json,
          const char   *payload_json,
          const EVP_MD *md,
          GBytes       *secret)
{
  g_autofree char *h = b64 (header_json);
  g_autofree char *p = b64 (payload_json);
  g_autofree char *input = g_strconcat (h, ".", p, NULL);
  g_autofree char *sig = NULL;
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  gsize key_len = 0;
  const guint8 *key;

  if (md == NULL)
    return g_strconcat (input, ".", NULL);

  key = g_bytes_get_data (secret, &key_len);
  g_assert_nonnull (HMAC (md, key, (int) key_len, (const guint8 *) input, strlen (input),
                          mac, &mac_len));
  sig = sotto_base64url_encode (mac, mac_len);
  return g_strconcat (input, ".", sig, NULL);
}

char *
sign_payload (const char *payload_json)
{
  g_autoptr(GBytes) secret = test_secret ();

  return sign_raw (HS256_HEADER, payload_json, EVP_sha256 (), secret);
}

/* The claims of a valid token, in order; a claim named `omit` is left out and
 * a claim named `name` gets the raw JSON `raw` instead of its value. */
char *
payload_with (const char *omit,
              const char *name,
              const char *raw)
{
  static const char *const claims[][2] = {
    { "iss", "\"" API_KEY "\"" },
    { "sid", "\"" SESSION "\"" },
    { "role", "\"publisher\"" },
    { "iat", "1700000000" },
    { "exp", "1700086400" },
    { "jti", "\"AAAAAAAAAAAAAAAAAAAAAA\"" },
    { "url", "\"" SERVER_URL "\"" },
    { "pin", "\"" PIN "\"" },
    { "nbf", NULL },
    { "data", NULL },
  };
  g_autoptr(GString) s = g_string_new ("{");
  gboolean first = TRUE;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (claims); i++)
    {
      const char *value = claims[i][1];

      if (g_strcmp0 (omit, claims[i][0]) == 0)
        continue;
      if (g_strcmp0 (name, claims[i][0]) == 0)
        value = raw;
      if (value == NULL)
        continue;
      g_string_append_printf (s, "%s\"%s\":%s", first ? "" : ",", claims[i][0], value);
      first = FALSE;
    }
  g_string_append_c (s, '}');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

void
assert_verify_fails (const char *token,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = test_secret ();
  g_autoptr(SottoToken) t = sotto_token_verify (token, secret, SESSION, NOW, &error);

  g_assert_error (error, SOTTO_TOKEN_ERROR, code);
  g_assert_null (t);
}

void
assert_decode_fails (const char *token,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoToken) t = sotto_token_decode (token, &error);

  g_assert_error (error, SOTTO_TOKEN_ERROR, code);
  g_assert_null (t);
}

SottoToken *
verify_ok (const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = test_secret ();
  SottoToken *t = sotto_token_verify (token, secret, SESSION, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  return t;
}

/* Replaces the decoded JSON of part `index` (0 header, 1 payload) keeping the
 * other parts, including the now stale signature. */
char *
replace_part (const char *token,
              guint       index,
              const char *json)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_free (parts[index]);
  parts[index] = b64 (json);
  return g_strjoinv (".", parts);
}

char *
decode_part_text (const char *token,
                  guint       index)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr(GBytes) bytes = sotto_base64url_decode (parts[index], -1, NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data, len);
}
