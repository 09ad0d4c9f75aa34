/* sotto-rest-api.c: the JSON-over-HTTPS REST API at /v1/sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-rest-api"

#include "sotto-rest-api.h"

#include "sotto-api-credential.h"
#include "sotto-json.h"

/* Request bodies are flat objects; nothing legitimate nests deeper. */
#define MAX_BODY_DEPTH     4
#define MAX_REASON_LENGTH  200
#define MAX_ID_LENGTH      256
#define DEFAULT_REASON     "Removed by the server"

struct _SottoRestApi
{
  GObject parent_instance;

  SottoDeployment   *deployment;
  SottoServerStore  *store;
  SottoSignalingHub *hub;
  guint              max_participants_default;
};

G_DEFINE_FINAL_TYPE (SottoRestApi, sotto_rest_api, G_TYPE_OBJECT)

static void
send_json (SoupServerMessage *msg,
           guint              status,
           JsonNode          *node)
{
  g_autofree char *body = node ? json_to_string (node, FALSE) : NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Responses carry tokens: never cache them anywhere. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                      strlen (body));
}

static void
send_error (SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *message)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  send_json (msg, status, root);
}

static void
send_unauthorized (SoupServerMessage *msg)
{
  /* One answer whatever was wrong, so a prober learns nothing. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer realm=\"sotto\"");
  send_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
              "Missing or invalid API credential");
}

static void
send_method_not_allowed (SoupServerMessage *msg,
                         const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
              "This method is not allowed on this resource");
}

static gboolean
is_authorized (SottoRestApi      *self,
               SoupServerMessage *msg)
{
  g_autoptr (GError) error = NULL;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (sotto_api_credential_verify (auth, sotto_deployment_get_api_key (self->deployment),
                                   sotto_deployment_get_api_secret (self->deployment),
                                   g_get_real_time () / G_USEC_PER_SEC, &error))
    return TRUE;
  /* The reason, never the credential. */
  g_debug ("Refused a REST request: %s", error->message);
  return FALSE;
}

/* Runs after the headers, before the body is read: unauthenticated or
 * oversized requests are answered without reading their bodies. */
static void
on_early_request (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SottoRestApi *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (!is_authorized (self, msg))
    send_unauthorized (msg);
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
           && soup_message_headers_get_content_length (headers) > SOTTO_REST_MAX_BODY)
    send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "The request body is over 64 KiB");
  else
    return;

  /* The body stays unread, so the connection cannot carry another request:
   * say so, and the client will not reuse it (RFC 9112, section 9.6). */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

/* Parses the request body as a JSON object; an empty body is an empty
 * object. Sends the error reply and returns NULL on failure. */
static JsonObject *
read_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  gconstpointer data;
  gsize len = 0;

  if (body->length > SOTTO_REST_MAX_BODY)
    {
      send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                  "The request body is over 64 KiB");
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    return json_object_new ();

  node = sotto_json_parse_strict (data, (gssize) len, MAX_BODY_DEPTH, &error);
  if (node == NULL)
    {
      g_autofree char *message = g_strdup_printf ("The body is not valid JSON: %s",
                                                  error->message);

      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json", message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json", "The body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

/* Optional integer member: TRUE and *present FALSE if absent or null. */
static gboolean
get_optional_int (JsonObject *obj,
                  const char *name,
                  gint64     *out_value,
                  gboolean   *present)
{
  JsonNode *node = json_object_get_member (obj, name);

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out_value = json_node_get_int (node);
  *present = TRUE;
  return TRUE;
}

/* Optional string member: TRUE and *out NULL if absent or null. */
static gboolean
get_optional_string (JsonObject  *obj,
                     const char  *name,
                     const char **out_value)
{
  JsonNode *node = json_object_get_member (obj, name);

  *out_value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out_value = json_node_get_string (node);
  return TRUE;
}

static void
send_store_error (SoupServerMessage *msg,
                  const GError      *error)
{
  if (g_error_matches (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_NOT_FOUND)
      || g_error_matches (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_INVALID_ID))
    {
      send_error (msg, SOUP_STATUS_NOT_FOUND, "session_not_found", "No such session");
      return;
    }
  g_warning ("REST request failed on the database: %s", error->message);
  send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
              "The server could not read or write its database; try again");
}

/* Looks the session up; sends 404 (or 500) and returns FALSE if absent. */
static gboolean
lookup_session (SottoRestApi      *self,
                SoupServerMessage *msg,
                const char        *session_id,
                guint             *max_participants,
                gboolean          *ended)
{
  g_autoptr (GError) error = NULL;

  if (sotto_server_store_lookup_session (self->store, session_id, max_participants, ended, &error))
    return TRUE;
  send_store_error (msg, error);
  return FALSE;
}

