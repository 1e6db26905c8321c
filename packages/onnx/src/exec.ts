import { bindArgs, getRegistry, runOverload, tidy, Tensor, type Overload } from '@torchlet/core';
import type { Block, Graph, Node, Value } from '@torchlet/ir';

/**
 * Runs an imported ONNX graph: prim::Constant / If / Loop / ListConstruct / ListUnpack and
 * registry-op nodes (bound to their overload once, at compile time). Intermediate tensors are
 * disposed right after their last use, so peak memory follows the graph's liveness.
 *
 * This is a small runner of the node kinds the ONNX importer emits; it runs the same IR the
 * other front ends produce (see @torchlet/ir), only without TorchScript's objects and methods.
 */

/** Errors raised while running a graph name the ONNX node that failed. */
export class OnnxRunError extends Error {
  override name = 'OnnxRunError';
}

interface Step {
  node: Node;
  kind: number;
  ins: number[];
  outs: number[];
  /** slots whose last use (in this block) is this step */
  dies: number[];
  ov?: Overload;
  /** for registry ops: index of the first kwarg-only schema argument */
  nPos?: number;
  blocks?: CompiledBlock[];
  constant?: unknown;
  label?: string;
}
interface CompiledBlock {
  params: number[];
  steps: Step[];
  returns: number[];
  /** slots defined in this block (params included) that are alive at its end */
  atEnd: number[];
}

const K_CONST = 0, K_OP = 1, K_IF = 2, K_LOOP = 3, K_LIST = 4, K_UNPACK = 5, K_TUPLE = 6;

export class GraphRunner {
  private readonly slotOf = new Map<Value, number>();
  private readonly top: CompiledBlock;
  private nSlots = 0;
  private readonly constants = new Set<Tensor>();

  constructor(readonly graph: Graph) {
    this.top = this.compileBlock(graph.block);
  }

  private slot(v: Value): number {
    let s = this.slotOf.get(v);
    if (s === undefined) this.slotOf.set(v, (s = this.nSlots++));
    return s;
  }

  private compileBlock(b: Block): CompiledBlock {
    const reg = getRegistry();
    const params = b.params.map((v) => this.slot(v));
    const steps: Step[] = [];
    const defined = new Set<Value>(b.params);
    const lastUse = new Map<Value, number>();
    const nodes = b.nodes();
    nodes.forEach((n, i) => {
      for (const o of n.outputs) defined.add(o);
      const visit = (m: Node): void => {
        for (const v of m.inputs) lastUse.set(v, i);
        for (const sb of m.blocks) {
          for (const inner of sb.nodes()) visit(inner);
          for (const r of sb.returns) lastUse.set(r, i);
        }
      };
      visit(n);
      const step: Step = { node: n, kind: K_OP, ins: n.inputs.map((v) => this.slot(v)), outs: n.outputs.map((v) => this.slot(v)), dies: [] };
      const onnxName = n.hasAttr('onnx_name') ? String(n.attr('onnx_name')) : undefined;
      const onnxType = n.hasAttr('onnx_op') ? String(n.attr('onnx_op')) : undefined;
      step.label = `${onnxType ?? n.kind}${onnxName ? ` '${onnxName}'` : ''}`;
      switch (n.kind) {
        case 'prim::Constant':
          step.kind = K_CONST;
          step.constant = n.hasAttr('value') ? n.attr('value') : null;
          collect(step.constant, this.constants);
          break;
        case 'prim::If':
        case 'prim::Loop':
          step.kind = n.kind === 'prim::If' ? K_IF : K_LOOP;
          step.blocks = n.blocks.map((sb) => this.compileBlock(sb));
          break;
        case 'prim::ListConstruct': step.kind = K_LIST; break;
        case 'prim::ListUnpack': step.kind = K_UNPACK; break;
        case 'prim::TupleConstruct': step.kind = K_TUPLE; break;
        default: {
          const ov = n.overload ? reg.overload(n.overload) : reg.overloads(n.kind)?.[0];
          if (!ov) throw new OnnxRunError(`${step.label}: no registry op ${n.overload ?? n.kind}`);
          step.ov = ov;
          step.nPos = ov.schema.args.filter((a) => !a.kwargOnly).length;
        }
      }
      steps.push(step);
    });
    const alive = new Set(b.returns);
    for (const [v, i] of lastUse) {
      if (!defined.has(v) || alive.has(v)) continue;
      steps[i]!.dies.push(this.slot(v));
    }
    // outputs nobody uses die right where they are made
    nodes.forEach((n, i) => {
      for (const o of n.outputs) if (!lastUse.has(o) && !alive.has(o)) steps[i]!.dies.push(this.slot(o));
    });
    for (const p of b.params) if (!lastUse.has(p) && !alive.has(p)) steps[0]?.dies.push(this.slot(p));
    const atEnd = [...defined].filter((v) => alive.has(v) || (!lastUse.has(v) && b.params.includes(v) && steps.length === 0)).map((v) => this.slot(v));
    return { params, steps, returns: b.returns.map((v) => this.slot(v)), atEnd };
  }

  /** Runs the graph on its inputs; returns its outputs (fresh tensors the caller owns). */
  run(inputs: readonly unknown[]): unknown[] {
    if (inputs.length !== this.top.params.length) throw new OnnxRunError(`the graph takes ${this.top.params.length} inputs, got ${inputs.length}`);
    const frame = new Frame(this.nSlots, this.constants, new Set(collect(inputs, new Set<Tensor>())));
    return tidy(() => {
      const outs = frame.runBlock(this.top, inputs);
      // never hand out a constant or a feed itself: the caller may dispose what it gets
      return outs.map((v) => mapTensors(v, (t) => (frame.sharesMemory(t) ? t.clone() : t)));
    });
  }
}

