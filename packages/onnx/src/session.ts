import { Tensor, type DType } from '@torchlet/core';
import { printGraph, type Graph } from '@torchlet/ir';
import { GraphRunner, OnnxRunError } from './exec.js';
import { importModel, type InputInfo } from './import.js';
import { decodeModel, OnnxFormatError, type ExternalDataResolver } from './proto.js';

export type OnnxValue = Tensor | Tensor[] | null;

export interface LoadOptions {
  /** weights stored outside the model: file name (as in the model) -> bytes */
  externalData?: Map<string, Uint8Array> | Record<string, Uint8Array>;
  /** directory to read external data files from (Node only) when `load` gets a path */
  baseDir?: string;
}

export { OnnxRunError };

/** An ONNX model imported into torchlet's IR, shaped like onnxruntime-web's InferenceSession. */
export class InferenceSession {
  readonly inputNames: string[];
  readonly outputNames: string[];
  private readonly runner: GraphRunner;

  constructor(
    readonly graph: Graph,
    readonly inputInfo: InputInfo[],
    outputNames: string[],
    readonly opset: number,
  ) {
    this.inputNames = inputInfo.map((i) => i.name);
    this.outputNames = outputNames;
    this.runner = new GraphRunner(graph);
  }

  /** onnxruntime's spelling of `torch.onnx.load`. */
  static create(source: Uint8Array | ArrayBuffer | string, options: LoadOptions = {}): Promise<InferenceSession> {
    return load(source, options);
  }

  /**
   * Runs the model; feeds and results are keyed by the model's input/output names. `fetches`
   * (as in onnxruntime) picks the outputs to return; the others are freed.
   */
  async run(feeds: Record<string, OnnxValue>, fetches?: readonly string[]): Promise<Record<string, OnnxValue>> {
    for (const f of fetches ?? []) {
      if (!this.outputNames.includes(f)) throw new OnnxRunError(`fetch '${f}' is not an output of the model (outputs: ${this.outputNames.join(', ')})`);
    }
    const known = new Set(this.inputNames);
    for (const k of Object.keys(feeds)) {
      if (!known.has(k)) throw new OnnxRunError(`feed '${k}' is not an input of the model (inputs: ${this.inputNames.join(', ')})`);
    }
    const args = this.inputInfo.map((info) => {
      if (!(info.name in feeds)) throw new OnnxRunError(`missing feed for input '${info.name}'`);
      const v = feeds[info.name]!;
      checkFeed(info, v);
      return v;
    });
    const outs = this.runner.run(args);
    const result: Record<string, OnnxValue> = {};
    this.outputNames.forEach((n, i) => {
      const v = outs[i] as OnnxValue;
      if (!fetches || fetches.includes(n)) result[n] = v;
      else if (!Object.values(result).includes(v) && !outs.some((o, j) => j !== i && o === v)) for (const t of Array.isArray(v) ? v : [v]) t?.dispose();
    });
    return result;
  }

  /** The imported graph as text. */
  toString(): string {
    return printGraph(this.graph);
  }
}

function checkFeed(info: InputInfo, v: OnnxValue): void {
  if (info.kind === 'tensor') {
    if (!(v instanceof Tensor)) throw new OnnxRunError(`input '${info.name}' must be a Tensor`);
    if (info.elemType && info.elemType !== v.dtype && isTorchletDType(info.elemType)) {
      throw new OnnxRunError(`input '${info.name}' must have dtype ${info.elemType}, got ${v.dtype}`);
    }
    if (info.shape) {
      const want = `[${info.shape.map((d) => d ?? '?').join(', ')}]`;
      const got = `[${v.shape.join(', ')}]`;
      if (info.shape.length !== v.ndim) throw new OnnxRunError(`input '${info.name}' must have rank ${info.shape.length} (shape ${want}), got shape ${got}`);
      info.shape.forEach((d, i) => {
        if (typeof d === 'number' && d !== v.shape[i]) throw new OnnxRunError(`input '${info.name}' must have shape ${want}, got ${got} (dim ${i})`);
      });
    }
  } else if (info.kind === 'sequence' && !Array.isArray(v)) {
    throw new OnnxRunError(`input '${info.name}' must be a sequence (array of Tensors)`);
  }
}

const DTYPE_NAMES = new Set(['float32', 'float64', 'float16', 'int8', 'int16', 'int32', 'int64', 'uint8', 'bool']);
function isTorchletDType(s: string): s is DType {
  return DTYPE_NAMES.has(s);
}

/** torch.onnx.load: bytes (or, in Node, a file path) -> InferenceSession. */
export async function load(source: Uint8Array | ArrayBuffer | string, options: LoadOptions = {}): Promise<InferenceSession> {
  // Node-only: paths; the import stays dynamic so browsers never load node:fs
  const readFile = async (p: string): Promise<Uint8Array> => new Uint8Array(await (await import('node:fs/promises')).readFile(p));
  let bytes: Uint8Array;
  let baseDir = options.baseDir;
  if (typeof source === 'string') {
    bytes = await readFile(source);
    baseDir ??= source.replace(/[^/\\]*$/, '');
  } else bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  const model = decodeModel(bytes);
  const ext = options.externalData instanceof Map ? options.externalData : new Map(Object.entries(options.externalData ?? {}));
  if (baseDir) {
    // read the external files the initializers name before the (synchronous) import
    for (const t of model.graph?.initializer ?? []) {
      const loc = t.data_location === 1 ? t.external_data?.find((e) => e.key === 'location')?.value : undefined;
      if (loc && !ext.has(loc)) ext.set(loc, await readFile(`${baseDir}/${loc}`));
    }
  }
  const external: ExternalDataResolver = (location, offset, length) => {
    const file = ext.get(location);
    if (!file) throw new OnnxFormatError(`external data file '${location}' was not given (options.externalData)`);
    const end = length === undefined ? file.length : offset + length;
    if (end > file.length) throw new OnnxFormatError(`external data '${location}': bytes ${offset}..${end} are past its end (${file.length})`);
    return file.subarray(offset, end);
  };
  const imported = importModel(model, external);
  return new InferenceSession(imported.graph, imported.inputs, imported.outputNames, imported.opset);
}
