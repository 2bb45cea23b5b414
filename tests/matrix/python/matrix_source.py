#!/usr/bin/python3
# matrix_source.py: the matrix's source in Python (see ../README.md)
#
# A GObject.Object subclass: GObject.Property's are its properties, and its
# __gsignals__ its signals; those with GObject.SignalFlags.ACTION are the
# methods replicas call, answered by their do_NAME class handlers.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys

import gi
gi.require_version('Gro', '1.0')
from gi.repository import GLib, GObject, Gro  # noqa: E402

ACTION = GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION
MATRIX_ERROR = GLib.quark_from_string('matrix-error-quark')


class MatrixThing(GObject.Object):
    __gtype_name__ = 'MatrixThing'

    count = GObject.Property(type=int, default=7)
    label = GObject.Property(type=str, default='seven')
    tags = GObject.Property(type=GObject.TYPE_STRV)

    __gsignals__ = {
        'pinged': (GObject.SignalFlags.RUN_LAST, None, (int, str)),
        'add': (ACTION, int, (int, int)),
        'bump': (ACTION, None, ()),
        'ping': (ACTION, None, (int, str)),
        'fail': (ACTION, None, ()),
    }

    def __init__(self):
        super().__init__()
        self.tags = ['a', 'b']

    def do_add(self, a, b):
        return a + b

    def do_bump(self):
        self.count += 1  # a GObject.Property notifies when set

    def do_ping(self, n, text):
        self.emit('pinged', n, text)

    def do_fail(self):
        # The call being served; None only when emitted in this process.
        invocation = Gro.Invocation.get_current()
        if invocation is not None:
            invocation.return_error_literal(MATRIX_ERROR, 3, 'failed on purpose')


def main():
    loop = GLib.MainLoop()
    thing = MatrixThing()
    try:
        host = Gro.Host.new('tcp://127.0.0.1:0')
        host.enable_remoting(thing, 'matrix')
    except GLib.Error as error:
        print('matrix_source: %s' % error.message, file=sys.stderr)
        return 1

    print(host.dup_urls()[0])
    print('READY', flush=True)

    # Stdin's end is the signal to stop.
    def on_stdin(fd, condition):
        if condition & GLib.IOCondition.IN:
            try:
                if os.read(fd, 256):
                    return GLib.SOURCE_CONTINUE
            except OSError:
                pass
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.io_add_watch(0, GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN | GLib.IOCondition.HUP | GLib.IOCondition.ERR,
                      on_stdin)
    loop.run()

    host.disable_remoting('matrix')
    return 0


if __name__ == '__main__':
    sys.exit(main())
