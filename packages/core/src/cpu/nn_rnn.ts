/**
 * CPU reference kernels for PyTorch's recurrent ops: the lstm/gru/rnn_tanh/rnn_relu cells and the
 * multi-layer, optionally bidirectional `.input` ops, with the weights in the order nn.LSTM/GRU/RNN
 * flatten them (per layer, per direction: w_ih, w_hh[, b_ih, b_hh][, w_hr]).
 */
import type { Tensor } from '../tensor.js';
import { f64, shapeStr } from './nn_util.js';

export type RnnMode = 'lstm' | 'gru' | 'rnn_tanh' | 'rnn_relu';

/** Gate blocks per hidden unit: i,f,g,o for LSTM; r,z,n for GRU; one for plain RNNs. */
export const GATES: Record<RnnMode, number> = { lstm: 4, gru: 3, rnn_tanh: 1, rnn_relu: 1 };

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * out[r, n] = sum_k x[r, k] * w[n, k] (+ b[n]); x is [rows, K], w is [N, K]. Blocked 2 rows x 4
 * columns so that each loaded element feeds several multiply-adds (about 3x a plain loop in V8).
 */
export function matmulNT(x: Float64Array, rows: number, K: number, w: Float64Array, N: number, b: Float64Array | null, out?: Float64Array): Float64Array {
  const o = out ?? new Float64Array(rows * N);
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const x0 = r * K, x1 = x0 + K, o0 = r * N, o1 = o0 + N;
    let n = 0;
    for (; n + 3 < N; n += 4) {
      const w0 = n * K, w1 = w0 + K, w2 = w1 + K, w3 = w2 + K;
      let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
      for (let k = 0; k < K; k++) {
        const u = x[x0 + k]!, v = x[x1 + k]!;
        const p = w[w0 + k]!, q = w[w1 + k]!, s = w[w2 + k]!, t = w[w3 + k]!;
        a00 += u * p; a01 += u * q; a02 += u * s; a03 += u * t;
        a10 += v * p; a11 += v * q; a12 += v * s; a13 += v * t;
      }
      const b0 = b ? b[n]! : 0, b1 = b ? b[n + 1]! : 0, b2 = b ? b[n + 2]! : 0, b3 = b ? b[n + 3]! : 0;
      o[o0 + n] = a00 + b0; o[o0 + n + 1] = a01 + b1; o[o0 + n + 2] = a02 + b2; o[o0 + n + 3] = a03 + b3;
      o[o1 + n] = a10 + b0; o[o1 + n + 1] = a11 + b1; o[o1 + n + 2] = a12 + b2; o[o1 + n + 3] = a13 + b3;
    }
    for (; n < N; n++) {
      const wo = n * K;
      let a0 = 0, a1 = 0;
      for (let k = 0; k < K; k++) {
        a0 += x[x0 + k]! * w[wo + k]!;
        a1 += x[x1 + k]! * w[wo + k]!;
      }
      o[o0 + n] = a0 + (b ? b[n]! : 0);
      o[o1 + n] = a1 + (b ? b[n]! : 0);
    }
  }
  for (; r < rows; r++) {
    const xo = r * K, oo = r * N;
    let n = 0;
    for (; n + 3 < N; n += 4) {
      const w0 = n * K, w1 = w0 + K, w2 = w1 + K, w3 = w2 + K;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let k = 0; k < K; k++) {
        const u = x[xo + k]!;
        a0 += u * w[w0 + k]!; a1 += u * w[w1 + k]!; a2 += u * w[w2 + k]!; a3 += u * w[w3 + k]!;
      }
      o[oo + n] = a0 + (b ? b[n]! : 0); o[oo + n + 1] = a1 + (b ? b[n + 1]! : 0);
      o[oo + n + 2] = a2 + (b ? b[n + 2]! : 0); o[oo + n + 3] = a3 + (b ? b[n + 3]! : 0);
    }
    for (; n < N; n++) {
      const wo = n * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += x[xo + k]! * w[wo + k]!;
      o[oo + n] = s + (b ? b[n]! : 0);
    }
  }
  return o;
}

