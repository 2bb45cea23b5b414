/* gdbus-server.c: the benchmark's object (see ../PROTOCOL.md) over GDBus
 * peer to peer: a GDBusServer, no bus daemon, serving the skeleton that
 * gdbus-codegen makes from org.gro.Bench.xml at /bench on every
 * connection.  Each property change is announced as D-Bus users know it:
 * one org.freedesktop.DBus.Properties.PropertiesChanged with the new
 * value per change (the skeleton is flushed after each change, otherwise
 * it would merge the changes made before it next goes idle).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "gdbus-address.h"
#include "org-gro-bench.h"

#define N_P          50
#define BLOB_SIZE    (1024 * 1024)
/* Changes made between two main-loop iterations, as in the gro server:
 * as fast as it can, while the server still answers between batches. */
#define BATCH        1000

typedef struct
{
  GdbBench   *skeleton;
  int         target;          /* of push, signals or blobs under way */
  int         done;
  guint       work_id;
} Bench;

static void
set_value (Bench *bench,
           int    value)
{
  gdb_bench_set_value (bench->skeleton, value);
  /* One PropertiesChanged per change, now. */
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (bench->skeleton));
}

static gboolean
push_some (gpointer data)
{
  Bench *bench = data;

  for (int k = 0; k < BATCH && bench->done < bench->target; k++)
    set_value (bench, ++bench->done);
  if (bench->done < bench->target)
    return G_SOURCE_CONTINUE;
  bench->work_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
signal_some (gpointer data)
{
  Bench *bench = data;

  for (int k = 0; k < BATCH && bench->done < bench->target; k++)
    gdb_bench_emit_tick (bench->skeleton, ++bench->done);
  if (bench->done < bench->target)
    return G_SOURCE_CONTINUE;
  bench->work_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
blob_one (gpointer data)
{
  Bench *bench = data;
  guint8 *bytes = g_malloc (BLOB_SIZE);
  g_autoptr(GBytes) blob = NULL;

  for (int i = 0; i < BLOB_SIZE; i++)
    bytes[i] = (i + bench->done) % 256;
  blob = g_bytes_new_take (bytes, BLOB_SIZE);
  gdb_bench_set_blob (bench->skeleton,
                      g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, blob, TRUE));
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (bench->skeleton));
  if (++bench->done < bench->target)
    return G_SOURCE_CONTINUE;
  bench->work_id = 0;
  return G_SOURCE_REMOVE;
}

/* The work starts after the call is answered. */
static void
start (Bench      *bench,
       int         n,
       GSourceFunc func)
{
  g_clear_handle_id (&bench->work_id, g_source_remove);
  bench->target = n;
  bench->done = 0;
  bench->work_id = g_idle_add (func, bench);
}

static gboolean
on_add (GdbBench              *skeleton,
        GDBusMethodInvocation *invocation,
        int                    a,
        int                    b,
        Bench                 *bench)
{
  gdb_bench_complete_add (skeleton, invocation, a + b);
  return TRUE;
}

static gboolean
on_push (GdbBench              *skeleton,
         GDBusMethodInvocation *invocation,
         int                    n,
         Bench                 *bench)
{
  gdb_bench_complete_push (skeleton, invocation);
  start (bench, n, push_some);
  return TRUE;
}

static gboolean
on_signals (GdbBench              *skeleton,
            GDBusMethodInvocation *invocation,
            int                    n,
            Bench                 *bench)
{
  gdb_bench_complete_signals (skeleton, invocation);
  start (bench, n, signal_some);
  return TRUE;
}

static gboolean
on_blobs (GdbBench              *skeleton,
          GDBusMethodInvocation *invocation,
          int                    n,
          Bench                 *bench)
{
  gdb_bench_complete_blobs (skeleton, invocation);
  start (bench, n, blob_one);
  return TRUE;
}

