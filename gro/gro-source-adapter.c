/* gro-source-adapter.c: a host's side of one shared object
 *
 * The adapter watches its object's notifications and signals and pushes them
 * to every subscribed link, sends INIT to new subscribers, and serves calls
 * and writes. It checks every argument against the schema before the object
 * sees it: a peer can make a call fail, never make the object misbehave.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "gro-context-private.h"
#include "gro-error.h"
#include "gro-interface-private.h"
#include "gro-invocation-private.h"
#include "gro-source-adapter-private.h"

typedef struct
{
  GroLink *link;
  guint32  object_id;
} Subscriber;

struct _GroSourceAdapter
{
  grefcount      ref_count;
  GObject       *object;
  char          *name;
  GroSchema     *schema;
  GMainContext  *context;
  GParamSpec   **pspecs;          /* per schema property */
  guint         *signal_ids;      /* per schema signal */
  guint         *method_ids;      /* per schema method: its action signal, or 0 */
  GroInterfaceMethodFunc *method_funcs;  /* per schema method: its interface's, or NULL */
  GHashTable    *property_index;  /* GParamSpec * -> index + 1 */
  GHashTable    *signal_index;    /* signal id -> index + 1 */
  gulong         notify_handler;
  gulong        *signal_handlers; /* per schema signal */
  GArray        *subscribers;     /* Subscriber */
  gboolean       withdrawn;

  /* Property changes made in other threads wait here for the host's
   * context: one value per property, the latest, so a thread that changes a
   * property faster than the host sends it cannot grow the queue. */
  GMutex         lock;
  GBytes       **waiting;         /* per schema property: a body, or NULL */
};

static guint
find_signal (GType       type,
             const char *name)
{
  g_autofree GType *ifaces = NULL;
  guint n_ifaces;
  guint id = g_signal_lookup (name, type);

  if (id != 0)
    return id;

  ifaces = g_type_interfaces (type, &n_ifaces);
  for (guint i = 0; id == 0 && i < n_ifaces; i++)
    id = g_signal_lookup (name, ifaces[i]);

  return id;
}

/* As the schema does: the first interface that registered @name serves it. */
static GroInterfaceMethodFunc
find_interface_method (GType       type,
                       const char *name)
{
  g_autofree GType *ifaces = NULL;
  guint n_ifaces;

  ifaces = g_type_interfaces (type, &n_ifaces);
  for (guint i = 0; i < n_ifaces; i++)
    {
      const GroInterfaceMethods *methods = _gro_interface_lookup (ifaces[i]);

      for (guint k = 0; methods != NULL && k < methods->n_methods; k++)
        if (g_str_equal (methods->methods[k].name, name))
          return methods->func;
    }

  return NULL;
}

/* Sends a body of @size bytes of @data (serialised, little-endian) to
 * every subscriber. */
static void
broadcast (GroSourceAdapter *adapter,
           GroMessageKind    kind,
           guint             member,
           const guint8     *data,
           gsize             size)
{
  for (guint i = 0; i < adapter->subscribers->len; i++)
    {
      Subscriber *sub = &g_array_index (adapter->subscribers, Subscriber, i);

      if (kind == GRO_MESSAGE_PROPERTY)
        gro_link_send_property_data (sub->link, sub->object_id, member, data, size);
      else
        gro_link_send_data (sub->link, kind, sub->object_id, member, 0, data, size);
    }
}

typedef struct
{
  GroSourceAdapter *adapter;
  GroMessageKind    kind;
  guint             member;
  GBytes           *body;
} Broadcast;

static gboolean
broadcast_later (gpointer data)
{
  Broadcast *b = data;

  if (b->body == NULL)
    {
      g_mutex_lock (&b->adapter->lock);
      b->body = g_steal_pointer (&b->adapter->waiting[b->member]);
      g_mutex_unlock (&b->adapter->lock);
    }
  if (!b->adapter->withdrawn && b->body != NULL)
    broadcast (b->adapter, b->kind, b->member, g_bytes_get_data (b->body, NULL),
               g_bytes_get_size (b->body));
  return G_SOURCE_REMOVE;
}

static void
broadcast_free (gpointer data)
{
  Broadcast *b = data;

  gro_source_adapter_unref (b->adapter);
  g_clear_pointer (&b->body, g_bytes_unref);
  g_free (b);
}

