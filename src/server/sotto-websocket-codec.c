/* sotto-websocket-codec.c: the server side of RFC 6455, bytes in and out, no I/O
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deliberate choices (the lead's front end relies on them):
 *  - Only "HTTP/1.1" request heads are accepted; HTTP/1.0 cannot upgrade
 *    and the head carries no version, so it is refused as BAD_REQUEST.
 *  - Lines end in CRLF only; a bare CR or LF, a NUL, an obs-fold
 *    continuation, whitespace before the colon, a missing or repeated Host
 *    (RFC 9112 section 3.2) or more than 100 header lines are BAD_REQUEST.
 *  - Non-minimal frame lengths (e.g. 5 sent in the 16-bit form) are
 *    accepted: RFC 6455 section 5.2 asks senders for the minimal form but
 *    gives receivers no duty to refuse it, and browsers never send it.
 *  - Text messages may contain U+0000: it is valid UTF-8, so only
 *    g_utf8_validate's extra refusal of NUL is worked around. Close reasons
 *    come back as a C string, so a NUL there makes the body malformed.
 */
#define G_LOG_DOMAIN "sotto-websocket-codec"

#include "sotto-websocket-codec.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sotto-websocket-key.h"

G_DEFINE_QUARK (sotto-websocket-error-quark, sotto_websocket_error)

#define MAX_HEADER_LINES    100
#define MAX_CONTROL_PAYLOAD 125
/* A close body is a 2-byte code and at most 123 bytes of reason. */
#define MAX_CLOSE_REASON    (MAX_CONTROL_PAYLOAD - 2)

/* ------------------------------------------------------------------------ */
/* Request head                                                             */
/* ------------------------------------------------------------------------ */

void
sotto_http_request_head_free (SottoHttpRequestHead *head)
{
  if (head == NULL)
    return;
  g_free (head->method);
  g_free (head->target);
  g_clear_pointer (&head->headers, g_hash_table_unref);
  g_free (head);
}

/* RFC 9110 section 5.6.2: tchar. */
static gboolean
is_tchar (guchar c)
{
  if (g_ascii_isalnum (c))
    return TRUE;
  return c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 9110 section 5.5: field-vchar / SP / HTAB. Other controls (and DEL)
 * could smuggle line breaks into something that logs or forwards them. */
static gboolean
is_field_char (guchar c)
{
  return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static gboolean
parse_request_line (SottoHttpRequestHead *head,
                    const char           *line,
                    gsize                 len,
                    GError              **error)
{
  gsize i = 0, start;

  start = i;
  while (i < len && is_tchar ((guchar) line[i]))
    i++;
  if (i == start || i >= len || line[i] != ' ')
    goto bad;
  head->method = g_strndup (line + start, i - start);

  start = ++i;
  /* Any visible ASCII: the front end routes on exact target strings, so
   * nothing here needs to be decoded. */
  while (i < len && (guchar) line[i] > 0x20 && (guchar) line[i] < 0x7f)
    i++;
  if (i == start || i >= len || line[i] != ' ')
    goto bad;
  head->target = g_strndup (line + start, i - start);

  i++;
  if (len - i != strlen ("HTTP/1.1") || memcmp (line + i, "HTTP/1.1", len - i) != 0)
    {
      g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                   "Only HTTP/1.1 requests are served; send \"HTTP/1.1\" in the request line");
      return FALSE;
    }
  return TRUE;

bad:
  g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
               "Malformed request line: expected \"METHOD target HTTP/1.1\"");
  return FALSE;
}

