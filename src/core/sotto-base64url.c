/* sotto-base64url.c: strict base64url (RFC 4648 section 5, no padding)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-base64url"

#include "sotto-base64url.h"

#include <string.h>

G_DEFINE_QUARK (sotto-base64url-error-quark, sotto_base64url_error)

static const char alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Returns the 6-bit value of `c`, or -1. A switch-free range test rather
 * than a table keeps it obviously correct for bytes >= 0x80. */
static int
decode_char (guchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

char *
sotto_base64url_encode (const guint8 *data,
                        gsize         len)
{
  /* Exactly sized: ids made here live as long as their connection, and a
   * GString would round each up to a power of two. */
  char *out;
  gsize i, o = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  out = g_malloc (len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0) + 1);
  for (i = 0; i + 2 < len; i += 3)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8) | data[i + 2];

      out[o++] = alphabet[(v >> 18) & 0x3f];
      out[o++] = alphabet[(v >> 12) & 0x3f];
      out[o++] = alphabet[(v >> 6) & 0x3f];
      out[o++] = alphabet[v & 0x3f];
    }
  if (len - i == 1)
    {
      guint32 v = (guint32) data[i] << 16;

      out[o++] = alphabet[(v >> 18) & 0x3f];
      out[o++] = alphabet[(v >> 12) & 0x3f];
    }
  else if (len - i == 2)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8);

      out[o++] = alphabet[(v >> 18) & 0x3f];
      out[o++] = alphabet[(v >> 12) & 0x3f];
      out[o++] = alphabet[(v >> 6) & 0x3f];
    }
  out[o] = '\0';
  return out;
}

GBytes *
sotto_base64url_decode (const char *str,
                        gssize      len,
                        GError    **error)
{
  gsize n, i, o = 0;
  guint8 *out;
  guint32 acc = 0;
  guint bits = 0;

  g_return_val_if_fail (str != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = len < 0 ? strlen (str) : (gsize) len;

  if (n % 4 == 1)
    {
      g_set_error (error, SOTTO_BASE64URL_ERROR, SOTTO_BASE64URL_ERROR_INVALID_LENGTH,
                   "Invalid base64url: a length of %" G_GSIZE_FORMAT " characters cannot be "
                   "a whole number of bytes", n);
      return NULL;
    }

  out = g_malloc (n / 4 * 3 + 3);
  for (i = 0; i < n; i++)
    {
      int v = decode_char ((guchar) str[i]);

      if (v < 0)
        {
          g_free (out);
          g_set_error (error, SOTTO_BASE64URL_ERROR, SOTTO_BASE64URL_ERROR_INVALID_CHARACTER,
                       "Invalid base64url: unexpected character at offset %" G_GSIZE_FORMAT, i);
          return NULL;
        }
      acc = (acc << 6) | (guint32) v;
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          out[o++] = (guint8) ((acc >> bits) & 0xff);
        }
    }

  /* 2 or 4 bits are left over after a partial quantum; an encoder always
   * sets them to zero, and accepting anything else would give one byte
   * string several encodings. */
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
    {
      g_free (out);
      g_set_error (error, SOTTO_BASE64URL_ERROR, SOTTO_BASE64URL_ERROR_NON_CANONICAL,
                   "Invalid base64url: non-zero trailing bits in the last character");
      return NULL;
    }

  return g_bytes_new_take (out, o);
}
