import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callOp, functions as torch, nnFunctional as F, numel, tensor, Tensor, tidy } from '../src/index.js';
import { expectErrors, runSamples, scramble } from './shape_fixtures.js';

const ROOT = new URL('../../../test-models/', import.meta.url).pathname;

/** OpInfo sample files of the shape/view/join/pad ops (copied from PyTorch's OpInfo database). */
const OPINFO = [
  '__getitem__', 'H', 'T', 'mT', 'mH', 'atleast_1d', 'atleast_2d', 'atleast_3d', 'block_diag', 'broadcast_tensors', 'broadcast_to', 'cartesian_prod', 'cat',
  'chunk', 'clone', 'column_stack', 'combinations', 'constant_pad_nd', 'contiguous', 'diag', 'diag_embed', 'diagflat', 'diagonal', 'dsplit',
  'dstack', 'expand', 'expand_as', 'flatten', 'flip', 'fliplr', 'flipud', 'hsplit', 'hstack', 'meshgrid.list_of_tensors', 'meshgrid.variadic_tensors',
  'movedim', 'narrow', 'narrow_copy', 'nn.functional.pad.circular', 'nn.functional.pad.constant', 'nn.functional.pad.reflect', 'nn.functional.pad.replicate',
  'nn.functional.pixel_shuffle', 'nn.functional.pixel_unshuffle', 'permute', 'ravel', 'repeat', 'repeat_interleave', 'reshape', 'reshape_as', 'resolve_neg',
  'roll', 'rot90', 'select', 'slice', 'split', 'split.list_args', 'split_with_sizes', 'squeeze', 'stack', 't', 'tensor_split', 'tile', 'transpose',
  'tril', 'triu', 'unbind', 'unflatten', 'unfold', 'unsqueeze', 'view', 'view_as', 'vsplit', 'vstack',
];
/** view/view_as need strides compatible with the new shape, as in PyTorch */
const NO_SCRAMBLE = new Set(['view', 'view_as']);

describe('shape ops match the PyTorch OpInfo samples (test-models/aten-ops)', () => {
  for (const f of OPINFO) {
    it(f, () => {
      expect(runSamples(join(ROOT, 'aten-ops', `${f}.json`))).toEqual([]);
      if (!NO_SCRAMBLE.has(f)) expect(runSamples(join(ROOT, 'aten-ops', `${f}.json`), { scramble: true })).toEqual([]);
    });
  }
});

describe('shape ops match PyTorch on edge cases (test-models/shape, made by make_fixtures.py)', () => {
  const files = ['expand', 'broadcast_to', 'unsqueeze', 'squeeze', 'select', 'slice', 'narrow', 'narrow_copy', 't', 'T', 'adjoint', 'unbind', 'split',
    'split_with_sizes', 'chunk', 'tensor_split', 'hsplit', 'vsplit', 'dsplit', 'flatten', 'unflatten', 'movedim', 'moveaxis', 'diagonal', 'unfold',
    'as_strided', 'swapaxes', 'swapdims', 'reshape', 'ravel', 'detach', 'cat', 'concat', 'concatenate', 'stack', 'hstack', 'vstack', 'dstack',
    'column_stack', 'row_stack', 'block_diag', 'meshgrid', 'cartesian_prod', 'combinations', 'broadcast_tensors', 'flip', 'fliplr', 'flipud', 'roll',
    'rot90', 'repeat', 'tile', 'repeat_interleave', 'tril', 'triu', 'constant_pad_nd', 'nn.functional.pad', 'nn.functional.pixel_shuffle',
    'nn.functional.pixel_unshuffle', 'diag', 'diagflat', 'diag_embed', '__getitem__', '__setitem__'];
  for (const f of files) {
    it(f, () => {
      expect(runSamples(join(ROOT, 'shape', `${f}.json`))).toEqual([]);
      if (f !== 'as_strided') expect(runSamples(join(ROOT, 'shape', `${f}.json`), { scramble: true })).toEqual([]);
    });
  }
  it('throws where PyTorch throws, with its message', () => {
    expect(expectErrors(join(ROOT, 'shape', 'errors.json'))).toBeGreaterThan(100);
  });
});

