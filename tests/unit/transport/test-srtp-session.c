/* test-srtp-session.c: SRTP/SRTCP protect, unprotect, tamper, replay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sotto-srtp-session.h"

#define PAYLOAD_BYTE 0x5a

static const SottoSrtpProfile all_profiles[] = {
  SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80,
  SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM,
  SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM,
};

typedef struct {
  SottoSrtpSession *out;
  SottoSrtpSession *in;
} Pair;

static void
make_pair (SottoSrtpProfile profile,
           Pair            *pair)
{
  guint8 key[SOTTO_SRTP_MAX_KEY_SALT_LEN];
  gsize len = sotto_srtp_profile_key_length (profile) + sotto_srtp_profile_salt_length (profile);
  g_autoptr(GError) error = NULL;
  gsize i;

  for (i = 0; i < sizeof key; i++)
    key[i] = (guint8) (i * 7 + 3);
  pair->out = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_OUTBOUND, profile, key, len, &error);
  g_assert_no_error (error);
  pair->in = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_INBOUND, profile, key, len, &error);
  g_assert_no_error (error);
}

static void
clear_pair (Pair *pair)
{
  g_assert_finalize_object (pair->out);
  g_assert_finalize_object (pair->in);
}

static gsize
make_rtp (guint8  *buf,
          guint16  seq,
          gsize    payload_len)
{
  const guint8 header[12] = { 0x80, 96, seq >> 8, seq & 0xff, 0, 0, 0x10, 0, 0x12, 0x34, 0x56, 0x78 };

  memcpy (buf, header, sizeof header);
  memset (buf + 12, PAYLOAD_BYTE, payload_len);
  return 12 + payload_len;
}

static gsize
make_rtcp_rr (guint8 *buf)
{
  /* Receiver report, no report blocks: V=2, PT=201, length 1. */
  const guint8 rr[8] = { 0x80, 201, 0, 1, 0x12, 0x34, 0x56, 0x78 };

  memcpy (buf, rr, sizeof rr);
  return sizeof rr;
}

static gboolean
contains_run (const guint8 *buf,
              gsize         len,
              guint8        byte,
              gsize         run)
{
  gsize i, n = 0;

  for (i = 0; i < len; i++)
    {
      n = buf[i] == byte ? n + 1 : 0;
      if (n >= run)
        return TRUE;
    }
  return FALSE;
}

/* ---- an independent SRTP, written from the RFCs with OpenSSL ------------
 *
 * libsrtp here does its AES through NSS; browsers run libsrtp on BoringSSL.
 * Protecting the same packet with the same master key here and comparing
 * bytes pins the wire format (key derivation, IV, AAD, tag) to the RFCs. */

static void
aes_ecb_block (const guint8 *key,
               gsize         key_len,
               const guint8  in[16],
               guint8        out[16])
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  int n = 0;

  g_assert_cmpint (EVP_EncryptInit_ex (ctx, key_len == 32 ? EVP_aes_256_ecb () : EVP_aes_128_ecb (),
                                       NULL, key, NULL), ==, 1);
  EVP_CIPHER_CTX_set_padding (ctx, 0);
  g_assert_cmpint (EVP_EncryptUpdate (ctx, out, &n, in, 16), ==, 1);
  EVP_CIPHER_CTX_free (ctx);
}

/* RFC 3711, section 4.3.1 and 4.3.3: AES-CM PRF, key derivation rate 0.
 * RFC 7714, section 11: the 96-bit GCM master salt is used the same way,
 * zero-padded to 112 bits, as libsrtp and browsers do. */
static void
kdf (const guint8 *master_key,
     gsize         key_len,
     const guint8 *master_salt,
     gsize         salt_len,
     guint8        label,
     guint8       *out,
     gsize         out_len)
{
  guint8 x[16] = { 0 };
  guint8 block[16];
  guint16 counter;
  gsize done = 0;

  memcpy (x, master_salt, salt_len);   /* bytes 0..13 hold the (padded) salt */
  x[7] ^= label;                       /* key_id = label || r(48 bits, 0), right-aligned in 112 bits */
  for (counter = 0; done < out_len; counter++)
    {
      guint8 iv[16];
      gsize n = MIN (16, out_len - done);

      memcpy (iv, x, 16);
      iv[14] = counter >> 8;
      iv[15] = counter & 0xff;
      aes_ecb_block (master_key, key_len, iv, block);
      memcpy (out + done, block, n);
      done += n;
    }
}

