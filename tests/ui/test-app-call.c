/* test-app-call.c: the app in a real call. A real `sotto-server serve` on
 * 127.0.0.1, a real `sotto-call` peer (Bob) publishing test sources, and the
 * app in-process with a moderator token:
 *   - Bob's tile receives moving, non-black frames;
 *   - Dana, who joins with camera and microphone off, gets a tile that says so;
 *   - the moderator panel counts the viewers of our own stream: 1 (Bob),
 *     2 while a second `sotto-call` subscriber is in, 1 after it leaves;
 *   - removing Bob through the panel's confirmation dialog makes his
 *     sotto-call exit with code 10 (removed by a moderator) and his tile go.
 * Screenshots of the call and of the panel land in SOTTO_TEST_ARTIFACTS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sotto-application.h"
#include "sotto-window.h"
#include "ui-test-util.h"

#define EXIT_REMOVED_BY_MODERATOR 10

/* One child process (server or peer) and the lines it printed so far. */
typedef struct {
  GSubprocess      *process;
  GDataInputStream *out;
  GCancellable     *cancellable;
  GPtrArray        *lines;
  gboolean          eof;
} Child;

typedef struct {
  char   *state_dir;
  Child  *server;
  char   *public_url;
  char   *session;
  Child  *bob;
  Child  *carol;
  char   *bob_id;
  char   *carol_id;
  gboolean checked;
} CallFixture;

static void
child_setup (gpointer user_data)
{
  /* A crashed or killed test leaves no server or peer behind. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void read_next_line (Child *child);

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                          result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL)
    {
      child->eof = TRUE;
      return;
    }
  g_test_message ("child: %s", line);
  g_ptr_array_add (child->lines, line);
  read_next_line (child);
}

static void
read_next_line (Child *child)
{
  g_data_input_stream_read_line_async (child->out, G_PRIORITY_DEFAULT, child->cancellable,
                                       on_line, child);
}

static Child *
child_spawn (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  Child *child = g_new0 (Child, 1);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  child->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  child->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  child->cancellable = g_cancellable_new ();
  child->lines = g_ptr_array_new_with_free_func (g_free);
  read_next_line (child);
  return child;
}

static gboolean
child_exited (gpointer data)
{
  Child *child = data;

  /* GSubprocess reaps its child on GLib's worker thread and then forgets
   * the pid. */
  return g_subprocess_get_identifier (child->process) == NULL;
}

static void
child_free (Child *child)
{
  if (child == NULL)
    return;
  if (g_subprocess_get_identifier (child->process) != NULL)
    {
      g_subprocess_force_exit (child->process);
      /* Bounded: SIGKILL cannot be refused. */
      ui_wait_for (child_exited, child, 10000);
    }
  g_cancellable_cancel (child->cancellable);
  /* Let the cancelled read finish before its Child goes. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_object (&child->out);
  g_clear_object (&child->process);
  g_clear_object (&child->cancellable);
  g_ptr_array_unref (child->lines);
  g_free (child);
}

/* The first JSON event line named `event`, parsed; NULL if none yet. */
static JsonObject *
child_find_event (Child      *child,
                  const char *event)
{
  for (guint i = 0; i < child->lines->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;

      if (!json_parser_load_from_data (parser, child->lines->pdata[i], -1, NULL))
        continue;
      root = json_parser_get_root (parser);
      if (!JSON_NODE_HOLDS_OBJECT (root))
        continue;
      if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                 "event", ""), event) == 0)
        return json_object_ref (json_node_get_object (root));
    }
  return NULL;
}

typedef struct {
  Child      *child;
  const char *event;
} EventWait;

static gboolean
event_seen (gpointer data)
{
  EventWait *wait = data;
  g_autoptr(JsonObject) object = child_find_event (wait->child, wait->event);

  return object != NULL || wait->child->eof;
}