/* Sources may change from any thread; links are used only from the host's.
 * From another thread the body is copied and sent from the host's context,
 * in order. */
static void
push_data (GroSourceAdapter *adapter,
           GroMessageKind    kind,
           guint             member,
           const guint8     *data,
           gsize             size)
{
  Broadcast *b;
  GBytes *body;

  if (gro_context_enter (adapter->context))
    {
      broadcast (adapter, kind, member, data, size);
      gro_context_leave (adapter->context);
      return;
    }

  body = g_bytes_new (data, size);
  if (kind == GRO_MESSAGE_PROPERTY)
    {
      gboolean already_queued;

      g_mutex_lock (&adapter->lock);
      already_queued = adapter->waiting[member] != NULL;
      g_clear_pointer (&adapter->waiting[member], g_bytes_unref);
      adapter->waiting[member] = g_steal_pointer (&body);
      g_mutex_unlock (&adapter->lock);
      if (already_queued)
        return;  /* the broadcast on its way sends the latest value */
    }

  b = g_new (Broadcast, 1);
  b->adapter = gro_source_adapter_ref (adapter);
  b->kind = kind;
  b->member = member;
  b->body = body;  /* NULL for a property: it waits in adapter->waiting */
  g_main_context_invoke_full (adapter->context, G_PRIORITY_DEFAULT,
                              broadcast_later, b, broadcast_free);
}

/* push_data() for a body made the general way; consumes a floating @body. */
static void
push (GroSourceAdapter *adapter,
      GroMessageKind    kind,
      guint             member,
      GVariant         *body)
{
  g_autoptr(GVariant) wire = gro_frame_body_to_wire (kind, body);

  push_data (adapter, kind, member, gro_wire_data (wire), gro_wire_size (wire));
}

static void
on_notify (GObject          *object,
           GParamSpec       *pspec,
           GroSourceAdapter *adapter)
{
  g_auto(GValue) value = G_VALUE_INIT;
  guint8 fixed[GRO_FIXED_BODY_MAX];
  const GroValueType *type;
  gsize size;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (adapter->property_index, pspec));

  if (index == 0 || adapter->subscribers->len == 0)
    return;
  index--;

  type = &adapter->schema->properties[index].type;
  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);
  size = gro_fixed_body_write (&value, type, 1, FALSE, fixed, sizeof fixed);
  if (size > 0)
    push_data (adapter, GRO_MESSAGE_PROPERTY, index, fixed, size);
  else
    push (adapter, GRO_MESSAGE_PROPERTY, index,
          gro_variant_new_boxed (gro_value_to_variant (&value, type)));
}

static void
forward_signal (GClosure     *closure,
                GValue       *return_value,
                guint         n_param_values,
                const GValue *param_values,
                gpointer      invocation_hint,
                gpointer      marshal_data)
{
  GroSourceAdapter *adapter = closure->data;
  GSignalInvocationHint *hint = invocation_hint;
  g_autofree GVariant **args = NULL;
  guint8 fixed[GRO_FIXED_BODY_MAX];
  const GroSchemaSignal *sig;
  gsize size;
  guint index;

  index = GPOINTER_TO_UINT (g_hash_table_lookup (adapter->signal_index,
                                                 GUINT_TO_POINTER (hint->signal_id)));
  if (index == 0 || adapter->subscribers->len == 0)
    return;
  index--;

  sig = &adapter->schema->signals[index];
  g_assert (n_param_values == sig->n_args + 1);

  size = gro_fixed_body_write (&param_values[1], sig->args, sig->n_args, TRUE,
                               fixed, sizeof fixed);
  if (size > 0)
    {
      push_data (adapter, GRO_MESSAGE_SIGNAL, index, fixed, size);
      return;
    }

  args = g_new (GVariant *, sig->n_args + 1);
  for (guint i = 0; i < sig->n_args; i++)
    args[i] = gro_value_to_variant (&param_values[i + 1], &sig->args[i]);

  push (adapter, GRO_MESSAGE_SIGNAL, index,
        sig->n_args == 1 ? gro_variant_new_single (args[0])
                         : g_variant_new_variant (g_variant_new_tuple (args, sig->n_args)));
}

