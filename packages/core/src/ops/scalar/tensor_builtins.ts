/** TorchScript builtins that build tensors from Python values or read them back: torch.tensor, tolist, fill_. */
import { isFloating, parseDType, storageArrayCtor, type DType } from '../../dtype.js';
import { callOp, copyInto, toDevice, wrapScalar } from '../../dispatch.js';
import type { Args } from '../../registry.js';
import type { DeviceType } from '../../storage.js';
import { Tensor } from '../../tensor.js';
import { scalarOp } from './define.js';
import { isFloatValue, num, plain } from './util.js';

/** Shape and flat elements of nested lists; throws on ragged input like PyTorch. */
function flatten(data: unknown, shape: number[], out: unknown[], depth = 0): void {
  if (!Array.isArray(data)) {
    if (depth !== shape.length && shape.length) throw new Error('Expected sequence of length ' + shape[depth] + ' at dim ' + depth + ' (got scalar)');
    out.push(data);
    return;
  }
  if (depth === shape.length) shape.push(data.length);
  else if (shape[depth] !== data.length) throw new Error(`Expected sequence of length ${shape[depth]} at dim ${depth} (got ${data.length})`);
  for (const e of data) flatten(e, shape, out, depth + 1);
}

function makeTensor(values: readonly unknown[], shape: number[], dtype: DType, device: unknown): Tensor {
  const arr = new storageArrayCtor[dtype](values.length);
  const isInt = !isFloating(dtype) && dtype !== 'bool';
  values.forEach((v, i) => {
    const x = num(plain(v));
    arr[i] = dtype === 'bool' ? (x !== 0 ? 1 : 0) : isInt ? Math.trunc(x) : x;
  });
  const t = Tensor.fromArray(arr, shape, dtype);
  if (typeof device === 'string' && device !== 'cpu') return toDevice(t, device.split(':')[0] as DeviceType);
  return t;
}

/** the dtype torch.tensor infers: bool < int64 < float32 (the default float dtype) */
function inferDType(values: readonly unknown[]): DType {
  let d: DType = 'bool';
  for (const v of values) {
    const p = plain(v);
    if (isFloatValue(v)) return 'float32';
    if (typeof p === 'number') d = 'int64';
    else if (typeof p !== 'boolean') throw new TypeError(`torch.tensor: unsupported element ${String(p)}`);
  }
  return values.length === 0 ? 'float32' : d;
}

const scalarTensor = (dtype: DType) => (a: Args) => makeTensor([a.t], [], a.dtype ? parseDType(a.dtype) : dtype, a.device);

function listTensor(a: Args): Tensor {
  const shape: number[] = [];
  const values: unknown[] = [];
  flatten(a.data, shape, values);
  return makeTensor(values, shape, a.dtype ? parseDType(a.dtype) : inferDType(values), a.device);
}

/** torch.as_tensor(t, dtype, device): t itself (an alias) when nothing changes, else a converted copy. */
function asTensor(a: Args): Tensor {
  const t = a.data as Tensor;
  const dtype = a.dtype !== null && a.dtype !== undefined ? parseDType(a.dtype) : t.dtype;
  const device = typeof a.device === 'string' ? (a.device.split(':')[0] as DeviceType) : t.device;
  const r = dtype === t.dtype ? (callOp('aten::alias', [t]) as Tensor) : (callOp('aten::_to_copy', [t], { dtype }) as Tensor);
  if (device === r.device) return r;
  const moved = toDevice(r, device);
  r.dispose();
  return moved;
}

export const tensorBuiltins = [
  scalarOp('tensor', {
    'aten::tensor': listTensor,
    'aten::tensor.float': scalarTensor('float32'),
    'aten::tensor.int': scalarTensor('int64'),
    'aten::tensor.bool': scalarTensor('bool'),
  }),
  scalarOp('as_tensor', {
    'aten::as_tensor': asTensor,
    'aten::as_tensor.float': scalarTensor('float32'),
    'aten::as_tensor.int': scalarTensor('int64'),
    'aten::as_tensor.bool': scalarTensor('bool'),
    'aten::as_tensor.list': listTensor,
  }),
  /** prim::type(Device) -> 'cpu', 'webgpu', ... (the device type) */
  scalarOp('prim_type', { 'prim::type': (a) => String(a.self).split(':')[0] }),
  scalarOp('tolist', {
    /** prim::tolist(Tensor self, int dim, int elem_ty): nested lists; elem_ty 0 int, 1 float, 2 bool */
    'prim::tolist': (a) => {
      const [t, dim, elemTy] = (a['...'] as unknown[] | undefined) ?? [];
      if (!(t instanceof Tensor)) throw new TypeError('prim::tolist expects a tensor');
      if (dim !== undefined && Number(dim) !== t.ndim) {
        throw new Error(`Output annotation list dimension and runtime tensor dimension must match for tolist() (${String(dim)} vs ${t.ndim})`);
      }
      const flat = t.contiguousArray();
      const conv = elemTy === 2 ? (v: number) => v !== 0 : elemTy === 0 ? (v: number) => Math.trunc(v) : (v: number) => v;
      let i = 0;
      const build = (d: number): unknown => {
        if (d === t.ndim) return conv(flat[i++]!);
        const out: unknown[] = [];
        for (let k = 0; k < t.shape[d]!; k++) out.push(build(d + 1));
        return out;
      };
      return build(0);
    },
  }),
  scalarOp('fill_', {
    'aten::fill_.Scalar': (a) => {
      const self = a.self as Tensor;
      const v = plain(a.value);
      const w = v instanceof Tensor ? v : wrapScalar(v as number | boolean, self.dtype);
      copyInto(self, w, 'fill_');
      if (w !== v) w.dispose();
      return self;
    },
    'aten::fill_.Tensor': (a) => {
      const self = a.self as Tensor, value = a.value as Tensor;
      if (value.ndim !== 0) throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.ndim} dimensions.`);
      copyInto(self, value, 'fill_');
      return self;
    },
  }),
];
