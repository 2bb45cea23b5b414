/* glib-server.c: the GLib floor: the raw ping-pong (two ints in, one int
 * out) driven by a GLib main loop, as a hand-written GLib IPC would do it:
 * non-blocking GSockets watched with g_socket_create_source(), each
 * request answered from the readable callback (see ../PROTOCOL.md).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "glib-address.h"

typedef struct
{
  GSocket    *socket;
  GSource    *in_source;
  GSource    *out_source;
  guint8      in[4096];
  gsize       in_len;
  GByteArray *out;             /* replies the socket did not take yet */
} Peer;

static gboolean is_tcp;

static void
peer_free (Peer *peer)
{
  if (peer->out_source != NULL)
    {
      g_source_destroy (peer->out_source);
      g_source_unref (peer->out_source);
    }
  g_source_destroy (peer->in_source);
  g_source_unref (peer->in_source);
  g_socket_close (peer->socket, NULL);
  g_object_unref (peer->socket);
  g_byte_array_unref (peer->out);
  g_free (peer);
}

/* Sends what waits in peer->out; FALSE if the peer is gone. */
static gboolean
flush_out (Peer *peer)
{
  while (peer->out->len > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize sent = g_socket_send (peer->socket, (const char *) peer->out->data,
                                   peer->out->len, NULL, &error);

      if (sent < 0)
        return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_byte_array_remove_range (peer->out, 0, sent);
    }
  return TRUE;
}

static gboolean on_writable (GSocket *socket, GIOCondition condition, gpointer data);

static void
watch_out (Peer *peer)
{
  if (peer->out->len > 0 && peer->out_source == NULL)
    {
      peer->out_source = g_socket_create_source (peer->socket, G_IO_OUT, NULL);
      g_source_set_callback (peer->out_source, G_SOURCE_FUNC (on_writable), peer, NULL);
      g_source_attach (peer->out_source, NULL);
    }
}

static gboolean
on_writable (GSocket     *socket,
             GIOCondition condition,
             gpointer     data)
{
  Peer *peer = data;

  if (!flush_out (peer))
    {
      peer_free (peer);
      return G_SOURCE_REMOVE;
    }
  if (peer->out->len > 0)
    return G_SOURCE_CONTINUE;
  g_source_unref (peer->out_source);
  peer->out_source = NULL;
  return G_SOURCE_REMOVE;
}

static gboolean
on_readable (GSocket     *socket,
             GIOCondition condition,
             gpointer     data)
{
  Peer *peer = data;
  g_autoptr(GError) error = NULL;
  gssize got;
  gsize at = 0;

  got = g_socket_receive (socket, (char *) peer->in + peer->in_len,
                          sizeof peer->in - peer->in_len, NULL, &error);
  if (got < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  if (got <= 0)
    goto gone;                          /* EOF or error: the client left */
  peer->in_len += got;

  for (; peer->in_len - at >= 8; at += 8)
    {
      gint32 req[2], sum;

      memcpy (req, peer->in + at, sizeof req);
      sum = req[0] + req[1];
      g_byte_array_append (peer->out, (const guint8 *) &sum, sizeof sum);
    }
  memmove (peer->in, peer->in + at, peer->in_len - at);
  peer->in_len -= at;

  if (peer->out_source == NULL && !flush_out (peer))
    goto gone;
  watch_out (peer);
  return G_SOURCE_CONTINUE;

gone:
  /* in_source is destroyed by peer_free(); returning REMOVE is harmless */
  peer_free (peer);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocket     *listener,
             GIOCondition condition,
             gpointer     data)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_accept (listener, NULL, &error);
  Peer *peer;

  if (socket == NULL)
    return G_SOURCE_CONTINUE;
  g_socket_set_blocking (socket, FALSE);
  if (is_tcp)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  peer = g_new0 (Peer, 1);
  peer->socket = socket;
  peer->out = g_byte_array_new ();
  peer->in_source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (peer->in_source, G_SOURCE_FUNC (on_readable), peer, NULL);
  g_source_attach (peer->in_source, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_stdin (int          fd,
          GIOCondition condition,
          gpointer     loop)
{
  char buf[256];

  if (read (fd, buf, sizeof buf) > 0)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  GSource *source;

  if (argc != 2 || (address = bench_glib_address (argv[1])) == NULL)
    {
      g_printerr ("usage: glib-server unix:/PATH | tcp:HOST:PORT\n");
      return 2;
    }
  is_tcp = G_IS_INET_SOCKET_ADDRESS (address);

  listener = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_DEFAULT, &error);
  if (listener == NULL ||
      !g_socket_bind (listener, address, TRUE, &error) ||
      !g_socket_listen (listener, &error))
    {
      g_printerr ("glib-server: %s\n", error->message);
      return 1;
    }
  g_socket_set_blocking (listener, FALSE);

  loop = g_main_loop_new (NULL, FALSE);
  source = g_socket_create_source (listener, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (on_incoming), NULL, NULL);
  g_source_attach (source, NULL);
  g_source_unref (source);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);

  printf ("READY\n");
  fflush (stdout);
  g_main_loop_run (loop);

  if (!is_tcp)
    unlink (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)));
  return 0;
}
