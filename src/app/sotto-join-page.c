/* sotto-join-page.c: paste a token, see what it is for, pick devices, join
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sotto-camera-preview.h"
#include "sotto-device-list.h"
#include "sotto-error-text.h"
#include "sotto-join-page.h"

/* The expiry text counts minutes; refreshing twice a minute keeps it honest. */
#define REFRESH_SECONDS 30

enum {
  PROP_0,
  PROP_PREVIEW,
  PROP_CAN_JOIN,
  N_PROPS
};

enum {
  SIGNAL_JOIN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

struct _SottoJoinPage
{
  GtkWidget          parent_instance;

  /* template */
  GtkWidget         *toplevel_box;
  AdwEntryRow       *token_row;
  AdwActionRow      *clipboard_row;
  GtkWidget         *error_box;
  GtkLabel          *error_label;
  AdwPreferencesGroup *details_group;
  AdwActionRow      *server_row;
  AdwActionRow      *role_row;
  AdwActionRow      *name_row;
  AdwActionRow      *expiry_row;
  AdwComboRow       *camera_row;
  AdwComboRow       *microphone_row;
  GtkSwitch         *camera_switch;
  SottoVideoTile    *preview_tile;
  GtkButton         *join_button;

  SottoDeviceList   *cameras;
  SottoDeviceList   *microphones;
  SottoCameraPreview *preview_camera;
  GSettings         *settings;

  char              *token;
  SottoTokenPreview *preview;
  char              *error_text;
  char              *clipboard_token;
  GCancellable      *cancellable;
  guint              refresh_id;
};

G_DEFINE_FINAL_TYPE (SottoJoinPage, sotto_join_page, GTK_TYPE_WIDGET)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
set_error_text (SottoJoinPage *self,
                const char    *text)
{
  g_free (self->error_text);
  self->error_text = g_strdup (text);
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (self->error_box, text != NULL);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->token_row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->token_row),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
update_state (SottoJoinPage *self)
{
  gboolean can_join = FALSE;

  if (self->preview != NULL)
    {
      g_autoptr(GError) error = NULL;
      const char *name = sotto_token_preview_get_name (self->preview);
      g_autofree char *role = g_strdup_printf ("%s — %s",
                                               sotto_token_preview_get_role_label (self->preview),
                                               sotto_token_preview_get_role_description (self->preview));

      adw_action_row_set_subtitle (self->server_row, sotto_token_preview_get_host (self->preview));
      adw_action_row_set_subtitle (self->role_row, role);
      adw_action_row_set_subtitle (self->name_row, name != NULL ? name : _("No name given"));
      sotto_video_tile_set_name (self->preview_tile, name != NULL ? name : _("You"));
      adw_action_row_set_subtitle (self->expiry_row,
                                   sotto_token_preview_get_expiry_text (self->preview));
      gtk_widget_set_visible (GTK_WIDGET (self->details_group), TRUE);

      if (sotto_token_preview_check (self->preview, &error))
        {
          set_error_text (self, NULL);
          can_join = TRUE;
        }
      else
        {
          g_autofree char *text = sotto_error_text_describe (error);
          set_error_text (self, text);
        }
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->details_group), FALSE);

  if (can_join != gtk_widget_get_sensitive (GTK_WIDGET (self->join_button)))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->join_button), can_join);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_JOIN]);
    }
}

static gboolean
on_refresh (gpointer user_data)
{
  SottoJoinPage *self = user_data;

  if (self->preview != NULL)
    sotto_token_preview_set_now (self->preview, now_seconds ());
  update_state (self);
  return G_SOURCE_CONTINUE;
}

static void
update_clipboard_offer (SottoJoinPage *self)
{
  gboolean offer = self->clipboard_token != NULL &&
                   g_strcmp0 (self->clipboard_token, self->token) != 0;

  gtk_widget_set_visible (GTK_WIDGET (self->clipboard_row), offer);
}

