/* sotto-tls-frontend.c: sotto-server's one TLS listener
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   accept --TLS handshake--> head --GET websocket_path, Upgrade--> SottoSignalSocket
 *                                  \--anything else--> RestBridge <-socketpair-> SoupServer
 *
 * Everything before the hand-over must finish within the handshake timeout,
 * checked by one periodic sweep rather than a timer per connection. New
 * connections live on an admission epoll set until their join is answered
 * (sotto_signal_socket_admit), so a busy server still lets people in fast.
 */
#define G_LOG_DOMAIN "sotto-server"

#include "sotto-config.h"

#include "sotto-tls-frontend.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sotto-epoll-source.h"
#include "sotto-websocket-codec.h"

#define ACCEPTS_PER_WAKEUP      64
#define ACCEPT_BACKOFF_MS       100
#define HANDSHAKE_TIMEOUT_MS    10000
#define SWEEP_PERIOD_MS         250
#define BRIDGE_CHUNK            16384
#define BRIDGE_MAX_BUFFERED     (1024 * 1024)

typedef struct
{
  SottoTlsFrontend *frontend;
  SottoEpollWatch   watch;
  int               fd;
  SSL              *ssl;
  gboolean          handshaken;
  GByteArray       *head;
  gint64            deadline;
} PendingConnection;

/* One REST connection: TLS on one side, libsoup's end of a socket pair on
 * the other, bytes copied both ways. */
typedef struct
{
  SottoTlsFrontend *frontend;
  SottoEpollWatch   tls_watch;
  int               tls_fd;
  SSL              *ssl;
  SottoEpollWatch   soup_watch;
  int               soup_fd;
  GByteArray       *to_soup;
  GByteArray       *to_client;
  gboolean          soup_done;  /* libsoup closed its end */
} RestBridge;

struct _SottoTlsFrontend
{
  GObject           parent_instance;

  SSL_CTX          *ssl_ctx;
  char             *websocket_path;
  gsize             max_message_size;
  SoupServer       *rest_server;
  GSource          *epoll_source;     /* signaling sockets once joined, REST bridges */
  GSource          *admission_source; /* listener, handshakes, sockets until they join */
  GSocket          *listener;
  SottoEpollWatch   listener_watch;
  guint             accept_backoff_id;
  guint             sweep_id;
  guint             handshake_timeout_ms;
  GHashTable       *pending;   /* PendingConnection set, owned */
  GHashTable       *bridges;   /* RestBridge set, owned */
};

enum {
  SIGNAL_WEBSOCKET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SottoTlsFrontend, sotto_tls_frontend, G_TYPE_OBJECT)

G_DEFINE_QUARK (sotto-tls-frontend-error-quark, sotto_tls_frontend_error)

/* OpenSSL's reason for the last failure, without the error queue noise. */
static char *
openssl_reason (void)
{
  unsigned long code = ERR_peek_last_error ();
  char buffer[256];

  ERR_error_string_n (code, buffer, sizeof buffer);
  ERR_clear_error ();
  return g_strdup (code != 0 ? buffer : "unknown error");
}

/* --- pending connections --- */

static void
pending_free (PendingConnection *pending)
{
  sotto_epoll_source_remove (pending->frontend->admission_source, &pending->watch);
  g_clear_pointer (&pending->ssl, SSL_free);
  if (pending->fd >= 0)
    close (pending->fd);
  g_clear_pointer (&pending->head, g_byte_array_unref);
  g_free (pending);
}

/* Best effort, then the connection is dropped: a client that cannot take
 * a few hundred bytes at once gets nothing. */
static void
pending_refuse (PendingConnection *pending,
                GBytes            *response)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (response, &len);

  ERR_clear_error ();
  if (SSL_write (pending->ssl, data, (int) len) > 0)
    SSL_shutdown (pending->ssl);
  g_hash_table_remove (pending->frontend->pending, pending);
}

