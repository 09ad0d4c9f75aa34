/* test-app-launch.c: `sotto --token TOKEN` opens on the join page with the
 * token decoded into words; Join opens the call page, whose tiles, shortcuts
 * and moderation panel the session layer will drive. Screenshots of each
 * state (join light, dark and 360 px; call; moderation panel).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "../unit/app/app-test-util.h"
#include "sotto-application.h"
#include "sotto-window.h"
#include "ui-test-util.h"

typedef struct {
  const char *expected_role;
  const char *expected_expiry;
  const char *screenshot_prefix;
  const char *expected_watching;
  const char *expected_unreachable;
  gboolean    checked;
} LaunchCheck;

static void screenshot (GtkWidget  *window,
                        const char *prefix,
                        const char *state);
static gboolean host_shown (gpointer data);

/* A test-pattern frame: colour bars tinted per participant with a bar that
 * moves with `t`, so screenshots show distinct, non-black pictures. */
static GBytes *
pattern_frame (int   width,
               int   height,
               guint tint,
               guint t)
{
  static const guint8 bars[7][3] = {
    { 192, 192, 192 }, { 192, 192, 0 }, { 0, 192, 192 }, { 0, 192, 0 },
    { 192, 0, 192 }, { 192, 0, 0 }, { 0, 0, 192 },
  };
  gsize stride = (gsize) width * 4;
  guint8 *data = g_malloc (stride * (gsize) height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = data + (gsize) y * stride + (gsize) x * 4;
        const guint8 *bar = bars[(x * 7 / width + tint) % 7];
        gboolean moving = ABS (y - (int) (t % (guint) height)) < 8;

        p[0] = moving ? 255 : bar[0];
        p[1] = moving ? 255 : bar[1];
        p[2] = moving ? 255 : bar[2];
        p[3] = 255;
      }
  return g_bytes_new_take (data, stride * (gsize) height);
}

