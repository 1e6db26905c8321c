import { as_strided, diagonal, unfold } from './as_strided.js';
import { cat, column_stack, concat, concatenate, dstack, hstack, stack, vstack } from './cat.js';
import { clone } from './clone.js';
import { alias, contiguous } from './contiguous.js';
import { copy_ } from './copy_.js';
import { detach, resolve_conj, resolve_neg, swapaxes, swapdims } from './detach.js';
import { block_diag, diag, diag_embed, diagflat } from './diag.js';
import { broadcast_tensors, broadcast_to, expand, expand_as } from './expand.js';
import { atleast_1d, atleast_2d, atleast_3d, flatten, ravel, reshape_as, unflatten, view_as } from './flatten.js';
import { flip, fliplr, flipud, roll, rot90 } from './flip.js';
import { _reshape_alias, squeeze_, t_, transpose_, unsqueeze_ } from './inplace_views.js';
import { cartesian_prod, combinations, meshgrid } from './meshgrid.js';
import { moveaxis, movedim } from './movedim.js';
import {
  _pad_circular, _pad_enum, constant_pad_nd, pad, reflection_pad1d, reflection_pad2d, reflection_pad3d, replication_pad1d, replication_pad2d, replication_pad3d,
} from './pad.js';
import { permute } from './permute.js';
import { pixel_shuffle, pixel_unshuffle } from './pixel_shuffle.js';
import { repeat, repeat_interleave, tile } from './repeat.js';
import { reshape } from './reshape.js';
import { narrow, narrow_copy, select, slice } from './select.js';
import { chunk, dsplit, hsplit, split, split_with_sizes, tensor_split, unbind, unsafe_chunk, unsafe_split, vsplit } from './split.js';
import { squeeze, unsqueeze } from './squeeze.js';
import { adjoint, H, mH, mT, T, t } from './t.js';
import { _to_copy, cpu, to } from './to.js';
import { transpose } from './transpose.js';
import { tril, triu } from './tril.js';
import { view } from './view.js';

export const shapeOps = [
  view, reshape, permute, transpose, clone, contiguous, alias, copy_, _to_copy, to, cpu,
  expand, expand_as, broadcast_to, broadcast_tensors, squeeze, unsqueeze, select, slice, narrow, narrow_copy,
  t, T, mT, mH, H, adjoint, swapaxes, swapdims, detach, resolve_neg, resolve_conj,
  squeeze_, unsqueeze_, transpose_, t_, _reshape_alias,
  split, split_with_sizes, unsafe_split, chunk, unsafe_chunk, tensor_split, hsplit, vsplit, dsplit, unbind,
  flatten, unflatten, ravel, view_as, reshape_as, atleast_1d, atleast_2d, atleast_3d, movedim, moveaxis,
  as_strided, diagonal, unfold,
  cat, concat, concatenate, stack, hstack, vstack, dstack, column_stack,
  flip, fliplr, flipud, roll, rot90, repeat, tile, repeat_interleave, tril, triu,
  constant_pad_nd, pad, _pad_enum, _pad_circular, reflection_pad1d, reflection_pad2d, reflection_pad3d, replication_pad1d, replication_pad2d, replication_pad3d,
  pixel_shuffle, pixel_unshuffle, diag, diag_embed, diagflat, block_diag, meshgrid, cartesian_prod, combinations,
] as const;
