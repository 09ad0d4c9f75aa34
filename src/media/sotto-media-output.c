/* sotto-media-output.c: the call's one audio output, with the echo canceller's probe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   appsrc (subscription 1) ─┐
 *   appsrc (subscription 2) ─┼─ audiomixer(live) ─ webrtcechoprobe ─ audioconvert ─ autoaudiosink|fakesink
 *   ...                     ─┘
 *
 * webrtcdsp (in the sender) finds the probe by name, and must find it when it
 * starts: a probe registers itself when created, so the output exists first.
 */
#define G_LOG_DOMAIN "sotto-media"

#include "sotto-config.h"

#include <glib/gi18n-lib.h>
#include <gst/app/app.h>

#include "sotto-media-output-private.h"
#include "sotto-media-private.h"

/* Mixer wait for a late input before playing without it. */
#define MIXER_LATENCY_NS (20 * GST_MSECOND)

struct _SottoMediaOutput {
  GObject     parent_instance;

  GstElement *pipeline;
  GstElement *mixer;     /* borrowed */
  char       *probe_name;
  guint       n_inputs;
  gint        peak;      /* atomic: written by the output's streaming thread */
};

G_DEFINE_FINAL_TYPE (SottoMediaOutput, sotto_media_output, G_TYPE_OBJECT)

/* Output streaming thread. */
static GstPadProbeReturn
on_mixed_buffer (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  SottoMediaOutput *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  gint peak = 0;

  if (gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      const gint16 *samples = (const gint16 *) map.data;

      for (gsize i = 0; i < map.size / 2; i++)
        peak = MAX (peak, ABS ((gint) samples[i]));
      gst_buffer_unmap (buffer, &map);
    }
  if (peak > g_atomic_int_get (&self->peak))
    g_atomic_int_set (&self->peak, MIN (peak, 32767));
  return GST_PAD_PROBE_OK;
}

static void
sotto_media_output_dispose (GObject *object)
{
  SottoMediaOutput *self = SOTTO_MEDIA_OUTPUT (object);

  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  self->mixer = NULL;

  G_OBJECT_CLASS (sotto_media_output_parent_class)->dispose (object);
}

static void
sotto_media_output_finalize (GObject *object)
{
  SottoMediaOutput *self = SOTTO_MEDIA_OUTPUT (object);

  g_free (self->probe_name);

  G_OBJECT_CLASS (sotto_media_output_parent_class)->finalize (object);
}

static void
sotto_media_output_class_init (SottoMediaOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sotto_media_output_dispose;
  object_class->finalize = sotto_media_output_finalize;
}

static void
sotto_media_output_init (SottoMediaOutput *self)
{
}

static GstElement *
add_element (SottoMediaOutput *self,
             const char       *factory,
             const char       *name,
             GError          **error)
{
  GstElement *element = sotto_media_make_element (factory, name, error);

  if (element != NULL)
    gst_bin_add (GST_BIN (self->pipeline), element);
  return element;
}

/**
 * sotto_media_output_new:
 * @config: fake_audio_sink chooses fakesink over the default output device
 *
 * Starts playing (silence until a receiver feeds it) at once, so that the
 * probe exists and runs before any sender starts.
 */
SottoMediaOutput *
sotto_media_output_new (const SottoMediaConfig *config,
                        GError                **error)
{
  g_autoptr (SottoMediaOutput) self = NULL;
  g_autoptr (GstElementFactory) mixer_factory = NULL;
  g_autoptr (GstPad) probe_src = NULL;
  GstElement *probe, *convert, *sink;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self = g_object_new (SOTTO_TYPE_MEDIA_OUTPUT, NULL);
  /* Unique per output: webrtcdsp looks probes up by name in a process-wide list. */
  self->probe_name = g_strdup_printf ("sotto-echo-probe-%p", (void *) self);
  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("sotto-output"));

  /* force-live is construct-only: the mixer must produce a steady stream (and
   * the probe see it) even before any subscription feeds it. */
  mixer_factory = gst_element_factory_find ("audiomixer");
  if (mixer_factory == NULL)
    {
      g_autoptr (GstElement) missing = sotto_media_make_element ("audiomixer", NULL, error);
      return NULL;
    }
  self->mixer = gst_element_factory_create_full (mixer_factory, "force-live", TRUE,
                                                 "ignore-inactive-pads", TRUE,
                                                 "latency", (guint64) MIXER_LATENCY_NS, NULL);
  gst_bin_add (GST_BIN (self->pipeline), self->mixer);

  if ((probe = add_element (self, "webrtcechoprobe", self->probe_name, error)) == NULL ||
      (convert = add_element (self, "audioconvert", NULL, error)) == NULL ||
      (sink = add_element (self, config->fake_audio_sink ? "fakesink" : "autoaudiosink", NULL,
                           error)) == NULL)
    return NULL;
  g_object_set (sink, "sync", TRUE, NULL);
  if (!gst_element_link_filtered (self->mixer, probe,
                                  gst_caps_from_string (SOTTO_MEDIA_OUTPUT_CAPS)) ||
      !gst_element_link_many (probe, convert, sink, NULL))
    {
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                   _("Could not build the audio output"));
      return NULL;
    }
  probe_src = gst_element_get_static_pad (probe, "src");
  gst_pad_add_probe (probe_src, GST_PAD_PROBE_TYPE_BUFFER, on_mixed_buffer, self, NULL);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_set_error (error, SOTTO_MEDIA_ERROR, SOTTO_MEDIA_ERROR_PIPELINE,
                   _("Could not start playback: is the sound output available?"));
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
sotto_media_output_get_echo_probe_name (SottoMediaOutput *self)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_OUTPUT (self), NULL);
  return self->probe_name;
}