static void
check_call_page (SottoWindow *window,
                 LaunchCheck *check)
{
  SottoJoinPage *join_page = sotto_window_get_join_page (window);
  SottoCallPage *page = sotto_window_get_call_page (window);
  GApplication *app = g_application_get_default ();
  g_auto(GStrv) accels = NULL;
  const char *names[] = { "Bo", "Cy", "Dee" };
  const char *ids[] = { "c2", "c3", "c4" };
  g_autoptr(GListStore) people = g_list_store_new (SOTTO_TYPE_PARTICIPANT_ITEM);
  g_autoptr(GListStore) streams = g_list_store_new (SOTTO_TYPE_STREAM_ITEM);
  g_autoptr(SottoParticipantItem) me = sotto_participant_item_new ("c1", "Ana García",
                                                                    SOTTO_ROLE_MODERATOR);
  gboolean microphone;

  /* The call page as the session layer drives it, without a server: the
   * controller's own tests cover a real call. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (sotto_join_page_get_can_join (join_page));
  sotto_call_page_set_title (page, APP_TEST_HOST);
  sotto_call_page_set_is_moderator (page, TRUE);
  sotto_video_tile_set_name (sotto_call_page_get_self_tile (page), "Ana García");
  sotto_window_show_call (window);

  /* Ctrl+D and Ctrl+E are the window's microphone and camera actions. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.microphone");
  g_assert_cmpstr (accels[0], ==, "<Control>d");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.camera");
  g_assert_cmpstr (accels[0], ==, "<Control>e");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_cmpstr (accels[0], ==, "<Control>question");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");
  microphone = sotto_window_get_microphone_enabled (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.microphone", NULL);
  g_assert_cmpint (sotto_window_get_microphone_enabled (window), ==, !microphone);
  g_assert_cmpint (sotto_video_tile_get_muted (sotto_call_page_get_self_tile (page)), ==,
                   microphone);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.microphone", NULL);

  sotto_participant_item_set_is_self (me, TRUE);
  sotto_participant_item_set_state (me, SOTTO_CONNECTION_STATE_CONNECTED);
  g_list_store_append (people, me);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      SottoVideoTile *tile = sotto_call_page_add_tile (page, ids[i], names[i]);
      g_autoptr(GBytes) frame = pattern_frame (320, 240, i * 2, 40 + i * 70);
      g_autoptr(SottoParticipantItem) person =
        sotto_participant_item_new (ids[i], names[i], i == 2 ? SOTTO_ROLE_SUBSCRIBER
                                                             : SOTTO_ROLE_PUBLISHER);
      SottoTileStats stats = { 820e3, 0.004, 18, 4, 320, 240, 15, "VP8" };

      sotto_call_page_push_frame (page, ids[i], 320, 240, 320 * 4, frame);
      sotto_video_tile_set_encryption (tile, "AEAD_AES_256_GCM", "4721 0938");
      sotto_call_page_set_stats (page, ids[i], &stats);
      sotto_participant_item_set_state (person, SOTTO_CONNECTION_STATE_CONNECTED);
      g_list_store_append (people, person);
      if (i < 2)
        {
          g_autoptr(SottoStreamItem) stream = sotto_stream_item_new (ids[i], ids[i], names[i],
                                                                     TRUE, TRUE);
          sotto_stream_item_set_subscriber_count (stream, 3);
          g_list_store_append (streams, stream);
        }
    }
  sotto_video_tile_set_muted (sotto_call_page_get_tile (page, "c3"), TRUE);
  sotto_video_tile_set_camera_off (sotto_call_page_get_tile (page, "c4"), TRUE);
  {
    g_autoptr(GBytes) self_frame = pattern_frame (320, 240, 5, 150);
    g_autoptr(SottoStreamItem) mine = sotto_stream_item_new ("c1", "c1", "Ana García",
                                                             TRUE, TRUE);

    sotto_call_page_push_frame (page, NULL, 320, 240, 320 * 4, self_frame);
    sotto_stream_item_set_subscriber_count (mine, 3);
    g_list_store_insert (streams, 0, mine);
  }
  sotto_call_page_set_watching_count (page, 3);
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), check->expected_watching));
  g_assert_cmpuint (sotto_call_page_get_n_tiles (page), ==, 3);
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "call");

  sotto_moderator_panel_set_models (sotto_call_page_get_moderator_panel (page),
                                    G_LIST_MODEL (people), G_LIST_MODEL (streams));
  sotto_moderator_panel_set_max_participants (sotto_call_page_get_moderator_panel (page), 10);
  sotto_call_page_set_moderator_panel_open (page, TRUE);
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "moderator");
  g_assert_cmpuint (ui_assert_accessible_names (GTK_WIDGET (window)), >=, 15);

  /* On a phone the tiles stack and the controls stay reachable. */
  sotto_call_page_set_moderator_panel_open (page, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  g_assert_true (ui_wait_for (host_shown, window, 5000));
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "call-narrow");
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), check->expected_watching));
}

static gboolean
host_shown (gpointer data)
{
  return ui_find_label (data, APP_TEST_HOST) != NULL;
}

static gboolean
settled (gpointer data)
{
  /* A few frames for layout and the crossfade; bounded by ui_wait_for. */
  guint *frames = data;
  return ++(*frames) > 150;
}

static void
screenshot (GtkWidget  *window,
            const char *prefix,
            const char *state)
{
  const char *dir = g_getenv ("SOTTO_TEST_ARTIFACTS");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  guint frames = 0;

  if (dir == NULL)
    return;
  ui_wait_for (settled, &frames, 2000);
  name = g_strdup_printf ("%s-%s.png", prefix, state);
  path = g_build_filename (dir, name, NULL);
  ui_save_png (window, path);
}

static SottoVideoTile *
find_tile (GtkWidget *root)
{
  if (SOTTO_IS_VIDEO_TILE (root))
    return SOTTO_VIDEO_TILE (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      SottoVideoTile *tile = find_tile (child);

      if (tile != NULL)
        return tile;
    }
  return NULL;
}

