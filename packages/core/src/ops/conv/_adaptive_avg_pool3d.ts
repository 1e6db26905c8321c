import { defineOp } from '../../registry.js';
import { adaptiveAvg3d } from './adaptive_avg_pool3d.js';

/** The kernel behind adaptive_avg_pool3d (what some traced graphs call). */
export const _adaptive_avg_pool3d = defineOp({
  name: '_adaptive_avg_pool3d',
  variants: ['function'],
  overloads: [{ schema: 'aten::_adaptive_avg_pool3d(Tensor self, int[3] output_size) -> Tensor', ...adaptiveAvg3d }],
});
