/* transport-test-link.h: an in-process datagram link between two endpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Datagrams are delivered from an idle source on the thread-default main
 * context, never synchronously, so a sender is never re-entered; a seeded
 * GRand drops a fraction of them; every datagram is recorded for inspection.
 */
#pragma once

#include <glib.h>

typedef void (*TestLinkReceiveFunc) (const guint8 *data,
                                     gsize         len,
                                     gpointer      user_data);

typedef struct _TestLink TestLink;

TestLink  *test_link_new          (guint32              seed);
void       test_link_free         (TestLink            *link);
void       test_link_set_receiver (TestLink            *link,
                                   guint                side,
                                   TestLinkReceiveFunc  func,
                                   gpointer             user_data);
/* Fraction in [0, 1] of datagrams dropped, in both directions. */
void       test_link_set_drop_rate (TestLink           *link,
                                    double              rate);
/* Stop delivering to `side` (a peer that has gone silent). */
void       test_link_set_blackhole (TestLink           *link,
                                    guint               side,
                                    gboolean            blackhole);
/* Send from `side` to the other side: a SottoDatagramSendFunc's body. */
void       test_link_send         (TestLink            *link,
                                   guint                from_side,
                                   const guint8        *data,
                                   gsize                len);
/* Every datagram sent from `side`, dropped or not (GBytes). */
GPtrArray *test_link_get_sent     (TestLink            *link,
                                   guint                side);
/* Monotonic time of each send from `side`, parallel to get_sent. */
GArray    *test_link_get_send_times (TestLink          *link,
                                     guint              side);

/* Datagrams the link dropped on purpose so far. */
guint      test_link_get_dropped  (TestLink            *link);

/* Runs the thread-default main context until *flag is TRUE or timeout_ms. */
gboolean   test_wait_for_flag     (const gboolean      *flag,
                                   guint                timeout_ms);
/* Datagrams the link dropped on purpose so far. */
guint      test_link_get_dropped  (TestLink            *link);

/* Runs the thread-default main context for ms milliseconds. */
void       test_run_for           (guint                ms);

/* The SottoDatagramSendFunc for side 0 and side 1 (user_data: the TestLink). */
void       test_link_send_from_0  (const guint8 *data, gsize len, gpointer user_data);
void       test_link_send_from_1  (const guint8 *data, gsize len, gpointer user_data);
