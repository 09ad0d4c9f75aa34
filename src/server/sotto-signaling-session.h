/* sotto-signaling-session.h: one session's live state inside the signaling hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to the hub. Plain structs rather than GObjects: there can be tens
 * of thousands of them, they never leave the hub, and their lifetimes are
 * strictly nested (session > connection > stream > subscription).
 */
#pragma once

#include "sotto-signal-socket.h"

#include "sotto-server-store.h"
#include "sotto-signal-message.h"
#include "sotto-token.h"

G_BEGIN_DECLS

typedef struct _SottoSignalingSession      SottoSignalingSession;
typedef struct _SottoSignalingConnection   SottoSignalingConnection;
typedef struct _SottoSignalingPeer         SottoSignalingPeer;

/* One WebSocket. Lives from the handshake to the `closed` signal; joined to
 * at most one connection. */
struct _SottoSignalingPeer
{
  SottoSignalSocket        *ws;
  gpointer                  hub;          /* SottoSignalingHub, unowned */
  SottoSignalingConnection *conn;         /* NULL before join and after detach */
  gint64                    opened_at;    /* monotonic µs */
  gint64                    last_seen;    /* monotonic µs of the last frame received */
  /* Token bucket: `tokens` messages available, refilled continuously. */
  double                    tokens;
  gint64                    refilled_at;
  guint                     dropped;      /* consecutive rate-limited messages */
  gint64                    last_rate_error;
  gboolean                  tear_down_on_close; /* no rejoin grace (keepalive timeout) */
};

/* A participant: survives its socket for the rejoin grace period. */
struct _SottoSignalingConnection
{
  char                  *id;
  SottoRole              role;
  char                  *data;          /* token data, may be NULL */
  char                  *jti;
  gint64                 expires_at;    /* token exp */
  gint64                 connected_since; /* real time, µs */
  SottoSignalingSession *session;       /* unowned back pointer */
  SottoSignalingPeer    *peer;          /* NULL while waiting for a rejoin */
  gint64                 grace_deadline; /* monotonic µs; 0 while attached */
  GHashTable            *streams;       /* stream id -> unowned stream, the ones it publishes */
  GHashTable            *subscriptions; /* subscription id -> unowned, the ones it is an end of */
  GQueue                 pending;       /* char * frames held while detached */
};

typedef struct
{
  char       *id;
  SottoSignalingConnection *owner;
  guint       kinds;                    /* SottoSignalKind bitmask */
  char       *name;
  guint       subscribers;              /* subscriptions whose media both ends report connected */
  GHashTable *subscriptions;            /* id -> unowned subscription */
  /* What the owner says it sends: a muted microphone or a camera turned
   * off still publishes, so only the owner can tell the others. */
  gboolean    audio_active;
  gboolean    video_active;
} SottoSignalingStream;

typedef struct
{
  char                     *id;
  SottoSignalingStream     *stream;
  SottoSignalingConnection *publisher;
  SottoSignalingConnection *subscriber;
  gboolean                  publisher_connected;
  gboolean                  subscriber_connected;
  gboolean                  counted;
} SottoSignalingSubscription;

struct _SottoSignalingSession
{
  char       *id;
  guint       max_participants;        /* 0: no limit */
  GHashTable *connections;             /* id -> owned connection */
  GHashTable *streams;                 /* id -> owned stream */
  GHashTable *subscriptions;           /* id -> owned subscription */
  GHashTable *connection_ids;          /* jti -> connection id: a rejoin keeps its id */
  guint       queue_limit;             /* frames held per detached connection */
};

/* Result of a request handler: NULL code means success. */
typedef struct
{
  const char *code;     /* SOTTO_SIGNAL_ERROR_CODE_* */
  const char *message;  /* static English text */
} SottoSignalingRefusal;

/* The values of `table` (GLib 2.74 has no g_hash_table_get_values_as_ptr_array),
 * for loops that remove entries while they iterate. */
GPtrArray                *sotto_signaling_values          (GHashTable *table);

SottoSignalingSession    *sotto_signaling_session_new     (const char *id,
                                                           guint       max_participants);
void                      sotto_signaling_session_free    (SottoSignalingSession *self);
gboolean                  sotto_signaling_session_is_empty (SottoSignalingSession *self);

