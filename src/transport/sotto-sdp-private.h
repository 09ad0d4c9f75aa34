/* sotto-sdp-private.h: shared between the sotto-sdp*.c files only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sotto-sdp.h"

G_BEGIN_DECLS

/* An m-line with no codec at all (the parser adds the listed ones). */
SottoSdpMedia *sotto_sdp_media_new_empty (SottoSdpMediaKind kind);

G_END_DECLS
