import { defineOp, type Args } from '../../registry.js';
import { walk } from '../../cpu/index_util.js';
import { tensorTypeName } from '../../cpu/shape_copy.js';
import type { Tensor } from '../../tensor.js';

const isIndexType = (t: Tensor): boolean => !t.isFloatingPoint && t.dtype !== 'bool';

/**
 * Which argument is the weight: `aten::embedding(weight, indices)` and Python's
 * `F.embedding(input, weight)` take them in opposite orders, so an integer tensor next to a
 * floating one is taken as the indices whatever its position (then a 2-d tensor next to one that
 * is not as the weight).
 */
function weightAndIndices(first: Tensor, second: Tensor, firstIsWeight: boolean): [Tensor, Tensor] {
  if (isIndexType(second) && !isIndexType(first)) return [first, second];
  if (isIndexType(first) && !isIndexType(second)) return [second, first];
  // otherwise the 2-d one (if only one is) is the weight
  if (first.ndim === 2 && second.ndim !== 2) return [first, second];
  if (second.ndim === 2 && first.ndim !== 2) return [second, first];
  return firstIsWeight ? [first, second] : [second, first];
}

function checkEmbedding(weight: Tensor, indices: Tensor): void {
  if (weight.ndim !== 2) throw new RangeError("'weight' must be 2-D");
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32') {
    throw new TypeError(`Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got ${tensorTypeName(indices.dtype)} instead (while checking arguments for embedding)`);
  }
}

function embeddingKernel(weight: Tensor, indices: Tensor, out: Tensor): void {
  const [n, dim] = weight.shape as [number, number];
  const w = weight.hostArray, iv = indices.hostArray, o = out.hostArray;
  const [rs, cs] = weight.strides as [number, number];
  walk(indices.shape, [indices.strides], [indices.offset], (p, flat) => {
    const i = iv[p[0]!]!;
    if (i < 0 || i >= n) throw new RangeError('index out of range in self');
    const base = weight.offset + i * rs;
    if (cs === 1) o.set(w.subarray(base, base + dim), flat * dim);
    else for (let k = 0; k < dim; k++) o[flat * dim + k] = w[base + k * cs]!;
  });
}

/** embedding_renorm_: rows of `weight` used by `indices` with a norm above max_norm are rescaled in place. */
function renorm(weight: Tensor, indices: Tensor, maxNorm: number, normType: number): void {
  const rows = [...new Set(Array.from(indices.contiguousArray()))].sort((x, y) => x - y);
  const [n, dim] = weight.shape as [number, number];
  const [rs, cs] = weight.strides as [number, number];
  const w = weight.hostArray;
  const single = weight.dtype !== 'float64';
  for (const r of rows) {
    if (r < 0 || r >= n) throw new RangeError('index out of range in self');
    const base = weight.offset + r * rs;
    let acc = 0;
    if (normType === Infinity) for (let k = 0; k < dim; k++) acc = Math.max(acc, Math.abs(w[base + k * cs]!));
    else if (normType === 0) for (let k = 0; k < dim; k++) acc += w[base + k * cs]! !== 0 ? 1 : 0;
    else for (let k = 0; k < dim; k++) acc += Math.abs(w[base + k * cs]!) ** normType;
    let norm = normType === Infinity || normType === 0 ? acc : normType === 1 ? acc : normType === 2 ? Math.sqrt(acc) : acc ** (1 / normType);
    if (single) norm = Math.fround(norm);
    if (norm > maxNorm) {
      const scale = maxNorm / (norm + 1e-7);
      const s = single ? Math.fround(scale) : scale;
      for (let k = 0; k < dim; k++) w[base + k * cs] = w[base + k * cs]! * s;
    }
  }
}

function outSpec(weight: Tensor, indices: Tensor) {
  checkEmbedding(weight, indices);
  return { shape: [...indices.shape, weight.shape[1]!], dtype: weight.dtype };
}

