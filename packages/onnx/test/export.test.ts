import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import * as torch from '../../torchlet/src/index.js';
import { jit, save, trace } from '../../jit/src/index.js';
import { readNpyFile } from '../../jit/test/helpers.js';
import { expectClose, flatTensors, modelCase } from '../../jit/test/trace.fixtures.js';
import { OnnxExportError, decodeModel, exportModel, load, type ExportOptions } from '../src/index.js';

type Tensor = torch.Tensor;
const F = torch.F;
const { nn } = torch;

const ORT_TYPES: Record<string, ort.Tensor.Type> = {
  float32: 'float32', float64: 'float64', int64: 'int64', int32: 'int32', bool: 'bool', uint8: 'uint8', int8: 'int8', int16: 'int16',
};
const FROM_ORT: Record<string, torch.DType> = { float32: 'float32', float64: 'float64', int64: 'int64', int32: 'int32', bool: 'bool', uint8: 'uint8', int8: 'int8', int16: 'int16' };

/** Runs ONNX bytes with onnxruntime-node on torchlet tensors (inputs in the model's input order). */
async function runOrt(bytes: Uint8Array, inputs: Tensor[]): Promise<Tensor[]> {
  const session = await ort.InferenceSession.create(bytes);
  expect(session.inputNames).toHaveLength(inputs.length);
  const feeds: Record<string, ort.Tensor> = {};
  session.inputNames.forEach((name, i) => {
    const t = inputs[i]!;
    const data = t.dataSync();
    feeds[name] = new ort.Tensor(ORT_TYPES[t.dtype]!, t.dtype === 'bool' ? Uint8Array.from(data as Uint8Array) : (data as never), t.shape);
  });
  const res = await session.run(feeds);
  return session.outputNames.map((n) => {
    const o = res[n]!;
    const dtype = FROM_ORT[o.type];
    if (!dtype) throw new Error(`output type ${o.type}`);
    const data = o.type === 'bool' ? Uint8Array.from(o.data as Uint8Array, (v) => (v ? 1 : 0)) : o.data;
    return torch.tensor(data as never, { dtype, shape: [...o.dims].map(Number) });
  });
}

async function expectOrtMatches(model: unknown, inputs: Tensor[], checks: Tensor[][][], options: ExportOptions = {}, tol = 1e-5): Promise<Uint8Array> {
  const bytes = await torch.onnx.export(model, inputs, options);
  for (const [ins, want] of checks.map((c) => [c[0]!, c[1]!] as const)) {
    const got = await runOrt(bytes, ins);
    expect(got).toHaveLength(want.length);
    got.forEach((g, k) => expectClose(g, want[k]!, tol, `output ${k}`));
  }
  return bytes;
}

