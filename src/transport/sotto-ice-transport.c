/* sotto-ice-transport.c: one libnice agent, one bundled component
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   STUN/TURN servers ---+
 *   SOTTO_ICE_ADDRESSES --+--> NiceAgent (1 stream, 1 component) --> "local-candidate"
 *   remote candidates ----+          |                  ^             "gathering-done"
 *                                    v                  |             "state"
 *                              receive_func    sotto_ice_transport_send
 *
 * Everything (libnice timers, socket sources, our callbacks) runs on the
 * GMainContext given at construction. UPnP is off: Sotto sends nothing to
 * anyone but its peers and its STUN/TURN servers.
 */
#define G_LOG_DOMAIN "sotto-ice"

#include "sotto-ice-transport.h"
#include "sotto-ice-server-private.h"

#include <string.h>
#include <nice/agent.h>

G_DEFINE_QUARK (sotto-ice-error-quark, sotto_ice_error)

G_DEFINE_ENUM_TYPE (SottoIceState, sotto_ice_state,
  G_DEFINE_ENUM_VALUE (SOTTO_ICE_STATE_NEW, "new"),
  G_DEFINE_ENUM_VALUE (SOTTO_ICE_STATE_CHECKING, "checking"),
  G_DEFINE_ENUM_VALUE (SOTTO_ICE_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (SOTTO_ICE_STATE_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (SOTTO_ICE_STATE_CLOSED, "closed"))

#define COMPONENT_ID 1
#define SOTTO_ICE_TA_MS 5
/* A browser trickles a few dozen at most; more is a broken or hostile peer. */
#define MAX_REMOTE_CANDIDATES 200


enum {
  PROP_0,
  PROP_STATE,
  PROP_CONTROLLING,
  N_PROPS
};

enum {
  SIGNAL_LOCAL_CANDIDATE,
  SIGNAL_GATHERING_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

struct _SottoIceTransport {
  GObject parent_instance;

  GMainContext       *context;
  NiceAgent          *agent;
  guint               stream_id;
  char               *local_ufrag;
  char               *local_pwd;
  GPtrArray          *local_addresses;   /* char *, applied at first gather */
  GPtrArray          *servers;           /* SottoIceServer */
  SottoIcePolicy      policy;
  gboolean            controlling;
  gboolean            gathering_started;
  gboolean            have_remote_credentials;
  GPtrArray          *pending_remote;    /* SottoSdpCandidate, before credentials */
  GPtrArray          *local_candidates;  /* char *, to re-signal after a restart */
  guint               n_remote;
  const char         *failure_reason;    /* static string, or NULL */
  guint               pending_resolutions;
  GCancellable       *cancellable;
  SottoIceState       state;
  gboolean            was_connected;
  SottoIceReceiveFunc receive_func;
  gpointer            receive_data;
  const char         *sel_local_type;
  const char         *sel_remote_type;
  const char         *sel_transport;
};

G_DEFINE_FINAL_TYPE (SottoIceTransport, sotto_ice_transport, G_TYPE_OBJECT)

/* ---------------------------------------------------------- candidates */

static const char *
type_name (NiceCandidateType type)
{
  switch (type)
    {
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: return "srflx";
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:   return "prflx";
    case NICE_CANDIDATE_TYPE_RELAYED:          return "relay";
    case NICE_CANDIDATE_TYPE_HOST:
    default:                                   return "host";
    }
}

static char *
candidate_to_string (const NiceCandidate *nc)
{
  SottoSdpCandidate c = { 0 };
  char addr[NICE_ADDRESS_STRING_LEN];
  char raddr[NICE_ADDRESS_STRING_LEN];
  guint port = nice_address_get_port (&nc->addr);

  nice_address_to_string (&nc->addr, addr);
  c.foundation = (char *) nc->foundation;
  c.component = nc->component_id;
  c.priority = nc->priority;
  c.address = addr;
  c.port = port;
  switch (nc->type)
    {
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: c.type = SOTTO_CANDIDATE_SRFLX; break;
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:   c.type = SOTTO_CANDIDATE_PRFLX; break;
    case NICE_CANDIDATE_TYPE_RELAYED:          c.type = SOTTO_CANDIDATE_RELAY; break;
    case NICE_CANDIDATE_TYPE_HOST:
    default:                                   c.type = SOTTO_CANDIDATE_HOST; break;
    }
  switch (nc->transport)
    {
    case NICE_CANDIDATE_TRANSPORT_TCP_ACTIVE:
      c.tcp = TRUE;
      c.tcp_type = SOTTO_CANDIDATE_TCP_ACTIVE;
      /* RFC 6544, section 4.5: active candidates carry the discard port. */
      c.port = 9;
      break;
    case NICE_CANDIDATE_TRANSPORT_TCP_PASSIVE:
      c.tcp = TRUE;
      c.tcp_type = SOTTO_CANDIDATE_TCP_PASSIVE;
      break;
    case NICE_CANDIDATE_TRANSPORT_TCP_SO:
      c.tcp = TRUE;
      c.tcp_type = SOTTO_CANDIDATE_TCP_SO;
      break;
    case NICE_CANDIDATE_TRANSPORT_UDP:
    default:
      break;
    }
  if (nc->type != NICE_CANDIDATE_TYPE_HOST && nice_address_is_valid (&nc->base_addr))
    {
      nice_address_to_string (&nc->base_addr, raddr);
      c.related_address = raddr;
      c.related_port = nice_address_get_port (&nc->base_addr);
    }
  return sotto_sdp_candidate_to_string (&c);
}

/* NULL (and no error) when the candidate is valid but not for us. */
static NiceCandidate *
candidate_to_nice (SottoIceTransport       *self,
                   const SottoSdpCandidate *c)
{
  NiceCandidateType type;
  NiceCandidate *nc;

  if (c->component != COMPONENT_ID)
    return NULL;  /* RTCP component of a peer without rtcp-mux */
  if (self->policy == SOTTO_ICE_POLICY_RELAY && c->type != SOTTO_CANDIDATE_RELAY)
    return NULL;
  if (!g_hostname_is_ip_address (c->address))
    return NULL;  /* mDNS name: only usable by the browser's own LAN peers */
  if (c->tcp && c->tcp_type == SOTTO_CANDIDATE_TCP_SO)
    return NULL;

  switch (c->type)
    {
    case SOTTO_CANDIDATE_SRFLX: type = NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE; break;
    case SOTTO_CANDIDATE_PRFLX: type = NICE_CANDIDATE_TYPE_PEER_REFLEXIVE; break;
    case SOTTO_CANDIDATE_RELAY: type = NICE_CANDIDATE_TYPE_RELAYED; break;
    case SOTTO_CANDIDATE_HOST:
    default:                    type = NICE_CANDIDATE_TYPE_HOST; break;
    }
  nc = nice_candidate_new (type);
  nc->stream_id = self->stream_id;
  nc->component_id = COMPONENT_ID;
  nc->priority = c->priority;
  g_strlcpy (nc->foundation, c->foundation, NICE_CANDIDATE_MAX_FOUNDATION);
  if (!nice_address_set_from_string (&nc->addr, c->address))
    {
      nice_candidate_free (nc);
      return NULL;
    }
  nice_address_set_port (&nc->addr, c->port);
  if (!c->tcp)
    nc->transport = NICE_CANDIDATE_TRANSPORT_UDP;
  else if (c->tcp_type == SOTTO_CANDIDATE_TCP_ACTIVE)
    nc->transport = NICE_CANDIDATE_TRANSPORT_TCP_ACTIVE;
  else
    nc->transport = NICE_CANDIDATE_TRANSPORT_TCP_PASSIVE;
  if (c->related_address != NULL && g_hostname_is_ip_address (c->related_address) &&
      nice_address_set_from_string (&nc->base_addr, c->related_address))
    nice_address_set_port (&nc->base_addr, c->related_port);
  return nc;
}

static gboolean
add_remote_now (SottoIceTransport       *self,
                const SottoSdpCandidate *c,
                GError                 **error)
{
  NiceCandidate *nc = candidate_to_nice (self, c);
  GSList list = { 0 };
  int added;

  if (nc == NULL)
    {
      g_debug ("ignoring remote candidate %s:%u (%s)", c->address, c->port,
               c->component != COMPONENT_ID ? "other component" : "not usable here");
      return TRUE;
    }
  list.data = nc;
  added = nice_agent_set_remote_candidates (self->agent, self->stream_id, COMPONENT_ID, &list);
  nice_candidate_free (nc);
  if (added < 0)
    {
      g_set_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_CANDIDATE,
                   "the ICE agent refused the remote candidate %s:%u", c->address, c->port);
      return FALSE;
    }
  return TRUE;
}

/* ----------------------------------------------------------- callbacks */

static void
set_state (SottoIceTransport *self,
           SottoIceState      state)
{
  if (self->state == state)
    return;
  g_debug ("%p: ICE state %d", self, (int) state);
  self->state = state;
  if (state == SOTTO_ICE_STATE_CONNECTED)
    self->was_connected = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
on_new_candidate (NiceAgent     *agent,
                  NiceCandidate *candidate,
                  gpointer       user_data)
{
  SottoIceTransport *self = user_data;
  g_autofree char *line = NULL;

  if (candidate->stream_id != self->stream_id || candidate->component_id != COMPONENT_ID)
    return;
  if (self->policy == SOTTO_ICE_POLICY_RELAY && candidate->type != NICE_CANDIDATE_TYPE_RELAYED)
    return;
  line = candidate_to_string (candidate);
  g_ptr_array_add (self->local_candidates, g_strdup (line));
  g_signal_emit (self, signals[SIGNAL_LOCAL_CANDIDATE], 0, line);
}

static void
on_gathering_done (NiceAgent *agent,
                   guint      stream_id,
                   gpointer   user_data)
{
  SottoIceTransport *self = user_data;

  if (stream_id != self->stream_id)
    return;
  g_signal_emit (self, signals[SIGNAL_GATHERING_DONE], 0);
  /* Without a single local candidate no pair can ever form, and libnice
   * would wait for ever. Typical cause: a relay-only policy with a TURN
   * server that is unreachable or refuses the credentials. */
  if (self->local_candidates->len == 0 && self->state != SOTTO_ICE_STATE_CLOSED)
    {
      self->failure_reason = self->policy == SOTTO_ICE_POLICY_RELAY
        ? "no relay candidate could be gathered: check the TURN servers and their credentials"
        : "no local candidate could be gathered: check SOTTO_ICE_ADDRESSES and the network";
      g_message ("%p: %s", self, self->failure_reason);
      set_state (self, SOTTO_ICE_STATE_FAILED);
    }
}

static void
on_component_state_changed (NiceAgent *agent,
                            guint      stream_id,
                            guint      component_id,
                            guint      state,
                            gpointer   user_data)
{
  SottoIceTransport *self = user_data;

  if (stream_id != self->stream_id || self->state == SOTTO_ICE_STATE_CLOSED)
    return;
  switch (state)
    {
    case NICE_COMPONENT_STATE_CONNECTING:
      set_state (self, SOTTO_ICE_STATE_CHECKING);
      break;
    case NICE_COMPONENT_STATE_CONNECTED:
    case NICE_COMPONENT_STATE_READY:
      set_state (self, SOTTO_ICE_STATE_CONNECTED);
      break;
    case NICE_COMPONENT_STATE_FAILED:
      /* Includes RFC 7675 consent expiry: libnice stops sending then. */
      set_state (self, SOTTO_ICE_STATE_FAILED);
      break;
    case NICE_COMPONENT_STATE_DISCONNECTED:
    case NICE_COMPONENT_STATE_GATHERING:
    default:
      break;
    }
}

static void
on_selected_pair (NiceAgent     *agent,
                  guint          stream_id,
                  guint          component_id,
                  NiceCandidate *local,
                  NiceCandidate *remote,
                  gpointer       user_data)
{
  SottoIceTransport *self = user_data;

  if (stream_id != self->stream_id)
    return;
  self->sel_local_type = type_name (local->type);
  self->sel_remote_type = type_name (remote->type);
  self->sel_transport = local->transport == NICE_CANDIDATE_TRANSPORT_UDP ? "udp" : "tcp";
  g_debug ("%p: selected pair %s/%s over %s", self, self->sel_local_type,
           self->sel_remote_type, self->sel_transport);
}

static void
on_receive (NiceAgent *agent,
            guint      stream_id,
            guint      component_id,
            guint      len,
            gchar     *buf,
            gpointer   user_data)
{
  SottoIceTransport *self = user_data;

  if (self->receive_func != NULL && len > 0)
    self->receive_func ((const guint8 *) buf, len, self->receive_data);
}

/* --------------------------------------------------------------- GObject */

static void
sotto_ice_transport_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SottoIceTransport *self = SOTTO_ICE_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_CONTROLLING:
      g_value_set_boolean (value, self->controlling);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_ice_transport_dispose (GObject *object)
{
  SottoIceTransport *self = SOTTO_ICE_TRANSPORT (object);

  g_cancellable_cancel (self->cancellable);
  self->receive_func = NULL;
  if (self->agent != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agent, self);
      nice_agent_attach_recv (self->agent, self->stream_id, COMPONENT_ID, self->context, NULL, NULL);
      /* Releases TURN allocations (a refresh with lifetime 0) instead of
       * leaving them to expire on the server; the agent keeps itself
       * alive until that is done. */
      nice_agent_close_async (self->agent, NULL, NULL);
      g_clear_object (&self->agent);
    }
  G_OBJECT_CLASS (sotto_ice_transport_parent_class)->dispose (object);
}

static void
sotto_ice_transport_finalize (GObject *object)
{
  SottoIceTransport *self = SOTTO_ICE_TRANSPORT (object);

  g_clear_object (&self->cancellable);
  g_free (self->local_ufrag);
  g_free (self->local_pwd);
  g_ptr_array_unref (self->local_addresses);
  g_ptr_array_unref (self->servers);
  g_ptr_array_unref (self->pending_remote);
  g_ptr_array_unref (self->local_candidates);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (sotto_ice_transport_parent_class)->finalize (object);
}

static void
sotto_ice_transport_class_init (SottoIceTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_ice_transport_get_property;
  object_class->dispose = sotto_ice_transport_dispose;
  object_class->finalize = sotto_ice_transport_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SOTTO_TYPE_ICE_STATE, SOTTO_ICE_STATE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTROLLING] =
    g_param_spec_boolean ("controlling", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOCAL_CANDIDATE] =
    g_signal_new ("local-candidate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_GATHERING_DONE] =
    g_signal_new ("gathering-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sotto_ice_transport_init (SottoIceTransport *self)
{
  self->local_addresses = g_ptr_array_new_with_free_func (g_free);
  self->servers = g_ptr_array_new_with_free_func ((GDestroyNotify) sotto_ice_server_free);
  self->pending_remote = g_ptr_array_new_with_free_func ((GDestroyNotify) sotto_sdp_candidate_free);
  self->local_candidates = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
}

/* ------------------------------------------------------------ public API */

static void
refresh_credentials (SottoIceTransport *self)
{
  g_clear_pointer (&self->local_ufrag, g_free);
  g_clear_pointer (&self->local_pwd, g_free);
  nice_agent_get_local_credentials (self->agent, self->stream_id,
                                    &self->local_ufrag, &self->local_pwd);
}

SottoIceTransport *
sotto_ice_transport_new (GMainContext  *context,
                         GError       **error)
{
  g_autoptr(SottoIceTransport) self = g_object_new (SOTTO_TYPE_ICE_TRANSPORT, NULL);
  NiceAgentOption options;

  self->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  if (!sotto_ice_transport_set_local_addresses (self, g_getenv ("SOTTO_ICE_ADDRESSES"), error))
    return NULL;

  /* RFC 8445 full ICE with regular nomination, trickle (RFC 8838) and
   * consent freshness (RFC 7675), which libnice leaves off by default. */
  options = NICE_AGENT_OPTION_ICE_TRICKLE | NICE_AGENT_OPTION_CONSENT_FRESHNESS |
            NICE_AGENT_OPTION_REGULAR_NOMINATION;
  self->agent = nice_agent_new_full (self->context, NICE_COMPATIBILITY_RFC5245, options);
  g_object_set (self->agent,
                "upnp", FALSE,
                "ice-udp", TRUE,
                "ice-tcp", TRUE,
                "controlling-mode", FALSE,
                NULL);
  /* Ta paces checks (one new check per Ta). libnice's 20 ms makes a
   * loopback call take ~75 ms to set up, mostly waiting; RFC 8445,
   * section 14.2 allows down to 5 ms, and with the handful of candidate
   * pairs a call has, that is a short burst of small packets. */
  g_object_set (self->agent, "stun-pacing-timer", SOTTO_ICE_TA_MS, NULL);

  self->stream_id = nice_agent_add_stream (self->agent, 1);
  if (self->stream_id == 0)
    {
      g_set_error_literal (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_AGENT,
                           "the ICE agent could not create its stream");
      return NULL;
    }
  nice_agent_set_stream_name (self->agent, self->stream_id, "application");
  refresh_credentials (self);

  g_signal_connect (self->agent, "new-candidate-full", G_CALLBACK (on_new_candidate), self);
  g_signal_connect (self->agent, "candidate-gathering-done", G_CALLBACK (on_gathering_done), self);
  g_signal_connect (self->agent, "component-state-changed",
                    G_CALLBACK (on_component_state_changed), self);
  g_signal_connect (self->agent, "new-selected-pair-full", G_CALLBACK (on_selected_pair), self);
  nice_agent_attach_recv (self->agent, self->stream_id, COMPONENT_ID, self->context,
                          on_receive, self);
  return g_steal_pointer (&self);
}

gboolean
sotto_ice_transport_set_local_addresses (SottoIceTransport  *self,
                                         const char         *list,
                                         GError            **error)
{
  g_autoptr(GPtrArray) parsed = NULL;

  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), FALSE);
  if (self->gathering_started)
    {
      g_set_error_literal (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_INVALID_STATE,
                           "local addresses can only change before gathering");
      return FALSE;
    }
  parsed = sotto_ice_parse_address_list (list, error);
  if (parsed == NULL)
    return FALSE;
  g_ptr_array_unref (self->local_addresses);
  self->local_addresses = g_steal_pointer (&parsed);
  return TRUE;
}

void
sotto_ice_transport_add_server (SottoIceTransport    *self,
                                const SottoIceServer *server)
{
  g_return_if_fail (SOTTO_IS_ICE_TRANSPORT (self));
  g_return_if_fail (!self->gathering_started);
  g_ptr_array_add (self->servers, sotto_ice_server_copy (server));
}

void
sotto_ice_transport_set_policy (SottoIceTransport *self,
                                SottoIcePolicy     policy)
{
  g_return_if_fail (SOTTO_IS_ICE_TRANSPORT (self));
  self->policy = policy;
  /* libnice then pairs only relayed local candidates. */
  g_object_set (self->agent, "force-relay", policy == SOTTO_ICE_POLICY_RELAY, NULL);
}

void
sotto_ice_transport_set_controlling (SottoIceTransport *self,
                                     gboolean           controlling)
{
  g_return_if_fail (SOTTO_IS_ICE_TRANSPORT (self));
  if (self->controlling == !!controlling)
    return;
  self->controlling = !!controlling;
  g_object_set (self->agent, "controlling-mode", self->controlling, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLING]);
}

gboolean
sotto_ice_transport_get_controlling (SottoIceTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), FALSE);
  return self->controlling;
}

