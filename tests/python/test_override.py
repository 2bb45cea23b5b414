# test_override.py: the PyGObject override (bindings/python/gi/overrides/Gro.py)
#
# Replica.call() and call_async() with Python values, the checks made before
# anything is sent, typed property writes, and Gro.returns_errors on a source
# written in Python. Most tests spawn their own gro-test-source (the path is
# in $GRO_TEST_SOURCE) sharing a GroTestObject as "test"; the last ones share
# a Python object from this process. Every wait is bounded.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import logging
import math
import os
import select
import subprocess
import threading
import time

import pytest

import gi
gi.require_version('Gro', '1.0')
from gi.module import get_introspection_module  # noqa: E402
from gi.repository import Gio, GLib, GObject, Gro  # noqa: E402

TIMEOUT = 10.0          # seconds, for any single wait
TIMEOUT_MS = int(TIMEOUT * 1000)
SOURCE_NAME = 'test'
TEST_ERROR_DOMAIN = 'gro-test-error-quark'
MODE_COOL = 7           # GRO_TEST_MODE_COOL
FLAGS_RED_BLUE = 1 | 4  # GRO_TEST_FLAGS_RED | GRO_TEST_FLAGS_BLUE

# The introspected class under the override: what reaches the library.
GroIntrospected = get_introspection_module('Gro')


# --------------------------------------------------------------------------
# The helper process (as in test_replica.py)

from gro_helper import Helper, drain, wait_until  # noqa: E402


# --------------------------------------------------------------------------
# Main-context helpers

class Reply:
    """A callback for the override's call_async(): keeps what it gets."""

    def __init__(self):
        self.calls = []

    def __call__(self, replica, result, error):
        self.calls.append((replica, result, error))

    def wait(self, what='the reply'):
        wait_until(lambda: self.calls, what)
        assert len(self.calls) == 1, self.calls
        return self.calls[0]


def call_async(replica, method, *args, **kwargs):
    """call_async() and wait: (result, error)."""
    reply = Reply()
    assert replica.call_async(method, *args, callback=reply, **kwargs) is None
    got_replica, result, error = reply.wait('the reply to %s' % method)
    assert got_replica is replica
    return result, error


def is_gro_error(error, code):
    return isinstance(error, GLib.Error) and error.matches(Gro.error_quark(), code)


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


def acquire_valid(node, name=SOURCE_NAME):
    """A valid replica whose start-up notifications have all been delivered."""
    replica = node.acquire_dynamic(name)
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


@pytest.fixture
def library_calls(monkeypatch):
    """Records every call that reaches the library's own call_sync(),
    call_async() and write_property_async(): what the override hands on."""
    calls = []
    for name in ('call_sync', 'call_async', 'write_property_async'):
        original = getattr(GroIntrospected.Replica, name)

        def spy(self, *args, _name=name, _original=original, **kwargs):
            calls.append((_name, args))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(GroIntrospected.Replica, name, spy)
    return calls


# --------------------------------------------------------------------------
# The override is there, uninstalled

def test_override_is_loaded_from_the_source_tree(replica):
    import gi.overrides.Gro as override_module

    here = os.path.dirname(os.path.abspath(__file__))
    bindings = os.path.normpath(os.path.join(here, '..', '..', 'bindings', 'python'))
    assert os.path.abspath(override_module.__file__).startswith(bindings + os.sep)

    assert Gro.Replica is override_module.Replica
    assert Gro.Replica is not GroIntrospected.Replica
    assert issubclass(Gro.Replica, GroIntrospected.Replica)
    assert Gro.returns_errors is override_module.returns_errors
    # A dynamic replica's class is built at run time below Gro.Replica, so it
    # has the override's methods, and the introspected ones.
    assert isinstance(replica, Gro.Replica)
    for name in ('call', 'call_async', 'call_sync', 'call_finish', 'write_property_async',
                 'write_property_finish', 'wait_for_source', 'get_interface_info'):
        assert callable(getattr(replica, name)), name