function collect(v: unknown, out: Set<Tensor>): Set<Tensor> {
  if (v instanceof Tensor) out.add(v);
  else if (Array.isArray(v)) for (const e of v) collect(e, out);
  return out;
}
function mapTensors(v: unknown, f: (t: Tensor) => Tensor): unknown {
  if (v instanceof Tensor) return f(v);
  if (Array.isArray(v)) return v.map((e) => mapTensors(e, f));
  return v;
}

class Frame {
  private readonly env: unknown[];
  /** how many live slots (or loop holders) hold a tensor */
  private readonly refs = new Map<Tensor, number>();
  /** tensors that went into a list: freed at the end of the run, never early */
  private readonly pinned = new Set<Tensor>();

  constructor(
    n: number,
    private readonly constants: Set<Tensor>,
    private readonly feeds: Set<Tensor>,
  ) {
    this.env = new Array(n);
  }

  notOwned(t: Tensor): boolean {
    return this.constants.has(t) || this.feeds.has(t);
  }
  /** a view into a constant's or a feed's memory (the caller must get a copy of it) */
  sharesMemory(t: Tensor): boolean {
    if (this.notOwned(t)) return true;
    this.foreign ??= new Set([...this.constants, ...this.feeds].map((x) => x.storage));
    return this.foreign.has(t.storage);
  }
  private foreign: Set<unknown> | undefined;

  private hold(v: unknown): void {
    if (v instanceof Tensor) this.refs.set(v, (this.refs.get(v) ?? 0) + 1);
    else if (Array.isArray(v)) collect(v, this.pinned);
  }
  private drop(v: unknown): void {
    if (!(v instanceof Tensor)) return;
    const r = (this.refs.get(v) ?? 1) - 1;
    if (r > 0) {
      this.refs.set(v, r);
      return;
    }
    this.refs.delete(v);
    if (!this.pinned.has(v) && !this.notOwned(v)) v.dispose();
  }
  private set(slot: number, v: unknown): void {
    this.hold(v);
    this.env[slot] = v;
  }
  private release(slot: number): void {
    const v = this.env[slot];
    this.env[slot] = undefined;
    this.drop(v);
  }

  runBlock(b: CompiledBlock, args: readonly unknown[]): unknown[] {
    b.params.forEach((s, i) => this.set(s, args[i]));
    const env = this.env;
    for (const st of b.steps) {
      try {
        this.step(st);
      } catch (e) {
        if (e instanceof OnnxRunError) throw e;
        const msg = (e as Error)?.message ?? String(e);
        const err = new OnnxRunError(`node ${st.label}: ${msg}`);
        err.cause = e;
        throw err;
      }
      for (const s of st.dies) this.release(s);
    }
    const rets = b.returns.map((s) => env[s]);
    for (const r of rets) this.hold(r);
    for (const s of b.atEnd) this.release(s);
    // the caller takes over the holds on `rets`
    return rets;
  }

  private step(st: Step): void {
    const env = this.env;
    switch (st.kind) {
      case K_CONST:
        this.set(st.outs[0]!, st.constant);
        return;
      case K_LIST:
        this.set(st.outs[0]!, st.ins.map((s) => env[s]));
        return;
      case K_TUPLE:
        this.set(st.outs[0]!, st.ins.map((s) => env[s]));
        return;
      case K_UNPACK: {
        const list = env[st.ins[0]!] as unknown[];
        if (!Array.isArray(list) || list.length !== st.outs.length) {
          throw new Error(`expected ${st.outs.length} values, got ${Array.isArray(list) ? list.length : typeof list}`);
        }
        st.outs.forEach((s, i) => this.set(s, list[i]));
        return;
      }
      case K_IF: {
        const c = env[st.ins[0]!];
        const rets = this.runBlock(st.blocks![c ? 0 : 1]!, []);
        st.outs.forEach((s, i) => this.set(s, rets[i]));
        for (const r of rets) this.drop(r);
        return;
      }
      case K_LOOP: {
        const max = env[st.ins[0]!] as number;
        let cond = env[st.ins[1]!] as boolean;
        let cur = st.ins.slice(2).map((s) => env[s]);
        for (const v of cur) this.hold(v);
        const body = st.blocks![0]!;
        for (let i = 0; cond && i < max; i++) {
          const rets = this.runBlock(body, [i, ...cur]);
          for (const v of cur) this.drop(v);
          cond = rets[0] as boolean;
          this.drop(rets[0]);
          cur = rets.slice(1);
        }
        st.outs.forEach((s, i) => this.set(s, cur[i]));
        for (const v of cur) this.drop(v);
        return;
      }
      default: {
        const ov = st.ov!;
        const vals = st.ins.map((s) => env[s]);
        const nPos = st.nPos!;
        const pos = vals.slice(0, nPos);
        let kw: Record<string, unknown> | undefined;
        if (vals.length > nPos) {
          kw = {};
          const args = ov.schema.args;
          for (let i = nPos; i < vals.length; i++) kw[args[i]!.name] = vals[i];
        }
        let bound = bindArgs(ov, pos, kw, false);
        if (typeof bound === 'string') bound = bindArgs(ov, pos, kw, true);
        if (typeof bound === 'string') throw new Error(`${ov.key}: ${bound}`);
        const r = runOverload(ov, bound);
        if (st.outs.length === 1) this.set(st.outs[0]!, r);
        else {
          const rs = r as unknown[];
          st.outs.forEach((s, i) => this.set(s, rs[i]));
          // outputs the node does not name are still results: free them unless held
          for (let i = st.outs.length; i < (rs?.length ?? 0); i++) if (rs[i] instanceof Tensor && !this.refs.has(rs[i] as Tensor)) this.drop(rs[i]);
        }
      }
    }
  }
}
