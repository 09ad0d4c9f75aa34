/* sotto-media-sender.h: one capture and one encoder per track, RTP for every subscriber
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sotto-media-config.h"
#include "sotto-media-preview.h"

G_BEGIN_DECLS

typedef struct {
  guint64 frames_encoded;    /* VP8 frames out of the encoder */
  guint64 keyframes_encoded;
  guint64 audio_frames_encoded; /* Opus packets out of the encoder */
  guint64 packets_sent;      /* RTP packets handed to the layer above (both kinds, RTX included) */
  guint64 bytes_sent;
  guint64 nacks_received;    /* NACKed packets (FCI entries) about our video */
  guint64 plis_received;
  guint64 firs_received;
  guint   video_kbps;        /* current VP8 target bitrate */
  guint   n_reporters;       /* receivers whose reports drive the bitrate */
} SottoMediaSenderStats;

/* What one subscriber's RTCP said about our video (RFC 3550 6.4.2). */
typedef struct {
  gboolean has_report;     /* FALSE: the packet had no report block about our video */
  double   fraction_lost;  /* 0..1 since its previous report */
  gint64   packets_lost;   /* cumulative */
  double   jitter_ms;
  double   rtt_ms;         /* from LSR/DLSR; < 0 until it has seen one of our SRs */
} SottoMediaReceiverReport;

#define SOTTO_TYPE_MEDIA_SENDER (sotto_media_sender_get_type ())
G_DECLARE_FINAL_TYPE (SottoMediaSender, sotto_media_sender, SOTTO, MEDIA_SENDER, GObject)

SottoMediaSender *sotto_media_sender_new               (const SottoMediaConfig *config,
                                                        GError                **error);
gboolean          sotto_media_sender_start             (SottoMediaSender *self,
                                                        GError          **error);
void              sotto_media_sender_stop              (SottoMediaSender *self);

void              sotto_media_sender_add_subscriber    (SottoMediaSender *self);
void              sotto_media_sender_remove_subscriber (SottoMediaSender *self);
guint             sotto_media_sender_get_n_subscribers (SottoMediaSender *self);

void              sotto_media_sender_request_keyframe  (SottoMediaSender *self);
/* Camera off stops video frames before the encoder; microphone off sends
 * silence. Both take effect at once and cost nothing while off. */
void              sotto_media_sender_set_enabled       (SottoMediaSender *self,
                                                        SottoMediaKind    kind,
                                                        gboolean          enabled);
gboolean          sotto_media_sender_get_enabled       (SottoMediaSender *self,
                                                        SottoMediaKind    kind);
/* The self view (its "frame" signal), or NULL when config.preview_fps is 0. */
SottoMediaPreview *sotto_media_sender_get_preview      (SottoMediaSender *self);
void              sotto_media_sender_push_rtcp         (SottoMediaSender         *self,
                                                        GBytes                   *packet,
                                                        SottoMediaReceiverReport *report);

guint32           sotto_media_sender_get_ssrc          (SottoMediaSender *self,
                                                        SottoMediaKind    kind);
guint32           sotto_media_sender_get_rtx_ssrc      (SottoMediaSender *self);
const SottoMediaConfig *
                  sotto_media_sender_get_config        (SottoMediaSender *self);
guint             sotto_media_sender_get_n_encoders    (SottoMediaSender *self);
void              sotto_media_sender_get_stats         (SottoMediaSender      *self,
                                                        SottoMediaSenderStats *stats);

G_END_DECLS