static gboolean
parse_header_line (SottoHttpRequestHead *head,
                   const char           *line,
                   gsize                 len,
                   GError              **error)
{
  gsize i = 0, vstart, vend;
  g_autofree char *name = NULL;
  const char *old;
  char *value;

  if (line[0] == ' ' || line[0] == '\t')
    {
      /* RFC 9112 section 5.2: obs-fold may be refused with 400. */
      g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                   "Folded header lines (obs-fold) are not accepted");
      return FALSE;
    }
  while (i < len && is_tchar ((guchar) line[i]))
    i++;
  /* RFC 9112 section 5.1: no whitespace between name and colon. */
  if (i == 0 || i >= len || line[i] != ':')
    {
      g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                   "Malformed header line: expected \"name: value\"");
      return FALSE;
    }
  name = g_ascii_strdown (line, i);

  vstart = i + 1;
  vend = len;
  while (vstart < vend && (line[vstart] == ' ' || line[vstart] == '\t'))
    vstart++;
  while (vend > vstart && (line[vend - 1] == ' ' || line[vend - 1] == '\t'))
    vend--;
  for (i = vstart; i < vend; i++)
    if (!is_field_char ((guchar) line[i]))
      {
        g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                     "Header \"%s\" contains a control character", name);
        return FALSE;
      }

  old = g_hash_table_lookup (head->headers, name);
  if (old != NULL && strcmp (name, "host") == 0)
    {
      g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                   "More than one Host header");
      return FALSE;
    }
  /* RFC 9110 section 5.3: repeated fields combine into one list. */
  if (old != NULL)
    value = g_strdup_printf ("%s, %.*s", old, (int) (vend - vstart), line + vstart);
  else
    value = g_strndup (line + vstart, vend - vstart);
  g_hash_table_replace (head->headers, g_steal_pointer (&name), value);
  return TRUE;
}

/* Finds the end of the head (the offset just past CRLF CRLF) in the first
 * `limit` bytes. Returns 0 when it is not there yet, and fails early on a
 * bare CR, bare LF or NUL so that garbage is refused without waiting for
 * 8 KiB of it. */
static gsize
find_head_end (const guint8 *data,
               gsize         len,
               GError      **error)
{
  gsize limit = MIN (len, (gsize) SOTTO_HTTP_MAX_HEAD_SIZE);
  gsize i;

  for (i = 0; i < limit; i++)
    {
      if (data[i] == '\0')
        {
          g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                       "The request head contains a NUL byte");
          return 0;
        }
      if (data[i] == '\r' && i + 1 < len && data[i + 1] != '\n')
        goto bare;
      if (data[i] != '\n')
        continue;
      if (i == 0 || data[i - 1] != '\r')
        goto bare;
      if (i >= 3 && data[i - 2] == '\n')
        return i + 1;
    }
  if (len >= SOTTO_HTTP_MAX_HEAD_SIZE)
    g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_HEAD_TOO_LARGE,
                 "The request head is over %d bytes", SOTTO_HTTP_MAX_HEAD_SIZE);
  return 0;

bare:
  g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
               "Lines of the request head must end in CRLF");
  return 0;
}

SottoHttpRequestHead *
sotto_http_request_head_parse (const guint8 *data,
                               gsize         len,
                               gsize        *consumed,
                               GError      **error)
{
  g_autoptr(SottoHttpRequestHead) head = NULL;
  GError *local_error = NULL;
  const char *text = (const char *) data;
  gsize end, pos, eol;
  guint lines = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (consumed != NULL)
    *consumed = 0;
  end = find_head_end (data, len, &local_error);
  if (end == 0)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return NULL;
    }

  head = g_new0 (SottoHttpRequestHead, 1);
  head->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* find_head_end() proved every line ends in CRLF, so the scan below
   * stops at the final empty line, which sits at end - 2. */
  eol = (const guint8 *) memchr (data, '\r', end) - data;
  if (!parse_request_line (head, text, eol, error))
    return NULL;
  for (pos = eol + 2; pos < end - 2; pos = eol + 2)
    {
      eol = (const guint8 *) memchr (data + pos, '\r', end - pos) - data;
      if (++lines > MAX_HEADER_LINES)
        {
          g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                       "More than %d header lines", MAX_HEADER_LINES);
          return NULL;
        }
      if (!parse_header_line (head, text + pos, eol - pos, error))
        return NULL;
    }
  if (g_hash_table_lookup (head->headers, "host") == NULL)
    {
      g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                   "HTTP/1.1 requests need a Host header");
      return NULL;
    }

  if (consumed != NULL)
    *consumed = end;
  return g_steal_pointer (&head);
}