/* Waits (bounded) for `event` and returns its `member`. */
static char *
child_wait_event (Child      *child,
                  const char *event,
                  const char *member,
                  guint       timeout_ms)
{
  EventWait wait = { child, event };
  g_autoptr(JsonObject) object = NULL;

  g_assert_true (ui_wait_for (event_seen, &wait, timeout_ms));
  object = child_find_event (child, event);
  if (object == NULL)
    g_error ("The child ended without a “%s” event", event);
  return g_strdup (json_object_get_string_member (object, member));
}

/* Runs a short sotto-server command and returns its one line of output. */
static char *
run_server_command (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return g_strstrip (g_steal_pointer (&out));
}

static gboolean
server_ready (gpointer data)
{
  Child *server = data;

  return server->lines->len > 0 || server->eof;
}

static char *
mint (CallFixture *fixture,
      const char  *role,
      const char  *name)
{
  const char *server_bin = g_getenv ("SOTTO_SERVER_BIN");
  g_autofree char *data = g_strdup_printf ("{\"name\":\"%s\"}", name);
  const char *argv[] = { server_bin, "mint-token", "--state-dir", fixture->state_dir,
                         "--session", fixture->session, "--role", role,
                         "--public-url", fixture->public_url, "--data", data, NULL };

  return run_server_command (argv);
}

static Child *
start_peer (const char *token,
            gboolean    publish)
{
  const char *call_bin = g_getenv ("SOTTO_CALL_BIN");
  const char *argv[] = { call_bin, "--token", token, "--width", "320", "--height", "240",
                         "--fps", "15", "--duration", "120",
                         publish ? NULL : "--no-publish", NULL };

  return child_spawn (argv);
}

