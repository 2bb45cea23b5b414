// gro.js: makes Gro native in GJS
//
//   import Gro from 'file:///usr/share/gro-1.0/gjs/gro.js';   // see doc/gjs.md
//
//   await node.connectToNode('tcp://127.0.0.1:4000');
//   const replica = await node.acquireDynamic('calculator', {timeoutMs: 5000});
//   const sum = await replica.call('add', 2, 3);               // 5
//   await replica.writeProperty('label', 'hello');
//
// The module patches five promise-returning methods onto the prototypes of
// the Gro typelib, as GJS's own overrides do for Gio:
//
//   Gro.Node.prototype.connectToNode (url, {cancellable})
//   Gro.Node.prototype.acquireDynamic (name, {cancellable, timeoutMs})
//   Gro.Replica.prototype.call (method, ...args)
//   Gro.Replica.prototype.callv (method, args, {cancellable, timeoutMs})
//   Gro.Replica.prototype.writeProperty (name, value, {cancellable})
//
// and exports the same operations as plain functions taking the object first
// (connectToNode (node, url), call (replica, method, ...args)...), for code
// that prefers them, or for a replica whose source has a property named
// like one of the methods (a dynamic replica's properties shadow them).
//
// Arguments are checked against the method's schema, from
// Gro.Replica.get_interface_info(), and a wrong count or type throws a
// TypeError at once, before anything is sent. Errors from the node or the
// source reject the promise with the GLib.Error, with its domain and code.
//
// For sources written in GJS: returnError() fails the call being served, and
// catchErrors() makes an exception thrown by a method handler the reply.
//
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gro from 'gi://Gro?version=1.0';

// The annotation that gives each member's GLib type name in the interface
// info (gro-schema.c).
const TYPE_ANNOTATION = 'org.gtk.Gro.Type';

