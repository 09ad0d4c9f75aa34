/* sotto-signaling-client.c: the client end of /v1/signal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token carries the server's URL and the SHA-256 pin of its TLS key.
 * The certificate is trusted because its key matches the pin, never because
 * a CA signed it (sotto-signaling-connect.c: the TLS connection's database
 * trusts the pinned key and nothing else, `accept-certificate` refuses
 * anything else, and the pin is checked once more before any byte is sent).
 *
 * After a drop the client rejoins with the same token and gets its
 * connection id back (the server holds its place for a grace period).
 * Keepalive is at the application level (`ping` every keepalive_interval_ms
 * as the welcome says; a server silent for keepalive_timeout_ms is
 * presumed dead), because browsers cannot send WebSocket pings either.
 */
#define G_LOG_DOMAIN "sotto-signaling-client"

#include "sotto-config.h"

#include "sotto-io-stream.h"
#include "sotto-signaling-client.h"
#include "sotto-signaling-connect.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <string.h>

/* Matches the hub's close codes (src/server/sotto-signaling-hub.h and
 * docs/protocol.md); the session layer cannot include server headers. */
enum {
  CLOSE_BAD_TOKEN = 4001,
  CLOSE_EXPIRED_TOKEN,
  CLOSE_REVOKED_TOKEN,
  CLOSE_NO_SUCH_SESSION,
  CLOSE_SESSION_ENDED,
  CLOSE_SESSION_FULL,
  CLOSE_KICKED,
  CLOSE_JOIN_TIMEOUT,
  CLOSE_PROTOCOL,
  CLOSE_RATE_LIMITED,
  CLOSE_KEEPALIVE_TIMEOUT,
  CLOSE_REPLACED,
  CLOSE_SERVER_ERROR,
};

#define DEFAULT_KEEPALIVE_INTERVAL_MS 10000
#define DEFAULT_KEEPALIVE_TIMEOUT_MS  25000
#define MAX_RECONNECT_ATTEMPTS        20
#define MAX_BACKOFF_MS                5000
#define OUTBOX_LIMIT                  256

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

struct _SottoSignalingClient
{
  GObject                    parent_instance;

  char                      *token_text;   /* a bearer credential: wiped on finalize */
  SottoToken                *token;
  char                      *url;          /* https://HOST[:PORT][/PATH]/v1/signal */
  GMainContext              *context;

  SottoSignalingClientState  state;
  GTask                     *connect_task; /* first connect, until welcome or failure */
  GCancellable              *attempt_cancellable;
  SoupWebsocketConnection   *ws;
  gboolean                   welcomed;     /* the current socket got its welcome */

  SottoSignalMessage        *welcome;
  char                      *connection_id;
  char                      *last_error_code; /* from an error message before a close */
  GQueue                     outbox;       /* char * frames held while not connected */

  guint                      attempts;
  GSource                   *retry_source;
  GSource                   *keepalive_source;
  gint64                     last_received;
  guint                      keepalive_interval_ms;
  guint                      keepalive_timeout_ms;
};

