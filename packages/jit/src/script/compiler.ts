import { Tensor, getRegistry } from '@torchlet/core';
import {
  AnyType, BoolType, ClassType, DeviceType, DictOf, FloatType, Graph, IntType, ListOf, NoneType, NumberType, OptionalOf, StrType,
  TensorType, TupleOf, inferValueType, isSubtype, prim, resolveOverloads, tuple, typeToPython, typeToString, typesEqual, unifyTypes,
  type ArgBinding, type Block, type Conversion, type IRType, type MatchArg, type Node, type SchemaMatch, type SourceLocation, type TupleType,
  type Value,
} from '@torchlet/ir';
import { ScriptCompileError } from '../errors.js';
import type { BinOpName, CmpOpName, Expr, FunctionDef, Keyword, Pos, Stmt } from './ast.js';
import { desugarFunction, loopInfo } from './desugar.js';
import { TypeParseError, dottedName, parseTypeExpr } from './typeparse.js';
import { constEval, type ClassInfo, type CompilationUnit, type FunctionSig } from './unit.js';

/**
 * Compiles TorchScript source (the AST of one method or function) into the torchlet IR, as
 * PyTorch's ir_emitter does: static types on every Value, operator overloads chosen from the
 * arguments' static types (the key is stored on the node), structured control flow as
 * prim::If / prim::Loop blocks with explicit outputs and loop-carried values.
 */

const INT64_MAX = 9223372036854775807;

// ------------------------------------------------------------------------------ sugared values

/** What a name or expression denotes at compile time. */
type SV =
  | { k: 'value'; v: Value }
  | { k: 'ns'; path: string }
  | { k: 'op'; qname: string }
  | { k: 'builtin'; name: string }
  | { k: 'class'; info: ClassInfo }
  | { k: 'classMember'; info: ClassInfo; name: string }
  | { k: 'function'; qname: string }
  | { k: 'method'; self: Value; name: string }
  | { k: 'constants' }
  | { k: 'type'; type: IRType }
  | { k: 'closure'; def: FunctionDef }
  | { k: 'future'; v: Value }
  | { k: 'noGrad' }
  | { k: 'moduleItems'; container: Value; mode: 'items' | 'keys' | 'values' }
  | { k: 'iter'; kind: 'range' | 'enumerate' | 'zip' | 'reversed'; args: SV[]; start?: SV };

const BUILTINS = new Set([
  'int', 'float', 'bool', 'str', 'len', 'range', 'enumerate', 'zip', 'print', 'isinstance', 'getattr', 'hasattr', 'annotate',
  'unchecked_cast', 'uninitialized', 'fork', 'sorted', 'min', 'max', 'abs', 'list', 'tuple', 'dict', 'round', 'divmod',
  'reversed', 'ord', 'chr', 'hash', 'all', 'any', 'sum', 'complex', 'hex', 'oct', 'bin', 'id', 'callable', 'iter', 'next',
  'setattr', 'super', 'type', 'object', 'map', 'filter', 'open', 'eval', 'exec', 'globals', 'locals', 'vars', '__import__',
]);

const TYPE_NAMES: Record<string, IRType> = {
  Tensor: TensorType, int: IntType, float: FloatType, bool: BoolType, str: StrType, NoneType, Device: DeviceType,
};

const BINOP_OPS: Record<BinOpName, string[]> = {
  '+': ['aten::add'], '-': ['aten::sub'], '*': ['aten::mul'], '/': ['aten::div'], '//': ['aten::floordiv', 'aten::floor_divide'],
  '%': ['aten::remainder'], '**': ['aten::pow'], '@': ['aten::matmul'], '&': ['aten::__and__'], '|': ['aten::__or__'],
  '^': ['aten::__xor__'], '<<': ['aten::__lshift__'], '>>': ['aten::__rshift__'],
};
const CMP_OPS: Record<string, string> = { '==': 'aten::eq', '!=': 'aten::ne', '<': 'aten::lt', '<=': 'aten::le', '>': 'aten::gt', '>=': 'aten::ge' };
const INPLACE_OPS: Partial<Record<BinOpName, string>> = {
  '+': 'aten::add_', '-': 'aten::sub_', '*': 'aten::mul_', '/': 'aten::div_', '//': 'aten::floor_divide_', '%': 'aten::remainder_',
  '**': 'aten::pow_', '&': 'aten::__iand__', '|': 'aten::__ior__', '^': 'aten::__ixor__', '<<': 'aten::__ilshift__', '>>': 'aten::__irshift__',
};

// ------------------------------------------------------------------------------ environment

class Frame {
  readonly vars = new Map<string, SV>();
  constructor(
    readonly parent: Frame | undefined,
    /** refinement frames hold `x is not None` narrowings; they are not merged as If outputs */
    readonly isRefinement = false,
  ) {}
  lookup(name: string): SV | undefined {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      const v = f.vars.get(name);
      if (v) return v;
    }
    return undefined;
  }
}

/** Narrowings implied by a condition being true or false. */
interface Refinements {
  whenTrue: Map<string, IRType>;
  whenFalse: Map<string, IRType>;
}
const noRefinements = (): Refinements => ({ whenTrue: new Map(), whenFalse: new Map() });

interface CondResult {
  v: Value;
  ref: Refinements;
}

/** Called after the first error at an op that is not in the registry (kept, to fail at run time). */
export interface CompileOptions {
  /** fail at compile time on ops missing from the registry (default: emit and fail when executed) */
  strictOps?: boolean;
}

// ------------------------------------------------------------------------------ the emitter

export class FunctionEmitter {
  readonly graph: Graph;
  private frame: Frame;
  /** declared (annotated) variable types: assignments keep this type */
  private readonly declared = new Map<string, IRType>();
  private readonly file: string;
  private curPos: Pos;

  constructor(
    private readonly unit: CompilationUnit,
    private readonly sig: FunctionSig,
    private readonly opts: CompileOptions = {},
  ) {
    this.graph = new Graph(sig.qualifiedName);
    this.file = sig.file;
    this.frame = new Frame(undefined);
    this.curPos = sig.def.pos;
  }

  // ------------------------------------------------------------------ errors / sources

  private err(msg: string, pos: Pos = this.curPos): ScriptCompileError {
    return this.unit.error(msg, this.file, pos);
  }
  private source(pos: Pos = this.curPos): SourceLocation {
    const text = this.unit.sourceLine(this.file, pos.line)?.trim();
    return text === undefined ? { file: this.file, line: pos.line, col: pos.col } : { file: this.file, line: pos.line, col: pos.col, text };
  }

  // ------------------------------------------------------------------ node helpers

  private insert(kind: string, inputs: readonly Value[], outTypes: readonly IRType[], overload?: string, attrs?: Record<string, unknown>): Node {
    const n = this.graph.create(kind, inputs, outTypes);
    if (overload !== undefined) n.overload = overload;
    n.source = this.source();
    if (attrs) for (const [k, v] of Object.entries(attrs)) n.setAttr(k, v);
    return this.graph.insertNode(n);
  }
  private constant(value: unknown, type: IRType = inferValueType(value)): Value {
    const n = this.graph.createConstant(toRuntimeConstant(value, type), type);
    n.source = this.source();
    return this.graph.insertNode(n).output();
  }
  private none(): Value {
    return this.constant(null, NoneType);
  }

  // ------------------------------------------------------------------ entry

  compile(): Graph {
    const def = this.sig.def;
    if (this.sig.owner) {
      const selfName = def.params[0]!.name;
      const selfV = this.graph.addInput(this.sig.owner, selfName);
      this.frame.vars.set(selfName, { k: 'value', v: selfV });
    }
    for (const p of this.sig.params) {
      const v = this.graph.addInput(p.type, p.name);
      this.frame.vars.set(p.name, { k: 'value', v });
      this.declared.set(p.name, p.type);
    }
    const body = desugarFunction(def.body, def.returns, def.pos);
    const { returned } = this.emitBody(body, true);
    let ret = returned;
    if (!ret) {
      if (this.sig.returnType.kind !== 'NoneType' && !this.lastExits) {
        throw this.err(`function ${this.sig.name} is declared to return ${typeToPython(this.sig.returnType)} but does not return a value`, def.pos);
      }
      ret = this.lastExits ? this.insert(prim.Uninitialized, [], [this.sig.returnType]).output() : this.none();
    }
    ret = this.coerce(ret, this.sig.returnType, `return value of ${this.sig.name}`);
    this.graph.registerOutput(ret);
    return this.graph;
  }

  private lastExits = false;