# --------------------------------------------------------------------------
# call(): arguments and results

def test_call_int_arguments_and_result(replica):
    assert replica.call('add', 2, 3) == 5
    assert replica.call('add', -2 ** 31, 0) == -2 ** 31
    assert replica.call('add', 2 ** 31 - 1, 0) == 2 ** 31 - 1
    assert isinstance(replica.call('add', 1, 1), int)
    # The source answers this one later.
    assert replica.call('defer-add', 20, 22) == 42
    # Enumerations, flags and other int-like objects are ints.
    assert replica.call('add', GLib.IOCondition.IN, 0) == int(GLib.IOCondition.IN)


def test_call_string_arguments_and_result(replica):
    assert replica.call('concat', 'gr', 'o') == 'gro'
    assert replica.call('concat', '', '') == ''
    assert replica.call('concat', 'é', '\u2603') == 'é\u2603'
    # None is a NULL string: the source's handler prints it as "(null)".
    assert replica.call('concat', None, 'x') == '(null)x'


def test_call_without_result_returns_none(replica):
    seen = []
    replica.connect('notify::i', lambda r, pspec: seen.append(r.props.i))
    assert replica.call('bump', 2) is None
    wait_until(lambda: seen and seen[-1] == 2, 'notify::i')
    assert replica.props.i == 2


def test_call_variant_argument_and_result(replica):
    value = GLib.Variant('(is)', (1, 'z'))
    echoed = replica.call('echo-variant', value)
    # A GVariant result stays a GLib.Variant: its type is part of it.
    assert isinstance(echoed, GLib.Variant)
    assert echoed.get_type_string() == '(is)'
    assert echoed.unpack() == (1, 'z')

    nested = GLib.Variant('v', GLib.Variant('u', 7))
    echoed = replica.call('echo-variant', nested)
    assert echoed.get_type_string() == 'v'
    assert echoed.get_variant().get_uint32() == 7

    assert replica.call('echo-variant', None) is None


def test_call_that_emits_a_signal(replica):
    pings = []
    replica.connect('ping', lambda r, n, text: pings.append((n, text)))
    assert replica.call('emit-ping', 4, 'four') is None
    assert replica.call('emit-ping', -1, None) is None
    wait_until(lambda: len(pings) == 2, 'two ping signals')
    assert pings == [(4, 'four'), (-1, None)]


def test_call_with_timeout_and_cancellable(replica):
    # defer-add answers after 20 ms.
    with pytest.raises(GLib.Error) as info:
        replica.call('defer-add', 1, 2, timeout_ms=1)
    assert is_gro_error(info.value, Gro.Error.TIMED_OUT), info.value

    cancellable = Gio.Cancellable()
    cancellable.cancel()
    with pytest.raises(GLib.Error) as info:
        replica.call('defer-add', 1, 2, cancellable=cancellable)
    assert info.value.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), info.value

    assert replica.call('defer-add', 1, 2, timeout_ms=TIMEOUT_MS, cancellable=Gio.Cancellable()) == 3


def test_call_from_another_thread(replica):
    # call() waits in the calling thread while the node's thread, this one,
    # does the work.
    box = []
    thread = threading.Thread(target=lambda: box.append(replica.call('add', 40, 2)))
    thread.start()
    wait_until(lambda: box, 'the call from the other thread')
    thread.join(TIMEOUT)
    assert box == [42]


# --------------------------------------------------------------------------
# Errors

def test_error_from_the_source_keeps_domain_and_code(replica):
    with pytest.raises(GLib.Error) as info:
        replica.call('fail', 'it went wrong')
    error = info.value
    assert error.domain == TEST_ERROR_DOMAIN
    assert error.code == 42
    assert error.message == 'it went wrong'
    assert error.matches(GLib.quark_from_string(TEST_ERROR_DOMAIN), 42)