GroSourceAdapter *
gro_source_adapter_new (GObject       *object,
                        const char    *name,
                        GMainContext  *context,
                        guint          max_members,
                        GError       **error)
{
  g_autoptr(GroSchema) schema = NULL;

  schema = gro_schema_new_for_type_full (G_OBJECT_TYPE (object), max_members, error);
  if (schema == NULL)
    return NULL;

  return gro_source_adapter_new_for_schema (object, name, schema, context);
}

/* For many objects of one type (list items), whose schema is made once. */
GroSourceAdapter *
gro_source_adapter_new_for_schema (GObject      *object,
                                   const char   *name,
                                   GroSchema    *schema,
                                   GMainContext *context)
{
  GroSourceAdapter *adapter;
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);
  GType type = G_OBJECT_TYPE (object);

  adapter = g_new0 (GroSourceAdapter, 1);
  g_ref_count_init (&adapter->ref_count);
  adapter->object = g_object_ref (object);
  adapter->name = g_strdup (name);
  adapter->schema = gro_schema_ref (schema);
  adapter->context = g_main_context_ref (context);
  adapter->subscribers = g_array_new (FALSE, FALSE, sizeof (Subscriber));
  adapter->property_index = g_hash_table_new (NULL, NULL);
  adapter->signal_index = g_hash_table_new (NULL, NULL);

  g_mutex_init (&adapter->lock);
  adapter->waiting = g_new0 (GBytes *, adapter->schema->n_properties + 1);
  adapter->pspecs = g_new0 (GParamSpec *, adapter->schema->n_properties + 1);
  for (guint i = 0; i < adapter->schema->n_properties; i++)
    {
      adapter->pspecs[i] = g_object_class_find_property (klass, adapter->schema->properties[i].name);
      g_assert (adapter->pspecs[i] != NULL);
      g_hash_table_insert (adapter->property_index, adapter->pspecs[i], GUINT_TO_POINTER (i + 1));
    }

  adapter->signal_ids = g_new0 (guint, adapter->schema->n_signals + 1);
  adapter->signal_handlers = g_new0 (gulong, adapter->schema->n_signals + 1);
  for (guint i = 0; i < adapter->schema->n_signals; i++)
    {
      GClosure *closure;

      adapter->signal_ids[i] = find_signal (type, adapter->schema->signals[i].name);
      g_assert (adapter->signal_ids[i] != 0);
      g_hash_table_insert (adapter->signal_index, GUINT_TO_POINTER (adapter->signal_ids[i]),
                           GUINT_TO_POINTER (i + 1));

      closure = g_closure_new_simple (sizeof (GClosure), adapter);
      g_closure_set_marshal (closure, forward_signal);
      adapter->signal_handlers[i] = g_signal_connect_closure_by_id (object, adapter->signal_ids[i],
                                                                    0, closure, FALSE);
    }

  adapter->method_ids = g_new0 (guint, adapter->schema->n_methods + 1);
  adapter->method_funcs = g_new0 (GroInterfaceMethodFunc, adapter->schema->n_methods + 1);
  for (guint i = 0; i < adapter->schema->n_methods; i++)
    {
      adapter->method_funcs[i] = find_interface_method (type, adapter->schema->methods[i].name);
      if (adapter->method_funcs[i] == NULL)
        adapter->method_ids[i] = find_signal (type, adapter->schema->methods[i].name);
      g_assert (adapter->method_funcs[i] != NULL || adapter->method_ids[i] != 0);
    }

  adapter->notify_handler = g_signal_connect (object, "notify", G_CALLBACK (on_notify), adapter);

  return adapter;
}

GroSourceAdapter *
gro_source_adapter_ref (GroSourceAdapter *adapter)
{
  g_ref_count_inc (&adapter->ref_count);
  return adapter;
}

void
gro_source_adapter_withdraw (GroSourceAdapter *adapter)
{
  if (adapter->withdrawn)
    return;
  adapter->withdrawn = TRUE;

  g_clear_signal_handler (&adapter->notify_handler, adapter->object);
  for (guint i = 0; i < adapter->schema->n_signals; i++)
    g_clear_signal_handler (&adapter->signal_handlers[i], adapter->object);

  for (guint i = 0; i < adapter->subscribers->len; i++)
    gro_link_unref (g_array_index (adapter->subscribers, Subscriber, i).link);
  g_array_set_size (adapter->subscribers, 0);
}

