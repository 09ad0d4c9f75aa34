/* test-websocket-codec.c: WebSocket frames in and out, and close bodies (RFC 6455)
 *
 * Request heads and the opening handshake are in test-http-head.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>

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
