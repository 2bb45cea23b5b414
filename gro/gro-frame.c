/* gro-frame.c: encoding and decoding of frames
 *
 * A frame is a little-endian 32-bit length, then that many bytes: a kind byte,
 * three unsigned LEB128 varints (object, member, serial) and a body, which is
 * a GVariant in little-endian normal form of a type fixed by the kind.
 * doc/protocol.md is the reference; this file must agree with it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "gro-codec-private.h"
#include "gro-error.h"
#include "gro-frame-private.h"

typedef struct
{
  guint8      kind;
  const char *name;
  const char *body_type;   /* NULL: the frame has no body */
} KindInfo;

static const KindInfo kinds[] = {
  { GRO_MESSAGE_HELLO,          "HELLO",          "(sqqa{sv})" },
  { GRO_MESSAGE_PING,           "PING",           NULL },
  { GRO_MESSAGE_PONG,           "PONG",           NULL },
  { GRO_MESSAGE_SOURCES,        "SOURCES",        "a(sss)" },
  { GRO_MESSAGE_SOURCE_ADDED,   "SOURCE_ADDED",   "(sss)" },
  { GRO_MESSAGE_SOURCE_REMOVED, "SOURCE_REMOVED", "s" },
  { GRO_MESSAGE_ACQUIRE,        "ACQUIRE",        "(ss)" },
  { GRO_MESSAGE_RELEASE,        "RELEASE",        NULL },
  { GRO_MESSAGE_INIT,           "INIT",           "(sm" GRO_SCHEMA_TYPE_STRING "v)" },
  { GRO_MESSAGE_PROPERTY,       "PROPERTY",       "v" },
  { GRO_MESSAGE_SIGNAL,         "SIGNAL",         "v" },
  { GRO_MESSAGE_CALL,           "CALL",           "v" },
  { GRO_MESSAGE_SET_PROPERTY,   "SET_PROPERTY",   "v" },
  { GRO_MESSAGE_REPLY,          "REPLY",          "v" },
  { GRO_MESSAGE_ERROR,          "ERROR",          "(sis)" },
  { GRO_MESSAGE_PUBLISH,        "PUBLISH",        "(sss)" },
  { GRO_MESSAGE_UNPUBLISH,      "UNPUBLISH",      "s" },
  { GRO_MESSAGE_WATCH,          "WATCH",          NULL },
  { GRO_MESSAGE_LOCATION_ADDED, "LOCATION_ADDED", "(sss)" },
  { GRO_MESSAGE_LOCATION_REMOVED, "LOCATION_REMOVED", "(ss)" },
  { GRO_MESSAGE_MODEL_ACQUIRE,  "MODEL_ACQUIRE",  "(su)" },
  { GRO_MESSAGE_MODEL_INIT,     "MODEL_INIT",     "(ua" GRO_MODEL_ITEM_TYPE_STRING ")" },
  { GRO_MESSAGE_MODEL_CHANGED,  "MODEL_CHANGED",  "(uuua" GRO_MODEL_ITEM_TYPE_STRING ")" },
  { GRO_MESSAGE_MODEL_FETCH,    "MODEL_FETCH",    "(uu)" },
  { GRO_MESSAGE_MODEL_ITEMS,    "MODEL_ITEMS",    "(ua" GRO_MODEL_ITEM_TYPE_STRING ")" },
  { GRO_MESSAGE_MODEL_RELEASE_ITEM, "MODEL_RELEASE_ITEM", "(uu)" },
};

static const KindInfo *
lookup_kind (guint kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return &kinds[i];
  return NULL;
}

gboolean
gro_message_kind_is_known (guint kind)
{
  return lookup_kind (kind) != NULL;
}

const char *
gro_message_kind_to_string (GroMessageKind kind)
{
  const KindInfo *info = lookup_kind (kind);

  return info ? info->name : "UNKNOWN";
}

const GVariantType *
gro_message_kind_body_type (GroMessageKind kind)
{
  const KindInfo *info = lookup_kind (kind);

  g_return_val_if_fail (info != NULL, NULL);

  return info->body_type ? G_VARIANT_TYPE (info->body_type) : NULL;
}

static guint
put_varint (guint8  *out,
            guint32  value)
{
  guint n = 0;

  while (value >= 0x80)
    {
      out[n++] = (value & 0x7f) | 0x80;
      value >>= 7;
    }
  out[n++] = value;

  return n;
}

/* Reads one varint of at most 5 bytes that fits in 32 bits. */
static gboolean
get_varint (const guint8 **p,
            const guint8  *end,
            guint32       *value)
{
  guint64 v = 0;

  for (guint i = 0; i < 5; i++)
    {
      if (*p >= end)
        return FALSE;
      v |= (guint64) (**p & 0x7f) << (7 * i);
      if ((*(*p)++ & 0x80) == 0)
        {
          if (v > G_MAXUINT32)
            return FALSE;
          *value = v;
          return TRUE;
        }
    }

  return FALSE;
}

