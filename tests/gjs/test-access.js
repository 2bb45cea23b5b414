// test-access.js: a host's access control, decided in JavaScript
//
// A host and a node in this process: the host's authorize handler sees each
// peer's credentials, makes one source read-only and hides another. Prints
// TAP; every wait is bounded.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gro from 'gi://Gro?version=1.0';
import System from 'system';

const ACTION = GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION;

const Counter = GObject.registerClass({
    GTypeName: 'TestAccessCounterGjs',
    Properties: {
        'count': GObject.ParamSpec.int('count', null, null, GObject.ParamFlags.READWRITE,
            0, 100, 3),
    },
    Signals: {
        'add': {
            flags: ACTION,
            param_types: [GObject.TYPE_INT, GObject.TYPE_INT],
            return_type: GObject.TYPE_INT,
        },
    },
}, class Counter extends GObject.Object {
    on_add(a, b) {
        return a + b;
    }
});

function spinUntil(condition, what) {
    const context = GLib.MainContext.default();
    const deadline = GLib.get_monotonic_time() + 10 * 1000000;
    while (!condition()) {
        if (GLib.get_monotonic_time() > deadline)
            throw new Error(`timed out waiting for ${what}`);
        if (!context.iteration(false))
            GLib.usleep(1000);
    }
}

let n = 0;
let failed = 0;
function check(what, fn) {
    n++;
    try {
        fn();
        print(`ok ${n} - ${what}`);
    } catch (e) {
        failed++;
        print(`not ok ${n} - ${what}`);
        print(`# ${e}`);
    }
}

print('1..4');

const dir = GLib.dir_make_tmp('gro-gjs-access-XXXXXX');
const url = `unix:${dir}/access.sock`;
const host = Gro.Host.new(url);
const counter = new Counter();
const hidden = new Counter();
host.enable_remoting(counter, 'counter');
host.enable_remoting(hidden, 'hidden');
const asked = [];
host.connect('authorize', (h, peer, source) => {
    asked.push(source);
    const credentials = peer.get_credentials();
    if (credentials === null)
        return Gro.Access.DENIED;
    if (source === null)
        return Gro.Access.FULL;
    return source === 'hidden' ? Gro.Access.DENIED : Gro.Access.READ_ONLY;
});

const node = Gro.Node.new();
let replica = null;

check('a read-only replica sees the source', () => {
    node.connect_to_node(url);
    replica = node.acquire_dynamic('counter');
    spinUntil(() => replica.is_valid(), 'the replica');
    if (replica.count !== 3)
        throw new Error(`count is ${replica.count}`);
});

check('its calls are refused with PERMISSION_DENIED', () => {
    let error = null;
    let done = false;
    replica.call_async('add', new GLib.Variant('(ii)', [1, 2]), -1, null, (r, result) => {
        try {
            r.call_finish(result);
        } catch (e) {
            error = e;
        }
        done = true;
    });
    spinUntil(() => done, 'the answer');
    if (error === null || !error.matches(Gro.Error, Gro.Error.PERMISSION_DENIED))
        throw new Error(`got ${error}`);
});

check('a denied source is not shared', () => {
    const secret = node.acquire_dynamic('hidden');
    spinUntil(() => asked.includes('hidden'), 'the question');
    const until = GLib.get_monotonic_time() + 200000;
    spinUntil(() => GLib.get_monotonic_time() > until, 'a while');
    if (secret.is_valid())
        throw new Error('the hidden source became valid');
    if (asked[0] !== null || asked[1] !== 'counter')
        throw new Error(`asked ${asked}`);
});

check('close() ends a host and a node now, not when they are collected', () => {
    let closed = 0;
    node.connect('connection-closed', () => closed++);
    host.close();
    spinUntil(() => closed === 1 && !replica.is_valid(), 'the connection to end');
    if (GLib.file_test(`${dir}/access.sock`, GLib.FileTest.EXISTS))
        throw new Error('the socket file is still there');
    try {
        host.enable_remoting(new Counter(), 'again');
        throw new Error('a closed host shared a source');
    } catch (e) {
        if (!e.matches || !e.matches(Gro.Error, Gro.Error.CLOSED))
            throw e;
    }
    node.close();
    try {
        node.connect_to_node(url);
        throw new Error('a closed node connected');
    } catch (e) {
        if (!e.matches || !e.matches(Gro.Error, Gro.Error.CLOSED))
            throw e;
    }
});

GLib.unlink(`${dir}/access.sock`);
GLib.rmdir(dir);
System.exit(failed ? 1 : 0);