G_DEFINE_FINAL_TYPE (SottoSignalingClient, sotto_signaling_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (sotto-signaling-client-error-quark, sotto_signaling_client_error)

static void start_attempt (SottoSignalingClient *self);

static void
set_state (SottoSignalingClient      *self,
           SottoSignalingClientState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GSource *
add_timeout (SottoSignalingClient *self,
             guint                 ms,
             GSourceFunc           func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

/* The TCP socket under the WebSocket's TLS stream, or NULL. */
static GSocket *
find_socket (SoupWebsocketConnection *ws)
{
  return sotto_io_stream_find_socket (soup_websocket_connection_get_io_stream (ws));
}

static GError *
error_for_close_code (gushort     code,
                      const char *error_code)
{
  switch (code)
    {
    case CLOSE_BAD_TOKEN:
    case CLOSE_REVOKED_TOKEN:
      return g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_REFUSED,
                                  code == CLOSE_REVOKED_TOKEN
                                    ? _("The server refused the token: it has been revoked")
                                    : _("The server refused the token"));
    case CLOSE_EXPIRED_TOKEN:
      return g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_EXPIRED,
                                  _("The token has expired; ask for a new one"));
    case CLOSE_NO_SUCH_SESSION:
      return g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR,
                                  SOTTO_SIGNALING_CLIENT_ERROR_NO_SUCH_SESSION,
                                  _("The session does not exist on this server"));
    case CLOSE_SESSION_ENDED:
      return g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR,
                                  SOTTO_SIGNALING_CLIENT_ERROR_SESSION_ENDED, _("The session has ended"));
    case CLOSE_SESSION_FULL:
      return g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR,
                                  SOTTO_SIGNALING_CLIENT_ERROR_SESSION_FULL, _("The session is full"));
    case CLOSE_KICKED:
      return g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_KICKED,
                                  _("A moderator removed you from the session"));
    case CLOSE_REPLACED:
      return g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_REPLACED,
                                  _("The same token joined the session from somewhere else"));
    case CLOSE_JOIN_TIMEOUT:
    case CLOSE_PROTOCOL:
    case CLOSE_RATE_LIMITED:
    case SOUP_WEBSOCKET_CLOSE_TOO_BIG:
      return g_error_new (SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_PROTOCOL,
                          _("The server closed the connection for a protocol violation (%u%s%s)"),
                          code, error_code ? ", " : "", error_code ? error_code : "");
    default:
      return NULL;  /* not final: reconnect */
    }
}

static void
drop_socket (SottoSignalingClient *self)
{
  clear_source (&self->keepalive_source);
  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->ws);
    }
  self->welcomed = FALSE;
}

/* Stops for good. `error` NULL after a leave. */
static void
finish (SottoSignalingClient *self,
        GError               *error)
{
  g_autoptr (GError) owned = error;
  char *frame;

  clear_source (&self->retry_source);
  if (self->attempt_cancellable != NULL)
    g_cancellable_cancel (self->attempt_cancellable);
  drop_socket (self);
  while ((frame = g_queue_pop_head (&self->outbox)) != NULL)
    g_free (frame);

  if (self->connect_task != NULL)
    {
      g_autoptr (GTask) task = g_steal_pointer (&self->connect_task);

      set_state (self, SOTTO_SIGNALING_CLIENT_STATE_CLOSED);
      if (owned == NULL)
        owned = g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR,
                                     SOTTO_SIGNALING_CLIENT_ERROR_NOT_CONNECTED,
                                     _("The connection was closed before it was established"));
      g_task_return_error (task, g_steal_pointer (&owned));
      return;
    }
  if (self->state == SOTTO_SIGNALING_CLIENT_STATE_CLOSED)
    return;
  set_state (self, SOTTO_SIGNALING_CLIENT_STATE_CLOSED);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, owned);
}

static gboolean
on_retry (gpointer user_data)
{
  SottoSignalingClient *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  start_attempt (self);
  return G_SOURCE_REMOVE;
}

/* The socket is gone without a final verdict: try again with the same token. */
static void
schedule_reconnect (SottoSignalingClient *self)
{
  guint delay;

  drop_socket (self);
  if (self->connect_task != NULL && self->welcome == NULL)
    {
      /* Never got in: the first connect reports it rather than retrying. */
      finish (self, g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR,
                                         SOTTO_SIGNALING_CLIENT_ERROR_UNREACHABLE,
                                         _("The server closed the connection before welcoming us")));
      return;
    }
  if (self->attempts >= MAX_RECONNECT_ATTEMPTS ||
      sotto_token_is_expired (self->token, g_get_real_time () / G_USEC_PER_SEC))
    {
      finish (self, g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR,
                                         SOTTO_SIGNALING_CLIENT_ERROR_LOST,
                                         _("Lost the connection to the server and could not rejoin")));
      return;
    }
  set_state (self, SOTTO_SIGNALING_CLIENT_STATE_RECONNECTING);
  delay = MIN (MAX_BACKOFF_MS, 100u << MIN (self->attempts, 6u));
  self->attempts++;
  clear_source (&self->retry_source);
  self->retry_source = add_timeout (self, delay, on_retry);
}

