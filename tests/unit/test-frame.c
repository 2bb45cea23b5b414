/* test-frame.c: frames, as doc/protocol.md describes them
 *
 * The golden frames (golden-frames.h) are printed by `print-golden --c`,
 * which makes them with gro_frame_encode(); doc/protocol.md shows the same
 * bytes, and test_golden_in_doc checks that it still does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "gro-error.h"
#include "gro-frame-private.h"

#include "golden-frames.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static GBytes *
bytes_from_hex (const char *hex)
{
  gsize len = strlen (hex);
  guint8 *data;

  g_assert_cmpuint (len % 2, ==, 0);
  data = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      g_assert_true (hi >= 0 && lo >= 0);
      data[i] = hi << 4 | lo;
    }

  return g_bytes_new_take (data, len / 2);
}

static char *
hex_from_bytes (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

/* Decodes @hex, which must hold exactly one frame, or fail with @error. */
static gssize
decode_hex (const char  *hex,
            gsize        max_frame_size,
            GroMessage  *message,
            GError     **error)
{
  g_autoptr(GBytes) bytes = bytes_from_hex (hex);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return gro_frame_decode (data, len, max_frame_size, message, error);
}

/* Asserts that @hex is refused as a protocol error, with a message. */
static void
assert_refused (const char *hex,
                const char *why)
{
  g_autoptr(GError) error = NULL;
  GroMessage message;
  gssize n;

  n = decode_hex (hex, GRO_DEFAULT_MAX_FRAME_SIZE, &message, &error);
  if (n != -1)
    g_error ("%s: %s was accepted (%" G_GSSIZE_FORMAT ")", why, hex, n);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (gro_message_get_body (&message));
  g_test_message ("%s: %s", why, error->message);
}

/* Asserts that @hex is one whole frame, and returns it decoded. */
static void
decode_whole (const char *hex,
              GroMessage *message)
{
  g_autoptr(GError) error = NULL;
  gssize n;

  n = decode_hex (hex, GRO_DEFAULT_MAX_FRAME_SIZE, message, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, strlen (hex) / 2);
}

/* ------------------------------------------------------------------------ */
/* GoldenFrame frames                                                             */

static void
test_golden_decode (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (golden_frames); i++)
    {
      const GoldenFrame *g = &golden_frames[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) reencoded = NULL;
      g_autofree char *reencoded_hex = NULL;
      GroMessage message;

      g_test_message ("golden:%s", g->id);
      decode_whole (g->hex, &message);
      g_assert_cmpint (message.kind, ==, g->kind);
      g_assert_cmpuint (message.object, ==, g->object);
      g_assert_cmpuint (message.member, ==, g->member);
      g_assert_cmpuint (message.serial, ==, g->serial);

      if (g->body == NULL)
        {
          g_assert_null (gro_message_get_body (&message));
          g_assert_null (gro_message_kind_body_type (g->kind));
        }
      else
        {
          const GVariantType *type = gro_message_kind_body_type (g->kind);
          g_autoptr(GVariant) expected = g_variant_parse (type, g->body, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_nonnull (gro_message_get_body (&message));
          g_assert_true (g_variant_is_of_type (gro_message_get_body (&message), type));
          g_assert_true (g_variant_equal (gro_message_get_body (&message), expected));
        }

      /* The encoder makes exactly these bytes again. */
      reencoded = gro_frame_encode (message.kind, message.object, message.member,
                                    message.serial,
                                    gro_message_get_body (&message));
      reencoded_hex = hex_from_bytes (reencoded);
      g_assert_cmpstr (reencoded_hex, ==, g->hex);

      gro_message_clear (&message);
      g_assert_null (gro_message_get_body (&message));
    }
}

static const GoldenFrame *
find_golden (const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (golden_frames); i++)
    if (g_str_equal (golden_frames[i].id, id))
      return &golden_frames[i];
  g_assert_not_reached ();
}

