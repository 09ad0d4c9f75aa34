/* test-dtls-transport.c: DTLS handshake, fingerprint checks, loss, MTU, roles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two real OpenSSL DTLS transports in one process, joined by an in-memory
 * datagram link (transport-test-link.c) that can drop and records traffic.
 */
#include <string.h>
#include <glib.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "sotto-dtls-transport.h"
#include "transport-test-link.h"

typedef struct {
  SottoDtlsTransport *dtls;
  gboolean            connected;
  gboolean            failed;
  GError             *error;
  GString            *app_data;
} End;

typedef struct {
  TestLink *link;
  End       end[2];   /* 0: client, 1: server */
  gboolean  both_done;
} Fixture;

static void
update_done (Fixture *f)
{
  f->both_done = (f->end[0].connected || f->end[0].failed)
                 && (f->end[1].connected || f->end[1].failed);
}

static Fixture *fixture_of_end (End *e);

static void
on_connected (SottoDtlsTransport *dtls,
              End                *e)
{
  e->connected = TRUE;
  update_done (fixture_of_end (e));
}

static void
on_failed (SottoDtlsTransport *dtls,
           const GError       *error,
           End                *e)
{
  e->failed = TRUE;
  g_clear_error (&e->error);
  e->error = g_error_copy (error);
  update_done (fixture_of_end (e));
}

static void
on_app_data (SottoDtlsTransport *dtls,
             const guint8       *data,
             gulong              len,
             End                *e)
{
  g_string_append_len (e->app_data, (const char *) data, len);
}

static void
on_receive (const guint8 *data,
            gsize         len,
            gpointer      user_data)
{
  End *e = user_data;

  sotto_dtls_transport_receive (e->dtls, data, len);
}

/* Fixtures are static per test so ends can find their fixture. */
static Fixture *current_fixture;

static Fixture *
fixture_of_end (End *e)
{
  return current_fixture;
}

static void
setup_end (Fixture              *f,
           guint                 side,
           SottoDtlsCertificate *cert)
{
  End *e = &f->end[side];

  e->dtls = sotto_dtls_transport_new (cert);
  e->app_data = g_string_new (NULL);
  sotto_dtls_transport_set_send_func (e->dtls,
                                      side == 0 ? test_link_send_from_0 : test_link_send_from_1,
                                      f->link, NULL);
  test_link_set_receiver (f->link, side, on_receive, e);
  g_signal_connect (e->dtls, "connected", G_CALLBACK (on_connected), e);
  g_signal_connect (e->dtls, "failed", G_CALLBACK (on_failed), e);
  g_signal_connect (e->dtls, "application-data", G_CALLBACK (on_app_data), e);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(SottoDtlsCertificate) c0 = NULL;
  g_autoptr(SottoDtlsCertificate) c1 = NULL;

  memset (f, 0, sizeof *f);
  current_fixture = f;
  f->link = test_link_new (0x5077);
  c0 = sotto_dtls_certificate_new (NULL);
  c1 = sotto_dtls_certificate_new (NULL);
  g_assert_nonnull (c0);
  g_assert_nonnull (c1);
  setup_end (f, 0, c0);
  setup_end (f, 1, c1);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  guint i;

  for (i = 0; i < 2; i++)
    {
      g_assert_finalize_object (f->end[i].dtls);
      g_clear_error (&f->end[i].error);
      g_string_free (f->end[i].app_data, TRUE);
    }
  test_link_free (f->link);
  current_fixture = NULL;
}

static const char *
fingerprint_of (End *e)
{
  return sotto_dtls_certificate_get_fingerprint (sotto_dtls_transport_get_certificate (e->dtls));
}