void
sotto_ice_transport_set_receive_func (SottoIceTransport   *self,
                                      SottoIceReceiveFunc  func,
                                      gpointer             user_data)
{
  g_return_if_fail (SOTTO_IS_ICE_TRANSPORT (self));
  self->receive_func = func;
  self->receive_data = user_data;
}

const char *
sotto_ice_transport_get_local_ufrag (SottoIceTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), NULL);
  return self->local_ufrag;
}

const char *
sotto_ice_transport_get_local_pwd (SottoIceTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), NULL);
  return self->local_pwd;
}

static void
start_gathering (SottoIceTransport *self)
{
  gboolean have_stun = FALSE;
  guint i;

  for (i = 0; i < self->servers->len; i++)
    {
      SottoIceServer *server = self->servers->pdata[i];
      NiceRelayType relay_type;

      if (server->resolved == NULL)
        continue;  /* resolution failed; reported then */
      if (server->kind == SERVER_STUN)
        {
          /* libnice takes a single STUN server; the first wins. */
          if (!have_stun)
            g_object_set (self->agent, "stun-server", server->resolved,
                          "stun-server-port", server->port, NULL);
          have_stun = TRUE;
          continue;
        }
      relay_type = server->kind == SERVER_TURN_TCP ? NICE_RELAY_TYPE_TURN_TCP
                 : server->kind == SERVER_TURN_TLS ? NICE_RELAY_TYPE_TURN_TLS
                 : NICE_RELAY_TYPE_TURN_UDP;
      if (!nice_agent_set_relay_info (self->agent, self->stream_id, COMPONENT_ID,
                                      server->resolved, server->port, server->username,
                                      server->credential, relay_type))
        g_message ("the ICE agent refused TURN server %s:%u; gathering without it",
                   server->host, server->port);
    }

  if (!nice_agent_gather_candidates (self->agent, self->stream_id))
    {
      /* A configuration problem, reported through the state, not a
       * programming error: never g_warning (fatal in tests). */
      self->failure_reason = "ICE gathering could not start: no local address in "
                             "SOTTO_ICE_ADDRESSES could be used";
      g_message ("%p: %s", self, self->failure_reason);
      set_state (self, SOTTO_ICE_STATE_FAILED);
    }
}