/* An int property change is the most frequent message: it must stay small. */
static void
test_golden_property_size (void)
{
  const GoldenFrame *g = find_golden ("property");

  g_assert_cmpuint (strlen (g->hex) / 2, ==, 14);
  g_assert_cmpuint (strlen (g->hex) / 2, <=, 16);

  /* Up to object 16383 and member 127 it still fits in 16 bytes. */
  {
    g_autoptr(GBytes) frame = gro_frame_encode (GRO_MESSAGE_PROPERTY, 16383, 127, 0,
                                                g_variant_new_variant (g_variant_new_int32 (G_MININT32)));
    g_assert_cmpuint (g_bytes_get_size (frame), ==, 15);
  }
}

/* doc/protocol.md shows every golden frame, byte for byte. */
static void
test_golden_in_doc (void)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GString *compact;

  if (!g_file_get_contents (PROTOCOL_MD, &text, NULL, &error))
    {
      g_test_skip (error->message);
      return;
    }

  /* The doc breaks frames into fields and lines; compare without spaces. */
  compact = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (compact, *p);

  for (gsize i = 0; i < G_N_ELEMENTS (golden_frames); i++)
    {
      g_autofree char *tag = g_strdup_printf ("golden:%s", golden_frames[i].id);

      if (strstr (compact->str, golden_frames[i].hex) == NULL)
        g_error ("doc/protocol.md does not show the frame %s", tag);
      if (strstr (text, tag) == NULL)
        g_error ("doc/protocol.md does not name the frame %s", tag);
    }

  g_string_free (compact, TRUE);
}

/* ------------------------------------------------------------------------ */
/* Kinds                                                                     */

/* The list model kinds: each body survives encoding and decoding, and a
 * body of another type is refused. */
static void
test_model_bodies (void)
{
  const char *item = "(2147483649, ('h', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) nothing, <(7,)>))";
  g_autofree char *changed = g_strdup_printf ("(3, 1, 2, [%s])", item);
  g_autofree char *init = g_strdup_printf ("(100000, [%s])", item);
  const struct {
    GroMessageKind kind;
    const char *body;
  } cases[] = {
    { GRO_MESSAGE_MODEL_ACQUIRE, "('people', 100)" },
    { GRO_MESSAGE_MODEL_INIT, init },
    { GRO_MESSAGE_MODEL_CHANGED, changed },
    { GRO_MESSAGE_MODEL_CHANGED, "(0, 5, 0, @a(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)) [])" },
    { GRO_MESSAGE_MODEL_FETCH, "(500, 100)" },
    { GRO_MESSAGE_MODEL_ITEMS, init },
    { GRO_MESSAGE_MODEL_RELEASE_ITEM, "(2147483649, 2)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) body = g_variant_parse (gro_message_kind_body_type (cases[i].kind),
                                                  cases[i].body, NULL, NULL, &error);
      g_autoptr(GBytes) frame = NULL;
      g_autofree char *hex = NULL;
      GroMessage message;

      g_assert_no_error (error);
      frame = gro_frame_encode (cases[i].kind, 1, 0, 0, body);
      hex = hex_from_bytes (frame);
      decode_whole (hex, &message);
      g_assert_cmpuint (message.kind, ==, cases[i].kind);
      g_assert_cmpuint (message.object, ==, 1);
      g_assert_true (g_variant_equal (gro_message_get_body (&message), body));
      gro_message_clear (&message);

      /* The same bytes under a kind whose body is of another type. */
      {
        g_autoptr(GBytes) other = gro_frame_encode (cases[i].kind == GRO_MESSAGE_MODEL_FETCH
                                                      ? GRO_MESSAGE_MODEL_ACQUIRE
                                                      : GRO_MESSAGE_MODEL_FETCH,
                                                    1, 0, 0,
                                                    cases[i].kind == GRO_MESSAGE_MODEL_FETCH
                                                      ? g_variant_new ("(su)", "x", 1)
                                                      : g_variant_new ("(uu)", 1, 2));
        g_autofree char *other_hex = hex_from_bytes (other);
        g_autofree char *swapped = NULL;

        /* Keep the length and header, put this case's kind byte in. */
        swapped = g_strdup (other_hex);
        swapped[8] = hex[8];
        swapped[9] = hex[9];
        if (!g_str_equal (swapped, other_hex) &&
            !g_variant_type_equal (gro_message_kind_body_type (cases[i].kind), G_VARIANT_TYPE ("(uu)")))
          assert_refused (swapped, "model body of another type");
      }
    }
}

