// Elementwise kernels: binary ops over broadcast/strided operands (up to 4 collapsed dims) and
// unary ops/activations, both chunked by rows of the output's last dim.

import { vexp, vlog, vtanh, vsigmoid, verf, vgelu } from './vmath';
import { argi, argp, argf, vfma } from './common';
import { B_ADD, LS_B, LS_C, LS_GI, LS_H, LS_HOUT, LS_HPREV, LS_LDGI, LS_LDH, LS_LDHP, LS_UPC, LS_W, RC_LDHP, RC_B, RC_C, RC_G, RC_GH, RC_H, RC_HOUT, RC_HPREV, RC_LDG, RC_LDH, RC_MODE, RC_RPC, B_DIV, B_MAX, B_MUL, B_SUB, CA_C, CA_HI, CA_INNER, CA_LO, CA_MODE, CA_OUT, CA_PLANES, CA_PPC, CA_SCALE, CA_SHIFT, CA_X, E_A, E_ALPHA, E_B, E_NDIM, E_OP, E_OUT, E_RPC, E_SA, E_SB, E_SHAPE, UN_EPC, UN_N, UN_OP, UN_OUT, UN_P0, UN_P1, UN_X, U_ABS, U_CLAMP, U_ELU, U_ERF, U_EXP, U_GELU, U_GELU_TANH, U_HARDSIGMOID, U_HARDSWISH, U_LEAKY, U_LOG, U_NEG, U_RECIP, U_RELU, U_RSQRT, U_SIGMOID, U_SILU, U_SQRT, U_TANH } from './abi';


@inline function binv(op: i32, a: v128, b: v128, alpha: v128): v128 {
  switch (op) {
    case B_ADD: return f32x4.add(a, f32x4.mul(b, alpha));
    case B_SUB: return f32x4.sub(a, f32x4.mul(b, alpha));
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    case B_MAX: return f32x4.max(a, b);
    default: return f32x4.min(a, b);
  }
}
@inline function bins(op: i32, a: f32, b: f32, alpha: f32): f32 {
  switch (op) {
    case B_ADD: return a + b * alpha;
    case B_SUB: return a - b * alpha;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_MAX: return a != a || b != b ? NaN : Mathf.max(a, b);
    default: return a != a || b != b ? NaN : Mathf.min(a, b);
  }
}


/** out (contiguous) = a op b; rows = all output dims but the last. */
export function binaryChunk(args: usize, chunk: i32): void {
  const op = argi(args, E_OP), A = argp(args, E_A), B = argp(args, E_B), O = argp(args, E_OUT);
  const nd = argi(args, E_NDIM), alpha = argf(args, E_ALPHA), rpc = argi(args, E_RPC);
  const n = argi(args, E_SHAPE + nd - 1);
  const sai = argi(args, E_SA + nd - 1), sbi = argi(args, E_SB + nd - 1);
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= argi(args, E_SHAPE + d);
  const r0 = chunk * rpc, r1 = min(rows, r0 + rpc);
  const av = f32x4.splat(alpha);
  for (let row = r0; row < r1; row++) {
    // offsets of this row in a and b
    let rem = row, oa = 0, ob = 0;
    for (let d = nd - 2; d >= 0; d--) {
      const s = argi(args, E_SHAPE + d);
      const i = rem % s;
      rem = rem / s;
      oa += i * argi(args, E_SA + d);
      ob += i * argi(args, E_SB + d);
    }
    const pa = A + (<usize>oa << 2), pb = B + (<usize>ob << 2), po = O + (<usize>row * <usize>n << 2);
    let j = 0;
    if (sai == 1 && sbi == 1) {
      for (; j + 4 <= n; j += 4) v128.store(po + (<usize>j << 2), binv(op, v128.load(pa + (<usize>j << 2)), v128.load(pb + (<usize>j << 2)), av));
    } else if (sai == 1 && sbi == 0) {
      const bv = v128.load32_splat(pb);
      for (; j + 4 <= n; j += 4) v128.store(po + (<usize>j << 2), binv(op, v128.load(pa + (<usize>j << 2)), bv, av));
    } else if (sai == 0 && sbi == 1) {
      const avv = v128.load32_splat(pa);
      for (; j + 4 <= n; j += 4) v128.store(po + (<usize>j << 2), binv(op, avv, v128.load(pb + (<usize>j << 2)), av));
    }
    for (; j < n; j++) {
      store<f32>(po + (<usize>j << 2), bins(op, load<f32>(pa + (<usize>(j * sai) << 2)), load<f32>(pb + (<usize>(j * sbi) << 2)), alpha));
    }
  }
}


