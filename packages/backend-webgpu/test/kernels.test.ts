/**
 * Every webgpu kernel against the CPU reference kernels (fast-check): random shapes with odd
 * sizes, 0 and 1 dims, broadcasts and non-contiguous inputs (permuted, step-sliced, expanded views
 * made on the GPU tensor itself). Skipped, with a message, where no WebGPU adapter exists.
 */
import fc from 'fast-check';
import { Tensor, bindArgs, callOp, copyInto, getRegistry, manualSeed, runOverload, type DType } from '@torchlet/core';
import { describe, expect, it } from 'vitest';
import { expectClose, operand, randomTensor, rng, webgpu, type Tol } from './helpers.js';
import type { WebGPUBackend } from '../src/index.js';

const { be, reason } = await webgpu();
if (!be) console.warn(`webgpu kernel properties skipped: ${reason}`);

// SwiftShader compiles each new pipeline in 10-700 ms: a few runs per property keep the suite fast
// (TORCHLET_WEBGPU_RUNS=50 for a thorough pass)
const RUNS = Number(process.env.TORCHLET_WEBGPU_RUNS ?? 4);
/** rotates through variants across a property's runs (every one is still exercised) */
const turns = new Map<string, number>();
const pick = <T>(site: string, xs: readonly T[]): T => {
  const t = turns.get(site) ?? 0;
  turns.set(site, t + 1);
  return xs[t % xs.length]!;
};
const covered = new Set<string>();

const dimArb = fc.constantFrom(0, 1, 1, 2, 3, 3, 5, 7);
const shapeArb = (minRank = 0, maxRank = 4) => fc.array(fc.constantFrom(1, 2, 3, 5, 7, 1, 0), { minLength: minRank, maxLength: maxRank });
void dimArb;

/** A shape that broadcasts to `s`: leading dims dropped, some dims set to 1. */
function broadcastable(s: readonly number[], r: () => number): number[] {
  const drop = Math.floor(r() * (s.length + 1) * 0.5);
  return s.slice(drop).map((d) => (r() < 0.25 ? 1 : d));
}

function toList(v: unknown): Tensor[] {
  return (Array.isArray(v) ? v : [v]) as Tensor[];
}

/** Runs `op` on CPU and GPU operands (and plain extra args) and compares every output. */
async function compareOp(key: string, cpuArgs: unknown[], gpuArgs: unknown[], tol?: Tol, kwargs?: Record<string, unknown>): Promise<void> {
  covered.add(key);
  const ov = getRegistry().overload(key);
  if (!ov) throw new Error(`no overload ${key}`);
  const call = (args: unknown[]): unknown => {
    const b = bindArgs(ov, args, kwargs, true);
    if (typeof b === 'string') throw new Error(`${key}: ${b}`);
    return runOverload(ov, b);
  };
  let want: unknown;
  try {
    want = call(cpuArgs);
  } catch (e) {
    // the reference rejects these arguments: so must the GPU
    expect(() => call(gpuArgs), `${key} rejects on the CPU: ${(e as Error).message}`).toThrow();
    return;
  }
  const got = call(gpuArgs);
  const w = toList(want), g = toList(got);
  expect(g.length).toBe(w.length);
  for (let i = 0; i < w.length; i++) await expectClose(g[i]!, w[i]!, tol, `${key} output ${i}`);
  for (const t of [...w, ...g]) t.dispose();
}

const run = (name: string, prop: fc.IAsyncProperty<never>) =>
  it.skipIf(!be)(name, async () => {
    await fc.assert(prop, { numRuns: RUNS });
  });

function prop<T>(arb: fc.Arbitrary<T>, body: (be: WebGPUBackend, v: T, r: () => number) => Promise<void>): fc.IAsyncProperty<never> {
  return fc.asyncProperty(fc.integer(), arb, async (seed, v) => body(be!, v, rng(seed))) as unknown as fc.IAsyncProperty<never>;
}

