/* check.h: the interface of a GIR file that gro-compiler generates code for
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gir.h"

G_BEGIN_DECLS

typedef enum
{
  GC_KIND_NONE,
  GC_KIND_BOOLEAN,
  GC_KIND_CHAR,
  GC_KIND_UCHAR,
  GC_KIND_INT,
  GC_KIND_UINT,
  GC_KIND_LONG,
  GC_KIND_ULONG,
  GC_KIND_INT64,
  GC_KIND_UINT64,
  GC_KIND_FLOAT,
  GC_KIND_DOUBLE,
  GC_KIND_STRING,
  GC_KIND_STRV,
  GC_KIND_BYTES,
  GC_KIND_VARIANT,
  GC_KIND_ENUM,
  GC_KIND_FLAGS,
} GcKind;

typedef struct
{
  guint32     value;
  const char *name;   /* the C identifier, as GEnumValue's value_name */
  const char *nick;
} GcMember;

typedef struct
{
  GirElement *element;
  const char *type_name;  /* glib:type-name */
  const char *get_type;   /* glib:get-type */
  gboolean    is_flags;
  GArray     *members;    /* GcMember */
} GcEnum;

typedef struct
{
  GcKind      kind;
  GcEnum     *enumeration;  /* for GC_KIND_ENUM and GC_KIND_FLAGS */
} GcType;

typedef struct
{
  GirElement *element;
  const char *name;
  const char *c_type;        /* as the GIR writes it: "const char*" */
  GcType      type;
  gboolean    transfer_full;
} GcValue;

typedef struct
{
  GirElement *element;
  const char *name;
  GcType      type;
  gboolean    writable;
} GcProperty;

typedef struct
{
  GirElement *element;
  const char *name;
  GPtrArray  *args;         /* GcValue */
} GcSignal;

typedef enum
{
  GC_CALL_SEND,      /* void, does not throw: sent without waiting */
  GC_CALL_BLOCKING,  /* a return value or throws: waits for the reply */
  GC_CALL_ASYNC,     /* an _async / _finish pair */
} GcCall;

typedef struct
{
  GirElement *element;
  char       *wire_name;      /* "set-target" */
  GcCall      call;
  const char *c_identifier;   /* "demo_thermostat_set_target(_async)" */
  const char *vfunc;          /* the interface struct's field */
  const char *finish_c_identifier;
  const char *finish_vfunc;
  gboolean    throws;         /* the method, or the _finish for a pair */
  GPtrArray  *args;           /* GcValue, without the instance and async ones */
  GcValue    *ret;            /* NULL for void */
  /* The C types of the async trailing parameters, as the vfunc declares them */
  const char *cancellable_c_type;
  const char *callback_c_type;
  const char *user_data_c_type;
  const char *result_c_type;
} GcMethod;

typedef struct
{
  GirElement *root;
  GirElement *element;
  GPtrArray  *c_includes;       /* const char * */
  const char *namespace_name;   /* "Demo" */
  const char *name;             /* "Thermostat" */
  const char *type_name;        /* glib:type-name: "DemoThermostat" */
  const char *c_type;           /* "DemoThermostat" */
  const char *get_type;         /* "demo_thermostat_get_type" */
  const char *iface_c_type;     /* "DemoThermostatInterface" */
  char       *symbol_prefix;    /* "demo_thermostat" */
  char       *module_upper;     /* "DEMO" */
  char       *name_upper;       /* "THERMOSTAT" */
  GPtrArray  *properties;       /* GcProperty, sorted by name */
  GPtrArray  *signals;          /* GcSignal, sorted by name */
  GPtrArray  *methods;          /* GcMethod, sorted by wire name */
  GPtrArray  *enums;            /* GcEnum, once each, in order of first use */
  GPtrArray  *all_enums;        /* GcEnum, owned */
} GcInterface;

GcInterface *gc_interface_load       (GirElement   *root,
                                      const char   *qualified_name,
                                      GError      **error);
void         gc_interface_free       (GcInterface  *iface);

const char  *gc_type_gro_name        (const GcType *type);
char        *gc_interface_schema     (GcInterface  *iface);
char        *gc_interface_methods    (GcInterface  *iface);
char        *gc_schema_hash          (const char   *schema);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GcInterface, gc_interface_free)

G_END_DECLS
