/* sotto-json.h: strict RFC 8259 JSON parsing into json-glib nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SOTTO_JSON_ERROR (sotto_json_error_quark ())
GQuark sotto_json_error_quark (void);

typedef enum {
  SOTTO_JSON_ERROR_INVALID_UTF8,   /* the text is not UTF-8 */
  SOTTO_JSON_ERROR_SYNTAX,         /* not RFC 8259 JSON (trailing data, comments, bare words...) */
  SOTTO_JSON_ERROR_INVALID_STRING, /* control character, lone surrogate or \u0000 in a string */
  SOTTO_JSON_ERROR_DUPLICATE_KEY,  /* an object has the same member name twice */
  SOTTO_JSON_ERROR_TOO_DEEP,       /* nesting beyond the caller's limit */
} SottoJsonError;

/* Parses exactly one JSON value from `data` (`len` bytes, or NUL-terminated
 * if -1). Unlike JsonParser, this refuses duplicate member names (JsonParser
 * silently keeps the last one, which lets two readers of one document
 * disagree), non-JSON extensions (comments, `var x =`, single quotes, bare
 * words, trailing data), \u0000 and unpaired surrogates. Integers that fit
 * a gint64 become G_TYPE_INT64 values; every other number is a double. */
JsonNode *sotto_json_parse_strict (const char *data,
                                   gssize      len,
                                   guint       max_depth,
                                   GError    **error);

/* Serialises `node` compactly as RFC 8259 JSON. Use this instead of
 * JsonGenerator directly: json-glib 1.6 writes U+001F unescaped, which
 * strict parsers (ours included) rightly refuse. `length` may be NULL. */
char     *sotto_json_to_string    (JsonNode   *node,
                                   gsize      *length);

G_END_DECLS
