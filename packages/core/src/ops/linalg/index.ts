import { addbmm } from './addbmm.js';
import { addmm } from './addmm.js';
import { addmv } from './addmv.js';
import { addr } from './addr.js';
import { baddbmm } from './baddbmm.js';
import { bilinear } from './bilinear.js';
import { bmm } from './bmm.js';
import { cross, linalg_cross } from './cross.js';
import { dot } from './dot.js';
import { einsum } from './einsum.js';
import { ger } from './ger.js';
import { inner } from './inner.js';
import { kron } from './kron.js';
import { linear } from './linear.js';
import { matmul } from './matmul.js';
import { mm } from './mm.js';
import { mv } from './mv.js';
import { outer } from './outer.js';
import { tensordot } from './tensordot.js';
import { trace } from './trace.js';
import { vdot } from './vdot.js';

export const linalgOps = [
  mm, bmm, matmul, addmm, addmv, addbmm, baddbmm, addr, dot, vdot, mv, outer, ger, inner, tensordot, einsum, linear, bilinear, kron,
  cross, linalg_cross, trace,
] as const;
