/**
 * torch.jit.trace for torchlet: records JS model code (functions or nn.Modules) into the IR.
 *
 *   const traced = await torch.jit.trace(model, [x]);      // TracedModule
 *   const f = await torch.jit.trace((a, b) => a.mul(b).relu(), [a, b]);   // ScriptFunction
 *   await traced.forward(x2); traced.graph; traced.code;
 */
import { Tensor, getRegistry, tidy } from '@torchlet/core';
import { diffGraphs, resolveNodeOverload, type Graph, type Node } from '@torchlet/ir';
import { Module } from '@torchlet/nn';
import { ScriptFunction, TracedModule } from './traced.js';
import { describe, record, type TraceOptions } from './tracer.js';
import { TracerWarning, TracingError } from './warnings.js';

export { ScriptFunction, TracedModule, toJs, type TracedModuleOptions } from './traced.js';
export { TracerWarning, TracingError } from './warnings.js';
export { Recorder, parameterNames, type TraceOptions, type OutputSpec, type TraceResult } from './tracer.js';
export { generateCode, type CodeOptions } from './code.js';
export { optimizeTraced, freezeTraced, type OptimizeOptions } from './optimize.js';

/** Example inputs: one tensor, or the argument list. */
export type ExampleInputs = Tensor | readonly unknown[];

function normalize(inputs: ExampleInputs | undefined): unknown[] {
  if (inputs === undefined) return [];
  if (inputs instanceof Tensor) return [inputs];
  if (Array.isArray(inputs)) return [...inputs];
  return [inputs];
}

/**
 * Traces `target` (a function or an nn.Module, whose `forward` is run) on `exampleInputs` and
 * returns a ScriptFunction or TracedModule that replays the recorded ops on new inputs.
 * Reads of traced tensor values into JS raise TracerWarnings (`{strict: true}`: TracingErrors);
 * `{checkTrace: true}` (or `checkInputs`) re-runs the code and the trace and compares them.
 */
export async function trace(target: Module, exampleInputs?: ExampleInputs, options?: TraceOptions): Promise<TracedModule>;
export async function trace(target: (...args: never[]) => unknown, exampleInputs?: ExampleInputs, options?: TraceOptions): Promise<ScriptFunction>;
export async function trace(target: unknown, exampleInputs?: ExampleInputs, options?: TraceOptions): Promise<ScriptFunction | TracedModule>;
export async function trace(target: unknown, exampleInputs?: ExampleInputs, options: TraceOptions = {}): Promise<ScriptFunction | TracedModule> {
  if (target instanceof TracedModule || target instanceof ScriptFunction) return target;
  const args = normalize(exampleInputs);
  const r = await record(target, args, options);
  let traced: ScriptFunction | TracedModule;
  if (r.self) {
    r.self.type.methods.set('forward', r.graph);
    traced = new TracedModule(r.self, { outputSpecs: new Map([['forward', r.output]]), warnings: r.warnings });
  } else traced = new ScriptFunction(r.graph, r.output, r.warnings);
  if (options.checkTrace || options.checkInputs) await checkTrace(target, traced, r.graph, args, options, r.warnings as TracerWarning[]);
  return traced;
}

/** Is any node of the graph nondeterministic (dropout in training mode, random ops)? */
function nondeterministicNodes(g: Graph): string[] {
  const out: string[] = [];
  for (const n of g.allNodes()) {
    if (!getRegistry().overloads(n.kind)) continue;
    try {
      const ov = resolveNodeOverload(n);
      if (ov.tags.has('nondeterministic') || /^(aten::)?(dropout|rand|randn|randint|bernoulli|multinomial|normal|uniform|native_dropout|feature_dropout|alpha_dropout)/.test(ov.schema.qualifiedName.replace('aten::', ''))) {
        if (!isDropoutOff(n)) out.push(ov.key);
      }
    } catch {
      // unresolvable node: not ours to judge
    }
  }
  return out;
}
function isDropoutOff(n: Node): boolean {
  // dropout(input, p, train): deterministic when train is a constant false or p is 0
  if (!/dropout/.test(n.kind)) return false;
  const p = n.inputs[1]?.constantValue()?.value, train = n.inputs[2]?.constantValue()?.value;
  return train === false || p === 0;
}

