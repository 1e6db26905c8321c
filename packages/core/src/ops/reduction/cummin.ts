import { defineOp } from '../../registry.js';
import { cummaxOverload } from './cummax.js';

export const cummin = defineOp({ name: 'cummin', overloads: [cummaxOverload('cummin')] });
