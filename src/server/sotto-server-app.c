/* sotto-server-app.c: `sotto-server serve`, the running server
 *
 * One SoupServer, TLS only, on the default GMainContext: the REST API at
 * /v1/sessions and the signaling hub at /v1/signal.
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

#define PURGE_INTERVAL_S             3600
/* A client gets this long to finish its TLS handshake; a connection that
 * sends nothing must not hold a descriptor forever. Tests shorten it with
 * SOTTO_SERVER_HANDSHAKE_TIMEOUT_MS. */
#define HANDSHAKE_TIMEOUT_MS_DEFAULT 30000

/* A TLS handshake in progress, before libsoup gets the connection. */
typedef struct
{
  SottoServerApp *app;          /* NULL once the app has gone */
  GIOStream      *tls;
  GSocketAddress *local;
  GSocketAddress *remote;
  GCancellable   *cancellable;
  guint           timeout_id;
} PendingHandshake;

struct _SottoServerApp
{
  GObject parent_instance;

  SottoDeployment   *deployment;
  SottoServerStore  *store;
  SottoSignalingHub *hub;
  SottoRestApi      *rest;
  SoupServer        *server;
  GSocketListener   *listener;
  GCancellable      *accept_cancellable;
  GTlsCertificate   *certificate;
  guint              accept_retry_id;
  GHashTable        *handshakes;      /* set of PendingHandshake */
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

/* The server accepts TCP connections itself, wraps each in TLS and hands
 * the TLS stream to libsoup (soup_server_accept_iostream) instead of using
 * soup_server_listen: libsoup 3.2 keeps a reference to the GSocket of every
 * connection it accepts, and when a client closes an idle keep-alive
 * connection the descriptor stays open too, so a long-running server would
 * run out of descriptors (tests/integration/test-rest.c, no-descriptor-leak,
 * checks it). There is still exactly one listener, TLS only. */
static void accept_next (SottoServerApp *self);

static gboolean
on_accept_retry (gpointer user_data)
{
  SottoServerApp *self = user_data;

  self->accept_retry_id = 0;
  accept_next (self);
  return G_SOURCE_REMOVE;
}

static void
pending_handshake_free (PendingHandshake *pending)
{
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  g_clear_object (&pending->tls);
  g_clear_object (&pending->local);
  g_clear_object (&pending->remote);
  g_clear_object (&pending->cancellable);
  g_free (pending);
}

static gboolean
on_handshake_timeout (gpointer user_data)
{
  PendingHandshake *pending = user_data;

  pending->timeout_id = 0;
  g_cancellable_cancel (pending->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PendingHandshake *pending = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    g_debug ("TLS handshake failed: %s", error->message);
  else if (pending->app != NULL
           && !soup_server_accept_iostream (pending->app->server, pending->tls, pending->local,
                                            pending->remote, &error))
    g_debug ("libsoup refused a connection: %s", error->message);

  if (pending->app != NULL)
    g_hash_table_remove (pending->app->handshakes, pending);
  /* Unless libsoup took it, dropping the last reference closes it. */
  pending_handshake_free (pending);
}

static void
cancel_handshakes (SottoServerApp *self)
{
  GHashTableIter iter;
  PendingHandshake *pending;

  g_hash_table_iter_init (&iter, self->handshakes);
  while (g_hash_table_iter_next (&iter, (gpointer *) &pending, NULL))
    g_cancellable_cancel (pending->cancellable);
}

static void
on_accepted (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SottoServerApp *self = user_data;
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GSocketAddress) local = NULL;
  g_autoptr (GSocketAddress) remote = NULL;
  g_autoptr (GError) error = NULL;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;  /* stopping; `self` may be finalizing */
      /* Out of descriptors, say: back off instead of spinning. */
      g_warning ("Cannot accept a connection: %s", error->message);
      self->accept_retry_id = g_timeout_add (100, on_accept_retry, self);
      return;
    }

