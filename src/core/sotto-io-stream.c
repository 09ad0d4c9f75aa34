/* sotto-io-stream.c: small helpers over GIO streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "sotto-io-stream.h"

GSocket *
sotto_io_stream_find_socket (GIOStream *stream)
{
  while (stream != NULL && !G_IS_SOCKET_CONNECTION (stream))
    {
      GIOStream *base = NULL;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (stream), "base-io-stream") == NULL)
        return NULL;
      g_object_get (stream, "base-io-stream", &base, NULL);
      g_object_unref (base);  /* still owned by `stream` */
      stream = base;
    }
  return stream != NULL ? g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)) : NULL;
}
