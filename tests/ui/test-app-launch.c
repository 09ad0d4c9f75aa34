/* test-app-launch.c: `sotto --token TOKEN` opens on the join page with the
 * token decoded into words; screenshots of that state (light, dark, 360 px)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "../unit/app/app-test-util.h"
#include "sotto-application.h"
#include "sotto-window.h"
#include "ui-test-util.h"

typedef struct {
  const char *expected_role;
  const char *expected_expiry;
  const char *screenshot_prefix;
  gboolean    checked;
} LaunchCheck;

static gboolean
host_shown (gpointer data)
{
  return ui_find_label (data, APP_TEST_HOST) != NULL;
}

static gboolean
settled (gpointer data)
{
  /* A few frames for layout and the crossfade; bounded by ui_wait_for. */
  guint *frames = data;
  return ++(*frames) > 50;
}

static void
screenshot (GtkWidget  *window,
            const char *prefix,
            const char *state)
{
  const char *dir = g_getenv ("SOTTO_TEST_ARTIFACTS");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  guint frames = 0;

  if (dir == NULL)
    return;
  ui_wait_for (settled, &frames, 2000);
  name = g_strdup_printf ("%s-%s.png", prefix, state);
  path = g_build_filename (dir, name, NULL);
  ui_save_png (window, path);
}

static gboolean
on_check (gpointer user_data)
{
  GApplication *app = user_data;
  LaunchCheck *check = g_object_get_data (G_OBJECT (app), "check");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  SottoJoinPage *page;
  SottoTokenPreview *preview;
  AdwStyleManager *style = adw_style_manager_get_default ();

  g_assert_true (SOTTO_IS_WINDOW (window));
  page = sotto_window_get_join_page (SOTTO_WINDOW (window));

  /* The token from the command line is decoded and shown in words. */
  g_assert_true (ui_wait_for (host_shown, window, 10000));
  preview = sotto_join_page_get_preview (page);
  g_assert_nonnull (preview);
  g_assert_cmpstr (sotto_token_preview_get_host (preview), ==, APP_TEST_HOST);
  g_assert_cmpstr (sotto_token_preview_get_role_label (preview), ==, check->expected_role);
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Ana García"));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), check->expected_expiry));
  g_assert_null (sotto_join_page_get_error_text (page));
  g_assert_true (sotto_join_page_get_can_join (page));

  /* Tall enough for the whole page in the screenshots. */
  gtk_window_set_default_size (window, 800, 980);
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Adaptive: at 360 px the decoded words are still on screen. */
  gtk_window_set_default_size (window, 360, 720);
  g_assert_true (ui_wait_for (host_shown, window, 5000));
  screenshot (GTK_WIDGET (window), check->screenshot_prefix, "narrow");

  check->checked = TRUE;
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
on_window_added (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  g_idle_add (on_check, app);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("The app did not show a window within 30 s");
  return G_SOURCE_REMOVE;
}

static void
run_app_with_token (LaunchCheck *check)
{
  g_autofree char *token = app_test_mint (SOTTO_ROLE_MODERATOR, "{\"name\": \"Ana García\"}",
                                          g_get_real_time () / G_USEC_PER_SEC, 0, 2 * 3600);
  char *argv[] = { (char *) "sotto", (char *) "--token", token, NULL };
  g_autoptr(SottoApplication) app = sotto_application_new ();
  guint timeout_id;
  int status;

  /* Never talk to (or become) an instance the developer has running. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_object_set_data (G_OBJECT (app), "check", check);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  timeout_id = g_timeout_add_seconds (30, on_timeout, NULL);

  status = g_application_run (G_APPLICATION (app), 3, argv);

  g_source_remove (timeout_id);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (check->checked);
}

static void
test_launch_with_token (void)
{
  LaunchCheck check = { "Moderator", "expires in 2 hours", "join", FALSE };

  run_app_with_token (&check);
}

static void
test_launch_spanish (void)
{
  LaunchCheck check = { "Moderador", "caduca en 2 horas", "join-es", FALSE };

  if (g_getenv ("SOTTO_LOCALEDIR") == NULL)
    {
      g_test_skip ("SOTTO_LOCALEDIR is not set");
      return;
    }
  run_app_with_token (&check);
}

int
main (int   argc,
      char *argv[])
{
  /* --spanish: the same launch under LANGUAGE=es (set by meson). */
  gboolean spanish = argc > 1 && g_str_equal (argv[argc - 1], "--spanish");

  if (spanish)
    argc--;
  sotto_application_setup_i18n ();
  g_test_init (&argc, &argv, NULL);

  if (spanish)
    g_test_add_func ("/sotto/ui/launch/spanish", test_launch_spanish);
  else
    g_test_add_func ("/sotto/ui/launch/token", test_launch_with_token);

  return g_test_run ();
}
