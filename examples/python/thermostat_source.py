#!/usr/bin/python3
# thermostat_source.py: a simulated thermostat, shared with gro, in Python
#
#   thermostat_source.py [URL] [--seconds N] [--temperature T]
#
# The Python twin of examples/thermostat/thermostat-source.c: the same
# DemoThermostat (properties, the "alarm" signal, the "boost" and "reset"
# methods, the demo-thermostat-error-quark domain), shared under the name
# "thermostat" on URL (default local:gro-thermostat). The C replica
# (thermostat-replica) and the Python one (thermostat_replica.py) work
# with either source.
#
# It stops on SIGINT or SIGTERM, or after N seconds with --seconds.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import ctypes
import ctypes.util
import random
import signal
import sys

import gi
gi.require_version('Gro', '1.0')
from gi.repository import GLib, GObject, Gro  # noqa: E402

TARGET_MIN = 5.0
TARGET_MAX = 35.0
TARGET_DEFAULT = 20.0
AMBIENT = 18.0          # where the room drifts when left alone
TICK_MS = 500
HEAT_STEP = 0.5         # degrees per tick, heater or cooler on
LEAK = 0.02             # share of the gap to AMBIENT lost per tick
NOISE = 0.08
HYSTERESIS = 0.5
ALARM_HIGH = 30.0
ALARM_LOW = 10.0
ALARM_REARM = 0.5
BOOST_STEP = 2.0
BOOST_MAX_MINUTES = 120

# The error domain of the thermostat's methods, by name, as in C.
DEMO_THERMOSTAT_ERROR = 'demo-thermostat-error-quark'
DEMO_THERMOSTAT_ERROR_INVALID_DURATION = 0


# --------------------------------------------------------------------------
# DemoThermostatMode: an enumeration type of that name, as the C source has.
#
# PyGObject cannot register a new enumeration type (GObject.GEnum subclasses
# are not registered, and GObject.enum_register_static() takes one value,
# not an array), so this calls g_enum_register_static() through ctypes. The
# values must live as long as the process: they are kept in module globals.
# An int property would do too, but a replica would then show a number, not
# the mode's nick.

class _GEnumValue(ctypes.Structure):
    _fields_ = [('value', ctypes.c_int),
                ('value_name', ctypes.c_char_p),
                ('value_nick', ctypes.c_char_p)]


def register_enum(name, values):
    """Registers the enumeration NAME with VALUES, a list of (value, name,
    nick), unless a type of that name exists; returns its GType."""
    try:
        return GObject.type_from_name(name)
    except RuntimeError:
        pass
    array = (_GEnumValue * (len(values) + 1))(
        *[_GEnumValue(v, n.encode(), k.encode()) for v, n, k in values])
    _kept_alive.append(array)
    gobject = ctypes.CDLL(ctypes.util.find_library('gobject-2.0'))
    gobject.g_enum_register_static.restype = ctypes.c_size_t
    gobject.g_enum_register_static.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    gobject.g_enum_register_static(name.encode(), ctypes.addressof(array))
    return GObject.type_from_name(name)


_kept_alive = []

MODE_OFF, MODE_HEAT, MODE_COOL = 0, 1, 2
MODE_NICKS = {MODE_OFF: 'off', MODE_HEAT: 'heat', MODE_COOL: 'cool'}
DEMO_TYPE_THERMOSTAT_MODE = register_enum('DemoThermostatMode', [
    (MODE_OFF, 'DEMO_THERMOSTAT_MODE_OFF', 'off'),
    (MODE_HEAT, 'DEMO_THERMOSTAT_MODE_HEAT', 'heat'),
    (MODE_COOL, 'DEMO_THERMOSTAT_MODE_COOL', 'cool'),
])

ALARM_NONE, ALARM_HOT, ALARM_COLD = range(3)


# --------------------------------------------------------------------------
# DemoThermostat: an ordinary GObject. Nothing in it knows about gro, except
# Gro.returns_errors, which makes an exception the caller's error.

READABLE = GObject.ParamFlags.READABLE | GObject.ParamFlags.EXPLICIT_NOTIFY
WRITABLE = GObject.ParamFlags.READWRITE | GObject.ParamFlags.EXPLICIT_NOTIFY
ACTION = GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION


