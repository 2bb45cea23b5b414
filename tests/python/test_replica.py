# test_replica.py: a dynamic replica, driven from Python through the typelib
#
# Each test spawns its own gro-test-source (the path is in $GRO_TEST_SOURCE),
# connects a fresh GroNode to it and works on a dynamic replica of its
# GroTestObject, shared as "test". Every wait is bounded.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import select
import subprocess
import sys
import time

import pytest

import gi
gi.require_version('Gro', '1.0')
from gi.repository import Gio, GLib, GObject, Gro  # noqa: E402

TIMEOUT = 10.0          # seconds, for any single wait
TIMEOUT_MS = int(TIMEOUT * 1000)
SOURCE_NAME = 'test'
TEST_ERROR_DOMAIN = 'gro-test-error-quark'
MODE_COOL = 7           # GRO_TEST_MODE_COOL
FLAGS_RED_BLUE = 1 | 4  # GRO_TEST_FLAGS_RED | GRO_TEST_FLAGS_BLUE


# --------------------------------------------------------------------------
# The helper process

from gro_helper import Helper, drain, wait_until  # noqa: E402


# --------------------------------------------------------------------------
# Main-context helpers: replicas notify and emit from the default context

class Outcome:
    """Collects the outcome of an async call: finish() is called in the
    callback, and its value or its GLib.Error is kept for the test."""

    def __init__(self, finish):
        self._finish = finish
        self.done = False
        self.value = None
        self.error = None

    def __call__(self, source, result, *user_data):
        try:
            self.value = self._finish(source, result)
        except GLib.Error as error:
            self.error = error
        self.done = True

    def wait(self, what='the async call'):
        wait_until(lambda: self.done, what)
        return self

    def result(self, what='the async call'):
        self.wait(what)
        if self.error is not None:
            raise self.error
        return self.value


def call_finish(replica, result):
    return replica.call_finish(result)


def write_finish(replica, result):
    return replica.write_property_finish(result)


def acquire_finish(node, result):
    return node.acquire_dynamic_finish(result)


def call(replica, method, signature=None, args=(), what=None):
    """Calls a method asynchronously and waits for the reply."""
    params = GLib.Variant(signature, args) if signature is not None else None
    outcome = Outcome(call_finish)
    replica.call_async(method, params, -1, None, outcome)
    return outcome.wait(what or 'the reply to %s' % method)


def is_gro_error(error, code):
    return error.matches(Gro.error_quark(), code)


# --------------------------------------------------------------------------
# Fixtures

@pytest.fixture
def helper():
    h = Helper()
    yield h
    h.close()


@pytest.fixture
def node(helper):
    n = Gro.Node.new()
    assert n.connect_to_node(helper.url)
    yield n
    drain()


def acquire_valid(node):
    """A replica that is valid and whose start-up notifications have all
    been delivered, so that handlers connected afterwards see only what the
    test causes."""
    replica = node.acquire_dynamic(SOURCE_NAME)
    initialized = []
    handler = replica.connect('initialized', lambda r: initialized.append(True))
    assert replica.wait_for_source(TIMEOUT_MS)
    wait_until(lambda: initialized, 'the initialized signal')
    replica.disconnect(handler)
    drain()
    return replica


@pytest.fixture
def replica(node):
    return acquire_valid(node)


# --------------------------------------------------------------------------
# Acquiring

def test_acquire_async_becomes_valid(node):
    outcome = Outcome(acquire_finish)
    node.acquire_dynamic_async(SOURCE_NAME, None, outcome)
    replica = outcome.result('acquire_dynamic_async')

    assert isinstance(replica, Gro.Replica)
    assert replica.get_state() == Gro.ReplicaState.VALID
    assert replica.props.state == Gro.ReplicaState.VALID
    assert replica.is_valid()
    assert replica.get_name() == SOURCE_NAME
    assert replica.get_node() == node
    assert replica.get_type_name() == 'GroTestObject'
    # The dynamic class is a subclass of Gro.Replica built at run time;
    # its properties are real GObject properties.
    assert type(replica) is not Gro.Replica
    assert replica.find_property('i') is not None


def test_wait_for_source_becomes_valid(node):
    replica = node.acquire_dynamic(SOURCE_NAME)
    assert replica.get_state() == Gro.ReplicaState.UNINITIALIZED
    assert not replica.is_valid()

    states = []
    changes = []
    initialized = []
    replica.connect('notify::state', lambda r, pspec: states.append(r.props.state))
    replica.connect('state-changed', lambda r, new, old: changes.append((new, old)))
    replica.connect('initialized', lambda r: initialized.append(True))

    assert replica.wait_for_source(TIMEOUT_MS) is True
    assert replica.get_state() == Gro.ReplicaState.VALID
    assert replica.is_valid()

    # wait_for_source() runs nothing of ours: the notifications come
    # afterwards, from the main context.
    wait_until(lambda: initialized, 'the initialized signal')
    assert states == [Gro.ReplicaState.VALID]
    assert changes == [(Gro.ReplicaState.VALID, Gro.ReplicaState.UNINITIALIZED)]
    assert initialized == [True]


