/**
 * torchlet's graph IR, modelled on TorchScript's (torch/csrc/jit/ir/ir.h):
 *
 * - A `Graph` owns every `Node`, `Value` and `Block` created through it.
 * - A `Node` has a `kind` ('aten::add', 'prim::If', ...), input and output `Value`s, named
 *   attributes (`prim::Constant[value=1]`, `prim::GetAttr[name="fc"]`), sub-`Block`s
 *   (prim::If has two, prim::Loop one), an optional registry `overload` key resolved at compile
 *   time ('aten::add.Tensor'), and an optional source location for error messages.
 * - A `Value` is defined exactly once (SSA): by a node output, or as a block parameter. It has a
 *   graph-unique `id`, an optional `debugName`, a static `type`, and a use list.
 * - A `Block` holds its nodes in an intrusive doubly linked list that is always in topological
 *   order (every input of a node is defined before it in the same block or an enclosing one).
 *   Its parameters are the outputs of a sentinel `prim::Param` node and its returns are the
 *   inputs of a sentinel `prim::Return` node, so block returns are ordinary uses.
 *
 * Mutators are documented with Given / Execute / Result examples as in ir.h.
 */
import { Tensor } from '@torchlet/core';
import {
  AnyType, BoolType, DictOf, FloatType, IntType, ListOf, NoneType, StrType, TensorType, TupleOf, unifyTypes,
  type IRType,
} from './types.js';
import { ScriptObject, TupleValue } from './values.js';
import { printGraph, printNode } from './printer.js';

/** Where a node came from (the TorchScript source line, an ONNX node name...). */
export interface SourceLocation {
  file: string;
  /** 1-based */
  line: number;
  /** 1-based column, when known */
  col?: number;
  /** the source line or expression text, for error messages (not printed in graph text) */
  text?: string;
}

export function formatSource(s: SourceLocation): string {
  return `${s.file}:${s.line}${s.col !== undefined ? `:${s.col}` : ''}`;
}

/** One use of a Value: `user.inputs[offset] === value`. */
export interface Use {
  readonly user: Node;
  readonly offset: number;
}

/** A node attribute: a constant value and its static type (the type decides how it prints: 1 vs 1.). */
export interface Attribute {
  value: unknown;
  type: IRType;
}

/** Node kinds with meaning to the IR itself. Every other kind is a registry op (`ns::name`). */
export const prim = {
  Param: 'prim::Param',
  Return: 'prim::Return',
  Constant: 'prim::Constant',
  If: 'prim::If',
  Loop: 'prim::Loop',
  GetAttr: 'prim::GetAttr',
  SetAttr: 'prim::SetAttr',
  CallMethod: 'prim::CallMethod',
  CallFunction: 'prim::CallFunction',
  CreateObject: 'prim::CreateObject',
  TupleConstruct: 'prim::TupleConstruct',
  TupleUnpack: 'prim::TupleUnpack',
  TupleIndex: 'prim::TupleIndex',
  TupleSlice: 'prim::TupleSlice',
  ListConstruct: 'prim::ListConstruct',
  ListUnpack: 'prim::ListUnpack',
  DictConstruct: 'prim::DictConstruct',
  RaiseException: 'prim::RaiseException',
  Uninitialized: 'prim::Uninitialized',
  uncheckedCast: 'prim::unchecked_cast',
  isinstance: 'prim::isinstance',
  Print: 'prim::Print',
  Enter: 'prim::Enter',
  Exit: 'prim::Exit',
} as const;

let nextGraphId = 1;

// ---------------------------------------------------------------------------------------- Value

export class Value {
  private _debugName: string | undefined;
  /** uses in program order of insertion (not sorted) */
  readonly uses: Use[] = [];
  /** @internal use Node.addOutput / Block.addParam */
  constructor(
    /** graph-unique id */
    readonly id: number,
    /** the defining node; for block parameters the block's `prim::Param` sentinel */
    public node: Node,
    /** index in `node.outputs` */
    public offset: number,
    public type: IRType,
  ) {}