/* Adds a participant and tells everyone else (connection-created). It is
 * not attached yet: the caller sends the welcome, then attaches, so the
 * welcome is always the first frame a participant receives. */
SottoSignalingConnection *sotto_signaling_session_add     (SottoSignalingSession *self,
                                                           SottoToken            *token);
SottoSignalingConnection *sotto_signaling_session_find_by_jti (SottoSignalingSession *self,
                                                               const char            *jti);
/* Tears down its streams and subscriptions for everyone, tells everyone
 * (connection-destroyed with `reason`), closes its socket with `close_code`
 * if attached, and frees it. */
void                      sotto_signaling_session_remove  (SottoSignalingSession    *self,
                                                           SottoSignalingConnection *conn,
                                                           const char               *reason,
                                                           gushort                   close_code);

/* Sends one message to one connection (held while it is detached). */
void                      sotto_signaling_connection_send (SottoSignalingConnection *conn,
                                                           SottoSignalMessage       *msg);
void                      sotto_signaling_connection_send_text (SottoSignalingConnection *conn,
                                                                const char               *text);
/* Binds `conn` to `peer` and sends the frames held while it was detached. */
void                      sotto_signaling_connection_attach (SottoSignalingConnection *conn,
                                                             SottoSignalingPeer       *peer);
void                      sotto_signaling_session_broadcast (SottoSignalingSession    *self,
                                                             SottoSignalMessage       *msg,
                                                             SottoSignalingConnection *except);

/* The welcome message for `conn` (without ice_servers and keepalive fields). */
SottoSignalMessage       *sotto_signaling_session_build_welcome (SottoSignalingSession    *self,
                                                                 SottoSignalingConnection *conn,
                                                                 gboolean                  rejoined);
JsonNode                 *sotto_signaling_session_describe (SottoSignalingSession *self);

/* Request handlers; each checks the caller's rights and ownership. */
gboolean sotto_signaling_session_publish     (SottoSignalingSession    *self,
                                              SottoSignalingConnection *conn,
                                              SottoSignalMessage       *msg,
                                              SottoSignalingRefusal    *refusal);
gboolean sotto_signaling_session_unpublish   (SottoSignalingSession    *self,
                                              SottoSignalingConnection *conn,
                                              const char               *stream_id,
                                              const char               *reason,
                                              SottoSignalingRefusal    *refusal);
gboolean sotto_signaling_session_subscribe   (SottoSignalingSession    *self,
                                              SottoSignalingConnection *conn,
                                              SottoSignalMessage       *msg,
                                              SottoSignalingRefusal    *refusal);
gboolean sotto_signaling_session_unsubscribe (SottoSignalingSession    *self,
                                              SottoSignalingConnection *conn,
                                              SottoSignalMessage       *msg,
                                              SottoSignalingRefusal    *refusal);
/* stream-state: the owner's audio/video on-off, stored and broadcast. */
gboolean sotto_signaling_session_stream_state (SottoSignalingSession    *self,
                                               SottoSignalingConnection *conn,
                                               SottoSignalMessage       *msg,
                                               SottoSignalingRefusal    *refusal);
/* offer, answer and candidate: forwarded to the other end only. */
gboolean sotto_signaling_session_forward     (SottoSignalingSession    *self,
                                              SottoSignalingConnection *conn,
                                              SottoSignalMessage       *msg,
                                              SottoSignalingRefusal    *refusal);
gboolean sotto_signaling_session_media_report (SottoSignalingSession    *self,
                                               SottoSignalingConnection *conn,
                                               SottoSignalMessage       *msg,
                                               SottoSignalingRefusal    *refusal);
/* Moderation: `by` is a connection id or "server". */
void     sotto_signaling_session_force_unpublish (SottoSignalingSession *self,
                                                  SottoSignalingStream  *stream,
                                                  const char            *by,
                                                  const char            *reason);

/* Limits per connection, so one participant cannot grow the server's state
 * without bound. */
#define SOTTO_SIGNALING_MAX_STREAMS_PER_CONNECTION       16
#define SOTTO_SIGNALING_MAX_SUBSCRIPTIONS_PER_CONNECTION 256
#define SOTTO_SIGNALING_QUEUE_LIMIT                      256

G_END_DECLS
