/**
 * LSTM / GRU (`.input` overloads) and the transformer encoder layer / multi-head attention fast
 * paths on the wasm kernels.
 *
 * Recurrences: per layer and direction, one GEMM projects every time step's input (x W_ih^T +
 * b_ih); each step then runs one GEMM for the hidden projection (for the LSTM with the input
 * projection added in its epilogue) and one cell kernel (the gate nonlinearities). The hidden
 * state is read straight from the output rows of the previous step.
 */
import type { Args, Tensor } from '@torchlet/core';
import {
  K_LSTMSTEP, K_RNNCELL, LS_B, LS_C, LS_GI, LS_H, LS_HOUT, LS_HPREV, LS_LDGI, LS_LDH, LS_LDHP, LS_UPC, LS_W, R_SOFTMAX, RC_B, RC_C, RC_G, RC_GH, RC_H, RC_HOUT, RC_HPREV, RC_LDG, RC_LDH, RC_LDHP, RC_MODE, RC_RPC, U_GELU,
} from '../../assembly/abi.js';
import { derived, type Scratch } from '../context.js';
import type { WasmRuntime } from '../runtime.js';
import { gemm, packedABytes } from './gemm.js';
import { linearRows, packedWeightT, paddedBias } from './matmul.js';
import { layerNorm, reduce, unary } from './reduce.js';
import { isF32, minWork, register } from './registry.js';

function cell(rt: WasmRuntime, mode: number, g: number, ldg: number, gh: number, c: number, hPrev: number, ldhp: number, hOut: number, ldh: number, B: number, H: number): void {
  const a = rt.args();
  try {
    const chunks = rt.chunksFor(B, Math.max(1, Math.ceil(2048 / H)));
    rt.setI(a, RC_MODE, mode);
    rt.setI(a, RC_G, g);
    rt.setI(a, RC_GH, gh);
    rt.setI(a, RC_C, c);
    rt.setI(a, RC_HPREV, hPrev);
    rt.setI(a, RC_HOUT, hOut);
    rt.setI(a, RC_LDH, ldh);
    rt.setI(a, RC_B, B);
    rt.setI(a, RC_H, H);
    rt.setI(a, RC_RPC, Math.ceil(B / chunks));
    rt.setI(a, RC_LDG, ldg);
    rt.setI(a, RC_LDHP, ldhp);
    rt.run(K_RNNCELL, a, chunks);
  } finally {
    rt.releaseArgs();
  }
}

/**
 * W (rows = 4 gates x H units, K columns) transposed and packed as 8-column panels of K rows in
 * gate-interleaved order: panel 4u + g holds gate g of units [8u, 8u + 8) (zero past H).
 */
function packGateInterleaved(rt: WasmRuntime, w: Tensor, H: number, dst: number): void {
  const K = w.shape[1]!, nU = Math.ceil(H / 8);
  const src = w.contiguousArray();
  const f = rt.f32, base = dst >> 2;
  for (let u = 0; u < nU; u++) {
    for (let g = 0; g < 4; g++) {
      const p = base + (4 * u + g) * K * 8;
      for (let l = 0; l < 8; l++) {
        const j = 8 * u + l;
        if (j >= H) {
          for (let k = 0; k < K; k++) f[p + k * 8 + l] = 0;
          continue;
        }
        const row = (g * H + j) * K;
        for (let k = 0; k < K; k++) f[p + k * 8 + l] = src[row + k]!;
      }
    }
  }
}

/**
 * LSTM layers with the fused step kernel: input projections of all steps in one GEMM (weights,
 * both biases and outputs in gate-interleaved column order), then per step one task that
 * computes each 8-unit block's four gates from the previous hidden state and updates the cell.
 */
