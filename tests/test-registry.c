/* test-registry.c: acquiring by name through a registry, across processes
 *
 * Each test runs a registry and two hosts in processes of their own
 * (tests/gro-test-source), and a node in this one: four processes. Hosts and
 * the registry are killed with SIGKILL and started again.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <gro.h>

#include "gro-test-util.h"

typedef struct
{
  char          *dir;
  char          *registry_url;
  GroTestSource *registry;
  GroTestSource *alpha;      /* shares "alpha" */
  GroTestSource *beta;       /* shares "beta" */
  GroNode       *node;
} Fixture;

/* A unix: address in the fixture's folder. */
static char *
fixture_url (Fixture    *fixture,
             const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  return g_strconcat ("unix:", path, NULL);
}

static GroTestSource *
start_registry (Fixture *fixture)
{
  return gro_test_source_start ("--as-registry", "--no-source",
                                "--listen", fixture->registry_url, NULL);
}

static GroTestSource *
start_host (Fixture    *fixture,
            const char *name,
            const char *socket)
{
  g_autofree char *url = fixture_url (fixture, socket);

  return gro_test_source_start ("--name", name, "--listen", url,
                                "--registry", fixture->registry_url, NULL);
}

static GroNode *
new_node (Fixture *fixture)
{
  return g_object_new (GRO_TYPE_NODE,
                       "reconnect-initial-delay", 20,
                       "reconnect-max-delay", 200,
                       "registry-url", fixture->registry_url,
                       NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("gro-registry-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->registry_url = fixture_url (fixture, "registry");
  fixture->registry = start_registry (fixture);
  fixture->alpha = start_host (fixture, "alpha", "alpha-1");
  fixture->beta = start_host (fixture, "beta", "beta");
  fixture->node = new_node (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->node);
  g_clear_pointer (&fixture->alpha, gro_test_source_free);
  g_clear_pointer (&fixture->beta, gro_test_source_free);
  g_clear_pointer (&fixture->registry, gro_test_source_free);
  /* What the node's connections had queued goes with them. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->registry_url);
}

static int
get_int (GroReplica *replica)
{
  int value;

  g_object_get (replica, "i", &value, NULL);
  return value;
}

/* The URL the node's registry gives for @name, or NULL. */
static const char *
location_url (GroNode    *node,
              const char *name)
{
  GListModel *model = gro_node_get_source_locations (node);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GroSourceLocation) location = g_list_model_get_item (model, i);

      if (g_str_equal (gro_source_location_get_name (location), name))
        return gro_source_location_get_url (location);
    }
  return NULL;
}

static gboolean
located_at (GroNode    *node,
            const char *name,
            const char *url)
{
  return g_strcmp0 (location_url (node, name), url) == 0;
}

/* Waits in the main context, where the node makes its connections
 * (test_sync_wait() checks the sync wait). */
static GroReplica *
acquire_valid (GroNode    *node,
               const char *name)
{
  GroReplica *replica = gro_node_acquire_dynamic (node, name);

  gro_test_await (gro_replica_is_valid (replica));
  return replica;
}

static void
on_location (GroNode           *node,
             GroSourceLocation *location,
             GString           *log)
{
  g_string_append_printf (log, "%s,", gro_source_location_get_name (location));
}

/* A node that knows no host acquires both sources by name, from two hosts,
 * and sees where they are. */
static void
test_acquire_by_name (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GroReplica) alpha = NULL;
  g_autoptr(GroReplica) beta = NULL;
  g_autoptr(GroSourceLocation) first = NULL;
  GListModel *model = gro_node_get_source_locations (fixture->node);

  g_assert_cmpstr (gro_node_get_registry_url (fixture->node), ==, fixture->registry_url);
  g_assert_true (g_list_model_get_item_type (model) == GRO_TYPE_SOURCE_LOCATION);

  alpha = acquire_valid (fixture->node, "alpha");
  beta = acquire_valid (fixture->node, "beta");

  gro_test_source_command (fixture->alpha, "set i 11");
  gro_test_source_command (fixture->beta, "set i 22");
  gro_test_await (get_int (alpha) == 11 && get_int (beta) == 22);

  gro_test_await (g_list_model_get_n_items (model) == 2);
  g_assert_cmpstr (location_url (fixture->node, "alpha"), ==,
                   gro_test_source_get_url (fixture->alpha, 0));
  g_assert_cmpstr (location_url (fixture->node, "beta"), ==,
                   gro_test_source_get_url (fixture->beta, 0));
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (gro_source_location_get_type_name (first), ==, "GroTestObject");

  /* Calls go to the right host too. */
  g_assert_true (gro_replica_is_valid (alpha));
  g_assert_true (gro_replica_is_valid (beta));
}

