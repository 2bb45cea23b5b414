#!/usr/bin/python3
# thermostat_replica.py: a live replica of the thermostat, in Python
#
#   thermostat_replica.py [--url URL] [--name LABEL] [--set-target T]
#                         [--boost N] [--seconds N]
#
# The Python twin of examples/thermostat/thermostat-replica.c: connects to
# the host at URL (default local:gro-thermostat), acquires the source
# "thermostat" as a dynamic replica, prints its values, then every change and
# every alarm the source pushes. With --set-target it writes the target
# temperature, with --boost it calls the source's "boost" method and prints
# the reply (after the write, when both are given). Each line starts with
# LABEL. It works with the C source (thermostat-source) and the Python one
# (thermostat_source.py).
#
# If the host goes away the replica keeps its last values, in the state
# SUSPECT; the node reconnects by itself, with a growing delay, and the
# replica is in step again once the host is back.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import signal
import sys

import gi
gi.require_version('Gro', '1.0')
from gi.repository import Gio, GLib, GObject, Gro  # noqa: E402

SOURCE_NAME = 'thermostat'

# The properties this program shows, in this order.
SHOWN_PROPERTIES = ('temperature', 'target-temperature', 'mode', 'heater-on')


def is_cancelled(error):
    return error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


class App:
    def __init__(self, args):
        self.args = args
        self.loop = GLib.MainLoop()
        self.cancellable = Gio.Cancellable()
        self.node = Gro.Node.new()
        self.replica = None
        self.status = 0
        self.node.connect('connection-closed', self.on_connection_closed)

    def say(self, message):
        # One write per line, so that the lines of several programs sharing
        # a terminal or a pipe do not mix.
        sys.stdout.write('[%s] %s\n' % (self.args.name, message))
        sys.stdout.flush()

    def quit(self, status):
        self.status = max(self.status, status)
        self.cancellable.cancel()
        self.loop.quit()

    # ---- showing the replica

    def format_property(self, name):
        """A property of the replica, by its type. The replica's "mode" is
        of an enumeration gro made from the source's schema, with its nicks."""
        value = self.replica.get_property(name)
        if isinstance(value, bool):
            return 'on' if value else 'off'
        if isinstance(value, float):
            return '%.1f C' % value
        if isinstance(value, GObject.GEnum):
            return value.value_nick
        return str(value)

    def on_property_changed(self, replica, pspec):
        self.say('%s -> %s' % (pspec.name, self.format_property(pspec.name)))

    def on_alarm(self, replica, message, temperature):
        self.say('ALARM %s (%.1f C)' % (message, temperature))

    def on_state_changed(self, replica, state, old_state):
        why = ''
        if state == Gro.ReplicaState.SUSPECT:
            why = ' (source gone; values are the last known)'
        elif state == Gro.ReplicaState.VALID and old_state == Gro.ReplicaState.SUSPECT:
            why = ' (in step with the source again)'
        self.say('state %s -> %s%s' % (old_state.value_nick, state.value_nick, why))

    # ---- acting on it

    def call_boost(self):
        if self.args.boost is None:
            return
        self.say('calling boost (%d)' % self.args.boost)
        # The override's call_async(): Python arguments, and a callback that
        # gets the method's return value or the error.
        self.replica.call_async('boost', self.args.boost, callback=self.on_boost_done,
                                cancellable=self.cancellable)

    def on_boost_done(self, replica, reply, error):
        if error is not None:
            if not is_cancelled(error):
                self.say('boost failed: %s (%s, code %d)' % (error.message, error.domain,
                                                            error.code))
            return
        self.say('boost replied: %s' % (reply if reply is not None else '(nothing)'))

    def on_write_done(self, replica, result):
        try:
            replica.write_property_finish(result)
            self.say('the source took the write')
        except GLib.Error as error:
            if is_cancelled(error):
                return
            self.say('the source refused the write: %s' % error.message)
        self.call_boost()

    def act(self):
        if self.args.set_target is None:
            self.call_boost()
            return
        self.say('writing target-temperature = %.1f' % self.args.set_target)
        # replica.props.target_temperature = t sends the same write, and is
        # all most code needs. This form also says whether the source took
        # the value, and when: the boost call waits for that. Either way,
        # the replica's value changes when the source's change comes back.
        self.replica.write_property_async('target-temperature', self.args.set_target,
                                          self.cancellable, self.on_write_done)

    # ---- connecting

    def on_acquired(self, node, result):
        try:
            self.replica = node.acquire_dynamic_finish(result)
        except GLib.Error as error:
            if not is_cancelled(error):
                self.say("cannot acquire '%s': %s" % (SOURCE_NAME, error.message))
                self.quit(1)
            return

        self.say("acquired '%s', a %s" % (SOURCE_NAME, self.replica.get_type_name()))

        # The replica is valid: its class has the source's properties and
        # signals, and they hold the source's values.
        for name in SHOWN_PROPERTIES:
            if self.replica.find_property(name) is None:
                self.say("the source has no property '%s'" % name)
                continue
            self.say('%s = %s' % (name, self.format_property(name)))
            self.replica.connect('notify::' + name, self.on_property_changed)

        self.replica.connect('alarm', self.on_alarm)
        self.replica.connect('state-changed', self.on_state_changed)
        self.act()

    def on_connected(self, node, result):
        try:
            node.connect_to_node_finish(result)
        except GLib.Error as error:
            if not is_cancelled(error):
                self.say(error.message)
                self.quit(1)
            return

        self.say('connected to %s' % self.args.url)
        node.acquire_dynamic_async(SOURCE_NAME, self.cancellable, self.on_acquired)

    def on_connection_closed(self, node, address, error):
        self.say('connection to %s closed: %s'
                 % (address, error.message if error is not None else 'by this side'))

    def run(self):
        def on_quit_signal():
            self.quit(0)
            return GLib.SOURCE_CONTINUE

        def on_time_up():
            self.quit(0)
            return GLib.SOURCE_REMOVE

        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, on_quit_signal)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, on_quit_signal)
        if self.args.seconds > 0:
            GLib.timeout_add_seconds(self.args.seconds, on_time_up)

        self.node.connect_to_node_async(self.args.url, self.cancellable, self.on_connected)
        self.loop.run()

        # Nothing of ours may run while the node shuts down.
        self.node.disconnect_by_func(self.on_connection_closed)
        if self.replica is not None:
            for handler in (self.on_property_changed, self.on_alarm, self.on_state_changed):
                self.replica.disconnect_by_func(handler)
        self.replica = None
        self.node = None
        return self.status


def main(argv):
    parser = argparse.ArgumentParser(description='Watch the thermostat from another process.')
    parser.add_argument('--url', default='local:gro-thermostat',
                        help='address of the host (default local:gro-thermostat)')
    parser.add_argument('--name', default='replica',
                        help='label printed at the start of each line')
    parser.add_argument('--boost', type=int, metavar='N',
                        help='call boost (N) once the replica is valid')
    parser.add_argument('--set-target', type=float, metavar='T',
                        help='write target-temperature once the replica is valid')
    parser.add_argument('--seconds', type=int, default=0, help='exit after N seconds')
    return App(parser.parse_args(argv[1:])).run()


if __name__ == '__main__':
    sys.exit(main(sys.argv))
