/* sotto-dtls-transport.c: DTLS 1.2 for DTLS-SRTP, independent of its transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transport is fed datagrams with receive() and hands datagrams to a send
 * function; it never sees a socket. OpenSSL talks to it through a small
 * datagram BIO (sotto-datagram-bio.c: one write or read = one datagram)
 * because a memory BIO would merge the records of a flight into a stream and
 * lose the datagram boundaries that keep each one under the path MTU.
 *
 *     receive(datagram) ──► [bio read] ──► SSL ──► [bio write] ──► queue ──► send_func
 *                                           │
 *                     timers (GSource on the caller's GMainContext)
 *
 * Outgoing datagrams are queued while OpenSSL runs and sent after it returns,
 * so a send function that loops back into a peer in the same process cannot
 * re-enter OpenSSL.
 */
#define G_LOG_DOMAIN "sotto-dtls"

#include "sotto-dtls-transport.h"
#include "sotto-datagram-bio.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

/* RFC 6347 suggests 1 s; a call should not wait that long for a lost packet
 * on a path whose round trip is tens of milliseconds. Doubles per retry. */
#define INITIAL_RETRANSMIT_US  150000
#define MAX_RETRANSMIT_US     3000000

/* Forward-secret AEAD suites only; ECDSA for our certificates, RSA for peers
 * (and tests) with RSA certificates. */
#define DTLS_CIPHERS \
  "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" \
  "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:" \
  "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305"
#define DTLS_GROUPS "X25519:P-256:P-384"

/* A browser's ClientHello is two datagrams; a few retransmissions fit too. */
#define EARLY_MAX_DATAGRAMS 8
#define EARLY_MAX_BYTES     (8 * 1500)

/* RFC 5764, section 4.2: the exporter label for DTLS-SRTP. */
#define SRTP_EXPORTER_LABEL "EXTRACTOR-dtls_srtp"

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_STATE,
  PROP_ROLE,
  PROP_HANDSHAKE_TIMEOUT,
  N_PROPS
};

enum {
  SIGNAL_CONNECTED,
  SIGNAL_FAILED,
  SIGNAL_APPLICATION_DATA,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

struct _SottoDtlsTransport
{
  GObject               parent_instance;

  SottoDtlsCertificate *certificate;
  GMainContext         *context;

  SottoDtlsRole         role;
  SottoDtlsState        state;
  guint                 mtu;
  guint                 handshake_timeout_ms;
  SottoSrtpProfile      profiles[3];
  gsize                 n_profiles;
  SottoSrtpProfile      srtp_profile;

  SSL_CTX              *ssl_ctx;
  SSL                  *ssl;
  BIO_METHOD           *bio_method;

  SottoDatagramBio      io;            /* what OpenSSL reads and writes */
  GPtrArray            *early;         /* GBytes received before start() */
  gsize                 early_bytes;

  SottoDatagramSendFunc send_func;
  gpointer              send_data;
  GDestroyNotify        send_destroy;

  gboolean              have_remote_fingerprint;
  const EVP_MD         *remote_md;
  guint8                remote_digest[SOTTO_DTLS_FINGERPRINT_MAX_DIGEST];
  gsize                 remote_digest_len;

