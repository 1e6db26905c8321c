import { readFileSync, readdirSync } from 'node:fs';
import { tensor } from '@torchlet/core';
import { describe, expect, it } from 'vitest';
import { compileSource, ScriptCompileError, ScriptRuntimeError, ScriptSyntaxError } from '../src/index.js';
import { openZip } from '../src/archive/zip.js';
import type { Expr, Stmt } from '../src/script/ast.js';
import { tokenize } from '../src/script/lexer.js';
import { parseSource, Parser } from '../src/script/parser.js';
import { TEST_MODELS, compareValues } from './helpers.js';

const kinds = (src: string): string => tokenize(src, 't.py').map((t) => (t.kind === 'name' || t.kind === 'op' || t.kind === 'int' || t.kind === 'float' ? t.value : t.kind.toUpperCase())).join(' ');

describe('lexer', () => {
  it('emits INDENT/DEDENT and joins lines inside brackets', () => {
    const src = 'class A(Module):\n  def f(self: A,\n    x: Tensor) -> Tensor:\n    if x:\n      pass\n    return x\n';
    expect(kinds(src)).toBe(
      'class A ( Module ) : NEWLINE INDENT def f ( self : A , x : Tensor ) -> Tensor : NEWLINE INDENT if x : NEWLINE INDENT pass NEWLINE DEDENT return x NEWLINE DEDENT DEDENT EOF',
    );
  });

  it('skips blank lines and comments and handles backslash continuations', () => {
    expect(kinds('x = 1  # c\n\n   # only comment\ny = \\\n  2\n')).toBe('x = 1 NEWLINE y = 2 NEWLINE EOF');
  });

  it('keeps the int/float distinction of number tokens', () => {
    const t = tokenize('1 1. 0.10000000000000001 1.0000000000000001e-05 1e+280 9223372036854775807 0x1F 2.j', 't');
    expect(t.slice(0, 8).map((x) => [x.kind, x.value])).toEqual([
      ['int', '1'], ['float', '1.'], ['float', '0.10000000000000001'], ['float', '1.0000000000000001e-05'], ['float', '1e+280'],
      ['int', '9223372036854775807'], ['int', '31'], ['imag', '2.'],
    ]);
  });

  it('decodes the string escapes the printer writes', () => {
    const [s] = tokenize(String.raw`"a\"b\\c\n\t\000\037\177\x41\u00e9" 'single' """tri"ple"""`, 't');
    expect(s!.value).toBe('a"b\\c\n\t\u0000\u001f\u007fAé');
    const ts = tokenize(String.raw`"a\"b" 'single' """tri"ple"""`, 't').filter((x) => x.kind === 'string').map((x) => x.value);
    expect(ts).toEqual(['a"b', 'single', 'tri"ple']);
  });

  it('reports positions of lexical errors', () => {
    expect(() => tokenize('x = 1\ny = "abc\n', 'code/m.py')).toThrow(/code\/m.py:2:5: unterminated string literal/);
    expect(() => tokenize('if x:\n    a = 1\n  b = 2\n', 'f.py')).toThrow(/f.py:3:3: unindent does not match/);
    expect(() => tokenize('x = (1, 2\n', 'f.py')).toThrow(/inside brackets/);
    expect(() => tokenize('x = $y\n', 'f.py')).toThrow(ScriptSyntaxError);
  });
});

/** The expression of `x = <e>` parsed back to a fully parenthesized string. */
function show(e: Expr): string {
  switch (e.k) {
    case 'Name': return e.id;
    case 'Int': return e.text;
    case 'Float': return String(e.value);
    case 'Str': return JSON.stringify(e.value);
    case 'Bool': return String(e.value);
    case 'None': return 'None';
    case 'BinOp': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'UnaryOp': return `(${e.op} ${show(e.operand)})`;
    case 'BoolOp': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Compare': return `(${show(e.left)}${e.ops.map((o, i) => ` ${o} ${show(e.comparators[i]!)}`).join('')})`;
    case 'IfExp': return `(${show(e.body)} if ${show(e.test)} else ${show(e.orelse)})`;
    case 'Call': return `${show(e.func)}(${[...e.args.map(show), ...e.kwargs.map((k) => `${k.name}=${show(k.value)}`)].join(', ')})`;
    case 'Attr': return `${show(e.value)}.${e.attr}`;
    case 'Subscript': return `${show(e.value)}[${show(e.index)}]`;
    case 'Slice': return `${e.lower ? show(e.lower) : ''}:${e.upper ? show(e.upper) : ''}${e.step ? `:${show(e.step)}` : ''}`;
    case 'Tuple': return `(${e.elts.map(show).join(', ')}${e.elts.length === 1 ? ',' : ''})`;
    case 'List': return `[${e.elts.map(show).join(', ')}]`;
    case 'Dict': return `{${e.keys.map((k, i) => `${show(k)}: ${show(e.values[i]!)}`).join(', ')}}`;
    case 'Ellipsis': return '...';
    default: return e.k;
  }
}
const expr = (src: string): string => {
  const s = parseSource(`x = ${src}\n`, 't').body[0] as Stmt & { k: 'Assign' };
  return show(s.value);
};

