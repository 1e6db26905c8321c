import type { Tensor } from './tensor.js';

type Scope = Set<Tensor>;
const scopes: Scope[] = [];

/** Called by every Tensor constructor: the innermost `tidy` scope owns new tensors. */
export function trackTensor(t: Tensor): void {
  scopes[scopes.length - 1]?.add(t);
}

/** Excludes `t` from the current scope's cleanup (like tf.keep). */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

function collectTensors(x: unknown, out: Set<Tensor>, isTensor: (v: unknown) => v is Tensor): void {
  if (isTensor(x)) out.add(x);
  else if (Array.isArray(x)) for (const v of x) collectTensors(v, out, isTensor);
  else if (x instanceof Map) for (const v of x.values()) collectTensors(v, out, isTensor);
  else if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) collectTensors(v, out, isTensor);
}

function isTensorLike(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'storage' in v && 'strides' in v && typeof (v as Tensor).dispose === 'function';
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (in arrays, Maps or
 * plain objects). Returned tensors move to the enclosing scope. Async functions are supported.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Scope = new Set();
  scopes.push(scope);
  const finish = (result: unknown): void => {
    const i = scopes.lastIndexOf(scope);
    if (i >= 0) scopes.splice(i, 1);
    const kept = new Set<Tensor>();
    collectTensors(result, kept, isTensorLike);
    for (const t of scope) if (!kept.has(t)) t.dispose();
    const parent = scopes[scopes.length - 1];
    if (parent) for (const t of kept) if (scope.has(t)) parent.add(t);
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    finish(undefined);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (r) => {
        finish(r);
        return r;
      },
      (e) => {
        finish(undefined);
        throw e;
      },
    ) as T;
  }
  finish(result);
  return result;
}
