/* test-signaling-common.h: helpers for the signaling integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real `sotto-server serve` on 127.0.0.1:0 with a temporary state
 * directory, sessions and tokens made over its REST API, and participants
 * that are real SottoSignalingClients over TLS WebSockets.
 */
#pragma once

#include "sotto-signaling-client.h"
#include "sotto-test-server.h"

G_BEGIN_DECLS

/* Every wait is bounded by this. */
#define TEST_WAIT_MS 10000

typedef struct
{
  SottoTestServer *server;
  char            *auth;
} Fixture;

typedef struct
{
  SottoSignalingClient *client;
  GMainContext         *context;   /* the context driving it (NULL: default) */
  GPtrArray            *inbox;     /* SottoSignalMessage, not yet consumed */
  gboolean              connect_done;
  GError               *connect_error;
  gboolean              closed;
  GError               *closed_error;
} Peer;

/* Starts the server with extra environment (NULL-terminated "K=V" list). */
void     fixture_start        (Fixture            *fx,
                               const char *const  *env);
void     fixture_stop         (Fixture            *fx);
char    *fixture_new_session  (Fixture            *fx,
                               guint               max_participants);
char    *fixture_mint         (Fixture            *fx,
                               const char         *session_id,
                               const char         *role,
                               const char         *data);
/* GET /v1/sessions/{id} as parsed JSON. */
JsonNode *fixture_describe    (Fixture            *fx,
                               const char         *session_id);

/* Runs the default context (and `other`, if non-NULL) for `ms`. */
void     spin                 (guint               ms);

Peer    *peer_new             (const char         *token);
/* Starts connecting without waiting. */
void     peer_start           (Peer               *peer);
/* Connects and waits for the welcome (or failure); returns the error. */
GError  *peer_connect         (Peer               *peer);
Peer    *peer_join            (const char         *token);   /* asserts success */
void     peer_free            (Peer               *peer);
/* Waits for the first unconsumed message of `type` and consumes it. */
SottoSignalMessage *peer_wait (Peer               *peer,
                               const char         *type);
/* TRUE if an unconsumed message of `type` is in the inbox (no waiting). */
gboolean peer_has             (Peer               *peer,
                               const char         *type);
void     peer_wait_closed     (Peer               *peer);
/* Drops everything received so far. */
void     peer_clear_inbox     (Peer               *peer);
const char *peer_id           (Peer               *peer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

G_END_DECLS
