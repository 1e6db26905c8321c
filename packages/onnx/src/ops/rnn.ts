import { Tensor, tensor, type Args, type OpDecl } from '@torchlet/core';
import { onnxOp, op } from './define.js';

type Act = (x: Tensor) => Tensor;
function activation(name: string, alpha?: number, beta?: number): Act {
  switch (name.toLowerCase()) {
    case 'sigmoid': return (x) => op('aten::sigmoid', x);
    case 'tanh': return (x) => op('aten::tanh', x);
    case 'relu': return (x) => op('aten::relu', x);
    case 'leakyrelu': return (x) => op('aten::leaky_relu', x, alpha ?? 0.01);
    case 'hardsigmoid': return (x) => op('aten::clamp', op('aten::add', op('aten::mul', x, alpha ?? 0.2), beta ?? 0.5), 0, 1);
    case 'affine': return (x) => op('aten::add', op('aten::mul', x, alpha ?? 1), beta ?? 0);
    case 'scaledtanh': return (x) => op('aten::mul', op('aten::tanh', op('aten::mul', x, beta ?? 1)), alpha ?? 1);
    case 'elu': return (x) => op('aten::elu', x, alpha ?? 1);
    case 'softsign': return (x) => op('aten::div', x, op('aten::add', op('aten::abs', x), 1));
    case 'softplus': return (x) => op('aten::log1p', op('aten::exp', x));
    default: throw new Error(`RNN activation '${name}' is not supported`);
  }
}

const RNN_ATTRS = 'float[]? activation_alpha=None, float[]? activation_beta=None, str[]? activations=None, float? clip=None, str direction="forward", int? hidden_size=None, int layout=0';

type Cell = (xt: Tensor, h: Tensor, c: Tensor | null, dir: number) => [Tensor, Tensor | null];

/** The shared time loop of ONNX RNN/GRU/LSTM: returns Y [seq, dirs, batch, hidden], Y_h, Y_c. */
function runRecurrent(a: Args, gates: number, defaults: string[], makeCell: (acts: Act[], W: Tensor, R: Tensor, B: Tensor | null, clip: (t: Tensor) => Tensor) => Cell, withC: boolean): Tensor[] {
  let X = a.X as Tensor;
  if (a.layout === 1) X = op('aten::transpose', X, 0, 1);
  const [seq, batch] = X.shape as [number, number];
  const W = a.W as Tensor, R = a.R as Tensor;
  const dirs = W.shape[0]!;
  const hidden = R.shape[2]!;
  const names = (a.activations as string[] | null) ?? [...defaults, ...(dirs === 2 ? defaults : [])];
  const alphas = (a.activation_alpha as number[] | null) ?? [];
  const betas = (a.activation_beta as number[] | null) ?? [];
  const acts = names.map((n, i) => activation(n, alphas[i], betas[i]));
  const clipV = a.clip as number | null;
  const clip = (t: Tensor) => (clipV === null ? t : op('aten::clamp', t, -clipV, clipV));
  const lens = a.sequence_lens ? Array.from((a.sequence_lens as Tensor).contiguousArray(), Number) : null;
  let h0 = a.initial_h as Tensor | null;
  let c0 = a.initial_c as Tensor | null;
  if (h0 && a.layout === 1) h0 = op('aten::transpose', h0, 0, 1);
  if (c0 && a.layout === 1) c0 = op('aten::transpose', c0, 0, 1);
  const perDir: Tensor[][] = [], hs: Tensor[] = [], cs: Tensor[] = [];
  const k = defaults.length;
  for (let d = 0; d < dirs; d++) {
    const reverse = a.direction === 'reverse' || d === 1;
    const B = a.B ? op('aten::select', a.B, 0, d) : null;
    const cell = makeCell(acts.slice(d * k, d * k + k), op('aten::select', W, 0, d), op('aten::select', R, 0, d), B, clip);
    let h = h0 ? op('aten::select', h0, 0, d) : op('aten::zeros', [batch, hidden], { dtype: X.dtype });
    let c = withC ? (c0 ? op('aten::select', c0, 0, d) : op('aten::zeros', [batch, hidden], { dtype: X.dtype })) : null;
    const ys: Tensor[] = new Array(seq);
    for (let s = 0; s < seq; s++) {
      const t = reverse ? seq - 1 - s : s;
      const [hn, cn] = cell(op('aten::select', X, 0, t), h, c, d);
      if (lens) {
        // batches past their length keep their state and emit zeros
        const active = op('aten::reshape', tensor(lens.map((l) => t < l), { dtype: 'bool' }), [batch, 1]);
        h = op('aten::where', active, hn, h);
        if (c && cn) c = op('aten::where', active, cn, c);
        ys[t] = op('aten::where', active, hn, 0);
      } else {
        h = hn;
        c = cn;
        ys[t] = hn;
      }
    }
    perDir.push(ys);
    hs.push(h);
    if (c) cs.push(c);
  }
  void gates;
  const steps = Array.from({ length: seq }, (_, t) => op('aten::stack', perDir.map((ys) => ys[t]!), 0));
  let Y = seq ? op('aten::stack', steps, 0) : op('aten::zeros', [0, dirs, batch, hidden], { dtype: X.dtype });
  let Yh = op('aten::stack', hs, 0);
  let Yc = withC ? op('aten::stack', cs, 0) : Yh;
  if (a.layout === 1) {
    Y = op('aten::permute', Y, [2, 0, 1, 3]);
    Yh = op('aten::transpose', Yh, 0, 1);
    Yc = op('aten::transpose', Yc, 0, 1);
  }
  return withC ? [Y, Yh, Yc] : [Y, Yh];
}

