/* gro-codec-private.h: GValue <-> GVariant (see doc/values.md)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  GRO_KIND_INVALID,
  GRO_KIND_BOOLEAN,
  GRO_KIND_CHAR,
  GRO_KIND_UCHAR,
  GRO_KIND_INT,
  GRO_KIND_UINT,
  GRO_KIND_LONG,
  GRO_KIND_ULONG,
  GRO_KIND_INT64,
  GRO_KIND_UINT64,
  GRO_KIND_FLOAT,
  GRO_KIND_DOUBLE,
  GRO_KIND_STRING,
  GRO_KIND_STRV,
  GRO_KIND_BYTES,
  GRO_KIND_VARIANT,
  GRO_KIND_ENUM,
  GRO_KIND_FLAGS,
} GroKind;

/* A value type as the schema names it: a kind and, once bound, a local GType
 * (the enumeration's own type for GRO_KIND_ENUM and GRO_KIND_FLAGS). */
typedef struct
{
  GroKind  kind;
  GType    gtype;
  char    *name;       /* "gint", "GStrv", or the enumeration's type name */
} GroValueType;

GroKind             gro_kind_from_gtype        (GType               gtype);
GroKind             gro_kind_from_name         (const char         *name);
const char         *gro_kind_name              (GroKind             kind);
GType               gro_kind_gtype             (GroKind             kind);
const GVariantType *gro_kind_wire_type         (GroKind             kind);

void                gro_value_type_init        (GroValueType       *type,
                                                GroKind             kind,
                                                GType               gtype,
                                                const char         *name);
void                gro_value_type_clear       (GroValueType       *type);
const GVariantType *gro_value_type_wire_type   (const GroValueType *type);

GVariant           *gro_value_to_variant       (const GValue       *value,
                                                const GroValueType *type);
gboolean            gro_value_from_variant     (GVariant           *variant,
                                                const GroValueType *type,
                                                GValue             *value,
                                                GError            **error);
gboolean            gro_value_equal            (const GValue       *a,
                                                const GValue       *b);
GVariantType       *gro_value_types_tuple      (const GroValueType *types,
                                                guint               n_types);
GVariant           *gro_variant_new_single     (GVariant           *item);
GVariant           *gro_variant_new_boxed      (GVariant           *item);
gsize               gro_variant_store_boxed    (GVariant           *item,
                                                guint8             *out,
                                                gsize               out_size);
gboolean            gro_variant_depth_within   (GVariant           *value,
                                                guint               max);
GVariant           *gro_variant_coerce         (GVariant           *value,
                                                const GVariantType *expected);
gboolean            gro_values_from_fixed_data (const guint8       *data,
                                                gsize               size,
                                                const GroValueType *types,
                                                guint               n,
                                                GValue             *values);
/* Room for any body gro_fixed_body_write() makes: 16 values of 8 bytes,
 * a zero byte and the type "(...)". */
#define GRO_FIXED_BODY_MAX (16 * 8 + 1 + 18)

gsize               gro_fixed_body_write       (const GValue       *values,
                                                const GroValueType *types,
                                                guint               n,
                                                gboolean            tuple,
                                                guint8             *out,
                                                gsize               out_size);
gboolean            gro_values_from_fixed_body (const guint8       *data,
                                                gsize               size,
                                                const GVariantType *type,
                                                const GroValueType *types,
                                                guint               n,
                                                GValue             *values);
GVariant           *gro_variant_new_fixed_body (const GValue       *values,
                                                const GroValueType *types,
                                                guint               n,
                                                gboolean            tuple);
GVariant           *gro_variant_new_single_value (const GValue     *value,
                                                  const GroValueType *type);
gboolean            gro_variant_data_split     (const guint8       *data,
                                                gsize               size,
                                                gsize              *content_size,
                                                const char        **type,
                                                gsize              *type_len);

G_END_DECLS
