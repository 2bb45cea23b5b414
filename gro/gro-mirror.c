/* gro-mirror.c: a node's copy of one remote source
 *
 * The mirror decodes what the host sends about its source, keeps the values,
 * and tells each replica what changed. Messages are checked against the
 * schema; anything that does not fit is a protocol error, which closes the
 * link.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "gro-dynamic-private.h"
#include "gro-error.h"
#include "gro-list-model-replica-private.h"
#include "gro-mirror-private.h"
#include "gro-replica-private.h"

GroMirror *
gro_mirror_new (GroNode    *node,
                const char *name)
{
  GroMirror *mirror = g_new0 (GroMirror, 1);

  g_ref_count_init (&mirror->ref_count);
  mirror->node = node;
  mirror->name = g_strdup (name);
  mirror->replicas = g_ptr_array_new ();

  return mirror;
}

GroMirror *
gro_mirror_ref (GroMirror *mirror)
{
  g_ref_count_inc (&mirror->ref_count);
  return mirror;
}

static void
free_values (GValue    *values,
             GroSchema *schema)
{
  if (values == NULL)
    return;
  for (guint i = 0; i < schema->n_properties; i++)
    g_value_unset (&values[i]);
  g_free (values);
}

void
gro_mirror_unref (GroMirror *mirror)
{
  if (!g_ref_count_dec (&mirror->ref_count))
    return;

  g_assert (mirror->replicas->len == 0);
  _gro_node_forget_mirror (mirror->node, mirror);

  if (mirror->schema != NULL)
    {
      free_values (mirror->values, mirror->schema);
      gro_schema_unref (mirror->schema);
    }
  g_ptr_array_unref (mirror->replicas);
  _gro_replica_maps_unref (mirror->maps);
  g_clear_pointer (&mirror->parent, gro_mirror_unref);
  g_free (mirror->name);
  g_free (mirror);
}

GType
gro_mirror_get_dynamic_type (GroMirror  *mirror,
                             GError    **error)
{
  if (mirror->dynamic_type != G_TYPE_INVALID)
    return mirror->dynamic_type;

  if (mirror->schema != NULL && mirror->schema->bound)
    mirror->dynamic_type = gro_dynamic_replica_type_for (mirror->schema,
                                                         _gro_node_get_type_budget (mirror->node),
                                                         error);
  else
    mirror->dynamic_type = gro_dynamic_replica_type_new (mirror->name);

  return mirror->dynamic_type;
}

/* The replicas, each with a reference, so that a handler that drops one
 * while we go through them does no harm. Kept on the stack for a few. */
typedef struct
{
  GroReplica **items;
  guint        len;
  GroReplica  *few[8];
} Snapshot;

static void
snapshot_take (GroMirror *mirror,
               Snapshot  *snapshot)
{
  snapshot->len = mirror->replicas->len;
  snapshot->items = snapshot->len <= G_N_ELEMENTS (snapshot->few)
                      ? snapshot->few : g_new (GroReplica *, snapshot->len);
  for (guint i = 0; i < snapshot->len; i++)
    snapshot->items[i] = g_object_ref (mirror->replicas->pdata[i]);
}

static void
snapshot_release (Snapshot *snapshot)
{
  for (guint i = 0; i < snapshot->len; i++)
    g_object_unref (snapshot->items[i]);
  if (snapshot->items != snapshot->few)
    g_free (snapshot->items);
  snapshot->len = 0;
  snapshot->items = snapshot->few;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Snapshot, snapshot_release)

void
gro_mirror_add_replica (GroMirror  *mirror,
                        GroReplica *replica)
{
  g_ptr_array_add (mirror->replicas, replica);

  /* The name is acquired as a list in this node: no object comes for it. */
  if (mirror->is_list)
    {
      g_autoptr(GError) error = g_error_new (GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                                             "'%s' is acquired as a list in this node",
                                             mirror->name);
      _gro_replica_fail (replica, error);
      return;
    }

  /* A replica of a source already in step starts valid; its notifications
   * are held back to the main loop, so its caller can connect to them. */
  if (mirror->active)
    {
      _gro_node_hold (mirror->node);
      _gro_replica_apply_init (replica, NULL, NULL);
      _gro_node_release (mirror->node);
    }
}

