/* sotto-signal-message.c: the signaling protocol's messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every message is one JSON object with a `type`. The schema of each type is
 * a table below, one row per (type, direction); docs/protocol.md
 * ("Signaling") is the specification and must stay in step with it. Both the
 * server (for what clients send) and the client (for what the server sends)
 * validate with the same tables, so neither has to trust the other's shape.
 */
#define G_LOG_DOMAIN "sotto-signal-message"

#include "sotto-config.h"

#include "sotto-signal-message.h"

#include <string.h>

#include "sotto-json.h"

/* Messages are flat apart from welcome's arrays of small objects. */
#define MAX_JSON_DEPTH 6
#define MAX_TOKEN_LENGTH 4096
#define MAX_DATA_LENGTH 1000

typedef enum {
  F_ID,            /* [A-Za-z0-9_-]{1,64} */
  F_TEXT,          /* string of at most SOTTO_SIGNAL_MAX_TEXT_LENGTH bytes */
  F_TOKEN,         /* string of at most MAX_TOKEN_LENGTH bytes */
  F_SDP,           /* non-empty string of at most SOTTO_SIGNAL_MAX_SDP_LENGTH bytes */
  F_CANDIDATE,     /* string (empty means end of candidates) */
  F_KINDS,         /* non-empty array of distinct "audio" / "video" */
  F_UINT,          /* integer >= 0 */
  F_BOOL,
  F_ROLE,          /* "subscriber", "publisher" or "moderator" */
  F_DATA,          /* string of at most MAX_DATA_LENGTH bytes, or null */
  F_CONNECTION,    /* connection object */
  F_CONNECTIONS,   /* array of connection objects */
  F_STREAM,        /* stream object */
  F_STREAMS,       /* array of stream objects */
  F_SUBSCRIPTIONS, /* array of subscription objects */
  F_ICE_SERVERS,   /* array of RTCIceServer-like objects */
} FieldKind;

typedef struct {
  const char *name;
  FieldKind   kind;
  gboolean    optional;
} Field;

typedef struct {
  SottoSignalMessageType type;
  SottoSignalDirection   direction;
  Field                  fields[12];  /* terminated by a NULL name */
} Schema;

#define REQ(n, k) { n, k, FALSE }
#define OPT(n, k) { n, k, TRUE }

