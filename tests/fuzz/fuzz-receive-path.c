/* fuzz-receive-path.c: libFuzzer target for the secure transport's receive path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything a peer (or anyone on the path) can make us parse: the RFC 7983
 * demultiplexer, DTLS records (during and after the handshake), SRTP/SRTCP
 * unprotect, and Sotto's rekey control messages. The first input byte picks
 * the entry point; the rest is:
 *   0  datagrams (2-byte big-endian length prefixes) into a connected transport
 *   1  one plaintext RTP packet, protected by the peer, then received
 *   2  one plaintext RTCP packet, protected by the peer, then received
 *   3  datagrams into a fresh DTLS server (ClientHello parsing, fragments)
 *   4  one rekey control message, sent by the peer over the verified DTLS
 * Random bytes almost never authenticate, so modes 1, 2 and 4 let the fuzzer
 * reach the code behind the SRTP tag and the DTLS MAC.
 *
 * Two in-process transports are kept between inputs (re-made if an input
 * broke the association); datagrams between them go through a queue pumped
 * here, so no main loop and no timers are involved.
 */
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "sotto-dtls-transport.h"
#include "sotto-secure-transport.h"
#include "sotto-secure-transport-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  SottoSecureTransport *t[2];     /* 0: DTLS client, 1: server (the target) */
  GQueue                queue[2]; /* GBytes waiting for side i */
  SottoDtlsCertificate *server_cert;
  SottoDtlsCertificate *client_cert;
} FuzzState;

static FuzzState state;   /* lives for the process, like libFuzzer's */

static void
send_to_1 (const guint8 *d, gsize n, gpointer user_data)
{
  g_queue_push_tail (&state.queue[1], g_bytes_new (d, n));
}

static void
send_to_0 (const guint8 *d, gsize n, gpointer user_data)
{
  g_queue_push_tail (&state.queue[0], g_bytes_new (d, n));
}

static void
pump (void)
{
  guint rounds;

  for (rounds = 0; rounds < 1000; rounds++)
    {
      GBytes *b;
      guint side;

      if (g_queue_is_empty (&state.queue[0]) && g_queue_is_empty (&state.queue[1]))
        return;
      side = g_queue_is_empty (&state.queue[1]) ? 0 : 1;
      b = g_queue_pop_head (&state.queue[side]);
      sotto_secure_transport_receive_datagram (state.t[side], g_bytes_get_data (b, NULL),
                                               g_bytes_get_size (b));
      g_bytes_unref (b);
    }
}

static void
drop_queues (void)
{
  g_queue_clear_full (&state.queue[0], (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&state.queue[1], (GDestroyNotify) g_bytes_unref);
}

static void
connect_pair (void)
{
  guint i;

  drop_queues ();
  for (i = 0; i < 2; i++)
    g_clear_object (&state.t[i]);

  state.t[0] = sotto_secure_transport_new (send_to_1, NULL, NULL, NULL);
  state.t[1] = sotto_secure_transport_new (send_to_0, NULL, NULL, NULL);
  g_assert_nonnull (state.t[0]);
  g_assert_nonnull (state.t[1]);
  g_assert_true (sotto_secure_transport_start (state.t[1], SOTTO_DTLS_ROLE_SERVER,
                   sotto_secure_transport_get_local_fingerprint (state.t[0]), NULL));
  g_assert_true (sotto_secure_transport_start (state.t[0], SOTTO_DTLS_ROLE_CLIENT,
                   sotto_secure_transport_get_local_fingerprint (state.t[1]), NULL));
  pump ();
  g_assert_cmpint (sotto_secure_transport_get_state (state.t[1]), ==,
                   SOTTO_SECURE_TRANSPORT_STATE_CONNECTED);
}

/* Calls func for each length-prefixed datagram in data. */
static void
for_each_datagram (const guint8 *data,
                   gsize         size,
                   void        (*func) (const guint8 *d, gsize n, gpointer user_data),
                   gpointer      user_data)
{
  guint count = 0;

  while (size >= 2 && count++ < 64)
    {
      gsize n = ((gsize) data[0] << 8) | data[1];

      data += 2;
      size -= 2;
      n = MIN (n, size);
      func (data, n, user_data);
      data += n;
      size -= n;
    }
}

static void
into_transport (const guint8 *d, gsize n, gpointer user_data)
{
  sotto_secure_transport_receive_datagram (state.t[1], d, n);
}

static void
into_dtls (const guint8 *d, gsize n, gpointer user_data)
{
  sotto_dtls_transport_receive (user_data, d, n);
}

static void
discard (const guint8 *d, gsize n, gpointer user_data)
{
}

static void
fuzz_fresh_dtls_server (const guint8 *data,
                        gsize         size)
{
  g_autoptr(SottoDtlsTransport) dtls = sotto_dtls_transport_new (state.server_cert);

  sotto_dtls_transport_set_send_func (dtls, discard, NULL, NULL);
  g_assert_true (sotto_dtls_transport_set_remote_fingerprint (
                   dtls, sotto_dtls_certificate_get_fingerprint (state.client_cert), NULL));
  g_assert_true (sotto_dtls_transport_start (dtls, SOTTO_DTLS_ROLE_SERVER, NULL));
  for_each_datagram (data, size, into_dtls, dtls);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint mode;

  if (state.server_cert == NULL)
    {
      state.server_cert = sotto_dtls_certificate_new (NULL);
      state.client_cert = sotto_dtls_certificate_new (NULL);
    }
  if (state.t[1] == NULL
      || sotto_secure_transport_get_state (state.t[1]) != SOTTO_SECURE_TRANSPORT_STATE_CONNECTED
      || sotto_secure_transport_get_state (state.t[0]) != SOTTO_SECURE_TRANSPORT_STATE_CONNECTED)
    connect_pair ();

  if (size < 1)
    return 0;
  mode = data[0] % 5;
  data++;
  size--;

  switch (mode)
    {
    case 0:
      for_each_datagram (data, size, into_transport, NULL);
      break;
    case 1:
      sotto_secure_transport_send_rtp (state.t[0], data, size);
      break;
    case 2:
      sotto_secure_transport_send_rtcp (state.t[0], data, size);
      break;
    case 3:
      fuzz_fresh_dtls_server (data, size);
      break;
    case 4:
      /* Through the client's verified association, as a peer would. */
      if (size > 0 && size <= 1200)
        sotto_dtls_transport_send_application_data (state.t[0]->dtls, data, size, NULL);
      break;
    default:
      break;
    }
  pump ();
  return 0;
}
