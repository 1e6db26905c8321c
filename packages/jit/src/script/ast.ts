/** AST of TorchScript source. Every node carries its source position (1-based line and column). */

export interface Pos {
  line: number;
  col: number;
}

export type Expr =
  | { k: 'Name'; pos: Pos; id: string }
  | { k: 'Int'; pos: Pos; value: number; text: string }
  | { k: 'Float'; pos: Pos; value: number }
  | { k: 'Imag'; pos: Pos; value: number }
  | { k: 'Str'; pos: Pos; value: string }
  | { k: 'Bool'; pos: Pos; value: boolean }
  | { k: 'None'; pos: Pos }
  | { k: 'Ellipsis'; pos: Pos }
  | { k: 'Attr'; pos: Pos; value: Expr; attr: string }
  | { k: 'Call'; pos: Pos; func: Expr; args: Expr[]; kwargs: Keyword[] }
  | { k: 'Subscript'; pos: Pos; value: Expr; index: Expr }
  | { k: 'Slice'; pos: Pos; lower: Expr | null; upper: Expr | null; step: Expr | null }
  | { k: 'Tuple'; pos: Pos; elts: Expr[] }
  | { k: 'List'; pos: Pos; elts: Expr[] }
  | { k: 'Dict'; pos: Pos; keys: Expr[]; values: Expr[] }
  | { k: 'BinOp'; pos: Pos; op: BinOpName; left: Expr; right: Expr }
  | { k: 'UnaryOp'; pos: Pos; op: '-' | '+' | '~' | 'not'; operand: Expr }
  | { k: 'BoolOp'; pos: Pos; op: 'and' | 'or'; left: Expr; right: Expr }
  | { k: 'Compare'; pos: Pos; left: Expr; ops: CmpOpName[]; comparators: Expr[] }
  | { k: 'IfExp'; pos: Pos; test: Expr; body: Expr; orelse: Expr }
  | { k: 'ListComp'; pos: Pos; elt: Expr; target: Expr; iter: Expr; conds: Expr[] }
  | { k: 'DictComp'; pos: Pos; key: Expr; value: Expr; target: Expr; iter: Expr; conds: Expr[] }
  | { k: 'Starred'; pos: Pos; value: Expr };

export type BinOpName = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '&' | '|' | '^' | '<<' | '>>';
export type CmpOpName = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' | 'is not' | 'in' | 'not in';

export interface Keyword {
  name: string;
  value: Expr;
  pos: Pos;
}

export interface Param {
  name: string;
  annotation: Expr | null;
  default: Expr | null;
  pos: Pos;
}

export type Stmt =
  | { k: 'Assign'; pos: Pos; targets: Expr[]; value: Expr }
  | { k: 'AnnAssign'; pos: Pos; target: Expr; annotation: Expr; value: Expr | null }
  | { k: 'AugAssign'; pos: Pos; target: Expr; op: BinOpName; value: Expr }
  | { k: 'Expr'; pos: Pos; value: Expr }
  | { k: 'If'; pos: Pos; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: 'For'; pos: Pos; target: Expr; iter: Expr; body: Stmt[] }
  | { k: 'While'; pos: Pos; test: Expr; body: Stmt[] }
  | { k: 'Break'; pos: Pos }
  | { k: 'Continue'; pos: Pos }
  | { k: 'Pass'; pos: Pos }
  | { k: 'Return'; pos: Pos; value: Expr | null }
  | { k: 'Raise'; pos: Pos; exc: Expr | null }
  | { k: 'Assert'; pos: Pos; test: Expr; msg: Expr | null }
  | { k: 'With'; pos: Pos; items: { expr: Expr; target: Expr | null }[]; body: Stmt[] }
  | { k: 'Delete'; pos: Pos; targets: Expr[] }
  | FunctionDef
  | ClassDef
  | { k: 'Import'; pos: Pos; text: string };

export interface FunctionDef {
  k: 'FunctionDef';
  pos: Pos;
  name: string;
  params: Param[];
  returns: Expr | null;
  body: Stmt[];
  /** the parsed file this definition came from */
  file: string;
}

export interface ClassDef {
  k: 'ClassDef';
  pos: Pos;
  name: string;
  bases: Expr[];
  body: Stmt[];
  file: string;
}

export interface Module {
  file: string;
  body: Stmt[];
  lines: string[];
}
