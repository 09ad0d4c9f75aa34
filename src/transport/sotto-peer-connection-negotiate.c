/* sotto-peer-connection-negotiate.c: offer/answer for SottoPeerConnection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSEP as far as Sotto needs it: one offer/answer at a time (glare is an
 * error the signaling layer resolves), ICE restart by new credentials,
 * DTLS roles fixed by the first exchange.
 */
#define G_LOG_DOMAIN "sotto-pc"

#include "sotto-peer-connection.h"
#include "sotto-peer-connection-private.h"

/* Our a=setup in a description, once DTLS runs: the established role,
 * since a change would need a new handshake (RFC 8842, section 5.5). */
static SottoSdpSetup
established_setup (SottoPeerConnection *self)
{
  return self->role == SOTTO_DTLS_ROLE_CLIENT ? SOTTO_SDP_SETUP_ACTIVE : SOTTO_SDP_SETUP_PASSIVE;
}

char *
sotto_peer_connection_create_offer (SottoPeerConnection  *self,
                                    GError              **error)
{
  g_autoptr(SottoSdpDescription) offer = NULL;
  guint i;

  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), NULL);
  if (sotto_peer_connection_closed_error (self, error))
    return NULL;
  if (self->have_remote_offer)
    {
      g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR,
                           SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,
                           "an offer from the peer is waiting for our answer");
      return NULL;
    }
  if (self->local_media->len == 0)
    {
      g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_NO_MEDIA,
                           "add at least one audio or video stream before making an offer");
      return NULL;
    }

  offer = sotto_sdp_description_new (SOTTO_SDP_TYPE_OFFER,
                                     sotto_ice_transport_get_local_ufrag (self->ice),
                                     sotto_ice_transport_get_local_pwd (self->ice),
                                     sotto_secure_transport_get_local_fingerprint (self->secure),
                                     self->role_known ? established_setup (self)
                                                      : SOTTO_SDP_SETUP_ACTPASS);
  if (self->local_desc != NULL && self->remote_desc != NULL)
    {
      /* A re-offer (ICE restart) keeps what was negotiated: the same
       * m-lines with their mids (which may be the peer's, if we answered
       * first), codecs, directions and rejections (JSEP, section 5.2.2). */
      offer->session_id = self->local_desc->session_id;
      offer->session_version = self->local_desc->session_version + 1;
      for (i = 0; i < self->local_desc->media->len; i++)
        sotto_sdp_description_add_media (offer, sotto_sdp_media_copy (self->local_desc->media->pdata[i]));
    }
  else
    {
      for (i = 0; i < self->local_media->len; i++)
        {
          SottoSdpMedia *media = sotto_sdp_media_copy (self->local_media->pdata[i]);

          g_free (media->mid);
          media->mid = g_strdup_printf ("%u", i);
          sotto_sdp_description_add_media (offer, media);
        }
    }

  /* RFC 8445, section 6.1.1: the offerer is the controlling agent. */
  sotto_ice_transport_set_controlling (self->ice, TRUE);
  g_clear_pointer (&self->local_desc, sotto_sdp_description_free);
  self->local_desc = g_steal_pointer (&offer);
  self->have_local_offer = TRUE;
  sotto_peer_connection_schedule_gathering (self);
  sotto_peer_connection_update_state (self);
  return sotto_sdp_description_to_string (self->local_desc);
}

static gboolean
apply_remote_transport (SottoPeerConnection        *self,
                        const SottoSdpDescription  *desc,
                        GError                    **error)
{
  gboolean end = FALSE;
  guint i, j;

  if (!sotto_ice_transport_set_remote_credentials (self->ice, desc->ice_ufrag, desc->ice_pwd, error))
    return FALSE;
  /* Candidates already in the SDP (non-trickle peers, or a browser's
   * localDescription after gathering). */
  for (i = 0; i < desc->media->len; i++)
    {
      const SottoSdpMedia *media = desc->media->pdata[i];

      if (media->rejected)
        continue;
      for (j = 0; j < media->candidates->len; j++)
        if (!sotto_ice_transport_add_remote_candidate (self->ice, media->candidates->pdata[j], error))
          return FALSE;
      end = end || media->end_of_candidates;
    }
  if (end || self->remote_end_pending)
    {
      self->remote_end_pending = FALSE;
      sotto_ice_transport_remote_gathering_done (self->ice);
    }
  return TRUE;
}

