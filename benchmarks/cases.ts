/**
 * Benchmark cases: what each runs, its input shapes and its floating-point operations.
 * Model files live in benchmarks/models/<dir>/ (made by make_models.py when missing).
 */
export type Format = 'op' | 'onnx' | 'pt';

export interface BenchCase {
  id: string;
  /** folder under benchmarks/models */
  dir: string;
  /** how torchlet runs it: eager op, ONNX model, TorchScript model */
  format: Format;
  inputs: number[][];
  /** floating-point operations of one run (multiply-add = 2) */
  flops: number;
  /** which runtimes apply */
  libs: Lib[];
  /** eager op cases: the op */
  op?: 'matmul' | 'conv' | 'dwconv';
  group: string;
}

export type Lib = 'torchlet' | 'ort-web' | 'ort-node' | 'tfjs-wasm';
export const LIBS: Lib[] = ['torchlet', 'ort-web', 'ort-node', 'tfjs-wasm'];

const ALL: Lib[] = ['torchlet', 'ort-web', 'ort-node'];
const OPS: Lib[] = ['torchlet', 'ort-web', 'ort-node', 'tfjs-wasm'];

/** multiply-adds of the LSTM case: 2 layers, input 128, hidden 256, 32 steps */
const lstmFlops = 2 * 32 * (4 * 256 * (128 + 256) + 4 * 256 * (256 + 256));
/** multiply-adds of the transformer case: d_model 256, 4 heads, ffn 1024, 64 tokens */
const trFlops = 2 * (64 * 256 * 768 + 2 * 64 * 64 * 256 + 64 * 256 * 256 + 2 * 64 * 256 * 1024);

export const CASES: BenchCase[] = [
  ...[256, 512, 1024].map((n): BenchCase => ({ id: `matmul ${n}`, dir: `matmul_${n}`, format: 'op', op: 'matmul', inputs: [[n, n], [n, n]], flops: 2 * n ** 3, libs: OPS, group: 'kernels' })),
  { id: 'conv2d 1x64x56x56 3x3', dir: 'conv_64x56', format: 'op', op: 'conv', inputs: [[1, 64, 56, 56]], flops: 2 * 64 * 64 * 9 * 56 * 56, libs: OPS, group: 'kernels' },
  { id: 'depthwise 1x144x56x56 3x3', dir: 'dwconv_144x56', format: 'op', op: 'dwconv', inputs: [[1, 144, 56, 56]], flops: 2 * 144 * 9 * 56 * 56, libs: OPS, group: 'kernels' },
  { id: 'ResNet-18 (.onnx)', dir: 'resnet18_traced', format: 'onnx', inputs: [[1, 3, 224, 224]], flops: 3.64e9, libs: ALL, group: 'models' },
  { id: 'ResNet-18 (.pt)', dir: 'resnet18_traced', format: 'pt', inputs: [[1, 3, 224, 224]], flops: 3.64e9, libs: ['torchlet'], group: 'models' },
  { id: 'MobileNetV2 (.onnx)', dir: 'mobilenet_v2_traced', format: 'onnx', inputs: [[1, 3, 224, 224]], flops: 0.6e9, libs: ALL, group: 'models' },
  { id: 'MobileNetV2 (.pt)', dir: 'mobilenet_v2_traced', format: 'pt', inputs: [[1, 3, 224, 224]], flops: 0.6e9, libs: ['torchlet'], group: 'models' },
  { id: 'LSTM 2x256, 32 steps (.onnx)', dir: 'lstm_2x256', format: 'onnx', inputs: [[1, 32, 128]], flops: lstmFlops, libs: ALL, group: 'models' },
  { id: 'LSTM 2x256, 32 steps (.pt)', dir: 'lstm_2x256', format: 'pt', inputs: [[1, 32, 128]], flops: lstmFlops, libs: ['torchlet'], group: 'models' },
  { id: 'Transformer layer 256, 64 tokens (.onnx)', dir: 'transformer_256', format: 'onnx', inputs: [[1, 64, 256]], flops: trFlops, libs: ALL, group: 'models' },
  { id: 'Transformer layer 256, 64 tokens (.pt)', dir: 'transformer_256', format: 'pt', inputs: [[1, 64, 256]], flops: trFlops, libs: ['torchlet'], group: 'models' },
];

/** Deterministic input data (about N(0, 1)). */
export function inputData(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < 3; k++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      v += (s >>> 0) / 4294967296;
    }
    a[i] = (v - 1.5) * 2;
  }
  return a;
}
