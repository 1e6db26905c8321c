import { defineOp } from '../../registry.js';
import { anyAllOverloads } from './any.js';

export const all = defineOp({ name: 'all', tags: ['reduction'], overloads: anyAllOverloads('all') });