guint
sotto_media_output_get_n_inputs (SottoMediaOutput *self)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_OUTPUT (self), 0);
  return self->n_inputs;
}

guint
sotto_media_output_get_peak (SottoMediaOutput *self)
{
  g_return_val_if_fail (SOTTO_IS_MEDIA_OUTPUT (self), 0);
  return (guint) g_atomic_int_get (&self->peak);
}

/* Owner's thread. The appsrc is timestamped on arrival: the receivers' clocks
 * and base times are their own, the mixer's are the output's. */
GstElement *
sotto_media_output_add_input (SottoMediaOutput *self)
{
  g_autoptr (GstCaps) caps = gst_caps_from_string (SOTTO_MEDIA_OUTPUT_CAPS);
  g_autoptr (GstPad) src = NULL;
  g_autoptr (GstPad) sink = NULL;
  GstElement *input;

  g_return_val_if_fail (SOTTO_IS_MEDIA_OUTPUT (self), NULL);

  input = gst_element_factory_make ("appsrc", NULL);
  if (input == NULL)
    return NULL;
  g_object_set (input, "is-live", TRUE, "do-timestamp", TRUE, "caps", caps,
                "max-bytes", (guint64) 48000 * 2 / 2 /* half a second */, NULL);
  gst_util_set_object_arg (G_OBJECT (input), "format", "time");
  gst_util_set_object_arg (G_OBJECT (input), "leaky-type", "downstream");
  gst_bin_add (GST_BIN (self->pipeline), input);
  src = gst_element_get_static_pad (input, "src");
  sink = gst_element_request_pad_simple (self->mixer, "sink_%u");
  if (sink == NULL || gst_pad_link (src, sink) != GST_PAD_LINK_OK)
    {
      gst_bin_remove (GST_BIN (self->pipeline), input);
      return NULL;
    }
  gst_element_sync_state_with_parent (input);
  self->n_inputs++;
  return gst_object_ref (input);
}

/* Owner's thread, once the receiver's streaming threads have stopped. */
void
sotto_media_output_remove_input (SottoMediaOutput *self,
                                 GstElement       *input)
{
  g_autoptr (GstPad) src = NULL;
  g_autoptr (GstPad) sink = NULL;

  g_return_if_fail (SOTTO_IS_MEDIA_OUTPUT (self));
  g_return_if_fail (GST_IS_ELEMENT (input));

  src = gst_element_get_static_pad (input, "src");
  sink = gst_pad_get_peer (src);
  gst_element_set_state (input, GST_STATE_NULL);
  if (sink != NULL)
    {
      gst_pad_unlink (src, sink);
      gst_element_release_request_pad (self->mixer, sink);
    }
  gst_bin_remove (GST_BIN (self->pipeline), input);
  self->n_inputs--;
}

void
sotto_media_output_push (GstElement *input,
                         GstBuffer  *buffer)
{
  /* Drop the receiver's timestamps: do-timestamp stamps it with ours. */
  GstBuffer *copy = gst_buffer_copy (buffer);

  GST_BUFFER_PTS (copy) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DTS (copy) = GST_CLOCK_TIME_NONE;
  gst_app_src_push_buffer (GST_APP_SRC (input), copy);
}