static gboolean
on_reset (GdbBench              *skeleton,
          GDBusMethodInvocation *invocation,
          Bench                 *bench)
{
  g_clear_handle_id (&bench->work_id, g_source_remove);
  /* The change goes out before the answer. */
  set_value (bench, 0);
  gdb_bench_complete_reset (skeleton, invocation);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Connections                                                               */

static void
on_closed (GDBusConnection *connection,
           gboolean         remote_peer_vanished,
           GError          *error,
           Bench           *bench)
{
  g_dbus_interface_skeleton_unexport_from_connection (G_DBUS_INTERFACE_SKELETON (bench->skeleton),
                                                      connection);
  g_signal_handlers_disconnect_by_data (connection, bench);
  g_object_unref (connection);
}

static gboolean
on_new_connection (GDBusServer     *server,
                   GDBusConnection *connection,
                   Bench           *bench)
{
  g_autoptr(GError) error = NULL;

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (bench->skeleton),
                                         connection, "/bench", &error))
    {
      g_printerr ("gdbus-server: export: %s\n", error->message);
      return FALSE;
    }
  bench_dbus_set_nodelay (connection);
  g_object_ref (connection);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), bench);
  return TRUE;
}

/* The client authenticates with EXTERNAL (its credentials) on a Unix
 * socket, which has them, and with ANONYMOUS over TCP, which does not;
 * DBUS_COOKIE_SHA1 would need a keyring in the home folder. */
static gboolean
on_allow_mechanism (GDBusAuthObserver *observer,
                    const char        *mechanism,
                    gpointer           is_tcp)
{
  return g_str_equal (mechanism, GPOINTER_TO_INT (is_tcp) ? "ANONYMOUS" : "EXTERNAL");
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
  g_autoptr(GDBusAuthObserver) observer = NULL;
  g_autoptr(GDBusServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *address = NULL;
  g_autofree char *guid = NULL;
  gboolean is_tcp;
  Bench bench = { 0 };

  if (argc != 2 || (address = bench_dbus_address (argv[1])) == NULL)
    {
      g_printerr ("usage: gdbus-server unix:/PATH | tcp:HOST:PORT\n");
      return 2;
    }
  is_tcp = g_str_has_prefix (argv[1], "tcp:");

  bench.skeleton = gdb_bench_skeleton_new ();
  for (int i = 0; i < N_P; i++)
    {
      char name[8];

      g_snprintf (name, sizeof name, "p%d", i);
      g_object_set (bench.skeleton, name, i, NULL);
    }
  gdb_bench_set_blob (bench.skeleton, g_variant_new_from_data (G_VARIANT_TYPE_BYTESTRING,
                                                               NULL, 0, TRUE, NULL, NULL));
  g_signal_connect (bench.skeleton, "handle-add", G_CALLBACK (on_add), &bench);
  g_signal_connect (bench.skeleton, "handle-push", G_CALLBACK (on_push), &bench);
  g_signal_connect (bench.skeleton, "handle-signals", G_CALLBACK (on_signals), &bench);
  g_signal_connect (bench.skeleton, "handle-blobs", G_CALLBACK (on_blobs), &bench);
  g_signal_connect (bench.skeleton, "handle-reset", G_CALLBACK (on_reset), &bench);

  observer = g_dbus_auth_observer_new ();
  g_signal_connect (observer, "allow-mechanism", G_CALLBACK (on_allow_mechanism),
                    GINT_TO_POINTER (is_tcp));
  guid = g_dbus_generate_guid ();
  server = g_dbus_server_new_sync (address,
                                   is_tcp ? G_DBUS_SERVER_FLAGS_AUTHENTICATION_ALLOW_ANONYMOUS
                                          : G_DBUS_SERVER_FLAGS_NONE,
                                   guid, observer, NULL, &error);
  if (server == NULL)
    {
      g_printerr ("gdbus-server: %s\n", error->message);
      return 1;
    }
  g_signal_connect (server, "new-connection", G_CALLBACK (on_new_connection), &bench);
  g_dbus_server_start (server);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);
  printf ("READY\n");
  fflush (stdout);
  g_main_loop_run (loop);

  g_dbus_server_stop (server);
  if (!is_tcp)
    unlink (argv[1] + 5);
  g_clear_handle_id (&bench.work_id, g_source_remove);
  g_object_unref (bench.skeleton);
  return 0;
}