const INT_RANGES = {
    gchar: [-128, 127],
    guchar: [0, 255],
    gint: [-2147483648, 2147483647],
    guint: [0, 4294967295],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

// ------------------------------------------------------------------------
// Describing values in messages

function describe(value) {
    if (value === null)
        return 'null';
    if (value === undefined)
        return 'undefined';
    switch (typeof value) {
    case 'string':
        return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
        return String(value);
    case 'bigint':
        return `${value}n`;
    case 'function':
        return 'a function';
    case 'symbol':
        return 'a symbol';
    }
    if (Array.isArray(value))
        return 'an array';
    if (value instanceof GLib.Variant)
        return `a GLib.Variant of type ${value.get_type_string()}`;
    const name = value.constructor?.name;
    return name ? `a ${name}` : 'an object';
}

function isIntegral(value) {
    return (typeof value === 'number' && Number.isInteger(value)) ||
        typeof value === 'bigint';
}

// Checks an integer (a number or a bigint) against [min, max]; returns it as
// a bigint, or calls fail(), which throws.
function checkInteger(value, min, max, fail) {
    if (!isIntegral(value))
        fail();
    const big = BigInt(value);
    if (big < BigInt(min) || big > BigInt(max))
        fail();
    return big;
}

// The 64-bit value of a variant exactly: a number when it is a safe integer,
// else a bigint. (GLib.Variant.get_int64() gives a number, rounded.)
function exact64(variant) {
    const big = BigInt(variant.print(false));
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(big) : big;
}

function toBytes(value) {
    if (value instanceof GLib.Bytes)
        return value;
    if (value instanceof Uint8Array)
        return new GLib.Bytes(value);
    if (value instanceof ArrayBuffer)
        return new GLib.Bytes(new Uint8Array(value));
    return undefined;
}

// ------------------------------------------------------------------------
// JS values to GVariants, by the schema's wire type (doc/values.md)

const WIRE_EXPECT = {
    b: 'a boolean',
    d: 'a number',
    ms: 'a string or null',
    mas: 'an array of strings or null',
    may: 'a Uint8Array, a GLib.Bytes or null',
    mv: 'a GLib.Variant or null',
};

function expectation(signature, typeName) {
    if (WIRE_EXPECT[signature])
        return WIRE_EXPECT[signature];
    switch (signature) {
    case 'y':
    case 'i':
    case 'u': {
        const range = INT_RANGES[typeName] ??
            (signature === 'i' ? INT_RANGES.gint
                : signature === 'u' ? INT_RANGES.guint : INT_RANGES.guchar);
        return `an integer from ${range[0]} to ${range[1]}`;
    }
    case 'x':
        return 'an integer (a number or a bigint) in the 64-bit signed range';
    case 't':
        return 'an integer (a number or a bigint) from 0 to 2^64-1';
    }
    return `a GLib.Variant of type ${signature}`;
}

/**
 * Packs one JS value as a GVariant of a schema's wire type.
 *
 * @param {string} signature - the wire type: b y i u x t d ms mas may mv
 * @param {string} typeName - the GLib type name (gint, gchar, an enum's…)
 * @param {*} value - the JS value
 * @param {string} what - what the value is, for the TypeError
 * @returns {GLib.Variant}
 */
export function packValue(signature, typeName, value, what) {
    const fail = () => {
        throw new TypeError(`${what} must be ${expectation(signature, typeName)} ` +
            `(${typeName}), not ${describe(value)}`);
    };

    switch (signature) {
    case 'b':
        if (typeof value !== 'boolean')
            fail();
        return GLib.Variant.new_boolean(value);
    case 'y': {
        const [min, max] = INT_RANGES[typeName] ?? INT_RANGES.guchar;
        // A gchar travels as its byte: -1 as 0xff.
        return GLib.Variant.new_byte(Number(checkInteger(value, min, max, fail)) & 0xff);
    }
    case 'i': {
        const [min, max] = INT_RANGES.gint;
        return GLib.Variant.new_int32(Number(checkInteger(value, min, max, fail)));
    }
    case 'u': {
        const [min, max] = INT_RANGES.guint;
        return GLib.Variant.new_uint32(Number(checkInteger(value, min, max, fail)));
    }
    case 'x':
        return GLib.Variant.new_int64(checkInteger(value, INT64_MIN, INT64_MAX, fail));
    case 't':
        return GLib.Variant.new_uint64(checkInteger(value, 0n, UINT64_MAX, fail));
    case 'd':
        if (typeof value !== 'number')
            fail();
        return GLib.Variant.new_double(value);
    case 'ms':
        if (value === null)
            return GLib.Variant.new_maybe(new GLib.VariantType('s'), null);
        if (typeof value !== 'string')
            fail();
        return GLib.Variant.new_maybe(null, GLib.Variant.new_string(value));
    case 'mas':
        if (value === null)
            return GLib.Variant.new_maybe(new GLib.VariantType('as'), null);
        if (!Array.isArray(value) || !value.every(s => typeof s === 'string'))
            fail();
        return GLib.Variant.new_maybe(null, GLib.Variant.new_strv(value));
    case 'may': {
        if (value === null)
            return GLib.Variant.new_maybe(new GLib.VariantType('ay'), null);
        const bytes = toBytes(value);
        if (bytes === undefined)
            fail();
        return GLib.Variant.new_maybe(null,
            GLib.Variant.new_from_bytes(new GLib.VariantType('ay'), bytes, true));
    }
    case 'mv':
        if (value === null)
            return GLib.Variant.new_maybe(new GLib.VariantType('v'), null);
        if (!(value instanceof GLib.Variant))
            fail();
        return GLib.Variant.new_maybe(null, GLib.Variant.new_variant(value));
    }

    // Not a type of gro's table: take a variant of exactly that type.
    if (!(value instanceof GLib.Variant) || value.get_type_string() !== signature)
        fail();
    return value;
}

/**
 * Unpacks one GVariant of a schema's wire type as a JS value: numbers
 * (64-bit ones as bigints when they are not safe integers), booleans,
 * strings, arrays of strings, GLib.Bytes, GLib.Variant, or null for a
 * maybe that holds nothing.
 *
 * @param {GLib.Variant} variant - the value
 * @param {string} typeName - the GLib type name
 * @returns {*}
 */
export function unpackValue(variant, typeName) {
    const signature = variant.get_type_string();

    switch (signature) {
    case 'b':
        return variant.get_boolean();
    case 'y': {
        const byte = variant.get_byte();
        return typeName === 'gchar' && byte > 127 ? byte - 256 : byte;
    }
    case 'i':
        return variant.get_int32();
    case 'u':
        return variant.get_uint32();
    case 'x':
    case 't':
        return exact64(variant);
    case 'd':
        return variant.get_double();
    }

    if (signature.startsWith('m')) {
        const inner = variant.get_maybe();
        if (inner === null)
            return null;
        switch (signature) {
        case 'ms':
            return inner.get_string()[0];
        case 'mas':
            return inner.get_strv();
        case 'may':
            return inner.get_data_as_bytes();
        case 'mv':
            return inner.get_variant();
        }
        return inner.deepUnpack();
    }
    return variant.deepUnpack();
}

// ------------------------------------------------------------------------
// Calls

function typeNameOf(argInfo) {
    const annotation = (argInfo.annotations ?? []).find(a => a.key === TYPE_ANNOTATION);
    return annotation ? annotation.value : argInfo.signature;
}

function checkReplica(replica, what) {
    if (!(replica instanceof Gro.Replica))
        throw new TypeError(`${what}: expected a Gro.Replica, not ${describe(replica)}`);
}

function checkCancellable(cancellable, what) {
    if (cancellable !== null && !(cancellable instanceof Gio.Cancellable))
        throw new TypeError(`${what}: cancellable must be a Gio.Cancellable or null, ` +
            `not ${describe(cancellable)}`);
}

function checkTimeout(timeoutMs, what) {
    if (!Number.isInteger(timeoutMs) || timeoutMs < -1 || timeoutMs > 2147483647)
        throw new TypeError(`${what}: timeoutMs must be -1 (the default) or a number of ` +
            `milliseconds, not ${describe(timeoutMs)}`);
}

/**
 * The method's schema, from the replica's interface info, by its name
 * dashed, underscored or camelCase; null when the
 * replica has not heard from its source yet or the source has no such
 * method: the call then goes to the library, which fails it with the
 * reason (GRO_ERROR_SOURCE_UNAVAILABLE, GRO_ERROR_UNKNOWN_METHOD).
 *
 * @param {Gro.Replica} replica - the replica
 * @param {string} method - the method's name
 * @returns {?Gio.DBusMethodInfo}
 */
export function lookupMethod(replica, method) {
    const info = replica.get_interface_info();
    if (info === null)
        return null;
    return info.lookup_method(method) ?? info.lookup_method(dashed(method));
}

// A name as GObject spells it: set_mode and setMode are set-mode.
function dashed(name) {
    return name.replace(/_/g, '-').replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);
}