void
gro_mirror_remove_replica (GroMirror  *mirror,
                           GroReplica *replica)
{
  g_ptr_array_remove (mirror->replicas, replica);
}

void
gro_mirror_lost (GroMirror *mirror)
{
  g_auto(Snapshot) replicas = { 0 };

  snapshot_take (mirror, &replicas);
  mirror->active = FALSE;

  _gro_node_hold (mirror->node);
  for (guint i = 0; i < replicas.len; i++)
    _gro_replica_source_lost (replicas.items[i]);
  if (mirror->list != NULL)
    _gro_list_model_replica_lost (mirror->list);
  _gro_node_release (mirror->node);
}

/* The object cannot be had here: the host will not send it (an ERROR for
 * it in place of its INIT), or this process cannot represent its schema.
 * The replicas fail with @error, the object is released, and the link
 * stays for the others. */
void
gro_mirror_fail (GroMirror    *mirror,
                 const GError *error)
{
  g_auto(Snapshot) replicas = { 0 };

  snapshot_take (mirror, &replicas);
  mirror->active = FALSE;
  _gro_node_detach_mirror (mirror);
  _gro_node_hold (mirror->node);
  for (guint i = 0; i < replicas.len; i++)
    _gro_replica_fail (replicas.items[i], error);
  _gro_node_release (mirror->node);
}

/* A value the host sends that does not decode is the host breaking the
 * protocol, whatever the codec calls it. */
static void
as_protocol_error (GError **error)
{
  if (error != NULL && *error != NULL)
    {
      (*error)->domain = GRO_ERROR;
      (*error)->code = GRO_ERROR_PROTOCOL;
    }
}

/* The host stopped answering, or answers again: the values may be stale
 * meanwhile, so the replicas are SUSPECT. */
void
gro_mirror_set_responsive (GroMirror *mirror,
                           gboolean   responsive)
{
  g_auto(Snapshot) replicas = { 0 };

  if (!mirror->active)
    return;

  snapshot_take (mirror, &replicas);
  _gro_node_hold (mirror->node);
  for (guint i = 0; i < replicas.len; i++)
    {
      if (responsive)
        _gro_replica_source_back (replicas.items[i]);
      else
        _gro_replica_source_lost (replicas.items[i]);
    }
  _gro_node_release (mirror->node);
}

static gboolean
decode_values (GroSchema  *schema,
               GVariant   *tuple,
               GValue    **out,
               GError    **error)
{
  GValue *values = g_new0 (GValue, schema->n_properties + 1);

  for (guint i = 0; i < schema->n_properties; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (tuple, i);

      if (!gro_value_from_variant (child, &schema->properties[i].type, &values[i], error))
        {
          g_prefix_error (error, "Property '%s': ", schema->properties[i].name);
          for (guint j = 0; j <= i; j++)
            if (G_IS_VALUE (&values[j]))
              g_value_unset (&values[j]);
          g_free (values);
          return FALSE;
        }
    }

  *out = values;
  return TRUE;
}