  GSource              *retransmit_source;
  GSource              *timeout_source;
};

G_DEFINE_FINAL_TYPE (SottoDtlsTransport, sotto_dtls_transport, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SottoDtlsRole, sotto_dtls_role,
  G_DEFINE_ENUM_VALUE (SOTTO_DTLS_ROLE_CLIENT, "client"),
  G_DEFINE_ENUM_VALUE (SOTTO_DTLS_ROLE_SERVER, "server"))

G_DEFINE_ENUM_TYPE (SottoDtlsState, sotto_dtls_state,
  G_DEFINE_ENUM_VALUE (SOTTO_DTLS_STATE_NEW, "new"),
  G_DEFINE_ENUM_VALUE (SOTTO_DTLS_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (SOTTO_DTLS_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (SOTTO_DTLS_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (SOTTO_DTLS_STATE_CLOSED, "closed"))

static void drive (SottoDtlsTransport *self);

/* ---- timers ------------------------------------------------------------ */

static unsigned int
on_dtls_timer (SSL          *ssl,
               unsigned int  timer_us)
{
  if (timer_us == 0)
    return INITIAL_RETRANSMIT_US;
  return MIN (timer_us * 2, MAX_RETRANSMIT_US);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
fail (SottoDtlsTransport *self,
      GError             *error)
{
  g_autoptr(GError) owned = error;
  g_autoptr(SottoDtlsTransport) keep = NULL;

  if (self->state == SOTTO_DTLS_STATE_FAILED || self->state == SOTTO_DTLS_STATE_CLOSED)
    return;

  /* A "failed" handler may drop the last reference. */
  keep = g_object_ref (self);
  g_debug ("DTLS failed: %s", error->message);
  clear_source (&self->retransmit_source);
  clear_source (&self->timeout_source);
  self->state = SOTTO_DTLS_STATE_FAILED;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, owned);
}

static void
flush_out_queue (SottoDtlsTransport *self)
{
  g_autoptr(GPtrArray) queue = NULL;
  guint i;

  if (self->io.out_queue->len == 0)
    return;

  /* Steal first: the send function may lead back into receive(). */
  queue = g_steal_pointer (&self->io.out_queue);
  self->io.out_queue = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (i = 0; i < queue->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (queue->pdata[i], &len);

      if (self->send_func != NULL)
        self->send_func (data, len, self->send_data);
    }
}

static gboolean on_retransmit_timeout (gpointer user_data);

static void
schedule_retransmit (SottoDtlsTransport *self)
{
  struct timeval tv = { 0, 0 };
  guint ms;

  clear_source (&self->retransmit_source);
  if (self->ssl == NULL || self->state != SOTTO_DTLS_STATE_CONNECTING)
    return;
  if (DTLSv1_get_timeout (self->ssl, &tv) != 1)
    return;

  ms = (guint) (tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
  self->retransmit_source = g_timeout_source_new (ms);
  g_source_set_callback (self->retransmit_source, on_retransmit_timeout, self, NULL);
  g_source_attach (self->retransmit_source, self->context);
}

static gboolean
on_retransmit_timeout (gpointer user_data)
{
  SottoDtlsTransport *self = user_data;

  g_clear_pointer (&self->retransmit_source, g_source_unref);

  ERR_clear_error ();
  if (DTLSv1_handle_timeout (self->ssl) < 0)
    {
      flush_out_queue (self);
      fail (self, g_error_new (SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_HANDSHAKE_TIMEOUT,
                               "The DTLS peer stopped answering; check that the "
                               "path between the two ends carries UDP"));
      return G_SOURCE_REMOVE;
    }
  flush_out_queue (self);
  schedule_retransmit (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_handshake_timeout (gpointer user_data)
{
  SottoDtlsTransport *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  fail (self, g_error_new (SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_HANDSHAKE_TIMEOUT,
                           "The DTLS handshake did not complete within %u ms; "
                           "the peer may be unreachable or use the same setup role",
                           self->handshake_timeout_ms));
  return G_SOURCE_REMOVE;
}

/* ---- handshake --------------------------------------------------------- */

static int
on_verify (int             preverify_ok,
           X509_STORE_CTX *store)
{
  /* Every WebRTC certificate is self-signed: chain validation means nothing
   * here. The peer is authenticated by comparing its certificate with the
   * fingerprint from the signaled SDP once the handshake is done. */
  return 1;
}

static SottoSrtpProfile
profile_from_openssl_id (unsigned long id)
{
  switch (id)
    {
    case SRTP_AES128_CM_SHA1_80: return SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80;
    case SRTP_AEAD_AES_128_GCM:  return SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM;
    case SRTP_AEAD_AES_256_GCM:  return SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM;
    default:                     return SOTTO_SRTP_PROFILE_NONE;
    }
}

static GError *
openssl_error (int         code,
               const char *what)
{
  char buf[256] = "";
  unsigned long e = ERR_peek_last_error ();

  if (e != 0)
    ERR_error_string_n (e, buf, sizeof buf);
  ERR_clear_error ();
  return g_error_new (SOTTO_DTLS_ERROR, code, "%s%s%s", what, *buf ? ": " : "", buf);
}

static void
on_handshake_done (SottoDtlsTransport *self)
{
  X509 *peer = SSL_get0_peer_certificate (self->ssl);
  const SRTP_PROTECTION_PROFILE *selected;
  SottoSrtpProfile profile;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  gboolean offered = FALSE;
  gsize i;

  if (peer == NULL)
    {
      fail (self, g_error_new (SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_NO_PEER_CERTIFICATE,
                               "The DTLS peer presented no certificate"));
      return;
    }

  /* The only thing that authenticates the peer: its certificate must be the
   * one the signaled SDP named. No key leaves OpenSSL before this check. */
  if (!self->have_remote_fingerprint)
    {
      fail (self, g_error_new (SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISSING,
                               "No remote DTLS fingerprint was signaled; "
                               "refusing an unauthenticated peer"));
      return;
    }

  if (X509_digest (peer, self->remote_md, digest, &digest_len) != 1
      || digest_len != self->remote_digest_len
      || CRYPTO_memcmp (digest, self->remote_digest, digest_len) != 0)
    {
      fail (self, g_error_new (SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_FINGERPRINT_MISMATCH,
                               "The peer's DTLS certificate does not match the signaled "
                               "fingerprint; someone may be intercepting the call"));
      return;
    }

  selected = SSL_get_selected_srtp_profile (self->ssl);
  profile = selected != NULL ? profile_from_openssl_id (selected->id) : SOTTO_SRTP_PROFILE_NONE;
  for (i = 0; i < self->n_profiles; i++)
    offered |= (self->profiles[i] == profile);
  if (profile == SOTTO_SRTP_PROFILE_NONE || !offered)
    {
      fail (self, g_error_new (SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_NO_SRTP_PROFILE,
                               "The DTLS peer agreed on no SRTP protection profile we allow"));
      return;
    }

  self->srtp_profile = profile;
  clear_source (&self->timeout_source);
  clear_source (&self->retransmit_source);
  self->state = SOTTO_DTLS_STATE_CONNECTED;
  g_debug ("DTLS connected as %s, %s, %s",
           self->role == SOTTO_DTLS_ROLE_CLIENT ? "client" : "server",
           SSL_get_version (self->ssl), sotto_srtp_profile_to_string (profile));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0);
}

static void
read_application_data (SottoDtlsTransport *self)
{
  /* One record at most: DTLS records are ≤ 16 KiB, ours < MTU. */
  guint8 buf[16384 + 256];

  while (self->state == SOTTO_DTLS_STATE_CONNECTED)
    {
      int n, err;

      ERR_clear_error ();
      n = SSL_read (self->ssl, buf, sizeof buf);
      if (n > 0)
        {
          g_signal_emit (self, signals[SIGNAL_APPLICATION_DATA], 0, buf, (gulong) n);
          continue;
        }

      err = SSL_get_error (self->ssl, n);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
        break;
      if (err == SSL_ERROR_ZERO_RETURN)
        {
          /* Answer close_notify with ours, so the peer need not wait. */
          ERR_clear_error ();
          SSL_shutdown (self->ssl);
          ERR_clear_error ();
          clear_source (&self->retransmit_source);
          self->state = SOTTO_DTLS_STATE_CLOSED;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
          break;
        }
      fail (self, openssl_error (SOTTO_DTLS_ERROR_HANDSHAKE_FAILED,
                                 "The DTLS association broke down"));
      break;
    }
  OPENSSL_cleanse (buf, sizeof buf);
}

static void
drive (SottoDtlsTransport *self)
{
  if (self->state == SOTTO_DTLS_STATE_CONNECTING)
    {
      int ret, err;

      ERR_clear_error ();
      ret = SSL_do_handshake (self->ssl);
      if (ret == 1)
        {
          flush_out_queue (self);
          on_handshake_done (self);
        }
      else
        {
          err = SSL_get_error (self->ssl, ret);
          if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
            {
              flush_out_queue (self);   /* the alert, if OpenSSL wrote one */
              fail (self, openssl_error (SOTTO_DTLS_ERROR_HANDSHAKE_FAILED,
                                         "The DTLS handshake failed"));
              return;
            }
        }
    }

  /* Records after the Finished in the same datagram, or later datagrams. */
  if (self->state == SOTTO_DTLS_STATE_CONNECTED)
    read_application_data (self);

  flush_out_queue (self);
  schedule_retransmit (self);
}

/* ---- GObject ----------------------------------------------------------- */

static void
sotto_dtls_transport_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SottoDtlsTransport *self = SOTTO_DTLS_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_HANDSHAKE_TIMEOUT:
      g_value_set_uint (value, self->handshake_timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_dtls_transport_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SottoDtlsTransport *self = SOTTO_DTLS_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      self->certificate = g_value_dup_object (value);
      break;
    case PROP_HANDSHAKE_TIMEOUT:
      self->handshake_timeout_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_dtls_transport_dispose (GObject *object)
{
  SottoDtlsTransport *self = SOTTO_DTLS_TRANSPORT (object);

  clear_source (&self->retransmit_source);
  clear_source (&self->timeout_source);
  if (self->send_destroy != NULL)
    self->send_destroy (self->send_data);
  self->send_func = NULL;
  self->send_data = NULL;
  self->send_destroy = NULL;

  G_OBJECT_CLASS (sotto_dtls_transport_parent_class)->dispose (object);
}

static void
sotto_dtls_transport_finalize (GObject *object)
{
  SottoDtlsTransport *self = SOTTO_DTLS_TRANSPORT (object);

  g_clear_pointer (&self->ssl, SSL_free);   /* frees the BIO and wipes key schedules */
  g_clear_pointer (&self->ssl_ctx, SSL_CTX_free);
  g_clear_pointer (&self->bio_method, BIO_meth_free);
  g_clear_pointer (&self->io.out_queue, g_ptr_array_unref);
  g_clear_pointer (&self->early, g_ptr_array_unref);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->context, g_main_context_unref);
  OPENSSL_cleanse (self->remote_digest, sizeof self->remote_digest);

  G_OBJECT_CLASS (sotto_dtls_transport_parent_class)->finalize (object);
}

static void
sotto_dtls_transport_class_init (SottoDtlsTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_dtls_transport_get_property;
  object_class->set_property = sotto_dtls_transport_set_property;
  object_class->dispose = sotto_dtls_transport_dispose;
  object_class->finalize = sotto_dtls_transport_finalize;

  properties[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL, SOTTO_TYPE_DTLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SOTTO_TYPE_DTLS_STATE, SOTTO_DTLS_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, SOTTO_TYPE_DTLS_ROLE, SOTTO_DTLS_ROLE_CLIENT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Milliseconds from start() to a verified handshake before "failed". */
  properties[PROP_HANDSHAKE_TIMEOUT] =
    g_param_spec_uint ("handshake-timeout", NULL, NULL, 1, G_MAXUINT,
                       SOTTO_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Handshake complete and the peer's certificate matches its fingerprint. */
  signals[SIGNAL_CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* (const guint8 *data, gulong len): valid only during emission. */
  signals[SIGNAL_APPLICATION_DATA] =
    g_signal_new ("application-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ULONG);
}

static void
sotto_dtls_transport_init (SottoDtlsTransport *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->io.out_queue = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->early = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->io.mtu = SOTTO_DTLS_DEFAULT_MTU;
  self->handshake_timeout_ms = SOTTO_DTLS_DEFAULT_HANDSHAKE_TIMEOUT_MS;
  sotto_dtls_transport_set_srtp_profiles (self, NULL, 0);
}

/* ---- public ------------------------------------------------------------ */

SottoDtlsTransport *
sotto_dtls_transport_new (SottoDtlsCertificate *certificate)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_CERTIFICATE (certificate), NULL);

  return g_object_new (SOTTO_TYPE_DTLS_TRANSPORT, "certificate", certificate, NULL);
}

void
sotto_dtls_transport_set_send_func (SottoDtlsTransport    *self,
                                    SottoDatagramSendFunc  func,
                                    gpointer               user_data,
                                    GDestroyNotify         destroy)
{
  g_return_if_fail (SOTTO_IS_DTLS_TRANSPORT (self));

  if (self->send_destroy != NULL)
    self->send_destroy (self->send_data);
  self->send_func = func;
  self->send_data = user_data;
  self->send_destroy = destroy;
}

void
sotto_dtls_transport_set_srtp_profiles (SottoDtlsTransport     *self,
                                        const SottoSrtpProfile *profiles,
                                        gsize                   n_profiles)
{
  static const SottoSrtpProfile defaults[] = {
    SOTTO_SRTP_PROFILE_AEAD_AES_256_GCM,
    SOTTO_SRTP_PROFILE_AEAD_AES_128_GCM,
    SOTTO_SRTP_PROFILE_AES128_CM_SHA1_80,
  };
  gsize i;

  g_return_if_fail (SOTTO_IS_DTLS_TRANSPORT (self));
  g_return_if_fail (self->state == SOTTO_DTLS_STATE_NEW);

  if (profiles == NULL || n_profiles == 0)
    {
      profiles = defaults;
      n_profiles = G_N_ELEMENTS (defaults);
    }

  /* Only what libsrtp can actually run, each once, never NULL. */
  self->n_profiles = 0;
  for (i = 0; i < n_profiles && self->n_profiles < G_N_ELEMENTS (self->profiles); i++)
    {
      gsize j;
      gboolean dup = FALSE;

      for (j = 0; j < self->n_profiles; j++)
        dup |= (self->profiles[j] == profiles[i]);
      if (!dup && sotto_srtp_profile_is_supported (profiles[i]))
        self->profiles[self->n_profiles++] = profiles[i];
    }
}

void
sotto_dtls_transport_set_mtu (SottoDtlsTransport *self,
                              guint               mtu)
{
  g_return_if_fail (SOTTO_IS_DTLS_TRANSPORT (self));
  g_return_if_fail (self->state == SOTTO_DTLS_STATE_NEW);
  g_return_if_fail (mtu >= 256);

  self->io.mtu = mtu;
}

gboolean
sotto_dtls_transport_set_remote_fingerprint (SottoDtlsTransport *self,
                                             const char         *fingerprint,
                                             GError            **error)
{
  const EVP_MD *md = NULL;
  guint8 digest[SOTTO_DTLS_FINGERPRINT_MAX_DIGEST];
  gsize len = 0;

  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), FALSE);

  if (self->state == SOTTO_DTLS_STATE_CONNECTED)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_INVALID_STATE,
                   "The DTLS peer was already verified; its fingerprint cannot change");
      return FALSE;
    }

  if (!sotto_dtls_fingerprint_parse (fingerprint, &md, digest, &len, error))
    return FALSE;

  memcpy (self->remote_digest, digest, len);
  self->remote_digest_len = len;
  self->remote_md = md;
  self->have_remote_fingerprint = TRUE;
  return TRUE;
}

static gboolean
setup_ssl (SottoDtlsTransport *self,
           GError            **error)
{
  g_autoptr(GString) profiles = g_string_new (NULL);
  BIO *bio;
  gsize i;

  if (self->n_profiles == 0)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_NO_SRTP_PROFILE,
                   "None of the requested SRTP profiles is supported by libsrtp");
      return FALSE;
    }
  for (i = 0; i < self->n_profiles; i++)
    g_string_append_printf (profiles, "%s%s", i ? ":" : "",
                            sotto_srtp_profile_to_string (self->profiles[i]));

  ERR_clear_error ();
  self->ssl_ctx = SSL_CTX_new (DTLS_method ());
  if (self->ssl_ctx == NULL)
    goto openssl_failed;

  /* A browser may offer DTLS 1.3 alongside 1.2 (and a post-quantum key share
   * for 1.3): pinning both bounds makes OpenSSL answer with 1.2 and ignore
   * the 1.3-only extensions. */
  if (SSL_CTX_set_min_proto_version (self->ssl_ctx, DTLS1_2_VERSION) != 1
      || SSL_CTX_set_max_proto_version (self->ssl_ctx, DTLS1_2_VERSION) != 1
      || SSL_CTX_use_certificate (self->ssl_ctx,
                                  sotto_dtls_certificate_get_x509 (self->certificate)) != 1
      || SSL_CTX_use_PrivateKey (self->ssl_ctx,
                                 sotto_dtls_certificate_get_private_key (self->certificate)) != 1
      || SSL_CTX_check_private_key (self->ssl_ctx) != 1
      || SSL_CTX_set_cipher_list (self->ssl_ctx, DTLS_CIPHERS) != 1
      || SSL_CTX_set1_groups_list (self->ssl_ctx, DTLS_GROUPS) != 1
      /* Unlike everything else here, 0 means success. */
      || SSL_CTX_set_tlsext_use_srtp (self->ssl_ctx, profiles->str) != 0)
    goto openssl_failed;

  /* Request the peer's certificate in both roles (a server that does not ask
   * would leave the client unauthenticated); verify_cb defers to the
   * fingerprint check. No renegotiation: rekeying is a new handshake. No
   * MTU probing: the link MTU is ours to set. */
  SSL_CTX_set_verify (self->ssl_ctx,
                      SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, on_verify);
  SSL_CTX_set_options (self->ssl_ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET
                                      | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode (self->ssl_ctx, SSL_SESS_CACHE_OFF);

  self->ssl = SSL_new (self->ssl_ctx);
  if (self->ssl == NULL)
    goto openssl_failed;

  self->bio_method = sotto_datagram_bio_method_new ();
  bio = self->bio_method != NULL ? sotto_datagram_bio_new (self->bio_method, &self->io) : NULL;
  if (bio == NULL)
    goto openssl_failed;
  SSL_set_bio (self->ssl, bio, bio);   /* takes the one reference */

  if (DTLS_set_link_mtu (self->ssl, self->io.mtu) != 1)
    goto openssl_failed;
  DTLS_set_timer_cb (self->ssl, on_dtls_timer);

  if (self->role == SOTTO_DTLS_ROLE_CLIENT)
    SSL_set_connect_state (self->ssl);
  else
    SSL_set_accept_state (self->ssl);

  return TRUE;

openssl_failed:
  {
    GError *e = openssl_error (SOTTO_DTLS_ERROR_HANDSHAKE_FAILED,
                               "Could not set up DTLS");
    g_propagate_error (error, e);
    return FALSE;
  }
}

gboolean
sotto_dtls_transport_start (SottoDtlsTransport *self,
                            SottoDtlsRole       role,
                            GError            **error)
{
  g_autoptr(SottoDtlsTransport) keep = NULL;

  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), FALSE);

  if (self->state != SOTTO_DTLS_STATE_NEW)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_INVALID_STATE,
                   "The DTLS transport was already started");
      return FALSE;
    }

  self->role = role;
  if (!setup_ssl (self, error))
    return FALSE;

  self->state = SOTTO_DTLS_STATE_CONNECTING;
  self->timeout_source = g_timeout_source_new (self->handshake_timeout_ms);
  g_source_set_callback (self->timeout_source, on_handshake_timeout, self, NULL);
  g_source_attach (self->timeout_source, self->context);

  keep = g_object_ref (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  /* The client speaks first; the server only arms its state machine, then
   * reads what the client sent before start(). */
  if (role == SOTTO_DTLS_ROLE_CLIENT)
    drive (self);
  else
    {
      g_autoptr(GPtrArray) early = g_steal_pointer (&self->early);
      guint i;

      self->early = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      for (i = 0; i < early->len; i++)
        sotto_dtls_transport_receive (self, g_bytes_get_data (early->pdata[i], NULL),
                                      g_bytes_get_size (early->pdata[i]));
    }
  g_ptr_array_set_size (self->early, 0);
  self->early_bytes = 0;
  return TRUE;
}