# --------------------------------------------------------------------------
# Properties

def test_initial_values(helper, node):
    helper.command('set i 7')
    helper.command('set s hello')
    helper.command('set strv a,b,c')
    helper.command('set mode %d' % MODE_COOL)
    helper.command('set flags %d' % FLAGS_RED_BLUE)
    helper.command('set d 2.5')
    helper.command('set b true')
    replica = acquire_valid(node)

    assert replica.props.i == 7
    assert replica.get_property('i') == 7
    assert replica.props.s == 'hello'
    assert replica.props.strv == ['a', 'b', 'c']
    assert replica.props.d == 2.5
    assert isinstance(replica.props.d, float)
    assert replica.props.b is True

    mode = replica.props.mode
    assert isinstance(mode, GObject.GEnum)
    assert int(mode) == MODE_COOL
    assert mode.value_nick == 'cool'
    assert mode.value_name == 'GRO_TEST_MODE_COOL'

    flags = replica.props.flags
    assert isinstance(flags, GObject.GFlags)
    assert int(flags) == FLAGS_RED_BLUE
    assert sorted(flags.value_nicks) == ['blue', 'red']

    # Untouched properties hold the source's defaults.
    assert replica.props.u64 == 0
    assert replica.props.bytes is None
    assert replica.props.counter == 0


def test_notify_after_source_change(helper, replica):
    seen = []
    replica.connect('notify::i', lambda r, pspec: seen.append(('i', r.props.i)))
    replica.connect('notify::strv', lambda r, pspec: seen.append(('strv', r.props.strv)))

    helper.command('set i 42')
    wait_until(lambda: ('i', 42) in seen, 'notify::i')
    assert replica.props.i == 42

    helper.command('set strv x,y')
    wait_until(lambda: ('strv', ['x', 'y']) in seen, 'notify::strv')
    assert seen == [('i', 42), ('strv', ['x', 'y'])]


def test_write_property_async(replica):
    seen = []
    replica.connect('notify::i', lambda r, pspec: seen.append(r.props.i))

    outcome = Outcome(write_finish)
    replica.write_property_async('i', 11, None, outcome)
    assert outcome.result('the write of i') is True
    # The source's change comes back before the callback runs.
    assert seen == [11]
    assert replica.props.i == 11

    # An explicit GObject.Value works too, and is converted to the
    # property's type.
    outcome = Outcome(write_finish)
    replica.write_property_async('d', GObject.Value(GObject.TYPE_DOUBLE, -0.25), None, outcome)
    assert outcome.result('the write of d') is True
    assert replica.props.d == -0.25


def test_write_wide_and_boxed_values(replica):
    # PyGObject makes a GValue of type gint from a Python int and a
    # PyObject one from a list, so values that need another type are given
    # as typed GObject.Values. Each write is waited for before the next.
    writes = (
        ('u64', GObject.Value(GObject.TYPE_UINT64, 2 ** 64 - 1), 2 ** 64 - 1),
        ('i64', GObject.Value(GObject.TYPE_INT64, -2 ** 63), -2 ** 63),
        ('strv', GObject.Value(GObject.TYPE_STRV, ['p', '', 'q']), ['p', '', 'q']),
        ('s', GObject.Value(GObject.TYPE_STRING, None), None),
        ('mode', MODE_COOL, MODE_COOL),
        ('flags', FLAGS_RED_BLUE, FLAGS_RED_BLUE),
    )
    for name, value, expected in writes:
        outcome = Outcome(write_finish)
        replica.write_property_async(name, value, None, outcome)
        assert outcome.result('the write of %s' % name) is True
        got = replica.get_property(name)
        if name in ('mode', 'flags'):
            got = int(got)
        assert got == expected, name

    bytes_value = GLib.Bytes.new(b'\0\1\2')
    outcome = Outcome(write_finish)
    replica.write_property_async('bytes', bytes_value, None, outcome)
    assert outcome.result('the write of bytes') is True
    assert replica.props.bytes.get_data() == b'\0\1\2'

    outcome = Outcome(write_finish)
    replica.write_property_async('variant', GLib.Variant('(is)', (1, 'z')), None, outcome)
    assert outcome.result('the write of variant') is True
    assert replica.props.variant.unpack() == (1, 'z')

    # Setting through the property uses its own type, so no GObject.Value
    # is needed there.
    replica.props.ul = 2 ** 63
    wait_until(lambda: replica.props.ul == 2 ** 63, 'ul to come back')

