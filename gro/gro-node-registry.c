/* gro-node-registry.c: a node's side of its registry
 *
 * The node watches its registry's table of where sources are, keeps a copy
 * for routing, connects to the hosts it names, and shows the table to the
 * application as a model and signals.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "gro-address-private.h"
#include "gro-error.h"
#include "gro-host.h"
#include "gro-mirror-private.h"
#include "gro-node-private.h"
#include "gro-source-location-private.h"

/* ------------------------------------------------------------------------ */
/* The registry's locations                                                  */

/* Connects to the host the registry says shares @name, if the node is not
 * connected or connecting to it. @now: try at once even while a retry waits
 * (the host published again, so it is back). */
void
_gro_node_connect_location (GroNode    *self,
                            const char *name,
                            gboolean    now)
{
  GroNodePrivate *priv = _gro_node_get_private (self);
  GroSourceLocation *location = g_hash_table_lookup (priv->locations, name);
  GroNodeTarget *target;
  const char *url;

  if (location == NULL)
    return;

  url = gro_source_location_get_url (location);
  target = _gro_node_find_target (self, url);
  if (target == NULL)
    {
      g_debug ("Connecting to %s, where the registry says '%s' is", url, name);
      target = _gro_node_target_new (self, url);
      target->from_registry = TRUE;
      _gro_node_target_connect (target);
    }
  else if (target->nlink == NULL && (now || priv->wait_context != NULL))
    _gro_node_target_connect (target);
}

static gboolean
node_has_location_at (GroNode    *self,
                      const char *url)
{
  GroNodePrivate *priv = _gro_node_get_private (self);
  GHashTableIter iter;
  GroSourceLocation *location;

  g_hash_table_iter_init (&iter, priv->locations);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &location))
    if (g_str_equal (gro_source_location_get_url (location), url))
      return TRUE;
  return FALSE;
}

/* Whether a target should be tried again after it failed or was lost. */
gboolean
_gro_node_target_wanted (GroNodeTarget *target)
{
  if (target->is_registry)
    return TRUE;
  if (target->from_registry)
    return node_has_location_at (target->node, target->url);
  return target->connected_once;
}

typedef struct
{
  GroNode           *node;
  GroSourceLocation *location;
  gboolean           added;
} LocationEffect;

/* Made when first needed: most nodes never use a registry. */
static GListStore *
node_location_store (GroNode *self)
{
  GroNodePrivate *priv = _gro_node_get_private (self);

  if (priv->location_store == NULL)
    priv->location_store = g_list_store_new (GRO_TYPE_SOURCE_LOCATION);
  return priv->location_store;
}

static void
location_effect_run (gpointer data)
{
  LocationEffect *effect = data;
  guint position;

  if (effect->added)
    {
      g_list_store_append (node_location_store (effect->node), effect->location);
      _gro_node_emit_source_location (effect->node, effect->location, TRUE);
    }
  else if (g_list_store_find (node_location_store (effect->node), effect->location, &position))
    {
      g_list_store_remove (node_location_store (effect->node), position);
      _gro_node_emit_source_location (effect->node, effect->location, FALSE);
    }
}

static void
location_effect_free (gpointer data)
{
  LocationEffect *effect = data;

  g_object_unref (effect->node);
  g_object_unref (effect->location);
  g_free (effect);
}

/* The table changes at once, for routing; the model and the signals follow
 * in order with everything else the application hears. */
static void
node_location_changed (GroNode           *self,
                       GroSourceLocation *location,
                       gboolean           added)
{
  LocationEffect *effect = g_new0 (LocationEffect, 1);

  effect->node = g_object_ref (self);
  effect->location = g_object_ref (location);
  effect->added = added;
  _gro_node_defer (self, location_effect_run, effect, location_effect_free);
}

static void
node_location_drop (GroNode    *self,
                    const char *name)
{
  GroNodePrivate *priv = _gro_node_get_private (self);
  g_autoptr(GroSourceLocation) location = NULL;
  g_autofree char *key = NULL;
  GroNodeTarget *target;

  if (!g_hash_table_steal_extended (priv->locations, name, (gpointer *) &key,
                                    (gpointer *) &location))
    return;

  node_location_changed (self, location, FALSE);

  /* A host nothing points at any more is not worth waiting for; one the
   * node is still connected to stays until its connection ends. */
  target = _gro_node_find_target (self, gro_source_location_get_url (location));
  if (target != NULL && target->from_registry && target->nlink == NULL && !_gro_node_target_wanted (target))
    _gro_node_target_remove (target);
}

void
_gro_node_location_add (GroNode    *self,
                        const char *name,
                        const char *type_name,
                        const char *url)
{
  GroNodePrivate *priv = _gro_node_get_private (self);
  GroSourceLocation *old = g_hash_table_lookup (priv->locations, name);
  GroSourceLocation *location;
  GroMirror *mirror;

  if (old != NULL)
    {
      if (g_str_equal (gro_source_location_get_url (old), url) &&
          g_str_equal (gro_source_location_get_type_name (old), type_name))
        return;
      node_location_drop (self, name);
    }

  location = _gro_source_location_new (name, type_name, url);
  g_hash_table_insert (priv->locations, g_strdup (name), location);
  node_location_changed (self, location, TRUE);

  /* A replica waits for it: go and get it, at once. */
  mirror = g_hash_table_lookup (priv->mirrors, name);
  if (mirror != NULL && mirror->nlink == NULL)
    _gro_node_connect_location (self, name, TRUE);
}

