# Gro.py: the PyGObject override for the Gro namespace
#
# What it adds to the introspected API (see doc/python.md):
#
#   replica.call("add", 2, 3)            -> 5
#   replica.call_async("add", 2, 3, callback=on_done)
#                                         on_done(replica, result, error)
#   replica.write_property_async(...)    the value typed from the property
#   replica.connect("sig", handler)      GLib.Bytes arguments the handler may keep
#   @Gro.returns_errors                  a source's method fails by raising
#
# Arguments are checked against the method's schema, from
# Gro.Replica.get_interface_info(), and a mistake raises TypeError (wrong
# type or count) or ValueError (an int out of its type's range) before
# anything is sent. Everything the introspected API has stays as it was:
# call_sync() and call_finish() take and give GLib.Variant tuples, and
# call_async() keeps its introspected form, recognized by its positional
# callback: call_async(method, parameters, timeout_ms, cancellable,
# callback, *user_data).
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import functools
import logging

from ..overrides import override
from ..module import get_introspection_module

from gi.repository import GLib, GObject

Gro = get_introspection_module('Gro')

__all__ = []

_log = logging.getLogger('gi.overrides.Gro')

_TYPE_ANNOTATION = 'org.gtk.Gro.Type'


# --------------------------------------------------------------------------
# Kinds of values: what Python accepts for each wire type

class _Kind:
    """How one value (an argument, a result, a property value) is checked
    and converted. `name` is what the messages call it."""

    def __init__(self, tag, name, low=None, high=None):
        self.tag = tag      # bool int float str strv bytes variant
        self.name = name
        self.low = low
        self.high = high

    def check(self, value, what):
        """The value normalized for this kind, or TypeError/ValueError.
        `what` names the value in the messages ("argument 1 of 'add'")."""
        check = getattr(self, '_check_' + self.tag)
        return check(value, what)

    def _wrong(self, value, what):
        return TypeError('%s must be %s, not %s' % (what, self.name, type(value).__name__))

    def _check_bool(self, value, what):
        if not isinstance(value, bool):
            raise self._wrong(value, what)
        return value

    def _check_int(self, value, what):
        # bool is an int in Python, but a bool where a number is wanted is a
        # mistake; enumerations and flags (GObject.GEnum, GFlags) are ints.
        if isinstance(value, (bool, float, str, bytes, bytearray, memoryview)):
            raise self._wrong(value, what)
        try:
            number = value.__index__()
        except (AttributeError, TypeError):
            raise self._wrong(value, what) from None
        if not self.low <= number <= self.high:
            raise ValueError('%s must be %s from %d to %d, not %d'
                             % (what, self.name, self.low, self.high, number))
        return number

    def _check_float(self, value, what):
        if isinstance(value, (bool, str, bytes, bytearray, memoryview)):
            raise self._wrong(value, what)
        try:
            return float(value)
        except (TypeError, ValueError):
            raise self._wrong(value, what) from None

    def _check_str(self, value, what):
        if value is not None and not isinstance(value, str):
            raise self._wrong(value, what)
        return value

    def _check_strv(self, value, what):
        if value is None:
            return None
        if isinstance(value, (str, bytes)) or not hasattr(value, '__iter__'):
            raise self._wrong(value, what)
        items = list(value)
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise TypeError('%s must be %s, but item %d is %s'
                                % (what, self.name, i, type(item).__name__))
        return items

    def _check_bytes(self, value, what):
        if value is None:
            return None
        if isinstance(value, GLib.Bytes):
            return value.get_data() or b''
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        raise self._wrong(value, what)

    def _check_variant(self, value, what):
        if value is not None and not isinstance(value, GLib.Variant):
            raise self._wrong(value, what)
        return value


_INT_NAMES = {
    # wire type: (name, low, high)
    'i': ('an int (gint)', -2 ** 31, 2 ** 31 - 1),
    'u': ('an int (guint)', 0, 2 ** 32 - 1),
    'x': ('an int (gint64)', -2 ** 63, 2 ** 63 - 1),
    't': ('an int (guint64)', 0, 2 ** 64 - 1),
}

