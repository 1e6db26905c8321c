/** Which common ops run on webgpu (kernel or decomposition) and which fail, with their errors: `npx tsx --conditions=development packages/backend-webgpu/scripts/probe.ts`. */
process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
import { callOp, Tensor, tensor } from '@torchlet/core';
import { init } from '../src/index.js';
await init();
const r = (s: number[]) => (callOp('aten::rand', [s]) as Tensor).to('webgpu');
const x4 = r([2, 3, 4, 5]), x2 = r([4, 6]), idx = tensor([0, 2, 1]).to('webgpu'), w = r([3]);
const cases: [string, () => unknown][] = [
  ['embedding', () => callOp('aten::embedding', [x2, idx])],
  ['index_select', () => callOp('aten::index_select', [x2, 0, idx])],
  ['gather', () => callOp('aten::gather', [x2, 1, tensor([[0], [1], [2], [3]]).to('webgpu')])],
  ['argmax', () => callOp('aten::argmax', [x2, 1])],
  ['max.dim', () => callOp('aten::max', [x2, 1])],
  ['var', () => callOp('aten::var', [x2, [1]])],
  ['std', () => callOp('aten::std', [x2, [1]])],
  ['group_norm', () => callOp('aten::group_norm', [x4, 3])],
  ['instance_norm', () => callOp('aten::instance_norm', [x4, null, null, null, null, true, 0.1, 1e-5, false])],
  ['upsample_nearest2d', () => callOp('aten::upsample_nearest2d', [x4, [8, 10]])],
  ['upsample_bilinear2d', () => callOp('aten::upsample_bilinear2d', [x4, [8, 10], false])],
  ['interpolate', () => callOp('aten::interpolate', [x4, null, [2.0, 2.0], 'nearest'])],
  ['constant_pad_nd', () => callOp('aten::constant_pad_nd', [x4, [1, 1, 2, 0], 0])],
  ['pad reflect', () => callOp('aten::pad', [x4, [1, 1], 'reflect'])],
  ['stack', () => callOp('aten::stack', [[x2, x2], 1])],
  ['flip', () => callOp('aten::flip', [x2, [0]])],
  ['cumsum', () => callOp('aten::cumsum', [x2, 1])],
  ['roll', () => callOp('aten::roll', [x2, [1], [0]])],
  ['repeat', () => callOp('aten::repeat', [x2, [2, 1]])],
  ['tril', () => callOp('aten::tril', [x2])],
  ['logsumexp', () => callOp('aten::logsumexp', [x2, [1]])],
  ['norm', () => callOp('aten::norm', [x2])],
  ['sdpa', () => callOp('aten::scaled_dot_product_attention', [r([1, 2, 4, 8]), r([1, 2, 4, 8]), r([1, 2, 4, 8])])],
  ['glu', () => callOp('aten::glu', [x2, 1])],
  ['prelu', () => callOp('aten::prelu', [x4, w])],
  ['pixel_shuffle', () => callOp('aten::pixel_shuffle', [r([1, 4, 2, 2]), 2])],
  ['einsum', () => callOp('aten::einsum', ['ij,jk->ik', [x2, r([6, 3])]])],
  ['arange', () => callOp('aten::arange', [5], { device: 'webgpu' })],
  ['mse_loss', () => callOp('aten::mse_loss', [x2, x2])],
  ['cross_entropy', () => callOp('aten::cross_entropy_loss', [x2, tensor([0, 1, 2, 3]).to('webgpu')])],
  ['topk', () => callOp('aten::topk', [x2, 2])],
  ['unbind', () => callOp('aten::unbind', [x2, 0])],
  ['chunk', () => callOp('aten::chunk', [x2, 2, 1])],
  ['max_pool1d', () => callOp('aten::max_pool1d', [r([2, 3, 9]), [2]])],
  ['avg_pool1d', () => callOp('aten::avg_pool1d', [r([2, 3, 9]), [2]])],
  ['adaptive_avg_pool1d', () => callOp('aten::adaptive_avg_pool1d', [r([2, 3, 9]), [3]])],
  ['conv3d', () => callOp('aten::conv3d', [r([1, 2, 4, 4, 4]), r([2, 2, 2, 2, 2])])],
  ['addcmul', () => callOp('aten::addcmul', [x2, x2, x2])],
  ['lerp', () => callOp('aten::lerp', [x2, x2, 0.5])],
  ['softmin', () => callOp('aten::softmin', [x2, 1])],
  ['log_sigmoid', () => callOp('aten::log_sigmoid', [x2])],
  ['normalize', () => callOp('aten::normalize', [x2])],
  ['cosine_similarity', () => callOp('aten::cosine_similarity', [x2, x2])],
  ['bitwise_not', () => callOp('aten::bitwise_not', [idx])],
  ['remainder', () => callOp('aten::remainder', [x2, 0.3])],
  ['fmod', () => callOp('aten::fmod', [x2, 0.3])],
  ['any', () => callOp('aten::any', [callOp('aten::gt', [x2, 0.5])])],
  ['all', () => callOp('aten::all', [callOp('aten::gt', [x2, 0.5])])],
  ['nonzero', () => callOp('aten::nonzero', [x2])],
  ['std_mean', () => callOp('aten::std_mean', [x2, [1]])],
  ['sum dtype', () => callOp('aten::sum', [x2], { dtype: 'float32' })],
];
for (const [n, f] of cases) {
  try { const v = f(); const t = (Array.isArray(v) ? v[0] : v) as Tensor; await t.data(); console.log('ok  ', n); }
  catch (e) { console.log('FAIL', n, (e as Error).message.split('\n')[0]!.slice(0, 150)); }
}
