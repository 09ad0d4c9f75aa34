/* sotto-secure-transport-private.h: shared by the secure transport's .c files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sotto-secure-transport.c: demux, SRTP gating, the wire association.
 * sotto-secure-transport-rekey.c: periodic in-band rekey.
 */
#pragma once

#include "sotto-secure-transport.h"

G_BEGIN_DECLS

typedef struct _SottoRekey SottoRekey;

struct _SottoSecureTransport
{
  GObject                   parent_instance;

  GMainContext             *context;
  SottoDatagramSendFunc     send_func;
  gpointer                  send_data;
  GDestroyNotify            send_destroy;

  SottoDtlsCertificate     *certificate;
  SottoDtlsTransport       *dtls;
  char                     *remote_fingerprint;
  SottoDtlsRole             role;

  SottoSrtpProfile          profiles[3];
  gsize                     n_profiles;
  gboolean                  require_aes_256;
  guint                     rekey_interval;
  guint                     handshake_timeout_ms;
  SottoSecureTransportState state;

  SottoSrtpSession         *tx;
  SottoSrtpSession         *rx;
  SottoSrtpSession         *rx_old;   /* until rx authenticates a packet */

  SottoRekey               *rekey;
  GSource                  *rekey_timer;

  SottoSecureTransportStats stats;

  /* Per-packet work happens in these: no allocation on the media path. */
  guint8                    send_buf[SOTTO_SECURE_TRANSPORT_MAX_PACKET + SOTTO_SRTP_MAX_OVERHEAD];
  guint8                    recv_buf[SOTTO_SECURE_TRANSPORT_MAX_PACKET + SOTTO_SRTP_MAX_OVERHEAD];
};

static inline void
sotto_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void sotto_secure_transport_rekey_free          (SottoRekey           *rekey);
/* Arms the rekey timer if this end initiates rekeys and none is running. */
void sotto_secure_transport_schedule_rekey      (SottoSecureTransport *self);
/* "application-data" of the wire association: rekey control messages. */
void sotto_secure_transport_on_application_data (SottoDtlsTransport   *dtls,
                                                 const guint8         *data,
                                                 gulong                len,
                                                 SottoSecureTransport *self);

G_END_DECLS
