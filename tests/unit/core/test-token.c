/* test-token.c: session tokens, including every way of tampering with one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Crafted tokens are signed here with OpenSSL's HMAC directly, independent of
 * the module under test, so that claim checks are proven to hold even for a
 * token that carries a valid signature.
 */
#include "sotto-config.h"

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sotto-base64url.h"
#include "sotto-token.h"

#define NOW        G_GINT64_CONSTANT (1700000000)
#define DAY        G_GINT64_CONSTANT (86400)
#define SESSION    "s3ss10n-1d-AAAAAAAAAAAAAA"
#define API_KEY    "api-key-1"
#define SERVER_URL "wss://127.0.0.1:8443"
#define PIN        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
#define HS256_HEADER "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static GBytes *
test_secret (void)
{
  return g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
}

static SottoTokenClaims
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

static char *
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

static char *
b64 (const char *text)
{
  return sotto_base64url_encode ((const guint8 *) text, strlen (text));
}

/* <b64 header>.<b64 payload>.<b64 HMAC(md)> with `secret`; md NULL gives an
 * empty signature (alg none). */
static char *
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

static char *
sign_payload (const char *payload_json)
{
  g_autoptr(GBytes) secret = test_secret ();

  return sign_raw (HS256_HEADER, payload_json, EVP_sha256 (), secret);
}

/* The claims of a valid token, in order; a claim named `omit` is left out and
 * a claim named `name` gets the raw JSON `raw` instead of its value. */
static char *
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

static void
assert_verify_fails (const char *token,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = test_secret ();
  g_autoptr(SottoToken) t = sotto_token_verify (token, secret, SESSION, NOW, &error);

  g_assert_error (error, SOTTO_TOKEN_ERROR, code);
  g_assert_null (t);
}

static void
assert_decode_fails (const char *token,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoToken) t = sotto_token_decode (token, &error);

  g_assert_error (error, SOTTO_TOKEN_ERROR, code);
  g_assert_null (t);
}

static SottoToken *
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
static char *
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

static char *
decode_part_text (const char *token,
                  guint       index)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr(GBytes) bytes = sotto_base64url_decode (parts[index], -1, NULL);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data, len);
}

/* Round trips */

static void
test_round_trip (gconstpointer user_data)
{
  SottoRole role = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = test_secret ();
  SottoTokenClaims c = default_claims (role);
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  g_autoptr(SottoToken) t = NULL;
  g_autoptr(SottoToken) d = NULL;
  g_autoptr(GBytes) jti = NULL;
  g_autofree char *host = NULL;

  c.data = "Room “Blue” — table 4\n\t\"quoted\" \\ /";
  c.not_before = NOW - 10;
  token = sotto_token_mint (&c, secret, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), <=, SOTTO_TOKEN_MAX_LENGTH);

  t = sotto_token_verify (token, secret, SESSION, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sotto_token_get_api_key (t), ==, API_KEY);
  g_assert_cmpstr (sotto_token_get_session_id (t), ==, SESSION);
  g_assert_cmpint (sotto_token_get_role (t), ==, role);
  g_assert_cmpint (sotto_token_get_issued_at (t), ==, NOW);
  g_assert_cmpint (sotto_token_get_expires_at (t), ==, NOW + DAY);
  g_assert_cmpint (sotto_token_get_not_before (t), ==, NOW - 10);
  g_assert_cmpstr (sotto_token_get_data (t), ==, c.data);
  g_assert_cmpstr (sotto_token_get_url (t), ==, SERVER_URL);
  g_assert_cmpstr (sotto_token_get_pin (t), ==, PIN);
  host = sotto_token_dup_server_host (t);
  g_assert_cmpstr (host, ==, "127.0.0.1:8443");
  g_assert_false (sotto_token_is_expired (t, NOW));

  /* jti: 128 random bits, fresh for every token. */
  jti = sotto_base64url_decode (sotto_token_get_id (t), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (jti), ==, 16);
  token2 = sotto_token_mint (&c, secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, !=, token2);
  d = sotto_token_decode (token2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sotto_token_get_id (d), !=, sotto_token_get_id (t));
  g_assert_cmpint (sotto_token_get_role (d), ==, role);
  g_assert_cmpstr (sotto_token_get_data (d), ==, c.data);

  g_assert_cmpstr (sotto_role_to_string (role), ==, sotto_role_to_string (sotto_token_get_role (d)));
}

/* Random UTF-8 data (controls, quotes, backslashes, BMP and astral
 * characters): what JsonGenerator writes, our strict parser must read back
 * unchanged. */
