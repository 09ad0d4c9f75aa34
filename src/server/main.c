/* main.c: the sotto-server command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-server"

#include "sotto-config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>

#include "sotto-api-credential.h"
#include "sotto-deployment.h"
#include "sotto-server-store.h"
#include "sotto-token.h"
#include "sotto-server-app.h"

/* Exit statuses, documented in `sotto-server --help`. */
enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  CommandFunc  run;
  const char  *summary;  /* translated at use */
} Command;

static int
fail (const GError *error)
{
  /* Error messages name files and ids, never the secret or a token. */
  g_printerr ("sotto-server: %s\n", error->message);
  return EXIT_FAILED;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("sotto-server: %s\n\n%s", message, help);
  return EXIT_USAGE;
}

/* Parses the options of one subcommand; `argv[0]` is the subcommand name. */
static gboolean
parse (GOptionContext *context,
       int            *argc,
       char         ***argv,
       int            *out_status)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *out_status = usage_error (context, error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      g_autofree char *msg = g_strdup_printf (_("Unexpected argument “%s”"), (*argv)[1]);

      *out_status = usage_error (context, msg);
      return FALSE;
    }
  return TRUE;
}

static char *
resolve_state_dir (const char *state_dir)
{
  if (state_dir != NULL)
    return g_canonicalize_filename (state_dir, NULL);
  return sotto_deployment_default_state_dir ();
}

static int
cmd_init (int    argc,
          char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (SottoDeployment) deployment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *state_dir_opt = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *public_url = NULL;
  gboolean force = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir_opt,
      N_("State directory (default: $XDG_STATE_HOME/sotto-server)"), N_("DIR") },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      N_("URL that tokens carry (default: wss://127.0.0.1:8443)"), N_("wss://HOST:PORT") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing deployment: every token minted so far stops working"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Create a deployment: API key and secret, TLS certificate, "
                                  "public URL, database."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, &status))
    return status;

  state_dir = resolve_state_dir (state_dir_opt);
  deployment = sotto_deployment_create (state_dir, public_url, force, &error);
  if (deployment == NULL)
    return fail (error);

  {
    /* Create the database now so that a fresh deployment is complete. */
    g_autoptr (SottoServerStore) store =
      sotto_server_store_open (sotto_deployment_get_database_path (deployment), &error);

    if (store == NULL)
      return fail (error);
  }

  /* Everything printed here is public; the secret stays in its 0600 file. */
  g_print (_("Deployment created in %s\n"), state_dir);
  g_print (_("API key: %s\n"), sotto_deployment_get_api_key (deployment));
  g_print (_("API secret: in %s/api-secret (never share it)\n"), state_dir);
  g_print (_("Public URL: %s\n"), sotto_deployment_get_public_url (deployment));
  g_print (_("TLS public key pin (SHA-256): %s\n"), sotto_deployment_get_pin (deployment));
  return EXIT_OK;
}

static gboolean
open_deployment (const char        *state_dir_opt,
                 SottoDeployment  **out_deployment,
                 SottoServerStore **out_store,
                 GError           **error)
{
  g_autofree char *state_dir = resolve_state_dir (state_dir_opt);
  g_autoptr (SottoDeployment) deployment = sotto_deployment_load (state_dir, error);
  g_autoptr (SottoServerStore) store = NULL;

  if (deployment == NULL)
    return FALSE;
  store = sotto_server_store_open (sotto_deployment_get_database_path (deployment), error);
  if (store == NULL)
    return FALSE;
  *out_deployment = g_steal_pointer (&deployment);
  *out_store = g_steal_pointer (&store);
  return TRUE;
}

static int
cmd_create_session (int    argc,
                    char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (SottoDeployment) deployment = NULL;
  g_autoptr (SottoServerStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *session_id = NULL;
  int max_participants = 0;
  int status;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      N_("State directory (default: $XDG_STATE_HOME/sotto-server)"), N_("DIR") },
    { "max-participants", 0, 0, G_OPTION_ARG_INT, &max_participants,
      N_("Most participants connected at once (default: the server's default)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Create a session and print its id."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, &status))
    return status;
  if (max_participants < 0)
    return usage_error (context, _("--max-participants must be 1 or more"));

  if (!open_deployment (state_dir, &deployment, &store, &error))
    return fail (error);

  session_id = sotto_server_store_new_session_id ();
  if (!sotto_server_store_create_session (store, session_id, (guint) max_participants, &error))
    return fail (error);

  g_print ("%s\n", session_id);
  return EXIT_OK;
}

