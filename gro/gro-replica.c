/* gro-replica.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>

#include "gro-codec-private.h"
#include "gro-context-private.h"
#include "gro-enum-types.h"
#include "gro-error.h"
#include "gro-frame-private.h"
#include "gro-interface.h"
#include "gro-replica-private.h"

/**
 * GroReplica:
 *
 * A replica is an object in this process that shows a source shared by a
 * [class@Gro.Host] somewhere else: the same properties, the same signals, kept
 * in step by the host's pushes.
 *
 * A dynamic replica, from [method@Gro.Node.acquire_dynamic], is an instance of
 * a class built at run time from the source's schema. Its properties are real
 * GObject properties, so `g_object_get()`, `notify::` and `g_signal_connect()`
 * work on it as on any object, from every language. Writing a writable
 * property sends the write to the source; the replica's value changes when the
 * source's change comes back, so the source stays the single source of truth.
 * Methods of the source (its action signals) are called with
 * [method@Gro.Replica.call_async].
 *
 * A replica belongs to its node's main context: it changes, notifies and emits
 * signals only there. It keeps its node alive.
 *
 * A source member whose name a replica already uses keeps its name for
 * properties (the source's property hides the replica's own, which stays
 * reachable through the accessors such as [method@Gro.Replica.get_state]) and
 * is renamed `source-NAME` for signals.
 *
 * Since: 1.0
 */

typedef struct
{
  GroNode          *node;
  char             *name;
  GroMirror        *mirror;
  GroReplicaState   state;
  gboolean          constructed;
  GError           *error;        /* why SIGNATURE_MISMATCH */

  /* How this replica's members meet the source's, shared by the replicas
   * of one class of the mirror (mirror->maps). */
  GroReplicaMaps   *maps;

  GSList           *waiters;      /* Waiter *, until VALID or SIGNATURE_MISMATCH */

  /* Calls with a timeout, earliest deadline first; one timer for them all,
   * not one GSource per call. */
  GQueue            deadlines;    /* Call *, not owned */
  GSource          *deadline_source;
} GroReplicaPrivate;

typedef struct
{
  GroSyncSlot *slot;
  GTask       *task;
  GSource     *cancel_source;
} Waiter;

enum {
  PROP_0,
  PROP_NODE,
  PROP_NAME,
  PROP_STATE,
  N_PROPS
};

enum {
  INITIALIZED,
  STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static GQuark class_info_quark;

G_DEFINE_TYPE_WITH_PRIVATE (GroReplica, gro_replica, G_TYPE_OBJECT)

#define DEFAULT_TIMEOUT_MS 25000

const GroReplicaClassInfo *
_gro_replica_class_info (GType type)
{
  return g_type_get_qdata (type, class_info_quark);
}

void
_gro_replica_set_class_info (GType                type,
                             GroReplicaClassInfo *info)
{
  /* Not g_param_spec_get_default_value(): its first call for each property
   * wakes futex waiters, a system call per property on every start-up. */
  info->defaults = g_new0 (GValue, info->schema->n_properties);
  for (guint i = 0; i < info->schema->n_properties; i++)
    {
      g_value_init (&info->defaults[i], G_PARAM_SPEC_VALUE_TYPE (info->pspecs[i]));
      g_param_value_set_default (info->pspecs[i], &info->defaults[i]);
    }
  g_type_set_qdata (type, class_info_quark, info);
}

/* ------------------------------------------------------------------------ */
/* Typed replica classes                                                     */

static void
typed_get_property (GObject    *object,
                    guint       prop_id,
                    GValue     *value,
                    GParamSpec *pspec)
{
  const GroReplicaClassInfo *info = _gro_replica_class_info (G_OBJECT_TYPE (object));
  int index = gro_schema_find_property (info->schema, pspec->name);

  if (index < 0)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else
    _gro_replica_get_value (GRO_REPLICA (object), index, value);
}

static void
typed_set_property (GObject      *object,
                    guint         prop_id,
                    const GValue *value,
                    GParamSpec   *pspec)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (GRO_REPLICA (object));
  const GroReplicaClassInfo *info = _gro_replica_class_info (G_OBJECT_TYPE (object));
  int index = gro_schema_find_property (info->schema, pspec->name);

  if (index < 0)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (priv->constructed)
    _gro_replica_write_value (GRO_REPLICA (object), index, value);
  /* else g_object_new() setting a construct property to its default: the
   * source's value is what counts, and it is not known yet. */
}

static guint
find_class_signal (GType       type,
                   const char *name)
{
  g_autofree GType *ifaces = NULL;
  guint n_ifaces;
  guint id = g_signal_lookup (name, type);

  ifaces = g_type_interfaces (type, &n_ifaces);
  for (guint i = 0; id == 0 && i < n_ifaces; i++)
    id = g_signal_lookup (name, ifaces[i]);

  return id;
}

/* Runs in class_init, when the class cannot be peeked yet. */
static GroReplicaClassInfo *
typed_class_info_new (GObjectClass *klass,
                      const char   *text,
                      GError      **error)
{
  GType type = G_TYPE_FROM_CLASS (klass);
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GroSchema) schema = NULL;
  GroReplicaClassInfo *info;

  variant = g_variant_parse (G_VARIANT_TYPE (GRO_SCHEMA_TYPE_STRING), text, NULL, NULL, error);
  if (variant == NULL)
    return NULL;
  schema = gro_schema_new_from_variant (variant, error);
  if (schema == NULL || !gro_schema_bind (schema, NULL, error))
    return NULL;

  info = g_new0 (GroReplicaClassInfo, 1);
  info->typed = TRUE;
  info->pspecs = g_new0 (GParamSpec *, schema->n_properties + 1);
  info->signal_ids = g_new0 (guint, schema->n_signals + 1);
  for (guint i = 0; i < schema->n_properties; i++)
    {
      const GroSchemaProperty *prop = &schema->properties[i];
      GParamSpec *pspec = g_object_class_find_property (klass, prop->name);

      if (pspec == NULL || pspec->value_type != prop->type.gtype ||
          pspec->owner_type == GRO_TYPE_REPLICA)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                       "The class has no property '%s' of type %s", prop->name, prop->type.name);
          goto fail;
        }
      info->pspecs[i] = pspec;
    }
  for (guint i = 0; i < schema->n_signals; i++)
    {
      info->signal_ids[i] = find_class_signal (type, schema->signals[i].name);
      if (info->signal_ids[i] == 0)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                       "The class has no signal '%s'", schema->signals[i].name);
          goto fail;
        }
    }
  info->schema = g_steal_pointer (&schema);
  return info;

fail:
  g_free (info->pspecs);
  g_free (info->signal_ids);
  g_free (info);
  return NULL;
}

/**
 * gro_replica_class_set_schema: (skip)
 * @klass: the class of a typed replica, in its `class_init`
 * @schema: the schema the class shows: the text of a `GVariant` in the wire
 *   form of schemas (see doc/protocol.md, §5)
 *
 * Makes a subclass of #GroReplica a typed replica class: its instances start
 * in the state %GRO_REPLICA_STATE_DEFAULT with the default values of its
 * properties, show the values of the source's members of the same names once
 * valid, and fail with %GRO_REPLICA_STATE_SIGNATURE_MISMATCH, and a message
 * that says what differs, when the source lacks a member of @schema or has
 * it with another type. Members the source has beyond @schema are ignored.
 *
 * Call it at the end of `class_init`, after the class has installed or
 * overridden a property for each of @schema's properties; it sets the
 * class's `get_property` and `set_property`. The class must also have (or
 * implement an interface with) each of @schema's signals. Code generated by
 * `gro-compiler` does all this; a class that does not fit @schema is a
 * programming error, reported with a critical warning. It is for C: a class
 * made in another language cannot override its interface's properties in
 * its `class_init` the way this needs, so it is not introspected.
 *
 * Since: 1.0
 */
