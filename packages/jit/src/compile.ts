import { printGraph, type Graph } from '@torchlet/ir';
import { ScriptRuntimeError } from './errors.js';
import { bindArgs } from './ivalue.js';
import { runGraph } from './runtime.js';
import { compileFunction, type CompileOptions } from './script/compiler.js';
import { CompilationUnit } from './script/unit.js';

/**
 * TorchScript source compiled without an archive: free functions and classes defined in `source`
 * (qualified as `__torch__.<name>`), e.g. for scripting helpers by hand.
 */
export class ScriptedSource {
  constructor(readonly unit: CompilationUnit) {}

  /** Names of the top-level functions. */
  get functions(): string[] {
    const f = this.unit.file('__torch__');
    return f ? [...f.functions.keys()] : [];
  }

  graph(name: string): Graph {
    return this.unit.functionGraph(`__torch__.${name}`);
  }

  /** Printed IR of a function. */
  printed(name: string): string {
    return printGraph(this.graph(name));
  }

  /** Calls a function; missing trailing arguments take their defaults. */
  async call(name: string, ...args: unknown[]): Promise<unknown> {
    if (!this.functions.includes(name)) throw new ScriptRuntimeError(`no function '${name}' in the compiled source (it has: ${this.functions.join(', ')})`);
    const sig = this.unit.functionSig(`__torch__.${name}`);
    const bound = bindArgs(sig, args, name);
    return runGraph(this.unit, this.graph(name), bound);
  }
}

/** Compiles TorchScript source text (Python syntax with type annotations) into callable functions. */
export function compileSource(source: string, opts: CompileOptions & { file?: string } = {}): ScriptedSource {
  const file = opts.file ?? '<source>';
  const unit = new CompilationUnit({ source: (p) => (p === '__torch__' ? { file, text: source } : undefined) }, [], (u, sig) => compileFunction(u, sig, opts));
  // parse now so syntax errors surface here
  unit.file('__torch__');
  return new ScriptedSource(unit);
}
