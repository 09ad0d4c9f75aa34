/* test-view-models.c: the app's GTK-free models and texts: participants,
 * streams and totals, stats, error words, pasted tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-config.h"

#include <gio/gio.h>
#include <math.h>

#include "app-test-util.h"
#include "sotto-error-text.h"
#include "sotto-join-page.h"
#include "sotto-moderator-panel.h"
#include "sotto-stats-text.h"
#include "../../../src/session/sotto-call-error.h"

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_participant_item (void)
{
  g_autoptr(SottoParticipantItem) item = sotto_participant_item_new ("c1", NULL,
                                                                      SOTTO_ROLE_MODERATOR);
  g_autofree char *subtitle = NULL;
  g_autofree char *subtitle2 = NULL;
  guint notified = 0;

  g_assert_cmpstr (sotto_participant_item_get_id (item), ==, "c1");
  g_assert_cmpstr (sotto_participant_item_get_display_name (item), ==, "Anonymous");
  subtitle = sotto_participant_item_dup_subtitle (item);
  g_assert_cmpstr (subtitle, ==, "Moderator · Connecting…");

  g_signal_connect (item, "notify::subtitle", G_CALLBACK (on_notify), &notified);
  sotto_participant_item_set_state (item, SOTTO_CONNECTION_STATE_CONNECTED);
  sotto_participant_item_set_state (item, SOTTO_CONNECTION_STATE_CONNECTED);
  g_assert_cmpuint (notified, ==, 1);
  subtitle2 = sotto_participant_item_dup_subtitle (item);
  g_assert_cmpstr (subtitle2, ==, "Moderator · Connected");

  sotto_participant_item_set_name (item, "Ana");
  g_assert_cmpstr (sotto_participant_item_get_display_name (item), ==, "Ana");
}

static void
test_stream_item (void)
{
  g_autoptr(SottoStreamItem) both = sotto_stream_item_new ("s1", "c1", "Ana", TRUE, TRUE);
  g_autoptr(SottoStreamItem) video = sotto_stream_item_new ("s2", "c2", NULL, TRUE, FALSE);
  g_autofree char *title = sotto_stream_item_dup_title (both);
  g_autofree char *title2 = sotto_stream_item_dup_title (video);
  g_autofree char *none = sotto_stream_item_dup_count_text (both);
  g_autofree char *one = NULL;
  g_autofree char *three = NULL;
  guint notified = 0;

  g_assert_cmpstr (title, ==, "Ana’s camera and microphone");
  g_assert_cmpstr (title2, ==, "Anonymous’s camera");
  g_assert_cmpstr (none, ==, "Nobody watching");

  g_signal_connect (both, "notify::count-text", G_CALLBACK (on_notify), &notified);
  sotto_stream_item_set_subscriber_count (both, 1);
  one = sotto_stream_item_dup_count_text (both);
  g_assert_cmpstr (one, ==, "1 watching");
  sotto_stream_item_set_subscriber_count (both, 3);
  sotto_stream_item_set_subscriber_count (both, 3);
  three = sotto_stream_item_dup_count_text (both);
  g_assert_cmpstr (three, ==, "3 watching");
  g_assert_cmpuint (notified, ==, 2);
}

/* A remote stream's switches become the tile's muted and camera-off flags:
 * a kind the stream does not carry counts as off, and the tile only hears
 * about a flag that really changed. */
static void
test_stream_item_state (void)
{
  g_autoptr(SottoStreamItem) both = sotto_stream_item_new ("s1", "c1", "Ana", TRUE, TRUE);
  g_autoptr(SottoStreamItem) video = sotto_stream_item_new ("s2", "c2", NULL, TRUE, FALSE);
  guint muted_notified = 0;
  guint camera_notified = 0;
  gboolean flag;

  g_assert_false (sotto_stream_item_get_muted (both));
  g_assert_false (sotto_stream_item_get_camera_off (both));
  g_assert_true (sotto_stream_item_get_muted (video));
  g_assert_false (sotto_stream_item_get_camera_off (video));

  g_signal_connect (both, "notify::muted", G_CALLBACK (on_notify), &muted_notified);
  g_signal_connect (both, "notify::camera-off", G_CALLBACK (on_notify), &camera_notified);
  sotto_stream_item_set_active (both, TRUE, FALSE);
  g_assert_false (sotto_stream_item_get_muted (both));
  g_assert_true (sotto_stream_item_get_camera_off (both));
  g_object_get (both, "camera-off", &flag, NULL);
  g_assert_true (flag);
  g_assert_cmpuint (muted_notified, ==, 0);
  g_assert_cmpuint (camera_notified, ==, 1);

  sotto_stream_item_set_active (both, TRUE, FALSE);
  g_assert_cmpuint (camera_notified, ==, 1);

  g_object_set (both, "audio-active", FALSE, NULL);
  g_assert_true (sotto_stream_item_get_muted (both));
  g_object_get (both, "muted", &flag, NULL);
  g_assert_true (flag);
  g_assert_cmpuint (muted_notified, ==, 1);

  sotto_stream_item_set_active (both, TRUE, TRUE);
  g_assert_false (sotto_stream_item_get_muted (both));
  g_assert_false (sotto_stream_item_get_camera_off (both));
  g_assert_cmpuint (muted_notified, ==, 2);
  g_assert_cmpuint (camera_notified, ==, 2);

  /* No microphone at all stays muted whatever its owner says. */
  sotto_stream_item_set_active (video, TRUE, FALSE);
  g_assert_true (sotto_stream_item_get_muted (video));
  g_assert_true (sotto_stream_item_get_camera_off (video));
}

