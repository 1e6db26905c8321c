import { batch_norm } from './batch_norm.js';
import { group_norm } from './group_norm.js';
import { __upsample, __upsample_bilinear, __upsample_nearest, interpolate, upsample, upsample_bilinear, upsample_nearest } from './interpolate.js';
import { instance_norm } from './instance_norm.js';
import { layer_norm } from './layer_norm.js';
import { local_response_norm } from './local_response_norm.js';
import { native_batch_norm } from './native_batch_norm.js';
import { native_group_norm } from './native_group_norm.js';
import { native_layer_norm } from './native_layer_norm.js';
import { normalize } from './normalize.js';
import { upsampleOps } from './upsample.js';

export const nnOps = [
  // normalization
  native_batch_norm, batch_norm, instance_norm, native_layer_norm, layer_norm, native_group_norm, group_norm, normalize, local_response_norm,
  // interpolation
  ...upsampleOps, interpolate, upsample, upsample_nearest, upsample_bilinear, __upsample, __upsample_nearest, __upsample_bilinear,
] as const;
