#!/usr/bin/python3
# test-link-cut.py: a host and a replica in two network namespaces joined by
# a veth pair; the link is cut and restored.
#
# The replica (gro-test-watch, heartbeat 200 ms) must go SUSPECT while the
# link is down and VALID again once it is up, on the same TCP connection.
# Needs root (network namespaces); skipped with a message otherwise.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import select
import subprocess
import sys
import time

TIMEOUT = 10.0
HEARTBEAT_MS = 200
TAG = 'gro%d' % os.getpid()
NS_HOST, NS_NODE = TAG + 'h', TAG + 'n'
VETH_HOST, VETH_NODE = TAG + 'a', TAG + 'b'


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def skip(why):
    print('1..0 # SKIP %s' % why)
    sys.exit(0)


class Lines:
    """Reads a child's stdout line by line, with a deadline."""

    def __init__(self, proc):
        self.proc = proc
        self.buffer = b''

    def next(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b'\n' not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if select.select([fd], [], [], left)[0]:
                chunk = os.read(fd, 4096)
                if not chunk:
                    return None
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b'\n', 1)
        return line.decode().strip()

    def wait_for(self, wanted, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            line = self.next(max(0.0, deadline - time.monotonic()))
            if line is None or line == wanted:
                return line == wanted


def setup():
    sh('ip', 'netns', 'add', NS_HOST)
    sh('ip', 'netns', 'add', NS_NODE)
    sh('ip', 'link', 'add', VETH_HOST, 'netns', NS_HOST, 'type', 'veth',
       'peer', 'name', VETH_NODE, 'netns', NS_NODE)
    for ns, dev, addr in ((NS_HOST, VETH_HOST, '10.231.0.1/24'),
                          (NS_NODE, VETH_NODE, '10.231.0.2/24')):
        sh('ip', '-n', ns, 'addr', 'add', addr, 'dev', dev)
        sh('ip', '-n', ns, 'link', 'set', dev, 'up')
        sh('ip', '-n', ns, 'link', 'set', 'lo', 'up')


def teardown():
    for ns in (NS_HOST, NS_NODE):
        subprocess.run(['ip', 'netns', 'del', ns], stderr=subprocess.DEVNULL)


def main():
    source_path = os.environ.get('GRO_TEST_SOURCE')
    watch_path = os.environ.get('GRO_TEST_WATCH')
    if not source_path or not watch_path:
        print('Bail out! run through meson test (GRO_TEST_SOURCE, GRO_TEST_WATCH)')
        return 1
    if os.geteuid() != 0:
        skip('network namespaces need root')
    try:
        setup()
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        teardown()
        skip('cannot create network namespaces: %s' % getattr(e, 'stderr', e))

    print('1..3')
    children = []
    failed = 0
    try:
        source = subprocess.Popen(['ip', 'netns', 'exec', NS_HOST, source_path,
                                   '--listen', 'tcp://10.231.0.1:0'],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        children.append(source)
        source_lines = Lines(source)
        url = source_lines.next()
        if url is None or source_lines.next() != 'READY':
            print('Bail out! the host did not start')
            return 1

        watch = subprocess.Popen(['ip', 'netns', 'exec', NS_NODE, watch_path, url, 'test',
                                  str(HEARTBEAT_MS)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        children.append(watch)
        lines = Lines(watch)

        checks = [
            ('valid across namespaces', None, 'valid'),
            ('suspect while the link is down', 'down', 'suspect'),
            ('valid again once it is up', 'up', 'valid'),
        ]
        for number, (what, link_state, expected) in enumerate(checks, 1):
            if link_state is not None:
                sh('ip', '-n', NS_HOST, 'link', 'set', VETH_HOST, link_state)
            start = time.monotonic()
            ok = lines.wait_for(expected)
            print('%s %d - %s' % ('ok' if ok else 'not ok', number, what))
            print('# after %.0f ms' % ((time.monotonic() - start) * 1000))
            sys.stdout.flush()
            failed += not ok
    finally:
        for child in children:
            try:
                child.stdin.close()
                child.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                child.kill()
                child.wait()
        teardown()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
