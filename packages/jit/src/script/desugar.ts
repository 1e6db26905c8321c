import type { Expr, Pos, Stmt } from './ast.js';

/**
 * Rewrites `break`, `continue` and early `return` into flag variables and guarded statement lists,
 * so that the compiler only has to emit structured prim::If / prim::Loop (as TorchScript's exit
 * transform does). Synthesized names start with `$`, which no source identifier can.
 *
 *   for x in xs:                       for x in xs:       (loop condition: not $brk)
 *     if c(x):                           $brk = False; $exit = False
 *       break                            if c(x):
 *     f(x)                                 $brk = True; $exit = True
 *                                        if not $exit:
 *                                          f(x)
 */

const name = (id: string, pos: Pos): Expr => ({ k: 'Name', pos, id });
const bool = (value: boolean, pos: Pos): Expr => ({ k: 'Bool', pos, value });
const assign = (id: string, value: Expr, pos: Pos): Stmt => ({ k: 'Assign', pos, targets: [name(id, pos)], value });
const not = (e: Expr, pos: Pos): Expr => ({ k: 'UnaryOp', pos, op: 'not', operand: e });

export const RET_FLAG = '$returned';
export const RET_VALUE = '$retval';
export const loopBreakFlag = (id: number): string => `$brk${id}`;
const loopExitFlag = (id: number): string => `$exit${id}`;

type ExitKinds = { brk: boolean; cont: boolean; ret: boolean };

/** Which exits (not inside nested loops for break/continue) a statement list contains. */
function exitsOf(stmts: readonly Stmt[], inLoop: boolean): ExitKinds {
  const r: ExitKinds = { brk: false, cont: false, ret: false };
  const walk = (ss: readonly Stmt[], nestedLoop: boolean): void => {
    for (const s of ss) {
      switch (s.k) {
        case 'Break': if (!nestedLoop && inLoop) r.brk = true; break;
        case 'Continue': if (!nestedLoop && inLoop) r.cont = true; break;
        case 'Return': r.ret = true; break;
        case 'If': walk(s.body, nestedLoop); walk(s.orelse, nestedLoop); break;
        case 'With': walk(s.body, nestedLoop); break;
        case 'For': case 'While': walk(s.body, true); break;
        default: break;
      }
    }
  };
  walk(stmts, false);
  return r;
}

/** Every path through the list ends in return/raise/break/continue. */
function alwaysExits(stmts: readonly Stmt[]): boolean {
  const last = stmts[stmts.length - 1];
  if (!last) return false;
  switch (last.k) {
    case 'Return': case 'Raise': case 'Break': case 'Continue': return true;
    case 'If': return alwaysExits(last.body) && alwaysExits(last.orelse);
    case 'With': return alwaysExits(last.body);
    default: return false;
  }
}

function containsExit(s: Stmt, inLoop: boolean): boolean {
  const e = exitsOf([s], inLoop);
  return e.brk || e.cont || e.ret;
}

/** True if the function needs the early-return rewrite (a return that is not the last top-level statement). */
export function needsReturnRewrite(body: readonly Stmt[]): boolean {
  for (let i = 0; i < body.length; i++) {
    const s = body[i]!;
    if (s.k === 'Return') return i !== body.length - 1;
    if (s.k !== 'FunctionDef' && s.k !== 'ClassDef' && exitsOf([s], false).ret) return true;
  }
  return false;
}

/** Loops that need the break/continue rewrite get ids; the compiler reads the flag name from here. */
export interface LoopInfo {
  breakFlag: string;
}
export const loopInfo = new WeakMap<Stmt, LoopInfo>();

let nextLoopId = 1;

/**
 * Rewrites a function body. `retType` is the annotation expression for `$retval` (uninitialized
 * at entry) when early returns are present.
 */
export function desugarFunction(body: Stmt[], retType: Expr | null, pos: Pos): Stmt[] {
  const rewriteReturns = needsReturnRewrite(body);
  const out = rewriteList(body, { loopId: undefined, rewriteReturns });
  if (!rewriteReturns) return out;
  const init: Stmt[] = [
    assign(RET_FLAG, bool(false, pos), pos),
    {
      k: 'Assign', pos, targets: [name(RET_VALUE, pos)],
      value: retType
        ? { k: 'Call', pos, func: name('uninitialized', pos), args: [retType], kwargs: [] }
        : { k: 'None', pos },
    },
  ];
  return [...init, ...out, { k: 'Return', pos, value: name(RET_VALUE, pos) }];
}

interface Ctx {
  /** id of the innermost enclosing loop being rewritten, if any */
  loopId: number | undefined;
  rewriteReturns: boolean;
}

