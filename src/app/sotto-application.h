/* sotto-application.h: the Sotto desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SOTTO_TYPE_APPLICATION (sotto_application_get_type ())
G_DECLARE_FINAL_TYPE (SottoApplication, sotto_application, SOTTO, APPLICATION, AdwApplication)

/* app ID io.github.sotto.Sotto; opens sotto: links; `--token TOKEN` puts a
 * token on the join page (forwarded to an already running instance);
 * `--version`. Accelerators: Ctrl+D microphone, Ctrl+E camera, Ctrl+? keyboard
 * shortcuts, Ctrl+Q quit. */
SottoApplication *sotto_application_new        (void);

/* setlocale + bindtextdomain, honouring LANGUAGE even under the C locale and
 * SOTTO_LOCALEDIR (the catalogues of an uninstalled build). Call first. */
void              sotto_application_setup_i18n (void);

G_END_DECLS
