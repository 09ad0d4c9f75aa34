/* test-rest.c: the REST API of the real `sotto-server serve`, over TLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <signal.h>

#include "sotto-api-credential.h"
#include "sotto-deployment.h"
#include "sotto-server-app.h"
#include "sotto-test-server.h"
#include "sotto-token.h"

typedef struct
{
  SottoTestServer *server;
  char            *auth;
} Fixture;

/* Tests that only talk to the server share one (`data` points at it); tests
 * that kill or restart it get their own (`data` NULL). */
static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  SottoTestServer *const *shared = data;

  fx->server = shared ? *shared : sotto_test_server_start (SOTTO_SERVER_BIN, NULL, NULL);
  fx->auth = sotto_test_server_auth (fx->server);
}

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  /* An own server ends with a clean stop: SIGTERM, exit status 0 (and, in
   * the sanitized build, no leak reports); main() does it for the shared one. */
  if (data == NULL)
    {
      g_assert_cmpint (sotto_test_server_stop (fx->server), ==, 0);
      sotto_test_server_free (fx->server);
    }
  g_free (fx->auth);
}

static const char *
member_string (JsonNode   *node,
               const char *name)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
}

/* Asserts an error reply: the status and a {code, message} body. */
static void
assert_error (Fixture    *fx,
              const char *method,
              const char *path,
              const char *body,
              const char *auth,
              guint       status,
              const char *code)
{
  g_autoptr (JsonNode) json = NULL;
  guint got = sotto_test_server_request (fx->server, method, path, body, auth, &json);

  g_assert_cmpuint (got, ==, status);
  g_assert_cmpstr (member_string (json, "code"), ==, code);
  g_assert_nonnull (member_string (json, "message"));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (json)), ==, 2);
}

static char *
create_session (Fixture    *fx,
                const char *body)
{
  g_autoptr (JsonNode) json = NULL;
  guint status = sotto_test_server_request (fx->server, "POST", "/v1/sessions", body, fx->auth,
                                            &json);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup (member_string (json, "session_id"));
}