/**
 * Packs a method's arguments as the tuple that Gro.Replica.call_async() and
 * call_sync() take, checking them against the schema.
 *
 * @param {Gro.Replica} replica - the replica
 * @param {string} method - the method's name
 * @param {Array} args - the arguments, as JS values
 * @returns {?GLib.Variant} the tuple, or null when the replica has no schema
 *   for @method (the library then says why)
 * @throws {TypeError} when the count or a type is wrong
 */
export function packArguments(replica, method, args) {
    checkReplica(replica, 'packArguments');
    if (typeof method !== 'string')
        throw new TypeError(`The method's name must be a string, not ${describe(method)}`);
    if (!Array.isArray(args))
        throw new TypeError(`The arguments must be an array, not ${describe(args)}`);

    const info = lookupMethod(replica, method);
    if (info === null)
        return null;

    const inArgs = info.in_args ?? [];
    const where = `'${info.name}' of '${replica.get_name()}'`;
    if (args.length !== inArgs.length) {
        const types = inArgs.map(typeNameOf).join(', ');
        throw new TypeError(`The method ${where} takes ${inArgs.length} ` +
            `argument${inArgs.length === 1 ? '' : 's'} (${types}), not ${args.length}`);
    }

    return GLib.Variant.new_tuple(inArgs.map((arg, i) =>
        packValue(arg.signature, typeNameOf(arg), args[i],
            `Argument ${i + 1} of the method ${where}`)));
}

/**
 * Unpacks a method's result tuple: undefined for a method that returns
 * nothing, else its one value (see unpackValue()).
 *
 * @param {Gro.Replica} replica - the replica
 * @param {string} method - the method's name
 * @param {GLib.Variant} result - the tuple from call_finish() or call_sync()
 * @returns {*}
 */
