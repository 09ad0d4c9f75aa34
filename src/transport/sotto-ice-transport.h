/* sotto-ice-transport.h: one libnice agent, one bundled component
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sotto-ice-server.h"
#include "sotto-sdp.h"

G_BEGIN_DECLS

#define SOTTO_ICE_ERROR (sotto_ice_error_quark ())
GQuark sotto_ice_error_quark (void);

typedef enum {
  SOTTO_ICE_ERROR_BAD_ADDRESS,      /* SOTTO_ICE_ADDRESSES holds something that is not an IP */
  SOTTO_ICE_ERROR_BAD_SERVER,       /* an ICE server URI we cannot use */
  SOTTO_ICE_ERROR_AGENT,            /* libnice refused to create the stream */
  SOTTO_ICE_ERROR_CREDENTIALS,      /* remote ufrag/pwd refused */
  SOTTO_ICE_ERROR_CANDIDATE,        /* a remote candidate we cannot use */
  SOTTO_ICE_ERROR_INVALID_STATE,    /* call not allowed now (e.g. after close) */
} SottoIceError;

typedef enum {
  SOTTO_ICE_STATE_NEW,           /* nothing checked yet */
  SOTTO_ICE_STATE_CHECKING,      /* connectivity checks running */
  SOTTO_ICE_STATE_CONNECTED,     /* a pair works; datagrams flow */
  SOTTO_ICE_STATE_FAILED,        /* no pair works, or consent was lost (RFC 7675) */
  SOTTO_ICE_STATE_CLOSED,
} SottoIceState;

GType sotto_ice_state_get_type (void);
#define SOTTO_TYPE_ICE_STATE (sotto_ice_state_get_type ())

typedef enum {
  SOTTO_ICE_POLICY_ALL,          /* host, server-reflexive and relayed candidates */
  SOTTO_ICE_POLICY_RELAY,        /* only relayed (TURN) candidates, local and remote */
} SottoIcePolicy;


/* Called for every datagram received on the component, on the agent's
 * GMainContext. The buffer is only valid during the call. */
typedef void (*SottoIceReceiveFunc) (const guint8 *data,
                                     gsize         len,
                                     gpointer      user_data);


#define SOTTO_TYPE_ICE_TRANSPORT (sotto_ice_transport_get_type ())
G_DECLARE_FINAL_TYPE (SottoIceTransport, sotto_ice_transport, SOTTO, ICE_TRANSPORT, GObject)

/* The agent runs on `context` (NULL: the thread-default one). Local
 * addresses come from SOTTO_ICE_ADDRESSES (unset: all interfaces). */
SottoIceTransport *sotto_ice_transport_new (GMainContext  *context,
                                            GError       **error);

/* Replace the local address list (before gathering); tests and programs
 * that know better than the environment. */
gboolean  sotto_ice_transport_set_local_addresses (SottoIceTransport  *self,
                                                   const char         *list,
                                                   GError            **error);
/* Before gathering. Copies the server. */
void      sotto_ice_transport_add_server    (SottoIceTransport    *self,
                                             const SottoIceServer *server);
void      sotto_ice_transport_set_policy    (SottoIceTransport *self,
                                             SottoIcePolicy     policy);
/* The offerer controls (RFC 8445, section 6.1.1); before checks start. */
void      sotto_ice_transport_set_controlling (SottoIceTransport *self,
                                               gboolean           controlling);
gboolean  sotto_ice_transport_get_controlling (SottoIceTransport *self);

void      sotto_ice_transport_set_receive_func (SottoIceTransport   *self,
                                                SottoIceReceiveFunc  func,
                                                gpointer             user_data);

/* Our credentials for SDP (valid from construction; new after restart). */
const char *sotto_ice_transport_get_local_ufrag (SottoIceTransport *self);
const char *sotto_ice_transport_get_local_pwd   (SottoIceTransport *self);

/* Starts gathering; each candidate is emitted as "local-candidate", then
 * "gathering-done". */
gboolean  sotto_ice_transport_gather        (SottoIceTransport  *self,
                                             GError            **error);

gboolean  sotto_ice_transport_set_remote_credentials (SottoIceTransport  *self,
                                                      const char         *ufrag,
                                                      const char         *pwd,
                                                      GError            **error);
/* A remote candidate ("candidate:..." with or without "a="). Candidates we
 * cannot use (other component, mDNS names, filtered by policy) return TRUE
 * and are skipped: a browser sends them routinely. */
gboolean  sotto_ice_transport_add_remote_candidate (SottoIceTransport  *self,
                                                    const char         *candidate,
                                                    GError            **error);
/* The peer's a=end-of-candidates. */
void      sotto_ice_transport_remote_gathering_done (SottoIceTransport *self);

/* New credentials and a fresh gathering; state goes back to checking once
 * new remote credentials and candidates arrive. */
gboolean  sotto_ice_transport_restart       (SottoIceTransport  *self,
                                             GError            **error);

/* One datagram on the selected pair; FALSE if none is selected or the
 * socket refused it (a datagram transport may drop, the caller counts). */
gboolean  sotto_ice_transport_send          (SottoIceTransport *self,
                                             const guint8      *data,
                                             gsize              len);

void      sotto_ice_transport_close         (SottoIceTransport *self);

SottoIceState sotto_ice_transport_get_state (SottoIceTransport *self);
/* "host", "srflx", "prflx" or "relay" for each end of the selected pair,
 * and "udp"/"tcp"; NULL until a pair is selected. */
gboolean  sotto_ice_transport_get_selected_pair (SottoIceTransport  *self,
                                                 const char        **local_type,
                                                 const char        **remote_type,
                                                 const char        **transport);

/* Why the state is FAILED, when we know better than "no pair worked"
 * (e.g. no relay candidate); NULL otherwise. */
const char *sotto_ice_transport_get_failure_reason (SottoIceTransport *self);

/* Properties: "state" (SottoIceState, notify), "controlling" (gboolean).
 * Signals:
 *   "local-candidate" (SottoIceTransport *, const char *candidate, gpointer)
 *        "candidate:..." without "a=", ready for trickling
 *   "gathering-done"  (SottoIceTransport *, gpointer)
 */

G_END_DECLS
