/* test-base64url.c: strict base64url
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sotto-base64url.h"

/* RFC 4648 section 10 vectors, without padding. */
static const char *const vectors[][2] = {
  { "", "" },
  { "f", "Zg" },
  { "fo", "Zm8" },
  { "foo", "Zm9v" },
  { "foob", "Zm9vYg" },
  { "fooba", "Zm9vYmE" },
  { "foobar", "Zm9vYmFy" },
};

static void
test_vectors (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *enc = sotto_base64url_encode ((const guint8 *) vectors[i][0],
                                                     strlen (vectors[i][0]));
      g_autoptr(GBytes) dec = sotto_base64url_decode (vectors[i][1], -1, &error);

      g_assert_cmpstr (enc, ==, vectors[i][1]);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (dec, NULL), g_bytes_get_size (dec),
                       vectors[i][0], strlen (vectors[i][0]));
    }
}

/* The two characters that differ from standard base64. */
static void
test_url_alphabet (void)
{
  static const guint8 data[] = { 0xfb, 0xff, 0xbf };
  g_autofree char *enc = sotto_base64url_encode (data, sizeof data);
  g_autoptr(GBytes) dec = sotto_base64url_decode ("-_-_", -1, NULL);
  static const guint8 expect[] = { 0xfb, 0xff, 0xbf };

  g_assert_cmpstr (enc, ==, "-_-_");
  g_assert_cmpmem (g_bytes_get_data (dec, NULL), g_bytes_get_size (dec), expect, sizeof expect);
}

static void
test_all_bytes_round_trip (void)
{
  guint8 data[256];
  gsize len;

  for (len = 0; len < sizeof data; len++)
    data[len] = (guint8) (255 - len);
  for (len = 0; len <= sizeof data; len++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *enc = sotto_base64url_encode (data, len);
      g_autoptr(GBytes) dec = sotto_base64url_decode (enc, -1, &error);

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (dec, NULL), g_bytes_get_size (dec), data, len);
    }
}

static void
test_invalid (void)
{
  static const struct {
    const char *text;
    int         code;
  } cases[] = {
    { "Zg==", SOTTO_BASE64URL_ERROR_INVALID_CHARACTER },
    { "Zm9v+A", SOTTO_BASE64URL_ERROR_INVALID_CHARACTER },
    { "Zm9v/A", SOTTO_BASE64URL_ERROR_INVALID_CHARACTER },
    { "Zm 9", SOTTO_BASE64URL_ERROR_INVALID_CHARACTER },
    { "Zm9\n", SOTTO_BASE64URL_ERROR_INVALID_CHARACTER },
    { "Zm9v\xc3\xa9", SOTTO_BASE64URL_ERROR_INVALID_CHARACTER },
    { "Z", SOTTO_BASE64URL_ERROR_INVALID_LENGTH },
    { "Zm9vY", SOTTO_BASE64URL_ERROR_INVALID_LENGTH },
    { "Zh", SOTTO_BASE64URL_ERROR_NON_CANONICAL },   /* "f" with a stray low bit */
    { "Zm9", SOTTO_BASE64URL_ERROR_NON_CANONICAL },  /* "fo" with stray bits */
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) dec = sotto_base64url_decode (cases[i].text, -1, &error);

      g_assert_error (error, SOTTO_BASE64URL_ERROR, cases[i].code);
      g_assert_null (dec);
    }
}

/* An explicit length stops at that length, even before a NUL. */
static void
test_explicit_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) dec = sotto_base64url_decode ("Zm9vYmFy.rest", 8, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (dec, NULL), g_bytes_get_size (dec), "foobar", 6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/base64url/vectors", test_vectors);
  g_test_add_func ("/sotto/base64url/url-alphabet", test_url_alphabet);
  g_test_add_func ("/sotto/base64url/all-bytes", test_all_bytes_round_trip);
  g_test_add_func ("/sotto/base64url/invalid", test_invalid);
  g_test_add_func ("/sotto/base64url/explicit-length", test_explicit_length);

  return g_test_run ();
}
