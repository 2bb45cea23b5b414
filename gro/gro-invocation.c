/* gro-invocation.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "gro-context-private.h"
#include "gro-codec-private.h"
#include "gro-error.h"
#include "gro-invocation-private.h"

/**
 * GroInvocation:
 *
 * A call of a source's method by a replica, as the source sees it.
 *
 * A source's methods are its action signals, and usually answer by returning
 * from the handler: the handler's return value is the reply. A handler that
 * needs more uses the invocation being served, from
 * [func@Gro.Invocation.get_current]:
 *
 * - to fail, it calls [method@Gro.Invocation.return_error] (or
 *   [method@Gro.Invocation.return_gerror]) and its return value is ignored;
 * - to answer later, it calls [method@Gro.Invocation.defer], keeps a
 *   reference, and calls [method@Gro.Invocation.return_value] or one of the
 *   error forms when it has the answer, from any thread.
 *
 * ```c
 * static int
 * on_add (Calculator *calc, int a, int b)
 * {
 *   if (a > G_MAXINT - b)
 *     {
 *       gro_invocation_return_error (gro_invocation_get_current (), CALC_ERROR,
 *                                    CALC_ERROR_OVERFLOW, "%d + %d overflows", a, b);
 *       return 0;
 *     }
 *   return a + b;
 * }
 * ```
 *
 * A deferred invocation that is dropped without an answer answers the caller
 * with %GRO_ERROR_NO_REPLY, so a replica never waits for ever.
 *
 * Since: 1.0
 */

struct _GroInvocation
{
  GObject           parent_instance;
  GroSourceAdapter *adapter;
  GObject          *source;
  GroLink          *link;
  guint32           serial;
  guint             method_index;
  GVariant         *parameters;
  gboolean          deferred;
  gboolean          answered;
};

G_DEFINE_FINAL_TYPE (GroInvocation, gro_invocation, G_TYPE_OBJECT)

static GPrivate current = G_PRIVATE_INIT (NULL);

GroInvocation *
_gro_invocation_new (GroSourceAdapter *adapter,
                     GroLink          *link,
                     guint32           serial,
                     guint             method_index,
                     GVariant         *parameters)
{
  GroInvocation *self = g_object_new (GRO_TYPE_INVOCATION, NULL);

  self->adapter = gro_source_adapter_ref (adapter);
  self->source = g_object_ref (gro_source_adapter_get_object (adapter));
  self->link = gro_link_ref (link);
  self->serial = serial;
  self->method_index = method_index;
  self->parameters = g_variant_ref (parameters);

  return self;
}

void
_gro_pending_call_push (GroPendingCall *call)
{
  call->outer = g_private_get (&current);
  g_private_set (&current, call);
}

void
_gro_pending_call_pop (GroPendingCall *call)
{
  g_assert (g_private_get (&current) == call);
  g_private_set (&current, call->outer);
}

static const GroSchemaMethod *
invocation_method (GroInvocation *self)
{
  return &gro_source_adapter_get_schema (self->adapter)->methods[self->method_index];
}

typedef struct
{
  GroLink        *link;
  GroMessageKind  kind;
  guint32         serial;
  GVariant       *body;
} Answer;

static gboolean
answer_send (gpointer data)
{
  Answer *answer = data;

  gro_link_send (answer->link, answer->kind, 0, 0, answer->serial,
                 g_steal_pointer (&answer->body));
  return G_SOURCE_REMOVE;
}

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  gro_link_unref (answer->link);
  g_clear_pointer (&answer->body, g_variant_unref);
  g_free (answer);
}

/* Links are used only from the host's context; an answer from another thread
 * goes there. Consumes a floating @body. */
static void
invocation_send (GroInvocation  *self,
                 GroMessageKind  kind,
                 GVariant       *body)
{
  GMainContext *context = gro_source_adapter_get_context (self->adapter);
  Answer *answer;

  g_assert (!self->answered);
  self->answered = TRUE;

  if (gro_context_enter (context))
    {
      gro_link_send (self->link, kind, 0, 0, self->serial, body);
      gro_context_leave (context);
      return;
    }

  answer = g_new (Answer, 1);
  answer->link = gro_link_ref (self->link);
  answer->kind = kind;
  answer->serial = self->serial;
  answer->body = g_variant_ref_sink (body);
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, answer_send, answer, answer_free);
}

static void
invocation_send_error (GroInvocation *self,
                       const GError  *error)
{
  invocation_send (self, GRO_MESSAGE_ERROR,
                   g_variant_new ("(sis)", g_quark_to_string (error->domain),
                                  error->code, error->message));
}