describe('torch.onnx.export of nn models, run by onnxruntime-node', () => {
  for (const name of ['mlp', 'cnn', 'attention'] as const) {
    it(`${name}: onnxruntime gives PyTorch's outputs for the traced and a new input`, async () => {
      const { model, inputs, outputs } = modelCase(name);
      const bytes = await expectOrtMatches(model, inputs[0]!, [[inputs[0]!, outputs[0]!], [inputs[1]!, outputs[1]!]], { opset: 17 });
      const proto = decodeModel(bytes);
      expect(proto.opset_import).toEqual([{ domain: '', version: 17 }]);
      const inits = (proto.graph!.initializer ?? []).map((t) => t.name);
      expect(inits).toContain(model.namedParameters()[0]![0]);
      // every node input is defined before it is used
      const defined = new Set<string>([...inits as string[], ...(proto.graph!.input ?? []).map((i) => i.name), '']);
      for (const n of proto.graph!.node ?? []) {
        for (const i of n.input ?? []) expect(defined.has(i), `${n.op_type} reads ${i}`).toBe(true);
        for (const o of n.output ?? []) defined.add(o);
      }
    });
  }

  it('exports traced modules and modules loaded from a saved graph file the same way', async () => {
    const { model, inputs, outputs } = modelCase('cnn');
    const traced = await trace(model, inputs[0]!);
    const loaded = await jit.load(await save(traced));
    for (const m of [traced, loaded]) {
      const got = await runOrt(await exportModel(m, inputs[1]!), inputs[1]!);
      expectClose(got[0]!, outputs[1]![0]!, 1e-5);
    }
  });

  it('exports the attention block at opsets 13, 18 and 20 (decomposed layer norm, axes inputs, Gelu op)', async () => {
    const { model, inputs, outputs } = modelCase('attention');
    for (const opset of [13, 18, 20]) {
      const bytes = await expectOrtMatches(model, inputs[0]!, [[inputs[1]!, outputs[1]!]], { opset });
      const ops = new Set((decodeModel(bytes).graph!.node ?? []).map((n) => n.op_type));
      expect(ops.has('LayerNormalization')).toBe(opset >= 17);
      expect(ops.has('Gelu')).toBe(opset >= 20);
    }
  });

  it("torchlet's own ONNX loader runs the exported models too", async () => {
    for (const name of ['cnn', 'attention'] as const) {
      const { model, inputs, outputs } = modelCase(name);
      const bytes = await torch.onnx.export(model, inputs[0]!);
      const session = await load(bytes);
      const res = await session.run(Object.fromEntries(session.inputNames.map((n, i) => [n, inputs[1]![i]!])));
      session.outputNames.forEach((n, k) => expectClose(res[n] as Tensor, outputs[1]![k]!, 1e-5, `${name} output ${k}`));
    }
  });

  it('names inputs and outputs, flattens tuple inputs and dict outputs', async () => {
    const f = (pair: [Tensor, Tensor], s: Tensor): unknown => ({ a: pair[0].add(s), b: [pair[1].mul(s), pair[0].neg()] });
    const x = torch.randn([2, 3]), y = torch.randn([2, 3]), s = torch.randn([3]);
    const bytes = await torch.onnx.export(f, [[x, y], s], { inputNames: ['x', 'y', 's'], outputNames: ['sum', 'prod', 'neg'] });
    const g = decodeModel(bytes).graph!;
    expect(g.input!.map((i) => i.name)).toEqual(['x', 'y', 's']);
    expect(g.output!.map((o) => o.name)).toEqual(['sum', 'prod', 'neg']);
    const got = await runOrt(bytes, [x, y, s]);
    expectClose(got[0]!, x.add(s), 0);
    expectClose(got[1]!, y.mul(s), 0);
    expectClose(got[2]!, x.neg(), 0);
  });
});

const r = (...shape: number[]): Tensor => torch.randn(shape);
const ri = (hi: number, ...shape: number[]): Tensor => torch.randint(0, hi, shape);

