#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns sotto-call's JSON lines into one readable line per event for the demo."""
import json
import sys

who = sys.argv[1] if len(sys.argv) > 1 else "peer"


def say(text):
    """One line in one write: the two peers share the terminal, and a line
    printed in two writes could be split by the other's."""
    sys.stdout.buffer.write((text + "\n").encode())
    sys.stdout.buffer.flush()


for line in sys.stdin:
    try:
        e = json.loads(line)
    except ValueError:
        continue
    kind = e.get("event")
    if kind == "stats":
        for s in e.get("subscriptions", []):
            if s.get("direction") != "receive":
                continue
            say(f"[{who}] t={e['t']:4.1f}s receiving {s.get('width')}x{s.get('height')} "
                f"{s.get('codec')}+{s.get('audio_codec')}: {s.get('frames_decoded')} frames decoded, "
                f"{s.get('bitrate_kbps')} kbit/s, loss {s.get('packets_lost')}, "
                f"{s.get('srtp_profile')} key #{s.get('key_generation')}, SAS {s.get('sas')}")
    elif kind in ("joined", "media-connected", "subscriber-count", "ended", "error"):
        details = ", ".join(f"{k}={v}" for k, v in e.items() if k != "event" and v is not None)
        say(f"[{who}] {kind}: {details}")
