/**
 * Liveness: for every Value, the point in its defining block after which it is dead.
 *
 * A use inside a sub-block of node N counts as a use at N (a value defined outside a loop
 * stays alive for the whole loop); a use by the block's own return counts as "end of block".
 *
 *   graph(%x : Tensor):
 *     %1 : Tensor = aten::relu(%x)        %x dies after this node
 *     %2 : Tensor = prim::If(%c)          %1 is used in block0, so it dies after the If
 *       block0(): %3 = aten::neg(%1)  -> (%3)
 *       block1(): -> (%x)
 *     return (%2)                         %2 dies at the end
 */
import type { Block, Graph, Node, Value } from '../graph.js';

export interface BlockLiveness {
  /** params that are never used */
  readonly deadParams: readonly Value[];
  /** values whose last use is this node (or that it defines and nobody uses) */
  readonly diesAfter: ReadonlyMap<Node, readonly Value[]>;
  /** values used by the block's returns (alive until the block ends) */
  readonly diesAtEnd: readonly Value[];
}

export interface Liveness {
  readonly blocks: ReadonlyMap<Block, BlockLiveness>;
  /** the node after which `v` is dead, 'end' (used by its block's returns) or 'unused' */
  lastUse(v: Value): Node | 'end' | 'unused';
}

export function computeLiveness(g: Graph): Liveness {
  const blocks = new Map<Block, BlockLiveness>();
  const last = new Map<Value, Node | 'end' | 'unused'>();
  const visit = (b: Block): void => {
    const index = new Map<Node, number>();
    let i = 0;
    for (const n of b) index.set(n, i++);
    const END = i;
    const lastOf = (v: Value): number => {
      let m = -1;
      for (const u of v.uses) {
        let n: Node = u.user;
        if (n === b.returnNode) return END;
        // lift the user to the node of `b` that contains it
        while (n.owningBlock !== b) {
          const ob = n.owningBlock;
          if (!ob || !ob.owningNode) throw new Error(`liveness: ${v} is used outside the block that defines it`);
          n = ob.owningNode;
        }
        const k = index.get(n);
        if (k === undefined) throw new Error(`liveness: a user of ${v} is not in its block`);
        if (k > m) m = k;
      }
      return m;
    };
    const nodes = b.nodes();
    const diesAfter = new Map<Node, Value[]>();
    const deadParams: Value[] = [];
    const diesAtEnd: Value[] = [];
    const place = (v: Value, k: number, def: Node | undefined): void => {
      if (k === END) {
        diesAtEnd.push(v);
        last.set(v, 'end');
      } else if (k < 0) {
        if (def) {
          let l = diesAfter.get(def);
          if (!l) diesAfter.set(def, (l = []));
          l.push(v);
        } else deadParams.push(v);
        last.set(v, 'unused');
      } else {
        const n = nodes[k]!;
        let l = diesAfter.get(n);
        if (!l) diesAfter.set(n, (l = []));
        l.push(v);
        last.set(v, n);
      }
    };
    for (const p of b.params) place(p, lastOf(p), undefined);
    for (const n of nodes) {
      for (const o of n.outputs) place(o, lastOf(o), n);
      for (const sb of n.blocks) visit(sb);
    }
    blocks.set(b, { deadParams, diesAfter, diesAtEnd });
  };
  visit(g.block);
  return {
    blocks,
    lastUse: (v) => {
      const r = last.get(v);
      if (r === undefined) throw new Error(`liveness: ${v} is not in this graph`);
      return r;
    },
  };
}
