/* test-token-preview.c: a decoded token in the words of the join page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "app-test-util.h"
#include "sotto-token-preview.h"

#define NOW ((gint64) 1800000000)

static void
test_words (void)
{
  g_autoptr(SottoToken) token = app_test_token (SOTTO_ROLE_MODERATOR, "{\"name\": \"Ana García\"}",
                                                NOW, 1, 2 * 3600);
  g_autoptr(SottoTokenPreview) preview = sotto_token_preview_new (token, NOW);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (sotto_token_preview_get_host (preview), ==, APP_TEST_HOST);
  g_assert_cmpstr (sotto_token_preview_get_role_label (preview), ==, "Moderator");
  g_assert_nonnull (sotto_token_preview_get_role_description (preview));
  g_assert_cmpstr (sotto_token_preview_get_name (preview), ==, "Ana García");
  g_assert_cmpstr (sotto_token_preview_get_expiry_text (preview), ==, "expires in 2 hours");
  g_assert_true (sotto_token_preview_get_usable (preview));
  g_assert_true (sotto_token_preview_check (preview, &error));
  g_assert_no_error (error);
}

static void
test_roles (void)
{
  const struct { SottoRole role; const char *label; } cases[] = {
    { SOTTO_ROLE_SUBSCRIBER, "Subscriber" },
    { SOTTO_ROLE_PUBLISHER, "Publisher" },
    { SOTTO_ROLE_MODERATOR, "Moderator" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SottoToken) token = app_test_token (cases[i].role, NULL, NOW, 0, 600);
      g_autoptr(SottoTokenPreview) preview = sotto_token_preview_new (token, NOW);

      g_assert_cmpstr (sotto_token_preview_get_role_label (preview), ==, cases[i].label);
      g_assert_null (sotto_token_preview_get_name (preview));
    }
}

static void
test_expired (void)
{
  g_autoptr(SottoToken) token = app_test_token (SOTTO_ROLE_PUBLISHER, NULL, NOW, 7200, -600);
  g_autoptr(SottoTokenPreview) preview = sotto_token_preview_new (token, NOW);
  g_autoptr(GError) error = NULL;

  g_assert_false (sotto_token_preview_get_usable (preview));
  g_assert_cmpstr (sotto_token_preview_get_expiry_text (preview), ==, "expired 10 minutes ago");
  g_assert_false (sotto_token_preview_check (preview, &error));
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_EXPIRED);
}

static void
test_not_yet_valid (void)
{
  /* Issued three hours from now (a clock far behind). */
  g_autoptr(SottoToken) token = app_test_token (SOTTO_ROLE_PUBLISHER, NULL, NOW, -3 * 3600,
                                                5 * 3600);
  g_autoptr(SottoTokenPreview) preview = sotto_token_preview_new (token, NOW);
  g_autoptr(GError) error = NULL;

  g_assert_false (sotto_token_preview_get_usable (preview));
  g_assert_cmpstr (sotto_token_preview_get_expiry_text (preview), ==, "becomes valid in 3 hours");
  g_assert_false (sotto_token_preview_check (preview, &error));
  g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_NOT_YET_VALID);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strdup (pspec->name));
}

static gboolean
contains (GPtrArray  *array,
          const char *name)
{
  return g_ptr_array_find_with_equal_func (array, name, g_str_equal, NULL);
}

