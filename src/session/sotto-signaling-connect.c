/* sotto-signaling-connect.c: a pinned TLS WebSocket connection to the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TCP, then TLS, then the RFC 6455 upgrade, done here rather than by
 * SoupSession: libsoup 3.2 constructs its TLS connections without a
 * database, and glib-networking 2.74 then loads the whole system trust
 * store for each one (about 13 ms of CPU and 3.7 MB kept per connection)
 * although we trust nothing but a pinned key. Constructing the connection
 * with our SottoSignalingTlsDatabase avoids that. libsoup still does the
 * WebSocket framing (SoupWebsocketConnection).
 */
#define G_LOG_DOMAIN "sotto-signaling-client"

#include "sotto-config.h"

#include "sotto-signaling-connect.h"

#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "sotto-random.h"
#include "sotto-signaling-tls-database.h"
#include "sotto-websocket-key.h"

#define MAX_RESPONSE_SIZE 8192

typedef struct
{
  GUri              *uri;
  char              *pin;
  char              *key;       /* Sec-WebSocket-Key */
  GSocketConnection *tcp;
  GIOStream         *tls;
  GString           *response;
  char              *request;
  guint8             buffer[1024];
  gboolean           pin_mismatch;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_clear_pointer (&data->uri, g_uri_unref);
  g_free (data->pin);
  g_free (data->key);
  g_clear_object (&data->tcp);
  if (data->tls != NULL)
    g_signal_handlers_disconnect_by_data (data->tls, data);
  g_clear_object (&data->tls);
  if (data->response != NULL)
    g_string_free (data->response, TRUE);
  g_free (data->request);
  g_free (data);
}

static void
fail (GTask                        *task,
      SottoSignalingConnectFailure  failure,
      GError                       *error)
{
  g_task_set_task_data (task, GINT_TO_POINTER (failure + 1), NULL);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static ConnectData *
task_data (GTask *task)
{
  return g_object_get_data (G_OBJECT (task), "sotto-connect-data");
}

static gboolean
on_accept_certificate (GTlsConnection       *tls,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  ConnectData *data = user_data;

  /* Our database already said no: the key is not the pinned one. */
  data->pin_mismatch = TRUE;
  return FALSE;
}

/* Checks a complete response head (without the final blank line). */
static gboolean
response_is_upgrade (const char *head,
                     const char *key)
{
  g_auto (GStrv) lines = g_strsplit (head, "\r\n", -1);
  g_autofree char *accept = sotto_websocket_accept_key (key);
  gboolean upgrade = FALSE, connection = FALSE, accepted = FALSE;

  if (lines[0] == NULL || !g_str_has_prefix (lines[0], "HTTP/1.1 101"))
    return FALSE;
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;
      name = g_ascii_strdown (lines[i], colon - lines[i]);
      value = g_strstrip (g_strdup (colon + 1));
      if (strcmp (name, "upgrade") == 0)
        upgrade = g_ascii_strcasecmp (value, "websocket") == 0;
      else if (strcmp (name, "connection") == 0)
        {
          g_autofree char *lower = g_ascii_strdown (value, -1);

          connection = strstr (lower, "upgrade") != NULL;
        }
      else if (strcmp (name, "sec-websocket-accept") == 0)
        accepted = strcmp (value, accept) == 0;
    }
  return upgrade && connection && accepted;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ConnectData *data = task_data (task);
  g_autoptr (GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  const char *end;
  SoupWebsocketConnection *ws;

  if (n <= 0)
    {
      fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE,
            error ? g_steal_pointer (&error)
                  : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                         _("The server closed the connection during the upgrade")));
      return;
    }
  g_string_append_len (data->response, (const char *) data->buffer, n);
  end = strstr (data->response->str, "\r\n\r\n");
  if (end == NULL)
    {
      if (data->response->len > MAX_RESPONSE_SIZE)
        {
          fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE,
                g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                     _("The server's upgrade response is too long")));
          return;
        }
      g_input_stream_read_async (g_io_stream_get_input_stream (data->tls), data->buffer,
                                 sizeof data->buffer, G_PRIORITY_DEFAULT,
                                 g_task_get_cancellable (task), on_read, task);
      return;
    }

  /* The server sends nothing before our join, so nothing may follow the
   * head: anything that did would be lost to the WebSocket reader. */
  if ((gsize) (end + 4 - data->response->str) != data->response->len)
    {
      fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE,
            g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("The server sent data before the WebSocket was open")));
      return;
    }
  g_string_truncate (data->response, end - data->response->str);
  if (!response_is_upgrade (data->response->str, data->key))
    {
      fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE,
            g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("The server refused the WebSocket upgrade")));
      return;
    }

  /* The WebSocket's sources belong to the caller's context. */
  g_main_context_push_thread_default (g_task_get_context (task));
  ws = soup_websocket_connection_new (data->tls, data->uri, SOUP_WEBSOCKET_CONNECTION_CLIENT,
                                      NULL, NULL, NULL);
  g_main_context_pop_thread_default (g_task_get_context (task));
  g_task_return_pointer (task, ws, g_object_unref);
  g_object_unref (task);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  ConnectData *data = task_data (task);
  g_autoptr (GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE, g_steal_pointer (&error));
      return;
    }
  data->response = g_string_new (NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (data->tls), data->buffer,
                             sizeof data->buffer, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (task), on_read, task);
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  ConnectData *data = task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *host = NULL;
  const char *path;
  guint8 key_bytes[16];
  g_autoptr (GBytes) random = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      fail (task, data->pin_mismatch ? SOTTO_SIGNALING_CONNECT_PIN_MISMATCH
                                     : SOTTO_SIGNALING_CONNECT_UNREACHABLE,
            g_steal_pointer (&error));
      return;
    }
  /* Belt and braces: whatever glib-networking decided, no byte goes to a
   * server without the pinned key. */
  pin = sotto_signaling_certificate_pin (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (source)));
  if (pin == NULL || strcmp (pin, data->pin) != 0)
    {
      fail (task, SOTTO_SIGNALING_CONNECT_PIN_MISMATCH,
            g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                                 _("The server's certificate does not match the pin")));
      return;
    }

  random = sotto_random_bytes (sizeof key_bytes, NULL);
  if (random == NULL)
    {
      fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE,
            g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, _("No random bytes for the WebSocket key")));
      return;
    }
  memcpy (key_bytes, g_bytes_get_data (random, NULL), sizeof key_bytes);
  data->key = g_base64_encode (key_bytes, sizeof key_bytes);
  path = g_uri_get_path (data->uri);
  host = strchr (g_uri_get_host (data->uri), ':') != NULL
           ? g_strdup_printf ("[%s]", g_uri_get_host (data->uri))
           : g_strdup (g_uri_get_host (data->uri));
  if (g_uri_get_port (data->uri) > 0)
    {
      char *with_port = g_strdup_printf ("%s:%d", host, g_uri_get_port (data->uri));

      g_free (host);
      host = with_port;
    }
  data->request = g_strdup_printf ("GET %s HTTP/1.1\r\n"
                                   "Host: %s\r\n"
                                   "Upgrade: websocket\r\n"
                                   "Connection: Upgrade\r\n"
                                   "Sec-WebSocket-Key: %s\r\n"
                                   "Sec-WebSocket-Version: 13\r\n"
                                   "\r\n",
                                   path != NULL && *path != '\0' ? path : "/", host, data->key);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (data->tls), data->request,
                                   strlen (data->request), G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_written, task);
}