static gboolean
preview_has_frames (gpointer data)
{
  return sotto_video_tile_get_frame_count (data) >= 3;
}

static gboolean
on_call_page (gpointer data)
{
  GtkWidget *page = GTK_WIDGET (sotto_window_get_call_page (data));

  return gtk_widget_get_mapped (page) && !gtk_widget_get_mapped (
    GTK_WIDGET (sotto_window_get_join_page (data)));
}

/* A sotto: link opened while in a call (from the desktop, or a second
 * `sotto` process) waits on the join page without ending the call. */
static void
check_open_link (GApplication *app,
                 SottoWindow  *window)
{
  g_autofree char *token = app_test_mint (SOTTO_ROLE_SUBSCRIBER, "Bo",
                                          g_get_real_time () / G_USEC_PER_SEC, 0, 600);
  g_autofree char *uri = g_strconcat ("sotto:", token, NULL);
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  SottoTokenPreview *preview;

  g_assert_true (ui_wait_for (on_call_page, window, 5000));
  g_application_open (app, &file, 1, "");
  preview = sotto_join_page_get_preview (sotto_window_get_join_page (window));
  g_assert_nonnull (preview);
  g_assert_cmpstr (sotto_token_preview_get_name (preview), ==, "Bo");
  g_assert_true (on_call_page (window));

  /* Leaving returns to the join page, with the new token ready. */
  g_signal_emit_by_name (sotto_window_get_call_page (window), "leave");
  g_assert_cmpuint (sotto_call_page_get_n_tiles (sotto_window_get_call_page (window)), ==, 0);
  g_assert_true (ui_wait_for (host_shown, window, 5000));
}

typedef struct {
  GtkWidget  *window;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return ui_find_label (wait->window, wait->text) != NULL;
}

/* A loopback port nobody listens on: bound, then closed. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Join against a server that is not there (127.0.0.1, a closed port): the
 * UI stays responsive and says so in words. */
static void
check_unreachable (SottoWindow *window,
                   const char  *expected_words)
{
  g_autofree char *url = g_strdup_printf ("wss://127.0.0.1:%u/v1/signal", closed_port ());
  g_autofree char *token = app_test_mint_url (SOTTO_ROLE_PUBLISHER, "Ana", url,
                                              g_get_real_time () / G_USEC_PER_SEC, 0, 600);
  SottoJoinPage *join_page = sotto_window_get_join_page (window);
  LabelWait wait = { GTK_WIDGET (window), expected_words };

  sotto_window_set_token_text (window, token);
  g_assert_true (sotto_join_page_get_can_join (join_page));
  g_signal_emit_by_name (join_page, "join");
  g_assert_true (ui_wait_for (label_shown, &wait, 15000));
  g_signal_emit_by_name (sotto_window_get_call_page (window), "leave");
}

