import { convOps } from './conv/index.js';
import { factoryOps } from './factory/index.js';
import { fusedOps } from './fused/index.js';
import { indexingOps } from './indexing/index.js';
import { linalgOps } from './linalg/index.js';
import { nnOps } from './nn/index.js';
import { onnxSupportOps } from './onnx_support/index.js';
import { pointwiseOps } from './pointwise/index.js';
import { reductionOps } from './reduction/index.js';
import { scalarOps } from './scalar/index.js';
import { shapeOps } from './shape/index.js';

/** Every op declaration; the registry is built from this list. */
export const allOps = [...pointwiseOps, ...reductionOps, ...shapeOps, ...nnOps, ...convOps, ...linalgOps, ...factoryOps, ...indexingOps, ...scalarOps, ...onnxSupportOps, ...fusedOps] as const;
export type OpName = (typeof allOps)[number]['name'];
