import { Tensor } from '@torchlet/core';
import type { Block, Graph, Node, Value } from './graph.js';
import { formatSource } from './graph.js';
import { typeToString, typesEqual } from './types.js';
import { ScriptObject, TupleValue } from './values.js';

/**
 * Structural comparison of two graphs: same inputs/outputs types, same nodes in the same order
 * with the same kinds, overloads, attributes (tensors by dtype/shape/values), output types,
 * sources (file/line/col) and use structure. Value ids and debug names are ignored.
 * Returns a description of the first difference, or undefined when equal.
 */
export function diffGraphs(a: Graph, b: Graph): string | undefined {
  const map = new Map<Value, Value>();
  const r = diffBlock(a.block, b.block, map, 'graph');
  return r;
}

export function graphsEqual(a: Graph, b: Graph): boolean {
  return diffGraphs(a, b) === undefined;
}

function diffValues(xs: readonly Value[], ys: readonly Value[], what: string, map: Map<Value, Value>, define: boolean): string | undefined {
  if (xs.length !== ys.length) return `${what}: ${xs.length} vs ${ys.length} values`;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!, y = ys[i]!;
    if (define) {
      if (!typesEqual(x.type, y.type)) return `${what}[${i}]: type ${typeToString(x.type)} vs ${typeToString(y.type)}`;
      map.set(x, y);
    } else if (map.get(x) !== y) return `${what}[${i}]: refers to different values (${x} vs ${y})`;
  }
  return undefined;
}

function diffBlock(a: Block, b: Block, map: Map<Value, Value>, where: string): string | undefined {
  let d = diffValues(a.params, b.params, `${where} params`, map, true);
  if (d) return d;
  const an = a.nodes(), bn = b.nodes();
  for (let i = 0; i < Math.min(an.length, bn.length); i++) {
    d = diffNode(an[i]!, bn[i]!, map, `${where} node ${i} (${an[i]!.kind})`);
    if (d) return d;
  }
  if (an.length !== bn.length) return `${where}: ${an.length} vs ${bn.length} nodes`;
  return diffValues(a.returns, b.returns, `${where} returns`, map, false);
}

function diffNode(x: Node, y: Node, map: Map<Value, Value>, where: string): string | undefined {
  if (x.kind !== y.kind) return `${where}: kind ${x.kind} vs ${y.kind}`;
  if (x.overload !== y.overload) return `${where}: overload ${x.overload} vs ${y.overload}`;
  const sx = x.source ? formatSource(x.source) : '', sy = y.source ? formatSource(y.source) : '';
  if (sx !== sy) return `${where}: source '${sx}' vs '${sy}'`;
  let d = diffValues(x.inputs, y.inputs, `${where} inputs`, map, false);
  if (d) return d;
  const ka = [...x.attrs.keys()], kb = [...y.attrs.keys()];
  if (ka.join(',') !== kb.join(',')) return `${where}: attributes [${ka}] vs [${kb}]`;
  for (const k of ka) {
    const p = x.attrs.get(k)!, q = y.attrs.get(k)!;
    if (!typesEqual(p.type, q.type)) return `${where}: attribute ${k} type ${typeToString(p.type)} vs ${typeToString(q.type)}`;
    if (!valuesEqual(p.value, q.value)) return `${where}: attribute ${k} differs`;
  }
  if (x.blocks.length !== y.blocks.length) return `${where}: ${x.blocks.length} vs ${y.blocks.length} blocks`;
  for (let i = 0; i < x.blocks.length; i++) {
    d = diffBlock(x.blocks[i]!, y.blocks[i]!, map, `${where} block${i}`);
    if (d) return d;
  }
  return diffValues(x.outputs, y.outputs, `${where} outputs`, map, true);
}

/** Deep equality of constant values (NaN equals NaN, -0 differs from 0, tensors by contents). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (a === b && a !== 0);
  if (a === b) return true;
  if (a instanceof Tensor && b instanceof Tensor) {
    if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return false;
    if (a.device !== 'cpu' || b.device !== 'cpu') return a === b;
    const x = a.contiguousArray(), y = b.contiguousArray();
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length || (a instanceof TupleValue) !== (b instanceof TupleValue)) return false;
    return a.every((e, i) => valuesEqual(e, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    const ea = [...a], eb = [...b];
    return ea.every(([k, v], i) => valuesEqual(k, eb[i]![0]) && valuesEqual(v, eb[i]![1]));
  }
  if (a instanceof ScriptObject && b instanceof ScriptObject) return a.type.name === b.type.name && valuesEqual(a.slots, b.slots);
  return false;
}
