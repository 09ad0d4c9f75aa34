/* sotto-participant-item.h: one connected person, as the moderator panel shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sotto-token.h"

G_BEGIN_DECLS

typedef enum {
  SOTTO_CONNECTION_STATE_CONNECTING,
  SOTTO_CONNECTION_STATE_CONNECTED,
  SOTTO_CONNECTION_STATE_RECONNECTING,
  SOTTO_CONNECTION_STATE_DISCONNECTED,
} SottoConnectionState;

#define SOTTO_TYPE_PARTICIPANT_ITEM (sotto_participant_item_get_type ())
G_DECLARE_FINAL_TYPE (SottoParticipantItem, sotto_participant_item, SOTTO, PARTICIPANT_ITEM, GObject)

/* A plain GObject the session layer keeps in a GListStore and updates in
 * place; the panel follows "notify". Properties: id (construct-only), name,
 * role (SottoRole as int), state (SottoConnectionState as int), is-self,
 * subtitle (read-only: "Moderator · Connected"). */
SottoParticipantItem *sotto_participant_item_new        (const char           *id,
                                                         const char           *name,
                                                         SottoRole             role);
const char           *sotto_participant_item_get_id     (SottoParticipantItem *self);
const char           *sotto_participant_item_get_name   (SottoParticipantItem *self);
void                  sotto_participant_item_set_name   (SottoParticipantItem *self,
                                                         const char           *name);
SottoRole             sotto_participant_item_get_role   (SottoParticipantItem *self);
void                  sotto_participant_item_set_role   (SottoParticipantItem *self,
                                                         SottoRole             role);
SottoConnectionState  sotto_participant_item_get_state  (SottoParticipantItem *self);
void                  sotto_participant_item_set_state  (SottoParticipantItem *self,
                                                         SottoConnectionState  state);
gboolean              sotto_participant_item_get_is_self (SottoParticipantItem *self);
void                  sotto_participant_item_set_is_self (SottoParticipantItem *self,
                                                          gboolean              is_self);
/* The name to show: the name, or "Anonymous" when the token gave none. */
const char           *sotto_participant_item_get_display_name (SottoParticipantItem *self);
char                 *sotto_participant_item_dup_subtitle     (SottoParticipantItem *self);

G_END_DECLS