static const Schema schemas[] = {
  /* client to server */
  { SOTTO_SIGNAL_TYPE_JOIN, SOTTO_SIGNAL_TO_SERVER, { REQ ("token", F_TOKEN) } },
  { SOTTO_SIGNAL_TYPE_LEAVE, SOTTO_SIGNAL_TO_SERVER, { { NULL } } },
  { SOTTO_SIGNAL_TYPE_PUBLISH, SOTTO_SIGNAL_TO_SERVER,
    { REQ ("stream_id", F_ID), REQ ("kinds", F_KINDS), OPT ("name", F_TEXT),
      OPT ("audio", F_BOOL), OPT ("video", F_BOOL) } },
  { SOTTO_SIGNAL_TYPE_UNPUBLISH, SOTTO_SIGNAL_TO_SERVER, { REQ ("stream_id", F_ID) } },
  { SOTTO_SIGNAL_TYPE_SUBSCRIBE, SOTTO_SIGNAL_TO_SERVER, { REQ ("stream_id", F_ID) } },
  { SOTTO_SIGNAL_TYPE_UNSUBSCRIBE, SOTTO_SIGNAL_TO_SERVER, { REQ ("subscription_id", F_ID) } },
  { SOTTO_SIGNAL_TYPE_MEDIA_CONNECTED, SOTTO_SIGNAL_TO_SERVER, { REQ ("subscription_id", F_ID) } },
  { SOTTO_SIGNAL_TYPE_MEDIA_ENDED, SOTTO_SIGNAL_TO_SERVER, { REQ ("subscription_id", F_ID) } },
  { SOTTO_SIGNAL_TYPE_FORCE_DISCONNECT, SOTTO_SIGNAL_TO_SERVER,
    { REQ ("connection_id", F_ID), OPT ("reason", F_TEXT) } },
  { SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISH, SOTTO_SIGNAL_TO_SERVER,
    { REQ ("stream_id", F_ID), OPT ("reason", F_TEXT) } },
  { SOTTO_SIGNAL_TYPE_PING, SOTTO_SIGNAL_TO_SERVER, { { NULL } } },
  { SOTTO_SIGNAL_TYPE_STREAM_STATE, SOTTO_SIGNAL_TO_SERVER,
    { REQ ("stream_id", F_ID), REQ ("audio", F_BOOL), REQ ("video", F_BOOL) } },
  { SOTTO_SIGNAL_TYPE_OFFER, SOTTO_SIGNAL_TO_SERVER,
    { REQ ("subscription_id", F_ID), REQ ("sdp", F_SDP) } },
  { SOTTO_SIGNAL_TYPE_ANSWER, SOTTO_SIGNAL_TO_SERVER,
    { REQ ("subscription_id", F_ID), REQ ("sdp", F_SDP) } },
  { SOTTO_SIGNAL_TYPE_CANDIDATE, SOTTO_SIGNAL_TO_SERVER,
    { REQ ("subscription_id", F_ID), REQ ("candidate", F_CANDIDATE),
      OPT ("sdp_mid", F_TEXT), OPT ("sdp_mline_index", F_UINT) } },

  /* server to client */
  { SOTTO_SIGNAL_TYPE_OFFER, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("subscription_id", F_ID), REQ ("from", F_ID), REQ ("sdp", F_SDP) } },
  { SOTTO_SIGNAL_TYPE_ANSWER, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("subscription_id", F_ID), REQ ("from", F_ID), REQ ("sdp", F_SDP) } },
  { SOTTO_SIGNAL_TYPE_CANDIDATE, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("subscription_id", F_ID), REQ ("from", F_ID), REQ ("candidate", F_CANDIDATE),
      OPT ("sdp_mid", F_TEXT), OPT ("sdp_mline_index", F_UINT) } },
  { SOTTO_SIGNAL_TYPE_WELCOME, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("connection_id", F_ID), REQ ("session_id", F_ID), REQ ("role", F_ROLE),
      REQ ("data", F_DATA), REQ ("rejoined", F_BOOL), REQ ("connections", F_CONNECTIONS),
      REQ ("streams", F_STREAMS), REQ ("subscriptions", F_SUBSCRIPTIONS),
      REQ ("ice_servers", F_ICE_SERVERS), REQ ("keepalive_interval_ms", F_UINT),
      REQ ("keepalive_timeout_ms", F_UINT) } },
  { SOTTO_SIGNAL_TYPE_CONNECTION_CREATED, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("connection", F_CONNECTION) } },
  { SOTTO_SIGNAL_TYPE_CONNECTION_DESTROYED, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("connection_id", F_ID), REQ ("reason", F_TEXT) } },
  { SOTTO_SIGNAL_TYPE_STREAM_CREATED, SOTTO_SIGNAL_TO_CLIENT, { REQ ("stream", F_STREAM) } },
  { SOTTO_SIGNAL_TYPE_STREAM_DESTROYED, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("stream_id", F_ID), REQ ("owner", F_ID), REQ ("reason", F_TEXT) } },
  { SOTTO_SIGNAL_TYPE_SUBSCRIPTION_CREATED, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("subscription_id", F_ID), REQ ("stream_id", F_ID), REQ ("publisher", F_ID),
      REQ ("subscriber", F_ID) } },
  { SOTTO_SIGNAL_TYPE_SUBSCRIPTION_DESTROYED, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("subscription_id", F_ID), REQ ("stream_id", F_ID), REQ ("reason", F_TEXT) } },
  { SOTTO_SIGNAL_TYPE_SUBSCRIBER_COUNT, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("stream_id", F_ID), REQ ("subscribers", F_UINT) } },
  { SOTTO_SIGNAL_TYPE_FORCE_DISCONNECTED, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("by", F_ID), REQ ("reason", F_TEXT) } },
  { SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISHED, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("stream_id", F_ID), REQ ("by", F_ID), REQ ("reason", F_TEXT) } },
  { SOTTO_SIGNAL_TYPE_SESSION_ENDED, SOTTO_SIGNAL_TO_CLIENT, { REQ ("reason", F_TEXT) } },
  { SOTTO_SIGNAL_TYPE_ERROR, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("code", F_TEXT), REQ ("message", F_TEXT), OPT ("in_reply_to", F_TEXT),
      OPT ("request_id", F_ID) } },
  { SOTTO_SIGNAL_TYPE_PONG, SOTTO_SIGNAL_TO_CLIENT, { { NULL } } },
  { SOTTO_SIGNAL_TYPE_STREAM_STATE_CHANGED, SOTTO_SIGNAL_TO_CLIENT,
    { REQ ("stream_id", F_ID), REQ ("audio", F_BOOL), REQ ("video", F_BOOL) } },
};

