/* sotto-server-store.c: the server's durable state (SQLite, WAL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-server-store"

#include "sotto-server-store.h"

#include <glib/gi18n.h>

#include <sqlite3.h>
#include <openssl/rand.h>

struct _SottoServerStore
{
  GObject parent_instance;

  sqlite3      *db;
  sqlite3_stmt *insert_session;
  sqlite3_stmt *select_session;
  sqlite3_stmt *end_session;
  sqlite3_stmt *insert_revocation;
  sqlite3_stmt *select_revocation;
  sqlite3_stmt *purge_revocations;
};

G_DEFINE_FINAL_TYPE (SottoServerStore, sotto_server_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (sotto-server-store-error-quark, sotto_server_store_error)

/* Schema version 1. `created` and `ended` are seconds since the epoch; `ended`
 * is NULL while the session is open. */
static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS sessions ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  max_participants INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL,"
  "  ended INTEGER"
  ");"
  "CREATE TABLE IF NOT EXISTS revoked_tokens ("
  "  jti TEXT PRIMARY KEY NOT NULL,"
  "  expires_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS revoked_tokens_expiry ON revoked_tokens (expires_at);"
  "PRAGMA user_version = 1;";

static gboolean
set_sqlite_error (SottoServerStore *self,
                  int               code,
                  const char       *what,
                  GError          **error)
{
  /* sqlite3_errmsg describes the failure, never the bound values, so it
   * cannot leak a token id or session id. */
  g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_IO,
               _("Database error while %s: %s (%d)"), what,
               self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (code), code);
  return FALSE;
}

static void
sotto_server_store_finalize (GObject *object)
{
  SottoServerStore *self = SOTTO_SERVER_STORE (object);

  g_clear_pointer (&self->insert_session, sqlite3_finalize);
  g_clear_pointer (&self->select_session, sqlite3_finalize);
  g_clear_pointer (&self->end_session, sqlite3_finalize);
  g_clear_pointer (&self->insert_revocation, sqlite3_finalize);
  g_clear_pointer (&self->select_revocation, sqlite3_finalize);
  g_clear_pointer (&self->purge_revocations, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);

  G_OBJECT_CLASS (sotto_server_store_parent_class)->finalize (object);
}

static void
sotto_server_store_class_init (SottoServerStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sotto_server_store_finalize;
}

static void
sotto_server_store_init (SottoServerStore *self)
{
}

