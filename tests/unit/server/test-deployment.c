/* test-deployment.c: SottoDeployment on a real state directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>

#include "sotto-deployment.h"

typedef struct
{
  char *dir;
} Fixture;

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fx->dir = g_dir_make_tmp ("sotto-deployment-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  remove_tree (fx->dir);
  g_free (fx->dir);
}

static char *
subdir (Fixture    *fx,
        const char *name)
{
  return g_build_filename (fx->dir, name, NULL);
}

static void
test_create_and_load (Fixture      *fx,
                      gconstpointer data)
{
  g_autofree char *dir = subdir (fx, "a");
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoDeployment) created = sotto_deployment_create (dir, NULL, FALSE, &error);
  g_autoptr (SottoDeployment) loaded = NULL;
  g_autoptr (SottoDeployment) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sotto_deployment_get_public_url (created), ==, "wss://127.0.0.1:8443");
  g_assert_cmpuint (g_bytes_get_size (sotto_deployment_get_api_secret (created)), ==, 32);
  g_assert_cmpuint (strlen (sotto_deployment_get_pin (created)), ==, 44);
  g_assert_true (g_str_has_prefix (sotto_deployment_get_api_key (created), "AK"));

  loaded = sotto_deployment_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sotto_deployment_get_api_key (loaded), ==,
                   sotto_deployment_get_api_key (created));
  g_assert_cmpstr (sotto_deployment_get_pin (loaded), ==, sotto_deployment_get_pin (created));
  g_assert_true (g_bytes_equal (sotto_deployment_get_api_secret (loaded),
                                sotto_deployment_get_api_secret (created)));

  /* load_or_init on an existing deployment loads it, never replaces it. */
  again = sotto_deployment_load_or_init (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sotto_deployment_get_api_key (again), ==, sotto_deployment_get_api_key (created));

  g_assert_null (sotto_deployment_create (dir, NULL, FALSE, &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_EXISTS);
}

static void
test_missing (Fixture      *fx,
              gconstpointer data)
{
  g_autofree char *dir = subdir (fx, "none");
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoDeployment) fresh = NULL;

  g_assert_null (sotto_deployment_load (dir, &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The embedded default: serve initialises an empty directory. */
  fresh = sotto_deployment_load_or_init (dir, &error);
  g_assert_no_error (error);
  g_assert_true (sotto_deployment_exists (dir));
}

static void
test_public_urls (void)
{
  const char *good[] = { "wss://a", "wss://calls.example.org:8443", "wss://[::1]:8443",
                         "wss://127.0.0.1:8443/sotto" };
  const char *bad[] = { "", "http://a", "https://a:8443", "ws://a", "wss://", "wss://u@h",
                        "wss://h?q=1", "wss://h#f", "not a url", "wss://h:99999" };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (sotto_deployment_validate_public_url (good[i], NULL));
  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (sotto_deployment_validate_public_url (bad[i], &error));
      g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_URL);
    }
  g_assert_false (sotto_deployment_validate_public_url (NULL, NULL));
}

static void
test_tls_files (Fixture      *fx,
                gconstpointer data)
{
  g_autofree char *dir_a = subdir (fx, "a");
  g_autofree char *dir_b = subdir (fx, "b");
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoDeployment) a = sotto_deployment_create (dir_a, NULL, FALSE, &error);
  g_autoptr (SottoDeployment) b = sotto_deployment_create (dir_b, NULL, FALSE, &error);
  g_autofree char *pin_a = g_strdup (sotto_deployment_get_pin (a));

  g_assert_no_error (error);
  g_assert_cmpstr (pin_a, !=, sotto_deployment_get_pin (b));

  /* A key that does not belong to the certificate is refused. */
  g_assert_false (sotto_deployment_set_tls_files (a, sotto_deployment_get_tls_cert_path (b),
                                                  sotto_deployment_get_tls_key_path (a), &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_TLS);
  g_clear_error (&error);
  g_assert_cmpstr (sotto_deployment_get_pin (a), ==, pin_a);

  g_assert_true (sotto_deployment_set_tls_files (a, sotto_deployment_get_tls_cert_path (b),
                                                 sotto_deployment_get_tls_key_path (b), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sotto_deployment_get_pin (a), ==, sotto_deployment_get_pin (b));

  g_assert_false (sotto_deployment_set_tls_files (a, "/nonexistent.pem", "/nonexistent.key",
                                                  &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_TLS);
}

static void
test_corrupt_files (Fixture      *fx,
                    gconstpointer data)
{
  g_autofree char *dir = subdir (fx, "a");
  g_autofree char *cert = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoDeployment) created = sotto_deployment_create (dir, NULL, FALSE, &error);

  g_assert_no_error (error);
  cert = g_build_filename (dir, "tls-cert.pem", NULL);
  g_assert_true (g_file_set_contents (cert, "-----BEGIN CERTIFICATE-----\nAAAA\n", -1, NULL));
  g_assert_null (sotto_deployment_load (dir, &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_TLS);
  g_clear_error (&error);

  url = g_build_filename (dir, "public-url", NULL);
  g_assert_true (g_file_set_contents (url, "http://evil.example/\n", -1, NULL));
  g_assert_null (sotto_deployment_load (dir, &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_URL);
}

static void
test_mint_limits (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *dir = subdir (fx, "a");
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoDeployment) d = sotto_deployment_create (dir, "wss://h:1", FALSE, &error);
  g_autofree char *max_data = g_strnfill (SOTTO_TOKEN_MAX_DATA_LENGTH, 'x');
  g_autofree char *long_data = g_strnfill (SOTTO_TOKEN_MAX_DATA_LENGTH + 1, 'x');
  g_autofree char *ok = NULL;

  g_assert_no_error (error);
  ok = sotto_deployment_mint_token (d, "s1", SOTTO_ROLE_PUBLISHER, 0, max_data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);

  g_assert_null (sotto_deployment_mint_token (d, "s1", SOTTO_ROLE_PUBLISHER, -1, NULL, &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sotto_deployment_mint_token (d, "s1", SOTTO_ROLE_PUBLISHER,
                                              SOTTO_TOKEN_MAX_EXPIRE_IN + 1, NULL, &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sotto_deployment_mint_token (d, "s1", SOTTO_ROLE_PUBLISHER, 60, long_data,
                                              &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sotto_deployment_mint_token (d, "s1", SOTTO_ROLE_PUBLISHER, 60, "\xff\xfe",
                                              &error));
  g_assert_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_ARGUMENT);
}

static void
test_default_state_dir (void)
{
  g_autofree char *dir = sotto_deployment_default_state_dir ();

  /* main() set XDG_STATE_HOME before GLib read it. */
  g_assert_cmpstr (dir, ==, "/nonexistent-xdg-state/sotto-server");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("XDG_STATE_HOME", "/nonexistent-xdg-state", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sotto/server/deployment/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("create-and-load", test_create_and_load);
  ADD ("missing", test_missing);
  ADD ("tls-files", test_tls_files);
  ADD ("corrupt-files", test_corrupt_files);
  ADD ("mint-limits", test_mint_limits);
#undef ADD
  g_test_add_func ("/sotto/server/deployment/public-urls", test_public_urls);
  g_test_add_func ("/sotto/server/deployment/default-state-dir", test_default_state_dir);

  return g_test_run ();
}
