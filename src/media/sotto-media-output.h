/* sotto-media-output.h: the call's one audio output, with the echo canceller's probe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sotto-media-config.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_MEDIA_OUTPUT (sotto_media_output_get_type ())
G_DECLARE_FINAL_TYPE (SottoMediaOutput, sotto_media_output, SOTTO, MEDIA_OUTPUT, GObject)

/* Mixes every subscription's audio into one output stream that passes a
 * webrtcechoprobe, so the sender's webrtcdsp can remove it from the microphone.
 * Create it before the sender; give it to each receiver. */
SottoMediaOutput *sotto_media_output_new                 (const SottoMediaConfig *config,
                                                          GError                **error);
const char       *sotto_media_output_get_echo_probe_name (SottoMediaOutput *self);
guint             sotto_media_output_get_n_inputs        (SottoMediaOutput *self);
/* Peak |sample| played so far (0..32767): lets tests see mixed audio. */
guint             sotto_media_output_get_peak            (SottoMediaOutput *self);

G_END_DECLS
