/* sotto-moderator-panel.c: who is connected, who watches what, and moderation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sotto-moderator-panel.h"

enum {
  SIGNAL_FORCE_DISCONNECT,
  SIGNAL_FORCE_UNPUBLISH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _SottoModeratorPanel
{
  GtkWidget   parent_instance;

  /* template */
  GtkWidget  *toplevel_box;
  GtkLabel   *totals_label;
  GtkListBox *participants_list;
  GtkListBox *streams_list;

  GListModel *participants;
  GListModel *streams;
  guint       max_participants;
  char       *totals_text;
};

G_DEFINE_FINAL_TYPE (SottoModeratorPanel, sotto_moderator_panel, GTK_TYPE_WIDGET)

void
sotto_moderator_totals_compute (GListModel           *participants,
                                GListModel           *streams,
                                guint                 max_participants,
                                SottoModeratorTotals *out)
{
  g_autoptr(GHashTable) owners = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  g_return_if_fail (out != NULL);

  *out = (SottoModeratorTotals) { 0, 0, 0, max_participants };

  n = participants != NULL ? g_list_model_get_n_items (participants) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SottoParticipantItem) item = g_list_model_get_item (participants, i);

      if (sotto_participant_item_get_state (item) != SOTTO_CONNECTION_STATE_DISCONNECTED)
        out->connections++;
    }

  n = streams != NULL ? g_list_model_get_n_items (streams) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SottoStreamItem) item = g_list_model_get_item (streams, i);
      const char *owner = sotto_stream_item_get_owner_id (item);

      out->subscriptions += sotto_stream_item_get_subscriber_count (item);
      /* Items stay alive in the model while the table is used. */
      if (owner != NULL)
        g_hash_table_add (owners, (gpointer) owner);
    }
  out->publishers = g_hash_table_size (owners);
}

char *
sotto_moderator_totals_format (const SottoModeratorTotals *totals)
{
  g_autofree char *connected = NULL;
  g_autofree char *publishing = NULL;
  g_autofree char *subscriptions = NULL;

  g_return_val_if_fail (totals != NULL, NULL);

  if (totals->max_participants > 0)
    connected = g_strdup_printf (ngettext ("%u of %u connected", "%u of %u connected",
                                           totals->max_participants),
                                 totals->connections, totals->max_participants);
  else
    connected = g_strdup_printf (ngettext ("%u connected", "%u connected", totals->connections),
                                 totals->connections);
  publishing = g_strdup_printf (ngettext ("%u publishing", "%u publishing", totals->publishers),
                                totals->publishers);
  subscriptions = g_strdup_printf (ngettext ("%u subscription", "%u subscriptions",
                                             totals->subscriptions),
                                   totals->subscriptions);
  /* TRANSLATORS: the three session totals joined, e.g.
   * "3 of 10 connected · 2 publishing · 4 subscriptions" */
  return g_strdup_printf (_("%s · %s · %s"), connected, publishing, subscriptions);
}

static void
update_totals (SottoModeratorPanel *self)
{
  SottoModeratorTotals totals;

  sotto_moderator_totals_compute (self->participants, self->streams, self->max_participants,
                                  &totals);
  g_free (self->totals_text);
  self->totals_text = sotto_moderator_totals_format (&totals);
  gtk_label_set_text (self->totals_label, self->totals_text);
}

static void
on_model_changed (SottoModeratorPanel *self)
{
  update_totals (self);
}

static void
on_confirm_response (GObject    *dialog,
                     const char *response,
                     gpointer    user_data)
{
  GWeakRef *panel_ref = g_object_get_data (dialog, "sotto-panel");
  g_autoptr(SottoModeratorPanel) self = panel_ref != NULL ? g_weak_ref_get (panel_ref) : NULL;
  const char *target = g_object_get_data (dialog, "sotto-target");

  if (self == NULL || target == NULL)
    return;
  if (g_strcmp0 (response, "remove") == 0)
    g_signal_emit (self, signals[SIGNAL_FORCE_DISCONNECT], 0, target);
  else if (g_strcmp0 (response, "stop") == 0)
    g_signal_emit (self, signals[SIGNAL_FORCE_UNPUBLISH], 0, target);
}