describe('views', () => {
  const x = (): Tensor => tensor(Float32Array.from({ length: 24 }, (_, i) => i), { shape: [2, 3, 4] });
  const views: Record<string, (t: Tensor) => Tensor | Tensor[]> = {
    expand: (t) => t.unsqueeze(0).expand(3, 2, 3, 4),
    squeeze: (t) => t.unsqueeze(1).squeeze(1),
    select: (t) => t.select(1, -1),
    slice: (t) => torch.slice(t, 2, 1, null, 2),
    narrow: (t) => t.narrow(-1, 1, 2),
    t: (t) => t.select(0, 1).t(),
    T: (t) => t.T(),
    mT: (t) => t.mT(),
    unbind: (t) => t.unbind(1),
    split: (t) => t.split([1, 3], 2),
    chunk: (t) => t.chunk(2, 1),
    tensor_split: (t) => t.tensor_split([1, 2], -1),
    flatten: (t) => t.flatten(1),
    unflatten: (t) => t.unflatten(2, [2, 2]),
    view_as: (t) => t.view_as(torch.zeros(6, 4)),
    reshape_as: (t) => t.reshape_as(torch.zeros(4, 6)),
    movedim: (t) => t.movedim([0, 1], [2, 0]),
    as_strided: (t) => torch.as_strided(t, [2, 2], [1, 4], 3),
    diagonal: (t) => t.diagonal(1, 1, 2),
    unfold: (t) => t.unfold(2, 2, 1),
    detach: (t) => t.detach(),
    broadcast_to: (t) => torch.broadcast_to(t, [2, 2, 3, 4]),
    meshgrid: (t) => torch.meshgrid(t.select(0, 0).select(0, 0), t.select(0, 1).select(0, 1)),
    hsplit: (t) => torch.hsplit(t, 3),
    swapaxes: (t) => t.swapaxes(0, 2),
    ravel: (t) => t.ravel(),
  };
  for (const [name, f] of Object.entries(views)) {
    it(`${name} shares storage and sees writes both ways`, () => {
      tidy(() => {
        const base = x();
        const outs = [f(base)].flat();
        for (const v of outs) expect(v.storage).toBe(base.storage);
        base.add_(100);
        const again = [f(base)].flat();
        outs.forEach((v, i) => expect(Array.from(v.contiguousArray())).toEqual(Array.from(again[i]!.contiguousArray())));
        // a write through the view is seen by the base
        const v0 = outs[0]!;
        if (name !== 'expand' && name !== 'broadcast_to' && name !== 'meshgrid' && name !== 'unfold') {
          v0.copy_(torch.full_like(v0, -1));
          expect(Array.from(([f(base)].flat()[0] as Tensor).contiguousArray()).every((e) => e === -1)).toBe(true);
        }
      });
    });
  }

  it('flatten and reshape copy only when the strides require it', () => {
    const t = torch.zeros(3, 4).t();
    expect(t.flatten().storage).not.toBe(t.storage);
    expect(t.flatten(0, 0).storage).toBe(t.storage);
    expect(torch.zeros(2, 3, 4).flatten(1).storage).not.toBeUndefined();
  });

  it('x.__getitem__ gives views for basic indices and copies for advanced ones; __setitem__ writes in place', () => {
    tidy(() => {
      const t = tensor(Float32Array.from({ length: 24 }, (_, i) => i), { shape: [2, 3, 4] });
      const v = t.__getitem__([1, '...', '1:3']);
      expect(v.storage).toBe(t.storage);
      expect(v.shape).toEqual([3, 2]);
      expect(Array.from(v.contiguousArray())).toEqual([13, 14, 17, 18, 21, 22]);
      expect(t.__getitem__([[0, 1], [2, 0]]).storage).not.toBe(t.storage);
      expect(t.__setitem__([0, ':', -1], 100)).toBe(t);
      expect(Array.from(t.__getitem__([0, ':', 3]).contiguousArray())).toEqual([100, 100, 100]);
      t.__setitem__(torch.gt(t, 20), -1);
      expect(Array.from(t.__getitem__([1, 2, '...']).contiguousArray())).toEqual([20, -1, -1, -1]);
    });
  });

  it('the ATen pad ops behind F.pad are callable by their names', () => {
    tidy(() => {
      const x = tensor(Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => Math.sin(i)), { shape: [2, 3, 4, 5] });
      const same = (a: unknown, b: Tensor): void => expect(Array.from((a as Tensor).contiguousArray())).toEqual(Array.from(b.contiguousArray()));
      same(callOp('aten::reflection_pad1d', [x.select(0, 0), [2, 1]]), F.pad(x.select(0, 0), [2, 1], 'reflect'));
      same(callOp('aten::reflection_pad2d', [x, [1, 2, 3, 0]]), F.pad(x, [1, 2, 3, 0], 'reflect'));
      same(callOp('aten::replication_pad2d', [x, [1, 2, 3, 0]]), F.pad(x, [1, 2, 3, 0], 'replicate'));
      same(callOp('aten::replication_pad1d', [x.select(0, 1), [3, 3]]), F.pad(x.select(0, 1), [3, 3], 'replicate'));
      same(callOp('aten::_pad_circular', [x, [1, 1, 2, 2]]), F.pad(x, [1, 1, 2, 2], 'circular'));
      same(callOp('aten::_pad_enum', [x, [1, 1, 1, 1], 0, null]), F.pad(x, [1, 1, 1, 1], 'reflect'));
      same(callOp('aten::constant_pad_nd', [x, [1, 1], 2]), F.pad(x, [1, 1], 'constant', 2));
    });
  });

  it('in-place view ops restride self', () => {
    tidy(() => {
      const t = tensor(Float32Array.from({ length: 6 }, (_, i) => i), { shape: [2, 3] });
      const storage = t.storage;
      expect(t.unsqueeze_(1)).toBe(t);
      expect(t.shape).toEqual([2, 1, 3]);
      t.transpose_(0, 2);
      expect(t.shape).toEqual([3, 1, 2]);
      expect(Array.from(t.contiguousArray())).toEqual([0, 3, 1, 4, 2, 5]);
      t.squeeze_(1);
      t.t_();
      expect(t.shape).toEqual([2, 3]);
      expect(Array.from(t.contiguousArray())).toEqual([0, 1, 2, 3, 4, 5]);
      expect(t.storage).toBe(storage);
      expect(() => t.squeeze_(4)).toThrow(/Dimension out of range/);
      const r = callOp('aten::_reshape_alias', [t, [3, 2], [2, 1]]) as Tensor;
      expect(Array.from(r.contiguousArray())).toEqual([0, 1, 2, 3, 4, 5]);
    });
  });

  it('copies do not share storage', () => {
    const t = torch.ones(2, 3);
    for (const c of [t.flip(0), t.roll(1), t.repeat(1, 1), torch.cat([t]), t.tril(), torch.narrow_copy(t, 0, 0, 1), F.pad(t, [0, 0])]) {
      expect((c as Tensor).storage).not.toBe(t.storage);
    }
  });
});

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
function iota(shape: number[]): Tensor {
  return tensor(Float32Array.from({ length: numel(shape) }, (_, i) => i), { shape });
}
const values = (t: Tensor): number[] => Array.from(t.contiguousArray());