static void
test_round_trip_random_data (void)
{
  static const gunichar specials[] = { 0x01, 0x1f, '"', '\\', '/', 0x7f, 0xe9, 0x2028, 0xfeff,
                                       0xfffd, 0x1f600, 0x10ffff };
  g_autoptr(GBytes) secret = test_secret ();
  guint round;

  for (round = 0; round < 200; round++)
    {
      g_autoptr(GString) data = g_string_new (NULL);
      SottoTokenClaims c = default_claims (SOTTO_ROLE_PUBLISHER);
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;
      g_autoptr(SottoToken) t = NULL;
      gint32 n = g_test_rand_int_range (0, 300);
      gint32 i;

      for (i = 0; i < n; i++)
        {
          gunichar ch;
          char buf[6];
          gint len;

          switch (g_test_rand_int_range (0, 4))
            {
            case 0:
              ch = specials[g_test_rand_int_range (0, G_N_ELEMENTS (specials))];
              break;
            case 1:
              ch = (gunichar) g_test_rand_int_range (1, 0x80);
              break;
            case 2:
              ch = (gunichar) g_test_rand_int_range (0x80, 0xd800);
              break;
            default:
              ch = (gunichar) g_test_rand_int_range (0xe000, 0x110000);
              break;
            }
          len = g_unichar_to_utf8 (ch, buf);
          if (data->len + (gsize) len > SOTTO_TOKEN_MAX_DATA_LENGTH)
            break;
          g_string_append_len (data, buf, len);
        }

      c.data = data->str;
      token = sotto_token_mint (&c, secret, &error);
      if (token == NULL)
        {
          /* Many escapes can push the token over 4 KiB; nothing else may fail. */
          g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_TOO_LONG);
          continue;
        }
      g_assert_no_error (error);
      t = verify_ok (token);
      g_assert_cmpstr (sotto_token_get_data (t), ==, data->str);
    }
}

static void
test_round_trip_optional_absent (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  g_autoptr(SottoToken) t = verify_ok (token);
  g_autofree char *payload = decode_part_text (token, 1);

  g_assert_null (sotto_token_get_data (t));
  g_assert_cmpint (sotto_token_get_not_before (t), ==, 0);
  g_assert_null (strstr (payload, "\"nbf\""));
  g_assert_null (strstr (payload, "\"data\""));
  /* The header is exactly the one the specification gives. */
  g_free (payload);
  payload = decode_part_text (token, 0);
  g_assert_cmpstr (payload, ==, HS256_HEADER);
}

static void
test_roles (void)
{
  SottoRole role = 99;

  g_assert_cmpstr (sotto_role_to_string (SOTTO_ROLE_SUBSCRIBER), ==, "subscriber");
  g_assert_cmpstr (sotto_role_to_string (SOTTO_ROLE_PUBLISHER), ==, "publisher");
  g_assert_cmpstr (sotto_role_to_string (SOTTO_ROLE_MODERATOR), ==, "moderator");
  g_assert_null (sotto_role_to_string (42));
  g_assert_true (sotto_role_from_string ("moderator", &role));
  g_assert_cmpint (role, ==, SOTTO_ROLE_MODERATOR);
  g_assert_false (sotto_role_from_string ("Moderator", &role));
  g_assert_false (sotto_role_from_string ("", &role));
  g_assert_false (sotto_role_from_string (NULL, &role));
}

static void
test_server_host (void)
{
  static const char *const cases[][2] = {
    { "wss://example.org", "example.org" },
    { "wss://example.org:9443/path", "example.org:9443" },
    { "wss://[::1]:8443", "[::1]:8443" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) secret = test_secret ();
      SottoTokenClaims c = default_claims (SOTTO_ROLE_SUBSCRIBER);
      g_autofree char *token = NULL;
      g_autoptr(SottoToken) t = NULL;
      g_autofree char *host = NULL;

      c.url = cases[i][0];
      token = sotto_token_mint (&c, secret, &error);
      g_assert_no_error (error);
      t = sotto_token_decode (token, &error);
      g_assert_no_error (error);
      host = sotto_token_dup_server_host (t);
      g_assert_cmpstr (host, ==, cases[i][1]);
    }
}

/* Tampering */