export interface CellWeights {
  wih: Float64Array;
  whh: Float64Array;
  bih: Float64Array | null;
  bhh: Float64Array | null;
  /** LSTM projection [proj, hidden] */
  whr: Float64Array | null;
}

/**
 * One time step for a batch: `gi` holds the input projections x W_ih^T + b_ih ([B, G*H]); h is
 * [B, Hout] and (LSTM) c is [B, H]; writes the new h (and c) into hOut/cOut.
 */
export function cellStep(
  mode: RnnMode, B: number, H: number, Hout: number, gi: Float64Array, giOff: number, h: Float64Array, c: Float64Array | null,
  w: CellWeights, hOut: Float64Array, cOut: Float64Array | null,
): void {
  const G = GATES[mode];
  const gh = matmulNT(h, B, Hout, w.whh, G * H, w.bhh);
  if (mode === 'lstm') {
    const hRaw = w.whr ? new Float64Array(B * H) : hOut;
    for (let b = 0; b < B; b++) {
      const gb = giOff + b * 4 * H, hb = b * 4 * H;
      for (let j = 0; j < H; j++) {
        const ig = sigmoid(gi[gb + j]! + gh[hb + j]!);
        const fg = sigmoid(gi[gb + H + j]! + gh[hb + H + j]!);
        const gg = Math.tanh(gi[gb + 2 * H + j]! + gh[hb + 2 * H + j]!);
        const og = sigmoid(gi[gb + 3 * H + j]! + gh[hb + 3 * H + j]!);
        const cy = fg * c![b * H + j]! + ig * gg;
        cOut![b * H + j] = cy;
        hRaw[b * H + j] = og * Math.tanh(cy);
      }
    }
    if (w.whr) matmulNT(hRaw, B, H, w.whr, Hout, null, hOut);
    return;
  }
  if (mode === 'gru') {
    for (let b = 0; b < B; b++) {
      const gb = giOff + b * 3 * H, hb = b * 3 * H;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(gi[gb + j]! + gh[hb + j]!);
        const z = sigmoid(gi[gb + H + j]! + gh[hb + H + j]!);
        const n = Math.tanh(gi[gb + 2 * H + j]! + r * gh[hb + 2 * H + j]!);
        hOut[b * H + j] = (h[b * H + j]! - n) * z + n;
      }
    }
    return;
  }
  const relu = mode === 'rnn_relu';
  for (let i = 0; i < B * H; i++) {
    const v = gi[giOff + i]! + gh[i]!;
    hOut[i] = relu ? (v > 0 ? v : Number.isNaN(v) ? v : 0) : Math.tanh(v);
  }
}

function vec(t: Tensor | null | undefined): Float64Array | null {
  return t ? f64(t) : null;
}

export function checkCell(mode: RnnMode, input: Tensor, hx: Tensor, cx: Tensor | null, wih: Tensor, whh: Tensor): void {
  if (input.ndim !== 2) throw new RangeError(`${mode}_cell: Expected input to be 2-D, got ${input.ndim}-D`);
  const I = wih.shape[1]!;
  if (input.shape[1] !== I) throw new RangeError(`input has inconsistent input_size: got ${input.shape[1]} expected ${I}`);
  const B = input.shape[0]!;
  const H = whh.shape[1]!;
  for (const [name, t] of [['hx', hx], ['cx', cx]] as const) {
    if (!t) continue;
    if (t.shape[0] !== B) throw new RangeError(`Input batch size ${B} doesn't match hidden${name === 'hx' ? '0' : '1'} batch size ${t.shape[0]}`);
    if (t.shape[1] !== H) throw new RangeError(`hidden${name === 'hx' ? '0' : '1'} has inconsistent hidden_size: got ${t.shape[1]}, expected ${H}`);
  }
  const G = GATES[mode];
  if (wih.shape[0] !== G * H || whh.shape[0] !== G * H) throw new RangeError(`${mode}_cell: weight shapes ${shapeStr(wih.shape)} and ${shapeStr(whh.shape)} do not match ${G} gates of hidden size ${H}`);
}

