/* list-source.c: shares a to-do list, and changes it now and then
 *
 *   list-source unix:/tmp/todo.sock [--seconds N]
 *
 * The list is a GListStore of TodoTask (title, done); every half second a
 * task is added, one is removed, one moves or one is ticked off. Replicas
 * see each change as it is made (see list-replica.c and list-view.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gro.h>
#include <stdio.h>
#include <stdlib.h>

#define TODO_TYPE_TASK (todo_task_get_type ())
G_DECLARE_FINAL_TYPE (TodoTask, todo_task, TODO, TASK, GObject)

struct _TodoTask
{
  GObject   parent_instance;
  char     *title;
  gboolean  done;
};

enum { PROP_0, PROP_TITLE, PROP_DONE, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TodoTask, todo_task, G_TYPE_OBJECT)

static void
todo_task_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TodoTask *self = TODO_TASK (object);

  if (prop_id == PROP_TITLE)
    g_value_set_string (value, self->title);
  else
    g_value_set_boolean (value, self->done);
}

static void
todo_task_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TodoTask *self = TODO_TASK (object);

  if (prop_id == PROP_TITLE)
    {
      g_free (self->title);
      self->title = g_value_dup_string (value);
      g_object_notify_by_pspec (object, pspec);
    }
  else if (self->done != g_value_get_boolean (value))
    {
      self->done = g_value_get_boolean (value);
      g_print ("task '%s' is %s\n", self->title, self->done ? "done" : "to do");
      g_object_notify_by_pspec (object, pspec);
    }
}

static void
todo_task_finalize (GObject *object)
{
  g_free (TODO_TASK (object)->title);
  G_OBJECT_CLASS (todo_task_parent_class)->finalize (object);
}

static void
todo_task_class_init (TodoTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = todo_task_get_property;
  object_class->set_property = todo_task_set_property;
  object_class->finalize = todo_task_finalize;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Writable: replicas tick tasks off. */
  properties[PROP_DONE] =
    g_param_spec_boolean ("done", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
todo_task_init (TodoTask *self)
{
}

static int next_task = 1;

static void
append_task (GListStore *store)
{
  g_autofree char *title = g_strdup_printf ("task %d", next_task++);
  g_autoptr(TodoTask) task = g_object_new (TODO_TYPE_TASK, "title", title, NULL);

  g_list_store_append (store, task);
}

static gboolean
change_something (gpointer data)
{
  GListStore *store = data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  int what = g_random_int_range (0, 4);

  if (n < 3 || what == 0)
    {
      append_task (store);
      g_print ("added a task, %u now\n", n + 1);
    }
  else if (what == 1)
    {
      g_list_store_remove (store, 0);
      g_print ("removed the first task\n");
    }
  else if (what == 2)
    {
      g_autoptr(GObject) last = g_list_model_get_item (G_LIST_MODEL (store), n - 1);

      g_list_store_remove (store, n - 1);
      g_list_store_insert (store, 0, last);
      g_print ("moved the last task to the top\n");
    }
  else
    {
      g_autoptr(TodoTask) task = g_list_model_get_item (G_LIST_MODEL (store),
                                                        g_random_int_range (0, n));
      g_object_set (task, "done", !task->done, NULL);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GListStore) store = g_list_store_new (TODO_TYPE_TASK);
  g_autoptr(GroHost) host = NULL;
  g_autoptr(GError) error = NULL;
  int seconds = 0;

  if (argc < 2)
    {
      g_printerr ("usage: list-source URL [--seconds N]\n");
      return 2;
    }
  if (argc == 4 && g_str_equal (argv[2], "--seconds"))
    seconds = atoi (argv[3]);

  for (int i = 0; i < 5; i++)
    append_task (store);

  host = gro_host_new (argv[1], &error);
  if (host == NULL || !gro_host_enable_model_remoting (host, G_LIST_MODEL (store), "todo", &error))
    {
      g_printerr ("list-source: %s\n", error->message);
      return 1;
    }
  g_print ("sharing a to-do list of %u tasks as 'todo' on %s\n",
           g_list_model_get_n_items (G_LIST_MODEL (store)), argv[1]);

  g_timeout_add (500, change_something, store);
  if (seconds > 0)
    g_timeout_add_seconds (seconds, quit, loop);
  g_main_loop_run (loop);
  return 0;
}
