/* sotto-moderator-panel.h: who is connected, who watches what, and moderation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sotto-participant-item.h"
#include "sotto-stream-item.h"

G_BEGIN_DECLS

typedef struct {
  guint connections;       /* participants not disconnected */
  guint publishers;        /* participants with at least one stream */
  guint subscriptions;     /* sum of every stream's subscriber count */
  guint max_participants;  /* 0: no limit known */
} SottoModeratorTotals;

/* Counts over a model of SottoParticipantItem and one of SottoStreamItem
 * (either may be NULL). No GTK needed. */
void  sotto_moderator_totals_compute (GListModel                 *participants,
                                      GListModel                 *streams,
                                      guint                       max_participants,
                                      SottoModeratorTotals       *out);
/* "3 of 10 connected · 2 publishing · 4 subscriptions" */
char *sotto_moderator_totals_format  (const SottoModeratorTotals *totals);

#define SOTTO_TYPE_MODERATOR_PANEL (sotto_moderator_panel_get_type ())
G_DECLARE_FINAL_TYPE (SottoModeratorPanel, sotto_moderator_panel, SOTTO, MODERATOR_PANEL, GtkWidget)

/* Signals, emitted only after the person confirmed in a dialog naming the
 * target: "force-disconnect" (const char *participant_id) and
 * "force-unpublish" (const char *stream_id). */
GtkWidget *sotto_moderator_panel_new                  (void);
/* The session layer owns both models (GListStore of the item types) and
 * updates items in place; rows and totals follow live. */
void       sotto_moderator_panel_set_models           (SottoModeratorPanel *self,
                                                       GListModel          *participants,
                                                       GListModel          *streams);
void       sotto_moderator_panel_set_max_participants (SottoModeratorPanel *self,
                                                       guint                max_participants);
void       sotto_moderator_panel_get_totals           (SottoModeratorPanel *self,
                                                       SottoModeratorTotals *out);
const char *sotto_moderator_panel_get_totals_text     (SottoModeratorPanel *self);
/* Opens the confirmation dialog (what the row buttons do) and returns it;
 * its "response" signal with "remove" / "stop" confirms. */
GtkWidget *sotto_moderator_panel_ask_disconnect       (SottoModeratorPanel  *self,
                                                       SottoParticipantItem *item);
GtkWidget *sotto_moderator_panel_ask_unpublish        (SottoModeratorPanel  *self,
                                                       SottoStreamItem      *item);

G_END_DECLS
