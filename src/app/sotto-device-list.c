/* sotto-device-list.c: cameras or microphones, as a model for a combo row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <gtk/gtk.h>

#include "sotto-device-list.h"

struct _SottoDeviceList
{
  GObject           parent_instance;

  SottoDeviceKind   kind;
  GtkStringList    *labels;        /* what the combo row shows */
  GPtrArray        *device_names;  /* same positions; [0] is "" */
  GPtrArray        *devices;       /* same positions; [0] is NULL */
  GstDeviceMonitor *monitor;
  GSource          *bus_source;
};

G_DEFINE_FINAL_TYPE (SottoDeviceList, sotto_device_list, G_TYPE_OBJECT)

/* Position 0 (the default) holds no device. */
static void
unref_device (gpointer device)
{
  if (device != NULL)
    gst_object_unref (device);
}

static gboolean
is_test_source (SottoDeviceKind kind)
{
  const char *value = g_getenv (kind == SOTTO_DEVICE_KIND_CAMERA ? "SOTTO_VIDEO_SOURCE"
                                                                 : "SOTTO_AUDIO_SOURCE");

  return g_strcmp0 (value, "test") == 0;
}

static void
add_device (SottoDeviceList *self,
            GstDevice       *device)
{
  g_autofree char *name = gst_device_get_display_name (device);

  if (name == NULL || sotto_device_list_find (self, name) != 0)
    return;
  g_ptr_array_add (self->device_names, g_strdup (name));
  g_ptr_array_add (self->devices, gst_object_ref (device));
  gtk_string_list_append (self->labels, name);
}

static void
remove_device (SottoDeviceList *self,
               GstDevice       *device)
{
  g_autofree char *name = gst_device_get_display_name (device);
  guint position = sotto_device_list_find (self, name);

  if (position == 0)
    return;
  g_ptr_array_remove_index (self->device_names, position);
  g_ptr_array_remove_index (self->devices, position);
  gtk_string_list_remove (self->labels, position);
}

/* The monitor posts to its bus from GStreamer's threads; the bus watch brings
 * each message to our main context, the only place the lists change. */
static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  SottoDeviceList *self = user_data;
  g_autoptr(GstDevice) device = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      gst_message_parse_device_added (message, &device);
      add_device (self, device);
      break;
    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      remove_device (self, device);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_monitor (SottoDeviceList *self)
{
  g_autoptr(GstBus) bus = NULL;
  GList *devices;

  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, NULL))
    return;

  self->monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (self->monitor,
                                 self->kind == SOTTO_DEVICE_KIND_CAMERA ? "Video/Source"
                                                                        : "Audio/Source",
                                 NULL);
  bus = gst_device_monitor_get_bus (self->monitor);
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus_message), self, NULL);
  g_source_attach (self->bus_source, g_main_context_get_thread_default ());

  if (!gst_device_monitor_start (self->monitor))
    {
      /* No provider for this class: only the default entry remains. */
      g_debug ("No %s device provider", self->kind == SOTTO_DEVICE_KIND_CAMERA ? "camera"
                                                                               : "microphone");
      return;
    }

  devices = gst_device_monitor_get_devices (self->monitor);
  for (GList *l = devices; l != NULL; l = l->next)
    add_device (self, l->data);
  g_list_free_full (devices, gst_object_unref);
}

static void
sotto_device_list_dispose (GObject *object)
{
  SottoDeviceList *self = SOTTO_DEVICE_LIST (object);

  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->monitor != NULL)
    {
      gst_device_monitor_stop (self->monitor);
      gst_clear_object (&self->monitor);
    }
  g_clear_object (&self->labels);

  G_OBJECT_CLASS (sotto_device_list_parent_class)->dispose (object);
}

static void
sotto_device_list_finalize (GObject *object)
{
  SottoDeviceList *self = SOTTO_DEVICE_LIST (object);

  g_ptr_array_unref (self->device_names);
  g_ptr_array_unref (self->devices);

  G_OBJECT_CLASS (sotto_device_list_parent_class)->finalize (object);
}

static void
sotto_device_list_class_init (SottoDeviceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_device_list_dispose;
  object_class->finalize = sotto_device_list_finalize;
}

static void
sotto_device_list_init (SottoDeviceList *self)
{
  self->labels = gtk_string_list_new (NULL);
  self->device_names = g_ptr_array_new_with_free_func (g_free);
  self->devices = g_ptr_array_new_with_free_func (unref_device);
}

SottoDeviceList *
sotto_device_list_new (SottoDeviceKind kind)
{
  SottoDeviceList *self = g_object_new (SOTTO_TYPE_DEVICE_LIST, NULL);
  gboolean test = is_test_source (kind);
  const char *label;

  self->kind = kind;
  if (kind == SOTTO_DEVICE_KIND_CAMERA)
    label = test ? _("Test pattern") : _("Default camera");
  else
    label = test ? _("Test tone") : _("Default microphone");
  g_ptr_array_add (self->device_names, g_strdup (""));
  g_ptr_array_add (self->devices, NULL);
  gtk_string_list_append (self->labels, label);

  if (!test)
    start_monitor (self);
  return self;
}

GListModel *
sotto_device_list_get_model (SottoDeviceList *self)
{
  g_return_val_if_fail (SOTTO_IS_DEVICE_LIST (self), NULL);
  return G_LIST_MODEL (self->labels);
}

const char *
sotto_device_list_get_device_name (SottoDeviceList *self,
                                   guint            position)
{
  g_return_val_if_fail (SOTTO_IS_DEVICE_LIST (self), "");

  if (position >= self->device_names->len)
    return "";
  return g_ptr_array_index (self->device_names, position);
}

gpointer
sotto_device_list_get_device (SottoDeviceList *self,
                              guint            position)
{
  g_return_val_if_fail (SOTTO_IS_DEVICE_LIST (self), NULL);

  if (position >= self->devices->len)
    return NULL;
  return g_ptr_array_index (self->devices, position);
}

guint
sotto_device_list_find (SottoDeviceList *self,
                        const char      *device_name)
{
  g_return_val_if_fail (SOTTO_IS_DEVICE_LIST (self), 0);

  if (device_name == NULL || *device_name == '\0')
    return 0;
  for (guint i = 1; i < self->device_names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->device_names, i), device_name))
      return i;
  return 0;
}