async function checkTrace(target: unknown, traced: ScriptFunction | TracedModule, graph: Graph, args: unknown[], options: TraceOptions, warnings: TracerWarning[]): Promise<void> {
  const emit = (message: string, kind: string): void => {
    if (options.strict) throw new TracingError(message, kind);
    const w = new TracerWarning(message, kind);
    warnings.push(w);
    if (options.onWarning) options.onWarning(w);
    else console.warn(`TracerWarning: ${w.message}`);
  };
  const tol = { rtol: options.checkTolerance?.rtol ?? 1e-5, atol: options.checkTolerance?.atol ?? 1e-5 };
  const nondet = nondeterministicNodes(graph);
  if (nondet.length) {
    emit(`Trace had nondeterministic nodes (${[...new Set(nondet)].join(', ')}). Did you forget to call .eval() on your model? Nodes were not compared.`, 'nondeterministic');
  }
  for (const inputs of options.checkInputs ?? [args]) {
    const again = await record(target, normalize(inputs as ExampleInputs), { ...options, strict: false, checkTrace: false, checkInputs: undefined }, true);
    const d = diffGraphs(withoutSources(graph), withoutSources(again.graph));
    if (d) emit(`Graphs differed across invocations! The trace depends on the inputs (${d}).`, 'check');
    if (nondet.length) continue;
    const got = await traced.forward(...normalize(inputs as ExampleInputs));
    await tidy(async () => {
      const fn = target instanceof Module ? (...a: unknown[]) => (target as Module).forward(...a) : (target as (...a: unknown[]) => unknown);
      const expected = await fn(...normalize(inputs as ExampleInputs));
      const errs = compareOutputs(got, expected, 'output', tol);
      if (errs.length) {
        emit(`Output of the traced function does not match the corresponding output of the JavaScript function. Detailed error:\n  ${errs.slice(0, 5).join('\n  ')}`, 'check');
      }
      return undefined;
    });
    disposeAll(got);
  }
}

/** A copy without source locations (a retrace may see other call-site columns). */
function withoutSources(g: Graph): Graph {
  const c = g.copy();
  for (const n of c.allNodes()) n.source = undefined;
  return c;
}

function disposeAll(v: unknown): void {
  if (v instanceof Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeAll);
  else if (v instanceof Map) for (const x of v.values()) disposeAll(x);
  else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) Object.values(v).forEach(disposeAll);
}

/** Compares a replayed output with the eager one (tensors within tolerance); returns the differences. */
export function compareOutputs(got: unknown, want: unknown, path: string, tol: { rtol: number; atol: number }): string[] {
  if (want instanceof Tensor) {
    if (!(got instanceof Tensor)) return [`${path}: expected a tensor, got ${describe(got)}`];
    if (got.dtype !== want.dtype) return [`${path}: dtype ${got.dtype} vs ${want.dtype}`];
    if (got.shape.join() !== want.shape.join()) return [`${path}: shape [${got.shape}] vs [${want.shape}]`];
    if (got.device !== 'cpu' || want.device !== 'cpu') return [];
    const a = got.contiguousArray(), b = want.contiguousArray();
    let worst = 0, at = -1;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!, y = b[i]!;
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      if (x === y) continue;
      const err = Math.abs(x - y) - (tol.atol + tol.rtol * Math.abs(y));
      if (!(err <= 0) && (at < 0 || err > worst || Number.isNaN(err))) {
        worst = err;
        at = i;
      }
    }
    return at < 0 ? [] : [`${path}: element ${at} is ${a[at]} in the trace and ${b[at]} in the JavaScript function`];
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return [`${path}: expected an array of ${want.length}, got ${describe(got)}`];
    return want.flatMap((w, i) => compareOutputs(got[i], w, `${path}[${i}]`, tol));
  }
  if (want instanceof Map) {
    if (!(got instanceof Map)) return [`${path}: expected a Map`];
    return [...want].flatMap(([k, w]) => compareOutputs(got.get(k), w, `${path}[${JSON.stringify(k)}]`, tol));
  }
  if (want && typeof want === 'object') {
    if (!got || typeof got !== 'object') return [`${path}: expected an object`];
    return Object.entries(want).flatMap(([k, w]) => compareOutputs((got as Record<string, unknown>)[k], w, `${path}.${k}`, tol));
  }
  if (typeof want === 'number' && typeof got === 'number' && Number.isNaN(want) && Number.isNaN(got)) return [];
  return Object.is(got, want) || got === want ? [] : [`${path}: ${describe(got)} vs ${describe(want)}`];
}

