/* transport-test-link.c: an in-process datagram link between two endpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "transport-test-link.h"

typedef struct {
  guint   to;
  GBytes *data;
} Pending;

struct _TestLink
{
  GRand              *rand;
  double              drop_rate;
  guint               dropped;
  gboolean            blackhole[2];
  TestLinkReceiveFunc receive[2];
  gpointer            receive_data[2];
  GPtrArray          *sent[2];
  GArray             *send_times[2];
  GQueue              pending;
  GSource            *idle;
};

static void
pending_free (Pending *p)
{
  g_bytes_unref (p->data);
  g_free (p);
}

TestLink *
test_link_new (guint32 seed)
{
  TestLink *link = g_new0 (TestLink, 1);
  guint i;

  link->rand = g_rand_new_with_seed (seed);
  for (i = 0; i < 2; i++)
    {
      link->sent[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      link->send_times[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  g_queue_init (&link->pending);
  return link;
}

void
test_link_free (TestLink *link)
{
  guint i;

  if (link->idle != NULL)
    {
      g_source_destroy (link->idle);
      g_source_unref (link->idle);
    }
  g_queue_clear_full (&link->pending, (GDestroyNotify) pending_free);
  for (i = 0; i < 2; i++)
    {
      g_ptr_array_unref (link->sent[i]);
      g_array_unref (link->send_times[i]);
    }
  g_rand_free (link->rand);
  g_free (link);
}

void
test_link_set_receiver (TestLink            *link,
                        guint                side,
                        TestLinkReceiveFunc  func,
                        gpointer             user_data)
{
  link->receive[side] = func;
  link->receive_data[side] = user_data;
}

void
test_link_set_drop_rate (TestLink *link,
                         double    rate)
{
  link->drop_rate = rate;
}

void
test_link_set_blackhole (TestLink *link,
                         guint     side,
                         gboolean  blackhole)
{
  link->blackhole[side] = blackhole;
}

static gboolean
on_deliver (gpointer user_data)
{
  TestLink *link = user_data;
  guint n = g_queue_get_length (&link->pending);

  /* Only what was queued before this dispatch; replies wait for the next. */
  while (n-- > 0)
    {
      Pending *p = g_queue_pop_head (&link->pending);
      gsize len;
      const guint8 *data = g_bytes_get_data (p->data, &len);

      if (link->receive[p->to] != NULL && !link->blackhole[p->to])
        link->receive[p->to] (data, len, link->receive_data[p->to]);
      pending_free (p);
    }

  if (g_queue_is_empty (&link->pending))
    {
      g_clear_pointer (&link->idle, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
test_link_send (TestLink     *link,
                guint         from_side,
                const guint8 *data,
                gsize         len)
{
  gint64 now = g_get_monotonic_time ();
  Pending *p;

  g_ptr_array_add (link->sent[from_side], g_bytes_new (data, len));
  g_array_append_val (link->send_times[from_side], now);

  if (link->drop_rate > 0 && g_rand_double (link->rand) < link->drop_rate)
    {
      link->dropped++;
      return;
    }

  p = g_new0 (Pending, 1);
  p->to = 1 - from_side;
  p->data = g_bytes_new (data, len);
  g_queue_push_tail (&link->pending, p);

  if (link->idle == NULL)
    {
      link->idle = g_idle_source_new ();
      g_source_set_callback (link->idle, on_deliver, link, NULL);
      g_source_attach (link->idle, g_main_context_get_thread_default ());
    }
}

void
test_link_send_from_0 (const guint8 *data, gsize len, gpointer user_data)
{
  test_link_send (user_data, 0, data, len);
}

void
test_link_send_from_1 (const guint8 *data, gsize len, gpointer user_data)
{
  test_link_send (user_data, 1, data, len);
}

GPtrArray *
test_link_get_sent (TestLink *link,
                    guint     side)
{
  return link->sent[side];
}

GArray *
test_link_get_send_times (TestLink *link,
                          guint     side)
{
  return link->send_times[side];
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
test_wait_for_flag (const gboolean *flag,
                    guint           timeout_ms)
{
  GMainContext *ctx = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *timer = g_timeout_source_new (timeout_ms);

  g_source_set_callback (timer, on_wait_timeout, &expired, NULL);
  g_source_attach (timer, ctx);
  while (!*flag && !expired)
    g_main_context_iteration (ctx, TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);
  return *flag;
}

void
test_run_for (guint ms)
{
  gboolean never = FALSE;

  test_wait_for_flag (&never, ms);
}

guint
test_link_get_dropped (TestLink *link)
{
  return link->dropped;
}
