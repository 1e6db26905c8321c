import { defineOp, type Args } from '../../registry.js';
import { broadcastOperands, checkedScalarIn, isTensorOperand, runTernary, type Operand } from '../../cpu/pointwise_kernels.js';
import { promote } from '../../cpu/pointwise.js';
import { Tensor } from '../../tensor.js';

function checkCondition(cond: Tensor): void {
  if (cond.dtype !== 'bool' && cond.dtype !== 'uint8') {
    const name = { float32: 'Float', float64: 'Double', float16: 'Half', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long' }[cond.dtype];
    throw new Error(`where expected condition to be a boolean tensor, but got a tensor with dtype ${name}`);
  }
}

/** where(condition, self, other): broadcast all three; self/other promote like a binary op (scalars as wrapped numbers). */
const kernel = {
  infer: (a: Args) => {
    checkCondition(a.condition as Tensor);
    const dtype = promote(a.self as Operand, a.other as Operand);
    for (const v of [a.self, a.other] as Operand[]) if (!isTensorOperand(v)) checkedScalarIn(v, dtype);
    return { shape: broadcastOperands(a.condition as Tensor, a.self as Operand, a.other as Operand), dtype };
  },
  cpu: (a: Args, [out]: Tensor[]) => {
    runTernary(out!, a.condition as Tensor, a.self as Operand, a.other as Operand, out!.dtype, (c, x, y) => (c !== 0 ? x : y));
  },
};

/** where(condition): the indices of the nonzero elements, one int64 tensor per dimension */
function nonzeroTuple(a: Args): Tensor[] {
  const cond = a.condition as Tensor;
  const arr = cond.contiguousArray();
  const shape = cond.shape;
  const rank = shape.length;
  const hits: number[] = [];
  for (let i = 0; i < arr.length; i++) if (arr[i] !== 0) hits.push(i);
  const outs = (rank === 0 ? [1] : shape).map(() => Tensor.empty([hits.length], 'int64'));
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  for (let k = 0; k < hits.length; k++) {
    let rem = hits[k]!;
    for (let d = 0; d < rank; d++) {
      const q = Math.floor(rem / strides[d]!);
      outs[d]!.hostArray[k] = q;
      rem -= q * strides[d]!;
    }
    if (rank === 0) outs[0]!.hostArray[k] = 0;
  }
  return outs;
}

export const where = defineOp({
  name: 'where',
  tags: ['pointwise'],
  overloads: [
    { schema: 'aten::where.self(Tensor condition, Tensor self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor', ...kernel },
    { schema: 'aten::where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor', ...kernel },
    { schema: 'aten::where(Tensor condition) -> Tensor[]', tags: ['dynamic_shape'], cpuDynamic: nonzeroTuple },
  ],
});
