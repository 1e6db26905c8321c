/**
 * Shared declarations for the recurrent ops (lstm, gru, rnn_tanh, rnn_relu and their cells): the
 * CPU kernels live in cpu/nn_rnn.ts; the decompositions here express the same computation with
 * registry ops (linear, sigmoid, tanh, chunk, stack, cat, ...) so that any backend runs them.
 */
import { callOp } from '../../dispatch.js';
import { isFloating } from '../../dtype.js';
import type { Args, OutSpec, OverloadDecl } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { GATES, checkCell, packedBatchSizes, rnnCell, rnnForward, rnnGeometry, rnnInputShapes, rnnPackedForward, type RnnConfig, type RnnMode } from '../../cpu/nn_rnn.js';
import { dtypeName } from '../../cpu/nn_util.js';

function checkFloat(ts: (Tensor | null | undefined)[], op: string): void {
  for (const t of ts) if (t && !isFloating(t.dtype)) throw new Error(`"${op}" not implemented for '${dtypeName(t.dtype)}'`);
}

function sameDtype(x: Tensor, ts: (Tensor | null | undefined)[]): void {
  for (const t of ts) {
    if (t && t.dtype !== x.dtype) throw new TypeError(`expected scalar type ${dtypeName(x.dtype)} but found ${dtypeName(t.dtype)}`);
  }
}

// ------------------------------------------------------------------ cells

const CELL_PARAMS = 'Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None';

/** One step of a cell from registry ops; returns h' (and c' for LSTM). */
export function cellDecompose(mode: RnnMode, input: Tensor, hx: Tensor, cx: Tensor | null, wih: Tensor, whh: Tensor, bih: Tensor | null, bhh: Tensor | null): Tensor[] {
  const gi = callOp('aten::linear', [input, wih, bih]) as Tensor;
  const gh = callOp('aten::linear', [hx, whh, bhh]) as Tensor;
  const tmp: Tensor[] = [gi, gh];
  try {
    if (mode === 'lstm') {
      const gates = callOp('aten::add', [gi, gh]) as Tensor;
      const [i, f, g, o] = callOp('aten::unsafe_chunk', [gates, 4, 1]) as Tensor[];
      const ig = callOp('aten::sigmoid', [i]) as Tensor, fg = callOp('aten::sigmoid', [f]) as Tensor;
      const gg = callOp('aten::tanh', [g]) as Tensor, og = callOp('aten::sigmoid', [o]) as Tensor;
      const fc = callOp('aten::mul', [fg, cx]) as Tensor, ig2 = callOp('aten::mul', [ig, gg]) as Tensor;
      const cy = callOp('aten::add', [fc, ig2]) as Tensor;
      const tc = callOp('aten::tanh', [cy]) as Tensor;
      const hy = callOp('aten::mul', [og, tc]) as Tensor;
      tmp.push(gates, i!, f!, g!, o!, ig, fg, gg, og, fc, ig2, tc);
      return [hy, cy];
    }
    if (mode === 'gru') {
      const [ir, iz, inn] = callOp('aten::unsafe_chunk', [gi, 3, 1]) as Tensor[];
      const [hr, hz, hn] = callOp('aten::unsafe_chunk', [gh, 3, 1]) as Tensor[];
      const rs = callOp('aten::add', [ir, hr]) as Tensor, zs = callOp('aten::add', [iz, hz]) as Tensor;
      const r = callOp('aten::sigmoid', [rs]) as Tensor, z = callOp('aten::sigmoid', [zs]) as Tensor;
      const rh = callOp('aten::mul', [r, hn]) as Tensor;
      const ns = callOp('aten::add', [inn, rh]) as Tensor;
      const n = callOp('aten::tanh', [ns]) as Tensor;
      // h' = (h - n) * z + n
      const d = callOp('aten::sub', [hx, n]) as Tensor;
      const dz = callOp('aten::mul', [d, z]) as Tensor;
      const hy = callOp('aten::add', [dz, n]) as Tensor;
      tmp.push(ir!, iz!, inn!, hr!, hz!, hn!, rs, zs, r, z, rh, ns, n, d, dz);
      return [hy];
    }
    const s = callOp('aten::add', [gi, gh]) as Tensor;
    tmp.push(s);
    return [callOp(mode === 'rnn_tanh' ? 'aten::tanh' : 'aten::relu', [s]) as Tensor];
  } finally {
    for (const t of tmp) t.dispose();
  }
}