describe('webgpu elementwise kernels match the CPU reference', () => {
  const unary: [string, [number, number]?, Tol?][] = [
    ['abs'], ['neg'], ['relu'], ['sigmoid'], ['tanh', [-12, 12]], ['exp'], ['exp2'], ['expm1'], ['log', [-1, 5]], ['log2', [-1, 5]], ['log10', [-1, 5]],
    ['log1p', [-1.5, 5]], ['sqrt', [-1, 9]], ['rsqrt', [0.1, 9]], ['reciprocal', [0.5, 4]], ['square'], ['sin', [-20, 20]], ['cos', [-20, 20]], ['atan'], ['erf'],
    ['floor'], ['ceil'], ['trunc'], ['round'], ['sign'], ['silu'], ['mish'], ['hardswish', [-5, 5]], ['hardsigmoid', [-5, 5]], ['relu6', [-2, 8]],
    ['isnan'], ['logical_not'],
  ];
  for (const [name, range, tol] of unary) {
    run(`${name}`, prop(shapeArb(), async (be, s, r) => {
      const x = operand(be, s, 'float32', r, range);
      await compareOp(`aten::${name}`, [x.cpu], [x.gpu], tol);
    }));
  }
  run('abs / neg / relu / sign / square on int32 and int64', prop(shapeArb(), async (be, s, r) => {
    for (const dt of ['int32', 'int64'] as DType[]) {
      const x = operand(be, s, dt, r, [-9, 9]);
      for (const n of ['abs', 'neg', 'relu', 'sign', 'square']) await compareOp(`aten::${n}`, [x.cpu], [x.gpu]);
    }
  }));
  run('unary ops with Scalar arguments (hardtanh, leaky_relu, elu, softplus, hardshrink, threshold, gelu)', prop(shapeArb(), async (be, s, r) => {
    const x = operand(be, s, 'float32', r, [-4, 4]);
    await compareOp('aten::hardtanh', [x.cpu, -0.5, 1.5], [x.gpu, -0.5, 1.5]);
    await compareOp('aten::leaky_relu', [x.cpu, 0.2], [x.gpu, 0.2]);
    await compareOp('aten::elu', [x.cpu, 1.3, 0.9, 1.1], [x.gpu, 1.3, 0.9, 1.1]);
    await compareOp('aten::softplus', [x.cpu, 2, 3], [x.gpu, 2, 3]);
    await compareOp('aten::hardshrink', [x.cpu, 0.7], [x.gpu, 0.7]);
    await compareOp('aten::threshold', [x.cpu, 0.3, -2], [x.gpu, 0.3, -2]);
    await compareOp('aten::gelu', [x.cpu], [x.gpu]);
    await compareOp('aten::gelu', [x.cpu], [x.gpu], undefined, { approximate: 'tanh' });
  }));

  const binary = ['add.Tensor', 'sub.Tensor', 'mul.Tensor', 'div.Tensor', 'maximum', 'minimum', 'eq.Tensor', 'ne.Tensor', 'lt.Tensor', 'le.Tensor', 'gt.Tensor', 'ge.Tensor', 'logical_and', 'logical_or', 'logical_xor', 'rsub.Tensor'];
  run('binary ops broadcast strided operands (float32)', prop(shapeArb(), async (be, s, r) => {
    for (const k of [0, 1, 2, 3].map(() => pick('binary', binary))) {
      const a = operand(be, broadcastable(s, r), 'float32', r);
      const b = operand(be, broadcastable(s, r), 'float32', r);
      await compareOp(`aten::${k}`, [a.cpu, b.cpu], [a.gpu, b.gpu]);
    }
  }));
  run('binary ops on integers, bools and mixed dtypes (promotion from infer)', prop(shapeArb(0, 3), async (be, s, r) => {
    const dts: DType[] = ['int32', 'int64', 'bool', 'float32'];
    for (const k of ['add.Tensor', 'sub.Tensor', 'mul.Tensor', 'div.Tensor', 'maximum', 'minimum', 'eq.Tensor', 'lt.Tensor', 'ge.Tensor', 'logical_xor']) {
      const da = dts[Math.floor(r() * 4)]!, db = dts[Math.floor(r() * 4)]!;
      if (k.startsWith('sub') && (da === 'bool' || db === 'bool')) continue;
      const a = operand(be, broadcastable(s, r), da, r, [-5, 5]);
      const b = operand(be, broadcastable(s, r), db, r, [1, 5]);
      await compareOp(`aten::${k}`, [a.cpu, b.cpu], [a.gpu, b.gpu]);
    }
  }));
  run('Scalar overloads and wrapped numbers (add/sub alpha, rsub, mul, div, comparisons)', prop(shapeArb(), async (be, s, r) => {
    const x = operand(be, s, 'float32', r);
    const v = Math.round((r() * 6 - 3) * 4) / 4;
    for (const k of ['add.Scalar', 'sub.Scalar', 'rsub.Scalar']) await compareOp(`aten::${k}`, [x.cpu, v, 2.5], [x.gpu, v, 2.5]);
    await compareOp('aten::add.Tensor', [x.cpu, x.cpu], [x.gpu, x.gpu], undefined, { alpha: -0.5 });
    for (const k of ['mul.Scalar', 'div.Scalar', 'eq.Scalar', 'ne.Scalar', 'lt.Scalar', 'le.Scalar', 'gt.Scalar', 'ge.Scalar']) await compareOp(`aten::${k}`, [x.cpu, v], [x.gpu, v]);
    const i = operand(be, s, 'int64', r, [-7, 7]);
    await compareOp('aten::mul.Tensor', [i.cpu, 3], [i.gpu, 3]);
    await compareOp('aten::mul.Tensor', [i.cpu, 0.5], [i.gpu, 0.5]);
    await compareOp('aten::add.Tensor', [i.cpu, true], [i.gpu, true]);
  }));
  run('div rounding modes and pow (float and integer)', prop(shapeArb(0, 3), async (be, s, r) => {
    const a = operand(be, broadcastable(s, r), 'float32', r, [-9, 9]);
    const b = operand(be, broadcastable(s, r), 'float32', r, [0.5, 3]);
    for (const mode of ['trunc', 'floor']) {
      await compareOp('aten::div.Tensor_mode', [a.cpu, b.cpu], [a.gpu, b.gpu], undefined, { rounding_mode: mode });
      await compareOp('aten::div.Scalar_mode', [a.cpu, -1.5], [a.gpu, -1.5], undefined, { rounding_mode: mode });
    }
    const ia = operand(be, broadcastable(s, r), 'int64', r, [-9, 9]);
    const ib = operand(be, broadcastable(s, r), 'int64', r, [1, 4]);
    await compareOp('aten::div.Tensor_mode', [ia.cpu, ib.cpu], [ia.gpu, ib.gpu], undefined, { rounding_mode: 'floor' });
    await compareOp('aten::div.Tensor_mode', [ia.cpu, ib.cpu], [ia.gpu, ib.gpu], undefined, { rounding_mode: 'trunc' });
    const e = operand(be, broadcastable(s, r), 'float32', r, [-3, 3]);
    await compareOp('aten::pow.Tensor_Tensor', [a.cpu, e.cpu], [a.gpu, e.gpu], { rtol: 2e-4, atol: 1e-5 });
    const ie = operand(be, broadcastable(s, r), 'int64', r, [0, 4]);
    await compareOp('aten::pow.Tensor_Tensor', [ia.cpu, ie.cpu], [ia.gpu, ie.gpu]);
    for (const p of [2, 3, 0.5, -1, 0, -2]) await compareOp('aten::pow.Tensor_Scalar', [a.cpu, p], [a.gpu, p], { rtol: 2e-4, atol: 1e-5 });
    await compareOp('aten::pow.Scalar', [2.5, e.cpu], [2.5, e.gpu], { rtol: 2e-4, atol: 1e-5 });
  }));
  run('where, masked_fill, clamp (scalar and tensor bounds)', prop(shapeArb(), async (be, s, r) => {
    const c = operand(be, broadcastable(s, r), 'bool', r);
    const a = operand(be, broadcastable(s, r), 'float32', r);
    const b = operand(be, s, 'float32', r);
    await compareOp('aten::where.self', [c.cpu, a.cpu, b.cpu], [c.gpu, a.gpu, b.gpu]);
    await compareOp('aten::where.ScalarOther', [c.cpu, a.cpu, 2], [c.gpu, a.gpu, 2]);
    await compareOp('aten::where.ScalarSelf', [c.cpu, -1.5, b.cpu], [c.gpu, -1.5, b.gpu]);
    await compareOp('aten::where.Scalar', [c.cpu, 1, 0], [c.gpu, 1, 0]);
    const m = operand(be, broadcastable(s, r), 'bool', r);
    await compareOp('aten::masked_fill.Scalar', [b.cpu, m.cpu, -7], [b.gpu, m.gpu, -7]);
    const fill = randomTensor([], 'float32', r);
    await compareOp('aten::masked_fill.Tensor', [b.cpu, m.cpu, fill], [b.gpu, m.gpu, fill]);
    await compareOp('aten::clamp', [b.cpu, -1, 0.5], [b.gpu, -1, 0.5]);
    await compareOp('aten::clamp', [b.cpu, null, 0.5], [b.gpu, null, 0.5]);
    await compareOp('aten::clamp', [b.cpu, -0.25], [b.gpu, -0.25]);
    await compareOp('aten::clamp_min', [b.cpu, 0.1], [b.gpu, 0.1]);
    await compareOp('aten::clamp_max', [b.cpu, 0.1], [b.gpu, 0.1]);
    const lo = operand(be, broadcastable(s, r), 'float32', r, [-3, 0]);
    const hi = operand(be, broadcastable(s, r), 'float32', r, [0, 3]);
    await compareOp('aten::clamp.Tensor', [b.cpu, lo.cpu, hi.cpu], [b.gpu, lo.gpu, hi.gpu]);
    await compareOp('aten::clamp_min.Tensor', [b.cpu, lo.cpu], [b.gpu, lo.gpu]);
    await compareOp('aten::clamp_max.Tensor', [b.cpu, hi.cpu], [b.gpu, hi.gpu]);
    const ib = operand(be, s, 'int64', r, [-9, 9]);
    await compareOp('aten::clamp', [ib.cpu, -2, 3], [ib.gpu, -2, 3]);
  }));
});

