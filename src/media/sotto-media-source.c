/* sotto-media-source.c: finding capture devices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <unistd.h>

#include "sotto-media-private.h"

/* The device of `klass` whose display name is `name`, as an element; NULL if
 * there is none. */
static GstElement *
make_named_device (const char *klass,
                   const char *name)
{
  g_autoptr (GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GstElement *chosen = NULL;
  GList *devices;

  gst_device_monitor_add_filter (monitor, klass, NULL);
  devices = gst_device_monitor_get_devices (monitor);
  for (GList *l = devices; l != NULL && chosen == NULL; l = l->next)
    {
      g_autofree char *display = gst_device_get_display_name (l->data);

      if (g_strcmp0 (display, name) == 0)
        chosen = gst_device_create_element (l->data, NULL);
    }
  g_list_free_full (devices, gst_object_unref);
  return chosen;
}

/* Inside a Flatpak the camera is reached only through the portal's PipeWire
 * remote; anywhere else the person's choice, else the first camera GStreamer
 * sees, preferring PipeWire (which arbitrates access) over V4L2. */
GstElement *
sotto_media_make_camera (const SottoMediaConfig *config,
                         GError                **error)
{
  g_autoptr (GstDeviceMonitor) monitor = NULL;
  GList *devices, *l;
  GstElement *chosen = NULL;

  if (config->camera_fd >= 0)
    {
      GstElement *src = sotto_media_make_element ("pipewiresrc", NULL, error);
      int fd;

      if (src == NULL)
        return NULL;
      fd = dup (config->camera_fd);
      if (fd < 0)
        {
          gst_object_unref (gst_object_ref_sink (src));
          g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_NO_DEVICE,
                       _("The camera could not be opened: %s"), g_strerror (errno));
          return NULL;
        }
      g_object_set (src, "fd", fd, NULL);
      return src;
    }

  if (config->video_device != NULL && *config->video_device != '\0' &&
      (chosen = make_named_device ("Video/Source", config->video_device)) != NULL)
    return chosen;

  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  devices = gst_device_monitor_get_devices (monitor);
  for (l = devices; l != NULL && chosen == NULL; l = l->next)
    {
      GstElement *element = gst_device_create_element (l->data, NULL);
      GstElementFactory *factory = element ? gst_element_get_factory (element) : NULL;

      if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "pipewiresrc"))
        chosen = element;
      else if (element != NULL)
        gst_object_unref (element);
    }
  if (chosen == NULL && devices != NULL)
    chosen = gst_device_create_element (devices->data, NULL);
  g_list_free_full (devices, gst_object_unref);
  if (chosen != NULL)
    return chosen;

  /* No camera: say whether the plugin or the device is what's missing. */
  {
    g_autoptr (GstElement) probe = sotto_media_make_element ("v4l2src", NULL, error);

    if (probe != NULL)
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_NO_DEVICE,
                   _("No camera was found: connect one, or use the test source"));
  }
  return NULL;
}

GstElement *
sotto_media_make_microphone (const SottoMediaConfig *config,
                             GError                **error)
{
  GstElement *chosen = NULL;

  if (config->audio_device != NULL && *config->audio_device != '\0' &&
      (chosen = make_named_device ("Audio/Source", config->audio_device)) != NULL)
    return chosen;
  return sotto_media_make_element ("pulsesrc", NULL, error);
}
