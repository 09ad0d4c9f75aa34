/* sotto-grid-layout.c: how many columns and rows of video tiles fit a space
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-grid-layout.h"

#include <math.h>

gboolean
sotto_grid_layout_compute (guint            n_tiles,
                           int              width,
                           int              height,
                           double           aspect,
                           int              spacing,
                           SottoGridLayout *out)
{
  SottoGridLayout best = { 0, 0, 0, 0 };
  gint64 best_area = -1;
  guint best_empty = G_MAXUINT;

  g_return_val_if_fail (out != NULL, FALSE);

  *out = best;
  if (n_tiles == 0 || width <= 0 || height <= 0 || !(aspect > 0.0) || !isfinite (aspect))
    return FALSE;
  spacing = MAX (spacing, 0);

  /* n_tiles is a handful of participants; trying every column count is
   * cheaper than being clever. */
  for (guint columns = 1; columns <= n_tiles; columns++)
    {
      guint rows = (n_tiles + columns - 1) / columns;
      /* Cells in floating point, rounded down once at the end, so that the
       * tiles lose at most a pixel to rounding. */
      double cell_w = ((double) width - (double) (columns - 1) * spacing) / columns;
      double cell_h = ((double) height - (double) (rows - 1) * spacing) / rows;
      gint64 tile_w;
      gint64 tile_h;
      gint64 area;
      guint empty = columns * rows - n_tiles;

      if (cell_w < 1.0 || cell_h < 1.0)
        continue;

      /* Fit the aspect inside the cell: limited by width or by height. */
      tile_w = (gint64) floor (MIN (cell_w, cell_h * aspect));
      tile_h = MIN ((gint64) floor (cell_h), (gint64) floor ((double) tile_w / aspect));
      if (tile_w <= 0 || tile_h <= 0)
        continue;

      area = tile_w * tile_h;
      /* Ties go to the grid with fewer empty cells, then fewer columns. */
      if (area > best_area || (area == best_area && empty < best_empty))
        {
          best_area = area;
          best_empty = empty;
          best.columns = columns;
          best.rows = rows;
          best.tile_width = (int) tile_w;
          best.tile_height = (int) tile_h;
        }
    }

  *out = best;
  return best_area > 0;
}