static void
test_unauthorized (Fixture      *fx,
                   gconstpointer data)
{
  g_autoptr (GBytes) wrong_secret = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *wrong_key = NULL;
  g_autofree char *expired = NULL;
  g_autofree char *bearer_wrong = NULL;
  g_autofree char *bearer_wrong_key = NULL;
  g_autofree char *bearer_expired = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *session = create_session (fx, NULL);
  g_autofree char *session_path = g_strconcat ("/v1/sessions/", session, NULL);
  g_autofree char *tokens_path = g_strconcat (session_path, "/tokens", NULL);
  guint8 raw[32] = { 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *auths[5];
  const char *paths[] = { "/v1/sessions", session_path, tokens_path, "/v1/sessions/nope/tokens",
                          "/v1/sessions/x/connections/y/disconnect" };
  const char *methods[] = { "POST", "GET", "DELETE", "POST", "POST" };
  gsize a, p;

  wrong_secret = g_bytes_new (raw, sizeof raw);
  wrong = sotto_api_credential_mint (fx->server->api_key, wrong_secret, now, 300, NULL);
  wrong_key = sotto_api_credential_mint ("AKnotthekey", fx->server->api_secret, now, 300, NULL);
  expired = sotto_api_credential_mint (fx->server->api_key, fx->server->api_secret, now - 4000,
                                       300, NULL);
  bearer_wrong = g_strconcat ("Bearer ", wrong, NULL);
  bearer_wrong_key = g_strconcat ("Bearer ", wrong_key, NULL);
  bearer_expired = g_strconcat ("Bearer ", expired, NULL);
  /* The API secret itself is not a credential. */
  basic = g_strdup_printf ("Basic %s", fx->server->api_key);
  auths[0] = NULL;
  auths[1] = bearer_wrong;
  auths[2] = bearer_wrong_key;
  auths[3] = bearer_expired;
  auths[4] = basic;

  for (a = 0; a < G_N_ELEMENTS (auths); a++)
    for (p = 0; p < G_N_ELEMENTS (paths); p++)
      assert_error (fx, methods[p], paths[p], "{\"role\":\"moderator\"}", auths[a], 401,
                    "unauthorized");

  /* Nothing happened: the session is still open. */
  {
    g_autoptr (JsonNode) json = NULL;

    g_assert_cmpuint (sotto_test_server_request (fx->server, "GET", session_path, NULL, fx->auth,
                                                 &json), ==, 200);
    g_assert_false (json_object_get_boolean_member (json_node_get_object (json), "ended"));
  }
}

static void
test_create_and_mint (Fixture      *fx,
                      gconstpointer data)
{
  static const char *roles[] = { "subscriber", "publisher", "moderator" };
  g_autofree char *session = NULL;
  g_autofree char *tokens_path = NULL;
  g_autofree char *other = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize i;

  session = create_session (fx, "{\"max_participants\": 4}");
  other = create_session (fx, NULL);
  g_assert_cmpuint (strlen (session), ==, 22);
  g_assert_cmpstr (session, !=, other);
  tokens_path = g_strdup_printf ("/v1/sessions/%s/tokens", session);

  for (i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"role\":\"%s\",\"data\":\"seat %zu\"}",
                                               roles[i], i);
      g_autoptr (JsonNode) json = NULL;
      g_autoptr (SottoToken) token = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *expected_data = g_strdup_printf ("seat %zu", i);
      SottoRole role;

      g_assert_cmpuint (sotto_test_server_request (fx->server, "POST", tokens_path, body,
                                                   fx->auth, &json), ==, 201);
      token = sotto_token_verify (member_string (json, "token"), fx->server->api_secret, session,
                                  now, &error);
      g_assert_no_error (error);
      g_assert_true (sotto_role_from_string (roles[i], &role));
      g_assert_cmpint (sotto_token_get_role (token), ==, role);
      g_assert_cmpstr (sotto_token_get_data (token), ==, expected_data);
      /* Port 0 and no --public-url: tokens point at the bound address. */
      g_assert_cmpstr (sotto_token_get_url (token), ==, fx->server->public_url);
      g_assert_true (g_str_has_suffix (fx->server->https_url, fx->server->public_url + 6));
      g_assert_cmpstr (sotto_token_get_pin (token), ==, fx->server->pin);
      g_assert_cmpint (sotto_token_get_expires_at (token) - sotto_token_get_issued_at (token), ==,
                       86400);
      /* A token is for its session only. */
      g_assert_null (sotto_token_verify (member_string (json, "token"), fx->server->api_secret,
                                         other, now, &error));
      g_assert_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_WRONG_SESSION);
    }

  {
    g_autoptr (JsonNode) json = NULL;
    g_autoptr (SottoToken) token = NULL;
    g_autoptr (GError) error = NULL;

    g_assert_cmpuint (sotto_test_server_request (fx->server, "POST", tokens_path,
                                                 "{\"role\":\"publisher\",\"expire_in\":60}",
                                                 fx->auth, &json), ==, 201);
    token = sotto_token_verify (member_string (json, "token"), fx->server->api_secret, session,
                                now, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sotto_token_get_expires_at (token) - sotto_token_get_issued_at (token), ==,
                     60);
    g_assert_null (sotto_token_get_data (token));
  }

  {
    g_autofree char *path = g_strconcat ("/v1/sessions/", session, NULL);
    g_autoptr (JsonNode) json = NULL;
    JsonObject *obj;

    g_assert_cmpuint (sotto_test_server_request (fx->server, "GET", path, NULL, fx->auth, &json),
                      ==, 200);
    obj = json_node_get_object (json);
    g_assert_cmpstr (json_object_get_string_member (obj, "session_id"), ==, session);
    g_assert_cmpint (json_object_get_int_member (obj, "max_participants"), ==, 4);
    g_assert_false (json_object_get_boolean_member (obj, "ended"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "connections")),
                      ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "streams")), ==,
                      0);
    g_assert_true (json_object_has_member (obj, "totals"));
  }
  {
    g_autofree char *path = g_strconcat ("/v1/sessions/", other, NULL);
    g_autoptr (JsonNode) json = NULL;

    g_assert_cmpuint (sotto_test_server_request (fx->server, "GET", path, NULL, fx->auth, &json),
                      ==, 200);
    /* No limit asked: the server default (100). */
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "max_participants"),
                     ==, 100);
  }
}

