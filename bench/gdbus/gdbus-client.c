/* gdbus-client.c: the benchmark's workloads (see ../PROTOCOL.md) over GDBus
 * peer to peer, as a GLib user would write them: a GDBusConnection to the
 * server's address and the proxy that gdbus-codegen makes (a GDBusProxy
 * with its property cache; its calls are g_dbus_proxy_call()); property
 * changes are counted as notify::value, which the proxy emits for each
 * PropertiesChanged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>

#include "gdbus-address.h"
#include "org-gro-bench.h"

#define TIMEOUT_S     60
#define WARMUP        1000
#define IN_FLIGHT     100
#define BLOB_SIZE     (1024 * 1024)

typedef struct
{
  GdbBench   *proxy;
  gboolean    done;            /* the current wait is over */
  int         n;
  int         sent;
  int         received;
  int         count;
  gint64      start;           /* µs */
  gint64      last;            /* µs */
  gint64      call_start;      /* ns, rtt */
  gint64     *times;           /* ns per timed call, rtt */
  GObject    *result;          /* of an async construction */
  GError     *error;
} Run;

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

G_NORETURN static void
fail (const char   *what,
      const GError *error)
{
  g_printerr ("gdbus-client: %s%s%s\n", what, error ? ": " : "", error ? error->message : "");
  exit (1);
}

/* Runs the default main context until run->done, for at most 60 s. */
static void
wait_until_done (Run        *run,
                 const char *what)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  GSource *timeout = g_timeout_source_new_seconds (TIMEOUT_S);

  g_source_set_dummy_callback (timeout);       /* only wakes the loop up */
  g_source_attach (timeout, NULL);
  while (!run->done)
    {
      if (g_get_monotonic_time () >= deadline)
        {
          g_printerr ("gdbus-client: timed out after %d s waiting for %s\n", TIMEOUT_S, what);
          exit (1);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_destroy (timeout);
  g_source_unref (timeout);
  run->done = FALSE;
}

/* ------------------------------------------------------------------------ */
/* Connecting                                                                */

static void
on_connection (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Run *run = data;

  run->result = G_OBJECT (g_dbus_connection_new_for_address_finish (result, &run->error));
  run->done = TRUE;
}

static void
on_proxy (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  Run *run = data;

  run->result = G_OBJECT (gdb_bench_proxy_new_finish (result, &run->error));
  run->done = TRUE;
}

/* Connects, makes the proxy (which fetches every property with GetAll)
 * and checks that it has them. */
static void
acquire (Run        *run,
         const char *address)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) p49 = NULL;

  g_dbus_connection_new_for_address (address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                                     NULL, NULL, on_connection, run);
  wait_until_done (run, "the connection");
  if (run->result == NULL)
    fail ("connect", run->error);
  connection = G_DBUS_CONNECTION (run->result);
  run->result = NULL;
  bench_dbus_set_nodelay (connection);

  /* No bus, so no name: the proxy talks to the peer. */
  gdb_bench_proxy_new (connection, G_DBUS_PROXY_FLAGS_NONE, NULL, "/bench", NULL, on_proxy, run);
  wait_until_done (run, "the proxy");
  if (run->result == NULL)
    fail ("proxy", run->error);
  run->proxy = GDB_BENCH (run->result);
  run->result = NULL;

  /* A proxy is made even when GetAll fails; then its cache is empty. */
  p49 = g_dbus_proxy_get_cached_property (G_DBUS_PROXY (run->proxy), "p49");
  if (p49 == NULL)
    fail ("the proxy has no properties (GetAll failed?)", NULL);
}

/* ------------------------------------------------------------------------ */
/* Calls                                                                     */

static void send_add (Run *run);

static void
on_add_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;
  gint64 now = now_ns ();
  int sum;

  if (!gdb_bench_call_add_finish (GDB_BENCH (source), &sum, result, &error))
    fail ("Add", error);
  if (sum != run->received + 1)
    fail ("Add gave a wrong sum", NULL);

  if (run->times != NULL && run->received >= WARMUP)
    run->times[run->received - WARMUP] = now - run->call_start;
  run->received++;

  if (run->received == run->n)
    run->done = TRUE;
  else
    send_add (run);
}

static void
send_add (Run *run)
{
  while (run->sent < run->n && run->sent - run->received < (run->times ? 1 : IN_FLIGHT))
    {
      run->call_start = now_ns ();
      gdb_bench_call_add (run->proxy, run->sent, 1, NULL, on_add_done, run);
      run->sent++;
    }
}

