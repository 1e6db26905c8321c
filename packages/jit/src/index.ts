import { compileSource } from './compile.js';
import { loadTorchScript, loadTorchScriptSync } from './loader.js';

export { loadTorchScript, loadTorchScriptSync, type LoadOptions, type LoadInput } from './loader.js';
export { ScriptModule } from './module.js';
export { compileSource, ScriptedSource } from './compile.js';
export {
  JitError, ZipError, PickleError, ScriptSyntaxError, ScriptCompileError, ScriptRuntimeError, UnsupportedArchiveError, UnsupportedOpError,
  type SourcePos,
} from './errors.js';
export { openZip, ZipArchive, crc32, type ZipEntry } from './archive/zip.js';
export { unpickle, storageFromBytes, StorageType, UnsupportedTensor, containerTypeTags, type UnpicklerHooks, type LoadedStorage } from './archive/pickle.js';
export { parseSource } from './script/parser.js';
export { tokenize } from './script/lexer.js';
export { CompilationUnit } from './script/unit.js';
export { compileFunction } from './script/compiler.js';

/** `torch.jit`: `jit.load(bytes | ArrayBuffer | path)` resolves to a ScriptModule. */
export const jit = {
  load: loadTorchScript,
  loadSync: loadTorchScriptSync,
  /** compiles TorchScript source text (like torch.jit.CompilationUnit) */
  compile: compileSource,
};

export { loadTorchScript as load, loadTorchScriptSync as loadSync, compileSource as compile };