  get graph(): Graph {
    return this.node.graph;
  }
  /** A readable name hint (`x`, `x.1`); never all digits. Printing makes names unique. */
  get debugName(): string | undefined {
    return this._debugName;
  }
  setDebugName(name: string | undefined): this {
    this._debugName = name === undefined || name === '' || /^\d+$/.test(name) ? undefined : name;
    return this;
  }
  hasUses(): boolean {
    return this.uses.length > 0;
  }
  /** True when this Value is a parameter of a block (a graph input or a loop-carried/body param). */
  get isBlockParam(): boolean {
    return this.node.kind === prim.Param;
  }
  /** A short reference for messages: `%name` or `%id`. */
  toString(): string {
    return `%${this._debugName ?? this.id}`;
  }

  /**
   * Given:   %3 = f(%1, %2)   %4 = g(%3)   %5 = h(%3, %3)
   * Execute: %3.replaceAllUsesWith(%6)
   * Result:  %3 = f(%1, %2)   %4 = g(%6)   %5 = h(%6, %6)
   * (block returns are uses too). `v` must be defined before every use.
   */
  replaceAllUsesWith(v: Value): void {
    if (v === this) return;
    for (const u of [...this.uses]) u.user.replaceInput(u.offset, v);
  }

  /** Like replaceAllUsesWith, but only for uses that `keep(use)` rejects. */
  replaceUsesWhere(v: Value, pred: (u: Use) => boolean): void {
    for (const u of [...this.uses]) if (pred(u)) u.user.replaceInput(u.offset, v);
  }

  /** The constant this Value holds if its producer is a prim::Constant, else undefined (note: None is `null`). */
  constantValue(): { value: unknown } | undefined {
    if (this.node.kind !== prim.Constant) return undefined;
    return { value: this.node.hasAttr('value') ? this.node.attr('value') : null };
  }
}

// ---------------------------------------------------------------------------------------- Node

export class Node {
  private readonly _inputs: Value[] = [];
  private readonly _outputs: Value[] = [];
  private readonly _blocks: Block[] = [];
  readonly attrs = new Map<string, Attribute>();
  /** registry overload key (`aten::add.Tensor`), resolved at compile time; absent = resolve at run time */
  overload: string | undefined;
  source: SourceLocation | undefined;
  /** the block holding this node (set while it is in a node list, and for sentinels) */
  owningBlock: Block | undefined;
  /** @internal intrusive list links */
  prev: Node | undefined;
  /** @internal */
  next: Node | undefined;
  private destroyed = false;

  /** @internal use Graph.create */
  constructor(
    readonly graph: Graph,
    readonly kind: string,
  ) {}

  get inputs(): readonly Value[] {
    return this._inputs;
  }
  get outputs(): readonly Value[] {
    return this._outputs;
  }
  get blocks(): readonly Block[] {
    return this._blocks;
  }
  input(i = 0): Value {
    const v = this._inputs[i];
    if (!v) throw new Error(`${this.kind} has no input ${i}`);
    return v;
  }
  output(i = 0): Value {
    const v = this._outputs[i];
    if (!v) throw new Error(`${this.kind} has no output ${i}`);
    return v;
  }
  get isDestroyed(): boolean {
    return this.destroyed;
  }
  /** True while the node sits in a block's node list. */
  get inBlockList(): boolean {
    return this.owningBlock !== undefined && this.kind !== prim.Param && this.kind !== prim.Return;
  }

  // ------------------------------------------------------------------ inputs

