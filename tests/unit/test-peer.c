/* test-peer.c: a real node and a real host against a scripted peer
 *
 * One end of a socket pair goes to a GroNode or a GroHost; the test plays
 * the other side frame by frame. The sessions check that gro sends exactly
 * the golden frames of doc/protocol.md; the other cases check what a
 * receiver does with each unexpected or malformed message, as the protocol
 * says: close the link with GRO_ERROR_PROTOCOL, answer ERROR, or ignore.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "gro.h"
#include "gro-frame-private.h"
#include "gro-schema-private.h"

#include "golden-frames.h"
#include "thermostat.h"

#define TIMEOUT_US (10 * G_USEC_PER_SEC)

/* The thermostat's properties in its schema, where members are sorted by
 * name. */
enum
{
  PROP_LABEL = 0,
  PROP_MODE = 1,
  PROP_TEMPERATURE = 2,
};

typedef struct
{
  GroNode    *gro;       /* the GroNode, or the GroHost, under test */
  Thermostat *thermostat;
  GSocket    *socket;    /* the scripted peer's end */
  GByteArray *in;
  gboolean    eof;
  gboolean    closed;    /* GroNode::connection-closed was emitted */
  GError     *closed_error;
} Fixture;

/* ------------------------------------------------------------------------ */
/* The scripted peer                                                         */

static const GoldenFrame *
golden (const char *id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (golden_frames); i++)
    if (g_str_equal (golden_frames[i].id, id))
      return &golden_frames[i];
  g_error ("no golden frame %s", id);
}

static GBytes *
bytes_from_hex (const char *hex)
{
  gsize len = strlen (hex) / 2;
  guint8 *data = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    data[i] = g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]);
  return g_bytes_new_take (data, len);
}

static char *
hex_from_data (const guint8 *data,
               gsize         len)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, "%02x", data[i]);
  return g_string_free (out, FALSE);
}

/* Runs the main context once, and waits a little when it had nothing to do. */
static void
spin (gint64 deadline,
      const char *what)
{
  if (g_get_monotonic_time () > deadline)
    g_error ("timed out waiting for %s", what);
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (500);
}

static void
peer_send_data (Fixture      *f,
                const guint8 *data,
                gsize         len)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;
  gsize done = 0;

  while (done < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (f->socket, (const char *) data + done, len - done, NULL, &error);

      if (n < 0)
        {
          /* gro may have closed the link already; the test finds out. */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return;
          spin (deadline, "room to write");
          continue;
        }
      done += n;
    }

  /* Let gro read it. */
  for (int i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
peer_send (Fixture        *f,
           GroMessageKind  kind,
           guint32         object,
           guint32         member,
           guint32         serial,
           GVariant       *body)
{
  g_autoptr(GBytes) frame = gro_frame_encode (kind, object, member, serial, body);

  peer_send_data (f, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
}

static void
peer_send_golden (Fixture    *f,
                  const char *id)
{
  g_autoptr(GBytes) frame = bytes_from_hex (golden (id)->hex);

  peer_send_data (f, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
}

/* Reads more from the socket; FALSE at the end of the stream. */
static gboolean
peer_fill (Fixture    *f,
           gint64      deadline,
           const char *what)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint8 buffer[4096];
      gssize n = g_socket_receive (f->socket, (char *) buffer, sizeof buffer, NULL, &error);

      if (n > 0)
        {
          g_byte_array_append (f->in, buffer, n);
          return TRUE;
        }
      if (n == 0)
        {
          f->eof = TRUE;
          return FALSE;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          /* A reset is an end too. */
          f->eof = TRUE;
          return FALSE;
        }
      spin (deadline, what);
    }
}

/* The next frame gro sends, as hex; fails the test at the end of the stream. */
static char *
peer_receive_hex (Fixture    *f,
                  GroMessage *message)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      GroMessage local;
      gssize n = gro_frame_decode (f->in->data, f->in->len, GRO_DEFAULT_MAX_FRAME_SIZE,
                                   message ? message : &local, &error);

      g_assert_no_error (error);
      if (n > 0)
        {
          char *hex = hex_from_data (f->in->data, n);

          g_byte_array_remove_range (f->in, 0, n);
          if (message == NULL)
            gro_message_clear (&local);
          return hex;
        }
      if (!peer_fill (f, deadline, "a frame"))
        g_error ("the connection closed while a frame was expected");
    }
}

static void
peer_expect_golden (Fixture    *f,
                    const char *id)
{
  g_autofree char *hex = peer_receive_hex (f, NULL);

  g_test_message ("received golden:%s", id);
  g_assert_cmpstr (hex, ==, golden (id)->hex);
}

static void
peer_expect (Fixture        *f,
             GroMessageKind  kind,
             GroMessage     *message)
{
  g_free (peer_receive_hex (f, message));
  g_assert_cmpstr (gro_message_kind_to_string (message->kind), ==,
                   gro_message_kind_to_string (kind));
}

/* A PING answered proves that the link is open and that everything sent
 * before it was handled. */
