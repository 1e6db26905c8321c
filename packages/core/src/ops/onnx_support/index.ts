import { onnx_mel_weight_matrix } from './onnx_mel_weight_matrix.js';
import { onnx_resize } from './onnx_resize.js';

/** Ops that ONNX import needs and ATen lacks (internal: `variants: []`), with CPU reference kernels. */
export const onnxSupportOps = [onnx_resize, onnx_mel_weight_matrix] as const;
