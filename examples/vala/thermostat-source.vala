/* thermostat-source.vala: a simulated thermostat, shared with gro, in Vala
 *
 *   thermostat-source-vala [URL] [--seconds N] [--temperature T]
 *
 * The Vala twin of ../thermostat/thermostat-source.c: it shares a
 * DemoThermostat under the name "thermostat" on URL (default
 * local:gro-thermostat, a socket in $XDG_RUNTIME_DIR), prints the addresses
 * it listens on, then prints the thermostat's state each time it changes.
 * Replicas in any language see the same changes; see
 * thermostat-replica.vala and ../thermostat/thermostat-replica.c.
 *
 * It stops on SIGINT or SIGTERM, or after N seconds with --seconds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

namespace Demo {

/* What the thermostat does. Its GType is DemoThermostatMode with the nicks
 * off, heat and cool, as in C; replicas receive the values and nicks with
 * the schema, so they need not have this type. */
public enum ThermostatMode {
    OFF,
    HEAT,
    COOL
}

/* Errors of the thermostat's methods. Vala names the quark after the
 * domain, "demo-thermostat-error-quark", as the C program does; a replica
 * receives the error in that domain, with its code. */
public errordomain ThermostatError {
    INVALID_DURATION
}

const double TARGET_MIN = 5.0;
const double TARGET_MAX = 35.0;
const double TARGET_DEFAULT = 20.0;
const double AMBIENT = 18.0;       /* where the room drifts when left alone */
const uint TICK_MS = 500;
const double HEAT_STEP = 0.5;      /* degrees per tick, heater or cooler on */
const double LEAK = 0.02;          /* share of the gap to AMBIENT lost per tick */
const double NOISE = 0.08;
const double HYSTERESIS = 0.5;
const double ALARM_HIGH = 30.0;
const double ALARM_LOW = 10.0;
const double ALARM_REARM = 0.5;
const double BOOST_STEP = 2.0;
const int BOOST_MAX_MINUTES = 120;

enum AlarmState {
    NONE,
    HOT,
    COLD
}

/* An ordinary GObject. Nothing in it knows about gro, except the lines that
 * fail a call with an error. */
public class Thermostat : Object {
    /* The measured temperature, in °C. Read-only for everyone else: a
     * property with a private setter is only readable as a GObject
     * property, so replicas cannot write it. */
    public double temperature { get; private set; default = AMBIENT; }

    /* The temperature to reach, in °C. A replica's write outside 5..35 is
     * refused by gro before the object sees it, as the GParamSpec says no:
     * Vala has no syntax for a property's range, so `class construct`
     * below sets it. The setter notifies by itself, only when the value
     * changes. */
    double target = TARGET_DEFAULT;
    [CCode (notify = false)]
    public double target_temperature {
        get { return target; }
        set {
            /* Someone chose a target: that ends a boost. */
            end_boost ();
            set_target (value);
        }
    }

    /* Whether the thermostat heats, cools, or does neither. */
    public ThermostatMode mode { get; set; default = ThermostatMode.HEAT; }

    /* Whether the heater runs now; follows from the other properties. */
    public bool heater_on { get; private set; default = false; }

    /* Runs at the end of the class's class_init, after Vala has installed
     * the properties: gives them the ranges of the C thermostat's
     * GParamSpecs. (A `class construct` block would run too early, in
     * base_init; and class_peek () is null until class_init returns.) */
    static construct {
        var object_class = (ObjectClass) typeof (Thermostat).class_ref ();

        var temperature_spec = (ParamSpecDouble) object_class.find_property ("temperature");
        temperature_spec.minimum = -50.0;
        temperature_spec.maximum = 100.0;

        var target_spec = (ParamSpecDouble) object_class.find_property ("target-temperature");
        target_spec.minimum = TARGET_MIN;
        target_spec.maximum = TARGET_MAX;
        target_spec.default_value = TARGET_DEFAULT;
    }

    /* Emitted when the temperature rises above 30 °C or falls below 10 °C.
     * A plain signal: replicas receive it with its arguments. */
    public signal void alarm (string message, double temperature);