const char *
sotto_http_request_head_get (const SottoHttpRequestHead *head,
                             const char                 *name)
{
  g_return_val_if_fail (head != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (head->headers, name);
}

/* TRUE if the comma-separated `list` holds `token`, case-insensitively. */
static gboolean
list_has_token (const char *list,
                const char *token)
{
  gsize tlen = strlen (token);
  const char *p = list;

  if (list == NULL)
    return FALSE;
  while (*p != '\0')
    {
      const char *end;

      while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
      end = p;
      while (*end != '\0' && *end != ',')
        end++;
      if ((gsize) (end - p) >= tlen && g_ascii_strncasecmp (p, token, tlen) == 0)
        {
          const char *rest = p + tlen;

          while (rest < end && (*rest == ' ' || *rest == '\t'))
            rest++;
          if (rest == end)
            return TRUE;
        }
      p = end;
    }
  return FALSE;
}

gboolean
sotto_http_request_head_wants_websocket (const SottoHttpRequestHead *head)
{
  g_return_val_if_fail (head != NULL, FALSE);

  /* Methods are case-sensitive (RFC 9110 section 9.1). */
  return g_strcmp0 (head->method, "GET") == 0 &&
         list_has_token (sotto_http_request_head_get (head, "upgrade"), "websocket") &&
         list_has_token (sotto_http_request_head_get (head, "connection"), "upgrade");
}

/* RFC 6455 section 4.2.1 item 5: 16 bytes in base64. g_base64_decode
 * skips characters it does not know, so the key must also be exactly the
 * canonical encoding of what it decodes to. */
static gboolean
is_websocket_key (const char *key)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *canonical = NULL;
  gsize len = 0;

  if (key == NULL || strlen (key) != 24)
    return FALSE;
  decoded = g_base64_decode (key, &len);
  if (len != 16)
    return FALSE;
  canonical = g_base64_encode (decoded, len);
  return strcmp (canonical, key) == 0;
}

GBytes *
sotto_websocket_handshake_response (const SottoHttpRequestHead *head,
                                    GError                    **error)
{
  g_autofree char *accept = NULL;
  const char *key;
  char *response;

  g_return_val_if_fail (head != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sotto_http_request_head_wants_websocket (head))
    {
      g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                   "Not a WebSocket upgrade request (GET with Upgrade: websocket and Connection: Upgrade)");
      return NULL;
    }
  if (g_strcmp0 (sotto_http_request_head_get (head, "sec-websocket-version"), "13") != 0)
    {
      g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                   "Unsupported WebSocket version: only Sec-WebSocket-Version 13 is spoken");
      return NULL;
    }
  key = sotto_http_request_head_get (head, "sec-websocket-key");
  if (!is_websocket_key (key))
    {
      g_set_error (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST,
                   "Sec-WebSocket-Key must be 16 bytes in base64");
      return NULL;
    }

  accept = sotto_websocket_accept_key (key);

  /* No Sec-WebSocket-Extensions (permessage-deflate would cost memory per
   * connection) and no Sec-WebSocket-Protocol: both stay off by omission. */
  response = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: %s\r\n"
                              "\r\n", accept);
  return g_bytes_new_take (response, strlen (response));
}

static const char *
reason_phrase (guint status)
{
  switch (status)
    {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 426: return "Upgrade Required";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default:
      return status >= 500 ? "Server Error" : "Client Error";
    }
}

GBytes *
sotto_http_error_response (guint       status,
                           const char *code,
                           const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  const char *extra = "";
  gsize body_len = 0;
  GString *out;

  g_return_val_if_fail (status >= 400 && status <= 599, NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &body_len);

  /* RFC 9110 sections 15.5.6 and 15.5.22 make these headers mandatory for
   * 405 and 426; the signaling endpoint only ever answers GET. */
  if (status == 405)
    extra = "Allow: GET\r\n";
  else if (status == 426)
    extra = "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n";

  out = g_string_new (NULL);
  g_string_append_printf (out,
                          "HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "Cache-Control: no-store\r\n"
                          "%s"
                          "\r\n",
                          status, reason_phrase (status), body_len, extra);
  g_string_append_len (out, body, body_len);
  return g_string_free_to_bytes (out);
}