static const char *const type_names[SOTTO_SIGNAL_TYPE_N_TYPES] = {
  [SOTTO_SIGNAL_TYPE_INVALID] = NULL,
  [SOTTO_SIGNAL_TYPE_JOIN] = "join",
  [SOTTO_SIGNAL_TYPE_LEAVE] = "leave",
  [SOTTO_SIGNAL_TYPE_PUBLISH] = "publish",
  [SOTTO_SIGNAL_TYPE_UNPUBLISH] = "unpublish",
  [SOTTO_SIGNAL_TYPE_SUBSCRIBE] = "subscribe",
  [SOTTO_SIGNAL_TYPE_UNSUBSCRIBE] = "unsubscribe",
  [SOTTO_SIGNAL_TYPE_MEDIA_CONNECTED] = "media-connected",
  [SOTTO_SIGNAL_TYPE_MEDIA_ENDED] = "media-ended",
  [SOTTO_SIGNAL_TYPE_FORCE_DISCONNECT] = "force-disconnect",
  [SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISH] = "force-unpublish",
  [SOTTO_SIGNAL_TYPE_PING] = "ping",
  [SOTTO_SIGNAL_TYPE_STREAM_STATE] = "stream-state",
  [SOTTO_SIGNAL_TYPE_OFFER] = "offer",
  [SOTTO_SIGNAL_TYPE_ANSWER] = "answer",
  [SOTTO_SIGNAL_TYPE_CANDIDATE] = "candidate",
  [SOTTO_SIGNAL_TYPE_WELCOME] = "welcome",
  [SOTTO_SIGNAL_TYPE_CONNECTION_CREATED] = "connection-created",
  [SOTTO_SIGNAL_TYPE_CONNECTION_DESTROYED] = "connection-destroyed",
  [SOTTO_SIGNAL_TYPE_STREAM_CREATED] = "stream-created",
  [SOTTO_SIGNAL_TYPE_STREAM_DESTROYED] = "stream-destroyed",
  [SOTTO_SIGNAL_TYPE_SUBSCRIPTION_CREATED] = "subscription-created",
  [SOTTO_SIGNAL_TYPE_SUBSCRIPTION_DESTROYED] = "subscription-destroyed",
  [SOTTO_SIGNAL_TYPE_SUBSCRIBER_COUNT] = "subscriber-count",
  [SOTTO_SIGNAL_TYPE_FORCE_DISCONNECTED] = "force-disconnected",
  [SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISHED] = "force-unpublished",
  [SOTTO_SIGNAL_TYPE_SESSION_ENDED] = "session-ended",
  [SOTTO_SIGNAL_TYPE_ERROR] = "error",
  [SOTTO_SIGNAL_TYPE_PONG] = "pong",
  [SOTTO_SIGNAL_TYPE_STREAM_STATE_CHANGED] = "stream-state-changed",
};

struct _SottoSignalMessage
{
  GObject                parent_instance;

  SottoSignalMessageType type;
  JsonObject            *object;
};

G_DEFINE_FINAL_TYPE (SottoSignalMessage, sotto_signal_message, G_TYPE_OBJECT)

G_DEFINE_QUARK (sotto-signal-message-error-quark, sotto_signal_message_error)

static void
sotto_signal_message_finalize (GObject *object)
{
  SottoSignalMessage *self = SOTTO_SIGNAL_MESSAGE (object);

  g_clear_pointer (&self->object, json_object_unref);

  G_OBJECT_CLASS (sotto_signal_message_parent_class)->finalize (object);
}

static void
sotto_signal_message_class_init (SottoSignalMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sotto_signal_message_finalize;
}

static void
sotto_signal_message_init (SottoSignalMessage *self)
{
  self->object = json_object_new ();
}

