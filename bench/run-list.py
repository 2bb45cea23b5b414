#!/usr/bin/python3
# run-list.py: the list model benchmark, gro against Qt Remote Objects'
# model replica (see PROTOCOL.md, "List model"). Systems take turns, round by
# round, each with a fresh server of 100,000 items; prints a Markdown table of
# medians with min..max and the ratio gro/QtRO.
#
#   bench/run-list.py [--rounds 5] [--splices 10000]
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TIMEOUT = 120


class Failure(Exception):
    pass


def read_json(proc, timeout=TIMEOUT):
    """The next line of proc's stdout, as JSON."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        raise Failure('timed out reading from %s' % proc.args[0])
    line = proc.stdout.readline().decode().strip()
    if not line:
        raise Failure('%s said nothing: %s' % (proc.args[0], proc.stderr.read().decode()[-500:]))
    return json.loads(line) if line != 'READY' else line


def client(path, address, workload, n=0):
    out = subprocess.run([path, address, workload, str(n)], capture_output=True, timeout=TIMEOUT)
    if out.returncode != 0:
        raise Failure('%s %s: %s' % (path, workload, out.stderr.decode()[-500:]))
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def one_round(server_path, client_path, tmp, n_splices):
    address = 'unix:' + os.path.join(tmp, 'list.sock')
    server = subprocess.Popen([server_path, address], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        if read_json(server, 30) != 'READY':
            raise Failure('%s did not start' % server_path)
        result = {}
        acquired = client(client_path, address, 'acquire')
        if acquired['n_items'] != 100000:
            raise Failure('%s acquired %r' % (client_path, acquired))
        result['acquire_us'] = acquired['acquire_us']
        result['window_us'] = client(client_path, address, 'window')['window_us']

        waiter = subprocess.Popen([client_path, address, 'splices', str(n_splices)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            if not read_json(waiter).get('waiting'):
                raise Failure('the splices client did not wait')
            server.stdin.write(b'splices %d 42\n' % n_splices)
            server.stdin.flush()
            start = read_json(server)['start_us']
            done = read_json(waiter)
            if done['changes'] != n_splices:
                raise Failure('saw %r' % done)
            result['splices_per_s'] = n_splices / ((done['done_at_us'] - start) / 1e6)
            result['final_n_items'] = done['n_items']
        finally:
            waiter.kill()
            waiter.wait()
        return result
    finally:
        server.stdin.close()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--splices', type=int, default=10000)
    parser.add_argument('--build', default=os.path.join(ROOT, '_build'))
    parser.add_argument('--qtro-build', default=os.path.join(ROOT, '_build-bench-qtro'))
    args = parser.parse_args()

    systems = {
        'gro': (os.path.join(args.build, 'bench', 'gro', 'gro-list-server'),
                os.path.join(args.build, 'bench', 'gro', 'gro-list-client')),
        'qtro': (os.path.join(args.qtro_build, 'qtro-list-server'),
                 os.path.join(args.qtro_build, 'qtro-list-client')),
    }
    systems = {k: v for k, v in systems.items() if all(os.access(p, os.X_OK) for p in v)}
    if 'gro' not in systems:
        sys.exit('run-list.py: build gro first (meson compile -C _build)')

    results = {name: [] for name in systems}
    with tempfile.TemporaryDirectory(prefix='gro-bench-list-') as tmp:
        for r in range(args.rounds):
            for name, (server, client_path) in systems.items():
                results[name].append(one_round(server, client_path, tmp, args.splices))
                print('round %d %s: %s' % (r + 1, name, results[name][-1]), file=sys.stderr)

    finals = {name: {res['final_n_items'] for res in rs} for name, rs in results.items()}
    if len(set().union(*finals.values())) != 1:
        sys.exit('run-list.py: the systems ended with different lists: %r' % finals)

    rows = [('acquire 100,000 items, read n_items (µs)', 'acquire_us', False),
            ('read a window of 100 items (µs)', 'window_us', False),
            ('%d random splices mirrored (splices/s)' % args.splices, 'splices_per_s', True)]
    names = list(systems)
    print('| workload | ' + ' | '.join(names) + (' | gro/QtRO |' if 'qtro' in names else ' |'))
    print('| --- | ' + ' | '.join('---' for _ in names) + (' | --- |' if 'qtro' in names else ' |'))
    for label, key, higher in rows:
        cells = []
        medians = {}
        for name in names:
            values = [res[key] for res in results[name]]
            medians[name] = statistics.median(values)
            cells.append('%.0f (%.0f..%.0f)' % (medians[name], min(values), max(values)))
        line = '| %s | %s |' % (label, ' | '.join(cells))
        if 'qtro' in names:
            line += ' %.2f |' % (medians['gro'] / medians['qtro'])
        print(line)


if __name__ == '__main__':
    main()
