/* test-typed.vala: the typed replica gro-compiler made, from Vala
 *
 * Through demo-replica-1.0.vapi, against typed-test-source
 * ($GRO_TEST_SOURCE). Every wait is bounded by TIMEOUT_MS.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

const int TIMEOUT_MS = 10000;

delegate bool Condition ();

void wait_until (Condition cond, string what) {
  var deadline = get_monotonic_time () + TIMEOUT_MS * 1000;
  var tick = Timeout.add (10, () => Source.CONTINUE);
  while (!cond ()) {
    if (get_monotonic_time () > deadline)
      error ("timed out waiting for %s", what);
    MainContext.default ().iteration (true);
  }
  Source.remove (tick);
}

/* typed-test-source in its own process; it exits when its stdin closes. */
class Helper {
  public Subprocess process;
  public DataInputStream output;
  public string url;

  public Helper () throws Error {
    process = new Subprocess (SubprocessFlags.STDIN_PIPE | SubprocessFlags.STDOUT_PIPE,
                              Environment.get_variable ("GRO_TEST_SOURCE"));
    output = new DataInputStream (process.get_stdout_pipe ());
    url = output.read_line ();
    assert (output.read_line () == "READY");
  }

  public void command (string line) throws Error {
    size_t written;
    process.get_stdin_pipe ().write_all ((line + "\n").data, out written);
    assert (output.read_line () == "OK");
  }

  public void close () throws Error {
    process.get_stdin_pipe ().close ();
    process.wait ();
  }
}

Demo.ThermostatReplica acquire_valid (Gro.Node node, string name) throws Error {
  var replica = Demo.ThermostatReplica.acquire (node, name);
  replica.wait_for_source (TIMEOUT_MS);
  assert (replica.get_state () == Gro.ReplicaState.VALID);
  return replica;
}

void test_default_state () {
  var replica = Demo.ThermostatReplica.acquire (new Gro.Node (), "thermostat");
  Demo.Thermostat thermostat = replica;
  assert (replica.get_state () == Gro.ReplicaState.DEFAULT);
  assert (thermostat.label == "unnamed");
  assert (thermostat.target == 21);
  assert (thermostat.mode == Demo.Mode.OFF);
}

void test_remote () throws Error {
  var helper = new Helper ();
  var node = new Gro.Node ();
  node.connect_to_node (helper.url);
  var replica = acquire_valid (node, "thermostat");
  Demo.Thermostat thermostat = replica;

  /* Properties, both ways. */
  assert (thermostat.label == "living room");
  double seen = 0;
  thermostat.notify["temperature"].connect (() => seen = thermostat.temperature);
  helper.command ("temperature 19.5");
  wait_until (() => seen == 19.5, "the temperature");
  thermostat.target = 22;
  wait_until (() => thermostat.target == 22, "the written target");

  /* The signal. */
  string? alarm = null;
  thermostat.alarm.connect ((level, message) => alarm = "%d %s".printf (level, message));
  helper.command ("alarm 5 smoke");
  wait_until (() => alarm == "5 smoke", "the alarm");

  /* An async method. */
  double result = 0;
  bool done = false;
  thermostat.set_target_async.begin (40, null, (obj, res) => {
    try {
      result = thermostat.set_target_async.end (res);
    } catch (Error e) {
      error ("set_target failed: %s", e.message);
    }
    done = true;
  });
  wait_until (() => done, "set_target");
  assert (result == 30);

  /* A blocking method that throws, and a void one. */
  try {
    thermostat.boost (5000);
    assert_not_reached ();
  } catch (IOError.INVALID_ARGUMENT e) {
    assert (e.message == "A boost lasts from 1 to 3600 seconds, not 5000");
  }
  assert (thermostat.boost (10));
  thermostat.reset ();
  wait_until (() => thermostat.target == 21, "the reset");

  /* A source that lacks what the interface has. */
  var broken = Demo.ThermostatReplica.acquire (node, "retyped");
  try {
    broken.wait_for_source (TIMEOUT_MS);
    assert_not_reached ();
  } catch (Gro.Error.SIGNATURE_MISMATCH e) {
    assert ("'target'" in e.message);
  }

  helper.close ();
}

int main (string[] args) {
  Test.init (ref args);
  Test.add_func ("/vala/typed/default-state", test_default_state);
  Test.add_func ("/vala/typed/remote", () => {
    try {
      test_remote ();
    } catch (Error e) {
      error ("%s", e.message);
    }
  });
  return Test.run ();
}
