/* sotto-test-server.h: run the real `sotto-server serve` for integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  char        *state_dir;   /* owned temporary directory unless given */
  gboolean     owns_state_dir;
  GSubprocess *process;
  char        *https_url;   /* "https://127.0.0.1:PORT" from the ready line */
  char        *public_url;  /* the URL tokens carry */
  char        *pin;         /* base64 SHA-256 of the TLS SPKI */
  char        *api_key;
  GBytes      *api_secret;
  SoupSession *session;     /* accepts only the certificate whose pin matches */
} SottoTestServer;

/* Starts `sotto-server serve --listen 127.0.0.1:0 --state-dir DIR EXTRA...`
 * and waits (at most 30 s) for its ready line. `state_dir` NULL means a fresh
 * temporary directory, removed by _free. Aborts the test on failure. */
SottoTestServer *sotto_test_server_start  (const char        *server_bin,
                                           const char        *state_dir,
                                           const char *const *extra_args);
/* Same, with the server's environment extended by `env` (NAME=VALUE
 * strings, may be NULL) and its stderr written to `log_path` (NULL: the
 * test's stderr). */
SottoTestServer *sotto_test_server_start_full (const char        *server_bin,
                                               const char        *state_dir,
                                               const char *const *extra_args,
                                               const char *const *env,
                                               const char        *log_path);
/* SIGTERM, then waits (at most 10 s) and returns the exit status (-1 if it
 * did not exit by itself). */
int              sotto_test_server_stop   (SottoTestServer   *server);
/* The same with another signal (SIGINT). */
int              sotto_test_server_stop_signal (SottoTestServer *server,
                                                int              signum);
/* SIGKILL and reap. */
void             sotto_test_server_kill   (SottoTestServer   *server);
void             sotto_test_server_free   (SottoTestServer   *server);

/* A fresh `Authorization` header value ("Bearer ..."). */
char            *sotto_test_server_auth   (SottoTestServer   *server);

/* Sends a request (`body` JSON text or NULL; `auth` NULL for none, else the
 * Authorization header value) and returns the HTTP status; *out_json gets
 * the parsed JSON response body if there is one (may be NULL). */
guint            sotto_test_server_request (SottoTestServer  *server,
                                            const char       *method,
                                            const char       *path,
                                            const char       *body,
                                            const char       *auth,
                                            JsonNode        **out_json);

/* A request to send yourself (for concurrent requests), with the pin check
 * connected; `body` JSON text or NULL, `auth` NULL for none. */
SoupMessage     *sotto_test_server_new_message (SottoTestServer *server,
                                                const char      *method,
                                                const char      *path,
                                                const char      *body,
                                                const char      *auth);

/* base64 SHA-256 of the SubjectPublicKeyInfo of a certificate. */
char            *sotto_test_certificate_pin (GTlsCertificate *certificate);

G_END_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoTestServer, sotto_test_server_free)
