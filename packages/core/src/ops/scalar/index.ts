import type { OpDecl } from '../../registry.js';
import { parseSchema } from '../../schema.js';
import { overloadKey } from '../../registry.js';
import { convOps } from '../conv/index.js';
import { factoryOps } from '../factory/index.js';
import { indexingOps } from '../indexing/index.js';
import { linalgOps } from '../linalg/index.js';
import { nnOps } from '../nn/index.js';
import { pointwiseOps } from '../pointwise/index.js';
import { reductionOps } from '../reduction/index.js';
import { shapeOps } from '../shape/index.js';
import { arithOps } from './arith.js';
import { containerOps } from './containers.js';
import { convertOps } from './convert.js';
import { tensorBuiltins } from './tensor_builtins.js';

/**
 * Drops overloads another category already declares (e.g. if `aten::numel` or
 * `aten::is_floating_point` become public ops there), so the registry never sees a key twice.
 */
function withoutDeclaredElsewhere(decls: readonly OpDecl[], others: readonly (readonly OpDecl[])[]): OpDecl[] {
  const taken = new Set<string>();
  for (const list of others) for (const d of list) for (const o of d.overloads) taken.add(overloadKey(parseSchema(o.schema)));
  return decls
    .map((d) => ({ ...d, overloads: d.overloads.filter((o) => !taken.has(overloadKey(parseSchema(o.schema)))) }))
    .filter((d) => d.overloads.length > 0);
}

/** TorchScript builtins on ints, floats, bools, strings, lists, dicts and tensor metadata (internal: `variants: []`). */
export const scalarOps: readonly OpDecl[] = withoutDeclaredElsewhere(
  [...arithOps, ...convertOps, ...containerOps, ...tensorBuiltins],
  [pointwiseOps, reductionOps, shapeOps, nnOps, convOps, linalgOps, factoryOps, indexingOps],
);
