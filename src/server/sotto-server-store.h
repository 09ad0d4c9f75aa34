/* sotto-server-store.h: the server's durable state (SQLite, WAL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SOTTO_SERVER_STORE_ERROR (sotto_server_store_error_quark ())
GQuark sotto_server_store_error_quark (void);

typedef enum {
  SOTTO_SERVER_STORE_ERROR_OPEN,        /* the database cannot be opened or migrated */
  SOTTO_SERVER_STORE_ERROR_IO,          /* a statement failed (disk full, I/O error, busy) */
  SOTTO_SERVER_STORE_ERROR_NOT_FOUND,   /* no session with that id */
  SOTTO_SERVER_STORE_ERROR_EXISTS,      /* a session with that id already exists */
  SOTTO_SERVER_STORE_ERROR_INVALID_ID,  /* id is not 1..64 URL-safe characters [A-Za-z0-9_-] */
} SottoServerStoreError;

/* Random bytes behind a session id: 128 bits, i.e. 22 base64url characters. */
#define SOTTO_SESSION_ID_RANDOM_BYTES 16
#define SOTTO_SESSION_ID_MAX_LENGTH   64

#define SOTTO_TYPE_SERVER_STORE (sotto_server_store_get_type ())
G_DECLARE_FINAL_TYPE (SottoServerStore, sotto_server_store, SOTTO, SERVER_STORE, GObject)

/* Opens (creating if needed) the database at `path` in WAL mode with
 * synchronous=FULL: when any write function below returns TRUE, the write is
 * committed to disk and survives kill -9 and power loss.
 * All calls are synchronous and must happen on one thread (the server's main
 * context); each is a single small indexed statement. */
SottoServerStore *sotto_server_store_open             (const char        *path,
                                                       GError           **error);

/* A fresh session id: SOTTO_SESSION_ID_RANDOM_BYTES from the OpenSSL CSPRNG,
 * base64url without padding. */
char             *sotto_server_store_new_session_id   (void);
gboolean          sotto_server_store_session_id_is_valid (const char     *session_id);

/* `max_participants` 0 means "no per-session limit": the server's
 * --max-participants-default applies. */
gboolean          sotto_server_store_create_session   (SottoServerStore  *self,
                                                       const char        *session_id,
                                                       guint              max_participants,
                                                       GError           **error);

/* NOT_FOUND if the session does not exist. Out parameters may be NULL.
 * An ended session is found, with *ended = TRUE. */
gboolean          sotto_server_store_lookup_session   (SottoServerStore  *self,
                                                       const char        *session_id,
                                                       guint             *max_participants,
                                                       gboolean          *ended,
                                                       GError           **error);

/* Marks the session ended (idempotent); NOT_FOUND if it does not exist.
 * Tokens of an ended session are refused by the signaling hub. */
gboolean          sotto_server_store_end_session      (SottoServerStore  *self,
                                                       const char        *session_id,
                                                       GError           **error);

/* Records a revoked token id until `expires_at` (the token's exp, seconds
 * since the epoch); revoking twice is not an error. */
gboolean          sotto_server_store_revoke_token     (SottoServerStore  *self,
                                                       const char        *jti,
                                                       gint64             expires_at,
                                                       GError           **error);

/* TRUE if revoked. Fails closed: a database error counts as revoked
 * (and is logged as a warning, without the jti). */
gboolean          sotto_server_store_is_token_revoked (SottoServerStore  *self,
                                                       const char        *jti);

/* Deletes revocations whose token expired before `now`; they cannot verify
 * any more anyway. Returns the number deleted, or -1 with error set. */
gint64            sotto_server_store_purge_revocations (SottoServerStore *self,
                                                        gint64            now,
                                                        GError          **error);

G_END_DECLS
