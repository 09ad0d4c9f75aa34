/* test-packet-demux.c: RFC 7983 classification
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>

#include "sotto-packet-demux.h"

static void
test_first_byte_ranges (void)
{
  guint8 buf[64] = { 0 };
  guint v;

  /* Every first-byte value, with a long enough datagram and a second byte
   * that is not an RTCP packet type. */
  for (v = 0; v < 256; v++)
    {
      SottoPacketKind expected;

      buf[0] = (guint8) v;
      buf[1] = 96;
      if (v <= 3)
        expected = SOTTO_PACKET_STUN;
      else if (v >= 16 && v <= 19)
        expected = SOTTO_PACKET_ZRTP;
      else if (v >= 20 && v <= 63)
        expected = SOTTO_PACKET_DTLS;
      else if (v >= 64 && v <= 79)
        expected = SOTTO_PACKET_TURN_CHANNEL;
      else if (v >= 128 && v <= 191)
        expected = SOTTO_PACKET_RTP;
      else
        expected = SOTTO_PACKET_UNKNOWN;

      g_assert_cmpint (sotto_packet_demux_classify (buf, sizeof buf), ==, expected);
    }
}

static void
test_rtcp_by_packet_type (void)
{
  guint8 buf[32] = { 0x80, 0 };
  guint pt;

  for (pt = 0; pt < 256; pt++)
    {
      buf[1] = (guint8) pt;
      g_assert_cmpint (sotto_packet_demux_classify (buf, sizeof buf), ==,
                       (pt >= 192 && pt <= 223) ? SOTTO_PACKET_RTCP : SOTTO_PACKET_RTP);
    }
}

static void
test_short_datagrams (void)
{
  const guint8 stun[19] = { 0x00, 0x01 };
  const guint8 dtls[12] = { 22, 0xfe, 0xfd };
  const guint8 rtp[11] = { 0x80, 96 };
  const guint8 rtcp[7] = { 0x80, 200 };
  const guint8 one = 0x80;

  g_assert_cmpint (sotto_packet_demux_classify (NULL, 0), ==, SOTTO_PACKET_UNKNOWN);
  g_assert_cmpint (sotto_packet_demux_classify (stun, sizeof stun), ==, SOTTO_PACKET_UNKNOWN);
  g_assert_cmpint (sotto_packet_demux_classify (dtls, sizeof dtls), ==, SOTTO_PACKET_UNKNOWN);
  g_assert_cmpint (sotto_packet_demux_classify (rtp, sizeof rtp), ==, SOTTO_PACKET_UNKNOWN);
  g_assert_cmpint (sotto_packet_demux_classify (rtcp, sizeof rtcp), ==, SOTTO_PACKET_UNKNOWN);
  g_assert_cmpint (sotto_packet_demux_classify (&one, 1), ==, SOTTO_PACKET_UNKNOWN);
  g_assert_cmpint (sotto_packet_demux_classify (stun, 20 - 1 + 0), ==, SOTTO_PACKET_UNKNOWN);
}

static void
test_kind_names (void)
{
  g_assert_cmpstr (sotto_packet_kind_to_string (SOTTO_PACKET_DTLS), ==, "dtls");
  g_assert_cmpstr (sotto_packet_kind_to_string (SOTTO_PACKET_RTCP), ==, "rtcp");
  g_assert_cmpstr (sotto_packet_kind_to_string (SOTTO_PACKET_UNKNOWN), ==, "unknown");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sotto/transport/demux/first-byte", test_first_byte_ranges);
  g_test_add_func ("/sotto/transport/demux/rtcp-packet-type", test_rtcp_by_packet_type);
  g_test_add_func ("/sotto/transport/demux/short", test_short_datagrams);
  g_test_add_func ("/sotto/transport/demux/names", test_kind_names);

  return g_test_run ();
}
