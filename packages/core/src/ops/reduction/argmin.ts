import { defineOp } from '../../registry.js';
import { argmaxOverload } from './argmax.js';

export const argmin = defineOp({ name: 'argmin', tags: ['reduction'], overloads: [argmaxOverload('argmin')] });