function cellInfer(mode: RnnMode, a: Args): OutSpec | OutSpec[] {
  const input = a.input as Tensor;
  const [hx, cx] = mode === 'lstm' ? (a.hx as Tensor[]) : [a.hx as Tensor, null];
  if (mode === 'lstm' && (a.hx as Tensor[]).length !== 2) throw new RangeError(`lstm_cell: Expected hx to be a list of 2 tensors (h, c), got ${(a.hx as Tensor[]).length}`);
  checkFloat([input], `${mode}_cell`);
  sameDtype(input, [hx, cx, a.w_ih, a.w_hh, a.b_ih, a.b_hh]);
  checkCell(mode, input, hx!, cx ?? null, a.w_ih, a.w_hh);
  const spec = { shape: [input.shape[0]!, (a.w_hh as Tensor).shape[1]!], dtype: input.dtype };
  return mode === 'lstm' ? [spec, { ...spec, shape: [...spec.shape] }] : spec;
}

export function cellOverload(mode: RnnMode): OverloadDecl {
  const hx = mode === 'lstm' ? 'Tensor[] hx' : 'Tensor hx';
  const ret = mode === 'lstm' ? '(Tensor, Tensor)' : 'Tensor';
  return {
    schema: `aten::${mode}_cell(Tensor input, ${hx}, ${CELL_PARAMS}) -> ${ret}`,
    infer: (a) => cellInfer(mode, a),
    cpu: (a, outs) => {
      const [h, c] = mode === 'lstm' ? (a.hx as Tensor[]) : [a.hx as Tensor, null];
      rnnCell(mode, a.input, h!, c ?? null, a.w_ih, a.w_hh, a.b_ih, a.b_hh, outs);
    },
    decompose: (a) => {
      const [h, c] = mode === 'lstm' ? (a.hx as Tensor[]) : [a.hx as Tensor, null];
      cellInfer(mode, a);
      const r = cellDecompose(mode, a.input, h!, c ?? null, a.w_ih, a.w_hh, a.b_ih, a.b_hh);
      return mode === 'lstm' ? r : r[0];
    },
  };
}

// ------------------------------------------------------------------ multi-layer ops

const LAYER_ARGS = 'Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional';

function config(mode: RnnMode, a: Args, batchFirst: boolean): RnnConfig {
  return { mode, hasBiases: a.has_biases, numLayers: a.num_layers, bidirectional: a.bidirectional, batchFirst };
}

function states(mode: RnnMode, a: Args): [Tensor, Tensor | null] {
  if (mode !== 'lstm') return [a.hx as Tensor, null];
  const hx = a.hx as Tensor[];
  if (hx.length !== 2) throw new RangeError(`lstm: Expected hx to be a list of 2 tensors (h_0, c_0), got ${hx.length}`);
  return [hx[0]!, hx[1]!];
}

/** Dropout between layers in training mode (aten::dropout, so the generator is PyTorch-like). */
function layerDropout(a: Args, dtype: Tensor['dtype']): ((x: Float64Array, shape: number[]) => Float64Array) | undefined {
  if (!(a.train && a.dropout > 0 && a.num_layers > 1)) return undefined;
  return (x, shape) => {
    const t = Tensor.empty(shape, dtype);
    t.hostArray.set(x);
    const r = callOp('aten::dropout', [t, a.dropout, true]) as Tensor;
    const out = Float64Array.from(r.contiguousArray());
    t.dispose();
    r.dispose();
    return out;
  };
}

function layerInfer(mode: RnnMode, a: Args, packed: boolean): OutSpec[] {
  const x = (packed ? a.data : a.input) as Tensor;
  const [hx, cx] = states(mode, a);
  checkFloat([x], mode);
  sameDtype(x, [hx, cx, ...(a.params as Tensor[])]);
  if (a.dropout < 0 || a.dropout > 1) throw new RangeError(`dropout should be a number in range [0, 1] representing the probability of an element being zeroed, got ${a.dropout}`);
  let shapes: number[][];
  if (packed) {
    const bs = packedBatchSizes(x, a.batch_sizes);
    const { H, Hout, D } = rnnGeometry(config(mode, a, false), x.shape[1]!, bs[0] ?? hx.shape[1]!, hx, cx, a.params);
    shapes = [[x.shape[0]!, D * Hout], [...hx.shape]];
    if (cx) shapes.push([a.num_layers * D, hx.shape[1]!, H]);
  } else shapes = rnnInputShapes(config(mode, a, a.batch_first), x, hx, cx, a.params);
  return shapes.map((shape) => ({ shape, dtype: x.dtype }));
}