_SIMPLE_KINDS = {
    'b': _Kind('bool', 'a bool'),
    'd': _Kind('float', 'a float'),
    'ms': _Kind('str', 'a str or None'),
    'mas': _Kind('strv', 'a list of str or None'),
    'may': _Kind('bytes', 'bytes or None'),
    'mv': _Kind('variant', 'a GLib.Variant or None'),
}


def _kind_for(signature, type_name):
    """The kind of a value of wire type `signature` whose GLib type at the
    source is `type_name` (the org.gtk.Gro.Type annotation); None for a wire
    type gro does not use today."""
    if signature in _SIMPLE_KINDS:
        return _SIMPLE_KINDS[signature]
    if signature == 'y':
        if type_name == 'gchar':
            return _Kind('int', 'an int (gchar)', -128, 127)
        return _Kind('int', 'an int (guchar)', 0, 255)
    if signature in _INT_NAMES:
        name, low, high = _INT_NAMES[signature]
        if type_name and type_name not in ('gint', 'guint', 'gint64', 'guint64',
                                           'glong', 'gulong'):
            # An enumeration (i) or flags (u), by value.
            name = 'an int or %s value (%s)' % (type_name, signature)
        elif type_name in ('glong', 'gulong'):
            name = 'an int (%s)' % type_name
        return _Kind('int', name, low, high)
    return None


def _to_variant(signature, type_name, kind, value, what):
    """A GLib.Variant of wire type `signature` for a checked Python value."""
    if kind is None:
        # Not a wire type gro uses today: let GLib.Variant try.
        try:
            return GLib.Variant(signature, value)
        except OverflowError as error:
            raise ValueError('%s: %s' % (what, error)) from None
        except (TypeError, ValueError) as error:
            raise TypeError('%s does not fit %s: %s' % (what, signature, error)) from None

    value = kind.check(value, what)
    if signature == 'y' and type_name == 'gchar':
        return GLib.Variant('y', value & 0xff)  # the signed char as its byte
    if signature == 'may':
        if value is None:
            return GLib.Variant('may', None)
        ay = GLib.VariantType('ay')
        return GLib.Variant.new_maybe(ay, GLib.Variant.new_from_bytes(
            ay, GLib.Bytes.new(value), True))
    if signature == 'mv':
        if value is None:
            return GLib.Variant('mv', None)
        return GLib.Variant.new_maybe(GLib.VariantType('v'), GLib.Variant.new_variant(value))
    return GLib.Variant(signature, value)


def _from_variant(signature, type_name, value):
    """The Python value of a GLib.Variant of wire type `signature`."""
    if signature == 'y':
        byte = value.get_byte()
        return byte - 256 if type_name == 'gchar' and byte > 127 else byte
    if signature in ('ms', 'mas', 'may', 'mv'):
        inner = value.get_maybe()
        if inner is None:
            return None
        if signature == 'may':
            return inner.get_data_as_bytes().get_data() or b''
        if signature == 'mv':
            return inner.get_variant()  # kept a GLib.Variant: its type matters
        return inner.unpack()
    return value.unpack()


def _annotation(member):
    for annotation in member.annotations or ():
        if annotation.key == _TYPE_ANNOTATION:
            return annotation.value
    return None


class _Signature:
    """A method of a source as the override uses it: its arguments' and
    results' wire types and GLib types, from the replica's interface info."""

    def __init__(self, source, method_info):
        self.source = source
        self.name = method_info.name
        self.args = [(a.signature, _annotation(a)) for a in method_info.in_args]
        self.kinds = [_kind_for(s, t) for s, t in self.args]
        self.results = [(a.signature, _annotation(a)) for a in method_info.out_args]

    def describe(self):
        return '(%s)' % ', '.join(t or s for s, t in self.args)

    def pack(self, args):
        if len(args) != len(self.args):
            raise TypeError("The method '%s' of '%s' takes %d argument%s %s, %d given"
                            % (self.name, self.source, len(self.args),
                               '' if len(self.args) == 1 else 's',
                               self.describe(), len(args)))
        children = []
        for i, ((signature, type_name), kind, value) in enumerate(
                zip(self.args, self.kinds, args)):
            what = "argument %d of '%s'" % (i + 1, self.name)
            children.append(_to_variant(signature, type_name, kind, value, what))
        return GLib.Variant.new_tuple(*children)

    def unpack(self, reply):
        items = [_from_variant(signature, type_name, reply.get_child_value(i))
                 for i, (signature, type_name) in enumerate(self.results)]
        return _shape(items)