void
gro_replica_class_set_schema (GroReplicaClass *klass,
                              const char      *schema)
{
  GType type;
  GroReplicaClassInfo *info;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GRO_IS_REPLICA_CLASS (klass));
  g_return_if_fail (schema != NULL);

  type = G_TYPE_FROM_CLASS (klass);
  g_return_if_fail (type != GRO_TYPE_REPLICA);

  info = typed_class_info_new (G_OBJECT_CLASS (klass), schema, &error);
  if (info == NULL)
    {
      g_critical ("The replica class %s cannot take its schema: %s",
                  g_type_name (type), error->message);
      return;
    }

  G_OBJECT_CLASS (klass)->get_property = typed_get_property;
  G_OBJECT_CLASS (klass)->set_property = typed_set_property;
  _gro_replica_set_class_info (type, info);
}

/* ------------------------------------------------------------------------ */
/* State                                                                     */

/* A state change, and/or the notifications that go before it: one deferred
 * effect per replica, not one per property. */
typedef struct
{
  GroReplica      *replica;
  GroReplicaState  state;
  GroReplicaState  old_state;
  gboolean         has_state;
  guint            n_bits;      /* local properties to notify, as bits */
  guint8           bits[];
} StateChange;

static void
state_change_free (gpointer data)
{
  StateChange *change = data;

  g_object_unref (change->replica);
  g_free (change);
}

static void
state_change_emit (gpointer data)
{
  StateChange *change = data;

  if (change->n_bits > 0)
    {
      const GroReplicaClassInfo *info = _gro_replica_class_info (G_OBJECT_TYPE (change->replica));

      for (guint i = 0; i < change->n_bits; i++)
        if (change->bits[i / 8] & (1u << (i % 8)))
          g_object_notify_by_pspec (G_OBJECT (change->replica), info->pspecs[i]);
    }
  if (!change->has_state)
    return;
  g_object_notify_by_pspec (G_OBJECT (change->replica), properties[PROP_STATE]);
  g_signal_emit (change->replica, signals[STATE_CHANGED], 0, change->state, change->old_state);
  if (change->state == GRO_REPLICA_STATE_VALID)
    g_signal_emit (change->replica, signals[INITIALIZED], 0);
}

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }
  g_clear_pointer (&waiter->slot, _gro_sync_slot_unref);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
waiter_complete (GroReplica *self,
                 Waiter     *waiter)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  const GError *error = priv->state == GRO_REPLICA_STATE_VALID ? NULL : priv->error;

  if (waiter->slot != NULL)
    _gro_sync_slot_complete (waiter->slot, NULL, error);
  if (waiter->task != NULL)
    _gro_node_return_task (priv->node, waiter->task,
                           error ? NULL : g_object_ref (self),
                           error ? NULL : g_object_unref, error);
  waiter_free (waiter);
}

static StateChange *
state_change_new (GroReplica *self,
                  guint       n_bits)
{
  StateChange *change = g_malloc0 (sizeof (StateChange) + (n_bits + 7) / 8);

  change->replica = g_object_ref (self);
  change->n_bits = n_bits;
  return change;
}

/* Takes @notes (NULL: none), the notifications to send before the change. */
static void
replica_set_state_full (GroReplica      *self,
                        GroReplicaState  state,
                        StateChange     *notes)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  StateChange *change;

  if (priv->state == state)
    {
      if (notes != NULL)
        _gro_node_defer (priv->node, state_change_emit, notes, state_change_free);
      return;
    }

  change = notes != NULL ? notes : state_change_new (self, 0);
  change->has_state = TRUE;
  change->state = state;
  change->old_state = priv->state;
  priv->state = state;

  _gro_node_defer (priv->node, state_change_emit, change, state_change_free);

  if (state == GRO_REPLICA_STATE_VALID || state == GRO_REPLICA_STATE_SIGNATURE_MISMATCH)
    {
      GSList *waiters = g_steal_pointer (&priv->waiters);

      for (GSList *l = waiters; l != NULL; l = l->next)
        waiter_complete (self, l->data);
      g_slist_free (waiters);
    }
}

static void
replica_set_state (GroReplica      *self,
                   GroReplicaState  state)
{
  replica_set_state_full (self, state, NULL);
}

void
_gro_replica_fail (GroReplica   *self,
                   const GError *error)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  if (priv->state == GRO_REPLICA_STATE_SIGNATURE_MISMATCH)
    return;

  g_debug ("Replica of '%s': %s", priv->name, error->message);
  g_clear_error (&priv->error);
  priv->error = g_error_copy (error);
  replica_set_state (self, GRO_REPLICA_STATE_SIGNATURE_MISMATCH);
}

void
_gro_replica_source_lost (GroReplica *self)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  if (priv->state == GRO_REPLICA_STATE_VALID)
    replica_set_state (self, GRO_REPLICA_STATE_SUSPECT);
}

/* The host answers again after a silence: nothing was lost, only late. */
void
_gro_replica_source_back (GroReplica *self)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  if (priv->state == GRO_REPLICA_STATE_SUSPECT && priv->mirror != NULL &&
      priv->mirror->active && priv->mirror->nlink != NULL)
    replica_set_state (self, GRO_REPLICA_STATE_VALID);
}

/* ------------------------------------------------------------------------ */
/* Values                                                                    */

static gboolean
same_type (const GroValueType *a,
           const GroValueType *b)
{
  return a->kind == b->kind && a->gtype == b->gtype;
}

struct _GroReplicaMaps
{
  grefcount                  ref_count;
  const GroReplicaClassInfo *info;
  GroSchema                 *schema;            /* the remote one */
  int                       *local_to_remote;   /* per local property */
  int                       *remote_to_local;   /* per remote property */
  guint                     *remote_signals;    /* remote signal -> local signal id */
};

void
_gro_replica_maps_unref (GroReplicaMaps *maps)
{
  if (maps == NULL || !g_ref_count_dec (&maps->ref_count))
    return;
  gro_schema_unref (maps->schema);
  g_free (maps);
}

static GroReplicaMaps *
maps_ref (GroReplicaMaps *maps)
{
  g_ref_count_inc (&maps->ref_count);
  return maps;
}

/* Matches this replica's members to the source's by name. A member the
 * replica shows must still be there with the same type; members the source
 * added are ignored. */
