import { conv2d_fused } from './conv2d_fused.js';
import { linear_fused } from './linear_fused.js';

/** Fused ops that inference graph passes produce (torchlet:: namespace, not in the eager API). */
export const fusedOps = [conv2d_fused, linear_fused] as const;
