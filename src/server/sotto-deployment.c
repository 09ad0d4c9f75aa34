/* sotto-deployment.c: a sotto-server state directory (credentials, TLS, URL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-deployment"

#include "sotto-deployment.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define API_KEY_RANDOM_BYTES 12
#define CERT_VALIDITY_DAYS   (10 * 365)

struct _SottoDeployment
{
  GObject parent_instance;

  char   *state_dir;
  char   *api_key;
  GBytes *api_secret;
  char   *public_url;
  char   *pin;
  char   *tls_cert_path;
  char   *tls_key_path;
  char   *database_path;
  char   *turn_secret;
  char   *turn_url;
};

G_DEFINE_FINAL_TYPE (SottoDeployment, sotto_deployment, G_TYPE_OBJECT)

G_DEFINE_QUARK (sotto-deployment-error-quark, sotto_deployment_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

/* Memory of a secret GBytes: wiped, then freed, when the last ref goes. */
typedef struct
{
  gsize  len;
  guint8 data[];
} SecretBuffer;

static void
secret_buffer_free (gpointer user_data)
{
  SecretBuffer *buf = user_data;

  OPENSSL_cleanse (buf->data, buf->len);
  g_free (buf);
}

static GBytes *
secret_bytes_new (const guint8 *data,
                  gsize         len)
{
  SecretBuffer *buf = g_malloc (sizeof (SecretBuffer) + len);

  buf->len = len;
  memcpy (buf->data, data, len);
  return g_bytes_new_with_free_func (buf->data, len, secret_buffer_free, buf);
}

/* A string that held a secret: wipe before free. */
static void
secret_string_free (char *str)
{
  if (str == NULL)
    return;
  OPENSSL_cleanse (str, strlen (str));
  g_free (str);
}

static void
sotto_deployment_finalize (GObject *object)
{
  SottoDeployment *self = SOTTO_DEPLOYMENT (object);

  g_free (self->state_dir);
  g_free (self->api_key);
  g_clear_pointer (&self->api_secret, g_bytes_unref);
  g_free (self->public_url);
  g_free (self->pin);
  g_free (self->tls_cert_path);
  g_free (self->tls_key_path);
  g_free (self->database_path);
  secret_string_free (self->turn_secret);
  g_free (self->turn_url);

  G_OBJECT_CLASS (sotto_deployment_parent_class)->finalize (object);
}

static void
sotto_deployment_class_init (SottoDeploymentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sotto_deployment_finalize;
}

static void
sotto_deployment_init (SottoDeployment *self)
{
}

#define FILE_API_KEY    "api-key"
#define FILE_API_SECRET "api-secret"
#define FILE_TLS_CERT   "tls-cert.pem"
#define FILE_TLS_KEY    "tls-key.pem"
#define FILE_PUBLIC_URL "public-url"
#define FILE_DATABASE   "sotto.db"

static char *
base64url_encode (const guint8 *data,
                  gsize         len)
{
  char *b64 = g_base64_encode (data, len);
  char *p;

  for (p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return b64;
}

static gboolean
random_bytes (guint8  *buf,
              gsize    len,
              GError **error)
{
  if (RAND_bytes (buf, (int) len) != 1)
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_IO,
                   _("The system random number generator failed; try again"));
      return FALSE;
    }
  return TRUE;
}

char *
sotto_deployment_default_state_dir (void)
{
  /* g_get_user_state_dir honours $XDG_STATE_HOME and falls back to
   * ~/.local/state as the XDG spec says. */
  return g_build_filename (g_get_user_state_dir (), "sotto-server", NULL);
}

gboolean
sotto_deployment_exists (const char *state_dir)
{
  g_autofree char *secret = g_build_filename (state_dir, FILE_API_SECRET, NULL);
  g_autofree char *key = g_build_filename (state_dir, FILE_API_KEY, NULL);

  return g_file_test (secret, G_FILE_TEST_EXISTS) || g_file_test (key, G_FILE_TEST_EXISTS);
}

