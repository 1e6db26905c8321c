import { defineOp, type Args, type CpuKernel } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { scalarAs } from '../../cpu/shape_copy.js';
import { callOp } from '../../dispatch.js';
import { tensor, type TensorData } from '../../creation.js';
import type { DeviceType } from '../../storage.js';
import { checkSize, dtypeArg, FACTORY_KW, likeSpec, newSpec, scalarDType, sizeSpec } from './common.js';

const fillWith = (value: (a: Args) => number | boolean): CpuKernel => (a, [out]) => {
  const v = scalarAs(value(a), out!.dtype);
  if (v !== 0) out!.hostArray.fill(v);
};
const zerosK: CpuKernel = () => {};
const onesK = fillWith(() => 1);
const fillK = fillWith((a) => a.fill_value);

export const zeros = defineOp({
  name: 'zeros',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::zeros(SymInt[] size, *, ${FACTORY_KW}) -> Tensor`, infer: (a) => sizeSpec(a.size, dtypeArg(a.dtype, 'float32')), cpu: zerosK }],
});

export const ones = defineOp({
  name: 'ones',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::ones(SymInt[] size, *, ${FACTORY_KW}) -> Tensor`, infer: (a) => sizeSpec(a.size, dtypeArg(a.dtype, 'float32')), cpu: onesK }],
});

/**
 * torch.full(size, fill_value): the dtype defaults to fill_value's (bool, int64 or float32). JS
 * cannot tell `1.0` from `1`, so `torch.full([2], 1.0)` is int64 here: pass `{dtype: 'float32'}`.
 */
export const full = defineOp({
  name: 'full',
  variants: ['function'],
  tags: ['factory'],
  overloads: [
    {
      schema: `aten::full(SymInt[] size, Scalar fill_value, *, ${FACTORY_KW}) -> Tensor`,
      infer: (a) => sizeSpec(a.size, dtypeArg(a.dtype, scalarDType(a.fill_value))),
      cpu: fillK,
    },
  ],
});

/** torch.empty: torchlet zero-fills new memory, so this equals torch.zeros. */
export const empty = defineOp({
  name: 'empty',
  variants: ['function'],
  tags: ['factory'],
  overloads: [
    { schema: `aten::empty.memory_format(SymInt[] size, *, ${FACTORY_KW}, MemoryFormat? memory_format=None) -> Tensor`, infer: (a) => sizeSpec(a.size, dtypeArg(a.dtype, 'float32')), cpu: zerosK },
  ],
});

function strided(size: number[], stride: number[], dtype: ReturnType<typeof dtypeArg>): Tensor {
  checkSize(size);
  if (size.length !== stride.length) throw new RangeError('mismatch in length of strides and shape');
  let need = size.some((s) => s === 0) ? 0 : 1;
  if (need) for (let i = 0; i < size.length; i++) need += (size[i]! - 1) * stride[i]!;
  const base = Tensor.empty([need], dtype);
  const t = new Tensor(base.storage.retain(), [...size], [...stride], 0);
  base.dispose();
  return t;
}

/** A zero-filled tensor with the given (possibly non-contiguous) strides. */
export const empty_strided = defineOp({
  name: 'empty_strided',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::empty_strided(SymInt[] size, SymInt[] stride, *, ${FACTORY_KW}) -> Tensor`, cpuDynamic: (a) => strided(a.size, a.stride, dtypeArg(a.dtype, 'float32')) }],
});

/** A 0-d tensor of the default dtype (float32) unless `dtype` is given. */
export const scalar_tensor = defineOp({
  name: 'scalar_tensor',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::scalar_tensor(Scalar s, *, ${FACTORY_KW}) -> Tensor`, infer: (a) => ({ shape: [], dtype: dtypeArg(a.dtype, 'float32') }), cpu: fillWith((a) => a.s) }],
});

const LIKE_KW = `${FACTORY_KW}, MemoryFormat? memory_format=None`;

export const zeros_like = defineOp({
  name: 'zeros_like',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::zeros_like(Tensor self, *, ${LIKE_KW}) -> Tensor`, infer: likeSpec, cpu: zerosK }],
});

export const ones_like = defineOp({
  name: 'ones_like',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::ones_like(Tensor self, *, ${LIKE_KW}) -> Tensor`, infer: likeSpec, cpu: onesK }],
});

/** The fill value is cast to self's dtype (or `dtype`): truncated for integers, `!= 0` for bool. */
export const full_like = defineOp({
  name: 'full_like',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::full_like(Tensor self, Scalar fill_value, *, ${LIKE_KW}) -> Tensor`, infer: likeSpec, cpu: fillK }],
});

export const empty_like = defineOp({
  name: 'empty_like',
  variants: ['function'],
  tags: ['factory'],
  overloads: [{ schema: `aten::empty_like(Tensor self, *, ${LIKE_KW}) -> Tensor`, infer: likeSpec, cpu: zerosK }],
});

export const new_zeros = defineOp({
  name: 'new_zeros',
  variants: ['method'],
  tags: ['factory'],
  overloads: [{ schema: `aten::new_zeros(Tensor self, SymInt[] size, *, ${FACTORY_KW}) -> Tensor`, infer: newSpec, cpu: zerosK }],
});

export const new_ones = defineOp({
  name: 'new_ones',
  variants: ['method'],
  tags: ['factory'],
  overloads: [{ schema: `aten::new_ones(Tensor self, SymInt[] size, *, ${FACTORY_KW}) -> Tensor`, infer: newSpec, cpu: onesK }],
});

export const new_full = defineOp({
  name: 'new_full',
  variants: ['method'],
  tags: ['factory'],
  overloads: [{ schema: `aten::new_full(Tensor self, SymInt[] size, Scalar fill_value, *, ${FACTORY_KW}) -> Tensor`, infer: newSpec, cpu: fillK }],
});

export const new_empty = defineOp({
  name: 'new_empty',
  variants: ['method'],
  tags: ['factory'],
  overloads: [{ schema: `aten::new_empty(Tensor self, SymInt[] size, *, ${FACTORY_KW}) -> Tensor`, infer: newSpec, cpu: zerosK }],
});

export const new_empty_strided = defineOp({
  name: 'new_empty_strided',
  variants: ['method'],
  tags: ['factory'],
  overloads: [
    {
      schema: `aten::new_empty_strided(Tensor self, SymInt[] size, SymInt[] stride, *, ${FACTORY_KW}) -> Tensor`,
      cpuDynamic: (a) => strided(a.size, a.stride, dtypeArg(a.dtype, (a.self as Tensor).dtype)),
    },
  ],
});


/**
 * Tensor.new_tensor(data, dtype=None, device=None, requires_grad=False): a new tensor holding
 * `data` (nested JS arrays, a number, a typed array or a Tensor, which is copied) with self's
 * dtype and device unless given. Python-level in PyTorch, so a torchlet-namespace schema.
 */
export const new_tensor = defineOp({
  name: 'new_tensor',
  variants: ['method'],
  tags: ['factory'],
  overloads: [
    {
      schema: 'torchlet::new_tensor(Tensor self, Any data, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False) -> Tensor',
      decompose: (a) => {
        const self = a.self as Tensor;
        const dtype = dtypeArg(a.dtype, self.dtype);
        const device = ((a.device as DeviceType | null) ?? self.device) as DeviceType;
        const data = a.data as unknown;
        const t = data instanceof Tensor ? (callOp('aten::_to_copy', [data], { dtype }) as Tensor) : tensor(data as TensorData, { dtype });
        if (device !== t.device) {
          const moved = t.to(device);
          t.dispose();
          return moved;
        }
        return t;
      },
    },
  ],
});
