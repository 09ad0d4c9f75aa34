/* sotto-websocket-key.c: the RFC 6455 opening handshake's key proof
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "sotto-websocket-key.h"

#define WEBSOCKET_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  /* RFC 6455 section 1.3 */

char *
sotto_websocket_accept_key (const char *key)
{
  g_autoptr (GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_return_val_if_fail (key != NULL, NULL);

  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) WEBSOCKET_GUID, -1);
  g_checksum_get_digest (sha1, digest, &len);
  return g_base64_encode (digest, len);
}
