import { defineOp } from '../../registry.js';
import { outerImpl } from './outer.js';

/** The deprecated name of outer. */
export const ger = defineOp({
  name: 'ger',
  overloads: [{ schema: 'aten::ger(Tensor self, Tensor vec2) -> Tensor', ...outerImpl('outer') }],
});
