/* gro-registry-host.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "gro-error.h"
#include "gro-node-private.h"
#include "gro-registry-host.h"
#include "gro-registry-host-private.h"

/**
 * GroRegistryHost:
 *
 * A registry is a [class@Gro.Host] that also keeps the table of which host
 * shares which source, so that nodes acquire sources by name alone.
 *
 * ```c
 * // The registry, at an address every host and node knows:
 * g_autoptr(GroRegistryHost) registry = gro_registry_host_new ("local:registry", &error);
 *
 * // A host publishes each source it shares there:
 * g_autoptr(GroHost) host = gro_host_new ("local:kitchen", &error);
 * gro_node_set_registry_url (GRO_NODE (host), "local:registry");
 * gro_host_enable_remoting (host, thermostat, "thermostat", &error);
 *
 * // A node finds it there:
 * g_autoptr(GroNode) node = gro_node_new ();
 * gro_node_set_registry_url (node, "local:registry");
 * replica = gro_node_acquire_dynamic (node, "thermostat");
 * ```
 *
 * Hosts with a [property@Gro.Node:registry-url] publish every source they
 * enable, with the first address they listen on, and withdraw it when they
 * disable it. A host that goes away, or is killed, loses its connection to
 * the registry, and the registry drops its sources at once. A name belongs
 * to the first host that publishes it; another host that publishes it is
 * told so with [signal@Gro.Host::publish-failed].
 *
 * The table is the registry's [method@Gro.Node.get_source_locations]; the
 * registry's own sources are in it too, at its first address. The table
 * lives in the registry's memory only: when the registry restarts, hosts
 * publish again as they reconnect.
 *
 * Any peer the registry accepts may publish a name that is free, unless
 * [signal@Gro.Host::authorize] gave it %GRO_ACCESS_READ_ONLY when it
 * connected: such a peer may look sources up, but what it publishes is
 * refused with %GRO_ERROR_PERMISSION_DENIED.
 *
 * Do not use a registry when a node knows its hosts' addresses; connect to
 * them with [method@Gro.Node.connect_to_node].
 *
 * Since: 1.0
 */

typedef struct
{
  char    *name;
  char    *type_name;
  char    *url;
  GroLink *owner;   /* the host's link; NULL for the registry's own sources */
} Entry;

struct _GroRegistryHost
{
  GroHost     parent_instance;
  GHashTable *entries;   /* name -> Entry * */
  GHashTable *counts;    /* GroLink * -> how many entries it owns */
  GPtrArray  *watchers;  /* GroLink *, not owned: they are removed as they close */
};

G_DEFINE_FINAL_TYPE (GroRegistryHost, gro_registry_host, GRO_TYPE_HOST)

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_free (entry->type_name);
  g_free (entry->url);
  g_free (entry);
}

static void
broadcast (GroRegistryHost *self,
           GroMessageKind   kind,
           GVariant        *body)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (body);

  for (guint i = 0; i < self->watchers->len; i++)
    gro_link_send (self->watchers->pdata[i], kind, 0, 0, 0, owned);
}

static void
registry_add (GroRegistryHost *self,
              const char      *name,
              const char      *type_name,
              const char      *url,
              GroLink         *owner)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->name = g_strdup (name);
  entry->type_name = g_strdup (type_name);
  entry->url = g_strdup (url);
  entry->owner = owner;
  g_hash_table_insert (self->entries, entry->name, entry);
  if (owner != NULL)
    g_hash_table_insert (self->counts, owner,
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->counts,
                                                                                  owner)) + 1));

  g_debug ("Registry: '%s' is at %s", name, url);
  _gro_node_location_add (GRO_NODE (self), name, type_name, url);
  broadcast (self, GRO_MESSAGE_LOCATION_ADDED, g_variant_new ("(sss)", name, type_name, url));
}

static void
registry_remove (GroRegistryHost *self,
                 const char      *name)
{
  Entry *entry = g_hash_table_lookup (self->entries, name);
  guint count;

  if (entry == NULL)
    return;

  g_hash_table_steal (self->entries, name);
  if (entry->owner != NULL)
    {
      count = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, entry->owner));
      if (count <= 1)
        g_hash_table_remove (self->counts, entry->owner);
      else
        g_hash_table_insert (self->counts, entry->owner, GUINT_TO_POINTER (count - 1));
    }

  g_debug ("Registry: '%s' left %s", entry->name, entry->url);
  _gro_node_location_remove (GRO_NODE (self), entry->name, entry->url);
  broadcast (self, GRO_MESSAGE_LOCATION_REMOVED, g_variant_new ("(ss)", entry->name, entry->url));
  entry_free (entry);
}

/* Whether @name may be published at @url by @owner; answers the reason. */
static gboolean
registry_may_add (GroRegistryHost  *self,
                  const char       *name,
                  GroLink          *owner,
                  GError          **error)
{
  Entry *entry = g_hash_table_lookup (self->entries, name);

  if (entry != NULL && entry->owner != owner)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_NAME_IN_USE,
                   "The source name '%s' is already published by the host at %s",
                   name, entry->url);
      return FALSE;
    }
  if (entry == NULL && g_hash_table_size (self->entries) >= GRO_REGISTRY_MAX_LOCATIONS)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                   "The registry holds %u sources, its limit", GRO_REGISTRY_MAX_LOCATIONS);
      return FALSE;
    }
  if (entry == NULL && owner != NULL &&
      GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, owner)) >= GRO_REGISTRY_MAX_PER_LINK)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                   "A host may publish %u sources in this registry", GRO_REGISTRY_MAX_PER_LINK);
      return FALSE;
    }
  return TRUE;
}

