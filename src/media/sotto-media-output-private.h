/* sotto-media-output-private.h: what receivers use to feed the output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "sotto-media-output.h"

G_BEGIN_DECLS

/* Caps every input must have: what webrtcdsp and the probe work with. */
#define SOTTO_MEDIA_OUTPUT_CAPS "audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved"

/* A new mixer input; push to it from any thread. Release with remove_input. */
GstElement *sotto_media_output_add_input    (SottoMediaOutput *self);
void        sotto_media_output_remove_input (SottoMediaOutput *self,
                                             GstElement       *input);
/* Any thread: hands one decoded buffer to an input. */
void        sotto_media_output_push         (GstElement *input,
                                             GstBuffer  *buffer);

G_END_DECLS
