// The ABI between the kernel library (AssemblyScript, this folder) and its TypeScript driver
// (../src): argument-block slots, op codes, epilogue flags and task kinds. Plain constants, so
// both compilers read this one file.

// ---- epilogue flags (GEMM tiles and direct kernels)
/** add the existing C tile (K blocks after the first) */
export const F_ACCUM = 1;
/** add bias[row] */
export const F_BIAS_ROW = 2;
/** add bias[column] */
export const F_BIAS_COL = 4;
/** add a residual tile */
export const F_RES = 8;
/** clamp to [lo, hi] (relu: lo = 0, hi = +inf; relu6: 0, 6); NaN propagates */
export const F_CLAMP = 16;
/** multiply the product by alpha (after accumulating, before bias) */
export const F_SCALE = 32;

// ---- GEMM argument block (i32 slots)
export const G_M = 0;
export const G_N = 1;
export const G_K = 2;
/** packed A */
export const G_A = 3;
/** B base */
export const G_B = 4;
/** per-k byte offsets of B rows (K entries) */
export const G_OFFS = 5;
/** per-column byte offsets (N entries), or 0 with G_BPACKED */
export const G_PIX = 6;
export const G_C = 7;
/** C row stride in bytes */
export const G_LDC = 8;
export const G_MODE = 9;
/** bias by row, padded to a multiple of MR */
export const G_RBIAS = 10;
/** bias by column */
export const G_CBIAS = 11;
export const G_RES = 12;
export const G_LDR = 13;
export const G_LO = 14;
export const G_HI = 15;
/** column tiles per chunk */
export const G_TPC = 16;
/** row panels per chunk */
export const G_PPC = 17;
/** number of panel groups (chunks = tile groups x panel groups) */
export const G_NPG = 18;
/** 1: B is pre-packed in 8-column panels of K rows (offs = k * 32) */
export const G_BPACKED = 19;
/** a table 0, 32, 64, ... (KC entries) for gathered panels */
export const G_LIN = 20;
/** f32 scale with F_SCALE */
export const G_ALPHA = 21;
export const G_ARGS = 22;

// ---- prep argument block
export const P_X = 0;
export const P_C = 1;
export const P_H = 2;
export const P_W = 3;
export const P_SH = 4;
export const P_SW = 5;
export const P_PH = 6;
export const P_PW = 7;
export const P_HQ = 8;
export const P_WQ = 9;
export const P_OUT = 10;
export const P_PAD = 11;
/** number of phases in the list */
export const P_NPH = 12;
/** (py, px) pairs, i32 */
export const P_PHASES = 13;
/** channels per chunk */
export const P_CPC = 14;
export const P_ARGS = 15;
/** prepped planes */
export const D_X = 0;
/** bytes per channel plane */
export const D_PLANE = 1;
/** plane row width in floats */
export const D_WQ = 2;
export const D_OC = 3;
/** output channels per input channel */
export const D_MULT = 4;
/** taps in the window */
export const D_T = 5;
/** u32 byte offset of each tap from the channel's plane base */
export const D_TAPS = 6;
/** weights [OC][T] (depthwise) */
export const D_W = 7;
/** bias [OC] or 0 */
export const D_BIAS = 8;
export const D_OUT = 9;
export const D_OH = 10;
export const D_OW = 11;
/** residual [OC, OH, OW] or 0 */
export const D_RES = 12;
export const D_MODE = 13;
export const D_LO = 14;
export const D_HI = 15;
/** channels per chunk */
export const D_CPC = 16;
/** pooling: 0 max, 1 average */
export const D_POOL = 17;
/** average pooling divisors by output row / column (f32), product = divisor */
export const D_DIVH = 18;
export const D_DIVW = 19;
export const D_ARGS = 20;

// ---- binary ops
export const B_ADD = 0;
export const B_SUB = 1;
export const B_MUL = 2;
export const B_DIV = 3;
export const B_MAX = 4;
export const B_MIN = 5;
// binary argument block: op, a, b, out, ndim (1..4), shape[4], sa[4], sb[4] (element strides), alpha, rows per chunk
export const E_OP = 0;
export const E_A = 1;
export const E_B = 2;
export const E_OUT = 3;
export const E_NDIM = 4;
export const E_SHAPE = 5;
export const E_SA = 9;
export const E_SB = 13;
export const E_ALPHA = 17;
export const E_RPC = 18;
export const E_ARGS = 19;

