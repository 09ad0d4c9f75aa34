#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a test program against a private Xvfb server.

-displayfd lets Xvfb pick a free display itself, so parallel tests never race
for a display number the way `xvfb-run -a` can. Prints a TAP skip when Xvfb is
not installed, and always stops the server it started.
"""
import os
import select
import shutil
import subprocess
import sys


def main():
    if shutil.which("Xvfb") is None:
        print("1..0 # SKIP Xvfb is not installed (build-aux/bootstrap installs it)")
        return 0

    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x1024x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=[write_fd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        display = b""
        # Bounded wait: Xvfb writes the display number and a newline.
        while not display.endswith(b"\n"):
            ready, _, _ = select.select([read_fd], [], [], 20)
            if not ready:
                print("Bail out! Xvfb did not start within 20 s")
                return 1
            chunk = os.read(read_fd, 16)
            if not chunk:
                print("Bail out! Xvfb exited before reporting a display")
                return 1
            display += chunk
        env = dict(os.environ)
        env["DISPLAY"] = ":" + display.decode().strip()
        env["GDK_BACKEND"] = "x11"
        # Software rendering: no GPU under Xvfb, and the same pixels every run.
        env["GSK_RENDERER"] = "cairo"
        # Mesa's EGL setup leaks one-time allocations that LeakSanitizer
        # reports; no test needs GL.
        env["GDK_DEBUG"] = "gl-disable"
        env.pop("WAYLAND_DISPLAY", None)
        return subprocess.call(sys.argv[1:], env=env)
    finally:
        os.close(read_fd)
        xvfb.terminate()
        try:
            xvfb.wait(timeout=10)
        except subprocess.TimeoutExpired:
            xvfb.kill()
            xvfb.wait()


if __name__ == "__main__":
    sys.exit(main())
