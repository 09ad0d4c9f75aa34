/* sotto-secure-transport-rekey.c: periodic in-band rekey of SottoSecureTransport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See the protocol diagram at the top of sotto-secure-transport.c.
 */
#define G_LOG_DOMAIN "sotto-transport"

#include "sotto-secure-transport-private.h"

#include <string.h>
#include <openssl/crypto.h>

#define REKEY_MAGIC          "SOTK"
#define REKEY_HEADER_LEN     (4 + 1 + 4)
#define REKEY_RETRY_MS       250
#define REKEY_OFFER_ATTEMPTS 8     /* 2 s without ACCEPT: the peer does not rekey */
#define REKEY_COMMIT_ATTEMPTS 40   /* 10 s: covers a tunneled handshake under loss */
/* The tunneled handshake's datagrams gain an outer record header, explicit
 * nonce and tag plus our header: keep them inside the path MTU. */
#define REKEY_INNER_MTU      (SOTTO_DTLS_DEFAULT_MTU - 100)

typedef enum {
  REKEY_OFFER = 1,
  REKEY_ACCEPT,
  REKEY_RECORD,
  REKEY_COMMIT,
  REKEY_COMMIT_ACK,
} RekeyMessage;

struct _SottoRekey
{
  SottoSecureTransport *owner;        /* not a reference: owner frees us */
  guint32               generation;   /* key generation this rekey produces */
  gboolean              initiator;
  SottoDtlsCertificate *certificate;
  SottoDtlsTransport   *dtls;         /* tunneled */
  char                 *peer_fingerprint;  /* responder: from OFFER */
  GSource              *retry;
  guint                 attempts;
  gboolean              committed;    /* our tunneled handshake verified, keys installed */
  gboolean              switched;     /* we send with the new keys */
  gboolean              acked;        /* the peer saw our COMMIT */
  SottoSrtpSession     *tx_next;
};

void
sotto_secure_transport_rekey_free (SottoRekey *rekey)
{
  sotto_clear_source (&rekey->retry);
  if (rekey->dtls != NULL)
    {
      g_signal_handlers_disconnect_by_data (rekey->dtls, rekey);
      sotto_dtls_transport_set_send_func (rekey->dtls, NULL, NULL, NULL);
      g_clear_object (&rekey->dtls);
    }
  g_clear_object (&rekey->certificate);
  g_clear_object (&rekey->tx_next);
  g_free (rekey->peer_fingerprint);
  g_free (rekey);
}

static void
send_control (SottoSecureTransport *self,
              RekeyMessage          type,
              guint32               generation,
              const guint8         *body,
              gsize                 body_len)
{
  guint8 msg[REKEY_HEADER_LEN + SOTTO_DTLS_DEFAULT_MTU];
  guint32 be = GUINT32_TO_BE (generation);

  g_return_if_fail (body_len <= SOTTO_DTLS_DEFAULT_MTU);

  if (self->dtls == NULL || sotto_dtls_transport_get_state (self->dtls) != SOTTO_DTLS_STATE_CONNECTED)
    return;

  memcpy (msg, REKEY_MAGIC, 4);
  msg[4] = (guint8) type;
  memcpy (msg + 5, &be, 4);
  if (body_len > 0)
    memcpy (msg + REKEY_HEADER_LEN, body, body_len);
  /* Lost control messages are retried by their sender; errors here mean the
   * association is gone, which the outer transport reports itself. */
  sotto_dtls_transport_send_application_data (self->dtls, msg, REKEY_HEADER_LEN + body_len, NULL);
  OPENSSL_cleanse (msg, sizeof msg);
}

static void
send_fingerprint_message (SottoSecureTransport *self,
                          RekeyMessage          type,
                          SottoRekey                *rekey)
{
  const char *fp = sotto_dtls_certificate_get_fingerprint (rekey->certificate);

  send_control (self, type, rekey->generation, (const guint8 *) fp, strlen (fp));
}

static void
abandon_rekey (SottoSecureTransport *self,
               const char           *why)
{
  /* Once we send with the new keys the peer has confirmed it holds them
   * (its COMMIT): only our confirmation went missing. Count the generation,
   * so both ends number the next rekey alike. */
  if (self->rekey != NULL && self->rekey->switched)
    self->stats.key_generation = self->rekey->generation;

  g_debug ("rekey to generation %u abandoned: %s",
           self->rekey != NULL ? self->rekey->generation : 0, why);
  g_clear_pointer (&self->rekey, sotto_secure_transport_rekey_free);
  sotto_secure_transport_schedule_rekey (self);
}