static int
cmd_mint_token (int    argc,
                char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (SottoDeployment) deployment = NULL;
  g_autoptr (SottoServerStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *role_str = NULL;
  g_autofree char *data = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *token = NULL;
  gint64 expire_in = SOTTO_TOKEN_DEFAULT_EXPIRE_IN;
  gboolean ended = FALSE;
  SottoRole role;
  int status;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
      N_("State directory (default: $XDG_STATE_HOME/sotto-server)"), N_("DIR") },
    { "session", 0, 0, G_OPTION_ARG_STRING, &session_id,
      N_("Session id (from create-session)"), N_("ID") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_str,
      N_("subscriber, publisher or moderator"), N_("ROLE") },
    { "expire-in", 0, 0, G_OPTION_ARG_INT64, &expire_in,
      N_("Seconds until the token expires (default 86400, at most 2592000)"), N_("SECONDS") },
    { "data", 0, 0, G_OPTION_ARG_STRING, &data,
      N_("Application data every participant sees (at most 1000 bytes; "
         "never personal information)"), N_("TEXT") },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      N_("URL the token carries instead of the deployment's (e.g. the public-url of "
         "a `serve --listen ADDR:0` ready line)"), N_("wss://HOST:PORT") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Mint a token for a session and print only the token."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, &status))
    return status;
  if (session_id == NULL)
    return usage_error (context, _("--session is required"));
  if (role_str == NULL || !sotto_role_from_string (role_str, &role))
    return usage_error (context, _("--role must be subscriber, publisher or moderator"));
  if (expire_in <= 0 || expire_in > SOTTO_TOKEN_MAX_EXPIRE_IN)
    return usage_error (context, _("--expire-in must be 1 to 2592000 seconds (30 days)"));

  if (!open_deployment (state_dir, &deployment, &store, &error))
    return fail (error);
  if (public_url != NULL && !sotto_deployment_set_public_url (deployment, public_url, &error))
    return fail (error);

  /* Only sessions this deployment created get tokens. */
  if (!sotto_server_store_lookup_session (store, session_id, NULL, &ended, &error))
    {
      if (g_error_matches (error, SOTTO_SERVER_STORE_ERROR, SOTTO_SERVER_STORE_ERROR_NOT_FOUND))
        {
          g_printerr (_("sotto-server: no session “%s” in this deployment; "
                        "create one with `sotto-server create-session`\n"),
                      session_id);
          return EXIT_FAILED;
        }
      return fail (error);
    }
  if (ended)
    {
      g_printerr (_("sotto-server: session “%s” has ended; create a new one\n"), session_id);
      return EXIT_FAILED;
    }

  token = sotto_deployment_mint_token (deployment, session_id, role, expire_in, data, &error);
  if (token == NULL)
    return fail (error);
  g_print ("%s\n", token);
  return EXIT_OK;
}

static int
cmd_api_token (int    argc,
               char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (SottoDeployment) deployment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *state_dir_opt = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *credential = NULL;
  gint64 expire_in = SOTTO_API_CREDENTIAL_DEFAULT_LIFETIME;
  int status;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir_opt,
      N_("State directory (default: $XDG_STATE_HOME/sotto-server)"), N_("DIR") },
    { "expire-in", 0, 0, G_OPTION_ARG_INT64, &expire_in,
      N_("Seconds until the credential expires (default 300, at most 3600)"), N_("SECONDS") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Print a short-lived REST API credential, for "
                                  "“Authorization: Bearer …”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, &status))
    return status;
  if (expire_in <= 0 || expire_in > SOTTO_API_CREDENTIAL_MAX_LIFETIME)
    return usage_error (context, _("--expire-in must be 1 to 3600 seconds"));

  state_dir = resolve_state_dir (state_dir_opt);
  deployment = sotto_deployment_load (state_dir, &error);
  if (deployment == NULL)
    return fail (error);
  credential = sotto_api_credential_mint (sotto_deployment_get_api_key (deployment),
                                          sotto_deployment_get_api_secret (deployment),
                                          g_get_real_time () / G_USEC_PER_SEC, expire_in, &error);
  if (credential == NULL)
    return fail (error);
  g_print ("%s\n", credential);
  return EXIT_OK;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  return sotto_server_app_run (argc, argv);
}

static const Command commands[] = {
  { "init", cmd_init, N_("Create a deployment in the state directory") },
  { "create-session", cmd_create_session, N_("Create a session and print its id") },
  { "mint-token", cmd_mint_token, N_("Mint a participant token and print it") },
  { "api-token", cmd_api_token, N_("Print a short-lived REST API credential") },
  { "serve", cmd_serve, N_("Run the session server (TLS REST API and signaling)") },
};

static void
print_help (FILE *out)
{
  gsize i;

  fprintf (out, "%s\n\n", _("Usage: sotto-server [--version] COMMAND [OPTIONS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-16s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n",
           _("Every command takes --state-dir DIR. Run “sotto-server COMMAND --help” for its "
             "options.\nExit status: 0 success, 1 failure, 2 bad usage."));
}

int
main (int    argc,
      char **argv)
{
  gsize i;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("sotto-server");

  if (argc < 2)
    {
      print_help (stderr);
      return EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("sotto-server %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_help (stdout);
      return EXIT_OK;
    }

  for (i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("sotto-server %s", commands[i].name);

          g_set_prgname (prgname);
          /* The subcommand parses argv[1..]: it sees its own name as argv[0]. */
          return commands[i].run (argc - 1, argv + 1);
        }
    }

  g_printerr (_("sotto-server: unknown command “%s”\n\n"), argv[1]);
  print_help (stderr);
  return EXIT_USAGE;
}
