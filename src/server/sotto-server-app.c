/* sotto-server-app.c: `sotto-server serve`, the running server
 *
 * One TLS listener (SottoTlsFrontend) on the default GMainContext: the
 * signaling hub at /v1/signal, and the REST API at /v1/sessions in a
 * SoupServer that only ever sees connections the front end decrypted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-server"

#include "sotto-config.h"

#include "sotto-server-app.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gnetworking.h>
#include <openssl/crypto.h>
#include <libsoup/soup.h>

#include "sotto-deployment.h"
#include "sotto-rest-api.h"
#include "sotto-server-store.h"
#include "sotto-signaling-hub.h"
#include "sotto-tls-frontend.h"

#define PURGE_INTERVAL_S             3600
/* A client gets this long to finish its TLS handshake; a connection that
 * sends nothing must not hold a descriptor forever. Tests shorten it with
 * SOTTO_SERVER_HANDSHAKE_TIMEOUT_MS. */
#define HANDSHAKE_TIMEOUT_MS_DEFAULT 30000

struct _SottoServerApp
{
  GObject parent_instance;

  SottoDeployment   *deployment;
  SottoServerStore  *store;
  SottoSignalingHub *hub;
  SottoRestApi      *rest;
  SoupServer        *server;
  SottoTlsFrontend  *frontend;
  guint              handshake_timeout_ms;
  GMainLoop         *loop;
  guint              sigint_id;
  guint              sigterm_id;
  guint              purge_id;
};

G_DEFINE_FINAL_TYPE (SottoServerApp, sotto_server_app, G_TYPE_OBJECT)

G_DEFINE_QUARK (sotto-server-app-error-quark, sotto_server_app_error)

static gboolean
on_stop_signal (gpointer user_data)
{
  SottoServerApp *self = user_data;

  g_message ("Stopping on signal");
  g_main_loop_quit (self->loop);
  return G_SOURCE_CONTINUE;
}

static void
purge_revocations (SottoServerApp *self)
{
  g_autoptr (GError) error = NULL;
  /* A revoked token stays refused by its exp check once exp + skew passed;
   * only then may its revocation go. */
  gint64 horizon = g_get_real_time () / G_USEC_PER_SEC - SOTTO_TOKEN_CLOCK_SKEW;

  if (sotto_server_store_purge_revocations (self->store, horizon, &error) < 0)
    g_warning ("%s", error->message);
}

static gboolean
on_purge_timeout (gpointer user_data)
{
  purge_revocations (user_data);
  return G_SOURCE_CONTINUE;
}

static void
sotto_server_app_dispose (GObject *object)
{
  SottoServerApp *self = SOTTO_SERVER_APP (object);

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->purge_id, g_source_remove);
  if (self->frontend != NULL)
    sotto_tls_frontend_stop (self->frontend);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  /* The server's handlers point at the REST API and the hub: drop the
   * server first. */
  g_clear_object (&self->server);
  g_clear_object (&self->rest);
  g_clear_object (&self->hub);
  g_clear_object (&self->frontend);
  g_clear_object (&self->store);
  g_clear_object (&self->deployment);
  g_clear_pointer (&self->loop, g_main_loop_unref);

  G_OBJECT_CLASS (sotto_server_app_parent_class)->dispose (object);
}

static void
sotto_server_app_class_init (SottoServerAppClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sotto_server_app_dispose;
}

static void
sotto_server_app_init (SottoServerApp *self)
{
  const char *timeout = g_getenv ("SOTTO_SERVER_HANDSHAKE_TIMEOUT_MS");

  self->handshake_timeout_ms = HANDSHAKE_TIMEOUT_MS_DEFAULT;
  if (timeout != NULL && g_ascii_strtoull (timeout, NULL, 10) > 0)
    self->handshake_timeout_ms = (guint) MIN (g_ascii_strtoull (timeout, NULL, 10), G_MAXUINT);
}

/* "ADDR:PORT", "[V6ADDR]:PORT"; the address must be a literal IP so that
 * `serve` never listens somewhere a resolver chose. */
