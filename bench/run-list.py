#!/usr/bin/python3
# run-list.py: the list model benchmark, gro against Qt Remote Objects'
# model replica (see PROTOCOL.md, "List model"). Systems take turns, round by
# round, each with a fresh server of 100,000 items; writes a Markdown section
# of medians with min..max and the ratio gro/QtRO to LIST.md, which run.py
# puts into RESULTS.md.
#
#   /usr/bin/python3 bench/run-list.py [--rounds 5] [--splices 10000] [--pin same]
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import datetime
import json
import os
import platform
import select
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TIMEOUT = 120
PREFIX = []     # CPU placement, as run.py's --pin


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
    out = subprocess.run(PREFIX + [path, address, workload, str(n)], capture_output=True, timeout=TIMEOUT)
    if out.returncode != 0:
        raise Failure('%s %s: %s' % (path, workload, out.stderr.decode()[-500:]))
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def one_round(server_path, client_path, tmp, n_splices):
    address = 'unix:' + os.path.join(tmp, 'list.sock')
    server = subprocess.Popen(PREFIX + [server_path, address], stdin=subprocess.PIPE,
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

        waiter = subprocess.Popen(PREFIX + [client_path, address, 'splices', str(n_splices)],
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
    parser.add_argument('--pin', choices=('same', 'none'), default='same')
    parser.add_argument('--out', default=os.path.join(HERE, 'LIST.md'))
    args = parser.parse_args()
    if args.pin == 'same' and shutil.which('taskset'):
        PREFIX.extend(['taskset', '-c', '0'])

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

    rows = [('acquire 100,000 items, read n_items (µs)', 'acquire_us'),
            ('read a window of 100 items (µs)', 'window_us'),
            ('%d random splices mirrored (splices/s)' % args.splices, 'splices_per_s')]
    names = list(systems)
    titles = {'gro': 'gro', 'qtro': 'QtRO'}
    table = ['| workload | ' + ' | '.join(titles[n] for n in names) +
             (' | gro/QtRO |' if 'qtro' in names else ' |'),
             '| --- | ' + ' | '.join('---' for _ in names) + (' | --- |' if 'qtro' in names else ' |')]
    for label, key in rows:
        cells = []
        medians = {}
        for name in names:
            values = [res[key] for res in results[name]]
            medians[name] = statistics.median(values)
            cells.append('%.0f (%.0f..%.0f)' % (medians[name], min(values), max(values)))
        line = '| %s | %s |' % (label, ' | '.join(cells))
        if 'qtro' in names:
            line += ' %.2f |' % (medians['gro'] / medians['qtro'])
        table.append(line)

    command = ' '.join(['/usr/bin/python3', 'bench/run-list.py'] + sys.argv[1:])
    text = ['## List model', '',
            '- date: %s' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
            '- machine: %d CPUs, %s' % (os.cpu_count(), platform.platform()),
            '- command: `%s`' % command,
            '- rounds: %d, systems taking turns, each round with a fresh server of 100,000 items;'
            ' medians with (min..max)' % args.rounds,
            '- CPU placement: %s' % ('every process pinned to CPU 0' if PREFIX else 'not pinned'),
            '', *table, '']
    notes = os.path.join(HERE, 'LIST-NOTES.md')
    if os.path.exists(notes):
        with open(notes) as f:
            text += [f.read()]
    with open(args.out, 'w') as f:
        f.write('\n'.join(text))
    print('\n'.join(table))

if __name__ == '__main__':
    main()
