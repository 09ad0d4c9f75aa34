/* bench-srtp-send.c: SottoSecureTransport's send path against bare srtp_protect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Protected 1200-byte RTP packets per second per core, for each SRTP
 * profile: through sotto_secure_transport_send_rtp() (gate, copy, protect,
 * hand to the send function) and through libsrtp's srtp_protect() on its own
 * (copy, protect) in the same run. Goal: ratio >= 0.8. Prints figures only.
 *
 * Usage: bench-srtp-send [packets per measurement, default 200000]
 *
 * This benchmark includes <srtp2/srtp.h> for the baseline; Sotto's own code
 * reaches libsrtp only through sotto-srtp-session.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <srtp2/srtp.h>

#include "bench-transport-pair.h"

#define PACKET_LEN 1200
#define ROUNDS     5   /* best of, to shrug off a noisy neighbour */

typedef struct {
  BenchPair *pair;
  guint8     pkt[PACKET_LEN];
  guint16    seq;
  srtp_t     bare;
  guint8     tmpl[PACKET_LEN];
  guint8     buf[PACKET_LEN + SRTP_MAX_TRAILER_LEN + 4];
  guint16    bare_seq;
  guint64    bare_bytes;
} Bench;

static double
round_sotto (Bench *b,
             guint  n)
{
  double t0 = bench_cpu_seconds ();
  guint i;

  for (i = 0; i < n; i++)
    {
      b->seq++;
      b->pkt[2] = b->seq >> 8;
      b->pkt[3] = b->seq & 0xff;
      if (G_UNLIKELY (!sotto_secure_transport_send_rtp (b->pair->t[0], b->pkt, PACKET_LEN)))
        g_error ("send_rtp refused a packet");
    }
  return n / (bench_cpu_seconds () - t0);
}

static double
round_bare (Bench *b,
            guint  n)
{
  double t0 = bench_cpu_seconds ();
  guint i;

  for (i = 0; i < n; i++)
    {
      int len = PACKET_LEN;

      /* The same work as the send path minus Sotto: copy, protect. */
      b->bare_seq++;
      b->tmpl[2] = b->bare_seq >> 8;
      b->tmpl[3] = b->bare_seq & 0xff;
      memcpy (b->buf, b->tmpl, PACKET_LEN);
      if (G_UNLIKELY (srtp_protect (b->bare, b->buf, &len) != srtp_err_status_ok))
        g_error ("srtp_protect failed");
      b->bare_bytes += (guint64) len;
    }
  return n / (bench_cpu_seconds () - t0);
}

static void
measure (SottoSrtpProfile  profile,
         guint             n,
         double           *out_sotto,
         double           *out_bare)
{
  Bench b = { 0 };
  srtp_policy_t policy;
  guint8 key[SOTTO_SRTP_MAX_KEY_SALT_LEN] = { 0x42 };
  guint round;

  memset (&policy, 0, sizeof policy);
  switch (profile)
    {
    case SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy.rtp);
      break;
    case SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM:
      srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy.rtp);
      break;
    case SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM:
    case SOTTO_SRTP_PROFILE_NONE:
    default:
      srtp_crypto_policy_set_aes_gcm_256_16_auth (&policy.rtp);
      break;
    }
  policy.rtcp = policy.rtp;
  policy.ssrc.type = ssrc_any_outbound;
  policy.key = key;
  policy.window_size = 1024;
  g_assert_cmpint (srtp_create (&b.bare, &policy), ==, srtp_err_status_ok);
  b.pair = bench_pair_new (profile);
  bench_make_rtp (b.pkt, 0, 0x1234, PACKET_LEN);
  bench_make_rtp (b.tmpl, 0, 0x1234, PACKET_LEN);

  /* Interleaved rounds, best of each, so warm-up and frequency changes hit
   * both alike. */
  *out_sotto = *out_bare = 0;
  for (round = 0; round < ROUNDS; round++)
    {
      double bare = round_bare (&b, n);
      double sotto = round_sotto (&b, n);

      *out_bare = MAX (*out_bare, bare);
      *out_sotto = MAX (*out_sotto, sotto);
    }
  g_assert_cmpuint (b.pair->sink_bytes, ==, b.bare_bytes);   /* same output size */
  bench_pair_free (b.pair);
  srtp_dealloc (b.bare);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* DTLS handshake + fingerprint check + SRTP key installation, both ends in
 * this thread with no network: the transport's share of call setup. */
static void
bench_setup (void)
{
  double ms[21];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ms); i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      BenchPair *p = bench_pair_new (SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM);

      /* Includes creating both certificates, as a call does. */
      ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
      bench_pair_free (p);
    }
  qsort (ms, G_N_ELEMENTS (ms), sizeof ms[0], (int (*) (const void *, const void *)) compare_doubles);
  printf ("# setup (2 certificates + DTLS handshake + keys, in process): median %.2f ms, max %.2f ms\n",
          ms[G_N_ELEMENTS (ms) / 2], ms[G_N_ELEMENTS (ms) - 1]);
}

int
main (int argc, char *argv[])
{
  static const SottoSrtpProfile profiles[] = {
    SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM,
    SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM,
    SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80,
  };
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 200000;
  guint i;

  /* sotto_srtp_profile_is_supported() runs srtp_init() once. */
  for (i = 0; i < G_N_ELEMENTS (profiles); i++)
    g_assert_true (sotto_srtp_profile_is_supported (profiles[i]));

  bench_setup ();
  printf ("# %s, %u-byte RTP, %u packets x best of %u, packets/s per core (CPU time)\n",
          srtp_get_version_string (), PACKET_LEN, n, ROUNDS);
  printf ("%-24s %14s %14s %8s %12s\n", "profile", "sotto send", "bare protect", "ratio", "Gbit/s sotto");
  for (i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      double sotto, bare;

      measure (profiles[i], n, &sotto, &bare);

      printf ("%-24s %14.0f %14.0f %8.3f %12.2f\n", sotto_srtp_profile_to_string (profiles[i]),
              sotto, bare, sotto / bare, sotto * PACKET_LEN * 8 / 1e9);
    }
  return 0;
}
