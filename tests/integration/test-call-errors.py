#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""sotto-call's failure classes: each has its own message and exit code
(sotto-call --help lists them), against a real sotto-server."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time

from sottotest import CALL, Peer, Server, TapReporter, child_env

T = TapReporter()


def run_call(token, timeout=30, *args):
    proc = subprocess.run([CALL, "--token", token, "--duration", "5", *args],
                          capture_output=True, text=True, timeout=timeout, env=child_env())
    return proc.returncode, proc.stderr


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def resign(server, token, **claims):
    """The same token with some claims changed, signed again with the
    deployment's secret: what a server with a wrong clock would hand out."""
    header, payload, _ = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body.update(claims)
    with open(os.path.join(server.state_dir, "api-secret")) as f:
        text = f.read().strip()
    secret = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)) if "-" in text or "_" in text \
        else base64.b64decode(text + "=" * (-len(text) % 4))
    signing_input = header + "." + b64url(json.dumps(body, separators=(",", ":")).encode())
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(mac)


def main():
    server = Server()
    other = Server()
    try:
        server.start()
        session = server.create_session()

        code, err = run_call("not.a.token")
        T.ok(code == 3 and "token" in err.lower(), f"a malformed token exits 3 ({code}: {err.strip()[:120]})")

        code, _ = run_call("")
        T.ok(code in (2, 3), f"an empty token is refused ({code})")

        expired = resign(server, server.mint(session, "publisher"),
                         exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)
        code, err = run_call(expired)
        T.ok(code == 4 and "expired" in err.lower(), f"an expired token exits 4 ({code}: {err.strip()[:120]})")

        # Server unreachable: a valid token for a server that is not running.
        dead = Server()
        dead.start()
        dead_session = dead.create_session()
        dead_token = dead.mint(dead_session, "publisher")
        dead.stop()
        code, err = run_call(dead_token)
        T.ok(code == 5, f"an unreachable server exits 5 ({code}: {err.strip()[:120]})")
        dead.cleanup()

        # TLS pin mismatch: the other deployment's token (its pin) aimed at
        # this server's address.
        other_session = other.create_session()
        mismatched = other.cli("mint-token", "--session", other_session, "--role", "publisher",
                               "--public-url", server.public_url)
        code, err = run_call(mismatched)
        T.ok(code == 6, f"a server whose certificate does not match the token's pin exits 6 ({code}: {err.strip()[:120]})")

        # Session full: one seat.
        small = server.create_session(max_participants=1)
        first = Peer("first", server.mint(small, "subscriber"), ["--duration", "20"])
        T.ok(first.wait_event("joined", 20) is not None, "the first participant takes the only seat")
        code, err = run_call(server.mint(small, "subscriber"))
        if not T.ok(code == 7, f"joining a full session exits 7 ({code}: {err.strip()[:120]})"):
            T.diag(f"first participant: exit {first.proc.poll()}, events {first.events[-3:]}, {first.stderr()}")
        first.stop()

        # Session ended by the backend: everyone's token stops working.
        ending = server.create_session()
        token = server.mint(ending, "publisher")
        server.rest("DELETE", f"/v1/sessions/{ending}")
        code, err = run_call(token)
        T.ok(code == 11, f"joining an ended session exits 11 ({code}: {err.strip()[:120]})")

        # Bad command lines.
        proc = subprocess.run([CALL, "--token", "x", "--source", "camera"], capture_output=True,
                              text=True, timeout=10, env=child_env())
        T.ok(proc.returncode == 2, "an unknown --source exits 2")
        proc = subprocess.run([CALL], capture_output=True, text=True, timeout=10, env=child_env())
        T.ok(proc.returncode == 2 and "--token" in proc.stderr, "a missing --token exits 2 and says so")
    finally:
        server.cleanup()
        other.cleanup()


if __name__ == "__main__":
    main()
    sys.exit(T.finish())