static void
invocation_return_gvalue (GroInvocation *self,
                               const GValue  *value)
{
  const GroSchemaMethod *method = invocation_method (self);

  if (method->has_return)
    invocation_send (self, GRO_MESSAGE_REPLY,
                     gro_variant_new_single_value (value, &method->ret));
  else
    invocation_send (self, GRO_MESSAGE_REPLY, g_variant_new_variant (g_variant_new ("()")));
}

/* The handler has run: answer with its return value, unless it asked for
 * its invocation and answered, or deferred, through it. */
void
_gro_pending_call_finish (GroPendingCall *call,
                          const GValue   *value)
{
  const GroSchemaMethod *method;
  guint8 fixed[GRO_FIXED_BODY_MAX];
  gsize size;

  if (call->invocation != NULL)
    {
      if (!call->invocation->answered && !call->invocation->deferred)
        invocation_return_gvalue (call->invocation, value);
      g_clear_object (&call->invocation);
      return;
    }

  /* No invocation was made: the handler returned, in the host's context. */
  method = &gro_source_adapter_get_schema (call->adapter)->methods[call->method_index];
  if (method->has_return &&
      (size = gro_fixed_body_write (value, &method->ret, 1, TRUE, fixed, sizeof fixed)) > 0)
    gro_link_send_data (call->link, GRO_MESSAGE_REPLY, 0, 0, call->serial, fixed, size);
  else
    gro_link_send (call->link, GRO_MESSAGE_REPLY, 0, 0, call->serial,
                   method->has_return
                     ? gro_variant_new_single (gro_value_to_variant (value, &method->ret))
                     : g_variant_new_variant (g_variant_new ("()")));
}

/**
 * gro_invocation_get_current:
 *
 * Gets the call that the calling thread is serving: inside the handler of a
 * source's method, the call that made it run.
 *
 * Returns: (transfer none) (nullable): the invocation, or %NULL outside a
 *   method's handler
 *
 * Since: 1.0
 */
GroInvocation *
gro_invocation_get_current (void)
{
  GroPendingCall *call = g_private_get (&current);

  if (call == NULL)
    return NULL;
  if (call->invocation == NULL)
    {
      g_autoptr(GVariant) parameters = gro_message_dup_boxed (call->message);

      call->invocation = _gro_invocation_new (call->adapter, call->link, call->serial,
                                              call->method_index, parameters);
    }
  return call->invocation;
}

/**
 * gro_invocation_get_method_name:
 * @invocation: a #GroInvocation
 *
 * Gets the name of the method called.
 *
 * Returns: the method's name
 *
 * Since: 1.0
 */
const char *
gro_invocation_get_method_name (GroInvocation *invocation)
{
  g_return_val_if_fail (GRO_IS_INVOCATION (invocation), NULL);

  return invocation_method (invocation)->name;
}

/**
 * gro_invocation_get_source_name:
 * @invocation: a #GroInvocation
 *
 * Gets the name the source is shared under.
 *
 * Returns: the source's name
 *
 * Since: 1.0
 */
const char *
gro_invocation_get_source_name (GroInvocation *invocation)
{
  g_return_val_if_fail (GRO_IS_INVOCATION (invocation), NULL);

  return gro_source_adapter_get_name (invocation->adapter);
}

/**
 * gro_invocation_get_source:
 * @invocation: a #GroInvocation
 *
 * Gets the object whose method is called.
 *
 * Returns: (transfer none): the source object
 *
 * Since: 1.0
 */
GObject *
gro_invocation_get_source (GroInvocation *invocation)
{
  g_return_val_if_fail (GRO_IS_INVOCATION (invocation), NULL);

  return invocation->source;
}

/**
 * gro_invocation_get_parameters:
 * @invocation: a #GroInvocation
 *
 * Gets the arguments of the call, as a tuple in the types of the method's
 * schema.
 *
 * Returns: (transfer none): the arguments
 *
 * Since: 1.0
 */
GVariant *
gro_invocation_get_parameters (GroInvocation *invocation)
{
  g_return_val_if_fail (GRO_IS_INVOCATION (invocation), NULL);

  return invocation->parameters;
}

/**
 * gro_invocation_get_peer_address:
 * @invocation: a #GroInvocation
 *
 * Gets the address of the node that made the call, for messages and logs.
 *
 * Returns: the peer's address
 *
 * Since: 1.0
 */
const char *
gro_invocation_get_peer_address (GroInvocation *invocation)
{
  g_return_val_if_fail (GRO_IS_INVOCATION (invocation), NULL);

  return gro_link_get_address (invocation->link);
}

/**
 * gro_invocation_defer:
 * @invocation: a #GroInvocation
 *
 * Tells gro that the handler will answer later: the handler's return value is
 * then ignored. Keep a reference to @invocation until you answer it.
 *
 * Since: 1.0
 */
void
gro_invocation_defer (GroInvocation *invocation)
{
  g_return_if_fail (GRO_IS_INVOCATION (invocation));

  invocation->deferred = TRUE;
}

