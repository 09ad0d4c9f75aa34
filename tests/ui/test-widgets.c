/* test-widgets.c: join page, video tiles, call page and moderator panel as
 * real widgets on a real (Xvfb) display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include <adwaita.h>

#include "../unit/app/app-test-util.h"
#include "sotto-call-page.h"
#include "sotto-join-page.h"
#include "sotto-moderator-panel.h"
#include "sotto-tile-grid.h"
#include "ui-test-util.h"

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static GtkWindow *
window_with (GtkWidget *child,
             int        width,
             int        height)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());

  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  return window;
}

/* Join page */

static void
test_join_valid_token (void)
{
  GtkWidget *page = sotto_join_page_new ();
  GtkWindow *window = window_with (page, 600, 800);
  g_autofree char *token = app_test_mint (SOTTO_ROLE_PUBLISHER, "Bo", now (), 0, 45 * 60);
  g_autofree char *link = g_strconcat ("sotto:", token, NULL);
  SottoTokenPreview *preview;

  g_assert_false (sotto_join_page_get_can_join (SOTTO_JOIN_PAGE (page)));
  g_assert_null (sotto_join_page_get_error_text (SOTTO_JOIN_PAGE (page)));

  sotto_join_page_set_token_text (SOTTO_JOIN_PAGE (page), link);
  preview = sotto_join_page_get_preview (SOTTO_JOIN_PAGE (page));
  g_assert_nonnull (preview);
  g_assert_cmpstr (sotto_join_page_get_token (SOTTO_JOIN_PAGE (page)), ==, token);
  g_assert_cmpstr (sotto_token_preview_get_name (preview), ==, "Bo");
  g_assert_true (sotto_join_page_get_can_join (SOTTO_JOIN_PAGE (page)));
  g_assert_null (sotto_join_page_get_error_text (SOTTO_JOIN_PAGE (page)));
  /* Test sources: no device probing, the default entry is the test source. */
  g_assert_cmpstr (sotto_join_page_get_video_device (SOTTO_JOIN_PAGE (page)), ==, "");

  gtk_window_destroy (window);
}

static void
test_join_bad_tokens (void)
{
  GtkWidget *page = sotto_join_page_new ();
  GtkWindow *window = window_with (page, 600, 800);
  g_autofree char *expired = app_test_mint (SOTTO_ROLE_PUBLISHER, NULL, now (), 7200, -3600);
  g_autofree char *good = app_test_mint (SOTTO_ROLE_PUBLISHER, NULL, now (), 0, 3600);
  const char *error;

  sotto_join_page_set_token_text (SOTTO_JOIN_PAGE (page), "not a token");
  error = sotto_join_page_get_error_text (SOTTO_JOIN_PAGE (page));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "does not look like a Sotto token"));
  g_assert_null (sotto_join_page_get_preview (SOTTO_JOIN_PAGE (page)));
  g_assert_false (sotto_join_page_get_can_join (SOTTO_JOIN_PAGE (page)));

  /* Expired: still decoded and described, but explained and not joinable. */
  sotto_join_page_set_token_text (SOTTO_JOIN_PAGE (page), expired);
  g_assert_nonnull (sotto_join_page_get_preview (SOTTO_JOIN_PAGE (page)));
  error = sotto_join_page_get_error_text (SOTTO_JOIN_PAGE (page));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "expired"));
  g_assert_false (sotto_join_page_get_can_join (SOTTO_JOIN_PAGE (page)));

  /* A good token clears the explanation; an empty entry clears everything. */
  sotto_join_page_set_token_text (SOTTO_JOIN_PAGE (page), good);
  g_assert_null (sotto_join_page_get_error_text (SOTTO_JOIN_PAGE (page)));
  g_assert_true (sotto_join_page_get_can_join (SOTTO_JOIN_PAGE (page)));
  sotto_join_page_set_token_text (SOTTO_JOIN_PAGE (page), "");
  g_assert_null (sotto_join_page_get_preview (SOTTO_JOIN_PAGE (page)));
  g_assert_false (sotto_join_page_get_can_join (SOTTO_JOIN_PAGE (page)));

  gtk_window_destroy (window);
}