  /**
   * Given:   %3 = f(%1)
   * Execute: %3.node.addInput(%2)
   * Result:  %3 = f(%1, %2)
   */
  addInput(v: Value): this {
    this.graph.version++;
    this.checkSameGraph(v);
    v.uses.push({ user: this, offset: this._inputs.length });
    this._inputs.push(v);
    return this;
  }
  /**
   * Given:   %3 = f(%1, %2)
   * Execute: %3.node.insertInput(1, %4)
   * Result:  %3 = f(%1, %4, %2)
   */
  insertInput(i: number, v: Value): this {
    this.graph.version++;
    this.checkSameGraph(v);
    for (let k = i; k < this._inputs.length; k++) this.dropUse(k);
    this._inputs.splice(i, 0, v);
    for (let k = i; k < this._inputs.length; k++) this._inputs[k]!.uses.push({ user: this, offset: k });
    return this;
  }
  /**
   * Given:   %3 = f(%1, %2)
   * Execute: %3.node.replaceInput(1, %4)
   * Result:  %3 = f(%1, %4)
   */
  replaceInput(i: number, v: Value): Value {
    this.graph.version++;
    this.checkSameGraph(v);
    const old = this.input(i);
    this.dropUse(i);
    this._inputs[i] = v;
    v.uses.push({ user: this, offset: i });
    return old;
  }
  /**
   * Given:   %3 = f(%1, %2, %1)
   * Execute: %3.node.replaceInputWith(%1, %4)
   * Result:  %3 = f(%4, %2, %4)
   */
  replaceInputWith(from: Value, to: Value): void {
    for (let i = 0; i < this._inputs.length; i++) if (this._inputs[i] === from) this.replaceInput(i, to);
  }
  /**
   * Given:   %3 = f(%1, %2)
   * Execute: %3.node.removeInput(0)
   * Result:  %3 = f(%2)
   */
  removeInput(i: number): void {
    this.graph.version++;
    this.input(i);
    for (let k = i; k < this._inputs.length; k++) this.dropUse(k);
    this._inputs.splice(i, 1);
    for (let k = i; k < this._inputs.length; k++) this._inputs[k]!.uses.push({ user: this, offset: k });
  }
  removeAllInputs(): void {
    this.graph.version++;
    for (let k = 0; k < this._inputs.length; k++) this.dropUse(k);
    this._inputs.length = 0;
  }
  private dropUse(i: number): void {
    const v = this._inputs[i]!;
    const j = v.uses.findIndex((u) => u.user === this && u.offset === i);
    if (j < 0) throw new Error(`IR corrupted: ${v} has no use record for input ${i} of ${this.kind}`);
    v.uses.splice(j, 1);
  }
  private checkSameGraph(v: Value): void {
    if (v.graph !== this.graph) throw new Error(`${this.kind}: input ${v} belongs to another graph`);
  }

  // ------------------------------------------------------------------ outputs

  /**
   * Given:   %3 = f(%1)
   * Execute: n.addOutput(IntType)
   * Result:  %3, %4 : int = f(%1)
   */
  addOutput(type: IRType, debugName?: string): Value {
    const v = new Value(this.graph.newValueId(), this, this._outputs.length, type);
    if (debugName !== undefined) v.setDebugName(debugName);
    this._outputs.push(v);
    return v;
  }
  /**
   * Given:   %3, %4 = f(%1)      (%3 unused)
   * Execute: n.eraseOutput(0)
   * Result:  %4 = f(%1)
   */
  eraseOutput(i: number): void {
    this.graph.version++;
    const v = this.output(i);
    if (v.hasUses()) throw new Error(`cannot erase output ${v} of ${this.kind}: it still has ${v.uses.length} use(s)`);
    this._outputs.splice(i, 1);
    for (let k = i; k < this._outputs.length; k++) this._outputs[k]!.offset = k;
  }

  // ------------------------------------------------------------------ blocks

  /** Adds an empty sub-block (prim::If: two, prim::Loop: one). */
  addBlock(): Block {
    this.graph.version++;
    const b = new Block(this.graph, this);
    this._blocks.push(b);
    return b;
  }
  /** Removes and destroys sub-block `i` with every node in it. */
  eraseBlock(i: number): void {
    this.graph.version++;
    const b = this._blocks[i];
    if (!b) throw new Error(`${this.kind} has no block ${i}`);
    this._blocks.splice(i, 1);
    b.destroy();
  }

  // ------------------------------------------------------------------ attributes