static gboolean
handle_init (GroMirror   *mirror,
             GroMessage  *message,
             GError     **error)
{
  g_autoptr(GroSchema) schema = NULL;
  g_autoptr(GroSchema) old_schema = NULL;
  g_autoptr(GVariant) maybe_schema = NULL;
  g_autoptr(GVariant) tuple = NULL;
  g_autoptr(GError) bind_error = NULL;
  g_auto(Snapshot) replicas = { 0 };
  GValue *values = NULL;
  GValue *old_values;
  g_autoptr(GVariant) hash_value = NULL;
  g_autoptr(GVariant) boxed = NULL;
  const char *hash;

  /* By child: scanning a format string this long costs more than the rest
   * of a list item's INIT. */
  hash_value = g_variant_get_child_value (message->body, 0);
  hash = g_variant_get_string (hash_value, NULL);
  maybe_schema = g_variant_get_child_value (message->body, 1);
  boxed = g_variant_get_child_value (message->body, 2);
  tuple = g_variant_get_variant (boxed);

  if (g_variant_n_children (maybe_schema) > 0)
    {
      g_autoptr(GVariant) wire = g_variant_get_child_value (maybe_schema, 0);

      schema = gro_schema_new_from_variant_full (wire,
                                                 _gro_node_get_max_schema_members (mirror->node),
                                                 error);
      if (schema == NULL)
        {
          g_prefix_error (error, "Bad schema for the source '%s': ", mirror->name);
          return FALSE;
        }
      if (!g_str_equal (schema->hash, hash))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "The schema of the source '%s' does not match its hash", mirror->name);
          return FALSE;
        }
    }
  else if (mirror->schema != NULL && g_str_equal (mirror->schema->hash, hash))
    schema = gro_schema_ref (mirror->schema);
  else
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The source '%s' was sent without a schema this node knows", mirror->name);
      return FALSE;
    }

  if (!g_variant_is_of_type (tuple, schema->values_type))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The values of the source '%s' do not match its schema", mirror->name);
      return FALSE;
    }

  /* A schema this process cannot represent is not the host's fault. */
  if (!gro_schema_bind (schema, _gro_node_get_type_budget (mirror->node), &bind_error))
    {
      gro_mirror_fail (mirror, bind_error);
      return TRUE;
    }

  snapshot_take (mirror, &replicas);

  if (!decode_values (schema, tuple, &values, error))
    {
      g_prefix_error (error, "Bad values for the source '%s': ", mirror->name);
      as_protocol_error (error);
      return FALSE;
    }

  old_values = g_steal_pointer (&mirror->values);
  old_schema = g_steal_pointer (&mirror->schema);
  mirror->schema = gro_schema_ref (schema);
  mirror->values = values;
  mirror->active = TRUE;

  if (mirror->dynamic_type != G_TYPE_INVALID)
    {
      const GroReplicaClassInfo *info = _gro_replica_class_info (mirror->dynamic_type);

      if (info == NULL)
        gro_dynamic_replica_type_install (mirror->dynamic_type, schema);
      else if (info->schema != schema &&
               !g_str_equal (info->schema->hash, schema->hash))
        mirror->dynamic_type = G_TYPE_INVALID;  /* new acquires need a new class */
    }

  /* No handler runs until every replica has seen the new values. */
  _gro_node_hold (mirror->node);
  for (guint i = 0; i < replicas.len; i++)
    _gro_replica_apply_init (replicas.items[i], old_values, old_schema);
  _gro_node_release (mirror->node);

  if (old_schema != NULL)
    free_values (old_values, old_schema);

  return TRUE;
}

static gboolean
handle_property (GroMirror   *mirror,
                 GroMessage  *message,
                 GError     **error)
{
  g_autoptr(GVariant) inner = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(Snapshot) replicas = { 0 };
  GroSchemaProperty *prop;
  const guint8 *data;
  gsize size;
  GValue *slot;

  if (mirror->values == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "A property of the source '%s' changed before it was sent", mirror->name);
      return FALSE;
    }
  if (!mirror->active)
    return TRUE;

  if (message->member >= mirror->schema->n_properties)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The source '%s' has no property number %u", mirror->name, message->member);
      return FALSE;
    }

  prop = &mirror->schema->properties[message->member];
  data = gro_message_get_data (message, &size);
  if (!gro_values_from_fixed_body (data, size, gro_value_type_wire_type (&prop->type),
                                   &prop->type, 1, &value) &&
      !gro_value_from_variant ((inner = gro_message_dup_boxed (message)),
                               &prop->type, &value, error))
    {
      g_prefix_error (error, "Bad value for the property '%s' of the source '%s': ",
                      prop->name, mirror->name);
      as_protocol_error (error);
      return FALSE;
    }

  slot = &mirror->values[message->member];
  if (gro_value_equal (slot, &value))
    return TRUE;

  g_value_unset (slot);
  *slot = value;
  value = (GValue) G_VALUE_INIT;

  snapshot_take (mirror, &replicas);
  for (guint i = 0; i < replicas.len; i++)
    _gro_replica_apply_property (replicas.items[i], message->member);

  return TRUE;
}