static void
free_weak_ref (gpointer data)
{
  GWeakRef *ref = data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

/* libadwaita 1.5 replaced the message dialog (a window) with the alert
 * dialog (a widget presented over its parent); Debian 12 has 1.2. */
static GtkWidget *
confirm (SottoModeratorPanel *self,
         const char          *heading,
         const char          *body,
         const char          *response_id,
         const char          *response_label,
         const char          *target)
{
  GtkWidget *dialog;
  GWeakRef *panel_ref;

#if ADW_CHECK_VERSION (1, 5, 0)
  dialog = adw_alert_dialog_new (heading, body);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  response_id, response_label,
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), response_id,
                                            ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
#else
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response_id, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response_id,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
#endif

  /* The dialog may outlive the panel (the call closes meanwhile). */
  panel_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (panel_ref, self);
  g_object_set_data_full (G_OBJECT (dialog), "sotto-panel", panel_ref, free_weak_ref);
  g_object_set_data_full (G_OBJECT (dialog), "sotto-target", g_strdup (target), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), NULL);

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (self));
#else
  gtk_window_present (GTK_WINDOW (dialog));
#endif
  return dialog;
}

GtkWidget *
sotto_moderator_panel_ask_disconnect (SottoModeratorPanel  *self,
                                      SottoParticipantItem *item)
{
  g_autofree char *heading = NULL;
  const char *name;

  g_return_val_if_fail (SOTTO_IS_MODERATOR_PANEL (self), NULL);
  g_return_val_if_fail (SOTTO_IS_PARTICIPANT_ITEM (item), NULL);

  name = sotto_participant_item_get_display_name (item);
  /* TRANSLATORS: %s is a participant's name */
  heading = g_strdup_printf (_("Remove %s?"), name);
  return confirm (self, heading,
                  _("They leave the call at once and cannot rejoin with the same token."),
                  "remove", _("_Remove"), sotto_participant_item_get_id (item));
}

GtkWidget *
sotto_moderator_panel_ask_unpublish (SottoModeratorPanel *self,
                                     SottoStreamItem     *item)
{
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (SOTTO_IS_MODERATOR_PANEL (self), NULL);
  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (item), NULL);

  title = sotto_stream_item_dup_title (item);
  /* TRANSLATORS: %s is a stream title such as "Ana’s camera" */
  heading = g_strdup_printf (_("Stop %s?"), title);
  return confirm (self, heading,
                  _("Nobody will see or hear this stream any more. They stay in the call."),
                  "stop", _("_Stop Stream"), sotto_stream_item_get_id (item));
}

static void
on_remove_clicked (GtkButton *button,
                   gpointer   user_data)
{
  SottoModeratorPanel *self = user_data;
  SottoParticipantItem *item = g_object_get_data (G_OBJECT (button), "sotto-item");

  sotto_moderator_panel_ask_disconnect (self, item);
}

static void
on_stop_clicked (GtkButton *button,
                 gpointer   user_data)
{
  SottoModeratorPanel *self = user_data;
  SottoStreamItem *item = g_object_get_data (G_OBJECT (button), "sotto-item");

  sotto_moderator_panel_ask_unpublish (self, item);
}

static void
sync_participant_row (SottoParticipantItem *item,
                      GParamSpec           *pspec,
                      AdwActionRow         *row)
{
  g_autofree char *subtitle = sotto_participant_item_dup_subtitle (item);
  g_autofree char *title = NULL;

  if (sotto_participant_item_get_is_self (item))
    /* TRANSLATORS: %s is your own name in the list of participants */
    title = g_strdup_printf (_("%s (you)"), sotto_participant_item_get_display_name (item));
  else
    title = g_strdup (sotto_participant_item_get_display_name (item));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
}

