/* sotto-token.c: session tokens (HS256 JWT, RFC 7519)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A token is <header>.<payload>.<signature>, each part base64url without
 * padding. The header is always {"alg":"HS256","typ":"JWT"}; the signature is
 * HMAC-SHA256 over "<header>.<payload>" with the deployment's API secret.
 * docs/protocol.md ("Tokens") is the specification; keep it in step.
 *
 * Parsing order matters: the length limit comes before anything reads the
 * text, the header (and so the algorithm) is checked before the signature,
 * and when a secret is given the MAC is checked before the payload is parsed,
 * so a forged payload never reaches the claim parser on the server.
 */
#define G_LOG_DOMAIN "sotto-token"

#include "sotto-config.h"

#include "sotto-token.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sotto-base64url.h"
#include "sotto-json.h"
#include "sotto-random.h"

#define MAC_LENGTH      32     /* HMAC-SHA256 */
#define PIN_LENGTH      32     /* SHA-256 */
#define JTI_BYTES       16     /* 128 random bits */
#define MAX_JSON_DEPTH  4      /* tokens are flat objects; leave room for unknown claims */
/* 9999-12-31T23:59:59Z: keeps exp + skew far from gint64 overflow and
 * refuses nonsense times. */
#define MAX_TIMESTAMP   G_GINT64_CONSTANT (253402300799)

/* The only header we ever produce. */
static const char token_header_json[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

struct _SottoToken
{
  GObject    parent_instance;

  char      *api_key;
  char      *session_id;
  SottoRole  role;
  gint64     issued_at;
  gint64     expires_at;
  gint64     not_before;
  char      *id;
  char      *data;
  char      *url;
  char      *pin;
};

G_DEFINE_FINAL_TYPE (SottoToken, sotto_token, G_TYPE_OBJECT)

G_DEFINE_QUARK (sotto-token-error-quark, sotto_token_error)

static void
sotto_token_finalize (GObject *object)
{
  SottoToken *self = SOTTO_TOKEN (object);

  g_free (self->api_key);
  g_free (self->session_id);
  g_free (self->id);
  g_free (self->data);
  g_free (self->url);
  g_free (self->pin);

  G_OBJECT_CLASS (sotto_token_parent_class)->finalize (object);
}

static void
sotto_token_class_init (SottoTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sotto_token_finalize;
}

static void
sotto_token_init (SottoToken *self)
{
}

/* Roles */

const char *
sotto_role_to_string (SottoRole role)
{
  switch (role)
    {
    case SOTTO_ROLE_SUBSCRIBER:
      return "subscriber";
    case SOTTO_ROLE_PUBLISHER:
      return "publisher";
    case SOTTO_ROLE_MODERATOR:
      return "moderator";
    default:
      return NULL;
    }
}

gboolean
sotto_role_from_string (const char *str,
                        SottoRole  *out_role)
{
  static const SottoRole roles[] = {
    SOTTO_ROLE_SUBSCRIBER, SOTTO_ROLE_PUBLISHER, SOTTO_ROLE_MODERATOR,
  };
  gsize i;

  if (str == NULL)
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      if (strcmp (str, sotto_role_to_string (roles[i])) == 0)
        {
          if (out_role != NULL)
            *out_role = roles[i];
          return TRUE;
        }
    }
  return FALSE;
}

/* Claim checks shared by mint and decode */

static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  const char *p;

  /* Printable ASCII only: an internationalised host must arrive as
   * punycode, so what the user is shown is what we connect to. */
  for (p = url; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
        goto bad;
    }
  if (!g_str_has_prefix (url, "wss://"))
    goto bad;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    goto bad;
  /* A user@host URL is a classic way to show one host and mean another. */
  if (g_uri_get_userinfo (uri) != NULL)
    goto bad;
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    goto bad;
  /* GUri percent-decodes the host; a decoded "/" or "@" would let the host
   * the user is shown differ from the one we connect to. Only DNS names and
   * IP literals (IPv6 without its brackets) get through. */
  for (p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != ':')
        goto bad;
    }
  return TRUE;

bad:
  g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
               _("The token’s server address (url) is not a valid wss:// URL; "
                 "ask for a new token"));
  return FALSE;
}

/* Standard base64 with padding of exactly 32 bytes: 44 characters, and the
 * canonical encoding only (re-encoding gives the same text). */
