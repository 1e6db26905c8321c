import { callOp } from '../../dispatch.js';
import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { castFn, iota, scalarAs, separableGather, TYPE_NAMES } from '../../cpu/shape_copy.js';
import { contiguousStrides } from '../../shape.js';
import { narrowSpec } from './select.js';
import type { Tensor } from '../../tensor.js';

type Mode = 'constant' | 'reflect' | 'replicate' | 'circular';
/** at::padding_mode, as `aten::_pad_enum` numbers it */
const MODES: Mode[] = ['reflect', 'replicate', 'circular', 'constant'];

/** Output shape: `pad` lists (before, after) pairs starting from the last dim. */
function paddedShape(self: Tensor, pad: number[]): number[] {
  const shape = [...self.shape];
  const n = pad.length / 2;
  for (let k = 0; k < n; k++) {
    const d = self.ndim - 1 - k;
    shape[d] = self.shape[d]! + pad[2 * k]! + pad[2 * k + 1]!;
  }
  return shape;
}

function padKernel(mode: Mode, self: Tensor, pad: number[], out: Tensor, value = 0): void {
  const shape = out.shape;
  const maps: ArrayLike<number>[] = self.shape.map((s) => iota(s));
  const n = pad.length / 2;
  for (let k = 0; k < n; k++) {
    const d = self.ndim - 1 - k;
    const inSize = self.shape[d]!, before = pad[2 * k]!, size = shape[d]!;
    const m = new Int32Array(size);
    for (let j = 0; j < size; j++) {
      const x = j - before;
      if (mode === 'constant') m[j] = x >= 0 && x < inSize ? x : -1;
      else if (mode === 'reflect') m[j] = x < 0 ? -x : x >= inSize ? 2 * (inSize - 1) - x : x;
      else if (mode === 'replicate') m[j] = Math.min(Math.max(x, 0), inSize - 1);
      else {
        // circular: negative pads crop first, then the cropped region wraps (aten::_pad_circular)
        const after = pad[2 * k + 1]!;
        const start = Math.max(-before, 0), c = inSize + Math.min(before, 0) + Math.min(after, 0);
        const y = j - Math.max(before, 0);
        m[j] = start + (((y % c) + c) % c);
      }
    }
    maps[d] = m;
  }
  separableGather(out.hostArray, shape, self.hostArray, self.offset, self.strides, maps, value, castFn(out.dtype));
}

function checkConstant(self: Tensor, pad: number[]): number[] {
  if (pad.length % 2 !== 0) throw new RangeError(`Length of pad must be even but instead it equals ${pad.length}`);
  const n = self.ndim, k = pad.length / 2;
  if (k > n) {
    // (PyTorch's message has no spaces around the numbers)
    throw new RangeError(`Length of pad should be no more than twice the number of dimensions of the input. Pad length is ${pad.length}while the input has ${n}dimensions.`);
  }
  // negative pads narrow the input first, one side after the other (errors as narrow's)
  const cur = [...self.shape];
  let anyPositive = false;
  for (let i = n - k; i < n; i++) {
    const p = 2 * (n - i - 1);
    const view = { shape: cur, strides: contiguousStrides(cur), offset: 0, ndim: n };
    if (pad[p]! < 0) cur[i] = narrowSpec(view, i, -pad[p]!, cur[i]! + pad[p]!).shape[i]!;
    else if (pad[p]! > 0) anyPositive = true;
    if (pad[p + 1]! < 0) cur[i] = narrowSpec(view, i, 0, cur[i]! + pad[p + 1]!).shape[i]!;
    else if (pad[p + 1]! > 0) anyPositive = true;
  }
  const shape = paddedShape(self, pad);
  if (anyPositive) {
    for (let j = 0; j < k; j++) {
      const d = n - 1 - j;
      if (shape[d]! <= 0) {
        throw new RangeError(`The input size ${self.shape[d]}, plus negative padding ${pad[2 * j]} and ${pad[2 * j + 1]} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`);
      }
    }
  }
  return shape;
}

