// test-module.js: the GJS module bindings/gjs/gro.js, end to end
//
//   gjs -m test-module.js
//
// Imports the module from $GRO_GJS_MODULE_DIR (the source tree's
// bindings/gjs). Each test spawns its own gro-test-source ($GRO_TEST_SOURCE),
// which shares a GroTestObject as "test", and works on it through the
// module's promises. Every wait is bounded. The output is TAP; the exit
// status is not zero when a test fails.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import System from 'system';

const TIMEOUT_MS = 10000;       // for any single wait
const SOURCE_NAME = 'test';
const TEST_ERROR_DOMAIN = 'gro-test-error-quark';

const moduleDir = GLib.getenv('GRO_GJS_MODULE_DIR');
if (!moduleDir) {
    print('1..0 # SKIP GRO_GJS_MODULE_DIR is not set; run through "meson test"');
    System.exit(0);
}
const GroJs = await import(`file://${moduleDir}/gro.js`);
const Gro = GroJs.default;

// --------------------------------------------------------------------------
// Checks

function show(value) {
    if (typeof value === 'bigint')
        return `${value}n`;
    if (value instanceof GLib.Variant)
        return `<${value.print(true)}>`;
    if (value instanceof GLib.Bytes)
        return `GLib.Bytes [${Array.from(value.toArray()).join(', ')}]`;
    if (value instanceof Uint8Array)
        return `Uint8Array [${Array.from(value).join(', ')}]`;
    try {
        return JSON.stringify(value) ?? String(value);
    } catch (e) {
        return String(value);
    }
}

function equal(a, b) {
    if (Array.isArray(a) && Array.isArray(b))
        return a.length === b.length && a.every((x, i) => equal(x, b[i]));
    if (a instanceof GLib.Variant && b instanceof GLib.Variant)
        return a.equal(b);
    if (a instanceof GLib.Bytes && b instanceof GLib.Bytes)
        return a.equal(b);
    return Object.is(a, b);
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
        return `GLib.Error ${GLib.quark_to_string(error.domain)} ${error.code}: ${error.message}`;
    return `${error?.name}: ${error?.message ?? error}`;
}

// Awaits a promise that must reject with a GLib.Error; returns the error.
async function rejection(promise, what) {
    try {
        await bounded(promise, what);
    } catch (error) {
        if (error instanceof GLib.Error)
            return error;
        throw new Error(`${what}: expected a GLib.Error, got ${describeError(error)}`);
    }
    throw new Error(`${what}: succeeded, but an error was expected`);
}

function assertError(error, domain, code, what) {
    const actual = GLib.quark_to_string(error.domain);
    if (actual !== domain || error.code !== code)
        throw new Error(`${what}: expected ${domain} ${code}, got ${describeError(error)}`);
}

function assertGroError(error, code, what) {
    if (!error.matches(Gro.Error, code))
        throw new Error(`${what}: expected Gro.Error ${code}, got ${describeError(error)}`);
}

// Runs fn, which must throw a TypeError at once (not return a promise).
function assertTypeError(fn, pattern, what) {
    let result;
    try {
        result = fn();
    } catch (error) {
        if (!(error instanceof TypeError))
            throw new Error(`${what}: expected a TypeError, got ${describeError(error)}`);
        if (pattern && !pattern.test(error.message))
            throw new Error(`${what}: the message "${error.message}" does not match ${pattern}`);
        return;
    }
    result?.catch?.(() => {});
    throw new Error(`${what}: no TypeError was thrown`);
}

// --------------------------------------------------------------------------
// Bounded waits. Replicas notify, emit and complete in the default main
// context, which the module's top-level await keeps running.

function delay(ms) {
    return new Promise(resolve => {
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
            resolve();
            return GLib.SOURCE_REMOVE;
        });
    });
}

// A promise that rejects after TIMEOUT_MS unless @promise settles first.
function bounded(promise, what, ms = TIMEOUT_MS) {
    let id = 0;
    const timeout = new Promise((resolve, reject) => {
        id = GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
            id = 0;
            reject(new Error(`timed out after ${ms} ms: ${what}`));
            return GLib.SOURCE_REMOVE;
        });
    });
    return Promise.race([promise, timeout]).finally(() => {
        if (id !== 0)
            GLib.source_remove(id);
    });
}

