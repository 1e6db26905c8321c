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