static void
start_server (CallFixture *fixture)
{
  const char *server_bin = g_getenv ("SOTTO_SERVER_BIN");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *out = NULL;
  const char *line;

  fixture->state_dir = g_dir_make_tmp ("sotto-ui-call-XXXXXX", &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { server_bin, "init", "--state-dir", fixture->state_dir, NULL };

    out = run_server_command (argv);
  }
  {
    const char *argv[] = { server_bin, "serve", "--state-dir", fixture->state_dir,
                           "--listen", "127.0.0.1:0", NULL };

    fixture->server = child_spawn (argv);
  }
  g_assert_true (ui_wait_for (server_ready, fixture->server, 30000));
  g_assert_cmpuint (fixture->server->lines->len, >, 0);
  line = fixture->server->lines->pdata[0];
  g_assert_true (g_str_has_prefix (line, "SOTTO_SERVER_READY "));
  words = g_strsplit (line, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_has_prefix (words[i], "public-url="))
      fixture->public_url = g_strdup (words[i] + strlen ("public-url="));
  g_assert_nonnull (fixture->public_url);
  g_assert_true (g_str_has_prefix (fixture->public_url, "wss://127.0.0.1:"));
  {
    const char *argv[] = { server_bin, "create-session", "--state-dir", fixture->state_dir,
                           NULL };

    fixture->session = run_server_command (argv);
  }
  g_assert_cmpstr (fixture->session, !=, "");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_clear (CallFixture *fixture)
{
  child_free (fixture->carol);
  child_free (fixture->bob);
  child_free (fixture->server);
  if (fixture->state_dir != NULL)
    remove_tree (fixture->state_dir);
  g_free (fixture->state_dir);
  g_free (fixture->public_url);
  g_free (fixture->session);
  g_free (fixture->bob_id);
  g_free (fixture->carol_id);
}

/* ---- the UI side ---- */

static gboolean
settled (gpointer data)
{
  guint *frames = data;

  return ++(*frames) > 150;
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Like ui_save_png, but the live video keeps queueing redraws and the
 * stats resizes, so a snapshot taken at an arbitrary moment may find the
 * window waiting for its next layout; right after a frame is painted the
 * layout is fresh. Bounded: 20 painted frames, 15 s. */
static void
save_png_after_paint (GtkWidget  *widget,
                      const char *path)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = 0;
  int height = 0;

  g_assert_nonnull (clock);
  for (guint attempt = 0; attempt < 20 && node == NULL; attempt++)
    {
      gboolean painted = FALSE;
      gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
      GtkSnapshot *snapshot;

      gtk_widget_queue_draw (widget);
      ui_wait_for (flag_set, &painted, 750);
      g_signal_handler_disconnect (clock, id);
      snapshot = gtk_snapshot_new ();
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
screenshot (GtkWidget  *window,
            const char *state)
{
  const char *dir = g_getenv ("SOTTO_TEST_ARTIFACTS");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  guint frames = 0;

  if (dir == NULL)
    return;
  ui_wait_for (settled, &frames, 2000);
  name = g_strdup_printf ("call-%s.png", state);
  path = g_build_filename (dir, name, NULL);
  save_png_after_paint (window, path);
}

typedef struct {
  SottoCallPage *page;
  const char    *id;
} TileWait;

static gboolean
tile_present (gpointer data)
{
  TileWait *wait = data;

  return sotto_call_page_get_tile (wait->page, wait->id) != NULL;
}

static gboolean
tile_absent (gpointer data)
{
  return !tile_present (data);
}

typedef struct {
  SottoVideoTile *tile;
  guint64         target;
} FrameWait;

static gboolean
frames_reached (gpointer data)
{
  FrameWait *wait = data;

  return sotto_video_tile_get_frame_count (wait->tile) >= wait->target;
}

/* The tile's current frame as premultiplied ARGB (gdk_texture_download). */
static GBytes *
tile_pixels (SottoVideoTile *tile,
             int            *width,
             int            *height)
{
  g_autoptr(GdkPaintable) image =
    gdk_paintable_get_current_image (sotto_video_tile_get_paintable (tile));
  guint8 *data;

  g_assert_true (GDK_IS_TEXTURE (image));
  *width = gdk_texture_get_width (GDK_TEXTURE (image));
  *height = gdk_texture_get_height (GDK_TEXTURE (image));
  data = g_malloc ((gsize) *width * (gsize) *height * 4);
  gdk_texture_download (GDK_TEXTURE (image), data, (gsize) *width * 4);
  return g_bytes_new_take (data, (gsize) *width * (gsize) *height * 4);
}

/* Non-black: a fair share of pixels is bright (the ball), and the picture
 * is not one flat colour. */
static void
assert_picture (GBytes *pixels)
{
  gsize size;
  const guint8 *p = g_bytes_get_data (pixels, &size);
  gsize n = size / 4;
  gsize bright = 0;
  double sum = 0, sum2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      double luma = (p[i * 4] + p[i * 4 + 1] + p[i * 4 + 2]) / 3.0;

      if (luma > 128)
        bright++;
      sum += luma;
      sum2 += luma * luma;
    }
  g_test_message ("frame: %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " pixels bright, mean %.1f",
                  bright, n, sum / n);
  g_assert_cmpuint (bright, >, n / 200);
  g_assert_cmpfloat (sum2 / n - (sum / n) * (sum / n), >, 100.0);
}

/* Where the bright pixels (the test source's ball) are. */
static void
bright_centre (GBytes *pixels,
               int     width,
               double *x,
               double *y)
{
  gsize size;
  const guint8 *p = g_bytes_get_data (pixels, &size);
  gsize n = size / 4;
  double sx = 0, sy = 0, count = 0;

  for (gsize i = 0; i < n; i++)
    if ((p[i * 4] + p[i * 4 + 1] + p[i * 4 + 2]) / 3 > 128)
      {
        sx += (double) (i % (gsize) width);
        sy += (double) (i / (gsize) width);
        count++;
      }
  g_assert_cmpfloat (count, >, 0);
  *x = sx / count;
  *y = sy / count;
}

/* Items the panel's rows show (their buttons carry them), by type. */
static void
collect_items (GtkWidget *root,
               GType      type,
               GPtrArray *out)
{
  GObject *item = g_object_get_data (G_OBJECT (root), "sotto-item");

  if (item != NULL && G_TYPE_CHECK_INSTANCE_TYPE (item, type))
    g_ptr_array_add (out, item);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_items (child, type, out);
}

typedef struct {
  SottoCallPage *page;
  const char    *bob_id;
  guint          expected;
} CountWait;

/* The viewer count of our own stream, as the panel's stream row has it:
 * the one stream whose owner is not Bob (the subscribers publish nothing). */
static gint
own_stream_count (SottoCallPage *page,
                  const char    *bob_id)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  gint count = -1;

  collect_items (GTK_WIDGET (sotto_call_page_get_moderator_panel (page)),
                 SOTTO_TYPE_STREAM_ITEM, items);
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (sotto_stream_item_get_owner_id (items->pdata[i]), bob_id) != 0)
      {
        g_assert_cmpint (count, ==, -1);
        count = (gint) sotto_stream_item_get_subscriber_count (items->pdata[i]);
      }
  return count;
}