/* A socket the server is closing stays around until the close completes;
 * nothing may be sent on it meanwhile. */
static gboolean
ws_is_open (SottoSignalingClient *self)
{
  return self->ws != NULL &&
         soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
send_frame (SottoSignalingClient *self,
            const char           *text)
{
  if (self->welcomed && ws_is_open (self))
    soup_websocket_connection_send_text (self->ws, text);
  else if (g_queue_get_length (&self->outbox) < OUTBOX_LIMIT)
    g_queue_push_tail (&self->outbox, g_strdup (text));
}

static gboolean
on_keepalive (gpointer user_data)
{
  SottoSignalingClient *self = user_data;

  if ((g_get_monotonic_time () - self->last_received) / 1000 > self->keepalive_timeout_ms)
    {
      g_debug ("server silent past the keepalive timeout; reconnecting");
      g_clear_pointer (&self->keepalive_source, g_source_unref);
      schedule_reconnect (self);
      return G_SOURCE_REMOVE;
    }
  if (self->welcomed && ws_is_open (self))
    soup_websocket_connection_send_text (self->ws, "{\"type\":\"ping\"}");
  return G_SOURCE_CONTINUE;
}

static void
restart_keepalive (SottoSignalingClient *self)
{
  clear_source (&self->keepalive_source);
  self->keepalive_source = add_timeout (self, self->keepalive_interval_ms, on_keepalive);
}

static void
handle_welcome (SottoSignalingClient *self,
                SottoSignalMessage   *msg)
{
  char *frame;

  g_set_object (&self->welcome, msg);
  g_free (self->connection_id);
  self->connection_id = g_strdup (sotto_signal_message_get_string (msg, "connection_id"));
  self->keepalive_interval_ms = CLAMP (sotto_signal_message_get_int (msg, "keepalive_interval_ms", 0),
                                       50, 600000);
  self->keepalive_timeout_ms = CLAMP (sotto_signal_message_get_int (msg, "keepalive_timeout_ms", 0),
                                      self->keepalive_interval_ms + 1, 1200000);
  self->welcomed = TRUE;
  self->attempts = 0;
  g_clear_pointer (&self->last_error_code, g_free);
  restart_keepalive (self);

  while (ws_is_open (self) && (frame = g_queue_pop_head (&self->outbox)) != NULL)
    {
      soup_websocket_connection_send_text (self->ws, frame);
      g_free (frame);
    }
  set_state (self, SOTTO_SIGNALING_CLIENT_STATE_CONNECTED);
  if (self->connect_task != NULL)
    {
      g_autoptr (GTask) task = g_steal_pointer (&self->connect_task);

      g_task_return_boolean (task, TRUE);
    }
}

static void
on_ws_message (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *bytes,
               gpointer                 user_data)
{
  g_autoptr (SottoSignalingClient) self = g_object_ref (user_data);
  g_autoptr (SottoSignalMessage) msg = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  SottoSignalMessageType msg_type;

  self->last_received = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  msg = sotto_signal_message_parse (data, len, SOTTO_SIGNAL_TO_CLIENT, &error);
  if (msg == NULL)
    {
      /* Ignored rather than fatal: a newer server may send more. */
      g_debug ("ignoring a message from the server: %s", error->message);
      return;
    }
  msg_type = sotto_signal_message_get_message_type (msg);
  if (msg_type == SOTTO_SIGNAL_TYPE_WELCOME)
    handle_welcome (self, msg);
  else if (msg_type == SOTTO_SIGNAL_TYPE_ERROR && !self->welcomed)
    {
      g_free (self->last_error_code);
      self->last_error_code = g_strdup (sotto_signal_message_get_string (msg, "code"));
    }

  g_signal_emit (self, signals[SIGNAL_MESSAGE],
                 g_quark_from_static_string (sotto_signal_message_type_to_string (msg_type)), msg);
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  g_autoptr (SottoSignalingClient) self = g_object_ref (user_data);
  gushort code = soup_websocket_connection_get_close_code (ws);
  GError *error = error_for_close_code (code, self->last_error_code);

  g_debug ("socket closed with code %u", code);
  if (error != NULL)
    finish (self, error);
  else
    schedule_reconnect (self);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (SottoSignalingClient) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SottoSignalMessage) join = NULL;
  g_autofree char *text = NULL;
  SottoSignalingConnectFailure failure = SOTTO_SIGNALING_CONNECT_UNREACHABLE;
  SoupWebsocketConnection *ws;

  ws = sotto_signaling_connect_finish (result, &failure, &error);
  g_clear_object (&self->attempt_cancellable);
  if (ws == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (failure == SOTTO_SIGNALING_CONNECT_PIN_MISMATCH)
        {
          finish (self, g_error_new_literal (SOTTO_SIGNALING_CLIENT_ERROR,
                                             SOTTO_SIGNALING_CLIENT_ERROR_PIN_MISMATCH,
                                             _("The server's certificate does not match the token's "
                                               "pin: this is not the server the token was made for")));
          return;
        }
      g_debug ("connect failed: %s", error->message);
      if (self->connect_task != NULL)
        finish (self, g_error_new (SOTTO_SIGNALING_CLIENT_ERROR,
                                   SOTTO_SIGNALING_CLIENT_ERROR_UNREACHABLE,
                                   _("Cannot reach the session server: %s"), error->message));
      else
        schedule_reconnect (self);
      return;
    }

  self->ws = ws;
  soup_websocket_connection_set_max_incoming_payload_size (ws, SOTTO_SIGNAL_MAX_SERVER_MESSAGE_SIZE);
  soup_websocket_connection_set_keepalive_interval (ws, 0);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), self);

  join = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_JOIN);
  sotto_signal_message_set_string (join, "token", self->token_text);
  text = sotto_signal_message_to_string (join, NULL);
  soup_websocket_connection_send_text (ws, text);
  OPENSSL_cleanse (text, strlen (text));

  /* Until the welcome says otherwise, the default keepalive timeout bounds
   * the wait for it. */
  self->last_received = g_get_monotonic_time ();
  restart_keepalive (self);
}