static void
peer_roundtrip (Fixture *f)
{
  static guint32 serial = 1000;
  GroMessage message;

  serial++;
  peer_send (f, GRO_MESSAGE_PING, 0, 0, serial, NULL);
  peer_expect (f, GRO_MESSAGE_PONG, &message);
  g_assert_cmpuint (message.serial, ==, serial);
  g_assert_false (f->closed);
}

/* gro closes the link: the stream ends, and connection-closed says why. */
static void
peer_wait_closed (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;

  while (!f->eof)
    {
      g_byte_array_set_size (f->in, 0);
      peer_fill (f, deadline, "the end of the stream");
    }
  while (!f->closed)
    spin (deadline, "connection-closed");

  g_assert_nonnull (f->closed_error);
  g_test_message ("closed: %s", f->closed_error->message);
  g_assert_true (f->closed_error->domain == GRO_ERROR);
}

static void
peer_expect_closed (Fixture *f,
                    int      code)
{
  peer_wait_closed (f);
  g_assert_error (f->closed_error, GRO_ERROR, code);
}

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */

static void
on_connection_closed (GroNode      *node,
                      const char   *address,
                      const GError *error,
                      Fixture      *f)
{
  g_assert_false (f->closed);
  f->closed = TRUE;
  f->closed_error = error ? g_error_copy (error) : NULL;
}

static GIOStream *
fixture_pair (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) mine = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  mine = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  f->socket = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  g_socket_set_blocking (f->socket, FALSE);
  f->in = g_byte_array_new ();

  return G_IO_STREAM (g_socket_connection_factory_create_connection (mine));
}

/* A node whose host is the scripted peer; the node has sent its HELLO. */
static void
node_setup (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GIOStream) stream = fixture_pair (f);
  g_autoptr(GError) error = NULL;

  f->gro = gro_node_new ();
  g_signal_connect (f->gro, "connection-closed", G_CALLBACK (on_connection_closed), f);
  g_assert_true (gro_node_connect_to_stream (f->gro, stream, &error));
  g_assert_no_error (error);

  peer_expect_golden (f, "hello-node");
}

/* As node_setup(), and the peer greeted it and shares "thermostat". */
static void
node_greeted_setup (Fixture       *f,
                    gconstpointer  data)
{
  node_setup (f, data);
  peer_send_golden (f, "hello-host");
  peer_send_golden (f, "sources");
}

/* A host sharing a thermostat, whose node is the scripted peer; the host
 * has sent its HELLO and SOURCES. */
