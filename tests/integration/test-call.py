#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A real call: sotto-server and three sotto-call peers on loopback.

alice and bob publish test media; carol only subscribes. Checks that each
decodes the others' video and audio, that carol sends nothing, that the
subscriber counts everyone sees agree, that a force-unpublish stops the
stream at every subscriber, that a force-disconnected peer leaves and its
token no longer works, that a SIGKILLed peer disappears for the others, and
that media keeps flowing while the server restarts and everyone rejoins."""
import signal
import sys
import time

from sottotest import Peer, Server, TapReporter

T = TapReporter()


def decoding(peer, stream_id, frames=10, audio=10):
    return lambda e: any(s["stream_id"] == stream_id and s["direction"] == "receive" and
                         s.get("frames_decoded", 0) >= frames and
                         s.get("audio_decoded", 0) >= audio and s.get("audio_peak", 0) > 0
                         for s in e["subscriptions"])


def frames_of(peer, stream_id):
    sub = peer.subscription(stream_id)
    return sub.get("frames_decoded", 0) if sub else 0


def last_count(peer, stream_id):
    count = None
    with peer.lock:
        for e in peer.events:
            if e.get("event") == "subscriber-count" and e.get("stream_id") == stream_id:
                count = e["count"]
    return count


def main():
    server = Server()
    peers = []
    try:
        server.start()
        session = server.create_session()
        tokens = {
            "alice": server.mint(session, "publisher", "alice"),
            "bob": server.mint(session, "publisher", "bob"),
            "carol": server.mint(session, "subscriber", "carol"),
        }
        alice = Peer("alice", tokens["alice"], ["--name", "alice"])
        bob = Peer("bob", tokens["bob"], ["--name", "bob"])
        carol = Peer("carol", tokens["carol"])
        peers += [alice, bob, carol]

        joined = {p.name: p.wait_event("joined", 20) for p in peers}
        if not T.ok(all(joined.values()), "all three peers join"):
            for p in peers:
                T.diag(f"{p.name}: {p.stderr()}")
            return
        a_stream = joined["alice"]["stream_id"]
        b_stream = joined["bob"]["stream_id"]
        T.ok(a_stream and b_stream and joined["carol"]["stream_id"] is None,
             "publishers publish a stream, the subscriber does not")

        T.ok(bob.wait_stats(decoding(bob, a_stream), 30) is not None, "bob decodes alice's video and audio")
        T.ok(alice.wait_stats(decoding(alice, b_stream), 30) is not None, "alice decodes bob's video and audio")
        T.ok(carol.wait_stats(decoding(carol, a_stream), 30) is not None, "carol decodes alice")
        T.ok(carol.wait_stats(decoding(carol, b_stream), 30) is not None, "carol decodes bob")

        stats = carol.latest_stats()
        T.ok(all(s["direction"] == "receive" for s in stats["subscriptions"]),
             "carol (subscriber role) sends nothing")
        T.ok(all(s.get("srtp_profile") for s in stats["subscriptions"]),
             "every subscription is SRTP-protected")

        # Both ends of one subscription derive the same short authentication
        # string from the two fingerprints.
        sas = {}
        for p in peers:
            for sub in p.latest_stats()["subscriptions"]:
                sas.setdefault(sub["subscription_id"], set()).add(sub.get("sas"))
        T.ok(len(sas) == 4 and all(len(v) == 1 and None not in v and len(next(iter(v))) == 6
                                   for v in sas.values()),
             f"both ends of each subscription show the same 6-digit SAS: {sas}")
        # Each participant presents one certificate for the call, so the two
        # subscriptions between alice and bob (one each way) agree too.
        pair = {sub.get("sas") for p in (alice, bob) for sub in p.latest_stats()["subscriptions"]
                if sub.get("peer") in (joined["alice"]["connection_id"], joined["bob"]["connection_id"])}
        T.ok(len(pair) == 1, f"alice and bob read one SAS whichever way the media flows: {pair}")

        # Each publisher's stream has two subscribers; everyone agrees.
        for stream in (a_stream, b_stream):
            for p in peers:
                p.wait_for(lambda e, s=stream: e.get("event") == "subscriber-count" and
                           e.get("stream_id") == s and e.get("count") == 2, 15)
        counts = {(p.name, s): last_count(p, s) for p in peers for s in (a_stream, b_stream)}
        T.ok(all(c == 2 for c in counts.values()), f"every peer sees 2 subscribers per stream: {counts}")

        # The server restarts mid-call: peer media keeps flowing, everyone rejoins.
        before = frames_of(carol, a_stream)
        server.stop(signal.SIGKILL)
        time.sleep(2)
        during = frames_of(carol, a_stream)
        server.start()
        T.ok(during > before, f"media flows while the server is down ({before} -> {during} frames)")
        rejoined = {p.name: p.wait_for(lambda e: e.get("event") == "rejoined", 30) for p in peers}
        T.ok(all(rejoined.values()), "every peer rejoins signaling after the restart")
        if not all(rejoined.values()):
            return
        # The restarted server knows nobody: each got a new connection id.
        connection_ids = {name: e["connection_id"] for name, e in rejoined.items()}
        later = carol.wait_stats(lambda e: frames_of(carol, a_stream) > during + 15, 20)
        T.ok(later is not None, "media still flows after the restart")

        # A moderator (here the backend, over REST) takes bob's stream down.
        server.rest("POST", f"/v1/sessions/{session}/streams/{b_stream}/unpublish")
        for p in (alice, carol):
            T.ok(p.wait_event("stream-destroyed", 15, stream_id=b_stream) is not None,
                 f"{p.name} sees bob's stream end after force-unpublish")
        T.ok(bob.wait_for(lambda e: e.get("event") == "moderation" and
                          e.get("action") == "force-unpublished", 15) is not None,
             "bob is told he was unpublished")
        time.sleep(1.5)
        T.ok(carol.subscription(b_stream) is None and alice.subscription(b_stream) is None,
             "no subscriber still receives bob's stream")

        # Force-disconnect bob: he leaves with exit code 10, his token is dead.
        bob_id = connection_ids["bob"]
        server.rest("POST", f"/v1/sessions/{session}/connections/{bob_id}/disconnect")
        T.ok(bob.wait_exit(20) == 10, "force-disconnected bob exits with code 10")
        T.ok(alice.wait_event("participant-left", 20, connection_id=bob_id) is not None,
             "alice sees bob leave")
        again = Peer("bob-again", tokens["bob"], ["--duration", "10"])
        peers.append(again)
        code = again.wait_exit(30)
        T.ok(code == 12, f"bob's token is refused after force-disconnect (exit {code})")

        # alice is killed: the others see her go, well within 30 s.
        alice_id = connection_ids["alice"]
        killed_at = time.monotonic()
        alice.proc.send_signal(signal.SIGKILL)
        gone = carol.wait_event("participant-left", 40, connection_id=alice_id)
        elapsed = time.monotonic() - killed_at
        T.ok(gone is not None and elapsed < 30, f"a SIGKILLed peer disappears for the others ({elapsed:.1f} s)")
        T.ok(carol.wait_event("stream-destroyed", 10, stream_id=a_stream) is not None,
             "and so does her stream")
    finally:
        for p in peers:
            p.stop()
        server.cleanup()


if __name__ == "__main__":
    main()
    sys.exit(T.finish())
