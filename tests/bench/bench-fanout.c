/* bench-fanout.c: one RTP stream encrypted for 1, 4 and 16 subscribers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The media layer encodes once and the transport encrypts per subscriber
 * (one SottoSecureTransport each). Prints CPU time per packet per
 * subscriber for a 1200-byte packet; it should stay flat as subscribers are
 * added (no shared work that grows, no allocation per packet).
 *
 * Usage: bench-fanout [packets, default 50000]
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench-transport-pair.h"

#define PACKET_LEN 1200

static void
run (SottoSrtpProfile profile,
     guint            subscribers,
     guint            n)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_pair_free);
  guint8 pkt[PACKET_LEN];
  guint i, s;
  double t0, cpu;

  for (s = 0; s < subscribers; s++)
    g_ptr_array_add (pairs, bench_pair_new (profile));

  bench_make_rtp (pkt, 0, 0xfeed, PACKET_LEN);
  t0 = bench_cpu_seconds ();
  for (i = 0; i < n; i++)
    {
      guint16 seq = (guint16) (i + 1);

      pkt[2] = seq >> 8;
      pkt[3] = seq & 0xff;
      for (s = 0; s < subscribers; s++)
        {
          BenchPair *p = pairs->pdata[s];

          if (G_UNLIKELY (!sotto_secure_transport_send_rtp (p->t[0], pkt, PACKET_LEN)))
            g_error ("send_rtp refused a packet");
        }
    }
  cpu = bench_cpu_seconds () - t0;

  printf ("%-24s %11u %16.3f %22.0f %14.1f\n", sotto_srtp_profile_to_string (profile),
          subscribers, cpu * 1e6 / n, cpu * 1e9 / ((double) n * subscribers),
          /* A 2.5 Mbit/s video stream at 1200 bytes is ~260 packets/s. */
          100.0 * cpu / n * 260);
}

int
main (int argc, char *argv[])
{
  static const SottoSrtpProfile profiles[] = {
    SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM,
    SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80,
  };
  static const guint fan[] = { 1, 4, 16 };
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 50000;
  guint i, j;

  printf ("# %u packets of %u bytes, CPU time\n", n, PACKET_LEN);
  printf ("%-24s %11s %16s %22s %14s\n", "profile", "subscribers", "us/packet (all)",
          "ns/packet/subscriber", "%core@2.5Mbit/s");
  for (i = 0; i < G_N_ELEMENTS (profiles); i++)
    for (j = 0; j < G_N_ELEMENTS (fan); j++)
      run (profiles[i], fan[j], n);
  return 0;
}
