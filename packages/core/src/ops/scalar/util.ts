/**
 * Helpers for TorchScript's builtin ops on non-tensor values (int, float, bool, str, lists,
 * dicts). These ops are internal (`variants: []`): the IR interpreter and `callOp` reach them.
 *
 * Value conventions (shared with @torchlet/ir's interpreter):
 * - int and float are JS numbers. A Python float whose value is integral cannot be told from an
 *   int by its JS value, so the interpreter passes float-typed values into `Scalar`/`t`
 *   parameters of these ops as wrapped-number 0-d float64 tensors (`wrapScalar(v, 'float64')`);
 *   `num()` unwraps them and `isFloatValue()` recognises them.
 * - lists are JS arrays (mutated in place), dicts are Maps, tuples are arrays (the interpreter
 *   turns array results into its tuple class from the schema's static return type).
 * - Varargs (`aten::format(str self, ...)`) arrive as an array in `args['...']`.
 */
import { isFloating } from '../../dtype.js';
import { Tensor } from '../../tensor.js';

/** A JS number from an int/float/bool/Scalar argument (wrapped scalars unwrapped). */
export function num(x: unknown): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'bigint') return Number(x);
  if (x instanceof Tensor) {
    if (x.numel() !== 1) throw new RangeError(`a Tensor with ${x.numel()} elements cannot be converted to Scalar`);
    return Number(x.item());
  }
  throw new TypeError(`expected a number, got ${describe(x)}`);
}

/** True for Python floats: non-integral numbers and wrapped floating-point scalars. */
export function isFloatValue(x: unknown): boolean {
  if (typeof x === 'number') return !Number.isInteger(x);
  return x instanceof Tensor && x.isWrappedNumber && isFloating(x.dtype);
}

/** A wrapped float64 scalar tensor from a Scalar argument, unwrapped to a plain number or bool. */
export function plain(x: unknown): unknown {
  if (x instanceof Tensor && x.isWrappedNumber && x.ndim === 0) return x.dtype === 'bool' ? x.item() : Number(x.item());
  return x;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return 'None';
  if (Array.isArray(x)) return 'list';
  if (x instanceof Map) return 'dict';
  if (x instanceof Tensor) return 'Tensor';
  return typeof x;
}

/** c10's printDouble: `%.17g`, with a trailing '.' when the text looks like an integer (`1.`, `0.10000000000000001`, `1e+20`). */
export function printDouble(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.' : '0.';
  const ex = v.toExponential(16); // d.dddddddddddddddde±x : 17 significant digits
  const exp = Number(ex.slice(ex.indexOf('e') + 1));
  let s: string;
  if (exp < -4 || exp >= 17) {
    let mant = ex.slice(0, ex.indexOf('e'));
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const e = Math.abs(exp);
    s = `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  } else {
    s = v.toFixed(Math.max(0, 16 - exp));
    if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  }
  return /[.e]/.test(s) ? s : `${s}.`;
}

/**
 * TorchScript's `str(x)` / format text of a value (IValue printing): floats as printDouble,
 * bools True/False, None, strings raw (also inside containers), lists `[a, b]`, dicts `{k: v}`.
 */
export function pyStr(x: unknown, floatHint = false): string {
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'number') return floatHint || !Number.isInteger(x) ? printDouble(x) : String(x);
  if (typeof x === 'bigint') return String(x);
  if (typeof x === 'string') return x;
  if (x instanceof Tensor) {
    if (x.isWrappedNumber && x.ndim === 0) {
      if (x.dtype === 'bool') return pyStr(x.item());
      return isFloating(x.dtype) ? printDouble(Number(x.item())) : String(x.item());
    }
    return tensorStr(x);
  }
  if (Array.isArray(x)) {
    const items = x.map((e) => pyStr(e));
    // tuples are an Array subclass in the interpreter
    if (Object.getPrototypeOf(x) !== Array.prototype) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    return `[${items.join(', ')}]`;
  }
  if (x instanceof Map) return `{${[...x].map(([k, v]) => `${pyStr(k)}: ${pyStr(v)}`).join(', ')}}`;
  if (typeof x === 'object' && typeof (x as { toString?: unknown }).toString === 'function') return String(x);
  return String(x);
}

const CPU_TYPE: Record<string, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long', uint8: 'Byte', bool: 'Bool',
};

/** C++ `operator<<(Tensor)` text, as TorchScript's `str(tensor)` prints it (one element per line for 1-d). */
function tensorStr(t: Tensor): string {
  if (t.isDisposed || t.device !== 'cpu') return `[ ${t.device} tensor ]`;
  const typeName = `CPU${CPU_TYPE[t.dtype] ?? t.dtype}Type`;
  const vals = Array.from(t.contiguousArray(), (v) => (isFloating(t.dtype) ? formatElem(v) : String(v)));
  if (t.ndim === 0) return `${vals[0]}\n[ ${typeName}{} ]`;
  const width = Math.max(...vals.map((s) => s.length), 0);
  if (t.ndim === 1) return `${vals.map((s) => ' ' + s.padStart(width)).join('\n')}\n[ ${typeName}{${t.shape[0]}} ]`;
  return `${vals.join(' ')}\n[ ${typeName}{${t.shape.join(',')}} ]`;
}
function formatElem(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(5)));
}

/** Python list index: negative counts from the end; throws `list index out of range`. */
export function listIndex(len: number, i: number): number {
  const j = i < 0 ? i + len : i;
  if (!Number.isInteger(j) || j < 0 || j >= len) throw new RangeError('list index out of range');
  return j;
}

/** Python slice bounds (step > 0 or < 0) over a sequence of length `len`; returns the indices. */
export function sliceIndices(len: number, start: number | null, end: number | null, step: number): number[] {
  if (step === 0) throw new RangeError('slice step cannot be zero');
  const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
  const out: number[] = [];
  if (step > 0) {
    let s = start === null ? 0 : start < 0 ? start + len : start;
    let e = end === null ? len : end < 0 ? end + len : end;
    s = clamp(s, 0, len);
    e = clamp(e, 0, len);
    for (let i = s; i < e; i += step) out.push(i);
  } else {
    let s = start === null ? len - 1 : start < 0 ? start + len : start;
    let e = end === null ? -1 : end < 0 ? end + len : end;
    s = clamp(s, -1, len - 1);
    e = clamp(e, -1, len - 1);
    for (let i = s; i > e; i += step) out.push(i);
  }
  return out;
}

/** Python equality on IValues (containers elementwise; tensors by identity). */
export function pyEq(a: unknown, b: unknown): boolean {
  a = plain(a);
  b = plain(b);
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof a === 'number' || typeof b === 'number') return num(a) === num(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !pyEq(v, b.get(k))) return false;
    return true;
  }
  return a === b;
}

/** Dict key normalisation: wrapped scalars become numbers so Map lookups match. */
export function dictKey(k: unknown): unknown {
  return plain(k);
}

export function keyError(k: unknown): Error {
  return new Error(`KeyError: ${pyStr(k)}`);
}
