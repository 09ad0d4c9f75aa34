/* sotto-token-preview.c: a decoded token in the words shown before joining
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sotto-token-preview.h"

/* Longer names would push the join page's rows off a phone screen. */
#define NAME_MAX_CHARS 64

enum {
  PROP_0,
  PROP_TOKEN,
  PROP_NOW,
  PROP_HOST,
  PROP_ROLE_LABEL,
  PROP_ROLE_DESCRIPTION,
  PROP_NAME,
  PROP_EXPIRY_TEXT,
  PROP_USABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _SottoTokenPreview
{
  GObject     parent_instance;

  SottoToken *token;
  gint64      now;
  char       *host;
  char       *name;
  char       *expiry_text;
  gboolean    usable;
};

G_DEFINE_FINAL_TYPE (SottoTokenPreview, sotto_token_preview, G_TYPE_OBJECT)

typedef enum {
  SPAN_LESS_THAN_A_MINUTE,
  SPAN_MINUTES,
  SPAN_HOURS,
  SPAN_DAYS,
} Span;

/* Minutes round up (a token with 59.5 minutes left "expires in 60 minutes",
 * never "in 0"); hours and days round to the nearest so that a two-hour token
 * read a second after minting still says "2 hours". */
static Span
span_for_seconds (gint64  seconds,
                  gulong *count)
{
  gint64 minutes;
  gint64 hours;

  if (seconds < 60)
    {
      *count = 0;
      return SPAN_LESS_THAN_A_MINUTE;
    }
  minutes = (seconds + 59) / 60;
  if (minutes < 60)
    {
      *count = (gulong) minutes;
      return SPAN_MINUTES;
    }
  hours = (seconds + 1800) / 3600;
  if (hours < 48)
    {
      *count = (gulong) MAX (hours, 1);
      return SPAN_HOURS;
    }
  *count = (gulong) ((seconds + 43200) / 86400);
  return SPAN_DAYS;
}

char *
sotto_token_preview_format_expiry (gint64 seconds)
{
  gulong n;

  if (seconds > 0)
    {
      switch (span_for_seconds (seconds, &n))
        {
        case SPAN_LESS_THAN_A_MINUTE:
          return g_strdup (_("expires in less than a minute"));
        case SPAN_MINUTES:
          return g_strdup_printf (ngettext ("expires in %lu minute", "expires in %lu minutes", n), n);
        case SPAN_HOURS:
          return g_strdup_printf (ngettext ("expires in %lu hour", "expires in %lu hours", n), n);
        case SPAN_DAYS:
        default:
          return g_strdup_printf (ngettext ("expires in %lu day", "expires in %lu days", n), n);
        }
    }

  switch (span_for_seconds (-seconds, &n))
    {
    case SPAN_LESS_THAN_A_MINUTE:
      return g_strdup (_("expired less than a minute ago"));
    case SPAN_MINUTES:
      return g_strdup_printf (ngettext ("expired %lu minute ago", "expired %lu minutes ago", n), n);
    case SPAN_HOURS:
      return g_strdup_printf (ngettext ("expired %lu hour ago", "expired %lu hours ago", n), n);
    case SPAN_DAYS:
    default:
      return g_strdup_printf (ngettext ("expired %lu day ago", "expired %lu days ago", n), n);
    }
}

static char *
format_not_yet_valid (gint64 seconds)
{
  gulong n;

  switch (span_for_seconds (seconds, &n))
    {
    case SPAN_LESS_THAN_A_MINUTE:
      return g_strdup (_("becomes valid in less than a minute"));
    case SPAN_MINUTES:
      return g_strdup_printf (ngettext ("becomes valid in %lu minute",
                                        "becomes valid in %lu minutes", n), n);
    case SPAN_HOURS:
      return g_strdup_printf (ngettext ("becomes valid in %lu hour",
                                        "becomes valid in %lu hours", n), n);
    case SPAN_DAYS:
    default:
      return g_strdup_printf (ngettext ("becomes valid in %lu day",
                                        "becomes valid in %lu days", n), n);
    }
}

static char *
clean_display_name (const char *text)
{
  GString *out = g_string_new (NULL);
  glong n_chars = 0;

  for (const char *p = text; *p != '\0' && n_chars < NAME_MAX_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* A newline or bidi override in someone else's name must not reshape the
       * page around it. */
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        c = ' ';
      g_string_append_unichar (out, c);
      n_chars++;
    }
  if (g_utf8_strlen (text, -1) > NAME_MAX_CHARS)
    g_string_append (out, "…");

  g_strstrip (out->str);
  if (out->str[0] == '\0')
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
sotto_token_preview_name_from_data (const char *data)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;
  const char *name;

  if (data == NULL || !g_utf8_validate (data, -1, NULL))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, -1, NULL))
    return clean_display_name (data);

  /* Valid JSON that is not {"name": "..."} is application data, not a name. */
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "name"))
    return NULL;
  if (json_node_get_value_type (json_object_get_member (object, "name")) != G_TYPE_STRING)
    return NULL;
  name = json_object_get_string_member (object, "name");
  return clean_display_name (name);
}

static void
update_time_dependent (SottoTokenPreview *self)
{
  gint64 not_before = sotto_token_get_not_before (self->token);
  gint64 starts = MAX (not_before, sotto_token_get_issued_at (self->token));
  g_autofree char *text = NULL;
  gboolean usable;

  if (sotto_token_is_expired (self->token, self->now))
    {
      text = sotto_token_preview_format_expiry (sotto_token_get_expires_at (self->token) - self->now);
      usable = FALSE;
    }
  else if (self->now < starts - SOTTO_TOKEN_CLOCK_SKEW)
    {
      text = format_not_yet_valid (starts - self->now);
      usable = FALSE;
    }
  else
    {
      /* Inside the clock-skew tolerance the token still works: say so. */
      text = sotto_token_preview_format_expiry (MAX (sotto_token_get_expires_at (self->token) - self->now, 1));
      usable = TRUE;
    }

  if (g_strcmp0 (text, self->expiry_text) != 0)
    {
      g_free (self->expiry_text);
      self->expiry_text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRY_TEXT]);
    }
  if (usable != self->usable)
    {
      self->usable = usable;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USABLE]);
    }
}

