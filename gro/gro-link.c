/* gro-link.c: a peer connection
 *
 * One link per GIOStream. It owns the framing, the handshake, the serials of
 * calls in flight and their replies. Reading and writing are non-blocking on
 * the stream's pollable halves. What handling one batch of input queues for
 * the same peer leaves at the end of that batch; anything else queued during
 * one main-loop iteration leaves in one write at the next. Any failure goes
 * through gro_link_close(), which fails
 * every pending call and tells the owner once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gro-codec-private.h"
#include "gro-error.h"
#include "gro-link-private.h"

#define READ_CHUNK        (64 * 1024)
#define READS_PER_WAKEUP  4
#define MAX_REMOTE_QUARKS 256

/* Heartbeat: a PING after one interval of silence, unresponsive after one
 * and a half (so a frozen peer is noticed within two), closed after ten. */
/* Back-pressure: past HIGH_WATER queued bytes, property changes coalesce
 * (the latest value of each waits); below LOW_WATER they are queued again.
 * Other messages are queued up to max_queued, past which the link closes. */
#define HIGH_WATER         (256 * 1024)
#define LOW_WATER          (64 * 1024)
#define DEFAULT_MAX_QUEUED (16 * 1024 * 1024)

#define UNRESPONSIVE_AFTER(interval) ((interval) * 3 / 2)
#define CLOSE_AFTER(interval)        ((interval) * 10)

typedef enum
{
  LINK_OPENING,
  LINK_OPEN,
  LINK_CLOSED,
} LinkState;

typedef struct
{
  GroLinkReplyFunc func;
  gpointer         user_data;
} PendingReply;

/* A call not sent because its frame is over the peer's limit: it fails
 * from the main loop, as a reply would, never inside the caller. */
typedef struct
{
  guint32  serial;
  GError  *error;
} Refused;

static void
refused_free (gpointer data)
{
  Refused *refused = data;

  g_error_free (refused->error);
  g_free (refused);
}

struct _GroLink
{
  grefcount              ref_count;
  GIOStream             *stream;
  GPollableInputStream  *input;
  GPollableOutputStream *output;
  GSocket               *socket;     /* when the stream is a plain socket */
  char                  *address;
  gboolean               is_host;
  LinkState              state;
  guint                  version;

  const GroLinkHandler  *handler;
  gpointer               handler_data;

  GMainContext          *io_context;
  GSource               *read_source;
  GSource               *write_source;
  GSource               *flush_source;

  GByteArray            *in;
  gsize                  in_pos;
  GByteArray            *out;
  gsize                  out_pos;
  gsize                  max_frame_size;
  gsize                  peer_max_frame_size;  /* from its HELLO */

  GPtrArray             *refused;     /* Refused: calls too large to send */
  GSource               *refuse_source;

  GHashTable            *pending;    /* serial -> PendingReply */
  guint32                next_serial;
  guint64                n_writes;   /* for tests and benchmarks */

  GHashTable            *coalesced;  /* (object << 32 | member) -> PROPERTY body, or NULL */
  gsize                  max_queued;
  guint                  max_depth;
  guint                  n_unanswered; /* a host's: calls received, not answered yet */

  gint64                 heartbeat_us;   /* 0: off */
  GSource               *heartbeat_source;
  gint64                 last_received;  /* monotonic, µs */
  gint64                 last_ping;
  gboolean               unresponsive;
};

static void close_with           (GroLink    *link,
                                  GroError    code,
                                  const char *format,
                                  ...) G_GNUC_PRINTF (3, 4);
static void link_schedule_flush  (GroLink *link);
static void link_schedule_refusals (GroLink *link);
static void link_refuse_frame    (GroLink        *link,
                                  GroMessageKind  kind,
                                  guint32         serial,
                                  gsize           size);
static void link_release_coalesced (GroLink *link);
static void link_wait_writable   (GroLink *link);
static void link_attach_reader   (GroLink *link);
static gboolean on_readable        (GObject  *stream,
                                    gpointer  user_data);
static gboolean on_socket_readable (GSocket      *socket,
                                    GIOCondition  condition,
                                    gpointer      user_data);

