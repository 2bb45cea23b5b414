/* matrix-source.c: the matrix's source in C (see ../README.md)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include <gio/gunixinputstream.h>
#include <gro.h>

#define MATRIX_TYPE_THING (matrix_thing_get_type ())
G_DECLARE_FINAL_TYPE (MatrixThing, matrix_thing, MATRIX, THING, GObject)

struct _MatrixThing
{
  GObject   parent_instance;
  int       count;
  char     *label;
  GStrv     tags;
};

enum { PROP_0, PROP_COUNT, PROP_LABEL, PROP_TAGS, N_PROPS };
enum { PINGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MatrixThing, matrix_thing, G_TYPE_OBJECT)

static int
matrix_thing_add (MatrixThing *self,
                  int          a,
                  int          b)
{
  return a + b;
}

static void
matrix_thing_bump (MatrixThing *self)
{
  self->count++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

static void
matrix_thing_ping (MatrixThing *self,
                   int          n,
                   const char  *text)
{
  g_signal_emit (self, signals[PINGED], 0, n, text);
}

static void
matrix_thing_fail (MatrixThing *self)
{
  gro_invocation_return_error_literal (gro_invocation_get_current (),
                                       g_quark_from_static_string ("matrix-error-quark"),
                                       3, "failed on purpose");
}

static void
matrix_thing_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MatrixThing *self = MATRIX_THING (object);

  switch (prop_id)
    {
    case PROP_COUNT: g_value_set_int (value, self->count); break;
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_TAGS: g_value_set_boxed (value, self->tags); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
matrix_thing_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MatrixThing *self = MATRIX_THING (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      self->count = g_value_get_int (value);
      break;
    case PROP_LABEL:
      g_free (self->label);
      self->label = g_value_dup_string (value);
      break;
    case PROP_TAGS:
      g_strfreev (self->tags);
      self->tags = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
matrix_thing_finalize (GObject *object)
{
  MatrixThing *self = MATRIX_THING (object);

  g_free (self->label);
  g_strfreev (self->tags);

  G_OBJECT_CLASS (matrix_thing_parent_class)->finalize (object);
}

static void
matrix_thing_class_init (MatrixThingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GSignalFlags action = G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION;

  object_class->get_property = matrix_thing_get_property;
  object_class->set_property = matrix_thing_set_property;
  object_class->finalize = matrix_thing_finalize;

  properties[PROP_COUNT] = g_param_spec_int ("count", NULL, NULL, G_MININT, G_MAXINT, 7, rw);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, "seven", rw);
  properties[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PINGED] = g_signal_new ("pinged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                  G_TYPE_INT, G_TYPE_STRING);

  g_signal_new_class_handler ("add", G_TYPE_FROM_CLASS (klass), action,
                              G_CALLBACK (matrix_thing_add), NULL, NULL, NULL,
                              G_TYPE_INT, 2, G_TYPE_INT, G_TYPE_INT);
  g_signal_new_class_handler ("bump", G_TYPE_FROM_CLASS (klass), action,
                              G_CALLBACK (matrix_thing_bump), NULL, NULL, NULL,
                              G_TYPE_NONE, 0);
  g_signal_new_class_handler ("ping", G_TYPE_FROM_CLASS (klass), action,
                              G_CALLBACK (matrix_thing_ping), NULL, NULL, NULL,
                              G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  g_signal_new_class_handler ("fail", G_TYPE_FROM_CLASS (klass), action,
                              G_CALLBACK (matrix_thing_fail), NULL, NULL, NULL,
                              G_TYPE_NONE, 0);
}

static void
matrix_thing_init (MatrixThing *self)
{
  const char * const tags[] = { "a", "b", NULL };

  self->count = 7;
  self->label = g_strdup ("seven");
  self->tags = g_strdupv ((GStrv) tags);
}

/* Stdin's end is the signal to stop. */
static void
on_stdin (GObject      *stream,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (stream),
                                                              result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    g_main_loop_quit (user_data);
  else
    g_input_stream_read_bytes_async (G_INPUT_STREAM (stream), 256, G_PRIORITY_DEFAULT,
                                     NULL, on_stdin, user_data);
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autoptr(MatrixThing) thing = g_object_new (MATRIX_TYPE_THING, NULL);
  g_autoptr(GroHost) host = gro_host_new ("tcp://127.0.0.1:0", &error);
  g_auto(GStrv) urls = NULL;

  if (host == NULL || !gro_host_enable_remoting (host, G_OBJECT (thing), "matrix", &error))
    {
      g_printerr ("matrix-source: %s\n", error->message);
      return EXIT_FAILURE;
    }

  urls = gro_host_dup_urls (host);
  printf ("%s\nREADY\n", urls[0]);
  fflush (stdout);

  g_input_stream_read_bytes_async (in, 256, G_PRIORITY_DEFAULT, NULL, on_stdin, loop);
  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