gboolean
sotto_deployment_validate_public_url (const char *url,
                                      GError    **error)
{
  g_autoptr (GUri) uri = NULL;

  if (url != NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_URL,
                   _("The public URL must look like wss://HOST:PORT (no user, query or fragment)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_file (const char *path,
            const char *contents,
            gsize       len,
            int         mode,
            GError    **error)
{
  g_autoptr (GError) local_error = NULL;

  /* The temporary file is created with `mode` before any byte is written,
   * so a secret is never readable by others, even briefly; the rename makes
   * the replacement atomic. */
  if (!g_file_set_contents_full (path, contents, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, mode, &local_error))
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_IO,
                   _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }
  /* The umask may have cleared bits of `mode`; the modes are part of the
   * deployment's contract (0600 for secrets, 0644 for public files). */
  if (g_chmod (path, mode) != 0)
    {
      int saved = errno;

      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_IO,
                   _("Cannot set the permissions of %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Reads a one-line text file and strips the trailing newline. */
static char *
read_line_file (const char *state_dir,
                const char *name,
                gboolean    is_secret,
                GError    **error)
{
  g_autofree char *path = g_build_filename (state_dir, name, NULL);
  g_autoptr (GError) local_error = NULL;
  char *contents = NULL;
  gsize len = 0;
  GStatBuf st;

  if (is_secret)
    {
      if (g_stat (path, &st) != 0)
        {
          g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_CORRUPT,
                       _("The deployment in %s has no %s file; run `sotto-server init --force`"),
                       state_dir, name);
          return NULL;
        }
      if ((st.st_mode & 0077) != 0)
        {
          g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INSECURE,
                       _("%s is readable by other users; run `chmod 600 %s`"), path, path);
          return NULL;
        }
    }

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_CORRUPT,
                   _("Cannot read %s: %s"), path, local_error->message);
      return NULL;
    }
  while (len > 0 && (contents[len - 1] == '\n' || contents[len - 1] == '\r'))
    contents[--len] = '\0';
  if (len == 0 || strlen (contents) != len || !g_utf8_validate (contents, (gssize) len, NULL))
    {
      if (is_secret)
        secret_string_free (contents);
      else
        g_free (contents);
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_CORRUPT,
                   _("%s is empty or not text; run `sotto-server init --force`"), path);
      return NULL;
    }
  return contents;
}

/* base64 SHA-256 of the DER SubjectPublicKeyInfo, the form HPKP used. */
static char *
compute_pin (X509    *cert,
             GError **error)
{
  unsigned char *der = NULL;
  unsigned char digest[32];
  unsigned int digest_len = 0;
  int der_len;

  der_len = i2d_X509_PUBKEY (X509_get_X509_PUBKEY (cert), &der);
  if (der_len <= 0
      || EVP_Digest (der, (size_t) der_len, digest, &digest_len, EVP_sha256 (), NULL) != 1)
    {
      OPENSSL_free (der);
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_TLS,
                   _("Cannot compute the public key pin of the certificate"));
      return NULL;
    }
  OPENSSL_free (der);
  return g_base64_encode (digest, digest_len);
}

static X509 *
read_cert (const char *path,
           GError    **error)
{
  g_autoptr (BIO) bio = BIO_new_file (path, "r");
  X509 *cert = NULL;

  if (bio != NULL)
    cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  if (cert == NULL)
    g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_TLS,
                 _("Cannot read a PEM certificate from %s"), path);
  return cert;
}

static gboolean
load_tls_pin (SottoDeployment *self,
              const char      *cert_path,
              const char      *key_path,
              GError         **error)
{
  g_autoptr (X509) cert = NULL;
  g_autoptr (EVP_PKEY) key = NULL;
  g_autoptr (BIO) key_bio = NULL;
  char *pin;

  cert = read_cert (cert_path, error);
  if (cert == NULL)
    return FALSE;

  key_bio = BIO_new_file (key_path, "r");
  if (key_bio != NULL)
    key = PEM_read_bio_PrivateKey (key_bio, NULL, NULL, NULL);
  if (key == NULL)
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_TLS,
                   _("Cannot read an unencrypted PEM private key from %s"), key_path);
      return FALSE;
    }
  if (X509_check_private_key (cert, key) != 1)
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_TLS,
                   _("The private key %s does not belong to the certificate %s"),
                   key_path, cert_path);
      return FALSE;
    }

  pin = compute_pin (cert, error);
  if (pin == NULL)
    return FALSE;

  g_free (self->pin);
  self->pin = pin;
  g_free (self->tls_cert_path);
  self->tls_cert_path = g_strdup (cert_path);
  g_free (self->tls_key_path);
  self->tls_key_path = g_strdup (key_path);
  return TRUE;
}

static gboolean
add_extension (X509       *cert,
               int         nid,
               const char *value)
{
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  int ok;

  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL)
    return FALSE;
  ok = X509_add_ext (cert, ext, -1);
  X509_EXTENSION_free (ext);
  return ok == 1;
}

