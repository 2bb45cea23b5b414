#!/usr/bin/python3
# typed_source.py: a DemoThermostat written in Python, shared as
# "thermostat", for the typed tests: the same behaviour and the same helper
# protocol as typed-test-source (which see), so that typed replicas can be
# checked against a source in either language.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import math
import sys

import gi
gi.require_version('Gro', '1.0')
gi.require_version('Demo', '1.0')
gi.require_version('DemoReplica', '1.0')
from gi.repository import Demo, DemoReplica, Gio, GLib, GObject, Gro  # noqa: E402


class PyThermostat(GObject.Object, Demo.Thermostat):
    temperature = GObject.Property(type=float, default=20.0, flags=GObject.ParamFlags.READABLE)
    target = GObject.Property(type=float, default=21.0)
    mode = GObject.Property(type=Demo.Mode, default=Demo.Mode.OFF)
    label = GObject.Property(type=str, default='living room')

    def set_temperature(self, value):
        self._temperature = value
        self.notify('temperature')

    @temperature.getter
    def temperature(self):
        return getattr(self, '_temperature', 20.0)

    def do_reset(self):
        self.target = 21.0
        self.mode = Demo.Mode.OFF

    def do_boost(self, seconds):
        if seconds == 0 or seconds > 3600:
            raise GLib.Error.new_literal(Gio.io_error_quark(),
                                         'A boost lasts from 1 to 3600 seconds, not %d' % seconds,
                                         Gio.IOErrorEnum.INVALID_ARGUMENT)
        self.mode = Demo.Mode.HEAT
        return True

    def do_set_target_async(self, target, cancellable, callback, user_data):
        # PyGObject hands the vfunc a callback with its user_data bound:
        # the task calls it with the source and the result only.
        task = Gio.Task.new(self, cancellable, lambda obj, res, *_: callback(obj, res))
        if math.isnan(target):
            task.return_error(GLib.Error.new_literal(Gio.io_error_quark(),
                                                     'The target must be a number',
                                                     Gio.IOErrorEnum.INVALID_ARGUMENT))
            return
        self.target = min(max(target, 5.0), 30.0)
        task.return_value(self.target)

    def do_set_target_finish(self, result):
        return result.propagate_value()[1]


def main():
    DemoReplica.ThermostatReplica.register_source_methods()
    host = Gro.Host.new('tcp://127.0.0.1:0')
    thermostat = PyThermostat()
    host.enable_remoting(thermostat, 'thermostat')
    print(host.get_url())
    print('READY', flush=True)

    loop = GLib.MainLoop()
    stdin = Gio.DataInputStream.new(Gio.UnixInputStream.new(0, False))

    def on_line(stream, result):
        line, _ = stream.read_line_finish_utf8(result)
        if line is None:
            loop.quit()
            return
        words = line.split(' ', 2)
        if words[0] == 'temperature':
            thermostat.set_temperature(float(words[1]))
        elif words[0] == 'alarm':
            thermostat.emit('alarm', int(words[1]), words[2])
        elif words[0] == 'quit':
            loop.quit()
        else:
            print('ERROR unknown command: %s' % line, flush=True)
            stream.read_line_async(GLib.PRIORITY_DEFAULT, None, on_line)
            return
        print('OK', flush=True)
        stream.read_line_async(GLib.PRIORITY_DEFAULT, None, on_line)

    stdin.read_line_async(GLib.PRIORITY_DEFAULT, None, on_line)
    loop.run()
    host.run_dispose()


if __name__ == '__main__':
    sys.exit(main())
