/* sotto-camera-preview.c: the chosen camera, shown on the join page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   source ─ videoconvert ─ videoscale ─ RGBA 320x240 ─ appsink
 *                                                         │ streaming thread
 *                              g_main_context_invoke ◄────┘ (one frame in flight)
 *                                        │ main context
 *                              sotto_video_tile_push_frame
 */
#define G_LOG_DOMAIN "sotto-app"

#include "sotto-config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include "sotto-camera-preview.h"

/* Small is enough for a preview and cheap to copy across threads. */
#define PREVIEW_WIDTH  320
#define PREVIEW_HEIGHT 240

G_DEFINE_QUARK (sotto-camera-preview-error-quark, sotto_camera_preview_error)

struct _SottoCameraPreview
{
  GObject         parent_instance;

  SottoVideoTile *tile;        /* not owned */
  GMainContext   *context;     /* where frames are delivered */
  GstElement     *pipeline;
  GSource        *bus_source;
  gint            generation;  /* atomic; bumped by every stop: late frames are dropped */
  gint            frame_pending;  /* atomic: a frame is on its way to the context */
};

G_DEFINE_FINAL_TYPE (SottoCameraPreview, sotto_camera_preview, G_TYPE_OBJECT)

typedef struct {
  GWeakRef preview;
  gint     generation;
  int      width;
  int      height;
  gsize    stride;
  GBytes  *rgba;
} Frame;

static void
frame_free (gpointer data)
{
  Frame *frame = data;

  g_weak_ref_clear (&frame->preview);
  g_bytes_unref (frame->rgba);
  g_free (frame);
}

static gboolean
deliver_frame (gpointer data)
{
  Frame *frame = data;
  g_autoptr(SottoCameraPreview) self = g_weak_ref_get (&frame->preview);

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_atomic_int_set (&self->frame_pending, 0);
  if (frame->generation == self->generation && self->pipeline != NULL)
    sotto_video_tile_push_frame (self->tile, frame->width, frame->height, frame->stride,
                                 frame->rgba);
  return G_SOURCE_REMOVE;
}

/* GStreamer's streaming thread: copy the frame out and hand it over. */
static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    user_data)
{
  SottoCameraPreview *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  GstStructure *structure;
  GstMapInfo map;
  int width = 0;
  int height = 0;
  Frame *frame;

  if (sample == NULL)
    return GST_FLOW_EOS;
  /* The main context is behind: drop this frame rather than queue it. */
  if (!g_atomic_int_compare_and_exchange (&self->frame_pending, 0, 1))
    return GST_FLOW_OK;

  structure = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
  buffer = gst_sample_get_buffer (sample);
  if (!gst_structure_get_int (structure, "width", &width) ||
      !gst_structure_get_int (structure, "height", &height) ||
      width <= 0 || height <= 0 ||
      !gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_atomic_int_set (&self->frame_pending, 0);
      return GST_FLOW_OK;
    }
  if (map.size < (gsize) width * 4 * (gsize) height)
    {
      gst_buffer_unmap (buffer, &map);
      g_atomic_int_set (&self->frame_pending, 0);
      return GST_FLOW_OK;
    }

  frame = g_new0 (Frame, 1);
  g_weak_ref_init (&frame->preview, self);
  frame->generation = g_atomic_int_get (&self->generation);
  frame->width = width;
  frame->height = height;
  frame->stride = (gsize) width * 4;
  frame->rgba = g_bytes_new (map.data, frame->stride * (gsize) height);
  gst_buffer_unmap (buffer, &map);

  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, deliver_frame, frame,
                              frame_free);
  return GST_FLOW_OK;
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  SottoCameraPreview *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      /* A camera in use elsewhere or unplugged: the preview just goes dark;
       * joining reports camera problems with the call's own errors. */
      g_debug ("Camera preview failed: %s", error->message);
      sotto_camera_preview_stop (self);
      sotto_video_tile_set_camera_off (self->tile, TRUE);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Elements not yet in a bin hold a floating reference. */
static void
drop_element (GstElement *element)
{
  if (element != NULL)
    gst_object_unref (gst_object_ref_sink (element));
}

static GstElement *
make_source (gpointer   device,
             GError   **error)
{
  GstElement *source;

  if (g_strcmp0 (g_getenv ("SOTTO_VIDEO_SOURCE"), "test") == 0)
    {
      source = gst_element_factory_make ("videotestsrc", NULL);
      if (source != NULL)
        g_object_set (source, "is-live", TRUE, NULL);
    }
  else if (device != NULL)
    source = gst_device_create_element (GST_DEVICE (device), NULL);
  else
    {
      g_set_error_literal (error, SOTTO_CAMERA_PREVIEW_ERROR,
                           SOTTO_CAMERA_PREVIEW_ERROR_NO_CAMERA, _("No camera was found"));
      return NULL;
    }

  if (source == NULL)
    g_set_error_literal (error, SOTTO_CAMERA_PREVIEW_ERROR, SOTTO_CAMERA_PREVIEW_ERROR_FAILED,
                         _("The camera cannot be opened"));
  return source;
}

