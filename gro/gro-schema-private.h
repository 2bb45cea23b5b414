/* gro-schema-private.h: what a source exposes, and its signature hash
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gro-codec-private.h"

G_BEGIN_DECLS

#define GRO_SCHEMA_PROPERTY_READABLE (1 << 0)
#define GRO_SCHEMA_PROPERTY_WRITABLE (1 << 1)

/* Bounds on what a peer's schema may hold. */
#define GRO_SCHEMA_MAX_NAME          255
#define GRO_SCHEMA_MAX_MEMBERS       1024
#define GRO_SCHEMA_MAX_ARGS          32
#define GRO_SCHEMA_MAX_ENUMS         256
#define GRO_SCHEMA_MAX_ENUM_VALUES   1024

typedef struct
{
  char         *name;
  GroValueType  type;
  guint         flags;
} GroSchemaProperty;

typedef struct
{
  char         *name;
  guint         n_args;
  GroValueType *args;
  GVariantType *args_type;    /* tuple of the arguments' wire types */
  gboolean      has_return;
  GroValueType  ret;          /* methods only */
  GVariantType *ret_type;     /* methods: "(T)" or "()" */
} GroSchemaSignal;

typedef GroSchemaSignal GroSchemaMethod;

typedef struct
{
  guint32  value;
  char    *name;
  char    *nick;
} GroSchemaEnumValue;

typedef struct
{
  char               *name;
  gboolean            is_flags;
  guint               n_values;
  GroSchemaEnumValue *values;
  GType               gtype;  /* once bound */
} GroSchemaEnum;

typedef struct _GroSchema GroSchema;

struct _GroSchema
{
  gatomicrefcount     ref_count;
  char               *type_name;
  guint               n_properties;
  GroSchemaProperty  *properties;
  guint               n_signals;
  GroSchemaSignal    *signals;
  guint               n_methods;
  GroSchemaMethod    *methods;
  guint               n_enums;
  GroSchemaEnum      *enums;
  GVariant           *variant;      /* the wire form */
  char               *hash;         /* hex digest of the wire form */
  GVariantType       *values_type;  /* tuple of the properties' wire types */
  GHashTable         *property_index;
  GHashTable         *signal_index;
  GHashTable         *method_index;
  GDBusInterfaceInfo *info;         /* built on first use */
  gboolean            bound;
};

GroSchema          *gro_schema_new_for_type_full    (GType            type,
                                                     guint            max_members,
                                                     GError         **error);
GroSchema          *gro_schema_new_for_type         (GType            type,
                                                     GError         **error);
GroSchema          *gro_schema_new_from_variant_full (GVariant        *variant,
                                                     guint            max_members,
                                                     GError         **error);
GroSchema          *gro_schema_new_from_variant     (GVariant        *variant,
                                                     GError         **error);
gboolean            gro_schema_bind                 (GroSchema       *schema,
                                                     guint           *type_budget,
                                                     GError         **error);
GroSchema          *gro_schema_ref                  (GroSchema       *schema);
void                gro_schema_unref                (GroSchema       *schema);
int                 gro_schema_find_property        (GroSchema       *schema,
                                                     const char      *name);
int                 gro_schema_find_signal          (GroSchema       *schema,
                                                     const char      *name);
int                 gro_schema_find_method          (GroSchema       *schema,
                                                     const char      *name);
GDBusInterfaceInfo *gro_schema_get_interface_info   (GroSchema       *schema);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GroSchema, gro_schema_unref)

G_END_DECLS
