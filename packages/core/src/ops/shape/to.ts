import { callOp, copyInto, toDevice } from '../../dispatch.js';
import type { DeviceType } from '../../storage.js';
import { parseDType, type DType } from '../../dtype.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** A converted copy; `to` returns self when nothing changes, as PyTorch does (copy=False). */
export const _to_copy = defineOp({
  name: '_to_copy',
  variants: [],
  overloads: [
    {
      schema: 'aten::_to_copy(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, MemoryFormat? memory_format=None) -> Tensor',
      infer: (a) => ({ shape: [...a.self.shape], dtype: (a.dtype as DType | null) ?? a.self.dtype }),
      cpu: (a, [out]) => copyInto(out!, a.self),
    },
  ],
});

function toImpl(self: Tensor, dtype: DType | null, copy: boolean, device: DeviceType | null = null): Tensor {
  const r = !copy && (dtype === null || dtype === self.dtype) ? (callOp('aten::alias', [self]) as Tensor) : (callOp('aten::_to_copy', [self], { dtype }) as Tensor);
  if (device === null || device === r.device) return r;
  // a device move (TorchScript's x.to(device)); reading back to the CPU is asynchronous in torchlet
  const moved = toDevice(r, device);
  r.dispose();
  return moved;
}

export const to = defineOp({
  name: 'to',
  variants: [],
  overloads: [
    {
      schema: 'aten::to.dtype(Tensor(a) self, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)',
      decompose: (a) => toImpl(a.self, a.dtype, a.copy),
    },
    {
      schema: 'aten::to.device(Tensor(a) self, Device device, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)',
      decompose: (a) => toImpl(a.self, a.dtype, a.copy, a.device),
    },
    {
      schema: 'aten::to.dtype_layout(Tensor(a) self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)',
      decompose: (a) => toImpl(a.self, a.dtype, a.copy, a.device),
    },
    {
      schema: 'aten::to.other(Tensor(a) self, Tensor other, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)',
      decompose: (a) => toImpl(a.self, (a.other as Tensor).dtype, a.copy, (a.other as Tensor).device),
    },
    // TorchScript's x.to(device), x.to(dtype=...) and x.to() with an int dtype code
    {
      schema: 'aten::to.prim_Device(Tensor(a) self, Device? device, int? dtype=None, bool non_blocking=False, bool copy=False) -> Tensor(b|a)',
      decompose: (a) => toImpl(a.self, a.dtype === null ? null : parseDType(a.dtype), a.copy, a.device ?? null),
    },
    {
      schema: 'aten::to.prim_dtype(Tensor(a) self, int? dtype=None, bool non_blocking=False, bool copy=False) -> Tensor(b|a)',
      decompose: (a) => toImpl(a.self, a.dtype === null ? null : parseDType(a.dtype), a.copy),
    },
    {
      schema: 'aten::to.prim_other(Tensor(a) self, bool non_blocking=False, bool copy=False) -> Tensor(b|a)',
      decompose: (a) => toImpl(a.self, null, a.copy),
    },
  ],
});

/** x.cpu(): the tensor itself on the CPU (a device tensor must be read back with await t.to('cpu')). */
export const cpu = defineOp({
  name: 'cpu',
  variants: [],
  overloads: [{ schema: 'aten::cpu(Tensor(a) self) -> Tensor(b|a)', decompose: (a) => toImpl(a.self, null, false, 'cpu') }],
});
