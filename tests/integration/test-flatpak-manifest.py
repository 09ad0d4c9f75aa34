#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks flatpak/io.github.sotto.Sotto.json without building it (no machine
here can download a GNOME runtime): valid JSON, every source pinned, the
sandbox limited to the permissions the README explains, and the app module
configured exactly like the README's build (build-aux/meson-options.txt).

Each rule is also run against broken copies of the manifest, so a checker
that stopped catching a problem fails here too. Prints TAP."""

import argparse
import copy
import json
import os
import re
import sys

APP_ID = "io.github.sotto.Sotto"
MIN_RUNTIME = 47  # GNOME 47 is the oldest runtime with what the app needs

# The whole sandbox. The camera needs no entry: the xdg-desktop-portal Camera
# interface hands the app a PipeWire remote after the user agrees.
ALLOWED_FINISH_ARGS = {
    "--share=network",       # signaling (TLS WebSocket) and peer media
    "--share=ipc",           # X11 shared memory under fallback-x11
    "--socket=wayland",
    "--socket=fallback-x11",  # X11 only where there is no Wayland
    "--socket=pulseaudio",   # microphone and speakers (PipeWire's pulse server)
    "--device=dri",          # GL rendering of the video tiles
}

SHA256 = re.compile(r"^[0-9a-f]{64}$")
SHA512 = re.compile(r"^[0-9a-f]{128}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")


def read_options(path):
    """The README's Meson options: one per line, # comments."""
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith("#")]


def reject_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dups = sorted({k for k in keys if keys.count(k) > 1})
    if dups:
        raise ValueError(f"duplicate keys: {dups}")
    return dict(pairs)


def all_modules(modules, problems, where="modules"):
    for i, module in enumerate(modules):
        if not isinstance(module, dict):
            # A string names a separate manifest file: keep everything in one
            # file so that this check sees every source.
            problems.append(f"{where}[{i}]: module in another file ({module!r})")
            continue
        yield module
        yield from all_modules(module.get("modules", []), problems,
                               f"{where}[{i}].modules")


def source_problems(module, source, top_dir, manifest_dir, is_app):
    name = module.get("name", "?")
    if not isinstance(source, dict):
        return [f"{name}: source in another file ({source!r})"]
    kind = source.get("type")
    if kind in ("archive", "file"):
        url = source.get("url", "")
        problems = []
        if not url.startswith("https://"):
            problems.append(f"{name}: {kind} source not fetched over https: {url!r}")
        digest = source.get("sha256")
        if not (digest and SHA256.match(digest)) and not SHA512.match(source.get("sha512", "")):
            problems.append(f"{name}: {kind} source {url} has no sha256 or sha512")
        return problems
    if kind == "git":
        problems = []
        if not source.get("url", "").startswith("https://"):
            problems.append(f"{name}: git source not fetched over https")
        if not COMMIT.match(source.get("commit", "")):
            problems.append(f"{name}: git source not pinned to a commit")
        if "branch" in source:
            problems.append(f"{name}: git source follows a branch")
        return problems
    if kind == "dir":
        if not is_app:
            return [f"{name}: local directory source outside the app module"]
        path = os.path.normpath(os.path.join(manifest_dir, source.get("path", "")))
        if path != os.path.normpath(top_dir):
            return [f"{name}: app source {path} is not the project tree {top_dir}"]
        # flatpak-builder's state and build dirs from the README's command sit
        # in the tree: copying them into the build would recurse.
        missing = {".flatpak-builder", "_flatpak"} - set(source.get("skip", []))
        if missing:
            return [f"{name}: dir source does not skip {sorted(missing)}"]
        return []
    if kind == "patch":
        path = os.path.join(manifest_dir, source.get("path", ""))
        return [] if os.path.isfile(path) else [f"{name}: patch {path} missing"]
    return [f"{name}: source type {kind!r} cannot be checked for pinning"]


def check_manifest(manifest, options, top_dir, manifest_dir):
    """All problems found, as human-readable strings; empty when fine."""
    problems = []
    if manifest.get("id", manifest.get("app-id")) != APP_ID:
        problems.append(f"id is not {APP_ID}")
    if manifest.get("command") != "sotto":
        problems.append("command is not sotto")
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("runtime/sdk are not org.gnome.Platform/org.gnome.Sdk")
    version = str(manifest.get("runtime-version", ""))
    if not version.isdigit() or int(version) < MIN_RUNTIME:
        problems.append(f"runtime-version {version!r} is not a stable GNOME release >= {MIN_RUNTIME}")

    finish_args = manifest.get("finish-args", [])
    extra = sorted(set(finish_args) - ALLOWED_FINISH_ARGS)
    lacking = sorted(ALLOWED_FINISH_ARGS - set(finish_args))
    if extra:
        problems.append(f"finish-args beyond least privilege: {extra}")
    if lacking:
        problems.append(f"finish-args missing what the app needs: {lacking}")
    if len(finish_args) != len(set(finish_args)):
        problems.append("finish-args has duplicates")

    modules = list(all_modules(manifest.get("modules", []), problems))
    names = [m.get("name") for m in modules]
    if len(names) != len(set(names)):
        problems.append(f"module names repeat: {names}")
    top_modules = manifest.get("modules", [])
    app = top_modules[-1] if top_modules and isinstance(top_modules[-1], dict) else {}
    if app.get("name") != "sotto":
        problems.append("the last module is not the sotto app")
    for module in modules:
        sources = module.get("sources", [])
        if not sources:
            problems.append(f"{module.get('name')}: no sources")
        for source in sources:
            problems += source_problems(module, source, top_dir, manifest_dir,
                                        module is app)

    if app.get("buildsystem") != "meson":
        problems.append("the app module is not built with meson")
    if app.get("config-opts", []) != options:
        problems.append(f"app config-opts {app.get('config-opts')} differ from "
                        f"the README build's options {options}")

    by_name = {m.get("name"): m for m in modules}
    srtp = by_name.get("libsrtp2", {})
    if "-Dcrypto-library=openssl" not in srtp.get("config-opts", []):
        problems.append("libsrtp2 is not built with OpenSSL (AES-GCM needs it)")
    nice = by_name.get("libnice", {})
    if "-Dgupnp=disabled" not in nice.get("config-opts", []):
        problems.append("libnice is built with UPnP")
    return problems


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


