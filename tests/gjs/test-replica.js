// test-replica.js: a dynamic replica, driven from GJS through the typelib
//
//   gjs -m test-replica.js
//
// Each test spawns its own gro-test-source (the path is in $GRO_TEST_SOURCE),
// connects a fresh Gro.Node to it and works on a dynamic replica of its
// GroTestObject, shared as "test". Every wait runs a GLib.MainLoop with a
// time limit. The output is TAP, for "meson test"; the exit status is not
// zero when a test fails.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import GObject from 'gi://GObject';
import Gro from 'gi://Gro?version=1.0';
import System from 'system';

const TIMEOUT_MS = 10000;       // for any single wait
const SOURCE_NAME = 'test';
const TEST_ERROR_DOMAIN = 'gro-test-error-quark';
const TEST_ERROR_CODE = 42;     // what the source's "fail" method returns
// GroTestMode and GroTestFlags are in no typelib, so GJS shows them as numbers.
const MODE_OFF = 0;
const MODE_COOL = 7;
const FLAGS_RED_BLUE = 1 | 4;

const {UNINITIALIZED, VALID, SUSPECT} = Gro.ReplicaState;

// --------------------------------------------------------------------------
// Checks

function equal(a, b) {
    if (Array.isArray(a) && Array.isArray(b))
        return a.length === b.length && a.every((x, i) => equal(x, b[i]));
    return a === b;
}

function show(value) {
    return JSON.stringify(value) ?? String(value);
}

function assert(condition, what) {
    if (!condition)
        throw new Error(`assertion failed: ${what}`);
}

