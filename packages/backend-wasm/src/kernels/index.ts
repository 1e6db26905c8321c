import { registerConvOps } from './ops_conv.js';

/** Attaches every wasm kernel to its registry overloads. */
export function registerAll(): void {
  registerConvOps();
}
