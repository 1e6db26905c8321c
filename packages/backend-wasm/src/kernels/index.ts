import { registerConvOps } from './ops_conv.js';
import { registerElementwiseOps } from './ops_elementwise.js';
import { registerRnnOps } from './ops_rnn.js';

/** Attaches every wasm kernel to its registry overloads. */
export function registerAll(): void {
  registerConvOps();
  registerElementwiseOps();
  registerRnnOps();
}
