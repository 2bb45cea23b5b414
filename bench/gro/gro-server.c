/* gro-server.c: the benchmark's object shared with gro (see ../PROTOCOL.md)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gunixinputstream.h>
#include <gro.h>

#include "bench-address.h"

#define N_P          50
#define BLOB_SIZE    (1024 * 1024)
/* Changes made between two main-loop iterations, so that the connection
 * flushes as a source changing fast in real life would. */
#define BATCH        1000

#define BENCH_TYPE_THING (bench_thing_get_type ())
G_DECLARE_FINAL_TYPE (BenchThing, bench_thing, BENCH, THING, GObject)

struct _BenchThing
{
  GObject  parent_instance;
  int      value;
  int      p[N_P];
  GBytes  *blob;
  int      target;     /* of push, signals or blobs under way */
  int      done;
  guint    work_id;
};

enum { PROP_0, PROP_VALUE, PROP_BLOB, PROP_P0, N_PROPS = PROP_P0 + N_P };
enum { TICK, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BenchThing, bench_thing, G_TYPE_OBJECT)

static void
set_value (BenchThing *self,
           int         value)
{
  self->value = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

static gboolean
push_some (gpointer data)
{
  BenchThing *self = data;

  for (int k = 0; k < BATCH && self->done < self->target; k++)
    set_value (self, ++self->done);
  if (self->done < self->target)
    return G_SOURCE_CONTINUE;
  self->work_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
signal_some (gpointer data)
{
  BenchThing *self = data;

  for (int k = 0; k < BATCH && self->done < self->target; k++)
    g_signal_emit (self, signals[TICK], 0, ++self->done);
  if (self->done < self->target)
    return G_SOURCE_CONTINUE;
  self->work_id = 0;
  return G_SOURCE_REMOVE;
}

/* Byte i of change k is (i + k) mod 256: a window into this pattern. */
static guint8 pattern[BLOB_SIZE + 256];

static gboolean
blob_one (gpointer data)
{
  BenchThing *self = data;

  g_clear_pointer (&self->blob, g_bytes_unref);
  self->blob = g_bytes_new (pattern + self->done % 256, BLOB_SIZE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOB]);
  if (++self->done < self->target)
    return G_SOURCE_CONTINUE;
  self->work_id = 0;
  return G_SOURCE_REMOVE;
}

/* The work starts after the call is answered. */
static void
start (BenchThing  *self,
       int          n,
       GSourceFunc  func)
{
  g_clear_handle_id (&self->work_id, g_source_remove);
  self->target = n;
  self->done = 0;
  self->work_id = g_idle_add (func, self);
}

static int
on_add (BenchThing *self, int a, int b)
{
  return a + b;
}

static void
on_push (BenchThing *self, int n)
{
  start (self, n, push_some);
}

static void
on_signals (BenchThing *self, int n)
{
  start (self, n, signal_some);
}

static void
on_blobs (BenchThing *self, int n)
{
  start (self, n, blob_one);
}

static void
on_reset (BenchThing *self)
{
  g_clear_handle_id (&self->work_id, g_source_remove);
  set_value (self, 0);
}

static void
bench_thing_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BenchThing *self = BENCH_THING (object);

  if (prop_id == PROP_VALUE)
    g_value_set_int (value, self->value);
  else if (prop_id == PROP_BLOB)
    g_value_set_boxed (value, self->blob);
  else
    g_value_set_int (value, self->p[prop_id - PROP_P0]);
}

static void
bench_thing_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BenchThing *self = BENCH_THING (object);

  if (prop_id == PROP_VALUE)
    set_value (self, g_value_get_int (value));
  else if (prop_id == PROP_BLOB)
    {
      g_clear_pointer (&self->blob, g_bytes_unref);
      self->blob = g_value_dup_boxed (value);
    }
  else
    self->p[prop_id - PROP_P0] = g_value_get_int (value);
}

static void
bench_thing_finalize (GObject *object)
{
  BenchThing *self = BENCH_THING (object);

  g_clear_handle_id (&self->work_id, g_source_remove);
  g_clear_pointer (&self->blob, g_bytes_unref);
  G_OBJECT_CLASS (bench_thing_parent_class)->finalize (object);
}

static void
bench_thing_class_init (BenchThingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GSignalFlags action = G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION;

  object_class->get_property = bench_thing_get_property;
  object_class->set_property = bench_thing_set_property;
  object_class->finalize = bench_thing_finalize;

  properties[PROP_VALUE] = g_param_spec_int ("value", NULL, NULL, G_MININT, G_MAXINT, 0, rw);
  properties[PROP_BLOB] = g_param_spec_boxed ("blob", NULL, NULL, G_TYPE_BYTES, rw);
  for (int i = 0; i < N_P; i++)
    {
      char name[8];

      g_snprintf (name, sizeof name, "p%d", i);
      properties[PROP_P0 + i] = g_param_spec_int (g_intern_string (name), NULL, NULL,
                                                  G_MININT, G_MAXINT, i,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY);
    }
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TICK] = g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  g_signal_new_class_handler ("add", G_TYPE_FROM_CLASS (klass), action, G_CALLBACK (on_add),
                              NULL, NULL, NULL, G_TYPE_INT, 2, G_TYPE_INT, G_TYPE_INT);
  g_signal_new_class_handler ("push", G_TYPE_FROM_CLASS (klass), action, G_CALLBACK (on_push),
                              NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  g_signal_new_class_handler ("signals", G_TYPE_FROM_CLASS (klass), action,
                              G_CALLBACK (on_signals), NULL, NULL, NULL, G_TYPE_NONE, 1,
                              G_TYPE_INT);
  g_signal_new_class_handler ("blobs", G_TYPE_FROM_CLASS (klass), action, G_CALLBACK (on_blobs),
                              NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  g_signal_new_class_handler ("reset", G_TYPE_FROM_CLASS (klass), action, G_CALLBACK (on_reset),
                              NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bench_thing_init (BenchThing *self)
{
  for (int i = 0; i < N_P; i++)
    self->p[i] = i;
  self->blob = g_bytes_new (NULL, 0);
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
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(BenchThing) thing = NULL;
  g_autoptr(GroHost) host = NULL;
  g_autofree char *url = NULL;

  if (argc != 2 || (url = bench_gro_url (argv[1])) == NULL)
    {
      g_printerr ("usage: gro-server unix:/PATH | tcp:HOST:PORT\n");
      return 2;
    }

  for (gsize i = 0; i < sizeof pattern; i++)
    pattern[i] = i % 256;
  thing = g_object_new (BENCH_TYPE_THING, NULL);
  host = gro_host_new (url, &error);
  if (host == NULL || !gro_host_enable_remoting (host, G_OBJECT (thing), "bench", &error))
    {
      g_printerr ("gro-server: %s\n", error->message);
      return 1;
    }

  printf ("READY\n");
  fflush (stdout);
  g_input_stream_read_bytes_async (in, 256, G_PRIORITY_DEFAULT, NULL, on_stdin, loop);
  g_main_loop_run (loop);
  return 0;
}
