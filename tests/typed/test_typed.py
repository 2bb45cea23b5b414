# test_typed.py: the typed replica gro-compiler made, from Python
#
# DemoReplica (the generated library's typelib) and Demo (the interface's)
# against typed-test-source ($GRO_TEST_SOURCE). Every wait is bounded.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import math
import os
import sys

import pytest

import gi
gi.require_version('Gro', '1.0')
gi.require_version('Demo', '1.0')
gi.require_version('DemoReplica', '1.0')
from gi.repository import Demo, DemoReplica, Gio, GLib, GObject, Gro  # noqa: E402

from gro_helper import Helper, wait_until  # noqa: E402

TIMEOUT_MS = 10000


PYTHON_SOURCE = [sys.executable, os.path.join(os.path.dirname(__file__), 'typed_source.py')]


# The source in C (typed-test-source), or written in Python: typed replicas
# work the same against either.
@pytest.fixture(params=['c', 'python'])
def helper(request):
    h = Helper(argv=PYTHON_SOURCE if request.param == 'python' else None)
    yield h
    h.close()


@pytest.fixture
def c_helper():
    h = Helper()
    yield h
    h.close()


@pytest.fixture
def c_node(c_helper):
    n = Gro.Node()
    n.connect_to_node(c_helper.url)
    yield n
    n.run_dispose()


@pytest.fixture
def node(helper):
    n = Gro.Node()
    n.connect_to_node(helper.url)
    yield n
    n.run_dispose()


def acquire_valid(node, name='thermostat'):
    replica = DemoReplica.ThermostatReplica.acquire(node, name)
    assert replica.wait_for_source(TIMEOUT_MS)
    assert replica.get_state() == Gro.ReplicaState.VALID
    return replica


def test_default_state():
    node = Gro.Node()
    replica = DemoReplica.ThermostatReplica.acquire(node, 'thermostat')
    assert isinstance(replica, Demo.Thermostat)
    assert isinstance(replica, Gro.Replica)
    assert replica.get_state() == Gro.ReplicaState.DEFAULT
    assert replica.props.label == 'unnamed'
    assert replica.props.target == 21.0
    assert replica.props.mode == Demo.Mode.OFF


def test_valid_and_property(helper, node):
    replica = acquire_valid(node)
    assert replica.props.label == 'living room'
    seen = []
    replica.connect('notify::temperature', lambda r, p: seen.append(r.props.temperature))
    helper.command('temperature 18.25')
    wait_until(lambda: seen == [18.25], 'the temperature change')

    replica.props.target = 24.0
    wait_until(lambda: replica.props.target == 24.0, 'the written target')
    replica.props.mode = Demo.Mode.COOL
    wait_until(lambda: replica.props.mode == Demo.Mode.COOL, 'the written mode')


def test_signal(helper, node):
    replica = acquire_valid(node)
    alarms = []
    replica.connect('alarm', lambda r, level, message: alarms.append((level, message)))
    helper.command('alarm 2 frost')
    wait_until(lambda: alarms == [(2, 'frost')], 'the alarm')


def test_async_method(node):
    replica = acquire_valid(node)
    outcome = []

    def done(obj, result):
        try:
            outcome.append(obj.set_target_finish(result))
        except GLib.Error as e:
            outcome.append(e)

    replica.set_target_async(40.0, None, done)
    wait_until(lambda: outcome, 'set_target')
    assert outcome.pop() == 30.0

    replica.set_target_async(math.nan, None, done)
    wait_until(lambda: outcome, 'set_target(nan)')
    error = outcome.pop()
    assert isinstance(error, GLib.Error)
    assert error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.INVALID_ARGUMENT)
    assert error.message == 'The target must be a number'


def test_blocking_and_void_methods(node):
    replica = acquire_valid(node)
    with pytest.raises(GLib.Error) as info:
        replica.boost(5000)
    assert info.value.message == 'A boost lasts from 1 to 3600 seconds, not 5000'
    assert replica.boost(60) is True
    wait_until(lambda: replica.props.mode == Demo.Mode.HEAT, 'the boost')

    replica.props.target = 26.0
    wait_until(lambda: replica.props.target == 26.0, 'the written target')
    replica.reset()
    wait_until(lambda: replica.props.target == 21.0, 'the reset')


def test_added_members_ignored(c_node):
    node = c_node
    replica = acquire_valid(node, 'extended')
    assert replica.props.label == 'TestExtended'


def test_mismatch(c_node):
    node = c_node
    replica = DemoReplica.ThermostatReplica.acquire(node, 'retyped')
    with pytest.raises(GLib.Error) as info:
        replica.wait_for_source(TIMEOUT_MS)
    assert info.value.matches(Gro.error_quark(), Gro.Error.SIGNATURE_MISMATCH)
    assert "'target'" in info.value.message
    assert replica.get_state() == Gro.ReplicaState.SIGNATURE_MISMATCH


def test_same_code_for_local_and_remote(node):
    def describe(thermostat):
        return (thermostat.props.label, thermostat.props.target)

    replica = acquire_valid(node)
    local = Demo.SimThermostat.new('living room')
    assert describe(local) == describe(replica)


def test_generic_acquire_and_registration():
    # What the generated acquire wraps: Gro.Node.acquire with the class.
    replica = Gro.Node().acquire(DemoReplica.ThermostatReplica, 'thermostat')
    assert isinstance(replica, DemoReplica.ThermostatReplica)
    assert replica.get_state() == Gro.ReplicaState.DEFAULT
    DemoReplica.ThermostatReplica.register_source_methods()
    assert Gro.interface_has_methods(Demo.Thermostat.__gtype__)
    assert not Gro.interface_has_methods(Gio.ListModel.__gtype__)


def test_wire_values():
    wire = Gro.wire_from_value(GObject.Value(GObject.TYPE_DOUBLE, 21.5))
    assert wire.get_type_string() == 'd' and wire.unpack() == 21.5
    wire = Gro.wire_from_value(GObject.Value(GObject.TYPE_STRING, None))
    assert wire.get_type_string() == 'ms' and wire.unpack() is None

    out = GObject.Value(GObject.TYPE_INT)
    assert Gro.wire_to_value(GLib.Variant('i', -9), out)
    assert out.get_value() == -9
    with pytest.raises(GLib.Error) as info:
        Gro.wire_to_value(GLib.Variant('x', 1), out)
    assert info.value.matches(Gro.error_quark(), Gro.Error.INVALID_ARGS)