static void bridge_start (SottoTlsFrontend  *self,
                          PendingConnection *pending);

static void
pending_hand_over_websocket (PendingConnection          *pending,
                             const SottoHttpRequestHead *head,
                             gsize                       head_len)
{
  SottoTlsFrontend *self = pending->frontend;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) response = sotto_websocket_handshake_response (head, &error);
  g_autoptr (SottoSignalSocket) socket = NULL;

  if (response == NULL)
    {
      g_autoptr (GBytes) refusal = sotto_http_error_response (400, "bad-request", error->message);

      pending_refuse (pending, refusal);
      return;
    }

  sotto_epoll_source_remove (self->admission_source, &pending->watch);
  socket = sotto_signal_socket_new (self->admission_source, self->epoll_source, pending->fd,
                                    pending->ssl, response,
                                    pending->head->data + head_len,
                                    pending->head->len - head_len, self->max_message_size);
  pending->fd = -1;
  pending->ssl = NULL;
  g_hash_table_remove (self->pending, pending);
  g_signal_emit (self, signals[SIGNAL_WEBSOCKET], 0, socket);
  sotto_signal_socket_start (socket);
}

static gboolean
target_is (const char *target,
           const char *path)
{
  gsize len = strlen (path);

  return strncmp (target, path, len) == 0 && (target[len] == '\0' || target[len] == '?');
}

/* Reads the request head so far; once it is complete (or cannot be one),
 * the connection leaves the pending set, one way or another. */
static void
pending_read_head (PendingConnection *pending)
{
  SottoTlsFrontend *self = pending->frontend;
  g_autoptr (SottoHttpRequestHead) head = NULL;
  g_autoptr (GError) error = NULL;
  gsize head_len = 0;

  for (;;)
    {
      guint8 chunk[4096];
      int n;

      ERR_clear_error ();
      n = SSL_read (pending->ssl, chunk, sizeof chunk);
      if (n > 0)
        {
          if (pending->head == NULL)
            pending->head = g_byte_array_sized_new ((guint) n);
          g_byte_array_append (pending->head, chunk, (guint) n);
          if (pending->head->len > 2 * SOTTO_HTTP_MAX_HEAD_SIZE)
            break;
          continue;
        }
      if (SSL_get_error (pending->ssl, n) == SSL_ERROR_WANT_READ)
        break;
      g_hash_table_remove (self->pending, pending);  /* gone before asking anything */
      return;
    }
  if (pending->head == NULL)
    return;

  head = sotto_http_request_head_parse (pending->head->data, pending->head->len, &head_len, &error);
  if (head == NULL && error == NULL)
    return;
  /* Only a well-formed upgrade stays here; libsoup answers everything
   * else, malformed or HTTP/1.0 requests included, exactly as it would
   * on its own listener. */
  if (head != NULL && sotto_http_request_head_wants_websocket (head))
    {
      if (target_is (head->target, self->websocket_path))
        pending_hand_over_websocket (pending, head, head_len);
      else
        {
          g_autoptr (GBytes) refusal = sotto_http_error_response (404, "not-found",
                                                                  "No WebSocket at this path");

          pending_refuse (pending, refusal);
        }
      return;
    }
  bridge_start (self, pending);
}