static void
test_join_remembers_devices (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *page = sotto_join_page_new ();
  GtkWindow *window = window_with (page, 600, 800);
  g_autofree char *video = NULL;

  /* A remembered camera that is not plugged in right now is shown as the
   * default but not forgotten: it is picked again when it comes back. */
  g_settings_set_string (settings, "video-device", "USB Camera (gone)");
  sotto_join_page_set_settings (SOTTO_JOIN_PAGE (page), settings);
  g_assert_cmpstr (sotto_join_page_get_video_device (SOTTO_JOIN_PAGE (page)), ==, "");
  video = g_settings_get_string (settings, "video-device");
  g_assert_cmpstr (video, ==, "USB Camera (gone)");

  /* Without the schema (NULL settings) the page still works. */
  sotto_join_page_set_settings (SOTTO_JOIN_PAGE (page), NULL);
  g_assert_cmpstr (sotto_join_page_get_audio_device (SOTTO_JOIN_PAGE (page)), ==, "");

  gtk_window_destroy (window);
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
on_join (SottoJoinPage *page,
         guint         *joins)
{
  (*joins)++;
}

static void
test_join_drop_and_enter (void)
{
  GtkWidget *page = sotto_join_page_new ();
  GtkWindow *window = window_with (page, 600, 800);
  g_autofree char *token = app_test_mint (SOTTO_ROLE_PUBLISHER, "Dee", now (), 0, 600);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (page);
  GtkDropTarget *drop = NULL;
  GtkWidget *entry_row = find_type (page, ADW_TYPE_ENTRY_ROW);
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  guint joins = 0;

  g_signal_connect (page, "join", G_CALLBACK (on_join), &joins);

  /* Enter in the entry joins only once the token is usable. */
  g_assert_nonnull (entry_row);
  sotto_join_page_set_token_text (SOTTO_JOIN_PAGE (page), "garbage");
  g_signal_emit_by_name (entry_row, "entry-activated");
  g_assert_cmpuint (joins, ==, 0);

  /* Text dropped on the page is taken as a pasted token. */
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && drop == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        drop = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (drop);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, token);
  g_signal_emit_by_name (drop, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
  g_assert_cmpstr (sotto_join_page_get_token (SOTTO_JOIN_PAGE (page)), ==, token);
  g_assert_true (sotto_join_page_get_can_join (SOTTO_JOIN_PAGE (page)));

  g_signal_emit_by_name (entry_row, "entry-activated");
  g_assert_cmpuint (joins, ==, 1);

  gtk_window_destroy (window);
}

static gboolean
offer_visible (gpointer data)
{
  return ui_find_label (data, "A token is on the clipboard") != NULL;
}

static void
test_join_clipboard_offer (void)
{
  GtkWidget *page = sotto_join_page_new ();
  GtkWindow *window = window_with (page, 600, 800);
  g_autofree char *token = app_test_mint (SOTTO_ROLE_SUBSCRIBER, NULL, now (), 0, 3600);

  /* Text that is not a token is never offered... */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (page), "hello");
  gtk_widget_unmap (page);
  gtk_widget_map (page);
  g_assert_false (ui_wait_for (offer_visible, window, 300));

  /* ...a token is, when the page is shown again. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (page), token);
  gtk_widget_unmap (page);
  gtk_widget_map (page);
  g_assert_true (ui_wait_for (offer_visible, window, 5000));

  /* Once it is in the entry it is no longer offered. */
  sotto_join_page_set_token_text (SOTTO_JOIN_PAGE (page), token);
  g_assert_false (offer_visible (window));

  gtk_window_destroy (window);
}

/* Video tile */

static GBytes *
solid_frame (int     width,
             int     height,
             gsize   stride,
             guint8  r)
{
  guint8 *data = g_malloc0 (stride * (gsize) height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = data + (gsize) y * stride + (gsize) x * 4;
        p[0] = r;
        p[3] = 255;
      }
  return g_bytes_new_take (data, stride * (gsize) height);
}