/* ------------------------------------------------------------------------ */
/* Frames                                                                   */
/* ------------------------------------------------------------------------ */

/* Kept small on purpose: the front end holds one per idle connection, so
 * both buffers are NULL between messages and frame state is a few bytes. */
struct _SottoWebsocketDecoder
{
  gsize       max_message_size;
  GByteArray *message;      /* data fragments so far, NULL when none */
  GByteArray *control;      /* the control frame being read, or NULL */
  guint64     remaining;    /* payload bytes of the current frame still to come */
  guint8      mask[4];
  guint8      mask_offset;  /* payload bytes of this frame unmasked so far, mod 4 */
  guint8      frame_opcode; /* opcode of the frame being read */
  guint8      message_opcode; /* TEXT or BINARY while a message is open, else 0 */
  guint       in_frame : 1; /* header consumed, payload pending */
  guint       frame_fin : 1;
  guint       failed : 1;
};

SottoWebsocketDecoder *
sotto_websocket_decoder_new (gsize max_message_size)
{
  SottoWebsocketDecoder *decoder = g_new0 (SottoWebsocketDecoder, 1);

  /* GByteArray lengths are guint: a larger limit could never be reached. */
  decoder->max_message_size = MIN (max_message_size, (gsize) G_MAXUINT);
  return decoder;
}

void
sotto_websocket_decoder_free (SottoWebsocketDecoder *decoder)
{
  if (decoder == NULL)
    return;
  if (decoder->message != NULL)
    g_byte_array_unref (decoder->message);
  if (decoder->control != NULL)
    g_byte_array_unref (decoder->control);
  g_free (decoder);
}

static gboolean
is_control (guint8 opcode)
{
  return (opcode & 0x8) != 0;
}

/* g_utf8_validate_len refuses NUL, which RFC 3629 allows; validate the
 * pieces between NULs instead. */
static gboolean
utf8_validate_with_nul (const guint8 *data,
                        gsize         len)
{
  while (len > 0)
    {
      const guint8 *nul = memchr (data, '\0', len);
      gsize piece = nul != NULL ? (gsize) (nul - data) : len;

      if (!g_utf8_validate_len ((const char *) data, piece, NULL))
        return FALSE;
      if (nul == NULL)
        break;
      data += piece + 1;
      len -= piece + 1;
    }
  return TRUE;
}

static gboolean
decoder_fail (SottoWebsocketDecoder *decoder,
              GError               **error,
              SottoWebsocketError    code,
              const char            *message)
{
  decoder->failed = TRUE;
  g_set_error_literal (error, SOTTO_WEBSOCKET_ERROR, code, message);
  return FALSE;
}

static gssize
header_fail (SottoWebsocketDecoder *decoder,
             GError               **error,
             SottoWebsocketError    code,
             const char            *message)
{
  decoder_fail (decoder, error, code, message);
  return -1;
}

/* Reads a frame header from data[0..len). Returns its length once it is
 * complete and valid, 0 when more bytes are needed, or -1 with `error`.
 * Every check that the bytes present allow is made before waiting, so that
 * a header announcing 2^40 bytes fails before its mask key arrives. */
