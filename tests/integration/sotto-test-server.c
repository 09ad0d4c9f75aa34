/* sotto-test-server.c: run the real `sotto-server serve` for integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-test-server.h"

#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "sotto-api-credential.h"
#include "sotto-deployment.h"
#include "sotto-server-app.h"

#define START_TIMEOUT_S 30
#define STOP_TIMEOUT_S  10

typedef struct
{
  char    *line;
  gboolean done;
} LineRead;

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, NULL);
  read->done = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

char *
sotto_test_certificate_pin (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  const unsigned char *p;
  unsigned char *spki = NULL;
  unsigned char digest[32];
  unsigned int digest_len = 0;
  X509 *x509;
  int spki_len;
  char *pin;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  p = der->data;
  x509 = d2i_X509 (NULL, &p, (long) der->len);
  if (x509 == NULL)
    return NULL;
  spki_len = i2d_X509_PUBKEY (X509_get_X509_PUBKEY (x509), &spki);
  X509_free (x509);
  if (spki_len <= 0)
    return NULL;
  EVP_Digest (spki, (size_t) spki_len, digest, &digest_len, EVP_sha256 (), NULL);
  OPENSSL_free (spki);
  pin = g_base64_encode (digest, digest_len);
  return pin;
}

static gboolean
on_accept_certificate (SoupMessage         *msg,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  SottoTestServer *server = user_data;
  g_autofree char *pin = sotto_test_certificate_pin (certificate);

  /* What a Sotto client does with a token's pin: the certificate is trusted
   * because its key is the pinned one, not because a CA signed it. */
  return pin != NULL && g_strcmp0 (pin, server->pin) == 0;
}