  hasAttr(name: string): boolean {
    return this.attrs.has(name);
  }
  /** The attribute's value; throws if absent. */
  attr(name: string): unknown {
    const a = this.attrs.get(name);
    if (!a) throw new Error(`${this.kind} has no attribute '${name}'`);
    return a.value;
  }
  /** A string attribute (`name` of GetAttr/SetAttr/CallMethod/CallFunction). */
  s(name: string): string {
    const v = this.attr(name);
    if (typeof v !== 'string') throw new Error(`${this.kind}: attribute '${name}' is not a string`);
    return v;
  }
  /** Sets an attribute; the type defaults to the value's inferred type (`inferValueType`). */
  setAttr(name: string, value: unknown, type: IRType = inferValueType(value)): this {
    this.graph.version++;
    this.attrs.set(name, { value, type });
    return this;
  }
  removeAttr(name: string): void {
    this.graph.version++;
    this.attrs.delete(name);
  }
  attrNames(): string[] {
    return [...this.attrs.keys()];
  }

  // ------------------------------------------------------------------ position

  /**
   * Given:   %3 = f(%1)   (this, not in a list)
   *          %5 = h(%1)   (n)
   * Execute: this.insertBefore(n)
   * Result:  %3 = f(%1)
   *          %5 = h(%1)
   */
  insertBefore(n: Node): this {
    const b = n.owningBlock;
    if (!b || !n.inBlockList) throw new Error(`insertBefore: ${n.kind} is not in a block`);
    b.linkBefore(this, n);
    return this;
  }
  /**
   * Given:   %3 = f(%1)   (n)
   *          %5 = h(%1)
   * Execute: this.insertAfter(n)      (this: %4 = g(%3), not in a list)
   * Result:  %3 = f(%1)
   *          %4 = g(%3)
   *          %5 = h(%1)
   */
  insertAfter(n: Node): this {
    const b = n.owningBlock;
    if (!b || !n.inBlockList) throw new Error(`insertAfter: ${n.kind} is not in a block`);
    b.linkAfter(this, n);
    return this;
  }
  /** Unlinks this node from its list and inserts it before `n` (may cross blocks; the caller keeps topological order). */
  moveBefore(n: Node): this {
    this.unlink();
    return this.insertBefore(n);
  }
  moveAfter(n: Node): this {
    this.unlink();
    return this.insertAfter(n);
  }
  /** Removes the node from its block's list without destroying it. */
  unlink(): void {
    if (this.inBlockList) this.owningBlock!.unlinkNode(this);
  }

  /**
   * Given:   %3 = f(%1)    (%3 has no uses)
   *          %4 = g(%2)
   * Execute: %3.node.destroy()
   * Result:  %4 = g(%2)
   * Throws if an output is still used. Sub-blocks are destroyed recursively.
   */
  destroy(): void {
    if (this.destroyed) return;
    for (const o of this._outputs) {
      if (o.hasUses()) throw new Error(`cannot destroy ${this.kind}: output ${o} is still used by ${o.uses.map((u) => u.user.kind).join(', ')}`);
    }
    for (const b of this._blocks) b.destroy();
    this._blocks.length = 0;
    this.removeAllInputs();
    this.unlink();
    this.owningBlock = undefined;
    this.destroyed = true;
  }

  /** True if this node is before `other` in the same block (linear scan). */
  isBefore(other: Node): boolean {
    if (this.owningBlock !== other.owningBlock) throw new Error('isBefore: nodes are in different blocks');
    for (let n = this.next; n; n = n.next) if (n === other) return true;
    return false;
  }

  /** The node's text (one line, without sub-blocks). */
  toString(): string {
    return printNode(this);
  }
}

// ---------------------------------------------------------------------------------------- Block

/** A list of nodes with parameters and returns (graph body, If branch, Loop body). */
export class Block {
  readonly paramNode: Node;
  readonly returnNode: Node;
  /** @internal */ first: Node | undefined;
  /** @internal */ last: Node | undefined;
  private destroyed = false;

  /** @internal use Node.addBlock; the graph's top block is created by Graph */
  constructor(
    readonly graph: Graph,
    /** the node owning this block; undefined for the graph's top block */
    readonly owningNode: Node | undefined,
  ) {
    this.paramNode = new Node(graph, prim.Param);
    this.returnNode = new Node(graph, prim.Return);
    this.paramNode.owningBlock = this;
    this.returnNode.owningBlock = this;
  }