static void
on_pending_event (SottoEpollWatch *watch,
                  guint32          events,
                  gpointer         user_data)
{
  PendingConnection *pending = user_data;

  if (!pending->handshaken)
    {
      int r;

      ERR_clear_error ();
      r = SSL_do_handshake (pending->ssl);
      if (r != 1)
        {
          switch (SSL_get_error (pending->ssl, r))
            {
            case SSL_ERROR_WANT_READ:
              sotto_epoll_source_modify (pending->frontend->admission_source, watch, EPOLLIN);
              return;
            case SSL_ERROR_WANT_WRITE:
              sotto_epoll_source_modify (pending->frontend->admission_source, watch, EPOLLIN | EPOLLOUT);
              return;
            default:
              {
                g_autofree char *reason = openssl_reason ();

                g_debug ("TLS handshake failed: %s", reason);
                g_hash_table_remove (pending->frontend->pending, pending);
                return;
              }
            }
        }
      pending->handshaken = TRUE;
      g_debug ("TLS handshake done: %s, %s, key exchange %s", SSL_get_version (pending->ssl),
               SSL_get_cipher_name (pending->ssl),
               SSL_group_to_name (pending->ssl, SSL_get_negotiated_group (pending->ssl)));
      sotto_epoll_source_modify (pending->frontend->admission_source, watch, EPOLLIN);
    }
  pending_read_head (pending);
}

/* --- REST bridge --- */

static void
bridge_free (RestBridge *bridge)
{
  sotto_epoll_source_remove (bridge->frontend->epoll_source, &bridge->tls_watch);
  sotto_epoll_source_remove (bridge->frontend->epoll_source, &bridge->soup_watch);
  g_clear_pointer (&bridge->ssl, SSL_free);
  if (bridge->tls_fd >= 0)
    close (bridge->tls_fd);
  if (bridge->soup_fd >= 0)
    close (bridge->soup_fd);
  g_clear_pointer (&bridge->to_soup, g_byte_array_unref);
  g_clear_pointer (&bridge->to_client, g_byte_array_unref);
  g_free (bridge);
}

static void
bridge_append (GByteArray **buffer,
               const guint8 *data,
               gsize         len)
{
  if (*buffer == NULL)
    *buffer = g_byte_array_sized_new ((guint) len);
  g_byte_array_append (*buffer, data, (guint) len);
}

/* FALSE when the bridge must go. */
static gboolean
bridge_flush_to_soup (RestBridge *bridge)
{
  while (bridge->to_soup != NULL && bridge->to_soup->len > 0)
    {
      ssize_t n = send (bridge->soup_fd, bridge->to_soup->data, bridge->to_soup->len, MSG_NOSIGNAL);

      if (n > 0)
        g_byte_array_remove_range (bridge->to_soup, 0, (guint) n);
      else if (n < 0 && (errno == EAGAIN || errno == EINTR))
        break;
      else
        return FALSE;
    }
  sotto_epoll_source_modify (bridge->frontend->epoll_source, &bridge->soup_watch,
                             EPOLLIN | (bridge->to_soup && bridge->to_soup->len ? EPOLLOUT : 0));
  return bridge->to_soup == NULL || bridge->to_soup->len <= BRIDGE_MAX_BUFFERED;
}

static gboolean
bridge_flush_to_client (RestBridge *bridge)
{
  while (bridge->to_client != NULL && bridge->to_client->len > 0)
    {
      int n;

      ERR_clear_error ();
      n = SSL_write (bridge->ssl, bridge->to_client->data, (int) bridge->to_client->len);
      if (n > 0)
        {
          g_byte_array_remove_range (bridge->to_client, 0, (guint) n);
          continue;
        }
      if (SSL_get_error (bridge->ssl, n) == SSL_ERROR_WANT_WRITE)
        break;
      return FALSE;
    }
  if (bridge->to_client != NULL && bridge->to_client->len == 0)
    g_clear_pointer (&bridge->to_client, g_byte_array_unref);
  sotto_epoll_source_modify (bridge->frontend->epoll_source, &bridge->tls_watch,
                             EPOLLIN | (bridge->to_client ? EPOLLOUT : 0));
  /* libsoup is done and everything it said is out. */
  if (bridge->soup_done && bridge->to_client == NULL)
    return FALSE;
  return bridge->to_client == NULL || bridge->to_client->len <= BRIDGE_MAX_BUFFERED;
}

