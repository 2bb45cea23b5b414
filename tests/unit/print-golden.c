/* print-golden.c: prints the golden frames of doc/protocol.md
 *
 * Every frame is made by gro_frame_encode(), with bodies built the way the
 * host and the node build them, for one session with a "thermostat" source.
 * `print-golden` prints the Markdown of the doc's golden frames (section 8
 * of doc/protocol.md, from "### HELLO from a node" to "## 9");
 * `print-golden --c` prints the same frames as C: tests/unit/golden-frames.h.
 * test-frame.c decodes them, re-encodes them, and checks that protocol.md
 * still shows them, so the three cannot drift apart unnoticed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "gro-codec-private.h"
#include "gro-error.h"
#include "gro-frame-private.h"
#include "gro-schema-private.h"
#include "thermostat.h"

/* ------------------------------------------------------------------------ */

typedef struct
{
  const char     *id;      /* C identifier and Markdown anchor */
  const char     *title;
  const char     *direction;
  GroMessageKind  kind;
  guint32         object;
  guint32         member;
  guint32         serial;
  GVariant       *body;    /* owned, or NULL */
} Vector;

static GPtrArray *vectors;

static void
add (const char     *id,
     const char     *title,
     const char     *direction,
     GroMessageKind  kind,
     guint32         object,
     guint32         member,
     guint32         serial,
     GVariant       *body)
{
  Vector *v = g_new0 (Vector, 1);

  v->id = id;
  v->title = title;
  v->direction = direction;
  v->kind = kind;
  v->object = object;
  v->member = member;
  v->serial = serial;
  v->body = body ? g_variant_ref_sink (body) : NULL;
  g_ptr_array_add (vectors, v);
}

static void
vector_free (gpointer data)
{
  Vector *v = data;

  g_clear_pointer (&v->body, g_variant_unref);
  g_free (v);
}

static GVariant *
hello (const char *role)
{
  GVariantBuilder options;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "role", g_variant_new_string (role));
  g_variant_builder_add (&options, "{sv}", "max-frame-size",
                         g_variant_new_uint32 (GRO_DEFAULT_MAX_FRAME_SIZE));
  return g_variant_new ("(sqqa{sv})", GRO_PROTOCOL_MAGIC,
                        (guint16) GRO_PROTOCOL_VERSION_MIN,
                        (guint16) GRO_PROTOCOL_VERSION_MAX, &options);
}

/* As gro_source_adapter_subscribe() builds it. */
static GVariant *
init_body (GroSchema  *schema,
           gboolean    with_schema,
           int         temperature,
           const char *label,
           int         mode)
{
  GVariant *values[3];
  GValue v = G_VALUE_INIT;

  g_assert (schema->n_properties == 3);
  for (guint i = 0; i < 3; i++)
    {
      const GroSchemaProperty *prop = &schema->properties[i];

      g_value_init (&v, prop->type.gtype);
      if (g_str_equal (prop->name, "temperature"))
        g_value_set_int (&v, temperature);
      else if (g_str_equal (prop->name, "label"))
        g_value_set_string (&v, label);
      else
        g_value_set_enum (&v, mode);
      values[i] = gro_value_to_variant (&v, &prop->type);
      g_value_unset (&v);
    }

  return g_variant_new ("(s@m" GRO_SCHEMA_TYPE_STRING "v)", schema->hash,
                        g_variant_new_maybe (G_VARIANT_TYPE (GRO_SCHEMA_TYPE_STRING),
                                             with_schema ? schema->variant : NULL),
                        g_variant_new_tuple (values, 3));
}

static GVariant *
error_body (GQuark      domain,
            int         code,
            const char *message)
{
  return g_variant_new ("(sis)", g_quark_to_string (domain), code, message);
}

