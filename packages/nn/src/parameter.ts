import { Tensor, keep } from '@torchlet/core';

/**
 * A tensor that is a module parameter (torch.nn.Parameter). It shares `data`'s storage (the caller
 * still owns `data`), and it is never collected by an enclosing `tidy`: parameters live until the
 * module (or the parameter) is disposed.
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requires_grad = true) {
    super(data.storage.retain(), [...data.shape], [...data.strides], data.offset);
    this.requiresGrad = requires_grad;
    keep(this);
  }

  /** A parameter that takes over `t`: `t` is disposed, the parameter holds its storage. */
  static adopt(t: Tensor, requires_grad = true): Parameter {
    if (t instanceof Parameter) return t;
    const p = new Parameter(t, requires_grad);
    t.dispose();
    return p;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

export function isParameter(x: unknown): x is Parameter {
  return x instanceof Parameter;
}
