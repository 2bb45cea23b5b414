/* test-replica.vala: gro from Vala, through gro-1.0.vapi
 *
 * Two parts:
 *
 *  - /vala/replica/...: a dynamic replica of the GroTestObject that
 *    gro-test-source ($GRO_TEST_SOURCE) shares as "test" in another process,
 *    as tests/python/test_replica.py does. Each test starts its own helper.
 *  - /vala/source/...: a source written in Vala (Counter), shared by a
 *    Gro.Host in this process and acquired by a Gro.Node in this process.
 *    Only the async API is used there (tests/test-host.c checks sync calls
 *    to a host of the caller's thread).
 *
 * Each test is a coroutine, run by a MainLoop of its own. Every wait in it is
 * bounded by TIMEOUT_S, and the test as a whole by GUARD_S.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

const uint TIMEOUT_S = 10;          /* any single wait */
const int TIMEOUT_MS = 10000;       /* the same, for gro's own timeouts */
const uint GUARD_S = 100;           /* a whole test, should a wait not be bounded */

const string SOURCE_NAME = "test";
const string TEST_ERROR_DOMAIN = "gro-test-error-quark";
const int MODE_COOL = 7;            /* GRO_TEST_MODE_COOL */
const uint FLAGS_RED_BLUE = 1 | 4;  /* GRO_TEST_FLAGS_RED | GRO_TEST_FLAGS_BLUE */

/* What goes wrong in the test's own machinery. */
errordomain TestError {
  TIMED_OUT,
  HELPER
}

/* The domain of the errors gro-test-object's "fail" returns. A Vala
 * errordomain named so has the quark "gro-test-error-quark", so the remote
 * error can be caught by its code, as a local one would. */
errordomain GroTestError {
  FAILED = 42
}

/* ------------------------------------------------------------------------ */
/* Waiting                                                                   */

delegate bool Condition ();

/* Resumes when cond () holds, or throws after TIMEOUT_S. It polls, so it
 * needs nothing from what it waits for. */
async void wait_until (owned Condition cond, string what) throws TestError {
  int64 deadline = get_monotonic_time () + TIMEOUT_S * TimeSpan.SECOND;

  while (!cond ()) {
    if (get_monotonic_time () > deadline)
      throw new TestError.TIMED_OUT ("timed out after %u s waiting for %s", TIMEOUT_S, what);
    Timeout.add (5, wait_until.callback);
    yield;
  }
}

/* Lets everything that is ready in the main context run first: the
 * notifications and signals queued before now. */
async void settle () {
  for (int i = 0; i < 3; i++) {
    Idle.add (settle.callback, Priority.LOW);
    yield;
  }
}

/* Dispatches what is ready now in the default main context. */
void drain () {
  var context = MainContext.default ();

  for (int i = 0; i < 1000 && context.iteration (false); i++)
    ;
}

/* A Cancellable that is cancelled after TIMEOUT_S, for the operations that gro
 * does not bound itself (connecting, acquiring, writing). */
class Deadline {
  public Cancellable cancellable = new Cancellable ();
  private TimeoutSource source;

  public Deadline () {
    source = cancel_later (cancellable);
  }

  ~Deadline () {
    source.destroy ();
  }

  /* Static, so that the closure holds the Cancellable and not the Deadline. */
  static TimeoutSource cancel_later (Cancellable cancellable) {
    var timeout = new TimeoutSource.seconds (TIMEOUT_S);

    timeout.set_callback (() => {
      cancellable.cancel ();
      return Source.REMOVE;
    });
    timeout.attach (MainContext.get_thread_default ());
    return timeout;
  }
}

async void connect_bounded (Gro.Node node, string url) throws Error {
  var deadline = new Deadline ();

  try {
    assert_true (yield node.connect_to_node_async (url, deadline.cancellable));
  } catch (IOError.CANCELLED e) {
    throw new TestError.TIMED_OUT ("connecting to %s took more than %u s", url, TIMEOUT_S);
  }
}

async Gro.Replica acquire_bounded (Gro.Node node, string name) throws Error {
  var deadline = new Deadline ();

  try {
    return yield node.acquire_dynamic_async (name, deadline.cancellable);
  } catch (IOError.CANCELLED e) {
    throw new TestError.TIMED_OUT ("acquiring '%s' took more than %u s", name, TIMEOUT_S);
  }
}

/* A valid replica whose start-up notifications have all been delivered, so
 * that handlers connected afterwards see only what the test causes. */
async Gro.Replica acquire_valid (Gro.Node node, string name = SOURCE_NAME) throws Error {
  var replica = yield acquire_bounded (node, name);

  assert_true (replica.get_state () == Gro.ReplicaState.VALID);
  yield settle ();
  return replica;
}

async bool write_bounded (Gro.Replica replica, string name, Value value) throws Error {
  var deadline = new Deadline ();

  try {
    return yield replica.write_property_async (name, value, deadline.cancellable);
  } catch (IOError.CANCELLED e) {
    throw new TestError.TIMED_OUT ("writing '%s' took more than %u s", name, TIMEOUT_S);
  }
}

/* A call with gro's own bound. */
async Variant call (Gro.Replica replica, string method, Variant? args = null) throws Error {
  return yield replica.call_async (method, args, TIMEOUT_MS, null);
}

int result_int (Variant result) {
  int value;

  assert_cmpstr (result.get_type_string (), EQ, "(i)");
  result.get ("(i)", out value);
  return value;
}

/* ------------------------------------------------------------------------ */
/* Reading properties of a run-time class                                    */

/* The value of a property, in a GValue of the property's own type. */
Value property_value (Object object, string name) {
  unowned ParamSpec? pspec = object.get_class ().find_property (name);

  assert_nonnull (pspec);
  var value = Value (pspec.value_type);
  object.get_property (name, ref value);
  return value;
}

int get_int (Object object, string name) {
  int value;

  object.get (name, out value);
  return value;
}