/* Variants of numbers stay bytes in the message until asked for; every
 * other body is a GVariant at once. Both read back the same. */
static void
test_inline_bodies (void)
{
  const struct { const char *body; gboolean inline_; } cases[] = {
    { "<int32 7>", TRUE },
    { "<(int32 -1, int32 2)>", TRUE },
    { "<(uint64 1, int64 2, 3.5)>", TRUE },
    { "<byte 0xff>", TRUE },
    { "<(int32 1, 2.0)>", FALSE },            /* padding: checked by GLib */
    { "<true>", FALSE },                      /* booleans: checked by GLib */
    { "<'text'>", FALSE },
    { "<(int32 1, int32 2, int32 3, int32 4, int32 5, int32 6, int32 7)>", FALSE },  /* too big */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) body = g_variant_parse (G_VARIANT_TYPE_VARIANT, cases[i].body,
                                                  NULL, NULL, &error);
      g_autoptr(GVariant) inner = NULL;
      g_autoptr(GVariant) boxed = NULL;
      g_autoptr(GBytes) frame = NULL;
      g_autofree char *hex = NULL;
      const guint8 *data;
      gsize size;
      GroMessage message;

      g_assert_no_error (error);
      frame = gro_frame_encode (GRO_MESSAGE_PROPERTY, 3, 1, 0, body);
      hex = hex_from_bytes (frame);
      decode_whole (hex, &message);

      g_test_message ("%s", cases[i].body);
      g_assert_cmpint (message.inline_size > 0, ==, cases[i].inline_);
      g_assert_cmpint (message.body == NULL, ==, cases[i].inline_);
      data = gro_message_get_data (&message, &size);
      g_assert_cmpmem (data, size, g_variant_get_data (body), g_variant_get_size (body));

      inner = g_variant_get_variant (body);
      boxed = gro_message_dup_boxed (&message);
      g_assert_true (g_variant_equal (boxed, inner));
      g_assert_true (g_variant_equal (gro_message_get_body (&message), body));
      g_assert_nonnull (message.body);

      gro_message_clear (&message);
      g_assert_null (gro_message_get_body (&message));
      g_assert_cmpuint (message.inline_size, ==, 0);
    }
}

