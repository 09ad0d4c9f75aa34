#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""sotto-server's TLS front end on the wire, with hand-made frames.

The signaling front end (src/server/sotto-tls-frontend.c) speaks RFC 6455
itself, so its framing rules are checked here byte by byte against the real
server over real TLS: upgrade refusals, pings, fragments with a control frame
in between, a frame sent in the same write as the upgrade, protocol errors,
the close handshake, REST bridged to libsoup (HTTP/1.0 too), a client that
never finishes its handshake, and a few hundred sockets at once.
"""
import base64
import json
import os
import signal
import socket
import ssl
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sottotest  # noqa: E402

KEY = base64.b64encode(os.urandom(16)).decode()
HANDSHAKE_TIMEOUT_MS = 4000  # long enough for 200 handshakes on a loaded CI machine


def tls_connect(server, timeout=10):
    host, port = server.https.split("//", 1)[1].rsplit(":", 1)
    context = ssl.create_default_context(cafile=os.path.join(server.state_dir, "tls-cert.pem"))
    context.check_hostname = False
    raw = socket.create_connection((host, int(port)), timeout=timeout)
    return context.wrap_socket(raw)


def upgrade_request(path="/v1/signal", key=KEY, version="13"):
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: {version}\r\n\r\n").encode()


def frame(opcode, payload, fin=True, masked=True):
    head = bytes([(0x80 if fin else 0) | opcode])
    length = len(payload)
    mask_bit = 0x80 if masked else 0
    if length < 126:
        head += bytes([mask_bit | length])
    elif length < 65536:
        head += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if not masked:
        return head + payload
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")


def read_frame(sock):
    b0, b1 = read_exact(sock, 2)
    length = b1 & 0x7F
    if length == 126:
        length = struct.unpack("!H", read_exact(sock, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", read_exact(sock, 8))[0]
    if b1 & 0x80:
        raise AssertionError("the server masked a frame")
    return b0 & 0x0F, read_exact(sock, length)


def open_websocket(server, extra=b""):
    sock = tls_connect(server)
    sock.sendall(upgrade_request() + extra)
    head = read_head(sock)
    return sock, head


def close_code(payload):
    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None


def test_refusals(tap, server):
    sock = tls_connect(server)
    sock.sendall(upgrade_request(path="/v1/elsewhere"))
    head = read_head(sock)
    tap.ok(head.startswith("HTTP/1.1 404"), "a WebSocket upgrade at another path gets 404")
    sock.close()

    sock = tls_connect(server)
    sock.sendall(upgrade_request(key="c2hvcnQ="))
    head = read_head(sock)
    tap.ok(head.startswith("HTTP/1.1 400"), "a Sec-WebSocket-Key that is not 16 bytes gets 400")
    sock.close()

    sock = tls_connect(server)
    sock.sendall(upgrade_request(version="8"))
    head = read_head(sock)
    tap.ok(head.startswith("HTTP/1.1 400"), "a WebSocket version other than 13 gets 400")
    sock.close()


def test_ping_and_fragments(tap, server):
    # The first frame rides in the same TLS write as the upgrade request.
    sock, head = open_websocket(server, extra=frame(0x9, b"early"))
    tap.ok(head.startswith("HTTP/1.1 101"), "the upgrade is accepted")
    opcode, payload = read_frame(sock)
    tap.ok(opcode == 0xA and payload == b"early",
           "a ping sent with the upgrade request gets its pong with the same payload")

    text = b'{"type":"ping"}'
    sock.sendall(frame(0x1, text[:5], fin=False) + frame(0x9, b"mid") +
                 frame(0x0, text[5:9], fin=False) + frame(0x0, text[9:], fin=True))
    first = read_frame(sock)
    second = read_frame(sock)
    tap.ok(first == (0xA, b"mid"), "a ping between fragments is answered at once")
    tap.ok(second[0] == 0x1 and json.loads(second[1]).get("type") == "pong",
           "a message in three fragments is reassembled and answered (JSON pong)")

    sock.sendall(frame(0x8, struct.pack("!H", 1000) + b"bye"))
    opcode, payload = read_frame(sock)
    tap.ok(opcode == 0x8 and close_code(payload) == 1000, "a client close is echoed with its code")
    sock.settimeout(5)
    try:
        rest = sock.recv(1)
    except (ConnectionError, ssl.SSLError):
        rest = b""
    tap.ok(rest == b"", "after the close handshake the server closes the connection")
    sock.close()


def test_protocol_errors(tap, server):
    cases = [
        ("an unmasked client frame", frame(0x1, b'{"type":"ping"}', masked=False), 1002),
        ("a frame with a reserved bit", bytes([0xC1]) + frame(0x1, b"x")[1:], 1002),
        ("an unknown opcode", frame(0x3, b"x"), 1002),
        ("a text message that is not UTF-8", frame(0x1, b"\xc3\x28"), 1007),
        ("a frame announcing 1 GiB", bytes([0x81, 0xFF]) + struct.pack("!Q", 1 << 30), 1009),
    ]
    for description, data, expected in cases:
        sock, _ = open_websocket(server)
        sock.sendall(data)
        try:
            opcode, payload = read_frame(sock)
            got = close_code(payload) if opcode == 0x8 else f"opcode {opcode}"
        except (EOFError, ConnectionError, ssl.SSLError) as error:
            got = f"no close frame ({error})"
        tap.ok(got == expected, f"{description} closes with {expected} (got {got})")
        sock.close()


def join(server, token):
    sock, head = open_websocket(server)
    sock.sendall(frame(0x1, json.dumps({"type": "join", "token": token}).encode()))
    opcode, payload = read_frame(sock)
    message = json.loads(payload) if opcode == 0x1 else {}
    return sock, message


def read_until_type(sock, wanted, limit=20, timeout=5):
    """The first message of type `wanted` within `limit` frames, or None
    (also after `timeout` seconds of silence)."""
    sock.settimeout(timeout)
    try:
        for _ in range(limit):
            opcode, payload = read_frame(sock)
            if opcode == 0x1:
                message = json.loads(payload)
                if message.get("type") == wanted:
                    return message
    except (TimeoutError, socket.timeout, EOFError, ConnectionError, ssl.SSLError):
        pass
    return None


def test_leave_then_eof(tap, server):
    session = server.create_session()
    watcher, welcome_w = join(server, server.mint(session, "subscriber"))
    leaver, welcome_l = join(server, server.mint(session, "publisher"))
    tap.ok(welcome_w.get("type") == "welcome" and welcome_l.get("type") == "welcome",
           "two raw clients join a session")
    created = read_until_type(watcher, "connection-created")
    # The leave and the end of the connection reach the server in one go:
    # both are waiting in its socket when it next runs.
    os.kill(server.proc.pid, signal.SIGSTOP)
    try:
        leaver.sendall(frame(0x1, b'{"type":"leave"}'))
        # A FIN, not a close: closing with unread data would send a reset,
        # and a reset throws away what the server has not read yet.
        socket.socket.shutdown(leaver, socket.SHUT_WR)
        time.sleep(0.2)
    finally:
        os.kill(server.proc.pid, signal.SIGCONT)
    gone = read_until_type(watcher, "connection-destroyed")
    tap.ok(created is not None and gone is not None and gone.get("reason") == "left",
           f"a leave sent right before the TCP connection ends still counts as a leave "
           f"(reason {gone.get('reason') if gone else None})")
    leaver.close()
    watcher.close()


def test_rest_bridge(tap, server):
    sock = tls_connect(server)
    sock.sendall(b"GET /v1/sessions/x HTTP/1.0\r\n\r\n")
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    text = data.decode(errors="replace")
    tap.ok(text.startswith("HTTP/1.") and " 401 " in text.split("\r\n", 1)[0],
           "an HTTP/1.0 REST request reaches the REST API through the bridge (401 without "
           "a credential)")
    sock.close()

    session = server.rest("POST", "/v1/sessions", {})
    tap.ok(isinstance(session, dict) and "session_id" in session,
           "an authenticated REST call works through the bridge")


def test_handshake_timeout(tap, server):
    host, port = server.https.split("//", 1)[1].rsplit(":", 1)
    raw = socket.create_connection((host, int(port)), timeout=10)
    started = time.monotonic()
    try:
        data = raw.recv(1)
    except ConnectionError:
        data = b""
    waited = time.monotonic() - started
    tap.ok(data == b"" and waited < 12,
           f"a client that never starts TLS is dropped after the handshake timeout "
           f"({waited:.1f} s, timeout {HANDSHAKE_TIMEOUT_MS} ms)")
    raw.close()


def test_many_sockets(tap, server, count=200):
    sockets = []
    for _ in range(count):
        sock, head = open_websocket(server)
        if not head.startswith("HTTP/1.1 101"):
            break
        sockets.append(sock)
    for i, sock in enumerate(sockets):
        sock.sendall(frame(0x9, str(i).encode()))
    answered = 0
    for i, sock in enumerate(sockets):
        if read_frame(sock) == (0xA, str(i).encode()):
            answered += 1
    tap.ok(answered == count, f"{count} open WebSockets each get their own pong "
                              f"({len(sockets)} opened, {answered} answered)")
    for sock in sockets:
        sock.close()


def main():
    tap = sottotest.TapReporter()
    server = sottotest.Server({"SOTTO_SERVER_HANDSHAKE_TIMEOUT_MS": str(HANDSHAKE_TIMEOUT_MS)})
    try:
        server.start()
        test_refusals(tap, server)
        test_ping_and_fragments(tap, server)
        test_protocol_errors(tap, server)
        test_leave_then_eof(tap, server)
        test_rest_bridge(tap, server)
        test_handshake_timeout(tap, server)
        test_many_sockets(tap, server)
        proc = server.proc
        server.stop()
        tap.ok(proc.returncode == 0,
               f"the server stops cleanly right after 200 sockets closed (exit {proc.returncode})")
    finally:
        server.cleanup()
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