export function unpackResult(replica, method, result) {
    if (result.n_children() === 0)
        return undefined;
    const info = lookupMethod(replica, method);
    const out = info?.out_args?.[0];
    return unpackValue(result.get_child_value(0), out ? typeNameOf(out) : '');
}

/**
 * Calls a method of the source with arguments in an array, and options.
 *
 * @param {Gro.Replica} replica - the replica
 * @param {string} method - the method's name
 * @param {Array} [args] - the arguments, as JS values
 * @param {object} [options] - options
 * @param {number} [options.timeoutMs] - how long to wait for the reply: -1
 *   for the library's default (25 s), 2147483647 for no limit
 * @param {?Gio.Cancellable} [options.cancellable] - to cancel the call
 * @returns {Promise<*>} the method's return value, or undefined
 * @throws {TypeError} at once, when the count or a type is wrong
 */
export function callv(replica, method, args = [], {timeoutMs = -1, cancellable = null} = {}) {
    checkReplica(replica, 'call');
    checkTimeout(timeoutMs, 'call');
    checkCancellable(cancellable, 'call');
    const parameters = packArguments(replica, method, args);
    const name = parameters === null ? method : lookupMethod(replica, method).name;

    return new Promise((resolve, reject) => {
        replica.call_async(name, parameters, timeoutMs, cancellable, (source, result) => {
            try {
                resolve(unpackResult(source, name, source.call_finish(result)));
            } catch (e) {
                reject(e);
            }
        });
    });
}

/**
 * Calls a method of the source.
 *
 * @param {Gro.Replica} replica - the replica
 * @param {string} method - the method's name
 * @param {...*} args - the arguments, as JS values
 * @returns {Promise<*>} the method's return value, or undefined
 * @throws {TypeError} at once, when the count or a type is wrong
 */
export function call(replica, method, ...args) {
    return callv(replica, method, args);
}

// ------------------------------------------------------------------------
// Property writes

// GJS can fill a GValue of a boxed type (GStrv, GBytes) from a JS value only
// through a property of that type: a JS object's getter, read into the
// GValue with get_property().
let ValueHolder = null;

function valueHolder() {
    if (ValueHolder !== null)
        return new ValueHolder();

    // Each copy of this module (another path, another URL) registers its own.
    let name = 'GroGjsValueHolder';
    for (let i = 2; GObject.type_from_name(name) !== null; i++)
        name = `GroGjsValueHolder${i}`;

    const RW = GObject.ParamFlags.READWRITE;
    ValueHolder = GObject.registerClass({
        GTypeName: name,
        Properties: {
            'strv': GObject.ParamSpec.boxed('strv', null, null, RW,
                GObject.type_from_name('GStrv')),
            'bytes': GObject.ParamSpec.boxed('bytes', null, null, RW, GLib.Bytes.$gtype),
        },
    }, class extends GObject.Object {
        get strv() {
            return this._strv ?? null;
        }

        set strv(value) {
            this._strv = value;
        }

        get bytes() {
            return this._bytes ?? null;
        }

        set bytes(value) {
            this._bytes = value;
        }
    });
    return new ValueHolder();
}

function findPspec(replica, name) {
    const klass = replica.constructor;
    return GObject.Object.find_property.call(klass, name) ??
        GObject.Object.find_property.call(klass, dashed(name));
}

/**
 * A GObject.Value of the property's exact type holding a JS value.
 *
 * @param {GObject.ParamSpec} pspec - the property
 * @param {*} value - the JS value
 * @param {string} what - the value, for the TypeError
 * @returns {GObject.Value}
 */
