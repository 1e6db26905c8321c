/** torch.nn.init draws against PyTorch 1.13 values (test-models/nn/random.json). */
import { describe, it } from 'vitest';
import { Tensor, manualSeed, type DType } from '@torchlet/core';
import * as nn from '../src/index.js';
import { expectMatches, loadJson, type FixtureTensor } from './fixtures.js';

const R = loadJson<Record<string, FixtureTensor>>('random.json');
const empty = (shape: number[], dtype: DType = 'float32'): Tensor => Tensor.empty(shape, dtype);
const seed = (s: number): void => {
  manualSeed(s);
};

describe('torch.nn.init reproduces PyTorch', () => {
  it('uniform_ float32 (bit-exact) and float64', () => {
    seed(0);
    expectMatches(nn.init.uniform_(empty([3000]), -0.37, 0.71), R.uniform_f32!, 'uniform_f32', 0, 0);
    expectMatches(nn.init.uniform_(empty([20], 'float64'), -2, 3), R.uniform_f64!, 'uniform_f64', 0, 0);
  });

  it('normal_: normal_fill for >= 16 elements, cached Box-Muller pairs below', () => {
    seed(1);
    expectMatches(nn.init.normal_(empty([40]), 0.5, 2.0), R.normal_f32_40!, 'normal_f32_40', 2e-6, 1e-7);
    expectMatches(nn.init.normal_(empty([5])), R.normal_f32_5a!, 'normal_f32_5a', 1e-7, 0);
    expectMatches(nn.init.normal_(empty([5])), R.normal_f32_5b!, 'normal_f32_5b', 1e-7, 0);
    expectMatches(nn.init.normal_(empty([20], 'float64'), -1, 0.5), R.normal_f64_20!, 'normal_f64_20', 1e-12, 0);
  });

  it('xavier/kaiming initialisers and the generator state after them', () => {
    seed(2);
    expectMatches(nn.init.xavier_uniform_(empty([6, 5]), nn.init.calculate_gain('tanh')), R.xavier_uniform!, 'xavier_uniform', 0, 0);
    expectMatches(nn.init.kaiming_normal_(empty([6, 5, 3]), { mode: 'fan_out', nonlinearity: 'relu' }), R.kaiming_normal!, 'kaiming_normal', 2e-6, 1e-7);
    expectMatches(nn.init.xavier_normal_(empty([4, 7])), R.xavier_normal!, 'xavier_normal', 2e-6, 1e-7);
    expectMatches(nn.init.kaiming_uniform_(empty([4, 3]), { a: 0.1 }), R.kaiming_uniform!, 'kaiming_uniform', 0, 0);
    expectMatches(nn.init.uniform_(empty([4])), R.after!, 'after', 0, 0);
  });
});
