import {
  ClassType, NamedTupleOf, type Graph, type IRType, type TupleType,
} from '@torchlet/ir';
import { ScriptCompileError, ScriptSyntaxError, type SourcePos } from '../errors.js';
import type { ClassDef, Expr, FunctionDef, Module, Pos, Stmt } from './ast.js';
import { parseSource } from './parser.js';
import { TypeParseError, dottedName, isFinalAnnotation, parseTypeExpr } from './typeparse.js';

/**
 * The classes and functions of an archive's `code/` folder, resolved lazily by qualified name
 * (`__torch__.torch.nn.modules.linear.Linear`), as PyTorch's importer does: a file is parsed the
 * first time one of its names is needed; method bodies are compiled on first use.
 */

/** Source text by qualifier prefix: `__torch__.torch.nn.functional` -> its `.py` text. */
export interface SourceProvider {
  /** the `.py` source of a qualifier prefix, or undefined */
  source(prefix: string): { file: string; text: string } | undefined;
}

export interface ParsedFile {
  prefix: string;
  module: Module;
  classes: Map<string, ClassDef>;
  functions: Map<string, FunctionDef>;
}

export interface ParamSig {
  name: string;
  type: IRType;
  /** a compile-time default (`k: int=2`) */
  default?: { value: unknown };
}

export interface FunctionSig {
  qualifiedName: string;
  name: string;
  /** parameters after `self` for methods */
  params: ParamSig[];
  returnType: IRType;
  def: FunctionDef;
  /** for methods: the class */
  owner?: ClassType;
  file: string;
  /** qualifier of the defining file (`__torch__.torch.nn.functional`): unqualified names resolve in it */
  prefix: string;
}

export type ClassKind = 'module' | 'class' | 'interface' | 'namedtuple' | 'enum';

export interface ClassInfo {
  qualifiedName: string;
  kind: ClassKind;
  /** ClassType for modules, classes, interfaces; a named TupleType for NamedTuples */
  type: ClassType | TupleType;
  def: ClassDef;
  file: string;
  methodDefs: Map<string, FunctionDef>;
  parameters: string[];
  buffers: string[];
  forwardPreHooks: string[];
  forwardHooks: string[];
  /** NamedTuple field defaults */
  fieldDefaults: Map<string, unknown>;
  /** Enum members */
  enumValues: Map<string, unknown>;
}

export type Resolved =
  | { kind: 'class'; info: ClassInfo }
  | { kind: 'function'; qualifiedName: string; def: FunctionDef; file: string }
  | { kind: 'namespace'; prefix: string };

/** What a compiled method/function is to the unit: the graph plus its signature. */
export interface CompiledFunction {
  sig: FunctionSig;
  graph: Graph;
}

export type FunctionCompiler = (unit: CompilationUnit, sig: FunctionSig) => Graph;

export class CompilationUnit {
  private readonly files = new Map<string, ParsedFile | null>();
  readonly classes = new Map<string, ClassInfo>();
  private readonly classesByType = new Map<ClassType, ClassInfo>();
  private readonly functionSigs = new Map<string, FunctionSig>();
  private readonly methodSigs = new Map<string, FunctionSig>();
  private readonly compiled = new Map<string, Graph>();
  private readonly compiling = new Set<string>();
  /** ops referenced by compiled code that are not in the registry (filled by the compiler) */
  readonly missingOps = new Map<string, SourcePos>();

  constructor(
    readonly sources: SourceProvider,
    /** `CONSTANTS.c<i>` */
    readonly constants: readonly unknown[],
    private readonly compileFn: FunctionCompiler,
  ) {}

  // ------------------------------------------------------------------ files

  file(prefix: string): ParsedFile | undefined {
    if (this.files.has(prefix)) return this.files.get(prefix) ?? undefined;
    const src = this.sources.source(prefix);
    if (!src) {
      this.files.set(prefix, null);
      return undefined;
    }
    const module = parseSource(src.text, src.file);
    const classes = new Map<string, ClassDef>();
    const functions = new Map<string, FunctionDef>();
    for (const s of module.body) {
      if (s.k === 'ClassDef') classes.set(s.name, s);
      else if (s.k === 'FunctionDef') functions.set(s.name, s);
      else if (s.k === 'Import' || s.k === 'Pass') continue;
      else if (s.k === 'Assign' && s.targets[0]?.k === 'Name' && s.targets[0].id === 'op_version_set') continue;
      else throw new ScriptSyntaxError(`unexpected top-level statement (${s.k}) in a TorchScript file`, { file: src.file, line: s.pos.line, col: s.pos.col }, module.lines[s.pos.line - 1]);
    }
    const f: ParsedFile = { prefix, module, classes, functions };
    this.files.set(prefix, f);
    return f;
  }