static void
start_attempt (SottoSignalingClient *self)
{
  g_clear_pointer (&self->last_error_code, g_free);
  self->keepalive_interval_ms = DEFAULT_KEEPALIVE_INTERVAL_MS;
  self->keepalive_timeout_ms = DEFAULT_KEEPALIVE_TIMEOUT_MS;
  self->attempt_cancellable = g_cancellable_new ();
  g_main_context_push_thread_default (self->context);
  sotto_signaling_connect_async (self->url, sotto_token_get_pin (self->token), self->attempt_cancellable,
                                 on_connected, g_object_ref (self));
  g_main_context_pop_thread_default (self->context);
}

static void
sotto_signaling_client_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SottoSignalingClient *self = SOTTO_SIGNALING_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_signaling_client_dispose (GObject *object)
{
  SottoSignalingClient *self = SOTTO_SIGNALING_CLIENT (object);
  char *frame;

  clear_source (&self->retry_source);
  clear_source (&self->keepalive_source);
  if (self->attempt_cancellable != NULL)
    g_cancellable_cancel (self->attempt_cancellable);
  drop_socket (self);
  while ((frame = g_queue_pop_head (&self->outbox)) != NULL)
    g_free (frame);
  g_clear_object (&self->attempt_cancellable);
  g_clear_object (&self->welcome);

  G_OBJECT_CLASS (sotto_signaling_client_parent_class)->dispose (object);
}

