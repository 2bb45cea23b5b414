/* test-link.c: one link over a socket pair, its other end raw
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <gro.h>
#include <string.h>
#include <sys/socket.h>

#include "gro-link-private.h"
#include "gro-test-util.h"

typedef struct
{
  GroLink  *link;
  GSocket  *peer;
  GIOStream *stream;
  gboolean  opened;
  int       closed;
  GError   *closed_error;
  GPtrArray *messages;   /* kinds, as pointers */
} Fixture;

static void
on_opened (GroLink  *link,
           gpointer  user_data)
{
  ((Fixture *) user_data)->opened = TRUE;
}

static gboolean
on_message (GroLink     *link,
            GroMessage  *message,
            gpointer     user_data,
            GError     **error)
{
  g_ptr_array_add (((Fixture *) user_data)->messages, GUINT_TO_POINTER (message->kind));
  return TRUE;
}

static void
on_closed (GroLink      *link,
           const GError *error,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->closed++;
  f->closed_error = error ? g_error_copy (error) : NULL;
}

static const GroLinkHandler handler = {
  .opened = on_opened,
  .message = on_message,
  .closed = on_closed,
};

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) mine = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  mine = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  f->peer = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  g_socket_set_blocking (f->peer, FALSE);

  f->messages = g_ptr_array_new ();
  f->stream = G_IO_STREAM (g_socket_connection_factory_create_connection (mine));
  f->link = gro_link_new (f->stream, FALSE, "peer", g_main_context_default (), &handler, f,
                          &error);
  g_assert_no_error (error);
  gro_link_start (f->link);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gro_link_close (f->link, NULL);
  gro_link_unref (f->link);
  g_object_unref (f->stream);
  g_object_unref (f->peer);
  g_ptr_array_unref (f->messages);
  g_clear_error (&f->closed_error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GByteArray *
peer_read_all (Fixture *f)
{
  GByteArray *bytes = g_byte_array_new ();

  for (;;)
    {
      guint8 buffer[65536];
      gssize n = g_socket_receive (f->peer, (char *) buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      g_byte_array_append (bytes, buffer, n);
    }

  return bytes;
}

static void
peer_send (Fixture        *f,
           GroMessageKind  kind,
           guint32         serial,
           GVariant       *body)
{
  g_autoptr(GBytes) frame = gro_frame_encode (kind, 0, 0, serial, body);
  gsize length;
  const char *data = g_bytes_get_data (frame, &length);

  g_assert_cmpint (g_socket_send (f->peer, data, length, NULL, NULL), ==, length);
}

static void
peer_send_hello (Fixture *f)
{
  peer_send (f, GRO_MESSAGE_HELLO, 0, g_variant_new ("(sqqa{sv})", "gro", 1, 1, NULL));
  gro_test_await (f->opened);
}

/* What is queued in one main-loop iteration leaves in one write. */
static void
test_batching (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GByteArray) received = NULL;
  guint64 before;
  gsize offset = 0;
  guint pings = 0;

  gro_test_await (gro_link_get_n_writes (f->link) == 1);  /* the HELLO */
  g_byte_array_unref (peer_read_all (f));
  before = gro_link_get_n_writes (f->link);

  for (guint i = 0; i < 1000; i++)
    gro_link_send (f->link, GRO_MESSAGE_PING, 0, 0, i + 1, NULL);
  g_assert_cmpuint (gro_link_get_n_writes (f->link), ==, before);

  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (gro_link_get_n_writes (f->link), ==, before + 1);

  received = peer_read_all (f);
  while (offset < received->len)
    {
      g_autoptr(GError) error = NULL;
      GroMessage message;
      gssize n = gro_frame_decode (received->data + offset, received->len - offset,
                                   G_MAXUINT32, &message, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_assert_cmpint (message.kind, ==, GRO_MESSAGE_PING);
      g_assert_cmpuint (message.serial, ==, ++pings);
      offset += n;
    }
  g_assert_cmpuint (pings, ==, 1000);
}

/* A peer slower than the writer: the link waits for room, loses nothing, and
 * the loop goes on meanwhile. */
static void
test_back_pressure (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree guint8 *blob = g_malloc0 (4 * 1024 * 1024);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GBytes) big = NULL;
  gsize expected;
  gint64 deadline;

  peer_send_hello (f);
  gro_test_await (gro_link_get_n_writes (f->link) == 1);
  g_byte_array_unref (peer_read_all (f));

#define BIG_BODY() \
  g_variant_new_variant (g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, blob, \
                                                    4 * 1024 * 1024, 1))
  big = gro_frame_encode (GRO_MESSAGE_SIGNAL, 0, 0, 0, BIG_BODY ());
  expected = g_bytes_get_size (big) + 100 * 8;  /* and 100 PINGs of 8 bytes */
  gro_link_send (f->link, GRO_MESSAGE_SIGNAL, 0, 0, 0, BIG_BODY ());
#undef BIG_BODY
  for (guint i = 0; i < 100; i++)
    gro_link_send (f->link, GRO_MESSAGE_PING, 0, 0, 1, NULL);

  deadline = g_get_monotonic_time () + GRO_TEST_TIMEOUT_MS * 1000;
  while (received->len < expected && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GByteArray) chunk = NULL;

      g_main_context_iteration (NULL, FALSE);
      chunk = peer_read_all (f);
      g_byte_array_append (received, chunk->data, chunk->len);
    }

  g_assert_cmpuint (received->len, ==, expected);
  g_assert_cmpmem (received->data, g_bytes_get_size (big),
                   g_bytes_get_data (big, NULL), g_bytes_get_size (big));
  /* More than a socket's buffer: it took several writes. */
  g_assert_cmpuint (gro_link_get_n_writes (f->link), >, 2);
  g_assert_cmpint (f->closed, ==, 0);
}

