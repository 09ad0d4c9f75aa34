/* sotto-window.c: the main window: join page, then call page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>

#include "sotto-window.h"

#include <unistd.h>

#include "sotto-call-controller.h"
#include "sotto-camera-access.h"

struct _SottoWindow
{
  AdwApplicationWindow parent_instance;

  /* template */
  GtkStack      *stack;
  SottoJoinPage *join_page;
  SottoCallPage *call_page;

  GSettings     *settings;  /* NULL when the schema is not installed */
  SottoCallController *controller;  /* the call in progress, if any */
  GCancellable  *camera_request;    /* asking the camera portal before joining */
  char          *video_device;      /* the join page's choices, for the call's media */
  char          *audio_device;
  int            camera_fd;         /* the portal's PipeWire remote, -1 for none */
};

G_DEFINE_FINAL_TYPE (SottoWindow, sotto_window, ADW_TYPE_APPLICATION_WINDOW)

/* An uninstalled build or a test may run without the compiled schema; the app
 * then works and simply forgets its choices. */
static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s is not installed; settings are not remembered", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
on_call_ended (SottoCallController *controller, const GError *error, SottoWindow *self)
{
  /* The page stays, with its tiles gone, so the person can read why the
   * call ended; Leave takes them back to the join page. */
  sotto_call_page_remove_all_tiles (self->call_page);
  sotto_call_page_set_reconnecting (self->call_page, FALSE);
  if (error != NULL)
    sotto_call_page_show_error (self->call_page, error);
  else
    sotto_window_show_join (self);
}

static void
start_call (SottoWindow *self, int camera_fd)
{
  SottoTokenPreview *preview = sotto_join_page_get_preview (self->join_page);
  SottoMediaConfig media;

  if (self->camera_fd >= 0)
    close (self->camera_fd);
  self->camera_fd = camera_fd;

  sotto_media_config_init (&media);
  /* A bad environment variable surfaces when publishing starts. */
  sotto_media_config_load_env (&media, NULL);
  media.video_device = self->video_device;
  media.audio_device = self->audio_device;
  media.camera_fd = self->camera_fd;

  self->controller = sotto_call_controller_new (self->call_page,
                                                sotto_join_page_get_token (self->join_page),
                                                preview ? sotto_token_preview_get_name (preview) : NULL,
                                                sotto_window_get_camera_enabled (self) ||
                                                sotto_window_get_microphone_enabled (self),
                                                &media);
  g_signal_connect (self->controller, "ended", G_CALLBACK (on_call_ended), self);
}

static void
on_camera_access (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  SottoWindow *self;
  int fd = -1;

  if (!sotto_camera_access_request_finish (result, &fd, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = SOTTO_WINDOW (user_data);
  g_clear_object (&self->camera_request);
  if (error != NULL)
    {
      /* Join all the same, with the microphone or just listening. */
      g_object_set (self->call_page, "camera-enabled", FALSE, NULL);
      sotto_call_page_show_toast (self->call_page,
                                  _("The camera is not available, so you joined without it"));
    }
  start_call (self, fd);
}

static void
on_join (SottoWindow *self)
{
  SottoTokenPreview *preview = sotto_join_page_get_preview (self->join_page);
  const char *name;

  if (preview == NULL)
    return;

  name = sotto_token_preview_get_name (preview);
  sotto_call_page_remove_all_tiles (self->call_page);
  sotto_call_page_set_title (self->call_page, sotto_token_preview_get_host (preview));
  sotto_call_page_set_is_moderator (self->call_page,
                                    sotto_token_get_role (sotto_token_preview_get_token (preview))
                                    == SOTTO_ROLE_MODERATOR);
  sotto_video_tile_set_name (sotto_call_page_get_self_tile (self->call_page),
                             name != NULL ? name : _("You"));

  if (self->controller != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->controller, self);
      g_clear_object (&self->controller);
    }
  g_free (self->video_device);
  self->video_device = g_strdup (sotto_join_page_get_video_device (self->join_page));
  g_free (self->audio_device);
  self->audio_device = g_strdup (sotto_join_page_get_audio_device (self->join_page));
  sotto_window_show_call (self);

  /* In a Flatpak the camera is only reachable through the portal, which asks
   * the person first; a "no" still lets them join, without the camera. */
  g_cancellable_cancel (self->camera_request);
  g_clear_object (&self->camera_request);
  if (sotto_window_get_camera_enabled (self) && sotto_camera_access_is_sandboxed ())
    {
      self->camera_request = g_cancellable_new ();
      sotto_camera_access_request_async (GTK_WINDOW (self), self->camera_request,
                                         on_camera_access, self);
      return;
    }
  start_call (self, -1);
}

static void
on_leave (SottoWindow *self)
{
  g_cancellable_cancel (self->camera_request);
  g_clear_object (&self->camera_request);
  if (self->controller != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->controller, self);
      sotto_call_controller_leave (self->controller);
      g_clear_object (&self->controller);
    }
  sotto_call_page_remove_all_tiles (self->call_page);
  sotto_window_show_join (self);
}