/* Each end gets the other's real fingerprint, then client/server start. */
static void
exchange_and_start (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[0].dtls, fingerprint_of (&f->end[1]), &error));
  g_assert_no_error (error);
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[1].dtls, fingerprint_of (&f->end[0]), &error));
  g_assert_no_error (error);
  g_assert_true (sotto_dtls_transport_start (f->end[1].dtls, SOTTO_DTLS_ROLE_SERVER, &error));
  g_assert_no_error (error);
  g_assert_true (sotto_dtls_transport_start (f->end[0].dtls, SOTTO_DTLS_ROLE_CLIENT, &error));
  g_assert_no_error (error);
}

static void
assert_keys_match (Fixture *f)
{
  SottoSrtpKeyMaterial k0, k1;
  g_autoptr(GError) error = NULL;

  g_assert_true (sotto_dtls_transport_export_srtp_keys (f->end[0].dtls, &k0, &error));
  g_assert_no_error (error);
  g_assert_true (sotto_dtls_transport_export_srtp_keys (f->end[1].dtls, &k1, &error));
  g_assert_no_error (error);

  g_assert_cmpint (k0.profile, ==, k1.profile);
  g_assert_cmpuint (k0.key_salt_len, ==, sotto_srtp_profile_key_length (k0.profile)
                                         + sotto_srtp_profile_salt_length (k0.profile));
  g_assert_cmpmem (k0.local, k0.key_salt_len, k1.remote, k1.key_salt_len);
  g_assert_cmpmem (k0.remote, k0.key_salt_len, k1.local, k1.key_salt_len);
  g_assert_true (memcmp (k0.local, k0.remote, k0.key_salt_len) != 0);

  sotto_srtp_key_material_clear (&k0);
  sotto_srtp_key_material_clear (&k1);
  g_assert_cmpuint (k0.key_salt_len, ==, 0);
}

static void
test_handshake (Fixture       *f,
                gconstpointer  data)
{
  exchange_and_start (f);
  g_assert_true (test_wait_for_flag (&f->both_done, 5000));
  g_assert_no_error (f->end[0].error);
  g_assert_no_error (f->end[1].error);
  g_assert_true (f->end[0].connected && f->end[1].connected);

  g_assert_cmpint (sotto_dtls_transport_get_version (f->end[0].dtls), ==, DTLS1_2_VERSION);
  /* Default order: AES-256-GCM first. */
  g_assert_cmpint (sotto_dtls_transport_get_srtp_profile (f->end[0].dtls), ==,
                   SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM);
  assert_keys_match (f);

  /* Application data both ways (the channel rekeying uses). */
  g_assert_true (sotto_dtls_transport_send_application_data (f->end[0].dtls, (const guint8 *) "ping", 4, NULL));
  g_assert_true (sotto_dtls_transport_send_application_data (f->end[1].dtls, (const guint8 *) "pong", 4, NULL));
  test_run_for (50);
  g_assert_cmpstr (f->end[1].app_data->str, ==, "ping");
  g_assert_cmpstr (f->end[0].app_data->str, ==, "pong");
}

static void
test_each_profile (Fixture       *f,
                   gconstpointer  data)
{
  SottoSrtpProfile profile = GPOINTER_TO_INT (data);

  if (!sotto_srtp_profile_is_supported (profile))
    {
      g_test_skip ("libsrtp lacks this profile");
      return;
    }
  /* The client offers only this profile; the server keeps the defaults. */
  sotto_dtls_transport_set_srtp_profiles (f->end[0].dtls, &profile, 1);
  exchange_and_start (f);
  g_assert_true (test_wait_for_flag (&f->both_done, 5000));
  g_assert_no_error (f->end[0].error);
  g_assert_no_error (f->end[1].error);
  g_assert_cmpint (sotto_dtls_transport_get_srtp_profile (f->end[1].dtls), ==, profile);
  assert_keys_match (f);
}

