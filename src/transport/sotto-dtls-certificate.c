/* sotto-dtls-certificate.c: per-call self-signed DTLS certificate and its fingerprint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-dtls"

#include "sotto-dtls-certificate.h"

#include <string.h>
#include <openssl/bn.h>
#include <openssl/rand.h>

struct _SottoDtlsCertificate
{
  GObject   parent_instance;

  X509     *cert;
  EVP_PKEY *key;
  char     *fingerprint;   /* "sha-256 AB:..." */
};

G_DEFINE_FINAL_TYPE (SottoDtlsCertificate, sotto_dtls_certificate, G_TYPE_OBJECT)
G_DEFINE_QUARK (sotto-dtls-error-quark, sotto_dtls_error)

/* Browsers only check the fingerprint, not the validity period; a short one
 * still limits what a stolen per-call key is worth. */
#define CERT_BACKDATE_SECONDS  (24 * 3600)
#define CERT_LIFETIME_SECONDS  (30 * 24 * 3600)

static void
sotto_dtls_certificate_finalize (GObject *object)
{
  SottoDtlsCertificate *self = SOTTO_DTLS_CERTIFICATE (object);

  g_clear_pointer (&self->cert, X509_free);
  /* EVP_PKEY_free wipes the private scalar (OpenSSL clears bignums on free). */
  g_clear_pointer (&self->key, EVP_PKEY_free);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (sotto_dtls_certificate_parent_class)->finalize (object);
}

static void
sotto_dtls_certificate_class_init (SottoDtlsCertificateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sotto_dtls_certificate_finalize;
}

static void
sotto_dtls_certificate_init (SottoDtlsCertificate *self)
{
}

static const EVP_MD *
md_for_hash_name (const char *name)
{
  /* RFC 8122 names. sha-1 and md5 are too weak to bind a call to its keys
   * (RFC 8827, section 6.5 requires SHA-256 at least). */
  if (g_ascii_strcasecmp (name, "sha-256") == 0)
    return EVP_sha256 ();
  if (g_ascii_strcasecmp (name, "sha-384") == 0)
    return EVP_sha384 ();
  if (g_ascii_strcasecmp (name, "sha-512") == 0)
    return EVP_sha512 ();
  return NULL;
}

char *
sotto_dtls_fingerprint_of_x509 (X509        *cert,
                                const char  *hash_name,
                                GError     **error)
{
  const EVP_MD *md;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  GString *out;
  unsigned int i;

  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (hash_name != NULL, NULL);

  md = md_for_hash_name (hash_name);
  if (md == NULL)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_UNSUPPORTED_HASH,
                   "Fingerprint hash “%s” is not supported; use sha-256", hash_name);
      return NULL;
    }

  if (X509_digest (cert, md, digest, &len) != 1)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_CERTIFICATE,
                   "Could not hash the certificate");
      return NULL;
    }

  out = g_string_sized_new (strlen (hash_name) + 1 + len * 3);
  g_string_append (out, hash_name);
  g_string_append_c (out, ' ');
  for (i = 0; i < len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);

  return g_string_free (out, FALSE);
}

gboolean
sotto_dtls_fingerprint_parse (const char    *fingerprint,
                              const EVP_MD **out_md,
                              guint8        *out_digest,
                              gsize         *out_len,
                              GError       **error)
{
  const char *space;
  g_autofree char *hash_name = NULL;
  const EVP_MD *md;
  const char *p;
  gsize n = 0;
  gsize expected;

  if (fingerprint == NULL || *fingerprint == '\0')
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISSING,
                   "The peer signaled no DTLS fingerprint; refusing an unauthenticated call");
      return FALSE;
    }

  space = strchr (fingerprint, ' ');
  if (space == NULL || space == fingerprint)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MALFORMED,
                   "DTLS fingerprint is not of the form “<hash> XX:XX:…”");
      return FALSE;
    }

  hash_name = g_strndup (fingerprint, space - fingerprint);
  md = md_for_hash_name (hash_name);
  if (md == NULL)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_UNSUPPORTED_HASH,
                   "DTLS fingerprint hash is not supported (sha-256, sha-384 or sha-512 only)");
      return FALSE;
    }

  expected = (gsize) EVP_MD_get_size (md);
  p = space + 1;
  while (*p == ' ')
    p++;

  /* Exactly "XX" pairs separated by single colons, nothing after. */
  for (;;)
    {
      int hi, lo;

      if (n >= expected)
        break;
      hi = g_ascii_xdigit_value (p[0]);
      lo = hi >= 0 ? g_ascii_xdigit_value (p[1]) : -1;
      if (hi < 0 || lo < 0)
        break;
      out_digest[n++] = (guint8) ((hi << 4) | lo);
      p += 2;
      if (*p != ':')
        break;
      p++;
    }

  if (n != expected || *p != '\0')
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MALFORMED,
                   "DTLS fingerprint is not %" G_GSIZE_FORMAT " colon-separated hex bytes",
                   expected);
      return FALSE;
    }

  if (out_md != NULL)
    *out_md = md;
  *out_len = n;
  return TRUE;
}