static gboolean
handle_signal (GroMirror   *mirror,
               GroMessage  *message,
               GError     **error)
{
  g_autoptr(GVariant) args = NULL;
  g_auto(Snapshot) replicas = { 0 };
  GroSchemaSignal *sig;
  GValue few[8] = { G_VALUE_INIT };
  const guint8 *data;
  gsize size;
  GValue *values;
  gboolean ok = TRUE;

  if (mirror->schema == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The source '%s' emitted a signal before it was sent", mirror->name);
      return FALSE;
    }
  if (!mirror->active)
    return TRUE;

  if (message->member >= mirror->schema->n_signals)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                   "The source '%s' has no signal number %u", mirror->name, message->member);
      return FALSE;
    }

  sig = &mirror->schema->signals[message->member];
  values = sig->n_args <= G_N_ELEMENTS (few) ? few : g_new0 (GValue, sig->n_args);
  data = gro_message_get_data (message, &size);
  if (!gro_values_from_fixed_body (data, size, sig->args_type, sig->args, sig->n_args, values))
    {
      args = gro_message_dup_boxed (message);
      if (!g_variant_is_of_type (args, sig->args_type))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL,
                       "The arguments of the signal '%s' of the source '%s' have type %s",
                       sig->name, mirror->name, g_variant_get_type_string (args));
          ok = FALSE;
        }
      for (guint i = 0; ok && i < sig->n_args; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (args, i);

          ok = gro_value_from_variant (child, &sig->args[i], &values[i], error);
          if (!ok)
            {
              g_prefix_error (error, "Bad argument for the signal '%s' of the source '%s': ",
                              sig->name, mirror->name);
              as_protocol_error (error);
            }
        }
    }

  if (ok)
    {
      snapshot_take (mirror, &replicas);
      for (guint i = 0; i < replicas.len; i++)
        _gro_replica_apply_signal (replicas.items[i], message->member, values);
    }

  for (guint i = 0; i < sig->n_args; i++)
    if (G_IS_VALUE (&values[i]))
      g_value_unset (&values[i]);
  if (values != few)
    g_free (values);

  return ok;
}

/* A list item arrived with @init, the body an INIT for it would have. */
gboolean
gro_mirror_init_item (GroMirror  *mirror,
                      GVariant   *init,
                      GError    **error)
{
  GroMessage message = { .kind = GRO_MESSAGE_INIT, .object = mirror->object_id, .body = init };

  return handle_init (mirror, &message, error);
}

gboolean
gro_mirror_handle_message (GroMirror   *mirror,
                           GroMessage  *message,
                           GError     **error)
{
  G_GNUC_UNUSED g_autoptr(GroMirror) hold = gro_mirror_ref (mirror);

  switch (message->kind)
    {
    case GRO_MESSAGE_INIT:
      return handle_init (mirror, message, error);
    case GRO_MESSAGE_PROPERTY:
      return handle_property (mirror, message, error);
    case GRO_MESSAGE_SIGNAL:
      return handle_signal (mirror, message, error);
    case GRO_MESSAGE_MODEL_INIT:
    case GRO_MESSAGE_MODEL_CHANGED:
    case GRO_MESSAGE_MODEL_ITEMS:
      return _gro_list_model_replica_handle_message (mirror, message, error);
    default:
      g_assert_not_reached ();
    }
}
