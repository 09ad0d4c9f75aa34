/* sotto-json.c: strict RFC 8259 JSON parsing into json-glib nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small recursive-descent parser. It exists because the documents we parse
 * (tokens, signaling messages) are attacker-controlled and security decisions
 * depend on them: two parsers must never read one document two ways.
 */
#define G_LOG_DOMAIN "sotto-json"

#include "sotto-json.h"

#include <errno.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (sotto-json-error-quark, sotto_json_error)

typedef struct {
  const char *p;
  const char *end;
  const char *start;
  guint       max_depth;
} Parser;

static JsonNode *parse_value (Parser *ps, guint depth, GError **error);

static gsize
offset_of (Parser *ps)
{
  return (gsize) (ps->p - ps->start);
}

static void
set_syntax_error (Parser     *ps,
                  GError    **error,
                  const char *what)
{
  g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_SYNTAX,
               "Invalid JSON at offset %" G_GSIZE_FORMAT ": %s", offset_of (ps), what);
}

static void
skip_ws (Parser *ps)
{
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads the 4 hex digits after "\u"; ps->p points at the first digit. */
static gboolean
read_hex4 (Parser *ps,
           guint  *out)
{
  guint v = 0;
  int i;

  if (ps->end - ps->p < 4)
    return FALSE;
  for (i = 0; i < 4; i++)
    {
      int h = hex_value (ps->p[i]);
      if (h < 0)
        return FALSE;
      v = (v << 4) | (guint) h;
    }
  ps->p += 4;
  *out = v;
  return TRUE;
}

/* ps->p points at the opening quote. Returns a newly allocated UTF-8 string. */
static char *
parse_string (Parser  *ps,
              GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  ps->p++; /* opening quote */
  for (;;)
    {
      guchar c;

      if (ps->p >= ps->end)
        {
          set_syntax_error (ps, error, "unterminated string");
          return NULL;
        }
      c = (guchar) *ps->p;
      if (c == '"')
        {
          ps->p++;
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      if (c < 0x20)
        {
          g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_INVALID_STRING,
                       "Invalid JSON at offset %" G_GSIZE_FORMAT ": unescaped control "
                       "character in a string", offset_of (ps));
          return NULL;
        }
      if (c != '\\')
        {
          /* The whole text was validated as UTF-8 up front. */
          g_string_append_c (out, (char) c);
          ps->p++;
          continue;
        }

      ps->p++;
      if (ps->p >= ps->end)
        {
          set_syntax_error (ps, error, "unterminated escape");
          return NULL;
        }
      c = (guchar) *ps->p++;
      switch (c)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            guint cp;

            if (!read_hex4 (ps, &cp))
              {
                set_syntax_error (ps, error, "bad \\u escape");
                return NULL;
              }
            if (cp >= 0xdc00 && cp <= 0xdfff)
              {
                g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_INVALID_STRING,
                             "Invalid JSON at offset %" G_GSIZE_FORMAT ": unpaired low "
                             "surrogate", offset_of (ps));
                return NULL;
              }
            if (cp >= 0xd800 && cp <= 0xdbff)
              {
                guint lo;

                if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
                  {
                    g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_INVALID_STRING,
                                 "Invalid JSON at offset %" G_GSIZE_FORMAT ": unpaired high "
                                 "surrogate", offset_of (ps));
                    return NULL;
                  }
                ps->p += 2;
                if (!read_hex4 (ps, &lo) || lo < 0xdc00 || lo > 0xdfff)
                  {
                    g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_INVALID_STRING,
                                 "Invalid JSON at offset %" G_GSIZE_FORMAT ": unpaired high "
                                 "surrogate", offset_of (ps));
                    return NULL;
                  }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              }
            /* json-glib strings are NUL-terminated: a \u0000 would silently
             * cut the string short, so it is refused. */
            if (cp == 0)
              {
                g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_INVALID_STRING,
                             "Invalid JSON at offset %" G_GSIZE_FORMAT ": \\u0000 is not "
                             "supported in strings", offset_of (ps));
                return NULL;
              }
            g_string_append_unichar (out, (gunichar) cp);
          }
          break;
        default:
          set_syntax_error (ps, error, "unknown escape");
          return NULL;
        }
    }
}

static JsonNode *
parse_number (Parser  *ps,
              GError **error)
{
  const char *s = ps->p;
  gboolean is_integer = TRUE;
  g_autofree char *text = NULL;

  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
    {
      set_syntax_error (ps, error, "bad number");
      return NULL;
    }
  if (*ps->p == '0')
    ps->p++;
  else
    while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
      ps->p++;

  if (ps->p < ps->end && *ps->p == '.')
    {
      is_integer = FALSE;
      ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          set_syntax_error (ps, error, "bad fraction");
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
    {
      is_integer = FALSE;
      ps->p++;
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
        ps->p++;
      if (ps->p >= ps->end || !g_ascii_isdigit (*ps->p))
        {
          set_syntax_error (ps, error, "bad exponent");
          return NULL;
        }
      while (ps->p < ps->end && g_ascii_isdigit (*ps->p))
        ps->p++;
    }

  text = g_strndup (s, (gsize) (ps->p - s));
  if (is_integer)
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (text, NULL, 10);
      if (errno == 0)
        return json_node_init_int (json_node_alloc (), v);
      /* Out of gint64 range: fall through to a double rather than wrap. */
    }

  {
    double d;

    errno = 0;
    d = g_ascii_strtod (text, NULL);
    if (!isfinite (d))
      {
        set_syntax_error (ps, error, "number out of range");
        return NULL;
      }
    return json_node_init_double (json_node_alloc (), d);
  }
}