static void
on_reply (GVariant     *result,
          const GError *error,
          gpointer      user_data)
{
  GError **out = user_data;

  g_assert_null (result);
  *out = g_error_copy (error);
}

static void
test_close_fails_pending (Fixture       *f,
                          gconstpointer  data)
{
  GError *first = NULL;
  GError *second = NULL;

  peer_send_hello (f);
  gro_link_call (f->link, GRO_MESSAGE_CALL, 1, 0, g_variant_new_variant (g_variant_new ("()")),
                 on_reply, &first);
  gro_link_call (f->link, GRO_MESSAGE_CALL, 1, 0, g_variant_new_variant (g_variant_new ("()")),
                 on_reply, &second);

  /* The peer goes away. */
  g_socket_close (f->peer, NULL);
  gro_test_await (f->closed == 1);
  g_assert_error (first, GRO_ERROR, GRO_ERROR_DISCONNECTED);
  g_assert_error (second, GRO_ERROR, GRO_ERROR_DISCONNECTED);
  g_assert_error (f->closed_error, GRO_ERROR, GRO_ERROR_DISCONNECTED);
  g_assert_true (gro_link_is_closed (f->link));

  /* Sending on a closed link is a no-op. */
  gro_link_send (f->link, GRO_MESSAGE_PING, 0, 0, 1, NULL);
  g_clear_error (&first);
  g_clear_error (&second);
}

static void
test_reply_and_error (Fixture       *f,
                      gconstpointer  data)
{
  GError *error = NULL;
  guint32 serial;

  peer_send_hello (f);
  serial = gro_link_call (f->link, GRO_MESSAGE_CALL, 1, 0,
                          g_variant_new_variant (g_variant_new ("()")), on_reply, &error);
  peer_send (f, GRO_MESSAGE_ERROR, serial,
             g_variant_new ("(sis)", "some-unknown-domain-quark", 7, "broken"));
  gro_test_await (error != NULL);
  /* A domain new to this process is made, up to a bound. */
  g_assert_cmpstr (g_quark_to_string (error->domain), ==, "some-unknown-domain-quark");
  g_assert_cmpint (error->code, ==, 7);
  g_assert_cmpstr (error->message, ==, "broken");
  g_clear_error (&error);

  /* A reply to nothing in flight is ignored. */
  peer_send (f, GRO_MESSAGE_REPLY, 12345, g_variant_new_variant (g_variant_new ("()")));
  peer_send (f, GRO_MESSAGE_PING, 9, NULL);
  gro_test_await (({ g_autoptr(GByteArray) b = peer_read_all (f); b->len > 0; }));
  g_assert_cmpint (f->closed, ==, 0);
}

static void
test_remote_quark_bound (void)
{
  g_autoptr(GError) last = NULL;

  /* A peer cannot make this process keep new quarks for ever. */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *domain = g_strdup_printf ("bound-test-domain-%u", i);
      g_clear_error (&last);
      last = gro_error_from_remote (domain, 3, "text");
    }
  g_assert_error (last, GRO_ERROR, GRO_ERROR_REMOTE_ERROR);
  g_assert_nonnull (strstr (last->message, "bound-test-domain-299"));
}

static void
test_ping (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GByteArray) received = g_byte_array_new ();
  GroMessage message;
  gssize n;

  peer_send_hello (f);
  gro_test_await (gro_link_get_n_writes (f->link) == 1);
  g_byte_array_unref (peer_read_all (f));
  peer_send (f, GRO_MESSAGE_PING, 31, NULL);
  while (received->len == 0)
    {
      g_autoptr(GByteArray) chunk = NULL;

      g_main_context_iteration (NULL, TRUE);
      chunk = peer_read_all (f);
      g_byte_array_append (received, chunk->data, chunk->len);
    }
  n = gro_frame_decode (received->data, received->len, G_MAXUINT32, &message, NULL);
  g_assert_cmpint (n, ==, received->len);
  g_assert_cmpint (message.kind, ==, GRO_MESSAGE_PONG);
  g_assert_cmpuint (message.serial, ==, 31);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/link/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("batching", test_batching);
  ADD ("back-pressure", test_back_pressure);
  ADD ("close-fails-pending", test_close_fails_pending);
  ADD ("reply-and-error", test_reply_and_error);
  ADD ("ping", test_ping);
#undef ADD
  g_test_add_func ("/link/remote-quark-bound", test_remote_quark_bound);

  return g_test_run ();
}
