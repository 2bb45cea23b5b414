#!/usr/bin/python3
# matrix_replica.py: the matrix's replica in Python (see ../README.md)
#
#   matrix_replica.py URL
#
# Calls through the override (bindings/python/gi/overrides/Gro.py):
# replica.call("add", 2, 3) takes Python values and gives one back.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys
import time

import gi
gi.require_version('Gro', '1.0')
from gi.repository import GLib, Gro  # noqa: E402

TIMEOUT = 10.0  # seconds, for every wait


def await_flag(condition):
    """Iterates the main context until condition() holds, for at most
    TIMEOUT; whether it holds."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + TIMEOUT
    while not condition() and time.monotonic() < deadline:
        if not context.iteration(False):
            time.sleep(0.001)
    return condition()


def check_initial(replica):
    count, label, tags = replica.props.count, replica.props.label, replica.props.tags
    if count != 7:
        return 'count is %r' % count
    if label != 'seven':
        return 'label is %r' % label
    if tags != ['a', 'b']:
        return 'tags are %r' % tags
    return None


def check_push(replica):
    notified = []
    handler = replica.connect('notify::count', lambda r, pspec: notified.append(True))
    try:
        replica.call('bump')
        await_flag(lambda: notified)
    finally:
        replica.disconnect(handler)
    if not notified:
        return 'no notify::count'
    count = replica.props.count
    return None if count == 8 else 'count is %r' % count


def check_write(replica):
    notified = []
    handler = replica.connect('notify::label', lambda r, pspec: notified.append(True))
    try:
        replica.props.label = 'written'
        await_flag(lambda: notified)
    finally:
        replica.disconnect(handler)
    if not notified:
        return 'no notify::label'
    label = replica.props.label
    return None if label == 'written' else 'label is %r' % label


def check_signal(replica):
    pinged = []
    handler = replica.connect('pinged', lambda r, n, text: pinged.append((n, text)))
    try:
        replica.call('ping', 5, 'five')
        await_flag(lambda: pinged)
    finally:
        replica.disconnect(handler)
    if not pinged:
        return 'no pinged'
    return None if pinged[0] == (5, 'five') else 'pinged %r' % (pinged[0],)


def check_add(replica):
    total = replica.call('add', 2, 3)
    return None if total == 5 else 'add gave %r' % (total,)


def check_fail(replica):
    try:
        replica.call('fail')
    except GLib.Error as error:
        if (error.domain, error.code, error.message) != ('matrix-error-quark', 3,
                                                         'failed on purpose'):
            return '%s %d: %s' % (error.domain, error.code, error.message)
        return None
    return 'fail succeeded'


CHECKS = (
    ('initial values', check_initial),
    ('change pushed from the source', check_push),
    ('write comes back', check_write),
    ('signal with two arguments', check_signal),
    ('method with a return value', check_add),
    ('method that fails', check_fail),
)


def main(argv):
    if len(argv) != 2:
        print('usage: matrix_replica.py URL', file=sys.stderr)
        return 2

    print('1..%d' % len(CHECKS), flush=True)
    node = Gro.Node.new()
    try:
        node.connect_to_node(argv[1])
        replica = node.acquire_dynamic('matrix')
        replica.wait_for_source(int(TIMEOUT * 1000))
    except GLib.Error as error:
        print('Bail out! %s' % error.message, flush=True)
        return 1

    failed = 0
    for number, (what, run) in enumerate(CHECKS, 1):
        try:
            failure = run(replica)
        except Exception as error:  # a check that raises fails; the others run
            failure = '%s: %s' % (type(error).__name__, error)
        if failure is None:
            print('ok %d - %s' % (number, what), flush=True)
        else:
            print('not ok %d - %s\n# %s' % (number, what, failure), flush=True)
            failed += 1

    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
