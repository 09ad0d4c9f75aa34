/* sotto-signal-message.h: the signaling protocol's messages (docs/protocol.md, "Signaling")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SOTTO_SIGNAL_MESSAGE_ERROR (sotto_signal_message_error_quark ())
GQuark sotto_signal_message_error_quark (void);

/* Why a message was refused; sotto_signal_message_error_to_wire() gives the
 * `code` string an error reply carries for each. */
typedef enum {
  SOTTO_SIGNAL_MESSAGE_ERROR_TOO_BIG,       /* over SOTTO_SIGNAL_MAX_MESSAGE_SIZE (to the server) or
                                               SOTTO_SIGNAL_MAX_SERVER_MESSAGE_SIZE (to a client) bytes */
  SOTTO_SIGNAL_MESSAGE_ERROR_BAD_JSON,      /* not strict JSON (syntax, UTF-8, duplicate keys, too deep) */
  SOTTO_SIGNAL_MESSAGE_ERROR_NOT_OBJECT,    /* the JSON value is not an object */
  SOTTO_SIGNAL_MESSAGE_ERROR_UNKNOWN_TYPE,  /* `type` missing, not a string, or not a message this side accepts */
  SOTTO_SIGNAL_MESSAGE_ERROR_MISSING_FIELD, /* a required field is absent */
  SOTTO_SIGNAL_MESSAGE_ERROR_INVALID_FIELD, /* a field has the wrong JSON type, length or format */
} SottoSignalMessageError;

/* Largest text frame a client may send; bigger ones close the socket (1009). */
#define SOTTO_SIGNAL_MAX_MESSAGE_SIZE (64 * 1024)
/* Largest frame the server sends (a welcome to a big session). */
#define SOTTO_SIGNAL_MAX_SERVER_MESSAGE_SIZE (4 * 1024 * 1024)
#define SOTTO_SIGNAL_MAX_ID_LENGTH    64     /* ids: [A-Za-z0-9_-]{1,64} */
#define SOTTO_SIGNAL_MAX_TEXT_LENGTH  256    /* stream names, reasons, error messages (bytes) */
#define SOTTO_SIGNAL_MAX_SDP_LENGTH   60000  /* bytes of an SDP offer or answer */
#define SOTTO_SIGNAL_MAX_CANDIDATE_LENGTH 1024

/* Which way a message travels: the same `type` may have different fields
 * each way (a forwarded offer gains `from`). */
typedef enum {
  SOTTO_SIGNAL_TO_SERVER,
  SOTTO_SIGNAL_TO_CLIENT,
} SottoSignalDirection;

typedef enum {
  SOTTO_SIGNAL_TYPE_INVALID = 0,
  /* client to server */
  SOTTO_SIGNAL_TYPE_JOIN,
  SOTTO_SIGNAL_TYPE_LEAVE,
  SOTTO_SIGNAL_TYPE_PUBLISH,
  SOTTO_SIGNAL_TYPE_UNPUBLISH,
  SOTTO_SIGNAL_TYPE_SUBSCRIBE,
  SOTTO_SIGNAL_TYPE_UNSUBSCRIBE,
  SOTTO_SIGNAL_TYPE_MEDIA_CONNECTED,
  SOTTO_SIGNAL_TYPE_MEDIA_ENDED,
  SOTTO_SIGNAL_TYPE_FORCE_DISCONNECT,
  SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISH,
  SOTTO_SIGNAL_TYPE_PING,
  SOTTO_SIGNAL_TYPE_STREAM_STATE,
  /* both ways (forwarded within one subscription) */
  SOTTO_SIGNAL_TYPE_OFFER,
  SOTTO_SIGNAL_TYPE_ANSWER,
  SOTTO_SIGNAL_TYPE_CANDIDATE,
  /* server to client */
  SOTTO_SIGNAL_TYPE_WELCOME,
  SOTTO_SIGNAL_TYPE_CONNECTION_CREATED,
  SOTTO_SIGNAL_TYPE_CONNECTION_DESTROYED,
  SOTTO_SIGNAL_TYPE_STREAM_CREATED,
  SOTTO_SIGNAL_TYPE_STREAM_DESTROYED,
  SOTTO_SIGNAL_TYPE_SUBSCRIPTION_CREATED,
  SOTTO_SIGNAL_TYPE_SUBSCRIPTION_DESTROYED,
  SOTTO_SIGNAL_TYPE_SUBSCRIBER_COUNT,
  SOTTO_SIGNAL_TYPE_FORCE_DISCONNECTED,
  SOTTO_SIGNAL_TYPE_FORCE_UNPUBLISHED,
  SOTTO_SIGNAL_TYPE_SESSION_ENDED,
  SOTTO_SIGNAL_TYPE_ERROR,
  SOTTO_SIGNAL_TYPE_PONG,
  SOTTO_SIGNAL_TYPE_STREAM_STATE_CHANGED,
  SOTTO_SIGNAL_TYPE_N_TYPES
} SottoSignalMessageType;

