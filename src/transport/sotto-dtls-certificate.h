/* sotto-dtls-certificate.h: per-call self-signed DTLS certificate and its fingerprint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

#define SOTTO_DTLS_ERROR (sotto_dtls_error_quark ())
GQuark sotto_dtls_error_quark (void);

/* Every way DTLS setup can fail has its own code. */
typedef enum {
  SOTTO_DTLS_ERROR_CERTIFICATE,              /* could not create or load our certificate */
  SOTTO_DTLS_ERROR_FINGERPRINT_MISSING,      /* the peer signaled no fingerprint */
  SOTTO_DTLS_ERROR_FINGERPRINT_MALFORMED,    /* not "<hash> XX:XX:..." with the right length */
  SOTTO_DTLS_ERROR_FINGERPRINT_UNSUPPORTED_HASH, /* hash other than sha-256/384/512 */
  SOTTO_DTLS_ERROR_FINGERPRINT_MISMATCH,     /* peer certificate differs from the signaled one */
  SOTTO_DTLS_ERROR_NO_PEER_CERTIFICATE,      /* the peer presented no certificate */
  SOTTO_DTLS_ERROR_HANDSHAKE_FAILED,         /* OpenSSL refused the handshake (alert, bad record) */
  SOTTO_DTLS_ERROR_HANDSHAKE_TIMEOUT,        /* no complete handshake within the timeout */
  SOTTO_DTLS_ERROR_NO_SRTP_PROFILE,          /* no common (non-NULL) SRTP protection profile */
  SOTTO_DTLS_ERROR_KEY_EXPORT,               /* RFC 5764 keying material export failed */
  SOTTO_DTLS_ERROR_CLOSED,                   /* the peer closed the association */
  SOTTO_DTLS_ERROR_INVALID_STATE,            /* call not allowed in the current state */
} SottoDtlsError;

/* Largest digest we accept (sha-512); an SDP fingerprint is its colon form. */
#define SOTTO_DTLS_FINGERPRINT_MAX_DIGEST 64

#define SOTTO_TYPE_DTLS_CERTIFICATE (sotto_dtls_certificate_get_type ())
G_DECLARE_FINAL_TYPE (SottoDtlsCertificate, sotto_dtls_certificate, SOTTO, DTLS_CERTIFICATE, GObject)

/* A fresh ECDSA P-256 key and self-signed certificate: one per call (and one
 * per rekey), never stored. */
SottoDtlsCertificate *sotto_dtls_certificate_new         (GError   **error);

/* Wraps an existing key pair (takes a reference on both); for tests that need
 * an unusual certificate, such as a large one that must be fragmented. */
SottoDtlsCertificate *sotto_dtls_certificate_new_from_x509 (X509     *cert,
                                                            EVP_PKEY *key,
                                                            GError  **error);

/* "sha-256 AB:CD:...": the value of an SDP a=fingerprint attribute. */
const char *sotto_dtls_certificate_get_fingerprint (SottoDtlsCertificate *self);

X509       *sotto_dtls_certificate_get_x509        (SottoDtlsCertificate *self);
EVP_PKEY   *sotto_dtls_certificate_get_private_key (SottoDtlsCertificate *self);

/* "sha-256 AB:CD:..." of any certificate, with the given SDP hash name
 * ("sha-256", "sha-384" or "sha-512"). */
char       *sotto_dtls_fingerprint_of_x509 (X509        *cert,
                                            const char  *hash_name,
                                            GError     **error);

/* Parses an SDP fingerprint value ("sha-256 AB:CD:..."; hash name case-insensitive,
 * hex in either case) into its digest and message digest. */
gboolean    sotto_dtls_fingerprint_parse   (const char    *fingerprint,
                                            const EVP_MD **out_md,
                                            guint8        *out_digest,
                                            gsize         *out_len,
                                            GError       **error);

G_END_DECLS
