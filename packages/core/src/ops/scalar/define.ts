import { defineOp, type Args, type OpDecl } from '../../registry.js';
import { SCHEMAS, type ScalarOpKey } from './schemas.js';

export type Impl = (a: Args) => unknown;

/**
 * An internal op (`variants: []`) whose overloads are TorchScript builtins, each given by its
 * overload key (the exact 1.13 schema comes from SCHEMAS) and a function on bound arguments.
 * The function runs as the overload's `decompose`, so it works whatever device tensor
 * arguments live on (it only reads metadata or host values).
 */
export function scalarOp(name: string, impls: Partial<Record<ScalarOpKey, Impl>>): OpDecl {
  return defineOp({
    name,
    variants: [],
    overloads: Object.entries(impls).map(([key, f]) => {
      const schema = SCHEMAS[key as ScalarOpKey] as string | undefined;
      if (!schema) throw new Error(`scalar op ${key}: no schema in ops/scalar/schemas.ts`);
      return { schema, decompose: f as Impl };
    }),
  });
}

/** int results: JS has -0, Python ints do not. */
export function I(v: number): number {
  return v + 0;
}