static gboolean
compute_maps (GroReplica                 *self,
              const GroReplicaClassInfo  *info,
              GroSchema                  *remote,
              GroReplicaMaps            **out,
              GError                    **error)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  GroSchema *local = info->schema;
  g_autofree GroReplicaMaps *maps = g_malloc0 (sizeof (GroReplicaMaps) +
                                               (local->n_properties + 1) * sizeof (int) +
                                               (remote->n_properties + 1) * sizeof (int) +
                                               (remote->n_signals + 1) * sizeof (guint));
  int *l2r = (int *) (maps + 1);
  int *r2l = l2r + local->n_properties + 1;
  guint *sigs = (guint *) (r2l + remote->n_properties + 1);

  for (guint j = 0; j < remote->n_properties; j++)
    r2l[j] = -1;

  for (guint i = 0; i < local->n_properties; i++)
    {
      const GroSchemaProperty *mine = &local->properties[i];
      int j = gro_schema_find_property (remote, mine->name);

      if (j < 0)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                       "The source '%s' (%s) no longer has the property '%s'",
                       priv->name, remote->type_name, mine->name);
          return FALSE;
        }
      if (!same_type (&mine->type, &remote->properties[j].type))
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                       "The property '%s' of the source '%s' has type %s, the replica %s",
                       mine->name, priv->name, remote->properties[j].type.name, mine->type.name);
          return FALSE;
        }
      l2r[i] = j;
      r2l[j] = i;
    }

  for (guint i = 0; i < local->n_signals; i++)
    {
      const GroSchemaSignal *mine = &local->signals[i];
      int j = gro_schema_find_signal (remote, mine->name);
      const GroSchemaSignal *theirs;

      if (j < 0)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                       "The source '%s' (%s) no longer has the signal '%s'",
                       priv->name, remote->type_name, mine->name);
          return FALSE;
        }
      theirs = &remote->signals[j];
      if (theirs->n_args != mine->n_args)
        goto signal_mismatch;
      for (guint k = 0; k < mine->n_args; k++)
        if (!same_type (&mine->args[k], &theirs->args[k]))
          goto signal_mismatch;
      sigs[j] = info->signal_ids[i];
      continue;

    signal_mismatch:
      {
        g_autofree char *want = g_variant_type_dup_string (mine->args_type);
        g_autofree char *have = g_variant_type_dup_string (theirs->args_type);

        g_set_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                     "The signal '%s' of the source '%s' has the arguments %s; "
                     "the replica expects %s", mine->name, priv->name, have, want);
        return FALSE;
      }
    }

  for (guint i = 0; i < local->n_methods; i++)
    {
      const GroSchemaMethod *mine = &local->methods[i];
      int j = gro_schema_find_method (remote, mine->name);
      const GroSchemaMethod *theirs;

      if (j < 0)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                       "The source '%s' (%s) no longer has the method '%s'",
                       priv->name, remote->type_name, mine->name);
          return FALSE;
        }
      theirs = &remote->methods[j];
      if (theirs->n_args != mine->n_args || theirs->has_return != mine->has_return ||
          (mine->has_return && !same_type (&mine->ret, &theirs->ret)))
        goto method_mismatch;
      for (guint k = 0; k < mine->n_args; k++)
        if (!same_type (&mine->args[k], &theirs->args[k]))
          goto method_mismatch;
      continue;

    method_mismatch:
      {
        g_autofree char *want = g_variant_type_dup_string (mine->args_type);
        g_autofree char *have = g_variant_type_dup_string (theirs->args_type);
        g_autofree char *want_ret = g_variant_type_dup_string (mine->ret_type);
        g_autofree char *have_ret = g_variant_type_dup_string (theirs->ret_type);

        g_set_error (error, GRO_ERROR, GRO_ERROR_SIGNATURE_MISMATCH,
                     "The method '%s' of the source '%s' takes %s and returns %s; "
                     "the replica expects %s returning %s",
                     mine->name, priv->name, have, have_ret, want, want_ret);
        return FALSE;
      }
    }

  g_ref_count_init (&maps->ref_count);
  maps->info = info;
  maps->schema = gro_schema_ref (remote);
  maps->local_to_remote = l2r;
  maps->remote_to_local = r2l;
  maps->remote_signals = sigs;
  *out = g_steal_pointer (&maps);
  return TRUE;
}

static const GValue *
shown_value (const GroReplicaClassInfo *info,
             guint                      local_index,
             const int                 *local_to_remote,
             const GValue              *values)
{
  if (values != NULL && local_to_remote != NULL && local_to_remote[local_index] >= 0)
    return &values[local_to_remote[local_index]];
  return &info->defaults[local_index];
}

/* The mirror has taken new values, and maybe a new schema, from an INIT;
 * @old_values and @old_schema are what it had before (NULL at first). */
void
_gro_replica_apply_init (GroReplica   *self,
                         const GValue *old_values,
                         GroSchema    *old_schema)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  GroMirror *mirror = priv->mirror;
  const GroReplicaClassInfo *info = _gro_replica_class_info (G_OBJECT_TYPE (self));
  GroReplicaMaps *maps = NULL;
  g_autoptr(GError) error = NULL;
  StateChange *notes = NULL;

  if (priv->state == GRO_REPLICA_STATE_SIGNATURE_MISMATCH)
    return;

  g_assert (info != NULL);
  g_assert (mirror->schema != NULL && mirror->values != NULL);

  if (mirror->maps != NULL && mirror->maps->info == info &&
      mirror->maps->schema == mirror->schema)
    maps = maps_ref (mirror->maps);
  else if (compute_maps (self, info, mirror->schema, &maps, &error))
    {
      _gro_replica_maps_unref (mirror->maps);
      mirror->maps = maps_ref (maps);
    }
  else
    {
      _gro_replica_fail (self, error);
      return;
    }

  /* Notify what changed from what the replica showed before. */
  for (guint i = 0; i < info->schema->n_properties; i++)
    {
      const GValue *before = shown_value (info, i,
                                          priv->maps != NULL && priv->maps->schema == old_schema
                                          ? priv->maps->local_to_remote : NULL,
                                          old_values);
      const GValue *after = shown_value (info, i, maps->local_to_remote, mirror->values);

      if (!gro_value_equal (before, after))
        {
          if (notes == NULL)
            notes = state_change_new (self, info->schema->n_properties);
          notes->bits[i / 8] |= 1u << (i % 8);
        }
    }

  _gro_replica_maps_unref (priv->maps);
  priv->maps = maps;

  replica_set_state_full (self, GRO_REPLICA_STATE_VALID, notes);
}

void
_gro_replica_apply_property (GroReplica *self,
                             guint       remote_index)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  const GroReplicaClassInfo *info;
  int local;

  if (priv->state != GRO_REPLICA_STATE_VALID)
    return;

  local = priv->maps->remote_to_local[remote_index];
  if (local < 0)
    return;

  info = _gro_replica_class_info (G_OBJECT_TYPE (self));
  _gro_node_notify (priv->node, G_OBJECT (self), info->pspecs[local]);
}

void
_gro_replica_apply_signal (GroReplica   *self,
                           guint         remote_index,
                           const GValue *args)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  guint signal_id;

  if (priv->state != GRO_REPLICA_STATE_VALID)
    return;

  signal_id = priv->maps->remote_signals[remote_index];
  if (signal_id != 0)
    _gro_node_emit (priv->node, G_OBJECT (self), signal_id, args,
                    priv->maps->schema->signals[remote_index].n_args);
}

void
_gro_replica_get_value (GroReplica *self,
                        guint       local_index,
                        GValue     *value)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  const GroReplicaClassInfo *info = _gro_replica_class_info (G_OBJECT_TYPE (self));
  const GValue *shown = NULL;

  g_return_if_fail (info != NULL && local_index < info->schema->n_properties);

  if (priv->mirror != NULL && priv->maps != NULL && priv->maps->schema == priv->mirror->schema)
    shown = shown_value (info, local_index, priv->maps->local_to_remote, priv->mirror->values);
  else
    shown = &info->defaults[local_index];

  g_value_copy (shown, value);
}

/* ------------------------------------------------------------------------ */
/* Calls                                                                     */

typedef void (*CallDone) (GVariant     *result,
                          const GError *error,
                          gpointer      user_data);

typedef struct
{
  grefcount       ref_count;
  GroReplica     *replica;
  GroLink        *link;
  guint32         serial;
  GroSchema      *schema;       /* where reply_type and member_name live */
  const GVariantType *reply_type;
  const char     *member_name;
  gboolean        is_write;
  gint64          deadline;     /* monotonic µs, or G_MAXINT64 */
  GList          *deadline_link;/* in the replica's deadlines */
  GSource        *cancel_source;
  CallDone        done;
  gpointer        done_data;
  GDestroyNotify  done_destroy;
  gboolean        finished;
} Call;