static void
test_no_common_profile (Fixture       *f,
                        gconstpointer  data)
{
  const SottoSrtpProfile cm = SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80;
  const SottoSrtpProfile gcm256 = SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM;

  /* The "require AES-256" policy on the server against a CM-only client. */
  sotto_dtls_transport_set_srtp_profiles (f->end[0].dtls, &cm, 1);
  sotto_dtls_transport_set_srtp_profiles (f->end[1].dtls, &gcm256, 1);
  exchange_and_start (f);
  g_assert_true (test_wait_for_flag (&f->both_done, 5000));
  g_assert_false (f->end[0].connected);
  g_assert_false (f->end[1].connected);
  g_assert_error (f->end[1].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_NO_SRTP_PROFILE);
}

static void
test_fingerprint_mismatch (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SottoDtlsCertificate) mitm = sotto_dtls_certificate_new (NULL);
  g_autoptr(GError) error = NULL;
  SottoSrtpKeyMaterial km;

  /* A man in the middle substituted his fingerprint in the client's SDP. */
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (
                   f->end[0].dtls, sotto_dtls_certificate_get_fingerprint (mitm), NULL));
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[1].dtls, fingerprint_of (&f->end[0]), NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[1].dtls, SOTTO_DTLS_ROLE_SERVER, NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[0].dtls, SOTTO_DTLS_ROLE_CLIENT, NULL));

  g_assert_true (test_wait_for_flag (&f->end[0].failed, 5000));
  g_assert_error (f->end[0].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISMATCH);
  g_assert_false (f->end[0].connected);
  g_assert_cmpint (sotto_dtls_transport_get_state (f->end[0].dtls), ==, SOTTO_DTLS_STATE_FAILED);

  /* No key ever leaves a transport that refused its peer. */
  g_assert_false (sotto_dtls_transport_export_srtp_keys (f->end[0].dtls, &km, &error));
  g_assert_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_INVALID_STATE);
}

static void
test_fingerprint_swapped (Fixture       *f,
                          gconstpointer  data)
{
  /* Each side told its own fingerprint instead of the peer's. */
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[0].dtls, fingerprint_of (&f->end[0]), NULL));
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[1].dtls, fingerprint_of (&f->end[1]), NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[1].dtls, SOTTO_DTLS_ROLE_SERVER, NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[0].dtls, SOTTO_DTLS_ROLE_CLIENT, NULL));

  g_assert_true (test_wait_for_flag (&f->end[1].failed, 5000));
  g_assert_error (f->end[1].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISMATCH);
  g_assert_false (f->end[0].connected);
}

static void
test_fingerprint_missing (Fixture       *f,
                          gconstpointer  data)
{
  /* The server never learned the client's fingerprint. */
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[0].dtls, fingerprint_of (&f->end[1]), NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[1].dtls, SOTTO_DTLS_ROLE_SERVER, NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[0].dtls, SOTTO_DTLS_ROLE_CLIENT, NULL));

  g_assert_true (test_wait_for_flag (&f->end[1].failed, 5000));
  g_assert_error (f->end[1].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISSING);
  g_assert_false (f->end[1].connected);
}

