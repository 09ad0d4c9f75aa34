#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turns sotto-call's JSON lines into one readable line per event for the demo."""
import json
import sys

who = sys.argv[1] if len(sys.argv) > 1 else "peer"
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
            print(f"[{who}] t={e['t']:4.1f}s receiving {s.get('width')}x{s.get('height')} "
                  f"{s.get('codec')}+{s.get('audio_codec')}: {s.get('frames_decoded')} frames decoded, "
                  f"{s.get('bitrate_kbps')} kbit/s, loss {s.get('packets_lost')}, "
                  f"{s.get('srtp_profile')} key #{s.get('key_generation')}, SAS {s.get('sas')}",
                  flush=True)
    elif kind in ("joined", "media-connected", "subscriber-count", "ended", "error"):
        details = ", ".join(f"{k}={v}" for k, v in e.items() if k != "event" and v is not None)
        print(f"[{who}] {kind}: {details}", flush=True)