/* Locations come and go as hosts enable and disable their sources. */
static void
test_locations_follow (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) added = g_string_new (NULL);
  g_autoptr(GString) removed = g_string_new (NULL);
  g_autoptr(GroReplica) alpha = NULL;
  GListModel *model = gro_node_get_source_locations (fixture->node);

  g_signal_connect (fixture->node, "source-location-added", G_CALLBACK (on_location), added);
  g_signal_connect (fixture->node, "source-location-removed", G_CALLBACK (on_location), removed);
  gro_test_await (g_list_model_get_n_items (model) == 2);
  g_assert_true (g_str_equal (added->str, "alpha,beta,") ||
                 g_str_equal (added->str, "beta,alpha,"));

  alpha = acquire_valid (fixture->node, "alpha");
  gro_test_source_command (fixture->alpha, "disable");
  gro_test_await (g_list_model_get_n_items (model) == 1 &&
                  gro_replica_get_state (alpha) == GRO_REPLICA_STATE_SUSPECT);
  g_assert_cmpstr (removed->str, ==, "alpha,");
  g_assert_null (location_url (fixture->node, "alpha"));

  gro_test_source_command (fixture->alpha, "set i 4");
  gro_test_source_command (fixture->alpha, "enable");
  gro_test_await (g_list_model_get_n_items (model) == 2 && gro_replica_is_valid (alpha) &&
                  get_int (alpha) == 4);
  g_assert_cmpstr (location_url (fixture->node, "alpha"), ==,
                   gro_test_source_get_url (fixture->alpha, 0));
}

/* A host killed with SIGKILL leaves the registry and its replicas are
 * suspect; it comes back at another address, then at the same one, and the
 * replica follows with fresh values each time. */
static void
test_host_killed (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GroReplica) alpha = NULL;
  g_autoptr(GroReplica) beta = NULL;
  g_autofree char *moved_url = fixture_url (fixture, "alpha-2");
  int initialized = 0;

  alpha = acquire_valid (fixture->node, "alpha");
  beta = acquire_valid (fixture->node, "beta");
  g_signal_connect_swapped (alpha, "initialized", G_CALLBACK (g_atomic_int_inc), &initialized);
  gro_test_source_command (fixture->alpha, "set i 5");
  gro_test_await (get_int (alpha) == 5);

  gro_test_source_kill (fixture->alpha);
  gro_test_await (gro_replica_get_state (alpha) == GRO_REPLICA_STATE_SUSPECT &&
                  location_url (fixture->node, "alpha") == NULL);
  g_assert_cmpint (get_int (alpha), ==, 5);
  /* The other host is not disturbed. */
  g_assert_true (gro_replica_is_valid (beta));
  g_clear_pointer (&fixture->alpha, gro_test_source_free);

  /* Back at another address. */
  fixture->alpha = start_host (fixture, "alpha", "alpha-2");
  gro_test_source_command (fixture->alpha, "set i 9");
  gro_test_await (gro_replica_is_valid (alpha) && get_int (alpha) == 9 && initialized == 1);
  g_assert_true (located_at (fixture->node, "alpha", moved_url));

  /* Killed again, and back at the same address. */
  gro_test_source_kill (fixture->alpha);
  gro_test_await (gro_replica_get_state (alpha) == GRO_REPLICA_STATE_SUSPECT);
  g_clear_pointer (&fixture->alpha, gro_test_source_free);
  fixture->alpha = start_host (fixture, "alpha", "alpha-2");
  gro_test_source_command (fixture->alpha, "set i 13");
  gro_test_await (gro_replica_is_valid (alpha) && get_int (alpha) == 13 && initialized == 2);
  g_assert_true (located_at (fixture->node, "alpha", moved_url));
  g_assert_true (gro_replica_is_valid (beta));
}

/* The registry is killed with SIGKILL. Replicas keep working meanwhile; when
 * it restarts, the hosts fill it again, and nodes, old and new, find sources
 * through it, without anything done by the application. */