static void
test_tamper_header (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  g_autofree char *header = decode_part_text (token, 0);
  g_autofree char *flipped = NULL;
  g_autofree char *extra = NULL;
  char *p;

  /* One flipped bit that keeps the header valid: "typ" becomes "tyq". */
  p = strstr (header, "typ");
  g_assert_nonnull (p);
  p[2] ^= 0x01;
  flipped = replace_part (token, 0, header);
  assert_verify_fails (flipped, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);

  extra = replace_part (token, 0, "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"x\"}");
  assert_verify_fails (extra, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
}

static void
test_tamper_payload (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  g_autofree char *payload = decode_part_text (token, 1);
  g_autofree char *escalated = NULL;
  g_autofree char *flipped = NULL;
  g_autofree char *role_swapped = NULL;
  g_autoptr(SottoToken) d = NULL;
  g_autoptr(GError) error = NULL;
  char *p;

  /* The attack that matters: a subscriber makes itself moderator. */
  {
    g_auto(GStrv) halves = g_strsplit (payload, "\"subscriber\"", 2);
    g_assert_cmpuint (g_strv_length (halves), ==, 2);
    role_swapped = g_strjoinv ("\"moderator\"", halves);
  }
  escalated = replace_part (token, 1, role_swapped);
  assert_verify_fails (escalated, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
  /* Decoding does not check the signature: it shows what the token claims. */
  d = sotto_token_decode (escalated, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sotto_token_get_role (d), ==, SOTTO_ROLE_MODERATOR);

  /* One flipped bit in the session id. */
  p = strstr (payload, SESSION);
  g_assert_nonnull (p);
  p[0] ^= 0x02;
  flipped = replace_part (token, 1, payload);
  assert_verify_fails (flipped, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
}

static void
test_tamper_signature (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_PUBLISHER);
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr(GBytes) sig = sotto_base64url_decode (parts[2], -1, NULL);
  gsize i, bit;

  g_assert_cmpuint (g_bytes_get_size (sig), ==, 32);
  for (i = 0; i < 32; i++)
    for (bit = 0; bit < 8; bit += 7)
      {
        guint8 mac[32];
        g_autofree char *sig_b64 = NULL;
        g_autofree char *forged = NULL;

        memcpy (mac, g_bytes_get_data (sig, NULL), 32);
        mac[i] ^= (guint8) (1u << bit);
        sig_b64 = sotto_base64url_encode (mac, 32);
        forged = g_strjoin (".", parts[0], parts[1], sig_b64, NULL);
        assert_verify_fails (forged, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
      }
}

/* Every single-character substitution anywhere in the token must be refused.
 * This fails if base64url decoding is lenient (the unused bits of the last
 * character of each part would then be malleable). */
static void
test_tamper_every_character (void)
{
  static const char replacements[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  g_autoptr(GBytes) secret = test_secret ();
  gsize len = strlen (token), i, r;
  guint refused = 0;

  for (i = 0; i < len; i++)
    for (r = 0; replacements[r] != '\0'; r++)
      {
        g_autofree char *copy = NULL;
        g_autoptr(GError) error = NULL;
        g_autoptr(SottoToken) t = NULL;

        if (token[i] == replacements[r])
          continue;
        copy = g_strdup (token);
        copy[i] = replacements[r];
        t = sotto_token_verify (copy, secret, SESSION, NOW, &error);
        g_assert_null (t);
        g_assert_nonnull (error);
        g_assert_true (error->domain == SOTTO_TOKEN_ERROR);
        g_assert_true (error->code == SOTTO_TOKEN_ERROR_MALFORMED ||
                       error->code == SOTTO_TOKEN_ERROR_BAD_BASE64 ||
                       error->code == SOTTO_TOKEN_ERROR_BAD_JSON ||
                       error->code == SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG ||
                       error->code == SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
        refused++;
      }
  g_assert_cmpuint (refused, >, len * 60);
}

/* Algorithms */

static void
test_alg_none (void)
{
  g_autoptr(GBytes) secret = test_secret ();
  g_autofree char *payload = payload_with (NULL, "role", "\"moderator\"");
  static const char *const headers[] = {
    "{\"alg\":\"none\",\"typ\":\"JWT\"}",
    "{\"alg\":\"None\"}",
    "{\"alg\":\"NONE\",\"typ\":\"JWT\"}",
    "{\"alg\":\"hs256\",\"typ\":\"JWT\"}",
    "{\"alg\":\"HS256 \",\"typ\":\"JWT\"}",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *unsigned_token = sign_raw (headers[i], payload, NULL, NULL);
      /* Even with a valid HS256 MAC attached, the header decides. */
      g_autofree char *mac_token = sign_raw (headers[i], payload, EVP_sha256 (), secret);

      assert_verify_fails (unsigned_token, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
      assert_decode_fails (unsigned_token, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
      assert_verify_fails (mac_token, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
    }
}

static void
test_alg_hs512 (void)
{
  g_autoptr(GBytes) secret = test_secret ();
  g_autofree char *payload = payload_with (NULL, NULL, NULL);
  g_autofree char *token = sign_raw ("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", payload,
                                     EVP_sha512 (), secret);

  assert_verify_fails (token, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
  assert_decode_fails (token, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
}

static void
test_alg_rs256 (void)
{
  g_autoptr(GBytes) secret = test_secret ();
  g_autofree char *payload = payload_with (NULL, NULL, NULL);
  /* Algorithm confusion: an RS256 header over an HMAC made with the secret
   * (as if the secret were an RSA public key). */
  g_autofree char *confused = sign_raw ("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload,
                                        EVP_sha256 (), secret);
  g_autofree char *header = b64 ("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
  g_autofree char *body = b64 (payload);
  guint8 fake_rsa[256];
  g_autofree char *sig = NULL;
  g_autofree char *rsa_token = NULL;

  memset (fake_rsa, 0x5a, sizeof fake_rsa);
  sig = sotto_base64url_encode (fake_rsa, sizeof fake_rsa);
  rsa_token = g_strjoin (".", header, body, sig, NULL);

  assert_verify_fails (confused, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
  assert_verify_fails (rsa_token, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
  assert_decode_fails (rsa_token, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
}

static void
test_alg_missing (void)
{
  g_autoptr(GBytes) secret = test_secret ();
  g_autofree char *payload = payload_with (NULL, NULL, NULL);
  static const char *const headers[] = {
    "{\"typ\":\"JWT\"}",
    "{}",
    "{\"alg\":null,\"typ\":\"JWT\"}",
    "{\"alg\":256,\"typ\":\"JWT\"}",
    "{\"alg\":[\"HS256\"],\"typ\":\"JWT\"}",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *token = sign_raw (headers[i], payload, EVP_sha256 (), secret);
      assert_verify_fails (token, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG);
    }
}

static void
test_header_typ (void)
{
  g_autoptr(GBytes) secret = test_secret ();
  g_autofree char *payload = payload_with (NULL, NULL, NULL);
  g_autofree char *no_typ = sign_raw ("{\"alg\":\"HS256\"}", payload, EVP_sha256 (), secret);
  g_autofree char *jws = sign_raw ("{\"alg\":\"HS256\",\"typ\":\"JWS\"}", payload,
                                   EVP_sha256 (), secret);
  g_autofree char *typ_num = sign_raw ("{\"alg\":\"HS256\",\"typ\":1}", payload,
                                       EVP_sha256 (), secret);
  g_autofree char *crit = sign_raw ("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}",
                                    payload, EVP_sha256 (), secret);
  g_autoptr(SottoToken) t = verify_ok (no_typ);

  assert_verify_fails (jws, SOTTO_TOKEN_ERROR_MALFORMED);
  assert_verify_fails (typ_num, SOTTO_TOKEN_ERROR_MALFORMED);
  assert_verify_fails (crit, SOTTO_TOKEN_ERROR_MALFORMED);
}

/* Time */

static void
test_expired (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = test_secret ();
  g_autofree char *token = mint_default (SOTTO_ROLE_PUBLISHER);
  gint64 exp = NOW + DAY;
  g_autoptr(SottoToken) last = NULL;
  g_autoptr(SottoToken) gone = NULL;
  g_autoptr(SottoToken) d = NULL;

  /* The last second the skew allows, then the first it does not. */
  last = sotto_token_verify (token, secret, SESSION, exp + SOTTO_TOKEN_CLOCK_SKEW - 1, &error);
  g_assert_no_error (error);
  g_assert_false (sotto_token_is_expired (last, exp + SOTTO_TOKEN_CLOCK_SKEW - 1));
  gone = sotto_token_verify (token, secret, SESSION, exp + SOTTO_TOKEN_CLOCK_SKEW, &error);
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_EXPIRED);
  g_assert_null (gone);
  g_assert_true (sotto_token_is_expired (last, exp + SOTTO_TOKEN_CLOCK_SKEW));

  /* Decoding ignores expiry, so the client can say "this token expired". */
  g_clear_error (&error);
  d = sotto_token_decode (token, &error);
  g_assert_no_error (error);
  g_assert_true (sotto_token_is_expired (d, exp + DAY));
}

static void
test_not_yet_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = test_secret ();
  SottoTokenClaims c = default_claims (SOTTO_ROLE_SUBSCRIBER);
  g_autofree char *token = NULL;
  g_autofree char *future_iat = NULL;
  g_autoptr(SottoToken) early = NULL;
  g_autoptr(SottoToken) first = NULL;
  g_autoptr(SottoToken) t = NULL;

  c.not_before = NOW + 3600;
  token = sotto_token_mint (&c, secret, &error);
  g_assert_no_error (error);

  early = sotto_token_verify (token, secret, SESSION,
                              c.not_before - SOTTO_TOKEN_CLOCK_SKEW - 1, &error);
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_NOT_YET_VALID);
  g_assert_null (early);
  g_clear_error (&error);
  first = sotto_token_verify (token, secret, SESSION, c.not_before - SOTTO_TOKEN_CLOCK_SKEW,
                              &error);
  g_assert_no_error (error);

  /* Issued in the future beyond the skew: a clock gone wrong somewhere. */
  c = default_claims (SOTTO_ROLE_SUBSCRIBER);
  c.issued_at = NOW + SOTTO_TOKEN_CLOCK_SKEW + 1;
  future_iat = sotto_token_mint (&c, secret, &error);
  g_assert_no_error (error);
  assert_verify_fails (future_iat, SOTTO_TOKEN_ERROR_NOT_YET_VALID);
  c.issued_at = NOW + SOTTO_TOKEN_CLOCK_SKEW;
  g_free (future_iat);
  future_iat = sotto_token_mint (&c, secret, &error);
  g_assert_no_error (error);
  t = verify_ok (future_iat);
}

/* Secrets and sessions */

static void
test_wrong_secret (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_MODERATOR);
  g_autoptr(GBytes) other = g_bytes_new_static ("0123456789abcdef0123456789abcdeF", 32);
  g_autoptr(GBytes) longer = g_bytes_new_static ("0123456789abcdef0123456789abcdef0", 33);
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoToken) t = sotto_token_verify (token, other, SESSION, NOW, &error);

  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
  g_assert_null (t);
  g_clear_error (&error);
  t = sotto_token_verify (token, longer, SESSION, NOW, &error);
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
  g_assert_null (t);
}

static void
test_weak_secret (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_MODERATOR);
  g_autoptr(GBytes) weak = g_bytes_new_static ("0123456789abcdef0123456789abcde", 31);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  SottoTokenClaims c = default_claims (SOTTO_ROLE_SUBSCRIBER);
  g_autoptr(GError) error = NULL;
  g_autofree char *minted = sotto_token_mint (&c, weak, &error);
  g_autoptr(SottoToken) t = NULL;

  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_WEAK_SECRET);
  g_assert_null (minted);
  g_clear_error (&error);
  t = sotto_token_verify (token, empty, SESSION, NOW, &error);
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_WEAK_SECRET);
  g_assert_null (t);
}

static void
test_wrong_session (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_MODERATOR);
  g_autoptr(GBytes) secret = test_secret ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoToken) t = sotto_token_verify (token, secret, "another-session", NOW, &error);
  g_autoptr(SottoToken) any = NULL;

  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_WRONG_SESSION);
  g_assert_null (t);
  g_clear_error (&error);
  /* A prefix of the right id is still another session. */
  t = sotto_token_verify (token, secret, "s3ss10n", NOW, &error);
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_WRONG_SESSION);
  g_clear_error (&error);
  /* NULL: the caller checks the session itself. */
  any = sotto_token_verify (token, secret, NULL, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sotto_token_get_session_id (any), ==, SESSION);
}

/* Malformed input */

static void
test_truncated (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  g_autoptr(GBytes) secret = test_secret ();
  gsize len = strlen (token), i;
  const char *dot2 = strrchr (token, '.');
  g_autofree char *at_dot = g_strndup (token, (gsize) (dot2 - token + 1));
  g_autofree char *no_sig = g_strndup (token, (gsize) (dot2 - token));
  /* 40 characters: a canonical 30-byte value, too short for a MAC. */
  g_autofree char *short_sig = g_strndup (token, len - 3);

  /* Every prefix, including the empty string. */
  for (i = 0; i < len; i++)
    {
      g_autofree char *prefix = g_strndup (token, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoToken) t = sotto_token_verify (prefix, secret, SESSION, NOW, &error);

      g_assert_null (t);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SOTTO_TOKEN_ERROR);
    }

  assert_verify_fails ("", SOTTO_TOKEN_ERROR_MALFORMED);
  assert_decode_fails ("", SOTTO_TOKEN_ERROR_MALFORMED);
  assert_verify_fails (no_sig, SOTTO_TOKEN_ERROR_MALFORMED);
  assert_verify_fails (at_dot, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
  assert_decode_fails (at_dot, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
  assert_verify_fails (short_sig, SOTTO_TOKEN_ERROR_BAD_SIGNATURE);
}

static void
test_too_long (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  gsize mib = 1024 * 1024;
  g_autofree char *huge = g_malloc (mib + 1);
  g_autofree char *padded = NULL;
  g_autofree char *limit = g_malloc (SOTTO_TOKEN_MAX_LENGTH + 1);
  g_autofree char *over = g_malloc (SOTTO_TOKEN_MAX_LENGTH + 2);

  memset (huge, 'A', mib);
  huge[mib] = '\0';
  assert_verify_fails (huge, SOTTO_TOKEN_ERROR_TOO_LONG);
  assert_decode_fails (huge, SOTTO_TOKEN_ERROR_TOO_LONG);

  /* A valid token followed by a megabyte of garbage. */
  memcpy (huge, token, strlen (token));
  assert_verify_fails (huge, SOTTO_TOKEN_ERROR_TOO_LONG);

  /* A huge header part that is otherwise well formed. */
  padded = g_strconcat (huge, ".e30.AAAA", NULL);
  assert_decode_fails (padded, SOTTO_TOKEN_ERROR_TOO_LONG);

  /* Exactly at the limit the length is fine (and the text is not a token). */
  memset (limit, 'A', SOTTO_TOKEN_MAX_LENGTH);
  limit[SOTTO_TOKEN_MAX_LENGTH] = '\0';
  assert_verify_fails (limit, SOTTO_TOKEN_ERROR_MALFORMED);
  memset (over, 'A', SOTTO_TOKEN_MAX_LENGTH + 1);
  over[SOTTO_TOKEN_MAX_LENGTH + 1] = '\0';
  assert_verify_fails (over, SOTTO_TOKEN_ERROR_TOO_LONG);
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  g_autofree char *bad_byte = g_strdup (token);
  g_autofree char *payload = NULL;
  g_autofree char *signed_latin1 = NULL;
  g_autofree char *overlong = NULL;

  bad_byte[5] = (char) 0xff;
  assert_verify_fails (bad_byte, SOTTO_TOKEN_ERROR_MALFORMED);
  assert_decode_fails (bad_byte, SOTTO_TOKEN_ERROR_MALFORMED);
  assert_verify_fails ("\xc3\x28.e30.AAAA", SOTTO_TOKEN_ERROR_MALFORMED);

  /* Valid signature over a payload that is not UTF-8 (Latin-1 é, and an
   * overlong encoding of '/'). */
  payload = payload_with (NULL, "data", "\"caf\xe9\"");
  signed_latin1 = sign_payload (payload);
  assert_verify_fails (signed_latin1, SOTTO_TOKEN_ERROR_BAD_JSON);
  g_free (payload);
  payload = payload_with (NULL, "data", "\"\xc0\xaf\"");
  overlong = sign_payload (payload);
  assert_verify_fails (overlong, SOTTO_TOKEN_ERROR_BAD_JSON);
}

static void
test_bad_base64 (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autofree char *with_plus = g_strdup (token);
  g_autofree char *with_pad = NULL;
  g_autofree char *with_space = NULL;
  g_autofree char *sig_pad = NULL;
  gsize hlen = strlen (parts[0]);

  with_plus[1] = '+';
  assert_verify_fails (with_plus, SOTTO_TOKEN_ERROR_BAD_BASE64);
  with_plus[1] = '/';
  assert_decode_fails (with_plus, SOTTO_TOKEN_ERROR_BAD_BASE64);

  /* base64 padding is not part of a JWT. */
  sig_pad = g_strconcat (token, "=", NULL);
  assert_verify_fails (sig_pad, SOTTO_TOKEN_ERROR_BAD_BASE64);
  with_pad = g_strjoin (".", parts[0], parts[1], "AAAA====", NULL);
  assert_verify_fails (with_pad, SOTTO_TOKEN_ERROR_BAD_BASE64);

  /* Whitespace inside a part. */
  with_space = g_strdup (token);
  with_space[hlen / 2] = ' ';
  assert_verify_fails (with_space, SOTTO_TOKEN_ERROR_BAD_BASE64);

  /* A part whose length cannot be base64 (4n + 1 characters). */
  assert_verify_fails ("eyJhb.e30.AAAA", SOTTO_TOKEN_ERROR_BAD_BASE64);
}

static void
test_bad_json (void)
{
  static const char *const payloads[] = {
    "not json",
    "",
    "[1,2,3]",
    "\"a string\"",
    "null",
    "{\"iss\":\"k\",}",
    "{\"iss\":\"k\"",
    "{\"iss\":\"k\"}{}",
    "{\"iss\":\"k\"} x",
    "{/* comment */\"iss\":\"k\"}",
    "var a = {\"iss\":\"k\"}",
    "{'iss':'k'}",
    "{iss:\"k\"}",
    "{\"iat\":0x10}",
    "{\"iat\":01}",
    "{\"iat\":NaN}",
    "{\"iat\":1e999}",
    "{\"data\":\"a\\u0000b\"}",
    "{\"data\":\"\\ud800\"}",
    "{\"data\":\"\\udc00x\"}",
    "{\"data\":\"tab\there\"}",
    "{\"data\":\"\\x41\"}",
    "{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autofree char *token = sign_payload (payloads[i]);

      g_test_message ("payload: %s", payloads[i]);
      assert_verify_fails (token, SOTTO_TOKEN_ERROR_BAD_JSON);
      assert_decode_fails (token, SOTTO_TOKEN_ERROR_BAD_JSON);
    }

  /* A header that is not an object. */
  {
    g_autoptr(GBytes) secret = test_secret ();
    g_autofree char *payload = payload_with (NULL, NULL, NULL);
    g_autofree char *token = sign_raw ("[\"HS256\"]", payload, EVP_sha256 (), secret);

    assert_verify_fails (token, SOTTO_TOKEN_ERROR_BAD_JSON);
  }
}

static void
test_duplicate_claim (void)
{
  g_autoptr(GBytes) secret = test_secret ();
  g_autofree char *base = payload_with (NULL, NULL, NULL);
  /* Append a second role after the first: JsonParser alone would keep
   * "moderator" while another reader might keep "publisher". */
  g_autofree char *twice = g_strdup_printf ("%.*s,\"role\":\"moderator\"}",
                                            (int) strlen (base) - 1, base);
  g_autofree char *escaped = g_strdup_printf ("%.*s,\"r\\u006fle\":\"moderator\"}",
                                              (int) strlen (base) - 1, base);
  g_autofree char *sid_twice = g_strdup_printf ("%.*s,\"sid\":\"" SESSION "\"}",
                                                (int) strlen (base) - 1, base);
  g_autofree char *t1 = sign_payload (twice);
  g_autofree char *t2 = sign_payload (escaped);
  g_autofree char *t3 = sign_payload (sid_twice);
  g_autofree char *t4 = sign_raw ("{\"alg\":\"none\",\"alg\":\"HS256\"}", base,
                                  EVP_sha256 (), secret);
  g_autofree char *t5 = sign_raw (HS256_HEADER, base, EVP_sha256 (), secret);
  g_autoptr(SottoToken) ok = NULL;

  assert_verify_fails (t1, SOTTO_TOKEN_ERROR_BAD_JSON);
  assert_decode_fails (t1, SOTTO_TOKEN_ERROR_BAD_JSON);
  assert_verify_fails (t2, SOTTO_TOKEN_ERROR_BAD_JSON);
  assert_verify_fails (t3, SOTTO_TOKEN_ERROR_BAD_JSON);
  assert_verify_fails (t4, SOTTO_TOKEN_ERROR_BAD_JSON);
  /* The same payload without the duplicate is fine: the failures above are
   * about the duplicate alone. */
  ok = verify_ok (t5);
}

static void
test_missing_claim (void)
{
  static const char *const required[] = { "iss", "sid", "role", "iat", "exp", "jti", "url", "pin" };
  static const char *const nonempty[] = { "iss", "sid", "jti" };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autofree char *payload = payload_with (required[i], NULL, NULL);
      g_autofree char *token = sign_payload (payload);

      g_test_message ("missing: %s", required[i]);
      assert_verify_fails (token, SOTTO_TOKEN_ERROR_MISSING_CLAIM);
      assert_decode_fails (token, SOTTO_TOKEN_ERROR_MISSING_CLAIM);
    }
  for (i = 0; i < G_N_ELEMENTS (nonempty); i++)
    {
      g_autofree char *payload = payload_with (NULL, nonempty[i], "\"\"");
      g_autofree char *token = sign_payload (payload);

      assert_verify_fails (token, SOTTO_TOKEN_ERROR_MISSING_CLAIM);
    }
  {
    g_autofree char *token = sign_payload ("{}");
    assert_verify_fails (token, SOTTO_TOKEN_ERROR_MISSING_CLAIM);
  }
}

static void
test_mistyped_claim (void)
{
  static const char *const cases[][2] = {
    { "iss", "42" },
    { "iss", "null" },
    { "iss", "[\"" API_KEY "\"]" },
    { "sid", "{\"id\":\"" SESSION "\"}" },
    { "sid", "true" },
    { "role", "2" },
    { "role", "[\"moderator\"]" },
    { "iat", "\"1700000000\"" },
    { "iat", "1700000000.5" },
    { "iat", "1.7e9" },
    { "iat", "-1" },
    { "iat", "0" },
    { "iat", "99999999999999999999999" },
    { "exp", "\"tomorrow\"" },
    { "exp", "1699999999" },      /* before iat */
    { "exp", "1700000000" },      /* equal to iat */
    { "exp", "253402300800" },    /* after year 9999 */
    { "exp", "null" },
    { "jti", "123" },
    { "nbf", "\"1700000000\"" },
    { "nbf", "0" },
    { "nbf", "1700086400" },      /* not before expiry */
    { "data", "7" },
    { "data", "{}" },
    { "url", "\"https://127.0.0.1:8443\"" },
    { "url", "\"ws://127.0.0.1:8443\"" },
    { "url", "\"wss://\"" },
    { "url", "\"wss://trusted.example@evil.example\"" },
    { "url", "\"wss://exa mple.org\"" },
    { "url", "\"wss://good.example%2Fevil.example\"" },
    { "url", "\"wss://good.example%40evil.example\"" },
    { "url", "\"wss://127.0.0.1:99999\"" },
    { "url", "\"WSS://example.org\"" },
    { "url", "\"wss://ex\\u00e4mple.org\"" },
    { "url", "1" },
    { "pin", "\"\"" },
    { "pin", "\"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU\"" },  /* base64url, not base64 */
    { "pin", "\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF==\"" }, /* 31 bytes */
    { "pin", "\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\"" }, /* non-canonical */
    { "pin", "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\"" },
    { "pin", "32" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *payload = payload_with (NULL, cases[i][0], cases[i][1]);
      g_autofree char *token = sign_payload (payload);

      g_test_message ("%s: %s", cases[i][0], cases[i][1]);
      assert_verify_fails (token, SOTTO_TOKEN_ERROR_INVALID_CLAIM);
      assert_decode_fails (token, SOTTO_TOKEN_ERROR_INVALID_CLAIM);
    }
}

static void
test_unknown_role (void)
{
  static const char *const roles[] = { "\"admin\"", "\"Moderator\"", "\"\"", "\"moderator \"" };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *payload = payload_with (NULL, "role", roles[i]);
      g_autofree char *token = sign_payload (payload);

      assert_verify_fails (token, SOTTO_TOKEN_ERROR_UNKNOWN_ROLE);
      assert_decode_fails (token, SOTTO_TOKEN_ERROR_UNKNOWN_ROLE);
    }
}

static void
test_unknown_claims_ignored (void)
{
  g_autofree char *base = payload_with (NULL, "data", "\"hello\"");
  g_autofree char *extended = g_strdup_printf ("%.*s,\"aud\":[\"x\"],\"ext\":{\"n\":null}}",
                                               (int) strlen (base) - 1, base);
  g_autofree char *token = sign_payload (extended);
  g_autoptr(SottoToken) t = verify_ok (token);

  g_assert_cmpstr (sotto_token_get_data (t), ==, "hello");
}

/* Minting */

static void
test_mint_data_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = test_secret ();
  SottoTokenClaims c = default_claims (SOTTO_ROLE_PUBLISHER);
  g_autofree char *max = g_strnfill (SOTTO_TOKEN_MAX_DATA_LENGTH, 'd');
  g_autofree char *over = g_strnfill (SOTTO_TOKEN_MAX_DATA_LENGTH + 1, 'd');
  g_autofree char *controls = g_strnfill (SOTTO_TOKEN_MAX_DATA_LENGTH, '\x01');
  g_autofree char *token = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *crafted = NULL;
  g_autoptr(SottoToken) t = NULL;

  c.data = max;
  token = sotto_token_mint (&c, secret, &error);
  g_assert_no_error (error);
  t = verify_ok (token);
  g_assert_cmpstr (sotto_token_get_data (t), ==, max);

  c.data = over;
  refused = sotto_token_mint (&c, secret, &error);
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM);
  g_assert_null (refused);
  g_clear_error (&error);

  /* 1000 bytes that each need a six-byte JSON escape: within the data limit,
   * over the token limit. */
  c.data = controls;
  too_long = sotto_token_mint (&c, secret, &error);
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_TOO_LONG);
  g_assert_null (too_long);

  /* A signed token whose data is over the limit is refused too. */
  {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", over);
    payload = payload_with (NULL, "data", quoted);
  }
  crafted = sign_payload (payload);
  assert_verify_fails (crafted, SOTTO_TOKEN_ERROR_INVALID_CLAIM);
}

