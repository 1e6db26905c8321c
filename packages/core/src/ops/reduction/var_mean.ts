import { defineOp } from '../../registry.js';
import { varOverloads } from './var.js';

export const var_mean = defineOp({ name: 'var_mean', tags: ['reduction'], overloads: varOverloads('var_mean') });
