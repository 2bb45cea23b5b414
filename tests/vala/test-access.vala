/* test-access.vala: a host's access control, decided in Vala
 *
 * A host and a node in this process: the host's authorize handler sees
 * each peer's credentials, makes one source read-only and hides another.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

public class AccessCounter : Object {
  public int count { get; set; default = 3; }

  [Signal (action = true)]
  public virtual signal int add (int a, int b) {
    return a + b;
  }
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

static void test_authorize () {
  string dir;

  try {
    dir = DirUtils.make_tmp ("gro-vala-access-XXXXXX");
  } catch (FileError e) {
    error ("%s", e.message);
  }
  var url = "unix:" + dir + "/access.sock";
  var counter = new AccessCounter ();
  var hidden = new AccessCounter ();
  var asked = new GenericArray<string?> ();

  try {
    var host = new Gro.Host (url);
    host.enable_remoting (counter, "counter");
    host.enable_remoting (hidden, "hidden");
    host.authorize.connect ((peer, source) => {
      asked.add (source);
      var credentials = peer.get_credentials ();
      assert_nonnull (credentials);
      try {
        assert_true (credentials.get_unix_user () == Posix.getuid ());
      } catch (Error e) {
        error ("%s", e.message);
      }
      if (source == null)
        return Gro.Access.FULL;
      return source == "hidden" ? Gro.Access.DENIED : Gro.Access.READ_ONLY;
    });

    var node = new Gro.Node ();
    node.connect_to_node (url);
    var replica = node.acquire_dynamic ("counter");
    spin_until (() => replica.is_valid (), "the replica");

    /* A read-only replica's calls are refused. */
    Error? refused = null;
    bool done = false;
    replica.call_async.begin ("add", new Variant ("(ii)", 1, 2), -1, null, (obj, res) => {
      try {
        replica.call_async.end (res);
      } catch (Error e) {
        refused = e;
      }
      done = true;
    });
    spin_until (() => done, "the answer");
    assert_true (refused != null);
    assert_true (refused is Gro.Error.PERMISSION_DENIED);

    /* A denied source is not shared. */
    var secret = node.acquire_dynamic ("hidden");
    spin_until (() => asked.length == 3, "the question");
    int64 until = get_monotonic_time () + 200000;
    spin_until (() => get_monotonic_time () > until, "a while");
    assert_false (secret.is_valid ());
    assert_null (asked[0]);
    assert_true (asked[1] == "counter");
    assert_true (asked[2] == "hidden");

    host = null;
  } catch (Error e) {
    error ("%s", e.message);
  }
  FileUtils.unlink (dir + "/access.sock");
  DirUtils.remove (dir);
}

/* close () ends a host's and a node's connections for good, at once. */
static void test_close () {
  string dir;

  try {
    dir = DirUtils.make_tmp ("gro-vala-close-XXXXXX");
  } catch (FileError e) {
    error ("%s", e.message);
  }
  var url = "unix:" + dir + "/close.sock";

  try {
    var host = new Gro.Host (url);
    host.enable_remoting (new AccessCounter (), "counter");
    var node = new Gro.Node ();
    node.connect_to_node (url);
    var replica = node.acquire_dynamic ("counter");
    spin_until (() => replica.is_valid (), "the replica");
    int closed = 0;
    node.connection_closed.connect (() => closed++);

    host.close ();
    spin_until (() => closed == 1 && !replica.is_valid (), "the connection to end");
    assert_false (FileUtils.test (dir + "/close.sock", FileTest.EXISTS));
    try {
      host.enable_remoting (new AccessCounter (), "again");
      assert_not_reached ();
    } catch (Gro.Error e) {
      assert_true (e is Gro.Error.CLOSED);
    }

    node.close ();
    try {
      node.connect_to_node (url);
      assert_not_reached ();
    } catch (Gro.Error e) {
      assert_true (e is Gro.Error.CLOSED);
    }
  } catch (Error e) {
    error ("%s", e.message);
  }
  DirUtils.remove (dir);
}

public static int main (string[] args) {
  Test.init (ref args);
  Test.add_func ("/vala/access/authorize", test_authorize);
  Test.add_func ("/vala/access/close", test_close);
  return Test.run ();
}
