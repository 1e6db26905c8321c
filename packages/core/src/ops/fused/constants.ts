/**
 * Constant tensors: model weights that inference graphs never write. Graph passes mark the
 * weights of the ops they optimise; backends may then keep derived copies (packed weight panels)
 * for as long as the storage lives, keyed by the Storage object.
 */
import type { Storage } from '../../storage.js';
import type { Tensor } from '../../tensor.js';

const constantStorages = new WeakSet<Storage>();

/** Marks `t`'s storage as never written again (its owner promises so). */
export function markConstant(t: Tensor): void {
  constantStorages.add(t.storage);
}

/** Whether `t`'s storage was marked constant. */
export function isConstantTensor(t: Tensor): boolean {
  return constantStorages.has(t.storage);
}
