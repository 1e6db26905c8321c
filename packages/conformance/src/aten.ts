import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callFunction, callMethod, parseDType, pythonIndex, tensor, Tensor, type DType, tidy } from '@torchlet/core';

/** The ops issue #2 names, with the OpInfo sample files that cover each. */
export const CORE_OPS: Record<string, string[]> = {
  abs: ['abs'], add: ['add'], addmm: ['addmm', 'addmm.decomposed'], amax: ['amax'], argmax: ['argmax'], argmin: ['argmin'],
  bmm: ['bmm'], cat: ['cat'], chunk: ['chunk'], clamp: ['clamp'], clamp_max: ['clamp_max'], clamp_min: ['clamp_min'],
  clone: ['clone'], contiguous: ['contiguous'], cos: ['cos'], cumsum: ['cumsum'],
  div: ['div.no_rounding_mode', 'div.floor_rounding', 'div.trunc_rounding'], eq: ['eq'], exp: ['exp'], expand: ['expand'],
  flatten: ['flatten'], flip: ['flip'], floor: ['floor'], full_like: ['full_like'], gather: ['gather'], ge: ['ge'], gt: ['gt'],
  index_select: ['index_select'], le: ['le'], log: ['log'], log_softmax: ['log_softmax', 'log_softmax.dtype'], lt: ['lt'],
  matmul: ['matmul'], max: ['max.binary', 'max.reduction_no_dim', 'max.reduction_with_dim'],
  min: ['min.binary', 'min.reduction_no_dim', 'min.reduction_with_dim'], maximum: ['maximum'], minimum: ['minimum'],
  mean: ['mean'], mm: ['mm'], mul: ['mul'], ne: ['ne'], neg: ['neg'],
  adaptive_avg_pool2d: ['nn.functional.adaptive_avg_pool2d'], avg_pool2d: ['nn.functional.avg_pool2d'],
  batch_norm: ['nn.functional.batch_norm'], conv1d: ['nn.functional.conv1d'], conv2d: ['nn.functional.conv2d'],
  conv_transpose2d: ['nn.functional.conv_transpose2d'], embedding: ['nn.functional.embedding'], gelu: ['nn.functional.gelu'],
  hardsigmoid: ['nn.functional.hardsigmoid'], hardswish: ['nn.functional.hardswish'], hardtanh: ['nn.functional.hardtanh'],
  interpolate: ['nn.functional.interpolate.nearest', 'nn.functional.interpolate.bilinear'],
  layer_norm: ['nn.functional.layer_norm'], group_norm: ['nn.functional.group_norm'], leaky_relu: ['nn.functional.leaky_relu'],
  linear: ['nn.functional.linear'], max_pool2d: ['nn.functional.max_pool2d'], pad: ['nn.functional.pad.constant', 'nn.functional.pad.reflect', 'nn.functional.pad.replicate', 'nn.functional.pad.circular'],
  relu: ['nn.functional.relu'], relu6: ['nn.functional.relu6'], silu: ['nn.functional.silu'], elu: ['nn.functional.elu'],
  pixel_shuffle: ['nn.functional.pixel_shuffle'], ones_like: ['ones_like'], permute: ['permute'], pow: ['pow'], prod: ['prod'],
  reciprocal: ['reciprocal'], reshape: ['reshape'], rsqrt: ['rsqrt'], sigmoid: ['sigmoid'], sign: ['sign'], sin: ['sin'],
  slice: ['slice'], softmax: ['softmax', 'softmax.with_dtype'], split: ['split', 'split.list_args'], sqrt: ['sqrt'],
  squeeze: ['squeeze'], stack: ['stack'], sub: ['sub'], sum: ['sum'], t: ['t'], tanh: ['tanh'], topk: ['topk'],
  transpose: ['transpose'], unsqueeze: ['unsqueeze'], view: ['view'], where: ['where'], zeros_like: ['zeros_like'],
  repeat: ['repeat'], roll: ['roll'], sort: ['sort'], tril: ['tril'], triu: ['triu'], logical_not: ['logical_not'],
  logical_and: ['logical_and'], any: ['any'], all: ['all'], arange: ['arange'], ones: ['ones'], new_zeros: ['new_zeros'],
  masked_fill: ['masked_fill'], narrow: ['narrow'], select: ['select'], erf: ['erf'], square: ['square'], unbind: ['unbind'],
};

interface JsonTensor { tensor: { dtype: string; shape: number[]; data: string } }
interface Sample { dtype: string; input: unknown; args: unknown[]; kwargs: Record<string, unknown>; output: unknown }
interface OpFile { op: string; variant: string; aten: string; samples: Sample[] }

function decodeTensor(j: JsonTensor['tensor']): Tensor {
  const bytes = Buffer.from(j.data, 'base64');
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  const dtype = parseDType(j.dtype);
  const ctor = { float32: Float32Array, float64: Float64Array, float16: Uint16Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array, uint8: Uint8Array, bool: Uint8Array }[dtype];
  const arr = new ctor(buf);
  return tensor(arr, { shape: j.shape, dtype });
}