@inline function sp(x: f32): v128 {
  return f32x4.splat(x);
}

@inline function unv(op: i32, x: v128, p0: v128, p1: v128): v128 {
  switch (op) {
    case U_RELU: {
      // NaN stays NaN
      return v128.bitselect(sp(0), x, f32x4.lt(x, sp(0)));
    }
    case U_SIGMOID: return vsigmoid(x);
    case U_TANH: return vtanh(x);
    case U_EXP: return vexp(x);
    case U_LOG: return vlog(x);
    case U_GELU: return vgelu(x);
    case U_GELU_TANH: {
      // 0.5 x (1 + tanh(u)) = x * sigmoid(2u): no cancellation for negative x
      const u = f32x4.mul(sp(0.7978845608028654), f32x4.add(x, f32x4.mul(sp(0.044715), f32x4.mul(x, f32x4.mul(x, x)))));
      return f32x4.div(x, f32x4.add(sp(1), vexp(f32x4.mul(u, sp(-2)))));
    }
    case U_SILU: return f32x4.div(x, f32x4.add(sp(1), vexp(f32x4.neg(x))));
    case U_HARDSWISH: return f32x4.div(f32x4.mul(x, f32x4.max(f32x4.min(f32x4.add(x, sp(3)), sp(6)), sp(0))), sp(6));
    case U_HARDSIGMOID: return f32x4.div(f32x4.max(f32x4.min(f32x4.add(x, sp(3)), sp(6)), sp(0)), sp(6));
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_SQRT: return f32x4.sqrt(x);
    case U_RSQRT: return f32x4.div(sp(1), f32x4.sqrt(x));
    case U_CLAMP: return f32x4.min(f32x4.max(x, p0), p1);
    case U_LEAKY: return v128.bitselect(f32x4.mul(x, p0), x, f32x4.lt(x, sp(0)));
    case U_ELU: return v128.bitselect(f32x4.mul(p0, f32x4.sub(vexp(x), sp(1))), x, f32x4.le(x, sp(0)));
    case U_RECIP: return f32x4.div(sp(1), x);
    case U_ERF: return verf(x);
    default: return f32x4.add(f32x4.mul(x, p0), p1);
  }
}


export function unaryChunk(args: usize, chunk: i32): void {
  const op = argi(args, UN_OP), X = argp(args, UN_X), O = argp(args, UN_OUT), n = argi(args, UN_N);
  const p0 = sp(argf(args, UN_P0)), p1 = sp(argf(args, UN_P1)), epc = argi(args, UN_EPC);
  const i0 = chunk * epc, i1 = min(n, i0 + epc);
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(O + (<usize>i << 2), unv(op, v128.load(X + (<usize>i << 2)), p0, p1));
  if (i < i1) {
    // tail through a zero-padded vector
    let v = f32x4.splat(0);
    const k = i1 - i;
    v = f32x4.replace_lane(v, 0, load<f32>(X + (<usize>i << 2)));
    if (k > 1) v = f32x4.replace_lane(v, 1, load<f32>(X + (<usize>(i + 1) << 2)));
    if (k > 2) v = f32x4.replace_lane(v, 2, load<f32>(X + (<usize>(i + 2) << 2)));
    const r = unv(op, v, p0, p1);
    store<f32>(O + (<usize>i << 2), f32x4.extract_lane(r, 0));
    if (k > 1) store<f32>(O + (<usize>(i + 1) << 2), f32x4.extract_lane(r, 1));
    if (k > 2) store<f32>(O + (<usize>(i + 2) << 2), f32x4.extract_lane(r, 2));
  }
}


