/* sotto-call-error.c: the call's error domain and sotto-call's exit codes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "sotto-call-error.h"

G_DEFINE_QUARK (sotto-call-error-quark, sotto_call_error)

int
sotto_call_error_exit_code (const GError *error)
{
  if (!error)
    return 0;
  if (error->domain != SOTTO_CALL_ERROR)
    return 1;

  switch ((SottoCallError) error->code)
    {
    case SOTTO_CALL_ERROR_BAD_TOKEN:          return 3;
    case SOTTO_CALL_ERROR_EXPIRED_TOKEN:      return 4;
    case SOTTO_CALL_ERROR_SERVER_UNREACHABLE: return 5;
    case SOTTO_CALL_ERROR_PIN_MISMATCH:       return 6;
    case SOTTO_CALL_ERROR_SESSION_FULL:       return 7;
    case SOTTO_CALL_ERROR_ROLE_REFUSED:       return 8;
    case SOTTO_CALL_ERROR_TRANSPORT_FAILED:   return 9;
    case SOTTO_CALL_ERROR_KICKED:             return 10;
    case SOTTO_CALL_ERROR_SESSION_ENDED:      return 11;
    case SOTTO_CALL_ERROR_REJECTED:           return 12;
    case SOTTO_CALL_ERROR_MEDIA:              return 13;
    case SOTTO_CALL_ERROR_PROTOCOL:
    default:
      return 1;
    }
}
