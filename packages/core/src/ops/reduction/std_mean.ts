import { defineOp } from '../../registry.js';
import { varOverloads } from './var.js';

export const std_mean = defineOp({ name: 'std_mean', tags: ['reduction'], overloads: varOverloads('std_mean') });