static void
decode_text (SottoJoinPage *self,
             const char    *text)
{
  g_autofree char *token_text = sotto_join_page_extract_token (text);
  g_autoptr(SottoToken) token = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->token, g_free);
  g_clear_object (&self->preview);

  if (token_text == NULL)
    set_error_text (self, NULL);
  else if ((token = sotto_token_decode (token_text, &error)) == NULL)
    {
      g_autofree char *words = sotto_error_text_describe (error);
      set_error_text (self, words);
    }
  else
    {
      self->token = g_steal_pointer (&token_text);
      self->preview = sotto_token_preview_new (token, now_seconds ());
    }

  update_state (self);
  update_clipboard_offer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
}

static void
on_token_changed (GtkEditable   *editable,
                  SottoJoinPage *self)
{
  decode_text (self, gtk_editable_get_text (editable));
}

static void
on_join_clicked (SottoJoinPage *self)
{
  if (sotto_join_page_get_can_join (self))
    g_signal_emit (self, signals[SIGNAL_JOIN], 0);
}

static void
on_use_clipboard_clicked (SottoJoinPage *self)
{
  if (self->clipboard_token != NULL)
    sotto_join_page_set_token_text (self, self->clipboard_token);
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SottoJoinPage) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  g_autofree char *token_text = NULL;
  g_autoptr(SottoToken) token = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* Only something that decodes is offered: a clipboard holding anything
   * else is none of our business. */
  token_text = sotto_join_page_extract_token (text);
  if (token_text != NULL)
    token = sotto_token_decode (token_text, NULL);

  g_clear_pointer (&self->clipboard_token, g_free);
  if (token != NULL)
    {
      g_autofree char *host = sotto_token_dup_server_host (token);
      g_autofree char *subtitle = g_strdup_printf (_("For a call on %s"), host);

      self->clipboard_token = g_steal_pointer (&token_text);
      adw_action_row_set_subtitle (self->clipboard_row, subtitle);
    }
  update_clipboard_offer (self);
}

static void
check_clipboard (SottoJoinPage *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  /* Nothing textual (or nothing at all) on the clipboard: no read, which
   * would otherwise wait on the display server for nothing. */
  if (!gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) &&
      !gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8") &&
      !gdk_content_formats_contain_mime_type (formats, "text/plain"))
    {
      g_clear_pointer (&self->clipboard_token, g_free);
      update_clipboard_offer (self);
      return;
    }

  gdk_clipboard_read_text_async (clipboard, self->cancellable, on_clipboard_text,
                                 g_object_ref (self));
}

static void
on_clipboard_changed (GdkClipboard  *clipboard,
                      SottoJoinPage *self)
{
  /* Someone just copied something: offer it if it is a token. */
  check_clipboard (self);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SottoJoinPage *self)
{
  if (!G_VALUE_HOLDS_STRING (value) || g_value_get_string (value) == NULL)
    return FALSE;
  sotto_join_page_set_token_text (self, g_value_get_string (value));
  return TRUE;
}

/* The preview runs only while the page is on screen with the camera on, so
 * that the camera is free again by the time the call opens it. */
static void
update_preview (SottoJoinPage *self)
{
  gpointer device;
  g_autoptr(GError) error = NULL;

  /* Template set-up and disposal notify before and after the preview exists. */
  if (self->preview_camera == NULL || self->camera_row == NULL)
    return;
  device = sotto_device_list_get_device (self->cameras,
                                         adw_combo_row_get_selected (self->camera_row));
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      !gtk_switch_get_active (self->camera_switch))
    {
      sotto_camera_preview_stop (self->preview_camera);
      sotto_video_tile_set_camera_off (self->preview_tile, TRUE);
      return;
    }

  /* "Default camera" previews the first one found. */
  if (device == NULL)
    device = sotto_device_list_get_device (self->cameras, 1);
  if (!sotto_camera_preview_start (self->preview_camera, device, &error))
    g_debug ("No camera preview: %s", error->message);
}

static void
on_camera_switch_active (SottoJoinPage *self)
{
  update_preview (self);
}

static void
sync_device_row (SottoJoinPage   *self,
                 AdwComboRow     *row,
                 SottoDeviceList *list,
                 const char      *key)
{
  g_autofree char *remembered = NULL;

  if (self->settings == NULL)
    return;
  remembered = g_settings_get_string (self->settings, key);
  adw_combo_row_set_selected (row, sotto_device_list_find (list, remembered));
}

