# test_registry.py: the registry from Python
#
# A registry and a host in this process, another host in a helper process:
# a node acquires by name, and watches the registry's model of locations
# and its signals as hosts come and go. Every wait is bounded.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import gi
gi.require_version('Gro', '1.0')
from gi.repository import Gio, GObject, Gro  # noqa: E402

from gro_helper import Helper, drain, wait_until  # noqa: E402


class Lamp(GObject.Object):
    __gtype_name__ = 'TestRegistryLamp'

    brightness = GObject.Property(type=int, default=40)


def names(model):
    return sorted(model.get_item(i).props.name for i in range(model.get_n_items()))


def test_acquire_by_name_and_locations(tmp_path):
    registry_url = 'unix:' + str(tmp_path / 'registry')
    registry = Gro.RegistryHost.new(registry_url)
    assert isinstance(registry, Gro.Host)

    lamp = Lamp()
    host = Gro.Host.new('unix:' + str(tmp_path / 'lamp'))
    host.set_registry_url(registry_url)
    assert host.props.registry_url == registry_url == host.get_registry_url()
    host.enable_remoting(lamp, 'lamp')

    node = Gro.Node(registry_url=registry_url,
                    reconnect_initial_delay=20, reconnect_max_delay=200)
    added, removed = [], []
    node.connect('source-location-added', lambda n, loc: added.append(loc.props.name))
    node.connect('source-location-removed', lambda n, loc: removed.append(loc.props.name))

    model = node.get_source_locations()
    assert isinstance(model, Gio.ListModel)
    assert model.get_item_type() == Gro.SourceLocation.__gtype__

    # Acquired by name alone: the node finds the host through the registry.
    replica = node.acquire_dynamic('lamp')
    wait_until(replica.is_valid, 'the lamp replica')
    assert replica.props.brightness == 40
    lamp.props.brightness = 70
    wait_until(lambda: replica.props.brightness == 70, 'the new brightness')

    wait_until(lambda: names(model) == ['lamp'], 'the lamp in the model')
    location = model.get_item(0)
    assert location.props.url == host.get_url()
    assert location.get_type_name() == 'TestRegistryLamp'
    assert names(registry.get_source_locations()) == ['lamp']

    # A host in another process comes, and is killed.
    other = Helper('--name', 'remote', '--registry', registry_url)
    try:
        wait_until(lambda: names(model) == ['lamp', 'remote'], 'the remote host')
        remote = node.acquire_dynamic('remote')
        wait_until(remote.is_valid, 'the remote replica')
        other.command('set i 31')
        wait_until(lambda: remote.props.i == 31, 'the remote value')
        other.kill()
        wait_until(lambda: names(model) == ['lamp'] and
                   remote.get_state() == Gro.ReplicaState.SUSPECT, 'the remote host gone')
    finally:
        other.close()
    assert removed == ['remote']
    assert sorted(added) == ['lamp', 'remote']

    # Withdrawn: the location goes, the replica is suspect.
    host.disable_remoting('lamp')
    wait_until(lambda: names(model) == [] and
               replica.get_state() == Gro.ReplicaState.SUSPECT, 'the lamp withdrawn')
    drain()


def test_name_taken(tmp_path):
    registry_url = 'unix:' + str(tmp_path / 'registry')
    registry = Gro.RegistryHost.new(registry_url)
    first = Gro.Host.new('unix:' + str(tmp_path / 'first'))
    second = Gro.Host.new('unix:' + str(tmp_path / 'second'))
    for host in (first, second):
        host.props.registry_url = registry_url
    failures = []
    second.connect('publish-failed', lambda host, name, error: failures.append((name, error)))

    first.enable_remoting(Lamp(), 'lamp')
    wait_until(lambda: names(registry.get_source_locations()) == ['lamp'], 'the first lamp')
    second.enable_remoting(Lamp(), 'lamp')
    wait_until(lambda: failures, 'the refusal')

    name, error = failures[0]
    assert name == 'lamp'
    assert error.matches(Gro.error_quark(), Gro.Error.NAME_IN_USE)
    assert registry.get_source_locations().get_item(0).props.url == first.get_url()