static X509 *
make_self_signed (EVP_PKEY *key)
{
  X509 *cert = X509_new ();
  X509_NAME *name;
  BIGNUM *serial_bn = NULL;
  ASN1_INTEGER *serial = NULL;
  guint8 serial_bytes[16];
  gboolean ok = FALSE;

  if (cert == NULL)
    return NULL;

  /* A random serial makes every certificate distinct even with equal names. */
  if (RAND_bytes (serial_bytes, sizeof serial_bytes) != 1)
    goto out;
  serial_bytes[0] &= 0x7f;   /* positive */
  serial_bn = BN_bin2bn (serial_bytes, sizeof serial_bytes, NULL);
  if (serial_bn == NULL)
    goto out;
  serial = BN_to_ASN1_INTEGER (serial_bn, NULL);
  if (serial == NULL)
    goto out;

  name = X509_get_subject_name (cert);
  /* No personal information: the common name is fixed. */
  if (X509_set_version (cert, 2) != 1
      || X509_set_serialNumber (cert, serial) != 1
      || X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
                                     (const unsigned char *) "sotto", -1, -1, 0) != 1
      || X509_set_issuer_name (cert, name) != 1
      || X509_gmtime_adj (X509_getm_notBefore (cert), -CERT_BACKDATE_SECONDS) == NULL
      || X509_gmtime_adj (X509_getm_notAfter (cert), CERT_LIFETIME_SECONDS) == NULL
      || X509_set_pubkey (cert, key) != 1
      || X509_sign (cert, key, EVP_sha256 ()) == 0)
    goto out;

  ok = TRUE;

out:
  ASN1_INTEGER_free (serial);
  BN_free (serial_bn);
  if (!ok)
    g_clear_pointer (&cert, X509_free);
  return cert;
}

SottoDtlsCertificate *
sotto_dtls_certificate_new_from_x509 (X509     *cert,
                                      EVP_PKEY *key,
                                      GError  **error)
{
  g_autoptr(SottoDtlsCertificate) self = NULL;

  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (X509_check_private_key (cert, key) != 1)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_CERTIFICATE,
                   "The DTLS certificate does not match its private key");
      return NULL;
    }

  self = g_object_new (SOTTO_TYPE_DTLS_CERTIFICATE, NULL);
  X509_up_ref (cert);
  self->cert = cert;
  EVP_PKEY_up_ref (key);
  self->key = key;
  self->fingerprint = sotto_dtls_fingerprint_of_x509 (cert, "sha-256", error);
  if (self->fingerprint == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

SottoDtlsCertificate *
sotto_dtls_certificate_new (GError **error)
{
  EVP_PKEY *key;
  X509 *cert;
  SottoDtlsCertificate *self;

  /* ECDSA P-256: what every browser accepts and generates itself; small
   * enough that the whole certificate flight fits in one 1200-byte datagram. */
  key = EVP_EC_gen ("P-256");
  if (key == NULL)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_CERTIFICATE,
                   "Could not generate an ECDSA P-256 key for DTLS");
      return NULL;
    }

  cert = make_self_signed (key);
  if (cert == NULL)
    {
      EVP_PKEY_free (key);
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_CERTIFICATE,
                   "Could not create the self-signed DTLS certificate");
      return NULL;
    }

  self = sotto_dtls_certificate_new_from_x509 (cert, key, error);
  X509_free (cert);
  EVP_PKEY_free (key);
  return self;
}

const char *
sotto_dtls_certificate_get_fingerprint (SottoDtlsCertificate *self)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_CERTIFICATE (self), NULL);
  return self->fingerprint;
}

X509 *
sotto_dtls_certificate_get_x509 (SottoDtlsCertificate *self)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_CERTIFICATE (self), NULL);
  return self->cert;
}

EVP_PKEY *
sotto_dtls_certificate_get_private_key (SottoDtlsCertificate *self)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_CERTIFICATE (self), NULL);
  return self->key;
}