/** Functions covering the exported ops: name, function, example inputs (fresh ones are drawn for the check). */
const FUNCTIONS: [string, (...a: Tensor[]) => unknown, () => Tensor[]][] = [
  ['arithmetic with scalars and alpha', (x, y) => torch.rsub(x.add(y, { alpha: 2 }).sub(1.5).mul(3).div(y.abs().add(1)), 2), () => [r(2, 3), r(2, 3)]],
  ['integer tensors and promotion', (a, x) => a.mul(2).add(a).div(2).add(x).sub(a.to('float32').mul(0.5)), () => [ri(10, 4), r(4)]],
  ['div rounding modes, remainder, pow', (x, y) => [x.div(y, { rounding_mode: 'floor' }), x.div(y, { rounding_mode: 'trunc' }), x.remainder(1.5), x.abs().pow(1.5), x.pow(2), torch.pow(2, y)], () => [r(5).mul(4), r(5).abs().add(0.5)]],
  ['comparisons, where, masked_fill, logical ops', (x, y) => [torch.where(x.gt(y), x, y.mul(2)), x.masked_fill(x.lt(0), -1), x.ge(0).logical_and(y.le(0)).to('float32'), x.eq(y).logical_not(), x.ne(0.5)], () => [r(3, 4), r(3, 4)]],
  ['clamps and activations', (x) => [x.clamp(-0.5, 0.7), x.clamp_min(0.1), F.relu6(x.mul(4)), F.hardtanh(x, -0.3, 0.3), x.sigmoid(), x.tanh(), F.silu(x), F.gelu(x, { approximate: 'tanh' }), F.leaky_relu(x, 0.2), F.elu(x), F.hardswish(x), F.hardsigmoid(x), F.softplus(x), F.mish(x), F.softsign(x), F.logsigmoid(x)], () => [r(4, 5).mul(3)]],
  ['unary math', (x) => [x.exp(), x.abs().add(0.1).log(), x.abs().sqrt(), x.abs().add(0.1).rsqrt(), x.neg(), x.sin(), x.cos(), x.floor(), x.ceil(), x.round(), x.sign(), torch.erf(x), x.abs().add(0.1).reciprocal(), torch.log1p(x.abs()), torch.expm1(x), x.trunc(), x.square()], () => [r(3, 4).mul(2)]],
  ['softmax family and reductions', (x) => [x.softmax(-1), x.log_softmax(1), F.softmax(x, 0), x.sum(), x.sum([0, 2], true), x.mean(1), x.amax(2), x.max(1)[0]!, x.max(1)[1]!, x.min(0)[0]!, x.argmax(2), x.argmin(), torch.var(x, 1), torch.std(x, [0, 2], { correction: 0 }), torch.logsumexp(x, 1), x.cumsum(2), x.prod(1), x.max()], () => [r(2, 3, 4)]],
  ['shape ops', (x) => [x.permute([2, 0, 1]), x.transpose(0, 2), x.reshape([6, 4]), x.view([-1]), x.flatten(1), x.unsqueeze(1).squeeze(1), x.select(1, 2).t(), x.narrow(2, 1, 2), x.slice(1, 0, 3, 2), x.flip([0, 2]), x.expand([3, 2, 3, 4]), x.repeat([2, 1, 1]), x.contiguous()], () => [r(2, 3, 4)]],
  ['cat, stack, split, chunk, unbind', (x, y) => [torch.cat([x, y], 1), torch.stack([x, y], 0), ...x.split(1, 1), ...torch.chunk(y, 2, 0), ...x.unbind(0)], () => [r(2, 3), r(2, 3)]],
  ['indexing: index_select, gather, embedding, triu, topk, normalize', (x, i) => [x.index_select(0, i), x.gather(1, i.view([2, 1]).expand([2, 3])), F.embedding(i, x), x.triu(), x.tril(-1), ...x.topk(2, 1), F.normalize(x), F.normalize(x, 1, 0)], () => [r(4, 3), ri(3, 2)]],
  ['matmul, bmm, addmm, einsum, linear', (a, b, c) => [a.matmul(b), torch.bmm(c, c.transpose(1, 2)), torch.addmm(a.sum(1, true), a, b, { beta: 0.5, alpha: 2 }), torch.einsum('bij,bkj->bik', c, c), F.linear(c, a, a.sum(1))], () => [r(3, 4), r(4, 2), r(2, 3, 4)]],
  ['convolutions, norms, padding, pooling, resize', (x, w) => [
    F.conv2d(x, w, null, 1, 'same'), F.conv1d(x.flatten(2), w.flatten(2), null, 2, 1), F.conv_transpose2d(x, w.transpose(0, 1), null, 2, 1, 1), F.group_norm(x, 2),
    F.layer_norm(x, [4, 4]), F.pad(x, [1, 2, 0, 1]), F.pad(x, [1, 1, 2, 0], 'reflect'), F.pad(x, [1, 1, 1, 1], 'replicate'),
    F.max_pool2d(x, 2, 1, 1), F.avg_pool2d(x, 3, 1, 1, false, false), F.adaptive_avg_pool2d(x, 2), F.adaptive_max_pool2d(x, 1),
    F.interpolate(x, { scale_factor: 2, mode: 'nearest' }), F.interpolate(x, { size: [6, 7], mode: 'bilinear', align_corners: false }), F.interpolate(x, { size: [5, 5], mode: 'bilinear', align_corners: true }),
  ], () => [r(1, 4, 4, 4), r(4, 4, 3, 3)]],
  ['scaled dot product attention with masks', (q, k, v, m) => [F.scaled_dot_product_attention(q, k, v), F.scaled_dot_product_attention(q, k, v, { is_causal: true }), F.scaled_dot_product_attention(q, k, v, m)], () => [r(2, 3, 4), r(2, 3, 4), r(2, 3, 4), r(3, 3)]],
  ['in-place ops on fresh tensors', (x) => {
    const y = x.mul(2);
    y.relu_();
    y.add_(1);
    return y.sigmoid_().mul(x);
  }, () => [r(3, 3)]],
];

