/**
 * The model of the trace-save example: a small image classifier written in TypeScript with
 * torchlet's torch.nn (convolutions, batch norm, a self-attention layer over the feature map
 * positions, a linear head). `write.ts` traces and saves it; `run.ts` only needs the saved file.
 */
import * as torch from 'torchlet';

const { nn, F } = torch;
type Tensor = torch.Tensor;

export class TinyVisionNet extends nn.Module {
  stem = new nn.Sequential(
    new nn.Conv2d(3, 16, 3, { stride: 2, padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(),
    new nn.Conv2d(16, 32, 3, { stride: 2, padding: 1 }), new nn.BatchNorm2d(32), new nn.ReLU(),
  );
  norm = new nn.LayerNorm(32);
  attn = new nn.MultiheadAttention(32, 4, { batch_first: true });
  head = new nn.Linear(32, 10);

  forward(x: Tensor): { logits: Tensor; probs: Tensor } {
    const f = this.stem.call(x); // [N, 32, H/4, W/4]
    const tokens = f.flatten(2).transpose(1, 2); // [N, HW, 32]
    const h = this.norm.call(tokens);
    const [a] = this.attn.call(h, h, h, { need_weights: false });
    const pooled = tokens.add(a).mean(1); // [N, 32]
    const logits = this.head.call(pooled);
    return { logits, probs: F.softmax(logits, -1) };
  }
}

/** A deterministic example image batch: [2, 3, 32, 32]. */
export function exampleImages(seed = 1): Tensor {
  torch.manual_seed(seed);
  return torch.rand([2, 3, 32, 32]);
}