def test_set_property_goes_through_the_source(replica):
    seen = []
    replica.connect('notify::s', lambda r, pspec: seen.append(r.props.s))

    replica.props.s = 'from python'
    # The source is the single source of truth: nothing changes here until
    # its notification comes back.
    assert replica.props.s is None
    assert seen == []

    wait_until(lambda: seen, 'notify::s')
    assert seen == ['from python']
    assert replica.props.s == 'from python'

    replica.set_property('i', -3)
    wait_until(lambda: replica.props.i == -3, 'i to come back')


def test_write_property_refused(replica):
    outcome = Outcome(write_finish)
    replica.write_property_async('counter', 3, None, outcome)
    outcome.wait('the write of counter')
    assert outcome.error is not None
    assert is_gro_error(outcome.error, Gro.Error.READ_ONLY), outcome.error

    outcome = Outcome(write_finish)
    replica.write_property_async('bounded', 500, None, outcome)
    outcome.wait('the write of bounded')
    assert outcome.error is not None
    assert is_gro_error(outcome.error, Gro.Error.INVALID_VALUE), outcome.error
    assert replica.props.bounded == 0


# --------------------------------------------------------------------------
# Signals and methods

def test_signal_with_two_arguments(replica):
    pings = []
    replica.connect('ping', lambda r, n, text: pings.append((n, text)))

    outcome = call(replica, 'emit-ping', '(is)', (4, 'four'))
    assert outcome.error is None
    assert outcome.value.unpack() == ()
    wait_until(lambda: pings, 'the ping signal')
    assert pings == [(4, 'four')]


def test_signal_with_every_kind_of_argument(helper, replica):
    got = []

    def on_all_types(r, b, u64, d, s, strv, data, mode, flags):
        # PyGObject wraps a boxed signal argument without copying it (the
        # signals of a dynamic class have no introspection data, so its
        # generic closure marshaller is used): the GLib.Bytes is only valid
        # inside the handler, so its contents are taken here.
        assert isinstance(data, GLib.Bytes)
        got.append((b, u64, d, s, strv, data.get_data(), mode, flags))

    replica.connect('all-types', on_all_types)

    helper.command('emit-all-types')
    wait_until(lambda: got, 'the all-types signal')
    (b, u64, d, s, strv, data, mode, flags), = got
    assert b is True
    assert u64 == 2 ** 64 - 1
    assert d == -2.5
    assert s is None
    assert strv == ['x', '', 'y']
    assert data == b'a\0b'
    assert int(mode) == MODE_COOL and mode.value_nick == 'cool'
    assert int(flags) == FLAGS_RED_BLUE

def test_call_with_return_value(replica):
    outcome = call(replica, 'add', '(ii)', (2, 3))
    assert outcome.error is None
    assert outcome.value.get_type_string() == '(i)'
    assert outcome.value.unpack() == (5,)

    result = replica.call_sync('add', GLib.Variant('(ii)', (2, 3)), TIMEOUT_MS, None)
    assert result.unpack() == (5,)

    outcome = call(replica, 'concat', '(ss)', ('gr', 'o'))
    assert outcome.value.unpack() == ('gro',)

    # A reply the source gives later.
    outcome = call(replica, 'defer-add', '(ii)', (20, 22))
    assert outcome.value.unpack() == (42,)


def test_call_that_fails(replica):
    outcome = call(replica, 'fail', '(s)', ('it went wrong',))
    error = outcome.error
    assert isinstance(error, GLib.Error)
    assert error.domain == TEST_ERROR_DOMAIN
    assert error.code == 42
    assert error.message == 'it went wrong'
    assert error.matches(GLib.quark_from_string(TEST_ERROR_DOMAIN), 42)

    with pytest.raises(GLib.Error) as info:
        replica.call_sync('fail', GLib.Variant('(s)', ('again',)), TIMEOUT_MS, None)
    assert info.value.domain == TEST_ERROR_DOMAIN
    assert info.value.code == 42
    assert info.value.message == 'again'


def test_call_errors_from_gro(replica):
    outcome = call(replica, 'no-such-method')
    assert is_gro_error(outcome.error, Gro.Error.UNKNOWN_METHOD), outcome.error

    outcome = call(replica, 'add', '(ss)', ('2', '3'))
    assert is_gro_error(outcome.error, Gro.Error.INVALID_ARGS), outcome.error

    outcome = call(replica, 'drop')
    assert is_gro_error(outcome.error, Gro.Error.NO_REPLY), outcome.error


