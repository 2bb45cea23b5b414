#!/usr/bin/python3
# make-seeds.py: writes the seed corpus of each fuzz target into corpus/
#
# Frames are built here from doc/protocol.md's rules (with PyGObject for the
# GVariant bodies), so the seeds reach past the handshake. Run it again when
# the protocol changes; the files are committed.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import hashlib
import os
import struct

import gi
from gi.repository import GLib

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = {'HELLO': 0x01, 'PING': 0x02, 'PONG': 0x03, 'SOURCES': 0x10, 'SOURCE_ADDED': 0x11,
         'SOURCE_REMOVED': 0x12, 'ACQUIRE': 0x20, 'RELEASE': 0x21, 'INIT': 0x22,
         'PROPERTY': 0x30, 'SIGNAL': 0x31, 'CALL': 0x40, 'SET_PROPERTY': 0x41,
         'REPLY': 0x42, 'ERROR': 0x43, 'PUBLISH': 0x50, 'UNPUBLISH': 0x51, 'WATCH': 0x52,
         'LOCATION_ADDED': 0x53, 'LOCATION_REMOVED': 0x54,
         'MODEL_ACQUIRE': 0x60, 'MODEL_INIT': 0x61, 'MODEL_CHANGED': 0x62, 'MODEL_FETCH': 0x63,
         'MODEL_ITEMS': 0x64, 'MODEL_RELEASE_ITEM': 0x65}
SCHEMA_TYPE = '(sa(ssu)a(sas)a(sass)a(sba(uss)))'
ITEMS_TYPE = 'a(u(sm' + SCHEMA_TYPE + 'v))'
ITEM = 0x80000001   # the host's ids for list items have the high bit set


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7f
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def data(value):
    return value.get_data_as_bytes().get_data() if value is not None else b''


def frame(kind, obj=0, member=0, serial=0, body=None):
    rest = bytes([KINDS[kind]]) + varint(obj) + varint(member) + varint(serial) + data(body)
    return struct.pack('<I', len(rest)) + rest


def v(value):
    return GLib.Variant('v', value)


def hello(role, max_frame_size=None):
    options = {'role': GLib.Variant('s', role)}
    if max_frame_size is not None:
        options['max-frame-size'] = GLib.Variant('u', max_frame_size)
    return frame('HELLO', body=GLib.Variant('(sqqa{sv})', ('gro', 1, 1, options)))


SCHEMA = GLib.Variant(SCHEMA_TYPE, (
    'Fuzzed',
    [('count', 'gint', 3), ('label', 'gchararray', 1), ('mode', 'FuzzMode', 3),
     ('tags', 'GStrv', 1)],
    [('pinged', ['gint', 'gchararray'])],
    [('add', ['gint', 'gint'], 'gint'), ('reset', [], '')],
    [('FuzzMode', False, [(0, 'FUZZ_MODE_OFF', 'off'), (1, 'FUZZ_MODE_ON', 'on')])],
))
HASH = hashlib.sha256(data(SCHEMA)).hexdigest()[:32]
VALUES = GLib.Variant('(imsimas)', (7, 'seven', 1, ['a', 'b']))


