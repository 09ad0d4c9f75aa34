/* sotto-video-tile.c: one participant's video, name and state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sotto-frame-paintable.h"
#include "sotto-video-tile.h"

enum {
  PROP_0,
  PROP_PARTICIPANT_ID,
  PROP_NAME,
  PROP_MUTED,
  PROP_CAMERA_OFF,
  PROP_IS_SELF,
  PROP_FRAME_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _SottoVideoTile
{
  GtkWidget       parent_instance;

  /* template */
  GtkWidget      *overlay;
  GtkStack       *stack;
  GtkPicture     *picture;
  AdwAvatar      *avatar;
  GtkLabel       *name_label;
  GtkWidget      *muted_icon;
  GtkMenuButton  *encryption_button;
  GtkLabel       *encryption_title;
  GtkLabel       *profile_label;
  GtkLabel       *sas_label;
  GtkLabel       *sas_explanation;
  GtkMenuButton  *stats_button;
  GtkLabel       *bitrate_value;
  GtkLabel       *loss_value;
  GtkLabel       *rtt_value;
  GtkLabel       *jitter_value;
  GtkLabel       *resolution_value;
  GtkLabel       *frame_rate_value;
  GtkLabel       *codec_value;

  char           *participant_id;
  char           *name;
  gboolean        muted;
  gboolean        camera_off;
  gboolean        is_self;
  SottoFramePaintable *frame;  /* the picture's paintable for the tile's life */
  guint64         frame_count;
};

G_DEFINE_FINAL_TYPE (SottoVideoTile, sotto_video_tile, GTK_TYPE_WIDGET)

/* Your own picture is a corner thumbnail, not the camera's full size. */
#define SELF_NATURAL_WIDTH  176
#define SELF_NATURAL_HEIGHT 132

static void
update_accessible_label (SottoVideoTile *self)
{
  g_autofree char *label = NULL;
  const char *name = self->name != NULL ? self->name : "";

  if (self->is_self)
    label = g_strdup (_("Your video"));
  else if (self->camera_off)
    /* TRANSLATORS: %s is a participant's name */
    label = g_strdup_printf (_("%s, camera off"), name);
  else
    /* TRANSLATORS: %s is a participant's name */
    label = g_strdup_printf (_("Video of %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update_stack (SottoVideoTile *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    self->camera_off || self->frame_count == 0 ? "off" : "video");
}

static void
sotto_video_tile_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  SottoVideoTile *self = SOTTO_VIDEO_TILE (widget);

  gtk_widget_measure (self->overlay, orientation, for_size, minimum, natural, NULL, NULL);
  if (self->is_self)
    *natural = MAX (*minimum, orientation == GTK_ORIENTATION_HORIZONTAL ? SELF_NATURAL_WIDTH
                                                                         : SELF_NATURAL_HEIGHT);
}

static void
sotto_video_tile_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  gtk_widget_allocate (SOTTO_VIDEO_TILE (widget)->overlay, width, height, baseline, NULL);
}

