# test_list_model.py: a GListModel shared by a host and mirrored by a node,
# both in this process over a socket pair, driven through the typelib.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import random
import socket

import pytest

import gi
gi.require_version('Gro', '1.0')
from gi.repository import Gio, GLib, GObject, Gro  # noqa: E402

from gro_helper import drain, wait_until  # noqa: E402


class Person(GObject.Object):
    __gtype_name__ = 'TestListPerson'

    number = GObject.Property(type=int, default=0)
    name = GObject.Property(type=str, default='')

    @GObject.Signal(flags=GObject.SignalFlags.RUN_LAST | GObject.SignalFlags.ACTION,
                    arg_types=(int,), return_type=int)
    def add(self, n):
        return self.number + n


def person(number):
    return Person(number=number, name='person %d' % number)


class Pair:
    """A host sharing a Gio.ListStore and a node mirroring it."""

    def __init__(self, n_items):
        self.store = Gio.ListStore.new(Person)
        self.store.splice(0, 0, [person(i) for i in range(n_items)])
        self.host = Gro.Host.new(None)
        self.host.enable_model_remoting(self.store, 'people')
        self.node = Gro.Node()
        a, b = socket.socketpair()
        self._socks = (a, b)
        for sock, peer in ((a, self.host), (b, self.node)):
            conn = Gio.Socket.new_from_fd(sock.detach()).connection_factory_create_connection()
            if peer is self.host:
                peer.add_stream(conn)
            else:
                peer.connect_to_stream(conn)
        self.source_changes = []
        self.replica_changes = []
        self.store.connect('items-changed', lambda m, p, r, a:
                           self.source_changes.append((p, r, a)))
        self.list = self.node.acquire_model('people')
        self.list.connect('items-changed', lambda m, p, r, a:
                          self.replica_changes.append((p, r, a)))
        # The host is in this process: wait with the main loop, not with
        # wait_for_source(), which serves only the node.
        wait_until(self.list.is_valid, 'the list')
        self.replica_changes.clear()
        drain()

    def await_changes(self):
        wait_until(lambda: len(self.replica_changes) == len(self.source_changes),
                   'the changes')
        assert self.replica_changes == self.source_changes

    def assert_same(self):
        n = self.store.get_n_items()
        assert self.list.get_n_items() == n
        items = [self.list.get_item(i) for i in range(n)]
        wait_until(lambda: all(item.is_valid() for item in items), 'the items')
        assert [item.props.number for item in items] == \
            [self.store.get_item(i).number for i in range(n)]

    def close(self):
        self.list = None
        self.node = None
        self.host = None
        drain()


@pytest.fixture
def pair():
    p = Pair(20)
    yield p
    p.close()


def test_basic(pair):
    assert pair.list.get_n_items() == 20
    assert pair.list.props.n_items == 20
    item = pair.list.get_item(3)
    assert isinstance(item, Gro.Replica)
    assert item.props.name == 'person 3'
    assert pair.list.get_item(20) is None
    pair.assert_same()


def test_random_splices(pair):
    rng = random.Random(8)
    number = 1000
    for step in range(150):
        n = pair.store.get_n_items()
        position = rng.randint(0, n)
        removed = rng.randint(0, min(n - position, 4))
        added = []
        for _ in range(rng.randint(0, 4)):
            added.append(person(number))
            number += 1
        if step % 5 == 2 and n > 1:
            # A move, as a removal and an addition
            moved = pair.store.get_item(rng.randrange(n))
            found, index = pair.store.find(moved)
            pair.store.remove(index)
            pair.store.insert(rng.randrange(n), moved)
        else:
            pair.store.splice(position, removed, added)
        pair.await_changes()
        pair.assert_same()


def test_live_items(pair):
    source = pair.store.get_item(5)
    item = pair.list.get_item(5)
    seen = []
    item.connect('notify::number', lambda obj, pspec: seen.append(obj.props.number))

    source.number = 55
    wait_until(lambda: seen == [55], 'the notification')

    item.props.number = 56
    wait_until(lambda: source.number == 56 and seen == [55, 56], 'the write')

    results = []
    item.call_async('add', GLib.Variant('(i)', (4,)), 10000, None,
                    lambda obj, res: results.append(obj.call_finish(res)))
    wait_until(lambda: results, 'the call')
    assert results[0].unpack() == (60,)


def test_lazy_window():
    p = Pair(100000)
    try:
        assert p.list.get_n_items() == 100000
        assert p.list.get_n_cached() == p.list.props.prefetch
        assert not p.list.is_item_loaded(70000)
        item = p.list.get_item(70000)
        assert not item.is_valid()
        wait_until(item.is_valid, 'the placeholder')
        assert item.props.number == 70000
        assert p.list.is_item_loaded(70001)
    finally:
        p.close()


def test_async_acquire_and_settings(pair):
    done = []
    pair.node.acquire_model_async('people', None,
                                  lambda node, res: done.append(node.acquire_model_finish(res)))
    wait_until(lambda: done, 'the async acquire')
    assert done[0] is pair.list  # one list per name in a node
    assert done[0].is_valid()

    pair.list.set_prefetch(32)
    assert pair.list.get_prefetch() == 32 == pair.list.props.prefetch
    pair.list.set_max_cached(500)
    assert pair.list.get_max_cached() == 500 == pair.list.props.max_cached