// Resolves with the arguments of the next emission of @signal on @object.
function nextSignal(object, signal, what = signal) {
    let handler = 0;
    const promise = new Promise(resolve => {
        handler = object.connect(signal, (self, ...args) => resolve(args));
    });
    return bounded(promise, what).finally(() => object.disconnect(handler));
}

// Resolves once condition() holds, checking at each notify of @object.
function until(object, condition, what) {
    if (condition())
        return Promise.resolve();
    let handler = 0;
    const promise = new Promise(resolve => {
        handler = object.connect('notify', () => {
            if (condition())
                resolve();
        });
    });
    return bounded(promise, what).finally(() => object.disconnect(handler));
}

// A property of the replica exactly, as a bigint: GJS reads 64-bit
// properties as numbers, rounded past 2^53, but GLib can write the GValue
// as text.
function exactProperty(object, name) {
    const pspec = GObject.Object.find_property.call(object.constructor, name);
    const value = new GObject.Value();
    value.init(pspec.value_type);
    object.get_property(name, value);
    const text = new GObject.Value();
    text.init(GObject.TYPE_STRING);
    assert(value.transform(text), `${name} transforms to a string`);
    return BigInt(text.get_string());
}

// --------------------------------------------------------------------------
// The helper process

class Helper {
    async start() {
        const path = GLib.getenv('GRO_TEST_SOURCE');
        if (!path)
            throw new Error('GRO_TEST_SOURCE is not set; run through "meson test"');
        const argv = [path];
        const wrapper = GLib.getenv('GRO_TEST_SOURCE_WRAPPER');
        if (wrapper)
            argv.unshift(...GLib.shell_parse_argv(wrapper)[1]);
        this.proc = Gio.Subprocess.new(argv,
            Gio.SubprocessFlags.STDIN_PIPE | Gio.SubprocessFlags.STDOUT_PIPE);
        this.stdin = this.proc.get_stdin_pipe();
        this.stdout = new Gio.DataInputStream({base_stream: this.proc.get_stdout_pipe()});
        this.urls = [];
        for (;;) {
            const line = await this.readLine();
            if (line === 'READY')
                break;
            this.urls.push(line);
        }
        assert(this.urls.length > 0, 'the helper printed an address');
        this.url = this.urls[0];
        return this;
    }

    readLine() {
        const promise = new Promise((resolve, reject) => {
            this.stdout.read_line_async(GLib.PRIORITY_DEFAULT, null, (stream, result) => {
                try {
                    const [line] = stream.read_line_finish_utf8(result);
                    if (line === null)
                        reject(new Error('the helper closed its output'));
                    else
                        resolve(line);
                } catch (e) {
                    reject(e);
                }
            });
        });
        return bounded(promise, 'a line from the helper');
    }

    async command(line) {
        this.stdin.write_all(`${line}\n`, null);
        const answer = await this.readLine();
        assertEqual(answer, 'OK', `the helper's answer to '${line}'`);
    }

    async close() {
        if (!this.proc)
            return;
        try {
            this.stdin.close(null);     // it exits when its stdin closes
        } catch (e) {
            // already closed
        }
        const exited = new Promise(resolve => {
            this.proc.wait_async(null, (proc, result) => {
                try {
                    proc.wait_finish(result);
                } catch (e) {
                    // gone either way
                }
                resolve();
            });
        });
        try {
            await bounded(exited, 'the helper to exit', 5000);
        } catch (e) {
            this.proc.force_exit();
        }
        this.proc = null;
    }
}

// A helper, a node connected to it through the module, and a valid replica.
async function setUp() {
    const helper = await new Helper().start();
    const node = Gro.Node.new();
    await bounded(node.connectToNode(helper.url), 'connectToNode');
    const replica = await bounded(
        node.acquireDynamic(SOURCE_NAME, {timeoutMs: TIMEOUT_MS}), 'acquireDynamic');
    return {helper, node, replica};
}

// --------------------------------------------------------------------------
// The tests

const tests = [];
function test(name, fn) {
    tests.push({name, fn});
}

