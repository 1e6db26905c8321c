import { defineOp } from '../../registry.js';
import { adaptiveAvg2d } from './adaptive_avg_pool2d.js';

/** The kernel behind adaptive_avg_pool2d (what some traced graphs call). */
export const _adaptive_avg_pool2d = defineOp({
  name: '_adaptive_avg_pool2d',
  variants: ['function'],
  overloads: [{ schema: 'aten::_adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor', ...adaptiveAvg2d }],
});
