#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the installed sotto-server systemd unit: systemd itself accepts it
(`systemd-analyze verify`, every key known, the binary there), its exposure
score stays low (`systemd-analyze security --offline`), the hardening the
deployment guide promises is really in it, `serve` accepts every flag the
unit passes, and the unit's command line, run with the variables systemd
sets, starts a server on the credential certificate that stops cleanly on
SIGTERM. Broken copies of the unit must be refused too. Prints TAP; skips
when systemd-analyze is not installed."""

import argparse
import os
import base64
import hashlib
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# Exposure as `systemd-analyze security` scores it, times ten: 2.0 is "OK".
MAX_EXPOSURE = 20

REQUIRED = {
    "DynamicUser": "yes",
    "StateDirectory": "sotto-server",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "CapabilityBoundingSet": "",
    "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
    "LockPersonality": "yes",
    "MemoryDenyWriteExecute": "yes",
}


def parse_service(text):
    """[Service] assignments as {key: [values]}, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", text)
    section = None
    keys = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]" and "=" in line:
            key, value = line.split("=", 1)
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def hardening_problems(text):
    keys = parse_service(text)
    problems = []
    for key, want in REQUIRED.items():
        if keys.get(key, [None])[-1] != want:
            problems.append(f"{key}={want} expected, found {keys.get(key)}")
    filters = " ".join(keys.get("SystemCallFilter", []))
    if "@system-service" not in filters:
        problems.append("SystemCallFilter does not start from @system-service")
    exec_start = " ".join(keys.get("ExecStart", []))
    words = exec_start.split()
    if len(words) < 2 or not words[0].endswith("/sotto-server") or words[1] != "serve":
        problems.append(f"ExecStart does not run `sotto-server serve`: {exec_start}")
    for flag, value in (("--state-dir", "${STATE_DIRECTORY}"),
                        ("--tls-cert", "${CREDENTIALS_DIRECTORY}/tls-cert.pem"),
                        ("--tls-key", "${CREDENTIALS_DIRECTORY}/tls-key.pem")):
        if f"{flag} {value}" not in exec_start:
            problems.append(f"ExecStart lacks {flag} {value}")
    return problems


def make_certificate(directory):
    """A throwaway P-256 certificate and key, as systemd would hand them over
    in $CREDENTIALS_DIRECTORY; returns the SPKI pin tokens should carry."""
    cert = os.path.join(directory, "tls-cert.pem")
    key = os.path.join(directory, "tls-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost",
                    "-days", "1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True, timeout=30)
    os.chmod(key, 0o600)
    spki = subprocess.run(
        ["openssl", "x509", "-in", cert, "-noout", "-pubkey"],
        check=True, capture_output=True, timeout=30).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=spki,
                         check=True, capture_output=True, timeout=30).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def start_like_systemd(text, server, tmp):
    """Runs the unit's ExecStart the way systemd would (its variables set,
    but listening on a free loopback port) until the server says it is
    ready; then stops it with SIGTERM as `systemctl stop` does. Returns
    (problems, ready line)."""
    state = os.path.join(tmp, "state")
    creds = os.path.join(tmp, "credentials")
    os.makedirs(creds)
    pin = make_certificate(creds)
    variables = {"STATE_DIRECTORY": state, "CREDENTIALS_DIRECTORY": creds,
                 "SOTTO_LISTEN": "127.0.0.1:0",
                 "SOTTO_PUBLIC_URL": "wss://calls.example.org:8443"}
    exec_start = " ".join(parse_service(text).get("ExecStart", []))
    argv = [re.sub(r"\$\{(\w+)\}", lambda m: variables.get(m.group(1), ""), w)
            for w in shlex.split(exec_start)]
    argv[0] = server
    env = dict(os.environ)
    env.pop("G_DEBUG", None)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    ready = ""
    problems = []
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not ready:
            rlist, _, _ = select.select([proc.stdout], [], [], 0.5)
            if rlist:
                line = proc.stdout.readline()
                if not line:
                    break
                if line.startswith("SOTTO_SERVER_READY"):
                    ready = line.strip()
        if not ready:
            problems.append("no SOTTO_SERVER_READY line within 15 s")
        elif f"pin={pin}" not in ready:
            problems.append(f"server does not use the credential certificate (pin {pin})")
        elif "public-url=wss://calls.example.org:8443" not in ready:
            problems.append("server ignores SOTTO_PUBLIC_URL")
        secret = os.path.join(state, "api-secret")
        if ready and not (os.path.exists(secret) and os.stat(secret).st_mode & 0o077 == 0):
            problems.append("no private api-secret in $STATE_DIRECTORY")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            problems.append("server did not stop within 15 s of SIGTERM")
    if proc.returncode != 0:
        problems.append(f"server exited with {proc.returncode} on SIGTERM")
        problems += err.splitlines()[-5:]
    return problems, ready


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, ok, name, detail=()):
        self.count += 1
        print(f"{'ok' if ok else 'not ok'} {self.count} - {name}")
        if not ok:
            self.failed += 1
            for line in detail:
                print(f"# {line}")

    def skip(self, name, reason):
        self.count += 1
        print(f"ok {self.count} - {name} # SKIP {reason}")