static void
test_time_passes (void)
{
  g_autoptr(SottoToken) token = app_test_token (SOTTO_ROLE_PUBLISHER, NULL, NOW, 0, 3 * 60);
  g_autoptr(SottoTokenPreview) preview = sotto_token_preview_new (token, NOW);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (preview, "notify", G_CALLBACK (on_notify), seen);
  g_assert_cmpstr (sotto_token_preview_get_expiry_text (preview), ==, "expires in 3 minutes");

  sotto_token_preview_set_now (preview, NOW + 2 * 60);
  g_assert_cmpstr (sotto_token_preview_get_expiry_text (preview), ==, "expires in 1 minute");
  g_assert_true (contains (seen, "expiry-text"));
  g_assert_false (contains (seen, "usable"));

  /* Past exp but inside the clock-skew tolerance the server still accepts it. */
  sotto_token_preview_set_now (preview, NOW + 3 * 60 + 30);
  g_assert_true (sotto_token_preview_get_usable (preview));
  g_assert_cmpstr (sotto_token_preview_get_expiry_text (preview), ==,
                   "expires in less than a minute");

  g_ptr_array_set_size (seen, 0);
  sotto_token_preview_set_now (preview, NOW + 3 * 60 + SOTTO_TOKEN_CLOCK_SKEW);
  g_assert_false (sotto_token_preview_get_usable (preview));
  g_assert_true (contains (seen, "usable"));
  g_assert_cmpstr (sotto_token_preview_get_expiry_text (preview), ==, "expired 1 minute ago");
}

static void
test_format_expiry (void)
{
  const struct { gint64 seconds; const char *text; } cases[] = {
    { 1, "expires in less than a minute" },
    { 59, "expires in less than a minute" },
    { 60, "expires in 1 minute" },
    { 61, "expires in 2 minutes" },
    { 59 * 60, "expires in 59 minutes" },
    { 60 * 60, "expires in 1 hour" },
    { 2 * 3600 - 1, "expires in 2 hours" },
    { 2 * 3600 + 29 * 60, "expires in 2 hours" },
    { 47 * 3600, "expires in 47 hours" },
    { 2 * 86400, "expires in 2 days" },
    { 30 * 86400, "expires in 30 days" },
    { 0, "expired less than a minute ago" },
    { -90, "expired 2 minutes ago" },
    { -3600, "expired 1 hour ago" },
    { -3 * 86400, "expired 3 days ago" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sotto_token_preview_format_expiry (cases[i].seconds);

      g_test_message ("%" G_GINT64_FORMAT " s", cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_name_from_data (void)
{
  const struct { const char *data; const char *name; } cases[] = {
    { NULL, NULL },
    { "", NULL },
    { "   ", NULL },
    { "Ana", "Ana" },
    { "  Ana  ", "Ana" },
    { "{\"name\": \"Bo\"}", "Bo" },
    { "{\"name\": \"  Bo \", \"team\": 4}", "Bo" },
    /* JSON that is not {"name": string} is data for the application. */
    { "{\"team\": 4}", NULL },
    { "{\"name\": 4}", NULL },
    { "{\"name\": null}", NULL },
    { "[\"Ana\"]", NULL },
    { "42", NULL },
    { "\"quoted\"", NULL },
    /* Control and bidi-format characters cannot reshape the page. */
    { "Ana\nBo", "Ana Bo" },
    { "Ana\u202eoB", "Ana oB" },
    { "Room “Blue” — table 4", "Room “Blue” — table 4" },
  };
  g_autofree char *long_name = g_strnfill (100, 'x');
  g_autofree char *shortened = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = sotto_token_preview_name_from_data (cases[i].data);

      g_test_message ("data: %s", cases[i].data != NULL ? cases[i].data : "(null)");
      g_assert_cmpstr (name, ==, cases[i].name);
    }

  shortened = sotto_token_preview_name_from_data (long_name);
  g_assert_cmpint (g_utf8_strlen (shortened, -1), ==, 65);
  g_assert_true (g_str_has_suffix (shortened, "…"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/app/token-preview/words", test_words);
  g_test_add_func ("/sotto/app/token-preview/roles", test_roles);
  g_test_add_func ("/sotto/app/token-preview/expired", test_expired);
  g_test_add_func ("/sotto/app/token-preview/not-yet-valid", test_not_yet_valid);
  g_test_add_func ("/sotto/app/token-preview/time-passes", test_time_passes);
  g_test_add_func ("/sotto/app/token-preview/format-expiry", test_format_expiry);
  g_test_add_func ("/sotto/app/token-preview/name-from-data", test_name_from_data);

  return g_test_run ();
}