/* The subjectAltName list: loopback always (the demo and tests), plus the
 * public URL's host so a client that checks names could accept it too. */
static char *
build_san (const char *public_url)
{
  g_autoptr (GUri) uri = g_uri_parse (public_url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  GString *san = g_string_new ("DNS:localhost,IP:127.0.0.1,IP:::1");

  if (host != NULL && g_strcmp0 (host, "localhost") != 0 && g_strcmp0 (host, "127.0.0.1") != 0
      && g_strcmp0 (host, "::1") != 0)
    {
      if (g_hostname_is_ip_address (host))
        g_string_append_printf (san, ",IP:%s", host);
      else if (strspn (host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
               == strlen (host))
        g_string_append_printf (san, ",DNS:%s", host);
    }
  return g_string_free (san, FALSE);
}

static gboolean
generate_tls (const char *cert_path,
              const char *key_path,
              const char *public_url,
              GError    **error)
{
  g_autoptr (EVP_PKEY) key = NULL;
  g_autoptr (X509) cert = NULL;
  g_autoptr (BIO) cert_bio = NULL;
  g_autoptr (BIO) key_bio = NULL;
  g_autofree char *san = build_san (public_url);
  guint8 serial[16];
  BIGNUM *serial_bn = NULL;
  X509_NAME *name;
  char *pem = NULL;
  long pem_len;
  gboolean ok;

  key = EVP_EC_gen ("P-256");
  cert = X509_new ();
  if (key == NULL || cert == NULL || !random_bytes (serial, sizeof serial, error))
    goto openssl_failed;

  /* A positive 127-bit random serial, as RFC 5280 recommends. */
  serial[0] &= 0x7f;
  serial_bn = BN_bin2bn (serial, sizeof serial, NULL);
  if (serial_bn == NULL || BN_to_ASN1_INTEGER (serial_bn, X509_get_serialNumber (cert)) == NULL)
    {
      BN_free (serial_bn);
      goto openssl_failed;
    }
  BN_free (serial_bn);

  name = X509_get_subject_name (cert);
  if (X509_set_version (cert, 2) != 1
      || X509_gmtime_adj (X509_getm_notBefore (cert), -3600) == NULL
      || X509_gmtime_adj (X509_getm_notAfter (cert), (long) CERT_VALIDITY_DAYS * 24 * 3600) == NULL
      || X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
                                     (const unsigned char *) "sotto-server", -1, -1, 0) != 1
      || X509_set_issuer_name (cert, name) != 1
      || X509_set_pubkey (cert, key) != 1
      || !add_extension (cert, NID_basic_constraints, "critical,CA:FALSE")
      || !add_extension (cert, NID_key_usage, "critical,digitalSignature")
      || !add_extension (cert, NID_ext_key_usage, "serverAuth")
      || !add_extension (cert, NID_subject_alt_name, san)
      || X509_sign (cert, key, EVP_sha256 ()) == 0)
    goto openssl_failed;

  /* PKCS#8 ("BEGIN PRIVATE KEY"), the key form GTlsCertificate parses. */
  key_bio = BIO_new (BIO_s_secmem ());
  cert_bio = BIO_new (BIO_s_mem ());
  if (key_bio == NULL || cert_bio == NULL
      || PEM_write_bio_PrivateKey (key_bio, key, NULL, NULL, 0, NULL, NULL) != 1
      || PEM_write_bio_X509 (cert_bio, cert) != 1)
    goto openssl_failed;

  pem_len = BIO_get_mem_data (key_bio, &pem);
  ok = write_file (key_path, pem, (gsize) pem_len, 0600, error);
  if (ok)
    {
      pem_len = BIO_get_mem_data (cert_bio, &pem);
      ok = write_file (cert_path, pem, (gsize) pem_len, 0644, error);
    }
  return ok;

openssl_failed:
  if (error != NULL && *error == NULL)
    g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_TLS,
                 _("OpenSSL cannot generate the TLS certificate"));
  return FALSE;
}

