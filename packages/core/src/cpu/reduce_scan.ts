/** Cumulative scans along one dim, over the [outer, R, inner] view of a contiguous input. */
import { reduceDims, reduceLayout, type ReduceLayout } from './reduce_core.js';
import type { Tensor } from '../tensor.js';

/** The [outer, R, inner] layout of `self` scanned along `dim` (output uses the same indexing, from 0). */
export function scanLayout(self: Tensor, dim: number, convert?: (v: number) => number): ReduceLayout {
  return reduceLayout(self, reduceDims(self, dim), convert);
}

/** out[o, r, i] = op(out[o, r-1, i], x[o, r, i]) with out[o, 0, i] = x[o, 0, i]. */
export function scan(L: ReduceLayout, out: { [i: number]: number }, op: (acc: number, x: number) => number): void {
  const { data, offset, outer, R, inner } = L;
  for (let o = 0; o < outer; o++) {
    const ib = offset + o * R * inner, ob = o * R * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = data[ib + i]!;
    for (let r = 1; r < R; r++) {
      const p = ob + r * inner, q = ib + r * inner;
      for (let i = 0; i < inner; i++) out[p + i] = op(out[p - inner + i]!, data[q + i]!);
    }
  }
}

/** Running sums in float64 (the output array may be float32: the accumulator must not round). */
export function cumulativeSum(L: ReduceLayout, out: { [i: number]: number }): void {
  const { data, offset, outer, R, inner } = L;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    for (let r = 0; r < R; r++) {
      const p = (o * R + r) * inner, q = offset + p;
      for (let i = 0; i < inner; i++) out[p + i] = acc[i] += data[q + i]!;
    }
  }
}

/** cummax/cummin: a NaN (each new one) or a value >= (<=) the running extreme takes over. */
export function cumulativeExtreme(L: ReduceLayout, values: { [i: number]: number }, indices: { [i: number]: number }, isMax: boolean): void {
  const { data, offset, outer, R, inner } = L;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0, bi = 0;
      for (let r = 0; r < R; r++) {
        const p = (o * R + r) * inner + i;
        const v = data[offset + p]!;
        if (r === 0 || v !== v || (best === best && (isMax ? v >= best : v <= best))) {
          best = v;
          bi = r;
        }
        values[p] = best;
        indices[p] = bi;
      }
    }
  }
}
