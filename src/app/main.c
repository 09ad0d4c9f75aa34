/* main.c: the `sotto` executable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "sotto-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SottoApplication) app = NULL;

  sotto_application_setup_i18n ();
  app = sotto_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
