/**
 * PyTorch's OpInfo samples on the webgpu device: every tensor of a sample is uploaded, the op runs
 * through the eager API, results are read back and compared with PyTorch's outputs. Samples the
 * device cannot hold (float64/float16 tensors, int64 beyond 32 bits) or ops without a webgpu
 * kernel or decomposition count as unsupported, not as failures. Used by the tests and by
 * `scripts/conformance.ts`.
 */
import { Tensor, callFunction, callMethod, pythonIndex, tidy, keep } from '@torchlet/core';

export interface SampleFile {
  op: string;
  samples: { dtype: string; input: unknown; args: unknown[]; kwargs: Record<string, unknown>; output: unknown }[];
}

export interface DeviceConformance {
  file: string;
  passed: number;
  failed: number;
  unsupported: number;
  errors: string[];
  /** why samples were unsupported (first of each kind) */
  reasons: string[];
}

export interface ConformanceHelpers {
  decode: (v: unknown) => unknown;
  compare: (got: unknown, want: unknown, rtol: number, atol: number) => string | undefined;
}

const DEVICE_DTYPES = new Set(['float32', 'int32', 'int64', 'int16', 'int8', 'uint8', 'bool']);

class Unsupported extends Error {}

/** Tensors go to the device; 0-d tensors among the arguments stay on the CPU (they are scalars). */
function toDevice(v: unknown, scalarsStay = false): unknown {
  if (v instanceof Tensor) {
    if (scalarsStay && v.ndim === 0) return v;
    if (!DEVICE_DTYPES.has(v.dtype)) throw new Unsupported(`${v.dtype} tensor`);
    try {
      return v.to('webgpu');
    } catch (e) {
      throw new Unsupported((e as Error).message);
    }
  }
  if (Array.isArray(v)) return v.map((x) => toDevice(x, scalarsStay));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = toDevice(x, scalarsStay);
    return o;
  }
  return v;
}

async function toHost(v: unknown): Promise<unknown> {
  if (v instanceof Tensor) return v.device === 'cpu' ? v : await v.to('cpu');
  if (Array.isArray(v)) return Promise.all(v.map(toHost));
  return v;
}

function collect(v: unknown, out: Tensor[]): void {
  if (v instanceof Tensor) out.push(v);
  else if (Array.isArray(v)) for (const e of v) collect(e, out);
}

const LOOSE = /^(mean|sum|prod|cumsum|cumprod|matmul|mm|bmm|addmm|baddbmm|linear|conv|std|var|norm|softmax|log_softmax|layer_norm|group_norm|batch_norm|instance_norm|interpolate|avg_pool|adaptive_avg|logsumexp|scaled_dot)/;

/** Runs one OpInfo sample file on the webgpu device. */
export async function runSamplesOnWebGPU(file: string, d: SampleFile, h: ConformanceHelpers): Promise<DeviceConformance> {
  const isF = d.op.startsWith('nn.functional.');
  const name = isF ? d.op.slice('nn.functional.'.length) : d.op;
  const entry = pythonIndex().get(name);
  const fnVariant = isF ? 'F' : 'function';
  const loose = LOOSE.test(name);
  const res: DeviceConformance = { file, passed: 0, failed: 0, unsupported: 0, errors: [], reasons: [] };
  for (const s of d.samples) {
    const temps: Tensor[] = [];
    try {
      const want = h.decode(s.output);
      const got = tidy(() => {
        const input = toDevice(h.decode(s.input));
        const args = toDevice(h.decode(s.args), true) as unknown[];
        const kwargs = toDevice(h.decode(s.kwargs), true) as Record<string, unknown>;
        const uploaded: Tensor[] = [];
        collect([input, args, Object.values(kwargs)], uploaded);
        if (!uploaded.some((t) => t.device === 'webgpu')) throw new Unsupported('no tensor on the device');
        const positional = name === 'where' && args.length === 2 ? [args[0], input, args[1]] : [input, ...args];
        const call = [...positional, ...(Object.keys(kwargs).length ? [kwargs] : [])];
        let r: unknown;
        try {
          if (entry?.variants.has(fnVariant)) r = callFunction(name, call, fnVariant);
          else if (entry?.variants.has('method') && input instanceof Tensor) r = callMethod(name, input, call.slice(1));
          else throw new Unsupported(`no function ${name}`);
        } catch (e) {
          const m = (e as Error).message;
          if (/no webgpu kernel|webgpu tensors hold|webgpu convolution supports|is out of range|inference only/.test(m)) throw new Unsupported(m);
          throw e;
        }
        const ts: Tensor[] = [];
        collect(r, ts);
        for (const t of ts) keep(t);
        return r;
      });
      collect(got, temps);
      const host = await toHost(got);
      collect(host, temps);
      const why = h.compare(host, want, loose ? 1e-3 : 1e-4, loose ? 1e-4 : 1e-5);
      if (why) throw new Error(`[${s.dtype}] ${why}`);
      // a result left on the CPU would mean the op did not run on the device
      if (got instanceof Tensor && got.device !== 'webgpu') throw new Error(`result on ${got.device}`);
      res.passed++;
    } catch (e) {
      if (e instanceof Unsupported) {
        res.unsupported++;
        const m = (e as Error).message.split('\n')[0]!.slice(0, 200);
        if (!res.reasons.includes(m)) res.reasons.push(m);
      }
      else {
        res.failed++;
        res.errors.push((e as Error).message.split('\n')[0]!.slice(0, 300));
      }
    } finally {
      for (const t of temps) t.dispose();
    }
  }
  return res;
}
