import { defineOp } from '../../registry.js';
import { varOverloads } from './var.js';

export const std = defineOp({ name: 'std', tags: ['reduction'], overloads: varOverloads('std') });
