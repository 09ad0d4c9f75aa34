/* sotto-call-page.c: the call: video grid, self view, controls, moderation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sotto-call-page.h"
#include "sotto-error-text.h"
#include "sotto-stream-item.h"
#include "sotto-tile-grid.h"

enum {
  PROP_0,
  PROP_TITLE,
  PROP_MICROPHONE_ENABLED,
  PROP_CAMERA_ENABLED,
  PROP_IS_MODERATOR,
  PROP_WATCHING_COUNT,
  PROP_RECONNECTING,
  N_PROPS
};

enum {
  SIGNAL_LEAVE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

struct _SottoCallPage
{
  GtkWidget            parent_instance;

  /* template */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkLabel            *watching_label;
  GtkWidget           *moderator_button;
  GtkRevealer         *reconnecting_revealer;
  SottoTileGrid       *grid;
  GtkWidget           *empty_label;
  SottoVideoTile      *self_tile;
  GtkButton           *microphone_button;
  GtkButton           *camera_button;
  SottoModeratorPanel *moderator_panel;

  GHashTable          *tiles;  /* participant id -> SottoVideoTile (the grid owns it) */
  char                *title;
  char                *watching_text;
  gboolean             microphone_enabled;
  gboolean             camera_enabled;
  gboolean             is_moderator;
  gboolean             reconnecting;
  guint                watching_count;
};

G_DEFINE_FINAL_TYPE (SottoCallPage, sotto_call_page, GTK_TYPE_WIDGET)

static void
update_empty (SottoCallPage *self)
{
  gtk_widget_set_visible (self->empty_label, g_hash_table_size (self->tiles) == 0);
}

static void
update_control_icons (SottoCallPage *self)
{
  gtk_button_set_icon_name (self->microphone_button,
                            self->microphone_enabled ? "audio-input-microphone-symbolic"
                                                     : "microphone-disabled-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->microphone_button),
                               self->microphone_enabled ? _("Turn Microphone Off (Ctrl+D)")
                                                        : _("Turn Microphone On (Ctrl+D)"));
  gtk_button_set_icon_name (self->camera_button,
                            self->camera_enabled ? "camera-web-symbolic"
                                                 : "camera-disabled-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->camera_button),
                               self->camera_enabled ? _("Turn Camera Off (Ctrl+E)")
                                                    : _("Turn Camera On (Ctrl+E)"));
}

/* Your own picture: a third of the width on a phone, at most 176 px wide,
 * in the bottom corner, 4:3 like the cameras we capture from. */
static gboolean
on_get_child_position (GtkOverlay    *overlay,
                       GtkWidget     *widget,
                       GdkRectangle  *allocation,
                       SottoCallPage *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (overlay));
  int height = gtk_widget_get_height (GTK_WIDGET (overlay));
  int margin = 12;

  if (widget != GTK_WIDGET (self->self_tile))
    return FALSE;

  allocation->width = CLAMP (width / 3, 96, 176);
  allocation->height = allocation->width * 3 / 4;
  allocation->x = MAX (0, width - allocation->width - margin);
  allocation->y = MAX (0, height - allocation->height - margin);
  return TRUE;
}

static void
on_leave_clicked (SottoCallPage *self)
{
  g_signal_emit (self, signals[SIGNAL_LEAVE], 0);
}

