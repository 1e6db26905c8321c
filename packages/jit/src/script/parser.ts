import { ScriptSyntaxError } from '../errors.js';
import type { BinOpName, ClassDef, CmpOpName, Expr, FunctionDef, Keyword, Module, Param, Pos, Stmt } from './ast.js';
import { Lexer, type Token } from './lexer.js';

/**
 * Recursive-descent parser for TorchScript source with precedence climbing for binary operators
 * (Python precedence: `if-else` < `or` < `and` < `not` < comparisons < `|` < `^` < `&` < shifts <
 * `+ -` < `* / // % @` < unary `- + ~` < `**` < primary).
 */

const BINARY_PREC: Record<string, number> = {
  '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '//': 6, '%': 6, '@': 6,
};
const AUG_OPS: Record<string, BinOpName> = {
  '+=': '+', '-=': '-', '*=': '*', '/=': '/', '//=': '//', '%=': '%', '**=': '**', '@=': '@', '&=': '&', '|=': '|', '^=': '^', '<<=': '<<', '>>=': '>>',
};
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'for', 'from',
  'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

export class Parser {
  private i = 0;
  private readonly toks: Token[];
  private readonly lines: string[];

  constructor(
    readonly source: string,
    readonly file: string,
  ) {
    const lx = new Lexer(source, file);
    this.toks = lx.tokenize();
    this.lines = lx.lines;
  }