const char *
sotto_signal_message_type_to_string (SottoSignalMessageType type)
{
  if ((guint) type >= SOTTO_SIGNAL_TYPE_N_TYPES)
    return NULL;
  return type_names[type];
}

SottoSignalMessageType
sotto_signal_message_type_from_string (const char *str)
{
  if (str == NULL)
    return SOTTO_SIGNAL_TYPE_INVALID;
  for (guint i = 1; i < SOTTO_SIGNAL_TYPE_N_TYPES; i++)
    if (g_strcmp0 (type_names[i], str) == 0)
      return (SottoSignalMessageType) i;
  return SOTTO_SIGNAL_TYPE_INVALID;
}

const char *
sotto_signal_message_error_to_wire (SottoSignalMessageError code)
{
  switch (code)
    {
    case SOTTO_SIGNAL_MESSAGE_ERROR_TOO_BIG:       return "too-big";
    case SOTTO_SIGNAL_MESSAGE_ERROR_BAD_JSON:      return "bad-json";
    case SOTTO_SIGNAL_MESSAGE_ERROR_NOT_OBJECT:    return "not-an-object";
    case SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE:  return "unknown-type";
    case SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD: return "missing-field";
    case SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD: return "invalid-field";
    default:                                       return "invalid-message";
    }
}

gboolean
sotto_signal_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;
  len = strlen (id);
  if (len == 0 || len > SOTTO_SIGNAL_MAX_ID_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_')
      return FALSE;
  return TRUE;
}

static const Schema *
find_schema (SottoSignalMessageType type,
             SottoSignalDirection   direction)
{
  for (gsize i = 0; i < G_N_ELEMENTS (schemas); i++)
    if (schemas[i].type == type && schemas[i].direction == direction)
      return &schemas[i];
  return NULL;
}

