#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`meson install` into a temporary DESTDIR gives working programs: every
executable Meson installs starts from there and reports the project version,
the installed sotto-server initialises a deployment and mints a token, and
the data files (systemd unit, translations, and with the app its desktop
file, metainfo, icons and schema) land where they belong. Prints TAP.

Installs with `--no-rebuild`, so it never takes the build directory's ninja
lock that `meson test` may hold."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, ok, name, detail=()):
        self.count += 1
        print(f"{'ok' if ok else 'not ok'} {self.count} - {name}", flush=True)
        if not ok:
            self.failed += 1
            for line in detail:
                print(f"# {line}")
        return ok


def run(argv, env, timeout=60, cwd=None):
    try:
        return subprocess.run(argv, capture_output=True, text=True, env=env,
                              timeout=timeout, cwd=cwd)
    except (OSError, subprocess.TimeoutExpired) as e:
        return subprocess.CompletedProcess(argv, -1, "", str(e))


def tail(result, n=5):
    return (result.stdout.splitlines() + result.stderr.splitlines())[-n:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meson", required=True)
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--datadir", required=True)
    ap.add_argument("--localedir", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--app-id", required=True)
    ap.add_argument("--require", action="append", default=[],
                    help="an executable that must be among those installed")
    args = ap.parse_args()

    build = os.path.abspath(args.build_dir)
    with open(os.path.join(build, "meson-info", "intro-installed.json"), encoding="utf-8") as f:
        installed = json.load(f)
    bindir = os.path.join(args.prefix, args.bindir)
    programs = sorted(os.path.basename(dest) for dest in installed.values()
                      if os.path.dirname(dest) == bindir)

    tap = Tap()
    tap.check(set(args.require) <= set(programs),
              f"Meson installs {', '.join(args.require)}",
              [f"installed programs: {programs}"])

    with tempfile.TemporaryDirectory(prefix="sotto-install-") as destdir:
        def root(*parts):
            # Join an absolute installed path under DESTDIR.
            return os.path.join(destdir, *(p.lstrip("/") for p in parts))

        env = dict(os.environ, DESTDIR=destdir)
        result = run([args.meson, "install", "-C", build, "--destdir", destdir,
                      "--no-rebuild", "--quiet"], env, timeout=120)
        if not tap.check(result.returncode == 0, "meson install --destdir succeeds", tail(result)):
            print(f"1..{tap.count}")
            return 1

        # What runs from the prefix must not lean on the build tree.
        run_env = {k: v for k, v in os.environ.items()
                   if k not in ("GSETTINGS_SCHEMA_DIR", "LD_LIBRARY_PATH", "GI_TYPELIB_PATH")}
        schemas = root(args.prefix, args.datadir, "glib-2.0", "schemas")
        app_installed = "sotto" in programs
        if app_installed:
            # Meson leaves this to the packager under DESTDIR.
            result = run(["glib-compile-schemas", "--strict", schemas], run_env)
            tap.check(result.returncode == 0, "installed GSettings schema compiles", tail(result))
            run_env["GSETTINGS_SCHEMA_DIR"] = schemas

        for name in programs:
            path = root(bindir, name)
            result = run([path, "--version"], run_env, timeout=30, cwd=destdir)
            first = result.stdout.splitlines()[:1]
            tap.check(result.returncode == 0 and bool(first)
                      and name.lower() in first[0].lower() and args.version in first[0],
                      f"installed {name} --version reports {args.version}",
                      [f"exit {result.returncode}"] + tail(result))

        server = root(bindir, "sotto-server")
        if os.path.exists(server):
            state = os.path.join(destdir, "state")
            senv = dict(run_env, G_MESSAGES_DEBUG="")
            result = run([server, "init", "--state-dir", state], senv)
            tap.check(result.returncode == 0, "installed sotto-server init creates a deployment",
                      tail(result))
            result = run([server, "create-session", "--state-dir", state], senv)
            session = result.stdout.strip()
            tap.check(result.returncode == 0 and session, "installed sotto-server creates a session",
                      tail(result))
            result = run([server, "mint-token", "--state-dir", state, "--session", session,
                          "--role", "publisher"], senv)
            token = result.stdout.strip()
            tap.check(result.returncode == 0 and token.count(".") == 2,
                      "installed sotto-server mints a token", tail(result))

            unit = root(args.prefix, "lib/systemd/system/sotto-server.service")
            try:
                with open(unit, encoding="utf-8") as f:
                    text = f.read()
            except OSError as e:
                text = str(e)
            tap.check(f"ExecStart={bindir}/sotto-server serve" in text,
                      "systemd unit starts the installed sotto-server", [unit])

        mo = root(args.localedir, "es", "LC_MESSAGES", "sotto.mo")
        tap.check(os.path.isfile(mo), "Spanish translation is installed", [mo])

        if app_installed:
            datadir = root(args.prefix, args.datadir)
            for rel in (f"applications/{args.app_id}.desktop",
                        f"metainfo/{args.app_id}.metainfo.xml",
                        f"icons/hicolor/scalable/apps/{args.app_id}.svg",
                        f"icons/hicolor/symbolic/apps/{args.app_id}-symbolic.svg",
                        f"glib-2.0/schemas/{args.app_id}.gschema.xml"):
                tap.check(os.path.isfile(os.path.join(datadir, rel)), f"app installs {rel}")
            validator = shutil.which("desktop-file-validate")
            if validator:
                result = run([validator, os.path.join(datadir, "applications",
                                                      args.app_id + ".desktop")], run_env)
                tap.check(result.returncode == 0, "installed desktop file validates", tail(result))

    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