export function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('tensor' in o) return decodeTensor((o as unknown as JsonTensor).tensor);
    if ('dtype' in o && Object.keys(o).length === 1 && typeof o.dtype === 'string') return parseDType(o.dtype);
    if ('float' in o && Object.keys(o).length === 1) return Number(o.float === 'inf' ? Infinity : o.float === '-inf' ? -Infinity : NaN);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = decode(x);
    return out;
  }
  return v;
}

function close(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/** Compares a torchlet result with PyTorch's; returns a reason on mismatch. */
export function compare(got: unknown, want: unknown, rtol: number, atol: number, path = 'out'): string | undefined {
  if (want instanceof Tensor) {
    if (!(got instanceof Tensor)) return `${path}: expected a Tensor, got ${typeof got}`;
    if (got.dtype !== want.dtype) return `${path}: dtype ${got.dtype}, expected ${want.dtype}`;
    if (got.shape.join() !== want.shape.join()) return `${path}: shape [${got.shape}], expected [${want.shape}]`;
    const g = got.contiguousArray(), w = want.contiguousArray();
    for (let i = 0; i < w.length; i++) {
      if (!close(g[i]!, w[i]!, rtol, atol)) return `${path}[${i}]: ${g[i]} != ${w[i]} (dtype ${want.dtype}, shape [${want.shape}])`;
    }
    return undefined;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return `${path}: expected a sequence of ${want.length}, got ${typeof got}`;
    if (got.length !== want.length) return `${path}: length ${got.length}, expected ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      const r = compare(got[i], want[i], rtol, atol, `${path}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  if (typeof want === 'number') {
    const g = got instanceof Tensor && got.numel() === 1 ? Number(got.item()) : got;
    return typeof g === 'number' && close(g, want, rtol, atol) ? undefined : `${path}: ${String(g)} != ${want}`;
  }
  if (typeof want === 'boolean') return got === want || (got instanceof Tensor && got.item() === want) ? undefined : `${path}: ${String(got)} != ${want}`;
  return undefined;
}

export interface OpResult { file: string; op: string; passed: number; total: number; errors: string[] }

const LOOSE = /^(mean|sum|prod|cumsum|matmul|mm|bmm|addmm|baddbmm|linear|conv|std|var|norm|softmax|log_softmax|layer_norm|group_norm|batch_norm|interpolate|avg_pool|adaptive_avg|embedding_bag|logsumexp|einsum|tensordot|dot|inner|outer|kron|cdist|pdist)/;

export function runSampleFile(path: string): OpResult {
  const d = JSON.parse(readFileSync(path, 'utf8')) as OpFile;
  const file = path.split('/').pop()!.replace(/\.json$/, '');
  const isF = d.op.startsWith('nn.functional.');
  const name = isF ? d.op.slice('nn.functional.'.length) : d.op;
  const res: OpResult = { file, op: d.op, passed: 0, total: d.samples.length, errors: [] };
  const entry = pythonIndex().get(name);
  const fnVariant = isF ? 'F' : 'function';
  const loose = LOOSE.test(name);
  for (const s of d.samples) {
    try {
      tidy(() => {
        const input = decode(s.input);
        const args = decode(s.args) as unknown[];
        const kwargs = decode(s.kwargs) as Record<string, unknown>;
        const want = decode(s.output);
        // OpInfo's `where` is `lambda self, condition, other: torch.where(condition, self, other)`
        // OpInfo's einsum sample is `op(operands, equation)`; torch.einsum takes (equation, operands)
        const positional =
          name === 'where' && args.length === 2 ? [args[0], input, args[1]] : name === 'einsum' && args.length === 1 ? [args[0], input] : [input, ...args];
        const call = [...positional, ...(Object.keys(kwargs).length ? [kwargs] : [])];
        let got: unknown;
        if (entry?.variants.has(fnVariant)) got = callFunction(name, call, fnVariant);
        else if (entry?.variants.has('method') && input instanceof Tensor) got = callMethod(name, input, call.slice(1));
        else throw new Error(`${isF ? 'torch.nn.functional.' : 'torch.'}${name} is not supported`);
        const why = compare(got, want, loose ? 1e-3 : 1e-4, loose ? 1e-4 : 1e-5);
        if (why) throw new Error(`[${s.dtype}] ${why}`);
      });
      res.passed++;
    } catch (e) {
      res.errors.push((e as Error).message.split('\n')[0]!.slice(0, 300));
    }
  }
  return res;
}

export function runAtenDir(dir: string, only?: (file: string) => boolean): OpResult[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const out: OpResult[] = [];
  for (const f of files) {
    const stem = f.replace(/\.json$/, '');
    if (only && !only(stem)) continue;
    out.push(runSampleFile(join(dir, f)));
  }
  return out;
}

export function coreFiles(): Set<string> {
  return new Set(Object.values(CORE_OPS).flat());
}

export { type DType };