class DemoThermostat(GObject.Object):
    __gtype_name__ = 'DemoThermostat'

    # __gproperties__ rather than GObject.Property: it takes the enumeration
    # by its GType, and the properties notify only when they change, as the
    # C ones (G_PARAM_EXPLICIT_NOTIFY).
    __gproperties__ = {
        'temperature': (float, 'temperature', 'The measured temperature, in C',
                        -50.0, 100.0, AMBIENT, READABLE),
        'target-temperature': (float, 'target temperature', 'The temperature to reach, in C',
                               TARGET_MIN, TARGET_MAX, TARGET_DEFAULT, WRITABLE),
        'mode': (DEMO_TYPE_THERMOSTAT_MODE, 'mode', 'Whether it heats, cools, or neither',
                 MODE_HEAT, WRITABLE),
        'heater-on': (bool, 'heater on', 'Whether the heater runs now', False, READABLE),
    }

    __gsignals__ = {
        # A plain signal: replicas receive it with its arguments.
        'alarm': (GObject.SignalFlags.RUN_LAST, None, (str, float)),
        # Action signals: methods for replicas. The return value is the reply.
        'boost': (ACTION, str, (int,)),
        'reset': (ACTION, None, ()),
    }

    def __init__(self, temperature=AMBIENT):
        super().__init__()
        self.temperature = round(min(max(temperature, -50.0), 100.0) * 10.0) / 10.0
        self.target = TARGET_DEFAULT
        self.mode = MODE_HEAT
        self.heater_on = False
        self.cooler_on = False
        self.alarm = ALARM_NONE
        self.boost_id = 0
        self.target_before_boost = TARGET_DEFAULT
        self.update_heater()
        self.tick_id = GLib.timeout_add(TICK_MS, self.tick)

    def do_get_property(self, pspec):
        if pspec.name == 'temperature':
            return self.temperature
        if pspec.name == 'target-temperature':
            return self.target
        if pspec.name == 'mode':
            return self.mode
        if pspec.name == 'heater-on':
            return self.heater_on
        raise AttributeError(pspec.name)

    def do_set_property(self, pspec, value):
        if pspec.name == 'target-temperature':
            # Someone chose a target: that ends a boost.
            self.end_boost()
            self.set_target(value)
        elif pspec.name == 'mode':
            if self.mode != int(value):
                self.mode = int(value)
                self.notify('mode')
        else:
            raise AttributeError(pspec.name)

    def set_target(self, target):
        target = min(max(target, TARGET_MIN), TARGET_MAX)
        if self.target != target:
            self.target = target
            self.notify('target-temperature')

    # The heater and the cooler switch with some hysteresis, as real ones
    # do, once per cycle.
    def update_heater(self):
        heater_on = self.heater_on
        if self.mode != MODE_HEAT:
            heater_on = False
        elif self.temperature < self.target - HYSTERESIS:
            heater_on = True
        elif self.temperature >= self.target:
            heater_on = False

        if self.mode != MODE_COOL:
            self.cooler_on = False
        elif self.temperature > self.target + HYSTERESIS:
            self.cooler_on = True
        elif self.temperature <= self.target:
            self.cooler_on = False

        if self.heater_on != heater_on:
            self.heater_on = heater_on
            self.notify('heater-on')

    # An alarm is raised once per excursion.
    def check_alarm(self):
        t = self.temperature
        if self.alarm != ALARM_HOT and t > ALARM_HIGH:
            self.alarm = ALARM_HOT
            self.emit('alarm', 'too hot: above 30 C', t)
        elif self.alarm != ALARM_COLD and t < ALARM_LOW:
            self.alarm = ALARM_COLD
            self.emit('alarm', 'too cold: below 10 C', t)
        elif ALARM_LOW + ALARM_REARM < t < ALARM_HIGH - ALARM_REARM:
            self.alarm = ALARM_NONE

    def tick(self):
        t = self.temperature
        if self.heater_on:
            t += HEAT_STEP
        elif self.cooler_on:
            t -= HEAT_STEP
        else:
            t += (AMBIENT - t) * LEAK
        t += random.uniform(-NOISE, NOISE)
        # The sensor's resolution: a change below it is no change.
        t = round(t * 10.0) / 10.0

        if t != self.temperature:
            self.temperature = t
            self.notify('temperature')
        self.update_heater()
        self.check_alarm()
        return GLib.SOURCE_CONTINUE

    def end_boost(self):
        if self.boost_id:
            GLib.source_remove(self.boost_id)
            self.boost_id = 0

    def boost_timeout(self):
        self.boost_id = 0
        self.set_target(self.target_before_boost)
        return GLib.SOURCE_REMOVE

    # The "boost" method. Its return value is the reply the caller receives;
    # the GLib.Error it raises is the error the caller receives.
    @Gro.returns_errors
    def do_boost(self, minutes):
        if minutes <= 0 or minutes > BOOST_MAX_MINUTES:
            raise GLib.Error('Cannot boost for %d minutes: allowed are 1 to %d'
                             % (minutes, BOOST_MAX_MINUTES),
                             DEMO_THERMOSTAT_ERROR, DEMO_THERMOSTAT_ERROR_INVALID_DURATION)

        # A second boost extends the first, from the target before either.
        if not self.boost_id:
            self.target_before_boost = self.target
        self.end_boost()

        boost_target = min(max(self.target_before_boost + BOOST_STEP, TARGET_MIN), TARGET_MAX)
        self.boost_id = GLib.timeout_add_seconds(minutes * 60, self.boost_timeout)
        self.set_target(boost_target)
        return 'boosting to %.1f C for %d minutes' % (boost_target, minutes)

    def do_reset(self):
        self.end_boost()
        self.set_target(TARGET_DEFAULT)
        if self.mode != MODE_HEAT:
            self.mode = MODE_HEAT
            self.notify('mode')

    def stop(self):
        self.end_boost()
        if self.tick_id:
            GLib.source_remove(self.tick_id)
            self.tick_id = 0


