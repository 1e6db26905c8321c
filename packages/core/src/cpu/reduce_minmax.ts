/**
 * max/min reductions with PyTorch's NaN rule: a NaN wins (the first one, for the index), and
 * among equal extremes the first index wins.
 */
import type { ReduceLayout } from './reduce_core.js';

export interface Extremes {
  values: Float64Array;
  indices: Float64Array;
}

export function laneExtremes(L: ReduceLayout, isMax: boolean): Extremes {
  const { data, offset, outer, R, inner } = L;
  const n = outer * inner;
  const values = new Float64Array(n), indices = new Float64Array(n);
  if (R === 0) return { values, indices };
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const b = offset + o * R;
      let best = data[b]!, bi = 0;
      if (best === best) {
        for (let r = 1; r < R; r++) {
          const v = data[b + r]!;
          if (v !== v) {
            best = v;
            bi = r;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bi = r;
          }
        }
      }
      values[o] = best;
      indices[o] = bi;
    }
    return { values, indices };
  }
  for (let o = 0; o < outer; o++) {
    const ob = o * inner, b0 = offset + o * R * inner;
    for (let i = 0; i < inner; i++) values[ob + i] = data[b0 + i]!;
    for (let r = 1; r < R; r++) {
      const b = b0 + r * inner;
      for (let i = 0; i < inner; i++) {
        const v = data[b + i]!, cur = values[ob + i]!;
        if ((isMax ? v > cur : v < cur) || (v !== v && cur === cur)) {
          values[ob + i] = v;
          indices[ob + i] = r;
        }
      }
    }
  }
  return { values, indices };
}