static void
test_kinds (void)
{
  static const struct {
    guint kind;
    const char *name;
    const char *body;
  } kinds[] = {
    { 0x01, "HELLO", "(sqqa{sv})" },
    { 0x02, "PING", NULL },
    { 0x03, "PONG", NULL },
    { 0x10, "SOURCES", "a(sss)" },
    { 0x11, "SOURCE_ADDED", "(sss)" },
    { 0x12, "SOURCE_REMOVED", "s" },
    { 0x20, "ACQUIRE", "(ss)" },
    { 0x21, "RELEASE", NULL },
    { 0x22, "INIT", "(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)" },
    { 0x30, "PROPERTY", "v" },
    { 0x31, "SIGNAL", "v" },
    { 0x40, "CALL", "v" },
    { 0x41, "SET_PROPERTY", "v" },
    { 0x42, "REPLY", "v" },
    { 0x43, "ERROR", "(sis)" },
    { 0x50, "PUBLISH", "(sss)" },
    { 0x51, "UNPUBLISH", "s" },
    { 0x52, "WATCH", NULL },
    { 0x53, "LOCATION_ADDED", "(sss)" },
    { 0x54, "LOCATION_REMOVED", "(ss)" },
    { 0x60, "MODEL_ACQUIRE", "(su)" },
    { 0x61, "MODEL_INIT", "(ua(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)))" },
    { 0x62, "MODEL_CHANGED", "(uuua(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)))" },
    { 0x63, "MODEL_FETCH", "(uu)" },
    { 0x64, "MODEL_ITEMS", "(ua(u(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)))" },
    { 0x65, "MODEL_RELEASE_ITEM", "(uu)" },
  };
  guint n_known = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const GVariantType *type;

      g_assert_true (gro_message_kind_is_known (kinds[i].kind));
      g_assert_cmpstr (gro_message_kind_to_string (kinds[i].kind), ==, kinds[i].name);
      type = gro_message_kind_body_type (kinds[i].kind);
      if (kinds[i].body == NULL)
        g_assert_null (type);
      else
        {
          g_assert_nonnull (type);
          g_assert_true (g_variant_type_equal (type, G_VARIANT_TYPE (kinds[i].body)));
        }
    }

  /* No other kind byte is known. */
  for (guint k = 0; k < 256; k++)
    if (gro_message_kind_is_known (k))
      n_known++;
  g_assert_cmpuint (n_known, ==, G_N_ELEMENTS (kinds));
  g_assert_cmpstr (gro_message_kind_to_string (0x7f), ==, "UNKNOWN");
}

/* ------------------------------------------------------------------------ */
/* Varints                                                                   */

/* PING frames with the given ids: their header is all there is. */
static void
test_varint_values (void)
{
  static const struct {
    guint32 value;
    const char *hex;
  } cases[] = {
    { 0, "00" },
    { 1, "01" },
    { 127, "7f" },
    { 128, "8001" },
    { 300, "ac02" },
    { 16383, "ff7f" },
    { 16384, "808001" },
    { 2097151, "ffff7f" },
    { 2097152, "80808001" },
    { 268435455, "ffffff7f" },
    { 268435456, "8080808001" },
    { G_MAXUINT32, "ffffffff0f" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) frame = NULL;
      g_autofree char *hex = NULL;
      g_autofree char *expected = NULL;
      gsize inner = 1 + 3 * strlen (cases[i].hex) / 2;
      GroMessage message;

      /* The same value in all three fields. */
      frame = gro_frame_encode (GRO_MESSAGE_PING, cases[i].value, cases[i].value,
                                cases[i].value, NULL);
      hex = hex_from_bytes (frame);
      expected = g_strdup_printf ("%02x000000" "02" "%s%s%s", (guint) inner,
                                  cases[i].hex, cases[i].hex, cases[i].hex);
      g_assert_cmpstr (hex, ==, expected);

      decode_whole (hex, &message);
      g_assert_cmpint (message.kind, ==, GRO_MESSAGE_PING);
      g_assert_cmpuint (message.object, ==, cases[i].value);
      g_assert_cmpuint (message.member, ==, cases[i].value);
      g_assert_cmpuint (message.serial, ==, cases[i].value);
    }
}

static void
test_varint_refused (void)
{
  /* Six bytes, even for a small value. */
  assert_refused ("09000000" "02" "808080808000" "00" "00", "6-byte varint");
  assert_refused ("09000000" "02" "00" "818080808000" "00", "6-byte varint in member");
  assert_refused ("09000000" "02" "00" "00" "ffffffffff01", "6-byte varint in serial");
  /* Five bytes, but more than 32 bits. */
  assert_refused ("08000000" "02" "8080808010" "00" "00", "2^32");
  assert_refused ("08000000" "02" "ffffffff1f" "00" "00", "2^33 - 1");
  assert_refused ("08000000" "02" "00" "ffffffff7f" "00", "2^35 - 1 in member");
  /* Varints that run past the end of the frame. */
  assert_refused ("04000000" "02" "00" "00" "80", "serial cut short");
  assert_refused ("04000000" "02" "808080", "object cut short");
  assert_refused ("06000000" "02" "00" "80808080", "member cut short");
}