/* A string array property, or null (the cast alone asserts on NULL). */
string[]? get_strv (Object object, string name) {
  var value = property_value (object, name);

  if (value.get_boxed () == null)
    return null;
  return (string[]) value;
}

string? get_string (Object object, string name) {
  string? value;

  object.get (name, out value);
  return value;
}

/* ------------------------------------------------------------------------ */
/* The helper process                                                        */

/* A running gro-test-source, talked to over its stdin and stdout. Its output
 * is read in a private main context, so that waiting for it runs nothing of
 * the test's. */
class Helper {
  public string[] urls = {};
  private Subprocess process;
  private DataInputStream output;
  private OutputStream input;
  private MainContext context = new MainContext ();

  public string url {
    get { return urls[0]; }
  }

  public Helper () throws Error {
    string? program = Environment.get_variable ("GRO_TEST_SOURCE");
    string? wrapper = Environment.get_variable ("GRO_TEST_SOURCE_WRAPPER");
    string[] argv = {};

    if (program == null)
      throw new TestError.HELPER ("GRO_TEST_SOURCE is not set; run the test through meson test");
    /* Under the valgrind setup, the helper runs under valgrind too. */
    if (wrapper != null)
      foreach (unowned string word in wrapper.split (" "))
        if (word != "")
          argv += word;
    argv += program;

    process = new Subprocess.newv (argv, SubprocessFlags.STDIN_PIPE | SubprocessFlags.STDOUT_PIPE);
    output = new DataInputStream (process.get_stdout_pipe ());
    input = process.get_stdin_pipe ();

    for (;;) {
      string? line = read_line ();

      if (line == null)
        throw new TestError.HELPER ("the helper exited before it was ready");
      if (line == "READY")
        break;
      urls += line;
    }
    if (urls.length == 0)
      throw new TestError.HELPER ("the helper printed no address");
  }

  /* Iterates the private context until done, or for at most TIMEOUT_S;
   * returns whether done. */
  private bool iterate_until (ref bool done) {
    bool timed_out = false;
    var timeout = new TimeoutSource.seconds (TIMEOUT_S);

    timeout.set_callback (() => {
      timed_out = true;
      return Source.REMOVE;
    });
    timeout.attach (context);
    while (!done && !timed_out)
      context.iteration (true);
    timeout.destroy ();
    return done;
  }

  /* One line of the helper's output, without its newline; null at its end. */
  private string? read_line () throws Error {
    var cancellable = new Cancellable ();
    string? line = null;
    Error? error = null;
    bool done = false;

    context.push_thread_default ();
    output.read_line_utf8_async.begin (Priority.DEFAULT, cancellable, (obj, res) => {
      try {
        line = output.read_line_utf8_async.end (res);
      } catch (Error e) {
        error = e;
      }
      done = true;
    });
    bool in_time = iterate_until (ref done);
    if (!in_time) {
      cancellable.cancel ();
      while (!done)
        context.iteration (true);
    }
    context.pop_thread_default ();

    if (!in_time)
      throw new TestError.TIMED_OUT ("the helper did not answer within %u s", TIMEOUT_S);
    if (error != null)
      throw error;
    return line;
  }

  /* Sends a command and checks that the helper answers OK. */
  public void command (string line) throws Error {
    input.write_all ((line + "\n").data, null);

    string? answer = read_line ();
    if (answer != "OK")
      throw new TestError.HELPER ("'%s' answered '%s'", line, answer ?? "(end of output)");
  }

  /* Waits, bounded, for the helper to exit. */
  private bool wait_exit () {
    var cancellable = new Cancellable ();
    bool done = false;

    context.push_thread_default ();
    process.wait_async.begin (cancellable, (obj, res) => {
      try {
        process.wait_async.end (res);
      } catch (Error e) {
      }
      done = true;
    });
    bool in_time = iterate_until (ref done);
    if (!in_time) {
      cancellable.cancel ();
      while (!done)
        context.iteration (true);
    }
    context.pop_thread_default ();
    return in_time;
  }

  /* Kills the helper, and waits for it to be gone. */
  public void kill () {
    process.force_exit ();
    wait_exit ();
  }

  /* Closing its stdin makes the helper exit by itself. */
  public void close () {
    try {
      input.close ();
    } catch (Error e) {
    }
    if (!wait_exit ()) {
      process.force_exit ();
      wait_exit ();
    }
  }
}

/* ------------------------------------------------------------------------ */
/* Signal handlers for run-time signals                                      */

/* The replica's class is made at run time, so its signals are unknown to
 * valac: they are connected as dynamic signals, whose handlers must be
 * methods (not lambdas) with the C signature minus the user data. */
class Recorder : Object {
  public string[] pings = {};
  public int all_types_count = 0;
  public bool b;
  public uint64 u64;
  public double d;
  public string? s = "unset";
  public string[]? strv;
  public Bytes? bytes;
  public int mode;
  public uint flags;
  public string[] bumps = {};

  public void on_ping (Object sender, int n, string? text) {
    pings += "%d %s".printf (n, text ?? "(null)");
  }

  public void on_all_types (Object sender, bool b, uint64 u64, double d, string? s,
                            [CCode (array_length = false, array_null_terminated = true)] string[]? strv,
                            Bytes? bytes, int mode, uint flags) {
    all_types_count++;
    this.b = b;
    this.u64 = u64;
    this.d = d;
    this.s = s;
    this.strv = strv;
    this.bytes = bytes;
    this.mode = mode;
    this.flags = flags;
  }

  public void on_bumped (Object sender, int by, string? why) {
    bumps += "%d %s".printf (by, why ?? "(null)");
  }
}

/* The other way, without dynamic: GLib.Signal.connect with a C-style callback
 * that takes the user data last. */
static void on_ping_plain (Object sender, int n, string? text, Recorder recorder) {
  recorder.pings += "plain %d %s".printf (n, text ?? "(null)");
}

/* ------------------------------------------------------------------------ */
/* Objects that must be gone when their test has ended                       */

class Watch {
  public string what;
  public bool gone = false;
  private unowned Object object;