static void
host_setup (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GIOStream) stream = fixture_pair (f);
  g_autoptr(GError) error = NULL;

  f->gro = GRO_NODE (gro_host_new (NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (f->gro, "connection-closed", G_CALLBACK (on_connection_closed), f);
  f->thermostat = thermostat_new ();
  g_assert_true (gro_host_enable_remoting (GRO_HOST (f->gro), G_OBJECT (f->thermostat),
                                           "thermostat", &error));
  g_assert_no_error (error);
  g_assert_true (gro_host_add_stream (GRO_HOST (f->gro), stream, &error));
  g_assert_no_error (error);

  peer_expect_golden (f, "hello-host");
  peer_expect_golden (f, "sources");
}

/* As host_setup(), and the peer greeted it and acquired object 1. */
static void
host_acquired_setup (Fixture       *f,
                     gconstpointer  data)
{
  host_setup (f, data);
  peer_send_golden (f, "hello-node");
  peer_send_golden (f, "acquire");
  peer_expect_golden (f, "init");
}

/* A registry, whose peer is a host that will publish; the registry has sent
 * its HELLO and SOURCES (it shares nothing). */
static void
registry_setup (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GIOStream) stream = fixture_pair (f);
  g_autoptr(GError) error = NULL;
  GroMessage message;

  f->gro = GRO_NODE (gro_registry_host_new (NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (f->gro, "connection-closed", G_CALLBACK (on_connection_closed), f);
  g_assert_true (gro_host_add_stream (GRO_HOST (f->gro), stream, &error));
  g_assert_no_error (error);

  peer_expect_golden (f, "hello-host");
  peer_expect (f, GRO_MESSAGE_SOURCES, &message);
  g_assert_cmpuint (g_variant_n_children (gro_message_get_body (&message)), ==, 0);
  gro_message_clear (&message);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->gro);
  g_clear_object (&f->thermostat);
  g_clear_object (&f->socket);
  g_clear_pointer (&f->in, g_byte_array_unref);
  g_clear_error (&f->closed_error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* ------------------------------------------------------------------------ */
/* Sessions: gro sends the golden frames                                     */

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GVariant **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gro_replica_call_finish (GRO_REPLICA (source), result, &error);
  g_assert_no_error (error);
}

static void
on_write_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  int *out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gro_replica_write_property_finish (GRO_REPLICA (source), result, &error);
  g_assert_no_error (error);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

typedef struct
{
  int   level;
  char *text;
} Alarm;

static void
on_alarm (GObject    *replica,
          int         level,
          const char *text,
          Alarm      *alarm)
{
  alarm->level = level;
  g_free (alarm->text);
  alarm->text = g_strdup (text);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              int        *count)
{
  (*count)++;
}

static void
test_node_session (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autofree char *label = NULL;
  GParamSpec *pspec;
  gint64 deadline;
  Alarm alarm = { 0, NULL };
  int temperature = 0, mode = -1, n_notify = 0, written = -1;
  GValue value = G_VALUE_INIT;

  replica = gro_node_acquire_dynamic (f->gro, "thermostat");
  peer_expect_golden (f, "acquire");

  peer_send_golden (f, "init");
  deadline = g_get_monotonic_time () + TIMEOUT_US;
  while (!gro_replica_is_valid (replica))
    spin (deadline, "the replica");

  g_object_get (replica, "temperature", &temperature, "label", &label, "mode", &mode, NULL);
  g_assert_cmpint (temperature, ==, 21);
  g_assert_cmpstr (label, ==, "Kitchen");
  g_assert_cmpint (mode, ==, THERMOSTAT_MODE_OFF);
  /* ThermostatMode is registered here, so the replica uses it. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (replica), "mode");
  g_assert_cmpuint (pspec->value_type, ==, THERMOSTAT_TYPE_MODE);

  g_signal_connect (replica, "notify::temperature", G_CALLBACK (count_notify), &n_notify);
  peer_send_golden (f, "property");
  while (n_notify == 0)
    spin (deadline, "notify::temperature");
  g_object_get (replica, "temperature", &temperature, NULL);
  g_assert_cmpint (temperature, ==, 22);

  g_signal_connect (replica, "alarm", G_CALLBACK (on_alarm), &alarm);
  peer_send_golden (f, "signal");
  while (alarm.text == NULL)
    spin (deadline, "alarm");
  g_assert_cmpint (alarm.level, ==, 30);
  g_assert_cmpstr (alarm.text, ==, "too hot");
  g_free (alarm.text);

  gro_replica_call_async (replica, "add", g_variant_new ("(ii)", 2, 3), -1, NULL,
                          on_call_done, &result);
  peer_expect_golden (f, "call");
  peer_send_golden (f, "reply");
  while (result == NULL)
    spin (deadline, "the reply");
  g_assert_cmpstr (g_variant_get_type_string (result), ==, "(i)");
  {
    int sum;

    g_variant_get (result, "(i)", &sum);
    g_assert_cmpint (sum, ==, 5);
  }

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 25);
  gro_replica_write_property_async (replica, "temperature", &value, NULL, on_write_done,
                                    &written);
  g_value_unset (&value);
  peer_expect_golden (f, "set-property");
  peer_send_golden (f, "reply-unit");
  while (written < 0)
    spin (deadline, "the write");
  g_assert_true (written);

  peer_send_golden (f, "ping");
  peer_expect_golden (f, "pong");

  /* The last replica gone, the node releases the object. */
  g_clear_object (&replica);
  peer_expect_golden (f, "release");
  peer_roundtrip (f);
}

static void
test_host_session (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Thermostat) second = thermostat_new ();
  g_autoptr(GError) error = NULL;
  GroMessage message;

  peer_send_golden (f, "hello-node");
  peer_send_golden (f, "acquire");
  peer_expect_golden (f, "init");

  g_object_set (f->thermostat, "temperature", 22, NULL);
  peer_expect_golden (f, "property");

  thermostat_alarm (f->thermostat, 30, "too hot");
  peer_expect_golden (f, "signal");

  peer_send_golden (f, "call");
  peer_expect_golden (f, "reply");

  /* The new value reaches every replica, the writer's first, before the
   * reply. */
  peer_send_golden (f, "set-property");
  peer_expect (f, GRO_MESSAGE_PROPERTY, &message);
  g_assert_cmpuint (message.object, ==, 1);
  {
    g_autoptr(GVariant) expected = g_variant_ref_sink (g_variant_new_variant (g_variant_new_int32 (25)));
    g_assert_true (g_variant_equal (gro_message_get_body (&message), expected));
  }
  gro_message_clear (&message);
  peer_expect_golden (f, "reply-unit");

  peer_send_golden (f, "set-read-only");
  peer_expect_golden (f, "error");

  peer_send_golden (f, "acquire-known");
  peer_expect_golden (f, "init-known");

  g_assert_true (gro_host_enable_remoting (GRO_HOST (f->gro), G_OBJECT (second),
                                           "thermostat-2", &error));
  g_assert_no_error (error);
  peer_expect_golden (f, "source-added");
  g_assert_true (gro_host_disable_remoting (GRO_HOST (f->gro), "thermostat-2"));
  peer_expect_golden (f, "source-removed");

  /* Released, object 1 hears no more; object 2 still does. */
  peer_send_golden (f, "release");
  g_object_set (f->thermostat, "temperature", 23, NULL);
  peer_expect (f, GRO_MESSAGE_PROPERTY, &message);
  g_assert_cmpuint (message.object, ==, 2);
  gro_message_clear (&message);

  peer_send_golden (f, "ping");
  peer_expect_golden (f, "pong");
}

/* ------------------------------------------------------------------------ */
/* Handshake                                                                 */

static GVariant *
hello_body (const char *magic,
            guint16     min,
            guint16     max)
{
  return g_variant_new_parsed ("(%s, %q, %q, @a{sv} {})", magic, min, max);
}

static void
test_handshake_pipelined (Fixture       *f,
                          gconstpointer  data)
{
  /* HELLO and a PING in one write: the PING is answered. */
  g_autoptr(GByteArray) both = g_byte_array_new ();

  gro_frame_append (both, GRO_MESSAGE_HELLO, 0, 0, 0, hello_body ("gro", 1, 1));
  gro_frame_append (both, GRO_MESSAGE_PING, 0, 0, 5, NULL);
  peer_send_data (f, both->data, both->len);
  {
    GroMessage message;

    peer_expect (f, GRO_MESSAGE_PONG, &message);
    g_assert_cmpuint (message.serial, ==, 5);
  }
}

static void
test_handshake_versions (Fixture       *f,
                         gconstpointer  data)
{
  /* A peer that also speaks later versions is fine. */
  peer_send (f, GRO_MESSAGE_HELLO, 0, 0, 0, hello_body ("gro", 1, 9));
  peer_roundtrip (f);
}

static void
test_handshake_no_common_version (Fixture       *f,
                                  gconstpointer  data)
{
  peer_send (f, GRO_MESSAGE_HELLO, 0, 0, 0, hello_body ("gro", 2, 3));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (f->closed_error->message, "versions 2 to 3"));
}

