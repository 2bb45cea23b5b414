/* golden-frames.h: the golden frames of doc/protocol.md
 *
 * Made by `print-golden --c`; do not edit. Each frame: its name in
 * protocol.md (golden:NAME), its header fields, its body as
 * g_variant_print() shows it, and its bytes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "gro-frame-private.h"

typedef struct
{
  const char     *id;
  GroMessageKind  kind;
  guint32         object;
  guint32         member;
  guint32         serial;
  const char     *body;
  const char     *hex;
} GoldenFrame;

static const GoldenFrame golden_frames[] = {
  { "hello-node", GRO_MESSAGE_HELLO, 0, 0, 0u,
    "('gro', uint16 1, uint16 1, {'role': <'node'>, 'max-frame-size': <uint32 16777216>})",
    "360000000100000067726f0001000100726f6c65000000006e6f646500007305"
    "6d61782d6672616d652d73697a6500000000000100750f102704" },
  { "hello-host", GRO_MESSAGE_HELLO, 0, 0, 0u,
    "('gro', uint16 1, uint16 1, {'role': <'host'>, 'max-frame-size': <uint32 16777216>})",
    "360000000100000067726f0001000100726f6c6500000000686f737400007305"
    "6d61782d6672616d652d73697a6500000000000100750f102704" },
  { "sources", GRO_MESSAGE_SOURCES, 0, 0, 0u,
    "[('thermostat', 'Thermostat', '76879e7da91361bda77a7c01de1cfe1c')]",
    "3e00000010000000746865726d6f7374617400546865726d6f73746174003736"
    "3837396537646139313336316264613737613763303164653163666531630016"
    "0b39" },
  { "acquire", GRO_MESSAGE_ACQUIRE, 1, 0, 0u,
    "('thermostat', '')",
    "1100000020010000746865726d6f7374617400000b" },
  { "init", GRO_MESSAGE_INIT, 1, 0, 0u,
    "('76879e7da91361bda77a7c01de1cfe1c', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) ('Thermostat', [('label', 'gchararray', 1), ('mode', 'ThermostatMode', 3), ('temperature', 'gint', 3)], [('alarm', ['gint', 'gchararray'])], [('add', ['gint', 'gint'], 'gint'), ('reset', [], '')], [('ThermostatMode', false, [(0, 'THERMOSTAT_MODE_OFF', 'off'), (1, 'THERMOSTAT_MODE_HEAT', 'heat')])]), <(@ms 'Kitchen', 0, 21)>)",
    "4401000022010000373638373965376461393133363162646137376137633031"
    "646531636665316300000000546865726d6f7374617400006c6162656c006763"
    "68617261727261790000000001000000110600006d6f646500546865726d6f73"
    "7461744d6f646500030000001405000074656d70657261747572650067696e74"
    "0000000003000000110c1a3652616c61726d0067696e74006763686172617272"
    "617900051006196164640067696e740067696e7400050a67696e740010047265"
    "736574000006061720000000546865726d6f737461744d6f6465000000000000"
    "544845524d4f535441545f4d4f44455f4f4646006f6666001800000001000000"
    "544845524d4f535441545f4d4f44455f48454154006865617400191d3f0f529d"
    "7b610b00000000004b69746368656e000000000000000000150000000900286d"
    "736969291c012100" },
  { "property", GRO_MESSAGE_PROPERTY, 1, 2, 0u,
    "<22>",
    "0a00000030010200160000000069" },
  { "signal", GRO_MESSAGE_SIGNAL, 1, 0, 0u,
    "<(30, @ms 'too hot')>",
    "17000000310100001e000000746f6f20686f7400000028696d7329" },
  { "call", GRO_MESSAGE_CALL, 1, 0, 1u,
    "<(2, 3)>",
    "110000004001000102000000030000000028696929" },
  { "reply", GRO_MESSAGE_REPLY, 0, 0, 1u,
    "<(5,)>",
    "0c000000420000010500000000286929" },
  { "set-property", GRO_MESSAGE_SET_PROPERTY, 1, 2, 2u,
    "<25>",
    "0a00000041010202190000000069" },
  { "reply-unit", GRO_MESSAGE_REPLY, 0, 0, 2u,
    "<()>",
    "080000004200000200002829" },
  { "set-read-only", GRO_MESSAGE_SET_PROPERTY, 1, 0, 3u,
    "<@ms 'Hall'>",
    "0d0000004101000348616c6c0000006d73" },
  { "error", GRO_MESSAGE_ERROR, 0, 0, 3u,
    "('gro-error-quark', 10, \"The property 'label' of 'thermostat' is read-only\")",
    "4b0000004300000367726f2d6572726f722d717561726b000a00000054686520"
    "70726f706572747920276c6162656c27206f662027746865726d6f7374617427"
    "20697320726561642d6f6e6c790010" },
  { "acquire-known", GRO_MESSAGE_ACQUIRE, 2, 0, 0u,
    "('thermostat', '76879e7da91361bda77a7c01de1cfe1c')",
    "3100000020020000746865726d6f737461740037363837396537646139313336"
    "31626461373761376330316465316366653163000b" },
  { "init-known", GRO_MESSAGE_INIT, 2, 0, 0u,
    "('76879e7da91361bda77a7c01de1cfe1c', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) nothing, <(@ms 'Kitchen', 0, 25)>)",
    "4a00000022020000373638373965376461393133363162646137376137633031"
    "646531636665316300000000000000004b69746368656e000000000000000000"
    "190000000900286d736969292421" },
  { "source-added", GRO_MESSAGE_SOURCE_ADDED, 0, 0, 0u,
    "('thermostat-2', 'Thermostat', '76879e7da91361bda77a7c01de1cfe1c')",
    "3f00000011000000746865726d6f737461742d3200546865726d6f7374617400"
    "3736383739653764613931333631626461373761376330316465316366653163"
    "00180d" },
  { "source-removed", GRO_MESSAGE_SOURCE_REMOVED, 0, 0, 0u,
    "'thermostat-2'",
    "1100000012000000746865726d6f737461742d3200" },
  { "release", GRO_MESSAGE_RELEASE, 1, 0, 0u,
    NULL,
    "0400000021010000" },
  { "ping", GRO_MESSAGE_PING, 0, 0, 7u,
    NULL,
    "0400000002000007" },
  { "pong", GRO_MESSAGE_PONG, 0, 0, 7u,
    NULL,
    "0400000003000007" },
  { "big-ids", GRO_MESSAGE_CALL, 300, 128, 4294967295u,
    "<()>",
    "0e00000040ac028001ffffffff0f00002829" },
  { "watch", GRO_MESSAGE_WATCH, 0, 0, 1u,
    NULL,
    "0400000052000001" },
  { "publish", GRO_MESSAGE_PUBLISH, 0, 0, 2u,
    "('thermostat', 'Thermostat', 'unix:/run/kitchen')",
    "2e00000050000002746865726d6f7374617400546865726d6f7374617400756e"
    "69783a2f72756e2f6b69746368656e00160b" },
  { "watch-reply", GRO_MESSAGE_REPLY, 0, 0, 1u,
    "<[('thermostat', 'Thermostat', 'unix:/run/kitchen')]>",
    "3600000042000001746865726d6f7374617400546865726d6f7374617400756e"
    "69783a2f72756e2f6b69746368656e00160b2a00612873737329" },
  { "location-added", GRO_MESSAGE_LOCATION_ADDED, 0, 0, 0u,
    "('thermostat', 'Thermostat', 'unix:/run/kitchen')",
    "2e00000053000000746865726d6f7374617400546865726d6f7374617400756e"
    "69783a2f72756e2f6b69746368656e00160b" },
  { "unpublish", GRO_MESSAGE_UNPUBLISH, 0, 0, 0u,
    "'thermostat'",
    "0f00000051000000746865726d6f7374617400" },
  { "location-removed", GRO_MESSAGE_LOCATION_REMOVED, 0, 0, 0u,
    "('thermostat', 'unix:/run/kitchen')",
    "2200000054000000746865726d6f7374617400756e69783a2f72756e2f6b6974"
    "6368656e000b" },
};