/**
 * gro_invocation_is_deferred:
 * @invocation: a #GroInvocation
 *
 * Whether [method@Gro.Invocation.defer] was called.
 *
 * Returns: %TRUE if the answer was deferred
 *
 * Since: 1.0
 */
gboolean
gro_invocation_is_deferred (GroInvocation *invocation)
{
  g_return_val_if_fail (GRO_IS_INVOCATION (invocation), FALSE);

  return invocation->deferred;
}

/**
 * gro_invocation_return_value:
 * @invocation: a #GroInvocation
 * @result: (nullable): the result: a tuple of the method's return value, or
 *   `()` or %NULL for a method that returns nothing
 *
 * Answers the call with a result. A floating @result is consumed. May be
 * called from any thread.
 *
 * Since: 1.0
 */
void
gro_invocation_return_value (GroInvocation *invocation,
                             GVariant      *result)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) fitted = NULL;
  const GroSchemaMethod *method;

  g_return_if_fail (GRO_IS_INVOCATION (invocation));

  if (result == NULL)
    result = g_variant_new ("()");
  owned = g_variant_ref_sink (result);

  if (invocation->answered)
    {
      g_critical ("gro_invocation_return_value: the call of '%s' was already answered",
                  invocation_method (invocation)->name);
      return;
    }

  method = invocation_method (invocation);
  fitted = gro_variant_coerce (owned, method->ret_type);
  if (fitted == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_variant_type_dup_string (method->ret_type);

      g_critical ("gro_invocation_return_value: '%s' returns %s, not %s",
                  method->name, expected, g_variant_get_type_string (owned));
      error = g_error_new (GRO_ERROR, GRO_ERROR_FAILED,
                           "The source answered '%s' with a value of the wrong type",
                           method->name);
      invocation_send_error (invocation, error);
      return;
    }

  invocation_send (invocation, GRO_MESSAGE_REPLY, g_variant_new_variant (fitted));
}

/**
 * gro_invocation_return_gerror:
 * @invocation: a #GroInvocation
 * @error: the error
 *
 * Answers the call with an error. The replica gets the same domain, code and
 * message. May be called from any thread.
 *
 * Since: 1.0
 */
void
gro_invocation_return_gerror (GroInvocation *invocation,
                              const GError  *error)
{
  g_return_if_fail (GRO_IS_INVOCATION (invocation));
  g_return_if_fail (error != NULL);

  if (invocation->answered)
    {
      g_critical ("gro_invocation_return_gerror: the call of '%s' was already answered",
                  invocation_method (invocation)->name);
      return;
    }

  invocation_send_error (invocation, error);
}

/**
 * gro_invocation_return_error_literal:
 * @invocation: a #GroInvocation
 * @domain: the error domain
 * @code: the error code
 * @message: the error message
 *
 * Answers the call with an error. See [method@Gro.Invocation.return_gerror].
 *
 * Since: 1.0
 */
void
gro_invocation_return_error_literal (GroInvocation *invocation,
                                     GQuark         domain,
                                     int            code,
                                     const char    *message)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GRO_IS_INVOCATION (invocation));
  g_return_if_fail (message != NULL);

  error = g_error_new_literal (domain, code, message);
  gro_invocation_return_gerror (invocation, error);
}

/**
 * gro_invocation_return_error:
 * @invocation: a #GroInvocation
 * @domain: the error domain
 * @code: the error code
 * @format: a printf() format for the message
 * @...: its arguments
 *
 * Answers the call with an error. See [method@Gro.Invocation.return_gerror].
 *
 * Since: 1.0
 */
void
gro_invocation_return_error (GroInvocation *invocation,
                             GQuark         domain,
                             int            code,
                             const char    *format,
                             ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  g_return_if_fail (GRO_IS_INVOCATION (invocation));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  error = g_error_new_valist (domain, code, format, args);
  va_end (args);

  gro_invocation_return_gerror (invocation, error);
}

static void
gro_invocation_finalize (GObject *object)
{
  GroInvocation *self = GRO_INVOCATION (object);

  if (!self->answered)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new (GRO_ERROR, GRO_ERROR_NO_REPLY,
                           "The source '%s' dropped the call of '%s' without answering",
                           gro_source_adapter_get_name (self->adapter),
                           invocation_method (self)->name);
      invocation_send_error (self, error);
    }

  gro_source_adapter_unref (self->adapter);
  g_object_unref (self->source);
  gro_link_unref (self->link);
  g_variant_unref (self->parameters);

  G_OBJECT_CLASS (gro_invocation_parent_class)->finalize (object);
}

static void
gro_invocation_class_init (GroInvocationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gro_invocation_finalize;
}

static void
gro_invocation_init (GroInvocation *self)
{
}
