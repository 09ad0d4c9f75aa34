/* sotto-websocket-codec.h: the server side of RFC 6455, bytes in and out, no I/O
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The signaling front end (sotto-signal-frontend.c) owns the sockets and
 * the TLS; this file only turns bytes into HTTP request heads and WebSocket
 * messages and back, so that every rule of the protocol can be tested and
 * fuzzed without a socket.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SOTTO_WEBSOCKET_ERROR (sotto_websocket_error_quark ())
GQuark sotto_websocket_error_quark (void);

typedef enum {
  SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,    /* not HTTP/1.1, or malformed: answer 400 */
  SOTTO_WEBSOCKET_ERROR_HEAD_TOO_LARGE, /* request head over the limit: answer 431 */
  SOTTO_WEBSOCKET_ERROR_PROTOCOL,       /* a frame breaks RFC 6455: close 1002 */
  SOTTO_WEBSOCKET_ERROR_TOO_BIG,        /* a message over the decoder's limit: close 1009 */
  SOTTO_WEBSOCKET_ERROR_BAD_UTF8,       /* a text message that is not UTF-8: close 1007 */
} SottoWebsocketError;

typedef enum {
  SOTTO_WEBSOCKET_OPCODE_CONTINUATION = 0x0,
  SOTTO_WEBSOCKET_OPCODE_TEXT         = 0x1,
  SOTTO_WEBSOCKET_OPCODE_BINARY       = 0x2,
  SOTTO_WEBSOCKET_OPCODE_CLOSE        = 0x8,
  SOTTO_WEBSOCKET_OPCODE_PING         = 0x9,
  SOTTO_WEBSOCKET_OPCODE_PONG         = 0xA,
} SottoWebsocketOpcode;

#define SOTTO_HTTP_MAX_HEAD_SIZE 8192

/* One HTTP/1.1 request head. Header names are stored lower-case; a header
 * sent twice keeps its values joined with ", " (RFC 9110 section 5.3). */
typedef struct {
  char       *method;
  char       *target;   /* the request target as sent, e.g. "/v1/signal" */
  GHashTable *headers;  /* lower-case name -> value, both owned */
} SottoHttpRequestHead;

void sotto_http_request_head_free (SottoHttpRequestHead *head);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoHttpRequestHead, sotto_http_request_head_free)

/* Parses a request head from the start of `data`.
 * Returns the head and sets `consumed` to its length including the final
 * CRLF CRLF; returns NULL with no error when the head is not complete yet
 * (and `len` is under SOTTO_HTTP_MAX_HEAD_SIZE); returns NULL with an error
 * when it is malformed (BAD_REQUEST) or too long (HEAD_TOO_LARGE). */
SottoHttpRequestHead *sotto_http_request_head_parse (const guint8 *data,
                                                     gsize         len,
                                                     gsize        *consumed,
                                                     GError      **error);

/* The value of header `name` (lower-case), or NULL. */
const char *sotto_http_request_head_get (const SottoHttpRequestHead *head,
                                         const char                 *name);

/* TRUE if the head asks for a WebSocket (GET, "Upgrade: websocket",
 * "Connection" containing the "upgrade" token, case-insensitively). */
gboolean sotto_http_request_head_wants_websocket (const SottoHttpRequestHead *head);

/* The complete "101 Switching Protocols" response for a head that wants a
 * WebSocket, or NULL with BAD_REQUEST when Sec-WebSocket-Version is not 13
 * or Sec-WebSocket-Key is not 16 bytes in base64. */
GBytes *sotto_websocket_handshake_response (const SottoHttpRequestHead *head,
                                            GError                    **error);

/* A complete HTTP/1.1 error response with a JSON {code, message} body and
 * "Connection: close", e.g. (400, "bad-request", "Not a WebSocket request"). */
GBytes *sotto_http_error_response (guint       status,
                                   const char *code,
                                   const char *message);

/* Incremental decoder of client frames (which must be masked). Control
 * frames may arrive between the fragments of a message. */
typedef struct _SottoWebsocketDecoder SottoWebsocketDecoder;

SottoWebsocketDecoder *sotto_websocket_decoder_new  (gsize max_message_size);
void                   sotto_websocket_decoder_free (SottoWebsocketDecoder *decoder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoWebsocketDecoder, sotto_websocket_decoder_free)

/* Takes the next complete message out of `input` (bytes received so far;
 * what it used is removed from the front). Returns TRUE and sets `opcode`
 * (TEXT, BINARY, CLOSE, PING or PONG) and `payload` (unmasked, reassembled;
 * for CLOSE the raw close body). Returns FALSE with no error when more bytes
 * are needed, FALSE with an error (PROTOCOL, TOO_BIG, BAD_UTF8) when the
 * connection must be closed. After an error the decoder must not be used.
 * The decoder keeps partial fragments itself, so `input` never grows past
 * one frame header plus what the caller has not yet handed over. */
gboolean sotto_websocket_decoder_next (SottoWebsocketDecoder *decoder,
                                       GByteArray            *input,
                                       SottoWebsocketOpcode  *opcode,
                                       GBytes               **payload,
                                       GError               **error);

/* Appends one unmasked, final server frame. */
void sotto_websocket_frame_append (GByteArray          *output,
                                   SottoWebsocketOpcode opcode,
                                   const guint8        *payload,
                                   gsize                len);

/* Appends a close frame with `code` and `reason` (the reason is cut, on a
 * UTF-8 boundary, to fit the 125-byte control payload). */
void sotto_websocket_close_append (GByteArray *output,
                                   gushort     code,
                                   const char *reason);

/* Parses a received close body: TRUE with the code (1005 when empty) and
 * the reason (NULL when none), FALSE when the body is malformed (one byte,
 * an invalid code, or a reason that is not UTF-8). */
gboolean sotto_websocket_close_parse (GBytes  *payload,
                                      gushort *code,
                                      char   **reason);

G_END_DECLS