describe('webgpu copies, reductions, softmax and norms match the CPU reference', () => {
  run('clone / contiguous / _to_copy (dtype conversions) of strided views', prop(shapeArb(), async (be, s, r) => {
    const x = operand(be, s, 'float32', r, [-5, 5]);
    await compareOp('aten::clone', [x.cpu], [x.gpu]);
    for (const dt of ['int32', 'int64', 'bool', 'float32'] as DType[]) await compareOp('aten::_to_copy', [x.cpu], [x.gpu], undefined, { dtype: dt });
    const i = operand(be, s, 'int64', r, [-5, 5]);
    for (const dt of ['float32', 'bool', 'int32'] as DType[]) await compareOp('aten::_to_copy', [i.cpu], [i.gpu], undefined, { dtype: dt });
    const c = callOp('aten::contiguous', [x.gpu]) as Tensor;
    // (core's is_contiguous() is false for some empty tensors)
    if (c.numel() > 0) expect(c.is_contiguous()).toBe(true);
    await expectClose(c, x.cpu, undefined, 'contiguous');
  }));
  run('copy_ into strided destinations (broadcast source, CPU source, overlapping storage)', prop(shapeArb(1, 3), async (be, s, r) => {
    const d = operand(be, s, 'float32', r, undefined, false);
    const src = operand(be, broadcastable(s, r), 'float32', r);
    covered.add('aten::copy_');
    callOp('aten::copy_', [d.cpu, src.cpu]);
    callOp('aten::copy_', [d.gpu, src.gpu]);
    await expectClose(d.gpu, d.cpu, undefined, 'copy_');
    // from a CPU tensor (core's copyInto: the path of in-place ops and fill_)
    const host = operand(be, s, 'float32', r);
    copyInto(d.cpu, host.cpu);
    copyInto(d.gpu, host.cpu);
    await expectClose(d.gpu, d.cpu, undefined, 'copy_ from cpu');
    // source and destination share a storage (the transposed view): the GPU copies a snapshot
    // of the source (PyTorch refuses such copies; the CPU reference copies in place)
    const flip = (t: Tensor) => callOp('aten::permute', [t, [...Array(t.ndim).keys()].reverse()]) as Tensor;
    if (s.every((v) => v === s[0])) {
      callOp('aten::copy_', [d.cpu, callOp('aten::clone', [flip(d.cpu)])]);
      callOp('aten::copy_', [d.gpu, flip(d.gpu)]);
      await expectClose(d.gpu, d.cpu, undefined, 'copy_ overlapping');
    }
    // in-place ops go through copy_
    callOp('aten::add_', [d.cpu, src.cpu]);
    callOp('aten::add_', [d.gpu, src.gpu]);
    await expectClose(d.gpu, d.cpu, undefined, 'add_');
  }));
  run('cat along any dim (empty inputs included)', prop(shapeArb(1, 4), async (be, s, r) => {
    const dim = Math.floor(r() * s.length);
    const parts = [0, 1, 2].map(() => {
      const ps = [...s];
      ps[dim] = [0, 1, 2, 3][Math.floor(r() * 4)]!;
      return operand(be, ps, 'float32', r);
    });
    await compareOp('aten::cat', [parts.map((p) => p.cpu), dim - (r() < 0.5 ? s.length : 0)], [parts.map((p) => p.gpu), dim]);
  }));
  const dimsArb = shapeArb(0, 4).chain((s) => fc.tuple(fc.constant(s), fc.subarray([...Array(Math.max(s.length, 0)).keys()]), fc.boolean()));
  run('sum / mean / prod / amax / amin over any dims, keepdim', prop(dimsArb, async (be, [s, dims, keep], r) => {
    const x = operand(be, s, 'float32', r, [-2, 2]);
    const tol = { rtol: 1e-4, atol: 1e-4 };
    await compareOp('aten::sum.dim_IntList', [x.cpu, dims, keep], [x.gpu, dims, keep], tol);
    await compareOp('aten::mean.dim', [x.cpu, dims, keep], [x.gpu, dims, keep], tol);
    if (s.every((v) => v > 0)) {
      await compareOp('aten::amax', [x.cpu, dims, keep], [x.gpu, dims, keep]);
      await compareOp('aten::amin', [x.cpu, dims, keep], [x.gpu, dims, keep]);
      await compareOp('aten::max', [x.cpu], [x.gpu]);
      await compareOp('aten::min', [x.cpu], [x.gpu]);
    }
    await compareOp('aten::sum', [x.cpu], [x.gpu], tol);
    await compareOp('aten::mean', [x.cpu], [x.gpu], tol);
    const p = operand(be, s, 'float32', r, [0.7, 1.3]);
    await compareOp('aten::prod', [p.cpu], [p.gpu], { rtol: 1e-3, atol: 1e-5 });
    if (s.length) await compareOp('aten::prod.dim_int', [p.cpu, dims[0] ?? 0, keep], [p.gpu, dims[0] ?? 0, keep], { rtol: 1e-3, atol: 1e-5 });
    const i = operand(be, s, 'int64', r, [-9, 9]);
    await compareOp('aten::sum.dim_IntList', [i.cpu, dims, keep], [i.gpu, dims, keep]);
    const b = operand(be, s, 'bool', r);
    await compareOp('aten::sum', [b.cpu], [b.gpu]);
  }));
  run('reductions over long rows (the workgroup path)', prop(fc.constantFrom([3, 200], [1000], [2, 77, 3]), async (be, s, r) => {
    const x = operand(be, s, 'float32', r, [-2, 2]);
    const tol = { rtol: 1e-4, atol: 5e-4 };
    for (const d of [...Array(s.length).keys()]) {
      await compareOp('aten::sum.dim_IntList', [x.cpu, [d]], [x.gpu, [d]], tol);
      await compareOp('aten::amax', [x.cpu, [d]], [x.gpu, [d]]);
    }
    await compareOp('aten::mean', [x.cpu], [x.gpu], tol);
  }));
  run('softmax / log_softmax along any dim of strided inputs', prop(shapeArb(0, 4), async (be, s, r) => {
    const dim = s.length ? Math.floor(r() * s.length) - (r() < 0.5 ? s.length : 0) : 0;
    const x = operand(be, s, 'float32', r, [-8, 8]);
    await compareOp('aten::softmax.int', [x.cpu, dim], [x.gpu, dim]);
    await compareOp('aten::log_softmax.int', [x.cpu, dim], [x.gpu, dim]);
    await compareOp('aten::_softmax', [x.cpu, dim, false], [x.gpu, dim, false]);
    await compareOp('aten::_log_softmax', [x.cpu, dim, false], [x.gpu, dim, false]);
  }));
  run('native_layer_norm over trailing dims (weight/bias optional)', prop(shapeArb(1, 4), async (be, s, r) => {
    const k = 1 + Math.floor(r() * s.length);
    const ns = s.slice(s.length - k);
    const x = operand(be, s, 'float32', r);
    const w = r() < 0.7 ? operand(be, ns, 'float32', r) : null;
    const b = r() < 0.7 ? operand(be, ns, 'float32', r) : null;
    await compareOp('aten::native_layer_norm', [x.cpu, ns, w?.cpu ?? null, b?.cpu ?? null, 1e-5], [x.gpu, ns, w?.gpu ?? null, b?.gpu ?? null, 1e-5], { rtol: 1e-3, atol: 1e-4 });
  }));
  run('native_batch_norm in eval mode (per-channel stats, weight/bias optional)', prop(shapeArb(2, 4), async (be, s, r) => {
    const C = s[1]!;
    const x = operand(be, s, 'float32', r);
    const m = operand(be, [C], 'float32', r);
    const v = operand(be, [C], 'float32', r, [0.2, 2]);
    const w = r() < 0.7 ? operand(be, [C], 'float32', r) : null;
    const b = r() < 0.7 ? operand(be, [C], 'float32', r) : null;
    await compareOp('aten::native_batch_norm', [x.cpu, w?.cpu ?? null, b?.cpu ?? null, m.cpu, v.cpu, false, 0.1, 1e-5], [x.gpu, w?.gpu ?? null, b?.gpu ?? null, m.gpu, v.gpu, false, 0.1, 1e-5], { rtol: 1e-4, atol: 1e-4 });
  }));
});

