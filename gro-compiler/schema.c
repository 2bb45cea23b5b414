/* schema.c: the schema of an interface, as gro's wire form writes it
 * (doc/protocol.md §5), and its signature hash
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "check.h"

/* ------------------------------------------------------------------------ */
/* Schema                                                                    */

static GVariant *
methods_variant (GcInterface *iface)
{
  GVariantBuilder methods;

  g_variant_builder_init (&methods, G_VARIANT_TYPE ("a(sass)"));
  for (guint i = 0; i < iface->methods->len; i++)
    {
      GcMethod *method = g_ptr_array_index (iface->methods, i);
      GVariantBuilder args;

      g_variant_builder_init (&args, G_VARIANT_TYPE_STRING_ARRAY);
      for (guint j = 0; j < method->args->len; j++)
        g_variant_builder_add (&args, "s",
                               gc_type_gro_name (&((GcValue *) g_ptr_array_index (method->args, j))->type));
      g_variant_builder_add (&methods, "(sass)", method->wire_name, &args,
                             method->ret != NULL ? gc_type_gro_name (&method->ret->type) : "");
    }
  return g_variant_builder_end (&methods);
}

char *
gc_interface_methods (GcInterface *iface)
{
  g_autoptr(GVariant) methods = g_variant_ref_sink (methods_variant (iface));

  return g_variant_print (methods, TRUE);
}

char *
gc_interface_schema (GcInterface *iface)
{
  g_autoptr(GVariant) schema = NULL;
  GVariantBuilder properties, signals, enums;

  g_variant_builder_init (&properties, G_VARIANT_TYPE ("a(ssu)"));
  for (guint i = 0; i < iface->properties->len; i++)
    {
      GcProperty *property = g_ptr_array_index (iface->properties, i);

      g_variant_builder_add (&properties, "(ssu)", property->name,
                             gc_type_gro_name (&property->type),
                             1u | (property->writable ? 2u : 0u));
    }

  g_variant_builder_init (&signals, G_VARIANT_TYPE ("a(sas)"));
  for (guint i = 0; i < iface->signals->len; i++)
    {
      GcSignal *signal = g_ptr_array_index (iface->signals, i);
      GVariantBuilder args;

      g_variant_builder_init (&args, G_VARIANT_TYPE_STRING_ARRAY);
      for (guint j = 0; j < signal->args->len; j++)
        g_variant_builder_add (&args, "s",
                               gc_type_gro_name (&((GcValue *) g_ptr_array_index (signal->args, j))->type));
      g_variant_builder_add (&signals, "(sas)", signal->name, &args);
    }

  g_variant_builder_init (&enums, G_VARIANT_TYPE ("a(sba(uss))"));
  for (guint i = 0; i < iface->enums->len; i++)
    {
      GcEnum *e = g_ptr_array_index (iface->enums, i);
      GVariantBuilder values;

      g_variant_builder_init (&values, G_VARIANT_TYPE ("a(uss)"));
      for (guint j = 0; j < e->members->len; j++)
        {
          GcMember *member = &g_array_index (e->members, GcMember, j);

          g_variant_builder_add (&values, "(uss)", member->value, member->name, member->nick);
        }
      g_variant_builder_add (&enums, "(sba(uss))", e->type_name, e->is_flags, &values);
    }

  schema = g_variant_ref_sink (g_variant_new ("(s@a(ssu)@a(sas)@a(sass)@a(sba(uss)))",
                                              iface->type_name,
                                              g_variant_builder_end (&properties),
                                              g_variant_builder_end (&signals),
                                              methods_variant (iface),
                                              g_variant_builder_end (&enums)));
  return g_variant_print (schema, TRUE);
}

/* doc/protocol.md §5.4: SHA-256 of the little-endian normal form, cut to
 * 32 hexadecimal digits. */
char *
gc_schema_hash (const char *schema)
{
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) normal = NULL;
  g_autoptr(GVariant) le = NULL;
  g_autofree char *digest = NULL;

  value = g_variant_parse (G_VARIANT_TYPE ("(sa(ssu)a(sas)a(sass)a(sba(uss)))"), schema,
                           NULL, NULL, NULL);
  g_assert (value != NULL);
  normal = g_variant_get_normal_form (value);
#if G_BYTE_ORDER == G_BIG_ENDIAN
  le = g_variant_byteswap (normal);
#else
  le = g_variant_ref (normal);
#endif
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, g_variant_get_data (le),
                                        g_variant_get_size (le));
  return g_strndup (digest, 32);
}
