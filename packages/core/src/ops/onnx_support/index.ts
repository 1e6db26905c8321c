import { grid_sample, grid_sampler, grid_sampler_2d } from './grid_sampler.js';
import { linalg_det } from './linalg_det.js';
import { nms } from './nms.js';
import { onnx_mel_weight_matrix } from './onnx_mel_weight_matrix.js';
import { onnx_resize } from './onnx_resize.js';
import { roi_align } from './roi_align.js';

/**
 * Ops that ONNX import needs and the rest of the registry lacks, with CPU reference kernels:
 * ATen/torchvision ops under their PyTorch schemas (grid_sampler, linalg_det, nms, roi_align,
 * F.grid_sample) and internal `torchlet::onnx_*` ops for ONNX-only semantics.
 */
export const onnxSupportOps = [onnx_resize, onnx_mel_weight_matrix, grid_sampler_2d, grid_sampler, grid_sample, linalg_det, nms, roi_align] as const;
