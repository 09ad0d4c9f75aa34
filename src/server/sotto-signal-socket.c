/* sotto-signal-socket.c: one signaling WebSocket over TLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   OPEN --close() or client close--> CLOSING --client close, EOF or
 *                                               timeout--> CLOSED
 *   any state --I/O error or EOF--> CLOSED
 *
 * The closed callback runs once, from an idle callback, so that a close
 * asked for from inside the message callback never re-enters the hub.
 */
#define G_LOG_DOMAIN "sotto-signaling"

#include "sotto-config.h"

#include "sotto-signal-socket.h"

#include <openssl/err.h>
#include <unistd.h>

#include "sotto-epoll-source.h"
#include "sotto-websocket-codec.h"

#define READ_CHUNK          16384
#define READ_BUDGET         65536           /* per wakeup, so one client cannot starve the rest */
#define MAX_PENDING_OUTPUT  (4 * 1024 * 1024)  /* a client that stops reading is dropped */
#define CLOSE_WAIT_MS       2000

typedef enum {
  SOCKET_OPEN,
  SOCKET_CLOSING,
  SOCKET_CLOSED,
} SocketState;

struct _SottoSignalSocket
{
  GObject                parent_instance;

  GSource               *epoll_source;        /* the set it is watched on now */
  GSource               *established_source;  /* where sotto_signal_socket_admit() moves it */
  SottoEpollWatch        watch;
  int                    fd;
  SSL                   *ssl;
  SottoWebsocketDecoder *decoder;
  GByteArray            *input;    /* NULL when empty: idle sockets hold no buffers */
  GByteArray            *output;   /* frames SSL_write has not taken yet; NULL when empty */
  SocketState            state;
  gboolean               close_sent;
  gboolean               close_received;
  gboolean               closed_emitted;
  guint                  close_wait_id;
  SottoSignalSocketMessageFunc on_message;
  SottoSignalSocketClosedFunc  on_closed;
  gpointer               user_data;
};

G_DEFINE_FINAL_TYPE (SottoSignalSocket, sotto_signal_socket, G_TYPE_OBJECT)

static void socket_flush (SottoSignalSocket *self);

static gboolean
emit_closed_idle (gpointer user_data)
{
  SottoSignalSocket *self = user_data;

  if (!self->closed_emitted)
    {
      self->closed_emitted = TRUE;
      if (self->on_closed != NULL)
        self->on_closed (self, self->user_data);
    }
  return G_SOURCE_REMOVE;
}

static void
socket_release (SottoSignalSocket *self)
{
  self->state = SOCKET_CLOSED;
  g_clear_handle_id (&self->close_wait_id, g_source_remove);
  sotto_epoll_source_remove (self->epoll_source, &self->watch);
  g_clear_pointer (&self->ssl, SSL_free);
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  g_clear_pointer (&self->input, g_byte_array_unref);
  g_clear_pointer (&self->output, g_byte_array_unref);
}

/* Lets go of the connection at once; "closed" follows from the main loop. */
static void
socket_finish (SottoSignalSocket *self)
{
  if (self->state == SOCKET_CLOSED)
    return;
  socket_release (self);
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_closed_idle, g_object_ref (self), g_object_unref);
}

static gboolean
on_close_wait_timeout (gpointer user_data)
{
  SottoSignalSocket *self = user_data;

  self->close_wait_id = 0;
  socket_finish (self);
  return G_SOURCE_REMOVE;
}

static void
queue_frame (SottoSignalSocket   *self,
             SottoWebsocketOpcode opcode,
             const guint8        *payload,
             gsize                len)
{
  if (self->output == NULL)
    self->output = g_byte_array_sized_new ((guint) len + 14);
  sotto_websocket_frame_append (self->output, opcode, payload, len);
}

static void
queue_close (SottoSignalSocket *self,
             gushort            code,
             const char        *reason)
{
  if (self->close_sent)
    return;
  self->close_sent = TRUE;
  if (self->output == NULL)
    self->output = g_byte_array_sized_new (128);
  sotto_websocket_close_append (self->output, code, reason);
  if (self->state == SOCKET_OPEN)
    self->state = SOCKET_CLOSING;
  if (!self->close_received && self->close_wait_id == 0)
    self->close_wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, CLOSE_WAIT_MS,
                                              on_close_wait_timeout, g_object_ref (self),
                                              g_object_unref);
}

static void
update_interest (SottoSignalSocket *self,
                 gboolean           want_write)
{
  sotto_epoll_source_modify (self->epoll_source, &self->watch,
                             EPOLLIN | EPOLLRDHUP | (want_write ? EPOLLOUT : 0));
}