export function toGValue(pspec, value, what) {
    const gtype = pspec.value_type;
    const fundamental = GObject.type_fundamental(gtype);
    const typeName = GObject.type_name(gtype);
    const gvalue = new GObject.Value();
    const fail = expected => {
        throw new TypeError(`${what} must be ${expected} (${typeName}), ` +
            `not ${describe(value)}`);
    };
    const integer = (min, max, expected) =>
        checkInteger(value, min, max, () => fail(expected));

    gvalue.init(gtype);
    switch (fundamental) {
    case GObject.TYPE_BOOLEAN:
        if (typeof value !== 'boolean')
            fail('a boolean');
        gvalue.set_boolean(value);
        break;
    case GObject.TYPE_CHAR:
        gvalue.set_schar(Number(integer(-128, 127, 'an integer from -128 to 127')));
        break;
    case GObject.TYPE_UCHAR:
        gvalue.set_uchar(Number(integer(0, 255, 'an integer from 0 to 255')));
        break;
    case GObject.TYPE_INT:
        gvalue.set_int(Number(integer(-2147483648, 2147483647,
            'an integer from -2147483648 to 2147483647')));
        break;
    case GObject.TYPE_UINT:
        gvalue.set_uint(Number(integer(0, 4294967295, 'an integer from 0 to 4294967295')));
        break;
    case GObject.TYPE_LONG:
        gvalue.set_long(integer(INT64_MIN, INT64_MAX, 'an integer in the 64-bit signed range'));
        break;
    case GObject.TYPE_ULONG:
        gvalue.set_ulong(integer(0n, UINT64_MAX, 'an integer from 0 to 2^64-1'));
        break;
    case GObject.TYPE_INT64:
        gvalue.set_int64(integer(INT64_MIN, INT64_MAX, 'an integer in the 64-bit signed range'));
        break;
    case GObject.TYPE_UINT64:
        gvalue.set_uint64(integer(0n, UINT64_MAX, 'an integer from 0 to 2^64-1'));
        break;
    case GObject.TYPE_FLOAT:
        if (typeof value !== 'number')
            fail('a number');
        gvalue.set_float(value);
        break;
    case GObject.TYPE_DOUBLE:
        if (typeof value !== 'number')
            fail('a number');
        gvalue.set_double(value);
        break;
    case GObject.TYPE_ENUM:
        gvalue.set_enum(Number(integer(-2147483648, 2147483647, 'an integer')));
        break;
    case GObject.TYPE_FLAGS:
        gvalue.set_flags(Number(integer(0, 4294967295, 'an integer from 0 to 4294967295')));
        break;
    case GObject.TYPE_STRING:
        if (value !== null && typeof value !== 'string')
            fail('a string or null');
        gvalue.set_string(value);
        break;
    case GObject.TYPE_VARIANT:
        if (value !== null && !(value instanceof GLib.Variant))
            fail('a GLib.Variant or null');
        gvalue.set_variant(value);
        break;
    case GObject.TYPE_BOXED:
        if (typeName === 'GStrv') {
            if (value !== null && (!Array.isArray(value) ||
                                   !value.every(s => typeof s === 'string')))
                fail('an array of strings or null');
            if (value !== null) {
                const holder = valueHolder();
                holder.strv = value;
                holder.get_property('strv', gvalue);
            }
            break;
        }
        if (typeName === 'GBytes') {
            const bytes = value === null ? null : toBytes(value);
            if (bytes === undefined)
                fail('a Uint8Array, a GLib.Bytes or null');
            if (bytes !== null) {
                const holder = valueHolder();
                holder.bytes = bytes;
                holder.get_property('bytes', gvalue);
            }
            break;
        }
    // falls through
    default:
        throw new TypeError(`${what}: gro carries no ${typeName}`);
    }
    return gvalue;
}

/**
 * Writes a property of the source, and resolves once the source took the
 * value (the replica's own value has changed by then, if it changed).
 *
 * @param {Gro.Replica} replica - the replica
 * @param {string} name - the property's name (dashes, underscores or
 *   camelCase)
 * @param {*} value - the value: the JS type must fit the property's type
 * @param {object} [options] - options
 * @param {?Gio.Cancellable} [options.cancellable] - to stop waiting
 * @returns {Promise<undefined>}
 * @throws {TypeError} at once, when the value does not fit the property
 */
