#!/usr/bin/python3
# run.py: runs every benchmark of every system, interleaved, and prints one
# table of medians with min..max and the ratios gro/QtRO, gro/GDBus,
# gro/floor; writes it to RESULTS.md with the machine, date and command.
# See README.md and PROTOCOL.md.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import datetime
import json
import os
import platform
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 120

# Each workload: which systems run it, its metric, whether higher is better,
# and the argument N.
WORKLOADS = [
    # client workload, [(row, metric)], N, transports, systems
    ('rtt', [('rtt p50 (µs)', 'p50_us'), ('rtt p99 (µs)', 'p99_us')], 20000, ('unix', 'tcp'), 'all'),
    ('pipelined', [('pipelined (calls/s)', 'calls_per_s')], 10000, ('unix', 'tcp'), 'objects'),
    ('push', [('property push (changes/s)', 'changes_per_s')], 100000, ('unix',), 'objects'),
    ('signals', [('signal push (signals/s)', 'signals_per_s')], 100000, ('unix',), 'objects'),
    ('fanout', [('fan-out 10 (deliveries/s)', 'deliveries_per_s')], 20000, ('unix',), 'objects'),
    ('startup', [('start-up, 50 properties (µs)', 'startup_us')], 20, ('unix',), 'objects'),
    ('blob', [('1 MiB blob x200 (MB/s)', 'mb_per_s')], 200, ('unix',), 'objects'),
    ('wire', [('bytes per int change', 'bytes_per_change')], 1000, ('unix',), 'objects'),
    ('memory', [('host KiB per connection', 'host_kb_per_connection')], 100, ('unix',), 'objects'),
    ('replicas', [('node KiB per replica', 'rss_per_replica_kb')], 1000, ('unix',), 'objects'),
]
OBJECT_SYSTEMS = ('gro', 'qtro', 'gdbus')
FLOORS = ('raw', 'glib')


class Failure(Exception):
    pass


def programs(system, build, qtro_build):
    folder = os.path.join(qtro_build, '') if system == 'qtro' else os.path.join(build, 'bench', system)
    server = os.path.join(folder, system + '-server')
    client = os.path.join(folder, system + '-client')
    if not (os.access(server, os.X_OK) and os.access(client, os.X_OK)):
        return None
    return server, client


# CPU placement, set from --pin: on a VM the round trip depends more on
# whether the two processes share a CPU than on the system under test.
SERVER_PREFIX = []
CLIENT_PREFIX = []