static gboolean
count_is (gpointer data)
{
  CountWait *wait = data;

  return own_stream_count (wait->page, wait->bob_id) == (gint) wait->expected;
}

static void
wait_count (SottoCallPage *page,
            const char    *bob_id,
            guint          expected)
{
  CountWait wait = { page, bob_id, expected };
  g_autofree char *watching = sotto_stream_item_format_watching (expected);

  if (!ui_wait_for (count_is, &wait, 20000))
    g_error ("Our stream's viewer count stayed %d, not %u",
             own_stream_count (page, bob_id), expected);
  g_assert_cmpstr (sotto_call_page_get_watching_text (page), ==, watching);
}

static SottoParticipantItem *
find_participant (SottoCallPage *page,
                  const char    *id)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  collect_items (GTK_WIDGET (sotto_call_page_get_moderator_panel (page)),
                 SOTTO_TYPE_PARTICIPANT_ITEM, items);
  for (guint i = 0; i < items->len; i++)
    if (g_strcmp0 (sotto_participant_item_get_id (items->pdata[i]), id) == 0)
      return items->pdata[i];
  return NULL;
}

static gboolean
participant_listed (gpointer data)
{
  TileWait *wait = data;

  return find_participant (wait->page, wait->id) != NULL;
}

typedef struct {
  SottoModeratorPanel *panel;
  guint                connections;
  guint                subscriptions;
} TotalsWait;

static gboolean
totals_are (gpointer data)
{
  TotalsWait *wait = data;
  SottoModeratorTotals totals;

  sotto_moderator_panel_get_totals (wait->panel, &totals);
  return totals.connections == wait->connections &&
         totals.subscriptions == wait->subscriptions;
}

static void
check_remote_video (SottoWindow *window,
                    CallFixture *fixture)
{
  SottoCallPage *page = sotto_window_get_call_page (window);
  TileWait tile_wait = { page, fixture->bob_id };
  SottoVideoTile *tile;
  FrameWait frames;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) later = NULL;
  int width, height, width2, height2;

  g_assert_true (ui_wait_for (tile_present, &tile_wait, 20000));
  tile = sotto_call_page_get_tile (page, fixture->bob_id);
  g_assert_cmpstr (sotto_video_tile_get_name (tile), ==, "Bob");

  /* Frames keep coming: 15 fps, so 10 more within a few seconds. */
  frames = (FrameWait) { tile, 5 };
  g_assert_true (ui_wait_for (frames_reached, &frames, 20000));
  first = tile_pixels (tile, &width, &height);
  g_assert_cmpint (width, ==, 320);
  g_assert_cmpint (height, ==, 240);
  assert_picture (first);
  frames.target = sotto_video_tile_get_frame_count (tile) + 10;
  g_assert_true (ui_wait_for (frames_reached, &frames, 10000));
  later = tile_pixels (tile, &width2, &height2);
  assert_picture (later);
  /* The ball moved. */
  {
    double x1, y1, x2, y2;

    bright_centre (first, width, &x1, &y1);
    bright_centre (later, width2, &x2, &y2);
    g_test_message ("ball: (%.1f, %.1f) then (%.1f, %.1f)", x1, y1, x2, y2);
    g_assert_cmpfloat (ABS (x2 - x1) + ABS (y2 - y1), >, 2.0);
  }
  screenshot (GTK_WIDGET (window), "remote-video");
}

