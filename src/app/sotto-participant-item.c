/* sotto-participant-item.c: one connected person, as the moderator panel shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>

#include "sotto-participant-item.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ROLE,
  PROP_STATE,
  PROP_IS_SELF,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _SottoParticipantItem
{
  GObject              parent_instance;

  char                *id;
  char                *name;
  SottoRole            role;
  SottoConnectionState state;
  gboolean             is_self;
};

G_DEFINE_FINAL_TYPE (SottoParticipantItem, sotto_participant_item, G_TYPE_OBJECT)

static const char *
role_label (SottoRole role)
{
  switch (role)
    {
    case SOTTO_ROLE_SUBSCRIBER:
      return C_("role", "Subscriber");
    case SOTTO_ROLE_PUBLISHER:
      return C_("role", "Publisher");
    case SOTTO_ROLE_MODERATOR:
      return C_("role", "Moderator");
    default:
      return "";
    }
}

static const char *
state_label (SottoConnectionState state)
{
  switch (state)
    {
    case SOTTO_CONNECTION_STATE_CONNECTING:
      return _("Connecting…");
    case SOTTO_CONNECTION_STATE_CONNECTED:
      return _("Connected");
    case SOTTO_CONNECTION_STATE_RECONNECTING:
      return _("Reconnecting…");
    case SOTTO_CONNECTION_STATE_DISCONNECTED:
      return _("Disconnected");
    default:
      return "";
    }
}

static void
sotto_participant_item_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SottoParticipantItem *self = SOTTO_PARTICIPANT_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ROLE:
      g_value_set_int (value, self->role);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_IS_SELF:
      g_value_set_boolean (value, self->is_self);
      break;
    case PROP_SUBTITLE:
      g_value_take_string (value, sotto_participant_item_dup_subtitle (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_participant_item_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SottoParticipantItem *self = SOTTO_PARTICIPANT_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      sotto_participant_item_set_name (self, g_value_get_string (value));
      break;
    case PROP_ROLE:
      sotto_participant_item_set_role (self, g_value_get_int (value));
      break;
    case PROP_STATE:
      sotto_participant_item_set_state (self, g_value_get_int (value));
      break;
    case PROP_IS_SELF:
      sotto_participant_item_set_is_self (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_participant_item_finalize (GObject *object)
{
  SottoParticipantItem *self = SOTTO_PARTICIPANT_ITEM (object);

  g_free (self->id);
  g_free (self->name);

  G_OBJECT_CLASS (sotto_participant_item_parent_class)->finalize (object);
}

static void
sotto_participant_item_class_init (SottoParticipantItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_participant_item_get_property;
  object_class->set_property = sotto_participant_item_set_property;
  object_class->finalize = sotto_participant_item_finalize;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, SOTTO_ROLE_SUBSCRIBER, SOTTO_ROLE_MODERATOR,
                      SOTTO_ROLE_SUBSCRIBER,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, SOTTO_CONNECTION_STATE_CONNECTING,
                      SOTTO_CONNECTION_STATE_DISCONNECTED, SOTTO_CONNECTION_STATE_CONNECTING,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_SELF] =
    g_param_spec_boolean ("is-self", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sotto_participant_item_init (SottoParticipantItem *self)
{
}

SottoParticipantItem *
sotto_participant_item_new (const char *id,
                            const char *name,
                            SottoRole   role)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (SOTTO_TYPE_PARTICIPANT_ITEM, "id", id, "name", name, "role", role, NULL);
}

const char *
sotto_participant_item_get_id (SottoParticipantItem *self)
{
  g_return_val_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self), NULL);
  return self->id;
}

const char *
sotto_participant_item_get_name (SottoParticipantItem *self)
{
  g_return_val_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self), NULL);
  return self->name;
}

void
sotto_participant_item_set_name (SottoParticipantItem *self,
                                 const char           *name)
{
  g_return_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

SottoRole
sotto_participant_item_get_role (SottoParticipantItem *self)
{
  g_return_val_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self), SOTTO_ROLE_SUBSCRIBER);
  return self->role;
}

void
sotto_participant_item_set_role (SottoParticipantItem *self,
                                 SottoRole             role)
{
  g_return_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self));

  if (self->role == role)
    return;
  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

SottoConnectionState
sotto_participant_item_get_state (SottoParticipantItem *self)
{
  g_return_val_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self), SOTTO_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

void
sotto_participant_item_set_state (SottoParticipantItem *self,
                                  SottoConnectionState  state)
{
  g_return_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

gboolean
sotto_participant_item_get_is_self (SottoParticipantItem *self)
{
  g_return_val_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self), FALSE);
  return self->is_self;
}

void
sotto_participant_item_set_is_self (SottoParticipantItem *self,
                                    gboolean              is_self)
{
  g_return_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self));

  is_self = !!is_self;
  if (self->is_self == is_self)
    return;
  self->is_self = is_self;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SELF]);
}

const char *
sotto_participant_item_get_display_name (SottoParticipantItem *self)
{
  g_return_val_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self), NULL);

  if (self->name != NULL && *self->name != '\0')
    return self->name;
  return _("Anonymous");
}

char *
sotto_participant_item_dup_subtitle (SottoParticipantItem *self)
{
  g_return_val_if_fail (SOTTO_IS_PARTICIPANT_ITEM (self), NULL);

  /* TRANSLATORS: role and connection state, e.g. "Moderator · Connected" */
  return g_strdup_printf (_("%s · %s"), role_label (self->role), state_label (self->state));
}