static void
test_bad_requests (Fixture      *fx,
                   gconstpointer data)
{
  g_autofree char *session = create_session (fx, NULL);
  g_autofree char *tokens = g_strdup_printf ("/v1/sessions/%s/tokens", session);
  g_autofree char *long_data = g_strnfill (1001, 'x');
  g_autofree char *long_body = g_strdup_printf ("{\"role\":\"publisher\",\"data\":\"%s\"}",
                                                long_data);
  g_autofree char *huge = g_strnfill (70000, ' ');
  const char *a = fx->auth;

  assert_error (fx, "POST", "/v1/sessions", "{\"max_participants\":0}", a, 400,
                "invalid_max_participants");
  assert_error (fx, "POST", "/v1/sessions", "{\"max_participants\":\"4\"}", a, 400,
                "invalid_max_participants");
  assert_error (fx, "POST", "/v1/sessions", "{\"max_participants\":10001}", a, 400,
                "invalid_max_participants");
  assert_error (fx, "POST", "/v1/sessions", "{not json", a, 400, "invalid_json");
  assert_error (fx, "POST", "/v1/sessions", "[1,2]", a, 400, "invalid_json");
  assert_error (fx, "POST", "/v1/sessions", "{\"max_participants\":2,\"max_participants\":3}", a,
                400, "invalid_json");
  assert_error (fx, "POST", "/v1/sessions", huge, a, 413, "payload_too_large");
  assert_error (fx, "PUT", "/v1/sessions", NULL, a, 405, "method_not_allowed");

  assert_error (fx, "POST", tokens, "{}", a, 400, "invalid_role");
  assert_error (fx, "POST", tokens, "{\"role\":\"admin\"}", a, 400, "invalid_role");
  assert_error (fx, "POST", tokens, "{\"role\":3}", a, 400, "invalid_role");
  assert_error (fx, "POST", tokens, "{\"role\":\"publisher\",\"expire_in\":2592001}", a, 400,
                "invalid_expire_in");
  assert_error (fx, "POST", tokens, "{\"role\":\"publisher\",\"expire_in\":0}", a, 400,
                "invalid_expire_in");
  assert_error (fx, "POST", tokens, "{\"role\":\"publisher\",\"expire_in\":1.5}", a, 400,
                "invalid_expire_in");
  assert_error (fx, "POST", tokens, long_body, a, 400, "invalid_data");
  assert_error (fx, "GET", tokens, NULL, a, 405, "method_not_allowed");

  assert_error (fx, "POST", "/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA/tokens", "{\"role\":\"publisher\"}",
                a, 404, "session_not_found");
  assert_error (fx, "GET", "/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA", NULL, a, 404,
                "session_not_found");
  assert_error (fx, "GET", "/v1/sessions/bad.id", NULL, a, 404, "session_not_found");
  assert_error (fx, "GET", "/v1/sessions/bad%2Fid", NULL, a, 404, "not_found");
  assert_error (fx, "GET", "/v1/sessions/x/y/z/w/v", NULL, a, 404, "not_found");
  assert_error (fx, "GET", "/", NULL, NULL, 404, "not_found");
}

static void
test_moderation_targets (Fixture      *fx,
                         gconstpointer data)
{
  g_autofree char *session = create_session (fx, NULL);
  g_autofree char *disconnect = g_strdup_printf ("/v1/sessions/%s/connections/c1/disconnect",
                                                 session);
  g_autofree char *unpublish = g_strdup_printf ("/v1/sessions/%s/streams/s1/unpublish", session);

  /* Nobody is connected: both actions name targets that do not exist. */
  assert_error (fx, "POST", disconnect, "{\"reason\":\"spam\"}", fx->auth, 404,
                "connection_not_found");
  assert_error (fx, "POST", unpublish, NULL, fx->auth, 404, "stream_not_found");
  assert_error (fx, "POST", "/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA/connections/c1/disconnect", NULL,
                fx->auth, 404, "session_not_found");
  assert_error (fx, "POST", disconnect, "{\"reason\":7}", fx->auth, 400, "invalid_reason");
  assert_error (fx, "GET", unpublish, NULL, fx->auth, 405, "method_not_allowed");
}

static void
test_end_session (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *session = create_session (fx, NULL);
  g_autofree char *path = g_strconcat ("/v1/sessions/", session, NULL);
  g_autofree char *tokens = g_strconcat (path, "/tokens", NULL);
  g_autoptr (JsonNode) json = NULL;

  g_assert_cmpuint (sotto_test_server_request (fx->server, "DELETE", path, NULL, fx->auth, &json),
                    ==, 204);
  g_assert_null (json);
  /* Ending is idempotent; an ended session gets no new tokens. */
  g_assert_cmpuint (sotto_test_server_request (fx->server, "DELETE", path, NULL, fx->auth, NULL),
                    ==, 204);
  assert_error (fx, "POST", tokens, "{\"role\":\"publisher\"}", fx->auth, 410, "session_ended");
  g_assert_cmpuint (sotto_test_server_request (fx->server, "GET", path, NULL, fx->auth, &json),
                    ==, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (json), "ended"));
  assert_error (fx, "DELETE", "/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA", NULL, fx->auth, 404,
                "session_not_found");
}