static void
make_vectors (GroSchema *schema)
{
  int temperature = gro_schema_find_property (schema, "temperature");
  int label = gro_schema_find_property (schema, "label");
  int alarm = gro_schema_find_signal (schema, "alarm");
  int add_method = gro_schema_find_method (schema, "add");

  g_assert (temperature >= 0 && label >= 0 && alarm >= 0 && add_method >= 0);

  add ("hello-node", "HELLO from a node", "node → host",
       GRO_MESSAGE_HELLO, 0, 0, 0, hello ("node"));
  add ("hello-host", "HELLO from a host", "host → node",
       GRO_MESSAGE_HELLO, 0, 0, 0, hello ("host"));
  add ("sources", "SOURCES with one source", "host → node",
       GRO_MESSAGE_SOURCES, 0, 0, 0,
       g_variant_new_parsed ("[(%s, %s, %s)]", "thermostat", schema->type_name, schema->hash));
  add ("acquire", "ACQUIRE \"thermostat\" as object 1, no schema known", "node → host",
       GRO_MESSAGE_ACQUIRE, 1, 0, 0, g_variant_new ("(ss)", "thermostat", ""));
  add ("init", "INIT of object 1, with the schema", "host → node",
       GRO_MESSAGE_INIT, 1, 0, 0, init_body (schema, TRUE, 21, "Kitchen", THERMOSTAT_MODE_OFF));
  add ("property", "PROPERTY: temperature of object 1 is now 22", "host → node",
       GRO_MESSAGE_PROPERTY, 1, temperature, 0, g_variant_new_variant (g_variant_new_int32 (22)));
  add ("signal", "SIGNAL: object 1 emits alarm (30, \"too hot\")", "host → node",
       GRO_MESSAGE_SIGNAL, 1, alarm, 0,
       g_variant_new_variant (g_variant_new ("(ims)", 30, "too hot")));
  add ("call", "CALL add (2, 3) on object 1, serial 1", "node → host",
       GRO_MESSAGE_CALL, 1, add_method, 1, g_variant_new_variant (g_variant_new ("(ii)", 2, 3)));
  add ("reply", "REPLY to serial 1: (5,)", "host → node",
       GRO_MESSAGE_REPLY, 0, 0, 1, g_variant_new_variant (g_variant_new ("(i)", 5)));
  add ("set-property", "SET_PROPERTY temperature = 25 on object 1, serial 2", "node → host",
       GRO_MESSAGE_SET_PROPERTY, 1, temperature, 2,
       g_variant_new_variant (g_variant_new_int32 (25)));
  add ("reply-unit", "REPLY to serial 2: ()", "host → node",
       GRO_MESSAGE_REPLY, 0, 0, 2, g_variant_new_variant (g_variant_new ("()")));
  add ("set-read-only", "SET_PROPERTY label = \"Hall\" on object 1, serial 3", "node → host",
       GRO_MESSAGE_SET_PROPERTY, 1, label, 3,
       g_variant_new_variant (g_variant_new ("ms", "Hall")));
  add ("error", "ERROR for serial 3: the property is read-only", "host → node",
       GRO_MESSAGE_ERROR, 0, 0, 3,
       error_body (GRO_ERROR, GRO_ERROR_READ_ONLY,
                   "The property 'label' of 'thermostat' is read-only"));
  add ("acquire-known", "ACQUIRE \"thermostat\" as object 2, schema known", "node → host",
       GRO_MESSAGE_ACQUIRE, 2, 0, 0, g_variant_new ("(ss)", "thermostat", schema->hash));
  add ("init-known", "INIT of object 2, without the schema", "host → node",
       GRO_MESSAGE_INIT, 2, 0, 0, init_body (schema, FALSE, 25, "Kitchen", THERMOSTAT_MODE_OFF));
  add ("source-added", "SOURCE_ADDED \"thermostat-2\"", "host → node",
       GRO_MESSAGE_SOURCE_ADDED, 0, 0, 0,
       g_variant_new ("(sss)", "thermostat-2", schema->type_name, schema->hash));
  add ("source-removed", "SOURCE_REMOVED \"thermostat-2\"", "host → node",
       GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0, g_variant_new_string ("thermostat-2"));
  add ("release", "RELEASE object 1", "node → host",
       GRO_MESSAGE_RELEASE, 1, 0, 0, NULL);
  add ("ping", "PING, serial 7", "either way",
       GRO_MESSAGE_PING, 0, 0, 7, NULL);
  add ("pong", "PONG to PING 7", "either way",
       GRO_MESSAGE_PONG, 0, 0, 7, NULL);
  /* Not of this session: multi-byte varints, on a source with more methods. */
  add ("big-ids", "CALL of method 128, no arguments, on object 300, serial 2^32 - 1",
       "node → host", GRO_MESSAGE_CALL, 300, 128, G_MAXUINT32,
       g_variant_new_variant (g_variant_new ("()")));

  /* The registry (protocol.md §4.1): a host publishes, a node watches. */
  add ("watch", "WATCH, serial 1", "node → registry",
       GRO_MESSAGE_WATCH, 0, 0, 1, NULL);
  add ("publish", "PUBLISH \"thermostat\" at unix:/run/kitchen, serial 2", "node → registry",
       GRO_MESSAGE_PUBLISH, 0, 0, 2,
       g_variant_new ("(sss)", "thermostat", schema->type_name, "unix:/run/kitchen"));
  add ("watch-reply", "REPLY to WATCH: the table", "registry → node",
       GRO_MESSAGE_REPLY, 0, 0, 1,
       g_variant_new_variant (g_variant_new_parsed ("[(%s, %s, %s)]", "thermostat",
                                                    schema->type_name, "unix:/run/kitchen")));
  add ("location-added", "LOCATION_ADDED \"thermostat\" at unix:/run/kitchen", "registry → node",
       GRO_MESSAGE_LOCATION_ADDED, 0, 0, 0,
       g_variant_new ("(sss)", "thermostat", schema->type_name, "unix:/run/kitchen"));
  add ("unpublish", "UNPUBLISH \"thermostat\"", "node → registry",
       GRO_MESSAGE_UNPUBLISH, 0, 0, 0, g_variant_new_string ("thermostat"));
  add ("location-removed", "LOCATION_REMOVED \"thermostat\" from unix:/run/kitchen",
       "registry → node", GRO_MESSAGE_LOCATION_REMOVED, 0, 0, 0,
       g_variant_new ("(ss)", "thermostat", "unix:/run/kitchen"));
}

