/* sotto-tile-grid.h: video tiles laid out by sotto-grid-layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sotto-grid-layout.h"

G_BEGIN_DECLS

#define SOTTO_TYPE_TILE_GRID (sotto_tile_grid_get_type ())
G_DECLARE_FINAL_TYPE (SottoTileGrid, sotto_tile_grid, SOTTO, TILE_GRID, GtkWidget)

GtkWidget *sotto_tile_grid_new        (void);
void       sotto_tile_grid_append     (SottoTileGrid   *self,
                                       GtkWidget       *tile);
void       sotto_tile_grid_remove     (SottoTileGrid   *self,
                                       GtkWidget       *tile);
guint      sotto_tile_grid_get_n_tiles (SottoTileGrid  *self);
/* The layout of the last allocation, for tests. */
void       sotto_tile_grid_get_layout (SottoTileGrid   *self,
                                       SottoGridLayout *out);

G_END_DECLS
