/* test-hostile.c: what a broken or hostile peer can do to a host
 *
 * Each case connects a raw socket to a host in this process, sends bytes,
 * and checks that the host either closes that one connection with a clear
 * GError or answers with an error, while a well-behaved replica of the same
 * host keeps working.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>
#include <gro.h>
#include <string.h>

#include "gro-frame-private.h"
#include "gro-test-object.h"
#include "gro-test-util.h"

typedef struct
{
  char          *dir;
  char          *url;
  GroHost       *host;
  GroTestObject *object;
  GroNode       *node;
  GroReplica    *good;
  GError        *closed_error;
  int            closed;
} Fixture;

static void
on_connection_closed (GroNode      *node,
                      const char   *address,
                      const GError *error,
                      Fixture      *f)
{
  f->closed++;
  g_clear_error (&f->closed_error);
  f->closed_error = error ? g_error_copy (error) : NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gro_test_temp_socket_path ("host");

  f->dir = g_path_get_dirname (path);
  f->url = g_strconcat ("unix:", path, NULL);
  /* Data "registry": the host is a registry. */
  f->host = data != NULL ? GRO_HOST (gro_registry_host_new (f->url, &error))
                         : gro_host_new (f->url, &error);
  g_assert_no_error (error);
  f->object = gro_test_object_new ();
  gro_host_enable_remoting (f->host, G_OBJECT (f->object), "test", &error);
  g_assert_no_error (error);
  g_signal_connect (f->host, "connection-closed", G_CALLBACK (on_connection_closed), f);

  /* A well-behaved peer, checked after each bad one. */
  f->node = gro_node_new ();
  gro_node_connect_to_node (f->node, f->url, &error);
  g_assert_no_error (error);
  f->good = gro_node_acquire_dynamic (f->node, "test");
  gro_test_await (gro_replica_is_valid (f->good));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->good);
  g_clear_object (&f->node);
  g_clear_object (&f->host);
  g_clear_object (&f->object);
  g_clear_error (&f->closed_error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->url);
}

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
assert_good_peer_served (Fixture *f)
{
  g_autoptr(GVariant) result = NULL;
  int sum;

  gro_replica_call_async (f->good, "add", g_variant_new ("(ii)", 20, 22), -1, NULL,
                          on_call_done, &result);
  gro_test_await (result != NULL);
  g_variant_get (result, "(i)", &sum);
  g_assert_cmpint (sum, ==, 42);
  g_assert_true (gro_replica_is_valid (f->good));
}

/* ------------------------------------------------------------------------ */
/* A raw peer                                                                */

typedef struct
{
  GSocketConnection *connection;
  GSocket           *socket;
  GByteArray        *in;
  gboolean           eof;
} Raw;

static Raw *
raw_connect (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  Raw *raw = g_new0 (Raw, 1);

  address = g_unix_socket_address_new (f->url + strlen ("unix:"));
  raw->connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);
  raw->socket = g_socket_connection_get_socket (raw->connection);
  g_socket_set_blocking (raw->socket, FALSE);
  raw->in = g_byte_array_new ();

  return raw;
}