static gboolean
check_pin (const char  *pin,
           GError     **error)
{
  g_autofree guchar *raw = NULL;
  g_autofree char *again = NULL;
  gsize raw_len = 0;
  const char *p;

  if (strlen (pin) != 44)
    goto bad;
  for (p = pin; p < pin + 43; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/')
        goto bad;
    }
  if (pin[43] != '=')
    goto bad;
  raw = g_base64_decode (pin, &raw_len);
  if (raw_len != PIN_LENGTH)
    goto bad;
  again = g_base64_encode (raw, raw_len);
  if (strcmp (again, pin) != 0)
    goto bad;
  return TRUE;

bad:
  g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
               _("The token’s server key pin is not a base64 SHA-256 digest; "
                 "ask for a new token"));
  return FALSE;
}

static gboolean
check_data (const char  *data,
            GError     **error)
{
  gsize len = strlen (data);

  if (len > SOTTO_TOKEN_MAX_DATA_LENGTH)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
                   _("The token’s data is %lu bytes long; at most %d bytes are allowed"),
                   (gulong) len, SOTTO_TOKEN_MAX_DATA_LENGTH);
      return FALSE;
    }
  if (!g_utf8_validate (data, (gssize) len, NULL))
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
                   _("The token’s data is not valid UTF-8 text"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_time (const char  *name,
            gint64       value,
            GError     **error)
{
  if (value <= 0 || value > MAX_TIMESTAMP)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
                   _("The token’s “%s” time is out of range"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_times (gint64   iat,
             gint64   exp,
             gint64   nbf,
             GError **error)
{
  if (!check_time ("iat", iat, error) || !check_time ("exp", exp, error))
    return FALSE;
  if (nbf != 0 && !check_time ("nbf", nbf, error))
    return FALSE;
  if (exp <= iat)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
                   _("The token expires before it was issued"));
      return FALSE;
    }
  if (nbf != 0 && nbf >= exp)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
                   _("The token expires before it becomes valid"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_nonempty (const char  *name,
                const char  *value,
                GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_MISSING_CLAIM,
                   _("The token has no “%s” claim; ask for a new token"), name);
      return FALSE;
    }
  return TRUE;
}

/* MAC */

static gboolean
secret_is_usable (GBytes  *secret,
                  GError **error)
{
  /* RFC 7518 section 3.2: an HS256 key must be at least 256 bits. */
  if (g_bytes_get_size (secret) < MAC_LENGTH)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_WEAK_SECRET,
                   _("The API secret is shorter than %d bytes; re-create the deployment’s "
                     "secret"), MAC_LENGTH);
      return FALSE;
    }
  return TRUE;
}

static void
compute_mac (GBytes     *secret,
             const char *input,
             gsize       input_len,
             guint8      out[MAC_LENGTH])
{
  gsize key_len = 0;
  const guint8 *key = g_bytes_get_data (secret, &key_len);
  unsigned int out_len = MAC_LENGTH;

  /* HMAC() keeps no copy of the key after returning: it cleanses its own
   * context. Our only key copy is the caller's GBytes. */
  if (HMAC (EVP_sha256 (), key, (int) key_len, (const guint8 *) input, input_len,
            out, &out_len) == NULL || out_len != MAC_LENGTH)
    g_error ("HMAC-SHA256 failed; the OpenSSL installation is broken");
}

/* Mint */