  /** Emits a function body; returns the value of its final `return`, if any. */
  private emitBody(stmts: readonly Stmt[], top: boolean): { returned?: Value } {
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i]!;
      if (s.k === 'Return') {
        if (i !== stmts.length - 1 || !top) throw this.err('return must be the last statement of a function', s.pos);
        this.curPos = s.pos;
        const v = s.value ? this.emitExprWithHint(s.value, this.sig.returnType) : this.none();
        return { returned: v };
      }
      const exits = this.emitStmt(s);
      if (exits) {
        this.lastExits = true;
        return {};
      }
    }
    return {};
  }

  /** Emits statements into the current insertion point; returns true when the list always raises. */
  private emitStmts(stmts: readonly Stmt[]): boolean {
    for (const s of stmts) {
      if (s.k === 'Return') throw this.err('return inside a nested block is not supported here', s.pos);
      if (this.emitStmt(s)) return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ statements

  private emitStmt(s: Stmt): boolean {
    this.curPos = s.pos;
    switch (s.k) {
      case 'Pass':
      case 'Import':
        return false;
      case 'Expr': {
        if (s.value.k === 'Str') return false; // docstring
        const r = this.emitSugared(s.value);
        return r.k === 'value' && raiseMarkers.has(r.v);
      }
      case 'Assign':
        this.emitAssign(s.targets, s.value);
        return false;
      case 'AnnAssign': {
        const t = this.parseType(s.annotation);
        if (s.target.k === 'Name') {
          this.declared.set(s.target.id, t);
          if (s.value) {
            let v = this.coerce(this.emitExprWithHint(s.value, t), t, `'${s.target.id}'`);
            if (v.type.kind === 'NoneType' && t.kind !== 'NoneType') v = this.insert(prim.uncheckedCast, [v], [t]).output();
            this.setVar(s.target.id, { k: 'value', v });
          }
          return false;
        }
        if (s.value) {
          const v = this.emitExprWithHint(s.value, t);
          this.assignTo(s.target, { k: 'value', v }, t);
        }
        return false;
      }
      case 'AugAssign':
        this.emitAugAssign(s.target, s.op, s.value);
        return false;
      case 'If':
        return this.emitIf(s.test, s.body, s.orelse);
      case 'For':
        this.emitFor(s);
        return false;
      case 'While':
        this.emitWhile(s);
        return false;
      case 'Break':
        throw this.err("'break' outside a loop", s.pos);
      case 'Continue':
        throw this.err("'continue' outside a loop", s.pos);
      case 'Return':
        throw this.err('return must be the last statement of a function', s.pos);
      case 'Raise':
        this.emitRaise(s.exc);
        return true;
      case 'Assert':
        this.emitAssert(s.test, s.msg);
        return false;
      case 'With':
        return this.emitWith(s);
      case 'Delete':
        for (const t of s.targets) {
          if (t.k === 'Subscript') {
            const container = this.emitExpr(t.value);
            const key = this.emitExpr(t.index);
            this.callOp('aten::Delete', [container, key], new Map(), t.pos);
          } else if (t.k === 'Name') this.frame.vars.delete(t.id);
          else throw this.err('unsupported del target', t.pos);
        }
        return false;
      case 'FunctionDef':
        this.setVar(s.name, { k: 'closure', def: s });
        return false;
      case 'ClassDef':
        throw this.err('class definitions inside functions are not supported', s.pos);
    }
  }

  // ------------------------------------------------------------------ variables

  private setVar(name: string, sv: SV): void {
    if (sv.k === 'value') {
      const d = this.declared.get(name);
      if (d && !typesEqual(sv.v.type, d)) {
        if (!isSubtype(sv.v.type, d)) {
          throw this.err(`variable '${name}' is annotated as ${typeToPython(d)} but is assigned a value of type ${typeToPython(sv.v.type)}`);
        }
      }
    }
    this.frame.vars.set(name, sv);
  }

  /** The type a variable has across control flow: its annotation, else the value's type. */
  private varType(name: string, v: Value): IRType {
    return this.declared.get(name) ?? v.type;
  }

  private lookupVar(name: string, pos: Pos): SV | undefined {
    const sv = this.frame.lookup(name);
    if (sv) return sv;
    void pos;
    return undefined;
  }

  // ------------------------------------------------------------------ assignment

  private emitAssign(targets: readonly Expr[], valueExpr: Expr): void {
    // parallel assignment `a, b = x, y`: evaluate every right-hand side first
    const firstT = targets[0]!;
    let rhs: SV;
    if (targets.length === 1 && isTupleTarget(firstT) && valueExpr.k === 'Tuple' && firstT.k === 'Tuple' && firstT.elts.length === valueExpr.elts.length && !valueExpr.elts.some((e) => e.k === 'Starred')) {
      const vals = valueExpr.elts.map((e, i) => this.emitTargetValue(firstT.elts[i]!, e));
      firstT.elts.forEach((t, i) => this.assignTo(t, vals[i]!));
      return;
    }
    const hint = targets.length === 1 && firstT.k === 'Name' ? this.declared.get(firstT.id) : undefined;
    rhs = hint ? { k: 'value', v: this.emitExprWithHint(valueExpr, hint) } : this.emitSugared(valueExpr);
    for (const t of targets) this.assignTo(t, rhs);
  }

  private emitTargetValue(target: Expr, e: Expr): SV {
    const hint = target.k === 'Name' ? this.declared.get(target.id) : undefined;
    return hint ? { k: 'value', v: this.emitExprWithHint(e, hint) } : this.emitSugared(e);
  }

  /**
   * Hand-written TorchScript classes declare attributes by assigning them in `__init__`
   * (`self.count = start`, `self.seen: List[str] = []`): the first assignment adds the slot.
   */
  private defineAttrInInit(obj: Value, name: string, type: IRType): void {
    const t = obj.type as ClassType;
    if (t.findAttribute(name) >= 0 || this.sig.name !== '__init__' || this.sig.owner !== t || t.isModule) return;
    const selfV = this.graph.inputs[0];
    if (obj !== selfV) return;
    t.addAttribute(name, type.kind === 'NoneType' ? type : type);
  }

  private assignTo(target: Expr, rhs: SV, annotation?: IRType): void {
    switch (target.k) {
      case 'Name': {
        if (rhs.k === 'value') {
          const d = this.declared.get(target.id);
          let v = d ? this.coerce(rhs.v, d, `'${target.id}'`) : rhs.v;
          // `x : Optional[T] = None`: the variable has the declared type, so `x is None` is not folded
          if (d && v.type.kind === 'NoneType' && d.kind !== 'NoneType') v = this.insert(prim.uncheckedCast, [v], [d]).output();
          if (!d && v.debugName === undefined && !v.isBlockParam && v.node.kind !== prim.Constant) v.setDebugName(target.id.replace(/^\$/, ''));
          this.setVar(target.id, { k: 'value', v });
        } else this.setVar(target.id, rhs);
        return;
      }
      case 'Tuple':
      case 'List': {
        const vals = this.unpack(rhs, target.elts.length, target.pos);
        target.elts.forEach((t, i) => this.assignTo(t, vals[i]!));
        return;
      }
      case 'Attr': {
        const obj = this.emitExpr(target.value);
        const v = this.asValue(rhs, target.pos);
        if (obj.type instanceof ClassType) {
          this.defineAttrInInit(obj, target.attr, annotation ?? v.type);
          const at = obj.type.attributeType(target.attr);
          if (!at) throw this.err(`'${obj.type.name}' object has no attribute '${target.attr}'`, target.pos);
          const cv = this.coerce(v, at, `attribute '${target.attr}'`);
          this.insert(prim.SetAttr, [obj, cv], [], undefined, { name: target.attr });
          return;
        }
        throw this.err(`cannot assign to attribute '${target.attr}' of a ${typeToPython(obj.type)}`, target.pos);
      }
      case 'Subscript': {
        const container = this.emitExpr(target.value);
        const v = this.asValue(rhs, target.pos);
        this.emitSubscriptAssign(container, target.index, v, target.pos);
        return;
      }
      case 'Starred':
        throw this.err('starred assignment targets are not supported', target.pos);
      default:
        throw this.err(`cannot assign to ${target.k}`, target.pos);
    }
  }

  /** `a, b = v`: tuple, list (ListUnpack), or a multi-output call. */
  private unpack(rhs: SV, n: number, pos: Pos): SV[] {
    if (rhs.k !== 'value') throw this.err('cannot unpack a non-value', pos);
    const v = rhs.v;
    const t = v.type;
    if (t.kind === 'Tuple') {
      if (t.elems.length !== n) throw this.err(`cannot unpack a tuple of ${t.elems.length} element(s) into ${n} target(s)`, pos);
      if (v.node.kind === prim.TupleConstruct && v.node.inputs.length === n) return v.node.inputs.map((x) => ({ k: 'value' as const, v: x }));
      const node = this.insert(prim.TupleUnpack, [v], t.elems);
      return node.outputs.map((x) => ({ k: 'value' as const, v: x }));
    }
    if (t.kind === 'List') {
      if (v.node.kind === prim.ListConstruct && v.node.inputs.length === n && v.uses.length === 0) {
        return v.node.inputs.map((x) => ({ k: 'value' as const, v: x }));
      }
      const node = this.insert(prim.ListUnpack, [v], new Array<IRType>(n).fill(t.elem));
      return node.outputs.map((x) => ({ k: 'value' as const, v: x }));
    }
    if (t.kind === 'Any') {
      const node = this.insert(prim.TupleUnpack, [v], new Array<IRType>(n).fill(AnyType));
      return node.outputs.map((x) => ({ k: 'value' as const, v: x }));
    }
    if (t.kind === 'Tensor') {
      // `a, b = t` unpacks along dim 0 (aten::unbind)
      const l = this.callOp('aten::unbind', [v], new Map(), pos);
      return this.unpack({ k: 'value', v: l }, n, pos);
    }
    throw this.err(`cannot unpack a value of type ${typeToPython(t)}`, pos);
  }

  private emitAugAssign(target: Expr, op: BinOpName, valueExpr: Expr): void {
    const pos = target.pos;
    if (target.k === 'Name') {
      const cur = this.emitExpr(target);
      const rhs = this.emitExpr(valueExpr);
      if (cur.type.kind === 'Tensor' && INPLACE_OPS[op]) {
        // `x += y` on a tensor is in place
        const r = this.callOp(INPLACE_OPS[op]!, [cur, rhs], new Map(), pos);
        this.setVar(target.id, { k: 'value', v: r });
        return;
      }
      if (cur.type.kind === 'List' && op === '+') {
        const r = this.callOp('aten::add_', [cur, rhs], new Map(), pos);
        this.setVar(target.id, { k: 'value', v: r });
        return;
      }
      const r = this.binop(op, cur, rhs, pos);
      this.assignTo(target, { k: 'value', v: r });
      return;
    }
    if (target.k === 'Attr') {
      const obj = this.emitExpr(target.value);
      const cur = this.getAttr(obj, target.attr, pos);
      const rhs = this.emitExpr(valueExpr);
      if (cur.type.kind === 'Tensor' && INPLACE_OPS[op]) {
        this.callOp(INPLACE_OPS[op]!, [cur, rhs], new Map(), pos);
        return;
      }
      const r = this.binop(op, cur, rhs, pos);
      this.insert(prim.SetAttr, [obj, this.coerce(r, cur.type, `attribute '${target.attr}'`)], [], undefined, { name: target.attr });
      return;
    }
    if (target.k === 'Subscript') {
      const container = this.emitExpr(target.value);
      if (container.type.kind === 'Tensor') {
        const view = this.emitTensorIndex(container, target.index, pos);
        const rhs = this.emitExpr(valueExpr);
        if (!INPLACE_OPS[op]) throw this.err(`unsupported augmented assignment ${op}= on a tensor`, pos);
        this.callOp(INPLACE_OPS[op]!, [view, rhs], new Map(), pos);
        return;
      }
      const idx = this.emitExpr(target.index);
      const cur = this.getItem(container, idx, pos);
      const r = this.binop(op, cur, this.emitExpr(valueExpr), pos);
      this.setItem(container, idx, r, pos);
      return;
    }
    throw this.err('unsupported augmented assignment target', pos);
  }

  // ------------------------------------------------------------------ control flow

  private emitCondition(e: Expr): CondResult {
    const ref = this.refinementsOf(e);
    const v = this.toBool(this.emitExpr(e), e.pos);
    return { v, ref };
  }

  /** `x is not None`, `x is None`, `isinstance(x, T)`, `not`, `and`, `or` over local Optional names. */
  private refinementsOf(e: Expr): Refinements {
    const r = noRefinements();
    if (e.k === 'Compare' && e.ops.length === 1 && (e.ops[0] === 'is' || e.ops[0] === 'is not')) {
      let nameExpr: Expr | undefined;
      if (e.comparators[0]!.k === 'None') nameExpr = e.left;
      else if (e.left.k === 'None') nameExpr = e.comparators[0];
      if (nameExpr?.k === 'Name') {
        const sv = this.frame.lookup(nameExpr.id);
        if (sv?.k === 'value' && sv.v.type.kind === 'Optional') {
          const inner = sv.v.type.elem;
          if (e.ops[0] === 'is not') r.whenTrue.set(nameExpr.id, inner);
          else r.whenFalse.set(nameExpr.id, inner);
        }
      }
    } else if (e.k === 'Call' && e.func.k === 'Name' && e.func.id === 'isinstance' && e.args.length === 2 && e.args[0]!.k === 'Name') {
      const id = e.args[0]!.id;
      const sv = this.frame.lookup(id);
      if (sv?.k === 'value' && (sv.v.type.kind === 'Optional' || sv.v.type.kind === 'Union' || sv.v.type.kind === 'Any')) {
        const types = this.isinstanceTypes(e.args[1]!);
        if (types.length === 1) r.whenTrue.set(id, types[0]!);
        if (sv.v.type.kind === 'Optional' && types.length === 1 && typesEqual(types[0]!, sv.v.type.elem)) r.whenFalse.set(id, NoneType);
      }
    } else if (e.k === 'UnaryOp' && e.op === 'not') {
      const inner = this.refinementsOf(e.operand);
      return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
    } else if (e.k === 'BoolOp') {
      const a = this.refinementsOf(e.left), b = this.refinementsOf(e.right);
      if (e.op === 'and') return { whenTrue: new Map([...a.whenTrue, ...b.whenTrue]), whenFalse: intersect(a.whenFalse, b.whenFalse) };
      return { whenTrue: intersect(a.whenTrue, b.whenTrue), whenFalse: new Map([...a.whenFalse, ...b.whenFalse]) };
    }
    return r;
  }

  /** Pushes a refinement frame binding narrowed names to `prim::unchecked_cast` values. */
  private applyRefinements(refs: Map<string, IRType>): void {
    if (!refs.size) return;
    const f = new Frame(this.frame, true);
    this.frame = f;
    for (const [name, t] of refs) {
      const sv = f.parent!.lookup(name);
      if (sv?.k !== 'value') continue;
      if (t.kind === 'NoneType') {
        f.vars.set(name, { k: 'value', v: this.none() });
        continue;
      }
      const c = this.insert(prim.uncheckedCast, [sv.v], [t]);
      f.vars.set(name, { k: 'value', v: c.output() });
    }
  }

  /**
   * Emits both branches into a prim::If and merges the variables they assign: a name assigned
   * in both (or assigned in one and visible before) becomes an output of the If.
   */
  private emitIf(test: Expr, body: readonly Stmt[], orelse: readonly Stmt[]): boolean {
    const cond = this.emitCondition(test);
    const cv = cond.v.constantValue();
    if (cv && typeof cv.value === 'boolean' && isFoldable(test)) {
      // statically known condition (`x is None` on a non-Optional, isinstance, hasattr): emit one branch
      const saved = this.frame;
      this.applyRefinements(cv.value ? cond.ref.whenTrue : cond.ref.whenFalse);
      const refFrame = this.frame;
      this.frame = new Frame(refFrame);
      const exits = this.emitStmts(cv.value ? body : orelse);
      const inner = this.frame;
      this.frame = saved;
      for (const [k, v] of inner.vars) this.frame.vars.set(k, v);
      return exits;
    }
    const node = this.insert(prim.If, [cond.v], []);
    const outer = this.frame;
    const branch = (stmts: readonly Stmt[], refs: Map<string, IRType>): { frame: Frame; exits: boolean; block: Block } => {
      const block = node.addBlock();
      return this.graph.withInsertPoint(block, () => {
        this.frame = outer;
        this.applyRefinements(refs);
        this.frame = new Frame(this.frame);
        const exits = this.emitStmts(stmts);
        const frame = this.frame;
        this.frame = outer;
        return { frame, exits, block };
      });
    };
    const t = branch(body, cond.ref.whenTrue);
    const f = branch(orelse, cond.ref.whenFalse);
    this.curPos = test.pos;
    this.mergeBranches(node, t, f);
    // `if x is None: raise ...`: after the if, the surviving branch's narrowing holds
    if (t.exits && !f.exits) this.applyRefinementsInPlace(without(cond.ref.whenFalse, this.frame));
    else if (f.exits && !t.exits) this.applyRefinementsInPlace(without(cond.ref.whenTrue, this.frame));
    return t.exits && f.exits;
  }

  private mergeBranches(node: Node, t: { frame: Frame; exits: boolean; block: Block }, f: { frame: Frame; exits: boolean; block: Block }): void {
    const outer = this.frame;
    const names = new Set<string>([...t.frame.vars.keys(), ...f.frame.vars.keys()]);
    for (const name of names) {
      const tv = t.frame.lookup(name), fv = f.frame.lookup(name);
      const outerV = outer.lookup(name);
      if (tv?.k !== 'value' || fv?.k !== 'value') {
        if (t.exits && f.exits) continue;
        if ((tv && tv.k !== 'value') || (fv && fv.k !== 'value')) {
          // non-value bindings (functions, closures): keep the surviving one, or one both agree on
          const keep = t.exits ? fv : f.exits ? tv : tv === fv ? tv : undefined;
          if (keep) outer.vars.set(name, keep);
          continue;
        }
        // defined on one side only: visible after the if only when the other branch always raises
        const live = t.exits ? fv : f.exits ? tv : undefined;
        if (live?.k === 'value') this.addIfOutput(node, name, t.exits ? undefined : live.v, t.exits ? live.v : undefined, live.v.type, t, f, outer);
        continue;
      }
      if (tv.v === fv.v) {
        if (outerV?.k !== 'value' || outerV.v !== tv.v) outer.vars.set(name, tv);
        continue;
      }
      let type: IRType | undefined = this.declared.get(name);
      if (!type) {
        if (t.exits) type = fv.v.type;
        else if (f.exits) type = tv.v.type;
        else type = unifyTypes(tv.v.type, fv.v.type);
      }
      if (!type) {
        if (outerV) {
          throw this.err(`variable '${name}' has type ${typeToPython(tv.v.type)} in the true branch and type ${typeToPython(fv.v.type)} in the false branch`);
        }
        continue; // differently typed branch-locals: not usable after the if
      }
      this.addIfOutput(node, name, tv.v, fv.v, type, t, f, outer);
    }
  }

  private addIfOutput(node: Node, name: string, tv: Value | undefined, fv: Value | undefined, type: IRType, t: { block: Block; exits: boolean }, f: { block: Block; exits: boolean }, outer: Frame): void {
    const ret = (block: Block, v: Value | undefined, exits: boolean): void => {
      this.graph.withInsertPoint(block, () => {
        const r = !v || exits ? this.insert(prim.Uninitialized, [], [type]).output() : this.coerce(v, type, `'${name}'`);
        block.registerReturn(r);
      });
    };
    ret(t.block, tv, t.exits);
    ret(f.block, fv, f.exits);
    const out = node.addOutput(type, name.startsWith('$') ? undefined : name);
    outer.vars.set(name, { k: 'value', v: out });
  }

  /** Names assigned anywhere in a statement list (not inside nested function definitions). */
  private assignedNames(stmts: readonly Stmt[], out = new Set<string>()): Set<string> {
    const addTarget = (t: Expr): void => {
      if (t.k === 'Name') out.add(t.id);
      else if (t.k === 'Tuple' || t.k === 'List') t.elts.forEach(addTarget);
      else if (t.k === 'Starred') addTarget(t.value);
    };
    for (const s of stmts) {
      switch (s.k) {
        case 'Assign': s.targets.forEach(addTarget); break;
        case 'AnnAssign': case 'AugAssign': addTarget(s.target); break;
        case 'If': this.assignedNames(s.body, out); this.assignedNames(s.orelse, out); break;
        case 'For': addTarget(s.target); this.assignedNames(s.body, out); break;
        case 'While': this.assignedNames(s.body, out); break;
        case 'With': for (const it of s.items) if (it.target) addTarget(it.target); this.assignedNames(s.body, out); break;
        case 'FunctionDef': out.add(s.name); break;
        default: break;
      }
    }
    return out;
  }

  /**
   * prim::Loop(max_trip_count, initial_cond, carried...) with a body block (i, carried...) ->
   * (cond, carried...). `emitIteration` emits the per-iteration prologue (target binding) and
   * `emitCond` the continue condition at the end of the body.
   */
  private emitLoop(
    maxTrip: Value,
    initCond: Value,
    body: readonly Stmt[],
    extraAssigned: readonly string[],
    emitIteration: (i: Value) => void,
    emitCond: () => Value,
  ): void {
    const assigned = this.assignedNames(body);
    for (const n of extraAssigned) assigned.add(n);
    const carried: { name: string; outer: Value; type: IRType }[] = [];
    for (const name of assigned) {
      const sv = this.frame.lookup(name);
      if (sv?.k === 'value') carried.push({ name, outer: sv.v, type: this.varType(name, sv.v) });
    }
    const node = this.insert(prim.Loop, [maxTrip, initCond, ...carried.map((c) => this.coerce(c.outer, c.type, `'${c.name}'`))], []);
    const block = node.addBlock();
    const outer = this.frame;
    this.graph.withInsertPoint(block, () => {
      const i = block.addParam(IntType, 'i');
      this.frame = new Frame(outer);
      for (const c of carried) this.frame.vars.set(c.name, { k: 'value', v: block.addParam(c.type, c.name.startsWith('$') ? undefined : c.name) });
      emitIteration(i);
      const exits = this.emitStmts(body);
      const cond = exits ? this.constant(false) : emitCond();
      block.registerReturn(cond);
      for (const c of carried) {
        const sv = this.frame.lookup(c.name);
        if (sv?.k !== 'value') throw this.err(`loop-carried variable '${c.name}' is not a value at the end of the loop body`);
        if (!isSubtype(sv.v.type, c.type)) {
          throw this.err(`variable '${c.name}' has type ${typeToPython(c.type)} before the loop but is assigned a ${typeToPython(sv.v.type)} inside it (annotate it to widen its type)`);
        }
        block.registerReturn(exits ? this.insert(prim.Uninitialized, [], [c.type]).output() : this.coerce(sv.v, c.type, `'${c.name}'`));
      }
      this.frame = outer;
    });
    for (const c of carried) outer.vars.set(c.name, { k: 'value', v: node.addOutput(c.type, c.name.startsWith('$') ? undefined : c.name) });
  }

  private loopCond(s: Stmt, extra?: () => Value): Value {
    const info = loopInfo.get(s);
    if (!info) return extra ? extra() : this.constant(true);
    const brk = this.frame.lookup(info.breakFlag);
    const notBrk = brk?.k === 'value' ? this.callOp('aten::__not__', [brk.v], new Map(), s.pos) : this.constant(true);
    if (!extra) return notBrk;
    // (not brk) and test, short-circuit
    const n = this.insert(prim.If, [notBrk], []);
    const tb = n.addBlock(), fb = n.addBlock();
    this.graph.withInsertPoint(tb, () => tb.registerReturn(extra()));
    this.graph.withInsertPoint(fb, () => fb.registerReturn(this.constant(false)));
    return n.addOutput(BoolType);
  }

  private emitWhile(s: Stmt & { k: 'While' }): void {
    const init = this.emitCondition(s.test).v;
    this.emitLoop(this.constant(INT64_MAX, IntType), init, s.body, [], () => undefined, () => this.loopCond(s, () => this.emitCondition(s.test).v));
  }

  private emitFor(s: Stmt & { k: 'For' }): void {
    const pos = s.pos;
    const iter = this.emitIterable(s.iter);
    const targetNames = [...this.assignedNames([{ k: 'Assign', pos, targets: [s.target], value: s.target }])];
    // compile-time unrolling: module containers and tuples
    const unrolled = this.unrolledItems(iter, pos);
    if (unrolled) {
      const info = loopInfo.get(s);
      if (!info) {
        for (const item of unrolled) {
          this.assignTo(s.target, item);
          this.emitStmts(s.body);
        }
        return;
      }
      // with break: each unrolled iteration runs only if no earlier one broke out
      const brkInit = s.body[0];
      const body = brkInit?.k === 'Assign' && brkInit.targets[0]?.k === 'Name' && brkInit.targets[0].id === info.breakFlag ? s.body.slice(1) : s.body;
      this.setVar(info.breakFlag, { k: 'value', v: this.constant(false, BoolType) });
      unrolled.forEach((item, i) => {
        this.assignTo(s.target, item);
        if (i === 0) this.emitStmts(body);
        else this.emitIf({ k: 'UnaryOp', pos, op: 'not', operand: { k: 'Name', pos, id: info.breakFlag } }, body, []);
      });
      return;
    }
    const { trip, element } = this.iterationPlan(iter, pos);
    this.emitLoop(trip, this.constant(true), s.body, targetNames, (i) => this.assignTo(s.target, element(i)), () => this.loopCond(s));
  }

  /** Evaluates the `in` part of a for loop, keeping range/enumerate/zip/items sugared. */
  private emitIterable(e: Expr): SV {
    if (e.k === 'Call' && e.func.k === 'Name' && ['range', 'enumerate', 'zip', 'reversed'].includes(e.func.id) && !this.frame.lookup(e.func.id)) {
      const args = e.args.map((a) => this.emitIterable(a));
      const start = e.kwargs.find((k) => k.name === 'start');
      const sv: SV = { k: 'iter', kind: e.func.id as 'range', args };
      if (start) sv.start = { k: 'value', v: this.emitExpr(start.value) };
      return sv;
    }
    return this.emitSugared(e);
  }

  /** Items of a compile-time iterable (module containers, tuples), or undefined. */
  private unrolledItems(iter: SV, pos: Pos): SV[] | undefined {
    if (iter.k === 'moduleItems') {
      const t = iter.container.type as ClassType;
      return t.attributes.map((a) => {
        const key = this.constant(a.name, StrType);
        const val = this.getAttr(iter.container, a.name, pos);
        if (iter.mode === 'keys') return { k: 'value', v: key } as SV;
        if (iter.mode === 'values') return { k: 'value', v: val } as SV;
        return { k: 'value', v: this.tupleConstruct([key, val]) } as SV;
      });
    }
    if (iter.k === 'value') {
      const t = iter.v.type;
      if (t instanceof ClassType && t.isModule) {
        // ModuleList / Sequential: iterate the submodules in slot order
        const subs = t.attributes.filter((a) => a.type instanceof ClassType && a.type.isModule);
        return subs.map((a) => ({ k: 'value', v: this.getAttr(iter.v, a.name, pos) }) as SV);
      }
      if (t.kind === 'Tuple') return t.elems.map((_, i) => ({ k: 'value', v: this.tupleIndex(iter.v, i) }) as SV);
      return undefined;
    }
    if (iter.k === 'iter' && (iter.kind === 'enumerate' || iter.kind === 'zip')) {
      const parts = iter.args.map((a) => this.unrolledItems(a, pos));
      if (!parts.some((p) => p !== undefined)) return undefined;
      if (iter.kind === 'enumerate') {
        const items = parts[0];
        if (!items) return undefined;
        const start = iter.start?.k === 'value' ? iter.start.v.constantValue()?.value : 0;
        if (typeof start !== 'number') throw this.err('enumerate over a module container needs a constant start', pos);
        return items.map((it, i) => ({ k: 'value', v: this.tupleConstruct([this.constant(start + i, IntType), this.asValue(it, pos)]) }) as SV);
      }
      const n = Math.min(...parts.filter((p): p is SV[] => p !== undefined).map((p) => p.length));
      const cols = iter.args.map((a, j) => parts[j] ?? Array.from({ length: n }, (_, i) => this.elementAt(a, this.constant(i, IntType), pos)));
      return Array.from({ length: n }, (_, i) => ({ k: 'value', v: this.tupleConstruct(cols.map((c) => this.asValue(c[i]!, pos))) }) as SV);
    }
    return undefined;
  }

  /** Trip count and per-iteration element of a runtime iterable. */
  private iterationPlan(iter: SV, pos: Pos): { trip: Value; element: (i: Value) => SV } {
    if (iter.k === 'iter') {
      switch (iter.kind) {
        case 'range': {
          const args = iter.args.map((a) => this.asValue(a, pos));
          if (args.length < 1 || args.length > 3) throw this.err('range() takes 1 to 3 arguments', pos);
          for (const a of args) if (a.type.kind !== 'int') throw this.err(`range() arguments must be int, not ${typeToPython(a.type)}`, pos);
          if (args.length === 1) return { trip: args[0]!, element: (i) => ({ k: 'value', v: i }) };
          const [lo, hi] = args as [Value, Value];
          const step = args[2] ?? this.constant(1, IntType);
          const trip = this.callOp('aten::__range_length', [lo, hi, step], new Map(), pos);
          return { trip, element: (i) => ({ k: 'value', v: this.callOp('aten::__derive_index', [i, lo, step], new Map(), pos) }) };
        }
        case 'enumerate': {
          const inner = this.iterationPlan(iter.args[0]!, pos);
          const start = iter.start?.k === 'value' ? iter.start.v : undefined;
          return {
            trip: inner.trip,
            element: (i) => {
              const idx = start ? this.callOp('aten::add', [i, start], new Map(), pos) : i;
              return { k: 'value', v: this.tupleConstruct([idx, this.asValue(inner.element(i), pos)]) };
            },
          };
        }
        case 'zip': {
          const plans = iter.args.map((a) => this.iterationPlan(a, pos));
          let trip = plans[0]!.trip;
          for (const p of plans.slice(1)) trip = this.callOp('prim::min', [trip, p.trip], new Map(), pos);
          return { trip, element: (i) => ({ k: 'value', v: this.tupleConstruct(plans.map((p) => this.asValue(p.element(i), pos))) }) };
        }
        case 'reversed': {
          const inner = this.iterationPlan(iter.args[0]!, pos);
          return {
            trip: inner.trip,
            element: (i) => {
              const last = this.callOp('aten::sub', [inner.trip, this.constant(1, IntType)], new Map(), pos);
              return inner.element(this.callOp('aten::sub', [last, i], new Map(), pos));
            },
          };
        }
      }
    }
    const v = this.asValue(iter, pos);
    const t = v.type;
    if (t.kind === 'List' || t.kind === 'str' || t.kind === 'Tensor') {
      const trip = this.callOp('aten::len', [v], new Map(), pos);
      return { trip, element: (i) => ({ k: 'value', v: t.kind === 'Tensor' ? this.callOp('aten::select', [v, this.constant(0, IntType), i], new Map(), pos) : this.getItem(v, i, pos) }) };
    }
    if (t.kind === 'Dict') {
      const keys = this.callOp('aten::keys', [v], new Map(), pos);
      return this.iterationPlan({ k: 'value', v: keys }, pos);
    }
    throw this.err(`'${typeToPython(t)}' object is not iterable`, pos);
  }

  private elementAt(iter: SV, i: Value, pos: Pos): SV {
    return this.iterationPlan(iter, pos).element(i);
  }

  private emitWith(s: Stmt & { k: 'With' }): boolean {
    const entered: Value[] = [];
    for (const it of s.items) {
      const sv = this.emitSugared(it.expr);
      if (sv.k === 'noGrad') {
        if (it.target) throw this.err('`with torch.no_grad() as x` is not supported', s.pos);
        continue;
      }
      const ctx = this.asValue(sv, it.expr.pos);
      if (!(ctx.type instanceof ClassType)) throw this.err(`a ${typeToPython(ctx.type)} cannot be used as a context manager`, it.expr.pos);
      const enterSig = this.unit.methodSig(ctx.type, '__enter__');
      if (!enterSig || !this.unit.methodSig(ctx.type, '__exit__')) throw this.err(`'${ctx.type.name}' has no __enter__/__exit__ methods`, it.expr.pos);
      const r = this.insert(prim.Enter, [ctx], [enterSig.returnType]).output();
      entered.push(ctx);
      if (it.target) this.assignTo(it.target, { k: 'value', v: r });
    }
    const exits = this.emitStmts(s.body);
    for (const ctx of entered.reverse()) this.insert(prim.Exit, [ctx], []);
    return exits;
  }

  private emitRaise(exc: Expr | null): void {
    let msg: Value;
    let cls = 'builtins.Exception';
    if (!exc) msg = this.constant('', StrType);
    else if (exc.k === 'Call' && (exc.func.k === 'Name' || exc.func.k === 'Attr')) {
      const n = dottedName(exc.func) ?? 'Exception';
      cls = n.includes('.') ? n : `builtins.${n}`;
      msg = exc.args.length ? this.toStr(this.emitExpr(exc.args[0]!), exc.pos) : this.constant('', StrType);
    } else if (exc.k === 'Name') {
      cls = `builtins.${exc.id}`;
      msg = this.constant('', StrType);
    } else msg = this.toStr(this.emitExpr(exc), exc.pos);
    this.insert(prim.RaiseException, [msg, this.constant(cls, StrType)], []);
  }

  private emitAssert(test: Expr, msgExpr: Expr | null): void {
    const cond = this.emitCondition(test);
    const node = this.insert(prim.If, [cond.v], []);
    node.addBlock();
    const fb = node.addBlock();
    this.graph.withInsertPoint(fb, () => {
      let msg: Value;
      if (!msgExpr) msg = this.constant('AssertionError: ', StrType);
      else if (msgExpr.k === 'Str') msg = this.constant(`AssertionError: ${msgExpr.value}`, StrType);
      else msg = this.callOp('aten::add', [this.constant('AssertionError: ', StrType), this.toStr(this.emitExpr(msgExpr), msgExpr.pos)], new Map(), msgExpr.pos);
      this.insert(prim.RaiseException, [msg, this.constant('builtins.AssertionError', StrType)], []);
    });
    // after the assert the condition holds
    this.applyRefinementsInPlace(cond.ref.whenTrue);
  }

  private applyRefinementsInPlace(refs: Map<string, IRType>): void {
    for (const [name, t] of refs) {
      const sv = this.frame.lookup(name);
      if (sv?.k !== 'value' || t.kind === 'NoneType') continue;
      const c = this.insert(prim.uncheckedCast, [sv.v], [t]);
      this.frame.vars.set(name, { k: 'value', v: c.output() });
    }
  }

  // ------------------------------------------------------------------ expressions

  emitExpr(e: Expr): Value {
    return this.asValue(this.emitSugared(e), e.pos);
  }

  /** Emits `e` with an expected type (empty list/dict displays and None take it). */
  emitExprWithHint(e: Expr, hint: IRType): Value {
    const h = hint.kind === 'Optional' ? hint.elem : hint;
    if (e.k === 'List' && h.kind === 'List') return this.emitListDisplay(e, h.elem);
    if (e.k === 'Dict' && h.kind === 'Dict') return this.emitDictDisplay(e, h);
    if (e.k === 'Tuple' && h.kind === 'Tuple' && h.elems.length === e.elts.length) {
      return this.tupleConstruct(e.elts.map((x, i) => this.emitExprWithHint(x, h.elems[i]!)));
    }
    if (e.k === 'None') return this.none();
    if (e.k === 'ListComp' && h.kind === 'List') return this.emitListComp(e, h.elem);
    return this.emitExpr(e);
  }

  private asValue(sv: SV, pos: Pos): Value {
    switch (sv.k) {
      case 'value': return sv.v;
      case 'future': return sv.v;
      case 'function': {
        // a first-class function value (only ever called)
        throw this.err(`function ${sv.qname} used as a value (only calls are supported)`, pos);
      }
      case 'iter':
        if (sv.kind === 'range') {
          // list(range(...)) style uses: materialize
          const plan = this.iterationPlan(sv, pos);
          const l = this.insert(prim.ListConstruct, [], [ListOf(IntType)]).output();
          this.emitLoopRaw(plan.trip, (i) => {
            this.callOp('aten::append', [l, this.asValue(plan.element(i), pos)], new Map(), pos);
          });
          return l;
        }
        throw this.err(`${sv.kind}() can only be used in a for loop`, pos);
      default:
        throw this.err(`${describeSV(sv)} cannot be used as a value`, pos);
    }
  }

  /** A loop without carried values (for materializing iterables and comprehensions). */
  private emitLoopRaw(trip: Value, body: (i: Value) => void): void {
    const node = this.insert(prim.Loop, [trip, this.constant(true)], []);
    const block = node.addBlock();
    this.graph.withInsertPoint(block, () => {
      const i = block.addParam(IntType, 'i');
      const saved = this.frame;
      this.frame = new Frame(saved);
      body(i);
      this.frame = saved;
      block.registerReturn(this.constant(true));
    });
  }

  emitSugared(e: Expr): SV {
    this.curPos = e.pos;
    switch (e.k) {
      case 'Int':
        return { k: 'value', v: this.constant(e.value, IntType) };
      case 'Float':
        return { k: 'value', v: this.constant(e.value, FloatType) };
      case 'Imag':
        throw this.err('complex numbers are not supported by torchlet', e.pos);
      case 'Str':
        return { k: 'value', v: this.constant(e.value, StrType) };
      case 'Bool':
        return { k: 'value', v: this.constant(e.value, BoolType) };
      case 'None':
        return { k: 'value', v: this.none() };
      case 'Ellipsis':
        throw this.err('... is only supported in tensor indexing', e.pos);
      case 'Name':
        return this.emitName(e.id, e.pos);
      case 'Attr':
        return this.emitAttr(e);
      case 'Call':
        return this.emitCall(e);
      case 'Subscript':
        return { k: 'value', v: this.emitSubscript(e) };
      case 'Slice':
        throw this.err('slices are only allowed inside []', e.pos);
      case 'Tuple':
        return { k: 'value', v: this.tupleConstruct(e.elts.map((x) => this.emitExpr(x))) };
      case 'List':
        return { k: 'value', v: this.emitListDisplay(e, undefined) };
      case 'Dict':
        return { k: 'value', v: this.emitDictDisplay(e, undefined) };
      case 'BinOp':
        return { k: 'value', v: this.binop(e.op, this.emitExpr(e.left), this.emitExpr(e.right), e.pos) };
      case 'UnaryOp':
        return { k: 'value', v: this.emitUnary(e) };
      case 'BoolOp':
        return { k: 'value', v: this.emitBoolOp(e) };
      case 'Compare':
        return { k: 'value', v: this.emitCompare(e) };
      case 'IfExp':
        return { k: 'value', v: this.emitIfExp(e) };
      case 'ListComp':
        return { k: 'value', v: this.emitListComp(e, undefined) };
      case 'DictComp':
        return { k: 'value', v: this.emitDictComp(e) };
      case 'Starred':
        throw this.err('starred expressions are not supported', e.pos);
    }
  }

  private emitName(id: string, pos: Pos): SV {
    const local = this.lookupVar(id, pos);
    if (local) return local;
    switch (id) {
      case 'torch': return { k: 'ns', path: 'torch' };
      case 'ops': return { k: 'ns', path: 'ops' };
      case 'math': return { k: 'ns', path: 'math' };
      case '__torch__': return { k: 'ns', path: '__torch__' };
      case 'CONSTANTS': return { k: 'constants' };
      case 'inf': return { k: 'value', v: this.constant(Infinity, FloatType) };
      case 'nan': return { k: 'value', v: this.constant(NaN, FloatType) };
      case 'self':
        break;
      default:
        if (BUILTINS.has(id)) return { k: 'builtin', name: id };
        if (TYPE_NAMES[id]) return { k: 'type', type: TYPE_NAMES[id]! };
        if (['Optional', 'List', 'Dict', 'Tuple', 'Union', 'Any'].includes(id)) return { k: 'type', type: AnyType };
    }
    // hand-written source: classes and functions of the same file by their short name
    if (this.sig.prefix) {
      const r = this.unit.resolve(`${this.sig.prefix}.${id}`);
      if (r?.kind === 'class') return { k: 'class', info: r.info };
      if (r?.kind === 'function') return { k: 'function', qname: `${this.sig.prefix}.${id}` };
    }
    throw this.err(`undefined value '${id}'`, pos);
  }

  private emitAttr(e: Expr & { k: 'Attr' }): SV {
    const base = this.emitSugared(e.value);
    const name = e.attr;
    switch (base.k) {
      case 'ns':
        return this.nsMember(base.path, name, e.pos);
      case 'constants': {
        const m = /^c(\d+)$/.exec(name);
        if (!m || Number(m[1]) >= this.unit.constants.length) throw this.err(`CONSTANTS.${name} does not exist (the archive has ${this.unit.constants.length} constants)`, e.pos);
        const value = this.unit.constants[Number(m[1])];
        return { k: 'value', v: this.constant(value, inferValueType(value)) };
      }
      case 'class':
        if (base.info.kind === 'enum') throw this.err('enums are not supported', e.pos);
        return { k: 'classMember', info: base.info, name };
      case 'value':
        return this.valueAttr(base.v, name, e.pos);
      case 'moduleItems':
        break;
      default:
        break;
    }
    throw this.err(`${describeSV(base)} has no attribute '${name}'`, e.pos);
  }

  private nsMember(path: string, name: string, pos: Pos): SV {
    const full = `${path}.${name}`;
    if (path === '__torch__' || path.startsWith('__torch__.')) {
      const r = this.unit.resolve(full);
      if (r?.kind === 'class') return { k: 'class', info: r.info };
      if (r?.kind === 'function') return { k: 'function', qname: full };
      return { k: 'ns', path: full };
    }
    if (path === 'ops') return { k: 'ns', path: full };
    if (path.startsWith('ops.')) return { k: 'op', qname: `${path.slice(4)}::${name}` };
    if (path === 'math') {
      if (name === 'pi') return { k: 'value', v: this.constant(Math.PI, FloatType) };
      if (name === 'e') return { k: 'value', v: this.constant(Math.E, FloatType) };
      if (name === 'inf') return { k: 'value', v: this.constant(Infinity, FloatType) };
      if (name === 'nan') return { k: 'value', v: this.constant(NaN, FloatType) };
      return { k: 'op', qname: `aten::${name}` };
    }
    if (path === 'torch') {
      switch (name) {
        case 'nn': case '_C': case 'jit': case 'autograd': case 'functional': case 'testing': case 'cuda': case 'backends':
          return { k: 'ns', path: full };
        case 'no_grad': case 'enable_grad':
          return { k: 'builtin', name: `torch.${name}` };
        case 'Tensor': return { k: 'type', type: TensorType };
        case 'device': return { k: 'op', qname: 'aten::device' };
        case 'float32': case 'float': return { k: 'value', v: this.constant(6, IntType) };
        case 'float64': case 'double': return { k: 'value', v: this.constant(7, IntType) };
        case 'float16': case 'half': return { k: 'value', v: this.constant(5, IntType) };
        case 'int64': case 'long': return { k: 'value', v: this.constant(4, IntType) };
        case 'int32': case 'int': return { k: 'value', v: this.constant(3, IntType) };
        case 'int16': case 'short': return { k: 'value', v: this.constant(2, IntType) };
        case 'int8': return { k: 'value', v: this.constant(1, IntType) };
        case 'uint8': return { k: 'value', v: this.constant(0, IntType) };
        case 'bool': return { k: 'value', v: this.constant(11, IntType) };
        case 'strided': return { k: 'value', v: this.constant(0, IntType) };
        case 'contiguous_format': return { k: 'value', v: this.constant(0, IntType) };
        case 'preserve_format': return { k: 'value', v: this.constant(1, IntType) };
        case 'channels_last': return { k: 'value', v: this.constant(2, IntType) };
      }
      return { k: 'op', qname: `aten::${name}` };
    }
    if (path === 'torch.jit') {
      if (['annotate', 'fork', 'wait', 'isinstance'].includes(name)) return name === 'wait' ? { k: 'op', qname: 'aten::wait' } : { k: 'builtin', name };
      if (name === 'is_scripting') return { k: 'builtin', name: 'torch.jit.is_scripting' };
      if (name === '_unwrap_optional') return { k: 'builtin', name: 'unchecked_cast_opt' };
      return { k: 'ns', path: full };
    }
    if (path === 'torch.nn' && name === 'functional') return { k: 'ns', path: full };
    if (path === 'torch._C' && (name === '_nn' || name === '_VariableFunctions' || name === '_fft' || name === '_linalg' || name === '_special')) return { k: 'ns', path: full };
    if (path === 'torch.nn.functional' || path === 'torch._C._nn' || path === 'torch._C._VariableFunctions') return { k: 'op', qname: `aten::${name}` };
    if (path === 'torch.autograd' && name === 'grad_mode') return { k: 'ns', path: full };
    throw this.err(`unknown name ${full}`, pos);
  }

  private valueAttr(v: Value, name: string, pos: Pos): SV {
    const t = v.type;
    if (t instanceof ClassType) {
      if (t.findAttribute(name) >= 0 || t.constants.has(name)) return { k: 'value', v: this.getAttr(v, name, pos) };
      if (t.isInterface || this.unit.methodSig(t, name)) return { k: 'method', self: v, name };
      if (t.isModule && (name === 'items' || name === 'keys' || name === 'values')) return { k: 'method', self: v, name };
      throw this.err(`'${t.name}' object has no attribute or method '${name}'`, pos);
    }
    if (t.kind === 'Tuple' && t.name && t.fields) {
      const i = t.fields.indexOf(name);
      if (i >= 0) return { k: 'value', v: this.tupleIndex(v, i) };
    }
    if (t.kind === 'Tensor') {
      switch (name) {
        case 'shape': return { k: 'value', v: this.callOp('aten::size', [v], new Map(), pos) };
        case 'dtype': return { k: 'value', v: this.callOp('prim::dtype', [v], new Map(), pos) };
        case 'device': return { k: 'value', v: this.callOp('prim::device', [v], new Map(), pos) };
        case 'is_cuda': case 'requires_grad': case 'is_nested': case 'is_sparse': case 'is_mkldnn': case 'is_quantized': case 'is_meta': case 'layout': case 'data': case 'grad':
          return { k: 'value', v: this.callOp(`prim::${name}`, [v], new Map(), pos) };
        case 'ndim': return { k: 'value', v: this.callOp('aten::dim', [v], new Map(), pos) };
        case 'T': return { k: 'value', v: this.callOp('aten::numpy_T', [v], new Map(), pos) };
        case 'mT': return { k: 'value', v: this.callOp('aten::mT', [v], new Map(), pos) };
        case 'real': case 'imag':
          throw this.err('complex tensors are not supported', pos);
      }
    }
    return { k: 'method', self: v, name };
  }

  /** prim::GetAttr (slot) or a Final class constant. */
  private getAttr(obj: Value, name: string, pos: Pos): Value {
    const t = obj.type;
    if (!(t instanceof ClassType)) throw this.err(`cannot read attribute '${name}' of a ${typeToPython(t)}`, pos);
    const c = t.constants.get(name);
    if (c && t.findAttribute(name) < 0) return this.constant(c.value, c.type);
    const at = t.attributeType(name);
    if (!at) throw this.err(`'${t.name}' object has no attribute '${name}'`, pos);
    return this.insert(prim.GetAttr, [obj], [at], undefined, { name }).output();
  }

  // ------------------------------------------------------------------ displays

  private emitListDisplay(e: Expr & { k: 'List' }, elemHint: IRType | undefined): Value {
    const items = e.elts.map((x) => (elemHint ? this.emitExprWithHint(x, elemHint) : this.emitExpr(x)));
    let elem = elemHint;
    if (!elem) {
      if (!items.length) elem = TensorType;
      else {
        elem = items[0]!.type;
        for (const it of items.slice(1)) {
          const u = unifyTypes(elem, it.type);
          if (!u) throw this.err(`list elements have different types: ${typeToPython(elem)} and ${typeToPython(it.type)}`, e.pos);
          elem = u;
        }
      }
    }
    const el = elem;
    const coerced = items.map((it) => this.coerce(it, el, 'list element'));
    const n = this.insert(prim.ListConstruct, coerced, [ListOf(el)]);
    literalInfo.set(n.output(), { kind: 'list', elemTypes: items.map((i) => i.type) });
    return n.output();
  }

  private emitDictDisplay(e: Expr & { k: 'Dict' }, hint: IRType | undefined): Value {
    const h = hint?.kind === 'Dict' ? hint : undefined;
    const keys = e.keys.map((k) => (h ? this.emitExprWithHint(k, h.key) : this.emitExpr(k)));
    const vals = e.values.map((v) => (h ? this.emitExprWithHint(v, h.value) : this.emitExpr(v)));
    let kt = h?.key, vt = h?.value;
    if (!kt) kt = keys.length ? keys.reduce<IRType>((a, b) => unifyTypes(a, b.type) ?? AnyType, keys[0]!.type) : StrType;
    if (!vt) vt = vals.length ? vals.reduce<IRType>((a, b) => unifyTypes(a, b.type) ?? AnyType, vals[0]!.type) : TensorType;
    if (vt.kind === 'Any' && vals.length) throw this.err('dict values have different types; annotate the dict', e.pos);
    const ins: Value[] = [];
    for (let i = 0; i < keys.length; i++) ins.push(this.coerce(keys[i]!, kt, 'dict key'), this.coerce(vals[i]!, vt, 'dict value'));
    const n = this.insert(prim.DictConstruct, ins, [DictOf(kt, vt)]);
    literalInfo.set(n.output(), { kind: 'dict', elemTypes: [] });
    return n.output();
  }

  private tupleConstruct(items: readonly Value[]): Value {
    return this.insert(prim.TupleConstruct, items, [TupleOf(items.map((i) => i.type))]).output();
  }

  private tupleIndex(t: Value, i: number): Value {
    const tt = t.type as TupleType;
    if (t.node.kind === prim.TupleConstruct && !t.node.isDestroyed) return t.node.inputs[i]!;
    return this.insert(prim.TupleIndex, [t, this.constant(i, IntType)], [tt.elems[i]!]).output();
  }

  private emitListComp(e: Expr & { k: 'ListComp' }, elemHint: IRType | undefined): Value {
    const list = this.insert(prim.ListConstruct, [], [ListOf(elemHint ?? AnyType)]).output();
    let elemType: IRType | undefined = elemHint;
    const iter = this.emitIterable(e.iter);
    const unrolled = this.unrolledItems(iter, e.pos);
    const bodyFor = (item: SV): void => {
      const saved = this.frame;
      this.frame = new Frame(saved);
      this.assignTo(e.target, item);
      const emitElt = (): void => {
        const v = elemHint ? this.emitExprWithHint(e.elt, elemHint) : this.emitExpr(e.elt);
        if (!elemType) elemType = v.type;
        else if (!isSubtype(v.type, elemType)) throw this.err(`list comprehension elements have different types: ${typeToPython(elemType)} and ${typeToPython(v.type)}`, e.pos);
        this.callOp('aten::append', [list, this.coerce(v, elemType, 'list element')], new Map(), e.pos);
      };
      if (e.conds.length) {
        let test: Expr = e.conds[0]!;
        for (const c of e.conds.slice(1)) test = { k: 'BoolOp', pos: c.pos, op: 'and', left: test, right: c };
        const cond = this.emitCondition(test);
        const n = this.insert(prim.If, [cond.v], []);
        const tb = n.addBlock();
        n.addBlock();
        this.graph.withInsertPoint(tb, () => {
          const f0 = this.frame;
          this.applyRefinements(cond.ref.whenTrue);
          emitElt();
          this.frame = f0;
        });
      } else emitElt();
      this.frame = saved;
    };
    if (unrolled) unrolled.forEach(bodyFor);
    else {
      const plan = this.iterationPlan(iter, e.pos);
      this.emitLoopRaw(plan.trip, (i) => bodyFor(plan.element(i)));
    }
    list.type = ListOf(elemType ?? TensorType);
    return list;
  }

  /** `{k: v for x in it if c}`: a list comprehension of (k, v) tuples turned into a dict (aten::dict). */
  private emitDictComp(e: Expr & { k: 'DictComp' }): Value {
    const pairs = this.emitListComp({ k: 'ListComp', pos: e.pos, elt: { k: 'Tuple', pos: e.pos, elts: [e.key, e.value] }, target: e.target, iter: e.iter, conds: e.conds }, undefined);
    return this.callOp('aten::dict', [pairs], new Map(), e.pos);
  }

  // ------------------------------------------------------------------ operators

  private binop(op: BinOpName, a: Value, b: Value, pos: Pos): Value {
    const names = BINOP_OPS[op];
    let lastErr: ScriptCompileError | undefined;
    for (const n of names) {
      try {
        return this.callOp(n, [a, b], new Map(), pos);
      } catch (err) {
        if (!(err instanceof ScriptCompileError)) throw err;
        lastErr = err;
      }
    }
    throw lastErr!;
  }

  private emitUnary(e: Expr & { k: 'UnaryOp' }): Value {
    const v = this.emitExpr(e.operand);
    switch (e.op) {
      case 'not': return this.callOp('aten::__not__', [this.toBool(v, e.pos)], new Map(), e.pos);
      case '-': return this.callOp('aten::neg', [v], new Map(), e.pos);
      case '+': return v;
      case '~': return v.type.kind === 'Tensor' ? this.callOp('aten::bitwise_not', [v], new Map(), e.pos) : this.callOp('aten::__invert__', [v], new Map(), e.pos);
    }
  }

  /** `a and b` / `a or b`: short-circuit through prim::If (with refinements of `a` applied to `b`). */
  private emitBoolOp(e: Expr & { k: 'BoolOp' }): Value {
    const left = this.emitCondition(e.left);
    const n = this.insert(prim.If, [left.v], []);
    const tb = n.addBlock(), fb = n.addBlock();
    const emitRight = (refs: Map<string, IRType>): Value => {
      const saved = this.frame;
      this.applyRefinements(refs);
      const r = this.toBool(this.emitExpr(e.right), e.right.pos);
      this.frame = saved;
      return r;
    };
    if (e.op === 'and') {
      this.graph.withInsertPoint(tb, () => tb.registerReturn(emitRight(left.ref.whenTrue)));
      this.graph.withInsertPoint(fb, () => fb.registerReturn(this.constant(false)));
    } else {
      this.graph.withInsertPoint(tb, () => tb.registerReturn(this.constant(true)));
      this.graph.withInsertPoint(fb, () => fb.registerReturn(emitRight(left.ref.whenFalse)));
    }
    return n.addOutput(BoolType);
  }

  private emitCompare(e: Expr & { k: 'Compare' }): Value {
    // chained comparisons: a < b < c == (a < b) and (b < c), b evaluated once
    let left = this.emitExpr(e.left);
    let result: Value | undefined;
    for (let i = 0; i < e.ops.length; i++) {
      const right = this.emitExpr(e.comparators[i]!);
      const r = this.compare(e.ops[i]!, left, right, e.pos);
      if (!result) result = r;
      else {
        const prev = result;
        const n = this.insert(prim.If, [this.toBool(prev, e.pos)], []);
        const tb = n.addBlock(), fb = n.addBlock();
        this.graph.withInsertPoint(tb, () => tb.registerReturn(this.toBool(r, e.pos)));
        this.graph.withInsertPoint(fb, () => fb.registerReturn(this.constant(false)));
        result = n.addOutput(BoolType);
      }
      left = right;
    }
    return result!;
  }

  private compare(op: CmpOpName, a: Value, b: Value, pos: Pos): Value {
    switch (op) {
      case 'is':
      case 'is not': {
        const folded = foldIs(a.type, b.type);
        if (folded !== undefined) return this.constant(op === 'is' ? folded : !folded, BoolType);
        return this.callOp(op === 'is' ? 'aten::__is__' : 'aten::__isnot__', [a, b], new Map(), pos);
      }
      case 'in':
      case 'not in': {
        const c = this.callOp('aten::__contains__', [b, a], new Map(), pos);
        return op === 'in' ? c : this.callOp('aten::__not__', [c], new Map(), pos);
      }
      default:
        return this.callOp(CMP_OPS[op]!, [a, b], new Map(), pos);
    }
  }

  private emitIfExp(e: Expr & { k: 'IfExp' }): Value {
    const cond = this.emitCondition(e.test);
    const cv = cond.v.constantValue();
    if (cv && typeof cv.value === 'boolean' && isFoldable(e.test)) {
      const saved = this.frame;
      this.applyRefinements(cv.value ? cond.ref.whenTrue : cond.ref.whenFalse);
      const v = this.emitExpr(cv.value ? e.body : e.orelse);
      this.frame = saved;
      return v;
    }
    const n = this.insert(prim.If, [cond.v], []);
    const tb = n.addBlock(), fb = n.addBlock();
    const branch = (b: Block, x: Expr, refs: Map<string, IRType>): Value =>
      this.graph.withInsertPoint(b, () => {
        const saved = this.frame;
        this.applyRefinements(refs);
        const v = this.emitExpr(x);
        this.frame = saved;
        return v;
      });
    const tv = branch(tb, e.body, cond.ref.whenTrue);
    const fv = branch(fb, e.orelse, cond.ref.whenFalse);
    const t = unifyTypes(tv.type, fv.type);
    if (!t) throw this.err(`the branches of a conditional expression have types ${typeToPython(tv.type)} and ${typeToPython(fv.type)}`, e.pos);
    this.graph.withInsertPoint(tb, () => tb.registerReturn(this.coerce(tv, t, 'conditional branch')));
    this.graph.withInsertPoint(fb, () => fb.registerReturn(this.coerce(fv, t, 'conditional branch')));
    return n.addOutput(t);
  }

  /** A condition: bool as is; Tensor/int/float/str/list through aten::Bool / len. */
  private toBool(v: Value, pos: Pos): Value {
    const t = v.type;
    if (t.kind === 'bool') return v;
    if (t.kind === 'Tensor' || t.kind === 'int' || t.kind === 'float') return this.callOp('aten::Bool', [v], new Map(), pos);
    if (t.kind === 'List' || t.kind === 'str' || t.kind === 'Dict') {
      const n = this.callOp('aten::len', [v], new Map(), pos);
      return this.callOp('aten::ne', [n, this.constant(0, IntType)], new Map(), pos);
    }
    if (t.kind === 'Optional' || t.kind === 'NoneType') return this.callOp('aten::__isnot__', [v, this.none()], new Map(), pos);
    if (t.kind === 'Any') return this.insert(prim.uncheckedCast, [v], [BoolType]).output();
    throw this.err(`a ${typeToPython(t)} cannot be used as a condition`, pos);
  }

  private toStr(v: Value, pos: Pos): Value {
    return v.type.kind === 'str' ? v : this.callOp('aten::str', [v], new Map(), pos);
  }

  // ------------------------------------------------------------------ subscripts

  private emitSubscript(e: Expr & { k: 'Subscript' }): Value {
    const base = this.emitSugared(e.value);
    if (base.k === 'type' || (base.k === 'builtin' && ['list', 'tuple', 'dict'].includes(base.name))) throw this.err('type expressions are only allowed in annotations', e.pos);
    const v = this.asValue(base, e.pos);
    const t = v.type;
    if (t.kind === 'Tensor') return this.emitTensorIndex(v, e.index, e.pos);
    if (t instanceof ClassType && t.isModule) {
      const idx = e.index;
      const key = idx.k === 'Int' ? String(idx.value < 0 ? moduleLen(t) + idx.value : idx.value) : idx.k === 'Str' ? idx.value : undefined;
      if (key === undefined) throw this.err('module containers can only be indexed with a constant', e.pos);
      return this.getAttr(v, key, e.pos);
    }
    if (t.kind === 'Tuple') {
      if (e.index.k === 'Slice') {
        const c = (x: Expr | null): number | undefined => (x ? (constEvalSafe(x) as number | undefined) : undefined);
        const n = t.elems.length;
        let beg = c(e.index.lower) ?? 0, end = c(e.index.upper) ?? n;
        if (e.index.step) throw this.err('tuple slices with a step are not supported', e.pos);
        if (beg < 0) beg += n;
        if (end < 0) end += n;
        beg = Math.max(0, Math.min(n, beg));
        end = Math.max(beg, Math.min(n, end));
        return this.insert(prim.TupleSlice, [v], [TupleOf(t.elems.slice(beg, end))], undefined, { beg, end }).output();
      }
      const ci = constEvalSafe(e.index);
      if (typeof ci === 'number') {
        const i = ci < 0 ? ci + t.elems.length : ci;
        if (i < 0 || i >= t.elems.length) throw this.err(`tuple index ${ci} out of range (${t.elems.length} elements)`, e.pos);
        return this.tupleIndex(v, i);
      }
      const iv = this.emitExpr(e.index);
      const et = t.elems.reduce<IRType | undefined>((a, b) => (a ? unifyTypes(a, b) : undefined), t.elems[0]);
      if (!et) throw this.err('a tuple of mixed types can only be indexed with a constant', e.pos);
      return this.insert(prim.TupleIndex, [v, iv], [et]).output();
    }
    if (e.index.k === 'Slice') {
      const sl = e.index;
      const args = [v, sl.lower ? this.emitExpr(sl.lower) : this.none(), sl.upper ? this.emitExpr(sl.upper) : this.none(), sl.step ? this.emitExpr(sl.step) : this.constant(1, IntType)];
      return this.callOp('aten::slice', args, new Map(), e.pos);
    }
    return this.getItem(v, this.emitExpr(e.index), e.pos);
  }

  private getItem(container: Value, idx: Value, pos: Pos): Value {
    return this.callOp('aten::__getitem__', [container, idx], new Map(), pos);
  }

  private setItem(container: Value, idx: Value, v: Value, pos: Pos): void {
    this.callOp('aten::_set_item', [container, idx, v], new Map(), pos);
  }

  /**
   * Tensor indexing as TorchScript lowers it: ints select, slices slice, None unsqueezes, `...`
   * skips dimensions (later indices use negative dims), tensors (and int lists) gather with
   * aten::index.
   */
  private emitTensorIndex(self: Value, index: Expr, pos: Pos): Value {
    const r = this.tensorIndexParts(self, index, pos);
    if (!r.advanced.length) return r.view;
    const list: Value[] = [];
    const maxDim = Math.max(...r.advanced.map((a) => a.dim));
    for (let d = 0; d <= maxDim; d++) {
      const a = r.advanced.find((x) => x.dim === d);
      list.push(a ? a.t : this.none());
    }
    const l = this.insert(prim.ListConstruct, list.map((x) => (x.type.kind === 'NoneType' ? x : x)), [ListOf(OptionalOf(TensorType))]).output();
    return this.callOp('aten::index', [r.view, l], new Map(), pos);
  }

  private tensorIndexParts(self: Value, index: Expr, pos: Pos): { view: Value; advanced: { dim: number; t: Value }[] } {
    const items = index.k === 'Tuple' ? index.elts : [index];
    if (items.filter((x) => x.k === 'Ellipsis').length > 1) throw this.err('an index can only have a single ellipsis', pos);
    const consumes = (x: Expr): boolean => x.k !== 'None' && x.k !== 'Ellipsis';
    let v = self;
    let dim = 0;
    let afterEllipsis = false;
    const advanced: { dim: number; t: Value }[] = [];
    const c = (n: number): Value => this.constant(n, IntType);
    for (let k = 0; k < items.length; k++) {
      const x = items[k]!;
      if (x.k === 'Ellipsis') {
        afterEllipsis = true;
        continue;
      }
      // after `...`, dims are counted from the end: a consuming index addresses -(consuming indices from here on)
      const consumingAfter = items.slice(k + 1).filter(consumes).length;
      const d = afterEllipsis ? -(consumingAfter + 1) : dim;
      if (x.k === 'None') {
        v = this.callOp('aten::unsqueeze', [v, c(afterEllipsis ? -(consumingAfter + 1) : dim)], new Map(), x.pos);
        if (!afterEllipsis) dim++;
        continue;
      }
      if (x.k === 'Slice') {
        const start = x.lower ? this.emitExpr(x.lower) : this.none();
        const end = x.upper ? this.emitExpr(x.upper) : this.none();
        const step = x.step ? this.emitExpr(x.step) : c(1);
        v = this.callOp('aten::slice', [v, c(d), start, end, step], new Map(), x.pos);
        dim++;
        continue;
      }
      const iv = this.emitExpr(x);
      if (iv.type.kind === 'int') {
        v = this.callOp('aten::select', [v, c(d), iv], new Map(), x.pos);
        continue; // select removes the dim
      }
      if (iv.type.kind === 'Tensor' || iv.type.kind === 'List') {
        if (afterEllipsis) throw this.err('tensor indices after an ellipsis are not supported', x.pos);
        advanced.push({ dim: d, t: iv.type.kind === 'List' ? this.callOp('aten::tensor', [iv], new Map(), x.pos) : iv });
        dim++;
        continue;
      }
      if (iv.type.kind === 'NoneType') {
        v = this.callOp('aten::unsqueeze', [v, c(d)], new Map(), x.pos);
        dim++;
        continue;
      }
      throw this.err(`unsupported tensor index of type ${typeToPython(iv.type)}`, x.pos);
    }
    return { view: v, advanced };
  }

  private emitSubscriptAssign(container: Value, index: Expr, v: Value, pos: Pos): void {
    const t = container.type;
    if (t.kind === 'Tensor') {
      const r = this.tensorIndexParts(container, index, pos);
      if (!r.advanced.length) {
        if (v.type.kind === 'Tensor') this.callOp('aten::copy_', [r.view, v], new Map(), pos);
        else this.callOp('aten::fill_', [r.view, v], new Map(), pos);
        return;
      }
      const list: Value[] = [];
      const maxDim = Math.max(...r.advanced.map((a) => a.dim));
      for (let d = 0; d <= maxDim; d++) list.push(r.advanced.find((x) => x.dim === d)?.t ?? this.none());
      const l = this.insert(prim.ListConstruct, list, [ListOf(OptionalOf(TensorType))]).output();
      const vt = v.type.kind === 'Tensor' ? v : this.callOp('prim::NumToTensor', [v], new Map(), pos);
      this.callOp('aten::index_put_', [r.view, l, vt], new Map(), pos);
      return;
    }
    if (index.k === 'Slice') throw this.err('slice assignment is only supported on tensors', pos);
    this.setItem(container, this.emitExpr(index), v, pos);
  }

  // ------------------------------------------------------------------ calls

  private emitCall(e: Expr & { k: 'Call' }): SV {
    const pos = e.pos;
    // special forms whose first argument is a type
    if (e.func.k === 'Name' && !this.frame.lookup(e.func.id)) {
      const f = e.func.id;
      if (f === 'annotate' || f === 'unchecked_cast') {
        if (e.args.length !== 2) throw this.err(`${f}() takes a type and a value`, pos);
        const t = this.parseType(e.args[0]!);
        if (f === 'annotate') return { k: 'value', v: this.emitAnnotate(t, e.args[1]!) };
        const x = this.emitExpr(e.args[1]!);
        return { k: 'value', v: this.insert(prim.uncheckedCast, [x], [t]).output() };
      }
      if (f === 'uninitialized') {
        if (e.args.length !== 1) throw this.err('uninitialized() takes a type', pos);
        return { k: 'value', v: this.insert(prim.Uninitialized, [], [this.parseType(e.args[0]!)]).output() };
      }
      if (f === 'isinstance') {
        if (e.args.length !== 2) throw this.err('isinstance() takes 2 arguments', pos);
        return { k: 'value', v: this.emitIsinstance(this.emitExpr(e.args[0]!), this.isinstanceTypes(e.args[1]!)) };
      }
      if (f === 'getattr' || f === 'hasattr') {
        const obj = this.emitExpr(e.args[0]!);
        const nameE = e.args[1];
        if (nameE?.k !== 'Str') throw this.err(`${f}() needs a constant attribute name`, pos);
        if (f === 'hasattr') {
          const ok = obj.type instanceof ClassType && (obj.type.findAttribute(nameE.value) >= 0 || obj.type.constants.has(nameE.value) || !!this.unit.methodSig(obj.type, nameE.value));
          return { k: 'value', v: this.constant(ok, BoolType) };
        }
        if (e.args.length === 3) {
          if (obj.type instanceof ClassType && obj.type.findAttribute(nameE.value) < 0 && !obj.type.constants.has(nameE.value)) return { k: 'value', v: this.emitExpr(e.args[2]!) };
        }
        return this.valueAttr(obj, nameE.value, pos);
      }
    }
    const fn = this.emitSugared(e.func);
    return this.callSugared(fn, e.args, e.kwargs, pos);
  }

  private callSugared(fn: SV, argExprs: readonly Expr[], kwExprs: readonly Keyword[], pos: Pos): SV {
    const args = (): Value[] => argExprs.map((a) => this.emitExpr(a));
    const kwargs = (): Map<string, Value> => new Map(kwExprs.map((k) => [k.name, this.emitExpr(k.value)]));
    switch (fn.k) {
      case 'op': {
        if (fn.qname === 'prim::RaiseException') {
          const as = args();
          const msg = as[0] ?? this.constant('', StrType);
          const cls = as[1] ?? kwargs().get('cls') ?? this.constant('builtins.RuntimeError', StrType);
          this.insert(prim.RaiseException, [msg, cls], []);
          // the statement always raises: the rest of its block is dead
          const marker = this.none();
          raiseMarkers.add(marker);
          return { k: 'value', v: marker };
        }
        if (fn.qname === 'aten::wait' && argExprs.length === 1) {
          const f = this.emitSugared(argExprs[0]!);
          if (f.k === 'future') return { k: 'value', v: f.v };
        }
        if (fn.qname === 'aten::tolist') throw this.err('tolist() must be wrapped in annotate(List[...], ...)', pos);
        // hand-written list/tuple arguments for int[] params etc. are typed by the schema
        return { k: 'value', v: this.callOpExprs(fn.qname, argExprs, kwExprs, pos) };
      }
      case 'builtin':
        return this.callBuiltin(fn.name, argExprs, kwExprs, pos);
      case 'function':
        return { k: 'value', v: this.callFunction(fn.qname, args(), kwargs(), pos) };
      case 'method':
        return this.callMethod(fn.self, fn.name, argExprs, kwExprs, pos);
      case 'class':
        return { k: 'value', v: this.construct(fn.info, args(), kwargs(), pos) };
      case 'classMember': {
        if (fn.name === '__new__') {
          if (fn.info.kind !== 'class' && fn.info.kind !== 'module') throw this.err(`cannot allocate a ${fn.info.kind}`, pos);
          return { k: 'value', v: this.insert(prim.CreateObject, [], [fn.info.type]).output() };
        }
        // a hook or method called through the class: first argument is the object
        const sig = this.unit.methodSig(fn.info.type as ClassType, fn.name);
        const as = args();
        if (!sig || !as.length) {
          const q = `${fn.info.qualifiedName}.${fn.name}`;
          const r = this.unit.resolve(q);
          if (r?.kind === 'function') return { k: 'value', v: this.callFunction(q, as, kwargs(), pos) };
          throw this.err(`'${fn.info.qualifiedName}' has no method '${fn.name}'`, pos);
        }
        return { k: 'value', v: this.emitMethodCall(as[0]!, fn.name, sig, as.slice(1), kwargs(), pos) };
      }
      case 'value':
        throw this.err(`a ${typeToPython(fn.v.type)} is not callable`, pos);
      case 'closure':
        throw this.err('nested functions can only be passed to fork()', pos);
      case 'type': {
        throw this.err(`${typeToPython(fn.type)} cannot be called here`, pos);
      }
      default:
        throw this.err(`${describeSV(fn)} is not callable`, pos);
    }
  }

  private callBuiltin(name: string, argExprs: readonly Expr[], kwExprs: readonly Keyword[], pos: Pos): SV {
    const args = (): Value[] => argExprs.map((a) => this.emitExpr(a));
    const one = (): Value => {
      if (argExprs.length !== 1) throw this.err(`${name}() takes exactly one argument (${argExprs.length} given)`, pos);
      return this.emitExpr(argExprs[0]!);
    };
    switch (name) {
      case 'int': case 'float': case 'bool': {
        if (!argExprs.length) return { k: 'value', v: this.constant(name === 'int' ? 0 : name === 'float' ? 0.0 : false, TYPE_NAMES[name]) };
        const x = one();
        if (x.type.kind === name) return { k: 'value', v: x };
        const op = name === 'int' ? 'aten::Int' : name === 'float' ? 'aten::Float' : 'aten::Bool';
        if (name === 'bool' && x.type.kind !== 'Tensor' && x.type.kind !== 'int' && x.type.kind !== 'float' && x.type.kind !== 'str') return { k: 'value', v: this.toBool(x, pos) };
        return { k: 'value', v: this.callOp(op, [x], new Map(), pos) };
      }
      case 'str':
        return { k: 'value', v: this.toStr(one(), pos) };
      case 'len': {
        const x = one();
        if (x.type instanceof ClassType) {
          if (this.unit.methodSig(x.type, '__len__')) return { k: 'value', v: this.emitMethodCall(x, '__len__', this.unit.methodSig(x.type, '__len__')!, [], new Map(), pos) };
          return { k: 'value', v: this.constant(moduleLen(x.type), IntType) };
        }
        if (x.type.kind === 'Tuple') return { k: 'value', v: this.constant(x.type.elems.length, IntType) };
        return { k: 'value', v: this.callOp('aten::len', [x], new Map(), pos) };
      }
      case 'print': {
        this.insert(prim.Print, args(), []);
        return { k: 'value', v: this.none() };
      }
      case 'min': case 'max': case 'abs': {
        const as = args();
        return { k: 'value', v: this.callOp(`prim::${name}`, as, new Map(), pos) };
      }
      case 'sorted': return { k: 'value', v: this.callOp('aten::sorted', args(), new Map(), pos) };
      case 'list': {
        if (!argExprs.length) return { k: 'value', v: this.insert(prim.ListConstruct, [], [ListOf(TensorType)]).output() };
        const it = this.emitIterable(argExprs[0]!);
        if (it.k === 'value' && it.v.type.kind === 'List') return { k: 'value', v: this.callOp('aten::list', [it.v], new Map(), pos) };
        if (it.k === 'value' && it.v.type.kind === 'str') return { k: 'value', v: this.callOp('aten::list', [it.v], new Map(), pos) };
        return { k: 'value', v: this.asValue(it, pos) };
      }
      case 'round': case 'divmod': case 'ord': case 'chr': case 'hex': case 'oct': case 'bin': case 'all': case 'any': case 'sum': case 'hash': case 'complex':
        return { k: 'value', v: this.callOp(`aten::${name}`, args(), new Map(), pos) };
      case 'range': case 'enumerate': case 'zip': case 'reversed':
        return this.emitIterable({ k: 'Call', pos, func: { k: 'Name', pos, id: name }, args: [...argExprs], kwargs: [...kwExprs] });
      case 'fork': {
        if (!argExprs.length) throw this.err('fork() needs a function', pos);
        const f = this.emitSugared(argExprs[0]!);
        const rest = argExprs.slice(1).map((a) => this.emitExpr(a));
        // torchlet runs forked work eagerly; the "future" is the value itself
        if (f.k === 'closure') return { k: 'future', v: this.inlineClosure(f.def, rest, pos) };
        if (f.k === 'function') return { k: 'future', v: this.callFunction(f.qname, rest, new Map(), pos) };
        if (f.k === 'method') {
          const sig = this.methodSigOf(f.self, f.name, pos);
          return { k: 'future', v: this.emitMethodCall(f.self, f.name, sig, rest, new Map(), pos) };
        }
        throw this.err('fork() of this kind of callable is not supported', pos);
      }
      case 'torch.no_grad': case 'torch.enable_grad':
        return { k: 'noGrad' };
      case 'torch.jit.is_scripting':
        return { k: 'value', v: this.constant(true, BoolType) };
      case 'unchecked_cast_opt': {
        const x = one();
        return { k: 'value', v: this.insert(prim.uncheckedCast, [x], [x.type.kind === 'Optional' ? x.type.elem : x.type]).output() };
      }
      case 'tuple': {
        const x = one();
        if (x.type.kind === 'Tuple') return { k: 'value', v: x };
        throw this.err('tuple() of a non-tuple is not supported (TorchScript tuples have static length)', pos);
      }
      case 'dict':
        if (!argExprs.length) return { k: 'value', v: this.insert(prim.DictConstruct, [], [DictOf(StrType, TensorType)]).output() };
        return { k: 'value', v: this.callOp('aten::dict', args(), new Map(), pos) };
      default:
        throw this.err(`the builtin '${name}' is not supported in TorchScript`, pos);
    }
  }

  private inlineClosure(def: FunctionDef, args: Value[], pos: Pos): Value {
    if (def.params.length !== args.length) throw this.err(`${def.name}() takes ${def.params.length} arguments, ${args.length} given`, pos);
    const saved = this.frame;
    this.frame = new Frame(saved);
    def.params.forEach((p, i) => this.frame.vars.set(p.name, { k: 'value', v: args[i]! }));
    let result: Value | undefined;
    for (const s of def.body) {
      if (s.k === 'Return') {
        result = s.value ? this.emitExpr(s.value) : this.none();
        break;
      }
      this.emitStmt(s);
    }
    this.frame = saved;
    return result ?? this.none();
  }

  private emitAnnotate(t: IRType, e: Expr): Value {
    // annotate(List[float], x.tolist())
    if (e.k === 'Call' && e.func.k === 'Attr' && e.func.attr === 'tolist' && e.args.length === 0) {
      const x = this.emitExpr(e.func.value);
      let dim = 0;
      let elem: IRType = t;
      while (elem.kind === 'List') {
        dim++;
        elem = elem.elem;
      }
      const code = elem.kind === 'int' ? 0 : elem.kind === 'float' ? 1 : elem.kind === 'bool' ? 2 : -1;
      if (code < 0) throw this.err(`tolist() to ${typeToPython(t)} is not supported`, e.pos);
      const ins = [x, this.constant(dim, IntType), this.constant(code, IntType)];
      const ovs = getRegistry().overloads('prim::tolist');
      // without prim::tolist in the registry: nested loops of select + Int/Float/Bool
      if (!ovs?.length) return this.lowerTolist(x, t, e.pos);
      return this.insert('prim::tolist', ins, [t], ovs[0]!.key).output();
    }
    const v = this.emitExprWithHint(e, t);
    if (typesEqual(v.type, t)) return v;
    if (!isSubtype(v.type, t)) {
      const lit = literalInfo.get(v);
      if (lit?.kind === 'list' && t.kind === 'List' && lit.elemTypes.every((x) => isSubtype(x, t.elem))) {
        v.type = t;
        return v;
      }
      throw this.err(`annotate(): a ${typeToPython(v.type)} is not a ${typeToPython(t)}`, e.pos);
    }
    if (v.node.kind === prim.Constant || literalInfo.has(v)) {
      v.type = t;
      return v;
    }
    return this.insert(prim.uncheckedCast, [v], [t]).output();
  }

  private lowerTolist(x: Value, t: IRType, pos: Pos): Value {
    if (t.kind !== 'List') {
      const op = t.kind === 'int' ? 'aten::Int' : t.kind === 'float' ? 'aten::Float' : 'aten::Bool';
      return this.callOp(op, [x], new Map(), pos);
    }
    const list = this.insert(prim.ListConstruct, [], [t]).output();
    const zero = this.constant(0, IntType);
    const n = this.callOp('aten::size', [x, zero], new Map(), pos);
    this.emitLoopRaw(n, (i) => {
      const xi = this.callOp('aten::select', [x, zero, i], new Map(), pos);
      this.callOp('aten::append', [list, this.lowerTolist(xi, t.elem, pos)], new Map(), pos);
    });
    return list;
  }

  private isinstanceTypes(e: Expr): IRType[] {
    if (e.k === 'Tuple') return e.elts.flatMap((x) => this.isinstanceTypes(x));
    if (e.k === 'Name' && (e.id === 'list' || e.id === 'List')) return [ListOf(AnyType)];
    if (e.k === 'Name' && (e.id === 'dict' || e.id === 'Dict')) return [DictOf(AnyType, AnyType)];
    if (e.k === 'Name' && (e.id === 'tuple' || e.id === 'Tuple')) return [TupleOf([])];
    return [this.parseType(e)];
  }

  private emitIsinstance(x: Value, types: IRType[]): Value {
    const st = x.type;
    const matches = (a: IRType, t: IRType): boolean => {
      if (t.kind === 'List' && t.elem.kind === 'Any') return a.kind === 'List';
      if (t.kind === 'Dict' && t.key.kind === 'Any') return a.kind === 'Dict';
      if (t.kind === 'Tuple' && t.elems.length === 0 && !t.name) return a.kind === 'Tuple';
      return isSubtype(a, t);
    };
    if (types.some((t) => matches(st, t))) return this.constant(true, BoolType);
    const members = st.kind === 'Optional' ? [st.elem, NoneType] : st.kind === 'Union' ? [...st.types] : st.kind === 'Any' ? undefined : [st];
    if (members && !members.some((m) => types.some((t) => matches(m, t) || matches(t, m)))) return this.constant(false, BoolType);
    return this.insert(prim.isinstance, [x], [BoolType], undefined, { types: types.map(typeToString) }).output();
  }

  private parseType(e: Expr): IRType {
    try {
      return parseTypeExpr(e, (q) => this.unit.classTypeIn(q, this.sig.prefix));
    } catch (err) {
      if (err instanceof TypeParseError) throw this.err(err.message, e.pos);
      throw err;
    }
  }

  // ------------------------------------------------------------------ user functions and methods

  private methodSigOf(self: Value, name: string, pos: Pos): FunctionSig {
    const t = self.type;
    if (!(t instanceof ClassType)) throw this.err(`${typeToPython(t)} has no method '${name}'`, pos);
    const sig = this.unit.methodSig(t, name);
    if (!sig) throw this.err(`'${t.name}' has no method '${name}'`, pos);
    return sig;
  }

  private callMethod(self: Value, name: string, argExprs: readonly Expr[], kwExprs: readonly Keyword[], pos: Pos): SV {
    const t = self.type;
    if (t instanceof ClassType) {
      if (t.isModule && (name === 'items' || name === 'keys' || name === 'values') && !this.unit.methodSig(t, name)) {
        if (argExprs.length || kwExprs.length) throw this.err(`${name}() takes no arguments`, pos);
        return { k: 'moduleItems', container: self, mode: name };
      }
      const sig = this.methodSigOf(self, name, pos);
      const args = argExprs.map((a, i) => (sig.params[i] ? this.emitExprWithHint(a, sig.params[i]!.type) : this.emitExpr(a)));
      const kwargs = new Map(kwExprs.map((k) => [k.name, this.emitExprWithHint(k.value, sig.params.find((p) => p.name === k.name)?.type ?? AnyType)]));
      return { k: 'value', v: this.emitMethodCall(self, name, sig, args, kwargs, pos) };
    }
    if (t.kind === 'Tuple' && t.name) throw this.err(`NamedTuple ${t.name} has no method '${name}'`, pos);
    // builtin methods: tensors, lists, dicts, strings -> aten::<name>(self, ...)
    if (name === 'tolist') throw this.err('tolist() must be wrapped in annotate(List[...], ...)', pos);
    if (name === 'items' && t.kind === 'Dict') return { k: 'value', v: this.callOp('aten::items', [self], new Map(), pos) };
    return { k: 'value', v: this.callOpExprs(`aten::${name}`, argExprs, kwExprs, pos, self) };
  }

  private emitMethodCall(self: Value, name: string, sig: FunctionSig, args: Value[], kwargs: Map<string, Value>, pos: Pos): Value {
    const bound = this.bindUserArgs(sig, args, kwargs, pos);
    if (self.type instanceof ClassType && !self.type.isInterface) {
      // compile the callee now so errors surface at load time (lazily: once)
      this.unit.methodGraph(self.type, name);
    }
    return this.insert(prim.CallMethod, [self, ...bound], [sig.returnType], undefined, { name }).output();
  }

  private callFunction(qname: string, args: Value[], kwargs: Map<string, Value>, pos: Pos): Value {
    const sig = this.unit.functionSig(qname);
    const bound = this.bindUserArgs(sig, args, kwargs, pos);
    this.unit.functionGraph(qname);
    return this.insert(prim.CallFunction, bound, [sig.returnType], undefined, { name: qname }).output();
  }

  /** Binds call arguments to a user function's parameters (positional, keywords, defaults) and checks types. */
  private bindUserArgs(sig: FunctionSig, args: Value[], kwargs: Map<string, Value>, pos: Pos): Value[] {
    if (args.length > sig.params.length) throw this.err(`${sig.qualifiedName}() takes ${sig.params.length} argument(s) but ${args.length} were given`, pos);
    const out: Value[] = [];
    for (let i = 0; i < sig.params.length; i++) {
      const p = sig.params[i]!;
      let v: Value | undefined = i < args.length ? args[i] : kwargs.get(p.name);
      if (i < args.length && kwargs.has(p.name)) throw this.err(`${sig.qualifiedName}() got multiple values for argument '${p.name}'`, pos);
      if (!v) {
        if (!p.default) throw this.err(`${sig.qualifiedName}() is missing argument '${p.name}'`, pos);
        v = this.constant(p.default.value, p.type.kind === 'Optional' && p.default.value === null ? NoneType : p.type);
      }
      out.push(this.coerceArg(v, p.type, `argument '${p.name}' of ${sig.qualifiedName}()`, pos));
    }
    for (const k of kwargs.keys()) if (!sig.params.some((p) => p.name === k)) throw this.err(`${sig.qualifiedName}() got an unexpected keyword argument '${k}'`, pos);
    return out;
  }

  private construct(info: ClassInfo, args: Value[], kwargs: Map<string, Value>, pos: Pos): Value {
    if (info.kind === 'namedtuple') {
      const t = info.type as TupleType;
      const fields = t.fields ?? [];
      const items: Value[] = [];
      for (let i = 0; i < fields.length; i++) {
        let v = i < args.length ? args[i] : kwargs.get(fields[i]!);
        if (!v) {
          if (!info.fieldDefaults.has(fields[i]!)) throw this.err(`${info.qualifiedName}() is missing field '${fields[i]}'`, pos);
          v = this.constant(info.fieldDefaults.get(fields[i]!), t.elems[i]!);
        }
        items.push(this.coerceArg(v, t.elems[i]!, `field '${fields[i]}' of ${info.qualifiedName}`, pos));
      }
      return this.insert(prim.TupleConstruct, items, [t]).output();
    }
    if (info.kind !== 'class') throw this.err(`cannot construct a ${info.kind} (${info.qualifiedName}) in TorchScript code`, pos);
    const obj = this.insert(prim.CreateObject, [], [info.type]).output();
    const init = this.unit.methodSig(info.type as ClassType, '__init__');
    if (init) this.emitMethodCall(obj, '__init__', init, args, kwargs, pos);
    else if (args.length || kwargs.size) throw this.err(`${info.qualifiedName} has no __init__ taking arguments`, pos);
    return obj;
  }

  // ------------------------------------------------------------------ registry ops

  /** Emits a registry op call from expressions (list displays get typed by the chosen schema). */
  private callOpExprs(qname: string, argExprs: readonly Expr[], kwExprs: readonly Keyword[], pos: Pos, self?: Value): Value {
    const args = argExprs.map((a) => this.emitExpr(a));
    const kwargs = new Map(kwExprs.map((k) => [k.name, this.emitExpr(k.value)]));
    return this.callOp(qname, self ? [self, ...args] : args, kwargs, pos);
  }

  /** Resolves `qname` against the registry by the arguments' static types and emits the node. */
  callOp(qname: string, args: Value[], kwargs: Map<string, Value>, pos: Pos): Value {
    const out = this.callOpMulti(qname, args, kwargs, pos);
    if (out.length === 1) return out[0]!;
    if (out.length === 0) return this.none();
    return this.tupleConstruct(out);
  }

  private callOpMulti(qname: string, args: Value[], kwargs: Map<string, Value>, pos: Pos): Value[] {
    this.curPos = pos;
    const candidates = getRegistry().overloads(qname);
    if (!candidates || candidates.length === 0) return this.unresolvedOp(qname, args, kwargs, pos, `'${qname}' is not in torchlet's op registry`);
    const margs = args.map((a) => matchArgOf(a));
    const mk = new Map([...kwargs].map(([k, v]) => [k, matchArgOf(v)]));
    let r = resolveOverloads(candidates, margs, mk);
    let callArgs = args;
    if (!r.match && args.length >= 2 && args.slice(1).every((a) => a.type.kind === 'int')) {
      // x.view(2, 3) / x.permute(1, 0): trailing ints are one int[] argument
      for (let split = 1; split < args.length && !r.match; split++) {
        const packed = [...args.slice(0, split)];
        const rest = args.slice(split);
        const l = this.graph.create(prim.ListConstruct, rest, [ListOf(IntType)]);
        const margs2 = [...packed.map(matchArgOf), { type: ListOf(IntType) }];
        const r2 = resolveOverloads(candidates, margs2, mk);
        if (r2.match) {
          this.graph.insertNode(l);
          l.source = this.source(pos);
          callArgs = [...packed, l.output()];
          r = r2;
        } else l.destroy();
      }
    }
    if (!r.match) {
      const got = [...args.map((a) => typeToPython(a.type)), ...[...kwargs].map(([k, v]) => `${k}=${typeToPython(v.type)}`)].join(', ');
      const why = `no overload of ${qname} accepts the arguments (${got}); candidates:\n${r.error}`;
      // archives were type-checked by PyTorch: a missing overload is a registry gap, reported when executed
      if (!this.opts.strictOps) return this.unresolvedOp(`${qname}`, args, kwargs, pos, why, `${qname}(${got})`);
      throw this.err(why, pos);
    }
    return this.emitMatch(qname, r.match, callArgs, kwargs, pos);
  }

  private emitMatch(qname: string, m: SchemaMatch, args: Value[], kwargs: Map<string, Value>, pos: Pos): Value[] {
    const inputs: Value[] = [];
    m.bindings.forEach((b: ArgBinding) => {
      let v: Value;
      if ('pos' in b.source) v = args[b.source.pos]!;
      else if ('kw' in b.source) v = kwargs.get(b.source.kw)!;
      else v = this.constant(b.source.default, b.source.default === null ? NoneType : defaultConstType(b.source.type));
      inputs.push(this.convert(v, b.conv, pos));
    });
    for (const i of m.varargs) inputs.push(args[i]!);
    const n = this.insert(qname, inputs, m.returnTypes, m.overload.key);
    return [...n.outputs];
  }

  private unresolvedOp(qname: string, args: Value[], kwargs: Map<string, Value>, pos: Pos, why: string, label = qname): Value[] {
    if (!this.unit.missingOps.has(label)) this.unit.missingOps.set(label, { file: this.file, line: pos.line, col: pos.col });
    if (this.opts.strictOps) throw this.err(`unsupported op ${qname}: ${why}`, pos);
    if (kwargs.size) {
      // keep keyword arguments in a side attribute; without a schema their positions are unknown
    }
    // an overload key that never resolves: executing the node raises UnsupportedOpError with this source line
    const n = this.insert(qname, args, [AnyType], `${qname}.unsupported`, kwargs.size ? { kwargNames: [...kwargs.keys()] } : undefined);
    for (const v of kwargs.values()) n.addInput(v);
    n.setAttr('unsupported', label, StrType);
    unsupportedReasons.set(n, why);
    return [...n.outputs];
  }

  private convert(v: Value, c: Conversion, pos: Pos): Value {
    switch (c.k) {
      case 'id':
        return v;
      case 'retype': {
        if (literalInfo.has(v) && v.uses.length === 0) {
          v.type = c.type;
          return v;
        }
        return this.insert(prim.uncheckedCast, [v], [c.type]).output();
      }
      case 'op':
        // without the conversion op in the registry, the interpreter's argument binding converts
        if (!getRegistry().overloads(c.op)) return v;
        return this.callOp(c.op, [v], new Map(), pos);
      case 'broadcast':
        return this.insert(prim.ListConstruct, new Array<Value>(c.size).fill(v), [ListOf(v.type.kind === 'float' ? FloatType : IntType)]).output();
      case 'tupleToList': {
        const tt = v.type as TupleType;
        const items = v.node.kind === prim.TupleConstruct ? [...v.node.inputs] : this.insert(prim.TupleUnpack, [v], tt.elems).outputs;
        return this.insert(prim.ListConstruct, [...items], [c.type]).output();
      }
    }
  }

  // ------------------------------------------------------------------ coercions

  /** Widens `v` to `t` (subtypes are accepted as is; None/empty literals are retyped). */
  private coerce(v: Value, t: IRType, what: string): Value {
    if (typesEqual(v.type, t) || t.kind === 'Any') return v;
    if (isSubtype(v.type, t)) return v;
    // values of unknown type (results of ops missing from the registry), also inside tuples and
    // lists, are cast; they fail at run time first
    if (v.type.kind === 'Any' || isSubtype(withAnyFrom(v.type, t), t)) return this.insert(prim.uncheckedCast, [v], [t]).output();
    const lit = literalInfo.get(v);
    if (lit && t.kind === 'List' && v.type.kind === 'List' && lit.elemTypes.every((x) => isSubtype(x, t.elem))) {
      v.type = t;
      return v;
    }
    if (lit && t.kind === 'Dict' && v.type.kind === 'Dict' && v.node.inputs.length === 0) {
      v.type = t;
      return v;
    }
    if (v.type.kind === 'Tuple' && t.kind === 'Tuple' && v.type.elems.length === t.elems.length && v.type.elems.every((e, i) => isSubtype(e, t.elems[i]!))) return v;
    throw this.err(`${what} should be ${typeToPython(t)} but is ${typeToPython(v.type)}`);
  }

  /** Argument coercion for user functions: also int -> float, as TorchScript allows. */
  private coerceArg(v: Value, t: IRType, what: string, pos: Pos): Value {
    const target = t.kind === 'Optional' ? t.elem : t;
    if (target.kind === 'float' && v.type.kind === 'int') return this.callOp('aten::Float', [v], new Map(), pos);
    if (target.kind === 'List' && v.type.kind === 'Tuple' && v.type.elems.every((e) => isSubtype(e, target.elem))) {
      const items = v.node.kind === prim.TupleConstruct ? [...v.node.inputs] : this.insert(prim.TupleUnpack, [v], v.type.elems).outputs;
      return this.insert(prim.ListConstruct, [...items], [target]).output();
    }
    return this.coerce(v, t, what);
  }
}

// ------------------------------------------------------------------------------ helpers

/** `a` with its Any parts replaced by the corresponding parts of `t` (Tuple[Any, int] vs Tuple[Tensor, int] -> Tuple[Tensor, int]). */
function withAnyFrom(a: IRType, t: IRType): IRType {
  if (a.kind === 'Any') return t;
  if (a.kind === 'Tuple' && t.kind === 'Tuple' && a.elems.length === t.elems.length && !a.name) return TupleOf(a.elems.map((e, i) => withAnyFrom(e, t.elems[i]!)));
  if (a.kind === 'List' && t.kind === 'List') return ListOf(withAnyFrom(a.elem, t.elem));
  if (a.kind === 'Optional' && t.kind === 'Optional') return OptionalOf(withAnyFrom(a.elem, t.elem));
  return a;
}

/** Why a node was emitted as unsupported (the registry lacks its op or overload). */
export const unsupportedReasons = new WeakMap<Node, string>();

/** Extra facts about list/dict display outputs (their element types may still be widened). */
const literalInfo = new WeakMap<Value, { kind: 'list' | 'dict'; elemTypes: IRType[] }>();

function matchArgOf(v: Value): MatchArg {
  const lit = literalInfo.get(v);
  const a: MatchArg = { type: v.type };
  if (lit) {
    a.literal = lit.kind;
    a.elemTypes = lit.elemTypes;
  }
  if (v.node.kind === prim.Constant) a.isConst = true;
  return a;
}

const raiseMarkers = new WeakSet<Value>();

/** `x is None` with static types that decide it. */
function foldIs(a: IRType, b: IRType): boolean | undefined {
  const maybeNone = (t: IRType): boolean => t.kind === 'Optional' || t.kind === 'NoneType' || t.kind === 'Any' || (t.kind === 'Union' && t.types.some(maybeNone));
  if (a.kind === 'NoneType' && b.kind === 'NoneType') return true;
  if (a.kind === 'NoneType' && !maybeNone(b)) return false;
  if (b.kind === 'NoneType' && !maybeNone(a)) return false;
  return undefined;
}

/** Conditions whose constant value comes from static types (not literal `True` loops etc.). */
function isFoldable(e: Expr): boolean {
  if (e.k === 'Compare') return e.ops.every((o) => o === 'is' || o === 'is not');
  if (e.k === 'Call' && e.func.k === 'Name') return e.func.id === 'isinstance' || e.func.id === 'hasattr';
  if (e.k === 'Call' && e.func.k === 'Attr') return dottedName(e.func) === 'torch.jit.is_scripting';
  if (e.k === 'UnaryOp' && e.op === 'not') return isFoldable(e.operand);
  return false;
}

/** Refinements for names not reassigned by the if (their current binding is still the narrowed variable). */
function without(refs: Map<string, IRType>, frame: Frame): Map<string, IRType> {
  const out = new Map<string, IRType>();
  for (const [k, t] of refs) {
    const sv = frame.lookup(k);
    if (sv?.k === 'value' && (sv.v.type.kind === 'Optional' || sv.v.type.kind === 'Union' || sv.v.type.kind === 'Any')) out.set(k, t);
  }
  return out;
}

function intersect(a: Map<string, IRType>, b: Map<string, IRType>): Map<string, IRType> {
  const out = new Map<string, IRType>();
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w && typesEqual(v, w)) out.set(k, v);
  }
  return out;
}