test('connectToNode and acquireDynamic resolve with a valid replica', async () => {
    const helper = await new Helper().start();
    try {
        await helper.command('set i 17');
        await helper.command('set s hello');
        const node = Gro.Node.new();
        const connected = node.connectToNode(helper.url);
        assert(connected instanceof Promise, 'connectToNode returns a promise');
        assertEqual(await bounded(connected, 'connectToNode'), undefined, 'connectToNode');
        const acquiring = node.acquireDynamic(SOURCE_NAME, {timeoutMs: TIMEOUT_MS});
        assert(acquiring instanceof Promise, 'acquireDynamic returns a promise');
        const replica = await bounded(acquiring, 'acquireDynamic');
        assert(replica instanceof Gro.Replica, 'a Gro.Replica');
        assertEqual(replica.get_state(), Gro.ReplicaState.VALID, 'state');
        assertEqual(replica.i, 17, 'i');
        assertEqual(replica.s, 'hello', 's');

        // The functions the module exports do the same.
        const other = await bounded(
            GroJs.acquireDynamic(node, SOURCE_NAME, {timeoutMs: TIMEOUT_MS}),
            'exported acquireDynamic');
        assertEqual(other.i, 17, "the exported function's replica's i");
    } finally {
        await helper.close();
    }
});

test('connectToNode rejects a bad or unreachable address with its Gro.Error', async () => {
    const node = Gro.Node.new();
    const malformed = await rejection(node.connectToNode('nonsense:x'), 'malformed address');
    assertGroError(malformed, Gro.Error.INVALID_ADDRESS, 'malformed address');

    // A port that was free a moment ago, so nobody listens there.
    const socket = Gio.Socket.new(Gio.SocketFamily.IPV4, Gio.SocketType.STREAM,
        Gio.SocketProtocol.TCP);
    socket.bind(new Gio.InetSocketAddress({address: Gio.InetAddress.new_loopback(
        Gio.SocketFamily.IPV4), port: 0}), true);
    const port = socket.get_local_address().get_port();
    socket.close();
    const refused = await rejection(node.connectToNode(`tcp://127.0.0.1:${port}`),
        'nobody listens');
    assertGroError(refused, Gro.Error.CONNECTION_FAILED, 'nobody listens');

    assertTypeError(() => node.connectToNode(42), /address must be a string/,
        'connectToNode (42)');
});

test('acquireDynamic with timeoutMs rejects with Gro.Error.TIMED_OUT', async () => {
    const helper = await new Helper().start();
    try {
        const node = Gro.Node.new();
        await bounded(node.connectToNode(helper.url), 'connectToNode');
        const started = GLib.get_monotonic_time();
        const error = await rejection(node.acquireDynamic('nobody-shares-this', {timeoutMs: 200}),
            'acquiring a source nobody shares');
        assertGroError(error, Gro.Error.TIMED_OUT, 'the time limit');
        const elapsed = (GLib.get_monotonic_time() - started) / 1000;
        assert(elapsed >= 150 && elapsed < 5000, `timed out after ${elapsed} ms`);

        // The caller's own cancellable still cancels.
        const cancellable = new Gio.Cancellable();
        const pending = node.acquireDynamic('nobody-shares-this',
            {cancellable, timeoutMs: TIMEOUT_MS});
        cancellable.cancel();
        const cancelled = await rejection(pending, 'a cancelled acquire');
        assertError(cancelled, 'g-io-error-quark', Gio.IOErrorEnum.CANCELLED,
            'a cancelled acquire');
    } finally {
        await helper.close();
    }
});

