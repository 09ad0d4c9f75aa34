/* test-signaling-common.c: helpers for the signaling integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "test-signaling-common.h"

#include <string.h>

void
fixture_start (Fixture           *fx,
               const char *const *env)
{
  /* The server inherits the environment: set, start, and unset again. */
  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);

      g_setenv (kv[0], kv[1], TRUE);
    }
  fx->server = sotto_test_server_start (SOTTO_SERVER_BIN, NULL, NULL);
  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (env[i], "=", 2);

      g_unsetenv (kv[0]);
    }
  fx->auth = sotto_test_server_auth (fx->server);
}

void
fixture_stop (Fixture *fx)
{
  /* A clean stop (exit 0) also proves the server survived the test. */
  g_assert_cmpint (sotto_test_server_stop (fx->server), ==, 0);
  g_clear_pointer (&fx->server, sotto_test_server_free);
  g_clear_pointer (&fx->auth, g_free);
}

static const char *
member_string (JsonNode   *node,
               const char *name)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
}

char *
fixture_new_session (Fixture *fx,
                     guint    max_participants)
{
  g_autoptr (JsonNode) json = NULL;
  g_autofree char *body = max_participants ? g_strdup_printf ("{\"max_participants\":%u}",
                                                              max_participants)
                                           : g_strdup ("{}");

  g_assert_cmpuint (sotto_test_server_request (fx->server, "POST", "/v1/sessions", body, fx->auth,
                                               &json), ==, 201);
  return g_strdup (member_string (json, "session_id"));
}

char *
fixture_mint (Fixture    *fx,
              const char *session_id,
              const char *role,
              const char *data)
{
  g_autoptr (JsonNode) json = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/sessions/%s/tokens", session_id);
  g_autofree char *body = NULL;

  if (data != NULL)
    body = g_strdup_printf ("{\"role\":\"%s\",\"data\":\"%s\"}", role, data);
  else
    body = g_strdup_printf ("{\"role\":\"%s\"}", role);
  g_assert_cmpuint (sotto_test_server_request (fx->server, "POST", path, body, fx->auth, &json),
                    ==, 201);
  return g_strdup (member_string (json, "token"));
}

JsonNode *
fixture_describe (Fixture    *fx,
                  const char *session_id)
{
  JsonNode *json = NULL;
  g_autofree char *path = g_strdup_printf ("/v1/sessions/%s", session_id);

  g_assert_cmpuint (sotto_test_server_request (fx->server, "GET", path, NULL, fx->auth, &json),
                    ==, 200);
  return json;
}

static gboolean
on_flag_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
spin (guint ms)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, on_flag_timeout, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  (void) id;
}

static void
on_message (SottoSignalingClient *client,
            SottoSignalMessage   *msg,
            gpointer              user_data)
{
  Peer *peer = user_data;

  g_ptr_array_add (peer->inbox, g_object_ref (msg));
}

static void
on_closed (SottoSignalingClient *client,
           const GError         *error,
           gpointer              user_data)
{
  Peer *peer = user_data;

  peer->closed = TRUE;
  g_clear_error (&peer->closed_error);
  peer->closed_error = error ? g_error_copy (error) : NULL;
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Peer *peer = user_data;

  sotto_signaling_client_connect_finish (SOTTO_SIGNALING_CLIENT (source), result,
                                         &peer->connect_error);
  peer->connect_done = TRUE;
}

Peer *
peer_new (const char *token)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr (GError) error = NULL;

  peer->client = sotto_signaling_client_new (token, &error);
  g_assert_no_error (error);
  peer->inbox = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (peer->client, "message", G_CALLBACK (on_message), peer);
  g_signal_connect (peer->client, "closed", G_CALLBACK (on_closed), peer);
  return peer;
}

void
peer_start (Peer *peer)
{
  sotto_signaling_client_connect_async (peer->client, NULL, on_connected, peer);
}

/* Iterates the peer's context until `*flag` or the bound. */
static void
run_until (Peer     *peer,
           gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TEST_WAIT_MS * 1000;

  while (!*flag && g_get_monotonic_time () < deadline)
    {
      /* Non-blocking with a short sleep keeps the deadline honest. */
      if (!g_main_context_iteration (peer->context, FALSE))
        g_usleep (1000);
    }
}

GError *
peer_connect (Peer *peer)
{
  peer_start (peer);
  run_until (peer, &peer->connect_done);
  g_assert_true (peer->connect_done);
  return g_steal_pointer (&peer->connect_error);
}

Peer *
peer_join (const char *token)
{
  Peer *peer = peer_new (token);
  g_autoptr (GError) error = peer_connect (peer);

  g_assert_no_error (error);
  return peer;
}

void
peer_free (Peer *peer)
{
  g_signal_handlers_disconnect_by_data (peer->client, peer);
  g_clear_object (&peer->client);
  g_ptr_array_unref (peer->inbox);
  g_clear_error (&peer->connect_error);
  g_clear_error (&peer->closed_error);
  g_free (peer);
}

static gint
find (Peer       *peer,
      const char *type)
{
  for (guint i = 0; i < peer->inbox->len; i++)
    {
      SottoSignalMessage *msg = g_ptr_array_index (peer->inbox, i);

      if (g_strcmp0 (sotto_signal_message_type_to_string (sotto_signal_message_get_message_type (msg)),
                     type) == 0)
        return (gint) i;
    }
  return -1;
}

gboolean
peer_has (Peer       *peer,
          const char *type)
{
  return find (peer, type) >= 0;
}

SottoSignalMessage *
peer_wait (Peer       *peer,
           const char *type)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) TEST_WAIT_MS * 1000;
  gint index;

  while ((index = find (peer, type)) < 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (peer->context, FALSE))
      g_usleep (1000);
  if (index < 0)
    g_error ("no “%s” message arrived within %d ms", type, TEST_WAIT_MS);
  /* The caller owns the result; the inbox forgets it. */
  return g_ptr_array_steal_index (peer->inbox, index);
}

void
peer_wait_closed (Peer *peer)
{
  run_until (peer, &peer->closed);
  g_assert_true (peer->closed);
}

void
peer_clear_inbox (Peer *peer)
{
  g_ptr_array_set_size (peer->inbox, 0);
}

const char *
peer_id (Peer *peer)
{
  return sotto_signaling_client_get_connection_id (peer->client);
}
