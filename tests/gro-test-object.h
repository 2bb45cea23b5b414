/* gro-test-object.h: a source with every type gro carries, for the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  GRO_TEST_MODE_OFF,
  GRO_TEST_MODE_HEAT,
  GRO_TEST_MODE_COOL = 7,
} GroTestMode;

typedef enum
{
  GRO_TEST_FLAGS_NONE  = 0,
  GRO_TEST_FLAGS_RED   = 1 << 0,
  GRO_TEST_FLAGS_GREEN = 1 << 1,
  GRO_TEST_FLAGS_BLUE  = 1 << 2,
} GroTestFlags;

#define GRO_TEST_TYPE_MODE  (gro_test_mode_get_type ())
#define GRO_TEST_TYPE_FLAGS (gro_test_flags_get_type ())
GType gro_test_mode_get_type  (void);
GType gro_test_flags_get_type (void);

#define GRO_TEST_ERROR (gro_test_error_quark ())
GQuark gro_test_error_quark (void);

#define GRO_TEST_TYPE_OBJECT (gro_test_object_get_type ())
G_DECLARE_FINAL_TYPE (GroTestObject, gro_test_object, GRO_TEST, OBJECT, GObject)

GroTestObject *gro_test_object_new (void);

G_END_DECLS
