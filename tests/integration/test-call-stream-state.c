/* test-call-stream-state.c: a SottoCallSession's camera and microphone switches, as others see them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real `sotto-server serve`, a real SottoCallSession publishing test
 * sources, and plain SottoSignalingClients on the other side: turning the
 * camera or microphone off must reach the others as stream-state-changed,
 * and the others' switches must reach the session as "stream-state-changed"
 * and through sotto_call_session_get_stream_state(); sotto-call prints them.
 */
#include "test-signaling-common.h"

#include <signal.h>

#include "sotto-call-session.h"

typedef struct
{
  gboolean joined;
  GError  *join_error;
  char    *stream_id;       /* last "stream-state-changed" */
  gboolean audio_active;
  gboolean video_active;
  guint    changes;
  gboolean added_video;     /* video state asked for in "stream-added" */
  gboolean added_known;
} Watch;

static void
on_joined (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Watch *w = user_data;

  sotto_call_session_join_finish (SOTTO_CALL_SESSION (source), result, &w->join_error);
  w->joined = TRUE;
}

static void
on_state_changed (SottoCallSession *session, const char *stream_id, gboolean audio, gboolean video,
                  Watch *w)
{
  g_free (w->stream_id);
  w->stream_id = g_strdup (stream_id);
  w->audio_active = audio;
  w->video_active = video;
  w->changes++;
}

static void
on_stream_added (SottoCallSession *session, const char *stream_id, const char *owner,
                 const char *name, Watch *w)
{
  if (g_strcmp0 (stream_id, "c-cam") == 0)
    w->added_known = sotto_call_session_get_stream_state (session, stream_id, NULL, &w->added_video);
}

static void
wait_for_changes (Watch *w, guint changes)
{
  for (guint i = 0; i < TEST_WAIT_MS / 20 && w->changes < changes; i++)
    spin (20);
  g_assert_cmpuint (w->changes, >=, changes);
}

