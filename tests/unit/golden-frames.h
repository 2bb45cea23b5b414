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
    "('gro', uint16 1, uint16 1, {'role': <'node'>})",
    "1e0000000100000067726f0001000100726f6c65000000006e6f646500007305"
    "1004" },
  { "hello-host", GRO_MESSAGE_HELLO, 0, 0, 0u,
    "('gro', uint16 1, uint16 1, {'role': <'host'>})",
    "1e0000000100000067726f0001000100726f6c6500000000686f737400007305"
    "1004" },
  { "sources", GRO_MESSAGE_SOURCES, 0, 0, 0u,
    "[('thermostat', 'Thermostat', '3a91b8f29b3bf21c7bb5646e2bb8d473')]",
    "3e00000010000000746865726d6f7374617400546865726d6f73746174003361"
    "3931623866323962336266323163376262353634366532626238643437330016"
    "0b39" },
  { "acquire", GRO_MESSAGE_ACQUIRE, 1, 0, 0u,
    "('thermostat', '')",
    "1100000020010000746865726d6f7374617400000b" },
  { "init", GRO_MESSAGE_INIT, 1, 0, 0u,
    "('3a91b8f29b3bf21c7bb5646e2bb8d473', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) ('Thermostat', [('temperature', 'gint', 3), ('label', 'gchararray', 1), ('mode', 'ThermostatMode', 3)], [('alarm', ['gint', 'gchararray'])], [('add', ['gint', 'gint'], 'gint'), ('reset', [], '')], [('ThermostatMode', false, [(0, 'THERMOSTAT_MODE_OFF', 'off'), (1, 'THERMOSTAT_MODE_HEAT', 'heat')])]), <(21, @ms 'Kitchen', 0)>)",
    "4401000022010000336139316238663239623362663231633762623536343665"
    "326262386434373300000000546865726d6f73746174000074656d7065726174"
    "7572650067696e740000000003000000110c00006c6162656c00676368617261"
    "727261790000000001000000110600006d6f646500546865726d6f737461744d"
    "6f6465000300000014051a3652616c61726d0067696e74006763686172617272"
    "617900051006196164640067696e740067696e7400050a67696e740010047265"
    "736574000006061720000000546865726d6f737461744d6f6465000000000000"
    "544845524d4f535441545f4d4f44455f4f4646006f6666001800000001000000"
    "544845524d4f535441545f4d4f44455f48454154006865617400191d3f0f529d"
    "7b610b0000000000150000004b69746368656e0000000000000000000d002869"
    "6d7369291c012100" },
  { "property", GRO_MESSAGE_PROPERTY, 1, 0, 0u,
    "<22>",
    "0a00000030010000160000000069" },
  { "signal", GRO_MESSAGE_SIGNAL, 1, 0, 0u,
    "<(30, @ms 'too hot')>",
    "17000000310100001e000000746f6f20686f7400000028696d7329" },
  { "call", GRO_MESSAGE_CALL, 1, 0, 1u,
    "<(2, 3)>",
    "110000004001000102000000030000000028696929" },
  { "reply", GRO_MESSAGE_REPLY, 0, 0, 1u,
    "<(5,)>",
    "0c000000420000010500000000286929" },
  { "set-property", GRO_MESSAGE_SET_PROPERTY, 1, 0, 2u,
    "<25>",
    "0a00000041010002190000000069" },
  { "reply-unit", GRO_MESSAGE_REPLY, 0, 0, 2u,
    "<()>",
    "080000004200000200002829" },
  { "set-read-only", GRO_MESSAGE_SET_PROPERTY, 1, 1, 3u,
    "<@ms 'Hall'>",
    "0d0000004101010348616c6c0000006d73" },
  { "error", GRO_MESSAGE_ERROR, 0, 0, 3u,
    "('gro-error-quark', 10, \"The property 'label' of 'thermostat' is read-only\")",
    "4b0000004300000367726f2d6572726f722d717561726b000a00000054686520"
    "70726f706572747920276c6162656c27206f662027746865726d6f7374617427"
    "20697320726561642d6f6e6c790010" },
  { "acquire-known", GRO_MESSAGE_ACQUIRE, 2, 0, 0u,
    "('thermostat', '3a91b8f29b3bf21c7bb5646e2bb8d473')",
    "3100000020020000746865726d6f737461740033613931623866323962336266"
    "32316337626235363436653262623864343733000b" },
  { "init-known", GRO_MESSAGE_INIT, 2, 0, 0u,
    "('3a91b8f29b3bf21c7bb5646e2bb8d473', @m(sa(ssu)a(sas)a(sass)a(sba(uss))) nothing, <(25, @ms 'Kitchen', 0)>)",
    "4a00000022020000336139316238663239623362663231633762623536343665"
    "32626238643437330000000000000000190000004b69746368656e0000000000"
    "000000000d0028696d7369292421" },
  { "source-added", GRO_MESSAGE_SOURCE_ADDED, 0, 0, 0u,
    "('thermostat-2', 'Thermostat', '3a91b8f29b3bf21c7bb5646e2bb8d473')",
    "3f00000011000000746865726d6f737461742d3200546865726d6f7374617400"
    "3361393162386632396233626632316337626235363436653262623864343733"
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
};
