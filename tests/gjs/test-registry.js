// test-registry.js: the registry from JavaScript
//
// A registry, a host and a node in this process: the node acquires a source
// by name alone, and follows the registry's model of locations and its
// signals as the host withdraws and shares it again. Prints TAP; every wait
// is bounded.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gro from 'gi://Gro?version=1.0';
import System from 'system';

const Lamp = GObject.registerClass({
    GTypeName: 'TestRegistryLampGjs',
    Properties: {
        'brightness': GObject.ParamSpec.int('brightness', null, null,
            GObject.ParamFlags.READWRITE, 0, 100, 40),
    },
}, class Lamp extends GObject.Object {});

function spinUntil(condition, what) {
    const context = GLib.MainContext.default();
    const deadline = GLib.get_monotonic_time() + 10 * 1000000;
    while (!condition()) {
        if (GLib.get_monotonic_time() > deadline)
            throw new Error(`timed out waiting for ${what}`);
        if (!context.iteration(false))
            GLib.usleep(1000);
    }
}

function names(model) {
    const out = [];
    for (let i = 0; i < model.get_n_items(); i++)
        out.push(model.get_item(i).name);
    return out.sort().join(',');
}

let n = 0;
let failed = 0;
function check(what, fn) {
    n++;
    try {
        fn();
        print(`ok ${n} - ${what}`);
    } catch (e) {
        failed++;
        print(`not ok ${n} - ${what}`);
        print(`# ${e}`);
    }
}

print('1..4');

const dir = GLib.dir_make_tmp('gro-gjs-registry-XXXXXX');
const registryUrl = `unix:${dir}/registry`;
const registry = Gro.RegistryHost.new(registryUrl);
const lamp = new Lamp();
const host = Gro.Host.new(`unix:${dir}/lamp`);
host.set_registry_url(registryUrl);
host.enable_remoting(lamp, 'lamp');

const node = new Gro.Node({
    registry_url: registryUrl,
    reconnect_initial_delay: 20,
    reconnect_max_delay: 200,
});
const added = [];
const removed = [];
node.connect('source-location-added', (_n, location) => added.push(location.name));
node.connect('source-location-removed', (_n, location) => removed.push(location.name));
const model = node.get_source_locations();
let replica = null;

check('a node acquires a source by name alone', () => {
    if (node.registry_url !== registryUrl)
        throw new Error(`registry-url is ${node.registry_url}`);
    replica = node.acquire_dynamic('lamp');
    spinUntil(() => replica.is_valid(), 'the replica');
    if (replica.brightness !== 40)
        throw new Error(`brightness is ${replica.brightness}`);
    lamp.brightness = 65;
    spinUntil(() => replica.brightness === 65, 'the new brightness');
});

check('the locations are a GListModel of Gro.SourceLocation', () => {
    if (!(model instanceof Gio.ListModel))
        throw new Error('not a list model');
    spinUntil(() => names(model) === 'lamp', 'the lamp in the model');
    const location = model.get_item(0);
    if (!(location instanceof Gro.SourceLocation))
        throw new Error(`item is ${location}`);
    if (location.url !== host.get_url() || location.type_name !== 'TestRegistryLampGjs')
        throw new Error(`location is ${location.url} ${location.type_name}`);
    if (names(registry.get_source_locations()) !== 'lamp')
        throw new Error('the registry does not list the lamp');
});

check('a withdrawn source leaves the model, its replica is suspect', () => {
    host.disable_remoting('lamp');
    spinUntil(() => names(model) === '' &&
        replica.get_state() === Gro.ReplicaState.SUSPECT, 'the lamp withdrawn');
});

check('shared again, it is back, and so is the replica', () => {
    lamp.brightness = 12;
    host.enable_remoting(lamp, 'lamp');
    spinUntil(() => names(model) === 'lamp' && replica.is_valid() &&
        replica.brightness === 12, 'the lamp back');
    if (added.join(',') !== 'lamp,lamp' || removed.join(',') !== 'lamp')
        throw new Error(`added ${added}, removed ${removed}`);
});

node.run_dispose();
host.run_dispose();
registry.run_dispose();
for (const name of ['registry', 'lamp'])
    GLib.unlink(`${dir}/${name}`);
GLib.rmdir(dir);
System.exit(failed ? 1 : 0);