def test_errors_from_gro(replica):
    with pytest.raises(GLib.Error) as info:
        replica.call('no-such-method', 1, 'x')
    assert info.value.domain == 'gro-error-quark'
    assert is_gro_error(info.value, Gro.Error.UNKNOWN_METHOD), info.value
    assert "'no-such-method'" in info.value.message

    with pytest.raises(GLib.Error) as info:
        replica.call('drop')
    assert is_gro_error(info.value, Gro.Error.NO_REPLY), info.value


def test_call_before_the_replica_is_valid(node):
    replica = node.acquire_dynamic(SOURCE_NAME)
    assert not replica.is_valid()
    # No schema yet, so no check here: the library says why.
    with pytest.raises(GLib.Error) as info:
        replica.call('add', 2, 3)
    assert is_gro_error(info.value, Gro.Error.SOURCE_UNAVAILABLE), info.value

    result, error = call_async(replica, 'add', 2, 3)
    assert result is None
    assert is_gro_error(error, Gro.Error.SOURCE_UNAVAILABLE), error
    assert replica.wait_for_source(TIMEOUT_MS)


def test_call_when_the_source_is_gone(helper, replica):
    helper.kill()
    wait_until(lambda: replica.get_state() == Gro.ReplicaState.SUSPECT, 'the replica to be suspect')
    with pytest.raises(GLib.Error) as info:
        replica.call('add', 2, 3)
    assert is_gro_error(info.value, Gro.Error.SOURCE_UNAVAILABLE), info.value
    # The last schema is still known, so arguments are still checked first.
    with pytest.raises(TypeError):
        replica.call('add', 'two', 3)


# --------------------------------------------------------------------------
# Bad arguments: refused before anything is sent

BAD_CALLS = [
    # (method, args, exception, words in the message)
    ('add', (1,), TypeError, ["'add'", '2 arguments', '1 given']),
    ('add', (1, 2, 3), TypeError, ['2 arguments', '3 given']),
    ('bump', (), TypeError, ['1 argument ', '0 given']),
    ('add', ('1', 2), TypeError, ['argument 1', 'int', 'str']),
    ('add', (1, 2.0), TypeError, ['argument 2', 'int', 'float']),
    ('add', (True, 2), TypeError, ['argument 1', 'bool']),
    ('add', (None, 2), TypeError, ['argument 1', 'NoneType']),
    ('add', (2 ** 31, 0), ValueError, ['argument 1', str(2 ** 31 - 1), str(2 ** 31)]),
    ('add', (0, -2 ** 31 - 1), ValueError, ['argument 2', str(-2 ** 31)]),
    ('set-counter', (2 ** 64,), ValueError, ['argument 1']),
    ('concat', (1, 'x'), TypeError, ['argument 1', 'str or None', 'int']),
    ('concat', ('x', b'y'), TypeError, ['argument 2', 'bytes']),
    ('emit-ping', ('4', 'four'), TypeError, ['argument 1']),
    ('echo-variant', (3,), TypeError, ['GLib.Variant', 'int']),
    ('echo-variant', ((1, 'z'),), TypeError, ['GLib.Variant', 'tuple']),
]


@pytest.mark.parametrize('method,args,exception,words', BAD_CALLS,
                         ids=['%s%r' % (c[0], c[1]) for c in BAD_CALLS])
def test_bad_arguments_raise_before_sending(replica, library_calls, method, args,
                                            exception, words):
    with pytest.raises(exception) as info:
        replica.call(method, *args)
    for word in words:
        assert word in str(info.value), str(info.value)

    reply = Reply()
    with pytest.raises(exception):
        replica.call_async(method, *args, callback=reply)

    # Nothing reached the library, so nothing was sent, and the callback
    # never runs.
    assert library_calls == []
    drain()
    assert reply.calls == []