GroLink *
gro_link_new (GIOStream             *stream,
              gboolean               is_host,
              const char            *peer_address,
              GMainContext          *context,
              const GroLinkHandler  *handler,
              gpointer               user_data,
              GError               **error)
{
  GInputStream *input = g_io_stream_get_input_stream (stream);
  GOutputStream *output = g_io_stream_get_output_stream (stream);
  GroLink *link;

  if (!G_IS_POLLABLE_INPUT_STREAM (input) ||
      !g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (input)) ||
      !G_IS_POLLABLE_OUTPUT_STREAM (output) ||
      !g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output)))
    {
      g_set_error (error, GRO_ERROR, GRO_ERROR_CONNECTION_FAILED,
                   "The stream %s is not pollable; gro needs a GPollableInputStream "
                   "and a GPollableOutputStream", G_OBJECT_TYPE_NAME (stream));
      return NULL;
    }

  link = g_new0 (GroLink, 1);
  g_ref_count_init (&link->ref_count);
  link->stream = g_object_ref (stream);
  link->input = G_POLLABLE_INPUT_STREAM (input);
  link->output = G_POLLABLE_OUTPUT_STREAM (output);
  if (G_IS_SOCKET_CONNECTION (stream))
    link->socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
  link->address = g_strdup (peer_address ? peer_address : "stream");
  link->is_host = is_host;
  link->state = LINK_OPENING;
  link->handler = handler;
  link->handler_data = user_data;
  link->io_context = g_main_context_ref (context);
  link->in = g_byte_array_new ();
  link->out = g_byte_array_new ();
  link->max_frame_size = GRO_DEFAULT_MAX_FRAME_SIZE;
  /* A peer that does not say has the default. */
  link->peer_max_frame_size = GRO_DEFAULT_MAX_FRAME_SIZE;
  link->refused = g_ptr_array_new_with_free_func (refused_free);
  link->pending = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  link->next_serial = 1;
  link->last_received = g_get_monotonic_time ();
  link->max_queued = DEFAULT_MAX_QUEUED;
  link->max_depth = G_MAXUINT;

  return link;
}

GroLink *
gro_link_ref (GroLink *link)
{
  g_ref_count_inc (&link->ref_count);
  return link;
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

void
gro_link_unref (GroLink *link)
{
  if (!g_ref_count_dec (&link->ref_count))
    return;

  g_assert (link->state == LINK_CLOSED || link->state == LINK_OPENING);
  destroy_source (&link->read_source);
  destroy_source (&link->write_source);
  destroy_source (&link->flush_source);
  destroy_source (&link->heartbeat_source);
  destroy_source (&link->refuse_source);
  g_clear_pointer (&link->coalesced, g_hash_table_unref);
  g_hash_table_unref (link->pending);
  g_ptr_array_unref (link->refused);
  g_byte_array_unref (link->in);
  g_byte_array_unref (link->out);
  g_main_context_unref (link->io_context);
  g_object_unref (link->stream);
  g_free (link->address);
  g_free (link);
}

gboolean
gro_link_is_open (GroLink *link)
{
  return link->state == LINK_OPEN;
}

gboolean
gro_link_is_closed (GroLink *link)
{
  return link->state == LINK_CLOSED;
}

const char *
gro_link_get_address (GroLink *link)
{
  return link->address;
}

GIOStream *
gro_link_get_stream (GroLink *link)
{
  return link->stream;
}

guint64
gro_link_get_n_writes (GroLink *link)
{
  return link->n_writes;
}

void
gro_link_start (GroLink *link)
{
  GVariantBuilder options;

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "role",
                         g_variant_new_string (link->is_host ? "host" : "node"));
  g_variant_builder_add (&options, "{sv}", "max-frame-size",
                         g_variant_new_uint32 (MIN (link->max_frame_size, G_MAXUINT32)));
  gro_link_send (link, GRO_MESSAGE_HELLO, 0, 0, 0,
                 g_variant_new ("(sqqa{sv})", GRO_PROTOCOL_MAGIC,
                                (guint16) GRO_PROTOCOL_VERSION_MIN,
                                (guint16) GRO_PROTOCOL_VERSION_MAX, &options));
  link_attach_reader (link);
}

/* ------------------------------------------------------------------------ */
/* Closing                                                                   */

static void
fail_pending (GroLink      *link,
              const GError *reason)
{
  g_autoptr(GHashTable) pending = g_steal_pointer (&link->pending);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  PendingReply *reply;

  link->pending = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (g_hash_table_size (pending) == 0)
    return;

  error = g_error_new (GRO_ERROR, GRO_ERROR_DISCONNECTED,
                       "The connection to %s closed: %s", link->address,
                       reason ? reason->message : "closed by this side");

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &reply))
    reply->func (NULL, error, reply->user_data);
}

/* Before closing for something the peer sent: an ERROR with serial 0 says
 * what, so that the peer's logs do not just say the connection ended.
 * Written now if the socket takes it, never waited for; a peer that does
 * not read its input does not get it. */
static void
link_tell_peer (GroLink      *link,
                const GError *error)
{
  g_autoptr(GVariant) body = NULL;

  if (link->out->len - link->out_pos > HIGH_WATER)
    return;

  body = g_variant_ref_sink (g_variant_new ("(sis)", g_quark_to_string (error->domain),
                                            error->code, error->message));
  gro_frame_append (link->out, GRO_MESSAGE_ERROR, 0, 0, 0, body);
  while (link->out_pos < link->out->len)
    {
      gssize n = g_pollable_output_stream_write_nonblocking (link->output,
                                                             link->out->data + link->out_pos,
                                                             link->out->len - link->out_pos,
                                                             NULL, NULL);
      if (n <= 0)
        break;
      link->out_pos += n;
    }
}

