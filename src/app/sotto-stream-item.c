/* sotto-stream-item.c: one published stream and how many watch it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>

#include "sotto-stream-item.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_OWNER_ID,
  PROP_OWNER_NAME,
  PROP_HAS_VIDEO,
  PROP_HAS_AUDIO,
  PROP_SUBSCRIBER_COUNT,
  PROP_AUDIO_ACTIVE,
  PROP_VIDEO_ACTIVE,
  PROP_MUTED,
  PROP_CAMERA_OFF,
  PROP_TITLE,
  PROP_COUNT_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _SottoStreamItem
{
  GObject   parent_instance;

  char     *id;
  char     *owner_id;
  char     *owner_name;
  gboolean  has_video;
  gboolean  has_audio;
  guint     subscriber_count;
  gboolean  audio_active;   /* what the owner says (stream-state) */
  gboolean  video_active;
};

G_DEFINE_FINAL_TYPE (SottoStreamItem, sotto_stream_item, G_TYPE_OBJECT)

static void
sotto_stream_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SottoStreamItem *self = SOTTO_STREAM_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_OWNER_ID:
      g_value_set_string (value, self->owner_id);
      break;
    case PROP_OWNER_NAME:
      g_value_set_string (value, self->owner_name);
      break;
    case PROP_HAS_VIDEO:
      g_value_set_boolean (value, self->has_video);
      break;
    case PROP_HAS_AUDIO:
      g_value_set_boolean (value, self->has_audio);
      break;
    case PROP_SUBSCRIBER_COUNT:
      g_value_set_uint (value, self->subscriber_count);
      break;
    case PROP_AUDIO_ACTIVE:
      g_value_set_boolean (value, self->audio_active);
      break;
    case PROP_VIDEO_ACTIVE:
      g_value_set_boolean (value, self->video_active);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, sotto_stream_item_get_muted (self));
      break;
    case PROP_CAMERA_OFF:
      g_value_set_boolean (value, sotto_stream_item_get_camera_off (self));
      break;
    case PROP_TITLE:
      g_value_take_string (value, sotto_stream_item_dup_title (self));
      break;
    case PROP_COUNT_TEXT:
      g_value_take_string (value, sotto_stream_item_dup_count_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_stream_item_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SottoStreamItem *self = SOTTO_STREAM_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_OWNER_ID:
      self->owner_id = g_value_dup_string (value);
      break;
    case PROP_OWNER_NAME:
      sotto_stream_item_set_owner_name (self, g_value_get_string (value));
      break;
    case PROP_HAS_VIDEO:
      self->has_video = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, properties[PROP_TITLE]);
      break;
    case PROP_HAS_AUDIO:
      self->has_audio = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, properties[PROP_TITLE]);
      break;
    case PROP_SUBSCRIBER_COUNT:
      sotto_stream_item_set_subscriber_count (self, g_value_get_uint (value));
      break;
    case PROP_AUDIO_ACTIVE:
      sotto_stream_item_set_active (self, g_value_get_boolean (value), self->video_active);
      break;
    case PROP_VIDEO_ACTIVE:
      sotto_stream_item_set_active (self, self->audio_active, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_stream_item_finalize (GObject *object)
{
  SottoStreamItem *self = SOTTO_STREAM_ITEM (object);

  g_free (self->id);
  g_free (self->owner_id);
  g_free (self->owner_name);

  G_OBJECT_CLASS (sotto_stream_item_parent_class)->finalize (object);
}

static void
sotto_stream_item_class_init (SottoStreamItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_stream_item_get_property;
  object_class->set_property = sotto_stream_item_set_property;
  object_class->finalize = sotto_stream_item_finalize;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWNER_ID] =
    g_param_spec_string ("owner-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWNER_NAME] =
    g_param_spec_string ("owner-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_VIDEO] =
    g_param_spec_boolean ("has-video", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_AUDIO] =
    g_param_spec_boolean ("has-audio", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBSCRIBER_COUNT] =
    g_param_spec_uint ("subscriber-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUDIO_ACTIVE] =
    g_param_spec_boolean ("audio-active", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIDEO_ACTIVE] =
    g_param_spec_boolean ("video-active", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERA_OFF] =
    g_param_spec_boolean ("camera-off", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT_TEXT] =
    g_param_spec_string ("count-text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sotto_stream_item_init (SottoStreamItem *self)
{
  self->audio_active = TRUE;
  self->video_active = TRUE;
}

SottoStreamItem *
sotto_stream_item_new (const char *id,
                       const char *owner_id,
                       const char *owner_name,
                       gboolean    has_video,
                       gboolean    has_audio)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (SOTTO_TYPE_STREAM_ITEM,
                       "id", id,
                       "owner-id", owner_id,
                       "owner-name", owner_name,
                       "has-video", has_video,
                       "has-audio", has_audio,
                       NULL);
}

const char *
sotto_stream_item_get_id (SottoStreamItem *self)
{
  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), NULL);
  return self->id;
}

const char *
sotto_stream_item_get_owner_id (SottoStreamItem *self)
{
  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), NULL);
  return self->owner_id;
}