function assertEqual(actual, expected, what) {
    if (!equal(actual, expected))
        throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

function describeError(error) {
    if (error instanceof GLib.Error)
        return `${GLib.quark_to_string(error.domain)} ${error.code}: ${error.message}`;
    return String(error);
}

// Runs fn, which must throw a GLib.Error, and returns that error. Anything
// else it throws, such as a timeout of our own, is passed on.
function expectError(fn, what) {
    try {
        fn();
    } catch (error) {
        if (error instanceof GLib.Error)
            return error;
        throw error;
    }
    throw new Error(`${what}: succeeded, but an error was expected`);
}

function assertGroError(error, code, what) {
    if (!(error instanceof GLib.Error) || !error.matches(Gro.Error, code))
        throw new Error(`${what}: expected Gro.Error ${code}, got ${describeError(error)}`);
}

// --------------------------------------------------------------------------
// The main loop: replicas notify, emit signals and complete async calls in
// the default main context, so every wait runs it.

// Runs the default main context until condition() holds, or throws after
// timeoutMs.
function waitUntil(condition, what, timeoutMs = TIMEOUT_MS) {
    if (condition())
        return;

    const loop = new GLib.MainLoop(null, false);
    let timedOut = false;
    // Polled on a short tick, so that any condition can be waited for.
    const tick = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 5, () => {
        if (condition())
            loop.quit();
        return GLib.SOURCE_CONTINUE;
    });
    const deadline = GLib.timeout_add(GLib.PRIORITY_DEFAULT, timeoutMs, () => {
        timedOut = true;
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });

    loop.run();
    GLib.source_remove(tick);
    if (!timedOut)
        GLib.source_remove(deadline);
    if (!condition())
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

// Dispatches what is ready now, so that handlers connected next see only
// what the test causes.
function drain() {
    const context = GLib.MainContext.default();
    for (let i = 0; i < 1000 && context.iteration(false); i++)
        ;
}

// Starts an async operation, start(callback), and runs the main loop until
// it completes; returns what finish(source, result) gives, or throws its
// error. On a timeout, the cancellable, if any, is cancelled.
function runAsync(what, start, finish, {timeoutMs = TIMEOUT_MS, cancellable = null} = {}) {
    let done = false;
    let value;
    let error = null;

    start((source, result) => {
        try {
            value = finish(source, result);
        } catch (e) {
            error = e;
        }
        done = true;
    });
    try {
        waitUntil(() => done, what, timeoutMs);
    } catch (e) {
        cancellable?.cancel();
        throw e;
    }
    if (error !== null)
        throw error;
    return value;
}

function call(replica, method, parameters = null) {
    return runAsync(`the reply to ${method}`,
        callback => replica.call_async(method, parameters, TIMEOUT_MS, null, callback),
        (source, result) => source.call_finish(result));
}

function write(replica, name, value) {
    return runAsync(`the write of ${name}`,
        callback => replica.write_property_async(name, value, null, callback),
        (source, result) => source.write_property_finish(result));
}

// --------------------------------------------------------------------------
// The helper process

// A running gro-test-source, talked to over its stdin and stdout. Its
// stderr is ours, so what it complains about lands in the test log.
class Helper {
    constructor() {
        const path = GLib.getenv('GRO_TEST_SOURCE');
        if (!path)
            throw new Error('GRO_TEST_SOURCE is not set; run through "meson test"');

        this.process = Gio.Subprocess.new([path],
            Gio.SubprocessFlags.STDIN_PIPE | Gio.SubprocessFlags.STDOUT_PIPE);
        this.stdout = new Gio.DataInputStream({base_stream: this.process.get_stdout_pipe()});
        this.closed = false;
        this.urls = [];
        try {
            for (let line = this.readLine(); line !== 'READY'; line = this.readLine())
                this.urls.push(line);
            assert(this.urls.length > 0, 'the helper printed an address');
        } catch (e) {
            // Why start-up failed matters more than how the closing went.
            try {
                this.close();
            } catch (closeError) {
                printerr(`closing the helper: ${closeError.message}`);
            }
            throw e;
        }
    }

    get url() {
        return this.urls[0];
    }

    // One line of the helper's output, without its newline.
    readLine() {
        const cancellable = new Gio.Cancellable();
        const [line] = runAsync('a line from the helper',
            callback => this.stdout.read_line_async(GLib.PRIORITY_DEFAULT, cancellable, callback),
            (source, result) => source.read_line_finish_utf8(result),
            {cancellable});
        if (line === null)
            throw new Error('the helper exited');
        return line;
    }

    command(line) {
        // Writing to a helper that has exited would kill gjs with SIGPIPE,
        // which GLib offers JS no way to ignore. (GLib reaps the child in a
        // thread of its own, so this knows without our main loop running.)
        if (this.process.get_identifier() === null)
            throw new Error(`the helper has exited, so "${line}" cannot be sent`);
        this.process.get_stdin_pipe().write_all(new TextEncoder().encode(`${line}\n`), null);
        const answer = this.readLine();
        if (answer !== 'OK')
            throw new Error(`the helper answered "${answer}" to "${line}"`);
    }

    // The helper exits when its stdin closes; it is killed if it does not
    // within a few seconds. Throws if it had to be killed or did not exit
    // cleanly, so that a crash on the host side fails the test.
    close() {
        if (this.closed)
            return;
        this.closed = true;

        const waitForExit = what => runAsync(what,
            callback => this.process.wait_async(null, callback),
            (source, result) => source.wait_finish(result),
            {timeoutMs: 5000});

        try {
            this.process.get_stdin_pipe().close(null);
        } catch (e) {
            // Already closed or broken: the helper is gone or going.
        }
        try {
            waitForExit('the helper to exit');
        } catch (e) {
            this.process.force_exit();
            waitForExit('the helper to die');
            throw new Error('the helper did not exit when its stdin closed');
        }
        try {
            this.stdout.close(null);
        } catch (e) {
            // A read left pending by a failed test: the stream goes anyway.
        }
        if (!this.process.get_if_exited() || this.process.get_exit_status() !== 0)
            throw new Error(`the helper did not exit cleanly (wait status ${this.process.get_status()})`);
    }
}

// What each test gets: a helper when it asks for one, closed afterwards
// whatever happened.
class Fixture {
    constructor() {
        this.helper = null;
    }

    startHelper() {
        this.helper = new Helper();
        return this.helper;
    }

    // A node connected to the helper with the sync form; the async one has a
    // test of its own.
    connect() {
        const node = Gro.Node.new();
        assertEqual(node.connect_to_node(this.helper.url), true, 'connect_to_node()');
        return node;
    }

    close() {
        try {
            this.helper?.close();
        } finally {
            drain();
        }
    }
}

// A replica that is valid and whose start-up notifications have all been
// delivered, so that handlers connected afterwards see only what the test
// causes.
function acquireValid(node) {
    const replica = node.acquire_dynamic(SOURCE_NAME);
    let initialized = false;
    const handler = replica.connect('initialized', () => {
        initialized = true;
    });
    assertEqual(replica.wait_for_source(TIMEOUT_MS), true, 'wait_for_source()');
    waitUntil(() => initialized, 'the initialized signal');
    replica.disconnect(handler);
    drain();
    return replica;
}

// --------------------------------------------------------------------------
// The tests

const tests = [];

function test(name, fn) {
    tests.push({name, fn});
}

test('connect_to_node_async and acquire_dynamic_async give a valid replica', t => {
    const helper = t.startHelper();
    const node = Gro.Node.new();

    const connected = runAsync('connect_to_node_async',
        callback => node.connect_to_node_async(helper.url, null, callback),
        (source, result) => source.connect_to_node_finish(result));
    assertEqual(connected, true, 'connect_to_node_finish()');

    const replica = runAsync('acquire_dynamic_async',
        callback => node.acquire_dynamic_async(SOURCE_NAME, null, callback),
        (source, result) => source.acquire_dynamic_finish(result));
    assert(replica instanceof Gro.Replica, 'the replica is a Gro.Replica');
    // Its class is built at run time from the source's schema.
    assert(replica.constructor !== Gro.Replica, 'the replica has a class of its own');
    assertEqual(GObject.type_parent(replica.constructor.$gtype), Gro.Replica.$gtype,
        'the parent of the replica\'s class');

    assertEqual(replica.get_state(), VALID, 'get_state()');
    assertEqual(replica.state, VALID, 'the state property');
    assert(replica.is_valid(), 'is_valid()');
    assertEqual(replica.get_name(), SOURCE_NAME, 'get_name()');
    assertEqual(replica.get_type_name(), 'GroTestObject', 'get_type_name()');
    assert(replica.get_node() === node, 'get_node() is the node');
    assertEqual(node.dup_source_names(), [SOURCE_NAME], 'dup_source_names()');
});

test('wait_for_source makes a new replica valid, and its signals follow', t => {
    t.startHelper();
    const node = t.connect();
    const replica = node.acquire_dynamic(SOURCE_NAME);
    assertEqual(replica.get_state(), UNINITIALIZED, 'the state before the source is heard');
    assert(!replica.is_valid(), 'is_valid() before the source is heard');

    const changes = [];
    let initialized = 0;
    replica.connect('state-changed', (r, state, old) => changes.push([state, old]));
    replica.connect('initialized', () => initialized++);

    assertEqual(replica.wait_for_source(TIMEOUT_MS), true, 'wait_for_source()');
    assertEqual(replica.get_state(), VALID, 'the state after wait_for_source()');
    // It runs none of our callbacks while it waits: they come afterwards,
    // from the main loop.
    assertEqual(changes, [], 'state changes seen during wait_for_source()');
    waitUntil(() => initialized > 0, 'the initialized signal');
    assertEqual(changes, [[VALID, UNINITIALIZED]], 'state-changed');
    assertEqual(initialized, 1, 'initialized emissions');
});

test('properties of several types hold the source\'s defaults', t => {
    t.startHelper();
    const replica = acquireValid(t.connect());

    assertEqual(replica.i, 0, 'i (int)');
    assertEqual(replica.s, null, 's (string)');
    // GJS shows a NULL string array as an empty one.
    assertEqual(replica.strv, [], 'strv (string array)');
    assertEqual(replica.b, false, 'b (boolean)');
    assertEqual(replica.d, 0, 'd (double)');
    assertEqual(replica.mode, MODE_OFF, 'mode (enum)');
    assertEqual(replica.flags, 0, 'flags (flags)');
    assertEqual(replica.bytes, null, 'bytes');
    assertEqual(replica.variant, null, 'variant');
    assertEqual(replica.counter, 0, 'counter (read-only int)');
});

test('properties set at the source before acquiring arrive with their types', t => {
    const helper = t.startHelper();
    helper.command('set i 7');
    helper.command('set s hello');
    helper.command('set strv a,b,c');
    helper.command('set b true');
    helper.command('set d 2.5');
    helper.command(`set mode ${MODE_COOL}`);
    helper.command(`set flags ${FLAGS_RED_BLUE}`);
    helper.command('set i64 -5');
    helper.command('set variant (1, \'z\')');
    const replica = acquireValid(t.connect());

    assertEqual(replica.i, 7, 'i');
    assertEqual(replica.s, 'hello', 's');
    assertEqual(replica.strv, ['a', 'b', 'c'], 'strv');
    assertEqual(replica.b, true, 'b');
    assertEqual(replica.d, 2.5, 'd');
    assertEqual(replica.mode, MODE_COOL, 'mode');
    assertEqual(replica.flags, FLAGS_RED_BLUE, 'flags');
    assertEqual(replica.i64, -5, 'i64');
    assert(replica.variant instanceof GLib.Variant, 'variant is a GLib.Variant');
    assertEqual(replica.variant.get_type_string(), '(is)', 'the variant\'s type');
    assertEqual(replica.variant.deepUnpack(), [1, 'z'], 'the variant\'s value');
});

test('a change at the source reaches the replica with notify', t => {
    const helper = t.startHelper();
    const replica = acquireValid(t.connect());
    const seen = [];
    replica.connect('notify::i', r => seen.push(['i', r.i]));
    replica.connect('notify::strv', r => seen.push(['strv', r.strv]));

    helper.command('set i 42');
    waitUntil(() => seen.length >= 1, 'notify::i');
    assertEqual(replica.i, 42, 'i');

    helper.command('set strv x,y');
    waitUntil(() => seen.length >= 2, 'notify::strv');
    assertEqual(seen, [['i', 42], ['strv', ['x', 'y']]], 'the notifications');
});

test('a write from the replica goes through the source and comes back', t => {
    t.startHelper();
    const replica = acquireValid(t.connect());
    const seen = [];
    replica.connect('notify::s', r => seen.push(r.s));

    replica.s = 'from gjs';
    // The source is the single source of truth: nothing changes here until
    // its notification comes back.
    assertEqual(replica.s, null, 's right after the write');
    assertEqual(seen, [], 'notifications right after the write');
    waitUntil(() => seen.length > 0, 'notify::s');
    assertEqual(seen, ['from gjs'], 'the notifications of s');
    assertEqual(replica.s, 'from gjs', 's');

    // One write of each other kind, all in flight at once.
    const written = {i: -3, b: true, d: 0.25, strv: ['p', '', 'q'], mode: MODE_COOL, flags: 2};
    for (const [name, value] of Object.entries(written))
        replica[name] = value;
    waitUntil(() => Object.entries(written).every(([name, value]) => equal(replica[name], value)),
        'the written values to come back');
});

test('write_property_async reports what the source made of the write', t => {
    t.startHelper();
    const replica = acquireValid(t.connect());
    const seen = [];
    replica.connect('notify::i', r => seen.push(r.i));

    assertEqual(write(replica, 'i', 11), true, 'the write of i');
    // The source's change comes back before the callback runs.
    assertEqual(seen, [11], 'notify::i before the write completed');

    // GJS makes the GValue from the JS value's own type: boxed wrappers
    // carry theirs.
    assertEqual(write(replica, 'bytes', new GLib.Bytes(new Uint8Array([0, 1, 2]))), true,
        'the write of bytes');
    assertEqual(Array.from(replica.bytes.toArray()), [0, 1, 2], 'bytes');
    assertEqual(write(replica, 'variant', new GLib.Variant('(is)', [1, 'z'])), true,
        'the write of variant');
    assertEqual(replica.variant.deepUnpack(), [1, 'z'], 'variant');
    // A JS null would become a gpointer GValue, which gro refuses, so a NULL
    // string goes in a typed GObject.Value. (A string array cannot go this
    // way at all: GJS guesses no type for a JS array, and in GJS 1.74
    // GObject.Value.set_boxed() of one stores NULL. Setting the property,
    // as in the test before, works.)
    assertEqual(write(replica, 's', 'text'), true, 'the write of s');
    const nullString = new GObject.Value();
    nullString.init(GObject.TYPE_STRING);
    nullString.set_string(null);
    assertEqual(write(replica, 's', nullString), true, 'the write of a NULL s');
    assertEqual(replica.s, null, 's after the write of NULL');

    assertGroError(expectError(() => write(replica, 'counter', 3), 'the write of counter'),
        Gro.Error.READ_ONLY, 'a read-only property');
    assertGroError(expectError(() => write(replica, 'bounded', 500), 'the write of bounded'),
        Gro.Error.INVALID_VALUE, 'a value out of range');
    assertEqual(replica.bounded, 0, 'bounded after the refused write');
    assertGroError(expectError(() => write(replica, 'no-such-property', 1), 'an unknown property'),
        Gro.Error.UNKNOWN_PROPERTY, 'an unknown property');
});

test('a signal with two arguments arrives', t => {
    t.startHelper();
    const replica = acquireValid(t.connect());
    const pings = [];
    replica.connect('ping', (r, n, text) => pings.push([n, text]));

    const reply = call(replica, 'emit-ping', new GLib.Variant('(is)', [4, 'four']));
    assertEqual(reply.get_type_string(), '()', 'the reply of emit-ping');
    waitUntil(() => pings.length > 0, 'the ping signal');
    assertEqual(pings, [[4, 'four']], 'the ping signal\'s arguments');
});

test('a signal with every kind of argument arrives', t => {
    const helper = t.startHelper();
    const replica = acquireValid(t.connect());
    const got = [];
    replica.connect('all-types', (r, b, u64, d, s, strv, bytes, mode, flags) => {
        // The bytes' contents are taken here: the boxed argument need not
        // outlive the handler.
        const data = bytes === null ? null : Array.from(bytes.toArray());
        got.push({b, u64, d, s, strv, data, mode, flags});
    });

    helper.command('emit-all-types');
    waitUntil(() => got.length > 0, 'the all-types signal');
    const [args] = got;
    assertEqual(args.b, true, 'the boolean');
    // GJS gives 64-bit integers as Numbers: G_MAXUINT64 arrives as the
    // nearest double, 2 ** 64.
    assertEqual(args.u64, 2 ** 64, 'the guint64');
    assertEqual(args.d, -2.5, 'the double');
    assertEqual(args.s, null, 'the NULL string');
    assertEqual(args.strv, ['x', '', 'y'], 'the string array');
    assertEqual(args.data, [0x61, 0, 0x62], 'the bytes');
    assertEqual(args.mode, MODE_COOL, 'the enum');
    assertEqual(args.flags, FLAGS_RED_BLUE, 'the flags');
});

test('calls return their results', t => {
    t.startHelper();
    const replica = acquireValid(t.connect());

    let reply = call(replica, 'add', new GLib.Variant('(ii)', [2, 3]));
    assertEqual(reply.get_type_string(), '(i)', 'the type of add\'s reply');
    assertEqual(reply.deepUnpack(), [5], 'add (2, 3) with call_async');

    reply = replica.call_sync('add', new GLib.Variant('(ii)', [2, 3]), TIMEOUT_MS, null);
    assertEqual(reply.deepUnpack(), [5], 'add (2, 3) with call_sync');

    // The schema has maybe types for strings; plain ones are taken too.
    reply = call(replica, 'concat', new GLib.Variant('(ss)', ['gr', 'o']));
    assertEqual(reply.deepUnpack(), ['gro'], 'concat');

    // A reply the source gives later.
    reply = call(replica, 'defer-add', new GLib.Variant('(ii)', [20, 22]));
    assertEqual(reply.deepUnpack(), [42], 'defer-add');
});

test('a call that fails gives the source\'s error, domain and code kept', t => {
    t.startHelper();
    const replica = acquireValid(t.connect());
    const domain = GLib.quark_from_string(TEST_ERROR_DOMAIN);

    let error = expectError(
        () => call(replica, 'fail', new GLib.Variant('(s)', ['it went wrong'])), 'fail');
    assert(error.matches(domain, TEST_ERROR_CODE),
        `fail's error is ${TEST_ERROR_DOMAIN} ${TEST_ERROR_CODE}, not ${describeError(error)}`);
    assertEqual(error.message, 'it went wrong', 'the error\'s message');

    error = expectError(
        () => replica.call_sync('fail', new GLib.Variant('(s)', ['again']), TIMEOUT_MS, null),
        'fail with call_sync');
    assert(error.matches(domain, TEST_ERROR_CODE),
        `fail's error with call_sync is ${describeError(error)}`);
    assertEqual(error.message, 'again', 'the error\'s message with call_sync');
});

test('calls that gro refuses give Gro.Error codes', t => {
    t.startHelper();
    const replica = acquireValid(t.connect());

    const unknown = expectError(() => call(replica, 'no-such-method'), 'an unknown method');
    assertGroError(unknown, Gro.Error.UNKNOWN_METHOD, 'an unknown method');
    assertEqual(unknown.domain, Gro.error_quark(), 'the domain of the error');
    assertGroError(expectError(() => call(replica, 'add', new GLib.Variant('(ss)', ['2', '3'])),
        'add with strings'), Gro.Error.INVALID_ARGS, 'add with strings');
    // The source defers "drop" and never answers it.
    assertGroError(expectError(() => call(replica, 'drop'), 'drop'),
        Gro.Error.NO_REPLY, 'drop');
});

test('the interface info describes the source\'s schema', t => {
    t.startHelper();
    const replica = acquireValid(t.connect());
    const info = replica.get_interface_info();
    assert(info instanceof Gio.DBusInterfaceInfo, 'get_interface_info() is a Gio.DBusInterfaceInfo');

    const add = info.lookup_method('add');
    assertEqual(add.in_args.map(arg => arg.signature), ['i', 'i'], 'add\'s arguments');
    assertEqual(add.out_args.map(arg => arg.signature), ['i'], 'add\'s results');
    assertEqual(info.lookup_signal('ping').args.map(arg => arg.signature), ['i', 'ms'],
        'ping\'s arguments');
    const mode = info.lookup_property('mode');
    assertEqual(Gio.DBusAnnotationInfo.lookup(mode.annotations, 'org.gtk.Gro.Type'), 'GroTestMode',
        'the GLib type of mode');
    assertEqual(info.lookup_property('counter').flags, Gio.DBusPropertyInfoFlags.READABLE,
        'the flags of counter');
});

test('disable at the source makes the replica SUSPECT, enable makes it VALID', t => {
    const helper = t.startHelper();
    const replica = acquireValid(t.connect());
    helper.command('set i 9');
    waitUntil(() => replica.i === 9, 'i to become 9');
    drain();

    const changes = [];
    let initialized = 0;
    replica.connect('state-changed', (r, state, old) => changes.push([state, old]));
    replica.connect('initialized', () => initialized++);

    helper.command('disable');
    waitUntil(() => changes.length > 0, 'state-changed after disable');
    assertEqual(changes, [[SUSPECT, VALID]], 'state-changed after disable');
    assertEqual(replica.get_state(), SUSPECT, 'get_state()');
    assertEqual(replica.state, SUSPECT, 'the state property');
    assert(!replica.is_valid(), 'is_valid() while suspect');
    // The last values received stay.
    assertEqual(replica.i, 9, 'i while suspect');
    assertGroError(expectError(() => call(replica, 'add', new GLib.Variant('(ii)', [2, 3])),
        'a call while suspect'), Gro.Error.SOURCE_UNAVAILABLE, 'a call while suspect');

    helper.command('enable');
    waitUntil(() => initialized > 0, 'the initialized signal after enable');
    assertEqual(changes, [[SUSPECT, VALID], [VALID, SUSPECT]], 'state-changed after enable');
    assertEqual(call(replica, 'add', new GLib.Variant('(ii)', [2, 3])).deepUnpack(), [5],
        'add after enable');
});

test('wait_for_source on an unknown source times out with Gro.Error.TIMED_OUT', t => {
    t.startHelper();
    const node = t.connect();
    const replica = node.acquire_dynamic('no-such-source');

    const started = GLib.get_monotonic_time();
    const error = expectError(() => replica.wait_for_source(200), 'wait_for_source(200)');
    const elapsedMs = (GLib.get_monotonic_time() - started) / 1000;
    assertGroError(error, Gro.Error.TIMED_OUT, 'wait_for_source(200)');
    assert(elapsedMs >= 150 && elapsedMs < TIMEOUT_MS,
        `wait_for_source(200) took ${elapsedMs} ms`);
    assertEqual(replica.get_state(), UNINITIALIZED, 'the state after the timeout');
});

test('acquire_dynamic_async of an unknown source ends when cancelled', t => {
    t.startHelper();
    const node = t.connect();
    const cancellable = new Gio.Cancellable();
    // It has no time limit of its own.
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, 100, () => {
        cancellable.cancel();
        return GLib.SOURCE_REMOVE;
    });

    const error = expectError(() => runAsync('acquire_dynamic_async to be cancelled',
        callback => node.acquire_dynamic_async('no-such-source', cancellable, callback),
        (source, result) => source.acquire_dynamic_finish(result)), 'acquire_dynamic_async');
    assert(error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED),
        `the error is G_IO_ERROR_CANCELLED, not ${describeError(error)}`);
});