def mutations(manifest):
    """Broken copies, each with the word its problem message must contain."""
    def mutated(change):
        m = copy.deepcopy(manifest)
        change(m)
        return m

    def module(m, name):
        return next(x for x in m["modules"] if x.get("name") == name)

    yield "archive without sha256", "sha256", mutated(
        lambda m: module(m, "libnice")["sources"][0].pop("sha256"))
    yield "git source on a branch", "commit", mutated(
        lambda m: module(m, "libsrtp2").__setitem__("sources", [
            {"type": "git", "url": "https://example.invalid/libsrtp.git", "branch": "main"}]))
    yield "home directory access", "least privilege", mutated(
        lambda m: m["finish-args"].append("--filesystem=home"))
    yield "all devices", "least privilege", mutated(
        lambda m: m["finish-args"].append("--device=all"))
    yield "X11 without Wayland preference", "least privilege", mutated(
        lambda m: m["finish-args"].__setitem__(
            m["finish-args"].index("--socket=fallback-x11"), "--socket=x11"))
    yield "no network", "missing", mutated(
        lambda m: m["finish-args"].remove("--share=network"))
    yield "app options drift from the README build", "config-opts", mutated(
        lambda m: module(m, "sotto")["config-opts"].append("-Dtests=false"))
    yield "libsrtp2 without OpenSSL", "OpenSSL", mutated(
        lambda m: module(m, "libsrtp2")["config-opts"].remove("-Dcrypto-library=openssl"))
    yield "old runtime", "runtime-version", mutated(
        lambda m: m.__setitem__("runtime-version", "46"))
    yield "local dir outside the app", "local directory", mutated(
        lambda m: module(m, "libnice").__setitem__("sources", [{"type": "dir", "path": "."}]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--options", required=True, help="build-aux/meson-options.txt")
    ap.add_argument("--run-tests", required=True, help="build-aux/run-tests")
    ap.add_argument("--readme", required=True)
    ap.add_argument("--top", required=True, help="project source root")
    args = ap.parse_args()

    tap = Tap()
    try:
        with open(args.manifest, encoding="utf-8") as f:
            manifest = json.load(f, object_pairs_hook=reject_duplicates)
    except (OSError, ValueError) as e:
        tap.check(False, "manifest is valid JSON", [str(e)])
        print(f"1..{tap.count}")
        return 1
    tap.check(True, "manifest is valid JSON")

    options = read_options(args.options)
    tap.check(bool(options), "build-aux/meson-options.txt lists the README build's options")
    manifest_dir = os.path.dirname(os.path.abspath(args.manifest))
    top = os.path.abspath(args.top)
    problems = check_manifest(manifest, options, top, manifest_dir)
    tap.check(not problems, "manifest is pinned, least-privilege and built like the README", problems)

    # The README's build must really use those options.
    with open(args.run_tests, encoding="utf-8") as f:
        run_tests = f.read()
    setup_lines = [l for l in run_tests.splitlines() if "meson setup" in l]
    uses_file = "meson-options.txt" in run_tests
    inline = setup_lines and all(all(o in l for o in options) for l in setup_lines)
    tap.check(uses_file or inline,
              "build-aux/run-tests configures with build-aux/meson-options.txt",
              setup_lines)

    with open(args.readme, encoding="utf-8") as f:
        readme = f.read()
    command = ("flatpak-builder --user --install --force-clean _flatpak "
               "flatpak/io.github.sotto.Sotto.json")
    tap.check(command in readme, "README gives the flatpak-builder command", [command])
    undocumented = [a for a in manifest.get("finish-args", []) if f"`{a}`" not in readme]
    tap.check(not undocumented, "README explains every sandbox permission",
              [f"not in README: {undocumented}"])

    for name, word, broken in mutations(manifest):
        found = check_manifest(broken, options, top, manifest_dir)
        tap.check(any(word in p for p in found), f"catches: {name}",
                  found or ["no problem reported"])

    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