static void
raw_free (Raw *raw)
{
  g_object_unref (raw->connection);
  g_byte_array_unref (raw->in);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static void
raw_send (Raw          *raw,
          const guint8 *data,
          gsize         length)
{
  g_autoptr(GError) error = NULL;
  gsize sent = 0;

  while (sent < length)
    {
      gssize n = g_socket_send (raw->socket, (const char *) data + sent, length - sent, NULL,
                                &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          g_main_context_iteration (NULL, FALSE);
          continue;
        }
      g_assert_no_error (error);
      sent += n;
    }
}

static void
raw_send_frame (Raw            *raw,
                GroMessageKind  kind,
                guint32         object,
                guint32         member,
                guint32         serial,
                GVariant       *body)
{
  g_autoptr(GBytes) frame = gro_frame_encode (kind, object, member, serial, body);

  raw_send (raw, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
}

static void
raw_send_hello (Raw *raw)
{
  raw_send_frame (raw, GRO_MESSAGE_HELLO, 0, 0, 0,
                  g_variant_new ("(sqqa{sv})", "gro", 1, 1, NULL));
}

/* The next message the host sends, whatever its kind. */
static gboolean
raw_read_any (Raw        *raw,
              GroMessage *message)
{
  gint64 deadline = g_get_monotonic_time () + GRO_TEST_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint8 buffer[4096];
      gssize n;

      if (raw->in->len > 0)
        {
          gssize used = gro_frame_decode (raw->in->data, raw->in->len, G_MAXUINT32, message,
                                          &error);
          g_assert_no_error (error);
          if (used > 0)
            {
              g_byte_array_remove_range (raw->in, 0, used);
              return TRUE;
            }
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out reading from the host");

      n = g_socket_receive (raw->socket, (char *) buffer, sizeof buffer, NULL, &error);
      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
        return FALSE;
      if (n > 0)
        g_byte_array_append (raw->in, buffer, n);
      else if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* Reads what the host sends until @kind arrives (returned) or the host
 * closes the connection (NULL, and raw->eof). */
static gboolean
raw_read_message (Raw            *raw,
                  GroMessageKind  kind,
                  GroMessage     *message)
{
  while (raw_read_any (raw, message))
    {
      if (message->kind == kind)
        return TRUE;
      gro_message_clear (message);
    }
  raw->eof = TRUE;
  return FALSE;
}

static void
assert_closed_with (Fixture    *f,
                    Raw        *raw,
                    int         code,
                    const char *fragment)
{
  GroMessage message;
  gboolean told = FALSE;

  gro_test_await (f->closed == 1);
  g_assert_error (f->closed_error, GRO_ERROR, code);
  if (fragment != NULL && strstr (f->closed_error->message, fragment) == NULL)
    g_error ("'%s' is not in the error: %s", fragment, f->closed_error->message);

  /* The host did close it, and said why first: the peer reads to the end,
   * the last frame an ERROR with serial 0 carrying the host's error. */
  while (raw_read_any (raw, &message))
    {
      if (message.kind == GRO_MESSAGE_ERROR && message.serial == 0)
        {
          const char *domain, *text;
          int got;

          g_variant_get (gro_message_get_body (&message), "(&si&s)", &domain, &got, &text);
          g_assert_cmpstr (domain, ==, g_quark_to_string (GRO_ERROR));
          g_assert_cmpint (got, ==, code);
          g_assert_cmpstr (text, ==, f->closed_error->message);
          told = TRUE;
        }
      gro_message_clear (&message);
    }
  g_assert_cmpint (told, ==, code == GRO_ERROR_PROTOCOL);

  assert_good_peer_served (f);
}

/* Acquires the test source on a raw connection: returns its object id. */
static guint32
raw_acquire (Raw *raw)
{
  GroMessage message;

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_ACQUIRE, 1, 0, 0, g_variant_new ("(ss)", "test", ""));
  g_assert_true (raw_read_message (raw, GRO_MESSAGE_INIT, &message));
  g_assert_cmpuint (message.object, ==, 1);
  gro_message_clear (&message);
  return 1;
}

static void
assert_error_reply (Raw      *raw,
                    guint32   serial,
                    GQuark    domain,
                    int       code)
{
  GroMessage message;
  const char *got_domain, *text;
  int got_code;

  g_assert_true (raw_read_message (raw, GRO_MESSAGE_ERROR, &message));
  g_assert_cmpuint (message.serial, ==, serial);
  g_variant_get (gro_message_get_body (&message), "(&si&s)", &got_domain, &got_code, &text);
  g_assert_cmpstr (got_domain, ==, g_quark_to_string (domain));
  g_assert_cmpint (got_code, ==, code);
  g_assert_cmpstr (text, !=, "");
  gro_message_clear (&message);
}

/* ------------------------------------------------------------------------ */
/* Cases that close the link                                                 */

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  const char *http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

  raw_send (raw, (const guint8 *) http, strlen (http));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "length");
}

static void
test_absurd_length (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  const guint8 frame[] = { 0xff, 0xff, 0xff, 0xff, GRO_MESSAGE_PING, 0, 0, 0 };

  raw_send (raw, frame, sizeof frame);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "length");
}

static void
test_just_over_limit (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  guint32 length = GRO_DEFAULT_MAX_FRAME_SIZE + 1;
  const guint8 frame[] = { length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff,
                           length >> 24, GRO_MESSAGE_PING };

  /* Refused from the header alone: nothing waits for 16 MiB to arrive. */
  raw_send (raw, frame, sizeof frame);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "length");
}

static void
test_short_length (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  const guint8 frame[] = { 2, 0, 0, 0, GRO_MESSAGE_PING, 0 };

  raw_send (raw, frame, sizeof frame);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "length");
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  g_autoptr(GBytes) hello = gro_frame_encode (GRO_MESSAGE_HELLO, 0, 0, 0,
                                              g_variant_new ("(sqqa{sv})", "gro", 1, 1, NULL));

  raw_send (raw, g_bytes_get_data (hello, NULL), g_bytes_get_size (hello) - 3);
  g_socket_shutdown (raw->socket, FALSE, TRUE, NULL);
  assert_closed_with (f, raw, GRO_ERROR_DISCONNECTED, "middle of a frame");
}

static void
test_unknown_kind (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  const guint8 frame[] = { 4, 0, 0, 0, 0x7f, 0, 0, 0 };

  raw_send_hello (raw);
  raw_send (raw, frame, sizeof frame);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "0x7f");
}

static void
test_overlong_varint (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  const guint8 frame[] = { 9, 0, 0, 0, GRO_MESSAGE_PING, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0 };

  raw_send_hello (raw);
  raw_send (raw, frame, sizeof frame);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "header");
}

static void
test_trailing_bytes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  const guint8 frame[] = { 8, 0, 0, 0, GRO_MESSAGE_PING, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef };

  raw_send_hello (raw);
  raw_send (raw, frame, sizeof frame);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "unexpected bytes");
}

static void
test_malformed_body (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  /* A HELLO whose body is not a valid (sqqa{sv}). */
  const guint8 frame[] = { 10, 0, 0, 0, GRO_MESSAGE_HELLO, 0, 0, 0, 'g', 'r', 'o', 0xff, 0xff, 0xff };

  raw_send (raw, frame, sizeof frame);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "Malformed body");
}

