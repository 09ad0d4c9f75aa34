/* sotto-signaling-tls-database.h: trust exactly one pinned server key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SOTTO_TYPE_SIGNALING_TLS_DATABASE (sotto_signaling_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (SottoSignalingTlsDatabase, sotto_signaling_tls_database,
                      SOTTO, SIGNALING_TLS_DATABASE, GTlsDatabase)

/* A database under which a chain verifies if and only if the SHA-256 of its
 * leaf's SubjectPublicKeyInfo, base64 (padded), equals `pin`. No CA, no
 * system store: loading the system store costs ~10 ms per connection and
 * would add nothing, since a pinned key is the whole trust decision. */
GTlsDatabase *sotto_signaling_tls_database_new (const char *pin);

/* base64 SHA-256 of the certificate's DER SubjectPublicKeyInfo, or NULL. */
char         *sotto_signaling_certificate_pin  (GTlsCertificate *certificate);

G_END_DECLS