static void
test_switches (void)
{
  Fixture fx = { 0 };
  g_autofree char *sid = NULL;
  g_autofree char *t_a = NULL;
  g_autofree char *t_b = NULL;
  g_autofree char *t_c = NULL;
  g_autoptr (Peer) b = NULL;
  g_autoptr (Peer) c = NULL;
  g_autoptr (SottoCallSession) a = NULL;
  g_autoptr (SottoSignalMessage) publish = NULL;
  g_autoptr (SottoSignalMessage) created = NULL;
  g_autoptr (SottoSignalMessage) changed = NULL;
  Watch w = { 0 };
  JsonObject *stream;
  gboolean audio = FALSE, video = TRUE;

  fixture_start (&fx, NULL);
  sid = fixture_new_session (&fx, 0);
  t_a = fixture_mint (&fx, sid, "publisher", NULL);
  t_b = fixture_mint (&fx, sid, "subscriber", NULL);
  t_c = fixture_mint (&fx, sid, "publisher", NULL);
  b = peer_join (t_b);
  c = peer_join (t_c);

  /* C's camera is already off when A arrives. */
  publish = sotto_signal_message_new (SOTTO_SIGNAL_TYPE_PUBLISH);
  sotto_signal_message_set_string (publish, "stream_id", "c-cam");
  sotto_signal_message_take_node (publish, "kinds", sotto_signal_kinds_to_node (SOTTO_SIGNAL_KIND_VIDEO));
  sotto_signal_message_set_bool (publish, "video", FALSE);
  g_assert_true (sotto_signaling_client_send (c->client, publish, NULL));
  g_object_unref (peer_wait (b, "stream-created"));

  /* A joins with its camera off: the others never see it on. */
  a = sotto_call_session_new (NULL);
  g_signal_connect (a, "stream-state-changed", G_CALLBACK (on_state_changed), &w);
  g_signal_connect (a, "stream-added", G_CALLBACK (on_stream_added), &w);
  sotto_call_session_set_camera_enabled (a, FALSE);
  sotto_call_session_join_async (a, t_a, NULL, on_joined, &w);
  for (guint i = 0; i < TEST_WAIT_MS / 20 && !w.joined; i++)
    spin (20);
  g_assert_true (w.joined);
  g_assert_no_error (w.join_error);
  g_assert_true (w.added_known);
  g_assert_false (w.added_video);

  created = peer_wait (b, "stream-created");
  stream = sotto_signal_message_get_member_object (created, "stream");
  g_assert_cmpstr (json_object_get_string_member (stream, "id"), ==, sotto_call_session_get_stream_id (a));
  g_assert_false (json_object_get_boolean_member (stream, "video_active"));
  g_assert_true (json_object_get_boolean_member (stream, "audio_active"));

  /* Camera on, then microphone off: one message each. */
  sotto_call_session_set_camera_enabled (a, TRUE);
  changed = peer_wait (b, "stream-state-changed");
  g_assert_cmpstr (sotto_signal_message_get_string (changed, "stream_id"), ==,
                   sotto_call_session_get_stream_id (a));
  g_assert_true (sotto_signal_message_get_bool (changed, "video", FALSE));
  g_assert_true (sotto_signal_message_get_bool (changed, "audio", FALSE));
  g_clear_object (&changed);
  sotto_call_session_set_microphone_enabled (a, FALSE);
  /* Setting what is already set sends nothing. */
  sotto_call_session_set_microphone_enabled (a, FALSE);
  changed = peer_wait (b, "stream-state-changed");
  g_assert_false (sotto_signal_message_get_bool (changed, "audio", TRUE));
  g_assert_true (sotto_signal_message_get_bool (changed, "video", FALSE));
  spin (200);
  g_assert_false (peer_has (b, "stream-state-changed"));

  /* C turns its camera on: A's session says so. */
  w.changes = 0;
  g_assert_true (sotto_signaling_client_set_stream_state (c->client, "c-cam", TRUE, TRUE, NULL));
  for (guint i = 0; i < TEST_WAIT_MS / 20 && g_strcmp0 (w.stream_id, "c-cam") != 0; i++)
    spin (20);
  g_assert_cmpstr (w.stream_id, ==, "c-cam");
  g_assert_true (w.video_active);
  g_assert_true (sotto_call_session_get_stream_state (a, "c-cam", &audio, &video));
  g_assert_true (video);
  g_assert_false (sotto_call_session_get_stream_state (a, "no-such", &audio, &video));
  g_assert_false (audio);
  g_assert_false (video);

  /* And off again. */
  w.changes = 0;
  g_assert_true (sotto_signaling_client_set_stream_state (c->client, "c-cam", TRUE, FALSE, NULL));
  wait_for_changes (&w, 1);
  g_assert_cmpstr (w.stream_id, ==, "c-cam");
  g_assert_false (w.video_active);

  sotto_call_session_leave (a);
  g_signal_handlers_disconnect_by_data (a, &w);
  g_clear_object (&a);
  g_free (w.stream_id);
  g_clear_error (&w.join_error);
  g_clear_pointer (&b, peer_free);
  g_clear_pointer (&c, peer_free);
  fixture_stop (&fx);
}

typedef struct
{
  GDataInputStream *lines;
  GPtrArray        *events;   /* JsonObject * of every stdout line */
  gboolean          eof;
} Output;

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Output *out = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish (out->lines, result, NULL, NULL);
  g_autoptr (JsonNode) node = NULL;

  if (line == NULL)
    {
      out->eof = TRUE;
      return;
    }
  node = json_from_string (line, NULL);
  if (node && JSON_NODE_HOLDS_OBJECT (node))
    g_ptr_array_add (out->events, json_object_ref (json_node_get_object (node)));
  g_data_input_stream_read_line_async (out->lines, G_PRIORITY_DEFAULT, NULL, on_line, out);
}

static JsonObject *
find_event (Output *out, const char *stream_id, gboolean video_active)
{
  for (guint i = 0; i < out->events->len; i++)
    {
      JsonObject *e = g_ptr_array_index (out->events, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (e, "event", ""), "stream-state") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (e, "stream_id", ""), stream_id) == 0 &&
          json_object_get_boolean_member_with_default (e, "video_active", !video_active) == video_active)
        return e;
    }
  return NULL;
}