/** Rewrites nested loops (which get their own flags) and, within a loop body, this loop's exits. */
function rewriteList(stmts: readonly Stmt[], ctx: Ctx): Stmt[] {
  const out: Stmt[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    const inLoop = ctx.loopId !== undefined;
    switch (s.k) {
      case 'Break':
        if (!inLoop) return [...out, s]; // compiler reports "break outside loop"
        out.push(assign(loopBreakFlag(ctx.loopId!), bool(true, s.pos), s.pos), assign(loopExitFlag(ctx.loopId!), bool(true, s.pos), s.pos));
        return out;
      case 'Continue':
        if (!inLoop) return [...out, s];
        out.push(assign(loopExitFlag(ctx.loopId!), bool(true, s.pos), s.pos));
        return out;
      case 'Return':
        if (!ctx.rewriteReturns) {
          out.push(s);
          return out;
        }
        out.push(
          { k: 'Assign', pos: s.pos, targets: [name(RET_VALUE, s.pos)], value: s.value ?? { k: 'None', pos: s.pos } },
          assign(RET_FLAG, bool(true, s.pos), s.pos),
        );
        if (inLoop) out.push(assign(loopBreakFlag(ctx.loopId!), bool(true, s.pos), s.pos), assign(loopExitFlag(ctx.loopId!), bool(true, s.pos), s.pos));
        return out;
      case 'For':
      case 'While': {
        const loop = rewriteLoop(s, ctx);
        out.push(loop);
        // a return inside the loop: skip the rest of the enclosing list once it happened
        if (ctx.rewriteReturns && exitsOf(s.body, true).ret) {
          if (inLoop) {
            // propagate to the enclosing loop: leave it too
            out.push({
              k: 'If', pos: s.pos, test: name(RET_FLAG, s.pos),
              body: [assign(loopBreakFlag(ctx.loopId!), bool(true, s.pos), s.pos), assign(loopExitFlag(ctx.loopId!), bool(true, s.pos), s.pos)],
              orelse: [],
            });
          }
          const rest = rewriteList(stmts.slice(i + 1), ctx);
          const flag = inLoop ? loopExitFlag(ctx.loopId!) : RET_FLAG;
          if (rest.length) out.push({ k: 'If', pos: s.pos, test: not(name(flag, s.pos), s.pos), body: rest, orelse: [] });
          return out;
        }
        break;
      }
      case 'If':
      case 'With': {
        if (!containsExit(s, inLoop) || (!inLoop && !ctx.rewriteReturns)) {
          out.push(s.k === 'If' ? { ...s, body: rewriteList(s.body, ctx), orelse: rewriteList(s.orelse, ctx) } : { ...s, body: rewriteList(s.body, ctx) });
          break;
        }
        if (s.k === 'If') {
          // `if c: return/break/continue` followed by more code: the rest belongs to the other
          // branch (so `if x is None: return ...` refines x for it), as in Python
          const rest0 = stmts.slice(i + 1);
          if (alwaysExits(s.body) && !alwaysExits(s.orelse)) {
            out.push({ ...s, body: rewriteList(s.body, ctx), orelse: rewriteList([...s.orelse, ...rest0], ctx) });
            return out;
          }
          if (alwaysExits(s.orelse) && !alwaysExits(s.body)) {
            out.push({ ...s, body: rewriteList([...s.body, ...rest0], ctx), orelse: rewriteList(s.orelse, ctx) });
            return out;
          }
        }
        out.push(s.k === 'If' ? { ...s, body: rewriteList(s.body, ctx), orelse: rewriteList(s.orelse, ctx) } : { ...s, body: rewriteList(s.body, ctx) });
        const rest = rewriteList(stmts.slice(i + 1), ctx);
        if (rest.length) {
          const flag = inLoop ? loopExitFlag(ctx.loopId!) : RET_FLAG;
          out.push({ k: 'If', pos: s.pos, test: not(name(flag, s.pos), s.pos), body: rest, orelse: [] });
        }
        return out;
      }
      case 'FunctionDef':
        out.push({ ...s, body: desugarFunction(s.body, s.returns, s.pos) });
        break;
      default:
        out.push(s);
    }
  }
  return out;
}

function rewriteLoop(s: Stmt & { k: 'For' | 'While' }, outer: Ctx): Stmt {
  const ex = exitsOf(s.body, true);
  const needs = ex.brk || ex.cont || (outer.rewriteReturns && ex.ret);
  if (!needs) {
    // still rewrite nested loops inside
    return { ...s, body: rewriteList(s.body, { loopId: undefined, rewriteReturns: outer.rewriteReturns }) };
  }
  const id = nextLoopId++;
  const ctx: Ctx = { loopId: id, rewriteReturns: outer.rewriteReturns };
  const body = [
    assign(loopBreakFlag(id), bool(false, s.pos), s.pos),
    assign(loopExitFlag(id), bool(false, s.pos), s.pos),
    ...rewriteList(s.body, ctx),
  ];
  const loop: Stmt = { ...s, body };
  loopInfo.set(loop, { breakFlag: loopBreakFlag(id) });
  return loop;
}
