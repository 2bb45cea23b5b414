/* list-view.c: a GtkListView over a remote to-do list
 *
 *   list-view unix:/tmp/todo.sock
 *
 * The view's model is a GroListModelReplica: rows appear, go and move as the
 * source list changes, and a check button writes "done" back to the source.
 * Rows of tasks not fetched yet show a placeholder that fills in.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gro.h>
#include <gtk/gtk.h>

static char *url;

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_box_append (GTK_BOX (row), gtk_check_button_new ());
  gtk_box_append (GTK_BOX (row), gtk_label_new (NULL));
  gtk_list_item_set_child (list_item, row);
}

/* Binds the row's widgets to the task, both ways for "done": a click writes
 * the replica's property, which goes to the source. */
static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  GtkWidget *check = gtk_widget_get_first_child (row);
  GtkWidget *label = gtk_widget_get_next_sibling (check);
  GObject *task = gtk_list_item_get_item (list_item);
  GBinding *title = g_object_bind_property (task, "title", label, "label", G_BINDING_SYNC_CREATE);
  GBinding *done = g_object_bind_property (task, "done", check, "active",
                                           G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  g_object_set_data (G_OBJECT (list_item), "title-binding", title);
  g_object_set_data (G_OBJECT (list_item), "done-binding", done);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  g_binding_unbind (g_object_get_data (G_OBJECT (list_item), "title-binding"));
  g_binding_unbind (g_object_get_data (G_OBJECT (list_item), "done-binding"));
}

static void
activate (GtkApplication *app,
          gpointer        user_data)
{
  GroNode *node = user_data;
  g_autoptr(GError) error = NULL;
  GroListModelReplica *list;
  GtkListItemFactory *factory;
  GtkWidget *window, *scrolled, *view;

  if (!gro_node_connect_to_node (node, url, &error))
    {
      g_printerr ("list-view: %s\n", error->message);
      return;
    }
  list = gro_node_acquire_model (node, "todo");

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);

  /* The view takes the list: it fills as soon as the host sends it. */
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (list))),
                            factory);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);

  window = gtk_application_window_new (app);
  gtk_window_set_title (GTK_WINDOW (window), "Remote to-do list");
  gtk_window_set_default_size (GTK_WINDOW (window), 320, 480);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GroNode) node = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: list-view URL\n");
      return 2;
    }
  url = argv[1];

  node = gro_node_new ();
  app = gtk_application_new ("org.gtk.Gro.ListView", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), node);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
