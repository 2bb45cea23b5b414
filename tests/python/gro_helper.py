# gro_helper.py: a gro-test-source in another process, for the Python tests
#
# The path is in $GRO_TEST_SOURCE; the helper shares a GroTestObject as
# "test", prints its addresses and READY, and takes commands on stdin.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import select
import subprocess
import time

import pytest

import gi
gi.require_version('Gro', '1.0')
from gi.repository import GLib  # noqa: E402

TIMEOUT = 10.0          # seconds, for any single wait


class Helper:
    """A running gro-test-source, talked to over its stdin and stdout."""

    def __init__(self, *args, argv=None):
        """Starts $GRO_TEST_SOURCE with args, or argv: any program that
        speaks the same protocol."""
        if argv is None:
            path = os.environ.get('GRO_TEST_SOURCE')
            if not path:
                pytest.fail('GRO_TEST_SOURCE is not set; run through "meson test"')
            argv = [path, *args]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, bufsize=0)
        self._buffer = b''
        self.urls = []
        try:
            while True:
                line = self.readline()
                if line == 'READY':
                    break
                self.urls.append(line)
        except BaseException:
            self.close()
            raise
        assert self.urls, 'the helper printed no address'

    @property
    def url(self):
        return self.urls[0]

    def readline(self, timeout=TIMEOUT):
        """One line of the helper's output, without its newline."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b'\n' not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail('timed out reading from the helper (got %r)' % self._buffer)
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:
                    pytest.fail('the helper exited (exit status %r, got %r)'
                                % (self.proc.poll(), self._buffer))
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b'\n', 1)
        return line.decode()

    def command(self, line):
        self.proc.stdin.write(line.encode() + b'\n')
        answer = self.readline()
        assert answer == 'OK', '%r answered %r' % (line, answer)

    def kill(self):
        self.proc.kill()
        self.proc.wait(timeout=TIMEOUT)

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # it exits when stdin closes
                self.proc.wait(timeout=5)
            except (subprocess.TimeoutExpired, OSError):
                self.proc.kill()
                self.proc.wait(timeout=TIMEOUT)
        else:
            self.proc.stdin.close()
        self.proc.stdout.close()


# --------------------------------------------------------------------------
# Main-context helpers: replicas notify and emit from the default context

def wait_until(condition, what, timeout=TIMEOUT):
    """Iterate the default main context until condition() holds."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    # A ticking source, so that a blocking iteration never blocks for long.
    tick = GLib.timeout_add(10, lambda: GLib.SOURCE_CONTINUE)
    try:
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail('timed out waiting for %s' % what)
            context.iteration(True)
    finally:
        GLib.source_remove(tick)


def drain():
    """Dispatch what is ready now in the default main context."""
    context = GLib.MainContext.default()
    for _ in range(1000):
        if not context.iteration(False):
            break
