/* test-websocket-codec.c: request heads, the handshake and frames (RFC 6455)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sotto-websocket-codec.h"

#define MAX_MESSAGE (1024 * 1024)

static const guint8 test_mask[4] = { 0x37, 0xfa, 0x21, 0x3d };

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

typedef enum {
  LEN_MINIMAL,
  LEN_16,
  LEN_64,
} LenForm;

/* Appends a client frame: `b0` is FIN/RSV/opcode, the payload is masked
 * with test_mask, and the length uses `form` (or the minimal one). */
static void
client_frame_full (GByteArray   *out,
                   guint8        b0,
                   const guint8 *payload,
                   gsize         len,
                   LenForm       form,
                   gboolean      masked)
{
  guint8 b1 = masked ? 0x80 : 0;
  gsize i;

  if (form == LEN_MINIMAL)
    form = len < 126 ? LEN_MINIMAL : len <= 0xffff ? LEN_16 : LEN_64;
  g_byte_array_append (out, &b0, 1);
  if (form == LEN_MINIMAL)
    {
      b1 |= (guint8) len;
      g_byte_array_append (out, &b1, 1);
    }
  else if (form == LEN_16)
    {
      guint8 ext[2] = { (guint8) (len >> 8), (guint8) len };

      b1 |= 126;
      g_byte_array_append (out, &b1, 1);
      g_byte_array_append (out, ext, 2);
    }
  else
    {
      guint8 ext[8];

      for (i = 0; i < 8; i++)
        ext[i] = (guint8) ((guint64) len >> (56 - 8 * i));
      b1 |= 127;
      g_byte_array_append (out, &b1, 1);
      g_byte_array_append (out, ext, 8);
    }
  if (masked)
    g_byte_array_append (out, test_mask, 4);
  for (i = 0; i < len; i++)
    {
      guint8 c = payload[i] ^ (masked ? test_mask[i & 3] : 0);

      g_byte_array_append (out, &c, 1);
    }
}

static void
client_frame (GByteArray *out,
              guint8      b0,
              const char *text)
{
  client_frame_full (out, b0, (const guint8 *) text, strlen (text), LEN_MINIMAL, TRUE);
}

static GByteArray *
bytes_array (const guint8 *data,
             gsize         len)
{
  GByteArray *a = g_byte_array_new ();

  g_byte_array_append (a, data, len);
  return a;
}

/* Expects the next message to be `opcode` with `text` as payload. */
static void
expect_message (SottoWebsocketDecoder *decoder,
                GByteArray            *input,
                SottoWebsocketOpcode   opcode,
                const char            *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  SottoWebsocketOpcode got = 0xff;
  gsize len = 0;
  const char *data;

  g_assert_true (sotto_websocket_decoder_next (decoder, input, &got, &payload, &error));
  g_assert_no_error (error);
  g_assert_cmpint (got, ==, opcode);
  data = g_bytes_get_data (payload, &len);
  g_assert_cmpmem (data, len, text, strlen (text));
}

static void
expect_more (SottoWebsocketDecoder *decoder,
             GByteArray            *input)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  SottoWebsocketOpcode got;

  g_assert_false (sotto_websocket_decoder_next (decoder, input, &got, &payload, &error));
  g_assert_no_error (error);
  g_assert_null (payload);
}

static void
expect_error (SottoWebsocketDecoder *decoder,
              GByteArray            *input,
              SottoWebsocketError    code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  SottoWebsocketOpcode got;

  g_assert_false (sotto_websocket_decoder_next (decoder, input, &got, &payload, &error));
  g_assert_error (error, SOTTO_WEBSOCKET_ERROR, (int) code);
  g_assert_null (payload);
}

/* Feeds a single frame built from raw bytes to a fresh decoder. */
static void
expect_frame_error (const guint8       *frame,
                    gsize               len,
                    SottoWebsocketError code)
{
  g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
  g_autoptr(GByteArray) input = bytes_array (frame, len);

  expect_error (decoder, input, code);
}

static SottoHttpRequestHead *
parse_head (const char *text,
            GError    **error)
{
  gsize consumed = 0;
  SottoHttpRequestHead *head;

  head = sotto_http_request_head_parse ((const guint8 *) text, strlen (text), &consumed, error);
  if (head != NULL)
    g_assert_cmpuint (consumed, ==, strlen (text));
  return head;
}

#define RFC_REQUEST \
  "GET /chat HTTP/1.1\r\n" \
  "Host: server.example.com\r\n" \
  "Upgrade: websocket\r\n" \
  "Connection: Upgrade\r\n" \
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" \
  "Origin: http://example.com\r\n" \
  "Sec-WebSocket-Protocol: chat, superchat\r\n" \
  "Sec-WebSocket-Version: 13\r\n" \
  "\r\n"

/* ------------------------------------------------------------------------ */
/* Request heads and the handshake                                          */
/* ------------------------------------------------------------------------ */

