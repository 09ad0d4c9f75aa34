/* sotto-tls-frontend.h: sotto-server's one TLS listener
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accepts TCP, runs the TLS handshake (OpenSSL) and reads the HTTP request
 * head, all on one epoll set (sotto-epoll-source.h). A WebSocket upgrade at
 * the signaling path becomes a SottoSignalSocket handed out through the
 * "websocket" signal; any other request is bridged, decrypted, to the REST
 * API's SoupServer over a socket pair, so REST keeps libsoup's HTTP while
 * the 10,000 signaling sockets cost libsoup and GLib nothing per wakeup.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "sotto-signal-socket.h"

G_BEGIN_DECLS

#define SOTTO_TLS_FRONTEND_ERROR (sotto_tls_frontend_error_quark ())
GQuark sotto_tls_frontend_error_quark (void);

typedef enum {
  SOTTO_TLS_FRONTEND_ERROR_CERTIFICATE, /* the certificate or key cannot be used */
  SOTTO_TLS_FRONTEND_ERROR_LISTEN,      /* the address cannot be bound */
} SottoTlsFrontendError;

#define SOTTO_TYPE_TLS_FRONTEND (sotto_tls_frontend_get_type ())
G_DECLARE_FINAL_TYPE (SottoTlsFrontend, sotto_tls_frontend, SOTTO, TLS_FRONTEND, GObject)

/* `websocket_path`: the one path that upgrades; `rest_server` takes every
 * other request. Runs on the thread-default main context. */
SottoTlsFrontend   *sotto_tls_frontend_new    (const char *cert_path,
                                               const char *key_path,
                                               const char *websocket_path,
                                               gsize       max_message_size,
                                               SoupServer *rest_server,
                                               GError    **error);

/* Binds and listens; returns the bound address (port 0 picks one). */
GInetSocketAddress *sotto_tls_frontend_listen (SottoTlsFrontend *self,
                                               GSocketAddress   *address,
                                               GError          **error);

/* How long a client may take from TCP accept to a complete request head. */
void                sotto_tls_frontend_set_handshake_timeout (SottoTlsFrontend *self,
                                                              guint             timeout_ms);

/* Stops accepting and drops every connection not yet handed out (pending
 * handshakes and REST bridges). Signaling sockets belong to whoever took
 * them from "websocket". */
void                sotto_tls_frontend_stop   (SottoTlsFrontend *self);

G_END_DECLS