static JsonNode *
parse_object (Parser  *ps,
              guint    depth,
              GError **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  ps->p++; /* { */
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == '}')
    {
      ps->p++;
      return json_node_init_object (json_node_alloc (), object);
    }

  for (;;)
    {
      g_autofree char *name = NULL;
      JsonNode *member;

      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != '"')
        {
          set_syntax_error (ps, error, "expected a member name");
          return NULL;
        }
      name = parse_string (ps, error);
      if (name == NULL)
        return NULL;
      if (json_object_has_member (object, name))
        {
          g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_DUPLICATE_KEY,
                       "Invalid JSON at offset %" G_GSIZE_FORMAT ": duplicate member name",
                       offset_of (ps));
          return NULL;
        }
      skip_ws (ps);
      if (ps->p >= ps->end || *ps->p != ':')
        {
          set_syntax_error (ps, error, "expected ':'");
          return NULL;
        }
      ps->p++;
      member = parse_value (ps, depth + 1, error);
      if (member == NULL)
        return NULL;
      json_object_set_member (object, name, member);

      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == '}')
        {
          ps->p++;
          return json_node_init_object (json_node_alloc (), object);
        }
      set_syntax_error (ps, error, "expected ',' or '}'");
      return NULL;
    }
}

static JsonNode *
parse_array (Parser  *ps,
             guint    depth,
             GError **error)
{
  g_autoptr(JsonArray) array = json_array_new ();

  ps->p++; /* [ */
  skip_ws (ps);
  if (ps->p < ps->end && *ps->p == ']')
    {
      ps->p++;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      JsonNode *element = parse_value (ps, depth + 1, error);

      if (element == NULL)
        return NULL;
      json_array_add_element (array, element);

      skip_ws (ps);
      if (ps->p < ps->end && *ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (ps->p < ps->end && *ps->p == ']')
        {
          ps->p++;
          return json_node_init_array (json_node_alloc (), array);
        }
      set_syntax_error (ps, error, "expected ',' or ']'");
      return NULL;
    }
}

static gboolean
consume_literal (Parser     *ps,
                 const char *literal)
{
  gsize n = strlen (literal);

  if ((gsize) (ps->end - ps->p) < n || memcmp (ps->p, literal, n) != 0)
    return FALSE;
  ps->p += n;
  return TRUE;
}

static JsonNode *
parse_value (Parser  *ps,
             guint    depth,
             GError **error)
{
  if (depth > ps->max_depth)
    {
      g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_TOO_DEEP,
                   "Invalid JSON at offset %" G_GSIZE_FORMAT ": nested deeper than %u levels",
                   offset_of (ps), ps->max_depth);
      return NULL;
    }

  skip_ws (ps);
  if (ps->p >= ps->end)
    {
      set_syntax_error (ps, error, "expected a value");
      return NULL;
    }

  switch (*ps->p)
    {
    case '{':
      return parse_object (ps, depth, error);
    case '[':
      return parse_array (ps, depth, error);
    case '"':
      {
        char *s = parse_string (ps, error);
        JsonNode *node;

        if (s == NULL)
          return NULL;
        node = json_node_init_string (json_node_alloc (), s);
        g_free (s);
        return node;
      }
    case 't':
      if (consume_literal (ps, "true"))
        return json_node_init_boolean (json_node_alloc (), TRUE);
      break;
    case 'f':
      if (consume_literal (ps, "false"))
        return json_node_init_boolean (json_node_alloc (), FALSE);
      break;
    case 'n':
      if (consume_literal (ps, "null"))
        return json_node_init_null (json_node_alloc ());
      break;
    default:
      if (*ps->p == '-' || g_ascii_isdigit (*ps->p))
        return parse_number (ps, error);
      break;
    }

  set_syntax_error (ps, error, "unexpected character");
  return NULL;
}

JsonNode *
sotto_json_parse_strict (const char *data,
                         gssize      len,
                         guint       max_depth,
                         GError    **error)
{
  Parser ps;
  gsize n;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = len < 0 ? strlen (data) : (gsize) len;
  if (!g_utf8_validate_len (data, n, NULL))
    {
      g_set_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_INVALID_UTF8,
                   "Invalid JSON: the text is not valid UTF-8");
      return NULL;
    }

  ps.p = data;
  ps.start = data;
  ps.end = data + n;
  ps.max_depth = max_depth;

  root = parse_value (&ps, 0, error);
  if (root == NULL)
    return NULL;
  skip_ws (&ps);
  if (ps.p != ps.end)
    {
      set_syntax_error (&ps, error, "trailing data after the value");
      return NULL;
    }
  return g_steal_pointer (&root);
}

char *
sotto_json_to_string (JsonNode *node,
                      gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  GString *out;
  gsize len = 0, i;

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);

  /* Outside strings the generator writes no control characters, and in
   * UTF-8 the byte 0x1f is only ever U+001F, so a byte-wise fix is exact. */
  out = g_string_sized_new (len + 1);
  for (i = 0; i < len; i++)
    {
      if (text[i] == 0x1f)
        g_string_append (out, "\\u001f");
      else
        g_string_append_c (out, text[i]);
    }
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
