/* sotto-media-preview.c: our own camera, small, for the self view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A branch off the sender's raw video, before the encoder and its camera-off
 * valve:
 *
 *   tee ─ queue(leaky, 1) ─ videoconvert ─ videorate(max fps) ─ RGBA ─ appsink
 *
 * The queue drops rather than slow the capture down; the appsink's callback
 * runs on a streaming thread and only hands the frame to the owner's context.
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-config.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "sotto-media-config.h"
#include "sotto-media-dispatch.h"
#include "sotto-media-preview.h"
#include "sotto-media-private.h"

#define PREVIEW_MAX_QUEUED 2

struct _SottoMediaPreview
{
  GObject             parent_instance;

  GMainContext       *context;
  guint               max_fps;
  SottoMediaDispatch *dispatch;
};

G_DEFINE_FINAL_TYPE (SottoMediaPreview, sotto_media_preview, G_TYPE_OBJECT)

enum {
  SIGNAL_FRAME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Streaming thread. */
static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    user_data)
{
  SottoMediaPreview *self = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  sotto_media_dispatch_push (self->dispatch, 0, sample, (GDestroyNotify) gst_sample_unref);
  return GST_FLOW_OK;
}

/* Owner's context. A copy, unlike received frames: the preview is small and
 * rare, and the camera's buffers go back to their pool at once. */
static void
on_dispatch (gpointer owner,
             guint    tag,
             gpointer item)
{
  SottoMediaPreview *self = owner;
  GstSample *sample = item;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  g_autoptr (GBytes) pixels = NULL;
  gpointer data;
  gsize size;

  if (buffer == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return;
  gst_buffer_extract_dup (buffer, 0, gst_buffer_get_size (buffer), &data, &size);
  pixels = g_bytes_new_take (data, size);
  g_signal_emit (self, signals[SIGNAL_FRAME], 0,
                 (guint) GST_VIDEO_INFO_WIDTH (&info), (guint) GST_VIDEO_INFO_HEIGHT (&info),
                 (guint) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0), pixels);
}

static void
sotto_media_preview_finalize (GObject *object)
{
  SottoMediaPreview *self = SOTTO_MEDIA_PREVIEW (object);

  g_clear_pointer (&self->dispatch, sotto_media_dispatch_destroy);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (sotto_media_preview_parent_class)->finalize (object);
}

static void
sotto_media_preview_class_init (SottoMediaPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sotto_media_preview_finalize;

  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BYTES);
}

static void
sotto_media_preview_init (SottoMediaPreview *self)
{
}

SottoMediaPreview *
sotto_media_preview_new (GMainContext *context,
                         guint         max_fps)
{
  SottoMediaPreview *self = g_object_new (SOTTO_TYPE_MEDIA_PREVIEW, NULL);

  self->context = g_main_context_ref (context);
  self->max_fps = MAX (max_fps, 1);
  self->dispatch = sotto_media_dispatch_new (self->context, on_dispatch, self, PREVIEW_MAX_QUEUED);
  return self;
}

GstElement *
sotto_media_preview_build (SottoMediaPreview *self,
                           GstBin            *bin,
                           GError           **error)
{
  GstElement *queue, *convert, *rate, *filter, *sink;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  g_autoptr (GstCaps) caps = gst_caps_new_simple ("video/x-raw",
                                                  "format", G_TYPE_STRING, "RGBA", NULL);

  if ((queue = sotto_media_make_element ("queue", NULL, error)) == NULL)
    return NULL;
  gst_bin_add (bin, queue);
  if ((convert = sotto_media_make_element ("videoconvert", NULL, error)) == NULL)
    return NULL;
  gst_bin_add (bin, convert);
  if ((rate = sotto_media_make_element ("videorate", NULL, error)) == NULL)
    return NULL;
  gst_bin_add (bin, rate);
  if ((filter = sotto_media_make_element ("capsfilter", NULL, error)) == NULL)
    return NULL;
  gst_bin_add (bin, filter);
  if ((sink = sotto_media_make_element ("appsink", NULL, error)) == NULL)
    return NULL;
  gst_bin_add (bin, sink);

  g_object_set (queue, "max-size-buffers", 1, "max-size-bytes", 0, "max-size-time", (guint64) 0,
                NULL);
  gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");
  g_object_set (rate, "drop-only", TRUE, "max-rate", (int) self->max_fps, NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, "max-buffers", 1, "drop", TRUE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);

  if (!gst_element_link_many (queue, convert, rate, filter, sink, NULL))
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                   "Could not build the camera preview");
      return NULL;
    }
  return queue;
}

void
sotto_media_preview_stop (SottoMediaPreview *self)
{
  g_return_if_fail (SOTTO_IS_MEDIA_PREVIEW (self));
  sotto_media_dispatch_clear (self->dispatch);
}
