/* sotto-error-text.c: every failure in words a person understands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "sotto-error-text.h"
#include "sotto-token.h"

#include "sotto-call-error.h"

static const char *
describe_token_error (int code)
{
  switch ((SottoTokenError) code)
    {
    case SOTTO_TOKEN_ERROR_TOO_LONG:
      return _("This is too long to be a Sotto token. Check that you copied only the token.");
    case SOTTO_TOKEN_ERROR_MALFORMED:
    case SOTTO_TOKEN_ERROR_BAD_BASE64:
    case SOTTO_TOKEN_ERROR_BAD_JSON:
      return _("This does not look like a Sotto token. Check that you copied all of it.");
    case SOTTO_TOKEN_ERROR_UNSUPPORTED_ALG:
      return _("This token was not made by a Sotto server. Ask for a new one.");
    case SOTTO_TOKEN_ERROR_MISSING_CLAIM:
    case SOTTO_TOKEN_ERROR_INVALID_CLAIM:
    case SOTTO_TOKEN_ERROR_UNKNOWN_ROLE:
      return _("This token is incomplete or damaged. Ask for a new one.");
    case SOTTO_TOKEN_ERROR_BAD_SIGNATURE:
      return _("This token was changed after it was made. Ask for a new one.");
    case SOTTO_TOKEN_ERROR_EXPIRED:
      return _("This token has expired. Ask for a new one.");
    case SOTTO_TOKEN_ERROR_NOT_YET_VALID:
      return _("This token is not valid yet. Wait until it starts, or check this computer’s date and time.");
    case SOTTO_TOKEN_ERROR_WRONG_SESSION:
      return _("This token is for a different call. Ask for a new one.");
    case SOTTO_TOKEN_ERROR_WEAK_SECRET:
      return _("The server is set up with a weak secret. Tell the person who runs it.");
    default:
      return NULL;
    }
}

static const char *
describe_call_error (int code)
{
  switch ((SottoCallError) code)
    {
    case SOTTO_CALL_ERROR_BAD_TOKEN:
      return _("This does not look like a Sotto token. Check that you copied all of it.");
    case SOTTO_CALL_ERROR_EXPIRED_TOKEN:
      return _("This token has expired. Ask for a new one.");
    case SOTTO_CALL_ERROR_SERVER_UNREACHABLE:
      return _("The server cannot be reached. Check your internet connection and try again.");
    case SOTTO_CALL_ERROR_PIN_MISMATCH:
      return _("This token does not match the server; ask for a new one.");
    case SOTTO_CALL_ERROR_SESSION_FULL:
      return _("This call is full. Try again later, or ask a moderator to make room.");
    case SOTTO_CALL_ERROR_ROLE_REFUSED:
      return _("Your role in this call does not allow that. Ask for a token with another role.");
    case SOTTO_CALL_ERROR_TRANSPORT_FAILED:
      return _("The connection to another participant was lost. Check your network; Sotto keeps trying.");
    case SOTTO_CALL_ERROR_KICKED:
      return _("A moderator removed you from the call.");
    case SOTTO_CALL_ERROR_SESSION_ENDED:
      return _("The call has ended.");
    case SOTTO_CALL_ERROR_REJECTED:
      return _("The server refused this token. Ask for a new one.");
    case SOTTO_CALL_ERROR_MEDIA:
      return _("Your camera or microphone cannot be used. Check that it is connected and not used by another app.");
    case SOTTO_CALL_ERROR_PROTOCOL:
      return _("The server sent something this version of Sotto does not understand. Check for an update.");
    default:
      return NULL;
    }
}

static const char *
describe_io_error (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return _("The server cannot be reached. Check your internet connection and try again.");

  if (error->domain == G_TLS_ERROR)
    return _("A secure connection to the server could not be made. Ask for a new token.");

  if (error->domain != G_IO_ERROR)
    return NULL;

  switch (error->code)
    {
    case G_IO_ERROR_HOST_NOT_FOUND:
    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
    case G_IO_ERROR_CONNECTION_REFUSED:
    case G_IO_ERROR_TIMED_OUT:
      return _("The server cannot be reached. Check your internet connection and try again.");
    case G_IO_ERROR_CONNECTION_CLOSED:
    case G_IO_ERROR_NOT_CONNECTED:
      return sotto_error_text_network_lost ();
    default:
      return NULL;
    }
}

char *
sotto_error_text_describe (const GError *error)
{
  const char *text = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == SOTTO_TOKEN_ERROR)
    text = describe_token_error (error->code);
  else if (error->domain == SOTTO_CALL_ERROR)
    text = describe_call_error (error->code);
  /* ---- more session-layer domains (signaling, transport) map here ---- */
  else
    text = describe_io_error (error);

  if (text != NULL)
    return g_strdup (text);

  /* TRANSLATORS: %s is a technical error message from a lower layer. */
  return g_strdup_printf (_("Something went wrong: %s"), error->message);
}

const char *
sotto_error_text_reconnecting (void)
{
  return _("Reconnecting…");
}

const char *
sotto_error_text_network_lost (void)
{
  return _("The network connection was lost. Reconnecting…");
}