static Call *
call_ref (Call *call)
{
  g_ref_count_inc (&call->ref_count);
  return call;
}

static void
call_unref (Call *call)
{
  if (!g_ref_count_dec (&call->ref_count))
    return;

  g_assert (call->finished);
  g_object_unref (call->replica);
  gro_link_unref (call->link);
  gro_schema_unref (call->schema);
  g_free (call);
}

/* "call of method 'add' of 'calc'", for messages; made only when needed. */
static char *
call_describe (Call *call)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (call->replica);

  return g_strdup_printf (call->is_write ? "write of property '%s' of '%s'"
                                         : "call of method '%s' of '%s'",
                          call->member_name, priv->name);
}

static void call_on_timeout (Call *call);

static gboolean
on_deadline (gpointer user_data)
{
  GroReplica *self = user_data;
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  gint64 now = g_get_monotonic_time ();
  Call *head;

  g_object_ref (self);
  while ((head = g_queue_peek_head (&priv->deadlines)) != NULL && head->deadline <= now)
    call_on_timeout (head);  /* takes it off the queue */
  if (priv->deadline_source != NULL)
    g_source_set_ready_time (priv->deadline_source, head ? head->deadline : -1);
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
deadline_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs deadline_funcs = {
  .dispatch = deadline_dispatch,
};

static void
deadline_add (GroReplica *self,
              Call       *call)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  GList *after = priv->deadlines.tail;

  /* Timeouts are usually the same, so deadlines mostly come in order. */
  while (after != NULL && ((Call *) after->data)->deadline > call->deadline)
    after = after->prev;
  if (after == NULL)
    g_queue_push_head (&priv->deadlines, call);
  else
    g_queue_insert_after (&priv->deadlines, after, call);
  call->deadline_link = after == NULL ? priv->deadlines.head : after->next;

  if (priv->deadline_source == NULL)
    {
      priv->deadline_source = g_source_new (&deadline_funcs, sizeof (GSource));
      g_source_set_callback (priv->deadline_source, on_deadline, self, NULL);
      g_source_set_name (priv->deadline_source, "[gro] call timeouts");
      g_source_attach (priv->deadline_source, gro_node_get_context (priv->node));
    }
  if (priv->deadlines.head == call->deadline_link)
    g_source_set_ready_time (priv->deadline_source, call->deadline);
}

static void
deadline_remove (Call *call)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (call->replica);
  gboolean was_head = priv->deadlines.head == call->deadline_link;

  g_queue_delete_link (&priv->deadlines, g_steal_pointer (&call->deadline_link));
  if (was_head && priv->deadline_source != NULL)
    {
      Call *head = g_queue_peek_head (&priv->deadlines);

      g_source_set_ready_time (priv->deadline_source, head ? head->deadline : -1);
    }
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Ends the call once, whichever comes first: the reply, the link closing,
 * the timeout or the cancellation. */
static void
call_finish (Call         *call,
             GVariant     *result,
             const GError *error,
             gboolean      from_link)
{
  if (call->finished)
    return;
  call->finished = TRUE;

  if (call->deadline_link != NULL)
    deadline_remove (call);
  destroy_source (&call->cancel_source);
  if (!from_link)
    gro_link_forget_call (call->link, call->serial);

  call->done (result, error, call->done_data);
  if (call->done_destroy != NULL)
    call->done_destroy (call->done_data);

  call_unref (call);
}

static void
call_on_reply (GVariant     *result,
               const GError *error,
               gpointer      user_data)
{
  Call *call = user_data;

  if (result != NULL && !g_variant_is_of_type (result, call->reply_type))
    {
      g_autoptr(GError) wrong = NULL;
      g_autofree char *expected = g_variant_type_dup_string (call->reply_type);
      g_autofree char *what = call_describe (call);

      wrong = g_error_new (GRO_ERROR, GRO_ERROR_PROTOCOL,
                           "The reply to the %s has type %s, not %s",
                           what, g_variant_get_type_string (result), expected);
      call_finish (call, NULL, wrong, TRUE);
      return;
    }

  call_finish (call, result, error, TRUE);
}

static void
call_on_timeout (Call *call)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *what = call_describe (call);

  error = g_error_new (GRO_ERROR, GRO_ERROR_TIMED_OUT, "The %s timed out", what);
  call_ref (call);
  call_finish (call, NULL, error, FALSE);
  call_unref (call);
}

static gboolean
call_on_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *what = call_describe (call);

  error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The %s was cancelled", what);
  call_finish (call, NULL, error, FALSE);

  return G_SOURCE_REMOVE;
}

static gboolean
replica_check_valid (GroReplica  *self,
                     GError     **error)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  if (priv->node == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE,
                   "This replica was not made by a GroNode");
      return FALSE;
    }

  if (priv->state != GRO_REPLICA_STATE_VALID || priv->mirror->nlink == NULL ||
      !gro_link_is_open (priv->mirror->nlink->link))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (GRO_TYPE_REPLICA_STATE);

      g_set_error (error, GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE,
                   "The replica of '%s' is not connected to its source (state %s)",
                   priv->name, g_enum_get_value (klass, priv->state)->value_nick);
      return FALSE;
    }

  if (gro_link_get_n_pending (priv->mirror->nlink->link) >=
      _gro_node_get_max_calls_in_flight (priv->node))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                   "Too many calls in flight to the host of '%s' (the limit is %u)",
                   priv->name, _gro_node_get_max_calls_in_flight (priv->node));
      return FALSE;
    }

  return TRUE;
}

/* Sends @kind for @member of the source and returns the call in flight.
 * @body is consumed (a full or a floating reference). */
static Call *
call_start (GroReplica         *self,
            GroMessageKind      kind,
            guint               member,
            GVariant           *body,
            const GVariantType *reply_type,
            const char         *member_name,
            gboolean            is_write,
            int                 timeout_ms,
            GCancellable       *cancellable,
            CallDone            done,
            gpointer            done_data,
            GDestroyNotify      done_destroy)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  GMainContext *context = gro_node_get_context (priv->node);
  guint64 small[32];
  gsize size;
  Call *call;

  call = g_new0 (Call, 1);
  g_ref_count_init (&call->ref_count);
  call->replica = g_object_ref (self);
  call->link = gro_link_ref (priv->mirror->nlink->link);
  call->schema = gro_schema_ref (priv->mirror->schema);
  call->reply_type = reply_type;
  call->member_name = member_name;
  call->is_write = is_write;
  call->done = done;
  call->done_data = done_data;
  call->done_destroy = done_destroy;

  if (g_variant_is_floating (body))
    g_variant_ref_sink (body);
  /* Most bodies are small: serialised on the stack, straight into the frame. */
  size = gro_variant_store_boxed (body, (guint8 *) small, sizeof small);
  if (size > 0)
    call->serial = gro_link_call_data (call->link, kind, priv->mirror->object_id, member,
                                       small, size, call_on_reply, call);
  else
    call->serial = gro_link_call (call->link, kind, priv->mirror->object_id, member,
                                  gro_variant_new_boxed (body), call_on_reply, call);
  g_variant_unref (body);

  if (timeout_ms < 0)
    timeout_ms = DEFAULT_TIMEOUT_MS;
  if (timeout_ms != G_MAXINT)
    {
      call->deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
      deadline_add (self, call);
    }

  if (cancellable != NULL)
    {
      call->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->cancel_source, G_SOURCE_FUNC (call_on_cancelled),
                             call_ref (call), (GDestroyNotify) call_unref);
      g_source_attach (call->cancel_source, context);
    }

  return call;
}

