/* test-device-list.c: cameras and microphones for the join page's combo rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include <gtk/gtk.h>

#include "sotto-device-list.h"

static void
test_test_sources (void)
{
  g_autoptr(SottoDeviceList) cameras = NULL;
  g_autoptr(SottoDeviceList) microphones = NULL;
  g_autoptr(GtkStringObject) label = NULL;

  g_setenv ("SOTTO_VIDEO_SOURCE", "test", TRUE);
  g_setenv ("SOTTO_AUDIO_SOURCE", "test", TRUE);
  cameras = sotto_device_list_new (SOTTO_DEVICE_KIND_CAMERA);
  microphones = sotto_device_list_new (SOTTO_DEVICE_KIND_MICROPHONE);

  /* With test sources nothing is probed: the only entry is the test source. */
  g_assert_cmpuint (g_list_model_get_n_items (sotto_device_list_get_model (cameras)), ==, 1);
  label = g_list_model_get_item (sotto_device_list_get_model (cameras), 0);
  g_assert_cmpstr (gtk_string_object_get_string (label), ==, "Test pattern");
  g_assert_cmpuint (g_list_model_get_n_items (sotto_device_list_get_model (microphones)), ==, 1);

  g_assert_cmpstr (sotto_device_list_get_device_name (cameras, 0), ==, "");
  g_assert_cmpstr (sotto_device_list_get_device_name (cameras, 7), ==, "");
  /* A remembered device that is not plugged in falls back to the default. */
  g_assert_cmpuint (sotto_device_list_find (cameras, "USB Camera"), ==, 0);
  g_assert_cmpuint (sotto_device_list_find (cameras, ""), ==, 0);
  g_assert_cmpuint (sotto_device_list_find (cameras, NULL), ==, 0);
}

static void
test_real_devices (void)
{
  g_autoptr(SottoDeviceList) cameras = NULL;
  g_autoptr(GtkStringObject) label = NULL;
  GListModel *model;
  guint n;

  g_unsetenv ("SOTTO_VIDEO_SOURCE");
  cameras = sotto_device_list_new (SOTTO_DEVICE_KIND_CAMERA);
  model = sotto_device_list_get_model (cameras);

  /* Whatever this machine has, the default comes first and every other
   * entry maps back to its own device name. */
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >=, 1);
  label = g_list_model_get_item (model, 0);
  g_assert_cmpstr (gtk_string_object_get_string (label), ==, "Default camera");
  for (guint i = 1; i < n; i++)
    {
      const char *name = sotto_device_list_get_device_name (cameras, i);

      g_assert_cmpstr (name, !=, "");
      g_assert_cmpuint (sotto_device_list_find (cameras, name), ==, i);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/app/device-list/test-sources", test_test_sources);
  g_test_add_func ("/sotto/app/device-list/real-devices", test_real_devices);

  return g_test_run ();
}
