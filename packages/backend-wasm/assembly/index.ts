// Entry of the kernel library: the task runner every thread calls, plus the single-call helpers.
//
// A parallel task is a kind, an argument block and a number of chunks in a control block in
// shared memory. Every thread (the caller and the pool's workers) runs `runTask`, which claims
// chunks with an atomic counter until none are left, so a thread slowed down by another process
// simply takes fewer chunks.

import { gemmChunk } from './gemm';
import { prepChunk, depthwiseChunk, poolChunk, col2imChunk, depthwiseDirectChunk } from './conv';
import { binaryChunk, unaryChunk, channelAffineChunk, rnnCellChunk } from './elementwise';
import { reduceChunk, layerNormChunk } from './reduce';
import { K_GEMM, K_PREP, K_DEPTHWISE, K_POOL, K_BINARY, K_UNARY, K_AFFINE, K_REDUCE, K_LAYERNORM, K_RNNCELL, K_COL2IM, K_DWDIRECT, T_NEXT, T_CHUNKS, T_KIND, T_ARGS, T_TMP, T_CDONE } from './abi';

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
    default: unreachable();
  }
}

/** Claims and runs chunks of the control block's task until none are left. */
export function runTask(ctrl: usize, tid: i32): void {
  const kind = load<i32>(ctrl + (<usize>T_KIND << 2));
  const args = <usize>load<u32>(ctrl + (<usize>T_ARGS << 2));
  const n = load<i32>(ctrl + (<usize>T_CHUNKS << 2));
  const tmp = <usize>load<u32>(ctrl + (<usize>(T_TMP + tid) << 2));
  while (true) {
    const c = atomic.add<i32>(ctrl + (<usize>T_NEXT << 2), 1);
    if (c >= n) break;
    runChunk(kind, args, c, tmp);
    atomic.add<i32>(ctrl + (<usize>T_CDONE << 2), 1);
  }
}

/** Whether this build uses relaxed SIMD (fused multiply-add). */
export function relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