char *
sotto_token_mint (const SottoTokenClaims *claims,
                  GBytes                 *secret,
                  GError                **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload_json = NULL;
  g_autofree char *header_b64 = NULL;
  g_autofree char *payload_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature_b64 = NULL;
  g_autofree char *jti = NULL;
  g_autofree char *token = NULL;
  guint8 mac[MAC_LENGTH];
  gsize payload_len = 0;

  g_return_val_if_fail (claims != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!secret_is_usable (secret, error))
    return NULL;
  if (!check_nonempty ("iss", claims->api_key, error) ||
      !check_nonempty ("sid", claims->session_id, error) ||
      !check_nonempty ("url", claims->url, error) ||
      !check_nonempty ("pin", claims->pin, error))
    return NULL;
  if (sotto_role_to_string (claims->role) == NULL)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_UNKNOWN_ROLE,
                   _("Unknown role %d; use subscriber, publisher or moderator"),
                   (int) claims->role);
      return NULL;
    }
  if (!g_utf8_validate (claims->api_key, -1, NULL) ||
      !g_utf8_validate (claims->session_id, -1, NULL))
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
                   _("The API key or session id is not valid UTF-8"));
      return NULL;
    }
  if (!check_times (claims->issued_at, claims->expires_at, claims->not_before, error) ||
      (claims->data != NULL && !check_data (claims->data, error)) ||
      !check_url (claims->url, error) ||
      !check_pin (claims->pin, error))
    return NULL;

  jti = sotto_random_id (JTI_BYTES);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "iss");
  json_builder_add_string_value (builder, claims->api_key);
  json_builder_set_member_name (builder, "sid");
  json_builder_add_string_value (builder, claims->session_id);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, sotto_role_to_string (claims->role));
  json_builder_set_member_name (builder, "iat");
  json_builder_add_int_value (builder, claims->issued_at);
  if (claims->not_before != 0)
    {
      json_builder_set_member_name (builder, "nbf");
      json_builder_add_int_value (builder, claims->not_before);
    }
  json_builder_set_member_name (builder, "exp");
  json_builder_add_int_value (builder, claims->expires_at);
  json_builder_set_member_name (builder, "jti");
  json_builder_add_string_value (builder, jti);
  if (claims->data != NULL)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, claims->data);
    }
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, claims->url);
  json_builder_set_member_name (builder, "pin");
  json_builder_add_string_value (builder, claims->pin);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  payload_json = sotto_json_to_string (root, &payload_len);

  header_b64 = sotto_base64url_encode ((const guint8 *) token_header_json,
                                       strlen (token_header_json));
  payload_b64 = sotto_base64url_encode ((const guint8 *) payload_json, payload_len);
  signing_input = g_strconcat (header_b64, ".", payload_b64, NULL);

  compute_mac (secret, signing_input, strlen (signing_input), mac);
  signature_b64 = sotto_base64url_encode (mac, sizeof mac);
  OPENSSL_cleanse (mac, sizeof mac);

  token = g_strconcat (signing_input, ".", signature_b64, NULL);
  if (strlen (token) > SOTTO_TOKEN_MAX_LENGTH)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_TOO_LONG,
                   _("The token would be %lu bytes long; at most %d are allowed (shorten the data)"),
                   (gulong) strlen (token), SOTTO_TOKEN_MAX_LENGTH);
      return NULL;
    }
  return g_steal_pointer (&token);
}

/* Decode and verify */

static JsonObject *
parse_json_part (GBytes     *bytes,
                 const char *what,
                 GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);

  root = sotto_json_parse_strict (text != NULL ? text : "", (gssize) len, MAX_JSON_DEPTH,
                                  &local_error);
  if (root == NULL)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_BAD_JSON,
                   _("The token’s %s is not valid JSON (%s); check that it was copied "
                     "completely"), what, local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_BAD_JSON,
                   _("The token’s %s is not a JSON object"), what);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static GBytes *
decode_part (const char  *start,
             gsize        len,
             const char  *what,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes = sotto_base64url_decode (start, (gssize) len, &local_error);

  if (bytes == NULL)
    g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_BAD_BASE64,
                 _("The token’s %s is not base64url (%s); check that it was copied "
                   "completely"), what, local_error->message);
  return bytes;
}

static gboolean
check_header (JsonObject  *header,
              GError     **error)
{
  JsonNode *alg = json_object_get_member (header, "alg");
  JsonNode *typ = json_object_get_member (header, "typ");

  if (alg == NULL || json_node_get_value_type (alg) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (alg), "HS256") != 0)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG,
                   _("The token is not signed with HS256; only HS256 tokens are accepted"));
      return FALSE;
    }
  if (typ != NULL && (json_node_get_value_type (typ) != G_TYPE_STRING ||
                      g_strcmp0 (json_node_get_string (typ), "JWT") != 0))
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_MALFORMED,
                   _("The token’s header says it is not a JWT"));
      return FALSE;
    }
  /* RFC 7515 section 4.1.11: extensions listed in "crit" must be understood;
   * we understand none. */
  if (json_object_has_member (header, "crit"))
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_MALFORMED,
                   _("The token requires header extensions that are not supported"));
      return FALSE;
    }
  return TRUE;
}

/* Looks up a claim; FALSE with MISSING_CLAIM if required and absent, FALSE
 * with INVALID_CLAIM if present with another JSON type. *out is NULL when an
 * optional claim is absent. */
static gboolean
get_claim (JsonObject  *payload,
           const char  *name,
           GType        type,
           gboolean     required,
           JsonNode   **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (payload, name);

  *out = NULL;
  if (node == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_MISSING_CLAIM,
                   _("The token has no “%s” claim; ask for a new token"), name);
      return FALSE;
    }
  /* json_node_get_value_type is G_TYPE_INVALID for objects, arrays and null. */
  if (json_node_get_value_type (node) != type)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_INVALID_CLAIM,
                   _("The token’s “%s” claim has the wrong type"), name);
      return FALSE;
    }
  *out = node;
  return TRUE;
}