static Call *
method_call_start (GroReplica    *self,
                   const char    *method,
                   GVariant      *parameters,
                   int            timeout_ms,
                   GCancellable  *cancellable,
                   CallDone       done,
                   gpointer       done_data,
                   GDestroyNotify done_destroy,
                   GError       **error)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  g_autoptr(GVariant) args = NULL;
  GroSchemaMethod *info;
  GVariant *fitted;
  int index;

  if (parameters == NULL)
    parameters = g_variant_new ("()");
  args = g_variant_ref_sink (parameters);

  /* Already cancelled: nothing may reach the source. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!replica_check_valid (self, error))
    return NULL;

  index = gro_schema_find_method (priv->mirror->schema, method);
  if (index < 0)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_UNKNOWN_METHOD,
                   "The source '%s' (%s) has no method '%s'",
                   priv->name, priv->mirror->schema->type_name, method);
      return NULL;
    }
  info = &priv->mirror->schema->methods[index];

  fitted = gro_variant_coerce (args, info->args_type);
  if (fitted == NULL)
    {
      g_autofree char *expected = g_variant_type_dup_string (info->args_type);

      g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS,
                   "The method '%s' of '%s' takes %s, not %s",
                   method, priv->name, expected, g_variant_get_type_string (args));
      return NULL;
    }

  return call_start (self, GRO_MESSAGE_CALL, index, fitted, info->ret_type, info->name, FALSE,
                     timeout_ms, cancellable, done, done_data, done_destroy);
}

static void
done_return_task (GVariant     *result,
                  const GError *error,
                  gpointer      user_data)
{
  GTask *task = user_data;
  GroReplica *self = g_task_get_source_object (task);
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  _gro_node_return_task (priv->node, task,
                         result ? g_variant_ref (result) : NULL,
                         (GDestroyNotify) g_variant_unref, error);
}

static void
done_complete_slot (GVariant     *result,
                    const GError *error,
                    gpointer      user_data)
{
  _gro_sync_slot_complete (user_data, result, error);
}

/**
 * gro_replica_call_async:
 * @replica: a #GroReplica
 * @method: the name of a method of the source
 * @parameters: (nullable): a tuple of arguments, or %NULL for none
 * @timeout_ms: how long to wait for the reply, in milliseconds: -1 for the
 *   default (25 seconds), %G_MAXINT for no limit
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the reply arrives, the call fails or
 *   times out
 * @user_data: data for @callback
 *
 * Calls a method of the source: one of its action signals. The arguments are a
 * tuple in the types of the method's schema (see
 * [method@Gro.Replica.get_interface_info]); where the schema has a maybe type
 * for a string, a string array, bytes or a variant, the plain type is accepted
 * too. A floating @parameters is consumed.
 *
 * The call fails at once, with %GRO_ERROR_SOURCE_UNAVAILABLE, when the replica
 * is not valid; a call in flight fails with %GRO_ERROR_DISCONNECTED when the
 * connection drops, never hangs. Errors the source returns keep their domain,
 * code and message.
 *
 * Since: 1.0
 */
