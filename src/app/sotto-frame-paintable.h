/* sotto-frame-paintable.h: the latest video frame as one long-lived paintable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SOTTO_TYPE_FRAME_PAINTABLE (sotto_frame_paintable_get_type ())
G_DECLARE_FINAL_TYPE (SottoFramePaintable, sotto_frame_paintable, SOTTO, FRAME_PAINTABLE, GObject)

/* A GdkPaintable showing the last texture given to it. A new frame of the
 * same size only invalidates the contents (a redraw); a new size also
 * invalidates the size. Giving a GtkPicture a new texture per frame instead
 * would re-lay out the whole window 15 to 30 times a second. */
SottoFramePaintable *sotto_frame_paintable_new         (void);
void                 sotto_frame_paintable_set_texture (SottoFramePaintable *self,
                                                        GdkTexture          *texture);
GdkTexture          *sotto_frame_paintable_get_texture (SottoFramePaintable *self);

G_END_DECLS