static void
on_bridge_tls_event (SottoEpollWatch *watch,
                     guint32          events,
                     gpointer         user_data)
{
  RestBridge *bridge = user_data;
  gboolean keep = TRUE;

  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
    {
      for (;;)
        {
          guint8 chunk[BRIDGE_CHUNK];
          int n;

          ERR_clear_error ();
          n = SSL_read (bridge->ssl, chunk, sizeof chunk);
          if (n > 0)
            {
              bridge_append (&bridge->to_soup, chunk, (gsize) n);
              continue;
            }
          if (SSL_get_error (bridge->ssl, n) != SSL_ERROR_WANT_READ)
            keep = FALSE;  /* the client is gone */
          break;
        }
      keep = keep && bridge_flush_to_soup (bridge);
    }
  keep = keep && bridge_flush_to_client (bridge);
  if (!keep)
    g_hash_table_remove (bridge->frontend->bridges, bridge);
}

static void
on_bridge_soup_event (SottoEpollWatch *watch,
                      guint32          events,
                      gpointer         user_data)
{
  RestBridge *bridge = user_data;
  gboolean keep = TRUE;

  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
    {
      for (;;)
        {
          guint8 chunk[BRIDGE_CHUNK];
          ssize_t n = recv (bridge->soup_fd, chunk, sizeof chunk, 0);

          if (n > 0)
            {
              bridge_append (&bridge->to_client, chunk, (gsize) n);
              continue;
            }
          if (n == 0 || (errno != EAGAIN && errno != EINTR))
            {
              bridge->soup_done = TRUE;
              sotto_epoll_source_remove (bridge->frontend->epoll_source, &bridge->soup_watch);
            }
          break;
        }
      keep = bridge_flush_to_client (bridge);
    }
  if (keep && !bridge->soup_done)
    keep = bridge_flush_to_soup (bridge);
  if (!keep)
    g_hash_table_remove (bridge->frontend->bridges, bridge);
}

static GSocketAddress *
address_of (int  fd,
            gboolean peer)
{
  struct sockaddr_storage storage;
  socklen_t len = sizeof storage;

  if ((peer ? getpeername (fd, (struct sockaddr *) &storage, &len)
            : getsockname (fd, (struct sockaddr *) &storage, &len)) < 0)
    return NULL;
  return g_socket_address_new_from_native (&storage, len);
}

static void
bridge_start (SottoTlsFrontend  *self,
              PendingConnection *pending)
{
  RestBridge *bridge = g_new0 (RestBridge, 1);
  g_autoptr (GSocketAddress) local = address_of (pending->fd, FALSE);
  g_autoptr (GSocketAddress) remote = address_of (pending->fd, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) soup_socket = NULL;
  g_autoptr (GSocketConnection) soup_connection = NULL;
  int pair[2];

  bridge->frontend = self;
  bridge->tls_fd = bridge->soup_fd = -1;
  bridge->tls_watch.fd = bridge->soup_watch.fd = -1;
  if (local == NULL || remote == NULL
      || socketpair (AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) < 0)
    {
      g_debug ("Cannot bridge a REST connection: %s", g_strerror (errno));
      g_free (bridge);
      g_hash_table_remove (self->pending, pending);
      return;
    }

  /* The connection changes owner: out of the pending set, into a bridge. */
  sotto_epoll_source_remove (self->admission_source, &pending->watch);
  bridge->tls_fd = pending->fd;
  bridge->ssl = pending->ssl;
  bridge->soup_fd = pair[0];
  pending->fd = -1;
  pending->ssl = NULL;
  /* libsoup reads the request from its first byte. */
  if (pending->head != NULL)
    bridge_append (&bridge->to_soup, pending->head->data, pending->head->len);
  g_hash_table_remove (self->pending, pending);
  g_hash_table_add (self->bridges, bridge);

  soup_socket = g_socket_new_from_fd (pair[1], &error);
  if (soup_socket != NULL)
    soup_connection = g_socket_connection_factory_create_connection (soup_socket);
  if (soup_socket == NULL
      || !soup_server_accept_iostream (self->rest_server, G_IO_STREAM (soup_connection), local,
                                       remote, &error)
      || !sotto_epoll_source_add (self->epoll_source, &bridge->tls_watch, bridge->tls_fd, EPOLLIN,
                                  on_bridge_tls_event, bridge, &error)
      || !sotto_epoll_source_add (self->epoll_source, &bridge->soup_watch, bridge->soup_fd,
                                  EPOLLIN, on_bridge_soup_event, bridge, &error))
    {
      if (soup_socket == NULL)
        close (pair[1]);
      g_debug ("Cannot bridge a REST connection: %s", error->message);
      g_hash_table_remove (self->bridges, bridge);
      return;
    }
  if (!bridge_flush_to_soup (bridge))
    g_hash_table_remove (self->bridges, bridge);
}

