/* glib-client.c: the GLib floor's round trip: N calls of two ints in, one
 * int out, one in flight, after 1000 warm-up calls; the next request is
 * sent from the readable callback of a non-blocking GSocket in a GLib main
 * loop (see ../PROTOCOL.md).  Only the rtt workload exists.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "glib-address.h"

#define WARMUP 1000

typedef struct
{
  GSocket   *socket;
  GMainLoop *loop;
  int        total;            /* warm-up + timed */
  int        done;
  gint64     start;
  gint64    *times;            /* ns, per timed call */
  guint8     in[64];
  gsize      in_len;
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
  g_printerr ("glib-client: %s%s%s\n", what, error ? ": " : "", error ? error->message : "");
  exit (1);
}

static void
send_request (Run *run)
{
  g_autoptr(GError) error = NULL;
  gint32 req[2] = { run->done, 1 };
  gssize sent;

  run->start = now_ns ();
  sent = g_socket_send (run->socket, (const char *) req, sizeof req, NULL, &error);
  /* One request in flight: the socket's buffer is empty, 8 bytes fit. */
  if (sent != sizeof req)
    fail ("send", error);
}

static gboolean
on_readable (GSocket     *socket,
             GIOCondition condition,
             gpointer     data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;
  gssize got;
  gint32 sum;

  got = g_socket_receive (socket, (char *) run->in + run->in_len,
                          sizeof run->in - run->in_len, NULL, &error);
  if (got < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  if (got == 0)
    fail ("the server closed the connection", NULL);
  if (got < 0)
    fail ("receive", error);
  run->in_len += got;
  if (run->in_len < sizeof sum)
    return G_SOURCE_CONTINUE;
  if (run->in_len > sizeof sum)
    fail ("more bytes than asked for", NULL);

  if (run->done >= WARMUP)
    run->times[run->done - WARMUP] = now_ns () - run->start;
  memcpy (&sum, run->in, sizeof sum);
  run->in_len = 0;
  if (sum != run->done + 1)
    fail ("add gave a wrong sum", NULL);

  if (++run->done == run->total)
    {
      g_main_loop_quit (run->loop);
      return G_SOURCE_REMOVE;
    }
  send_request (run);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer data)
{
  fail ("timed out after 60 s", NULL);
}

static int
compare (const void *a,
         const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSource *source;
  Run run = { 0 };
  int n;

  if (argc < 3 || (address = bench_glib_address (argv[1])) == NULL)
    {
      g_printerr ("usage: glib-client unix:/PATH | tcp:HOST:PORT rtt [N]\n");
      return 2;
    }
  if (!g_str_equal (argv[2], "rtt"))
    {
      g_printerr ("glib-client: workload %s is not supported (only rtt)\n", argv[2]);
      return 2;
    }
  n = argc > 3 ? atoi (argv[3]) : 0;
  if (n <= 0)
    n = 20000;

  run.socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                             G_SOCKET_PROTOCOL_DEFAULT, &error);
  if (run.socket == NULL)
    fail ("socket", error);
  g_socket_set_timeout (run.socket, 60);           /* bounds the blocking connect */
  if (!g_socket_connect (run.socket, address, NULL, &error))
    fail ("connect", error);
  g_socket_set_timeout (run.socket, 0);
  g_socket_set_blocking (run.socket, FALSE);
  if (G_IS_INET_SOCKET_ADDRESS (address))
    g_socket_set_option (run.socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.total = WARMUP + n;
  run.times = g_new0 (gint64, n);
  source = g_socket_create_source (run.socket, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (on_readable), &run, NULL);
  g_source_attach (source, NULL);
  g_timeout_add_seconds (60, on_timeout, NULL);

  send_request (&run);
  g_main_loop_run (run.loop);

  qsort (run.times, n, sizeof *run.times, compare);
  printf ("{\"p50_us\": %.1f, \"p99_us\": %.1f}\n",
          run.times[n / 2] / 1e3, run.times[(gint64) n * 99 / 100] / 1e3);
  fflush (stdout);

  g_source_destroy (source);
  g_source_unref (source);
  g_socket_close (run.socket, NULL);
  g_object_unref (run.socket);
  g_main_loop_unref (run.loop);
  g_free (run.times);
  return 0;
}
