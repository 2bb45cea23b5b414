/* fuzz-peer.c: a real host or node reading what a peer sends
 *
 * The first byte says which side gro plays: a host sharing a test object
 * and a list of three (a registry when bit 1 is set too), or a node with a
 * dynamic replica of the object and a replica of the list. The rest is what
 * the peer sends,
 * from the handshake on, over a socket pair. Whatever comes, gro must close
 * the connection or answer, never crash or leak.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <sys/socket.h>
#include <unistd.h>

#include <gro.h>

#include "gro-test-object.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static GSocketConnection *
wrap (int fd)
{
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, NULL);

  g_assert (socket != NULL);
  return g_socket_connection_factory_create_connection (socket);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GSocketConnection) ours = NULL;
  g_autoptr(GSocketConnection) theirs = NULL;
  g_autoptr(GroHost) host = NULL;
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GroTestObject) object = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GroListModelReplica) list = NULL;
  GSocket *peer;
  gsize pos = 1;
  int fds[2];

  if (size < 1 || socketpair (AF_UNIX, SOCK_STREAM, 0, fds) != 0)
    return 0;
  ours = wrap (fds[0]);
  theirs = wrap (fds[1]);
  peer = g_socket_connection_get_socket (theirs);
  g_socket_set_blocking (peer, FALSE);

  if (data[0] & 1)
    {
      object = gro_test_object_new ();
      /* Bit 1 too: a registry, which also reads PUBLISH, UNPUBLISH, WATCH. */
      host = data[0] & 2 ? GRO_HOST (gro_registry_host_new (NULL, NULL))
                         : gro_host_new (NULL, NULL);
      gro_host_enable_remoting (host, G_OBJECT (object), "test", NULL);
      store = g_list_store_new (GRO_TEST_TYPE_OBJECT);
      for (int i = 0; i < 3; i++)
        {
          g_autoptr(GroTestObject) item = gro_test_object_new ();
          g_list_store_append (store, item);
        }
      gro_host_enable_model_remoting (host, G_LIST_MODEL (store), "list", NULL);
      gro_host_add_stream (host, G_IO_STREAM (ours), NULL);
    }
  else
    {
      /* Each GType made stays for the process: one per input at most. */
      node = g_object_new (GRO_TYPE_NODE, "max-dynamic-types", 1, NULL);
      gro_node_connect_to_stream (node, G_IO_STREAM (ours), NULL);
      replica = gro_node_acquire_dynamic (node, "test");
      list = gro_node_acquire_model (node, "list");
    }

  /* Feed it all, letting gro read and answer as it would; drop what it
   * writes back. */
  for (guint round = 0; round < 10000 && (pos < size || round < 3); round++)
    {
      char sink[4096];

      if (pos < size)
        {
          gssize n = g_socket_send (peer, (const char *) data + pos, size - pos, NULL, NULL);

          if (n > 0)
            pos += n;
        }
      while (g_socket_receive (peer, sink, sizeof sink, NULL, NULL) > 0)
        ;
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  /* Read what came, as an application would. */
  if (list != NULL)
    for (guint i = 0; i < MIN (g_list_model_get_n_items (G_LIST_MODEL (list)), 8); i++)
      g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));

  g_clear_object (&list);
  g_clear_object (&replica);
  g_clear_object (&node);
  g_clear_object (&host);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
