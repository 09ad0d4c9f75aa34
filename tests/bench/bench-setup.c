/* bench-setup.c: time from the start of ICE to SRTP ready, two peers on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-setup [RUNS]   (default 30)
 *
 * Each run makes two SottoPeerConnections (audio + video), then times from
 * create_offer (which starts ICE gathering) until both are CONNECTED (ICE
 * connected, DTLS verified, SRTP keys installed), with the offer, answer and
 * trickled candidates handed over in-process as a signaling server would.
 * Prints the median and spread, plus when ICE and DTLS each finished.
 * Goal (issue 4): median under 50 ms. Loopback only: SOTTO_ICE_ADDRESSES is
 * forced to 127.0.0.1 unless set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "sotto-peer-connection.h"

#define DEFAULT_RUNS 30
#define RUN_TIMEOUT_US (10 * G_USEC_PER_SEC)

typedef struct {
  SottoPeerConnection *pc[2];
  gint64 t0;
  gint64 ice_done;    /* both ICE connected */
  gint64 all_done;    /* both CONNECTED */
} Run;

static void
on_candidate (SottoPeerConnection *pc,
              const char          *candidate,
              const char          *mid,
              gpointer             user_data)
{
  SottoPeerConnection *other = user_data;

  if (!sotto_peer_connection_add_remote_candidate (other, candidate, NULL))
    g_printerr ("candidate refused: %s\n", candidate);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
one_run (double *setup_ms,
         double *ice_ms)
{
  Run run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  int i;

  for (i = 0; i < 2; i++)
    {
      run.pc[i] = sotto_peer_connection_new (&error);
      if (run.pc[i] == NULL)
        {
          g_printerr ("%s\n", error->message);
          return FALSE;
        }
      sotto_peer_connection_add_media (run.pc[i], SOTTO_SDP_MEDIA_KIND_AUDIO,
                                       SOTTO_MEDIA_DIRECTION_SENDRECV, 1000 + (guint32) i, "s", "a");
      sotto_peer_connection_add_media (run.pc[i], SOTTO_SDP_MEDIA_KIND_VIDEO,
                                       SOTTO_MEDIA_DIRECTION_SENDRECV, 2000 + (guint32) i, "s", "v");
    }
  g_signal_connect (run.pc[0], "local-candidate", G_CALLBACK (on_candidate), run.pc[1]);
  g_signal_connect (run.pc[1], "local-candidate", G_CALLBACK (on_candidate), run.pc[0]);

  run.t0 = g_get_monotonic_time ();
  offer = sotto_peer_connection_create_offer (run.pc[0], &error);
  if (offer == NULL ||
      !sotto_peer_connection_set_remote_description (run.pc[1], SOTTO_SDP_TYPE_OFFER, offer, &error) ||
      (answer = sotto_peer_connection_create_answer (run.pc[1], &error)) == NULL ||
      !sotto_peer_connection_set_remote_description (run.pc[0], SOTTO_SDP_TYPE_ANSWER, answer, &error))
    {
      g_printerr ("negotiation failed: %s\n", error->message);
      return FALSE;
    }

  while (g_get_monotonic_time () - run.t0 < RUN_TIMEOUT_US)
    {
      gint64 now;

      g_main_context_iteration (NULL, TRUE);
      now = g_get_monotonic_time ();
      if (run.ice_done == 0 &&
          sotto_peer_connection_get_ice_state (run.pc[0]) == SOTTO_ICE_STATE_CONNECTED &&
          sotto_peer_connection_get_ice_state (run.pc[1]) == SOTTO_ICE_STATE_CONNECTED)
        run.ice_done = now;
      if (sotto_peer_connection_get_state (run.pc[0]) == SOTTO_PEER_CONNECTION_STATE_CONNECTED &&
          sotto_peer_connection_get_state (run.pc[1]) == SOTTO_PEER_CONNECTION_STATE_CONNECTED)
        {
          run.all_done = now;
          break;
        }
    }

  for (i = 0; i < 2; i++)
    g_object_unref (run.pc[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (run.all_done == 0)
    {
      g_printerr ("a run did not connect within %d s\n", (int) (RUN_TIMEOUT_US / G_USEC_PER_SEC));
      return FALSE;
    }
  *setup_ms = (double) (run.all_done - run.t0) / 1000.0;
  *ice_ms = (double) ((run.ice_done != 0 ? run.ice_done : run.all_done) - run.t0) / 1000.0;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  int runs = argc > 1 ? atoi (argv[1]) : DEFAULT_RUNS;
  g_autofree double *setup = NULL;
  g_autofree double *ice = NULL;
  int i;

  if (runs < 1 || runs > 10000)
    {
      g_printerr ("usage: %s [RUNS (1-10000)]\n", argv[0]);
      return 2;
    }
  /* Benchmarks stay on loopback (DEVELOPERS.md, network rule). */
  g_setenv ("SOTTO_ICE_ADDRESSES", "127.0.0.1", FALSE);

  setup = g_new0 (double, runs);
  ice = g_new0 (double, runs);
  for (i = 0; i < runs; i++)
    if (!one_run (&setup[i], &ice[i]))
      return 1;

  qsort (setup, runs, sizeof (double), compare_doubles);
  qsort (ice, runs, sizeof (double), compare_doubles);
  printf ("setup (create_offer to SRTP ready, both peers), %d runs on 127.0.0.1:\n", runs);
  printf ("  median %.1f ms   min %.1f ms   p90 %.1f ms   max %.1f ms   (goal: median < 50 ms)\n",
          setup[runs / 2], setup[0], setup[(runs * 9) / 10 < runs ? (runs * 9) / 10 : runs - 1],
          setup[runs - 1]);
  printf ("  of which ICE connected at median %.1f ms\n", ice[runs / 2]);
  return 0;
}