static void
test_registry_killed (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GroReplica) alpha = NULL;
  g_autoptr(GroReplica) beta = NULL;
  g_autoptr(GroNode) late = NULL;
  g_autoptr(GroReplica) late_beta = NULL;

  alpha = acquire_valid (fixture->node, "alpha");
  gro_test_await (location_url (fixture->node, "beta") != NULL);

  gro_test_source_kill (fixture->registry);
  g_clear_pointer (&fixture->registry, gro_test_source_free);
  gro_test_await (gro_node_get_connection_state (fixture->node, fixture->registry_url) ==
                  GRO_CONNECTION_STATE_RECONNECTING);

  /* The hosts are still there. */
  gro_test_source_command (fixture->alpha, "set i 3");
  gro_test_await (get_int (alpha) == 3);
  g_assert_true (gro_replica_is_valid (alpha));

  fixture->registry = start_registry (fixture);

  /* A node that starts now finds both, once the hosts published again. */
  late = new_node (fixture);
  late_beta = acquire_valid (late, "beta");
  gro_test_await (location_url (late, "alpha") != NULL);

  /* The first node watches the new registry: beta, never acquired before,
   * is found through it. */
  gro_test_await (gro_node_get_connection_state (fixture->node, fixture->registry_url) ==
                  GRO_CONNECTION_STATE_CONNECTED);
  beta = acquire_valid (fixture->node, "beta");
  gro_test_source_command (fixture->beta, "set i 8");
  gro_test_await (get_int (beta) == 8 && get_int (late_beta) == 8);

  /* And it follows the registry as before. */
  gro_test_source_command (fixture->alpha, "disable");
  gro_test_await (location_url (fixture->node, "alpha") == NULL &&
                  location_url (late, "alpha") == NULL);
}

/* A host and a node that start before the registry: both keep trying, and
 * find each other once it is up. */
static void
test_registry_late (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GroTestSource) gamma = NULL;
  g_autoptr(GroNode) node = NULL;
  g_autoptr(GroReplica) replica = NULL;

  gro_test_source_kill (fixture->registry);
  g_clear_pointer (&fixture->registry, gro_test_source_free);

  gamma = start_host (fixture, "gamma", "gamma");
  node = new_node (fixture);
  replica = gro_node_acquire_dynamic (node, "gamma");
  g_usleep (100 * 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_UNINITIALIZED);
  g_assert_cmpint (gro_node_get_connection_state (node, fixture->registry_url), ==,
                   GRO_CONNECTION_STATE_CONNECTING);

  fixture->registry = start_registry (fixture);
  gro_test_source_command (gamma, "set i 12");
  gro_test_await (gro_replica_is_valid (replica) && get_int (replica) == 12);
  gro_test_await (location_url (node, "alpha") != NULL && location_url (node, "beta") != NULL);
}

static void
on_publish_failed (GroHost      *host,
                   const char   *name,
                   const GError *error,
                   GError      **out)
{
  g_assert_cmpstr (name, ==, "alpha");
  g_clear_error (out);
  *out = g_error_copy (error);
}

/* A second host publishes a name another host has: it is told, and the first
 * keeps the name, even across a restart of the registry. */
static void
test_name_taken (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = NULL;
  g_autofree char *url = fixture_url (fixture, "second");
  g_autoptr(GroHost) second = gro_host_new (url, &error);
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GroReplica) alpha = NULL;

  g_assert_no_error (error);
  gro_test_await (located_at (fixture->node, "alpha", gro_test_source_get_url (fixture->alpha, 0)));

  g_signal_connect (second, "publish-failed", G_CALLBACK (on_publish_failed), &failure);
  gro_node_set_registry_url (GRO_NODE (second), fixture->registry_url);
  gro_host_enable_remoting (second, object, "alpha", &error);
  g_assert_no_error (error);
  gro_test_await (failure != NULL);
  g_assert_error (failure, GRO_ERROR, GRO_ERROR_NAME_IN_USE);
  g_assert_nonnull (strstr (failure->message, "alpha"));

  /* The first host keeps it. */
  alpha = acquire_valid (fixture->node, "alpha");
  gro_test_source_command (fixture->alpha, "set i 6");
  gro_test_await (get_int (alpha) == 6);
  g_assert_true (located_at (fixture->node, "alpha", gro_test_source_get_url (fixture->alpha, 0)));

  /* The second one does not take it when the registry comes back. */
  g_clear_error (&failure);
  gro_test_source_kill (fixture->registry);
  g_clear_pointer (&fixture->registry, gro_test_source_free);
  fixture->registry = start_registry (fixture);
  gro_test_await (gro_node_get_connection_state (fixture->node, fixture->registry_url) ==
                  GRO_CONNECTION_STATE_CONNECTED &&
                  location_url (fixture->node, "beta") != NULL &&
                  location_url (fixture->node, "alpha") != NULL);
  g_assert_true (located_at (fixture->node, "alpha", gro_test_source_get_url (fixture->alpha, 0)));
  g_assert_null (failure);
}