static void
test_handshake_rfc_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoHttpRequestHead) head = parse_head (RFC_REQUEST, &error);
  g_autoptr(GBytes) response = NULL;
  static const char expected[] =
    "HTTP/1.1 101 Switching Protocols\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    /* RFC 6455 section 1.3's value (SHA-1 and base64 checked by hand). */
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
    "\r\n";

  g_assert_no_error (error);
  g_assert_nonnull (head);
  g_assert_cmpstr (head->method, ==, "GET");
  g_assert_cmpstr (head->target, ==, "/chat");
  g_assert_cmpstr (sotto_http_request_head_get (head, "origin"), ==, "http://example.com");
  g_assert_true (sotto_http_request_head_wants_websocket (head));

  response = sotto_websocket_handshake_response (head, &error);
  g_assert_no_error (error);
  /* The subprotocol the client offered is not chosen: no such header. */
  g_assert_cmpmem (g_bytes_get_data (response, NULL), g_bytes_get_size (response),
                   expected, strlen (expected));
}

static void
test_handshake_refused (void)
{
  static const char *const bad[] = {
    /* version */
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
    /* key: 15 bytes, 17 bytes, bad characters, not canonical, missing */
    "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\nSec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA=\r\nSec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=\r\nSec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZ*==\r\nSec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZ-==\r\nSec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==\r\nSec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==AAAA\r\nSec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Version: 13\r\n",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                                               "Connection: Upgrade\r\n%s\r\n", bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoHttpRequestHead) head = parse_head (text, &error);
      g_autoptr(GBytes) response = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_no_error (error);
      g_assert_true (sotto_http_request_head_wants_websocket (head));
      response = sotto_websocket_handshake_response (head, &error);
      g_assert_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST);
      g_assert_null (response);
    }
}

static void
test_wants_websocket (void)
{
  static const struct {
    const char *method;
    const char *headers;
    gboolean    wants;
  } cases[] = {
    { "GET", "Upgrade: websocket\r\nConnection: Upgrade\r\n", TRUE },
    { "GET", "upgrade: WebSocket\r\nCONNECTION: keep-alive, UPGRADE\r\n", TRUE },
    { "GET", "Upgrade: h2c, websocket\r\nConnection: Upgrade ,keep-alive\r\n", TRUE },
    { "GET", "Upgrade: websocket\r\nConnection: keep-alive\r\nConnection: upgrade\r\n", TRUE },
    { "POST", "Upgrade: websocket\r\nConnection: Upgrade\r\n", FALSE },
    { "get", "Upgrade: websocket\r\nConnection: Upgrade\r\n", FALSE },
    { "GET", "Upgrade: websocket\r\n", FALSE },
    { "GET", "Connection: Upgrade\r\n", FALSE },
    { "GET", "Upgrade: websockets\r\nConnection: Upgrade\r\n", FALSE },
    { "GET", "Upgrade: websocket\r\nConnection: upgrade-insecure\r\n", FALSE },
    { "GET", "Upgrade: websocket\r\nConnection: keep-alive upgrade\r\n", FALSE },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s / HTTP/1.1\r\nHost: h\r\n%s\r\n",
                                               cases[i].method, cases[i].headers);
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoHttpRequestHead) head = parse_head (text, &error);
      g_autoptr(GBytes) response = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_no_error (error);
      g_assert_cmpint (sotto_http_request_head_wants_websocket (head), ==, cases[i].wants);
      if (!cases[i].wants)
        {
          response = sotto_websocket_handshake_response (head, &error);
          g_assert_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST);
          g_assert_null (response);
        }
    }
}

static void
test_head_fields (void)
{
  static const char text[] =
    "GET /v1/signal?x=1 HTTP/1.1\r\n"
    "HOST: example.org:8443\r\n"
    "X-Thing:   padded \t \r\n"
    "x-thing: second\r\n"
    "X-THING:\r\n"
    "Empty:\r\n"
    "User-Agent: caf\xc3\xa9\tbrowser\r\n"
    "\r\n"
    "\x81\x85 trailing frame bytes";
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoHttpRequestHead) head = NULL;
  gsize consumed = 0;

  head = sotto_http_request_head_parse ((const guint8 *) text, sizeof text - 1, &consumed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (head);
  /* Only the head is consumed: the bytes after it belong to the frames. */
  g_assert_cmpuint (consumed, ==, strstr (text, "\r\n\r\n") + 4 - text);
  g_assert_cmpstr (head->method, ==, "GET");
  g_assert_cmpstr (head->target, ==, "/v1/signal?x=1");
  g_assert_cmpstr (sotto_http_request_head_get (head, "host"), ==, "example.org:8443");
  g_assert_cmpstr (sotto_http_request_head_get (head, "x-thing"), ==, "padded, second, ");
  g_assert_cmpstr (sotto_http_request_head_get (head, "empty"), ==, "");
  g_assert_cmpstr (sotto_http_request_head_get (head, "user-agent"), ==, "caf\xc3\xa9\tbrowser");
  g_assert_null (sotto_http_request_head_get (head, "Host"));
  g_assert_null (sotto_http_request_head_get (head, "missing"));
  g_assert_cmpuint (g_hash_table_size (head->headers), ==, 4);
}

static void
test_head_incomplete (void)
{
  gsize len = strlen (RFC_REQUEST), i;

  /* Every strict prefix waits for more, with no error and nothing used. */
  for (i = 0; i < len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoHttpRequestHead) head = NULL;
      gsize consumed = 99;

      head = sotto_http_request_head_parse ((const guint8 *) RFC_REQUEST, i, &consumed, &error);
      g_assert_no_error (error);
      g_assert_null (head);
      g_assert_cmpuint (consumed, ==, 0);
    }
}

