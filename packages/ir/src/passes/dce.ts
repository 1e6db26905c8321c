/**
 * Dead code elimination.
 *
 * Given:   %1 : Tensor = aten::relu(%x)          (unused)
 *          %2 : Tensor = aten::relu_(%x)         (unused, but writes %x)
 *          %3 : Tensor = aten::neg(%x)
 *          return (%3)
 * Result:  %2 : Tensor = aten::relu_(%x)
 *          %3 : Tensor = aten::neg(%x)
 *          return (%3)
 *
 * Removes nodes whose outputs are unused and that have no side effects (effects.ts), unused
 * outputs of prim::If (with the matching block returns) and unused loop-carried values of
 * prim::Loop. Graph inputs are kept. Returns the number of nodes removed.
 */
import { prim, type Block, type Graph, type Node } from '../graph.js';
import { hasSideEffects } from './effects.js';

export function eliminateDeadCode(g: Graph): number {
  let removed = 0;
  const visitBlock = (b: Block): void => {
    for (let n = b.lastNode; n; ) {
      const prev = n.prev;
      for (const sb of n.blocks) visitBlock(sb);
      if (n.kind === prim.If) pruneIfOutputs(n);
      else if (n.kind === prim.Loop) removed += pruneLoopCarried(n, visitBlock);
      if (n.outputs.every((o) => !o.hasUses()) && !hasSideEffects(n)) {
        removed += 1 + countNested(n);
        n.destroy();
      }
      n = prev;
    }
  };
  visitBlock(g.block);
  return removed;
}

function countNested(n: Node): number {
  let c = 0;
  for (const b of n.blocks) for (const k of b) c += 1 + countNested(k);
  return c;
}

function pruneIfOutputs(n: Node): void {
  for (let i = n.outputs.length - 1; i >= 0; i--) {
    if (n.outputs[i]!.hasUses()) continue;
    n.eraseOutput(i);
    for (const b of n.blocks) b.eraseReturn(i);
  }
}

/** A loop-carried value can go when its output is unused and the body only passes it along. */
function pruneLoopCarried(n: Node, revisit: (b: Block) => void): number {
  const body = n.blocks[0]!;
  let changed = false;
  for (let i = n.outputs.length - 1; i >= 0; i--) {
    const out = n.outputs[i]!;
    const param = body.params[i + 1]!;
    if (out.hasUses()) continue;
    // the param may only be used by the return that carries it to the next iteration
    if (param.uses.some((u) => !(u.user === body.returnNode && u.offset === i + 2 - 1))) continue;
    body.eraseReturn(i + 1);
    body.eraseParam(i + 1);
    n.removeInput(i + 2);
    n.eraseOutput(i);
    changed = true;
  }
  if (changed) revisit(body);
  return 0;
}