static void
test_tile_frames (void)
{
  GtkWidget *tile = sotto_video_tile_new ("p1", "Ana");
  GtkWindow *window = window_with (tile, 320, 240);
  g_autoptr(GBytes) frame = solid_frame (320, 240, 320 * 4 + 64, 200);
  g_autoptr(GBytes) short_frame = g_bytes_new_static ("abcd", 4);
  SottoTileStats stats = { 1.5e6, 0.01, 20, 3, 320, 240, 15, "VP8" };
  GdkPaintable *paintable;

  g_assert_null (sotto_video_tile_get_paintable (SOTTO_VIDEO_TILE (tile)));
  sotto_video_tile_push_frame (SOTTO_VIDEO_TILE (tile), 320, 240, 320 * 4 + 64, frame);
  sotto_video_tile_push_frame (SOTTO_VIDEO_TILE (tile), 320, 240, 320 * 4 + 64, frame);
  g_assert_cmpuint (sotto_video_tile_get_frame_count (SOTTO_VIDEO_TILE (tile)), ==, 2);
  paintable = sotto_video_tile_get_paintable (SOTTO_VIDEO_TILE (tile));
  g_assert_true (GDK_IS_PAINTABLE (paintable));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 320);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 240);
  {
    /* What is drawn is the frame pushed, pixel for pixel. */
    g_autoptr(GdkPaintable) image = gdk_paintable_get_current_image (paintable);
    g_autofree guchar *pixels = g_malloc (320 * 240 * 4);

    /* gdk_texture_download gives native-endian ARGB32: B, G, R, A here. */
    g_assert_true (GDK_IS_TEXTURE (image));
    gdk_texture_download (GDK_TEXTURE (image), pixels, 320 * 4);
    g_assert_cmpuint (pixels[2], ==, 200);
    g_assert_cmpuint (pixels[1], ==, 0);
    g_assert_cmpuint (pixels[3], ==, 255);
  }

  /* A buffer too short for its size is refused, not read past its end. */
  g_test_expect_message ("sotto-app", G_LOG_LEVEL_CRITICAL, "*g_bytes_get_size*");
  sotto_video_tile_push_frame (SOTTO_VIDEO_TILE (tile), 320, 240, 320 * 4, short_frame);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (sotto_video_tile_get_frame_count (SOTTO_VIDEO_TILE (tile)), ==, 2);

  sotto_video_tile_set_muted (SOTTO_VIDEO_TILE (tile), TRUE);
  sotto_video_tile_set_camera_off (SOTTO_VIDEO_TILE (tile), TRUE);
  sotto_video_tile_set_encryption (SOTTO_VIDEO_TILE (tile), "AEAD_AES_256_GCM", "4721 0938");
  sotto_video_tile_set_stats (SOTTO_VIDEO_TILE (tile), &stats);
  g_assert_true (sotto_video_tile_get_muted (SOTTO_VIDEO_TILE (tile)));
  g_assert_true (sotto_video_tile_get_camera_off (SOTTO_VIDEO_TILE (tile)));

  gtk_window_destroy (window);
}

/* Call page */

typedef struct {
  SottoTileGrid *grid;
  guint          columns;
} GridWait;

static gboolean
grid_has_columns (gpointer data)
{
  GridWait *wait = data;
  SottoGridLayout layout;

  sotto_tile_grid_get_layout (wait->grid, &layout);
  return layout.columns == wait->columns;
}

