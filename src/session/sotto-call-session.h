/* sotto-call-session.h: one call, as the app and sotto-call see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sotto-call-error.h"
#include "sotto-media-config.h"
#include "sotto-token.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_CALL_SESSION (sotto_call_session_get_type ())
G_DECLARE_FINAL_TYPE (SottoCallSession, sotto_call_session, SOTTO, CALL_SESSION, GObject)

typedef enum {
  SOTTO_CALL_STATE_IDLE,
  SOTTO_CALL_STATE_CONNECTING,    /* signaling being set up */
  SOTTO_CALL_STATE_JOINED,        /* welcomed by the server */
  SOTTO_CALL_STATE_RECONNECTING,  /* signaling dropped; peer media goes on */
  SOTTO_CALL_STATE_ENDED,         /* left, kicked, or failed: see the "ended" signal */
} SottoCallState;

GType sotto_call_state_get_type (void);
#define SOTTO_TYPE_CALL_STATE (sotto_call_state_get_type ())

/* `media` is copied; NULL takes defaults plus SOTTO_VIDEO_SOURCE/SOTTO_AUDIO_SOURCE. */
SottoCallSession *sotto_call_session_new           (const SottoMediaConfig *media);

/* Whether to publish our camera and microphone when the role allows it. */
void              sotto_call_session_set_publish   (SottoCallSession *self,
                                                    gboolean          publish);
/* Display name sent with our stream. */
void              sotto_call_session_set_stream_name (SottoCallSession *self,
                                                      const char       *name);

/* Decodes the token, connects to its server (TLS pinned to the token's pin),
 * joins, publishes (per role and set_publish) and subscribes to every stream.
 * Completes when the server welcomed us, or with a SOTTO_CALL_ERROR. */
void              sotto_call_session_join_async    (SottoCallSession   *self,
                                                    const char         *token,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gboolean          sotto_call_session_join_finish   (SottoCallSession *self,
                                                    GAsyncResult     *result,
                                                    GError          **error);

/* Leaves the call: unpublishes, closes every peer connection, says goodbye. */
void              sotto_call_session_leave         (SottoCallSession *self);

SottoCallState    sotto_call_session_get_state     (SottoCallSession *self);
SottoToken       *sotto_call_session_get_token     (SottoCallSession *self);
const char       *sotto_call_session_get_connection_id (SottoCallSession *self);
const char       *sotto_call_session_get_session_id    (SottoCallSession *self);
/* Our own stream's id, or NULL when not publishing. */
const char       *sotto_call_session_get_stream_id     (SottoCallSession *self);

/* Our camera and microphone, on or off, before or during the call. */
void              sotto_call_session_set_camera_enabled     (SottoCallSession *self,
                                                             gboolean          enabled);
void              sotto_call_session_set_microphone_enabled (SottoCallSession *self,
                                                             gboolean          enabled);

/* Whether a stream's owner has its microphone (audio) and camera (video)
 * on, ours included; FALSE (and both FALSE) for a stream not in the call.
 * Known from the moment "stream-added" is emitted for it. */
gboolean          sotto_call_session_get_stream_state (SottoCallSession *self,
                                                       const char       *stream_id,
                                                       gboolean         *audio_active,
                                                       gboolean         *video_active);

/* Moderator only; the server refuses otherwise (reported through "error"). */
void              sotto_call_session_force_disconnect (SottoCallSession *self,
                                                       const char       *connection_id,
                                                       const char       *reason);
void              sotto_call_session_force_unpublish  (SottoCallSession *self,
                                                       const char       *stream_id,
                                                       const char       *reason);

/* Per-subscription statistics, as a JSON array of objects (transfer full):
 * stream_id, direction ("send"/"receive"), peer, bitrate_kbps, packets_lost,
 * loss_percent, rtt_ms, jitter_ms, frames_decoded, width, height, fps, codec,
 * srtp_profile, key_generation, sas, ice_state, dtls_state. */
JsonNode         *sotto_call_session_dup_stats      (SottoCallSession *self);

/* Signals (all on the GMainContext that was thread-default at construction):
 *   "state-changed"            ()
 *   "participant-joined"       (const char *connection_id, const char *role, const char *data)
 *   "participant-left"         (const char *connection_id, const char *reason)
 *   "stream-added"             (const char *stream_id, const char *owner_id, const char *name)
 *   "stream-removed"           (const char *stream_id, const char *reason)
 *   "subscribed"               (const char *stream_id)
 *   "media-connected"          (const char *stream_id, const char *direction)
 *   "subscriber-count-changed" (const char *stream_id, guint count)
 *   "stream-state-changed"     (const char *stream_id, gboolean audio_active,
 *                               gboolean video_active)  a stream's owner turned
 *                              its microphone or camera on or off
 *   "video-frame"              (const char *stream_id, guint width, guint height,
 *                               guint stride, GBytes *rgba)
 *                              (I420 instead when media.native_video_frames)
 *   "local-video-frame"        (guint width, guint height, guint stride, GBytes *rgba)
 *                              our own camera, when media.preview_fps > 0
 *   "moderated"                (const char *action, const char *target, const char *by,
 *                               const char *reason)
 *   "error"                    (GError *error)     something refused, the call goes on
 *   "ended"                    (GError *error)     NULL error: we left normally
 */

G_END_DECLS
