import type { DType } from './dtype.js';
import { parseSchema, type FunctionSchema } from './schema.js';
import type { DeviceType } from './storage.js';
import type { Tensor } from './tensor.js';

export type Tag = 'view' | 'inplace' | 'pointwise' | 'reduction' | 'factory' | 'composite' | 'nondeterministic' | 'dynamic_shape';

/** Where the eager API exposes an op: `torch.<name>`, `tensor.<name>()`, `torch.nn.functional.<name>`. */
export type Variant = 'function' | 'method' | 'F';

/**
 * Arguments bound by schema name after overload resolution and conversion: Tensor args are
 * Tensors, `int[]` args number arrays, `ScalarType` args DTypes, optional args `null` when absent.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Args = Record<string, any>;

export interface OutSpec {
  shape: number[];
  dtype: DType;
}
export interface ViewSpec {
  shape: number[];
  strides: number[];
  offset: number;
}

/** A CPU reference kernel writes into outputs allocated from `infer`. */
export type CpuKernel = (args: Args, outs: Tensor[]) => void;

export interface OverloadDecl {
  schema: string;
  tags?: readonly Tag[];
  /** output shapes and dtypes: the only place they are computed */
  infer?: (args: Args) => OutSpec | OutSpec[];
  /** reference kernel (plain TypeScript); also the test oracle for other backends */
  cpu?: CpuKernel;
  /** a view op: a new shape/strides/offset over `self`'s storage, no kernel on any backend */
  view?: (args: Args) => ViewSpec;
  /** a composite defined by calling other registry ops; used when a backend has no kernel */
  decompose?: (args: Args) => unknown;
  /** ops whose output shape depends on the data (nonzero, masked_select): the kernel allocates */
  cpuDynamic?: (args: Args) => unknown;
}

export interface OpDecl<N extends string = string> {
  /** the Python name (`add`, `conv2d`, `log_softmax`) */
  name: N;
  overloads: readonly OverloadDecl[];
  /** default: ['function', 'method'] */
  variants?: readonly Variant[];
  /** other Python names for the same op (`torch.absolute`, `torch.concat`) */
  aliases?: readonly string[];
  /** derive `name_` in-place overloads (`x.add_(y)`) that compute then copy into `self` */
  inplace?: boolean;
  tags?: readonly Tag[];
}

export function defineOp<const N extends string>(decl: OpDecl<N>): OpDecl<N> {
  return decl;
}

/** A resolved overload: one schema with its implementation. */
export interface Overload {
  readonly op: OpDecl;
  readonly decl: OverloadDecl;
  readonly schema: FunctionSchema;
  /** `aten::add.Tensor` */
  readonly key: string;
  readonly tags: ReadonlySet<Tag>;
  /** for derived in-place overloads: the functional overload they run */
  readonly inplaceOf?: Overload;
}

export type BackendKernel = (args: Args, outs: Tensor[]) => void;

export interface KernelOptions {
  /** the kernel writes every element of its outputs, so they are allocated without zero-filling */
  writesOutputs?: boolean;
}

export class Registry {
  /** qualified name (`aten::add`) -> overloads in resolution order */
  private readonly byName = new Map<string, Overload[]>();
  private readonly byKey = new Map<string, Overload>();
  /** python name -> qualified names (an op may be reachable from several namespaces) */
  readonly ops: OpDecl[] = [];
  private readonly kernels = new Map<string, Map<DeviceType, BackendKernel>>();
  private readonly fullWriters = new Set<string>();

  constructor(decls: readonly OpDecl[]) {
    for (const d of decls) this.add(d);
  }

  add(op: OpDecl): void {
    this.ops.push(op);
    const opTags = new Set<Tag>(op.tags ?? []);
    for (const decl of op.overloads) {
      const schema = parseSchema(decl.schema);
      const tags = new Set<Tag>([...opTags, ...(decl.tags ?? [])]);
      if (decl.view) tags.add('view');
      const ov: Overload = { op, decl, schema, key: overloadKey(schema), tags };
      this.insert(ov);
      // only a Tensor `self` can be written in place (not pow.Scalar's `Scalar self`)
      const self0 = schema.args[0];
      const tensorSelf = self0?.name === 'self' && self0.type.kind === 'base' && self0.type.name === 'Tensor';
      if (op.inplace && tensorSelf && !decl.view) this.insert(deriveInplace(ov));
    }
  }

  private insert(ov: Overload): void {
    if (this.byKey.has(ov.key)) throw new Error(`op overload ${ov.key} is declared twice`);
    this.byKey.set(ov.key, ov);
    const list = this.byName.get(ov.schema.qualifiedName) ?? [];
    list.push(ov);
    this.byName.set(ov.schema.qualifiedName, list);
  }

  overloads(qualifiedName: string): readonly Overload[] | undefined {
    return this.byName.get(qualifiedName);
  }
  overload(key: string): Overload | undefined {
    return this.byKey.get(key);
  }
  qualifiedNames(): string[] {
    return [...this.byName.keys()];
  }
  allOverloads(): Overload[] {
    return [...this.byKey.values()];
  }

  registerKernel(key: string, device: DeviceType, kernel: BackendKernel, opts: KernelOptions = {}): void {
    if (!this.byKey.has(key)) throw new Error(`registerKernel: no op overload ${key} in the registry`);
    let m = this.kernels.get(key);
    if (!m) this.kernels.set(key, (m = new Map()));
    m.set(device, kernel);
    if (opts.writesOutputs) this.fullWriters.add(`${key}@${device}`);
    else this.fullWriters.delete(`${key}@${device}`);
  }
  /** Whether the registered kernel of `key` on `device` writes every element of its outputs. */
  kernelWritesOutputs(key: string, device: DeviceType): boolean {
    return this.fullWriters.has(`${key}@${device}`);
  }
  kernel(key: string, device: DeviceType): BackendKernel | undefined {
    return this.kernels.get(key)?.get(device);
  }
  devicesWithKernel(key: string): DeviceType[] {
    return [...(this.kernels.get(key)?.keys() ?? [])];
  }
}

export function overloadKey(s: FunctionSchema): string {
  return s.overload ? `${s.qualifiedName}.${s.overload}` : s.qualifiedName;
}

function deriveInplace(ov: Overload): Overload {
  const s = ov.schema;
  const text = s.text
    .replace(`${s.qualifiedName}`, `${s.qualifiedName}_`)
    .replace(/\(Tensor self/, '(Tensor(a!) self')
    .replace(/->\s*Tensor\s*$/, '-> Tensor(a!)');
  const schema = parseSchema(text);
  const tags = new Set<Tag>([...ov.tags, 'inplace']);
  return { op: ov.op, decl: ov.decl, schema, key: overloadKey(schema), tags, inplaceOf: ov };
}
