/* sotto-epoll-source.h: many descriptors behind one GSource
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib's main loop walks every attached source and polls every descriptor
 * on each iteration, so 10,000 sockets with a source each cost 10,000 steps
 * per wakeup. The signaling front end puts its sockets in one epoll set
 * instead: the main context sees a single descriptor, and a wakeup costs
 * only the sockets that are ready.
 */
#pragma once

#include <glib.h>
#include <sys/epoll.h>

G_BEGIN_DECLS

typedef struct _SottoEpollWatch SottoEpollWatch;

/* `events` is the epoll mask that fired (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP...). */
typedef void (*SottoEpollCallback) (SottoEpollWatch *watch,
                                    guint32          events,
                                    gpointer         user_data);

/* Embedded by the owner of each descriptor; the source never frees it. */
struct _SottoEpollWatch
{
  int                fd;
  guint32            events;
  SottoEpollCallback callback;
  gpointer           user_data;
};

/* A GSource (not yet attached) owning one epoll descriptor, or NULL when
 * the kernel refuses one (G_IO_ERROR from errno). */
GSource *sotto_epoll_source_new (GError **error);

/* Starts watching `watch->fd` for `events` (level-triggered). */
gboolean sotto_epoll_source_add    (GSource         *source,
                                    SottoEpollWatch *watch,
                                    int              fd,
                                    guint32          events,
                                    SottoEpollCallback callback,
                                    gpointer         user_data,
                                    GError         **error);

/* Changes the mask; a no-op when it is already `events`. */
void     sotto_epoll_source_modify (GSource         *source,
                                    SottoEpollWatch *watch,
                                    guint32          events);

/* Stops watching. Safe from inside any callback, including the watch's
 * own: an event already collected for it in this round is not delivered,
 * so the owner may free `watch` right after. Does not close the fd. */
void     sotto_epoll_source_remove (GSource         *source,
                                    SottoEpollWatch *watch);

G_END_DECLS