static gboolean
sotto_window_close_request (GtkWindow *window)
{
  SottoWindow *self = SOTTO_WINDOW (window);

  if (self->settings != NULL)
    {
      int width;
      int height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (sotto_window_parent_class)->close_request (window);
}

static void
sotto_window_dispose (GObject *object)
{
  SottoWindow *self = SOTTO_WINDOW (object);

  g_cancellable_cancel (self->camera_request);
  g_clear_object (&self->camera_request);
  if (self->controller != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->controller, self);
      g_clear_object (&self->controller);
    }
  if (self->camera_fd >= 0)
    {
      close (self->camera_fd);
      self->camera_fd = -1;
    }
  g_clear_pointer (&self->video_device, g_free);
  g_clear_pointer (&self->audio_device, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOTTO_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sotto_window_parent_class)->dispose (object);
}

static void
sotto_window_class_init (SottoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sotto_window_dispose;
  window_class->close_request = sotto_window_close_request;

  g_type_ensure (SOTTO_TYPE_JOIN_PAGE);
  g_type_ensure (SOTTO_TYPE_CALL_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sotto/Sotto/sotto-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SottoWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SottoWindow, join_page);
  gtk_widget_class_bind_template_child (widget_class, SottoWindow, call_page);
  gtk_widget_class_bind_template_callback (widget_class, on_join);
  gtk_widget_class_bind_template_callback (widget_class, on_leave);
}

static void
sotto_window_init (SottoWindow *self)
{
  g_autoptr(GPropertyAction) microphone = NULL;
  g_autoptr(GPropertyAction) camera = NULL;

  self->camera_fd = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Stateful actions over the call page's properties: the join page's
   * switches, the call controls and Ctrl+D / Ctrl+E all act on one state. */
  microphone = g_property_action_new ("microphone", self->call_page, "microphone-enabled");
  camera = g_property_action_new ("camera", self->call_page, "camera-enabled");
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (microphone));
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (camera));

  self->settings = settings_new_if_installed ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_settings_bind (self->settings, "microphone-enabled", self->call_page,
                       "microphone-enabled", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "camera-enabled", self->call_page, "camera-enabled",
                       G_SETTINGS_BIND_DEFAULT);
    }
  sotto_join_page_set_settings (self->join_page, self->settings);
}

SottoWindow *
sotto_window_new (GtkApplication *application)
{
  return g_object_new (SOTTO_TYPE_WINDOW, "application", application, NULL);
}

SottoJoinPage *
sotto_window_get_join_page (SottoWindow *self)
{
  g_return_val_if_fail (SOTTO_IS_WINDOW (self), NULL);
  return self->join_page;
}

SottoCallPage *
sotto_window_get_call_page (SottoWindow *self)
{
  g_return_val_if_fail (SOTTO_IS_WINDOW (self), NULL);
  return self->call_page;
}

void
sotto_window_set_token_text (SottoWindow *self,
                             const char  *text)
{
  g_return_if_fail (SOTTO_IS_WINDOW (self));

  sotto_join_page_set_token_text (self->join_page, text);
  /* A link opened during a call does not end it; it waits on the join page. */
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "call"))
    sotto_window_show_join (self);
}

void
sotto_window_join (SottoWindow *self)
{
  g_return_if_fail (SOTTO_IS_WINDOW (self));

  if (sotto_join_page_get_can_join (self->join_page))
    on_join (self);
}

void
sotto_window_show_call (SottoWindow *self)
{
  g_return_if_fail (SOTTO_IS_WINDOW (self));
  gtk_stack_set_visible_child_name (self->stack, "call");
}

void
sotto_window_show_join (SottoWindow *self)
{
  g_return_if_fail (SOTTO_IS_WINDOW (self));
  gtk_stack_set_visible_child_name (self->stack, "join");
}

gboolean
sotto_window_get_microphone_enabled (SottoWindow *self)
{
  gboolean enabled;

  g_return_val_if_fail (SOTTO_IS_WINDOW (self), FALSE);
  g_object_get (self->call_page, "microphone-enabled", &enabled, NULL);
  return enabled;
}

gboolean
sotto_window_get_camera_enabled (SottoWindow *self)
{
  gboolean enabled;

  g_return_val_if_fail (SOTTO_IS_WINDOW (self), FALSE);
  g_object_get (self->call_page, "camera-enabled", &enabled, NULL);
  return enabled;
}