/* The moderator panel's row says what is off, and only what the stream
 * carries can be. */
static void
test_stream_item_subtitle (void)
{
  g_autoptr(SottoStreamItem) both = sotto_stream_item_new ("s1", "c1", "Ana", TRUE, TRUE);
  g_autoptr(SottoStreamItem) video = sotto_stream_item_new ("s2", "c2", NULL, TRUE, FALSE);
  char *text;

  sotto_stream_item_set_subscriber_count (both, 3);
  text = sotto_stream_item_dup_subtitle (both);
  g_assert_cmpstr (text, ==, "3 watching");
  g_free (text);
  sotto_stream_item_set_active (both, TRUE, FALSE);
  text = sotto_stream_item_dup_subtitle (both);
  g_assert_cmpstr (text, ==, "3 watching · Camera off");
  g_free (text);
  sotto_stream_item_set_active (both, FALSE, TRUE);
  text = sotto_stream_item_dup_subtitle (both);
  g_assert_cmpstr (text, ==, "3 watching · Microphone off");
  g_free (text);
  sotto_stream_item_set_active (both, FALSE, FALSE);
  text = sotto_stream_item_dup_subtitle (both);
  g_assert_cmpstr (text, ==, "3 watching · Camera and microphone off");
  g_free (text);

  sotto_stream_item_set_active (video, FALSE, TRUE);
  text = sotto_stream_item_dup_subtitle (video);
  g_assert_cmpstr (text, ==, "Nobody watching");
  g_free (text);
}

static void
test_totals (void)
{
  g_autoptr(GListStore) people = g_list_store_new (SOTTO_TYPE_PARTICIPANT_ITEM);
  g_autoptr(GListStore) streams = g_list_store_new (SOTTO_TYPE_STREAM_ITEM);
  g_autoptr(SottoParticipantItem) ana = sotto_participant_item_new ("c1", "Ana", SOTTO_ROLE_MODERATOR);
  g_autoptr(SottoParticipantItem) bo = sotto_participant_item_new ("c2", "Bo", SOTTO_ROLE_PUBLISHER);
  g_autoptr(SottoParticipantItem) cy = sotto_participant_item_new ("c3", "Cy", SOTTO_ROLE_SUBSCRIBER);
  g_autoptr(SottoStreamItem) s1 = sotto_stream_item_new ("s1", "c1", "Ana", TRUE, FALSE);
  g_autoptr(SottoStreamItem) s2 = sotto_stream_item_new ("s2", "c1", "Ana", FALSE, TRUE);
  g_autoptr(SottoStreamItem) s3 = sotto_stream_item_new ("s3", "c2", "Bo", TRUE, TRUE);
  SottoModeratorTotals t;
  g_autofree char *text = NULL;
  g_autofree char *unlimited = NULL;

  sotto_moderator_totals_compute (NULL, NULL, 0, &t);
  g_assert_cmpuint (t.connections + t.publishers + t.subscriptions, ==, 0);

  g_list_store_append (people, ana);
  g_list_store_append (people, bo);
  g_list_store_append (people, cy);
  g_list_store_append (streams, s1);
  g_list_store_append (streams, s2);
  g_list_store_append (streams, s3);
  sotto_participant_item_set_state (ana, SOTTO_CONNECTION_STATE_CONNECTED);
  sotto_participant_item_set_state (cy, SOTTO_CONNECTION_STATE_DISCONNECTED);
  sotto_stream_item_set_subscriber_count (s1, 2);
  sotto_stream_item_set_subscriber_count (s3, 1);

  sotto_moderator_totals_compute (G_LIST_MODEL (people), G_LIST_MODEL (streams), 10, &t);
  g_assert_cmpuint (t.connections, ==, 2);
  g_assert_cmpuint (t.publishers, ==, 2);
  g_assert_cmpuint (t.subscriptions, ==, 3);
  g_assert_cmpuint (t.max_participants, ==, 10);
  text = sotto_moderator_totals_format (&t);
  g_assert_cmpstr (text, ==, "2 of 10 connected · 2 publishing · 3 subscriptions");

  t.max_participants = 0;
  t.subscriptions = 1;
  unlimited = sotto_moderator_totals_format (&t);
  g_assert_cmpstr (unlimited, ==, "2 connected · 2 publishing · 1 subscription");
}