function runLstm(rt: WasmRuntime, s: Scratch, a: Args, outs: Tensor[]): boolean {
  const x = a.input as Tensor;
  const [hx, cx] = a.hx as Tensor[];
  const params = a.params as Tensor[];
  const L = a.num_layers as number, D = a.bidirectional ? 2 : 1, bf = a.batch_first as boolean;
  if (x.ndim !== 3 || !hx || !cx || !isF32(x, hx, cx, ...params) || (a.train && a.dropout > 0)) return false;
  const stride = a.has_biases ? 4 : 2;
  if (params.length !== stride * L * D) return false;
  const [T, B, I] = bf ? [x.shape[1]!, x.shape[0]!, x.shape[2]!] : [x.shape[0]!, x.shape[1]!, x.shape[2]!];
  const H = hx.shape[2]!;
  if (cx.shape[2] !== H || T === 0 || B === 0 || H === 0 || I === 0 || T * B * I * 4 * H < minWork()) return false;
  const nU = Math.ceil(H / 8), Hp = nU * 8, N4 = 4 * Hp;
  const f = (): Float32Array => rt.f32;
  const rowOf = (t: number, b: number): number => (bf ? b * T + t : t * B + b);
  const rowStep = bf ? T : 1;
  let xin = s.input(x), inSize = I;
  const h0 = s.input(hx), c0 = s.input(cx);
  const outY = s.output(outs[0]!), hN = s.output(outs[1]!), cN = s.output(outs[2]!);
  const gi = s.alloc(T * B * N4 * 4);
  const cState = s.alloc(B * Hp * 4);
  const bias = s.alloc(N4 * 4);
  const stepWork = B * 4 * H * H;
  for (let l = 0; l < L; l++) {
    const y = l === L - 1 ? outY : s.alloc(T * B * D * H * 4);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const p = params.slice(k * stride, (k + 1) * stride);
      const [wih, whh] = [p[0]!, p[1]!];
      if (wih.shape[0] !== 4 * H || wih.shape[1] !== inSize || whh.shape[0] !== 4 * H || whh.shape[1] !== H) return false;
      const wihP = derived(s, wih, `lstmWih:${H}`, inSize * N4 * 4, (dst) => packGateInterleaved(rt, wih, H, dst));
      const whhP = derived(s, whh, `lstmWhh:${H}`, H * N4 * 4, (dst) => packGateInterleaved(rt, whh, H, dst));
      // both biases, gate-interleaved
      const fv = f(), bb = bias >> 2;
      fv.fill(0, bb, bb + N4);
      if (a.has_biases) {
        const bi = p[2]!.contiguousArray(), bh = p[3]!.contiguousArray();
        for (let u = 0; u < nU; u++) for (let g = 0; g < 4; g++) for (let j = 0; j < 8 && 8 * u + j < H; j++) fv[bb + (4 * u + g) * 8 + j] = bi[g * H + 8 * u + j]! + bh[g * H + 8 * u + j]!;
      }
      const A = s.alloc(packedABytes(rt, T * B, inSize));
      rt.exports.packA(xin, T * B, inSize, inSize, 1, A);
      gemm(rt, { M: T * B, N: N4, K: inSize, A, B: wihP, offs: 0, pix: 0, bPacked: true, C: gi, ldc: N4 * 4, epi: { colBias: bias } });
      // cell state, rows padded to whole blocks
      for (let b = 0; b < B; b++) f().set(f().subarray((c0 >> 2) + (k * B + b) * H, (c0 >> 2) + (k * B + b + 1) * H), (cState >> 2) + b * Hp);
      let hPrev = h0 + k * B * H * 4, ldPrev = H;
      for (let st = 0; st < T; st++) {
        const t = d === 0 ? st : T - 1 - st;
        const hOut = y + (rowOf(t, 0) * D * H + d * H) * 4;
        const args = rt.args();
        try {
          // one chunk per thread: each thread keeps its part of W_hh in its own cache across
          // steps (W_hh is 4 H^2 floats; 1 MiB at H = 256)
          const chunks = stepWork < 65536 ? 1 : Math.min(nU, rt.activeThreads);
          rt.setI(args, LS_W, whhP);
          rt.setI(args, LS_GI, gi + rowOf(t, 0) * N4 * 4);
          rt.setI(args, LS_LDGI, rowStep * N4);
          rt.setI(args, LS_HPREV, hPrev);
          rt.setI(args, LS_LDHP, ldPrev);
          rt.setI(args, LS_HOUT, hOut);
          rt.setI(args, LS_LDH, rowStep * D * H);
          rt.setI(args, LS_C, cState);
          rt.setI(args, LS_B, B);
          rt.setI(args, LS_H, H);
          rt.setI(args, LS_UPC, Math.ceil(nU / chunks));
          rt.run(K_LSTMSTEP, args, chunks);
        } finally {
          rt.releaseArgs();
        }
        hPrev = hOut;
        ldPrev = rowStep * D * H;
      }
      const fv2 = f();
      for (let b = 0; b < B; b++) {
        const src = (hPrev >> 2) + b * ldPrev;
        fv2.copyWithin((hN >> 2) + (k * B + b) * H, src, src + H);
        fv2.copyWithin((cN >> 2) + (k * B + b) * H, (cState >> 2) + b * Hp, (cState >> 2) + b * Hp + H);
      }
    }
    xin = y;
    inSize = D * H;
  }
  return true;
}