  get params(): readonly Value[] {
    return this.paramNode.outputs;
  }
  get returns(): readonly Value[] {
    return this.returnNode.inputs;
  }
  /** Appends a parameter (graph input / loop-carried value). */
  addParam(type: IRType, debugName?: string): Value {
    return this.paramNode.addOutput(type, debugName);
  }
  /** Removes unused parameter `i`. */
  eraseParam(i: number): void {
    this.paramNode.eraseOutput(i);
  }
  /** Appends `v` to the block's returns. */
  registerReturn(v: Value): number {
    this.returnNode.addInput(v);
    return this.returnNode.inputs.length - 1;
  }
  eraseReturn(i: number): void {
    this.returnNode.removeInput(i);
  }

  /** Nodes in order (a snapshot: safe to mutate the block while iterating it). */
  nodes(): Node[] {
    const out: Node[] = [];
    for (let n = this.first; n; n = n.next) out.push(n);
    return out;
  }
  *[Symbol.iterator](): IterableIterator<Node> {
    for (let n = this.first; n; ) {
      const next = n.next;
      yield n;
      n = next;
    }
  }
  get firstNode(): Node | undefined {
    return this.first;
  }
  get lastNode(): Node | undefined {
    return this.last;
  }
  get isEmpty(): boolean {
    return this.first === undefined;
  }

  /**
   * Given:   block0(): %1 = f()
   * Execute: block.appendNode(%2 = g(%1))
   * Result:  block0(): %1 = f()  %2 = g(%1)
   */
  appendNode(n: Node): Node {
    this.graph.version++;
    if (n.inBlockList || n.isDestroyed) throw new Error(`appendNode: ${n.kind} is already in a block or destroyed`);
    if (n.graph !== this.graph) throw new Error('appendNode: node belongs to another graph');
    n.owningBlock = this;
    n.prev = this.last;
    n.next = undefined;
    if (this.last) this.last.next = n;
    else this.first = n;
    this.last = n;
    return n;
  }
  prependNode(n: Node): Node {
    if (this.first) return n.insertBefore(this.first);
    return this.appendNode(n);
  }
  /** @internal */
  linkBefore(n: Node, before: Node): void {
    this.graph.version++;
    if (n.inBlockList || n.isDestroyed) throw new Error(`insert: ${n.kind} is already in a block or destroyed`);
    n.owningBlock = this;
    n.next = before;
    n.prev = before.prev;
    if (before.prev) before.prev.next = n;
    else this.first = n;
    before.prev = n;
  }
  /** @internal */
  linkAfter(n: Node, after: Node): void {
    if (after.next) this.linkBefore(n, after.next);
    else this.appendNode(n);
  }
  /** @internal */
  unlinkNode(n: Node): void {
    this.graph.version++;
    if (n.prev) n.prev.next = n.next;
    else this.first = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.last = n.prev;
    n.prev = n.next = undefined;
    n.owningBlock = undefined;
  }

  /** Destroys all nodes (last to first) and the sentinels' uses. */
  destroy(): void {
    if (this.destroyed) return;
    this.returnNode.removeAllInputs();
    for (let n = this.last; n; ) {
      const prev = n.prev;
      n.destroy();
      n = prev;
    }
    this.destroyed = true;
  }

  /** The node this block belongs to, walking up: the innermost enclosing nodes first. */
  *enclosingNodes(): IterableIterator<Node> {
    for (let b: Block | undefined = this; b?.owningNode; b = b.owningNode.owningBlock) yield b.owningNode;
  }
}

// ---------------------------------------------------------------------------------------- Graph

/** Where `Graph.insert` puts new nodes: before `node`, or at the end of `block`. */
export type InsertPoint = { block: Block; before?: Node };