static void
test_fingerprint_parse (void)
{
  g_autoptr(SottoDtlsCertificate) cert = sotto_dtls_certificate_new (NULL);
  const char *fp = sotto_dtls_certificate_get_fingerprint (cert);
  g_autofree char *lower = g_ascii_strdown (fp, -1);
  g_autofree char *sha512 = sotto_dtls_fingerprint_of_x509 (sotto_dtls_certificate_get_x509 (cert),
                                                             "sha-512", NULL);
  guint8 digest[SOTTO_DTLS_FINGERPRINT_MAX_DIGEST];
  gsize len;
  guint i;
  struct { const char *value; int code; } bad[] = {
    { NULL, SOTTO_DTLS_ERROR_FINGERPRINT_MISSING },
    { "", SOTTO_DTLS_ERROR_FINGERPRINT_MISSING },
    { "sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01",
      SOTTO_DTLS_ERROR_FINGERPRINT_UNSUPPORTED_HASH },
    { "md5 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
      SOTTO_DTLS_ERROR_FINGERPRINT_UNSUPPORTED_HASH },
    { "AB:CD", SOTTO_DTLS_ERROR_FINGERPRINT_MALFORMED },
    { "sha-256 AB:CD", SOTTO_DTLS_ERROR_FINGERPRINT_MALFORMED },
    { "sha-256 ZZ:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89",
      SOTTO_DTLS_ERROR_FINGERPRINT_MALFORMED },
  };

  /* Our own: "sha-256 " then 32 uppercase pairs joined by colons. */
  g_assert_true (g_str_has_prefix (fp, "sha-256 "));
  g_assert_cmpuint (strlen (fp), ==, 8 + 32 * 3 - 1);
  for (i = 8; fp[i]; i++)
    g_assert_true ((i - 8) % 3 == 2 ? fp[i] == ':' : g_ascii_isxdigit (fp[i]) && !g_ascii_islower (fp[i]));

  /* Hex and hash name in either case; sha-512 as well. */
  g_assert_true (sotto_dtls_fingerprint_parse (lower, NULL, digest, &len, NULL));
  g_assert_cmpuint (len, ==, 32);
  g_assert_true (sotto_dtls_fingerprint_parse (sha512, NULL, digest, &len, NULL));
  g_assert_cmpuint (len, ==, 64);

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sotto_dtls_fingerprint_parse (bad[i].value, NULL, digest, &len, &error));
      g_assert_error (error, SOTTO_DTLS_ERROR, bad[i].code);
    }

  /* Two calls never share a certificate. */
  {
    g_autoptr(SottoDtlsCertificate) other = sotto_dtls_certificate_new (NULL);
    g_assert_cmpstr (sotto_dtls_certificate_get_fingerprint (other), !=, fp);
  }
}

static void
test_lossy (Fixture       *f,
            gconstpointer  data)
{
  /* 30% of datagrams lost in both directions: retransmission must carry the
   * handshake through. */
  test_link_set_drop_rate (f->link, 0.3);
  exchange_and_start (f);
  g_assert_true (test_wait_for_flag (&f->both_done, 15000));
  g_assert_no_error (f->end[0].error);
  g_assert_no_error (f->end[1].error);
  g_assert_cmpuint (test_link_get_dropped (f->link), >, 0);
  assert_keys_match (f);
}

static void
test_retransmit_and_timeout (Fixture       *f,
                             gconstpointer  data)
{
  GArray *times;
  gint64 first_gap;

  /* The server never hears anything: the client retransmits quickly, backs
   * off, and gives up with a clear error after the handshake timeout. */
  test_link_set_blackhole (f->link, 1, TRUE);
  g_object_set (f->end[0].dtls, "handshake-timeout", 700, NULL);
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[0].dtls, fingerprint_of (&f->end[1]), NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[0].dtls, SOTTO_DTLS_ROLE_CLIENT, NULL));

  g_assert_true (test_wait_for_flag (&f->end[0].failed, 5000));
  g_assert_error (f->end[0].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_HANDSHAKE_TIMEOUT);

  times = test_link_get_send_times (f->link, 0);
  g_assert_cmpuint (times->len, >=, 3);
  first_gap = g_array_index (times, gint64, 1) - g_array_index (times, gint64, 0);
  g_assert_cmpint (first_gap, <, 500 * 1000);   /* well under RFC 6347's 1 s */
  g_assert_cmpint (g_array_index (times, gint64, 2) - g_array_index (times, gint64, 1), >, first_gap);
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  gboolean both_clients = GPOINTER_TO_INT (data);
  SottoDtlsRole role = both_clients ? SOTTO_DTLS_ROLE_CLIENT : SOTTO_DTLS_ROLE_SERVER;
  guint i;

  /* Misresolved a=setup (both active or both passive) never connects. */
  for (i = 0; i < 2; i++)
    {
      g_object_set (f->end[i].dtls, "handshake-timeout", 600, NULL);
      g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[i].dtls, fingerprint_of (&f->end[1 - i]), NULL));
      g_assert_true (sotto_dtls_transport_start (f->end[i].dtls, role, NULL));
    }
  g_assert_true (test_wait_for_flag (&f->both_done, 5000));
  g_assert_false (f->end[0].connected);
  g_assert_false (f->end[1].connected);
  if (!both_clients)
    {
      g_assert_error (f->end[0].error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_HANDSHAKE_TIMEOUT);
      g_assert_cmpuint (test_link_get_sent (f->link, 0)->len, ==, 0);
    }
}

