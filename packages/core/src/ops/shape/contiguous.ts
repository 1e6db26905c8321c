import { callOp } from '../../dispatch.js';
import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

export const contiguous = defineOp({
  name: 'contiguous',
  variants: ['method'],
  overloads: [
    {
      schema: 'aten::contiguous(Tensor(a) self, *, MemoryFormat memory_format=contiguous_format) -> Tensor(a)',
      tags: ['composite'],
      // a contiguous tensor is returned as a new view of itself so callers may dispose it freely
      decompose: (a) => {
        const self = a.self as Tensor;
        return self.is_contiguous() ? callOp('aten::alias', [self]) : callOp('aten::clone', [self]);
      },
    },
  ],
});

export const alias = defineOp({
  name: 'alias',
  variants: [],
  overloads: [{ schema: 'aten::alias(Tensor(a) self) -> Tensor(a)', view: (a) => ({ shape: [...a.self.shape], strides: [...a.self.strides], offset: a.self.offset }) }],
});