static void
registry_put (GroRegistryHost *self,
              const char      *name,
              const char      *type_name,
              const char      *url,
              GroLink         *owner)
{
  Entry *entry = g_hash_table_lookup (self->entries, name);

  if (entry != NULL)
    {
      if (g_str_equal (entry->url, url) && g_str_equal (entry->type_name, type_name))
        return;
      registry_remove (self, name);
    }
  registry_add (self, name, type_name, url, owner);
}

static GVariant *
registry_table (GroRegistryHost *self)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  Entry *entry;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    g_variant_builder_add (&builder, "(sss)", entry->name, entry->type_name, entry->url);
  return g_variant_builder_end (&builder);
}

/* PUBLISH, UNPUBLISH and WATCH from a host's or a node's link. */
gboolean
_gro_registry_host_handle_message (GroRegistryHost  *self,
                                   GroLink          *link,
                                   gboolean          may_publish,
                                   GroMessage       *message,
                                   GError          **error)
{
  const char *peer = gro_link_get_address (link);

  if (message->kind != GRO_MESSAGE_UNPUBLISH && message->serial == 0)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL, "%s sent %s without a serial",
                   peer, gro_message_kind_to_string (message->kind));
      return FALSE;
    }

  switch (message->kind)
    {
    case GRO_MESSAGE_PUBLISH:
      {
        const char *name, *type_name, *url;
        g_autoptr(GError) refusal = NULL;

        g_variant_get (message->body, "(&s&s&s)", &name, &type_name, &url);
        if (!_gro_registry_check_entry (peer, name, type_name, url, error))
          return FALSE;

        gro_link_count_request (link);
        if (!may_publish)
          refusal = g_error_new (GRO_ERROR, GRO_ERROR_PERMISSION_DENIED,
                                 "This registry lets %s look sources up, not publish them",
                                 peer);
        if (refusal != NULL || !registry_may_add (self, name, link, &refusal))
          {
            g_debug ("Registry: refusing '%s' from %s: %s", name, peer, refusal->message);
            gro_link_send_error (link, message->serial, refusal);
            return TRUE;
          }
        registry_put (self, name, type_name, url, link);
        gro_link_send (link, GRO_MESSAGE_REPLY, 0, 0, message->serial,
                       g_variant_new_variant (g_variant_new ("()")));
        return TRUE;
      }

    case GRO_MESSAGE_UNPUBLISH:
      {
        const char *name = g_variant_get_string (message->body, NULL);
        Entry *entry = g_hash_table_lookup (self->entries, name);

        /* Only the host that published a name may withdraw it. */
        if (entry != NULL && entry->owner == link)
          registry_remove (self, name);
        return TRUE;
      }

    case GRO_MESSAGE_WATCH:
      gro_link_count_request (link);
      if (!g_ptr_array_find (self->watchers, link, NULL))
        g_ptr_array_add (self->watchers, link);
      gro_link_send (link, GRO_MESSAGE_REPLY, 0, 0, message->serial,
                     g_variant_new_variant (registry_table (self)));
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/* A host that goes away takes its sources with it. */
void
_gro_registry_host_link_closed (GroRegistryHost *self,
                                GroLink         *link)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  Entry *entry;

  g_ptr_array_remove_fast (self->watchers, link);
  if (!g_hash_table_contains (self->counts, link))
    return;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->owner == link)
      g_ptr_array_add (names, g_strdup (entry->name));
  for (guint i = 0; i < names->len; i++)
    registry_remove (self, names->pdata[i]);
}

/* The registry's own sources. */
gboolean
_gro_registry_host_publish_local (GroRegistryHost  *self,
                                  const char       *name,
                                  const char       *type_name,
                                  const char       *url,
                                  GError          **error)
{
  if (!registry_may_add (self, name, NULL, error))
    return FALSE;
  registry_put (self, name, type_name, url, NULL);
  return TRUE;
}

void
_gro_registry_host_unpublish_local (GroRegistryHost *self,
                                    const char      *name)
{
  Entry *entry = g_hash_table_lookup (self->entries, name);

  if (entry != NULL && entry->owner == NULL)
    registry_remove (self, name);
}

/**
 * gro_registry_host_new:
 * @url: (nullable): the first address to listen on, or %NULL to listen on
 *   none yet
 * @error: return location for a #GError
 *
 * Creates a registry in the thread-default main context, listening on @url,
 * as [ctor@Gro.Host.new] does.
 *
 * Returns: (transfer full): a new #GroRegistryHost, or %NULL with @error set
 *
 * Since: 1.0
 */
GroRegistryHost *
gro_registry_host_new (const char  *url,
                       GError     **error)
{
  g_autoptr(GroRegistryHost) registry = g_object_new (GRO_TYPE_REGISTRY_HOST, NULL);

  if (url != NULL && !gro_host_listen (GRO_HOST (registry), url, error))
    return NULL;

  return g_steal_pointer (&registry);
}

static void
gro_registry_host_finalize (GObject *object)
{
  GroRegistryHost *self = GRO_REGISTRY_HOST (object);

  /* Not in dispose: the host's dispose, which runs after this class's,
   * closes the links, and each closing comes here. */
  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->counts);
  g_ptr_array_unref (self->watchers);

  G_OBJECT_CLASS (gro_registry_host_parent_class)->finalize (object);
}

static void
gro_registry_host_class_init (GroRegistryHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gro_registry_host_finalize;
}

static void
gro_registry_host_init (GroRegistryHost *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) entry_free);
  self->counts = g_hash_table_new (NULL, NULL);
  self->watchers = g_ptr_array_new ();
}