static gboolean
make_state_dir (const char *state_dir,
                GError    **error)
{
  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_IO,
                   _("Cannot create the state directory %s: %s"), state_dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

SottoDeployment *
sotto_deployment_create (const char  *state_dir,
                         const char  *public_url,
                         gboolean     force,
                         GError     **error)
{
  guint8 key_raw[API_KEY_RANDOM_BYTES];
  guint8 secret_raw[SOTTO_API_SECRET_LENGTH];
  g_autofree char *key_b64 = NULL;
  g_autofree char *api_key = NULL;
  char *secret_b64 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url_line = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  gboolean ok;

  g_return_val_if_fail (state_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (public_url == NULL)
    public_url = SOTTO_DEPLOYMENT_DEFAULT_PUBLIC_URL;
  if (!sotto_deployment_validate_public_url (public_url, error))
    return NULL;

  if (!force && sotto_deployment_exists (state_dir))
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_EXISTS,
                   _("%s already holds a deployment; add --force to replace its credentials "
                   "(every token minted so far stops working)"), state_dir);
      return NULL;
    }
  if (!make_state_dir (state_dir, error))
    return NULL;

  cert_path = g_build_filename (state_dir, FILE_TLS_CERT, NULL);
  key_path = g_build_filename (state_dir, FILE_TLS_KEY, NULL);
  if (!generate_tls (cert_path, key_path, public_url, error))
    return NULL;

  if (!random_bytes (key_raw, sizeof key_raw, error)
      || !random_bytes (secret_raw, sizeof secret_raw, error))
    return NULL;
  key_b64 = base64url_encode (key_raw, sizeof key_raw);
  api_key = g_strdup_printf ("AK%s\n", key_b64);
  path = g_build_filename (state_dir, FILE_API_KEY, NULL);
  if (!write_file (path, api_key, strlen (api_key), 0600, error))
    return NULL;

  secret_b64 = base64url_encode (secret_raw, sizeof secret_raw);
  OPENSSL_cleanse (secret_raw, sizeof secret_raw);
  g_free (path);
  path = g_build_filename (state_dir, FILE_API_SECRET, NULL);
  {
    g_autofree char *line = g_strconcat (secret_b64, "\n", NULL);

    ok = write_file (path, line, strlen (line), 0600, error);
    secret_string_free (g_steal_pointer (&line));
  }
  secret_string_free (secret_b64);
  if (!ok)
    return NULL;

  url_line = g_strconcat (public_url, "\n", NULL);
  g_free (path);
  path = g_build_filename (state_dir, FILE_PUBLIC_URL, NULL);
  if (!write_file (path, url_line, strlen (url_line), 0644, error))
    return NULL;

  return sotto_deployment_load (state_dir, error);
}

/* Decodes the base64url text of the api-secret file into the HMAC key. */
static GBytes *
decode_secret (const char *text,
               const char *state_dir,
               GError    **error)
{
  g_autofree char *b64 = NULL;
  guchar *raw;
  gsize raw_len = 0;
  gsize len = strlen (text);
  GBytes *bytes;
  gsize i;

  if (len != 43 || strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                       != len)
    goto bad;

  /* Back to the standard alphabet with padding for g_base64_decode. */
  b64 = g_malloc (len + 2);
  for (i = 0; i < len; i++)
    b64[i] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : text[i];
  b64[len] = '=';
  b64[len + 1] = '\0';
  raw = g_base64_decode (b64, &raw_len);
  OPENSSL_cleanse (b64, len);
  if (raw_len != SOTTO_API_SECRET_LENGTH)
    {
      OPENSSL_cleanse (raw, raw_len);
      g_free (raw);
      goto bad;
    }
  bytes = secret_bytes_new (raw, raw_len);
  OPENSSL_cleanse (raw, raw_len);
  g_free (raw);
  return bytes;

bad:
  /* Never quote the file's contents: they are the secret. */
  g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_CORRUPT,
               _("%s/api-secret does not hold a 256-bit base64url secret; "
                 "run `sotto-server init --force`"), state_dir);
  return NULL;
}

SottoDeployment *
sotto_deployment_load (const char  *state_dir,
                       GError     **error)
{
  g_autoptr (SottoDeployment) self = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  char *secret_text;

  g_return_val_if_fail (state_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sotto_deployment_exists (state_dir))
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_NOT_FOUND,
                   _("%s holds no deployment; run `sotto-server init` first"), state_dir);
      return NULL;
    }

  self = g_object_new (SOTTO_TYPE_DEPLOYMENT, NULL);
  self->state_dir = g_strdup (state_dir);
  self->database_path = g_build_filename (state_dir, FILE_DATABASE, NULL);

  self->api_key = read_line_file (state_dir, FILE_API_KEY, TRUE, error);
  if (self->api_key == NULL)
    return NULL;

  secret_text = read_line_file (state_dir, FILE_API_SECRET, TRUE, error);
  if (secret_text == NULL)
    return NULL;
  self->api_secret = decode_secret (secret_text, state_dir, error);
  secret_string_free (secret_text);
  if (self->api_secret == NULL)
    return NULL;

  self->public_url = read_line_file (state_dir, FILE_PUBLIC_URL, FALSE, error);
  if (self->public_url == NULL || !sotto_deployment_validate_public_url (self->public_url, error))
    return NULL;

  cert_path = g_build_filename (state_dir, FILE_TLS_CERT, NULL);
  key_path = g_build_filename (state_dir, FILE_TLS_KEY, NULL);
  {
    GStatBuf st;

    if (g_stat (key_path, &st) == 0 && (st.st_mode & 0077) != 0)
      {
        g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INSECURE,
                     _("%s is readable by other users; run `chmod 600 %s`"), key_path, key_path);
        return NULL;
      }
  }
  if (!load_tls_pin (self, cert_path, key_path, error))
    return NULL;

  return g_steal_pointer (&self);
}

