/** softmax / log_softmax along one dim: subtract the max, exponentiate, normalize (float64 math). */
import type { ReduceLayout } from './reduce_core.js';

/**
 * Writes softmax (or log_softmax) of the [outer, R, inner] input into `out` (same indexing, from
 * 0). `negate` computes softmin: softmax of -x.
 */
export function softmaxLanes(L: ReduceLayout, out: { [i: number]: number }, log: boolean, negate = false): void {
  const { data, offset, outer, R, inner } = L;
  const s = negate ? -1 : 1;
  if (R === 0) return;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const b = offset + o * R, ob = o * R;
      let m = -Infinity;
      for (let r = 0; r < R; r++) {
        const v = s * data[b + r]!;
        if (v > m || v !== v) m = v;
        if (m !== m) break;
      }
      let sum = 0;
      if (log) {
        for (let r = 0; r < R; r++) sum += Math.exp(s * data[b + r]! - m);
        const ls = Math.log(sum);
        for (let r = 0; r < R; r++) out[ob + r] = s * data[b + r]! - m - ls;
      } else {
        const tmp = new Float64Array(R);
        for (let r = 0; r < R; r++) sum += tmp[r] = Math.exp(s * data[b + r]! - m);
        for (let r = 0; r < R; r++) out[ob + r] = tmp[r]! / sum;
      }
    }
    return;
  }
  const m = new Float64Array(inner), sum = new Float64Array(inner), tmp = new Float64Array(R * inner);
  for (let o = 0; o < outer; o++) {
    const b = offset + o * R * inner, ob = o * R * inner;
    m.fill(-Infinity);
    sum.fill(0);
    for (let r = 0; r < R; r++) {
      const q = b + r * inner;
      for (let i = 0; i < inner; i++) {
        const v = s * data[q + i]!;
        const c = m[i]!;
        if (v > c || (v !== v && c === c)) m[i] = v;
      }
    }
    for (let r = 0; r < R; r++) {
      const q = b + r * inner, t = r * inner;
      for (let i = 0; i < inner; i++) sum[i] += tmp[t + i] = Math.exp(s * data[q + i]! - m[i]!);
    }
    if (log) {
      for (let i = 0; i < inner; i++) sum[i] = Math.log(sum[i]!);
      for (let r = 0; r < R; r++) {
        const q = b + r * inner, t = ob + r * inner;
        for (let i = 0; i < inner; i++) out[t + i] = s * data[q + i]! - m[i]! - sum[i]!;
      }
    } else {
      for (let r = 0; r < R; r++) {
        const t = r * inner;
        for (let i = 0; i < inner; i++) out[ob + t + i] = tmp[t + i]! / sum[i]!;
      }
    }
  }
}