// ---- unary ops
export const U_RELU = 0;
export const U_SIGMOID = 1;
export const U_TANH = 2;
export const U_EXP = 3;
export const U_LOG = 4;
export const U_GELU = 5;
export const U_GELU_TANH = 6;
export const U_SILU = 7;
export const U_HARDSWISH = 8;
export const U_HARDSIGMOID = 9;
export const U_NEG = 10;
export const U_ABS = 11;
export const U_SQRT = 12;
export const U_RSQRT = 13;
/** clamp(p0, p1) (also relu6 / hardtanh) */
export const U_CLAMP = 14;
/** leaky_relu(slope p0) */
export const U_LEAKY = 15;
/** elu(alpha p0) */
export const U_ELU = 16;
export const U_RECIP = 17;
export const U_ERF = 18;
/** x * p0 + p1 */
export const U_AFFINE = 19;
// unary argument block: op, x, out, n, p0, p1, elements per chunk (multiple of 4)
export const UN_OP = 0;
export const UN_X = 1;
export const UN_OUT = 2;
export const UN_N = 3;
export const UN_P0 = 4;
export const UN_P1 = 5;
export const UN_EPC = 6;
export const UN_ARGS = 7;

// ---- per-channel affine (batch_norm inference): out[n, c, :] = x[n, c, :] * scale[c] + shift[c]
export const CA_X = 0;
export const CA_OUT = 1;
export const CA_SCALE = 2;
export const CA_SHIFT = 3;
export const CA_C = 4;
/** elements per (n, c) plane */
export const CA_INNER = 5;
/** planes (n * C) */
export const CA_PLANES = 6;
/** planes per chunk */
export const CA_PPC = 7;
export const CA_MODE = 8;
export const CA_LO = 9;
export const CA_HI = 10;
export const CA_ARGS = 11;
export const R_SUM = 0;
export const R_MEAN = 1;
export const R_MAX = 2;
export const R_MIN = 3;
export const R_SOFTMAX = 4;
export const R_LOGSOFTMAX = 5;
// argument block: op, x, out, outer, r, inner, outer per chunk
export const RD_OP = 0;
export const RD_X = 1;
export const RD_OUT = 2;
export const RD_OUTER = 3;
export const RD_R = 4;
export const RD_INNER = 5;
export const RD_OPC = 6;
export const RD_ARGS = 7;

// ---- layer_norm over rows of D contiguous floats
export const LN_X = 0;
export const LN_OUT = 1;
/** weight [D] or 0 */
export const LN_W = 2;
/** bias [D] or 0 */
export const LN_B = 3;
export const LN_ROWS = 4;
export const LN_D = 5;
export const LN_EPS = 6;
/** per-row mean and rstd outputs (native_layer_norm) or 0 */
export const LN_MEAN = 7;
export const LN_RSTD = 8;
export const LN_RPC = 9;
export const LN_ARGS = 10;

// ---- task kinds (runTask)
export const K_GEMM = 0;
export const K_PREP = 1;
export const K_DEPTHWISE = 2;
export const K_POOL = 3;
export const K_BINARY = 4;
export const K_UNARY = 5;
export const K_AFFINE = 6;
export const K_REDUCE = 7;
export const K_LAYERNORM = 8;
export const K_RNNCELL = 9;
export const K_COL2IM = 10;
export const K_DWDIRECT = 11;
export const K_LSTMSTEP = 12;

// ---- recurrent cells (i32 slots): gates of the LSTM (i, f, g, o) or GRU (r, z, n)
/** 0 lstm, 1 gru */
export const RC_MODE = 0;
/** LSTM: gate pre-activations [B, 4H] (x W_ih^T + b_ih + h W_hh^T + b_hh); GRU: input gates [B, 3H] */
export const RC_G = 1;
/** GRU: hidden gates h W_hh^T + b_hh [B, 3H] */
export const RC_GH = 2;
/** LSTM: cell state [B, H], updated in place */
export const RC_C = 3;
/** GRU: previous hidden state, row stride RC_LDH floats */
export const RC_HPREV = 4;
/** new hidden state, row stride RC_LDH floats */
export const RC_HOUT = 5;
export const RC_LDH = 6;
export const RC_B = 7;
export const RC_H = 8;
/** rows per chunk */
export const RC_RPC = 9;
/** row stride of RC_G in floats */
export const RC_LDG = 10;
/** row stride of RC_HPREV in floats */
export const RC_LDHP = 11;
export const RC_ARGS = 12;

