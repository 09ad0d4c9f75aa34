/* sotto-grid-layout.h: how many columns and rows of video tiles fit a space
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint columns;
  guint rows;
  int   tile_width;   /* every tile has the same size, aspect kept */
  int   tile_height;
} SottoGridLayout;

/* Chooses the column count that gives the largest tiles of the given aspect
 * (width / height) for n_tiles in width x height with `spacing` pixels between
 * tiles. Returns FALSE (and a zero layout) when there is nothing to lay out or
 * no room. Pure arithmetic, no GTK. */
gboolean sotto_grid_layout_compute (guint            n_tiles,
                                    int              width,
                                    int              height,
                                    double           aspect,
                                    int              spacing,
                                    SottoGridLayout *out);

G_END_DECLS
