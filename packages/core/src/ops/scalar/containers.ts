/** TorchScript list, dict, string and identity builtins. Lists are JS arrays, dicts Maps. */
import type { Args } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { I, scalarOp, type Impl } from './define.js';
import { dictKey, keyError, listIndex, num, plain, pyEq, pyStr, sliceIndices } from './util.js';

const DICT_KEYS = ['str', 'int', 'bool', 'float', 'Tensor'] as const;
/** the same implementation for `${prefix}${K}` for every dict key type K */
const forDicts = (prefix: string, f: Impl, suffix = ''): Record<string, Impl> => Object.fromEntries(DICT_KEYS.map((k) => [`${prefix}${k}${suffix}`, f]));

const list = (x: unknown): unknown[] => x as unknown[];
const dict = (x: unknown): Map<unknown, unknown> => x as Map<unknown, unknown>;

function tensorsEqual(a: unknown, b: unknown): boolean {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) return a === b;
  if (a.shape.join() !== b.shape.join()) return false;
  const x = a.contiguousArray(), y = b.contiguousArray();
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

// ------------------------------------------------------------------ eq / ne (numbers, strings, lists, devices)

const eqImpls = (negate: boolean, prefix: string): Record<string, Impl> => {
  const r = (v: boolean): boolean => (negate ? !v : v);
  const numEq: Impl = (a) => r(num(a.a) === num(a.b));
  return {
    [`${prefix}.int`]: numEq,
    [`${prefix}.float`]: numEq,
    [`${prefix}.int_float`]: numEq,
    [`${prefix}.float_int`]: numEq,
    [prefix]: numEq,
    [`${prefix}.bool`]: (a) => r(Boolean(a.a) === Boolean(a.b)),
    [`${prefix}.str`]: (a) => r(a.a === a.b),
    [`${prefix}.device`]: (a) => r(a.a === a.b),
    [`${prefix}.int_list`]: (a) => r(pyEq(a.a, a.b)),
    [`${prefix}.float_list`]: (a) => r(pyEq(a.a, a.b)),
    [`${prefix}.bool_list`]: (a) => r(pyEq(a.a, a.b)),
    [`${prefix}.str_list`]: (a) => r(pyEq(a.a, a.b)),
    [`${prefix}.Tensor_list`]: (a) => r(list(a.a).length === list(a.b).length && list(a.a).every((t, i) => tensorsEqual(t, list(a.b)[i]))),
  };
};
export const scalarEq = scalarOp('eq', eqImpls(false, 'aten::eq'));
export const scalarNe = scalarOp('ne', eqImpls(true, 'aten::ne'));

// ------------------------------------------------------------------ len / getitem / setitem

export const scalarLen = scalarOp('len', {
  'aten::len.t': (a) => list(a.a).length,
  'aten::len.any': (a) => list(a.a).length,
  'aten::len.str': (a) => [...String(a.s)].length,
  'aten::len.Tensor': (a) => {
    const t = a.t as Tensor;
    if (t.ndim === 0) throw new TypeError('len() of a 0-d tensor');
    return t.shape[0];
  },
  ...forDicts('aten::len.Dict_', (a) => dict(a.self).size),
});

function dictGet(m: Map<unknown, unknown>, k: unknown): unknown {
  const key = dictKey(k);
  if (!m.has(key)) throw keyError(key);
  return m.get(key);
}

export const scalarGetitem = scalarOp('__getitem__', {
  'aten::__getitem__.t': (a) => {
    const l = list(a.list);
    return l[listIndex(l.length, num(a.idx))];
  },
  'aten::__getitem__.str': (a) => {
    const chars = [...String(a.s)];
    const i = num(a.index);
    const j = i < 0 ? i + chars.length : i;
    if (j < 0 || j >= chars.length) throw new RangeError('string index out of range');
    return chars[j];
  },
  ...forDicts('aten::__getitem__.Dict_', (a) => dictGet(dict(a.self), a.key)),
});

export const scalarSetItem = scalarOp('_set_item', {
  'aten::_set_item.t': (a) => {
    const l = list(a.l);
    l[listIndex(l.length, num(a.idx))] = a.el;
    return l;
  },
  ...forDicts('aten::_set_item.', (a) => {
    dict(a.l).set(dictKey(a.idx), a.v);
    return null;
  }),
});

// ------------------------------------------------------------------ list mutation