static void
test_call_page_tiles (void)
{
  GtkWidget *page = sotto_call_page_new ();
  GtkWindow *window = window_with (page, 360, 720);
  g_autoptr(GBytes) frame = solid_frame (32, 24, 32 * 4, 90);
  SottoVideoTile *tile;
  SottoVideoTile *again;

  g_assert_cmpuint (sotto_call_page_get_n_tiles (SOTTO_CALL_PAGE (page)), ==, 0);
  tile = sotto_call_page_add_tile (SOTTO_CALL_PAGE (page), "p1", "Ana");
  sotto_call_page_add_tile (SOTTO_CALL_PAGE (page), "p2", "Bo");
  sotto_call_page_add_tile (SOTTO_CALL_PAGE (page), "p3", "Cy");
  again = sotto_call_page_add_tile (SOTTO_CALL_PAGE (page), "p1", "Ana B.");
  g_assert_true (tile == again);
  g_assert_cmpstr (sotto_video_tile_get_name (tile), ==, "Ana B.");
  g_assert_cmpuint (sotto_call_page_get_n_tiles (SOTTO_CALL_PAGE (page)), ==, 3);

  sotto_call_page_push_frame (SOTTO_CALL_PAGE (page), "p2", 32, 24, 32 * 4, frame);
  sotto_call_page_push_frame (SOTTO_CALL_PAGE (page), NULL, 32, 24, 32 * 4, frame);
  sotto_call_page_push_frame (SOTTO_CALL_PAGE (page), "gone", 32, 24, 32 * 4, frame);
  g_assert_cmpuint (sotto_video_tile_get_frame_count (sotto_call_page_get_tile (SOTTO_CALL_PAGE (page), "p2")), ==, 1);
  g_assert_cmpuint (sotto_video_tile_get_frame_count (sotto_call_page_get_self_tile (SOTTO_CALL_PAGE (page))), ==, 1);

  /* Three people on a 360 px phone: one column. */
  {
    GtkWidget *grid = gtk_widget_get_parent (GTK_WIDGET (tile));
    GridWait wait = { SOTTO_TILE_GRID (grid), 1 };
    SottoGridLayout layout;

    g_assert_true (ui_wait_for (grid_has_columns, &wait, 5000));
    sotto_tile_grid_get_layout (SOTTO_TILE_GRID (grid), &layout);
    g_assert_cmpuint (layout.rows, ==, 3);
    g_assert_cmpint (layout.tile_width, <=, 360);
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (tile)), ==, layout.tile_width);
  }

  g_assert_true (sotto_call_page_remove_tile (SOTTO_CALL_PAGE (page), "p2"));
  g_assert_false (sotto_call_page_remove_tile (SOTTO_CALL_PAGE (page), "p2"));
  g_assert_cmpuint (sotto_call_page_get_n_tiles (SOTTO_CALL_PAGE (page)), ==, 2);
  g_assert_null (sotto_call_page_get_tile (SOTTO_CALL_PAGE (page), "p2"));

  sotto_call_page_set_watching_count (SOTTO_CALL_PAGE (page), 3);
  g_assert_cmpstr (sotto_call_page_get_watching_text (SOTTO_CALL_PAGE (page)), ==, "3 watching");
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "3 watching"));

  sotto_call_page_show_toast (SOTTO_CALL_PAGE (page), "Bo left the call");
  sotto_call_page_set_reconnecting (SOTTO_CALL_PAGE (page), TRUE);
  sotto_call_page_remove_all_tiles (SOTTO_CALL_PAGE (page));
  g_assert_cmpuint (sotto_call_page_get_n_tiles (SOTTO_CALL_PAGE (page)), ==, 0);

  gtk_window_destroy (window);
}

/* Moderator panel */

typedef struct {
  GPtrArray *disconnected;
  GPtrArray *unpublished;
} Requests;

static void
on_force_disconnect (SottoModeratorPanel *panel,
                     const char          *id,
                     Requests            *requests)
{
  g_ptr_array_add (requests->disconnected, g_strdup (id));
}

static void
on_force_unpublish (SottoModeratorPanel *panel,
                    const char          *id,
                    Requests            *requests)
{
  g_ptr_array_add (requests->unpublished, g_strdup (id));
}

static void
close_dialog (GtkWidget *dialog)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_force_close (ADW_DIALOG (dialog));
#else
  gtk_window_destroy (GTK_WINDOW (dialog));
#endif
}