static void
test_bad_utf8 (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  /* SOURCE_REMOVED's body is a string; this one is not UTF-8. */
  const guint8 frame[] = { 7, 0, 0, 0, GRO_MESSAGE_ACQUIRE, 1, 0, 0, 0xc3, 0x28, 0 };

  raw_send_hello (raw);
  raw_send (raw, frame, sizeof frame);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "Malformed body");
}

static void
test_before_hello (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_frame (raw, GRO_MESSAGE_ACQUIRE, 1, 0, 0, g_variant_new ("(ss)", "test", ""));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "before HELLO");
}

/* A peer that says why it leaves: an ERROR with serial 0, before or after
 * HELLO, closes the link as lost, with the peer's words. */
static void
test_peer_says_why (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  if (GPOINTER_TO_INT (data))
    raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_ERROR, 0, 0, 0,
                  g_variant_new ("(sis)", "gro-error-quark", GRO_ERROR_PROTOCOL, "you lied"));
  assert_closed_with (f, raw, GRO_ERROR_DISCONNECTED, "closed the connection: you lied");
}

static void
test_not_gro (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_frame (raw, GRO_MESSAGE_HELLO, 0, 0, 0,
                  g_variant_new ("(sqqa{sv})", "grr", 1, 1, NULL));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "not a gro peer");
}

static void
test_version_mismatch (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_frame (raw, GRO_MESSAGE_HELLO, 0, 0, 0,
                  g_variant_new ("(sqqa{sv})", "gro", 7, 9, NULL));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "versions 7 to 9");
}

static void
test_hello_twice (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_hello (raw);
  raw_send_hello (raw);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "HELLO twice");
}

static void
test_host_message_to_host (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0, g_variant_new_string ("test"));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "SOURCE_REMOVED");
}

static void
test_reply_to_host (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_REPLY, 0, 0, 5, g_variant_new_variant (g_variant_new ("()")));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "REPLY");
}

static void
test_acquire_object_zero (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_ACQUIRE, 0, 0, 0, g_variant_new ("(ss)", "test", ""));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "object 0");
}

static void
test_acquire_twice (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_acquire (raw);
  raw_send_frame (raw, GRO_MESSAGE_ACQUIRE, 1, 0, 0, g_variant_new ("(ss)", "test", ""));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "in use");
}

static void
test_call_without_serial (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  guint32 id = raw_acquire (raw);

  raw_send_frame (raw, GRO_MESSAGE_CALL, id, 0, 0, g_variant_new_variant (g_variant_new ("()")));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "without a serial");
}

/* ------------------------------------------------------------------------ */
/* Cases answered with an error; the link stays                              */

static int
method_index (Fixture    *f,
              const char *name)
{
  GDBusInterfaceInfo *info = gro_replica_get_interface_info (f->good);

  for (int i = 0; info->methods[i] != NULL; i++)
    if (g_str_equal (info->methods[i]->name, name))
      return i;
  g_assert_not_reached ();
}

static int
property_index (Fixture    *f,
                const char *name)
{
  GDBusInterfaceInfo *info = gro_replica_get_interface_info (f->good);

  for (int i = 0; info->properties[i] != NULL; i++)
    if (g_str_equal (info->properties[i]->name, name))
      return i;
  g_assert_not_reached ();
}

static void
assert_still_open (Fixture *f,
                   Raw     *raw)
{
  GroMessage message;

  /* A PING is still answered. */
  raw_send_frame (raw, GRO_MESSAGE_PING, 0, 0, 77, NULL);
  g_assert_true (raw_read_message (raw, GRO_MESSAGE_PONG, &message));
  g_assert_cmpuint (message.serial, ==, 77);
  g_assert_cmpint (f->closed, ==, 0);
  assert_good_peer_served (f);
}

static void
test_call_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  guint32 id = raw_acquire (raw);
  guint add = method_index (f, "add");

  /* Wrong argument types: no type confusion, an error. */
  raw_send_frame (raw, GRO_MESSAGE_CALL, id, add, 1,
                  g_variant_new_variant (g_variant_new ("(ss)", "a", "b")));
  assert_error_reply (raw, 1, GRO_ERROR, GRO_ERROR_INVALID_ARGS);

  /* Too few arguments. */
  raw_send_frame (raw, GRO_MESSAGE_CALL, id, add, 2,
                  g_variant_new_variant (g_variant_new ("(i)", 1)));
  assert_error_reply (raw, 2, GRO_ERROR, GRO_ERROR_INVALID_ARGS);

  /* Too many. */
  raw_send_frame (raw, GRO_MESSAGE_CALL, id, add, 3,
                  g_variant_new_variant (g_variant_new ("(iii)", 1, 2, 3)));
  assert_error_reply (raw, 3, GRO_ERROR, GRO_ERROR_INVALID_ARGS);

  /* No such method. */
  raw_send_frame (raw, GRO_MESSAGE_CALL, id, 9999, 4,
                  g_variant_new_variant (g_variant_new ("()")));
  assert_error_reply (raw, 4, GRO_ERROR, GRO_ERROR_UNKNOWN_METHOD);

  /* No such object on this connection. */
  raw_send_frame (raw, GRO_MESSAGE_CALL, 99, add, 5,
                  g_variant_new_variant (g_variant_new ("(ii)", 1, 2)));
  assert_error_reply (raw, 5, GRO_ERROR, GRO_ERROR_SOURCE_UNAVAILABLE);

  assert_still_open (f, raw);
}