  /** The source line at a position, for error messages. */
  sourceLine(file: string, line: number): string | undefined {
    for (const f of this.files.values()) if (f && f.module.file === file) return f.module.lines[line - 1];
    return undefined;
  }

  error(msg: string, file: string, pos: Pos | undefined): ScriptCompileError {
    return new ScriptCompileError(msg, pos ? { file, line: pos.line, col: pos.col } : { file, line: 0, col: 0 }, pos ? this.sourceLine(file, pos.line) : undefined);
  }

  // ------------------------------------------------------------------ name resolution

  /**
   * `__torch__.a.b.C`: a class or function `C` of file `__torch__/a/b.py`, else a namespace prefix
   * (PyTorch's rule). Returns undefined when nothing can exist under that name.
   */
  resolve(qualifiedName: string): Resolved | undefined {
    const dot = qualifiedName.lastIndexOf('.');
    if (dot > 0) {
      const prefix = qualifiedName.slice(0, dot);
      const name = qualifiedName.slice(dot + 1);
      const f = this.file(prefix);
      if (f) {
        if (f.classes.has(name)) return { kind: 'class', info: this.classInfo(qualifiedName) };
        const fn = f.functions.get(name);
        if (fn) return { kind: 'function', qualifiedName, def: fn, file: f.module.file };
      }
    }
    return { kind: 'namespace', prefix: qualifiedName };
  }

  /** The ClassInfo of a class defined in the archive (throws if there is none). */
  classInfo(qualifiedName: string): ClassInfo {
    const existing = this.classes.get(qualifiedName);
    if (existing) return existing;
    const dot = qualifiedName.lastIndexOf('.');
    const prefix = qualifiedName.slice(0, dot);
    const name = qualifiedName.slice(dot + 1);
    const f = dot > 0 ? this.file(prefix) : undefined;
    const def = f?.classes.get(name);
    if (!def || !f) {
      if (qualifiedName.startsWith('__torch__.torch.classes.')) {
        throw new ScriptCompileError(`TorchBind class '${qualifiedName}' (a C++ custom class) is not supported by torchlet`);
      }
      throw new ScriptCompileError(`class '${qualifiedName}' is not defined in the archive's code/ (looked in code/${prefix.replace(/\./g, '/')}.py)`);
    }
    return this.defineClass(qualifiedName, def, f.module.file);
  }

  classInfoOf(t: ClassType): ClassInfo | undefined {
    return this.classesByType.get(t);
  }

  /** The static type a qualified class name denotes (ClassType or NamedTuple TupleType). */
  typeOf(qualifiedName: string): IRType {
    return this.classInfo(qualifiedName).type;
  }

  /** Resolves a class name in an annotation: qualified, or short within the file's qualifier `prefix`. */
  classTypeIn(name: string, prefix: string | undefined): IRType {
    if (name.startsWith('__torch__.')) return this.typeOf(name);
    if (prefix !== undefined) {
      const r = this.resolve(`${prefix}.${name}`);
      if (r?.kind === 'class') return r.info.type;
    }
    throw new TypeParseError(`unknown type '${name}'`);
  }

  private parseType(e: Expr, file: string, prefix?: string): IRType {
    try {
      return parseTypeExpr(e, (q) => this.classTypeIn(q, prefix));
    } catch (err) {
      if (err instanceof TypeParseError) throw this.error(err.message, file, e.pos);
      throw err;
    }
  }