typedef struct {
  GWeakRef        transport;
  SottoIceServer *server;   /* owned by the transport, which must still exist */
} Resolution;

static void
on_server_resolved (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Resolution *res = user_data;
  g_autoptr(SottoIceTransport) self = g_weak_ref_get (&res->transport);
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);

  if (self != NULL && !g_cancellable_is_cancelled (self->cancellable))
    {
      if (addresses != NULL)
        res->server->resolved = g_inet_address_to_string (addresses->data);
      else
        g_message ("could not resolve ICE server %s: %s", res->server->host, error->message);
      if (--self->pending_resolutions == 0)
        start_gathering (self);
    }
  g_resolver_free_addresses (addresses);
  g_weak_ref_clear (&res->transport);
  g_free (res);
}

gboolean
sotto_ice_transport_gather (SottoIceTransport  *self,
                            GError            **error)
{
  guint i;

  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), FALSE);
  if (self->state == SOTTO_ICE_STATE_CLOSED)
    {
      g_set_error_literal (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_INVALID_STATE,
                           "the ICE transport is closed");
      return FALSE;
    }
  if (self->gathering_started)
    return TRUE;
  self->gathering_started = TRUE;

  /* Explicit addresses replace libnice's discovery of every interface. */
  for (i = 0; i < self->local_addresses->len; i++)
    {
      NiceAddress addr;

      nice_address_init (&addr);
      if (!nice_address_set_from_string (&addr, self->local_addresses->pdata[i]) ||
          !nice_agent_add_local_address (self->agent, &addr))
        {
          g_set_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_BAD_ADDRESS,
                       "the ICE agent cannot use local address %s",
                       (const char *) self->local_addresses->pdata[i]);
          return FALSE;
        }
    }

  for (i = 0; i < self->servers->len; i++)
    {
      SottoIceServer *server = self->servers->pdata[i];
      g_autoptr(GResolver) resolver = NULL;
      Resolution *res;

      if (server->resolved != NULL)
        continue;
      resolver = g_resolver_get_default ();
      res = g_new0 (Resolution, 1);
      g_weak_ref_init (&res->transport, self);
      res->server = server;
      self->pending_resolutions++;
      /* The callback runs on the agent's context, like everything else. */
      g_main_context_push_thread_default (self->context);
      g_resolver_lookup_by_name_async (resolver, server->host, self->cancellable,
                                       on_server_resolved, res);
      g_main_context_pop_thread_default (self->context);
    }
  if (self->pending_resolutions == 0)
    start_gathering (self);
  return TRUE;
}