static void
test_write_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  guint32 id = raw_acquire (raw);
  int before;

  raw_send_frame (raw, GRO_MESSAGE_SET_PROPERTY, id, property_index (f, "counter"), 1,
                  g_variant_new_variant (g_variant_new_int32 (5)));
  assert_error_reply (raw, 1, GRO_ERROR, GRO_ERROR_READ_ONLY);

  raw_send_frame (raw, GRO_MESSAGE_SET_PROPERTY, id, 9999, 2,
                  g_variant_new_variant (g_variant_new_int32 (5)));
  assert_error_reply (raw, 2, GRO_ERROR, GRO_ERROR_UNKNOWN_PROPERTY);

  raw_send_frame (raw, GRO_MESSAGE_SET_PROPERTY, id, property_index (f, "i"), 3,
                  g_variant_new_variant (g_variant_new_string ("five")));
  assert_error_reply (raw, 3, GRO_ERROR, GRO_ERROR_INVALID_ARGS);

  raw_send_frame (raw, GRO_MESSAGE_SET_PROPERTY, id, property_index (f, "bounded"), 4,
                  g_variant_new_variant (g_variant_new_int32 (1000)));
  assert_error_reply (raw, 4, GRO_ERROR, GRO_ERROR_INVALID_VALUE);

  /* An enumeration value that does not exist never reaches the object. */
  g_object_get (f->object, "mode", &before, NULL);
  raw_send_frame (raw, GRO_MESSAGE_SET_PROPERTY, id, property_index (f, "mode"), 5,
                  g_variant_new_variant (g_variant_new_int32 (12345)));
  assert_error_reply (raw, 5, GRO_ERROR, GRO_ERROR_INVALID_VALUE);

  assert_still_open (f, raw);
}

static void
test_unknown_source (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  GroMessage message;

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_ACQUIRE, 3, 0, 0, g_variant_new ("(ss)", "nobody", ""));
  g_assert_true (raw_read_message (raw, GRO_MESSAGE_SOURCE_REMOVED, &message));
  g_assert_cmpstr (g_variant_get_string (gro_message_get_body (&message), NULL), ==, "nobody");
  gro_message_clear (&message);

  /* Releasing what was never acquired is harmless. */
  raw_send_frame (raw, GRO_MESSAGE_RELEASE, 3, 0, 0, NULL);
  assert_still_open (f, raw);
}

static void
test_many_bad_peers (Fixture       *f,
                     gconstpointer  data)
{
  const guint8 junk[] = { 0xff, 0xff, 0xff, 0xff };
  g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_free);

  for (guint i = 0; i < 20; i++)
    {
      Raw *raw = raw_connect (f);

      raw_send (raw, junk, sizeof junk);
      g_ptr_array_add (raws, raw);
      g_main_context_iteration (NULL, FALSE);
    }

  gro_test_await (f->closed == 20);
  assert_good_peer_served (f);
}

/* A value nested past the host's max-nesting-depth (64 by default). */
static void
test_deep_nesting (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  guint32 id = raw_acquire (raw);
  GVariant *value = g_variant_new_int32 (1);

  for (int i = 0; i < 100; i++)
    value = g_variant_new_variant (value);
  raw_send_frame (raw, GRO_MESSAGE_CALL, id, method_index (f, "echo-variant"), 1,
                  g_variant_new_variant (g_variant_new ("(mv)", value)));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "nested deeper");
}

/* A peer that says it is a host, or something else. */
static void
test_same_role (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_frame (raw, GRO_MESSAGE_HELLO, 0, 0, 0,
                  g_variant_new_parsed ("('gro', @q 1, @q 1, {'role': <'host'>})"));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "a node connects to a host");
}

static void
test_unknown_role (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_frame (raw, GRO_MESSAGE_HELLO, 0, 0, 0,
                  g_variant_new_parsed ("('gro', @q 1, @q 1, {'role': <'printer'>})"));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "'printer'");
}

/* More calls at once than the host's max-calls-in-flight: the excess is
 * refused, the rest answered, the connection kept. */
