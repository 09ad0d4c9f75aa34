/* sotto-call-error.h: why a call could not start or had to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SOTTO_CALL_ERROR (sotto_call_error_quark ())
GQuark sotto_call_error_quark (void);

/* One code per failure a person must be told about differently; sotto-call
 * maps each to its own exit code (see sotto_call_error_exit_code) and the app
 * to its own words. */
typedef enum {
  SOTTO_CALL_ERROR_BAD_TOKEN = 1,       /* malformed token */
  SOTTO_CALL_ERROR_EXPIRED_TOKEN,       /* expired or not yet valid */
  SOTTO_CALL_ERROR_SERVER_UNREACHABLE,  /* TCP/TLS connection to the server failed */
  SOTTO_CALL_ERROR_PIN_MISMATCH,        /* server certificate does not match the token's pin */
  SOTTO_CALL_ERROR_SESSION_FULL,
  SOTTO_CALL_ERROR_ROLE_REFUSED,        /* the server refused an action for this role */
  SOTTO_CALL_ERROR_TRANSPORT_FAILED,    /* ICE or DTLS failed with a peer */
  SOTTO_CALL_ERROR_KICKED,              /* force-disconnected by a moderator */
  SOTTO_CALL_ERROR_SESSION_ENDED,
  SOTTO_CALL_ERROR_REJECTED,            /* token refused by the server (revoked, wrong signature) */
  SOTTO_CALL_ERROR_MEDIA,               /* a media element is missing or failed */
  SOTTO_CALL_ERROR_PROTOCOL,            /* the server said something we cannot understand */
} SottoCallError;

/* Process exit codes of sotto-call, documented in its --help and the README. */
int sotto_call_error_exit_code (const GError *error);

G_END_DECLS