export function writeProperty(replica, name, value, {cancellable = null} = {}) {
    checkReplica(replica, 'writeProperty');
    if (typeof name !== 'string')
        throw new TypeError(`writeProperty: the property's name must be a string, ` +
            `not ${describe(name)}`);
    checkCancellable(cancellable, 'writeProperty');

    // Only the source's properties are checked here; for any other name the
    // library says what is wrong (no such property, or no source yet).
    const info = replica.get_interface_info();
    const pspec = findPspec(replica, name);
    let gvalue;
    if (info !== null && pspec !== null && info.lookup_property(pspec.name) !== null) {
        name = pspec.name;
        gvalue = toGValue(pspec, value,
            `The value for the property '${name}' of '${replica.get_name()}'`);
    } else {
        gvalue = new GObject.Value();
        gvalue.init(GObject.TYPE_INT);
    }

    return new Promise((resolve, reject) => {
        replica.write_property_async(name, gvalue, cancellable, (source, result) => {
            try {
                source.write_property_finish(result);
                resolve(undefined);
            } catch (e) {
                reject(e);
            }
        });
    });
}

// ------------------------------------------------------------------------
// Nodes

/**
 * Connects a node to a host; resolves once connected and greeted.
 *
 * @param {Gro.Node} node - the node
 * @param {string} url - the host's address
 * @param {object} [options] - options
 * @param {?Gio.Cancellable} [options.cancellable] - to stop connecting
 * @returns {Promise<undefined>}
 */
export function connectToNode(node, url, {cancellable = null} = {}) {
    if (!(node instanceof Gro.Node))
        throw new TypeError(`connectToNode: expected a Gro.Node, not ${describe(node)}`);
    if (typeof url !== 'string')
        throw new TypeError(`connectToNode: the address must be a string, not ${describe(url)}`);
    checkCancellable(cancellable, 'connectToNode');

    return new Promise((resolve, reject) => {
        node.connect_to_node_async(url, cancellable, (source, result) => {
            try {
                source.connect_to_node_finish(result);
                resolve(undefined);
            } catch (e) {
                reject(e);
            }
        });
    });
}

/**
 * Acquires a dynamic replica and resolves with it once it is valid: its
 * properties hold the source's values.
 *
 * @param {Gro.Node} node - the node
 * @param {string} name - the name the source is shared under
 * @param {object} [options] - options
 * @param {?Gio.Cancellable} [options.cancellable] - to stop waiting
 * @param {number} [options.timeoutMs] - how long to wait; -1 (the default)
 *   waits until the source comes. On time out the promise rejects with
 *   Gro.Error.TIMED_OUT.
 * @returns {Promise<Gro.Replica>}
 */
export function acquireDynamic(node, name, {cancellable = null, timeoutMs = -1} = {}) {
    if (!(node instanceof Gro.Node))
        throw new TypeError(`acquireDynamic: expected a Gro.Node, not ${describe(node)}`);
    if (typeof name !== 'string' || name === '')
        throw new TypeError(`acquireDynamic: the name must be a non-empty string, ` +
            `not ${describe(name)}`);
    checkCancellable(cancellable, 'acquireDynamic');
    checkTimeout(timeoutMs, 'acquireDynamic');

    // A time limit is a cancellable of our own, cancelled by a timer or by
    // the caller's.
    let inner = cancellable;
    let timerId = 0;
    let linkId = 0;
    let timedOut = false;
    if (timeoutMs >= 0 && timeoutMs !== 2147483647) {
        inner = new Gio.Cancellable();
        if (cancellable !== null)
            linkId = cancellable.connect(() => inner.cancel());
        timerId = GLib.timeout_add(GLib.PRIORITY_DEFAULT, timeoutMs, () => {
            timerId = 0;
            timedOut = true;
            inner.cancel();
            return GLib.SOURCE_REMOVE;
        });
    }

    return new Promise((resolve, reject) => {
        node.acquire_dynamic_async(name, inner, (source, result) => {
            if (timerId !== 0)
                GLib.source_remove(timerId);
            if (linkId !== 0)
                cancellable.disconnect(linkId);
            try {
                resolve(source.acquire_dynamic_finish(result));
            } catch (e) {
                if (timedOut && e.matches?.(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED)) {
                    reject(new GLib.Error(Gro.error_quark(), Gro.Error.TIMED_OUT,
                        `Timed out waiting for the source '${name}' (${timeoutMs} ms)`));
                } else {
                    reject(e);
                }
            }
        });
    });
}

// ------------------------------------------------------------------------
// Sources

