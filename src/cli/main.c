/* sotto-call: the headless Sotto client, for tests, bots and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every line it prints on stdout is one JSON object: events as
 * {"event": "...", ...} and, with --stats, {"event": "stats", "t": s,
 * "subscriptions": [...]} once a second. Diagnostics go to stderr. The exit
 * codes are listed in --help and in the README.
 */
#define G_LOG_DOMAIN "sotto-call"

#include "sotto-config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "sotto-call-session.h"

typedef struct {
  GMainLoop        *loop;
  SottoCallSession *session;
  gboolean          print_stats;
  gint64            started_us;
  int               exit_code;
  gboolean          ended;
  guint             stats_source;
  gboolean          reconnecting;
  int               deferred_exit_code;
  GHashTable       *first_frames;      /* stream ids whose first frame was reported */
} CallRun;

static void
print_json (JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  fprintf (stdout, "%s\n", text);
  fflush (stdout);
}

static JsonBuilder *
begin_event (const char *name)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, name);
  return builder;
}

static void
add_string (JsonBuilder *builder, const char *key, const char *value)
{
  json_builder_set_member_name (builder, key);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
finish_event (JsonBuilder *builder)
{
  json_builder_end_object (builder);
  print_json (builder);
  g_object_unref (builder);
}

static void
on_participant_joined (SottoCallSession *session, const char *id, const char *role,
                       const char *data, CallRun *run)
{
  JsonBuilder *b = begin_event ("participant-joined");

  add_string (b, "connection_id", id);
  add_string (b, "role", role);
  add_string (b, "data", data);
  finish_event (b);
}

static void
on_participant_left (SottoCallSession *session, const char *id, const char *reason,
                     CallRun *run)
{
  JsonBuilder *b = begin_event ("participant-left");

  add_string (b, "connection_id", id);
  add_string (b, "reason", reason);
  finish_event (b);
}

static void
on_stream_added (SottoCallSession *session, const char *stream_id, const char *owner,
                 const char *name, CallRun *run)
{
  JsonBuilder *b = begin_event ("stream-created");

  add_string (b, "stream_id", stream_id);
  add_string (b, "owner", owner);
  add_string (b, "name", name);
  finish_event (b);
}

static void
on_stream_removed (SottoCallSession *session, const char *stream_id, const char *reason,
                   CallRun *run)
{
  JsonBuilder *b = begin_event ("stream-destroyed");

  add_string (b, "stream_id", stream_id);
  add_string (b, "reason", reason);
  finish_event (b);
}

static void
on_subscribed (SottoCallSession *session, const char *stream_id, CallRun *run)
{
  JsonBuilder *b = begin_event ("subscribed");

  add_string (b, "stream_id", stream_id);
  finish_event (b);
}

/* Once per stream, as soon as its first frame is decoded: benchmarks time
 * join to first frame from this line. */
static void
on_video_frame (SottoCallSession *session, const char *stream_id, guint width, guint height,
                guint stride, GBytes *pixels, CallRun *run)
{
  JsonBuilder *b;

  if (g_hash_table_contains (run->first_frames, stream_id))
    return;
  g_hash_table_add (run->first_frames, g_strdup (stream_id));
  b = begin_event ("first-frame");
  add_string (b, "stream_id", stream_id);
  json_builder_set_member_name (b, "t");
  json_builder_add_double_value (b, (g_get_monotonic_time () - run->started_us) / 1e6);
  finish_event (b);
}

static void
on_media_connected (SottoCallSession *session, const char *stream_id,
                    const char *direction, CallRun *run)
{
  JsonBuilder *b = begin_event ("media-connected");

  add_string (b, "stream_id", stream_id);
  add_string (b, "direction", direction);
  finish_event (b);
}

static void
on_subscriber_count (SottoCallSession *session, const char *stream_id, guint count,
                     CallRun *run)
{
  JsonBuilder *b = begin_event ("subscriber-count");

  add_string (b, "stream_id", stream_id);
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, count);
  finish_event (b);
}

static void
on_stream_state (SottoCallSession *session, const char *stream_id, gboolean audio_active,
                 gboolean video_active, CallRun *run)
{
  JsonBuilder *b = begin_event ("stream-state");

  add_string (b, "stream_id", stream_id);
  json_builder_set_member_name (b, "audio_active");
  json_builder_add_boolean_value (b, audio_active);
  json_builder_set_member_name (b, "video_active");
  json_builder_add_boolean_value (b, video_active);
  finish_event (b);
}

static void
on_moderated (SottoCallSession *session, const char *action, const char *target,
              const char *by, const char *reason, CallRun *run)
{
  JsonBuilder *b = begin_event ("moderation");

  add_string (b, "action", action);
  add_string (b, "target", target);
  add_string (b, "by", by);
  add_string (b, "reason", reason);
  finish_event (b);
}

