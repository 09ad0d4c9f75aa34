/* sotto-application.c: the Sotto desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sotto-application.h"
#include "sotto-window.h"

struct _SottoApplication
{
  AdwApplication parent_instance;

  char          *pending_token;  /* from --token, for the first window */
  gboolean       join_now;       /* --join: join with it at once */
};

G_DEFINE_FINAL_TYPE (SottoApplication, sotto_application, ADW_TYPE_APPLICATION)

static SottoWindow *
ensure_window (SottoApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (sotto_window_new (GTK_APPLICATION (self)));
  return SOTTO_WINDOW (window);
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing windows (not g_application_quit) lets each save its size. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *parent = gtk_application_get_active_window (app);
  const char *developers[] = { _("The Sotto developers"), NULL };

#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about = adw_about_dialog_new ();

  adw_about_dialog_set_application_name (ADW_ABOUT_DIALOG (about), _("Sotto"));
  adw_about_dialog_set_application_icon (ADW_ABOUT_DIALOG (about), APP_ID);
  adw_about_dialog_set_version (ADW_ABOUT_DIALOG (about), PACKAGE_VERSION);
  adw_about_dialog_set_comments (ADW_ABOUT_DIALOG (about),
                                 _("Private calls, encrypted from end to end"));
  adw_about_dialog_set_license_type (ADW_ABOUT_DIALOG (about), GTK_LICENSE_GPL_3_0);
  adw_about_dialog_set_developers (ADW_ABOUT_DIALOG (about), developers);
  adw_about_dialog_set_translator_credits (ADW_ABOUT_DIALOG (about), _("translator-credits"));
  adw_dialog_present (about, GTK_WIDGET (parent));
#else
  GtkWidget *about = adw_about_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _("Sotto"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), APP_ID);
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 _("Private calls, encrypted from end to end"));
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
#endif
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = on_quit },
  { .name = "about", .activate = on_about },
};

static int
sotto_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  SottoApplication *self = SOTTO_APPLICATION (app);
  const char *token = NULL;
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("sotto %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (!g_variant_dict_lookup (options, "token", "&s", &token))
    return -1;

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (g_application_get_is_remote (app))
    {
      /* The running instance takes it as a sotto: link, its only remote
       * entry point that carries text. */
      g_autofree char *uri = g_strconcat ("sotto:", token, NULL);
      g_autoptr(GFile) file = g_file_new_for_uri (uri);

      g_application_open (app, &file, 1, "");
      return 0;
    }
  g_free (self->pending_token);
  self->pending_token = g_strdup (token);
  self->join_now = g_variant_dict_contains (options, "join");
  return -1;
}

static void
sotto_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *microphone_accels[] = { "<Control>d", NULL };
  static const char *camera_accels[] = { "<Control>e", NULL };

  G_APPLICATION_CLASS (sotto_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.microphone",
                                         microphone_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.camera", camera_accels);
  /* Ctrl+? opens gtk/help-overlay.ui, which GtkApplication loads by itself. */
}

static void
sotto_application_activate (GApplication *app)
{
  SottoApplication *self = SOTTO_APPLICATION (app);
  SottoWindow *window = ensure_window (self);

  if (self->pending_token != NULL)
    {
      sotto_window_set_token_text (window, self->pending_token);
      g_clear_pointer (&self->pending_token, g_free);
      if (self->join_now)
        sotto_window_join (window);
      self->join_now = FALSE;
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
sotto_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  SottoApplication *self = SOTTO_APPLICATION (app);
  SottoWindow *window = ensure_window (self);

  /* One window, one token: the last link opened wins. */
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      if (g_str_has_prefix (uri, "sotto:"))
        sotto_window_set_token_text (window, uri);
      else
        g_warning ("Not a sotto: link: %s", uri);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
sotto_application_finalize (GObject *object)
{
  SottoApplication *self = SOTTO_APPLICATION (object);

  g_free (self->pending_token);

  G_OBJECT_CLASS (sotto_application_parent_class)->finalize (object);
}

static void
sotto_application_class_init (SottoApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sotto_application_finalize;
  app_class->handle_local_options = sotto_application_handle_local_options;
  app_class->startup = sotto_application_startup;
  app_class->activate = sotto_application_activate;
  app_class->open = sotto_application_open;
}

static void
sotto_application_init (SottoApplication *self)
{
  const GOptionEntry entries[] = {
    { "token", 't', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_("Put TOKEN on the join page"), N_("TOKEN") },
    { "join", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Join at once with the --token given"), NULL },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Private calls, encrypted from end to end."));
}

SottoApplication *
sotto_application_new (void)
{
  return g_object_new (SOTTO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/sotto/Sotto",
                       NULL);
}

static gboolean
is_c_locale (const char *locale)
{
  return locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX");
}

void
sotto_application_setup_i18n (void)
{
  const char *localedir = g_getenv ("SOTTO_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* gettext ignores LANGUAGE while LC_MESSAGES is the plain "C" locale (as
   * with LANG unset, or LANG=C and a C.UTF-8 LC_CTYPE from Python's locale
   * coercion); C.UTF-8 lets LANGUAGE=es work on a system with no Spanish
   * locale generated, and UTF-8 text needs a UTF-8 LC_CTYPE. */
  if (g_getenv ("LANGUAGE") != NULL && is_c_locale (setlocale (LC_MESSAGES, NULL)))
    {
      setlocale (LC_MESSAGES, "C.UTF-8");
      if (is_c_locale (setlocale (LC_CTYPE, NULL)))
        setlocale (LC_CTYPE, "C.UTF-8");
    }

  /* gtk_init would call setlocale (LC_ALL, "") again and undo the above. */
  gtk_disable_setlocale ();

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
