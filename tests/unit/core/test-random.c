/* test-random.c: random ids and secret buffers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sotto-base64url.h"
#include "sotto-random.h"

static void
test_id (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  for (i = 0; i < 1000; i++)
    {
      char *id = sotto_random_id (16);
      g_autoptr(GBytes) raw = sotto_base64url_decode (id, -1, NULL);

      /* 16 bytes are 22 URL-safe characters. */
      g_assert_cmpuint (strlen (id), ==, 22);
      g_assert_cmpuint (strspn (id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-_"), ==, 22);
      g_assert_cmpuint (g_bytes_get_size (raw), ==, 16);
      g_assert_true (g_hash_table_add (seen, id));
    }
}

static void
test_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = sotto_random_bytes (32, &error);
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GBytes) empty = NULL;

  g_assert_no_error (error);
  b = sotto_random_bytes (32, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (a), ==, 32);
  g_assert_false (g_bytes_equal (a, b));
  empty = sotto_random_bytes (0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
}

static void
test_secret_copy (void)
{
  static const char key[] = "not-really-a-secret";
  g_autoptr(GBytes) s = sotto_bytes_new_secret_copy (key, sizeof key);

  g_assert_cmpmem (g_bytes_get_data (s, NULL), g_bytes_get_size (s), key, sizeof key);
  g_assert_true (g_bytes_get_data (s, NULL) != (gconstpointer) key);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/random/id", test_id);
  g_test_add_func ("/sotto/random/bytes", test_bytes);
  g_test_add_func ("/sotto/random/secret-copy", test_secret_copy);

  return g_test_run ();
}