/* Removes @name's location, if it is still at @url (NULL: wherever). */
void
_gro_node_location_remove (GroNode    *self,
                           const char *name,
                           const char *url)
{
  GroNodePrivate *priv = _gro_node_get_private (self);
  GroSourceLocation *location = g_hash_table_lookup (priv->locations, name);

  if (location == NULL ||
      (url != NULL && !g_str_equal (gro_source_location_get_url (location), url)))
    return;
  node_location_drop (self, name);
}

/* Checks an entry a peer sent to, or from, a registry. */
gboolean
_gro_registry_check_entry (const char  *peer,
                           const char  *name,
                           const char  *type_name,
                           const char  *url,
                           GError     **error)
{
  g_autoptr(GroAddress) address = NULL;
  gsize name_length = strlen (name);

  if (name_length == 0 || name_length > 255)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s sent a source name of %" G_GSIZE_FORMAT " bytes (1 to 255 allowed)",
                   peer, name_length);
      return FALSE;
    }
  if (type_name != NULL && (type_name[0] == '\0' || strlen (type_name) > 255))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s sent a type name for '%s' that is empty or longer than 255 bytes",
                   peer, name);
      return FALSE;
    }
  if (strlen (url) > GRO_REGISTRY_MAX_URL_LENGTH ||
      (address = gro_address_parse (url, NULL)) == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "%s sent an address for '%s' that is not a gro address", peer, name);
      return FALSE;
    }
  return TRUE;
}

GroLink *
_gro_node_get_registry_link (GroNode *self)
{
  GroNodePrivate *priv = _gro_node_get_private (self);
  GroNodeLink *nlink;

  if (priv->registry_target == NULL || (nlink = priv->registry_target->nlink) == NULL ||
      !gro_link_is_open (nlink->link))
    return NULL;
  return nlink->link;
}

/* The registry's answer to WATCH: its whole table, which replaces what the
 * node knew (the registry may have restarted, and lost or gained some). */
static void
on_watch_reply (GVariant     *result,
                const GError *error,
                gpointer      user_data)
{
  GroNodeLink *nlink = user_data;
  GroNode *self = nlink->node;
  GroNodePrivate *priv = _gro_node_get_private (self);
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char **names = NULL;
  GVariantIter iter;
  const char *name, *type, *url;

  if (error != NULL)
    {
      /* A host that is no registry says so; the link itself is fine. */
      if (!g_error_matches (error, GRO_ERROR, GRO_ERROR_DISCONNECTED))
        g_debug ("%s refused to list its sources: %s",
                 gro_link_get_address (nlink->link), error->message);
      return;
    }

  if (!g_variant_is_of_type (result, G_VARIANT_TYPE ("a(sss)")))
    {
      local_error = g_error_new (GRO_ERROR, GRO_ERROR_PROTOCOL,
                                 "%s answered WATCH with a %s, not an a(sss)",
                                 gro_link_get_address (nlink->link),
                                 g_variant_get_type_string (result));
      gro_link_close (nlink->link, local_error);
      return;
    }
  if (g_variant_n_children (result) > GRO_REGISTRY_MAX_LOCATIONS)
    {
      local_error = g_error_new (GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                                 "%s lists %" G_GSIZE_FORMAT " sources, more than %u",
                                 gro_link_get_address (nlink->link),
                                 g_variant_n_children (result), GRO_REGISTRY_MAX_LOCATIONS);
      gro_link_close (nlink->link, local_error);
      return;
    }

  /* Check all of it before using any of it. */
  g_variant_iter_init (&iter, result);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &name, &type, &url))
    if (!_gro_registry_check_entry (gro_link_get_address (nlink->link), name, type, url,
                                    &local_error))
      {
        gro_link_close (nlink->link, local_error);
        return;
      }

  nlink->watching = TRUE;
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_variant_iter_init (&iter, result);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &name, &type, &url))
    {
      g_hash_table_add (seen, (gpointer) name);
      _gro_node_location_add (self, name, type, url);
    }

  names = (char **) g_hash_table_get_keys_as_array (priv->locations, NULL);
  for (guint i = 0; names[i] != NULL; i++)
    if (!g_hash_table_contains (seen, names[i]))
      _gro_node_location_remove (self, names[i], NULL);
}

/* The registry: ask for its table and what changes in it, and give it this
 * host's sources. Both again after every reconnection, so that a registry
 * that restarted is filled again. */
void
_gro_node_registry_opened (GroNodeLink *nlink)
{
  gro_link_call (nlink->link, GRO_MESSAGE_WATCH, 0, 0, NULL, on_watch_reply, nlink);
  if (GRO_IS_HOST (nlink->node))
    _gro_host_registry_opened (GRO_HOST (nlink->node), nlink->link);
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */

/**
 * gro_node_get_source_locations:
 * @node: a #GroNode
 *
 * Lists where the sources the registry knows are: a model of
 * [class@Gro.SourceLocation], which changes as hosts publish and withdraw
 * sources, with [signal@Gro.Node::source-location-added] and
 * [signal@Gro.Node::source-location-removed]. For a
 * [class@Gro.RegistryHost], it is the registry's own table.
 *
 * While the registry cannot be reached, the model keeps what it last said;
 * when the registry answers again, the model follows its table.
 *
 * Returns: (transfer none): a #GListModel of #GroSourceLocation
 *
 * Since: 1.0
 */
GListModel *
gro_node_get_source_locations (GroNode *node)
{
  g_return_val_if_fail (GRO_IS_NODE (node), NULL);

  return G_LIST_MODEL (node_location_store (node));
}
