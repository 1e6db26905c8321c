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
      if (n.kind === prim.If) pruneIfOutputs(n);
      for (const sb of n.blocks) visitBlock(sb);
      if (n.kind === prim.Loop) removed += pruneLoopCarried(n, visitBlock);
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

/**
 * A loop-carried value can go when its output is unused and, inside the body, its parameter
 * only feeds pure computations that end in the return carrying it to the next iteration.
 */
function pruneLoopCarried(n: Node, revisit: (b: Block) => void): number {
  const body = n.blocks[0]!;
  const dead: number[] = [];
  for (let i = n.outputs.length - 1; i >= 0; i--) {
    if (!n.outputs[i]!.hasUses()) {
      if (onlyFeedsCarry(body, i + 1)) dead.push(i);
    }
  }
  if (dead.length === 0) return 0;
  for (const i of dead) {
    body.eraseReturn(i + 1);
    n.removeInput(i + 2);
    n.eraseOutput(i);
  }
  revisit(body);
  for (const i of dead) {
    const p = body.params[i + 1]!;
    if (p.hasUses()) throw new Error(`DCE: loop-carried parameter ${p} is still used after its carry was removed`);
    body.eraseParam(i + 1);
  }
  return 0;
}

/** Forward slice of body param k: pure nodes only, reaching no return other than return k. */
function onlyFeedsCarry(body: Block, k: number): boolean {
  const seen = new Set<Node>();
  const work = [body.params[k]!];
  while (work.length) {
    const v = work.pop()!;
    for (const u of v.uses) {
      let user: Node = u.user;
      if (user === body.returnNode) {
        if (u.offset !== k) return false;
        continue;
      }
      // lift a use inside a nested block to the body's direct child
      while (user.owningBlock !== body) {
        const ob = user.owningBlock;
        if (!ob?.owningNode) return false;
        user = ob.owningNode;
      }
      if (seen.has(user)) continue;
      seen.add(user);
      if (hasSideEffects(user)) return false;
      work.push(...user.outputs);
    }
  }
  return true;
}