describe('webgpu matmul, convolution and pooling match the CPU reference', () => {
  const mnk = fc.tuple(fc.constantFrom(1, 2, 3, 17, 33), fc.constantFrom(1, 2, 5, 31, 40), fc.constantFrom(0, 1, 3, 16, 19, 37));
  const tol = { rtol: 1e-4, atol: 1e-4 };
  run('mm / bmm / matmul (1-d, batched, broadcast batch dims, transposed operands)', prop(fc.tuple(mnk, fc.constantFrom(1, 2, 3)), async (be, [[M, N, K], B], r) => {
    const a = operand(be, [M, K], 'float32', r), b = operand(be, [K, N], 'float32', r);
    await compareOp('aten::mm', [a.cpu, b.cpu], [a.gpu, b.gpu], tol);
    const ba = operand(be, [B, M, K], 'float32', r), bb = operand(be, [B, K, N], 'float32', r);
    await compareOp('aten::bmm', [ba.cpu, bb.cpu], [ba.gpu, bb.gpu], tol);
    const va = operand(be, [K], 'float32', r), vb = operand(be, [K], 'float32', r);
    await compareOp('aten::matmul', [va.cpu, vb.cpu], [va.gpu, vb.gpu], tol);
    await compareOp('aten::matmul', [ba.cpu, vb.cpu], [ba.gpu, vb.gpu], tol);
    await compareOp('aten::matmul', [va.cpu, bb.cpu], [va.gpu, bb.gpu], tol);
    const c4 = operand(be, [2, 1, M, K], 'float32', r);
    await compareOp('aten::matmul', [c4.cpu, bb.cpu], [c4.gpu, bb.gpu], tol);
    await compareOp('aten::mv', [a.cpu, va.cpu], [a.gpu, va.gpu], tol);
    const ia = operand(be, [M, K], 'int64', r, [-4, 4]), ib = operand(be, [K, N], 'int64', r, [-4, 4]);
    await compareOp('aten::mm', [ia.cpu, ib.cpu], [ia.gpu, ib.gpu]);
  }));
  run('addmm / baddbmm / linear with broadcast bias, alpha and beta', prop(mnk, async (be, [M, N, K], r) => {
    const a = operand(be, [M, K], 'float32', r), b = operand(be, [K, N], 'float32', r);
    const bias = operand(be, broadcastable([M, N], r), 'float32', r);
    await compareOp('aten::addmm', [bias.cpu, a.cpu, b.cpu], [bias.gpu, a.gpu, b.gpu], tol, { beta: 0.5, alpha: 2 });
    await compareOp('aten::addmm', [bias.cpu, a.cpu, b.cpu], [bias.gpu, a.gpu, b.gpu], tol);
    const ba = operand(be, [2, M, K], 'float32', r), bb = operand(be, [2, K, N], 'float32', r);
    await compareOp('aten::baddbmm', [bias.cpu, ba.cpu, bb.cpu], [bias.gpu, ba.gpu, bb.gpu], tol, { beta: -1, alpha: 0.5 });
    const x = operand(be, [3, M, K], 'float32', r), w = operand(be, [N, K], 'float32', r), lb = operand(be, [N], 'float32', r);
    await compareOp('aten::linear', [x.cpu, w.cpu, lb.cpu], [x.gpu, w.gpu, lb.gpu], tol);
    await compareOp('aten::linear', [a.cpu, w.cpu], [a.gpu, w.gpu], tol);
    const x1 = operand(be, [K], 'float32', r);
    await compareOp('aten::linear', [x1.cpu, w.cpu, lb.cpu], [x1.gpu, w.gpu, lb.gpu], tol);
  }));
  const convArb = fc.record({
    n: fc.constantFrom(1, 2), g: fc.constantFrom(1, 2, 3), cin: fc.constantFrom(1, 2), cout: fc.constantFrom(1, 3),
    h: fc.constantFrom(1, 4, 7, 9), w: fc.constantFrom(1, 5, 8), kh: fc.constantFrom(1, 2, 3), kw: fc.constantFrom(1, 3),
    stride: fc.constantFrom(1, 2, 3), pad: fc.constantFrom(0, 1, 2), dil: fc.constantFrom(1, 2), bias: fc.boolean(),
  });
  run('convolution: groups, stride, padding, dilation, strided input, 1-d and transposed', prop(convArb, async (be, c, r) => {
    const Cin = c.cin * c.g, Cout = c.cout * c.g;
    const x = operand(be, [c.n, Cin, c.h, c.w], 'float32', r, [-1, 1], false);
    const w = operand(be, [Cout, c.cin, c.kh, c.kw], 'float32', r, [-1, 1], false);
    const b = operand(be, [Cout], 'float32', r, [-1, 1], false);
    const bias = c.bias ? b : null;
    const common = [[c.stride, 1], [c.pad, Math.min(c.pad, 1)], [c.dil, 1], false, [0, 0], c.g];
    await compareOp('aten::convolution', [x.cpu, w.cpu, bias?.cpu ?? null, ...common], [x.gpu, w.gpu, bias?.gpu ?? null, ...common], tol);
    await compareOp('aten::conv2d', [x.cpu, w.cpu, bias?.cpu ?? null, c.stride, c.pad, c.dil, c.g], [x.gpu, w.gpu, bias?.gpu ?? null, c.stride, c.pad, c.dil, c.g], tol);
    const x1 = operand(be, [c.n, Cin, c.w + 3], 'float32', r, [-1, 1], false);
    const w1 = operand(be, [Cout, c.cin, c.kw], 'float32', r, [-1, 1], false);
    await compareOp('aten::conv1d', [x1.cpu, w1.cpu, bias?.cpu ?? null, c.stride, c.pad, c.dil, c.g], [x1.gpu, w1.gpu, bias?.gpu ?? null, c.stride, c.pad, c.dil, c.g], tol);
    // wide enough for the implicit-GEMM path (>= 16 output channels per group and K >= 16)
    const wide = 16 + Math.floor(r() * 20), wideIn = 8 + Math.floor(r() * 10);
    const xw = operand(be, [c.n, wideIn * c.g, c.h, c.w], 'float32', r, [-1, 1], false);
    const ww = operand(be, [wide * c.g, wideIn, c.kh, c.kw], 'float32', r, [-1, 1], false);
    const bw = c.bias ? operand(be, [wide * c.g], 'float32', r, [-1, 1], false) : null;
    const wargs = (d: 'cpu' | 'gpu') => [xw[d], ww[d], bw?.[d] ?? null, [c.stride, 1], [c.pad, Math.min(c.pad, 1)], [c.dil, 1], false, [0, 0], c.g];
    await compareOp('aten::convolution', wargs('cpu'), wargs('gpu'), { rtol: 1e-4, atol: 2e-4 });
    // transposed: weight [Cin, Cout/G, kh, kw]
    const wt = operand(be, [Cin, c.cout, c.kh, c.kw], 'float32', r, [-1, 1], false);
    const op = Math.max(0, Math.min(c.stride, c.dil) - 1);
    const targs = [[c.stride, c.stride], [c.pad, c.pad], [c.dil, c.dil], true, [op, 0], c.g];
    await compareOp('aten::convolution', [x.cpu, wt.cpu, bias?.cpu ?? null, ...targs], [x.gpu, wt.gpu, bias?.gpu ?? null, ...targs], tol);
  }));
  run('fused conv2d / linear epilogues (residual, clamp bounds; broadcasting residuals decompose)', prop(fc.tuple(convArb, fc.constantFrom(null, -0.5, 0), fc.constantFrom(null, 0.25, 6), fc.constantFrom('none', 'same', 'chan', 'up')), async (be, [c, lo, hi, rk], r) => {
    const Cin = c.cin * c.g, Cout = c.cout * c.g;
    const x = operand(be, [c.n, Cin, c.h, c.w], 'float32', r, [-1, 1], false);
    const w = operand(be, [Cout, c.cin, c.kh, c.kw], 'float32', r, [-1, 1], false);
    const b = c.bias ? operand(be, [Cout], 'float32', r, [-1, 1], false) : null;
    const oh = Math.floor((c.h + 2 * c.pad - c.dil * (c.kh - 1) - 1) / c.stride) + 1, ow = Math.floor((c.w + 2 * c.pad - c.dil * (c.kw - 1) - 1) / c.stride) + 1;
    if (oh <= 0 || ow <= 0) return;
    const rs = rk === 'none' ? null : rk === 'same' ? [c.n, Cout, oh, ow] : rk === 'chan' ? [Cout, 1, 1] : [3, c.n, Cout, oh, ow];
    const res = rs ? operand(be, rs, 'float32', r) : null;
    const args = (d: 'cpu' | 'gpu') => [x[d], w[d], b?.[d] ?? null, [c.stride, c.stride], [c.pad, c.pad], [c.dil, c.dil], c.g, res?.[d] ?? null, lo, hi];
    await compareOp('torchlet::conv2d_fused', args('cpu'), args('gpu'), tol);
    // through the implicit GEMM (wide channels)
    const W2 = operand(be, [16 * c.g, c.cin * 8, c.kh, c.kw], 'float32', r, [-1, 1], false);
    const X2 = operand(be, [c.n, c.cin * 8 * c.g, c.h, c.w], 'float32', r, [-1, 1], false);
    const R2 = rs ? operand(be, rs.length === 4 ? [c.n, 16 * c.g, oh, ow] : rs.length === 3 ? [16 * c.g, 1, 1] : [3, c.n, 16 * c.g, oh, ow], 'float32', r) : null;
    const args2 = (d: 'cpu' | 'gpu') => [X2[d], W2[d], null, [c.stride, c.stride], [c.pad, c.pad], [c.dil, c.dil], c.g, R2?.[d] ?? null, lo, hi];
    await compareOp('torchlet::conv2d_fused', args2('cpu'), args2('gpu'), { rtol: 1e-4, atol: 2e-4 });
    const M = c.h, K = c.w, N = c.cout + 2;
    const lx = operand(be, [c.n, M, K], 'float32', r), lw = operand(be, [N, K], 'float32', r), lb = operand(be, [N], 'float32', r);
    const lrs = rk === 'none' ? null : rk === 'same' ? [c.n, M, N] : rk === 'chan' ? [N] : [2, c.n, M, N];
    const lres = lrs ? operand(be, lrs, 'float32', r) : null;
    const largs = (d: 'cpu' | 'gpu') => [lx[d], lw[d], c.bias ? lb[d] : null, lres?.[d] ?? null, lo, hi];
    await compareOp('torchlet::linear_fused', largs('cpu'), largs('gpu'), tol);
  }));
  const poolArb = fc.record({
    lead: fc.constantFrom([2, 3], [3], [1, 2]), h: fc.constantFrom(1, 4, 7, 8), w: fc.constantFrom(1, 5, 6),
    k: fc.constantFrom(1, 2, 3), s: fc.constantFrom(1, 2, 3), p: fc.constantFrom(0, 1), d: fc.constantFrom(1, 2), ceil: fc.boolean(), incl: fc.boolean(), div: fc.constantFrom(null, 3),
    oh: fc.constantFrom(1, 2, 3, 5), ow: fc.constantFrom(1, 3, 4),
  });
  run('max_pool2d (indices, dilation, ceil_mode), avg_pool2d (count_include_pad, divisor), adaptive_avg_pool2d', prop(poolArb, async (be, c, r) => {
    const x = operand(be, [...c.lead, c.h, c.w], 'float32', r, [-2, 2]);
    const k = [c.k, Math.max(1, c.k - 1)], p = [Math.min(c.p, Math.floor(k[0]! / 2)), Math.min(c.p, Math.floor(k[1]! / 2))];
    await compareOp('aten::max_pool2d', [x.cpu, k, [c.s, c.s], p, [c.d, 1], c.ceil], [x.gpu, k, [c.s, c.s], p, [c.d, 1], c.ceil]);
    await compareOp('aten::max_pool2d_with_indices', [x.cpu, k, [], p, [1, c.d], c.ceil], [x.gpu, k, [], p, [1, c.d], c.ceil]);
    await compareOp('aten::avg_pool2d', [x.cpu, k, [c.s, 1], p, c.ceil, c.incl, c.div], [x.gpu, k, [c.s, 1], p, c.ceil, c.incl, c.div]);
    await compareOp('aten::adaptive_avg_pool2d', [x.cpu, [c.oh, c.ow]], [x.gpu, [c.oh, c.ow]]);
    await compareOp('aten::_adaptive_avg_pool2d', [x.cpu, [c.ow, c.oh]], [x.gpu, [c.ow, c.oh]]);
  }));
});