describe('parser', () => {
  it('uses Python operator precedence', () => {
    expect(expr('a + b * c ** -d')).toBe('(a + (b * (c ** (- d))))');
    expect(expr('-a ** 2')).toBe('(- (a ** 2))');
    expect(expr('a | b ^ c & d << 1 + 2')).toBe('(a | (b ^ (c & (d << (1 + 2)))))');
    expect(expr('not a == b and c or d')).toBe('(((not (a == b)) and c) or d)');
    expect(expr('a < b <= c is not None')).toBe('(a < b <= c is not None)');
    expect(expr('x if c else y if d else z')).toBe('(x if c else (y if d else z))');
    expect(expr('a in b and c not in d')).toBe('((a in b) and (c not in d))');
    expect(expr('a - b - c')).toBe('((a - b) - c)');
    expect(expr('2 ** 3 ** 2')).toBe('(2 ** (3 ** 2))');
  });

  it('folds negative literals and parses the printer\'s call forms', () => {
    expect(expr('-1')).toBe('-1');
    expect(expr('torch.slice(x, 0, None, None, 2)')).toBe('torch.slice(x, 0, None, None, 2)');
    expect(expr('(fc).forward(x, )')).toBe('fc.forward(x)');
    expect(expr('torch.zeros([3], dtype=7, layout=None)')).toBe('torch.zeros([3], dtype=7, layout=None)');
    expect(expr('getattr(self, "0")')).toBe('getattr(self, "0")');
    expect(expr('(tup)[1:3]')).toBe('tup[1:3]');
    expect(expr('x[..., None, ::2]')).toBe('x[(..., None, ::2)]');
    expect(expr('{"a": 1, "b": [1, 2]}')).toBe('{"a": 1, "b": [1, 2]}');
    expect(expr('(1,)')).toBe('(1,)');
    expect(expr('()')).toBe('()');
  });

  it('parses statements: parallel and unpacking assignment, annotated, augmented, elif, loops', () => {
    const m = parseSource('a, b, = t\nh3, opt0 = x, y\nz : Optional[int] = None\nq += 1\nif a:\n  pass\nelif b:\n  pass\nelse:\n  pass\nfor i, x in enumerate(l):\n  break\nwhile a: continue\n', 't');
    expect(m.body.map((s) => s.k)).toEqual(['Assign', 'Assign', 'AnnAssign', 'AugAssign', 'If', 'For', 'While']);
    const unpack = m.body[0] as Stmt & { k: 'Assign' };
    expect(show(unpack.targets[0]!)).toBe('(a, b)');
    const elif = m.body[4] as Stmt & { k: 'If' };
    expect(elif.orelse[0]!.k).toBe('If');
  });

  it('parses every code/ file of the sample and reference archives', () => {
    const files = [
      ...readdirSync(`${TEST_MODELS}torchscript/samples`).filter((f) => f.endsWith('.pt')).map((f) => `${TEST_MODELS}torchscript/samples/${f}`),
      ...readdirSync(`${TEST_MODELS}pytorch`).map((d) => `${TEST_MODELS}pytorch/${d}/model.pt`),
    ];
    let n = 0;
    for (const f of files) {
      const z = openZip(new Uint8Array(readFileSync(f)));
      for (const name of z.names().filter((x) => x.startsWith('code/') && x.endsWith('.py'))) {
        new Parser(z.readText(name), name).parseModule();
        n++;
      }
    }
    expect(n).toBeGreaterThan(40);
  });

  it('reports syntax errors with file, line and column', () => {
    expect(() => parseSource('def f(x: int) -> int:\n  return x +\n', 'code/__torch__.py')).toThrow(/code\/__torch__.py:2:13: expected an expression but found end of line/);
    expect(() => parseSource('def f(x: int) -> int:\nreturn x\n', 'f.py')).toThrow(/f.py:2:1: expected an indented block/);
    expect(() => parseSource('x = lambda y: y\n', 'f.py')).toThrow(/lambda is not supported/);
    expect(() => parseSource('f(a=1, 2)\n', 'f.py')).toThrow(/positional argument follows keyword argument/);
  });
});