export const listOps = [
  scalarOp('append', {
    'aten::append.t': (a) => {
      list(a.self).push(a.el);
      return a.self;
    },
  }),
  scalarOp('insert', {
    'aten::insert.t': (a) => {
      const l = list(a.self);
      let i = num(a.idx);
      if (i < 0) i = Math.max(0, i + l.length);
      l.splice(Math.min(i, l.length), 0, a.el);
      return null;
    },
  }),
  scalarOp('extend', {
    'aten::extend.t': (a) => {
      list(a.self).push(...list(a.other));
      return null;
    },
  }),
  scalarOp('clear', {
    'aten::clear.t': (a) => {
      list(a.self).length = 0;
      return null;
    },
    ...forDicts('aten::clear.', (a) => {
      dict(a.self).clear();
      return null;
    }),
  }),
  scalarOp('reverse', {
    'aten::reverse.t': (a) => {
      list(a.self).reverse();
      return null;
    },
  }),
  scalarOp('pop', {
    'aten::pop.t': (a) => {
      const l = list(a.self);
      if (l.length === 0) throw new RangeError('pop from empty list');
      const i = listIndex(l.length, num(a.idx));
      return l.splice(i, 1)[0];
    },
    ...forDicts('aten::pop.Dict_', (a) => {
      const m = dict(a.self);
      const v = dictGet(m, a.key);
      m.delete(dictKey(a.key));
      return v;
    }),
    ...forDicts('aten::pop.Dict_default_', (a) => {
      const m = dict(a.self), k = dictKey(a.key);
      if (!m.has(k)) return a.default_value;
      const v = m.get(k);
      m.delete(k);
      return v;
    }),
  }),
  scalarOp('slice', {
    'aten::slice.t': (a) => {
      const l = list(a.l);
      return sliceIndices(l.length, a.start, a.end, num(a.step)).map((i) => l[i]);
    },
    'aten::slice.str': (a) => {
      const chars = [...String(a.string)];
      return sliceIndices(chars.length, a.start, a.end, num(a.step)).map((i) => chars[i]).join('');
    },
  }),
  scalarOp('list', {
    'aten::list.t': (a) => [...list(a.l)],
    'aten::list': (a) => [...String(a.t)],
  }),
  scalarOp('copy', {
    'aten::copy.t': (a) => [...list(a.self)],
    ...forDicts('aten::copy.Dict_', (a) => new Map(dict(a.self))),
  }),
  scalarOp('count', {
    ...Object.fromEntries(['int', 'float', 'bool', 'str'].map((k) => [`aten::count.${k}`, (a: Args) => list(a.self).filter((x) => pyEq(x, a.el)).length])),
  }),
  scalarOp('index', {
    ...Object.fromEntries(['int', 'float', 'bool', 'str'].map((k) => [
      `aten::index.list_${k}`,
      (a: Args) => {
        const i = list(a.self).findIndex((x) => pyEq(x, a.el));
        if (i < 0) throw new Error(`'${pyStr(a.el)}' is not in list`);
        return i;
      },
    ])),
  }),
  scalarOp('sum', {
    'aten::sum.int': (a) => I(list(a.self).reduce((s: number, x) => s + num(x), 0)),
    'aten::sum.float': (a) => list(a.self).reduce((s: number, x) => s + num(x), 0),
    'aten::sum.bool': (a) => list(a.self).reduce((s: number, x) => s + num(x), 0),
  }),
];

function compareValues(x: unknown, y: unknown): number {
  x = plain(x);
  y = plain(y);
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  return num(x) - num(y);
}
const sortImpl = (copy: boolean): Impl => (a) => {
  // sorted.int/float/bool/str name their argument `input`, sorted.any `self`
  const l = copy ? [...list(a.input ?? a.self)] : list(a.self);
  l.sort(compareValues);
  if (a.reverse) l.reverse();
  return copy ? l : null;
};
export const deleteAnyAllOps = [
  scalarOp('Delete', {
    'aten::Delete.t': (a) => {
      const l = list(a.self);
      l.splice(listIndex(l.length, num(a.idx)), 1);
      return null;
    },
    ...forDicts('aten::Delete.Dict_', (a) => {
      const m = dict(a.self), k = dictKey(a.key);
      if (!m.has(k)) throw keyError(k);
      m.delete(k);
      return null;
    }),
  }),
  scalarOp('all', Object.fromEntries(['int', 'float', 'bool'].map((k) => [`aten::all.${k}`, (a: Args) => list(a.self).every((x) => num(x) !== 0)]))),
  scalarOp('any', {
    ...Object.fromEntries(['int', 'float', 'bool'].map((k) => [`aten::any.${k}`, (a: Args) => list(a.self).some((x) => num(x) !== 0)])),
    'aten::any.str': (a) => list(a.self).some((x) => String(x).length > 0),
  }),
];

