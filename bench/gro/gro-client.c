/* gro-client.c: the benchmark's workloads against a gro replica (see
 * ../PROTOCOL.md)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gunixinputstream.h>
#include <gro.h>

#include "bench-address.h"

#define TIMEOUT_US    (60 * G_USEC_PER_SEC)
#define WARMUP        1000
#define IN_FLIGHT     100

typedef struct
{
  GroReplica *replica;
  GMainLoop  *loop;
  int         n;
  int         sent;
  int         received;
  int         count;
  gint64      start;
  gint64      last;
  gint64     *times;     /* rtt: per call, µs */
  gboolean    failed;
} Run;

static gint64 main_start;

static void
fail (const char *what,
      const GError *error)
{
  g_printerr ("gro-client: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static gboolean
on_timeout (gpointer data)
{
  g_printerr ("gro-client: timed out\n");
  exit (1);
  return G_SOURCE_REMOVE;
}

static void
run_loop (Run *run)
{
  guint id = g_timeout_add_seconds (TIMEOUT_US / G_USEC_PER_SEC, on_timeout, NULL);

  g_main_loop_run (run->loop);
  g_source_remove (id);
}

static void
call_and_wait (Run        *run,
               const char *method,
               GVariant   *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = gro_replica_call_sync (run->replica, method, args, 60000, NULL,
                                                     &error);

  if (reply == NULL)
    fail (method, error);
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
  g_autoptr(GVariant) reply = gro_replica_call_finish (GRO_REPLICA (source), result, &error);
  gint64 now = g_get_monotonic_time ();
  int sum;

  if (reply == NULL)
    fail ("add", error);
  g_variant_get (reply, "(i)", &sum);
  if (sum != run->received + 1)
    fail ("add gave a wrong sum", NULL);

  if (run->times != NULL && run->received >= WARMUP)
    run->times[run->received - WARMUP] = now - run->last;
  run->received++;

  if (run->received == run->n)
    g_main_loop_quit (run->loop);
  else
    send_add (run);
}

static void
send_add (Run *run)
{
  while (run->sent < run->n && run->sent - run->received < (run->times ? 1 : IN_FLIGHT))
    {
      run->last = g_get_monotonic_time ();
      gro_replica_call_async (run->replica, "add", g_variant_new ("(ii)", run->sent, 1), -1,
                              NULL, on_add_done, run);
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
  run_loop (run);
  qsort (run->times, timed, sizeof (gint64), compare_times);
  printf ("{\"p50_us\": %.1f, \"p99_us\": %.1f}\n",
          (double) run->times[timed / 2], (double) run->times[timed * 99 / 100]);
  g_free (run->times);
}

static void
workload_pipelined (Run *run)
{
  run->start = g_get_monotonic_time ();
  send_add (run);
  run_loop (run);
  printf ("{\"calls_per_s\": %.0f}\n",
          run->n / ((g_get_monotonic_time () - run->start) / 1e6));
}

/* ------------------------------------------------------------------------ */
/* Pushes                                                                    */

static void
on_value (GObject    *replica,
          GParamSpec *pspec,
          Run        *run)
{
  int value;

  g_object_get (replica, "value", &value, NULL);
  run->count++;
  if (value == run->n)
    {
      run->last = g_get_monotonic_time ();
      g_main_loop_quit (run->loop);
    }
}

static void
workload_push (Run *run)
{
  g_signal_connect (run->replica, "notify::value", G_CALLBACK (on_value), run);
  call_and_wait (run, "reset", NULL);
  run->count = 0;
  run->start = g_get_monotonic_time ();
  gro_replica_call_async (run->replica, "push", g_variant_new ("(i)", run->n), -1, NULL,
                          NULL, NULL);
  run_loop (run);
  printf ("{\"changes_per_s\": %.0f, \"notifications\": %d, \"start_us\": %" G_GINT64_FORMAT "}\n",
          run->n / ((run->last - run->start) / 1e6), run->count, run->start);
}

static void
workload_fanout_wait (Run *run)
{
  int value;

  g_object_get (run->replica, "value", &value, NULL);
  g_signal_connect (run->replica, "notify::value", G_CALLBACK (on_value), run);
  /* Ready to count: the runner starts the push when every client says so. */
  printf ("{\"waiting\": true}\n");
  fflush (stdout);
  if (value != run->n)
    run_loop (run);
  printf ("{\"done_at_us\": %" G_GINT64_FORMAT ", \"notifications\": %d}\n", run->last,
          run->count);
}

static void
on_tick (GObject *replica,
         int      n,
         Run     *run)
{
  run->count++;
  if (n == run->n)
    {
      run->last = g_get_monotonic_time ();
      g_main_loop_quit (run->loop);
    }
}

static void
workload_signals (Run *run)
{
  g_signal_connect (run->replica, "tick", G_CALLBACK (on_tick), run);
  run->start = g_get_monotonic_time ();
  gro_replica_call_async (run->replica, "signals", g_variant_new ("(i)", run->n), -1, NULL,
                          NULL, NULL);
  run_loop (run);
  printf ("{\"signals_per_s\": %.0f, \"signals\": %d}\n",
          run->n / ((run->last - run->start) / 1e6), run->count);
}

static void
on_blob (GObject    *replica,
         GParamSpec *pspec,
         Run        *run)
{
  g_autoptr(GBytes) blob = NULL;

  g_object_get (replica, "blob", &blob, NULL);
  if (blob == NULL || g_bytes_get_size (blob) != 1024 * 1024)
    return;
  run->count++;
  /* Changes the replica cannot keep up with coalesce: wait for the last. */
  if (((const guint8 *) g_bytes_get_data (blob, NULL))[0] == (run->n - 1) % 256)
    {
      run->last = g_get_monotonic_time ();
      g_main_loop_quit (run->loop);
    }
}

static void
workload_blob (Run *run)
{
  g_signal_connect (run->replica, "notify::blob", G_CALLBACK (on_blob), run);
  run->start = g_get_monotonic_time ();
  gro_replica_call_async (run->replica, "blobs", g_variant_new ("(i)", run->n), -1, NULL,
                          NULL, NULL);
  run_loop (run);
  /* Until the replica has the last value; changes it could not keep up
   * with may have coalesced on the way (\"changes\" says how many came). */
  printf ("{\"mb_per_s\": %.1f, \"changes\": %d}\n",
          run->n * 1.048576 / ((run->last - run->start) / 1e6), run->count);
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

static void
on_stdin (GObject      *stream,
          GAsyncResult *result,
          gpointer      loop)
{
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (stream),
                                                              result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    g_main_loop_quit (loop);
  else
    g_input_stream_read_bytes_async (G_INPUT_STREAM (stream), 256, G_PRIORITY_DEFAULT,
                                     NULL, on_stdin, loop);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroNode) node = NULL;
  g_autofree char *url = NULL;
  const char *workload;
  Run run = { 0 };
  int p49;

  main_start = g_get_monotonic_time ();
  if (argc < 3 || (url = bench_gro_url (argv[1])) == NULL)
    {
      g_printerr ("usage: gro-client ADDRESS WORKLOAD [N]\n");
      return 2;
    }
  workload = argv[2];
  run.n = argc > 3 ? atoi (argv[3]) : 0;
  if (run.n <= 0)
    run.n = g_str_equal (workload, "rtt") ? 20000
          : g_str_equal (workload, "pipelined") ? 10000
          : g_str_equal (workload, "fanout-wait") ? 20000
          : g_str_equal (workload, "blob") ? 200 : 100000;

  run.loop = g_main_loop_new (NULL, FALSE);
  node = gro_node_new ();
  if (!gro_node_connect_to_node (node, url, &error))
    fail ("connect", error);
  run.replica = gro_node_acquire_dynamic (node, "bench");
  if (!gro_replica_wait_for_source (run.replica, 60000, &error))
    fail ("acquire", error);

  if (g_str_equal (workload, "startup"))
    {
      g_object_get (run.replica, "p49", &p49, NULL);
      if (p49 != 49)
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
      int n = argc > 3 ? atoi (argv[3]) : 1;

      /* One connection is made above; the others here. */
      for (int i = 1; i < n; i++)
        {
          GroNode *extra = gro_node_new ();
          GroReplica *replica;

          if (!gro_node_connect_to_node (extra, url, &error))
            fail ("connect", error);
          replica = gro_node_acquire_dynamic (extra, "bench");
          if (!gro_replica_wait_for_source (replica, 60000, &error))
            fail ("acquire", error);
          g_ptr_array_add (more, replica);
          g_ptr_array_add (more, extra);
        }
      printf ("{\"valid\": true}\n");
      fflush (stdout);
      g_input_stream_read_bytes_async (in, 256, G_PRIORITY_DEFAULT, NULL, on_stdin, run.loop);
      g_main_loop_run (run.loop);
    }
  else if (g_str_equal (workload, "replicas"))
    {
      g_autoptr(GPtrArray) replicas = g_ptr_array_new_with_free_func (g_object_unref);
      int n = argc > 3 ? atoi (argv[3]) : 1000;
      long before = resident_kb ();

      for (int i = 0; i < n; i++)
        g_ptr_array_add (replicas, gro_node_acquire_dynamic (node, "bench"));
      for (int i = 0; i < n; i++)
        if (!gro_replica_wait_for_source (replicas->pdata[i], 60000, &error))
          fail ("acquire", error);
      printf ("{\"rss_per_replica_kb\": %.2f}\n", (double) (resident_kb () - before) / n);
    }
  else
    {
      g_printerr ("gro-client: unknown workload %s\n", workload);
      return 2;
    }

  fflush (stdout);
  g_object_unref (run.replica);
  g_main_loop_unref (run.loop);
  return 0;
}
