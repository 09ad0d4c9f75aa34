/* bench-join-probe.h: one lean client timing joins, one at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The load generator's workers each hold hundreds of libsoup clients, whose
 * own main loops then dominate the join times they measure. The probe is a
 * blocking OpenSSL client with nothing else to do: TCP connect, TLS 1.3
 * handshake, WebSocket upgrade, join, welcome, close, so its figure is the
 * join latency a newcomer sees while the server holds the load.
 */
#pragma once

#include <glib.h>

/* Joins with each of `tokens` in turn against 127.0.0.1:`port`, until all
 * are used or `budget_s` seconds have passed; appends each join's
 * milliseconds (connect to welcome) to `join_ms` (double). Returns the
 * number of failed joins. */
guint bench_join_probe_run (guint16      port,
                            GPtrArray   *tokens,
                            double       budget_s,
                            GArray      *join_ms);