static gboolean
prepare (SottoServerStore *self,
         const char       *sql,
         sqlite3_stmt    **out_stmt,
         GError          **error)
{
  int rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out_stmt, NULL);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_OPEN,
                   _("Cannot prepare the database statements: %s"), sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec_pragma (SottoServerStore *self,
             const char       *sql,
             GError          **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_OPEN,
                   _("Cannot set up the database: %s"), message ? message : "unknown error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

SottoServerStore *
sotto_server_store_open (const char  *path,
                         GError     **error)
{
  g_autoptr (SottoServerStore) self = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean is_wal;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SOTTO_TYPE_SERVER_STORE, NULL);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_OPEN,
                   _("Cannot open the database %s: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  /* A `create-session` from the CLI may run while `serve` holds the
   * database; wait for its lock briefly instead of failing at once. */
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL lets readers and the writer proceed together and makes a commit one
   * append to the log. synchronous=FULL fsyncs the log on every commit, so a
   * write acknowledged to a client survives not only kill -9 (which NORMAL
   * would also survive, the log being in the page cache) but power loss. The
   * server writes rarely (session create/end, revocations), so the fsync
   * costs nothing that matters. */
  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_OPEN,
                   _("Cannot set up the database %s: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }
  is_wal = sqlite3_step (stmt) == SQLITE_ROW
           && g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  if (!is_wal)
    {
      g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_OPEN,
                   _("Cannot switch the database %s to write-ahead logging: %s"), path,
                   sqlite3_errmsg (self->db));
      return NULL;
    }

  if (!exec_pragma (self, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", error)
      || !exec_pragma (self, schema_sql, error))
    return NULL;

  if (!prepare (self,
                "INSERT INTO sessions (id, max_participants, created) VALUES (?1, ?2, ?3)",
                &self->insert_session, error)
      || !prepare (self, "SELECT max_participants, ended IS NOT NULL FROM sessions WHERE id = ?1",
                   &self->select_session, error)
      || !prepare (self, "UPDATE sessions SET ended = COALESCE(ended, ?2) WHERE id = ?1",
                   &self->end_session, error)
      || !prepare (self,
                   "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?1, ?2) "
                   "ON CONFLICT (jti) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)",
                   &self->insert_revocation, error)
      || !prepare (self, "SELECT 1 FROM revoked_tokens WHERE jti = ?1",
                   &self->select_revocation, error)
      || !prepare (self, "DELETE FROM revoked_tokens WHERE expires_at < ?1",
                   &self->purge_revocations, error))
    return NULL;

  return g_steal_pointer (&self);
}

char *
sotto_server_store_new_session_id (void)
{
  guint8 raw[SOTTO_SESSION_ID_RANDOM_BYTES];
  g_autofree char *b64 = NULL;
  char *p;

  /* RAND_bytes only fails if the CSPRNG cannot be seeded; a guessable id
   * would be worse than stopping. */
  if (RAND_bytes (raw, sizeof raw) != 1)
    g_error ("OpenSSL cannot produce random bytes for a session id");

  b64 = g_base64_encode (raw, sizeof raw);
  for (p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return g_steal_pointer (&b64);
}

gboolean
sotto_server_store_session_id_is_valid (const char *session_id)
{
  gsize len;

  if (session_id == NULL)
    return FALSE;
  for (len = 0; session_id[len] != '\0'; len++)
    {
      char c = session_id[len];

      if (len >= SOTTO_SESSION_ID_MAX_LENGTH)
        return FALSE;
      if (!g_ascii_isalnum (c) && c != '-' && c != '_')
        return FALSE;
    }
  return len > 0;
}

static gboolean
check_id (const char *session_id,
          GError    **error)
{
  if (sotto_server_store_session_id_is_valid (session_id))
    return TRUE;
  g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_INVALID_ID,
               _("A session id is 1 to %d characters from A-Z, a-z, 0-9, '-' and '_'"),
               SOTTO_SESSION_ID_MAX_LENGTH);
  return FALSE;
}

static int
step_once (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  /* Reset releases the statement's read transaction (or finishes the
   * write); clearing bindings keeps no ids in memory longer than needed. */
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  return rc;
}

static void
finish (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
sotto_server_store_create_session (SottoServerStore  *self,
                                   const char        *session_id,
                                   guint              max_participants,
                                   GError           **error)
{
  int rc;

  g_return_val_if_fail (SOTTO_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (session_id, error))
    return FALSE;

  sqlite3_bind_text (self->insert_session, 1, session_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (self->insert_session, 2, max_participants);
  sqlite3_bind_int64 (self->insert_session, 3, g_get_real_time () / G_USEC_PER_SEC);
  rc = step_once (self->insert_session);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_EXISTS,
                   _("A session with this id already exists"));
      return FALSE;
    }
  return set_sqlite_error (self, rc, "creating a session", error);
}

gboolean
sotto_server_store_lookup_session (SottoServerStore  *self,
                                   const char        *session_id,
                                   guint             *max_participants,
                                   gboolean          *ended,
                                   GError           **error)
{
  int rc;

  g_return_val_if_fail (SOTTO_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (session_id, error))
    return FALSE;

  sqlite3_bind_text (self->select_session, 1, session_id, -1, SQLITE_STATIC);
  rc = step_once (self->select_session);
  if (rc == SQLITE_ROW)
    {
      gint64 max = sqlite3_column_int64 (self->select_session, 0);

      if (max_participants)
        *max_participants = (guint) CLAMP (max, 0, G_MAXUINT);
      if (ended)
        *ended = sqlite3_column_int (self->select_session, 1) != 0;
      finish (self->select_session);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_NOT_FOUND,
                   _("No such session"));
      return FALSE;
    }
  return set_sqlite_error (self, rc, "looking up a session", error);
}

gboolean
sotto_server_store_end_session (SottoServerStore  *self,
                                const char        *session_id,
                                GError           **error)
{
  int rc;

  g_return_val_if_fail (SOTTO_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (session_id, error))
    return FALSE;

  sqlite3_bind_text (self->end_session, 1, session_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (self->end_session, 2, g_get_real_time () / G_USEC_PER_SEC);
  rc = step_once (self->end_session);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "ending a session", error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_NOT_FOUND,
                   _("No such session"));
      return FALSE;
    }
  return TRUE;
}

gboolean
sotto_server_store_revoke_token (SottoServerStore  *self,
                                 const char        *jti,
                                 gint64             expires_at,
                                 GError           **error)
{
  int rc;

  g_return_val_if_fail (SOTTO_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (jti != NULL && *jti != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sqlite3_bind_text (self->insert_revocation, 1, jti, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (self->insert_revocation, 2, expires_at);
  rc = step_once (self->insert_revocation);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "revoking a token", error);
  return TRUE;
}

gboolean
sotto_server_store_is_token_revoked (SottoServerStore *self,
                                     const char       *jti)
{
  int rc;

  g_return_val_if_fail (SOTTO_IS_SERVER_STORE (self), TRUE);

  if (jti == NULL || *jti == '\0')
    return TRUE;

  sqlite3_bind_text (self->select_revocation, 1, jti, -1, SQLITE_STATIC);
  rc = step_once (self->select_revocation);
  if (rc == SQLITE_ROW)
    {
      finish (self->select_revocation);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    return FALSE;
  g_warning ("Database error while checking a token revocation: %s; refusing the token",
             sqlite3_errmsg (self->db));
  return TRUE;
}

gint64
sotto_server_store_purge_revocations (SottoServerStore *self,
                                      gint64            now,
                                      GError          **error)
{
  int rc;

  g_return_val_if_fail (SOTTO_IS_SERVER_STORE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  sqlite3_bind_int64 (self->purge_revocations, 1, now);
  rc = step_once (self->purge_revocations);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "purging expired revocations", error);
      return -1;
    }
  return sqlite3_changes64 (self->db);
}
