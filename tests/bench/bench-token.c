/* bench-token.c: how fast tokens are minted, verified and refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints figures; asserts nothing about speed. Also prints the mean verify
 * time of a valid token and of tokens with a wrong MAC differing in the first
 * and in the last byte: with a constant-time compare the last two match.
 */
#include <stdio.h>
#include <string.h>

#include "sotto-base64url.h"
#include "sotto-random.h"
#include "sotto-token.h"

#define NOW G_GINT64_CONSTANT (1700000000)

static double
per_op_us (gint64 start,
           guint  n)
{
  return (double) (g_get_monotonic_time () - start) / n;
}

static char *
with_mac_byte_flipped (const char *token,
                       guint       index)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autoptr(GBytes) sig = sotto_base64url_decode (parts[2], -1, NULL);
  guint8 mac[32];
  g_autofree char *b64 = NULL;

  memcpy (mac, g_bytes_get_data (sig, NULL), sizeof mac);
  mac[index] ^= 0x80;
  b64 = sotto_base64url_encode (mac, sizeof mac);
  return g_strjoin (".", parts[0], parts[1], b64, NULL);
}

static double
time_verify (const char *token,
             GBytes     *secret,
             guint       n)
{
  gint64 start = g_get_monotonic_time ();
  guint i;

  for (i = 0; i < n; i++)
    {
      g_autoptr(SottoToken) t = sotto_token_verify (token, secret, "bench-session", NOW, NULL);
      (void) t;
    }
  return per_op_us (start, n);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 20000;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = sotto_random_bytes (32, &error);
  g_autofree char *data = g_strnfill (SOTTO_TOKEN_MAX_DATA_LENGTH, 'x');
  SottoTokenClaims c = {
    .api_key = "bench-key", .session_id = "bench-session", .role = SOTTO_ROLE_PUBLISHER,
    .issued_at = NOW, .expires_at = NOW + 86400, .not_before = 0, .data = NULL,
    .url = "wss://127.0.0.1:8443", .pin = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
  };
  g_autofree char *token = NULL;
  g_autofree char *big = NULL;
  g_autofree char *bad_first = NULL;
  g_autofree char *bad_last = NULL;
  g_autofree char *huge = g_strnfill (1024 * 1024, 'A');
  gint64 start;
  guint i;

  if (n == 0)
    n = 1;
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (i = 0; i < n; i++)
    {
      g_free (token);
      token = sotto_token_mint (&c, secret, &error);
      g_assert_no_error (error);
    }
  printf ("mint (no data):            %8.2f us/token\n", per_op_us (start, n));

  c.data = data;
  big = sotto_token_mint (&c, secret, &error);
  g_assert_no_error (error);
  printf ("token length: %zu bytes without data, %zu with 1000 bytes of data\n",
          strlen (token), strlen (big));

  printf ("verify (valid):            %8.2f us/token\n", time_verify (token, secret, n));
  printf ("verify (1000 B of data):   %8.2f us/token\n", time_verify (big, secret, n));
  printf ("decode (valid):            ");
  start = g_get_monotonic_time ();
  for (i = 0; i < n; i++)
    {
      g_autoptr(SottoToken) t = sotto_token_decode (token, NULL);
      (void) t;
    }
  printf ("%8.2f us/token\n", per_op_us (start, n));

  bad_first = with_mac_byte_flipped (token, 0);
  bad_last = with_mac_byte_flipped (token, 31);
  printf ("verify (MAC byte 0 wrong): %8.3f us/token\n", time_verify (bad_first, secret, n));
  printf ("verify (MAC byte 31 wrong): %7.3f us/token\n", time_verify (bad_last, secret, n));
  printf ("verify (1 MiB input):      %8.3f us/token\n", time_verify (huge, secret, n));

  return 0;
}
