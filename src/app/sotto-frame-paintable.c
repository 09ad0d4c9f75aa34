/* sotto-frame-paintable.c: the latest video frame as one long-lived paintable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-frame-paintable.h"

struct _SottoFramePaintable
{
  GObject     parent_instance;

  GdkTexture *texture;
};

static void sotto_frame_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SottoFramePaintable, sotto_frame_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      sotto_frame_paintable_iface_init))

static void
sotto_frame_paintable_snapshot (GdkPaintable *paintable,
                                GdkSnapshot  *snapshot,
                                double        width,
                                double        height)
{
  SottoFramePaintable *self = SOTTO_FRAME_PAINTABLE (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
sotto_frame_paintable_get_current_image (GdkPaintable *paintable)
{
  SottoFramePaintable *self = SOTTO_FRAME_PAINTABLE (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));
  return gdk_paintable_new_empty (0, 0);
}

static int
sotto_frame_paintable_get_intrinsic_width (GdkPaintable *paintable)
{
  SottoFramePaintable *self = SOTTO_FRAME_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_width (self->texture) : 0;
}

static int
sotto_frame_paintable_get_intrinsic_height (GdkPaintable *paintable)
{
  SottoFramePaintable *self = SOTTO_FRAME_PAINTABLE (paintable);

  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static double
sotto_frame_paintable_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  SottoFramePaintable *self = SOTTO_FRAME_PAINTABLE (paintable);

  if (self->texture == NULL)
    return 0.0;
  return (double) gdk_texture_get_width (self->texture) / gdk_texture_get_height (self->texture);
}

static void
sotto_frame_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = sotto_frame_paintable_snapshot;
  iface->get_current_image = sotto_frame_paintable_get_current_image;
  iface->get_intrinsic_width = sotto_frame_paintable_get_intrinsic_width;
  iface->get_intrinsic_height = sotto_frame_paintable_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = sotto_frame_paintable_get_intrinsic_aspect_ratio;
}

static void
sotto_frame_paintable_finalize (GObject *object)
{
  SottoFramePaintable *self = SOTTO_FRAME_PAINTABLE (object);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (sotto_frame_paintable_parent_class)->finalize (object);
}

static void
sotto_frame_paintable_class_init (SottoFramePaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sotto_frame_paintable_finalize;
}

static void
sotto_frame_paintable_init (SottoFramePaintable *self)
{
}

SottoFramePaintable *
sotto_frame_paintable_new (void)
{
  return g_object_new (SOTTO_TYPE_FRAME_PAINTABLE, NULL);
}

void
sotto_frame_paintable_set_texture (SottoFramePaintable *self,
                                   GdkTexture          *texture)
{
  gboolean resized;

  g_return_if_fail (SOTTO_IS_FRAME_PAINTABLE (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  resized = (self->texture == NULL) != (texture == NULL) ||
            (texture != NULL &&
             (gdk_texture_get_width (texture) != gdk_texture_get_width (self->texture) ||
              gdk_texture_get_height (texture) != gdk_texture_get_height (self->texture)));
  g_set_object (&self->texture, texture);
  if (resized)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

GdkTexture *
sotto_frame_paintable_get_texture (SottoFramePaintable *self)
{
  g_return_val_if_fail (SOTTO_IS_FRAME_PAINTABLE (self), NULL);
  return self->texture;
}