/* The listener speaks TLS only: a plaintext HTTP request gets no HTTP. */
static void
test_no_plaintext (Fixture      *fx,
                   gconstpointer data)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  const char *host_port = fx->server->https_url + strlen ("https://");
  const char request[] = "GET /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  char reply[256] = { 0 };
  gssize n;

  g_socket_client_set_timeout (client, 5);
  conn = g_socket_client_connect_to_host (client, host_port, 0, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                             sizeof request - 1, NULL, NULL, &error);
  g_assert_no_error (error);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), reply,
                           sizeof reply - 1, NULL, NULL);
  g_assert_false (n >= 5 && g_str_has_prefix (reply, "HTTP/"));
}

static gboolean
on_accept_pin (SoupMessage         *msg,
               GTlsCertificate     *certificate,
               GTlsCertificateFlags errors,
               gpointer             expected_pin)
{
  g_autofree char *pin = sotto_test_certificate_pin (certificate);

  return g_strcmp0 (pin, expected_pin) == 0;
}

/* POSTs /v1/sessions on a fresh connection; `pin` NULL means no pin
 * handler (plain CA validation). Returns the status, 0 on a TLS error. */
static guint
post_with_pin (Fixture    *fx,
               const char *pin)
{
  g_autofree char *url = g_strconcat (fx->server->https_url, "/v1/sessions", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  if (pin != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_pin), (gpointer) pin);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                fx->auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (error != NULL)
    {
      g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
      return 0;
    }
  return soup_message_get_status (msg);
}

/* The client trusts the self-signed certificate by its pin and only by it. */
static void
test_pin_is_checked (Fixture      *fx,
                     gconstpointer data)
{
  g_autofree char *wrong = g_strdup (fx->server->pin);

  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  g_assert_cmpuint (post_with_pin (fx, NULL), ==, 0);
  g_assert_cmpuint (post_with_pin (fx, wrong), ==, 0);
  g_assert_cmpuint (post_with_pin (fx, fx->server->pin), ==, 201);
}

/* kill -9 right after acknowledgements: every acknowledged write survives. */
static void
test_kill_restart (Fixture      *fx,
                   gconstpointer data)
{
  g_autoptr (GPtrArray) sessions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ended = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *state_dir = g_strdup (fx->server->state_dir);
  SottoTestServer *restarted;
  gsize i;

  for (i = 0; i < 8; i++)
    {
      char *id = create_session (fx, "{\"max_participants\": 3}");

      if (i % 4 == 0)
        {
          g_autofree char *path = g_strconcat ("/v1/sessions/", id, NULL);

          g_assert_cmpuint (sotto_test_server_request (fx->server, "DELETE", path, NULL, fx->auth,
                                                       NULL), ==, 204);
          g_ptr_array_add (ended, id);
        }
      else
        g_ptr_array_add (sessions, id);
    }
  sotto_test_server_kill (fx->server);

  restarted = sotto_test_server_start (SOTTO_SERVER_BIN, state_dir, NULL);
  /* Same deployment: same credentials and pin. */
  g_assert_cmpstr (restarted->pin, ==, fx->server->pin);
  g_assert_cmpstr (restarted->api_key, ==, fx->server->api_key);
  for (i = 0; i < sessions->len + ended->len; i++)
    {
      gboolean is_ended = i >= sessions->len;
      const char *id = is_ended ? ended->pdata[i - sessions->len] : sessions->pdata[i];
      g_autofree char *path = g_strconcat ("/v1/sessions/", id, NULL);
      g_autoptr (JsonNode) json = NULL;
      JsonObject *obj;

      g_assert_cmpuint (sotto_test_server_request (restarted, "GET", path, NULL, fx->auth, &json),
                        ==, 200);
      obj = json_node_get_object (json);
      g_assert_cmpint (json_object_get_int_member (obj, "max_participants"), ==, 3);
      g_assert_cmpint (json_object_get_boolean_member (obj, "ended"), ==, is_ended);
    }

  /* The fixture stops and frees the restarted server; the killed one owns
   * the directory, so hand it over. */
  restarted->owns_state_dir = fx->server->owns_state_dir;
  fx->server->owns_state_dir = FALSE;
  sotto_test_server_free (fx->server);
  fx->server = restarted;
}