/* @body as a frame of @kind carries it: in the wire's byte order
 * (little-endian), for gro_frame_append_data() to copy. Sinks a floating
 * @body and otherwise only borrows it; NULL for kinds without a body. */
GVariant *
gro_frame_body_to_wire (GroMessageKind  kind,
                        GVariant       *body)
{
  g_assert (lookup_kind (kind) != NULL);
  g_assert ((body == NULL) == (lookup_kind (kind)->body_type == NULL));

  if (body == NULL)
    return NULL;

  g_variant_ref_sink (body);
#if G_BYTE_ORDER == G_BIG_ENDIAN
  {
    GVariant *swapped = g_variant_byteswap (body);

    g_variant_unref (body);
    body = swapped;
  }
#endif
  g_assert (g_variant_is_of_type (body, gro_message_kind_body_type (kind)));
  return body;
}

/* The length a frame's header gives it (not counting the length itself):
 * what a receiver compares with its limit. */
gsize
gro_frame_length (guint32 object,
                  guint32 member,
                  guint32 serial,
                  gsize   body_size)
{
  guint8 scratch[5];

  return 1 + put_varint (scratch, object) + put_varint (scratch, member) +
         put_varint (scratch, serial) + body_size;
}

/* Appends one frame to @buffer whose body is @size bytes of @data, a
 * serialised little-endian value of the kind's type (not checked). */
void
gro_frame_append_data (GByteArray     *buffer,
                       GroMessageKind  kind,
                       guint32         object,
                       guint32         member,
                       guint32         serial,
                       const void     *data,
                       gsize           size)
{
  guint8 *out;
  gsize header_len = 5;
  guint32 frame_len;
  gsize start = buffer->len;

  /* Room for the longest header; the frame is cut to size below. */
  g_byte_array_set_size (buffer, start + GRO_FRAME_MAX_HEADER_SIZE + size);
  out = buffer->data + start;

  out[4] = kind;
  header_len += put_varint (out + header_len, object);
  header_len += put_varint (out + header_len, member);
  header_len += put_varint (out + header_len, serial);

  frame_len = header_len - 4 + size;
  out[0] = frame_len & 0xff;
  out[1] = (frame_len >> 8) & 0xff;
  out[2] = (frame_len >> 16) & 0xff;
  out[3] = (frame_len >> 24) & 0xff;

  /* Not g_variant_store(): it wants an aligned destination, and a body
   * follows a header of any length. */
  if (size > 0)
    memcpy (out + header_len, data, size);
  g_byte_array_set_size (buffer, start + header_len + size);
}

/* Appends one frame to @buffer. @body is sunk if floating and otherwise only
 * borrowed, as with g_variant_new_variant(); it must have the kind's type. */
void
gro_frame_append (GByteArray     *buffer,
                  GroMessageKind  kind,
                  guint32         object,
                  guint32         member,
                  guint32         serial,
                  GVariant       *body)
{
  g_autoptr(GVariant) wire = gro_frame_body_to_wire (kind, body);

  gro_frame_append_data (buffer, kind, object, member, serial,
                         gro_wire_data (wire), gro_wire_size (wire));
}

GBytes *
gro_frame_encode (GroMessageKind  kind,
                  guint32         object,
                  guint32         member,
                  guint32         serial,
                  GVariant       *body)
{
  GByteArray *buffer = g_byte_array_new ();

  gro_frame_append (buffer, kind, object, member, serial, body);

  return g_byte_array_free_to_bytes (buffer);
}

void
gro_message_clear (GroMessage *message)
{
  g_clear_pointer (&message->body, g_variant_unref);
  message->inline_size = 0;
}

/* The body as a GVariant of the kind's type (borrowed), made on first use
 * from a body that came as bytes. */
GVariant *
gro_message_get_body (GroMessage *message)
{
  if (message->body == NULL && message->inline_size > 0)
    {
      gpointer copy = g_memdup2 (message->inline_body, message->inline_size);

      message->body = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_VARIANT, copy,
                                                                   message->inline_size, TRUE,
                                                                   g_free, copy));
    }
  return message->body;
}

/* What a body of type "v" holds, as a new reference: made straight from
 * the bytes of a body that came as bytes. */
GVariant *
gro_message_dup_boxed (GroMessage *message)
{
  const guint8 *data = (const guint8 *) message->inline_body;
  char type[GRO_MESSAGE_INLINE_SIZE + 1];
  const char *type_start;
  gsize content_size, type_len;
  gpointer copy;

  if (message->inline_size == 0)
    return g_variant_get_variant (message->body);

  /* Checked by gro_frame_decode(): a number, or a tuple of numbers. */
  if (!gro_variant_data_split (data, message->inline_size, &content_size, &type_start,
                               &type_len))
    g_assert_not_reached ();
  memcpy (type, type_start, type_len);
  type[type_len] = '\0';
  copy = g_memdup2 (data, content_size);
  return g_variant_ref_sink (g_variant_new_from_data ((const GVariantType *) type, copy, content_size,
                                                      TRUE, g_free, copy));
}