export class Graph {
  readonly id = nextGraphId++;
  readonly block: Block;
  private valueIds = 0;
  /** bumped by every structural mutation; caches (liveness, interpreter plans) compare it */
  version = 0;
  private insertPoint: InsertPoint;
  /** a name for messages (`__torch__.M.forward`) */
  name: string | undefined;

  constructor(name?: string) {
    this.block = new Block(this, undefined);
    this.insertPoint = { block: this.block };
    this.name = name;
  }

  /** One more than the largest Value id handed out so far (ids are dense enough to index arrays). */
  get valueIdBound(): number {
    return this.valueIds + 1;
  }

  /** @internal */
  newValueId(): number {
    this.version++;
    return ++this.valueIds;
  }

  get inputs(): readonly Value[] {
    return this.block.params;
  }
  get outputs(): readonly Value[] {
    return this.block.returns;
  }
  /** Appends a graph input. */
  addInput(type: IRType, debugName?: string): Value {
    return this.block.addParam(type, debugName);
  }
  /** Appends `v` to the graph outputs; returns its index. */
  registerOutput(v: Value): number {
    return this.block.registerReturn(v);
  }

  /**
   * A new node that is not yet in any block: `create('aten::add', [x, y], [TensorType])`.
   * Insert it with `insertNode`, `block.appendNode`, `insertBefore`/`insertAfter`.
   */
  create(kind: string, inputs: readonly Value[] = [], outputTypes: readonly IRType[] = []): Node {
    const n = new Node(this, kind);
    for (const v of inputs) n.addInput(v);
    for (const t of outputTypes) n.addOutput(t);
    return n;
  }

  /** Inserts `n` at the insertion point (end of the top block unless changed). */
  insertNode(n: Node): Node {
    const p = this.insertPoint;
    if (p.before) n.insertBefore(p.before);
    else p.block.appendNode(n);
    return n;
  }
  /** create + insertNode, with optional overload key and source location. */
  insert(kind: string, inputs: readonly Value[], outputTypes: readonly IRType[], opts: { overload?: string; source?: SourceLocation; attrs?: Record<string, unknown> } = {}): Node {
    const n = this.create(kind, inputs, outputTypes);
    if (opts.overload !== undefined) n.overload = opts.overload;
    if (opts.source) n.source = opts.source;
    for (const [k, v] of Object.entries(opts.attrs ?? {})) n.setAttr(k, v);
    return this.insertNode(n);
  }
  /** Inserts a prim::Constant (value `null` = None) and returns its output. */
  insertConstant(value: unknown, type: IRType = inferValueType(value), source?: SourceLocation): Value {
    const n = this.createConstant(value, type);
    if (source) n.source = source;
    return this.insertNode(n).output();
  }
  /** A prim::Constant node, not inserted. None is a Constant without a `value` attribute. */
  createConstant(value: unknown, type: IRType = inferValueType(value)): Node {
    const n = this.create(prim.Constant, [], [type]);
    if (value !== null && value !== undefined) n.setAttr('value', value, type);
    return n;
  }

  getInsertPoint(): InsertPoint {
    return { ...this.insertPoint };
  }
  /** New nodes go at the end of `block`, or before `node`. */
  setInsertPoint(at: Block | Node): void {
    if (at instanceof Block) this.insertPoint = { block: at };
    else {
      if (!at.inBlockList) throw new Error(`setInsertPoint: ${at.kind} is not in a block`);
      this.insertPoint = { block: at.owningBlock!, before: at };
    }
  }
  /** Runs `fn` with the insertion point set to `at`, then restores it. */
  withInsertPoint<T>(at: Block | Node, fn: () => T): T {
    const saved = this.insertPoint;
    this.setInsertPoint(at);
    try {
      return fn();
    } finally {
      this.insertPoint = saved;
    }
  }

  /** Every node in every block, depth first in program order (not the sentinels). */
  allNodes(): Node[] {
    const out: Node[] = [];
    const walk = (b: Block): void => {
      for (let n = b.first; n; n = n.next) {
        out.push(n);
        for (const sb of n.blocks) walk(sb);
      }
    };
    walk(this.block);
    return out;
  }