static void
sotto_signaling_client_finalize (GObject *object)
{
  SottoSignalingClient *self = SOTTO_SIGNALING_CLIENT (object);

  if (self->token_text != NULL)
    OPENSSL_cleanse (self->token_text, strlen (self->token_text));
  g_free (self->token_text);
  g_clear_object (&self->token);
  g_free (self->url);
  g_free (self->connection_id);
  g_free (self->last_error_code);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sotto_signaling_client_parent_class)->finalize (object);
}

static void
sotto_signaling_client_class_init (SottoSignalingClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_signaling_client_get_property;
  object_class->dispose = sotto_signaling_client_dispose;
  object_class->finalize = sotto_signaling_client_finalize;

  /* A SottoSignalingClientState (an int: no GType for the enum in core). */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, SOTTO_SIGNALING_CLIENT_STATE_IDLE,
                      SOTTO_SIGNALING_CLIENT_STATE_CLOSED, SOTTO_SIGNALING_CLIENT_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SOTTO_TYPE_SIGNAL_MESSAGE);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sotto_signaling_client_init (SottoSignalingClient *self)
{
  g_queue_init (&self->outbox);
  self->keepalive_interval_ms = DEFAULT_KEEPALIVE_INTERVAL_MS;
  self->keepalive_timeout_ms = DEFAULT_KEEPALIVE_TIMEOUT_MS;
}

SottoSignalingClient *
sotto_signaling_client_new (const char  *token,
                            GError     **error)
{
  g_autoptr (SottoSignalingClient) self = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (SottoToken) decoded = NULL;
  const char *url;

  g_return_val_if_fail (token != NULL, NULL);

  decoded = sotto_token_decode (token, &local_error);
  if (decoded == NULL)
    {
      g_set_error (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_BAD_TOKEN,
                   _("The token is not valid: %s"), local_error->message);
      return NULL;
    }
  url = sotto_token_get_url (decoded);
  if (url == NULL || !g_str_has_prefix (url, "wss://") || sotto_token_get_pin (decoded) == NULL)
    {
      g_set_error_literal (error, SOTTO_SIGNALING_CLIENT_ERROR,
                           SOTTO_SIGNALING_CLIENT_ERROR_BAD_TOKEN,
                           _("The token does not name a secure (wss://) server with a pinned key"));
      return NULL;
    }

  self = g_object_new (SOTTO_TYPE_SIGNALING_CLIENT, NULL);
  self->token_text = g_strdup (token);
  self->token = g_steal_pointer (&decoded);
  /* The handshake is HTTP over TLS, then the upgrade; the path is appended to
   * whatever path the public URL has. */
  self->url = g_strconcat ("https://", url + strlen ("wss://"),
                           g_str_has_suffix (url, "/") ? "v1/signal" : "/v1/signal", NULL);
  self->context = g_main_context_ref_thread_default ();
  return g_steal_pointer (&self);
}

void
sotto_signaling_client_connect_async (SottoSignalingClient *self,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SOTTO_IS_SIGNALING_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sotto_signaling_client_connect_async);
  if (self->state != SOTTO_SIGNALING_CLIENT_STATE_IDLE)
    {
      g_task_return_new_error (task, SOTTO_SIGNALING_CLIENT_ERROR,
                               SOTTO_SIGNALING_CLIENT_ERROR_INVALID,
                               _("The client is already connecting or connected"));
      return;
    }
  self->connect_task = g_steal_pointer (&task);
  set_state (self, SOTTO_SIGNALING_CLIENT_STATE_CONNECTING);
  start_attempt (self);
}