describe('webgpu factories match the CPU reference', () => {
  run('zeros / ones / full / empty, their *_like and new_* forms, rand_like / randn_like (same seed)', prop(shapeArb(), async (be, s, r) => {
    const dt: DType = (['float32', 'int64', 'bool'] as DType[])[Math.floor(r() * 3)]!;
    const x = operand(be, s, dt, r);
    const v = dt === 'bool' ? true : dt === 'int64' ? -3 : 2.5;
    covered.add('aten::zeros').add('aten::ones').add('aten::full').add('aten::empty.memory_format');
    for (const [k, extra] of [['zeros', []], ['ones', []], ['full', [v]]] as const) {
      const c = callOp(`aten::${k}`, [s, ...extra], { dtype: dt }) as Tensor;
      const g = callOp(`aten::${k}`, [s, ...extra], { dtype: dt, device: 'webgpu' }) as Tensor;
      await expectClose(g, c, undefined, k);
    }
    const e = callOp('aten::empty', [s], { device: 'webgpu' }) as Tensor;
    expect([e.device, e.shape, e.dtype]).toEqual(['webgpu', s, 'float32']);
    for (const k of ['zeros_like', 'ones_like']) await compareOp(`aten::${k}`, [x.cpu], [x.gpu]);
    await compareOp('aten::full_like', [x.cpu, v], [x.gpu, v]);
    for (const k of ['new_zeros', 'new_ones']) await compareOp(`aten::${k}`, [x.cpu, [2, 3]], [x.gpu, [2, 3]]);
    await compareOp('aten::new_full', [x.cpu, [3], v], [x.gpu, [3], v]);
    covered.add('aten::empty_like').add('aten::new_empty');
    const el = callOp('aten::empty_like', [x.gpu]) as Tensor, ne = callOp('aten::new_empty', [x.gpu, [4]]) as Tensor;
    expect([el.device, el.shape, el.dtype, ne.device, ne.shape]).toEqual(['webgpu', s, dt, 'webgpu', [4]]);
    const f = operand(be, s, 'float32', r);
    for (const k of ['rand_like', 'randn_like']) {
      const seed = Math.floor(r() * 1e6);
      manualSeed(seed);
      const c = callOp(`aten::${k}`, [f.cpu]) as Tensor;
      manualSeed(seed);
      const g = callOp(`aten::${k}`, [f.gpu]) as Tensor;
      covered.add(`aten::${k}`);
      await expectClose(g, c, { rtol: 0, atol: 0 }, k);
    }
  }));
});