def test_bad_arguments_leave_the_source_untouched(helper, replica):
    changes = []
    replica.connect('notify::counter', lambda r, pspec: changes.append(r.props.counter))
    replica.connect('notify::i', lambda r, pspec: changes.append(('i', r.props.i)))

    for args in (('5',), (5.0,), (2 ** 40,), (5, 6), ()):
        with pytest.raises((TypeError, ValueError)):
            replica.call('set-counter', *args)
        with pytest.raises((TypeError, ValueError)):
            replica.call_async('set-counter', *args)
    with pytest.raises(TypeError):
        replica.call('bump', '1')

    # A good call after them is the first thing the source sees: its one
    # change is the only one that comes back.
    assert replica.call('set-counter', 5) is None
    wait_until(lambda: changes, 'notify::counter')
    drain()
    assert changes == [5]
    assert replica.props.i == 0


# --------------------------------------------------------------------------
# call_async()

def test_call_async_gives_the_result(replica):
    assert call_async(replica, 'add', 2, 3) == (5, None)
    assert call_async(replica, 'concat', 'a', None) == ('a(null)', None)
    assert call_async(replica, 'bump', 1) == (None, None)
    assert call_async(replica, 'defer-add', 20, 22, timeout_ms=TIMEOUT_MS) == (42, None)


def test_call_async_gives_the_error(replica):
    result, error = call_async(replica, 'fail', 'async failure')
    assert result is None
    assert isinstance(error, GLib.Error)
    assert (error.domain, error.code, error.message) == (TEST_ERROR_DOMAIN, 42, 'async failure')

    result, error = call_async(replica, 'no-such-method')
    assert is_gro_error(error, Gro.Error.UNKNOWN_METHOD), error

    result, error = call_async(replica, 'defer-add', 1, 2, timeout_ms=1)
    assert is_gro_error(error, Gro.Error.TIMED_OUT), error

    cancellable = Gio.Cancellable()
    reply = Reply()
    replica.call_async('defer-add', 1, 2, callback=reply, cancellable=cancellable)
    cancellable.cancel()
    _, result, error = reply.wait('the cancelled call')
    assert result is None
    assert error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), error


def test_call_async_completes_in_order(replica):
    results = []
    for k in range(50):
        replica.call_async('add', k, 1,
                           callback=lambda r, result, error: results.append((result, error)))
    wait_until(lambda: len(results) == 50, 'fifty replies')
    assert results == [(k + 1, None) for k in range(50)]


def test_call_async_without_callback(replica, caplog):
    seen = []
    replica.connect('notify::i', lambda r, pspec: seen.append(r.props.i))
    replica.call_async('bump', 3)
    wait_until(lambda: seen and seen[-1] == 3, 'notify::i')

    # A failure nobody waits for is logged, not lost.
    with caplog.at_level(logging.WARNING, logger='gi.overrides.Gro'):
        replica.call_async('fail', 'nobody listens')
        wait_until(lambda: caplog.records, 'the log record')
    assert "'fail'" in caplog.records[0].getMessage()
    assert 'nobody listens' in caplog.records[0].getMessage()


def test_call_async_refuses_a_callback_that_is_not_callable(replica, library_calls):
    with pytest.raises(TypeError):
        replica.call_async('add', 1, 2, callback='not a function')
    with pytest.raises(TypeError):
        replica.call_async('add', 1, 2, timeout=5)
    assert library_calls == []


def test_call_async_introspected_form_still_works(replica):
    got = []

    def on_done(r, result, *user_data):
        got.append((r.call_finish(result), user_data))

    replica.call_async('add', GLib.Variant('(ii)', (2, 3)), -1, None, on_done)
    replica.call_async('add', GLib.Variant('(ii)', (4, 5)), TIMEOUT_MS, None, on_done, 'data')
    replica.call_async('bump', GLib.Variant('(i)', (1,)), -1, Gio.Cancellable(), on_done)
    wait_until(lambda: len(got) == 3, 'three replies')
    assert [(v.unpack(), data) for v, data in got] == [((5,), ()), ((9,), ('data',)), ((), ())]

    # And the other introspected calls are untouched.
    assert replica.call_sync('add', GLib.Variant('(ii)', (1, 1)), TIMEOUT_MS, None).unpack() == (2,)


# --------------------------------------------------------------------------
# Signals with GLib.Bytes arguments

