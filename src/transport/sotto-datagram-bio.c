/* sotto-datagram-bio.c: an OpenSSL BIO that keeps datagram boundaries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-datagram-bio.h"

#include <string.h>

static int
bio_write (BIO        *bio,
           const char *data,
           int         len)
{
  SottoDatagramBio *io = BIO_get_data (bio);

  BIO_clear_retry_flags (bio);
  if (len <= 0)
    return 0;
  g_ptr_array_add (io->out_queue, g_bytes_new (data, (gsize) len));
  return len;
}

static int
bio_read (BIO  *bio,
          char *out,
          int   len)
{
  SottoDatagramBio *io = BIO_get_data (bio);
  gsize n;

  BIO_clear_retry_flags (bio);
  if (io->in_data == NULL || len <= 0)
    {
      BIO_set_retry_read (bio);
      return -1;
    }

  /* A datagram is read whole or its tail is lost, as with a UDP socket. */
  n = MIN ((gsize) len, io->in_len);
  memcpy (out, io->in_data, n);
  io->in_data = NULL;
  io->in_len = 0;
  return (int) n;
}

static long
bio_ctrl (BIO  *bio,
          int   cmd,
          long  num,
          void *ptr)
{
  SottoDatagramBio *io = BIO_get_data (bio);

  switch (cmd)
    {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return io->in_data != NULL ? (long) io->in_len : 0;
    case BIO_CTRL_WPENDING:
      return 0;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return io->mtu;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      /* The MTU we are given is already the payload size of one datagram. */
      return 0;
    default:
      return 0;
    }
}

static int
bio_create (BIO *bio)
{
  BIO_set_init (bio, 1);
  return 1;
}

BIO_METHOD *
sotto_datagram_bio_method_new (void)
{
  BIO_METHOD *method = BIO_meth_new (BIO_get_new_index () | BIO_TYPE_SOURCE_SINK, "sotto-datagram");

  if (method == NULL
      || BIO_meth_set_write (method, bio_write) != 1
      || BIO_meth_set_read (method, bio_read) != 1
      || BIO_meth_set_ctrl (method, bio_ctrl) != 1
      || BIO_meth_set_create (method, bio_create) != 1)
    {
      BIO_meth_free (method);
      return NULL;
    }
  return method;
}

BIO *
sotto_datagram_bio_new (BIO_METHOD       *method,
                        SottoDatagramBio *io)
{
  BIO *bio = BIO_new (method);

  if (bio != NULL)
    BIO_set_data (bio, io);
  return bio;
}
