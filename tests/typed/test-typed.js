// test-typed.js: the typed replica gro-compiler made, from GJS
//
//   gjs -m test-typed.js
//
// DemoReplica (the generated library's typelib) against typed-test-source
// ($GRO_TEST_SOURCE). Prints TAP. Every wait runs the main loop with a limit.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Gro from 'gi://Gro?version=1.0';
import Demo from 'gi://Demo?version=1.0';
import DemoReplica from 'gi://DemoReplica?version=1.0';
import System from 'system';

const TIMEOUT_MS = 10000;

function assertEqual(actual, expected, what) {
    if (actual !== expected)
        throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

function waitUntil(condition, what) {
    const deadline = GLib.get_monotonic_time() + TIMEOUT_MS * 1000;
    const context = GLib.MainContext.default();
    const tick = GLib.timeout_add(GLib.PRIORITY_DEFAULT, 10, () => GLib.SOURCE_CONTINUE);
    try {
        while (!condition()) {
            if (GLib.get_monotonic_time() > deadline)
                throw new Error(`timed out waiting for ${what}`);
            context.iteration(true);
        }
    } finally {
        GLib.source_remove(tick);
    }
}

// typed-test-source in its own process; it exits when its stdin closes.
class Helper {
    constructor() {
        const path = GLib.getenv('GRO_TEST_SOURCE');
        if (!path)
            throw new Error('GRO_TEST_SOURCE is not set; run through "meson test"');
        this.process = Gio.Subprocess.new([path],
            Gio.SubprocessFlags.STDIN_PIPE | Gio.SubprocessFlags.STDOUT_PIPE);
        this.stdout = new Gio.DataInputStream({base_stream: this.process.get_stdout_pipe()});
        this.url = this.readLine();
        assertEqual(this.readLine(), 'READY', 'the helper\'s second line');
    }

    readLine() {
        let line;
        let done = false;
        this.stdout.read_line_async(GLib.PRIORITY_DEFAULT, null, (stream, result) => {
            [line] = stream.read_line_finish_utf8(result);
            done = true;
        });
        waitUntil(() => done, 'a line from the helper');
        if (line === null)
            throw new Error('the helper exited');
        return line;
    }

    command(line) {
        this.process.get_stdin_pipe().write_all(new TextEncoder().encode(`${line}\n`), null);
        assertEqual(this.readLine(), 'OK', `the answer to "${line}"`);
    }

    close() {
        this.process.get_stdin_pipe().close(null);
        let done = false;
        this.process.wait_async(null, () => {
            done = true;
        });
        waitUntil(() => done, 'the helper to exit');
    }
}

function acquireValid(node, name = 'thermostat') {
    const replica = DemoReplica.ThermostatReplica.acquire(node, name);
    replica.wait_for_source(TIMEOUT_MS);
    assertEqual(replica.get_state(), Gro.ReplicaState.VALID, 'the state');
    return replica;
}

const tests = [];
function test(name, fn) {
    tests.push({name, fn});
}

test('default state', () => {
    const replica = DemoReplica.ThermostatReplica.acquire(new Gro.Node(), 'thermostat');
    assertEqual(replica instanceof Demo.Thermostat, true, 'a Demo.Thermostat');
    assertEqual(replica.get_state(), Gro.ReplicaState.DEFAULT, 'the state');
    assertEqual(replica.label, 'unnamed', 'label');
    assertEqual(replica.target, 21, 'target');
    assertEqual(replica.mode, Demo.Mode.OFF, 'mode');
});

test('generic acquire, wire values', () => {
    const replica = new Gro.Node().acquire(DemoReplica.ThermostatReplica, 'thermostat');
    assertEqual(replica instanceof DemoReplica.ThermostatReplica, true, 'the class');
    assertEqual(replica.get_state(), Gro.ReplicaState.DEFAULT, 'the state');
    DemoReplica.ThermostatReplica.register_source_methods();
    assertEqual(Gro.interface_has_methods(Demo.Thermostat.$gtype), true, 'methods registered');
    const wire = Gro.wire_from_value(21);
    assertEqual(wire.get_type_string(), 'i', 'a JS number as a GValue of int');
    assertEqual(wire.unpack(), 21, 'its value');
});

test('valid, property, write', (helper, node) => {
    const replica = acquireValid(node);
    assertEqual(replica.label, 'living room', 'label');
    let seen = null;
    replica.connect('notify::temperature', () => {
        seen = replica.temperature;
    });
    helper.command('temperature 17.5');
    waitUntil(() => seen === 17.5, 'the temperature');
    replica.target = 23;
    waitUntil(() => replica.target === 23, 'the written target');
});

test('signal', (helper, node) => {
    const replica = acquireValid(node);
    let alarm = null;
    replica.connect('alarm', (r, level, message) => {
        alarm = `${level} ${message}`;
    });
    helper.command('alarm 4 draught');
    waitUntil(() => alarm === '4 draught', 'the alarm');
});

test('methods', (helper, node) => {
    const replica = acquireValid(node);
    let result = null;
    replica.set_target_async(40, null, (r, res) => {
        result = r.set_target_finish(res);
    });
    waitUntil(() => result !== null, 'set_target');
    assertEqual(result, 30, 'the clamped target');

    let error = null;
    try {
        replica.boost(5000);
    } catch (e) {
        error = e;
    }
    assertEqual(error instanceof GLib.Error && error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.INVALID_ARGUMENT),
        true, 'boost(5000) fails with G_IO_ERROR_INVALID_ARGUMENT');
    assertEqual(replica.boost(30), true, 'boost(30)');
    waitUntil(() => replica.mode === Demo.Mode.HEAT, 'the boost');

    replica.reset();
    waitUntil(() => replica.target === 21 && replica.mode === Demo.Mode.OFF, 'the reset');
});

test('added members are ignored', (helper, node) => {
    const replica = acquireValid(node, 'extended');
    assertEqual(replica.label, 'TestExtended', 'label');
});

test('signature mismatch', (helper, node) => {
    const replica = DemoReplica.ThermostatReplica.acquire(node, 'no-methods');
    let error = null;
    try {
        replica.wait_for_source(TIMEOUT_MS);
    } catch (e) {
        error = e;
    }
    assertEqual(error instanceof GLib.Error && error.matches(Gro.Error, Gro.Error.SIGNATURE_MISMATCH),
        true, 'a signature mismatch');
    assertEqual(error.message.includes('\'boost\''), true, `the message names boost: ${error.message}`);
    assertEqual(replica.get_state(), Gro.ReplicaState.SIGNATURE_MISMATCH, 'the state');
});

print(`1..${tests.length}`);
let failures = 0;
tests.forEach(({name, fn}, index) => {
    let helper = null;
    let node = null;
    try {
        if (fn.length > 0) {
            helper = new Helper();
            node = new Gro.Node();
            node.connect_to_node(helper.url);
        }
        fn(helper, node);
        print(`ok ${index + 1} - ${name}`);
    } catch (e) {
        failures++;
        print(`not ok ${index + 1} - ${name}`);
        for (const line of `${e}\n${e.stack ?? ''}`.trim().split('\n'))
            print(`# ${line}`);
    } finally {
        node?.run_dispose();
        helper?.close();
    }
});
System.exit(failures > 0 ? 1 : 0);
