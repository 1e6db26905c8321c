/**
 * Side-effect and purity classification of nodes, shared by DCE, constant folding and CSE.
 *
 * A node has side effects when removing or reordering it could change the program's behaviour
 * beyond its outputs: attribute stores, exceptions, printing, calls (the callee is unknown),
 * context managers, ops that write an argument (`Tensor(a!)`, in-place `*_` ops, list/dict
 * mutation such as `aten::append`), grad-mode/RNG state changes, unknown op kinds, and
 * If/Loop nodes whose blocks contain any of these.
 */
import { getRegistry, type Overload } from '@torchlet/core';
import { prim, type Node } from '../graph.js';
import { resolveNodeOverload } from '../interpreter.js';

const EFFECT_KINDS = new Set<string>([
  prim.SetAttr, prim.RaiseException, prim.Print, prim.CallMethod, prim.CallFunction, prim.Enter, prim.Exit,
]);
/** builtins with effects their schemas do not show as writes */
const EFFECT_OPS = new Set<string>(['aten::warn', 'aten::set_grad_enabled', 'aten::manual_seed', 'aten::seed', 'aten::wait', 'aten::_set_item', 'aten::append', 'aten::insert', 'aten::pop', 'aten::extend', 'aten::clear', 'aten::reverse', 'aten::sort', 'aten::update', 'aten::setdefault']);
/** nullary queries of runtime state: never constant */
const STATE_OPS = new Set<string>(['aten::is_grad_enabled', 'aten::is_autocast_enabled', 'aten::_get_tracing_state']);
/** prim nodes that compute a value from their inputs only */
const PURE_PRIMS = new Set<string>([
  prim.Constant, prim.TupleConstruct, prim.TupleUnpack, prim.TupleIndex, prim.TupleSlice, prim.ListUnpack, prim.uncheckedCast,
  prim.isinstance, prim.Uninitialized, prim.GetAttr,
]);
/** prim nodes that create a fresh mutable object (pure, but two of them are not interchangeable) */
const FRESH_PRIMS = new Set<string>([prim.ListConstruct, prim.DictConstruct, prim.CreateObject]);

function overloadOf(n: Node): Overload | undefined {
  try {
    return resolveNodeOverload(n);
  } catch {
    return undefined;
  }
}

function writesArgument(ov: Overload): boolean {
  if (ov.tags.has('inplace')) return true;
  return ov.schema.args.some((a) => a.alias?.write);
}

export function hasSideEffects(n: Node): boolean {
  if (EFFECT_KINDS.has(n.kind)) return true;
  if (n.kind === prim.If || n.kind === prim.Loop) return n.blocks.some((b) => b.nodes().some(hasSideEffects));
  if (PURE_PRIMS.has(n.kind) || FRESH_PRIMS.has(n.kind)) return false;
  if (EFFECT_OPS.has(n.kind) || STATE_OPS.has(n.kind)) return true;
  if (!getRegistry().overloads(n.kind)) return true; // unknown op: assume the worst
  const ov = overloadOf(n);
  if (!ov) return true;
  return writesArgument(ov);
}

/**
 * Pure: no side effects, deterministic, not reading mutable runtime state, and not creating a
 * fresh mutable object. Pure nodes with equal inputs give interchangeable results (CSE) and
 * can be evaluated ahead of time when their inputs are constants (constant folding).
 */
export function isPure(n: Node): boolean {
  if (hasSideEffects(n)) return false;
  if (FRESH_PRIMS.has(n.kind) || n.kind === prim.GetAttr || n.kind === prim.Uninitialized) return false;
  if (n.kind === prim.If || n.kind === prim.Loop) return false;
  if (PURE_PRIMS.has(n.kind)) return true;
  const ov = overloadOf(n);
  if (!ov) return false;
  if (ov.tags.has('nondeterministic')) return false;
  // ops returning mutable containers (aten::size -> int[], aten::list) make fresh objects
  if (n.outputs.some((o) => o.type.kind === 'List' || o.type.kind === 'Dict')) return false;
  return true;
}