/**
 * Fails the call that the running method handler serves, from inside an
 * action signal's handler: the caller's promise rejects with this domain,
 * code and message. The handler's return value is then ignored.
 *
 * @param {string|number|GLib.Error} domain - the error domain, by name (a
 *   string such as 'my-app-error-quark') or as a quark; or a GLib.Error, and
 *   then no code or message
 * @param {number} [code] - the error code
 * @param {string} [message] - the message
 * @throws {Error} outside a method's handler
 */
export function returnError(domain, code, message) {
    const invocation = Gro.Invocation.get_current();
    if (invocation === null)
        throw new Error('returnError: no method call is being served in this thread');
    if (domain instanceof GLib.Error) {
        invocation.return_gerror(domain);
        return;
    }
    const quark = typeof domain === 'string' ? GLib.quark_from_string(domain) : domain;
    if (!Number.isInteger(quark) || quark <= 0)
        throw new TypeError(`returnError: the domain must be a string, a quark or a ` +
            `GLib.Error, not ${describe(domain)}`);
    if (!Number.isInteger(code))
        throw new TypeError(`returnError: the code must be an integer, not ${describe(code)}`);
    invocation.return_error_literal(quark, code, String(message));
}

/**
 * Makes the method handlers of a source class answer an exception that they
 * throw as an error reply. Without it, GJS logs the exception and the
 * caller gets a success with a zero or null value: a signal's class handler
 * has no way to fail.
 *
 * Call it on the class before GObject.registerClass(), which keeps the
 * handlers it finds (patching the prototype afterwards changes nothing):
 *
 *   const Calculator = GObject.registerClass({Signals: {...}},
 *       GroJs.catchErrors(class Calculator extends GObject.Object {
 *           on_divide(a, b) {
 *               if (b === 0)
 *                   throw new GLib.Error(CALC_ERROR, 1, 'division by zero');
 *               return a / b;
 *           }
 *       }));
 *
 * Each on_NAME method is wrapped. A GLib.Error thrown while gro serves a
 * call of the method NAME of this object is the reply, with its domain, code
 * and message; any other exception is a Gro.Error.FAILED reply with its
 * message. Outside such a call (the signal emitted locally, or a plain
 * signal's handler) the exception goes on as before.
 *
 * @param {Function} klass - a class, not registered yet
 * @returns {Function} the same class
 */
export function catchErrors(klass) {
    if (typeof klass !== 'function' || typeof klass.prototype !== 'object')
        throw new TypeError(`catchErrors: expected a class, not ${describe(klass)}`);

    for (const key of Object.getOwnPropertyNames(klass.prototype)) {
        const descriptor = Object.getOwnPropertyDescriptor(klass.prototype, key);
        if (!key.startsWith('on_') || typeof descriptor.value !== 'function')
            continue;
        const handler = descriptor.value;
        const signal = key.slice(3).replace(/_/g, '-');

        Object.defineProperty(klass.prototype, key, {
            ...descriptor,
            value: function (...args) {
                try {
                    return handler.apply(this, args);
                } catch (error) {
                    const invocation = Gro.Invocation.get_current();
                    if (invocation === null || invocation.is_deferred() ||
                        invocation.get_source() !== this ||
                        invocation.get_method_name().replace(/_/g, '-') !== signal)
                        throw error;
                    if (error instanceof GLib.Error) {
                        invocation.return_gerror(error);
                    } else {
                        invocation.return_error_literal(Gro.error_quark(), Gro.Error.FAILED,
                            String(error?.message ?? error));
                    }
                    return undefined;
                }
            },
        });
    }
    return klass;
}

// ------------------------------------------------------------------------
// The prototypes

function define(prototype, name, method) {
    Object.defineProperty(prototype, name, {
        value: method,
        writable: true,
        configurable: true,
        enumerable: false,
    });
}

define(Gro.Node.prototype, 'connectToNode', function (url, options) {
    return connectToNode(this, url, options);
});
define(Gro.Node.prototype, 'acquireDynamic', function (name, options) {
    return acquireDynamic(this, name, options);
});
define(Gro.Replica.prototype, 'call', function (method, ...args) {
    return callv(this, method, args);
});
define(Gro.Replica.prototype, 'callv', function (method, args, options) {
    return callv(this, method, args, options);
});
define(Gro.Replica.prototype, 'writeProperty', function (name, value, options) {
    return writeProperty(this, name, value, options);
});

export {Gro};
export default Gro;