static void
test_head_too_large (void)
{
  g_autoptr(GString) text = g_string_new ("GET / HTTP/1.1\r\nHost: h\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoHttpRequestHead) head = NULL;
  gsize consumed = 0;
  gsize pad;

  /* Exactly at the limit, final CRLF CRLF included: accepted. */
  pad = SOTTO_HTTP_MAX_HEAD_SIZE - text->len - strlen ("X: \r\n\r\n");
  g_string_append (text, "X: ");
  g_string_append_len (text, (char *) memset (g_alloca (pad), 'a', pad), pad);
  g_string_append (text, "\r\n\r\n");
  g_assert_cmpuint (text->len, ==, SOTTO_HTTP_MAX_HEAD_SIZE);
  head = sotto_http_request_head_parse ((const guint8 *) text->str, text->len, &consumed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (head);
  g_assert_cmpuint (consumed, ==, SOTTO_HTTP_MAX_HEAD_SIZE);
  g_clear_pointer (&head, sotto_http_request_head_free);

  /* One byte longer: the terminator ends past the limit. */
  g_string_insert_c (text, text->len - 4, 'a');
  head = sotto_http_request_head_parse ((const guint8 *) text->str, text->len, &consumed, &error);
  g_assert_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_HEAD_TOO_LARGE);
  g_assert_null (head);
  g_clear_error (&error);

  /* Incomplete: under the limit it waits, at the limit it fails. */
  head = sotto_http_request_head_parse ((const guint8 *) text->str, SOTTO_HTTP_MAX_HEAD_SIZE - 1,
                                        &consumed, &error);
  g_assert_no_error (error);
  g_assert_null (head);
  head = sotto_http_request_head_parse ((const guint8 *) text->str, SOTTO_HTTP_MAX_HEAD_SIZE,
                                        &consumed, &error);
  g_assert_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_HEAD_TOO_LARGE);
  g_assert_null (head);
}

static void
test_head_malformed (void)
{
  static const char *const bad[] = {
    "GET / HTTP/1.1\nHost: h\r\n\r\n",               /* bare LF */
    "GET / HTTP/1.1\r\nHost: h\n\n",                 /* bare LFs at the end */
    "GET / HTTP/1.1\rHost: h\r\n\r\n",               /* bare CR */
    "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",         /* empty request line */
    " / HTTP/1.1\r\nHost: h\r\n\r\n",                /* empty method */
    "GET  HTTP/1.1\r\nHost: h\r\n\r\n",              /* empty target */
    "GET /  HTTP/1.1\r\nHost: h\r\n\r\n",            /* two spaces */
    "GET /\tx HTTP/1.1\r\nHost: h\r\n\r\n",          /* tab in target */
    "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",             /* not a token */
    "GET / HTTP/1.0\r\nHost: h\r\n\r\n",
    "GET / HTTP/2.0\r\nHost: h\r\n\r\n",
    "GET / http/1.1\r\nHost: h\r\n\r\n",
    "GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
    "GET /\r\nHost: h\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tfolded\r\n\r\n",
    "GET / HTTP/1.1\r\n Host: h\r\n\r\n",
    "GET / HTTP/1.1\r\nHost : h\r\n\r\n",            /* space before colon */
    "GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nNo colon\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX@Y: v\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01" "b\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: h\r\nX: a\x1b[31m\r\n\r\n",
    "GET / HTTP/1.1\r\nX: y\r\n\r\n",                /* no Host */
    "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n",   /* two Hosts */
  };
  static const char with_nul[] = "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n";
  g_autoptr(GString) many = g_string_new ("GET / HTTP/1.1\r\n");
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SottoHttpRequestHead) head = parse_head (bad[i], &error);
      g_autofree char *escaped = g_strescape (bad[i], NULL);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, escaped);
      g_assert_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST);
      g_assert_null (head);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SottoHttpRequestHead) head =
      sotto_http_request_head_parse ((const guint8 *) with_nul, sizeof with_nul - 1, NULL, &error);

    g_assert_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST);
    g_assert_null (head);
  }

  /* Garbage is refused at once rather than after 8 KiB of it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SottoHttpRequestHead) head =
      sotto_http_request_head_parse ((const guint8 *) "\x16\x03\x01\x00", 4, NULL, &error);

    g_assert_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST);
    g_assert_null (head);
  }

  /* 100 header lines pass, 101 do not. */
  g_string_append (many, "Host: h\r\n");
  for (i = 1; i < 100; i++)
    g_string_append_printf (many, "X-%" G_GSIZE_FORMAT ": v\r\n", i);
  {
    g_autofree char *text = g_strconcat (many->str, "\r\n", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(SottoHttpRequestHead) head = parse_head (text, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_hash_table_size (head->headers), ==, 100);
  }
  {
    g_autofree char *text = g_strconcat (many->str, "X-100: v\r\n\r\n", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(SottoHttpRequestHead) head = parse_head (text, &error);

    g_assert_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST);
    g_assert_null (head);
  }
}

