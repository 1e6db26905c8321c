/** torchlet dtypes, named as PyTorch prints them without the `torch.` prefix. */
export const DTYPES = ['float32', 'float64', 'float16', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

/**
 * The array a CPU storage keeps for each dtype. float16 is computed and stored as float32 values
 * rounded to half precision, and int64 as float64 values (exact to 2^53): every CPU kernel can then
 * work on plain JS numbers. The public `data()` converts to Uint16Array bits / BigInt64Array.
 */
export type StorageArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array;

export const storageArrayCtor: { [D in DType]: new (n: number) => StorageArray } = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Float32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: Float64Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

/** Bytes per element in PyTorch's (and ONNX's) serialized layout. */
export const itemSize: { [D in DType]: number } = {
  float32: 4, float64: 8, float16: 2, int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1, bool: 1,
};

export function isFloating(d: DType): boolean {
  return d === 'float32' || d === 'float64' || d === 'float16';
}
export function isIntegral(d: DType, includeBool = false): boolean {
  return !isFloating(d) && (includeBool || d !== 'bool');
}

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

/** c10::ScalarType codes, as TorchScript source and pickles spell dtypes (`dtype=6`). */
export const scalarTypeCode: { [D in DType]: number } = {
  uint8: 0, int8: 1, int16: 2, int32: 3, int64: 4, float16: 5, float32: 6, float64: 7, bool: 11,
};
const codeToDType = new Map<number, DType>(Object.entries(scalarTypeCode).map(([k, v]) => [v, k as DType]));
export function dtypeFromCode(code: number): DType {
  const d = codeToDType.get(code);
  if (d === undefined) throw new Error(`unsupported ScalarType code ${code}`);
  return d;
}

/** Accepts 'float32', 'float', 'torch.float32', 'long', ... */
const aliases: Record<string, DType> = {
  float: 'float32', double: 'float64', half: 'float16', long: 'int64', int: 'int32', short: 'int16',
  char: 'int8', byte: 'uint8', bool: 'bool',
};
export function parseDType(x: unknown): DType {
  if (typeof x === 'number') return dtypeFromCode(x);
  if (typeof x === 'string') {
    const s = x.startsWith('torch.') ? x.slice(6) : x;
    if (isDType(s)) return s;
    const a = aliases[s];
    if (a) return a;
  }
  throw new TypeError(`not a dtype: ${String(x)}`);
}

// ---- type promotion (c10/core/ScalarType.h promoteTypes) ----
const order: DType[] = ['uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64', 'bool'];
// PyTorch's promotion lattice for the dtypes we support; index by `order`.
const u1 = 'uint8', i1 = 'int8', i2 = 'int16', i4 = 'int32', i8 = 'int64', f2 = 'float16', f4 = 'float32', f8 = 'float64', b1 = 'bool';
const table: DType[][] = [
  /*        u1  i1  i2  i4  i8  f2  f4  f8  b1 */
  /* u1 */ [u1, i2, i2, i4, i8, f2, f4, f8, u1],
  /* i1 */ [i2, i1, i2, i4, i8, f2, f4, f8, i1],
  /* i2 */ [i2, i2, i2, i4, i8, f2, f4, f8, i2],
  /* i4 */ [i4, i4, i4, i4, i8, f2, f4, f8, i4],
  /* i8 */ [i8, i8, i8, i8, i8, f2, f4, f8, i8],
  /* f2 */ [f2, f2, f2, f2, f2, f2, f4, f8, f2],
  /* f4 */ [f4, f4, f4, f4, f4, f4, f4, f8, f4],
  /* f8 */ [f8, f8, f8, f8, f8, f8, f8, f8, f8],
  /* b1 */ [u1, i1, i2, i4, i8, f2, f4, f8, b1],
];
export function promoteTypes(a: DType, b: DType): DType {
  return table[order.indexOf(a)]![order.indexOf(b)]!;
}

type Category = 0 | 1 | 2; // bool, integral, floating
function category(d: DType): Category {
  return d === 'bool' ? 0 : isFloating(d) ? 2 : 1;
}

/** One operand of a type-promoting op: a tensor (its dim decides its priority) or a JS scalar. */
export type PromotionOperand = { dtype: DType; dim: number; isWrappedNumber?: boolean } | number | boolean;

/**
 * torch.result_type: dimensioned tensors win over 0-d tensors, which win over wrapped numbers,
 * unless a lower-priority operand is of a higher category (bool < int < float).
 */
export function resultType(operands: readonly PromotionOperand[], defaultFloat: DType = 'float32'): DType {
  let dimResult: DType | undefined, zeroResult: DType | undefined, wrappedResult: DType | undefined;
  for (const o of operands) {
    if (typeof o === 'object' && o.isWrappedNumber) {
      const d: DType = isFloating(o.dtype) ? defaultFloat : o.dtype === 'bool' ? 'bool' : 'int64';
      wrappedResult = wrappedResult ? promoteTypes(wrappedResult, d) : d;
    } else if (typeof o === 'object') {
      if (o.dim > 0) dimResult = dimResult ? promoteTypes(dimResult, o.dtype) : o.dtype;
      else zeroResult = zeroResult ? promoteTypes(zeroResult, o.dtype) : o.dtype;
    } else {
      const d: DType = typeof o === 'boolean' ? 'bool' : Number.isInteger(o) ? 'int64' : defaultFloat;
      wrappedResult = wrappedResult ? promoteTypes(wrappedResult, d) : d;
    }
  }
  const combine = (higher: DType | undefined, lower: DType | undefined, lowerDefault: (d: DType) => DType): DType | undefined => {
    if (higher === undefined) return lower;
    if (lower === undefined) return higher;
    return category(lower) > category(higher) ? lowerDefault(lower) : higher;
  };
  // a wrapped float promotes ints to the default float dtype; a wrapped int promotes bool to int64
  const wrappedDefault = (d: DType): DType => (isFloating(d) ? defaultFloat : d === 'bool' ? 'bool' : 'int64');
  let r = combine(dimResult, zeroResult, (d) => d);
  r = combine(r, wrappedResult, wrappedDefault);
  return r ?? defaultFloat;
}

// ---- float16 rounding ----
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** float32 value -> IEEE half bits (round to nearest even). */
export function f32ToF16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    if (rem > half || (rem === half && r & 1)) r++;
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && r & 1)) r++;
  return sign | r;
}
export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}
export function roundToF16(v: number): number {
  return f16BitsToF32(f32ToF16Bits(v));
}