/* A sync wait, in the node's own thread, connects to the registry and to
 * the host it names: a script needs no main loop. */
static void
test_sync_wait (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GroReplica) alpha = gro_node_acquire_dynamic (fixture->node, "alpha");
  g_autoptr(GroReplica) beta = NULL;

  g_assert_true (gro_replica_wait_for_source (alpha, GRO_TEST_TIMEOUT_MS, &error));
  g_assert_no_error (error);

  /* And again once the registry knows the host: the node connects at once. */
  beta = gro_node_acquire_dynamic (fixture->node, "beta");
  g_assert_true (gro_replica_wait_for_source (beta, GRO_TEST_TIMEOUT_MS, &error));
  g_assert_no_error (error);

  /* A host killed and started again, waited for without a main loop. */
  gro_test_source_kill (fixture->beta);
  g_clear_pointer (&fixture->beta, gro_test_source_free);
  gro_test_await (gro_replica_get_state (beta) == GRO_REPLICA_STATE_SUSPECT);
  fixture->beta = start_host (fixture, "beta", "beta-2");
  gro_test_source_command (fixture->beta, "set i 17");
  g_assert_true (gro_replica_wait_for_source (beta, GRO_TEST_TIMEOUT_MS, &error));
  g_assert_no_error (error);
  gro_test_await (get_int (beta) == 17);
}

/* Many hosts, killed and started again at the same or new addresses, with
 * the registry killed in between: every replica ends valid with the last
 * values. */
#define N_CHURN_HOSTS 6
#define N_CHURN_ROUNDS 24

static void
test_churn (Fixture       *fixture,
            gconstpointer  data)
{
  GroTestSource *hosts[N_CHURN_HOSTS];
  GroReplica *replicas[N_CHURN_HOSTS];
  guint generation[N_CHURN_HOSTS] = { 0, };
  /* Under valgrind each helper takes a second to start: fewer rounds. */
  guint rounds = g_getenv ("GRO_TEST_SOURCE_WRAPPER") ? 4 : N_CHURN_ROUNDS;

  for (guint i = 0; i < N_CHURN_HOSTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("h%u", i);
      g_autofree char *socket = g_strdup_printf ("h%u-0", i);

      hosts[i] = start_host (fixture, name, socket);
      replicas[i] = gro_node_acquire_dynamic (fixture->node, name);
    }

  for (guint round = 0; round < rounds; round++)
    {
      guint victim = g_test_rand_int_range (0, N_CHURN_HOSTS);
      g_autofree char *name = g_strdup_printf ("h%u", victim);
      g_autofree char *socket = NULL;
      g_autofree char *command = NULL;

      g_test_message ("round %u: host %s", round, name);
      gro_test_source_kill (hosts[victim]);
      g_clear_pointer (&hosts[victim], gro_test_source_free);
      if (round % 3 == 2)
        {
          gro_test_source_kill (fixture->registry);
          g_clear_pointer (&fixture->registry, gro_test_source_free);
          fixture->registry = start_registry (fixture);
        }
      /* Sometimes at the same address, mostly at a new one. */
      if (round % 4 != 1)
        generation[victim]++;
      socket = g_strdup_printf ("h%u-%u", victim, generation[victim]);
      hosts[victim] = start_host (fixture, name, socket);
      command = g_strdup_printf ("set i %u", 100 * victim + round);
      gro_test_source_command (hosts[victim], command);

      for (guint i = 0; i < N_CHURN_HOSTS; i++)
        gro_test_await (gro_replica_is_valid (replicas[i]));
      gro_test_await (get_int (replicas[victim]) == (int) (100 * victim + round));
    }

  for (guint i = 0; i < N_CHURN_HOSTS; i++)
    {
      g_object_unref (replicas[i]);
      gro_test_source_free (hosts[i]);
    }
}

/* A host that is not a registry refuses to be one; the node keeps its
 * connection and replicas of its sources. */
