/* matrix-replica.vala: the matrix's replica in Vala (see ../README.md)
 *
 *   matrix-replica-vala URL
 *
 * A dynamic replica: its class is made at run time from the source's
 * schema, so Vala knows it only as a Gro.Replica. Its properties are read
 * with GLib.Value and Object.get_property (), written with Object.set (),
 * its notify signals connected with notify["name"], its own signal through
 * a `dynamic` reference, and its methods called with `yield call_async ()`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

const int TIMEOUT_MS = 10000;

/* Something that happens once, and a bounded wait for it. */
class Event : Object {
    public bool happened { get; private set; default = false; }
    SourceFunc? resume = null;

    public void fire () {
        happened = true;
        wake ();
    }

    /* Resumes the waiter from the main loop, never from inside the signal
     * emission that fired the event. */
    void wake () {
        if (resume != null) {
            Idle.add ((owned) resume);
            resume = null;
        }
    }

    public async bool wait () {
        if (happened)
            return true;
        resume = wait.callback;
        uint timeout_id = 0;
        timeout_id = Timeout.add (TIMEOUT_MS, () => {
            timeout_id = 0;
            wake ();
            return Source.REMOVE;
        });
        yield;
        if (timeout_id != 0)
            Source.remove (timeout_id);
        return happened;
    }
}

/* The receiver of "pinged". The replica's class is not known when this is
 * compiled, so the signal is connected through a `dynamic` reference (see
 * check_signal ()), which takes a method, not a lambda; its parameters must
 * be the signal's C types, in order, after the sender. */
class PingedCatcher : Object {
    public Event event = new Event ();
    public int n;
    public string? text;

    public void on_pinged (Object sender, int n, string? text) {
        this.n = n;
        this.text = text;
        event.fire ();
    }
}

class Checks : Object {
    Gro.Replica replica;
    public int n_failed = 0;

    public Checks (Gro.Replica replica) {
        this.replica = replica;
    }

    void report (int number, string what, string? failure) {
        if (failure == null) {
            stdout.printf ("ok %d - %s\n", number, what);
        } else {
            stdout.printf ("not ok %d - %s\n# %s\n", number, what, failure);
            n_failed++;
        }
        stdout.flush ();
    }

    /* A property of the dynamic replica: a GLib.Value of the property's
     * type, filled by get_property (). */
    Value read (string name) {
        unowned ParamSpec? pspec = replica.get_class ().find_property (name);
        var value = Value (pspec != null ? pspec.value_type : typeof (string));
        replica.get_property (name, ref value);
        return value;
    }

    async Variant call (string method, Variant? args) throws Error {
        return yield replica.call_async (method, args, TIMEOUT_MS, null);
    }

    string? check_initial () {
        int count = (int) read ("count");
        string? label = (string?) read ("label");
        /* The cast from a Value computes the array's length; Object.get ()
         * into a string[] would leave it at -1. */
        string[]? tags = (string[]?) read ("tags");

        if (count != 7)
            return "count is %d".printf (count);
        if (label != "seven")
            return "label is %s".printf (label ?? "(null)");
        if (tags == null || tags.length != 2 || tags[0] != "a" || tags[1] != "b")
            return "tags are not [a, b]";
        return null;
    }

    async string? check_push () {
        var notified = new Event ();
        ulong id = replica.notify["count"].connect (() => notified.fire ());
        string? failure = null;

        try {
            yield call ("bump", new Variant.tuple ({}));
            yield notified.wait ();
        } catch (Error e) {
            failure = "bump: " + e.message;
        }
        replica.disconnect (id);

        if (failure != null)
            return failure;
        if (!notified.happened)
            return "no notify::count";
        int count = (int) read ("count");
        return count == 8 ? null : "count is %d".printf (count);
    }

    async string? check_write () {
        var notified = new Event ();
        ulong id = replica.notify["label"].connect (() => notified.fire ());

        /* A property write: it goes to the source, and the replica's value
         * changes when the source's change comes back. */
        replica.set ("label", "written");
        yield notified.wait ();
        replica.disconnect (id);

        if (!notified.happened)
            return "no notify::label";
        string? label = (string?) read ("label");
        return label == "written" ? null : "label is %s".printf (label ?? "(null)");
    }

    async string? check_signal () {
        var catcher = new PingedCatcher ();
        dynamic Object source = replica;
        ulong id = source.pinged.connect (catcher.on_pinged);
        string? failure = null;

        try {
            yield call ("ping", new Variant ("(is)", 5, "five"));
            yield catcher.event.wait ();
        } catch (Error e) {
            failure = "ping: " + e.message;
        }
        SignalHandler.disconnect (replica, id);

        if (failure != null)
            return failure;
        if (!catcher.event.happened)
            return "no pinged";
        if (catcher.n != 5 || catcher.text != "five")
            return "pinged (%d, %s)".printf (catcher.n, catcher.text ?? "(null)");
        return null;
    }

    async string? check_add () {
        Variant reply;

        try {
            reply = yield call ("add", new Variant ("(ii)", 2, 3));
        } catch (Error e) {
            return "add: " + e.message;
        }
        if (!reply.is_of_type (new VariantType ("(i)")))
            return "add gave %s".printf (reply.get_type_string ());
        int sum = reply.get_child_value (0).get_int32 ();
        return sum == 5 ? null : "add gave %d".printf (sum);
    }

    async string? check_fail () {
        try {
            yield call ("fail", null);
        } catch (Error e) {
            if (e.domain.to_string () != "matrix-error-quark" || e.code != 3 ||
                e.message != "failed on purpose")
                return "%s %d: %s".printf (e.domain.to_string (), e.code, e.message);
            return null;
        }
        return "fail succeeded";
    }

    public async void run () {
        report (1, "initial values", check_initial ());
        report (2, "change pushed from the source", yield check_push ());
        report (3, "write comes back", yield check_write ());
        report (4, "signal with two arguments", yield check_signal ());
        report (5, "method with a return value", yield check_add ());
        report (6, "method that fails", yield check_fail ());
    }
}

/* Connects, acquires "matrix" and runs the checks; the exit status. */
async int run (string url) {
    var node = new Gro.Node ();
    var cancellable = new Cancellable ();
    uint timeout_id = 0;
    timeout_id = Timeout.add (TIMEOUT_MS, () => {
        timeout_id = 0;
        cancellable.cancel ();
        return Source.REMOVE;
    });
    Gro.Replica? replica = null;
    Error? error = null;

    try {
        yield node.connect_to_node_async (url, cancellable);
        replica = yield node.acquire_dynamic_async ("matrix", cancellable);
    } catch (Error e) {
        error = e;
    }
    if (timeout_id != 0)
        Source.remove (timeout_id);
    if (error != null) {
        stdout.printf ("Bail out! %s\n", error.message);
        return 1;
    }

    var checks = new Checks (replica);
    yield checks.run ();
    return checks.n_failed == 0 ? 0 : 1;
}

int main (string[] args) {
    if (args.length != 2) {
        printerr ("usage: matrix-replica-vala URL\n");
        return 2;
    }

    stdout.printf ("1..6\n");
    stdout.flush ();

    var loop = new MainLoop ();
    int status = 1;
    run.begin (args[1], (obj, res) => {
        status = run.end (res);
        loop.quit ();
    });
    loop.run ();
    return status;
}
