/* fuzz-token.c: libFuzzer target for token decode and verify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is used twice:
 *  1. as a whole token, through sotto_token_decode() and sotto_token_verify();
 *  2. as a payload, signed here with the fuzzing secret, so that the strict
 *     JSON parser and every claim check are reached behind a valid MAC
 *     (random bytes would almost never get past the signature check).
 * Built with libFuzzer under -Dfuzzing=true, and linked with replay.c into a
 * normal test that replays the committed corpus.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sotto-base64url.h"
#include "sotto-token.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The seeds in corpus/token were minted with this secret and are valid at
 * this time (tests/fuzz/make-corpus.py). */
#define FUZZ_SECRET "sotto-fuzzing-secret-32-bytes!!!"
#define FUZZ_NOW    G_GINT64_CONSTANT (1700000000)
#define FUZZ_SID    "fuzz-session"

static void
exercise (SottoToken *token)
{
  g_autofree char *host = NULL;

  if (token == NULL)
    return;
  host = sotto_token_dup_server_host (token);
  g_assert (host != NULL);
  g_assert (sotto_role_to_string (sotto_token_get_role (token)) != NULL);
  g_assert (sotto_token_get_expires_at (token) > sotto_token_get_issued_at (token));
  (void) sotto_token_is_expired (token, FUZZ_NOW);
}

static void
check_error (SottoToken *token,
             GError     *error)
{
  /* Exactly one of a token and an error, and errors stay in our domain. */
  g_assert ((token == NULL) != (error == NULL));
  g_assert (error == NULL || error->domain == SOTTO_TOKEN_ERROR);
}

static char *
sign_as_payload (const uint8_t *data,
                 size_t         size,
                 GBytes        *secret)
{
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autofree char *h = sotto_base64url_encode ((const guint8 *) header, strlen (header));
  g_autofree char *p = sotto_base64url_encode (data, size);
  g_autofree char *input = g_strconcat (h, ".", p, NULL);
  g_autofree char *sig = NULL;
  guint8 mac[32];
  unsigned int mac_len = sizeof mac;

  if (HMAC (EVP_sha256 (), g_bytes_get_data (secret, NULL), 32, (const guint8 *) input,
            strlen (input), mac, &mac_len) == NULL)
    g_error ("HMAC failed");
  sig = sotto_base64url_encode (mac, mac_len);
  return g_strconcat (input, ".", sig, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) secret = g_bytes_new_static (FUZZ_SECRET, 32);
  g_autofree char *text = g_malloc (size + 1);
  g_autofree char *signed_payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoToken) decoded = NULL;
  g_autoptr(SottoToken) verified = NULL;
  g_autoptr(SottoToken) any_session = NULL;

  /* Tokens are C strings; an embedded NUL simply ends the token. */
  memcpy (text, data, size);
  text[size] = '\0';

  decoded = sotto_token_decode (text, &error);
  check_error (decoded, error);
  exercise (decoded);
  g_clear_error (&error);

  verified = sotto_token_verify (text, secret, FUZZ_SID, FUZZ_NOW, &error);
  check_error (verified, error);
  exercise (verified);
  /* Whatever verifies must also decode, to the same claims. */
  if (verified != NULL)
    {
      g_assert (decoded != NULL);
      g_assert (strcmp (sotto_token_get_id (decoded), sotto_token_get_id (verified)) == 0);
      g_assert (sotto_token_get_role (decoded) == sotto_token_get_role (verified));
    }
  g_clear_error (&error);

  /* Payloads over the token limit are refused by length alone; keep the
   * fuzzer's time for inputs that can reach the claim checks. */
  if (size <= SOTTO_TOKEN_MAX_LENGTH)
    {
      signed_payload = sign_as_payload (data, size, secret);
      any_session = sotto_token_verify (signed_payload, secret, NULL, FUZZ_NOW, &error);
      check_error (any_session, error);
      exercise (any_session);
    }

  return 0;
}
