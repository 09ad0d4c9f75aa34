/* sotto-peer-connection-private.h: shared by sotto-peer-connection*.c only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sotto-peer-connection.h"

G_BEGIN_DECLS

#define END_OF_CANDIDATES "end-of-candidates"

struct _SottoPeerConnection {
  GObject parent_instance;

  GMainContext             *context;
  SottoIceTransport        *ice;
  SottoSecureTransport     *secure;
  char                     *cname;
  char                     *session_id;
  GPtrArray                *local_media;     /* SottoSdpMedia templates */
  SottoSdpDescription      *local_desc;
  SottoSdpDescription      *remote_desc;
  gboolean                  have_local_offer;    /* waiting for an answer */
  gboolean                  have_remote_offer;   /* waiting for our answer */

  gboolean                  role_known;
  SottoDtlsRole             role;
  char                     *remote_fingerprint;
  gboolean                  dtls_started;
  GPtrArray                *early;           /* GBytes received before DTLS started */

  gboolean                  gathering_requested;
  gboolean                  gathering_done;
  gboolean                  hold_candidates;     /* between an ICE restart and the new SDP */
  GPtrArray                *held_candidates;     /* char * */
  GSource                  *flush_source;
  gboolean                  remote_end_pending;  /* end-of-candidates before the SDP */

  SottoPeerConnectionState  state;
  SottoIceState             ice_state;
  SottoSecureTransportState dtls_state;
  GError                   *error;
  char                     *sas;
  guint64                   bytes_sent;
  guint64                   bytes_received;
};

gboolean sotto_peer_connection_closed_error       (SottoPeerConnection  *self,
                                                   GError              **error);
void     sotto_peer_connection_update_state       (SottoPeerConnection  *self);
void     sotto_peer_connection_maybe_start_dtls   (SottoPeerConnection  *self);
void     sotto_peer_connection_schedule_gathering (SottoPeerConnection  *self);

G_END_DECLS
