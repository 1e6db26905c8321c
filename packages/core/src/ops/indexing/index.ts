import { index, index_put, index_put_ } from './advanced.js';
import { getitem, setitem } from './getitem.js';
import { embedding, embedding_renorm_, one_hot } from './embedding.js';
import { gather, scatter, scatter_add, scatter_reduce, take_along_dim } from './gather.js';
import { index_add, index_copy, index_fill, index_reduce, index_select, put, take } from './index_select.js';
import { argwhere, masked_scatter, masked_select, nonzero, nonzero_numpy } from './masked.js';
import { diagonal_scatter, select_scatter, slice_scatter } from './scatter_views.js';
import { bucketize, searchsorted } from './search.js';
import { _unique, _unique2, unique, unique_consecutive, unique_dim } from './unique.js';

export const indexingOps = [
  gather, scatter, scatter_add, scatter_reduce, take_along_dim,
  index_select, index_add, index_copy, index_fill, index_reduce, take, put,
  index, index_put, index_put_, getitem, setitem,
  masked_select, masked_scatter, nonzero, nonzero_numpy, argwhere,
  embedding, embedding_renorm_, one_hot,
  select_scatter, slice_scatter, diagonal_scatter,
  searchsorted, bucketize,
  unique, _unique, _unique2, unique_dim, unique_consecutive,
] as const;