export function channelAffineChunk(args: usize, chunk: i32): void {
  const X = argp(args, CA_X), O = argp(args, CA_OUT), S = argp(args, CA_SCALE), B = argp(args, CA_SHIFT);
  const C = argi(args, CA_C), inner = argi(args, CA_INNER), planes = argi(args, CA_PLANES), ppc = argi(args, CA_PPC);
  const mode = argi(args, CA_MODE), lo = sp(argf(args, CA_LO)), hi = sp(argf(args, CA_HI));
  const p0 = chunk * ppc, p1 = min(planes, p0 + ppc);
  for (let p = p0; p < p1; p++) {
    const c = p % C;
    const sv = v128.load32_splat(S + (<usize>c << 2)), bv = v128.load32_splat(B + (<usize>c << 2));
    const s = load<f32>(S + (<usize>c << 2)), b = load<f32>(B + (<usize>c << 2));
    const x = X + (<usize>p * <usize>inner << 2), o = O + (<usize>p * <usize>inner << 2);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let v = f32x4.add(f32x4.mul(v128.load(x + (<usize>i << 2)), sv), bv);
      if (mode) v = f32x4.min(f32x4.max(v, lo), hi);
      v128.store(o + (<usize>i << 2), v);
    }
    for (; i < inner; i++) {
      let v = load<f32>(x + (<usize>i << 2)) * s + b;
      if (mode) v = v != v ? v : Mathf.min(Mathf.max(v, f32x4.extract_lane(lo, 0)), f32x4.extract_lane(hi, 0));
      store<f32>(o + (<usize>i << 2), v);
    }
  }
}

// ---- recurrent cells: one time step of an LSTM or GRU layer (nonlinear part)
export function rnnCellChunk(args: usize, chunk: i32): void {
  const mode = argi(args, RC_MODE), G = argp(args, RC_G), GH = argp(args, RC_GH), C = argp(args, RC_C);
  const HP = argp(args, RC_HPREV), HO = argp(args, RC_HOUT), ldh = <usize>argi(args, RC_LDH) << 2;
  const B = argi(args, RC_B), H = argi(args, RC_H), rpc = argi(args, RC_RPC), ldg = <usize>argi(args, RC_LDG) << 2;
  const ldhp = <usize>argi(args, RC_LDHP) << 2;
  const b0 = chunk * rpc, b1 = min(B, b0 + rpc);
  const hb = <usize>H << 2;
  for (let b = b0; b < b1; b++) {
    const g = G + <usize>b * ldg, ho = HO + <usize>b * ldh;
    if (mode == 0) {
      const c = C + <usize>b * hb;
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        const ig = vsigmoid(v128.load(g + o)), fg = vsigmoid(v128.load(g + hb + o));
        const gg = vtanh(v128.load(g + 2 * hb + o)), og = vsigmoid(v128.load(g + 3 * hb + o));
        const cy = f32x4.add(f32x4.mul(fg, v128.load(c + o)), f32x4.mul(ig, gg));
        v128.store(c + o, cy);
        v128.store(ho + o, f32x4.mul(og, vtanh(cy)));
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        const v = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(load<f32>(g + o)), 1, load<f32>(g + hb + o)), 2, load<f32>(g + 2 * hb + o)), 3, load<f32>(g + 3 * hb + o));
        const sg = vsigmoid(v), th = vtanh(v);
        const cy = f32x4.extract_lane(sg, 1) * load<f32>(c + o) + f32x4.extract_lane(sg, 0) * f32x4.extract_lane(th, 2);
        store<f32>(c + o, cy);
        store<f32>(ho + o, f32x4.extract_lane(sg, 3) * f32x4.extract_lane(vtanh(f32x4.splat(cy)), 0));
      }
    } else {
      const gh = GH + <usize>b * <usize>(3 * H) * 4, hp = HP + <usize>b * ldhp;
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        const r = vsigmoid(f32x4.add(v128.load(g + o), v128.load(gh + o)));
        const z = vsigmoid(f32x4.add(v128.load(g + hb + o), v128.load(gh + hb + o)));
        const n = vtanh(f32x4.add(v128.load(g + 2 * hb + o), f32x4.mul(r, v128.load(gh + 2 * hb + o))));
        v128.store(ho + o, f32x4.add(f32x4.mul(f32x4.sub(v128.load(hp + o), n), z), n));
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        const rz = vsigmoid(f32x4.replace_lane(f32x4.splat(load<f32>(g + o) + load<f32>(gh + o)), 1, load<f32>(g + hb + o) + load<f32>(gh + hb + o)));
        const r = f32x4.extract_lane(rz, 0), z = f32x4.extract_lane(rz, 1);
        const n = f32x4.extract_lane(vtanh(f32x4.splat(load<f32>(g + 2 * hb + o) + r * load<f32>(gh + 2 * hb + o))), 0);
        store<f32>(ho + o, (load<f32>(hp + o) - n) * z + n);
      }
    }
  }
}