static gboolean
check_same_fingerprint (SottoPeerConnection        *self,
                        const SottoSdpDescription  *desc,
                        GError                    **error)
{
  if (self->remote_fingerprint == NULL ||
      g_ascii_strcasecmp (self->remote_fingerprint, desc->fingerprint) == 0)
    return TRUE;
  g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR, SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,
                       "the peer's fingerprint changed in a renegotiation; a new call is needed");
  return FALSE;
}

static gboolean
set_remote_offer (SottoPeerConnection  *self,
                  SottoSdpDescription  *offer,
                  GError              **error)
{
  if (self->have_local_offer)
    {
      g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR,
                           SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,
                           "both sides sent an offer at once (glare); one must roll back");
      return FALSE;
    }
  if (!check_same_fingerprint (self, offer, error))
    return FALSE;

  /* A re-offer with new credentials is an ICE restart (RFC 8839, 4.4.1.1.1). */
  if (self->remote_desc != NULL && g_strcmp0 (self->remote_desc->ice_ufrag, offer->ice_ufrag) != 0)
    {
      self->hold_candidates = TRUE;
      if (!sotto_ice_transport_restart (self->ice, error))
        return FALSE;
    }
  sotto_ice_transport_set_controlling (self->ice, FALSE);
  if (!apply_remote_transport (self, offer, error))
    return FALSE;
  g_clear_pointer (&self->remote_desc, sotto_sdp_description_free);
  self->remote_desc = offer;
  self->have_remote_offer = TRUE;
  return TRUE;
}

static gboolean
set_remote_answer (SottoPeerConnection  *self,
                   SottoSdpDescription  *answer,
                   GError              **error)
{
  gboolean offerer_is_client = FALSE;
  SottoDtlsRole role;

  if (!self->have_local_offer)
    {
      g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR,
                           SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,
                           "an answer arrived but we made no offer");
      return FALSE;
    }
  if (!sotto_sdp_check_answer (self->local_desc, answer, error) ||
      !sotto_sdp_resolve_setup (self->local_desc->setup, answer->setup, &offerer_is_client, error) ||
      !check_same_fingerprint (self, answer, error))
    return FALSE;
  role = offerer_is_client ? SOTTO_DTLS_ROLE_CLIENT : SOTTO_DTLS_ROLE_SERVER;
  if (self->role_known && role != self->role)
    {
      g_set_error_literal (error, SOTTO_SDP_ERROR, SOTTO_SDP_ERROR_SETUP_CONFLICT,
                           "the answer changes the established DTLS role");
      return FALSE;
    }
  if (!apply_remote_transport (self, answer, error))
    return FALSE;

  g_clear_pointer (&self->remote_desc, sotto_sdp_description_free);
  self->remote_desc = answer;
  self->have_local_offer = FALSE;
  if (!self->role_known)
    {
      self->role_known = TRUE;
      self->role = role;
      self->remote_fingerprint = g_strdup (answer->fingerprint);
    }
  sotto_peer_connection_maybe_start_dtls (self);
  sotto_peer_connection_update_state (self);
  return TRUE;
}

gboolean
sotto_peer_connection_set_remote_description (SottoPeerConnection  *self,
                                              SottoSdpType          type,
                                              const char           *sdp,
                                              GError              **error)
{
  SottoSdpDescription *desc;

  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), FALSE);
  g_return_val_if_fail (sdp != NULL, FALSE);
  if (sotto_peer_connection_closed_error (self, error))
    return FALSE;

  desc = sotto_sdp_description_parse (sdp, type, error);
  if (desc == NULL)
    return FALSE;
  if (!(type == SOTTO_SDP_TYPE_OFFER ? set_remote_offer (self, desc, error)
                                     : set_remote_answer (self, desc, error)))
    {
      if (self->remote_desc != desc)
        sotto_sdp_description_free (desc);
      return FALSE;
    }
  return TRUE;
}

