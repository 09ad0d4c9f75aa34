/* test-camera-preview.c: the join page's camera preview with the test source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Its own executable: GTK and GStreamer together push GLib past 2048 quarks,
 * and GLib then deliberately drops its first quark block, which only full
 * stacks let tests/lsan.supp recognise (see tests/ui/meson.build).
 */
#include "sotto-config.h"

#include <adwaita.h>

#include "sotto-camera-preview.h"
#include "ui-test-util.h"

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

static gboolean
has_frames (gpointer data)
{
  return sotto_video_tile_get_frame_count (data) >= 3;
}

static gboolean
spin (gpointer data)
{
  guint *n = data;
  return ++(*n) > 100;
}

static void
test_camera_preview (void)
{
  GtkWidget *tile = sotto_video_tile_new ("self", "Ana");
  GtkWindow *window = window_with (tile, 320, 240);
  g_autoptr(SottoCameraPreview) preview = sotto_camera_preview_new (SOTTO_VIDEO_TILE (tile));
  g_autoptr(GError) error = NULL;
  guint64 frames;
  guint n = 0;

  /* SOTTO_VIDEO_SOURCE=test: videotestsrc frames reach the tile. */
  g_assert_true (sotto_camera_preview_start (preview, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sotto_camera_preview_get_running (preview));
  g_assert_true (ui_wait_for (has_frames, tile, 10000));
  g_assert_false (sotto_video_tile_get_camera_off (SOTTO_VIDEO_TILE (tile)));

  /* Stopped: the camera is released and late frames are dropped. */
  sotto_camera_preview_stop (preview);
  g_assert_false (sotto_camera_preview_get_running (preview));
  frames = sotto_video_tile_get_frame_count (SOTTO_VIDEO_TILE (tile));
  ui_wait_for (spin, &n, 1000);
  g_assert_cmpuint (sotto_video_tile_get_frame_count (SOTTO_VIDEO_TILE (tile)), ==, frames);

  /* No test source and no device: no camera, said as an error. */
  g_setenv ("SOTTO_VIDEO_SOURCE", "devices", TRUE);
  g_assert_false (sotto_camera_preview_start (preview, NULL, &error));
  g_assert_error (error, SOTTO_CAMERA_PREVIEW_ERROR, SOTTO_CAMERA_PREVIEW_ERROR_NO_CAMERA);
  g_assert_true (sotto_video_tile_get_camera_off (SOTTO_VIDEO_TILE (tile)));
  g_setenv ("SOTTO_VIDEO_SOURCE", "test", TRUE);

  g_clear_object (&preview);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sotto/ui/camera-preview/frames", test_camera_preview);

  return g_test_run ();
}