test('call passes arguments of several types and unpacks the result', async () => {
    const {helper, replica} = await setUp();
    try {
        const adding = replica.call('add', 2, 3);
        assert(adding instanceof Promise, 'call returns a promise');
        assertEqual(await bounded(adding, 'add'), 5, 'add (2, 3)');
        assertEqual(await bounded(replica.call('add', -7, 2147483647), 'add'), 2147483640,
            'add (-7, G_MAXINT)');

        // Strings are maybe types in the schema: null stays apart from "".
        assertEqual(await bounded(replica.call('concat', 'ab', 'cd'), 'concat'), 'abcd',
            'concat');
        assertEqual(await bounded(replica.call('concat', null, ''), 'concat'), '(null)',
            'concat (null, "")');
        assertEqual(await bounded(replica.call('concat', 'é', '✓'), 'concat'), 'é✓',
            'concat of UTF-8');

        // A GVariant argument is any variant; its result comes back as one.
        const nested = new GLib.Variant('(sa{sv})', ['x', {k: new GLib.Variant('i', 1)}]);
        assertEqual(await bounded(replica.call('echo-variant', nested), 'echo-variant'),
            nested, 'echo-variant of a nested variant');
        assertEqual(await bounded(replica.call('echo-variant', null), 'echo-variant'), null,
            'echo-variant (null)');

        // No result: undefined. A bigint is taken for a gint.
        assertEqual(await bounded(replica.call('set-counter', 12n), 'set-counter'), undefined,
            'set-counter returns nothing');
        assertEqual(replica.counter, 12, 'counter, after the call');

        // Method names as GObject takes them: underscores or camelCase too.
        await bounded(replica.call('set_counter', 4), 'set_counter');
        assertEqual(replica.counter, 4, 'counter, after set_counter');
        await bounded(replica.call('setCounter', 5), 'setCounter');
        assertEqual(replica.counter, 5, 'counter, after setCounter');
        assertTypeError(() => replica.call('setCounter'), /'set-counter' of 'test' takes 1/,
            'setCounter ()');

        // A deferred answer, and callv with options.
        assertEqual(await bounded(replica.callv('defer-add', [20, 22], {timeoutMs: 5000}),
            'defer-add'), 42, 'defer-add');
        assertEqual(await bounded(GroJs.call(replica, 'add', 1, 1), 'exported call'), 2,
            'the exported call');
    } finally {
        await helper.close();
    }
});

test('a call that changes the source: its notify arrives before the reply', async () => {
    const {helper, replica} = await setUp();
    try {
        const notified = [];
        const id = replica.connect('notify::i', () => notified.push(replica.i));
        await bounded(replica.call('bump', 3), 'bump');
        replica.disconnect(id);
        assertEqual(notified, [1, 2, 3], 'notify::i');
    } finally {
        await helper.close();
    }
});

test('signals from the source reach JS handlers with their arguments', async () => {
    const {helper, replica} = await setUp();
    try {
        const ping = nextSignal(replica, 'ping');
        await bounded(replica.call('emit-ping', 5, 'five'), 'emit-ping');
        assertEqual(await ping, [5, 'five'], 'ping');

        const allTypes = nextSignal(replica, 'all-types');
        await helper.command('emit-all-types');
        const args = await allTypes;
        assertEqual(args.length, 8, 'all-types has 8 arguments');
        assertEqual(args[0], true, 'gboolean');
        assertEqual(args[2], -2.5, 'gdouble');
        assertEqual(args[3], null, 'a NULL string');
        assertEqual(args[4], ['x', '', 'y'], 'GStrv');
        assertEqual(Array.from(args[5].toArray()), [0x61, 0, 0x62], 'GBytes with a NUL');
        assertEqual(args[6], 7, 'the enumeration, as a number');
        assertEqual(args[7], 5, 'the flags, as a number');
    } finally {
        await helper.close();
    }
});

test('errors from the source reject with their domain, code and message', async () => {
    const {helper, replica} = await setUp();
    try {
        const failed = await rejection(replica.call('fail', 'no luck'), 'fail');
        assert(failed instanceof GLib.Error, 'a GLib.Error');
        assertError(failed, TEST_ERROR_DOMAIN, 42, 'fail');
        assertEqual(failed.message, 'no luck', 'the message');

        const unknown = await rejection(replica.call('no-such-method'), 'no-such-method');
        assertGroError(unknown, Gro.Error.UNKNOWN_METHOD, 'an unknown method');

        const dropped = await rejection(replica.call('drop'), 'drop');
        assertGroError(dropped, Gro.Error.NO_REPLY, 'a dropped call');

        const cancellable = new Gio.Cancellable();
        cancellable.cancel();
        const cancelled = await rejection(replica.callv('add', [1, 2], {cancellable}),
            'a cancelled call');
        assertError(cancelled, 'g-io-error-quark', Gio.IOErrorEnum.CANCELLED, 'cancelled');

        // A source that is gone: the replica is suspect, and calls fail at once.
        const suspect = until(replica,
            () => replica.get_state() === Gro.ReplicaState.SUSPECT, 'state SUSPECT');
        await helper.command('disable');
        await suspect;
        const unavailable = await rejection(replica.call('add', 1, 2), 'add when suspect');
        assertGroError(unavailable, Gro.Error.SOURCE_UNAVAILABLE, 'add when suspect');
        // Arguments are still checked first: the schema is the last known.
        assertTypeError(() => replica.call('add', 1), /takes 2 arguments/,
            'add (1) when suspect');
    } finally {
        await helper.close();
    }
});

