/* fuzz-codec.c: the value codec and the schema parser
 *
 * The first byte picks a kind of value (or a schema); the rest is taken as
 * its serialized GVariant, untrusted, as a peer would send it. What decodes
 * must encode back to the same value.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "gro-codec-private.h"
#include "gro-frame-private.h"
#include "gro-schema-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const GroKind kinds[] = {
  GRO_KIND_BOOLEAN, GRO_KIND_CHAR, GRO_KIND_UCHAR, GRO_KIND_INT, GRO_KIND_UINT,
  GRO_KIND_LONG, GRO_KIND_ULONG, GRO_KIND_INT64, GRO_KIND_UINT64, GRO_KIND_FLOAT,
  GRO_KIND_DOUBLE, GRO_KIND_STRING, GRO_KIND_STRV, GRO_KIND_BYTES, GRO_KIND_VARIANT,
};

static void
fuzz_value (GroKind       kind,
            const guint8 *data,
            size_t        size)
{
  g_autoptr(GVariant) wire = NULL;
  g_autoptr(GVariant) back = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GroValueType type;

  gro_value_type_init (&type, kind, gro_kind_gtype (kind), gro_kind_name (kind));
  wire = g_variant_ref_sink (g_variant_new_from_data (gro_kind_wire_type (kind), data, size,
                                                      FALSE, NULL, NULL));
  if (!gro_variant_depth_within (wire, 64))
    {
      gro_value_type_clear (&type);
      return;
    }

  if (gro_value_from_variant (wire, &type, &value, &error))
    {
      g_autoptr(GVariant) normal = g_variant_get_normal_form (wire);

      back = g_variant_ref_sink (gro_value_to_variant (&value, &type));
      /* Strings are repaired to valid UTF-8 on the way out, and a float may
       * round; everything else comes back as it went in. */
      if (kind != GRO_KIND_STRING && kind != GRO_KIND_STRV && kind != GRO_KIND_FLOAT &&
          kind != GRO_KIND_VARIANT)
        g_assert (g_variant_equal (normal, back));
    }
  else
    g_assert (error != NULL);

  gro_value_type_clear (&type);
}

static void
fuzz_schema (const guint8 *data,
             size_t        size)
{
  g_autoptr(GVariant) wire = NULL;
  g_autoptr(GroSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  guint budget = 0;

  wire = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE (GRO_SCHEMA_TYPE_STRING),
                                                      data, size, FALSE, NULL, NULL));
  schema = gro_schema_new_from_variant (wire, &error);
  g_assert ((schema == NULL) == (error != NULL));
  /* No type budget: binding may only look up, never register. */
  if (schema != NULL && !gro_schema_bind (schema, &budget, &error))
    g_assert (error != NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  /* g_variant_new_from_data() wants aligned data. */
  g_autofree guint8 *copy = NULL;

  if (size < 1)
    return 0;
  copy = g_memdup2 (data + 1, size - 1);

  if (data[0] % (G_N_ELEMENTS (kinds) + 1) == G_N_ELEMENTS (kinds))
    fuzz_schema (copy, size - 1);
  else
    fuzz_value (kinds[data[0] % (G_N_ELEMENTS (kinds) + 1)], copy, size - 1);

  return 0;
}
