/**
 * The IR passes on traced graphs: dead code elimination, common subexpression elimination,
 * constant folding, and freezing (a traced module's parameter reads become constants, so that
 * folding and fusion passes see the weights).
 */
import {
  ClassType, ScriptObject, eliminateCommonSubexpressions, eliminateDeadCode, foldConstants, freezeModule, hasSideEffects, prim, resolveNodeOverload,
  type Graph, type Value,
} from '@torchlet/ir';
import { ScriptFunction, TracedModule } from './traced.js';

export interface OptimizeOptions {
  /** fold pure ops on constant inputs (default true; skipped when the graph writes into a constant) */
  fold?: boolean;
  /** merge equal pure nodes (default true) */
  cse?: boolean;
  /** remove unused side-effect-free nodes (default true) */
  deadCode?: boolean;
  /** extra passes run after the built-in ones (e.g. fusion passes), each on the forward graph */
  passes?: ((g: Graph) => unknown)[];
}

/** True when an op node writes into a tensor that is (a view of) a graph constant or attribute. */
export function writesIntoConstant(g: Graph): boolean {
  const rootOf = (v: Value): Value => {
    for (;;) {
      const n = v.node;
      if (n.kind === prim.Constant || n.kind === prim.GetAttr || n.kind === prim.Param || n.inputs.length === 0) return v;
      try {
        const ov = resolveNodeOverload(n);
        const aliasing = ov.tags.has('view') || ov.tags.has('inplace') || ov.schema.returns[0]?.alias !== undefined;
        if (!aliasing) return v;
      } catch {
        return v;
      }
      v = n.input(0);
    }
  };
  for (const n of g.allNodes()) {
    if (n.kind.startsWith('prim::') || !hasSideEffects(n) || n.inputs.length === 0) continue;
    const r = rootOf(n.input(0));
    if (r.node.kind === prim.Constant || r.node.kind === prim.GetAttr) return true;
  }
  return false;
}

/** Runs the IR passes on the forward graph of a trace, in place; returns the trace. */
export function optimizeTraced<T extends ScriptFunction | TracedModule>(t: T, opts: OptimizeOptions = {}): T {
  const g = t.ir;
  if (opts.fold !== false && !writesIntoConstant(g)) foldConstants(g);
  if (opts.cse !== false) eliminateCommonSubexpressions(g);
  if (opts.deadCode !== false) eliminateDeadCode(g);
  for (const p of opts.passes ?? []) p(g);
  if (opts.deadCode !== false && opts.passes?.length) eliminateDeadCode(g);
  return t;
}

/**
 * A frozen copy of a traced (or loaded) module: `prim::GetAttr` reads of its parameters,
 * buffers and other attributes become constants holding the same tensors, and method calls are
 * inlined (the IR's `freezeModule`, PyTorch's `torch.jit.freeze`). The copy shares the tensors;
 * later changes to the attribute slots are not seen by the frozen graph. Fusion passes
 * (`optimizeForInference`) can then run on it: `freezeTraced(m, { passes: [optimizeForInference] })`.
 */
export function freezeTraced(m: TracedModule, opts: OptimizeOptions = {}): TracedModule {
  const src = m.ir;
  const g = freezeModule(src, m.object, (o, name) => o.type.methods.get(name), (q) => m.functions.get(q));
  if (!g) throw new Error(`freeze: ${m.typeName}.forward assigns module attributes; it cannot be frozen`);
  eliminateDeadCode(g);
  const type = new ClassType(m.type.name, { isModule: true });
  for (const a of m.type.attributes) type.addAttribute(a.name, a.type, { isParameter: a.isParameter, isBuffer: a.isBuffer });
  for (const [k, x] of m.type.methods) if (k !== 'forward') type.methods.set(k, x);
  type.methods.set('forward', g);
  const obj = new ScriptObject(type, [...m.object.slots]);
  const signatures = new Map(m.signatures);
  const sig = m.signatures.get(src);
  if (sig) signatures.set(g, sig);
  const frozen = new TracedModule(obj, { functions: m.functions, outputSpecs: m.outputSpecs, warnings: m.warnings, version: m.version, isFunction: m.isFunction, signatures });
  optimizeTraced(frozen, opts);
  return frozen;
}

