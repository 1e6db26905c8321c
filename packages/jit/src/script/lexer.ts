import { ScriptSyntaxError } from '../errors.js';

/**
 * Tokenizer for TorchScript source (the Python subset `python_print.cpp` emits, plus the full
 * Python expression/statement syntax TorchScript's own parser accepts): INDENT/DEDENT from
 * leading whitespace, implicit line joining inside brackets, backslash continuations, comments.
 */

export type TokenKind = 'name' | 'int' | 'float' | 'imag' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof';

export interface Token {
  kind: TokenKind;
  /** source text (for strings: the decoded value) */
  value: string;
  line: number;
  col: number;
  /** offset in the source */
  offset: number;
}

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '->', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', ':=',
  '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '=',
];

export class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly tokens: Token[] = [];
  private readonly indents: number[] = [0];
  private depth = 0;
  readonly lines: string[];

  constructor(
    readonly source: string,
    readonly file: string,
  ) {
    this.lines = source.split('\n');
  }

  private error(msg: string, line = this.line, col = this.pos - this.lineStart + 1): never {
    throw new ScriptSyntaxError(msg, { file: this.file, line, col }, this.lines[line - 1]);
  }

  private push(kind: TokenKind, value: string, start: number, line = this.line, lineStart = this.lineStart): void {
    this.tokens.push({ kind, value, line, col: start - lineStart + 1, offset: start });
  }

  tokenize(): Token[] {
    const src = this.source;
    let atLineStart = true;
    while (this.pos < src.length) {
      if (atLineStart && this.depth === 0) {
        atLineStart = false;
        // measure indentation; skip blank and comment-only lines
        let col = 0;
        let p = this.pos;
        while (p < src.length && (src[p] === ' ' || src[p] === '\t' || src[p] === '\f')) {
          col = src[p] === '\t' ? (Math.floor(col / 8) + 1) * 8 : src[p] === '\f' ? 0 : col + 1;
          p++;
        }
        const c = src[p];
        if (c === undefined || c === '\n' || c === '\r' || c === '#') {
          // blank line: consume it entirely
          while (p < src.length && src[p] !== '\n') p++;
          this.pos = p;
          if (p < src.length) this.newlineChar();
          atLineStart = true;
          continue;
        }
        this.pos = p;
        const cur = this.indents[this.indents.length - 1]!;
        if (col > cur) {
          this.indents.push(col);
          this.push('indent', '', this.pos);
        } else if (col < cur) {
          while (col < this.indents[this.indents.length - 1]!) {
            this.indents.pop();
            this.push('dedent', '', this.pos);
          }
          if (col !== this.indents[this.indents.length - 1]) this.error('unindent does not match any outer indentation level');
        }
      }
      const c = src[this.pos]!;
      if (c === '\n') {
        if (this.depth === 0) {
          this.push('newline', '', this.pos);
          atLineStart = true;
        }
        this.newlineChar();
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
        this.pos++;
        continue;
      }
      if (c === '#') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (c === '\\' && (src[this.pos + 1] === '\n' || (src[this.pos + 1] === '\r' && src[this.pos + 2] === '\n'))) {
        this.pos += src[this.pos + 1] === '\r' ? 2 : 1;
        this.newlineChar();
        continue;
      }
      if (isIdentStart(c)) {
        const start = this.pos;
        while (this.pos < src.length && isIdentChar(src[this.pos]!)) this.pos++;
        const word = src.slice(start, this.pos);
        // string prefixes: r"..", b"..", u"..", rb"..", f".."
        if (/^(?:[rRuUbB]|[rR][bB]|[bB][rR]|[fF]|[rR][fF]|[fF][rR])$/.test(word) && (src[this.pos] === '"' || src[this.pos] === "'")) {
          if (/[fF]/.test(word)) this.error('f-strings are not supported in TorchScript source');
          this.string(start, /[rR]/.test(word));
          continue;
        }
        this.push('name', word, start);
        continue;
      }
      if (isDigit(c) || (c === '.' && isDigit(src[this.pos + 1] ?? ''))) {
        this.number();
        continue;
      }
      if (c === '"' || c === "'") {
        this.string(this.pos, false);
        continue;
      }
      const op = OPERATORS.find((o) => src.startsWith(o, this.pos));
      if (!op) this.error(`unexpected character ${JSON.stringify(c)}`);
      if (op === '(' || op === '[' || op === '{') this.depth++;
      else if (op === ')' || op === ']' || op === '}') {
        if (this.depth === 0) this.error(`unmatched '${op}'`);
        this.depth--;
      }
      this.push('op', op, this.pos);
      this.pos += op.length;
    }
    if (this.depth > 0) this.error('unexpected end of file inside brackets');
    const last = this.tokens[this.tokens.length - 1];
    if (last && last.kind !== 'newline' && last.kind !== 'dedent') this.push('newline', '', this.pos);
    while (this.indents.length > 1) {
      this.indents.pop();
      this.push('dedent', '', this.pos);
    }
    this.push('eof', '', this.pos);
    return this.tokens;
  }

  private newlineChar(): void {
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  private number(): void {
    const src = this.source;
    const start = this.pos;
    const rest = src.slice(this.pos);
    let m = /^0[xX][0-9a-fA-F_]+|^0[oO][0-7_]+|^0[bB][01_]+/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      this.push('int', String(Number(m[0].replace(/_/g, ''))), start);
      return;
    }
    m = /^(?:\d[\d_]*\.?[\d_]*(?:[eE][-+]?\d+)?|\.\d[\d_]*(?:[eE][-+]?\d+)?)/.exec(rest);
    if (!m) this.error('bad number literal');
    let text = m[0];
    this.pos += text.length;
    text = text.replace(/_/g, '');
    if (src[this.pos] === 'j' || src[this.pos] === 'J') {
      this.pos++;
      this.push('imag', text, start);
      return;
    }
    if (isIdentChar(src[this.pos] ?? ' ')) this.error(`bad number literal '${text}${src[this.pos]}'`);
    this.push(/[.eE]/.test(text) ? 'float' : 'int', text, start);
  }

  private string(start: number, raw: boolean): void {
    const src = this.source;
    while (src[this.pos] !== '"' && src[this.pos] !== "'") this.pos++;
    const q = src[this.pos]!;
    const triple = src.startsWith(q + q + q, this.pos);
    const startLine = this.line, startLineStart = this.lineStart;
    this.pos += triple ? 3 : 1;
    let out = '';
    for (;;) {
      if (this.pos >= src.length) this.error('unterminated string literal', startLine, start - startLineStart + 1);
      const c = src[this.pos]!;
      if (triple ? src.startsWith(q + q + q, this.pos) : c === q) {
        this.pos += triple ? 3 : 1;
        break;
      }
      if (c === '\n') {
        if (!triple) this.error('unterminated string literal (end of line)', startLine, start - startLineStart + 1);
        out += c;
        this.newlineChar();
        continue;
      }
      if (c === '\\' && !raw) {
        const n = src[this.pos + 1];
        if (n === undefined) this.error('unterminated string literal');
        this.pos += 2;
        switch (n) {
          case '\n':
            this.line++;
            this.lineStart = this.pos;
            break;
          case '\\': out += '\\'; break;
          case '"': out += '"'; break;
          case "'": out += "'"; break;
          case 'a': out += '\x07'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'v': out += '\v'; break;
          case 'x': {
            const h = src.slice(this.pos, this.pos + 2);
            if (!/^[0-9a-fA-F]{2}$/.test(h)) this.error('bad \\x escape');
            out += String.fromCharCode(parseInt(h, 16));
            this.pos += 2;
            break;
          }
          case 'u': case 'U': {
            const len = n === 'u' ? 4 : 8;
            const h = src.slice(this.pos, this.pos + len);
            if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) this.error(`bad \\${n} escape`);
            out += String.fromCodePoint(parseInt(h, 16));
            this.pos += len;
            break;
          }
          default:
            if (n >= '0' && n <= '7') {
              let o = n;
              while (o.length < 3 && src[this.pos]! >= '0' && src[this.pos]! <= '7') o += src[this.pos++];
              out += String.fromCharCode(parseInt(o, 8));
            } else out += '\\' + n;
        }
        continue;
      }
      out += c;
      this.pos++;
    }
    this.push('string', out, start, startLine, startLineStart);
  }
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
}
function isIdentChar(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function tokenize(source: string, file: string): Token[] {
  return new Lexer(source, file).tokenize();
}
