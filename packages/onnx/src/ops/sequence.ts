import { Tensor, type OpDecl } from '@torchlet/core';
import { ints, normAxis, onnxOp, op, scalar } from './define.js';

/** ONNX sequences are List[Tensor]; every op returns a new list (the IR treats them as values). */
function seqIndex(seq: Tensor[], pos: Tensor | null, insert: boolean): number {
  const n = seq.length;
  if (!pos) return insert ? n : n - 1;
  const p = scalar(pos);
  const i = p < 0 ? p + n : p;
  if (i < 0 || i > (insert ? n : n - 1)) throw new Error(`sequence position ${p} is out of range for a sequence of ${n}`);
  return i;
}

export const sequenceOps: OpDecl[] = [
  onnxOp('SequenceConstruct', 'Tensor[] inputs', 'Tensor[]', (a) => (a.inputs as Tensor[]).map((t) => op('aten::alias', t))),
  onnxOp('SequenceEmpty', '*, int? dtype=None', 'Tensor[]', () => []),
  onnxOp('SequenceLength', 'Tensor[] input_sequence', 'Tensor', (a) => op('aten::scalar_tensor', (a.input_sequence as Tensor[]).length, { dtype: 'int64' })),
  onnxOp('SequenceAt', 'Tensor[] input_sequence, Tensor position', 'Tensor', (a) => {
    const s = a.input_sequence as Tensor[];
    return op('aten::alias', s[seqIndex(s, a.position, false)]!);
  }),
  onnxOp('SequenceInsert', 'Tensor[] input_sequence, Tensor tensor, Tensor? position=None', 'Tensor[]', (a) => {
    const s = (a.input_sequence as Tensor[]).map((t) => op('aten::alias', t));
    s.splice(seqIndex(s, a.position, true), 0, op('aten::alias', a.tensor));
    return s;
  }),
  onnxOp('SequenceErase', 'Tensor[] input_sequence, Tensor? position=None', 'Tensor[]', (a) => {
    const s = (a.input_sequence as Tensor[]).map((t) => op('aten::alias', t));
    const [gone] = s.splice(seqIndex(s, a.position, false), 1);
    gone?.dispose();
    return s;
  }),
  onnxOp('SplitToSequence', 'Tensor input, Tensor? split=None, *, int axis=0, int keepdims=1', 'Tensor[]', (a) => {
    const x = a.input as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    if (!a.split) {
      const parts = op<Tensor[]>('aten::split', x, 1, ax);
      return a.keepdims ? parts : parts.map((p) => op('aten::squeeze', p, ax));
    }
    const sp = a.split as Tensor;
    if (sp.ndim === 0) return op<Tensor[]>('aten::split', x, scalar(sp), ax);
    return op<Tensor[]>('aten::split_with_sizes', x, ints(sp), ax);
  }),
  onnxOp('ConcatFromSequence', 'Tensor[] input_sequence, *, int axis, int new_axis=0', 'Tensor', (a) =>
    a.new_axis ? op('aten::stack', a.input_sequence, a.axis) : op('aten::cat', a.input_sequence, a.axis),
  ),
  // helpers the importer emits for Loop/Scan
  onnxOp('_ScanStack', 'Tensor[] items, *, int axis=0, int reverse=0', 'Tensor', (a) => {
    const items = a.reverse ? [...(a.items as Tensor[])].reverse() : (a.items as Tensor[]);
    if (items.length === 0) return op('aten::zeros', [0], { dtype: 'float32' });
    return op('aten::stack', items, a.axis);
  }),
  onnxOp('_ScanSlice', 'Tensor x, int i, *, int axis=0, int reverse=0', 'Tensor', (a) => {
    const x = a.x as Tensor;
    const ax = normAxis(a.axis, x.ndim);
    const i = a.reverse ? x.shape[ax]! - 1 - a.i : a.i;
    return op('aten::select', x, ax, i);
  }),
  onnxOp('_ScanLength', 'Tensor x, *, int axis=0', 'int', (a) => (a.x as Tensor).shape[normAxis(a.axis, (a.x as Tensor).ndim)]!),
  onnxOp('_ToInt', 'Tensor? x, *, int default=9223372036854775807', 'int', (a) => (a.x ? scalar(a.x) : a.default)),
  onnxOp('_ToBool', 'Tensor? x', 'bool', (a) => (a.x ? scalar(a.x) !== 0 : true)),
  onnxOp('_IntToTensor', 'int x', 'Tensor', (a) => op('aten::scalar_tensor', a.x, { dtype: 'int64' })),
  onnxOp('_BoolToTensor', 'bool x', 'Tensor', (a) => op('aten::scalar_tensor', a.x ? 1 : 0, { dtype: 'bool' })),
  onnxOp('_Append', 'Tensor[] list, Tensor x', 'Tensor[]', (a) => [...(a.list as Tensor[]).map((t) => op('aten::alias', t)), op('aten::alias', a.x)]),
  onnxOp('Optional', 'Any? input=None', 'Any?', (a) => (a.input === null || a.input === undefined ? null : Array.isArray(a.input) ? a.input.map((t: Tensor) => op('aten::alias', t)) : op('aten::alias', a.input))),
  onnxOp('OptionalHasElement', 'Any? input=None', 'Tensor', (a) => op('aten::scalar_tensor', a.input !== null && a.input !== undefined ? 1 : 0, { dtype: 'bool' })),
  onnxOp('OptionalGetElement', 'Any input', 'Any', (a) => {
    if (a.input === null) throw new Error('OptionalGetElement: the optional is empty');
    return Array.isArray(a.input) ? (a.input as Tensor[]).map((t) => op('aten::alias', t)) : op('aten::alias', a.input);
  }),
];