static void
socket_flush (SottoSignalSocket *self)
{
  while (self->state != SOCKET_CLOSED && self->output != NULL && self->output->len > 0)
    {
      int n;

      ERR_clear_error ();
      n = SSL_write (self->ssl, self->output->data, (int) MIN (self->output->len, G_MAXINT));
      if (n > 0)
        {
          g_byte_array_remove_range (self->output, 0, (guint) n);
          continue;
        }
      switch (SSL_get_error (self->ssl, n))
        {
        case SSL_ERROR_WANT_WRITE:
          update_interest (self, TRUE);
          return;
        case SSL_ERROR_WANT_READ:
          return;
        default:
          g_debug ("signaling socket write failed");
          socket_finish (self);
          return;
        }
    }
  if (self->state == SOCKET_CLOSED)
    return;
  g_clear_pointer (&self->output, g_byte_array_unref);
  update_interest (self, FALSE);
  /* Both closes exchanged and ours is out: the server closes TCP first
   * (RFC 6455 section 7.1.1). */
  if (self->close_sent && self->close_received)
    socket_finish (self);
}

static gushort
close_code_for (const GError *error)
{
  switch (error->code)
    {
    case SOTTO_WEBSOCKET_ERROR_TOO_BIG:
      return 1009;
    case SOTTO_WEBSOCKET_ERROR_BAD_UTF8:
      return 1007;
    default:
      return 1002;
    }
}

static void
handle_message (SottoSignalSocket   *self,
                SottoWebsocketOpcode opcode,
                GBytes              *payload)
{
  switch (opcode)
    {
    case SOTTO_WEBSOCKET_OPCODE_TEXT:
    case SOTTO_WEBSOCKET_OPCODE_BINARY:
      /* After our close, the client's remaining messages are not read. */
      if (self->state == SOCKET_OPEN && self->on_message != NULL)
        self->on_message (self, opcode == SOTTO_WEBSOCKET_OPCODE_TEXT, payload, self->user_data);
      break;
    case SOTTO_WEBSOCKET_OPCODE_PING:
      if (self->state == SOCKET_OPEN)
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (payload, &len);

          queue_frame (self, SOTTO_WEBSOCKET_OPCODE_PONG, data, len);
        }
      break;
    case SOTTO_WEBSOCKET_OPCODE_CLOSE:
      {
        gushort code = 1000;
        g_autofree char *reason = NULL;

        self->close_received = TRUE;
        if (!sotto_websocket_close_parse (payload, &code, &reason))
          queue_close (self, 1002, "malformed close frame");
        else
          queue_close (self, code == 1005 ? 1000 : code, NULL);
      }
      break;
    default:
      break;
    }
}

/* Decodes and delivers what `input` holds. */
static void
process_input (SottoSignalSocket *self)
{
  while (self->state != SOCKET_CLOSED && !self->close_received && self->input != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) payload = NULL;
      SottoWebsocketOpcode opcode;

      if (!sotto_websocket_decoder_next (self->decoder, self->input, &opcode, &payload, &error))
        {
          if (error != NULL)
            {
              g_debug ("closing a signaling socket: %s", error->message);
              g_clear_pointer (&self->input, g_byte_array_unref);
              queue_close (self, close_code_for (error), error->message);
              /* Failing the connection (RFC 6455 section 7.1.7): no
               * waiting for the client's close, TCP goes once ours is out. */
              self->close_received = TRUE;
            }
          break;
        }
      handle_message (self, opcode, payload);
    }
  if (self->input != NULL && (self->input->len == 0 || self->close_received))
    g_clear_pointer (&self->input, g_byte_array_unref);
}

/* Reads what TLS has, up to READ_BUDGET (finishing the record in hand, so
 * nothing waits inside OpenSSL where epoll cannot see it). Returns TRUE
 * when the client is gone; what it sent before going is still in `input`
 * for process_input(): a leave followed at once by EOF is still a leave. */