void
gro_source_adapter_unref (GroSourceAdapter *adapter)
{
  if (!g_ref_count_dec (&adapter->ref_count))
    return;

  gro_source_adapter_withdraw (adapter);
  g_array_unref (adapter->subscribers);
  g_hash_table_unref (adapter->property_index);
  g_hash_table_unref (adapter->signal_index);
  for (guint i = 0; i < adapter->schema->n_properties; i++)
    g_clear_pointer (&adapter->waiting[i], g_bytes_unref);
  g_free (adapter->waiting);
  g_mutex_clear (&adapter->lock);
  g_free (adapter->pspecs);
  g_free (adapter->signal_ids);
  g_free (adapter->signal_handlers);
  g_free (adapter->method_ids);
  g_free (adapter->method_funcs);
  gro_schema_unref (adapter->schema);
  g_main_context_unref (adapter->context);
  g_object_unref (adapter->object);
  g_free (adapter->name);
  g_free (adapter);
}

const char *
gro_source_adapter_get_name (GroSourceAdapter *adapter)
{
  return adapter->name;
}

GObject *
gro_source_adapter_get_object (GroSourceAdapter *adapter)
{
  return adapter->object;
}

GroSchema *
gro_source_adapter_get_schema (GroSourceAdapter *adapter)
{
  return adapter->schema;
}

GMainContext *
gro_source_adapter_get_context (GroSourceAdapter *adapter)
{
  return adapter->context;
}

/* The body of an INIT for this object: schema hash, the schema unless
 * @with_schema is FALSE, and the values. Floating. */
GVariant *
gro_source_adapter_build_init (GroSourceAdapter *adapter,
                               gboolean          with_schema)
{
  GroSchema *schema = adapter->schema;
  g_autofree GVariant **values = g_new (GVariant *, schema->n_properties + 1);

  for (guint i = 0; i < schema->n_properties; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, adapter->pspecs[i]->value_type);
      g_object_get_property (adapter->object, adapter->pspecs[i]->name, &value);
      values[i] = gro_value_to_variant (&value, &schema->properties[i].type);
    }

  /* Built from its parts rather than with a format string, whose scanning
   * costs more than the rest for a list item. */
  {
    GVariant *parts[3] = {
      g_variant_new_string (schema->hash),
      g_variant_new_maybe (G_VARIANT_TYPE (GRO_SCHEMA_TYPE_STRING),
                           with_schema ? schema->variant : NULL),
      g_variant_new_variant (g_variant_new_tuple (values, schema->n_properties)),
    };

    return g_variant_new_tuple (parts, 3);
  }
}

/* Sends the object's changes to @object_id on @link from now on, without
 * an INIT: list items travel inside the list's messages. */
void
gro_source_adapter_add_subscriber (GroSourceAdapter *adapter,
                                   GroLink          *link,
                                   guint32           object_id)
{
  Subscriber sub = { gro_link_ref (link), object_id };

  g_assert (!adapter->withdrawn);
  g_array_append_val (adapter->subscribers, sub);
}

/* Sends @object_id its INIT and the object's changes from then on; FALSE,
 * and an ERROR for the object instead, when its INIT is larger than the
 * peer accepts: it could never have the object. */
gboolean
gro_source_adapter_subscribe (GroSourceAdapter *adapter,
                              GroLink          *link,
                              guint32           object_id,
                              const char       *known_hash)
{
  gboolean known = g_str_equal (known_hash, adapter->schema->hash);
  g_autoptr(GVariant) init = NULL;

  init = gro_frame_body_to_wire (GRO_MESSAGE_INIT,
                                 gro_source_adapter_build_init (adapter, !known));
  if (!gro_link_fits (link, object_id, g_variant_get_size (init)))
    {
      gro_link_send (link, GRO_MESSAGE_ERROR, object_id, 0, 0,
                     g_variant_new ("(sis)", g_quark_to_string (GRO_ERROR),
                                    GRO_ERROR_LIMIT_EXCEEDED,
                                    "The source's values are larger than this node accepts "
                                    "in one message: raise its max-frame-size"));
      return FALSE;
    }

  gro_source_adapter_add_subscriber (adapter, link, object_id);
  gro_link_send_data (link, GRO_MESSAGE_INIT, object_id, 0, 0,
                      g_variant_get_data (init), g_variant_get_size (init));
  return TRUE;
}