void
sotto_dtls_transport_receive (SottoDtlsTransport *self,
                              const guint8       *data,
                              gsize               len)
{
  g_autoptr(SottoDtlsTransport) keep = NULL;

  g_return_if_fail (SOTTO_IS_DTLS_TRANSPORT (self));

  if (data == NULL || len == 0)
    return;

  /* A peer's ClientHello can arrive before our side has applied the remote
   * description and called start(). Keeping the first few datagrams saves
   * waiting for the peer's retransmission (up to a second with browsers). */
  if (self->state == SOTTO_DTLS_STATE_NEW)
    {
      if (self->early->len < EARLY_MAX_DATAGRAMS && self->early_bytes + len <= EARLY_MAX_BYTES)
        {
          g_ptr_array_add (self->early, g_bytes_new (data, len));
          self->early_bytes += len;
        }
      return;
    }
  if (self->state != SOTTO_DTLS_STATE_CONNECTING && self->state != SOTTO_DTLS_STATE_CONNECTED)
    return;

  keep = g_object_ref (self);
  self->io.in_data = data;
  self->io.in_len = len;
  drive (self);
  self->io.in_data = NULL;
  self->io.in_len = 0;
}

gboolean
sotto_dtls_transport_send_application_data (SottoDtlsTransport *self,
                                            const guint8       *data,
                                            gsize               len,
                                            GError            **error)
{
  int n;

  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), FALSE);

  if (self->state != SOTTO_DTLS_STATE_CONNECTED)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_INVALID_STATE,
                   "DTLS is not connected");
      return FALSE;
    }

  ERR_clear_error ();
  n = SSL_write (self->ssl, data, (int) len);
  flush_out_queue (self);
  if (n <= 0 || (gsize) n != len)
    {
      g_propagate_error (error, openssl_error (SOTTO_DTLS_ERROR_HANDSHAKE_FAILED,
                                               "Could not send over DTLS"));
      return FALSE;
    }
  return TRUE;
}

