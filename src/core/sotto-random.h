/* sotto-random.h: random ids and key material from OpenSSL's CSPRNG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SOTTO_RANDOM_ERROR (sotto_random_error_quark ())
GQuark sotto_random_error_quark (void);

typedef enum {
  SOTTO_RANDOM_ERROR_FAILED, /* the CSPRNG could not produce bytes */
} SottoRandomError;

/* `n` random bytes, in a GBytes that wipes its memory when freed (use it for
 * keys and secrets). */
GBytes *sotto_random_bytes    (gsize     n,
                               GError  **error);

/* A URL-safe (base64url, unpadded) id made of `n_bytes` random bytes; use at
 * least 16 bytes (128 bits) for anything that must be unguessable. Aborts if
 * the CSPRNG fails: an id we cannot make unguessable must not exist. */
char   *sotto_random_id       (gsize     n_bytes);

/* Wraps `data` (allocated with g_malloc, ownership taken) in a GBytes whose
 * memory is wiped with OPENSSL_cleanse before it is freed. */
GBytes *sotto_bytes_new_secret (gpointer data,
                                gsize    size);

/* Copies `size` bytes into a new wiping GBytes (see sotto_bytes_new_secret). */
GBytes *sotto_bytes_new_secret_copy (gconstpointer data,
                                     gsize         size);

G_END_DECLS
