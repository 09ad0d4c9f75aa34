/* test-grid-layout.c: columns, rows and tile sizes for the call grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "sotto-grid-layout.h"

#define ASPECT (16.0 / 9.0)

static void
assert_fits (guint                  n,
             int                    width,
             int                    height,
             int                    spacing,
             const SottoGridLayout *l)
{
  g_assert_cmpuint (l->columns * l->rows, >=, n);
  /* No empty row: the grid is as compact as the tile count allows. */
  g_assert_cmpuint ((l->rows - 1) * l->columns, <, n);
  g_assert_cmpint ((int) l->columns * l->tile_width + ((int) l->columns - 1) * spacing, <=, width);
  g_assert_cmpint ((int) l->rows * l->tile_height + ((int) l->rows - 1) * spacing, <=, height);
  /* Aspect kept to the pixel. */
  g_assert_cmpfloat (ABS (l->tile_width - l->tile_height * ASPECT), <=, ASPECT + 1.0);
}

static void
test_one_tile_fills (void)
{
  SottoGridLayout l;

  g_assert_true (sotto_grid_layout_compute (1, 1280, 720, ASPECT, 6, &l));
  g_assert_cmpuint (l.columns, ==, 1);
  g_assert_cmpuint (l.rows, ==, 1);
  g_assert_cmpint (l.tile_width, ==, 1280);
  g_assert_cmpint (l.tile_height, ==, 720);

  /* Taller than 16:9: the height has room to spare, the width limits. */
  g_assert_true (sotto_grid_layout_compute (1, 1000, 1000, ASPECT, 6, &l));
  g_assert_cmpint (l.tile_width, ==, 1000);
  g_assert_cmpint (l.tile_height, ==, 562);
}

static void
test_landscape (void)
{
  SottoGridLayout l;

  g_assert_true (sotto_grid_layout_compute (2, 1280, 720, ASPECT, 6, &l));
  g_assert_cmpuint (l.columns, ==, 2);
  g_assert_cmpuint (l.rows, ==, 1);
  assert_fits (2, 1280, 720, 6, &l);

  g_assert_true (sotto_grid_layout_compute (4, 1280, 720, ASPECT, 6, &l));
  g_assert_cmpuint (l.columns, ==, 2);
  g_assert_cmpuint (l.rows, ==, 2);
  assert_fits (4, 1280, 720, 6, &l);

  g_assert_true (sotto_grid_layout_compute (5, 1280, 720, ASPECT, 6, &l));
  g_assert_cmpuint (l.columns, ==, 3);
  g_assert_cmpuint (l.rows, ==, 2);
  assert_fits (5, 1280, 720, 6, &l);
}

static void
test_phone_portrait (void)
{
  SottoGridLayout l;

  /* 360 px wide phone: tiles stack in one column and use (nearly) the full width. */
  for (guint n = 1; n <= 3; n++)
    {
      g_assert_true (sotto_grid_layout_compute (n, 360, 600, ASPECT, 6, &l));
      g_assert_cmpuint (l.columns, ==, 1);
      g_assert_cmpuint (l.rows, ==, n);
      g_assert_cmpint (l.tile_width, >=, 340);
      assert_fits (n, 360, 600, 6, &l);
    }

  /* Many people on a phone: two columns beat tiny full-width strips. */
  g_assert_true (sotto_grid_layout_compute (9, 360, 600, ASPECT, 6, &l));
  g_assert_cmpuint (l.columns, ==, 2);
  assert_fits (9, 360, 600, 6, &l);
  g_assert_cmpint (l.tile_width, >, 100);
}

static void
test_best_of_all (void)
{
  /* Against brute force: no other column count gives bigger tiles. */
  const int sizes[][2] = { { 360, 640 }, { 640, 360 }, { 800, 800 }, { 1920, 1080 }, { 361, 203 } };

  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint n = 1; n <= 16; n++)
      {
        SottoGridLayout l;
        int w = sizes[s][0];
        int h = sizes[s][1];

        g_assert_true (sotto_grid_layout_compute (n, w, h, ASPECT, 4, &l));
        assert_fits (n, w, h, 4, &l);
        for (guint c = 1; c <= n; c++)
          {
            guint r = (n + c - 1) / c;
            double cw = (double) (w - (int) (c - 1) * 4) / c;
            double ch = (double) (h - (int) (r - 1) * 4) / r;
            double tw = MIN (cw, ch * ASPECT);

            g_assert_cmpfloat (tw, <=, l.tile_width + 1.0);
          }
      }
}

static void
test_nothing_to_lay_out (void)
{
  SottoGridLayout l = { 9, 9, 9, 9 };

  g_assert_false (sotto_grid_layout_compute (0, 640, 480, ASPECT, 6, &l));
  g_assert_cmpuint (l.columns, ==, 0);
  g_assert_cmpint (l.tile_width, ==, 0);
  g_assert_false (sotto_grid_layout_compute (3, 0, 480, ASPECT, 6, &l));
  g_assert_false (sotto_grid_layout_compute (3, 640, -1, ASPECT, 6, &l));
  g_assert_false (sotto_grid_layout_compute (3, 640, 480, 0.0, 6, &l));
  g_assert_false (sotto_grid_layout_compute (3, 640, 480, -1.0, 6, &l));
  /* Spacing eats all the room. */
  g_assert_false (sotto_grid_layout_compute (3, 10, 10, ASPECT, 20, &l));
  g_assert_cmpuint (l.rows, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/app/grid-layout/one-tile-fills", test_one_tile_fills);
  g_test_add_func ("/sotto/app/grid-layout/landscape", test_landscape);
  g_test_add_func ("/sotto/app/grid-layout/phone-portrait", test_phone_portrait);
  g_test_add_func ("/sotto/app/grid-layout/best-of-all", test_best_of_all);
  g_test_add_func ("/sotto/app/grid-layout/nothing-to-lay-out", test_nothing_to_lay_out);

  return g_test_run ();
}