static void
sotto_video_tile_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SottoVideoTile *self = SOTTO_VIDEO_TILE (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT_ID:
      g_value_set_string (value, self->participant_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_CAMERA_OFF:
      g_value_set_boolean (value, self->camera_off);
      break;
    case PROP_IS_SELF:
      g_value_set_boolean (value, self->is_self);
      break;
    case PROP_FRAME_COUNT:
      g_value_set_uint64 (value, self->frame_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_video_tile_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SottoVideoTile *self = SOTTO_VIDEO_TILE (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT_ID:
      self->participant_id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      sotto_video_tile_set_name (self, g_value_get_string (value));
      break;
    case PROP_MUTED:
      sotto_video_tile_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_CAMERA_OFF:
      sotto_video_tile_set_camera_off (self, g_value_get_boolean (value));
      break;
    case PROP_IS_SELF:
      sotto_video_tile_set_is_self (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_video_tile_dispose (GObject *object)
{
  SottoVideoTile *self = SOTTO_VIDEO_TILE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SOTTO_TYPE_VIDEO_TILE);
  g_clear_object (&self->frame);

  G_OBJECT_CLASS (sotto_video_tile_parent_class)->dispose (object);
}

static void
sotto_video_tile_finalize (GObject *object)
{
  SottoVideoTile *self = SOTTO_VIDEO_TILE (object);

  g_free (self->participant_id);
  g_free (self->name);

  G_OBJECT_CLASS (sotto_video_tile_parent_class)->finalize (object);
}

static void
sotto_video_tile_class_init (SottoVideoTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sotto_video_tile_get_property;
  object_class->set_property = sotto_video_tile_set_property;
  object_class->dispose = sotto_video_tile_dispose;
  object_class->finalize = sotto_video_tile_finalize;
  widget_class->measure = sotto_video_tile_measure;
  widget_class->size_allocate = sotto_video_tile_size_allocate;

  properties[PROP_PARTICIPANT_ID] =
    g_param_spec_string ("participant-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERA_OFF] =
    g_param_spec_boolean ("camera-off", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_SELF] =
    g_param_spec_boolean ("is-self", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAME_COUNT] =
    g_param_spec_uint64 ("frame-count", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sotto/Sotto/sotto-video-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, overlay);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, stack);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, picture);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, avatar);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, muted_icon);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, encryption_button);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, encryption_title);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, profile_label);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, sas_label);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, sas_explanation);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, stats_button);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, bitrate_value);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, loss_value);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, rtt_value);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, jitter_value);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, resolution_value);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, frame_rate_value);
  gtk_widget_class_bind_template_child (widget_class, SottoVideoTile, codec_value);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "videotile");
}

static void
sotto_video_tile_init (SottoVideoTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->frame = sotto_frame_paintable_new ();
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (self->frame));
  sotto_video_tile_set_encryption (self, NULL, NULL);
  sotto_video_tile_set_stats (self, NULL);
  update_stack (self);
}

GtkWidget *
sotto_video_tile_new (const char *participant_id,
                      const char *name)
{
  return g_object_new (SOTTO_TYPE_VIDEO_TILE,
                       "participant-id", participant_id,
                       "name", name,
                       NULL);
}

const char *
sotto_video_tile_get_participant_id (SottoVideoTile *self)
{
  g_return_val_if_fail (SOTTO_IS_VIDEO_TILE (self), NULL);
  return self->participant_id;
}

void
sotto_video_tile_set_name (SottoVideoTile *self,
                           const char     *name)
{
  g_return_if_fail (SOTTO_IS_VIDEO_TILE (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  gtk_label_set_text (self->name_label, name != NULL ? name : "");
  adw_avatar_set_text (self->avatar, name);
  update_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
sotto_video_tile_get_name (SottoVideoTile *self)
{
  g_return_val_if_fail (SOTTO_IS_VIDEO_TILE (self), NULL);
  return self->name;
}

void
sotto_video_tile_set_muted (SottoVideoTile *self,
                            gboolean        muted)
{
  g_return_if_fail (SOTTO_IS_VIDEO_TILE (self));

  muted = !!muted;
  if (self->muted == muted)
    return;
  self->muted = muted;
  gtk_widget_set_visible (self->muted_icon, muted);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

gboolean
sotto_video_tile_get_muted (SottoVideoTile *self)
{
  g_return_val_if_fail (SOTTO_IS_VIDEO_TILE (self), FALSE);
  return self->muted;
}

void
sotto_video_tile_set_camera_off (SottoVideoTile *self,
                                 gboolean        camera_off)
{
  g_return_if_fail (SOTTO_IS_VIDEO_TILE (self));

  camera_off = !!camera_off;
  if (self->camera_off == camera_off)
    return;
  self->camera_off = camera_off;
  update_stack (self);
  update_accessible_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_OFF]);
}

gboolean
sotto_video_tile_get_camera_off (SottoVideoTile *self)
{
  g_return_val_if_fail (SOTTO_IS_VIDEO_TILE (self), FALSE);
  return self->camera_off;
}

void
sotto_video_tile_set_is_self (SottoVideoTile *self,
                              gboolean        is_self)
{
  g_return_if_fail (SOTTO_IS_VIDEO_TILE (self));

  is_self = !!is_self;
  if (self->is_self == is_self)
    return;
  self->is_self = is_self;
  /* There is no one to compare a code with on your own video. */
  gtk_widget_set_visible (GTK_WIDGET (self->encryption_button), !is_self);
  if (is_self)
    gtk_widget_add_css_class (GTK_WIDGET (self), "self");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "self");
  update_accessible_label (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SELF]);
}

