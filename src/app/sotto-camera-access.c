/* sotto-camera-access.c: asking for the camera inside a Flatpak
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Flatpak gets no device access (no --device=all): its only way to a
 * camera is the portal, which asks the person and hands back a PipeWire
 * remote that can see nothing but cameras.
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "sotto-camera-access.h"

#ifdef SOTTO_HAVE_LIBPORTAL
#include <libportal-gtk4/portal-gtk4.h>
#include <libportal/portal.h>
#endif

G_DEFINE_QUARK (sotto-camera-access-error-quark, sotto_camera_access_error)

gboolean
sotto_camera_access_is_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

#ifdef SOTTO_HAVE_LIBPORTAL
static void
on_access_camera (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  XdpPortal *portal = XDP_PORTAL (source);
  g_autoptr (GError) error = NULL;
  int fd;

  if (!xdp_portal_access_camera_finish (portal, result, &error))
    {
      g_task_return_new_error (task, SOTTO_CAMERA_ACCESS_ERROR, SOTTO_CAMERA_ACCESS_ERROR_DENIED,
                               _("Camera access was not allowed: %s"), error->message);
      return;
    }
  fd = xdp_portal_open_pipewire_remote_for_camera (portal);
  if (fd < 0)
    {
      g_task_return_new_error (task, SOTTO_CAMERA_ACCESS_ERROR, SOTTO_CAMERA_ACCESS_ERROR_NO_CAMERA,
                               _("The camera could not be opened"));
      return;
    }
  g_task_return_int (task, fd);
}
#endif

void
sotto_camera_access_request_async (GtkWindow          *parent,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sotto_camera_access_request_async);
  if (!sotto_camera_access_is_sandboxed ())
    {
      g_task_return_int (task, -1);
      return;
    }
#ifdef SOTTO_HAVE_LIBPORTAL
  {
    g_autoptr (XdpPortal) portal = xdp_portal_new ();
    XdpParent *xdp_parent;

    if (!xdp_portal_is_camera_present (portal))
      {
        g_task_return_new_error (task, SOTTO_CAMERA_ACCESS_ERROR, SOTTO_CAMERA_ACCESS_ERROR_NO_CAMERA,
                                 _("No camera was found"));
        return;
      }
    xdp_parent = parent ? xdp_parent_new_gtk (parent) : NULL;
    /* The task keeps the portal alive until the answer arrives. */
    g_task_set_task_data (task, g_object_ref (portal), g_object_unref);
    xdp_portal_access_camera (portal, xdp_parent, XDP_CAMERA_FLAG_NONE, cancellable,
                              on_access_camera, g_steal_pointer (&task));
    if (xdp_parent)
      xdp_parent_free (xdp_parent);
  }
#else
  g_task_return_new_error (task, SOTTO_CAMERA_ACCESS_ERROR, SOTTO_CAMERA_ACCESS_ERROR_UNAVAILABLE,
                           _("This build cannot ask for the camera inside a sandbox"));
#endif
}

gboolean
sotto_camera_access_request_finish (GAsyncResult *result,
                                    int          *out_fd,
                                    GError      **error)
{
  if (g_task_had_error (G_TASK (result)))
    {
      g_task_propagate_int (G_TASK (result), error);
      return FALSE;
    }
  *out_fd = (int) g_task_propagate_int (G_TASK (result), NULL);
  return TRUE;
}