/* ------------------------------------------------------------------------ */

static guint
varint_size (guint32 value)
{
  guint n = 1;

  while (value >= 0x80)
    {
      value >>= 7;
      n++;
    }
  return n;
}

static void
print_hex (GString      *out,
           const guint8 *data,
           gsize         len)
{
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", data[i]);
}

static char *
hex (const guint8 *data,
     gsize         len)
{
  GString *out = g_string_new (NULL);

  print_hex (out, data, len);
  return g_string_free (out, FALSE);
}

static void
print_markdown (void)
{
  for (guint i = 0; i < vectors->len; i++)
    {
      Vector *v = vectors->pdata[i];
      g_autoptr(GBytes) frame = gro_frame_encode (v->kind, v->object, v->member, v->serial,
                                                  v->body);
      gsize size;
      const guint8 *data = g_bytes_get_data (frame, &size);
      const guint8 *p = data;
      g_autofree char *h_len = hex (p, 4);
      g_autofree char *h_kind = hex (p + 4, 1);
      guint n_obj = varint_size (v->object);
      guint n_mem = varint_size (v->member);
      guint n_ser = varint_size (v->serial);
      g_autofree char *h_obj = hex (p + 5, n_obj);
      g_autofree char *h_mem = hex (p + 5 + n_obj, n_mem);
      g_autofree char *h_ser = hex (p + 5 + n_obj + n_mem, n_ser);
      gsize header = 5 + n_obj + n_mem + n_ser;
      g_autoptr(GString) block = g_string_new (NULL);

      printf ("### %s\n\n", v->title);
      printf ("%s, %" G_GSIZE_FORMAT " bytes (`golden:%s`).\n\n", v->direction, size, v->id);
      printf ("| field | bytes | value |\n| --- | --- | --- |\n");
      printf ("| length | `%s` | %" G_GSIZE_FORMAT " |\n", h_len, size - 4);
      printf ("| kind | `%s` | %s |\n", h_kind, gro_message_kind_to_string (v->kind));
      printf ("| object | `%s` | %u |\n", h_obj, v->object);
      printf ("| member | `%s` | %u |\n", h_mem, v->member);
      printf ("| serial | `%s` | %u |\n", h_ser, v->serial);
      if (v->body != NULL)
        {
          g_autofree char *text = g_variant_print (v->body, TRUE);

          printf ("| body | %" G_GSIZE_FORMAT " bytes | `%s` of type `%s` |\n",
                   size - header, text, g_variant_get_type_string (v->body));
        }
      else
        printf ("| body | none | |\n");

      /* The frame in one block, fields apart, 32 bytes a line. */
      g_string_append_printf (block, "%s %s %s %s %s", h_len, h_kind, h_obj, h_mem, h_ser);
      for (gsize off = header; off < size; off += 32)
        {
          g_string_append (block, off == header ? "\n" : "\n");
          print_hex (block, data + off, MIN (32, size - off));
        }
      printf ("\n```\n%s\n```\n\n", block->str);
    }
}