static int
compare_times (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
workload_rtt (Run *run)
{
  int timed = run->n;

  run->n = timed + WARMUP;
  run->times = g_new0 (gint64, timed);
  send_add (run);
  wait_until_done (run, "Add");
  qsort (run->times, timed, sizeof (gint64), compare_times);
  printf ("{\"p50_us\": %.1f, \"p99_us\": %.1f}\n",
          run->times[timed / 2] / 1e3, run->times[(gint64) timed * 99 / 100] / 1e3);
  g_free (run->times);
}

static void
workload_pipelined (Run *run)
{
  run->start = g_get_monotonic_time ();
  send_add (run);
  wait_until_done (run, "Add");
  printf ("{\"calls_per_s\": %.0f}\n",
          run->n / ((g_get_monotonic_time () - run->start) / 1e6));
}

/* Calls a method without arguments or results and waits for its answer. */
static void
on_reset_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;

  if (!gdb_bench_call_reset_finish (GDB_BENCH (source), result, &error))
    fail ("Reset", error);
  run->done = TRUE;
}

/* Push, Signals and Blobs answer before they start; the workloads wait
 * for what follows, not for the answer, but a failed call is a failure. */
static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);

  if (reply == NULL)
    fail ("call", error);
}

/* ------------------------------------------------------------------------ */
/* Pushes                                                                    */

static void
on_value (GObject    *proxy,
          GParamSpec *pspec,
          Run        *run)
{
  run->count++;
  if (gdb_bench_get_value (run->proxy) == run->n)
    {
      run->last = g_get_monotonic_time ();
      run->done = TRUE;
    }
}

static void
workload_push (Run *run)
{
  g_signal_connect (run->proxy, "notify::value", G_CALLBACK (on_value), run);
  gdb_bench_call_reset (run->proxy, NULL, on_reset_done, run);
  wait_until_done (run, "Reset");
  run->count = 0;
  run->start = g_get_monotonic_time ();
  gdb_bench_call_push (run->proxy, run->n, NULL, on_started, NULL);
  wait_until_done (run, "the value");
  printf ("{\"changes_per_s\": %.0f, \"notifications\": %d, \"start_us\": %" G_GINT64_FORMAT "}\n",
          run->n / ((run->last - run->start) / 1e6), run->count, run->start);
}

static void
workload_fanout_wait (Run *run)
{
  g_signal_connect (run->proxy, "notify::value", G_CALLBACK (on_value), run);
  /* Ready to count: the runner starts the push when every client says so. */
  printf ("{\"waiting\": true}\n");
  fflush (stdout);
  if (gdb_bench_get_value (run->proxy) != run->n)
    wait_until_done (run, "the value");
  else
    run->last = g_get_monotonic_time ();       /* already there: done now */
  printf ("{\"done_at_us\": %" G_GINT64_FORMAT ", \"notifications\": %d}\n", run->last,
          run->count);
}

static void
on_tick (GdbBench *proxy,
         int       n,
         Run      *run)
{
  run->count++;
  if (n == run->n)
    {
      run->last = g_get_monotonic_time ();
      run->done = TRUE;
    }
}

static void
workload_signals (Run *run)
{
  g_signal_connect (run->proxy, "tick", G_CALLBACK (on_tick), run);
  run->start = g_get_monotonic_time ();
  gdb_bench_call_signals (run->proxy, run->n, NULL, on_started, NULL);
  wait_until_done (run, "the ticks");
  printf ("{\"signals_per_s\": %.0f, \"signals\": %d}\n",
          run->n / ((run->last - run->start) / 1e6), run->count);
}

static void
on_blob (GObject    *proxy,
         GParamSpec *pspec,
         Run        *run)
{
  g_autoptr(GVariant) blob = gdb_bench_dup_blob (run->proxy);
  const guint8 *bytes;
  gsize size;

  if (blob == NULL)
    return;
  bytes = g_variant_get_fixed_array (blob, &size, 1);
  if (size != BLOB_SIZE)
    return;
  run->count++;
  if (bytes[0] == (run->n - 1) % 256 && run->count >= run->n)
    {
      run->last = g_get_monotonic_time ();
      run->done = TRUE;
    }
}

