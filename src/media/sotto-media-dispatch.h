/* sotto-media-dispatch.h: hands items from GStreamer streaming threads to the
 * owner's GMainContext
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SottoMediaDispatch SottoMediaDispatch;

/* Called on the owner's context for each item, in push order. The item is freed
 * with its destroy notify after the call. */
typedef void (*SottoMediaDispatchFunc) (gpointer owner,
                                        guint    tag,
                                        gpointer item);

SottoMediaDispatch *sotto_media_dispatch_new     (GMainContext          *context,
                                                  SottoMediaDispatchFunc func,
                                                  gpointer               owner,
                                                  guint                  max_items);
/* Any thread. Returns FALSE (and frees the item) when the queue is full because
 * the owner's context is not running: stale media is dropped, never piled up. */
gboolean            sotto_media_dispatch_push    (SottoMediaDispatch *dispatch,
                                                  guint               tag,
                                                  gpointer            item,
                                                  GDestroyNotify      destroy);
/* Any thread: drops what is pending. */
void                sotto_media_dispatch_clear   (SottoMediaDispatch *dispatch);
/* Owner's thread, once no streaming thread can push any more. Safe to call from
 * inside the dispatch callback (the remaining items are then dropped). */
void                sotto_media_dispatch_destroy (SottoMediaDispatch *dispatch);

G_END_DECLS
