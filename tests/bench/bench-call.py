#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Call benchmark: real sotto-call processes and a sotto-server on loopback.

1. Two-party call, 1280x720 at 30 fps VP8 + Opus (test sources): per peer,
   ms from process start to the first decoded video frame, CPU seconds per
   minute (steady state and over the process's life, from /proc/PID/stat),
   peak RSS (VmHWM from /proc/PID/status just before it leaves). Then, in
   the same run and on the same machine, the webrtcbin reference pair
   (webrtcbin-reference.py, same encoder settings) and the ratios; rounds
   alternate the two so both meet the same background load.
   Goals: CPU at most 0.8 of webrtcbin's; first frame under 300 ms.
2. Mesh of N publishers at 640x360, 30 fps, N = 2..6: CPU per peer, the
   frame rate each peer decodes of each other stream, and the number of
   VP8 encoders and decoders each process created (GStreamer's element
   factory log): one encoder per publisher whatever its subscriber count.
   The largest N where every stream decodes at 27 fps or more (90% of 30)
   is the largest mesh this machine sustains.

Not a test: it prints figures (and a JSON summary with --json) and exits 1
only when a structural claim fails (not one encoder per publisher, or a
call that never starts). Media timing depends on the machine's load; the
load average is printed with each phase.

Usage: bench-call.py [--build-dir _build] [--seconds 30] [--rounds 3] [--mesh 2,3,4,5,6]
                     [--mesh-seconds 20] [--no-reference] [--json FILE]
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
import sottotest  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WARMUP_S = 3          # after every first frame, before the steady-state window
SUSTAINED_FPS = 27.0  # 90% of 30 fps


def default_kbps(width, height, fps):
    """sotto_media_config_default_video_kbps: 1.5 Mbit/s at 720p30, by pixel rate."""
    return max(150, min(2500, width * height * max(fps, 1) * 1500 // (1280 * 720 * 30)))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # After the command: state is field 3, utime 14 and stime 15 (proc(5)).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class BenchPeer:
    """One sotto-call; events are kept with the monotonic time they arrived."""

    def __init__(self, name, token, width, height, fps, workdir):
        self.name = name
        self.events = []
        self.lock = threading.Condition()
        self.log_path = os.path.join(workdir, f"{name}.log")
        env = dict(os.environ)
        env.update({
            "SOTTO_ICE_ADDRESSES": "127.0.0.1",
            "SOTTO_VIDEO_SOURCE": "test",
            "SOTTO_AUDIO_SOURCE": "test",
            "SOTTO_AUDIO_SINK": "fake",
            # One line per element created: counts encoders and decoders.
            "GST_DEBUG": "GST_ELEMENT_FACTORY:4",
            "GST_DEBUG_NO_COLOR": "1",
        })
        self.spawned = time.monotonic()
        self.proc = subprocess.Popen(
            [sottotest.CALL, "--token", token, "--stats", "--name", name,
             "--width", str(width), "--height", str(height), "--fps", str(fps)],
            stdout=subprocess.PIPE, stderr=open(self.log_path, "w"), env=env, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.final = {}

    def _read(self):
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                self.events.append((time.monotonic(), event))
                self.lock.notify_all()

    def wait_for(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for arrived, event in self.events:
                    if predicate(event):
                        return arrived, event
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.proc.poll() is not None:
                    return None
                self.lock.wait(min(remaining, 0.2))

    def stream_id(self):
        found = self.wait_for(lambda e: e.get("event") == "joined", 30)
        return found[1]["stream_id"] if found else None

    def first_frames(self):
        """stream id -> ms from process start to its first decoded frame."""
        with self.lock:
            return {e["stream_id"]: (t - self.spawned) * 1000 for t, e in self.events
                    if e.get("event") == "first-frame"}

    def milestones(self):
        """ms from process start to joining, to the first receiving media
        connection (ICE and DTLS done) and to the first decoded frame."""
        marks = {}
        with self.lock:
            for t, e in self.events:
                kind = e.get("event")
                if kind == "media-connected" and e.get("direction") == "receive":
                    kind = "media-connected"
                elif kind not in ("joined", "first-frame"):
                    continue
                marks.setdefault(kind, round((t - self.spawned) * 1000))
        return marks

    def frames(self):
        """stream id -> (stats time, frames decoded), from the latest stats."""
        with self.lock:
            for _, e in reversed(self.events):
                if e.get("event") == "stats":
                    return {s["stream_id"]: (e["t"], s.get("frames_decoded", 0))
                            for s in e["subscriptions"] if s["direction"] == "receive"}
        return {}

    def elements(self, factory):
        with open(self.log_path, errors="replace") as f:
            return sum(1 for line in f if f'creating element "{factory}"' in line)

    def stop(self):
        if self.proc.poll() is None:
            self.final = {"cpu_s": cpu_seconds(self.proc.pid), "wall_s": time.monotonic() - self.spawned,
                          "peak_rss_kib": vm_hwm_kib(self.proc.pid)}
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.reader.join(timeout=5)


def run_call(n, width, height, fps, seconds, workdir):
    """N publishers in one session: steady-state figures per peer, or None."""
    server = sottotest.Server()
    peers = []
    try:
        server.start()
        session = server.create_session(max_participants=max(n, 2))
        tokens = [server.mint(session, "publisher", f"peer{i}") for i in range(n)]
        peers = [BenchPeer(f"peer{i}", tokens[i], width, height, fps, workdir) for i in range(n)]
        streams = [p.stream_id() for p in peers]
        if not all(streams):
            return None
        # Everyone decodes everyone else.
        for p, own in zip(peers, streams):
            others = set(streams) - {own}
            if p.wait_for(lambda e, p=p, o=others: o <= set(p.first_frames()), 60) is None and \
                    not others <= set(p.first_frames()):
                print(f"  {p.name} never decoded {sorted(others - set(p.first_frames()))}", file=sys.stderr)
                return None
        time.sleep(WARMUP_S)
        load_before = loadavg()
        start = [(time.monotonic(), cpu_seconds(p.proc.pid), p.frames()) for p in peers]
        time.sleep(seconds)
        end = [(time.monotonic(), cpu_seconds(p.proc.pid), p.frames()) for p in peers]
        results = []
        for p, own, s, e in zip(peers, streams, start, end):
            fps_in = {}
            for stream, (t1, f1) in e[2].items():
                if stream in s[2] and t1 > s[2][stream][0]:
                    t0, f0 = s[2][stream]
                    fps_in[stream] = (f1 - f0) / (t1 - t0)
            results.append({
                "name": p.name,
                "first_frame_ms": min(p.first_frames().values()),
                "milestones_ms": p.milestones(),
                "last_first_frame_ms": max(p.first_frames().values()),
                "cpu_s_per_min_steady": (e[1] - s[1]) * 60 / (e[0] - s[0]),
                "fps_received": fps_in,
                "vp8enc": p.elements("vp8enc"),
                "vp8dec": p.elements("vp8dec"),
            })
        for p, r in zip(peers, results):
            p.stop()
            r["cpu_s_per_min"] = p.final["cpu_s"] * 60 / p.final["wall_s"]
            r["peak_rss_kib"] = p.final["peak_rss_kib"]
        return {"peers": results, "load": load_before}
    finally:
        for p in peers:
            p.stop()
        server.cleanup()


def run_reference(width, height, fps, seconds):
    script = os.path.join(HERE, "webrtcbin-reference.py")
    out = subprocess.run(
        ["/usr/bin/python3", script, "--width", str(width), "--height", str(height),
         "--fps", str(fps), "--bitrate", str(default_kbps(width, height, fps) * 1000),
         "--seconds", str(seconds)],
        capture_output=True, text=True, timeout=seconds + 120,
        env=dict(os.environ, SOTTO_ICE_ADDRESSES="127.0.0.1"))
    if out.returncode != 0:
        print(f"  webrtcbin reference failed: {out.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else float("nan")


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return float("nan")
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def two_party(args, workdir, summary):
    """Rounds alternate sotto-call and webrtcbin pairs, so both see the same
    mix of background load; the figures are medians over peers and rounds."""
    width, height, fps = 1280, 720, 30
    print(f"== Two-party call, {width}x{height} at {fps} fps, VP8 {default_kbps(width, height, fps)} kbit/s "
          f"+ Opus, {args.seconds} s steady state, {args.rounds} round(s)")
    ours_all, ref_all = [], []
    summary["two_party"] = {"sotto": [], "webrtcbin": []}
    for round_ in range(1, args.rounds + 1):
        ours = run_call(2, width, height, fps, args.seconds, workdir)
        if ours is None:
            print("  the call did not start")
            return False
        summary["two_party"]["sotto"].append(ours)
        for r in ours["peers"]:
            r["fps"] = mean(r["fps_received"].values())
            ours_all.append(r)
            print(f"  [{round_}] sotto-call {r['name']} (load {ours['load']}): first frame {r['first_frame_ms']:.0f} ms "
                  f"(joined / receiving media connected / first frame at {r['milestones_ms']} ms), "
                  f"CPU {r['cpu_s_per_min_steady']:.1f} s/min steady ({r['cpu_s_per_min']:.1f} over its life), "
                  f"peak RSS {r['peak_rss_kib'] / 1024:.1f} MiB, decodes {r['fps']:.1f} fps")
        if args.no_reference:
            continue
        load = loadavg()
        ref = run_reference(width, height, fps, args.seconds + WARMUP_S + 5)
        if ref is None:
            continue
        summary["two_party"]["webrtcbin"].append(ref)
        for r in ref["peers"]:
            r["fps"] = r["fps_decoded_steady"]
            ref_all.append(r)
            print(f"  [{round_}] webrtcbin {r['role']} (load {load}): first frame {r['first_frame_ms']:.0f} ms, "
                  f"CPU {r['cpu_s_per_min_steady']:.1f} s/min steady ({r['cpu_s_per_min']:.1f} over its life), "
                  f"peak RSS {r['peak_rss_kib'] / 1024:.1f} MiB, decodes {r['fps'] or 0:.1f} fps")

    def figures(rows):
        # CPU per minute compares like with like only between peers that
        # decoded the full stream: a round whose video stalled (the loaded
        # machine, or webrtcbin waiting for a keyframe) costs a fraction.
        full = [r for r in rows if (r["fps"] or 0) >= SUSTAINED_FPS] or rows
        return {
            "first_frame_ms": median(r["first_frame_ms"] for r in rows),
            "cpu_s_per_min_steady": median(r["cpu_s_per_min_steady"] for r in full),
            "cpu_s_per_min_life": median(r["cpu_s_per_min"] for r in full),
            "full_rate_peers": len(full),
            "peers": len(rows),
            # A loaded machine decodes fewer frames; CPU per decoded frame
            # compares the two at whatever rate each managed.
            "cpu_ms_per_frame": median(r["cpu_s_per_min_steady"] * 1000 / 60 / r["fps"]
                                       for r in rows if r["fps"]),
            "fps": median(r["fps"] for r in rows),
            "peak_rss_kib": median(r["peak_rss_kib"] for r in rows),
        }

    ours = figures(ours_all)
    summary["two_party"]["sotto_median"] = ours
    print(f"  sotto-call median: first frame {ours['first_frame_ms']:.0f} ms, CPU {ours['cpu_s_per_min_steady']:.1f} "
          f"s/min steady ({ours['full_rate_peers']} of {ours['peers']} peers at >= {SUSTAINED_FPS:.0f} fps) at {ours['fps']:.1f} fps ({ours['cpu_ms_per_frame']:.1f} ms per decoded frame), "
          f"peak RSS {ours['peak_rss_kib'] / 1024:.1f} MiB")
    print(f"  first frame goal (< 300 ms): {'met' if ours['first_frame_ms'] < 300 else 'NOT met'}")
    if not ref_all:
        return True
    ref = figures(ref_all)
    summary["two_party"]["webrtcbin_median"] = ref
    ratios = {k: ours[k] / ref[k] for k in ref if ref[k] and k not in ("full_rate_peers", "peers")}
    summary["two_party"]["ratios"] = ratios
    print(f"  webrtcbin median: first frame {ref['first_frame_ms']:.0f} ms, CPU {ref['cpu_s_per_min_steady']:.1f} "
          f"s/min steady ({ref['full_rate_peers']} of {ref['peers']} peers at >= {SUSTAINED_FPS:.0f} fps) at {ref['fps']:.1f} fps ({ref['cpu_ms_per_frame']:.1f} ms per decoded frame), "
          f"peak RSS {ref['peak_rss_kib'] / 1024:.1f} MiB")
    print(f"  ratios sotto/webrtcbin: CPU {ratios['cpu_s_per_min_steady']:.2f} steady "
          f"({ratios['cpu_s_per_min_life']:.2f} over the process's life, {ratios['cpu_ms_per_frame']:.2f} per "
          f"decoded frame; goal <= 0.8: {'met' if ratios['cpu_s_per_min_steady'] <= 0.8 else 'NOT met'}), "
          f"first frame {ratios['first_frame_ms']:.2f}, peak RSS {ratios['peak_rss_kib']:.2f}")
    return True


def mesh(args, workdir, summary):
    width, height, fps = 640, 360, 30
    ok = True
    largest = None
    summary["mesh"] = {}
    print(f"== Mesh at {width}x{height}, {fps} fps, {args.mesh_seconds} s steady state per size")
    for n in args.mesh:
        result = run_call(n, width, height, fps, args.mesh_seconds, workdir)
        if result is None:
            print(f"  {n} peers: the call did not start")
            ok = False
            continue
        summary["mesh"][n] = result
        peers = result["peers"]
        rates = [v for r in peers for v in r["fps_received"].values()]
        lowest = min(rates) if rates else 0.0
        sustained = len(rates) == n * (n - 1) and lowest >= SUSTAINED_FPS
        encoders_ok = all(r["vp8enc"] == 1 for r in peers)
        ok = ok and encoders_ok
        if sustained and (largest is None or n > largest):
            largest = n
        print(f"  {n} peers (load {result['load']}): CPU per peer {mean(r['cpu_s_per_min_steady'] for r in peers):.1f} "
              f"s/min (max {max(r['cpu_s_per_min_steady'] for r in peers):.1f}), decoded fps mean "
              f"{mean(rates):.1f} min {lowest:.1f} -> {'sustained' if sustained else 'not sustained'}; "
              f"VP8 encoders per peer {sorted(set(r['vp8enc'] for r in peers))} with {n - 1} subscribers each "
              f"({'one per publisher' if encoders_ok else 'NOT one per publisher'}), "
              f"decoders per peer {sorted(set(r['vp8dec'] for r in peers))}; "
              f"peak RSS {mean(r['peak_rss_kib'] for r in peers) / 1024:.1f} MiB")
    summary["mesh_largest_sustained"] = largest
    print(f"  largest mesh decoding every stream at >= {SUSTAINED_FPS:.0f} fps on {os.cpu_count()} CPUs: "
          f"{largest if largest else 'none of those tried'}")
    return ok


def main():
    parser = argparse.ArgumentParser(description="Two-party and mesh call benchmark (not a test).")
    parser.add_argument("--build-dir", default=os.path.join(HERE, "..", "..", "_build"))
    parser.add_argument("--seconds", type=int, default=30, help="steady-state window, two-party call")
    parser.add_argument("--rounds", type=int, default=3, help="two-party rounds, each sotto then webrtcbin")
    parser.add_argument("--mesh", default="2,3,4,5,6", help="mesh sizes to try (empty: none)")
    parser.add_argument("--mesh-seconds", type=int, default=20)
    parser.add_argument("--no-reference", action="store_true", help="skip the webrtcbin pair")
    parser.add_argument("--no-two-party", action="store_true")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args()
    args.mesh = [int(n) for n in args.mesh.split(",") if n.strip()]
    sottotest.SERVER = os.environ.get("SOTTO_SERVER_BIN",
                                      os.path.join(args.build_dir, "src", "server", "sotto-server"))
    sottotest.CALL = os.environ.get("SOTTO_CALL_BIN", os.path.join(args.build_dir, "src", "cli", "sotto-call"))
    for binary in (sottotest.SERVER, sottotest.CALL):
        if not os.access(binary, os.X_OK):
            sys.exit(f"{binary} not found: build first, or pass --build-dir")

    print(f"{os.cpu_count()} CPUs, load average {loadavg()}")
    summary = {"cpus": os.cpu_count()}
    ok = True
    with tempfile.TemporaryDirectory(prefix="sotto-bench-call-") as workdir:
        if not args.no_two_party:
            ok = two_party(args, workdir, summary) and ok
        if args.mesh:
            ok = mesh(args, workdir, summary) and ok
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