  private defineClass(qualifiedName: string, def: ClassDef, file: string): ClassInfo {
    const prefix = qualifiedName.slice(0, qualifiedName.lastIndexOf('.'));
    const baseNames = def.bases.map((b) => dottedName(b) ?? '?');
    let kind: ClassKind = 'class';
    for (const b of baseNames) {
      if (b === 'Module') kind = 'module';
      else if (b === 'NamedTuple') kind = 'namedtuple';
      else if (b === 'Interface' || b === 'ModuleInterface') kind = 'interface';
      else if (b === 'Enum') kind = 'enum';
      else throw this.error(`class ${def.name} has base '${b}'; TorchScript classes may only derive from Module, NamedTuple, Interface, ModuleInterface or Enum`, file, def.pos);
    }
    const info: ClassInfo = {
      qualifiedName, kind, def, file, type: undefined as unknown as ClassType, methodDefs: new Map(), parameters: [], buffers: [],
      forwardPreHooks: [], forwardHooks: [], fieldDefaults: new Map(), enumValues: new Map(),
    };
    if (kind === 'namedtuple') {
      const fields: string[] = [];
      const types: IRType[] = [];
      for (const s of def.body) {
        if (s.k === 'AnnAssign' && s.target.k === 'Name') {
          fields.push(s.target.id);
          types.push(this.parseType(s.annotation, file, prefix));
          if (s.value) info.fieldDefaults.set(s.target.id, constEval(s.value, (m, p) => this.error(m, file, p)));
        } else if (s.k !== 'Pass' && !(s.k === 'Expr' && s.value.k === 'Str')) {
          throw this.error(`unexpected statement in NamedTuple ${def.name}`, file, s.pos);
        }
      }
      info.type = NamedTupleOf(qualifiedName, fields, types);
      this.classes.set(qualifiedName, info);
      return info;
    }
    const type = new ClassType(qualifiedName, { isModule: kind === 'module' || (kind === 'interface' && baseNames.includes('ModuleInterface')), isInterface: kind === 'interface' });
    info.type = type;
    this.classes.set(qualifiedName, info);
    this.classesByType.set(type, info);
    const stringList = (s: Stmt & { k: 'Assign' }): string[] => {
      const v = s.value;
      if (v.k !== 'List' || !v.elts.every((e) => e.k === 'Str')) throw this.error('expected a list of strings', file, s.pos);
      return v.elts.map((e) => (e as { value: string }).value);
    };
    for (const s of def.body) {
      switch (s.k) {
        case 'FunctionDef':
          info.methodDefs.set(s.name, s);
          break;
        case 'AnnAssign': {
          if (s.target.k !== 'Name') throw this.error('unexpected annotated assignment in a class body', file, s.pos);
          const name = s.target.id;
          if (isFinalAnnotation(s.annotation) || (s.value && kind !== 'enum')) {
            if (!s.value) throw this.error(`Final attribute '${name}' has no value`, file, s.pos);
            const t = this.parseType(s.annotation, file, prefix);
            type.constants.set(name, { value: constEval(s.value, (m, p) => this.error(m, file, p)), type: t });
          } else {
            type.addAttribute(name, this.parseType(s.annotation, file, prefix));
          }
          break;
        }
        case 'Assign': {
          const t = s.targets[0]!;
          if (t.k === 'Name') {
            switch (t.id) {
              case '__parameters__': info.parameters = stringList(s); break;
              case '__buffers__': info.buffers = stringList(s); break;
              case '__forward_pre_hooks__': info.forwardPreHooks = stringList(s); break;
              case '__forward_hooks__': info.forwardHooks = stringList(s); break;
              case '__annotations__': break;
              default:
                if (kind === 'enum') info.enumValues.set(t.id, constEval(s.value, (m, p) => this.error(m, file, p)));
                else throw this.error(`unexpected assignment to '${t.id}' in a class body`, file, s.pos);
            }
          } else if (t.k === 'Subscript' && t.value.k === 'Name' && t.value.id === '__annotations__' && t.index.k === 'Str') {
            type.addAttribute(t.index.value, this.parseType(s.value, file, prefix));
          } else throw this.error('unexpected assignment in a class body', file, s.pos);
          break;
        }
        case 'Pass':
          break;
        case 'Expr':
          if (s.value.k === 'Str') break;
          throw this.error('unexpected expression in a class body', file, s.pos);
        default:
          throw this.error(`unexpected ${s.k} statement in a class body`, file, s.pos);
      }
    }
    for (const a of type.attributes) {
      if (info.parameters.includes(a.name)) a.isParameter = true;
      if (info.buffers.includes(a.name)) a.isBuffer = true;
    }
    if (kind === 'enum') throw this.error(`Enum class ${def.name} is not supported by torchlet yet`, file, def.pos);
    // a hand-written class without attribute declarations: __init__ defines the slots
    if (kind === 'class' && type.attributes.length === 0 && info.methodDefs.has('__init__')) this.methodGraph(type, '__init__');
    return info;
  }

  // ------------------------------------------------------------------ signatures