gboolean
sotto_ice_transport_set_remote_credentials (SottoIceTransport  *self,
                                            const char         *ufrag,
                                            const char         *pwd,
                                            GError            **error)
{
  guint i;

  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), FALSE);
  if (ufrag == NULL || pwd == NULL ||
      !nice_agent_set_remote_credentials (self->agent, self->stream_id, ufrag, pwd))
    {
      g_set_error_literal (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_CREDENTIALS,
                           "the ICE agent refused the remote ufrag/pwd");
      return FALSE;
    }
  self->have_remote_credentials = TRUE;
  for (i = 0; i < self->pending_remote->len; i++)
    if (!add_remote_now (self, self->pending_remote->pdata[i], error))
      return FALSE;
  g_ptr_array_set_size (self->pending_remote, 0);
  return TRUE;
}

gboolean
sotto_ice_transport_add_remote_candidate (SottoIceTransport  *self,
                                          const char         *candidate,
                                          GError            **error)
{
  g_autoptr(SottoSdpCandidate) c = NULL;
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), FALSE);
  c = sotto_sdp_candidate_parse (candidate, &parse_error);
  if (c == NULL)
    {
      g_set_error_literal (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_CANDIDATE,
                           parse_error->message);
      return FALSE;
    }
  if (++self->n_remote > MAX_REMOTE_CANDIDATES)
    {
      g_set_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_CANDIDATE,
                   "more than %d remote candidates; ignoring the rest", MAX_REMOTE_CANDIDATES);
      return FALSE;
    }
  if (!self->have_remote_credentials)
    {
      g_ptr_array_add (self->pending_remote, g_steal_pointer (&c));
      return TRUE;
    }
  return add_remote_now (self, c, error);
}

