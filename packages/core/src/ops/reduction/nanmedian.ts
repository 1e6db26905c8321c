import { defineOp } from '../../registry.js';
import { medianOverloads } from './median.js';

export const nanmedian = defineOp({ name: 'nanmedian', tags: ['reduction'], overloads: medianOverloads('nanmedian') });