gboolean
sotto_signaling_client_connect_finish (SottoSignalingClient *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sotto_signaling_client_send (SottoSignalingClient *self,
                             SottoSignalMessage   *msg,
                             GError              **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (SOTTO_IS_SIGNALING_CLIENT (self), FALSE);
  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (msg), FALSE);

  if (self->state == SOTTO_SIGNALING_CLIENT_STATE_IDLE ||
      self->state == SOTTO_SIGNALING_CLIENT_STATE_CLOSED)
    {
      g_set_error_literal (error, SOTTO_SIGNALING_CLIENT_ERROR,
                           SOTTO_SIGNALING_CLIENT_ERROR_NOT_CONNECTED,
                           _("Not connected to the session server"));
      return FALSE;
    }
  if (!sotto_signal_message_validate (msg, SOTTO_SIGNAL_TO_SERVER, &local_error))
    {
      g_set_error (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_INVALID,
                   _("Cannot send this message: %s"), local_error->message);
      return FALSE;
    }
  text = sotto_signal_message_to_string (msg, NULL);
  if (strlen (text) > SOTTO_SIGNAL_MAX_MESSAGE_SIZE)
    {
      g_set_error_literal (error, SOTTO_SIGNALING_CLIENT_ERROR, SOTTO_SIGNALING_CLIENT_ERROR_INVALID,
                           _("The message is larger than the protocol allows"));
      return FALSE;
    }
  send_frame (self, text);
  return TRUE;
}

void
sotto_signaling_client_leave (SottoSignalingClient *self)
{
  g_return_if_fail (SOTTO_IS_SIGNALING_CLIENT (self));

  if (self->welcomed && ws_is_open (self))
    soup_websocket_connection_send_text (self->ws, "{\"type\":\"leave\"}");
  finish (self, NULL);
}

static gboolean
send_simple (SottoSignalingClient   *self,
             SottoSignalMessageType  type,
             const char             *field,
             const char             *value,
             const char             *reason,
             GError                **error)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (type);

  sotto_signal_message_set_string (msg, field, value);
  if (reason != NULL)
    sotto_signal_message_set_string (msg, "reason", reason);
  return sotto_signaling_client_send (self, msg, error);
}

gboolean
sotto_signaling_client_publish (SottoSignalingClient *self,
                                const char           *stream_id,
                                guint                 kinds,
                                const char           *name,
                                GError              **error)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_PUBLISH);

  sotto_signal_message_set_string (msg, "stream_id", stream_id);
  sotto_signal_message_take_node (msg, "kinds", sotto_signal_kinds_to_node (kinds));
  sotto_signal_message_set_string (msg, "name", name != NULL ? name : "");
  return sotto_signaling_client_send (self, msg, error);
}

gboolean
sotto_signaling_client_set_stream_state (SottoSignalingClient *self,
                                         const char           *stream_id,
                                         gboolean              audio_active,
                                         gboolean              video_active,
                                         GError              **error)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_STREAM_STATE);

  sotto_signal_message_set_string (msg, "stream_id", stream_id);
  sotto_signal_message_set_bool (msg, "audio", audio_active);
  sotto_signal_message_set_bool (msg, "video", video_active);
  return sotto_signaling_client_send (self, msg, error);
}

gboolean
sotto_signaling_client_unpublish (SottoSignalingClient *self,
                                  const char           *stream_id,
                                  GError              **error)
{
  return send_simple (self, SOTTO_SIGNAL_TYPE_UNPUBLISH, "stream_id", stream_id, NULL, error);
}

gboolean
sotto_signaling_client_subscribe (SottoSignalingClient *self,
                                  const char           *stream_id,
                                  GError              **error)
{
  return send_simple (self, SOTTO_SIGNAL_TYPE_SUBSCRIBE, "stream_id", stream_id, NULL, error);
}

gboolean
sotto_signaling_client_unsubscribe (SottoSignalingClient *self,
                                    const char           *subscription_id,
                                    GError              **error)
{
  return send_simple (self, SOTTO_SIGNAL_TYPE_UNSUBSCRIBE, "subscription_id", subscription_id,
                      NULL, error);
}