function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  return b ? op('aten::addmm', b, x, op('aten::t', w)) : op('aten::mm', x, op('aten::t', w));
}
function chunks(t: Tensor | null, n: number): (Tensor | null)[] {
  return t ? op<Tensor[]>('aten::chunk', t, n, 0) : new Array(n).fill(null);
}

export const rnnOps: OpDecl[] = [
  onnxOp('RNN', `Tensor X, Tensor W, Tensor R, Tensor? B=None, Tensor? sequence_lens=None, Tensor? initial_h=None, *, ${RNN_ATTRS}`, '(Tensor, Tensor)', (a) =>
    runRecurrent(a, 1, ['Tanh'], (acts, W, R, B) => {
      const [wb, rb] = chunks(B, 2);
      return (xt, h) => [acts[0]!(op('aten::add', linear(xt, W, wb), linear(h, R, rb))), null];
    }, false),
  ),
  onnxOp('GRU', `Tensor X, Tensor W, Tensor R, Tensor? B=None, Tensor? sequence_lens=None, Tensor? initial_h=None, *, ${RNN_ATTRS}, int linear_before_reset=0`, '(Tensor, Tensor)', (a) =>
    runRecurrent(a, 3, ['Sigmoid', 'Tanh'], (acts, W, R, B, clip) => {
      const [wz, wr, wh] = chunks(W, 3) as Tensor[];
      const [rz, rr, rh] = chunks(R, 3) as Tensor[];
      const [wbz, wbr, wbh, rbz, rbr, rbh] = chunks(B, 6);
      const f = acts[0]!, g = acts[1]!;
      return (xt, h) => {
        const z = f(clip(op('aten::add', linear(xt, wz!, wbz!), linear(h, rz!, rbz!))));
        const r = f(clip(op('aten::add', linear(xt, wr!, wbr!), linear(h, rr!, rbr!))));
        const hx = a.linear_before_reset ? op('aten::mul', r, linear(h, rh!, rbh!)) : linear(op('aten::mul', r, h), rh!, rbh!);
        const ht = g(clip(op('aten::add', linear(xt, wh!, wbh!), hx)));
        // h' = (1 - z) * ht + z * h
        return [op('aten::add', op('aten::mul', op('aten::rsub', z, 1), ht), op('aten::mul', z, h)), null];
      };
    }, false),
  ),
  onnxOp('LSTM', `Tensor X, Tensor W, Tensor R, Tensor? B=None, Tensor? sequence_lens=None, Tensor? initial_h=None, Tensor? initial_c=None, Tensor? P=None, *, ${RNN_ATTRS}, int input_forget=0`, '(Tensor, Tensor, Tensor)', (a) =>
    runRecurrent(a, 4, ['Sigmoid', 'Tanh', 'Tanh'], (acts, W, R, B, clip) => {
      const [wi, wo, wf, wc] = chunks(W, 4) as Tensor[];
      const [ri, ro, rf, rc] = chunks(R, 4) as Tensor[];
      const [bwi, bwo, bwf, bwc, bri, bro, brf, brc] = chunks(B, 8);
      const P = a.P as Tensor | null;
      const f = acts[0]!, g = acts[1]!, hAct = acts[2]!;
      return (xt, h, c, d) => {
        const [pi, po, pf] = P ? (op<Tensor[]>('aten::chunk', op('aten::select', P, 0, d), 3, 0) as Tensor[]) : [null, null, null];
        const gate = (w: Tensor, r: Tensor, bw: Tensor | null, br: Tensor | null, p: Tensor | null, cc: Tensor) => {
          let s = op('aten::add', linear(xt, w, bw), linear(h, r, br));
          if (p) s = op('aten::add', s, op('aten::mul', p, cc));
          return clip(s);
        };
        const i = f(gate(wi!, ri!, bwi!, bri!, pi!, c!));
        const fg = a.input_forget ? op('aten::rsub', i, 1) : f(gate(wf!, rf!, bwf!, brf!, pf!, c!));
        const ct = g(gate(wc!, rc!, bwc!, brc!, null, c!));
        const cn = op('aten::add', op('aten::mul', fg, c), op('aten::mul', i, ct));
        const o = f(gate(wo!, ro!, bwo!, bro!, po!, cn));
        return [op('aten::mul', o, hAct(cn)), cn];
      };
    }, true),
  ),
];
