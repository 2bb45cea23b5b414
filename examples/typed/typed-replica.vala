/* typed-replica.vala: the typed thermostat replica from Vala
 *
 *   typed-replica-vala URL
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

int main (string[] args) {
  var node = new Gro.Node ();
  Demo.Thermostat thermostat = Demo.ThermostatReplica.acquire (node, "thermostat");
  var loop = new MainLoop ();

  try {
    node.connect_to_node (args[1]);
    ((Gro.Replica) thermostat).wait_for_source (5000);
  } catch (Error e) {
    printerr ("typed-replica-vala: %s\n", e.message);
    return 1;
  }
  print ("[vala] %s: target %.1f C\n", thermostat.label, thermostat.target);

  thermostat.alarm.connect ((level, message) => {
    print ("[vala] alarm %d: %s\n", level, message);
    loop.quit ();
  });
  thermostat.set_target_async.begin (8, null, (obj, res) => {
    try {
      print ("[vala] set_target replied: %.1f C\n", thermostat.set_target_async.end (res));
    } catch (Error e) {
      print ("[vala] set_target failed: %s\n", e.message);
    }
  });
  Timeout.add_seconds (5, () => { loop.quit (); return Source.REMOVE; });
  loop.run ();
  return 0;
}
