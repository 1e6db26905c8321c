import { getRegistry, type OpDecl } from '@torchlet/core';
import { elementwiseOps } from './elementwise.js';
import { lossOps } from './loss.js';
import { miscOps } from './misc.js';
import { nnOps } from './nn.js';
import { quantOps } from './quant.js';
import { signalOps } from './signal.js';
import { trainingOps } from './training.js';
import { visionOps } from './vision.js';
import { resizeOps } from './resize.js';
import { rnnOps } from './rnn.js';
import { sequenceOps } from './sequence.js';
import { shapeOps } from './shape.js';

export const onnxOps: OpDecl[] = [...elementwiseOps, ...shapeOps, ...nnOps, ...rnnOps, ...sequenceOps, ...lossOps, ...resizeOps, ...quantOps, ...miscOps, ...signalOps, ...trainingOps, ...visionOps];

let registered = false;
/** Adds the onnx:: ops to the one registry (once, when the first ONNX model loads). */
export function registerOnnxOps(): void {
  if (registered) return;
  const reg = getRegistry();
  for (const d of onnxOps) reg.add(d);
  registered = true;
}
