import { Interpreter, ScriptError, type Graph, type ScriptObject } from '@torchlet/ir';
import { ScriptRuntimeError, UnsupportedOpError } from './errors.js';
import type { CompilationUnit } from './script/unit.js';
import { unsupportedReasons } from './script/compiler.js';

const interpreters = new WeakMap<CompilationUnit, Interpreter>();

/** A method's compiled graph by the runtime object's class (compiled on first use). */
export function resolveMethodGraph(unit: CompilationUnit): (obj: ScriptObject, name: string) => Graph | undefined {
  return (obj, name) => (unit.methodSig(obj.type, name) ? unit.methodGraph(obj.type, name) : undefined);
}

/** The IR interpreter for a loaded archive: methods and free functions compile on first call. */
export function interpreterFor(unit: CompilationUnit): Interpreter {
  let it = interpreters.get(unit);
  if (!it) {
    it = new Interpreter({
      resolveMethod: resolveMethodGraph(unit),
      resolveFunction: (q) => unit.functionGraph(q),
    });
    interpreters.set(unit, it);
  }
  return it;
}

/** Runs a compiled graph; returns its single output. Script errors become ScriptRuntimeError / UnsupportedOpError. */
export async function runGraph(unit: CompilationUnit, graph: Graph, args: unknown[]): Promise<unknown> {
  try {
    const outs = await interpreterFor(unit).run(graph, args);
    return outs[0];
  } catch (e) {
    if (e instanceof ScriptError) {
      const n = e.node;
      if (n.hasAttr('unsupported')) {
        const src = n.source;
        const where = src ? `${src.file}:${src.line}${src.col !== undefined ? `:${src.col}` : ''}` : '<unknown>';
        const label = String(n.attr('unsupported'));
        const calls = e.trace.slice(1).map((t) => `\n  called from ${t.source ? `${t.source.file}:${t.source.line}` : t.node}`).join('');
        const err = new UnsupportedOpError(
          `unsupported op ${label} at ${where}${src?.text ? `\n    ${src.text}` : ''}\n  ${unsupportedReasons.get(n) ?? 'not in the op registry'}${calls}`,
          label,
          src ? { file: src.file, line: src.line, col: src.col ?? 0 } : undefined,
        );
        throw err;
      }
      const err = new ScriptRuntimeError(e.message, e.pythonClass);
      (err as { cause?: unknown }).cause = e;
      throw err;
    }
    throw e;
  }
}
