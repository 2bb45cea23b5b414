/* fuzz-frame.c: the frame decoder
 *
 * Decodes frame after frame; each one that decodes must encode back to the
 * same bytes and decode again to the same message.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <string.h>

#include "gro-frame-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  gsize pos = 0;

  while (pos < size)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) again = NULL;
      GroMessage message, second;
      gssize used, n;

      used = n = gro_frame_decode (data + pos, size - pos, 1024 * 1024, &message, &error);
      if (n <= 0)
        {
          g_assert (n == 0 || error != NULL);
          g_assert (n == 0 || gro_message_get_body (&message) == NULL);
          break;
        }

      again = gro_frame_encode (message.kind, message.object, message.member, message.serial,
                                gro_message_get_body (&message));
      n = gro_frame_decode (g_bytes_get_data (again, NULL), g_bytes_get_size (again),
                            1024 * 1024, &second, &error);
      g_assert ((gsize) n == g_bytes_get_size (again));
      g_assert (second.kind == message.kind && second.object == message.object &&
                second.member == message.member && second.serial == message.serial);
      g_assert ((gro_message_get_body (&second) == NULL) == (gro_message_get_body (&message) == NULL));
      g_assert (gro_message_get_body (&second) == NULL || g_variant_equal (gro_message_get_body (&second), gro_message_get_body (&message)));
      gro_message_clear (&second);

      pos += used;
      gro_message_clear (&message);
    }

  return 0;
}
