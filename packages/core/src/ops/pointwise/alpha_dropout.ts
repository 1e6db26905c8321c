import { defineOp } from '../../registry.js';
import { dropoutOverloads, pyDropout } from './dropout.js';

const o = dropoutOverloads('alpha_dropout', { feature: false, alpha: true });

/** torch.alpha_dropout(input, p, train) / F.alpha_dropout(input, p=0.5, training=False, inplace=False) */
export const alpha_dropout = defineOp({
  name: 'alpha_dropout',
  variants: ['function', 'F'],
  overloads: [o.fn, pyDropout('alpha_dropout', false, { feature: false, alpha: true })],
});
export const alpha_dropout_ = defineOp({ name: 'alpha_dropout_', variants: ['function'], overloads: [o.inplace] });
