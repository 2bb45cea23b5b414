// thermostat-replica.js: a live replica of the thermostat, in GJS
//
//   gjs -m thermostat-replica.js [--url URL] [--name LABEL] [--set-target T]
//                                [--boost N] [--seconds N]
//
// The GJS twin of examples/thermostat/thermostat-replica.c. It connects to
// the host at URL (default local:gro-thermostat), acquires the source
// "thermostat" as a dynamic replica, prints its values, then prints every
// change and every alarm the source pushes. With --set-target it writes the
// target temperature, with --boost it calls the source's "boost" method and
// prints the reply (after the write, when both are given). Each line starts
// with LABEL, so that the output of several replicas can be told apart.
//
// The replica's class is built at run time from the schema the host sends;
// in GJS its properties are plain JS properties (replica.temperature,
// replica.targetTemperature), its signals are connected with connect(), and
// the GJS module adds promises: connectToNode(), acquireDynamic(), call()
// and writeProperty().
//
// If the host goes away the replica keeps its last values, in the state
// SUSPECT, and this program reconnects every second until it is back.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import System from 'system';

// The GJS module, from the source tree. An installed application imports
// it by its installed path instead (see doc/gjs.md).
import Gro from '../../bindings/gjs/gro.js';

const SOURCE_NAME = 'thermostat';

// The properties this program shows, in this order.
const SHOWN_PROPERTIES = ['temperature', 'target-temperature', 'mode', 'heater-on'];

// The thermostat's modes. The C source's "mode" is an enumeration whose
// nicks GJS cannot read (its type is in no typelib), the GJS source's a
// gint; both have these values.
const MODE_NICKS = ['off', 'heat', 'cool'];

function usage(message) {
    printerr(`${message}\nUsage: thermostat-replica.js [--url URL] [--name LABEL] ` +
             '[--set-target T] [--boost N] [--seconds N]');
    System.exit(2);
}

function parseArgs(args) {
    const options = {url: 'local:gro-thermostat', label: 'replica', boost: null,
        setTarget: null, seconds: 0};
    for (let i = 0; i < args.length; i++) {
        const [flag, inline] = args[i].split(/=(.*)/s);
        const value = () => inline ?? args[++i] ?? usage(`${flag} needs a value`);
        switch (flag) {
        case '--url':
            options.url = value();
            break;
        case '--name':
            options.label = value();
            break;
        case '--boost':
            options.boost = Number.parseInt(value(), 10);
            break;
        case '--set-target':
            options.setTarget = Number.parseFloat(value());
            break;
        case '--seconds':
            options.seconds = Number.parseInt(value(), 10);
            break;
        default:
            usage(`Unknown argument ${args[i]}`);
        }
    }
    if ([options.boost, options.setTarget, options.seconds].some(n => Number.isNaN(n)))
        usage('--boost, --set-target and --seconds take numbers');
    return options;
}

const options = parseArgs(ARGV);
const loop = new GLib.MainLoop(null, false);
const cancellable = new Gio.Cancellable();
const node = Gro.Node.new();
let replica = null;
let status = 0;
let connectedOnce = false;
let reconnecting = false;
let reconnectId = 0;

function say(message) {
    print(`[${options.label}] ${message}`);
}

function quit(exitStatus) {
    status = Math.max(status, exitStatus);
    cancellable.cancel();
    loop.quit();
}

function isCancelled(error) {
    return error instanceof GLib.Error &&
        error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED);
}

// Formats a property of the replica by its type.
function formatProperty(name) {
    const value = replica[name];
    switch (typeof value) {
    case 'number':
        return name === 'mode' ? MODE_NICKS[value] ?? String(value) : `${value.toFixed(1)} C`;
    case 'boolean':
        return value ? 'on' : 'off';
    default:
        return String(value);
    }
}

function stateNick(state) {
    return Object.keys(Gro.ReplicaState).find(key => Gro.ReplicaState[key] === state)
        ?.toLowerCase().replace(/_/g, '-') ?? String(state);
}