function runRnn(rt: WasmRuntime, s: Scratch, lstm: boolean, a: Args, outs: Tensor[]): boolean {
  const x = a.input as Tensor;
  const hx = lstm ? (a.hx as Tensor[])[0]! : (a.hx as Tensor);
  const cx = lstm ? (a.hx as Tensor[])[1]! : null;
  const params = a.params as Tensor[];
  const L = a.num_layers as number, D = a.bidirectional ? 2 : 1, bf = a.batch_first as boolean;
  if (x.ndim !== 3 || !isF32(x, hx, cx, ...params) || (a.train && a.dropout > 0)) return false;
  const stride = a.has_biases ? 4 : 2;
  if (params.length !== stride * L * D) return false;
  const [T, B, I] = bf ? [x.shape[1]!, x.shape[0]!, x.shape[2]!] : [x.shape[0]!, x.shape[1]!, x.shape[2]!];
  const H = hx.shape[2]!;
  if (cx && cx.shape[2] !== H) return false;
  const G = lstm ? 4 : 3;
  if (T * B * I * G * H < minWork() || T === 0 || B === 0 || H === 0 || I === 0) return false;
  const f = (): Float32Array => rt.f32;
  const rowOf = (t: number, b: number): number => (bf ? b * T + t : t * B + b);
  const rowStep = bf ? T : 1; // rows between batch entries of one time step
  let xin = s.input(x), inSize = I;
  const h0 = s.input(hx), c0 = cx ? s.input(cx) : 0;
  const outY = s.output(outs[0]!), hN = s.output(outs[1]!), cN = lstm ? s.output(outs[2]!) : 0;
  const gi = s.alloc(T * B * G * H * 4);
  const gates = s.alloc(B * G * H * 4);
  const cState = lstm ? s.alloc(B * H * 4) : 0;
  const hA = s.alloc(packedABytes(rt, B, H));
  for (let l = 0; l < L; l++) {
    const y = l === L - 1 ? outY : s.alloc(T * B * D * H * 4);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const p = params.slice(k * stride, (k + 1) * stride);
      const [wih, whh] = [p[0]!, p[1]!];
      const [bih, bhh] = a.has_biases ? [p[2]!, p[3]!] : [null, null];
      if (wih.shape[0] !== G * H || wih.shape[1] !== inSize || whh.shape[0] !== G * H || whh.shape[1] !== H) return false;
      // every step's input projection at once: rows in the input's own order
      linearRows(rt, s, xin, T * B, inSize, 1, wih, bih, gi, G * H * 4);
      const whhP = packedWeightT(rt, s, whh);
      const bhhP = bhh ? paddedBias(rt, s, bhh) : 0;
      if (lstm) f().set(f().subarray((c0 >> 2) + k * B * H, (c0 >> 2) + (k + 1) * B * H), cState >> 2);
      let hPrev = h0 + k * B * H * 4, ldPrev = H;
      for (let st = 0; st < T; st++) {
        const t = d === 0 ? st : T - 1 - st;
        const giT = gi + rowOf(t, 0) * G * H * 4;
        rt.exports.packA(hPrev, B, H, ldPrev, 1, hA);
        const hOut = y + (rowOf(t, 0) * D * H + d * H) * 4;
        if (lstm) {
          gemm(rt, { M: B, N: G * H, K: H, A: hA, B: whhP, offs: 0, pix: 0, bPacked: true, C: gates, ldc: G * H * 4, epi: { colBias: bhhP, res: giT, ldr: rowStep * G * H * 4 } });
          cell(rt, 0, gates, G * H, 0, cState, 0, 0, hOut, rowStep * D * H, B, H);
        } else {
          gemm(rt, { M: B, N: G * H, K: H, A: hA, B: whhP, offs: 0, pix: 0, bPacked: true, C: gates, ldc: G * H * 4, epi: { colBias: bhhP } });
          cell(rt, 1, giT, rowStep * G * H, gates, 0, hPrev, ldPrev, hOut, rowStep * D * H, B, H);
        }
        hPrev = hOut;
        ldPrev = rowStep * D * H;
      }
      // final states
      const fv = f();
      for (let b = 0; b < B; b++) {
        const src = (hPrev >> 2) + b * ldPrev;
        fv.copyWithin((hN >> 2) + (k * B + b) * H, src, src + H);
      }
      if (lstm) fv.copyWithin((cN >> 2) + k * B * H, cState >> 2, (cState >> 2) + B * H);
    }
    xin = y;
    inSize = D * H;
  }
  return true;
}

