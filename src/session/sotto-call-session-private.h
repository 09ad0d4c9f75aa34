/* sotto-call-session-private.h: what the files of SottoCallSession share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SottoCallSession is one object split over several files, each one
 * concern: sotto-call-session.c (joining, publishing, subscribing, the
 * server's messages), sotto-call-session-restart.c (surviving a signaling
 * drop or a server restart) and sotto-call-session-state.c (cameras off and
 * microphones muted, ours and the others'). Nothing outside src/session
 * includes this header.
 */
#pragma once

#include "sotto-call-session.h"

#include "sotto-call-subscription.h"
#include "sotto-media-sender.h"
#include "sotto-signaling-client.h"

G_BEGIN_DECLS

struct _SottoCallSession
{
  GObject parent_instance;

  SottoMediaConfig      media;
  gboolean              publish;
  gboolean              camera_off;
  gboolean              microphone_off;
  char                 *stream_name;

  SottoCallState        state;
  SottoSignalingClient *signaling;
  SottoToken           *token;
  char                 *connection_id;
  char                 *session_id;
  char                 *stream_id;        /* ours, when publishing */
  SottoMediaSender     *sender;
  SottoMediaOutput     *output;           /* every subscription's audio, mixed; may be NULL */
  SottoDtlsCertificate *certificate;      /* ours for this call, towards every peer */
  JsonArray            *ice_servers;
  GHashTable           *participants;     /* connection id → role string */
  GHashTable           *streams;          /* stream id → owner connection id */
  GHashTable           *subscriptions;    /* subscription id → SottoCallSubscription */
  GHashTable           *subscribed;       /* stream ids we asked to receive */
  GTask                *join_task;
  SottoSignalMessage   *last_welcome;     /* the welcome handled last, to handle each once */
  guint                 orphan_timeout;   /* closes orphaned subscriptions at the latest */
  GHashTable           *unconfirmed;      /* stream ids not yet announced again after a restart */
  GHashTable           *stream_states;    /* stream id → packed audio/video state (-state.c) */
  guint                 sent_state;       /* ours, as the server was last told (-state.c) */
  gboolean              leaving;          /* leave() called: a failing connect is no error */
  gboolean              ended;
};

/* sotto-call-session.c */
void sotto_call_session_emit_error            (SottoCallSession *self,
                                               const GError     *error);
/* Closes its subscriptions and tells the app (stream-removed). */
void sotto_call_session_remove_stream         (SottoCallSession *self,
                                               const char       *stream_id,
                                               const char       *reason);
/* Tells the app every participant left (participant-left) and forgets them. */
void sotto_call_session_forget_participants   (SottoCallSession *self,
                                               const char       *reason);

/* sotto-call-session-restart.c */
/* After a rejoin: drops the streams that ended while signaling was down.
 * `streams` is the welcome's array (may be NULL). */
void sotto_call_session_forget_gone_streams   (SottoCallSession *self,
                                               JsonArray        *streams);
/* After a server restart (a welcome with a new connection id). */
void sotto_call_session_adopt_new_connection  (SottoCallSession *self);
/* A replacement subscription to `stream_id` connected: its orphans go. */
void sotto_call_session_close_orphans_of_stream (SottoCallSession *self,
                                                 const char       *stream_id);

/* sotto-call-session-state.c */
/* publish for our stream, with the camera and microphone as they are now. */
void     sotto_call_session_send_publish        (SottoCallSession *self);
/* stream-state for our stream, if it changed since the server was told. */
void     sotto_call_session_send_stream_state   (SottoCallSession *self);
/* After a rejoin: takes what the welcome says of our stream as told, then
 * sends what changed meanwhile. */
void     sotto_call_session_resync_stream_state (SottoCallSession *self,
                                                 JsonArray        *streams);
/* Records a stream's state; TRUE if it is new or changed. */
gboolean sotto_call_session_store_stream_state  (SottoCallSession *self,
                                                 const char       *stream_id,
                                                 gboolean          audio_active,
                                                 gboolean          video_active);

G_END_DECLS
