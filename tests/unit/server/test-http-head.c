/* test-http-head.c: request heads, the WebSocket opening handshake and
 * error responses of the server's front end (RFC 9112, RFC 6455 section 4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "sotto-websocket-codec.h"

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

  return g_test_run ();
}