static void
test_too_many_calls (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  guint32 id = raw_acquire (raw);
  guint defer_add = method_index (f, "defer-add");
  int replies = 0, refused = 0;

  g_object_set (f->host, "max-calls-in-flight", 2, NULL);
  for (guint32 serial = 1; serial <= 5; serial++)
    raw_send_frame (raw, GRO_MESSAGE_CALL, id, defer_add, serial,
                    g_variant_new_variant (g_variant_new ("(ii)", 1, 2)));

  for (int i = 0; i < 5; i++)
    {
      GroMessage message;
      gboolean got = FALSE;

      while (!got)
        {
          g_assert_true (raw_read_any (raw, &message));
          if (message.kind == GRO_MESSAGE_REPLY)
            replies++, got = TRUE;
          else if (message.kind == GRO_MESSAGE_ERROR)
            {
              const char *domain;
              int code;

              g_variant_get (gro_message_get_body (&message), "(&si&s)", &domain, &code, NULL);
              g_assert_cmpstr (domain, ==, "gro-error-quark");
              g_assert_cmpint (code, ==, GRO_ERROR_LIMIT_EXCEEDED);
              refused++, got = TRUE;
            }
          gro_message_clear (&message);
        }
    }
  g_assert_cmpint (replies, ==, 2);
  g_assert_cmpint (refused, ==, 3);
  g_assert_cmpint (f->closed, ==, 0);
  assert_good_peer_served (f);
}

/* Messages that mean nothing here are ignored: the connection stays. */
static void
test_ignored (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  GroMessage message;

  raw_acquire (raw);
  raw_send_frame (raw, GRO_MESSAGE_RELEASE, 77, 0, 0, NULL);
  raw_send_frame (raw, GRO_MESSAGE_PONG, 0, 0, 12345, NULL);
  raw_send_frame (raw, GRO_MESSAGE_PING, 0, 0, 9, NULL);
  g_assert_true (raw_read_message (raw, GRO_MESSAGE_PONG, &message));
  g_assert_cmpuint (message.serial, ==, 9);
  gro_message_clear (&message);
  g_assert_cmpint (f->closed, ==, 0);
  assert_good_peer_served (f);
}

/* A string of several MiB is a value like any other. */
static void
test_huge_string (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  guint32 id = raw_acquire (raw);
  g_autofree char *big = g_strnfill (4 * 1024 * 1024, 'x');
  g_autofree char *s = NULL;
  GroMessage message;

  raw_send_frame (raw, GRO_MESSAGE_SET_PROPERTY, id, property_index (f, "s"), 1,
                  g_variant_new_variant (g_variant_new_maybe (G_VARIANT_TYPE_STRING,
                                                              g_variant_new_string (big))));
  g_assert_true (raw_read_message (raw, GRO_MESSAGE_REPLY, &message));
  gro_message_clear (&message);
  g_object_get (f->object, "s", &s, NULL);
  g_assert_cmpuint (strlen (s), ==, 4 * 1024 * 1024);
  assert_good_peer_served (f);
}

/* A peer that stops reading while the source keeps signalling: the host
 * closes it past max-queued-bytes, and serves the others on. */
static void
test_stalled_reader (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);
  g_autofree char *text = g_strnfill (16 * 1024, 'x');

  raw_acquire (raw);
  g_object_set (f->host, "max-queued-bytes", 256 * 1024, NULL);
  for (int i = 0; i < 2000 && f->closed == 0; i++)
    {
      g_signal_emit_by_name (f->object, "ping", i, text);
      g_main_context_iteration (NULL, FALSE);
    }
  gro_test_await (f->closed == 1);
  g_assert_error (f->closed_error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED);
  /* The good peer read them all meanwhile, and is served on. */
  g_object_set (f->host, "max-queued-bytes", 16 * 1024 * 1024, NULL);
  assert_good_peer_served (f);
}

/* With a heartbeat, a peer that says nothing, before or after its HELLO, is
 * closed after ten intervals. */
static void
test_silent_peer (Fixture       *f,
                  gconstpointer  data)
{
  G_GNUC_UNUSED g_autoptr(Raw) mute = raw_connect (f);
  g_autoptr(Raw) greeted = raw_connect (f);

  raw_send_hello (greeted);
  /* Under valgrind a main-loop iteration can take longer than 30 ms, and
   * the good node, in this same thread, would miss its pongs. */
  gro_node_set_heartbeat_interval (GRO_NODE (f->host),
                                   g_getenv ("GRO_TEST_SOURCE_WRAPPER") ? 300 : 30);
  /* The good node answers the host's pings by itself. */
  gro_test_await (f->closed == 2);
  g_assert_error (f->closed_error, GRO_ERROR, GRO_ERROR_TIMED_OUT);
  g_assert_true (gro_replica_is_valid (f->good));
  assert_good_peer_served (f);
}

/* ------------------------------------------------------------------------ */
/* A registry's peers                                                        */

/* A PUBLISH of @name, @type at @url closes the link with @fragment. */
static void
assert_publish_refused (Fixture    *f,
                        const char *name,
                        const char *type,
                        const char *url,
                        const char *fragment)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_PUBLISH, 0, 0, 1, g_variant_new ("(sss)", name, type, url));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, fragment);
}

static void
test_registry_bad_address (Fixture       *f,
                           gconstpointer  data)
{
  assert_publish_refused (f, "x", "Thing", "nowhere", "not a gro address");
}

static void
test_registry_empty_name (Fixture       *f,
                          gconstpointer  data)
{
  assert_publish_refused (f, "", "Thing", "unix:/x", "source name of 0 bytes");
}

static void
test_registry_empty_type (Fixture       *f,
                          gconstpointer  data)
{
  assert_publish_refused (f, "x", "", "unix:/x", "type name");
}