void
sotto_ice_transport_remote_gathering_done (SottoIceTransport *self)
{
  g_return_if_fail (SOTTO_IS_ICE_TRANSPORT (self));
  nice_agent_peer_candidate_gathering_done (self->agent, self->stream_id);
}

gboolean
sotto_ice_transport_restart (SottoIceTransport  *self,
                             GError            **error)
{
  guint i;

  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), FALSE);
  if (self->state == SOTTO_ICE_STATE_CLOSED)
    {
      g_set_error_literal (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_INVALID_STATE,
                           "the ICE transport is closed");
      return FALSE;
    }
  /* New ufrag/pwd (RFC 8445, section 9); libnice forgets the remote
   * candidates and restores consent. Our candidates stay valid and are
   * trickled again for the new generation. */
  if (!nice_agent_restart_stream (self->agent, self->stream_id))
    {
      g_set_error_literal (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_AGENT,
                           "the ICE agent could not restart");
      return FALSE;
    }
  refresh_credentials (self);
  self->have_remote_credentials = FALSE;
  self->n_remote = 0;
  self->failure_reason = NULL;
  self->sel_local_type = self->sel_remote_type = self->sel_transport = NULL;
  set_state (self, SOTTO_ICE_STATE_CHECKING);
  for (i = 0; i < self->local_candidates->len; i++)
    g_signal_emit (self, signals[SIGNAL_LOCAL_CANDIDATE], 0, self->local_candidates->pdata[i]);
  return TRUE;
}

