/* sotto-media-dispatch.c: a mutex-protected queue drained by a GSource
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-media-dispatch.h"

typedef struct {
  guint          tag;
  gpointer       item;
  GDestroyNotify destroy;
} Entry;

/* The GSource is the object: the main context keeps it alive while it dispatches,
 * so destroying it from inside a callback is safe. */
struct _SottoMediaDispatch {
  GSource                source;
  GMutex                 lock;
  GQueue                 queue;     /* of Entry, guarded by lock */
  guint                  max_items;
  SottoMediaDispatchFunc func;
  gpointer               owner;
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  if (entry->destroy != NULL)
    entry->destroy (entry->item);
  g_free (entry);
}

static gboolean
dispatch_dispatch (GSource    *source,
                   GSourceFunc callback,
                   gpointer    user_data)
{
  SottoMediaDispatch *self = (SottoMediaDispatch *) source;
  GQueue batch = G_QUEUE_INIT;
  Entry *entry;

  g_mutex_lock (&self->lock);
  batch = self->queue;
  g_queue_init (&self->queue);
  g_source_set_ready_time (source, -1);
  g_mutex_unlock (&self->lock);

  while ((entry = g_queue_pop_head (&batch)) != NULL)
    {
      /* A handler may have destroyed us (its owner went away): drop the rest. */
      if (!g_source_is_destroyed (source))
        self->func (self->owner, entry->tag, entry->item);
      entry_free (entry);
    }
  return G_SOURCE_CONTINUE;
}

static void
dispatch_finalize (GSource *source)
{
  SottoMediaDispatch *self = (SottoMediaDispatch *) source;

  g_queue_clear_full (&self->queue, entry_free);
  g_mutex_clear (&self->lock);
}

static GSourceFuncs dispatch_funcs = {
  .dispatch = dispatch_dispatch,
  .finalize = dispatch_finalize,
};

SottoMediaDispatch *
sotto_media_dispatch_new (GMainContext          *context,
                          SottoMediaDispatchFunc func,
                          gpointer               owner,
                          guint                  max_items)
{
  SottoMediaDispatch *self;

  self = (SottoMediaDispatch *) g_source_new (&dispatch_funcs, sizeof (SottoMediaDispatch));
  g_mutex_init (&self->lock);
  g_queue_init (&self->queue);
  self->max_items = max_items;
  self->func = func;
  self->owner = owner;
  g_source_set_static_name (&self->source, "[sotto] media dispatch");
  g_source_attach (&self->source, context);
  return self;
}

gboolean
sotto_media_dispatch_push (SottoMediaDispatch *self,
                           guint               tag,
                           gpointer            item,
                           GDestroyNotify      destroy)
{
  Entry *entry;
  gboolean wake;

  g_mutex_lock (&self->lock);
  if (self->queue.length >= self->max_items)
    {
      g_mutex_unlock (&self->lock);
      if (destroy != NULL)
        destroy (item);
      return FALSE;
    }
  entry = g_new (Entry, 1);
  *entry = (Entry) { tag, item, destroy };
  wake = self->queue.length == 0;
  g_queue_push_tail (&self->queue, entry);
  /* Only the first item wakes the context; the rest ride the same dispatch. */
  if (wake)
    g_source_set_ready_time (&self->source, 0);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

void
sotto_media_dispatch_clear (SottoMediaDispatch *self)
{
  GQueue dropped;

  g_mutex_lock (&self->lock);
  dropped = self->queue;
  g_queue_init (&self->queue);
  g_mutex_unlock (&self->lock);
  g_queue_clear_full (&dropped, entry_free);
}

void
sotto_media_dispatch_destroy (SottoMediaDispatch *self)
{
  if (self == NULL)
    return;
  sotto_media_dispatch_clear (self);
  g_source_destroy (&self->source);
  g_source_unref (&self->source);
}