static gsize
reference_protect (SottoSrtpProfile  profile,
                   const guint8     *master,   /* key || salt */
                   const guint8     *rtp,
                   gsize             len,
                   guint8           *out)
{
  gsize key_len = sotto_srtp_profile_key_length (profile);
  gsize salt_len = sotto_srtp_profile_salt_length (profile);
  guint8 k_e[32], k_s[14], k_a[20];
  guint32 ssrc = (rtp[8] << 24) | (rtp[9] << 16) | (rtp[10] << 8) | rtp[11];
  guint16 seq = (rtp[2] << 8) | rtp[3];
  int n = 0, m = 0;

  kdf (master, key_len, master + key_len, salt_len, 0x00, k_e, key_len);
  kdf (master, key_len, master + key_len, salt_len, 0x02, k_s, salt_len);
  memcpy (out, rtp, 12);

  if (profile == SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80)
    {
      /* RFC 3711, section 4.1.1: IV = salt*2^16 ^ SSRC*2^64 ^ index*2^16. */
      guint8 iv[16] = { 0 };
      guint8 roc[4] = { 0, 0, 0, 0 };
      guint8 tag[20];
      unsigned int tag_len = 0;
      EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
      gsize i;

      kdf (master, key_len, master + key_len, salt_len, 0x01, k_a, sizeof k_a);
      memcpy (iv, k_s, 14);
      for (i = 0; i < 4; i++)
        iv[4 + i] ^= (ssrc >> (24 - 8 * i)) & 0xff;
      iv[12] ^= seq >> 8;
      iv[13] ^= seq & 0xff;
      g_assert_cmpint (EVP_EncryptInit_ex (ctx, EVP_aes_128_ctr (), NULL, k_e, iv), ==, 1);
      g_assert_cmpint (EVP_EncryptUpdate (ctx, out + 12, &n, rtp + 12, (int) len - 12), ==, 1);
      EVP_CIPHER_CTX_free (ctx);

      /* RFC 3711, section 4.2: HMAC-SHA1 over packet || ROC, 80 bits. */
      {
        guint8 mac_in[2048];

        memcpy (mac_in, out, len);
        memcpy (mac_in + len, roc, 4);
        HMAC (EVP_sha1 (), k_a, sizeof k_a, mac_in, len + 4, tag, &tag_len);
      }
      memcpy (out + len, tag, 10);
      return len + 10;
    }
  else
    {
      /* RFC 7714, section 8.1: IV = (00 00 || SSRC || ROC || SEQ) ^ salt;
       * section 8.2: the RTP header is the AAD; a 16-byte tag follows. */
      guint8 iv[12] = { 0 };
      EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
      gsize i;

      for (i = 0; i < 4; i++)
        iv[2 + i] = (ssrc >> (24 - 8 * i)) & 0xff;
      iv[10] = seq >> 8;
      iv[11] = seq & 0xff;
      for (i = 0; i < 12; i++)
        iv[i] ^= k_s[i];
      g_assert_cmpint (EVP_EncryptInit_ex (ctx, key_len == 32 ? EVP_aes_256_gcm () : EVP_aes_128_gcm (),
                                           NULL, k_e, iv), ==, 1);
      g_assert_cmpint (EVP_EncryptUpdate (ctx, NULL, &m, rtp, 12), ==, 1);
      g_assert_cmpint (EVP_EncryptUpdate (ctx, out + 12, &n, rtp + 12, (int) len - 12), ==, 1);
      g_assert_cmpint (EVP_EncryptFinal_ex (ctx, out + 12 + n, &m), ==, 1);
      g_assert_cmpint (EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_GET_TAG, 16, out + len), ==, 1);
      EVP_CIPHER_CTX_free (ctx);
      return len + 16;
    }
}

static void
test_matches_reference (gconstpointer data)
{
  SottoSrtpProfile profile = GPOINTER_TO_INT (data);
  gsize key_salt_len = sotto_srtp_profile_key_length (profile) + sotto_srtp_profile_salt_length (profile);
  guint8 master[SOTTO_SRTP_MAX_KEY_SALT_LEN];
  guint8 buf[300 + SOTTO_SRTP_MAX_OVERHEAD], expected[300 + 16];
  g_autoptr(SottoSrtpSession) out = NULL;
  guint16 seq;
  gsize i;

  for (i = 0; i < sizeof master; i++)
    master[i] = (guint8) (0x10 + i * 3);
  out = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_OUTBOUND, profile, master, key_salt_len, NULL);
  g_assert_nonnull (out);

  for (seq = 1; seq <= 3; seq++)
    {
      gsize len = make_rtp (buf, seq, 120);
      gsize expected_len = reference_protect (profile, master, buf, len, expected);

      g_assert_true (sotto_srtp_session_protect_rtp (out, buf, &len, sizeof buf, NULL));
      g_assert_cmpmem (buf, len, expected, expected_len);
    }
}

