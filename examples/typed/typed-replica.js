// typed-replica.js: the typed thermostat replica from GJS
//
//   gjs -m typed-replica.js URL
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Gro from 'gi://Gro?version=1.0';
import DemoReplica from 'gi://DemoReplica?version=1.0';
import System from 'system';

const node = new Gro.Node();
const thermostat = DemoReplica.ThermostatReplica.acquire(node, 'thermostat');
node.connect_to_node(System.programArgs[0]);
thermostat.wait_for_source(5000);
print(`[gjs] ${thermostat.label}: target ${thermostat.target.toFixed(1)} C`);

const loop = new GLib.MainLoop(null, false);
thermostat.connect('alarm', (t, level, message) => {
    print(`[gjs] alarm ${level}: ${message}`);
    loop.quit();
});
thermostat.set_target_async(28, null, (t, result) => {
    print(`[gjs] set_target replied: ${t.set_target_finish(result).toFixed(1)} C`);
});
GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 5, () => loop.quit());
loop.run();