# --------------------------------------------------------------------------
# The program

def say(line):
    # One write per line, so that the output of several programs sharing a
    # pipe does not mix.
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


def main(argv):
    parser = argparse.ArgumentParser(description='Share a simulated thermostat.')
    parser.add_argument('url', nargs='?', default='local:gro-thermostat',
                        help='tcp://HOST:PORT, unix:/PATH, local:NAME or unix-abstract:NAME '
                             '(default local:gro-thermostat)')
    parser.add_argument('--seconds', type=int, default=0, help='stop after N seconds')
    parser.add_argument('--temperature', type=float, default=AMBIENT,
                        help='start at T degrees C (default 18)')
    args = parser.parse_args(argv[1:])

    loop = GLib.MainLoop()
    thermostat = DemoThermostat(args.temperature)

    try:
        host = Gro.Host.new(args.url)
        host.enable_remoting(thermostat, 'thermostat')
    except GLib.Error as error:
        print(error.message, file=sys.stderr)
        return 1

    for url in host.dup_urls():
        say("sharing 'thermostat' on %s" % url)

    print_id = 0

    def print_state():
        nonlocal print_id
        print_id = 0
        say('temperature %.1f C, target %.1f C, mode %s, heater %s%s'
            % (thermostat.temperature, thermostat.target, MODE_NICKS[thermostat.mode],
               'on' if thermostat.heater_on else 'off',
               ' (boost)' if thermostat.boost_id else ''))
        return GLib.SOURCE_REMOVE

    # Several properties may change at once: print them once, afterwards.
    def on_notify(obj, pspec):
        nonlocal print_id
        if not print_id:
            print_id = GLib.idle_add(print_state)

    def on_alarm(obj, message, temperature):
        say('ALARM %s (%.1f C)' % (message, temperature))

    # Runs before the class handler, so it sees every call, refused or not;
    # the class handler, which runs last, makes the reply.
    def on_boost(obj, minutes):
        invocation = Gro.Invocation.get_current()
        say('boost (%d) called by %s'
            % (minutes, invocation.get_peer_address() if invocation else 'this process'))
        return None

    print_state()
    thermostat.connect('notify', on_notify)
    thermostat.connect('alarm', on_alarm)
    thermostat.connect('boost', on_boost)

    def on_quit_signal():
        say('stopping')
        loop.quit()
        return GLib.SOURCE_CONTINUE

    def on_time_up():
        say('time is up, stopping')
        loop.quit()
        return GLib.SOURCE_REMOVE

    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, on_quit_signal)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, on_quit_signal)
    if args.seconds > 0:
        GLib.timeout_add_seconds(args.seconds, on_time_up)

    loop.run()

    # The host goes first: it closes the replicas' connections and removes
    # its socket file.
    host.disable_remoting('thermostat')
    del host
    thermostat.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
