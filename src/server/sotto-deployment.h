/* sotto-deployment.h: a sotto-server state directory (credentials, TLS, URL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sotto-token.h"

G_BEGIN_DECLS

#define SOTTO_DEPLOYMENT_ERROR (sotto_deployment_error_quark ())
GQuark sotto_deployment_error_quark (void);

typedef enum {
  SOTTO_DEPLOYMENT_ERROR_EXISTS,       /* init over an existing deployment without force */
  SOTTO_DEPLOYMENT_ERROR_NOT_FOUND,    /* the state directory holds no deployment: run init */
  SOTTO_DEPLOYMENT_ERROR_CORRUPT,      /* a file of the deployment is missing or malformed */
  SOTTO_DEPLOYMENT_ERROR_INSECURE,     /* a secret file is readable by group or others */
  SOTTO_DEPLOYMENT_ERROR_INVALID_URL,  /* public URL is not wss://HOST[:PORT][/PATH] */
  SOTTO_DEPLOYMENT_ERROR_TLS,          /* certificate or key cannot be generated or loaded */
  SOTTO_DEPLOYMENT_ERROR_IO,           /* a file cannot be read or written */
  SOTTO_DEPLOYMENT_ERROR_INVALID_ARGUMENT, /* expiry out of range, data too long */
} SottoDeploymentError;

#define SOTTO_DEPLOYMENT_DEFAULT_PUBLIC_URL "wss://127.0.0.1:8443"
#define SOTTO_API_SECRET_LENGTH             32   /* bytes: 256 bits */
#define SOTTO_TOKEN_DEFAULT_EXPIRE_IN       (24 * 3600)       /* seconds */
#define SOTTO_TOKEN_MAX_EXPIRE_IN           (30 * 24 * 3600)  /* seconds */

/* Files in the state directory (secret ones are mode 0600, the directory 0700):
 *   api-key       API key, public identifier (text)
 *   api-secret    API secret: 32 random bytes as 43 base64url characters (0600)
 *   tls-cert.pem  self-signed ECDSA P-256 certificate
 *   tls-key.pem   its private key, PKCS#8 PEM (0600)
 *   public-url    wss:// URL that tokens carry
 *   sotto.db      SottoServerStore database (plus -wal and -shm) */

#define SOTTO_TYPE_DEPLOYMENT (sotto_deployment_get_type ())
G_DECLARE_FINAL_TYPE (SottoDeployment, sotto_deployment, SOTTO, DEPLOYMENT, GObject)

/* $XDG_STATE_HOME/sotto-server (falls back to ~/.local/state/sotto-server). */
char            *sotto_deployment_default_state_dir  (void);

/* Creates a deployment in `state_dir` (created if missing). `public_url` NULL
 * means SOTTO_DEPLOYMENT_DEFAULT_PUBLIC_URL. Refuses with EXISTS if the
 * directory already holds a deployment, unless `force`. */
SottoDeployment *sotto_deployment_create             (const char  *state_dir,
                                                      const char  *public_url,
                                                      gboolean     force,
                                                      GError     **error);

/* Loads an existing deployment: NOT_FOUND if there is none. */
SottoDeployment *sotto_deployment_load               (const char  *state_dir,
                                                      GError     **error);

/* Loads, or creates with defaults if the directory holds no deployment
 * (the embedded default `serve` relies on). */
SottoDeployment *sotto_deployment_load_or_init       (const char  *state_dir,
                                                      GError     **error);

gboolean         sotto_deployment_exists             (const char  *state_dir);
gboolean         sotto_deployment_validate_public_url (const char *url,
                                                       GError    **error);

const char      *sotto_deployment_get_state_dir      (SottoDeployment *self);
const char      *sotto_deployment_get_api_key        (SottoDeployment *self);
/* The 32 secret bytes (the HMAC key). Transfer none; the memory is wiped
 * with OPENSSL_cleanse when the last reference goes. Never log it. */
GBytes          *sotto_deployment_get_api_secret     (SottoDeployment *self);
const char      *sotto_deployment_get_public_url     (SottoDeployment *self);
/* base64 (standard alphabet, padded) SHA-256 of the certificate's SPKI. */
const char      *sotto_deployment_get_pin            (SottoDeployment *self);
const char      *sotto_deployment_get_tls_cert_path  (SottoDeployment *self);
const char      *sotto_deployment_get_tls_key_path   (SottoDeployment *self);
/* Path of the SottoServerStore database. */
const char      *sotto_deployment_get_database_path  (SottoDeployment *self);
/* NULL unless set with sotto_deployment_set_turn (serve --turn-secret/--turn-url). */
const char      *sotto_deployment_get_turn_secret    (SottoDeployment *self);
const char      *sotto_deployment_get_turn_url       (SottoDeployment *self);

/* Runtime overrides from `serve` flags; not written to the state directory. */
gboolean         sotto_deployment_set_public_url     (SottoDeployment *self,
                                                      const char      *public_url,
                                                      GError         **error);
/* Uses a real certificate and key (PEM) instead of the generated pair and
 * recomputes the pin from it. */
gboolean         sotto_deployment_set_tls_files      (SottoDeployment *self,
                                                      const char      *cert_path,
                                                      const char      *key_path,
                                                      GError         **error);
void             sotto_deployment_set_turn           (SottoDeployment *self,
                                                      const char      *turn_secret,
                                                      const char      *turn_url);

/* Mints a participant token carrying this deployment's API key, public URL
 * and pin. `expire_in` 0 means SOTTO_TOKEN_DEFAULT_EXPIRE_IN; otherwise 1 to
 * SOTTO_TOKEN_MAX_EXPIRE_IN seconds. `data` at most SOTTO_TOKEN_MAX_DATA_LENGTH
 * bytes of UTF-8, may be NULL. Does NOT check that the session exists: the
 * caller asks the store first. */
char            *sotto_deployment_mint_token         (SottoDeployment *self,
                                                      const char      *session_id,
                                                      SottoRole        role,
                                                      gint64           expire_in,
                                                      const char      *data,
                                                      GError         **error);

G_END_DECLS