export const sortOps = [
  scalarOp('sort', Object.fromEntries(['int', 'float', 'bool', 'str', 'any'].map((k) => [`aten::sort.${k}`, sortImpl(false)]))),
  scalarOp('sorted', Object.fromEntries(['int', 'float', 'bool', 'str', 'any'].map((k) => [`aten::sorted.${k}`, sortImpl(true)]))),
];

// ------------------------------------------------------------------ contains

export const scalarContains = scalarOp('__contains__', {
  'aten::__contains__.int_list': (a) => list(a.l).some((x) => pyEq(x, a.item)),
  'aten::__contains__.float_list': (a) => list(a.l).some((x) => pyEq(x, a.item)),
  'aten::__contains__.str_list': (a) => list(a.l).includes(a.item),
  ...forDicts('aten::__contains__.', (a) => dict(a.dict).has(dictKey(a.key))),
});

// ------------------------------------------------------------------ dicts

export const dictOps = [
  scalarOp('keys', forDicts('aten::keys.', (a) => [...dict(a.self).keys()])),
  scalarOp('values', forDicts('aten::values.', (a) => [...dict(a.self).values()])),
  scalarOp('items', forDicts('aten::items.', (a) => [...dict(a.self).entries()])),
  scalarOp('get', {
    ...forDicts('aten::get.', (a) => {
      const m = dict(a.self), k = dictKey(a.key);
      return m.has(k) ? m.get(k) : null;
    }),
    ...forDicts('aten::get.default_', (a) => {
      const m = dict(a.self), k = dictKey(a.key);
      return m.has(k) ? m.get(k) : a.default_value;
    }),
  }),
  scalarOp('setdefault', forDicts('aten::setdefault.', (a) => {
    const m = dict(a.self), k = dictKey(a.key);
    if (!m.has(k)) m.set(k, a.default_value);
    return m.get(k);
  })),
  scalarOp('update', forDicts('aten::update.', (a) => {
    const m = dict(a.self);
    for (const [k, v] of dict(a.to_add)) m.set(k, v);
    return null;
  })),
  scalarOp('dict', {
    ...forDicts('aten::dict.', (a) => new Map(list(a.inputs).map((kv) => { const p = kv as unknown[]; return [dictKey(p[0]), p[1]] as const; }))),
    ...forDicts('aten::dict.Dict_', (a) => new Map(dict(a.self))),
  }),
];

// ------------------------------------------------------------------ strings

