import { defineOp } from '../../registry.js';
import { Tensor } from '../../tensor.js';
import { storageArrayCtor } from '../../dtype.js';

/**
 * torchvision::nms: indices of the boxes kept by greedy non-maximum suppression, by decreasing
 * score (ties: lower index first); a box is dropped when its IoU with a kept box exceeds the
 * threshold. Boxes are (x1, y1, x2, y2) with x1 <= x2, y1 <= y2.
 */
export const nms = defineOp({
  name: 'nms',
  variants: [],
  overloads: [
    {
      schema: 'torchvision::nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor',
      cpuDynamic: (a) => {
        const d = a.dets as Tensor, s = a.scores as Tensor;
        if (d.ndim !== 2 || d.shape[1] !== 4) throw new Error(`boxes should have 2 dimensions and 4 columns, got [${d.shape}]`);
        if (s.ndim !== 1 || s.shape[0] !== d.shape[0]) throw new Error(`boxes and scores should have the same number of elements, got [${d.shape}] and [${s.shape}]`);
        const n = d.shape[0]!;
        const b = d.contiguousArray(), sc = s.contiguousArray();
        const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => sc[j]! - sc[i]! || i - j);
        const area = (i: number) => (b[4 * i + 2]! - b[4 * i]!) * (b[4 * i + 3]! - b[4 * i + 1]!);
        const suppressed = new Uint8Array(n);
        const keep: number[] = [];
        for (let oi = 0; oi < n; oi++) {
          const i = order[oi]!;
          if (suppressed[i]) continue;
          keep.push(i);
          const ai = area(i);
          for (let oj = oi + 1; oj < n; oj++) {
            const j = order[oj]!;
            if (suppressed[j]) continue;
            const w = Math.max(0, Math.min(b[4 * i + 2]!, b[4 * j + 2]!) - Math.max(b[4 * i]!, b[4 * j]!));
            const h = Math.max(0, Math.min(b[4 * i + 3]!, b[4 * j + 3]!) - Math.max(b[4 * i + 1]!, b[4 * j + 1]!));
            const inter = w * h;
            if (inter / (ai + area(j) - inter) > a.iou_threshold) suppressed[j] = 1;
          }
        }
        const out = new storageArrayCtor.int64(keep.length);
        out.set(keep);
        return Tensor.fromArray(out, [keep.length], 'int64');
      },
    },
  ],
});