/**
 * The multi-layer recurrence from registry ops: per layer and direction, one cell op per time step,
 * stacked and concatenated. Used by backends without an rnn kernel (CPU runs the fused kernel).
 */
export function layersDecompose(mode: RnnMode, a: Args): Tensor[] {
  const input = a.input as Tensor;
  const [hx, cx] = states(mode, a);
  layerInfer(mode, a, false);
  const D = a.bidirectional ? 2 : 1;
  const L = a.num_layers as number;
  const params = a.params as Tensor[];
  const proj = mode === 'lstm' && cx !== null && cx.shape[2] !== hx.shape[2];
  const stride = (a.has_biases ? 4 : 2) + (proj ? 1 : 0);
  const owned: Tensor[] = [];
  const own = <T extends Tensor | Tensor[]>(t: T): T => {
    if (Array.isArray(t)) owned.push(...t);
    else owned.push(t);
    return t;
  };
  try {
    let x = a.batch_first ? own(callOp('aten::transpose', [input, 0, 1]) as Tensor) : input;
    const T = x.shape[0]!;
    const hs: Tensor[] = [], cs: Tensor[] = [];
    for (let l = 0; l < L; l++) {
      const dirOut: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        const p = params.slice(k * stride, (k + 1) * stride);
        let h = own(callOp('aten::select', [hx, 0, k]) as Tensor);
        let c = cx ? own(callOp('aten::select', [cx, 0, k]) as Tensor) : null;
        const steps = new Array<Tensor>(T);
        for (let s = 0; s < T; s++) {
          const t = d === 0 ? s : T - 1 - s;
          const xt = own(callOp('aten::select', [x, 0, t]) as Tensor);
          const r = own(cellDecompose(mode, xt, h, c, p[0]!, p[1]!, a.has_biases ? p[2]! : null, a.has_biases ? p[3]! : null));
          h = r[0]!;
          if (proj) h = own(callOp('aten::linear', [h, p[stride - 1]!, null]) as Tensor);
          if (mode === 'lstm') c = r[1]!;
          steps[t] = h;
        }
        hs.push(h);
        if (c) cs.push(c);
        dirOut.push(T ? own(callOp('aten::stack', [steps, 0]) as Tensor) : own(Tensor.empty([0, h.shape[0]!, h.shape[1]!], input.dtype)));
      }
      x = D === 2 ? own(callOp('aten::cat', [dirOut, 2]) as Tensor) : dirOut[0]!;
      if (a.train && a.dropout > 0 && l < L - 1) x = own(callOp('aten::dropout', [x, a.dropout, true]) as Tensor);
    }
    const out = a.batch_first ? (callOp('aten::contiguous', [own(callOp('aten::transpose', [x, 0, 1]) as Tensor)]) as Tensor) : (callOp('aten::clone', [x]) as Tensor);
    const hy = callOp('aten::stack', [hs, 0]) as Tensor;
    const res = [out, hy];
    if (cx) res.push(callOp('aten::stack', [cs, 0]) as Tensor);
    return res;
  } finally {
    for (const t of new Set(owned)) t.dispose();
  }
}

export function layerOverloads(mode: RnnMode): OverloadDecl[] {
  const hx = mode === 'lstm' ? 'Tensor[] hx' : 'Tensor hx';
  const ret = mode === 'lstm' ? '(Tensor, Tensor, Tensor)' : '(Tensor, Tensor)';
  return [
    {
      schema: `aten::${mode}.input(Tensor input, ${hx}, ${LAYER_ARGS}, bool batch_first) -> ${ret}`,
      infer: (a) => layerInfer(mode, a, false),
      cpu: (a, outs) => {
        const [h, c] = states(mode, a);
        rnnForward(config(mode, a, a.batch_first), a.input, h, c, a.params, outs, layerDropout(a, (a.input as Tensor).dtype));
      },
      decompose: (a) => layersDecompose(mode, a),
    },
    {
      schema: `aten::${mode}.data(Tensor data, Tensor batch_sizes, ${hx}, ${LAYER_ARGS}) -> ${ret}`,
      infer: (a) => layerInfer(mode, a, true),
      cpu: (a, outs) => {
        const [h, c] = states(mode, a);
        rnnPackedForward(config(mode, a, false), a.data, a.batch_sizes, h, c, a.params, outs, layerDropout(a, (a.data as Tensor).dtype));
      },
    },
  ];
}

export { GATES };