def test_signal_bytes_argument_may_be_kept(helper, replica):
    # Without the override, the GLib.Bytes of a dynamic replica's signal
    # dangles after the handler (see test_replica.py), and reading it later
    # reads freed memory.
    kept = []
    replica.connect('all-types', lambda r, *args: kept.append(args[5]))
    late = []
    replica.connect_after('all-types', lambda r, *args: late.append(args[5]))
    for _ in range(20):
        helper.command('emit-all-types')
    wait_until(lambda: len(kept) == 20 and len(late) == 20, 'twenty all-types signals')
    drain()
    # Other traffic meanwhile, to reuse what was freed.
    for k in range(50):
        assert replica.call('concat', 'x' * k, 'y') == 'x' * k + 'y'
    assert all(isinstance(b, GLib.Bytes) for b in kept + late)
    assert [b.get_data() for b in kept + late] == [b'a\0b'] * 40


def test_wrapped_handlers_can_be_found_by_function(helper, replica):
    got = []

    def on_all_types(r, *args):
        got.append(args[5].get_data())

    def emit_and_settle(i):
        # The signal, then a change after it: once the change is here, so
        # is the signal.
        helper.command('emit-all-types')
        helper.command('set i %d' % i)
        wait_until(lambda: replica.props.i == i, 'i to become %d' % i)
        drain()

    replica.connect('all-types', on_all_types, 'user data')
    replica.handler_block_by_func(on_all_types)
    emit_and_settle(1)
    assert got == []
    replica.handler_unblock_by_func(on_all_types)
    emit_and_settle(2)
    assert got == [b'a\0b']

    assert replica.disconnect_by_func(on_all_types) == 1
    emit_and_settle(3)
    assert got == [b'a\0b']


# --------------------------------------------------------------------------
# write_property_async(): the value typed from the property

def write(replica, name, value):
    """write_property_async() and wait: True or the GLib.Error."""
    box = []

    def on_done(r, result):
        try:
            box.append(r.write_property_finish(result))
        except GLib.Error as error:
            box.append(error)

    replica.write_property_async(name, value, None, on_done)
    wait_until(lambda: box, 'the write of %s' % name)
    return box[0]


def test_write_plain_python_values(replica):
    # Without the override a Python int is a gint GValue and a list a
    # PyObject one, so these needed a typed GObject.Value.
    writes = (
        ('u64', 2 ** 64 - 1),
        ('i64', -2 ** 63),
        ('ul', 2 ** 63),
        ('u', 2 ** 32 - 1),
        ('c', -1),
        ('uc', 255),
        ('b', True),
        ('d', -0.25),
        ('d', 3),
        ('strv', ['p', '', 'q']),
        ('strv', ('tuple', 'too')),
        ('s', None),
        ('s', 'text'),
        ('mode', MODE_COOL),
        ('flags', FLAGS_RED_BLUE),
        ('variant', GLib.Variant('(is)', (1, 'z'))),
    )
    for name, value in writes:
        assert write(replica, name, value) is True, name
        got = replica.get_property(name)
        if name in ('mode', 'flags'):
            got = int(got)
        if name == 'strv' and value is not None:
            value = list(value)
        if name == 'variant':
            got = got.unpack()
            value = value.unpack()
        assert got == value, name

    # PyGObject reads a NULL string array as [], so that None and [] stay
    # apart is seen from the notifications: gro notifies real changes only.
    notified = []
    replica.connect('notify::strv', lambda r, pspec: notified.append(r.props.strv))
    assert write(replica, 'strv', []) is True
    assert write(replica, 'strv', None) is True
    assert write(replica, 'strv', []) is True
    drain()
    assert notified == [[], [], []]

    assert write(replica, 'bytes', b'\0\1\2') is True
    assert replica.props.bytes.get_data() == b'\0\1\2'
    assert write(replica, 'bytes', bytearray(b'')) is True
    assert replica.props.bytes.get_data() in (b'', None)
    assert replica.props.bytes is not None
    assert write(replica, 'bytes', None) is True
    assert replica.props.bytes is None

    # A float property is written as a double, which gro converts: the
    # source's range check, not PyGObject's, refuses what does not fit.
    assert write(replica, 'f', 0.5) is True
    assert replica.props.f == 0.5
    error = write(replica, 'f', 1e300)
    assert is_gro_error(error, Gro.Error.INVALID_VALUE), error

    # A GObject.Value is passed as it is.
    assert write(replica, 'd', GObject.Value(GObject.TYPE_INT, 7)) is True
    assert replica.props.d == 7.0


