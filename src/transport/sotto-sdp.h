/* sotto-sdp.h: JSEP-style SDP offers and answers, and the rules that check them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session description is a plain struct (SottoSdpDescription) built from
 * and written to text with GStreamer's GstSDPMessage. Everything a browser's
 * RTCPeerConnection sends or insists on is modelled; everything else is
 * ignored on input and never produced. The negotiation rules (answer
 * creation, DTLS setup roles, checking an answer against its offer) are
 * plain functions so that they can be unit-tested and fuzzed alone.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SOTTO_SDP_ERROR (sotto_sdp_error_quark ())
GQuark sotto_sdp_error_quark (void);

typedef enum {
  SOTTO_SDP_ERROR_PARSE,               /* not SDP at all, or a line we cannot read */
  SOTTO_SDP_ERROR_NO_MEDIA,            /* no usable m-line */
  SOTTO_SDP_ERROR_UNSUPPORTED_PROTO,   /* m-line is not UDP/TLS/RTP/SAVPF (e.g. plaintext RTP/AVP) */
  SOTTO_SDP_ERROR_MISSING_MID,         /* an m-line without a=mid, or duplicated mids */
  SOTTO_SDP_ERROR_BUNDLE,              /* several m-lines not all in one BUNDLE group */
  SOTTO_SDP_ERROR_RTCP_MUX,            /* a=rtcp-mux missing: it is mandatory */
  SOTTO_SDP_ERROR_ICE_CREDENTIALS,     /* a=ice-ufrag/ice-pwd missing, malformed or differing across bundle */
  SOTTO_SDP_ERROR_FINGERPRINT,         /* a=fingerprint missing, malformed or differing across bundle */
  SOTTO_SDP_ERROR_SETUP,               /* a=setup missing or invalid for an offer/answer */
  SOTTO_SDP_ERROR_SETUP_CONFLICT,      /* both ends want the same DTLS role (RFC 8842) */
  SOTTO_SDP_ERROR_NO_COMMON_CODEC,     /* no m-line could be answered with Opus or VP8 */
  SOTTO_SDP_ERROR_ANSWER_MISMATCH,     /* the answer does not answer our offer */
  SOTTO_SDP_ERROR_CANDIDATE,           /* an a=candidate line we cannot read */
} SottoSdpError;

typedef enum {
  SOTTO_SDP_TYPE_OFFER,
  SOTTO_SDP_TYPE_ANSWER,
} SottoSdpType;

/* Not SottoMediaKind: src/media owns that name, and the session layer
 * includes both headers. */
typedef enum {
  SOTTO_SDP_MEDIA_KIND_AUDIO,
  SOTTO_SDP_MEDIA_KIND_VIDEO,
  SOTTO_SDP_MEDIA_KIND_OTHER,   /* parsed only (e.g. a data channel); always rejected */
} SottoSdpMediaKind;

/* From the point of view of the description's author. */
typedef enum {
  SOTTO_MEDIA_DIRECTION_SENDRECV,
  SOTTO_MEDIA_DIRECTION_SENDONLY,
  SOTTO_MEDIA_DIRECTION_RECVONLY,
  SOTTO_MEDIA_DIRECTION_INACTIVE,
} SottoMediaDirection;

/* a=setup (RFC 8842, section 3). */
typedef enum {
  SOTTO_SDP_SETUP_ACTPASS,
  SOTTO_SDP_SETUP_ACTIVE,    /* DTLS client */
  SOTTO_SDP_SETUP_PASSIVE,   /* DTLS server */
} SottoSdpSetup;

/* Default payload types of our offers; answers always take the offer's. */
#define SOTTO_SDP_DEFAULT_OPUS_PT 111
#define SOTTO_SDP_DEFAULT_VP8_PT   96

typedef struct {
  guint    payload_type;
  char    *encoding;       /* as written: "opus", "VP8" */
  guint    clock_rate;
  guint    channels;       /* 0 when absent (video) */
  char    *fmtp;           /* parameters of a=fmtp, or NULL */
  gboolean fb_nack;        /* a=rtcp-fb:<pt> nack */
  gboolean fb_nack_pli;    /* a=rtcp-fb:<pt> nack pli */
  gboolean fb_ccm_fir;     /* a=rtcp-fb:<pt> ccm fir */
} SottoSdpCodec;