/* --- accepting --- */

static void on_listener_event (SottoEpollWatch *watch,
                               guint32          events,
                               gpointer         user_data);

static gboolean
on_accept_backoff_done (gpointer user_data)
{
  SottoTlsFrontend *self = user_data;

  self->accept_backoff_id = 0;
  sotto_epoll_source_modify (self->admission_source, &self->listener_watch, EPOLLIN);
  return G_SOURCE_REMOVE;
}

static void
accept_one (SottoTlsFrontend *self,
            int               fd)
{
  PendingConnection *pending;
  g_autoptr (GError) error = NULL;
  int one = 1;

  /* Signaling messages are small and latency-bound: no Nagle delay. */
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  pending = g_new0 (PendingConnection, 1);
  pending->frontend = self;
  pending->fd = fd;
  pending->watch.fd = -1;
  pending->deadline = g_get_monotonic_time () + (gint64) self->handshake_timeout_ms * 1000;
  pending->ssl = SSL_new (self->ssl_ctx);
  if (pending->ssl == NULL || SSL_set_fd (pending->ssl, fd) != 1
      || !sotto_epoll_source_add (self->admission_source, &pending->watch, fd, EPOLLIN,
                                  on_pending_event, pending, &error))
    {
      g_debug ("Dropped a connection: %s", error ? error->message : "no TLS state");
      pending_free (pending);
      return;
    }
  SSL_set_accept_state (pending->ssl);
  g_hash_table_add (self->pending, pending);
}

static void
on_listener_event (SottoEpollWatch *watch,
                   guint32          events,
                   gpointer         user_data)
{
  SottoTlsFrontend *self = user_data;

  for (guint i = 0; i < ACCEPTS_PER_WAKEUP; i++)
    {
      int fd = accept4 (watch->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

      if (fd >= 0)
        {
          accept_one (self, fd);
          continue;
        }
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      if (errno != EAGAIN)
        {
          /* Out of descriptors, say: back off instead of spinning. */
          g_warning ("Cannot accept a connection: %s", g_strerror (errno));
          sotto_epoll_source_modify (self->admission_source, watch, 0);
          if (self->accept_backoff_id == 0)
            self->accept_backoff_id = g_timeout_add (ACCEPT_BACKOFF_MS, on_accept_backoff_done,
                                                     self);
        }
      return;
    }
}

static gboolean
on_sweep (gpointer user_data)
{
  SottoTlsFrontend *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  PendingConnection *pending;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, (gpointer *) &pending, NULL))
    if (now >= pending->deadline)
      {
        g_debug ("Dropped a connection that did not finish its handshake in time");
        g_hash_table_iter_remove (&iter);
      }
  return G_SOURCE_CONTINUE;
}

/* --- object --- */