/* The decoder takes non-minimal varints up to 5 bytes; encoders never make
 * them (doc/protocol.md). */
static void
test_varint_non_minimal (void)
{
  GroMessage message;

  decode_whole ("0a000000" "02" "8000" "8100" "8080808000", &message);
  g_assert_cmpuint (message.object, ==, 0);
  g_assert_cmpuint (message.member, ==, 1);
  g_assert_cmpuint (message.serial, ==, 0);
}

/* ------------------------------------------------------------------------ */
/* Framing                                                                   */

/* Every proper prefix of a frame asks for more, without an error. */
static void
test_partial (void)
{
  const char *ids[] = { "property", "init", "ping", "big-ids", "error" };

  for (gsize k = 0; k < G_N_ELEMENTS (ids); k++)
    {
      g_autoptr(GBytes) bytes = bytes_from_hex (find_golden (ids[k])->hex);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      for (gsize cut = 0; cut < len; cut++)
        {
          g_autoptr(GError) error = NULL;
          GroMessage message;
          gssize n;

          memset (&message, 0xaa, sizeof message);
          n = gro_frame_decode (data, cut, GRO_DEFAULT_MAX_FRAME_SIZE, &message, &error);
          g_assert_no_error (error);
          g_assert_cmpint (n, ==, 0);
          g_assert_null (gro_message_get_body (&message));
        }
    }
}

/* A buffer with two frames and a part of a third gives them one by one. */
static void
test_stream (void)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  gsize pos = 0;
  guint n_frames = 0;
  GroMessage message;
  gssize n;

  gro_frame_append (buffer, GRO_MESSAGE_CALL, 1, 0, 1,
                    g_variant_new_variant (g_variant_new ("(ii)", 2, 3)));
  gro_frame_append (buffer, GRO_MESSAGE_PING, 0, 0, 9, NULL);
  gro_frame_append (buffer, GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0,
                    g_variant_new_string ("gone"));
  g_byte_array_set_size (buffer, buffer->len - 3);

  while ((n = gro_frame_decode (buffer->data + pos, buffer->len - pos,
                                GRO_DEFAULT_MAX_FRAME_SIZE, &message, NULL)) > 0)
    {
      pos += n;
      n_frames++;
      if (n_frames == 1)
        {
          g_assert_cmpint (message.kind, ==, GRO_MESSAGE_CALL);
          g_assert_cmpuint (message.serial, ==, 1);
        }
      else
        {
          g_assert_cmpint (message.kind, ==, GRO_MESSAGE_PING);
          g_assert_cmpuint (message.serial, ==, 9);
        }
      gro_message_clear (&message);
    }

  g_assert_cmpint (n, ==, 0);
  g_assert_cmpuint (n_frames, ==, 2);
  g_assert_cmpuint (buffer->len - pos, >, 0);
}

/* The body need not be aligned in memory. */
static void
test_unaligned (void)
{
  const GoldenFrame *g = find_golden ("init");
  g_autoptr(GBytes) bytes = bytes_from_hex (g->hex);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *shifted = g_malloc (len + 3);
  g_autoptr(GError) error = NULL;

  for (gsize shift = 1; shift <= 3; shift++)
    {
      GroMessage message;

      memcpy (shifted + shift, data, len);
      g_assert_cmpint (gro_frame_decode (shifted + shift, len, GRO_DEFAULT_MAX_FRAME_SIZE,
                                         &message, &error), ==, len);
      g_assert_no_error (error);
      g_assert_cmpstr (g_variant_get_type_string (gro_message_get_body (&message)), ==,
                       "(sm(sa(ssu)a(sas)a(sass)a(sba(uss)))v)");
      gro_message_clear (&message);
    }
}