static gboolean
socket_read (SottoSignalSocket *self)
{
  gsize budget = 0;

  while (self->state != SOCKET_CLOSED)
    {
      guint8 chunk[READ_CHUNK];
      int n;

      ERR_clear_error ();
      n = SSL_read (self->ssl, chunk, sizeof chunk);
      if (n > 0)
        {
          if (self->close_received)
            continue;  /* nothing after a close frame counts */
          if (self->input == NULL)
            self->input = g_byte_array_sized_new ((guint) n);
          g_byte_array_append (self->input, chunk, (guint) n);
          budget += (gsize) n;
          if (budget >= READ_BUDGET && SSL_pending (self->ssl) == 0)
            break;
          continue;
        }
      switch (SSL_get_error (self->ssl, n))
        {
        case SSL_ERROR_WANT_READ:
          return FALSE;
        case SSL_ERROR_WANT_WRITE:
          update_interest (self, TRUE);
          return FALSE;
        default:
          /* EOF, close_notify or a TLS error: the client is gone. */
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_socket_event (SottoEpollWatch *watch,
                 guint32          events,
                 gpointer         user_data)
{
  g_autoptr (SottoSignalSocket) self = g_object_ref (SOTTO_SIGNAL_SOCKET (user_data));

  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
    {
      gboolean gone = socket_read (self);

      process_input (self);
      if (gone)
        {
          socket_finish (self);
          return;
        }
    }
  socket_flush (self);
  if (self->output != NULL && self->output->len > MAX_PENDING_OUTPUT)
    {
      g_debug ("dropping a signaling socket that stopped reading");
      socket_finish (self);
    }
}

static void
sotto_signal_socket_dispose (GObject *object)
{
  SottoSignalSocket *self = SOTTO_SIGNAL_SOCKET (object);

  /* Nobody is left to tell. */
  if (self->state != SOCKET_CLOSED)
    socket_release (self);
  G_OBJECT_CLASS (sotto_signal_socket_parent_class)->dispose (object);
}

static void
sotto_signal_socket_finalize (GObject *object)
{
  SottoSignalSocket *self = SOTTO_SIGNAL_SOCKET (object);

  g_clear_pointer (&self->ssl, SSL_free);
  if (self->fd >= 0)
    close (self->fd);
  g_clear_pointer (&self->decoder, sotto_websocket_decoder_free);
  g_clear_pointer (&self->input, g_byte_array_unref);
  g_clear_pointer (&self->output, g_byte_array_unref);
  g_clear_pointer (&self->epoll_source, g_source_unref);
  g_clear_pointer (&self->established_source, g_source_unref);
  G_OBJECT_CLASS (sotto_signal_socket_parent_class)->finalize (object);
}

static void
sotto_signal_socket_class_init (SottoSignalSocketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_signal_socket_dispose;
  object_class->finalize = sotto_signal_socket_finalize;

}

static void
sotto_signal_socket_init (SottoSignalSocket *self)
{
  self->fd = -1;
  self->watch.fd = -1;
}

SottoSignalSocket *
sotto_signal_socket_new (GSource      *admission_source,
                         GSource      *established_source,
                         int           fd,
                         SSL          *ssl,
                         GBytes       *first_output,
                         const guint8 *leftover,
                         gsize         leftover_len,
                         gsize         max_message_size)
{
  SottoSignalSocket *self = g_object_new (SOTTO_TYPE_SIGNAL_SOCKET, NULL);
  gsize len;
  const guint8 *data = g_bytes_get_data (first_output, &len);

  self->epoll_source = g_source_ref (admission_source);
  self->established_source = g_source_ref (established_source);
  self->fd = fd;
  self->ssl = ssl;
  self->decoder = sotto_websocket_decoder_new (max_message_size);
  self->output = g_byte_array_sized_new ((guint) len);
  g_byte_array_append (self->output, data, (guint) len);
  if (leftover_len > 0)
    {
      self->input = g_byte_array_sized_new ((guint) leftover_len);
      g_byte_array_append (self->input, leftover, (guint) leftover_len);
    }
  return self;
}

void
sotto_signal_socket_set_handlers (SottoSignalSocket           *self,
                                  SottoSignalSocketMessageFunc on_message,
                                  SottoSignalSocketClosedFunc  on_closed,
                                  gpointer                     user_data)
{
  g_return_if_fail (SOTTO_IS_SIGNAL_SOCKET (self));

  self->on_message = on_message;
  self->on_closed = on_closed;
  self->user_data = user_data;
}

void
sotto_signal_socket_start (SottoSignalSocket *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoSignalSocket) hold = g_object_ref (self);

  g_return_if_fail (SOTTO_IS_SIGNAL_SOCKET (self));

  if (!sotto_epoll_source_add (self->epoll_source, &self->watch, self->fd,
                               EPOLLIN | EPOLLRDHUP, on_socket_event, self, &error))
    {
      g_warning ("Cannot watch a signaling socket: %s", error->message);
      socket_finish (self);
      return;
    }
  process_input (self);
  socket_flush (self);
}

void
sotto_signal_socket_admit (SottoSignalSocket *self)
{
  g_autoptr (GError) error = NULL;
  guint32 events;

  g_return_if_fail (SOTTO_IS_SIGNAL_SOCKET (self));

  if (self->state == SOCKET_CLOSED || self->epoll_source == self->established_source)
    return;
  events = self->watch.events;
  sotto_epoll_source_remove (self->epoll_source, &self->watch);
  g_source_unref (self->epoll_source);
  self->epoll_source = g_source_ref (self->established_source);
  if (!sotto_epoll_source_add (self->epoll_source, &self->watch, self->fd, events,
                               on_socket_event, self, &error))
    {
      g_warning ("Cannot watch a signaling socket: %s", error->message);
      socket_finish (self);
    }
}

gboolean
sotto_signal_socket_is_open (SottoSignalSocket *self)
{
  g_return_val_if_fail (SOTTO_IS_SIGNAL_SOCKET (self), FALSE);

  return self->state == SOCKET_OPEN;
}

void
sotto_signal_socket_send_text (SottoSignalSocket *self,
                               const char        *text)
{
  g_return_if_fail (SOTTO_IS_SIGNAL_SOCKET (self));
  g_return_if_fail (text != NULL);

  if (self->state != SOCKET_OPEN)
    return;
  queue_frame (self, SOTTO_WEBSOCKET_OPCODE_TEXT, (const guint8 *) text, strlen (text));
  socket_flush (self);
}

void
sotto_signal_socket_close (SottoSignalSocket *self,
                           gushort            code,
                           const char        *reason)
{
  g_return_if_fail (SOTTO_IS_SIGNAL_SOCKET (self));

  if (self->state != SOCKET_OPEN)
    return;
  queue_close (self, code, reason);
  socket_flush (self);
}