static void
sotto_tls_frontend_dispose (GObject *object)
{
  SottoTlsFrontend *self = SOTTO_TLS_FRONTEND (object);

  sotto_tls_frontend_stop (self);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->bridges, g_hash_table_unref);
  if (self->epoll_source != NULL)
    g_source_destroy (self->epoll_source);
  g_clear_pointer (&self->epoll_source, g_source_unref);
  if (self->admission_source != NULL)
    g_source_destroy (self->admission_source);
  g_clear_pointer (&self->admission_source, g_source_unref);
  g_clear_object (&self->rest_server);
  G_OBJECT_CLASS (sotto_tls_frontend_parent_class)->dispose (object);
}

static void
sotto_tls_frontend_finalize (GObject *object)
{
  SottoTlsFrontend *self = SOTTO_TLS_FRONTEND (object);

  g_clear_pointer (&self->ssl_ctx, SSL_CTX_free);
  g_free (self->websocket_path);
  G_OBJECT_CLASS (sotto_tls_frontend_parent_class)->finalize (object);
}

static void
sotto_tls_frontend_class_init (SottoTlsFrontendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_tls_frontend_dispose;
  object_class->finalize = sotto_tls_frontend_finalize;

  /* A SottoSignalSocket, not started yet: connect to it, it starts after. */
  signals[SIGNAL_WEBSOCKET] = g_signal_new ("websocket", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                            1, SOTTO_TYPE_SIGNAL_SOCKET);
}

static void
sotto_tls_frontend_init (SottoTlsFrontend *self)
{
  self->handshake_timeout_ms = HANDSHAKE_TIMEOUT_MS;
  self->listener_watch.fd = -1;
  self->pending = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) pending_free, NULL);
  self->bridges = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) bridge_free, NULL);
}