static gboolean
on_check (gpointer user_data)
{
  GApplication *app = user_data;
  LaunchCheck *check = g_object_get_data (G_OBJECT (app), "check");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  SottoJoinPage *page;
  SottoTokenPreview *preview;
  SottoVideoTile *preview_tile;
  guint64 frames;
  guint settle = 0;
  AdwStyleManager *style = adw_style_manager_get_default ();

  g_assert_true (SOTTO_IS_WINDOW (window));
  page = sotto_window_get_join_page (SOTTO_WINDOW (window));

  /* The token from the command line is decoded and shown in words. */
  g_assert_true (ui_wait_for (host_shown, window, 10000));
  preview = sotto_join_page_get_preview (page);
  g_assert_nonnull (preview);
  g_assert_cmpstr (sotto_token_preview_get_host (preview), ==, APP_TEST_HOST);
  g_assert_cmpstr (sotto_token_preview_get_role_label (preview), ==, check->expected_role);
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Ana García"));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), check->expected_expiry));
  g_assert_null (sotto_join_page_get_error_text (page));
  g_assert_true (sotto_join_page_get_can_join (page));

  /* Tall enough for the whole page in the screenshots. */
  gtk_window_set_default_size (window, 800, 980);
  g_assert_cmpuint (ui_assert_accessible_names (GTK_WIDGET (window)), >=, 6);

  /* The camera preview runs (test source) while the join page is shown,
   * and not at all with the camera switched off. */
  preview_tile = find_tile (GTK_WIDGET (page));
  g_assert_nonnull (preview_tile);
  if (sotto_window_get_camera_enabled (SOTTO_WINDOW (window)))
    {
      g_assert_true (ui_wait_for (preview_has_frames, preview_tile, 10000));
      g_assert_false (sotto_video_tile_get_camera_off (preview_tile));
    }
  else
    {
      g_assert_cmpuint (sotto_video_tile_get_frame_count (preview_tile), ==, 0);
      g_assert_true (sotto_video_tile_get_camera_off (preview_tile));
    }
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "join");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "join-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Adaptive: at 360 px the decoded words are still on screen. */
  gtk_window_set_default_size (window, 360, 720);
  g_assert_true (ui_wait_for (host_shown, window, 5000));
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "join-narrow");

  check_call_page (SOTTO_WINDOW (window), check);

  /* Off screen, the preview has released the camera: no more frames. */
  g_assert_true (ui_wait_for (on_call_page, window, 5000));
  frames = sotto_video_tile_get_frame_count (preview_tile);
  ui_wait_for (settled, &settle, 1000);
  g_assert_cmpuint (sotto_video_tile_get_frame_count (preview_tile), ==, frames);
  check_open_link (app, SOTTO_WINDOW (window));
  check_unreachable (SOTTO_WINDOW (window), check->expected_unreachable);

  check->checked = TRUE;
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  /* Page switches happen at once: no crossfade to wait for. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_idle_add (on_check, app);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("The app did not finish within 50 s");
  return G_SOURCE_REMOVE;
}

static void
run_app_with_token (LaunchCheck *check)
{
  g_autofree char *token = app_test_mint (SOTTO_ROLE_MODERATOR, "{\"name\": \"Ana García\"}",
                                          g_get_real_time () / G_USEC_PER_SEC, 0, 2 * 3600);
  char *argv[] = { (char *) "sotto", (char *) "--token", token, NULL };
  g_autoptr(SottoApplication) app = sotto_application_new ();
  guint timeout_id;
  int status;

  /* Never talk to (or become) an instance the developer has running. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_object_set_data (G_OBJECT (app), "check", check);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  timeout_id = g_timeout_add_seconds (50, on_timeout, NULL);

  status = g_application_run (G_APPLICATION (app), 3, argv);

  g_source_remove (timeout_id);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (check->checked);

  /* Closing the window remembered its size (memory backend, same process). */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 360);
    g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 720);
    g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  }
}

static void
test_launch_with_token (void)
{
  LaunchCheck check = { "Moderator", "expires in 2 hours", "en", "3 watching",
                        "The server cannot be reached. Check your internet connection and try again.",
                        FALSE };

  run_app_with_token (&check);
}

static void
test_launch_spanish (void)
{
  LaunchCheck check = { "Moderador", "caduca en 2 horas", "es", "3 mirando",
                        "No se puede contactar con el servidor. Compruebe su conexión a internet y vuelva a intentarlo.",
                        FALSE };

  if (g_getenv ("SOTTO_LOCALEDIR") == NULL)
    {
      g_test_skip ("SOTTO_LOCALEDIR is not set");
      return;
    }
  run_app_with_token (&check);
}

int
main (int   argc,
      char *argv[])
{
  /* --spanish: the same launch under LANGUAGE=es (set by meson). */
  gboolean spanish = argc > 1 && g_str_equal (argv[argc - 1], "--spanish");

  if (spanish)
    argc--;
  /* As main.c does. */
  sotto_application_setup_i18n ();
  g_test_init (&argc, &argv, NULL);

  if (spanish)
    g_test_add_func ("/sotto/ui/launch/spanish", test_launch_spanish);
  else
    g_test_add_func ("/sotto/ui/launch/token", test_launch_with_token);

  return g_test_run ();
}
