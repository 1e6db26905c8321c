/** Bitwise and/or/xor for integer and bool dtypes (int64 beyond 32 bits through BigInt). */
import { binary, type Binary } from './pointwise_kernels.js';

const I32_MIN = -(2 ** 31), I32_MAX = 2 ** 31 - 1;
const fits = (x: number): boolean => x >= I32_MIN && x <= I32_MAX;

function wide(op: 'and' | 'or' | 'xor'): Binary {
  return (x, y) => {
    const a = BigInt(x), b = BigInt(y);
    return Number(BigInt.asIntN(64, op === 'and' ? a & b : op === 'or' ? a | b : a ^ b));
  };
}

export function bitwiseFn(op: 'and' | 'or' | 'xor'): Binary {
  const w = wide(op);
  if (op === 'and') return (x, y) => (fits(x) && fits(y) ? x & y : w(x, y));
  if (op === 'or') return (x, y) => (fits(x) && fits(y) ? x | y : w(x, y));
  return (x, y) => (fits(x) && fits(y) ? x ^ y : w(x, y));
}

export function bitwiseKernel(op: 'and' | 'or' | 'xor'): ReturnType<typeof binary> {
  return binary({ kernel: `bitwise_${op}_cpu`, noFloat: true, f: () => bitwiseFn(op) });
}

/**
 * Shifts as ATen's CPU kernels compute them: the count is taken modulo the width of the C++ type
 * the value is computed in (64 for int64, 32 for the narrower types, which C++ promotes to int);
 * left shifts wrap, right shifts are arithmetic.
 */
export function shiftKernel(dir: 'left' | 'right'): ReturnType<typeof binary> {
  return binary({
    kernel: dir === 'left' ? 'lshift_cpu' : 'rshift_cpu',
    noFloat: true,
    noBool: true,
    f: (c) => {
      if (c === 'int64') {
        return dir === 'left'
          ? (x, y) => Number(BigInt.asIntN(64, BigInt(x) << BigInt(y & 63)))
          : (x, y) => Number(BigInt(x) >> BigInt(y & 63));
      }
      return dir === 'left' ? (x, y) => x << y : (x, y) => x >> y;
    },
  });
}
