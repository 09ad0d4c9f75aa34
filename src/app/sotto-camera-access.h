/* sotto-camera-access.h: asking for the camera inside a Flatpak
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SOTTO_CAMERA_ACCESS_ERROR (sotto_camera_access_error_quark ())
GQuark sotto_camera_access_error_quark (void);

typedef enum {
  SOTTO_CAMERA_ACCESS_ERROR_DENIED,       /* the person (or the portal) said no */
  SOTTO_CAMERA_ACCESS_ERROR_NO_CAMERA,    /* the portal knows of no camera */
  SOTTO_CAMERA_ACCESS_ERROR_UNAVAILABLE,  /* sandboxed, but no portal to ask */
} SottoCameraAccessError;

/* Outside a sandbox the camera needs no permission: completes at once with
 * fd -1 (open devices directly). Inside a Flatpak, asks the
 * xdg-desktop-portal Camera interface (libportal) and completes with the
 * PipeWire remote it grants, to be given to pipewiresrc. */
void     sotto_camera_access_request_async  (GtkWindow          *parent,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
/* TRUE and *out_fd (-1, or an fd the caller closes), or FALSE with a
 * SOTTO_CAMERA_ACCESS_ERROR. */
gboolean sotto_camera_access_request_finish (GAsyncResult *result,
                                             int          *out_fd,
                                             GError      **error);

/* Whether this process runs in a Flatpak sandbox. */
gboolean sotto_camera_access_is_sandboxed   (void);

G_END_DECLS
