/* Placeholder: the token module lands with the foundation issue. */
#include "sotto-token.h"
G_DEFINE_QUARK (sotto-token-error-quark, sotto_token_error)