describe('webgpu reductions with indices, moments, scans', () => {
  const dimsArb = shapeArb(0, 4).chain((s) => fc.tuple(fc.constant(s), fc.subarray([...Array(s.length).keys()]), fc.boolean()));
  run('var / std / var_mean / std_mean (dims, correction, keepdim)', prop(dimsArb, async (be, [s, dims, keep], r) => {
    const x = operand(be, s, 'float32', r, [-2, 2]);
    const tol = { rtol: 1e-3, atol: 1e-4 };
    const corr = [0, 1, 2][Math.floor(r() * 3)]!;
    const n = pick('moments', ['var', 'std', 'var_mean', 'std_mean']);
    await compareOp(`aten::${n}.correction`, [x.cpu, dims], [x.gpu, dims], tol, { correction: corr, keepdim: keep });
    await compareOp(`aten::${n}.dim`, [x.cpu, dims, corr !== 0, keep], [x.gpu, dims, corr !== 0, keep], tol);
    await compareOp(`aten::${n}`, [x.cpu, false], [x.gpu, false], tol);
  }));
  run('any / all / logsumexp over dims', prop(dimsArb, async (be, [s, dims, keep], r) => {
    {
      const x = operand(be, s, pick('logical', ['bool', 'float32', 'int64'] as DType[]), r, [-1, 1]);
      await compareOp('aten::any', [x.cpu], [x.gpu]);
      await compareOp('aten::all', [x.cpu], [x.gpu]);
      if (s.length) {
        const d = dims[0] ?? 0;
        await compareOp('aten::any.dim', [x.cpu, d, keep], [x.gpu, d, keep]);
        await compareOp('aten::all.dim', [x.cpu, d, keep], [x.gpu, d, keep]);
      }
    }
    const x = operand(be, s, 'float32', r, [-30, 30]);
    await compareOp('aten::logsumexp', [x.cpu, dims, keep], [x.gpu, dims, keep], { rtol: 1e-4, atol: 1e-4 });
  }));
  run('argmax / argmin / max.dim / min.dim (ties and NaN: first index wins)', prop(shapeArb(1, 4).filter((s) => s.every((d) => d > 0)), async (be, s, r) => {
    const d = Math.floor(r() * s.length);
    const keep = r() < 0.5;
    // small integer range: many ties
    const xi = operand(be, s, 'int64', r, [-2, 2]);
    const xf = operand(be, s, 'float32', r, [-2, 2]);
    const base = randomTensor(s, 'float32', r, [-1, 1]);
    const nanAt = Math.floor(r() * base.numel());
    (base.hostArray as Float32Array)[nanAt] = r() < 0.5 ? NaN : (base.hostArray as Float32Array)[nanAt]!;
    const xn = { cpu: base, gpu: base.to('webgpu') };
    const x = pick('arg-input', [xi, xf, xn]);
    const n = pick('arg-op', ['argmax', 'argmin']);
    await compareOp(`aten::${n}`, [x.cpu, d, keep], [x.gpu, d, keep]);
    await compareOp(`aten::${n}`, [x.cpu], [x.gpu]);
    await compareOp(`aten::${n === 'argmax' ? 'max' : 'min'}.dim`, [x.cpu, d, keep], [x.gpu, d, keep]);
    const long = operand(be, [3, 150], 'int64', r, [-3, 3]);
    await compareOp('aten::argmax', [long.cpu, 1], [long.gpu, 1]);
    await compareOp('aten::min.dim', [long.cpu, 1], [long.gpu, 1]);
  }));
  run('cumsum / cumprod along any dim', prop(shapeArb(0, 4), async (be, s, r) => {
    const d = s.length ? Math.floor(r() * s.length) : 0;
    const x = operand(be, s, 'float32', r, [-1, 1]);
    await compareOp('aten::cumsum', [x.cpu, d], [x.gpu, d], { rtol: 1e-4, atol: 1e-5 });
    const p = operand(be, s, 'float32', r, [0.8, 1.2]);
    await compareOp('aten::cumprod', [p.cpu, d], [p.gpu, d], { rtol: 1e-4, atol: 1e-5 });
    const i = operand(be, s, 'int64', r, [-3, 3]);
    await compareOp('aten::cumsum', [i.cpu, d], [i.gpu, d]);
  }));
});