/** Pads the last len(pad)/2 dims with `value`; negative pads crop. */
export const constant_pad_nd = defineOp({
  name: 'constant_pad_nd',
  overloads: [
    {
      schema: 'aten::constant_pad_nd(Tensor self, int[] pad, Scalar value=0) -> Tensor',
      infer: (a) => ({ shape: checkConstant(a.self, a.pad), dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => padKernel('constant', a.self, a.pad, out!, scalarAs(a.value, out!.dtype)),
    },
  ],
});

/** Checks of reflection/replication_pad{1,2,3}d: batched or unbatched input, pad smaller than the input for reflect. */
function checkNonConstant(mode: 'reflect' | 'replicate', dims: 1 | 2 | 3, self: Tensor, pad: number[]): number[] {
  if (pad.length !== 2 * dims) throw new RangeError(`padding size is expected to be ${2 * dims}, but got: ${pad.length}`);
  const ok = self.ndim === dims + 1 || self.ndim === dims + 2;
  const batched = self.ndim === dims + 2;
  if (!ok || self.shape.some((s, i) => s === 0 && !(batched && i === 0))) {
    const want = dims === 1 ? '2D or 3D' : dims === 2 ? '3D or 4D' : '4D or 5D';
    throw new RangeError(`Expected ${want} (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [${self.shape.join(', ')}]`);
  }
  const shape = paddedShape(self, pad);
  const names = ['W', 'H', 'D'];
  for (let k = 0; k < dims; k++) {
    const d = self.ndim - 1 - k;
    const inSize = self.shape[d]!;
    if (mode === 'reflect' && !(pad[2 * k]! < inSize && pad[2 * k + 1]! < inSize)) {
      throw new RangeError(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${pad[2 * k]}, ${pad[2 * k + 1]}) at dimension ${d} of input [${self.shape.join(', ')}]`);
    }
    if (shape[d]! < 1) throw new RangeError(`input (${names[k]}: ${inSize}) is too small. Calculated output ${names[k]}: ${shape[d]}`);
  }
  // after the shape checks, as PyTorch's meta functions run first
  if (self.dtype !== 'float32' && self.dtype !== 'float64') {
    // PyTorch 1.13's CPU kernels (the names its dispatch macros print)
    const kernel = mode === 'reflect' ? `reflection_pad${dims}d${dims === 3 ? '_cpu' : ''}` : `replication_pad${dims}d_cpu`;
    throw new TypeError(`"${kernel}" not implemented for '${TYPE_NAMES[self.dtype]}'`);
  }
  return shape;
}

function checkCircular(self: Tensor, pad: number[]): number[] {
  const nd = self.ndim - 2;
  if (pad.length + 4 !== self.ndim * 2) throw new RangeError(`Invalid padding size, expected ${Math.max(nd, 0) * 2} but got ${pad.length}`);
  const shape = paddedShape(self, pad);
  for (let k = 0; k < nd; k++) {
    const d = self.ndim - 1 - k;
    if (!(pad[2 * k]! <= self.shape[d]! && pad[2 * k + 1]! <= self.shape[d]!)) throw new RangeError('Padding value causes wrapping around more than once.');
    if (shape[d]! < 0) throw new RangeError('Negative padding value is resulting in an empty dimension');
  }
  return shape;
}

function padOp<N extends string>(name: N, mode: 'reflect' | 'replicate', dims: 1 | 2 | 3) {
  return defineOp({
    name,
    variants: [],
    overloads: [
      {
        schema: `aten::${name}(Tensor self, int[${2 * dims}] padding) -> Tensor`,
        infer: (a: Args): OutSpec => ({ shape: checkNonConstant(mode, dims, a.self, a.padding), dtype: (a.self as Tensor).dtype }),
        cpu: (a: Args, [out]: Tensor[]) => padKernel(mode, a.self, a.padding, out!),
      },
    ],
  });
}
export const reflection_pad1d = padOp('reflection_pad1d', 'reflect', 1);
export const reflection_pad2d = padOp('reflection_pad2d', 'reflect', 2);
export const reflection_pad3d = padOp('reflection_pad3d', 'reflect', 3);
export const replication_pad1d = padOp('replication_pad1d', 'replicate', 1);
export const replication_pad2d = padOp('replication_pad2d', 'replicate', 2);
export const replication_pad3d = padOp('replication_pad3d', 'replicate', 3);

export const _pad_circular = defineOp({
  name: '_pad_circular',
  variants: [],
  overloads: [
    {
      schema: 'aten::_pad_circular(Tensor self, int[] pad) -> Tensor',
      infer: (a) => ({ shape: checkCircular(a.self, a.pad), dtype: (a.self as Tensor).dtype }),
      cpu: (a, [out]) => padKernel('circular', a.self, a.pad, out!),
    },
  ],
});

function padEnum(self: Tensor, pad: number[], mode: Mode, value: number | null): Tensor {
  const n = self.ndim;
  if (pad.length % 2 !== 0) throw new RangeError('Padding length must be divisible by 2');
  if (pad.length > n * 2) throw new RangeError('Padding length too large');
  if (mode === 'constant') return callOp('aten::constant_pad_nd', [self, pad, value ?? 0]) as Tensor;
  if (value !== null && value !== 0) throw new RangeError(`Padding mode "${mode}" doesn't take in value argument`);
  const k = pad.length / 2;
  if (k >= 1 && k <= 3 && (n === k + 1 || n === k + 2)) {
    if (mode === 'circular') return callOp('aten::_pad_circular', [self, pad]) as Tensor;
    return callOp(`aten::${mode === 'reflect' ? 'reflection' : 'replication'}_pad${k}d`, [self, pad]) as Tensor;
  }
  throw new RangeError('Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
}

export const _pad_enum = defineOp({
  name: '_pad_enum',
  variants: [],
  overloads: [
    {
      schema: 'aten::_pad_enum(Tensor self, int[] pad, int mode, float? value=None) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const mode = MODES[a.mode as number];
        if (!mode) throw new RangeError(`Unrecognised padding mode ${a.mode}`);
        return padEnum(a.self, a.pad, mode, a.value);
      },
    },
  ],
});

/**
 * torch.nn.functional.pad(input, pad, mode='constant', value=None): `pad` lists (before, after)
 * pairs from the last dim backwards; modes constant, reflect, replicate and circular.
 */
export const pad = defineOp({
  name: 'pad',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::pad(Tensor self, int[] pad, str mode="constant", float? value=None) -> Tensor',
      tags: ['composite'],
      decompose: (a) => {
        const mode = a.mode as string;
        if (!(MODES as string[]).includes(mode)) throw new RangeError(`Unrecognised padding mode ${mode}`);
        return padEnum(a.self, a.pad, mode as Mode, a.value);
      },
    },
  ],
});