/* Splits a response into its status line, headers and body. */
static void
check_error_response (guint       status,
                      const char *reason,
                      const char *code,
                      const char *message,
                      const char *extra_header)
{
  g_autoptr(GBytes) response = sotto_http_error_response (status, code, message);
  g_autofree char *text = NULL;
  g_autofree char *status_line = NULL;
  g_autofree char *content_length = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *body;
  gsize len;

  g_assert_nonnull (response);
  text = g_strndup (g_bytes_get_data (response, &len), g_bytes_get_size (response));
  g_assert_cmpuint (strlen (text), ==, len);
  body = strstr (text, "\r\n\r\n");
  g_assert_nonnull (body);
  body += 4;

  status_line = g_strdup_printf ("HTTP/1.1 %u %s\r\n", status, reason);
  g_assert_true (g_str_has_prefix (text, status_line));
  g_assert_nonnull (strstr (text, "\r\nContent-Type: application/json\r\n"));
  g_assert_nonnull (strstr (text, "\r\nConnection: close\r\n"));
  g_assert_nonnull (strstr (text, "\r\nCache-Control: no-store\r\n"));
  content_length = g_strdup_printf ("\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n", strlen (body));
  g_assert_nonnull (strstr (text, content_length));
  if (extra_header != NULL)
    g_assert_nonnull (strstr (text, extra_header));
  /* The head alone has no bare line ends (the body may hold escapes). */
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_null (strchr (lines[0], '\n'));

  g_assert_true (json_parser_load_from_data (parser, body, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, message);
}

static void
test_error_response (void)
{
  check_error_response (400, "Bad Request", "bad-request", "Not a WebSocket request", NULL);
  check_error_response (404, "Not Found", "not-found", "No such endpoint", NULL);
  check_error_response (405, "Method Not Allowed", "method", "Use GET", "\r\nAllow: GET\r\n");
  check_error_response (426, "Upgrade Required", "upgrade", "Speak WebSocket 13",
                        "\r\nSec-WebSocket-Version: 13\r\n");
  check_error_response (431, "Request Header Fields Too Large", "head-too-large", "Too long", NULL);
  check_error_response (500, "Internal Server Error", "internal", "Oops", NULL);
  check_error_response (503, "Service Unavailable", "busy", "Try later", NULL);
  check_error_response (418, "Client Error", "teapot", "Short and stout", NULL);
  check_error_response (599, "Server Error", "odd", "Odd", NULL);
  /* Quotes, backslashes, line breaks and non-ASCII survive as JSON. */
  check_error_response (400, "Bad Request", "x\"y", "line\r\nbreak \\ \"q\" \x01 caf\xc3\xa9", NULL);
}

/* ------------------------------------------------------------------------ */
/* Decoder                                                                  */
/* ------------------------------------------------------------------------ */

static void
test_decode_rfc_examples (void)
{
  /* RFC 6455 section 5.7. */
  static const guint8 masked_hello[] = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
                                         0x7f, 0x9f, 0x4d, 0x51, 0x58 };
  static const guint8 unmasked_hello[] = { 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
  static const guint8 unmasked_first_fragment[] = { 0x01, 0x03, 0x48, 0x65, 0x6c };
  static const guint8 unmasked_ping[] = { 0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f };
  static const guint8 masked_pong[] = { 0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d,
                                        0x7f, 0x9f, 0x4d, 0x51, 0x58 };
  g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
  g_autoptr(GByteArray) input = bytes_array (masked_hello, sizeof masked_hello);

  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_TEXT, "Hello");
  g_assert_cmpuint (input->len, ==, 0);
  expect_more (decoder, input);

  g_byte_array_append (input, masked_pong, sizeof masked_pong);
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_PONG, "Hello");

  /* The same fragmented message, masked as a client must send it. */
  client_frame (input, 0x01, "Hel");
  client_frame (input, 0x80, "lo");
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_TEXT, "Hello");
  client_frame (input, 0x89, "Hello");
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_PING, "Hello");
  g_assert_cmpuint (input->len, ==, 0);

  /* The server-to-client examples are unmasked: a client may not send them. */
  expect_frame_error (unmasked_hello, sizeof unmasked_hello, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
  expect_frame_error (unmasked_first_fragment, sizeof unmasked_first_fragment,
                      SOTTO_WEBSOCKET_ERROR_PROTOCOL);
  expect_frame_error (unmasked_ping, sizeof unmasked_ping, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
}

static void
test_decode_interleaved_control (void)
{
  g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
  g_autoptr(GByteArray) input = g_byte_array_new ();

  client_frame (input, 0x01, "Hel");
  client_frame (input, 0x89, "ping");
  client_frame (input, 0x00, "lo");
  client_frame (input, 0x8a, "");
  client_frame (input, 0x88, "\x03\xe8" "bye");
  client_frame (input, 0x80, ", world");
  client_frame_full (input, 0x82, (const guint8 *) "\xff\x00", 2, LEN_MINIMAL, TRUE);

  /* Control frames come out at once, the message when it is whole. */
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_PING, "ping");
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_PONG, "");
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_CLOSE, "\x03\xe8" "bye");
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_TEXT, "Hello, world");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) payload = NULL;
    SottoWebsocketOpcode opcode;

    g_assert_true (sotto_websocket_decoder_next (decoder, input, &opcode, &payload, &error));
    g_assert_cmpint (opcode, ==, SOTTO_WEBSOCKET_OPCODE_BINARY);
    g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "\xff\x00", 2);
  }
  expect_more (decoder, input);
  g_assert_cmpuint (input->len, ==, 0);
}