static void
test_registry_no_serial (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_WATCH, 0, 0, 0, NULL);
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "without a serial");
}

/* A node to a registry: LOCATION_ADDED goes the other way. */
static void
test_registry_wrong_direction (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_LOCATION_ADDED, 0, 0, 0,
                  g_variant_new ("(sss)", "x", "Thing", "unix:/x"));
  assert_closed_with (f, raw, GRO_ERROR_PROTOCOL, "which nodes do not send");
}

static void
read_reply (Raw        *raw,
            guint32     serial,
            GroMessage *message)
{
  g_assert_true (raw_read_message (raw, GRO_MESSAGE_REPLY, message));
  g_assert_cmpuint (message->serial, ==, serial);
}

/* Three peers: one publishes, one is refused the same name and may not
 * withdraw it, one watches and sees the first go. */
static void
test_registry_name_taken (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(Raw) first = raw_connect (f);
  g_autoptr(Raw) second = raw_connect (f);
  g_autoptr(Raw) watcher = raw_connect (f);
  g_autoptr(GVariant) table = NULL;
  GroMessage message;
  const char *name, *url;

  raw_send_hello (first);
  raw_send_frame (first, GRO_MESSAGE_PUBLISH, 0, 0, 1,
                  g_variant_new ("(sss)", "x", "Thing", "unix:/first"));
  read_reply (first, 1, &message);
  gro_message_clear (&message);

  raw_send_hello (second);
  raw_send_frame (second, GRO_MESSAGE_PUBLISH, 0, 0, 5,
                  g_variant_new ("(sss)", "x", "Thing", "unix:/second"));
  assert_error_reply (second, 5, GRO_ERROR, GRO_ERROR_NAME_IN_USE);
  raw_send_frame (second, GRO_MESSAGE_UNPUBLISH, 0, 0, 0, g_variant_new_string ("x"));

  raw_send_hello (watcher);
  raw_send_frame (watcher, GRO_MESSAGE_WATCH, 0, 0, 2, NULL);
  read_reply (watcher, 2, &message);
  table = g_variant_get_variant (gro_message_get_body (&message));
  gro_message_clear (&message);
  g_assert_cmpstr (g_variant_get_type_string (table), ==, "a(sss)");
  /* "test", the registry's own, and "x" at the first peer's address. */
  g_assert_cmpuint (g_variant_n_children (table), ==, 2);
  for (gsize i = 0; i < 2; i++)
    {
      const char *type;

      g_variant_get_child (table, i, "(&s&s&s)", &name, &type, &url);
      if (g_str_equal (name, "x"))
        g_assert_cmpstr (url, ==, "unix:/first");
      else
        g_assert_cmpstr (url, ==, f->url);
    }

  /* The first goes: its name goes with it. */
  g_clear_pointer (&first, raw_free);
  g_assert_true (raw_read_message (watcher, GRO_MESSAGE_LOCATION_REMOVED, &message));
  g_variant_get (gro_message_get_body (&message), "(&s&s)", &name, &url);
  g_assert_cmpstr (name, ==, "x");
  g_assert_cmpstr (url, ==, "unix:/first");
  gro_message_clear (&message);

  /* Now the second may have it. */
  raw_send_frame (second, GRO_MESSAGE_PUBLISH, 0, 0, 6,
                  g_variant_new ("(sss)", "x", "Thing", "unix:/second"));
  read_reply (second, 6, &message);
  gro_message_clear (&message);
  g_assert_true (raw_read_message (watcher, GRO_MESSAGE_LOCATION_ADDED, &message));
  gro_message_clear (&message);

  /* Only the one that went was closed. */
  g_assert_cmpint (f->closed, ==, 1);
  g_assert_error (f->closed_error, GRO_ERROR, GRO_ERROR_DISCONNECTED);
  f->closed = 0;
  assert_still_open (f, second);
  assert_still_open (f, watcher);
}

static GroAccess
read_only_peers (GroHost    *host,
                 GroPeer    *peer,
                 const char *source_name)
{
  return GRO_ACCESS_READ_ONLY;
}

/* A peer the registry accepted read-only looks up, and may not publish. */
static void
test_registry_read_only (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Raw) raw = NULL;
  GroMessage message;

  g_signal_connect (f->host, "authorize", G_CALLBACK (read_only_peers), NULL);
  raw = raw_connect (f);
  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_PUBLISH, 0, 0, 1,
                  g_variant_new ("(sss)", "x", "Thing", "unix:/x"));
  assert_error_reply (raw, 1, GRO_ERROR, GRO_ERROR_PERMISSION_DENIED);
  raw_send_frame (raw, GRO_MESSAGE_WATCH, 0, 0, 2, NULL);
  read_reply (raw, 2, &message);
  gro_message_clear (&message);
  g_assert_cmpuint (g_list_model_get_n_items (gro_node_get_source_locations (GRO_NODE (f->host))),
                    ==, 1);
  assert_still_open (f, raw);
}