static void
on_tcp (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  ConnectData *data = task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnectable) identity = NULL;
  g_autoptr (GTlsDatabase) database = NULL;

  data->tcp = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (data->tcp == NULL)
    {
      fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE, g_steal_pointer (&error));
      return;
    }
  /* Small request/response frames: no Nagle delay. */
  g_socket_set_option (g_socket_connection_get_socket (data->tcp), IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  identity = g_network_address_new (g_uri_get_host (data->uri),
                                    g_uri_get_port (data->uri) > 0 ? g_uri_get_port (data->uri) : 443);
  database = sotto_signaling_tls_database_new (data->pin);
  data->tls = g_initable_new (g_tls_backend_get_client_connection_type (g_tls_backend_get_default ()),
                              g_task_get_cancellable (task), &error,
                              "base-io-stream", data->tcp,
                              "server-identity", identity,
                              "database", database,
                              "require-close-notify", FALSE,
                              NULL);
  if (data->tls == NULL)
    {
      fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE, g_steal_pointer (&error));
      return;
    }
  g_signal_connect (data->tls, "accept-certificate", G_CALLBACK (on_accept_certificate), data);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (data->tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_handshake, task);
}

void
sotto_signaling_connect_async (const char          *url,
                               const char          *pin,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ConnectData *data = g_new0 (ConnectData, 1);
  g_autoptr (GSocketClient) client = NULL;
  g_autoptr (GSocketConnectable) address = NULL;
  g_autoptr (GError) error = NULL;

  g_task_set_source_tag (task, sotto_signaling_connect_async);
  g_object_set_data_full (G_OBJECT (task), "sotto-connect-data", data,
                          (GDestroyNotify) connect_data_free);
  data->pin = g_strdup (pin);
  data->uri = g_uri_parse (url, G_URI_FLAGS_NONE, &error);
  if (data->uri == NULL || g_uri_get_host (data->uri) == NULL)
    {
      fail (task, SOTTO_SIGNALING_CONNECT_UNREACHABLE,
            error ? g_steal_pointer (&error)
                  : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Invalid server URL")));
      return;
    }

  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, 30);
  address = g_network_address_new (g_uri_get_host (data->uri),
                                   g_uri_get_port (data->uri) > 0 ? g_uri_get_port (data->uri) : 443);
  g_socket_client_connect_async (client, address, cancellable, on_tcp, task);
}

SoupWebsocketConnection *
sotto_signaling_connect_finish (GAsyncResult                 *result,
                                SottoSignalingConnectFailure *failure,
                                GError                      **error)
{
  GTask *task = G_TASK (result);
  gpointer code = g_task_get_task_data (task);

  if (failure != NULL)
    *failure = code != NULL ? (SottoSignalingConnectFailure) (GPOINTER_TO_INT (code) - 1)
                            : SOTTO_SIGNALING_CONNECT_UNREACHABLE;
  return g_task_propagate_pointer (task, error);
}