static void
maybe_finish_rekey (SottoSecureTransport *self)
{
  SottoRekey *rekey = self->rekey;

  if (rekey == NULL || !rekey->committed || !rekey->switched || !rekey->acked)
    return;

  self->stats.key_generation = rekey->generation;
  self->stats.rekey_status = SOTTO_REKEY_STATUS_ACTIVE;
  g_debug ("rekey complete: key generation %u", rekey->generation);
  g_clear_pointer (&self->rekey, sotto_secure_transport_rekey_free);
  sotto_secure_transport_schedule_rekey (self);
}

static void
switch_tx (SottoSecureTransport *self)
{
  SottoRekey *rekey = self->rekey;

  if (rekey->switched || rekey->tx_next == NULL)
    return;
  g_clear_object (&self->tx);
  self->tx = g_steal_pointer (&rekey->tx_next);
  rekey->switched = TRUE;
}

static gboolean
on_rekey_retry (gpointer user_data)
{
  SottoSecureTransport *self = user_data;
  SottoRekey *rekey = self->rekey;

  rekey->attempts++;
  if (!rekey->committed)
    {
      /* Still waiting for ACCEPT (initiator) or for the handshake. */
      if (rekey->initiator && sotto_dtls_transport_get_state (rekey->dtls) == SOTTO_DTLS_STATE_NEW)
        {
          if (rekey->attempts >= REKEY_OFFER_ATTEMPTS)
            {
              if (self->stats.rekey_status == SOTTO_REKEY_STATUS_IDLE)
                self->stats.rekey_status = SOTTO_REKEY_STATUS_UNSUPPORTED;
              g_clear_pointer (&rekey->retry, g_source_unref);
              abandon_rekey (self, "the peer does not answer rekey offers");
              return G_SOURCE_REMOVE;
            }
          send_fingerprint_message (self, REKEY_OFFER, rekey);
        }
      return G_SOURCE_CONTINUE;
    }

  if (!rekey->acked)
    {
      if (rekey->attempts >= REKEY_COMMIT_ATTEMPTS)
        {
          /* Keep sending with whatever keys the peer is known to have. */
          g_clear_pointer (&rekey->retry, g_source_unref);
          abandon_rekey (self, "the peer never confirmed the new keys");
          return G_SOURCE_REMOVE;
        }
      send_control (self, REKEY_COMMIT, rekey->generation, NULL, 0);
      return G_SOURCE_CONTINUE;
    }

  g_clear_pointer (&rekey->retry, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
start_retry (SottoSecureTransport *self)
{
  SottoRekey *rekey = self->rekey;

  sotto_clear_source (&rekey->retry);
  rekey->attempts = 0;
  rekey->retry = g_timeout_source_new (REKEY_RETRY_MS);
  g_source_set_callback (rekey->retry, on_rekey_retry, self, NULL);
  g_source_attach (rekey->retry, self->context);
}

static void
on_inner_send (const guint8 *data,
               gsize         len,
               gpointer      user_data)
{
  SottoRekey *rekey = user_data;

  send_control (rekey->owner, REKEY_RECORD, rekey->generation, data, len);
}

static void
on_inner_failed (SottoDtlsTransport *dtls,
                 const GError       *error,
                 SottoRekey              *rekey)
{
  /* Keys stay as they are; a peer that fails the tunneled handshake (even its
   * fingerprint) cannot have tampered with the media keys in use. */
  abandon_rekey (rekey->owner, error->message);
}

static void
on_inner_connected (SottoDtlsTransport *dtls,
                    SottoRekey              *rekey)
{
  SottoSecureTransport *self = rekey->owner;
  SottoSrtpKeyMaterial km;
  g_autoptr(GError) error = NULL;
  g_autoptr(SottoSrtpSession) rx = NULL;

  if (!sotto_dtls_transport_export_srtp_keys (dtls, &km, &error))
    {
      abandon_rekey (self, error->message);
      return;
    }
  rekey->tx_next = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_OUTBOUND, km.profile,
                                           km.local, km.key_salt_len, &error);
  if (rekey->tx_next != NULL)
    rx = sotto_srtp_session_new (SOTTO_SRTP_DIRECTION_INBOUND, km.profile,
                                 km.remote, km.key_salt_len, &error);
  sotto_srtp_key_material_clear (&km);
  if (rx == NULL)
    {
      abandon_rekey (self, error->message);
      return;
    }

  /* Receive with both until the new context proves itself. */
  g_clear_object (&self->rx_old);
  self->rx_old = g_steal_pointer (&self->rx);
  self->rx = g_steal_pointer (&rx);
  self->stats.srtp_profile = km.profile;
  rekey->committed = TRUE;
  send_control (self, REKEY_COMMIT, rekey->generation, NULL, 0);
  start_retry (self);
}

static SottoRekey *
rekey_new (SottoSecureTransport *self,
           guint32               generation,
           gboolean              initiator,
           GError              **error)
{
  SottoRekey *rekey = g_new0 (SottoRekey, 1);

  rekey->owner = self;
  rekey->generation = generation;
  rekey->initiator = initiator;
  rekey->certificate = sotto_dtls_certificate_new (error);
  if (rekey->certificate == NULL)
    {
      sotto_secure_transport_rekey_free (rekey);
      return NULL;
    }
  rekey->dtls = sotto_dtls_transport_new (rekey->certificate);
  g_object_set (rekey->dtls, "handshake-timeout", self->handshake_timeout_ms, NULL);
  sotto_dtls_transport_set_mtu (rekey->dtls, REKEY_INNER_MTU);
  sotto_dtls_transport_set_srtp_profiles (rekey->dtls, self->profiles, self->n_profiles);
  sotto_dtls_transport_set_send_func (rekey->dtls, on_inner_send, rekey, NULL);
  g_signal_connect (rekey->dtls, "connected", G_CALLBACK (on_inner_connected), rekey);
  g_signal_connect (rekey->dtls, "failed", G_CALLBACK (on_inner_failed), rekey);
  return rekey;
}

static gboolean
on_rekey_timer (gpointer user_data)
{
  SottoSecureTransport *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->rekey_timer, g_source_unref);
  if (self->state != SOTTO_SECURE_TRANSPORT_STATE_CONNECTED || self->rekey != NULL)
    return G_SOURCE_REMOVE;

  self->rekey = rekey_new (self, self->stats.key_generation + 1, TRUE, &error);
  if (self->rekey == NULL)
    {
      g_debug ("cannot rekey: %s", error->message);
      sotto_secure_transport_schedule_rekey (self);
      return G_SOURCE_REMOVE;
    }
  send_fingerprint_message (self, REKEY_OFFER, self->rekey);
  start_retry (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_peer_silent (gpointer user_data)
{
  SottoSecureTransport *self = user_data;

  /* Twice the interval and the client never offered a rekey: it does not
   * take part (a browser, or a Sotto peer with rekeying off). */
  g_clear_pointer (&self->rekey_timer, g_source_unref);
  if (self->rekey == NULL && self->stats.rekey_status == SOTTO_REKEY_STATUS_IDLE)
    self->stats.rekey_status = SOTTO_REKEY_STATUS_UNSUPPORTED;
  return G_SOURCE_REMOVE;
}

void
sotto_secure_transport_schedule_rekey (SottoSecureTransport *self)
{
  guint64 ms = (guint64) self->rekey_interval * 1000;

  sotto_clear_source (&self->rekey_timer);
  if (self->state != SOTTO_SECURE_TRANSPORT_STATE_CONNECTED
      || self->rekey_interval == 0
      || self->rekey != NULL
      || self->stats.rekey_status == SOTTO_REKEY_STATUS_UNSUPPORTED)
    return;

  /* The DTLS client initiates; the server only watches whether it does. */
  if (self->role == SOTTO_DTLS_ROLE_CLIENT)
    self->rekey_timer = g_timeout_source_new ((guint) MIN (ms, G_MAXUINT));
  else if (self->stats.rekey_status == SOTTO_REKEY_STATUS_IDLE)
    self->rekey_timer = g_timeout_source_new ((guint) MIN (2 * ms, G_MAXUINT));
  else
    return;

  g_source_set_callback (self->rekey_timer,
                         self->role == SOTTO_DTLS_ROLE_CLIENT ? on_rekey_timer : on_peer_silent,
                         self, NULL);
  g_source_attach (self->rekey_timer, self->context);
}

static void
handle_offer (SottoSecureTransport *self,
              guint32               generation,
              const char           *fingerprint)
{
  g_autoptr(GError) error = NULL;

  /* A rekey-interval of 0 means this end does not rekey at all. */
  if (self->rekey_interval == 0 || self->role != SOTTO_DTLS_ROLE_SERVER)
    return;

  if (self->rekey != NULL && self->rekey->generation == generation
      && g_strcmp0 (self->rekey->peer_fingerprint, fingerprint) == 0)
    {
      send_fingerprint_message (self, REKEY_ACCEPT, self->rekey);   /* ACCEPT was lost */
      return;
    }
  if (generation != self->stats.key_generation + 1)
    return;
  g_clear_pointer (&self->rekey, sotto_secure_transport_rekey_free);

  self->rekey = rekey_new (self, generation, FALSE, &error);
  if (self->rekey == NULL
      || !sotto_dtls_transport_set_remote_fingerprint (self->rekey->dtls, fingerprint, &error)
      || !sotto_dtls_transport_start (self->rekey->dtls, SOTTO_DTLS_ROLE_SERVER, &error))
    {
      g_clear_pointer (&self->rekey, sotto_secure_transport_rekey_free);
      g_debug ("refusing rekey offer: %s", error->message);
      return;
    }
  self->rekey->peer_fingerprint = g_strdup (fingerprint);
  send_fingerprint_message (self, REKEY_ACCEPT, self->rekey);
}

static void
handle_accept (SottoSecureTransport *self,
               SottoRekey                *rekey,
               const char           *fingerprint)
{
  g_autoptr(GError) error = NULL;

  if (!rekey->initiator || sotto_dtls_transport_get_state (rekey->dtls) != SOTTO_DTLS_STATE_NEW)
    return;

  if (!sotto_dtls_transport_set_remote_fingerprint (rekey->dtls, fingerprint, &error)
      || !sotto_dtls_transport_start (rekey->dtls, SOTTO_DTLS_ROLE_CLIENT, &error))
    {
      abandon_rekey (self, error->message);
      return;
    }
  /* From here on the tunneled DTLS retransmits by itself. */
  sotto_clear_source (&rekey->retry);
}

void
sotto_secure_transport_on_application_data (SottoDtlsTransport   *dtls,
                                            const guint8         *data,
                                            gulong                len,
                                            SottoSecureTransport *self)
{
  guint32 generation;
  RekeyMessage type;
  SottoRekey *rekey;
  g_autofree char *text = NULL;

  /* Anything else (a browser's SCTP, say) is not ours to interpret. */
  if (len < REKEY_HEADER_LEN || memcmp (data, REKEY_MAGIC, 4) != 0)
    return;

  type = data[4];
  memcpy (&generation, data + 5, 4);
  generation = GUINT32_FROM_BE (generation);
  data += REKEY_HEADER_LEN;
  len -= REKEY_HEADER_LEN;

  if (type == REKEY_OFFER || type == REKEY_ACCEPT)
    text = g_strndup ((const char *) data, len);

  if (type == REKEY_OFFER)
    {
      handle_offer (self, generation, text);
      return;
    }

  rekey = self->rekey;
  if (rekey == NULL || rekey->generation != generation)
    {
      /* Our ACK was lost after we finished: confirm again. */
      if (type == REKEY_COMMIT && generation == self->stats.key_generation && generation > 1)
        send_control (self, REKEY_COMMIT_ACK, generation, NULL, 0);
      return;
    }

  switch (type)
    {
    case REKEY_ACCEPT:
      handle_accept (self, rekey, text);
      break;
    case REKEY_RECORD:
      sotto_dtls_transport_receive (rekey->dtls, data, len);
      break;
    case REKEY_COMMIT:
      /* The peer decrypts the new keys now; ignore until we have them too
       * (the peer retries). */
      if (!rekey->committed)
        break;
      switch_tx (self);
      send_control (self, REKEY_COMMIT_ACK, generation, NULL, 0);
      maybe_finish_rekey (self);
      break;
    case REKEY_COMMIT_ACK:
      if (!rekey->committed)
        break;
      rekey->acked = TRUE;
      maybe_finish_rekey (self);
      break;
    case REKEY_OFFER:
    default:
      break;
    }
}

