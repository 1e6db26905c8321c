/**
 * `pnpm trace-save` (step 1): writes a model in TypeScript, traces it with torch.jit.trace,
 * checks the trace, saves it with torch.jit.save (torchlet's graph format) and exports it to
 * ONNX. `run.ts` then loads and runs the saved file in a separate program.
 *
 *   tsx --conditions=development examples/trace-save/write.ts [outDir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from 'torchlet';
import { TinyVisionNet, exampleImages } from './model.js';

const outDir = process.argv[2] ?? new URL('./out', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });

torch.manual_seed(0);
const model = new TinyVisionNet().eval();
const x = exampleImages();

// 1. trace: run forward once and record every op into a graph (checkTrace re-runs and compares)
const traced = await torch.jit.trace(model, [x], { checkTrace: true, checkInputs: [[exampleImages(2)]] });
console.log(`traced ${traced.typeName}: ${traced.ir.allNodes().length} nodes, ${traced.namedParameters().length} parameters, ${traced.warnings.length} warnings`);
console.log(traced.code.split('\n').slice(0, 12).join('\n') + '\n  ...');

// 2. save (the weights are stored aligned so that loading maps them without a copy)
const bytes = await torch.jit.save(traced, { extraFiles: { 'labels.json': JSON.stringify(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']) } });
writeFileSync(join(outDir, 'model.tlgf'), bytes);

// 3. export to ONNX for onnxruntime / PyTorch tooling
const onnx = await torch.onnx.export(traced, [x], { opset: 17, inputNames: ['images'], outputNames: ['logits', 'probs'] });
writeFileSync(join(outDir, 'model.onnx'), onnx);

// the eager outputs, for run.ts to compare against
const eager = model.forward(x);
writeFileSync(join(outDir, 'expected.json'), JSON.stringify({ input: Array.from(x.dataSync() as Float32Array), shape: x.shape, logits: Array.from(eager.logits.dataSync() as Float32Array) }));
console.log(`wrote ${join(outDir, 'model.tlgf')} (${bytes.length} bytes), model.onnx (${onnx.length} bytes), expected.json`);