describe('properties', () => {
  it('broadcasting equals an explicit expand', () => {
    const pair = shapeArb.chain((s) => fc.tuple(fc.constant(s), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.integer({ min: 0, max: s.length })));
    fc.assert(
      fc.property(pair, ([shape, ones, drop]) => {
        tidy(() => {
          const other = shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
          const a = iota(shape), b = iota(other).mul(3);
          const [ea, eb] = torch.broadcast_tensors(a, b);
          expect(values(torch.add(a, b))).toEqual(values(torch.add(a.expand(shape), b.expand(shape))));
          expect(values(torch.mul(a, b))).toEqual(values(torch.mul(ea!, eb!.contiguous())));
          expect(eb!.storage).toBe(b.storage);
        });
      }),
    );
  });

  it('cat then split round-trips; stack then unbind round-trips', () => {
    const arb = fc.tuple(shapeArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), fc.nat());
    fc.assert(
      fc.property(arb, ([shape, sizes, dimSeed]) => {
        tidy(() => {
          const dim = dimSeed % shape.length;
          const parts = sizes.map((n, k) => iota(shape.map((s, i) => (i === dim ? n : s))).add(k * 1000));
          const c = torch.cat(parts, dim - shape.length);
          expect(c.shape[dim]).toBe(sizes.reduce((x, y) => x + y, 0));
          const back = c.split(sizes, dim);
          back.forEach((b, k) => {
            expect(b.shape).toEqual(parts[k]!.shape);
            expect(values(b)).toEqual(values(parts[k]!));
            expect(b.storage).toBe(c.storage);
          });
          const same = sizes.map((_, k) => iota(shape).add(k));
          const st = torch.stack(same, dim);
          st.unbind(dim).forEach((u, k) => expect(values(u)).toEqual(values(same[k]!)));
        });
      }),
    );
  });

  it('flatten/unflatten, movedim, flip, roll and rot90 invert', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), fc.integer({ min: -9, max: 9 }), (shape, seed, shift) => {
        tidy(() => {
          const x = iota(shape);
          const n = shape.length;
          const s = seed % n, e = s + ((seed >> 3) % (n - s));
          const f = x.flatten(s, e);
          expect(values(f.unflatten(s, shape.slice(s, e + 1)))).toEqual(values(x));
          expect(f.storage).toBe(x.storage);
          const d = (seed >> 5) % n;
          expect(values(x.movedim(d, -1).movedim(-1, d))).toEqual(values(x));
          expect(values(x.flip(d).flip(d))).toEqual(values(x));
          expect(values(x.roll(shift, d).roll(-shift, d))).toEqual(values(x));
          expect(values(x.roll(shift))).toEqual(values(x.flatten().roll(shift).view(shape)));
          if (n >= 2) expect(values(torch.rot90(torch.rot90(x, 3, [0, 1]), 1, [0, 1]))).toEqual(values(x));
          const pads = shape.flatMap((_, i) => [i % 3, (i * 7 + seed) % 2]).slice(0, 2 * Math.min(n, 3));
          const p = F.pad(x, pads, 'constant', -1);
          const crop = F.pad(p, pads.map((v) => -v));
          expect(values(crop)).toEqual(values(x));
        });
      }),
    );
  });

  it('strided inputs give the same results as contiguous ones', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), (shape, seed) => {
        tidy(() => {
          const x = iota(shape), y = scramble(x);
          expect(y.is_contiguous()).toBe(shape.filter((s) => s > 1).length <= 0);
          const d = seed % shape.length;
          expect(values(y.flip(d))).toEqual(values(x.flip(d)));
          expect(values(torch.cat([y, x], d))).toEqual(values(torch.cat([x, x], d)));
          expect(values(y.repeat(...shape.map((_, i) => (i === d ? 2 : 1))))).toEqual(values(x.repeat(...shape.map((_, i) => (i === d ? 2 : 1)))));
          expect(values(y.reshape(-1))).toEqual(values(x.reshape(-1)));
        });
      }),
    );
  });
});