function pythonArgs(a: Args): { weight: Tensor; indices: Tensor; paddingIdx: number } {
  const [weight, indices] = weightAndIndices(a.input, a.weight, false);
  checkEmbedding(weight, indices);
  let p = a.padding_idx as number | null;
  const n = weight.shape[0]!;
  if (p !== null) {
    if ((p > 0 && p >= n) || (p < 0 && p < -n)) throw new RangeError('Padding_idx must be within num_embeddings');
    if (p < 0) p += n;
  }
  return { weight, indices, paddingIdx: p ?? -1 };
}

/**
 * Rows of `weight` picked by integer `indices` (output: indices.shape + [embedding_dim]).
 * `torch.embedding(weight, indices, ...)` is ATen's order; `F.embedding(input, weight,
 * padding_idx=None, max_norm=None, norm_type=2., scale_grad_by_freq=False, sparse=False)` is
 * Python's (a torchlet-namespace schema, tried first; max_norm renormalizes the used rows of weight
 * in place, as PyTorch does). padding_idx, scale_grad_by_freq and sparse only affect gradients.
 */
export const embedding = defineOp({
  name: 'embedding',
  variants: ['function', 'F'],
  overloads: [
    {
      schema: 'torchlet::embedding(Tensor input, Tensor weight, int? padding_idx=None, float? max_norm=None, float norm_type=2., bool scale_grad_by_freq=False, bool sparse=False) -> Tensor',
      infer: (a) => {
        const { weight, indices } = pythonArgs(a);
        return outSpec(weight, indices);
      },
      cpu: (a, [out]) => {
        const { weight, indices } = pythonArgs(a);
        if (a.max_norm !== null) renorm(weight, indices, a.max_norm, a.norm_type);
        embeddingKernel(weight, indices, out!);
      },
    },
    {
      schema: 'aten::embedding(Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False, bool sparse=False) -> Tensor',
      infer: (a) => outSpec(...weightAndIndices(a.weight, a.indices, true)),
      cpu: (a, [out]) => embeddingKernel(...weightAndIndices(a.weight, a.indices, true), out!),
    },
  ],
});

export const embedding_renorm_ = defineOp({
  name: 'embedding_renorm_',
  variants: ['function'],
  tags: ['inplace'],
  overloads: [
    {
      schema: 'aten::embedding_renorm_(Tensor(a!) self, Tensor indices, float max_norm, float norm_type) -> Tensor(a!)',
      cpuDynamic: (a) => {
        checkEmbedding(a.self, a.indices);
        renorm(a.self, a.indices, a.max_norm, a.norm_type);
        return a.self;
      },
    },
  ],
});

/** int64 one-hot encoding with a new last dim of num_classes (-1: max + 1). */
export const one_hot = defineOp({
  name: 'one_hot',
  variants: ['F'],
  overloads: [
    {
      schema: 'aten::one_hot(Tensor self, int num_classes=-1) -> Tensor',
      infer: (a) => {
        const self = a.self as Tensor;
        if (self.dtype !== 'int64') throw new TypeError('one_hot is only applicable to index tensor.');
        let c = a.num_classes as number;
        const v = self.contiguousArray();
        if (c === -1) {
          if (v.length === 0) throw new RangeError('Can not infer total number of classes from empty tensor.');
          c = 0;
          for (let i = 0; i < v.length; i++) c = Math.max(c, v[i]! + 1);
        }
        for (let i = 0; i < v.length; i++) {
          if (v[i]! < 0) throw new RangeError('Class values must be non-negative.');
          if (v[i]! >= c) throw new RangeError('Class values must be smaller than num_classes.');
        }
        return { shape: [...self.shape, c], dtype: 'int64' };
      },
      cpu: (a, [out]) => {
        const v = (a.self as Tensor).contiguousArray();
        const c = out!.shape[out!.ndim - 1]!;
        const o = out!.hostArray;
        for (let i = 0; i < v.length; i++) o[i * c + v[i]!] = 1;
      },
    },
  ],
});