  // ------------------------------------------------------------------ token helpers
  private get tok(): Token {
    return this.toks[this.i]!;
  }
  private kindNow(): Token['kind'] {
    return this.tok.kind;
  }
  private peekTok(n = 1): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]!;
  }
  private pos(t: Token = this.tok): Pos {
    return { line: t.line, col: t.col };
  }
  private error(msg: string, t: Token = this.tok): never {
    throw new ScriptSyntaxError(msg, { file: this.file, line: t.line, col: t.col }, this.lines[t.line - 1]);
  }
  private describe(t: Token): string {
    switch (t.kind) {
      case 'eof': return 'end of file';
      case 'newline': return 'end of line';
      case 'indent': return 'an indent';
      case 'dedent': return 'a dedent';
      case 'string': return 'a string';
      default: return `'${t.value}'`;
    }
  }
  private isOp(v: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.value === v;
  }
  private isKw(v: string, t: Token = this.tok): boolean {
    return t.kind === 'name' && t.value === v;
  }
  private eatOp(v: string): boolean {
    if (this.isOp(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  private eatKw(v: string): boolean {
    if (this.isKw(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expectOp(v: string): Token {
    if (!this.isOp(v)) this.error(`expected '${v}' but found ${this.describe(this.tok)}`);
    return this.toks[this.i++]!;
  }
  private expectKw(v: string): void {
    if (!this.isKw(v)) this.error(`expected '${v}' but found ${this.describe(this.tok)}`);
    this.i++;
  }
  private expectKind(kind: Token['kind'], what: string): Token {
    if (this.tok.kind !== kind) this.error(`expected ${what} but found ${this.describe(this.tok)}`);
    return this.toks[this.i++]!;
  }
  private ident(): string {
    const t = this.tok;
    if (t.kind !== 'name' || KEYWORDS.has(t.value)) this.error(`expected a name but found ${this.describe(t)}`);
    this.i++;
    return t.value;
  }

  // ------------------------------------------------------------------ module / statements
  parseModule(): Module {
    const body: Stmt[] = [];
    while (this.tok.kind !== 'eof') {
      if (this.tok.kind === 'newline') {
        this.i++;
        continue;
      }
      if (this.tok.kind === 'indent') this.error('unexpected indent');
      body.push(...this.statement());
    }
    return { file: this.file, body, lines: this.lines };
  }

  private block(): Stmt[] {
    this.expectOp(':');
    if (this.tok.kind !== 'newline') {
      // `if x: pass` — simple statements on the same line
      const s = this.simpleStatements();
      return s;
    }
    this.i++;
    if (this.kindNow() !== 'indent') this.error('expected an indented block');
    this.i++;
    const body: Stmt[] = [];
    while (this.kindNow() !== 'dedent' && this.kindNow() !== 'eof') {
      if (this.tok.kind === 'newline') {
        this.i++;
        continue;
      }
      body.push(...this.statement());
    }
    this.expectKind('dedent', 'a dedent');
    return body;
  }

  private statement(): Stmt[] {
    const t = this.tok;
    if (t.kind === 'name') {
      switch (t.value) {
        case 'def': return [this.funcDef()];
        case 'class': return [this.classDef()];
        case 'if': return [this.ifStmt()];
        case 'for': return [this.forStmt()];
        case 'while': {
          this.i++;
          const test = this.expr();
          return [{ k: 'While', pos: this.pos(t), test, body: this.block() }];
        }
        case 'with': return [this.withStmt()];
        case 'try': this.error('try/except is not supported in TorchScript');
        // eslint-disable-next-line no-fallthrough
        default:
          break;
      }
    }
    if (this.isOp('@')) this.error('decorators are not supported in serialized TorchScript');
    return this.simpleStatements();
  }

  private simpleStatements(): Stmt[] {
    const out: Stmt[] = [this.simpleStatement()];
    while (this.eatOp(';')) {
      if (this.tok.kind === 'newline') break;
      out.push(this.simpleStatement());
    }
    if (this.tok.kind !== 'eof') this.expectKind('newline', 'end of line');
    return out;
  }

  private simpleStatement(): Stmt {
    const t = this.tok;
    const pos = this.pos(t);
    if (t.kind === 'name') {
      switch (t.value) {
        case 'pass': this.i++; return { k: 'Pass', pos };
        case 'break': this.i++; return { k: 'Break', pos };
        case 'continue': this.i++; return { k: 'Continue', pos };
        case 'return': {
          this.i++;
          const value = this.atStatementEnd() ? null : this.exprList();
          return { k: 'Return', pos, value };
        }
        case 'raise': {
          this.i++;
          const exc = this.atStatementEnd() ? null : this.expr();
          if (this.eatKw('from')) this.expr();
          return { k: 'Raise', pos, exc };
        }
        case 'assert': {
          this.i++;
          const test = this.expr();
          const msg = this.eatOp(',') ? this.expr() : null;
          return { k: 'Assert', pos, test, msg };
        }
        case 'del': {
          this.i++;
          const targets = [this.expr()];
          while (this.eatOp(',')) targets.push(this.expr());
          return { k: 'Delete', pos, targets };
        }
        case 'import':
        case 'from': {
          // `import __torch__.x` lines of 1.3-era archives: ignored
          let text = '';
          while (this.tok.kind !== 'newline' && this.tok.kind !== 'eof') text += this.toks[this.i++]!.value + ' ';
          return { k: 'Import', pos, text: text.trim() };
        }
        case 'global': case 'nonlocal': case 'lambda': case 'yield':
          this.error(`'${t.value}' is not supported in TorchScript`);
      }
    }
    const first = this.exprList(true);
    if (this.isOp(':')) {
      // annotated assignment `x : T = v` / class attribute declaration `x : T`
      this.i++;
      const annotation = this.expr();
      const value = this.eatOp('=') ? this.exprList() : null;
      return { k: 'AnnAssign', pos, target: first, annotation, value };
    }
    const aug = this.tok.kind === 'op' ? AUG_OPS[this.tok.value] : undefined;
    if (aug) {
      this.i++;
      const value = this.exprList();
      return { k: 'AugAssign', pos, target: first, op: aug, value };
    }
    if (this.isOp('=')) {
      const targets = [first];
      let value: Expr = first;
      while (this.eatOp('=')) {
        value = this.exprList(true);
        targets.push(value);
      }
      targets.pop();
      return { k: 'Assign', pos, targets, value };
    }
    return { k: 'Expr', pos, value: first };
  }

  private atStatementEnd(): boolean {
    return this.tok.kind === 'newline' || this.tok.kind === 'eof' || this.isOp(';');
  }

  private funcDef(): FunctionDef {
    const pos = this.pos();
    this.expectKw('def');
    const name = this.ident();
    this.expectOp('(');
    const params: Param[] = [];
    while (!this.isOp(')')) {
      const ppos = this.pos();
      if (this.isOp('*') || this.isOp('**')) this.error('*args/**kwargs parameters are not supported in TorchScript');
      const pname = this.ident();
      const annotation = this.eatOp(':') ? this.expr() : null;
      const dflt = this.eatOp('=') ? this.expr() : null;
      params.push({ name: pname, annotation, default: dflt, pos: ppos });
      if (!this.eatOp(',')) break;
    }
    this.expectOp(')');
    const returns = this.eatOp('->') ? this.expr() : null;
    const body = this.block();
    return { k: 'FunctionDef', pos, name, params, returns, body, file: this.file };
  }

  private classDef(): ClassDef {
    const pos = this.pos();
    this.expectKw('class');
    const name = this.ident();
    const bases: Expr[] = [];
    if (this.eatOp('(')) {
      while (!this.isOp(')')) {
        bases.push(this.expr());
        if (!this.eatOp(',')) break;
      }
      this.expectOp(')');
    }
    const body = this.block();
    return { k: 'ClassDef', pos, name, bases, body, file: this.file };
  }

  private ifStmt(): Stmt {
    const pos = this.pos();
    this.i++; // if / elif
    const test = this.expr();
    const body = this.block();
    let orelse: Stmt[] = [];
    if (this.isKw('elif')) orelse = [this.ifStmt()];
    else if (this.eatKw('else')) orelse = this.block();
    return { k: 'If', pos, test, body, orelse };
  }

  private forStmt(): Stmt {
    const pos = this.pos();
    this.expectKw('for');
    const target = this.targetList();
    this.expectKw('in');
    const iter = this.exprList();
    const body = this.block();
    if (this.isKw('else')) this.error('for/else is not supported in TorchScript');
    return { k: 'For', pos, target, iter, body };
  }

  private withStmt(): Stmt {
    const pos = this.pos();
    this.expectKw('with');
    const items: { expr: Expr; target: Expr | null }[] = [];
    do {
      const expr = this.expr();
      const target = this.eatKw('as') ? this.targetList() : null;
      items.push({ expr, target });
    } while (this.eatOp(','));
    return { k: 'With', pos, items, body: this.block() };
  }

  /** `a`, `a, b`, `(a, b)`, `a, b,` — for-loop targets (stops before `in`). */
  private targetList(): Expr {
    const pos = this.pos();
    const first = this.bitOr();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isKw('in') || this.isOp('=') || this.isOp(':')) break;
      elts.push(this.bitOr());
    }
    return { k: 'Tuple', pos, elts };
  }

  // ------------------------------------------------------------------ expressions
  /** `a`, or a tuple display without parentheses: `a, b`, `a,` (trailing comma = 1-tuple). */
  exprList(allowStar = false): Expr {
    const pos = this.pos();
    const first = allowStar && this.isOp('*') ? this.starred() : this.expr();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.atStatementEnd() || this.isOp('=') || this.isOp(')') || this.isOp(':') || (this.tok.kind === 'op' && AUG_OPS[this.tok.value])) break;
      elts.push(allowStar && this.isOp('*') ? this.starred() : this.expr());
    }
    return { k: 'Tuple', pos, elts };
  }

  private starred(): Expr {
    const pos = this.pos();
    this.expectOp('*');
    return { k: 'Starred', pos, value: this.bitOr() };
  }

  expr(): Expr {
    const pos = this.pos();
    if (this.isKw('lambda')) this.error('lambda is not supported in TorchScript');
    const body = this.orTest();
    if (this.isKw('if')) {
      this.i++;
      const test = this.orTest();
      this.expectKw('else');
      const orelse = this.expr();
      return { k: 'IfExp', pos, test, body, orelse };
    }
    return body;
  }

  private orTest(): Expr {
    let left = this.andTest();
    while (this.isKw('or')) {
      const pos = this.pos();
      this.i++;
      left = { k: 'BoolOp', pos, op: 'or', left, right: this.andTest() };
    }
    return left;
  }

  private andTest(): Expr {
    let left = this.notTest();
    while (this.isKw('and')) {
      const pos = this.pos();
      this.i++;
      left = { k: 'BoolOp', pos, op: 'and', left, right: this.notTest() };
    }
    return left;
  }

  private notTest(): Expr {
    if (this.isKw('not')) {
      const pos = this.pos();
      this.i++;
      return { k: 'UnaryOp', pos, op: 'not', operand: this.notTest() };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const pos = this.pos();
    const left = this.bitOr();
    const ops: CmpOpName[] = [];
    const comparators: Expr[] = [];
    for (;;) {
      let op: CmpOpName | undefined;
      const t = this.tok;
      if (t.kind === 'op' && COMPARE_OPS.has(t.value)) {
        op = t.value as CmpOpName;
        this.i++;
      } else if (this.isKw('in')) {
        op = 'in';
        this.i++;
      } else if (this.isKw('not') && this.isKw('in', this.peekTok())) {
        op = 'not in';
        this.i += 2;
      } else if (this.isKw('is')) {
        this.i++;
        op = this.eatKw('not') ? 'is not' : 'is';
      }
      if (!op) break;
      ops.push(op);
      comparators.push(this.bitOr());
    }
    if (!ops.length) return left;
    return { k: 'Compare', pos, left, ops, comparators };
  }

  /** precedence climbing over `| ^ & << >> + - * / // % @` */
  private bitOr(minPrec = 1): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.tok;
      const prec = t.kind === 'op' ? BINARY_PREC[t.value] : undefined;
      if (prec === undefined || prec < minPrec) break;
      this.i++;
      const right = this.bitOr(prec + 1);
      left = { k: 'BinOp', pos: this.pos(t), op: t.value as BinOpName, left, right };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.tok;
    if (this.isOp('-') || this.isOp('+') || this.isOp('~')) {
      this.i++;
      const operand = this.unary();
      const pos = this.pos(t);
      // fold negative literals (the printer writes `-1`, `-1.5`, `-inf`)
      if (t.value === '-' && operand.k === 'Int') return { k: 'Int', pos, value: -operand.value, text: '-' + operand.text };
      if (t.value === '-' && operand.k === 'Float') return { k: 'Float', pos, value: -operand.value };
      if (t.value === '+' && (operand.k === 'Int' || operand.k === 'Float')) return operand;
      return { k: 'UnaryOp', pos, op: t.value as '-' | '+' | '~', operand };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    if (this.isOp('**')) {
      const t = this.tok;
      this.i++;
      const exp = this.unary();
      return { k: 'BinOp', pos: this.pos(t), op: '**', left: base, right: exp };
    }
    return base;
  }

  private primary(): Expr {
    let e = this.atom();
    for (;;) {
      const t = this.tok;
      if (this.isOp('.')) {
        this.i++;
        const nt = this.tok;
        if (nt.kind !== 'name') this.error(`expected an attribute name after '.' but found ${this.describe(nt)}`);
        this.i++;
        e = { k: 'Attr', pos: this.pos(t), value: e, attr: nt.value };
      } else if (this.isOp('(')) {
        this.i++;
        const args: Expr[] = [];
        const kwargs: Keyword[] = [];
        while (!this.isOp(')')) {
          if (this.tok.kind === 'name' && this.isOp('=', this.peekTok()) && !KEYWORDS.has(this.tok.value)) {
            const kpos = this.pos();
            const name = this.tok.value;
            this.i += 2;
            kwargs.push({ name, value: this.expr(), pos: kpos });
          } else {
            if (kwargs.length) this.error('positional argument follows keyword argument');
            if (this.isOp('*') || this.isOp('**')) this.error('*args/**kwargs in calls are not supported in TorchScript');
            const a = this.expr();
            if (this.isKw('for')) args.push(this.comprehension(a, t, 'gen'));
            else args.push(a);
          }
          if (!this.eatOp(',')) break;
        }
        this.expectOp(')');
        e = { k: 'Call', pos: this.pos(t), func: e, args, kwargs };
      } else if (this.isOp('[')) {
        this.i++;
        const index = this.subscriptList();
        this.expectOp(']');
        e = { k: 'Subscript', pos: this.pos(t), value: e, index };
      } else break;
    }
    return e;
  }

  private subscriptList(): Expr {
    const pos = this.pos();
    const first = this.subscript();
    if (!this.isOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      if (this.isOp(']')) break;
      elts.push(this.subscript());
    }
    return { k: 'Tuple', pos, elts };
  }

  private subscript(): Expr {
    const pos = this.pos();
    let lower: Expr | null = null;
    if (!this.isOp(':')) {
      lower = this.expr();
      if (!this.isOp(':')) return lower;
    }
    this.expectOp(':');
    const upper = this.isOp(':') || this.isOp(']') || this.isOp(',') ? null : this.expr();
    let step: Expr | null = null;
    if (this.eatOp(':')) step = this.isOp(']') || this.isOp(',') ? null : this.expr();
    return { k: 'Slice', pos, lower, upper, step };
  }

  private comprehension(elt: Expr, start: Token, kind: 'list' | 'gen'): Expr {
    this.expectKw('for');
    const target = this.targetList();
    this.expectKw('in');
    const iter = this.orTest();
    const conds: Expr[] = [];
    while (this.eatKw('if')) conds.push(this.orTest());
    if (this.isKw('for')) this.error('nested comprehensions are not supported');
    void kind;
    return { k: 'ListComp', pos: this.pos(start), elt, target, iter, conds };
  }

  private atom(): Expr {
    const t = this.tok;
    const pos = this.pos(t);
    switch (t.kind) {
      case 'int': {
        this.i++;
        return { k: 'Int', pos, value: Number(t.value), text: t.value };
      }
      case 'float':
        this.i++;
        return { k: 'Float', pos, value: Number(t.value) };
      case 'imag':
        this.i++;
        return { k: 'Imag', pos, value: Number(t.value) };
      case 'string': {
        this.i++;
        let value = t.value;
        // implicit concatenation of adjacent string literals
        while (this.tok.kind === 'string') value += this.toks[this.i++]!.value;
        return { k: 'Str', pos, value };
      }
      case 'name': {
        switch (t.value) {
          case 'True': this.i++; return { k: 'Bool', pos, value: true };
          case 'False': this.i++; return { k: 'Bool', pos, value: false };
          case 'None': this.i++; return { k: 'None', pos };
          case 'inf': this.i++; return { k: 'Float', pos, value: Infinity };
          case 'nan': this.i++; return { k: 'Float', pos, value: NaN };
          case 'infj': this.i++; return { k: 'Imag', pos, value: Infinity };
          case 'nanj': this.i++; return { k: 'Imag', pos, value: NaN };
        }
        if (KEYWORDS.has(t.value)) this.error(`unexpected keyword '${t.value}'`);
        this.i++;
        return { k: 'Name', pos, id: t.value };
      }
      case 'op':
        break;
      default:
        this.error(`expected an expression but found ${this.describe(t)}`);
    }
    if (this.isOp('...')) {
      this.i++;
      return { k: 'Ellipsis', pos };
    }
    if (this.eatOp('(')) {
      if (this.eatOp(')')) return { k: 'Tuple', pos, elts: [] };
      const first = this.isOp('*') ? this.starred() : this.expr();
      if (this.isKw('for')) {
        const c = this.comprehension(first, t, 'gen');
        this.expectOp(')');
        return c;
      }
      if (this.eatOp(')')) return first;
      const elts = [first];
      while (this.eatOp(',')) {
        if (this.isOp(')')) break;
        elts.push(this.isOp('*') ? this.starred() : this.expr());
      }
      this.expectOp(')');
      return { k: 'Tuple', pos, elts };
    }
    if (this.eatOp('[')) {
      const elts: Expr[] = [];
      if (!this.isOp(']')) {
        const first = this.expr();
        if (this.isKw('for')) {
          const c = this.comprehension(first, t, 'list');
          this.expectOp(']');
          return c;
        }
        elts.push(first);
        while (this.eatOp(',')) {
          if (this.isOp(']')) break;
          elts.push(this.expr());
        }
      }
      this.expectOp(']');
      return { k: 'List', pos, elts };
    }
    if (this.eatOp('{')) {
      const keys: Expr[] = [];
      const values: Expr[] = [];
      if (!this.isOp('}')) {
        const k0 = this.expr();
        this.expectOp(':');
        const v0 = this.expr();
        if (this.isKw('for')) {
          this.expectKw('for');
          const target = this.targetList();
          this.expectKw('in');
          const iter = this.orTest();
          const conds: Expr[] = [];
          while (this.eatKw('if')) conds.push(this.orTest());
          this.expectOp('}');
          return { k: 'DictComp', pos, key: k0, value: v0, target, iter, conds };
        }
        keys.push(k0);
        values.push(v0);
        while (this.eatOp(',')) {
          if (this.isOp('}')) break;
          keys.push(this.expr());
          this.expectOp(':');
          values.push(this.expr());
        }
      }
      this.expectOp('}');
      return { k: 'Dict', pos, keys, values };
    }
    this.error(`expected an expression but found ${this.describe(t)}`);
  }
}

export function parseSource(source: string, file: string): Module {
  return new Parser(source, file).parseModule();
}