static void
test_moderator_panel (void)
{
  GtkWidget *panel = sotto_moderator_panel_new ();
  GtkWindow *window = window_with (panel, 400, 700);
  g_autoptr(GListStore) people = g_list_store_new (SOTTO_TYPE_PARTICIPANT_ITEM);
  g_autoptr(GListStore) streams = g_list_store_new (SOTTO_TYPE_STREAM_ITEM);
  g_autoptr(SottoParticipantItem) me = sotto_participant_item_new ("c0", "Mo", SOTTO_ROLE_MODERATOR);
  g_autoptr(SottoParticipantItem) ana = sotto_participant_item_new ("c1", "Ana", SOTTO_ROLE_PUBLISHER);
  g_autoptr(SottoStreamItem) stream = sotto_stream_item_new ("s1", "c1", "Ana", TRUE, TRUE);
  g_autoptr(GPtrArray) disconnected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) unpublished = g_ptr_array_new_with_free_func (g_free);
  Requests requests = { disconnected, unpublished };
  GtkWidget *dialog;

  sotto_participant_item_set_is_self (me, TRUE);
  g_list_store_append (people, me);
  g_list_store_append (people, ana);
  g_list_store_append (streams, stream);
  sotto_moderator_panel_set_models (SOTTO_MODERATOR_PANEL (panel), G_LIST_MODEL (people),
                                    G_LIST_MODEL (streams));
  sotto_moderator_panel_set_max_participants (SOTTO_MODERATOR_PANEL (panel), 8);
  g_signal_connect (panel, "force-disconnect", G_CALLBACK (on_force_disconnect), &requests);
  g_signal_connect (panel, "force-unpublish", G_CALLBACK (on_force_unpublish), &requests);

  g_assert_cmpstr (sotto_moderator_panel_get_totals_text (SOTTO_MODERATOR_PANEL (panel)), ==,
                   "2 of 8 connected · 1 publishing · 0 subscriptions");

  /* Counts follow the items live: 1, 2, back to 1. */
  sotto_stream_item_set_subscriber_count (stream, 1);
  g_assert_cmpstr (sotto_moderator_panel_get_totals_text (SOTTO_MODERATOR_PANEL (panel)), ==,
                   "2 of 8 connected · 1 publishing · 1 subscription");
  sotto_stream_item_set_subscriber_count (stream, 2);
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "2 watching"));
  g_assert_cmpstr (sotto_moderator_panel_get_totals_text (SOTTO_MODERATOR_PANEL (panel)), ==,
                   "2 of 8 connected · 1 publishing · 2 subscriptions");
  sotto_stream_item_set_subscriber_count (stream, 1);
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "1 watching"));

  /* A participant's state change updates the totals as well. */
  sotto_participant_item_set_state (ana, SOTTO_CONNECTION_STATE_DISCONNECTED);
  g_assert_cmpstr (sotto_moderator_panel_get_totals_text (SOTTO_MODERATOR_PANEL (panel)), ==,
                   "1 of 8 connected · 1 publishing · 1 subscription");
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Ana"));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Mo (you)"));

  /* Nothing happens until the person confirms; cancel does nothing. */
  dialog = sotto_moderator_panel_ask_disconnect (SOTTO_MODERATOR_PANEL (panel), ana);
  g_assert_cmpuint (disconnected->len, ==, 0);
  g_signal_emit_by_name (dialog, "response", "cancel");
  g_assert_cmpuint (disconnected->len, ==, 0);
  close_dialog (dialog);

  dialog = sotto_moderator_panel_ask_disconnect (SOTTO_MODERATOR_PANEL (panel), ana);
  g_signal_emit_by_name (dialog, "response", "remove");
  close_dialog (dialog);
  g_assert_cmpuint (disconnected->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (disconnected, 0), ==, "c1");

  dialog = sotto_moderator_panel_ask_unpublish (SOTTO_MODERATOR_PANEL (panel), stream);
  g_signal_emit_by_name (dialog, "response", "stop");
  close_dialog (dialog);
  g_assert_cmpuint (unpublished->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (unpublished, 0), ==, "s1");

  g_list_store_remove (streams, 0);
  g_assert_cmpstr (sotto_moderator_panel_get_totals_text (SOTTO_MODERATOR_PANEL (panel)), ==,
                   "1 of 8 connected · 0 publishing · 0 subscriptions");

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/sotto/ui/join/valid-token", test_join_valid_token);
  g_test_add_func ("/sotto/ui/join/bad-tokens", test_join_bad_tokens);
  g_test_add_func ("/sotto/ui/join/clipboard-offer", test_join_clipboard_offer);
  g_test_add_func ("/sotto/ui/join/remembers-devices", test_join_remembers_devices);
  g_test_add_func ("/sotto/ui/join/drop-and-enter", test_join_drop_and_enter);
  g_test_add_func ("/sotto/ui/tile/frames", test_tile_frames);
  g_test_add_func ("/sotto/ui/call-page/tiles", test_call_page_tiles);
  g_test_add_func ("/sotto/ui/moderator-panel/live-counts", test_moderator_panel);

  return g_test_run ();
}