static void
workload_blob (Run *run)
{
  g_signal_connect (run->proxy, "notify::blob", G_CALLBACK (on_blob), run);
  run->start = g_get_monotonic_time ();
  gdb_bench_call_blobs (run->proxy, run->n, NULL, on_started, NULL);
  wait_until_done (run, "the blobs");
  printf ("{\"mb_per_s\": %.1f, \"changes\": %d}\n",
          run->n * 1.048576 / ((run->last - run->start) / 1e6), run->count);
}

static void
on_stdin (GObject      *stream,
          GAsyncResult *result,
          gpointer      data)
{
  Run *run = data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (stream),
                                                              result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    run->done = TRUE;
  else
    g_input_stream_read_bytes_async (G_INPUT_STREAM (stream), 256, G_PRIORITY_DEFAULT,
                                     NULL, on_stdin, run);
}

static long
resident_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return strtol (line + 6, NULL, 10);
}

int
main (int    argc,
      char **argv)
{
  gint64 main_start = g_get_monotonic_time ();
  g_autofree char *address = NULL;
  const char *workload;
  Run run = { 0 };

  if (argc < 3 || (address = bench_dbus_address (argv[1])) == NULL)
    {
      g_printerr ("usage: gdbus-client ADDRESS WORKLOAD [N]\n");
      return 2;
    }
  workload = argv[2];
  run.n = argc > 3 ? atoi (argv[3]) : 0;
  if (run.n <= 0)
    run.n = g_str_equal (workload, "rtt") ? 20000
          : g_str_equal (workload, "pipelined") ? 10000
          : g_str_equal (workload, "fanout-wait") ? 20000
          : g_str_equal (workload, "blob") ? 200 : 100000;
  if (!g_str_equal (workload, "startup") && !g_str_equal (workload, "rtt") &&
      !g_str_equal (workload, "pipelined") && !g_str_equal (workload, "push") &&
      !g_str_equal (workload, "signals") && !g_str_equal (workload, "fanout-wait") &&
      !g_str_equal (workload, "blob") && !g_str_equal (workload, "idle") &&
      !g_str_equal (workload, "replicas"))
    {
      g_printerr ("gdbus-client: unknown workload %s\n", workload);
      return 2;
    }

  acquire (&run, address);

  if (g_str_equal (workload, "startup"))
    {
      if (gdb_bench_get_p49 (run.proxy) != 49)
        fail ("p49 is not 49", NULL);
      printf ("{\"startup_us\": %" G_GINT64_FORMAT "}\n", g_get_monotonic_time () - main_start);
    }
  else if (g_str_equal (workload, "rtt"))
    workload_rtt (&run);
  else if (g_str_equal (workload, "pipelined"))
    workload_pipelined (&run);
  else if (g_str_equal (workload, "push"))
    workload_push (&run);
  else if (g_str_equal (workload, "signals"))
    workload_signals (&run);
  else if (g_str_equal (workload, "fanout-wait"))
    workload_fanout_wait (&run);
  else if (g_str_equal (workload, "blob"))
    workload_blob (&run);
  else if (g_str_equal (workload, "idle"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);
      int connections = argc > 3 ? atoi (argv[3]) : 1;

      /* N connections, one proxy each; the first is made above. */
      for (int i = 1; i < connections; i++)
        {
          Run extra = { 0 };

          acquire (&extra, address);
          g_ptr_array_add (more, extra.proxy);
        }
      printf ("{\"valid\": true}\n");
      fflush (stdout);
      g_input_stream_read_bytes_async (in, 256, G_PRIORITY_DEFAULT, NULL, on_stdin, &run);
      while (!run.done)
        g_main_context_iteration (NULL, TRUE);
    }

  else if (g_str_equal (workload, "replicas"))
    {
      /* N proxies of the object on the one connection, each with its own
       * property cache, as N replicas in one node. */
      g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func (g_object_unref);
      GDBusConnection *connection = g_dbus_proxy_get_connection (G_DBUS_PROXY (run.proxy));
      int count = argc > 3 ? atoi (argv[3]) : 1000;
      long before = resident_kb ();

      for (int i = 0; i < count; i++)
        {
          g_autoptr(GError) error = NULL;
          GdbBench *proxy = gdb_bench_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_NONE, NULL,
                                                      "/bench", NULL, &error);

          if (proxy == NULL)
            fail ("proxy", error);
          g_ptr_array_add (proxies, proxy);
        }
      printf ("{\"rss_per_replica_kb\": %.2f}\n", (double) (resident_kb () - before) / count);
    }

  fflush (stdout);
  g_object_unref (run.proxy);
  return 0;
}