  public Watch (Object object, string what) {
    this.object = object;
    this.what = what;
    object.weak_ref (on_gone);
  }

  private void on_gone (Object object) {
    gone = true;
  }

  /* Stops watching an object that is still alive. */
  public void release () {
    if (!gone)
      object.weak_unref (on_gone);
  }
}

GenericArray<Watch> watches;

/* Checks, at the end of the test, that @object was finalized: neither gro
 * nor the test may keep it. */
T track<T> (T object, string what) {
  watches.add (new Watch ((Object) object, what));
  return object;
}

/* The tracked objects that are still alive; stops watching them all. */
string[] untrack_all () {
  string[] alive = {};

  foreach (unowned Watch watch in watches) {
    if (!watch.gone)
      alive += watch.what;
    watch.release ();
  }
  watches = new GenericArray<Watch> ();
  return alive;
}

/* ------------------------------------------------------------------------ */
/* Part 1: a replica of a source in another process                          */

async void test_acquire_async () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);

    var deadline = new Deadline ();
    Gro.Replica replica = track (yield node.acquire_dynamic_async (SOURCE_NAME, deadline.cancellable), "replica");

    assert_true (replica.get_state () == Gro.ReplicaState.VALID);
    assert_true (replica.state == Gro.ReplicaState.VALID);
    assert_true (replica.is_valid ());
    assert_cmpstr (replica.get_name (), EQ, SOURCE_NAME);
    assert_cmpstr (replica.name, EQ, SOURCE_NAME);
    assert_true (replica.get_node () == node);
    assert_true (replica.node == node);
    assert_cmpstr (replica.get_type_name (), EQ, "GroTestObject");

    /* The class is built at run time from the source's schema, as a
     * subclass of Gro.Replica, with real GObject properties and signals. */
    assert_true (replica.get_type () != typeof (Gro.Replica));
    assert_true (replica.get_type ().is_a (typeof (Gro.Replica)));
    assert_true (replica is Gro.Replica);
    assert_nonnull (replica.get_class ().find_property ("i"));
    assert_true (Signal.lookup ("ping", replica.get_type ()) != 0);

    unowned DBusInterfaceInfo? info = replica.get_interface_info ();
    assert_nonnull (info);
    assert_cmpstr (info.lookup_property ("i").signature, EQ, "i");
    assert_cmpint (info.lookup_method ("add").in_args.length, EQ, 2);
    assert_nonnull (info.lookup_signal ("ping"));

    string[] names = node.dup_source_names ();
    assert_true (SOURCE_NAME in names);
  } finally {
    helper.close ();
  }
}

/* The sync forms, which are safe against a host in another process. */
async void test_wait_for_source () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    assert_true (node.connect_to_node (helper.url));

    var replica = track (node.acquire_dynamic (SOURCE_NAME), "replica");
    assert_true (replica.get_state () == Gro.ReplicaState.UNINITIALIZED);
    assert_false (replica.is_valid ());

    Gro.ReplicaState[] states = {};
    Gro.ReplicaState[] changes = {};
    int initialized = 0;
    replica.notify["state"].connect ((obj, pspec) => {
      states += ((Gro.Replica) obj).state;
    });
    replica.state_changed.connect ((obj, state, old_state) => {
      changes += state;
      changes += old_state;
    });
    replica.initialized.connect (() => {
      initialized++;
    });

    assert_true (replica.wait_for_source (TIMEOUT_MS));
    assert_true (replica.get_state () == Gro.ReplicaState.VALID);
    assert_true (replica.is_valid ());
    /* wait_for_source () runs nothing of ours; the notifications come
     * afterwards, from the main context. */
    assert_cmpint (states.length, EQ, 0);
    assert_cmpint (initialized, EQ, 0);

    yield wait_until (() => initialized > 0, "the initialized signal");
    assert_cmpint (initialized, EQ, 1);
    assert_cmpint (states.length, EQ, 1);
    assert_true (states[0] == Gro.ReplicaState.VALID);
    assert_cmpint (changes.length, EQ, 2);
    assert_true (changes[0] == Gro.ReplicaState.VALID);
    assert_true (changes[1] == Gro.ReplicaState.UNINITIALIZED);
  } finally {
    helper.close ();
  }
}

/* The source's defaults, read through GLib.Value in each property's type. */
async void test_default_values () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");
    Value v;

    v = property_value (replica, "b");
    assert_true (v.holds (typeof (bool)));
    assert_false (v.get_boolean ());
    v = property_value (replica, "c");
    assert_true (v.holds (typeof (char)));
    assert_cmpint (v.get_schar (), EQ, 0);
    v = property_value (replica, "uc");
    assert_true (v.holds (typeof (uchar)));
    assert_cmpuint (v.get_uchar (), EQ, 0);
    v = property_value (replica, "i");
    assert_true (v.holds (typeof (int)));
    assert_cmpint (v.get_int (), EQ, 0);
    v = property_value (replica, "u");
    assert_true (v.holds (typeof (uint)));
    assert_cmpuint (v.get_uint (), EQ, 0);
    v = property_value (replica, "i64");
    assert_true (v.holds (typeof (int64)));
    assert_true (v.get_int64 () == 0);
    v = property_value (replica, "u64");
    assert_true (v.holds (typeof (uint64)));
    assert_true (v.get_uint64 () == 0);
    v = property_value (replica, "f");
    assert_true (v.holds (typeof (float)));
    assert_cmpfloat (v.get_float (), EQ, 0.0);
    v = property_value (replica, "d");
    assert_true (v.holds (typeof (double)));
    assert_cmpfloat (v.get_double (), EQ, 0.0);
    v = property_value (replica, "s");
    assert_true (v.holds (typeof (string)));
    assert_null (v.get_string ());
    v = property_value (replica, "strv");
    assert_true (v.holds (typeof (string[])));
    assert_null (v.get_boxed ());
    v = property_value (replica, "bytes");
    assert_true (v.holds (typeof (Bytes)));
    assert_null (v.get_boxed ());
    v = property_value (replica, "variant");
    assert_true (v.holds (typeof (Variant)));
    assert_null (v.dup_variant ());
    v = property_value (replica, "counter");
    assert_cmpint (v.get_int (), EQ, 0);
    v = property_value (replica, "bounded");
    assert_cmpint (v.get_int (), EQ, 0);

    /* This process has no GroTestMode or GroTestFlags, so the node made
     * types from the schema, named after the source's (doc/values.md). */
    v = property_value (replica, "mode");
    assert_true (v.type ().is_enum ());
    assert_true (v.type ().name ().has_prefix ("GroRemote_GroTestMode_"));
    assert_cmpint (v.get_enum (), EQ, 0);
    v = property_value (replica, "flags");
    assert_true (v.type ().is_flags ());
    assert_true (v.type ().name ().has_prefix ("GroRemote_GroTestFlags_"));
    assert_cmpuint (v.get_flags (), EQ, 0);

    /* Object.get () with out arguments works too. */
    bool b = true;
    int i = -1;
    double d = -1;
    string? s = "unset";
    replica.get ("b", out b, "i", out i, "d", out d, "s", out s);
    assert_false (b);
    assert_cmpint (i, EQ, 0);
    assert_cmpfloat (d, EQ, 0.0);
    assert_null (s);
  } finally {
    helper.close ();
  }
}

