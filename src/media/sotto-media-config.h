/* sotto-media-config.h: media settings (sizes, rates, payload types) and errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SOTTO_MEDIA_ERROR (sotto_media_error_quark ())
GQuark sotto_media_error_quark (void);

typedef enum {
  SOTTO_MEDIA_ERROR_MISSING_ELEMENT, /* a GStreamer element is not installed; the message names the package */
  SOTTO_MEDIA_ERROR_INVALID_CONFIG,  /* a setting or environment variable has an unusable value */
  SOTTO_MEDIA_ERROR_NO_DEVICE,       /* "devices" was asked for and no camera or microphone exists */
  SOTTO_MEDIA_ERROR_PIPELINE,        /* GStreamer refused to start or failed while running */
} SottoMediaError;

/* Which half of a call a packet belongs to. Video is rtpbin session 0, audio session 1. */
typedef enum {
  SOTTO_MEDIA_KIND_VIDEO,
  SOTTO_MEDIA_KIND_AUDIO,
} SottoMediaKind;

#define SOTTO_TYPE_MEDIA_KIND (sotto_media_kind_get_type ())
GType sotto_media_kind_get_type (void);

typedef enum {
  SOTTO_MEDIA_SOURCE_TEST,    /* videotestsrc / audiotestsrc: moving ball, sine tone */
  SOTTO_MEDIA_SOURCE_DEVICES, /* camera (PipeWire, else V4L2) and microphone, with echo cancellation */
} SottoMediaSourceKind;

/* Plain data, copied by whoever takes it. sotto_media_config_init() fills defaults. */
typedef struct {
  /* Sending */
  gboolean             send_video;
  gboolean             send_audio;
  SottoMediaSourceKind video_source;
  SottoMediaSourceKind audio_source;
  guint                width;              /* pixels */
  guint                height;
  guint                fps;
  guint                video_kbps;         /* starting VP8 target bitrate */
  guint                video_min_kbps;     /* floor of the adaptation (see docs/media.md) */
  guint                video_max_kbps;     /* ceiling of the adaptation */
  guint                audio_kbps;         /* Opus bitrate, never adapted */
  guint                vp8_cpu_used;       /* libvpx speed 0..16: higher is faster, lower quality */
  guint                keyframe_max_dist;  /* frames between periodic keyframes; PLI/FIR force extra ones */
  guint                mtu;                /* RTP packet size budget, leaves room for SRTP and TURN */
  const char          *echo_probe_name;    /* sotto_media_output_get_echo_probe_name(): cancel
                                            * what that output plays; NULL: no echo cancellation.
                                            * Copied by the sender. */

  /* RTP identifiers: the SDP layer picks them. On a receiver the SSRCs are the
   * remote's; 0 means "learn from the first packet". */
  guint                video_pt;
  guint                video_rtx_pt;
  guint                audio_pt;
  guint32              video_ssrc;
  guint32              video_rtx_ssrc;
  guint32              audio_ssrc;

  /* Receiving */
  guint                jitter_latency_ms;  /* rtpbin jitter buffer, tuned for conversation */
  gboolean             fake_audio_sink;    /* decode audio but play nothing (tests, no sound card) */
  gboolean             native_video_frames; /* receiver: "video-frame" carries the decoder's own
                                              * format (I420) instead of RGBA; for clients that
                                              * never draw (sotto-call), saving a conversion */
  guint                preview_fps;        /* sender: RGBA self-view frames per second, 0 for none */
  const char          *video_device;       /* a camera's display name (GstDeviceMonitor); NULL: the first */
  const char          *audio_device;       /* a microphone's display name; NULL: the default */
  int                  camera_fd;          /* PipeWire remote from the camera portal (Flatpak), -1: none;
                                            * the sender dups it */
} SottoMediaConfig;

#define SOTTO_MEDIA_DEFAULT_JITTER_LATENCY_MS 60

void     sotto_media_config_init     (SottoMediaConfig *config);
gboolean sotto_media_config_load_env (SottoMediaConfig *config,
                                      GError          **error);
gboolean sotto_media_config_validate (const SottoMediaConfig *config,
                                      GError                **error);

/* Default VP8 bitrate for a size and frame rate, clamped to [min, max]. */
guint    sotto_media_config_default_video_kbps (guint width,
                                                guint height,
                                                guint fps);

G_END_DECLS
