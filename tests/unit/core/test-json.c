/* test-json.c: strict JSON parsing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sotto-json.h"

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = sotto_json_parse_strict (text, -1, 16, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
assert_parse_fails (const char *text,
                    int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sotto_json_parse_strict (text, -1, 16, &error);

  g_autofree char *escaped = g_strescape (text, NULL);

  /* Escaped: a raw invalid UTF-8 byte would break the TAP stream. */
  g_test_message ("input: %s", escaped);
  g_assert_error (error, SOTTO_JSON_ERROR, code);
  g_assert_null (node);
}

static void
test_values (void)
{
  g_autoptr(JsonNode) node = parse_ok (" {\"s\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\","
                                       "\"i\":-42,\"big\":12345678901234567890,"
                                       "\"f\":1.5e2,\"t\":true,\"n\":null,\"a\":[1,[],{}]} ");
  JsonObject *o = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (o, "s"), ==, "a\"b\\c/d\né😀");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "i")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (o, "i"), ==, -42);
  /* Beyond gint64: a double, never a wrapped integer. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (o, "big")), ==,
                   G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (o, "f"), ==, 150.0);
  g_assert_true (json_object_get_boolean_member (o, "t"));
  g_assert_true (json_object_get_null_member (o, "n"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "a")), ==, 3);
}

static void
test_duplicates (void)
{
  assert_parse_fails ("{\"a\":1,\"a\":2}", SOTTO_JSON_ERROR_DUPLICATE_KEY);
  assert_parse_fails ("{\"a\":1,\"\\u0061\":2}", SOTTO_JSON_ERROR_DUPLICATE_KEY);
  assert_parse_fails ("{\"x\":{\"b\":1,\"b\":1}}", SOTTO_JSON_ERROR_DUPLICATE_KEY);
  assert_parse_fails ("[{\"\":1,\"\":2}]", SOTTO_JSON_ERROR_DUPLICATE_KEY);
  /* Same name in different objects is fine. */
  json_node_unref (parse_ok ("{\"a\":{\"a\":{\"a\":1}}}"));
}

static void
test_syntax (void)
{
  static const char *const bad[] = {
    "", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\":1}x",
    "{}{}", "// c\n{}", "{/*c*/}", "{'a':1}", "{a:1}", "tru", "nul", "True", "+1", "01",
    "1.", ".5", "1e", "-", "0x1", "NaN", "Infinity", "1e400", "\"\\x\"", "\"\\u12\"",
    "\"unterminated", "var a = {}",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_parse_fails (bad[i], SOTTO_JSON_ERROR_SYNTAX);
}

static void
test_strings (void)
{
  assert_parse_fails ("\"\\u0000\"", SOTTO_JSON_ERROR_INVALID_STRING);
  assert_parse_fails ("\"\\ud800\"", SOTTO_JSON_ERROR_INVALID_STRING);
  assert_parse_fails ("\"\\ud800\\u0041\"", SOTTO_JSON_ERROR_INVALID_STRING);
  assert_parse_fails ("\"\\udc00\"", SOTTO_JSON_ERROR_INVALID_STRING);
  assert_parse_fails ("\"a\tb\"", SOTTO_JSON_ERROR_INVALID_STRING);
  assert_parse_fails ("\"\xff\"", SOTTO_JSON_ERROR_INVALID_UTF8);
  assert_parse_fails ("\"\xc0\xaf\"", SOTTO_JSON_ERROR_INVALID_UTF8);
}

static void
test_depth (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ok = sotto_json_parse_strict ("[[[1]]]", -1, 3, &error);
  g_autoptr(JsonNode) deep = NULL;
  g_autoptr(GString) bomb = g_string_new (NULL);
  guint i;

  g_assert_no_error (error);
  g_assert_nonnull (ok);
  deep = sotto_json_parse_strict ("[[[[1]]]]", -1, 3, &error);
  g_assert_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_TOO_DEEP);
  g_assert_null (deep);
  g_clear_error (&error);

  /* Deep nesting is refused without exhausting the stack. */
  for (i = 0; i < 100000; i++)
    g_string_append_c (bomb, '[');
  deep = sotto_json_parse_strict (bomb->str, (gssize) bomb->len, 16, &error);
  g_assert_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_TOO_DEEP);
  g_assert_null (deep);
}

/* An explicit length: embedded NUL is refused, and bytes past len are ignored. */
static void
test_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sotto_json_parse_strict ("{}garbage", 2, 4, &error);
  g_autoptr(JsonNode) nul = NULL;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  nul = sotto_json_parse_strict ("{}\0", 3, 4, &error);
  g_assert_error (error, SOTTO_JSON_ERROR, SOTTO_JSON_ERROR_INVALID_UTF8);
  g_assert_null (nul);
}

/* Every string survives sotto_json_to_string and the strict parser, including
 * U+001F, which json-glib 1.6's generator leaves unescaped. */
static void
test_to_string (void)
{
  gunichar c;

  for (c = 1; c < 0x80; c++)
    {
      g_autoptr(GError) error = NULL;
      char s[2] = { (char) c, '\0' };
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), s);
      gsize len = 0;
      g_autofree char *text = sotto_json_to_string (node, &len);
      g_autoptr(JsonNode) back = sotto_json_parse_strict (text, (gssize) len, 1, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (len, ==, strlen (text));
      g_assert_cmpstr (json_node_get_string (back), ==, s);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/json/values", test_values);
  g_test_add_func ("/sotto/json/duplicates", test_duplicates);
  g_test_add_func ("/sotto/json/syntax", test_syntax);
  g_test_add_func ("/sotto/json/strings", test_strings);
  g_test_add_func ("/sotto/json/depth", test_depth);
  g_test_add_func ("/sotto/json/length", test_length);
  g_test_add_func ("/sotto/json/to-string", test_to_string);

  return g_test_run ();
}