/** lstm_cell / gru_cell / rnn_*_cell on [B, I] input and [B, H] state. */
export function rnnCell(
  mode: RnnMode, input: Tensor, hx: Tensor, cx: Tensor | null, wih: Tensor, whh: Tensor, bih: Tensor | null, bhh: Tensor | null, outs: Tensor[],
): void {
  const B = input.shape[0]!, I = input.shape[1]!, H = whh.shape[1]!;
  const G = GATES[mode];
  const w: CellWeights = { wih: f64(wih), whh: f64(whh), bih: vec(bih), bhh: vec(bhh), whr: null };
  const gi = matmulNT(f64(input), B, I, w.wih, G * H, w.bih);
  const hOut = new Float64Array(B * H);
  const cOut = mode === 'lstm' ? new Float64Array(B * H) : null;
  cellStep(mode, B, H, H, gi, 0, f64(hx), cx ? f64(cx) : null, w, hOut, cOut);
  outs[0]!.hostArray.set(hOut);
  if (cOut) outs[1]!.hostArray.set(cOut);
}

export interface RnnConfig {
  mode: RnnMode;
  hasBiases: boolean;
  numLayers: number;
  bidirectional: boolean;
  batchFirst: boolean;
}

/**
 * Shapes of a multi-layer RNN call: sizes, hidden and projection sizes, params per layer. `B` is the
 * batch and `steps` the time steps, from the input ([T, B, I] or batch-first) or, for packed
 * sequences, from batch_sizes.
 */
export function rnnGeometry(cfg: RnnConfig, inSize: number, B: number, hx: Tensor, cx: Tensor | null, params: Tensor[]) {
  const D = cfg.bidirectional ? 2 : 1;
  const Hout = hx.shape[2]!;
  const H = cx ? cx.shape[2]! : Hout;
  const proj = cfg.mode === 'lstm' && cx !== null && H !== Hout;
  const stride = (cfg.hasBiases ? 4 : 2) + (proj ? 1 : 0);
  if (params.length !== stride * cfg.numLayers * D) {
    throw new RangeError(`expected ${stride * cfg.numLayers * D} parameter tensors (${cfg.numLayers} layers x ${D} directions x ${stride}), got ${params.length}`);
  }
  const G = GATES[cfg.mode];
  for (const [t, hs] of [[hx, Hout], [cx, H]] as const) {
    if (!t) continue;
    const want = [cfg.numLayers * D, B, hs];
    if (t.ndim !== 3 || t.shape.some((s, i) => s !== want[i])) throw new RangeError(`Expected hidden size ${shapeStr(want)}, got ${shapeStr(t.shape)}`);
  }
  for (let l = 0; l < cfg.numLayers; l++) {
    const lin = l === 0 ? inSize : D * Hout;
    for (let d = 0; d < D; d++) {
      const p = params.slice((l * D + d) * stride, (l * D + d + 1) * stride);
      const wih = p[0]!, whh = p[1]!;
      if (wih.ndim !== 2 || wih.shape[0] !== G * H || wih.shape[1] !== lin) {
        throw new RangeError(`layer ${l}${d ? ' (reverse)' : ''}: weight_ih should be ${shapeStr([G * H, lin])}, got ${shapeStr(wih.shape)}`);
      }
      if (whh.ndim !== 2 || whh.shape[0] !== G * H || whh.shape[1] !== Hout) {
        throw new RangeError(`layer ${l}${d ? ' (reverse)' : ''}: weight_hh should be ${shapeStr([G * H, Hout])}, got ${shapeStr(whh.shape)}`);
      }
      if (proj && (p[stride - 1]!.shape[0] !== Hout || p[stride - 1]!.shape[1] !== H)) {
        throw new RangeError(`layer ${l}: weight_hr should be ${shapeStr([Hout, H])}, got ${shapeStr(p[stride - 1]!.shape)}`);
      }
    }
  }
  return { H, Hout, D, G, proj, stride };
}

