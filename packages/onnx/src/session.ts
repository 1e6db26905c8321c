import { backendsReady, Tensor, type DType } from '@torchlet/core';
import { Interpreter, ScriptError, optimizeForInference, printGraph, type Graph, type InferenceOptions, type Node } from '@torchlet/ir';
import { importModel, type InputInfo } from './import.js';
import { decodeModel, OnnxFormatError, type ExternalDataResolver } from './proto.js';

export type OnnxValue = Tensor | Tensor[] | null;

export interface LoadOptions {
  /** weights stored outside the model: file name (as in the model) -> bytes */
  externalData?: Map<string, Uint8Array> | Record<string, Uint8Array>;
  /** directory to read external data files from (Node only) when `load` gets a path */
  baseDir?: string;
  /**
   * Optimise the imported graph for inference (`optimizeForInference`: constant folding, batch
   * norms folded into convolutions, fused conv/linear epilogues). Default true; `false` runs the
   * graph as imported. An object passes options to the pass.
   */
  optimize?: boolean | InferenceOptions;
}

/** Errors raised while running a graph name the ONNX node that failed. */
export class OnnxRunError extends Error {
  override name = 'OnnxRunError';
}

/** An ONNX model imported into torchlet's IR, shaped like onnxruntime-web's InferenceSession. */
export class InferenceSession {
  readonly inputNames: string[];
  readonly outputNames: string[];
  /** the one IR interpreter (@torchlet/ir) runs the imported graph */
  private readonly interpreter = new Interpreter();
  /** storages of the graph's constant tensors (outputs sharing them are handed out as copies) */
  private readonly constantStorages: Set<unknown>;

  constructor(
    readonly graph: Graph,
    readonly inputInfo: InputInfo[],
    outputNames: string[],
    readonly opset: number,
  ) {
    this.inputNames = inputInfo.map((i) => i.name);
    this.outputNames = outputNames;
    this.constantStorages = new Set();
    for (const n of graph.allNodes()) {
      if (n.kind === 'prim::Constant' && n.hasAttr('value')) forEachTensor(n.attr('value'), (t) => this.constantStorages.add(t.storage));
    }
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
    let outs: unknown[];
    try {
      outs = await this.interpreter.run(this.graph, args);
    } catch (e) {
      throw runError(e);
    }
    // never hand out a constant or a feed (or a view of one): the caller may dispose what it gets
    const foreign = new Set(this.constantStorages);
    for (const a of args) forEachTensor(a, (t) => foreign.add(t.storage));
    outs = outs.map((v) => mapTensors(v, (t) => (foreign.has(t.storage) ? t.clone() : t)));
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

function forEachTensor(v: unknown, f: (t: Tensor) => void): void {
  if (v instanceof Tensor) f(v);
  else if (Array.isArray(v)) for (const e of v) forEachTensor(e, f);
}
function mapTensors(v: unknown, f: (t: Tensor) => Tensor): unknown {
  if (v instanceof Tensor) return f(v);
  if (Array.isArray(v)) return v.map((e) => mapTensors(e, f));
  return v;
}

/** `Conv 'conv1'`: the ONNX op (and node name) an IR node was imported from. */
function nodeLabel(n: Node): string {
  const name = n.hasAttr('onnx_name') ? String(n.attr('onnx_name')) : undefined;
  const op = n.hasAttr('onnx_op') ? String(n.attr('onnx_op')) : n.kind;
  return `${op}${name ? ` '${name}'` : ''}`;
}

/** An interpreter error as an OnnxRunError naming the failing node. */
function runError(e: unknown): unknown {
  if (!(e instanceof ScriptError)) return e;
  const inner = e.cause instanceof Error ? e.cause.message : e.reason;
  const err = new OnnxRunError(`node ${nodeLabel(e.node)}: ${inner}`);
  err.cause = e;
  return err;
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
  await backendsReady();
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
  if (options.optimize !== false) optimizeForInference(imported.graph, typeof options.optimize === 'object' ? options.optimize : {});
  return new InferenceSession(imported.graph, imported.inputs, imported.outputNames, imported.opset);
}
