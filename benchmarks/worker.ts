/**
 * One contender (a runtime at a thread count) in its own worker thread, so that runtimes whose
 * thread count is fixed at initialisation (onnxruntime-web, tfjs-backend-wasm) run at 1 and 2
 * threads in the same process. The main thread sends `prepare` / `run` / `release` messages and
 * only one worker works at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CASES, type Lib } from './cases.js';
import { makeFactory, type Prepared } from './runtimes.js';

const { lib, threads, modelsDir } = workerData as { lib: Lib; threads: number; modelsDir: string };

type Msg = { type: 'prepare'; id: string } | { type: 'run'; id: string; iters: number } | { type: 'release'; id: string };

const prepared = new Map<string, Prepared>();

// ------------------------------------------------------------------------------------ message loop

const factory = await makeFactory(lib, threads, modelsDir);

parentPort!.on('message', async (m: Msg) => {
  try {
    const c = CASES.find((x) => x.id === m.id)!;
    if (m.type === 'prepare') {
      const p = await factory(c);
      prepared.set(c.id, p);
      for (let i = 0; i < 3; i++) await p.run();
      parentPort!.postMessage({ ok: true });
    } else if (m.type === 'run') {
      const p = prepared.get(c.id)!;
      const times: number[] = [];
      for (let i = 0; i < m.iters; i++) {
        const t0 = performance.now();
        await p.run();
        times.push(performance.now() - t0);
      }
      parentPort!.postMessage({ ok: true, times });
    } else if (m.type === 'release') {
      prepared.get(c.id)?.release();
      prepared.delete(c.id);
      parentPort!.postMessage({ ok: true });
    }
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: e instanceof Error ? `${e.message}` : String(e) });
  }
});
parentPort!.postMessage({ ready: true });