static void
test_not_a_registry (void)
{
  g_autoptr(GroTestSource) source = gro_test_source_start (NULL);
  const char *url = gro_test_source_get_url (source, 0);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  int closed = 0;

  g_signal_connect_swapped (node, "connection-closed", G_CALLBACK (g_atomic_int_inc), &closed);
  gro_node_set_registry_url (node, url);
  replica = acquire_valid (node, "test");
  gro_test_source_command (source, "set i 2");
  gro_test_await (get_int (replica) == 2);
  g_assert_cmpint (closed, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (gro_node_get_source_locations (node)), ==, 0);
}

/* A registry in this process: its table is its own model, with its own
 * sources in it. */
static void
test_registry_in_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gro-registry-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "registry", NULL);
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autoptr(GroRegistryHost) registry = gro_registry_host_new (url, &error);
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GroTestSource) source = NULL;
  GListModel *model;

  g_assert_no_error (error);
  g_assert_true (GRO_IS_HOST (registry));
  model = gro_node_get_source_locations (GRO_NODE (registry));

  gro_host_enable_remoting (GRO_HOST (registry), object, "own", &error);
  g_assert_no_error (error);
  gro_test_await (g_list_model_get_n_items (model) == 1);
  g_assert_cmpstr (location_url (GRO_NODE (registry), "own"), ==, url);

  source = gro_test_source_start ("--name", "remote", "--registry", url, NULL);
  gro_test_await (g_list_model_get_n_items (model) == 2);
  g_assert_cmpstr (location_url (GRO_NODE (registry), "remote"), ==,
                   gro_test_source_get_url (source, 0));

  /* A host that exits takes its sources with it. */
  g_clear_pointer (&source, gro_test_source_free);
  gro_test_await (g_list_model_get_n_items (model) == 1);

  gro_host_disable_remoting (GRO_HOST (registry), "own");
  gro_test_await (g_list_model_get_n_items (model) == 0);

  g_clear_object (&registry);
  g_rmdir (dir);
}

/* A shared list is published too, as "GListModel", and a node finds it by
 * name through the registry. */
static void
test_list_by_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gro-registry-XXXXXX", &error);
  g_autofree char *registry_url = g_strconcat ("unix:", dir, "/registry", NULL);
  g_autofree char *host_url = g_strconcat ("unix:", dir, "/host", NULL);
  g_autoptr(GroRegistryHost) registry = gro_registry_host_new (registry_url, &error);
  g_autoptr(GroHost) host = gro_host_new (host_url, &error);
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroListModelReplica) list = NULL;
  g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);
  GListModel *locations;

  g_assert_no_error (error);
  g_list_store_append (store, item);
  g_list_store_append (store, item);
  gro_node_set_registry_url (GRO_NODE (host), registry_url);
  gro_host_enable_model_remoting (host, G_LIST_MODEL (store), "things", &error);
  g_assert_no_error (error);

  locations = gro_node_get_source_locations (GRO_NODE (registry));
  gro_test_await (g_list_model_get_n_items (locations) == 1);
  g_assert_cmpstr (location_url (GRO_NODE (registry), "things"), ==, host_url);
  {
    g_autoptr(GroSourceLocation) location = g_list_model_get_item (locations, 0);
    g_assert_cmpstr (gro_source_location_get_type_name (location), ==, "GListModel");
  }

  gro_node_set_registry_url (node, registry_url);
  list = gro_node_acquire_model (node, "things");
  gro_test_await (g_list_model_get_n_items (G_LIST_MODEL (list)) == 2);

  /* Unsharing withdraws it. */
  gro_host_disable_remoting (host, "things");
  gro_test_await (g_list_model_get_n_items (locations) == 0);

  g_clear_object (&list);
  g_clear_object (&node);
  g_clear_object (&host);
  g_clear_object (&registry);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/registry/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("acquire-by-name", test_acquire_by_name);
  ADD ("locations-follow", test_locations_follow);
  ADD ("host-killed", test_host_killed);
  ADD ("registry-killed", test_registry_killed);
  ADD ("registry-late", test_registry_late);
  ADD ("name-taken", test_name_taken);
  ADD ("sync-wait", test_sync_wait);
  ADD ("churn", test_churn);
#undef ADD
  g_test_add_func ("/registry/not-a-registry", test_not_a_registry);
  g_test_add_func ("/registry/in-process", test_registry_in_process);
  g_test_add_func ("/registry/list-by-name", test_list_by_name);

  return g_test_run ();
}
