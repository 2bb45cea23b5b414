# test_access.py: a host's access control, decided in Python
#
# A host and a node in this process: the host's authorize handler, written
# in Python, sees each peer's credentials, makes one source read-only and
# hides another. Every wait is bounded.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import time

import gi
gi.require_version('Gro', '1.0')
from gi.repository import GLib, GObject, Gro  # noqa: E402

TIMEOUT = 10.0


class Counter(GObject.Object):
    __gtype_name__ = 'TestAccessCounter'

    count = GObject.Property(type=int, default=3)

    __gsignals__ = {
        'add': (GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION, int, (int, int)),
    }

    def do_add(self, a, b):
        return a + b


def spin_until(condition):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, 'timed out'
        context.iteration(False)
        time.sleep(0.001)


def spin_for(seconds):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        context.iteration(False)
        time.sleep(0.001)


def test_authorize_in_python(tmp_path):
    url = 'unix:' + str(tmp_path / 'access.sock')
    host = Gro.Host.new(url)
    counter, hidden = Counter(), Counter()
    host.enable_remoting(counter, 'counter')
    host.enable_remoting(hidden, 'hidden')
    asked = []

    def authorize(host, peer, source):
        asked.append(source)
        credentials = peer.get_credentials()
        assert credentials is not None
        assert peer.get_address() is not None
        assert peer.get_certificate() is None  # not TLS
        assert credentials.get_unix_user() == os.getuid()
        if source is None:
            return Gro.Access.FULL
        return Gro.Access.DENIED if source == 'hidden' else Gro.Access.READ_ONLY

    host.connect('authorize', authorize)
    assert host.props.allow_other_users is False
    host.set_allow_other_users(True)
    assert host.get_allow_other_users() is True
    host.set_allow_other_users(False)

    node = Gro.Node.new()
    node.connect_to_node(url)
    replica = node.acquire_dynamic('counter')
    spin_until(replica.is_valid)
    assert replica.props.count == 3
    assert node.get_connection_state(url) == Gro.ConnectionState.CONNECTED
    assert node.get_connection_state('unix:/nowhere') == Gro.ConnectionState.CLOSED

    outcome = []
    replica.call_async('add', 2, 3,
                       callback=lambda r, result, error: outcome.append((result, error)))
    spin_until(lambda: outcome)
    result, error = outcome[0]
    assert result is None
    assert error.matches(Gro.Error.quark(), Gro.Error.PERMISSION_DENIED)
    assert 'read-only' in error.message

    secret = node.acquire_dynamic('hidden')
    spin_until(lambda: 'hidden' in asked)
    spin_for(0.2)
    assert not secret.is_valid()
    assert asked == [None, 'counter', 'hidden']


def test_node_settings_in_python():
    node = Gro.Node.new()
    node.set_heartbeat_interval(250)
    assert node.props.heartbeat_interval == 250
    node.props.max_calls_in_flight = 8
    assert node.props.max_calls_in_flight == 8
    assert node.props.reconnect_initial_delay == 100
    try:
        node.set_tls_files(None, None, '/nonexistent/ca.pem')
    except GLib.Error as e:
        assert e.matches(Gro.Error.quark(), Gro.Error.INVALID_VALUE)
    else:
        raise AssertionError('a missing CA file was taken')


def test_close_in_python(tmp_path):
    """close() ends a host's and a node's connections now, not when the
    garbage collector gets to them."""
    path = tmp_path / 'close.sock'
    url = 'unix:' + str(path)
    host = Gro.Host.new(url)
    host.enable_remoting(Counter(), 'counter')
    node = Gro.Node.new()
    node.connect_to_node(url)
    replica = node.acquire_dynamic('counter')
    spin_until(replica.is_valid)
    closed = []
    node.connect('connection-closed', lambda node, address, error: closed.append(address))

    host.close()
    spin_until(lambda: closed)
    spin_until(lambda: not replica.is_valid())
    assert not path.exists()
    assert host.get_source('counter') is None
    try:
        host.enable_remoting(Counter(), 'again')
        assert False, 'a closed host shared a source'
    except GLib.Error as error:
        assert error.matches(Gro.Error.quark(), Gro.Error.CLOSED)

    node.close()
    node.close()
    try:
        node.connect_to_node(url)
        assert False, 'a closed node connected'
    except GLib.Error as error:
        assert error.matches(Gro.Error.quark(), Gro.Error.CLOSED)


def test_script_without_a_main_loop(tmp_path):
    """A script that shares an object and uses a replica of it in one thread,
    with sync calls only: the waits run the host too."""
    url = 'unix:' + str(tmp_path / 'script.sock')
    host = Gro.Host.new(url)
    host.enable_remoting(Counter(), 'counter')
    node = Gro.Node.new()
    node.connect_to_node(url)
    replica = node.acquire_dynamic('counter')
    start = time.monotonic()
    assert replica.wait_for_source(5000)
    assert replica.props.count == 3
    assert replica.call('add', 2, 40, timeout_ms=5000) == 42
    assert time.monotonic() - start < 4
    node.close()
    host.close()