SottoDeployment *
sotto_deployment_load_or_init (const char  *state_dir,
                               GError     **error)
{
  if (sotto_deployment_exists (state_dir))
    return sotto_deployment_load (state_dir, error);
  return sotto_deployment_create (state_dir, NULL, FALSE, error);
}

const char *
sotto_deployment_get_state_dir (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->state_dir;
}

const char *
sotto_deployment_get_api_key (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->api_key;
}

GBytes *
sotto_deployment_get_api_secret (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->api_secret;
}

const char *
sotto_deployment_get_public_url (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->public_url;
}

const char *
sotto_deployment_get_pin (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->pin;
}

const char *
sotto_deployment_get_tls_cert_path (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->tls_cert_path;
}

const char *
sotto_deployment_get_tls_key_path (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->tls_key_path;
}

const char *
sotto_deployment_get_database_path (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->database_path;
}

const char *
sotto_deployment_get_turn_secret (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->turn_secret;
}

const char *
sotto_deployment_get_turn_url (SottoDeployment *self)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  return self->turn_url;
}

gboolean
sotto_deployment_set_public_url (SottoDeployment *self,
                                 const char      *public_url,
                                 GError         **error)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), FALSE);

  if (!sotto_deployment_validate_public_url (public_url, error))
    return FALSE;
  g_free (self->public_url);
  self->public_url = g_strdup (public_url);
  return TRUE;
}

gboolean
sotto_deployment_set_tls_files (SottoDeployment *self,
                                const char      *cert_path,
                                const char      *key_path,
                                GError         **error)
{
  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), FALSE);
  g_return_val_if_fail (cert_path != NULL && key_path != NULL, FALSE);

  return load_tls_pin (self, cert_path, key_path, error);
}

void
sotto_deployment_set_turn (SottoDeployment *self,
                           const char      *turn_secret,
                           const char      *turn_url)
{
  g_return_if_fail (SOTTO_IS_DEPLOYMENT (self));

  secret_string_free (self->turn_secret);
  self->turn_secret = g_strdup (turn_secret);
  g_free (self->turn_url);
  self->turn_url = g_strdup (turn_url);
}

char *
sotto_deployment_mint_token (SottoDeployment *self,
                             const char      *session_id,
                             SottoRole        role,
                             gint64           expire_in,
                             const char      *data,
                             GError         **error)
{
  SottoTokenClaims claims = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  if (expire_in == 0)
    expire_in = SOTTO_TOKEN_DEFAULT_EXPIRE_IN;
  if (expire_in < 0 || expire_in > SOTTO_TOKEN_MAX_EXPIRE_IN)
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_ARGUMENT,
                   _("A token expires in 1 to %d seconds (30 days)"), SOTTO_TOKEN_MAX_EXPIRE_IN);
      return NULL;
    }
  if (data != NULL
      && (strlen (data) > SOTTO_TOKEN_MAX_DATA_LENGTH || !g_utf8_validate (data, -1, NULL)))
    {
      g_set_error (error, SOTTO_DEPLOYMENT_ERROR, SOTTO_DEPLOYMENT_ERROR_INVALID_ARGUMENT,
                   _("Token data is at most %d bytes of UTF-8 text"), SOTTO_TOKEN_MAX_DATA_LENGTH);
      return NULL;
    }

  claims.api_key = self->api_key;
  claims.session_id = session_id;
  claims.role = role;
  claims.issued_at = now;
  claims.expires_at = now + expire_in;
  claims.data = data;
  claims.url = self->public_url;
  claims.pin = self->pin;
  return sotto_token_mint (&claims, self->api_secret, error);
}