def verify(analyze, path):
    """Problems systemd-analyze reports about this unit (it exits 0 on unknown
    keys, so its messages about the file count as failures too)."""
    result = subprocess.run([analyze, "verify", path], capture_output=True,
                            text=True, timeout=60)
    name = os.path.basename(path)
    lines = [l for l in result.stderr.splitlines() if name in l]
    if result.returncode != 0 and not lines:
        lines = result.stderr.splitlines() or [f"exit status {result.returncode}"]
    return lines


def exposure_ok(analyze, path):
    result = subprocess.run(
        [analyze, "security", "--offline=yes", "--no-pager",
         f"--threshold={MAX_EXPOSURE}", path],
        capture_output=True, text=True, timeout=60)
    summary = [l for l in result.stdout.splitlines() if "Overall exposure" in l]
    return result.returncode == 0, summary + result.stderr.splitlines()[-3:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unit", required=True, help="the configured unit")
    ap.add_argument("--installed-bindir", required=True,
                    help="the bindir the unit names, replaced by the build's")
    ap.add_argument("--server", required=True, help="the built sotto-server")
    ap.add_argument("--serve-built", choices=("true", "false"), required=True)
    args = ap.parse_args()

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("1..0 # SKIP systemd-analyze is not installed (package systemd)")
        return 0

    with open(args.unit, encoding="utf-8") as f:
        installed = f.read()
    # Verify against the built binary: the installed path need not exist yet.
    server = os.path.abspath(args.server)
    text = installed.replace(args.installed_bindir + "/sotto-server", server)

    tap = Tap()
    tap.check(args.installed_bindir + "/sotto-server serve" in installed,
              "unit starts sotto-server from the installed bindir")
    problems = hardening_problems(text)
    tap.check(not problems, "unit has the documented hardening", problems)

    with tempfile.TemporaryDirectory() as tmp:
        def write(name, content):
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
            return path

        path = write("sotto-server.service", text)
        found = verify(analyze, path)
        tap.check(not found, "systemd-analyze verify accepts the unit", found)
        ok, detail = exposure_ok(analyze, path)
        tap.check(ok, f"exposure score at most {MAX_EXPOSURE / 10}", detail)

        # The checks above must be able to fail.
        typo = write("typo.service", text.replace("ProtectHome=yes", "ProtectHom=yes"))
        tap.check(bool(verify(analyze, typo)), "verify refuses a misspelt key")
        missing = write("missing.service", text.replace(server, "/nonexistent/sotto-server"))
        tap.check(bool(verify(analyze, missing)), "verify refuses a missing binary")
        loose = "\n".join(l for l in text.splitlines()
                          if not l.startswith(("ProtectSystem", "ProtectHome", "PrivateDevices",
                                               "SystemCallFilter", "CapabilityBoundingSet",
                                               "RestrictAddressFamilies", "DynamicUser",
                                               "PrivateUsers", "ProtectKernel")))
        loose_path = write("loose.service", loose + "\n")
        tap.check(not exposure_ok(analyze, loose_path)[0], "exposure check refuses a loose unit")
        tap.check(any("ProtectSystem" in p for p in hardening_problems(loose)),
                  "hardening check refuses a loose unit")

    # Every flag the unit passes must exist in `sotto-server serve`.
    flags = sorted(set(re.findall(r"(--[a-z][a-z-]*)", " ".join(
        parse_service(text).get("ExecStart", [])))))
    if args.serve_built == "false":
        tap.skip("serve accepts the unit's flags", "sotto-server serve is not built yet")
    else:
        env = dict(os.environ)
        env.pop("G_DEBUG", None)
        result = subprocess.run([server, "serve", "--help"], capture_output=True,
                                text=True, timeout=30, env=env)
        unknown = [f for f in flags if f not in result.stdout]
        tap.check(result.returncode == 0 and not unknown,
                  "serve accepts the unit's flags",
                  [f"not in `serve --help`: {unknown}"] + result.stderr.splitlines()[-3:])
        with tempfile.TemporaryDirectory() as tmp:
            problems, ready = start_like_systemd(text, server, tmp)
            tap.check(not problems,
                      "the unit's command line starts a server on its credentials and stops on SIGTERM",
                      problems + [ready])

    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
