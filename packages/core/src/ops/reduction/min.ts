import { defineOp } from '../../registry.js';
import { maxOverloads } from './max.js';

export const min = defineOp({ name: 'min', tags: ['reduction'], overloads: maxOverloads('min') });
