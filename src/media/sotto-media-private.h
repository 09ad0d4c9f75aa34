/* sotto-media-private.h: helpers shared by the sender and the receiver
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "sotto-media-config.h"

G_BEGIN_DECLS

/* gst_element_factory_make() that turns "not installed" into
 * SOTTO_MEDIA_ERROR_MISSING_ELEMENT naming the Debian package to install. */
GstElement *sotto_media_make_element (const char *factory,
                                      const char *name,
                                      GError    **error);

/* A bin with rtprtxsend or rtprtxreceive and the sink_N/src_N ghost pads that
 * rtpbin's request-aux-sender/-receiver want. ssrc 0: no SSRC map. NULL if the
 * element is missing (checked earlier with sotto_media_make_element). */
GstElement *sotto_media_make_rtx_bin (const char *factory,
                                      guint       session,
                                      guint       pt,
                                      guint       rtx_pt,
                                      guint32     ssrc,
                                      guint32     rtx_ssrc);

/* A source element for the camera the config names (else the first one,
 * PipeWire preferred over V4L2), or pipewiresrc on the portal's PipeWire
 * remote when the config has one; SOTTO_MEDIA_ERROR_NO_DEVICE /
 * _MISSING_ELEMENT otherwise (sotto-media-source.c). */
GstElement *sotto_media_make_camera     (const SottoMediaConfig *config,
                                         GError                **error);
/* The microphone the config names, or pulsesrc (the default input). */
GstElement *sotto_media_make_microphone (const SottoMediaConfig *config,
                                         GError                **error);

/* Caps for a payload type of a session (rtpbin's request-pt-map), NULL if unknown. */
GstCaps    *sotto_media_rtp_caps (const SottoMediaConfig *config,
                                  guint                   session,
                                  guint                   pt);

/* A pipeline error from the bus, logged with GStreamer's debug text and
 * wrapped as SOTTO_MEDIA_ERROR_PIPELINE "<summary>: <GStreamer's message>";
 * NULL when `message` is not an error. */
GError     *sotto_media_error_from_bus_message (GstMessage *message,
                                                const char *summary);

/* The Debian package that ships a GStreamer element, or NULL when unknown. */
const char *sotto_media_element_package (const char *factory);

/* Every SSRC an RTCP compound packet mentions: senders of SR/RR/SDES/BYE/APP,
 * report blocks, and the media source of feedback. Returns FALSE if the packet is
 * not valid RTCP. */
gboolean    sotto_media_rtcp_collect_ssrcs (GBytes *packet,
                                            GArray *ssrcs);

/* Sessions an RTCP packet concerns, given the SSRCs each session uses, as a
 * mask of (1 << SOTTO_MEDIA_KIND_*); 0 if it concerns none (or is not RTCP).
 * A browser's compound packet may report on both. */
guint       sotto_media_rtcp_route (GBytes        *packet,
                                    const guint32 *video_ssrcs,
                                    guint          n_video,
                                    const guint32 *audio_ssrcs,
                                    guint          n_audio);

/* What one RTCP compound packet from a receiver says about our video. */
typedef struct {
  guint32  reporter_ssrc;  /* the receiver's own SSRC (first RR/SR/FB sender) */
  gboolean has_loss;
  guint8   fraction_lost;  /* of our video, in 1/256 since the receiver's last report */
  gint32   packets_lost;   /* cumulative */
  guint32  jitter;         /* RTP clock units */
  guint32  lsr;            /* middle 32 bits of our last SR's NTP time, 0: none yet */
  guint32  dlsr;           /* delay since that SR, 1/65536 s */
  gboolean has_remb;
  guint64  remb_bps;       /* receiver-estimated maximum bitrate */
  guint    n_nack;         /* generic NACK FCI entries for our video */
  guint    n_pli;
  guint    n_fir;
} SottoMediaRtcpFeedback;

/* Reads the feedback a receiver sends about the SSRCs in video_ssrcs.
 * Returns FALSE if the packet is not valid RTCP. */
gboolean    sotto_media_rtcp_parse_feedback (GBytes                 *packet,
                                             const guint32          *video_ssrcs,
                                             guint                   n_video,
                                             SottoMediaRtcpFeedback *out);

/* A reduced-size (RFC 5506) feedback packet: generic NACK for one sequence
 * number when nack_seqnum >= 0, else a bare PSFB/RTPFB of the given fmt (PLI). */
GBytes     *sotto_media_rtcp_make_feedback (guint8  fmt,
                                            guint8  type,
                                            guint32 sender_ssrc,
                                            guint32 media_ssrc,
                                            gint    nack_seqnum);

/* rtpbin statistics for a receiver (sotto-media-stats.c). */
void        sotto_media_read_source_stats  (GstElement *rtpbin,
                                            guint       session_id,
                                            guint32     remote_ssrc,
                                            gint64     *lost,
                                            double     *jitter_ms);
guint64     sotto_media_read_rtx_recovered (GstElement *rtpbin);

G_END_DECLS
