/* sotto-tile-grid.c: video tiles laid out by sotto-grid-layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-tile-grid.h"

/* Video is 16:9 more often than not; tiles keep that shape whatever the
 * sender's aspect, and the picture inside letterboxes. */
#define TILE_ASPECT  (16.0 / 9.0)
#define TILE_SPACING 6

struct _SottoTileGrid
{
  GtkWidget       parent_instance;

  guint           n_tiles;
  SottoGridLayout layout;
};

G_DEFINE_FINAL_TYPE (SottoTileGrid, sotto_tile_grid, GTK_TYPE_WIDGET)

static void
sotto_tile_grid_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  /* The grid takes whatever room it gets; tiles shrink to fit a phone. */
  *minimum = 0;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 360;
}

static void
sotto_tile_grid_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  SottoTileGrid *self = SOTTO_TILE_GRID (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);
  SottoGridLayout *l = &self->layout;
  int y0;
  guint index = 0;

  sotto_grid_layout_compute (self->n_tiles, width, height, TILE_ASPECT, TILE_SPACING, l);
  y0 = (height - (int) l->rows * l->tile_height - ((int) l->rows - 1) * TILE_SPACING) / 2;

  for (; child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      guint row;
      guint column;
      guint in_row;
      int x0;
      GtkAllocation allocation;

      if (!gtk_widget_should_layout (child))
        continue;
      /* GTK wants every child measured before it is allocated. */
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
      if (l->columns == 0)
        {
          gtk_widget_size_allocate (child, &(GtkAllocation) { 0, 0, 0, 0 }, -1);
          continue;
        }
      row = index / l->columns;
      column = index % l->columns;
      /* The last row, if shorter, is centred rather than left-aligned. */
      in_row = MIN (l->columns, self->n_tiles - row * l->columns);
      x0 = (width - (int) in_row * l->tile_width - ((int) in_row - 1) * TILE_SPACING) / 2;

      allocation.x = x0 + (int) column * (l->tile_width + TILE_SPACING);
      allocation.y = y0 + (int) row * (l->tile_height + TILE_SPACING);
      allocation.width = l->tile_width;
      allocation.height = l->tile_height;
      gtk_widget_size_allocate (child, &allocation, -1);
      index++;
    }
}

static void
sotto_tile_grid_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sotto_tile_grid_parent_class)->dispose (object);
}

static void
sotto_tile_grid_class_init (SottoTileGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sotto_tile_grid_dispose;
  widget_class->measure = sotto_tile_grid_measure;
  widget_class->size_allocate = sotto_tile_grid_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "tilegrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sotto_tile_grid_init (SottoTileGrid *self)
{
}

GtkWidget *
sotto_tile_grid_new (void)
{
  return g_object_new (SOTTO_TYPE_TILE_GRID, NULL);
}

void
sotto_tile_grid_append (SottoTileGrid *self,
                        GtkWidget     *tile)
{
  g_return_if_fail (SOTTO_IS_TILE_GRID (self));
  g_return_if_fail (GTK_IS_WIDGET (tile));
  g_return_if_fail (gtk_widget_get_parent (tile) == NULL);

  gtk_widget_set_parent (tile, GTK_WIDGET (self));
  self->n_tiles++;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
sotto_tile_grid_remove (SottoTileGrid *self,
                        GtkWidget     *tile)
{
  g_return_if_fail (SOTTO_IS_TILE_GRID (self));
  g_return_if_fail (gtk_widget_get_parent (tile) == GTK_WIDGET (self));

  gtk_widget_unparent (tile);
  self->n_tiles--;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

guint
sotto_tile_grid_get_n_tiles (SottoTileGrid *self)
{
  g_return_val_if_fail (SOTTO_IS_TILE_GRID (self), 0);
  return self->n_tiles;
}

void
sotto_tile_grid_get_layout (SottoTileGrid   *self,
                            SottoGridLayout *out)
{
  g_return_if_fail (SOTTO_IS_TILE_GRID (self));
  g_return_if_fail (out != NULL);
  *out = self->layout;
}