static char *
mint_via_rest (SottoTestServer *server,
               const char      *auth,
               const char      *session,
               const char      *role)
{
  g_autofree char *path = g_strdup_printf ("/v1/sessions/%s/tokens", session);
  g_autofree char *body = g_strdup_printf ("{\"role\":\"%s\"}", role);
  g_autoptr (JsonNode) json = NULL;

  g_assert_cmpuint (sotto_test_server_request (server, "POST", path, body, auth, &json), ==, 201);
  return g_strdup (member_string (json, "token"));
}

/* With debug logging on, the server's log holds no token, credential or
 * secret, while it does log the requests (so the check can fail). */
static void
test_logs_hold_no_secrets (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *log_dir = g_dir_make_tmp ("sotto-log-XXXXXX", &error);
  g_autofree char *log_path = g_build_filename (log_dir, "server.log", NULL);
  const char *env[] = { "G_MESSAGES_DEBUG=all", NULL };
  g_autoptr (GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *log = NULL;
  g_autofree char *secret_text = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *session = NULL;
  g_autofree char *session_path = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *wrong_auth = NULL;
  SottoTestServer *server;
  guint i;

  server = sotto_test_server_start_full (SOTTO_SERVER_BIN, NULL, NULL, env, log_path);
  auth = sotto_test_server_auth (server);
  {
    g_autoptr (JsonNode) json = NULL;

    g_assert_cmpuint (sotto_test_server_request (server, "POST", "/v1/sessions", NULL, auth,
                                                 &json), ==, 201);
    session = g_strdup (member_string (json, "session_id"));
  }
  g_ptr_array_add (needles, mint_via_rest (server, auth, session, "moderator"));
  g_ptr_array_add (needles, mint_via_rest (server, auth, session, "subscriber"));
  /* A wrong credential whose signature part must not be echoed either. */
  wrong_auth = g_strconcat (auth, "x", NULL);
  session_path = g_strconcat ("/v1/sessions/", session, NULL);
  g_assert_cmpuint (sotto_test_server_request (server, "GET", session_path, NULL, wrong_auth,
                                               NULL), ==, 401);
  g_assert_cmpuint (sotto_test_server_request (server, "DELETE", session_path, NULL, auth, NULL),
                    ==, 204);

  secret_path = g_build_filename (server->state_dir, "api-secret", NULL);
  g_file_get_contents (secret_path, &secret_text, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (secret_text);
  g_assert_cmpint (sotto_test_server_stop (server), ==, 0);
  sotto_test_server_free (server);

  g_ptr_array_add (needles, g_strdup (auth + strlen ("Bearer ")));
  g_ptr_array_add (needles, g_strdup (strrchr (auth, '.') + 1));
  g_ptr_array_add (needles, g_strdup (strrchr (wrong_auth, '.') + 1));
  g_ptr_array_add (needles, g_strdup (secret_text));

  g_file_get_contents (log_path, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "Listening on https://127.0.0.1:"));
  g_assert_nonnull (strstr (log, "POST /v1/sessions"));
  for (i = 0; i < needles->len; i++)
    {
      const char *needle = needles->pdata[i];
      const char *sig = strrchr (needle, '.');

      g_assert_null (strstr (log, needle));
      /* A token's signature alone would be a leak too. */
      if (sig != NULL)
        g_assert_null (strstr (log, sig + 1));
    }
  g_remove (log_path);
  g_rmdir (log_dir);
}

/* --tls-cert/--tls-key: the server serves that certificate, and tokens pin
 * it; --public-url: tokens carry that URL. */
static void
test_real_certificate (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *other_dir = g_dir_make_tmp ("sotto-cert-XXXXXX", &error);
  g_autoptr (SottoDeployment) other = NULL;
  g_autoptr (SottoToken) token = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *token_text = NULL;
  g_autofree char *session = NULL;
  SottoTestServer *server;
  const char *args[7];

  /* Another deployment's generated pair stands in for a CA-issued one. */
  other = sotto_deployment_create (other_dir, "wss://calls.example.test:8443", FALSE, &error);
  g_assert_no_error (error);
  args[0] = "--tls-cert";
  args[1] = sotto_deployment_get_tls_cert_path (other);
  args[2] = "--tls-key";
  args[3] = sotto_deployment_get_tls_key_path (other);
  args[4] = "--public-url";
  args[5] = "wss://calls.example.test:8443";
  args[6] = NULL;

  server = sotto_test_server_start (SOTTO_SERVER_BIN, NULL, args);
  g_assert_cmpstr (server->pin, ==, sotto_deployment_get_pin (other));
  g_assert_cmpstr (server->public_url, ==, "wss://calls.example.test:8443");

  /* The harness accepts only the certificate matching the ready line's pin:
   * these requests prove the server serves the --tls-cert one. */
  auth = sotto_test_server_auth (server);
  {
    g_autoptr (JsonNode) json = NULL;

    g_assert_cmpuint (sotto_test_server_request (server, "POST", "/v1/sessions", NULL, auth,
                                                 &json), ==, 201);
    session = g_strdup (member_string (json, "session_id"));
  }
  token_text = mint_via_rest (server, auth, session, "publisher");
  token = sotto_token_verify (token_text, server->api_secret, session,
                              g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sotto_token_get_pin (token), ==, sotto_deployment_get_pin (other));
  g_assert_cmpstr (sotto_token_get_url (token), ==, "wss://calls.example.test:8443");

  g_assert_cmpint (sotto_test_server_stop_signal (server, SIGINT), ==, 0);
  sotto_test_server_free (server);
  {
    const char *names[] = { "api-key", "api-secret", "tls-cert.pem", "tls-key.pem", "public-url" };

    for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (other_dir, names[i], NULL);

        g_remove (p);
      }
    g_rmdir (other_dir);
  }
}