static gboolean
field_error (GError    **error,
             const char *context,
             const char *name,
             const char *what)
{
  g_set_error (error, SOTTO_SIGNAL_MESSAGE_ERROR, SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD,
               "Field “%s%s%s” %s", context ? context : "", context ? "." : "", name, what);
  return FALSE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean check_field (JsonNode *node, const char *context, const char *name,
                             FieldKind kind, GError **error);

/* Checks every required member of `object` (a nested object of welcome). */
static gboolean
check_members (JsonObject  *object,
               const char  *context,
               const Field *fields,
               GError     **error)
{
  for (const Field *f = fields; f->name != NULL; f++)
    {
      JsonNode *node = json_object_get_member (object, f->name);

      if (node == NULL)
        {
          if (f->optional)
            continue;
          g_set_error (error, SOTTO_SIGNAL_MESSAGE_ERROR, SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD,
                       "Field “%s%s%s” is missing", context ? context : "", context ? "." : "",
                       f->name);
          return FALSE;
        }
      if (!check_field (node, context, f->name, f->kind, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_array_of (JsonNode    *node,
                const char  *context,
                const char  *name,
                FieldKind    element_kind,
                GError     **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, context, name, "must be an array");
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!check_field (json_array_get_element (array, i), context, name, element_kind, error))
      return FALSE;
  return TRUE;
}

static const Field connection_fields[] = {
  REQ ("id", F_ID), REQ ("role", F_ROLE), REQ ("data", F_DATA),
  REQ ("connected_since", F_TEXT), { NULL }
};
static const Field stream_fields[] = {
  REQ ("id", F_ID), REQ ("owner", F_ID), REQ ("kinds", F_KINDS), REQ ("name", F_TEXT),
  REQ ("subscribers", F_UINT), REQ ("audio_active", F_BOOL), REQ ("video_active", F_BOOL),
  { NULL }
};
static const Field subscription_fields[] = {
  REQ ("id", F_ID), REQ ("stream_id", F_ID), REQ ("publisher", F_ID),
  REQ ("subscriber", F_ID), { NULL }
};

static gboolean
check_ice_server (JsonNode   *node,
                  const char *name,
                  GError    **error)
{
  JsonObject *object;
  JsonNode *urls;
  JsonNode *member;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return field_error (error, NULL, name, "must hold objects");
  object = json_node_get_object (node);
  urls = json_object_get_member (object, "urls");
  if (urls == NULL || !JSON_NODE_HOLDS_ARRAY (urls) ||
      json_array_get_length (json_node_get_array (urls)) == 0)
    return field_error (error, name, "urls", "must be a non-empty array of strings");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (urls)); i++)
    if (!node_is_string (json_array_get_element (json_node_get_array (urls), i)))
      return field_error (error, name, "urls", "must be a non-empty array of strings");
  member = json_object_get_member (object, "username");
  if (member != NULL && !node_is_string (member))
    return field_error (error, name, "username", "must be a string");
  member = json_object_get_member (object, "credential");
  if (member != NULL && !node_is_string (member))
    return field_error (error, name, "credential", "must be a string");
  return TRUE;
}

static gboolean
check_string (JsonNode   *node,
              const char *context,
              const char *name,
              gsize       min_len,
              gsize       max_len,
              GError    **error)
{
  gsize len;

  if (!node_is_string (node))
    return field_error (error, context, name, "must be a string");
  len = strlen (json_node_get_string (node));
  if (len < min_len)
    return field_error (error, context, name, "must not be empty");
  if (len > max_len)
    return field_error (error, context, name, "is too long");
  return TRUE;
}

static gboolean
check_field (JsonNode   *node,
             const char *context,
             const char *name,
             FieldKind   kind,
             GError    **error)
{
  switch (kind)
    {
    case F_ID:
      if (!node_is_string (node) || !sotto_signal_id_is_valid (json_node_get_string (node)))
        return field_error (error, context, name,
                            "must be 1 to 64 characters of A-Z, a-z, 0-9, - and _");
      return TRUE;
    case F_TEXT:
      return check_string (node, context, name, 0, SOTTO_SIGNAL_MAX_TEXT_LENGTH, error);
    case F_TOKEN:
      return check_string (node, context, name, 1, MAX_TOKEN_LENGTH, error);
    case F_SDP:
      return check_string (node, context, name, 1, SOTTO_SIGNAL_MAX_SDP_LENGTH, error);
    case F_CANDIDATE:
      return check_string (node, context, name, 0, SOTTO_SIGNAL_MAX_CANDIDATE_LENGTH, error);
    case F_KINDS:
      if (sotto_signal_kinds_from_node (node) == 0)
        return field_error (error, context, name,
                            "must be a non-empty array of distinct \"audio\" and \"video\"");
      return TRUE;
    case F_UINT:
      if (!node_is_int (node) || json_node_get_int (node) < 0)
        return field_error (error, context, name, "must be a non-negative integer");
      return TRUE;
    case F_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return field_error (error, context, name, "must be true or false");
      return TRUE;
    case F_ROLE:
      if (!node_is_string (node) ||
          (g_strcmp0 (json_node_get_string (node), "subscriber") != 0 &&
           g_strcmp0 (json_node_get_string (node), "publisher") != 0 &&
           g_strcmp0 (json_node_get_string (node), "moderator") != 0))
        return field_error (error, context, name,
                            "must be \"subscriber\", \"publisher\" or \"moderator\"");
      return TRUE;
    case F_DATA:
      if (JSON_NODE_HOLDS_NULL (node))
        return TRUE;
      return check_string (node, context, name, 0, MAX_DATA_LENGTH, error);
    case F_CONNECTION:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return field_error (error, context, name, "must be an object");
      return check_members (json_node_get_object (node), name, connection_fields, error);
    case F_STREAM:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return field_error (error, context, name, "must be an object");
      return check_members (json_node_get_object (node), name, stream_fields, error);
    case F_CONNECTIONS:
      return check_array_of (node, context, name, F_CONNECTION, error);
    case F_STREAMS:
      return check_array_of (node, context, name, F_STREAM, error);
    case F_SUBSCRIPTIONS:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return field_error (error, context, name, "must be an array");
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (node), i);

          if (!JSON_NODE_HOLDS_OBJECT (element))
            return field_error (error, context, name, "must hold objects");
          if (!check_members (json_node_get_object (element), name, subscription_fields, error))
            return FALSE;
        }
      return TRUE;
    case F_ICE_SERVERS:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return field_error (error, context, name, "must be an array");
      for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
        if (!check_ice_server (json_array_get_element (json_node_get_array (node), i), name, error))
          return FALSE;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
validate_object (JsonObject             *object,
                 SottoSignalDirection    direction,
                 SottoSignalMessageType *out_type,
                 GError                **error)
{
  JsonNode *type_node = json_object_get_member (object, "type");
  SottoSignalMessageType type;
  const Schema *schema;
  JsonNode *request_id;

  if (type_node == NULL || !node_is_string (type_node))
    {
      g_set_error_literal (error, SOTTO_SIGNAL_MESSAGE_ERROR,
                           SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE,
                           "The message has no string “type”");
      return FALSE;
    }
  type = sotto_signal_message_type_from_string (json_node_get_string (type_node));
  schema = find_schema (type, direction);
  if (schema == NULL)
    {
      /* The type is not echoed: it is peer-controlled text. */
      g_set_error_literal (error, SOTTO_SIGNAL_MESSAGE_ERROR,
                           SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE,
                           direction == SOTTO_SIGNAL_TO_SERVER
                             ? "The server does not accept messages of this type"
                             : "The client does not understand messages of this type");
      return FALSE;
    }

  /* request_id is optional on everything a client sends, and echoed in errors. */
  request_id = json_object_get_member (object, "request_id");
  if (direction == SOTTO_SIGNAL_TO_SERVER && request_id != NULL &&
      !check_field (request_id, NULL, "request_id", F_ID, error))
    return FALSE;

  if (!check_members (object, NULL, schema->fields, error))
    return FALSE;

  *out_type = type;
  return TRUE;
}

SottoSignalMessage *
sotto_signal_message_parse (const char           *data,
                            gsize                 len,
                            SottoSignalDirection  direction,
                            GError              **error)
{
  g_autoptr (SottoSignalMessage) self = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) local_error = NULL;
  SottoSignalMessageType type;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > (direction == SOTTO_SIGNAL_TO_SERVER ? SOTTO_SIGNAL_MAX_MESSAGE_SIZE
                                                  : SOTTO_SIGNAL_MAX_SERVER_MESSAGE_SIZE))
    {
      g_set_error (error, SOTTO_SIGNAL_MESSAGE_ERROR, SOTTO_SIGNAL_MESSAGE_ERROR_TOO_BIG,
                   "The message is larger than the protocol allows");
      return NULL;
    }

  root = sotto_json_parse_strict (data ? data : "", len, MAX_JSON_DEPTH, &local_error);
  if (root == NULL)
    {
      g_set_error (error, SOTTO_SIGNAL_MESSAGE_ERROR, SOTTO_SIGNAL_MESSAGE_ERROR_BAD_JSON,
                   "The message is not valid JSON: %s", local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SOTTO_SIGNAL_MESSAGE_ERROR,
                           SOTTO_SIGNAL_MESSAGE_ERROR_NOT_OBJECT,
                           "The message is not a JSON object");
      return NULL;
    }
  if (!validate_object (json_node_get_object (root), direction, &type, error))
    return NULL;

  self = g_object_new (SOTTO_TYPE_SIGNAL_MESSAGE, NULL);
  self->type = type;
  json_object_unref (self->object);
  self->object = json_object_ref (json_node_get_object (root));
  return g_steal_pointer (&self);
}