gboolean
sotto_signaling_client_send_sdp (SottoSignalingClient   *self,
                                 SottoSignalMessageType  type,
                                 const char             *subscription_id,
                                 const char             *sdp,
                                 GError                **error)
{
  g_autoptr (SottoSignalMessage) msg = NULL;

  g_return_val_if_fail (type == SOTTO_SIGNAL_TYPE_OFFER || type == SOTTO_SIGNAL_TYPE_ANSWER, FALSE);

  msg = sotto_signal_message_new (type);
  sotto_signal_message_set_string (msg, "subscription_id", subscription_id);
  sotto_signal_message_set_string (msg, "sdp", sdp);
  return sotto_signaling_client_send (self, msg, error);
}

gboolean
sotto_signaling_client_send_candidate (SottoSignalingClient *self,
                                       const char           *subscription_id,
                                       const char           *candidate,
                                       const char           *sdp_mid,
                                       gint                  sdp_mline_index,
                                       GError              **error)
{
  g_autoptr (SottoSignalMessage) msg = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_CANDIDATE);

  sotto_signal_message_set_string (msg, "subscription_id", subscription_id);
  sotto_signal_message_set_string (msg, "candidate", candidate);
  if (sdp_mid != NULL)
    sotto_signal_message_set_string (msg, "sdp_mid", sdp_mid);
  if (sdp_mline_index >= 0)
    sotto_signal_message_set_int (msg, "sdp_mline_index", sdp_mline_index);
  return sotto_signaling_client_send (self, msg, error);
}

gboolean
sotto_signaling_client_report_media (SottoSignalingClient *self,
                                     const char           *subscription_id,
                                     gboolean              connected,
                                     GError              **error)
{
  return send_simple (self, connected ? SOTTO_SIGNAL_TYPE_MEDIA_CONNECTED : SOTTO_SIGNAL_TYPE_MEDIA_ENDED,
                      "subscription_id", subscription_id, NULL, error);
}

gboolean
sotto_signaling_client_force_disconnect (SottoSignalingClient *self,
                                         const char           *connection_id,
                                         const char           *reason,
                                         GError              **error)
{
  return send_simple (self, SOTTO_SIGNAL_TYPE_FORCE_DISCONNECT, "connection_id", connection_id,
                      reason, error);
}

gboolean
sotto_signaling_client_force_unpublish (SottoSignalingClient *self,
                                        const char           *stream_id,
                                        const char           *reason,
                                        GError              **error)
{
  return send_simple (self, SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISH, "stream_id", stream_id, reason, error);
}

SottoSignalingClientState
sotto_signaling_client_get_state (SottoSignalingClient *self)
{
  g_return_val_if_fail (SOTTO_IS_SIGNALING_CLIENT (self), SOTTO_SIGNALING_CLIENT_STATE_CLOSED);
  return self->state;
}

SottoToken *
sotto_signaling_client_get_token (SottoSignalingClient *self)
{
  g_return_val_if_fail (SOTTO_IS_SIGNALING_CLIENT (self), NULL);
  return self->token;
}

const char *
sotto_signaling_client_get_connection_id (SottoSignalingClient *self)
{
  g_return_val_if_fail (SOTTO_IS_SIGNALING_CLIENT (self), NULL);
  return self->connection_id;
}

SottoSignalMessage *
sotto_signaling_client_get_welcome (SottoSignalingClient *self)
{
  g_return_val_if_fail (SOTTO_IS_SIGNALING_CLIENT (self), NULL);
  return self->welcome;
}

void
sotto_signaling_client_drop_for_testing (SottoSignalingClient *self)
{
  GSocket *socket;

  g_return_if_fail (SOTTO_IS_SIGNALING_CLIENT (self));
  if (self->ws == NULL)
    return;

  /* Shut the TCP socket down under TLS and WebSocket, as a network failure
   * would: no close frame, no leave. */
  socket = find_socket (self->ws);
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  else
    schedule_reconnect (self);
}
