/* test-api-credential.c: the REST API's bearer credential
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <string.h>

#include "sotto-api-credential.h"

#define KEY "AKtestkey0123456"
#define NOW ((gint64) 1800000000)

static GBytes *
secret_new (guint8 fill)
{
  guint8 raw[32];

  memset (raw, fill, sizeof raw);
  return g_bytes_new (raw, sizeof raw);
}

static char *
bearer (const char *jwt)
{
  return g_strconcat ("Bearer ", jwt, NULL);
}

static void
assert_refused (const char *header,
                GBytes     *secret,
                gint64      now,
                int         code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (sotto_api_credential_verify (header, KEY, secret, now, &error));
  g_assert_error (error, SOTTO_API_CREDENTIAL_ERROR, code);
}

static void
test_round_trip (void)
{
  g_autoptr (GBytes) secret = secret_new (7);
  g_autoptr (GError) error = NULL;
  g_autofree char *jwt = sotto_api_credential_mint (KEY, secret, NOW, 300, &error);
  g_autofree char *header = NULL;
  g_autofree char *lower = NULL;

  g_assert_no_error (error);
  header = bearer (jwt);
  g_assert_true (sotto_api_credential_verify (header, KEY, secret, NOW, &error));
  g_assert_true (sotto_api_credential_verify (header, KEY, secret, NOW + 299, &error));
  /* Within the clock skew either side. */
  g_assert_true (sotto_api_credential_verify (header, KEY, secret, NOW - 59, &error));
  g_assert_true (sotto_api_credential_verify (header, KEY, secret, NOW + 300 + 59, &error));
  g_assert_no_error (error);
  lower = g_strconcat ("bearer ", jwt, NULL);
  g_assert_true (sotto_api_credential_verify (lower, KEY, secret, NOW, &error));

  assert_refused (header, secret, NOW + 300 + 60, SOTTO_API_CREDENTIAL_ERROR_EXPIRED);
  assert_refused (header, secret, NOW - 61, SOTTO_API_CREDENTIAL_ERROR_EXPIRED);
}

static void
test_wrong_secret_and_key (void)
{
  g_autoptr (GBytes) secret = secret_new (7);
  g_autoptr (GBytes) other = secret_new (8);
  g_autofree char *jwt = sotto_api_credential_mint (KEY, secret, NOW, 300, NULL);
  g_autofree char *other_key_jwt = sotto_api_credential_mint ("AKother", secret, NOW, 300, NULL);
  g_autofree char *header = bearer (jwt);
  g_autofree char *other_key = bearer (other_key_jwt);

  assert_refused (header, other, NOW, SOTTO_API_CREDENTIAL_ERROR_BAD_SIGNATURE);
  assert_refused (other_key, secret, NOW, SOTTO_API_CREDENTIAL_ERROR_WRONG_KEY);
}

static void
test_tampering (void)
{
  g_autoptr (GBytes) secret = secret_new (7);
  g_autofree char *jwt = sotto_api_credential_mint (KEY, secret, NOW, 300, NULL);
  gsize len = strlen (jwt);
  const char *dot1 = strchr (jwt, '.');
  const char *dot2 = strrchr (jwt, '.');
  gsize positions[] = { 3, (gsize) (dot1 - jwt) + 3, (gsize) (dot2 - jwt) + 3, len - 2 };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autofree char *copy = g_strdup (jwt);
      g_autofree char *header = NULL;
      g_autoptr (GError) error = NULL;

      copy[positions[i]] = copy[positions[i]] == 'A' ? 'B' : 'A';
      header = bearer (copy);
      g_assert_false (sotto_api_credential_verify (header, KEY, secret, NOW, &error));
      g_assert_nonnull (error);
    }
}

static void
test_malformed (void)
{
  g_autoptr (GBytes) secret = secret_new (7);
  g_autofree char *jwt = sotto_api_credential_mint (KEY, secret, NOW, 300, NULL);
  g_autofree char *basic = g_strconcat ("Basic ", jwt, NULL);
  g_autofree char *huge_body = g_strnfill (5000, 'a');
  g_autofree char *huge = bearer (huge_body);
  /* {"alg":"none","typ":"JWT"} with the real payload and no signature. */
  g_autofree char *none = NULL;
  g_autofree char *four = NULL;
  const char *dot1 = strchr (jwt, '.');
  const char *dot2 = strrchr (jwt, '.');
  g_autofree char *payload = g_strndup (dot1 + 1, (gsize) (dot2 - dot1 - 1));

  none = g_strconcat ("Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.", payload, ".", NULL);
  four = g_strconcat ("Bearer ", jwt, ".x", NULL);

  assert_refused (NULL, secret, NOW, SOTTO_API_CREDENTIAL_ERROR_MISSING);
  assert_refused (basic, secret, NOW, SOTTO_API_CREDENTIAL_ERROR_MISSING);
  assert_refused (huge, secret, NOW, SOTTO_API_CREDENTIAL_ERROR_MALFORMED);
  assert_refused (none, secret, NOW, SOTTO_API_CREDENTIAL_ERROR_MALFORMED);
  assert_refused (four, secret, NOW, SOTTO_API_CREDENTIAL_ERROR_MALFORMED);
  assert_refused ("Bearer ", secret, NOW, SOTTO_API_CREDENTIAL_ERROR_MALFORMED);
  assert_refused ("Bearer a.b.c", secret, NOW, SOTTO_API_CREDENTIAL_ERROR_MALFORMED);
}

static void
test_lifetime_limits (void)
{
  g_autoptr (GBytes) secret = secret_new (7);
  g_autoptr (GError) error = NULL;
  g_autofree char *max = sotto_api_credential_mint (KEY, secret, NOW, 3600, &error);
  g_autofree char *header = bearer (max);

  g_assert_no_error (error);
  g_assert_true (sotto_api_credential_verify (header, KEY, secret, NOW, &error));
  g_assert_null (sotto_api_credential_mint (KEY, secret, NOW, 3601, &error));
  g_assert_error (error, SOTTO_API_CREDENTIAL_ERROR, SOTTO_API_CREDENTIAL_ERROR_EXPIRED);
  g_clear_error (&error);
  g_assert_null (sotto_api_credential_mint (KEY, secret, NOW, 0, &error));
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sotto/server/api-credential/round-trip", test_round_trip);
  g_test_add_func ("/sotto/server/api-credential/wrong-secret-and-key", test_wrong_secret_and_key);
  g_test_add_func ("/sotto/server/api-credential/tampering", test_tampering);
  g_test_add_func ("/sotto/server/api-credential/malformed", test_malformed);
  g_test_add_func ("/sotto/server/api-credential/lifetime-limits", test_lifetime_limits);
  return g_test_run ();
}
