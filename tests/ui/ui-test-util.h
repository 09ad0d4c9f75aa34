/* ui-test-util.h: finding widgets and saving screenshots in the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

/* A mapped GtkLabel (anywhere under `root`) whose text is `text`. */
static inline GtkWidget *
ui_find_label (GtkWidget  *root,
               const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Runs the main context until `done` returns TRUE, at most `timeout_ms`. */
static inline gboolean
ui_wait_for (gboolean (*done) (gpointer),
             gpointer   data,
             guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

/* Renders `widget` as it is on screen to a PNG (GTK's own snapshot, no X
 * screen grab). A widget waiting for a new allocation renders nothing, so
 * this retries for up to five seconds while the main context runs. */
static inline void
ui_save_png (GtkWidget  *widget,
             const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  int width = 0;
  int height = 0;

  while (node == NULL && g_get_monotonic_time () < deadline)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (5000);
        }
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static inline gboolean
ui_inside (GtkWidget *widget,
           GType      type)
{
  return gtk_widget_get_ancestor (gtk_widget_get_parent (widget), type) != NULL;
}

/* Every control on screen under `root` has a name a screen reader can say: a
 * label of its own, an accessible label, or a labelled-by relation. Returns
 * how many controls were checked. */
static inline guint
ui_assert_accessible_names (GtkWidget *root)
{
  guint checked = 0;

  if (!gtk_widget_get_mapped (root))
    return 0;
  /* libadwaita 1.2's own toast close button has no accessible label (fixed
   * upstream later); it is not ours to name. */
  if (g_str_equal (G_OBJECT_TYPE_NAME (root), "AdwToastWidget"))
    return 0;

  if (GTK_IS_BUTTON (root) || GTK_IS_MENU_BUTTON (root) || GTK_IS_SWITCH (root) ||
      GTK_IS_CHECK_BUTTON (root) || GTK_IS_EDITABLE (root))
    {
      GtkAccessible *accessible = GTK_ACCESSIBLE (root);
      /* GTK points every button's labelled-by at its own child, an icon
       * included, so for buttons only a text label or an explicit accessible
       * label counts. */
      gboolean named =
        gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) ||
        (!GTK_IS_BUTTON (root) &&
         gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY)) ||
        (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) != NULL &&
         gtk_button_get_icon_name (GTK_BUTTON (root)) == NULL);

      /* A menu button's inner toggle and an entry row's inner text field
       * are named by their container. */
      if (ui_inside (root, GTK_TYPE_MENU_BUTTON) ||
          (GTK_IS_EDITABLE (root) && ui_inside (root, ADW_TYPE_ENTRY_ROW)))
        named = TRUE;
      if (!named)
        {
          GString *path = g_string_new (NULL);

          for (GtkWidget *w = root; w != NULL; w = gtk_widget_get_parent (w))
            g_string_append_printf (path, " < %s", G_OBJECT_TYPE_NAME (w));
          g_error ("A control has no accessible name:%s", path->str);
        }
      checked++;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    checked += ui_assert_accessible_names (child);
  return checked;
}
