import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSampleFile } from '../../conformance/src/aten.js';
import { callFunction, callMethod, callOp, getRegistry, functions as torch, nnFunctional as F, manualSeed, storageArrayCtor, tensor, Tensor, tidy, type DType } from '../src/index.js';
import { digamma, erf, erfc, erfinv, geluErf, geluTanh, i0, lgamma } from '../src/cpu/pointwise_math.js';
import { promote } from '../src/cpu/pointwise.js';
import { caster } from '../src/cpu/pointwise_kernels.js';
import { expectClose } from './helpers.js';

const ROOT = join(__dirname, '../../../test-models');

// ---------------------------------------------------------------- fixtures made by PyTorch 1.13
// test-models/pointwise/make_cases.py: every op over dtype grids, Python scalars, 0-d, strided
// and empty inputs, with PyTorch's result dtype, values, or the error it raised.

type Num = number | string | boolean;
interface JTensor { t: DType; s: number[]; v: Num[]; T?: boolean }
interface Case { fn: string; args: unknown[]; kwargs: Record<string, unknown>; out?: JTensor | JTensor[]; error?: string; halfEmulated?: boolean; note?: string }

function num(v: Num): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : Number(v);
}

function isJTensor(x: unknown): x is JTensor {
  return typeof x === 'object' && x !== null && 't' in x && 'v' in x;
}

function decodeTensor(j: JTensor): Tensor {
  const arr = new storageArrayCtor[j.t](j.v.length);
  for (let i = 0; i < j.v.length; i++) arr[i] = num(j.v[i]!);
  const t = Tensor.fromArray(arr, j.s, j.t);
  return j.T ? (callOp('aten::transpose', [t, 0, 1]) as Tensor) : t;
}

function decode(x: unknown): unknown {
  if (isJTensor(x)) return decodeTensor(x);
  if (Array.isArray(x)) return x.map(decode);
  if (typeof x === 'string') return ['nan', 'inf', '-inf', '-0'].includes(x) ? num(x) : x;
  return x;
}

function call(c: Case): unknown {
  const args = c.args.map(decode);
  const kw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.kwargs)) kw[k] = decode(v);
  const all = Object.keys(kw).length ? [...args, kw] : args;
  if (c.fn.startsWith('aten::')) return callOp(c.fn, all);
  if (c.fn.startsWith('method.')) return callMethod(c.fn.slice(7), all[0], all.slice(1));
  const [ns, name] = c.fn.split('.') as [string, string];
  return callFunction(name, all, ns === 'F' ? 'F' : 'function');
}

function tol(d: DType, halfEmulated?: boolean): [number, number] {
  if (d === 'float64') return [1e-10, 1e-12];
  if (d === 'float16') return halfEmulated ? [2e-3, 2e-3] : [1e-3, 1e-5];
  if (d === 'float32') return [2e-6, 1e-6];
  return [0, 0];
}

