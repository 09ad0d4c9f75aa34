/* sotto-ice-server-private.h: SottoIceServer's fields, for the ICE transport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sotto-ice-server.h"

G_BEGIN_DECLS

typedef enum {
  SERVER_STUN,
  SERVER_TURN_UDP,
  SERVER_TURN_TCP,
  SERVER_TURN_TLS,
} ServerKind;

struct _SottoIceServer {
  ServerKind kind;
  char      *host;
  guint      port;
  char      *username;
  char      *credential;
  char      *resolved;   /* IP literal once resolved */
};

G_END_DECLS