static void
sotto_call_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SottoCallPage *self = SOTTO_CALL_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_MICROPHONE_ENABLED:
      g_value_set_boolean (value, self->microphone_enabled);
      break;
    case PROP_CAMERA_ENABLED:
      g_value_set_boolean (value, self->camera_enabled);
      break;
    case PROP_IS_MODERATOR:
      g_value_set_boolean (value, self->is_moderator);
      break;
    case PROP_WATCHING_COUNT:
      g_value_set_uint (value, self->watching_count);
      break;
    case PROP_RECONNECTING:
      g_value_set_boolean (value, self->reconnecting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_call_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SottoCallPage *self = SOTTO_CALL_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      sotto_call_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_MICROPHONE_ENABLED:
      if (self->microphone_enabled != g_value_get_boolean (value))
        {
          self->microphone_enabled = g_value_get_boolean (value);
          update_control_icons (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_CAMERA_ENABLED:
      if (self->camera_enabled != g_value_get_boolean (value))
        {
          self->camera_enabled = g_value_get_boolean (value);
          update_control_icons (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_IS_MODERATOR:
      sotto_call_page_set_is_moderator (self, g_value_get_boolean (value));
      break;
    case PROP_WATCHING_COUNT:
      sotto_call_page_set_watching_count (self, g_value_get_uint (value));
      break;
    case PROP_RECONNECTING:
      sotto_call_page_set_reconnecting (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_call_page_dispose (GObject *object)
{
  SottoCallPage *self = SOTTO_CALL_PAGE (object);

  g_clear_pointer (&self->tiles, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOTTO_TYPE_CALL_PAGE);

  G_OBJECT_CLASS (sotto_call_page_parent_class)->dispose (object);
}

static void
sotto_call_page_finalize (GObject *object)
{
  SottoCallPage *self = SOTTO_CALL_PAGE (object);

  g_free (self->title);
  g_free (self->watching_text);

  G_OBJECT_CLASS (sotto_call_page_parent_class)->finalize (object);
}

static void
sotto_call_page_class_init (SottoCallPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sotto_call_page_get_property;
  object_class->set_property = sotto_call_page_set_property;
  object_class->dispose = sotto_call_page_dispose;
  object_class->finalize = sotto_call_page_finalize;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MICROPHONE_ENABLED] =
    g_param_spec_boolean ("microphone-enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERA_ENABLED] =
    g_param_spec_boolean ("camera-enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_MODERATOR] =
    g_param_spec_boolean ("is-moderator", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WATCHING_COUNT] =
    g_param_spec_uint ("watching-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECONNECTING] =
    g_param_spec_boolean ("reconnecting", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LEAVE] = g_signal_new ("leave", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SOTTO_TYPE_TILE_GRID);
  g_type_ensure (SOTTO_TYPE_VIDEO_TILE);
  g_type_ensure (SOTTO_TYPE_MODERATOR_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sotto/Sotto/sotto-call-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, watching_label);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, moderator_button);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, reconnecting_revealer);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, grid);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, self_tile);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, microphone_button);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, camera_button);
  gtk_widget_class_bind_template_child (widget_class, SottoCallPage, moderator_panel);
  gtk_widget_class_bind_template_callback (widget_class, on_leave_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_get_child_position);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sotto_call_page_init (SottoCallPage *self)
{
  self->microphone_enabled = TRUE;
  self->camera_enabled = TRUE;
  self->tiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  sotto_video_tile_set_name (self->self_tile, _("You"));
  g_object_bind_property (self, "microphone-enabled", self->self_tile, "muted",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self, "camera-enabled", self->self_tile, "camera-off",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  update_control_icons (self);
  update_empty (self);
}

GtkWidget *
sotto_call_page_new (void)
{
  return g_object_new (SOTTO_TYPE_CALL_PAGE, NULL);
}

void
sotto_call_page_set_title (SottoCallPage *self,
                           const char    *title)
{
  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  adw_window_title_set_subtitle (self->window_title, title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

SottoVideoTile *
sotto_call_page_add_tile (SottoCallPage *self,
                          const char    *participant_id,
                          const char    *name)
{
  GtkWidget *tile;

  g_return_val_if_fail (SOTTO_IS_CALL_PAGE (self), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  tile = g_hash_table_lookup (self->tiles, participant_id);
  if (tile != NULL)
    {
      sotto_video_tile_set_name (SOTTO_VIDEO_TILE (tile), name);
      return SOTTO_VIDEO_TILE (tile);
    }

  tile = sotto_video_tile_new (participant_id, name);
  g_hash_table_insert (self->tiles, g_strdup (participant_id), tile);
  sotto_tile_grid_append (self->grid, tile);
  update_empty (self);
  return SOTTO_VIDEO_TILE (tile);
}

gboolean
sotto_call_page_remove_tile (SottoCallPage *self,
                             const char    *participant_id)
{
  GtkWidget *tile;

  g_return_val_if_fail (SOTTO_IS_CALL_PAGE (self), FALSE);
  g_return_val_if_fail (participant_id != NULL, FALSE);

  tile = g_hash_table_lookup (self->tiles, participant_id);
  if (tile == NULL)
    return FALSE;
  g_hash_table_remove (self->tiles, participant_id);
  sotto_tile_grid_remove (self->grid, tile);
  update_empty (self);
  return TRUE;
}

SottoVideoTile *
sotto_call_page_get_tile (SottoCallPage *self,
                          const char    *participant_id)
{
  g_return_val_if_fail (SOTTO_IS_CALL_PAGE (self), NULL);

  if (participant_id == NULL)
    return self->self_tile;
  return g_hash_table_lookup (self->tiles, participant_id);
}

guint
sotto_call_page_get_n_tiles (SottoCallPage *self)
{
  g_return_val_if_fail (SOTTO_IS_CALL_PAGE (self), 0);
  return g_hash_table_size (self->tiles);
}

void
sotto_call_page_remove_all_tiles (SottoCallPage *self)
{
  GHashTableIter iter;
  gpointer tile;

  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, NULL, &tile))
    {
      sotto_tile_grid_remove (self->grid, tile);
      g_hash_table_iter_remove (&iter);
    }
  update_empty (self);
}

SottoVideoTile *
sotto_call_page_get_self_tile (SottoCallPage *self)
{
  g_return_val_if_fail (SOTTO_IS_CALL_PAGE (self), NULL);
  return self->self_tile;
}

void
sotto_call_page_push_frame (SottoCallPage *self,
                            const char    *participant_id,
                            int            width,
                            int            height,
                            gsize          stride,
                            GBytes        *rgba)
{
  SottoVideoTile *tile;

  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));

  tile = sotto_call_page_get_tile (self, participant_id);
  if (tile != NULL)
    sotto_video_tile_push_frame (tile, width, height, stride, rgba);
}

void
sotto_call_page_set_stats (SottoCallPage        *self,
                           const char           *participant_id,
                           const SottoTileStats *stats)
{
  SottoVideoTile *tile;

  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));

  tile = sotto_call_page_get_tile (self, participant_id);
  if (tile != NULL)
    sotto_video_tile_set_stats (tile, stats);
}

void
sotto_call_page_set_watching_count (SottoCallPage *self,
                                    guint          count)
{
  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));

  g_free (self->watching_text);
  self->watching_text = sotto_stream_item_format_watching (count);
  gtk_label_set_text (self->watching_label, self->watching_text);
  gtk_widget_set_visible (GTK_WIDGET (self->watching_label), TRUE);
  if (self->watching_count != count)
    {
      self->watching_count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING_COUNT]);
    }
}