/* A plain host asked to be a registry says it is not, and keeps the peer. */
static void
test_not_a_registry (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(Raw) raw = raw_connect (f);

  raw_send_hello (raw);
  raw_send_frame (raw, GRO_MESSAGE_UNPUBLISH, 0, 0, 0, g_variant_new_string ("x"));
  raw_send_frame (raw, GRO_MESSAGE_WATCH, 0, 0, 3, NULL);
  assert_error_reply (raw, 3, GRO_ERROR, GRO_ERROR_FAILED);
  raw_send_frame (raw, GRO_MESSAGE_PUBLISH, 0, 0, 4,
                  g_variant_new ("(sss)", "x", "Thing", "unix:/x"));
  assert_error_reply (raw, 4, GRO_ERROR, GRO_ERROR_FAILED);
  assert_still_open (f, raw);
}

/* ------------------------------------------------------------------------ */
/* A hostile registry, seen by a node                                        */

typedef struct
{
  GSocketConnection *connection;
  gboolean           done;
} Accepted;

static void
on_accepted (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Accepted *accepted = user_data;
  g_autoptr(GError) error = NULL;

  accepted->connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result,
                                                          NULL, &error);
  g_assert_no_error (error);
  accepted->done = TRUE;
}

/* A node whose registry is a raw peer: it answers the node's WATCH with
 * @reply (a REPLY's inner value), or, with @reply NULL, leaves it
 * unanswered and sends @message instead. The node must close the link with
 * @fragment in the error. */
static void
assert_node_refuses (GVariant       *reply,
                     GroMessageKind  kind,
                     GVariant       *body,
                     const char     *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gro_test_temp_socket_path ("registry");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GroNode) node = gro_node_new ();
  Accepted accepted = { NULL, FALSE };
  Fixture f = { NULL, };
  Raw raw = { NULL, };
  GroMessage message;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, on_accepted, &accepted);
  g_signal_connect (node, "connection-closed", G_CALLBACK (on_connection_closed), &f);
  gro_node_set_registry_url (node, url);
  gro_test_await (accepted.done);

  raw.connection = accepted.connection;
  raw.socket = g_socket_connection_get_socket (raw.connection);
  g_socket_set_blocking (raw.socket, FALSE);
  raw.in = g_byte_array_new ();
  raw_send_frame (&raw, GRO_MESSAGE_HELLO, 0, 0, 0,
                  g_variant_new_parsed ("('gro', @q 1, @q 1, {'role': <'host'>})"));
  g_assert_true (raw_read_message (&raw, GRO_MESSAGE_WATCH, &message));
  if (reply != NULL)
    raw_send_frame (&raw, GRO_MESSAGE_REPLY, 0, 0, message.serial, g_variant_new_variant (reply));
  else
    raw_send_frame (&raw, kind, 0, 0, 0, body);
  gro_message_clear (&message);

  gro_test_await (f.closed == 1);
  g_assert_error (f.closed_error, GRO_ERROR, GRO_ERROR_PROTOCOL);
  if (strstr (f.closed_error->message, fragment) == NULL)
    g_error ("'%s' is not in the error: %s", fragment, f.closed_error->message);
  g_assert_cmpuint (g_list_model_get_n_items (gro_node_get_source_locations (node)), ==, 0);

  g_clear_object (&node);
  g_clear_error (&f.closed_error);
  g_byte_array_unref (raw.in);
  g_object_unref (accepted.connection);
  g_socket_listener_close (listener);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_node_bad_watch_reply (void)
{
  assert_node_refuses (g_variant_new_string ("nonsense"), 0, NULL, "not an a(sss)");
}

static void
test_node_bad_table (void)
{
  assert_node_refuses (g_variant_new_parsed ("[('ok', 'T', 'unix:/ok'), ('bad', 'T', 'nowhere')]"),
                       0, NULL, "not a gro address");
}

static void
test_node_unasked_location (void)
{
  assert_node_refuses (NULL, GRO_MESSAGE_LOCATION_ADDED,
                       g_variant_new ("(sss)", "x", "T", "unix:/x"),
                       "does not watch it");
}

/* A TCP port on loopback whose listener never accepts and whose queue is
 * full: a connect to it hangs, as to a host that is down. */
static GSocket *
blackhole_new (guint16     *port,
               GPtrArray  **fillers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                    G_SOCKET_PROTOCOL_DEFAULT, &error);

  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_bind (listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  *fillers = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 3; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_DEFAULT, &error);

      g_assert_no_error (error);
      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, bound, NULL, NULL);
      g_ptr_array_add (*fillers, filler);
    }
  g_usleep (100 * 1000);
  return listener;
}

/* A registry names a host that does not answer: a sync wait on a replica
 * of it still ends when its time is up, not when connecting gives up. */