/**
 * One LSTM time step for a chunk of 8-unit blocks: for every batch row, the four gate vectors of
 * the block (h W_hh^T, gate-interleaved panels, plus the step's input projection with both
 * biases), then the cell update. Reads the previous hidden state, writes the new one and the
 * cell state of its own units only, so chunks run in parallel.
 */
export function lstmStepChunk(args: usize, chunk: i32): void {
  const W = argp(args, LS_W), GI = argp(args, LS_GI), ldgi = <usize>argi(args, LS_LDGI) << 2;
  const HP = argp(args, LS_HPREV), ldhp = <usize>argi(args, LS_LDHP) << 2;
  const HO = argp(args, LS_HOUT), ldh = <usize>argi(args, LS_LDH) << 2;
  const C = argp(args, LS_C), B = argi(args, LS_B), H = argi(args, LS_H), upc = argi(args, LS_UPC);
  const nU = (H + 7) >> 3;
  const u0 = chunk * upc, u1 = min(nU, u0 + upc);
  const panel = <usize>H * 32;
  for (let b = 0; b < B; b++) {
    const hp = HP + <usize>b * ldhp, gi = GI + <usize>b * ldgi;
    for (let u = u0; u < u1; u++) {
      const w = W + <usize>(4 * u) * panel;
      let i0 = f32x4.splat(0), i1 = i0, f0 = i0, f1 = i0, g0 = i0, g1 = i0, o0 = i0, o1 = i0;
      for (let k = 0; k < H; k++) {
        const x = v128.load32_splat(hp + (<usize>k << 2));
        const q = w + (<usize>k << 5);
        i0 = vfma(i0, x, v128.load(q)); i1 = vfma(i1, x, v128.load(q, 16));
        f0 = vfma(f0, x, v128.load(q + panel)); f1 = vfma(f1, x, v128.load(q + panel, 16));
        g0 = vfma(g0, x, v128.load(q + 2 * panel)); g1 = vfma(g1, x, v128.load(q + 2 * panel, 16));
        o0 = vfma(o0, x, v128.load(q + 3 * panel)); o1 = vfma(o1, x, v128.load(q + 3 * panel, 16));
      }
      const gb = gi + <usize>(32 * u) * 4;
      i0 = vsigmoid(f32x4.add(i0, v128.load(gb))); i1 = vsigmoid(f32x4.add(i1, v128.load(gb, 16)));
      f0 = vsigmoid(f32x4.add(f0, v128.load(gb, 32))); f1 = vsigmoid(f32x4.add(f1, v128.load(gb, 48)));
      g0 = vtanh(f32x4.add(g0, v128.load(gb, 64))); g1 = vtanh(f32x4.add(g1, v128.load(gb, 80)));
      o0 = vsigmoid(f32x4.add(o0, v128.load(gb, 96))); o1 = vsigmoid(f32x4.add(o1, v128.load(gb, 112)));
      const j = u * 8;
      // the cell state rows are padded to whole blocks (row stride 8 * nU floats)
      const cp = C + (<usize>(b * nU * 8 + j) << 2), hop = HO + <usize>b * ldh + (<usize>j << 2);
      const c0 = f32x4.add(f32x4.mul(f0, v128.load(cp)), f32x4.mul(i0, g0));
      const c1 = f32x4.add(f32x4.mul(f1, v128.load(cp, 16)), f32x4.mul(i1, g1));
      v128.store(cp, c0);
      v128.store(cp, c1, 16);
      const h0 = f32x4.mul(o0, vtanh(c0)), h1 = f32x4.mul(o1, vtanh(c1));
      const n = min(8, H - j);
      if (n == 8) {
        v128.store(hop, h0);
        v128.store(hop, h1, 16);
      } else {
        for (let l = 0; l < n; l++) store<f32>(hop + (<usize>l << 2), l < 4 ? lane(h0, l) : lane(h1, l - 4));
      }
    }
  }
}

@inline function lane(v: v128, l: i32): f32 {
  // a lane chosen at run time
  return l == 0 ? f32x4.extract_lane(v, 0) : l == 1 ? f32x4.extract_lane(v, 1) : l == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}
