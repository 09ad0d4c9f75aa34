#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference for the two-party call benchmark: a pair of GStreamer webrtcbin
peers on loopback with the same encoder settings as Sotto's media layer.

Each peer runs in its own process (like two sotto-call processes), sends
VP8 + Opus and decodes what it receives. Offer/answer and candidates cross a
pipe between the two processes. ICE gathers only 127.0.0.1, UPnP off.

Prints one JSON object: per peer, ms from process start to the first decoded
video frame, CPU seconds per minute over the process's life and in the
steady state (from 3 s after the first frame to the end), the frame rate
decoded in that window, and peak RSS in KiB.

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
# The steady-state CPU window starts this long after the first decoded frame.
STEADY_AFTER_MS = 3000

import gi  # noqa: E402

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402


def pipeline_description(args):
    # The same sources and encoder settings as src/media/sotto-media-sender.c
    # (build_video, build_audio) and the defaults of sotto-media-config.c
    # (the ball moves with the frame count, as there: with
    # animation-mode=running-time it moves differently and 720p VP8 costs
    # about 15% more, which once made the reference look dearer than it is):
    # realtime single-threaded VP8 in CBR with no lookahead, a keyframe at
    # least every 10 s, a leaky one-frame queue and the camera-off valve
    # (open) before the encoder; the microphone mute (volume), Opus voice at
    # 32 kbit/s with in-band FEC and DTX. Keep the two in step.
    return (
        "webrtcbin name=webrtc bundle-policy=max-bundle latency=60 "
        "videotestsrc is-live=true pattern=ball ! "
        f"video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1 ! "
        "queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream ! "
        "valve drop=false ! "
        "vp8enc deadline=1 lag-in-frames=0 cpu-used=8 end-usage=cbr "
        f"target-bitrate={args.bitrate} keyframe-max-dist={args.fps * 10} keyframe-mode=auto "
        "buffer-size=1000 buffer-initial-size=500 buffer-optimal-size=600 undershoot=95 "
        "min-quantizer=2 max-quantizer=56 error-resilient=default threads=1 ! "
        "rtpvp8pay pt=96 picture-id-mode=15-bit mtu=1200 ! "
        "application/x-rtp,media=video,encoding-name=VP8,payload=96 ! webrtc. "
        "audiotestsrc is-live=true wave=sine freq=440 volume=0.3 samplesperbuffer=960 ! "
        "audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=48000,channels=1 ! "
        "volume ! opusenc bitrate=32000 inband-fec=true dtx=true packet-loss-percentage=10 audio-type=voice ! "
        "rtpopuspay pt=111 mtu=1200 ! "
        "application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! webrtc. "
    )


# What src/media/sotto-media-receiver.c does for sotto-call with what it
# receives: depay, single-threaded VP8 decode handed over in the decoder's
# own format (sotto-call sets native_video_frames: it never draws, so it
# skips the RGBA conversion the app's renderer needs, and neither peer here
# draws either), Opus with FEC and concealment into a synchronised fakesink,
# as with SOTTO_AUDIO_SINK=fake (which also leaves out sotto-call's shared
# mixer and echo probe: nothing is played, so there is nothing to mix).
VIDEO_RECEIVE = ("rtpvp8depay wait-for-keyframe=true request-keyframe=true ! vp8dec threads=1 ! "
                 "fakesink name=video-sink sync=true signal-handoffs=true")
AUDIO_RECEIVE = ("rtpopusdepay ! opusdec use-inband-fec=true plc=true ! audioconvert ! "
                 "audioresample ! fakesink sync=true")


class Peer:
    def __init__(self, args, offerer, rx, tx):
        self.args = args
        self.offerer = offerer
        self.rx = rx
        self.tx = tx
        self.first_frame_ms = None
        self.steady_start = None
        self.frames = 0
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
        caps = pad.get_current_caps() or pad.query_caps(None)
        media = caps.get_structure(0).get_string("media")
        receive = Gst.parse_bin_from_description(VIDEO_RECEIVE if media == "video" else AUDIO_RECEIVE, True)
        if media == "video":
            receive.get_by_name("video-sink").connect("handoff", self.on_video_frame)
        self.pipe.add(receive)
        receive.sync_state_with_parent()
        pad.link(receive.get_static_pad("sink"))

    def on_video_frame(self, *_args):
        # Streaming thread: only plain attribute writes here.
        self.frames += 1
        if self.first_frame_ms is None:
            self.first_frame_ms = (time.monotonic() - START) * 1000.0
            GLib.timeout_add(STEADY_AFTER_MS, self.on_steady)

    def on_steady(self):
        # Past connection setup and the first keyframe: the steady-state window starts.
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.steady_start = (time.monotonic(), usage.ru_utime + usage.ru_stime, self.frames)
        return GLib.SOURCE_REMOVE

    def run(self):
        self.pipe.set_state(Gst.State.PLAYING)
        GLib.timeout_add_seconds(self.args.seconds, self.loop.quit)
        self.loop.run()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        steady = fps = None
        if self.steady_start is not None:
            wall = time.monotonic() - self.steady_start[0]
            steady = (usage.ru_utime + usage.ru_stime - self.steady_start[1]) * 60.0 / wall
            fps = (self.frames - self.steady_start[2]) / wall
        self.pipe.set_state(Gst.State.NULL)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        # Over the process's whole life, as bench-call.py measures sotto-call.
        return {
            "first_frame_ms": self.first_frame_ms,
            "cpu_s_per_min": cpu * 60.0 / (time.monotonic() - START),
            "cpu_s_per_min_steady": steady,
            "fps_decoded_steady": fps,
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
