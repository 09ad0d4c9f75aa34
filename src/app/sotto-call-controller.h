/* sotto-call-controller.h: drives the call page from a SottoCallSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sotto-call-page.h"
#include "sotto-call-session.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_CALL_CONTROLLER (sotto_call_controller_get_type ())
G_DECLARE_FINAL_TYPE (SottoCallController, sotto_call_controller, SOTTO, CALL_CONTROLLER, GObject)

/* Joins with `token` and keeps `page` (tiles, frames, stats, the moderator
 * panel's models, "N watching", toasts) in step with the call until it ends.
 * `name` is the display name for our stream (may be NULL); `media` (copied;
 * its strings must outlive the call) says which devices to use.
 *
 * Signal "ended" (const GError *error): the call is over (NULL: we left);
 * the window goes back to the join page and explains the error there. */
SottoCallController *sotto_call_controller_new   (SottoCallPage          *page,
                                                  const char             *token,
                                                  const char             *name,
                                                  gboolean                publish,
                                                  const SottoMediaConfig *media);
void                 sotto_call_controller_leave (SottoCallController *self);
SottoCallSession    *sotto_call_controller_get_session (SottoCallController *self);

G_END_DECLS