static void
sotto_camera_preview_dispose (GObject *object)
{
  sotto_camera_preview_stop (SOTTO_CAMERA_PREVIEW (object));

  G_OBJECT_CLASS (sotto_camera_preview_parent_class)->dispose (object);
}

static void
sotto_camera_preview_finalize (GObject *object)
{
  SottoCameraPreview *self = SOTTO_CAMERA_PREVIEW (object);

  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sotto_camera_preview_parent_class)->finalize (object);
}

static void
sotto_camera_preview_class_init (SottoCameraPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_camera_preview_dispose;
  object_class->finalize = sotto_camera_preview_finalize;
}

static void
sotto_camera_preview_init (SottoCameraPreview *self)
{
}

SottoCameraPreview *
sotto_camera_preview_new (SottoVideoTile *tile)
{
  SottoCameraPreview *self;

  g_return_val_if_fail (SOTTO_IS_VIDEO_TILE (tile), NULL);

  self = g_object_new (SOTTO_TYPE_CAMERA_PREVIEW, NULL);
  self->tile = tile;
  return self;
}

gboolean
sotto_camera_preview_start (SottoCameraPreview *self,
                            gpointer            device,
                            GError            **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *source;
  GstElement *convert;
  GstElement *scale;
  GstElement *sink;
  g_autoptr(GstCaps) caps = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };

  g_return_val_if_fail (SOTTO_IS_CAMERA_PREVIEW (self), FALSE);
  g_return_val_if_fail (device == NULL || GST_IS_DEVICE (device), FALSE);

  sotto_camera_preview_stop (self);
  if (!gst_is_initialized () && !gst_init_check (NULL, NULL, error))
    return FALSE;

  source = make_source (device, error);
  if (source == NULL)
    {
      sotto_video_tile_set_camera_off (self->tile, TRUE);
      return FALSE;
    }

  pipeline = gst_object_ref_sink (gst_pipeline_new ("sotto-camera-preview"));
  convert = gst_element_factory_make ("videoconvert", NULL);
  scale = gst_element_factory_make ("videoscale", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (convert == NULL || scale == NULL || sink == NULL)
    {
      drop_element (convert);
      drop_element (scale);
      drop_element (sink);
      drop_element (source);
      g_set_error_literal (error, SOTTO_CAMERA_PREVIEW_ERROR, SOTTO_CAMERA_PREVIEW_ERROR_FAILED,
                           _("GStreamer’s base plugins are missing"));
      return FALSE;
    }
  gst_bin_add_many (GST_BIN (pipeline), source, convert, scale, sink, NULL);

  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "RGBA",
                              "width", G_TYPE_INT, PREVIEW_WIDTH,
                              "height", G_TYPE_INT, PREVIEW_HEIGHT,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (sink, "caps", caps, "max-buffers", 1, "drop", TRUE, "sync", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  if (!gst_element_link_many (source, convert, scale, sink, NULL))
    {
      g_set_error_literal (error, SOTTO_CAMERA_PREVIEW_ERROR, SOTTO_CAMERA_PREVIEW_ERROR_FAILED,
                           _("The camera cannot be opened"));
      return FALSE;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  bus = gst_element_get_bus (pipeline);
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus_message), self, NULL);
  g_source_attach (self->bus_source, self->context);

  self->pipeline = g_steal_pointer (&pipeline);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      sotto_camera_preview_stop (self);
      sotto_video_tile_set_camera_off (self->tile, TRUE);
      g_set_error_literal (error, SOTTO_CAMERA_PREVIEW_ERROR, SOTTO_CAMERA_PREVIEW_ERROR_FAILED,
                           _("The camera cannot be opened"));
      return FALSE;
    }
  sotto_video_tile_set_camera_off (self->tile, FALSE);
  return TRUE;
}

void
sotto_camera_preview_stop (SottoCameraPreview *self)
{
  g_return_if_fail (SOTTO_IS_CAMERA_PREVIEW (self));

  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->pipeline != NULL)
    {
      /* Synchronous: the streaming thread is gone when this returns. */
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_clear_object (&self->pipeline);
    }
  g_atomic_int_inc (&self->generation);
  g_atomic_int_set (&self->frame_pending, 0);
}

gboolean
sotto_camera_preview_get_running (SottoCameraPreview *self)
{
  g_return_val_if_fail (SOTTO_IS_CAMERA_PREVIEW (self), FALSE);
  return self->pipeline != NULL;
}