describe('compiler (hand-written TorchScript source)', () => {
  interface Call { fn: string; args: unknown[]; result: unknown }
  const fx = JSON.parse(readFileSync(`${TEST_MODELS}torchscript/cases/source_cases.json`, 'utf8')) as { source: string; calls: Call[] };
  const dec = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(dec);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('tensor' in o) return tensor(o.tensor as number[], { dtype: o.dtype as 'float32' });
      if ('tuple' in o) return (o.tuple as unknown[]).map(dec);
      if ('dict' in o) return new Map((o.dict as [string, unknown][]).map(([k, x]) => [k, dec(x)]));
    }
    return v;
  };
  const src = compileSource(fx.source, { file: 'source_cases.py' });
  for (const c of fx.calls) {
    it(`${c.fn}(${JSON.stringify(c.args).slice(1, -1).slice(0, 50)}) matches TorchScript`, async () => {
      const out = await src.call(c.fn, ...c.args.map(dec));
      expect(compareValues(out, dec(c.result), { rtol: 1e-5, atol: 1e-6 })).toEqual([]);
    });
  }

  it('stores the overload chosen from static types on each node', () => {
    const g = compileSource('def f(a: int, b: float, t: Tensor) -> Tensor:\n  c = a + 1\n  d = b * a\n  return t + c + d\n').printed('f');
    expect(g).toContain('aten::add.int');
    expect(g).toContain('aten::mul.float_int');
    expect(g).toContain('aten::add.Scalar');
  });

  it('emits structured control flow (prim::If outputs, prim::Loop carried values)', () => {
    const g = compileSource('def f(n: int) -> int:\n  s = 0\n  for i in range(n):\n    if i % 2 == 0:\n      s = s + i\n  return s\n').printed('f');
    expect(g).toMatch(/%s\S* : int = prim::Loop\(%n, %\d+, %\d+\)/);
    expect(g).toMatch(/%s\S* : int = prim::If/);
  });

  it('reports compile errors with the source line', async () => {
    expect(() => compileSource('def f(x: int) -> int:\n  return y\n').graph('f')).toThrow(/<source>:2:10: undefined value 'y'\n\s+return y/);
    expect(() => compileSource('def f(x: int) -> str:\n  return x\n').graph('f')).toThrow(ScriptCompileError);
    expect(() => compileSource('def f(x: int) -> int:\n  if x > 0:\n    y = 1\n  else:\n    y = "a"\n  return y\n').graph('f')).toThrow(/undefined value 'y'/);
    expect(() => compileSource('def f(x: int) -> int:\n  y = 1\n  if x > 0:\n    y = "s"\n  return y\n').graph('f')).toThrow(/<source>:3:6: variable 'y' has type str in the true branch and type int in the false branch/);
    expect(() => compileSource('def f(x: int) -> int:\n  break\n  return x\n').graph('f')).toThrow(/'break' outside a loop/);
    expect(() => compileSource('def f(x: Tensor) -> Tensor:\n  return torch.frobnicate(x)\n', { strictOps: true }).graph('f')).toThrow(/<source>:2:\d+: unsupported op aten::frobnicate/);
  });

  it('checks argument types and counts of calls into compiled code', async () => {
    const s = compileSource('def f(x: Tensor, n: int=2) -> Tensor:\n  return x * n\n');
    await expect(s.call('f', 3)).rejects.toThrow(/argument 'x' of f\(\) must be Tensor, not int 3/);
    await expect(s.call('f', tensor([1]), 2.5)).rejects.toThrow(/argument 'n' of f\(\) must be int, not float 2.5/);
    await expect(s.call('f', tensor([1]), 1, 2)).rejects.toThrow(/takes 2 argument\(s\) \(x, n\) but 3 were given/);
    await expect(s.call('f')).rejects.toThrow(/missing argument 'x'/);
    expect(((await s.call('f', tensor([1.5]))) as { tolist(): unknown }).tolist()).toEqual([3]);
  });

  it('raises script exceptions with their Python class', async () => {
    const s = compileSource('def f(x: int) -> int:\n  if x < 0:\n    raise ValueError("negative: " + str(x))\n  assert x != 3, "three"\n  return x\n');
    await expect(s.call('f', -2)).rejects.toThrow(/ValueError: negative: -2/);
    await expect(s.call('f', 3)).rejects.toThrow(/AssertionError: three/);
    const err = await s.call('f', -1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScriptRuntimeError);
    expect((err as ScriptRuntimeError).pythonClass).toBe('builtins.ValueError');
    expect(await s.call('f', 5)).toBe(5);
  });

  it('supports comprehension filters, chained comparisons and Optional refinement', async () => {
    const s = compileSource([
      'def f(xs: List[int], k: Optional[int]) -> List[int]:',
      '  ys = [x * 2 for x in xs if 0 < x < 10]',
      '  if k is not None and k > 1:',
      '    ys.append(k)',
      '  return ys',
    ].join('\n'));
    expect(await s.call('f', [1, 20, 3, -4], 7)).toEqual([2, 6, 7]);
    expect(await s.call('f', [5], null)).toEqual([10]);
    const d = compileSource('def g(xs: List[str]) -> Dict[str, int]:\n  return {x: len(x) for x in xs if x != "b"}\n');
    expect(await d.call('g', ['a', 'b', 'ccc'])).toEqual(new Map([['a', 1], ['ccc', 3]]));
  });
});
