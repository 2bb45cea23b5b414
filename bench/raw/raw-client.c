/* raw-client.c: the floor's round trip: N blocking write()/read() pairs
 * of two ints in, one int out, after 1000 warm-up calls (see
 * ../PROTOCOL.md).  Only the rtt workload exists.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "raw-address.h"

#define WARMUP 1000

static int64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
fail (const char *what)
{
  if (errno != 0)
    fprintf (stderr, "raw-client: %s: %s\n", what, strerror (errno));
  else
    fprintf (stderr, "raw-client: %s\n", what);
  exit (1);
}

static void
read_full (int fd, void *buf, size_t len)
{
  size_t got = 0;

  while (got < len)
    {
      ssize_t r = read (fd, (char *) buf + got, len - got);

      if (r > 0)
        got += r;
      else if (r < 0 && errno == EINTR)
        continue;
      else
        {
          if (r == 0)
            errno = 0;
          fail (r == 0 ? "the server closed the connection" : "read (timed out?)");
        }
    }
}

static void
write_full (int fd, const void *buf, size_t len)
{
  size_t done = 0;

  while (done < len)
    {
      ssize_t w = write (fd, (const char *) buf + done, len - done);

      if (w > 0)
        done += w;
      else if (w < 0 && errno == EINTR)
        continue;
      else
        fail ("write");
    }
}

static int
compare (const void *a, const void *b)
{
  int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  struct timeval tv = { .tv_sec = 60 };
  RawAddress addr;
  int64_t *times;
  int one = 1;
  int fd, n;

  if (argc < 3 || raw_address_parse (argv[1], &addr) < 0)
    {
      fprintf (stderr, "usage: raw-client unix:/PATH | tcp:HOST:PORT rtt [N]\n");
      return 2;
    }
  if (strcmp (argv[2], "rtt") != 0)
    {
      fprintf (stderr, "raw-client: workload %s is not supported (only rtt)\n", argv[2]);
      return 2;
    }
  n = argc > 3 ? atoi (argv[3]) : 0;
  if (n <= 0)
    n = 20000;

  fd = socket (addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    fail ("socket");
  /* Every wait bounded: connect, read and write give up after 60 s. */
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (addr.family == AF_INET)
    setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect (fd, (struct sockaddr *) &addr.sa, addr.len) < 0)
    fail ("connect");

  times = calloc (n, sizeof *times);
  if (times == NULL)
    fail ("out of memory");

  for (int i = 0; i < WARMUP + n; i++)
    {
      int32_t req[2] = { i, 1 }, sum;
      int64_t start = now_ns ();

      write_full (fd, req, sizeof req);
      read_full (fd, &sum, sizeof sum);
      if (i >= WARMUP)
        times[i - WARMUP] = now_ns () - start;
      if (sum != i + 1)
        {
          errno = 0;
          fail ("add gave a wrong sum");
        }
    }

  qsort (times, n, sizeof *times, compare);
  printf ("{\"p50_us\": %.1f, \"p99_us\": %.1f}\n",
          times[n / 2] / 1e3, times[(int64_t) n * 99 / 100] / 1e3);
  fflush (stdout);
  close (fd);
  free (times);
  return 0;
}