test('wrong arguments throw a TypeError before anything is sent', async () => {
    const {helper, replica} = await setUp();
    try {
        const cases = [
            [['add', 1], /'add' of 'test' takes 2 arguments \(gint, gint\), not 1/],
            [['add', 1, 2, 3], /takes 2 arguments/],
            [['add', '1', 2], /Argument 1 .* must be an integer .*\(gint\), not "1"/],
            [['add', 1, 2.5], /Argument 2 .* \(gint\), not 2.5/],
            [['add', 1, 2 ** 31], /not 2147483648/],
            [['add', 1, null], /not null/],
            [['concat', 'a', 1], /Argument 2 .* must be a string or null \(gchararray\)/],
            [['concat', 'a', undefined], /not undefined/],
            [['echo-variant', 'x'], /must be a GLib.Variant or null \(GVariant\)/],
            [['set-counter', true], /must be an integer/],
            [['bump'], /takes 1 argument \(gint\), not 0/],
        ];
        for (const [args, pattern] of cases) {
            assertTypeError(() => replica.call(...args), pattern,
                `call (${args.map(show).join(', ')})`);
        }
        assertTypeError(() => replica.callv('add', 1), /must be an array/, 'callv with no array');
        assertTypeError(() => replica.callv('add', [1, 2], {timeoutMs: 'soon'}),
            /timeoutMs/, 'callv with a bad timeout');
        assertTypeError(() => GroJs.call({}, 'add', 1, 2), /expected a Gro.Replica/,
            'the exported call on something else');

        // Nothing of the above reached the source: set-counter (true) would
        // have set the counter, and calls are answered in order.
        assertEqual(await bounded(replica.call('add', 0, 0), 'add'), 0, 'a good call after');
        assertEqual(replica.counter, 0, 'counter');
        assertEqual(replica.i, 0, 'i (bump was not sent)');
    } finally {
        await helper.close();
    }
});

test('writeProperty resolves once the source took the value', async () => {
    const {helper, replica} = await setUp();
    try {
        const writing = replica.writeProperty('s', 'written');
        assert(writing instanceof Promise, 'writeProperty returns a promise');
        assertEqual(await bounded(writing, 'write s'), undefined, 'the write resolves');
        assertEqual(replica.s, 'written', 's, when the write resolved');

        const writes = [
            ['b', true],
            ['c', -1],
            ['uc', 255],
            ['i', -5],
            ['u', 4000000000],
            ['l', -9007199254740991],
            ['u64', 9007199254740991],
            ['f', 0.5],
            ['d', -0.25],
            ['s', null],
            ['strv', ['p', '', 'q']],
            ['strv', []],
            ['variant', new GLib.Variant('(iu)', [-1, 2])],
            ['mode', 7],                // GRO_TEST_MODE_COOL
            ['flags', 6],               // GREEN | BLUE
        ];
        for (const [name, value] of writes) {
            await bounded(replica.writeProperty(name, value), `write ${name}`);
            assertEqual(replica[name], value, `${name} after writing ${show(value)}`);
        }

        await bounded(replica.writeProperty('bytes', new Uint8Array([1, 0, 255])), 'bytes');
        assertEqual(Array.from(replica.bytes.toArray()), [1, 0, 255], 'bytes from a Uint8Array');
        await bounded(replica.writeProperty('bytes', new GLib.Bytes(new Uint8Array([]))),
            'empty bytes');
        assertEqual(replica.bytes.get_size(), 0, 'empty bytes stay bytes');
        await bounded(replica.writeProperty('bytes', null), 'bytes null');
        assertEqual(replica.bytes, null, 'bytes null');

        // Past 2^53, a bigint. GJS reads such a property as a rounded number,
        // so read the replica's GValue exactly, through a string.
        await bounded(replica.writeProperty('i64', -(2n ** 62n) - 1n), 'i64 bigint');
        assertEqual(exactProperty(replica, 'i64'), -(2n ** 62n) - 1n, 'i64 past 2^53');
        await bounded(replica.writeProperty('u64', 2n ** 64n - 2n), 'u64 bigint');
        assertEqual(exactProperty(replica, 'u64'), 2n ** 64n - 2n, 'u64 past 2^53');
        await bounded(replica.writeProperty('l', 2n ** 53n + 1n), 'l bigint');
        assertEqual(exactProperty(replica, 'l'), 2n ** 53n + 1n, 'l past 2^53');

        // A value the property refuses, a read-only and an unknown property.
        const refused = await rejection(replica.writeProperty('bounded', 500), 'bounded 500');
        assertGroError(refused, Gro.Error.INVALID_VALUE, 'a value out of range');
        const notInEnum = await rejection(replica.writeProperty('mode', 2), 'mode 2');
        assertGroError(notInEnum, Gro.Error.INVALID_VALUE, 'a value the enumeration lacks');
        const readOnly = await rejection(replica.writeProperty('counter', 1), 'counter');
        assertGroError(readOnly, Gro.Error.READ_ONLY, 'a read-only property');
        const unknown = await rejection(replica.writeProperty('nope', 1), 'nope');
        assertGroError(unknown, Gro.Error.UNKNOWN_PROPERTY, 'an unknown property');
        const notSource = await rejection(replica.writeProperty('state', 1), 'state');
        assertGroError(notSource, Gro.Error.UNKNOWN_PROPERTY, "the replica's own property");

        // Wrong JS types throw at once.
        assertTypeError(() => replica.writeProperty('i', 'x'), /'i' of 'test' must be an integer/,
            'i = "x"');
        assertTypeError(() => replica.writeProperty('c', 128), /from -128 to 127/, 'c = 128');
        assertTypeError(() => replica.writeProperty('b', 1), /must be a boolean/, 'b = 1');
        assertTypeError(() => replica.writeProperty('strv', ['a', 1]), /array of strings/,
            'strv = ["a", 1]');
        assertTypeError(() => replica.writeProperty('variant', 3), /GLib.Variant or null/,
            'variant = 3');
        assertTypeError(() => replica.writeProperty('d', '1.5'), /must be a number/, 'd = "1.5"');
        assertTypeError(() => replica.writeProperty(7, 1), /name must be a string/, 'name 7');
    } finally {
        await helper.close();
    }
});