/* The body's serialised bytes, in this machine's byte order. */
const guint8 *
gro_message_get_data (GroMessage *message,
                      gsize      *size)
{
  if (message->inline_size > 0)
    {
      *size = message->inline_size;
      return (const guint8 *) message->inline_body;
    }
  if (message->body == NULL)
    {
      *size = 0;
      return NULL;
    }
  *size = g_variant_get_size (message->body);
  return g_variant_get_data (message->body);
}

/* The size of a value of @type when every byte string of that size is its
 * normal form: numbers other than booleans, and tuples of numbers of one
 * size (so there is no padding, which normal form wants zero). 0 otherwise. */
static gsize
plain_fixed_size (const char *type,
                  gsize       len)
{
  gsize element = 0, total = 0;
  gsize first = 0, last = len;

  if (len >= 2 && type[0] == '(' && type[len - 1] == ')')
    first = 1, last = len - 1;
  else if (len != 1)
    return 0;

  for (gsize i = first; i < last; i++)
    {
      gsize size;

      switch (type[i])
        {
        case 'y': size = 1; break;
        case 'n': case 'q': size = 2; break;
        case 'i': case 'u': case 'h': size = 4; break;
        case 'x': case 't': case 'd': size = 8; break;
        default: return 0;
        }
      if (element != 0 && size != element)
        return 0;
      element = size;
      total += size;
    }
  return total;  /* "()" is 0: the unit has a byte of its own, left to GLib */
}

/* Whether @data, a serialised variant, is in normal form, for the bodies
 * gro sends most (a number, or a tuple of same-size numbers), without
 * GLib's general check, which costs several thousand instructions a
 * message. FALSE means "check it the general way", not "malformed". */
static gboolean
plain_variant_is_normal (const guint8 *data,
                         gsize         len)
{
  const char *type;
  gsize type_len;
  gsize content;

  return gro_variant_data_split (data, len, &content, &type, &type_len) &&
         content > 0 && plain_fixed_size (type, type_len) == content;
}

gssize
gro_frame_decode (const guint8  *data,
                  gsize          length,
                  gsize          max_frame_size,
                  GroMessage    *message,
                  GError       **error)
{
  const KindInfo *info;
  const guint8 *p;
  const guint8 *end;
  guint32 frame_len;
  gsize body_len;

  memset (message, 0, sizeof *message);

  if (length < 4)
    return 0;

  frame_len = (guint32) data[0] | (guint32) data[1] << 8 |
              (guint32) data[2] << 16 | (guint32) data[3] << 24;

  if (frame_len < 4 || frame_len > max_frame_size)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "Frame length %u is outside the accepted range 4..%" G_GSIZE_FORMAT,
                   frame_len, max_frame_size);
      return -1;
    }

  if (length - 4 < frame_len)
    return 0;

  p = data + 4;
  end = p + frame_len;

  info = lookup_kind (*p);
  if (info == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "Unknown message kind 0x%02x", *p);
      return -1;
    }
  p++;

  if (!get_varint (&p, end, &message->object) ||
      !get_varint (&p, end, &message->member) ||
      !get_varint (&p, end, &message->serial))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "Malformed header in a %s frame", info->name);
      return -1;
    }

  message->kind = info->kind;
  body_len = end - p;

  if (info->body_type == NULL)
    {
      if (body_len != 0)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "%" G_GSIZE_FORMAT " unexpected bytes after a %s frame",
                       body_len, info->name);
          return -1;
        }
    }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  else if (body_len <= GRO_MESSAGE_INLINE_SIZE && info->body_type[0] == 'v' && info->body_type[1] == '\0' &&
           plain_variant_is_normal (p, body_len))
    {
      memcpy (message->inline_body, p, body_len);
      message->inline_size = body_len;
    }
#endif
  else
    {
      g_autoptr(GBytes) bytes = g_bytes_new (p, body_len);
      g_autoptr(GVariant) body = NULL;
      gboolean normal = g_str_equal (info->body_type, "v") && plain_variant_is_normal (p, body_len);

      body = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (info->body_type),
                                                           bytes, normal));
      /* Normal form is canonical: a body with trailing bytes, bad offsets,
       * invalid UTF-8 or a bad inner type string is not in it. */
      if (!normal && !g_variant_is_normal_form (body))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "Malformed body in a %s frame (expected type %s)",
                       info->name, info->body_type);
          return -1;
        }
#if G_BYTE_ORDER == G_BIG_ENDIAN
      message->body = g_variant_byteswap (body);
#else
      message->body = g_steal_pointer (&body);
#endif
    }

  return 4 + frame_len;
}
