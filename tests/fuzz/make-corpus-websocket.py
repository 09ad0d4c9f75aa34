#!/usr/bin/env python3
# Regenerates the seed corpus in corpus/websocket for fuzz-websocket.c
# (deterministic; run from anywhere). Each seed is one split-selector byte,
# then what a client sends: a request head and/or masked frames.
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "websocket")
MASK = bytes([0x37, 0xFA, 0x21, 0x3D])

HEAD = (b"GET /v1/signal HTTP/1.1\r\n"
        b"Host: 127.0.0.1:8443\r\n"
        b"Upgrade: websocket\r\n"
        b"Connection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        b"Sec-WebSocket-Version: 13\r\n"
        b"\r\n")


def frame(b0, payload, masked=True, form=None):
    """A client frame; `form` forces a 16- or 64-bit length."""
    n = len(payload)
    if form is None:
        form = 7 if n < 126 else 16 if n < 65536 else 64
    bit = 0x80 if masked else 0
    if form == 7:
        head = bytes([b0, bit | n])
    elif form == 16:
        head = bytes([b0, bit | 126]) + struct.pack(">H", n)
    else:
        head = bytes([b0, bit | 127]) + struct.pack(">Q", n)
    if not masked:
        return head + payload
    return head + MASK + bytes(c ^ MASK[i % 4] for i, c in enumerate(payload))


def text(s, fin=True):
    return frame((0x80 if fin else 0) | 0x1, s.encode())


seeds = {
    "head-rfc-handshake": b"\x10" + HEAD,
    "head-and-hello": b"\x40" + HEAD + text('{"type":"hello"}'),
    "head-split-mid-frame": bytes([len(HEAD) + 5]) + HEAD + text("Hello"),
    "head-duplicates": b"\x00" + (b"GET / HTTP/1.1\r\nhost: h\r\nX-A: 1\r\nx-a:  2 \r\n"
                                  b"Connection: keep-alive\r\nCONNECTION: Upgrade\r\n"
                                  b"Upgrade: WebSocket\r\nSec-WebSocket-Version: 13\r\n"
                                  b"Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n"),
    "head-obs-fold": b"\x08" + b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",
    "head-bare-lf": b"\x08" + b"GET / HTTP/1.1\nHost: h\n\n",
    "head-http10": b"\x03" + b"GET / HTTP/1.0\r\nHost: h\r\n\r\n",
    "frame-hello": b"\x05" + bytes([0x81, 0x85]) + MASK + bytes([0x7F, 0x9F, 0x4D, 0x51, 0x58]),
    "frames-fragmented-ping": b"\x0b" + text("Hel", fin=False) + frame(0x89, b"ping")
                              + frame(0x00, b"lo") + frame(0x8A, b"") + frame(0x80, b"!"),
    "frames-close-reason": b"\x02" + frame(0x88, struct.pack(">H", 1000) + "au revoir \u00e9".encode()),
    "frames-close-bad-code": b"\x02" + frame(0x88, struct.pack(">H", 1005)),
    "frame-len16": b"\x07" + frame(0x82, bytes(range(256)) + bytes(44)),
    "frame-len64-short": b"\x09" + frame(0x82, b"non-minimal", form=64),
    "frame-too-big": b"\x00" + bytes([0x82, 0xFF]) + struct.pack(">Q", 1 << 40),
    "frame-unmasked": b"\x00" + frame(0x81, b"Hello", masked=False),
    "frame-rsv1": b"\x00" + frame(0xC1, b"deflated?"),
    "frame-control-long": b"\x00" + frame(0x89, bytes(126)),
    "frames-bad-utf8-split": b"\x06" + frame(0x01, b"a\xc3") + frame(0x80, b"\x28"),
    "frames-many-small": b"\x33" + b"".join(text('{"n":%d}' % i) for i in range(20)),
    "frames-new-message-while-open": b"\x00" + text("a", fin=False) + text("b"),
    "empty": b"",
}

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print(f"{len(seeds)} seeds in {OUT}")