test('64-bit values and gchar pack and unpack exactly', () => {
    // The module's packing and unpacking, without GJS's number
    // conversions in between.
    const big = 2n ** 63n - 1n;
    const packed = GroJs.packValue('x', 'gint64', big, 'x');
    assertEqual(packed.print(false), '9223372036854775807', 'packed int64');
    assertEqual(GroJs.unpackValue(packed, 'gint64'), big, 'unpacked int64');
    const max = GroJs.packValue('t', 'guint64', 2n ** 64n - 1n, 't');
    assertEqual(GroJs.unpackValue(max, 'guint64'), 2n ** 64n - 1n, 'unpacked guint64');
    assertEqual(GroJs.unpackValue(GroJs.packValue('t', 'guint64', 5, 't'), 'guint64'), 5,
        'a small one is a number');
    assertTypeError(() => GroJs.packValue('t', 'guint64', -1, 'x'), /from 0 to 2\^64-1/,
        'a negative guint64');

    // A gchar is its byte on the wire, and signed again in JS.
    const minusOne = GroJs.packValue('y', 'gchar', -1, 'c');
    assertEqual(minusOne.print(false), '0xff', 'gchar -1 on the wire');
    assertEqual(GroJs.unpackValue(minusOne, 'gchar'), -1, 'gchar -1 back');
    assertEqual(GroJs.unpackValue(minusOne, 'guchar'), 255, 'guchar 255');
});

// A source class in JS, shared by a host in this process. Calls from a
// replica in this process work as long as they are asynchronous: the host
// answers from the same main context.
const CALC_ERROR = 'gro-gjs-calc-error-quark';
const ACTION = GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION;
const RW = GObject.ParamFlags.READWRITE | GObject.ParamFlags.EXPLICIT_NOTIFY;