gboolean
sotto_ice_transport_send (SottoIceTransport *self,
                          const guint8      *data,
                          gsize              len)
{
  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), FALSE);
  if (self->agent == NULL || self->state != SOTTO_ICE_STATE_CONNECTED || len > G_MAXUINT)
    return FALSE;
  return nice_agent_send (self->agent, self->stream_id, COMPONENT_ID, (guint) len,
                          (const gchar *) data) == (gint) len;
}

void
sotto_ice_transport_close (SottoIceTransport *self)
{
  g_return_if_fail (SOTTO_IS_ICE_TRANSPORT (self));
  if (self->state == SOTTO_ICE_STATE_CLOSED)
    return;
  g_cancellable_cancel (self->cancellable);
  set_state (self, SOTTO_ICE_STATE_CLOSED);
}

SottoIceState
sotto_ice_transport_get_state (SottoIceTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), SOTTO_ICE_STATE_CLOSED);
  return self->state;
}

gboolean
sotto_ice_transport_get_selected_pair (SottoIceTransport  *self,
                                       const char        **local_type,
                                       const char        **remote_type,
                                       const char        **transport)
{
  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), FALSE);
  if (local_type != NULL)
    *local_type = self->sel_local_type;
  if (remote_type != NULL)
    *remote_type = self->sel_remote_type;
  if (transport != NULL)
    *transport = self->sel_transport;
  return self->sel_local_type != NULL;
}

const char *
sotto_ice_transport_get_failure_reason (SottoIceTransport *self)
{
  g_return_val_if_fail (SOTTO_IS_ICE_TRANSPORT (self), NULL);
  return self->failure_reason;
}
