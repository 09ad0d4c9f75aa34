#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real `sotto` executable: --version, and --help in Spanish under
LANGUAGE=es (main.c's locale set-up, with the build tree's catalogue)."""
import os
import subprocess
import sys

sotto, version = sys.argv[1], sys.argv[2]
checks = []


def run(args, **env):
    full_env = dict(os.environ)
    full_env.update(env)
    return subprocess.run([sotto] + args, capture_output=True, text=True,
                          env=full_env, timeout=30)


out = run(["--version"])
checks.append((out.returncode == 0 and out.stdout.strip() == "sotto " + version,
               "--version prints the project version", out.stdout + out.stderr))

out = run(["--help"], LANGUAGE="es", LANG="C", LC_ALL="")
checks.append((out.returncode == 0 and "Poner TOKEN en la página de entrada" in out.stdout,
               "--help is in Spanish under LANGUAGE=es, even with LANG=C", out.stdout + out.stderr))

out = run(["--help"], LANGUAGE="", LANG="C", LC_ALL="")
checks.append((out.returncode == 0 and "Put TOKEN on the join page" in out.stdout,
               "--help is in English by default", out.stdout + out.stderr))

print("1..%d" % len(checks))
failed = 0
for i, (ok, name, detail) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        failed += 1
        for line in detail.splitlines()[:20]:
            print("# " + line)
sys.exit(1 if failed else 0)