char *
sotto_peer_connection_create_answer (SottoPeerConnection  *self,
                                     GError              **error)
{
  g_autoptr(SottoSdpDescription) answer = NULL;
  SottoSdpSetup setup;

  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), NULL);
  if (sotto_peer_connection_closed_error (self, error))
    return NULL;
  if (!self->have_remote_offer)
    {
      g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR,
                           SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,
                           "there is no offer from the peer to answer");
      return NULL;
    }

  answer = sotto_sdp_create_answer (self->remote_desc, self->local_media,
                                    sotto_ice_transport_get_local_ufrag (self->ice),
                                    sotto_ice_transport_get_local_pwd (self->ice),
                                    sotto_secure_transport_get_local_fingerprint (self->secure),
                                    error);
  if (answer == NULL)
    return NULL;
  if (self->role_known)
    {
      setup = established_setup (self);
      if (!sotto_sdp_resolve_setup (self->remote_desc->setup, setup, NULL, error))
        return NULL;
      answer->setup = setup;
    }
  if (self->local_desc != NULL)
    {
      answer->session_id = self->local_desc->session_id;
      answer->session_version = self->local_desc->session_version + 1;
    }

  g_clear_pointer (&self->local_desc, sotto_sdp_description_free);
  self->local_desc = g_steal_pointer (&answer);
  self->have_remote_offer = FALSE;
  if (!self->role_known)
    {
      self->role_known = TRUE;
      self->role = self->local_desc->setup == SOTTO_SDP_SETUP_ACTIVE ? SOTTO_DTLS_ROLE_CLIENT
                                                                     : SOTTO_DTLS_ROLE_SERVER;
      self->remote_fingerprint = g_strdup (self->remote_desc->fingerprint);
    }
  sotto_peer_connection_schedule_gathering (self);
  sotto_peer_connection_maybe_start_dtls (self);
  sotto_peer_connection_update_state (self);
  return sotto_sdp_description_to_string (self->local_desc);
}

gboolean
sotto_peer_connection_add_remote_candidate (SottoPeerConnection  *self,
                                            const char           *candidate,
                                            GError              **error)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), FALSE);
  if (sotto_peer_connection_closed_error (self, error))
    return FALSE;
  if (candidate == NULL || candidate[0] == '\0' || sotto_sdp_is_end_of_candidates (candidate))
    {
      if (self->remote_desc == NULL)
        self->remote_end_pending = TRUE;
      else
        sotto_ice_transport_remote_gathering_done (self->ice);
      return TRUE;
    }
  return sotto_ice_transport_add_remote_candidate (self->ice, candidate, error);
}

gboolean
sotto_peer_connection_restart_ice (SottoPeerConnection  *self,
                                   GError              **error)
{
  g_return_val_if_fail (SOTTO_IS_PEER_CONNECTION (self), FALSE);
  if (sotto_peer_connection_closed_error (self, error))
    return FALSE;
  if (self->have_local_offer || self->have_remote_offer)
    {
      g_set_error_literal (error, SOTTO_PEER_CONNECTION_ERROR,
                           SOTTO_PEER_CONNECTION_ERROR_INVALID_STATE,
                           "finish the current offer/answer exchange before restarting ICE");
      return FALSE;
    }
  self->hold_candidates = TRUE;
  if (!sotto_ice_transport_restart (self->ice, error))
    return FALSE;
  /* A restart is the way out of a failed ICE state (RFC 8445, 9). */
  if (self->error != NULL && self->error->domain == SOTTO_PEER_CONNECTION_ERROR &&
      self->error->code == SOTTO_PEER_CONNECTION_ERROR_ICE_FAILED)
    g_clear_error (&self->error);
  sotto_peer_connection_update_state (self);
  return TRUE;
}