static void
test_handshake_bad_magic (Fixture       *f,
                          gconstpointer  data)
{
  peer_send (f, GRO_MESSAGE_HELLO, 0, 0, 0, hello_body ("GRO", 1, 1));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_handshake_not_first (Fixture       *f,
                          gconstpointer  data)
{
  peer_send (f, GRO_MESSAGE_PING, 0, 0, 1, NULL);
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (f->closed_error->message, "before HELLO"));
}

/* A node meets a node, or a host a host: each would wait for the other. */
static void
test_handshake_same_role (Fixture       *f,
                          gconstpointer  data)
{
  peer_send_golden (f, GRO_IS_HOST (f->gro) ? "hello-host" : "hello-node");
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (f->closed_error->message, "too: a node connects to a host"));
}

static void
test_handshake_unknown_role (Fixture       *f,
                             gconstpointer  data)
{
  peer_send (f, GRO_MESSAGE_HELLO, 0, 0, 0,
             g_variant_new_parsed ("('gro', @q 1, @q 1, {'role': <'registry'>})"));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (f->closed_error->message, "'registry'"));
}

static void
test_handshake_twice (Fixture       *f,
                      gconstpointer  data)
{
  peer_send_golden (f, "hello-host");
  peer_send_golden (f, "hello-host");
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_bad_frame (Fixture       *f,
                gconstpointer  data)
{
  static const guint8 unknown_kind[] = { 4, 0, 0, 0, 0x7f, 0, 0, 0 };

  peer_send_golden (f, "hello-host");
  peer_send_data (f, unknown_kind, sizeof unknown_kind);
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (f->closed_error->message, "Bad frame"));
}

/* ------------------------------------------------------------------------ */
/* What a node does with what a host sends                                   */

/* Acquires "thermostat" (object 1) and gives it its INIT. */
static GroReplica *
node_acquire (Fixture *f)
{
  GroReplica *replica = gro_node_acquire_dynamic (f->gro, "thermostat");
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;

  peer_expect_golden (f, "acquire");
  peer_send_golden (f, "init");
  while (!gro_replica_is_valid (replica))
    spin (deadline, "the replica");

  return replica;
}

static void
test_node_refuses_node_messages (Fixture       *f,
                                 gconstpointer  data)
{
  peer_send_golden (f, "acquire");
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_node_ignores_unknown_object (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GroReplica) replica = node_acquire (f);

  /* Frames for an object the node never acquired, or released: ignored. */
  peer_send (f, GRO_MESSAGE_PROPERTY, 77, 0, 0, g_variant_new_variant (g_variant_new_int32 (1)));
  peer_send (f, GRO_MESSAGE_SIGNAL, 77, 0, 0, g_variant_new_variant (g_variant_new ("()")));
  peer_roundtrip (f);
  g_assert_true (gro_replica_is_valid (replica));
}

static void
test_node_ignores_unknown_serial (Fixture       *f,
                                  gconstpointer  data)
{
  peer_send (f, GRO_MESSAGE_REPLY, 0, 0, 99, g_variant_new_variant (g_variant_new ("()")));
  peer_send (f, GRO_MESSAGE_ERROR, 0, 0, 98, g_variant_new ("(sis)", "x", 1, "y"));
  peer_send (f, GRO_MESSAGE_PONG, 0, 0, 97, NULL);
  peer_roundtrip (f);
}

