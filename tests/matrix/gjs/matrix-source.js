// matrix-source.js: the matrix's source in GJS (see ../README.md)
//
//   gjs -m matrix-source.js
//
// A class made with GObject.registerClass: its properties and its plain
// signal are mirrored, and its action signals (flags ACTION) are methods that
// replicas call. A method's class handler is the method named on_NAME; its
// return value is the reply.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gro from 'gi://Gro?version=1.0';
import System from 'system';

const MATRIX_ERROR = GLib.quark_from_string('matrix-error-quark');
const RW = GObject.ParamFlags.READWRITE | GObject.ParamFlags.EXPLICIT_NOTIFY;
const ACTION = GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION;

const MatrixThing = GObject.registerClass({
    GTypeName: 'MatrixThingGjs',
    Properties: {
        'count': GObject.ParamSpec.int('count', null, null, RW,
            -2147483648, 2147483647, 7),
        'label': GObject.ParamSpec.string('label', null, null, RW, 'seven'),
        'tags': GObject.ParamSpec.boxed('tags', null, null, RW, GObject.type_from_name('GStrv')),
    },
    Signals: {
        'pinged': {param_types: [GObject.TYPE_INT, GObject.TYPE_STRING]},
        'add': {
            flags: ACTION,
            param_types: [GObject.TYPE_INT, GObject.TYPE_INT],
            return_type: GObject.TYPE_INT,
        },
        'bump': {flags: ACTION},
        'ping': {flags: ACTION, param_types: [GObject.TYPE_INT, GObject.TYPE_STRING]},
        'fail': {flags: ACTION},
    },
}, class MatrixThing extends GObject.Object {
    constructor() {
        super();
        this._count = 7;
        this._label = 'seven';
        this._tags = ['a', 'b'];
    }

    get count() {
        return this._count;
    }

    set count(value) {
        if (this._count === value)
            return;
        this._count = value;
        this.notify('count');
    }

    get label() {
        return this._label;
    }

    set label(value) {
        if (this._label === value)
            return;
        this._label = value;
        this.notify('label');
    }

    get tags() {
        return this._tags;
    }

    set tags(value) {
        this._tags = value;
        this.notify('tags');
    }

    on_add(a, b) {
        return a + b;
    }

    on_bump() {
        this.count += 1;
    }

    on_ping(n, text) {
        this.emit('pinged', n, text);
    }

    on_fail() {
        // Gro.Invocation.return_error() is variadic, so not introspectable;
        // return_error_literal() (or return_gerror() with a GLib.Error) is
        // its form for bindings.
        Gro.Invocation.get_current().return_error_literal(MATRIX_ERROR, 3,
            'failed on purpose');
    }
});

const loop = new GLib.MainLoop(null, false);
const thing = new MatrixThing();
let host;
try {
    host = Gro.Host.new('tcp://127.0.0.1:0');
    host.enable_remoting(thing, 'matrix');
} catch (e) {
    printerr(`matrix-source: ${e.message}`);
    System.exit(1);
}

print(host.dup_urls()[0]);
print('READY');

// Stdin's end is the signal to stop.
const input = new Gio.UnixInputStream({fd: 0, close_fd: false});
function readStdin() {
    input.read_bytes_async(256, GLib.PRIORITY_DEFAULT, null, (stream, result) => {
        let bytes = null;
        try {
            bytes = stream.read_bytes_finish(result);
        } catch (e) {
            // An error reading stdin ends the program as its end does.
        }
        if (bytes === null || bytes.get_size() === 0)
            loop.quit();
        else
            readStdin();
    });
}
readStdin();
loop.run();
