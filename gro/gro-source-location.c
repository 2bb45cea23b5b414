/* gro-source-location.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "gro-source-location.h"
#include "gro-source-location-private.h"

/**
 * GroSourceLocation:
 *
 * Where a source is shared, as a registry knows it: the source's name, the
 * type name of its class, and the address of the host that shares it.
 *
 * A node with a [property@Gro.Node:registry-url] lists the locations its
 * registry knows in [method@Gro.Node.get_source_locations]; a
 * [class@Gro.RegistryHost] lists its own table there. A location never
 * changes: when a source moves, its old location is removed and a new one
 * added.
 *
 * Since: 1.0
 */

struct _GroSourceLocation
{
  GObject  parent_instance;
  char    *name;
  char    *type_name;
  char    *url;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_TYPE_NAME,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (GroSourceLocation, gro_source_location, G_TYPE_OBJECT)

GroSourceLocation *
_gro_source_location_new (const char *name,
                          const char *type_name,
                          const char *url)
{
  return g_object_new (GRO_TYPE_SOURCE_LOCATION,
                       "name", name, "type-name", type_name, "url", url, NULL);
}

/**
 * gro_source_location_get_name:
 * @location: a #GroSourceLocation
 *
 * Gets [property@Gro.SourceLocation:name].
 *
 * Returns: (transfer none): the name the source is shared under
 *
 * Since: 1.0
 */
const char *
gro_source_location_get_name (GroSourceLocation *location)
{
  g_return_val_if_fail (GRO_IS_SOURCE_LOCATION (location), NULL);

  return location->name;
}

/**
 * gro_source_location_get_type_name:
 * @location: a #GroSourceLocation
 *
 * Gets [property@Gro.SourceLocation:type-name].
 *
 * Returns: (transfer none): the type name of the source's class
 *
 * Since: 1.0
 */
const char *
gro_source_location_get_type_name (GroSourceLocation *location)
{
  g_return_val_if_fail (GRO_IS_SOURCE_LOCATION (location), NULL);

  return location->type_name;
}

/**
 * gro_source_location_get_url:
 * @location: a #GroSourceLocation
 *
 * Gets [property@Gro.SourceLocation:url].
 *
 * Returns: (transfer none): the address of the host that shares the source
 *
 * Since: 1.0
 */
const char *
gro_source_location_get_url (GroSourceLocation *location)
{
  g_return_val_if_fail (GRO_IS_SOURCE_LOCATION (location), NULL);

  return location->url;
}

static void
gro_source_location_finalize (GObject *object)
{
  GroSourceLocation *self = GRO_SOURCE_LOCATION (object);

  g_free (self->name);
  g_free (self->type_name);
  g_free (self->url);

  G_OBJECT_CLASS (gro_source_location_parent_class)->finalize (object);
}

static void
gro_source_location_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GroSourceLocation *self = GRO_SOURCE_LOCATION (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TYPE_NAME:
      g_value_set_string (value, self->type_name);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_source_location_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  GroSourceLocation *self = GRO_SOURCE_LOCATION (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_TYPE_NAME:
      self->type_name = g_value_dup_string (value);
      break;
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_source_location_class_init (GroSourceLocationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gro_source_location_finalize;
  object_class->get_property = gro_source_location_get_property;
  object_class->set_property = gro_source_location_set_property;

  /**
   * GroSourceLocation:name:
   *
   * The name the source is shared under.
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GroSourceLocation:type-name:
   *
   * The type name of the source's class, as its host reports it.
   *
   * Since: 1.0
   */
  properties[PROP_TYPE_NAME] =
    g_param_spec_string ("type-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GroSourceLocation:url:
   *
   * The address of the host that shares the source, as that host published
   * it.
   *
   * Since: 1.0
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gro_source_location_init (GroSourceLocation *self)
{
}
