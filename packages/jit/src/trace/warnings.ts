import type { SourceLocation } from '@torchlet/ir';

/**
 * A warning about a trace that may not generalise to other inputs (PyTorch's TracerWarning): a
 * tensor value was read into JavaScript, a tensor was created outside the op registry, an op
 * returned a JS value computed from tensor data, or `checkTrace` found a difference.
 */
export class TracerWarning extends Error {
  override name = 'TracerWarning';
  constructor(
    message: string,
    /** what triggered it: 'item', 'tolist', 'data', 'dataSync', 'host', 'constant', 'scalar-result', 'check', 'output', 'nondeterministic' */
    readonly kind: string,
    /** the JS call site, when known */
    readonly location?: SourceLocation,
  ) {
    super(location ? `${message}\n  at ${formatLocation(location)}` : message);
  }
}

/** Thrown instead of a TracerWarning with `{strict: true}`, and for inputs/outputs that cannot be traced. */
export class TracingError extends Error {
  override name = 'TracingError';
  constructor(
    message: string,
    readonly kind = 'error',
    readonly location?: SourceLocation,
  ) {
    super(location ? `${message}\n  at ${formatLocation(location)}` : message);
  }
}

export function formatLocation(s: SourceLocation): string {
  return `${s.file}:${s.line}${s.col !== undefined ? `:${s.col}` : ''}`;
}

/** Frames inside torchlet's own sources (and the tracer itself) are skipped when looking for the caller. */
const INTERNAL = /[\\/]packages[\\/](core|ir|nn|jit|onnx|torchlet|backend-wasm)[\\/](src|dist)[\\/]|[\\/]node_modules[\\/](@torchlet[\\/]|torchlet[\\/]|vitest|@vitest|tinypool|tsx)|^node:|^internal[\\/]|<anonymous>/;
const FRAME = /(?:\(|at\s)((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

function cwd(): string | undefined {
  const p = (globalThis as { process?: { cwd?: () => string } }).process;
  try {
    return p?.cwd?.();
  } catch {
    return undefined;
  }
}

/** The first stack frame outside torchlet: the user's line that called the op (or read the tensor). */
export function callerLocation(): SourceLocation | undefined {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 64;
  const stack = new Error().stack ?? '';
  E.stackTraceLimit = limit;
  const base = cwd();
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    let file = m[1]!;
    if (INTERNAL.test(file)) continue;
    if (file.startsWith('file://')) file = decodeURIComponent(file.slice(7));
    if (base && file.startsWith(base + '/')) file = file.slice(base.length + 1);
    return { file, line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}
