/**
 * Constant folding.
 *
 * Given:   %1 : int = prim::Constant[value=2]()
 *          %2 : int = prim::Constant[value=3]()
 *          %3 : int = aten::mul.int(%1, %2)
 *          %4 : Tensor = aten::mul.Scalar(%x, %3)
 * Result:  %5 : int = prim::Constant[value=6]()
 *          %4 : Tensor = aten::mul.Scalar(%x, %5)
 *
 * Pure registry ops (effects.ts) whose inputs are all constants are evaluated through the
 * registry and replaced by constants (tensor results become tensor constants owned by the
 * graph); tuple construction/indexing/unpacking of constants and unchecked_cast of a constant
 * fold too; a prim::If with a constant condition is replaced by the chosen block's nodes.
 * Nodes whose evaluation throws are left alone (the error surfaces when the graph runs).
 * Returns the number of nodes folded. Run eliminateDeadCode afterwards to drop dead constants.
 */
import { Tensor } from '@torchlet/core';
import { prim, type Block, type Graph, type Node, type Value } from '../graph.js';
import { evaluateOpNode } from '../interpreter.js';
import { tuple, TupleValue } from '../values.js';
import { isPure } from './effects.js';

function constOf(v: Value): { value: unknown } | undefined {
  return v.constantValue();
}

export function foldConstants(g: Graph): number {
  let folded = 0;
  /** where to continue after a fold (set by foldNode) */
  let nextAfter: Node | undefined;
  let inlinedFirst: Node | undefined;
  const visit = (b: Block): void => {
    for (let n = b.firstNode; n; ) {
      inlinedFirst = undefined;
      const r = foldNode(n);
      if (r) {
        folded++;
        n = r === 'inlined' ? inlinedFirst ?? nextAfter : nextAfter;
      } else {
        for (const sb of n.blocks) visit(sb);
        n = n.next;
      }
    }
  };

  const replaceWithConstants = (n: Node, values: readonly unknown[]): void => {
    const consts = n.outputs.map((o, i) => {
      const c = g.createConstant(values[i], o.type);
      c.source = n.source;
      c.insertBefore(n);
      if (o.debugName) c.output().setDebugName(o.debugName);
      return c.output();
    });
    n.outputs.forEach((o, i) => o.replaceAllUsesWith(consts[i]!));
    nextAfter = n.next;
    n.destroy();
  };

  const foldNode = (n: Node): boolean | 'inlined' => {
    nextAfter = n.next;
    if (n.kind === prim.If) {
      const c = constOf(n.input(0));
      if (!c || typeof c.value !== 'boolean') return false;
      const chosen = n.blocks[c.value ? 0 : 1]!;
      inlinedFirst = chosen.firstNode;
      for (const k of chosen.nodes()) k.moveBefore(n);
      n.outputs.forEach((o, i) => o.replaceAllUsesWith(chosen.returns[i]!));
      for (const bl of n.blocks) for (let i = bl.returns.length - 1; i >= 0; i--) bl.eraseReturn(i);
      nextAfter = n.next;
      n.destroy();
      return 'inlined';
    }
    if (n.kind === prim.Constant || n.blocks.length || n.inputs.length === 0) return false;
    const inputs = n.inputs.map(constOf);
    if (inputs.some((c) => c === undefined)) return false;
    const values = inputs.map((c) => c!.value);
    if (values.some((v) => v instanceof Tensor && (v.device !== 'cpu' || v.isDisposed))) return false;
    switch (n.kind) {
      case prim.TupleConstruct: {
        const t = n.output().type;
        replaceWithConstants(n, [tuple(values, t.kind === 'Tuple' && t.name ? t : undefined)]);
        return true;
      }
      case prim.TupleIndex: {
        const t = values[0], i = values[1];
        if (!(t instanceof TupleValue) || typeof i !== 'number') return false;
        const j = i < 0 ? i + t.length : i;
        if (j < 0 || j >= t.length) return false;
        replaceWithConstants(n, [t[j]]);
        return true;
      }
      case prim.TupleUnpack: {
        const t = values[0];
        if (!(t instanceof TupleValue) || t.length !== n.outputs.length) return false;
        replaceWithConstants(n, [...t]);
        return true;
      }
      case prim.uncheckedCast:
        n.output().replaceAllUsesWith(n.input(0));
        nextAfter = n.next;
        n.destroy();
        return true;
      default:
        break;
    }
    if (n.kind.startsWith('prim::') && isPrimNode(n.kind)) return false;
    if (!isPure(n)) return false;
    let results: unknown[];
    try {
      results = evaluateOpNode(n, values);
    } catch {
      return false;
    }
    replaceWithConstants(n, results);
    return true;
  };

  visit(g.block);
  return folded;
}

const PRIM_NODES = new Set<string>(Object.values(prim));
function isPrimNode(kind: string): boolean {
  return PRIM_NODES.has(kind as (typeof prim)[keyof typeof prim]);
}
