/* test-store.c: SottoServerStore on a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>

#include "sotto-server-store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fx->dir = g_dir_make_tmp ("sotto-store-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "sotto.db", NULL);
}

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (fx->path, suffixes[i], NULL);

      g_remove (p);
    }
  g_rmdir (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static SottoServerStore *
open_store (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  SottoServerStore *store = sotto_server_store_open (fx->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
test_sessions (Fixture      *fx,
               gconstpointer data)
{
  g_autoptr (SottoServerStore) store = open_store (fx);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = sotto_server_store_new_session_id ();
  guint max = 99;
  gboolean ended = TRUE;

  g_assert_true (sotto_server_store_session_id_is_valid (id));
  g_assert_true (sotto_server_store_create_session (store, id, 4, &error));
  g_assert_no_error (error);
  g_assert_true (sotto_server_store_lookup_session (store, id, &max, &ended, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (max, ==, 4);
  g_assert_false (ended);

  g_assert_false (sotto_server_store_create_session (store, id, 2, &error));
  g_assert_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (sotto_server_store_end_session (store, id, &error));
  g_assert_no_error (error);
  /* Ending twice is fine. */
  g_assert_true (sotto_server_store_end_session (store, id, &error));
  g_assert_true (sotto_server_store_lookup_session (store, id, &max, &ended, &error));
  g_assert_true (ended);
  g_assert_cmpuint (max, ==, 4);

  g_assert_false (sotto_server_store_lookup_session (store, "nope", NULL, NULL, &error));
  g_assert_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (sotto_server_store_end_session (store, "nope", &error));
  g_assert_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_invalid_ids (Fixture      *fx,
                  gconstpointer data)
{
  g_autoptr (SottoServerStore) store = open_store (fx);
  g_autofree char *long_id = g_strnfill (SOTTO_SESSION_ID_MAX_LENGTH + 1, 'a');
  g_autofree char *max_id = g_strnfill (SOTTO_SESSION_ID_MAX_LENGTH, 'a');
  const char *bad[] = { "", "a/b", "a b", "a.b", "é", "a'; DROP TABLE sessions; --", long_id };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (sotto_server_store_session_id_is_valid (bad[i]));
      g_assert_false (sotto_server_store_create_session (store, bad[i], 0, &error));
      g_assert_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_INVALID_ID);
      g_clear_error (&error);
      g_assert_false (sotto_server_store_lookup_session (store, bad[i], NULL, NULL, &error));
      g_assert_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_INVALID_ID);
    }
  g_assert_false (sotto_server_store_session_id_is_valid (NULL));
  g_assert_true (sotto_server_store_session_id_is_valid (max_id));
  g_assert_true (sotto_server_store_session_id_is_valid ("Az09-_"));
}

static void
test_unique_ids (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int i;

  for (i = 0; i < 1000; i++)
    {
      char *id = sotto_server_store_new_session_id ();

      g_assert_cmpuint (strlen (id), ==, 22);
      g_assert_true (sotto_server_store_session_id_is_valid (id));
      g_assert_true (g_hash_table_add (seen, id));
    }
}

static void
test_revocations (Fixture      *fx,
                  gconstpointer data)
{
  g_autoptr (SottoServerStore) store = open_store (fx);
  g_autoptr (GError) error = NULL;

  g_assert_false (sotto_server_store_is_token_revoked (store, "jti-1"));
  g_assert_true (sotto_server_store_revoke_token (store, "jti-1", 1000, &error));
  g_assert_no_error (error);
  g_assert_true (sotto_server_store_revoke_token (store, "jti-1", 2000, &error));
  g_assert_true (sotto_server_store_revoke_token (store, "jti-2", 5000, &error));
  g_assert_true (sotto_server_store_is_token_revoked (store, "jti-1"));
  g_assert_true (sotto_server_store_is_token_revoked (store, "jti-2"));
  g_assert_false (sotto_server_store_is_token_revoked (store, "jti-3"));
  /* An empty or missing jti is never accepted. */
  g_assert_true (sotto_server_store_is_token_revoked (store, ""));
  g_assert_true (sotto_server_store_is_token_revoked (store, NULL));

  /* jti-1 was re-revoked until 2000, so a purge at 1500 keeps it. */
  g_assert_cmpint (sotto_server_store_purge_revocations (store, 1500, &error), ==, 0);
  g_assert_cmpint (sotto_server_store_purge_revocations (store, 2001, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_false (sotto_server_store_is_token_revoked (store, "jti-1"));
  g_assert_true (sotto_server_store_is_token_revoked (store, "jti-2"));
}

static void
test_survives_reopen (Fixture      *fx,
                      gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = sotto_server_store_new_session_id ();
  g_autofree char *b = sotto_server_store_new_session_id ();
  guint max = 0;
  gboolean ended = FALSE;

  {
    g_autoptr (SottoServerStore) store = open_store (fx);

    g_assert_true (sotto_server_store_create_session (store, a, 7, &error));
    g_assert_true (sotto_server_store_create_session (store, b, 0, &error));
    g_assert_true (sotto_server_store_end_session (store, b, &error));
    g_assert_true (sotto_server_store_revoke_token (store, "gone", G_MAXINT64, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr (SottoServerStore) store = open_store (fx);

    g_assert_true (sotto_server_store_lookup_session (store, a, &max, &ended, &error));
    g_assert_cmpuint (max, ==, 7);
    g_assert_false (ended);
    g_assert_true (sotto_server_store_lookup_session (store, b, &max, &ended, &error));
    g_assert_cmpuint (max, ==, 0);
    g_assert_true (ended);
    g_assert_true (sotto_server_store_is_token_revoked (store, "gone"));
    g_assert_no_error (error);
  }
}

static void
test_open_failure (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoServerStore) store =
    sotto_server_store_open ("/nonexistent-dir-for-sotto/sub/sotto.db", &error);

  g_assert_null (store);
  g_assert_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_OPEN);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sotto/server/store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("sessions", test_sessions);
  ADD ("invalid-ids", test_invalid_ids);
  ADD ("revocations", test_revocations);
  ADD ("survives-reopen", test_survives_reopen);
#undef ADD
  g_test_add_func ("/sotto/server/store/unique-ids", test_unique_ids);
  g_test_add_func ("/sotto/server/store/open-failure", test_open_failure);

  return g_test_run ();
}
