/* test-token.c: session tokens: round trips, tampering, algorithms, time,
 * secrets and sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include <string.h>

#include <openssl/evp.h>

#include "sotto-base64url.h"
#include "token-test-util.h"

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

  g_assert_cmpstr (sotto_token_get_session_id (t), ==, SESSION);
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
  g_test_add_func ("/sotto/token/errors-leak-nothing", test_errors_leak_nothing);

  return g_test_run ();
}