  private signature(qualifiedName: string, def: FunctionDef, file: string, owner: ClassType | undefined): FunctionSig {
    const q = owner ? owner.name : qualifiedName;
    const prefix = q.slice(0, q.lastIndexOf('.'));
    const params: ParamSig[] = [];
    const ps = owner ? def.params.slice(1) : def.params;
    if (owner && def.params.length === 0) throw this.error(`method ${def.name} has no self parameter`, file, def.pos);
    for (const p of ps) {
      if (!p.annotation) throw this.error(`parameter '${p.name}' of ${def.name} has no type annotation`, file, p.pos);
      const sig: ParamSig = { name: p.name, type: this.parseType(p.annotation, file, prefix) };
      if (p.default) sig.default = { value: constEval(p.default, (m, pos) => this.error(m, file, pos)) };
      params.push(sig);
    }
    const returnType = def.returns ? this.parseType(def.returns, file, prefix) : this.parseType({ k: 'None', pos: def.pos }, file);
    const sig: FunctionSig = { qualifiedName, name: def.name, params, returnType, def, file, prefix };
    if (owner) sig.owner = owner;
    return sig;
  }

  /** The signature of method `name` of a class (undefined if it has none). */
  methodSig(cls: ClassType, name: string): FunctionSig | undefined {
    const key = `${cls.name}::${name}`;
    const existing = this.methodSigs.get(key);
    if (existing) return existing;
    const info = this.classesByType.get(cls);
    const def = info?.methodDefs.get(name);
    if (!info || !def) return undefined;
    const sig = this.signature(`${cls.name}.${name}`, def, info.file, cls);
    this.methodSigs.set(key, sig);
    return sig;
  }

  functionSig(qualifiedName: string): FunctionSig {
    const existing = this.functionSigs.get(qualifiedName);
    if (existing) return existing;
    const r = this.resolve(qualifiedName);
    if (r?.kind !== 'function') throw new ScriptCompileError(`function '${qualifiedName}' is not defined in the archive`);
    const sig = this.signature(qualifiedName, r.def, r.file, undefined);
    this.functionSigs.set(qualifiedName, sig);
    return sig;
  }

  // ------------------------------------------------------------------ compiled graphs

  /** The compiled graph of a method (compiled on first request; also stored in `cls.methods`). */
  methodGraph(cls: ClassType, name: string): Graph {
    const key = `${cls.name}::${name}`;
    const g = this.compiled.get(key);
    if (g) return g;
    const sig = this.methodSig(cls, name);
    if (!sig) throw new ScriptCompileError(`'${cls.name}' has no method '${name}'`);
    const info = this.classesByType.get(cls);
    if (info?.kind === 'interface') throw new ScriptCompileError(`'${cls.name}' is an interface; its method '${name}' has no body`);
    return this.compileOnce(key, sig, (graph) => cls.methods.set(name, graph));
  }

  functionGraph(qualifiedName: string): Graph {
    const g = this.compiled.get(qualifiedName);
    if (g) return g;
    return this.compileOnce(qualifiedName, this.functionSig(qualifiedName));
  }

  private compileOnce(key: string, sig: FunctionSig, onDone?: (g: Graph) => void): Graph {
    if (this.compiling.has(key)) throw new ScriptCompileError(`recursive call of ${sig.qualifiedName} (TorchScript does not support recursion)`);
    this.compiling.add(key);
    try {
      const g = this.compileFn(this, sig);
      this.compiled.set(key, g);
      onDone?.(g);
      return g;
    } finally {
      this.compiling.delete(key);
    }
  }

  isCompiled(key: string): boolean {
    return this.compiled.has(key);
  }
}

/** Evaluates a constant expression (defaults, Final values): literals, negative numbers, lists, tuples. */
export function constEval(e: Expr, err: (msg: string, pos: Pos) => Error): unknown {
  switch (e.k) {
    case 'Int': case 'Float': case 'Str': case 'Bool':
      return e.value;
    case 'None':
      return null;
    case 'List':
      return e.elts.map((x) => constEval(x, err));
    case 'Tuple':
      return e.elts.map((x) => constEval(x, err));
    case 'UnaryOp':
      if (e.op === '-') {
        const v = constEval(e.operand, err);
        if (typeof v === 'number') return -v;
      }
      break;
    case 'Name':
      if (e.id === 'inf') return Infinity;
      if (e.id === 'nan') return NaN;
      break;
    default:
      break;
  }
  throw err(`expected a constant expression, found ${e.k}`, e.pos);
}
