/* matrix-replica.c: the matrix's replica in C (see ../README.md)
 *
 *   matrix-replica URL
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gro.h>

#define TIMEOUT_US (10 * G_USEC_PER_SEC)

static int n_failed;

static void
check (guint       number,
       const char *what,
       const char *failure)
{
  if (failure == NULL)
    printf ("ok %u - %s\n", number, what);
  else
    {
      printf ("not ok %u - %s\n# %s\n", number, what, failure);
      n_failed++;
    }
  fflush (stdout);
}

/* Iterates the main context until *@done, for at most TIMEOUT_US. */
static gboolean
await_flag (const gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;

  while (!*done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return *done;
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

/* Calls @method and waits for its answer; NULL and @error on failure. */
static GVariant *
call (GroReplica  *replica,
      const char  *method,
      GVariant    *args,
      GError     **error)
{
  Wait wait = { FALSE, NULL };
  GVariant *result;

  gro_replica_call_async (replica, method, args, -1, NULL, on_done, &wait);
  if (!await_flag (&wait.done))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "no answer to %s", method);
      return NULL;
    }
  result = gro_replica_call_finish (replica, wait.result, error);
  g_object_unref (wait.result);
  return result;
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

typedef struct
{
  gboolean  done;
  int       n;
  char     *text;
} Pinged;

static void
on_pinged (GObject    *replica,
           int         n,
           const char *text,
           gpointer    user_data)
{
  Pinged *pinged = user_data;

  pinged->n = n;
  g_free (pinged->text);
  pinged->text = g_strdup (text);
  pinged->done = TRUE;
}

static char *
check_initial (GroReplica *replica)
{
  g_autofree char *label = NULL;
  g_auto(GStrv) tags = NULL;
  int count;

  g_object_get (replica, "count", &count, "label", &label, "tags", &tags, NULL);
  if (count != 7)
    return g_strdup_printf ("count is %d", count);
  if (g_strcmp0 (label, "seven") != 0)
    return g_strdup_printf ("label is %s", label);
  if (tags == NULL || g_strv_length (tags) != 2 ||
      strcmp (tags[0], "a") != 0 || strcmp (tags[1], "b") != 0)
    return g_strdup ("tags are not [a, b]");
  return NULL;
}

static char *
check_push (GroReplica *replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean notified = FALSE;
  gulong id;
  int count;

  id = g_signal_connect (replica, "notify::count", G_CALLBACK (on_notify), &notified);
  reply = call (replica, "bump", g_variant_new ("()"), &error);
  if (reply != NULL)
    await_flag (&notified);
  g_signal_handler_disconnect (replica, id);

  if (reply == NULL)
    return g_strdup_printf ("bump: %s", error->message);
  if (!notified)
    return g_strdup ("no notify::count");
  g_object_get (replica, "count", &count, NULL);
  return count == 8 ? NULL : g_strdup_printf ("count is %d", count);
}

static char *
check_write (GroReplica *replica)
{
  g_autofree char *label = NULL;
  gboolean notified = FALSE;
  gulong id;

  id = g_signal_connect (replica, "notify::label", G_CALLBACK (on_notify), &notified);
  g_object_set (replica, "label", "written", NULL);
  await_flag (&notified);
  g_signal_handler_disconnect (replica, id);

  if (!notified)
    return g_strdup ("no notify::label");
  g_object_get (replica, "label", &label, NULL);
  return g_strcmp0 (label, "written") == 0 ? NULL : g_strdup_printf ("label is %s", label);
}

static char *
check_signal (GroReplica *replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *failure = NULL;
  Pinged pinged = { FALSE, 0, NULL };
  gulong id;

  id = g_signal_connect (replica, "pinged", G_CALLBACK (on_pinged), &pinged);
  reply = call (replica, "ping", g_variant_new ("(is)", 5, "five"), &error);
  if (reply != NULL)
    await_flag (&pinged.done);
  g_signal_handler_disconnect (replica, id);

  if (reply == NULL)
    failure = g_strdup_printf ("ping: %s", error->message);
  else if (!pinged.done)
    failure = g_strdup ("no pinged");
  else if (pinged.n != 5 || g_strcmp0 (pinged.text, "five") != 0)
    failure = g_strdup_printf ("pinged (%d, %s)", pinged.n, pinged.text);
  g_free (pinged.text);
  return g_steal_pointer (&failure);
}

static char *
check_add (GroReplica *replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (replica, "add", g_variant_new ("(ii)", 2, 3), &error);
  int sum;

  if (reply == NULL)
    return g_strdup_printf ("add: %s", error->message);
  if (!g_variant_is_of_type (reply, G_VARIANT_TYPE ("(i)")))
    return g_strdup_printf ("add gave %s", g_variant_get_type_string (reply));
  g_variant_get (reply, "(i)", &sum);
  return sum == 5 ? NULL : g_strdup_printf ("add gave %d", sum);
}

static char *
check_fail (GroReplica *replica)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (replica, "fail", g_variant_new ("()"), &error);

  if (reply != NULL)
    return g_strdup ("fail succeeded");
  if (g_strcmp0 (g_quark_to_string (error->domain), "matrix-error-quark") != 0 ||
      error->code != 3 || g_strcmp0 (error->message, "failed on purpose") != 0)
    return g_strdup_printf ("%s %d: %s", g_quark_to_string (error->domain), error->code,
                            error->message);
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  static const struct {
    const char *what;
    char *(*run) (GroReplica *replica);
  } checks[] = {
    { "initial values", check_initial },
    { "change pushed from the source", check_push },
    { "write comes back", check_write },
    { "signal with two arguments", check_signal },
    { "method with a return value", check_add },
    { "method that fails", check_fail },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GroReplica) replica = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: matrix-replica URL\n");
      return 2;
    }

  printf ("1..%u\n", (guint) G_N_ELEMENTS (checks));
  node = gro_node_new ();
  if (!gro_node_connect_to_node (node, argv[1], &error))
    {
      printf ("Bail out! %s\n", error->message);
      return 1;
    }
  replica = gro_node_acquire_dynamic (node, "matrix");
  if (!gro_replica_wait_for_source (replica, TIMEOUT_US / 1000, &error))
    {
      printf ("Bail out! %s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *failure = checks[i].run (replica);

      check (i + 1, checks[i].what, failure);
    }

  return n_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