  /**
   * Inserts a copy of `callee`'s body at the insertion point with its inputs bound to `args`;
   * returns the Values that correspond to the callee's outputs (inlining).
   */
  insertGraph(callee: Graph, args: readonly Value[]): Value[] {
    if (args.length !== callee.inputs.length) throw new Error(`insertGraph: ${callee.name ?? 'graph'} takes ${callee.inputs.length} inputs, got ${args.length}`);
    const map = new Map<Value, Value>();
    callee.inputs.forEach((v, i) => map.set(v, args[i]!));
    const p = this.insertPoint;
    for (let n = callee.block.first; n; n = n.next) {
      const c = cloneNode(this, n, map);
      if (p.before) c.insertBefore(p.before);
      else p.block.appendNode(c);
    }
    return callee.outputs.map((v) => lookup(map, v));
  }

  /** A deep copy (same value names, types, attributes, overloads and sources; new ids). */
  copy(): Graph {
    const g = new Graph(this.name);
    const map = new Map<Value, Value>();
    for (const v of this.inputs) map.set(v, g.addInput(v.type, v.debugName));
    for (let n = this.block.first; n; n = n.next) g.block.appendNode(cloneNode(g, n, map));
    for (const v of this.outputs) g.registerOutput(lookup(map, v));
    return g;
  }

  /** PyTorch-style text (`graph(%x : Tensor): ...`). */
  toString(): string {
    return printGraph(this);
  }
}

function lookup(map: Map<Value, Value>, v: Value): Value {
  const m = map.get(v);
  if (!m) throw new Error(`clone: ${v} is used before it is defined (or comes from outside the cloned graph)`);
  return m;
}

/** Clones `n` (with sub-blocks) into graph `g`, mapping inputs through `map` and recording outputs in it. */
export function cloneNode(g: Graph, n: Node, map: Map<Value, Value>): Node {
  const c = g.create(n.kind, n.inputs.map((v) => lookup(map, v)), []);
  for (const o of n.outputs) map.set(o, c.addOutput(o.type, o.debugName));
  for (const [k, a] of n.attrs) c.attrs.set(k, { value: a.value, type: a.type });
  c.overload = n.overload;
  c.source = n.source;
  for (const b of n.blocks) {
    const cb = c.addBlock();
    for (const p of b.params) map.set(p, cb.addParam(p.type, p.debugName));
    for (let k = b.first; k; k = k.next) cb.appendNode(cloneNode(g, k, map));
    for (const r of b.returns) cb.registerReturn(lookup(map, r));
  }
  return c;
}

/**
 * The static type of a constant or runtime value: int for integral numbers, float otherwise,
 * List/Tuple/Dict from their elements (an empty list is List[Any]).
 */
export function inferValueType(v: unknown): IRType {
  if (v === null || v === undefined) return NoneType;
  if (typeof v === 'boolean') return BoolType;
  if (typeof v === 'number') return Number.isInteger(v) ? IntType : FloatType;
  if (typeof v === 'bigint') return IntType;
  if (typeof v === 'string') return StrType;
  if (v instanceof Tensor) return TensorType;
  if (v instanceof ScriptObject) return v.type;
  if (v instanceof TupleValue) return v.namedType ?? TupleOf(v.map(inferValueType));
  if (Array.isArray(v)) return ListOf(unifyAll(v.map(inferValueType)));
  if (v instanceof Map) {
    const ks = [...v.keys()], vs = [...v.values()];
    return DictOf(unifyAll(ks.map(inferValueType), StrType), unifyAll(vs.map(inferValueType), TensorType));
  }
  return AnyType;
}

function unifyAll(ts: IRType[], empty: IRType = AnyType): IRType {
  if (ts.length === 0) return empty;
  let t = ts[0]!;
  for (const u of ts.slice(1)) {
    const r = unifyTypes(t, u);
    if (!r) {
      // ints and floats together: Python would make a List[float] only through annotation
      if ((t.kind === 'int' || t.kind === 'float') && (u.kind === 'int' || u.kind === 'float')) t = FloatType;
      else return AnyType;
    } else t = r;
  }
  return t;
}
