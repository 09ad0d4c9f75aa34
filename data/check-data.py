#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks what no single validator sees: the desktop file, the metainfo, the
GSettings schema and the icons agree on one app id and one gettext domain,
the project version has a release entry, and `sotto:` links open the app.
Prints TAP."""

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, ok, name, detail=""):
        self.count += 1
        if ok:
            print(f"ok {self.count} - {name}")
        else:
            self.failed += 1
            print(f"not ok {self.count} - {name}")
            for line in str(detail).splitlines():
                print(f"# {line}")

    def finish(self):
        print(f"1..{self.count}")
        return 1 if self.failed else 0


def check_desktop(tap, path, app_id):
    tap.check(os.path.basename(path) == app_id + ".desktop",
              "desktop file is named after the app id", path)
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    entry = parser["Desktop Entry"]
    exec_words = entry.get("Exec", "").split()
    tap.check(exec_words[:1] == ["sotto"], "Exec starts the sotto binary", exec_words)
    tap.check("%u" in exec_words, "Exec passes the opened sotto: link (%u)", exec_words)
    mime = entry.get("MimeType", "").split(";")
    tap.check("x-scheme-handler/sotto" in mime, "desktop file handles sotto: links", mime)
    tap.check(entry.get("Icon") == app_id, "desktop Icon is the app id", entry.get("Icon"))
    # po/es.po translates the desktop strings: proves merge_file reads po/.
    tap.check("Comment[es]" in entry, "Spanish translation is merged into the desktop file",
              sorted(k for k in entry if "[" in k))


def check_metainfo(tap, path, app_id, domain, version):
    root = ET.parse(path).getroot()
    tap.check(root.findtext("id") == app_id, "metainfo id is the app id", root.findtext("id"))
    launchable = root.find("launchable[@type='desktop-id']")
    tap.check(launchable is not None and launchable.text == app_id + ".desktop",
              "metainfo launches the desktop file",
              None if launchable is None else launchable.text)
    translation = root.find("translation[@type='gettext']")
    tap.check(translation is not None and translation.text == domain,
              "metainfo names the project's gettext domain",
              None if translation is None else translation.text)
    releases = [r.get("version") for r in root.findall("releases/release")]
    tap.check(releases[:1] == [version],
              f"newest metainfo release is the project version {version}",
              f"releases listed: {releases}")
    binaries = [b.text for b in root.findall("provides/binary")]
    tap.check("sotto" in binaries, "metainfo provides the sotto binary", binaries)
    rating = root.find("content_rating")
    tap.check(rating is not None and rating.get("type", "").startswith("oars-"),
              "metainfo has an OARS content rating")
    summaries = {s.get("{http://www.w3.org/XML/1998/namespace}lang"): s.text
                 for s in root.findall("summary")}
    tap.check("es" in summaries, "Spanish translation is merged into the metainfo",
              sorted(k for k in summaries if k))
    shots = root.findall("screenshots/screenshot")
    tap.check(any(s.get("type") == "default" for s in shots),
              "metainfo has a default screenshot", f"{len(shots)} screenshots")


def check_schema(tap, source_dir, schema_dir, app_id, domain):
    path = os.path.join(source_dir, app_id + ".gschema.xml")
    root = ET.parse(path).getroot()
    tap.check(root.get("gettext-domain") == domain,
              "schema gettext-domain is the project's", root.get("gettext-domain"))
    schema = root.find("schema")
    tap.check(schema is not None and schema.get("id") == app_id,
              "schema id is the app id", None if schema is None else schema.get("id"))
    expected_path = "/" + app_id.replace(".", "/") + "/"
    tap.check(schema is not None and schema.get("path") == expected_path,
              f"schema path is {expected_path}", None if schema is None else schema.get("path"))

    # The compiled schema must hold the keys the app binds (issue 6).
    gsettings = shutil.which("gsettings")
    if gsettings is None:
        tap.check(False, "gsettings is installed (libglib2.0-bin)")
        return
    env = dict(os.environ, GSETTINGS_BACKEND="memory")
    env.pop("G_DEBUG", None)
    result = subprocess.run(
        [gsettings, "--schemadir", schema_dir, "list-keys", app_id],
        capture_output=True, text=True, env=env, timeout=20)
    keys = set(result.stdout.split())
    wanted = {"video-device", "audio-device", "window-width", "window-height",
              "window-maximized"}
    tap.check(result.returncode == 0 and wanted <= keys,
              "compiled schema has the device and window keys",
              f"missing: {sorted(wanted - keys)}; {result.stderr}")
    result = subprocess.run(
        [gsettings, "--schemadir", schema_dir, "get", app_id, "video-device"],
        capture_output=True, text=True, env=env, timeout=20)
    tap.check(result.stdout.strip() == "''",
              "remembered camera defaults to empty (system default)", result.stdout)


def check_icons(tap, source_dir, app_id):
    base = os.path.join(source_dir, "icons", "hicolor")
    for sub, name, size in (("scalable", app_id + ".svg", "128"),
                            ("symbolic", app_id + "-symbolic.svg", "16")):
        path = os.path.join(base, sub, "apps", name)
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as e:
            tap.check(False, f"{sub} icon parses", e)
            continue
        tap.check(root.tag == "{http://www.w3.org/2000/svg}svg"
                  and root.get("width") == size and root.get("height") == size,
                  f"{sub} icon is a {size}x{size} SVG named {name}",
                  f"{root.tag} {root.get('width')}x{root.get('height')}")


def main():
    ap = argparse.ArgumentParser()
    for opt in ("--app-id", "--gettext-domain", "--version", "--source-dir",
                "--desktop", "--metainfo", "--schema-dir"):
        ap.add_argument(opt, required=True)
    args = ap.parse_args()

    tap = Tap()
    check_desktop(tap, args.desktop, args.app_id)
    check_metainfo(tap, args.metainfo, args.app_id, args.gettext_domain, args.version)
    check_schema(tap, args.source_dir, args.schema_dir, args.app_id, args.gettext_domain)
    check_icons(tap, args.source_dir, args.app_id)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