static void
check_length_form (gsize   len,
                   LenForm form,
                   gsize   header_len)
{
  g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autofree guint8 *data = g_malloc (len + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) payload = NULL;
  SottoWebsocketOpcode opcode;
  gsize i;

  for (i = 0; i < len; i++)
    data[i] = (guint8) (i * 7 + 3);
  client_frame_full (input, 0x82, data, len, form, TRUE);
  g_assert_cmpuint (input->len, ==, header_len + len);
  g_assert_true (sotto_websocket_decoder_next (decoder, input, &opcode, &payload, &error));
  g_assert_no_error (error);
  g_assert_cmpint (opcode, ==, SOTTO_WEBSOCKET_OPCODE_BINARY);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), data, len);
  g_assert_cmpuint (input->len, ==, 0);
}

static void
test_decode_length_forms (void)
{
  check_length_form (125, LEN_MINIMAL, 6);
  check_length_form (126, LEN_MINIMAL, 8);
  check_length_form (65535, LEN_MINIMAL, 8);
  check_length_form (65536, LEN_MINIMAL, 14);
  check_length_form (200000, LEN_MINIMAL, 14);
  /* Longer forms than needed are accepted (see the codec's header comment). */
  check_length_form (5, LEN_16, 8);
  check_length_form (5, LEN_64, 14);
  check_length_form (0, LEN_64, 14);
}

static void
test_decode_byte_at_a_time (void)
{
  g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  gsize i, done = 0;

  for (i = 0; i < 300; i++)
    g_string_append_c (text, 'a' + i % 26);
  /* A fragmented 16-bit-length frame with a ping between the fragments. */
  client_frame_full (wire, 0x01, (const guint8 *) text->str, 200, LEN_MINIMAL, TRUE);
  client_frame (wire, 0x89, "p");
  client_frame_full (wire, 0x80, (const guint8 *) text->str + 200, 100, LEN_MINIMAL, TRUE);

  for (i = 0; i < wire->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) payload = NULL;
      SottoWebsocketOpcode opcode;

      g_byte_array_append (input, wire->data + i, 1);
      if (sotto_websocket_decoder_next (decoder, input, &opcode, &payload, &error))
        {
          done++;
          if (done == 1)
            {
              g_assert_cmpint (opcode, ==, SOTTO_WEBSOCKET_OPCODE_PING);
              g_assert_cmpuint (i, ==, 8 + 200 + 7 - 1);
            }
          else
            {
              g_assert_cmpint (opcode, ==, SOTTO_WEBSOCKET_OPCODE_TEXT);
              g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                               text->str, text->len);
              g_assert_cmpuint (i, ==, wire->len - 1);
            }
        }
      g_assert_no_error (error);
      /* Payload bytes are taken at once: only a partial header may wait. */
      g_assert_cmpuint (input->len, <, 8);
    }
  g_assert_cmpuint (done, ==, 2);
  g_assert_cmpuint (input->len, ==, 0);
}

static void
test_decode_several_in_one_buffer (void)
{
  g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  guint i;

  for (i = 0; i < 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"n\":%u}", i);

      client_frame (input, 0x81, text);
    }
  client_frame (input, 0x89, "");
  /* And the first two bytes of the next frame. */
  g_byte_array_append (input, (const guint8 *) "\x81\x85", 2);

  for (i = 0; i < 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"n\":%u}", i);

      expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_TEXT, text);
    }
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_PING, "");
  expect_more (decoder, input);
  g_assert_cmpuint (input->len, ==, 2);
  g_byte_array_append (input, (const guint8 *) "\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 9);
  expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_TEXT, "Hello");
  g_assert_cmpuint (input->len, ==, 0);
}

