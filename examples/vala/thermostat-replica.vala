/* thermostat-replica.vala: a live replica of the thermostat, in Vala
 *
 *   thermostat-replica-vala [--url URL] [--name LABEL] [--set-target T]
 *                           [--boost N] [--seconds N]
 *
 * The Vala twin of ../thermostat/thermostat-replica.c: it connects to the
 * host at URL (default local:gro-thermostat), acquires the source
 * "thermostat" as a dynamic replica, prints its values, then prints every
 * change and every alarm the source pushes. With --set-target it writes the
 * target temperature, with --boost it calls the source's "boost" method and
 * prints the reply (after the write, when both are given). Each line starts
 * with LABEL, so that the output of several replicas can be told apart.
 *
 * The replica's class is built at run time from the schema the host sends,
 * so this program knows it only as a Gro.Replica: it reads properties
 * through GLib.Value, connects notify["name"], reaches the "alarm" signal
 * through a `dynamic` reference, and calls methods with
 * `yield replica.call_async ()`.
 *
 * If the host goes away the replica keeps its last values, in the state
 * SUSPECT; the node reconnects by itself, with a growing delay, and the
 * replica is in step again once the host is back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

const string SOURCE_NAME = "thermostat";

/* The properties this program shows, in this order. */
const string[] SHOWN_PROPERTIES = {
    "temperature",
    "target-temperature",
    "mode",
    "heater-on",
};

string nick_of (Type enum_type, int value) {
    var klass = (EnumClass) enum_type.class_ref ();
    unowned EnumValue? ev = klass.get_value (value);
    return ev != null ? ev.value_nick : "?";
}

class App : Object {
    public string url;
    public string label;
    public int boost = int.MIN;            /* int.MIN: do not call */
    public double set_target = double.NAN; /* NAN: do not write */
    public int status = 0;

    MainLoop loop = new MainLoop ();
    Gro.Node? node = new Gro.Node ();
    Gro.Replica? replica = null;
    Cancellable cancellable = new Cancellable ();

    void say (string message) {
        /* print () flushes each line, so the output of several programs
         * interleaves as it happens, also in a pipe. */
        print ("[%s] %s\n", label, message);
    }

    public void quit (int exit_status) {
        if (exit_status > status)
            status = exit_status;
        cancellable.cancel ();
        loop.quit ();
    }

    /* Formats a property of the replica by its type. The replica's "mode" is
     * of an enumeration gro registered from the source's schema, with the
     * source's values and nicks, so its nick prints as at the source. */
    string format_property (ParamSpec pspec) {
        var value = Value (pspec.value_type);
        replica.get_property (pspec.name, ref value);

        if (value.holds (typeof (double)))
            return "%.1f C".printf (value.get_double ());
        if (value.holds (typeof (bool)))
            return value.get_boolean () ? "on" : "off";
        if (pspec.value_type.is_enum ())
            return nick_of (pspec.value_type, value.get_enum ());
        return value.strdup_contents ();
    }

    void on_property_changed (Object object, ParamSpec pspec) {
        say ("%s -> %s".printf (pspec.name, format_property (pspec)));
    }

    /* The handler of the replica's "alarm" signal, connected through a
     * `dynamic` reference: a method (not a lambda) whose parameters are the
     * signal's, after the sender. */
    void on_alarm (Object sender, string? message, double temperature) {
        say ("ALARM %s (%.1f C)".printf (message ?? "", temperature));
    }

    void on_state_changed (Gro.ReplicaState state, Gro.ReplicaState old_state) {
        string why = "";

        if (state == Gro.ReplicaState.SUSPECT)
            why = " (source gone; values are the last known)";
        else if (state == Gro.ReplicaState.VALID && old_state == Gro.ReplicaState.SUSPECT)
            why = " (in step with the source again)";

        say ("state %s -> %s%s".printf (nick_of (typeof (Gro.ReplicaState), old_state),
                                        nick_of (typeof (Gro.ReplicaState), state), why));
    }

    async void call_boost () {
        if (boost == int.MIN)
            return;

        say ("calling boost (%d)".printf (boost));
        try {
            Variant reply = yield replica.call_async ("boost", new Variant ("(i)", boost),
                                                      -1, cancellable);

            /* A tuple of the return value. A string is a maybe type in the
             * schema (ms), as a GValue string may be NULL. */
            Variant text = reply.get_child_value (0);
            if (text.is_of_type (VariantType.MAYBE))
                text = text.get_maybe ();
            say ("boost replied: %s".printf (text != null ? text.get_string () : "(nothing)"));
        } catch (IOError.CANCELLED e) {
            /* Quitting. */
        } catch (Error e) {
            say ("boost failed: %s (%s, code %d)".printf (e.message, e.domain.to_string (), e.code));
        }
    }

