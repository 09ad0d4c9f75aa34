/* fuzz-websocket.c: libFuzzer target for the request head parser and the
 * WebSocket frame decoder (src/server/sotto-websocket-codec.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: one byte choosing where to split, then bytes as a client would
 * send them. As in the signaling front end, a request head is parsed first
 * and what follows it goes to the decoder; when no head parses, all of it
 * goes to the decoder, so frame-only inputs reach it too.
 *
 * Both are fed twice: whole, and in two pieces cut at the chosen point.
 * The results must be the same; that is what incremental parsing means.
 * Built with libFuzzer under -Dfuzzing=true, and linked with replay.c into
 * a normal test that replays corpus/websocket (tests/fuzz/make-corpus-websocket.py).
 */
#include <stdint.h>
#include <string.h>

#include "sotto-websocket-codec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Small, so that TOO_BIG is reachable with inputs libFuzzer builds. */
#define FUZZ_MAX_MESSAGE 1024

typedef struct {
  GPtrArray *messages; /* GBytes, the opcode in the first byte */
  int        error;    /* SottoWebsocketError, or -1 */
  guint      left;     /* bytes left in `input` when no error */
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->messages, g_ptr_array_unref);
}

static void
check_message (SottoWebsocketOpcode opcode,
               GBytes              *payload)
{
  gsize len = g_bytes_get_size (payload);
  const guint8 *bytes = g_bytes_get_data (payload, NULL);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *reason = NULL;
  gushort code = 0;

  switch (opcode)
    {
    case SOTTO_WEBSOCKET_OPCODE_TEXT:
    case SOTTO_WEBSOCKET_OPCODE_BINARY:
      g_assert (len <= FUZZ_MAX_MESSAGE);
      break;
    case SOTTO_WEBSOCKET_OPCODE_CLOSE:
      g_assert (len <= 125);
      if (sotto_websocket_close_parse (payload, &code, &reason))
        {
          g_autoptr(GBytes) again = NULL;
          g_autofree char *reason2 = NULL;
          gushort code2 = 0;

          g_assert (reason == NULL || g_utf8_validate (reason, -1, NULL));
          /* What we parse, we can send back unchanged. */
          sotto_websocket_close_append (out, code, reason);
          g_assert (out->len >= 2 && out->data[0] == 0x88);
          again = g_bytes_new (out->data + 2, out->len - 2);
          g_assert (sotto_websocket_close_parse (again, &code2, &reason2));
          g_assert (code2 == code);
          g_assert (g_strcmp0 (reason, reason2) == 0);
          g_byte_array_set_size (out, 0);
        }
      break;
    case SOTTO_WEBSOCKET_OPCODE_PING:
    case SOTTO_WEBSOCKET_OPCODE_PONG:
      g_assert (len <= 125);
      break;
    case SOTTO_WEBSOCKET_OPCODE_CONTINUATION:
    default:
      g_assert_not_reached ();
    }
  sotto_websocket_frame_append (out, opcode, bytes, len);
  g_assert (out->len >= len + 2);
  g_assert (len == 0 || memcmp (out->data + out->len - len, bytes, len) == 0);
}

/* Runs the decoder over `input` until it wants more or fails. */
static gboolean
drain (SottoWebsocketDecoder *decoder,
       GByteArray            *input,
       Outcome               *o)
{
  guint rounds, max_rounds = input->len + 1;

  /* Each message takes at least two bytes, so this bound is never hit
   * unless the decoder stops consuming. */
  for (rounds = 0; rounds <= max_rounds; rounds++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) payload = NULL;
      SottoWebsocketOpcode opcode;
      guint before = input->len;
      GByteArray *record;
      guint8 op;

      if (!sotto_websocket_decoder_next (decoder, input, &opcode, &payload, &error))
        {
          g_assert (payload == NULL);
          if (error != NULL)
            {
              g_assert (error->domain == SOTTO_WEBSOCKET_ERROR);
              g_assert (error->code == SOTTO_WEBSOCKET_ERROR_PROTOCOL ||
                        error->code == SOTTO_WEBSOCKET_ERROR_TOO_BIG ||
                        error->code == SOTTO_WEBSOCKET_ERROR_BAD_UTF8);
              o->error = error->code;
              return FALSE;
            }
          /* Only a partial frame header may be left waiting. */
          g_assert (input->len < 14);
          return TRUE;
        }
      g_assert (input->len < before);
      check_message (opcode, payload);
      record = g_byte_array_new ();
      op = (guint8) opcode;
      g_byte_array_append (record, &op, 1);
      g_byte_array_append (record, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
      g_ptr_array_add (o->messages, g_byte_array_free_to_bytes (record));
    }
  g_assert_not_reached ();
  return FALSE;
}

