/* sotto-media-source.c: finding capture devices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-config.h"

#include <glib/gi18n-lib.h>

#include "sotto-media-private.h"

/* The first camera GStreamer sees, preferring PipeWire (which also arbitrates
 * access in a Flatpak) over V4L2. */
GstElement *
sotto_media_make_camera (GError **error)
{
  g_autoptr (GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GList *devices, *l;
  GstElement *chosen = NULL;

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