static gboolean
tile_camera_off_and_muted (gpointer data)
{
  TileWait *wait = data;
  SottoVideoTile *tile = sotto_call_page_get_tile (wait->page, wait->id);
  gboolean camera_off = FALSE, muted = FALSE;

  if (tile == NULL)
    return FALSE;
  g_object_get (tile, "camera-off", &camera_off, "muted", &muted, NULL);
  return camera_off && muted;
}

/* Dana joins with her camera and microphone off (`sotto-call --camera-off
 * --mute`): her tile says so, from the state the server signals. */
static void
check_remote_camera_off (SottoWindow *window,
                         CallFixture *fixture)
{
  SottoCallPage *page = sotto_window_get_call_page (window);
  g_autofree char *token = mint (fixture, "publisher", "Dana");
  const char *argv[] = { g_getenv ("SOTTO_CALL_BIN"), "--token", token, "--width", "320",
                         "--height", "240", "--fps", "15", "--duration", "120",
                         "--camera-off", "--mute", NULL };
  Child *dana = child_spawn (argv);
  g_autofree char *dana_id = child_wait_event (dana, "joined", "connection_id", 20000);
  TileWait wait = { page, dana_id };

  g_assert_true (ui_wait_for (tile_camera_off_and_muted, &wait, 20000));
  screenshot (GTK_WIDGET (window), "camera-off");
  g_subprocess_send_signal (dana->process, SIGTERM);
  g_assert_true (ui_wait_for (child_exited, dana, 15000));
  g_assert_true (ui_wait_for (tile_absent, &wait, 10000));
  child_free (dana);
}

static void
check_moderation (SottoWindow *window,
                  CallFixture *fixture)
{
  SottoCallPage *page = sotto_window_get_call_page (window);
  SottoModeratorPanel *panel = sotto_call_page_get_moderator_panel (page);
  TileWait tile_wait = { page, fixture->bob_id };
  TileWait listed = { page, fixture->bob_id };
  SottoParticipantItem *bob;
  g_autofree char *carol_token = mint (fixture, "subscriber", "Carol");
  GtkWidget *dialog;
  TotalsWait totals_wait;

  /* Bob watches us. */
  wait_count (page, fixture->bob_id, 1);

  /* A second viewer joins, then leaves. */
  fixture->carol = start_peer (carol_token, FALSE);
  fixture->carol_id = child_wait_event (fixture->carol, "joined", "connection_id", 20000);
  wait_count (page, fixture->bob_id, 2);
  /* Ana, Bob and Carol; Ana and Bob publish; each stream has two viewers. */
  totals_wait = (TotalsWait) { panel, 3, 4 };
  g_assert_true (ui_wait_for (totals_are, &totals_wait, 10000));
  sotto_call_page_set_moderator_panel_open (page, TRUE);
  screenshot (GTK_WIDGET (window), "moderator");
  g_subprocess_send_signal (fixture->carol->process, SIGTERM);
  g_assert_true (ui_wait_for (child_exited, fixture->carol, 15000));
  wait_count (page, fixture->bob_id, 1);

  /* Remove Bob the way the panel's Remove button does: the dialog, then
   * its destructive response. */
  g_assert_true (ui_wait_for (participant_listed, &listed, 10000));
  bob = find_participant (page, fixture->bob_id);
  dialog = sotto_moderator_panel_ask_disconnect (panel, bob);
  g_assert_nonnull (dialog);
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_alert_dialog_choose_finish (ADW_ALERT_DIALOG (dialog), NULL);
  g_signal_emit_by_name (dialog, "response", "remove");
  adw_dialog_force_close (ADW_DIALOG (dialog));
#else
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
#endif

  g_assert_true (ui_wait_for (child_exited, fixture->bob, 20000));
  g_assert_true (g_subprocess_get_if_exited (fixture->bob->process));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->bob->process), ==,
                   EXIT_REMOVED_BY_MODERATOR);
  g_assert_true (ui_wait_for (tile_absent, &tile_wait, 10000));
  g_assert_cmpuint (sotto_call_page_get_n_tiles (page), ==, 0);
  /* Only Ana is left, and nobody watches. */
  totals_wait = (TotalsWait) { panel, 1, 0 };
  g_assert_true (ui_wait_for (totals_are, &totals_wait, 10000));
  g_assert_null (find_participant (page, fixture->bob_id));
}