static int
run_serve (const char *first_arg,
           ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) SOTTO_SERVER_BIN);
  g_ptr_array_add (argv, (gpointer) "serve");
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_nonnull (strstr (err, "sotto-server:"));
  return WEXITSTATUS (wait_status);
}

static void
test_serve_usage_errors (Fixture      *fx,
                         gconstpointer data)
{
  const char *host_port = fx->server->https_url + strlen ("https://");
  const char *dir = fx->server->state_dir;

  g_assert_cmpint (run_serve ("--state-dir", dir, "--listen", "localhost:0", NULL), ==, 2);
  g_assert_cmpint (run_serve ("--state-dir", dir, "--listen", "127.0.0.1", NULL), ==, 2);
  g_assert_cmpint (run_serve ("--state-dir", dir, "--listen", "127.0.0.1:70000", NULL), ==, 2);
  g_assert_cmpint (run_serve ("--state-dir", dir, "--tls-cert", "/nonexistent.pem", NULL), ==, 2);
  g_assert_cmpint (run_serve ("--state-dir", dir, "--max-participants-default", "0", NULL), ==, 2);
  g_assert_cmpint (run_serve ("--state-dir", dir, "--listen", "127.0.0.1:0", "--public-url",
                              "http://x", NULL), ==, 1);
  g_assert_cmpint (run_serve ("--state-dir", dir, "--listen", "127.0.0.1:0", "--tls-cert",
                              "/nonexistent.pem", "--tls-key", "/nonexistent.key", NULL), ==, 1);
  /* The running server holds that port. */
  g_assert_cmpint (run_serve ("--state-dir", dir, "--listen", host_port, NULL), ==, 1);
}

static guint
count_fds (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (process));
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Connections that clients open, use and close leave nothing behind: no file
 * descriptor (libsoup 3.2 leaked idle keep-alive connections closed by the
 * client; the server closes them itself). */
