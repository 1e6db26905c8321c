import { Tensor, type OpDecl } from '@torchlet/core';
import { cast, onnxOp, op, scalar } from './define.js';

const GRID_MODES: Record<string, number> = { bilinear: 0, linear: 0, nearest: 1, bicubic: 2, cubic: 2 };
const GRID_PADDING: Record<string, number> = { zeros: 0, border: 1, reflection: 2 };

export const visionOps: OpDecl[] = [
  onnxOp('NonMaxSuppression', 'Tensor boxes, Tensor scores, Tensor? max_output_boxes_per_class=None, Tensor? iou_threshold=None, Tensor? score_threshold=None, *, int center_point_box=0', 'Tensor', (a) => {
    const boxes = cast(a.boxes, 'float32'), scores = cast(a.scores, 'float32');
    const [B, C] = scores.shape as [number, number];
    const maxOut = a.max_output_boxes_per_class ? scalar(a.max_output_boxes_per_class) : 0;
    const iou = a.iou_threshold ? scalar(a.iou_threshold) : 0;
    const minScore = a.score_threshold ? scalar(a.score_threshold) : null;
    // corners (x1, y1, x2, y2) with x1 <= x2, y1 <= y2 from either box format
    let corners: Tensor;
    if (a.center_point_box) {
      const [cx, cy, w, h] = [0, 1, 2, 3].map((i) => op('aten::select', boxes, 2, i)) as [Tensor, Tensor, Tensor, Tensor];
      const hw = op('aten::div', w, 2), hh = op('aten::div', h, 2);
      corners = op('aten::stack', [op('aten::sub', cx, hw), op('aten::sub', cy, hh), op('aten::add', cx, hw), op('aten::add', cy, hh)], 2);
    } else {
      const [y1, x1, y2, x2] = [0, 1, 2, 3].map((i) => op('aten::select', boxes, 2, i)) as [Tensor, Tensor, Tensor, Tensor];
      corners = op('aten::stack', [op('aten::minimum', x1, x2), op('aten::minimum', y1, y2), op('aten::maximum', x1, x2), op('aten::maximum', y1, y2)], 2);
    }
    const rows: number[] = [];
    if (maxOut > 0) {
      for (let b = 0; b < B; b++) {
        const bb = op('aten::select', corners, 0, b);
        for (let c = 0; c < C; c++) {
          let s = op('aten::select', op('aten::select', scores, 0, b), 0, c);
          let ids = op('aten::arange', s.numel(), { dtype: 'int64' });
          let cand = bb;
          if (minScore !== null) {
            const keep = op('aten::reshape', op('aten::nonzero', op('aten::gt', s, minScore)), [-1]);
            ids = keep;
            s = op('aten::index_select', s, 0, keep);
            cand = op('aten::index_select', bb, 0, keep);
          }
          const kept = op('torchvision::nms', cand, s, iou);
          const picked = Array.from(op('aten::index_select', ids, 0, kept).contiguousArray(), Number).slice(0, maxOut);
          for (const i of picked) rows.push(b, c, i);
        }
      }
    }
    return rowsTensor(rows);
  }),
  onnxOp('GridSample', 'Tensor X, Tensor grid, *, int align_corners=0, str mode="bilinear", str padding_mode="zeros"', 'Tensor', (a) => {
    const m = GRID_MODES[a.mode], p = GRID_PADDING[a.padding_mode];
    if (m === undefined) throw new Error(`mode '${a.mode}' is not one of bilinear, nearest, bicubic`);
    if (p === undefined) throw new Error(`padding_mode '${a.padding_mode}' is not one of zeros, border, reflection`);
    return op('aten::grid_sampler', a.X, cast(a.grid, (a.X as Tensor).dtype), m, p, a.align_corners === 1);
  }),
  onnxOp('RoiAlign', 'Tensor X, Tensor rois, Tensor batch_indices, *, str coordinate_transformation_mode="half_pixel", str mode="avg", int output_height=1, int output_width=1, int sampling_ratio=0, float spatial_scale=1.0, int _opset=16', 'Tensor', (a) => {
    if (a.mode !== 'avg') throw new Error(`mode '${a.mode}' is not supported (only avg)`);
    const x = a.X as Tensor;
    // opsets before 16 had no coordinate_transformation_mode and behaved as output_half_pixel
    const aligned = a._opset >= 16 && a.coordinate_transformation_mode === 'half_pixel';
    const rois = op('aten::cat', [op('aten::unsqueeze', cast(a.batch_indices, x.dtype), 1), cast(a.rois, x.dtype)], 1);
    return op('torchvision::roi_align', x, rois, a.spatial_scale, a.output_height, a.output_width, a.sampling_ratio, aligned);
  }),
  onnxOp('Det', 'Tensor X', 'Tensor', (a) => op('aten::linalg_det', a.X)),
];

function rowsTensor(rows: number[]): Tensor {
  return op('aten::reshape', Tensor.fromArray(Float64Array.from(rows), [rows.length], 'int64'), [rows.length / 3, 3]);
}
