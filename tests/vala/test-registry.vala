/* test-registry.vala: the registry from Vala
 *
 * A registry, a host and a node in this process: the node acquires a
 * source by name alone and follows the registry's locations, as the host
 * withdraws the source and shares it again.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

public class RegistryLamp : Object {
  public int brightness { get; set; default = 40; }
}

static void spin_until (owned SourceFunc condition, string what) {
  int64 deadline = get_monotonic_time () + 10 * 1000000;

  while (!condition ()) {
    if (get_monotonic_time () > deadline)
      error ("timed out waiting for %s", what);
    if (!MainContext.default ().iteration (false))
      Thread.usleep (1000);
  }
}

static string names (ListModel model) {
  var found = new GenericArray<string> ();

  for (uint i = 0; i < model.get_n_items (); i++)
    found.add (((Gro.SourceLocation) model.get_item (i)).name);
  found.sort (strcmp);
  return string.joinv (",", found.data);
}

static int brightness_of (Gro.Replica replica) {
  int value = -1;

  replica.get ("brightness", out value);
  return value;
}

static void test_by_name () {
  string dir;

  try {
    dir = DirUtils.make_tmp ("gro-vala-registry-XXXXXX");
  } catch (FileError e) {
    error ("%s", e.message);
  }
  var registry_url = "unix:" + dir + "/registry";
  var lamp = new RegistryLamp ();

  try {
    var registry = new Gro.RegistryHost (registry_url);
    var host = new Gro.Host ("unix:" + dir + "/lamp");
    host.registry_url = registry_url;
    host.enable_remoting (lamp, "lamp");

    var node = new Gro.Node ();
    node.reconnect_initial_delay = 20;
    node.registry_url = registry_url;
    var added = new GenericArray<string> ();
    var removed = new GenericArray<string> ();
    node.source_location_added.connect ((location) => added.add (location.name));
    node.source_location_removed.connect ((location) => removed.add (location.name));
    var model = node.get_source_locations ();

    /* By name alone. */
    var replica = node.acquire_dynamic ("lamp");
    spin_until (() => replica.is_valid (), "the replica");
    assert_cmpint (brightness_of (replica), CompareOperator.EQ, 40);
    lamp.brightness = 65;
    spin_until (() => brightness_of (replica) == 65, "the new brightness");

    /* The locations: a model of Gro.SourceLocation. */
    spin_until (() => names (model) == "lamp", "the lamp in the model");
    var location = (Gro.SourceLocation) model.get_item (0);
    assert_cmpstr (location.url, CompareOperator.EQ, host.get_url ());
    assert_cmpstr (location.type_name, CompareOperator.EQ, "RegistryLamp");
    assert_cmpstr (names (registry.get_source_locations ()), CompareOperator.EQ, "lamp");

    /* Withdrawn, then shared again. */
    host.disable_remoting ("lamp");
    spin_until (() => names (model) == "" &&
                replica.get_state () == Gro.ReplicaState.SUSPECT, "the lamp withdrawn");
    lamp.brightness = 12;
    host.enable_remoting (lamp, "lamp");
    spin_until (() => names (model) == "lamp" && replica.is_valid () &&
                brightness_of (replica) == 12, "the lamp back");
    assert_cmpstr (string.joinv (",", added.data), CompareOperator.EQ, "lamp,lamp");
    assert_cmpstr (string.joinv (",", removed.data), CompareOperator.EQ, "lamp");

    node.close ();
    host.close ();
    registry.close ();
  } catch (Error e) {
    error ("%s", e.message);
  }
  DirUtils.remove (dir);
}

public static int main (string[] args) {
  Test.init (ref args);
  Test.add_func ("/vala/registry/by-name", test_by_name);
  return Test.run ();
}
