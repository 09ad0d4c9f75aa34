#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Network faults: a two-peer call across a link between two network
namespaces the test creates (and deletes), with loss, jitter and a cut.

    namespace A: sotto-server, alice        namespace B: bob
       169.254.77.1/30  ── link ──  169.254.77.2/30

The link is a veth pair impaired with `tc qdisc ... netem` on both ends.
Where the kernel has no netem (some VM kernels), it is a pair of TUN
devices joined by this script, which forwards each IP packet with the same
impairment (independent loss, uniform delay, so packets reorder as under
netem). Either way:

1. clean link: the video frame rate and audio buffer rate each peer decodes;
2. 5% loss, 25 ms delay with 50 ms jitter, both directions: video keeps
   decoding at least MIN_FPS_FRACTION of the clean rate, audio at least
   MIN_AUDIO_FRACTION (loss is repaired by NACK/RTX and Opus FEC);
3. both ends of the link down for 5 s, then up: frames flow again within
   RECOVERY_S seconds. libnice may declare ICE failed during the cut
   (consent checks unanswered); the offering end then restarts ICE.

Addresses are IPv4 link-local (169.254.0.0/16): no real network uses them
for routing, and they exist only inside the test's namespaces. Leftovers of
a crashed run (names with our prefix whose process is gone) are removed at
start. Skips (TAP "1..0 # SKIP") without the rights to create namespaces.
"""
import ctypes
import fcntl
import os
import random
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time

import sottotest
from sottotest import Peer, Server, TapReporter

T = TapReporter()
PREFIX = "sotto-nt"
ADDR_A, ADDR_B = "169.254.77.1", "169.254.77.2"
LOSS, DELAY_MS, JITTER_MS = 0.05, 25, 50
# Fractions of the clean run: retransmissions and keyframe requests cost
# some frames, and a jitter buffer of 60 ms drops what arrives later still.
MIN_FPS_FRACTION = 0.5
MIN_AUDIO_FRACTION = 0.5
CUT_S = 5
RECOVERY_S = 20
def skip(reason):
    print(f"1..0 # SKIP {reason}", flush=True)
    sys.exit(0)


def ip(*args, check=True):
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True, timeout=20)


def in_ns(ns, *args, check=True):
    return subprocess.run(["ip", "netns", "exec", ns, *args], check=check,
                          capture_output=True, text=True, timeout=20)


def remove_leftovers():
    """Namespaces of earlier runs whose test process is gone (bounded: one
    pass over the current list)."""
    listing = ip("netns", "list", check=False).stdout.split("\n")
    for line in listing:
        name = line.split(" ", 1)[0]
        if not name.startswith(PREFIX + "-"):
            continue
        pid = name.rsplit("-", 1)[-1]
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            ip("netns", "delete", name, check=False)


# ---------------------------------------------------------------- links

class VethLink:
    """A veth pair, one end in each namespace, netem on both ends."""

    kind = "veth pair with tc netem"

    def __init__(self, ns_a, ns_b, tag):
        self.ends = [(ns_a, f"sva{tag}"), (ns_b, f"svb{tag}")]
        ip("link", "add", self.ends[0][1], "netns", ns_a, "type", "veth",
           "peer", "name", self.ends[1][1], "netns", ns_b)

    def impair(self):
        for ns, dev in self.ends:
            in_ns(ns, "tc", "qdisc", "add", "dev", dev, "root", "netem",
                  "loss", f"{LOSS * 100:g}%", "delay", f"{DELAY_MS}ms", f"{JITTER_MS}ms")

    def clear(self):
        for ns, dev in self.ends:
            in_ns(ns, "tc", "qdisc", "del", "dev", dev, "root")

    def close(self):
        pass


class TunLink:
    """Two TUN devices, one in each namespace; a thread of this process
    forwards packets between them with netem's loss and delay. The devices
    vanish when their file descriptors close."""

    kind = "TUN pair forwarded by the test (no netem in this kernel)"
    TUNSETIFF = 0x400454CA
    IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
    CLONE_NEWNET = 0x40000000

    def __init__(self, ns_a, ns_b, tag):
        self.ends = [(ns_a, f"sta{tag}"), (ns_b, f"stb{tag}")]
        self.fds = [self.open_tun(ns, dev) for ns, dev in self.ends]
        self.impaired = False
        self.rng = random.Random(5)  # the same fault pattern every run
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.forward, daemon=True)
        self.thread.start()

    def open_tun(self, ns, dev):
        # A TUN device is created in the network namespace of the thread
        # that attaches it; enter ns for that one call, then come back.
        libc = ctypes.CDLL(None, use_errno=True)
        home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(f"/var/run/netns/{ns}", os.O_RDONLY)
        try:
            if libc.setns(target, self.CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), f"setns {ns}")
            try:
                fd = os.open("/dev/net/tun", os.O_RDWR)
                ifr = struct.pack("16sH22x", dev.encode(), self.IFF_TUN | self.IFF_NO_PI)
                fcntl.ioctl(fd, self.TUNSETIFF, ifr)
            finally:
                if libc.setns(home, self.CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns back")
        finally:
            os.close(home)
            os.close(target)
        return fd

    def forward(self):
        pending = []  # (due, sequence, fd, packet)
        sequence = 0
        while not self.stop.is_set():
            now = time.monotonic()
            pending.sort()
            while pending and pending[0][0] <= now:
                _, _, fd, packet = pending.pop(0)
                try:
                    os.write(fd, packet)
                except OSError:
                    pass  # that end is down: the packet is lost, as on a wire
            timeout = min(0.05, pending[0][0] - now) if pending else 0.05
            readable, _, _ = select.select(self.fds, [], [], max(timeout, 0))
            for fd in readable:
                try:
                    packet = os.read(fd, 65536)
                except OSError:
                    continue
                other = self.fds[1] if fd == self.fds[0] else self.fds[0]
                delay = 0.0
                if self.impaired:
                    if self.rng.random() < LOSS:
                        continue
                    delay = max(0.0, self.rng.uniform(DELAY_MS - JITTER_MS, DELAY_MS + JITTER_MS)) / 1000
                sequence += 1
                pending.append((time.monotonic() + delay, sequence, other, packet))

    def impair(self):
        self.impaired = True

    def clear(self):
        self.impaired = False

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)
        for fd in self.fds:
            os.close(fd)


def netem_available(ns):
    """Whether this kernel has netem: try it on the namespace's loopback."""
    result = in_ns(ns, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms", check=False)
    if result.returncode == 0:
        in_ns(ns, "tc", "qdisc", "del", "dev", "lo", "root", check=False)
        return True
    return False


# ---------------------------------------------------------------- the call

def wrapper(directory, name, ns, program):
    """An executable that runs program inside ns with the same pid, so that
    sottotest's Server and Peer drive it unchanged."""
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\nexec ip netns exec {ns} "{program}" "$@"\n')
    os.chmod(path, 0o755)
    return path


def counters(peer, stream_id):
    """(t, frames, audio buffers) of the latest stats for stream_id."""
    stats = peer.latest_stats()
    for sub in (stats or {}).get("subscriptions", []):
        if sub["stream_id"] == stream_id and sub["direction"] == "receive":
            return stats["t"], sub.get("frames_decoded", 0), sub.get("audio_decoded", 0)
    return None


def measure(pairs, seconds):
    """Per (peer, stream): decoded video frames and audio buffers per second
    over about `seconds`, from the peers' own stats clocks."""
    before = [counters(p, s) for p, s in pairs]
    time.sleep(seconds)
    after = [counters(p, s) for p, s in pairs]
    rates = []
    for b, a in zip(before, after):
        if not a or not b or a[0] <= b[0]:
            rates.append((0.0, 0.0))
        else:
            rates.append(((a[1] - b[1]) / (a[0] - b[0]), (a[2] - b[2]) / (a[0] - b[0])))
    return rates


def decoding(stream_id, frames=10):
    return lambda e: any(s["stream_id"] == stream_id and s["direction"] == "receive" and
                         s.get("frames_decoded", 0) >= frames and s.get("audio_decoded", 0) >= 10
                         for s in e["subscriptions"])


def run_call(ns_a, ns_b, link, workdir):
    sottotest.SERVER = wrapper(workdir, "server-a", ns_a, sottotest.SERVER_REAL)
    server = Server()
    server.listen = f"{ADDR_A}:0"
    peers = []
    try:
        server.start()
        session = server.create_session()
        sottotest.CALL = wrapper(workdir, "call-a", ns_a, sottotest.CALL_REAL)
        alice = Peer("alice", server.mint(session, "publisher", "alice"), ["--name", "alice"],
                     env={"SOTTO_ICE_ADDRESSES": ADDR_A})
        peers.append(alice)
        sottotest.CALL = wrapper(workdir, "call-b", ns_b, sottotest.CALL_REAL)
        bob = Peer("bob", server.mint(session, "publisher", "bob"), ["--name", "bob"],
                   env={"SOTTO_ICE_ADDRESSES": ADDR_B})
        peers.append(bob)

        joined = [p.wait_event("joined", 30) for p in peers]
        if not T.ok(all(joined), "both peers join across the link"):
            for p in peers:
                T.diag(f"{p.name}: {p.stderr()}")
            return
        a_stream, b_stream = joined[0]["stream_id"], joined[1]["stream_id"]
        pairs = [(alice, b_stream), (bob, a_stream)]
        started = [alice.wait_stats(decoding(b_stream), 60), bob.wait_stats(decoding(a_stream), 60)]
        if not T.ok(all(started), "each peer decodes the other's video and audio on the clean link"):
            for p in peers:
                T.diag(f"{p.name}: {p.stderr()}")
            return
        # Past the first keyframe and bitrate ramp-up.
        time.sleep(2)
        clean = measure(pairs, 8)
        T.diag("clean link: " + ", ".join(f"{p.name} {v:.1f} fps {a:.1f} audio/s"
                                          for (p, _), (v, a) in zip(pairs, clean)))

        link.impair()
        time.sleep(2)
        lossy = measure(pairs, 10)
        T.diag(f"{LOSS:.0%} loss, {DELAY_MS} ms delay, {JITTER_MS} ms jitter: " +
               ", ".join(f"{p.name} {v:.1f} fps {a:.1f} audio/s" for (p, _), (v, a) in zip(pairs, lossy)))
        for (p, _), (cv, ca), (lv, la) in zip(pairs, clean, lossy):
            T.ok(cv > 0 and lv >= MIN_FPS_FRACTION * cv,
                 f"{p.name} keeps decoding video under loss and jitter "
                 f"({lv:.1f} fps, clean {cv:.1f}, at least {MIN_FPS_FRACTION:.0%})")
            T.ok(ca > 0 and la >= MIN_AUDIO_FRACTION * ca,
                 f"{p.name} keeps decoding audio under loss and jitter "
                 f"({la:.1f}/s, clean {ca:.1f}, at least {MIN_AUDIO_FRACTION:.0%})")
        link.clear()

        for ns, dev in link.ends:
            ip("-n", ns, "link", "set", dev, "down")
        time.sleep(CUT_S)
        at_restore = [counters(p, s) for p, s in pairs]
        for ns, dev in link.ends:
            ip("-n", ns, "link", "set", dev, "up")
        restored = time.monotonic()
        for (p, s), c in zip(pairs, at_restore):
            frames = c[1] if c else 0
            # One deadline for both peers: they recover (or not) together.
            back = p.wait_stats(lambda e, p=p, s=s, f=frames: (counters(p, s) or (0, 0, 0))[1] >= f + 15,
                                max(0.0, restored + RECOVERY_S - time.monotonic()))
            T.ok(back is not None, f"{p.name} decodes video again after a {CUT_S} s link cut "
                 f"({time.monotonic() - restored:.1f} s after the link returned)")
        T.ok(all(p.proc.poll() is None for p in peers), "both peers are still in the call")
    finally:
        for p in peers:
            p.stop()
        server.cleanup()


def main():
    if shutil.which("ip") is None or shutil.which("tc") is None:
        skip("ip or tc not installed (Debian package iproute2)")
    sottotest.SERVER_REAL = shutil.which(sottotest.SERVER) or sottotest.SERVER
    sottotest.CALL_REAL = shutil.which(sottotest.CALL) or sottotest.CALL
    pid = os.getpid()
    ns_a, ns_b = f"{PREFIX}-a-{pid}", f"{PREFIX}-b-{pid}"
    probe = ip("netns", "add", ns_a, check=False)
    if probe.returncode != 0:
        skip(f"cannot create network namespaces (needs root or CAP_SYS_ADMIN and CAP_NET_ADMIN): "
             f"{probe.stderr.strip()}")
    remove_leftovers()
    workdir = tempfile.mkdtemp(prefix="sotto-netem-")
    link = None
    try:
        ip("netns", "add", ns_b)
        for ns in (ns_a, ns_b):
            ip("-n", ns, "link", "set", "lo", "up")
        tag = str(pid)[-8:]
        link = VethLink(ns_a, ns_b, tag) if netem_available(ns_a) else TunLink(ns_a, ns_b, tag)
        T.diag(f"link: {link.kind}")
        for (ns, dev), addr in zip(link.ends, (ADDR_A, ADDR_B)):
            ip("-n", ns, "addr", "add", f"{addr}/30", "dev", dev)
            ip("-n", ns, "link", "set", dev, "up")
        ping = in_ns(ns_a, "ping", "-c", "1", "-W", "5", ADDR_B, check=False) if shutil.which("ping") else None
        if ping is not None:
            T.ok(ping.returncode == 0, f"{ADDR_A} reaches {ADDR_B} over the link")
        run_call(ns_a, ns_b, link, workdir)
    finally:
        if link:
            link.close()
        for ns in (ns_a, ns_b):
            ip("netns", "delete", ns, check=False)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
    sys.exit(T.finish())