static GSocketAddress *
parse_listen (const char *listen,
              GError    **error)
{
  g_autoptr (GInetAddress) addr = NULL;
  g_autofree char *host = NULL;
  const char *colon;
  guint64 port = 0;
  char *end = NULL;

  colon = listen ? strrchr (listen, ':') : NULL;
  if (colon == NULL || colon == listen)
    goto bad;
  if (listen[0] == '[')
    {
      if (colon[-1] != ']')
        goto bad;
      host = g_strndup (listen + 1, (gsize) (colon - listen - 2));
    }
  else
    host = g_strndup (listen, (gsize) (colon - listen));

  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || port > 65535)
    goto bad;
  addr = g_inet_address_new_from_string (host);
  if (addr == NULL)
    goto bad;
  return g_inet_socket_address_new (addr, (guint16) port);

bad:
  g_set_error (error, SOTTO_SERVER_APP_ERROR, SOTTO_SERVER_APP_ERROR_BAD_LISTEN,
               _("--listen must be ADDR:PORT with a literal IP address, e.g. 127.0.0.1:8443 or "
                 "[::1]:0"));
  return NULL;
}

static char *
format_host_port (GInetSocketAddress *address)
{
  g_autofree char *ip = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  guint16 port = g_inet_socket_address_get_port (address);

  if (g_inet_address_get_family (g_inet_socket_address_get_address (address))
      == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", ip, port);
  return g_strdup_printf ("%s:%u", ip, port);
}

int
sotto_server_app_run (int    argc,
                      char **argv)
{
  g_autoptr (SottoServerApp) self = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketAddress) listen_address = NULL;
  g_autoptr (GInetSocketAddress) bound = NULL;
  g_autofree char *state_dir_opt = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *turn_secret = NULL;
  g_autofree char *turn_url = NULL;
  g_autofree char *host_port = NULL;
  g_autofree char *effective_url = NULL;
  int max_participants_default = SOTTO_SERVER_DEFAULT_MAX_PARTICIPANTS_DEFAULT;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir_opt,
      N_("State directory, created if missing (default: $XDG_STATE_HOME/sotto-server)"),
      N_("DIR") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on, TLS only (default 127.0.0.1:8443; port 0 picks a "
         "free port)"), N_("ADDR:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("PEM certificate (chain) to use instead of the generated one"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("PEM private key of --tls-cert"), N_("FILE") },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      N_("URL that tokens carry (default: the deployment's; with port 0, the bound "
         "address)"), N_("wss://HOST:PORT") },
    { "turn-secret", 0, 0, G_OPTION_ARG_STRING, &turn_secret,
      N_("Shared secret of a TURN server (coturn use-auth-secret); better: the "
         "SOTTO_TURN_SECRET environment variable, which other users cannot see"),
      N_("SECRET") },
    { "turn-url", 0, 0, G_OPTION_ARG_STRING, &turn_url,
      N_("TURN server URL, e.g. turn:turn.example.org:3478"), N_("URL") },
    { "max-participants-default", 0, 0, G_OPTION_ARG_INT, &max_participants_default,
      N_("Participant limit of sessions created without one (default 100)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Run the session server: REST API at /v1/sessions and "
                                  "WebSocket signaling at /v1/signal, over TLS only."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 1)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("sotto-server: %s\n\n%s", error ? error->message : _("Unexpected argument"),
                  help);
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("sotto-server: %s\n", _("--tls-cert and --tls-key go together"));
      return 2;
    }
  /* A command line is world-readable in /proc; the environment is not. */
  if (turn_secret == NULL && g_getenv ("SOTTO_TURN_SECRET") != NULL
      && *g_getenv ("SOTTO_TURN_SECRET") != '\0')
    turn_secret = g_strdup (g_getenv ("SOTTO_TURN_SECRET"));
  if ((turn_secret == NULL) != (turn_url == NULL))
    {
      g_printerr ("sotto-server: %s\n", _("--turn-secret and --turn-url go together"));
      return 2;
    }
  if (max_participants_default < 1 || max_participants_default > 10000)
    {
      g_printerr ("sotto-server: %s\n", _("--max-participants-default must be 1 to 10000"));
      return 2;
    }
  listen_address = parse_listen (listen ? listen : SOTTO_SERVER_DEFAULT_LISTEN, &error);
  if (listen_address == NULL)
    {
      g_printerr ("sotto-server: %s\n", error->message);
      return 2;
    }

  /* stdout carries only the ready line; every log goes to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  self = g_object_new (SOTTO_TYPE_SERVER_APP, NULL);
  state_dir = state_dir_opt ? g_canonicalize_filename (state_dir_opt, NULL)
                            : sotto_deployment_default_state_dir ();
  self->deployment = sotto_deployment_load_or_init (state_dir, &error);
  if (self->deployment == NULL
      || (tls_cert && !sotto_deployment_set_tls_files (self->deployment, tls_cert, tls_key, &error))
      || (public_url && !sotto_deployment_set_public_url (self->deployment, public_url, &error)))
    goto failed;
  if (turn_secret != NULL)
    {
      sotto_deployment_set_turn (self->deployment, turn_secret, turn_url);
      OPENSSL_cleanse (turn_secret, strlen (turn_secret));
    }

  self->store = sotto_server_store_open (sotto_deployment_get_database_path (self->deployment),
                                         &error);
  if (self->store == NULL)
    goto failed;
  purge_revocations (self);

  /* TLS is done before libsoup sees a byte: the SoupServer has no
   * certificate and no listener of its own. */
  self->server = soup_server_new ("server-header", "sotto-server", NULL);
  self->frontend = sotto_tls_frontend_new (sotto_deployment_get_tls_cert_path (self->deployment),
                                           sotto_deployment_get_tls_key_path (self->deployment),
                                           SOTTO_SIGNAL_PATH, SOTTO_SIGNAL_HARD_MAX_MESSAGE_SIZE,
                                           self->server, &error);
  if (self->frontend == NULL)
    goto failed;
  sotto_tls_frontend_set_handshake_timeout (self->frontend, self->handshake_timeout_ms);
  bound = sotto_tls_frontend_listen (self->frontend, listen_address, &error);
  if (bound == NULL)
    {
      g_autoptr (GError) listen_error = g_steal_pointer (&error);

      g_set_error (&error, SOTTO_SERVER_APP_ERROR, SOTTO_SERVER_APP_ERROR_LISTEN,
                   _("Cannot listen on %s: %s"), listen ? listen : SOTTO_SERVER_DEFAULT_LISTEN,
                   listen_error->message);
      goto failed;
    }
  host_port = format_host_port (bound);

  /* A deployment's stored URL cannot name a port picked at random: with
   * port 0, tokens point at the bound address unless --public-url says. */
  if (public_url == NULL
      && g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (listen_address)) == 0)
    {
      effective_url = g_strconcat ("wss://", host_port, NULL);
      if (!sotto_deployment_set_public_url (self->deployment, effective_url, &error))
        goto failed;
    }

  self->hub = sotto_signaling_hub_new (self->store, self->deployment,
                                       (guint) max_participants_default);
  sotto_signaling_hub_attach (self->hub, self->frontend);
  self->rest = sotto_rest_api_new (self->deployment, self->store, self->hub,
                                   (guint) max_participants_default);
  sotto_rest_api_attach (self->rest, self->server);

  self->loop = g_main_loop_new (NULL, FALSE);
  self->sigint_id = g_unix_signal_add (SIGINT, on_stop_signal, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_stop_signal, self);
  self->purge_id = g_timeout_add_seconds (PURGE_INTERVAL_S, on_purge_timeout, self);

  /* The one machine-readable stdout line (see sotto-server-app.h). */
  printf (SOTTO_SERVER_READY_PREFIX "https=https://%s public-url=%s pin=%s\n", host_port,
          sotto_deployment_get_public_url (self->deployment),
          sotto_deployment_get_pin (self->deployment));
  fflush (stdout);
  g_message ("Listening on https://%s (state directory %s)", host_port, state_dir);

  g_main_loop_run (self->loop);

  /* Stop accepting, close every connection (the hub says goodbye to each
   * signaling socket), then let the main context run the callbacks that
   * release them (bounded: a stuck peer must not block the exit). */
  sotto_tls_frontend_stop (self->frontend);
  soup_server_disconnect (self->server);
  g_clear_object (&self->rest);
  g_clear_object (&self->hub);
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_message ("Stopped");
  return 0;

failed:
  g_printerr ("sotto-server: %s\n", error->message);
  return 1;
}
