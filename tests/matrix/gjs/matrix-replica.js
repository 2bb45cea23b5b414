// matrix-replica.js: the matrix's replica in GJS (see ../README.md)
//
//   gjs -m matrix-replica.js URL
//
// Uses the GJS module (bindings/gjs/gro.js, from $GRO_GJS_MODULE_DIR or the
// source tree): promises for connecting, acquiring and calling.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import System from 'system';

const TIMEOUT_MS = 10000;
const MATRIX_ERROR_DOMAIN = 'matrix-error-quark';

const moduleDir = GLib.getenv('GRO_GJS_MODULE_DIR') ??
    GLib.build_filenamev([GLib.path_get_dirname(GLib.filename_from_uri(import.meta.url)[0]),
        '..', '..', '..', 'bindings', 'gjs']);
const {default: Gro} = await import(`file://${moduleDir}/gro.js`);

// A promise that rejects after TIMEOUT_MS unless @promise settles first.
function bounded(promise, what) {
    let id = 0;
    const timeout = new Promise((resolve, reject) => {
        id = GLib.timeout_add(GLib.PRIORITY_DEFAULT, TIMEOUT_MS, () => {
            id = 0;
            reject(new Error(`no ${what} within ${TIMEOUT_MS} ms`));
            return GLib.SOURCE_REMOVE;
        });
    });
    return Promise.race([promise, timeout]).finally(() => {
        if (id !== 0)
            GLib.source_remove(id);
    });
}

// Resolves with the arguments of the next emission of @signal.
function nextSignal(object, signal) {
    let handler = 0;
    const promise = new Promise(resolve => {
        handler = object.connect(signal, (self, ...args) => resolve(args));
    });
    return bounded(promise, signal).finally(() => object.disconnect(handler));
}

function show(value) {
    return JSON.stringify(value) ?? String(value);
}

function errorText(error) {
    if (error instanceof GLib.Error)
        return `${GLib.quark_to_string(error.domain)} ${error.code}: ${error.message}`;
    return String(error?.message ?? error);
}

// Each check returns null when it passes, or what went wrong.
const checks = [
    ['initial values', replica => {
        if (replica.count !== 7)
            return `count is ${show(replica.count)}`;
        if (replica.label !== 'seven')
            return `label is ${show(replica.label)}`;
        const tags = replica.tags;
        if (!Array.isArray(tags) || tags.length !== 2 || tags[0] !== 'a' || tags[1] !== 'b')
            return `tags are ${show(tags)}`;
        return null;
    }],
    ['change pushed from the source', async replica => {
        const notified = nextSignal(replica, 'notify::count');
        await bounded(replica.call('bump'), 'answer to bump');
        await notified;
        return replica.count === 8 ? null : `count is ${show(replica.count)}`;
    }],
    ['write comes back', async replica => {
        // A plain property assignment is a write to the source; the value
        // changes when the source's change comes back.
        const notified = nextSignal(replica, 'notify::label');
        replica.label = 'written';
        await notified;
        return replica.label === 'written' ? null : `label is ${show(replica.label)}`;
    }],
    ['signal with two arguments', async replica => {
        const pinged = nextSignal(replica, 'pinged');
        await bounded(replica.call('ping', 5, 'five'), 'answer to ping');
        const [n, text] = await pinged;
        return n === 5 && text === 'five' ? null : `pinged (${show(n)}, ${show(text)})`;
    }],
    ['method with a return value', async replica => {
        const sum = await bounded(replica.call('add', 2, 3), 'answer to add');
        return sum === 5 ? null : `add gave ${show(sum)}`;
    }],
    ['method that fails', async replica => {
        try {
            await bounded(replica.call('fail'), 'answer to fail');
        } catch (error) {
            if (error instanceof GLib.Error &&
                GLib.quark_to_string(error.domain) === MATRIX_ERROR_DOMAIN &&
                error.code === 3 && error.message === 'failed on purpose')
                return null;
            return errorText(error);
        }
        return 'fail succeeded';
    }],
];

const url = ARGV[ARGV.length - 1];
if (ARGV.length < 1) {
    printerr('usage: matrix-replica.js URL');
    System.exit(2);
}

print(`1..${checks.length}`);
let replica;
try {
    const node = Gro.Node.new();
    await bounded(node.connectToNode(url), 'connection');
    replica = await bounded(node.acquireDynamic('matrix', {timeoutMs: TIMEOUT_MS}),
        'valid replica');
} catch (error) {
    print(`Bail out! ${errorText(error)}`);
    System.exit(1);
}

let failed = 0;
for (const [i, [what, run]] of checks.entries()) {
    let failure;
    try {
        // eslint-disable-next-line no-await-in-loop
        failure = await run(replica);
    } catch (error) {
        failure = errorText(error);
    }
    if (failure === null) {
        print(`ok ${i + 1} - ${what}`);
    } else {
        print(`not ok ${i + 1} - ${what}\n# ${failure}`);
        failed++;
    }
}
System.exit(failed === 0 ? 0 : 1);
