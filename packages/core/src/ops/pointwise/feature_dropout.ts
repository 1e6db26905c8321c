import { defineOp } from '../../registry.js';
import { dropoutOverloads } from './dropout.js';

const o = dropoutOverloads('feature_dropout', { feature: true, alpha: false });

/** torch.feature_dropout(input, p, train): zeroes whole channels (dim 1) */
export const feature_dropout = defineOp({ name: 'feature_dropout', variants: ['function'], overloads: [o.fn] });
export const feature_dropout_ = defineOp({ name: 'feature_dropout_', variants: ['function'], overloads: [o.inplace] });
