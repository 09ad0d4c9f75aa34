/* sotto-media-preview.h: our own camera, small, for the self view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define SOTTO_TYPE_MEDIA_PREVIEW (sotto_media_preview_get_type ())
G_DECLARE_FINAL_TYPE (SottoMediaPreview, sotto_media_preview, SOTTO, MEDIA_PREVIEW, GObject)

/* Frames are emitted on `context` (the sender's owner's). */
SottoMediaPreview *sotto_media_preview_new   (GMainContext *context,
                                              guint         max_fps);
/* Adds the branch to `bin` and returns its first element, for the sender to
 * link from a tee; NULL with a SOTTO_MEDIA_ERROR when an element is missing. */
GstElement        *sotto_media_preview_build (SottoMediaPreview *self,
                                              GstBin            *bin,
                                              GError           **error);
/* Drops what is queued; call once the pipeline no longer runs. */
void               sotto_media_preview_stop  (SottoMediaPreview *self);

/* Signal "frame" (guint width, guint height, guint stride, GBytes *rgba):
 * RGBA (GDK_MEMORY_R8G8B8A8), on the owner's context. */

G_END_DECLS
