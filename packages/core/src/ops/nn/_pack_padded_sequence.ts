import { defineOp } from '../../registry.js';
import type { Tensor } from '../../tensor.js';

/** Host lengths of a 1-d int64 CPU tensor, checked as PyTorch does (positive, non-increasing, at most T). */
function checkedLengths(lengths: Tensor, T: number, B: number): number[] {
  if (lengths.device !== 'cpu') throw new Error(`'lengths' argument should be a 1D CPU int64 tensor, but got 1D ${lengths.device} Long tensor`);
  if (lengths.ndim !== 1 || lengths.dtype !== 'int64') throw new Error(`'lengths' argument should be a 1D CPU int64 tensor, but got ${lengths.ndim}D cpu ${lengths.dtype} tensor`);
  const ls = Array.from(lengths.contiguousArray(), Number);
  if (ls.length !== B) throw new Error(`Expected \`len(lengths)\` to be equal to batch_size, but got ${ls.length} (batch_size=${B})`);
  for (let i = 0; i < ls.length; i++) {
    if (ls[i]! <= 0) throw new Error("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
    if (i > 0 && ls[i]! > ls[i - 1]!) {
      throw new Error('`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.');
    }
  }
  if (ls.length && ls[0]! > T) throw new Error(`Expected the longest length (${ls[0]}) to be at most the sequence length (${T})`);
  return ls;
}

function geometry(input: Tensor, lengths: Tensor, batchFirst: boolean) {
  if (input.ndim < 2) throw new Error(`input must have at least 2 dimensions, got ${input.ndim}`);
  const T = input.shape[batchFirst ? 1 : 0]!, B = input.shape[batchFirst ? 0 : 1]!;
  const ls = checkedLengths(lengths, T, B);
  const steps = ls[0] ?? 0;
  const batchSizes: number[] = [];
  for (let t = 0; t < steps; t++) batchSizes.push(ls.filter((l) => l > t).length);
  const rest = input.shape.slice(2);
  return { T, B, ls, batchSizes, rest, inner: rest.reduce((a, b) => a * b, 1), total: ls.reduce((a, b) => a + b, 0) };
}

/**
 * torch._pack_padded_sequence (what nn.utils.rnn.pack_padded_sequence calls): the time steps of
 * a padded batch (sorted by decreasing length) packed time-major, and the batch size of each step.
 */
export const _pack_padded_sequence = defineOp({
  name: '_pack_padded_sequence',
  variants: [],
  overloads: [
    {
      schema: 'aten::_pack_padded_sequence(Tensor input, Tensor lengths, bool batch_first) -> (Tensor, Tensor)',
      infer: (a) => {
        const g = geometry(a.input, a.lengths, a.batch_first);
        return [{ shape: [g.total, ...g.rest], dtype: (a.input as Tensor).dtype }, { shape: [g.batchSizes.length], dtype: 'int64' }];
      },
      cpu: (a, [data, sizes]) => {
        const x = a.input as Tensor;
        const g = geometry(x, a.lengths, a.batch_first);
        const src = x.contiguousArray(), dst = data!.hostArray;
        let o = 0;
        g.batchSizes.forEach((bs, t) => {
          for (let b = 0; b < bs; b++) {
            const row = (a.batch_first ? b * g.T + t : t * g.B + b) * g.inner;
            for (let k = 0; k < g.inner; k++) dst[o++] = src[row + k]!;
          }
        });
        sizes!.hostArray.set(g.batchSizes);
      },
    },
  ],
});