// ---- control block of a parallel task (i32 slots)
// Task g (the generation) is published as: its descriptor (kind, args, chunks) in slot g & 1,
// CLAIM = (g & 0xffff) << 16 | 0, then GEN = g. Threads claim chunk k of task g by a
// compare-exchange of CLAIM from (g, k) to (g, k + 1), so a thread that wakes up late for an
// older task claims nothing; the caller waits only until CDONE counts the task's chunks.
/** generation counter: workers wait on it */
export const T_GEN = 0;
/** (generation & 0xffff) << 16 | next chunk */
export const T_CLAIM = 1;
/** chunks of the current task completed */
export const T_CDONE = 2;
/** 1 once workers should exit */
export const T_EXIT = 3;
/** workers that have instantiated the module and wait for tasks */
export const T_READY = 4;
/** the pool's epoch: a worker of an earlier pool (being terminated) exits instead of running tasks */
export const T_EPOCH = 5;
/** descriptors: slot s at T_DESC + 4 * s: kind, argument block, chunks */
export const T_DESC = 8;
/** per-thread scratch pointers start here (one slot per thread) */
export const T_TMP = 16;
export const T_MAX_THREADS = 32;
/** bytes of the control block */
export const T_BYTES = 256;
/** bytes of per-thread scratch: a tile (3 * 6 * 8 + 8 floats) and a KC x 8 panel */
export const T_SCRATCH_BYTES = 16384;

// ---- col2im of a transposed convolution (i32 slots): out[oc] = bias[oc] + scatter of cols
/** columns [OC * KH * KW, H * W] */
export const CI_COLS = 0;
/** output [OC, OH, OW] */
export const CI_OUT = 1;
export const CI_OC = 2;
export const CI_KH = 3;
export const CI_KW = 4;
export const CI_H = 5;
export const CI_W = 6;
export const CI_OH = 7;
export const CI_OW = 8;
export const CI_SH = 9;
export const CI_SW = 10;
export const CI_PH = 11;
export const CI_PW = 12;
export const CI_DH = 13;
export const CI_DW = 14;
/** bias [OC] or 0 */
export const CI_BIAS = 15;
/** output channels per chunk */
export const CI_CPC = 16;
export const CI_ARGS = 17;

// ---- stride-1 depthwise convolution straight from the input (no padded copy); i32 slots
/** input [C, H, W] of one image */
export const DD_X = 0;
export const DD_C = 1;
export const DD_H = 2;
export const DD_W = 3;
/** output channels per input channel */
export const DD_MULT = 4;
export const DD_KH = 5;
export const DD_KW = 6;
export const DD_PH = 7;
export const DD_PW = 8;
export const DD_DH = 9;
export const DD_DW = 10;
/** weights [OC][KH * KW] */
export const DD_WT = 11;
/** bias [OC] or 0 */
export const DD_BIAS = 12;
export const DD_OUT = 13;
export const DD_OH = 14;
export const DD_OW = 15;
export const DD_RES = 16;
export const DD_MODE = 17;
export const DD_LO = 18;
export const DD_HI = 19;
/** output channels per chunk */
export const DD_CPC = 20;
export const DD_ARGS = 21;

// ---- one LSTM time step with gate-interleaved packed weights (i32 slots)
/** W_hh packed as 8-column panels of H rows, panel 4 * u + g = gate g of units [8u, 8u + 8) */
export const LS_W = 0;
/** input projections of this step: row b at LS_GI + b * LS_LDGI floats, same interleaved column order */
export const LS_GI = 1;
export const LS_LDGI = 2;
/** previous hidden state rows (row stride LS_LDHP floats) */
export const LS_HPREV = 3;
export const LS_LDHP = 4;
/** new hidden state rows (row stride LS_LDH floats) */
export const LS_HOUT = 5;
export const LS_LDH = 6;
/** cell state [B, 8 * ceil(H / 8)] (rows padded to whole blocks), updated in place */
export const LS_C = 7;
export const LS_B = 8;
export const LS_H = 9;
/** unit blocks (of 8) per chunk */
export const LS_UPC = 10;
export const LS_ARGS = 11;
