/* sotto-ice-server.h: STUN/TURN servers and local address lists for ICE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One STUN or TURN server, from an RFC 7064/7065 URI:
 *   stun:host[:port]   turn:host[:port][?transport=udp|tcp]   turns:host[:port]
 * Host names are resolved asynchronously before gathering starts. */
typedef struct _SottoIceServer SottoIceServer;

SottoIceServer *sotto_ice_server_new  (const char  *uri,
                                       const char  *username,
                                       const char  *credential,
                                       GError     **error);
SottoIceServer *sotto_ice_server_copy (const SottoIceServer *server);
void            sotto_ice_server_free (SottoIceServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SottoIceServer, sotto_ice_server_free)

/* Parses SOTTO_ICE_ADDRESSES-style lists ("127.0.0.1,::1"). NULL or empty
 * means "every interface" and returns an empty array. */
GPtrArray *sotto_ice_parse_address_list (const char  *list,
                                         GError     **error);

G_END_DECLS
