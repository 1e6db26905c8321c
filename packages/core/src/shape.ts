export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return strides;
}

/** Wraps a possibly negative dim into [0, rank); `rank` 0 accepts -1 and 0 as PyTorch does. */
export function normalizeDim(dim: number, rank: number, what = 'dim'): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new RangeError(`${what} ${dim} is out of range for a tensor of rank ${rank} (expected in [${-r}, ${r - 1}])`);
  }
  return dim < 0 ? dim + r : dim;
}

export function broadcastShapes(...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const a = out[o]!, b = s[i]!;
      if (a === b || b === 1) continue;
      if (a === 1) out[o] = b;
      else throw new RangeError(`shapes [${shapes.map((x) => x.join(', ')).join('], [')}] cannot be broadcast together (size ${a} vs ${b} at dim ${o})`);
    }
  }
  return out;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Resolves a single -1 in a view/reshape target shape. */
export function inferSize(target: Shape, n: number, op = 'view'): number[] {
  let neg = -1;
  let prod = 1;
  const out = [...target];
  for (let i = 0; i < out.length; i++) {
    const s = out[i]!;
    if (s === -1) {
      if (neg >= 0) throw new RangeError(`${op}: only one dimension can be inferred`);
      neg = i;
    } else if (s < 0 || !Number.isInteger(s)) throw new RangeError(`${op}: invalid shape dimension ${s}`);
    else prod *= s;
  }
  if (neg >= 0) {
    if (prod === 0 || n % prod !== 0) throw new RangeError(`${op}: shape '[${target.join(', ')}]' is invalid for input of size ${n}`);
    out[neg] = n / prod;
  } else if (prod !== n) throw new RangeError(`${op}: shape '[${target.join(', ')}]' is invalid for input of size ${n}`);
  return out;
}
