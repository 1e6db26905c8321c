process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
import { readFileSync } from 'node:fs';
import { setDispatchObserver, type Tensor } from '@torchlet/core';
import { jit } from '../../jit/src/index.js';
import { readNpyFile } from '../../jit/test/helpers.js';
import { init } from '../src/index.js';
const be = await init();
for (const dir of process.argv.slice(2)) {
  const meta = JSON.parse(readFileSync(`${dir}/meta.json`, 'utf8'));
  const m = await jit.load(`${dir}/model.pt`);
  const seen = new Map<string, number>();
  setDispatchObserver({ onOp: (ov) => seen.set(ov.key, (seen.get(ov.key) ?? 0) + 1) });
  const inputs = meta.inputs.map((i: any) => readNpyFile(`${dir}/${i.file}`));
  const first = (v: unknown): Tensor => (Array.isArray(v) ? first(v[0]) : (v as Tensor));
  const want = first(await m.forward(...inputs));
  setDispatchObserver(undefined);
  console.log(dir, [...seen.entries()].map(([k, v]) => `${k}:${v}`).join(' '));
  m.to('webgpu');
  const t0 = performance.now();
  const out = first(await m.forward(...inputs.map((t: Tensor) => t.to("webgpu"))));
  const got = await out.data();
  const w = want.dataSync();
  let maxd = 0;
  for (let i = 0; i < w.length; i++) maxd = Math.max(maxd, Math.abs(Number(got[i]) - Number(w[i])));
  let mw = 0; for (let i = 0; i < w.length; i++) mw = Math.max(mw, Math.abs(Number(w[i])));
  console.log(out.device, out.shape, "max |cpu|", mw, "max abs diff vs cpu", maxd, (performance.now() - t0).toFixed(0), 'ms', JSON.stringify(be.counters));
}
