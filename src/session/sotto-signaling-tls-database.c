/* sotto-signaling-tls-database.c: trust exactly one pinned server key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * glib-networking asks the connection's GTlsDatabase to verify the peer's
 * chain (identity included). This one answers from the pin alone; a
 * mismatch reports UNKNOWN_CA, which makes libsoup emit accept-certificate,
 * where the signaling client refuses it again and records why.
 */
#define G_LOG_DOMAIN "sotto-signaling-client"

#include "sotto-config.h"

#include "sotto-signaling-tls-database.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <string.h>

struct _SottoSignalingTlsDatabase
{
  GTlsDatabase  parent_instance;

  char         *pin;
};

G_DEFINE_FINAL_TYPE (SottoSignalingTlsDatabase, sotto_signaling_tls_database, G_TYPE_TLS_DATABASE)

char *
sotto_signaling_certificate_pin (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  const unsigned char *p;
  unsigned char *spki = NULL;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  X509 *x509;
  int spki_len;
  char *pin = NULL;

  if (certificate == NULL)
    return NULL;
  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  p = der->data;
  x509 = d2i_X509 (NULL, &p, der->len);
  if (x509 == NULL)
    return NULL;
  spki_len = i2d_X509_PUBKEY (X509_get_X509_PUBKEY (x509), &spki);
  if (spki_len > 0 && EVP_Digest (spki, spki_len, digest, &digest_len, EVP_sha256 (), NULL) == 1)
    pin = g_base64_encode (digest, digest_len);
  OPENSSL_free (spki);
  X509_free (x509);
  return pin;
}

static GTlsCertificateFlags
sotto_signaling_tls_database_verify_chain (GTlsDatabase             *database,
                                           GTlsCertificate          *chain,
                                           const char               *purpose,
                                           GSocketConnectable       *identity,
                                           GTlsInteraction          *interaction,
                                           GTlsDatabaseVerifyFlags   flags,
                                           GCancellable             *cancellable,
                                           GError                  **error)
{
  SottoSignalingTlsDatabase *self = SOTTO_SIGNALING_TLS_DATABASE (database);
  g_autofree char *pin = sotto_signaling_certificate_pin (chain);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return G_TLS_CERTIFICATE_GENERIC_ERROR;
  /* Public values: no constant-time comparison needed. */
  if (pin != NULL && self->pin != NULL && strcmp (pin, self->pin) == 0)
    return 0;
  return G_TLS_CERTIFICATE_UNKNOWN_CA;
}

/* Nothing to look up: there are no stored certificates. */
static GTlsCertificate *
sotto_signaling_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                                        GTlsCertificate          *certificate,
                                                        GTlsInteraction          *interaction,
                                                        GTlsDatabaseLookupFlags   flags,
                                                        GCancellable             *cancellable,
                                                        GError                  **error)
{
  return NULL;
}

static GList *
sotto_signaling_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                            GByteArray               *issuer_raw_dn,
                                                            GTlsInteraction          *interaction,
                                                            GTlsDatabaseLookupFlags   flags,
                                                            GCancellable             *cancellable,
                                                            GError                  **error)
{
  return NULL;
}

static GTlsCertificate *
sotto_signaling_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                                            const char               *handle,
                                                            GTlsInteraction          *interaction,
                                                            GTlsDatabaseLookupFlags   flags,
                                                            GCancellable             *cancellable,
                                                            GError                  **error)
{
  return NULL;
}

static char *
sotto_signaling_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                                        GTlsCertificate *certificate)
{
  return NULL;
}

static void
sotto_signaling_tls_database_finalize (GObject *object)
{
  SottoSignalingTlsDatabase *self = SOTTO_SIGNALING_TLS_DATABASE (object);

  g_free (self->pin);

  G_OBJECT_CLASS (sotto_signaling_tls_database_parent_class)->finalize (object);
}

static void
sotto_signaling_tls_database_class_init (SottoSignalingTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = sotto_signaling_tls_database_finalize;
  database_class->verify_chain = sotto_signaling_tls_database_verify_chain;
  database_class->lookup_certificate_issuer = sotto_signaling_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = sotto_signaling_tls_database_lookup_certificates_issued_by;
  database_class->lookup_certificate_for_handle = sotto_signaling_tls_database_lookup_certificate_for_handle;
  database_class->create_certificate_handle = sotto_signaling_tls_database_create_certificate_handle;
}

static void
sotto_signaling_tls_database_init (SottoSignalingTlsDatabase *self)
{
}

GTlsDatabase *
sotto_signaling_tls_database_new (const char *pin)
{
  SottoSignalingTlsDatabase *self = g_object_new (SOTTO_TYPE_SIGNALING_TLS_DATABASE, NULL);

  self->pin = g_strdup (pin);
  return G_TLS_DATABASE (self);
}