    /* Raises the target by 2 °C for @minutes, from 1 to 120. An action
     * signal: replicas call it as a method, and receive its return value as
     * the reply. The default handler runs last, so it makes the reply. */
    [Signal (action = true)]
    public virtual signal string? boost (int minutes) {
        if (minutes <= 0 || minutes > BOOST_MAX_MINUTES) {
            /* Emitted locally rather than called through gro, there is no
             * caller to answer. */
            unowned Gro.Invocation? invocation = Gro.Invocation.get_current ();
            if (invocation != null) {
                invocation.return_gerror (new ThermostatError.INVALID_DURATION (
                    "Cannot boost for %d minutes: allowed are 1 to %d",
                    minutes, BOOST_MAX_MINUTES));
            }
            return null;
        }

        /* A second boost extends the first, from the target before either. */
        if (boost_id == 0)
            target_before_boost = target;
        end_boost ();

        boost_target = (target_before_boost + BOOST_STEP).clamp (TARGET_MIN, TARGET_MAX);
        boost_id = Timeout.add_seconds (minutes * 60, () => {
            boost_id = 0;
            set_target (target_before_boost);
            return Source.REMOVE;
        });
        set_target (boost_target);

        return "boosting to %.1f C for %d minutes".printf (boost_target, minutes);
    }

    /* Ends a boost and goes back to heating to 20 °C. An action signal, so a
     * method for replicas. */
    [Signal (action = true)]
    public virtual signal void reset () {
        end_boost ();
        set_target (TARGET_DEFAULT);
        mode = ThermostatMode.HEAT;
    }

    /* A method, not a property: a property would be shared with replicas. */
    public bool is_boosting () {
        return boost_id != 0;
    }

    bool cooler_on = false;
    AlarmState alarm_state = AlarmState.NONE;
    uint tick_id = 0;
    uint boost_id = 0;
    double target_before_boost;
    double boost_target;

    public Thermostat (double temperature) {
        this.temperature = Math.round (temperature.clamp (-50.0, 100.0) * 10.0) / 10.0;
        update_heater ();
        tick_id = Timeout.add (TICK_MS, tick);
    }

    /* The timers hold a reference to the thermostat: stop them to let it go. */
    public void stop () {
        if (tick_id != 0) {
            Source.remove (tick_id);
            tick_id = 0;
        }
        end_boost ();
    }

    void set_target (double value) {
        value = value.clamp (TARGET_MIN, TARGET_MAX);
        if (target == value)
            return;
        target = value;
        notify_property ("target-temperature");
    }

    void end_boost () {
        if (boost_id != 0) {
            Source.remove (boost_id);
            boost_id = 0;
        }
    }

    /* The heater and the cooler switch with some hysteresis, as real ones
     * do, so they do not chatter around the target. Like a real controller,
     * this runs once per cycle (a tick), not on every change of the
     * settings. */
    void update_heater () {
        bool heater = heater_on;

        if (mode != ThermostatMode.HEAT)
            heater = false;
        else if (temperature < target - HYSTERESIS)
            heater = true;
        else if (temperature >= target)
            heater = false;

        if (mode != ThermostatMode.COOL)
            cooler_on = false;
        else if (temperature > target + HYSTERESIS)
            cooler_on = true;
        else if (temperature <= target)
            cooler_on = false;

        /* The generated setter notifies only when the value changes. */
        heater_on = heater;
    }

    /* An alarm is raised once per excursion: it re-arms only when the
     * temperature is back inside the range by ALARM_REARM, so sensor noise
     * at a limit does not repeat it. */
    void check_alarm () {
        double t = temperature;

        if (alarm_state != AlarmState.HOT && t > ALARM_HIGH) {
            alarm_state = AlarmState.HOT;
            alarm ("too hot: above 30 C", t);
        } else if (alarm_state != AlarmState.COLD && t < ALARM_LOW) {
            alarm_state = AlarmState.COLD;
            alarm ("too cold: below 10 C", t);
        } else if (t < ALARM_HIGH - ALARM_REARM && t > ALARM_LOW + ALARM_REARM) {
            alarm_state = AlarmState.NONE;
        }
    }

    bool tick () {
        double t = temperature;

        if (heater_on)
            t += HEAT_STEP;
        else if (cooler_on)
            t -= HEAT_STEP;
        else
            t += (AMBIENT - t) * LEAK;
        t += Random.double_range (-NOISE, NOISE);

        /* The sensor's resolution: a change below it is no change, and sends
         * nothing to the replicas. */
        temperature = Math.round (t * 10.0) / 10.0;

        update_heater ();
        check_alarm ();
        return Source.CONTINUE;
    }
}

}