static void
child_setup (gpointer user_data)
{
  /* If the test aborts on a failed assertion, the server must not outlive
   * it (it would hold the test's output pipes open until the timeout). */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

SottoTestServer *
sotto_test_server_start (const char        *server_bin,
                         const char        *state_dir,
                         const char *const *extra_args)
{
  return sotto_test_server_start_full (server_bin, state_dir, extra_args, NULL, NULL);
}

SottoTestServer *
sotto_test_server_start_full (const char        *server_bin,
                              const char        *state_dir,
                              const char *const *extra_args,
                              const char *const *env,
                              const char        *log_path)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (SottoDeployment) deployment = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_auto (GStrv) fields = NULL;
  SottoTestServer *server = g_new0 (SottoTestServer, 1);
  LineRead read = { NULL, FALSE };
  gboolean timed_out = FALSE;
  guint timeout_id;
  gsize i;

  if (state_dir != NULL)
    server->state_dir = g_strdup (state_dir);
  else
    {
      server->state_dir = g_dir_make_tmp ("sotto-server-XXXXXX", &error);
      g_assert_no_error (error);
      server->owns_state_dir = TRUE;
    }

  g_ptr_array_add (argv, (gpointer) server_bin);
  g_ptr_array_add (argv, (gpointer) "serve");
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  g_ptr_array_add (argv, (gpointer) "--state-dir");
  g_ptr_array_add (argv, server->state_dir);
  for (i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  for (i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);

      g_assert_nonnull (kv[1]);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  if (log_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line_read, &read);
  timeout_id = g_timeout_add_seconds (START_TIMEOUT_S, on_timeout, &timed_out);
  while (!read.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  else
    {
      /* The pending read holds `read`; finish it before leaving. */
      g_subprocess_force_exit (server->process);
      while (!read.done)
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (timed_out);
  g_assert_nonnull (read.line);

  g_assert_true (g_str_has_prefix (read.line, SOTTO_SERVER_READY_PREFIX));
  fields = g_strsplit (read.line, " ", -1);
  g_free (read.line);
  g_assert_cmpuint (g_strv_length (fields), ==, 4);
  g_assert_true (g_str_has_prefix (fields[1], "https="));
  g_assert_true (g_str_has_prefix (fields[2], "public-url="));
  g_assert_true (g_str_has_prefix (fields[3], "pin="));
  server->https_url = g_strdup (fields[1] + strlen ("https="));
  server->public_url = g_strdup (fields[2] + strlen ("public-url="));
  server->pin = g_strdup (fields[3] + strlen ("pin="));

  /* The test reads the credentials as a backend would: from the state dir. */
  deployment = sotto_deployment_load (server->state_dir, &error);
  g_assert_no_error (error);
  server->api_key = g_strdup (sotto_deployment_get_api_key (deployment));
  server->api_secret = g_bytes_ref (sotto_deployment_get_api_secret (deployment));

  server->session = soup_session_new_with_options ("timeout", 10, "idle-timeout", 10, NULL);
  return server;
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
wait_exit (GSubprocess *process,
           guint        timeout_s)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  gboolean timed_out = FALSE;
  gboolean exited = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, on_timeout, &timed_out);

  /* g_subprocess_wait would block forever on a hung server. */
  g_subprocess_wait_async (process, cancellable, on_waited, &exited);
  while (!timed_out && !exited)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (!exited)
    {
      /* The callback still points at `exited`: let it run before returning. */
      g_cancellable_cancel (cancellable);
      while (!exited)
        g_main_context_iteration (NULL, TRUE);
      return FALSE;
    }
  return TRUE;
}

int
sotto_test_server_stop (SottoTestServer *server)
{
  return sotto_test_server_stop_signal (server, SIGTERM);
}

int
sotto_test_server_stop_signal (SottoTestServer *server,
                               int              signum)
{
  if (server->process == NULL)
    return -1;
  g_subprocess_send_signal (server->process, signum);
  if (!wait_exit (server->process, STOP_TIMEOUT_S))
    {
      sotto_test_server_kill (server);
      return -1;
    }
  {
    int status = g_subprocess_get_if_exited (server->process)
                   ? g_subprocess_get_exit_status (server->process) : -1;

    g_clear_object (&server->process);
    return status;
  }
}

void
sotto_test_server_kill (SottoTestServer *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

void
sotto_test_server_free (SottoTestServer *server)
{
  if (server == NULL)
    return;
  sotto_test_server_kill (server);
  if (server->owns_state_dir)
    remove_tree (server->state_dir);
  g_clear_object (&server->session);
  g_free (server->state_dir);
  g_free (server->https_url);
  g_free (server->public_url);
  g_free (server->pin);
  g_free (server->api_key);
  g_clear_pointer (&server->api_secret, g_bytes_unref);
  g_free (server);
}

char *
sotto_test_server_auth (SottoTestServer *server)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *jwt = sotto_api_credential_mint (server->api_key, server->api_secret,
                                                    g_get_real_time () / G_USEC_PER_SEC, 300,
                                                    &error);

  g_assert_no_error (error);
  return g_strconcat ("Bearer ", jwt, NULL);
}

SoupMessage *
sotto_test_server_new_message (SottoTestServer *server,
                               const char      *method,
                               const char      *path,
                               const char      *body,
                               const char      *auth)
{
  g_autofree char *url = g_strconcat (server->https_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), server);
  if (auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

guint
sotto_test_server_request (SottoTestServer *server,
                           const char      *method,
                           const char      *path,
                           const char      *body,
                           const char      *auth,
                           JsonNode       **out_json)
{
  g_autoptr (SoupMessage) msg = sotto_test_server_new_message (server, method, path, body, auth);
  g_autoptr (GBytes) response = NULL;
  g_autoptr (GError) error = NULL;
  const char *content_type;

  response = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);

  if (out_json != NULL)
    {
      *out_json = NULL;
      content_type = soup_message_headers_get_content_type (
        soup_message_get_response_headers (msg), NULL);
      if (g_bytes_get_size (response) > 0)
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (response, NULL),
                                             g_bytes_get_size (response));

          g_assert_cmpstr (content_type, ==, "application/json");
          *out_json = json_from_string (text, &error);
          g_assert_no_error (error);
        }
    }
  return soup_message_get_status (msg);
}
