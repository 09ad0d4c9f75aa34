/* sotto-rest-api.h: the JSON-over-HTTPS REST API at /v1/sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sotto-deployment.h"
#include "sotto-server-store.h"
#include "sotto-signaling-hub.h"

G_BEGIN_DECLS

/* Largest request body the API reads (413 above it). */
#define SOTTO_REST_MAX_BODY 65536
/* Highest per-session limit a client may ask for. */
#define SOTTO_REST_MAX_PARTICIPANTS 10000

#define SOTTO_TYPE_REST_API (sotto_rest_api_get_type ())
G_DECLARE_FINAL_TYPE (SottoRestApi, sotto_rest_api, SOTTO, REST_API, GObject)

/* Every request must carry "Authorization: Bearer <API credential>" (see
 * sotto-api-credential.h); anything else gets 401 and nothing more. */
/* `max_participants_default` is only reported (sessions created with no
 * limit show it); the hub enforces it. */
SottoRestApi *sotto_rest_api_new    (SottoDeployment   *deployment,
                                     SottoServerStore  *store,
                                     SottoSignalingHub *hub,
                                     guint              max_participants_default);

/* Adds the /v1/sessions handlers (and a JSON 404 for every other path). */
void          sotto_rest_api_attach (SottoRestApi      *self,
                                     SoupServer        *server);

G_END_DECLS