def write(target, name, content):
    folder = os.path.join(HERE, 'corpus', target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(content)


def main():
    # What a host sends to a node, and a node to a host.
    host_session = [
        hello('host'),
        frame('SOURCES', body=GLib.Variant('a(sss)', [('test', 'Fuzzed', HASH)])),
        frame('INIT', 1, body=GLib.Variant('(s' + 'm' + SCHEMA_TYPE + 'v)',
                                           (HASH, SCHEMA.unpack(), VALUES))),
        frame('PROPERTY', 1, 0, body=v(GLib.Variant('i', 8))),
        frame('PROPERTY', 1, 1, body=v(GLib.Variant('ms', None))),
        frame('SIGNAL', 1, 0, body=v(GLib.Variant('(ims)', (5, 'five')))),
        frame('REPLY', 0, 0, 1, body=v(GLib.Variant('(i)', (5,)))),
        frame('ERROR', 0, 0, 2, body=GLib.Variant('(sis)', ('fuzz-error-quark', 3, 'no'))),
        frame('SOURCE_ADDED', body=GLib.Variant('(sss)', ('other', 'Fuzzed', HASH))),
        frame('SOURCE_REMOVED', body=GLib.Variant('s', 'test')),
        frame('PING', serial=7),
    ]
    node_session = [
        hello('node'),
        frame('ACQUIRE', 1, body=GLib.Variant('(ss)', ('test', ''))),
        frame('CALL', 1, 0, 1, body=v(GLib.Variant('(ii)', (2, 3)))),
        frame('SET_PROPERTY', 1, 0, 2, body=v(GLib.Variant('b', True))),
        frame('CALL', 1, 99, 3, body=v(GLib.Variant('()', ()))),
        frame('RELEASE', 1),
        frame('PING', serial=9),
    ]

    for i, f in enumerate(host_session + node_session):
        write('frame', 'frame-%02d' % i, f)
    write('frame', 'host-session', b''.join(host_session))
    write('frame', 'node-session', b''.join(node_session))

    # The first byte says which side gro plays: odd, a host.
    write('peer', 'node-whole', b'\x00' + b''.join(host_session))
    write('peer', 'node-hello-only', b'\x00' + host_session[0])
    write('peer', 'node-no-schema', b'\x00' + b''.join(host_session[:2]) +
          frame('INIT', 1, body=GLib.Variant('(s' + 'm' + SCHEMA_TYPE + 'v)',
                                             (HASH, None, VALUES))))
    write('peer', 'host-whole', b'\x01' + b''.join(node_session))
    # A peer with a small frame limit, and one that says why it leaves.
    write('peer', 'node-small-limit', b'\x00' + hello('host', 1024) + b''.join(host_session[1:]))
    write('peer', 'host-small-limit', b'\x01' + hello('node', 1024) + b''.join(node_session[1:]))
    write('peer', 'host-says-why', b'\x01' + b''.join(node_session[:2]) +
          frame('ERROR', body=GLib.Variant('(sis)', ('gro-error-quark', 4, 'bye'))))

    # A list: the node acquires "list" (its object 2, after "test"); the
    # host shares one of three test objects.
    host_list = [
        hello('host'),
        frame('SOURCES', body=GLib.Variant('a(sss)', [('test', 'Fuzzed', HASH),
                                                      ('list', 'GListModel', '')])),
        frame('MODEL_INIT', 2, body=GLib.Variant('(u' + ITEMS_TYPE + ')', (
            3, [(ITEM, (HASH, SCHEMA.unpack(), VALUES))]))),
        frame('MODEL_CHANGED', 2, body=GLib.Variant('(uuu' + ITEMS_TYPE + ')', (
            1, 0, 1, [(ITEM + 1, (HASH, None, VALUES))]))),
        frame('PROPERTY', ITEM, 0, body=v(GLib.Variant('i', 8))),
        frame('MODEL_ITEMS', 2, body=GLib.Variant('(u' + ITEMS_TYPE + ')', (
            2, [(ITEM + 2, (HASH, None, VALUES))]))),
        frame('MODEL_CHANGED', 2, body=GLib.Variant('(uuu' + ITEMS_TYPE + ')', (0, 2, 0, []))),
    ]
    node_list = [
        hello('node'),
        frame('MODEL_ACQUIRE', 1, body=GLib.Variant('(su)', ('list', 2))),
        frame('MODEL_FETCH', 1, body=GLib.Variant('(uu)', (1, 5))),
        frame('CALL', ITEM, 0, 1, body=v(GLib.Variant('(ii)', (2, 3)))),
        frame('MODEL_RELEASE_ITEM', 1, body=GLib.Variant('(uu)', (ITEM, 1))),
        frame('MODEL_RELEASE_ITEM', 1, body=GLib.Variant('(uu)', (ITEM + 1, 9))),
        frame('RELEASE', 1),
    ]
    write('peer', 'node-list', b'\x00' + b''.join(host_list))
    write('peer', 'host-list', b'\x01' + b''.join(node_list))
    for i, f in enumerate(host_list[2:] + node_list[1:]):
        write('frame', 'list-frame-%02d' % i, f)
    write('peer', 'host-hello-only', b'\x01' + node_session[0])

    # A registry (first byte 3): what hosts and nodes send it.
    registry_session = [
        hello('node'),
        frame('WATCH', serial=1),
        frame('PUBLISH', serial=2, body=GLib.Variant('(sss)', ('lamp', 'Lamp', 'unix:/lamp'))),
        frame('PUBLISH', serial=3, body=GLib.Variant('(sss)', ('lamp', 'Lamp', 'tcp://h:1'))),
        frame('PUBLISH', serial=4, body=GLib.Variant('(sss)', ('test', 'Fuzzed', 'local:x'))),
        frame('UNPUBLISH', body=GLib.Variant('s', 'lamp')),
        frame('PUBLISH', serial=5, body=GLib.Variant('(sss)', ('bad', 'Bad', 'nowhere'))),
    ]
    for i, f in enumerate(registry_session[1:] + [
            frame('LOCATION_ADDED', body=GLib.Variant('(sss)', ('lamp', 'Lamp', 'unix:/l'))),
            frame('LOCATION_REMOVED', body=GLib.Variant('(ss)', ('lamp', 'unix:/l')))]):
        write('frame', 'registry-%02d' % i, f)
    write('peer', 'registry-whole', b'\x03' + b''.join(registry_session))
    # A node sent locations it did not ask for.
    write('peer', 'node-locations', b'\x00' + host_session[0] +
          frame('LOCATION_ADDED', body=GLib.Variant('(sss)', ('x', 'T', 'unix:/x'))))

    # The codec: a kind index (order of fuzz-codec.c), then the value.
    samples = [('b', True), ('y', 0xff), ('y', 7), ('i', -5), ('u', 4000000000),
               ('x', -(1 << 40)), ('t', 1 << 63), ('x', 1 << 40), ('t', 12),
               ('d', 1.5), ('d', -0.0), ('ms', 'text'), ('mas', ['a', '']),
               ('may', b'\x00\x01'), ('mv', GLib.Variant('(ias)', (1, ['x'])))]
    for i, (t, value) in enumerate(samples):
        write('codec', 'kind-%02d' % i, bytes([i]) + data(GLib.Variant(t, value)))
    write('codec', 'schema', bytes([len(samples)]) + data(SCHEMA))


if __name__ == '__main__':
    main()
