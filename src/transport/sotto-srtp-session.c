/* sotto-srtp-session.c: one direction of SRTP/SRTCP (the only libsrtp user)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsrtp stays behind this file: Debian 12 ships the 2.x API while upstream
 * moved to 3.x, and Debian's build does its AES through NSS. Nothing else in
 * Sotto includes <srtp2/srtp.h>.
 */
#define G_LOG_DOMAIN "sotto-srtp"

#include "sotto-srtp-session.h"

#include <string.h>
#include <openssl/crypto.h>
#include <srtp2/srtp.h>

G_STATIC_ASSERT (SOTTO_SRTP_MAX_OVERHEAD >= SRTP_MAX_TRAILER_LEN + 4);

/* Large enough for video bursts reordered on a real path (RFC 3711's default
 * of 64 drops legitimately late packets at a few hundred packets/s). */
#define REPLAY_WINDOW 1024

struct _SottoSrtpSession
{
  GObject             parent_instance;

  srtp_t              ctx;
  SottoSrtpDirection  direction;
  SottoSrtpProfile    profile;

  guint64             packets;
  guint64             auth_failures;
  guint64             replays;
};

G_DEFINE_FINAL_TYPE (SottoSrtpSession, sotto_srtp_session, G_TYPE_OBJECT)
G_DEFINE_QUARK (sotto-srtp-error-quark, sotto_srtp_error)

/* libsrtp's library state (its crypto kernel) is process-wide by design;
 * srtp_init() is run exactly once and never undone. */
static gboolean
ensure_libsrtp (void)
{
  static gsize once = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&once))
    {
      ok = (srtp_init () == srtp_err_status_ok);
      g_once_init_leave (&once, 1);
    }
  return ok;
}

void
sotto_srtp_key_material_clear (SottoSrtpKeyMaterial *km)
{
  if (km != NULL)
    OPENSSL_cleanse (km, sizeof *km);
}

const char *
sotto_srtp_profile_to_string (SottoSrtpProfile profile)
{
  switch (profile)
    {
    case SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80: return "SRTP_AES128_CM_SHA1_80";
    case SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM:  return "SRTP_AEAD_AES_128_GCM";
    case SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM:  return "SRTP_AEAD_AES_256_GCM";
    case SOTTO_SRTP_PROFILE_NONE:
    default:                                   return "none";
    }
}

/* RFC 5764 section 4.1.2 (AES-CM) and RFC 7714 section 12 (GCM). */
gsize
sotto_srtp_profile_key_length (SottoSrtpProfile profile)
{
  switch (profile)
    {
    case SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80: return 16;
    case SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM:  return 16;
    case SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM:  return 32;
    case SOTTO_SRTP_PROFILE_NONE:
    default:                                   return 0;
    }
}

gsize
sotto_srtp_profile_salt_length (SottoSrtpProfile profile)
{
  switch (profile)
    {
    case SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80: return 14;
    case SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM:  return 12;
    case SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM:  return 12;
    case SOTTO_SRTP_PROFILE_NONE:
    default:                                   return 0;
    }
}