static void
test_no_descriptor_leak (Fixture      *fx,
                         gconstpointer data)
{
  guint before, after, i;

  /* One connection first so one-time descriptors (database, TLS) exist. */
  g_assert_cmpuint (sotto_test_server_request (fx->server, "GET", "/", NULL, NULL, NULL), ==, 404);
  g_clear_object (&fx->server->session);
  fx->server->session = soup_session_new_with_options ("timeout", 10, NULL);
  g_usleep (200 * 1000);
  before = count_fds (fx->server->process);

  for (i = 0; i < 16; i++)
    {
      /* A fresh client each time, dropped afterwards: it closes its side. */
      g_clear_object (&fx->server->session);
      fx->server->session = soup_session_new_with_options ("timeout", 10, NULL);
      g_assert_cmpuint (sotto_test_server_request (fx->server, i % 2 ? "POST" : "GET",
                                                   "/v1/sessions", NULL,
                                                   i % 4 == 0 ? NULL : fx->auth, NULL),
                        ==, i % 4 == 0 ? 401 : (i % 2 ? 201 : 405));
    }
  g_clear_object (&fx->server->session);
  fx->server->session = soup_session_new_with_options ("timeout", 10, NULL);

  /* The server notices closed connections asynchronously: allow it a moment
   * (bounded), then compare. */
  for (i = 0; i < 50; i++)
    {
      after = count_fds (fx->server->process);
      if (after <= before + 2)
        break;
      g_usleep (100 * 1000);
    }
  g_assert_cmpuint (after, <=, before + 2);
}

typedef struct
{
  SottoTestServer *server;
  const char      *auth;
  GPtrArray       *created;  /* session ids whose 201 arrived */
  GPtrArray       *ended;    /* session ids whose DELETE got 204 */
  guint            pending;
  gboolean         killed;
} Traffic;

typedef struct
{
  Traffic *traffic;
  char    *deleting;  /* session id, for a DELETE */
} TrafficRequest;

static void send_traffic (Traffic *traffic, const char *method, const char *path,
                          const char *deleting);

static void
on_traffic_reply (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TrafficRequest *request = user_data;
  Traffic *traffic = request->traffic;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  guint status = body ? soup_message_get_status (msg) : 0;

  traffic->pending--;
  /* A reply that arrived counts as acknowledged even if the kill came
   * first: the server answers only after the commit. */
  if (status == 201)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_autoptr (JsonNode) json = json_from_string (text, NULL);
      const char *id = member_string (json, "session_id");

      g_ptr_array_add (traffic->created, g_strdup (id));
    }
  else if (status == 204)
    g_ptr_array_add (traffic->ended, g_strdup (request->deleting));

  if (!traffic->killed && traffic->created->len + traffic->ended->len >= 10)
    {
      /* SIGKILL while requests are still in flight. */
      traffic->killed = TRUE;
      g_assert_cmpuint (traffic->pending, >, 0);
      sotto_test_server_kill (traffic->server);
    }
  g_free (request->deleting);
  g_free (request);
}

static void
send_traffic (Traffic    *traffic,
              const char *method,
              const char *path,
              const char *deleting)
{
  g_autoptr (SoupMessage) msg = sotto_test_server_new_message (traffic->server, method, path,
                                                              NULL, traffic->auth);
  TrafficRequest *request = g_new0 (TrafficRequest, 1);

  request->traffic = traffic;
  request->deleting = g_strdup (deleting);
  /* libsoup would send the ends last; interleave them with the creations. */
  if (deleting != NULL)
    soup_message_set_priority (msg, SOUP_MESSAGE_PRIORITY_HIGH);
  traffic->pending++;
  soup_session_send_and_read_async (traffic->server->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_traffic_reply, request);
}

static gboolean
on_traffic_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* kill -9 in the middle of concurrent writes (session creations and ends):
 * after a restart, every write that was acknowledged is there. */
