/* sotto-packet-demux.c: RFC 7983 classification of datagrams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sotto-packet-demux.h"

/* Shortest datagram of each kind that could possibly be valid; anything
 * shorter is dropped here so that no later stage sees a truncated header. */
#define STUN_HEADER_LEN   20  /* RFC 5389, section 6 */
#define DTLS_HEADER_LEN   13  /* RFC 6347, section 4.1 */
#define CHANNEL_HEADER_LEN 4  /* RFC 5766, section 11.4 */
#define RTP_HEADER_LEN    12  /* RFC 3550, section 5.1 */
#define RTCP_HEADER_LEN    8  /* RFC 3550, section 6.4.1 (SR/RR header + SSRC) */

SottoPacketKind
sotto_packet_demux_classify (const guint8 *data,
                             gsize         len)
{
  guint8 b;

  if (data == NULL || len == 0)
    return SOTTO_PACKET_UNKNOWN;

  b = data[0];

  /* RFC 7983, section 7: the ranges are disjoint, and every value not named
   * is reserved and must be dropped rather than guessed at. */
  if (b <= 3)
    return len >= STUN_HEADER_LEN ? SOTTO_PACKET_STUN : SOTTO_PACKET_UNKNOWN;
  if (b >= 16 && b <= 19)
    return SOTTO_PACKET_ZRTP;
  if (b >= 20 && b <= 63)
    return len >= DTLS_HEADER_LEN ? SOTTO_PACKET_DTLS : SOTTO_PACKET_UNKNOWN;
  if (b >= 64 && b <= 79)
    return len >= CHANNEL_HEADER_LEN ? SOTTO_PACKET_TURN_CHANNEL : SOTTO_PACKET_UNKNOWN;
  if (b >= 128 && b <= 191)
    {
      /* RFC 5761, section 4: with rtcp-mux, RTCP packet types 192..223 sit
       * where RTP would have marker bit + payload type 64..95, which is why
       * those payload types must never be used for RTP. */
      if (len >= 2 && data[1] >= 192 && data[1] <= 223)
        return len >= RTCP_HEADER_LEN ? SOTTO_PACKET_RTCP : SOTTO_PACKET_UNKNOWN;
      return len >= RTP_HEADER_LEN ? SOTTO_PACKET_RTP : SOTTO_PACKET_UNKNOWN;
    }

  return SOTTO_PACKET_UNKNOWN;
}

const char *
sotto_packet_kind_to_string (SottoPacketKind kind)
{
  switch (kind)
    {
    case SOTTO_PACKET_STUN:         return "stun";
    case SOTTO_PACKET_ZRTP:         return "zrtp";
    case SOTTO_PACKET_DTLS:         return "dtls";
    case SOTTO_PACKET_TURN_CHANNEL: return "turn-channel";
    case SOTTO_PACKET_RTP:          return "rtp";
    case SOTTO_PACKET_RTCP:         return "rtcp";
    case SOTTO_PACKET_UNKNOWN:
    default:                        return "unknown";
    }
}