function mismatch(got: unknown, want: JTensor, halfEmulated?: boolean): string | undefined {
  if (!(got instanceof Tensor)) return `expected a tensor, got ${String(got)}`;
  if (got.dtype !== want.t) return `dtype ${got.dtype}, expected ${want.t}`;
  if (got.shape.join() !== want.s.join()) return `shape [${got.shape}], expected [${want.s}]`;
  const g = got.contiguousArray();
  const [rtol, atol] = tol(want.t, halfEmulated);
  for (let i = 0; i < want.v.length; i++) {
    const w = num(want.v[i]!), v = g[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(v) : !Number.isFinite(w) ? v === w : Math.abs(v - w) <= atol + rtol * Math.abs(w);
    if (!ok) return `[${i}] ${v} != ${w} (${want.t})`;
  }
  return undefined;
}

function runCase(c: Case): string | undefined {
  return tidy(() => {
    let got: unknown;
    try {
      got = call(c);
    } catch (e) {
      if (c.error !== undefined) return undefined;
      return `threw ${(e as Error).message.slice(0, 200)}`;
    }
    if (c.error !== undefined) return `expected PyTorch's error "${c.error}"`;
    const outs = Array.isArray(c.out) ? c.out : [c.out!];
    const gots = Array.isArray(c.out) ? (got as unknown[]) : [got];
    if (gots.length !== outs.length) return `${gots.length} results, expected ${outs.length}`;
    for (let k = 0; k < outs.length; k++) {
      const why = mismatch(gots[k], outs[k]!, c.halfEmulated);
      if (why) return why;
    }
    return undefined;
  });
}

function describeCase(c: Case): string {
  const a = c.args.map((x) => (isJTensor(x) ? `${x.t}[${x.s}]${x.T ? 'ᵀ' : ''}` : JSON.stringify(x))).join(', ');
  return `${c.fn}(${a}${Object.keys(c.kwargs).length ? ', ' + JSON.stringify(c.kwargs) : ''})`;
}

describe('pointwise ops against PyTorch 1.13 (test-models/pointwise/cases.json)', () => {
  const cases = JSON.parse(readFileSync(join(ROOT, 'pointwise/cases.json'), 'utf8')) as Case[];
  const byFn = new Map<string, Case[]>();
  for (const c of cases) byFn.set(c.fn, [...(byFn.get(c.fn) ?? []), c]);
  it.each([...byFn.keys()])('%s', (fn) => {
    const failures: string[] = [];
    for (const c of byFn.get(fn)!) {
      const why = runCase(c);
      if (why) failures.push(`${describeCase(c)}: ${why}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('raises errors with PyTorch wording', () => {
    const wordings = [
      [() => torch.sub(tensor([true]), tensor([true])), 'Subtraction, the `-` operator, with two bool tensors is not supported'],
      [() => torch.neg(tensor([true])), 'Negation, the `-` operator, on a bool tensor is not supported'],
      [() => torch.div(tensor([1]), tensor([0]), { rounding_mode: 'floor' }), 'ZeroDivisionError'],
      [() => torch.pow(tensor([2]), -1), 'Integers to negative integer powers are not allowed.'],
      [() => torch.clamp(tensor([1])), "torch.clamp: At least one of 'min' or 'max' must not be None"],
      [() => torch.where(tensor([1, 0]), tensor([1]), tensor([2])), 'where expected condition to be a boolean tensor, but got a tensor with dtype Long'],
      [() => F.gelu(tensor([1, 2])), `"GeluKernelImpl" not implemented for 'Long'`],
      [() => torch.abs(tensor([true])), `"abs_cpu" not implemented for 'Bool'`],
      [() => torch.add(tensor([1]), tensor([1]), { alpha: 2.5 }), 'For integral input tensors, argument alpha must not be a floating point number.'],
      [() => torch.masked_fill(tensor([1.5]), tensor([true]), tensor([2])), 'masked_fill_ only supports a 0-dimensional value tensor'],
      [() => F.glu(tensor([1.5, 2, 3])), 'Halving dimension must be even, but dimension 0 is size 3'],
    ] as const;
    for (const [f, msg] of wordings) expect(f).toThrow(msg);
  });
});

// ---------------------------------------------------------------- PyTorch's OpInfo samples

describe('OpInfo samples (test-models/aten-ops)', () => {
  const dir = join(ROOT, 'aten-ops');
  const mine = JSON.parse(readFileSync(join(ROOT, 'pointwise/opinfo_files.json'), 'utf8')) as string[];
  const present = new Set(readdirSync(dir));
  // torch.where's OpInfo calls a lambda (self, condition, other) -> torch.where(condition, self, other)
  const reordered = new Set(['where']);
  it.each(mine.filter((f) => present.has(`${f}.json`) && !reordered.has(f)))('%s', (f) => {
    const r = runSampleFile(join(dir, `${f}.json`));
    expect(r.errors).toEqual([]);
    expect(r.passed).toBe(r.total);
  });

  it('where (OpInfo lambda argument order)', () => {
    const d = JSON.parse(readFileSync(join(dir, 'where.json'), 'utf8')) as { samples: { input: unknown; args: unknown[]; output: unknown }[] };
    const dec = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(dec);
      const o = v as { tensor: { dtype: DType; shape: number[]; data: string } };
      const bytes = Buffer.from(o.tensor.data, 'base64');
      const ctor = { float32: Float32Array, float64: Float64Array, int64: BigInt64Array, bool: Uint8Array } as Record<string, new (b: ArrayBuffer) => ArrayBufferView>;
      const buf = new ArrayBuffer(bytes.length);
      new Uint8Array(buf).set(bytes);
      return tensor(new ctor[o.tensor.dtype]!(buf) as Float32Array, { shape: o.tensor.shape, dtype: o.tensor.dtype });
    };
    expect(d.samples.length).toBeGreaterThan(0);
    for (const s of d.samples) {
      tidy(() => {
        const self = dec(s.input) as Tensor;
        const [cond, other] = dec(s.args) as Tensor[];
        const want = dec(s.output) as Tensor;
        const got = torch.where(cond!, self, other!);
        expect(got.dtype).toBe(want.dtype);
        expectClose(got, want.contiguousArray(), want.shape);
        const viaMethod = self.where(cond!, other!);
        expectClose(viaMethod, want.contiguousArray(), want.shape);
      });
    }
  });
});

// ---------------------------------------------------------------- special functions

describe('erf, erfc, erfinv and gelu against PyTorch float64', () => {
  const s = JSON.parse(readFileSync(join(ROOT, 'pointwise/special.json'), 'utf8')) as Record<string, Num[]>;
  const xs = s.x!.map(num), ys = s.y!.map(num);
  const check = (name: string, f: (x: number) => number, inputs: number[], rtol: number, atol = 0) => {
    const want = s[name]!.map(num);
    let worst = 0;
    for (let i = 0; i < inputs.length; i++) {
      const g = f(inputs[i]!), w = want[i]!;
      if (!Number.isFinite(w)) {
        expect(g, `${name}(${inputs[i]})`).toBe(w);
        continue;
      }
      const err = Math.abs(g - w) / (atol + rtol * Math.abs(w) || 1);
      worst = Math.max(worst, err);
      if (err > 1) expect.fail(`${name}(${inputs[i]}) = ${g}, PyTorch ${w}`);
    }
    return worst;
  };
  it('erf', () => void check('erf', erf, xs, 1e-14, 1e-300));
  it('erfc (relative accuracy in the tail)', () => void check('erfc', erfc, xs, 1e-12, 1e-300));
  it('erfinv', () => void check('erfinv', erfinv, ys, 1e-13, 1e-300));
  // PyTorch's 0.5 x (1 + erf(x / sqrt 2)) cancels for x << 0: compare with an absolute tolerance
  it('gelu', () => void check('gelu', geluErf, xs, 1e-14, 1e-15));
  it('gelu tanh', () => void check('gelu_tanh', geluTanh, xs, 1e-14, 1e-300));
  // absolute tolerances near the zeros of lgamma (1, 2) and digamma (1.46...)
  it('lgamma', () => void check('lgamma', lgamma, xs, 1e-13, 1e-14));
  it('digamma', () => void check('digamma', digamma, xs, 1e-13, 1e-13));
  it('i0', () => void check('i0', i0, xs, 1e-14, 1e-300));
  it('erfinv inverts erf', () => {
    fc.assert(fc.property(fc.double({ min: -0.999999, max: 0.999999, noNaN: true }), (y) => Math.abs(erf(erfinv(y)) - y) <= 1e-15 + 1e-14 * Math.abs(y)));
  });
});

// ---------------------------------------------------------------- properties

const DTYPES: DType[] = ['float32', 'float64', 'int32', 'int64', 'int16', 'int8', 'uint8', 'bool', 'float16'];

/** A naive reference for broadcasting: index each operand through its own strides. */
function naiveBroadcast(a: Tensor, b: Tensor, f: (x: number, y: number) => number): { shape: number[]; values: number[] } {
  const rank = Math.max(a.ndim, b.ndim);
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const sa = pad(a.shape), sb = pad(b.shape);
  const shape = sa.map((x, i) => (x === 1 ? sb[i]! : x));
  const A = a.contiguousArray(), B = b.contiguousArray();
  const values: number[] = [];
  const n = shape.reduce((p, x) => p * x, 1);
  for (let k = 0; k < n; k++) {
    let rem = k, ia = 0, ib = 0, ma = 1, mb = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const i = rem % shape[d]!;
      rem = Math.floor(rem / shape[d]!);
      ia += (sa[d] === 1 ? 0 : i) * ma;
      ib += (sb[d] === 1 ? 0 : i) * mb;
      ma *= sa[d]!;
      mb *= sb[d]!;
    }
    values.push(f(A[ia]!, B[ib]!));
  }
  return { shape, values };
}

const shapePair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((full) =>
    fc.tuple(
      fc.constant(full),
      fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      fc.integer({ min: 0, max: full.length }),
      fc.integer({ min: 0, max: full.length }),
    ),
  )
  .map(([full, ones1, ones2, drop1, drop2]) => {
    const a = full.map((s, i) => (ones1[i] ? 1 : s)).slice(drop1);
    const b = full.map((s, i) => (ones2[i] ? 1 : s)).slice(drop2);
    return [a, b] as const;
  });

function randomTensor(shape: readonly number[], dtype: DType, seed: number): Tensor {
  const n = shape.reduce((p, x) => p * x, 1);
  const arr = new storageArrayCtor[dtype](n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const u = (s >>> 8) / 2 ** 24;
    arr[i] = dtype === 'bool' ? (u < 0.5 ? 1 : 0) : dtype === 'uint8' ? Math.floor(u * 20) : dtype.startsWith('int') ? Math.floor(u * 20) - 10 : Math.fround((u - 0.5) * 8);
  }
  if (dtype === 'float16') for (let i = 0; i < n; i++) arr[i] = Math.round(arr[i]! * 8) / 8;
  return Tensor.fromArray(arr, shape, dtype);
}

describe('broadcasting and promotion properties of binary ops', () => {
  it('add/mul/maximum/eq broadcast like a naive reference and promote like torch.result_type', () => {
    const ops: [string, (x: number, y: number) => number][] = [
      ['add', (x, y) => x + y], ['mul', (x, y) => x * y], ['maximum', (x, y) => Math.max(x, y)], ['eq', (x, y) => (x === y ? 1 : 0)],
    ];
    fc.assert(
      fc.property(shapePair, fc.constantFrom(...DTYPES), fc.constantFrom(...DTYPES), fc.integer(), fc.constantFrom(...ops), ([sa, sb], da, db, seed, [name, f]) => {
        tidy(() => {
          const a = randomTensor(sa, da, seed), b = randomTensor(sb, db, seed ^ 0x5555);
          const got = callFunction(name, [a, b]) as Tensor;
          const ca = caster(expectedCompute(name, a, b)), cb = ca;
          const want = naiveBroadcast(a, b, (x, y) => f(ca(x), cb(y)));
          expect(got.shape).toEqual(want.shape);
          const expected = name === 'eq' ? 'bool' : promote(a, b);
          expect(got.dtype).toBe(expected);
          if (expected === 'bool' && name !== 'eq') want.values = want.values.map((v) => (v !== 0 ? 1 : 0));
          const rtol = expected === 'float16' ? 1e-3 : 1e-6;
          const isInt = !expected.startsWith('float');
          expectClose(got, isInt ? want.values.map((v) => castInt(v, expected)) : want.values, want.shape, rtol, 1e-6);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('op(a, b) equals op(a.expand(shape), b.expand(shape)) for the broadcast shape', () => {
    fc.assert(
      fc.property(shapePair, fc.constantFrom(...DTYPES), fc.constantFrom(...DTYPES), fc.integer(), ([sa, sb], da, db, seed) => {
        tidy(() => {
          const a = randomTensor(sa, da, seed), b = randomTensor(sb, db, seed + 3);
          for (const name of ['add', 'mul', 'minimum', 'ge', 'logical_or', 'atan2', 'fmod']) {
            let direct: Tensor;
            try {
              direct = callFunction(name, [a, b]) as Tensor;
            } catch {
              continue; // e.g. fmod of bools: not supported for these dtypes
            }
            const ea = a.expand(direct.shape), eb = b.expand(direct.shape);
            expect(ea.storage).toBe(a.storage);
            const viaExpand = callFunction(name, [ea, eb]) as Tensor;
            // an expanded 0-d tensor takes part in promotion as a dimensioned tensor
            if (a.ndim === 0 || b.ndim === 0) continue;
            expect(viaExpand.dtype).toBe(direct.dtype);
            expect(viaExpand.tolist()).toEqual(direct.tolist());
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('a strided operand gives the same result as its contiguous copy', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom(...DTYPES), fc.integer(), (m, n, d, seed) => {
        tidy(() => {
          const base = randomTensor([n, m], d, seed);
          const t = base.transpose(0, 1);
          const c = t.contiguous();
          const other = randomTensor([n], d, seed + 1);
          for (const name of ['add', 'mul', 'maximum', 'lt']) {
            const r1 = callFunction(name, [t, other]) as Tensor, r2 = callFunction(name, [c, other]) as Tensor;
            expect(r1.tolist()).toEqual(r2.tolist());
          }
          expect(torch.where(torch.gt(t, 0), t, other).tolist()).toEqual(torch.where(torch.gt(c, 0), c, other).tolist());
        });
      }),
      { numRuns: 100 },
    );
  });

  it('commutative ops commute and in-place variants match their functional form', () => {
    fc.assert(
      fc.property(shapePair, fc.constantFrom<DType>('float32', 'float64', 'int64', 'int32'), fc.integer(), ([sa, sb], d, seed) => {
        tidy(() => {
          const a = randomTensor(sa, d, seed), b = randomTensor(sb, d, seed + 7);
          for (const name of ['add', 'mul', 'maximum', 'minimum', 'eq', 'ne', 'logical_and', 'logical_xor', 'fmax']) {
            expect((callFunction(name, [a, b]) as Tensor).tolist()).toEqual((callFunction(name, [b, a]) as Tensor).tolist());
          }
          const full = torch.add(a, torch.mul(b, 0)); // a broadcast to the joint shape
          const expected = torch.sub(full, b).tolist();
          expect(full.sub_(b).tolist()).toEqual(expected);
        });
      }),
      { numRuns: 100 },
    );
  });
});

function expectedCompute(_name: string, a: Tensor, b: Tensor): DType {
  return promote(a, b);
}

function castInt(v: number, d: DType): number {
  const c = storageArrayCtor[d];
  if (d === 'int64') return Math.trunc(v);
  const a = new c(1);
  a[0] = v;
  return a[0]!;
}

// ---------------------------------------------------------------- API shapes

describe('Python signatures', () => {
  it('F.* accept inplace= and Python argument names', () => {
    tidy(() => {
      const x = tensor([-2, -0.5, 0.5, 3], { dtype: 'float32' });
      expectClose(F.hardtanh(x, { min_val: -1, max_val: 1 }), [-1, -0.5, 0.5, 1]);
      const y = x.clone();
      const r = F.relu(y, { inplace: true });
      expect(r).toBe(y);
      expectClose(y, [0, 0, 0.5, 3]);
      const z = x.clone();
      expect(F.elu(z, 1.0, true)).toBe(z);
      expectClose(z, [Math.expm1(-2), Math.expm1(-0.5), 0.5, 3]);
      const w = x.clone();
      F.leaky_relu(w, 0.5, true);
      expectClose(w, [-1, -0.25, 0.5, 3]);
      expectClose(F.hardtanh(x, -0.5, 0.5, false), [-0.5, -0.5, 0.5, 0.5]);
      expectClose(F.threshold(x, 0, -9, false), [-9, -9, 0.5, 3]);
      expectClose(F.softsign(x), [-2 / 3, -0.5 / 1.5, 0.5 / 1.5, 0.75]);
      expectClose(F.tanhshrink(x), [-2 - Math.tanh(-2), -0.5 - Math.tanh(-0.5), 0.5 - Math.tanh(0.5), 3 - Math.tanh(3)]);
      expectClose(F.logsigmoid(x), [-2, -0.5, 0.5, 3].map((v) => -Math.log1p(Math.exp(-v))), undefined, 1e-6);
    });
  });

  it('aliases, methods and in-place methods', () => {
    tidy(() => {
      const x = tensor([1.5, -2.5], { dtype: 'float32' });
      expectClose(torch.absolute(x), [1.5, 2.5]);
      expectClose(torch.clip(x, -1, 1), [1, -1]);
      expectClose(torch.divide(x, 2, { rounding_mode: 'floor' }), [0, -2]);
      expectClose(torch.fix(x), [1, -2]);
      expect(torch.greater(x, 0).tolist()).toEqual([true, false]);
      expectClose(x.neg(), [-1.5, 2.5]);
      expect(x.clone().clamp_(0, 1)).toBeInstanceOf(Tensor);
      const i = tensor([5, -7]);
      i.floor_divide_(2);
      expect(i.tolist()).toEqual([2, -4]);
      const m = tensor([1, 2, 3], { dtype: 'float32' });
      m.masked_fill_(tensor([true, false, true]), -1);
      expect(m.tolist()).toEqual([-1, 2, -1]);
      expect(torch.positive(m).storage).toBe(m.storage);
    });
  });

  it('TorchScript-only __and__/__or__/__xor__ schemas', () => {
    tidy(() => {
      const a = tensor([true, false, true]), b = tensor([true, true, false]);
      expect((callOp('aten::__and__', [a, b]) as Tensor).tolist()).toEqual([true, false, false]);
      expect((callOp('aten::__or__', [a, b]) as Tensor).tolist()).toEqual([true, true, true]);
      expect((callOp('aten::__xor__', [tensor([5, 3]), 1]) as Tensor).tolist()).toEqual([4, 2]);
      expect(() => callFunction('__and__', [a, b])).toThrow(/not supported/);
      const x = tensor([5, 3]);
      expect(callOp('aten::__iand__', [x, 1])).toBe(x);
      expect(x.tolist()).toEqual([1, 1]);
      callOp('aten::__ilshift__', [x, tensor([2, 3])]);
      expect(x.tolist()).toEqual([4, 8]);
      callOp('aten::__ixor__', [x, tensor([4, 1])]);
      expect(x.tolist()).toEqual([0, 9]);
      expect((callOp('aten::__rshift__', [tensor([-8, 8]), 2]) as Tensor).tolist()).toEqual([-2, 2]);
      // no in-place variants for overloads whose `self` is a Scalar (pow.Scalar, remainder.Scalar_Tensor)
      for (const q of ['aten::pow_', 'aten::remainder_', 'aten::xlogy_', 'aten::bitwise_and_']) {
        for (const o of getRegistry().overloads(q)!) expect(o.schema.args[0]!.type).toEqual({ kind: 'base', name: 'Tensor' });
      }
    });
  });
});

describe('dropout', () => {
  it('is the identity (an alias) in eval and when p = 0', () => {
    tidy(() => {
      const x = tensor([[1, 2], [3, 4]], { dtype: 'float32' });
      for (const r of [torch.dropout(x, 0.5, false), F.dropout(x, { training: false }), F.dropout(x, 0), torch.alpha_dropout(x, 0.3, false), F.alpha_dropout(x), torch.feature_dropout(x, 0.5, false), F.feature_alpha_dropout(x, 0.2)]) {
        expect(r.storage).toBe(x.storage);
        expect(r.tolist()).toEqual(x.tolist());
      }
      expect(callOp('aten::dropout', [x, 0.5, false])).toBeInstanceOf(Tensor);
    });
  });

  it('checks p like PyTorch', () => {
    const x = tensor([1.5]);
    expect(() => F.dropout(x, 1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => torch.dropout(x, -0.1, false)).toThrow('dropout probability has to be between 0 and 1');
    expect(() => torch.feature_dropout(x, 0.5, true)).toThrow('Feature dropout requires at least 2 dimensions in the input');
  });

  it('training mode: scaled Bernoulli mask from the seeded default generator', () => {
    tidy(() => {
      const x = torch.add(torch.mul(tensor(new Float32Array(4000), { shape: [40, 100] }), 0), 1);
      manualSeed(123);
      const a = F.dropout(x, 0.25);
      manualSeed(123);
      const b = F.dropout(x, 0.25);
      expect(a.tolist()).toEqual(b.tolist());
      const v = a.contiguousArray();
      let kept = 0;
      for (const e of v) {
        if (e !== 0) {
          expect(e).toBeCloseTo(1 / 0.75, 6);
          kept++;
        }
      }
      expect(kept / v.length).toBeGreaterThan(0.7);
      expect(kept / v.length).toBeLessThan(0.8);
      expect(F.dropout(x, 1).tolist()).toEqual(torch.mul(x, 0).tolist());
      // feature dropout zeroes whole channels
      const f = torch.feature_dropout(torch.add(torch.mul(tensor(new Float32Array(2 * 6 * 5), { shape: [2, 6, 5] }), 0), 1), 0.5, true);
      const rows = f.tolist() as number[][][];
      for (const n of rows) for (const c of n) expect(new Set(c).size).toBe(1);
      // alpha dropout keeps mean 0 / variance 1 inputs roughly normalised
      const z = torch.alpha_dropout(x, 0.2, true);
      expect(new Set(z.contiguousArray()).size).toBe(2);
      // in-place
      const y = x.clone();
      expect(F.dropout(y, 0.5, true, true)).toBe(y);
      expect(y.contiguousArray().some((e) => e === 0)).toBe(true);
    });
  });
});