static void
test_length_refused (void)
{
  g_autoptr(GError) error = NULL;
  GroMessage message;

  /* Shorter than the smallest frame: kind and three one-byte varints. */
  assert_refused ("00000000", "length 0");
  assert_refused ("01000000" "02", "length 1");
  assert_refused ("03000000" "02" "00" "00", "length 3");

  /* Longer than the limit: refused from the length alone, before the rest. */
  assert_refused ("ffffffff", "length 2^32 - 1");
  assert_refused ("01000001", "length 16 MiB + 1");

  /* The limit is the caller's. */
  g_assert_cmpint (decode_hex ("0a000000" "30" "01" "00" "00" "160000000069", 10,
                               &message, &error), ==, 14);
  g_assert_no_error (error);
  gro_message_clear (&message);
  g_assert_cmpint (decode_hex ("0a000000" "30" "01" "00" "00" "160000000069", 9,
                               &message, &error), ==, -1);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL);
}

/* A frame of exactly the default limit is taken. */
static void
test_length_at_limit (void)
{
  gsize body_len = GRO_DEFAULT_MAX_FRAME_SIZE - 4;
  g_autofree guint8 *data = g_malloc0 (4 + GRO_DEFAULT_MAX_FRAME_SIZE);
  g_autoptr(GError) error = NULL;
  GroMessage message;
  guint32 len = GRO_DEFAULT_MAX_FRAME_SIZE;

  /* SOURCE_REMOVED of a string of 16 MiB - 5 'x' and its NUL. */
  data[0] = len & 0xff;
  data[1] = (len >> 8) & 0xff;
  data[2] = (len >> 16) & 0xff;
  data[3] = (len >> 24) & 0xff;
  data[4] = GRO_MESSAGE_SOURCE_REMOVED;
  memset (data + 8, 'x', body_len - 1);

  g_assert_cmpint (gro_frame_decode (data, 4 + len, GRO_DEFAULT_MAX_FRAME_SIZE,
                                     &message, &error), ==, 4 + len);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (g_variant_get_string (gro_message_get_body (&message), NULL)), ==, body_len - 1);
  gro_message_clear (&message);
}

static void
test_kind_refused (void)
{
  assert_refused ("04000000" "00" "00" "00" "00", "kind 0x00");
  assert_refused ("04000000" "04" "00" "00" "00", "kind 0x04");
  assert_refused ("04000000" "13" "00" "00" "00", "kind 0x13");
  assert_refused ("04000000" "44" "00" "00" "00", "kind 0x44");
  assert_refused ("04000000" "55" "00" "00" "00", "kind 0x55");
  assert_refused ("04000000" "5f" "00" "00" "00", "kind 0x5f");
  assert_refused ("04000000" "ff" "00" "00" "00", "kind 0xff");
}

static void
test_trailing_refused (void)
{
  GroMessage message;

  decode_whole ("04000000" "02" "00" "00" "07", &message);
  decode_whole ("04000000" "21" "01" "00" "00", &message);
  assert_refused ("05000000" "02" "00" "00" "07" "00", "PING with a body");
  assert_refused ("05000000" "03" "00" "00" "07" "00", "PONG with a body");
  assert_refused ("08000000" "21" "01" "00" "00" "00000000", "RELEASE with a body");
  decode_whole ("04000000" "52" "00" "00" "01", &message);
  assert_refused ("05000000" "52" "00" "00" "01" "00", "WATCH with a body");
}

