/* sotto-signal-socket.h: one signaling WebSocket over TLS, on the front end's epoll set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the signaling hub talks to: text messages in, text messages out, a
 * close with a code, and word once the socket is gone.
 * Created by SottoTlsFrontend after the HTTP upgrade; an idle socket holds
 * no buffers, only its TLS state and a WebSocket decoder.
 */
#pragma once

#include <gio/gio.h>
#include <openssl/ssl.h>

G_BEGIN_DECLS

#define SOTTO_TYPE_SIGNAL_SOCKET (sotto_signal_socket_get_type ())
G_DECLARE_FINAL_TYPE (SottoSignalSocket, sotto_signal_socket, SOTTO, SIGNAL_SOCKET, GObject)

/* What the owner hears: one complete message (`is_text` FALSE for a binary
 * one), and, once, that the socket is gone. Plain callbacks rather than
 * GObject signals: two signal handlers cost more than the rest of an idle
 * socket's own state, times 10,000. */
typedef void (*SottoSignalSocketMessageFunc) (SottoSignalSocket *socket,
                                              gboolean           is_text,
                                              GBytes            *payload,
                                              gpointer           user_data);
typedef void (*SottoSignalSocketClosedFunc)  (SottoSignalSocket *socket,
                                              gpointer           user_data);

/* Takes `fd` (non-blocking, connected) and `ssl` (handshake done). The
 * socket starts by sending `first_output` (the 101 response) and then
 * treats `leftover` (bytes the client sent after its request head) as
 * received. It is watched on `admission_source` until
 * sotto_signal_socket_admit(), then on `established_source`. Nothing
 * happens until sotto_signal_socket_start(), so the owner can set its
 * handlers first. */
SottoSignalSocket *sotto_signal_socket_new (GSource      *admission_source,
                                            GSource      *established_source,
                                            int           fd,
                                            SSL          *ssl,
                                            GBytes       *first_output,
                                            const guint8 *leftover,
                                            gsize         leftover_len,
                                            gsize         max_message_size);

/* Sets the owner's callbacks (before start); NULL stops the calls. */
void     sotto_signal_socket_set_handlers (SottoSignalSocket           *self,
                                           SottoSignalSocketMessageFunc on_message,
                                           SottoSignalSocketClosedFunc  on_closed,
                                           gpointer                     user_data);

void     sotto_signal_socket_start     (SottoSignalSocket *self);

/* The join was answered: from now on the socket shares the established
 * sockets' epoll set (see sotto-tls-frontend.c). */
void     sotto_signal_socket_admit     (SottoSignalSocket *self);

/* TRUE until a close was sent or received, or the connection failed. */
gboolean sotto_signal_socket_is_open   (SottoSignalSocket *self);

/* Queues one text message; dropped unless the socket is open. */
void     sotto_signal_socket_send_text (SottoSignalSocket *self,
                                        const char        *text);

/* Sends a close frame with `code` and `reason`, waits briefly for the
 * client's close, then lets go of the connection ("closed" follows). */
void     sotto_signal_socket_close     (SottoSignalSocket *self,
                                        gushort            code,
                                        const char        *reason);

G_END_DECLS
