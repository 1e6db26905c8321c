import { defineOp, type Args, type OutSpec } from '../../registry.js';
import { Tensor } from '../../tensor.js';

/** PyTorch's cus_lower_bound / cus_upper_bound over row [start, end) (with an optional sorter). */
function bound(bd: ArrayLike<number>, start: number, end: number, val: number, right: boolean, sort: ArrayLike<number> | null): number {
  const orig = start;
  while (start < end) {
    const mid = start + ((end - start) >> 1);
    const m = sort ? bd[sort[mid]! + orig]! : bd[mid]!;
    const goRight = right ? !(m > val) : !(m >= val);
    if (goRight) start = mid + 1;
    else end = mid;
  }
  return start - orig;
}

interface Values {
  ndim: number;
  shape: number[];
  numel(): number;
  contiguousArray(): ArrayLike<number>;
}

interface SearchArgs {
  seq: Tensor;
  values: Values;
  outInt32: boolean;
  right: boolean;
  sorter: Tensor | null;
}

function check(s: SearchArgs, side: string | null): boolean {
  const { seq, values, sorter } = s;
  if (side !== null) {
    if (side !== 'left' && side !== 'right') throw new RangeError(`torch.searchsorted(): side can only be 'left' or 'right' but got ${side}`);
    if (s.right && side !== 'right') throw new RangeError(`torch.searchsorted(): side and right can't be set to opposites, got side of ${side} while right was True`);
  }
  if (sorter) {
    if (sorter.dtype !== 'int64') throw new TypeError(`torch.searchsorted(): sorter must be a tensor of long dtype but got dtype ${sorter.dtype}`);
    if (sorter.shape.join() !== seq.shape.join()) {
      throw new RangeError(`torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor [${seq.shape.join(', ')}]and got sorter tensor [${sorter.shape.join(', ')}]`);
    }
  }
  if (!(values.ndim > 0 || (values.numel() === 1 && seq.ndim === 1))) {
    throw new RangeError(`torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we got boundaries tensor dim(${seq.ndim}) and input value's dim(${values.ndim}) numel(${values.numel()})`);
  }
  if (seq.ndim === 0) throw new RangeError('torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension');
  const lead = seq.shape.slice(0, -1);
  if (seq.ndim !== 1 && (seq.ndim !== values.ndim || lead.some((v, i) => v !== values.shape[i]))) {
    throw new RangeError(
      `torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor [${seq.shape.join(', ')}] and input value tensor [${values.shape.join(', ')}]`,
    );
  }
  return side !== null ? side === 'right' : s.right;
}

function run(s: SearchArgs, right: boolean, out: Tensor): void {
  const bd = s.seq.contiguousArray(), v = s.values.contiguousArray(), o = out.hostArray;
  const sort = s.sorter ? s.sorter.contiguousArray() : null;
  const len = s.seq.shape[s.seq.ndim - 1]!;
  const inner = s.values.ndim === 0 ? 1 : s.values.shape[s.values.ndim - 1]!;
  for (let i = 0; i < v.length; i++) {
    const row = s.seq.ndim === 1 ? 0 : Math.floor(i / inner) * len;
    o[i] = bound(bd, row, row + len, v[i]!, right, sort);
  }
}

function fromArgs(a: Args, seqName: string, valName: string): SearchArgs {
  const values = a[valName] as Tensor | number | boolean;
  return {
    seq: a[seqName] as Tensor,
    values: values instanceof Tensor ? values : { ndim: 0, shape: [], numel: () => 1, contiguousArray: () => [Number(values)] },
    outInt32: a.out_int32 as boolean,
    right: a.right as boolean,
    sorter: (a.sorter as Tensor | null | undefined) ?? null,
  };
}

function searchInfer(seqName: string, valName: string, bucket: boolean) {
  return (a: Args): OutSpec => {
    const s = fromArgs(a, seqName, valName);
    if (bucket && s.seq.ndim !== 1) throw new RangeError(`boundaries tensor must be 1 dimension, but got dim(${s.seq.ndim})`);
    check(s, (a.side as string | null | undefined) ?? null);
    return { shape: [...s.values.shape], dtype: s.outInt32 ? 'int32' : 'int64' };
  };
}

function searchKernel(seqName: string, valName: string) {
  return (a: Args, [out]: Tensor[]): void => {
    const s = fromArgs(a, seqName, valName);
    run(s, check(s, (a.side as string | null | undefined) ?? null), out!);
  };
}

/** Indices where `self` values would be inserted into the sorted last dim of sorted_sequence. */
export const searchsorted = defineOp({
  name: 'searchsorted',
  variants: ['function'],
  overloads: [
    {
      schema: 'aten::searchsorted.Tensor(Tensor sorted_sequence, Tensor self, *, bool out_int32=False, bool right=False, str? side=None, Tensor? sorter=None) -> Tensor',
      infer: searchInfer('sorted_sequence', 'self', false),
      cpu: searchKernel('sorted_sequence', 'self'),
    },
    {
      schema: 'aten::searchsorted.Scalar(Tensor sorted_sequence, Scalar self, *, bool out_int32=False, bool right=False, str? side=None, Tensor? sorter=None) -> Tensor',
      infer: searchInfer('sorted_sequence', 'self', false),
      cpu: searchKernel('sorted_sequence', 'self'),
    },
  ],
});

/** The bucket of each value given 1-d sorted boundaries (searchsorted(boundaries, self)). */
export const bucketize = defineOp({
  name: 'bucketize',
  variants: ['function'],
  overloads: [
    { schema: 'aten::bucketize.Tensor(Tensor self, Tensor boundaries, *, bool out_int32=False, bool right=False) -> Tensor', infer: searchInfer('boundaries', 'self', true), cpu: searchKernel('boundaries', 'self') },
    { schema: 'aten::bucketize.Scalar(Scalar self, Tensor boundaries, *, bool out_int32=False, bool right=False) -> Tensor', infer: searchInfer('boundaries', 'self', true), cpu: searchKernel('boundaries', 'self') },
  ],
});