static void
test_early_client_hello (Fixture       *f,
                         gconstpointer  data)
{
  GPtrArray *client_sent = test_link_get_sent (f->link, 0);

  /* The ClientHello arrives before the server side has called start() (the
   * answer is not applied yet). It must be kept, not lost to a retransmit. */
  test_link_set_blackhole (f->link, 1, TRUE);
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[0].dtls, fingerprint_of (&f->end[1]), NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[0].dtls, SOTTO_DTLS_ROLE_CLIENT, NULL));
  g_assert_cmpuint (client_sent->len, ==, 1);
  sotto_dtls_transport_receive (f->end[1].dtls, g_bytes_get_data (client_sent->pdata[0], NULL),
                                g_bytes_get_size (client_sent->pdata[0]));
  g_assert_cmpuint (test_link_get_sent (f->link, 1)->len, ==, 0);
  test_link_set_blackhole (f->link, 1, FALSE);

  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[1].dtls, fingerprint_of (&f->end[0]), NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[1].dtls, SOTTO_DTLS_ROLE_SERVER, NULL));
  /* The server answered at once from the buffered datagram. */
  g_assert_cmpuint (test_link_get_sent (f->link, 1)->len, >, 0);
  g_assert_true (test_wait_for_flag (&f->both_done, 5000));
  g_assert_true (f->end[0].connected && f->end[1].connected);
}

/* A certificate far larger than one datagram (many subjectAltNames). */
static SottoDtlsCertificate *
make_large_certificate (void)
{
  EVP_PKEY *key = EVP_EC_gen ("P-256");
  X509 *x = X509_new ();
  GString *san = g_string_new (NULL);
  X509_EXTENSION *ext;
  X509V3_CTX v3;
  SottoDtlsCertificate *cert;
  guint i;

  for (i = 0; i < 60; i++)
    g_string_append_printf (san, "%sDNS:host-%02u.a-rather-long-name.example.org", i ? "," : "", i);

  X509_set_version (x, 2);
  ASN1_INTEGER_set (X509_get_serialNumber (x), 7);
  X509_NAME_add_entry_by_txt (X509_get_subject_name (x), "CN", MBSTRING_ASC,
                              (const unsigned char *) "large", -1, -1, 0);
  X509_set_issuer_name (x, X509_get_subject_name (x));
  X509_gmtime_adj (X509_getm_notBefore (x), 0);
  X509_gmtime_adj (X509_getm_notAfter (x), 3600);
  X509_set_pubkey (x, key);
  X509V3_set_ctx (&v3, x, x, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &v3, NID_subject_alt_name, san->str);
  g_assert_nonnull (ext);
  X509_add_ext (x, ext, -1);
  X509_EXTENSION_free (ext);
  g_assert_cmpint (X509_sign (x, key, EVP_sha256 ()), >, 0);
  g_assert_cmpint (i2d_X509 (x, NULL), >, 2400);

  cert = sotto_dtls_certificate_new_from_x509 (x, key, NULL);
  g_assert_nonnull (cert);
  X509_free (x);
  EVP_PKEY_free (key);
  g_string_free (san, TRUE);
  return cert;
}

