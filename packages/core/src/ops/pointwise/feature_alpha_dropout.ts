import { defineOp } from '../../registry.js';
import { dropoutOverloads, pyDropout } from './dropout.js';

const o = dropoutOverloads('feature_alpha_dropout', { feature: true, alpha: true });

/** torch.feature_alpha_dropout(input, p, train) / F.feature_alpha_dropout(input, p=0.5, training=False, inplace=False) */
export const feature_alpha_dropout = defineOp({
  name: 'feature_alpha_dropout',
  variants: ['function', 'F'],
  overloads: [o.fn, pyDropout('feature_alpha_dropout', false, { feature: true, alpha: true })],
});
export const feature_alpha_dropout_ = defineOp({ name: 'feature_alpha_dropout_', variants: ['function'], overloads: [o.inplace] });