static void
test_mint_invalid (void)
{
  g_autoptr(GBytes) secret = test_secret ();
  struct {
    const char *what;
    int         code;
  } expected[] = {
    { "no api key", SOTTO_TOKEN_ERROR_MISSING_CLAIM },
    { "empty session", SOTTO_TOKEN_ERROR_MISSING_CLAIM },
    { "no url", SOTTO_TOKEN_ERROR_MISSING_CLAIM },
    { "no pin", SOTTO_TOKEN_ERROR_MISSING_CLAIM },
    { "bad role", SOTTO_TOKEN_ERROR_UNKNOWN_ROLE },
    { "http url", SOTTO_TOKEN_ERROR_INVALID_CLAIM },
    { "bad pin", SOTTO_TOKEN_ERROR_INVALID_CLAIM },
    { "exp before iat", SOTTO_TOKEN_ERROR_INVALID_CLAIM },
    { "nbf after exp", SOTTO_TOKEN_ERROR_INVALID_CLAIM },
    { "zero iat", SOTTO_TOKEN_ERROR_INVALID_CLAIM },
    { "data not utf-8", SOTTO_TOKEN_ERROR_INVALID_CLAIM },
    { "sid not utf-8", SOTTO_TOKEN_ERROR_INVALID_CLAIM },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      SottoTokenClaims c = default_claims (SOTTO_ROLE_SUBSCRIBER);
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;

      switch (i)
        {
        case 0: c.api_key = NULL; break;
        case 1: c.session_id = ""; break;
        case 2: c.url = NULL; break;
        case 3: c.pin = NULL; break;
        case 4: c.role = (SottoRole) 7; break;
        case 5: c.url = "https://127.0.0.1:8443"; break;
        case 6: c.pin = "not a pin"; break;
        case 7: c.expires_at = c.issued_at - 1; break;
        case 8: c.not_before = c.expires_at; break;
        case 9: c.issued_at = 0; break;
        case 10: c.data = "caf\xe9"; break;
        case 11: c.session_id = "\xff"; break;
        default: g_assert_not_reached ();
        }
      token = sotto_token_mint (&c, secret, &error);
      g_test_message ("%s", expected[i].what);
      g_assert_error (error, SOTTO_TOKEN_ERROR, expected[i].code);
      g_assert_null (token);
    }
}