def test_write_errors_still_come_from_the_source(replica):
    error = write(replica, 'counter', 3)
    assert is_gro_error(error, Gro.Error.READ_ONLY), error
    error = write(replica, 'bounded', 500)
    assert is_gro_error(error, Gro.Error.INVALID_VALUE), error
    error = write(replica, 'no-such-property', 1)
    assert is_gro_error(error, Gro.Error.UNKNOWN_PROPERTY), error


BAD_WRITES = [
    ('i', 'seven', TypeError),
    ('i', 2 ** 31, ValueError),
    ('u', -1, ValueError),
    ('c', 128, ValueError),
    ('uc', 256, ValueError),
    ('u64', 2 ** 64, ValueError),
    ('d', 'x', TypeError),
    ('b', 1, TypeError),
    ('s', 5, TypeError),
    ('strv', 'abc', TypeError),
    ('strv', ['a', 1], TypeError),
    ('bytes', 'text', TypeError),
    ('variant', 5, TypeError),
    ('mode', 'cool', TypeError),
]


@pytest.mark.parametrize('name,value,exception', BAD_WRITES,
                         ids=['%s=%r' % (w[0], w[1]) for w in BAD_WRITES])
def test_bad_write_raises_before_sending(replica, library_calls, name, value, exception):
    with pytest.raises(exception) as info:
        replica.write_property_async(name, value, None, None)
    assert "'%s'" % name in str(info.value)
    assert library_calls == []


# --------------------------------------------------------------------------
# A source written in Python, in this process (a sync call to it is answered
# too: the wait runs the hosts of the caller's thread).

ACTION = GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION


def echo(gtype):
    return (ACTION, gtype, (gtype,))


class PySource(GObject.Object):
    __gtype_name__ = 'GroTestPySource'

    __gsignals__ = {
        'echo-char': echo(GObject.TYPE_CHAR),
        'echo-uint': echo(GObject.TYPE_UINT),
        'echo-int64': echo(GObject.TYPE_INT64),
        'echo-uint64': echo(GObject.TYPE_UINT64),
        'echo-bool': echo(GObject.TYPE_BOOLEAN),
        'echo-double': echo(GObject.TYPE_DOUBLE),
        'echo-strv': echo(GObject.TYPE_STRV),
        'echo-bytes': echo(GLib.Bytes.__gtype__),
        'fail-with': (ACTION, GObject.TYPE_INT, (str, int)),
        'crash': (ACTION, GObject.TYPE_INT, ()),
        'fail-literal': (ACTION, None, ()),
    }

    def _echo(self, value):
        return value

    do_echo_char = do_echo_uint = do_echo_int64 = do_echo_uint64 = _echo
    do_echo_bool = do_echo_double = do_echo_strv = _echo

    def do_echo_bytes(self, value):
        # A boxed signal argument is valid only during the handler: copy it.
        return None if value is None else GLib.Bytes.new(value.get_data() or b'')

    @Gro.returns_errors
    def do_fail_with(self, domain, code):
        raise GLib.Error('failed with %d' % code, domain, code)

    @Gro.returns_errors
    def do_crash(self):
        raise ZeroDivisionError('no luck')

    def do_fail_literal(self):
        Gro.Invocation.get_current().return_error_literal(
            GLib.quark_from_string('py-test-error-quark'), 3, 'literal')


