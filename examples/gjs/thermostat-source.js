// thermostat-source.js: a simulated thermostat, shared with gro, in GJS
//
//   gjs -m thermostat-source.js [URL] [--seconds N] [--temperature T]
//
// The GJS twin of examples/thermostat/thermostat-source.c: it shares a
// DemoThermostat under the name "thermostat" on URL (default
// local:gro-thermostat), prints the addresses it listens on, then the
// thermostat's state each time it changes. The C replica and
// thermostat-replica.js work with either source.
//
// One difference: GJS cannot register an enumeration type, so "mode" is a
// gint here (0 off, 1 heat, 2 cool, the values of the C source's
// DemoThermostatMode), and a replica sees a number where the C source's
// replicas see an enumeration.
//
// It stops on SIGINT or SIGTERM, or after N seconds with --seconds.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import System from 'system';

// The GJS module, from the source tree. An installed application imports
// it by its installed path instead (see doc/gjs.md).
import Gro, * as GroJs from '../../bindings/gjs/gro.js';

// ------------------------------------------------------------------------
// DemoThermostat: an ordinary GObject. Nothing in it knows about gro, except
// the error its boost method throws, which catchErrors() makes the reply.

const Mode = Object.freeze({OFF: 0, HEAT: 1, COOL: 2});
const MODE_NICKS = ['off', 'heat', 'cool'];

// Errors of the thermostat's methods, in the domain the C source uses:
// replicas receive them by the domain's name, with their code.
const DEMO_THERMOSTAT_ERROR = GLib.quark_from_string('demo-thermostat-error-quark');
const DEMO_THERMOSTAT_ERROR_INVALID_DURATION = 0;

const TARGET_MIN = 5.0;
const TARGET_MAX = 35.0;
const TARGET_DEFAULT = 20.0;
const AMBIENT = 18.0;         // where the room drifts when left alone
const TICK_MS = 500;
const HEAT_STEP = 0.5;        // degrees per tick, heater or cooler on
const LEAK = 0.02;            // share of the gap to AMBIENT lost per tick
const NOISE = 0.08;
const HYSTERESIS = 0.5;
const ALARM_HIGH = 30.0;
const ALARM_LOW = 10.0;
const ALARM_REARM = 0.5;
const BOOST_STEP = 2.0;
const BOOST_MAX_MINUTES = 120;

const Alarm = Object.freeze({NONE: 0, HOT: 1, COLD: 2});

const clamp = (value, min, max) => Math.min(Math.max(value, min), max);

const READABLE = GObject.ParamFlags.READABLE | GObject.ParamFlags.EXPLICIT_NOTIFY;
const WRITABLE = GObject.ParamFlags.READWRITE | GObject.ParamFlags.EXPLICIT_NOTIFY;
const ACTION = GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION;

