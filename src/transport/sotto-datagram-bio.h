/* sotto-datagram-bio.h: an OpenSSL BIO that keeps datagram boundaries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <openssl/bio.h>

G_BEGIN_DECLS

/* One BIO_write is one outgoing datagram (queued as GBytes); one BIO_read
 * returns the single incoming datagram the caller put in in_data. A memory
 * BIO would merge a flight's records into one stream and lose the datagram
 * boundaries that keep each record under the path MTU. */
typedef struct {
  const guint8 *in_data;     /* the one datagram OpenSSL may read now, or NULL */
  gsize         in_len;
  GPtrArray    *out_queue;   /* GBytes, written by OpenSSL, sent by the owner */
  guint         mtu;         /* payload bytes per datagram */
} SottoDatagramBio;

BIO_METHOD *sotto_datagram_bio_method_new (void);
/* `io` must outlive the BIO. */
BIO        *sotto_datagram_bio_new        (BIO_METHOD       *method,
                                           SottoDatagramBio *io);

G_END_DECLS