static void
test_large_certificate (void)
{
  Fixture fixture, *f = &fixture;
  g_autoptr(SottoDtlsCertificate) big = make_large_certificate ();
  g_autoptr(SottoDtlsCertificate) small = sotto_dtls_certificate_new (NULL);
  guint side, i;
  gsize largest = 0;

  memset (f, 0, sizeof *f);
  current_fixture = f;
  f->link = test_link_new (99);
  setup_end (f, 0, big);
  setup_end (f, 1, big);
  /* Some loss too, so fragments are retransmitted within the MTU as well. */
  test_link_set_drop_rate (f->link, 0.1);
  exchange_and_start (f);
  g_assert_true (test_wait_for_flag (&f->both_done, 15000));
  g_assert_no_error (f->end[0].error);
  g_assert_no_error (f->end[1].error);

  for (side = 0; side < 2; side++)
    {
      GPtrArray *sent = test_link_get_sent (f->link, side);

      for (i = 0; i < sent->len; i++)
        {
          g_assert_cmpuint (g_bytes_get_size (sent->pdata[i]), <=, SOTTO_DTLS_DEFAULT_MTU);
          largest = MAX (largest, g_bytes_get_size (sent->pdata[i]));
        }
    }
  /* The certificate really was split close to the MTU. */
  g_assert_cmpuint (largest, >, SOTTO_DTLS_DEFAULT_MTU - 200);
  (void) small;
  fixture_teardown (f, NULL);
}

/* ---- a browser-like ClientHello ----------------------------------------- */

static void
put16 (GByteArray *b, guint v)
{
  guint8 x[2] = { v >> 8, v & 0xff };
  g_byte_array_append (b, x, 2);
}

static void
put24 (GByteArray *b, guint v)
{
  guint8 x[3] = { v >> 16, (v >> 8) & 0xff, v & 0xff };
  g_byte_array_append (b, x, 3);
}

static void
put_ext (GByteArray *b, guint type, const guint8 *body, gsize len)
{
  put16 (b, type);
  put16 (b, len);
  g_byte_array_append (b, body, len);
}

/* What current browsers send: DTLS 1.3 and 1.2 in supported_versions, an
 * ML-KEM hybrid key share (1216 bytes) for 1.3, use_srtp with GCM first; over
 * 1,400 bytes, so it arrives in two handshake fragments. */
