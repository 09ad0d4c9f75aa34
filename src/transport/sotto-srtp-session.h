/* sotto-srtp-session.h: one direction of SRTP/SRTCP (the only libsrtp user)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SOTTO_SRTP_ERROR (sotto_srtp_error_quark ())
GQuark sotto_srtp_error_quark (void);

typedef enum {
  SOTTO_SRTP_ERROR_UNSUPPORTED_PROFILE,  /* NULL profile, or libsrtp lacks the cipher */
  SOTTO_SRTP_ERROR_BAD_KEY,              /* key material of the wrong length */
  SOTTO_SRTP_ERROR_INIT,                 /* libsrtp could not create the context */
  SOTTO_SRTP_ERROR_BUFFER_TOO_SMALL,     /* no room for the SRTP trailer */
  SOTTO_SRTP_ERROR_PROTECT,              /* libsrtp refused to protect the packet */
} SottoSrtpError;

/* DTLS-SRTP protection profiles Sotto offers (RFC 5764, RFC 7714). NULL
 * cipher or NULL auth profiles do not exist here, so cannot be negotiated. */
typedef enum {
  SOTTO_SRTP_PROFILE_NONE = 0,
  SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80,   /* 0x0001 */
  SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM,    /* 0x0007 */
  SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM,    /* 0x0008 */
} SottoSrtpProfile;

typedef enum {
  SOTTO_SRTP_DIRECTION_OUTBOUND,
  SOTTO_SRTP_DIRECTION_INBOUND,
} SottoSrtpDirection;

/* Outcome of unprotecting one packet; failures are counted, never raised. */
typedef enum {
  SOTTO_SRTP_OK,
  SOTTO_SRTP_AUTH_FAILED,   /* tag did not verify: tampered, or not our keys */
  SOTTO_SRTP_REPLAYED,      /* index already seen, or too old for the window */
  SOTTO_SRTP_MALFORMED,     /* too short, bad header, or any other libsrtp refusal */
} SottoSrtpStatus;

/* Largest master key + master salt (AES-256: 32 + 12; AES-CM-128: 16 + 14). */
#define SOTTO_SRTP_MAX_KEY_SALT_LEN 46

/* Room protect needs after a packet. Sotto appends at most a 16-byte tag and
 * the 4-byte SRTCP index (no MKI), but libsrtp documents that it may write
 * SRTP_MAX_TRAILER_LEN + 4 bytes, so callers keep that much. */
#define SOTTO_SRTP_MAX_OVERHEAD 148

/* Keys for both directions, as exported from DTLS (key || salt each). Wipe
 * with sotto_srtp_key_material_clear() as soon as sessions are made. */
typedef struct {
  SottoSrtpProfile profile;
  gsize            key_salt_len;
  guint8           local[SOTTO_SRTP_MAX_KEY_SALT_LEN];   /* we protect with this */
  guint8           remote[SOTTO_SRTP_MAX_KEY_SALT_LEN];  /* we unprotect with this */
} SottoSrtpKeyMaterial;

void        sotto_srtp_key_material_clear (SottoSrtpKeyMaterial *km);

const char *sotto_srtp_profile_to_string    (SottoSrtpProfile profile);  /* OpenSSL name */
gsize       sotto_srtp_profile_key_length   (SottoSrtpProfile profile);
gsize       sotto_srtp_profile_salt_length  (SottoSrtpProfile profile);
/* Whether this build of libsrtp can run the profile (Debian's uses NSS). */
gboolean    sotto_srtp_profile_is_supported (SottoSrtpProfile profile);

#define SOTTO_TYPE_SRTP_SESSION (sotto_srtp_session_get_type ())
G_DECLARE_FINAL_TYPE (SottoSrtpSession, sotto_srtp_session, SOTTO, SRTP_SESSION, GObject)

/* key_salt is master key followed by master salt; copied, and the copy wiped. */
SottoSrtpSession *sotto_srtp_session_new (SottoSrtpDirection  direction,
                                          SottoSrtpProfile    profile,
                                          const guint8       *key_salt,
                                          gsize               key_salt_len,
                                          GError            **error);

SottoSrtpProfile sotto_srtp_session_get_profile (SottoSrtpSession *self);

/* In place: `buf` holds *len bytes of RTP/RTCP and has room for `capacity`
 * (at least *len + SOTTO_SRTP_MAX_OVERHEAD). No allocation. */
gboolean sotto_srtp_session_protect_rtp    (SottoSrtpSession *self,
                                            guint8           *buf,
                                            gsize            *len,
                                            gsize             capacity,
                                            GError          **error);
gboolean sotto_srtp_session_protect_rtcp   (SottoSrtpSession *self,
                                            guint8           *buf,
                                            gsize            *len,
                                            gsize             capacity,
                                            GError          **error);

/* In place; on SOTTO_SRTP_OK *len is the plaintext length. */
SottoSrtpStatus sotto_srtp_session_unprotect_rtp  (SottoSrtpSession *self,
                                                   guint8           *buf,
                                                   gsize            *len);
SottoSrtpStatus sotto_srtp_session_unprotect_rtcp (SottoSrtpSession *self,
                                                   guint8           *buf,
                                                   gsize            *len);

/* Counters since creation. */
guint64 sotto_srtp_session_get_auth_failures (SottoSrtpSession *self);
guint64 sotto_srtp_session_get_replays       (SottoSrtpSession *self);
guint64 sotto_srtp_session_get_packets       (SottoSrtpSession *self);

G_END_DECLS