static void
sotto_token_preview_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SottoTokenPreview *self = SOTTO_TOKEN_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_value_set_object (value, self->token);
      break;
    case PROP_NOW:
      g_value_set_int64 (value, self->now);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_ROLE_LABEL:
      g_value_set_string (value, sotto_token_preview_get_role_label (self));
      break;
    case PROP_ROLE_DESCRIPTION:
      g_value_set_string (value, sotto_token_preview_get_role_description (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_EXPIRY_TEXT:
      g_value_set_string (value, self->expiry_text);
      break;
    case PROP_USABLE:
      g_value_set_boolean (value, self->usable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_token_preview_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SottoTokenPreview *self = SOTTO_TOKEN_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      self->token = g_value_dup_object (value);
      break;
    case PROP_NOW:
      sotto_token_preview_set_now (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sotto_token_preview_constructed (GObject *object)
{
  SottoTokenPreview *self = SOTTO_TOKEN_PREVIEW (object);

  G_OBJECT_CLASS (sotto_token_preview_parent_class)->constructed (object);

  g_return_if_fail (SOTTO_IS_TOKEN (self->token));
  self->host = sotto_token_dup_server_host (self->token);
  self->name = sotto_token_preview_name_from_data (sotto_token_get_data (self->token));
  update_time_dependent (self);
}

static void
sotto_token_preview_finalize (GObject *object)
{
  SottoTokenPreview *self = SOTTO_TOKEN_PREVIEW (object);

  g_clear_object (&self->token);
  g_free (self->host);
  g_free (self->name);
  g_free (self->expiry_text);

  G_OBJECT_CLASS (sotto_token_preview_parent_class)->finalize (object);
}

static void
sotto_token_preview_class_init (SottoTokenPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sotto_token_preview_get_property;
  object_class->set_property = sotto_token_preview_set_property;
  object_class->constructed = sotto_token_preview_constructed;
  object_class->finalize = sotto_token_preview_finalize;

  properties[PROP_TOKEN] =
    g_param_spec_object ("token", NULL, NULL, SOTTO_TYPE_TOKEN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOW] =
    g_param_spec_int64 ("now", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE_LABEL] =
    g_param_spec_string ("role-label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE_DESCRIPTION] =
    g_param_spec_string ("role-description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRY_TEXT] =
    g_param_spec_string ("expiry-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USABLE] =
    g_param_spec_boolean ("usable", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sotto_token_preview_init (SottoTokenPreview *self)
{
}

SottoTokenPreview *
sotto_token_preview_new (SottoToken *token,
                         gint64      now)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN (token), NULL);

  return g_object_new (SOTTO_TYPE_TOKEN_PREVIEW, "token", token, "now", now, NULL);
}

SottoToken *
sotto_token_preview_get_token (SottoTokenPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), NULL);
  return self->token;
}

gint64
sotto_token_preview_get_now (SottoTokenPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), 0);
  return self->now;
}

void
sotto_token_preview_set_now (SottoTokenPreview *self,
                             gint64             now)
{
  g_return_if_fail (SOTTO_IS_TOKEN_PREVIEW (self));

  if (self->now == now)
    return;
  self->now = now;
  /* During construction the token arrives after "now"; constructed() updates. */
  if (self->token != NULL)
    update_time_dependent (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOW]);
}

const char *
sotto_token_preview_get_host (SottoTokenPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), NULL);
  return self->host;
}

const char *
sotto_token_preview_get_role_label (SottoTokenPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), NULL);

  switch (sotto_token_get_role (self->token))
    {
    case SOTTO_ROLE_SUBSCRIBER:
      return C_("role", "Subscriber");
    case SOTTO_ROLE_PUBLISHER:
      return C_("role", "Publisher");
    case SOTTO_ROLE_MODERATOR:
      return C_("role", "Moderator");
    default:
      return NULL;
    }
}

const char *
sotto_token_preview_get_role_description (SottoTokenPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), NULL);

  switch (sotto_token_get_role (self->token))
    {
    case SOTTO_ROLE_SUBSCRIBER:
      return _("You can watch and listen");
    case SOTTO_ROLE_PUBLISHER:
      return _("You can watch, listen, and share your camera and microphone");
    case SOTTO_ROLE_MODERATOR:
      return _("You can share, and manage who is in the call");
    default:
      return NULL;
    }
}

const char *
sotto_token_preview_get_name (SottoTokenPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), NULL);
  return self->name;
}

const char *
sotto_token_preview_get_expiry_text (SottoTokenPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), NULL);
  return self->expiry_text;
}

gboolean
sotto_token_preview_get_usable (SottoTokenPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), FALSE);
  return self->usable;
}

gboolean
sotto_token_preview_check (SottoTokenPreview *self,
                           GError           **error)
{
  g_return_val_if_fail (SOTTO_IS_TOKEN_PREVIEW (self), FALSE);

  if (self->usable)
    return TRUE;
  if (sotto_token_is_expired (self->token, self->now))
    g_set_error_literal (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_EXPIRED, self->expiry_text);
  else
    g_set_error_literal (error, SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_NOT_YET_VALID,
                         self->expiry_text);
  return FALSE;
}