  /* Signaling messages are small and latency-bound: no Nagle delay. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY,
                       TRUE, NULL);
  local = g_socket_connection_get_local_address (connection, NULL);
  remote = g_socket_connection_get_remote_address (connection, NULL);
  /* Built by hand rather than with g_tls_server_connection_new(): given no
   * database at construction, glib-networking 2.74 loads the system CA store
   * for every connection (about 38 ms and 3.8 MB each). A server that asks
   * for no client certificate needs none. */
  tls = g_initable_new (g_tls_backend_get_server_connection_type (g_tls_backend_get_default ()),
                        NULL, &error,
                        "base-io-stream", connection,
                        "certificate", self->certificate,
                        "database", NULL,
                        NULL);
  if (tls == NULL || local == NULL || remote == NULL)
    g_debug ("Dropped a connection: %s", error ? error->message : "no address");
  else
    {
      PendingHandshake *pending = g_new0 (PendingHandshake, 1);

      /* Browsers and libsoup close without close_notify; that is not an
       * attack on HTTP, whose messages carry their own lengths. */
      g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
      pending->app = self;
      pending->tls = g_steal_pointer (&tls);
      pending->local = g_steal_pointer (&local);
      pending->remote = g_steal_pointer (&remote);
      pending->cancellable = g_cancellable_new ();
      pending->timeout_id = g_timeout_add (self->handshake_timeout_ms, on_handshake_timeout,
                                           pending);
      g_hash_table_add (self->handshakes, pending);
      g_tls_connection_handshake_async (G_TLS_CONNECTION (pending->tls), G_PRIORITY_DEFAULT,
                                        pending->cancellable, on_handshake_done, pending);
    }

  accept_next (self);
}

static void
accept_next (SottoServerApp *self)
{
  g_socket_listener_accept_async (self->listener, self->accept_cancellable, on_accepted, self);
}

/* Binds `address` (port 0: any free one) and returns the bound address. */
static GInetSocketAddress *
listen_tls (SottoServerApp *self,
            GSocketAddress *address,
            GError        **error)
{
  GSocketAddress *bound = NULL;

  self->listener = g_socket_listener_new ();
  self->accept_cancellable = g_cancellable_new ();
  if (!g_socket_listener_add_address (self->listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, error))
    return NULL;
  accept_next (self);
  return G_INET_SOCKET_ADDRESS (bound);
}

static gboolean
on_stop_wait_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
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
  g_clear_handle_id (&self->accept_retry_id, g_source_remove);
  if (self->accept_cancellable != NULL)
    g_cancellable_cancel (self->accept_cancellable);
  if (self->listener != NULL)
    g_socket_listener_close (self->listener);
  g_clear_object (&self->listener);
  g_clear_object (&self->accept_cancellable);
  if (self->handshakes != NULL)
    {
      GHashTableIter iter;
      PendingHandshake *pending;

      /* Their callbacks may still run: they free themselves. */
      g_hash_table_iter_init (&iter, self->handshakes);
      while (g_hash_table_iter_next (&iter, (gpointer *) &pending, NULL))
        {
          pending->app = NULL;
          g_cancellable_cancel (pending->cancellable);
        }
      g_clear_pointer (&self->handshakes, g_hash_table_unref);
    }
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  /* The server's handlers point at the REST API and the hub: drop the
   * server first. */
  g_clear_object (&self->server);
  g_clear_object (&self->rest);
  g_clear_object (&self->hub);
  g_clear_object (&self->store);
  g_clear_object (&self->deployment);
  g_clear_object (&self->certificate);
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

  self->handshakes = g_hash_table_new (NULL, NULL);
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

  self->certificate = sotto_deployment_load_tls_certificate (self->deployment, &error);
  if (self->certificate == NULL)
    goto failed;
  self->store = sotto_server_store_open (sotto_deployment_get_database_path (self->deployment),
                                         &error);
  if (self->store == NULL)
    goto failed;
  purge_revocations (self);

  /* TLS is done before libsoup sees a byte (see listen_tls): the server
   * itself has no certificate and no listener of its own. */
  self->server = soup_server_new ("server-header", "sotto-server", NULL);
  bound = listen_tls (self, listen_address, &error);
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
  sotto_signaling_hub_attach (self->hub, self->server);
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

  /* Stop accepting, close every connection, then let the main context run
   * the callbacks that release them (bounded: a stuck peer must not block
   * the exit). */
  g_cancellable_cancel (self->accept_cancellable);
  g_socket_listener_close (self->listener);
  cancel_handshakes (self);
  soup_server_disconnect (self->server);
  {
    /* Cancelled handshakes finish on GnuTLS threads: wait for them, at most
     * two seconds. */
    gboolean waited_enough = FALSE;
    guint id = g_timeout_add (2000, on_stop_wait_timeout, &waited_enough);

    while (g_hash_table_size (self->handshakes) > 0 && !waited_enough)
      g_main_context_iteration (NULL, TRUE);
    if (!waited_enough)
      g_source_remove (id);
  }
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_message ("Stopped");
  return 0;

failed:
  g_printerr ("sotto-server: %s\n", error->message);
  return 1;
}
