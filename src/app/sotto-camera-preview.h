/* sotto-camera-preview.h: the chosen camera, shown on the join page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sotto-video-tile.h"

G_BEGIN_DECLS

#define SOTTO_CAMERA_PREVIEW_ERROR (sotto_camera_preview_error_quark ())
GQuark sotto_camera_preview_error_quark (void);

typedef enum {
  SOTTO_CAMERA_PREVIEW_ERROR_NO_CAMERA,  /* nothing to open */
  SOTTO_CAMERA_PREVIEW_ERROR_FAILED,     /* GStreamer could not build or start it */
} SottoCameraPreviewError;

#define SOTTO_TYPE_CAMERA_PREVIEW (sotto_camera_preview_get_type ())
G_DECLARE_FINAL_TYPE (SottoCameraPreview, sotto_camera_preview, SOTTO, CAMERA_PREVIEW, GObject)

/* Feeds `tile` (not owned; the preview must not outlive it) with small RGBA
 * frames from a camera: videotestsrc with SOTTO_VIDEO_SOURCE=test, else the
 * given GstDevice, else the first camera found. Frames cross from GStreamer's
 * streaming thread to the thread-default main context of the caller of
 * sotto_camera_preview_start, one at a time (a late frame is dropped, never
 * queued). */
SottoCameraPreview *sotto_camera_preview_new     (SottoVideoTile     *tile);
/* Starts (or restarts with) `device`, a GstDevice or NULL for the default.
 * FALSE when no camera can be opened; the tile then shows "camera off". */
gboolean            sotto_camera_preview_start   (SottoCameraPreview *self,
                                                  gpointer            device,
                                                  GError            **error);
/* Releases the camera (before a call opens it). */
void                sotto_camera_preview_stop    (SottoCameraPreview *self);
gboolean            sotto_camera_preview_get_running (SottoCameraPreview *self);

G_END_DECLS
