/* raw-server.c: the floor: a blocking socket ping-pong, two ints in, one
 * int out (see ../PROTOCOL.md).  One thread per connection doing read() and
 * write() in a loop, no event loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "raw-address.h"

static int
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
        return -1;                      /* EOF or error: the client left */
    }
  return 0;
}

static int
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
        return -1;
    }
  return 0;
}

static void *
serve (void *data)
{
  int fd = (int) (intptr_t) data;
  int32_t in[2], out;

  while (read_full (fd, in, sizeof in) == 0)
    {
      out = in[0] + in[1];
      if (write_full (fd, &out, sizeof out) < 0)
        break;
    }
  close (fd);
  return NULL;
}

int
main (int argc, char **argv)
{
  RawAddress addr;
  struct pollfd fds[2];
  int one = 1;
  int lfd;

  if (argc != 2 || raw_address_parse (argv[1], &addr) < 0)
    {
      fprintf (stderr, "usage: raw-server unix:/PATH | tcp:HOST:PORT\n");
      return 2;
    }

  lfd = socket (addr.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (lfd < 0)
    {
      perror ("raw-server: socket");
      return 1;
    }
  if (addr.family == AF_INET)
    setsockopt (lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (lfd, (struct sockaddr *) &addr.sa, addr.len) < 0 || listen (lfd, 64) < 0)
    {
      perror ("raw-server: bind/listen");
      return 1;
    }

  printf ("READY\n");
  fflush (stdout);

  fds[0].fd = 0;
  fds[0].events = POLLIN;
  fds[1].fd = lfd;
  fds[1].events = POLLIN;
  for (;;)
    {
      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          perror ("raw-server: poll");
          break;
        }
      if (fds[0].revents)
        {
          char buf[256];
          ssize_t r = read (0, buf, sizeof buf);

          if (r <= 0)
            break;                      /* stdin closed: done */
        }
      if (fds[1].revents & POLLIN)
        {
          int cfd = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC);
          pthread_t thread;

          if (cfd < 0)
            continue;
          if (addr.family == AF_INET)
            setsockopt (cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          if (pthread_create (&thread, NULL, serve, (void *) (intptr_t) cfd) != 0)
            close (cfd);
          else
            pthread_detach (thread);
        }
    }

  if (addr.family == AF_UNIX)
    unlink (((struct sockaddr_un *) &addr.sa)->sun_path);
  return 0;
}