test('bad addresses fail with Gro.Error codes', () => {
    const node = Gro.Node.new();

    assertGroError(expectError(() => node.connect_to_node('bogus:nowhere'), 'bogus:nowhere'),
        Gro.Error.INVALID_ADDRESS, 'a malformed address');

    const path = GLib.build_filenamev([GLib.get_tmp_dir(), 'gro-gjs-no-such-dir', 'socket']);
    const error = expectError(() => runAsync('connect_to_node_async',
        callback => node.connect_to_node_async(`unix:${path}`, null, callback),
        (source, result) => source.connect_to_node_finish(result)), 'a missing socket');
    assertGroError(error, Gro.Error.CONNECTION_FAILED, 'a missing socket');
});

// --------------------------------------------------------------------------
// TAP

function run() {
    print(`1..${tests.length}`);
    let failures = 0;

    tests.forEach(({name, fn}, index) => {
        const fixture = new Fixture();
        const errors = [];
        try {
            fn(fixture);
        } catch (e) {
            errors.push(e);
        }
        // Cleaning up runs whatever happened, and can fail a test too.
        try {
            fixture.close();
        } catch (e) {
            errors.push(e);
        }

        if (errors.length === 0) {
            print(`ok ${index + 1} - ${name}`);
            return;
        }
        failures++;
        print(`not ok ${index + 1} - ${name}`);
        for (const error of errors) {
            for (const line of `${describeError(error)}\n${error.stack ?? ''}`.trim().split('\n'))
                print(`# ${line}`);
        }
    });

    return failures;
}

System.exit(run() > 0 ? 1 : 0);