# --------------------------------------------------------------------------
# The schema

def test_interface_info(replica):
    info = replica.get_interface_info()
    assert isinstance(info, Gio.DBusInterfaceInfo)

    methods = {m.name: m for m in info.methods}
    assert set(methods) == {'add', 'concat', 'fail', 'defer-add', 'drop', 'emit-ping',
                            'bump', 'set-counter', 'echo-variant'}
    assert [a.signature for a in methods['add'].in_args] == ['i', 'i']
    assert [a.signature for a in methods['add'].out_args] == ['i']
    assert methods['fail'].out_args == []
    assert info.lookup_method('add').name == 'add'

    properties = {p.name: p for p in info.properties}
    assert set(properties) == {'b', 'c', 'uc', 'i', 'u', 'l', 'ul', 'i64', 'u64', 'f', 'd',
                               's', 'strv', 'bytes', 'variant', 'mode', 'flags', 'counter',
                               'bounded'}
    assert properties['i'].signature == 'i'
    assert properties['d'].signature == 'd'
    assert properties['b'].signature == 'b'
    readable = Gio.DBusPropertyInfoFlags.READABLE
    writable = Gio.DBusPropertyInfoFlags.WRITABLE
    assert properties['i'].flags == readable | writable
    assert properties['counter'].flags == readable

    assert {s.name for s in info.signals} == {'ping', 'all-types'}
    # Strings, string arrays, bytes and variants may be NULL in GObject, so
    # the schema carries them as maybe types.
    ping = info.lookup_signal('ping')
    assert [a.signature for a in ping.args] == ['i', 'ms']
    assert [a.signature for a in methods['concat'].in_args] == ['ms', 'ms']
    assert properties['strv'].signature == 'mas'

    def gtype_of(member):
        return Gio.DBusAnnotationInfo.lookup(member.annotations, 'org.gtk.Gro.Type')

    assert gtype_of(properties['i']) == 'gint'
    assert gtype_of(properties['s']) == 'gchararray'
    assert gtype_of(properties['mode']) == 'GroTestMode'
    assert gtype_of(properties['flags']) == 'GroTestFlags'


# --------------------------------------------------------------------------
# Losing the source

def test_suspect_when_helper_killed(helper, replica):
    assert replica.props.i == 0
    helper.command('set i 9')
    wait_until(lambda: replica.props.i == 9, 'i to become 9')
    drain()

    states = []
    changes = []
    replica.connect('notify::state', lambda r, pspec: states.append(r.props.state))
    replica.connect('state-changed', lambda r, new, old: changes.append((new, old)))

    helper.kill()
    wait_until(lambda: states, 'notify::state')
    assert states == [Gro.ReplicaState.SUSPECT]
    assert changes == [(Gro.ReplicaState.SUSPECT, Gro.ReplicaState.VALID)]
    assert replica.get_state() == Gro.ReplicaState.SUSPECT
    assert replica.props.state == Gro.ReplicaState.SUSPECT
    assert not replica.is_valid()
    # The last values received stay.
    assert replica.props.i == 9

    outcome = call(replica, 'add', '(ii)', (2, 3))
    assert isinstance(outcome.error, GLib.Error)
    assert outcome.error.domain == 'gro-error-quark'
    assert is_gro_error(outcome.error, Gro.Error.SOURCE_UNAVAILABLE), outcome.error

    with pytest.raises(GLib.Error) as info:
        replica.call_sync('add', GLib.Variant('(ii)', (2, 3)), TIMEOUT_MS, None)
    assert is_gro_error(info.value, Gro.Error.SOURCE_UNAVAILABLE), info.value


def test_call_in_flight_when_helper_killed(helper, replica):
    outcome = Outcome(call_finish)
    # defer-add answers after 20 ms; the helper is gone before then.
    replica.call_async('defer-add', GLib.Variant('(ii)', (1, 2)), TIMEOUT_MS, None, outcome)
    helper.kill()
    outcome.wait('the call in flight to fail')
    assert outcome.error is not None, outcome.value
    assert is_gro_error(outcome.error, Gro.Error.DISCONNECTED), outcome.error


# --------------------------------------------------------------------------
# Frames queued behind others, and serials past one varint byte (both once
# broke the encoder's alignment).

def test_two_writes_in_a_row(replica):
    replica.props.d = 1.5
    replica.props.d = 2.5
    wait_until(lambda: replica.props.d == 2.5, 'd to become 2.5')


def test_many_calls(replica):
    for k in range(200):
        result = replica.call_sync('add', GLib.Variant('(ii)', (k, 1)), TIMEOUT_MS, None)
        assert result.unpack() == (k + 1,)