SottoSignalMessage *
sotto_signal_message_new (SottoSignalMessageType type)
{
  SottoSignalMessage *self;

  g_return_val_if_fail (type > SOTTO_SIGNAL_TYPE_INVALID && type < SOTTO_SIGNAL_TYPE_N_TYPES,
                        NULL);

  self = g_object_new (SOTTO_TYPE_SIGNAL_MESSAGE, NULL);
  self->type = type;
  json_object_set_string_member (self->object, "type", type_names[type]);
  return self;
}

gboolean
sotto_signal_message_validate (SottoSignalMessage   *self,
                               SottoSignalDirection  direction,
                               GError              **error)
{
  SottoSignalMessageType type;

  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), FALSE);

  return validate_object (self->object, direction, &type, error);
}

SottoSignalMessageType
sotto_signal_message_get_message_type (SottoSignalMessage *self)
{
  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), SOTTO_SIGNAL_TYPE_INVALID);
  return self->type;
}

JsonObject *
sotto_signal_message_get_object (SottoSignalMessage *self)
{
  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), NULL);
  return self->object;
}

JsonNode *
sotto_signal_message_get_node (SottoSignalMessage *self,
                               const char         *field)
{
  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), NULL);
  return json_object_get_member (self->object, field);
}

const char *
sotto_signal_message_get_string (SottoSignalMessage *self,
                                 const char         *field)
{
  JsonNode *node = sotto_signal_message_get_node (self, field);

  return node != NULL && node_is_string (node) ? json_node_get_string (node) : NULL;
}

