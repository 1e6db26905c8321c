/**
 * torchlet's saved-graph format: `torch.jit.save(m)` -> bytes, and `torch.jit.load(bytes)`,
 * which tells such a file from a TorchScript `.pt` zip by its magic and reads both.
 */
import { loadTorchScript, loadTorchScriptSync, type LoadInput, type LoadOptions } from '../loader.js';
import type { ScriptModule } from '../module.js';
import { JitError } from '../errors.js';
import type { TracedModule } from '../trace/traced.js';
import { isGraphFile } from './format.js';
import { loadGraphFile } from './load.js';

export { save, withSelf, type SaveOptions, type Saveable } from './save.js';
export { loadGraphFile, readFileInfo, type FileInfo } from './load.js';
export { FILE_IDENTIFIER, FORMAT_VERSION, READER_VERSION, GraphFormatError, isGraphFile, isZip } from './format.js';

async function readBytes(input: LoadInput): Promise<Uint8Array> {
  if (typeof input === 'string') {
    const fs = await import('node:fs/promises');
    const buf = await fs.readFile(input);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new JitError('torch.jit.load expects a Uint8Array, an ArrayBuffer or a file path');
}

/**
 * torch.jit.load: a torchlet graph file (torch.jit.save) becomes a TracedModule, a TorchScript
 * archive (`.pt`, PyTorch's torch.jit.save) a ScriptModule.
 */
export async function load(input: LoadInput, opts: LoadOptions = {}): Promise<ScriptModule | TracedModule> {
  const bytes = await readBytes(input);
  if (isGraphFile(bytes)) return loadGraphFile(bytes, opts.optimize === undefined ? {} : { optimize: opts.optimize });
  return loadTorchScript(bytes, opts);
}

/** Synchronous `load` for bytes in memory. */
export function loadSync(data: Uint8Array | ArrayBuffer, opts: LoadOptions = {}): ScriptModule | TracedModule {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (isGraphFile(bytes)) return loadGraphFile(bytes, opts.optimize === undefined ? {} : { optimize: opts.optimize });
  return loadTorchScriptSync(bytes, opts);
}