gboolean
sotto_dtls_transport_export_srtp_keys (SottoDtlsTransport   *self,
                                       SottoSrtpKeyMaterial *out,
                                       GError              **error)
{
  guint8 material[2 * SOTTO_SRTP_MAX_KEY_SALT_LEN];
  gsize key_len, salt_len;
  const guint8 *client_key, *server_key, *client_salt, *server_salt;
  const guint8 *local_key, *local_salt, *remote_key, *remote_salt;

  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);

  /* CONNECTED implies the fingerprint check passed. */
  if (self->state != SOTTO_DTLS_STATE_CONNECTED)
    {
      g_set_error (error, SOTTO_DTLS_ERROR, SOTTO_DTLS_ERROR_INVALID_STATE,
                   "SRTP keys exist only once the DTLS peer is verified");
      return FALSE;
    }

  key_len = sotto_srtp_profile_key_length (self->srtp_profile);
  salt_len = sotto_srtp_profile_salt_length (self->srtp_profile);
  g_assert (key_len + salt_len <= SOTTO_SRTP_MAX_KEY_SALT_LEN);

  ERR_clear_error ();
  if (SSL_export_keying_material (self->ssl, material, 2 * (key_len + salt_len),
                                  SRTP_EXPORTER_LABEL, strlen (SRTP_EXPORTER_LABEL),
                                  NULL, 0, 0) != 1)
    {
      OPENSSL_cleanse (material, sizeof material);
      g_propagate_error (error, openssl_error (SOTTO_DTLS_ERROR_KEY_EXPORT,
                                               "Could not export the SRTP keys"));
      return FALSE;
    }

  /* RFC 5764, section 4.2:
   *
   *   "the keying material is in the form:
   *      client_write_SRTP_master_key[SRTPSecurityParams.master_key_len];
   *      server_write_SRTP_master_key[SRTPSecurityParams.master_key_len];
   *      client_write_SRTP_master_salt[SRTPSecurityParams.master_salt_len];
   *      server_write_SRTP_master_salt[SRTPSecurityParams.master_salt_len];"
   *
   * libsrtp wants each direction's key followed by its salt. */
  client_key = material;
  server_key = client_key + key_len;
  client_salt = server_key + key_len;
  server_salt = client_salt + salt_len;

  if (self->role == SOTTO_DTLS_ROLE_CLIENT)
    {
      local_key = client_key;   local_salt = client_salt;
      remote_key = server_key;  remote_salt = server_salt;
    }
  else
    {
      local_key = server_key;   local_salt = server_salt;
      remote_key = client_key;  remote_salt = client_salt;
    }

  out->profile = self->srtp_profile;
  out->key_salt_len = key_len + salt_len;
  memcpy (out->local, local_key, key_len);
  memcpy (out->local + key_len, local_salt, salt_len);
  memcpy (out->remote, remote_key, key_len);
  memcpy (out->remote + key_len, remote_salt, salt_len);

  OPENSSL_cleanse (material, sizeof material);
  return TRUE;
}

