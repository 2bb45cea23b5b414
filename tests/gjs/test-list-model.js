// test-list-model.js: a Gio.ListStore shared by a host and mirrored by a
// node, both in this process, from JavaScript. Prints TAP; every wait is
// bounded.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import GObject from 'gi://GObject';
import Gro from 'gi://Gro?version=1.0';
import System from 'system';

const Person = GObject.registerClass({
    GTypeName: 'TestListPersonGjs',
    Properties: {
        'number': GObject.ParamSpec.int('number', null, null, GObject.ParamFlags.READWRITE,
            -1000000, 1000000, 0),
    },
}, class Person extends GObject.Object {});

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

const N = 100000;
const dir = GLib.dir_make_tmp('gro-gjs-list-XXXXXX');
const url = `unix:${dir}/list.sock`;
const host = Gro.Host.new(url);
const store = Gio.ListStore.new(Person);
store.splice(0, 0, Array.from({length: N}, (_, i) => new Person({number: i})));
host.enable_model_remoting(store, 'people');

const sourceChanges = [];
const replicaChanges = [];
store.connect('items-changed', (m, p, r, a) => sourceChanges.push([p, r, a].join()));

const node = Gro.Node.new();
node.connect_to_node(url);
const list = node.acquire_model('people');
list.connect('items-changed', (m, p, r, a) => replicaChanges.push([p, r, a].join()));

check('a 100,000-item list: its length at once, its items lazily', () => {
    spinUntil(() => list.is_valid(), 'the list');
    if (list.get_n_items() !== N)
        throw new Error(`n_items is ${list.get_n_items()}`);
    if (list.get_n_cached() > list.prefetch)
        throw new Error(`${list.get_n_cached()} items came with the list`);
    const item = list.get_item(54321);
    spinUntil(() => item.is_valid(), 'the placeholder');
    if (item.number !== 54321)
        throw new Error(`item 54321 has number ${item.number}`);
    replicaChanges.length = 0;
});

check('random splices are mirrored exactly', () => {
    let next = N;
    for (let step = 0; step < 100; step++) {
        const len = store.get_n_items();
        const position = GLib.random_int_range(0, len + 1);
        const removed = GLib.random_int_range(0, Math.min(len - position, 4) + 1);
        const added = Array.from({length: GLib.random_int_range(0, 4)},
            () => new Person({number: next++}));
        store.splice(position, removed, added);
        spinUntil(() => replicaChanges.length === sourceChanges.length, 'the change');
        if (replicaChanges.join(' ') !== sourceChanges.join(' '))
            throw new Error(`changes differ at step ${step}`);
        if (list.get_n_items() !== store.get_n_items())
            throw new Error(`lengths differ at step ${step}`);
        // The added items came with the change.
        for (let i = 0; i < added.length; i++) {
            if (!list.is_item_loaded(position + i))
                throw new Error(`item ${position + i} did not come with its change`);
            if (list.get_item(position + i).number !== added[i].number)
                throw new Error(`item ${position + i} differs`);
        }
    }
});

check('an item follows its source', () => {
    const item = list.get_item(0);
    spinUntil(() => item.is_valid(), 'item 0');
    const source = store.get_item(0);
    let notified = 0;
    item.connect('notify::number', () => notified++);
    source.number = -5;
    spinUntil(() => notified === 1, 'the notification');
    if (item.number !== -5)
        throw new Error(`number is ${item.number}`);
});

check('writing an item writes its source', () => {
    const item = list.get_item(1);
    spinUntil(() => item.is_valid(), 'item 1');
    item.number = 777;
    spinUntil(() => store.get_item(1).number === 777, 'the write');
    spinUntil(() => item.number === 777, 'the write to come back');
});

host.run_dispose();
GLib.unlink(`${dir}/list.sock`);
GLib.rmdir(dir);
System.exit(failed ? 1 : 0);
