#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference for the two-party call benchmark: a pair of GStreamer webrtcbin
peers on loopback with the same encoder settings as Sotto's media layer.

Each peer runs in its own process (like two sotto-call processes), sends
VP8 + Opus and decodes what it receives. Offer/answer and candidates cross a
pipe between the two processes. ICE gathers only 127.0.0.1, UPnP off.

Prints one JSON object: per peer, ms from process start to the first decoded
video frame, CPU seconds per minute of call, and peak RSS in KiB.

Usage: webrtcbin-reference.py [--width 1280 --height 720 --fps 30
                               --bitrate 1500000 --seconds 20]

Not a test: figures only. Runs with Debian's /usr/bin/python3 (python3-gi).
"""
import argparse
import ctypes
import json
import os
import re
import resource
import sys
import time

START = time.monotonic()

import gi  # noqa: E402

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402


def pipeline_description(args):
    # Keep in step with src/media: realtime VP8, no lookahead, Opus FEC + DTX.
    return (
        "webrtcbin name=webrtc bundle-policy=max-bundle latency=60 "
        f"videotestsrc is-live=true pattern=ball ! video/x-raw,width={args.width},"
        f"height={args.height},framerate={args.fps}/1 ! videoconvert ! "
        f"vp8enc deadline=1 lag-in-frames=0 error-resilient=default cpu-used=-6 "
        f"keyframe-max-dist=3000 target-bitrate={args.bitrate} threads=1 ! "
        "rtpvp8pay pt=96 picture-id-mode=15-bit ! "
        "application/x-rtp,media=video,encoding-name=VP8,payload=96 ! webrtc. "
        "audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! "
        "opusenc inband-fec=true dtx=true ! rtpopuspay pt=111 ! "
        "application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! webrtc. "
    )


class Peer:
    def __init__(self, args, offerer, rx, tx):
        self.args = args
        self.offerer = offerer
        self.rx = rx
        self.tx = tx
        self.first_frame_ms = None
        self.loop = GLib.MainLoop()
        self.pipe = Gst.parse_launch(pipeline_description(args))
        self.webrtc = self.pipe.get_by_name("webrtc")
        self.restrict_ice_to_loopback()
        self.webrtc.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.webrtc.connect("on-ice-candidate", self.on_ice_candidate)
        self.webrtc.connect("pad-added", self.on_pad_added)
        GLib.io_add_watch(self.rx, GLib.IO_IN | GLib.IO_HUP, self.on_signal)
        self.rx_buffer = b""

    def restrict_ice_to_loopback(self):
        ice = self.webrtc.get_property("ice-agent")
        # webrtcbin 1.22 hands out its ICE agent without a reference, and
        # PyGObject then drops one it never had; take the missing one.
        gobject = ctypes.CDLL("libgobject-2.0.so.0")
        gobject.g_object_ref.argtypes = [ctypes.c_void_p]
        gobject.g_object_ref(int(re.search(r"at (0x[0-9a-f]+)\)>$", repr(ice)).group(1), 16))
        agent = ice.get_property("agent")
        agent.set_property("upnp", False)
        ice.emit("add-local-ip-address", "127.0.0.1")

    def send(self, obj):
        os.write(self.tx, (json.dumps(obj) + "\n").encode())

    def on_negotiation_needed(self, element):
        if not self.offerer:
            return
        promise = Gst.Promise.new_with_change_func(self.on_offer_created, None)
        element.emit("create-offer", None, promise)

    def on_offer_created(self, promise, _data):
        reply = promise.get_reply()
        if reply.has_field("error"):
            sys.exit(f"create-offer failed: {reply.get_value('error')}")
        offer = reply.get_value("offer")
        self.webrtc.emit("set-local-description", offer, Gst.Promise.new())
        self.send({"type": "offer", "sdp": offer.sdp.as_text()})

    def on_answer_created(self, promise, _data):
        reply = promise.get_reply()
        if reply.has_field("error"):
            sys.exit(f"create-answer failed: {reply.get_value('error')}")
        answer = reply.get_value("answer")
        self.webrtc.emit("set-local-description", answer, Gst.Promise.new())
        self.send({"type": "answer", "sdp": answer.sdp.as_text()})

    def on_ice_candidate(self, _element, mline, candidate):
        self.send({"type": "candidate", "mline": mline, "candidate": candidate})

    def on_signal(self, fd, condition):
        data = os.read(fd, 65536)
        if not data:
            return False
        self.rx_buffer += data
        while b"\n" in self.rx_buffer:
            line, self.rx_buffer = self.rx_buffer.split(b"\n", 1)
            self.handle(json.loads(line))
        return True

    def handle(self, msg):
        if msg["type"] in ("offer", "answer"):
            _, sdp = GstSdp.SDPMessage.new_from_text(msg["sdp"])
            kind = (GstWebRTC.WebRTCSDPType.OFFER if msg["type"] == "offer"
                    else GstWebRTC.WebRTCSDPType.ANSWER)
            desc = GstWebRTC.WebRTCSessionDescription.new(kind, sdp)
            self.webrtc.emit("set-remote-description", desc, Gst.Promise.new())
            if msg["type"] == "offer":
                promise = Gst.Promise.new_with_change_func(self.on_answer_created, None)
                self.webrtc.emit("create-answer", None, promise)
        elif msg["type"] == "candidate":
            self.webrtc.emit("add-ice-candidate", msg["mline"], msg["candidate"])

    def on_pad_added(self, _element, pad):
        if pad.direction != Gst.PadDirection.SRC:
            return
        decodebin = Gst.ElementFactory.make("decodebin")
        decodebin.connect("pad-added", self.on_decoded_pad)
        self.pipe.add(decodebin)
        decodebin.sync_state_with_parent()
        pad.link(decodebin.get_static_pad("sink"))

    def on_decoded_pad(self, _decodebin, pad):
        caps = pad.get_current_caps().to_string()
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        if caps.startswith("video"):
            sink.set_property("signal-handoffs", True)
            sink.connect("handoff", self.on_video_frame)
        self.pipe.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

    def on_video_frame(self, *_args):
        if self.first_frame_ms is None:
            self.first_frame_ms = (time.monotonic() - START) * 1000.0

    def run(self):
        self.pipe.set_state(Gst.State.PLAYING)
        GLib.timeout_add_seconds(self.args.seconds, self.loop.quit)
        self.loop.run()
        self.pipe.set_state(Gst.State.NULL)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        return {
            "first_frame_ms": self.first_frame_ms,
            "cpu_s_per_min": cpu * 60.0 / self.args.seconds,
            "peak_rss_kib": usage.ru_maxrss,
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument("--bitrate", type=int, default=1500000)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()

    a_to_b = os.pipe()
    b_to_a = os.pipe()
    results = os.pipe()
    children = []
    for offerer in (True, False):
        pid = os.fork()
        if pid == 0:
            Gst.init(None)
            rx, tx = (b_to_a[0], a_to_b[1]) if offerer else (a_to_b[0], b_to_a[1])
            out = Peer(args, offerer, rx, tx).run()
            out["role"] = "offerer" if offerer else "answerer"
            os.write(results[1], (json.dumps(out) + "\n").encode())
            os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    os.close(results[1])
    peers = [json.loads(line) for line in os.fdopen(results[0]).read().splitlines()]
    json.dump({"reference": "webrtcbin", "width": args.width, "height": args.height,
               "fps": args.fps, "seconds": args.seconds, "peers": peers}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