void
gro_replica_call_async (GroReplica          *replica,
                        const char          *method,
                        GVariant            *parameters,
                        int                  timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Call *call;

  g_return_if_fail (GRO_IS_REPLICA (replica));
  g_return_if_fail (method != NULL);
  g_return_if_fail (parameters == NULL || g_variant_is_of_type (parameters, G_VARIANT_TYPE_TUPLE));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (replica, cancellable, callback, user_data);
  g_task_set_source_tag (task, gro_replica_call_async);

  call = method_call_start (replica, method, parameters, timeout_ms, cancellable,
                            done_return_task, g_object_ref (task), g_object_unref, &error);
  if (call == NULL)
    {
      g_object_unref (task);  /* the reference the call would have held */
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

/**
 * gro_replica_call_finish:
 * @replica: a #GroReplica
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Gro.Replica.call_async].
 *
 * Returns: (transfer full): the result as a tuple: `()` for a method that
 *   returns nothing, else a tuple of one value
 *
 * Since: 1.0
 */
GVariant *
gro_replica_call_finish (GroReplica    *replica,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (GRO_IS_REPLICA (replica), NULL);
  g_return_val_if_fail (g_task_is_valid (result, replica), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gint64
_gro_deadline_from_timeout (int timeout_ms)
{
  if (timeout_ms < 0)
    timeout_ms = DEFAULT_TIMEOUT_MS;
  if (timeout_ms == G_MAXINT)
    return -1;
  return g_get_monotonic_time () + (gint64) timeout_ms * 1000;
}

typedef struct
{
  GroReplica   *replica;
  char         *method;
  GVariant     *parameters;
  int           timeout_ms;
  GCancellable *cancellable;
  GroSyncSlot  *slot;
} RemoteCall;

static void
remote_call_free (gpointer data)
{
  RemoteCall *rc = data;

  g_object_unref (rc->replica);
  g_free (rc->method);
  g_clear_pointer (&rc->parameters, g_variant_unref);
  g_clear_object (&rc->cancellable);
  _gro_sync_slot_unref (rc->slot);
  g_free (rc);
}

/* Runs in the node's thread for a call_sync made from another thread. */
static gboolean
remote_call_start (gpointer data)
{
  RemoteCall *rc = data;
  g_autoptr(GError) error = NULL;
  Call *call;

  call = method_call_start (rc->replica, rc->method, g_steal_pointer (&rc->parameters),
                            rc->timeout_ms, rc->cancellable,
                            done_complete_slot, _gro_sync_slot_ref (rc->slot),
                            (GDestroyNotify) _gro_sync_slot_unref, &error);
  if (call == NULL)
    {
      _gro_sync_slot_unref (rc->slot);  /* the call's reference */
      _gro_sync_slot_complete (rc->slot, NULL, error);
    }

  return G_SOURCE_REMOVE;
}

/* Waits for @slot from a thread that does not run the node. */
static gboolean
slot_wait_other_thread (GroSyncSlot   *slot,
                        gint64         deadline,
                        GError       **error)
{
  gboolean done;

  g_mutex_lock (&slot->mutex);
  while (!slot->done)
    {
      if (deadline < 0)
        g_cond_wait (&slot->cond, &slot->mutex);
      /* A little slack: the node thread times the call out itself. */
      else if (!g_cond_wait_until (&slot->cond, &slot->mutex, deadline + G_TIME_SPAN_SECOND))
        break;
    }
  done = slot->done;
  g_mutex_unlock (&slot->mutex);

  if (!done)
    g_set_error (error, GRO_ERROR, GRO_ERROR_TIMED_OUT,
                 "Timed out: the thread running the node did not answer");
  return done;
}

static GVariant *
slot_take_result (GroSyncSlot  *slot,
                  GError      **error)
{
  if (slot->error != NULL)
    {
      g_propagate_error (error, g_error_copy (slot->error));
      return NULL;
    }
  return slot->result ? g_variant_ref (slot->result) : NULL;
}

/**
 * gro_replica_call_sync:
 * @replica: a #GroReplica
 * @method: the name of a method of the source
 * @parameters: (nullable): a tuple of arguments, or %NULL for none
 * @timeout_ms: how long to wait for the reply, in milliseconds: -1 for the
 *   default (25 seconds), %G_MAXINT for no limit
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Calls a method of the source and waits for the reply. See
 * [method@Gro.Replica.call_async] for the arguments and the errors.
 *
 * This may be called from the thread that runs the replica's node: it then
 * runs the node's connections in a private main context until the reply
 * comes, so it never deadlocks, and nothing else of the caller's runs
 * meanwhile: notifications, signals and other replies that arrive are
 * delivered afterwards, in order, from the node's main context. A
 * [class@Gro.Host] of the same thread is run too, so that it can answer:
 * its sources' handlers may run during the wait. It may also be called from
 * any other thread.
 *
 * Returns: (transfer full): the result as a tuple, or %NULL with @error set
 *
 * Since: 1.0
 */
GVariant *
gro_replica_call_sync (GroReplica    *replica,
                       const char    *method,
                       GVariant      *parameters,
                       int            timeout_ms,
                       GCancellable  *cancellable,
                       GError       **error)
{
  GroReplicaPrivate *priv;
  GroSyncSlot *slot;
  GVariant *result = NULL;
  GMainContext *context;
  gint64 deadline;

  g_return_val_if_fail (GRO_IS_REPLICA (replica), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (parameters == NULL ||
                        g_variant_is_of_type (parameters, G_VARIANT_TYPE_TUPLE), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  priv = gro_replica_get_instance_private (replica);
  if (priv->node == NULL)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      g_set_error (error, GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE,
                   "This replica was not made by a GroNode");
      return NULL;
    }

  deadline = _gro_deadline_from_timeout (timeout_ms);
  context = gro_node_get_context (priv->node);
  slot = _gro_sync_slot_new ();

  if (gro_context_enter (context))
    {
      Call *call;

      call = method_call_start (replica, method, parameters, G_MAXINT, NULL,
                                done_complete_slot, _gro_sync_slot_ref (slot),
                                (GDestroyNotify) _gro_sync_slot_unref, error);
      if (call == NULL)
        _gro_sync_slot_unref (slot);  /* the call's reference */
      else
        {
          g_autoptr(GError) wait_error = NULL;

          call_ref (call);
          if (!_gro_node_wait (priv->node, slot, deadline, cancellable, &wait_error))
            {
              /* Say which call, as the async form does. */
              g_autofree char *what = call_describe (call);
              g_autoptr(GError) why = g_error_new (wait_error->domain, wait_error->code,
                                                   "The %s %s", what,
                                                   g_error_matches (wait_error, G_IO_ERROR,
                                                                    G_IO_ERROR_CANCELLED)
                                                     ? "was cancelled" : "timed out");

              call_finish (call, NULL, why, FALSE);
            }
          call_unref (call);
          result = slot_take_result (slot, error);
        }
      gro_context_leave (context);
    }
  else
    {
      RemoteCall *rc = g_new0 (RemoteCall, 1);

      rc->replica = g_object_ref (replica);
      rc->method = g_strdup (method);
      rc->parameters = parameters ? g_variant_ref_sink (parameters) : NULL;
      rc->timeout_ms = timeout_ms;
      rc->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
      rc->slot = _gro_sync_slot_ref (slot);
      g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, remote_call_start, rc,
                                  remote_call_free);
      if (slot_wait_other_thread (slot, deadline, error))
        result = slot_take_result (slot, error);
    }

  _gro_sync_slot_unref (slot);
  return result;
}

/* ------------------------------------------------------------------------ */
/* Writes                                                                    */

static void
done_log_write (GVariant     *result,
                const GError *error,
                gpointer      user_data)
{
  if (error != NULL)
    g_message ("Writing %s failed: %s", (const char *) user_data, error->message);
}

static gboolean
numeric_value (const GValue *value,
               long double  *out)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_CHAR: *out = g_value_get_schar (value); return TRUE;
    case G_TYPE_UCHAR: *out = g_value_get_uchar (value); return TRUE;
    case G_TYPE_INT: *out = g_value_get_int (value); return TRUE;
    case G_TYPE_UINT: *out = g_value_get_uint (value); return TRUE;
    case G_TYPE_LONG: *out = g_value_get_long (value); return TRUE;
    case G_TYPE_ULONG: *out = g_value_get_ulong (value); return TRUE;
    case G_TYPE_INT64: *out = g_value_get_int64 (value); return TRUE;
    case G_TYPE_UINT64: *out = g_value_get_uint64 (value); return TRUE;
    case G_TYPE_FLOAT: *out = g_value_get_float (value); return TRUE;
    case G_TYPE_DOUBLE: *out = g_value_get_double (value); return TRUE;
    default: return FALSE;
    }
}

/* Converts a value written to a replica to the property's type, refusing
 * what would change it: 3.5 or -1 to a guint, a number to a string. Bindings
 * often hand in a double or a gint64 for any number, so numbers convert
 * when they fit; a float property takes the nearest float. */
static gboolean
convert_exactly (const GValue  *value,
                 GValue        *converted,
                 const char    *property,
                 const char    *source,
                 GError       **error)
{
  long double before, after;

  if (g_value_type_compatible (G_VALUE_TYPE (value), G_VALUE_TYPE (converted)))
    {
      g_value_copy (value, converted);
      return TRUE;
    }

  /* An enumeration or flags by number: the source checks the value. */
  if ((G_VALUE_HOLDS_ENUM (converted) || G_VALUE_HOLDS_FLAGS (converted)) &&
      numeric_value (value, &before) && before == floorl (before) &&
      before >= (G_VALUE_HOLDS_ENUM (converted) ? G_MININT : 0) &&
      before <= (G_VALUE_HOLDS_ENUM (converted) ? G_MAXINT : G_MAXUINT))
    {
      if (G_VALUE_HOLDS_ENUM (converted))
        g_value_set_enum (converted, (int) before);
      else
        g_value_set_flags (converted, (guint) before);
      return TRUE;
    }

  if (!numeric_value (value, &before) || !numeric_value (converted, &after) ||
      !g_value_transform (value, converted))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS,
                   "A %s cannot be written to the property '%s' of '%s', of type %s",
                   G_VALUE_TYPE_NAME (value), property, source, G_VALUE_TYPE_NAME (converted));
      return FALSE;
    }

  numeric_value (converted, &after);
  if (G_VALUE_HOLDS_FLOAT (converted) ? (isfinite (before) && !isfinite (after))
                                      : !(before == after || (isnan (before) && isnan (after))))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_VALUE,
                   "%Lg does not fit the property '%s' of '%s', of type %s",
                   before, property, source, G_VALUE_TYPE_NAME (converted));
      return FALSE;
    }
  return TRUE;
}

static Call *
write_start (GroReplica    *self,
             guint          local_index,
             const GValue  *value,
             GCancellable  *cancellable,
             CallDone       done,
             gpointer       done_data,
             GDestroyNotify done_destroy,
             GError       **error)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  const GroReplicaClassInfo *info = _gro_replica_class_info (G_OBJECT_TYPE (self));
  const char *name = info->schema->properties[local_index].name;
  const GroSchemaProperty *prop;
  g_auto(GValue) converted = G_VALUE_INIT;
  int remote;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!replica_check_valid (self, error))
    return NULL;

  remote = priv->maps->local_to_remote[local_index];
  prop = &priv->mirror->schema->properties[remote];
  if (!(prop->flags & GRO_SCHEMA_PROPERTY_WRITABLE))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_READ_ONLY,
                   "The property '%s' of '%s' is read-only", name, priv->name);
      return NULL;
    }

  g_value_init (&converted, prop->type.gtype);
  if (!convert_exactly (value, &converted, name, priv->name, error))
    return NULL;

  return call_start (self, GRO_MESSAGE_SET_PROPERTY, remote,
                     gro_value_to_variant (&converted, &prop->type),
                     G_VARIANT_TYPE_UNIT, prop->name, TRUE, -1, cancellable,
                     done, done_data, done_destroy);
}

/* From set_property: GObject gives no way to report an error, so a failure
 * is logged; gro_replica_write_property_async() reports it. */
