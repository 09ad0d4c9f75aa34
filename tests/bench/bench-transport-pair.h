/* bench-transport-pair.h: two connected secure transports for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The handshake runs through a queue pumped synchronously (no loss, no main
 * loop); afterwards the sender's datagrams only go to a counting sink, so a
 * benchmark measures the send path alone.
 */
#pragma once

#include <time.h>
#include <glib.h>

#include "sotto-secure-transport.h"

typedef struct {
  SottoSecureTransport *t[2];
  GQueue                queue[2];
  gboolean              handshaking;
  guint64               sink_packets;
  guint64               sink_bytes;
} BenchPair;

static void
bench_pair_send (BenchPair    *p,
                 guint         to,
                 const guint8 *d,
                 gsize         n)
{
  if (p->handshaking)
    g_queue_push_tail (&p->queue[to], g_bytes_new (d, n));
  else
    {
      p->sink_packets++;
      p->sink_bytes += n;
    }
}

static void
bench_send_to_1 (const guint8 *d, gsize n, gpointer user_data)
{
  bench_pair_send (user_data, 1, d, n);
}

static void
bench_send_to_0 (const guint8 *d, gsize n, gpointer user_data)
{
  bench_pair_send (user_data, 0, d, n);
}

static BenchPair *
bench_pair_new (SottoSrtpProfile profile)
{
  BenchPair *p = g_new0 (BenchPair, 1);
  guint rounds;

  p->handshaking = TRUE;
  p->t[0] = sotto_secure_transport_new (bench_send_to_1, p, NULL, NULL);
  p->t[1] = sotto_secure_transport_new (bench_send_to_0, p, NULL, NULL);
  g_object_set (p->t[0], "rekey-interval", 0, NULL);
  sotto_secure_transport_set_srtp_profiles (p->t[0], &profile, 1);
  g_assert_true (sotto_secure_transport_start (p->t[1], SOTTO_DTLS_ROLE_SERVER,
                   sotto_secure_transport_get_local_fingerprint (p->t[0]), NULL));
  g_assert_true (sotto_secure_transport_start (p->t[0], SOTTO_DTLS_ROLE_CLIENT,
                   sotto_secure_transport_get_local_fingerprint (p->t[1]), NULL));
  for (rounds = 0; rounds < 1000; rounds++)
    {
      guint side = g_queue_is_empty (&p->queue[1]) ? 0 : 1;
      GBytes *b = g_queue_pop_head (&p->queue[side]);

      if (b == NULL)
        break;
      sotto_secure_transport_receive_datagram (p->t[side], g_bytes_get_data (b, NULL),
                                               g_bytes_get_size (b));
      g_bytes_unref (b);
    }
  g_assert_cmpint (sotto_secure_transport_get_state (p->t[0]), ==,
                   SOTTO_SECURE_TRANSPORT_STATE_CONNECTED);
  p->handshaking = FALSE;
  return p;
}

static void
bench_pair_free (BenchPair *p)
{
  g_queue_clear_full (&p->queue[0], (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&p->queue[1], (GDestroyNotify) g_bytes_unref);
  g_object_unref (p->t[0]);
  g_object_unref (p->t[1]);
  g_free (p);
}

/* CPU seconds of this process (all threads; the benchmarks are single-threaded). */
static double
bench_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static gsize
bench_make_rtp (guint8  *buf,
                guint16  seq,
                guint32  ssrc,
                gsize    total_len)
{
  gsize i;

  buf[0] = 0x80;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  buf[4] = buf[5] = buf[6] = buf[7] = 0;
  buf[8] = ssrc >> 24;
  buf[9] = (ssrc >> 16) & 0xff;
  buf[10] = (ssrc >> 8) & 0xff;
  buf[11] = ssrc & 0xff;
  for (i = 12; i < total_len; i++)
    buf[i] = (guint8) i;
  return total_len;
}