void
sotto_video_tile_push_frame (SottoVideoTile *self,
                             int             width,
                             int             height,
                             gsize           stride,
                             GBytes         *rgba)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_if_fail (SOTTO_IS_VIDEO_TILE (self));
  g_return_if_fail (width > 0 && height > 0);
  g_return_if_fail (stride >= (gsize) width * 4);
  g_return_if_fail (rgba != NULL);
  g_return_if_fail (g_bytes_get_size (rgba) >= stride * (gsize) (height - 1) + (gsize) width * 4);

  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, rgba, stride);
  sotto_frame_paintable_set_texture (self->frame, texture);
  self->frame_count++;
  if (self->frame_count == 1)
    update_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_COUNT]);
}

GdkPaintable *
sotto_video_tile_get_paintable (SottoVideoTile *self)
{
  g_return_val_if_fail (SOTTO_IS_VIDEO_TILE (self), NULL);
  return self->frame_count > 0 ? GDK_PAINTABLE (self->frame) : NULL;
}

guint64
sotto_video_tile_get_frame_count (SottoVideoTile *self)
{
  g_return_val_if_fail (SOTTO_IS_VIDEO_TILE (self), 0);
  return self->frame_count;
}

void
sotto_video_tile_set_encryption (SottoVideoTile *self,
                                 const char     *srtp_profile,
                                 const char     *sas)
{
  g_autofree char *explanation = NULL;

  g_return_if_fail (SOTTO_IS_VIDEO_TILE (self));

  if (srtp_profile == NULL)
    {
      gtk_menu_button_set_icon_name (self->encryption_button, "channel-insecure-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->encryption_button), _("Securing the connection…"));
      gtk_label_set_text (self->encryption_title, _("Securing the connection…"));
      gtk_label_set_text (self->profile_label,
                          _("Nothing is sent until the keys are agreed."));
      gtk_widget_set_visible (GTK_WIDGET (self->sas_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->sas_explanation), FALSE);
      return;
    }

  gtk_menu_button_set_icon_name (self->encryption_button, "channel-secure-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->encryption_button), _("End-to-end encrypted"));
  gtk_label_set_text (self->encryption_title, _("End-to-end encrypted"));
  {
    /* TRANSLATORS: %s is an SRTP protection profile such as AEAD_AES_256_GCM */
    g_autofree char *profile = g_strdup_printf (_("Protected with %s"), srtp_profile);
    gtk_label_set_text (self->profile_label, profile);
  }
  gtk_label_set_text (self->sas_label, sas != NULL ? sas : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sas_label), sas != NULL);
  explanation = g_strdup_printf (_("Read this code aloud to %s: if you both see the same code, nobody is listening in between."),
                                 self->name != NULL ? self->name : _("the other person"));
  gtk_label_set_text (self->sas_explanation, explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->sas_explanation), sas != NULL);
}

void
sotto_video_tile_set_stats (SottoVideoTile       *self,
                            const SottoTileStats *stats)
{
  static const SottoTileStats none = { -1, -1, -1, -1, 0, 0, -1, NULL };
  char *text;

  g_return_if_fail (SOTTO_IS_VIDEO_TILE (self));

  /* Nothing measured yet (or a preview): no button to open. */
  gtk_widget_set_visible (GTK_WIDGET (self->stats_button), stats != NULL);
  if (stats == NULL)
    stats = &none;

#define SET(label, expr) \
  text = (expr); gtk_label_set_text (self->label, text); g_free (text)
  SET (bitrate_value, sotto_stats_text_bitrate (stats->bitrate_bps));
  SET (loss_value, sotto_stats_text_loss (stats->loss_fraction));
  SET (rtt_value, sotto_stats_text_duration (stats->rtt_ms));
  SET (jitter_value, sotto_stats_text_duration (stats->jitter_ms));
  SET (resolution_value, sotto_stats_text_resolution (stats->width, stats->height));
  SET (frame_rate_value, sotto_stats_text_frame_rate (stats->frame_rate));
  SET (codec_value, sotto_stats_text_codec (stats->codec));
#undef SET
}