typedef struct {
  SottoSdpMediaKind      kind;
  char               *mid;
  SottoMediaDirection direction;
  gboolean            rejected;      /* port 0 and not bundle-only */
  gboolean            rtcp_mux;
  GPtrArray          *codecs;        /* SottoSdpCodec, in the m-line's order */
  guint32             ssrc;          /* first a=ssrc, 0 if none */
  char               *cname;         /* a=ssrc:<ssrc> cname:..., or NULL */
  char               *msid_stream;   /* a=msid:<stream> <track>, or NULL */
  char               *msid_track;
  GPtrArray          *candidates;    /* candidate strings ("candidate:..."), in order */
  gboolean            end_of_candidates;
  /* Only for parsing: the m-line's own transport attributes, if any. */
  char               *ice_ufrag;
  char               *ice_pwd;
  char               *fingerprint;
  gboolean            has_setup;
  SottoSdpSetup       setup;
  gboolean            ice_trickle;   /* a=ice-options lists "trickle" */
  /* The m= line as written (media, proto, formats), echoed when an m-line
   * we cannot use is rejected in an answer. */
  char               *m_media;
  char               *m_proto;
  char               *m_formats;
} SottoSdpMedia;

/* One transport (ufrag, pwd, fingerprint, setup) for the whole bundle. */
typedef struct {
  SottoSdpType  type;
  guint64       session_id;
  guint64       session_version;
  char         *ice_ufrag;
  char         *ice_pwd;
  gboolean      ice_trickle;
  char         *fingerprint;     /* "sha-256 AB:CD:..." */
  SottoSdpSetup setup;
  GPtrArray    *media;           /* SottoSdpMedia, in m-line order */
} SottoSdpDescription;

SottoSdpCodec       *sotto_sdp_codec_new            (guint        payload_type,
                                                     const char  *encoding,
                                                     guint        clock_rate,
                                                     guint        channels,
                                                     const char  *fmtp);
SottoSdpCodec       *sotto_sdp_codec_copy           (const SottoSdpCodec *codec);
void                 sotto_sdp_codec_free           (SottoSdpCodec *codec);

/* A new m-line of `kind` carrying our default codec (Opus or VP8). */
SottoSdpMedia       *sotto_sdp_media_new            (SottoSdpMediaKind      kind,
                                                     const char         *mid,
                                                     SottoMediaDirection direction);
SottoSdpMedia       *sotto_sdp_media_copy           (const SottoSdpMedia *media);
void                 sotto_sdp_media_free           (SottoSdpMedia *media);
void                 sotto_sdp_media_set_ssrc       (SottoSdpMedia *media,
                                                     guint32        ssrc,
                                                     const char    *cname,
                                                     const char    *msid_stream,
                                                     const char    *msid_track);
/* The negotiated codec of an answered m-line (its first), or NULL. */
const SottoSdpCodec *sotto_sdp_media_get_codec      (const SottoSdpMedia *media);

SottoSdpDescription *sotto_sdp_description_new      (SottoSdpType   type,
                                                     const char    *ice_ufrag,
                                                     const char    *ice_pwd,
                                                     const char    *fingerprint,
                                                     SottoSdpSetup  setup);
SottoSdpDescription *sotto_sdp_description_copy     (const SottoSdpDescription *desc);
void                 sotto_sdp_description_free     (SottoSdpDescription *desc);
/* Takes ownership of `media`. */
void                 sotto_sdp_description_add_media (SottoSdpDescription *desc,
                                                      SottoSdpMedia       *media);
const SottoSdpMedia *sotto_sdp_description_find_media (const SottoSdpDescription *desc,
                                                       const char                *mid);
/* The mid of the first bundled (not rejected) m-line: the one whose
 * transport the whole bundle uses. */
const char          *sotto_sdp_description_get_bundle_tag (const SottoSdpDescription *desc);

/* Serialises as JSEP does: every m-line repeats the bundle transport. */
char                *sotto_sdp_description_to_string (const SottoSdpDescription *desc);

/* Parses and validates an offer or an answer (BUNDLE, rtcp-mux, one set of
 * ICE credentials and fingerprint, setup valid for the type). */
