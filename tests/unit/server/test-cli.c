/* test-cli.c: sotto-server init, create-session, mint-token, api-token
 *
 * Runs the real executable in a temporary state directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sotto-api-credential.h"
#include "sotto-deployment.h"
#include "sotto-token.h"

typedef struct
{
  char    *state_dir;
  /* Every byte any command printed, to check the secret never appears. */
  GString *all_output;
} Fixture;

typedef struct
{
  int   status;  /* exit status, or -1 if killed */
  char *out;
  char *err;
} RunResult;

static void
run_result_clear (RunResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs `sotto-server ARGS... --state-dir DIR` (the state dir is appended
 * unless `with_state_dir` is FALSE). */
static RunResult
run (Fixture    *fx,
     gboolean    with_state_dir,
     const char *first_arg,
     ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  RunResult r = { -1, NULL, NULL };
  const char *bin = SOTTO_SERVER_BIN;
  int wait_status = 0;
  const char *arg;
  va_list ap;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  va_start (ap, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  if (with_state_dir)
    {
      g_ptr_array_add (argv, (gpointer) "--state-dir");
      g_ptr_array_add (argv, fx->state_dir);
    }
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                &wait_status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (wait_status))
    r.status = WEXITSTATUS (wait_status);
  g_string_append (fx->all_output, r.out);
  g_string_append (fx->all_output, r.err);
  return r;
}

static char *
read_file (Fixture    *fx,
           const char *name)
{
  g_autofree char *path = g_build_filename (fx->state_dir, name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static guint
file_mode (Fixture    *fx,
           const char *name)
{
  g_autofree char *path = g_build_filename (fx->state_dir, name, NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* The API secret as the test reads it independently: base64url text in the
 * api-secret file, decoded to 32 bytes. */
static GBytes *
read_secret (Fixture *fx,
             char   **out_text)
{
  g_autofree char *text = read_file (fx, "api-secret");
  g_autofree char *std = NULL;
  guchar *raw;
  gsize len = 0;

  g_strchomp (text);
  g_assert_cmpuint (strlen (text), ==, 43);
  std = g_strconcat (text, "=", NULL);
  g_strdelimit (std, "-", '+');
  g_strdelimit (std, "_", '/');
  raw = g_base64_decode (std, &len);
  g_assert_cmpuint (len, ==, 32);
  if (out_text)
    *out_text = g_steal_pointer (&text);
  return g_bytes_new_take (raw, len);
}

/* The pin as the test computes it with OpenSSL from tls-cert.pem. */
static char *
compute_pin (Fixture *fx)
{
  g_autofree char *path = g_build_filename (fx->state_dir, "tls-cert.pem", NULL);
  unsigned char digest[32];
  unsigned int digest_len = 0;
  unsigned char *der = NULL;
  BIO *bio = BIO_new_file (path, "r");
  X509 *cert = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  EVP_PKEY *key;
  int der_len;

  g_assert_nonnull (cert);
  key = X509_get0_pubkey (cert);
  g_assert_cmpint (EVP_PKEY_get_base_id (key), ==, EVP_PKEY_EC);
  g_assert_cmpint (EVP_PKEY_get_bits (key), ==, 256);
  der_len = i2d_PUBKEY (key, &der);
  g_assert_cmpint (der_len, >, 0);
  g_assert_cmpint (EVP_Digest (der, (size_t) der_len, digest, &digest_len, EVP_sha256 (), NULL),
                   ==, 1);
  OPENSSL_free (der);
  X509_free (cert);
  BIO_free (bio);
  return g_base64_encode (digest, digest_len);
}

static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("sotto-cli-XXXXXX", &error);

  g_assert_no_error (error);
  /* A directory init must create, parents included. */
  fx->state_dir = g_build_filename (tmp, "state", "sotto-server", NULL);
  fx->all_output = g_string_new (NULL);
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

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *state = g_path_get_dirname (fx->state_dir);
  g_autofree char *tmp = g_path_get_dirname (state);

  remove_tree (tmp);
  g_free (fx->state_dir);
  g_string_free (fx->all_output, TRUE);
}

/* The secret in every form a careless print might use. */
static void
assert_secret_not_in (const char *haystack,
                      const char *secret_text,
                      GBytes     *secret)
{
  gsize len;
  const guint8 *raw = g_bytes_get_data (secret, &len);
  g_autofree char *std_b64 = g_base64_encode (raw, len);
  g_autoptr (GString) hex = g_string_new (NULL);
  g_autofree char *prefix = g_strndup (secret_text, 16);
  gsize i;

  for (i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", raw[i]);
  g_assert_null (strstr (haystack, secret_text));
  g_assert_null (strstr (haystack, prefix));
  g_assert_null (strstr (haystack, std_b64));
  g_assert_null (g_strstr_len (haystack, -1, hex->str));
}

static void
init_ok (Fixture    *fx,
         const char *public_url)
{
  RunResult r = public_url ? run (fx, TRUE, "init", "--public-url", public_url, NULL)
                           : run (fx, TRUE, "init", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "API key: AK"));
  run_result_clear (&r);
}

static char *
create_session (Fixture *fx)
{
  RunResult r = run (fx, TRUE, "create-session", NULL);
  char *id;

  g_assert_cmpint (r.status, ==, 0);
  id = g_strchomp (g_steal_pointer (&r.out));
  run_result_clear (&r);
  return id;
}

static void
test_init_files (Fixture      *fx,
                 gconstpointer data)
{
  g_autofree char *secret_text = NULL;
  g_autoptr (GBytes) secret = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;
  g_autofree char *db = NULL;
  RunResult r;

  init_ok (fx, NULL);

  g_assert_cmpuint (file_mode (fx, "."), ==, 0700);
  g_assert_cmpuint (file_mode (fx, "api-secret"), ==, 0600);
  g_assert_cmpuint (file_mode (fx, "tls-key.pem"), ==, 0600);
  g_assert_cmpuint (file_mode (fx, "api-key"), ==, 0600);
  g_assert_cmpuint (file_mode (fx, "tls-cert.pem"), ==, 0644);
  db = g_build_filename (fx->state_dir, "sotto.db", NULL);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  url = read_file (fx, "public-url");
  g_assert_cmpstr (url, ==, "wss://127.0.0.1:8443\n");
  key = read_file (fx, "tls-key.pem");
  g_assert_true (g_str_has_prefix (key, "-----BEGIN PRIVATE KEY-----"));
  secret = read_secret (fx, &secret_text);

  /* A second init must not silently replace the credentials. */
  r = run (fx, TRUE, "init", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "--force"));
  g_assert_cmpstr (r.out, ==, "");
  run_result_clear (&r);
  {
    g_autofree char *again = NULL;
    g_autoptr (GBytes) same = read_secret (fx, &again);

    g_assert_cmpstr (again, ==, secret_text);
  }

  r = run (fx, TRUE, "init", "--force", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_result_clear (&r);
  {
    g_autofree char *fresh = NULL;
    g_autoptr (GBytes) fresh_secret = read_secret (fx, &fresh);

    g_assert_cmpstr (fresh, !=, secret_text);
    g_assert_cmpuint (file_mode (fx, "api-secret"), ==, 0600);
    assert_secret_not_in (fx->all_output->str, fresh, fresh_secret);
  }
  assert_secret_not_in (fx->all_output->str, secret_text, secret);
}

static void
test_bad_public_url (Fixture      *fx,
                     gconstpointer data)
{
  RunResult r = run (fx, TRUE, "init", "--public-url", "https://example.test/", NULL);

  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "wss://"));
  g_assert_false (g_file_test (fx->state_dir, G_FILE_TEST_EXISTS));
  run_result_clear (&r);
}

static void
test_session_ids (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  RunResult r;

  init_ok (fx, NULL);
  a = create_session (fx);
  b = create_session (fx);
  /* 128 random bits in base64url: 22 URL-safe characters. */
  g_assert_cmpuint (strlen (a), ==, 22);
  g_assert_cmpuint (strspn (a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                    ==, 22);
  g_assert_cmpstr (a, !=, b);

  r = run (fx, TRUE, "create-session", "--max-participants", "-3", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_result_clear (&r);

  /* No deployment yet: a clear error, not a crash or an implicit init. */
  {
    g_autofree char *saved = fx->state_dir;

    fx->state_dir = g_strconcat (saved, "-missing", NULL);
    r = run (fx, TRUE, "create-session", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "init"));
    run_result_clear (&r);
    g_free (fx->state_dir);
    fx->state_dir = g_steal_pointer (&saved);
  }
}

static void
test_mint_verifies (Fixture      *fx,
                    gconstpointer data)
{
  static const char *roles[] = { "subscriber", "publisher", "moderator" };
  g_autofree char *session = NULL;
  g_autofree char *secret_text = NULL;
  g_autoptr (GBytes) secret = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *key_file = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize i;

  init_ok (fx, "wss://sotto.example.test:9443");
  session = create_session (fx);
  secret = read_secret (fx, &secret_text);
  pin = compute_pin (fx);
  key_file = g_strchomp (read_file (fx, "api-key"));

  for (i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SottoToken) token = NULL;
      RunResult r = run (fx, TRUE, "mint-token", "--session", session, "--role", roles[i],
                         "--data", "{\"seat\":3}", NULL);
      SottoRole role;

      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.err, ==, "");
      /* Only the token, on one line. */
      g_strchomp (r.out);
      g_assert_null (strchr (r.out, '\n'));
      token = sotto_token_verify (r.out, secret, session, now, &error);
      g_assert_no_error (error);
      g_assert_true (sotto_role_from_string (roles[i], &role));
      g_assert_cmpint (sotto_token_get_role (token), ==, role);
      g_assert_cmpstr (sotto_token_get_session_id (token), ==, session);
      g_assert_cmpstr (sotto_token_get_api_key (token), ==, key_file);
      g_assert_cmpstr (sotto_token_get_url (token), ==, "wss://sotto.example.test:9443");
      g_assert_cmpstr (sotto_token_get_pin (token), ==, pin);
      g_assert_cmpstr (sotto_token_get_data (token), ==, "{\"seat\":3}");
      g_assert_cmpint (sotto_token_get_expires_at (token) - sotto_token_get_issued_at (token), ==,
                       24 * 3600);
      g_assert_cmpint (ABS (sotto_token_get_issued_at (token) - now), <=, 5);
      run_result_clear (&r);
    }

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SottoToken) token = NULL;
    RunResult r = run (fx, TRUE, "mint-token", "--session", session, "--role", "publisher",
                       "--expire-in", "2592000", NULL);

    g_assert_cmpint (r.status, ==, 0);
    token = sotto_token_verify (g_strchomp (r.out), secret, session, now, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sotto_token_get_expires_at (token) - sotto_token_get_issued_at (token), ==,
                     30 * 24 * 3600);
    g_assert_null (sotto_token_get_data (token));
    run_result_clear (&r);
  }

  /* The URL override for a server listening on a port picked at start. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SottoToken) token = NULL;
    RunResult r = run (fx, TRUE, "mint-token", "--session", session, "--role", "subscriber",
                       "--public-url", "wss://127.0.0.1:40123", NULL);

    g_assert_cmpint (r.status, ==, 0);
    token = sotto_token_verify (g_strchomp (r.out), secret, session, now, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sotto_token_get_url (token), ==, "wss://127.0.0.1:40123");
    run_result_clear (&r);

    r = run (fx, TRUE, "mint-token", "--session", session, "--role", "subscriber",
             "--public-url", "http://127.0.0.1:40123", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_cmpstr (r.out, ==, "");
    run_result_clear (&r);
  }

  assert_secret_not_in (fx->all_output->str, secret_text, secret);
}

static void
test_mint_refusals (Fixture      *fx,
                    gconstpointer data)
{
  g_autofree char *session = NULL;
  g_autofree char *secret_text = NULL;
  g_autoptr (GBytes) secret = NULL;
  g_autofree char *long_data = g_strnfill (1001, 'x');
  g_autofree char *max_data = g_strnfill (1000, 'x');
  RunResult r;

  init_ok (fx, NULL);
  session = create_session (fx);
  secret = read_secret (fx, &secret_text);

  /* A session this deployment did not create. */
  r = run (fx, TRUE, "mint-token", "--session", "AAAAAAAAAAAAAAAAAAAAAA", "--role", "publisher",
           NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "create-session"));
  run_result_clear (&r);

  r = run (fx, TRUE, "mint-token", "--session", "../etc/passwd", "--role", "publisher", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  run_result_clear (&r);

  r = run (fx, TRUE, "mint-token", "--session", session, "--role", "admin", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  run_result_clear (&r);

  r = run (fx, TRUE, "mint-token", "--role", "publisher", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_result_clear (&r);

  r = run (fx, TRUE, "mint-token", "--session", session, "--role", "publisher", "--expire-in",
           "2592001", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  run_result_clear (&r);

  r = run (fx, TRUE, "mint-token", "--session", session, "--role", "publisher", "--expire-in",
           "0", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_result_clear (&r);

  r = run (fx, TRUE, "mint-token", "--session", session, "--role", "publisher", "--data",
           long_data, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "1000"));
  run_result_clear (&r);

  r = run (fx, TRUE, "mint-token", "--session", session, "--role", "publisher", "--data",
           max_data, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_result_clear (&r);

  r = run (fx, TRUE, "mint-token", "--session", session, "--role", "publisher", "extra", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_result_clear (&r);

  assert_secret_not_in (fx->all_output->str, secret_text, secret);
}

static void
test_insecure_secret_refused (Fixture      *fx,
                              gconstpointer data)
{
  g_autofree char *session = NULL;
  g_autofree char *secret_text = NULL;
  g_autoptr (GBytes) secret = NULL;
  g_autofree char *path = NULL;
  RunResult r;

  init_ok (fx, NULL);
  session = create_session (fx);
  secret = read_secret (fx, &secret_text);
  path = g_build_filename (fx->state_dir, "api-secret", NULL);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  r = run (fx, TRUE, "mint-token", "--session", session, "--role", "publisher", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "chmod 600"));
  run_result_clear (&r);

  /* A corrupt secret file: the error must not quote it. */
  g_assert_true (g_file_set_contents_full (path, "not-a-secret-but-do-not-echo-me\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  r = run (fx, TRUE, "mint-token", "--session", session, "--role", "publisher", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_null (strstr (r.err, "do-not-echo-me"));
  g_assert_nonnull (strstr (r.err, "init --force"));
  run_result_clear (&r);

  assert_secret_not_in (fx->all_output->str, secret_text, secret);
}

static void
test_api_token (Fixture      *fx,
                gconstpointer data)
{
  g_autofree char *secret_text = NULL;
  g_autoptr (GBytes) secret = NULL;
  g_autofree char *key = NULL;
  g_autofree char *header = NULL;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  RunResult r;

  init_ok (fx, NULL);
  secret = read_secret (fx, &secret_text);
  key = g_strchomp (read_file (fx, "api-key"));

  r = run (fx, TRUE, "api-token", "--expire-in", "120", NULL);
  g_assert_cmpint (r.status, ==, 0);
  header = g_strconcat ("Bearer ", g_strchomp (r.out), NULL);
  g_assert_true (sotto_api_credential_verify (header, key, secret, now, &error));
  g_assert_no_error (error);
  /* Expired two minutes (plus skew) later. */
  g_assert_false (sotto_api_credential_verify (header, key, secret, now + 120 + 61, &error));
  g_assert_error (error, SOTTO_API_CREDENTIAL_ERROR, SOTTO_API_CREDENTIAL_ERROR_EXPIRED);
  run_result_clear (&r);

  r = run (fx, TRUE, "api-token", "--expire-in", "3601", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_result_clear (&r);

  assert_secret_not_in (fx->all_output->str, secret_text, secret);
}

static void
test_usage (Fixture      *fx,
            gconstpointer data)
{
  RunResult r = run (fx, FALSE, "--version", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "sotto-server "));
  run_result_clear (&r);

  r = run (fx, FALSE, "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "mint-token"));
  run_result_clear (&r);

  r = run (fx, FALSE, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "create-session"));
  run_result_clear (&r);

  r = run (fx, FALSE, "mint-token", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--expire-in"));
  run_result_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sotto/server/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("init-files", test_init_files);
  ADD ("bad-public-url", test_bad_public_url);
  ADD ("session-ids", test_session_ids);
  ADD ("mint-verifies", test_mint_verifies);
  ADD ("mint-refusals", test_mint_refusals);
  ADD ("insecure-secret-refused", test_insecure_secret_refused);
  ADD ("api-token", test_api_token);
  ADD ("usage", test_usage);
#undef ADD

  return g_test_run ();
}
