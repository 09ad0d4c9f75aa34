/* sotto-device-list.h: cameras or microphones, as a model for a combo row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  SOTTO_DEVICE_KIND_CAMERA,
  SOTTO_DEVICE_KIND_MICROPHONE,
} SottoDeviceKind;

#define SOTTO_TYPE_DEVICE_LIST (sotto_device_list_get_type ())
G_DECLARE_FINAL_TYPE (SottoDeviceList, sotto_device_list, SOTTO, DEVICE_LIST, GObject)

/* Watches GstDeviceMonitor (Video/Source or Audio/Source) on the thread-default
 * main context. Position 0 is always the system default (device name ""); with
 * SOTTO_VIDEO_SOURCE / SOTTO_AUDIO_SOURCE=test it is the test source and no
 * device is probed. */
SottoDeviceList *sotto_device_list_new              (SottoDeviceKind  kind);
/* A GtkStringList of display labels, live as devices come and go. */
GListModel      *sotto_device_list_get_model        (SottoDeviceList *self);
/* The device name to remember for a position ("" for the default). */
const char      *sotto_device_list_get_device_name  (SottoDeviceList *self,
                                                     guint            position);
/* The GstDevice at a position (transfer none); NULL for the default and the
 * test source. Needs <gst/gst.h> to use. */
gpointer         sotto_device_list_get_device       (SottoDeviceList *self,
                                                     guint            position);
/* The position of a remembered device name, 0 (default) if it is absent. */
guint            sotto_device_list_find             (SottoDeviceList *self,
                                                     const char      *device_name);

G_END_DECLS