static void
test_round_trip (gconstpointer data)
{
  SottoSrtpProfile profile = GPOINTER_TO_INT (data);
  guint8 buf[1500 + SOTTO_SRTP_MAX_OVERHEAD];
  Pair p;
  gsize len, plain_len;
  guint16 seq;
  g_autoptr(GError) error = NULL;

  make_pair (profile, &p);
  g_assert_cmpint (sotto_srtp_session_get_profile (p.out), ==, profile);

  for (seq = 1; seq <= 50; seq++)
    {
      plain_len = len = make_rtp (buf, seq, 1188);
      g_assert_true (sotto_srtp_session_protect_rtp (p.out, buf, &len, sizeof buf, &error));
      g_assert_no_error (error);
      /* AES-CM appends an 80-bit tag; GCM a 128-bit one. */
      g_assert_cmpuint (len, ==, plain_len + (profile == SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80 ? 10 : 16));
      g_assert_false (contains_run (buf + 12, len - 12, PAYLOAD_BYTE, 8));
      g_assert_cmpint (sotto_srtp_session_unprotect_rtp (p.in, buf, &len), ==, SOTTO_SRTP_OK);
      g_assert_cmpuint (len, ==, plain_len);
      g_assert_true (contains_run (buf + 12, len - 12, PAYLOAD_BYTE, 1188));
    }

  plain_len = len = make_rtcp_rr (buf);
  g_assert_true (sotto_srtp_session_protect_rtcp (p.out, buf, &len, sizeof buf, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, plain_len);
  g_assert_cmpint (sotto_srtp_session_unprotect_rtcp (p.in, buf, &len), ==, SOTTO_SRTP_OK);
  g_assert_cmpuint (len, ==, plain_len);

  g_assert_cmpuint (sotto_srtp_session_get_packets (p.in), ==, 51);
  g_assert_cmpuint (sotto_srtp_session_get_auth_failures (p.in), ==, 0);
  clear_pair (&p);
}

static void
test_tampered (gconstpointer data)
{
  SottoSrtpProfile profile = GPOINTER_TO_INT (data);
  guint8 buf[300 + SOTTO_SRTP_MAX_OVERHEAD];
  Pair p;
  gsize len, i;

  make_pair (profile, &p);
  /* One flipped bit anywhere (header, payload, tag) is refused. */
  for (i = 0; i < 12 + 100 + 10; i += 7)
    {
      len = make_rtp (buf, (guint16) (100 + i), 100);
      g_assert_true (sotto_srtp_session_protect_rtp (p.out, buf, &len, sizeof buf, NULL));
      if (i == 0)
        i = 1;   /* keep the RTP version bits: flip from byte 1 on */
      buf[i] ^= 0x01;
      g_assert_cmpint (sotto_srtp_session_unprotect_rtp (p.in, buf, &len), !=, SOTTO_SRTP_OK);
    }
  g_assert_cmpuint (sotto_srtp_session_get_auth_failures (p.in), >, 10);
  g_assert_cmpuint (sotto_srtp_session_get_packets (p.in), ==, 0);

  len = make_rtcp_rr (buf);
  g_assert_true (sotto_srtp_session_protect_rtcp (p.out, buf, &len, sizeof buf, NULL));
  buf[5] ^= 0x80;
  g_assert_cmpint (sotto_srtp_session_unprotect_rtcp (p.in, buf, &len), ==, SOTTO_SRTP_AUTH_FAILED);
  clear_pair (&p);
}

static void
test_replay (gconstpointer data)
{
  SottoSrtpProfile profile = GPOINTER_TO_INT (data);
  guint8 buf[300 + SOTTO_SRTP_MAX_OVERHEAD], copy[sizeof buf];
  Pair p;
  gsize len, copy_len;

  make_pair (profile, &p);
  len = make_rtp (buf, 7, 100);
  g_assert_true (sotto_srtp_session_protect_rtp (p.out, buf, &len, sizeof buf, NULL));
  memcpy (copy, buf, len);
  copy_len = len;

  g_assert_cmpint (sotto_srtp_session_unprotect_rtp (p.in, buf, &len), ==, SOTTO_SRTP_OK);
  g_assert_cmpint (sotto_srtp_session_unprotect_rtp (p.in, copy, &copy_len), ==, SOTTO_SRTP_REPLAYED);
  g_assert_cmpuint (sotto_srtp_session_get_replays (p.in), ==, 1);

  /* SRTCP too. */
  len = make_rtcp_rr (buf);
  g_assert_true (sotto_srtp_session_protect_rtcp (p.out, buf, &len, sizeof buf, NULL));
  memcpy (copy, buf, len);
  copy_len = len;
  g_assert_cmpint (sotto_srtp_session_unprotect_rtcp (p.in, buf, &len), ==, SOTTO_SRTP_OK);
  g_assert_cmpint (sotto_srtp_session_unprotect_rtcp (p.in, copy, &copy_len), ==, SOTTO_SRTP_REPLAYED);
  g_assert_cmpuint (sotto_srtp_session_get_replays (p.in), ==, 2);
  clear_pair (&p);
}

static void
test_wrong_key (void)
{
  guint8 key_a[30] = { 1 }, key_b[30] = { 2 };
  guint8 buf[200 + SOTTO_SRTP_MAX_OVERHEAD];
  g_autoptr(SottoSrtpSession) out = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_OUTBOUND,
      SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80, key_a, sizeof key_a, NULL);
  g_autoptr(SottoSrtpSession) in = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_INBOUND,
      SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80, key_b, sizeof key_b, NULL);
  gsize len = make_rtp (buf, 1, 100);

  g_assert_true (sotto_srtp_session_protect_rtp (out, buf, &len, sizeof buf, NULL));
  g_assert_cmpint (sotto_srtp_session_unprotect_rtp (in, buf, &len), ==, SOTTO_SRTP_AUTH_FAILED);
}