static void
print_error_event (const char *name, const GError *error)
{
  JsonBuilder *b = begin_event (name);

  add_string (b, "domain", g_quark_to_string (error->domain));
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, error->code);
  add_string (b, "message", error->message);
  finish_event (b);
}

static void
on_error (SottoCallSession *session, const GError *error, CallRun *run)
{
  print_error_event ("error", error);
  /* The call goes on, but it did not run as asked: remember the first
   * failure that has an exit code of its own. */
  if (run->deferred_exit_code == 0 && g_error_matches (error, SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_TRANSPORT_FAILED))
    run->deferred_exit_code = sotto_call_error_exit_code (error);
  if (run->deferred_exit_code == 0 && g_error_matches (error, SOTTO_CALL_ERROR, SOTTO_CALL_ERROR_MEDIA))
    run->deferred_exit_code = sotto_call_error_exit_code (error);
}

static void
on_ended (SottoCallSession *session, const GError *error, CallRun *run)
{
  if (run->ended)
    return;
  run->ended = TRUE;
  if (error)
    {
      g_printerr ("sotto-call: %s\n", error->message);
      print_error_event ("ended", error);
      run->exit_code = sotto_call_error_exit_code (error);
    }
  else
    {
      JsonBuilder *b = begin_event ("ended");
      finish_event (b);
    }
  g_main_loop_quit (run->loop);
}

static void
on_state_changed (SottoCallSession *session, CallRun *run)
{
  SottoCallState state = sotto_call_session_get_state (session);

  if (state == SOTTO_CALL_STATE_RECONNECTING)
    {
      run->reconnecting = TRUE;
      finish_event (begin_event ("reconnecting"));
    }
  else if (state == SOTTO_CALL_STATE_JOINED && run->reconnecting)
    {
      JsonBuilder *b = begin_event ("rejoined");

      run->reconnecting = FALSE;
      add_string (b, "connection_id", sotto_call_session_get_connection_id (session));
      finish_event (b);
    }
}