static GByteArray *
browser_client_hello_body (void)
{
  GByteArray *hello = g_byte_array_new ();
  GByteArray *ext = g_byte_array_new ();
  GByteArray *tmp = g_byte_array_new ();
  const guint16 suites[] = { 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xcca9, 0xcca8,
                             0xc009, 0xc013, 0xc00a, 0xc014, 0x009c, 0x002f, 0x0035 };
  guint8 random[32], share[1216], x25519[32];
  guint i;

  RAND_bytes (random, sizeof random);
  RAND_bytes (share, sizeof share);
  RAND_bytes (x25519, sizeof x25519);

  put16 (hello, 0xfefd);                  /* client_version: DTLS 1.2 */
  g_byte_array_append (hello, random, 32);
  g_byte_array_append (hello, (guint8 *) "\0", 1);   /* session id */
  g_byte_array_append (hello, (guint8 *) "\0", 1);   /* cookie */
  put16 (hello, sizeof suites);
  for (i = 0; i < G_N_ELEMENTS (suites); i++)
    put16 (hello, suites[i]);
  g_byte_array_append (hello, (guint8 *) "\1\0", 2); /* compression: null */

  put_ext (ext, 0x0017, NULL, 0);                    /* extended_master_secret */
  put_ext (ext, 0xff01, (guint8 *) "\0", 1);         /* renegotiation_info */
  g_byte_array_set_size (tmp, 0);                    /* supported_groups */
  put16 (tmp, 8); put16 (tmp, 0x11ec); put16 (tmp, 0x001d); put16 (tmp, 0x0017); put16 (tmp, 0x0018);
  put_ext (ext, 0x000a, tmp->data, tmp->len);
  put_ext (ext, 0x000b, (guint8 *) "\1\0", 2);       /* ec_point_formats */
  g_byte_array_set_size (tmp, 0);                    /* signature_algorithms */
  put16 (tmp, 16); put16 (tmp, 0x0403); put16 (tmp, 0x0804); put16 (tmp, 0x0401); put16 (tmp, 0x0503);
  put16 (tmp, 0x0805); put16 (tmp, 0x0501); put16 (tmp, 0x0806); put16 (tmp, 0x0601);
  put_ext (ext, 0x000d, tmp->data, tmp->len);
  g_byte_array_set_size (tmp, 0);                    /* use_srtp */
  put16 (tmp, 6); put16 (tmp, 0x0007); put16 (tmp, 0x0008); put16 (tmp, 0x0001);
  g_byte_array_append (tmp, (guint8 *) "\0", 1);
  put_ext (ext, 0x000e, tmp->data, tmp->len);
  g_byte_array_set_size (tmp, 0);                    /* supported_versions */
  g_byte_array_append (tmp, (guint8 *) "\4", 1); put16 (tmp, 0xfefc); put16 (tmp, 0xfefd);
  put_ext (ext, 0x002b, tmp->data, tmp->len);
  g_byte_array_set_size (tmp, 0);                    /* key_share */
  put16 (tmp, 4 + sizeof share + 4 + sizeof x25519);
  put16 (tmp, 0x11ec); put16 (tmp, sizeof share); g_byte_array_append (tmp, share, sizeof share);
  put16 (tmp, 0x001d); put16 (tmp, sizeof x25519); g_byte_array_append (tmp, x25519, sizeof x25519);
  put_ext (ext, 0x0033, tmp->data, tmp->len);

  put16 (hello, ext->len);
  g_byte_array_append (hello, ext->data, ext->len);
  g_byte_array_unref (ext);
  g_byte_array_unref (tmp);
  return hello;
}

static GBytes *
fragment_record (const GByteArray *body,
                 guint             offset,
                 guint             length,
                 guint             record_seq)
{
  GByteArray *rec = g_byte_array_new ();
  guint8 hdr[11] = { 22, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0 };  /* DTLS 1.0 record version, epoch 0 */

  hdr[10] = record_seq;
  g_byte_array_append (rec, hdr, sizeof hdr);
  put16 (rec, 12 + length);
  g_byte_array_append (rec, (guint8 *) "\1", 1);   /* client_hello */
  put24 (rec, body->len);
  put16 (rec, 0);                                   /* message_seq */
  put24 (rec, offset);
  put24 (rec, length);
  g_byte_array_append (rec, body->data + offset, length);
  return g_byte_array_free_to_bytes (rec);
}