static void
test_bad_arguments (void)
{
  guint8 key[SOTTO_SRTP_MAX_KEY_SALT_LEN] = { 0 };
  guint8 buf[64];
  gsize len;
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoSrtpSession) out = NULL;
  g_autoptr(SottoSrtpSession) in = NULL;

  g_assert_null (sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_OUTBOUND, SOTTO_SRTP_PROFILE_NONE,
                                         key, 30, &error));
  g_assert_error (error, SOTTO_SRTP_ERROR, SOTTO_SRTP_ERROR_UNSUPPORTED_PROFILE);
  g_clear_error (&error);

  g_assert_null (sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_OUTBOUND, SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM,
                                         key, 30, &error));
  g_assert_error (error, SOTTO_SRTP_ERROR, SOTTO_SRTP_ERROR_BAD_KEY);
  g_clear_error (&error);

  /* No room for the trailer: refused before libsrtp writes past the end. */
  out = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_OUTBOUND, SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80,
                                key, 30, NULL);
  len = make_rtp (buf, 1, 40);
  g_assert_false (sotto_srtp_session_protect_rtp (out, buf, &len, sizeof buf, &error));
  g_assert_error (error, SOTTO_SRTP_ERROR, SOTTO_SRTP_ERROR_BUFFER_TOO_SMALL);

  /* Too short to be SRTP at all. */
  in = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_INBOUND, SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80,
                               key, 30, NULL);
  len = 11;
  g_assert_cmpint (sotto_srtp_session_unprotect_rtp (in, buf, &len), ==, SOTTO_SRTP_MALFORMED);
  len = 7;
  g_assert_cmpint (sotto_srtp_session_unprotect_rtcp (in, buf, &len), ==, SOTTO_SRTP_MALFORMED);
}

static void
test_supported (void)
{
  guint i;

  /* Debian's libsrtp2 2.5 uses NSS: all three must be available there. */
  for (i = 0; i < G_N_ELEMENTS (all_profiles); i++)
    {
      g_test_message ("%s supported: %d", sotto_srtp_profile_to_string (all_profiles[i]),
                      sotto_srtp_profile_is_supported (all_profiles[i]));
      g_assert_true (sotto_srtp_profile_is_supported (all_profiles[i]));
    }
  g_assert_false (sotto_srtp_profile_is_supported (SOTTO_SRTP_PROFILE_NONE));
}

int
main (int argc, char *argv[])
{
  guint i;

  g_test_init (&argc, &argv, NULL);

  for (i = 0; i < G_N_ELEMENTS (all_profiles); i++)
    {
      const char *name = sotto_srtp_profile_to_string (all_profiles[i]);
      g_autofree char *rt = g_strdup_printf ("/sotto/transport/srtp/%s/round-trip", name);
      g_autofree char *tamper = g_strdup_printf ("/sotto/transport/srtp/%s/tampered", name);
      g_autofree char *replay = g_strdup_printf ("/sotto/transport/srtp/%s/replay", name);
      g_autofree char *reference = g_strdup_printf ("/sotto/transport/srtp/%s/matches-reference", name);

      g_test_add_data_func (rt, GINT_TO_POINTER (all_profiles[i]), test_round_trip);
      g_test_add_data_func (tamper, GINT_TO_POINTER (all_profiles[i]), test_tampered);
      g_test_add_data_func (replay, GINT_TO_POINTER (all_profiles[i]), test_replay);
      g_test_add_data_func (reference, GINT_TO_POINTER (all_profiles[i]), test_matches_reference);
    }
  g_test_add_func ("/sotto/transport/srtp/wrong-key", test_wrong_key);
  g_test_add_func ("/sotto/transport/srtp/bad-arguments", test_bad_arguments);
  g_test_add_func ("/sotto/transport/srtp/supported", test_supported);

  return g_test_run ();
}