static void
on_devices_changed (GListModel    *model,
                    guint          position,
                    guint          removed,
                    guint          added,
                    SottoJoinPage *self)
{
  /* A remembered camera plugged in after the page opened is selected again. */
  sync_device_row (self, self->camera_row, self->cameras, "video-device");
  sync_device_row (self, self->microphone_row, self->microphones, "audio-device");
}

static void
on_device_selected (AdwComboRow   *row,
                    GParamSpec    *pspec,
                    SottoJoinPage *self)
{
  gboolean camera = row == self->camera_row;
  SottoDeviceList *list = camera ? self->cameras : self->microphones;
  const char *name = sotto_device_list_get_device_name (list, adw_combo_row_get_selected (row));

  if (self->settings != NULL)
    g_settings_set_string (self->settings, camera ? "video-device" : "audio-device", name);
  if (camera)
    update_preview (self);
}

static void
sotto_join_page_map (GtkWidget *widget)
{
  SottoJoinPage *self = SOTTO_JOIN_PAGE (widget);

  GTK_WIDGET_CLASS (sotto_join_page_parent_class)->map (widget);

  g_signal_connect_object (gtk_widget_get_clipboard (widget), "changed",
                           G_CALLBACK (on_clipboard_changed), self, 0);
  check_clipboard (self);
  update_preview (self);
}

static void
sotto_join_page_unmap (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_clipboard (widget),
                                        on_clipboard_changed, widget);
  if (SOTTO_JOIN_PAGE (widget)->preview_camera != NULL)
    sotto_camera_preview_stop (SOTTO_JOIN_PAGE (widget)->preview_camera);

  GTK_WIDGET_CLASS (sotto_join_page_parent_class)->unmap (widget);
}

static void
sotto_join_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SottoJoinPage *self = SOTTO_JOIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_PREVIEW:
      g_value_set_object (value, self->preview);
      break;
    case PROP_CAN_JOIN:
      g_value_set_boolean (value, sotto_join_page_get_can_join (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_join_page_dispose (GObject *object)
{
  SottoJoinPage *self = SOTTO_JOIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  /* Before the template (and its preview tile) goes away. */
  g_clear_object (&self->preview_camera);
  if (self->cameras != NULL)
    g_signal_handlers_disconnect_by_func (sotto_device_list_get_model (self->cameras),
                                          on_devices_changed, self);
  if (self->microphones != NULL)
    g_signal_handlers_disconnect_by_func (sotto_device_list_get_model (self->microphones),
                                          on_devices_changed, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOTTO_TYPE_JOIN_PAGE);
  g_clear_object (&self->cameras);
  g_clear_object (&self->microphones);
  g_clear_object (&self->settings);
  g_clear_object (&self->preview);

  G_OBJECT_CLASS (sotto_join_page_parent_class)->dispose (object);
}

static void
sotto_join_page_finalize (GObject *object)
{
  SottoJoinPage *self = SOTTO_JOIN_PAGE (object);

  g_free (self->token);
  g_free (self->error_text);
  g_free (self->clipboard_token);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sotto_join_page_parent_class)->finalize (object);
}

static void
sotto_join_page_class_init (SottoJoinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sotto_join_page_get_property;
  object_class->dispose = sotto_join_page_dispose;
  object_class->finalize = sotto_join_page_finalize;
  widget_class->map = sotto_join_page_map;
  widget_class->unmap = sotto_join_page_unmap;

  properties[PROP_PREVIEW] =
    g_param_spec_object ("preview", NULL, NULL, SOTTO_TYPE_TOKEN_PREVIEW,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_JOIN] =
    g_param_spec_boolean ("can-join", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_JOIN] = g_signal_new ("join", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sotto/Sotto/sotto-join-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, toplevel_box);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, clipboard_row);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, error_box);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, role_row);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, camera_row);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, microphone_row);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, camera_switch);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, preview_tile);
  gtk_widget_class_bind_template_child (widget_class, SottoJoinPage, join_button);
  gtk_widget_class_bind_template_callback (widget_class, on_token_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_join_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_use_clipboard_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_device_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_camera_switch_active);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sotto_join_page_init (SottoJoinPage *self)
{
  GtkDropTarget *drop;

  g_type_ensure (SOTTO_TYPE_VIDEO_TILE);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->preview_camera = sotto_camera_preview_new (self->preview_tile);
  sotto_video_tile_set_name (self->preview_tile, _("You"));
  self->cancellable = g_cancellable_new ();

  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  self->cameras = sotto_device_list_new (SOTTO_DEVICE_KIND_CAMERA);
  self->microphones = sotto_device_list_new (SOTTO_DEVICE_KIND_MICROPHONE);
  adw_combo_row_set_model (self->camera_row, sotto_device_list_get_model (self->cameras));
  adw_combo_row_set_model (self->microphone_row,
                           sotto_device_list_get_model (self->microphones));
  g_signal_connect (sotto_device_list_get_model (self->cameras), "items-changed",
                    G_CALLBACK (on_devices_changed), self);
  g_signal_connect (sotto_device_list_get_model (self->microphones), "items-changed",
                    G_CALLBACK (on_devices_changed), self);

  self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh, self);
}