@pytest.fixture
def py_replica():
    source = PySource()
    host = Gro.Host.new('tcp://127.0.0.1:0')
    host.enable_remoting(source, 'py')
    node = Gro.Node.new()
    box = []
    node.connect_to_node_async(host.get_url(), None,
                               lambda n, result: box.append(n.connect_to_node_finish(result)))
    wait_until(lambda: box, 'the connection')
    node.acquire_dynamic_async('py', None,
                               lambda n, result: box.append(n.acquire_dynamic_finish(result)))
    wait_until(lambda: len(box) == 2, 'the replica')
    yield box[1]
    host.disable_remoting('py')
    drain()


def test_python_source_types(py_replica):
    cases = (
        ('echo-char', 65),
        ('echo-uint', 2 ** 32 - 1),
        ('echo-int64', -2 ** 63),
        ('echo-uint64', 2 ** 64 - 1),
        ('echo-bool', False),
        ('echo-double', -0.0),
        ('echo-double', float('-inf')),
        ('echo-strv', ['x', '', 'y']),
        ('echo-bytes', b'a\0b'),
        ('echo-bytes', None),
    )
    for method, value in cases:
        result, error = call_async(py_replica, method, value)
        assert error is None, (method, error)
        assert result == value and type(result) is type(value), (method, result)
    result, _ = call_async(py_replica, 'echo-double', -0.0)
    assert math.copysign(1.0, result) == -1.0

    # A gchar argument is checked against its own range.
    with pytest.raises(ValueError):
        py_replica.call_async('echo-char', 128)
    with pytest.raises(ValueError):
        py_replica.call_async('echo-uint64', -1)


def test_python_source_returns_errors(py_replica):
    result, error = call_async(py_replica, 'fail-with', 'py-test-error-quark', 7)
    assert result is None
    assert (error.domain, error.code, error.message) == ('py-test-error-quark', 7, 'failed with 7')

    result, error = call_async(py_replica, 'fail-literal')
    assert (error.domain, error.code, error.message) == ('py-test-error-quark', 3, 'literal')


def test_python_source_other_exception_is_failed(py_replica, capsys):
    result, error = call_async(py_replica, 'crash')
    assert result is None
    assert is_gro_error(error, Gro.Error.FAILED), error
    assert error.message == 'ZeroDivisionError: no luck'
    # It is raised on too, so its traceback is printed in the source.
    assert 'ZeroDivisionError' in capsys.readouterr().err


def test_returns_errors_outside_a_call():
    # Emitted in this process, there is no call to answer: the exception is
    # raised on, and PyGObject prints it as for any handler.
    source = PySource()
    assert Gro.Invocation.get_current() is None
    with pytest.raises(GLib.Error):
        PySource.do_fail_with(source, 'py-test-error-quark', 1)


def test_signed_char_travels_as_its_byte():
    # No method of the helper takes a gchar, and a Python source cannot (see
    # doc/python.md), so the conversion is checked on its own: -1 travels as
    # 0xff and comes back -1, as gro's codec does.
    import gi.overrides.Gro as override_module

    kind = override_module._kind_for('y', 'gchar')
    for value, byte in ((-1, 0xff), (-128, 0x80), (127, 0x7f), (0, 0)):
        variant = override_module._to_variant('y', 'gchar', kind, value, 'c')
        assert variant.get_byte() == byte
        assert override_module._from_variant('y', 'gchar', variant) == value
    with pytest.raises(ValueError):
        override_module._to_variant('y', 'gchar', kind, 128, 'c')
    # A guchar is the byte itself.
    assert override_module._from_variant('y', 'guchar', GLib.Variant('y', 0xff)) == 255


def test_sync_call_to_a_host_in_this_thread(py_replica):
    """The wait of a sync call runs the hosts of the caller's thread, so a
    source shared in this thread answers it (it used to time out)."""
    start = time.monotonic()
    assert py_replica.call('echo-uint', 7, timeout_ms=5000) == 7
    with pytest.raises(GLib.Error) as info:
        py_replica.call('fail-with', 'py-test-error-quark', 5, timeout_ms=5000)
    assert (info.value.domain, info.value.code) == ('py-test-error-quark', 5)
    assert time.monotonic() - start < 4