class Server:
    def __init__(self, path, address):
        self.proc = subprocess.Popen(SERVER_PREFIX + [path, address], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = read_line(self.proc, 20)
        if line != 'READY':
            self.stop()
            raise Failure('%s did not start (%r): %s' % (path, line, self.stderr()))

    def stderr(self):
        try:
            return self.proc.stderr.read().decode(errors='replace')[-500:] if self.proc.poll() is not None else ''
        except OSError:
            return ''

    def rss_kb(self):
        with open('/proc/%d/status' % self.proc.pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
        return 0

    def stop(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def read_line(proc, timeout):
    """One line of a child's stdout, or None at its end or after timeout."""
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    data = b''
    while not data.endswith(b'\n'):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1)
        if not chunk:
            return None
        data += chunk
    return data.decode().strip()


def run_client(client, address, workload, n):
    out = subprocess.run(CLIENT_PREFIX + [client, address, workload, str(n)], capture_output=True,
                         timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        raise Failure('%s %s: %s' % (os.path.basename(client), workload,
                                     out.stderr.decode(errors='replace').strip()[-300:]))
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


class CountingProxy:
    """A Unix-socket proxy that counts the bytes the server sends."""

    def __init__(self, target, path):
        self.target, self.path, self.down = target, path, 0
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(1)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        client, _ = self.listener.accept()
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.connect(self.target)
        for s in (client, server):
            s.setblocking(True)
        threading.Thread(target=self.pump, args=(client, server, False), daemon=True).start()
        self.pump(server, client, True)

    def pump(self, src, dst, count):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if count:
                    self.down += len(data)
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def measure(system, server_path, client, workload, n, transport, tmp):
    if transport == 'unix':
        sock = os.path.join(tmp, '%s-%s.sock' % (system, workload))
        if os.path.exists(sock):
            os.unlink(sock)
        address = 'unix:' + sock
    else:
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            port = s.getsockname()[1]
        address = 'tcp:127.0.0.1:%d' % port

    server = Server(server_path, address)
    try:
        if workload == 'fanout':
            waiters = [subprocess.Popen(CLIENT_PREFIX + [client, address, 'fanout-wait', str(n)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        stdin=subprocess.DEVNULL) for _ in range(10)]
            try:
                for w in waiters:
                    if read_line(w, 30) is None:
                        raise Failure('a fan-out client did not start: %s' % w.stderr.read())
                trigger = run_client(client, address, 'push', n)
                done = []
                for w in waiters:
                    line = read_line(w, TIMEOUT)
                    if line is None:
                        raise Failure('a fan-out client did not finish')
                    done.append(json.loads(line)['done_at_us'])
            finally:
                for w in waiters:
                    w.kill()
                    w.wait()
            return {'deliveries_per_s': 10 * n / ((max(done) - trigger['start_us']) / 1e6)}
        if workload == 'startup':
            times = [run_client(client, address, 'startup', 0)['startup_us'] for _ in range(n)]
            return {'startup_us': statistics.median(times)}
        if workload == 'wire':
            proxy_path = address[5:] + '.proxy'
            counts = []
            for k in (n, 2 * n):
                proxy = CountingProxy(address[5:], proxy_path)
                run_client(client, 'unix:' + proxy_path, 'push', k)
                time.sleep(0.2)
                counts.append(proxy.down)
                proxy.listener.close()
                os.unlink(proxy_path)
            return {'bytes_per_change': (counts[1] - counts[0]) / n}
        if workload == 'memory':
            before = server.rss_kb()
            clients = [subprocess.Popen(CLIENT_PREFIX + [client, address, 'idle', str(n)],
                                        stdout=subprocess.PIPE,
                                        stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
                       for _ in range(10)]
            try:
                for c in clients:
                    if read_line(c, TIMEOUT) is None:
                        raise Failure('an idle client did not start')
                time.sleep(0.3)
                after = server.rss_kb()
            finally:
                for c in clients:
                    c.stdin.close()
                    c.wait()
            return {'host_kb_per_connection': (after - before) / (10 * n)}
        return run_client(client, address, workload, n)
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--build', default=os.path.join(HERE, '..', '_build'))
    parser.add_argument('--qtro-build', default=os.path.join(HERE, '..', '_build-bench-qtro'))
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--quick', action='store_true', help='one tenth of each N')
    parser.add_argument('--only', help='comma-separated workload names (client workloads)')
    parser.add_argument('--out', default=os.path.join(HERE, 'RESULTS.md'))
    parser.add_argument('--command', default=' '.join(sys.argv))
    parser.add_argument('--pin', choices=('same', 'split', 'none'), default='same',
                        help='same: every process on CPU 0; split: servers on CPU 0, '
                             'clients on CPU 1; none: where the scheduler likes')
    args = parser.parse_args()
    if args.pin != 'none' and shutil.which('taskset'):
        SERVER_PREFIX.extend(['taskset', '-c', '0'])
        CLIENT_PREFIX.extend(['taskset', '-c', '0' if args.pin == 'same' else '1'])

    systems = {}
    for system in OBJECT_SYSTEMS + FLOORS:
        found = programs(system, args.build, args.qtro_build)
        if found:
            systems[system] = found
        else:
            print('note: no %s programs; its column stays empty' % system, file=sys.stderr)

    results = {}  # (workload name, transport, system) -> [values]
    errors = []
    tmp = tempfile.mkdtemp(prefix='gro-bench-')
    try:
        for rnd in range(args.rounds):
            for workload, rows, n, transports, which in WORKLOADS:
                if args.only and workload not in args.only.split(','):
                    continue
                if args.quick and workload not in ('startup', 'wire'):
                    n = max(1, n // 10)
                names = [s for s in systems if which == 'all' or s in OBJECT_SYSTEMS]
                # Take turns: each round starts with another system.
                names = names[rnd % max(1, len(names)):] + names[:rnd % max(1, len(names))]
                for transport in transports:
                    for system in names:
                        server, client = systems[system]
                        try:
                            value = measure(system, server, client, workload, n, transport, tmp)
                            for name, metric in rows:
                                results.setdefault((name, transport, system), []).append(value[metric])
                            print('round %d  %-10s %-5s %-6s %s' % (rnd + 1, workload, transport,
                                                                   system, value), file=sys.stderr)
                        except (Failure, subprocess.TimeoutExpired, KeyError, ValueError) as e:
                            errors.append('%s %s %s: %s' % (system, workload, transport, e))
                            print('round %d  %s %s %s FAILED: %s' % (rnd + 1, workload, transport,
                                                                     system, e), file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    table = format_table(results, systems)
    print(table)
    write_results(args, table, errors)
    sys.exit(1 if errors else 0)


def cell(values):
    if not values:
        return '–'
    med = statistics.median(values)
    fmt = (lambda v: '%.0f' % v) if med >= 100 else (lambda v: '%.1f' % v)
    return '%s (%s..%s)' % (fmt(med), fmt(min(values)), fmt(max(values)))


def ratio(results, key_gro, key_other):
    a, b = results.get(key_gro), results.get(key_other)
    if not a or not b or statistics.median(b) == 0:
        return '–'
    return '%.2f' % (statistics.median(a) / statistics.median(b))


def format_table(results, systems):
    lines = ['| workload | transport | gro | QtRO | GDBus | raw | GLib loop | gro/QtRO | gro/GDBus | gro/GLib loop |',
             '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |']
    for workload, rows, n, transports, which in WORKLOADS:
      for name, metric in rows:
        for transport in transports:
            if not any((name, transport, s) in results for s in systems):
                continue
            key = lambda s: (name, transport, s)
            lines.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
                name, transport, cell(results.get(key('gro'))), cell(results.get(key('qtro'))),
                cell(results.get(key('gdbus'))), cell(results.get(key('raw'))),
                cell(results.get(key('glib'))), ratio(results, key('gro'), key('qtro')),
                ratio(results, key('gro'), key('gdbus')), ratio(results, key('gro'), key('glib'))))
    return '\n'.join(lines)


def write_results(args, table, errors):
    cpu = ''
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(l.split(':', 1)[1].strip() for l in f if l.startswith('model name'))
    except (OSError, StopIteration):
        pass
    text = ['# Benchmark results', '',
            '- date: %s' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
            '- machine: %s, %d CPUs, %s' % (cpu, os.cpu_count(), platform.platform()),
            '- command: `%s`' % args.command,
            '- rounds: %d, systems taking turns; medians with (min..max) over the rounds' % args.rounds,
            '- CPU placement: %s' % {'same': 'every process pinned to CPU 0',
                                     'split': 'servers on CPU 0, clients on CPU 1',
                                     'none': 'not pinned'}[args.pin],
            '', table, '']
    if errors:
        text += ['Failures:', ''] + ['- ' + e for e in errors] + ['']
    # The list model benchmark's last run (run-list.py), kept across runs.
    list_results = os.path.join(HERE, 'LIST.md')
    if os.path.exists(list_results):
        with open(list_results) as f:
            text += [f.read()]
    notes = os.path.join(HERE, 'NOTES.md')
    if os.path.exists(notes):
        with open(notes) as f:
            text += [f.read()]
    with open(args.out, 'w') as f:
        f.write('\n'.join(text))


if __name__ == '__main__':
    main()