static void
test_decode_protocol_errors (void)
{
  static const guint8 masked_mask[] = { 0x37, 0xfa, 0x21, 0x3d };
  guint8 frame[16];
  guint op;

  /* Unmasked, each RSV bit, each unknown opcode. */
  memcpy (frame, "\x81\x00", 2);
  expect_frame_error (frame, 2, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
  for (op = 0x10; op <= 0x40; op <<= 1)
    {
      frame[0] = 0x81 | op;
      frame[1] = 0x80;
      memcpy (frame + 2, masked_mask, 4);
      expect_frame_error (frame, 6, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
    }
  for (op = 0x3; op <= 0xf; op++)
    {
      if (op >= 0x8 && op <= 0xa)
        continue;
      frame[0] = 0x80 | op;
      frame[1] = 0x80;
      memcpy (frame + 2, masked_mask, 4);
      expect_frame_error (frame, 6, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
    }
  /* Control frames: not final, or over 125 bytes (both length forms). */
  for (op = 0x8; op <= 0xa; op++)
    {
      g_autoptr(GByteArray) a = g_byte_array_new ();
      g_autofree guint8 *zeros = g_malloc0 (126);

      frame[0] = op;
      frame[1] = 0x80;
      memcpy (frame + 2, masked_mask, 4);
      expect_frame_error (frame, 6, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
      client_frame_full (a, 0x80 | op, zeros, 126, LEN_MINIMAL, TRUE);
      expect_frame_error (a->data, 4, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
      g_byte_array_set_size (a, 0);
      client_frame_full (a, 0x80 | op, zeros, 5, LEN_16, TRUE);
      expect_frame_error (a->data, a->len, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
    }
  /* A 64-bit length with its top bit set, before any mask arrives. */
  memcpy (frame, "\x82\xff\x80\x00\x00\x00\x00\x00\x00\x05", 10);
  expect_frame_error (frame, 10, SOTTO_WEBSOCKET_ERROR_PROTOCOL);

  /* Continuation with nothing started. */
  {
    g_autoptr(GByteArray) a = g_byte_array_new ();

    client_frame (a, 0x80, "x");
    expect_frame_error (a->data, a->len, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
    g_byte_array_set_size (a, 0);
    /* A complete message closes the fragment sequence. */
    client_frame (a, 0x81, "done");
    client_frame (a, 0x00, "x");
    {
      g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);

      expect_message (decoder, a, SOTTO_WEBSOCKET_OPCODE_TEXT, "done");
      expect_error (decoder, a, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
    }
  }
  /* A new TEXT or BINARY while a message is open, even after a ping. */
  for (op = 0x1; op <= 0x2; op++)
    {
      g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
      g_autoptr(GByteArray) a = g_byte_array_new ();

      client_frame (a, 0x02, "part");
      client_frame (a, 0x89, "");
      client_frame (a, 0x80 | op, "new");
      expect_message (decoder, a, SOTTO_WEBSOCKET_OPCODE_PING, "");
      expect_error (decoder, a, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
      /* A failed decoder stays failed, even on good bytes. */
      g_byte_array_set_size (a, 0);
      client_frame (a, 0x89, "");
      expect_error (decoder, a, SOTTO_WEBSOCKET_ERROR_PROTOCOL);
    }
}

static void
test_decode_too_big (void)
{
  /* 2^40 bytes announced; no mask, no payload: the header alone fails. */
  static const guint8 huge[] = { 0x82, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 };
  g_autofree guint8 *data = g_malloc0 (MAX_MESSAGE);

  expect_frame_error (huge, sizeof huge, SOTTO_WEBSOCKET_ERROR_TOO_BIG);
  /* 16-bit form, limit 100 */
  {
    g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (100);
    g_autoptr(GByteArray) input = bytes_array ((const guint8 *) "\x81\xfe\x00\x65", 4);

    expect_error (decoder, input, SOTTO_WEBSOCKET_ERROR_TOO_BIG);
  }
  /* Exactly the limit passes, fragments included. */
  {
    g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (100);
    g_autoptr(GByteArray) input = g_byte_array_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) payload = NULL;
    SottoWebsocketOpcode opcode;

    client_frame_full (input, 0x02, data, 60, LEN_MINIMAL, TRUE);
    client_frame_full (input, 0x80, data, 40, LEN_MINIMAL, TRUE);
    g_assert_true (sotto_websocket_decoder_next (decoder, input, &opcode, &payload, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (payload), ==, 100);
    /* The limit is per message: the next one starts from zero. */
    client_frame_full (input, 0x82, data, 100, LEN_MINIMAL, TRUE);
    g_clear_pointer (&payload, g_bytes_unref);
    g_assert_true (sotto_websocket_decoder_next (decoder, input, &opcode, &payload, &error));
    g_assert_cmpuint (g_bytes_get_size (payload), ==, 100);
  }
  /* The sum of fragments counts: the second header tips it over. */
  {
    g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
    g_autoptr(GByteArray) input = g_byte_array_new ();

    client_frame_full (input, 0x01, data, MAX_MESSAGE - 10, LEN_MINIMAL, TRUE);
    expect_more (decoder, input);
    g_assert_cmpuint (input->len, ==, 0);
    client_frame_full (input, 0x00, data, 11, LEN_MINIMAL, TRUE);
    g_byte_array_set_size (input, 2);
    expect_error (decoder, input, SOTTO_WEBSOCKET_ERROR_TOO_BIG);
  }
  /* Control frames are not counted against the limit of a tiny decoder. */
  {
    g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (0);
    g_autoptr(GByteArray) input = g_byte_array_new ();

    client_frame (input, 0x89, "twelve bytes");
    client_frame (input, 0x82, "");
    client_frame (input, 0x82, "x");
    expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_PING, "twelve bytes");
    expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_BINARY, "");
    expect_error (decoder, input, SOTTO_WEBSOCKET_ERROR_TOO_BIG);
  }
}

static void
test_decode_utf8 (void)
{
  static const struct {
    const char *first;
    const char *second;
    gboolean    valid;
  } cases[] = {
    { "caf\xc3", "\xa9", TRUE },              /* é split across fragments */
    { "\xf0\x9f", "\x98\x80", TRUE },         /* U+1F600 split */
    { "a\xc3", "\x28", FALSE },               /* broken across fragments */
    { "ok", "\xc3", FALSE },                  /* truncated at the end */
    { "\xc0\xaf", "", FALSE },                /* overlong */
    { "\xed\xa0\x80", "", FALSE },            /* surrogate */
    { "\xf4\x90\x80\x80", "", FALSE },        /* over U+10FFFF */
    { "\xff", "", FALSE },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
      g_autoptr(GByteArray) input = g_byte_array_new ();
      g_autofree char *whole = g_strconcat (cases[i].first, cases[i].second, NULL);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      client_frame (input, 0x01, cases[i].first);
      client_frame (input, 0x80, cases[i].second);
      if (cases[i].valid)
        expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_TEXT, whole);
      else
        expect_error (decoder, input, SOTTO_WEBSOCKET_ERROR_BAD_UTF8);

      /* Binary messages carry any bytes. */
      g_byte_array_set_size (input, 0);
      if (cases[i].valid)
        {
          client_frame (input, 0x82, whole);
          expect_message (decoder, input, SOTTO_WEBSOCKET_OPCODE_BINARY, whole);
        }
    }

  /* U+0000 is valid UTF-8. */
  {
    g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (MAX_MESSAGE);
    g_autoptr(GByteArray) input = g_byte_array_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) payload = NULL;
    SottoWebsocketOpcode opcode;

    client_frame_full (input, 0x81, (const guint8 *) "a\0\xc3\xa9\0", 5, LEN_MINIMAL, TRUE);
    g_assert_true (sotto_websocket_decoder_next (decoder, input, &opcode, &payload, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload),
                     "a\0\xc3\xa9\0", 5);
  }
}

/* ------------------------------------------------------------------------ */
/* Encoder and close bodies                                                 */
/* ------------------------------------------------------------------------ */

static void
check_encoded (gsize         len,
               const guint8 *header,
               gsize         header_len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *data = g_malloc (len + 1);
  gsize i;

  for (i = 0; i < len; i++)
    data[i] = (guint8) i;
  g_byte_array_append (out, (const guint8 *) "x", 1);
  sotto_websocket_frame_append (out, SOTTO_WEBSOCKET_OPCODE_BINARY, data, len);
  g_assert_cmpuint (out->len, ==, 1 + header_len + len);
  g_assert_cmpmem (out->data + 1, header_len, header, header_len);
  g_assert_cmpmem (out->data + 1 + header_len, len, data, len);
}

static void
test_encode (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  static const guint8 hello[] = { 0x81, 0x05, 'H', 'e', 'l', 'l', 'o' };

  sotto_websocket_frame_append (out, SOTTO_WEBSOCKET_OPCODE_TEXT, (const guint8 *) "Hello", 5);
  g_assert_cmpmem (out->data, out->len, hello, sizeof hello);
  g_byte_array_set_size (out, 0);
  sotto_websocket_frame_append (out, SOTTO_WEBSOCKET_OPCODE_PONG, NULL, 0);
  g_assert_cmpmem (out->data, out->len, "\x8a\x00", 2);

  check_encoded (0, (const guint8 *) "\x82\x00", 2);
  check_encoded (125, (const guint8 *) "\x82\x7d", 2);
  check_encoded (126, (const guint8 *) "\x82\x7e\x00\x7e", 4);
  check_encoded (65535, (const guint8 *) "\x82\x7e\xff\xff", 4);
  check_encoded (65536, (const guint8 *) "\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
}

static void
check_close_round_trip (gushort     code,
                        const char *reason,
                        const char *expected_reason)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GBytes) body = NULL;
  g_autofree char *parsed = NULL;
  gushort parsed_code = 0;
  gsize body_len;

  sotto_websocket_close_append (out, code, reason);
  g_assert_cmpuint (out->data[0], ==, 0x88);
  body_len = out->data[1];
  g_assert_cmpuint (body_len, <=, 125);
  g_assert_cmpuint (out->len, ==, 2 + body_len);
  g_assert_cmpuint (out->data[2], ==, code >> 8);
  g_assert_cmpuint (out->data[3], ==, code & 0xff);
  body = g_bytes_new (out->data + 2, body_len);
  g_assert_true (sotto_websocket_close_parse (body, &parsed_code, &parsed));
  g_assert_cmpuint (parsed_code, ==, code);
  g_assert_cmpstr (parsed, ==, expected_reason);
}

static char *
repeat (const char *unit,
        guint       times)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < times; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_close_append (void)
{
  g_autofree char *ascii200 = repeat ("a", 200);
  g_autofree char *ascii123 = repeat ("a", 123);
  g_autofree char *two200 = repeat ("\xc3\xa9", 200);     /* é */
  g_autofree char *two61 = repeat ("\xc3\xa9", 61);
  g_autofree char *three100 = repeat ("\xe2\x82\xac", 100); /* € */
  g_autofree char *three41 = repeat ("\xe2\x82\xac", 41);
  g_autofree char *four50 = repeat ("\xf0\x9f\x98\x80", 50);
  g_autofree char *four30 = repeat ("\xf0\x9f\x98\x80", 30);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  check_close_round_trip (1000, "bye", "bye");
  check_close_round_trip (1001, NULL, NULL);
  check_close_round_trip (1001, "", NULL);
  check_close_round_trip (4001, "kicked by moderator", "kicked by moderator");
  check_close_round_trip (1008, ascii123, ascii123);
  check_close_round_trip (1008, ascii200, ascii123);
  /* Cut before the character that would cross byte 123. */
  check_close_round_trip (1009, two200, two61);
  check_close_round_trip (1009, three100, three41);
  check_close_round_trip (1009, four50, four30);
  /* Invalid input is cut where it stops being UTF-8. */
  check_close_round_trip (1011, "ok\xff" "after", "ok");

  sotto_websocket_close_append (out, 1000, "bye");
  g_assert_cmpmem (out->data, out->len, "\x88\x05\x03\xe8" "bye", 7);
  /* 1005 ("no status") is sent as an empty close body. */
  g_byte_array_set_size (out, 0);
  sotto_websocket_close_append (out, 1005, "ignored");
  g_assert_cmpmem (out->data, out->len, "\x88\x00", 2);
}

static void
test_close_parse (void)
{
  static const gushort valid[] = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011,
                                   1012, 1013, 1014, 3000, 3999, 4000, 4999 };
  static const gushort invalid[] = { 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999,
                                     5000, 65535 };
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) one = g_bytes_new ("\x03", 1);
  g_autoptr(GBytes) bad_utf8 = g_bytes_new ("\x03\xe8" "a\xc3\x28", 5);
  g_autoptr(GBytes) nul = g_bytes_new ("\x03\xe8" "a\0b", 5);
  g_autoptr(GBytes) code_only = g_bytes_new ("\x0f\xa1", 2);
  /* Not owned: proves the out argument is cleared, not left stale. */
  static char sentinel[] = "stale";
  char *reason = sentinel;
  gushort code = 0;
  gsize i;

  g_assert_true (sotto_websocket_close_parse (empty, &code, &reason));
  g_assert_cmpuint (code, ==, 1005);
  g_assert_null (reason);
  g_assert_true (sotto_websocket_close_parse (NULL, &code, NULL));
  g_assert_cmpuint (code, ==, 1005);
  reason = sentinel;
  g_assert_false (sotto_websocket_close_parse (one, &code, &reason));
  g_assert_null (reason);
  reason = sentinel;
  g_assert_false (sotto_websocket_close_parse (bad_utf8, &code, &reason));
  g_assert_null (reason);
  reason = sentinel;
  g_assert_false (sotto_websocket_close_parse (nul, &code, &reason));
  g_assert_null (reason);
  reason = sentinel;
  g_assert_true (sotto_websocket_close_parse (code_only, &code, &reason));
  g_assert_cmpuint (code, ==, 4001);
  g_assert_null (reason);

  for (i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      guint8 body[4] = { valid[i] >> 8, valid[i] & 0xff, 'o', 'k' };
      g_autoptr(GBytes) b = g_bytes_new (body, sizeof body);

      g_assert_true (sotto_websocket_close_parse (b, &code, &reason));
      g_assert_cmpuint (code, ==, valid[i]);
      g_assert_cmpstr (reason, ==, "ok");
      g_free (reason);
      reason = sentinel;
    }
  for (i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      guint8 body[2] = { invalid[i] >> 8, invalid[i] & 0xff };
      g_autoptr(GBytes) b = g_bytes_new (body, sizeof body);

      g_test_message ("code %u", invalid[i]);
      reason = sentinel;
      g_assert_false (sotto_websocket_close_parse (b, &code, &reason));
      g_assert_null (reason);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/websocket-codec/handshake/rfc-example", test_handshake_rfc_example);
  g_test_add_func ("/sotto/websocket-codec/handshake/refused", test_handshake_refused);
  g_test_add_func ("/sotto/websocket-codec/head/wants-websocket", test_wants_websocket);
  g_test_add_func ("/sotto/websocket-codec/head/fields", test_head_fields);
  g_test_add_func ("/sotto/websocket-codec/head/incomplete", test_head_incomplete);
  g_test_add_func ("/sotto/websocket-codec/head/too-large", test_head_too_large);
  g_test_add_func ("/sotto/websocket-codec/head/malformed", test_head_malformed);
  g_test_add_func ("/sotto/websocket-codec/http/error-response", test_error_response);
  g_test_add_func ("/sotto/websocket-codec/decode/rfc-examples", test_decode_rfc_examples);
  g_test_add_func ("/sotto/websocket-codec/decode/interleaved-control", test_decode_interleaved_control);
  g_test_add_func ("/sotto/websocket-codec/decode/length-forms", test_decode_length_forms);
  g_test_add_func ("/sotto/websocket-codec/decode/byte-at-a-time", test_decode_byte_at_a_time);
  g_test_add_func ("/sotto/websocket-codec/decode/several-in-one-buffer", test_decode_several_in_one_buffer);
  g_test_add_func ("/sotto/websocket-codec/decode/protocol-errors", test_decode_protocol_errors);
  g_test_add_func ("/sotto/websocket-codec/decode/too-big", test_decode_too_big);
  g_test_add_func ("/sotto/websocket-codec/decode/utf8", test_decode_utf8);
  g_test_add_func ("/sotto/websocket-codec/encode/lengths", test_encode);
  g_test_add_func ("/sotto/websocket-codec/close/append", test_close_append);
  g_test_add_func ("/sotto/websocket-codec/close/parse", test_close_parse);

  return g_test_run ();
}