void
gro_link_close (GroLink      *link,
                const GError *error)
{
  if (link->state == LINK_CLOSED)
    return;

  gro_link_ref (link);

  if (error != NULL)
    g_debug ("Closing the connection to %s: %s", link->address, error->message);
  else
    g_debug ("Closing the connection to %s", link->address);

  if (error != NULL && (g_error_matches (error, GRO_ERROR, GRO_ERROR_PROTOCOL) ||
                        g_error_matches (error, GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED)))
    link_tell_peer (link, error);

  link->state = LINK_CLOSED;
  destroy_source (&link->read_source);
  destroy_source (&link->write_source);
  destroy_source (&link->flush_source);
  destroy_source (&link->heartbeat_source);
  g_clear_pointer (&link->coalesced, g_hash_table_unref);
  g_byte_array_set_size (link->out, 0);
  link->out_pos = 0;

  /* For sockets and pipes this only closes the descriptor, never blocks. */
  g_io_stream_close (link->stream, NULL, NULL);

  fail_pending (link, error);

  if (link->handler->closed != NULL)
    link->handler->closed (link, error, link->handler_data);

  gro_link_unref (link);
}

static void
close_with (GroLink    *link,
            GroError    code,
            const char *format,
            ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (GRO_ERROR, code, format, args);
  va_end (args);

  gro_link_close (link, error);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

static void
link_flush (GroLink *link)
{
  while (link->out_pos < link->out->len)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      n = g_pollable_output_stream_write_nonblocking (link->output,
                                                      link->out->data + link->out_pos,
                                                      link->out->len - link->out_pos,
                                                      NULL, &error);
      link->n_writes++;
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              link_wait_writable (link);
              return;
            }
          close_with (link, GRO_ERROR_DISCONNECTED, "Writing to %s failed: %s",
                      link->address, error->message);
          return;
        }
      link->out_pos += n;

      if (link->coalesced != NULL && link->out->len - link->out_pos < LOW_WATER)
        link_release_coalesced (link);
    }

  link->out_pos = 0;
  /* Give back what a burst made us allocate. */
  if (link->out->len > 4 * READ_CHUNK)
    {
      g_byte_array_unref (link->out);
      link->out = g_byte_array_new ();
    }
  else
    g_byte_array_set_size (link->out, 0);
}

static gboolean
on_writable (GObject  *stream,
             gpointer  user_data)
{
  GroLink *link = user_data;

  g_clear_pointer (&link->write_source, g_source_unref);
  gro_link_ref (link);
  link_flush (link);
  gro_link_unref (link);

  return G_SOURCE_REMOVE;
}

static gboolean
on_flush (gpointer user_data)
{
  GroLink *link = user_data;

  g_clear_pointer (&link->flush_source, g_source_unref);
  gro_link_ref (link);
  link_flush (link);
  gro_link_unref (link);

  return G_SOURCE_REMOVE;
}

static gboolean
on_socket_writable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  return on_writable (NULL, user_data);
}

/* A source of one fd that may recurse: GLib (2.74) blocks a dispatching
 * source that cannot recurse by taking its fds out of the poll set, which
 * wakes the context up, several syscalls per message. A pollable stream's
 * source has a child source that cannot be reached to allow that, so a plain
 * socket gets a source of its own. The callers cope with re-entry, as sync
 * waits need. */
static GSource *
create_io_source (GroLink      *link,
                  GIOCondition  condition)
{
  GSource *source;

  if (link->socket != NULL)
    {
      source = g_socket_create_source (link->socket, condition, NULL);
      g_source_set_callback (source,
                             condition == G_IO_IN ? G_SOURCE_FUNC (on_socket_readable)
                                                  : G_SOURCE_FUNC (on_socket_writable),
                             link, NULL);
    }
  else if (condition == G_IO_IN)
    {
      source = g_pollable_input_stream_create_source (link->input, NULL);
      g_source_set_callback (source, G_SOURCE_FUNC (on_readable), link, NULL);
    }
  else
    {
      source = g_pollable_output_stream_create_source (link->output, NULL);
      g_source_set_callback (source, G_SOURCE_FUNC (on_writable), link, NULL);
    }

  g_source_set_can_recurse (source, TRUE);
  g_source_set_name (source, condition == G_IO_IN ? "[gro] link readable" : "[gro] link writable");
  g_source_attach (source, link->io_context);

  return source;
}

static void
link_wait_writable (GroLink *link)
{
  g_assert (link->write_source == NULL);

  link->write_source = create_io_source (link, G_IO_OUT);
}

