/* sotto-sas.h: short authentication string for reading aloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SOTTO_SAS_DIGITS 6

/* Six decimal digits from the two DTLS fingerprints (SDP a=fingerprint
 * values, in either order) and the session id. Both ends compute the same
 * string; if anyone, the signaling server included, substituted a
 * certificate, the two people read out different numbers.
 *
 * HKDF-SHA256 (RFC 5869): salt "sotto-sas-v1", key material the two
 * fingerprint digests in byte order (each prefixed by its hash name and
 * length), info the session id; the first 8 output bytes modulo 10^6. */
char *sotto_sas_compute (const char  *fingerprint_a,
                         const char  *fingerprint_b,
                         const char  *session_id,
                         GError     **error);

G_END_DECLS
