import { empty, empty_like, empty_strided, full, full_like, new_empty, new_empty_strided, new_full, new_ones, new_tensor, new_zeros, ones, ones_like, scalar_tensor, zeros, zeros_like } from './fill.js';
import { bernoulli, bernoulli_, normal, normal_, rand, rand_like, randint, randint_like, randn, randn_like, random_, randperm, uniform_ } from './random.js';
import { arange, eye, linspace, logspace, tril_indices, triu_indices } from './range.js';

import { __invert__, fill, fill_, zero_ } from './fill_.js';

export const factoryOps = [
  fill, fill_, zero_, __invert__,
  zeros, ones, full, empty, empty_strided, scalar_tensor, zeros_like, ones_like, full_like, empty_like,
  new_zeros, new_ones, new_full, new_empty, new_empty_strided, new_tensor,
  arange, linspace, logspace, eye, tril_indices, triu_indices,
  rand, rand_like, uniform_, randn, randn_like, normal_, normal, randint, randint_like, random_, randperm, bernoulli, bernoulli_,
] as const;