static SSL_CTX *
make_ssl_context (const char *cert_path,
                  const char *key_path,
                  GError    **error)
{
  SSL_CTX *ctx = SSL_CTX_new (TLS_server_method ());

  if (ctx == NULL)
    goto failed;
  SSL_CTX_set_min_proto_version (ctx, TLS1_2_VERSION);
  /* Idle sockets give their 16 KiB record buffers back; that, not the
   * handshake, decides memory per connection at 10,000 connections. */
  SSL_CTX_set_mode (ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE
                           | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  /* Signaling messages are small: 4 KiB records keep the write buffer a
   * quarter of OpenSSL's default while a message is in flight. */
  SSL_CTX_set_max_send_fragment (ctx, 4096);
  SSL_CTX_set_options (ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION
                              | SSL_OP_CIPHER_SERVER_PREFERENCE);
  /* TLS 1.3 suites, ours first: ChaCha20-Poly1305 keeps the smallest
   * cipher state of the three for each of 10,000 mostly idle sockets, and
   * signaling messages are too small for AES hardware to matter. */
  SSL_CTX_set_ciphersuites (ctx, "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:"
                                 "TLS_AES_128_GCM_SHA256");
  /* Clients connect once per call: resumption would only keep state. */
  SSL_CTX_set_session_cache_mode (ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets (ctx, 0);
  if (SSL_CTX_use_certificate_chain_file (ctx, cert_path) != 1
      || SSL_CTX_use_PrivateKey_file (ctx, key_path, SSL_FILETYPE_PEM) != 1
      || SSL_CTX_check_private_key (ctx) != 1)
    goto failed;
  return ctx;

failed:
  {
    g_autofree char *reason = openssl_reason ();

    g_set_error (error, SOTTO_TLS_FRONTEND_ERROR, SOTTO_TLS_FRONTEND_ERROR_CERTIFICATE,
                 _("Cannot use the TLS certificate %s: %s"), cert_path, reason);
  }
  if (ctx != NULL)
    SSL_CTX_free (ctx);
  return NULL;
}

SottoTlsFrontend *
sotto_tls_frontend_new (const char *cert_path,
                        const char *key_path,
                        const char *websocket_path,
                        gsize       max_message_size,
                        SoupServer *rest_server,
                        GError    **error)
{
  g_autoptr (SottoTlsFrontend) self = NULL;

  g_return_val_if_fail (cert_path != NULL && key_path != NULL, NULL);
  g_return_val_if_fail (websocket_path != NULL, NULL);
  g_return_val_if_fail (SOUP_IS_SERVER (rest_server), NULL);

  self = g_object_new (SOTTO_TYPE_TLS_FRONTEND, NULL);
  self->ssl_ctx = make_ssl_context (cert_path, key_path, error);
  if (self->ssl_ctx == NULL)
    return NULL;
  self->websocket_path = g_strdup (websocket_path);
  self->max_message_size = max_message_size;
  self->rest_server = g_object_ref (rest_server);
  /* Two sets at the same priority, so that both are dispatched in every
   * main-loop iteration: a newcomer waits for at most one batch of the
   * established sockets' traffic, not for a round over all of them. */
  self->epoll_source = sotto_epoll_source_new (error);
  if (self->epoll_source == NULL)
    return NULL;
  self->admission_source = sotto_epoll_source_new (error);
  if (self->admission_source == NULL)
    return NULL;
  g_source_set_static_name (self->admission_source, "sotto-epoll-admission");
  g_source_attach (self->epoll_source, g_main_context_get_thread_default ());
  g_source_attach (self->admission_source, g_main_context_get_thread_default ());
  return g_steal_pointer (&self);
}

GInetSocketAddress *
sotto_tls_frontend_listen (SottoTlsFrontend *self,
                           GSocketAddress   *address,
                           GError          **error)
{
  g_autoptr (GSocket) listener = NULL;
  g_autoptr (GError) local_error = NULL;
  GSocketAddress *bound;

  g_return_val_if_fail (SOTTO_IS_TLS_FRONTEND (self), NULL);
  g_return_val_if_fail (self->listener == NULL, NULL);

  listener = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, &local_error);
  if (listener != NULL)
    {
      g_socket_set_blocking (listener, FALSE);
      g_socket_set_listen_backlog (listener, 4096);
    }
  if (listener == NULL || !g_socket_bind (listener, address, TRUE, &local_error)
      || !g_socket_listen (listener, &local_error)
      || (bound = g_socket_get_local_address (listener, &local_error)) == NULL)
    {
      g_set_error (error, SOTTO_TLS_FRONTEND_ERROR, SOTTO_TLS_FRONTEND_ERROR_LISTEN, "%s",
                   local_error->message);
      return NULL;
    }
  if (!sotto_epoll_source_add (self->admission_source, &self->listener_watch,
                               g_socket_get_fd (listener), EPOLLIN, on_listener_event, self,
                               &local_error))
    {
      g_object_unref (bound);
      g_set_error (error, SOTTO_TLS_FRONTEND_ERROR, SOTTO_TLS_FRONTEND_ERROR_LISTEN, "%s",
                   local_error->message);
      return NULL;
    }
  self->listener = g_steal_pointer (&listener);
  self->sweep_id = g_timeout_add (SWEEP_PERIOD_MS, on_sweep, self);
  return G_INET_SOCKET_ADDRESS (bound);
}

void
sotto_tls_frontend_set_handshake_timeout (SottoTlsFrontend *self,
                                          guint             timeout_ms)
{
  g_return_if_fail (SOTTO_IS_TLS_FRONTEND (self));

  self->handshake_timeout_ms = MAX (timeout_ms, 1u);
}

void
sotto_tls_frontend_stop (SottoTlsFrontend *self)
{
  g_return_if_fail (SOTTO_IS_TLS_FRONTEND (self));

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->accept_backoff_id, g_source_remove);
  if (self->listener != NULL)
    {
      sotto_epoll_source_remove (self->admission_source, &self->listener_watch);
      g_socket_close (self->listener, NULL);
      g_clear_object (&self->listener);
    }
  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);
  if (self->bridges != NULL)
    g_hash_table_remove_all (self->bridges);
}