/** Checks the `.input` overloads' input and returns (T, B, I). */
export function rnnInputDims(input: Tensor, batchFirst: boolean): [number, number, number] {
  if (input.ndim !== 3) throw new RangeError(`input must have 3 dimensions, got ${input.ndim}`);
  return batchFirst ? [input.shape[1]!, input.shape[0]!, input.shape[2]!] : [input.shape[0]!, input.shape[1]!, input.shape[2]!];
}

/** Checks a PackedSequence's batch_sizes (int64, 1-D, non-increasing, summing to the rows of data). */
export function packedBatchSizes(data: Tensor, batchSizes: Tensor): number[] {
  if (batchSizes.ndim !== 1) throw new RangeError(`batch_sizes should be a 1D tensor, got ${batchSizes.ndim}D`);
  const bs = Array.from(batchSizes.contiguousArray());
  let sum = 0;
  for (let i = 0; i < bs.length; i++) {
    if (bs[i]! <= 0 || (i > 0 && bs[i]! > bs[i - 1]!)) throw new RangeError('batch_sizes must be positive and non-increasing');
    sum += bs[i]!;
  }
  if (data.ndim !== 2 || data.shape[0] !== sum) throw new RangeError(`packed data should be [${sum}, input_size], got ${shapeStr(data.shape)}`);
  return bs;
}

/**
 * The multi-layer recurrence over time-major rows: step t has batchSizes[t] rows (all B for a
 * padded input; decreasing for a PackedSequence, whose finished sequences keep their last state).
 * Returns the last layer's output rows [N, D*Hout] and h_n [L*D, B, Hout] (c_n [L*D, B, H]).
 * `dropout(x)` is applied to every layer's output but the last when given.
 */
export function rnnCore(
  cfg: RnnConfig, x0: Float64Array, inSize: number, batchSizes: readonly number[], hx: Tensor, cx: Tensor | null, params: Tensor[],
  dropout?: (x: Float64Array, shape: number[]) => Float64Array,
): { y: Float64Array; hN: Float64Array; cN: Float64Array | null } {
  const B = batchSizes[0] ?? hx.shape[1]!;
  const { H, Hout, D, G, proj, stride } = rnnGeometry(cfg, inSize, hx.shape[1]!, hx, cx, params);
  if (batchSizes.length && B !== hx.shape[1]) throw new RangeError(`Expected hidden size ${shapeStr([hx.shape[0]!, B, Hout])}, got ${shapeStr(hx.shape)}`);
  const mode = cfg.mode;
  const T = batchSizes.length;
  const offsets: number[] = [];
  let N = 0;
  for (const b of batchSizes) {
    offsets.push(N);
    N += b;
  }
  let x = x0;
  let I = inSize;
  const h0 = f64(hx), c0 = cx ? f64(cx) : null;
  const hN = new Float64Array(cfg.numLayers * D * B * Hout);
  const cN = c0 ? new Float64Array(cfg.numLayers * D * B * H) : null;
  for (let l = 0; l < cfg.numLayers; l++) {
    const y = new Float64Array(N * D * Hout);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const p = params.slice(k * stride, (k + 1) * stride);
      const w: CellWeights = {
        wih: f64(p[0]!), whh: f64(p[1]!),
        bih: cfg.hasBiases ? f64(p[2]!) : null, bhh: cfg.hasBiases ? f64(p[3]!) : null,
        whr: proj ? f64(p[stride - 1]!) : null,
      };
      const gi = matmulNT(x, N, I, w.wih, G * H, w.bih);
      const h = h0.slice(k * B * Hout, (k + 1) * B * Hout);
      const c = c0 ? c0.slice(k * B * H, (k + 1) * B * H) : null;
      for (let s = 0; s < T; s++) {
        const t = d === 0 ? s : T - 1 - s;
        const bt = batchSizes[t]!;
        const hNew = new Float64Array(bt * Hout);
        const cNew = c ? new Float64Array(bt * H) : null;
        cellStep(mode, bt, H, Hout, gi, offsets[t]! * G * H, h.subarray(0, bt * Hout), c ? c.subarray(0, bt * H) : null, w, hNew, cNew);
        h.set(hNew);
        if (c && cNew) c.set(cNew);
        for (let b = 0; b < bt; b++) {
          const dst = (offsets[t]! + b) * D * Hout + d * Hout;
          for (let j = 0; j < Hout; j++) y[dst + j] = hNew[b * Hout + j]!;
        }
      }
      hN.set(h, k * B * Hout);
      if (cN && c) cN.set(c, k * B * H);
    }
    x = dropout && l < cfg.numLayers - 1 ? dropout(y, [N, D * Hout]) : y;
    I = D * Hout;
  }
  return { y: x, hN, cN };
}