static SottoToken *
token_from_payload (JsonObject  *payload,
                    GError     **error)
{
  g_autoptr(SottoToken) self = NULL;
  JsonNode *iss, *sid, *role, *iat, *exp, *nbf, *jti, *data, *url, *pin;

  /* A fixed order, so one token always gives the same error. */
  if (!get_claim (payload, "iss", G_TYPE_STRING, TRUE, &iss, error) ||
      !get_claim (payload, "sid", G_TYPE_STRING, TRUE, &sid, error) ||
      !get_claim (payload, "role", G_TYPE_STRING, TRUE, &role, error) ||
      !get_claim (payload, "iat", G_TYPE_INT64, TRUE, &iat, error) ||
      !get_claim (payload, "exp", G_TYPE_INT64, TRUE, &exp, error) ||
      !get_claim (payload, "jti", G_TYPE_STRING, TRUE, &jti, error) ||
      !get_claim (payload, "url", G_TYPE_STRING, TRUE, &url, error) ||
      !get_claim (payload, "pin", G_TYPE_STRING, TRUE, &pin, error) ||
      !get_claim (payload, "nbf", G_TYPE_INT64, FALSE, &nbf, error) ||
      !get_claim (payload, "data", G_TYPE_STRING, FALSE, &data, error))
    return NULL;

  self = g_object_new (SOTTO_TYPE_TOKEN, NULL);

  if (!check_nonempty ("iss", json_node_get_string (iss), error) ||
      !check_nonempty ("sid", json_node_get_string (sid), error) ||
      !check_nonempty ("jti", json_node_get_string (jti), error))
    return NULL;
  if (!sotto_role_from_string (json_node_get_string (role), &self->role))
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_UNKNOWN_ROLE,
                   _("The token’s role is not subscriber, publisher or moderator"));
      return NULL;
    }

  self->issued_at = json_node_get_int (iat);
  self->expires_at = json_node_get_int (exp);
  if (nbf != NULL)
    {
      self->not_before = json_node_get_int (nbf);
      /* 0 stands for "absent" in the API, so a present nbf must be positive. */
      if (!check_time ("nbf", self->not_before, error))
        return NULL;
    }
  if (!check_times (self->issued_at, self->expires_at, self->not_before, error))
    return NULL;
  if (data != NULL && !check_data (json_node_get_string (data), error))
    return NULL;
  if (!check_url (json_node_get_string (url), error) ||
      !check_pin (json_node_get_string (pin), error))
    return NULL;

  self->api_key = g_strdup (json_node_get_string (iss));
  self->session_id = g_strdup (json_node_get_string (sid));
  self->id = g_strdup (json_node_get_string (jti));
  self->data = data != NULL ? g_strdup (json_node_get_string (data)) : NULL;
  self->url = g_strdup (json_node_get_string (url));
  self->pin = g_strdup (json_node_get_string (pin));

  return g_steal_pointer (&self);
}

/* Decodes `encoded`; with a `secret`, also checks the MAC before the payload
 * is parsed. */