const DemoThermostat = GObject.registerClass({
    GTypeName: 'DemoThermostat',
    Properties: {
        // The measured temperature, in °C.
        'temperature': GObject.ParamSpec.double('temperature', null, null, READABLE,
            -50.0, 100.0, AMBIENT),
        // The temperature to reach, in °C. A replica's write outside the
        // range is refused by gro before the object sees it.
        'target-temperature': GObject.ParamSpec.double('target-temperature', null, null,
            WRITABLE, TARGET_MIN, TARGET_MAX, TARGET_DEFAULT),
        // Whether the thermostat heats (1), cools (2), or does neither (0).
        'mode': GObject.ParamSpec.int('mode', null, null, WRITABLE,
            Mode.OFF, Mode.COOL, Mode.HEAT),
        // Whether the heater runs now; follows from the other properties.
        'heater-on': GObject.ParamSpec.boolean('heater-on', null, null, READABLE, false),
    },
    Signals: {
        // Emitted when the temperature rises above 30 °C or falls below
        // 10 °C. A plain signal: replicas receive it with its arguments.
        'alarm': {param_types: [GObject.TYPE_STRING, GObject.TYPE_DOUBLE]},
        // Raises the target by 2 °C for some minutes, 1 to 120. An action
        // signal: replicas call it as a method, and receive its return value
        // as the reply.
        'boost': {flags: ACTION, param_types: [GObject.TYPE_INT], return_type: GObject.TYPE_STRING},
        // Ends a boost and goes back to heating to 20 °C.
        'reset': {flags: ACTION},
    },
}, GroJs.catchErrors(class DemoThermostat extends GObject.Object {
    constructor(temperature = AMBIENT) {
        super();
        this._temperature = Math.round(clamp(temperature, -50.0, 100.0) * 10.0) / 10.0;
        this._target = TARGET_DEFAULT;
        this._mode = Mode.HEAT;
        this._heaterOn = false;
        this._coolerOn = false;
        this._alarm = Alarm.NONE;
        this._boostId = 0;
        this._targetBeforeBoost = TARGET_DEFAULT;
        this._updateHeater();
        this._tickId = GLib.timeout_add(GLib.PRIORITY_DEFAULT, TICK_MS, () => {
            this._tick();
            return GLib.SOURCE_CONTINUE;
        });
    }

    get temperature() {
        return this._temperature;
    }

    get target_temperature() {
        return this._target;
    }

    set target_temperature(value) {
        // Someone chose a target: that ends a boost.
        this._endBoost();
        this._setTarget(value);
    }

    get mode() {
        return this._mode;
    }

    set mode(value) {
        if (this._mode === value)
            return;
        this._mode = value;
        this.notify('mode');
    }

    get heater_on() {
        return this._heaterOn;
    }

    get boosting() {
        return this._boostId !== 0;
    }

    stop() {
        if (this._tickId !== 0)
            GLib.source_remove(this._tickId);
        this._tickId = 0;
        this._endBoost();
    }

    _setTarget(target) {
        target = clamp(target, TARGET_MIN, TARGET_MAX);
        if (this._target === target)
            return;
        this._target = target;
        this.notify('target-temperature');
    }

    // The heater and the cooler switch with some hysteresis, as real ones
    // do, so they do not chatter around the target. Like a real controller,
    // this runs once per cycle (a tick), not on every change of the settings.
    _updateHeater() {
        let heaterOn = this._heaterOn;
        const t = this._temperature;

        if (this._mode !== Mode.HEAT)
            heaterOn = false;
        else if (t < this._target - HYSTERESIS)
            heaterOn = true;
        else if (t >= this._target)
            heaterOn = false;

        if (this._mode !== Mode.COOL)
            this._coolerOn = false;
        else if (t > this._target + HYSTERESIS)
            this._coolerOn = true;
        else if (t <= this._target)
            this._coolerOn = false;

        if (this._heaterOn !== heaterOn) {
            this._heaterOn = heaterOn;
            this.notify('heater-on');
        }
    }

    // An alarm is raised once per excursion: it re-arms only when the
    // temperature is back inside the range by ALARM_REARM, so sensor noise at
    // a limit does not repeat it.
    _checkAlarm() {
        const t = this._temperature;

        if (this._alarm !== Alarm.HOT && t > ALARM_HIGH) {
            this._alarm = Alarm.HOT;
            this.emit('alarm', 'too hot: above 30 C', t);
        } else if (this._alarm !== Alarm.COLD && t < ALARM_LOW) {
            this._alarm = Alarm.COLD;
            this.emit('alarm', 'too cold: below 10 C', t);
        } else if (t < ALARM_HIGH - ALARM_REARM && t > ALARM_LOW + ALARM_REARM) {
            this._alarm = Alarm.NONE;
        }
    }

    _tick() {
        let t = this._temperature;

        if (this._heaterOn)
            t += HEAT_STEP;
        else if (this._coolerOn)
            t -= HEAT_STEP;
        else
            t += (AMBIENT - t) * LEAK;
        t += GLib.random_double_range(-NOISE, NOISE);

        // The sensor's resolution: a change below it is no change, and sends
        // nothing to the replicas.
        t = Math.round(t * 10.0) / 10.0;

        if (t !== this._temperature) {
            this._temperature = t;
            this.notify('temperature');
        }
        this._updateHeater();
        this._checkAlarm();
    }

    _endBoost() {
        if (this._boostId !== 0)
            GLib.source_remove(this._boostId);
        this._boostId = 0;
    }

    // The "boost" method. Its return value is the reply the caller
    // receives; the GLib.Error it throws is the caller's error.
    on_boost(minutes) {
        if (minutes <= 0 || minutes > BOOST_MAX_MINUTES) {
            throw new GLib.Error(DEMO_THERMOSTAT_ERROR, DEMO_THERMOSTAT_ERROR_INVALID_DURATION,
                `Cannot boost for ${minutes} minutes: allowed are 1 to ${BOOST_MAX_MINUTES}`);
        }

        // A second boost extends the first, from the target before either.
        if (this._boostId === 0)
            this._targetBeforeBoost = this._target;
        this._endBoost();

        const boostTarget = clamp(this._targetBeforeBoost + BOOST_STEP, TARGET_MIN, TARGET_MAX);
        this._boostId = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, minutes * 60, () => {
            this._boostId = 0;
            this._setTarget(this._targetBeforeBoost);
            return GLib.SOURCE_REMOVE;
        });
        this._setTarget(boostTarget);

        return `boosting to ${boostTarget.toFixed(1)} C for ${minutes} minutes`;
    }

    on_reset() {
        this._endBoost();
        this._setTarget(TARGET_DEFAULT);
        this.mode = Mode.HEAT;
    }
}));