static void
test_stats_text (void)
{
  const struct { char *text; const char *expected; } cases[] = {
    { sotto_stats_text_bitrate (-1), "—" },
    { sotto_stats_text_bitrate (350000), "350 kbit/s" },
    { sotto_stats_text_bitrate (1250000), "1.2 Mbit/s" },
    { sotto_stats_text_loss (0.005), "0.5 %" },
    { sotto_stats_text_loss (NAN), "—" },
    { sotto_stats_text_duration (42.4), "42 ms" },
    { sotto_stats_text_resolution (320, 240), "320 × 240" },
    { sotto_stats_text_resolution (0, 240), "—" },
    { sotto_stats_text_frame_rate (15), "15 fps" },
    { sotto_stats_text_codec ("VP8"), "VP8" },
    { sotto_stats_text_codec (NULL), "—" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (cases[i].text, ==, cases[i].expected);
      g_free (cases[i].text);
    }
}

static void
assert_words (GQuark      domain,
              int         code,
              const char *expected_substring)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, "low-level detail");
  g_autofree char *text = sotto_error_text_describe (error);

  g_test_message ("%s %d: %s", g_quark_to_string (domain), code, text);
  g_assert_nonnull (strstr (text, expected_substring));
  /* Known failures never leak the technical message. */
  if (!g_str_has_prefix (expected_substring, "Something went wrong"))
    g_assert_null (strstr (text, "low-level detail"));
}

static void
test_error_words (void)
{
  /* Every token error code has its own words. */
  for (int code = SOTTO_TOKEN_ERROR_TOO_LONG; code <= SOTTO_TOKEN_ERROR_WEAK_SECRET; code++)
    assert_words (SOTTO_TOKEN_ERROR, code, ".");
  assert_words (SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_EXPIRED, "expired");
  assert_words (SOTTO_TOKEN_ERROR, SOTTO_TOKEN_ERROR_MALFORMED, "copied all of it");

  /* The session layer's codes, matched by domain name until it links in. */
  for (int code = SOTTO_CALL_ERROR_BAD_TOKEN; code <= SOTTO_CALL_ERROR_PROTOCOL; code++)
    assert_words (g_quark_from_static_string ("sotto-call-error-quark"), code, ".");
  assert_words (g_quark_from_static_string ("sotto-call-error-quark"),
                SOTTO_CALL_ERROR_PIN_MISMATCH,
                "does not match the server; ask for a new one");
  assert_words (g_quark_from_static_string ("sotto-call-error-quark"),
                SOTTO_CALL_ERROR_SESSION_FULL, "full");
  assert_words (g_quark_from_static_string ("sotto-call-error-quark"),
                SOTTO_CALL_ERROR_KICKED, "moderator removed you");

  assert_words (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "cannot be reached");
  assert_words (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "cannot be reached");
  assert_words (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "Reconnecting…");
  assert_words (G_IO_ERROR, G_IO_ERROR_FAILED, "Something went wrong: low-level detail");
  g_assert_cmpstr (sotto_error_text_reconnecting (), ==, "Reconnecting…");
}

static void
test_extract_token (void)
{
  const struct { const char *text; const char *token; } cases[] = {
    { NULL, NULL },
    { "", NULL },
    { " \n\t", NULL },
    { "a.b.c", "a.b.c" },
    { "  a.b.c\n", "a.b.c" },
    { "sotto:a.b.c", "a.b.c" },
    { "SOTTO:a.b.c", "a.b.c" },
    { "sotto://a.b.c", "a.b.c" },
    { "sotto://join?token=a.b.c", "a.b.c" },
    { "sotto:?other=1&token=a.b.c", "a.b.c" },
    { "sotto://join?other=1", NULL },
    { "sotto:", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *token = sotto_join_page_extract_token (cases[i].text);

      g_assert_cmpstr (token, ==, cases[i].token);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/app/view-models/participant-item", test_participant_item);
  g_test_add_func ("/sotto/app/view-models/stream-item", test_stream_item);
  g_test_add_func ("/sotto/app/view-models/stream-item-state", test_stream_item_state);
  g_test_add_func ("/sotto/app/view-models/stream-item-subtitle", test_stream_item_subtitle);
  g_test_add_func ("/sotto/app/view-models/totals", test_totals);
  g_test_add_func ("/sotto/app/view-models/stats-text", test_stats_text);
  g_test_add_func ("/sotto/app/view-models/error-words", test_error_words);
  g_test_add_func ("/sotto/app/view-models/extract-token", test_extract_token);

  return g_test_run ();
}
