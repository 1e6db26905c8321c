import { defineOp } from '../../registry.js';
import { amaxOverload } from './amax.js';

export const amin = defineOp({ name: 'amin', tags: ['reduction'], overloads: [amaxOverload('amin')] });