/* Error codes the server sends in `error` messages (docs/protocol.md). */
#define SOTTO_SIGNAL_ERROR_CODE_NOT_JOINED           "not-joined"
#define SOTTO_SIGNAL_ERROR_CODE_ALREADY_JOINED       "already-joined"
#define SOTTO_SIGNAL_ERROR_CODE_FORBIDDEN            "forbidden"
#define SOTTO_SIGNAL_ERROR_CODE_NOT_YOURS            "not-yours"
#define SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_STREAM       "no-such-stream"
#define SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_SUBSCRIPTION "no-such-subscription"
#define SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_CONNECTION   "no-such-connection"
#define SOTTO_SIGNAL_ERROR_CODE_STREAM_EXISTS        "stream-exists"
#define SOTTO_SIGNAL_ERROR_CODE_ALREADY_SUBSCRIBED   "already-subscribed"
#define SOTTO_SIGNAL_ERROR_CODE_LIMIT                "limit-reached"
#define SOTTO_SIGNAL_ERROR_CODE_RATE_LIMITED         "rate-limited"
#define SOTTO_SIGNAL_ERROR_CODE_BAD_TOKEN            "bad-token"
#define SOTTO_SIGNAL_ERROR_CODE_EXPIRED_TOKEN        "expired-token"
#define SOTTO_SIGNAL_ERROR_CODE_REVOKED_TOKEN        "revoked-token"
#define SOTTO_SIGNAL_ERROR_CODE_NO_SUCH_SESSION      "no-such-session"
#define SOTTO_SIGNAL_ERROR_CODE_SESSION_ENDED        "session-ended"
#define SOTTO_SIGNAL_ERROR_CODE_SESSION_FULL         "session-full"
#define SOTTO_SIGNAL_ERROR_CODE_SERVER_ERROR         "server-error"

const char            *sotto_signal_message_type_to_string   (SottoSignalMessageType type);
SottoSignalMessageType sotto_signal_message_type_from_string (const char *str);
/* The wire `code` for a SOTTO_SIGNAL_MESSAGE_ERROR code ("bad-json", ...). */
const char            *sotto_signal_message_error_to_wire    (SottoSignalMessageError code);

/* Stream and connection ids, subscription ids and request ids all share one
 * format: 1 to 64 characters of [A-Za-z0-9_-]. */
gboolean               sotto_signal_id_is_valid              (const char *id);

#define SOTTO_TYPE_SIGNAL_MESSAGE (sotto_signal_message_get_type ())
G_DECLARE_FINAL_TYPE (SottoSignalMessage, sotto_signal_message, SOTTO, SIGNAL_MESSAGE, GObject)

/* Parses one text frame travelling in `direction` and checks it against the
 * schema of its type: every required field present with the right JSON type,
 * ids well formed, lengths within limits. Unknown extra fields are allowed
 * and ignored (the server never forwards them). */
SottoSignalMessage *sotto_signal_message_parse (const char            *data,
                                                gsize                  len,
                                                SottoSignalDirection   direction,
                                                GError               **error);

/* An empty message of `type`; fill it with the setters, then check it with
 * sotto_signal_message_validate() or just serialise it. */
SottoSignalMessage *sotto_signal_message_new       (SottoSignalMessageType type);
/* Checks a built message against the schema for `direction`. */
gboolean            sotto_signal_message_validate  (SottoSignalMessage    *self,
                                                    SottoSignalDirection   direction,
                                                    GError               **error);

SottoSignalMessageType sotto_signal_message_get_message_type (SottoSignalMessage *self);
/* The message as a JSON object (transfer none). */
JsonObject         *sotto_signal_message_get_object (SottoSignalMessage *self);

/* Field accessors: NULL / `fallback` when absent or of another JSON type. */
const char         *sotto_signal_message_get_string (SottoSignalMessage *self,
                                                     const char         *field);
gint64              sotto_signal_message_get_int    (SottoSignalMessage *self,
                                                     const char         *field,
                                                     gint64              fallback);
gboolean            sotto_signal_message_get_bool   (SottoSignalMessage *self,
                                                     const char         *field,
                                                     gboolean            fallback);
/* Transfer none; NULL when absent. */
JsonNode           *sotto_signal_message_get_node   (SottoSignalMessage *self,
                                                     const char         *field);
JsonArray          *sotto_signal_message_get_array  (SottoSignalMessage *self,
                                                     const char         *field);
JsonObject         *sotto_signal_message_get_member_object (SottoSignalMessage *self,
                                                            const char         *field);

/* Setters return `self` so builders can chain. NULL `value` stores JSON null. */
SottoSignalMessage *sotto_signal_message_set_string (SottoSignalMessage *self,
                                                     const char         *field,
                                                     const char         *value);
SottoSignalMessage *sotto_signal_message_set_int    (SottoSignalMessage *self,
                                                     const char         *field,
                                                     gint64              value);
SottoSignalMessage *sotto_signal_message_set_bool   (SottoSignalMessage *self,
                                                     const char         *field,
                                                     gboolean            value);
/* Takes ownership of `node`. */
SottoSignalMessage *sotto_signal_message_take_node  (SottoSignalMessage *self,
                                                     const char         *field,
                                                     JsonNode           *node);

/* Compact JSON text; `out_len` may be NULL. */
char               *sotto_signal_message_to_string  (SottoSignalMessage *self,
                                                     gsize              *out_len);

/* Helpers for the common replies. */
SottoSignalMessage *sotto_signal_message_new_error  (const char *code,
                                                     const char *message,
                                                     const char *in_reply_to,
                                                     const char *request_id);
/* `kinds` is a bitmask of SottoSignalKind. */
typedef enum {
  SOTTO_SIGNAL_KIND_AUDIO = 1 << 0,
  SOTTO_SIGNAL_KIND_VIDEO = 1 << 1,
} SottoSignalKind;
/* The `kinds` array of a publish or stream object as a bitmask; 0 if invalid. */
guint               sotto_signal_kinds_from_node    (JsonNode *node);
JsonNode           *sotto_signal_kinds_to_node      (guint     kinds);

G_END_DECLS
