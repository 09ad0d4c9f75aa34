/* sotto-random.c: random ids and key material from OpenSSL's CSPRNG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-random"

#include "sotto-random.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include "sotto-base64url.h"

G_DEFINE_QUARK (sotto-random-error-quark, sotto_random_error)

typedef struct {
  gpointer data;
  gsize    size;
} SecretBlock;

static void
secret_block_free (gpointer user_data)
{
  SecretBlock *block = user_data;

  OPENSSL_cleanse (block->data, block->size);
  g_free (block->data);
  g_free (block);
}

GBytes *
sotto_bytes_new_secret (gpointer data,
                        gsize    size)
{
  SecretBlock *block;

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  block = g_new0 (SecretBlock, 1);
  block->data = data;
  block->size = size;
  return g_bytes_new_with_free_func (data, size, secret_block_free, block);
}

GBytes *
sotto_bytes_new_secret_copy (gconstpointer data,
                             gsize         size)
{
  g_return_val_if_fail (data != NULL || size == 0, NULL);

  return sotto_bytes_new_secret (g_memdup2 (data, size), size);
}

/* RAND_bytes takes an int; larger requests are split. */
static gboolean
fill_random (guint8 *buf,
             gsize   n)
{
  while (n > 0)
    {
      int chunk = n > INT_MAX ? INT_MAX : (int) n;

      if (RAND_bytes (buf, chunk) != 1)
        return FALSE;
      buf += chunk;
      n -= (gsize) chunk;
    }
  return TRUE;
}

GBytes *
sotto_random_bytes (gsize    n,
                    GError **error)
{
  guint8 *buf;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buf = g_malloc (n > 0 ? n : 1);
  if (!fill_random (buf, n))
    {
      unsigned long e = ERR_get_error ();

      OPENSSL_cleanse (buf, n);
      g_free (buf);
      g_set_error (error, SOTTO_RANDOM_ERROR, SOTTO_RANDOM_ERROR_FAILED,
                   "The system random number generator failed (OpenSSL error %lu); "
                   "check that the kernel provides entropy", e);
      return NULL;
    }
  return sotto_bytes_new_secret (buf, n);
}

char *
sotto_random_id (gsize n_bytes)
{
  guint8 *buf;
  char *id;

  g_return_val_if_fail (n_bytes > 0, NULL);

  buf = g_malloc (n_bytes);
  if (!fill_random (buf, n_bytes))
    g_error ("The system random number generator failed; refusing to make a guessable id");
  id = sotto_base64url_encode (buf, n_bytes);
  OPENSSL_cleanse (buf, n_bytes);
  g_free (buf);
  return id;
}
