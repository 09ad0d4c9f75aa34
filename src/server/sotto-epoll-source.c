/* sotto-epoll-source.c: many descriptors behind one GSource
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include "sotto-epoll-source.h"

#include <errno.h>
#include <gio/gio.h>
#include <unistd.h>

/* Events taken per dispatch: enough to drain a burst of joins in one
 * main-loop iteration, small enough that other sources (timers, REST) are
 * not starved; what is left is still ready next iteration. */
#define MAX_EVENTS_PER_DISPATCH 256

typedef struct
{
  GSource             source;
  int                 epoll_fd;
  gpointer            fd_tag;
  /* The round being delivered, so that a removed watch's pending event
   * can be cancelled. */
  struct epoll_event *round;
  int                 round_length;
  int                 round_position;
} SottoEpollSource;

static gboolean
epoll_source_dispatch (GSource    *source,
                       GSourceFunc callback,
                       gpointer    user_data)
{
  SottoEpollSource *self = (SottoEpollSource *) source;
  struct epoll_event events[MAX_EVENTS_PER_DISPATCH];
  int n;

  n = epoll_wait (self->epoll_fd, events, G_N_ELEMENTS (events), 0);
  if (n < 0)
    {
      if (errno != EINTR)
        g_warning ("epoll_wait: %s", g_strerror (errno));
      return G_SOURCE_CONTINUE;
    }

  self->round = events;
  self->round_length = n;
  for (self->round_position = 0; self->round_position < n; self->round_position++)
    {
      SottoEpollWatch *watch = events[self->round_position].data.ptr;

      if (watch != NULL)
        watch->callback (watch, events[self->round_position].events, watch->user_data);
    }
  self->round = NULL;
  self->round_length = 0;
  return G_SOURCE_CONTINUE;
}

static void
epoll_source_finalize (GSource *source)
{
  SottoEpollSource *self = (SottoEpollSource *) source;

  if (self->epoll_fd >= 0)
    close (self->epoll_fd);
}

static GSourceFuncs epoll_source_funcs = {
  .dispatch = epoll_source_dispatch,
  .finalize = epoll_source_finalize,
};

GSource *
sotto_epoll_source_new (GError **error)
{
  SottoEpollSource *self;
  int fd = epoll_create1 (EPOLL_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "epoll_create1: %s",
                   g_strerror (saved));
      return NULL;
    }
  self = (SottoEpollSource *) g_source_new (&epoll_source_funcs, sizeof (SottoEpollSource));
  g_source_set_static_name (&self->source, "sotto-epoll");
  self->epoll_fd = fd;
  self->fd_tag = g_source_add_unix_fd (&self->source, fd, G_IO_IN);
  return &self->source;
}

gboolean
sotto_epoll_source_add (GSource           *source,
                        SottoEpollWatch   *watch,
                        int                fd,
                        guint32            events,
                        SottoEpollCallback callback,
                        gpointer           user_data,
                        GError           **error)
{
  SottoEpollSource *self = (SottoEpollSource *) source;
  struct epoll_event event = { .events = events, .data.ptr = watch };

  watch->fd = fd;
  watch->events = events;
  watch->callback = callback;
  watch->user_data = user_data;
  if (epoll_ctl (self->epoll_fd, EPOLL_CTL_ADD, fd, &event) < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "epoll_ctl: %s",
                   g_strerror (saved));
      watch->fd = -1;
      return FALSE;
    }
  return TRUE;
}

void
sotto_epoll_source_modify (GSource         *source,
                           SottoEpollWatch *watch,
                           guint32          events)
{
  SottoEpollSource *self = (SottoEpollSource *) source;
  struct epoll_event event = { .events = events, .data.ptr = watch };

  if (watch->fd < 0 || watch->events == events)
    return;
  watch->events = events;
  if (epoll_ctl (self->epoll_fd, EPOLL_CTL_MOD, watch->fd, &event) < 0)
    g_warning ("epoll_ctl (MOD, %d): %s", watch->fd, g_strerror (errno));
}

void
sotto_epoll_source_remove (GSource         *source,
                           SottoEpollWatch *watch)
{
  SottoEpollSource *self = (SottoEpollSource *) source;

  if (watch->fd < 0)
    return;
  /* A descriptor already closed elsewhere left the set with it. */
  if (epoll_ctl (self->epoll_fd, EPOLL_CTL_DEL, watch->fd, NULL) < 0 && errno != EBADF)
    g_warning ("epoll_ctl (DEL, %d): %s", watch->fd, g_strerror (errno));
  watch->fd = -1;
  for (int i = self->round_position + 1; i < self->round_length; i++)
    if (self->round[i].data.ptr == watch)
      self->round[i].data.ptr = NULL;
}