static gssize
read_frame_header (SottoWebsocketDecoder *decoder,
                   const guint8          *data,
                   gsize                  len,
                   GError               **error)
{
  guint8 opcode, len7;
  gboolean fin;
  gsize ext, i;
  guint64 length;
  gsize already;

  if (len < 2)
    return 0;
  fin = (data[0] & 0x80) != 0;
  opcode = data[0] & 0x0f;
  len7 = data[1] & 0x7f;

  if ((data[0] & 0x70) != 0)
    return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                        "A frame has RSV bits set but no extension was negotiated");
  switch (opcode)
    {
    case SOTTO_WEBSOCKET_OPCODE_CONTINUATION:
      if (decoder->message_opcode == 0)
        return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                            "A continuation frame arrived with no message started");
      break;
    case SOTTO_WEBSOCKET_OPCODE_TEXT:
    case SOTTO_WEBSOCKET_OPCODE_BINARY:
      if (decoder->message_opcode != 0)
        return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                            "A new message started before the last one was finished");
      break;
    case SOTTO_WEBSOCKET_OPCODE_CLOSE:
    case SOTTO_WEBSOCKET_OPCODE_PING:
    case SOTTO_WEBSOCKET_OPCODE_PONG:
      if (!fin)
        return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                            "A control frame is fragmented");
      if (len7 > MAX_CONTROL_PAYLOAD)
        return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                            "A control frame is over 125 bytes");
      break;
    default:
      return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                          "A frame has an unknown opcode");
    }
  /* RFC 6455 section 5.1: the server must close on an unmasked frame. */
  if ((data[1] & 0x80) == 0)
    return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                        "A client frame is not masked");

  ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
  if (len < 2 + ext)
    return 0;
  length = len7 < 126 ? len7 : 0;
  for (i = 0; i < ext; i++)
    length = (length << 8) | data[2 + i];
  if (ext == 8 && (length >> 63) != 0)
    return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                        "A frame length has its most significant bit set");
  if (!is_control (opcode))
    {
      already = decoder->message != NULL ? decoder->message->len : 0;
      if (length > decoder->max_message_size - already)
        return header_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_TOO_BIG,
                            "A message is over the size limit");
    }
  if (len < 2 + ext + 4)
    return 0;

  memcpy (decoder->mask, data + 2 + ext, 4);
  decoder->mask_offset = 0;
  decoder->remaining = length;
  decoder->frame_opcode = opcode;
  decoder->frame_fin = fin;
  decoder->in_frame = TRUE;
  if (opcode == SOTTO_WEBSOCKET_OPCODE_TEXT || opcode == SOTTO_WEBSOCKET_OPCODE_BINARY)
    decoder->message_opcode = opcode;
  return (gssize) (2 + ext + 4);
}

static GBytes *
take_buffer (GByteArray **buffer)
{
  if (*buffer == NULL)
    return g_bytes_new (NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (buffer));
}

gboolean
sotto_websocket_decoder_next (SottoWebsocketDecoder *decoder,
                              GByteArray            *input,
                              SottoWebsocketOpcode  *opcode,
                              GBytes               **payload,
                              GError               **error)
{
  gsize used = 0;
  gboolean ret = FALSE;

  g_return_val_if_fail (decoder != NULL, FALSE);
  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (opcode != NULL, FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (decoder->failed)
    return decoder_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_PROTOCOL,
                         "The connection already broke the protocol");

  /* `used` collects what this call consumed; it leaves `input` in one
   * memmove at the end rather than one per frame. */
  for (;;)
    {
      GByteArray **buffer;
      gsize take, i;
      guint8 *dest;

      /* An empty GByteArray may have no data pointer at all. */
      const guint8 *avail = input->len > used ? input->data + used : NULL;

      if (!decoder->in_frame)
        {
          gssize header = read_frame_header (decoder, avail, input->len - used, error);
          if (header <= 0)
            break;
          used += header;
          if (is_control (decoder->frame_opcode))
            decoder->control = g_byte_array_sized_new ((guint) decoder->remaining);
        }

      buffer = is_control (decoder->frame_opcode) ? &decoder->control : &decoder->message;
      take = (gsize) MIN (decoder->remaining, (guint64) (input->len - used));
      if (take > 0)
        {
          if (*buffer == NULL)
            *buffer = g_byte_array_new ();
          g_byte_array_append (*buffer, input->data + used, take);
          dest = (*buffer)->data + (*buffer)->len - take;
          for (i = 0; i < take; i++)
            dest[i] ^= decoder->mask[(decoder->mask_offset + i) & 3];
          decoder->mask_offset = (decoder->mask_offset + take) & 3;
          decoder->remaining -= take;
          used += take;
        }
      if (decoder->remaining > 0)
        break;

      decoder->in_frame = FALSE;
      if (is_control (decoder->frame_opcode))
        {
          *opcode = decoder->frame_opcode;
          *payload = take_buffer (&decoder->control);
          ret = TRUE;
          break;
        }
      if (!decoder->frame_fin)
        continue;

      if (decoder->message_opcode == SOTTO_WEBSOCKET_OPCODE_TEXT &&
          decoder->message != NULL &&
          !utf8_validate_with_nul (decoder->message->data, decoder->message->len))
        {
          decoder_fail (decoder, error, SOTTO_WEBSOCKET_ERROR_BAD_UTF8,
                        "A text message is not valid UTF-8");
          break;
        }
      *opcode = decoder->message_opcode;
      *payload = take_buffer (&decoder->message);
      decoder->message_opcode = 0;
      ret = TRUE;
      break;
    }

  if (used > 0)
    g_byte_array_remove_range (input, 0, used);
  return ret;
}

