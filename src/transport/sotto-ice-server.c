/* sotto-ice-server.c: STUN/TURN server URIs (RFC 7064, RFC 7065) and address lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-ice"

#include "sotto-ice-transport.h"   /* SOTTO_ICE_ERROR */
#include "sotto-ice-server-private.h"

#include <string.h>

#define STUN_DEFAULT_PORT 3478
#define TURNS_DEFAULT_PORT 5349

SottoIceServer *
sotto_ice_server_new (const char  *uri,
                      const char  *username,
                      const char  *credential,
                      GError     **error)
{
  g_autoptr(SottoIceServer) server = g_new0 (SottoIceServer, 1);
  g_autofree char *rest = NULL;
  const char *hostport, *query;
  g_autofree char *hp = NULL;
  char *colon;
  guint64 port = 0;

  if (uri == NULL)
    goto bad;
  if (g_str_has_prefix (uri, "stun:"))
    {
      server->kind = SERVER_STUN;
      hostport = uri + 5;
    }
  else if (g_str_has_prefix (uri, "turn:"))
    {
      server->kind = SERVER_TURN_UDP;
      hostport = uri + 5;
    }
  else if (g_str_has_prefix (uri, "turns:"))
    {
      server->kind = SERVER_TURN_TLS;
      hostport = uri + 6;
    }
  else
    goto bad;

  query = strchr (hostport, '?');
  hp = query != NULL ? g_strndup (hostport, (gsize) (query - hostport)) : g_strdup (hostport);
  if (query != NULL)
    {
      if (server->kind == SERVER_STUN)
        goto bad;
      if (strcmp (query, "?transport=udp") == 0 && server->kind == SERVER_TURN_UDP)
        server->kind = SERVER_TURN_UDP;
      else if (strcmp (query, "?transport=tcp") == 0)
        server->kind = server->kind == SERVER_TURN_TLS ? SERVER_TURN_TLS : SERVER_TURN_TCP;
      else
        goto bad;
    }

  /* host, host:port, [v6], [v6]:port */
  if (hp[0] == '[')
    {
      char *end = strchr (hp, ']');

      if (end == NULL || end == hp + 1)
        goto bad;
      server->host = g_strndup (hp + 1, (gsize) (end - hp - 1));
      colon = end[1] == ':' ? end + 1 : NULL;
      if (end[1] != '\0' && colon == NULL)
        goto bad;
    }
  else
    {
      colon = strchr (hp, ':');
      server->host = colon != NULL ? g_strndup (hp, (gsize) (colon - hp)) : g_strdup (hp);
    }
  if (server->host[0] == '\0')
    goto bad;
  if (colon != NULL)
    {
      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
        goto bad;
      server->port = (guint) port;
    }
  else
    server->port = server->kind == SERVER_TURN_TLS ? TURNS_DEFAULT_PORT : STUN_DEFAULT_PORT;

  if (server->kind != SERVER_STUN && (username == NULL || credential == NULL))
    {
      g_set_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_BAD_SERVER,
                   "TURN server \"%s\" needs a username and a credential", uri);
      return NULL;
    }
  server->username = g_strdup (username);
  server->credential = g_strdup (credential);
  if (g_hostname_is_ip_address (server->host))
    server->resolved = g_strdup (server->host);
  return g_steal_pointer (&server);

bad:
  g_set_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_BAD_SERVER,
               "\"%s\" is not a STUN or TURN server URI (stun:host[:port], "
               "turn:host[:port][?transport=udp|tcp], turns:host[:port])",
               uri != NULL ? uri : "");
  return NULL;
}

SottoIceServer *
sotto_ice_server_copy (const SottoIceServer *server)
{
  SottoIceServer *copy = g_new0 (SottoIceServer, 1);

  copy->kind = server->kind;
  copy->host = g_strdup (server->host);
  copy->port = server->port;
  copy->username = g_strdup (server->username);
  copy->credential = g_strdup (server->credential);
  copy->resolved = g_strdup (server->resolved);
  return copy;
}

void
sotto_ice_server_free (SottoIceServer *server)
{
  if (server == NULL)
    return;
  g_free (server->host);
  g_free (server->username);
  if (server->credential != NULL)
    memset (server->credential, 0, strlen (server->credential));
  g_free (server->credential);
  g_free (server->resolved);
  g_free (server);
}

GPtrArray *
sotto_ice_parse_address_list (const char  *list,
                              GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;
  guint i;

  if (list == NULL)
    return g_steal_pointer (&out);
  parts = g_strsplit (list, ",", -1);
  for (i = 0; parts[i] != NULL; i++)
    {
      char *a = g_strstrip (parts[i]);

      if (a[0] == '\0')
        continue;
      if (!g_hostname_is_ip_address (a))
        {
          g_set_error (error, SOTTO_ICE_ERROR, SOTTO_ICE_ERROR_BAD_ADDRESS,
                       "\"%s\" in SOTTO_ICE_ADDRESSES is not an IP address", a);
          return NULL;
        }
      g_ptr_array_add (out, g_strdup (a));
    }
  return g_steal_pointer (&out);
}