/* Values the source had before the replica was acquired. */
async void test_initial_values () throws Error {
  var helper = new Helper ();

  try {
    helper.command ("set i 7");
    helper.command ("set s hello");
    helper.command ("set strv a,b,c");
    helper.command ("set mode %d".printf (MODE_COOL));
    helper.command ("set flags %u".printf (FLAGS_RED_BLUE));
    helper.command ("set d 2.5");
    helper.command ("set b true");
    helper.command ("set u64 18446744073709551615");
    helper.command ("set bytes abc");
    helper.command ("set variant (1, 'z')");

    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");

    assert_cmpint (get_int (replica, "i"), EQ, 7);
    assert_cmpstr (get_string (replica, "s"), EQ, "hello");
    assert_true (property_value (replica, "b").get_boolean ());
    assert_cmpfloat (property_value (replica, "d").get_double (), EQ, 2.5);
    assert_true (property_value (replica, "u64").get_uint64 () == uint64.MAX);

    string[] strv = get_strv (replica, "strv");
    assert_cmpint (strv.length, EQ, 3);
    assert_cmpstrv (strv, { "a", "b", "c" });

    var mode = property_value (replica, "mode");
    assert_cmpint (mode.get_enum (), EQ, MODE_COOL);
    var mode_class = (EnumClass) mode.type ().class_ref ();
    assert_cmpstr (mode_class.get_value (mode.get_enum ()).value_nick, EQ, "cool");
    assert_cmpstr (mode_class.get_value (mode.get_enum ()).value_name, EQ, "GRO_TEST_MODE_COOL");

    var flags = property_value (replica, "flags");
    assert_cmpuint (flags.get_flags (), EQ, FLAGS_RED_BLUE);
    var flags_class = (FlagsClass) flags.type ().class_ref ();
    assert_cmpstr (flags_class.get_first_value (flags.get_flags ()).value_nick, EQ, "red");

    var bytes_value = property_value (replica, "bytes");
    unowned Bytes bytes = (Bytes) bytes_value.get_boxed ();
    assert_cmpmem (bytes.get_data (), "abc".data);

    /* dup_variant (): Vala 0.56 binds get_variant () as transfer full, which
     * it is not, and would unref the value's variant. */
    Variant? variant = property_value (replica, "variant").dup_variant ();
    assert_nonnull (variant);
    assert_cmpstr (variant.print (false), EQ, "(1, 'z')");
  } finally {
    helper.close ();
  }
}

/* A change made at the source arrives, with its notify. */
async void test_notify_after_source_change () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");

    string[] seen = {};
    replica.notify["i"].connect ((obj, pspec) => {
      seen += "i=%d".printf (get_int (obj, "i"));
    });
    replica.notify["strv"].connect ((obj, pspec) => {
      string[] value = get_strv (obj, "strv");
      seen += "strv=%s".printf (string.joinv (",", value));
    });

    helper.command ("set i 42");
    yield wait_until (() => "i=42" in seen, "notify::i");
    assert_cmpint (get_int (replica, "i"), EQ, 42);

    helper.command ("set strv x,y");
    yield wait_until (() => "strv=x,y" in seen, "notify::strv");
    assert_cmpstrv (seen, { "i=42", "strv=x,y" });
  } finally {
    helper.close ();
  }
}

/* Writes go to the source; the replica changes when the source's change
 * comes back. A second node, connected on its own, shows that the source
 * took the value. */
