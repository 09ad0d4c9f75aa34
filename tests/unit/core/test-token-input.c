/* test-token-input.c: session tokens: malformed input, JSON, claims, minting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include <string.h>

#include <openssl/evp.h>

#include "sotto-base64url.h"
#include "token-test-util.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

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

  return g_test_run ();
}