const Calculator = GObject.registerClass({
    Properties: {
        'target-value': GObject.ParamSpec.double('target-value', null, null, RW,
            -1000, 1000, 0),
    },
    Signals: {
        'divide': {
            flags: ACTION,
            param_types: [GObject.TYPE_DOUBLE, GObject.TYPE_DOUBLE],
            return_type: GObject.TYPE_DOUBLE,
        },
        'refuse': {flags: ACTION, param_types: [GObject.TYPE_INT]},
        'refuse-gerror': {flags: ACTION},
        'throw-plain': {flags: ACTION, return_type: GObject.TYPE_INT},
        'answer-later': {
            flags: ACTION,
            param_types: [GObject.TYPE_STRING],
            return_type: GObject.TYPE_STRING,
        },
    },
}, GroJs.catchErrors(class Calculator extends GObject.Object {
    constructor() {
        super();
        this._target = 0;
    }

    get target_value() {
        return this._target;
    }

    set target_value(value) {
        if (this._target === value)
            return;
        this._target = value;
        this.notify('target-value');
    }

    on_divide(a, b) {
        if (b === 0)
            throw new GLib.Error(GLib.quark_from_string(CALC_ERROR), 1, 'division by zero');
        return a / b;
    }

    on_refuse(code) {
        GroJs.returnError(CALC_ERROR, code, `refused with ${code}`);
    }

    on_refuse_gerror() {
        GroJs.returnError(new GLib.Error(GLib.quark_from_string(CALC_ERROR), 8, 'as a GLib.Error'));
    }

    on_throw_plain() {
        throw new RangeError('not a GLib.Error');
    }

    on_answer_later(text) {
        const invocation = Gro.Invocation.get_current();
        invocation.defer();
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 20, () => {
            invocation.return_value(new GLib.Variant('(s)', [`later: ${text}`]));
            return GLib.SOURCE_REMOVE;
        });
        return null;
    }
}));

test('a JS source: thrown errors, returnError, deferred answers, dashed names', async () => {
    const calculator = new Calculator();
    const host = Gro.Host.new('tcp://127.0.0.1:0');
    try {
        host.enable_remoting(calculator, 'calc');
        const node = Gro.Node.new();
        await bounded(node.connectToNode(host.dup_urls()[0]), 'connectToNode');
        const replica = await bounded(node.acquireDynamic('calc', {timeoutMs: TIMEOUT_MS}),
            'acquireDynamic');

        assertEqual(await bounded(replica.call('divide', 1, 4), 'divide'), 0.25, 'divide');
        const byZero = await rejection(replica.call('divide', 1, 0), 'divide by 0');
        assertError(byZero, CALC_ERROR, 1, 'a thrown GLib.Error');
        assertEqual(byZero.message, 'division by zero', 'its message');

        const refused = await rejection(replica.call('refuse', 5), 'refuse');
        assertError(refused, CALC_ERROR, 5, 'returnError (domain, code, message)');
        assertEqual(refused.message, 'refused with 5', 'its message');
        const gerror = await rejection(replica.call('refuse-gerror'), 'refuse-gerror');
        assertError(gerror, CALC_ERROR, 8, 'returnError (GLib.Error)');

        const plain = await rejection(replica.call('throw-plain'), 'throw-plain');
        assertGroError(plain, Gro.Error.FAILED, 'another exception');
        assertEqual(plain.message, 'not a GLib.Error', 'its message');

        assertEqual(await bounded(replica.call('answer-later', 'x'), 'answer-later'),
            'later: x', 'a deferred answer');

        // camelCase and underscores reach the dashed property.
        await bounded(replica.writeProperty('targetValue', 2.5), 'write targetValue');
        assertEqual(calculator.target_value, 2.5, "the source's value");
        assertEqual(replica.targetValue, 2.5, "the replica's value");
        await bounded(replica.writeProperty('target_value', -1), 'write target_value');
        assertEqual(replica['target-value'], -1, "the replica's value");

        // Outside a handler there is no call to fail.
        let threw = null;
        try {
            GroJs.returnError(CALC_ERROR, 1, 'no');
        } catch (e) {
            threw = e;
        }
        assert(/no method call is being served/.test(threw?.message), 'returnError outside');
        assertEqual(await bounded(replica.call('divide', 9, 3), 'divide'), 3, 'still serving');
    } finally {
        host.disable_remoting('calc');
    }
});

// --------------------------------------------------------------------------

print(`1..${tests.length}`);
let failures = 0;
for (const [i, {name, fn}] of tests.entries()) {
    try {
        // eslint-disable-next-line no-await-in-loop
        await bounded(fn(), name, 4 * TIMEOUT_MS);
        print(`ok ${i + 1} - ${name}`);
    } catch (error) {
        failures++;
        print(`not ok ${i + 1} - ${name}`);
        for (const line of `${describeError(error)}\n${error?.stack ?? ''}`.trim().split('\n'))
            print(`# ${line}`);
    }
}
System.exit(failures === 0 ? 0 : 1);