static void
test_kill_mid_traffic (Fixture      *fx,
                       gconstpointer data)
{
  g_autoptr (GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ended = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *state_dir = g_strdup (fx->server->state_dir);
  Traffic traffic = { fx->server, fx->auth, created, ended, 0, FALSE };
  gboolean timed_out = FALSE;
  SottoTestServer *restarted;
  guint timeout_id, i;

  g_autoptr (GPtrArray) existing = g_ptr_array_new_with_free_func (g_free);

  /* Sessions to end during the traffic. */
  for (i = 0; i < 5; i++)
    g_ptr_array_add (existing, create_session (fx, NULL));

  g_clear_object (&fx->server->session);
  fx->server->session = soup_session_new_with_options ("timeout", 10, "max-conns-per-host", 8,
                                                       NULL);
  /* 25 creations and 5 ends, interleaved. */
  for (i = 0; i < 30; i++)
    {
      if (i % 6 == 5)
        {
          const char *id = existing->pdata[i / 6];
          g_autofree char *path = g_strconcat ("/v1/sessions/", id, NULL);

          send_traffic (&traffic, "DELETE", path, id);
        }
      else
        send_traffic (&traffic, "POST", "/v1/sessions", NULL);
    }
  timeout_id = g_timeout_add_seconds (30, on_traffic_timeout, &timed_out);
  while (traffic.pending > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_assert_true (traffic.killed);
  /* Some requests were cut off by the kill, or the test proved nothing. */
  g_assert_cmpuint (created->len + ended->len, >=, 10);
  g_assert_cmpuint (created->len + ended->len, <, 30);
  for (i = 0; i < existing->len; i++)
    g_ptr_array_add (created, g_strdup (existing->pdata[i]));

  g_test_message ("%u creations and %u ends acknowledged before the kill", created->len,
                  ended->len);
  restarted = sotto_test_server_start (SOTTO_SERVER_BIN, state_dir, NULL);
  for (i = 0; i < created->len; i++)
    {
      const char *id = created->pdata[i];
      g_autofree char *path = g_strconcat ("/v1/sessions/", id, NULL);
      g_autoptr (JsonNode) json = NULL;
      gboolean was_ended = g_ptr_array_find_with_equal_func (ended, id, g_str_equal, NULL);

      g_assert_cmpuint (sotto_test_server_request (restarted, "GET", path, NULL, fx->auth, &json),
                        ==, 200);
      /* An acknowledged end stays ended; an unacknowledged one may or may
       * not have landed. */
      if (was_ended)
        g_assert_true (json_object_get_boolean_member (json_node_get_object (json), "ended"));
    }

  restarted->owns_state_dir = fx->server->owns_state_dir;
  fx->server->owns_state_dir = FALSE;
  sotto_test_server_free (fx->server);
  fx->server = restarted;
}

/* A client that connects and never says anything is dropped after the TLS
 * handshake timeout (shortened here), while others are served. */
static void
test_silent_client_dropped (void)
{
  const char *env[] = { "SOTTO_SERVER_HANDSHAKE_TIMEOUT_MS=300", NULL };
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *auth = NULL;
  SottoTestServer *server;
  char byte;
  gssize n;
  gint64 start;

  server = sotto_test_server_start_full (SOTTO_SERVER_BIN, NULL, NULL, env, NULL);
  g_socket_client_set_timeout (client, 5);
  conn = g_socket_client_connect_to_host (client, server->https_url + strlen ("https://"), 0,
                                          NULL, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), &byte, 1, NULL,
                           &error);
  /* End of stream (or a reset), well before the 5 s read timeout. */
  g_assert_true (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);

  auth = sotto_test_server_auth (server);
  g_assert_cmpuint (sotto_test_server_request (server, "POST", "/v1/sessions", NULL, auth, NULL),
                    ==, 201);
  g_assert_cmpint (sotto_test_server_stop (server), ==, 0);
  sotto_test_server_free (server);
}

static void
test_shared_server_stops (gconstpointer data)
{
  SottoTestServer *const *shared = data;

  g_assert_cmpint (sotto_test_server_stop (*shared), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (SottoTestServer) shared = NULL;

  g_test_init (&argc, &argv, NULL);
  shared = sotto_test_server_start (SOTTO_SERVER_BIN, NULL, NULL);

#define ADD(path, data, func) \
  g_test_add ("/sotto/server/rest/" path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("unauthorized", &shared, test_unauthorized);
  ADD ("create-and-mint", &shared, test_create_and_mint);
  ADD ("bad-requests", &shared, test_bad_requests);
  ADD ("moderation-targets", &shared, test_moderation_targets);
  ADD ("end-session", &shared, test_end_session);
  ADD ("no-plaintext", &shared, test_no_plaintext);
  ADD ("pin-is-checked", &shared, test_pin_is_checked);
  ADD ("serve-usage-errors", &shared, test_serve_usage_errors);
  ADD ("no-descriptor-leak", &shared, test_no_descriptor_leak);
  ADD ("kill-restart", NULL, test_kill_restart);
  ADD ("kill-mid-traffic", NULL, test_kill_mid_traffic);
#undef ADD
  g_test_add_func ("/sotto/server/rest/logs-hold-no-secrets", test_logs_hold_no_secrets);
  g_test_add_func ("/sotto/server/rest/real-certificate", test_real_certificate);
  g_test_add_func ("/sotto/server/rest/silent-client-dropped", test_silent_client_dropped);

  /* Last: after all that traffic, the shared server stops cleanly. */
  g_test_add_data_func ("/sotto/server/rest/shared-server-stops-cleanly", &shared,
                        test_shared_server_stops);

  return g_test_run ();
}
