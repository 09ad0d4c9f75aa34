/* sotto-server-app.h: `sotto-server serve`, the running server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SOTTO_SERVER_APP_ERROR (sotto_server_app_error_quark ())
GQuark sotto_server_app_error_quark (void);

typedef enum {
  SOTTO_SERVER_APP_ERROR_BAD_LISTEN,   /* --listen is not ADDR:PORT with a literal IP address */
  SOTTO_SERVER_APP_ERROR_BAD_OPTIONS,  /* inconsistent flags (--tls-cert without --tls-key, ...) */
  SOTTO_SERVER_APP_ERROR_LISTEN,       /* the socket cannot be bound */
} SottoServerAppError;

#define SOTTO_SERVER_DEFAULT_LISTEN                   "127.0.0.1:8443"
#define SOTTO_SERVER_DEFAULT_MAX_PARTICIPANTS_DEFAULT 100

/* Once listening, `serve` prints exactly one line on stdout, then nothing
 * else there (logs go to stderr):
 *   SOTTO_SERVER_READY https=<REST base URL> public-url=<URL tokens carry> pin=<SPKI pin>
 * e.g. "SOTTO_SERVER_READY https=https://127.0.0.1:40123
 * public-url=wss://127.0.0.1:40123 pin=q1w2...=" (one line). */
#define SOTTO_SERVER_READY_PREFIX "SOTTO_SERVER_READY "

/* A client must finish its TLS handshake within 30 s or is disconnected;
 * the environment variable SOTTO_SERVER_HANDSHAKE_TIMEOUT_MS overrides it
 * (for tests). */

#define SOTTO_TYPE_SERVER_APP (sotto_server_app_get_type ())
G_DECLARE_FINAL_TYPE (SottoServerApp, sotto_server_app, SOTTO, SERVER_APP, GObject)

/* The `serve` subcommand: parses its options (argv[0] is "serve"), runs until
 * SIGINT or SIGTERM, returns the process exit status. */
int sotto_server_app_run (int    argc,
                          char **argv);

G_END_DECLS