GtkWidget *
sotto_join_page_new (void)
{
  return g_object_new (SOTTO_TYPE_JOIN_PAGE, NULL);
}

void
sotto_join_page_set_settings (SottoJoinPage *self,
                              GSettings     *settings)
{
  g_return_if_fail (SOTTO_IS_JOIN_PAGE (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (!g_set_object (&self->settings, settings))
    return;
  sync_device_row (self, self->camera_row, self->cameras, "video-device");
  sync_device_row (self, self->microphone_row, self->microphones, "audio-device");
}

void
sotto_join_page_set_token_text (SottoJoinPage *self,
                                const char    *text)
{
  g_return_if_fail (SOTTO_IS_JOIN_PAGE (self));

  /* The entry's "changed" handler decodes it. */
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), text != NULL ? text : "");
}

SottoTokenPreview *
sotto_join_page_get_preview (SottoJoinPage *self)
{
  g_return_val_if_fail (SOTTO_IS_JOIN_PAGE (self), NULL);
  return self->preview;
}

const char *
sotto_join_page_get_token (SottoJoinPage *self)
{
  g_return_val_if_fail (SOTTO_IS_JOIN_PAGE (self), NULL);
  return self->token;
}

const char *
sotto_join_page_get_error_text (SottoJoinPage *self)
{
  g_return_val_if_fail (SOTTO_IS_JOIN_PAGE (self), NULL);
  return self->error_text;
}

gboolean
sotto_join_page_get_can_join (SottoJoinPage *self)
{
  g_return_val_if_fail (SOTTO_IS_JOIN_PAGE (self), FALSE);
  return gtk_widget_get_sensitive (GTK_WIDGET (self->join_button));
}

const char *
sotto_join_page_get_video_device (SottoJoinPage *self)
{
  g_return_val_if_fail (SOTTO_IS_JOIN_PAGE (self), "");
  return sotto_device_list_get_device_name (self->cameras,
                                            adw_combo_row_get_selected (self->camera_row));
}

const char *
sotto_join_page_get_audio_device (SottoJoinPage *self)
{
  g_return_val_if_fail (SOTTO_IS_JOIN_PAGE (self), "");
  return sotto_device_list_get_device_name (self->microphones,
                                            adw_combo_row_get_selected (self->microphone_row));
}

char *
sotto_join_page_extract_token (const char *text)
{
  g_autofree char *trimmed = NULL;
  const char *token;

  if (text == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (text));

  token = trimmed;
  if (g_ascii_strncasecmp (trimmed, "sotto:", 6) == 0)
    {
      const char *query = strchr (trimmed, '?');

      token = trimmed + 6;
      if (query != NULL)
        {
          g_autoptr(GHashTable) params = g_uri_parse_params (query + 1, -1, "&",
                                                             G_URI_PARAMS_NONE, NULL);
          const char *value = params != NULL ? g_hash_table_lookup (params, "token") : NULL;

          return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
        }
      while (*token == '/')
        token++;
    }
  return *token != '\0' ? g_strdup (token) : NULL;
}