function isTupleTarget(e: Expr): boolean {
  return e.k === 'Tuple' || e.k === 'List';
}

function moduleLen(t: ClassType): number {
  return t.attributes.filter((a) => a.type instanceof ClassType && a.type.isModule).length;
}

function constEvalSafe(e: Expr): unknown {
  try {
    return constEval(e, (m) => new Error(m));
  } catch {
    return undefined;
  }
}

function describeSV(sv: SV): string {
  switch (sv.k) {
    case 'value': return `a ${typeToPython(sv.v.type)}`;
    case 'ns': return `the namespace ${sv.path}`;
    case 'op': return `the operator ${sv.qname}`;
    case 'builtin': return `the builtin ${sv.name}`;
    case 'class': return `the class ${sv.info.qualifiedName}`;
    case 'classMember': return `${sv.info.qualifiedName}.${sv.name}`;
    case 'function': return `the function ${sv.qname}`;
    case 'method': return `the method ${sv.name}`;
    case 'constants': return 'CONSTANTS';
    case 'type': return `the type ${typeToPython(sv.type)}`;
    case 'closure': return `the nested function ${sv.def.name}`;
    case 'future': return 'a future';
    case 'noGrad': return 'torch.no_grad()';
    case 'moduleItems': return 'module container items';
    case 'iter': return `${sv.kind}()`;
  }
}

/** The constant type of a schema default (enum codes are ints, Scalars numbers). */
function defaultConstType(t: IRType): IRType {
  if (t.kind === 'ScalarType' || t.kind === 'Layout' || t.kind === 'MemoryFormat') return IntType;
  if (t.kind === 'number') return NumberType;
  return t;
}

/** Converts compile-time constant values to runtime form for their static type (tuples). */
export function toRuntimeConstant(value: unknown, type: IRType): unknown {
  if (value === null || value === undefined) return null;
  if (type.kind === 'Tuple' && Array.isArray(value)) return tuple(value.map((v, i) => toRuntimeConstant(v, type.elems[i] ?? AnyType)), type.name ? type : undefined);
  if (type.kind === 'List' && Array.isArray(value)) return value.map((v) => toRuntimeConstant(v, type.elem));
  if (type.kind === 'Optional') return toRuntimeConstant(value, type.elem);
  if (value instanceof Tensor) return value;
  return value;
}

/** Compiles one method or function. */
export function compileFunction(unit: CompilationUnit, sig: FunctionSig, opts: CompileOptions = {}): Graph {
  return new FunctionEmitter(unit, sig, opts).compile();
}

