// Reductions over one dim of a contiguous (outer, r, inner) view: sum/mean/max/min, softmax
// and log_softmax, and layer_norm over contiguous rows. Chunked by `outer`.

import { vexp, vlog } from './vmath';
import { argi, argp, argf } from './common';
import { LN_B, LN_D, LN_EPS, LN_MEAN, LN_OUT, LN_ROWS, LN_RPC, LN_RSTD, LN_W, LN_X, RD_INNER, RD_OP, RD_OPC, RD_OUT, RD_OUTER, RD_R, RD_X, R_LOGSOFTMAX, R_MAX, R_MEAN, R_MIN, R_SOFTMAX, R_SUM } from './abi';



@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}
@inline function nanmax(a: f32, b: f32): f32 {
  return a != a || b != b ? NaN : Mathf.max(a, b);
}
@inline function nanmin(a: f32, b: f32): f32 {
  return a != a || b != b ? NaN : Mathf.min(a, b);
}
@inline function hmax(v: v128): f32 {
  return nanmax(nanmax(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), nanmax(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}
@inline function hmin(v: v128): f32 {
  return nanmin(nanmin(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), nanmin(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** sum / max / min of n contiguous floats (8 lanes of partial sums). */
function rowReduce(op: i32, x: usize, n: i32): f32 {
  let i = 0;
  if (op == R_MAX || op == R_MIN) {
    let a = f32x4.splat(op == R_MAX ? -Infinity : Infinity), b = a;
    for (; i + 8 <= n; i += 8) {
      const p = x + (<usize>i << 2);
      if (op == R_MAX) {
        a = f32x4.max(a, v128.load(p));
        b = f32x4.max(b, v128.load(p, 16));
      } else {
        a = f32x4.min(a, v128.load(p));
        b = f32x4.min(b, v128.load(p, 16));
      }
    }
    let s = op == R_MAX ? hmax(f32x4.max(a, b)) : hmin(f32x4.min(a, b));
    for (; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      s = op == R_MAX ? nanmax(s, v) : nanmin(s, v);
    }
    return s;
  }
  let a = f32x4.splat(0), b = a;
  for (; i + 8 <= n; i += 8) {
    const p = x + (<usize>i << 2);
    a = f32x4.add(a, v128.load(p));
    b = f32x4.add(b, v128.load(p, 16));
  }
  let s = hsum(f32x4.add(a, b));
  for (; i < n; i++) s += load<f32>(x + (<usize>i << 2));
  return s;
}

/** softmax / log_softmax of n contiguous floats into o. */
function rowSoftmax(log: bool, x: usize, o: usize, n: i32): void {
  const m = rowReduce(R_MAX, x, n);
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = vexp(f32x4.sub(v128.load(x + (<usize>i << 2)), mv));
    if (!log) v128.store(o + (<usize>i << 2), e);
    acc = f32x4.add(acc, e);
  }
  let s = hsum(acc);
  for (; i < n; i++) {
    const e = f32x4.extract_lane(vexp(f32x4.splat(load<f32>(x + (<usize>i << 2)) - m)), 0);
    if (!log) store<f32>(o + (<usize>i << 2), e);
    s += e;
  }
  if (log) {
    // (x - max) - log(sum), as PyTorch rounds it
    const ls = f32x4.extract_lane(vlog(f32x4.splat(s)), 0);
    const lsv = f32x4.splat(ls);
    i = 0;
    for (; i + 4 <= n; i += 4) v128.store(o + (<usize>i << 2), f32x4.sub(f32x4.sub(v128.load(x + (<usize>i << 2)), mv), lsv));
    for (; i < n; i++) store<f32>(o + (<usize>i << 2), (load<f32>(x + (<usize>i << 2)) - m) - ls);
  } else {
    const inv = f32x4.splat(1 / s);
    const invs: f32 = 1 / s;
    i = 0;
    for (; i + 4 <= n; i += 4) v128.store(o + (<usize>i << 2), f32x4.mul(v128.load(o + (<usize>i << 2)), inv));
    for (; i < n; i++) store<f32>(o + (<usize>i << 2), load<f32>(o + (<usize>i << 2)) * invs);
  }
}

export function reduceChunk(args: usize, chunk: i32): void {
  const op = argi(args, RD_OP), X = argp(args, RD_X), O = argp(args, RD_OUT);
  const outer = argi(args, RD_OUTER), r = argi(args, RD_R), inner = argi(args, RD_INNER), opc = argi(args, RD_OPC);
  const o0 = chunk * opc, o1 = min(outer, o0 + opc);
  const soft = op == R_SOFTMAX || op == R_LOGSOFTMAX;
  const rb = <usize>r * <usize>inner << 2;
  for (let o = o0; o < o1; o++) {
    const x = X + <usize>o * rb;
    if (inner == 1) {
      if (soft) rowSoftmax(op == R_LOGSOFTMAX, x, O + <usize>o * rb, r);
      else {
        let s = rowReduce(op == R_MEAN ? R_SUM : op, x, r);
        if (op == R_MEAN) s /= <f32>r;
        store<f32>(O + (<usize>o << 2), s);
      }
      continue;
    }
    // vectorized across `inner`
    const ib = <usize>inner << 2;
    let j = 0;
    for (; j < inner; j += 4) {
      const lanes = min(4, inner - j);
      const jb = <usize>j << 2;
      if (lanes == 4) {
        if (soft) {
          let m = f32x4.splat(-Infinity);
          for (let k = 0; k < r; k++) m = f32x4.max(m, v128.load(x + <usize>k * ib + jb));
          let s = f32x4.splat(0);
          const oo = O + <usize>o * rb;
          for (let k = 0; k < r; k++) {
            const e = vexp(f32x4.sub(v128.load(x + <usize>k * ib + jb), m));
            if (op == R_SOFTMAX) v128.store(oo + <usize>k * ib + jb, e);
            s = f32x4.add(s, e);
          }
          if (op == R_SOFTMAX) {
            const inv = f32x4.div(f32x4.splat(1), s);
            for (let k = 0; k < r; k++) v128.store(oo + <usize>k * ib + jb, f32x4.mul(v128.load(oo + <usize>k * ib + jb), inv));
          } else {
            const ls = vlog(s);
            for (let k = 0; k < r; k++) v128.store(oo + <usize>k * ib + jb, f32x4.sub(f32x4.sub(v128.load(x + <usize>k * ib + jb), m), ls));
          }
        } else {
          let a = f32x4.splat(op == R_MAX ? -Infinity : op == R_MIN ? Infinity : 0);
          for (let k = 0; k < r; k++) {
            const v = v128.load(x + <usize>k * ib + jb);
            a = op == R_MAX ? f32x4.max(a, v) : op == R_MIN ? f32x4.min(a, v) : f32x4.add(a, v);
          }
          if (op == R_MEAN) a = f32x4.div(a, f32x4.splat(<f32>r));
          v128.store(O + ((<usize>o * <usize>inner + <usize>j) << 2), a);
        }
      } else {
        for (let jj = j; jj < inner; jj++) {
          const jjb = <usize>jj << 2;
          if (soft) {
            let m: f32 = -Infinity;
            for (let k = 0; k < r; k++) m = nanmax(m, load<f32>(x + <usize>k * ib + jjb));
            let s: f32 = 0;
            for (let k = 0; k < r; k++) s += f32x4.extract_lane(vexp(f32x4.splat(load<f32>(x + <usize>k * ib + jjb) - m)), 0);
            const oo = O + <usize>o * rb;
            const ls = f32x4.extract_lane(vlog(f32x4.splat(s)), 0);
            for (let k = 0; k < r; k++) {
              const v = load<f32>(x + <usize>k * ib + jjb);
              store<f32>(oo + <usize>k * ib + jjb, op == R_SOFTMAX ? f32x4.extract_lane(vexp(f32x4.splat(v - m)), 0) / s : (v - m) - ls);
            }
          } else {
            let a: f32 = op == R_MAX ? -Infinity : op == R_MIN ? Infinity : 0;
            for (let k = 0; k < r; k++) {
              const v = load<f32>(x + <usize>k * ib + jjb);
              a = op == R_MAX ? nanmax(a, v) : op == R_MIN ? nanmin(a, v) : a + v;
            }
            if (op == R_MEAN) a /= <f32>r;
            store<f32>(O + ((<usize>o * <usize>inner + <usize>jj) << 2), a);
          }
        }
      }
    }
  }
}


export function layerNormChunk(args: usize, chunk: i32): void {
  const X = argp(args, LN_X), O = argp(args, LN_OUT), Wt = argp(args, LN_W), B = argp(args, LN_B);
  const rows = argi(args, LN_ROWS), D = argi(args, LN_D), eps = argf(args, LN_EPS);
  const MEAN = argp(args, LN_MEAN), RSTD = argp(args, LN_RSTD), rpc = argi(args, LN_RPC);
  const r0 = chunk * rpc, r1 = min(rows, r0 + rpc);
  for (let row = r0; row < r1; row++) {
    const x = X + (<usize>row * <usize>D << 2), o = O + (<usize>row * <usize>D << 2);
    const mean = rowReduce(R_SUM, x, D) / <f32>D;
    const mv = f32x4.splat(mean);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= D; i += 4) {
      const d = f32x4.sub(v128.load(x + (<usize>i << 2)), mv);
      acc = f32x4.add(acc, f32x4.mul(d, d));
    }
    let ss = hsum(acc);
    for (; i < D; i++) {
      const d = load<f32>(x + (<usize>i << 2)) - mean;
      ss += d * d;
    }
    const rstd: f32 = 1 / Mathf.sqrt(ss / <f32>D + eps);
    if (MEAN) store<f32>(MEAN + (<usize>row << 2), mean);
    if (RSTD) store<f32>(RSTD + (<usize>row << 2), rstd);
    // ATen's float arithmetic: y = fma(fma(x, rstd, -rstd * mean), w, b), each fma rounded once
    // (computed in float64, where the float32 products are exact)
    const shift: f32 = -rstd * mean;
    const rd = f64x2.splat(<f64>rstd), sd = f64x2.splat(<f64>shift);
    i = 0;
    for (; i + 4 <= D; i += 4) {
      const ib = <usize>i << 2;
      const xv = v128.load(x + ib);
      let lo = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(xv), rd), sd);
      let hi = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(xv, xv, 2, 3, 0, 1)), rd), sd);
      if (Wt || B) {
        // round y to float32 first, as ATen stores it
        lo = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(lo));
        hi = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(hi));
        if (Wt) {
          const wv = v128.load(Wt + ib);
          lo = f64x2.mul(lo, f64x2.promote_low_f32x4(wv));
          hi = f64x2.mul(hi, f64x2.promote_low_f32x4(i32x4.shuffle(wv, wv, 2, 3, 0, 1)));
        }
        if (B) {
          const bv = v128.load(B + ib);
          lo = f64x2.add(lo, f64x2.promote_low_f32x4(bv));
          hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(bv, bv, 2, 3, 0, 1)));
        }
      }
      const l = f32x4.demote_f64x2_zero(lo), h = f32x4.demote_f64x2_zero(hi);
      v128.store(o + ib, i32x4.shuffle(l, h, 0, 1, 4, 5));
    }
    for (; i < D; i++) {
      const ib = <usize>i << 2;
      let v = <f64><f32>(<f64>load<f32>(x + ib) * <f64>rstd + <f64>shift);
      if (Wt) v *= <f64>load<f32>(Wt + ib);
      if (B) v += <f64>load<f32>(B + ib);
      store<f32>(o + ib, <f32>v);
    }
  }
}