static void
create_session (SottoRestApi      *self,
                SoupServerMessage *msg)
{
  g_autoptr (JsonObject) body = read_body (msg);
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *session_id = NULL;
  gint64 max = 0;
  gboolean present;

  if (body == NULL)
    return;
  if (!get_optional_int (body, "max_participants", &max, &present)
      || (present && (max < 1 || max > SOTTO_REST_MAX_PARTICIPANTS)))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_max_participants",
                  "max_participants must be an integer from 1 to 10000");
      return;
    }

  session_id = sotto_server_store_new_session_id ();
  if (!sotto_server_store_create_session (self->store, session_id, (guint) max, &error))
    {
      send_store_error (msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session_id");
  json_builder_add_string_value (builder, session_id);
  json_builder_set_member_name (builder, "max_participants");
  json_builder_add_int_value (builder, max > 0 ? max : self->max_participants_default);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  send_json (msg, SOUP_STATUS_CREATED, root);
}

static void
create_token (SottoRestApi      *self,
              SoupServerMessage *msg,
              const char        *session_id)
{
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  const char *role_str = NULL;
  const char *data = NULL;
  gint64 expire_in = SOTTO_TOKEN_DEFAULT_EXPIRE_IN;
  gboolean present, ended = FALSE;
  SottoRole role;

  if (!lookup_session (self, msg, session_id, NULL, &ended))
    return;
  if (ended)
    {
      send_error (msg, SOUP_STATUS_GONE, "session_ended", "The session has ended");
      return;
    }
  body = read_body (msg);
  if (body == NULL)
    return;

  if (!get_optional_string (body, "role", &role_str) || role_str == NULL
      || !sotto_role_from_string (role_str, &role))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_role",
                  "role must be \"subscriber\", \"publisher\" or \"moderator\"");
      return;
    }
  if (!get_optional_int (body, "expire_in", &expire_in, &present)
      || (present && (expire_in < 1 || expire_in > SOTTO_TOKEN_MAX_EXPIRE_IN)))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_expire_in",
                  "expire_in must be an integer from 1 to 2592000 (30 days)");
      return;
    }
  if (!get_optional_string (body, "data", &data)
      || (data != NULL && strlen (data) > SOTTO_TOKEN_MAX_DATA_LENGTH))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_data",
                  "data must be a string of at most 1000 bytes");
      return;
    }

  token = sotto_deployment_mint_token (self->deployment, session_id, role,
                                       present ? expire_in : SOTTO_TOKEN_DEFAULT_EXPIRE_IN, data,
                                       &error);
  if (token == NULL)
    {
      g_warning ("Cannot mint a token: %s", error->message);
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                  "The server could not mint the token");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  send_json (msg, SOUP_STATUS_CREATED, root);
}

static void
describe_session (SottoRestApi      *self,
                  SoupServerMessage *msg,
                  const char        *session_id)
{
  g_autoptr (JsonNode) live = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *obj;
  guint max = 0;
  gboolean ended = FALSE;

  if (!lookup_session (self, msg, session_id, &max, &ended))
    return;

  /* Live presence from the hub, plus what only the store knows. */
  live = sotto_signaling_hub_describe_session (self->hub, session_id);
  if (live != NULL && JSON_NODE_HOLDS_OBJECT (live))
    root = json_node_copy (live);
  else
    {
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, json_object_new ());
    }
  obj = json_node_get_object (root);
  json_object_set_string_member (obj, "session_id", session_id);
  json_object_set_int_member (obj, "max_participants", max > 0 ? max : self->max_participants_default);
  json_object_set_boolean_member (obj, "ended", ended);
  send_json (msg, SOUP_STATUS_OK, root);
}

static void
end_session (SottoRestApi      *self,
             SoupServerMessage *msg,
             const char        *session_id)
{
  g_autoptr (GError) error = NULL;

  /* Durable first, so that nobody can rejoin between the two steps. */
  if (!sotto_server_store_end_session (self->store, session_id, &error))
    {
      send_store_error (msg, error);
      return;
    }
  sotto_signaling_hub_end_session (self->hub, session_id);
  send_json (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

typedef gboolean (*ModerationFunc) (SottoSignalingHub *hub,
                                    const char        *session_id,
                                    const char        *target_id,
                                    const char        *reason,
                                    GError           **error);

static void
moderate (SottoRestApi      *self,
          SoupServerMessage *msg,
          const char        *session_id,
          const char        *target_id,
          ModerationFunc     func)
{
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GError) error = NULL;
  const char *reason = NULL;

  if (!lookup_session (self, msg, session_id, NULL, NULL))
    return;
  body = read_body (msg);
  if (body == NULL)
    return;
  if (!get_optional_string (body, "reason", &reason)
      || (reason != NULL && strlen (reason) > MAX_REASON_LENGTH))
    {
      send_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_reason",
                  "reason must be a string of at most 200 bytes");
      return;
    }

  if (func (self->hub, session_id, target_id, reason ? reason : DEFAULT_REASON, &error))
    {
      send_json (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }
  if (g_error_matches (error, SOTTO_SIGNALING_HUB_ERROR,
                       SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_CONNECTION)
      || (func == sotto_signaling_hub_force_disconnect
          && g_error_matches (error, SOTTO_SIGNALING_HUB_ERROR,
                              SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_SESSION)))
    send_error (msg, SOUP_STATUS_NOT_FOUND, "connection_not_found",
                "No live connection with that id in this session");
  else if (g_error_matches (error, SOTTO_SIGNALING_HUB_ERROR,
                            SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_STREAM)
           || g_error_matches (error, SOTTO_SIGNALING_HUB_ERROR,
                               SOTTO_SIGNALING_HUB_ERROR_NO_SUCH_SESSION))
    send_error (msg, SOUP_STATUS_NOT_FOUND, "stream_not_found",
                "No published stream with that id in this session");
  else
    {
      g_warning ("Moderation failed: %s", error->message);
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                  "The server could not complete the action; try again");
    }
}