void
gro_source_adapter_unsubscribe (GroSourceAdapter *adapter,
                                GroLink          *link,
                                guint32           object_id)
{
  for (guint i = 0; i < adapter->subscribers->len; i++)
    {
      Subscriber *sub = &g_array_index (adapter->subscribers, Subscriber, i);

      if (sub->link == link && sub->object_id == object_id)
        {
          gro_link_unref (sub->link);
          g_array_remove_index_fast (adapter->subscribers, i);
          return;
        }
    }
}

/* GValue would take any integer for an enumeration; the object must not. */
static gboolean
check_enum_value (const GValue  *value,
                  GError       **error)
{
  GType type = G_VALUE_TYPE (value);

  if (G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);

      if (g_enum_get_value (klass, g_value_get_enum (value)) == NULL)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS,
                       "%d is not a value of %s", g_value_get_enum (value), g_type_name (type));
          return FALSE;
        }
    }
  else if (G_TYPE_IS_FLAGS (type))
    {
      g_autoptr(GFlagsClass) klass = g_type_class_ref (type);

      if (g_value_get_flags (value) & ~klass->mask)
        {
          g_set_error (error, GRO_ERROR, GRO_ERROR_INVALID_ARGS,
                       "0x%x has bits that %s does not have",
                       g_value_get_flags (value), g_type_name (type));
          return FALSE;
        }
    }

  return TRUE;
}

void
gro_source_adapter_call (GroSourceAdapter *adapter,
                         GroLink          *link,
                         GroMessage       *message)
{
  G_GNUC_UNUSED g_autoptr(GroSourceAdapter) hold = gro_source_adapter_ref (adapter);
  GroPendingCall pending;
  g_autoptr(GVariant) args = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree GValue *params = NULL;
  g_auto(GValue) ret = G_VALUE_INIT;
  const GroSchemaMethod *method;
  const guint8 *data;
  gsize size;
  guint n_params = 0;

  if (message->member >= adapter->schema->n_methods)
    {
      g_set_error (&error, GRO_ERROR, GRO_ERROR_UNKNOWN_METHOD,
                   "The source '%s' has no method number %u", adapter->name, message->member);
      goto fail;
    }
  method = &adapter->schema->methods[message->member];

  params = g_new0 (GValue, method->n_args + 1);
  g_value_init_from_instance (&params[0], adapter->object);
  n_params = 1;

  /* Numbers and the like straight from the frame's bytes. */
  data = gro_message_get_data (message, &size);
  if (adapter->method_funcs[message->member] == NULL &&
      gro_values_from_fixed_body (data, size, method->args_type, method->args, method->n_args,
                                  &params[1]))
    {
      for (n_params = 1; n_params <= method->n_args; n_params++)
        if (!check_enum_value (&params[n_params], &error))
          {
            g_prefix_error (&error, "Argument %u of the method '%s' of '%s': ",
                            n_params, method->name, adapter->name);
            n_params = method->n_args + 1;
            goto fail;
          }
    }
  else
    {
      args = gro_message_dup_boxed (message);
      if (!g_variant_is_of_type (args, method->args_type))
        {
          g_autofree char *expected = g_variant_type_dup_string (method->args_type);

          g_set_error (&error, GRO_ERROR, GRO_ERROR_INVALID_ARGS,
                       "The method '%s' of '%s' takes %s, not %s",
                       method->name, adapter->name, expected, g_variant_get_type_string (args));
          goto fail;
        }

      if (adapter->method_funcs[message->member] != NULL)
        {
          /* As for any method, the object never sees a value its
           * enumeration or flags lack. */
          for (guint i = 0; i < method->n_args; i++)
            if (method->args[i].kind == GRO_KIND_ENUM || method->args[i].kind == GRO_KIND_FLAGS)
              {
                g_auto(GValue) value = G_VALUE_INIT;
                g_autoptr(GVariant) child = g_variant_get_child_value (args, i);

                if (!gro_value_from_variant (child, &method->args[i], &value, &error) ||
                    !check_enum_value (&value, &error))
                  {
                    g_prefix_error (&error, "Argument %u of the method '%s' of '%s': ",
                                    i + 1, method->name, adapter->name);
                    goto fail;
                  }
              }

          /* Generated code converts the arguments and answers, maybe later. */
          g_value_unset (&params[0]);
          pending = (GroPendingCall) { adapter, link, message->serial, message->member,
                                       message, NULL };
          pending.invocation = _gro_invocation_new (adapter, link, message->serial,
                                                    message->member, args);
          _gro_pending_call_push (&pending);
          adapter->method_funcs[message->member] (adapter->object, method->name, args,
                                                  g_object_ref (pending.invocation));
          _gro_pending_call_pop (&pending);
          g_clear_object (&pending.invocation);
          return;
        }

      for (n_params = 1; n_params <= method->n_args; n_params++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (args, n_params - 1);

          if (!gro_value_from_variant (child, &method->args[n_params - 1], &params[n_params],
                                       &error) ||
              !check_enum_value (&params[n_params], &error))
            {
              g_prefix_error (&error, "Argument %u of the method '%s' of '%s': ",
                              n_params, method->name, adapter->name);
              n_params++;
              goto fail;
            }
        }
    }

  if (method->has_return)
    g_value_init (&ret, method->ret.gtype);

  pending = (GroPendingCall) { adapter, link, message->serial, message->member, message, NULL };
  _gro_pending_call_push (&pending);
  g_signal_emitv (params, adapter->method_ids[message->member], 0,
                  method->has_return ? &ret : NULL);
  _gro_pending_call_pop (&pending);
  _gro_pending_call_finish (&pending, method->has_return ? &ret : NULL);

  for (guint i = 0; i < n_params; i++)
    g_value_unset (&params[i]);
  return;

fail:
  for (guint i = 0; params != NULL && i < n_params; i++)
    if (G_IS_VALUE (&params[i]))
      g_value_unset (&params[i]);
  gro_link_send_error (link, message->serial, error);
}