void
sotto_websocket_frame_append (GByteArray          *output,
                              SottoWebsocketOpcode opcode,
                              const guint8        *payload,
                              gsize                len)
{
  guint8 header[10];
  gsize hlen, i;

  g_return_if_fail (output != NULL);
  g_return_if_fail (payload != NULL || len == 0);
  g_return_if_fail (opcode != SOTTO_WEBSOCKET_OPCODE_CONTINUATION);
  g_return_if_fail (!is_control (opcode) || len <= MAX_CONTROL_PAYLOAD);

  header[0] = 0x80 | (opcode & 0x0f);
  if (len < 126)
    {
      header[1] = (guint8) len;
      hlen = 2;
    }
  else if (len <= G_MAXUINT16)
    {
      header[1] = 126;
      header[2] = (guint8) (len >> 8);
      header[3] = (guint8) len;
      hlen = 4;
    }
  else
    {
      header[1] = 127;
      for (i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) len >> (56 - 8 * i));
      hlen = 10;
    }
  g_byte_array_append (output, header, hlen);
  if (len > 0)
    g_byte_array_append (output, payload, len);
}

/* RFC 6455 section 7.4: the codes that may appear in a close frame, plus
 * 1012-1014 (service restart, try again later, bad gateway), which IANA's
 * WebSocket close code registry added under section 7.4.2's rules and
 * browsers send; 1013 is what an overloaded server should say. */
static gboolean
close_code_valid (gushort code)
{
  return (code >= 1000 && code <= 1003) ||
         (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

void
sotto_websocket_close_append (GByteArray *output,
                              gushort     code,
                              const char *reason)
{
  guint8 body[MAX_CONTROL_PAYLOAD];
  const char *end = reason;
  gsize rlen = 0;

  g_return_if_fail (output != NULL);

  /* 1005 means "no status code": it is sent as an empty close body. */
  if (code == 1005)
    {
      sotto_websocket_frame_append (output, SOTTO_WEBSOCKET_OPCODE_CLOSE, NULL, 0);
      return;
    }
  g_return_if_fail (close_code_valid (code));

  if (reason != NULL)
    {
      /* Stops before the first byte that would not leave complete UTF-8:
       * a character cut by the 123-byte limit, or invalid input. */
      g_utf8_validate (reason, strnlen (reason, MAX_CLOSE_REASON), &end);
      rlen = end - reason;
    }
  body[0] = (guint8) (code >> 8);
  body[1] = (guint8) code;
  if (rlen > 0)
    memcpy (body + 2, reason, rlen);
  sotto_websocket_frame_append (output, SOTTO_WEBSOCKET_OPCODE_CLOSE, body, 2 + rlen);
}

gboolean
sotto_websocket_close_parse (GBytes  *payload,
                             gushort *code,
                             char   **reason)
{
  const guint8 *data = NULL;
  gsize len = 0;
  gushort c;

  if (reason != NULL)
    *reason = NULL;
  if (payload != NULL)
    data = g_bytes_get_data (payload, &len);

  if (len == 0)
    {
      if (code != NULL)
        *code = 1005;
      return TRUE;
    }
  if (len < 2)
    return FALSE;
  c = (gushort) ((data[0] << 8) | data[1]);
  if (!close_code_valid (c))
    return FALSE;
  if (len > 2 && !g_utf8_validate_len ((const char *) data + 2, len - 2, NULL))
    return FALSE;

  if (code != NULL)
    *code = c;
  if (reason != NULL && len > 2)
    *reason = g_strndup ((const char *) data + 2, len - 2);
  return TRUE;
}