/* The secret and the token never appear in an error message. */
static void
test_errors_leak_nothing (void)
{
  g_autofree char *token = mint_default (SOTTO_ROLE_SUBSCRIBER);
  g_autoptr(GBytes) other = g_bytes_new_static ("SECRETSECRETSECRETSECRETSECRET!!", 32);
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoToken) t = sotto_token_verify (token, other, SESSION, NOW, &error);
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);

  g_assert_nonnull (error);
  g_assert_null (t);
  g_assert_null (strstr (error->message, "SECRET"));
  g_assert_null (strstr (error->message, "0123456789abcdef"));
  g_assert_null (strstr (error->message, parts[2]));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sotto/token/round-trip/subscriber",
                        GINT_TO_POINTER (SOTTO_ROLE_SUBSCRIBER), test_round_trip);
  g_test_add_data_func ("/sotto/token/round-trip/publisher",
                        GINT_TO_POINTER (SOTTO_ROLE_PUBLISHER), test_round_trip);
  g_test_add_data_func ("/sotto/token/round-trip/moderator",
                        GINT_TO_POINTER (SOTTO_ROLE_MODERATOR), test_round_trip);
  g_test_add_func ("/sotto/token/round-trip/optional-absent", test_round_trip_optional_absent);
  g_test_add_func ("/sotto/token/round-trip/random-data", test_round_trip_random_data);
  g_test_add_func ("/sotto/token/roles", test_roles);
  g_test_add_func ("/sotto/token/server-host", test_server_host);
  g_test_add_func ("/sotto/token/tamper/header", test_tamper_header);
  g_test_add_func ("/sotto/token/tamper/payload", test_tamper_payload);
  g_test_add_func ("/sotto/token/tamper/signature", test_tamper_signature);
  g_test_add_func ("/sotto/token/tamper/every-character", test_tamper_every_character);
  g_test_add_func ("/sotto/token/alg/none", test_alg_none);
  g_test_add_func ("/sotto/token/alg/hs512", test_alg_hs512);
  g_test_add_func ("/sotto/token/alg/rs256", test_alg_rs256);
  g_test_add_func ("/sotto/token/alg/missing", test_alg_missing);
  g_test_add_func ("/sotto/token/header/typ", test_header_typ);
  g_test_add_func ("/sotto/token/expired", test_expired);
  g_test_add_func ("/sotto/token/not-yet-valid", test_not_yet_valid);
  g_test_add_func ("/sotto/token/wrong-secret", test_wrong_secret);
  g_test_add_func ("/sotto/token/weak-secret", test_weak_secret);
  g_test_add_func ("/sotto/token/wrong-session", test_wrong_session);
  g_test_add_func ("/sotto/token/truncated", test_truncated);
  g_test_add_func ("/sotto/token/too-long", test_too_long);
  g_test_add_func ("/sotto/token/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/sotto/token/bad-base64", test_bad_base64);
  g_test_add_func ("/sotto/token/bad-json", test_bad_json);
  g_test_add_func ("/sotto/token/duplicate-claim", test_duplicate_claim);
  g_test_add_func ("/sotto/token/missing-claim", test_missing_claim);
  g_test_add_func ("/sotto/token/mistyped-claim", test_mistyped_claim);
  g_test_add_func ("/sotto/token/unknown-role", test_unknown_role);
  g_test_add_func ("/sotto/token/unknown-claims-ignored", test_unknown_claims_ignored);
  g_test_add_func ("/sotto/token/mint/data-limit", test_mint_data_limit);
  g_test_add_func ("/sotto/token/mint/invalid", test_mint_invalid);
  g_test_add_func ("/sotto/token/errors-leak-nothing", test_errors_leak_nothing);

  return g_test_run ();
}
