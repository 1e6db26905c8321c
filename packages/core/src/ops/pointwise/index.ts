import { add } from './add.js';
import { mul } from './mul.js';
import { relu } from './relu.js';
import { sub } from './sub.js';

export const pointwiseOps = [add, sub, mul, relu] as const;