describe('torch.onnx.export of functions, run by onnxruntime-node', () => {
  for (const [name, f, make] of FUNCTIONS) {
    it(name, async () => {
      torch.manual_seed(name.length);
      const ex = make();
      const bytes = await torch.onnx.export(f, ex);
      for (const ins of [ex, make()]) {
        const want = flatTensors(f(...ins));
        const got = await runOrt(bytes, ins);
        expect(got).toHaveLength(want.length);
        got.forEach((g, k) => expectClose(g, want[k]!, 1e-5, `${name}: output ${k}`));
      }
    });
  }
});

describe('TorchScript models (.pt from PyTorch) traced and exported', () => {
  for (const name of ['small_cnn', 'tiny_mlp', 'transformer_layer', 'lstm_tagger']) {
    it(`${name}: onnxruntime reproduces PyTorch's reference output`, async () => {
      const dir = new URL(`../../../test-models/pytorch/${name}/`, import.meta.url).pathname;
      const meta = JSON.parse(readFileSync(`${dir}meta.json`, 'utf8')) as { rtol: number; inputs: { file: string }[]; outputs: { path: string; file: string }[] };
      const inputs = meta.inputs.map((i) => readNpyFile(`${dir}${i.file}`));
      const m = await torch.jit.load(`${dir}model.pt`);
      const warnings: string[] = [];
      const traced = await torch.jit.trace(m, inputs, { onWarning: (w) => warnings.push(w.message) });
      expect(warnings).toEqual([]);
      const got = await runOrt(await torch.onnx.export(traced, inputs), inputs);
      meta.outputs.forEach((o, k) => expectClose(got[k]!, readNpyFile(`${dir}${o.file}`), Math.max(meta.rtol, 1e-5), `${name} ${o.path}`));
    });
  }
});

describe('torch.onnx.export errors', () => {
  it('refuses what ONNX cannot express, with the reason', async () => {
    const x = torch.randn([2, 3]);
    const train = new nn.Sequential(new nn.Linear(3, 3), new nn.Dropout(0.5));
    await expect(torch.onnx.export(train, [x])).rejects.toThrow(/dropout in training mode cannot be exported: call model.eval\(\)/);
    await expect(torch.onnx.export((y: Tensor) => {
      const z = y.mul(1);
      z.narrow(1, 0, 1).mul_(2);
      return z;
    }, [x])).rejects.toThrow(/in-place op on a view cannot be exported/);
    await expect(torch.onnx.export((y: Tensor) => y.add(torch.rand([3])), [x])).rejects.toThrow(/the random op aten::rand cannot be exported/);
    await expect(torch.onnx.export((y: Tensor) => {
      const v = y.t();
      y.relu_();
      return v.mul(2);
    }, [x])).rejects.toThrow(/read afterwards through an older alias/);
    await expect(torch.onnx.export((y: Tensor) => y.relu(), [x], { opset: 12 })).rejects.toThrow(OnnxExportError);
    await expect(torch.onnx.export((y: Tensor) => y.nonzero(), [x])).rejects.toThrow(/no ONNX export for aten::nonzero/);
  });
});