static gboolean
on_refusals (gpointer user_data)
{
  GroLink *link = user_data;
  g_autoptr(GPtrArray) refused = g_steal_pointer (&link->refused);

  g_clear_pointer (&link->refuse_source, g_source_unref);
  link->refused = g_ptr_array_new_with_free_func (refused_free);
  gro_link_ref (link);
  for (guint i = 0; i < refused->len; i++)
    {
      Refused *one = refused->pdata[i];
      PendingReply *reply = g_hash_table_lookup (link->pending, GUINT_TO_POINTER (one->serial));
      PendingReply copy;

      if (reply == NULL)
        continue;  /* cancelled or timed out meanwhile */
      copy = *reply;
      g_hash_table_remove (link->pending, GUINT_TO_POINTER (one->serial));
      copy.func (NULL, one->error, copy.user_data);
    }
  gro_link_unref (link);

  return G_SOURCE_REMOVE;
}

/* Fails the refused calls at the next iteration of the link's context. */
static void
link_schedule_refusals (GroLink *link)
{
  if (link->refuse_source != NULL || link->refused->len == 0)
    return;

  link->refuse_source = g_idle_source_new ();
  g_source_set_priority (link->refuse_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (link->refuse_source, on_refusals, link, NULL);
  g_source_set_name (link->refuse_source, "[gro] link refusals");
  g_source_attach (link->refuse_source, link->io_context);
}

/* Writes at the next iteration, so messages queued meanwhile share one write.
 * While the stream is full, the writable source does it instead. */
static void
link_schedule_flush (GroLink *link)
{
  if (link->state == LINK_CLOSED || link->flush_source != NULL || link->write_source != NULL)
    return;

  link->flush_source = g_idle_source_new ();
  g_source_set_priority (link->flush_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (link->flush_source, on_flush, link, NULL);
  g_source_set_name (link->flush_source, "[gro] link flush");
  g_source_attach (link->flush_source, link->io_context);
}

void
gro_link_flush_now (GroLink *link)
{
  if (link->state == LINK_CLOSED || link->write_source != NULL)
    return;
  destroy_source (&link->flush_source);
  link_flush (link);
}

static gsize
link_queued (GroLink *link)
{
  return link->out->len - link->out_pos;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  guint64 x = **(const guint64 * const *) a, y = **(const guint64 * const *) b;

  return x < y ? -1 : x > y;
}

/* Queues the coalesced property changes, in object and member order. */
static void
link_release_coalesced (GroLink *link)
{
  g_autoptr(GHashTable) coalesced = g_steal_pointer (&link->coalesced);
  g_autofree gpointer *keys = NULL;
  guint n_keys;

  keys = g_hash_table_get_keys_as_array (coalesced, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      guint64 key = *(guint64 *) keys[i];

      GBytes *body = g_hash_table_lookup (coalesced, &key);

      gro_frame_append_data (link->out, GRO_MESSAGE_PROPERTY, key >> 32, key & 0xffffffff, 0,
                             g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }
}

/* A frame over the peer's limit would only make it close the connection.
 * A reply becomes an error for the caller; anything else (a pushed value
 * the peer cannot take) closes the connection here, saying why. */
static void
link_refuse_frame (GroLink        *link,
                   GroMessageKind  kind,
                   guint32         serial,
                   gsize           size)
{
  if (kind == GRO_MESSAGE_REPLY)
    {
      g_autoptr(GError) error = g_error_new (GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                                             "The reply is %" G_GSIZE_FORMAT " bytes, more "
                                             "than %s accepts (%" G_GSIZE_FORMAT ")",
                                             size, link->address, link->peer_max_frame_size);

      gro_link_send_error (link, serial, error);
      return;
    }

  close_with (link, GRO_ERROR_LIMIT_EXCEEDED,
              "A %s message of %" G_GSIZE_FORMAT " bytes is more than %s accepts (%"
              G_GSIZE_FORMAT "); set its max-frame-size higher",
              gro_message_kind_to_string (kind), size, link->address,
              link->peer_max_frame_size);
}

/* Whether a frame with a body of @size bytes is within the peer's limit.
 * Most bodies are far below it: the header's exact length only matters
 * near the limit. */
static gboolean
frame_fits (GroLink *link,
            guint32  object,
            guint32  member,
            guint32  serial,
            gsize    size)
{
  return size + GRO_FRAME_MAX_HEADER_SIZE - 4 <= link->peer_max_frame_size ||
         gro_frame_length (object, member, serial, size) <= link->peer_max_frame_size;
}

/* Whether an INIT for @object with a body of @size bytes fits the peer. */
gboolean
gro_link_fits (GroLink *link,
               guint32  object,
               gsize    size)
{
  return frame_fits (link, object, 0, 0, size);
}

/* Sends a frame whose body is @size bytes of @data, a serialised
 * little-endian value of the kind's type (see gro_frame_append_data()). */
void
gro_link_send_data (GroLink        *link,
                    GroMessageKind  kind,
                    guint32         object,
                    guint32         member,
                    guint32         serial,
                    const void     *data,
                    gsize           size)
{
  if (link->state == LINK_CLOSED)
    return;

  if (!frame_fits (link, object, member, serial, size))
    {
      link_refuse_frame (link, kind, serial, size);
      return;
    }

  /* Nothing overtakes a property change that waits. */
  if (link->coalesced != NULL)
    link_release_coalesced (link);

  if ((kind == GRO_MESSAGE_REPLY || kind == GRO_MESSAGE_ERROR) && link->n_unanswered > 0)
    link->n_unanswered--;

  gro_frame_append_data (link->out, kind, object, member, serial, data, size);
  if (link_queued (link) > link->max_queued)
    {
      close_with (link, GRO_ERROR_LIMIT_EXCEEDED,
                  "%s does not read what is sent to it: more than %" G_GSIZE_FORMAT
                  " bytes are waiting", link->address, link->max_queued);
      return;
    }
  link_schedule_flush (link);
}

/* Sends a frame with @body, which is sunk if floating; it must have the
 * kind's type. */
void
gro_link_send (GroLink        *link,
               GroMessageKind  kind,
               guint32         object,
               guint32         member,
               guint32         serial,
               GVariant       *body)
{
  g_autoptr(GVariant) wire = gro_frame_body_to_wire (kind, body);

  gro_link_send_data (link, kind, object, member, serial,
                      gro_wire_data (wire), gro_wire_size (wire));
}

/* A PROPERTY message, its body @size bytes of @data as for
 * gro_link_send_data(): sent as any other while the link keeps up; while it
 * is congested, only the latest value of each property waits. */
void
gro_link_send_property_data (GroLink    *link,
                             guint32     object,
                             guint32     member,
                             const void *data,
                             gsize       size)
{
  guint64 *key;

  if (link->state == LINK_CLOSED ||
      (link->coalesced == NULL && link_queued (link) < HIGH_WATER))
    {
      gro_link_send_data (link, GRO_MESSAGE_PROPERTY, object, member, 0, data, size);
      return;
    }

  if (link->coalesced == NULL)
    link->coalesced = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);
  key = g_new (guint64, 1);
  *key = (guint64) object << 32 | member;
  g_hash_table_replace (link->coalesced, key, g_bytes_new (data, size));
  link_schedule_flush (link);
}

void
gro_link_set_limits (GroLink *link,
                     gsize    max_frame_size,
                     gsize    max_queued,
                     guint    max_depth)
{
  link->max_frame_size = max_frame_size;
  link->max_queued = max_queued;
  link->max_depth = max_depth;
}

/* A host counts the calls it must answer, so a node cannot pile up more
 * than the limit; every call gets exactly one REPLY or ERROR. */
void
gro_link_count_request (GroLink *link)
{
  link->n_unanswered++;
}

guint
gro_link_get_n_unanswered (GroLink *link)
{
  return link->n_unanswered;
}

guint
gro_link_get_n_pending (GroLink *link)
{
  return g_hash_table_size (link->pending);
}

/* Sends a request whose body is @size bytes of @data (as for
 * gro_link_send_data()); @func gets the reply. Returns its serial. */
guint32
gro_link_call_data (GroLink          *link,
                    GroMessageKind    kind,
                    guint32           object,
                    guint32           member,
                    const void       *data,
                    gsize             size,
                    GroLinkReplyFunc  func,
                    gpointer          user_data)
{
  PendingReply *reply;
  guint32 serial;

  g_return_val_if_fail (link->state != LINK_CLOSED, 0);

  do
    serial = link->next_serial++;
  while (serial == 0 || g_hash_table_contains (link->pending, GUINT_TO_POINTER (serial)));

  reply = g_new (PendingReply, 1);
  reply->func = func;
  reply->user_data = user_data;
  g_hash_table_insert (link->pending, GUINT_TO_POINTER (serial), reply);

  if (!frame_fits (link, object, member, serial, size))
    {
      Refused *refused = g_new (Refused, 1);

      refused->serial = serial;
      refused->error = g_error_new (GRO_ERROR, GRO_ERROR_LIMIT_EXCEEDED,
                                    "The %s is %" G_GSIZE_FORMAT " bytes, more than %s "
                                    "accepts (%" G_GSIZE_FORMAT ")",
                                    kind == GRO_MESSAGE_CALL ? "call" :
                                    kind == GRO_MESSAGE_SET_PROPERTY ? "value" : "request",
                                    size, link->address, link->peer_max_frame_size);
      g_ptr_array_add (link->refused, refused);
      link_schedule_refusals (link);
      return serial;
    }

  gro_link_send_data (link, kind, object, member, serial, data, size);

  return serial;
}

/* gro_link_call_data() with a body to serialise, sunk if floating, or
 * none for kinds without one. */
guint32
gro_link_call (GroLink          *link,
               GroMessageKind    kind,
               guint32           object,
               guint32           member,
               GVariant         *body,
               GroLinkReplyFunc  func,
               gpointer          user_data)
{
  g_autoptr(GVariant) wire = gro_frame_body_to_wire (kind, body);

  return gro_link_call_data (link, kind, object, member, gro_wire_data (wire),
                             gro_wire_size (wire), func, user_data);
}

void
gro_link_forget_call (GroLink *link,
                      guint32  serial)
{
  g_hash_table_remove (link->pending, GUINT_TO_POINTER (serial));
}

void
gro_link_send_error (GroLink      *link,
                     guint32       serial,
                     const GError *error)
{
  gro_link_send (link, GRO_MESSAGE_ERROR, 0, 0, serial,
                 g_variant_new ("(sis)", g_quark_to_string (error->domain),
                                error->code, error->message));
}

/* A peer names error domains by string. Making a quark for each new one would
 * let a peer grow this process for ever, so only a bounded number are made;
 * past that, errors arrive as GRO_ERROR_REMOTE_ERROR naming their domain. */
GError *
gro_error_from_remote (const char *domain,
                       int         code,
                       const char *message)
{
  static gint n_made = 0;
  GQuark quark = g_quark_try_string (domain);

  if (quark == 0 && domain[0] != '\0' && g_atomic_int_add (&n_made, 1) < MAX_REMOTE_QUARKS)
    quark = g_quark_from_string (domain);

  if (quark == 0)
    return g_error_new (GRO_ERROR, GRO_ERROR_REMOTE_ERROR, "%s (%s, %d)", message, domain, code);

  return g_error_new_literal (quark, code, message);
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

static gboolean
handle_hello (GroLink     *link,
              GroMessage  *message)
{
  g_autoptr(GVariant) options = NULL;
  const char *magic;
  const char *role;
  guint16 min, max;
  guint lo, hi;
  guint32 peer_max;

  g_variant_get (message->body, "(&sqq@a{sv})", &magic, &min, &max, &options);
  if (!g_str_equal (magic, GRO_PROTOCOL_MAGIC))
    {
      close_with (link, GRO_ERROR_PROTOCOL, "%s is not a gro peer", link->address);
      return FALSE;
    }

  lo = MAX (min, GRO_PROTOCOL_VERSION_MIN);
  hi = MIN (max, GRO_PROTOCOL_VERSION_MAX);
  if (lo > hi)
    {
      close_with (link, GRO_ERROR_PROTOCOL,
                  "%s speaks protocol versions %u to %u, this side %u to %u",
                  link->address, min, max,
                  GRO_PROTOCOL_VERSION_MIN, GRO_PROTOCOL_VERSION_MAX);
      return FALSE;
    }

  /* A peer need not say its role; if it does, it must be the other one.
   * Two nodes would otherwise wait for each other for ever. */
  if (g_variant_lookup (options, "role", "&s", &role))
    {
      const char *mine = link->is_host ? "host" : "node";

      if (!g_str_equal (role, "host") && !g_str_equal (role, "node"))
        {
          close_with (link, GRO_ERROR_PROTOCOL, "%s says it is a '%s', not a host or a node",
                      link->address, role);
          return FALSE;
        }
      if (g_str_equal (role, mine))
        {
          close_with (link, GRO_ERROR_PROTOCOL, "%s is a %s too: a node connects to a host",
                      link->address, role);
          return FALSE;
        }
    }

  /* Below a kibibyte not even gro's own messages would fit. */
  if (g_variant_lookup (options, "max-frame-size", "u", &peer_max))
    link->peer_max_frame_size = MAX (peer_max, 1024);

  link->version = hi;
  link->state = LINK_OPEN;
  if (link->handler->opened != NULL)
    link->handler->opened (link, link->handler_data);

  return TRUE;
}

static void
handle_reply (GroLink    *link,
              GroMessage *message)
{
  PendingReply *reply;
  PendingReply copy;

  reply = g_hash_table_lookup (link->pending, GUINT_TO_POINTER (message->serial));
  if (reply == NULL)
    return;  /* a call that timed out or was cancelled */

  copy = *reply;
  g_hash_table_remove (link->pending, GUINT_TO_POINTER (message->serial));

  if (message->kind == GRO_MESSAGE_REPLY)
    {
      g_autoptr(GVariant) result = gro_message_dup_boxed (message);
      copy.func (result, NULL, copy.user_data);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      const char *domain, *text;
      int code;

      g_variant_get (message->body, "(&si&s)", &domain, &code, &text);
      error = gro_error_from_remote (domain, code, text);
      copy.func (NULL, error, copy.user_data);
    }
}

static void
handle_message (GroLink    *link,
                GroMessage *message)
{
  g_autoptr(GError) error = NULL;

  /* An ERROR with serial 0 answers no call: either side sends it, at any
   * time, to say why it closes the connection. For this side the
   * connection is lost, as when it just ends. (With an object, it is a
   * host's refusal to send that object: for the handler, below.) */
  if (message->kind == GRO_MESSAGE_ERROR && message->serial == 0 && message->object == 0)
    {
      const char *text;

      g_variant_get (message->body, "(&si&s)", NULL, NULL, &text);
      close_with (link, GRO_ERROR_DISCONNECTED, "%s closed the connection: %s",
                  link->address, text);
      return;
    }

  if (link->state == LINK_OPENING)
    {
      if (message->kind != GRO_MESSAGE_HELLO)
        close_with (link, GRO_ERROR_PROTOCOL, "%s sent %s before HELLO",
                    link->address, gro_message_kind_to_string (message->kind));
      else
        handle_hello (link, message);
      return;
    }

  switch (message->kind)
    {
    case GRO_MESSAGE_HELLO:
      close_with (link, GRO_ERROR_PROTOCOL, "%s sent HELLO twice", link->address);
      break;

    case GRO_MESSAGE_PING:
      gro_link_send (link, GRO_MESSAGE_PONG, 0, 0, message->serial, NULL);
      break;

    case GRO_MESSAGE_PONG:
      break;

    case GRO_MESSAGE_REPLY:
    case GRO_MESSAGE_ERROR:
      if (link->is_host)
        close_with (link, GRO_ERROR_PROTOCOL, "%s sent %s to a host",
                    link->address, gro_message_kind_to_string (message->kind));
      else if (message->kind == GRO_MESSAGE_ERROR && message->serial == 0)
        {
          if (!link->handler->message (link, message, link->handler_data, &error))
            gro_link_close (link, error);
        }
      else
        handle_reply (link, message);
      break;

    default:
      if (!link->handler->message (link, message, link->handler_data, &error))
        gro_link_close (link, error);
      break;
    }
}

/* Decodes and handles every whole frame in the input buffer. */
static void
link_process_input (GroLink *link)
{
  while (link->state != LINK_CLOSED && link->in_pos < link->in->len)
    {
      g_autoptr(GError) error = NULL;
      GroMessage message;
      gssize n;

      n = gro_frame_decode (link->in->data + link->in_pos, link->in->len - link->in_pos,
                            link->max_frame_size, &message, &error);
      if (n < 0)
        {
          g_prefix_error (&error, "Bad frame from %s: ", link->address);
          gro_link_close (link, error);
          return;
        }
      if (n == 0)
        break;

      link->in_pos += n;
      /* A body left as bytes is a variant of numbers: 3 levels at most. */
      if ((message.body != NULL || (message.inline_size > 0 && link->max_depth < 3)) &&
          !gro_variant_depth_within (gro_message_get_body (&message), link->max_depth))
        {
          gro_message_clear (&message);
          close_with (link, GRO_ERROR_PROTOCOL, "%s sent a value nested deeper than %u levels",
                      link->address, link->max_depth);
          return;
        }
      handle_message (link, &message);
      gro_message_clear (&message);
    }

  if (link->in_pos == link->in->len)
    {
      link->in_pos = 0;
      /* Give back what a large frame made us allocate. */
      if (link->in->len > 4 * READ_CHUNK)
        {
          g_byte_array_unref (link->in);
          link->in = g_byte_array_new ();
        }
      else
        g_byte_array_set_size (link->in, 0);
    }
}

static gboolean
on_readable (GObject  *stream,
             gpointer  user_data)
{
  GroLink *link = user_data;

  gro_link_ref (link);

  for (guint i = 0; i < READS_PER_WAKEUP && link->state != LINK_CLOSED; i++)
    {
      g_autoptr(GError) error = NULL;
      gsize used;
      gssize n;

      /* Keep unread bytes at the front, and room for a chunk after them. */
      if (link->in_pos > 0)
        {
          memmove (link->in->data, link->in->data + link->in_pos, link->in->len - link->in_pos);
          g_byte_array_set_size (link->in, link->in->len - link->in_pos);
          link->in_pos = 0;
        }
      used = link->in->len;
      g_byte_array_set_size (link->in, used + READ_CHUNK);

      n = g_pollable_input_stream_read_nonblocking (link->input, link->in->data + used,
                                                    READ_CHUNK, NULL, &error);
      g_byte_array_set_size (link->in, used + MAX (n, 0));

      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            close_with (link, GRO_ERROR_DISCONNECTED, "Reading from %s failed: %s",
                        link->address, error->message);
          break;
        }
      if (n == 0)
        {
          if (link->in->len > 0)
            close_with (link, GRO_ERROR_DISCONNECTED,
                        "%s closed the connection in the middle of a frame", link->address);
          else
            close_with (link, GRO_ERROR_DISCONNECTED, "%s closed the connection",
                        link->address);
          break;
        }

      link->last_received = g_get_monotonic_time ();
      if (link->unresponsive)
        {
          link->unresponsive = FALSE;
          if (link->handler->responsive != NULL)
            link->handler->responsive (link, TRUE, link->handler_data);
        }

      link_process_input (link);

      /* A short read drained the stream; another would only say so. */
      if (n < READ_CHUNK)
        break;
    }

  /* What handling this input queued for the same peer (replies, or the next
   * call of a caller waiting for each answer) leaves now, in one write, not
   * one main-loop iteration later: a poll and a wakeup less per round trip. */
  if (link->state != LINK_CLOSED && link->out->len > link->out_pos)
    gro_link_flush_now (link);

  gro_link_unref (link);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_socket_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  return on_readable (NULL, user_data);
}

static void
link_attach_reader (GroLink *link)
{
  g_assert (link->read_source == NULL);

  link->read_source = create_io_source (link, G_IO_IN);
}

/* ------------------------------------------------------------------------ */
/* Heartbeat                                                                 */

static gboolean
on_heartbeat (gpointer user_data)
{
  GroLink *link = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 silence = now - link->last_received;
  gint64 interval = link->heartbeat_us;

  if (silence >= CLOSE_AFTER (interval))
    {
      close_with (link, GRO_ERROR_TIMED_OUT, "%s has not answered for %" G_GINT64_FORMAT " ms",
                  link->address, silence / 1000);
      return G_SOURCE_REMOVE;
    }

  /* Bytes wait to be read: the peer spoke, this side was busy. */
  if (silence >= interval && g_pollable_input_stream_is_readable (link->input))
    {
      link->last_received = now;
      silence = 0;
    }

  if (link->state == LINK_OPEN)
    {
      if (silence >= interval && now - link->last_ping >= interval)
        {
          link->last_ping = now;
          gro_link_send (link, GRO_MESSAGE_PING, 0, 0, 0, NULL);
        }
      if (silence >= UNRESPONSIVE_AFTER (interval) && !link->unresponsive)
        {
          link->unresponsive = TRUE;
          if (link->handler->responsive != NULL)
            link->handler->responsive (link, FALSE, link->handler_data);
        }
    }

  /* While the peer talks, wake once per interval at most; while it is
   * silent, often enough to keep the thresholds above. */
  if (link->heartbeat_source != NULL)
    g_source_set_ready_time (link->heartbeat_source,
                             silence < interval ? link->last_received + interval
                                                : now + interval / 4);
  return G_SOURCE_CONTINUE;
}

static gboolean
heartbeat_dispatch (GSource     *source,
                    GSourceFunc  callback,
                    gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs heartbeat_funcs = {
  .dispatch = heartbeat_dispatch,
};

/* Checks the peer every @interval_ms of silence; 0 turns it off. The timer
 * runs in the context the link has now, its owner's. */
void
gro_link_set_heartbeat (GroLink *link,
                        guint    interval_ms)
{
  destroy_source (&link->heartbeat_source);
  link->heartbeat_us = (gint64) interval_ms * 1000;

  if (interval_ms == 0 || link->state == LINK_CLOSED)
    {
      if (link->unresponsive)
        {
          link->unresponsive = FALSE;
          if (link->handler->responsive != NULL)
            link->handler->responsive (link, TRUE, link->handler_data);
        }
      return;
    }

  link->heartbeat_source = g_source_new (&heartbeat_funcs, sizeof (GSource));
  g_source_set_callback (link->heartbeat_source, on_heartbeat, link, NULL);
  g_source_set_name (link->heartbeat_source, "[gro] heartbeat");
  g_source_set_ready_time (link->heartbeat_source, link->last_received + link->heartbeat_us);
  g_source_attach (link->heartbeat_source, link->io_context);
}

guint
gro_link_get_heartbeat (GroLink *link)
{
  return link->heartbeat_us / 1000;
}

gboolean
gro_link_is_responsive (GroLink *link)
{
  return !link->unresponsive;
}

/* Moves the link's I/O to @context: a sync wait runs it in a private
 * context, so nothing else of the caller's runs meanwhile. */
void
gro_link_set_io_context (GroLink      *link,
                         GMainContext *context)
{
  gboolean was_reading;
  gboolean was_blocked;

  if (link->io_context == context)
    return;

  was_reading = link->read_source != NULL;
  was_blocked = link->write_source != NULL;
  destroy_source (&link->read_source);
  destroy_source (&link->write_source);
  destroy_source (&link->flush_source);
  destroy_source (&link->refuse_source);

  g_main_context_unref (link->io_context);
  link->io_context = g_main_context_ref (context);

  /* Refused calls fail even on a closed link: they were never sent. */
  link_schedule_refusals (link);
  if (link->state == LINK_CLOSED)
    return;

  if (was_reading)
    link_attach_reader (link);
  if (was_blocked)
    link_wait_writable (link);
  else if (link->out->len > link->out_pos)
    link_schedule_flush (link);
}
