/** Base class of every error the TorchScript loader raises on bad input. */
export class JitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The file is not a readable zip archive, or a zip record is damaged. */
export class ZipError extends JitError {
  constructor(
    message: string,
    /** the zip entry the error is about, when there is one */
    readonly entry?: string,
  ) {
    super(entry === undefined ? message : `${entry}: ${message}`);
  }
}

/** A pickle record (`data.pkl`, `constants.pkl`) is malformed or uses something not allowed. */
export class PickleError extends JitError {
  constructor(
    message: string,
    readonly record?: string,
    readonly position?: number,
  ) {
    super(`${record ?? 'pickle'}${position === undefined ? '' : ` @${position}`}: ${message}`);
  }
}

/** A source location inside `code/...py` of an archive. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export function formatPos(p: SourcePos | undefined): string {
  return p ? `${p.file}:${p.line}:${p.col}` : '<unknown>';
}

/** The TorchScript source in `code/` cannot be tokenized or parsed. */
export class ScriptSyntaxError extends JitError {
  constructor(
    readonly detail: string,
    readonly pos?: SourcePos,
    readonly sourceLine?: string,
  ) {
    super(`${formatPos(pos)}: ${detail}${sourceLine !== undefined ? `\n    ${sourceLine.trim()}` : ''}`);
  }
}

/** The TorchScript source parsed, but cannot be compiled (unknown op, type error, ...). */
export class ScriptCompileError extends JitError {
  constructor(
    readonly detail: string,
    readonly pos?: SourcePos,
    readonly sourceLine?: string,
  ) {
    super(`${pos ? `${formatPos(pos)}: ` : ''}${detail}${sourceLine !== undefined ? `\n    ${sourceLine.trim()}` : ''}`);
  }
}

/** The archive is valid but not something torchlet can load (legacy format, state dict, ...). */
export class UnsupportedArchiveError extends JitError {}

/** A call into a loaded module failed (wrong arguments, an exception raised by the script). */
export class ScriptRuntimeError extends JitError {
  constructor(
    message: string,
    /** Python exception class for `raise`d errors (`builtins.ValueError`) */
    readonly pythonClass?: string,
  ) {
    super(message);
  }
}

/** Compiled code reached an op that torchlet's registry does not provide. */
export class UnsupportedOpError extends ScriptRuntimeError {
  constructor(
    message: string,
    /** `aten::name` (with the argument types when only the overload is missing) */
    readonly op: string,
    readonly pos?: SourcePos,
  ) {
    super(message);
  }
}
