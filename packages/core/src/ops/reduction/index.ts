import { sum } from './sum.js';

export const reductionOps = [sum] as const;
