# SPDX-License-Identifier: GPL-3.0-or-later
"""Real processes for integration tests: a sotto-server on a free loopback
port with a temporary state directory, and sotto-call peers whose JSON event
lines are collected as they arrive. Standard library only; every wait is
bounded in time."""
import json
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.request

SERVER = os.environ.get("SOTTO_SERVER_BIN", "sotto-server")
CALL = os.environ.get("SOTTO_CALL_BIN", "sotto-call")


def child_env(extra=None):
    """The environment for sotto-server and sotto-call children. In the
    sanitized build their leak check is off: GLib deliberately abandons its
    first 16 KiB quark block once a process has more than 2048 quarks (GTK and
    GStreamer get there), and LeakSanitizer cannot see past GLib's frames to
    tell it apart. Memory errors stay fatal; the libraries' own leaks are
    checked in-process by the unit tests, and valgrind finds no other definite
    leak in sotto-call."""
    env = dict(os.environ)
    if "ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"].replace("detect_leaks=1", "detect_leaks=0")
    env.update(extra or {})
    return env


class TapReporter:
    """Minimal TAP output: one line per check, a plan at the end."""

    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, condition, description):
        self.count += 1
        if not condition:
            self.failed += 1
        print(f"{'ok' if condition else 'not ok'} {self.count} - {description}", flush=True)
        return condition

    def diag(self, text):
        for line in str(text).splitlines():
            print(f"# {line}", flush=True)

    def finish(self):
        print(f"1..{self.count}", flush=True)
        return 1 if self.failed else 0


class Server:
    def __init__(self, extra_env=None):
        self.state_dir = tempfile.mkdtemp(prefix="sotto-test-state-")
        self.env = child_env(extra_env)
        self.proc = None
        self.listen = "127.0.0.1:0"
        self.public_url = None
        self.https = None
        subprocess.run([SERVER, "init", "--state-dir", self.state_dir], check=True,
                       stdout=subprocess.DEVNULL, env=self.env, timeout=30)

    def start(self):
        self.proc = subprocess.Popen(
            [SERVER, "serve", "--state-dir", self.state_dir, "--listen", self.listen],
            stdout=subprocess.PIPE, stderr=open(os.path.join(self.state_dir, "serve.log"), "a"),
            env=self.env, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("SOTTO_SERVER_READY"):
                fields = dict(f.split("=", 1) for f in line.split()[1:])
                self.public_url = fields["public-url"]
                self.https = fields["https"]
                # Restarts reuse the same port, so tokens stay valid.
                self.listen = self.https.split("//", 1)[1]
                return
        raise RuntimeError("sotto-server did not become ready")

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def cli(self, *args):
        out = subprocess.run([SERVER, *args, "--state-dir", self.state_dir], check=True,
                             capture_output=True, text=True, env=self.env, timeout=30)
        return out.stdout.strip()

    def create_session(self, max_participants=None):
        args = ["create-session"]
        if max_participants:
            args += ["--max-participants", str(max_participants)]
        return self.cli(*args)

    def mint(self, session, role, data=None):
        args = ["mint-token", "--session", session, "--role", role, "--public-url", self.public_url]
        if data:
            args += ["--data", data]
        return self.cli(*args)

    def rest(self, method, path, body=None):
        context = ssl.create_default_context(cafile=os.path.join(self.state_dir, "tls-cert.pem"))
        context.check_hostname = False
        request = urllib.request.Request(
            self.https + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": "Bearer " + self.cli("api-token"),
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            text = response.read().decode()
            return json.loads(text) if text else None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.state_dir, ignore_errors=True)


class Peer:
    """One sotto-call process; its stdout JSON lines are kept in order."""

    def __init__(self, name, token, args=(), env=None):
        self.name = name
        self.events = []
        self.lock = threading.Condition()
        full_env = child_env(env)
        self.stderr_path = tempfile.mktemp(prefix=f"sotto-call-{name}-", suffix=".log")
        self.proc = subprocess.Popen(
            [CALL, "--token", token, "--stats", "--width", "320", "--height", "240",
             "--fps", "15", *args],
            stdout=subprocess.PIPE, stderr=open(self.stderr_path, "w"), env=full_env, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                self.events.append(event)
                self.lock.notify_all()

    def wait_for(self, predicate, timeout):
        """The first event satisfying predicate, or None after timeout seconds."""
        deadline = time.monotonic() + timeout
        with self.lock:
            checked = 0
            while True:
                for event in self.events[checked:]:
                    if predicate(event):
                        return event
                checked = len(self.events)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.proc.poll() is not None and not self.reader.is_alive()):
                    return None
                self.lock.wait(min(remaining, 0.2))

    def wait_event(self, name, timeout, **fields):
        return self.wait_for(lambda e: e.get("event") == name and
                             all(e.get(k) == v for k, v in fields.items()), timeout)

    def latest_stats(self):
        with self.lock:
            for event in reversed(self.events):
                if event.get("event") == "stats":
                    return event
        return None

    def subscription(self, stream_id, direction="receive"):
        stats = self.latest_stats()
        for sub in (stats or {}).get("subscriptions", []):
            if sub.get("stream_id") == stream_id and sub.get("direction") == direction:
                return sub
        return None

    def wait_stats(self, predicate, timeout):
        return self.wait_for(lambda e: e.get("event") == "stats" and predicate(e), timeout)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stderr(self):
        try:
            with open(self.stderr_path) as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            if self.wait_exit(15) is None:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.reader.join(timeout=5)
        try:
            os.unlink(self.stderr_path)
        except OSError:
            pass
