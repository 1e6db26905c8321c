import { registerConvOps } from './ops_conv.js';
import { registerElementwiseOps } from './ops_elementwise.js';

/** Attaches every wasm kernel to its registry overloads. */
export function registerAll(): void {
  registerConvOps();
  registerElementwiseOps();
}
