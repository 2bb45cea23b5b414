#!/usr/bin/python3
# run-cell.py: one cell of the language matrix (see README.md)
#
#   run-cell.py SOURCE-COMMAND... -- REPLICA-COMMAND...
#
# Starts the source, reads its address, runs the replica with the address as
# its last argument, and passes the replica's TAP through. Exits with the
# replica's status, or 1 if the source does not start. Every wait is bounded.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import select
import subprocess
import sys
import time

START_TIMEOUT = 20.0    # seconds for the source to print READY
REPLICA_TIMEOUT = 60.0  # seconds for the replica's six checks
STOP_TIMEOUT = 5.0      # seconds for the source to exit once its stdin closes


def read_lines_until_ready(proc):
    """The lines the source prints before READY, or None on failure."""
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + START_TIMEOUT
    buffer = b''
    lines = []
    while True:
        while b'\n' in buffer:
            line, buffer = buffer.split(b'\n', 1)
            line = line.decode(errors='replace').strip()
            if line == 'READY':
                return lines
            lines.append(line)
        left = deadline - time.monotonic()
        if left <= 0:
            print('# the source printed no READY within %d s (got %r)'
                  % (START_TIMEOUT, lines))
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                print('# the source exited (status %r) before READY (got %r)'
                      % (proc.wait(), lines))
                return None
            buffer += chunk


def stop(proc):
    try:
        proc.stdin.close()
    except OSError:
        pass
    try:
        return proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        print('# the source did not exit when its stdin closed; killing it')
        proc.kill()
        proc.wait()
        return None


def main(argv):
    if '--' not in argv:
        sys.exit('usage: run-cell.py SOURCE-COMMAND... -- REPLICA-COMMAND...')
    cut = argv.index('--')
    source_cmd, replica_cmd = argv[:cut], argv[cut + 1:]

    source = subprocess.Popen(source_cmd, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    try:
        lines = read_lines_until_ready(source)
        if not lines:
            print('Bail out! the source did not start: %s' % ' '.join(source_cmd))
            return 1
        url = lines[0]
        print('# source %s at %s' % (os.path.basename(source_cmd[-1]), url))
        sys.stdout.flush()
        try:
            status = subprocess.run(replica_cmd + [url], timeout=REPLICA_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            print('Bail out! the replica took more than %d s' % REPLICA_TIMEOUT)
            return 1
    finally:
        source_status = stop(source)

    if source_status != 0:
        print('Bail out! the source exited with status %r' % source_status)
        return 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