void
_gro_replica_write_value (GroReplica   *self,
                          guint         local_index,
                          const GValue *value)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  const GroReplicaClassInfo *info = _gro_replica_class_info (G_OBJECT_TYPE (self));
  g_autoptr(GError) error = NULL;
  char *description;

  description = g_strdup_printf ("the property '%s' of the replica of '%s'",
                                 info->schema->properties[local_index].name, priv->name);
  if (write_start (self, local_index, value, NULL, done_log_write, description, g_free,
                   &error) == NULL)
    {
      g_message ("Writing %s failed: %s", description, error->message);
      g_free (description);
    }
}

/**
 * gro_replica_write_property_async:
 * @replica: a #GroReplica
 * @name: the name of a property of the source
 * @value: the value to write; it is converted to the property's type
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the source has taken the value or
 *   refused it
 * @user_data: data for @callback
 *
 * Writes a property of the source and reports the outcome. Setting the
 * replica's property with `g_object_set()` does the same, but can only log a
 * failure.
 *
 * The replica's own value changes when the source's change comes back, which
 * happens before @callback runs when the value did change.
 *
 * Since: 1.0
 */
void
gro_replica_write_property_async (GroReplica          *replica,
                                  const char          *name,
                                  const GValue        *value,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GroReplicaPrivate *priv;
  const GroReplicaClassInfo *info;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  int index = -1;

  g_return_if_fail (GRO_IS_REPLICA (replica));
  g_return_if_fail (name != NULL);
  g_return_if_fail (G_IS_VALUE (value));

  priv = gro_replica_get_instance_private (replica);
  task = g_task_new (replica, cancellable, callback, user_data);
  g_task_set_source_tag (task, gro_replica_write_property_async);

  info = _gro_replica_class_info (G_OBJECT_TYPE (replica));
  if (info != NULL)
    index = gro_schema_find_property (info->schema, name);

  if (index < 0)
    {
      if (!replica_check_valid (replica, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, GRO_ERROR, GRO_ERROR_UNKNOWN_PROPERTY,
                                 "The source '%s' has no property '%s'", priv->name, name);
      return;
    }

  if (write_start (replica, index, value, cancellable, done_return_task,
                   g_object_ref (task), g_object_unref, &error) == NULL)
    {
      g_object_unref (task);  /* the reference the write would have held */
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

/**
 * gro_replica_write_property_finish:
 * @replica: a #GroReplica
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Gro.Replica.write_property_async].
 *
 * Returns: %TRUE if the source took the value
 *
 * Since: 1.0
 */
gboolean
gro_replica_write_property_finish (GroReplica    *replica,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_autoptr(GVariant) unit = NULL;

  g_return_val_if_fail (GRO_IS_REPLICA (replica), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, replica), FALSE);

  unit = g_task_propagate_pointer (G_TASK (result), error);
  return unit != NULL;
}

/* ------------------------------------------------------------------------ */
/* Waiting for the source                                                    */

void
_gro_replica_attach (GroReplica *self,
                     GroMirror  *mirror)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  g_assert (priv->mirror == NULL);

  priv->mirror = gro_mirror_ref (mirror);
  gro_mirror_add_replica (mirror, self);
}

static gboolean
waiter_on_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GroReplica *self = user_data;
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  for (GSList *l = priv->waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (waiter->task != NULL && g_task_get_cancellable (waiter->task) == cancellable)
        {
          priv->waiters = g_slist_delete_link (priv->waiters, l);
          g_clear_pointer (&waiter->cancel_source, g_source_unref);  /* being dispatched */
          g_task_return_new_error (waiter->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   "Waiting for the source '%s' was cancelled", priv->name);
          waiter_free (waiter);
          break;
        }
    }

  return G_SOURCE_REMOVE;
}

/* Completes @task with the replica when it is valid, or with an error. */
void
_gro_replica_wait_task (GroReplica *self,
                        GTask      *task)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  GCancellable *cancellable = g_task_get_cancellable (task);
  Waiter *waiter;

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_object_ref (task);

  if (priv->state == GRO_REPLICA_STATE_VALID ||
      priv->state == GRO_REPLICA_STATE_SIGNATURE_MISMATCH)
    {
      waiter_complete (self, waiter);
      return;
    }

  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_on_cancelled),
                             self, NULL);
      g_source_attach (waiter->cancel_source, gro_node_get_context (priv->node));
    }
  priv->waiters = g_slist_prepend (priv->waiters, waiter);
}

static void
remove_slot_waiter (GroReplica  *self,
                    GroSyncSlot *slot)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  for (GSList *l = priv->waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (waiter->slot == slot)
        {
          priv->waiters = g_slist_delete_link (priv->waiters, l);
          waiter_free (waiter);
          return;
        }
    }
}

static void
add_slot_waiter (GroReplica  *self,
                 GroSyncSlot *slot)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->slot = _gro_sync_slot_ref (slot);
  if (priv->state == GRO_REPLICA_STATE_VALID ||
      priv->state == GRO_REPLICA_STATE_SIGNATURE_MISMATCH)
    waiter_complete (self, waiter);
  else
    priv->waiters = g_slist_prepend (priv->waiters, waiter);
}

typedef struct
{
  GroReplica  *replica;
  GroSyncSlot *slot;
  gboolean     add;
} SlotWaiterOp;

static gboolean
slot_waiter_op (gpointer data)
{
  SlotWaiterOp *op = data;

  if (op->add)
    add_slot_waiter (op->replica, op->slot);
  else
    remove_slot_waiter (op->replica, op->slot);

  return G_SOURCE_REMOVE;
}

static void
slot_waiter_op_free (gpointer data)
{
  SlotWaiterOp *op = data;

  g_object_unref (op->replica);
  _gro_sync_slot_unref (op->slot);
  g_free (op);
}

static void
invoke_slot_waiter_op (GroReplica  *self,
                       GroSyncSlot *slot,
                       gboolean     add)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);
  SlotWaiterOp *op = g_new0 (SlotWaiterOp, 1);

  op->replica = g_object_ref (self);
  op->slot = _gro_sync_slot_ref (slot);
  op->add = add;
  g_main_context_invoke_full (gro_node_get_context (priv->node), G_PRIORITY_DEFAULT,
                              slot_waiter_op, op, slot_waiter_op_free);
}

/**
 * gro_replica_wait_for_source:
 * @replica: a #GroReplica
 * @timeout_ms: how long to wait, in milliseconds: -1 for the default
 *   (25 seconds), %G_MAXINT for no limit
 * @error: return location for a #GError
 *
 * Waits until the replica is valid: it has the source's schema and values.
 *
 * Called from the thread that runs the node, it runs the node's connections
 * in a private main context while it waits, so it never deadlocks and runs
 * nothing else of the caller's: the replica's notifications and its
 * [signal@Gro.Replica::initialized] signal are emitted afterwards, from the
 * node's main context. It may also be called from any other thread.
 *
 * Returns: %TRUE when the replica is valid; %FALSE with %GRO_ERROR_TIMED_OUT,
 *   or with %GRO_ERROR_SIGNATURE_MISMATCH and the reason when the source does
 *   not fit the replica
 *
 * Since: 1.0
 */
gboolean
gro_replica_wait_for_source (GroReplica  *replica,
                             int          timeout_ms,
                             GError     **error)
{
  GroReplicaPrivate *priv;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *what = NULL;
  GMainContext *context;
  GroSyncSlot *slot;
  gint64 deadline;
  gboolean ok;

  g_return_val_if_fail (GRO_IS_REPLICA (replica), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  priv = gro_replica_get_instance_private (replica);
  if (priv->node == NULL)
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE,
                   "This replica was not made by a GroNode");
      return FALSE;
    }

  deadline = _gro_deadline_from_timeout (timeout_ms);
  context = gro_node_get_context (priv->node);
  slot = _gro_sync_slot_new ();

  if (gro_context_enter (context))
    {
      add_slot_waiter (replica, slot);
      ok = _gro_node_wait (priv->node, slot, deadline, NULL, &local_error);
      if (!ok)
        remove_slot_waiter (replica, slot);
      gro_context_leave (context);
    }
  else
    {
      invoke_slot_waiter_op (replica, slot, TRUE);
      ok = slot_wait_other_thread (slot, deadline, &local_error);
      if (!ok)
        invoke_slot_waiter_op (replica, slot, FALSE);
    }

  what = g_strdup_printf ("the source '%s'", priv->name);
  return _gro_sync_slot_finish (slot, ok, g_steal_pointer (&local_error), what, error);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                 */

