/* sotto-sas.c: short authentication string for reading aloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-sas"

#include "sotto-sas.h"

#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "sotto-dtls-certificate.h"

#define SAS_SALT "sotto-sas-v1"

typedef struct {
  const char *hash;     /* normalised: lower case */
  guint8      digest[SOTTO_DTLS_FINGERPRINT_MAX_DIGEST];
  gsize       len;
} Fingerprint;

static gboolean
parse (const char   *value,
       Fingerprint  *out,
       GError      **error)
{
  const EVP_MD *md = NULL;

  if (!sotto_dtls_fingerprint_parse (value, &md, out->digest, &out->len, error))
    return FALSE;
  /* The same certificate digest must give the same SAS however the SDP
   * spelled it ("SHA-256", lower-case hex). */
  out->hash = EVP_MD_get_size (md) == 32 ? "sha-256" : EVP_MD_get_size (md) == 48 ? "sha-384" : "sha-512";
  return TRUE;
}

static void
append_fingerprint (GByteArray        *ikm,
                    const Fingerprint *fp)
{
  guint8 n = (guint8) strlen (fp->hash);
  guint8 len = (guint8) fp->len;

  g_byte_array_append (ikm, &n, 1);
  g_byte_array_append (ikm, (const guint8 *) fp->hash, n);
  g_byte_array_append (ikm, &len, 1);
  g_byte_array_append (ikm, fp->digest, fp->len);
}

static int
compare_fingerprints (const Fingerprint *a,
                      const Fingerprint *b)
{
  int c = memcmp (a->digest, b->digest, MIN (a->len, b->len));

  if (c != 0)
    return c;
  return (a->len > b->len) - (a->len < b->len);
}

char *
sotto_sas_compute (const char  *fingerprint_a,
                   const char  *fingerprint_b,
                   const char  *session_id,
                   GError     **error)
{
  Fingerprint a, b;
  const Fingerprint *lo, *hi;
  g_autoptr(GByteArray) ikm = g_byte_array_new ();
  EVP_KDF *kdf = NULL;
  EVP_KDF_CTX *kctx = NULL;
  OSSL_PARAM params[5];
  guint8 out[8];
  guint64 value = 0;
  gboolean ok;
  gsize i;

  g_return_val_if_fail (session_id != NULL, NULL);

  if (!parse (fingerprint_a, &a, error) || !parse (fingerprint_b, &b, error))
    return NULL;

  /* Sorted, so that "mine, theirs" on one end equals "theirs, mine" on the other. */
  if (compare_fingerprints (&a, &b) <= 0)
    lo = &a, hi = &b;
  else
    lo = &b, hi = &a;
  append_fingerprint (ikm, lo);
  append_fingerprint (ikm, hi);

  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_KDF_PARAM_DIGEST, (char *) "SHA256", 0);
  params[1] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_KEY, ikm->data, ikm->len);
  params[2] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT, (char *) SAS_SALT,
                                                 strlen (SAS_SALT));
  params[3] = OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_INFO, (char *) session_id,
                                                 strlen (session_id));
  params[4] = OSSL_PARAM_construct_end ();

  kdf = EVP_KDF_fetch (NULL, "HKDF", NULL);
  kctx = kdf != NULL ? EVP_KDF_CTX_new (kdf) : NULL;
  ok = kctx != NULL && EVP_KDF_derive (kctx, out, sizeof out, params) == 1;
  EVP_KDF_CTX_free (kctx);
  EVP_KDF_free (kdf);

  if (!ok)
    {
      g_set_error_literal (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_KEY_EXPORT,
                           "Could not derive the short authentication string");
      return NULL;
    }

  /* 64 bits modulo 10^6: the bias is below 2^-44. */
  for (i = 0; i < sizeof out; i++)
    value = (value << 8) | out[i];
  OPENSSL_cleanse (out, sizeof out);

  return g_strdup_printf ("%0*u", SOTTO_SAS_DIGITS, (guint) (value % 1000000));
}