void
gro_source_adapter_set_property (GroSourceAdapter *adapter,
                                 GroLink          *link,
                                 GroMessage       *message)
{
  G_GNUC_UNUSED g_autoptr(GroSourceAdapter) hold = gro_source_adapter_ref (adapter);
  g_autoptr(GVariant) inner = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) checked = G_VALUE_INIT;
  const GroSchemaProperty *prop;
  GParamSpec *pspec;

  if (message->member >= adapter->schema->n_properties)
    {
      g_set_error (&error, GRO_ERROR, GRO_ERROR_UNKNOWN_PROPERTY,
                   "The source '%s' has no property number %u", adapter->name, message->member);
      goto fail;
    }
  prop = &adapter->schema->properties[message->member];
  pspec = adapter->pspecs[message->member];

  if (!(prop->flags & GRO_SCHEMA_PROPERTY_WRITABLE))
    {
      g_set_error (&error, GRO_ERROR, GRO_ERROR_READ_ONLY,
                   "The property '%s' of '%s' is read-only", prop->name, adapter->name);
      goto fail;
    }

  inner = gro_message_dup_boxed (message);
  if (!gro_value_from_variant (inner, &prop->type, &value, &error))
    {
      g_prefix_error (&error, "The property '%s' of '%s': ", prop->name, adapter->name);
      goto fail;
    }

  g_value_init (&checked, G_VALUE_TYPE (&value));
  g_value_copy (&value, &checked);
  if (g_param_value_validate (pspec, &checked))
    {
      g_autofree char *shown = g_strdup_value_contents (&value);

      g_set_error (&error, GRO_ERROR, GRO_ERROR_INVALID_VALUE,
                   "%s is not a valid value for the property '%s' of '%s'",
                   shown, prop->name, adapter->name);
      goto fail;
    }

  g_object_set_property (adapter->object, pspec->name, &value);
  gro_link_send (link, GRO_MESSAGE_REPLY, 0, 0, message->serial,
                 g_variant_new_variant (g_variant_new ("()")));
  return;

fail:
  gro_link_send_error (link, message->serial, error);
}