static void
test_browser_client_hello (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GByteArray) body = browser_client_hello_body ();
  g_autoptr(GBytes) frag1 = NULL;
  g_autoptr(GBytes) frag2 = NULL;
  GPtrArray *sent;
  const guint8 *sh;
  gsize sh_len, pos, ext_end;
  gboolean saw_srtp = FALSE, saw_versions = FALSE;
  guint half = body->len / 2;

  g_assert_cmpuint (body->len, >, 1400);
  frag1 = fragment_record (body, 0, half, 0);
  frag2 = fragment_record (body, half, body->len - half, 1);

  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (f->end[1].dtls, fingerprint_of (&f->end[0]), NULL));
  g_assert_true (sotto_dtls_transport_start (f->end[1].dtls, SOTTO_DTLS_ROLE_SERVER, NULL));
  sotto_dtls_transport_receive (f->end[1].dtls, g_bytes_get_data (frag1, NULL), g_bytes_get_size (frag1));
  g_assert_cmpuint (test_link_get_sent (f->link, 1)->len, ==, 0);   /* waits for the rest */
  sotto_dtls_transport_receive (f->end[1].dtls, g_bytes_get_data (frag2, NULL), g_bytes_get_size (frag2));
  g_assert_false (f->end[1].failed);

  /* First datagram: the ServerHello, DTLS 1.2 in record and body. */
  sent = test_link_get_sent (f->link, 1);
  g_assert_cmpuint (sent->len, >=, 1);
  sh = g_bytes_get_data (sent->pdata[0], &sh_len);
  g_assert_cmpuint (sh_len, >, 13 + 12 + 38);
  g_assert_cmpuint (sh[0], ==, 22);
  g_assert_cmpuint (sh[13], ==, 2);                       /* server_hello */
  g_assert_cmpuint ((sh[25] << 8) | sh[26], ==, 0xfefd);  /* DTLS 1.2 */

  /* Its extensions: use_srtp with our first choice, no supported_versions. */
  pos = 25 + 2 + 32;
  pos += 1 + sh[pos];           /* session id */
  pos += 2 + 1;                 /* cipher suite, compression */
  g_assert_cmpuint (pos + 2, <=, sh_len);
  ext_end = pos + 2 + ((sh[pos] << 8) | sh[pos + 1]);
  g_assert_cmpuint (ext_end, <=, sh_len);
  for (pos += 2; pos + 4 <= ext_end; pos += 4 + ((sh[pos + 2] << 8) | sh[pos + 3]))
    {
      guint type = (sh[pos] << 8) | sh[pos + 1];

      if (type == 0x000e)
        {
          saw_srtp = TRUE;
          g_assert_cmpuint ((sh[pos + 6] << 8) | sh[pos + 7], ==, 0x0008);   /* AEAD_AES_256_GCM */
        }
      saw_versions |= (type == 0x002b);
    }
  g_assert_true (saw_srtp);
  g_assert_false (saw_versions);

  /* And it asked for the browser's certificate (CertificateRequest, type 13). */
  {
    gboolean saw_request = FALSE;
    guint i;

    for (i = 0; i < sent->len; i++)
      {
        gsize len;
        const guint8 *d = g_bytes_get_data (sent->pdata[i], &len);
        gsize off = 0;

        while (off + 13 + 1 <= len)
          {
            gsize rlen = (d[off + 11] << 8) | d[off + 12];
            saw_request |= (d[off] == 22 && d[off + 13] == 13);
            off += 13 + rlen;
          }
      }
    g_assert_true (saw_request);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/sotto/transport/dtls/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("handshake", test_handshake, NULL);
  ADD ("profile/aes-256-gcm", test_each_profile, GINT_TO_POINTER (SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM));
  ADD ("profile/aes-128-gcm", test_each_profile, GINT_TO_POINTER (SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM));
  ADD ("profile/aes-cm-128-hmac-sha1-80", test_each_profile, GINT_TO_POINTER (SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80));
  ADD ("profile/none-in-common", test_no_common_profile, NULL);
  ADD ("fingerprint/mismatch", test_fingerprint_mismatch, NULL);
  ADD ("fingerprint/swapped", test_fingerprint_swapped, NULL);
  ADD ("fingerprint/missing", test_fingerprint_missing, NULL);
  ADD ("lossy-30-percent", test_lossy, NULL);
  ADD ("retransmit-and-timeout", test_retransmit_and_timeout, NULL);
  ADD ("roles/both-clients", test_roles, GINT_TO_POINTER (TRUE));
  ADD ("roles/both-servers", test_roles, GINT_TO_POINTER (FALSE));
  ADD ("browser-client-hello", test_browser_client_hello, NULL);
  ADD ("early-client-hello", test_early_client_hello, NULL);
  g_test_add_func ("/sotto/transport/dtls/fingerprint/parse", test_fingerprint_parse);
  g_test_add_func ("/sotto/transport/dtls/large-certificate", test_large_certificate);

  return g_test_run ();
}