const char *
sotto_call_page_get_watching_text (SottoCallPage *self)
{
  g_return_val_if_fail (SOTTO_IS_CALL_PAGE (self), NULL);
  return self->watching_text;
}

void
sotto_call_page_show_toast (SottoCallPage *self,
                            const char    *text)
{
  AdwToast *toast;

  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));
  g_return_if_fail (text != NULL);

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
sotto_call_page_show_error (SottoCallPage *self,
                            const GError  *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));
  g_return_if_fail (error != NULL);

  text = sotto_error_text_describe (error);
  sotto_call_page_show_toast (self, text);
}

void
sotto_call_page_set_reconnecting (SottoCallPage *self,
                                  gboolean       reconnecting)
{
  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));

  reconnecting = !!reconnecting;
  if (self->reconnecting == reconnecting)
    return;
  self->reconnecting = reconnecting;
  gtk_revealer_set_reveal_child (self->reconnecting_revealer, reconnecting);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECTING]);
}

void
sotto_call_page_set_is_moderator (SottoCallPage *self,
                                  gboolean       is_moderator)
{
  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));

  is_moderator = !!is_moderator;
  if (self->is_moderator == is_moderator)
    return;
  self->is_moderator = is_moderator;
  gtk_widget_set_visible (self->moderator_button, is_moderator);
  if (!is_moderator)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->moderator_button), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MODERATOR]);
}

SottoModeratorPanel *
sotto_call_page_get_moderator_panel (SottoCallPage *self)
{
  g_return_val_if_fail (SOTTO_IS_CALL_PAGE (self), NULL);
  return self->moderator_panel;
}

void
sotto_call_page_set_moderator_panel_open (SottoCallPage *self,
                                          gboolean       open)
{
  g_return_if_fail (SOTTO_IS_CALL_PAGE (self));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->moderator_button),
                                open && self->is_moderator);
}
