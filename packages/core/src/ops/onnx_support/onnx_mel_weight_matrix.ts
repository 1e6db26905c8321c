import { defineOp } from '../../registry.js';
import { parseDType } from '../../dtype.js';

/**
 * ONNX MelWeightMatrix (opset 17): [dft_length / 2 + 1, num_mel_bins] triangular filters, built
 * exactly as the ONNX reference implementation does (mel points spaced over num_mel_bins + 2
 * steps, then floored onto FFT bins). Internal: ONNX import only.
 */
export const onnx_mel_weight_matrix = defineOp({
  name: 'onnx_mel_weight_matrix',
  variants: [],
  tags: ['factory'],
  overloads: [
    {
      schema: 'torchlet::onnx_mel_weight_matrix(int num_mel_bins, int dft_length, int sample_rate, float lower_edge_hertz, float upper_edge_hertz, *, ScalarType dtype=float) -> Tensor',
      infer: (a) => {
        if (a.num_mel_bins < 1 || a.dft_length < 1 || a.sample_rate <= 0) throw new Error(`invalid arguments: num_mel_bins=${a.num_mel_bins}, dft_length=${a.dft_length}, sample_rate=${a.sample_rate}`);
        return { shape: [Math.floor(a.dft_length / 2) + 1, a.num_mel_bins], dtype: parseDType(a.dtype) };
      },
      cpu: (a, [out]) => {
        const nMel = a.num_mel_bins as number, n = a.dft_length as number;
        const nSpec = Math.floor(n / 2) + 1;
        const toMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
        const lo = toMel(a.lower_edge_hertz), hi = toMel(a.upper_edge_hertz);
        const step = (hi - lo) / (nMel + 2);
        const bins = Array.from({ length: nMel + 2 }, (_, i) => {
          const hz = 700 * (10 ** ((i * step + lo) / 2595) - 1);
          return Math.trunc(Math.floor(((n + 1) * hz) / a.sample_rate));
        });
        const o = out!.hostArray;
        o.fill(0);
        const set = (j: number, i: number, v: number) => {
          if (j >= 0 && j < nSpec) o[j * nMel + i] = v;
        };
        for (let i = 0; i < nMel; i++) {
          const left = bins[i]!, center = bins[i + 1]!, right = bins[i + 2]!;
          const up = center - left;
          if (up === 0) set(center, i, 1);
          else for (let j = left; j <= center; j++) set(j, i, (j - left) / up);
          const down = right - center;
          if (down > 0) for (let j = center; j < right; j++) set(j, i, (right - j) / down);
        }
      },
    },
  ],
});