const char *
sotto_stream_item_get_owner_name (SottoStreamItem *self)
{
  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), NULL);
  return self->owner_name;
}

void
sotto_stream_item_set_owner_name (SottoStreamItem *self,
                                  const char      *owner_name)
{
  g_return_if_fail (SOTTO_IS_STREAM_ITEM (self));

  if (g_strcmp0 (self->owner_name, owner_name) == 0)
    return;
  g_free (self->owner_name);
  self->owner_name = g_strdup (owner_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNER_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

guint
sotto_stream_item_get_subscriber_count (SottoStreamItem *self)
{
  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), 0);
  return self->subscriber_count;
}

void
sotto_stream_item_set_subscriber_count (SottoStreamItem *self,
                                        guint            count)
{
  g_return_if_fail (SOTTO_IS_STREAM_ITEM (self));

  if (self->subscriber_count == count)
    return;
  self->subscriber_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIBER_COUNT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT_TEXT]);
}

void
sotto_stream_item_set_active (SottoStreamItem *self,
                              gboolean         audio_active,
                              gboolean         video_active)
{
  gboolean was_muted, was_camera_off;

  g_return_if_fail (SOTTO_IS_STREAM_ITEM (self));

  audio_active = !!audio_active;
  video_active = !!video_active;
  if (self->audio_active == audio_active && self->video_active == video_active)
    return;
  was_muted = sotto_stream_item_get_muted (self);
  was_camera_off = sotto_stream_item_get_camera_off (self);
  g_object_freeze_notify (G_OBJECT (self));
  if (self->audio_active != audio_active)
    {
      self->audio_active = audio_active;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_ACTIVE]);
    }
  if (self->video_active != video_active)
    {
      self->video_active = video_active;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_ACTIVE]);
    }
  if (was_muted != sotto_stream_item_get_muted (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
  if (was_camera_off != sotto_stream_item_get_camera_off (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_OFF]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
sotto_stream_item_get_muted (SottoStreamItem *self)
{
  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), FALSE);
  /* Nothing to hear is shown the same as a muted microphone. */
  return !self->has_audio || !self->audio_active;
}

gboolean
sotto_stream_item_get_camera_off (SottoStreamItem *self)
{
  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), FALSE);
  return !self->has_video || !self->video_active;
}

char *
sotto_stream_item_dup_title (SottoStreamItem *self)
{
  const char *owner;

  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), NULL);

  owner = self->owner_name != NULL && *self->owner_name != '\0' ? self->owner_name
                                                                 : _("Anonymous");
  if (self->has_video && self->has_audio)
    /* TRANSLATORS: %s is a participant's name */
    return g_strdup_printf (_("%s’s camera and microphone"), owner);
  if (self->has_video)
    /* TRANSLATORS: %s is a participant's name */
    return g_strdup_printf (_("%s’s camera"), owner);
  /* TRANSLATORS: %s is a participant's name */
  return g_strdup_printf (_("%s’s microphone"), owner);
}

char *
sotto_stream_item_dup_subtitle (SottoStreamItem *self)
{
  g_autofree char *count = NULL;
  gboolean camera_off, microphone_off;
  const char *state;

  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), NULL);

  count = sotto_stream_item_dup_count_text (self);
  /* Only what the stream carries can be off. */
  camera_off = self->has_video && !self->video_active;
  microphone_off = self->has_audio && !self->audio_active;
  if (camera_off && microphone_off)
    state = _("Camera and microphone off");
  else if (camera_off)
    state = _("Camera off");
  else if (microphone_off)
    state = _("Microphone off");
  else
    return g_steal_pointer (&count);
  /* TRANSLATORS: a stream's viewers and what is off, e.g. "3 watching · Camera off" */
  return g_strdup_printf (_("%s · %s"), count, state);
}

char *
sotto_stream_item_format_watching (guint count)
{
  if (count == 0)
    return g_strdup (_("Nobody watching"));
  return g_strdup_printf (ngettext ("%u watching", "%u watching", count), count);
}

char *
sotto_stream_item_dup_count_text (SottoStreamItem *self)
{
  g_return_val_if_fail (SOTTO_IS_STREAM_ITEM (self), NULL);
  return sotto_stream_item_format_watching (self->subscriber_count);
}