/* sotto-call with the arguments after `flags` (NULL-terminated). */
static GSubprocess *
spawn_sotto_call (GSubprocessFlags flags,
                  ...)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  GSubprocess *proc;
  const char *arg;
  va_list ap;

  /* As for the Python tests' children (DEVELOPERS.md, "Sanitizers"). */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS",
                                "detect_leaks=0:abort_on_error=1:detect_odr_violation=0", TRUE);
  g_ptr_array_add (argv, (gpointer) SOTTO_CALL_BIN);
  va_start (ap, flags);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

/* sotto-call prints the others' switches as {"event": "stream-state", ...}. */
static void
test_cli_event (void)
{
  Fixture fx = { 0 };
  g_autofree char *sid = NULL;
  g_autofree char *t_c = NULL;
  g_autofree char *t_s = NULL;
  g_autoptr (Peer) c = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  Output out = { 0 };
  JsonObject *event = NULL;

  fixture_start (&fx, NULL);
  sid = fixture_new_session (&fx, 0);
  t_c = fixture_mint (&fx, sid, "publisher", NULL);
  t_s = fixture_mint (&fx, sid, "subscriber", NULL);
  c = peer_join (t_c);
  g_assert_true (sotto_signaling_client_publish (c->client, "c-cam", SOTTO_SIGNAL_KIND_VIDEO, NULL, NULL));
  g_object_unref (peer_wait (c, "stream-created"));

  proc = spawn_sotto_call (G_SUBPROCESS_FLAGS_STDOUT_PIPE, "--token", t_s, "--no-publish",
                           "--duration", "20", NULL);
  out.events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  out.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_data_input_stream_read_line_async (out.lines, G_PRIORITY_DEFAULT, NULL, on_line, &out);

  /* Once sotto-call knows the stream, C's camera goes off. */
  g_object_unref (peer_wait (c, "subscription-created"));
  g_assert_true (sotto_signaling_client_set_stream_state (c->client, "c-cam", TRUE, FALSE, NULL));
  for (guint i = 0; i < TEST_WAIT_MS / 20 && !out.eof && !(event = find_event (&out, "c-cam", FALSE)); i++)
    spin (20);
  g_assert_nonnull (event);
  g_assert_true (json_object_get_boolean_member (event, "audio_active"));

  g_subprocess_send_signal (proc, SIGINT);
  for (guint i = 0; i < TEST_WAIT_MS / 20 && !out.eof; i++)
    spin (20);
  g_assert_true (out.eof);
  g_subprocess_wait (proc, NULL, NULL);
  g_clear_object (&out.lines);
  g_ptr_array_unref (out.events);
  g_clear_pointer (&c, peer_free);
  fixture_stop (&fx);
}

/* `sotto-call --camera-off --mute` publishes with both off: the others see
 * it in the stream object itself, before any media. */
static void
test_cli_join_off (void)
{
  Fixture fx = { 0 };
  g_autofree char *sid = NULL;
  g_autofree char *t_p = NULL;
  g_autofree char *t_w = NULL;
  g_autoptr (Peer) watcher = NULL;
  g_autoptr (SottoSignalMessage) created = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  JsonObject *stream;

  fixture_start (&fx, NULL);
  sid = fixture_new_session (&fx, 0);
  t_p = fixture_mint (&fx, sid, "publisher", NULL);
  t_w = fixture_mint (&fx, sid, "subscriber", NULL);
  watcher = peer_join (t_w);

  proc = spawn_sotto_call (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, "--token", t_p, "--camera-off",
                           "--mute", "--width", "320", "--height", "240", "--fps", "15",
                           "--duration", "20", NULL);

  created = peer_wait (watcher, "stream-created");
  stream = sotto_signal_message_get_member_object (created, "stream");
  g_assert_false (json_object_get_boolean_member (stream, "video_active"));
  g_assert_false (json_object_get_boolean_member (stream, "audio_active"));

  g_subprocess_send_signal (proc, SIGINT);
  g_subprocess_wait (proc, NULL, NULL);
  g_clear_pointer (&watcher, peer_free);
  fixture_stop (&fx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sotto/call-session/stream-state", test_switches);
  g_test_add_func ("/sotto/call-session/cli-event", test_cli_event);
  g_test_add_func ("/sotto/call-session/cli-join-off", test_cli_join_off);
  return g_test_run ();
}