static void
test_node_wait_bounded (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = gro_test_temp_socket_path ("registry");
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *url = g_strconcat ("unix:", path, NULL);
  g_autofree char *dead_url = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GroNode) node = gro_node_new ();
  g_autoptr(GroReplica) replica = NULL;
  g_autoptr(GSocket) blackhole = NULL;
  g_autoptr(GPtrArray) fillers = NULL;
  Accepted accepted = { NULL, FALSE };
  Raw raw = { NULL, };
  GroMessage message;
  guint16 port;
  gint64 start;

  blackhole = blackhole_new (&port, &fillers);
  dead_url = g_strdup_printf ("tcp://127.0.0.1:%u", port);

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_accept_async (listener, NULL, on_accepted, &accepted);
  gro_node_set_registry_url (node, url);
  gro_test_await (accepted.done);

  raw.connection = accepted.connection;
  raw.socket = g_socket_connection_get_socket (raw.connection);
  g_socket_set_blocking (raw.socket, FALSE);
  raw.in = g_byte_array_new ();
  raw_send_frame (&raw, GRO_MESSAGE_HELLO, 0, 0, 0,
                  g_variant_new_parsed ("('gro', @q 1, @q 1, {'role': <'host'>})"));
  /* A registry shares nothing itself here: the node asks it for nothing. */
  raw_send_frame (&raw, GRO_MESSAGE_SOURCES, 0, 0, 0,
                  g_variant_new_array (g_variant_type_element (
                                         gro_message_kind_body_type (GRO_MESSAGE_SOURCES)),
                                       NULL, 0));
  g_assert_true (raw_read_message (&raw, GRO_MESSAGE_WATCH, &message));
  raw_send_frame (&raw, GRO_MESSAGE_REPLY, 0, 0, message.serial,
                  g_variant_new_variant (g_variant_new_parsed ("[('dead', 'T', %s)]",
                                                               dead_url)));
  gro_message_clear (&message);
  gro_test_await (g_list_model_get_n_items (gro_node_get_source_locations (node)) == 1);

  replica = gro_node_acquire_dynamic (node, "dead");
  start = g_get_monotonic_time ();
  g_assert_false (gro_replica_wait_for_source (replica, 1000, &error));
  g_assert_error (error, GRO_ERROR, GRO_ERROR_TIMED_OUT);
  g_test_message ("The wait took %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  g_clear_object (&replica);
  g_clear_object (&node);
  g_byte_array_unref (raw.in);
  g_object_unref (accepted.connection);
  g_socket_listener_close (listener);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/hostile/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("close/garbage", test_garbage);
  ADD ("close/absurd-length", test_absurd_length);
  ADD ("close/just-over-limit", test_just_over_limit);
  ADD ("close/short-length", test_short_length);
  ADD ("close/truncated", test_truncated);
  ADD ("close/unknown-kind", test_unknown_kind);
  ADD ("close/overlong-varint", test_overlong_varint);
  ADD ("close/trailing-bytes", test_trailing_bytes);
  ADD ("close/malformed-body", test_malformed_body);
  ADD ("close/bad-utf8", test_bad_utf8);
  ADD ("close/before-hello", test_before_hello);
  ADD ("close/not-gro", test_not_gro);
  g_test_add ("/hostile/close/peer-says-why/before-hello", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_peer_says_why, fixture_tear_down);
  g_test_add ("/hostile/close/peer-says-why/after-hello", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_peer_says_why, fixture_tear_down);
  ADD ("close/version-mismatch", test_version_mismatch);
  ADD ("close/hello-twice", test_hello_twice);
  ADD ("close/host-message-to-host", test_host_message_to_host);
  ADD ("close/reply-to-host", test_reply_to_host);
  ADD ("close/acquire-object-zero", test_acquire_object_zero);
  ADD ("close/acquire-twice", test_acquire_twice);
  ADD ("close/call-without-serial", test_call_without_serial);
  ADD ("answer/call-errors", test_call_errors);
  ADD ("answer/write-errors", test_write_errors);
  ADD ("answer/unknown-source", test_unknown_source);
  ADD ("close/deep-nesting", test_deep_nesting);
  ADD ("close/same-role", test_same_role);
  ADD ("close/unknown-role", test_unknown_role);
  ADD ("close/stalled-reader", test_stalled_reader);
  ADD ("close/silent-peer", test_silent_peer);
  ADD ("answer/too-many-calls", test_too_many_calls);
  ADD ("answer/huge-string", test_huge_string);
  ADD ("ignored/release-pong-ping", test_ignored);
  ADD ("many-bad-peers", test_many_bad_peers);
#undef ADD
#define ADD(path, func) \
  g_test_add ("/hostile/registry/" path, Fixture, "registry", fixture_set_up, func, \
              fixture_tear_down)
  ADD ("close/bad-address", test_registry_bad_address);
  ADD ("close/empty-name", test_registry_empty_name);
  ADD ("close/empty-type", test_registry_empty_type);
  ADD ("close/no-serial", test_registry_no_serial);
  ADD ("close/wrong-direction", test_registry_wrong_direction);
  ADD ("answer/name-taken", test_registry_name_taken);
  ADD ("answer/read-only", test_registry_read_only);
#undef ADD
  g_test_add ("/hostile/answer/not-a-registry", Fixture, NULL, fixture_set_up,
              test_not_a_registry, fixture_tear_down);
  g_test_add_func ("/hostile/node/bad-watch-reply", test_node_bad_watch_reply);
  g_test_add_func ("/hostile/node/bad-table", test_node_bad_table);
  g_test_add_func ("/hostile/node/unasked-location", test_node_unasked_location);
  g_test_add_func ("/hostile/node/wait-bounded", test_node_wait_bounded);

  return g_test_run ();
}