async void test_set_property () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");
    var other_node = track (new Gro.Node (), "other node");
    yield connect_bounded (other_node, helper.url);
    var other = track (yield acquire_valid (other_node), "other replica");

    /* Handlers are disconnected once done with: the closures of this
     * coroutine share one block, which holds the replicas that other
     * closures here use, so a handler left connected would keep its
     * replica alive. */
    string?[] seen = {};
    ulong handler = replica.notify["s"].connect ((obj, pspec) => {
      seen += get_string (obj, "s");
    });

    replica.set_property ("s", "from vala");
    /* The source is the single source of truth: nothing changes here until
     * its notification comes back. */
    assert_null (get_string (replica, "s"));
    assert_cmpint (seen.length, EQ, 0);

    yield wait_until (() => seen.length > 0, "notify::s");
    assert_cmpint (seen.length, EQ, 1);
    assert_cmpstr (seen[0], EQ, "from vala");
    assert_cmpstr (get_string (replica, "s"), EQ, "from vala");
    replica.disconnect (handler);
    yield wait_until (() => get_string (other, "s") == "from vala", "the other replica's s");

    /* Object.set () with a plain int. */
    replica.set ("i", -3);
    yield wait_until (() => get_int (replica, "i") == -3, "i to come back");
    yield wait_until (() => get_int (other, "i") == -3, "the other replica's i");

    /* write_property_async () reports whether the source took the value; by
     * the time it completes, the new value has arrived. */
    var d = Value (typeof (double));
    d.set_double (-0.25);
    assert_true (yield write_bounded (replica, "d", d));
    assert_cmpfloat (property_value (replica, "d").get_double (), EQ, -0.25);

    /* A value of another type is converted to the property's. */
    var u64 = Value (typeof (int));
    u64.set_int (12);
    assert_true (yield write_bounded (replica, "u64", u64));
    assert_true (property_value (replica, "u64").get_uint64 () == 12);

    string[] items = { "p", "", "q" };
    Value strv = items;
    assert_true (strv.holds (typeof (string[])));
    assert_true (yield write_bounded (replica, "strv", strv));
    assert_cmpstrv (get_strv (replica, "strv"), { "p", "", "q" });
    yield wait_until (() => get_strv (other, "strv") != null, "the other replica's strv");
    assert_cmpstrv (get_strv (other, "strv"), { "p", "", "q" });
  } finally {
    helper.close ();
  }
}

/* Writes the source refuses fail with a Gro.Error. */
async void test_write_refused () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");

    try {
      yield write_bounded (replica, "counter", 3);
      assert_not_reached ();
    } catch (Gro.Error.READ_ONLY e) {
    }

    try {
      yield write_bounded (replica, "bounded", 500);
      assert_not_reached ();
    } catch (Gro.Error e) {
      assert_error (e, Gro.Error.quark (), Gro.Error.INVALID_VALUE);
      assert_true (e is Gro.Error.INVALID_VALUE);
    }
    assert_cmpint (get_int (replica, "bounded"), EQ, 0);

    try {
      yield write_bounded (replica, "no-such-property", 1);
      assert_not_reached ();
    } catch (Gro.Error.UNKNOWN_PROPERTY e) {
    }
  } finally {
    helper.close ();
  }
}

/* Signals with arguments, connected by name on the run-time class. */
async void test_signals () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");
    var recorder = new Recorder ();

    dynamic Object dynamic_replica = replica;
    dynamic_replica.ping.connect (recorder.on_ping);
    dynamic_replica.all_types.connect (recorder.on_all_types);

    var reply = yield call (replica, "emit-ping", new Variant ("(is)", 4, "four"));
    assert_cmpstr (reply.get_type_string (), EQ, "()");
    yield wait_until (() => recorder.pings.length > 0, "the ping signal");
    assert_cmpstrv (recorder.pings, { "4 four" });

    helper.command ("emit-all-types");
    yield wait_until (() => recorder.all_types_count > 0, "the all-types signal");
    assert_cmpint (recorder.all_types_count, EQ, 1);
    assert_true (recorder.b);
    assert_true (recorder.u64 == uint64.MAX);
    assert_cmpfloat (recorder.d, EQ, -2.5);
    assert_null (recorder.s);
    assert_cmpstrv (recorder.strv, { "x", "", "y" });
    assert_nonnull (recorder.bytes);
    assert_cmpmem (recorder.bytes.get_data (), { 'a', 0, 'b' });
    assert_cmpint (recorder.mode, EQ, MODE_COOL);
    assert_cmpuint (recorder.flags, EQ, FLAGS_RED_BLUE);

    /* Plain GLib.Signal.connect () with a C-style callback works too. */
    ulong id = Signal.connect (replica, "ping", (Callback) on_ping_plain, recorder);
    yield call (replica, "emit-ping", new Variant ("(ims)", 0, null));
    yield wait_until (() => recorder.pings.length == 3, "two more pings");
    SignalHandler.disconnect (replica, id);
    assert_cmpstrv (recorder.pings, { "4 four", "0 (null)", "plain 0 (null)" });
  } finally {
    helper.close ();
  }
}

async void test_calls () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");

    var reply = yield replica.call_async ("add", new Variant ("(ii)", 2, 3), TIMEOUT_MS, null);
    assert_cmpint (result_int (reply), EQ, 5);

    /* The sync form, from the node's thread. */
    reply = replica.call_sync ("add", new Variant ("(ii)", 2, 3), TIMEOUT_MS);
    assert_cmpint (result_int (reply), EQ, 5);

    reply = yield call (replica, "concat", new Variant ("(ss)", "gr", "o"));
    /* Strings may be NULL in GObject, so the schema has them as maybe types. */
    assert_cmpstr (reply.get_type_string (), EQ, "(ms)");
    string? text;
    reply.get ("(ms)", out text);
    assert_cmpstr (text, EQ, "gro");

    /* A reply the source gives later. */
    reply = yield call (replica, "defer-add", new Variant ("(ii)", 20, 22));
    assert_cmpint (result_int (reply), EQ, 42);

    reply = yield call (replica, "echo-variant", new Variant ("(v)", new Variant.string ("v")));
    assert_cmpstr (reply.print (true), EQ, "(@mv <'v'>,)");

    /* A method that returns nothing answers an empty tuple. */
    reply = yield call (replica, "bump", new Variant ("(i)", 2));
    assert_cmpstr (reply.get_type_string (), EQ, "()");
    yield wait_until (() => get_int (replica, "i") == 2, "i to be bumped");
  } finally {
    helper.close ();
  }
}