/**
 * gro_replica_get_state:
 * @replica: a #GroReplica
 *
 * Gets the state of the replica.
 *
 * Returns: the state
 *
 * Since: 1.0
 */
GroReplicaState
gro_replica_get_state (GroReplica *replica)
{
  GroReplicaPrivate *priv;

  g_return_val_if_fail (GRO_IS_REPLICA (replica), GRO_REPLICA_STATE_UNINITIALIZED);

  priv = gro_replica_get_instance_private (replica);
  return priv->state;
}

/**
 * gro_replica_is_valid:
 * @replica: a #GroReplica
 *
 * Whether the replica is in the state %GRO_REPLICA_STATE_VALID.
 *
 * Returns: %TRUE if the replica is valid
 *
 * Since: 1.0
 */
gboolean
gro_replica_is_valid (GroReplica *replica)
{
  return gro_replica_get_state (replica) == GRO_REPLICA_STATE_VALID;
}

/**
 * gro_replica_get_name:
 * @replica: a #GroReplica
 *
 * Gets the name of the source this replica shows.
 *
 * Returns: (nullable): the source's name
 *
 * Since: 1.0
 */
const char *
gro_replica_get_name (GroReplica *replica)
{
  GroReplicaPrivate *priv;

  g_return_val_if_fail (GRO_IS_REPLICA (replica), NULL);

  priv = gro_replica_get_instance_private (replica);
  return priv->name;
}

/**
 * gro_replica_get_node:
 * @replica: a #GroReplica
 *
 * Gets the node the replica was acquired from.
 *
 * Returns: (transfer none) (nullable): the node
 *
 * Since: 1.0
 */
GroNode *
gro_replica_get_node (GroReplica *replica)
{
  GroReplicaPrivate *priv;

  g_return_val_if_fail (GRO_IS_REPLICA (replica), NULL);

  priv = gro_replica_get_instance_private (replica);
  return priv->node;
}

static GroSchema *
replica_schema (GroReplica *replica)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (replica);

  if (priv->mirror != NULL && priv->mirror->schema != NULL)
    return priv->mirror->schema;
  return NULL;
}

/**
 * gro_replica_get_type_name:
 * @replica: a #GroReplica
 *
 * Gets the name of the source's type, as its host registered it (for
 * example `DemoThermostat`), once the replica has heard from its source.
 *
 * Returns: (nullable): the source's type name
 *
 * Since: 1.0
 */
const char *
gro_replica_get_type_name (GroReplica *replica)
{
  GroSchema *schema;

  g_return_val_if_fail (GRO_IS_REPLICA (replica), NULL);

  schema = replica_schema (replica);
  return schema ? schema->type_name : NULL;
}

/**
 * gro_replica_get_interface_info:
 * @replica: a #GroReplica
 *
 * Gets the source's schema as the replica last received it: its properties,
 * signals and methods, with the GVariant types they have in calls and
 * results. Each member carries the annotation `org.gtk.Gro.Type`, the GLib
 * type it has at the source (`gint`, `gchararray`, an enumeration's name…).
 *
 * Call it from the thread of the node's main context: the node replaces the
 * schema there when the source comes back with another. The returned info
 * stays valid until then; g_dbus_interface_info_ref() keeps it longer.
 *
 * Returns: (transfer none) (nullable): the source's interface, or %NULL
 *   before the replica has heard from its source
 *
 * Since: 1.0
 */
GDBusInterfaceInfo *
gro_replica_get_interface_info (GroReplica *replica)
{
  GroSchema *schema;

  g_return_val_if_fail (GRO_IS_REPLICA (replica), NULL);

  schema = replica_schema (replica);
  return schema ? gro_schema_get_interface_info (schema) : NULL;
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
gro_replica_constructed (GObject *object)
{
  GroReplicaPrivate *priv = gro_replica_get_instance_private (GRO_REPLICA (object));
  const GroReplicaClassInfo *info = _gro_replica_class_info (G_OBJECT_TYPE (object));

  G_OBJECT_CLASS (gro_replica_parent_class)->constructed (object);

  priv->constructed = TRUE;
  if (info != NULL && info->typed)
    priv->state = GRO_REPLICA_STATE_DEFAULT;
}

static void
gro_replica_dispose (GObject *object)
{
  GroReplica *self = GRO_REPLICA (object);
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  if (priv->mirror != NULL)
    {
      gro_mirror_remove_replica (priv->mirror, self);
      g_clear_pointer (&priv->mirror, gro_mirror_unref);
    }

  g_slist_free_full (g_steal_pointer (&priv->waiters), (GDestroyNotify) waiter_free);
  if (priv->deadline_source != NULL)
    {
      g_source_destroy (priv->deadline_source);
      g_clear_pointer (&priv->deadline_source, g_source_unref);
    }

  G_OBJECT_CLASS (gro_replica_parent_class)->dispose (object);
}

static void
gro_replica_finalize (GObject *object)
{
  GroReplica *self = GRO_REPLICA (object);
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  g_clear_object (&priv->node);
  g_free (priv->name);
  g_clear_error (&priv->error);
  g_clear_pointer (&priv->maps, _gro_replica_maps_unref);

  G_OBJECT_CLASS (gro_replica_parent_class)->finalize (object);
}

static void
gro_replica_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GroReplica *self = GRO_REPLICA (object);
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NODE:
      g_value_set_object (value, priv->node);
      break;
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_replica_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GroReplica *self = GRO_REPLICA (object);
  GroReplicaPrivate *priv = gro_replica_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NODE:
      priv->node = g_value_dup_object (value);
      break;
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gro_replica_class_init (GroReplicaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gro_replica_constructed;
  object_class->dispose = gro_replica_dispose;
  object_class->finalize = gro_replica_finalize;
  object_class->get_property = gro_replica_get_property;
  object_class->set_property = gro_replica_set_property;

  class_info_quark = g_quark_from_static_string ("gro-replica-class-info");

  /**
   * GroReplica:node:
   *
   * The node the replica was acquired from.
   *
   * Since: 1.0
   */
  properties[PROP_NODE] =
    g_param_spec_object ("node", NULL, NULL, GRO_TYPE_NODE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GroReplica:name:
   *
   * The name of the source the replica shows.
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * GroReplica:state:
   *
   * The state of the replica.
   *
   * Since: 1.0
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GRO_TYPE_REPLICA_STATE,
                       GRO_REPLICA_STATE_UNINITIALIZED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GroReplica::initialized:
   * @replica: the replica
   *
   * Emitted each time the replica becomes valid: at first, and again after
   * each reconnection, once all its properties hold the source's values.
   *
   * Since: 1.0
   */
  signals[INITIALIZED] =
    g_signal_new ("initialized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * GroReplica::state-changed:
   * @replica: the replica
   * @state: the new state
   * @old_state: the state before
   *
   * Emitted when the state of the replica changes.
   *
   * Since: 1.0
   */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  GRO_TYPE_REPLICA_STATE, GRO_TYPE_REPLICA_STATE);
}

static void
gro_replica_init (GroReplica *self)
{
}
