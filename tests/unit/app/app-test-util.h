/* app-test-util.h: tokens for the app's tests, minted with the real core code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "sotto-token.h"

#define APP_TEST_URL "wss://calls.example.org:8443/v1/signal"
#define APP_TEST_HOST "calls.example.org:8443"
/* base64 of a SHA-256 digest (32 bytes of 0x01): only its shape matters here. */
#define APP_TEST_PIN "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="

/* A token for `url` issued `issued_ago` seconds before `now`, expiring
 * `expires_in` seconds after it. */
static inline char *
app_test_mint_url (SottoRole   role,
                   const char *data,
                   const char *url,
                   gint64      now,
                   gint64      issued_ago,
                   gint64      expires_in)
{
  guint8 key[32];
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GError) error = NULL;
  SottoTokenClaims claims = {
    .api_key = "APItestkey",
    .session_id = "ses_test",
    .role = role,
    .issued_at = now - issued_ago,
    .expires_at = now + expires_in,
    .not_before = 0,
    .data = data,
    .url = url,
    .pin = APP_TEST_PIN,
  };
  char *token;

  memset (key, 0x5a, sizeof key);
  secret = g_bytes_new (key, sizeof key);
  token = sotto_token_mint (&claims, secret, &error);
  g_assert_no_error (error);
  return token;
}

/* The same for APP_TEST_URL: only for display, never joined (tests reach
 * nothing but loopback). */
static inline char *
app_test_mint (SottoRole   role,
               const char *data,
               gint64      now,
               gint64      issued_ago,
               gint64      expires_in)
{
  return app_test_mint_url (role, data, APP_TEST_URL, now, issued_ago, expires_in);
}

static inline SottoToken *
app_test_token (SottoRole   role,
                const char *data,
                gint64      now,
                gint64      issued_ago,
                gint64      expires_in)
{
  g_autofree char *encoded = app_test_mint (role, data, now, issued_ago, expires_in);
  g_autoptr(GError) error = NULL;
  SottoToken *token = sotto_token_decode (encoded, &error);

  g_assert_no_error (error);
  return token;
}