static void
test_node_source_removed (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GroReplica) replica = node_acquire (f);
  g_auto(GStrv) names = NULL;

  peer_send (f, GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0, g_variant_new_string ("thermostat"));
  peer_roundtrip (f);
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SUSPECT);
  names = gro_node_dup_source_names (f->gro);
  g_assert_cmpuint (g_strv_length (names), ==, 0);

  /* Added again: the node acquires it again, as a new object. */
  peer_send (f, GRO_MESSAGE_SOURCE_ADDED, 0, 0, 0,
             g_variant_new ("(sss)", "thermostat", "Thermostat", "0"));
  {
    GroMessage message;
    const char *name, *hash;

    peer_expect (f, GRO_MESSAGE_ACQUIRE, &message);
    g_assert_cmpuint (message.object, ==, 2);
    g_variant_get (gro_message_get_body (&message), "(&s&s)", &name, &hash);
    g_assert_cmpstr (name, ==, "thermostat");
    /* It knows the schema now. */
    g_assert_cmpuint (strlen (hash), ==, 32);
    gro_message_clear (&message);
  }
}

static void
test_node_property_before_init (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GroReplica) replica = gro_node_acquire_dynamic (f->gro, "thermostat");

  peer_expect_golden (f, "acquire");
  peer_send_golden (f, "property");
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_UNINITIALIZED);
}

static void
test_node_property_unknown_member (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GroReplica) replica = node_acquire (f);

  peer_send (f, GRO_MESSAGE_PROPERTY, 1, 3, 0, g_variant_new_variant (g_variant_new_int32 (1)));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SUSPECT);
}

static void
test_node_property_wrong_type (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GroReplica) replica = node_acquire (f);

  /* temperature is a gint: an "x" is not one. */
  peer_send (f, GRO_MESSAGE_PROPERTY, 1, PROP_TEMPERATURE, 0, g_variant_new_variant (g_variant_new_int64 (1)));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_node_signal_wrong_type (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GroReplica) replica = node_acquire (f);

  /* alarm takes (ims); a plain string is not a maybe. */
  peer_send (f, GRO_MESSAGE_SIGNAL, 1, 0, 0,
             g_variant_new_variant (g_variant_new ("(is)", 1, "x")));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_node_signal_unknown_member (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GroReplica) replica = node_acquire (f);

  peer_send (f, GRO_MESSAGE_SIGNAL, 1, 1, 0, g_variant_new_variant (g_variant_new ("()")));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

/* The INIT of the golden session, with some parts replaced. */
static GVariant *
init_variant (const char *hash,
              gboolean    with_schema,
              GVariant   *values)
{
  g_autoptr(GBytes) frame = bytes_from_hex (golden ("init")->hex);
  g_autoptr(GVariant) body = NULL;
  g_autoptr(GVariant) schema = NULL;
  g_autoptr(GVariant) golden_values = NULL;
  const char *golden_hash;
  GroMessage message;

  g_assert_cmpint (gro_frame_decode (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame),
                                     GRO_DEFAULT_MAX_FRAME_SIZE, &message, NULL), >, 0);
  body = g_variant_ref (gro_message_get_body (&message));
  gro_message_clear (&message);
  g_variant_get (body, "(&s@m" GRO_SCHEMA_TYPE_STRING "v)", &golden_hash, &schema,
                 &golden_values);

  return g_variant_new ("(s@m" GRO_SCHEMA_TYPE_STRING "@v)",
                        hash ? hash : golden_hash,
                        with_schema ? schema
                                    : g_variant_new_maybe (G_VARIANT_TYPE (GRO_SCHEMA_TYPE_STRING),
                                                           NULL),
                        g_variant_new_variant (values ? values : golden_values));
}

static void
test_node_init_hash_mismatch (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GroReplica) replica = gro_node_acquire_dynamic (f->gro, "thermostat");

  peer_expect_golden (f, "acquire");
  peer_send (f, GRO_MESSAGE_INIT, 1, 0, 0,
             init_variant ("00000000000000000000000000000000", TRUE, NULL));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_node_init_unknown_schema (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GroReplica) replica = gro_node_acquire_dynamic (f->gro, "thermostat");

  peer_expect_golden (f, "acquire");
  peer_send (f, GRO_MESSAGE_INIT, 1, 0, 0, init_variant (NULL, FALSE, NULL));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_node_init_wrong_values (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GroReplica) replica = gro_node_acquire_dynamic (f->gro, "thermostat");

  peer_expect_golden (f, "acquire");
  /* label is a gchararray: "ms", not "s". */
  peer_send (f, GRO_MESSAGE_INIT, 1, 0, 0,
             init_variant (NULL, TRUE, g_variant_new ("(isi)", 21, "Kitchen", 0)));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static GVariant *
schema_with_enum (const char *enum_name,
                  guint       n_values)
{
  GVariantBuilder values;

  g_variant_builder_init (&values, G_VARIANT_TYPE ("a(uss)"));
  for (guint i = 0; i < n_values; i++)
    g_variant_builder_add (&values, "(uss)", i, "VALUE", "value");

  return g_variant_new_parsed ("(%s, [('level', %s, uint32 1)], @a(sas) [], @a(sass) [],"
                               " [(%s, false, %@a(uss))])",
                               "Gauge", enum_name, enum_name, g_variant_builder_end (&values));
}

/* A schema this node cannot represent makes the replica fail; the link, and
 * every other replica on it, stays. */