def _shape(items):
    """None for no result, the value for one, a tuple for several."""
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return tuple(items)


def _unpack_unknown(reply):
    """A reply whose method the override has no schema for."""
    return _shape(list(reply.unpack()))


# --------------------------------------------------------------------------
# Property values: a GObject.Value of the property's own type

_FUNDAMENTAL_KINDS = {
    GObject.TYPE_BOOLEAN: _Kind('bool', 'a bool'),
    GObject.TYPE_CHAR: _Kind('int', 'an int (gchar)', -128, 127),
    GObject.TYPE_UCHAR: _Kind('int', 'an int (guchar)', 0, 255),
    GObject.TYPE_INT: _Kind('int', 'an int (gint)', -2 ** 31, 2 ** 31 - 1),
    GObject.TYPE_UINT: _Kind('int', 'an int (guint)', 0, 2 ** 32 - 1),
    GObject.TYPE_LONG: _Kind('int', 'an int (glong)', GLib.MINLONG, GLib.MAXLONG),
    GObject.TYPE_ULONG: _Kind('int', 'an int (gulong)', 0, GLib.MAXULONG),
    GObject.TYPE_INT64: _Kind('int', 'an int (gint64)', -2 ** 63, 2 ** 63 - 1),
    GObject.TYPE_UINT64: _Kind('int', 'an int (guint64)', 0, 2 ** 64 - 1),
    GObject.TYPE_FLOAT: _Kind('float', 'a float'),
    GObject.TYPE_DOUBLE: _Kind('float', 'a float'),
    GObject.TYPE_STRING: _Kind('str', 'a str or None'),
    GObject.TYPE_VARIANT: _Kind('variant', 'a GLib.Variant or None'),
}


def _property_value(pspec, value):
    """A GObject.Value of the property's type for a Python value, checked."""
    gtype = pspec.value_type
    what = "the value of the property '%s'" % pspec.name
    fundamental = gtype.fundamental

    if gtype == GObject.TYPE_STRV:
        return GObject.Value(gtype, _SIMPLE_KINDS['mas'].check(value, what))
    if gtype == GLib.Bytes.__gtype__:
        data = _SIMPLE_KINDS['may'].check(value, what)
        return GObject.Value(gtype, None if data is None else GLib.Bytes.new(data))
    if fundamental in (GObject.TYPE_ENUM, GObject.TYPE_FLAGS):
        signature = 'i' if fundamental == GObject.TYPE_ENUM else 'u'
        number = _kind_for(signature, gtype.name).check(value, what)
        return GObject.Value(gtype, number)
    kind = _FUNDAMENTAL_KINDS.get(fundamental)
    if kind is None:
        return None
    value = kind.check(value, what)
    if fundamental == GObject.TYPE_FLOAT:
        # As a double: gro converts it to the float property (PyGObject's
        # own check would refuse infinities, which floats may hold).
        return GObject.Value(GObject.TYPE_DOUBLE, value)
    if fundamental == GObject.TYPE_CHAR:
        # As an int, in range: PyGObject sets a gchar with the deprecated
        # g_value_set_char(), and gro converts the int.
        return GObject.Value(GObject.TYPE_INT, value)
    return GObject.Value(gtype, value)


# --------------------------------------------------------------------------
# Signal handlers that keep their GLib.Bytes arguments

_BYTES_GTYPE = GLib.Bytes.__gtype__


