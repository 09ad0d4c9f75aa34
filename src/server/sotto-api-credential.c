/* sotto-api-credential.c: the REST API's bearer credential
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-api-credential"

#include "sotto-api-credential.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

G_DEFINE_QUARK (sotto-api-credential-error-quark, sotto_api_credential_error)

/* The fixed header: verification accepts only this exact encoding, which
 * rules out alg=none and algorithm confusion without parsing anything. */
static const char header_json[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

static char *
b64url (const guint8 *data,
        gsize         len)
{
  char *b64 = g_base64_encode (data, len);
  char *p;

  for (p = b64; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return b64;
}

/* Lenient decode is fine here: only text whose MAC has already been
 * checked is decoded. */
static guchar *
b64url_decode (const char *text,
               gsize       text_len,
               gsize      *out_len)
{
  g_autoptr (GString) std = g_string_sized_new (text_len + 3);
  gsize i;

  for (i = 0; i < text_len; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      g_string_append_c (std, c);
    }
  while (std->len % 4 != 0)
    g_string_append_c (std, '=');
  return g_base64_decode (std->str, out_len);
}

static char *
sign (const char *signing_input,
      GBytes     *secret)
{
  guint8 mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  gsize key_len = 0;
  const guint8 *key = g_bytes_get_data (secret, &key_len);
  char *out;

  if (HMAC (EVP_sha256 (), key, (int) key_len, (const guint8 *) signing_input,
            strlen (signing_input), mac, &mac_len) == NULL)
    return NULL;
  out = b64url (mac, mac_len);
  OPENSSL_cleanse (mac, sizeof mac);
  return out;
}

char *
sotto_api_credential_mint (const char *api_key,
                           GBytes     *api_secret,
                           gint64      now,
                           gint64      lifetime,
                           GError    **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *payload_json = NULL;
  g_autofree char *header = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature = NULL;

  g_return_val_if_fail (api_key != NULL && api_secret != NULL, NULL);

  if (lifetime <= 0 || lifetime > SOTTO_API_CREDENTIAL_MAX_LIFETIME)
    {
      g_set_error (error, SOTTO_API_CREDENTIAL_ERROR, SOTTO_API_CREDENTIAL_ERROR_EXPIRED,
                   "An API credential lives 1 to %d seconds", SOTTO_API_CREDENTIAL_MAX_LIFETIME);
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "iss");
  json_builder_add_string_value (builder, api_key);
  json_builder_set_member_name (builder, "iat");
  json_builder_add_int_value (builder, now);
  json_builder_set_member_name (builder, "exp");
  json_builder_add_int_value (builder, now + lifetime);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  payload_json = json_to_string (root, FALSE);

  header = b64url ((const guint8 *) header_json, strlen (header_json));
  payload = b64url ((const guint8 *) payload_json, strlen (payload_json));
  signing_input = g_strconcat (header, ".", payload, NULL);
  signature = sign (signing_input, api_secret);
  if (signature == NULL)
    {
      g_set_error (error, SOTTO_API_CREDENTIAL_ERROR, SOTTO_API_CREDENTIAL_ERROR_MALFORMED,
                   "OpenSSL cannot compute HMAC-SHA256");
      return NULL;
    }
  return g_strconcat (signing_input, ".", signature, NULL);
}

static gboolean
fail (GError    **error,
      int         code,
      const char *message)
{
  g_set_error_literal (error, SOTTO_API_CREDENTIAL_ERROR, code, message);
  return FALSE;
}

gboolean
sotto_api_credential_verify (const char *authorization,
                             const char *api_key,
                             GBytes     *api_secret,
                             gint64      now,
                             GError    **error)
{
  g_autofree char *expected_header = NULL;
  g_autofree char *expected_mac = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree guchar *payload_raw = NULL;
  g_autoptr (JsonParser) parser = NULL;
  const char *jwt, *dot1, *dot2;
  gsize payload_len = 0;
  JsonNode *root;
  JsonObject *obj;
  JsonNode *iss, *iat, *exp;
  gint64 iat_v, exp_v;

  g_return_val_if_fail (api_key != NULL && api_secret != NULL, FALSE);

  if (authorization == NULL)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MISSING, "No Authorization header");
  /* RFC 7235: the scheme name is case-insensitive. */
  if (g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MISSING, "Authorization is not Bearer");
  jwt = authorization + 7;
  while (*jwt == ' ')
    jwt++;
  if (strlen (jwt) > SOTTO_API_CREDENTIAL_MAX_LENGTH)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MALFORMED, "Credential too long");

  dot1 = strchr (jwt, '.');
  dot2 = dot1 ? strchr (dot1 + 1, '.') : NULL;
  if (dot1 == NULL || dot2 == NULL || strchr (dot2 + 1, '.') != NULL)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MALFORMED, "Credential is not a JWT");

  expected_header = b64url ((const guint8 *) header_json, strlen (header_json));
  if ((gsize) (dot1 - jwt) != strlen (expected_header)
      || memcmp (jwt, expected_header, strlen (expected_header)) != 0)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MALFORMED,
                 "Credential header must be {\"alg\":\"HS256\",\"typ\":\"JWT\"}");

  signing_input = g_strndup (jwt, (gsize) (dot2 - jwt));
  expected_mac = sign (signing_input, api_secret);
  if (expected_mac == NULL || strlen (dot2 + 1) != strlen (expected_mac)
      || CRYPTO_memcmp (dot2 + 1, expected_mac, strlen (expected_mac)) != 0)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_BAD_SIGNATURE, "Bad credential signature");

  payload_raw = b64url_decode (dot1 + 1, (gsize) (dot2 - dot1 - 1), &payload_len);
  if (payload_raw == NULL || payload_len == 0)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MALFORMED, "Credential payload is not base64url");

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) payload_raw, (gssize) payload_len, NULL))
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MALFORMED, "Credential payload is not JSON");
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MALFORMED, "Credential payload is not an object");
  obj = json_node_get_object (root);
  iss = json_object_get_member (obj, "iss");
  iat = json_object_get_member (obj, "iat");
  exp = json_object_get_member (obj, "exp");
  if (iss == NULL || json_node_get_value_type (iss) != G_TYPE_STRING
      || iat == NULL || json_node_get_value_type (iat) != G_TYPE_INT64
      || exp == NULL || json_node_get_value_type (exp) != G_TYPE_INT64)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_MALFORMED,
                 "Credential needs string iss and integer iat and exp");

  if (g_strcmp0 (json_node_get_string (iss), api_key) != 0)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_WRONG_KEY, "Unknown API key");

  iat_v = json_node_get_int (iat);
  exp_v = json_node_get_int (exp);
  /* Negative times are refused first so that no subtraction below can
   * overflow, whatever integers a client sends. */
  if (iat_v < 0 || exp_v <= iat_v || exp_v - iat_v > SOTTO_API_CREDENTIAL_MAX_LIFETIME
      || now - SOTTO_API_CREDENTIAL_CLOCK_SKEW >= exp_v
      || iat_v > now + SOTTO_API_CREDENTIAL_CLOCK_SKEW)
    return fail (error, SOTTO_API_CREDENTIAL_ERROR_EXPIRED,
                 "Credential expired, not yet valid, or lives longer than an hour");
  return TRUE;
}
