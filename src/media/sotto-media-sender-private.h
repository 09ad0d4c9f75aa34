/* sotto-media-sender-private.h: SottoMediaSender's state, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sotto-media-sender.c builds and runs the pipeline; sotto-media-sender-stats.c
 * takes RTCP feedback in and reports statistics. Nothing outside
 * src/media/sotto-media-sender*.c includes this.
 */
#pragma once

#include <gst/gst.h>

#include "sotto-media-bandwidth.h"
#include "sotto-media-dispatch.h"
#include "sotto-media-preview.h"
#include "sotto-media-sender.h"

G_BEGIN_DECLS

struct _SottoMediaSender {
  GObject              parent_instance;

  SottoMediaConfig     config;          /* SSRCs filled in at construction */
  char                *echo_probe_name; /* config.echo_probe_name points here */
  GMainContext        *context;         /* the owner's; every signal is emitted there */

  GstElement          *pipeline;
  GstElement          *rtpbin;          /* borrowed from pipeline */
  GstElement          *encoder;         /* vp8enc, borrowed; NULL without video */
  GstElement          *video_valve;     /* closed while the camera is off or nobody
                                         * subscribes; borrowed */
  SottoMediaPreview   *preview;         /* self view, when config.preview_fps > 0 */
  GstElement          *audio_volume;    /* muted while the microphone is off; borrowed */
  GstElement          *audio_valve;     /* closed while nobody subscribes; borrowed */
  GstElement          *rtcp_in[2];      /* appsrc per session, borrowed */
  SottoMediaDispatch  *dispatch;
  GSource             *bus_source;
  GSource             *bandwidth_timer;
  SottoMediaBandwidth *bandwidth;

  guint                n_subscribers;
  gboolean             camera_on;       /* owner's thread; the valve follows it */
  gint                 sending;         /* atomic: streaming threads drop packets when 0 */
  gboolean             started;
  gboolean             failed;

  gint                 frames_encoded;  /* atomic, written by the encoder's thread */
  gint                 keyframes_encoded;
  gint                 audio_frames_encoded; /* atomic, audio encoder's thread */
  guint64              packets_sent;    /* owner's thread */
  guint64              bytes_sent;
  guint64              nacks_received;
  guint64              plis_received;
  guint64              firs_received;
};

G_END_DECLS
