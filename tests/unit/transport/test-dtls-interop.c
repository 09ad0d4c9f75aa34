/* test-dtls-interop.c: our DTLS against GnuTLS, an independent DTLS stack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Browsers use BoringSSL or NSS, not OpenSSL, so a handshake between two
 * copies of our own code proves little about interoperability. Here
 * gnutls-cli (GnuTLS, Debian's gnutls-bin) is the DTLS client over a real
 * UDP socket on 127.0.0.1, our SottoDtlsTransport the server; GnuTLS prints
 * the negotiated SRTP profile and its RFC 5764 exporter output, which must
 * equal the keys we export. Skips when gnutls-cli is not installed.
 *
 * Only this direction: gnutls-serv cannot be bound to loopback (it listens on
 * every interface) and does not print its exporter output.
 */
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <openssl/pem.h>

#include "sotto-dtls-transport.h"

typedef struct {
  GSocket            *socket;
  GSocketAddress     *peer;
  SottoDtlsTransport *dtls;
  gboolean            done;
  gboolean            connected;
  GError             *error;
} Server;

static void
server_send (const guint8 *data,
             gsize         len,
             gpointer      user_data)
{
  Server *s = user_data;

  if (s->peer != NULL)
    g_socket_send_to (s->socket, s->peer, (const gchar *) data, len, NULL, NULL);
}

static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  Server *s = user_data;
  guint8 buf[4096];
  guint i;

  for (i = 0; i < 64; i++)
    {
      GSocketAddress *from = NULL;
      gssize n = g_socket_receive_from (socket, &from, (gchar *) buf, sizeof buf, NULL, NULL);

      if (n <= 0)
        break;
      g_clear_object (&s->peer);
      s->peer = from;
      sotto_dtls_transport_receive (s->dtls, buf, (gsize) n);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_connected (SottoDtlsTransport *dtls,
              Server             *s)
{
  s->connected = TRUE;
  s->done = TRUE;
}

static void
on_failed (SottoDtlsTransport *dtls,
           const GError       *error,
           Server             *s)
{
  s->error = g_error_copy (error);
  s->done = TRUE;
}

typedef struct {
  gboolean      done;
  GAsyncResult *result;
} Finish;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Finish *f = user_data;

  f->result = g_object_ref (result);
  f->done = TRUE;
}

/* GnuTLS 3.7 (Debian 12) knows only the AES-CM SRTP profiles; the GCM ones
 * came with 3.8. */
static gboolean
gnutls_knows_gcm (const char *gnutls_cli)
{
  g_autofree char *out = NULL;
  guint major = 0, minor = 0;
  const char *v;

  if (!g_spawn_sync (NULL, (char *[]) { (char *) gnutls_cli, (char *) "--version", NULL },
                     NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, NULL, NULL))
    return FALSE;
  v = strstr (out, "gnutls-cli ");
  if (v == NULL || sscanf (v, "gnutls-cli %u.%u", &major, &minor) != 2)
    return FALSE;
  return major > 3 || (major == 3 && minor >= 8);
}

static void
write_pem (SottoDtlsCertificate *cert,
           const char           *cert_path,
           const char           *key_path)
{
  BIO *b = BIO_new_file (cert_path, "w");

  g_assert_nonnull (b);
  g_assert_cmpint (PEM_write_bio_X509 (b, sotto_dtls_certificate_get_x509 (cert)), ==, 1);
  BIO_free (b);
  b = BIO_new_file (key_path, "w");
  g_assert_nonnull (b);
  g_assert_cmpint (PEM_write_bio_PrivateKey (b, sotto_dtls_certificate_get_private_key (cert),
                                             NULL, NULL, 0, NULL, NULL), ==, 1);
  BIO_free (b);
}