static void
test_body_refused (void)
{
  /* No body where one is needed. */
  assert_refused ("04000000" "01" "00" "00" "00", "HELLO without a body");
  assert_refused ("04000000" "12" "00" "00" "00", "SOURCE_REMOVED without a body");
  assert_refused ("04000000" "30" "01" "00" "00", "PROPERTY without a body");
  assert_refused ("04000000" "50" "00" "00" "01", "PUBLISH without a body");
  assert_refused ("04000000" "54" "00" "00" "00", "LOCATION_REMOVED without a body");
  assert_refused ("07000000" "51" "00" "00" "00" "616263", "UNPUBLISH string without NUL");

  /* Strings without their NUL, offsets past the end. */
  assert_refused ("07000000" "12" "00" "00" "00" "616263", "string without NUL");
  assert_refused ("0c000000" "20" "01" "00" "00" "6100620000000009", "(ss) with a bad offset");
  assert_refused ("0a000000" "20" "01" "00" "00" "610062000003", "(ss) with a bad offset");

  /* A variant whose type string is not a type, or not one type. */
  assert_refused ("0b000000" "30" "01" "00" "00" "01000000007a7a", "variant of type 'zz'");
  assert_refused ("0b000000" "30" "01" "00" "00" "010000000028" "69", "variant of type '(i'");
  assert_refused ("0b000000" "30" "01" "00" "00" "01000000000069", "variant of type 'i' too long");
  assert_refused ("07000000" "30" "01" "00" "00" "010000", "variant without a type");

  /* Invalid UTF-8, at the top and inside a variant; "\xc3\xa9" is fine. */
  {
    GroMessage message;

    decode_whole ("09000000" "31" "01" "00" "00" "c3a900" "00" "73", &message);
    gro_message_clear (&message);
  }
  assert_refused ("07000000" "12" "00" "00" "00" "fffe00", "invalid UTF-8");
  assert_refused ("09000000" "31" "01" "00" "00" "c32800" "00" "73", "invalid UTF-8 in a variant");

  /* A boolean that is neither 0 nor 1. */
  assert_refused ("07000000" "30" "01" "00" "00" "020062", "boolean 2");

  /* Nested deeper than GVariant allows. */
  {
    g_autoptr(GVariant) deep = g_variant_new_int32 (1);
    g_autoptr(GBytes) frame = NULL;
    g_autofree char *hex = NULL;

    g_variant_ref_sink (deep);
    for (guint i = 0; i < 200; i++)
      {
        GVariant *outer = g_variant_ref_sink (g_variant_new_variant (deep));
        g_variant_unref (deep);
        deep = outer;
      }
    frame = gro_frame_encode (GRO_MESSAGE_PROPERTY, 1, 0, 0, deep);
    hex = hex_from_bytes (frame);
    assert_refused (hex, "200 nested variants");
  }
}

/* A refused frame leaves nothing behind for the caller to free. */
static void
test_error_leaves_message_empty (void)
{
  g_autoptr(GError) error = NULL;
  GroMessage message;

  g_assert_cmpint (decode_hex ("07000000" "12" "00" "00" "00" "fffe00",
                               GRO_DEFAULT_MAX_FRAME_SIZE, &message, &error), ==, -1);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL);
  g_assert_true (strstr (error->message, "SOURCE_REMOVED") != NULL);
  g_assert_null (gro_message_get_body (&message));
  gro_message_clear (&message);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/frame/golden/decode", test_golden_decode);
  g_test_add_func ("/frame/golden/property-size", test_golden_property_size);
  g_test_add_func ("/frame/golden/in-doc", test_golden_in_doc);
  g_test_add_func ("/frame/kinds", test_kinds);
  g_test_add_func ("/frame/inline-bodies", test_inline_bodies);
  g_test_add_func ("/frame/model-bodies", test_model_bodies);
  g_test_add_func ("/frame/varint/values", test_varint_values);
  g_test_add_func ("/frame/varint/refused", test_varint_refused);
  g_test_add_func ("/frame/varint/non-minimal", test_varint_non_minimal);
  g_test_add_func ("/frame/partial", test_partial);
  g_test_add_func ("/frame/stream", test_stream);
  g_test_add_func ("/frame/unaligned", test_unaligned);
  g_test_add_func ("/frame/length/refused", test_length_refused);
  g_test_add_func ("/frame/length/at-limit", test_length_at_limit);
  g_test_add_func ("/frame/kind/refused", test_kind_refused);
  g_test_add_func ("/frame/trailing/refused", test_trailing_refused);
  g_test_add_func ("/frame/body/refused", test_body_refused);
  g_test_add_func ("/frame/error-leaves-message-empty", test_error_leaves_message_empty);

  return g_test_run ();
}
