import { compileSource } from './compile.js';
import { load, loadSync, save } from './serialize/index.js';
import { trace } from './trace/index.js';

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

/**
 * `torch.jit`: `jit.load(bytes | ArrayBuffer | path)` resolves to a ScriptModule (TorchScript
 * archives) or a TracedModule (torchlet graph files from `jit.save`); `jit.trace` records JS
 * model code into a graph.
 */
export const jit = {
  load,
  loadSync,
  /** compiles TorchScript source text (like torch.jit.CompilationUnit) */
  compile: compileSource,
  trace,
  save,
};

export { compileSource as compile };
// torch.jit.trace / torch.jit.save and the torchlet graph format (packages/jit/src/trace, src/serialize)
export {
  trace, ScriptFunction, TracedModule, TracerWarning, TracingError, optimizeTraced, freezeTraced, generateCode, compareOutputs,
  type TraceOptions, type OutputSpec, type ExampleInputs, type OptimizeOptions, type TracedModuleOptions,
} from './trace/index.js';
export {
  load, loadSync, save, loadGraphFile, readFileInfo, isGraphFile, GraphFormatError, FORMAT_VERSION, READER_VERSION,
  type SaveOptions, type Saveable, type FileInfo,
} from './serialize/index.js';