class _OwnBytesHandler:
    """Calls a handler of a replica's signal with GLib.Bytes arguments that
    hold their own reference.

    A dynamic replica's signals have no introspection data, so PyGObject
    wraps a boxed argument without taking a reference: the GLib.Bytes the
    handler gets dangles once the emission is over, and keeping it crashes
    the process later. Each one is replaced by a new reference to the same
    bytes (no copy). The wrapper compares equal to the handler, so
    disconnect_by_func() and handler_block_by_func() find it."""

    def __init__(self, handler, positions):
        self.handler = handler
        self.positions = positions

    def __call__(self, instance, *args):
        args = list(args)
        for i in self.positions:
            value = args[i] if i < len(args) else None
            if isinstance(value, GLib.Bytes):
                args[i] = GLib.Bytes.new_from_bytes(value, 0, value.get_size())
        return self.handler(instance, *args)

    def __eq__(self, other):
        if isinstance(other, _OwnBytesHandler):
            return self.handler == other.handler
        return self.handler == other

    def __hash__(self):
        return hash(self.handler)


def _own_bytes(replica, detailed_signal, handler):
    """The handler, wrapped if the signal has GBytes arguments."""
    if not isinstance(detailed_signal, str) or not callable(handler):
        return handler
    try:
        query = GObject.signal_query(detailed_signal.split('::', 1)[0], type(replica))
    except (TypeError, RuntimeError):
        return handler
    if query is None or not query.signal_id:
        return handler
    positions = tuple(i for i, gtype in enumerate(query.param_types) if gtype == _BYTES_GTYPE)
    return _OwnBytesHandler(handler, positions) if positions else handler


# --------------------------------------------------------------------------
# Gro.Replica

def _is_legacy_call_async(args, kwargs):
    """Whether call_async() was called in its introspected form,
    call_async(method, parameters, timeout_ms, cancellable, callback,
    *user_data), or with its keyword parameters=: a callable argument is
    never one a method takes."""
    return (len(args) >= 4 and callable(args[3])) or 'parameters' in kwargs