// ------------------------------------------------------------------------
// The program

function usage(message) {
    printerr(`${message}\nUsage: thermostat-source.js [URL] [--seconds N] [--temperature T]`);
    System.exit(2);
}

function parseArgs(args) {
    const options = {url: 'local:gro-thermostat', seconds: 0, temperature: AMBIENT};
    const positional = [];
    for (let i = 0; i < args.length; i++) {
        const [flag, inline] = args[i].split(/=(.*)/s);
        const value = () => inline ?? args[++i] ?? usage(`${flag} needs a value`);
        if (flag === '--seconds')
            options.seconds = Number.parseInt(value(), 10);
        else if (flag === '--temperature')
            options.temperature = Number.parseFloat(value());
        else if (flag.startsWith('--'))
            usage(`Unknown option ${flag}`);
        else
            positional.push(args[i]);
    }
    if (positional.length > 1)
        usage('Too many arguments');
    if (positional.length === 1)
        options.url = positional[0];
    if (!Number.isFinite(options.seconds) || !Number.isFinite(options.temperature))
        usage('--seconds and --temperature take numbers');
    return options;
}

const options = parseArgs(ARGV);
const loop = new GLib.MainLoop(null, false);
const thermostat = new DemoThermostat(options.temperature);

let host;
try {
    host = Gro.Host.new(options.url);
    host.enable_remoting(thermostat, 'thermostat');
} catch (e) {
    printerr(e.message);
    System.exit(1);
}

for (const url of host.dup_urls())
    print(`sharing 'thermostat' on ${url}`);

function printState() {
    print(`temperature ${thermostat.temperature.toFixed(1)} C, ` +
          `target ${thermostat.target_temperature.toFixed(1)} C, ` +
          `mode ${MODE_NICKS[thermostat.mode]}, heater ${thermostat.heater_on ? 'on' : 'off'}` +
          `${thermostat.boosting ? ' (boost)' : ''}`);
}
printState();

// Several properties may change at once: print them once, afterwards.
let printId = 0;
thermostat.connect('notify', () => {
    if (printId === 0) {
        printId = GLib.idle_add(GLib.PRIORITY_DEFAULT_IDLE, () => {
            printId = 0;
            printState();
            return GLib.SOURCE_REMOVE;
        });
    }
});
thermostat.connect('alarm', (self, message, temperature) => {
    print(`ALARM ${message} (${temperature.toFixed(1)} C)`);
});
// Runs before the class handler, so it sees every call, refused or not. It
// returns nothing of its own: the class handler, which runs last, makes the
// reply.
thermostat.connect('boost', (self, minutes) => {
    const invocation = Gro.Invocation.get_current();
    print(`boost (${minutes}) called by ` +
          `${invocation ? invocation.get_peer_address() : 'this process'}`);
});

const stopOnSignal = () => {
    print('stopping');
    loop.quit();
    return GLib.SOURCE_CONTINUE;
};
const sigintId = GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 2, stopOnSignal);
const sigtermId = GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 15, stopOnSignal);
if (options.seconds > 0) {
    GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, options.seconds, () => {
        print('time is up, stopping');
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
}

loop.run();

GLib.source_remove(sigintId);
GLib.source_remove(sigtermId);
thermostat.stop();

// The host goes first: it closes the replicas' connections and removes its
// socket file. The garbage collector would get to it at some point; dispose
// does it now.
host.run_dispose();
