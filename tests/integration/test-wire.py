#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Wire check: what two sotto-call peers put on the wire is STUN, DTLS and
SRTP/SRTCP only, and no media is in the clear.

The peers gather ICE candidates on a loopback address of their own
(127.77.x.1, still on lo), so a dumpcap capture filtered on that host sees
exactly their datagrams and nothing of other tests running at the same time.
Each datagram is classified by its first byte as RFC 7983 demultiplexes:
0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP. Anything else fails the test.

Encrypted media is told from plaintext three ways:
- the first payload byte after the RTP header: in plaintext VP8 it is the
  payload descriptor (a handful of values), in Opus the TOC byte (one value
  for a fixed configuration); under SRTP it is spread over all 256 values;
- the VP8 keyframe header (start code 9d 01 2a followed by the call's width
  and height) appears in no datagram;
- every RTCP datagram carries the SRTCP trailer with its E (encrypted) flag.
The same detectors are first run on synthesized plaintext RTP, so they are
shown to fire on what they look for.

Skips (TAP "1..0 # SKIP") when dumpcap is missing or may not capture on lo.
"""
import collections
import math
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

from sottotest import Peer, Server, TapReporter

T = TapReporter()
WIDTH, HEIGHT = 320, 240
# Start code of a VP8 keyframe (RFC 6386 section 9.1) and the frame size
# fields that follow it: 14-bit width and height, little endian, scale 0.
KEYFRAME_HEADER = b"\x9d\x01\x2a" + struct.pack("<HH", WIDTH, HEIGHT)
# Payload types RFC 5761 section 4 reserves for RTCP when multiplexed.
RTCP_TYPES = range(64, 96)


def skip(reason):
    print(f"1..0 # SKIP {reason}", flush=True)
    sys.exit(0)


# ---------------------------------------------------------------- capture

def start_capture(dumpcap, host, path):
    """dumpcap on lo for host's UDP datagrams, or None with the reason."""
    proc = subprocess.Popen(
        [dumpcap, "-i", "lo", "-f", f"udp and host {host}", "-P", "-w", path,
         "-a", "duration:120", "-a", "filesize:200000", "-q"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # dumpcap says "Capturing on 'Loopback: lo'" once the capture runs.
    # Bounded: dumpcap prints a few lines at most before that.
    said = []
    for _ in range(20):
        line = proc.stderr.readline()
        if not line:
            break
        if line.startswith("Capturing on"):
            return proc, None
        said.append(line.strip())
    proc.kill()
    said.append(proc.communicate(timeout=5)[1].strip())
    return None, " ".join(s for s in said if s)[:300]


def stop_capture(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def read_pcap(path):
    """(src, sport, dst, dport, payload) for every UDP datagram in a pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError("not a pcap file")
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    offset = 24
    datagrams = []
    while offset + 16 <= len(data):
        incl_len = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
        frame = data[offset + 16:offset + 16 + incl_len]
        offset += 16 + incl_len
        if linktype == 1:          # Ethernet: what Linux gives for lo
            ethertype, ip = struct.unpack("!H", frame[12:14])[0], frame[14:]
        elif linktype == 113:      # Linux cooked capture v1
            ethertype, ip = struct.unpack("!H", frame[14:16])[0], frame[16:]
        elif linktype == 276:      # Linux cooked capture v2
            ethertype, ip = struct.unpack("!H", frame[0:2])[0], frame[20:]
        elif linktype in (0, 108): # BSD loopback
            ethertype, ip = (0x0800 if frame[4] >> 4 == 4 else 0x86DD), frame[4:]
        elif linktype == 101:      # raw IP
            ethertype, ip = (0x0800 if frame[0] >> 4 == 4 else 0x86DD), frame
        else:
            raise ValueError(f"unexpected link type {linktype}")
        if ethertype == 0x0800 and ip[9] == 17:
            header = (ip[0] & 0x0F) * 4
            src, dst = ".".join(map(str, ip[12:16])), ".".join(map(str, ip[16:20]))
            udp = ip[header:]
        elif ethertype == 0x86DD and ip[6] == 17:
            header = 40
            src, dst = ip[8:24].hex(), ip[24:40].hex()
            udp = ip[header:]
        else:
            continue
        sport, dport, length = struct.unpack("!HHH", udp[:6])
        datagrams.append((src, sport, dst, dport, udp[8:length]))
    return datagrams


# ---------------------------------------------------------------- analysis

def classify(payload):
    """RFC 7983 section 7: the first byte tells the protocol."""
    if not payload:
        return "empty"
    b = payload[0]
    if b <= 3:
        return "stun"
    if 20 <= b <= 63:
        return "dtls"
    if 128 <= b <= 191:
        return "rtcp" if len(payload) > 1 and (payload[1] & 0x7F) in RTCP_TYPES else "rtp"
    return f"other(first byte {b})"


def rtp_payload(packet):
    """(ssrc, payload) of an RTP packet: after CSRCs and header extension."""
    cc = packet[0] & 0x0F
    offset = 12 + 4 * cc
    if packet[0] & 0x10 and len(packet) >= offset + 4:
        offset += 4 + 4 * struct.unpack("!H", packet[offset + 2:offset + 4])[0]
    return struct.unpack("!I", packet[8:12])[0], packet[offset:]


def srtcp_encrypted(packet, profile):
    """The SRTCP E flag (RFC 3711 section 3.4): the top bit of the index word,
    which is last for AEAD profiles (RFC 7714) and precedes the HMAC tag of
    AES_CM_128_HMAC_SHA1_80 (10 bytes) or _32 (4 bytes)."""
    tag = 0
    if profile and "HMAC_SHA1_80" in profile:
        tag = 10
    elif profile and "HMAC_SHA1_32" in profile:
        tag = 4
    end = len(packet) - tag
    return end >= 12 and packet[end - 4] & 0x80 != 0


def entropy(data):
    counts = collections.Counter(data)
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in counts.values()) if n else 0.0


def plaintext_findings(payloads, profile):
    """Every sign of cleartext media in a list of UDP payloads (empty: none)."""
    findings = []
    first_bytes = collections.defaultdict(collections.Counter)
    body = collections.defaultdict(bytearray)
    for p in payloads:
        if KEYFRAME_HEADER in p:
            findings.append("a VP8 keyframe header in a datagram")
        kind = classify(p)
        if kind == "rtp":
            ssrc, payload = rtp_payload(p)
            if payload:
                first_bytes[ssrc][payload[0]] += 1
                body[ssrc] += payload
        elif kind == "rtcp" and not srtcp_encrypted(p, profile):
            findings.append("an RTCP datagram without the SRTCP E flag")
    for ssrc, counter in first_bytes.items():
        n = sum(counter.values())
        value, most = counter.most_common(1)[0]
        # Uniform over 256 values, the commonest of n draws stays near
        # n/256 + a few; plaintext repeats one descriptor or TOC byte.
        if n >= 50 and most > max(10, n // 16):
            findings.append(f"SSRC {ssrc:08x}: first payload byte {value:#04x} in {most} of {n} packets")
        if len(body[ssrc]) >= 4096 and entropy(bytes(body[ssrc])) < 7.5:
            findings.append(f"SSRC {ssrc:08x}: payload entropy {entropy(bytes(body[ssrc])):.2f} bits/byte")
    return sorted(set(findings))


def synthetic_plaintext():
    """Plaintext RTP shaped like ours: VP8 with a keyframe, Opus, plain RTCP."""
    rng = random.Random(7)
    packets = []
    for seq in range(200):
        descriptor = b"\x90\x80" + struct.pack("!H", 0x8000 | seq)
        frame = (b"\x50\x42\x00" + KEYFRAME_HEADER) if seq == 0 else rng.randbytes(3)
        packets.append(struct.pack("!BBHII", 0x80, 96, seq, seq * 6000, 0x1234) +
                       descriptor + frame + rng.randbytes(900))
        packets.append(struct.pack("!BBHII", 0x80, 111, seq, seq * 960, 0x5678) +
                       b"\x78" + rng.randbytes(60))
    # A receiver report: 8-byte header + one report block.
    packets.append(struct.pack("!BBHI", 0x81, 201, 7, 0x1234) + bytes(24))
    return packets


# ---------------------------------------------------------------- the call

def decoding(stream_id):
    return lambda e: any(s["stream_id"] == stream_id and s["direction"] == "receive" and
                         s.get("frames_decoded", 0) >= 30 and s.get("audio_decoded", 0) >= 50
                         for s in e["subscriptions"])


def main():
    dumpcap = shutil.which("dumpcap")
    if not dumpcap:
        skip("dumpcap not installed (Debian package tshark)")
    host = f"127.77.{os.getpid() % 250 + 1}.1"
    workdir = tempfile.mkdtemp(prefix="sotto-wire-")
    pcap = os.path.join(workdir, "call.pcap")
    os.chmod(workdir, 0o777)  # dumpcap may drop privileges before writing
    capture, said = start_capture(dumpcap, host, pcap)
    if capture is None:
        shutil.rmtree(workdir, ignore_errors=True)
        if "ermission" in said or "not permitted" in said:
            skip(f"dumpcap may not capture on lo (needs root or CAP_NET_RAW): {said}")
        T.ok(False, f"dumpcap starts a capture on lo: {said}")
        return

    findings = plaintext_findings(synthetic_plaintext(), "SRTP_AEAD_AES_256_GCM")
    T.ok(len(findings) >= 4, "the detectors flag synthesized plaintext RTP: " + "; ".join(findings))

    server = None
    peers = []
    profile = None
    try:
        server = Server()
        server.start()
        session = server.create_session()
        env = {"SOTTO_ICE_ADDRESSES": host}
        peers = [Peer(name, server.mint(session, "publisher", name), ["--name", name], env=env)
                 for name in ("alice", "bob")]
        joined = [p.wait_event("joined", 30) for p in peers]
        if not T.ok(all(joined), "both peers join"):
            for p in peers:
                T.diag(f"{p.name}: {p.stderr()}")
            return
        streams = [j["stream_id"] for j in joined]
        # Each decodes the other's video and audio: keyframes and a few
        # seconds of media have crossed the wire by then.
        ok = [peers[0].wait_stats(decoding(streams[1]), 60), peers[1].wait_stats(decoding(streams[0]), 60)]
        T.ok(all(ok), "each peer decodes the other's video and audio")
        sub = peers[0].subscription(streams[1]) or {}
        profile = sub.get("srtp_profile")
        T.diag(f"SRTP profile {profile}")
    finally:
        for p in peers:
            p.stop()
        if server:
            server.cleanup()
        time.sleep(0.5)
        stop_capture(capture)

    try:
        datagrams = read_pcap(pcap)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    kinds = collections.Counter(classify(d[4]) for d in datagrams)
    T.diag(f"{len(datagrams)} datagrams on {host}: {dict(kinds)}")
    T.ok(all(d[0] == host and d[2] == host for d in datagrams),
         "every captured datagram is between the peers' own loopback address")
    others = {k: v for k, v in kinds.items() if k not in ("stun", "dtls", "rtp", "rtcp")}
    T.ok(not others, f"nothing but STUN, DTLS and SRTP/SRTCP on the wire: {others}")
    T.ok(kinds["stun"] > 0, "ICE connectivity checks (STUN) are seen")
    T.ok(kinds["dtls"] > 0, "DTLS handshakes are seen")
    T.ok(kinds["rtp"] >= 200, f"SRTP media flows ({kinds['rtp']} packets)")
    T.ok(kinds["rtcp"] > 0, f"SRTCP flows ({kinds['rtcp']} packets)")
    findings = plaintext_findings([d[4] for d in datagrams], profile)
    T.ok(not findings, "no media in the clear" + (": " + "; ".join(findings) if findings else ""))


if __name__ == "__main__":
    main()
    sys.exit(T.finish())