class Replica(Gro.Replica):
    """A replica, with Python calls. See doc/python.md."""

    def _gro_signature(self, method):
        """The method's _Signature, or None if the replica has no schema
        (it has not heard from its source) or the source no such method:
        the library then says why, without sending anything."""
        info = self.get_interface_info()
        if info is None:
            return None
        method_info = info.lookup_method(method)
        if method_info is None:
            return None
        return _Signature(self.get_name(), method_info)

    def _gro_pack(self, method, args):
        if not isinstance(method, str):
            raise TypeError('the method name must be a str, not %s' % type(method).__name__)
        signature = self._gro_signature(method)
        if signature is None:
            return None, None
        return signature, signature.pack(args)

    def call(self, method, *args, timeout_ms=-1, cancellable=None):
        """Calls a method of the source and waits for its reply.

        The arguments are Python values, checked against the method's schema
        before anything is sent: TypeError for a wrong count or type,
        ValueError for an int out of its type's range. Returns the method's
        return value (None for a method that returns nothing); raises
        GLib.Error with the source's domain and code when the method fails,
        or in the Gro.Error domain when the call does.

        Like call_sync(), it may be called from the node's thread (it then
        runs none of the application's callbacks while it waits) or from
        any other thread.
        """
        signature, parameters = self._gro_pack(method, args)
        reply = Gro.Replica.call_sync(self, method, parameters, timeout_ms, cancellable)
        if reply is None:
            # Only when the replica was not made by a node (the library
            # returns NULL without an error then).
            raise GLib.Error('The replica of %r was not made by a Gro.Node' % self.get_name(),
                             GLib.quark_to_string(Gro.error_quark()),
                             int(Gro.Error.SOURCE_UNAVAILABLE))
        return signature.unpack(reply) if signature else _unpack_unknown(reply)

    def call_async(self, method, *args, callback=None, timeout_ms=-1, cancellable=None,
                   **kwargs):
        """Calls a method of the source without waiting.

            replica.call_async("add", 2, 3, callback=on_added)

            def on_added(replica, result, error):
                ...

        The arguments are checked as for call(), and a mistake raises at
        once. When the call completes, in the node's main context,
        callback(replica, result, error) runs: result is the method's
        return value and error None, or result None and error the
        GLib.Error. Without a callback a failure is logged.

        The introspected form, call_async(method, parameters, timeout_ms,
        cancellable, callback, *user_data) with a GLib.Variant tuple and
        call_finish() in the callback, works as before.
        """
        if _is_legacy_call_async(args, kwargs):
            if callback is not None:
                kwargs['callback'] = callback
            if timeout_ms != -1:
                kwargs['timeout_ms'] = timeout_ms
            if cancellable is not None:
                kwargs['cancellable'] = cancellable
            return Gro.Replica.call_async(self, method, *args, **kwargs)
        if kwargs:
            raise TypeError('call_async() got an unexpected keyword argument %r'
                            % next(iter(kwargs)))
        if callback is not None and not callable(callback):
            raise TypeError('callback must be callable, not %s' % type(callback).__name__)

        signature, parameters = self._gro_pack(method, args)

        def on_done(replica, async_result, _unused=None):
            try:
                reply = Gro.Replica.call_finish(replica, async_result)
                value = signature.unpack(reply) if signature else _unpack_unknown(reply)
            except GLib.Error as error:
                if callback is not None:
                    callback(replica, None, error)
                else:
                    _log.warning("The call of '%s' of '%s' failed: %s",
                                 method, replica.get_name(), error.message)
                return
            if callback is not None:
                callback(replica, value, None)

        Gro.Replica.call_async(self, method, parameters, timeout_ms, cancellable, on_done, None)

    def connect(self, detailed_signal, handler, *args):
        """GObject.Object.connect(); a handler of a signal with GBytes
        arguments gets GLib.Bytes it may keep after it returns."""
        return super().connect(detailed_signal, _own_bytes(self, detailed_signal, handler),
                               *args)

    def connect_after(self, detailed_signal, handler, *args):
        """GObject.Object.connect_after(), as connect()."""
        return super().connect_after(detailed_signal,
                                     _own_bytes(self, detailed_signal, handler), *args)

    def write_property_async(self, name, value, cancellable=None, callback=None, *user_data):
        """Writes a property of the source, as the introspected method does,
        with the value first made a GObject.Value of the property's type:
        so a big int reaches a guint64 property, a list a GStrv one, bytes a
        GBytes one. A value the property's type cannot hold raises
        TypeError or ValueError at once, and nothing is sent. A
        GObject.Value is passed as it is."""
        if not isinstance(value, GObject.Value):
            pspec = self.find_property(name) if isinstance(name, str) else None
            if pspec is not None and pspec.owner_type != Gro.Replica.__gtype__:
                typed = _property_value(pspec, value)
                if typed is not None:
                    value = typed
        return Gro.Replica.write_property_async(self, name, value, cancellable, callback,
                                                *user_data)


Replica = override(Replica)
__all__.append('Replica')


# --------------------------------------------------------------------------
# Sources

def returns_errors(handler):
    """Decorates the handler of a source's method (an action signal's
    do_NAME, or a handler connected to it) so that it fails by raising.

        @Gro.returns_errors
        def do_boost(self, minutes):
            if not 1 <= minutes <= 120:
                raise GLib.Error('Cannot boost for %d minutes' % minutes,
                                 'demo-thermostat-error-quark', 0)
            ...

    A GLib.Error raised while a replica's call is served answers the call
    with that error (Gro.Invocation.return_gerror()). Any other exception
    answers it with Gro.Error.FAILED, naming the exception, and is raised on,
    so its traceback is printed. Outside a call (the signal emitted in this
    process), exceptions are raised on as usual.
    """
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        except Exception as exception:
            invocation = Gro.Invocation.get_current()
            if invocation is None:
                raise
            if isinstance(exception, GLib.Error):
                invocation.return_gerror(exception)
                return None
            invocation.return_error_literal(
                Gro.error_quark(), int(Gro.Error.FAILED),
                '%s: %s' % (type(exception).__name__, exception))
            raise

    return wrapper


__all__.append('returns_errors')