/**
 * One multi-head self-attention block on rows [B*T, E]: qkv projection, per (batch, head)
 * softmax(q k^T / sqrt(dh)) v, output projection with `res` added in the GEMM epilogue.
 */
function selfAttention(
  rt: WasmRuntime, s: Scratch, x: number, B: number, T: number, E: number, nh: number, qkvW: Tensor, qkvB: Tensor, projW: Tensor, projB: Tensor, out: number, res: number,
): void {
  const dh = E / nh;
  const qkv = s.alloc(B * T * 3 * E * 4);
  linearRows(rt, s, x, B * T, E, 1, qkvW, qkvB, qkv, 3 * E * 4);
  const ctx = s.alloc(B * T * E * 4);
  const scores = s.alloc(T * T * 4);
  const qA = s.alloc(packedABytes(rt, T, dh)), pA = s.alloc(packedABytes(rt, T, T));
  const offsK = s.alloc(dh * 4), pixK = s.alloc(T * 4), offsV = s.alloc(T * 4), pixV = s.alloc(dh * 4);
  const i32 = rt.i32;
  for (let d = 0; d < dh; d++) i32[(offsK >> 2) + d] = d * 4;
  for (let t = 0; t < T; t++) i32[(pixK >> 2) + t] = t * 3 * E * 4;
  for (let t = 0; t < T; t++) i32[(offsV >> 2) + t] = t * 3 * E * 4;
  for (let d = 0; d < dh; d++) i32[(pixV >> 2) + d] = d * 4;
  const scale = 1 / Math.sqrt(dh);
  for (let b = 0; b < B; b++) {
    const base = qkv + b * T * 3 * E * 4;
    for (let h = 0; h < nh; h++) {
      // scores [T, T] = (q_h k_h^T) / sqrt(dh)
      rt.exports.packA(base + h * dh * 4, T, dh, 3 * E, 1, qA);
      gemm(rt, { M: T, N: T, K: dh, A: qA, B: base + (E + h * dh) * 4, offs: offsK, pix: pixK, C: scores, ldc: T * 4, epi: { alpha: scale } });
      reduce(rt, scores, scores, R_SOFTMAX, T, T, 1);
      // ctx[:, h] = p v_h
      rt.exports.packA(scores, T, T, T, 1, pA);
      gemm(rt, { M: T, N: dh, K: T, A: pA, B: base + (2 * E + h * dh) * 4, offs: offsV, pix: pixV, C: ctx + (b * T * E + h * dh) * 4, ldc: E * 4 });
    }
  }
  linearRows(rt, s, ctx, B * T, E, 1, projW, projB, out, E * 4, res ? { res, ldr: E * 4 } : {});
}