static void
decode (const guint8 *data,
        gsize         size,
        gsize         split,
        Outcome      *o)
{
  g_autoptr(SottoWebsocketDecoder) decoder = sotto_websocket_decoder_new (FUZZ_MAX_MESSAGE);
  g_autoptr(GByteArray) input = g_byte_array_new ();

  o->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  o->error = -1;
  g_byte_array_append (input, data, split);
  if (!drain (decoder, input, o))
    return;
  g_byte_array_append (input, data + split, size - split);
  if (drain (decoder, input, o))
    o->left = input->len;
}

static void
check_head (SottoHttpRequestHead *head)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_assert (head->method[0] != '\0' && head->target[0] != '\0');
  g_assert (sotto_http_request_head_get (head, "host") != NULL);
  g_hash_table_iter_init (&iter, head->headers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *lower = g_ascii_strdown (key, -1);

      g_assert (strcmp (key, lower) == 0);
      g_assert (strpbrk (value, "\r\n") == NULL);
    }
  if (!sotto_http_request_head_wants_websocket (head))
    return;
  response = sotto_websocket_handshake_response (head, &error);
  g_assert ((response == NULL) != (error == NULL));
  if (error != NULL)
    g_assert (g_error_matches (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST));
  else
    g_assert (g_bytes_get_size (response) > 13 &&
              memcmp (g_bytes_get_data (response, NULL), "HTTP/1.1 101 ", 13) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SottoHttpRequestHead) head = NULL;
  g_autoptr(SottoHttpRequestHead) partial = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) partial_error = NULL;
  Outcome whole = { 0 }, pieces = { 0 };
  gsize split, consumed = 0, partial_consumed = 0;
  guint8 selector;
  guint i;

  if (size < 1)
    return 0;
  selector = data[0];
  data++;
  size--;
  split = selector % (size + 1);

  head = sotto_http_request_head_parse (data, size, &consumed, &error);
  g_assert (head == NULL || error == NULL);
  if (head != NULL)
    {
      g_assert (consumed >= 4 && consumed <= size && consumed <= SOTTO_HTTP_MAX_HEAD_SIZE);
      g_assert (memcmp (data + consumed - 4, "\r\n\r\n", 4) == 0);
      check_head (head);
    }
  else
    {
      g_assert (consumed == 0);
      g_assert (error == NULL ||
                g_error_matches (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_BAD_REQUEST) ||
                g_error_matches (error, SOTTO_WEBSOCKET_ERROR, SOTTO_WEBSOCKET_ERROR_HEAD_TOO_LARGE));
      if (error == NULL)
        g_assert (size < SOTTO_HTTP_MAX_HEAD_SIZE);
    }

  /* A head complete in a prefix is the same head in the whole input. */
  partial = sotto_http_request_head_parse (data, split, &partial_consumed, &partial_error);
  if (partial != NULL)
    {
      g_assert (head != NULL);
      g_assert (partial_consumed == consumed);
      g_assert (strcmp (partial->method, head->method) == 0);
      g_assert (strcmp (partial->target, head->target) == 0);
      g_assert (g_hash_table_size (partial->headers) == g_hash_table_size (head->headers));
    }

  data += consumed;
  size -= consumed;
  split = selector % (size + 1);

  decode (data, size, size, &whole);
  decode (data, size, split, &pieces);
  g_assert (whole.error == pieces.error);
  g_assert (whole.messages->len == pieces.messages->len);
  for (i = 0; i < whole.messages->len; i++)
    g_assert (g_bytes_equal (g_ptr_array_index (whole.messages, i),
                             g_ptr_array_index (pieces.messages, i)));
  if (whole.error < 0)
    g_assert (whole.left == pieces.left);

  outcome_clear (&whole);
  outcome_clear (&pieces);
  return 0;
}