SottoSdpDescription *sotto_sdp_description_parse    (const char    *text,
                                                     SottoSdpType   type,
                                                     GError       **error);

/* RFC 8842, section 5: the answerer's a=setup. We take active when the
 * offer lets us (as browsers do), so that our ClientHello starts at once. */
gboolean             sotto_sdp_choose_answer_setup  (SottoSdpSetup  offered,
                                                     SottoSdpSetup *out_answer,
                                                     GError       **error);
/* Checks an answer's a=setup against the offer's and says whether the
 * OFFERER is the DTLS client (a=setup:active side). */
gboolean             sotto_sdp_resolve_setup        (SottoSdpSetup  offered,
                                                     SottoSdpSetup  answered,
                                                     gboolean      *out_offerer_is_client,
                                                     GError       **error);

/* Builds the answer to `offer`. `local_media` (SottoSdpMedia, may be empty)
 * says what we want to send: each offered audio/video m-line takes the first
 * unused local m-line of its kind (its direction, ssrc and msid); an offered
 * m-line with no local counterpart is answered recvonly (or inactive). Codec
 * payload types come from the offer; unsupported m-lines are rejected
 * (port 0). Fails if nothing can be accepted. */
SottoSdpDescription *sotto_sdp_create_answer        (const SottoSdpDescription *offer,
                                                     GPtrArray                 *local_media,
                                                     const char                *ice_ufrag,
                                                     const char                *ice_pwd,
                                                     const char                *fingerprint,
                                                     GError                   **error);

/* Checks that `answer` answers `offer`: same m-lines and mids in order,
 * codecs among those offered, setup compatible (RFC 8842). */
gboolean             sotto_sdp_check_answer         (const SottoSdpDescription *offer,
                                                     const SottoSdpDescription *answer,
                                                     GError                   **error);

/* Direction the answerer may use given the offered direction and what it
 * wants (RFC 3264, section 6.1). */
SottoMediaDirection  sotto_sdp_answer_direction     (SottoMediaDirection offered,
                                                     SottoMediaDirection wanted);
const char          *sotto_media_direction_to_string (SottoMediaDirection direction);
const char          *sotto_sdp_setup_to_string       (SottoSdpSetup setup);

/* One a=candidate value (RFC 8839, section 5.1), with or without the
 * "a=" and "candidate:" prefixes. Unknown extension pairs (generation,
 * ufrag, network-id, network-cost...) are skipped. */
typedef enum {
  SOTTO_CANDIDATE_HOST,
  SOTTO_CANDIDATE_SRFLX,
  SOTTO_CANDIDATE_PRFLX,
  SOTTO_CANDIDATE_RELAY,
} SottoCandidateType;

typedef enum {
  SOTTO_CANDIDATE_TCP_NONE,      /* UDP */
  SOTTO_CANDIDATE_TCP_ACTIVE,
  SOTTO_CANDIDATE_TCP_PASSIVE,
  SOTTO_CANDIDATE_TCP_SO,
} SottoCandidateTcpType;

typedef struct {
  char                 *foundation;
  guint                 component;
  gboolean              tcp;
  guint32               priority;
  char                 *address;       /* IP literal or (browser mDNS) host name */
  guint                 port;
  SottoCandidateType    type;
  char                 *related_address;  /* or NULL */
  guint                 related_port;
  SottoCandidateTcpType tcp_type;
  char                 *ufrag;         /* extension "ufrag", or NULL */
} SottoSdpCandidate;

SottoSdpCandidate   *sotto_sdp_candidate_parse      (const char  *line,
                                                     GError     **error);
void                 sotto_sdp_candidate_free       (SottoSdpCandidate *candidate);
/* "candidate:..." without "a=". */
char                *sotto_sdp_candidate_to_string  (const SottoSdpCandidate *candidate);
/* Whether `line` is an end-of-candidates marker (with or without "a="). */
gboolean             sotto_sdp_is_end_of_candidates (const char *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoSdpCodec, sotto_sdp_codec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoSdpMedia, sotto_sdp_media_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoSdpDescription, sotto_sdp_description_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoSdpCandidate, sotto_sdp_candidate_free)

G_END_DECLS