/* ------------------------------------------------------------------------ */
/* The program                                                               */

static int seconds = 0;
static double start_temperature = Demo.AMBIENT;

const OptionEntry[] options = {
    { "seconds", 0, 0, OptionArg.INT, ref seconds, "Stop after N seconds", "N" },
    { "temperature", 0, 0, OptionArg.DOUBLE, ref start_temperature,
      "Start at T degrees C (default 18)", "T" },
    { null }
};

string nick_of (Type enum_type, int value) {
    var klass = (EnumClass) enum_type.class_ref ();
    unowned EnumValue? ev = klass.get_value (value);
    return ev != null ? ev.value_nick : "?";
}

void print_state (Demo.Thermostat self) {
    print ("temperature %.1f C, target %.1f C, mode %s, heater %s%s\n",
           self.temperature, self.target_temperature,
           nick_of (typeof (Demo.ThermostatMode), self.mode),
           self.heater_on ? "on" : "off",
           self.is_boosting () ? " (boost)" : "");
}

int main (string[] args) {
    var context = new OptionContext ("[URL] - share a simulated thermostat");
    context.set_description ("URL: tcp://HOST:PORT, unix:/PATH, local:NAME or " +
                             "unix-abstract:NAME (default local:gro-thermostat)\n");
    context.add_main_entries (options, null);
    try {
        context.parse (ref args);
    } catch (OptionError e) {
        printerr ("%s\n", e.message);
        return 2;
    }
    if (args.length > 2) {
        printerr ("Too many arguments; see --help\n");
        return 2;
    }
    string url = args.length == 2 ? args[1] : "local:gro-thermostat";

    /* print () flushes each line, so the output of several programs
     * interleaves as it happens, also in a pipe. */
    var loop = new MainLoop ();
    var thermostat = new Demo.Thermostat (start_temperature);
    Gro.Host? host = null;

    try {
        host = new Gro.Host (url);
        host.enable_remoting (thermostat, "thermostat");
    } catch (Error e) {
        printerr ("%s\n", e.message);
        thermostat.stop ();
        return 1;
    }

    foreach (unowned string shared_on in host.dup_urls ())
        print ("sharing 'thermostat' on %s\n", shared_on);
    print_state (thermostat);

    /* Several properties may change at once: print them once, afterwards. */
    uint print_id = 0;
    thermostat.notify.connect (() => {
        if (print_id == 0) {
            print_id = Idle.add (() => {
                print_id = 0;
                print_state (thermostat);
                return Source.REMOVE;
            });
        }
    });
    thermostat.alarm.connect ((message, temperature) => {
        print ("ALARM %s (%.1f C)\n", message, temperature);
    });
    /* Runs before the default handler, so it sees every call, refused or
     * not. It returns nothing of its own: the default handler, which runs
     * last, makes the reply. */
    thermostat.boost.connect ((minutes) => {
        unowned Gro.Invocation? invocation = Gro.Invocation.get_current ();
        print ("boost (%d) called by %s\n", minutes,
               invocation != null ? invocation.get_peer_address () : "this process");
        return null;
    });

    uint sigint_id = Unix.signal_add (ProcessSignal.INT, () => {
        print ("stopping\n");
        loop.quit ();
        return Source.CONTINUE;
    });
    uint sigterm_id = Unix.signal_add (ProcessSignal.TERM, () => {
        print ("stopping\n");
        loop.quit ();
        return Source.CONTINUE;
    });
    uint time_up_id = 0;
    if (seconds > 0) {
        time_up_id = Timeout.add_seconds (seconds, () => {
            time_up_id = 0;
            print ("time is up, stopping\n");
            loop.quit ();
            return Source.REMOVE;
        });
    }

    loop.run ();

    Source.remove (sigint_id);
    Source.remove (sigterm_id);
    if (time_up_id != 0)
        Source.remove (time_up_id);
    if (print_id != 0)
        Source.remove (print_id);
    thermostat.stop ();

    /* The host goes first: it closes the replicas' connections and removes
     * its socket file. */
    host = null;

    return 0;
}