static void
test_node_init_unbindable (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GroReplica) replica = gro_node_acquire_dynamic (f->gro, "thermostat");
  g_autoptr(GroSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *wire = g_variant_ref_sink (schema_with_enum ("GaugeLevelWithoutValues", 0));

  schema = gro_schema_new_from_variant (wire, &error);
  g_assert_no_error (error);
  g_variant_unref (wire);

  peer_expect_golden (f, "acquire");
  peer_send (f, GRO_MESSAGE_INIT, 1, 0, 0,
             g_variant_new ("(s@m" GRO_SCHEMA_TYPE_STRING "v)", schema->hash,
                            g_variant_new_maybe (NULL, schema->variant),
                            g_variant_new ("(i)", 0)));

  /* The node releases the object ... */
  {
    GroMessage message;

    peer_expect (f, GRO_MESSAGE_RELEASE, &message);
    g_assert_cmpuint (message.object, ==, 1);
    gro_message_clear (&message);
  }
  peer_roundtrip (f);
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SIGNATURE_MISMATCH);

  /* ... and ignores what the host sent of it before it heard; the link
   * stays. */
  peer_send (f, GRO_MESSAGE_PROPERTY, 1, 0, 0, g_variant_new_variant (g_variant_new_int32 (1)));
  peer_roundtrip (f);
  g_assert_cmpint (gro_replica_get_state (replica), ==, GRO_REPLICA_STATE_SIGNATURE_MISMATCH);
}

static void
test_node_schema_too_big (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GroReplica) replica = gro_node_acquire_dynamic (f->gro, "thermostat");
  GVariantBuilder props;
  g_autoptr(GVariant) wire = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *hash = NULL;

  g_variant_builder_init (&props, G_VARIANT_TYPE ("a(ssu)"));
  for (guint i = 0; i <= GRO_SCHEMA_MAX_MEMBERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u", i);
      g_variant_builder_add (&props, "(ssu)", name, "gint", 1);
    }
  wire = g_variant_ref_sink (g_variant_new ("(s@a(ssu)@a(sas)@a(sass)@a(sba(uss)))", "Big",
                                            g_variant_builder_end (&props),
                                            g_variant_new_array (G_VARIANT_TYPE ("(sas)"), NULL, 0),
                                            g_variant_new_array (G_VARIANT_TYPE ("(sass)"), NULL, 0),
                                            g_variant_new_array (G_VARIANT_TYPE ("(sba(uss))"),
                                                                 NULL, 0)));
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, g_variant_get_data (wire),
                                        g_variant_get_size (wire));
  hash = g_strndup (digest, 32);

  peer_expect_golden (f, "acquire");
  peer_send (f, GRO_MESSAGE_INIT, 1, 0, 0,
             g_variant_new ("(s@m" GRO_SCHEMA_TYPE_STRING "v)", hash,
                            g_variant_new_maybe (NULL, wire), g_variant_new ("()")));
  peer_expect_closed (f, GRO_ERROR_LIMIT_EXCEEDED);
}

static void
test_node_reply_wrong_type (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GroReplica) replica = node_acquire (f);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;
  GroMessage message;

  gro_replica_call_async (replica, "add", g_variant_new ("(ii)", 2, 3), -1, NULL,
                          store_result, &result);
  peer_expect (f, GRO_MESSAGE_CALL, &message);
  peer_send (f, GRO_MESSAGE_REPLY, 0, 0, message.serial,
             g_variant_new_variant (g_variant_new ("(s)", "five")));
  gro_message_clear (&message);
  while (result == NULL)
    spin (deadline, "the reply");

  /* The call fails; the link stays. */
  value = gro_replica_call_finish (replica, result, &error);
  g_assert_null (value);
  g_assert_error (error, GRO_ERROR, GRO_ERROR_PROTOCOL);
  peer_roundtrip (f);
}

static void
test_node_remote_error (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GroReplica) replica = node_acquire (f);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;
  GroMessage message;

  gro_replica_call_async (replica, "reset", NULL, -1, NULL,
                          store_result, &result);
  peer_expect (f, GRO_MESSAGE_CALL, &message);
  {
    g_autoptr(GVariant) args = g_variant_get_variant (gro_message_get_body (&message));
    g_assert_cmpstr (g_variant_get_type_string (args), ==, "()");
  }
  peer_send (f, GRO_MESSAGE_ERROR, 0, 0, message.serial,
             g_variant_new ("(sis)", "gro-test-peer-error-quark", 7, "It broke"));
  gro_message_clear (&message);
  while (result == NULL)
    spin (deadline, "the error");

  /* The domain comes back by name, with its code and message. */
  value = gro_replica_call_finish (replica, result, &error);
  g_assert_null (value);
  g_assert_error (error, g_quark_from_static_string ("gro-test-peer-error-quark"), 7);
  g_assert_cmpstr (error->message, ==, "It broke");
}

/* ------------------------------------------------------------------------ */
/* What a host does with what a node sends                                   */

static void
expect_error (Fixture *f,
              guint32  serial,
              int      code)
{
  GroMessage message;
  const char *domain, *text;
  int error_code;

  peer_expect (f, GRO_MESSAGE_ERROR, &message);
  g_assert_cmpuint (message.serial, ==, serial);
  g_variant_get (gro_message_get_body (&message), "(&si&s)", &domain, &error_code, &text);
  g_test_message ("ERROR %s %d: %s", domain, error_code, text);
  g_assert_cmpstr (domain, ==, "gro-error-quark");
  g_assert_cmpint (error_code, ==, code);
  g_assert_cmpstr (text, !=, "");
  gro_message_clear (&message);
}