static SottoToken *
token_parse (const char  *encoded,
             GBytes      *secret,
             GError     **error)
{
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(JsonObject) header_object = NULL;
  g_autoptr(JsonObject) payload_object = NULL;
  const char *dot1, *dot2;
  gsize len;

  /* strnlen: a 1 MiB paste is refused after reading 4 KiB of it. */
  len = strnlen (encoded, SOTTO_TOKEN_MAX_LENGTH + 1);
  if (len > SOTTO_TOKEN_MAX_LENGTH)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_TOO_LONG,
                   _("The token is longer than %d bytes; check what was pasted"),
                   SOTTO_TOKEN_MAX_LENGTH);
      return NULL;
    }
  if (!g_utf8_validate_len (encoded, len, NULL))
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_MALFORMED,
                   _("The token is not text; check what was pasted"));
      return NULL;
    }

  dot1 = memchr (encoded, '.', len);
  dot2 = dot1 != NULL ? memchr (dot1 + 1, '.', len - (gsize) (dot1 + 1 - encoded)) : NULL;
  if (dot2 == NULL || memchr (dot2 + 1, '.', len - (gsize) (dot2 + 1 - encoded)) != NULL)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_MALFORMED,
                   _("The token does not have three parts separated by dots; check that "
                     "it was copied completely"));
      return NULL;
    }

  header = decode_part (encoded, (gsize) (dot1 - encoded), _("header"), error);
  if (header == NULL)
    return NULL;
  header_object = parse_json_part (header, _("header"), error);
  if (header_object == NULL || !check_header (header_object, error))
    return NULL;

  payload = decode_part (dot1 + 1, (gsize) (dot2 - dot1 - 1), _("payload"), error);
  if (payload == NULL)
    return NULL;
  signature = decode_part (dot2 + 1, len - (gsize) (dot2 + 1 - encoded), _("signature"), error);
  if (signature == NULL)
    return NULL;
  if (g_bytes_get_size (signature) != MAC_LENGTH)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_BAD_SIGNATURE,
                   _("The token’s signature has the wrong length; check that it was copied "
                     "completely"));
      return NULL;
    }

  if (secret != NULL)
    {
      guint8 expected[MAC_LENGTH];
      int differ;

      compute_mac (secret, encoded, (gsize) (dot2 - encoded), expected);
      differ = CRYPTO_memcmp (expected, g_bytes_get_data (signature, NULL), MAC_LENGTH);
      OPENSSL_cleanse (expected, sizeof expected);
      if (differ != 0)
        {
          g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_BAD_SIGNATURE,
                       _("The token’s signature does not match; it was altered or minted "
                         "for another deployment"));
          return NULL;
        }
    }

  payload_object = parse_json_part (payload, _("payload"), error);
  if (payload_object == NULL)
    return NULL;

  return token_from_payload (payload_object, error);
}

SottoToken *
sotto_token_decode (const char  *encoded,
                    GError     **error)
{
  g_return_val_if_fail (encoded != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return token_parse (encoded, NULL, error);
}

SottoToken *
sotto_token_verify (const char  *encoded,
                    GBytes      *secret,
                    const char  *expected_session_id,
                    gint64       now,
                    GError     **error)
{
  g_autoptr(SottoToken) self = NULL;

  g_return_val_if_fail (encoded != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!secret_is_usable (secret, error))
    return NULL;

  self = token_parse (encoded, secret, error);
  if (self == NULL)
    return NULL;

  if (expected_session_id != NULL && strcmp (self->session_id, expected_session_id) != 0)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_WRONG_SESSION,
                   _("The token is for another session"));
      return NULL;
    }
  if (sotto_token_is_expired (self, now))
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_EXPIRED,
                   _("The token has expired; ask for a new one"));
      return NULL;
    }
  if ((self->not_before != 0 && now < self->not_before - SOTTO_TOKEN_CLOCK_SKEW) ||
      now < self->issued_at - SOTTO_TOKEN_CLOCK_SKEW)
    {
      g_set_error (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_NOT_YET_VALID,
                   _("The token is not valid yet; check this computer’s clock"));
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Accessors */

const char *
sotto_token_get_api_key (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), NULL);
  return self->api_key;
}

const char *
sotto_token_get_session_id (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), NULL);
  return self->session_id;
}

SottoRole
sotto_token_get_role (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), SOTTO_ROLE_SUBSCRIBER);
  return self->role;
}

gint64
sotto_token_get_issued_at (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), 0);
  return self->issued_at;
}

gint64
sotto_token_get_expires_at (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), 0);
  return self->expires_at;
}

gint64
sotto_token_get_not_before (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), 0);
  return self->not_before;
}

const char *
sotto_token_get_id (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), NULL);
  return self->id;
}

const char *
sotto_token_get_data (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), NULL);
  return self->data;
}

const char *
sotto_token_get_url (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), NULL);
  return self->url;
}

const char *
sotto_token_get_pin (SottoToken *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), NULL);
  return self->pin;
}

char *
sotto_token_dup_server_host (SottoToken *self)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  int port;

  g_return_val_if_fail (SOTTO_IS_TOKEN (self), NULL);

  /* url was checked when the token was decoded, so this parses. */
  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  host = g_uri_get_host (uri);
  port = g_uri_get_port (uri);

  /* GUri strips the brackets of an IPv6 literal; put them back. */
  if (strchr (host, ':') != NULL)
    return port > 0 ? g_strdup_printf ("[%s]:%d", host, port) : g_strdup_printf ("[%s]", host);
  return port > 0 ? g_strdup_printf ("%s:%d", host, port) : g_strdup (host);
}

/* Same rule as sotto_token_verify(), so client and server agree. */
gboolean
sotto_token_is_expired (SottoToken *self,
                        gint64      now)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (self), TRUE);
  return now >= self->expires_at + SOTTO_TOKEN_CLOCK_SKEW;
}
