/* matrix-source.vala: the matrix's source in Vala (see ../README.md)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The domain of the error that fail () returns. Vala names an errordomain's
 * quark after the domain: MatrixError is "matrix-error-quark", the domain
 * every language of the matrix uses. */
public errordomain MatrixError {
    ON_PURPOSE = 3
}

/* An ordinary GObject class. gro shares its readable properties, forwards
 * its signals, and makes its action signals methods.
 *
 * Strings are nullable: gro carries NULL apart from "", and Vala guards a
 * non-null string parameter of a signal's default handler with
 * g_return_if_fail (), so a replica calling ping (5, NULL) would make a
 * `string text` handler fail a critical instead of running. */
public class MatrixThing : Object {
    public int count { get; set; default = 7; }
    public string? label { get; set; default = "seven"; }
    public string[]? tags { get; set; default = { "a", "b" }; }

    public signal void pinged (int n, string? text);

    /* Methods are action signals; their default handlers do the work. */
    [Signal (action = true)]
    public virtual signal int add (int a, int b) {
        return a + b;
    }

    [Signal (action = true)]
    public virtual signal void bump () {
        count++;
    }

    [Signal (action = true)]
    public virtual signal void ping (int n, string? text) {
        pinged (n, text);
    }

    /* A signal handler cannot throw: a method fails through the call that
     * made it run. */
    [Signal (action = true)]
    public virtual signal void fail () {
        unowned Gro.Invocation? invocation = Gro.Invocation.get_current ();
        if (invocation != null) {
            invocation.return_gerror (new MatrixError.ON_PURPOSE ("failed on purpose"));
        }
    }
}

int main () {
    var loop = new MainLoop ();
    var thing = new MatrixThing ();
    Gro.Host host;

    try {
        host = new Gro.Host ("tcp://127.0.0.1:0");
        host.enable_remoting (thing, "matrix");
    } catch (Error e) {
        printerr ("matrix-source: %s\n", e.message);
        return 1;
    }

    stdout.printf ("%s\nREADY\n", host.dup_urls ()[0]);
    stdout.flush ();

    /* The end of stdin is the signal to stop. */
    var input = new UnixInputStream (0, false);
    read_until_end.begin (input, (obj, res) => {
        read_until_end.end (res);
        loop.quit ();
    });
    loop.run ();

    return 0;
}

async void read_until_end (InputStream input) {
    try {
        while (true) {
            var bytes = yield input.read_bytes_async (256);
            if (bytes.get_size () == 0)
                break;
        }
    } catch (Error e) {
        /* The same as the end. */
    }
}