static void
test_host_refuses_host_messages (Fixture       *f,
                                 gconstpointer  data)
{
  peer_send_golden (f, "sources");
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_host_refuses_reply (Fixture       *f,
                         gconstpointer  data)
{
  peer_send_golden (f, "reply");
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_host_acquire_zero (Fixture       *f,
                        gconstpointer  data)
{
  peer_send_golden (f, "hello-node");
  peer_send (f, GRO_MESSAGE_ACQUIRE, 0, 0, 0, g_variant_new ("(ss)", "thermostat", ""));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_host_acquire_twice (Fixture       *f,
                         gconstpointer  data)
{
  peer_send_golden (f, "acquire");
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_host_acquire_unknown (Fixture       *f,
                           gconstpointer  data)
{
  GroMessage message;

  peer_send_golden (f, "hello-node");
  peer_send (f, GRO_MESSAGE_ACQUIRE, 5, 0, 0, g_variant_new ("(ss)", "boiler", ""));
  peer_expect (f, GRO_MESSAGE_SOURCE_REMOVED, &message);
  g_assert_cmpstr (g_variant_get_string (gro_message_get_body (&message), NULL), ==, "boiler");
  g_assert_cmpuint (message.object, ==, 0);
  gro_message_clear (&message);
}

static void
test_host_call_errors (Fixture       *f,
                       gconstpointer  data)
{
  /* Not acquired on this link. */
  peer_send (f, GRO_MESSAGE_CALL, 9, 0, 10, g_variant_new_variant (g_variant_new ("(ii)", 2, 3)));
  expect_error (f, 10, GRO_ERROR_SOURCE_UNAVAILABLE);

  /* No method 2 (add and reset are 0 and 1). */
  peer_send (f, GRO_MESSAGE_CALL, 1, 2, 11, g_variant_new_variant (g_variant_new ("()")));
  expect_error (f, 11, GRO_ERROR_UNKNOWN_METHOD);

  /* add takes (ii). */
  peer_send (f, GRO_MESSAGE_CALL, 1, 0, 12, g_variant_new_variant (g_variant_new ("(i)", 2)));
  expect_error (f, 12, GRO_ERROR_INVALID_ARGS);
  peer_send (f, GRO_MESSAGE_CALL, 1, 0, 13, g_variant_new_variant (g_variant_new ("(ix)", 2, 3)));
  expect_error (f, 13, GRO_ERROR_INVALID_ARGS);

  /* reset takes (). */
  peer_send (f, GRO_MESSAGE_CALL, 1, 1, 14, g_variant_new_variant (g_variant_new ("(i)", 2)));
  expect_error (f, 14, GRO_ERROR_INVALID_ARGS);

  peer_roundtrip (f);
}

static void
test_host_call_serial_zero (Fixture       *f,
                            gconstpointer  data)
{
  peer_send (f, GRO_MESSAGE_CALL, 1, 0, 0, g_variant_new_variant (g_variant_new ("(ii)", 2, 3)));
  peer_expect_closed (f, GRO_ERROR_PROTOCOL);
}

static void
test_host_set_property_errors (Fixture       *f,
                               gconstpointer  data)
{
  /* No property 3. */
  peer_send (f, GRO_MESSAGE_SET_PROPERTY, 1, 3, 20,
             g_variant_new_variant (g_variant_new_int32 (1)));
  expect_error (f, 20, GRO_ERROR_UNKNOWN_PROPERTY);

  /* temperature is "i". */
  peer_send (f, GRO_MESSAGE_SET_PROPERTY, 1, PROP_TEMPERATURE, 21,
             g_variant_new_variant (g_variant_new_uint32 (1)));
  expect_error (f, 21, GRO_ERROR_INVALID_ARGS);

  /* temperature is -100..100. */
  peer_send (f, GRO_MESSAGE_SET_PROPERTY, 1, PROP_TEMPERATURE, 22,
             g_variant_new_variant (g_variant_new_int32 (1000)));
  expect_error (f, 22, GRO_ERROR_INVALID_VALUE);

  /* ThermostatMode has no value 5. */
  peer_send (f, GRO_MESSAGE_SET_PROPERTY, 1, PROP_MODE, 23,
             g_variant_new_variant (g_variant_new_int32 (5)));
  expect_error (f, 23, GRO_ERROR_INVALID_VALUE);

  /* Not acquired on this link. */
  peer_send (f, GRO_MESSAGE_SET_PROPERTY, 2, PROP_TEMPERATURE, 24,
             g_variant_new_variant (g_variant_new_int32 (1)));
  expect_error (f, 24, GRO_ERROR_SOURCE_UNAVAILABLE);

  peer_roundtrip (f);
  {
    int temperature;
    ThermostatMode mode;

    g_object_get (f->thermostat, "temperature", &temperature, "mode", &mode, NULL);
    g_assert_cmpint (temperature, ==, 21);
    g_assert_cmpint (mode, ==, THERMOSTAT_MODE_OFF);
  }
}

static void
test_host_release_unknown (Fixture       *f,
                           gconstpointer  data)
{
  peer_send (f, GRO_MESSAGE_RELEASE, 42, 0, 0, NULL);
  peer_roundtrip (f);
  /* Object 1 is still served. */
  g_object_set (f->thermostat, "temperature", 30, NULL);
  {
    GroMessage message;

    peer_expect (f, GRO_MESSAGE_PROPERTY, &message);
    g_assert_cmpuint (message.object, ==, 1);
    gro_message_clear (&message);
  }
}

/* A real registry answers the registry's golden frames with golden frames. */
static void
test_session_registry (Fixture       *f,
                       gconstpointer  data)
{
  GListModel *model = gro_node_get_source_locations (f->gro);

  peer_send_golden (f, "hello-node");
  peer_send_golden (f, "publish");
  peer_expect_golden (f, "reply-unit");
  peer_send_golden (f, "watch");
  peer_expect_golden (f, "watch-reply");
  peer_roundtrip (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  peer_send_golden (f, "unpublish");
  peer_expect_golden (f, "location-removed");
  peer_roundtrip (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_false (f->closed);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Registered before any replica is made, so that replicas use the real
   * ThermostatMode rather than one built from the schema. */
  g_type_class_unref (g_type_class_ref (THERMOSTAT_TYPE));

#define NODE(path, func, setup) \
  g_test_add ("/peer/node/" path, Fixture, NULL, setup, func, teardown)
#define HOST(path, func, setup) \
  g_test_add ("/peer/host/" path, Fixture, NULL, setup, func, teardown)

  NODE ("session", test_node_session, node_greeted_setup);
  NODE ("handshake/pipelined", test_handshake_pipelined, node_setup);
  NODE ("handshake/versions", test_handshake_versions, node_setup);
  NODE ("handshake/no-common-version", test_handshake_no_common_version, node_setup);
  NODE ("handshake/bad-magic", test_handshake_bad_magic, node_setup);
  NODE ("handshake/not-first", test_handshake_not_first, node_setup);
  NODE ("handshake/twice", test_handshake_twice, node_setup);
  NODE ("handshake/same-role", test_handshake_same_role, node_setup);
  NODE ("handshake/unknown-role", test_handshake_unknown_role, node_setup);
  NODE ("bad-frame", test_bad_frame, node_setup);
  NODE ("refuses-node-messages", test_node_refuses_node_messages, node_greeted_setup);
  NODE ("ignores-unknown-object", test_node_ignores_unknown_object, node_greeted_setup);
  NODE ("ignores-unknown-serial", test_node_ignores_unknown_serial, node_greeted_setup);
  NODE ("source-removed", test_node_source_removed, node_greeted_setup);
  NODE ("property/before-init", test_node_property_before_init, node_greeted_setup);
  NODE ("property/unknown-member", test_node_property_unknown_member, node_greeted_setup);
  NODE ("property/wrong-type", test_node_property_wrong_type, node_greeted_setup);
  NODE ("signal/wrong-type", test_node_signal_wrong_type, node_greeted_setup);
  NODE ("signal/unknown-member", test_node_signal_unknown_member, node_greeted_setup);
  NODE ("init/hash-mismatch", test_node_init_hash_mismatch, node_greeted_setup);
  NODE ("init/unknown-schema", test_node_init_unknown_schema, node_greeted_setup);
  NODE ("init/wrong-values", test_node_init_wrong_values, node_greeted_setup);
  NODE ("init/unbindable", test_node_init_unbindable, node_greeted_setup);
  NODE ("init/schema-too-big", test_node_schema_too_big, node_greeted_setup);
  NODE ("reply/wrong-type", test_node_reply_wrong_type, node_greeted_setup);
  NODE ("reply/remote-error", test_node_remote_error, node_greeted_setup);

  HOST ("session", test_host_session, host_setup);
  HOST ("handshake/no-common-version", test_handshake_no_common_version, host_setup);
  HOST ("handshake/not-first", test_handshake_not_first, host_setup);
  HOST ("handshake/same-role", test_handshake_same_role, host_setup);
  HOST ("refuses-host-messages", test_host_refuses_host_messages, host_acquired_setup);
  HOST ("refuses-reply", test_host_refuses_reply, host_acquired_setup);
  HOST ("acquire/zero", test_host_acquire_zero, host_setup);
  HOST ("acquire/twice", test_host_acquire_twice, host_acquired_setup);
  HOST ("acquire/unknown", test_host_acquire_unknown, host_setup);
  HOST ("call/errors", test_host_call_errors, host_acquired_setup);
  HOST ("call/serial-zero", test_host_call_serial_zero, host_acquired_setup);
  HOST ("set-property/errors", test_host_set_property_errors, host_acquired_setup);
  HOST ("release/unknown", test_host_release_unknown, host_acquired_setup);

  g_test_add ("/peer/registry/session", Fixture, NULL, registry_setup,
              test_session_registry, teardown);

  return g_test_run ();
}
