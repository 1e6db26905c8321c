/**
 * torch.nn.functional signatures that differ from their ATen schema (an `inplace` flag, Python's
 * argument names and defaults): a `torchlet::` overload that mirrors the Python function and
 * calls the ATen op (or its in-place variant).
 */
import { callOp } from '../../dispatch.js';
import type { OverloadDecl } from '../../registry.js';

/** `schema` names its args like the Python function; `forward` picks the ATen positional args from them. */
export function pyInplaceWrapper(schema: string, aten: string, forward: readonly string[]): OverloadDecl {
  return {
    schema,
    tags: ['composite'],
    decompose: (a) => callOp(a.inplace ? `${aten}_` : aten, forward.map((n) => a[n])),
  };
}