static gboolean
segment_is_valid (const char *segment)
{
  gsize len = strlen (segment);

  return len > 0 && len <= MAX_ID_LENGTH && g_utf8_validate (segment, (gssize) len, NULL);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SottoRestApi *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto (GStrv) parts = NULL;
  guint n;

  /* The early handler already answered (401, 413). */
  if (soup_server_message_get_status (msg) != 0)
    return;
  /* Belt and braces: the early handler runs for every path, but a handler
   * that is ever reached without it must still refuse. */
  if (!is_authorized (self, msg))
    {
      send_unauthorized (msg);
      return;
    }

  g_debug ("%s %s", method, path);

  /* path is "/v1/sessions[/...]", percent-decoded by libsoup. */
  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);
  if (n < 3 || !g_str_equal (parts[0], "") || !g_str_equal (parts[1], "v1")
      || !g_str_equal (parts[2], "sessions"))
    goto not_found;
  for (guint i = 3; i < n; i++)
    if (!segment_is_valid (parts[i]))
      goto not_found;

  if (n == 3)
    {
      if (g_str_equal (method, "POST"))
        create_session (self, msg);
      else
        send_method_not_allowed (msg, "POST");
      return;
    }
  if (n == 4)
    {
      if (g_str_equal (method, "GET"))
        describe_session (self, msg, parts[3]);
      else if (g_str_equal (method, "DELETE"))
        end_session (self, msg, parts[3]);
      else
        send_method_not_allowed (msg, "GET, DELETE");
      return;
    }
  if (n == 5 && g_str_equal (parts[4], "tokens"))
    {
      if (g_str_equal (method, "POST"))
        create_token (self, msg, parts[3]);
      else
        send_method_not_allowed (msg, "POST");
      return;
    }
  if (n == 7 && g_str_equal (parts[4], "connections") && g_str_equal (parts[6], "disconnect"))
    {
      if (g_str_equal (method, "POST"))
        moderate (self, msg, parts[3], parts[5], sotto_signaling_hub_force_disconnect);
      else
        send_method_not_allowed (msg, "POST");
      return;
    }
  if (n == 7 && g_str_equal (parts[4], "streams") && g_str_equal (parts[6], "unpublish"))
    {
      if (g_str_equal (method, "POST"))
        moderate (self, msg, parts[3], parts[5], sotto_signaling_hub_force_unpublish);
      else
        send_method_not_allowed (msg, "POST");
      return;
    }

not_found:
  send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such resource");
}

static void
on_other_path (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  if (soup_server_message_get_status (msg) != 0)
    return;
  send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such resource");
}

static void
sotto_rest_api_dispose (GObject *object)
{
  SottoRestApi *self = SOTTO_REST_API (object);

  g_clear_object (&self->deployment);
  g_clear_object (&self->store);
  g_clear_object (&self->hub);

  G_OBJECT_CLASS (sotto_rest_api_parent_class)->dispose (object);
}

static void
sotto_rest_api_class_init (SottoRestApiClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sotto_rest_api_dispose;
}

static void
sotto_rest_api_init (SottoRestApi *self)
{
}

SottoRestApi *
sotto_rest_api_new (SottoDeployment   *deployment,
                    SottoServerStore  *store,
                    SottoSignalingHub *hub,
                    guint              max_participants_default)
{
  SottoRestApi *self;

  g_return_val_if_fail (SOTTO_IS_DEPLOYMENT (deployment), NULL);
  g_return_val_if_fail (SOTTO_IS_SERVER_STORE (store), NULL);
  g_return_val_if_fail (SOTTO_IS_SIGNALING_HUB (hub), NULL);

  self = g_object_new (SOTTO_TYPE_REST_API, NULL);
  self->deployment = g_object_ref (deployment);
  self->store = g_object_ref (store);
  self->hub = g_object_ref (hub);
  self->max_participants_default = max_participants_default;
  return self;
}

void
sotto_rest_api_attach (SottoRestApi *self,
                       SoupServer   *server)
{
  g_return_if_fail (SOTTO_IS_REST_API (self));
  g_return_if_fail (SOUP_IS_SERVER (server));

  /* The server holds the handlers (and their user data) for its lifetime;
   * the app keeps the API alive at least as long as the server. */
  soup_server_add_early_handler (server, "/v1/sessions", on_early_request, self, NULL);
  soup_server_add_handler (server, "/v1/sessions", on_request, self, NULL);
  soup_server_add_handler (server, NULL, on_other_path, self, NULL);
}
