/**
 * Common subexpression elimination.
 *
 * Given:   %1 : Tensor = aten::relu(%x)
 *          %2 : Tensor = aten::relu(%x)
 *          %3 : Tensor = aten::add.Tensor(%1, %2, %c)
 * Result:  %1 : Tensor = aten::relu(%x)
 *          %3 : Tensor = aten::add.Tensor(%1, %1, %c)
 *
 * Pure nodes (effects.ts) with the same kind, overload, attributes, inputs and output types
 * are merged into the first one, which must dominate the second (same block or an enclosing
 * block, earlier). Equal constants are pooled the same way. A node with side effects (an
 * in-place op, a list append, a call...) ends every earlier expression's availability, since
 * it may have changed what those inputs hold. Returns the number of nodes removed.
 */
import { Tensor } from '@torchlet/core';
import type { Block, Graph, Node, Value } from '../graph.js';
import { typeToString } from '../types.js';
import { hasSideEffects, isPure } from './effects.js';

export function eliminateCommonSubexpressions(g: Graph): number {
  let removed = 0;
  const ids = new Map<Value, number>();
  let nextId = 0;
  const idOf = (v: Value): number => {
    let i = ids.get(v);
    if (i === undefined) ids.set(v, (i = nextId++));
    return i;
  };
  /** scopes: a child block sees its parent's table as it was when the block started */
  const visit = (b: Block, parent: Map<string, Node>): Map<string, Node> => {
    let table = new Map(parent);
    for (let n = b.firstNode; n; ) {
      const next = n.next;
      for (const sb of n.blocks) visit(sb, table);
      if (hasSideEffects(n)) {
        table = new Map();
        n = next;
        continue;
      }
      if (n.blocks.length === 0 && isPure(n)) {
        const key = nodeKey(n, idOf);
        const prev = table.get(key);
        if (prev) {
          n.outputs.forEach((o, i) => o.replaceAllUsesWith(prev.outputs[i]!));
          n.destroy();
          removed++;
        } else table.set(key, n);
      }
      n = next;
    }
    return table;
  };
  visit(g.block, new Map());
  return removed;
}

function nodeKey(n: Node, idOf: (v: Value) => number): string {
  const attrs = [...n.attrs].map(([k, a]) => `${k}=${typeToString(a.type)}:${valueKey(a.value)}`).join(',');
  return `${n.kind}|${n.overload ?? ''}|${attrs}|${n.inputs.map(idOf).join(',')}|${n.outputs.map((o) => typeToString(o.type)).join(',')}`;
}

function valueKey(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Tensor) return `T#${v.id}`;
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]${Object.getPrototypeOf(v) === Array.prototype ? '' : 't'}`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${valueKey(k)}:${valueKey(x)}`).join(',')}}`;
  return `?${String(v)}`;
}