static void
print_c_frames (void)
{
  for (guint i = 0; i < vectors->len; i++)
    {
      Vector *v = vectors->pdata[i];
      g_autoptr(GBytes) frame = gro_frame_encode (v->kind, v->object, v->member, v->serial,
                                                  v->body);
      gsize size;
      const guint8 *data = g_bytes_get_data (frame, &size);
      g_autofree char *text = v->body ? g_variant_print (v->body, TRUE) : NULL;
      g_autofree char *escaped = text ? g_strescape (text, NULL) : NULL;

      printf ("  { \"%s\", GRO_MESSAGE_%s, %u, %u, %uu,\n", v->id,
               gro_message_kind_to_string (v->kind), v->object, v->member, v->serial);
      if (escaped != NULL)
        printf ("    \"%s\",\n", escaped);
      else
        printf ("    NULL,\n");
      for (gsize off = 0; off < size; off += 32)
        {
          g_autofree char *line = hex (data + off, MIN (32, size - off));
          printf ("    \"%s\"%s\n", line, off + 32 >= size ? " }," : "");
        }
    }
}

static void
print_c (void)
{
  printf ("/* golden-frames.h: the golden frames of doc/protocol.md\n"
          " *\n"
          " * Made by `print-golden --c`; do not edit. Each frame: its name in\n"
          " * protocol.md (golden:NAME), its header fields, its body as\n"
          " * g_variant_print() shows it, and its bytes.\n"
          " *\n"
          " * SPDX-License-Identifier: LGPL-2.1-or-later\n"
          " */\n\n"
          "#pragma once\n\n"
          "#include \"gro-frame-private.h\"\n\n"
          "typedef struct\n{\n"
          "  const char     *id;\n"
          "  GroMessageKind  kind;\n"
          "  guint32         object;\n"
          "  guint32         member;\n"
          "  guint32         serial;\n"
          "  const char     *body;\n"
          "  const char     *hex;\n"
          "} GoldenFrame;\n\n"
          "static const GoldenFrame golden_frames[] = {\n");
  print_c_frames ();
  printf ("};\n");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GroSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  schema = gro_schema_new_for_type (THERMOSTAT_TYPE, &error);
  if (schema == NULL)
    g_error ("%s", error->message);

  vectors = g_ptr_array_new_with_free_func (vector_free);
  make_vectors (schema);

  if (argc > 1 && g_str_equal (argv[1], "--c"))
    print_c ();
  else if (argc > 1 && g_str_equal (argv[1], "--schema"))
    {
      g_autofree char *text = g_variant_print (schema->variant, TRUE);
      printf ("%s\nhash %s\n", text, schema->hash);
    }
  else
    print_markdown ();

  g_ptr_array_unref (vectors);
  return 0;
}