static GtkWidget *
create_participant_row (gpointer object,
                        gpointer user_data)
{
  SottoModeratorPanel *self = user_data;
  SottoParticipantItem *item = object;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, sotto_participant_item_get_name (item), TRUE);
  GtkWidget *button;
  g_autofree char *label = NULL;

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  sync_participant_row (item, NULL, ADW_ACTION_ROW (row));
  g_signal_connect_object (item, "notify", G_CALLBACK (sync_participant_row), row, 0);
  g_signal_connect_object (item, "notify::state", G_CALLBACK (on_model_changed), self,
                           G_CONNECT_SWAPPED);

  if (!sotto_participant_item_get_is_self (item))
    {
      button = gtk_button_new_with_mnemonic (_("_Remove"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* Flat like "Stop": the confirmation dialog carries the red button. */
      gtk_widget_add_css_class (button, "flat");
      /* TRANSLATORS: accessible label; %s is a participant's name */
      label = g_strdup_printf (_("Remove %s from the call"),
                               sotto_participant_item_get_display_name (item));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      g_object_set_data_full (G_OBJECT (button), "sotto-item", g_object_ref (item),
                              g_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
sync_stream_row (SottoStreamItem *item,
                 GParamSpec      *pspec,
                 AdwActionRow    *row)
{
  g_autofree char *title = sotto_stream_item_dup_title (item);
  g_autofree char *subtitle = sotto_stream_item_dup_subtitle (item);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
}

static GtkWidget *
create_stream_row (gpointer object,
                   gpointer user_data)
{
  SottoModeratorPanel *self = user_data;
  SottoStreamItem *item = object;
  GtkWidget *row = adw_action_row_new ();
  /* Decorative: the row's title already says what the stream is. */
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "icon-name", "camera-web-symbolic",
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Stop"));
  g_autofree char *title = sotto_stream_item_dup_title (item);
  g_autofree char *label = NULL;

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  sync_stream_row (item, NULL, ADW_ACTION_ROW (row));
  g_signal_connect_object (item, "notify", G_CALLBACK (sync_stream_row), row, 0);
  g_signal_connect_object (item, "notify::subscriber-count", G_CALLBACK (on_model_changed),
                           self, G_CONNECT_SWAPPED);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* TRANSLATORS: accessible label; %s is a stream title such as "Ana’s camera" */
  label = g_strdup_printf (_("Stop %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  g_object_set_data_full (G_OBJECT (button), "sotto-item", g_object_ref (item), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_stop_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
disconnect_models (SottoModeratorPanel *self)
{
  if (self->participants != NULL)
    g_signal_handlers_disconnect_by_func (self->participants, on_model_changed, self);
  if (self->streams != NULL)
    g_signal_handlers_disconnect_by_func (self->streams, on_model_changed, self);
}

static void
sotto_moderator_panel_dispose (GObject *object)
{
  SottoModeratorPanel *self = SOTTO_MODERATOR_PANEL (object);

  disconnect_models (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SOTTO_TYPE_MODERATOR_PANEL);
  g_clear_object (&self->participants);
  g_clear_object (&self->streams);

  G_OBJECT_CLASS (sotto_moderator_panel_parent_class)->dispose (object);
}

static void
sotto_moderator_panel_finalize (GObject *object)
{
  SottoModeratorPanel *self = SOTTO_MODERATOR_PANEL (object);

  g_free (self->totals_text);

  G_OBJECT_CLASS (sotto_moderator_panel_parent_class)->finalize (object);
}

static void
sotto_moderator_panel_class_init (SottoModeratorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sotto_moderator_panel_dispose;
  object_class->finalize = sotto_moderator_panel_finalize;

  signals[SIGNAL_FORCE_DISCONNECT] =
    g_signal_new ("force-disconnect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_FORCE_UNPUBLISH] =
    g_signal_new ("force-unpublish", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sotto/Sotto/sotto-moderator-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SottoModeratorPanel, toplevel_box);
  gtk_widget_class_bind_template_child (widget_class, SottoModeratorPanel, totals_label);
  gtk_widget_class_bind_template_child (widget_class, SottoModeratorPanel, participants_list);
  gtk_widget_class_bind_template_child (widget_class, SottoModeratorPanel, streams_list);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sotto_moderator_panel_init (SottoModeratorPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_totals (self);
}

GtkWidget *
sotto_moderator_panel_new (void)
{
  return g_object_new (SOTTO_TYPE_MODERATOR_PANEL, NULL);
}

void
sotto_moderator_panel_set_models (SottoModeratorPanel *self,
                                  GListModel          *participants,
                                  GListModel          *streams)
{
  g_return_if_fail (SOTTO_IS_MODERATOR_PANEL (self));
  g_return_if_fail (participants == NULL || G_IS_LIST_MODEL (participants));
  g_return_if_fail (streams == NULL || G_IS_LIST_MODEL (streams));

  disconnect_models (self);
  g_set_object (&self->participants, participants);
  g_set_object (&self->streams, streams);

  gtk_list_box_bind_model (self->participants_list, participants, create_participant_row,
                           self, NULL);
  gtk_list_box_bind_model (self->streams_list, streams, create_stream_row, self, NULL);
  if (participants != NULL)
    g_signal_connect_swapped (participants, "items-changed", G_CALLBACK (on_model_changed), self);
  if (streams != NULL)
    g_signal_connect_swapped (streams, "items-changed", G_CALLBACK (on_model_changed), self);
  update_totals (self);
}

void
sotto_moderator_panel_set_max_participants (SottoModeratorPanel *self,
                                            guint                max_participants)
{
  g_return_if_fail (SOTTO_IS_MODERATOR_PANEL (self));

  self->max_participants = max_participants;
  update_totals (self);
}

void
sotto_moderator_panel_get_totals (SottoModeratorPanel  *self,
                                  SottoModeratorTotals *out)
{
  g_return_if_fail (SOTTO_IS_MODERATOR_PANEL (self));
  sotto_moderator_totals_compute (self->participants, self->streams, self->max_participants, out);
}

const char *
sotto_moderator_panel_get_totals_text (SottoModeratorPanel *self)
{
  g_return_val_if_fail (SOTTO_IS_MODERATOR_PANEL (self), NULL);
  return self->totals_text;
}
