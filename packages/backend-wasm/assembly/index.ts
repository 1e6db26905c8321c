// Entry of the kernel library: the task runner every thread calls, plus the single-call helpers.
//
// A parallel task is a kind, an argument block and a number of chunks in a control block in
// shared memory. Every thread (the caller and the pool's workers) runs `runTask`, which claims
// chunks with an atomic counter until none are left, so a thread slowed down by another process
// simply takes fewer chunks.

import { gemmChunk } from './gemm';
import { prepChunk, depthwiseChunk, poolChunk, col2imChunk, depthwiseDirectChunk } from './conv';
import { binaryChunk, unaryChunk, channelAffineChunk, rnnCellChunk, lstmStepChunk } from './elementwise';
import { reduceChunk, layerNormChunk } from './reduce';
import { K_GEMM, K_PREP, K_DEPTHWISE, K_POOL, K_BINARY, K_UNARY, K_AFFINE, K_REDUCE, K_LAYERNORM, K_RNNCELL, K_COL2IM, K_DWDIRECT, K_LSTMSTEP, T_CLAIM, T_DESC, T_TMP, T_CDONE } from './abi';

export { packA, packB, gemmMR, gemmKC } from './gemm';

function runChunk(kind: i32, args: usize, chunk: i32, tmp: usize): void {
  switch (kind) {
    case K_GEMM: gemmChunk(args, chunk, tmp); break;
    case K_PREP: prepChunk(args, chunk); break;
    case K_DEPTHWISE: depthwiseChunk(args, chunk); break;
    case K_POOL: poolChunk(args, chunk); break;
    case K_BINARY: binaryChunk(args, chunk); break;
    case K_UNARY: unaryChunk(args, chunk); break;
    case K_AFFINE: channelAffineChunk(args, chunk); break;
    case K_REDUCE: reduceChunk(args, chunk); break;
    case K_LAYERNORM: layerNormChunk(args, chunk); break;
    case K_RNNCELL: rnnCellChunk(args, chunk); break;
    case K_COL2IM: col2imChunk(args, chunk); break;
    case K_DWDIRECT: depthwiseDirectChunk(args, chunk); break;
    case K_LSTMSTEP: lstmStepChunk(args, chunk); break;
    default: unreachable();
  }
}

/** Claims and runs chunks of task `gen` until none are left (or a newer task was published). */
export function runTask(ctrl: usize, tid: i32, gen: i32): void {
  const d = ctrl + (<usize>(T_DESC + 4 * (gen & 1)) << 2);
  const kind = load<i32>(d), args = <usize>load<u32>(d, 4), n = load<i32>(d, 8);
  const tmp = <usize>load<u32>(ctrl + (<usize>(T_TMP + tid) << 2));
  const claim = ctrl + (<usize>T_CLAIM << 2);
  const tag = (gen & 0xffff) << 16;
  while (true) {
    const c = atomic.load<i32>(claim);
    if ((c & 0xffff0000) != tag) break;
    const k = c & 0xffff;
    if (k >= n) break;
    if (atomic.cmpxchg<i32>(claim, c, c + 1) != c) continue;
    runChunk(kind, args, k, tmp);
    atomic.add<i32>(ctrl + (<usize>T_CDONE << 2), 1);
  }
}

/** Whether this build uses relaxed SIMD (fused multiply-add). */
export function relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