    async void act () {
        if (set_target.is_nan ()) {
            yield call_boost ();
            return;
        }

        say ("writing target-temperature = %.1f".printf (set_target));

        /* replica.set ("target-temperature", t) sends the same write, and
         * is all most code needs. This form also says whether the source
         * took the value, and when: the boost call waits for that. Either
         * way, the replica's value changes when the source's change comes
         * back, as for every other replica. */
        try {
            yield replica.write_property_async ("target-temperature", set_target, cancellable);
            say ("the source took the write");
        } catch (IOError.CANCELLED e) {
            return;
        } catch (Error e) {
            say ("the source refused the write: %s".printf (e.message));
        }

        yield call_boost ();
    }

    async void acquire () {
        try {
            replica = yield node.acquire_dynamic_async (SOURCE_NAME, cancellable);
        } catch (IOError.CANCELLED e) {
            return;
        } catch (Error e) {
            say ("cannot acquire '%s': %s".printf (SOURCE_NAME, e.message));
            quit (1);
            return;
        }

        say ("acquired '%s', a %s".printf (SOURCE_NAME, replica.get_type_name ()));

        /* The replica is valid: its class has the source's properties and
         * signals, and they hold the source's values. */
        foreach (unowned string name in SHOWN_PROPERTIES) {
            unowned ParamSpec? pspec = replica.get_class ().find_property (name);
            if (pspec == null) {
                say ("the source has no property '%s'".printf (name));
                continue;
            }
            say ("%s = %s".printf (pspec.name, format_property (pspec)));
            replica.notify[pspec.name].connect (on_property_changed);
        }

        dynamic Object thermostat = replica;
        thermostat.alarm.connect (on_alarm);
        replica.state_changed.connect (on_state_changed);

        yield act ();
    }

    async void connect_and_acquire () {
        try {
            yield node.connect_to_node_async (url, cancellable);
        } catch (IOError.CANCELLED e) {
            return;
        } catch (Error e) {
            say (e.message);
            quit (1);
            return;
        }

        say ("connected to %s".printf (url));
        yield acquire ();
    }

    public int run (int seconds) {
        ulong closed_id = node.connection_closed.connect ((address, error) => {
            say ("connection to %s closed: %s".printf (address,
                 error != null ? error.message : "by this side"));
        });

        uint sigint_id = Unix.signal_add (ProcessSignal.INT, () => {
            quit (0);
            return Source.CONTINUE;
        });
        uint sigterm_id = Unix.signal_add (ProcessSignal.TERM, () => {
            quit (0);
            return Source.CONTINUE;
        });
        uint time_up_id = 0;
        if (seconds > 0) {
            time_up_id = Timeout.add_seconds (seconds, () => {
                time_up_id = 0;
                quit (0);
                return Source.REMOVE;
            });
        }

        connect_and_acquire.begin ();
        loop.run ();

        Source.remove (sigint_id);
        Source.remove (sigterm_id);
        if (time_up_id != 0)
            Source.remove (time_up_id);

        /* Nothing of ours may run while the node shuts down. The replica
         * keeps the node alive, so it goes first. */
        node.disconnect (closed_id);
        if (replica != null)
            SignalHandler.disconnect_by_data (replica, this);
        replica = null;
        node = null;

        return status;
    }
}

static string? opt_url = null;
static string? opt_name = null;
static int opt_boost = int.MIN;
static double opt_set_target = double.NAN;
static int opt_seconds = 0;

const OptionEntry[] options = {
    { "url", 0, 0, OptionArg.STRING, ref opt_url,
      "Address of the host (default local:gro-thermostat)", "URL" },
    { "name", 0, 0, OptionArg.STRING, ref opt_name,
      "Label printed at the start of each line", "LABEL" },
    { "boost", 0, 0, OptionArg.INT, ref opt_boost,
      "Call boost (N) once the replica is valid", "N" },
    { "set-target", 0, 0, OptionArg.DOUBLE, ref opt_set_target,
      "Write target-temperature once the replica is valid", "T" },
    { "seconds", 0, 0, OptionArg.INT, ref opt_seconds, "Exit after N seconds", "N" },
    { null }
};

int main (string[] args) {
    var context = new OptionContext ("- watch the thermostat from another process");
    context.add_main_entries (options, null);
    try {
        context.parse (ref args);
    } catch (OptionError e) {
        printerr ("%s\n", e.message);
        return 2;
    }

    var app = new App ();
    app.url = opt_url ?? "local:gro-thermostat";
    app.label = opt_name ?? "replica";
    app.boost = opt_boost;
    app.set_target = opt_set_target;
    return app.run (opt_seconds);
}