gint64
sotto_signal_message_get_int (SottoSignalMessage *self,
                              const char         *field,
                              gint64              fallback)
{
  JsonNode *node = sotto_signal_message_get_node (self, field);

  return node != NULL && node_is_int (node) ? json_node_get_int (node) : fallback;
}

gboolean
sotto_signal_message_get_bool (SottoSignalMessage *self,
                               const char         *field,
                               gboolean            fallback)
{
  JsonNode *node = sotto_signal_message_get_node (self, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

JsonArray *
sotto_signal_message_get_array (SottoSignalMessage *self,
                                const char         *field)
{
  JsonNode *node = sotto_signal_message_get_node (self, field);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
sotto_signal_message_get_member_object (SottoSignalMessage *self,
                                        const char         *field)
{
  JsonNode *node = sotto_signal_message_get_node (self, field);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

SottoSignalMessage *
sotto_signal_message_set_string (SottoSignalMessage *self,
                                 const char         *field,
                                 const char         *value)
{
  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), self);
  if (value == NULL)
    json_object_set_null_member (self->object, field);
  else
    json_object_set_string_member (self->object, field, value);
  return self;
}

SottoSignalMessage *
sotto_signal_message_set_int (SottoSignalMessage *self,
                              const char         *field,
                              gint64              value)
{
  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), self);
  json_object_set_int_member (self->object, field, value);
  return self;
}

SottoSignalMessage *
sotto_signal_message_set_bool (SottoSignalMessage *self,
                               const char         *field,
                               gboolean            value)
{
  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), self);
  json_object_set_boolean_member (self->object, field, value);
  return self;
}

SottoSignalMessage *
sotto_signal_message_take_node (SottoSignalMessage *self,
                                const char         *field,
                                JsonNode           *node)
{
  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), self);
  g_return_val_if_fail (node != NULL, self);
  json_object_set_member (self->object, field, node);
  return self;
}

char *
sotto_signal_message_to_string (SottoSignalMessage *self,
                                gsize              *out_len)
{
  g_autoptr (JsonNode) root = NULL;
  char *text;

  g_return_val_if_fail (SOTTO_IS_SIGNAL_MESSAGE (self), NULL);

  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, self->object);
  text = json_to_string (root, FALSE);
  if (out_len != NULL)
    *out_len = strlen (text);
  return text;
}

SottoSignalMessage *
sotto_signal_message_new_error (const char *code,
                                const char *message,
                                const char *in_reply_to,
                                const char *request_id)
{
  SottoSignalMessage *self = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_ERROR);

  sotto_signal_message_set_string (self, "code", code);
  sotto_signal_message_set_string (self, "message", message);
  if (in_reply_to != NULL)
    sotto_signal_message_set_string (self, "in_reply_to", in_reply_to);
  if (request_id != NULL && sotto_signal_id_is_valid (request_id))
    sotto_signal_message_set_string (self, "request_id", request_id);
  return self;
}

guint
sotto_signal_kinds_from_node (JsonNode *node)
{
  JsonArray *array;
  guint kinds = 0;
  guint len;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  array = json_node_get_array (node);
  len = json_array_get_length (array);
  if (len == 0 || len > 2)
    return 0;
  for (guint i = 0; i < len; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      guint kind;

      if (!node_is_string (element))
        return 0;
      if (g_strcmp0 (json_node_get_string (element), "audio") == 0)
        kind = SOTTO_SIGNAL_KIND_AUDIO;
      else if (g_strcmp0 (json_node_get_string (element), "video") == 0)
        kind = SOTTO_SIGNAL_KIND_VIDEO;
      else
        return 0;
      if (kinds & kind)
        return 0;
      kinds |= kind;
    }
  return kinds;
}

JsonNode *
sotto_signal_kinds_to_node (guint kinds)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  if (kinds & SOTTO_SIGNAL_KIND_AUDIO)
    json_array_add_string_element (array, "audio");
  if (kinds & SOTTO_SIGNAL_KIND_VIDEO)
    json_array_add_string_element (array, "video");
  json_node_take_array (node, array);
  return node;
}
