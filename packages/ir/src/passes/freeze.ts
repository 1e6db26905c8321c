/**
 * Module freezing (like torch.jit.freeze): a method's graph with the module's submodule calls
 * inlined and its attributes read as constants.
 *
 * Given:   graph(%self : M, %x : Tensor):
 *            %conv : Conv2d = prim::GetAttr[name="conv"](%self)
 *            %y : Tensor = prim::CallMethod[name="forward"](%conv, %x)
 *            return (%y)
 *          (Conv2d.forward: %w = prim::GetAttr[name="weight"](%self); %y = aten::conv2d(%x, %w, ...))
 * Execute: freezeModule(g, moduleObject, resolveMethod)
 * Result:  graph(%self : M, %x : Tensor):
 *            %w : Tensor = prim::Constant[value=<Tensor>]()
 *            %y : Tensor = aten::conv2d(%x, %w, ...)
 *            return (%y)
 *
 * The result is a new graph with the same inputs (self stays the first input, now unused, so
 * callers pass the same arguments). Attribute values become constants: tensors (the module's
 * own tensor objects, not copies), numbers, bools, strings, None, tuples, and lists of numbers or
 * tensors that every use only reads (a list an op may mutate or return keeps its prim::GetAttr). Methods of
 * objects reached through constant attribute paths are inlined, recursively, and so are free
 * functions (`prim::CallFunction`) when `resolveFunction` is given. When any graph
 * reached writes an attribute (`prim::SetAttr`), freezing is refused (undefined): the module's
 * state is not constant. Calls that cannot be resolved to a graph are left in place.
 * Constant folding and DCE run afterwards (If on `self.training` folds away).
 */
import { Tensor } from '@torchlet/core';
import { prim, type Block, type Graph, type Node, type Value } from '../graph.js';
import { ScriptObject, TupleValue } from '../values.js';
import { resolveNodeOverload } from '../interpreter.js';
import { foldConstants } from './constant_fold.js';
import { eliminateDeadCode } from './dce.js';

export type MethodResolver = (obj: ScriptObject, name: string) => Graph | unknown | undefined;
/** A free function by qualified name (`__torch__.torch.nn.functional.relu`), for inlining `prim::CallFunction`. */
export type FunctionResolver = (qualifiedName: string) => Graph | unknown | undefined;

/** A constant-foldable attribute value (not an object, dict or list of tensors). */
function isFreezableValue(v: unknown): boolean {
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return true;
  if (v instanceof Tensor) return !v.isDisposed;
  if (Array.isArray(v) && !(v as { namedType?: unknown }).namedType) {
    return v.every((e) => typeof e === 'number' || typeof e === 'boolean') || v.every((e) => e instanceof Tensor && !e.isDisposed);
  }
  return false;
}

/** Ops that only read a list argument (without an alias annotation they neither mutate nor return it). */
const LIST_READERS = new Set(['aten::len', 'aten::__getitem__', 'prim::ListUnpack']);

/**
 * Whether every use of a list attribute's value only reads it: a method may mutate a list in
 * place (`self.sizes.append(n)`) without prim::SetAttr, and a frozen copy would then diverge.
 */
function listOnlyRead(v: Value): boolean {
  return v.uses.every(({ user, offset }) => {
    if (LIST_READERS.has(user.kind)) return true;
    if (user.kind.startsWith('prim::')) return false;
    let ov;
    try {
      ov = resolveNodeOverload(user);
    } catch {
      return false;
    }
    const a = ov.schema.args[offset];
    return a !== undefined && a.alias === undefined;
  });
}

function isGraph(x: unknown): x is Graph {
  return typeof x === 'object' && x !== null && 'block' in x && 'inputs' in x && typeof (x as Graph).insertGraph === 'function';
}

/** Limit on inlined calls (recursion through methods is not expected in models). */
const MAX_INLINE = 100_000;

export function freezeModule(graph: Graph, self: ScriptObject, resolveMethod: MethodResolver, resolveFunction?: FunctionResolver): Graph | undefined {
  const g = graph.copy();
  const known = new Map<Value, ScriptObject>();
  if (g.inputs.length === 0) return undefined;
  known.set(g.inputs[0]!, self);
  let inlined = 0;
  let refused = false;

  // 1. inline calls on known objects; remember which values are which module objects
  const attrReads: Node[] = [];
  const visit = (b: Block): void => {
    for (let n: Node | undefined = b.firstNode; n && !refused; ) {
      const next = n.next;
      switch (n.kind) {
        case prim.SetAttr:
          refused = true;
          return;
        case prim.GetAttr: {
          const obj = known.get(n.input(0));
          if (!obj) break;
          let v: unknown;
          try {
            v = obj.getAttr(n.s('name'));
          } catch {
            break;
          }
          if (v instanceof ScriptObject) known.set(n.output(), v);
          else attrReads.push(n);
          break;
        }
        case prim.CallMethod:
        case prim.CallFunction: {
          let callee: unknown;
          if (n.kind === prim.CallMethod) {
            const obj = known.get(n.input(0));
            if (!obj) break;
            callee = resolveMethod(obj, n.s('name'));
          } else callee = resolveFunction?.(n.s('name'));
          if (!isGraph(callee)) break;
          if (++inlined > MAX_INLINE) {
            refused = true;
            return;
          }
          if (callee.inputs.length !== n.inputs.length) break;
          const first = n.prev;
          const outs = g.withInsertPoint(n, () => g.insertGraph(callee, n!.inputs));
          // the callee's self is the same object
          if (n.outputs.length === 1 && outs.length === 1) n.output().replaceAllUsesWith(outs[0]!);
          else if (n.outputs.length === 0) {
            /* the result is dropped */
          } else if (n.outputs.length === outs.length) n.outputs.forEach((o, i) => o.replaceAllUsesWith(outs[i]!));
          else {
            refused = true;
            return;
          }
          n.destroy();
          // continue with the inlined nodes (their GetAttr / CallMethod on the known object)
          n = first ? first.next : b.firstNode;
          continue;
        }
        default:
          for (const sb of n.blocks) visit(sb);
      }
      n = next;
    }
  };
  visit(g.block);
  if (refused) return undefined;

  // 2. list attributes that some read may mutate or hand on stay attributes (every read of them)
  const keep = new Set<string>();
  const attrKey = (n: Node): string => `${objectIds.get(known.get(n.input(0))!)}:${n.s('name')}`;
  const objectIds = new Map<ScriptObject, number>();
  for (const o of known.values()) if (!objectIds.has(o)) objectIds.set(o, objectIds.size);
  for (const n of attrReads) {
    const v = known.get(n.input(0))!.getAttr(n.s('name'));
    if (Array.isArray(v) && !(v instanceof TupleValue) && !listOnlyRead(n.output())) keep.add(attrKey(n));
  }

  // 3. the other attribute reads become constants
  for (const n of attrReads) {
    if (n.isDestroyed || keep.has(attrKey(n))) continue;
    const v = known.get(n.input(0))!.getAttr(n.s('name'));
    if (v instanceof TupleValue) {
      if (!v.every((e) => isFreezableValue(e) || e instanceof TupleValue)) continue;
    } else if (!isFreezableValue(v)) continue;
    const out = n.output();
    const c = g.createConstant(Array.isArray(v) && !(v instanceof TupleValue) ? [...v] : v, out.type);
    c.source = n.source;
    c.insertBefore(n);
    if (out.debugName) c.output().setDebugName(out.debugName);
    out.replaceAllUsesWith(c.output());
    n.destroy();
  }
  foldConstants(g);
  eliminateDeadCode(g);
  return g;
}