static char *
hex (const guint8 *d,
     gsize         n)
{
  GString *s = g_string_new (NULL);
  gsize i;

  for (i = 0; i < n; i++)
    g_string_append_printf (s, "%02x", d[i]);
  return g_string_free (s, FALSE);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef struct {
  const char      *gnutls_name;     /* the profile gnutls-cli offers */
  gboolean         require_aes_256; /* our server accepts only AEAD_AES_256_GCM */
} ClientCase;

static void
test_gnutls_client (gconstpointer data)
{
  const ClientCase *c = data;
  const char *gnutls_name = c->gnutls_name;
  SottoSrtpProfile expected = g_str_equal (gnutls_name, "SRTP_AES128_CM_HMAC_SHA1_80")
                              ? SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80
                              : g_str_equal (gnutls_name, "SRTP_AEAD_AES_128_GCM")
                              ? SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM
                              : SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM;
  g_autofree char *gnutls_cli = g_find_program_in_path ("gnutls-cli");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *port = NULL;
  g_autofree char *profiles_arg = NULL;
  g_autofree char *size_arg = NULL;
  g_autoptr(SottoDtlsCertificate) server_cert = sotto_dtls_certificate_new (NULL);
  g_autoptr(SottoDtlsCertificate) client_cert = sotto_dtls_certificate_new (NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bind_addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *expected_line = NULL;
  g_autofree char *expected_profile = NULL;
  SottoSrtpKeyMaterial km;
  guint8 material[2 * SOTTO_SRTP_MAX_KEY_SALT_LEN];
  gsize kl, sl;
  SottoSrtpProfile profile;
  GSource *source, *timer;
  gboolean expired = FALSE;
  Server s = { 0 };

  if (gnutls_cli == NULL)
    {
      g_test_skip ("gnutls-cli (Debian package gnutls-bin) is not installed");
      return;
    }
  if (expected != SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80 && !gnutls_knows_gcm (gnutls_cli))
    {
      g_test_skip ("this gnutls-cli predates the GCM SRTP profiles (GnuTLS 3.8)");
      return;
    }

  dir = g_dir_make_tmp ("sotto-dtls-interop-XXXXXX", &error);
  g_assert_no_error (error);
  cert_path = g_build_filename (dir, "client.pem", NULL);
  key_path = g_build_filename (dir, "client.key", NULL);
  write_pem (client_cert, cert_path, key_path);

  s.socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (s.socket, bind_addr, FALSE, &error));
  g_socket_set_blocking (s.socket, FALSE);
  local = g_socket_get_local_address (s.socket, &error);
  port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));

  s.dtls = sotto_dtls_transport_new (server_cert);
  g_object_set (s.dtls, "handshake-timeout", 5000, NULL);
  sotto_dtls_transport_set_send_func (s.dtls, server_send, &s, NULL);
  if (c->require_aes_256)
    {
      const SottoSrtpProfile only = SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM;

      sotto_dtls_transport_set_srtp_profiles (s.dtls, &only, 1);
    }
  g_signal_connect (s.dtls, "connected", G_CALLBACK (on_connected), &s);
  g_signal_connect (s.dtls, "failed", G_CALLBACK (on_failed), &s);
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (
                   s.dtls, sotto_dtls_certificate_get_fingerprint (client_cert), &error));
  g_assert_true (sotto_dtls_transport_start (s.dtls, SOTTO_DTLS_ROLE_SERVER, &error));
  g_assert_no_error (error);

  source = g_socket_create_source (s.socket, G_IO_IN, NULL);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) on_readable, &s, NULL);
  g_source_attach (source, NULL);

  kl = sotto_srtp_profile_key_length (expected);
  sl = sotto_srtp_profile_salt_length (expected);
  profiles_arg = g_strdup_printf ("--srtp-profiles=%s", gnutls_name);
  size_arg = g_strdup_printf ("--keymatexportsize=%" G_GSIZE_FORMAT, 2 * (kl + sl));
  /* stdin closed at once: gnutls-cli exits after the handshake. */
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE
                           | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                           gnutls_cli, "--udp", "--insecure", "--mtu=1200", profiles_arg,
                           "--keymatexport=EXTRACTOR-dtls_srtp", size_arg,
                           "--x509certfile", cert_path, "--x509keyfile", key_path,
                           "-p", port, "127.0.0.1", NULL);
  g_assert_no_error (error);

  timer = g_timeout_source_new (15000);
  g_source_set_callback (timer, on_wait_timeout, &expired, NULL);
  g_source_attach (timer, NULL);
  while (!s.done && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);

  /* Read our side while connected: gnutls-cli closes the association next. */
  profile = sotto_dtls_transport_get_srtp_profile (s.dtls);
  if (s.connected)
    {
    /* Our export, rearranged into RFC 5764's order: client key, server key,
     * client salt, server salt (we are the server: local = server). */
    g_assert_true (sotto_dtls_transport_export_srtp_keys (s.dtls, &km, &error));
    memcpy (material, km.remote, kl);
    memcpy (material + kl, km.local, kl);
    memcpy (material + 2 * kl, km.remote + kl, sl);
    memcpy (material + 2 * kl + sl, km.local + kl, sl);
    ours = hex (material, 2 * (kl + sl));
    sotto_srtp_key_material_clear (&km);
    }

  /* Let gnutls-cli finish (or stop it), then read what it printed. The
   * main loop keeps running meanwhile, so our side answers its close_notify. */
  if (!s.connected)
    g_subprocess_force_exit (proc);
  {
    g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);
    Finish finish = { 0 };

    g_subprocess_communicate_async (proc, no_input, NULL, on_communicated, &finish);
    while (!finish.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (g_subprocess_communicate_finish (proc, finish.result, &out, NULL, &error));
    g_object_unref (finish.result);
  }
  g_assert_no_error (error);
  out_text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  if (g_test_verbose ())
    g_test_message ("gnutls-cli said:\n%s", out_text);

  g_assert_false (expired);
  if (c->require_aes_256)
    {
      /* The policy holds against a foreign stack too: no weaker profile. */
      g_assert_error (s.error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_NO_SRTP_PROFILE);
      goto out;
    }
  g_assert_no_error (s.error);
  g_assert_true (s.connected);
  g_assert_cmpint (profile, ==, expected);
  g_assert_nonnull (ours);

  expected_line = g_strdup_printf ("Key material: %s", ours);
  expected_profile = g_strdup_printf ("SRTP profile: %s", gnutls_name);
  g_assert_nonnull (strstr (out_text, expected_profile));
  g_assert_nonnull (strstr (out_text, expected_line));

out:
  g_source_destroy (source);
  g_source_unref (source);
  g_object_unref (s.dtls);
  g_clear_object (&s.peer);
  g_clear_error (&s.error);
  g_object_unref (s.socket);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);
}

static const ClientCase client_cases[] = {
  { "SRTP_AES128_CM_HMAC_SHA1_80", FALSE },
  { "SRTP_AEAD_AES_128_GCM", FALSE },
  { "SRTP_AEAD_AES_256_GCM", FALSE },
  { "SRTP_AES128_CM_HMAC_SHA1_80", TRUE },
};

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sotto/transport/dtls-interop/gnutls-client/aes-cm-128-hmac-sha1-80",
                        &client_cases[0], test_gnutls_client);
  g_test_add_data_func ("/sotto/transport/dtls-interop/gnutls-client/aes-128-gcm",
                        &client_cases[1], test_gnutls_client);
  g_test_add_data_func ("/sotto/transport/dtls-interop/gnutls-client/aes-256-gcm",
                        &client_cases[2], test_gnutls_client);
  g_test_add_data_func ("/sotto/transport/dtls-interop/gnutls-client/require-aes-256",
                        &client_cases[3], test_gnutls_client);

  return g_test_run ();
}