describe('errors name the op and the bad dim', () => {
  const x = torch.zeros(2, 3, 4);
  const cases: [() => unknown, RegExp][] = [
    [() => x.squeeze(5), /aten::squeeze\.dim\(self=Tensor\(float32\[2, 3, 4\]\), dim=int 5\): Dimension out of range \(expected to be in range of \[-3, 2\], but got 5\)/],
    [() => x.unsqueeze(-5), /aten::unsqueeze\(.*dim=int -5\): Dimension out of range \(expected to be in range of \[-4, 3\], but got -5\)/],
    [() => x.select(3, 0), /aten::select\.int\(.*dim=int 3, index=int 0\): Dimension out of range/],
    [() => x.select(1, 3), /aten::select\.int\(.*\): select\(\): index 3 out of range for tensor of size \[2, 3, 4\] at dimension 1/],
    [() => x.transpose(0, 3), /aten::transpose\.int\(.*dim1=int 3\): .*out of range/],
    [() => torch.cat([x, x], 3), /aten::cat\(.*dim=int 3\): Dimension out of range/],
    [() => torch.cat([x, torch.zeros(2, 4, 4)], 2), /Sizes of tensors must match except in dimension 2\. Expected size 3 but got size 4 for tensor number 1 in the list\./],
    [() => x.flip([0, -3]), /aten::flip\(.*\): dim 0 appears multiple times in the list of dims/],
    [() => x.narrow(1, 2, 2), /aten::narrow\(.*\): start \(2\) \+ length \(2\) exceeds dimension size \(3\)\./],
    [() => x.split(2, -4), /aten::narrow|aten::split\.Tensor\(.*dim=int -4\): Dimension out of range/],
    [() => x.expand(3, 3, 4), /The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0/],
    [() => x.view(5, -1), /aten::view\(.*\): view: shape '\[5, -1\]' is invalid for input of size 24/],
    [() => x.permute(0, 1), /permute/],
    [() => x.movedim([0, 0], [1, 2]), /movedim: repeated dim in `source` \(\[0, 0\]\)/],
    [() => F.pad(x, [1, 1], 'reflect', 1), /aten::pad\(.*\): Padding mode "reflect" doesn't take in value argument/],
    [() => F.pad(x, [5, 0], 'reflect'), /Argument #4: Padding size should be less than the corresponding input dimension, but got: padding \(5, 0\) at dimension 2 of input \[2, 3, 4\]/],
    [() => F.pixel_shuffle(x, 2), /pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size\(-3\)=2 is not divisible by 4/],
  ];
  for (const [f, re] of cases) it(re.source.slice(0, 60), () => expect(f).toThrow(re));
});