void
sotto_dtls_transport_close (SottoDtlsTransport *self)
{
  g_return_if_fail (SOTTO_IS_DTLS_TRANSPORT (self));

  if (self->state == SOTTO_DTLS_STATE_CLOSED || self->state == SOTTO_DTLS_STATE_NEW)
    {
      self->state = SOTTO_DTLS_STATE_CLOSED;
      return;
    }

  if (self->state == SOTTO_DTLS_STATE_CONNECTED)
    {
      ERR_clear_error ();
      SSL_shutdown (self->ssl);   /* close_notify, so the peer need not time out */
      ERR_clear_error ();
      flush_out_queue (self);
    }
  clear_source (&self->retransmit_source);
  clear_source (&self->timeout_source);
  self->state = SOTTO_DTLS_STATE_CLOSED;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

SottoDtlsState
sotto_dtls_transport_get_state (SottoDtlsTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), SOTTO_DTLS_STATE_FAILED);
  return self->state;
}

SottoDtlsRole
sotto_dtls_transport_get_role (SottoDtlsTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), SOTTO_DTLS_ROLE_CLIENT);
  return self->role;
}

SottoSrtpProfile
sotto_dtls_transport_get_srtp_profile (SottoDtlsTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), SOTTO_SRTP_PROFILE_NONE);
  return self->state == SOTTO_DTLS_STATE_CONNECTED ? self->srtp_profile : SOTTO_SRTP_PROFILE_NONE;
}

SottoDtlsCertificate *
sotto_dtls_transport_get_certificate (SottoDtlsTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), NULL);
  return self->certificate;
}

int
sotto_dtls_transport_get_version (SottoDtlsTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_DTLS_TRANSPORT (self), 0);
  return self->state == SOTTO_DTLS_STATE_CONNECTED ? SSL_version (self->ssl) : 0;
}