async function act() {
    if (options.setTarget !== null) {
        say(`writing target-temperature = ${options.setTarget.toFixed(1)}`);
        // replica.targetTemperature = T sends the same write, and is all most
        // code needs. writeProperty() also says whether the source took the
        // value, and when: the boost call waits for that. Either way, the
        // replica's value changes when the source's change comes back, as for
        // every other replica.
        try {
            await replica.writeProperty('target-temperature', options.setTarget, {cancellable});
            say('the source took the write');
        } catch (error) {
            if (isCancelled(error))
                return;
            say(`the source refused the write: ${error.message}`);
        }
    }

    if (options.boost !== null) {
        say(`calling boost (${options.boost})`);
        try {
            // A string result comes back as a JS string (or null).
            const reply = await replica.callv('boost', [options.boost], {cancellable});
            say(`boost replied: ${reply ?? '(nothing)'}`);
        } catch (error) {
            if (!isCancelled(error)) {
                say(`boost failed: ${error.message} ` +
                    `(${GLib.quark_to_string(error.domain)}, code ${error.code})`);
            }
        }
    }
}

async function acquire() {
    try {
        replica = await node.acquireDynamic(SOURCE_NAME, {cancellable});
    } catch (error) {
        if (!isCancelled(error)) {
            say(`cannot acquire '${SOURCE_NAME}': ${error.message}`);
            quit(1);
        }
        return;
    }

    say(`acquired '${SOURCE_NAME}', a ${replica.get_type_name()}`);

    // The replica is valid: its class has the source's properties and
    // signals, and they hold the source's values.
    for (const name of SHOWN_PROPERTIES) {
        if (GObject.Object.find_property.call(replica.constructor, name) === null) {
            say(`the source has no property '${name}'`);
            continue;
        }
        say(`${name} = ${formatProperty(name)}`);
        replica.connect(`notify::${name}`, () => say(`${name} -> ${formatProperty(name)}`));
    }

    replica.connect('alarm', (self, message, temperature) => {
        say(`ALARM ${message} (${temperature.toFixed(1)} C)`);
    });
    replica.connect('state-changed', (self, state, oldState) => {
        let why = '';
        if (state === Gro.ReplicaState.SUSPECT)
            why = ' (source gone; values are the last known)';
        else if (state === Gro.ReplicaState.VALID && oldState === Gro.ReplicaState.SUSPECT)
            why = ' (in step with the source again)';
        say(`state ${stateNick(oldState)} -> ${stateNick(state)}${why}`);
    });

    await act();
}

function scheduleReconnect() {
    if (reconnectId === 0 && !cancellable.is_cancelled()) {
        reconnectId = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 1, () => {
            reconnectId = 0;
            tryConnect();
            return GLib.SOURCE_REMOVE;
        });
    }
}

async function tryConnect() {
    try {
        await node.connectToNode(options.url, {cancellable});
    } catch (error) {
        if (isCancelled(error))
            return;
        if (!connectedOnce) {
            say(error.message);
            quit(1);
            return;
        }
        // Said once, not every second.
        if (!reconnecting)
            say(`reconnecting to ${options.url}...`);
        reconnecting = true;
        scheduleReconnect();
        return;
    }

    if (connectedOnce) {
        // The node finds the source on the new connection by itself and
        // brings the same replica back in step: nothing to acquire again.
        say(`reconnected to ${options.url}`);
        reconnecting = false;
        return;
    }

    connectedOnce = true;
    say(`connected to ${options.url}`);
    await acquire();
}

node.connect('connection-closed', (self, address, error) => {
    say(`connection to ${address} closed: ${error ? error.message : 'by this side'}`);
    scheduleReconnect();
});

const stopOnSignal = () => {
    quit(0);
    return GLib.SOURCE_CONTINUE;
};
const sigintId = GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 2, stopOnSignal);
const sigtermId = GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 15, stopOnSignal);
if (options.seconds > 0) {
    GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, options.seconds, () => {
        quit(0);
        return GLib.SOURCE_REMOVE;
    });
}

tryConnect().catch(error => {
    logError(error);
    quit(1);
});
loop.run();

GLib.source_remove(sigintId);
GLib.source_remove(sigtermId);
if (reconnectId !== 0)
    GLib.source_remove(reconnectId);
System.exit(status);
