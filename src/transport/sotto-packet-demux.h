/* sotto-packet-demux.h: RFC 7983 classification of datagrams on one ICE component
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a datagram on a bundled, rtcp-muxed component is, judged by its first
 * byte (RFC 7983, section 7) and, for RTP against RTCP, by its second
 * (RFC 5761, section 4). */
typedef enum {
  SOTTO_PACKET_UNKNOWN,       /* anything else, including too short: dropped */
  SOTTO_PACKET_STUN,          /* 0..3 */
  SOTTO_PACKET_ZRTP,          /* 16..19: Sotto does not speak ZRTP, dropped */
  SOTTO_PACKET_DTLS,          /* 20..63 */
  SOTTO_PACKET_TURN_CHANNEL,  /* 64..79 */
  SOTTO_PACKET_RTP,           /* 128..191, second byte not an RTCP packet type */
  SOTTO_PACKET_RTCP,          /* 128..191, second byte 192..223 */
} SottoPacketKind;

SottoPacketKind sotto_packet_demux_classify (const guint8 *data,
                                             gsize         len);

const char     *sotto_packet_kind_to_string (SottoPacketKind kind);

G_END_DECLS
