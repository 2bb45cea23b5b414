/* gro-link-private.h: one peer connection over a GIOStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gro-frame-private.h"

G_BEGIN_DECLS

typedef struct _GroLink GroLink;

typedef struct
{
  /* The peer's HELLO arrived; messages may flow. */
  void (*opened)  (GroLink       *link,
                   gpointer       user_data);
  /* Any message but HELLO, PING, PONG, REPLY and ERROR. Returning FALSE
   * with @error set closes the link with that error. */
  gboolean (*message) (GroLink    *link,
                       GroMessage *message,
                       gpointer    user_data,
                       GError    **error);
  /* Optional: the peer fell silent past the heartbeat's limit, or spoke
   * again. */
  void (*responsive) (GroLink    *link,
                      gboolean    responsive,
                      gpointer    user_data);
  /* Called once. @error is NULL when this side closed the link. */
  void (*closed)  (GroLink       *link,
                   const GError  *error,
                   gpointer       user_data);
} GroLinkHandler;

/* @result is the inner value of a REPLY (transfer none), or NULL with @error. */
typedef void (*GroLinkReplyFunc) (GVariant     *result,
                                  const GError *error,
                                  gpointer      user_data);

GroLink     *gro_link_new             (GIOStream             *stream,
                                       gboolean               is_host,
                                       const char            *peer_address,
                                       GMainContext          *context,
                                       const GroLinkHandler  *handler,
                                       gpointer               user_data,
                                       GError               **error);
GroLink     *gro_link_ref             (GroLink               *link);
void         gro_link_unref           (GroLink               *link);
void         gro_link_start           (GroLink               *link);
gboolean     gro_link_is_open         (GroLink               *link);
gboolean     gro_link_is_closed       (GroLink               *link);
const char  *gro_link_get_address     (GroLink               *link);
GIOStream   *gro_link_get_stream      (GroLink               *link);
guint64      gro_link_get_n_writes    (GroLink               *link);
void         gro_link_send            (GroLink               *link,
                                       GroMessageKind         kind,
                                       guint32                object,
                                       guint32                member,
                                       guint32                serial,
                                       GVariant              *body);
gboolean     gro_link_fits            (GroLink               *link,
                                       guint32                object,
                                       gsize                  size);
void         gro_link_send_data       (GroLink               *link,
                                       GroMessageKind         kind,
                                       guint32                object,
                                       guint32                member,
                                       guint32                serial,
                                       const void            *data,
                                       gsize                  size);
void         gro_link_send_property_data (GroLink            *link,
                                       guint32                object,
                                       guint32                member,
                                       const void            *data,
                                       gsize                  size);
void         gro_link_set_limits      (GroLink               *link,
                                       gsize                  max_frame_size,
                                       gsize                  max_queued,
                                       guint                  max_depth);
void         gro_link_count_request   (GroLink               *link);
guint        gro_link_get_n_unanswered (GroLink              *link);
guint        gro_link_get_n_pending   (GroLink               *link);
guint32      gro_link_call_data       (GroLink               *link,
                                       GroMessageKind         kind,
                                       guint32                object,
                                       guint32                member,
                                       const void            *data,
                                       gsize                  size,
                                       GroLinkReplyFunc       func,
                                       gpointer               user_data);
guint32      gro_link_call            (GroLink               *link,
                                       GroMessageKind         kind,
                                       guint32                object,
                                       guint32                member,
                                       GVariant              *body,
                                       GroLinkReplyFunc       func,
                                       gpointer               user_data);
void         gro_link_forget_call     (GroLink               *link,
                                       guint32                serial);
void         gro_link_send_error      (GroLink               *link,
                                       guint32                serial,
                                       const GError          *error);
void         gro_link_close           (GroLink               *link,
                                       const GError          *error);
void         gro_link_set_io_context  (GroLink               *link,
                                       GMainContext          *context);
void         gro_link_flush_now       (GroLink               *link);
void         gro_link_set_heartbeat   (GroLink               *link,
                                       guint                  interval_ms);
gboolean     gro_link_is_responsive   (GroLink               *link);
guint        gro_link_get_heartbeat   (GroLink               *link);

GError      *gro_error_from_remote    (const char            *domain,
                                       int                    code,
                                       const char            *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GroLink, gro_link_unref)

G_END_DECLS
