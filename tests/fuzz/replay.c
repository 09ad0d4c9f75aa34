/* replay.c: runs LLVMFuzzerTestOneInput on files, without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: replay FILE-OR-DIRECTORY...  Prints TAP, one test per file, so the
 * committed corpus and crash reproducers run as a normal test (and under
 * ASan/UBSan in the sanitized build). A crash fails the test by aborting.
 */
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  /* Sorted, so a failure is reported at the same test number every run. */
  g_ptr_array_sort (names, compare_names);
  for (i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      collect (child, files);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint i;
  int failed = 0;

  for (i = 1; i < (guint) argc; i++)
    collect (argv[i], files);

  printf ("1..%u\n", files->len);
  if (files->len == 0)
    {
      /* An empty corpus would make this test pass vacuously. */
      printf ("Bail out! no corpus files found\n");
      return 1;
    }
  for (i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr(GError) error = NULL;

      if (!g_file_get_contents (file, &contents, &len, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, file, error->message);
          failed = 1;
          continue;
        }
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
      printf ("ok %u - %s\n", i + 1, file);
      fflush (stdout);
    }
  return failed;
}