/* Errors the source returns keep their domain, code and message. */
async void test_call_fails () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");

    try {
      yield replica.call_async ("fail", new Variant ("(s)", "it went wrong"), TIMEOUT_MS, null);
      assert_not_reached ();
    } catch (Error e) {
      assert_error (e, Quark.from_string (TEST_ERROR_DOMAIN), 42);
      assert_cmpstr (e.domain.to_string (), EQ, TEST_ERROR_DOMAIN);
      assert_cmpstr (e.message, EQ, "it went wrong");
    }

    /* The same with the sync form, caught by a Vala errordomain of that
     * quark. */
    try {
      replica.call_sync ("fail", new Variant ("(s)", "again"), TIMEOUT_MS);
      assert_not_reached ();
    } catch (GroTestError.FAILED e) {
      assert_cmpstr (e.message, EQ, "again");
    }

    /* Errors from gro itself are Gro.Errors. */
    try {
      yield call (replica, "no-such-method");
      assert_not_reached ();
    } catch (Gro.Error.UNKNOWN_METHOD e) {
    }
    try {
      yield call (replica, "add", new Variant ("(ss)", "2", "3"));
      assert_not_reached ();
    } catch (Gro.Error.INVALID_ARGS e) {
    }
    try {
      yield call (replica, "drop");
      assert_not_reached ();
    } catch (Gro.Error.NO_REPLY e) {
    }
  } finally {
    helper.close ();
  }
}

/* The source withdrawn: SUSPECT, last values kept, calls refused; and back. */
async void test_suspect () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    helper.command ("set i 9");
    var replica = track (yield acquire_valid (node), "replica");
    assert_cmpint (get_int (replica, "i"), EQ, 9);

    Gro.ReplicaState[] states = {};
    Gro.ReplicaState[] changes = {};
    int initialized = 0;
    replica.notify["state"].connect ((obj, pspec) => {
      states += ((Gro.Replica) obj).get_state ();
    });
    replica.state_changed.connect ((obj, state, old_state) => {
      changes += state;
      changes += old_state;
    });
    replica.initialized.connect (() => {
      initialized++;
    });

    helper.command ("disable");
    yield wait_until (() => states.length > 0, "notify::state");
    assert_cmpint (states.length, EQ, 1);
    assert_true (states[0] == Gro.ReplicaState.SUSPECT);
    assert_cmpint (changes.length, EQ, 2);
    assert_true (changes[0] == Gro.ReplicaState.SUSPECT);
    assert_true (changes[1] == Gro.ReplicaState.VALID);
    assert_true (replica.get_state () == Gro.ReplicaState.SUSPECT);
    assert_false (replica.is_valid ());
    /* The last values received stay. */
    assert_cmpint (get_int (replica, "i"), EQ, 9);

    try {
      yield call (replica, "add", new Variant ("(ii)", 2, 3));
      assert_not_reached ();
    } catch (Gro.Error.SOURCE_UNAVAILABLE e) {
    }
    try {
      replica.call_sync ("add", new Variant ("(ii)", 2, 3), TIMEOUT_MS);
      assert_not_reached ();
    } catch (Gro.Error.SOURCE_UNAVAILABLE e) {
    }

    /* Shared again: valid again, with a new initialized signal. */
    helper.command ("enable");
    yield wait_until (() => initialized > 0, "the initialized signal");
    assert_true (replica.get_state () == Gro.ReplicaState.VALID);
    assert_true (states[states.length - 1] == Gro.ReplicaState.VALID);
    assert_cmpint (result_int (yield call (replica, "add", new Variant ("(ii)", 2, 3))), EQ, 5);
  } finally {
    helper.close ();
  }
}

/* The helper killed: a call in flight fails, the replica is suspect, and
 * the node says which connection closed. */
async void test_helper_killed () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");

    string[] closed = {};
    string[] reasons = {};
    ulong handler = node.connection_closed.connect ((obj, address, error) => {
      closed += address;
      reasons += error != null ? error.message : "(none)";
    });

    /* defer-add answers after 20 ms; the helper is gone before then. */
    Error? in_flight = null;
    bool done = false;
    replica.call_async.begin ("defer-add", new Variant ("(ii)", 1, 2), TIMEOUT_MS, null,
                              (obj, res) => {
      try {
        ((Gro.Replica) obj).call_async.end (res);
      } catch (Error e) {
        in_flight = e;
      }
      done = true;
    });
    helper.kill ();

    yield wait_until (() => done, "the call in flight to fail");
    assert_error (in_flight, Gro.Error.quark (), Gro.Error.DISCONNECTED);
    yield wait_until (() => replica.get_state () == Gro.ReplicaState.SUSPECT,
                      "the replica to be suspect");
    yield wait_until (() => closed.length > 0, "connection-closed");
    assert_cmpstrv (closed, { helper.url });
    /* The peer went away, so there is a reason. */
    assert_cmpstr (reasons[0], NE, "(none)");
    /* The closures here share a block that holds the node. */
    node.disconnect (handler);
  } finally {
    helper.close ();
  }
}

/* Many calls in a row, sync and async, and several async ones at once. */
async void test_many_calls () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);
    var replica = track (yield acquire_valid (node), "replica");

    for (int k = 0; k < 200; k++) {
      var reply = replica.call_sync ("add", new Variant ("(ii)", k, 1), TIMEOUT_MS);
      assert_cmpint (result_int (reply), EQ, k + 1);
    }

    int[] sums = new int[50];
    int answered = 0;
    for (int k = 0; k < sums.length; k++) {
      int index = k;
      replica.call_async.begin ("defer-add", new Variant ("(ii)", k, k), TIMEOUT_MS, null,
                                (obj, res) => {
        try {
          sums[index] = result_int (((Gro.Replica) obj).call_async.end (res));
        } catch (Error e) {
          sums[index] = -1;
        }
        answered++;
      });
    }
    yield wait_until (() => answered == sums.length, "50 deferred replies");
    for (int k = 0; k < sums.length; k++)
      assert_cmpint (sums[k], EQ, 2 * k);
  } finally {
    helper.close ();
  }
}

