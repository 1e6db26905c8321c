import { _adaptive_avg_pool2d } from './_adaptive_avg_pool2d.js';
import { _adaptive_avg_pool3d } from './_adaptive_avg_pool3d.js';
import { _convolution } from './_convolution.js';
import { _convolution_mode } from './_convolution_mode.js';
import { adaptive_avg_pool1d } from './adaptive_avg_pool1d.js';
import { adaptive_avg_pool2d } from './adaptive_avg_pool2d.js';
import { adaptive_avg_pool3d } from './adaptive_avg_pool3d.js';
import { adaptive_max_pool1d } from './adaptive_max_pool1d.js';
import { adaptive_max_pool2d } from './adaptive_max_pool2d.js';
import { adaptive_max_pool3d } from './adaptive_max_pool3d.js';
import { avg_pool1d } from './avg_pool1d.js';
import { avg_pool2d } from './avg_pool2d.js';
import { avg_pool3d } from './avg_pool3d.js';
import { conv1d } from './conv1d.js';
import { conv2d } from './conv2d.js';
import { conv3d } from './conv3d.js';
import { conv_transpose1d } from './conv_transpose1d.js';
import { conv_transpose2d } from './conv_transpose2d.js';
import { conv_transpose3d } from './conv_transpose3d.js';
import { convolution } from './convolution.js';
import { max_pool1d } from './max_pool1d.js';
import { max_pool1d_with_indices } from './max_pool1d_with_indices.js';
import { max_pool2d } from './max_pool2d.js';
import { max_pool2d_with_indices } from './max_pool2d_with_indices.js';
import { max_pool3d } from './max_pool3d.js';
import { max_pool3d_with_indices } from './max_pool3d_with_indices.js';

import { col2im, foldF, im2col, unfoldF } from './im2col.js';

export const convOps = [
  im2col, col2im, unfoldF, foldF,
  conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, convolution, _convolution, _convolution_mode,
  max_pool1d, max_pool2d, max_pool3d, max_pool1d_with_indices, max_pool2d_with_indices, max_pool3d_with_indices,
  avg_pool1d, avg_pool2d, avg_pool3d, adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, _adaptive_avg_pool2d, _adaptive_avg_pool3d,
  adaptive_max_pool1d, adaptive_max_pool2d, adaptive_max_pool3d,
] as const;
