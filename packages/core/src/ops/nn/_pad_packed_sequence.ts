import { defineOp } from '../../registry.js';
import { Tensor } from '../../tensor.js';

function geometry(data: Tensor, batchSizes: Tensor, totalLength: number) {
  if (batchSizes.device !== 'cpu' || batchSizes.ndim !== 1) throw new Error('batch_sizes should always be on CPU and 1-d');
  const bs = Array.from(batchSizes.contiguousArray(), Number);
  const B = bs[0] ?? 0;
  const steps = bs.length;
  if (totalLength < steps) {
    throw new Error(`Expected total_length to be at least the length of the longest sequence in input, but got total_length=${totalLength} and max sequence length being ${steps}`);
  }
  const rest = data.shape.slice(1);
  const lengths = new Array<number>(B).fill(0);
  for (const n of bs) for (let b = 0; b < n; b++) lengths[b]!++;
  return { bs, B, T: Math.max(totalLength, 0), rest, inner: rest.reduce((a, b) => a * b, 1), lengths };
}

/**
 * torch._pad_packed_sequence (what nn.utils.rnn.pad_packed_sequence calls): a packed sequence
 * back to a padded batch of `total_length` steps filled with `padding_value`, and the lengths.
 */
export const _pad_packed_sequence = defineOp({
  name: '_pad_packed_sequence',
  variants: [],
  overloads: [
    {
      schema: 'aten::_pad_packed_sequence(Tensor data, Tensor batch_sizes, bool batch_first, Scalar padding_value, int total_length) -> (Tensor, Tensor)',
      infer: (a) => {
        const d = a.data as Tensor;
        const g = geometry(d, a.batch_sizes, a.total_length);
        const shape = a.batch_first ? [g.B, g.T, ...g.rest] : [g.T, g.B, ...g.rest];
        return [{ shape, dtype: d.dtype }, { shape: [g.B], dtype: 'int64' }];
      },
      cpu: (a, [out, lengths]) => {
        const d = a.data as Tensor;
        const g = geometry(d, a.batch_sizes, a.total_length);
        const src = d.contiguousArray(), dst = out!.hostArray;
        // a Scalar may come as a wrapped 0-d tensor (an integral float next to int tensors)
        const pad = a.padding_value instanceof Tensor ? Number(a.padding_value.item()) : Number(a.padding_value);
        dst.fill(pad);
        let o = 0;
        g.bs.forEach((n, t) => {
          for (let b = 0; b < n; b++) {
            const row = (a.batch_first ? b * g.T + t : t * g.B + b) * g.inner;
            for (let k = 0; k < g.inner; k++) dst[row + k] = src[o++]!;
          }
        });
        lengths!.hostArray.set(g.lengths);
      },
    },
  ],
});
