/* gro-frame-private.h: frames and messages (see doc/protocol.md)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GRO_PROTOCOL_MAGIC         "gro"
#define GRO_PROTOCOL_VERSION_MIN   1
#define GRO_PROTOCOL_VERSION_MAX   1

/* Largest frame accepted unless configured otherwise. */
#define GRO_DEFAULT_MAX_FRAME_SIZE (16 * 1024 * 1024)

/* Length prefix, kind, and three varints of at most 5 bytes each. */
#define GRO_FRAME_MAX_HEADER_SIZE  (4 + 1 + 3 * 5)

/* The wire form of a schema; see doc/protocol.md. */
#define GRO_SCHEMA_TYPE_STRING \
  "(sa(ssu)a(sas)a(sass)a(sba(uss)))"

/* Object ids from 2^31 up are chosen by the host, for list items; nodes
 * choose theirs below. */
#define GRO_ITEM_ID_BIT            0x80000000u

/* One list item as MODEL_INIT, MODEL_CHANGED and MODEL_ITEMS carry it: its
 * id, and the body an INIT for it would have. */
#define GRO_MODEL_ITEM_TYPE_STRING \
  "(u(sm" GRO_SCHEMA_TYPE_STRING "v))"

typedef enum
{
  GRO_MESSAGE_HELLO          = 0x01,
  GRO_MESSAGE_PING           = 0x02,
  GRO_MESSAGE_PONG           = 0x03,
  GRO_MESSAGE_SOURCES        = 0x10,
  GRO_MESSAGE_SOURCE_ADDED   = 0x11,
  GRO_MESSAGE_SOURCE_REMOVED = 0x12,
  GRO_MESSAGE_ACQUIRE        = 0x20,
  GRO_MESSAGE_RELEASE        = 0x21,
  GRO_MESSAGE_INIT           = 0x22,
  GRO_MESSAGE_PROPERTY       = 0x30,
  GRO_MESSAGE_SIGNAL         = 0x31,
  GRO_MESSAGE_CALL           = 0x40,
  GRO_MESSAGE_SET_PROPERTY   = 0x41,
  GRO_MESSAGE_REPLY          = 0x42,
  GRO_MESSAGE_ERROR          = 0x43,
  /* The registry: 0x50 to 0x5F. */
  GRO_MESSAGE_PUBLISH          = 0x50,
  GRO_MESSAGE_UNPUBLISH        = 0x51,
  GRO_MESSAGE_WATCH            = 0x52,
  GRO_MESSAGE_LOCATION_ADDED   = 0x53,
  GRO_MESSAGE_LOCATION_REMOVED = 0x54,
  /* List models (doc/protocol.md, "List models") */
  GRO_MESSAGE_MODEL_ACQUIRE  = 0x60,
  GRO_MESSAGE_MODEL_INIT     = 0x61,
  GRO_MESSAGE_MODEL_CHANGED  = 0x62,
  GRO_MESSAGE_MODEL_FETCH    = 0x63,
  GRO_MESSAGE_MODEL_ITEMS    = 0x64,
  GRO_MESSAGE_MODEL_RELEASE_ITEM = 0x65,
} GroMessageKind;

/* Bodies of at most this many bytes that are variants of numbers stay
 * bytes until asked for as a GVariant (most PROPERTY, SIGNAL, CALL and
 * REPLY bodies): handlers read them straight from the bytes. */
#define GRO_MESSAGE_INLINE_SIZE 32

typedef struct
{
  GroMessageKind  kind;
  guint32         object;
  guint32         member;
  guint32         serial;
  /* Use gro_message_get_body(), which makes it from inline_body. Owned;
   * NULL for kinds without a body. */
  GVariant       *body;
  gsize           inline_size;  /* 0 unless the body is in inline_body */
  guint64         inline_body[GRO_MESSAGE_INLINE_SIZE / 8];
} GroMessage;

const char         *gro_message_kind_to_string  (GroMessageKind  kind);
gboolean            gro_message_kind_is_known   (guint           kind);
const GVariantType *gro_message_kind_body_type  (GroMessageKind  kind);

gsize               gro_frame_length            (guint32         object,
                                                 guint32         member,
                                                 guint32         serial,
                                                 gsize           body_size);
GVariant           *gro_frame_body_to_wire      (GroMessageKind  kind,
                                                 GVariant       *body);
void                gro_frame_append_data       (GByteArray     *buffer,
                                                 GroMessageKind  kind,
                                                 guint32         object,
                                                 guint32         member,
                                                 guint32         serial,
                                                 const void     *data,
                                                 gsize           size);
void                gro_frame_append            (GByteArray     *buffer,
                                                 GroMessageKind  kind,
                                                 guint32         object,
                                                 guint32         member,
                                                 guint32         serial,
                                                 GVariant       *body);
GBytes             *gro_frame_encode            (GroMessageKind  kind,
                                                 guint32         object,
                                                 guint32         member,
                                                 guint32         serial,
                                                 GVariant       *body);
gssize              gro_frame_decode            (const guint8   *data,
                                                 gsize           length,
                                                 gsize           max_frame_size,
                                                 GroMessage     *message,
                                                 GError        **error);
void                gro_message_clear           (GroMessage     *message);
GVariant           *gro_message_get_body        (GroMessage     *message);
GVariant           *gro_message_dup_boxed       (GroMessage     *message);
const guint8       *gro_message_get_data        (GroMessage     *message,
                                                 gsize          *size);

/* The bytes of what gro_frame_body_to_wire() returned, NULL or not. */
static inline gconstpointer
gro_wire_data (GVariant *wire)
{
  return wire != NULL ? g_variant_get_data (wire) : NULL;
}

static inline gsize
gro_wire_size (GVariant *wire)
{
  return wire != NULL ? g_variant_get_size (wire) : 0;
}

G_END_DECLS
