#!/usr/bin/python3
# typed-replica.py: the typed thermostat replica from Python
#
#   typed-replica.py URL
#
# DemoReplica.ThermostatReplica is a Demo.Thermostat: its properties,
# signal and methods are the interface's.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

import gi
gi.require_version('Gro', '1.0')
gi.require_version('Demo', '1.0')
gi.require_version('DemoReplica', '1.0')
from gi.repository import GLib, Gro, DemoReplica  # noqa: E402

node = Gro.Node()
thermostat = DemoReplica.ThermostatReplica.acquire(node, 'thermostat')
node.connect_to_node(sys.argv[1])
thermostat.wait_for_source(5000)
print('[python] %s: %.1f C, target %.1f C' % (thermostat.props.label,
                                               thermostat.props.temperature,
                                               thermostat.props.target), flush=True)

loop = GLib.MainLoop()


def on_alarm(thermostat, level, message):
    print('[python] alarm %d: %s' % (level, message), flush=True)
    loop.quit()


def on_target_set(thermostat, result):
    print('[python] set_target replied: %.1f C' % thermostat.set_target_finish(result), flush=True)


thermostat.connect('alarm', on_alarm)
thermostat.set_target_async(12.5, None, on_target_set)
GLib.timeout_add_seconds(5, loop.quit)
loop.run()
