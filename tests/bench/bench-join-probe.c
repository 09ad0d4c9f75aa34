/* bench-join-probe.c: one lean client timing joins, one at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bench-join-probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define IO_TIMEOUT_S 10

static gboolean
write_all (SSL          *ssl,
           const guint8 *data,
           gsize         len)
{
  return SSL_write (ssl, data, (int) len) == (int) len;
}

/* A masked client text frame. */
static GByteArray *
text_frame (const char *text)
{
  gsize len = strlen (text);
  GByteArray *frame = g_byte_array_sized_new ((guint) len + 14);
  guint8 head[10] = { 0x81 };
  guint8 mask[4];
  guint head_len;

  if (len < 126)
    {
      head[1] = 0x80 | (guint8) len;
      head_len = 2;
    }
  else
    {
      head[1] = 0x80 | 126;
      head[2] = (guint8) (len >> 8);
      head[3] = (guint8) len;
      head_len = 4;
    }
  RAND_bytes (mask, sizeof mask);
  g_byte_array_append (frame, head, head_len);
  g_byte_array_append (frame, mask, sizeof mask);
  for (gsize i = 0; i < len; i++)
    {
      guint8 b = (guint8) text[i] ^ mask[i % 4];

      g_byte_array_append (frame, &b, 1);
    }
  return frame;
}

/* Reads the 101 response, sends `join`, then reads until the server's
 * first text frame mentioning "welcome"; FALSE on anything else (a
 * refusal, an error, a close). */
static gboolean
join_and_read_welcome (SSL        *ssl,
                       GByteArray *join)
{
  g_autoptr (GByteArray) in = g_byte_array_new ();
  gboolean upgraded = FALSE;

  for (;;)
    {
      guint8 chunk[4096];
      int n = SSL_read (ssl, chunk, sizeof chunk);

      if (n <= 0)
        return FALSE;
      g_byte_array_append (in, chunk, (guint) n);
      if (!upgraded)
        {
          const char *end = g_strstr_len ((const char *) in->data, in->len, "\r\n\r\n");

          if (end == NULL)
            continue;
          if (strncmp ((const char *) in->data, "HTTP/1.1 101", 12) != 0)
            return FALSE;
          g_byte_array_remove_range (in, 0, (guint) (end + 4 - (const char *) in->data));
          upgraded = TRUE;
          if (!write_all (ssl, join->data, join->len))
            return FALSE;
        }
      while (in->len >= 2)
        {
          guint64 len = in->data[1] & 0x7f;
          guint head_len = 2;

          if (len == 126)
            {
              if (in->len < 4)
                break;
              len = ((guint64) in->data[2] << 8) | in->data[3];
              head_len = 4;
            }
          else if (len == 127)
            {
              if (in->len < 10)
                break;
              len = 0;
              for (int i = 0; i < 8; i++)
                len = (len << 8) | in->data[2 + i];
              head_len = 10;
            }
          if (in->len < head_len + len)
            break;
          if ((in->data[0] & 0x0f) == 0x1)
            return g_strstr_len ((const char *) in->data + head_len, (gssize) len,
                                 "\"welcome\"") != NULL;
          if ((in->data[0] & 0x0f) == 0x8)
            return FALSE;
          g_byte_array_remove_range (in, 0, head_len + (guint) len);
        }
    }
}

static gboolean
join_once (SSL_CTX    *ctx,
           guint16     port,
           const char *token)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (port) };
  struct timeval timeout = { .tv_sec = IO_TIMEOUT_S };
  g_autofree char *request = NULL;
  g_autofree char *join = NULL;
  g_autoptr (GByteArray) frame = NULL;
  guint8 key[16];
  g_autofree char *key64 = NULL;
  static const guint8 close_frame[] = { 0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8 };
  gboolean ok = FALSE;
  SSL *ssl = NULL;
  int one = 1;
  int fd;

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect (fd, (struct sockaddr *) &address, sizeof address) < 0)
    goto out;
  ssl = SSL_new (ctx);
  SSL_set_fd (ssl, fd);
  if (SSL_connect (ssl) != 1)
    goto out;

  RAND_bytes (key, sizeof key);
  key64 = g_base64_encode (key, sizeof key);
  request = g_strdup_printf ("GET /v1/signal HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n", port, key64);
  if (!write_all (ssl, (const guint8 *) request, strlen (request)))
    goto out;
  join = g_strdup_printf ("{\"type\":\"join\",\"token\":\"%s\"}", token);
  frame = text_frame (join);
  ok = join_and_read_welcome (ssl, frame);
  write_all (ssl, close_frame, sizeof close_frame);

out:
  if (ssl != NULL)
    SSL_free (ssl);
  close (fd);
  return ok;
}

guint
bench_join_probe_run (guint16    port,
                      GPtrArray *tokens,
                      double     budget_s,
                      GArray    *join_ms)
{
  SSL_CTX *ctx = SSL_CTX_new (TLS_client_method ());
  gint64 deadline = g_get_monotonic_time () + (gint64) (budget_s * G_USEC_PER_SEC);
  guint failed = 0;

  /* Sotto's clients pin the server key rather than trust a CA; checking a
   * hash of the key is microseconds, so the probe leaves it out. */
  SSL_CTX_set_verify (ctx, SSL_VERIFY_NONE, NULL);
  for (guint i = 0; i < tokens->len && g_get_monotonic_time () < deadline; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (join_once (ctx, port, g_ptr_array_index (tokens, i)))
        {
          double ms = (g_get_monotonic_time () - start) / 1000.0;

          g_array_append_val (join_ms, ms);
        }
      else
        failed++;
    }
  SSL_CTX_free (ctx);
  return failed;
}