static gboolean
on_call_page (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (sotto_window_get_call_page (data)));
}

static gboolean
can_join (gpointer data)
{
  return sotto_join_page_get_can_join (sotto_window_get_join_page (data));
}

static gboolean
on_check (gpointer user_data)
{
  GApplication *app = user_data;
  CallFixture *fixture = g_object_get_data (G_OBJECT (app), "fixture");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  SottoJoinPage *join_page;

  g_assert_true (SOTTO_IS_WINDOW (window));
  gtk_window_set_default_size (window, 1280, 800);
  join_page = sotto_window_get_join_page (SOTTO_WINDOW (window));
  g_assert_true (ui_wait_for (can_join, window, 10000));
  /* The moderator publishes too (camera and microphone on by default). */
  g_assert_true (sotto_window_get_camera_enabled (SOTTO_WINDOW (window)));
  g_signal_emit_by_name (join_page, "join");
  g_assert_true (ui_wait_for (on_call_page, window, 5000));

  check_remote_video (SOTTO_WINDOW (window), fixture);
  check_remote_camera_off (SOTTO_WINDOW (window), fixture);
  check_moderation (SOTTO_WINDOW (window), fixture);

  g_signal_emit_by_name (sotto_window_get_call_page (SOTTO_WINDOW (window)), "leave");
  fixture->checked = TRUE;
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_idle_add (on_check, app);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("The call test did not finish within 90 s");
  return G_SOURCE_REMOVE;
}

static void
test_call (void)
{
  CallFixture fixture = { 0 };
  g_autofree char *moderator_token = NULL;
  g_autofree char *bob_token = NULL;
  g_autoptr(SottoApplication) app = NULL;
  guint timeout_id;
  int status;

  if (g_getenv ("SOTTO_SERVER_BIN") == NULL || g_getenv ("SOTTO_CALL_BIN") == NULL)
    {
      g_test_skip ("SOTTO_SERVER_BIN and SOTTO_CALL_BIN are not set");
      return;
    }
  timeout_id = g_timeout_add_seconds (90, on_timeout, NULL);

  start_server (&fixture);
  moderator_token = mint (&fixture, "moderator", "Ana");
  bob_token = mint (&fixture, "publisher", "Bob");
  fixture.bob = start_peer (bob_token, TRUE);
  fixture.bob_id = child_wait_event (fixture.bob, "joined", "connection_id", 20000);

  {
    char *argv[] = { (char *) "sotto", (char *) "--token", moderator_token, NULL };

    app = sotto_application_new ();
    /* Never talk to (or become) an instance the developer has running. */
    g_application_set_flags (G_APPLICATION (app),
                             g_application_get_flags (G_APPLICATION (app)) |
                             G_APPLICATION_NON_UNIQUE);
    g_object_set_data (G_OBJECT (app), "fixture", &fixture);
    g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
    status = g_application_run (G_APPLICATION (app), 3, argv);
  }

  g_assert_cmpint (status, ==, 0);
  g_assert_true (fixture.checked);
  fixture_clear (&fixture);
  g_source_remove (timeout_id);
}

int
main (int   argc,
      char *argv[])
{
  sotto_application_setup_i18n ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sotto/ui/call/real-server", test_call);
  return g_test_run ();
}