/* A name no host shares, and addresses that cannot work. */
async void test_errors () throws Error {
  var helper = new Helper ();

  try {
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, helper.url);

    var replica = track (node.acquire_dynamic ("no-such-source"), "replica");
    assert_true (replica.get_state () == Gro.ReplicaState.UNINITIALIZED);
    try {
      replica.wait_for_source (200);
      assert_not_reached ();
    } catch (Gro.Error e) {
      assert_true (e is Gro.Error.TIMED_OUT);
    }

    /* The async form has no time limit of its own: it is cancelled. */
    var cancellable = new Cancellable ();
    Timeout.add (100, () => {
      cancellable.cancel ();
      return Source.REMOVE;
    });
    try {
      yield node.acquire_dynamic_async ("no-such-source", cancellable);
      assert_not_reached ();
    } catch (IOError.CANCELLED e) {
    }

    try {
      new Gro.Host ("bogus:address");
      assert_not_reached ();
    } catch (Gro.Error.INVALID_ADDRESS e) {
      assert_true ("bogus:address" in e.message);
    }
    try {
      new Gro.Node ().connect_to_node ("unix:/nonexistent/gro-vala-test");
      assert_not_reached ();
    } catch (Gro.Error.CONNECTION_FAILED e) {
    }
  } finally {
    helper.close ();
  }
}

/* ------------------------------------------------------------------------ */
/* Part 2: a source written in Vala, in this process                         */

public class Counter : Object {
  public int count { get; set; }

  public signal void bumped (int by, string why);

  /* A method: an action signal whose default handler answers. */
  [Signal (action = true)]
  public virtual signal int add (int a, int b) {
    return a + b;
  }

  /* A method that changes the source and emits a signal. */
  [Signal (action = true)]
  public virtual signal void bump (int by, string why) {
    count += by;
    bumped (by, why);
  }

  /* A method that fails, through the current invocation. */
  [Signal (action = true)]
  public virtual signal void refuse (string why) {
    Gro.Invocation.get_current ().return_error_literal (Quark.from_string ("counter-error-quark"),
                                                        7, why);
  }

  /* A method that answers later. */
  [Signal (action = true)]
  public virtual signal int add_later (int a, int b) {
    var invocation = Gro.Invocation.get_current ();

    assert_cmpstr (invocation.get_method_name (), EQ, "add-later");
    assert_cmpstr (invocation.get_source_name (), EQ, "counter");
    assert_true (invocation.get_source () == this);
    invocation.defer ();
    assert_true (invocation.is_deferred ());
    int sum = a + b;
    Timeout.add (20, () => {
      invocation.return_value (new Variant ("(i)", sum));
      return Source.REMOVE;
    });
    return -1;  /* ignored */
  }
}

/* A source with a property gro cannot carry. */
public class Unsupported : Object {
  public Object other { get; set; }
}

async void check_counter (Counter counter, string url) throws Error {
  var node = track (new Gro.Node (), "node");
  yield connect_bounded (node, url);
  var replica = track (yield acquire_valid (node, "counter"), "replica");

  assert_cmpstr (replica.get_type_name (), EQ, "Counter");
  assert_cmpint (get_int (replica, "count"), EQ, counter.count);

  /* A change at the source. */
  int[] seen = {};
  ulong handler = replica.notify["count"].connect ((obj, pspec) => {
    seen += get_int (obj, "count");
  });
  counter.count = 4;
  yield wait_until (() => 4 in seen, "notify::count");
  assert_cmpint (get_int (replica, "count"), EQ, 4);
  /* The closures here share a block that holds the replica (see
   * test_set_property): the handler must not outlive the test. */
  replica.disconnect (handler);

  /* A write from the replica reaches the source. */
  replica.set_property ("count", 10);
  yield wait_until (() => counter.count == 10, "the source's count to be written");
  yield wait_until (() => get_int (replica, "count") == 10, "count to come back");
  assert_true (yield write_bounded (replica, "count", 11));
  assert_cmpint (counter.count, EQ, 11);
  assert_cmpint (get_int (replica, "count"), EQ, 11);

  /* A signal with arguments. */
  var recorder = new Recorder ();
  dynamic Object dynamic_replica = replica;
  dynamic_replica.bumped.connect (recorder.on_bumped);
  counter.bumped (2, "because");
  yield wait_until (() => recorder.bumps.length > 0, "the bumped signal");
  assert_cmpstrv (recorder.bumps, { "2 because" });

  /* Methods. */
  var reply = yield replica.call_async ("add", new Variant ("(ii)", 2, 3), TIMEOUT_MS, null);
  assert_cmpint (result_int (reply), EQ, 5);

  reply = yield call (replica, "bump", new Variant ("(is)", 3, "by call"));
  assert_cmpstr (reply.get_type_string (), EQ, "()");
  assert_cmpint (counter.count, EQ, 14);
  yield wait_until (() => get_int (replica, "count") == 14 && recorder.bumps.length == 2,
                    "the bump to come back");
  assert_cmpstr (recorder.bumps[1], EQ, "3 by call");

  reply = yield call (replica, "add-later", new Variant ("(ii)", 20, 22));
  assert_cmpint (result_int (reply), EQ, 42);

  try {
    yield call (replica, "refuse", new Variant ("(s)", "not now"));
    assert_not_reached ();
  } catch (Error e) {
    assert_error (e, Quark.from_string ("counter-error-quark"), 7);
    assert_cmpstr (e.message, EQ, "not now");
  }
}

async void test_vala_source_unix () throws Error {
  string dir = DirUtils.make_tmp ("gro-vala-XXXXXX");
  string path = Path.build_filename (dir, "counter");
  string url = "unix:" + path;
  var counter = track (new Counter (), "counter");
  counter.count = 3;

  try {
    var host = track (new Gro.Host (url), "host");
    assert_true (host.enable_remoting (counter, "counter"));
    assert_true (host.get_source ("counter") == counter);
    assert_cmpstr (host.get_url (), EQ, url);
    string[] urls = host.dup_urls ();
    assert_cmpstrv (urls, { url });

    yield check_counter (counter, url);

    /* Withdrawn: a replica becomes suspect. */
    var node = track (new Gro.Node (), "node");
    yield connect_bounded (node, url);
    var replica = track (yield acquire_valid (node, "counter"), "replica");
    assert_true (host.disable_remoting ("counter"));
    yield wait_until (() => replica.get_state () == Gro.ReplicaState.SUSPECT, "the replica to be suspect");
    assert_null (host.get_source ("counter"));
  } finally {
    FileUtils.unlink (path);
    DirUtils.remove (dir);
  }
}