export function registerRnnOps(): void {
  register('aten::lstm.input', (rt, s, a, outs) => runLstm(rt, s, a, outs));
  register('aten::gru.input', (rt, s, a, outs) => runRnn(rt, s, false, a, outs));

  register('aten::_transformer_encoder_layer_fwd', (rt, s, a, outs) => {
    const src = a.src as Tensor;
    const ts = ['qkv_weight', 'qkv_bias', 'proj_weight', 'proj_bias', 'norm_weight_1', 'norm_bias_1', 'norm_weight_2', 'norm_bias_2', 'ffn_weight_1', 'ffn_bias_1', 'ffn_weight_2', 'ffn_bias_2'].map((k) => a[k] as Tensor);
    if (a.mask || src.ndim !== 3 || !isF32(src, ...ts)) return false;
    const [B, T, E] = src.shape as [number, number, number];
    const nh = a.num_heads as number;
    if (E !== a.embed_dim || E % nh !== 0 || B * T * E * E < minWork() || B * T === 0) return false;
    const [qkvW, qkvB, projW, projB, n1w, n1b, n2w, n2b, f1w, f1b, f2w, f2b] = ts as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
    const rows = B * T, eps = a.eps as number, F = f1w.shape[0]!;
    const x0 = s.input(src), out = s.output(outs[0]!);
    const ln = (x: number, w: Tensor, b: Tensor, o: number): void => layerNorm(rt, x, o, s.input(w), s.input(b), rows, E, eps);
    // attention block
    let att = x0;
    if (a.norm_first) {
      att = s.alloc(rows * E * 4);
      ln(x0, n1w, n1b, att);
    }
    const a1 = s.alloc(rows * E * 4);
    selfAttention(rt, s, att, B, T, E, nh, qkvW, qkvB, projW, projB, a1, x0);
    let r1 = a1;
    if (!a.norm_first) {
      r1 = s.alloc(rows * E * 4);
      ln(a1, n1w, n1b, r1);
    }
    // feed-forward block
    let fin = r1;
    if (a.norm_first) {
      fin = s.alloc(rows * E * 4);
      ln(r1, n2w, n2b, fin);
    }
    const hdn = s.alloc(rows * F * 4);
    linearRows(rt, s, fin, rows, E, 1, f1w, f1b, hdn, F * 4, a.use_gelu ? {} : { lo: 0, hi: Infinity });
    if (a.use_gelu) unary(rt, U_GELU, hdn, hdn, rows * F);
    const f2 = a.norm_first ? out : s.alloc(rows * E * 4);
    linearRows(rt, s, hdn, rows, F, 1, f2w, f2b, f2, E * 4, { res: r1, ldr: E * 4 });
    if (!a.norm_first) ln(f2, n2w, n2b, out);
    return true;
  });

  register('aten::_native_multi_head_attention', (rt, s, a, outs) => {
    const q = a.query as Tensor, k = a.key as Tensor, v = a.value as Tensor;
    const ts = [a.qkv_weight, a.qkv_bias, a.proj_weight, a.proj_bias] as Tensor[];
    if (a.mask || a.need_weights || q !== k || k !== v || q.ndim !== 3 || !isF32(q, ...ts)) return false;
    const [B, T, E] = q.shape as [number, number, number];
    const nh = a.num_head as number;
    if (E !== a.embed_dim || E % nh !== 0 || B * T * E * E < minWork() || B * T === 0) return false;
    selfAttention(rt, s, s.input(q), B, T, E, nh, ts[0]!, ts[1]!, ts[2]!, ts[3]!, s.output(outs[0]!), 0);
    for (const o of outs.slice(1)) o.hostArray.fill(0);
    return true;
  });
}