/** Output shapes of the `.input` overloads: out, h_n (and c_n). */
export function rnnInputShapes(cfg: RnnConfig, input: Tensor, hx: Tensor, cx: Tensor | null, params: Tensor[]): number[][] {
  const [T, B, I] = rnnInputDims(input, cfg.batchFirst);
  const { H, Hout, D } = rnnGeometry(cfg, I, B, hx, cx, params);
  const out = cfg.batchFirst ? [B, T, D * Hout] : [T, B, D * Hout];
  return cx ? [out, [...hx.shape], [cfg.numLayers * D, B, H]] : [out, [...hx.shape]];
}

/** The `.input` overloads: a padded [T, B, I] (or batch-first) input. */
export function rnnForward(
  cfg: RnnConfig, input: Tensor, hx: Tensor, cx: Tensor | null, params: Tensor[], outs: Tensor[],
  dropout?: (x: Float64Array, shape: number[]) => Float64Array,
): void {
  const [T, B, I] = rnnInputDims(input, cfg.batchFirst);
  let x = f64(input);
  if (cfg.batchFirst) x = swap01(x, B, T, I);
  const r = rnnCore(cfg, x, I, new Array<number>(T).fill(B), hx, cx, params, dropout);
  const DH = outs[0]!.shape[2]!;
  outs[0]!.hostArray.set(cfg.batchFirst ? swap01(r.y, T, B, DH) : r.y);
  outs[1]!.hostArray.set(r.hN);
  if (r.cN) outs[2]!.hostArray.set(r.cN);
}

/** The `.data` overloads: a PackedSequence (data [N, I], batch_sizes [T]). */
export function rnnPackedForward(
  cfg: RnnConfig, data: Tensor, batchSizes: Tensor, hx: Tensor, cx: Tensor | null, params: Tensor[], outs: Tensor[],
  dropout?: (x: Float64Array, shape: number[]) => Float64Array,
): void {
  const bs = packedBatchSizes(data, batchSizes);
  const r = rnnCore(cfg, f64(data), data.shape[1]!, bs, hx, cx, params, dropout);
  outs[0]!.hostArray.set(r.y);
  outs[1]!.hostArray.set(r.hN);
  if (r.cN) outs[2]!.hostArray.set(r.cN);
}

/** [A, B, C] -> [B, A, C] */
export function swap01(x: Float64Array, A: number, B: number, C: number): Float64Array {
  const o = new Float64Array(x.length);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) o.set(x.subarray((a * B + b) * C, (a * B + b + 1) * C), (b * A + a) * C);
  return o;
}