const WS = ' \n\t\f\v';
/** the schema default `" \n\t\f\v"` arrives with its escapes unprocessed */
const stripChars = (c: unknown): string => (c === ' \\n\\t\\f\\v' || c === undefined || c === null ? WS : String(c));
function lstrip(s: string, chars: string): string {
  let i = 0;
  while (i < s.length && chars.includes(s[i]!)) i++;
  return s.slice(i);
}
function rstrip(s: string, chars: string): string {
  let j = s.length;
  while (j > 0 && chars.includes(s[j - 1]!)) j--;
  return s.slice(0, j);
}
/** PyTorch's stringFindImpl bounds: negative end counts from one past the end (-1 = whole string). */
function findRange(s: string, start: number, end: number): [number, number] {
  const n = s.length;
  if (start < 0) start = Math.max(0, start + n);
  if (end < 0) end = Math.max(0, end + n + 1);
  return [start, Math.min(end, n)];
}
function splitStr(s: string, sep: string | null, max: number): string[] {
  if (sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^[ \n\t\f\v\r]+/, '');
    while (rest.length) {
      if (max >= 0 && out.length === max) {
        out.push(rest.replace(/[ \n\t\f\v\r]+$/, ''));
        break;
      }
      const m = /[ \n\t\f\v\r]+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  if (sep === '') throw new Error('ValueError: empty separator');
  const parts = s.split(sep);
  if (max < 0 || parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(sep)];
}

export const strOps = [
  scalarOp('lower', { 'aten::lower': (a) => String(a.self).toLowerCase() }),
  scalarOp('upper', { 'aten::upper': (a) => String(a.self).toUpperCase() }),
  scalarOp('isupper', { 'aten::isupper': (a) => { const s = String(a.self); return /[A-Za-z]/.test(s) && s === s.toUpperCase(); } }),
  scalarOp('islower', { 'aten::islower': (a) => { const s = String(a.self); return /[A-Za-z]/.test(s) && s === s.toLowerCase(); } }),
  scalarOp('isdigit', { 'aten::isdigit': (a) => /^[0-9]+$/.test(String(a.self)) }),
  scalarOp('startswith', {
    'aten::startswith': (a) => {
      const s = String(a.self);
      const [b, e] = findRange(s, num(a.start), num(a.end));
      return s.slice(b, e).startsWith(a.substr);
    },
  }),
  scalarOp('endswith', {
    'aten::endswith': (a) => {
      const s = String(a.self);
      const [b, e] = findRange(s, num(a.start), num(a.end));
      return s.slice(b, e).endsWith(a.substr);
    },
  }),
  scalarOp('find', {
    'aten::find': (a) => {
      const s = String(a.self);
      const [b, e] = findRange(s, num(a.start), num(a.end));
      const i = s.slice(b, e).indexOf(a.substr);
      return i < 0 ? -1 : i + b;
    },
  }),
  scalarOp('rfind', {
    'aten::rfind': (a) => {
      const s = String(a.self);
      const [b, e] = findRange(s, num(a.start), num(a.end));
      const i = s.slice(b, e).lastIndexOf(a.substr);
      return i < 0 ? -1 : i + b;
    },
  }),
  scalarOp('replace', {
    'aten::replace': (a) => {
      const s = String(a.self), o = String(a.old), n = String(a.new);
      let max = num(a.max);
      if (max < 0) return s.split(o).join(n);
      let out = '', rest = s;
      while (max-- > 0) {
        const i = rest.indexOf(o);
        if (i < 0) break;
        out += rest.slice(0, i) + n;
        rest = rest.slice(i + o.length);
        if (o === '') {
          out += rest.slice(0, 1);
          rest = rest.slice(1);
        }
      }
      return out + rest;
    },
  }),
  scalarOp('split', { 'aten::split.str': (a) => splitStr(String(a.self), a.separator, num(a.max)) }),
  scalarOp('splitlines', {
    // like PyTorch's implementation, each of \n \r \v \f \x1c \x1d \x1e ends a line (\r\n gives an empty line)
    'aten::splitlines': (a) => {
      const s = String(a.self);
      const out: string[] = [];
      let start = 0;
      for (let i = 0; i < s.length; i++) {
        if ('\n\r\v\f\x1c\x1d\x1e'.includes(s[i]!)) {
          out.push(s.slice(start, a.keepends ? i + 1 : i));
          start = i + 1;
        }
      }
      if (start < s.length) out.push(s.slice(start));
      return out;
    },
  }),
  scalarOp('join', { 'aten::join': (a) => list(a.values).map(String).join(String(a.self)) }),
  scalarOp('strip', { 'aten::strip': (a) => rstrip(lstrip(String(a.self), stripChars(a.chars)), stripChars(a.chars)) }),
  scalarOp('lstrip', { 'aten::lstrip': (a) => lstrip(String(a.self), stripChars(a.chars)) }),
  scalarOp('rstrip', { 'aten::rstrip': (a) => rstrip(String(a.self), stripChars(a.chars)) }),
  scalarOp('ord', {
    'aten::ord': (a) => {
      const chars = [...String(a.string)];
      if (chars.length !== 1) throw new TypeError(`ord() expected a character, but string of length ${chars.length} found`);
      return chars[0]!.codePointAt(0)!;
    },
  }),
  scalarOp('chr', { 'aten::chr': (a) => String.fromCodePoint(num(a.i)) }),
  scalarOp('str', { 'aten::str': (a) => pyStr(a.elem) }),
  scalarOp('format', { 'aten::format': (a) => formatStr(String(a.self), (a['...'] as unknown[] | undefined) ?? []) }),
];

/** TorchScript's `"...".format(*args)`: each `{}` takes the next argument's str(). */
export function formatStr(fmt: string, args: readonly unknown[]): string {
  let out = '', k = 0, i = 0;
  for (;;) {
    const j = fmt.indexOf('{}', i);
    if (j < 0) break;
    if (k >= args.length) throw new Error(`Too few arguments for format string: ${fmt}`);
    out += fmt.slice(i, j) + pyStr(args[k++]);
    i = j + 2;
  }
  return out + fmt.slice(i);
}

// ------------------------------------------------------------------ identity

const isSame = (x: unknown, y: unknown): boolean => {
  x = plain(x);
  y = plain(y);
  return x === y || (x === undefined && y === null) || (x === null && y === undefined);
};
export const identityOps = [
  scalarOp('__is__', { 'aten::__is__': (a) => isSame(a.self, a.obj) }),
  scalarOp('__isnot__', { 'aten::__isnot__': (a) => !isSame(a.self, a.obj) }),
  scalarOp('unchecked_unwrap_optional', { 'prim::unchecked_unwrap_optional': (a) => a.optional }),
];

export const containerOps = [scalarEq, scalarNe, scalarLen, scalarGetitem, scalarSetItem, ...listOps, ...deleteAnyAllOps, ...sortOps, scalarContains, ...dictOps, ...strOps, ...identityOps];
