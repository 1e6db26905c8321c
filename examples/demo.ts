/**
 * `pnpm demo`: a small CNN written with torch.nn, run on a generated 1x3x64x64 image.
 * Prints the model, its top-5 classes with probabilities, and timings (first run and the
 * median of a few more). Then loads a model PyTorch saved (test-models/pytorch/small_cnn: the
 * same network as TorchScript, `model.pt`, and as ONNX, `model.onnx`), runs both on PyTorch's
 * input and prints their outputs next to PyTorch's.
 *
 * The weights are PyTorch's default initialisation after `torch.manual_seed(0)` (the same
 * values PyTorch 1.13 draws for this model), so the network is untrained and its "predictions"
 * are arbitrary; the point is the API and the run time.
 */
import { readFileSync } from 'node:fs';
import * as torch from 'torchlet';

const { nn } = torch;

const CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** What PyTorch 1.13 prints for the same model, seed and image: (class, probability in %). */
const PYTORCH_TOP5: [number, number][] = [[7, 11.39], [5, 11.06], [3, 10.67], [2, 10.39], [0, 10.1]];

class SmallCNN extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(3, 16, 3, { stride: 2, padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { padding: 1 }), new nn.BatchNorm2d(64), new nn.ReLU(),
  );
  pool = new nn.AdaptiveAvgPool2d(1);
  flatten = new nn.Flatten();
  classifier = new nn.Linear(64, CLASSES.length);

  forward(x: torch.Tensor): torch.Tensor {
    return this.classifier.call(this.flatten.call(this.pool.call(this.features.call(x))));
  }
}

/** A 64x64 RGB test card (a warm disc on a cool gradient), normalized with ImageNet mean/std. */
function makeImage(size = 64): torch.Tensor {
  const mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
  const data = new Float32Array(3 * size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const r2 = (x - size * 0.55) ** 2 + (y - size * 0.45) ** 2;
      const disc = r2 < (size * 0.28) ** 2 ? 1 : 0;
      const rgb = [0.2 + 0.7 * disc + 0.1 * (x / size), 0.3 + 0.3 * disc * (y / size), 0.8 - 0.6 * disc - 0.2 * (y / size)];
      for (let c = 0; c < 3; c++) data[c * size * size + y * size + x] = (rgb[c]! - mean[c]!) / std[c]!;
    }
  }
  return torch.tensor(data, { shape: [1, 3, size, size] });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  torch.manual_seed(0);
  const model = new SmallCNN().eval();
  const nParams = model.parameters().reduce((n, p) => n + p.numel(), 0);
  console.log('torchlet demo: a small CNN written with torch.nn, on a generated 1x3x64x64 image\n');
  console.log(model.toString());
  console.log(`\n${nParams.toLocaleString('en-US')} parameters (PyTorch's default init after torch.manual_seed(0); untrained)`);

  const image = makeImage();
  const storagesBefore = torch.memory().storages;
  const predict = (): torch.Tensor => torch.tidy(() => torch.softmax(model.call(image), 1));

  let t0 = performance.now();
  const probs = predict();
  const first = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    t0 = performance.now();
    predict().dispose();
    times.push(performance.now() - t0);
  }

  const [values, indices] = torch.topk(probs, 5) as torch.Tensor[];
  const p = (await values!.data()) as Float32Array;
  const idx = (await indices!.data()) as BigInt64Array;
  console.log('\ntop-5:');
  let same = true;
  for (let i = 0; i < 5; i++) {
    const k = Number(idx[i]);
    const [wantK, wantP] = PYTORCH_TOP5[i]!;
    same &&= k === wantK && Math.abs(100 * p[i]! - wantP) < 0.006;
    console.log(`  ${i + 1}. ${CLASSES[k]!.padEnd(11)} ${(100 * p[i]!).toFixed(2).padStart(6)}%`);
  }
  console.log(same ? 'PyTorch 1.13 gives the same top-5 for this model and image.' : 'WARNING: PyTorch 1.13 gives a different top-5 for this model and image.');
  console.log(`\ntiming (CPU backend, Node ${process.version}): first run ${first.toFixed(1)} ms, median of ${times.length} runs ${median(times).toFixed(1)} ms`);

  for (const t of [probs, values!, indices!]) t.dispose();
  const leaked = torch.memory().storages - storagesBefore;
  console.log(`tensors leaked by the runs: ${leaked}`);
  image.dispose();
  model.dispose();
}

/** Loads PyTorch's TorchScript and ONNX files of one model and runs them on PyTorch's input. */
async function loadedModels(): Promise<void> {
  const tm = (rel: string): string => new URL(`../test-models/${rel}`, import.meta.url).pathname;
  const npy = (path: string): torch.Tensor => torch.onnx.readNpy(new Uint8Array(readFileSync(path)));
  const x = npy(tm('pytorch/small_cnn/input_0.npy'));
  const want = npy(tm('pytorch/small_cnn/output_0.npy'));
  const show = (t: torch.Tensor): string => `[${Array.from(t.contiguousArray().slice(0, 5), (v) => v.toFixed(4).padStart(8)).join(', ')}, ...]`;
  const maxDiff = (a: torch.Tensor, b: torch.Tensor): number => {
    const u = a.contiguousArray(), v = b.contiguousArray();
    let m = 0;
    for (let i = 0; i < u.length; i++) m = Math.max(m, Math.abs(u[i]! - v[i]!));
    return m;
  };
  console.log(`
loading models saved by PyTorch (test-models/pytorch/small_cnn), input ${JSON.stringify(x.shape)}:`);
  console.log(`  PyTorch 1.13 output[0]:  ${show(want)}`);

  let t0 = performance.now();
  const scripted = await torch.jit.load(tm('pytorch/small_cnn/model.pt'));
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  const y = (await scripted.forward(x)) as torch.Tensor;
  const runMs = performance.now() - t0;
  console.log(`  torch.jit.load  (.pt):   ${show(y)}  max |diff| ${maxDiff(y, want).toExponential(1)}  load ${loadMs.toFixed(1)} ms, first run ${runMs.toFixed(1)} ms`);

  t0 = performance.now();
  const session = await torch.onnx.load(tm('onnx/pytorch/small_cnn/model.onnx'));
  const loadOnnx = performance.now() - t0;
  t0 = performance.now();
  const out = await session.run({ [session.inputNames[0]!]: x });
  const runOnnx = performance.now() - t0;
  const z = out[session.outputNames[0]!] as torch.Tensor;
  console.log(`  torch.onnx.load (.onnx): ${show(z)}  max |diff| ${maxDiff(z, want).toExponential(1)}  load ${loadOnnx.toFixed(1)} ms, first run ${runOnnx.toFixed(1)} ms`);
  for (const t of [x, want, y, z]) t.dispose();
}

await main();
await loadedModels();