static gboolean
set_crypto_policy (SottoSrtpProfile       profile,
                   srtp_crypto_policy_t  *rtp,
                   srtp_crypto_policy_t  *rtcp)
{
  switch (profile)
    {
    case SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (rtcp);
      return TRUE;
    case SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM:
      srtp_crypto_policy_set_aes_gcm_128_16_auth (rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth (rtcp);
      return TRUE;
    case SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM:
      srtp_crypto_policy_set_aes_gcm_256_16_auth (rtp);
      srtp_crypto_policy_set_aes_gcm_256_16_auth (rtcp);
      return TRUE;
    case SOTTO_SRTP_PROFILE_NONE:
    default:
      return FALSE;
    }
}

static srtp_t
create_context (SottoSrtpDirection  direction,
                SottoSrtpProfile    profile,
                const guint8       *key_salt,
                srtp_err_status_t  *out_status)
{
  srtp_policy_t policy;
  guint8 key[SOTTO_SRTP_MAX_KEY_SALT_LEN];
  srtp_t ctx = NULL;

  memset (&policy, 0, sizeof policy);
  if (!set_crypto_policy (profile, &policy.rtp, &policy.rtcp))
    {
      *out_status = srtp_err_status_bad_param;
      return NULL;
    }

  /* libsrtp takes a non-const key; it copies it into its own key schedule. */
  memcpy (key, key_salt, sotto_srtp_profile_key_length (profile)
                         + sotto_srtp_profile_salt_length (profile));
  /* Any SSRC: one outbound stream per SSRC is created on first use, and an
   * inbound stream only after its first packet authenticates. */
  policy.ssrc.type = direction == SOTTO_SRTP_DIRECTION_OUTBOUND ? ssrc_any_outbound
                                                                 : ssrc_any_inbound;
  policy.key = key;
  policy.window_size = REPLAY_WINDOW;
  policy.allow_repeat_tx = 0;

  *out_status = srtp_create (&ctx, &policy);
  OPENSSL_cleanse (key, sizeof key);
  if (*out_status != srtp_err_status_ok)
    return NULL;
  return ctx;
}

static gboolean
probe_profile (SottoSrtpProfile profile)
{
  guint8 key[SOTTO_SRTP_MAX_KEY_SALT_LEN] = { 1 };
  srtp_err_status_t status;
  srtp_t ctx;

  ctx = create_context (SOTTO_SRTP_DIRECTION_OUTBOUND, profile, key, &status);
  if (ctx == NULL)
    return FALSE;
  srtp_dealloc (ctx);
  return TRUE;
}

gboolean
sotto_srtp_profile_is_supported (SottoSrtpProfile profile)
{
  /* Ask libsrtp itself (a build may lack GCM), once per process: the answer
   * is a property of the installed library, and creating a context costs
   * milliseconds with Debian's NSS backend. */
  static gsize once = 0;
  static gboolean supported[SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM + 1];

  if (g_once_init_enter (&once))
    {
      int p;

      for (p = SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80; p <= SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM; p++)
        supported[p] = ensure_libsrtp () && probe_profile (p);
      g_once_init_leave (&once, 1);
    }

  if (profile <= SOTTO_SRTP_PROFILE_NONE || profile > SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM)
    return FALSE;
  return supported[profile];
}

static void
sotto_srtp_session_finalize (GObject *object)
{
  SottoSrtpSession *self = SOTTO_SRTP_SESSION (object);

  /* srtp_dealloc zeroes the key schedules before freeing them. */
  g_clear_pointer (&self->ctx, srtp_dealloc);

  G_OBJECT_CLASS (sotto_srtp_session_parent_class)->finalize (object);
}

static void
sotto_srtp_session_class_init (SottoSrtpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sotto_srtp_session_finalize;
}

static void
sotto_srtp_session_init (SottoSrtpSession *self)
{
}

SottoSrtpSession *
sotto_srtp_session_new (SottoSrtpDirection  direction,
                        SottoSrtpProfile    profile,
                        const guint8       *key_salt,
                        gsize               key_salt_len,
                        GError            **error)
{
  g_autoptr(SottoSrtpSession) self = NULL;
  srtp_err_status_t status;

  g_return_val_if_fail (key_salt != NULL, NULL);

  if (profile == SOTTO_SRTP_PROFILE_NONE || !ensure_libsrtp ())
    {
      g_set_error (error, SOTTO_SRTP_ERROR, SOTTO_SRTP_ERROR_UNSUPPORTED_PROFILE,
                   "SRTP profile %s is not available", sotto_srtp_profile_to_string (profile));
      return NULL;
    }

  if (key_salt_len != sotto_srtp_profile_key_length (profile)
                      + sotto_srtp_profile_salt_length (profile))
    {
      g_set_error (error, SOTTO_SRTP_ERROR, SOTTO_SRTP_ERROR_BAD_KEY,
                   "SRTP key material for %s must be %" G_GSIZE_FORMAT " bytes",
                   sotto_srtp_profile_to_string (profile),
                   sotto_srtp_profile_key_length (profile)
                   + sotto_srtp_profile_salt_length (profile));
      return NULL;
    }

  self = g_object_new (SOTTO_TYPE_SRTP_SESSION, NULL);
  self->direction = direction;
  self->profile = profile;
  self->ctx = create_context (direction, profile, key_salt, &status);
  if (self->ctx == NULL)
    {
      g_set_error (error, SOTTO_SRTP_ERROR,
                   status == srtp_err_status_cipher_fail || status == srtp_err_status_bad_param
                   ? SOTTO_SRTP_ERROR_UNSUPPORTED_PROFILE : SOTTO_SRTP_ERROR_INIT,
                   "libsrtp could not create a %s context (status %d)",
                   sotto_srtp_profile_to_string (profile), (int) status);
      return NULL;
    }

  return g_steal_pointer (&self);
}

SottoSrtpProfile
sotto_srtp_session_get_profile (SottoSrtpSession *self)
{
  g_return_val_if_fail (SOTTO_IS_SRTP_SESSION (self), SOTTO_SRTP_PROFILE_NONE);
  return self->profile;
}

static gboolean
protect (SottoSrtpSession *self,
         gboolean          rtcp,
         guint8           *buf,
         gsize            *len,
         gsize             capacity,
         GError          **error)
{
  srtp_err_status_t status;
  int n;

  g_return_val_if_fail (SOTTO_IS_SRTP_SESSION (self), FALSE);
  g_return_val_if_fail (self->direction == SOTTO_SRTP_DIRECTION_OUTBOUND, FALSE);

  if (*len > G_MAXINT - SOTTO_SRTP_MAX_OVERHEAD || capacity < *len + SOTTO_SRTP_MAX_OVERHEAD)
    {
      g_set_error_literal (error, SOTTO_SRTP_ERROR, SOTTO_SRTP_ERROR_BUFFER_TOO_SMALL,
                           "No room after the packet for the SRTP trailer");
      return FALSE;
    }

  n = (int) *len;
  status = rtcp ? srtp_protect_rtcp (self->ctx, buf, &n) : srtp_protect (self->ctx, buf, &n);
  if (status != srtp_err_status_ok)
    {
      g_set_error (error, SOTTO_SRTP_ERROR, SOTTO_SRTP_ERROR_PROTECT,
                   "libsrtp refused to protect an %s packet (status %d)",
                   rtcp ? "RTCP" : "RTP", (int) status);
      return FALSE;
    }

  *len = (gsize) n;
  self->packets++;
  return TRUE;
}

gboolean
sotto_srtp_session_protect_rtp (SottoSrtpSession *self,
                                guint8           *buf,
                                gsize            *len,
                                gsize             capacity,
                                GError          **error)
{
  return protect (self, FALSE, buf, len, capacity, error);
}

gboolean
sotto_srtp_session_protect_rtcp (SottoSrtpSession *self,
                                 guint8           *buf,
                                 gsize            *len,
                                 gsize             capacity,
                                 GError          **error)
{
  return protect (self, TRUE, buf, len, capacity, error);
}

static SottoSrtpStatus
unprotect (SottoSrtpSession *self,
           gboolean          rtcp,
           guint8           *buf,
           gsize            *len)
{
  srtp_err_status_t status;
  int n;

  g_return_val_if_fail (SOTTO_IS_SRTP_SESSION (self), SOTTO_SRTP_MALFORMED);
  g_return_val_if_fail (self->direction == SOTTO_SRTP_DIRECTION_INBOUND, SOTTO_SRTP_MALFORMED);

  /* libsrtp reads the header before checking lengths in places. */
  if (*len < (rtcp ? 8u : 12u) || *len > G_MAXINT)
    return SOTTO_SRTP_MALFORMED;

  n = (int) *len;
  status = rtcp ? srtp_unprotect_rtcp (self->ctx, buf, &n) : srtp_unprotect (self->ctx, buf, &n);
  switch (status)
    {
    case srtp_err_status_ok:
      *len = (gsize) n;
      self->packets++;
      return SOTTO_SRTP_OK;
    case srtp_err_status_auth_fail:
      self->auth_failures++;
      return SOTTO_SRTP_AUTH_FAILED;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      self->replays++;
      return SOTTO_SRTP_REPLAYED;
    default:
      return SOTTO_SRTP_MALFORMED;
    }
}

SottoSrtpStatus
sotto_srtp_session_unprotect_rtp (SottoSrtpSession *self,
                                  guint8           *buf,
                                  gsize            *len)
{
  return unprotect (self, FALSE, buf, len);
}

SottoSrtpStatus
sotto_srtp_session_unprotect_rtcp (SottoSrtpSession *self,
                                   guint8           *buf,
                                   gsize            *len)
{
  return unprotect (self, TRUE, buf, len);
}

guint64
sotto_srtp_session_get_auth_failures (SottoSrtpSession *self)
{
  g_return_val_if_fail (SOTTO_IS_SRTP_SESSION (self), 0);
  return self->auth_failures;
}

guint64
sotto_srtp_session_get_replays (SottoSrtpSession *self)
{
  g_return_val_if_fail (SOTTO_IS_SRTP_SESSION (self), 0);
  return self->replays;
}

guint64
sotto_srtp_session_get_packets (SottoSrtpSession *self)
{
  g_return_val_if_fail (SOTTO_IS_SRTP_SESSION (self), 0);
  return self->packets;
}