describe('webgpu pointwise extras, shape and indexing kernels', () => {
  run('addcmul / addcdiv / lerp / fmod / remainder / bitwise_not / log_sigmoid / prelu / glu', prop(shapeArb(1, 4), async (be, s, r) => {
    const a = operand(be, s, 'float32', r), b = operand(be, broadcastable(s, r), 'float32', r), c = operand(be, broadcastable(s, r), 'float32', r, [0.5, 2]);
    await compareOp('aten::addcmul', [a.cpu, b.cpu, c.cpu], [a.gpu, b.gpu, c.gpu], undefined, { value: -0.5 });
    await compareOp('aten::addcdiv', [a.cpu, b.cpu, c.cpu], [a.gpu, b.gpu, c.gpu], undefined, { value: 2 });
    await compareOp('aten::lerp.Scalar', [a.cpu, b.cpu, 0.3], [a.gpu, b.gpu, 0.3]);
    await compareOp('aten::lerp.Scalar', [a.cpu, b.cpu, 0.8], [a.gpu, b.gpu, 0.8]);
    await compareOp('aten::lerp.Tensor', [a.cpu, b.cpu, c.cpu], [a.gpu, b.gpu, c.gpu]);
    const y = operand(be, broadcastable(s, r), 'float32', r, [0.4, 2]);
    await compareOp('aten::fmod.Tensor', [a.cpu, y.cpu], [a.gpu, y.gpu]);
    await compareOp('aten::fmod.Scalar', [a.cpu, -0.7], [a.gpu, -0.7]);
    await compareOp('aten::remainder.Tensor', [a.cpu, y.cpu], [a.gpu, y.gpu]);
    await compareOp('aten::remainder.Scalar', [a.cpu, -0.7], [a.gpu, -0.7]);
    await compareOp('aten::remainder.Scalar_Tensor', [2.5, y.cpu], [2.5, y.gpu]);
    const i = operand(be, s, 'int64', r, [-9, 9]), j = operand(be, broadcastable(s, r), 'int64', r, [1, 4]);
    await compareOp('aten::remainder.Tensor', [i.cpu, j.cpu], [i.gpu, j.gpu]);
    await compareOp('aten::fmod.Tensor', [i.cpu, j.cpu], [i.gpu, j.gpu]);
    await compareOp('aten::bitwise_not', [i.cpu], [i.gpu]);
    const bb = operand(be, s, 'bool', r);
    await compareOp('aten::bitwise_not', [bb.cpu], [bb.gpu]);
    await compareOp('aten::log_sigmoid', [a.cpu], [a.gpu]);
    const C = s.length > 1 ? s[1]! : 1;
    const w = operand(be, [r() < 0.5 ? 1 : C], 'float32', r);
    await compareOp('aten::prelu', [a.cpu, w.cpu], [a.gpu, w.gpu]);
    const d = Math.floor(r() * s.length);
    const gs = [...s];
    gs[d] = 2 * Math.max(1, s[d]!);
    const g = operand(be, gs, 'float32', r);
    await compareOp('aten::glu', [g.cpu, d], [g.gpu, d]);
  }));
  run('flip / repeat / roll / tril / triu / constant_pad_nd / pixel_shuffle', prop(shapeArb(1, 4), async (be, s, r) => {
    const x = operand(be, s, 'float32', r);
    const dims = [...Array(s.length).keys()].filter(() => r() < 0.5);
    await compareOp('aten::flip', [x.cpu, dims], [x.gpu, dims]);
    const reps = [...(r() < 0.5 ? [2] : []), ...s.map(() => 1 + Math.floor(r() * 3))];
    await compareOp('aten::repeat', [x.cpu, reps], [x.gpu, reps]);
    const rd = dims.length ? dims : [];
    const shifts = rd.length ? rd.map(() => Math.floor(r() * 9) - 4) : [Math.floor(r() * 9) - 4];
    await compareOp('aten::roll', [x.cpu, shifts, rd], [x.gpu, shifts, rd]);
    if (s.length >= 2) {
      const dg = Math.floor(r() * 5) - 2;
      await compareOp('aten::tril', [x.cpu, dg], [x.gpu, dg]);
      await compareOp('aten::triu', [x.cpu, dg], [x.gpu, dg]);
    }
    const pad = s.slice(0, Math.min(s.length, 3)).flatMap(() => [Math.floor(r() * 4) - 1, Math.floor(r() * 4) - 1]);
    await compareOp('aten::constant_pad_nd', [x.cpu, pad, 1.5], [x.gpu, pad, 1.5]);
    const up = 1 + Math.floor(r() * 2);
    const ps = operand(be, [2, 3 * up * up, 2, 3], 'float32', r);
    await compareOp('aten::pixel_shuffle', [ps.cpu, up], [ps.gpu, up]);
  }));
  run('reflect / replicate / circular padding (1-3 trailing dims, negative circular pads)', prop(fc.array(fc.constantFrom(2, 3, 5), { minLength: 3, maxLength: 3 }), async (be, sp, r) => {
    const k = pick('pad-rank', [1, 2, 3]);
    const s = [2, ...sp.slice(0, k)];
    if (r() < 0.5) s.unshift(2);
    const x = operand(be, s, 'float32', r);
    const rp = s.slice(-k).reverse().flatMap((v) => [Math.floor(r() * v), Math.floor(r() * v)]);
    await compareOp(`aten::reflection_pad${k}d`, [x.cpu, rp], [x.gpu, rp]);
    await compareOp(`aten::replication_pad${k}d`, [x.cpu, rp], [x.gpu, rp]);
    const cp = s.slice(-k).reverse().flatMap((v) => [Math.floor(r() * v) - (r() < 0.3 ? 1 : 0), Math.floor(r() * v)]);
    await compareOp('aten::_pad_circular', [x.cpu, cp], [x.gpu, cp]);
  }));
  run('index_select / embedding / gather (negative dims, int32 indices)', prop(shapeArb(1, 4).filter((s) => s.every((d) => d > 0)), async (be, s, r) => {
    const x = operand(be, s, 'float32', r);
    const d = Math.floor(r() * s.length);
    const n = Math.floor(r() * 5);
    const idx = Tensor.fromArray(Float64Array.from({ length: n }, () => Math.floor(r() * s[d]!)), [n], 'int64');
    await compareOp('aten::index_select', [x.cpu, d, idx], [x.gpu, d, idx.to('webgpu')]);
    const i32 = idx.to('int32');
    await compareOp('aten::index_select', [x.cpu, d - s.length, i32], [x.gpu, d - s.length, i32.to('webgpu')]);
    const V = s[0]!, E = s[s.length - 1]!;
    const w = operand(be, [V, E], 'float32', r);
    const ishape = [2, 3].slice(0, 1 + Math.floor(r() * 2));
    const ids = Tensor.fromArray(Float64Array.from({ length: ishape.reduce((p, q) => p * q, 1) }, () => Math.floor(r() * V)), ishape, 'int64');
    await compareOp('aten::embedding', [w.cpu, ids], [w.gpu, ids.to('webgpu')]);
    await compareOp('torchlet::embedding', [ids, w.cpu], [ids.to('webgpu'), w.gpu]);
    const gshape = s.map((v, k) => (k === d ? 1 + Math.floor(r() * 3) : Math.max(1, v - Math.floor(r() * 2))));
    const gidx = Tensor.fromArray(Float64Array.from({ length: gshape.reduce((p, q) => p * q, 1) }, () => Math.floor(r() * s[d]!)), gshape, 'int64');
    await compareOp('aten::gather', [x.cpu, d, gidx], [x.gpu, d, gidx.to('webgpu')]);
  }));
  run('scaled_dot_product_attention (float / bool / causal masks, scale) and 1-d pooling', prop(fc.tuple(fc.constantFrom(1, 3, 5), fc.constantFrom(1, 4, 6), fc.constantFrom(2, 8), fc.constantFrom('none', 'float', 'bool', 'causal')), async (be, [L, S, E, mk], r) => {
    const q = operand(be, [2, L, E], 'float32', r), k = operand(be, [2, S, E], 'float32', r), v = operand(be, [1, S, 3], 'float32', r);
    const mask = mk === 'float' ? operand(be, [L, S], 'float32', r) : mk === 'bool' ? operand(be, [2, 1, S], 'bool', r) : null;
    const causal = mk === 'causal';
    const scale = r() < 0.5 ? null : 0.3;
    await compareOp('aten::scaled_dot_product_attention', [q.cpu, k.cpu, v.cpu, mask?.cpu ?? null, 0, causal], [q.gpu, k.gpu, v.gpu, mask?.gpu ?? null, 0, causal], { rtol: 1e-4, atol: 1e-5 }, { scale });
    const x = operand(be, [2, 3, 4 + L], 'float32', r);
    await compareOp('aten::max_pool1d', [x.cpu, [2], [], [1], [1], false], [x.gpu, [2], [], [1], [1], false]);
    await compareOp('aten::max_pool1d', [x.cpu, [3], [2], [0], [2], true], [x.gpu, [3], [2], [0], [2], true]);
    const incl = r() < 0.5;
    await compareOp('aten::avg_pool1d', [x.cpu, [3], [1], [1], false, incl], [x.gpu, [3], [1], [1], false, incl]);
    await compareOp('aten::adaptive_avg_pool1d', [x.cpu, [E]], [x.gpu, [E]]);
  }));
});

describe('webgpu kernel coverage', () => {
  it.skipIf(!be)('every registered webgpu kernel is exercised by a property above', async () => {
    const { registeredKeys } = await import('../src/index.js');
    const missing = registeredKeys.filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });
});