static gboolean
on_stats_tick (gpointer user_data)
{
  CallRun *run = user_data;
  g_autoptr (JsonNode) stats = NULL;
  JsonBuilder *b;

  if (run->ended)
    return G_SOURCE_CONTINUE;
  stats = sotto_call_session_dup_stats (run->session);
  b = begin_event ("stats");

  json_builder_set_member_name (b, "t");
  json_builder_add_double_value (b, (g_get_monotonic_time () - run->started_us) / 1e6);
  json_builder_set_member_name (b, "subscriptions");
  json_builder_add_value (b, g_steal_pointer (&stats));
  finish_event (b);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_duration_elapsed (gpointer user_data)
{
  CallRun *run = user_data;

  sotto_call_session_leave (run->session);
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  CallRun *run = user_data;

  sotto_call_session_leave (run->session);
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static void
on_joined (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CallRun *run = user_data;
  g_autoptr (GError) error = NULL;
  SottoToken *token;
  JsonBuilder *b;

  if (!sotto_call_session_join_finish (run->session, result, &error))
    {
      on_ended (run->session, error, run);
      return;
    }

  token = sotto_call_session_get_token (run->session);
  b = begin_event ("joined");
  add_string (b, "connection_id", sotto_call_session_get_connection_id (run->session));
  add_string (b, "session_id", sotto_call_session_get_session_id (run->session));
  add_string (b, "role", sotto_role_to_string (sotto_token_get_role (token)));
  add_string (b, "stream_id", sotto_call_session_get_stream_id (run->session));
  finish_event (b);
}

static const char exit_codes_help[] =
  "Exit codes:\n"
  "  0   the call ran as asked\n"
  "  1   other failure\n"
  "  2   bad command line\n"
  "  3   malformed token\n"
  "  4   expired or not yet valid token\n"
  "  5   server unreachable\n"
  "  6   server certificate does not match the token's pin\n"
  "  7   session full\n"
  "  8   role refused\n"
  "  9   ICE or DTLS failure\n"
  "  10  removed by a moderator\n"
  "  11  session ended\n"
  "  12  token refused by the server (revoked or invalid)\n"
  "  13  media failure (missing element or device)\n";

int
main (int argc, char **argv)
{
  g_autofree char *token = NULL;
  g_autofree char *source = NULL;
  g_autofree char *name = NULL;
  gboolean no_publish = FALSE, print_stats = FALSE, version = FALSE;
  gboolean camera_off = FALSE, muted = FALSE;
  int duration = 0, width = 0, height = 0, fps = 0;
  GOptionEntry entries[] = {
    { "token", 't', 0, G_OPTION_ARG_STRING, &token, N_("Token to join with"), N_("TOKEN") },
    { "no-publish", 0, 0, G_OPTION_ARG_NONE, &no_publish, N_("Only receive, even if the role may publish"), NULL },
    { "camera-off", 0, 0, G_OPTION_ARG_NONE, &camera_off, N_("Join with the camera off (others are told)"), NULL },
    { "mute", 0, 0, G_OPTION_ARG_NONE, &muted, N_("Join with the microphone off (others are told)"), NULL },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Media sources: test or devices"), N_("KIND") },
    { "duration", 'd', 0, G_OPTION_ARG_INT, &duration, N_("Leave after this many seconds (0: stay)"), N_("SECONDS") },
    { "stats", 's', 0, G_OPTION_ARG_NONE, &print_stats, N_("Print one JSON line of statistics per second"), NULL },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("Name of the published stream"), N_("NAME") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Video width"), N_("PIXELS") },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, N_("Video height"), N_("PIXELS") },
    { "fps", 0, 0, G_OPTION_ARG_INT, &fps, N_("Video frame rate"), N_("FPS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (SottoCallSession) session = NULL;
  SottoMediaConfig media;
  CallRun run = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Join a Sotto call without a window."));
  g_option_context_set_description (context, exit_codes_help);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sotto-call: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("sotto-call %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!token)
    {
      g_printerr ("sotto-call: %s\n", _("--token is required"));
      return 2;
    }
  if (duration < 0 || width < 0 || height < 0 || fps < 0)
    {
      g_printerr ("sotto-call: %s\n", _("--duration, --width, --height and --fps must not be negative"));
      return 2;
    }

  sotto_media_config_init (&media);
  if (source)
    {
      if (g_strcmp0 (source, "test") != 0 && g_strcmp0 (source, "devices") != 0)
        {
          g_printerr ("sotto-call: %s\n", _("--source must be test or devices"));
          return 2;
        }
      g_setenv ("SOTTO_VIDEO_SOURCE", source, TRUE);
      g_setenv ("SOTTO_AUDIO_SOURCE", source, TRUE);
    }
  if (!sotto_media_config_load_env (&media, &error))
    {
      g_printerr ("sotto-call: %s\n", error->message);
      return 2;
    }
  if (width)
    media.width = width;
  if (height)
    media.height = height;
  if (fps)
    media.fps = fps;
  if (width || height || fps)
    media.video_kbps = sotto_media_config_default_video_kbps (media.width, media.height, media.fps);
  /* Nothing here draws frames: skip the RGBA conversion a window needs. */
  media.native_video_frames = TRUE;
  if (!sotto_media_config_validate (&media, &error))
    {
      g_printerr ("sotto-call: %s\n", error->message);
      return 2;
    }

  loop = g_main_loop_new (NULL, FALSE);
  session = sotto_call_session_new (&media);
  sotto_call_session_set_publish (session, !no_publish);
  sotto_call_session_set_camera_enabled (session, !camera_off);
  sotto_call_session_set_microphone_enabled (session, !muted);
  if (name)
    sotto_call_session_set_stream_name (session, name);

  run.loop = loop;
  run.session = session;
  run.print_stats = print_stats;
  run.started_us = g_get_monotonic_time ();
  run.first_frames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_signal_connect (session, "participant-joined", G_CALLBACK (on_participant_joined), &run);
  g_signal_connect (session, "participant-left", G_CALLBACK (on_participant_left), &run);
  g_signal_connect (session, "stream-added", G_CALLBACK (on_stream_added), &run);
  g_signal_connect (session, "stream-removed", G_CALLBACK (on_stream_removed), &run);
  g_signal_connect (session, "subscribed", G_CALLBACK (on_subscribed), &run);
  g_signal_connect (session, "media-connected", G_CALLBACK (on_media_connected), &run);
  g_signal_connect (session, "subscriber-count-changed", G_CALLBACK (on_subscriber_count), &run);
  g_signal_connect (session, "stream-state-changed", G_CALLBACK (on_stream_state), &run);
  g_signal_connect (session, "moderated", G_CALLBACK (on_moderated), &run);
  g_signal_connect (session, "error", G_CALLBACK (on_error), &run);
  g_signal_connect (session, "ended", G_CALLBACK (on_ended), &run);
  g_signal_connect (session, "state-changed", G_CALLBACK (on_state_changed), &run);
  g_signal_connect (session, "video-frame", G_CALLBACK (on_video_frame), &run);

  g_unix_signal_add (SIGINT, on_quit_signal, &run);
  g_unix_signal_add (SIGTERM, on_quit_signal, &run);
  if (duration > 0)
    g_timeout_add_seconds (duration, on_duration_elapsed, &run);
  if (print_stats)
    run.stats_source = g_timeout_add_seconds (1, on_stats_tick, &run);

  sotto_call_session_join_async (session, token, NULL, on_joined, &run);
  g_main_loop_run (loop);
  g_clear_handle_id (&run.stats_source, g_source_remove);
  g_signal_handlers_disconnect_by_func (session, on_video_frame, &run);
  g_clear_pointer (&run.first_frames, g_hash_table_unref);

  if (!run.ended)
    {
      JsonBuilder *b = begin_event ("ended");
      finish_event (b);
    }
  return run.exit_code != 0 ? run.exit_code : run.deferred_exit_code;
}