/* tcp://127.0.0.1:0 picks a port; dup_urls () tells which. */
async void test_vala_source_tcp () throws Error {
  var counter = track (new Counter (), "counter");
  var host = track (new Gro.Host ("tcp://127.0.0.1:0"), "host");
  assert_true (host.enable_remoting (counter, "counter"));

  string[] urls = host.dup_urls ();
  assert_cmpint (urls.length, EQ, 1);
  assert_true (urls[0].has_prefix ("tcp://127.0.0.1:"));
  assert_false (urls[0].has_suffix (":0"));

  yield check_counter (counter, urls[0]);
}

/* enable_remoting () refuses what it cannot share, with a Gro.Error. */
async void test_vala_source_refused () throws Error {
  var host = track (new Gro.Host (null), "host");

  try {
    host.enable_remoting (new Unsupported (), "unsupported");
    assert_not_reached ();
  } catch (Gro.Error.UNSUPPORTED_TYPE e) {
    assert_true ("other" in e.message);
  }

  var counter = track (new Counter (), "counter");
  assert_true (host.enable_remoting (counter, "counter"));
  try {
    host.enable_remoting (new Counter (), "counter");
    assert_not_reached ();
  } catch (Gro.Error.NAME_IN_USE e) {
  }
  assert_true (host.get_source ("counter") == counter);
}

/* ------------------------------------------------------------------------ */
/* Running                                                                   */

delegate void AsyncBegin (AsyncReadyCallback callback);
delegate void AsyncEnd (AsyncResult result) throws Error;

/* Runs a coroutine test in a MainLoop of its own, bounded by GUARD_S. */
void run_async_test (AsyncBegin begin, AsyncEnd end) {
  var loop = new MainLoop ();
  AsyncResult? result = null;

  begin ((obj, res) => {
    result = res;
    loop.quit ();
  });

  var guard = new TimeoutSource.seconds (GUARD_S);
  guard.set_callback (() => {
    loop.quit ();
    return Source.REMOVE;
  });
  guard.attach (null);
  if (result == null)
    loop.run ();
  guard.destroy ();

  if (result == null) {
    Test.fail_printf ("the test did not finish within %u s", GUARD_S);
    return;
  }
  try {
    end (result);
  } catch (Error e) {
    Test.fail_printf ("%s (%s %d)", e.message, e.domain.to_string (), e.code);
  }
  /* Let queued notifications and closes run, so nothing leaks into the next test. */
  drain ();

  string[] alive = untrack_all ();
  if (alive.length > 0)
    Test.fail_printf ("still alive after the test: %s", string.joinv (", ", alive));
}

/* Test.add_data_func_full () in Vala 0.56's glib-2.0.vapi passes the destroy
 * notify where g_test_add_data_func_full () expects the function, so it is
 * bound here again, with the arguments in their order. */
[CCode (cname = "g_test_add_data_func_full")]
extern void test_add_data_func_full (string testpath,
                                     [CCode (delegate_target_pos = 1.9, destroy_notify_pos = 2.1)]
                                     owned TestDataFunc test_func);

void add_async_test (string path, owned AsyncBegin begin, owned AsyncEnd end) {
  test_add_data_func_full (path, () => run_async_test (begin, end));
}

int main (string[] args) {
  Test.init (ref args);
  watches = new GenericArray<Watch> ();

  add_async_test ("/vala/replica/acquire-async",
                  (cb) => test_acquire_async.begin (cb), (res) => test_acquire_async.end (res));
  add_async_test ("/vala/replica/wait-for-source",
                  (cb) => test_wait_for_source.begin (cb), (res) => test_wait_for_source.end (res));
  add_async_test ("/vala/replica/default-values",
                  (cb) => test_default_values.begin (cb), (res) => test_default_values.end (res));
  add_async_test ("/vala/replica/initial-values",
                  (cb) => test_initial_values.begin (cb), (res) => test_initial_values.end (res));
  add_async_test ("/vala/replica/notify",
                  (cb) => test_notify_after_source_change.begin (cb),
                  (res) => test_notify_after_source_change.end (res));
  add_async_test ("/vala/replica/set-property",
                  (cb) => test_set_property.begin (cb), (res) => test_set_property.end (res));
  add_async_test ("/vala/replica/write-refused",
                  (cb) => test_write_refused.begin (cb), (res) => test_write_refused.end (res));
  add_async_test ("/vala/replica/signals",
                  (cb) => test_signals.begin (cb), (res) => test_signals.end (res));
  add_async_test ("/vala/replica/calls",
                  (cb) => test_calls.begin (cb), (res) => test_calls.end (res));
  add_async_test ("/vala/replica/call-fails",
                  (cb) => test_call_fails.begin (cb), (res) => test_call_fails.end (res));
  add_async_test ("/vala/replica/suspect",
                  (cb) => test_suspect.begin (cb), (res) => test_suspect.end (res));
  add_async_test ("/vala/replica/helper-killed",
                  (cb) => test_helper_killed.begin (cb), (res) => test_helper_killed.end (res));
  add_async_test ("/vala/replica/many-calls",
                  (cb) => test_many_calls.begin (cb), (res) => test_many_calls.end (res));
  add_async_test ("/vala/replica/errors",
                  (cb) => test_errors.begin (cb), (res) => test_errors.end (res));
  add_async_test ("/vala/source/unix",
                  (cb) => test_vala_source_unix.begin (cb), (res) => test_vala_source_unix.end (res));
  add_async_test ("/vala/source/tcp",
                  (cb) => test_vala_source_tcp.begin (cb), (res) => test_vala_source_tcp.end (res));
  add_async_test ("/vala/source/refused",
                  (cb) => test_vala_source_refused.begin (cb),
                  (res) => test_vala_source_refused.end (res));

  return Test.run ();
}
